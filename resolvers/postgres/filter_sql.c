/* filter_sql.c: Amplify filters to SQL expressions; see filter_sql.h for the semantics.
 *
 * The translation is a recursive walk over the filter value. Every value becomes a "$N::type"
 * parameter, the cast naming the column's storage type so that prepared statements have fixed
 * parameter types; each comparison writes one expression, so the SQL grows linearly with the
 * filter. Before translating, a first walk counts how often each column is read, and columns read
 * GG_FILTER_SHARED_READS times or more are read once per row through a subquery (filter_sql.h
 * says why). The size walk (gg_filter_measure) follows the same structure as the translation, so
 * what it counts is what becomes SQL. Recursion depth is bounded by the nesting limit of the
 * document parser and of the JSON parser of variables, and by limits.max_filter_depth. */
#include "filter_sql.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A column the filter reads, with how often; shared columns are read through gg_filter_row. */
typedef struct column_reads {
    const char *field;
    const gg_filter_column *column;
    uint64_t reads;
    gg_filter_column shared; /* the column as gg_filter_row.cN (when shared.sql is set) */
} column_reads;

typedef struct filter_ctx {
    gg_buf *sql;
    gg_sql_params *params;
    gg_filter_lookup_fn lookup;
    void *data;
    const char *error;
    const char *cast; /* the compared column's own type (gg_filter_column.cast) while its comparisons are written */
    const gg_filter_column *cast_column; /* the column of cast (its malformed check) */
    column_reads *columns;
    unsigned column_count, column_capacity;
} filter_ctx;

/* ---- size ---- */

static uint64_t at_least_one(uint64_t n)
{
    return n ? n : 1;
}

static uint64_t operand_bytes(const gg_val *v)
{
    if (v == NULL) return 0;
    switch (v->kind) {
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        return v->len;
    case GG_VAL_LIST: {
        uint64_t n = 0;
        for (unsigned i = 0; i < v->count; i++)
            n += operand_bytes(v->items[i]) + 1;
        return n;
    }
    case GG_VAL_OBJECT: {
        uint64_t n = 0;
        for (unsigned i = 0; i < v->count; i++)
            n += strlen(v->members[i].key) + operand_bytes(v->members[i].value) + 1;
        return n;
    }
    default:
        return 8;
    }
}

static bool is_absent(const gg_val *v)
{
    return v == NULL || v->kind == GG_VAL_UNDEFINED || gg_val_is_null(v);
}

static void note_operand(gg_filter_size *size, const gg_val *v)
{
    uint64_t n = operand_bytes(v);
    if (n > size->operand_bytes) size->operand_bytes = n;
}

/* Comparisons of an operator object (what translate_operators writes). */
static uint64_t measure_operators(const gg_val *ops, gg_filter_size *size)
{
    if (ops == NULL || ops->kind != GG_VAL_OBJECT) return 1;
    uint64_t terms = 0;
    for (unsigned i = 0; i < ops->count; i++) {
        const char *op = ops->members[i].key;
        const gg_val *v = ops->members[i].value;
        if (v != NULL && v->kind == GG_VAL_UNDEFINED) continue;
        if ((strcmp(op, "in") == 0 || strcmp(op, "notIn") == 0) && v != NULL && v->kind == GG_VAL_LIST) {
            if (v->count > size->in_items) size->in_items = v->count;
            for (unsigned k = 0; k < v->count; k++)
                note_operand(size, v->items[k]);
            terms += at_least_one(v->count);
        } else if (strcmp(op, "between") == 0 && v != NULL && v->kind == GG_VAL_LIST) {
            for (unsigned k = 0; k < v->count; k++)
                note_operand(size, v->items[k]);
            terms += at_least_one(v->count / 2);
        } else if (strcmp(op, "size") == 0 && v != NULL && v->kind == GG_VAL_OBJECT) {
            terms += at_least_one(measure_operators(v, size));
        } else {
            note_operand(size, v);
            terms++;
        }
    }
    return terms;
}

/* Comparisons of a filter object at nesting level `level` (what translate_filter writes). */
static uint64_t measure_filter(const gg_val *filter, unsigned level, gg_filter_size *size)
{
    if (filter == NULL || filter->kind != GG_VAL_OBJECT) return 0;
    if (level > size->depth) size->depth = level;
    uint64_t terms = 0;
    for (unsigned i = 0; i < filter->count; i++) {
        const char *key = filter->members[i].key;
        const gg_val *v = filter->members[i].value;
        if (is_absent(v)) continue;
        if (strcmp(key, "and") == 0 || strcmp(key, "or") == 0) {
            if (v->kind != GG_VAL_LIST) continue;
            for (unsigned k = 0; k < v->count; k++)
                terms += at_least_one(measure_filter(v->items[k], level + 1, size));
        } else if (strcmp(key, "not") == 0) {
            terms += at_least_one(measure_filter(v, level + 1, size));
        } else {
            terms += at_least_one(measure_operators(v, size));
        }
    }
    return terms;
}

void gg_filter_measure(const gg_val *filter, gg_filter_size *size)
{
    *size = (gg_filter_size){0};
    size->terms = measure_filter(filter, 1, size);
}

const char *gg_filter_check_limits(gg_arena *arena, const gg_filter_limits *limits, const gg_val *filter)
{
    gg_filter_size size;
    gg_filter_measure(filter, &size);
    if (limits->max_terms && size.terms > limits->max_terms)
        return gg_arena_printf(
            arena, "Filter terms limit of %u exceeded, found %" PRIu64 ". (server setting limits.max_filter_terms)",
            limits->max_terms, size.terms);
    if (limits->max_depth && size.depth > limits->max_depth)
        return gg_arena_printf(arena,
                               "Filter depth limit of %u exceeded, found %u. (server setting limits.max_filter_depth)",
                               limits->max_depth, size.depth);
    if (limits->max_in_items && size.in_items > limits->max_in_items)
        return gg_arena_printf(arena,
                               "Filter in/notIn list limit of %u values exceeded, found %" PRIu64
                               ". (server setting limits.max_filter_in_items)",
                               limits->max_in_items, size.in_items);
    if (limits->max_operand_bytes && size.operand_bytes > limits->max_operand_bytes)
        return gg_arena_printf(arena,
                               "Filter operand size limit of %u bytes exceeded, found %" PRIu64
                               ". (server setting limits.max_filter_operand_bytes)",
                               limits->max_operand_bytes, size.operand_bytes);
    return NULL;
}

/* ---- columns read many times ---- */

static column_reads *find_column(filter_ctx *ctx, const char *field)
{
    for (unsigned i = 0; i < ctx->column_count; i++)
        if (strcmp(ctx->columns[i].field, field) == 0) return &ctx->columns[i];
    return NULL;
}

static void count_read(filter_ctx *ctx, const char *field, uint64_t reads)
{
    column_reads *c = find_column(ctx, field);
    if (c == NULL) {
        const gg_filter_column *column = ctx->lookup(ctx->data, field);
        if (column == NULL) return; /* the translation reports it */
        if (ctx->column_count == ctx->column_capacity) {
            unsigned capacity = ctx->column_capacity ? 2 * ctx->column_capacity : 8;
            column_reads *grown = gg_arena_array(ctx->params->arena, capacity, sizeof *grown);
            if (ctx->column_count) memcpy(grown, ctx->columns, ctx->column_count * sizeof *grown);
            ctx->columns = grown;
            ctx->column_capacity = capacity;
        }
        c = &ctx->columns[ctx->column_count++];
        *c = (column_reads){.field = field, .column = column};
    }
    c->reads += reads;
}

/* Counts, per field, the comparisons that read its column. */
static void count_reads(filter_ctx *ctx, const gg_val *filter)
{
    if (filter == NULL || filter->kind != GG_VAL_OBJECT) return;
    for (unsigned i = 0; i < filter->count; i++) {
        const char *key = filter->members[i].key;
        const gg_val *v = filter->members[i].value;
        if (is_absent(v)) continue;
        if (strcmp(key, "and") == 0 || strcmp(key, "or") == 0) {
            if (v->kind == GG_VAL_LIST)
                for (unsigned k = 0; k < v->count; k++)
                    count_reads(ctx, v->items[k]);
        } else if (strcmp(key, "not") == 0) {
            count_reads(ctx, v);
        } else if (v->kind == GG_VAL_OBJECT) {
            gg_filter_size ignored = {0};
            count_read(ctx, key, measure_operators(v, &ignored));
        }
    }
}

/* Writes "(EXISTS (SELECT FROM (SELECT <detoasted column> AS cN, ... OFFSET 0) AS gg_filter_row
 * WHERE " and points the shared columns at gg_filter_row; false when no column is shared. */
static bool open_shared_columns(filter_ctx *ctx)
{
    unsigned shared = 0;
    for (unsigned i = 0; i < ctx->column_count; i++) {
        column_reads *c = &ctx->columns[i];
        bool large = c->column->kind == GG_COLUMN_TEXT || c->column->kind == GG_COLUMN_JSON;
        /* a column of its own type is compared as that type: a text copy would change how it compares */
        if (!large || c->column->constant || c->column->cast || c->reads < GG_FILTER_SHARED_READS) continue;
        gg_buf_puts(ctx->sql, shared ? ", " : "(EXISTS (SELECT FROM (SELECT ");
        /* both make a detoasted copy: `|| ''` a new text, `#> '{}'` the whole (detoasted) jsonb */
        gg_buf_printf(ctx->sql, c->column->kind == GG_COLUMN_TEXT ? "(%s || '') AS c%u" : "(%s #> '{}') AS c%u",
                      c->column->sql, shared);
        c->shared = *c->column;
        c->shared.sql = gg_arena_printf(ctx->params->arena, "gg_filter_row.c%u", shared);
        shared++;
    }
    if (shared) gg_buf_puts(ctx->sql, " OFFSET 0) AS gg_filter_row WHERE ");
    return shared > 0;
}

/* The column of a field: its gg_filter_row copy when shared. */
static const gg_filter_column *column_of(filter_ctx *ctx, const char *field)
{
    column_reads *c = find_column(ctx, field);
    if (c != NULL && c->shared.sql != NULL) return &c->shared;
    return ctx->lookup(ctx->data, field);
}

/* ---- translation ---- */

static bool fail(filter_ctx *ctx, const char *message)
{
    if (ctx->error == NULL) ctx->error = message;
    return false;
}

static const char *cast_for(gg_column_kind kind)
{
    switch (kind) {
    case GG_COLUMN_INT:
        return "::bigint";
    case GG_COLUMN_FLOAT:
        return "::float8";
    case GG_COLUMN_BOOL:
        return "::boolean";
    case GG_COLUMN_JSON:
        return "::jsonb";
    default:
        return "::text";
    }
}

/* The text form of a value for a parameter of the given kind; NULL when it does not fit. */
static const char *param_text(filter_ctx *ctx, const gg_val *v, gg_column_kind kind)
{
    gg_arena *arena = ctx->params->arena;
    char num[40];
    switch (kind) {
    case GG_COLUMN_TEXT:
        if (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM) return v->s;
        if (v->kind == GG_VAL_INT) return gg_arena_printf(arena, "%" PRId64, v->i);
        return NULL;
    case GG_COLUMN_INT:
        if (v->kind == GG_VAL_INT) return gg_arena_printf(arena, "%" PRId64, v->i);
        if (v->kind == GG_VAL_FLOAT && v->f == floor(v->f) && fabs(v->f) < 9.2e18)
            return gg_arena_printf(arena, "%" PRId64, (int64_t)v->f);
        return NULL;
    case GG_COLUMN_FLOAT:
        if (v->kind == GG_VAL_INT) return gg_arena_printf(arena, "%" PRId64, v->i);
        if (v->kind == GG_VAL_FLOAT && isfinite(v->f)) {
            gg_format_double(v->f, num);
            return gg_arena_strdup(arena, num);
        }
        return NULL;
    case GG_COLUMN_BOOL:
        if (v->kind == GG_VAL_BOOL) return v->b ? "true" : "false";
        return NULL;
    case GG_COLUMN_JSON: {
        gg_buf b;
        gg_buf_init(&b);
        gg_val_write_json(&b, v);
        char *s = gg_arena_strndup(arena, b.data, b.len);
        gg_buf_free(&b);
        return s;
    }
    }
    return NULL;
}

/* Appends "$N::cast" for value; false when the value does not fit the kind. */
static bool put_param(filter_ctx *ctx, const gg_val *v, gg_column_kind kind)
{
    const char *text = param_text(ctx, v, kind);
    if (text == NULL) return fail(ctx, "Unable to process the filter expression: a value has the wrong type.");
    const gg_filter_column *col = ctx->cast ? ctx->cast_column : NULL;
    const char *expected = col && col->malformed ? col->malformed(col, ctx->params->arena, &text) : NULL;
    if (expected != NULL)
        return fail(ctx,
                    gg_arena_printf(ctx->params->arena,
                                    "Unable to process the filter expression: a value is not a valid %s.", expected));
    unsigned n = gg_sql_params_add(ctx->params, text);
    if (col != NULL && col->at_utc)
        gg_buf_printf(ctx->sql, "($%u::%s AT TIME ZONE 'UTC')", n, ctx->cast);
    else if (ctx->cast != NULL)
        gg_buf_printf(ctx->sql, "$%u::%s", n, ctx->cast);
    else
        gg_buf_printf(ctx->sql, "$%u%s", n, cast_for(kind));
    return true;
}

/* The schema of the compared column's operators while they must be named (gg_filter_column.operator_schema):
 * only with the cast, so that both sides have the column's type. */
static const char *operator_schema(const filter_ctx *ctx)
{
    return ctx->cast != NULL && ctx->cast_column != NULL ? ctx->cast_column->operator_schema : NULL;
}

/* Comparison operator op ("=", "<" ...) as written for the compared column. */
static const char *operator_sql(filter_ctx *ctx, const char *op)
{
    const char *schema = operator_schema(ctx);
    return schema ? gg_arena_printf(ctx->params->arena, "OPERATOR(%s.%s)", schema, op) : op;
}

static bool put_comparison(filter_ctx *ctx, const char *lhs, const char *op, const gg_val *v, gg_column_kind kind)
{
    gg_buf_printf(ctx->sql, "%s %s ", lhs, operator_sql(ctx, op));
    return put_param(ctx, v, kind);
}

/* With a cast: the first value v's text is a prefix of (gg_filter_column.partial), else NULL. */
static const char *partial_start(filter_ctx *ctx, const gg_filter_column *col, const gg_val *v)
{
    if (ctx->cast == NULL || col == NULL || col->partial == NULL || v == NULL || v->kind != GG_VAL_STRING) return NULL;
    return col->partial(col, ctx->params->arena, v->s);
}

/* "lhs op $N::cast" for the first value a prefix begins (partial_start). */
static void put_start_comparison(filter_ctx *ctx, const char *lhs, const char *op, const char *start)
{
    unsigned n = gg_sql_params_add(ctx->params, start);
    gg_buf_printf(ctx->sql, "%s %s $%u::%s", lhs, operator_sql(ctx, op), n, ctx->cast);
}

/* An operator object applied to an expression of the given kind (used for fields and for size). */
static bool translate_operators(filter_ctx *ctx, const char *expr, const gg_filter_column *col, gg_column_kind kind,
                                const gg_val *ops);

static bool translate_in(filter_ctx *ctx, const char *expr, gg_column_kind kind, const gg_val *list, bool negate)
{
    if (list->kind != GG_VAL_LIST)
        return fail(ctx, "Unable to process the filter expression: in and notIn take a list.");
    if (list->count == 0) {
        gg_buf_puts(ctx->sql, negate ? "TRUE" : "FALSE");
        return true;
    }
    /* IN resolves a bare =: with named operators, = ANY (ARRAY[...]) (no value is null, so NOT of it is NOT IN) */
    bool named = operator_schema(ctx) != NULL;
    if (named && negate)
        gg_buf_printf(ctx->sql, "(%s IS NULL OR NOT %s %s ANY (ARRAY[", expr, expr, operator_sql(ctx, "="));
    else if (named)
        gg_buf_printf(ctx->sql, "%s %s ANY (ARRAY[", expr, operator_sql(ctx, "="));
    else
        gg_buf_printf(ctx->sql, negate ? "(%s IS NULL OR %s NOT IN (" : "%s IN (", expr, expr);
    for (unsigned i = 0; i < list->count; i++) {
        if (i) gg_buf_puts(ctx->sql, ", ");
        if (gg_val_is_null(list->items[i]))
            return fail(ctx, "Unable to process the filter expression: in and notIn take no null values.");
        if (!put_param(ctx, list->items[i], kind)) return false;
    }
    if (named)
        gg_buf_puts(ctx->sql, negate ? "]))" : "])");
    else
        gg_buf_puts(ctx->sql, negate ? "))" : ")");
    return true;
}

/* "(expr)::text ILIKE $N::text" for a citext column (gg_filter_column.case_insensitive): whether its
 * text begins with v's (anywhere: holds it), ignoring case. citext's own operators (eq, ne, in,
 * lt ..., through the cast to citext) compare lower() of both sides, and so does ILIKE, so every
 * operator agrees on what "equal" means; starts_with, and strpos given a text value, read the
 * column as text and compare case-sensitively. ILIKE on the text rather than lower() on both sides, because of
 * indexes: a citext btree index (ordered by lower() in the collation) serves the comparisons but
 * no prefix or substring test whichever way it is written, while text's ILIKE is what a pg_trgm
 * index on the column (USING gin (col gin_trgm_ops), allowed on citext) serves, for beginsWith and
 * contains alike; lower(col) would need an expression index made for it. The value's LIKE
 * wildcards (% _ and the escape \) are escaped, so it matches as text. */
static bool put_case_insensitive_match(filter_ctx *ctx, const char *expr, const gg_val *v, bool anywhere)
{
    const char *text = param_text(ctx, v, GG_COLUMN_TEXT);
    if (text == NULL) return fail(ctx, "Unable to process the filter expression: a value has the wrong type.");
    gg_buf pattern;
    gg_buf_init(&pattern);
    if (anywhere) gg_buf_putc(&pattern, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') gg_buf_putc(&pattern, '\\');
        gg_buf_putc(&pattern, *p);
    }
    gg_buf_putc(&pattern, '%');
    unsigned n = gg_sql_params_add(ctx->params, gg_arena_strndup(ctx->params->arena, pattern.data, pattern.len));
    gg_buf_free(&pattern);
    gg_buf_printf(ctx->sql, "(%s)::text ILIKE $%u::text", expr, n);
    return true;
}

static bool translate_contains(filter_ctx *ctx, const char *expr, const gg_filter_column *col, const gg_val *v)
{
    if (gg_val_is_null(v)) return fail(ctx, "Unable to process the filter expression: contains takes a value.");
    if (col != NULL && col->is_list && col->case_insensitive) { /* citext[]: an item equal as citext is */
        gg_buf_printf(ctx->sql,
                      "EXISTS (SELECT FROM jsonb_array_elements_text(%s) AS item(v) WHERE lower(item.v) = lower(",
                      expr);
        if (!put_param(ctx, v, GG_COLUMN_TEXT)) return false;
        gg_buf_puts(ctx->sql, "))");
        return true;
    }
    if (col != NULL && col->is_list) {
        gg_buf_printf(ctx->sql, "%s @> jsonb_build_array(", expr);
        if (!put_param(ctx, v, col->item_kind)) return false;
        gg_buf_putc(ctx->sql, ')');
        return true;
    }
    /* an AWSJSON value, as DynamoDB's contains reads what it holds: a string's substring, a list's
     * item, nothing in a map or a number (strpos of jsonb itself is no function: a DatabaseError) */
    if (col != NULL && col->kind == GG_COLUMN_JSON) {
        gg_buf_printf(ctx->sql, "(CASE jsonb_typeof(%s) WHEN 'string' THEN strpos(%s #>> '{}', ", expr, expr);
        if (!put_param(ctx, v, GG_COLUMN_TEXT)) return false;
        gg_buf_printf(ctx->sql, ") > 0 WHEN 'array' THEN %s @> jsonb_build_array(", expr);
        if (!put_param(ctx, v, GG_COLUMN_TEXT)) return false;
        gg_buf_puts(ctx->sql, ") ELSE FALSE END)");
        return true;
    }
    if (col != NULL && col->case_insensitive) return put_case_insensitive_match(ctx, expr, v, true);
    if (col != NULL && col->text_sql != NULL) expr = col->text_sql;
    gg_buf_printf(ctx->sql, "strpos(%s, ", expr);
    if (!put_param(ctx, v, GG_COLUMN_TEXT)) return false;
    gg_buf_puts(ctx->sql, ") > 0");
    return true;
}

static bool translate_attribute_type(filter_ctx *ctx, const char *expr, const gg_filter_column *col, const gg_val *v)
{
    if (v->kind != GG_VAL_ENUM && v->kind != GG_VAL_STRING)
        return fail(ctx, "Unable to process the filter expression: attributeType takes a ModelAttributeTypes value.");
    const char *t = v->s;
    if (strcmp(t, "_null") == 0) {
        gg_buf_printf(ctx->sql, "%s IS NULL", expr);
        return true;
    }
    const char *stored = NULL; /* what the column holds when it is not NULL */
    switch (col->kind) {
    case GG_COLUMN_TEXT:
        stored = "string";
        break;
    case GG_COLUMN_INT:
    case GG_COLUMN_FLOAT:
        stored = "number";
        break;
    case GG_COLUMN_BOOL:
        stored = "bool";
        break;
    case GG_COLUMN_JSON: {
        const char *json_type = strcmp(t, "string") == 0   ? "string"
                                : strcmp(t, "number") == 0 ? "number"
                                : strcmp(t, "bool") == 0   ? "boolean"
                                : strcmp(t, "list") == 0 || strcmp(t, "stringSet") == 0 || strcmp(t, "numberSet") == 0
                                    ? "array"
                                : strcmp(t, "map") == 0 ? "object"
                                                        : NULL;
        if (json_type == NULL)
            gg_buf_puts(ctx->sql, "FALSE");
        else
            gg_buf_printf(ctx->sql, "jsonb_typeof(%s) = '%s'", expr, json_type);
        return true;
    }
    }
    if (strcmp(t, stored) == 0)
        gg_buf_printf(ctx->sql, "%s IS NOT NULL", expr);
    else
        gg_buf_puts(ctx->sql, "FALSE");
    return true;
}

static bool translate_size(filter_ctx *ctx, const char *expr, const gg_filter_column *col, const gg_val *ops)
{
    const char *length;
    if (col->is_list || col->kind == GG_COLUMN_JSON)
        length = gg_arena_printf(ctx->params->arena,
                                 "(CASE jsonb_typeof(%s) WHEN 'array' THEN jsonb_array_length(%s) "
                                 "WHEN 'string' THEN char_length(%s #>> '{}') END)",
                                 expr, expr, expr);
    else if (col->kind == GG_COLUMN_TEXT)
        length = gg_arena_printf(ctx->params->arena, "char_length(%s)", col->text_sql ? col->text_sql : expr);
    else
        return fail(ctx, "Unable to process the filter expression: size applies to strings and lists.");
    return translate_operators(ctx, length, NULL, GG_COLUMN_INT, ops);
}

static bool translate_operator(filter_ctx *ctx, const char *expr, const gg_filter_column *col, gg_column_kind kind,
                               const char *op, const gg_val *v)
{
    bool is_null = gg_val_is_null(v);
    /* comparisons cast their values to the column's own type; string operators work on text */
    bool compares = strcmp(op, "beginsWith") != 0 && strcmp(op, "contains") != 0 && strcmp(op, "notContains") != 0;
    ctx->cast = compares && col != NULL && col->cast != NULL && kind == col->kind ? col->cast : NULL;
    ctx->cast_column = col;
    const char *start = is_null ? NULL : partial_start(ctx, col, v);
    if (strcmp(op, "eq") == 0) {
        if (is_null) {
            gg_buf_printf(ctx->sql, "%s IS NULL", expr);
            return true;
        }
        if (start != NULL) { /* a stored value is longer than the prefix: never equal */
            gg_buf_puts(ctx->sql, "FALSE");
            return true;
        }
        return put_comparison(ctx, expr, "=", v, kind);
    }
    if (strcmp(op, "ne") == 0) {
        if (is_null) {
            gg_buf_printf(ctx->sql, "%s IS NOT NULL", expr);
            return true;
        }
        if (start != NULL) {
            gg_buf_puts(ctx->sql, "TRUE");
            return true;
        }
        if (operator_schema(ctx) != NULL) { /* IS DISTINCT FROM resolves a bare = */
            gg_buf_printf(ctx->sql, "(%s IS NULL OR ", expr);
            if (!put_comparison(ctx, expr, "<>", v, kind)) return false;
            gg_buf_putc(ctx->sql, ')');
            return true;
        }
        return put_comparison(ctx, expr, "IS DISTINCT FROM", v, kind);
    }
    static const struct {
        const char *name, *sql, *before_or_from; /* the operator for the first value a prefix begins */
    } ordering[] = {{"lt", "<", "<"}, {"le", "<=", "<"}, {"gt", ">", ">="}, {"ge", ">=", ">="}};
    for (unsigned i = 0; i < 4; i++) {
        if (strcmp(op, ordering[i].name) == 0) {
            if (is_null) {
                gg_buf_puts(ctx->sql, "FALSE"); /* nothing compares with a missing value */
                return true;
            }
            if (start != NULL) {
                put_start_comparison(ctx, expr, ordering[i].before_or_from, start);
                return true;
            }
            return put_comparison(ctx, expr, ordering[i].sql, v, kind);
        }
    }
    if (strcmp(op, "between") == 0) {
        if (is_null || v->kind != GG_VAL_LIST || v->count != 2 || gg_val_is_null(v->items[0]) ||
            gg_val_is_null(v->items[1]))
            return fail(ctx, "Unable to process the filter expression: between takes exactly two values.");
        const char *low = partial_start(ctx, col, v->items[0]), *high = partial_start(ctx, col, v->items[1]);
        if (low == NULL && high == NULL && operator_schema(ctx) == NULL) { /* BETWEEN resolves bare >= and <= */
            gg_buf_printf(ctx->sql, "%s BETWEEN ", expr);
            if (!put_param(ctx, v->items[0], kind)) return false;
            gg_buf_puts(ctx->sql, " AND ");
            return put_param(ctx, v->items[1], kind);
        }
        gg_buf_putc(ctx->sql, '(');
        if (low != NULL)
            put_start_comparison(ctx, expr, ">=", low);
        else if (!put_comparison(ctx, expr, ">=", v->items[0], kind))
            return false;
        gg_buf_puts(ctx->sql, " AND ");
        if (high != NULL)
            put_start_comparison(ctx, expr, "<", high);
        else if (!put_comparison(ctx, expr, "<=", v->items[1], kind))
            return false;
        gg_buf_putc(ctx->sql, ')');
        return true;
    }
    if (strcmp(op, "beginsWith") == 0) {
        if (is_null || kind != GG_COLUMN_TEXT)
            return fail(ctx, "Unable to process the filter expression: beginsWith takes a string.");
        if (col != NULL && col->case_insensitive) return put_case_insensitive_match(ctx, expr, v, false);
        gg_buf_printf(ctx->sql, "starts_with(%s, ", col != NULL && col->text_sql != NULL ? col->text_sql : expr);
        if (!put_param(ctx, v, GG_COLUMN_TEXT)) return false;
        gg_buf_putc(ctx->sql, ')');
        return true;
    }
    if (strcmp(op, "contains") == 0) return translate_contains(ctx, expr, col, v);
    if (strcmp(op, "notContains") == 0) {
        gg_buf_puts(ctx->sql, "NOT coalesce(");
        if (!translate_contains(ctx, expr, col, v)) return false;
        gg_buf_puts(ctx->sql, ", FALSE)");
        return true;
    }
    if (strcmp(op, "in") == 0 || strcmp(op, "notIn") == 0) {
        if (is_null) return fail(ctx, "Unable to process the filter expression: in and notIn take a list.");
        return translate_in(ctx, expr, kind, v, op[0] == 'n');
    }
    if (strcmp(op, "attributeExists") == 0) {
        if (v == NULL || v->kind != GG_VAL_BOOL)
            return fail(ctx, "Unable to process the filter expression: attributeExists takes a Boolean.");
        gg_buf_printf(ctx->sql, "%s IS %s", expr, v->b ? "NOT NULL" : "NULL");
        return true;
    }
    if (strcmp(op, "attributeType") == 0 && col != NULL) {
        if (is_null) return fail(ctx, "Unable to process the filter expression: attributeType takes a value.");
        return translate_attribute_type(ctx, expr, col, v);
    }
    if (strcmp(op, "size") == 0 && col != NULL) {
        if (is_null || v->kind != GG_VAL_OBJECT)
            return fail(ctx, "Unable to process the filter expression: size takes a ModelSizeInput.");
        return translate_size(ctx, expr, col, v);
    }
    return fail(ctx, "Unable to process the filter expression.");
}

static bool translate_operators(filter_ctx *ctx, const char *expr, const gg_filter_column *col, gg_column_kind kind,
                                const gg_val *ops)
{
    if (ops->kind != GG_VAL_OBJECT) return fail(ctx, "Unable to process the filter expression.");
    unsigned written = 0;
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < ops->count; i++) {
        if (ops->members[i].value != NULL && ops->members[i].value->kind == GG_VAL_UNDEFINED) continue;
        if (written++) gg_buf_puts(ctx->sql, " AND ");
        if (!translate_operator(ctx, expr, col, kind, ops->members[i].key, ops->members[i].value)) return false;
    }
    if (written == 0) gg_buf_puts(ctx->sql, "TRUE");
    gg_buf_putc(ctx->sql, ')');
    return true;
}

static bool translate_filter(filter_ctx *ctx, const gg_val *filter);

static bool translate_list(filter_ctx *ctx, const gg_val *list, const char *joiner, const char *empty)
{
    if (list->kind != GG_VAL_LIST) return fail(ctx, "Unable to process the filter expression: and/or take a list.");
    if (list->count == 0) {
        gg_buf_puts(ctx->sql, empty);
        return true;
    }
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < list->count; i++) {
        if (i) gg_buf_puts(ctx->sql, joiner);
        if (!translate_filter(ctx, list->items[i])) return false;
    }
    gg_buf_putc(ctx->sql, ')');
    return true;
}

static bool translate_filter(filter_ctx *ctx, const gg_val *filter)
{
    if (gg_val_is_null(filter)) {
        gg_buf_puts(ctx->sql, "TRUE");
        return true;
    }
    if (filter->kind != GG_VAL_OBJECT) return fail(ctx, "Unable to process the filter expression.");
    unsigned written = 0;
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < filter->count; i++) {
        const char *key = filter->members[i].key;
        const gg_val *v = filter->members[i].value;
        if (v != NULL && v->kind == GG_VAL_UNDEFINED) continue;
        if (gg_val_is_null(v) && (strcmp(key, "and") == 0 || strcmp(key, "or") == 0 || strcmp(key, "not") == 0))
            continue; /* an explicit null combinator constrains nothing */
        if (written++) gg_buf_puts(ctx->sql, " AND ");
        bool ok;
        if (strcmp(key, "and") == 0) {
            ok = translate_list(ctx, v, " AND ", "TRUE");
        } else if (strcmp(key, "or") == 0) {
            ok = translate_list(ctx, v, " OR ", "FALSE");
        } else if (strcmp(key, "not") == 0) {
            gg_buf_puts(ctx->sql, "NOT coalesce(");
            ok = translate_filter(ctx, v);
            gg_buf_puts(ctx->sql, ", FALSE)");
        } else {
            const gg_filter_column *col = column_of(ctx, key);
            if (col == NULL) return fail(ctx, "Unable to process the filter expression.");
            if (gg_val_is_null(v)) {
                gg_buf_puts(ctx->sql, "TRUE");
                ok = true;
            } else {
                ok = translate_operators(ctx, col->sql, col, col->kind, v);
            }
        }
        if (!ok) return false;
    }
    if (written == 0) gg_buf_puts(ctx->sql, "TRUE");
    gg_buf_putc(ctx->sql, ')');
    return true;
}

bool gg_filter_to_sql(gg_buf *sql, gg_sql_params *params, const gg_val *filter, gg_filter_lookup_fn lookup, void *data,
                      gg_fault *fault)
{
    filter_ctx ctx = {.sql = sql, .params = params, .lookup = lookup, .data = data, .error = NULL};
    count_reads(&ctx, filter);
    bool shared = open_shared_columns(&ctx);
    bool ok = translate_filter(&ctx, filter);
    if (shared) gg_buf_puts(sql, "))");
    if (!ok) gg_fault_set_text(fault, NULL, ctx.error ? ctx.error : "Unable to process the filter expression");
    return ok;
}
