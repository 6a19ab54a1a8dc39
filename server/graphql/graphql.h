/* graphql.h: one GraphQL request from text to response JSON through the engine alone, like
 * graphql-js graphql(): parse, validate, coerce variables, execute; no document cache, no safety
 * limits, and a subscription operation runs its one event. The server runs requests through
 * server/gateway/gateway.h instead (so do the fuzzers and the differential suite); this face is
 * for the tests that check the engine and its resolvers on their own, on purpose.
 *
 * gg_graphql_start: everything lives in the caller's arena, the result is handed to on_complete
 * exactly once, possibly later from the thread's event loop when resolvers are asynchronous. The
 * query text and the arena must live until on_complete runs. gg_graphql_run_sync wraps it for
 * synchronous resolvers. */
#ifndef GG_GRAPHQL_H
#define GG_GRAPHQL_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "execute/execute.h"
#include "type/schema.h"
#include "value.h"

typedef struct gg_graphql_request {
    const gg_schema *schema;
    const char *query; /* the document text (must live until on_complete) */
    size_t query_len;
    const char *operation_name; /* NULL when none */
    const gg_val *variables;    /* OBJECT, or NULL */
    const gg_val *root_value;
    void *context;
    gg_arena *arena;
    void (*on_complete)(const gg_exec_result *result, void *user);
    void *user;
} gg_graphql_request;

/* Parses, validates and executes; calls on_complete exactly once (syntax and validation errors
 * give a result without data). */
void gg_graphql_start(const gg_graphql_request *request);
/* Runs a request whose resolvers are all synchronous and appends the response JSON to out.
 * variables_json is the request's "variables" as JSON text (NULL or "null" for none). Returns
 * true when the response has no errors. */
bool gg_graphql_run_sync(const gg_schema *schema, const char *query, size_t len, const char *operation_name,
                         const char *variables_json, const gg_val *root_value, gg_buf *out);

#endif
