/* api.c: the functions a plugin calls while it resolves a field (include/graphgate/plugin.h), and
 * the one resolver behind every plugin-bound field.
 *
 * A call is a few words in the request arena pointing at the executor's gg_resolve_info; values,
 * the arena and the identity are the executor's and the request context's own objects behind
 * opaque pointers, so a plugin field costs one allocation beyond the executor's own work. The
 * completions hand the value to gg_resolve_return (or the error to gg_resolve_error), exactly as the
 * built-in resolvers do: a synchronous answer continues the walk at once, an asynchronous one (from
 * a later callback of the same loop) resumes it like a PostgreSQL result does. A second completion
 * of the same call is a plugin bug: it is logged and ignored while the call's memory still exists.
 * Every completion goes through gg_plugins_finish(_error), which sends the answer where the call
 * belongs: the field, the next step of a pipeline (pipeline.c, call->finish), or, for a blocking
 * call on a worker thread, its job (workers.c), whose answer is built in the job's own arena. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "base/log.h"
#include "execute/values.h"
#include "plugin_internal.h"
#include "postgres.h"

void gg_plugins_resolve_field(gg_resolve_info *info)
{
    gg_plugin_call *call = gg_arena_alloc(info->arena, sizeof *call);
    call->info = info;
    call->resolver = info->field->resolve_data;
    gg_plugins_invoke(call);
}

void gg_plugins_invoke(gg_plugin_call *call)
{
    if (!call->resolver->blocking) {
        call->resolver->resolve(call);
        return;
    }
    /* The identity parses its claims on first read, writing into itself: do it here, on the thread
     * that owns it, so that the worker thread only reads. */
    const gg_pg_request *request = call->info->context;
    if (request != NULL && request->identity != NULL) gg_auth_identity_claims(request->identity);
    gg_plugins_run_blocking(call);
}

gg_arena *gg_plugins_call_arena(const gg_plugin_call *call)
{
    return call->job != NULL ? gg_plugins_job_arena(call->job) : call->info->arena;
}

/* ---- the call ---- */

const char *gg_plugin_call_field_name(const gg_plugin_call *call)
{
    return call->info->field->name;
}

const char *gg_plugin_call_parent_type(const gg_plugin_call *call)
{
    return call->info->parent_type->name;
}

gg_plugin *gg_plugin_call_plugin(const gg_plugin_call *call)
{
    return call->resolver->plugin;
}

void *gg_plugin_call_resolver_data(const gg_plugin_call *call)
{
    return call->resolver->user_data;
}

void *gg_plugins_thread_data(const gg_plugin *p)
{
    const gg_plugin_thread_slot *slot = p->has_thread_key ? pthread_getspecific(p->thread_key) : NULL;
    return slot ? slot->data : NULL;
}

void *gg_plugin_call_thread_data(const gg_plugin_call *call)
{
    return gg_plugins_thread_data(call->resolver->plugin);
}

static gg_val empty_object = {.kind = GG_VAL_OBJECT};

const gg_plugin_value *gg_plugin_call_arguments(const gg_plugin_call *call)
{
    const gg_val *args = call->info->args;
    return (const gg_plugin_value *)(args != NULL ? args : &empty_object);
}

const gg_plugin_value *gg_plugin_call_parent(const gg_plugin_call *call)
{
    const gg_val *source = call->info->source;
    return (const gg_plugin_value *)(source != NULL && source->kind == GG_VAL_OBJECT ? source : &empty_object);
}

const char *gg_plugin_call_argument_string(const gg_plugin_call *call, const char *name)
{
    return gg_plugin_value_string(gg_plugin_value_member(gg_plugin_call_arguments(call), name), NULL);
}

int64_t gg_plugin_call_argument_int(const gg_plugin_call *call, const char *name, int64_t fallback)
{
    const gg_val *v = (const gg_val *)gg_plugin_value_member(gg_plugin_call_arguments(call), name);
    return v != NULL && v->kind == GG_VAL_INT ? v->i : fallback;
}

double gg_plugin_call_argument_number(const gg_plugin_call *call, const char *name, double fallback)
{
    const gg_val *v = (const gg_val *)gg_plugin_value_member(gg_plugin_call_arguments(call), name);
    return v != NULL && (v->kind == GG_VAL_INT || v->kind == GG_VAL_FLOAT) ? gg_plugin_value_number((const void *)v)
                                                                           : fallback;
}

gg_plugin_arena *gg_plugin_call_arena(const gg_plugin_call *call)
{
    return (gg_plugin_arena *)gg_plugins_call_arena(call);
}

/* ---- pipelines: the previous step's result and the stash ---- */

const gg_plugin_value *gg_plugin_call_previous(const gg_plugin_call *call)
{
    return (const gg_plugin_value *)call->previous;
}

static gg_val empty_stash = {.kind = GG_VAL_OBJECT};

const gg_plugin_value *gg_plugin_call_stash(const gg_plugin_call *call)
{
    return (const gg_plugin_value *)(call->stash != NULL ? call->stash : &empty_stash);
}

/* Stores value (in the request arena) under key; -1 on a worker thread, after completion or without key. */
static int stash_set(gg_plugin_call *call, const char *key, gg_val *value)
{
    if (key == NULL || call->job != NULL || call->completed) {
        gg_log_error("plugin %s: resolver %s: gg_plugin_call_stash_set refused (%s)", call->resolver->plugin->name,
                     call->resolver->name,
                     key == NULL         ? "no key"
                     : call->job != NULL ? "blocking resolvers do not write the stash"
                                         : "the call is completed");
        return -1;
    }
    gg_arena *arena = call->info->arena;
    if (call->stash == NULL) call->stash = gg_val_object(arena, 4);
    gg_val_object_set(arena, call->stash, gg_arena_strdup(arena, key), value != NULL ? value : &gg_val_null_value);
    return 0;
}

int gg_plugin_call_stash_set(gg_plugin_call *call, const char *key, const gg_plugin_value *value)
{
    return stash_set(call, key, (gg_val *)value);
}

int gg_plugin_call_stash_set_cjson(gg_plugin_call *call, const char *key, const cJSON *value)
{
    if (call->job != NULL) return stash_set(call, key, NULL); /* refused, before touching the request arena */
    return stash_set(call, key, value != NULL ? gg_val_from_cjson(call->info->arena, value) : NULL);
}

void *gg_plugin_arena_alloc(gg_plugin_arena *arena, size_t size)
{
    return gg_arena_alloc((gg_arena *)arena, size);
}

char *gg_plugin_arena_strdup(gg_plugin_arena *arena, const char *text)
{
    return gg_arena_strdup((gg_arena *)arena, text ? text : "");
}

/* ---- values ---- */

gg_plugin_value_kind gg_plugin_value_kind_of(const gg_plugin_value *value)
{
    const gg_val *v = (const gg_val *)value;
    switch (v ? v->kind : GG_VAL_NULL) {
    case GG_VAL_BOOL:
        return GG_PLUGIN_VALUE_BOOL;
    case GG_VAL_INT:
        return GG_PLUGIN_VALUE_INT;
    case GG_VAL_FLOAT:
        return GG_PLUGIN_VALUE_FLOAT;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        return GG_PLUGIN_VALUE_STRING;
    case GG_VAL_LIST:
        return GG_PLUGIN_VALUE_LIST;
    case GG_VAL_OBJECT:
        return GG_PLUGIN_VALUE_OBJECT;
    default: /* NULL, UNDEFINED; RAW only in results, never handed to a plugin */
        return GG_PLUGIN_VALUE_NULL;
    }
}

const gg_plugin_value *gg_plugin_value_member(const gg_plugin_value *value, const char *name)
{
    const gg_val *member = gg_val_object_get((const gg_val *)value, name);
    return member != NULL && member->kind != GG_VAL_UNDEFINED ? (const gg_plugin_value *)member : NULL;
}

unsigned gg_plugin_value_count(const gg_plugin_value *value)
{
    const gg_val *v = (const gg_val *)value;
    return v != NULL && (v->kind == GG_VAL_LIST || v->kind == GG_VAL_OBJECT) ? v->count : 0;
}

const gg_plugin_value *gg_plugin_value_item(const gg_plugin_value *value, unsigned i)
{
    const gg_val *v = (const gg_val *)value;
    if (i >= gg_plugin_value_count(value)) return NULL;
    return (const gg_plugin_value *)(v->kind == GG_VAL_LIST ? v->items[i] : v->members[i].value);
}

const char *gg_plugin_value_key(const gg_plugin_value *value, unsigned i)
{
    const gg_val *v = (const gg_val *)value;
    return v != NULL && v->kind == GG_VAL_OBJECT && i < v->count ? v->members[i].key : NULL;
}

const char *gg_plugin_value_string(const gg_plugin_value *value, size_t *length)
{
    const gg_val *v = (const gg_val *)value;
    bool text = v != NULL && (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM);
    if (length != NULL) *length = text ? v->len : 0;
    return text ? v->s : NULL;
}

bool gg_plugin_value_bool(const gg_plugin_value *value)
{
    const gg_val *v = (const gg_val *)value;
    return v != NULL && v->kind == GG_VAL_BOOL && v->b;
}

int64_t gg_plugin_value_int(const gg_plugin_value *value)
{
    const gg_val *v = (const gg_val *)value;
    return v != NULL && v->kind == GG_VAL_INT ? v->i : 0;
}

double gg_plugin_value_number(const gg_plugin_value *value)
{
    const gg_val *v = (const gg_val *)value;
    if (v == NULL) return 0;
    return v->kind == GG_VAL_INT ? (double)v->i : v->kind == GG_VAL_FLOAT ? v->f : 0;
}

cJSON *gg_plugin_value_to_cjson(const gg_plugin_value *value)
{
    return gg_val_to_cjson((const gg_val *)value);
}

/* ---- the identity: the call itself, reading the request context (postgres.h's gg_pg_request) ---- */

static const gg_pg_request *request_of(const gg_plugin_identity *identity)
{
    return ((const gg_plugin_call *)identity)->info->context;
}

static const gg_auth_identity *auth_of(const gg_plugin_identity *identity)
{
    const gg_pg_request *request = request_of(identity);
    return request != NULL ? request->identity : NULL;
}

const gg_plugin_identity *gg_plugin_call_identity(const gg_plugin_call *call)
{
    return (const gg_plugin_identity *)call;
}

gg_plugin_auth_mode gg_plugin_identity_mode(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    switch (id ? id->mode : GG_AUTH_NONE) {
    case GG_AUTH_API_KEY:
        return GG_PLUGIN_AUTH_API_KEY;
    case GG_AUTH_OPENID_CONNECT:
        return GG_PLUGIN_AUTH_OPENID_CONNECT;
    case GG_AUTH_AMAZON_COGNITO_USER_POOLS:
        return GG_PLUGIN_AUTH_AMAZON_COGNITO_USER_POOLS;
    case GG_AUTH_AWS_LAMBDA:
        return GG_PLUGIN_AUTH_AWS_LAMBDA;
    case GG_AUTH_AWS_IAM:
        return GG_PLUGIN_AUTH_AWS_IAM;
    default:
        return GG_PLUGIN_AUTH_NONE;
    }
}

const char *gg_plugin_identity_sub(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    return id ? id->sub : NULL;
}

const char *gg_plugin_identity_username(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    return id ? id->username : NULL;
}

const char *gg_plugin_identity_issuer(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    return id ? id->issuer : NULL;
}

unsigned gg_plugin_identity_group_count(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    return id ? (unsigned)id->group_count : 0;
}

const char *gg_plugin_identity_group(const gg_plugin_identity *identity, unsigned i)
{
    const gg_auth_identity *id = auth_of(identity);
    return id != NULL && i < id->group_count ? id->groups[i] : NULL;
}

const cJSON *gg_plugin_identity_claims(const gg_plugin_identity *identity)
{
    const gg_auth_identity *id = auth_of(identity);
    return id ? gg_auth_identity_claims(id) : NULL;
}

const char *gg_plugin_identity_source_ip(const gg_plugin_identity *identity)
{
    const gg_pg_request *request = request_of(identity);
    return request ? request->source_ip : NULL;
}

/* ---- SQL ---- */

void gg_plugins_sql_failure(gg_arena *arena, const gg_fault *failure, const char **error_type, const char **message)
{
    *error_type = gg_arena_strdup(arena, failure->error_type ? failure->error_type : "DatabaseError");
    *message = gg_arena_strdup(arena, failure->message ? failure->message : "The statement failed.");
}

typedef struct sql_pending {
    gg_plugin_call *call;
    gg_plugin_sql_fn done;
    void *user;
} sql_pending;

static void on_sql_rows(void *user, gg_val *rows, const gg_fault *failure)
{
    sql_pending *p = user;
    gg_arena *arena = p->call->info->arena;
    if (rows != NULL) {
        p->done(p->call, (const gg_plugin_value *)rows, NULL, NULL, p->user);
        return;
    }
    const char *type, *message;
    gg_plugins_sql_failure(arena, failure, &type, &message);
    p->done(p->call, NULL, type, message, p->user);
}

void gg_plugin_call_sql(gg_plugin_call *call, const char *sql, unsigned param_count, const char *const *params,
                        gg_plugin_sql_fn done, void *user)
{
    if (call->job != NULL) { /* a worker thread: the pools belong to the event loops */
        done(call, NULL, "InternalFailure", "gg_plugin_call_sql is not available to blocking resolvers.", user);
        return;
    }
    gg_resolve_info *info = call->info;
    sql_pending *p = gg_arena_alloc(info->arena, sizeof *p);
    *p = (sql_pending){.call = call, .done = done, .user = user};
    const char *where = gg_arena_printf(info->arena, "%s.%s (plugin %s)", info->parent_type->name, info->field->name,
                                        call->resolver->plugin->name);
    gg_pg_query_rows(info->context, info->arena, where, sql, param_count, params, on_sql_rows, p);
}

/* ---- completion ---- */

/* True when call may complete now; a second completion is logged (a plugin bug) and refused. */
static bool completing(gg_plugin_call *call)
{
    if (call->completed) {
        gg_log_error("plugin %s: resolver %s completed the field %s twice (the second answer is ignored)",
                     call->resolver->plugin->name, call->resolver->name, call->info->field->name);
        return false;
    }
    call->completed = true;
    return true;
}

void gg_plugins_finish(gg_plugin_call *call, gg_val *value)
{
    if (value == NULL) value = &gg_val_null_value;
    if (call->job != NULL)
        gg_plugins_job_answer(call->job, value, false, NULL, NULL);
    else if (call->finish != NULL)
        call->finish(call, value, false, NULL, NULL);
    else
        gg_resolve_return(call->info, value);
}

void gg_plugins_finish_error(gg_plugin_call *call, const char *error_type, const char *message)
{
    if (call->job != NULL)
        gg_plugins_job_answer(call->job, NULL, true, error_type, message);
    else if (call->finish != NULL)
        call->finish(call, NULL, true, error_type, message);
    else
        gg_resolve_error(call->info, error_type, "%s", message);
}

static void complete(gg_plugin_call *call, gg_val *value)
{
    if (completing(call)) gg_plugins_finish(call, value);
}

void gg_plugin_return_null(gg_plugin_call *call)
{
    complete(call, &gg_val_null_value);
}

void gg_plugin_return_bool(gg_plugin_call *call, bool value)
{
    complete(call, gg_val_bool(value));
}

void gg_plugin_return_int(gg_plugin_call *call, int64_t value)
{
    complete(call, gg_val_int(gg_plugins_call_arena(call), value));
}

void gg_plugin_return_number(gg_plugin_call *call, double value)
{
    complete(call, isfinite(value) ? gg_val_float(gg_plugins_call_arena(call), value) : &gg_val_null_value);
}

void gg_plugin_return_string(gg_plugin_call *call, const char *value, size_t length)
{
    if (value == NULL) {
        complete(call, &gg_val_null_value);
        return;
    }
    complete(call, gg_val_string(gg_plugins_call_arena(call), value, length == (size_t)-1 ? strlen(value) : length));
}

void gg_plugin_return_cjson(gg_plugin_call *call, const cJSON *value)
{
    complete(call, gg_val_from_cjson(gg_plugins_call_arena(call), value));
}

void gg_plugin_return_value(gg_plugin_call *call, const gg_plugin_value *value)
{
    complete(call, value != NULL ? (gg_val *)value : &gg_val_null_value);
}

void gg_plugin_return_json(gg_plugin_call *call, const char *json, size_t length)
{
    cJSON *parsed = json != NULL ? cJSON_ParseWithLength(json, length == (size_t)-1 ? strlen(json) : length) : NULL;
    if (parsed == NULL) {
        gg_log_error("plugin %s: resolver %s answered the field %s with text that is not JSON",
                     call->resolver->plugin->name, call->resolver->name, call->info->field->name);
        if (completing(call)) gg_plugins_finish_error(call, "InternalFailure", "The resolver's answer is not JSON.");
        return;
    }
    complete(call, gg_val_from_cjson(gg_plugins_call_arena(call), parsed));
    cJSON_Delete(parsed);
}

void gg_plugin_fail(gg_plugin_call *call, const char *error_type, const char *format, ...)
{
    if (!completing(call)) return;
    gg_arena *arena = gg_plugins_call_arena(call);
    va_list ap;
    va_start(ap, format);
    char *message = gg_arena_vprintf(arena, format ? format : "", ap);
    va_end(ap);
    const char *type = error_type != NULL ? gg_arena_strdup(arena, error_type) : NULL;
    gg_plugins_finish_error(call, type, message);
}
