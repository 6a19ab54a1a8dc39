/* plugin_internal.h: what host.c (loading, binding) and api.c (the functions plugins call) share:
 * the layout behind the opaque handles of include/graphgate/plugin.h.
 *
 * A gg_plugin and its resolvers are heap objects made at load and read-only once setup returned, so
 * a field's binding (gg_field.resolve_data) can point at its gg_plugin_resolver for the life of the
 * set. A gg_plugin_call lives in the request arena. gg_plugin_value is a gg_val, gg_plugin_arena a
 * gg_arena, gg_plugin_identity the call itself (the identity and the peer address are the request
 * context's): casts, no copies. */
#ifndef GG_PLUGIN_INTERNAL_H
#define GG_PLUGIN_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "amplify/model.h"
#include "base/fault.h"
#include "execute/execute.h"
#include "host.h"
#include "include/graphgate/plugin.h"
#include "postgres.h"

typedef struct gg_plugin_resolver {
    gg_plugin *plugin;
    char *name;
    gg_plugin_resolve_fn resolve;
    void *user_data;
    bool blocking; /* gg_plugin_add_blocking_resolver: resolve runs on the worker pool (workers.c) */
} gg_plugin_resolver;

struct gg_plugin {
    char *name; /* the key under "plugins" */
    char *path;
    void *handle; /* dlopen's */
    cJSON *config;
    bool in_setup; /* registration is allowed only while setup runs */
    bool set_up;   /* setup succeeded: shutdown runs */
    char error[512];
    void *data;
    gg_plugin_shutdown_fn shutdown;
    gg_plugin_thread_start_fn thread_start;
    gg_plugin_thread_stop_fn thread_stop;
    pthread_key_t thread_key; /* a thread_slot while the thread started this plugin; set when thread hooks exist */
    bool has_thread_key;
    gg_plugin_resolver **resolvers;
    unsigned resolver_count;
    struct gg_plugin_authorizer **authorizers; /* authorizer.c */
    unsigned authorizer_count;
    struct gg_plugin_conflict_handler **conflict_handlers; /* conflict.c */
    unsigned conflict_handler_count;
};

/* What a thread start stored (the key's value on that thread). */
typedef struct gg_plugin_thread_slot {
    void *data;
} gg_plugin_thread_slot;

typedef struct gg_plugin_job gg_plugin_job;

/* Where a call's answer goes instead of the field (a pipeline step's continuation): value on
 * success (never NULL), or failed with error_type (may be NULL) and message. On the loop thread. */
typedef void (*gg_plugin_finish_fn)(gg_plugin_call *call, gg_val *value, bool failed, const char *error_type,
                                    const char *message);

struct gg_plugin_call {
    gg_resolve_info *info;
    const gg_plugin_resolver *resolver;
    bool completed;
    gg_val *stash;              /* a pipeline's (shared by its steps), or the call's own made on first use */
    const gg_val *previous;     /* the previous pipeline step's result; NULL: none */
    gg_plugin_finish_fn finish; /* NULL: the answer completes the field */
    void *finish_data;
    /* Set while a blocking call runs on a worker thread (workers.c): its answer is kept there, in
     * the job's own arena, and reaches the field on the loop afterwards. Written by the loop before
     * the job is queued and cleared by the loop after it came back: the worker only reads it. */
    gg_plugin_job *job;
};

/* A registered authorizer (gg_plugin_add_authorizer), read-only after setup. */
typedef struct gg_plugin_authorizer {
    gg_plugin *plugin;
    char *name;
    gg_plugin_authorize_fn authorize;
    void *user_data;
} gg_plugin_authorizer;

/* A registered conflict handler (gg_plugin_add_conflict_handler), read-only after setup. */
typedef struct gg_plugin_conflict_handler {
    gg_plugin *plugin;
    char *name;
    gg_plugin_conflict_fn handle;
    void *user_data;
} gg_plugin_conflict_handler;

/* ---- detached.c: handles that answer apart from a resolver call (authorizations, conflicts) ---- */

/* Any function pointer, cast back to its own type before it is called. */
typedef void (*gg_plugins_any_fn)(void);
/* A handle's statements and its lifetime: the pool of the request that asked (copied), an arena for
 * the statements' rows, the statements in flight. Answering (gg_plugins_detached_answered) frees the
 * handle at once, or with the last result of the statements still pending (dropped). */
typedef struct gg_plugins_detached {
    gg_pg_request pg;
    bool has_pg;
    gg_arena arena;
    unsigned pending;
    bool answered;
    void (*free_handle)(void *owner); /* frees the owner's own members and the owner */
    void *owner;                      /* the handle holding this (gg_plugin_authorization, gg_plugin_conflict) */
} gg_plugins_detached;
/* Calls the plugin's typed callback done (as passed to gg_plugins_detached_sql) with the owner and a
 * statement's rows, or NULL rows and the failure's errorType and message. */
typedef void (*gg_plugins_detached_rows_fn)(void *owner, const gg_val *rows, const char *error_type,
                                            const char *message, gg_plugins_any_fn done, void *user);
/* pg: the request's context (NULL: none; statements fail with ServiceUnavailable). */
void gg_plugins_detached_init(gg_plugins_detached *handle, const gg_pg_request *pg, void (*free_handle)(void *),
                              void *owner);
/* Sends sql (as gg_plugin_call_sql) on handle's pool; deliver passes its result to done, unless the
 * handle answered meanwhile. where names the sender in the log. */
void gg_plugins_detached_sql(gg_plugins_detached *handle, const char *where, const char *sql, unsigned param_count,
                             const char *const *params, gg_plugins_detached_rows_fn deliver, gg_plugins_any_fn done,
                             void *user);
/* The handle answered: freed now, or by the last pending statement's result. */
void gg_plugins_detached_answered(gg_plugins_detached *handle);

/* True when plugin may register a `kind` ("resolver", "authorizer", "conflict_handler") named name now: during setup, a
 * valid name (letters, digits, _ and -, at most 128 bytes), a function; else false, the reason set
 * as the plugin's error (host.c). */
bool gg_plugins_may_register(gg_plugin *plugin, const char *kind, const char *name, bool has_function);
struct gg_plugins;
/* What the plugin's thread-start hook stored on this thread (NULL without one; api.c). */
void *gg_plugins_thread_data(const gg_plugin *plugin);
/* The errorType and message a plugin's SQL callback gets for failure, in arena (api.c). */
void gg_plugins_sql_failure(gg_arena *arena, const gg_fault *failure, const char **error_type, const char **message);
/* The loaded plugin named name, or NULL (host.c). */
gg_plugin *gg_plugins_named(const struct gg_plugins *set, const char *name);
/* Frees the plugin's authorizers (authorizer.c; called by host.c's plugin_free). */
void gg_plugins_free_authorizers(gg_plugin *plugin);
/* Frees the plugin's conflict handlers (conflict.c; called by host.c's plugin_free). */
void gg_plugins_free_conflict_handlers(gg_plugin *plugin);

/* The resolver of every plugin-bound field: field->resolve_data is its gg_plugin_resolver. */
void gg_plugins_resolve_field(gg_resolve_info *info);
/* Runs call's resolver: at once on this thread, or on the worker pool when it is blocking. */
void gg_plugins_invoke(gg_plugin_call *call);
/* The arena a call's answer is built in: the request's, or on a worker thread the job's own. */
gg_arena *gg_plugins_call_arena(const gg_plugin_call *call);
/* Completes call with value (NULL: null) or with an error (error_type may be NULL; message is
 * copied): to the field, to a pipeline's next step, or, on a worker thread, into the job. */
void gg_plugins_finish(gg_plugin_call *call, gg_val *value);
void gg_plugins_finish_error(gg_plugin_call *call, const char *error_type, const char *message);

/* ---- workers.c ---- */
/* Queues a blocking call to the worker pool; its answer comes back to this loop (gg_plugins_loop_attach). */
void gg_plugins_run_blocking(gg_plugin_call *call);
/* Records a blocking call's answer (worker thread; value and texts in the job's arena). */
void gg_plugins_job_answer(gg_plugin_job *job, gg_val *value, bool failed, const char *error_type, const char *message);
gg_arena *gg_plugins_job_arena(gg_plugin_job *job);

/* ---- pipeline.c ---- */
/* AppSync allows 10 functions in a pipeline. */
#define GG_PLUGIN_PIPELINE_MAX_STEPS 10
/* Binds field to the pipeline entry ({"pipeline": [steps]}) of the resolvers map; where names the
 * entry in messages. Allocates in the schema's arena. */
bool gg_plugins_bind_pipeline(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog,
                              gg_field *field, const cJSON *entry, const char *where, gg_fault *fault);
/* True when field is bound to a pipeline. */
bool gg_plugins_is_pipeline(const gg_field *field);
/* Used by pipeline.c to find a step's resolver (host.c). */
const gg_plugin_resolver *gg_plugins_find_resolver(const gg_plugins *set, const char *plugin, const char *resolver,
                                                   const char *where, gg_fault *fault);

#endif
