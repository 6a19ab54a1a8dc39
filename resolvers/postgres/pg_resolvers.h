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
 * Not yet: syncX (DataStore delta sync; bound to an UnsupportedOperation error), versioning of
 * _version/_lastChangedAt/_deleted, @auth rules. */
#ifndef GG_PG_RESOLVERS_H
#define GG_PG_RESOLVERS_H

#include "amplify/model.h"
#include "cursor.h"
#include "pg_pool.h"
#include "plan.h"
#include "realtime/pubsub.h"
#include "type/schema.h"

/* The start of the request context handed to gg_execute (see above). */
typedef struct gg_pg_request {
    gg_pg_pool *pool;                /* this thread's pool; NULL: every field fails with ServiceUnavailable */
    const gg_cursor_key *cursor_key; /* signs nextToken values (gg_pg_load_cursor_key, or from config);
                                      * NULL: no page has a nextToken and none is accepted */
    gg_pubsub *pubsub;               /* this thread's pubsub: each successful mutation (CRUD and @sql) publishes
                                      * its result there under the field's name; NULL: no events */
    const void *owner;               /* the request the statements work for (gg_pg_pool_cancel); NULL: none */
} gg_pg_request;

typedef struct gg_pg_options {
    unsigned default_limit; /* page size of lists without limit; 0: 100 (AppSync's) */
    unsigned max_limit;     /* larger limits are cut to this (the page then has a nextToken); 0: 1000 */
    bool log_sql;           /* print every statement to stderr before sending it (debugging; no values) */
    gg_pg_plan_kind plan;   /* rows (default) or json: see plan.h */
    gg_filter_limits filter_limits; /* every filter and condition argument; zeros: none */
} gg_pg_options;

/* Binds every generated root field of catalog's models, and their relation fields, in schema
 * (built from the served SDL of the same catalog). Allocates in the schema's arena and keeps
 * pointers into the catalog: the catalog must outlive the schema. opts may be NULL. */
void gg_pg_bind(gg_schema *schema, const gg_amplify_catalog *catalog, const gg_pg_options *opts);

#endif
