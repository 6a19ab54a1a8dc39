/* plan_rows.c: a @model field and its selection subtree as ONE statement returning plain rows,
 * assembled into values here; see plan.h.
 *
 * The selection tree becomes a tree of nodes: the root field's rows, and for each selected
 * relation (each distinct argument text of it, as in plan_json.c) the related rows of ALL the
 * parent node's rows. Each node is one common table expression nK. The root reads its table:
 *   n1(c0, c1 ...) AS (SELECT t1.cols FROM T t1 WHERE ... ORDER BY <order> LIMIT L)
 * (a mutation's root is its INSERT/UPDATE/DELETE ... RETURNING cols), and a child joins its parent
 * LATERALLY, so each parent row gets its own page through the index on the foreign key:
 *   n2(l0, c0 ...) AS (SELECT p.c3, x.* FROM n1 p CROSS JOIN LATERAL
 *                        (SELECT t2.cols FROM T2 t2 WHERE t2.fk = p.c3 AND <filter> ORDER BY .. LIMIT L) x)
 * The lK columns repeat the parent's columns the relation joins on (the "link"). When those are not
 * the parent's whole primary key (@belongsTo: many comments, one post), the parent side is
 * DISTINCT link values, so every node holds each table row at most once. A mutation's root is the
 * write itself, and the other levels read the written model as it is after the write
 * (written_view_sql), as AppSync's relation resolvers would. The statement's result
 * is every node's rows, one UNION ALL branch each: node number, link columns, own columns, as
 * text (own columns in the client's forms, gg_pg_column_wire; the nodes keep the columns' own
 * types so they join and compare as stored) but dates and times, which are read in binary and
 * written in AppSync's forms here (plan_rows_layout.h lays the columns out), padded with NULLs to
 * one width. A plan with one node
 * (get by id, a list without relations) is just its SELECT, as hand-written SQL would be; a
 * versioned write always takes the WITH form: its change log CTE (plan_sql.h) reads n1. Without
 * relations its n1 returns the columns as a plan of one node does and the statement ends with
 * SELECT * FROM n1 (no node number, no casts to text: PostgreSQL executes 9% fewer instructions),
 * unless the log needs a column the client sees in another form (an AWSDateTime key).
 *
 * Assembly walks the nodes from the last to the first (children before parents): each row becomes
 * an object with the selected scalar fields (by field name) and one member per relation (keyed
 * "@" + response name, "|" + arguments when aliases differ, as plan_json.c does, so
 * pg_resolvers.c reads both plans alike); a child's rows are grouped by their link text and
 * found from the parent row's own columns. Rows keep the statement's order: a LATERAL join is a
 * nested loop over its parent, and each branch of UNION ALL is read in turn. A page fetches one
 * row more than its limit only when nextToken is selected; the limit-th row's order values,
 * signed, are the token. Text is converted by the column's storage kind (plan_rows_value). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "graphql/json_read.h"
#include "pg_pool.h"
#include "plan_build.h"
#include "plan_rows_layout.h"
#include "wire_binary.h"

typedef struct rnode rnode;

typedef struct rfield { /* a selected scalar field: member name and its column (index in cols) */
    const char *name;
    unsigned col;
    int guard;        /* field-level @auth: index in cols of its row guard (gg_pg_plan_field_read), -1: none */
    bool denied;      /* field-level @auth: the caller may read it on no row */
    bool marker_only; /* a relation field with rules of its own: only its denied marker is written here */
} rfield;

typedef struct rchild { /* a selected relation of the node's rows */
    const char *key;    /* member key: "@name" or "@name|arguments" */
    rnode *node;
} rchild;

typedef struct rgroup { /* the rows of a child node that belong to one link value */
    GG_VEC(unsigned) rows;
} rgroup;

struct rnode {
    unsigned number; /* nK; the value of the first result column */
    const gg_pg_model *pm;
    rnode *parent;
    unsigned link_count;
    unsigned parent_cols[8];            /* link i comes from the parent's column parent_cols[i] */
    bool distinct;                      /* the parent side is DISTINCT link values (link is not the parent's key) */
    bool connection;                    /* pages of rows (root list, @hasMany, @manyToMany) rather than one row */
    bool items, want_token;             /* connection: what is selected */
    gg_pg_plan_order order;             /* connection: the page order */
    const gg_pg_column *token_cols[16]; /* connection: what nextToken holds of each order column (its exact text
                                         * where the output drops digits: microseconds of a timestamp) */
    int64_t limit;                      /* connection: page size */
    gg_pg_plan_column_set cols;         /* the node's own columns, output order */
    GG_VEC(rfield) fields;
    GG_VEC(rchild) children;
    int guard_col;         /* a get's row guard (gg_pg_plan_get_guard): its index in cols; -1: none */
    int parent_guard;      /* a relation field with rules of its own: its guard's index in the parent's cols; -1 */
    unsigned *result_cols; /* a statement of several nodes: the result column of each of cols */
    const char *from;      /* " FROM T tK WHERE ... [ORDER BY ..]" without LIMIT */
    const char *alias;     /* the node's table alias: "t" + its alias number */

    /* assembly */
    GG_VEC(unsigned) rows;   /* result row numbers, statement order */
    gg_val **objs;           /* parallel to rows */
    gg_val_row_shape *shape; /* rows of plain columns only, read by the executor: their shape (rows_shape) */
    bool *wire;              /* with shape: which fields are dates on the wire (gg_pg_column_on_wire) */
    gg_strmap groups;        /* child nodes: link text -> rgroup */
};

typedef struct rows_plan {
    gg_pg_plan base;
    const gg_pg_target *target;
    gg_arena *arena;
    const gg_cursor_key *key;
    GG_VEC(rnode *) nodes;      /* nodes[i]->number == i + 1 */
    const gg_pg_model *written; /* a mutation's model: other levels read it through written_view */
    const char *written_view;   /* NULL until a relation reads it (table_of) */
    unsigned written_columns;   /* the root's columns when the write was planned: the view's columns */
    int columns;                /* of the statement's result (checked before reading it) */
    bool logged;       /* a versioned write: its statement also appends to the change log (always the WITH form) */
    bool logged_plain; /* ... whose result is still the plain rows of its only node (no node number column) */
    gg_fault denied;   /* a get whose row guard is false fails with this */
    const gg_pg_binary *binary; /* the statement asks for binary results (plan_rows_layout.h): each result
                                 * column's reader; NULL: text */
} rows_plan;

static const char *written_view_sql(gg_arena *arena, const rnode *root, unsigned columns, gg_pg_op op);

/* What the rows of model pm are read from: its table, or for the model a mutation writes, the
 * table as it is after the write (see written_view_sql), written when a relation first reads it
 * (a mutation without relations never does). */
static const char *table_of(rows_plan *rp, const gg_pg_model *pm)
{
    if (pm != rp->written) return pm->quoted_table;
    if (rp->written_view == NULL)
        rp->written_view = written_view_sql(rp->arena, rp->nodes.items[0], rp->written_columns, rp->target->op);
    return rp->written_view;
}

static rnode *new_node(gg_pg_plan_builder *b, rows_plan *rp, const gg_pg_model *pm, rnode *parent)
{
    rnode *n = gg_arena_alloc(b->arena, sizeof *n);
    n->pm = pm;
    n->parent = parent;
    n->alias = gg_arena_printf(b->arena, "t%u", ++b->next_alias);
    n->guard_col = -1;
    n->parent_guard = -1;
    GG_VEC_PUSH(b->arena, rp->nodes, n);
    n->number = rp->nodes.count;
    return n;
}

static bool node_fields(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_type *type,
                        const gg_selection *const *nodes, unsigned count);

/* Fills a node from its selection: a page (connection) or one row per link value (single). */
static bool node_page(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_pg_plan_connection *cs,
                      const gg_type *conn_type, const gg_selection *const *nodes, unsigned count, const char *corr)
{
    n->connection = true;
    gg_pg_plan_page page;
    if (!gg_pg_plan_read_page(b, cs, conn_type, nodes, count, &page)) return false;
    n->items = page.items_def != NULL;
    n->want_token = page.want_token;
    n->order = page.order;
    n->limit = page.limit;
    if (n->items && !node_fields(b, rp, n, gg_pg_plan_named_type(page.items_def), page.item_nodes, page.item_count))
        return false;
    for (unsigned i = 0; i < n->order.count; i++) {
        const gg_pg_column *c = n->order.cols[i];
        gg_pg_plan_column_set_add(b, &n->cols, c);
        n->token_cols[i] = c;
        if (!n->want_token || c->expression || c->output == GG_PG_OUTPUT_AS_IS || c->output == GG_PG_OUTPUT_DATE ||
            c->output == GG_PG_OUTPUT_TEXT)
            continue;
        /* a keyset of the shown value (milliseconds) would repeat or skip rows within one */
        gg_pg_column text = *c;
        text.output = GG_PG_OUTPUT_AS_IS;
        text.sql_type = "text";
        n->token_cols[i] =
            gg_pg_plan_computed_column(b, &text, gg_arena_printf(b->arena, "%s.%s::text", n->alias, c->quoted));
        gg_pg_plan_column_set_add(b, &n->cols, n->token_cols[i]);
    }
    gg_buf from;
    gg_buf_init(&from);
    if (!gg_pg_plan_put_page_source(b, &from, cs, &page, n->alias, corr)) {
        gg_buf_free(&from);
        return false;
    }
    n->from = gg_pg_plan_buffer_to_arena(b, &from);
    return true;
}

static bool node_single(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_type *type,
                        const gg_selection *const *nodes, unsigned count, const char *corr)
{
    if (!node_fields(b, rp, n, type, nodes, count)) return false;
    for (unsigned i = 0; i < n->pm->key_count; i++)
        gg_pg_plan_column_set_add(b, &n->cols, n->pm->key[i]);
    n->from = gg_arena_printf(b->arena, " FROM %s %s WHERE TRUE%s", table_of(rp, n->pm), n->alias, corr);
    n->limit = 1;
    return true;
}

/* The node of a relation's target rows, tied to its parent by corr. */
static bool relation_rows(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_amplify_relation *r,
                          const gg_pg_plan_sides *rs, const gg_pg_field_sel *sel, const gg_val *args, const char *corr)
{
    const gg_type *type = gg_pg_plan_named_type(sel->def);
    if (!gg_pg_plan_is_to_many(r)) {
        /* a single related row the caller may not read is left out: null (Unauthorized: the
         * parent row's guard, gg_pg_plan_relation_guard) */
        const char *source = gg_pg_plan_corr_with_auth(b, corr, n->pm, GG_AMPLIFY_OP_GET, n->alias);
        return node_single(b, rp, n, type, sel->nodes, sel->node_count, source);
    }
    gg_pg_plan_connection cs;
    gg_pg_plan_relation_connection(r, rs, args, &cs);
    cs.table_sql = table_of(rp, cs.pm);
    return node_page(b, rp, n, &cs, type, sel->nodes, sel->node_count, corr);
}

/* A child node for relation af (selections sel, all with the same arguments) of n's rows. */
static bool relation_node(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_amplify_field *af,
                          const gg_pg_field_sel *sel, const char *key)
{
    const gg_amplify_relation *r = af->relation;
    gg_pg_plan_sides rs;
    if (r == NULL || !gg_pg_plan_relation_sides(b, n->pm, r, &rs)) return false;
    gg_fault fault = {0};
    gg_val *args = gg_pg_field_args(b->info, sel, &fault);
    if (args == NULL) return gg_pg_plan_fail(b, "InvalidArgumentsError", fault.message);
    rnode *child = new_node(b, rp, rs.target, n);
    rchild rc = {key, child};
    GG_VEC_PUSH(b->arena, n->children, rc);
    child->link_count = rs.count;
    unsigned key_hits = 0;
    gg_buf corr;
    gg_buf_init(&corr);
    for (unsigned i = 0; i < rs.count; i++) {
        child->parent_cols[i] = gg_pg_plan_column_set_add(b, &n->cols, rs.local[i]);
        for (unsigned j = 0; j < n->pm->key_count; j++)
            key_hits += n->pm->key[j] == rs.local[i];
        gg_buf_printf(&corr, " AND %s.%s %s p.l%u", child->alias, rs.remote[i]->quoted,
                      gg_pg_join_operator(b->arena, rs.remote[i], rs.local[i]), i);
    }
    child->distinct = key_hits < n->pm->key_count;
    return relation_rows(b, rp, child, r, &rs, sel, args, gg_pg_plan_buffer_to_arena(b, &corr));
}

/* One child node per group of a selected relation (gg_pg_plan_relation_groups). */
static bool relation_nodes(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_amplify_field *af,
                           const gg_pg_field_sel *sel)
{
    gg_pg_plan_relation_group *groups = NULL;
    unsigned count = gg_pg_plan_relation_groups(b, sel, &groups);
    for (unsigned i = 0; i < count; i++)
        if (!relation_node(b, rp, n, af, &groups[i].sel, groups[i].key)) return false;
    return true;
}

/* The selected fields of n's rows: scalar columns and relation nodes. */
static bool node_fields(gg_pg_plan_builder *b, rows_plan *rp, rnode *n, const gg_type *type,
                        const gg_selection *const *nodes, unsigned count)
{
    gg_pg_fields fields;
    gg_fault fault = {0};
    if (!gg_pg_collect_fields(b->info, type, nodes, count, &fields, &fault))
        return gg_pg_plan_fail(b, "InvalidArgumentsError", fault.message);
    for (unsigned i = 0; i < fields.count; i++) {
        const gg_pg_field_sel *sel = &fields.items[i];
        if (sel->def == NULL) continue;
        const gg_amplify_field *af = gg_pg_model_field(n->pm, sel->def->name);
        if (af == NULL) continue; /* not stored: another resolver's business */
        if (af->kind == GG_AMPLIFY_FIELD_RELATION) {
            /* @auth on a relation (its own rules, the related model's): the marker where denied, and
             * no related rows read there */
            bool denied = false;
            const gg_pg_column *guard = gg_pg_plan_relation_guard(
                b, n->pm, af, n->connection ? GG_AMPLIFY_OP_LIST : GG_AMPLIFY_OP_GET, n->alias, &denied);
            rfield f = {.name = af->name, .guard = -1, .denied = denied, .marker_only = true};
            if (guard) f.guard = (int)gg_pg_plan_column_set_add(b, &n->cols, guard);
            if (denied || guard) GG_VEC_PUSH(b->arena, n->fields, f);
            if (denied) continue;
            unsigned first = n->children.count;
            if (!relation_nodes(b, rp, n, af, sel)) return false;
            for (unsigned k = first; k < n->children.count; k++)
                n->children.items[k].node->parent_guard = f.guard;
            continue;
        }
        const gg_pg_column *c = gg_pg_model_column(n->pm, af->name);
        bool seen = false;
        for (unsigned k = 0; k < n->fields.count && !seen; k++)
            seen = strcmp(n->fields.items[k].name, af->name) == 0;
        if (c == NULL || seen) continue;
        gg_pg_plan_field_read read;
        gg_pg_plan_field_read_of(b, n->pm, c, n->connection ? GG_AMPLIFY_OP_LIST : GG_AMPLIFY_OP_GET, n->alias, &read);
        /* named by the schema's own string: the executor's lookup matches it by pointer (execute.c) */
        rfield f = {.name = sel->def->name, .guard = -1, .denied = read.denied};
        if (!read.denied) f.col = gg_pg_plan_column_set_add(b, &n->cols, read.value);
        if (read.guard) f.guard = (int)gg_pg_plan_column_set_add(b, &n->cols, read.guard);
        GG_VEC_PUSH(b->arena, n->fields, f);
    }
    return true;
}

/* ---- the statement ---- */

/* Rows the node's SELECT returns per parent link value (or in all, for the root). */
static int64_t fetch_count(const rnode *n)
{
    return n->connection && n->want_token ? n->limit + 1 : n->limit;
}

/* The columns of a plan's only node as the client sees them (gg_pg_column_output): a plan of
 * several nodes keeps its columns' own types until its last SELECT, where nodes join. */
static void put_output_columns(gg_arena *arena, gg_buf *out, const rnode *n)
{
    for (unsigned i = 0; i < n->cols.count; i++) {
        const gg_pg_column *c = n->cols.items[i];
        /* stored columns as they are (dates and times too: gg_pg_column_wire), the common case,
         * written without printf (its format interpretation was 10% of a get-by-id's work in
         * graphgate: callgrind) */
        if (c->expression == NULL && (gg_pg_column_on_wire(c) || c->output == GG_PG_OUTPUT_AS_IS)) {
            if (i) gg_buf_puts(out, ", ");
            gg_buf_puts(out, n->alias);
            gg_buf_putc(out, '.');
            gg_buf_puts(out, c->quoted);
            continue;
        }
        const char *value = c->expression ? c->expression : gg_arena_printf(arena, "%s.%s", n->alias, c->quoted);
        const char *shown = gg_pg_column_wire(arena, c, value);
        if (c->expression || shown != value)
            gg_buf_printf(out, "%s%s AS %s", i ? ", " : "", shown, c->quoted);
        else
            gg_buf_printf(out, "%s%s", i ? ", " : "", value);
    }
}

/* The columns of node n: as the client sees them when arena is given (the plan's only node), else
 * of their own types. */
static void put_node_columns(gg_arena *arena, gg_buf *out, const rnode *n)
{
    if (arena != NULL)
        put_output_columns(arena, out, n);
    else
        gg_pg_plan_put_columns(out, &n->cols, n->alias);
}

/* The rows of node n: the mutation's write with RETURNING (root_write, for the root), "SELECT
 * tK.cols <from> [LIMIT n]" (root), or its LATERAL form under the parent (child). output: the arena
 * when n is the plan's only node (its columns are then written as the client sees them). */
static void put_node_rows(gg_buf *out, const rnode *n, const char *root_write, gg_arena *output)
{
    if (n->parent == NULL && root_write != NULL) {
        gg_buf_printf(out, "%s RETURNING ", root_write);
        put_node_columns(output, out, n);
        return;
    }
    if (n->parent == NULL) {
        gg_buf_puts(out, "SELECT ");
        put_node_columns(output, out, n);
        gg_buf_puts(out, n->from);
        if (n->limit > 0) gg_buf_printf(out, " LIMIT %" PRId64, fetch_count(n));
        return;
    }
    const rnode *pa = n->parent;
    gg_buf_puts(out, "SELECT p.*, x.* FROM (SELECT ");
    if (n->distinct) gg_buf_puts(out, "DISTINCT ");
    for (unsigned i = 0; i < n->link_count; i++)
        gg_buf_printf(out, "%sc%u AS l%u", i ? ", " : "", n->parent_cols[i], i);
    /* a page fetched one row more than its limit for nextToken: that row gets no relations */
    if (pa->parent == NULL && pa->connection && pa->want_token)
        gg_buf_printf(out, " FROM (SELECT * FROM n%u LIMIT %" PRId64 ") s", pa->number, pa->limit);
    else
        gg_buf_printf(out, " FROM n%u", pa->number);
    /* no related rows for a get's row, or a relation field, the caller may not read */
    if (pa->guard_col >= 0) gg_buf_printf(out, " WHERE c%d", pa->guard_col);
    if (n->parent_guard >= 0) gg_buf_printf(out, "%sc%d", pa->guard_col >= 0 ? " AND " : " WHERE ", n->parent_guard);
    gg_buf_puts(out, ") p");
    gg_buf_puts(out, " CROSS JOIN LATERAL (SELECT ");
    gg_pg_plan_put_columns(out, &n->cols, n->alias);
    gg_buf_printf(out, "%s LIMIT %" PRId64 ") x", n->from, fetch_count(n));
}

/* The name of column c in n1, the root's rows (gg_pg_plan_source_column). */
static const char *root_column(void *ctx, gg_arena *arena, const gg_pg_column *c)
{
    const rnode *root = ctx;
    unsigned i = 0;
    while (i < root->cols.count && root->cols.items[i] != c &&
           (root->cols.items[i]->expression != NULL || strcmp(root->cols.items[i]->quoted, c->quoted) != 0))
        i++;
    return gg_pg_plan_numbered(arena, "c", i);
}

/* True when c, written as the client sees it, is the stored column itself. */
static bool stored_as_is(const gg_pg_column *c)
{
    return c->expression == NULL && !gg_pg_column_on_wire(c) && c->output == GG_PG_OUTPUT_AS_IS;
}

/* True when the change log can read the columns it needs (key, version, deleted, last change) from
 * the root's rows written as the client sees them. */
static bool log_reads_output(const rnode *root)
{
    const gg_pg_model *pm = root->pm;
    if (!stored_as_is(pm->version) || !stored_as_is(pm->deleted) || !stored_as_is(pm->last_changed_at)) return false;
    for (unsigned i = 0; i < pm->key_count; i++)
        if (!stored_as_is(pm->key[i])) return false;
    return true;
}

/* Whether column j of node n is where a child's link comes from: the child's link columns are
 * text, so this one must be too. */
static bool is_link_source(const rnode *n, unsigned j)
{
    for (unsigned i = 0; i < n->children.count; i++)
        for (unsigned k = 0; k < n->children.items[i].node->link_count; k++)
            if (n->children.items[i].node->parent_cols[k] == j) return true;
    return false;
}

/* The result columns of a statement of several nodes (plan_rows_layout.h): each node's
 * result_cols, rp->binary and rp->columns. */
static void lay_out(gg_pg_plan_builder *b, rows_plan *rp, unsigned width)
{
    gg_pg_rows_layout_node *layout = gg_arena_array(b->arena, rp->nodes.count, sizeof *layout);
    for (unsigned i = 0; i < rp->nodes.count; i++) {
        rnode *n = rp->nodes.items[i];
        unsigned count = n->cols.count ? n->cols.count : 1;
        n->result_cols = gg_arena_array(b->arena, count, sizeof *n->result_cols);
        bool *link_source = gg_arena_array(b->arena, count, sizeof *link_source);
        for (unsigned j = 0; j < n->cols.count; j++)
            link_source[j] = is_link_source(n, j);
        layout[i] = (gg_pg_rows_layout_node){n->link_count, n->cols.items, n->cols.count, link_source, n->result_cols};
    }
    rp->columns = (int)gg_pg_rows_layout(b->arena, layout, rp->nodes.count, width, &rp->binary);
}

/* The whole statement; root_write: the mutation's write (NULL for queries). */
static const char *statement(gg_pg_plan_builder *b, rows_plan *rp, const char *root_write)
{
    gg_buf out;
    gg_buf_init(&out);
    rnode *root = rp->nodes.items[0];
    if (rp->nodes.count == 1 && !rp->logged) {
        rp->columns = (int)root->cols.count;
        rp->binary = gg_pg_rows_one_node_format(b->arena, root->cols.items, root->cols.count);
        put_node_rows(&out, root, root_write, b->arena);
        return gg_pg_plan_buffer_to_arena(b, &out);
    }
    if (rp->nodes.count == 1 && log_reads_output(root)) {
        /* a versioned write without relations: its rows as the plan's only node returns them (no
         * node number, no casts to text, read back by a plain CTE scan), the change log beside */
        rp->columns = (int)root->cols.count;
        rp->binary = gg_pg_rows_one_node_format(b->arena, root->cols.items, root->cols.count);
        gg_buf_puts(&out, "WITH n1(");
        for (unsigned j = 0; j < root->cols.count; j++) {
            gg_buf_puts(&out, j ? ", c" : "c");
            gg_json_write_int(&out, j);
        }
        gg_buf_puts(&out, ") AS (");
        put_node_rows(&out, root, root_write, b->arena);
        gg_buf_putc(&out, ')');
        gg_pg_plan_put_change_log(b, &out, "n1", root_column, root);
        gg_buf_puts(&out, " SELECT * FROM n1");
        rp->logged_plain = true;
        return gg_pg_plan_buffer_to_arena(b, &out);
    }
    unsigned width = 0;
    for (unsigned i = 0; i < rp->nodes.count; i++) {
        const rnode *n = rp->nodes.items[i];
        if (n->link_count + n->cols.count > width) width = n->link_count + n->cols.count;
    }
    lay_out(b, rp, width);
    for (unsigned i = 0; i < rp->nodes.count; i++) {
        const rnode *n = rp->nodes.items[i];
        gg_buf_printf(&out, "%sn%u(", i ? ", " : "WITH ", n->number);
        for (unsigned j = 0; j < n->link_count; j++)
            gg_buf_printf(&out, "l%u, ", j);
        for (unsigned j = 0; j < n->cols.count; j++)
            gg_buf_printf(&out, "%sc%u", j ? ", " : "", j);
        gg_buf_puts(&out, ") AS (");
        put_node_rows(&out, n, root_write, NULL);
        gg_buf_putc(&out, ')');
    }
    if (rp->logged) gg_pg_plan_put_change_log(b, &out, "n1", root_column, root);
    const char **select = gg_arena_array(b->arena, (size_t)rp->columns, sizeof *select);
    for (unsigned i = 0; i < rp->nodes.count; i++) {
        const rnode *n = rp->nodes.items[i];
        for (int k = 1; k < rp->columns; k++) /* columns of no value of this node */
            select[k] = gg_pg_rows_null_of(rp->binary ? rp->binary[k] : GG_PG_BINARY_TEXT);
        for (unsigned j = 0; j < n->link_count; j++)
            select[1 + j] = gg_arena_printf(b->arena, "l%u::text", j);
        for (unsigned j = 0; j < n->cols.count; j++) {
            const gg_pg_column *c = n->cols.items[j];
            const char *value = gg_arena_printf(b->arena, "c%u", j);
            const char *shown = gg_pg_column_wire(b->arena, c, value);
            if (rp->binary != NULL && rp->binary[n->result_cols[j]] != GG_PG_BINARY_TEXT) /* a date or time as it is */
                select[n->result_cols[j]] = value;
            else if (shown != value || strcmp(c->sql_type, "text") != 0)
                select[n->result_cols[j]] = gg_arena_printf(b->arena, "%s::text", shown);
            else
                select[n->result_cols[j]] = value;
        }
        gg_buf_printf(&out, "%sSELECT %u", i ? " UNION ALL " : " ", n->number);
        for (int k = 1; k < rp->columns; k++)
            gg_buf_printf(&out, ", %s", select[k]);
        gg_buf_printf(&out, " FROM n%u", n->number);
    }
    return gg_pg_plan_buffer_to_arena(b, &out);
}

/* ---- root fields ---- */

/* Adds every stored field of n's model that n's selection lacks to its row (a written row, and a
 * version conflict's read of the current row: both keep the whole row). A field with @auth rules
 * of its own travels only when selected (then guarded). */
static void add_every_stored(gg_pg_plan_builder *b, rnode *n)
{
    for (unsigned i = 0; i < n->pm->model->field_count; i++) {
        const gg_pg_column *c = &n->pm->columns[i];
        bool seen = c->field == NULL || c->field->kind == GG_AMPLIFY_FIELD_RELATION || c->field->auth_rule_count > 0;
        for (unsigned k = 0; k < n->fields.count && !seen; k++)
            seen = strcmp(n->fields.items[k].name, c->field->name) == 0;
        if (seen) continue;
        rfield f = {.name = c->field->name, .col = gg_pg_plan_column_set_add(b, &n->cols, c), .guard = -1};
        GG_VEC_PUSH(b->arena, n->fields, f);
    }
}

static bool root_get(gg_pg_plan_builder *b, rows_plan *rp)
{
    rnode *n = new_node(b, rp, b->target->model, NULL);
    gg_buf corr;
    gg_buf_init(&corr);
    if (!gg_pg_plan_put_key_match(b, &corr, n->pm, n->alias, b->info->args)) {
        gg_buf_free(&corr);
        return false;
    }
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    if (!node_single(b, rp, n, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count,
                     gg_pg_plan_buffer_to_arena(b, &corr)))
        return false;
    if (b->target->every_stored) add_every_stored(b, n);
    n->limit = 0; /* the whole primary key: at most one row */
    const gg_pg_column *guard = gg_pg_plan_get_guard(b, n->alias, &rp->denied);
    if (guard == NULL) return true;
    /* a row the caller may not read leaves the database as NULLs next to its false guard */
    for (unsigned i = 0; i < n->cols.count; i++) {
        const gg_pg_column *c = n->cols.items[i];
        const char *value = c->expression ? c->expression : gg_arena_printf(b->arena, "%s.%s", n->alias, c->quoted);
        n->cols.items[i] = gg_pg_plan_computed_column(
            b, c, gg_arena_printf(b->arena, "CASE WHEN %s THEN %s END", guard->expression, value));
    }
    n->guard_col = (int)gg_pg_plan_column_set_add(b, &n->cols, guard);
    return true;
}

static bool root_list(gg_pg_plan_builder *b, rows_plan *rp)
{
    rnode *n = new_node(b, rp, b->target->model, NULL);
    gg_pg_plan_connection cs;
    const char *corr = NULL;
    if (!gg_pg_plan_root_connection(b, n->alias, &cs, &corr)) return false;
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    return node_page(b, rp, n, &cs, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count, corr);
}

/* A relation field whose parent was not planned with it: the parent's key values are parameters. */
static bool root_relation(gg_pg_plan_builder *b, rows_plan *rp)
{
    const gg_amplify_relation *r = b->target->field->relation;
    gg_pg_plan_sides rs;
    if (r == NULL || !gg_pg_plan_relation_sides(b, b->target->model, r, &rs)) return false;
    rnode *n = new_node(b, rp, rs.target, NULL);
    gg_buf corr;
    gg_buf_init(&corr);
    if (!gg_pg_plan_put_source_match(b, &corr, &rs, n->alias)) {
        gg_buf_free(&corr);
        return false;
    }
    return relation_rows(b, rp, n, r, &rs, gg_pg_plan_own_selection(b), b->info->args,
                         gg_pg_plan_buffer_to_arena(b, &corr));
}

/* The written model's rows as they are after the write, for the other levels of a mutation's
 * answer: a statement sees the tables as they were before it, so
 * updatePost { comments { items { post { title } } } } would show the old title. The view is the
 * table without the written keys, plus (create, update) the rows the write returned (n1, whose
 * columns c0.. are every column of the model, in order). Conditions on it reach both halves, so
 * the table half still uses its indexes. */
static const char *written_view_sql(gg_arena *arena, const rnode *root, unsigned columns, gg_pg_op op)
{
    const gg_pg_model *pm = root->pm;
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "(SELECT ");
    gg_pg_plan_column_set cols = root->cols;
    cols.count = columns;
    gg_pg_plan_put_columns(&out, &cols, "x");
    gg_buf_printf(&out, " FROM %s x WHERE NOT EXISTS (SELECT 1 FROM n1 w WHERE TRUE", pm->quoted_table);
    for (unsigned i = 0; i < pm->key_count; i++) {
        unsigned c = 0;
        while (c < columns && root->cols.items[c] != pm->key[i])
            c++;
        gg_buf_printf(&out, " AND w.c%u = x.%s", c, pm->key[i]->quoted);
    }
    gg_buf_putc(&out, ')');
    if (op != GG_PG_OP_DELETE || pm->version != NULL) { /* a versioned delete leaves its row, a tombstone */
        gg_buf_puts(&out, " UNION ALL SELECT ");
        for (unsigned i = 0; i < columns; i++)
            gg_buf_printf(&out, "%sc%u", i ? ", " : "", i);
        gg_buf_puts(&out, " FROM n1");
    }
    gg_buf_putc(&out, ')');
    char *view = gg_arena_strndup(arena, out.data, out.len);
    gg_buf_free(&out);
    return view;
}

/* The write (" INSERT ... " without RETURNING) of a mutation whose root node is its row; the row
 * returns every column, for written_view_sql. */
static const char *root_mutation(gg_pg_plan_builder *b, rows_plan *rp)
{
    rnode *n = new_node(b, rp, b->target->model, NULL);
    for (unsigned i = 0; i < n->pm->model->field_count; i++)
        if (n->pm->columns[i].field != NULL) gg_pg_plan_column_set_add(b, &n->cols, &n->pm->columns[i]);
    rp->written = n->pm;
    rp->written_columns = n->cols.count;
    const gg_pg_field_sel *sel = gg_pg_plan_own_selection(b);
    if (!node_fields(b, rp, n, gg_pg_plan_named_type(sel->def), sel->nodes, sel->node_count)) return NULL;
    /* The written row keeps every stored field, selected or not (the statement returns them all):
     * the published event carries them to subscribers that select more than the mutation did
     * (server/realtime); the mutation's own answer shows only its selection. */
    add_every_stored(b, n);
    rp->logged = gg_pg_plan_is_versioned_write(b->target);
    gg_buf out;
    gg_buf_init(&out);
    if (!gg_pg_plan_put_write(b, &out, n->alias)) {
        gg_buf_free(&out);
        return NULL;
    }
    return gg_pg_plan_buffer_to_arena(b, &out);
}

/* ---- assembly ---- */

/* The value of a date or time whose text gg_pg_wire_text cannot read (a DateStyle other than ISO
 * that slipped past pg_pool.c's SET): an object, which no scalar the column can hold (AWSDateTime,
 * AWSDate, AWSTime, String) serializes, so the field is null with an error that shows the text,
 * and never a wrong date. */
static gg_val *unreadable_date(gg_arena *arena, const char *text, size_t len)
{
    gg_val *v = gg_val_object(arena, 1);
    gg_val_object_set(arena, v, "unreadableDatabaseValue", gg_val_string(arena, text, len));
    return v;
}

/* A column's text as a value of its storage kind (see pg_model.h); bool text is "t"/"f" from a
 * plain SELECT and "true"/"false" from a ::text cast. Strings and integers, most values, are
 * written into cell (one of the row's values, allocated together). already_shown: text is a date's
 * AppSync form already (a binary result's, wire_binary.h), not PostgreSQL's text of it. */
static gg_val *plan_rows_value(gg_arena *arena, const gg_pg_column *c, const char *text, size_t len, bool already_shown,
                               gg_val *cell)
{
    if (gg_pg_column_on_wire(c) && !already_shown) {
        char shown[GG_PG_WIRE_TEXT_MAX];
        size_t n = gg_pg_wire_text(c->output, text, len, shown);
        if (n > 0) return gg_val_string(arena, shown, n);
        return shown[0] == '\0' ? &gg_val_null_value : unreadable_date(arena, text, len);
    }
    switch (c->kind) {
    case GG_COLUMN_BOOL:
        return gg_val_bool(text[0] == 't');
    case GG_COLUMN_INT: {
        int64_t v = 0;
        if (gg_val_int_of_text(text, len, &v)) {
            *cell = (gg_val){.kind = GG_VAL_INT, .i = v};
            return cell;
        }
        char *end = NULL;
        long long wide = strtoll(text, &end, 10); /* 19 digits: strtoll tells what fits int64 */
        if (end == text + len) return gg_val_int(arena, wide);
        break;
    }
    case GG_COLUMN_FLOAT: {
        char *end = NULL;
        double v = strtod(text, &end);
        if (end == text + len) return gg_val_float(arena, v);
        break;
    }
    case GG_COLUMN_JSON: {
        gg_val *v = gg_json_read(arena, text, len);
        if (v) return v;
        break;
    }
    default:
        break;
    }
    *cell = (gg_val){.kind = GG_VAL_STRING, .s = gg_arena_strndup(arena, text, len), .len = len};
    return cell;
}

typedef struct assembly {
    rows_plan *rp;
    const PGresult *result;
    bool multi;                 /* the result has the node number and link columns */
    bool borrowed;              /* the result lives as long as the arena: ROW cells may point into it (borrowed_row) */
    const gg_pg_binary *binary; /* the result is in binary: each column's reader (rp->binary); NULL: text */
} assembly;

/* One cell of the result as every reader here sees it, whatever the result's format: the text
 * format's text (NULL: SQL NULL), or with shown, a date or time's AppSync form (gg_pg_wire_text's;
 * NULL: SQL NULL or infinity). */
typedef struct result_cell {
    const char *text;
    size_t len;
    bool shown;
    bool malformed; /* a binary value of the wrong size: text NULL, the value is unreadable */
} result_cell;

/* Cell (row, col) of the result; a binary value's text is written into scratch (or points into
 * the result: text, json), so it lives as long as scratch does. */
static result_cell cell_of(const assembly *a, int row, int col, char scratch[GG_PG_BINARY_TEXT_MAX])
{
    result_cell c = {0};
    size_t len = (size_t)PQgetlength(a->result, row, col);
    if (len == 0 && PQgetisnull(a->result, row, col)) return c; /* a NULL has length 0 (asked only then) */
    const char *value = PQgetvalue(a->result, row, col);
    if (a->binary == NULL || a->binary[col] == GG_PG_BINARY_TEXT) /* text, or binary text: the same bytes */
        return (result_cell){value, len, false, false};
    c.shown = gg_pg_binary_shown(a->binary[col]);
    c.malformed = !gg_pg_binary_text(a->binary[col], value, len, scratch, &c.text, &c.len);
    if (c.malformed) c.text = NULL;
    return c;
}

/* Whether a boolean cell (a row guard) is true: "t" as boolout writes it. */
static bool cell_true(const assembly *a, int row, int col)
{
    char scratch[GG_PG_BINARY_TEXT_MAX];
    result_cell c = cell_of(a, row, col, scratch);
    return c.text != NULL && c.text[0] == 't';
}

static unsigned own_col(const assembly *a, const rnode *n, unsigned i)
{
    return a->multi ? n->result_cols[i] : i;
}

/* The link text of a row: the text of count columns (one column: its text as is; more: each
 * prefixed by its length). NULL when a column is NULL (no related rows). */
static const char *link_text(const assembly *a, int row, const unsigned *cols, unsigned count, size_t *len)
{
    char scratch[GG_PG_BINARY_TEXT_MAX];
    if (count == 1) {
        result_cell c = cell_of(a, row, (int)cols[0], scratch);
        *len = c.len;
        if (c.text != scratch) return c.text; /* NULL, or in the result (which outlives the groups) */
        return gg_arena_strndup(a->rp->arena, c.text, c.len);
    }
    gg_buf buf;
    gg_buf_init(&buf);
    for (unsigned i = 0; i < count; i++) {
        result_cell c = cell_of(a, row, (int)cols[i], scratch);
        if (c.text == NULL) {
            gg_buf_free(&buf);
            return NULL;
        }
        gg_buf_printf(&buf, "%zu:", c.len);
        gg_buf_append(&buf, c.text, c.len);
    }
    *len = buf.len;
    char *s = gg_arena_strndup(a->rp->arena, buf.data, buf.len);
    gg_buf_free(&buf);
    return s;
}

/* The signed nextToken of a page whose last row is result row `row`. */
static gg_val *token_of(const assembly *a, const rnode *n, int row)
{
    rows_plan *rp = a->rp;
    if (rp->key == NULL) return &gg_val_null_value;
    const char **values = gg_arena_array(rp->arena, n->order.count, sizeof *values);
    for (unsigned i = 0; i < n->order.count; i++) {
        unsigned c = 0;
        while (c < n->cols.count && n->cols.items[c] != n->token_cols[i])
            c++;
        char scratch[GG_PG_BINARY_TEXT_MAX];
        result_cell value = cell_of(a, row, (int)own_col(a, n, c), scratch);
        if (value.malformed) return unreadable_date(rp->arena, "(a malformed binary value)", 26);
        values[i] = value.text == NULL ? NULL : gg_arena_strndup(rp->arena, value.text, value.len);
        if (values[i] != NULL && gg_pg_column_on_wire(n->token_cols[i]) && !value.shown) { /* a date: its shown text */
            char shown[GG_PG_WIRE_TEXT_MAX];
            size_t text_len = value.len;
            size_t len = gg_pg_wire_text(n->token_cols[i]->output, values[i], text_len, shown);
            if (len == 0 && shown[0] != '\0') /* no token from an unreadable date: nextToken is the error */
                return unreadable_date(rp->arena, values[i], text_len);
            values[i] = len ? gg_arena_strndup(rp->arena, shown, len) : NULL;
        }
    }
    char *text = gg_cursor_encode(rp->arena, rp->key, n->order.context, values, n->order.count);
    return text ? gg_val_string(rp->arena, text, strlen(text)) : &gg_val_null_value;
}

/* A connection value {items, nextToken} over the node's rows at positions pos[0..count). */
static gg_val *page_value(const assembly *a, const rnode *n, const unsigned *pos, unsigned count)
{
    gg_arena *arena = a->rp->arena;
    gg_val *obj = gg_val_object(arena, 2);
    unsigned shown = count < n->limit ? count : (unsigned)n->limit;
    if (n->items) {
        gg_val *list = gg_val_list(arena, shown);
        for (unsigned i = 0; i < shown; i++)
            gg_val_list_push(arena, list, n->objs[pos[i]]);
        gg_val_object_set(arena, obj, "items", list);
    }
    if (n->want_token)
        gg_val_object_set(arena, obj, "nextToken",
                          count > shown && shown > 0 ? token_of(a, n, (int)n->rows.items[pos[shown - 1]])
                                                     : &gg_val_null_value);
    return obj;
}

/* The value of relation node child for a parent row. */
static gg_val *relation_value(const assembly *a, const rnode *parent, const rnode *child, int row)
{
    unsigned cols[8];
    for (unsigned i = 0; i < child->link_count; i++)
        cols[i] = own_col(a, parent, child->parent_cols[i]);
    size_t len = 0;
    const char *link = link_text(a, row, cols, child->link_count, &len);
    const rgroup *g = link ? gg_strmap_get(&child->groups, link, len) : NULL;
    if (!child->connection) return g ? child->objs[g->rows.items[0]] : &gg_val_null_value;
    return page_value(a, child, g ? g->rows.items : NULL, g ? g->rows.count : 0);
}

#define GG_PG_ROW_CELLS_MAX 64 /* a ROW's fields at most (text_row's lengths are on its stack) */

/* The value of a ROW cell the row cannot give itself (value.h: an OTHER cell, a wide integer). */
static gg_val *row_cell_value(gg_arena *arena, const gg_val_row_shape *shape, unsigned cell, const char *text,
                              size_t len)
{
    const rnode *n = shape->source;
    gg_val *out = gg_arena_alloc_uninit(arena, sizeof *out);
    return plan_rows_value(arena, n->cols.items[n->fields.items[cell].col], text, len, true, out);
}

/* Whether column c's dates and times, as graphgate writes them (gg_pg_wire_text), are the output of
 * its field's scalar: an AWSDateTime on a timestamp, an AWSDate on a date, an AWSTime on a time (with
 * or without its zone), when the text is in the standard form (gg_pg_wire_standard). The only other
 * field on such a column is a String (column_types.c), which keeps any text anyway. */
static bool shown_as_scalar(const gg_pg_column *c)
{
    if (!gg_pg_column_on_wire(c) || c->field == NULL || c->field->type_name == NULL || c->field->list) return false;
    const char *scalar = c->output == GG_PG_OUTPUT_DATE                                       ? "AWSDate"
                         : c->output == GG_PG_OUTPUT_TIME || c->output == GG_PG_OUTPUT_TIMETZ ? "AWSTime"
                                                                                              : "AWSDateTime";
    return strcmp(c->field->type_name, scalar) == 0;
}

/* Whether cell i of a row of node n, text (len bytes, not NULL), is one the executor may write as
 * it is: any but a SHOWN cell whose text is not its scalar's standard form (a year past 9999, a
 * time's 24:00, February 29th of a year BC), which the scalar refuses: that row is built as an
 * object, whose field then shows the scalar's error as before. */
static bool cell_vouched(const rnode *n, unsigned i, const char *text, size_t len)
{
    if (n->shape->texts[i] != GG_VAL_TEXT_SHOWN) return true;
    return gg_pg_wire_standard(n->cols.items[n->fields.items[i].col]->output, text, len);
}

/* The shape of node n's rows as ROW values (value.h), or NULL when they must be objects: the value
 * is read by others than the executor, the rows carry relations, or a field has @auth of its own
 * (a guard, a denied marker). A column's text reads as its kind; a date's, as the text
 * gg_pg_wire_text shows, which the row holds instead: SHOWN when it is its field's scalar's output
 * (shown_as_scalar), so that the executor writes it without running the scalar's check on text
 * graphgate wrote itself (100 per list-10-with-comments). */
static gg_val_row_shape *rows_shape(const assembly *a, rnode *n)
{
    if (!a->rp->base.rows_as_text || n->children.count > 0 || n->fields.count == 0 ||
        n->fields.count > GG_PG_ROW_CELLS_MAX)
        return NULL;
    for (unsigned i = 0; i < n->fields.count; i++) {
        const rfield *f = &n->fields.items[i];
        if (f->guard >= 0 || f->denied || f->marker_only) return NULL;
    }
    gg_arena *arena = a->rp->arena;
    gg_val_row_shape *shape = gg_arena_alloc(arena, sizeof *shape);
    const char **names = gg_arena_array(arena, n->fields.count, sizeof *names);
    gg_val_text *texts = gg_arena_array(arena, n->fields.count, sizeof *texts);
    n->wire = gg_arena_array(arena, n->fields.count, sizeof *n->wire);
    for (unsigned i = 0; i < n->fields.count; i++) {
        const gg_pg_column *c = n->cols.items[n->fields.items[i].col];
        names[i] = n->fields.items[i].name;
        n->wire[i] = gg_pg_column_on_wire(c);
        texts[i] = shown_as_scalar(c)          ? GG_VAL_TEXT_SHOWN
                   : gg_pg_column_on_wire(c)   ? GG_VAL_TEXT_STRING
                   : c->kind == GG_COLUMN_INT  ? GG_VAL_TEXT_INT
                   : c->kind == GG_COLUMN_BOOL ? GG_VAL_TEXT_BOOL
                   : c->kind == GG_COLUMN_TEXT ? GG_VAL_TEXT_STRING
                                               : GG_VAL_TEXT_OTHER;
    }
    *shape = (gg_val_row_shape){n->fields.count, names, texts, row_cell_value, n};
    return shape;
}

/* Result row `row` of node n as a ROW value (n->shape): the value, its cells and their text
 * copied from the result (which is freed when the statement's callback returns), in one block.
 * NULL when a date's text cannot be read or is not its scalar's (cell_vouched): the row is then
 * built as an object, whose field shows the error (plan_rows_value, the scalar's serialize). */
static gg_val *text_row(const assembly *a, const rnode *n, int row)
{
    unsigned count = n->fields.count;
    size_t lens[GG_PG_ROW_CELLS_MAX], text_bytes = 0;
    for (unsigned i = 0; i < count; i++) {
        lens[i] = (size_t)PQgetlength(a->result, row, (int)own_col(a, n, n->fields.items[i].col));
        text_bytes += (n->wire[i] ? GG_PG_WIRE_TEXT_MAX : lens[i]) + 1;
        if (a->binary != NULL) text_bytes += GG_PG_BINARY_TEXT_MAX; /* an integer's text is longer than its bytes */
    }
    size_t head = sizeof(gg_val) + sizeof(gg_val_row) + count * sizeof(gg_val_cell);
    char *block = gg_arena_alloc_uninit(a->rp->arena, head + text_bytes);
    gg_val *v = (gg_val *)block;
    gg_val_row *r = (gg_val_row *)(block + sizeof(gg_val));
    *v = (gg_val){.kind = GG_VAL_ROW, .row = r};
    r->shape = n->shape;
    char *text = block + head;
    for (unsigned i = 0; i < count; i++) {
        int col = (int)own_col(a, n, n->fields.items[i].col);
        size_t len = lens[i];
        if (len == 0 && PQgetisnull(a->result, row, col)) { /* a NULL has length 0 (asked only then) */
            r->cells[i] = (gg_val_cell){NULL, 0};
            continue;
        }
        const char *value = PQgetvalue(a->result, row, col);
        bool shown = false;
        if (a->binary != NULL && a->binary[col] != GG_PG_BINARY_TEXT) { /* a binary value's text, in the block */
            if (!gg_pg_binary_text(a->binary[col], value, len, text, &value, &len))
                return NULL; /* malformed: the row is built as an object, whose field shows the error */
            shown = gg_pg_binary_shown(a->binary[col]);
        }
        if (value != NULL && n->wire[i] && !shown) {
            const gg_pg_column *c = n->cols.items[n->fields.items[i].col];
            len = gg_pg_wire_text(c->output, value, len, text);
            if (len == 0 && text[0] != '\0') return NULL; /* unreadable: the row is built as an object */
            value = len == 0 ? NULL : text;
        }
        if (value == NULL) { /* infinity: null, as plan_rows_value reads it */
            r->cells[i] = (gg_val_cell){NULL, 0};
            continue;
        }
        if (!cell_vouched(n, i, value, len)) return NULL; /* the row is built as an object */
        if (value != text) memcpy(text, value, len);
        text[len] = '\0';
        r->cells[i] = (gg_val_cell){text, len};
        text += len + 1;
    }
    return v;
}

/* How borrowed_row reads each of node n's ROW cells: cols[i] its result column; decode[i] a binary
 * value (an integer, a uuid, a date ...) whose text is written beside the row, the other cells
 * borrowing their text from the result. */
typedef struct borrowing {
    int *cols;
    bool *decode;
    unsigned decoded; /* how many cells decode */
} borrowing;

/* How node n's ROW cells read the result when they can all borrow their text from it or decode a
 * binary value (a->borrowed, no date in text to rewrite: borrowed_row), else false (text_row). */
static bool borrowed_columns(const assembly *a, const rnode *n, borrowing *how)
{
    if (!a->borrowed || n->shape == NULL) return false;
    how->cols = gg_arena_array(a->rp->arena, n->fields.count, sizeof *how->cols);
    how->decode = gg_arena_array(a->rp->arena, n->fields.count, sizeof *how->decode);
    how->decoded = 0;
    for (unsigned i = 0; i < n->fields.count; i++) {
        int col = (int)own_col(a, n, n->fields.items[i].col);
        bool binary = a->binary != NULL && a->binary[col] != GG_PG_BINARY_TEXT;
        if (n->wire[i] && !binary) return false; /* a date's text: gg_pg_wire_text rewrites it */
        how->cols[i] = col;
        how->decode[i] = binary;
        how->decoded += binary;
    }
    return true;
}

/* Result row `row` of node n as a ROW value whose cells point into the result, but a binary
 * value's, written after the row in the same block (text_row's common case, in one pass: a
 * page's thousands of cells). NULL when a binary value is malformed or a date is not its scalar's
 * (cell_vouched): the row is then built as an object, whose field shows the error. */
static gg_val *borrowed_row(const assembly *a, const rnode *n, int row, const borrowing *how)
{
    unsigned count = n->fields.count;
    size_t head = sizeof(gg_val) + sizeof(gg_val_row) + count * sizeof(gg_val_cell);
    gg_val *v = gg_arena_alloc_uninit(a->rp->arena, head + how->decoded * GG_PG_BINARY_TEXT_MAX);
    gg_val_row *r = (gg_val_row *)(void *)(v + 1);
    char *scratch = (char *)v + head;
    *v = (gg_val){.kind = GG_VAL_ROW, .row = r};
    r->shape = n->shape;
    for (unsigned i = 0; i < count; i++) {
        int col = how->cols[i];
        int len = PQgetlength(a->result, row, col);
        const char *text = PQgetvalue(a->result, row, col); /* ends with a NUL */
        if (len == 0 && PQgetisnull(a->result, row, col)) { /* a NULL has length 0 (asked only then) */
            r->cells[i] = (gg_val_cell){NULL, 0};
            continue;
        }
        if (!how->decode[i]) {
            r->cells[i] = (gg_val_cell){text, (size_t)len};
            continue;
        }
        size_t text_len = 0;
        if (!gg_pg_binary_text(a->binary[col], text, (size_t)len, scratch, &text, &text_len)) return NULL;
        if (text != NULL && !cell_vouched(n, i, text, text_len)) return NULL; /* built as an object */
        r->cells[i] = (gg_val_cell){text, text_len};                          /* NULL: a date's infinity, null */
        scratch += GG_PG_BINARY_TEXT_MAX;
    }
    return v;
}

/* Puts row r of node n (result row `row`) in the group of its link value (a child node's rows). */
static void group_row(const assembly *a, rnode *n, int row, unsigned r, const unsigned *link_cols)
{
    if (n->parent == NULL) return;
    size_t len = 0;
    const char *link = link_text(a, row, link_cols, n->link_count, &len);
    if (link == NULL) return;
    rgroup *g = gg_strmap_get(&n->groups, link, len);
    if (g == NULL) {
        g = gg_arena_alloc(a->rp->arena, sizeof *g);
        gg_strmap_put(&n->groups, link, len, g);
    }
    GG_VEC_PUSH(a->rp->arena, g->rows, r);
}

/* Builds the objects of node n (its children are built already) and groups them by link: ROW
 * values where rows_shape allows, else objects. */
static void build_node(const assembly *a, rnode *n)
{
    gg_arena *arena = a->rp->arena;
    n->objs = gg_arena_array(arena, n->rows.count ? n->rows.count : 1, sizeof *n->objs);
    gg_strmap_init(&n->groups, arena);
    unsigned link_cols[8];
    for (unsigned i = 0; i < n->link_count; i++)
        link_cols[i] = 1 + i;
    n->shape = rows_shape(a, n);
    borrowing how = {0};
    bool borrow = borrowed_columns(a, n, &how);
    for (unsigned r = 0; r < n->rows.count; r++) {
        int row = (int)n->rows.items[r];
        if (n->shape != NULL && (n->objs[r] = borrow ? borrowed_row(a, n, row, &how) : text_row(a, n, row)) != NULL) {
            group_row(a, n, row, r, link_cols);
            continue;
        }
        gg_val *obj = gg_val_object(arena, 2 * n->fields.count + n->children.count);
        gg_val *cells = gg_arena_alloc_uninit(arena, (n->fields.count ? n->fields.count : 1) * sizeof *cells);
        for (unsigned i = 0; i < n->fields.count; i++) {
            const rfield *f = &n->fields.items[i];
            bool denied = f->denied;
            if (f->guard >= 0) denied = !cell_true(a, row, (int)own_col(a, n, (unsigned)f->guard));
            if (f->marker_only && !denied) continue;
            if (denied) { /* the value was not selected (CASE ... END is NULL): the marker says why */
                if (!f->marker_only) obj->members[obj->count++] = (gg_val_member){f->name, &gg_val_null_value};
                obj->members[obj->count++] =
                    (gg_val_member){gg_arena_printf(arena, GG_PG_DENIED_PREFIX "%s", f->name), gg_val_bool(true)};
                continue;
            }
            char scratch[GG_PG_BINARY_TEXT_MAX];
            result_cell value = cell_of(a, row, (int)own_col(a, n, f->col), scratch);
            gg_val *v = &gg_val_null_value;
            if (value.malformed)
                v = unreadable_date(arena, "(a malformed binary value)", 26);
            else if (value.text != NULL)
                v = plan_rows_value(arena, n->cols.items[f->col], value.text, value.len, value.shown, &cells[i]);
            obj->members[obj->count++] = (gg_val_member){f->name, v};
        }
        for (unsigned i = 0; i < n->children.count; i++)
            obj->members[obj->count++] =
                (gg_val_member){n->children.items[i].key, relation_value(a, n, n->children.items[i].node, row)};
        n->objs[r] = obj;
        group_row(a, n, row, r, link_cols);
    }
}

static void release_result(void *result)
{
    PQclear(result);
}

/* Whether the result's columns are what the plan reads: *binary the readers of a binary result
 * (whose column types must be the plan's), NULL for a text one (also when the statement was sent
 * asking for text: then read as before). */
static bool binary_result(const rows_plan *rp, const PGresult *result, const gg_pg_binary **binary)
{
    *binary = NULL;
    if (rp->binary == NULL || PQnfields(result) == 0 || PQfformat(result, 0) == 0) return true;
    for (int i = 0; i < PQnfields(result); i++)
        if (PQfformat(result, i) != 1 || !gg_pg_binary_accepts(rp->binary[i], PQftype(result, i))) return false;
    *binary = rp->binary;
    return true;
}

static bool rows_finish(gg_pg_plan *base, const PGresult *result, gg_val **value, gg_fault *failure)
{
    rows_plan *rp = (rows_plan *)base;
    assembly a = {.rp = rp, .result = result, .multi = rp->nodes.count > 1 || (rp->logged && !rp->logged_plain)};
    if (PQnfields(result) != rp->columns || !binary_result(rp, result, &a.binary)) {
        /* not this plan's statement: never read past its columns, nor a value as another type */
        *failure = (gg_fault){.error_type = "DatabaseError", .message = "The database returned an unreadable result."};
        return false;
    }
    int rows = PQntuples(result);
    for (int r = 0; r < rows; r++) {
        unsigned number = 1;
        if (a.multi && a.binary != NULL) { /* int4's 4 bytes */
            int64_t v = 0;
            number = gg_pg_binary_integer(a.binary[0], PQgetvalue(result, r, 0), (size_t)PQgetlength(result, r, 0), &v)
                         ? (unsigned)(v < 0 || v > UINT32_MAX ? 0 : v)
                         : 0;
        } else if (a.multi) {
            char scratch[GG_PG_BINARY_TEXT_MAX];
            result_cell c = cell_of(&a, r, 0, scratch);
            number = c.text ? (unsigned)strtoul(c.text, NULL, 10) : 0;
        }
        if (number < 1 || number > rp->nodes.count) {
            *failure =
                (gg_fault){.error_type = "DatabaseError", .message = "The database returned an unreadable result."};
            return false;
        }
        GG_VEC_PUSH(rp->arena, rp->nodes.items[number - 1]->rows, (unsigned)r);
    }
    /* rows the executor reads as ROW values borrow the result's text: it is freed with the arena,
     * after the answer is written (never a mutation's: its value is published to subscribers) */
    if (rp->base.rows_as_text && !gg_pg_plan_is_mutation(rp->target->op)) {
        PGresult *kept = gg_pg_pool_keep_result(result);
        if (kept != NULL) {
            gg_arena_on_free(rp->arena, release_result, kept);
            a.borrowed = true;
        }
    }
    for (unsigned i = rp->nodes.count; i-- > 0;)
        build_node(&a, rp->nodes.items[i]);
    rnode *root = rp->nodes.items[0];
    if (gg_pg_plan_is_mutation(rp->target->op) && root->rows.count == 0) {
        *failure = (gg_fault){.error_type = GG_PG_CONDITION_FAILED, .message = "The conditional request failed"};
        return false;
    }
    if (root->guard_col >= 0 && root->rows.count > 0) {
        if (!cell_true(&a, (int)root->rows.items[0], (int)own_col(&a, root, (unsigned)root->guard_col))) {
            *failure = rp->denied;
            return false;
        }
    }
    if (root->connection) {
        unsigned *pos = gg_arena_array(rp->arena, root->rows.count ? root->rows.count : 1, sizeof *pos);
        for (unsigned i = 0; i < root->rows.count; i++)
            pos[i] = i;
        *value = page_value(&a, root, pos, root->rows.count);
    } else {
        *value = root->rows.count ? root->objs[0] : &gg_val_null_value;
    }
    return true;
}

/* ---- entry point ---- */

gg_pg_plan *gg_pg_plan_rows_build(gg_pg_plan_builder *b, gg_pg_statement *stmt)
{
    rows_plan *rp = gg_arena_alloc(b->arena, sizeof *rp);
    rp->base.finish = rows_finish;
    rp->target = b->target;
    rp->arena = b->arena;
    rp->key = b->key;
    const char *write = NULL;
    bool ok = false;
    switch (b->target->op) {
    case GG_PG_OP_GET:
        ok = root_get(b, rp);
        break;
    case GG_PG_OP_LIST:
    case GG_PG_OP_INDEX:
    case GG_PG_OP_SYNC:
        ok = root_list(b, rp);
        break;
    case GG_PG_OP_RELATION:
        ok = root_relation(b, rp);
        break;
    case GG_PG_OP_CREATE:
    case GG_PG_OP_UPDATE:
    case GG_PG_OP_DELETE:
        write = root_mutation(b, rp);
        ok = write != NULL;
        break;
    }
    if (!ok) return NULL;
    stmt->sql = statement(b, rp, write);
    stmt->result_format = rp->binary != NULL;
    return &rp->base;
}
