/* column_types.c: the real type of every mapped column, from pg_attribute and pg_type; see
 * column_types.h.
 *
 * One catalog query for all the tables (a round trip each would add up at start-up: the
 * first queries of a new backend are its slowest, its catalog caches still empty). A type is sorted into a few classes
 * by its base type's name (a domain is classified by its base type but keeps its own name for casts, so its constraints
 * still apply); the class and the field decide whether the column can hold the field and how its
 * values are written out. Casts use the type without its modifier (varchar, not varchar(20)):
 * an explicit cast to varchar(20) would cut a long value silently, while the column's own
 * assignment check refuses it (and char, without its length, is char(1): bpchar is written instead). */
#include "column_types.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "connect.h"

typedef enum type_class {
    CLASS_TEXT,        /* text varchar bpchar citext name: strings themselves */
    CLASS_STRINGISH,   /* other types with a text form (uuid inet interval ...): String and ID fields */
    CLASS_INTEGER,     /* int2 int4 */
    CLASS_BIGINT,      /* int8 */
    CLASS_DECIMAL,     /* numeric float4 float8 */
    CLASS_BOOLEAN,     /* bool */
    CLASS_TIMESTAMPTZ, /* timestamptz */
    CLASS_TIMESTAMP,   /* timestamp */
    CLASS_DATE,        /* date */
    CLASS_TIME,        /* time */
    CLASS_TIMETZ,      /* timetz */
    CLASS_JSON,        /* json jsonb */
    CLASS_ENUM,        /* a PostgreSQL enum */
    CLASS_OTHER,       /* anything else (bytea, geometric types, composite, ranges ...) */
} type_class;

static bool is_any(const char *name, const char *const *names)
{
    for (unsigned i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0) return true;
    return false;
}

/* The class of a base type (typname, typtype). */
static type_class classify(const char *name, const char *typtype)
{
    static const char *const text[] = {"text", "varchar", "bpchar", "citext", "name", NULL};
    static const char *const stringish[] = {"uuid",  "inet", "cidr",  "macaddr",  "macaddr8", "interval",
                                            "money", "xml",  "ltree", "tsvector", NULL};
    static const char *const integer[] = {"int2", "int4", NULL};
    static const char *const decimal[] = {"numeric", "float4", "float8", NULL};
    if (typtype[0] == 'e') return CLASS_ENUM;
    if (is_any(name, text)) return CLASS_TEXT;
    if (is_any(name, stringish)) return CLASS_STRINGISH;
    if (is_any(name, integer)) return CLASS_INTEGER;
    if (strcmp(name, "int8") == 0) return CLASS_BIGINT;
    if (is_any(name, decimal)) return CLASS_DECIMAL;
    if (strcmp(name, "bool") == 0) return CLASS_BOOLEAN;
    if (strcmp(name, "timestamptz") == 0) return CLASS_TIMESTAMPTZ;
    if (strcmp(name, "timestamp") == 0) return CLASS_TIMESTAMP;
    if (strcmp(name, "date") == 0) return CLASS_DATE;
    if (strcmp(name, "time") == 0) return CLASS_TIME;
    if (strcmp(name, "timetz") == 0) return CLASS_TIMETZ;
    if (strcmp(name, "json") == 0 || strcmp(name, "jsonb") == 0) return CLASS_JSON;
    return CLASS_OTHER;
}

static bool named(const gg_amplify_field *f, const char *name)
{
    return f->type_name != NULL && strcmp(f->type_name, name) == 0;
}

/* Whether a value of class cls can hold one value (an item, for lists) of field f, whose storage
 * kind is kind; *output: how it is written out. */
static bool fits(const gg_amplify_field *f, gg_column_kind kind, type_class cls, gg_pg_output *output)
{
    *output = GG_PG_OUTPUT_AS_IS;
    switch (kind) {
    case GG_COLUMN_TEXT:
        if (cls == CLASS_TEXT) return true; /* any string field, the date and time scalars as sent */
        if (named(f, "AWSDateTime")) {
            *output = cls == CLASS_TIMESTAMPTZ ? GG_PG_OUTPUT_TIMESTAMPTZ : GG_PG_OUTPUT_TIMESTAMP;
            return cls == CLASS_TIMESTAMPTZ || cls == CLASS_TIMESTAMP;
        }
        if (named(f, "AWSDate")) {
            *output = GG_PG_OUTPUT_DATE;
            return cls == CLASS_DATE;
        }
        if (named(f, "AWSTime")) {
            *output = cls == CLASS_TIMETZ ? GG_PG_OUTPUT_TIMETZ : GG_PG_OUTPUT_TIME;
            return cls == CLASS_TIME || cls == CLASS_TIMETZ;
        }
        switch (cls) {
        case CLASS_ENUM:
            return true;
        case CLASS_STRINGISH:
            *output = GG_PG_OUTPUT_TEXT;
            return true;
        case CLASS_INTEGER: /* ID from an integer */
        case CLASS_BIGINT:
            *output = GG_PG_OUTPUT_TEXT;
            return named(f, "ID");
        case CLASS_TIMESTAMPTZ:
            *output = GG_PG_OUTPUT_TIMESTAMPTZ;
            return named(f, "String");
        case CLASS_TIMESTAMP:
            *output = GG_PG_OUTPUT_TIMESTAMP;
            return named(f, "String");
        case CLASS_DATE:
            *output = GG_PG_OUTPUT_DATE;
            return named(f, "String");
        case CLASS_TIME:
            *output = GG_PG_OUTPUT_TIME;
            return named(f, "String");
        case CLASS_TIMETZ:
            *output = GG_PG_OUTPUT_TIMETZ;
            return named(f, "String");
        default:
            return false;
        }
    case GG_COLUMN_INT: /* AWSTimestamp needs 64 bits (migrate widens a narrower column) */
        return cls == CLASS_BIGINT || (cls == CLASS_INTEGER && !named(f, "AWSTimestamp"));
    case GG_COLUMN_FLOAT: /* a Float from a whole-number column: init's bigint (Int is 32-bit); a value
                           * that is not a whole number is refused before any SQL (gg_pg_input) */
        return cls == CLASS_DECIMAL || cls == CLASS_BIGINT || cls == CLASS_INTEGER;
    case GG_COLUMN_BOOL:
        return cls == CLASS_BOOLEAN;
    case GG_COLUMN_JSON:
        return cls == CLASS_JSON;
    }
    return false;
}

/* The field's type as served, for messages. */
static const char *field_type(const gg_amplify_field *f)
{
    return f->type_sdl ? f->type_sdl : f->type_name ? f->type_name : "?";
}

/* What a parameter's text must look like for a base type of class cls named name. */
static gg_pg_input input_of(const char *name, type_class cls)
{
    switch (cls) {
    case CLASS_INTEGER:
        return strcmp(name, "int2") == 0 ? GG_PG_INPUT_INT16 : GG_PG_INPUT_INT32;
    case CLASS_BIGINT:
        return GG_PG_INPUT_INT64;
    case CLASS_DECIMAL:
        return GG_PG_INPUT_NUMBER;
    case CLASS_DATE:
        return GG_PG_INPUT_DATE;
    case CLASS_TIME:
    case CLASS_TIMETZ:
        return GG_PG_INPUT_TIME;
    case CLASS_TIMESTAMPTZ:
        return GG_PG_INPUT_DATETIME;
    case CLASS_TIMESTAMP:
        return GG_PG_INPUT_TIMESTAMP;
    case CLASS_STRINGISH:
        return strcmp(name, "uuid") == 0 ? GG_PG_INPUT_UUID : GG_PG_INPUT_ANY;
    default:
        return GG_PG_INPUT_ANY;
    }
}

/* The labels of an enum, from their JSON array (NULL: not an enum). */
static void keep_labels(gg_arena *arena, gg_pg_column *c, const char *json)
{
    c->enum_labels = NULL;
    c->enum_label_count = 0;
    cJSON *labels = json && json[0] ? cJSON_Parse(json) : NULL;
    int n = cJSON_GetArraySize(labels);
    if (n > 0) {
        c->enum_labels = gg_arena_array(arena, (size_t)n, sizeof *c->enum_labels);
        const cJSON *label;
        cJSON_ArrayForEach(label, labels)
        {
            if (cJSON_IsString(label))
                c->enum_labels[c->enum_label_count++] = gg_arena_strdup(arena, label->valuestring);
        }
    }
    cJSON_Delete(labels);
}

/* In a row of COLUMNS_SQL: the quoted schema of the base type when the type is not visible on the
 * search_path (citext installed in "extensions"), whose operators a bare name does not find either
 * (gg_pg_column.operator_schema); NULL: visible. */
#define COLUMN_OPERATOR_SCHEMA 11

/* Applies the catalog row of column c (declared type, base type name and kind, element type for
 * arrays, enum labels); reports a type that cannot hold the field. The column's storage type
 * (pg_model.h) needs nothing: its output and input are already the storage's. */
static void adopt(gg_arena *arena, const gg_amplify_model *m, gg_pg_column *c, const PGresult *r, int row,
                  gg_buf *problems)
{
    const char *declared = PQgetvalue(r, row, 1);
    const char *base = PQgetvalue(r, row, 2);
    const char *base_kind = PQgetvalue(r, row, 3);
    const bool is_array = PQgetvalue(r, row, 4)[0] == 't';
    const gg_amplify_field *f = c->field;
    keep_labels(arena, c, PQgetvalue(r, row, is_array ? 9 : 8));
    if (strcmp(declared, c->storage_type) == 0) return; /* graphgate's own storage type */
    bool ok = false;
    gg_pg_output output = GG_PG_OUTPUT_AS_IS;
    if (c->is_list && is_array) {
        const char *item_base = PQgetvalue(r, row, 6);
        type_class item = classify(item_base, PQgetvalue(r, row, 7));
        ok = fits(f, c->item_kind, item, &output);
        if (ok) {
            c->sql_type = gg_arena_strdup(arena, declared);
            c->item_type = gg_arena_strdup(arena, PQgetvalue(r, row, 5));
            c->item_output = output;
            c->output = GG_PG_OUTPUT_ARRAY;
            c->input = input_of(item_base, item);
            c->native = true;
        }
    } else if (c->is_list) {
        ok = classify(base, base_kind) == CLASS_JSON;
        if (ok) { /* a JSON list, as graphgate stored lists before arrays */
            c->sql_type = gg_arena_strdup(arena, declared);
            c->item_type = NULL;
            c->output = c->item_output = GG_PG_OUTPUT_AS_IS;
            c->input = GG_PG_INPUT_ANY;
            c->native = true;
        }
    } else if (!is_array) {
        type_class cls = classify(base, base_kind);
        ok = fits(f, c->kind, cls, &output);
        if (ok) {
            c->sql_type = gg_arena_strdup(arena, declared);
            c->output = output;
            c->text_like = cls == CLASS_TEXT;
            c->case_insensitive = cls == CLASS_TEXT && strcmp(base, "citext") == 0;
            /* only citext's: the other text types are pg_catalog's, and an enum's operators are
             * pg_catalog's whatever schema holds the enum */
            c->operator_schema = c->case_insensitive && !PQgetisnull(r, row, COLUMN_OPERATOR_SCHEMA)
                                     ? gg_arena_strdup(arena, PQgetvalue(r, row, COLUMN_OPERATOR_SCHEMA))
                                     : NULL;
            c->input = input_of(base, cls);
            c->native = true;
        }
    }
    if (!ok)
        gg_buf_printf(problems,
                      "table \"%s\" column %s is %s, which cannot hold field %s.%s of type %s: its reads and "
                      "writes will fail until the column or the schema changes\n",
                      m->table ? m->table : m->name, c->quoted, declared, m->name, f->name, field_type(f));
}

/* The type a domain stands for, through domains over domains: a scalar subquery over the oid in
 * `start`. */
#define BASE_TYPE_OF(start)                                                                                            \
    "(WITH RECURSIVE d(oid, typtype, typbasetype) AS (SELECT oid, typtype, typbasetype FROM pg_type WHERE oid "        \
    "= " start                                                                                                         \
    " UNION ALL SELECT p.oid, p.typtype, p.typbasetype FROM d JOIN pg_type p ON p.oid = d.typbasetype WHERE "          \
    "d.typtype = 'd') SELECT oid FROM d WHERE typtype <> 'd')"

/* The columns of the tables named in the VALUES list that gg_pg_read_column_types puts after it: one
 * row per column, the model's number (its place in the list) then COLUMN_OPERATOR_SCHEMA last. */
static const char COLUMNS_SQL[] =
    "SELECT a.attname, CASE t.typname WHEN 'bpchar' THEN 'bpchar' WHEN '_bpchar' THEN 'bpchar[]' "
    "ELSE format_type(a.atttypid, NULL) END, bt.typname, bt.typtype, bt.typcategory = 'A', "
    "CASE et.typname WHEN 'bpchar' THEN 'bpchar' ELSE format_type(et.oid, NULL) END, ebt.typname, ebt.typtype, "
    "(SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = bt.oid), "
    "(SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = ebt.oid), m.i, "
    "(SELECT quote_ident(nspname) FROM pg_namespace WHERE oid = bt.typnamespace AND NOT pg_type_is_visible(bt.oid)) "
    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
    "JOIN pg_type bt ON bt.oid = " BASE_TYPE_OF(
        "t.oid") " "
                 "LEFT JOIN pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem "
                 "LEFT JOIN pg_type ebt ON ebt.oid = " BASE_TYPE_OF("et.oid") " "
                                                                              "JOIN (VALUES ";
/* The same rows when no column's type (nor an array's element type) is a domain or an enum: the type
 * is then its own base type and has no labels. This one is tried first: it spares a backend that has
 * just started (start-up's) half the catalog work of COLUMNS_SQL (no pg_enum, no recursive query), and
 * graphgate's own tables never use domains or enums. A database whose columns do is read again with
 * COLUMNS_SQL (one more round trip). */
static const char PLAIN_COLUMNS_SQL[] =
    "SELECT a.attname, CASE t.typname WHEN 'bpchar' THEN 'bpchar' WHEN '_bpchar' THEN 'bpchar[]' "
    "ELSE format_type(a.atttypid, NULL) END, t.typname, t.typtype, t.typcategory = 'A', "
    "CASE et.typname WHEN 'bpchar' THEN 'bpchar' ELSE format_type(et.oid, NULL) END, et.typname, et.typtype, "
    "NULL, NULL, m.i, "
    "(SELECT quote_ident(nspname) FROM pg_namespace WHERE oid = t.typnamespace AND NOT pg_type_is_visible(t.oid)) "
    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem JOIN (VALUES ";
#define COLUMN_TYPTYPE 3         /* the base type's typtype in a row of COLUMNS_SQL */
#define COLUMN_ELEMENT_TYPTYPE 7 /* the element's base type's typtype (NULL: not an array) */
#define COLUMN_MODEL 10          /* the model's number in a row of COLUMNS_SQL */

/* Runs head (COLUMNS_SQL or PLAIN_COLUMNS_SQL) for the tables of models. */
static PGresult *query_columns(PGconn *conn, const char *head, const gg_pg_models *models)
{
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, head);
    const char **values = malloc(models->count * sizeof *values);
    if (values == NULL) abort();
    for (unsigned i = 0; i < models->count; i++) {
        values[i] = models->models[i].quoted_table; /* with database.schema's name */
        gg_buf_printf(&sql, "%s(%u, $%u::text)", i ? ", " : "", i, i + 1);
    }
    gg_buf_puts(&sql, ") AS m(i, name) ON a.attrelid = to_regclass(m.name) WHERE a.attnum > 0 AND NOT a.attisdropped");
    /* at start-up, with the cursor secret's read in the same round trip (connect.h) */
    PGresult *r = gg_pg_startup_query(conn, sql.data, (int)models->count, values);
    free(values);
    gg_buf_free(&sql);
    return r;
}

/* Whether a row of PLAIN_COLUMNS_SQL has a domain or an enum, which it does not resolve. */
static bool needs_full_query(const PGresult *r)
{
    for (int row = 0; row < PQntuples(r); row++) {
        const char *type = PQgetvalue(r, row, COLUMN_TYPTYPE), *element = PQgetvalue(r, row, COLUMN_ELEMENT_TYPTYPE);
        if (type[0] == 'd' || type[0] == 'e' || element[0] == 'd' || element[0] == 'e') return true;
    }
    return false;
}

bool gg_pg_read_column_types(PGconn *conn, gg_pg_models *models, gg_buf *problems)
{
    if (models->count == 0) return true;
    PGresult *r = query_columns(conn, PLAIN_COLUMNS_SQL, models);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && needs_full_query(r)) {
        PQclear(r);
        r = query_columns(conn, COLUMNS_SQL, models);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        gg_buf_printf(problems, "cannot read the column types of the @model tables: %s", PQresultErrorMessage(r));
        PQclear(r);
        return false;
    }
    unsigned *model_of_row = malloc(((size_t)PQntuples(r) + 1) * sizeof *model_of_row);
    if (model_of_row == NULL) abort();
    for (int row = 0; row < PQntuples(r); row++)
        model_of_row[row] = (unsigned)strtoul(PQgetvalue(r, row, COLUMN_MODEL), NULL, 10);
    for (unsigned i = 0; i < models->count; i++) { /* the order of the problems: models', then fields' */
        gg_pg_model *pm = &models->models[i];
        const gg_amplify_model *m = pm->model;
        for (unsigned k = 0; k < m->field_count; k++) {
            gg_pg_column *c = &pm->columns[k];
            if (c->field == NULL) continue;
            const char *name = c->field->column ? c->field->column : c->field->name;
            for (int row = 0; row < PQntuples(r); row++)
                if (model_of_row[row] == i && strcmp(PQgetvalue(r, row, 0), name) == 0)
                    adopt(models->arena, m, c, r, row, problems);
        }
    }
    free(model_of_row);
    PQclear(r);
    return true;
}

const char *gg_pg_type_scalar(const char *base_name, const char *typtype, bool as_key)
{
    switch (classify(base_name, typtype)) {
    case CLASS_TEXT:
        return "String";
    case CLASS_STRINGISH:
        if (strcmp(base_name, "uuid") == 0) return "ID";
        if (strcmp(base_name, "inet") == 0) return "AWSIPAddress";
        return "String";
    case CLASS_INTEGER:
        return "Int";
    case CLASS_BIGINT: /* GraphQL's Int is 32-bit (graphql-js refuses to serialise more); a Float holds
                        * every integer to 2^53 exactly, as far as a JavaScript client reads one anyway */
        return as_key ? "ID" : "Float";
    case CLASS_DECIMAL:
        return "Float";
    case CLASS_BOOLEAN:
        return "Boolean";
    case CLASS_TIMESTAMPTZ:
    case CLASS_TIMESTAMP:
        return "AWSDateTime";
    case CLASS_DATE:
        return "AWSDate";
    case CLASS_TIME:
    case CLASS_TIMETZ:
        return "AWSTime";
    case CLASS_JSON:
        return "AWSJSON";
    case CLASS_ENUM:
    case CLASS_OTHER:
        break;
    }
    return NULL;
}

/* Whether label is one of c's enum labels. */
static bool has_label(const gg_pg_column *c, const char *label)
{
    for (unsigned i = 0; i < c->enum_label_count; i++)
        if (strcmp(c->enum_labels[i], label) == 0) return true;
    return false;
}

unsigned gg_pg_check_enum_labels(const gg_pg_models *models, const gg_schema *schema, gg_buf *problems)
{
    unsigned count = 0;
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        const gg_amplify_model *m = pm->model;
        for (unsigned k = 0; k < m->field_count; k++) {
            const gg_pg_column *c = &pm->columns[k];
            if (c->field == NULL || c->field->kind != GG_AMPLIFY_FIELD_ENUM || c->enum_labels == NULL) continue;
            const gg_type *e = gg_schema_find_type(schema, c->field->type_name);
            if (e == NULL || e->kind != GG_KIND_ENUM) continue;
            for (unsigned v = 0; v < e->enum_value_count; v++) {
                const char *name = e->enum_values[v].name;
                if (has_label(c, name)) continue;
                gg_buf_printf(problems,
                              "table \"%s\" column %s: its PostgreSQL enum has no label %s of GraphQL enum %s (field "
                              "%s.%s): writing it will fail (ALTER TYPE ... ADD VALUE adds it)\n",
                              m->table ? m->table : m->name, c->quoted, name, e->name, m->name, c->field->name);
                count++;
            }
        }
    }
    return count;
}

int gg_pg_check_column_types(PGconn *conn, const gg_amplify_catalog *catalog, const gg_schema *schema, gg_buf *problems)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_models *models = gg_pg_models_build(&arena, catalog);
    size_t before = problems->len;
    int count = -1;
    if (gg_pg_read_column_types(conn, models, problems)) {
        count = 0;
        for (size_t i = before; i < problems->len; i++)
            count += problems->data[i] == '\n';
        count += (int)gg_pg_check_enum_labels(models, schema, problems);
    }
    gg_arena_free(&arena);
    return count;
}

/* ---- parameter forms ---- */

static bool digits(const char **p, unsigned n, unsigned *value)
{
    *value = 0;
    for (unsigned i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9') return false;
        *value = *value * 10 + (unsigned)(**p - '0');
    }
    return true;
}

/* YYYY-MM-DD, a real calendar date. */
static bool date_part(const char **p)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, m, d;
    if (!digits(p, 4, &y) || *(*p)++ != '-' || !digits(p, 2, &m) || *(*p)++ != '-' || !digits(p, 2, &d)) return false;
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* hh:mm[:ss[.fraction]] */
static bool time_part(const char **p)
{
    unsigned h, m, s;
    if (!digits(p, 2, &h) || *(*p)++ != ':' || !digits(p, 2, &m) || h > 23 || m > 59) return false;
    if (**p != ':') return true;
    (*p)++;
    if (!digits(p, 2, &s) || s > 59) return false;
    if (**p == '.')
        for ((*p)++; **p >= '0' && **p <= '9'; (*p)++) {
        }
    return true;
}

/* Z or +hh:mm[:ss] or -hh:mm[:ss], or nothing; true when the rest is one of them. */
static bool offset_part(const char *p, bool required)
{
    if (*p == '\0') return !required;
    if (*p == 'Z') return p[1] == '\0';
    if (*p != '+' && *p != '-') return false;
    p++;
    unsigned h, m, s;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &m) || h > 23 || m > 59) return false;
    if (*p == ':' && (p++, !digits(&p, 2, &s) || s > 59)) return false;
    return *p == '\0';
}

static bool integer_in(const char *text, long long min, long long max)
{
    const char *p = text + (text[0] == '-' || text[0] == '+');
    if (*p == '\0') return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    return errno == 0 && *end == '\0' && v >= min && v <= max;
}

/* 32 hexadecimal digits, a dash allowed after each group of four, braces around them allowed. */
static bool uuid_form(const char *text)
{
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '{') {
        if (text[len - 1] != '}') return false;
        text++, len -= 2;
    }
    unsigned hex = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (isxdigit((unsigned char)ch)) {
            hex++;
        } else if (ch != '-' || hex == 0 || hex % 4 != 0 || i + 1 == len || text[i + 1] == '-') {
            return false;
        }
    }
    return hex == 32;
}

bool gg_pg_input_valid(gg_pg_input input, const char *text)
{
    const char *p = text;
    switch (input) {
    case GG_PG_INPUT_ANY:
    case GG_PG_INPUT_NUMBER: /* numbers arrive as GraphQL Float or Int, finite (gg_pg_param_text) */
        return true;
    case GG_PG_INPUT_UUID:
        return uuid_form(text);
    case GG_PG_INPUT_INT16:
        return integer_in(text, -32768, 32767);
    case GG_PG_INPUT_INT32:
        return integer_in(text, INT32_MIN, INT32_MAX);
    case GG_PG_INPUT_INT64:
        return integer_in(text, INT64_MIN, INT64_MAX);
    case GG_PG_INPUT_DATE:
        return date_part(&p) && offset_part(p, false);
    case GG_PG_INPUT_TIME:
        return time_part(&p) && offset_part(p, false);
    case GG_PG_INPUT_DATETIME:
    case GG_PG_INPUT_TIMESTAMP:
        /* date T time and, for timestamptz, the zone AWSDateTime requires (without one PostgreSQL
         * would read the time in the session's zone) */
        if (!date_part(&p) || (*p != 'T' && *p != 't' && *p != ' ')) return false;
        p++;
        return time_part(&p) && offset_part(p, input == GG_PG_INPUT_DATETIME);
    }
    return false;
}

/* The days of month m of year y (year 0 is 1 BC, a leap year). */
static unsigned month_days(int y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* The date before (step -1) or after (step 1) y-m-d. */
static void step_day(int *y, unsigned *m, unsigned *d, int step)
{
    if (step < 0 && *d > 1) {
        (*d)--;
    } else if (step < 0) {
        if (--*m == 0) *m = 12, (*y)--;
        *d = month_days(*y, *m);
    } else if (*d < month_days(*y, *m)) {
        (*d)++;
    } else {
        *d = 1;
        if (++*m == 13) *m = 1, (*y)++;
    }
}

/* A timestamp (without time zone) holds UTC: graphgate writes it out with Z. PostgreSQL reads a
 * timestamp's text ignoring any offset (10:00+01:00 would be stored as 10:00, an hour late), so
 * a valid date-time with an offset other than Z is moved to UTC here, its fraction kept; text
 * itself when it has none (or is not a valid date-time: checked elsewhere). */
static const char *timestamp_in_utc(gg_arena *arena, const char *text)
{
    const char *p = text;
    unsigned year, month, day, hour, minute, second = 0, offset_hours, offset_minutes, offset_seconds = 0;
    if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &month) || *p++ != '-' || !digits(&p, 2, &day) ||
        (*p != 'T' && *p != 't' && *p != ' ') || (p++, !digits(&p, 2, &hour)) || *p++ != ':' || !digits(&p, 2, &minute))
        return text;
    if (*p == ':' && (p++, !digits(&p, 2, &second))) return text;
    const char *fraction = p;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++) {
        }
    int fraction_len = (int)(p - fraction);
    if (*p != '+' && *p != '-') return text; /* none, or Z */
    int sign = *p++ == '+' ? 1 : -1;
    if (!digits(&p, 2, &offset_hours) || *p++ != ':' || !digits(&p, 2, &offset_minutes)) return text;
    if (*p == ':' && (p++, !digits(&p, 2, &offset_seconds))) return text;
    if (*p != '\0' || month < 1 || month > 12 || day < 1 || day > 31) return text;
    long in_day = (long)hour * 3600 + minute * 60 + second -
                  sign * ((long)offset_hours * 3600 + offset_minutes * 60 + offset_seconds);
    int y = (int)year;
    if (in_day < 0) {
        step_day(&y, &month, &day, -1);
        in_day += 86400;
    } else if (in_day >= 86400) {
        step_day(&y, &month, &day, 1);
        in_day -= 86400;
    }
    return gg_arena_printf(arena, "%04d-%02u-%02uT%02ld:%02ld:%02ld%.*s%s", y > 0 ? y : 1 - y, month, day,
                           in_day / 3600, in_day / 60 % 60, in_day % 60, fraction_len, fraction, y > 0 ? "" : " BC");
}

const char *gg_pg_input_text(gg_arena *arena, gg_pg_input input, const char *text)
{
    /* date reads 2026-12-06Z and +05:30 (ignoring them) but refuses -07:00: the zone goes */
    if (input == GG_PG_INPUT_DATE && strlen(text) > 10) return gg_arena_strndup(arena, text, 10);
    if (input == GG_PG_INPUT_TIMESTAMP) return timestamp_in_utc(arena, text);
    return text;
}

const char *gg_pg_input_partial_start(gg_arena *arena, gg_pg_input input, const char *text)
{
    bool datetime = input == GG_PG_INPUT_DATETIME || input == GG_PG_INPUT_TIMESTAMP;
    if (!datetime && input != GG_PG_INPUT_DATE) return NULL;
    const char *zone = input == GG_PG_INPUT_DATETIME ? "Z" : "";
    const char *p = text;
    unsigned year, month = 1, day = 1, hour = 0, minute = 0;
    if (!digits(&p, 4, &year)) return NULL;
    if (*p == '\0') return gg_arena_printf(arena, datetime ? "%04u-01-01T00:00:00%s" : "%04u-01-01", year, zone);
    if (*p++ != '-' || !digits(&p, 2, &month) || month < 1 || month > 12) return NULL;
    if (*p == '\0')
        return gg_arena_printf(arena, datetime ? "%04u-%02u-01T00:00:00%s" : "%04u-%02u-01", year, month, zone);
    p = text;
    if (!date_part(&p)) return NULL;
    day = (unsigned)atoi(text + 8);
    if (!datetime) return NULL; /* a whole date is no prefix of a date */
    if (*p == '\0') return gg_arena_printf(arena, "%04u-%02u-%02uT00:00:00%s", year, month, day, zone);
    if (*p != 'T' && *p != 't') return NULL;
    p++;
    if (!digits(&p, 2, &hour) || hour > 23) return NULL;
    if (*p == '\0') return gg_arena_printf(arena, "%04u-%02u-%02uT%02u:00:00%s", year, month, day, hour, zone);
    if (*p++ != ':' || !digits(&p, 2, &minute) || minute > 59) return NULL;
    if (*p == '\0')
        return gg_arena_printf(arena, "%04u-%02u-%02uT%02u:%02u:00%s", year, month, day, hour, minute, zone);
    /* seconds (and a fraction) without the offset: the offset a stored value ends with is Z */
    if (input != GG_PG_INPUT_DATETIME) return NULL;
    unsigned second;
    if (*p++ != ':' || !digits(&p, 2, &second) || second > 59) return NULL;
    if (*p == '.') {
        const char *fraction = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == fraction) return NULL;
    }
    if (*p != '\0') return NULL;
    return gg_arena_printf(arena, "%sZ", text);
}

const char *gg_pg_input_name(gg_pg_input input)
{
    switch (input) {
    case GG_PG_INPUT_UUID:
        return "UUID";
    case GG_PG_INPUT_INT16:
        return "16-bit integer";
    case GG_PG_INPUT_INT32:
        return "32-bit integer";
    case GG_PG_INPUT_INT64:
        return "64-bit integer";
    case GG_PG_INPUT_DATE:
        return "AWSDate";
    case GG_PG_INPUT_TIME:
        return "AWSTime";
    case GG_PG_INPUT_DATETIME:
    case GG_PG_INPUT_TIMESTAMP:
        return "AWSDateTime";
    default:
        return "value";
    }
}
