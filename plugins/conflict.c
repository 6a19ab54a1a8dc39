/* conflict.c: plugin conflict handlers, DataStore's LAMBDA conflict resolution in-process
 * (plugin.h's "conflict handlers" section; the server side is resolvers/postgres/datastore_lambda.c).
 *
 * A conflict is one heap object holding the event the handler reads (handed over by the asker) and
 * a copy of the request's PostgreSQL context for gg_plugin_conflict_sql (gg_plugins_detached, shared
 * with authorizations). Answering calls the asker's callback and frees the object, unless
 * statements are still pending: then the last result frees it (their results are dropped). The
 * answer is passed through as the plugin gave it: whether it fits the operation is the asker's to
 * judge (it knows the model). */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/log.h"
#include "host.h"
#include "plugin_internal.h"
#include "postgres.h"

static_assert((int)GG_PLUGIN_CONFLICT_CREATE == (int)GG_PG_LAMBDA_CREATE &&
                  (int)GG_PLUGIN_CONFLICT_UPDATE == (int)GG_PG_LAMBDA_UPDATE &&
                  (int)GG_PLUGIN_CONFLICT_DELETE == (int)GG_PG_LAMBDA_DELETE,
              "plugin.h and postgres.h number the operations alike");

struct gg_plugin_conflict {
    const gg_plugin_conflict_handler *handler;
    gg_plugin_conflict_operation operation;
    cJSON *event;
    gg_pg_lambda_answer_fn done;
    void *user;
    gg_plugins_detached detached; /* the asker's request context: statements are cancelled with the request */
};

static void conflict_free(void *owner)
{
    gg_plugin_conflict *c = owner;
    cJSON_Delete(c->event);
    free(c);
}

int gg_plugin_add_conflict_handler(gg_plugin *plugin, const char *name, gg_plugin_conflict_fn handle, void *user_data)
{
    if (!gg_plugins_may_register(plugin, "conflict_handler", name, handle != NULL)) return -1;
    for (unsigned i = 0; i < plugin->conflict_handler_count; i++)
        if (strcmp(plugin->conflict_handlers[i]->name, name) == 0) {
            gg_plugin_set_error(plugin, "conflict handler \"%s\" registered twice", name);
            return -1;
        }
    gg_plugin_conflict_handler **grown =
        realloc(plugin->conflict_handlers, (plugin->conflict_handler_count + 1) * sizeof *grown);
    gg_plugin_conflict_handler *h = calloc(1, sizeof *h);
    char *copy = strdup(name);
    if (grown == NULL || h == NULL || copy == NULL) abort();
    plugin->conflict_handlers = grown;
    *h = (gg_plugin_conflict_handler){.plugin = plugin, .name = copy, .handle = handle, .user_data = user_data};
    plugin->conflict_handlers[plugin->conflict_handler_count++] = h;
    return 0;
}

void gg_plugins_free_conflict_handlers(gg_plugin *plugin)
{
    for (unsigned i = 0; i < plugin->conflict_handler_count; i++) {
        free(plugin->conflict_handlers[i]->name);
        free(plugin->conflict_handlers[i]);
    }
    free(plugin->conflict_handlers);
    plugin->conflict_handlers = NULL;
    plugin->conflict_handler_count = 0;
}

const gg_plugin_conflict_handler *gg_plugins_find_conflict_handler(const gg_plugins *set, const char *plugin,
                                                                   const char *name, gg_fault *fault)
{
    const gg_plugin *p = gg_plugins_named(set, plugin);
    if (p == NULL) {
        gg_fault_set(fault, NULL,
                     "datastore.lambda.plugin: no plugin named \"%s\" is loaded (configure it under \"plugins\")",
                     plugin);
        return NULL;
    }
    for (unsigned i = 0; i < p->conflict_handler_count; i++)
        if (strcmp(p->conflict_handlers[i]->name, name) == 0) return p->conflict_handlers[i];
    gg_fault_set(fault, NULL,
                 "datastore.lambda.resolver: plugin \"%s\" registers no conflict handler named \"%s\" "
                 "(gg_plugin_add_conflict_handler)",
                 plugin, name);
    return NULL;
}

void gg_plugins_ask_conflict_handler(const void *handler, const gg_pg_lambda_question *question,
                                     gg_pg_lambda_answer_fn done, void *user)
{
    gg_plugin_conflict *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    c->handler = handler;
    c->operation = (gg_plugin_conflict_operation)question->operation;
    c->event = question->event;
    c->done = done;
    c->user = user;
    gg_plugins_detached_init(&c->detached, question->request, conflict_free, c);
    c->handler->handle(c);
}

/* ---- what a conflict handler calls (plugin.h) ---- */

gg_plugin_conflict_operation gg_plugin_conflict_operation_of(const gg_plugin_conflict *c)
{
    return c->operation;
}

const cJSON *gg_plugin_conflict_event(const gg_plugin_conflict *c)
{
    return c->event;
}

const cJSON *gg_plugin_conflict_new_item(const gg_plugin_conflict *c)
{
    return cJSON_GetObjectItemCaseSensitive(c->event, "newItem");
}

const cJSON *gg_plugin_conflict_existing_item(const gg_plugin_conflict *c)
{
    return cJSON_GetObjectItemCaseSensitive(c->event, "existingItem");
}

const cJSON *gg_plugin_conflict_arguments(const gg_plugin_conflict *c)
{
    return cJSON_GetObjectItemCaseSensitive(c->event, "arguments");
}

const cJSON *gg_plugin_conflict_identity(const gg_plugin_conflict *c)
{
    const cJSON *identity = cJSON_GetObjectItemCaseSensitive(c->event, "identity");
    return cJSON_IsObject(identity) ? identity : NULL;
}

gg_plugin *gg_plugin_conflict_plugin(const gg_plugin_conflict *c)
{
    return c->handler->plugin;
}

void *gg_plugin_conflict_data(const gg_plugin_conflict *c)
{
    return c->handler->user_data;
}

void *gg_plugin_conflict_thread_data(const gg_plugin_conflict *c)
{
    return gg_plugins_thread_data(c->handler->plugin);
}

static void deliver_rows(void *owner, const gg_val *rows, const char *error_type, const char *message,
                         gg_plugins_any_fn done, void *user)
{
    ((gg_plugin_conflict_sql_fn)done)(owner, (const gg_plugin_value *)rows, error_type, message, user);
}

void gg_plugin_conflict_sql(gg_plugin_conflict *c, const char *sql, unsigned param_count, const char *const *params,
                            gg_plugin_conflict_sql_fn done, void *user)
{
    const char *where = gg_arena_printf(&c->detached.arena, "conflict handler %s (plugin %s)", c->handler->name,
                                        c->handler->plugin->name);
    gg_plugins_detached_sql(&c->detached, where, sql, param_count, params, deliver_rows, (gg_plugins_any_fn)done, user);
}

void gg_plugin_conflict_return(gg_plugin_conflict *c, const cJSON *response)
{
    c->done(c->user, response, NULL);
    gg_plugins_detached_answered(&c->detached);
}

void gg_plugin_conflict_fail(gg_plugin_conflict *c, const char *format, ...)
{
    char message[300];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format != NULL ? format : "", ap);
    va_end(ap);
    gg_log_warn("plugin %s: conflict handler %s failed: %s", c->handler->plugin->name, c->handler->name, message);
    c->done(c->user, NULL, message);
    gg_plugins_detached_answered(&c->detached);
}
