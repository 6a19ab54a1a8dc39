/* plan.h: one GraphQL field over @model types compiled to one SQL statement, and its result back
 * to a value the executor completes.
 *
 * A plan covers the field being resolved and its whole selection subtree: relations however
 * deep, nested connections with their own filter/limit/sortDirection/nextToken, in ONE statement,
 * so one round trip answers everything and the number of statements never depends on the number
 * of rows. Two implementations sit behind these functions (database.plan chooses):
 *   rows (plan_rows.c, the default): plain rows, one result set for the whole tree (a CTE per
 *        level joined LATERAL to its parent level), assembled into values in C;
 *   json (plan_json.c): PostgreSQL builds the whole answer as JSON (json_build_object/json_agg
 *        over correlated subqueries), the plan most PostgreSQL GraphQL servers use; relations
 *        under a mutation's answer show the tables as they were before the write.
 * tests/bench/pg.sh measures both against the hand-written SQL; rows costs PostgreSQL about 40%
 * less CPU per request for nested lists (README of tests/bench), so it is the default. plan.c
 * dispatches to them (plan_build.h); the SQL both write alike (filters, pages, keysets, writes) is
 * in plan_sql.c, which calls neither. */
#ifndef GG_PG_PLAN_H
#define GG_PG_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "cursor.h"
#include "execute/execute.h"
#include "filter_sql.h"
#include "pg_failure.h"
#include "pg_model.h"
#include "postgres.h" /* gg_pg_plan_kind */

/* What a bound field does. */
typedef enum gg_pg_op {
    GG_PG_OP_GET,      /* getX(key fields) */
    GG_PG_OP_LIST,     /* listXs(filter, limit, nextToken[, partition key, sort key condition, sortDirection]) */
    GG_PG_OP_INDEX,    /* an @index queryField */
    GG_PG_OP_CREATE,   /* createX(input, condition) */
    GG_PG_OP_UPDATE,   /* updateX(input, condition) */
    GG_PG_OP_DELETE,   /* deleteX(input, condition) */
    GG_PG_OP_RELATION, /* a relation field resolved on its own (its parent was not planned with it) */
    GG_PG_OP_SYNC,     /* syncX(filter, limit, nextToken, lastSync): DataStore (datastore_sync.h) */
} gg_pg_op;

/* The binding of one field (lives as long as the schema). */
typedef struct gg_pg_target {
    gg_pg_op op;
    const gg_pg_models *models;
    const gg_pg_model *model;          /* the model operated on (RELATION: the owner of the field) */
    const gg_amplify_index *index;     /* INDEX: the index */
    const gg_amplify_field *field;     /* RELATION: the relation field */
    unsigned default_limit, max_limit; /* list page sizes */
    bool log_sql;                      /* gg_pg_options.log_sql */
    gg_pg_plan_kind plan;              /* gg_pg_options.plan */
    gg_filter_limits filter_limits;    /* gg_pg_options.filter_limits */
    int64_t delta_ttl_ms;              /* SYNC: a lastSync older than this is answered with a base page */
    int64_t tombstone_ttl_s;           /* versioned deletes: seconds a tombstone is kept (gg_pg_options) */
    gg_pg_lambda lambda;               /* gg_pg_options.lambda: LAMBDA models' conflict handler (datastore_lambda.c) */
    bool every_stored; /* GET: the row keeps every stored field, selected or not (a version conflict's read of
                        * the current row: datastore_conflict.h) */
} gg_pg_target;

typedef struct gg_pg_plan gg_pg_plan; /* lives in the request arena */

/* A field with @auth rules of its own that the caller may not read on a row is the member "!" + its
 * name (true) in that row's value, its value null; its resolver (pg_resolvers.c) turns that into
 * Unauthorized at the field. */
#define GG_PG_DENIED_PREFIX "!"

/* A statement ready for gg_pg_pool_query. */
typedef struct gg_pg_statement {
    const char *sql;
    int param_count;
    const char *const *values;
    int result_format; /* libpq's resultFormat: 0 text, 1 binary (the rows plan's, wire_binary.h) */
} gg_pg_statement;

/* Compiles the field info resolves (its arguments and selection subtree) into *stmt. NULL with
 * *failure when the arguments cannot be used (bad filter, tampered nextToken ...). */
gg_pg_plan *gg_pg_plan_build(const gg_pg_target *target, gg_resolve_info *info, const gg_cursor_key *key,
                             gg_pg_statement *stmt, gg_fault *failure);
/* The value goes to the executor only (gg_resolve_return, nothing reads it before): the rows
 * plan may leave its rows of plain columns as ROW values (value.h), which the executor writes
 * straight from their text. */
void gg_pg_plan_to_executor(gg_pg_plan *plan);
/* The field's value from the statement's successful result. False with *failure (a mutation whose
 * row did not qualify: GG_PG_CONDITION_FAILED; an unreadable result: DatabaseError). */
bool gg_pg_plan_finish(gg_pg_plan *plan, const PGresult *result, gg_val **value, gg_fault *failure);

#endif
