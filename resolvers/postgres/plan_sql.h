/* plan_sql.h: the SQL both plans write alike (internal to plan_json.c and plan_rows.c, which plan.c
 * dispatches to; nothing here calls back into either plan).
 *
 * The two plans (plan.h) differ in how a selection tree becomes rows or JSON, not in what a page,
 * a filter, a key condition or a write is. Those pieces live here, written once: the builder
 * state (parameters, aliases, the first failure), filters and conditions, the order, limit and
 * keyset of a page, the sides of a relation, the key match of get/update/delete, and the
 * INSERT/UPDATE/DELETE of a mutation. Every value becomes a $N parameter with an explicit cast;
 * identifiers come from the catalog, quoted. */
#ifndef GG_PG_PLAN_SQL_H
#define GG_PG_PLAN_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "auth_sql.h"
#include "base/buf.h"
#include "pg_selection.h"
#include "plan.h"
#include "sql_params.h"

/* The timestamp Amplify writes into createdAt/updatedAt, from the database clock (UTC, ms, Z). */
#define PLAN_NOW_SQL "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* State of one plan being built (request arena). */
typedef struct gg_pg_plan_builder {
    gg_resolve_info *info;
    gg_arena *arena;
    const gg_pg_target *target;
    const gg_cursor_key *key;
    gg_sql_params params;
    unsigned next_alias;                     /* tables are aliased t1, t2 ... in the order they are planned */
    unsigned next_computed;                  /* computed columns are named "gg@c1", "gg@c2" ... */
    const struct gg_auth_identity *identity; /* the caller (gg_pg_request.identity); NULL: no @auth rule applies */
    gg_fault failure;
    const struct gg_pg_sync_page *sync; /* syncX: its page (datastore_sync.h); NULL otherwise */
} gg_pg_plan_builder;

typedef GG_VEC(const gg_pg_column *) gg_pg_plan_column_set;

void gg_pg_plan_builder_init(gg_pg_plan_builder *b, const gg_pg_target *target, gg_resolve_info *info,
                             const gg_cursor_key *key);
/* Records the first failure (for the client); returns false. */
bool gg_pg_plan_fail(gg_pg_plan_builder *b, const char *error_type, const char *message);
/* The buffer's text copied into the arena; frees the buffer. */
char *gg_pg_plan_buffer_to_arena(gg_pg_plan_builder *b, gg_buf *buf);
/* prefix (may be "") followed by v in decimal, in arena, without printf: the numbered names and
 * numbers of statements written on every request ("c3", a parameter's text). */
const char *gg_pg_plan_numbered(gg_arena *arena, const char *prefix, int64_t v);
/* Adds c once; returns its position in cols. */
unsigned gg_pg_plan_column_set_add(gg_pg_plan_builder *b, gg_pg_plan_column_set *cols, const gg_pg_column *c);
/* "alias.col, alias.col ..." (a computed column: "expression AS name") */
void gg_pg_plan_put_columns(gg_buf *out, const gg_pg_plan_column_set *cols, const char *alias);
/* Appends "$N::type" for a new parameter holding text. */
void gg_pg_plan_put_parameter(gg_pg_plan_builder *b, gg_buf *out, const char *text, const char *sql_type);
/* Appends "$N::type" for v stored in column c; false (InvalidArgumentsError) when v does not fit. */
bool gg_pg_plan_put_value(gg_pg_plan_builder *b, gg_buf *out, const gg_val *v, const gg_pg_column *c);
const gg_type *gg_pg_plan_named_type(const gg_field *def);
/* Appends " AND <filter>" when filter is given (alias NULL: every column is NULL). */
bool gg_pg_plan_put_filter(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                           const gg_val *filter, const char *error_type);
/* ---- @auth rules (auth_sql.h) ---- */

/* The rules of pm for op (a GG_AMPLIFY_OP_* bit) for the caller; on PREDICATE, *predicate is the
 * predicate over alias's columns (in the arena, its values already parameters). */
gg_pg_auth_answer gg_pg_plan_auth(gg_pg_plan_builder *b, const gg_pg_model *pm, unsigned op, const char *alias,
                                  const char **predicate);
/* Appends " AND <predicate>" for the rows of pm the caller may read with op (" AND FALSE": none). */
void gg_pg_plan_put_auth(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, unsigned op, const char *alias);
/* corr followed by gg_pg_plan_put_auth's condition (in the arena): the source of a single related row. */
const char *gg_pg_plan_corr_with_auth(gg_pg_plan_builder *b, const char *corr, const gg_pg_model *pm, unsigned op,
                                      const char *alias);
/* A column computed by expression (written over a table alias, typed like `like`, or boolean when
 * like is NULL), to select next to the stored ones. */
const gg_pg_column *gg_pg_plan_computed_column(gg_pg_plan_builder *b, const gg_pg_column *like, const char *expression);

/* How a stored field is read under its own @auth rules (field-level @auth). */
typedef struct gg_pg_plan_field_read {
    const gg_pg_column *value; /* what to select for the field (NULL when denied) */
    const gg_pg_column *guard; /* a boolean column, false on rows whose field the caller may not read; NULL: none */
    bool denied;               /* nobody may read it: the field is the denied marker on every row */
} gg_pg_plan_field_read;

/* The rules field f of pm has of its own, for op over talias: NULL with *denied false (every row
 * may read it, or it has no rules of its own), NULL with *denied true (none may), or a boolean
 * computed column that is false on the rows where the caller may not read it. */
const gg_pg_column *gg_pg_plan_field_guard(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *f,
                                           unsigned op, const char *talias, bool *denied);
/* The guard of relation field f of pm's rows (over talias), as AppSync's relation resolvers
 * decide: false where f's own rules (read with op) do not let the caller read it, or where the
 * related row of a @hasOne/@belongsTo exists but the caller may read none (the response template
 * raises Unauthorized when the key matched a row its auth filter removed); *denied (NULL) when the
 * caller may never read it: f's own rules, or the related model's rules allow no row (the relation's
 * auth function refuses before reading). A to-many relation otherwise lists the rows the caller may
 * read: no guard; so does a single one in a mutation's answer (where AppSync redacts the relation
 * without an error; a query's related rows are read from their table). */
const gg_pg_column *gg_pg_plan_relation_guard(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_field *f,
                                              unsigned op, const char *talias, bool *denied);
/* Fills *read for column c of pm read with op, whose table alias is talias. */
void gg_pg_plan_field_read_of(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_pg_column *c, unsigned op,
                              const char *talias, gg_pg_plan_field_read *read);
/* The error of a field the caller may not read: Unauthorized, "Not Authorized to access <field> on
 * type <type>" (AppSync's words). */
gg_fault gg_pg_plan_unauthorized(gg_arena *arena, const char *field, const char *type);
/* Records gg_pg_plan_unauthorized as the failure; returns false. */
bool gg_pg_plan_fail_unauthorized(gg_pg_plan_builder *b, const char *field, const char *type);
/* The row guard of a get: a boolean column (over talias) telling whether the caller may read the
 * row the key selects, so one statement tells "absent" (null) from "not yours" (Unauthorized);
 * NULL when every row may be read. The plan selects it next to the row and fails the field with
 * *denied when it is false. */
const gg_pg_column *gg_pg_plan_get_guard(gg_pg_plan_builder *b, const char *talias, gg_fault *denied);

/* " AND alias.key = $n" for each primary key field, from obj (arguments or input). */
bool gg_pg_plan_put_key_match(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_model *pm, const char *alias,
                              const gg_val *obj);

/* ---- pages of a connection ---- */

/* The order of a page: the index's sort fields (or none), then the primary key, so it is total. */
typedef struct gg_pg_plan_order {
    const gg_pg_column *cols[16];
    unsigned count;
    bool desc;
    const char *context; /* the nextToken's cursor context: "model|index|direction" */
} gg_pg_plan_order;

/* What is listed: a model's rows, by primary key or by one of its indexes. */
typedef struct gg_pg_plan_connection {
    const gg_pg_model *pm;         /* the listed model */
    const gg_amplify_index *index; /* the index listed by (NULL: primary key) */
    const char **sort_fields;      /* sort key fields that may carry a key condition argument */
    unsigned sort_count;
    bool sparse;        /* rows without the index's sort key are not in the index */
    const gg_val *args; /* filter, limit, nextToken, sortDirection, key conditions */
    unsigned default_limit;
    bool allow_sort_direction;
    const char *table_sql; /* what the rows are read from; NULL: the model's table */
    unsigned auth_op;      /* the @auth operation (GG_AMPLIFY_OP_*) its rows are read with; 0: list */
} gg_pg_plan_connection;

/* What a connection's selection asks of its page. */
typedef struct gg_pg_plan_page {
    const gg_field *items_def; /* NULL: items not selected */
    const gg_selection **item_nodes;
    unsigned item_count;
    bool want_token; /* nextToken selected */
    gg_pg_plan_order order;
    int64_t limit;
} gg_pg_plan_page;

/* Reads the connection's selection (nodes on conn_type) and arguments into *page. */
bool gg_pg_plan_read_page(gg_pg_plan_builder *b, const gg_pg_plan_connection *cs, const gg_type *conn_type,
                          const gg_selection *const *nodes, unsigned count, gg_pg_plan_page *page);
/* "alias.a, alias.b DESC ..." */
void gg_pg_plan_put_order_by(gg_buf *out, const gg_pg_plan_order *o, const char *alias);
/* Appends " FROM <table> <talias> WHERE TRUE<corr> <@auth rules (list), sparse index, key conditions,
 * filter, keyset> ORDER BY <order>" (no LIMIT). corr: conditions already written with talias. */
bool gg_pg_plan_put_page_source(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_plan_connection *cs,
                                const gg_pg_plan_page *page, const char *talias, const char *corr);
/* The list or @index query of the target: *cs, and in *corr its partition key condition (talias). */
bool gg_pg_plan_root_connection(gg_pg_plan_builder *b, const char *talias, gg_pg_plan_connection *cs,
                                const char **corr);

/* ---- relations ---- */

/* The columns joining a relation: target rows whose remote[i] equals the owner's local[i]. For
 * @manyToMany the target is the join model. */
typedef struct gg_pg_plan_sides {
    const gg_pg_model *target;
    const gg_pg_column *local[8], *remote[8];
    unsigned count;
} gg_pg_plan_sides;

bool gg_pg_plan_relation_sides(gg_pg_plan_builder *b, const gg_pg_model *pm, const gg_amplify_relation *r,
                               gg_pg_plan_sides *rs);
/* The selections of one relation that share their argument text, and the member key their value
 * goes under in the parent row: "@" + response name, then "#" + field name when the response name
 * also names another field (shared_name), then "|" + arguments when aliases of the row's parent
 * (a: items { c: comments(limit: 1) } b: items { c: comments(limit: 2) }) select it with different
 * arguments (pg_resolvers.c looks for each form). */
typedef struct gg_pg_plan_relation_group {
    gg_pg_field_sel sel;
    const char *key;
} gg_pg_plan_relation_group;

/* Splits a selected relation into its groups (*groups, in the arena); returns their number. */
unsigned gg_pg_plan_relation_groups(gg_pg_plan_builder *b, const gg_pg_field_sel *sel,
                                    gg_pg_plan_relation_group **groups);
/* @hasMany and @manyToMany: a connection. */
bool gg_pg_plan_is_to_many(const gg_amplify_relation *r);
/* The connection a to-many relation lists, with the field's arguments. */
void gg_pg_plan_relation_connection(const gg_amplify_relation *r, const gg_pg_plan_sides *rs, const gg_val *args,
                                    gg_pg_plan_connection *cs);
/* The relation field's own selection (a root field of the plan: info's field). */
const gg_pg_field_sel *gg_pg_plan_own_selection(gg_pg_plan_builder *b);
/* " AND tK.remote = $n ..." from the parent value info->source (a relation field resolved alone). */
bool gg_pg_plan_put_source_match(gg_pg_plan_builder *b, gg_buf *out, const gg_pg_plan_sides *rs, const char *talias);

/* ---- mutations ---- */

/* Appends the INSERT, UPDATE or DELETE of the target's mutation (alias talias, no RETURNING), with
 * the input's key match and the condition in its WHERE clause, and the caller's @auth rules
 * (auth_input.h): an input they refuse fails with Unauthorized, a stored row they refuse fails the
 * statement (gg_pg_auth_refused tells that failure). */
bool gg_pg_plan_put_write(gg_pg_plan_builder *b, gg_buf *out, const char *talias);
bool gg_pg_plan_is_mutation(gg_pg_op op);
/* A create, update or delete of a synced model (datastore_store.h): its write checks and bumps
 * "_version", a delete leaves a tombstone, and the statement also appends to the change log. */
bool gg_pg_plan_is_versioned_write(const gg_pg_target *target);
/* How a plan names column c of the rows its write returned (source). */
typedef const char *(*gg_pg_plan_source_column)(void *ctx, gg_arena *arena, const gg_pg_column *c);
/* Appends ', "gg@changes" AS (INSERT INTO graphgate_changes ... SELECT ... FROM source)': the
 * change log row of each row the write returned, a data-modifying CTE of the write's own
 * statement, so the change and its log commit together or not at all. */
void gg_pg_plan_put_change_log(gg_pg_plan_builder *b, gg_buf *out, const char *source, gg_pg_plan_source_column column,
                               void *ctx);

#endif
