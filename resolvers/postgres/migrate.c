/* migrate.c: DDL for the models of a catalog; see migrate.h for what is created and why.
 *
 * The script is a pure function of the catalog (no catalog queries), so --dry-run prints
 * exactly what runs, and running it twice changes nothing. Evolution is additive only: a
 * column whose type changed in the schema keeps its old type (reported by nobody: a later
 * `migrate --check` could compare information_schema). No foreign key constraints are created:
 * AppSync has no referential integrity (a child may be written before its parent, and deleting a
 * parent leaves its children untouched), and a constraint would either refuse such writes or
 * rewrite the children's keys. Relations get the index their lookups need. Names longer than PostgreSQL's 63 bytes are cut here, so that the existence checks
 * compare with the name PostgreSQL stores. Concurrent migrations serialise on an advisory lock. */
#include "migrate.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "pg_model.h"

enum { MAX_IDENT = 63 };

typedef struct script {
    gg_buf *out;
    gg_arena *arena;
    const gg_pg_models *models;
    gg_strmap done; /* index and constraint names already written */
} script;

/* name cut to PostgreSQL's identifier length (on a byte boundary that keeps UTF-8 whole). */
static const char *ident_name(gg_arena *arena, const char *name)
{
    size_t len = strlen(name);
    if (len <= MAX_IDENT) return name;
    len = MAX_IDENT;
    while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
        len--;
    return gg_arena_strndup(arena, name, len);
}

static bool first_time(script *s, const char *name)
{
    return gg_strmap_put_new(&s->done, name, strlen(name), (void *)name) == name;
}

static void write_column_list(gg_buf *out, const gg_pg_column *const *cols, unsigned count)
{
    gg_buf_putc(out, '(');
    for (unsigned i = 0; i < count; i++) {
        if (i) gg_buf_puts(out, ", ");
        gg_buf_puts(out, cols[i]->quoted);
    }
    gg_buf_putc(out, ')');
}

static const char *storage_name(const gg_pg_model *pm)
{
    return pm->model->table ? pm->model->table : pm->model->name;
}

static void write_table(script *s, const gg_pg_model *pm)
{
    gg_buf *out = s->out;
    gg_buf_printf(out, "CREATE TABLE IF NOT EXISTS %s (", pm->quoted_table);
    for (unsigned i = 0; i < pm->key_count; i++)
        gg_buf_printf(out, "%s %s NOT NULL, ", pm->key[i]->quoted, pm->key[i]->sql_type);
    gg_buf_puts(out, "PRIMARY KEY ");
    write_column_list(out, pm->key, pm->key_count);
    gg_buf_puts(out, ");\n");
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL) continue;
        bool is_key = false;
        for (unsigned k = 0; k < pm->key_count; k++)
            is_key |= pm->key[k] == c;
        if (!is_key)
            gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s;\n", pm->quoted_table, c->quoted,
                          c->sql_type);
    }
}

/* CREATE INDEX IF NOT EXISTS "<table>_<suffix>" ON table (cols). */
static void write_index(script *s, const gg_pg_model *pm, const char *suffix, const gg_pg_column *const *cols,
                        unsigned count)
{
    const char *name = ident_name(s->arena, gg_arena_printf(s->arena, "%s_%s", storage_name(pm), suffix));
    if (!first_time(s, name)) return;
    gg_buf_puts(s->out, "CREATE INDEX IF NOT EXISTS ");
    gg_pg_quote_ident(s->out, name);
    gg_buf_printf(s->out, " ON %s ", pm->quoted_table);
    write_column_list(s->out, cols, count);
    gg_buf_puts(s->out, ";\n");
}

static void write_indexes(script *s, const gg_pg_model *pm)
{
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->index_count; i++) {
        const gg_amplify_index *ix = &m->indexes[i];
        const gg_pg_column **cols = gg_arena_array(s->arena, ix->sort_count + 1, sizeof *cols);
        unsigned n = 0;
        const gg_pg_column *pc = gg_pg_model_column(pm, ix->partition_field);
        if (pc) cols[n++] = pc;
        for (unsigned k = 0; k < ix->sort_count; k++) {
            const gg_pg_column *sc = gg_pg_model_column(pm, ix->sort_fields[k]);
            if (sc) cols[n++] = sc;
        }
        if (n > 0) write_index(s, pm, ix->name, cols, n);
    }
}

/* The columns of fields, or NULL when one is not a column. */
static const gg_pg_column **columns_of(script *s, const gg_pg_model *pm, const char **fields, unsigned count)
{
    if (count == 0) return NULL;
    const gg_pg_column **cols = gg_arena_array(s->arena, count, sizeof *cols);
    for (unsigned i = 0; i < count; i++)
        if ((cols[i] = gg_pg_model_column(pm, fields[i])) == NULL) return NULL;
    return cols;
}

static bool is_whole_key(const gg_pg_model *pm, const gg_pg_column *const *cols, unsigned count)
{
    if (count != pm->key_count) return false;
    for (unsigned i = 0; i < count; i++)
        if (cols[i] != pm->key[i]) return false;
    return true;
}

/* The referencing side (from) gets an index on its columns for the lookups of the relation (no
 * foreign key constraint: see the top of the file). */
static void write_reference(script *s, const gg_pg_model *from, const gg_pg_column *const *from_cols, unsigned count)
{
    gg_buf names;
    gg_buf_init(&names);
    for (unsigned i = 0; i < count; i++)
        gg_buf_printf(&names, "%s%s", i ? "_" : "",
                      from_cols[i]->field->column ? from_cols[i]->field->column : from_cols[i]->field->name);
    char *cols_name = gg_arena_strndup(s->arena, names.data, names.len);
    gg_buf_free(&names);
    /* the referencing columns then the primary key: the lookup of a parent's children and their
     * keyset order (primary key) in one index, so a page of children needs no sort */
    const gg_pg_column **index_cols = gg_arena_array(s->arena, count + from->key_count, sizeof *index_cols);
    unsigned n = 0;
    for (unsigned i = 0; i < count; i++)
        index_cols[n++] = from_cols[i];
    for (unsigned k = 0; k < from->key_count; k++) {
        bool listed = false;
        for (unsigned i = 0; i < count; i++)
            listed |= from_cols[i] == from->key[k];
        if (!listed) index_cols[n++] = from->key[k];
    }
    write_index(s, from, gg_arena_printf(s->arena, "%s_idx", cols_name), index_cols, n);

}

static void write_relation(script *s, const gg_pg_model *pm, const gg_amplify_relation *r)
{
    const char *target_name = r->kind == GG_AMPLIFY_MANY_TO_MANY ? r->join_model : r->target;
    const gg_pg_model *target = gg_pg_models_find(s->models, target_name);
    if (target == NULL || r->local_count == 0 || r->local_count != r->remote_count) return;
    const gg_pg_column **local = columns_of(s, pm, r->local_fields, r->local_count);
    const gg_pg_column **remote = columns_of(s, target, r->remote_fields, r->remote_count);
    if (local == NULL || remote == NULL) return;
    unsigned n = r->local_count;
    if (is_whole_key(target, remote, n) && !is_whole_key(pm, local, n))
        write_reference(s, pm, local, n);
    else if (is_whole_key(pm, local, n) && !is_whole_key(target, remote, n))
        write_reference(s, target, remote, n);
}

void gg_pg_migrate_sql(const gg_amplify_catalog *catalog, gg_buf *out)
{
    gg_arena arena;
    gg_arena_init(&arena);
    script s = {.out = out, .arena = &arena, .models = gg_pg_models_build(&arena, catalog)};
    gg_strmap_init(&s.done, &arena);
    gg_buf_puts(out, "CREATE TABLE IF NOT EXISTS graphgate_meta (key text PRIMARY KEY, value text NOT NULL);\n");
    for (unsigned i = 0; i < s.models->count; i++)
        write_table(&s, &s.models->models[i]);
    for (unsigned i = 0; i < s.models->count; i++)
        write_indexes(&s, &s.models->models[i]);
    for (unsigned i = 0; i < s.models->count; i++) {
        const gg_pg_model *pm = &s.models->models[i];
        for (unsigned f = 0; f < pm->model->field_count; f++)
            if (pm->model->fields[f].relation) write_relation(&s, pm, pm->model->fields[f].relation);
    }
    gg_arena_free(&arena);
}

static bool run(PGconn *conn, const char *sql, int count, const char *const *values, char *error, size_t size)
{
    PGresult *r = count ? PQexecParams(conn, sql, count, NULL, values, NULL, NULL, 0) : PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) snprintf(error, size, "%s", PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

/* Creates the meta table and the secret when absent (inside the caller's transaction or alone). */
static bool ensure_secret(PGconn *conn, char *error, size_t size)
{
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        snprintf(error, size, "cannot generate a random cursor secret");
        return false;
    }
    char hex[2 * sizeof random + 1];
    for (size_t i = 0; i < sizeof random; i++)
        snprintf(hex + 2 * i, 3, "%02x", random[i]);
    const char *values[1] = {hex};
    return run(conn, "CREATE TABLE IF NOT EXISTS graphgate_meta (key text PRIMARY KEY, value text NOT NULL)", 0, NULL,
               error, size) &&
           run(conn,
               "INSERT INTO graphgate_meta (key, value) VALUES ('cursor_secret', $1) ON CONFLICT (key) DO NOTHING", 1,
               values, error, size);
}

bool gg_pg_migrate(PGconn *conn, const gg_amplify_catalog *catalog, bool dry_run, gg_buf *out, char *error, size_t size)
{
    gg_buf sql;
    gg_buf_init(&sql);
    gg_pg_migrate_sql(catalog, &sql);
    if (out) gg_buf_append(out, sql.data, sql.len);
    bool ok = true;
    if (!dry_run) {
        ok = run(conn, "BEGIN", 0, NULL, error, size) &&
             run(conn, "SET LOCAL client_min_messages TO warning", 0, NULL, error, size) &&
             run(conn, "SELECT pg_advisory_xact_lock(7146820394105)", 0, NULL, error, size) &&
             run(conn, sql.data, 0, NULL, error, size) && ensure_secret(conn, error, size) &&
             run(conn, "COMMIT", 0, NULL, error, size);
        if (!ok) {
            PGresult *r = PQexec(conn, "ROLLBACK");
            PQclear(r);
        }
    }
    gg_buf_free(&sql);
    return ok;
}

bool gg_pg_load_cursor_key(PGconn *conn, gg_cursor_key *key, char *error, size_t size)
{
    if (!run(conn, "BEGIN", 0, NULL, error, size) ||
        !run(conn, "SET LOCAL client_min_messages TO warning", 0, NULL, error, size) ||
        !ensure_secret(conn, error, size) || !run(conn, "COMMIT", 0, NULL, error, size)) {
        PGresult *rb = PQexec(conn, "ROLLBACK");
        PQclear(rb);
        return false;
    }
    PGresult *r = PQexec(conn, "SELECT value FROM graphgate_meta WHERE key = 'cursor_secret'");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok)
        gg_cursor_key_init(key, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
    else
        snprintf(error, size, "cannot read the cursor secret: %s", PQerrorMessage(conn));
    PQclear(r);
    return ok;
}
