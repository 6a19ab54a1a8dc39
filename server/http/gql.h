/* gql.h: the HTTP layer's door to the GraphQL engine: schema loading, the per-thread document
 * cache (query text -> parsed, limit-checked, validated document), and execution.
 *
 * The schema (gg_gql) is built once at start-up and shared read-only by every thread. Each
 * thread owns a gg_doc_cache: a bounded LRU keyed by the exact query text. Entries are reference
 * counted because an execution may finish after its entry has been evicted. Failed documents
 * (syntax or validation errors) are cached too, with their errors, so a client repeating a bad
 * query costs a hash lookup. Execution results are written straight as JSON text. */
#ifndef GG_HTTP_GQL_H
#define GG_HTTP_GQL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "../amplify/model.h"
#include "../base/buf.h"
#include "../config.h"
#include "pg_resolvers.h"

typedef struct gg_gql gg_gql;

/* What resolvers receive as their context (gg_exec_request.context). The PostgreSQL part comes
 * first, as pg_resolvers.h requires; a request's identity will follow it. */
typedef struct gg_request_context {
    gg_pg_request pg; /* the worker's pool and the cursor key; pool NULL: @model fields fail (ServiceUnavailable);
                       * pg.owner: the request the execution works for (gg_gql_cancel) */
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

/* Builds the schema from the configured SDL files (through the Amplify transform when a type has
 * @model); NULL with a reason (file, line, column, message). */
gg_gql *gg_gql_load(const gg_config *cfg, gg_fault *fault);
/* The @model catalog of an Amplify schema (for migrations and pools), or NULL when there is none. */
const gg_amplify_catalog *gg_gql_catalog(const gg_gql *gql);
/* Frees the schema. */
void gg_gql_free(gg_gql *gql);

/* A cache of `capacity` documents for one thread (capacity 0: nothing is kept). */
gg_doc_cache *gg_doc_cache_new(const gg_gql *gql, unsigned capacity);
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
/* Number of hits and misses so far (for tests and logs). */
void gg_doc_cache_stats(const gg_doc_cache *cache, unsigned long *hits, unsigned long *misses);

/* Executes an OK document. variables is the request's JSON object or NULL; context (copied; NULL:
 * no database) goes to the resolvers. Calls on_complete exactly once (maybe before returning, else
 * later on the same thread) with the response JSON text (valid during the call). */
typedef void (*gg_gql_done_fn)(void *user, gg_exec_outcome outcome, const char *json, size_t len);
void gg_gql_execute(const gg_gql *gql, gg_doc *doc, const char *operation_name, const cJSON *variables,
                    const gg_request_context *context, gg_gql_done_fn on_complete, void *user);
/* Cancels the data-source work of the executions whose context named owner as context->pg.owner:
 * today their PostgreSQL statements (gg_pg_pool_cancel on context's pool): their results are not
 * read, and with interrupt the statements are cancelled on the server too. Their on_complete
 * still comes, later, with errors. */
void gg_gql_cancel(const gg_request_context *context, const void *owner, bool interrupt);

#endif
