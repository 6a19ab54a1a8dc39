/* host.h: graphgate's side of the plugin ABI (include/graphgate/plugin.h): loading the configured
 * plugins, binding their resolvers to schema fields, per-thread start and stop, shutdown.
 *
 * A gg_plugins belongs to one schema generation (server/gateway): it is loaded before the schema
 * is bound and freed after it, so a later reload can load a new set beside the old one. Loading
 * (dlopen, ABI check, setup) and binding happen on the main thread before any event loop runs; the
 * set is read-only afterwards, shared by every thread. Each event-loop thread calls
 * gg_plugins_thread_start before its first request and gg_plugins_thread_stop after its last.
 * Every failure stops start-up with a message naming the plugin, its file and the reason.
 * Names here start with gg_plugins_: the executable exports every gg_plugin_* symbol to plugins
 * (exports.list), and these are not theirs to call. */
#ifndef GG_PLUGIN_HOST_H
#define GG_PLUGIN_HOST_H

#include <stdbool.h>

#include <cjson/cJSON.h>
#include <h2o.h>

#include "amplify/model.h"
#include "base/fault.h"
#include "type/schema.h"

typedef struct gg_plugins gg_plugins;

/* Loads every plugin of the "plugins" configuration object ({"name": {"path": "x.so", "config": {...}}};
 * paths already made absolute or relative to the working directory; NULL: none) and runs their
 * setup, in the object's order. NULL with the reason in fault (nothing stays loaded). */
gg_plugins *gg_plugins_load(const cJSON *plugins, gg_fault *fault);
/* Binds plugin resolvers in schema: every field with @function(name: "plugin.resolver") (in the
 * field's own directives, or, for an Amplify schema whose served SDL dropped them, in catalog's
 * custom fields; catalog may be NULL), then every entry of the "resolvers" map
 * ({"Type.field": {"plugin": "p", "resolver": "r"}} or {"pipeline": [steps]}: pipeline.c; NULL:
 * none). Several @function on a field are a pipeline of their resolvers, in order. An unknown type,
 * field, plugin or resolver, a field bound twice, and a wrong pipeline step are errors: false with
 * the reason. set may be NULL (no plugins): then any binding is an error. */
bool gg_plugins_bind(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog,
                     const cJSON *resolvers, gg_fault *fault);
/* Runs every plugin's thread-start hook on the calling thread. False with the reason when one
 * fails (the hooks that succeeded are stopped again). NULL set: true. */
bool gg_plugins_thread_start(const gg_plugins *set, gg_fault *fault);
/* Runs the thread-stop hooks of the plugins whose thread start ran on this thread. */
void gg_plugins_thread_stop(const gg_plugins *set);
/* ---- AWS_LAMBDA authorizers (authorizer.c) ---- */

typedef struct gg_plugin_authorizer gg_plugin_authorizer;

/* The authorizer `name` registered by plugin `plugin` (auth.lambda.plugin and .resolver), or NULL with
 * the reason (no such plugin, no such authorizer). */
const gg_plugin_authorizer *gg_plugins_find_authorizer(const gg_plugins *set, const char *plugin, const char *name,
                                                       gg_fault *fault);

/* One request header, as the HTTP layer has it (not NUL-terminated). */
typedef struct gg_plugins_header {
    const char *name; /* lower case */
    size_t name_len;
    const char *value;
    size_t value_len;
} gg_plugins_header;

/* What an authorizer is told: AppSync's Lambda event. Everything is copied by gg_plugins_authorize. */
typedef struct gg_plugins_authorization_request {
    const char *token; /* the whole Authorization value */
    size_t token_len;
    const char *operation_name; /* NULL: none */
    const char *query;
    size_t query_len;
    const cJSON *variables; /* NULL: none */
    const char *source_ip;  /* NULL: unknown */
    const gg_plugins_header *headers;
    unsigned header_count;
    const struct gg_pg_request *pg; /* the thread's pool for gg_plugin_authorization_sql (copied); NULL: none */
} gg_plugins_authorization_request;

/* The authorizer's answer: its response object (valid during the call only), or NULL with failure
 * saying why it failed. Runs on the thread that called gg_plugins_authorize, once. */
typedef void (*gg_plugins_authorized_fn)(void *user, const cJSON *response, const char *failure);

/* Calls authorizer with request; done runs when it answers: before this returns (a synchronous
 * authorizer) or later, from this thread's loop. */
void gg_plugins_authorize(const gg_plugin_authorizer *authorizer, const gg_plugins_authorization_request *request,
                          gg_plugins_authorized_fn done, void *user);

/* ---- DataStore's LAMBDA conflict handlers (conflict.c) ---- */

typedef struct gg_plugin_conflict_handler gg_plugin_conflict_handler;
struct gg_pg_lambda_question;

/* The conflict handler `name` registered by plugin `plugin` (datastore.lambda.plugin and .resolver),
 * or NULL with the reason (no such plugin, no such handler). */
const gg_plugin_conflict_handler *gg_plugins_find_conflict_handler(const gg_plugins *set, const char *plugin,
                                                                   const char *name, gg_fault *fault);
/* Asks handler (a gg_plugin_conflict_handler) about question (postgres.h's gg_pg_lambda_ask_fn, what
 * the gateway hands the PostgreSQL resolvers): the event is handed over, done runs once when the
 * plugin answers, before this returns or later from this thread's loop. */
void gg_plugins_ask_conflict_handler(const void *handler, const struct gg_pg_lambda_question *question,
                                     void (*done)(void *user, const cJSON *response, const char *failure), void *user);

/* Number of plugins loaded. */
unsigned gg_plugins_count(const gg_plugins *set);
/* Runs the shutdown hooks (in reverse order) and unloads the plugins. NULL is ignored. */
void gg_plugins_free(gg_plugins *set);

/* ---- the worker pool of blocking resolvers (workers.c), one per process, shared by generations ---- */

/* Threads when plugins_worker_threads is not set. */
#define GG_PLUGIN_WORKERS_DEFAULT 4
/* Sets the number of worker threads (plugins_worker_threads; 0: the default). Main thread, before
 * the server starts: the threads themselves start at the first blocking call. */
void gg_plugins_workers_configure(unsigned threads);
/* Makes this event-loop thread able to run blocking resolvers: their answers come back to loop.
 * Call on the loop's thread before it serves a request. */
void gg_plugins_loop_attach(h2o_loop_t *loop);
/* On the same thread after it stopped accepting requests: completes its blocking calls still
 * queued with ServiceUnavailable, runs loop until those running came back, and frees the handoff. */
void gg_plugins_loop_detach(void);
/* Joins the worker threads (after every loop detached). */
void gg_plugins_workers_stop(void);

#endif
