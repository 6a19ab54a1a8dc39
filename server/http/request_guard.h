/* request_guard.h: who owns a client request while asynchronous work answers it.
 *
 * A request (an HTTP/1.1 exchange, an HTTP/2 stream; later a websocket operation) can end before
 * the work started for it completes: the client resets the stream or closes the connection, and
 * h2o frees the request, with its memory pool, at once. Work that completes later (a database
 * result, a plugin's callback) must then neither touch the request nor answer it. A guard is the
 * one object both sides share. It has exactly two owners and is freed when the second lets go:
 *
 *   - the request: the guard is tied to the request's memory pool (the anchor); when h2o clears
 *     that pool, however the request ended, the guard forgets the request;
 *   - the work: it holds the guard until it completes, then calls gg_request_guard_finish, which
 *     hands it the request to answer, or NULL when there is none any more (drop the result).
 *
 * When the request ends while the work runs, on_gone runs once: the work should stop what is
 * cheap to stop (not read results nobody will see) but need not interrupt anything, so that a
 * flood of stream resets does not become a flood of cancellations. The guard also carries the
 * request's deadline (http.request_timeout_ms). When it passes before the work completes,
 * on_deadline runs once: with the request, to answer it (a timeout error), or with NULL when the
 * client is gone already; either way it cancels the work outright. The work's completion still
 * comes afterwards, and is dropped (finish answers NULL).
 *
 * The guard's address names the request's work to whoever can cancel it (the PostgreSQL pool's
 * `owner`). Everything happens on the request's loop thread; nothing here locks. */
#ifndef GG_HTTP_REQUEST_GUARD_H
#define GG_HTTP_REQUEST_GUARD_H

#include <stdbool.h>

#include <h2o.h>

typedef struct gg_request_guard gg_request_guard;

/* The deadline passed before the work completed. target is the request (still unanswered: answer
 * it now) or NULL (its client is gone). Cancels the work; must not free it. */
typedef void (*gg_request_deadline_fn)(gg_request_guard *guard, void *target, void *data);
/* The request ended while the work runs (called while h2o frees it: touch nothing of it). */
typedef void (*gg_request_gone_fn)(gg_request_guard *guard, void *data);

/* A guard for target (an h2o_req_t *, or the object a websocket operation answers through), tied
 * to anchor (the pool h2o clears when target ends: &req->pool). deadline: the loop's timeout whose
 * period is the request deadline, or NULL for none. on_deadline, on_gone and data: see above. The
 * caller is the work's owner; the anchor the request's. */
gg_request_guard *gg_request_guard_new(void *target, h2o_mem_pool_t *anchor, h2o_loop_t *loop, h2o_timeout_t *deadline,
                                       gg_request_deadline_fn on_deadline, gg_request_gone_fn on_gone, void *data);
/* The work completed: returns the request to answer now, or NULL (gone, or answered at the
 * deadline: drop the result). The work lets go of the guard; do not use it afterwards. */
void *gg_request_guard_finish(gg_request_guard *guard);

#endif
