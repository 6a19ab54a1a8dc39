/* pg_model.c: storage of catalog models in PostgreSQL; see pg_model.h for the type mapping.
 *
 * Everything is computed once per catalog: quoted names, storage types and a name -> field map
 * per model, so the per-request SQL builders only look things up. */
#include "pg_model.h"

#include "datastore_store.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
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

bool gg_pg_column_ignores_case(const gg_pg_column *c)
{
    if (c->case_insensitive) return true;
    if (c->output != GG_PG_OUTPUT_ARRAY || c->item_type == NULL) return false;
    /* format_type's name of the element type: citext, or schema-qualified when its extension lives
     * outside the search_path (Supabase installs extensions into "extensions") */
    const char *dot = strrchr(c->item_type, '.');
    return strcmp(dot ? dot + 1 : c->item_type, "citext") == 0;
}

const char *gg_pg_column_operator(gg_arena *arena, const gg_pg_column *c, const char *op)
{
    return c->operator_schema ? gg_arena_printf(arena, "OPERATOR(%s.%s)", c->operator_schema, op) : op;
}

const char *gg_pg_join_operator(gg_arena *arena, const gg_pg_column *a, const gg_pg_column *b)
{
    if (a->operator_schema == NULL || b->operator_schema == NULL || strcmp(a->operator_schema, b->operator_schema) != 0)
        return "=";
    return gg_pg_column_operator(arena, a, "=");
}

/* The columns of fields, or NULL when one is not a column. */
static const gg_pg_column **columns_of(gg_arena *arena, const gg_pg_model *pm, const char **fields, unsigned count)
{
    if (count == 0) return NULL;
    const gg_pg_column **cols = gg_arena_array(arena, count, sizeof *cols);
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

bool gg_pg_relation_reference(gg_arena *arena, const gg_pg_models *models, const gg_pg_model *pm,
                              const gg_amplify_relation *r, gg_pg_reference *out)
{
    const char *target_name = r->kind == GG_AMPLIFY_MANY_TO_MANY ? r->join_model : r->target;
    const gg_pg_model *target = gg_pg_models_find(models, target_name);
    unsigned n = r->local_count;
    if (target == NULL || n == 0 || r->remote_count < n) return false;
    const gg_pg_column **local = columns_of(arena, pm, r->local_fields, n);
    const gg_pg_column **remote = columns_of(arena, target, r->remote_fields, n);
    if (local == NULL || remote == NULL) return false;
    if (is_whole_key(target, remote, n) && !is_whole_key(pm, local, n))
        *out = (gg_pg_reference){.from = pm, .to = target, .from_cols = local, .count = n};
    else if (is_whole_key(pm, local, n) && !is_whole_key(target, remote, n))
        *out = (gg_pg_reference){.from = target, .to = pm, .from_cols = remote, .count = n};
    else
        return false;
    out->prefix = r->remote_count != n;
    return true;
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

/* The rows plan selects date and time columns as they are stored, with no function around them:
 * PostgreSQL then parses nothing more per column (date_part('epoch', col), which this replaced,
 * cost a get-by-id a sixth of PostgreSQL's rate in parse analysis: pgbench, one client, three date
 * columns, 12.8k against 15.1k statements per second), and sends each type's own output function's
 * text, which gg_pg_wire_text reads. That text depends on DateStyle, whose ISO form is the only one
 * read here (the SQL, Postgres and German forms end up refused, never misread): pg_pool.c sets the
 * session's DateStyle to ISO when the server reports another (a database or role may set one),
 * and PgBouncer keeps it for each client. The offsets depend on TimeZone; they are read, whatever
 * they are, so timestamptz and timetz come out in UTC. */
static bool is_wire_output(gg_pg_output output)
{
    return output == GG_PG_OUTPUT_TIMESTAMPTZ || output == GG_PG_OUTPUT_TIMESTAMP || output == GG_PG_OUTPUT_DATE ||
           output == GG_PG_OUTPUT_TIME || output == GG_PG_OUTPUT_TIMETZ;
}

bool gg_pg_column_on_wire(const gg_pg_column *c)
{
    return c->output != GG_PG_OUTPUT_ARRAY && is_wire_output(c->output);
}

const char *gg_pg_column_wire(gg_arena *arena, const gg_pg_column *c, const char *expr)
{
    return gg_pg_column_on_wire(c) ? expr : gg_pg_column_output(arena, c, expr);
}

/* The days since 1970-01-01 of a proleptic Gregorian date (year 0 is 1 BC), and back: the
 * civil-from-days computation on 400-year eras of 146,097 days, each starting on a March 1st. */
static int64_t days_of_date(int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468; /* 0000-03-01 to 1970-01-01 */
}

static void civil_date(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    /* within the era, unsigned 32 bits: a division by a constant is a multiply and a shift */
    uint32_t day_of_era = (uint32_t)(days - era * 146097);
    uint32_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    uint32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    uint32_t shifted_month = (5 * day_of_year + 2) / 153; /* 0 = March */
    *day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    *year = (int64_t)year_of_era + era * 400 + (*month <= 2);
}

/* The days of a month of a proleptic Gregorian year (year 0 is 1 BC, a leap year). */
static unsigned days_in_month(int64_t year, unsigned month)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); /* a remainder's sign is no matter */
    return month == 2 && leap ? 29 : days[month - 1];
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

/* A reader of PostgreSQL's ISO output: the text left, from at to end. */
typedef struct iso_text {
    const char *at, *end;
} iso_text;

/* Reads min to max digits as a number; false when there are fewer than min. */
static bool read_number(iso_text *t, unsigned min, unsigned max, int64_t *value)
{
    unsigned count = 0;
    *value = 0;
    for (; t->at < t->end && count < max && *t->at >= '0' && *t->at <= '9'; t->at++, count++)
        *value = *value * 10 + (*t->at - '0');
    return count >= min;
}

/* Reads the character c. */
static bool read_char(iso_text *t, char c)
{
    if (t->at >= t->end || *t->at != c) return false;
    t->at++;
    return true;
}

/* Reads YYYY-MM-DD (a year of 4 to 7 digits: date's range ends in 5874897); whether the day
 * exists is checked once " BC" is read. */
static bool read_date(iso_text *t, int64_t *year, unsigned *month, unsigned *day)
{
    int64_t y, m, d;
    if (!read_number(t, 4, 7, &y) || !read_char(t, '-') || !read_number(t, 2, 2, &m) || !read_char(t, '-') ||
        !read_number(t, 2, 2, &d))
        return false;
    *year = y;
    *month = (unsigned)m;
    *day = (unsigned)d;
    return y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Reads HH:MM:SS[.ffffff] as microseconds since midnight: 24:00:00 at most (time's own end). */
static bool read_time(iso_text *t, int64_t *micros)
{
    int64_t hour, minute, second, fraction = 0;
    if (!read_number(t, 2, 2, &hour) || !read_char(t, ':') || !read_number(t, 2, 2, &minute) || !read_char(t, ':') ||
        !read_number(t, 2, 2, &second))
        return false;
    if (read_char(t, '.')) {
        const char *start = t->at;
        if (!read_number(t, 1, 6, &fraction)) return false;
        for (ptrdiff_t digits = t->at - start; digits < 6; digits++)
            fraction *= 10;
    }
    if (minute > 59 || second > 59) return false;
    *micros = ((hour * 60 + minute) * 60 + second) * 1000000 + fraction;
    return *micros <= INT64_C(86400000000);
}

/* Reads a UTC offset, +HH, +HH:MM or +HH:MM:SS (or -), as seconds east of Greenwich. */
static bool read_offset(iso_text *t, int64_t *seconds)
{
    int sign = read_char(t, '+') ? 1 : read_char(t, '-') ? -1 : 0;
    int64_t hours, minutes = 0, secs = 0;
    if (sign == 0 || !read_number(t, 2, 2, &hours)) return false;
    if (read_char(t, ':') && (!read_number(t, 2, 2, &minutes) || (read_char(t, ':') && !read_number(t, 2, 2, &secs))))
        return false;
    if (hours > 15 || minutes > 59 || secs > 59) return false; /* PostgreSQL's limit: 15:59:59 */
    *seconds = sign * ((hours * 60 + minutes) * 60 + secs);
    return true;
}

/* Whether text is exactly word. */
static bool is_text(const char *text, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(text, word, len) == 0;
}

/* The unreadable result of gg_pg_wire_text. */
static size_t unreadable(char *out)
{
    memcpy(out, "unreadable", sizeof "unreadable");
    return 0;
}

/* Writes the AppSync form of a date (year 0 is 1 BC) and time of day (microseconds from 0, below a
 * day but for a time's 24:00) into out; returns the length. */
static size_t write_shown(gg_pg_output output, int64_t year, unsigned month, unsigned day, int64_t in_day, char *out)
{
    /* one 64-bit division, the rest in 32 bits */
    uint32_t seconds = (uint32_t)((uint64_t)in_day / 1000000), milli = (uint32_t)((uint64_t)in_day % 1000000) / 1000;
    unsigned hour = seconds / 3600, minute = seconds / 60 % 60, second = seconds % 60;
    char *at = out;
    if (output != GG_PG_OUTPUT_TIME && output != GG_PG_OUTPUT_TIMETZ) {
        if (year <= 0) year = 1 - year; /* as to_char's YYYY writes a year BC */
        at = put_year(at, (uint64_t)year);
        *at++ = '-';
        at = put_two_digits(at, month);
        *at++ = '-';
        at = put_two_digits(at, day);
        if (output == GG_PG_OUTPUT_DATE) return (size_t)(at - out);
        *at++ = 'T';
    }
    at = put_two_digits(at, hour); /* 24 at most */
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

size_t gg_pg_wire_text(gg_pg_output output, const char *text, size_t len, char out[GG_PG_WIRE_TEXT_MAX])
{
    iso_text t = {text, text + len};
    bool has_date = output != GG_PG_OUTPUT_TIME && output != GG_PG_OUTPUT_TIMETZ;
    bool has_time = output != GG_PG_OUTPUT_DATE;
    bool has_offset = output == GG_PG_OUTPUT_TIMESTAMPTZ || output == GG_PG_OUTPUT_TIMETZ;
    if (has_date && (is_text(text, len, "infinity") || is_text(text, len, "-infinity"))) {
        out[0] = '\0'; /* no date: to_char, which wrote these before, gave NULL too */
        return 0;
    }
    int64_t year = 0, in_day = 0, offset = 0;
    unsigned month = 1, day = 1;
    if (has_date && !read_date(&t, &year, &month, &day)) return unreadable(out);
    if (has_date && has_time && !read_char(&t, ' ')) return unreadable(out);
    if (has_time && !read_time(&t, &in_day)) return unreadable(out);
    if (has_offset && !read_offset(&t, &offset)) return unreadable(out);
    if (has_date) {
        if (t.end - t.at == 3 && memcmp(t.at, " BC", 3) == 0) {
            year = 1 - year; /* 1 BC is year 0 */
            t.at += 3;
        }
        if (day > days_in_month(year, month)) return unreadable(out);
        if (has_time && in_day >= INT64_C(86400000000)) return unreadable(out); /* 24:00 is a time's only */
    }
    if (t.at != t.end) return unreadable(out);
    int64_t day_us = INT64_C(86400000000);
    in_day -= offset * 1000000;          /* UTC: 11:24+01 is 10:24Z */
    if (output == GG_PG_OUTPUT_TIMETZ) { /* the time of day, as AT TIME ZONE 'UTC' gives it: 24:00+00 is 00:00Z */
        in_day = (in_day % day_us + day_us) % day_us;
    } else if (has_date && (in_day < 0 || in_day >= day_us)) { /* the offset moved it to another day */
        int64_t days = days_of_date(year, month, day) + (in_day < 0 ? -1 : 1);
        in_day += in_day < 0 ? day_us : -day_us;
        civil_date(days, &year, &month, &day);
    }
    return write_shown(output, year, month, day, in_day, out);
}

size_t gg_pg_wire_write(gg_pg_output output, int64_t days, int64_t micros, char out[GG_PG_WIRE_TEXT_MAX])
{
    int64_t day_us = INT64_C(86400000000);
    if (output == GG_PG_OUTPUT_TIMETZ) micros = (micros % day_us + day_us) % day_us;
    if (output == GG_PG_OUTPUT_TIME || output == GG_PG_OUTPUT_TIMETZ) return write_shown(output, 0, 1, 1, micros, out);
    int64_t whole_days = micros / day_us - (micros % day_us < 0); /* rounded down: an instant before 1970 */
    int64_t year;
    unsigned month, day;
    civil_date(days + whole_days, &year, &month, &day);
    return write_shown(output, year, month, day, micros - whole_days * day_us, out);
}

/* Whether the date that text starts with (YYYY-MM-DD, the year of four digits) is one AWSDate's
 * calendar check accepts: only a February 29th can fail, in a year BC written as its number. */
static bool standard_date(const char *text)
{
    if (memcmp(text + 5, "02-29", 5) != 0) return true;
    unsigned year = 0;
    for (unsigned i = 0; i < 4; i++)
        year = year * 10 + (unsigned)(text[i] - '0');
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

bool gg_pg_wire_standard(gg_pg_output output, const char *text, size_t len)
{
    switch (output) {
    case GG_PG_OUTPUT_TIMESTAMPTZ: /* 2026-12-06T11:24:12.849Z */
    case GG_PG_OUTPUT_TIMESTAMP:
        return len == 24 && standard_date(text);
    case GG_PG_OUTPUT_DATE: /* 2026-12-06 */
        return len == 10 && standard_date(text);
    case GG_PG_OUTPUT_TIME: /* 11:24:12.849; 24:00:00.000 is time's end, no AWSTime */
        return len == 12 && !(text[0] == '2' && text[1] == '4');
    case GG_PG_OUTPUT_TIMETZ: /* 11:24:12.849Z (a time of day in UTC: below 24:00) */
        return len == 13;
    default:
        return false;
    }
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
