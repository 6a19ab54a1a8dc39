/* auth_input.h: Amplify @auth rules (appsync-compat.md §3.4) on the INPUT of a @model mutation,
 * checked while the shared writer (plan_sql.c) plans the INSERT/UPDATE/DELETE.
 *
 * What the input alone decides is decided here, before any SQL is sent: create fills absent owner
 * fields from the caller's identity and refuses a given owner that is not the caller, checks static
 * groups against the caller and dynamic groups against the input; create and update refuse an input
 * that sets a field whose field-level rules do not let the caller write it. What depends on the
 * stored row (update and delete of a row owned by someone) becomes a SQL predicate the writer puts
 * in the statement's WHERE clause; an update's new owner values are not checked (as on AppSync). */
#ifndef GG_PG_AUTH_INPUT_H
#define GG_PG_AUTH_INPUT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "auth_sql.h"
#include "plan_sql.h"

/* A row the caller may not update or delete makes the statement fail (so that nothing is written
 * and the answer is not mistaken for a missing row or a failed condition): the writer's guard casts
 * this text, followed by the row's key, to integer (SQLSTATE 22P02). The cast reads a column, so
 * PostgreSQL cannot evaluate it before it meets a refused row. */
#define GG_PG_AUTH_REFUSAL_MARK "graphgate: not authorized:"

/* Checks the input of b's mutation (create, update or delete) for identity (not NULL). On success
 * *input is the input to write (create: with the owner fields the caller's identity fills in) and
 * *row_rule is NULL when no stored row can be refused, else the SQL condition (over talias, with
 * its parameters added to b) a stored row must meet to be updated or deleted. False with
 * Unauthorized in b->failure when the input alone is refused. */
bool gg_pg_auth_check_write(gg_pg_plan_builder *b, const struct gg_auth_identity *identity, const char *talias,
                            const gg_val **input, const char **row_rule);

/* True when a failed statement's result is the writer's guard meeting a refused row. */
bool gg_pg_auth_refused(const PGresult *result);

#endif
