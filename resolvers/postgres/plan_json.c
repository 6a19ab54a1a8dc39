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
 * <key> AND <condition> RETURNING cols) SELECT <row over w>, the row with every stored field
 * (the event subscribers receive; the answer keeps the selection). The condition is part of the WHERE
 * clause, so it holds atomically; no row means the condition (or the implied existence check)
 * failed. Create evaluates its condition against an absent item (every column NULL), as DynamoDB
 * does, and ON CONFLICT DO NOTHING turns a duplicate key into the same failure. Timestamps come
 * from the database clock (statement_timestamp, milliseconds, Z), ids from gen_random_uuid().
 * A versioned write (plan_sql.h) adds its change log CTE over w:
 *   WITH w AS (UPDATE ... RETURNING cols), "gg@changes" AS (INSERT INTO graphgate_changes ... FROM w) SELECT ...
 * Relations selected under a mutation result read the tables as they were before the write
 * (PostgreSQL shows a statement one snapshot). Every value is a $N parameter; identifiers come
 * from the catalog and are quoted; response names are GraphQL names, written as quoted literals. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "execute/values.h"
#include "graphql/json_read.h"
#include "plan_build.h"

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

typedef struct json_plan {
    gg_pg_plan base;
    const gg_pg_target *target;
    gg_arena *arena;
    const gg_cursor_key *key;
    pnode *root;
    bool guarded;    /* a get whose row may be denied: the answer is DENIED_JSON then */
    gg_fault denied; /* the field's Unauthorized error */
} json_plan;

/* What a get answers for a row that exists but that the caller may not read (no field is named so). */
#define DENIED_MEMBER "gg@unauthorized"

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

static const char *relation_expr(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, gg_pg_plan_column_set *cols,
                                 pnode **node);

/* The members of one selected relation: one per group of its selections (gg_pg_plan_relation_groups). */
static bool add_relation_members(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, gg_pg_plan_column_set *cols,
                                 const char *condition, pair_vec *pairs, pnode *pn)
{
    gg_pg_plan_relation_group *groups = NULL;
    unsigned count = gg_pg_plan_relation_groups(b, sel, &groups);
    for (unsigned i = 0; i < count; i++) {
        pnode *child = NULL;
        const char *expr = relation_expr(b, pm, af, &groups[i].sel, alias, cols, &child);
        if (expr == NULL) return false;
        if (condition) expr = gg_arena_printf(b->arena, "CASE WHEN %s THEN %s END", condition, expr);
        pair p = {groups[i].key, expr};
        GG_VEC_PUSH(b->arena, *pairs, p);
        pchild pc = {groups[i].key, child};
        GG_VEC_PUSH(b->arena, pn->children, pc);
    }
    return true;
}

/* Adds a member for every stored field of pm that pairs lacks: a written row keeps them all,
 * selected or not, so the published event carries them to subscribers that select more than the
 * mutation did (server/realtime), as plan_rows.c does; the mutation's own answer shows only its
 * selection. A field with @auth rules of its own travels only when selected (then guarded). */
static void add_stored_fields(gg_pg_plan_builder *b, const gg_pg_model *pm, const char *alias,
                              gg_pg_plan_column_set *cols, pair_vec *pairs)
{
    for (unsigned i = 0; i < pm->model->field_count; i++) {
        const gg_pg_column *c = &pm->columns[i];
        if (c->field == NULL || c->field->kind == GG_AMPLIFY_FIELD_RELATION || c->field->auth_rule_count > 0) continue;
        bool seen = false;
        for (unsigned k = 0; k < pairs->count && !seen; k++)
            seen = strcmp(pairs->items[k].key, c->field->name) == 0;
        if (seen) continue;
        gg_pg_plan_column_set_add(b, cols, c);
        pair p = {c->field->name,
                  gg_pg_column_output(b->arena, c, gg_arena_printf(b->arena, "%s.%s", alias, c->quoted))};
        GG_VEC_PUSH(b->arena, *pairs, p);
    }
}

/* json_build_object(...) for one row of pm, readable as alias."col"; records the columns it
 * reads in cols. every_stored: the row a mutation wrote (add_stored_fields). NULL on failure. */
static const char *row_json(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_type *type,
                            const gg_selection *const *nodes, unsigned count, const char *alias, const char *talias,
                            unsigned op, bool every_stored, gg_pg_plan_column_set *cols, pnode *pn)
{
    gg_pg_fields fields;
    gg_fault fault = {0};
    if (!gg_pg_collect_fields(b->info, type, nodes, count, &fields, &fault)) {
        gg_pg_plan_fail(b, "InvalidArgumentsError", fault.message);
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
            /* field-level @auth: the value of a row whose field is denied is not selected, and the
             * member "!" + name says so (pg_resolvers.c) */
            gg_pg_plan_field_read read;
            gg_pg_plan_field_read_of(b, pm, c, op, talias, &read);
            const char *denied_key = gg_arena_printf(b->arena, GG_PG_DENIED_PREFIX "%s", af->name);
            if (read.denied) {
                pair d = {denied_key, "true"};
                GG_VEC_PUSH(b->arena, pairs, d);
                continue;
            }
            gg_pg_plan_column_set_add(b, cols, read.value);
            pair p = {af->name, gg_pg_column_output(b->arena, read.value,
                                                    gg_arena_printf(b->arena, "%s.%s", alias, read.value->quoted))};
            GG_VEC_PUSH(b->arena, pairs, p);
            if (read.guard) {
                gg_pg_plan_column_set_add(b, cols, read.guard);
                pair d = {denied_key, gg_arena_printf(b->arena, "NOT %s.%s", alias, read.guard->quoted)};
                GG_VEC_PUSH(b->arena, pairs, d);
            }
            continue;
        }
        /* @auth on a relation (its own rules, the related model's): the marker where denied, and the
         * related rows not read there */
        bool denied = false;
        const gg_pg_column *guard = gg_pg_plan_relation_guard(b, pm, af, op, talias, &denied);
        const char *denied_key = gg_arena_printf(b->arena, GG_PG_DENIED_PREFIX "%s", af->name);
        const char *condition = NULL;
        if (denied) {
            pair d = {denied_key, "true"};
            GG_VEC_PUSH(b->arena, pairs, d);
            continue;
        }
        if (guard) {
            gg_pg_plan_column_set_add(b, cols, guard);
            condition = gg_arena_printf(b->arena, "%s.%s", alias, guard->quoted);
            pair d = {denied_key, gg_arena_printf(b->arena, "NOT %s", condition)};
            GG_VEC_PUSH(b->arena, pairs, d);
        }
        if (!add_relation_members(b, pm, af, sel, alias, cols, condition, &pairs, pn)) return NULL;
    }
    if (every_stored) add_stored_fields(b, pm, alias, cols, &pairs);
    gg_buf out;
    gg_buf_init(&out);
    put_pairs(&out, &pairs);
    return gg_pg_plan_buffer_to_arena(b, &out);
}

/* ---- connections ---- */

/* The connection subquery. corr holds the WHERE conditions tying it to its parent or fixing the
 * partition key (already written with alias tK), k is the alias number reserved by the caller. */
static const char *connection_expr(gg_pg_plan_builder *b, const gg_pg_plan_connection *cs, const gg_type *conn_type,
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
    gg_pg_plan_page page;
    if (!gg_pg_plan_read_page(b, cs, conn_type, nodes, count, &page)) return NULL;
    const gg_pg_plan_order *o = &page.order;
    const char *limit_text = gg_arena_printf(b->arena, "%" PRId64, page.limit);

    /* the rows of the page: written first, they tell which columns the inner select reads */
    gg_pg_plan_column_set cols = {0};
    const char *row = NULL;
    if (page.items_def != NULL) {
        pn->item = gg_arena_alloc(b->arena, sizeof *pn->item);
        row = row_json(b, pm, gg_pg_plan_named_type(page.items_def), page.item_nodes, page.item_count, salias, talias,
                       GG_AMPLIFY_OP_LIST, false, &cols, pn->item);
        if (row == NULL) return NULL;
    }
    for (unsigned i = 0; i < o->count; i++)
        gg_pg_plan_column_set_add(b, &cols, o->cols[i]);

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
    if (page.want_token) {
        pn->context = o->context;
        gg_buf_printf(&out, "%s'nextToken', CASE WHEN count(*) > %s THEN (array_agg(json_build_array(", row ? ", " : "",
                      lim);
        for (unsigned i = 0; i < o->count; i++)
            gg_buf_printf(&out, "%s%s.%s::text", i ? ", " : "", salias, o->cols[i]->quoted);
        gg_buf_printf(&out, ")) FILTER (WHERE %s." ROW_NUMBER " = %s))[1] END", salias, lim);
    }
    gg_buf_puts(&out, ") FROM (SELECT ");
    gg_pg_plan_put_columns(&out, &cols, talias);
    gg_buf_puts(&out, ", row_number() OVER (ORDER BY ");
    gg_pg_plan_put_order_by(&out, o, talias);
    gg_buf_puts(&out, ") AS " ROW_NUMBER);
    if (!gg_pg_plan_put_page_source(b, &out, cs, &page, talias, corr)) {
        gg_buf_free(&out);
        return NULL;
    }
    /* Neither items nor nextToken (only __typename, or both skipped): with no aggregate the
     * subquery would be one row per page row, or none; HAVING makes it one group, so one row, the
     * empty object. */
    gg_buf_printf(&out, " LIMIT %s + 1) %s%s)", lim, salias, row == NULL && !page.want_token ? " HAVING true" : "");
    return gg_pg_plan_buffer_to_arena(b, &out);
}

/* The single row of pm selected by corr (tK conditions), or null; with a guard column (a get's
 * row guard), {DENIED_MEMBER: true} when the guard is false. */
static const char *single_expr(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_type *type,
                               const gg_selection *const *nodes, unsigned count, const char *corr, unsigned k,
                               const gg_pg_column *guard, bool every_stored, pnode **node)
{
    char talias[24], salias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    snprintf(salias, sizeof salias, "s%u", k);
    pnode *pn = gg_arena_alloc(b->arena, sizeof *pn);
    *node = pn;
    gg_pg_plan_column_set cols = {0};
    const char *row = row_json(b, pm, type, nodes, count, salias, talias, GG_AMPLIFY_OP_GET, every_stored, &cols, pn);
    if (row == NULL) return NULL;
    for (unsigned i = 0; i < pm->key_count; i++)
        gg_pg_plan_column_set_add(b, &cols, pm->key[i]);
    gg_buf out;
    gg_buf_init(&out);
    if (guard) {
        gg_pg_plan_column_set_add(b, &cols, guard);
        row = gg_arena_printf(b->arena, "CASE WHEN %s.%s THEN %s ELSE json_build_object('" DENIED_MEMBER "', true) END",
                              salias, guard->quoted, row);
    }
    gg_buf_printf(&out, "(SELECT %s FROM (SELECT ", row);
    gg_pg_plan_put_columns(&out, &cols, talias);
    gg_buf_printf(&out, " FROM %s %s WHERE TRUE%s LIMIT 1) %s)", pm->quoted_table, talias, corr, salias);
    return gg_pg_plan_buffer_to_arena(b, &out);
}

static const char *relation_with(gg_pg_plan_builder *b, const gg_amplify_relation *r, const gg_pg_plan_sides *rs,
                                 const gg_pg_field_sel *sel, const gg_val *args, const char *corr, unsigned k,
                                 pnode **node)
{
    const gg_type *type = gg_pg_plan_named_type(sel->def);
    if (!gg_pg_plan_is_to_many(r)) {
        /* a single related row the caller may not read is left out: null (Unauthorized: the
         * parent row's guard, gg_pg_plan_relation_guard) */
        const char *source =
            gg_pg_plan_corr_with_auth(b, corr, rs->target, GG_AMPLIFY_OP_GET, gg_arena_printf(b->arena, "t%u", k));
        return single_expr(b, rs->target, type, sel->nodes, sel->node_count, source, k, NULL, false, node);
    }
    gg_pg_plan_connection cs;
    gg_pg_plan_relation_connection(r, rs, args, &cs);
    return connection_expr(b, &cs, type, sel->nodes, sel->node_count, corr, k, node);
}

static const char *relation_expr(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *af,
                                 const gg_pg_field_sel *sel, const char *alias, gg_pg_plan_column_set *cols,
                                 pnode **node)
{
    const gg_amplify_relation *r = af->relation;
    gg_pg_plan_sides rs;
    if (r == NULL || !gg_pg_plan_relation_sides(b, pm, r, &rs)) return NULL;
    gg_fault fault = {0};
    gg_val *args = gg_pg_field_args(b->info, sel, &fault);
    if (args == NULL) {
        gg_pg_plan_fail(b, "InvalidArgumentsError", fault.message);
        return NULL;
    }
    unsigned k = ++b->next_alias;
    gg_buf corr;
    gg_buf_init(&corr);
    for (unsigned i = 0; i < rs.count; i++) {
        gg_pg_plan_column_set_add(b, cols, rs.local[i]);
        gg_buf_printf(&corr, " AND t%u.%s %s %s.%s", k, rs.remote[i]->quoted,
                      gg_pg_join_operator(b->arena, rs.remote[i], rs.local[i]), alias, rs.local[i]->quoted);
    }
    const char *corr_text = gg_pg_plan_buffer_to_arena(b, &corr);
    return relation_with(b, r, &rs, sel, args, corr_text, k, node);
}

static const char *root_get(gg_pg_plan_builder *b, json_plan *plan, pnode **node)
{
    const gg_pg_model *pm = b->target->model;
    unsigned k = ++b->next_alias;
    gg_buf corr;
    gg_buf_init(&corr);
    char talias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    if (!gg_pg_plan_put_key_match(b, &corr, pm, talias, b->info->args)) {
        gg_buf_free(&corr);
        return NULL;
    }
    const char *corr_text = gg_pg_plan_buffer_to_arena(b, &corr);
    const gg_pg_column *guard = gg_pg_plan_get_guard(b, talias, &plan->denied);
    plan->guarded = guard != NULL;
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    /* a version conflict's read of the current row keeps every stored field (datastore_conflict.h) */
    return single_expr(b, pm, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count, corr_text, k, guard,
                       b->target->every_stored, node);
}

static const char *root_list(gg_pg_plan_builder *b, pnode **node)
{
    unsigned k = ++b->next_alias;
    char talias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    gg_pg_plan_connection cs;
    const char *corr = NULL;
    if (!gg_pg_plan_root_connection(b, talias, &cs, &corr)) return NULL;
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    return connection_expr(b, &cs, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count, corr, k, node);
}

/* A relation field whose parent was not planned with it: the parent's key values are parameters. */
static const char *root_relation(gg_pg_plan_builder *b, pnode **node)
{
    const gg_amplify_relation *r = b->target->field->relation;
    gg_pg_plan_sides rs;
    if (r == NULL || !gg_pg_plan_relation_sides(b, b->target->model, r, &rs)) return NULL;
    unsigned k = ++b->next_alias;
    char talias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    gg_buf corr;
    gg_buf_init(&corr);
    if (!gg_pg_plan_put_source_match(b, &corr, &rs, talias)) {
        gg_buf_free(&corr);
        return NULL;
    }
    return relation_with(b, r, &rs, gg_pg_plan_own_selection(b), b->info->args, gg_pg_plan_buffer_to_arena(b, &corr), k,
                         node);
}

/* The name of column c in w, the rows a write returned (gg_pg_plan_source_column). */
static const char *written_column(void *ctx, gg_arena *arena, const gg_pg_column *c)
{
    (void)ctx;
    (void)arena;
    return c->quoted;
}

static const char *mutation(gg_pg_plan_builder *b, pnode **node)
{
    const gg_pg_model *pm = b->target->model;
    unsigned k = ++b->next_alias;
    char talias[24], salias[24];
    snprintf(talias, sizeof talias, "t%u", k);
    snprintf(salias, sizeof salias, "s%u", k);
    pnode *pn = gg_arena_alloc(b->arena, sizeof *pn);
    *node = pn;
    gg_pg_plan_column_set cols = {0};
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    const char *row = row_json(b, pm, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count, salias, talias,
                               GG_AMPLIFY_OP_GET, true, &cols, pn);
    if (row == NULL) return NULL;
    for (unsigned i = 0; i < pm->key_count; i++)
        gg_pg_plan_column_set_add(b, &cols, pm->key[i]);
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "WITH w AS (");
    if (!gg_pg_plan_put_write(b, &out, talias)) {
        gg_buf_free(&out);
        return NULL;
    }
    gg_buf_puts(&out, " RETURNING ");
    gg_pg_plan_put_columns(&out, &cols, talias);
    gg_buf_putc(&out, ')');
    if (gg_pg_plan_is_versioned_write(b->target)) gg_pg_plan_put_change_log(b, &out, "w", written_column, NULL);
    gg_buf_printf(&out, " SELECT (SELECT %s FROM w %s)::text", row, salias);
    return gg_pg_plan_buffer_to_arena(b, &out);
}

static gg_val **member_slot(gg_val *obj, const char *key)
{
    if (obj == NULL || obj->kind != GG_VAL_OBJECT) return NULL;
    for (unsigned i = 0; i < obj->count; i++)
        if (strcmp(obj->members[i].key, key) == 0) return &obj->members[i].value;
    return NULL;
}

/* Signs the nextToken values (JSON arrays of key values) of every connection in v. */
static void sign_tokens(json_plan *plan, const pnode *pn, gg_val *v)
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

static bool json_finish(gg_pg_plan *base, const PGresult *result, gg_val **value, gg_fault *failure)
{
    json_plan *plan = (json_plan *)base;
    if (PQntuples(result) > 1 || PQnfields(result) != 1) {
        *failure = (gg_fault){.error_type = "DatabaseError", .message = "The database request failed."};
        return false;
    }
    if (PQntuples(result) == 0 || PQgetisnull(result, 0, 0)) {
        if (gg_pg_plan_is_mutation(plan->target->op)) {
            *failure = (gg_fault){.error_type = GG_PG_CONDITION_FAILED, .message = "The conditional request failed"};
            return false;
        }
        *value = &gg_val_null_value;
        return true;
    }
    gg_val *v = gg_json_read(plan->arena, PQgetvalue(result, 0, 0), (size_t)PQgetlength(result, 0, 0));
    if (v == NULL) {
        *failure = (gg_fault){.error_type = "DatabaseError", .message = "The database returned an unreadable result."};
        return false;
    }
    if (plan->guarded && v->kind == GG_VAL_OBJECT && member_slot(v, DENIED_MEMBER) != NULL) {
        *failure = plan->denied;
        return false;
    }
    sign_tokens(plan, plan->root, v);
    *value = v;
    return true;
}

gg_pg_plan *gg_pg_plan_json_build(gg_pg_plan_builder *b, gg_pg_statement *stmt)
{
    pnode *root = NULL;
    const char *sql = NULL;
    json_plan *plan = gg_arena_alloc(b->arena, sizeof *plan);
    switch (b->target->op) {
    case GG_PG_OP_GET:
        sql = root_get(b, plan, &root);
        break;
    case GG_PG_OP_LIST:
    case GG_PG_OP_INDEX:
    case GG_PG_OP_SYNC:
        sql = root_list(b, &root);
        break;
    case GG_PG_OP_RELATION:
        sql = root_relation(b, &root);
        break;
    case GG_PG_OP_CREATE:
    case GG_PG_OP_UPDATE:
    case GG_PG_OP_DELETE:
        sql = mutation(b, &root);
        break;
    }
    if (sql == NULL) return NULL;
    stmt->sql = gg_pg_plan_is_mutation(b->target->op) ? sql : gg_arena_printf(b->arena, "SELECT %s::text", sql);
    plan->base.finish = json_finish;
    plan->target = b->target;
    plan->arena = b->arena;
    plan->key = b->key;
    plan->root = root;
    return &plan->base;
}
