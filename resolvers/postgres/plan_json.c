/* plan_json.c: a @model field and its selection subtree as ONE statement whose single result is
 * JSON text built by PostgreSQL; see plan.h.
 *
 * Shape of the SQL. A selected row of model M becomes json_build_object('field', sN."col", ...,
 * '@alias', <relation>) over a derived table sN that reads only the columns the selection needs
 * (from tN, the table itself). Scalar members are keyed by field name, so the executor's default
 * resolver finds them; relation members are keyed by "@" + response name (a key no field can
 * have), because two aliases of one relation may carry different arguments, and by
 * "@" + response name + "|" + argument text when aliases of the row's parent (two aliases of
 * `items`) select one relation with different arguments; the relation fields get a resolver that
 * reads that key (pg_resolvers.c). A relation is a correlated scalar subquery:
 *   single (@belongsTo, @hasOne):  (SELECT <row> FROM (SELECT cols FROM T tK WHERE tK.remote = sP.local LIMIT 1) sK)
 *   connection (@hasMany, @manyToMany via its join model, and root lists):
 *     (SELECT json_build_object('items', COALESCE(json_agg(<row> ORDER BY sK."gg@rn") FILTER (WHERE rn <= L), '[]'),
 *                               'nextToken', CASE WHEN count(*) > L THEN <sort key of row L as a JSON array> END)
 *      FROM (SELECT cols, row_number() OVER (ORDER BY k) FROM T tK WHERE corr AND filter AND keyset
 *            ORDER BY k LIMIT L + 1) sK)
 * so the number of statements never depends on the number of rows, and each level reads at most
 * limit + 1 rows per parent through the index on its foreign key. Pages are keyset pages: the
 * order is the index's sort key (or the primary key) completed by the primary key, so it is
 * total; the JSON array of the last row's key values comes back and is signed here into the
 * opaque nextToken (cursor.h, context "model|index|direction"). A token is checked before the
 * statement is built; its values are parameters cast to the key columns' types.
 *
 * Mutations are one data-modifying statement each: WITH w AS (INSERT/UPDATE/DELETE ... WHERE
 * <key> AND <condition> RETURNING cols) SELECT <row over w>. The condition is part of the WHERE
 * clause, so it holds atomically; no row means the condition (or the implied existence check)
 * failed. Create evaluates its condition against an absent item (every column NULL), as DynamoDB
 * does, and ON CONFLICT DO NOTHING turns a duplicate key into the same failure. Timestamps come
 * from the database clock (statement_timestamp, milliseconds, Z), ids from gen_random_uuid().
 * Relations selected under a mutation result read the tables as they were before the write
 * (PostgreSQL shows a statement one snapshot). Every value is a $N parameter; identifiers come
 * from the catalog and are quoted; response names are GraphQL names, written as quoted literals. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "execute/values.h"
#include "pg_json.h"
#include "pg_selection.h"
#include "plan.h"

#define NOW_SQL "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
#define ROW_NUMBER "\"gg@rn\""
enum { MAX_PAIRS = 50 }; /* json_build_object takes at most 100 arguments */

/* ---- the post-processing tree: where nextToken values must be signed ---- */

typedef struct pnode pnode;
typedef struct pchild {
    const char *key;
    pnode *node;
} pchild;
struct pnode {
    bool connection;
    const char *context;     /* connection whose nextToken is selected: the cursor context */
    pnode *item;             /* connection: the node of its items (NULL: items not selected) */
    GG_VEC(pchild) children; /* row: relation members */
};

struct gg_pg_plan {
    const gg_pg_target *target;
    gg_arena *arena;
    const gg_cursor_key *key;
    pnode *root;
};

typedef GG_VEC(const gg_pg_column *) colset;

typedef struct builder {
    gg_resolve_info *info;
    gg_arena *arena;
    const gg_pg_target *target;
    const gg_cursor_key *key;
    gg_sql_params params;
    unsigned next_alias;
    gg_pg_failure failure;
} builder;

static bool fail(builder *b, const char *error_type, const char *message)
{
    if (b->failure.message == NULL) {
        b->failure.error_type = error_type;
        b->failure.message = message;
    }
    return false;
}

static char *buf_done(builder *b, gg_buf *buf)
{
    char *s = gg_arena_strndup(b->arena, buf->data ? buf->data : "", buf->len);
    gg_buf_free(buf);
    return s;
}

static void colset_add(builder *b, colset *cols, const gg_pg_column *c)
{
    for (unsigned i = 0; i < cols->count; i++)
        if (cols->items[i] == c) return;
    GG_VEC_PUSH(b->arena, *cols, c);
}

/* Appends "$N::type" for a new parameter. */
static void put_param(builder *b, gg_buf *out, const char *text, const char *sql_type)
{
    unsigned n = gg_sql_params_add(&b->params, text);
    gg_buf_printf(out, "$%u::%s", n, sql_type);
}

static bool put_value(builder *b, gg_buf *out, const gg_val *v, const gg_pg_column *c)
{
    const char *text = NULL;
    if (!gg_pg_param_text(b->arena, v, c, &text))
        return fail(b, "InvalidArgumentsError",
                    gg_arena_printf(b->arena, "Invalid value for field %s.", c->field->name));
    put_param(b, out, text, c->sql_type);
    return true;
}

static const gg_type *named_type(const gg_field *def)
{
    return gg_type_named(def->type);
}

/* ---- filters ---- */

typedef struct lookup_ctx {
    builder *b;
    const gg_pg_model *pm;
    const char *alias; /* NULL: every column is NULL (create's condition, evaluated on no item) */
} lookup_ctx;

static const gg_filter_column *lookup_column(void *data, const char *field)
{
    lookup_ctx *lc = data;
    const gg_pg_column *c = gg_pg_model_column(lc->pm, field);
    if (c == NULL) return NULL;
    gg_filter_column *fc = gg_arena_alloc(lc->b->arena, sizeof *fc);
    fc->sql = lc->alias ? gg_arena_printf(lc->b->arena, "%s.%s", lc->alias, c->quoted)
                        : gg_arena_printf(lc->b->arena, "NULL::%s", c->sql_type);
    fc->kind = c->kind;
    fc->item_kind = c->item_kind;
    fc->is_list = c->is_list;
    return fc;
}

/* Appends " AND <filter>" when filter is given. */
static bool put_filter(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias, const gg_val *filter,
                       const char *error_type)
{
    if (gg_val_is_null(filter) || filter->kind == GG_VAL_UNDEFINED) return true;
    lookup_ctx lc = {.b = b, .pm = pm, .alias = alias};
    const char *error = NULL;
    gg_buf_puts(out, " AND ");
    if (!gg_filter_to_sql(out, &b->params, filter, lookup_column, &lc, &error))
        return fail(b, error_type, error ? error : "Unable to process the filter expression");
    return true;
}

/* ---- order and keyset ---- */

typedef struct order {
    const gg_pg_column *cols[16];
    unsigned count;
    bool desc;
    const char *context;
} order;

static void order_add(order *o, const gg_pg_column *c)
{
    for (unsigned i = 0; i < o->count; i++)
        if (o->cols[i] == c) return;
    if (c != NULL && o->count < sizeof o->cols / sizeof *o->cols) o->cols[o->count++] = c;
}

/* The order of a listing by index (or by primary key when index is NULL): its sort fields, then
 * the primary key to make it total. */
static void order_init(builder *b, order *o, const gg_pg_model *pm, const gg_amplify_index *index, bool desc)
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

static void put_order_by(gg_buf *out, const order *o, const char *alias)
{
    for (unsigned i = 0; i < o->count; i++)
        gg_buf_printf(out, "%s%s.%s%s", i ? ", " : "", alias, o->cols[i]->quoted, o->desc ? " DESC" : "");
}

/* Appends " AND (keys) > (token values)" for a nextToken argument. A token that does not verify
 * gets AppSync's answer (errorType DynamoDB:UserIllegalArgumentException there, without the
 * DynamoDB: prefix here, as for ConditionalCheckFailedException). */
static bool put_keyset(builder *b, gg_buf *out, const order *o, const char *alias, const gg_val *token)
{
    if (gg_val_is_null(token) || token->kind == GG_VAL_UNDEFINED) return true;
    const char **values = NULL;
    unsigned count = 0;
    const char *error = NULL;
    if (token->kind != GG_VAL_STRING || b->key == NULL ||
        !gg_cursor_decode(b->arena, b->key, o->context, token->s, &values, &count, &error) || count != o->count)
        return fail(b, "UserIllegalArgumentException", "Invalid pagination token given.");
    gg_buf_puts(out, " AND (");
    for (unsigned i = 0; i < o->count; i++)
        gg_buf_printf(out, "%s%s.%s", i ? ", " : "", alias, o->cols[i]->quoted);
    gg_buf_printf(out, ") %s (", o->desc ? "<" : ">");
    for (unsigned i = 0; i < o->count; i++) {
        if (i) gg_buf_puts(out, ", ");
        put_param(b, out, values[i], o->cols[i]->sql_type);
    }
    gg_buf_putc(out, ')');
    return true;
}

/* ---- key conditions (eq le lt ge gt between beginsWith) ---- */

/* A single-field sort key condition is a filter on that field: filter_sql has the same operators. */
static bool put_key_condition(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias, const char *field,
                              const gg_val *cond)
{
    if (gg_val_is_null(cond) || cond->kind == GG_VAL_UNDEFINED) return true;
    gg_val *filter = gg_val_object(b->arena, 1);
    gg_val_object_set(b->arena, filter, field, (gg_val *)cond);
    return put_filter(b, out, pm, alias, filter, "InvalidArgumentsError");
}

/* "(a, b) op ($1, $2)" over the fields given in obj (a composite sort key value). */
static bool put_composite_compare(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                                  const char **fields, unsigned count, const gg_val *obj, const char *op)
{
    if (obj == NULL || obj->kind != GG_VAL_OBJECT) return fail(b, "InvalidArgumentsError", "Invalid key condition.");
    gg_buf lhs, rhs;
    gg_buf_init(&lhs);
    gg_buf_init(&rhs);
    unsigned n = 0;
    bool ok = true;
    for (unsigned i = 0; i < count && ok; i++) {
        const gg_val *v = gg_val_object_get(obj, fields[i]);
        const gg_pg_column *c = gg_pg_model_column(pm, fields[i]);
        if (v == NULL || gg_val_is_null(v) || c == NULL) break; /* a prefix of the sort fields */
        gg_buf_printf(&lhs, "%s%s.%s", n ? ", " : "", alias, c->quoted);
        if (n) gg_buf_puts(&rhs, ", ");
        ok = put_value(b, &rhs, v, c);
        n++;
    }
    if (ok && n > 0) gg_buf_printf(out, " AND (%s) %s (%s)", lhs.data, op, rhs.data);
    gg_buf_free(&lhs);
    gg_buf_free(&rhs);
    return ok;
}

static bool put_composite_condition(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
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
                return fail(b, "InvalidArgumentsError", "between takes two values.");
            if (!put_composite_compare(b, out, pm, alias, fields, count, v->items[0], ">=") ||
                !put_composite_compare(b, out, pm, alias, fields, count, v->items[1], "<="))
                return false;
        } else if (strcmp(name, "beginsWith") == 0) {
            /* every given field but the last is equal; the last is a prefix */
            if (v == NULL || v->kind != GG_VAL_OBJECT)
                return fail(b, "InvalidArgumentsError", "Invalid key condition.");
            unsigned given = 0;
            while (given < count && !gg_val_is_null(gg_val_object_get(v, fields[given])))
                given++;
            if (given == 0) continue;
            if (!put_composite_compare(b, out, pm, alias, fields, given - 1, v, "=")) return false;
            gg_val *last = gg_val_object(b->arena, 1);
            gg_val *prefix = gg_val_object(b->arena, 1);
            gg_val_object_set(b->arena, prefix, "beginsWith", gg_val_object_get(v, fields[given - 1]));
            gg_val_object_set(b->arena, last, fields[given - 1], prefix);
            if (!put_filter(b, out, pm, alias, last, "InvalidArgumentsError")) return false;
        } else if (v != NULL && !gg_val_is_null(v)) {
            return fail(b, "InvalidArgumentsError", "Invalid key condition.");
        }
    }
    return true;
}

/* The argument name of a composite sort key condition: the sort fields in camelCase. */
static const char *composite_arg_name(builder *b, const char **fields, unsigned count)
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
    return buf_done(b, &name);
}

static bool put_sort_key_conditions(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                                    const char **fields, unsigned count, const gg_val *args)
{
    if (count == 1) return put_key_condition(b, out, pm, alias, fields[0], gg_val_object_get(args, fields[0]));
    if (count > 1)
        return put_composite_condition(b, out, pm, alias, fields, count,
                                       gg_val_object_get(args, composite_arg_name(b, fields, count)));
    return true;
}

/* ---- rows ---- */

typedef struct pair {
    const char *key;
    const char *expr;
} pair;
typedef GG_VEC(pair) pair_vec;

static void put_pairs(gg_buf *out, const pair_vec *pairs)
{
    if (pairs->count <= MAX_PAIRS) {
        gg_buf_puts(out, "json_build_object(");
        for (unsigned i = 0; i < pairs->count; i++) {
            if (i) gg_buf_puts(out, ", ");
            gg_pg_quote_literal(out, pairs->items[i].key);
            gg_buf_printf(out, ", %s", pairs->items[i].expr);
        }
        gg_buf_putc(out, ')');
        return;
    }
    gg_buf_puts(out, "(");
    for (unsigned i = 0; i < pairs->count; i++) {
        if (i % MAX_PAIRS == 0)
            gg_buf_puts(out, i ? ") || jsonb_build_object(" : "jsonb_build_object(");
        else
            gg_buf_puts(out, ", ");
        gg_pg_quote_literal(out, pairs->items[i].key);
        gg_buf_printf(out, ", %s", pairs->items[i].expr);
    }
    gg_buf_puts(out, "))");
}

static const char *relation_expr(builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, colset *cols, pnode **node);

/* The members of one selected relation: "@name" (name: its response name) holding its value; or,
 * when aliases of the row's parent select it with different arguments (a: items { c: comments(limit: 1) }
 * b: items { c: comments(limit: 2) }), one "@name|<arguments>" member per distinct argument text. */
static bool add_relation_members(builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, colset *cols, pair_vec *pairs,
                                 pnode *pn)
{
    const char **texts = gg_arena_array(b->arena, sel->node_count, sizeof *texts);
    bool same = true;
    for (unsigned i = 0; i < sel->node_count; i++) {
        texts[i] = gg_pg_arguments_text(b->arena, sel->nodes[i]);
        same = same && strcmp(texts[i], texts[0]) == 0;
    }
    bool *done = gg_arena_array(b->arena, sel->node_count, sizeof *done);
    for (unsigned i = 0; i < sel->node_count; i++) {
        if (done[i]) continue;
        GG_VEC(const gg_selection *) group = {0};
        for (unsigned j = i; j < sel->node_count; j++) {
            if (!done[j] && strcmp(texts[j], texts[i]) == 0) {
                done[j] = true;
                GG_VEC_PUSH(b->arena, group, sel->nodes[j]);
            }
        }
        gg_pg_field_sel part = *sel;
        part.nodes = group.items;
        part.node_count = group.count;
        pnode *child = NULL;
        const char *expr = relation_expr(b, pm, af, &part, alias, cols, &child);
        if (expr == NULL) return false;
        const char *key = same ? gg_arena_printf(b->arena, "@%s", sel->response_name)
                               : gg_arena_printf(b->arena, "@%s|%s", sel->response_name, texts[i]);
        pair p = {key, expr};
        GG_VEC_PUSH(b->arena, *pairs, p);
        pchild pc = {key, child};
        GG_VEC_PUSH(b->arena, pn->children, pc);
    }
    return true;
}

/* json_build_object(...) for one row of pm, readable as alias."col"; records the columns it
 * reads in cols. NULL on failure. */
static const char *row_json(builder *b, const gg_pg_model *pm, const gg_type *type, const gg_selection *const *nodes,
                            unsigned count, const char *alias, colset *cols, pnode *pn)
{
    gg_pg_fields fields;
    const char *error = NULL;
    if (!gg_pg_collect_fields(b->info, type, nodes, count, &fields, &error)) {
        fail(b, "InvalidArgumentsError", error);
        return NULL;
    }
    pair_vec pairs = {0};
    for (unsigned i = 0; i < fields.count; i++) {
        const gg_pg_field_sel *sel = &fields.items[i];
        if (sel->def == NULL) continue;
        const gg_amplify_field *af = gg_pg_model_field(pm, sel->def->name);
        if (af == NULL) continue; /* not stored: another resolver's business */
        if (af->kind != GG_AMPLIFY_FIELD_RELATION) {
            const gg_pg_column *c = gg_pg_model_column(pm, af->name);
            bool seen = false;
            for (unsigned k = 0; k < pairs.count && !seen; k++)
                seen = strcmp(pairs.items[k].key, af->name) == 0;
            if (c == NULL || seen) continue;
            colset_add(b, cols, c);
            pair p = {af->name, gg_arena_printf(b->arena, "%s.%s", alias, c->quoted)};
            GG_VEC_PUSH(b->arena, pairs, p);
            continue;
        }
        if (!add_relation_members(b, pm, af, sel, alias, cols, &pairs, pn)) return NULL;
    }
    gg_buf out;
    gg_buf_init(&out);
    put_pairs(&out, &pairs);
    return buf_done(b, &out);
}

static void put_columns(gg_buf *out, const colset *cols, const char *alias)
{
    for (unsigned i = 0; i < cols->count; i++)
        gg_buf_printf(out, "%s%s.%s", i ? ", " : "", alias, cols->items[i]->quoted);
}

/* ---- connections ---- */

typedef struct conn_spec {
    const gg_pg_model *pm;         /* the listed model */
    const gg_amplify_index *index; /* the index listed by (NULL: primary key) */
    const char **sort_fields;      /* sort key fields that may carry a key condition argument */
    unsigned sort_count;
    bool sparse;        /* rows without the index's sort key are not in the index */
    const gg_val *args; /* filter, limit, nextToken, sortDirection, key conditions */
    unsigned default_limit;
    bool allow_sort_direction;
} conn_spec;

static bool limit_of(builder *b, const gg_val *args, unsigned default_limit, int64_t *limit)
{
    const gg_val *v = gg_val_object_get(args, "limit");
    *limit = default_limit;
    if (v != NULL && v->kind == GG_VAL_INT) {
        if (v->i < 1) return fail(b, "InvalidArgumentsError", "limit must be at least 1.");
        *limit = v->i;
    }
    unsigned max = b->target->max_limit ? b->target->max_limit : 1000;
    if (*limit > max) *limit = max;
    return true;
}

/* The connection subquery. corr holds the WHERE conditions tying it to its parent or fixing the
 * partition key (already written with alias tK), k is the alias number reserved by the caller. */
static const char *connection_expr(builder *b, const conn_spec *cs, const gg_type *conn_type,
                                   const gg_selection *const *nodes, unsigned count, const char *corr, unsigned k,
                                   pnode **node)
{
    const gg_pg_model *pm = cs->pm;
    char talias[24], salias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    snprintf(salias, sizeof salias, "s%u", k);

    pnode *pn = gg_arena_alloc(b->arena, sizeof *pn);
    pn->connection = true;
    *node = pn;
    gg_pg_fields fields;
    const char *error = NULL;
    if (!gg_pg_collect_fields(b->info, conn_type, nodes, count, &fields, &error)) {
        fail(b, "InvalidArgumentsError", error);
        return NULL;
    }
    GG_VEC(const gg_selection *) item_nodes = {0};
    const gg_field *items_def = NULL;
    bool want_token = false;
    for (unsigned i = 0; i < fields.count; i++) {
        const gg_pg_field_sel *f = &fields.items[i];
        if (f->def == NULL) continue;
        if (strcmp(f->def->name, "items") == 0) {
            items_def = f->def;
            for (unsigned n = 0; n < f->node_count; n++)
                GG_VEC_PUSH(b->arena, item_nodes, f->nodes[n]);
        } else if (strcmp(f->def->name, "nextToken") == 0) {
            want_token = true;
        }
    }

    int64_t limit;
    if (!limit_of(b, cs->args, cs->default_limit, &limit)) return NULL;
    const gg_val *dir = gg_val_object_get(cs->args, "sortDirection");
    bool has_dir = dir != NULL && (dir->kind == GG_VAL_ENUM || dir->kind == GG_VAL_STRING);
    if (has_dir && !cs->allow_sort_direction) {
        fail(b, "InvalidArgumentsError",
             "sortDirection is not supported for List operations without a Sort key defined.");
        return NULL;
    }
    order o;
    order_init(b, &o, pm, cs->index, has_dir && strcmp(dir->s, "DESC") == 0);
    const char *limit_text = gg_arena_printf(b->arena, "%" PRId64, limit);

    /* the rows of the page: written first, they tell which columns the inner select reads */
    colset cols = {0};
    const char *row = NULL;
    if (items_def != NULL) {
        pn->item = gg_arena_alloc(b->arena, sizeof *pn->item);
        row = row_json(b, pm, named_type(items_def), item_nodes.items, item_nodes.count, salias, &cols, pn->item);
        if (row == NULL) return NULL;
    }
    for (unsigned i = 0; i < o.count; i++)
        colset_add(b, &cols, o.cols[i]);

    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "(SELECT json_build_object(");
    /* The page size is written into the SQL text, not bound: it is a validated integer, and as a
     * parameter PostgreSQL re-planned these statements on every call (custom plans). */
    const char *lim = limit_text;
    if (row) {
        gg_buf_printf(&out,
                      "'items', COALESCE(json_agg(%s ORDER BY %s." ROW_NUMBER ") FILTER (WHERE %s." ROW_NUMBER
                      " <= %s), '[]'::json)",
                      row, salias, salias, lim);
    }
    if (want_token) {
        pn->context = o.context;
        gg_buf_printf(&out, "%s'nextToken', CASE WHEN count(*) > %s THEN (array_agg(json_build_array(",
                      row ? ", " : "", lim);
        for (unsigned i = 0; i < o.count; i++)
            gg_buf_printf(&out, "%s%s.%s::text", i ? ", " : "", salias, o.cols[i]->quoted);
        gg_buf_printf(&out, ")) FILTER (WHERE %s." ROW_NUMBER " = %s))[1] END", salias, lim);
    }
    gg_buf_puts(&out, ") FROM (SELECT ");
    put_columns(&out, &cols, talias);
    gg_buf_puts(&out, ", row_number() OVER (ORDER BY ");
    put_order_by(&out, &o, talias);
    gg_buf_printf(&out, ") AS " ROW_NUMBER " FROM %s %s WHERE TRUE", pm->quoted_table, talias);
    if (corr) gg_buf_puts(&out, corr);
    if (cs->sparse)
        for (unsigned i = 0; i < cs->sort_count; i++) {
            const gg_pg_column *c = gg_pg_model_column(pm, cs->sort_fields[i]);
            if (c) gg_buf_printf(&out, " AND %s.%s IS NOT NULL", talias, c->quoted);
        }
    bool ok = put_sort_key_conditions(b, &out, pm, talias, cs->sort_fields, cs->sort_count, cs->args) &&
              put_filter(b, &out, pm, talias, gg_val_object_get(cs->args, "filter"), "Unrecognized Filter") &&
              put_keyset(b, &out, &o, talias, gg_val_object_get(cs->args, "nextToken"));
    if (!ok) {
        gg_buf_free(&out);
        return NULL;
    }
    gg_buf_puts(&out, " ORDER BY ");
    put_order_by(&out, &o, talias);
    gg_buf_printf(&out, " LIMIT %s + 1) %s)", lim, salias);
    return buf_done(b, &out);
}

/* The single row of pm selected by corr (tK conditions), or null. */
static const char *single_expr(builder *b, const gg_pg_model *pm, const gg_type *type, const gg_selection *const *nodes,
                               unsigned count, const char *corr, unsigned k, pnode **node)
{
    char talias[24], salias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    snprintf(salias, sizeof salias, "s%u", k);
    pnode *pn = gg_arena_alloc(b->arena, sizeof *pn);
    *node = pn;
    colset cols = {0};
    const char *row = row_json(b, pm, type, nodes, count, salias, &cols, pn);
    if (row == NULL) return NULL;
    for (unsigned i = 0; i < pm->key_count; i++)
        colset_add(b, &cols, pm->key[i]);
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_printf(&out, "(SELECT %s FROM (SELECT ", row);
    put_columns(&out, &cols, talias);
    gg_buf_printf(&out, " FROM %s %s WHERE TRUE%s LIMIT 1) %s)", pm->quoted_table, talias, corr, salias);
    return buf_done(b, &out);
}

/* ---- relations ---- */

typedef struct relation_sides {
    const gg_pg_model *target;
    const gg_pg_column *local[8], *remote[8];
    unsigned count;
} relation_sides;

static bool relation_sides_of(builder *b, const gg_pg_model *pm, const gg_amplify_relation *r, relation_sides *rs)
{
    const char *target = r->kind == GG_AMPLIFY_MANY_TO_MANY ? r->join_model : r->target;
    rs->target = gg_pg_models_find(b->target->models, target);
    rs->count = r->local_count;
    if (rs->target == NULL || r->local_count != r->remote_count || r->local_count == 0 ||
        r->local_count > sizeof rs->local / sizeof *rs->local)
        return fail(b, "InternalFailure", "The relation cannot be resolved.");
    for (unsigned i = 0; i < rs->count; i++) {
        rs->local[i] = gg_pg_model_column(pm, r->local_fields[i]);
        rs->remote[i] = gg_pg_model_column(rs->target, r->remote_fields[i]);
        if (rs->local[i] == NULL || rs->remote[i] == NULL)
            return fail(b, "InternalFailure", "The relation cannot be resolved.");
    }
    return true;
}

static bool is_many(const gg_amplify_relation *r)
{
    return r->kind == GG_AMPLIFY_HAS_MANY || r->kind == GG_AMPLIFY_MANY_TO_MANY;
}

/* The relation's value given the condition tying the target rows (alias tK) to the parent. */
static const char *relation_with(builder *b, const gg_amplify_relation *r, const relation_sides *rs,
                                 const gg_pg_field_sel *sel, const gg_val *args, const char *corr, unsigned k,
                                 pnode **node)
{
    const gg_type *type = named_type(sel->def);
    if (!is_many(r)) return single_expr(b, rs->target, type, sel->nodes, sel->node_count, corr, k, node);
    conn_spec cs = {.pm = rs->target, .args = args, .default_limit = r->limit ? r->limit : 100};
    cs.index = gg_pg_model_index(rs->target, r->index_name);
    if (cs.index) {
        cs.sort_fields = cs.index->sort_fields;
        cs.sort_count = cs.index->sort_count;
        cs.sparse = true;
    } else if (r->kind == GG_AMPLIFY_HAS_MANY && rs->count == 1 && rs->target->model->primary_key_count > 1 &&
               rs->remote[0] == rs->target->key[0]) {
        /* children found through their primary key's partition field: the rest of that key is the
         * sort key the connection field takes a condition on (e.g. orders(placedAt: {gt: ...})) */
        cs.sort_fields = rs->target->model->primary_key + 1;
        cs.sort_count = rs->target->model->primary_key_count - 1;
    }
    cs.allow_sort_direction = true;
    return connection_expr(b, &cs, type, sel->nodes, sel->node_count, corr, k, node);
}

static const char *relation_expr(builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, colset *cols, pnode **node)
{
    const gg_amplify_relation *r = af->relation;
    relation_sides rs;
    if (r == NULL || !relation_sides_of(b, pm, r, &rs)) return NULL;
    const char *error = NULL;
    gg_val *args = gg_pg_field_args(b->info, sel, &error);
    if (args == NULL) {
        fail(b, "InvalidArgumentsError", error);
        return NULL;
    }
    unsigned k = ++b->next_alias;
    gg_buf corr;
    gg_buf_init(&corr);
    for (unsigned i = 0; i < rs.count; i++) {
        colset_add(b, cols, rs.local[i]);
        gg_buf_printf(&corr, " AND t%u.%s = %s.%s", k, rs.remote[i]->quoted, alias, rs.local[i]->quoted);
    }
    const char *corr_text = buf_done(b, &corr);
    return relation_with(b, r, &rs, sel, args, corr_text, k, node);
}

/* ---- root fields ---- */

static const gg_pg_field_sel *self_sel(builder *b)
{
    gg_pg_field_sel *sel = gg_arena_alloc(b->arena, sizeof *sel);
    sel->response_name = b->info->path && b->info->path->key ? b->info->path->key : b->info->field->name;
    sel->def = b->info->field;
    sel->nodes = b->info->field_nodes;
    sel->node_count = b->info->field_node_count;
    return sel;
}

/* " AND tK.key = $n" for each primary key field, from obj (arguments or input). */
static bool put_key_match(builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias, const gg_val *obj)
{
    for (unsigned i = 0; i < pm->key_count; i++) {
        const gg_pg_column *c = pm->key[i];
        const gg_val *v = gg_val_object_get(obj, c->field->name);
        if (gg_val_is_null(v) || v->kind == GG_VAL_UNDEFINED)
            return fail(b, "InvalidArgumentsError",
                        gg_arena_printf(b->arena, "The key field %s is required.", c->field->name));
        gg_buf_printf(out, " AND %s.%s = ", alias, c->quoted);
        if (!put_value(b, out, v, c)) return false;
    }
    return true;
}

static const char *root_get(builder *b, pnode **node)
{
    const gg_pg_model *pm = b->target->model;
    unsigned k = ++b->next_alias;
    gg_buf corr;
    gg_buf_init(&corr);
    char talias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    if (!put_key_match(b, &corr, pm, talias, b->info->args)) {
        gg_buf_free(&corr);
        return NULL;
    }
    const char *corr_text = buf_done(b, &corr);
    const gg_pg_field_sel *sel = self_sel(b);
    return single_expr(b, pm, named_type(sel->def), sel->nodes, sel->node_count, corr_text, k, node);
}

static const char *root_list(builder *b, pnode **node)
{
    const gg_pg_target *t = b->target;
    const gg_pg_model *pm = t->model;
    const gg_val *args = b->info->args;
    conn_spec cs = {.pm = pm, .args = args, .default_limit = t->default_limit ? t->default_limit : 100};
    unsigned k = ++b->next_alias;
    char talias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    gg_buf corr;
    gg_buf_init(&corr);
    const char *partition = NULL;
    if (t->op == GG_PG_OP_INDEX) {
        cs.index = t->index;
        cs.sort_fields = t->index->sort_fields;
        cs.sort_count = t->index->sort_count;
        cs.sparse = true;
        cs.allow_sort_direction = true;
        partition = t->index->partition_field;
    } else if (pm->model->primary_key_count > 1) {
        cs.sort_fields = pm->model->primary_key + 1;
        cs.sort_count = pm->model->primary_key_count - 1;
        cs.allow_sort_direction = true;
        partition = pm->model->primary_key[0];
    }
    const gg_val *pv = partition ? gg_val_object_get(args, partition) : NULL;
    if (!gg_val_is_null(pv) && pv->kind != GG_VAL_UNDEFINED) {
        const gg_pg_column *c = gg_pg_model_column(pm, partition);
        gg_buf_printf(&corr, " AND %s.%s = ", talias, c->quoted);
        if (!put_value(b, &corr, pv, c)) {
            gg_buf_free(&corr);
            return NULL;
        }
    } else if (t->op != GG_PG_OP_INDEX) {
        cs.sort_count = 0; /* a key condition needs its partition key (as in DynamoDB) */
    }
    const char *corr_text = buf_done(b, &corr);
    const gg_pg_field_sel *sel = self_sel(b);
    return connection_expr(b, &cs, named_type(sel->def), sel->nodes, sel->node_count, corr_text, k, node);
}

/* A relation field whose parent was not planned with it: the parent's key values are parameters. */
static const char *root_relation(builder *b, pnode **node)
{
    const gg_pg_model *pm = b->target->model;
    const gg_amplify_relation *r = b->target->field->relation;
    relation_sides rs;
    if (r == NULL || !relation_sides_of(b, pm, r, &rs)) return NULL;
    unsigned k = ++b->next_alias;
    gg_buf corr;
    gg_buf_init(&corr);
    for (unsigned i = 0; i < rs.count; i++) {
        const gg_val *v = gg_val_object_get(b->info->source, rs.local[i]->field->name);
        gg_buf_printf(&corr, " AND t%u.%s = ", k, rs.remote[i]->quoted);
        if (!put_value(b, &corr, v, rs.remote[i])) {
            gg_buf_free(&corr);
            return NULL;
        }
    }
    const char *corr_text = buf_done(b, &corr);
    return relation_with(b, r, &rs, self_sel(b), b->info->args, corr_text, k, node);
}

/* ---- mutations ---- */

static bool is_timestamp(const gg_amplify_model *m, const gg_amplify_field *f)
{
    return (m->created_at && strcmp(f->name, m->created_at) == 0) ||
           (m->updated_at && strcmp(f->name, m->updated_at) == 0);
}

static bool is_key_column(const gg_pg_model *pm, const gg_pg_column *c)
{
    for (unsigned i = 0; i < pm->key_count; i++)
        if (pm->key[i] == c) return true;
    return false;
}

static bool given(const gg_val *v)
{
    return v != NULL && v->kind != GG_VAL_UNDEFINED && v->kind != GG_VAL_NULL;
}

/* INSERT INTO T AS tK (cols) SELECT values WHERE <condition on no item> ON CONFLICT DO NOTHING */
static bool put_insert(builder *b, gg_buf *out, const char *talias, const gg_val *input, const gg_val *condition)
{
    const gg_pg_model *pm = b->target->model;
    const gg_amplify_model *m = pm->model;
    gg_buf names, values;
    gg_buf_init(&names);
    gg_buf_init(&values);
    unsigned n = 0;
    bool ok = true;
    for (unsigned i = 0; i < m->field_count && ok; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL) continue;
        const gg_amplify_field *f = c->field;
        const gg_val *v = gg_val_object_get(input, f->name);
        const char *sep = n ? ", " : "";
        if (given(v)) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_puts(&values, sep);
            ok = put_value(b, &values, v, c);
        } else if (is_key_column(pm, c) && strcmp(f->name, "id") == 0 && c->kind == GG_COLUMN_TEXT) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_printf(&values, "%sgen_random_uuid()::text", sep);
        } else if (is_timestamp(m, f) && c->kind == GG_COLUMN_TEXT) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_printf(&values, "%s" NOW_SQL, sep);
        } else if (f->default_value != NULL) {
            gg_buf_printf(&names, "%s%s", sep, c->quoted);
            gg_buf_puts(&values, sep);
            put_param(b, &values, f->default_value, c->sql_type);
        } else {
            continue;
        }
        n++;
    }
    if (ok) {
        gg_buf_printf(out, "INSERT INTO %s AS %s (%s) SELECT %s WHERE TRUE", pm->quoted_table, talias,
                      names.data ? names.data : "", values.data ? values.data : "");
        ok = put_filter(b, out, pm, NULL, condition, "Unrecognized Filter");
        gg_buf_puts(out, " ON CONFLICT DO NOTHING");
    }
    gg_buf_free(&names);
    gg_buf_free(&values);
    return ok;
}

static bool put_update(builder *b, gg_buf *out, const char *talias, const gg_val *input, const gg_val *condition)
{
    const gg_pg_model *pm = b->target->model;
    const gg_amplify_model *m = pm->model;
    gg_buf_printf(out, "UPDATE %s AS %s SET ", pm->quoted_table, talias);
    unsigned n = 0;
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL || is_key_column(pm, c)) continue;
        const gg_val *v = gg_val_object_get(input, c->field->name);
        bool present = v != NULL && v->kind != GG_VAL_UNDEFINED;
        bool stamp = !given(v) && m->updated_at && strcmp(c->field->name, m->updated_at) == 0;
        if (!present && !stamp) continue;
        gg_buf_printf(out, "%s%s = ", n++ ? ", " : "", c->quoted);
        if (stamp)
            gg_buf_puts(out, NOW_SQL);
        else if (!put_value(b, out, v, c))
            return false;
    }
    if (n == 0) /* nothing to change: still a write, so the condition and existence are checked */
        gg_buf_printf(out, "%s = %s.%s", pm->key[0]->quoted, talias, pm->key[0]->quoted);
    gg_buf_puts(out, " WHERE TRUE");
    return put_key_match(b, out, pm, talias, input) && put_filter(b, out, pm, talias, condition, "Unrecognized Filter");
}

static bool put_delete(builder *b, gg_buf *out, const char *talias, const gg_val *input, const gg_val *condition)
{
    const gg_pg_model *pm = b->target->model;
    gg_buf_printf(out, "DELETE FROM %s AS %s WHERE TRUE", pm->quoted_table, talias);
    return put_key_match(b, out, pm, talias, input) && put_filter(b, out, pm, talias, condition, "Unrecognized Filter");
}

/* WITH w AS (<write> RETURNING cols) SELECT (SELECT <row> FROM w sK)::text */
static const char *mutation(builder *b, pnode **node)
{
    const gg_pg_model *pm = b->target->model;
    unsigned k = ++b->next_alias;
    char talias[24], salias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    snprintf(salias, sizeof salias, "s%u", k);
    const gg_val *input = gg_val_object_get(b->info->args, "input");
    const gg_val *condition = gg_val_object_get(b->info->args, "condition");
    if (input == NULL || input->kind != GG_VAL_OBJECT) {
        fail(b, "InvalidArgumentsError", "input is required.");
        return NULL;
    }
    pnode *pn = gg_arena_alloc(b->arena, sizeof *pn);
    *node = pn;
    colset cols = {0};
    const gg_pg_field_sel *sel = self_sel(b);
    const char *row = row_json(b, pm, named_type(sel->def), sel->nodes, sel->node_count, salias, &cols, pn);
    if (row == NULL) return NULL;
    for (unsigned i = 0; i < pm->key_count; i++)
        colset_add(b, &cols, pm->key[i]);
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "WITH w AS (");
    bool ok = b->target->op == GG_PG_OP_CREATE   ? put_insert(b, &out, talias, input, condition)
              : b->target->op == GG_PG_OP_UPDATE ? put_update(b, &out, talias, input, condition)
                                                 : put_delete(b, &out, talias, input, condition);
    if (!ok) {
        gg_buf_free(&out);
        return NULL;
    }
    gg_buf_puts(&out, " RETURNING ");
    put_columns(&out, &cols, talias);
    gg_buf_printf(&out, ") SELECT (SELECT %s FROM w %s)::text", row, salias);
    return buf_done(b, &out);
}

/* ---- entry points ---- */

gg_pg_plan *gg_pg_plan_build(const gg_pg_target *target, gg_resolve_info *info, const gg_cursor_key *key,
                             gg_pg_statement *stmt, gg_pg_failure *failure)
{
    builder b = {.info = info, .arena = info->arena, .target = target, .key = key};
    gg_sql_params_init(&b.params, info->arena);
    pnode *root = NULL;
    const char *sql = NULL;
    switch (target->op) {
    case GG_PG_OP_GET:
        sql = root_get(&b, &root);
        break;
    case GG_PG_OP_LIST:
    case GG_PG_OP_INDEX:
        sql = root_list(&b, &root);
        break;
    case GG_PG_OP_RELATION:
        sql = root_relation(&b, &root);
        break;
    case GG_PG_OP_CREATE:
    case GG_PG_OP_UPDATE:
    case GG_PG_OP_DELETE:
        sql = mutation(&b, &root);
        break;
    }
    if (sql == NULL) {
        *failure = b.failure;
        if (failure->message == NULL) *failure = (gg_pg_failure){"InternalFailure", "The request cannot be planned."};
        return NULL;
    }
    bool is_mutation = target->op == GG_PG_OP_CREATE || target->op == GG_PG_OP_UPDATE || target->op == GG_PG_OP_DELETE;
    stmt->sql = is_mutation ? sql : gg_arena_printf(b.arena, "SELECT %s::text", sql);
    stmt->param_count = (int)b.params.count;
    stmt->values = b.params.values;
    gg_pg_plan *plan = gg_arena_alloc(b.arena, sizeof *plan);
    plan->target = target;
    plan->arena = b.arena;
    plan->key = key;
    plan->root = root;
    return plan;
}

static gg_val **member_slot(gg_val *obj, const char *key)
{
    if (obj == NULL || obj->kind != GG_VAL_OBJECT) return NULL;
    for (unsigned i = 0; i < obj->count; i++)
        if (strcmp(obj->members[i].key, key) == 0) return &obj->members[i].value;
    return NULL;
}

/* Signs the nextToken values (JSON arrays of key values) of every connection in v. */
static void sign_tokens(gg_pg_plan *plan, const pnode *pn, gg_val *v)
{
    if (pn == NULL || v == NULL || v->kind != GG_VAL_OBJECT) return;
    if (!pn->connection) {
        for (unsigned i = 0; i < pn->children.count; i++) {
            gg_val **slot = member_slot(v, pn->children.items[i].key);
            if (slot) sign_tokens(plan, pn->children.items[i].node, *slot);
        }
        return;
    }
    gg_val **token = member_slot(v, "nextToken");
    if (token && pn->context && *token && (*token)->kind == GG_VAL_LIST) {
        gg_val *list = *token;
        const char **values = gg_arena_array(plan->arena, list->count ? list->count : 1, sizeof *values);
        for (unsigned i = 0; i < list->count; i++)
            values[i] = list->items[i]->kind == GG_VAL_STRING ? list->items[i]->s : NULL;
        char *text = plan->key ? gg_cursor_encode(plan->arena, plan->key, pn->context, values, list->count) : NULL;
        *token = text ? gg_val_string(plan->arena, text, strlen(text)) : &gg_val_null_value;
    }
    gg_val **items = member_slot(v, "items");
    if (items && pn->item && *items && (*items)->kind == GG_VAL_LIST)
        for (unsigned i = 0; i < (*items)->count; i++)
            sign_tokens(plan, pn->item, (*items)->items[i]);
}

bool gg_pg_plan_finish(gg_pg_plan *plan, const char *text, size_t len, gg_val **value, gg_pg_failure *failure)
{
    gg_pg_op op = plan->target->op;
    if (text == NULL) {
        if (op == GG_PG_OP_CREATE || op == GG_PG_OP_UPDATE || op == GG_PG_OP_DELETE) {
            *failure = (gg_pg_failure){"ConditionalCheckFailedException", "The conditional request failed"};
            return false;
        }
        *value = &gg_val_null_value;
        return true;
    }
    gg_val *v = gg_pg_json_read(plan->arena, text, len);
    if (v == NULL) {
        *failure = (gg_pg_failure){"DatabaseError", "The database returned an unreadable result."};
        return false;
    }
    sign_tokens(plan, plan->root, v);
    *value = v;
    return true;
}
