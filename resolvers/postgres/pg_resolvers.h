/* pg_resolvers.h: the generated @model root fields (get, list, index queries, create, update,
 * delete) and relation fields of a served Amplify schema, resolved over PostgreSQL.
 *
 * gg_pg_bind sets field->resolve on those fields once, at start-up. At run time a root field
 * plans its whole selection subtree into ONE statement (plan.h), sends it through its thread's
 * pool and completes with the JSON PostgreSQL built; relation fields then read their member of
 * that JSON (or, when their parent came from elsewhere, run their own statement).
 *
 * The request context: whoever calls gg_execute / gg_graphql_start for a schema bound here must
 * pass as `context` a pointer to a struct whose FIRST member is a gg_pg_request (or a
 * gg_pg_request itself), holding the pool of the calling thread's event loop and the cursor key.
 * Errors reach the client as GraphQL errors with an errorType: DynamoDB:ConditionalCheckFailedException
 * ("The conditional request failed"), UserIllegalArgumentException ("Invalid pagination token
 * given.", as AppSync), InvalidArgumentsError, Unrecognized Filter, DatabaseError
 * (generic message; details on stderr) and ServiceUnavailable (no database connection).
 * A successful create/update/delete publishes its result (the JSON the field resolved to, members named
 * "@…" holding the relations it selected) to the context's pubsub under the field's name; a failed
 * one (condition, database error) publishes nothing.
 * Models with conflict detection (DataStore) write versioned rows (plan_sql.h); a versioned update
 * or delete that wrote no row is handed to datastore_conflict.h, which reads the row and answers
 * the condition's failure or runs the model's conflict handler.
 * Not yet: syncX (DataStore delta sync; bound to an UnsupportedOperation error). */
#ifndef GG_PG_RESOLVERS_H
#define GG_PG_RESOLVERS_H

#include "amplify/model.h"
#include "cursor.h"
#include "pg_pool.h"
#include "postgres.h"
#include "plan.h"
#include "realtime/pubsub.h"
#include "type/schema.h"

/* gg_pg_request, gg_pg_options and gg_pg_bind are declared in postgres.h. */

/* The client's view of a failed statement (not GG_PG_OK) of the @model field info resolves, sent
 * on pool: Unauthorized for a row its @auth rules refuse, else pg_failure.h's table. */
gg_fault gg_pg_field_failure(gg_pg_pool *pool, gg_pg_status status, const PGresult *result,
                             const gg_resolve_info *info);

#endif
