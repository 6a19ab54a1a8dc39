/* request_guard.c: the guard between a request and the work answering it; see request_guard.h.
 *
 * The guard is malloc'd with two owners. The request's side is a pointer-sized chunk that h2o
 * allocates on the anchor pool with a dispose callback: clearing the pool frees that chunk, whose
 * dispose forgets the target and lets the request's side go. (The chunk must have no other
 * reference: h2o runs a dispose callback only when a chunk's count reaches zero, so a chunk that
 * the work also referenced would outlive the pool silently, and the work would find a freed
 * request. That was the HTTP/2 crash of issue 8.) The work's side lets go in
 * gg_request_guard_finish. The deadline timer is linked only while the work runs, so it needs no
 * owner of its own; while on_deadline runs the guard holds itself, so that nothing that callback
 * causes (an answer, a cancellation) can free it under its feet. */
#include "request_guard.h"

#include "../base/log.h"

#include <stdio.h>
#include <stdlib.h>

struct gg_request_guard {
    unsigned owners;                    /* 2 (request and work), then 1, then freed */
    void *target;                       /* NULL once the request is gone or was answered at the deadline */
    h2o_timeout_entry_t deadline_entry; /* linked while the work runs, when there is a deadline */
    gg_request_deadline_fn on_deadline;
    gg_request_gone_fn on_gone;
    void *data;
};

static void let_go(gg_request_guard *guard)
{
    if (--guard->owners == 0) free(guard);
}

static void on_anchor_cleared(void *chunk)
{
    gg_request_guard *guard = *(gg_request_guard **)chunk;
    bool work_runs = guard->owners == 2 && guard->target != NULL; /* NULL: the deadline cancelled it */
    guard->target = NULL;
    if (work_runs) guard->on_gone(guard, guard->data);
    let_go(guard);
}

static void on_deadline_passed(h2o_timeout_entry_t *entry)
{
    gg_request_guard *guard = H2O_STRUCT_FROM_MEMBER(gg_request_guard, deadline_entry, entry);
    void *target = guard->target;
    guard->target = NULL; /* answered now: the work's completion is dropped */
    guard->owners++;
    guard->on_deadline(guard, target, guard->data);
    let_go(guard);
}

gg_request_guard *gg_request_guard_new(void *target, h2o_mem_pool_t *anchor, h2o_loop_t *loop, h2o_timeout_t *deadline,
                                       gg_request_deadline_fn on_deadline, gg_request_gone_fn on_gone, void *data)
{
    gg_request_guard *guard = calloc(1, sizeof *guard);
    if (guard == NULL) {
        gg_log_error("out of memory");
        abort();
    }
    guard->owners = 2;
    guard->target = target;
    guard->on_deadline = on_deadline;
    guard->on_gone = on_gone;
    guard->data = data;
    gg_request_guard **chunk = h2o_mem_alloc_shared(anchor, sizeof *chunk, on_anchor_cleared);
    *chunk = guard;
    guard->deadline_entry.cb = on_deadline_passed;
    if (deadline != NULL) h2o_timeout_link(loop, deadline, &guard->deadline_entry);
    return guard;
}

void *gg_request_guard_finish(gg_request_guard *guard)
{
    if (h2o_timeout_is_linked(&guard->deadline_entry)) h2o_timeout_unlink(&guard->deadline_entry);
    void *target = guard->target;
    let_go(guard);
    return target;
}
