/* gateway.h: the one face for "load a schema generation; run one request through it" (the HTTP
 * handler, tests, fuzzers and the differential suite): schema loading, the per-thread document
 * cache (query text -> parsed, limit-checked, validated document), and execution.
 * A request walks http -> gateway -> graphql -> resolvers -> writer.
 *
 * The schema (gg_gateway) is built once at start-up and shared read-only by every thread. Each
 * thread owns a gg_doc_cache: a bounded LRU keyed by the exact query text. Entries are reference
 * counted because an execution may finish after its entry has been evicted. Failed documents
 * (syntax or validation errors) are cached too, with their errors, so a client repeating a bad
 * query costs a hash lookup. Execution results are written straight as JSON text. */
#ifndef GG_GATEWAY_H
#define GG_GATEWAY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "../amplify/model.h"
#include "../base/buf.h"
#include "../config.h"
#include "../graphql/type/schema.h"
#include "../graphql/value.h"
#include "postgres.h"

typedef struct gg_gateway gg_gateway;

/* What resolvers receive as their context (gg_exec_request.context). The PostgreSQL part comes
 * first, as postgres.h requires. The caller's identity is pg.identity: gg_gateway_execute sets it
 * from gg_gateway_request.identity. */
typedef struct gg_request_context {
    gg_pg_request pg; /* the worker's pool and the cursor key; pool NULL: @model fields fail (ServiceUnavailable);
                       * pg.owner: the request the execution works for (gg_gateway_cancel) */
} gg_request_context;
typedef struct gg_doc gg_doc;
typedef struct gg_doc_cache gg_doc_cache;

typedef enum gg_doc_status {
    GG_DOC_OK,
    GG_DOC_SYNTAX_ERROR, /* did not parse (or too many tokens) */
    GG_DOC_INVALID,      /* a safety limit or a validation rule failed */
} gg_doc_status;

typedef enum gg_op_kind { GG_OPK_QUERY, GG_OPK_MUTATION, GG_OPK_SUBSCRIPTION, GG_OPK_NONE } gg_op_kind;

/* How an execution ended, which decides the HTTP status. */
typedef enum gg_exec_outcome {
    GG_EXEC_DATA,          /* "data" present (maybe with field errors) */
    GG_EXEC_REQUEST_ERROR, /* no "data": variables failed coercion, unknown operation, ... */
} gg_exec_outcome;

/* Loads the configured plugins, builds the schema from the configured SDL files (through the
 * Amplify transform when a type has @model) and binds its @function fields and the resolver map
 * to the plugins; NULL with a reason (file, line, column, message; the plugin and why). */
gg_gateway *gg_gateway_load(const gg_config *cfg, gg_fault *fault);
/* Around a schema the caller built (and frees after gg_gateway_free), with the limits of cfg (copied). */
gg_gateway *gg_gateway_wrap(const gg_schema *schema, const gg_val *root_value, const gg_config *cfg);
/* The @model catalog of an Amplify schema (for migrations and pools), or NULL when there is none. */
const gg_amplify_catalog *gg_gateway_catalog(const gg_gateway *gateway);
/* Whether the @model tables' column types could not be read when the schema was bound (the
 * database did not answer): the fields use graphgate's storage types until a generation reads them. */
bool gg_gateway_column_types_unread(const gg_gateway *gateway);
/* Frees the schema (and unloads its plugins). */
void gg_gateway_free(gg_gateway *gateway);
/* On each event-loop thread, before its first request: the plugins' per-thread start (false with
 * the reason when one fails: start-up stops). After its last request: their per-thread stop. */
bool gg_gateway_thread_start(const gg_gateway *gateway, gg_fault *fault);
/* Number of plugins loaded (they may send SQL: the workers then open their pools). */
unsigned gg_gateway_plugin_count(const gg_gateway *gateway);
void gg_gateway_thread_stop(const gg_gateway *gateway);

/* AWS_LAMBDA: the plugin authorizer auth.lambda names (found at load: a missing one stops start-up),
 * or NULL when the mode is off. Lives as long as the gateway. */
const struct gg_plugin_authorizer *gg_gateway_lambda_authorizer(const gg_gateway *gateway);

/* A cache of `capacity` documents for one thread (capacity 0: nothing is kept). */
gg_doc_cache *gg_doc_cache_new(const gg_gateway *gateway, unsigned capacity);
/* Frees the cache; entries still referenced are freed by their last gg_doc_release. */
void gg_doc_cache_free(gg_doc_cache *cache);
/* The checked document for a query text (from the cache, or parsed now); the caller holds a
 * reference until gg_doc_release. Never NULL. */
gg_doc *gg_doc_get(gg_doc_cache *cache, const char *text, size_t len);
/* Drops a reference. */
void gg_doc_release(gg_doc *doc);
/* How the document fared. */
gg_doc_status gg_doc_get_status(const gg_doc *doc);
/* For failed documents: writes {"errors":[...]} into out. */
void gg_doc_write_errors(const gg_doc *doc, gg_buf *out);
/* The kind of the operation that would run (NONE when it cannot be selected) and its name (NULL
 * when anonymous; valid while the document is referenced). */
gg_op_kind gg_doc_operation(const gg_doc *doc, const char *operation_name, const char **name);
/* The parsed document of an OK doc (for the real-time layer: its subscription's root field). */
const gg_document *gg_doc_document(const gg_doc *doc);
/* Takes one more reference (dropped with gg_doc_release). */
gg_doc *gg_doc_ref(gg_doc *doc);
/* The served schema. */
const gg_schema *gg_gateway_schema(const gg_gateway *gateway);
/* Number of hits and misses so far (for tests and logs). */
void gg_doc_cache_stats(const gg_doc_cache *cache, unsigned long *hits, unsigned long *misses);

/* The answer to a subscription over HTTP (BadRequestException, naming the websocket endpoint). */
void gg_gateway_write_subscription_refusal(const gg_gateway *gateway, gg_buf *out);

/* One request to execute. */
typedef struct gg_gateway_request {
    gg_doc *doc;                             /* an OK document */
    const char *operation_name;              /* or NULL */
    const cJSON *variables;                  /* JSON object or NULL */
    const gg_request_context *context;       /* copied; NULL: no database */
    const struct gg_auth_identity *identity; /* gg_gateway_authorize's answer; NULL: auth NONE */
} gg_gateway_request;

/* Executes an OK document. Calls on_complete exactly once (maybe before returning, else
 * later on the same thread) with the response JSON text (valid during the call). */
typedef void (*gg_gateway_done_fn)(void *user, gg_exec_outcome outcome, const char *json, size_t len);
void gg_gateway_execute(const gg_gateway *gateway, const gg_gateway_request *request, gg_gateway_done_fn on_complete,
                        void *user);
/* Called by a done function on the json it was given: moves the answer's buffer into *into, so that
 * a large answer is handed on without a copy; the caller then frees it (gg_buf_free) on this
 * thread. False, with *into untouched, when json is not an answer being completed. */
bool gg_gateway_take_answer(const char *json, gg_buf *into);
/* The same over root_value instead of the schema's root value: a subscription's operation run for
 * one event, root_value {field: the mutation's result} (server/realtime). */
void gg_gateway_execute_over(const gg_gateway *gateway, const gg_gateway_request *request, const gg_val *root_value,
                             gg_gateway_done_fn on_complete, void *user);
/* For tests and tools with synchronous resolvers: document (limits, validation), refusal of a
 * subscription, variables (JSON text or NULL), execution; appends the response to out. True
 * when it has no errors. */
bool gg_gateway_run_sync(const gg_gateway *gateway, const char *query, size_t len, const char *operation_name,
                         const char *variables_json, gg_buf *out);
/* Cancels the data-source work of the executions whose context named owner as context->pg.owner:
 * today their PostgreSQL statements (gg_pg_pool_cancel on context's pool): their results are not
 * read, and with interrupt the statements are cancelled on the server too. Their on_complete
 * still comes, later, with errors. */
void gg_gateway_cancel(const gg_request_context *context, const void *owner, bool interrupt);

#endif
