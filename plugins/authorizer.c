/* authorizer.c: plugin authorizers, AWS_LAMBDA authorization in-process (plugin.h's "authorizers"
 * section, host.h's gg_plugins_authorize).
 *
 * An authorization is one heap object holding copies of everything the authorizer may read (token,
 * operation, query, variables, headers, address): it may answer later than the request that asked,
 * even after that request ended, and must still read valid memory until it answers. Answering calls
 * the asker's callback and frees the object. Only tokens without a cached decision get here (the
 * cache is server/auth's), so the copies cost nothing on the hot path. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/log.h"
#include "host.h"
#include "plugin_internal.h"
#include "postgres.h"

struct gg_plugin_authorization {
    const gg_plugin_authorizer *authorizer;
    char *token;
    size_t token_len;
    char *operation_name; /* NULL: none */
    char *query;
    char *source_ip; /* NULL: unknown */
    cJSON *variables;
    char **headers; /* name, value, name, value, ... */
    unsigned header_count;
    gg_plugins_authorized_fn done;
    void *user;
    gg_plugins_detached detached; /* the asker's pool, owner NULL: a statement outlives its request */
};

static char *copy_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p == NULL) abort();
    if (len > 0) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int gg_plugin_add_authorizer(gg_plugin *plugin, const char *name, gg_plugin_authorize_fn authorize, void *user_data)
{
    if (!gg_plugins_may_register(plugin, "authorizer", name, authorize != NULL)) return -1;
    for (unsigned i = 0; i < plugin->authorizer_count; i++)
        if (strcmp(plugin->authorizers[i]->name, name) == 0) {
            gg_plugin_set_error(plugin, "authorizer \"%s\" registered twice", name);
            return -1;
        }
    gg_plugin_authorizer **grown = realloc(plugin->authorizers, (plugin->authorizer_count + 1) * sizeof *grown);
    gg_plugin_authorizer *a = calloc(1, sizeof *a);
    if (grown == NULL || a == NULL) abort();
    plugin->authorizers = grown;
    *a = (gg_plugin_authorizer){
        .plugin = plugin, .name = copy_bytes(name, strlen(name)), .authorize = authorize, .user_data = user_data};
    plugin->authorizers[plugin->authorizer_count++] = a;
    return 0;
}

void gg_plugins_free_authorizers(gg_plugin *plugin)
{
    for (unsigned i = 0; i < plugin->authorizer_count; i++) {
        free(plugin->authorizers[i]->name);
        free(plugin->authorizers[i]);
    }
    free(plugin->authorizers);
    plugin->authorizers = NULL;
    plugin->authorizer_count = 0;
}

const gg_plugin_authorizer *gg_plugins_find_authorizer(const gg_plugins *set, const char *plugin, const char *name,
                                                       gg_fault *fault)
{
    const gg_plugin *p = gg_plugins_named(set, plugin);
    if (p == NULL) {
        gg_fault_set(fault, NULL,
                     "auth.lambda.plugin: no plugin named \"%s\" is loaded (configure it under \"plugins\")", plugin);
        return NULL;
    }
    for (unsigned i = 0; i < p->authorizer_count; i++)
        if (strcmp(p->authorizers[i]->name, name) == 0) return p->authorizers[i];
    gg_fault_set(fault, NULL,
                 "auth.lambda.resolver: plugin \"%s\" registers no authorizer named \"%s\" (gg_plugin_add_authorizer)",
                 plugin, name);
    return NULL;
}

static void authorization_free(void *owner);

/* Headers the authorizer is not shown: the credentials (the token is given on its own) and cookies. */
static bool hidden_header(const gg_plugins_header *h)
{
    static const char *const hidden[] = {"authorization", "x-api-key", "cookie"};
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (h->name_len == strlen(hidden[i]) && strncasecmp(h->name, hidden[i], h->name_len) == 0) return true;
    return false;
}

void gg_plugins_authorize(const gg_plugin_authorizer *authorizer, const gg_plugins_authorization_request *request,
                          gg_plugins_authorized_fn done, void *user)
{
    gg_plugin_authorization *a = calloc(1, sizeof *a);
    if (a == NULL) abort();
    a->authorizer = authorizer;
    a->token = copy_bytes(request->token, request->token_len);
    a->token_len = request->token_len;
    if (request->operation_name != NULL)
        a->operation_name = copy_bytes(request->operation_name, strlen(request->operation_name));
    a->query =
        copy_bytes(request->query != NULL ? request->query : "", request->query != NULL ? request->query_len : 0);
    if (request->source_ip != NULL) a->source_ip = copy_bytes(request->source_ip, strlen(request->source_ip));
    a->variables =
        cJSON_IsObject(request->variables) ? cJSON_Duplicate(request->variables, true) : cJSON_CreateObject();
    if (a->variables == NULL) abort();
    a->headers = calloc(2 * (size_t)request->header_count + 1, sizeof *a->headers);
    if (a->headers == NULL) abort();
    for (unsigned i = 0; i < request->header_count; i++) {
        const gg_plugins_header *h = &request->headers[i];
        if (hidden_header(h)) continue;
        char *name = copy_bytes(h->name, h->name_len);
        for (char *c = name; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        a->headers[2 * a->header_count] = name;
        a->headers[2 * a->header_count + 1] = copy_bytes(h->value, h->value_len);
        a->header_count++;
    }
    a->done = done;
    a->user = user;
    gg_pg_request pg;
    if (request->pg != NULL) {
        pg = *request->pg;
        pg.owner = NULL;
        pg.identity = NULL;
        pg.source_ip = NULL;
    }
    gg_plugins_detached_init(&a->detached, request->pg != NULL ? &pg : NULL, authorization_free, a);
    authorizer->authorize(a);
}

static void authorization_free(void *owner)
{
    gg_plugin_authorization *a = owner;
    free(a->token);
    free(a->operation_name);
    free(a->query);
    free(a->source_ip);
    cJSON_Delete(a->variables);
    for (unsigned i = 0; i < 2 * a->header_count; i++)
        free(a->headers[i]);
    free(a->headers);
    free(a);
}

/* ---- what an authorizer calls (plugin.h) ---- */

const char *gg_plugin_authorization_token(const gg_plugin_authorization *a, size_t *length)
{
    if (length != NULL) *length = a->token_len;
    return a->token;
}

const char *gg_plugin_authorization_operation_name(const gg_plugin_authorization *a)
{
    return a->operation_name;
}

const char *gg_plugin_authorization_query(const gg_plugin_authorization *a)
{
    return a->query;
}

const cJSON *gg_plugin_authorization_variables(const gg_plugin_authorization *a)
{
    return a->variables;
}

const char *gg_plugin_authorization_header(const gg_plugin_authorization *a, const char *name)
{
    for (unsigned i = 0; name != NULL && i < a->header_count; i++)
        if (strcasecmp(a->headers[2 * i], name) == 0) return a->headers[2 * i + 1];
    return NULL;
}

const char *gg_plugin_authorization_source_ip(const gg_plugin_authorization *a)
{
    return a->source_ip;
}

gg_plugin *gg_plugin_authorization_plugin(const gg_plugin_authorization *a)
{
    return a->authorizer->plugin;
}

void *gg_plugin_authorization_data(const gg_plugin_authorization *a)
{
    return a->authorizer->user_data;
}

void *gg_plugin_authorization_thread_data(const gg_plugin_authorization *a)
{
    return gg_plugins_thread_data(a->authorizer->plugin);
}

static void deliver_rows(void *owner, const gg_val *rows, const char *error_type, const char *message,
                         gg_plugins_any_fn done, void *user)
{
    ((gg_plugin_authorization_sql_fn)done)(owner, (const gg_plugin_value *)rows, error_type, message, user);
}

void gg_plugin_authorization_sql(gg_plugin_authorization *a, const char *sql, unsigned param_count,
                                 const char *const *params, gg_plugin_authorization_sql_fn done, void *user)
{
    const char *where = gg_arena_printf(&a->detached.arena, "authorizer %s (plugin %s)", a->authorizer->name,
                                        a->authorizer->plugin->name);
    gg_plugins_detached_sql(&a->detached, where, sql, param_count, params, deliver_rows, (gg_plugins_any_fn)done, user);
}

void gg_plugin_authorization_return(gg_plugin_authorization *a, const cJSON *response)
{
    if (!cJSON_IsObject(response)) {
        gg_log_error("plugin %s: authorizer %s answered with something else than an object",
                     a->authorizer->plugin->name, a->authorizer->name);
        a->done(a->user, NULL, "the authorizer's answer is not an object");
    } else {
        a->done(a->user, response, NULL);
    }
    gg_plugins_detached_answered(&a->detached);
}

void gg_plugin_authorization_fail(gg_plugin_authorization *a, const char *format, ...)
{
    char message[300];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format != NULL ? format : "", ap);
    va_end(ap);
    char failure[400];
    snprintf(failure, sizeof failure, "plugin %s, authorizer %s: %s", a->authorizer->plugin->name, a->authorizer->name,
             message);
    a->done(a->user, NULL, failure);
    gg_plugins_detached_answered(&a->detached);
}
