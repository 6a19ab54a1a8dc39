/* migrate.c: DDL for the models of a catalog; see migrate.h for what is created and why.
 *
 * The script has three parts: the tables and their columns, then the column type changes, then
 * the indexes and foreign keys. The first and last parts are a pure function of the catalog (no
 * catalog queries), so running them twice changes nothing, and --dry-run without a database
 * prints them exactly. The type changes need the database: within the migration's transaction,
 * after the advisory lock, each model column's type (pg_attribute) is compared with the storage
 * type pg_model.h gives, and the conversions that keep every value become ALTER statements, run
 * one by one so a failure names its column. The foreign keys come after them, since a key needs
 * the converted types; a key whose column keeps another type (a refused conversion) is left out.
 *
 * Foreign keys: AppSync has no referential integrity, so a constraint changes what clients see;
 * database.foreign_keys (default true) turns them off. When on, each is added NOT VALID, inside a
 * DO block that first looks for a constraint of the same name on the table (PostgreSQL has no ADD
 * CONSTRAINT IF NOT EXISTS), or a foreign key of any name over the same columns onto the same
 * key, so legacy orphans never fail a migration and an existing constraint is never replaced nor
 * doubled (a changed ON DELETE rule needs the old constraint dropped by hand). A
 * bidirectional @hasMany/@belongsTo pair names the same columns, hence the same constraint name,
 * written once. Names longer than PostgreSQL's 63 bytes are cut here, so that the existence
 * checks compare with the name PostgreSQL stores. Concurrent migrations serialise on an advisory
 * lock. */
#include "migrate.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "column_types.h"
#include "connect.h"
#include "datastore_migrate.h"
#include "datastore_store.h"
#include "pg_model.h"

enum { MAX_IDENT = 63 };

#define DO_TAG "$graphgate$"

typedef struct script {
    gg_buf *out;
    gg_arena *arena;
    gg_pg_models *models;
    const char *schema; /* database.schema, or NULL */
    bool foreign_keys;
    gg_strmap done;        /* index and constraint names already written */
    gg_strmap kept_type;   /* "<quoted table>.<quoted column>" of columns keeping another type than the schema's */
    gg_strmap views;       /* quoted tables that are views in the database (init serves them read-only): left alone */
    gg_strmap index_names; /* the names of the btree indexes the database has on the models' tables */
    gg_strmap index_heads; /* each one's leading columns, "<quoted table>\x1f<col>\x1f<col>" -> its name */
    gg_buf *notes;         /* where a skipped index is said (NULL: nowhere) */
    bool no_meta;          /* no graphgate_meta (gg_pg_migrate_options.own_secret) */
} script;

static bool is_view(const script *s, const gg_pg_model *pm)
{
    return gg_strmap_gets(&s->views, pm->quoted_table) != NULL;
}

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

static const char *column_name(const gg_pg_column *c)
{
    return c->field->column ? c->field->column : c->field->name;
}

static bool is_key_column(const gg_pg_model *pm, const gg_pg_column *c)
{
    for (unsigned k = 0; k < pm->key_count; k++)
        if (pm->key[k] == c) return true;
    return false;
}

/* The type a new column of c gets: its storage type, a timestamp or time with millisecond
 * precision, AppSync's (so a value reads back as it is stored, and equals what a client read). */
static const char *column_type(gg_arena *arena, const gg_pg_column *c)
{
    static const char *const precise[][2] = {
        {"timestamp with time zone", "timestamp(3) with time zone"},
        {"time without time zone", "time(3) without time zone"},
    };
    const char *type = c->storage_type;
    size_t len = strlen(type);
    bool array = len > 2 && strcmp(type + len - 2, "[]") == 0;
    for (size_t i = 0; i < sizeof precise / sizeof precise[0]; i++) {
        size_t n = strlen(precise[i][0]);
        if (strncmp(type, precise[i][0], n) == 0 && (type[n] == '\0' || array))
            return gg_arena_printf(arena, "%s%s", precise[i][1], array ? "[]" : "");
    }
    return type;
}

static void write_table(script *s, const gg_pg_model *pm)
{
    gg_buf *out = s->out;
    gg_buf_printf(out, "CREATE TABLE IF NOT EXISTS %s (", pm->quoted_table);
    for (unsigned i = 0; i < pm->key_count; i++)
        gg_buf_printf(out, "%s %s NOT NULL, ", pm->key[i]->quoted, column_type(s->arena, pm->key[i]));
    gg_buf_puts(out, "PRIMARY KEY ");
    write_column_list(out, pm->key, pm->key_count);
    gg_buf_puts(out, ");\n");
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field != NULL && !is_key_column(pm, c) && !gg_pg_datastore_column(pm, c))
            gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s;\n", pm->quoted_table, c->quoted,
                          column_type(s->arena, c));
    }
    gg_pg_datastore_migrate_columns(out, pm); /* nothing unless the model is synced */
}

/* The key of index_heads for the first count of cols of pm's table. */
static const char *head_key(script *s, const gg_pg_model *pm, const gg_pg_column *const *cols, unsigned count)
{
    gg_buf key;
    gg_buf_init(&key);
    gg_buf_puts(&key, pm->quoted_table);
    for (unsigned i = 0; i < count; i++) {
        gg_buf_putc(&key, '\x1f');
        gg_buf_puts(&key, column_name(cols[i]));
    }
    const char *kept = gg_arena_strndup(s->arena, key.data, key.len);
    gg_buf_free(&key);
    return kept;
}

/* CREATE INDEX IF NOT EXISTS "<table>_<suffix>" ON table (cols), unless the database has another
 * index that begins with the first need of cols (0: all of them), which serves the same lookups
 * (the one init --from-database made the @index from, a framework's index on a foreign key): a
 * second one would only slow every write, and building it locks the table's writes. */
static void write_index(script *s, const gg_pg_model *pm, const char *suffix, const gg_pg_column *const *cols,
                        unsigned count, unsigned need)
{
    const char *name = ident_name(s->arena, gg_arena_printf(s->arena, "%s_%s", storage_name(pm), suffix));
    if (!first_time(s, name)) return;
    const char *other = gg_strmap_gets(&s->index_names, name) != NULL
                            ? NULL
                            : gg_strmap_gets(&s->index_heads, head_key(s, pm, cols, need ? need : count));
    if (other != NULL) {
        if (s->notes)
            gg_buf_printf(s->notes, "note: %s: index \"%s\" not made, \"%s\" serves its lookups\n", pm->quoted_table,
                          name, other);
        return;
    }
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
        if (n > 0) write_index(s, pm, ix->name, cols, n, 0);
    }
}

/* Owner and dynamic groups columns are compared on every read of a model with such @auth rules
 * (auth_sql.h): an index each, (column, primary key) for a text column, GIN for a [String] column
 * (it serves the ?| comparison). */
static void write_auth_indexes(script *s, const gg_pg_model *pm)
{
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->auth_rule_count; i++) {
        const gg_amplify_auth_rule *r = &m->auth_rules[i];
        const char *field = r->allow == GG_AMPLIFY_ALLOW_OWNER    ? r->owner_field
                            : r->allow == GG_AMPLIFY_ALLOW_GROUPS ? r->groups_field
                                                                  : NULL;
        const gg_pg_column *c = field ? gg_pg_model_column(pm, field) : NULL;
        if (c == NULL || (c->is_list ? c->item_kind != GG_COLUMN_TEXT : c->kind != GG_COLUMN_TEXT)) continue;
        const char *suffix = gg_arena_printf(s->arena, "%s_auth", field);
        if (!c->is_list) { /* then the primary key: one owner's page is a range of the index, in page order */
            const gg_pg_column **cols = gg_arena_array(s->arena, pm->key_count + 1, sizeof *cols);
            cols[0] = c;
            for (unsigned k = 0; k < pm->key_count; k++)
                cols[k + 1] = pm->key[k];
            write_index(s, pm, suffix, cols, pm->key_count + 1, 0);
            continue;
        }
        const char *name = ident_name(s->arena, gg_arena_printf(s->arena, "%s_%s", storage_name(pm), suffix));
        if (!first_time(s, name)) continue;
        gg_buf_puts(s->out, "CREATE INDEX IF NOT EXISTS ");
        gg_pg_quote_ident(s->out, name);
        gg_buf_printf(s->out, " ON %s USING gin ", pm->quoted_table);
        write_column_list(s->out, &c, 1);
        gg_buf_puts(s->out, ";\n");
    }
}

/* "postId" or "game_player": the storage names of cols joined by '_'. */
static const char *joined_names(script *s, const gg_pg_column *const *cols, unsigned count)
{
    gg_buf names;
    gg_buf_init(&names);
    for (unsigned i = 0; i < count; i++)
        gg_buf_printf(&names, "%s%s", i ? "_" : "", column_name(cols[i]));
    char *joined = gg_arena_strndup(s->arena, names.data, names.len);
    gg_buf_free(&names);
    return joined;
}

/* The referencing side (from) gets an index on its columns then its primary key: the lookup of a
 * parent's children and their keyset order in one index, so a page of children needs no sort. */
static void write_reference_index(script *s, const gg_pg_model *from, const gg_pg_column *const *from_cols,
                                  unsigned count)
{
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
    /* an index on the referencing columns alone serves the lookup (its pages then sort by key) */
    write_index(s, from, gg_arena_printf(s->arena, "%s_idx", joined_names(s, from_cols, count)), index_cols, n, count);
}

/* Join rows are Amplify's bookkeeping (CASCADE); a nullable reference is orphaned like on AppSync
 * (SET NULL); a required one keeps its parent from being deleted (RESTRICT). */
static const char *on_delete(const gg_pg_model *from, const gg_pg_column *const *from_cols, unsigned count)
{
    if (from->model->is_join_model) return "CASCADE";
    for (unsigned i = 0; i < count; i++)
        if (from_cols[i]->field->non_null) return "RESTRICT";
    return "SET NULL";
}

/* Why from_cols cannot reference to's primary key, or NULL when they can. */
static const char *key_obstacle(script *s, const gg_pg_model *from, const gg_pg_column *const *from_cols,
                                const gg_pg_model *to, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        if (strcmp(from_cols[i]->sql_type, to->key[i]->sql_type) != 0)
            return "the schema gives the columns other types";
        const char *a = gg_arena_printf(s->arena, "%s.%s", from->quoted_table, from_cols[i]->quoted);
        const char *b = gg_arena_printf(s->arena, "%s.%s", to->quoted_table, to->key[i]->quoted);
        if (gg_strmap_gets(&s->kept_type, a) || gg_strmap_gets(&s->kept_type, b))
            return "a column keeps another type than the schema's (see the warning)";
    }
    return NULL;
}

/* The attribute numbers of cols of table, in order, as SQL (an int2[] like pg_constraint.conkey). */
static void write_attnums(gg_buf *out, const char *quoted_table, const gg_pg_column *const *cols, unsigned count)
{
    gg_buf_puts(out, "ARRAY(SELECT a.attnum FROM unnest(ARRAY[");
    for (unsigned i = 0; i < count; i++) {
        if (i) gg_buf_puts(out, ", ");
        gg_pg_quote_literal(out, column_name(cols[i]));
    }
    gg_buf_puts(out, "]::text[]) WITH ORDINALITY AS u(name, n) JOIN pg_attribute a ON a.attrelid = ");
    gg_pg_quote_literal(out, quoted_table);
    gg_buf_puts(out, "::regclass AND a.attname = u.name ORDER BY u.n)");
}

/* FOREIGN KEY from (from_cols) REFERENCES to (its primary key), when no constraint has its name
 * and no foreign key of another name already makes the same reference (a table graphgate did not
 * make names its own: Rails' fk_rails_..., with its own ON DELETE, which a second constraint
 * would override: a RESTRICT twin of a CASCADE makes every delete of a parent fail). */
static void write_foreign_key(script *s, const gg_pg_model *from, const gg_pg_column *const *from_cols,
                              const gg_pg_model *to, unsigned count)
{
    const char *name = ident_name(
        s->arena, gg_arena_printf(s->arena, "%s_%s_fkey", storage_name(from), joined_names(s, from_cols, count)));
    if (!first_time(s, name)) return; /* the other side of the same relation */
    const char *obstacle = key_obstacle(s, from, from_cols, to, count);
    if (obstacle) {
        gg_buf_printf(s->out, "-- no foreign key %s: %s\n", name, obstacle);
        return;
    }
    gg_buf body;
    gg_buf_init(&body);
    gg_buf_puts(&body, " BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ");
    gg_pg_quote_literal(&body, from->quoted_table);
    gg_buf_puts(&body, "::regclass AND conname = ");
    gg_pg_quote_literal(&body, name);
    gg_buf_puts(&body, ")\n    AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND conrelid = ");
    gg_pg_quote_literal(&body, from->quoted_table);
    gg_buf_puts(&body, "::regclass AND confrelid = ");
    gg_pg_quote_literal(&body, to->quoted_table);
    gg_buf_puts(&body, "::regclass\n      AND conkey = ");
    write_attnums(&body, from->quoted_table, from_cols, count);
    gg_buf_puts(&body, "\n      AND confkey = ");
    write_attnums(&body, to->quoted_table, to->key, count);
    gg_buf_printf(&body, ") THEN\n    ALTER TABLE %s ADD CONSTRAINT ", from->quoted_table);
    gg_pg_quote_ident(&body, name);
    gg_buf_puts(&body, " FOREIGN KEY ");
    write_column_list(&body, from_cols, count);
    gg_buf_printf(&body, " REFERENCES %s ", to->quoted_table);
    write_column_list(&body, to->key, count);
    gg_buf_printf(&body, " ON DELETE %s NOT VALID;\n  END IF;\nEND ", on_delete(from, from_cols, count));
    if (strstr(body.data, DO_TAG))
        gg_buf_printf(s->out, "-- no foreign key %s: a name holds %s\n", name, DO_TAG);
    else
        gg_buf_printf(s->out, "DO %s%s%s;\n", DO_TAG, body.data, DO_TAG);
    gg_buf_free(&body);
}

/* The side holding a reference to the other's whole primary key gets an index (when the relation
 * names exactly those columns) and, with foreign_keys, the constraint. @hasMany(fields:) may name
 * more remote fields than local ones (an index prefix): the first local_count pair up. */
static void write_relation(script *s, const gg_pg_model *pm, const gg_amplify_relation *r)
{
    gg_pg_reference ref;
    if (!gg_pg_relation_reference(s->arena, s->models, pm, r, &ref)) return;
    if (is_view(s, ref.from) || is_view(s, ref.to)) return; /* nothing can be added to a view */
    if (!ref.prefix) write_reference_index(s, ref.from, ref.from_cols, ref.count);
    if (s->foreign_keys) write_foreign_key(s, ref.from, ref.from_cols, ref.to, ref.count);
}

static void write_relations(script *s)
{
    if (s->foreign_keys)
        gg_buf_puts(s->out, "-- foreign keys: added NOT VALID when missing (rows already there are not checked, new "
                            "writes are); ON DELETE SET NULL for a nullable reference, CASCADE for @manyToMany join "
                            "rows, RESTRICT for a required reference\n");
    else
        gg_buf_puts(s->out, "-- database.foreign_keys is false: no foreign keys are created (existing ones are left "
                            "alone)\n");
    for (unsigned i = 0; i < s->models->count; i++) {
        const gg_pg_model *pm = &s->models->models[i];
        for (unsigned f = 0; f < pm->model->field_count; f++)
            if (pm->model->fields[f].relation) write_relation(s, pm, pm->model->fields[f].relation);
    }
}

/* The name of graphgate_meta: in database.schema when there is one. */
static const char *meta_table(gg_arena *arena, const char *schema)
{
    return schema == NULL || schema[0] == '\0' ? "graphgate_meta" : gg_pg_table_sql(arena, schema, "graphgate_meta");
}

/* CREATE TABLE IF NOT EXISTS graphgate_meta ... */
static const char *meta_table_ddl(gg_arena *arena, const char *schema)
{
    return gg_arena_printf(arena, "CREATE TABLE IF NOT EXISTS %s (key text PRIMARY KEY, value text NOT NULL)",
                           meta_table(arena, schema));
}

/* database.schema when missing. Not CREATE SCHEMA IF NOT EXISTS: that needs the CREATE privilege
 * on the database even when the schema exists, which the owner of a schema may well not have. */
static void write_schema(script *s)
{
    if (s->schema == NULL) return;
    gg_buf body;
    gg_buf_init(&body);
    gg_buf_puts(&body, " BEGIN\n  IF to_regnamespace(");
    gg_buf quoted;
    gg_buf_init(&quoted);
    gg_pg_quote_ident(&quoted, s->schema);
    gg_pg_quote_literal(&body, quoted.data);
    gg_buf_printf(&body, ") IS NULL THEN\n    CREATE SCHEMA %s;\n  END IF;\nEND ", quoted.data);
    if (strstr(body.data, DO_TAG))
        gg_buf_printf(s->out, "-- schema %s is not created here: its name holds %s\n", quoted.data, DO_TAG);
    else
        gg_buf_printf(s->out, "DO %s%s%s;\n", DO_TAG, body.data, DO_TAG);
    gg_buf_free(&quoted);
    gg_buf_free(&body);
}

/* The tables and their columns. */
static void write_tables(script *s)
{
    write_schema(s);
    if (!s->no_meta) gg_buf_printf(s->out, "%s;\n", meta_table_ddl(s->arena, s->schema));
    for (unsigned i = 0; i < s->models->count; i++)
        if (!is_view(s, &s->models->models[i])) write_table(s, &s->models->models[i]);
    if (gg_pg_models_synced(s->models)) gg_pg_datastore_migrate_log(s->out, s->models);
}

/* The indexes and foreign keys. */
static void write_keys(script *s)
{
    for (unsigned i = 0; i < s->models->count; i++) {
        const gg_pg_model *pm = &s->models->models[i];
        if (is_view(s, pm)) continue;
        write_indexes(s, pm);
        write_auth_indexes(s, pm);
        if (pm->model->sync) /* DataStore: the purge's index; the old _lastChangedAt one dropped */
            gg_pg_datastore_migrate_indexes(
                s->out, pm, ident_name(s->arena, gg_arena_printf(s->arena, "%s__ttl", storage_name(pm))),
                ident_name(s->arena, gg_arena_printf(s->arena, "%s__lastChangedAt", storage_name(pm))));
    }
    write_relations(s);
}

static void script_init(script *s, gg_arena *arena, const gg_amplify_catalog *catalog, bool foreign_keys, gg_buf *out)
{
    *s = (script){.out = out,
                  .arena = arena,
                  .models = gg_pg_models_build(arena, catalog),
                  .schema = catalog->database_schema,
                  .foreign_keys = foreign_keys};
    gg_strmap_init(&s->done, arena);
    gg_strmap_init(&s->kept_type, arena);
    gg_strmap_init(&s->views, arena);
    gg_strmap_init(&s->index_names, arena);
    gg_strmap_init(&s->index_heads, arena);
}

void gg_pg_migrate_sql(const gg_amplify_catalog *catalog, gg_buf *out)
{
    gg_arena arena;
    gg_arena_init(&arena);
    script s;
    script_init(&s, &arena, catalog, true, out);
    write_tables(&s);
    write_keys(&s);
    gg_arena_free(&arena);
}

/* ---- column types ---- */

static bool is_one_of(const char *type, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(type, *names) == 0) return true;
    return false;
}

gg_pg_conversion gg_pg_migrate_conversion(const char *from, const char *to)
{
    static const char *const small_ints[] = {"smallint", "integer", NULL};
    static const char *const wider_numbers[] = {"integer", "bigint", "double precision", NULL};
    static const char *const strings[] = {"text", "character varying", "character", NULL};
    static const char *const parsed[] = {"integer", "bigint", "double precision", "boolean", "jsonb", NULL};
    static const char *const checked[] = {"timestamp with time zone", "date", "time without time zone", NULL};
    static const char *const json_lists[] = {"jsonb", "json", "text", NULL};
    size_t to_len = strlen(to);
    if (strcmp(from, to) == 0) return GG_PG_CONVERT_NONE;
    if (is_one_of(from, strings) && is_one_of(to, checked)) return GG_PG_CONVERT_CHECK;
    if (is_one_of(from, json_lists) && to_len > 2 && strcmp(to + to_len - 2, "[]") == 0) return GG_PG_CONVERT_LIST;
    if (strcmp(to, "text") == 0) return GG_PG_CONVERT_WIDEN; /* every type has an exact text form */
    if (is_one_of(from, small_ints) && is_one_of(to, wider_numbers)) return GG_PG_CONVERT_WIDEN;
    if (strcmp(from, "real") == 0 && strcmp(to, "double precision") == 0) return GG_PG_CONVERT_WIDEN;
    if (is_one_of(from, strings) && is_one_of(to, parsed)) return GG_PG_CONVERT_PARSE;
    return GG_PG_CONVERT_REFUSED; /* bigint -> double precision included: not exact above 2^53 */
}

/* One column whose type differs from the schema's. */
typedef struct type_change {
    const gg_pg_model *pm;
    const gg_pg_column *column;
    const char *from;         /* PostgreSQL's type, without modifiers */
    const char *from_display; /* with them: character varying(20) */
    gg_pg_conversion conversion;
    struct type_change *next;
} type_change;

typedef struct type_survey {
    type_change *changes, **tail; /* in catalog order */
    gg_buf notes;                 /* the columns no longer in the schema */
    unsigned unused;
} type_survey;

/* A JSON list's items as text[], in order (a transform expression cannot hold the subquery) */
#define LIST_ITEMS_FUNCTION                                                                                            \
    "CREATE OR REPLACE FUNCTION pg_temp.graphgate_list_items(jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS " DO_TAG  \
    " SELECT CASE WHEN $1 IS NULL THEN NULL ELSE ARRAY(SELECT i.v FROM jsonb_array_elements_text($1) WITH "            \
    "ORDINALITY AS i(v, n) ORDER BY i.n) END " DO_TAG ";\n"

static void write_alter(gg_arena *arena, gg_buf *out, const type_change *c)
{
    const char *type = column_type(arena, c->column);
    if (c->conversion == GG_PG_CONVERT_LIST)
        gg_buf_printf(out,
                      "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING pg_temp.graphgate_list_items(%s::jsonb)::%s;\n",
                      c->pm->quoted_table, c->column->quoted, type, c->column->quoted, type);
    else
        gg_buf_printf(out, "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::%s;\n", c->pm->quoted_table,
                      c->column->quoted, type, c->column->quoted, type);
}

static const gg_pg_column *column_named(const gg_pg_model *pm, const char *name)
{
    for (unsigned i = 0; i < pm->model->field_count; i++)
        if (pm->columns[i].field && strcmp(column_name(&pm->columns[i]), name) == 0) return &pm->columns[i];
    return pm->ttl && strcmp(name, "_ttl") == 0 ? pm->ttl : NULL; /* DataStore's column without a field */
}

/* Compares the columns of pm's table (none when it does not exist yet) with the schema's. */
static bool survey_table(PGconn *conn, gg_arena *arena, const gg_pg_model *pm, type_survey *t, gg_fault *fault)
{
    const char *values[1] = {pm->quoted_table};
    PGresult *r = PQexecParams(conn,
                               "SELECT a.attname, format_type(a.atttypid, NULL), format_type(a.atttypid, a.atttypmod) "
                               "FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT "
                               "a.attisdropped ORDER BY a.attnum",
                               1, NULL, values, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) gg_fault_set(fault, NULL, "cannot read the columns of %s: %s", pm->quoted_table, PQerrorMessage(conn));
    unsigned unused_here = 0;
    for (int row = 0; ok && row < PQntuples(r); row++) {
        const char *name = PQgetvalue(r, row, 0);
        const gg_pg_column *c = column_named(pm, name);
        if (c == NULL) {
            gg_buf_puts(&t->notes, unused_here++ ? ", " : "");
            gg_pg_quote_ident(&t->notes, name);
            t->unused++;
            continue;
        }
        gg_pg_conversion conv = gg_pg_migrate_conversion(PQgetvalue(r, row, 1), c->storage_type);
        if (conv == GG_PG_CONVERT_NONE) continue;
        /* a type of its own that holds the field (column_types.h) stays, except graphgate's text of
         * before for the date and time scalars, converted when its values allow, and a whole-number
         * column of a Float field, widened: it holds only whole values (start-up accepts it for
         * init's bigint columns, which do not widen losslessly), and a field changed from Int to
         * Float is changed to take fractions */
        static const char *const whole_numbers[] = {"smallint", "integer", NULL};
        bool widen_to_float = conv == GG_PG_CONVERT_WIDEN && strcmp(c->storage_type, "double precision") == 0 &&
                              is_one_of(PQgetvalue(r, row, 1), whole_numbers);
        if (strcmp(c->sql_type, c->storage_type) != 0 && conv != GG_PG_CONVERT_CHECK && conv != GG_PG_CONVERT_LIST &&
            !widen_to_float)
            continue;
        type_change *change = gg_arena_alloc(arena, sizeof *change);
        *change = (type_change){.pm = pm,
                                .column = c,
                                .from = gg_arena_strdup(arena, PQgetvalue(r, row, 1)),
                                .from_display = gg_arena_strdup(arena, PQgetvalue(r, row, 2)),
                                .conversion = conv};
        *t->tail = change;
        t->tail = &change->next;
    }
    PQclear(r);
    return ok;
}

/* notes: "note: "Post" keeps columns no longer in the schema ...: "a", "b"\n" per table. */
static bool survey_types(PGconn *conn, gg_arena *arena, gg_pg_models *models, const gg_strmap *views, type_survey *t,
                         gg_fault *fault)
{
    /* a column of a type of its own that holds its field is left as it is (column_types.h); the
     * others are reported at start-up, and converted here as before */
    gg_buf ignored;
    gg_buf_init(&ignored);
    gg_pg_read_column_types(conn, models, &ignored);
    gg_buf_free(&ignored);
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        if (views != NULL && gg_strmap_gets(views, pm->quoted_table) != NULL) continue; /* find_views */
        size_t mark = t->notes.len;
        gg_buf_printf(&t->notes, "note: table %s keeps columns no longer in the schema (migrate never drops data): ",
                      pm->quoted_table);
        size_t start = t->notes.len;
        if (!survey_table(conn, arena, pm, t, fault)) return false;
        if (t->notes.len == start) {
            t->notes.len = mark; /* none: take the heading back */
            t->notes.data[mark] = '\0';
        } else {
            gg_buf_putc(&t->notes, '\n');
        }
    }
    return true;
}

static const char *refusal_reason(const type_change *c)
{
    if (strcmp(c->from, "bigint") == 0 && strcmp(c->column->storage_type, "double precision") == 0)
        return "values above 2^53 would lose precision";
    return "values could be lost or changed";
}

static void survey_init(type_survey *t)
{
    *t = (type_survey){0};
    t->tail = &t->changes;
    gg_buf_init(&t->notes);
}

/* The model field of a change, for messages: Post.rating. */
static const char *field_label(gg_arena *arena, const type_change *c)
{
    return gg_arena_printf(arena, "%s.%s", c->pm->model->name, c->column->field->name);
}

unsigned gg_pg_migrate_type_warnings(PGconn *conn, const gg_amplify_catalog *catalog, gg_buf *messages)
{
    gg_arena arena;
    gg_arena_init(&arena);
    type_survey t;
    survey_init(&t);
    char error[256];
    unsigned count = 0;
    if (survey_types(conn, &arena, gg_pg_models_build(&arena, catalog), NULL, &t, GG_FAULT_INTO(error))) {
        for (const type_change *c = t.changes; c; c = c->next, count++) {
            gg_buf_printf(messages, "warning: column %s.%s is %s but %s needs %s: ", c->pm->quoted_table,
                          c->column->quoted, c->from_display, field_label(&arena, c), c->column->storage_type);
            if (c->conversion == GG_PG_CONVERT_WIDEN)
                gg_buf_puts(messages, "run graphgate migrate to convert it (every value converts)\n");
            else if (c->conversion == GG_PG_CONVERT_LIST)
                gg_buf_puts(messages, "run graphgate migrate to convert it (it converts when every value is a list "
                                      "whose items read back the same)\n");
            else if (c->conversion == GG_PG_CONVERT_CHECK)
                gg_buf_puts(messages, "run graphgate migrate to convert it (it converts when every value reads back "
                                      "the same)\n");
            else if (c->conversion == GG_PG_CONVERT_PARSE)
                gg_buf_puts(messages, "run graphgate migrate to convert it (it changes nothing when a value does "
                                      "not convert)\n");
            else {
                gg_buf_printf(messages,
                              "graphgate migrate does not convert it (%s); to convert it anyway: ", refusal_reason(c));
                write_alter(&arena, messages, c);
            }
        }
    }
    gg_buf_free(&t.notes);
    gg_arena_free(&arena);
    return count;
}

/* ---- running ---- */

static bool run(PGconn *conn, const char *sql, int count, const char *const *values, gg_fault *fault)
{
    PGresult *r = count ? PQexecParams(conn, sql, count, NULL, values, NULL, NULL, 0) : PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY; /* only comments */
    if (!ok) gg_fault_set(fault, NULL, "%s", PQerrorMessage(conn));
    PQclear(r);
    return ok;
}

/* Creates the meta table and the secret when absent (inside the caller's transaction or alone). */
static bool ensure_secret(PGconn *conn, const char *schema, gg_fault *fault)
{
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) {
        gg_fault_set(fault, NULL, "cannot generate a random cursor secret");
        return false;
    }
    char hex[2 * sizeof random + 1];
    for (size_t i = 0; i < sizeof random; i++)
        snprintf(hex + 2 * i, 3, "%02x", random[i]);
    const char *values[1] = {hex};
    gg_arena arena;
    gg_arena_init(&arena);
    bool ok = run(conn, meta_table_ddl(&arena, schema), 0, NULL, fault) &&
              run(conn,
                  gg_arena_printf(&arena,
                                  "INSERT INTO %s (key, value) VALUES ('cursor_secret', $1) ON CONFLICT (key) DO "
                                  "NOTHING",
                                  meta_table(&arena, schema)),
                  1, values, fault);
    gg_arena_free(&arena);
    return ok;
}

/* Runs one conversion; on failure the message names the column, both types and PostgreSQL's reason. */
static bool run_alter(PGconn *conn, gg_arena *arena, const type_change *c, gg_fault *fault)
{
    gg_buf sql;
    gg_buf_init(&sql);
    write_alter(arena, &sql, c);
    PGresult *r = PQexec(conn, sql.data);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        const char *reason = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        gg_fault_set(fault, NULL, "cannot convert column %s.%s from %s to %s: %s", c->pm->quoted_table,
                     c->column->quoted, c->from_display, c->column->storage_type,
                     reason ? reason : PQerrorMessage(conn));
    }
    PQclear(r);
    gg_buf_free(&sql);
    return ok;
}

/* The text forms a checked conversion keeps (GG_PG_CONVERT_CHECK), and how a value is known to read
 * back the same: it has the form of the scalar, PostgreSQL reads it, and the text graphgate writes
 * out for the converted value (pg_model.h: UTC, milliseconds) reads as the same value. An offset
 * of an AWSDateTime is normalised to UTC (the same instant, which is kept); the digits after the
 * milliseconds, the offset of an AWSTime (time has none) and PostgreSQL's other forms ('now',
 * 'today', '12/06/2026') are not kept, so such a value keeps the whole column as text. */
typedef struct checked_type {
    const char *type;
    const char *pattern; /* a POSIX regular expression for the value's form */
    const char *same;    /* SQL, "%s" the value twice: true when it reads back the same */
    const char *form;    /* for messages */
} checked_type;

static const checked_type CHECKED_TYPES[] = {
    {"timestamp with time zone",
     "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2})?)$",
     "to_char((%s)::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')::timestamptz = "
     "(%s)::timestamptz",
     "an AWSDateTime with a zone and at most 3 decimals (2026-12-06T11:24:12.849Z)"},
    {"date", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "to_char((%s)::date, 'YYYY-MM-DD') = (%s)",
     "an AWSDate without a zone (2026-12-06)"},
    {"time without time zone", "^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$",
     "to_char((%s)::time, 'HH24:MI:SS.MS')::time = (%s)::time",
     "an AWSTime without a zone and at most 3 decimals (11:24:12.849)"},
};

static const char *first_obstacle(PGconn *conn, gg_arena *arena, gg_buf *query, const char *form);

/* NULL when every value of the column of c reads back the same once converted, else why not
 * (naming a value), in arena. Inside a transaction a savepoint keeps a failed check from ending it. */
static const char *conversion_obstacle(PGconn *conn, gg_arena *arena, const type_change *c)
{
    const checked_type *t = NULL;
    for (size_t i = 0; i < sizeof CHECKED_TYPES / sizeof CHECKED_TYPES[0]; i++)
        if (strcmp(CHECKED_TYPES[i].type, c->column->storage_type) == 0) t = &CHECKED_TYPES[i];
    if (t == NULL) return "no check for this type";
    const char *col = c->column->quoted;
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_printf(&sql, "SELECT %s FROM %s WHERE %s IS NOT NULL AND NOT CASE WHEN %s ~ ", col, c->pm->quoted_table, col,
                  col);
    gg_pg_quote_literal(&sql, t->pattern);
    gg_buf_puts(&sql, " THEN ");
    gg_buf_printf(&sql, t->same, col, col);
    gg_buf_puts(&sql, " ELSE false END LIMIT 1");
    return first_obstacle(conn, arena, &sql, t->form);
}

/* The same for a list column (GG_PG_CONVERT_LIST): every value a JSON list, each item null or of the
 * element type's JSON type, an integer within the type's range, a date or time read back the same. */
static const char *list_obstacle(PGconn *conn, gg_arena *arena, const type_change *c)
{
    /* the storage type's element type (a JSON list column read from the database has no item_type) */
    const char *storage = c->column->storage_type;
    const char *item = gg_arena_strndup(arena, storage, strlen(storage) - 2);
    const char *json_type = "string", *form = "a JSON list of strings", *extra = NULL;
    const checked_type *t = NULL;
    for (size_t i = 0; i < sizeof CHECKED_TYPES / sizeof CHECKED_TYPES[0]; i++)
        if (strcmp(CHECKED_TYPES[i].type, item) == 0) t = &CHECKED_TYPES[i];
    if (strcmp(item, "integer") == 0 || strcmp(item, "bigint") == 0) {
        bool integer = strcmp(item, "integer") == 0; /* literals: gcc -O2 with sanitizers saw a NULL %s here */
        json_type = "number";
        form = integer ? "a JSON list of whole numbers within integer" : "a JSON list of whole numbers within bigint";
        extra = integer
                    ? "i.v #>> '{}' ~ '^-?[0-9]{1,19}$' AND (i.v #>> '{}')::numeric BETWEEN -2147483648 AND 2147483647"
                    : "i.v #>> '{}' ~ '^-?[0-9]{1,19}$' AND (i.v #>> '{}')::numeric BETWEEN -9223372036854775808 AND "
                      "9223372036854775807";
    } else if (strcmp(item, "double precision") == 0) {
        json_type = "number";
        form = "a JSON list of numbers";
    } else if (strcmp(item, "boolean") == 0) {
        json_type = "boolean";
        form = "a JSON list of booleans";
    } else if (t != NULL) {
        form = gg_arena_printf(arena, "a JSON list of %s", t->form);
    } else if (strcmp(item, "text") != 0) {
        return "no check for this type";
    }
    const char *col = c->column->quoted;
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_printf(&sql,
                  "SELECT %s FROM %s WHERE %s IS NOT NULL AND NOT CASE WHEN jsonb_typeof(%s::jsonb) = 'array' THEN NOT "
                  "EXISTS (SELECT FROM jsonb_array_elements(%s::jsonb) AS i(v) WHERE jsonb_typeof(i.v) <> 'null' AND "
                  "NOT CASE WHEN jsonb_typeof(i.v) = '%s' THEN ",
                  col, c->pm->quoted_table, col, col, col, json_type);
    if (extra != NULL) {
        gg_buf_puts(&sql, extra);
    } else if (t == NULL) {
        gg_buf_puts(&sql, "true");
    } else { /* the pattern as a literal, the value twice */
        gg_buf_puts(&sql, "CASE WHEN i.v #>> '{}' ~ ");
        gg_pg_quote_literal(&sql, t->pattern);
        gg_buf_puts(&sql, " THEN ");
        gg_buf_printf(&sql, t->same, "i.v #>> '{}'", "i.v #>> '{}'");
        gg_buf_puts(&sql, " ELSE false END");
    }
    gg_buf_puts(&sql, " ELSE false END) ELSE false END LIMIT 1");
    return first_obstacle(conn, arena, &sql, form);
}

/* Runs sql (it selects the first value that keeps the column as it is; it is freed here): NULL
 * when none, else why (naming the value), for values of the given form. */
static const char *first_obstacle(PGconn *conn, gg_arena *arena, gg_buf *query, const char *form)
{
    bool in_transaction = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    if (in_transaction) PQclear(PQexec(conn, "SAVEPOINT graphgate_check"));
    PGresult *r = PQexec(conn, query->data);
    gg_buf_free(query);
    const char *obstacle = NULL;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        const char *reason = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        obstacle = gg_arena_printf(arena, "a value is not %s: %s", form, reason ? reason : PQerrorMessage(conn));
        if (in_transaction) PQclear(PQexec(conn, "ROLLBACK TO SAVEPOINT graphgate_check"));
    } else if (PQntuples(r) > 0) {
        gg_buf value;
        gg_buf_init(&value);
        gg_pg_quote_literal(&value, PQgetvalue(r, 0, 0));
        if (value.len > 80) { /* a long value is cut for the message */
            value.len = 76;
            while (value.len > 0 && ((unsigned char)value.data[value.len] & 0xC0) == 0x80)
                value.len--;
            value.data[value.len] = '\0';
            gg_buf_puts(&value, "...'");
        }
        obstacle = gg_arena_printf(arena, "the value %s is not %s", value.data, form);
        gg_buf_free(&value);
    }
    PQclear(r);
    if (in_transaction && obstacle == NULL) PQclear(PQexec(conn, "RELEASE SAVEPOINT graphgate_check"));
    return obstacle;
}

/* Appends the conversions to s->out (and runs them unless dry_run); the refused ones become
 * warnings and kept_type entries. */
static bool apply_types(PGconn *conn, script *s, const type_survey *t, bool dry_run, gg_buf *messages,
                        gg_pg_migrate_report *report, gg_fault *fault)
{
    bool heading = false, lists = false;
    for (const type_change *c = t->changes; c; c = c->next) {
        const char *obstacle = c->conversion == GG_PG_CONVERT_CHECK  ? conversion_obstacle(conn, s->arena, c)
                               : c->conversion == GG_PG_CONVERT_LIST ? list_obstacle(conn, s->arena, c)
                                                                     : NULL;
        if (obstacle != NULL) { /* left as it is: reads and writes keep working on it (column_types.h) */
            report->refused++;
            const char *key = gg_arena_printf(s->arena, "%s.%s", c->pm->quoted_table, c->column->quoted);
            gg_strmap_put(&s->kept_type, key, strlen(key), (void *)key);
            if (messages)
                gg_buf_printf(messages,
                              "warning: column %s.%s stays %s (%s would be %s): not converted, %s; correct or clear "
                              "such values and run graphgate migrate again\n",
                              c->pm->quoted_table, c->column->quoted, c->from_display, field_label(s->arena, c),
                              c->column->storage_type, obstacle);
            continue;
        }
        if (c->conversion == GG_PG_CONVERT_REFUSED) {
            report->refused++;
            const char *key = gg_arena_printf(s->arena, "%s.%s", c->pm->quoted_table, c->column->quoted);
            gg_strmap_put(&s->kept_type, key, strlen(key), (void *)key);
            if (messages) {
                gg_buf_printf(messages,
                              "warning: column %s.%s is %s but %s needs %s: not converted (%s); to convert it "
                              "anyway: ",
                              c->pm->quoted_table, c->column->quoted, c->from_display, field_label(s->arena, c),
                              c->column->storage_type, refusal_reason(c));
                write_alter(s->arena, messages, c);
            }
            continue;
        }
        if (!heading)
            gg_buf_puts(s->out, "-- column types the schema changed (a value that does not convert fails the "
                                "migration)\n");
        heading = true;
        if (c->conversion == GG_PG_CONVERT_LIST && !lists) { /* the function its USING calls, once */
            lists = true;
            gg_buf_puts(s->out, LIST_ITEMS_FUNCTION);
            if (!dry_run && !run(conn, LIST_ITEMS_FUNCTION, 0, NULL, fault)) return false;
        }
        write_alter(s->arena, s->out, c);
        report->converted++;
        if (!dry_run && !run_alter(conn, s->arena, c, fault)) return false;
    }
    return true;
}

/* Notes in s->views the models whose table is a view or materialized view (init --from-database
 * serves them as read-only models): no table, column, index or foreign key can be added to one, and
 * migrate leaves it as it is, with a note, rather than failing the whole migration. */
static bool find_views(PGconn *conn, script *s, gg_buf *messages, gg_fault *fault)
{
    for (unsigned i = 0; i < s->models->count; i++) {
        const gg_pg_model *pm = &s->models->models[i];
        const char *values[1] = {pm->quoted_table};
        PGresult *r = PQexecParams(conn, "SELECT relkind IN ('v', 'm') FROM pg_class WHERE oid = to_regclass($1)", 1,
                                   NULL, values, NULL, NULL, 0);
        bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
        if (!ok) gg_fault_set(fault, NULL, "cannot read the kind of %s: %s", pm->quoted_table, PQerrorMessage(conn));
        bool view = ok && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (!ok) return false;
        if (!view) continue;
        gg_strmap_put(&s->views, pm->quoted_table, strlen(pm->quoted_table), (void *)pm);
        if (messages)
            gg_buf_printf(messages, "note: model %s: %s is a view in the database: left as it is\n", pm->model->name,
                          pm->quoted_table);
    }
    return true;
}

/* Notes in s->index_names and s->index_heads the btree indexes the database has on the models'
 * tables (key columns only: no partial or expression index, no INCLUDE columns). */
static bool find_indexes(PGconn *conn, script *s, gg_fault *fault)
{
    static const char sql[] =
        "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = c.relam CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = to_regclass($1) AND am.amname = 'btree' AND i.indpred IS NULL AND i.indexprs IS NULL "
        "AND k.n <= i.indnkeyatts ORDER BY c.relname, k.n";
    for (unsigned i = 0; i < s->models->count; i++) {
        const gg_pg_model *pm = &s->models->models[i];
        const char *values[1] = {pm->quoted_table};
        PGresult *r = PQexecParams(conn, sql, 1, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            gg_fault_set(fault, NULL, "cannot read the indexes of %s: %s", pm->quoted_table, PQerrorMessage(conn));
            PQclear(r);
            return false;
        }
        gg_buf head;
        gg_buf_init(&head);
        const char *index = NULL;
        for (int row = 0; row < PQntuples(r); row++) {
            if (index == NULL || strcmp(index, PQgetvalue(r, row, 0)) != 0) { /* the next index */
                index = gg_arena_strdup(s->arena, PQgetvalue(r, row, 0));
                gg_strmap_put(&s->index_names, index, strlen(index), (void *)index);
                gg_buf_free(&head);
                gg_buf_init(&head);
                gg_buf_puts(&head, pm->quoted_table);
            }
            gg_buf_putc(&head, '\x1f');
            gg_buf_puts(&head, PQgetvalue(r, row, 1));
            const char *key = gg_arena_strndup(s->arena, head.data, head.len);
            gg_strmap_put_new(&s->index_heads, key, head.len, (void *)index);
        }
        gg_buf_free(&head);
        PQclear(r);
    }
    return true;
}

/* The migration inside its transaction (conn) or printed (dry_run). */
static bool migrate_with_database(PGconn *conn, script *s, bool dry_run, gg_buf *messages, gg_pg_migrate_report *report,
                                  gg_fault *fault)
{
    type_survey t;
    survey_init(&t);
    s->notes = messages;
    bool ok = find_views(conn, s, messages, fault) && find_indexes(conn, s, fault) &&
              survey_types(conn, s->arena, s->models, &s->views, &t, fault);
    if (ok && messages) gg_buf_append(messages, t.notes.data, t.notes.len);
    report->unused = t.unused;
    size_t start = s->out->len;
    write_tables(s);
    if (ok && !dry_run) ok = run(conn, s->out->data + start, 0, NULL, fault);
    ok = ok && apply_types(conn, s, &t, dry_run, messages, report, fault);
    start = s->out->len;
    write_keys(s);
    if (ok && !dry_run)
        ok = run(conn, s->out->data + start, 0, NULL, fault) && (s->no_meta || ensure_secret(conn, s->schema, fault));
    gg_buf_free(&t.notes);
    return ok;
}

bool gg_pg_migrate_run(PGconn *conn, const gg_amplify_catalog *catalog, const gg_pg_migrate_options *opts, gg_buf *out,
                       gg_buf *messages, gg_pg_migrate_report *report, gg_fault *fault)
{
    gg_pg_migrate_report none;
    if (report == NULL) report = &none;
    *report = (gg_pg_migrate_report){0};
    gg_arena arena;
    gg_arena_init(&arena);
    gg_buf sql;
    gg_buf_init(&sql);
    script s;
    script_init(&s, &arena, catalog, opts->foreign_keys, &sql);
    s.no_meta = opts->own_secret;
    bool ok = true;
    if (conn == NULL) { /* a dry run without a database */
        write_tables(&s);
        gg_buf_puts(&sql, "-- column types are not compared: that needs the database (a reachable database_url)\n");
        write_keys(&s);
        ok = opts->dry_run;
        if (!ok) gg_fault_set(fault, NULL, "no database connection");
    } else if (opts->dry_run) {
        ok = migrate_with_database(conn, &s, true, messages, report, fault);
    } else {
        ok = run(conn, "BEGIN", 0, NULL, fault) &&
             run(conn, "SET LOCAL client_min_messages TO warning", 0, NULL, fault) &&
             run(conn, "SELECT pg_advisory_xact_lock(7146820394105)", 0, NULL, fault) &&
             migrate_with_database(conn, &s, false, messages, report, fault) && run(conn, "COMMIT", 0, NULL, fault);
        if (!ok) {
            PGresult *r = PQexec(conn, "ROLLBACK");
            PQclear(r);
        }
    }
    if (out && sql.data) gg_buf_append(out, sql.data, sql.len);
    gg_buf_free(&sql);
    gg_arena_free(&arena);
    return ok;
}

bool gg_pg_migrate(PGconn *conn, const gg_amplify_catalog *catalog, bool dry_run, gg_buf *out, gg_fault *fault)
{
    gg_pg_migrate_options opts = {.dry_run = dry_run, .foreign_keys = true};
    return gg_pg_migrate_run(conn, catalog, &opts, out, NULL, NULL, fault);
}

/* The query that reads the secret from graphgate_meta, in arena. */
static const char *secret_sql(gg_arena *arena, const char *schema)
{
    return gg_arena_printf(arena, "SELECT value FROM %s WHERE key = 'cursor_secret'", meta_table(arena, schema));
}

void gg_pg_cursor_secret_prefetch(const char *schema)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_startup_prefetch(secret_sql(&arena, schema));
    gg_arena_free(&arena);
}

/* The secret from graphgate_meta in one read-only round trip (none when start-up's first query
 * brought it: gg_pg_cursor_secret_prefetch); false when the table or the row is not there yet (or
 * the read failed: the caller's transaction then says why). */
static bool read_secret(PGconn *conn, const char *schema, gg_cursor_key *key)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const char *sql = secret_sql(&arena, schema);
    PGresult *r = gg_pg_startup_prefetched(conn, sql);
    if (r == NULL) r = PQexec(conn, sql);
    gg_arena_free(&arena);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok) gg_cursor_key_init(key, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
    PQclear(r);
    return ok;
}

bool gg_pg_load_cursor_key(PGconn *conn, const char *schema, gg_cursor_key *key, gg_fault *fault)
{
    /* every start but the first finds the secret: one read, no transaction (start-up time) */
    if (read_secret(conn, schema, key)) return true;
    /* start-up's connection is the first pool's, with its statement_timeout: the first start's DDL may
     * wait for a `graphgate migrate` running meanwhile, as it would on a connection of its own */
    if (!run(conn, "BEGIN", 0, NULL, fault) || !run(conn, "SET LOCAL client_min_messages TO warning", 0, NULL, fault) ||
        !run(conn, "SET LOCAL statement_timeout TO 0", 0, NULL, fault) || !ensure_secret(conn, schema, fault) ||
        !run(conn, "COMMIT", 0, NULL, fault)) {
        PGresult *rb = PQexec(conn, "ROLLBACK");
        PQclear(rb);
        return false;
    }
    if (read_secret(conn, schema, key)) return true;
    gg_fault_set(fault, NULL, "cannot read the cursor secret: %s", PQerrorMessage(conn));
    return false;
}
