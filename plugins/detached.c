/* detached.c: what plugin handles that answer apart from a resolver call share (plugin_internal.h's
 * gg_plugins_detached): authorizations (authorizer.c) and conflicts (conflict.c). Such a handle may
 * send statements of its own and may answer while some are still in flight; their results are then
 * dropped, and the last one frees the handle. Everything a statement's result needs lives in the
 * handle's arena, so it stays valid until then. */
#include "base/arena.h"
#include "plugin_internal.h"
#include "postgres.h"

typedef struct detached_statement {
    gg_plugins_detached *handle;
    gg_plugins_detached_rows_fn deliver;
    gg_plugins_any_fn done;
    void *user;
} detached_statement;

void gg_plugins_detached_init(gg_plugins_detached *handle, const gg_pg_request *pg, void (*free_handle)(void *),
                              void *owner)
{
    *handle = (gg_plugins_detached){.has_pg = pg != NULL, .free_handle = free_handle, .owner = owner};
    if (pg != NULL) handle->pg = *pg;
    gg_arena_init(&handle->arena);
}

static void on_rows(void *user, gg_val *rows, const gg_fault *failure)
{
    detached_statement *s = user;
    gg_plugins_detached *handle = s->handle;
    handle->pending--;
    if (handle->answered) {
        gg_plugins_detached_answered(handle);
        return;
    }
    const char *type = NULL, *message = NULL;
    if (rows == NULL) gg_plugins_sql_failure(&handle->arena, failure, &type, &message);
    s->deliver(handle->owner, rows, type, message, s->done, s->user);
}

void gg_plugins_detached_sql(gg_plugins_detached *handle, const char *where, const char *sql, unsigned param_count,
                             const char *const *params, gg_plugins_detached_rows_fn deliver, gg_plugins_any_fn done,
                             void *user)
{
    detached_statement *s = gg_arena_alloc(&handle->arena, sizeof *s);
    *s = (detached_statement){.handle = handle, .deliver = deliver, .done = done, .user = user};
    handle->pending++;
    gg_pg_query_rows(handle->has_pg ? &handle->pg : NULL, &handle->arena, where, sql, param_count, params, on_rows, s);
}

void gg_plugins_detached_answered(gg_plugins_detached *handle)
{
    handle->answered = true;
    if (handle->pending > 0) return; /* the last result frees it */
    gg_arena_free(&handle->arena);
    handle->free_handle(handle->owner);
}
