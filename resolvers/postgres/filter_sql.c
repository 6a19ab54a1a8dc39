/* filter_sql.c: Amplify filters to SQL expressions; see filter_sql.h for the semantics.
 *
 * The translation is a recursive walk over the filter value. Every value becomes a "$N::type"
 * parameter, the cast naming the column's storage type so that prepared statements have fixed
 * parameter types. Recursion depth is bounded by the GraphQL document, which is itself bounded by
 * the parser's nesting limit. */
#include "filter_sql.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct filter_ctx {
    gg_buf *sql;
    gg_sql_params *params;
    gg_filter_lookup_fn lookup;
    void *data;
    const char *error;
} filter_ctx;

static bool fail(filter_ctx *ctx, const char *message)
{
    if (ctx->error == NULL)
        ctx->error = message;
    return false;
}

static const char *cast_for(gg_column_kind kind)
{
    switch (kind) {
    case GG_COLUMN_INT: return "::bigint";
    case GG_COLUMN_FLOAT: return "::float8";
    case GG_COLUMN_BOOL: return "::boolean";
    case GG_COLUMN_JSON: return "::jsonb";
    default: return "::text";
    }
}

/* The text form of a value for a parameter of the given kind; NULL when it does not fit. */
static const char *param_text(filter_ctx *ctx, const gg_val *v, gg_column_kind kind)
{
    gg_arena *arena = ctx->params->arena;
    char num[40];
    switch (kind) {
    case GG_COLUMN_TEXT:
        if (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM)
            return v->s;
        if (v->kind == GG_VAL_INT)
            return gg_arena_printf(arena, "%" PRId64, v->i);
        return NULL;
    case GG_COLUMN_INT:
        if (v->kind == GG_VAL_INT)
            return gg_arena_printf(arena, "%" PRId64, v->i);
        if (v->kind == GG_VAL_FLOAT && v->f == floor(v->f) && fabs(v->f) < 9.2e18)
            return gg_arena_printf(arena, "%" PRId64, (int64_t)v->f);
        return NULL;
    case GG_COLUMN_FLOAT:
        if (v->kind == GG_VAL_INT)
            return gg_arena_printf(arena, "%" PRId64, v->i);
        if (v->kind == GG_VAL_FLOAT && isfinite(v->f)) {
            gg_format_double(v->f, num);
            return gg_arena_strdup(arena, num);
        }
        return NULL;
    case GG_COLUMN_BOOL:
        if (v->kind == GG_VAL_BOOL)
            return v->b ? "true" : "false";
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
    if (text == NULL)
        return fail(ctx, "Unable to process the filter expression: a value has the wrong type.");
    unsigned n = gg_sql_params_add(ctx->params, text);
    gg_buf_printf(ctx->sql, "$%u%s", n, cast_for(kind));
    return true;
}

static bool put_comparison(filter_ctx *ctx, const char *lhs, const char *op, const gg_val *v, gg_column_kind kind)
{
    gg_buf_printf(ctx->sql, "%s %s ", lhs, op);
    return put_param(ctx, v, kind);
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
    gg_buf_printf(ctx->sql, negate ? "(%s IS NULL OR %s NOT IN (" : "%s IN (", expr, expr);
    for (unsigned i = 0; i < list->count; i++) {
        if (i)
            gg_buf_puts(ctx->sql, ", ");
        if (gg_val_is_null(list->items[i]))
            return fail(ctx, "Unable to process the filter expression: in and notIn take no null values.");
        if (!put_param(ctx, list->items[i], kind))
            return false;
    }
    gg_buf_puts(ctx->sql, negate ? "))" : ")");
    return true;
}

static bool translate_contains(filter_ctx *ctx, const char *expr, const gg_filter_column *col, const gg_val *v)
{
    if (gg_val_is_null(v))
        return fail(ctx, "Unable to process the filter expression: contains takes a value.");
    if (col != NULL && col->is_list) {
        gg_buf_printf(ctx->sql, "%s @> jsonb_build_array(", expr);
        if (!put_param(ctx, v, col->item_kind))
            return false;
        gg_buf_putc(ctx->sql, ')');
        return true;
    }
    gg_buf_printf(ctx->sql, "strpos(%s, ", expr);
    if (!put_param(ctx, v, GG_COLUMN_TEXT))
        return false;
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
    case GG_COLUMN_TEXT: stored = "string"; break;
    case GG_COLUMN_INT:
    case GG_COLUMN_FLOAT: stored = "number"; break;
    case GG_COLUMN_BOOL: stored = "bool"; break;
    case GG_COLUMN_JSON: {
        const char *json_type = strcmp(t, "string") == 0 ? "string"
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
        length = gg_arena_printf(ctx->params->arena, "(CASE jsonb_typeof(%s) WHEN 'array' THEN jsonb_array_length(%s) "
                                                     "WHEN 'string' THEN char_length(%s #>> '{}') END)",
                                 expr, expr, expr);
    else if (col->kind == GG_COLUMN_TEXT)
        length = gg_arena_printf(ctx->params->arena, "char_length(%s)", expr);
    else
        return fail(ctx, "Unable to process the filter expression: size applies to strings and lists.");
    return translate_operators(ctx, length, NULL, GG_COLUMN_INT, ops);
}

static bool translate_operator(filter_ctx *ctx, const char *expr, const gg_filter_column *col, gg_column_kind kind,
                               const char *op, const gg_val *v)
{
    bool is_null = gg_val_is_null(v);
    if (strcmp(op, "eq") == 0) {
        if (is_null) {
            gg_buf_printf(ctx->sql, "%s IS NULL", expr);
            return true;
        }
        return put_comparison(ctx, expr, "=", v, kind);
    }
    if (strcmp(op, "ne") == 0) {
        if (is_null) {
            gg_buf_printf(ctx->sql, "%s IS NOT NULL", expr);
            return true;
        }
        return put_comparison(ctx, expr, "IS DISTINCT FROM", v, kind);
    }
    static const struct {
        const char *name, *sql;
    } ordering[] = {{"lt", "<"}, {"le", "<="}, {"gt", ">"}, {"ge", ">="}};
    for (unsigned i = 0; i < 4; i++) {
        if (strcmp(op, ordering[i].name) == 0) {
            if (is_null) {
                gg_buf_puts(ctx->sql, "FALSE"); /* nothing compares with a missing value */
                return true;
            }
            return put_comparison(ctx, expr, ordering[i].sql, v, kind);
        }
    }
    if (strcmp(op, "between") == 0) {
        if (is_null || v->kind != GG_VAL_LIST || v->count != 2 || gg_val_is_null(v->items[0]) ||
            gg_val_is_null(v->items[1]))
            return fail(ctx, "Unable to process the filter expression: between takes exactly two values.");
        gg_buf_printf(ctx->sql, "%s BETWEEN ", expr);
        if (!put_param(ctx, v->items[0], kind))
            return false;
        gg_buf_puts(ctx->sql, " AND ");
        return put_param(ctx, v->items[1], kind);
    }
    if (strcmp(op, "beginsWith") == 0) {
        if (is_null || kind != GG_COLUMN_TEXT)
            return fail(ctx, "Unable to process the filter expression: beginsWith takes a string.");
        gg_buf_printf(ctx->sql, "starts_with(%s, ", expr);
        if (!put_param(ctx, v, GG_COLUMN_TEXT))
            return false;
        gg_buf_putc(ctx->sql, ')');
        return true;
    }
    if (strcmp(op, "contains") == 0)
        return translate_contains(ctx, expr, col, v);
    if (strcmp(op, "notContains") == 0) {
        gg_buf_puts(ctx->sql, "NOT coalesce(");
        if (!translate_contains(ctx, expr, col, v))
            return false;
        gg_buf_puts(ctx->sql, ", FALSE)");
        return true;
    }
    if (strcmp(op, "in") == 0 || strcmp(op, "notIn") == 0) {
        if (is_null)
            return fail(ctx, "Unable to process the filter expression: in and notIn take a list.");
        return translate_in(ctx, expr, kind, v, op[0] == 'n');
    }
    if (strcmp(op, "attributeExists") == 0) {
        if (v == NULL || v->kind != GG_VAL_BOOL)
            return fail(ctx, "Unable to process the filter expression: attributeExists takes a Boolean.");
        gg_buf_printf(ctx->sql, "%s IS %s", expr, v->b ? "NOT NULL" : "NULL");
        return true;
    }
    if (strcmp(op, "attributeType") == 0 && col != NULL) {
        if (is_null)
            return fail(ctx, "Unable to process the filter expression: attributeType takes a value.");
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
    if (ops->kind != GG_VAL_OBJECT)
        return fail(ctx, "Unable to process the filter expression.");
    unsigned written = 0;
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < ops->count; i++) {
        if (ops->members[i].value != NULL && ops->members[i].value->kind == GG_VAL_UNDEFINED)
            continue;
        if (written++)
            gg_buf_puts(ctx->sql, " AND ");
        if (!translate_operator(ctx, expr, col, kind, ops->members[i].key, ops->members[i].value))
            return false;
    }
    if (written == 0)
        gg_buf_puts(ctx->sql, "TRUE");
    gg_buf_putc(ctx->sql, ')');
    return true;
}

static bool translate_filter(filter_ctx *ctx, const gg_val *filter);

static bool translate_list(filter_ctx *ctx, const gg_val *list, const char *joiner, const char *empty)
{
    if (list->kind != GG_VAL_LIST)
        return fail(ctx, "Unable to process the filter expression: and/or take a list.");
    if (list->count == 0) {
        gg_buf_puts(ctx->sql, empty);
        return true;
    }
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < list->count; i++) {
        if (i)
            gg_buf_puts(ctx->sql, joiner);
        if (!translate_filter(ctx, list->items[i]))
            return false;
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
    if (filter->kind != GG_VAL_OBJECT)
        return fail(ctx, "Unable to process the filter expression.");
    unsigned written = 0;
    gg_buf_putc(ctx->sql, '(');
    for (unsigned i = 0; i < filter->count; i++) {
        const char *key = filter->members[i].key;
        const gg_val *v = filter->members[i].value;
        if (v != NULL && v->kind == GG_VAL_UNDEFINED)
            continue;
        if (gg_val_is_null(v) && (strcmp(key, "and") == 0 || strcmp(key, "or") == 0 || strcmp(key, "not") == 0))
            continue; /* an explicit null combinator constrains nothing */
        if (written++)
            gg_buf_puts(ctx->sql, " AND ");
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
            const gg_filter_column *col = ctx->lookup(ctx->data, key);
            if (col == NULL)
                return fail(ctx, "Unable to process the filter expression.");
            if (gg_val_is_null(v)) {
                gg_buf_puts(ctx->sql, "TRUE");
                ok = true;
            } else {
                ok = translate_operators(ctx, col->sql, col, col->kind, v);
            }
        }
        if (!ok)
            return false;
    }
    if (written == 0)
        gg_buf_puts(ctx->sql, "TRUE");
    gg_buf_putc(ctx->sql, ')');
    return true;
}

bool gg_filter_to_sql(gg_buf *sql, gg_sql_params *params, const gg_val *filter, gg_filter_lookup_fn lookup,
                      void *data, const char **error)
{
    filter_ctx ctx = {.sql = sql, .params = params, .lookup = lookup, .data = data, .error = NULL};
    bool ok = translate_filter(&ctx, filter);
    *error = ok ? NULL : ctx.error;
    return ok;
}
