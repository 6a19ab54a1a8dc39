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

#include "execute/execute.h"
#include "include/graphgate/plugin.h"

typedef struct gg_plugin_resolver {
    gg_plugin *plugin;
    char *name;
    gg_plugin_resolve_fn resolve;
    void *user_data;
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
};

/* What a thread start stored (the key's value on that thread). */
typedef struct gg_plugin_thread_slot {
    void *data;
} gg_plugin_thread_slot;

struct gg_plugin_call {
    gg_resolve_info *info;
    const gg_plugin_resolver *resolver;
    bool completed;
};

/* A registered authorizer (gg_plugin_add_authorizer), read-only after setup. */
typedef struct gg_plugin_authorizer {
    gg_plugin *plugin;
    char *name;
    gg_plugin_authorize_fn authorize;
    void *user_data;
} gg_plugin_authorizer;

/* True when plugin may register a `kind` ("resolver", "authorizer") named name now: during setup, a
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

/* The resolver of every plugin-bound field: field->resolve_data is its gg_plugin_resolver. */
void gg_plugins_resolve_field(gg_resolve_info *info);

#endif
