/* introspect.c: one schema's tables, views, columns, keys, indexes, foreign keys and enums from
 * pg_class, pg_attribute, pg_type, pg_index, pg_constraint and pg_enum; see introspect.h.
 *
 * One query per kind of object, each over the whole schema (not one per table), answered in text
 * and parsed here; a foreign key onto a table that is not read (another schema, or left out by
 * --tables) is kept as a name only, for init to say why it makes no relation. Types are resolved
 * like column_types.c does at start-up: a domain through to its base type, an array to its
 * element type, and the GraphQL scalar comes from gg_pg_type_scalar, the same classification
 * start-up checks, so a generated field always binds to its column. Column
 * lists of keys (int2vector) come as space-separated attribute numbers. Partitions are left out
 * (their parent is the table clients use), and so are graphgate's own tables (graphgate_meta, the
 * cursor secret; graphgate_realtime_events, the postgres bus's large events), which a database
 * graphgate has served already holds. */
#include "introspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "column_types.h"
#include "connect.h"

static const char RELATIONS_SQL[] =
    "SELECT c.oid, c.relname, c.relkind IN ('v', 'm'), c.relrowsecurity, "
    "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition "
    "AND c.relname NOT IN ('graphgate_meta', 'graphgate_realtime_events') ORDER BY c.relname";

static const char COLUMNS_SQL[] =
    "SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '', a.attgenerated <> '', bt.typcategory = 'A', "
    "coalesce(ebt.typname, bt.typname), coalesce(ebt.typtype, bt.typtype), coalesce(ebt.oid, bt.oid), "
    "a.attidentity = 'a' "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_type t ON t.oid = a.atttypid "
    "JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
    "LEFT JOIN pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem "
    "LEFT JOIN pg_type ebt ON ebt.oid = CASE WHEN et.typtype = 'd' THEN et.typbasetype ELSE et.oid END "
    "WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum";

static const char INDEXES_SQL[] =
    "SELECT i.indrelid, ic.relname, i.indisprimary, i.indisunique, "
    "i.indisvalid AND i.indexprs IS NULL AND i.indpred IS NULL AND am.amname = 'btree', "
    "(SELECT string_agg(k::text, ' ' ORDER BY o) FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(k, o) "
    "WHERE o <= i.indnkeyatts) "
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
    "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 ORDER BY i.indrelid, NOT i.indisprimary, ic.relname";

static const char FOREIGN_KEYS_SQL[] =
    "SELECT k.conrelid, k.conname, k.confrelid, array_to_string(k.conkey, ' '), array_to_string(k.confkey, ' '), "
    "(SELECT format('%I.%I', tn.nspname, tc.relname) FROM pg_class tc JOIN pg_namespace tn ON tn.oid = "
    "tc.relnamespace WHERE tc.oid = k.confrelid) "
    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 AND k.contype = 'f' ORDER BY k.conrelid, k.conname";

static const char ENUMS_SQL[] =
    "SELECT e.enumtypid, t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
    "ORDER BY t.typname, e.enumtypid, e.enumsortorder";

static PGresult *query(PGconn *conn, const char *sql, const char *schema, gg_fault *fault)
{
    const char *values[1] = {schema};
    PGresult *r = PQexecParams(conn, sql, schema ? 1 : 0, NULL, schema ? values : NULL, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) return r;
    const char *message = PQresultErrorMessage(r);
    size_t len = strcspn(message, "\n");
    gg_fault_set(fault, NULL, "cannot read the database's catalog: %.*s", (int)len, message);
    PQclear(r);
    return NULL;
}

static unsigned oid_of(const PGresult *r, int row, int col)
{
    return (unsigned)strtoul(PQgetvalue(r, row, col), NULL, 10);
}

static bool is_true(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col)[0] == 't';
}

static gg_pg_db_table *table_by_oid(gg_pg_db_schema *s, unsigned oid, unsigned *index)
{
    for (unsigned i = 0; i < s->table_count; i++)
        if (s->tables[i].oid == oid) {
            if (index) *index = i;
            return &s->tables[i];
        }
    return NULL;
}

/* The column of t with attribute number attnum (UINT32_MAX-like count when absent). */
static unsigned column_by_attnum(const gg_pg_db_table *t, int attnum)
{
    for (unsigned i = 0; i < t->column_count; i++)
        if (t->columns[i].attnum == attnum) return i;
    return t->column_count;
}

/* Parses "1 3 2" into column indexes of t; false when one is not a column (an expression's 0). */
static bool parse_columns(gg_arena *arena, const gg_pg_db_table *t, const char *text, unsigned **out, unsigned *count)
{
    GG_VEC(unsigned) v = {0};
    const char *p = text;
    while (*p) {
        char *end;
        long attnum = strtol(p, &end, 10);
        if (end == p) break;
        unsigned c = column_by_attnum(t, (int)attnum);
        if (c == t->column_count) return false;
        GG_VEC_PUSH(arena, v, c);
        p = end;
    }
    *out = v.items;
    *count = v.count;
    return v.count > 0;
}

static bool wanted(const char *name, const char *const *tables, unsigned table_count, bool *seen)
{
    if (table_count == 0) return true;
    for (unsigned i = 0; i < table_count; i++)
        if (strcmp(tables[i], name) == 0) {
            seen[i] = true;
            return true;
        }
    return false;
}

static bool read_relations(PGconn *conn, const char *schema, const char *const *tables, unsigned table_count,
                           gg_pg_db_schema *s, bool *database_error, gg_fault *fault)
{
    PGresult *r = query(conn, RELATIONS_SQL, schema, fault);
    if (r == NULL) return false;
    *database_error = false; /* from here on, what fails is the selection */
    bool *seen = gg_arena_array(s->arena, table_count ? table_count : 1, sizeof *seen);
    GG_VEC(gg_pg_db_table) v = {0};
    for (int row = 0; row < PQntuples(r); row++) {
        const char *name = PQgetvalue(r, row, 1);
        if (!wanted(name, tables, table_count, seen)) continue;
        gg_pg_db_table t = {.name = gg_arena_strdup(s->arena, name),
                            .is_view = is_true(r, row, 2),
                            .oid = oid_of(r, row, 0),
                            .row_security = is_true(r, row, 3),
                            .policy_count = (unsigned)strtoul(PQgetvalue(r, row, 4), NULL, 10)};
        GG_VEC_PUSH(s->arena, v, t);
    }
    PQclear(r);
    s->tables = v.items;
    s->table_count = v.count;
    for (unsigned i = 0; i < table_count; i++)
        if (!seen[i])
            return gg_fault_set(fault, NULL, "--tables: schema \"%s\" has no table or view \"%s\"", schema, tables[i]);
    if (s->table_count == 0) return gg_fault_set(fault, NULL, "schema \"%s\" has no tables or views", schema);
    return true;
}

static bool read_columns(PGconn *conn, const char *schema, gg_pg_db_schema *s, gg_fault *fault)
{
    PGresult *r = query(conn, COLUMNS_SQL, schema, fault);
    if (r == NULL) return false;
    int rows = PQntuples(r);
    for (int row = 0; row < rows;) {
        gg_pg_db_table *t = table_by_oid(s, oid_of(r, row, 0), NULL);
        GG_VEC(gg_pg_db_column) v = {0};
        unsigned oid = oid_of(r, row, 0);
        for (; row < rows && oid_of(r, row, 0) == oid; row++) {
            if (t == NULL) continue;
            gg_pg_db_column c = {
                .name = gg_arena_strdup(s->arena, PQgetvalue(r, row, 1)),
                .attnum = atoi(PQgetvalue(r, row, 2)),
                .type = gg_arena_strdup(s->arena, PQgetvalue(r, row, 3)),
                .not_null = is_true(r, row, 4),
                .has_default = is_true(r, row, 5),
                .generated = is_true(r, row, 6),
                .is_array = is_true(r, row, 7),
                .base_type = gg_arena_strdup(s->arena, PQgetvalue(r, row, 8)),
                .base_kind = PQgetvalue(r, row, 9)[0],
                .base_oid = oid_of(r, row, 10),
                .identity_always = is_true(r, row, 11),
            };
            GG_VEC_PUSH(s->arena, v, c);
        }
        if (t == NULL) continue;
        t->columns = v.items;
        t->column_count = v.count;
    }
    PQclear(r);
    return true;
}

static bool read_indexes(PGconn *conn, const char *schema, gg_pg_db_schema *s, gg_fault *fault)
{
    PGresult *r = query(conn, INDEXES_SQL, schema, fault);
    if (r == NULL) return false;
    int rows = PQntuples(r);
    for (int row = 0; row < rows;) {
        unsigned oid = oid_of(r, row, 0);
        gg_pg_db_table *t = table_by_oid(s, oid, NULL);
        GG_VEC(gg_pg_db_index) v = {0};
        for (; row < rows && oid_of(r, row, 0) == oid; row++) {
            if (t == NULL) continue;
            gg_pg_db_index index = {
                .name = gg_arena_strdup(s->arena, PQgetvalue(r, row, 1)),
                .primary = is_true(r, row, 2),
                .unique = is_true(r, row, 3),
                .plain = is_true(r, row, 4),
            };
            if (!parse_columns(s->arena, t, PQgetvalue(r, row, 5), &index.columns, &index.column_count))
                index.plain = false; /* an expression among its keys */
            GG_VEC_PUSH(s->arena, v, index);
        }
        if (t == NULL) continue;
        t->indexes = v.items;
        t->index_count = v.count;
    }
    PQclear(r);
    return true;
}

static bool read_foreign_keys(PGconn *conn, const char *schema, gg_pg_db_schema *s, gg_fault *fault)
{
    PGresult *r = query(conn, FOREIGN_KEYS_SQL, schema, fault);
    if (r == NULL) return false;
    int rows = PQntuples(r);
    for (int row = 0; row < rows;) {
        unsigned oid = oid_of(r, row, 0);
        gg_pg_db_table *t = table_by_oid(s, oid, NULL);
        GG_VEC(gg_pg_db_foreign_key) v = {0};
        GG_VEC(const char *) outside = {0};
        for (; row < rows && oid_of(r, row, 0) == oid; row++) {
            unsigned target_index = 0;
            const gg_pg_db_table *target = table_by_oid(s, oid_of(r, row, 2), &target_index);
            if (t == NULL) continue;
            if (target == NULL) { /* a table outside the selection */
                GG_VEC_PUSH(
                    s->arena, outside,
                    gg_arena_printf(s->arena, "\"%s\" references %s", PQgetvalue(r, row, 1), PQgetvalue(r, row, 5)));
                continue;
            }
            gg_pg_db_foreign_key fk = {.name = gg_arena_strdup(s->arena, PQgetvalue(r, row, 1)),
                                       .target = target_index};
            unsigned target_count = 0;
            if (!parse_columns(s->arena, t, PQgetvalue(r, row, 3), &fk.columns, &fk.column_count) ||
                !parse_columns(s->arena, target, PQgetvalue(r, row, 4), &fk.target_columns, &target_count) ||
                target_count != fk.column_count)
                continue;
            GG_VEC_PUSH(s->arena, v, fk);
        }
        if (t == NULL) continue;
        t->foreign_keys = v.items;
        t->foreign_key_count = v.count;
        t->outside_keys = outside.items;
        t->outside_key_count = outside.count;
    }
    PQclear(r);
    return true;
}

/* The enums the columns use, with their labels in order; each column points to its own. */
static bool read_enums(PGconn *conn, gg_pg_db_schema *s, gg_fault *fault)
{
    PGresult *r = query(conn, ENUMS_SQL, NULL, fault);
    if (r == NULL) return false;
    GG_VEC(gg_pg_db_enum) enums = {0};
    GG_VEC(unsigned) oids = {0};
    int rows = PQntuples(r);
    for (int row = 0; row < rows;) {
        unsigned oid = oid_of(r, row, 0);
        bool used = false;
        for (unsigned i = 0; i < s->table_count && !used; i++)
            for (unsigned k = 0; k < s->tables[i].column_count && !used; k++)
                used = s->tables[i].columns[k].base_kind == 'e' && s->tables[i].columns[k].base_oid == oid;
        gg_pg_db_enum e = {.name = gg_arena_strdup(s->arena, PQgetvalue(r, row, 1))};
        GG_VEC(const char *) labels = {0};
        for (; row < rows && oid_of(r, row, 0) == oid; row++)
            if (used) GG_VEC_PUSH(s->arena, labels, gg_arena_strdup(s->arena, PQgetvalue(r, row, 2)));
        if (!used) continue;
        e.labels = labels.items;
        e.label_count = labels.count;
        GG_VEC_PUSH(s->arena, enums, e);
        GG_VEC_PUSH(s->arena, oids, oid);
    }
    PQclear(r);
    s->enums = enums.items;
    s->enum_count = enums.count;
    for (unsigned i = 0; i < s->table_count; i++)
        for (unsigned k = 0; k < s->tables[i].column_count; k++) {
            gg_pg_db_column *c = &s->tables[i].columns[k];
            for (unsigned e = 0; c->base_kind == 'e' && e < oids.count; e++)
                if (oids.items[e] == c->base_oid) c->enum_type = &s->enums[e];
        }
    return true;
}

static bool in_list(const unsigned *list, unsigned count, unsigned value)
{
    for (unsigned i = 0; i < count; i++)
        if (list[i] == value) return true;
    return false;
}

/* Whether column k of t is part of its primary key or of a foreign key (bigint keys are IDs). */
static bool is_key_column(const gg_pg_db_schema *s, const gg_pg_db_table *t, unsigned k)
{
    for (unsigned i = 0; i < t->index_count; i++)
        if (t->indexes[i].primary && in_list(t->indexes[i].columns, t->indexes[i].column_count, k)) return true;
    for (unsigned i = 0; i < t->foreign_key_count; i++)
        if (in_list(t->foreign_keys[i].columns, t->foreign_keys[i].column_count, k)) return true;
    for (unsigned i = 0; i < s->table_count; i++) /* referenced by a foreign key */
        for (unsigned f = 0; f < s->tables[i].foreign_key_count; f++) {
            const gg_pg_db_foreign_key *fk = &s->tables[i].foreign_keys[f];
            if (&s->tables[fk->target] == t && in_list(fk->target_columns, fk->column_count, k)) return true;
        }
    return false;
}

/* The TimeZone graphgate's sessions will have too: it decides what now() writes into a timestamp
 * (without time zone) column, which graphgate serves as UTC. */
static bool read_time_zone(PGconn *conn, gg_pg_db_schema *s, gg_fault *fault)
{
    PGresult *r = query(conn, "SELECT current_setting('TimeZone')", NULL, fault);
    if (r == NULL) return false;
    s->time_zone = gg_arena_strdup(s->arena, PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    return true;
}

static bool introspect(PGconn *conn, const char *schema, const char *const *tables, unsigned table_count,
                       gg_pg_db_schema *out, bool *database_error, gg_fault *fault)
{
    if (!read_relations(conn, schema, tables, table_count, out, database_error, fault)) return false;
    *database_error = true;
    if (!read_columns(conn, schema, out, fault) || !read_indexes(conn, schema, out, fault) ||
        !read_foreign_keys(conn, schema, out, fault) || !read_enums(conn, out, fault) ||
        !read_time_zone(conn, out, fault))
        return false;
    *database_error = false;
    for (unsigned i = 0; i < out->table_count; i++)
        for (unsigned k = 0; k < out->tables[i].column_count; k++) {
            gg_pg_db_column *c = &out->tables[i].columns[k];
            c->scalar =
                gg_pg_type_scalar(c->base_type, (char[]){c->base_kind, 0}, is_key_column(out, &out->tables[i], k));
        }
    return true;
}

bool gg_pg_introspect_database(const char *url, const char *schema, const char *const *tables, unsigned table_count,
                               gg_arena *arena, gg_pg_db_schema *out, char *database, size_t database_size,
                               bool *database_error, gg_fault *fault)
{
    *out = (gg_pg_db_schema){.arena = arena};
    *database_error = true;
    gg_pg_connect_options options = {.connect_timeout_s = 5};
    PGconn *conn = gg_pg_connect(url, &options, fault);
    if (conn == NULL) return false;
    snprintf(database, database_size, "%s", PQdb(conn));
    bool ok = introspect(conn, schema, tables, table_count, out, database_error, fault);
    PQfinish(conn);
    return ok;
}
