/* sql_directive.h: fields bound by Amplify's @sql(statement: "…") or @sql(reference: "file"),
 * resolved over PostgreSQL.
 *
 * At start-up gg_pg_bind_sql reads each statement (a reference is a file under the schema's
 * folder; paths that leave it are refused), turns its :argName placeholders into $N parameters
 * (placeholders inside string literals, quoted identifiers, comments, dollar quotes and ::casts
 * are left alone), and checks that every placeholder names an argument of the field or the caller's
 * identity: :identity.sub, .username, .groups (a text[] literal), .claims.<name> (or
 * .claims."custom:name"; a string claim as its text, others as JSON, absent as NULL), .sourceIp and
 * .issuer (an unknown one stops start-up). At run time the field's arguments and the identity's
 * values are bound as text parameters (scalars as their text, lists and input objects as JSON;
 * never interpolated; every identity value NULL with auth NONE, and groups NULL for an API key)
 * and the result rows become the field's value: a scalar
 * field takes the first column of the first row, an object field the first row (column names are
 * the keys), a list the rows. Column types: smallint/integer/bigint -> Int, real/double/numeric ->
 * Float, boolean -> Boolean, json/jsonb -> parsed JSON, others -> their text. Nested fields then
 * resolve as usual (default resolver; relation fields of @model types run their own statement).
 * A @sql mutation is one statement with its own sync point: its own transaction; when it succeeds
 * the result is published (realtime/pubsub.h) under the field's name. Database errors reach the
 * client as the @model fields' do (pg_failure.h: a unique violation is
 * DynamoDB:ConditionalCheckFailedException, a foreign key violation InvalidArgumentsError, or
 * ReferentialIntegrityViolation when the statement starts with DELETE, others DatabaseError with a
 * fixed message); the SQLSTATE and message of the others go to stderr.
 * The request context is the gg_pg_request of postgres.h. */
#ifndef GG_PG_SQL_DIRECTIVE_H
#define GG_PG_SQL_DIRECTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "pg_resolvers.h"
#include "sql_placeholders.h"

/* Whether name is an identity placeholder the @sql fields know ("identity.sub", "identity.claims.x"...). */
bool gg_sql_identity_known(const char *name);
/* The parameter text of that identity value for request (NULL: SQL NULL), as @sql fields bind it. */
const char *gg_sql_identity_text(gg_arena *arena, const gg_pg_request *request, const char *name);
/* A value as a statement parameter, as @sql fields bind arguments: scalars as their text, lists and
 * objects as JSON, null or absent as NULL (SQL NULL). */
const char *gg_sql_param_text(gg_arena *arena, const gg_val *value);
/* gg_pg_bind_sql (binding every @sql field of a schema) is declared in postgres.h. */

#endif
