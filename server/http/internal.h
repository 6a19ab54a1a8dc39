/* internal.h: what the files of server/http share: the server, its workers, route handlers.
 *
 * One gg_server per process: the h2o global configuration, the TLS context and the listening
 * sockets are made once in the main thread and read-only afterwards. Each worker thread owns an
 * event loop, an h2o context, its own dup()s of the listening sockets, its document cache and its
 * PostgreSQL pool.
 * A request finds its worker from req->conn->ctx (the h2o context is the worker's first member). */
#ifndef GG_HTTP_INTERNAL_H
#define GG_HTTP_INTERNAL_H

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <h2o.h>

#include "../auth/auth.h"
#include "../base/trace.h"
#include "../config.h"
#include "../gateway/gateway.h"
#include "../realtime/realtime.h"
#include "server.h"

#define GG_MAX_LISTENERS 3 /* listen, tls.listen, metrics.listen */

typedef struct gg_worker {
    h2o_context_t ctx; /* first: H2O_STRUCT_FROM_MEMBER finds the worker from req->conn->ctx */
    gg_server *server;
    unsigned index;
    pthread_t thread;
    h2o_evloop_t *loop;
    h2o_accept_ctx_t accept_ctx[GG_MAX_LISTENERS];
    h2o_socket_t *listeners[GG_MAX_LISTENERS];
    int listen_fds[GG_MAX_LISTENERS]; /* the fds the listeners wrap (accept4 needs them) */
    h2o_multithread_receiver_t ctl_receiver;
    h2o_multithread_message_t stop_msg;
    bool stopping;
    struct gg_view *view;      /* the generation new requests use, with this thread's caches (generation.h) */
    atomic_int pool_ready;     /* ready connections of its PostgreSQL pool (the pool keeps it; /readyz reads all) */
    struct gg_view *next_view; /* a reload's generation, prepared and not yet committed */
    h2o_multithread_receiver_t reload_receiver; /* the main thread's reload steps (generation.c) */
    h2o_multithread_message_t reload_msg;
    gg_rt_hub *realtime;        /* this thread's websocket connections and subscriptions */
    gg_request_context context; /* handed to every execution on this thread: its pool, the cursor key */
    h2o_linklist_t conns;       /* gg_conn_track of every open client connection (for the drain) */
    unsigned inflight;          /* GraphQL requests being handled on this thread */
    /* Accepting pauses while descriptors or kernel memory run out (a level-triggered listener
     * would wake the loop again at once): the listeners stop being read and this timeout starts
     * them again. accept_burst: a pause happened since the last successful accept. */
    h2o_timeout_t accept_pause_timeout;
    h2o_timeout_entry_t accept_resume;
    bool accept_burst;
    /* For /metrics (issue 15), summed by gg_server_accept_counters from any thread: accept(2)
     * failures other than losing the race to another thread, and pauses of accepting. */
    atomic_uint_fast64_t accept_errors_total;
    atomic_uint_fast64_t accept_pauses_total;
    h2o_timeout_entry_t trim_timer; /* request_limits.c: returns a refused request's memory to the system */
    h2o_timeout_t request_deadline; /* period http.request_timeout_ms (request_guard.h); not set up when 0 */
    struct gg_persisted_queries *persisted_queries; /* this thread's APQ store; NULL: off (persisted_queries.h) */
} gg_worker;

/* An accepted client connection, tracked so that shutdown can close idle keep-alive connections
 * (h2o 2.2.5 keeps idle HTTP/1.1 connections open after h2o_context_request_shutdown), and so
 * that the executions a connection started, including those of streams its client reset, can be
 * bounded (rapid reset). It outlives its socket while such executions still run. */
typedef struct gg_conn_track {
    h2o_linklist_t link;
    h2o_socket_t *sock; /* NULL once closed */
    int fd;
    size_t last_read, last_written;
    uint64_t last_activity;
    bool shut;
    unsigned executions; /* GraphQL executions started on this connection and not completed */
    char source_ip[48];  /* the peer's address as text, written by the first authorized request; "" before */
} gg_conn_track;

typedef struct gg_listener {
    int fd;
    bool tls;
    bool metrics_only; /* metrics.listen: serves metrics.path only (metrics_h2o's host) */
    char address[128]; /* as bound, with the real port */
} gg_listener;

struct gg_server {
    const gg_config *cfg;          /* the start-up configuration: what a reload does not change */
    gg_generation *current;        /* what new requests are served from (generation.h); main thread only */
    gg_generation *generations;    /* current and the replaced ones still in use, newest first */
    struct gg_reload_step *reload; /* the reload in progress (generation.c); NULL between reloads */
    h2o_globalconf_t h2o;
    bool h2o_ready;               /* h2o_config_init done */
    h2o_globalconf_t metrics_h2o; /* the routes of the metrics.listen listener (only its hosts are used) */
    bool metrics_h2o_ready;
    SSL_CTX *ssl_ctx;
    gg_listener listeners[GG_MAX_LISTENERS];
    unsigned listener_count;
    gg_worker *workers;
    unsigned worker_count;
    h2o_barrier_t started;
    atomic_bool shutting_down;
    atomic_bool thread_start_failed; /* a plugin's per-thread start failed (logged): start-up stops */
    atomic_bool ready_answered;      /* /readyz has said 200 once (the start-up breakdown logs when) */
    atomic_bool column_types_unread; /* the current generation's gateway could not read them (not ready) */
    gg_pg_readiness *readiness;
    gg_pg_early *early;                          /* the pools' first connections, opened during start-up (or NULL) */
    bool use_database;                           /* workers open a PostgreSQL pool */
    gg_cursor_key cursor_key;                    /* signs nextToken values (read-only, shared) */
    const gg_pg_replica *replica;                /* the read replica's monitor; NULL: no database.read_url */
    gg_rt_fanout *realtime;                      /* the workers' hubs: events cross threads through it */
    gg_bus *bus;                                 /* events across instances (realtime.bus); NULL: none */
    struct gg_console *console;                  /* console: true (console.h); NULL: off */
    atomic_uint_fast64_t accept_pause_logged_ms; /* when an accept pause was last logged (rate limit) */
};

/* A route handler: h2o's handler plus the server it belongs to. */
typedef struct gg_route {
    h2o_handler_t super;
    gg_server *server;
} gg_route;

/* The worker that runs req. */
static inline gg_worker *gg_worker_of(h2o_req_t *req)
{
    return H2O_STRUCT_FROM_MEMBER(gg_worker, ctx, req->conn->ctx);
}

/* The accept counters of all workers, summed (any thread, while the workers run; for /metrics). */
void gg_server_accept_counters(const gg_server *server, uint64_t *errors_total, uint64_t *pauses_total);
/* The tracked connection req came on (NULL: not an accepted connection). */
gg_conn_track *gg_conn_of(h2o_req_t *req);
/* One execution of t completed (frees t when it is closed and that was the last). */
void gg_conn_execution_done(gg_conn_track *t);
/* Returns the memory freed on w's thread to the system 100 ms from now (malloc_trim), unless
 * another call comes first: request_limits.c after a refusal, server.c each time the thread goes
 * idle, so that a burst of large requests or an attack leaves no memory behind once it is over,
 * while a busy thread (never idle for 100 ms) keeps reusing what it has. */
void gg_worker_trim_later(gg_worker *w);
/* Answers req with a JSON body (len bytes; SIZE_MAX: NUL-terminated), no-store, in one piece. */
void gg_send_json(h2o_req_t *req, int status, const char *reason, const char *body, size_t len);
/* Counts req as in flight on its worker until the request ends. */
void gg_worker_track_request(h2o_req_t *req);
/* The GraphQL endpoint (graphql_handler.c). */
int gg_graphql_on_req(h2o_handler_t *self, h2o_req_t *req);
/* Remembers the operation name of req for the access log. */
void gg_access_log_set_operation(h2o_req_t *req, const char *name, size_t len);
/* Registers the JSON access logger on a path (access_log.c). */
void gg_access_log_register(h2o_pathconf_t *pathconf);
/* The trace of req (base/trace.h), made from its traceparent header on first use; the request
 * holds a reference until it ends (request_trace.c). */
gg_trace *gg_request_trace(h2o_req_t *req);
/* The trace id of req: its trace's, else its valid traceparent's, else a new one. */
void gg_request_trace_id(h2o_req_t *req, char out[GG_TRACE_ID_HEX + 1]);
/* Milliseconds since req began. */
double gg_request_elapsed_ms(h2o_req_t *req);
/* The GraphQL endpoint itself (graphql_handler.c); gg_graphql_on_req calls it with the request's
 * trace current (request_trace.c). */
int gg_graphql_on_req_untraced(h2o_handler_t *self, h2o_req_t *req);
/* Registers the logger writing the slow-request line (log.slow_request_ms > 0) on a path. */
void gg_slow_request_log_register(h2o_pathconf_t *pathconf, unsigned threshold_ms);
/* Registers the handler that refuses requests over http.max_headers or http.max_header_bytes (431)
 * and HTTP/1.1 requests with conflicting Content-Length headers (400); call it before the route's
 * own handler (request_limits.c). */
void gg_request_limits_register(h2o_pathconf_t *pathconf, const gg_config *cfg);
/* Fixes glibc's malloc thresholds so that memory freed after refused requests can go back to the
 * system (request_limits.c says why); call once, before the worker threads start. */
void gg_request_limits_setup_malloc(void);

#endif
