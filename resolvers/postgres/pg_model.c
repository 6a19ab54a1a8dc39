/* pg_model.c: storage of catalog models in PostgreSQL; see pg_model.h for the type mapping.
 *
 * Everything is computed once per catalog: quoted names, storage types and a name -> field map
 * per model, so the per-request SQL builders only look things up. */
#include "pg_model.h"

#include "datastore_store.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool is_named(const char *type_name, const char *name)
{
    return type_name != NULL && strcmp(type_name, name) == 0;
}

/* How one value (a list's item) of a field is stored: the storage kind, PostgreSQL type, output
 * and input check (pg_model.h explains the choices). */
typedef struct storage {
    gg_column_kind kind;
    const char *sql_type;
    gg_pg_output output;
    gg_pg_input input;
} storage;

static storage scalar_storage(const gg_amplify_field *f)
{
    if (f->kind == GG_AMPLIFY_FIELD_ENUM) return (storage){GG_COLUMN_TEXT, "text", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (f->kind == GG_AMPLIFY_FIELD_EMBEDDED || is_named(f->type_name, "AWSJSON"))
        return (storage){GG_COLUMN_JSON, "jsonb", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (is_named(f->type_name, "Int")) return (storage){GG_COLUMN_INT, "integer", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (is_named(f->type_name, "AWSTimestamp"))
        return (storage){GG_COLUMN_INT, "bigint", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (is_named(f->type_name, "Float"))
        return (storage){GG_COLUMN_FLOAT, "double precision", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (is_named(f->type_name, "Boolean"))
        return (storage){GG_COLUMN_BOOL, "boolean", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
    if (is_named(f->type_name, "AWSDateTime"))
        return (storage){GG_COLUMN_TEXT, "timestamp with time zone", GG_PG_OUTPUT_TIMESTAMPTZ, GG_PG_INPUT_DATETIME};
    if (is_named(f->type_name, "AWSDate"))
        return (storage){GG_COLUMN_TEXT, "date", GG_PG_OUTPUT_DATE, GG_PG_INPUT_DATE};
    if (is_named(f->type_name, "AWSTime"))
        return (storage){GG_COLUMN_TEXT, "time without time zone", GG_PG_OUTPUT_TIME, GG_PG_INPUT_TIME};
    return (storage){GG_COLUMN_TEXT, "text", GG_PG_OUTPUT_AS_IS, GG_PG_INPUT_ANY};
}

static char *quoted(gg_arena *arena, const char *name)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_pg_quote_ident(&b, name);
    char *s = gg_arena_strndup(arena, b.data, b.len);
    gg_buf_free(&b);
    return s;
}

const char *gg_pg_table_sql(gg_arena *arena, const char *schema, const char *table)
{
    gg_buf b;
    gg_buf_init(&b);
    if (schema != NULL && schema[0] != '\0') {
        gg_pg_quote_ident(&b, schema);
        gg_buf_putc(&b, '.');
    }
    gg_pg_quote_ident(&b, table);
    char *s = gg_arena_strndup(arena, b.data, b.len);
    gg_buf_free(&b);
    return s;
}

static void build_model(gg_arena *arena, gg_pg_model *pm, const gg_amplify_model *m, const char *schema)
{
    pm->model = m;
    pm->quoted_table = gg_pg_table_sql(arena, schema, m->table ? m->table : m->name);
    pm->columns = gg_arena_array(arena, m->field_count ? m->field_count : 1, sizeof *pm->columns);
    gg_strmap_init(&pm->field_index, arena);
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_amplify_field *f = &m->fields[i];
        gg_strmap_put(&pm->field_index, f->name, strlen(f->name), (void *)(uintptr_t)(i + 1));
        if (f->kind == GG_AMPLIFY_FIELD_RELATION) continue;
        gg_pg_column *c = &pm->columns[i];
        c->field = f;
        c->quoted = quoted(arena, f->column ? f->column : f->name);
        storage item = scalar_storage(f);
        c->item_kind = item.kind;
        c->input = item.input;
        if (f->list && item.kind == GG_COLUMN_JSON) { /* a list of JSON values or embedded objects */
            c->is_list = true;
            c->kind = GG_COLUMN_JSON;
            c->sql_type = "jsonb";
        } else if (f->list) { /* an array of the item's type */
            c->is_list = true;
            c->kind = GG_COLUMN_JSON;
            c->sql_type = gg_arena_printf(arena, "%s[]", item.sql_type);
            c->item_type = item.sql_type;
            c->output = GG_PG_OUTPUT_ARRAY;
            c->item_output = item.output;
            c->native = true;
        } else {
            c->kind = item.kind;
            c->sql_type = item.sql_type;
            c->output = item.output;
            c->text_like = strcmp(item.sql_type, "text") == 0;
            c->native = item.output != GG_PG_OUTPUT_AS_IS; /* filters cast to the type (plan_sql.c) */
        }
        c->storage_type = c->sql_type;
    }
    unsigned key_count = m->primary_key_count;
    const char *default_key[1] = {"id"};
    const char **key = m->primary_key;
    if (key_count == 0) {
        key = default_key;
        key_count = 1;
    }
    pm->key = gg_arena_array(arena, key_count, sizeof *pm->key);
    for (unsigned i = 0; i < key_count; i++) {
        const gg_pg_column *c = gg_pg_model_column(pm, key[i]);
        if (c != NULL) pm->key[pm->key_count++] = c;
    }
    if (m->sync) gg_pg_datastore_columns(arena, pm);
}

gg_pg_models *gg_pg_models_build(gg_arena *arena, const gg_amplify_catalog *catalog)
{
    gg_pg_models *out = gg_arena_alloc(arena, sizeof *out);
    out->arena = arena;
    out->count = catalog->model_count;
    out->models = gg_arena_array(arena, out->count ? out->count : 1, sizeof *out->models);
    gg_strmap_init(&out->by_name, arena);
    out->changes_table = gg_pg_table_sql(arena, catalog->database_schema, GG_PG_CHANGES_TABLE_NAME);
    for (unsigned i = 0; i < catalog->model_count; i++) {
        build_model(arena, &out->models[i], catalog->models[i], catalog->database_schema);
        out->models[i].sandbox_public = catalog->sandbox_public;
        const char *name = catalog->models[i]->name;
        gg_strmap_put(&out->by_name, name, strlen(name), &out->models[i]);
    }
    return out;
}

const gg_pg_model *gg_pg_models_find(const gg_pg_models *models, const char *name)
{
    return name ? gg_strmap_gets(&models->by_name, name) : NULL;
}

const gg_amplify_field *gg_pg_model_field(const gg_pg_model *model, const char *name)
{
    uintptr_t i = (uintptr_t)gg_strmap_gets(&model->field_index, name);
    return i ? &model->model->fields[i - 1] : NULL;
}

const gg_pg_column *gg_pg_model_column(const gg_pg_model *model, const char *name)
{
    uintptr_t i = (uintptr_t)gg_strmap_gets(&model->field_index, name);
    return i && model->columns[i - 1].field ? &model->columns[i - 1] : NULL;
}

const gg_amplify_index *gg_pg_model_index(const gg_pg_model *model, const char *name)
{
    for (unsigned i = 0; name && i < model->model->index_count; i++)
        if (strcmp(model->model->indexes[i].name, name) == 0) return &model->model->indexes[i];
    return NULL;
}

void gg_pg_quote_ident(gg_buf *out, const char *name)
{
    gg_buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') gg_buf_putc(out, '"');
        gg_buf_putc(out, *p);
    }
    gg_buf_putc(out, '"');
}

void gg_pg_quote_literal(gg_buf *out, const char *s)
{
    /* standard_conforming_strings is on since PostgreSQL 9.1: only quotes need doubling; E'' is
     * avoided so a backslash stays a backslash */
    gg_buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'') gg_buf_putc(out, '\'');
        gg_buf_putc(out, *p);
    }
    gg_buf_putc(out, '\'');
}

#define AWS_DATETIME_FORMAT "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"

/* The output SQL of one scalar value expr of a type written out as output. */
static const char *scalar_output(gg_arena *arena, gg_pg_output output, const char *expr)
{
    switch (output) {
    case GG_PG_OUTPUT_TIMESTAMPTZ:
        return gg_arena_printf(arena, "to_char((%s) AT TIME ZONE 'UTC', " AWS_DATETIME_FORMAT ")", expr);
    case GG_PG_OUTPUT_TIMESTAMP:
        return gg_arena_printf(arena, "to_char(%s, " AWS_DATETIME_FORMAT ")", expr);
    case GG_PG_OUTPUT_DATE:
        return gg_arena_printf(arena, "to_char(%s, 'YYYY-MM-DD')", expr);
    case GG_PG_OUTPUT_TIME:
        return gg_arena_printf(arena, "to_char(%s, 'HH24:MI:SS.MS')", expr);
    case GG_PG_OUTPUT_TIMETZ:
        return gg_arena_printf(arena, "to_char(((%s) AT TIME ZONE 'UTC')::time, 'HH24:MI:SS.MS\"Z\"')", expr);
    case GG_PG_OUTPUT_TEXT:
        /* the type's output function, as a plain SELECT shows it (inet: 10.1.2.3, where ::text
         * gives 10.1.2.3/32); none of these types has an empty text, so '' is NULL */
        return gg_arena_printf(arena, "NULLIF(format('%%s', %s), '')", expr);
    default:
        return expr;
    }
}

/* The date and time outputs travel as seconds since 1970-01-01 00:00 (UTC for timestamptz and
 * timetz, the wall time for timestamp, since midnight for the times): date_part('epoch') is a
 * double precision whose text depends on neither DateStyle nor TimeZone, so a pooler that shares
 * or resets sessions cannot change it, and it costs PostgreSQL what sending the stored value
 * costs (to_char's format interpretation cost list-10 half its rate; extract(epoch)'s numeric
 * about a fifth more: tests/bench/pg_dates.py). Its shortest exact text (extra_float_digits 1,
 * the default) keeps every microsecond to the year 2255 and every millisecond beyond; with
 * extra_float_digits 0 a value within a microsecond of the next millisecond rounds up to it.
 * gg_pg_wire_text writes AppSync's form from it. */
static bool is_wire_output(gg_pg_output output)
{
    return output == GG_PG_OUTPUT_TIMESTAMPTZ || output == GG_PG_OUTPUT_TIMESTAMP || output == GG_PG_OUTPUT_DATE ||
           output == GG_PG_OUTPUT_TIME || output == GG_PG_OUTPUT_TIMETZ;
}

bool gg_pg_column_on_wire(const gg_pg_column *c)
{
    return c->output != GG_PG_OUTPUT_ARRAY && is_wire_output(c->output);
}

bool gg_pg_column_wire_parts(const gg_pg_column *c, const char **before, const char **after)
{
    if (!gg_pg_column_on_wire(c)) return false;
    bool timetz = c->output == GG_PG_OUTPUT_TIMETZ; /* the time of day in UTC: 11:24+01 is 10:24Z */
    *before = timetz ? "date_part('epoch', ((" : "date_part('epoch', ";
    *after = timetz ? ") AT TIME ZONE 'UTC')::time)" : ")";
    return true;
}

const char *gg_pg_column_wire(gg_arena *arena, const gg_pg_column *c, const char *expr)
{
    const char *before, *after;
    if (!gg_pg_column_wire_parts(c, &before, &after)) return gg_pg_column_output(arena, c, expr);
    return gg_arena_printf(arena, "%s%s%s", before, expr, after);
}

/* The days since 1970-01-01 as a proleptic Gregorian date (the civil-from-days computation on
 * 400-year eras of 146,097 days, each starting on a March 1st). */
static void civil_date(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468; /* 0000-03-01 to 1970-01-01 */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t shifted_month = (5 * day_of_year + 2) / 153; /* 0 = March */
    *day = (unsigned)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    *month = (unsigned)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    *year = year_of_era + era * 400 + (*month <= 2);
}

/* The wire texts are written two digits at a time from a table: snprintf's format interpretation
 * cost about 4,000 instructions per timestamp, 10% of a get-by-id's work in graphgate (callgrind),
 * and a digit loop still 600. */
static const char two_digits[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                    "8081828384858687888990919293949596979899";

/* Writes v (below 100) as two digits at out; returns the end. */
static char *put_two_digits(char *out, unsigned v)
{
    memcpy(out, two_digits + 2 * v, 2);
    return out + 2;
}

/* Writes a year in at least four digits at out; returns the end. */
static char *put_year(char *out, uint64_t year)
{
    if (year < 10000) return put_two_digits(put_two_digits(out, (unsigned)(year / 100)), (unsigned)(year % 100));
    char digits[20];
    int n = 0;
    for (; year > 0; year /= 10)
        digits[n++] = (char)('0' + year % 10);
    while (n > 0)
        *out++ = digits[--n];
    return out;
}

size_t gg_pg_wire_text(gg_pg_output output, const char *text, size_t len, char out[GG_PG_WIRE_TEXT_MAX])
{
    /* [-]seconds[.fraction], digits past the sixth ignored (PostgreSQL keeps microseconds);
     * Infinity is no date (to_char, which wrote these before, gave NULL too); an exponent only
     * comes with 10^15 seconds and more, out of PostgreSQL's range */
    size_t i = 0;
    bool negative = i < len && text[i] == '-';
    if (negative) i++;
    int64_t seconds = 0, micros = 0;
    size_t digits = 0;
    for (; i < len && text[i] >= '0' && text[i] <= '9' && digits < 14; i++, digits++)
        seconds = seconds * 10 + (text[i] - '0');
    if (digits == 0 || seconds >= INT64_MAX / 1000000) return 0; /* (the last 29 years of timestamp's range) */
    if (i < len && text[i] == '.') {
        int64_t scale = 100000;
        for (i++; i < len && text[i] >= '0' && text[i] <= '9'; i++, scale /= 10)
            if (scale > 0) micros += (text[i] - '0') * scale;
    }
    if (i != len) return 0;
    int64_t total = seconds * 1000000 + micros; /* no overflow: checked above */
    if (negative) total = -total;
    int64_t day_us = INT64_C(86400000000);
    int64_t days = total >= 0 ? total / day_us : -((-total + day_us - 1) / day_us);
    int64_t in_day = output == GG_PG_OUTPUT_TIME || output == GG_PG_OUTPUT_TIMETZ ? total : total - days * day_us;
    if (in_day < 0 || in_day > day_us) return 0; /* a time is 00:00 to 24:00 */
    unsigned hour = (unsigned)(in_day / INT64_C(3600000000)), minute = (unsigned)(in_day / 60000000 % 60),
             second = (unsigned)(in_day / 1000000 % 60), milli = (unsigned)(in_day / 1000 % 1000);
    char *at = out;
    if (output != GG_PG_OUTPUT_TIME && output != GG_PG_OUTPUT_TIMETZ) {
        int64_t year;
        unsigned month, day;
        civil_date(days, &year, &month, &day);
        if (year <= 0) year = 1 - year; /* as to_char's YYYY writes a year BC */
        at = put_year(at, (uint64_t)year);
        *at++ = '-';
        at = put_two_digits(at, month);
        *at++ = '-';
        at = put_two_digits(at, day);
        if (output == GG_PG_OUTPUT_DATE) return (size_t)(at - out);
        *at++ = 'T';
    }
    at = put_two_digits(at, hour % 100); /* 24 at most */
    *at++ = ':';
    at = put_two_digits(at, minute);
    *at++ = ':';
    at = put_two_digits(at, second);
    *at++ = '.';
    *at++ = (char)('0' + milli / 100);
    at = put_two_digits(at, milli % 100);
    if (output != GG_PG_OUTPUT_TIME) *at++ = 'Z';
    return (size_t)(at - out);
}

const char *gg_pg_column_output(gg_arena *arena, const gg_pg_column *c, const char *expr)
{
    if (c->output != GG_PG_OUTPUT_ARRAY) return scalar_output(arena, c->output, expr);
    if (c->item_output == GG_PG_OUTPUT_AS_IS) return gg_arena_printf(arena, "to_jsonb(%s)", expr);
    /* the elements in their own format, in order; NULL stays NULL and {} stays [] */
    return gg_arena_printf(arena,
                           "(SELECT CASE WHEN (%s) IS NULL THEN NULL ELSE COALESCE(jsonb_agg(%s ORDER BY gg_i), "
                           "'[]'::jsonb) END FROM unnest(%s) WITH ORDINALITY AS gg_e(gg_v, gg_i))",
                           expr, scalar_output(arena, c->item_output, "gg_v"), expr);
}

bool gg_pg_param_text(gg_arena *arena, const gg_val *v, const gg_pg_column *c, const char **text)
{
    *text = NULL;
    if (gg_val_is_null(v) || v->kind == GG_VAL_UNDEFINED) return true;
    char num[40];
    switch (c->kind) {
    case GG_COLUMN_TEXT:
        if (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM) {
            if (memchr(v->s, '\0', v->len) != NULL) return false; /* PostgreSQL text cannot hold NUL */
            *text = v->s;
            return true;
        }
        if (v->kind == GG_VAL_INT) {
            *text = gg_arena_printf(arena, "%" PRId64, v->i);
            return true;
        }
        return false;
    case GG_COLUMN_INT:
        if (v->kind == GG_VAL_INT) {
            *text = gg_arena_printf(arena, "%" PRId64, v->i);
            return true;
        }
        return false;
    case GG_COLUMN_FLOAT:
        if (v->kind == GG_VAL_INT) {
            *text = gg_arena_printf(arena, "%" PRId64, v->i);
            return true;
        }
        if (v->kind == GG_VAL_FLOAT && isfinite(v->f)) {
            gg_format_double(v->f, num);
            *text = gg_arena_strdup(arena, num);
            return true;
        }
        return false;
    case GG_COLUMN_BOOL:
        if (v->kind != GG_VAL_BOOL) return false;
        *text = v->b ? "true" : "false";
        return true;
    case GG_COLUMN_JSON: {
        gg_buf b;
        gg_buf_init(&b);
        gg_val_write_json(&b, v);
        bool ok = memchr(b.data, '\0', b.len) == NULL;
        *text = gg_arena_strndup(arena, b.data, b.len);
        gg_buf_free(&b);
        return ok;
    }
    }
    return false;
}
