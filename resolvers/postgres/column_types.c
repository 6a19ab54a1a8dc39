/* column_types.c: the real type of every mapped column, from pg_attribute and pg_type; see
 * column_types.h.
 *
 * One catalog query per table. A type is sorted into a few classes by its base type's name (a
 * domain is classified by its base type but keeps its own name for casts, so its constraints
 * still apply); the class and the field decide whether the column can hold the field and how its
 * values are written out. Casts use the type without its modifier (varchar, not varchar(20)):
 * an explicit cast to varchar(20) would cut a long value silently, while the column's own
 * assignment check refuses it (and char, without its length, is char(1): bpchar is written instead). */
#include "column_types.h"

#include <string.h>

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
        if (named(f, "AWSDateTime")) {
            *output = cls == CLASS_TIMESTAMPTZ ? GG_PG_OUTPUT_TIMESTAMPTZ : GG_PG_OUTPUT_TIMESTAMP;
            return cls == CLASS_TIMESTAMPTZ || cls == CLASS_TIMESTAMP || cls == CLASS_TEXT;
        }
        if (named(f, "AWSDate")) {
            *output = GG_PG_OUTPUT_DATE;
            return cls == CLASS_DATE || cls == CLASS_TEXT;
        }
        if (named(f, "AWSTime")) {
            *output = cls == CLASS_TIMETZ ? GG_PG_OUTPUT_TIMETZ : GG_PG_OUTPUT_TIME;
            return cls == CLASS_TIME || cls == CLASS_TIMETZ || cls == CLASS_TEXT;
        }
        switch (cls) {
        case CLASS_TEXT:
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
    case GG_COLUMN_FLOAT:
        return cls == CLASS_DECIMAL;
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

/* Applies the catalog row of column c (declared type, base type name and kind, element type for
 * arrays); reports a type that cannot hold the field. */
static void adopt(gg_arena *arena, const gg_amplify_model *m, gg_pg_column *c, const PGresult *r, int row,
                  gg_buf *problems)
{
    const char *declared = PQgetvalue(r, row, 1);
    const char *base = PQgetvalue(r, row, 2);
    const char *base_kind = PQgetvalue(r, row, 3);
    const bool is_array = PQgetvalue(r, row, 4)[0] == 't';
    const gg_amplify_field *f = c->field;
    if (strcmp(declared, c->sql_type) == 0) return; /* graphgate's own storage type */
    bool ok = false;
    gg_pg_output output = GG_PG_OUTPUT_AS_IS;
    if (c->is_list && is_array) {
        type_class item = classify(PQgetvalue(r, row, 6), PQgetvalue(r, row, 7));
        ok = fits(f, c->item_kind, item, &output);
        if (ok) {
            c->sql_type = gg_arena_strdup(arena, declared);
            c->item_type = gg_arena_strdup(arena, PQgetvalue(r, row, 5));
            c->item_output = output;
            c->output = GG_PG_OUTPUT_ARRAY;
            c->native = true;
        }
    } else if (c->is_list) {
        ok = classify(base, base_kind) == CLASS_JSON;
        if (ok) {
            c->sql_type = gg_arena_strdup(arena, declared);
            c->native = true;
        }
    } else if (!is_array) {
        type_class cls = classify(base, base_kind);
        ok = fits(f, c->kind, cls, &output);
        if (ok) {
            c->sql_type = gg_arena_strdup(arena, declared);
            c->output = output;
            c->text_like = cls == CLASS_TEXT;
            c->native = true;
        }
    }
    if (!ok)
        gg_buf_printf(problems,
                      "table \"%s\" column %s is %s, which cannot hold field %s.%s of type %s: its reads and "
                      "writes will fail until the column or the schema changes\n",
                      m->table ? m->table : m->name, c->quoted, declared, m->name, f->name, field_type(f));
}

static const char COLUMNS_SQL[] =
    "SELECT a.attname, CASE t.typname WHEN 'bpchar' THEN 'bpchar' WHEN '_bpchar' THEN 'bpchar[]' "
    "ELSE format_type(a.atttypid, NULL) END, bt.typname, bt.typtype, bt.typcategory = 'A', "
    "CASE et.typname WHEN 'bpchar' THEN 'bpchar' ELSE format_type(et.oid, NULL) END, ebt.typname, ebt.typtype "
    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
    "JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
    "LEFT JOIN pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem "
    "LEFT JOIN pg_type ebt ON ebt.oid = CASE WHEN et.typtype = 'd' THEN et.typbasetype ELSE et.oid END "
    "WHERE a.attrelid = to_regclass(format('%I', $1::text)) AND a.attnum > 0 AND NOT a.attisdropped";

bool gg_pg_read_column_types(PGconn *conn, gg_pg_models *models, gg_buf *problems)
{
    for (unsigned i = 0; i < models->count; i++) {
        gg_pg_model *pm = &models->models[i];
        const gg_amplify_model *m = pm->model;
        const char *table = m->table ? m->table : m->name;
        const char *values[1] = {table};
        PGresult *r = PQexecParams(conn, COLUMNS_SQL, 1, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            gg_buf_printf(problems, "cannot read the column types of table \"%s\": %s", table, PQresultErrorMessage(r));
            PQclear(r);
            return false;
        }
        for (unsigned k = 0; k < m->field_count; k++) {
            gg_pg_column *c = &pm->columns[k];
            if (c->field == NULL) continue;
            const char *name = c->field->column ? c->field->column : c->field->name;
            for (int row = 0; row < PQntuples(r); row++)
                if (strcmp(PQgetvalue(r, row, 0), name) == 0) adopt(models->arena, m, c, r, row, problems);
        }
        PQclear(r);
    }
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
    case CLASS_BIGINT:
        return as_key ? "ID" : "Int";
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
