/* plan_sql.c: the SQL pieces both plans share; see plan_sql.h. (The write statements are
 * plan_write.c's.)
 *
 * Pages are keyset pages: the order is the index's sort key (or the primary key) completed by the
 * primary key, so it is total, and a nextToken holds the last row's values of that order, signed
 * (cursor.h, context "model|index|direction"); a token is checked before any SQL is written and
 * its values become parameters cast to the key columns' types.
 *
 * @auth rules (auth_sql.h) are written here for both plans: a page's source carries the listed
 * model's predicate as a WHERE term of its own (the user's filter is another term, so it narrows,
 * never widens); a single related row's source carries its model's; a get selects its predicate as
 * a column (gg_pg_plan_get_guard) to tell "absent" from "not yours"; a field with rules of its own
 * is selected as CASE WHEN <rule> THEN column END next to the rule (gg_pg_plan_field_read_of), and
 * filters read it the same way. Computed columns are gg_pg_columns with an expression. */
#include "plan_sql.h"

#include <string.h>

#include "column_types.h"
#include "datastore_sync.h"

void gg_pg_plan_builder_init(gg_pg_plan_builder *b, const gg_pg_target *target, gg_resolve_info *info,
                             const gg_cursor_key *key)
{
    const gg_pg_request *req = info->context;
    *b = (gg_pg_plan_builder){
        .info = info, .arena = info->arena, .target = target, .key = key, .identity = req ? req->identity : NULL};
    gg_sql_params_init(&b->params, info->arena);
}

bool gg_pg_plan_fail(gg_pg_plan_builder *b, const char *error_type, const char *message)
{
    if (b->failure.message == NULL) {
        b->failure.error_type = error_type;
        b->failure.message = message;
    }
    return false;
}

char *gg_pg_plan_buffer_to_arena(gg_pg_plan_builder *b, gg_buf *buf)
{
    char *s = gg_arena_strndup(b->arena, buf->data ? buf->data : "", buf->len);
    gg_buf_free(buf);
    return s;
}

const char *gg_pg_plan_numbered(gg_arena *arena, const char *prefix, int64_t v)
{
    char digits[24];
    size_t at = sizeof digits;
    uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[--at] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (v < 0) digits[--at] = '-';
    size_t prefix_len = strlen(prefix), len = sizeof digits - at;
    char *s = gg_arena_alloc(arena, prefix_len + len + 1);
    memcpy(s, prefix, prefix_len);
    memcpy(s + prefix_len, digits + at, len);
    s[prefix_len + len] = '\0';
    return s;
}

unsigned gg_pg_plan_column_set_add(gg_pg_plan_builder *b, gg_pg_plan_column_set *cols, const gg_pg_column *c)
{
    for (unsigned i = 0; i < cols->count; i++)
        if (cols->items[i] == c) return i;
    GG_VEC_PUSH(b->arena, *cols, c);
    return cols->count - 1;
}

/* Appends "$N::type" for a new parameter. */
void gg_pg_plan_put_parameter(gg_pg_plan_builder *b, gg_buf *out, const char *text, const char *sql_type)
{
    unsigned n = gg_sql_params_add(&b->params, text);
    gg_buf_printf(out, "$%u::%s", n, sql_type);
}

/* A value (or a list's item) the column's type cannot read: the client's error, named like a
 * scalar's, before any SQL (a malformed uuid, an integer out of range, February 30th). */
static bool put_malformed(gg_pg_plan_builder *b, const gg_pg_column *c, const gg_val *v)
{
    const gg_val *const *items = v->kind == GG_VAL_LIST ? (const gg_val *const *)v->items : &v;
    unsigned count = v->kind == GG_VAL_LIST ? v->count : 1;
    for (unsigned i = 0; i < count; i++) {
        const gg_val *item = items[i];
        char number[40];
        if (item->kind == GG_VAL_FLOAT) gg_format_double(item->f, number); /* a Float on a bigint: 12.5 */
        const char *text = item->kind == GG_VAL_STRING || item->kind == GG_VAL_ENUM ? item->s
                           : item->kind == GG_VAL_INT   ? gg_arena_printf(b->arena, "%lld", (long long)item->i)
                           : item->kind == GG_VAL_FLOAT ? number
                                                        : NULL;
        if (text == NULL || gg_pg_input_valid(c->input, text)) continue;
        return !gg_pg_plan_fail(b, "InvalidArgumentsError",
                                gg_arena_printf(b->arena, "Invalid value for field %s: not a valid %s.", c->field->name,
                                                gg_pg_input_name(c->input)));
    }
    return false;
}

/* A list for an array column with its items in the forms the element type reads (an AWSDate's
 * offset goes, as for a single date: gg_pg_input_text); v itself when nothing changes. */
static const gg_val *array_item_forms(gg_pg_plan_builder *b, const gg_pg_column *c, const gg_val *v)
{
    if (c->output != GG_PG_OUTPUT_ARRAY || v->kind != GG_VAL_LIST || c->input == GG_PG_INPUT_ANY) return v;
    gg_val *list = NULL;
    for (unsigned i = 0; i < v->count; i++) {
        const gg_val *item = v->items[i];
        const char *text = item->kind == GG_VAL_STRING ? gg_pg_input_text(b->arena, c->input, item->s) : NULL;
        if (list == NULL && (text == NULL || text == item->s)) continue;
        if (list == NULL) { /* the first changed item: copy those before it */
            list = gg_val_list(b->arena, v->count);
            for (unsigned j = 0; j < i; j++)
                gg_val_list_push(b->arena, list, v->items[j]);
        }
        gg_val_list_push(b->arena, list,
                         text != NULL && text != item->s ? gg_val_string(b->arena, text, strlen(text))
                                                         : (gg_val *)item);
    }
    return list != NULL ? list : v;
}

bool gg_pg_plan_put_value(gg_pg_plan_builder *b, gg_buf *out, const gg_val *v, const gg_pg_column *c)
{
    const gg_val *sent = v; /* checked as sent; written in the forms the type reads */
    v = array_item_forms(b, c, v);
    const char *text = NULL;
    if (!gg_pg_param_text(b->arena, v, c, &text))
        return gg_pg_plan_fail(b, "InvalidArgumentsError",
                               gg_arena_printf(b->arena, "Invalid value for field %s.", c->field->name));
    if (text != NULL && c->input != GG_PG_INPUT_ANY && put_malformed(b, c, sent)) return false;
    if (text != NULL && c->output != GG_PG_OUTPUT_ARRAY) text = gg_pg_input_text(b->arena, c->input, text);
    if (c->output == GG_PG_OUTPUT_ARRAY) { /* a list arrives as JSON: its items become the array's elements */
        unsigned n = gg_sql_params_add(&b->params, text);
        gg_buf_printf(out,
                      "(CASE WHEN $%u::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($%u::jsonb))"
                      "::%s END)",
                      n, n, c->sql_type);
        return true;
    }
    gg_pg_plan_put_parameter(b, out, text, c->sql_type);
    return true;
}

const gg_type *gg_pg_plan_named_type(const gg_field *def)
{
    return gg_type_named(def->type);
}

/* ---- @auth rules ---- */

gg_pg_auth_answer gg_pg_plan_auth(gg_pg_plan_builder *b, const gg_pg_model *pm, unsigned op, const char *alias,
                                  const char **predicate)
{
    gg_buf out;
    gg_buf_init(&out);
    gg_pg_auth_answer answer = gg_pg_auth_model(pm, op, b->identity, alias, &b->params, &out);
    *predicate = answer == GG_PG_AUTH_PREDICATE ? gg_pg_plan_buffer_to_arena(b, &out) : NULL;
    gg_buf_free(&out);
    return answer;
}

void gg_pg_plan_put_auth(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, unsigned op, const char *alias)
{
    const char *predicate = NULL;
    gg_pg_auth_answer answer = gg_pg_plan_auth(b, pm, op, alias, &predicate);
    if (answer == GG_PG_AUTH_DENY)
        gg_buf_puts(out, " AND FALSE");
    else if (answer == GG_PG_AUTH_PREDICATE)
        gg_buf_printf(out, " AND %s", predicate);
}

const char *gg_pg_plan_corr_with_auth(gg_pg_plan_builder *b, const char *corr, const gg_pg_model *pm, unsigned op,
                                      const char *alias)
{
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, corr ? corr : "");
    gg_pg_plan_put_auth(b, &out, pm, op, alias);
    return gg_pg_plan_buffer_to_arena(b, &out);
}

const gg_pg_column *gg_pg_plan_computed_column(gg_pg_plan_builder *b, const gg_pg_column *like, const char *expression)
{
    gg_pg_column *c = gg_arena_alloc(b->arena, sizeof *c);
    if (like) {
        *c = *like;
    } else {
        c->sql_type = "boolean";
        c->kind = c->item_kind = GG_COLUMN_BOOL;
    }
    c->expression = expression;
    c->quoted = gg_arena_printf(b->arena, "\"gg@c%u\"", ++b->next_computed);
    return c;
}

const gg_pg_column *gg_pg_plan_field_guard(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *f,
                                           unsigned op, const char *talias, bool *denied)
{
    *denied = false;
    if (!gg_pg_auth_field_has_rules(f)) return NULL;
    gg_buf out;
    gg_buf_init(&out);
    gg_pg_auth_answer answer = gg_pg_auth_field(pm, f, op, b->identity, talias, &b->params, &out);
    const char *predicate = gg_pg_plan_buffer_to_arena(b, &out);
    *denied = answer == GG_PG_AUTH_DENY;
    if (answer != GG_PG_AUTH_PREDICATE) return NULL;
    return gg_pg_plan_computed_column(b, NULL, gg_arena_printf(b->arena, "COALESCE(%s, false)", predicate));
}

const gg_pg_column *gg_pg_plan_relation_guard(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *f,
                                              unsigned op, const char *talias, bool *denied)
{
    gg_pg_plan_sides rs;
    *denied = false;
    if (f->relation == NULL || !gg_pg_plan_relation_sides(b, pm, f->relation, &rs)) return NULL;
    bool to_many = gg_pg_plan_is_to_many(f->relation);
    unsigned target_op = to_many ? GG_AMPLIFY_OP_LIST : GG_AMPLIFY_OP_GET;
    const char *alias = gg_pg_plan_numbered(b->arena, "t", ++b->next_alias);
    /* the answer first, with scratch parameters: the statement's list gets only the values it uses */
    gg_sql_params scratch;
    gg_sql_params_init(&scratch, b->arena);
    gg_buf out;
    gg_buf_init(&out);
    gg_pg_auth_answer answer = gg_pg_auth_model(rs.target, target_op, b->identity, alias, &scratch, &out);
    gg_buf_free(&out);
    *denied = answer == GG_PG_AUTH_DENY;
    if (*denied) return NULL;
    const gg_pg_column *own = gg_pg_plan_field_guard(b, pm, f, op, talias, denied);
    /* a list's predicate is its page's business; in a mutation's answer, AppSync redacts such a
     * relation (null, no error: the auth function's "subscriptions is protected" step), which
     * graphgate does not do, so a row the caller may not read stays a plain null there */
    if (*denied || answer != GG_PG_AUTH_PREDICATE || to_many || gg_pg_plan_is_mutation(b->target->op)) return own;
    /* true when no related row exists or one of them may be read */
    const char *predicate = NULL;
    gg_pg_plan_auth(b, rs.target, target_op, alias, &predicate);
    if (own) gg_buf_printf(&out, "%s AND ", own->expression);
    gg_buf_printf(&out, "COALESCE((SELECT bool_or(COALESCE(%s, false)) FROM %s %s WHERE TRUE", predicate,
                  rs.target->quoted_table, alias);
    for (unsigned i = 0; i < rs.count; i++)
        gg_buf_printf(&out, " AND %s.%s %s %s.%s", alias, rs.remote[i]->quoted,
                      gg_pg_join_operator(b->arena, rs.remote[i], rs.local[i]), talias, rs.local[i]->quoted);
    gg_buf_puts(&out, "), true)");
    return gg_pg_plan_computed_column(b, NULL, gg_pg_plan_buffer_to_arena(b, &out));
}

void gg_pg_plan_field_read_of(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_pg_column *c, unsigned op,
                              const char *talias, gg_pg_plan_field_read *read)
{
    *read = (gg_pg_plan_field_read){.value = c};
    read->guard = gg_pg_plan_field_guard(b, pm, c->field, op, talias, &read->denied);
    if (read->denied) {
        read->value = NULL;
    } else if (read->guard) { /* the value never leaves the database for a row whose field is denied */
        read->value = gg_pg_plan_computed_column(
            b, c, gg_arena_printf(b->arena, "CASE WHEN %s THEN %s.%s END", read->guard->expression, talias, c->quoted));
    }
}

gg_fault gg_pg_plan_unauthorized(gg_arena *arena, const char *field, const char *type)
{
    return (gg_fault){.error_type = "Unauthorized",
                      .message = gg_arena_printf(arena, "Not Authorized to access %s on type %s", field, type)};
}

bool gg_pg_plan_fail_unauthorized(gg_pg_plan_builder *b, const char *field, const char *type)
{
    gg_fault f = gg_pg_plan_unauthorized(b->arena, field, type);
    return gg_pg_plan_fail(b, f.error_type, f.message);
}

const gg_pg_column *gg_pg_plan_get_guard(gg_pg_plan_builder *b, const char *talias, gg_fault *denied)
{
    *denied = gg_pg_plan_unauthorized(b->arena, b->info->field->name, b->info->parent_type->name);
    const char *predicate = NULL;
    /* DENY never gets here: gg_pg_plan_build refuses it before planning */
    if (gg_pg_plan_auth(b, b->target->model, GG_AMPLIFY_OP_GET, talias, &predicate) != GG_PG_AUTH_PREDICATE)
        return NULL;
    return gg_pg_plan_computed_column(b, NULL, gg_arena_printf(b->arena, "COALESCE(%s, false)", predicate));
}

/* ---- filters ---- */

typedef struct masked_field { /* a field with @auth rules of its own, as the filter reads it */
    const char *field;
    const char *sql;       /* NULL::type (denied), or CASE WHEN <predicate> THEN column END */
    const char *predicate; /* the predicate's text (its parameters are bound once) */
} masked_field;

typedef struct lookup_ctx {
    gg_pg_plan_builder *b;
    const gg_pg_model *pm;
    const char *alias; /* NULL: every column is NULL (create's condition, evaluated on no item) */
    GG_VEC(masked_field) masked;
} lookup_ctx;

/* A filter on a field the caller may not read would tell its value row by row: the filter reads
 * it as the caller would (NULL where denied). Computed once per field, so its parameters are
 * bound once however often the filter names it. */
static const char *masked_column(lookup_ctx *lc, const gg_pg_column *c)
{
    for (unsigned i = 0; i < lc->masked.count; i++)
        if (strcmp(lc->masked.items[i].field, c->field->name) == 0) return lc->masked.items[i].sql;
    gg_pg_plan_builder *b = lc->b;
    gg_buf out;
    gg_buf_init(&out);
    gg_pg_auth_answer answer =
        gg_pg_auth_field(lc->pm, c->field, GG_AMPLIFY_OP_LIST, b->identity, lc->alias, &b->params, &out);
    masked_field m = {.field = c->field->name};
    if (answer == GG_PG_AUTH_ALLOW) {
        m.sql = gg_arena_printf(b->arena, "%s.%s", lc->alias, c->quoted);
    } else if (answer == GG_PG_AUTH_DENY) {
        m.sql = gg_arena_printf(b->arena, "NULL::%s", c->sql_type);
    } else {
        m.predicate = gg_pg_plan_buffer_to_arena(b, &out);
        m.sql = gg_arena_printf(b->arena, "(CASE WHEN %s THEN %s.%s END)", m.predicate, lc->alias, c->quoted);
    }
    gg_buf_free(&out);
    GG_VEC_PUSH(b->arena, lc->masked, m);
    return m.sql;
}

/* gg_filter_column.partial for a date or date-time column. */
static const char *partial_filter_value(const gg_filter_column *col, gg_arena *arena, const char *text)
{
    return gg_pg_input_partial_start(arena, (gg_pg_input)col->input, text);
}

/* gg_filter_column.malformed for a column of its own type. */
static const char *malformed_filter_value(const gg_filter_column *col, gg_arena *arena, const char **text)
{
    if (!gg_pg_input_valid((gg_pg_input)col->input, *text)) return gg_pg_input_name((gg_pg_input)col->input);
    *text = gg_pg_input_text(arena, (gg_pg_input)col->input, *text);
    return NULL;
}

static const gg_filter_column *lookup_column(void *data, const char *field)
{
    lookup_ctx *lc = data;
    const gg_pg_column *c = gg_pg_model_column(lc->pm, field);
    if (c == NULL) return NULL;
    gg_filter_column *fc = gg_arena_alloc(lc->b->arena, sizeof *fc);
    if (lc->alias && gg_pg_auth_field_has_rules(c->field))
        fc->sql = masked_column(lc, c);
    else
        fc->sql = lc->alias ? gg_arena_printf(lc->b->arena, "%s.%s", lc->alias, c->quoted)
                            : gg_arena_printf(lc->b->arena, "NULL::%s", c->sql_type);
    fc->kind = c->kind;
    fc->item_kind = c->item_kind;
    fc->is_list = c->is_list;
    fc->case_insensitive = gg_pg_column_ignores_case(c);
    /* a column of its own type (column_types.h): values are cast to it, string operators read its
     * text as the client sees it, and an array or json column is read as jsonb like a stored list */
    if (c->output == GG_PG_OUTPUT_ARRAY || strcmp(c->sql_type, "json") == 0) {
        fc->sql = gg_arena_printf(lc->b->arena, "(%s)::jsonb", gg_pg_column_output(lc->b->arena, c, fc->sql));
    } else if (c->native && !c->is_list && c->kind != GG_COLUMN_JSON) {
        fc->cast = c->sql_type;
        fc->operator_schema = c->operator_schema;
        if (c->kind == GG_COLUMN_TEXT && !c->text_like) fc->text_sql = gg_pg_column_output(lc->b->arena, c, fc->sql);
        if (c->input != GG_PG_INPUT_ANY) {
            fc->malformed = malformed_filter_value;
            fc->partial = partial_filter_value;
            fc->input = (int)c->input;
        }
        if (c->output == GG_PG_OUTPUT_TIMETZ) { /* 11:24+01 equals 10:24Z, as both are written out */
            fc->sql = gg_arena_printf(lc->b->arena, "(%s AT TIME ZONE 'UTC')", fc->sql);
            fc->at_utc = true;
        }
    }
    fc->constant = lc->alias == NULL;
    return fc;
}

/* Appends " AND <filter>" when filter is given. */
bool gg_pg_plan_put_filter(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                           const gg_val *filter, const char *error_type)
{
    if (gg_val_is_null(filter) || filter->kind == GG_VAL_UNDEFINED) return true;
    const char *refusal = gg_filter_check_limits(b->arena, &b->target->filter_limits, filter);
    if (refusal != NULL) return gg_pg_plan_fail(b, "ValidationError", refusal);
    lookup_ctx lc = {.b = b, .pm = pm, .alias = alias};
    gg_fault fault = {0};
    gg_buf_puts(out, " AND ");
    if (!gg_filter_to_sql(out, &b->params, filter, lookup_column, &lc, &fault))
        return gg_pg_plan_fail(b, error_type, fault.message);
    /* a masked field named only where the filter writes no comparison (field: null) would leave its
     * parameters unused, which PostgreSQL refuses: this always-true term uses them */
    for (unsigned i = 0; i < lc.masked.count; i++)
        if (lc.masked.items[i].predicate) gg_buf_printf(out, " AND (%s OR TRUE)", lc.masked.items[i].predicate);
    return true;
}

/* ---- order and keyset ---- */

static void order_add(gg_pg_plan_order *o, const gg_pg_column *c)
{
    for (unsigned i = 0; i < o->count; i++)
        if (o->cols[i] == c) return;
    if (c != NULL && o->count < sizeof o->cols / sizeof *o->cols) o->cols[o->count++] = c;
}

/* The order of a listing by index (or by primary key when index is NULL): its sort fields, then
 * the primary key to make it total. */
static void order_init(gg_pg_plan_builder *b, gg_pg_plan_order *o, const gg_pg_model *pm, const gg_amplify_index *index,
                       bool desc)
{
    o->count = 0;
    o->desc = desc;
    if (index) {
        for (unsigned i = 0; i < index->sort_count; i++)
            order_add(o, gg_pg_model_column(pm, index->sort_fields[i]));
    }
    for (unsigned i = 0; i < pm->key_count; i++)
        order_add(o, pm->key[i]);
    o->context =
        gg_arena_printf(b->arena, "%s|%s|%s", pm->model->name, index ? index->name : "", desc ? "DESC" : "ASC");
}

void gg_pg_plan_put_order_by(gg_buf *out, const gg_pg_plan_order *o, const char *alias)
{
    for (unsigned i = 0; i < o->count; i++)
        gg_buf_printf(out, "%s%s.%s%s", i ? ", " : "", alias, o->cols[i]->quoted, o->desc ? " DESC" : "");
}

/* Whether a column of cols compares with named operators (gg_pg_column.operator_schema). */
static bool any_named_operators(const gg_pg_column *const *cols, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (cols[i]->operator_schema) return true;
    return false;
}

/* Appends "(a op x OR (a = x AND (b op y ...)))": the row comparison (a, b ...) op (x, y ...) term by
 * term, each column with its own operators. A row comparison resolves bare operators, which for a
 * column with named operators are another type's (text's for citext: another order than its ORDER BY,
 * so a keyset would skip rows). lhs and rhs are the SQL of each side; op is < <= > >= or =. */
static void put_row_compare(gg_buf *out, gg_arena *arena, const gg_pg_column *const *cols, const char *const *lhs,
                            const char *const *rhs, unsigned count, const char *op)
{
    bool equal = op[0] == '=';
    const char *strict = op[0] == '<' ? "<" : ">";
    gg_buf_putc(out, '(');
    for (unsigned i = 0; i < count; i++) {
        const char *eq = gg_pg_column_operator(arena, cols[i], "=");
        if (equal)
            gg_buf_printf(out, "%s%s %s %s", i ? " AND " : "", lhs[i], eq, rhs[i]);
        else if (i + 1 == count)
            gg_buf_printf(out, "%s %s %s", lhs[i], gg_pg_column_operator(arena, cols[i], op), rhs[i]);
        else
            gg_buf_printf(out, "%s %s %s OR (%s %s %s AND (", lhs[i], gg_pg_column_operator(arena, cols[i], strict),
                          rhs[i], lhs[i], eq, rhs[i]);
    }
    for (unsigned i = 1; i < count && !equal; i++)
        gg_buf_puts(out, "))");
    gg_buf_putc(out, ')');
}

/* Appends " AND (keys) > (token values)" for a nextToken argument. A token that does not verify
 * gets AppSync's message "Invalid pagination token given." with errorType
 * UserIllegalArgumentException. */
static bool put_keyset(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_plan_order *o, const char *alias,
                       const gg_val *token)
{
    if (gg_val_is_null(token) || token->kind == GG_VAL_UNDEFINED) return true;
    const char **values = NULL;
    unsigned count = 0;
    gg_fault fault = {0};
    if (token->kind != GG_VAL_STRING || b->key == NULL ||
        !gg_cursor_decode(b->arena, b->key, o->context, token->s, &values, &count, &fault) || count != o->count)
        return gg_pg_plan_fail(b, "UserIllegalArgumentException", "Invalid pagination token given.");
    if (any_named_operators(o->cols, o->count)) { /* each value once, as a parameter used twice */
        const char **lhs = gg_arena_array(b->arena, o->count, sizeof *lhs);
        const char **rhs = gg_arena_array(b->arena, o->count, sizeof *rhs);
        for (unsigned i = 0; i < o->count; i++) {
            lhs[i] = gg_arena_printf(b->arena, "%s.%s", alias, o->cols[i]->quoted);
            gg_buf sql;
            gg_buf_init(&sql);
            gg_pg_plan_put_parameter(b, &sql, values[i], o->cols[i]->sql_type);
            rhs[i] = gg_pg_plan_buffer_to_arena(b, &sql);
        }
        gg_buf_puts(out, " AND ");
        put_row_compare(out, b->arena, o->cols, lhs, rhs, o->count, o->desc ? "<" : ">");
        return true;
    }
    gg_buf_puts(out, " AND (");
    for (unsigned i = 0; i < o->count; i++)
        gg_buf_printf(out, "%s%s.%s", i ? ", " : "", alias, o->cols[i]->quoted);
    gg_buf_printf(out, ") %s (", o->desc ? "<" : ">");
    for (unsigned i = 0; i < o->count; i++) {
        if (i) gg_buf_puts(out, ", ");
        gg_pg_plan_put_parameter(b, out, values[i], o->cols[i]->sql_type);
    }
    gg_buf_putc(out, ')');
    return true;
}

/* ---- key conditions (eq le lt ge gt between beginsWith) ---- */

/* A single-field sort key condition is a filter on that field: filter_sql has the same operators. */
static bool put_key_condition(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                              const char *field, const gg_val *cond)
{
    if (gg_val_is_null(cond) || cond->kind == GG_VAL_UNDEFINED) return true;
    gg_val *filter = gg_val_object(b->arena, 1);
    gg_val_object_set(b->arena, filter, field, (gg_val *)cond);
    return gg_pg_plan_put_filter(b, out, pm, alias, filter, "InvalidArgumentsError");
}

/* "(a, b) op ($1, $2)" over the fields given in obj (a composite sort key value). */
static bool put_composite_compare(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                                  const char **fields, unsigned count, const gg_val *obj, const char *op)
{
    if (obj == NULL || obj->kind != GG_VAL_OBJECT)
        return gg_pg_plan_fail(b, "InvalidArgumentsError", "Invalid key condition.");
    gg_buf lhs, rhs;
    gg_buf_init(&lhs);
    gg_buf_init(&rhs);
    unsigned n = 0;
    bool ok = true;
    const gg_pg_column **cols = gg_arena_array(b->arena, count ? count : 1, sizeof *cols);
    const char **lhs_each = gg_arena_array(b->arena, count ? count : 1, sizeof *lhs_each);
    const char **rhs_each = gg_arena_array(b->arena, count ? count : 1, sizeof *rhs_each);
    for (unsigned i = 0; i < count && ok; i++) {
        const gg_val *v = gg_val_object_get(obj, fields[i]);
        const gg_pg_column *c = gg_pg_model_column(pm, fields[i]);
        if (v == NULL || gg_val_is_null(v) || c == NULL) break; /* a prefix of the sort fields */
        gg_buf_printf(&lhs, "%s%s.%s", n ? ", " : "", alias, c->quoted);
        if (n) gg_buf_puts(&rhs, ", ");
        size_t at = rhs.len;
        ok = gg_pg_plan_put_value(b, &rhs, v, c);
        cols[n] = c;
        lhs_each[n] = gg_arena_printf(b->arena, "%s.%s", alias, c->quoted);
        rhs_each[n] = gg_arena_strndup(b->arena, rhs.data ? rhs.data + at : "", rhs.len - at);
        n++;
    }
    if (ok && n > 0 && any_named_operators(cols, n)) {
        gg_buf_puts(out, " AND ");
        put_row_compare(out, b->arena, cols, lhs_each, rhs_each, n, op);
    } else if (ok && n > 0) {
        gg_buf_printf(out, " AND (%s) %s (%s)", lhs.data, op, rhs.data);
    }
    gg_buf_free(&lhs);
    gg_buf_free(&rhs);
    return ok;
}

static bool put_composite_condition(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                                    const char **fields, unsigned count, const gg_val *cond)
{
    if (gg_val_is_null(cond) || cond->kind == GG_VAL_UNDEFINED) return true;
    static const struct {
        const char *name, *op;
    } ops[] = {{"eq", "="}, {"le", "<="}, {"lt", "<"}, {"ge", ">="}, {"gt", ">"}};
    for (unsigned m = 0; m < cond->count; m++) {
        const char *name = cond->members[m].key;
        const gg_val *v = cond->members[m].value;
        bool done = false;
        for (unsigned i = 0; i < sizeof ops / sizeof *ops && !done; i++) {
            if (strcmp(name, ops[i].name) == 0) {
                if (!put_composite_compare(b, out, pm, alias, fields, count, v, ops[i].op)) return false;
                done = true;
            }
        }
        if (done) continue;
        if (strcmp(name, "between") == 0) {
            if (v == NULL || v->kind != GG_VAL_LIST || v->count != 2)
                return gg_pg_plan_fail(b, "InvalidArgumentsError", "between takes two values.");
            if (!put_composite_compare(b, out, pm, alias, fields, count, v->items[0], ">=") ||
                !put_composite_compare(b, out, pm, alias, fields, count, v->items[1], "<="))
                return false;
        } else if (strcmp(name, "beginsWith") == 0) {
            /* every given field but the last is equal; the last is a prefix */
            if (v == NULL || v->kind != GG_VAL_OBJECT)
                return gg_pg_plan_fail(b, "InvalidArgumentsError", "Invalid key condition.");
            unsigned given = 0;
            while (given < count && !gg_val_is_null(gg_val_object_get(v, fields[given])))
                given++;
            if (given == 0) continue;
            if (!put_composite_compare(b, out, pm, alias, fields, given - 1, v, "=")) return false;
            gg_val *last = gg_val_object(b->arena, 1);
            gg_val *prefix = gg_val_object(b->arena, 1);
            gg_val_object_set(b->arena, prefix, "beginsWith", gg_val_object_get(v, fields[given - 1]));
            gg_val_object_set(b->arena, last, fields[given - 1], prefix);
            if (!gg_pg_plan_put_filter(b, out, pm, alias, last, "InvalidArgumentsError")) return false;
        } else if (v != NULL && !gg_val_is_null(v)) {
            return gg_pg_plan_fail(b, "InvalidArgumentsError", "Invalid key condition.");
        }
    }
    return true;
}

/* The argument name of a composite sort key condition: the sort fields in camelCase. */
static const char *composite_arg_name(gg_pg_plan_builder *b, const char **fields, unsigned count)
{
    gg_buf name;
    gg_buf_init(&name);
    for (unsigned i = 0; i < count; i++) {
        const char *f = fields[i];
        if (i && f[0] >= 'a' && f[0] <= 'z') {
            gg_buf_putc(&name, (char)(f[0] - 'a' + 'A'));
            f++;
        }
        gg_buf_puts(&name, f);
    }
    return gg_pg_plan_buffer_to_arena(b, &name);
}

static bool put_sort_key_conditions(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                                    const char **fields, unsigned count, const gg_val *args)
{
    if (count == 1) return put_key_condition(b, out, pm, alias, fields[0], gg_val_object_get(args, fields[0]));
    if (count > 1)
        return put_composite_condition(b, out, pm, alias, fields, count,
                                       gg_val_object_get(args, composite_arg_name(b, fields, count)));
    return true;
}
void gg_pg_plan_put_columns(gg_buf *out, const gg_pg_plan_column_set *cols, const char *alias)
{
    for (unsigned i = 0; i < cols->count; i++) {
        const gg_pg_column *c = cols->items[i];
        if (c->expression)
            gg_buf_printf(out, "%s%s AS %s", i ? ", " : "", c->expression, c->quoted);
        else
            gg_buf_printf(out, "%s%s.%s", i ? ", " : "", alias, c->quoted);
    }
}

/* ---- connections ---- */

static bool limit_of(gg_pg_plan_builder *b, const gg_val *args, unsigned default_limit, int64_t *limit)
{
    const gg_val *v = gg_val_object_get(args, "limit");
    *limit = default_limit;
    if (v != NULL && v->kind == GG_VAL_INT) {
        if (v->i < 1) return gg_pg_plan_fail(b, "InvalidArgumentsError", "limit must be at least 1.");
        *limit = v->i;
    }
    unsigned max = b->target->max_limit ? b->target->max_limit : 1000;
    if (*limit > max) *limit = max;
    return true;
}

/* ---- pages ---- */

bool gg_pg_plan_read_page(gg_pg_plan_builder *b, const gg_pg_plan_connection *cs, const gg_type *conn_type,
                          const gg_selection *const *nodes, unsigned count, gg_pg_plan_page *page)
{
    *page = (gg_pg_plan_page){0};
    gg_pg_fields fields;
    gg_fault fault = {0};
    if (!gg_pg_collect_fields(b->info, conn_type, nodes, count, &fields, &fault))
        return gg_pg_plan_fail(b, "InvalidArgumentsError", fault.message);
    GG_VEC(const gg_selection *) item_nodes = {0};
    for (unsigned i = 0; i < fields.count; i++) {
        const gg_pg_field_sel *f = &fields.items[i];
        if (f->def == NULL) continue;
        if (strcmp(f->def->name, "items") == 0) {
            page->items_def = f->def;
            for (unsigned n = 0; n < f->node_count; n++)
                GG_VEC_PUSH(b->arena, item_nodes, f->nodes[n]);
        } else if (strcmp(f->def->name, "nextToken") == 0) {
            page->want_token = true;
        }
    }
    page->item_nodes = item_nodes.items;
    page->item_count = item_nodes.count;
    if (!limit_of(b, cs->args, cs->default_limit, &page->limit)) return false;
    const gg_val *dir = gg_val_object_get(cs->args, "sortDirection");
    bool has_dir = dir != NULL && (dir->kind == GG_VAL_ENUM || dir->kind == GG_VAL_STRING);
    if (has_dir && !cs->allow_sort_direction)
        return gg_pg_plan_fail(b, "InvalidArgumentsError",
                               "sortDirection is not supported for List operations without a Sort key defined.");
    order_init(b, &page->order, cs->pm, cs->index, has_dir && strcmp(dir->s, "DESC") == 0);
    return true;
}

bool gg_pg_plan_put_page_source(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_plan_connection *cs,
                                const gg_pg_plan_page *page, const char *talias, const char *corr)
{
    const gg_pg_model *pm = cs->pm;
    gg_buf_printf(out, " FROM %s %s WHERE TRUE", cs->table_sql ? cs->table_sql : pm->quoted_table, talias);
    if (corr) gg_buf_puts(out, corr);
    /* its own term: a filter cannot widen it */
    gg_pg_plan_put_auth(b, out, pm, cs->auth_op ? cs->auth_op : GG_AMPLIFY_OP_LIST, talias);
    if (cs->sparse)
        for (unsigned i = 0; i < cs->sort_count; i++) {
            const gg_pg_column *c = gg_pg_model_column(pm, cs->sort_fields[i]);
            if (c) gg_buf_printf(out, " AND %s.%s IS NOT NULL", talias, c->quoted);
        }
    if (!put_sort_key_conditions(b, out, pm, talias, cs->sort_fields, cs->sort_count, cs->args) ||
        !gg_pg_plan_put_filter(b, out, pm, talias, gg_val_object_get(cs->args, "filter"), "Unrecognized Filter") ||
        !put_keyset(b, out, &page->order, talias, gg_val_object_get(cs->args, "nextToken")))
        return false;
    gg_buf_puts(out, " ORDER BY ");
    gg_pg_plan_put_order_by(out, &page->order, talias);
    return true;
}

bool gg_pg_plan_root_connection(gg_pg_plan_builder *b, const char *talias, gg_pg_plan_connection *cs, const char **corr)
{
    const gg_pg_target *t = b->target;
    const gg_pg_model *pm = t->model;
    const gg_val *args = b->info->args;
    if (t->op == GG_PG_OP_SYNC) { /* a list by primary key, from its own source (datastore_sync.h) */
        gg_pg_sync_connection(b->sync, cs);
        *corr = "";
        return true;
    }
    *cs = (gg_pg_plan_connection){.pm = pm, .args = args, .default_limit = t->default_limit ? t->default_limit : 100};
    const char *partition = NULL;
    if (t->op == GG_PG_OP_INDEX) {
        cs->index = t->index;
        cs->sort_fields = t->index->sort_fields;
        cs->sort_count = t->index->sort_count;
        cs->sparse = true;
        cs->allow_sort_direction = true;
        partition = t->index->partition_field;
    } else if (pm->model->primary_key_count > 1) {
        cs->sort_fields = pm->model->primary_key + 1;
        cs->sort_count = pm->model->primary_key_count - 1;
        cs->allow_sort_direction = true;
        partition = pm->model->primary_key[0];
    }
    gg_buf out;
    gg_buf_init(&out);
    const gg_val *pv = partition ? gg_val_object_get(args, partition) : NULL;
    if (!gg_val_is_null(pv) && pv->kind != GG_VAL_UNDEFINED) {
        const gg_pg_column *c = gg_pg_model_column(pm, partition);
        gg_buf_printf(&out, " AND %s.%s %s ", talias, c->quoted, gg_pg_column_operator(b->arena, c, "="));
        if (!gg_pg_plan_put_value(b, &out, pv, c)) {
            gg_buf_free(&out);
            return false;
        }
    } else if (t->op != GG_PG_OP_INDEX) {
        cs->sort_count = 0; /* a key condition needs its partition key (as in DynamoDB) */
    }
    *corr = gg_pg_plan_buffer_to_arena(b, &out);
    return true;
}

/* ---- relations ---- */

bool gg_pg_plan_relation_sides(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_relation *r,
                               gg_pg_plan_sides *rs)
{
    const char *target = r->kind == GG_AMPLIFY_MANY_TO_MANY ? r->join_model : r->target;
    rs->target = gg_pg_models_find(b->target->models, target);
    rs->count = r->local_count;
    if (rs->target == NULL || r->local_count != r->remote_count || r->local_count == 0 ||
        r->local_count > sizeof rs->local / sizeof *rs->local)
        return gg_pg_plan_fail(b, "InternalFailure", "The relation cannot be resolved.");
    for (unsigned i = 0; i < rs->count; i++) {
        rs->local[i] = gg_pg_model_column(pm, r->local_fields[i]);
        rs->remote[i] = gg_pg_model_column(rs->target, r->remote_fields[i]);
        if (rs->local[i] == NULL || rs->remote[i] == NULL)
            return gg_pg_plan_fail(b, "InternalFailure", "The relation cannot be resolved.");
    }
    return true;
}

unsigned gg_pg_plan_relation_groups(gg_pg_plan_builder *b, const gg_pg_field_sel *sel,
                                    gg_pg_plan_relation_group **groups)
{
    const char **texts = gg_arena_array(b->arena, sel->node_count, sizeof *texts);
    bool same = true;
    for (unsigned i = 0; i < sel->node_count; i++) {
        texts[i] = gg_pg_arguments_text(b->arena, sel->nodes[i]);
        same = same && strcmp(texts[i], texts[0]) == 0;
    }
    *groups = gg_arena_array(b->arena, sel->node_count, sizeof **groups);
    unsigned count = 0;
    bool *done = gg_arena_array(b->arena, sel->node_count, sizeof *done);
    for (unsigned i = 0; i < sel->node_count; i++) {
        if (done[i]) continue;
        GG_VEC(const gg_selection *) nodes = {0};
        for (unsigned j = i; j < sel->node_count; j++) {
            if (!done[j] && strcmp(texts[j], texts[i]) == 0) {
                done[j] = true;
                GG_VEC_PUSH(b->arena, nodes, sel->nodes[j]);
            }
        }
        gg_pg_plan_relation_group *g = &(*groups)[count++];
        g->sel = *sel;
        g->sel.nodes = nodes.items;
        g->sel.node_count = nodes.count;
        const char *name = sel->shared_name ? gg_arena_printf(b->arena, "%s#%s", sel->response_name, sel->def->name)
                                            : sel->response_name;
        g->key = same ? gg_arena_printf(b->arena, "@%s", name) : gg_arena_printf(b->arena, "@%s|%s", name, texts[i]);
    }
    return count;
}

bool gg_pg_plan_is_to_many(const gg_amplify_relation *r)
{
    return r->kind == GG_AMPLIFY_HAS_MANY || r->kind == GG_AMPLIFY_MANY_TO_MANY;
}

void gg_pg_plan_relation_connection(const gg_amplify_relation *r, const gg_pg_plan_sides *rs, const gg_val *args,
                                    gg_pg_plan_connection *cs)
{
    *cs = (gg_pg_plan_connection){.pm = rs->target, .args = args, .default_limit = r->limit ? r->limit : 100};
    cs->index = gg_pg_model_index(rs->target, r->index_name);
    if (cs->index) {
        cs->sort_fields = cs->index->sort_fields;
        cs->sort_count = cs->index->sort_count;
        cs->sparse = true;
    } else if (r->kind == GG_AMPLIFY_HAS_MANY && rs->count == 1 && rs->target->model->primary_key_count > 1 &&
               rs->remote[0] == rs->target->key[0]) {
        /* children found through their primary key's partition field: the rest of that key is the
         * sort key the connection field takes a condition on (e.g. orders(placedAt: {gt: ...})) */
        cs->sort_fields = rs->target->model->primary_key + 1;
        cs->sort_count = rs->target->model->primary_key_count - 1;
    }
    cs->allow_sort_direction = true;
}

const gg_pg_field_sel *gg_pg_plan_own_selection(gg_pg_plan_builder *b)
{
    gg_pg_field_sel *sel = gg_arena_alloc(b->arena, sizeof *sel);
    sel->response_name = b->info->path && b->info->path->key ? b->info->path->key : b->info->field->name;
    sel->def = b->info->field;
    sel->nodes = b->info->field_nodes;
    sel->node_count = b->info->field_node_count;
    return sel;
}

bool gg_pg_plan_put_source_match(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_plan_sides *rs, const char *talias)
{
    for (unsigned i = 0; i < rs->count; i++) {
        const gg_val *v = gg_val_object_get(b->info->source, rs->local[i]->field->name);
        gg_buf_printf(out, " AND %s.%s %s ", talias, rs->remote[i]->quoted,
                      gg_pg_column_operator(b->arena, rs->remote[i], "="));
        if (!gg_pg_plan_put_value(b, out, v, rs->remote[i])) return false;
    }
    return true;
}

bool gg_pg_plan_put_key_match(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                              const gg_val *obj)
{
    for (unsigned i = 0; i < pm->key_count; i++) {
        const gg_pg_column *c = pm->key[i];
        const gg_val *v = gg_val_object_get(obj, c->field->name);
        if (gg_val_is_null(v) || v->kind == GG_VAL_UNDEFINED)
            return gg_pg_plan_fail(b, "InvalidArgumentsError",
                                   gg_arena_printf(b->arena, "The key field %s is required.", c->field->name));
        gg_buf_printf(out, " AND %s.%s %s ", alias, c->quoted, gg_pg_column_operator(b->arena, c, "="));
        if (!gg_pg_plan_put_value(b, out, v, c)) return false;
    }
    return true;
}
