/* plan.h: one GraphQL field over @model types compiled to one SQL statement, and its result back
 * to a value the executor completes.
 *
 * A plan covers the field being resolved and its whole selection subtree: relations however
 * deep, nested connections with their own filter/limit/sortDirection/nextToken. The statement
 * has one result row with one text column (or SQL NULL), so one round trip answers everything.
 * This is the interface a plan implementation offers; plan_json.c builds the JSON inside
 * PostgreSQL (json_build_object / json_agg over correlated subqueries). Another implementation
 * (plain rows assembled in C) can be put behind the same two functions and measured. */
#ifndef GG_PG_PLAN_H
#define GG_PG_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cursor.h"
#include "execute/execute.h"
#include "pg_model.h"

/* What a bound field does. */
typedef enum gg_pg_op {
    GG_PG_OP_GET,      /* getX(key fields) */
    GG_PG_OP_LIST,     /* listXs(filter, limit, nextToken[, partition key, sort key condition, sortDirection]) */
    GG_PG_OP_INDEX,    /* an @index queryField */
    GG_PG_OP_CREATE,   /* createX(input, condition) */
    GG_PG_OP_UPDATE,   /* updateX(input, condition) */
    GG_PG_OP_DELETE,   /* deleteX(input, condition) */
    GG_PG_OP_RELATION, /* a relation field resolved on its own (its parent was not planned with it) */
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
} gg_pg_target;

typedef struct gg_pg_plan gg_pg_plan; /* lives in the request arena */

/* A statement ready for gg_pg_pool_query. */
typedef struct gg_pg_statement {
    const char *sql;
    int param_count;
    const char *const *values;
} gg_pg_statement;

/* A failure a client sees: errorType and message (never SQL). */
typedef struct gg_pg_failure {
    const char *error_type;
    const char *message;
} gg_pg_failure;

/* Compiles the field info resolves (its arguments and selection subtree) into *stmt. NULL with
 * *failure when the arguments cannot be used (bad filter, tampered nextToken ...). */
gg_pg_plan *gg_pg_plan_build(const gg_pg_target *target, gg_resolve_info *info, const gg_cursor_key *key,
                             gg_pg_statement *stmt, gg_pg_failure *failure);
/* The field's value from the statement's result text (NULL for SQL NULL). False with *failure
 * (a mutation whose row did not qualify: ConditionalCheckFailedException). */
bool gg_pg_plan_finish(gg_pg_plan *plan, const char *text, size_t len, gg_val **value, gg_pg_failure *failure);

#endif
