/* pg_pool.c: non-blocking, pipelined PostgreSQL connections on an h2o loop; see pg_pool.h.
 *
 * Per connection, a FIFO of expected replies: PREPARE and DEALLOCATE (results until NULL, only
 * checked), QUERY (results until NULL; the first result is the answer) and SYNC (exactly one
 * PGRES_PIPELINE_SYNC, which is not followed by NULL). A successful query is answered only at its
 * sync, when its implicit transaction has committed: an error at commit (a deferred constraint)
 * arrives before the PGRES_PIPELINE_SYNC and becomes the answer instead. Reading drains the FIFO while libpq has
 * complete results (PQisBusy == 0). A connection is in one of three states: DOWN (waiting for the
 * retry timer), CONNECTING (driving PQconnectPoll/PQresetPoll from socket events) and READY.
 * The socket handed to h2o is a dup() of libpq's, because h2o_socket_close closes its fd, and it
 * is wrapped again after every connect step because libpq may open a new socket.
 *
 * Batching: libpq 15 flushes at every sync, so each query would be its own TCP segment and wake
 * the backend once (on a shared core, a context switch each way). Queries sent while the loop
 * handles one round of events are held back with TCP_CORK instead, and the cork is pulled by a
 * zero timeout that h2o runs at the end of the same loop iteration: the backend wakes once for
 * all the queries that round produced; they all go to the connection the round's first query
 * went to (the least busy one then), so that one backend wakes, not several; after ROUND_MAX
 * queries the round moves on to the next least busy connection, so that a large round does not
 * queue everything behind one backend. Connections that
 * are not TCP (Unix sockets) skip this.
 *
 * Prepared statements: each connection keeps at most max_prepared of them in its statement cache
 * (statement_cache.c: named after a hash of the text, least recently used first; a hash collision
 * runs unprepared). When a connection is full, the least recently used entry is forgotten and a
 * DEALLOCATE for it is sent (PQsendQueryParams: libpq 15 has no PQsendClosePrepared) followed by
 * its own sync point, so that its failure (26000 when the statement's PREPARE failed too) can
 * abort no query and no query's transaction. Statements sent earlier in the pipeline still run
 * first: the server handles messages in order. A failed PREPARE removes its entry, so the next
 * query of that text prepares it again; an entry remembers which PREPARE created it
 * (prepare_seq), so a late failure never removes a newer entry of the same text. Its error
 * (shared, counted) is the answer of every query in flight that executes that statement: the one
 * sent with it is only "aborted", and later ones, sent while the PREPARE was in flight, would only
 * say that the statement does not exist. A new session (reconnect) starts with an empty cache.
 *
 * Cancellation: gg_pg_pool_cancel marks its owner's queries, which are then answered
 * GG_PG_CANCELLED without their result being looked at. With interrupt, a marked query is also
 * cancelled on the server once it is the statement the backend runs (the first item of the FIFO,
 * or the second after its own PREPARE: every reply before it has arrived) and every query in
 * flight on that connection is marked. PQcancel reaches whatever the backend runs when the signal
 * lands, and a query behind the target could be hit should the target end first; with all of
 * them cancelled, no other request's statement can be. Then PQgetCancel copies the connection's
 * cancel key and a detached thread sends the request (PQcancel opens a connection of its own and
 * waits for the server: it must not run on the loop). A connection has at most one cancel request
 * out, for the query it named, and new queries go elsewhere meanwhile when they can; the next
 * marked query's turn comes when that one is answered (conn_drain checks after every round of
 * replies), unless its statement's PREPARE failed (it then fails at once). While a PREPARE is
 * being interrupted, new queries of its text run unprepared, so that its failure is nobody
 * else's. A cancel request is sent once; a statement it misses ends at statement_timeout.
 * Queries never leave the pipeline: each is answered.
 *
 * Pooled (database.pooler "pgbouncer-transaction"): PgBouncer in transaction mode hands each
 * transaction (here: each sync segment) to whichever server connection is free, and refuses
 * startup options. So statement_timeout is not a startup option: "SET LOCAL statement_timeout"
 * (ITEM_SETTING) goes first in each query's segment, in the same implicit transaction, written
 * in the same packet (no round trip of its own), and it ends with that transaction: the server
 * connection returns to PgBouncer without it. Prepared statements (PgBouncer before 1.21 does not
 * track them) live on the server connections: the cache of a graphgate connection only says what
 * it prepared somewhere. A query executed by name on a server connection that lacks the statement
 * fails with 26000 (nothing ran): its entry is forgotten and the query is sent again, which
 * prepares it there; a PREPARE on a server connection that has it already fails with 42P05 and
 * aborts its query: the entry is kept and the query is sent again, by name. The third send of a
 * query is unprepared, so that a query never bounces more than twice. Each server connection thus
 * ends up with the statements in use, and planning is paid once per statement and server
 * connection as without a pooler (tests/bench/pgbouncer.sh measures this against unnamed
 * statements). To be sent again a pooled query keeps a copy of its text and values
 * (statement_copy). Statements evicted from a graphgate connection's cache are deallocated on
 * whichever server connection runs the DEALLOCATE; the others keep theirs until PgBouncer closes
 * them (server_lifetime).
 *
 * DateStyle: the rows plan reads dates and times in their ISO text (gg_pg_wire_text), PostgreSQL's
 * default, which a database or role can change (ALTER DATABASE ... SET DateStyle). libpq keeps the
 * session's value from the server's ParameterStatus messages; when it is not ISO (at connect, or
 * before a query, should a statement have set another), "SET DateStyle = ISO" is sent in a sync
 * segment of its own (ITEM_DATE_STYLE), which every later query on the connection follows, and
 * checked at its sync (the server reports a changed setting just before it is ready again): a
 * session that stays in another style is dropped and connected again.
 * PgBouncer tracks DateStyle per client and sets it on each server connection that runs the
 * client's transactions. TimeZone needs nothing: the offsets in the text are read. */
#include "pg_pool.h"

#include "base/log.h"
#include "base/trace.h"
#include "metrics/metrics.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connect.h"
#include "statement_cache.h"

enum { ROUND_MAX = 32 };      /* queries of one loop iteration sent to one connection */
enum { EXTRA_READS_MAX = 6 }; /* conn_read's early reads per PGconn: its buffer stays <= 16 KB << 6 */
enum { POOLED_ATTEMPTS = 3 }; /* pooled: sends of one query; the last one runs unprepared (see the top) */
enum { WAITING_MAX = 4096 };  /* queries waiting for a ready connection, per pool (pg_pool.h) */

/* Pooled: a query's text and values, kept to send it again (one allocation). */
typedef struct statement_copy {
    unsigned attempt; /* sends so far */
    int param_count;
    int result_format;
    const char *sql;
    const char **values; /* param_count of them, NULL for SQL NULL */
} statement_copy;

/* A query that found no connection ready, waiting for one (pg_pool.h): its own copy of the text
 * and values (the caller's do not outlive the call), its deadline, its request's trace. */
typedef struct pg_waiter {
    h2o_linklist_t link;          /* gg_pg_pool.waiters, oldest first */
    h2o_timeout_entry_t deadline; /* in gg_pg_pool.wait_timeout: answered unavailable when it fires */
    struct gg_pg_pool *pool;
    const void *owner;
    statement_copy *copy;
    gg_pg_result_cb cb;
    void *user;
    gg_trace *trace; /* a reference, or NULL */
    bool cancelled;  /* gg_pg_pool_cancel: answered GG_PG_CANCELLED at the end of the loop iteration */
} pg_waiter;

typedef enum { ITEM_PREPARE, ITEM_DEALLOCATE, ITEM_SETTING, ITEM_DATE_STYLE, ITEM_QUERY, ITEM_SYNC } item_kind;

typedef struct pg_item {
    h2o_linklist_t link;
    item_kind kind;
    gg_pg_result_cb cb;
    void *user;
    const void *owner;                  /* QUERY: the request it works for (gg_pg_pool_cancel), or NULL */
    bool cancelled;                     /* QUERY: gg_pg_pool_cancel: answered GG_PG_CANCELLED */
    bool cancel_wanted;                 /* QUERY: ... with interrupt: cancelled on the server when it runs */
    PGresult *result;                   /* first result of a PREPARE or QUERY */
    uint64_t sent_ns;                   /* QUERY: when it was sent (metrics/metrics.h) */
    gg_trace *trace;                    /* QUERY: the trace current when it was sent (a reference; NULL: none):
                                         * its time in PostgreSQL runs until the answer, and it is current
                                         * again while the callback runs, so what the callback logs or sends
                                         * belongs to the same request (base/trace.h) */
    uint64_t statement;                 /* PREPARE: the hash that names the statement */
    uint64_t prepare_seq;               /* PREPARE: the connection's count of PREPAREs when this one was sent;
                                         * QUERY: the PREPARE of the statement it executes (0: unprepared) */
    struct pg_item *query;              /* SYNC: the query (taken out of the FIFO) answered when this sync
                                         * confirms its commit */
    struct shared_error *prepare_error; /* QUERY: its PREPARE's error, reported instead of
                                         * "pipeline aborted" or "prepared statement does not exist" */
    statement_copy *copy;               /* QUERY, pooled and prepared: to send it again */
    bool date_style;                    /* SYNC: ends the SET DateStyle segment (the server reports
                                         * the new value just before it): checked here */
} pg_item;

/* A failed PREPARE's error, shared by every query in flight that executes that statement. */
typedef struct shared_error {
    unsigned refs;
    PGresult *result;
} shared_error;

typedef enum { CONN_DOWN, CONN_CONNECTING, CONN_READY } conn_state;

typedef struct pg_conn {
    gg_pg_pool *pool;
    PGconn *pg;
    conn_state state;
    bool resetting; /* connecting through PQresetPoll rather than PQconnectPoll */
    h2o_socket_t *sock;
    h2o_linklist_t items; /* FIFO of pg_item */
    unsigned queries_in_flight;
    gg_pg_statement_cache prepared; /* statements of this session */
    uint64_t prepare_seq;           /* PREPAREs sent on this connection, ever */
    h2o_timeout_entry_t retry_entry;
    bool corked;            /* TCP_CORK set: queries wait for the end of the loop iteration */
    bool no_cork;           /* the socket refused TCP_CORK (not TCP) */
    unsigned round_queries; /* queries sent since the loop iteration began */
    pg_item *cancelling;    /* the query a cancel request was sent for, until it is answered */
    bool date_style_sent;   /* a SET DateStyle = ISO is in flight (see the top) */
    unsigned extra_reads;   /* conn_read's reads before parsing on this PGconn (see there) */
    bool answer_split;      /* a wake has read only part of an answer: conn_read may read again (see there) */
    uint64_t results_taken; /* PQgetResult calls that returned (conn_drain): on_readable's progress */
    uint64_t ready_since;   /* h2o_now() when it became ready: one lost after serving that long reconnects at once */
    bool doomed;     /* a FATAL error came (the backend is ending): no new query goes to it before it reconnects */
    bool retry_slow; /* retry_entry waits a whole reconnect interval (conn_schedule_retry) */
} pg_conn;

struct gg_pg_pool {
    h2o_loop_t *loop;
    pg_conn *conns;
    unsigned size;
    h2o_timeout_t retry_timeout;
    h2o_timeout_t
        waiting_retry_timeout;        /* a quarter of retry_timeout: while statements wait (see conn_schedule_retry) */
    h2o_timeout_t zero_timeout;       /* runs at the end of the current loop iteration */
    h2o_timeout_entry_t uncork_entry; /* linked while some connection is corked */
    pg_conn *batch;                   /* the corked connection this loop iteration's queries go to */
    gg_pg_pool_stats stats;
    char last_error[256];
    bool destroying;
    bool others_waiting;   /* only the first connection has been started (see gg_pg_pool_create) */
    atomic_int *ready_out; /* gg_pg_pool_config.ready_count */
    char *conninfo;
    unsigned statement_timeout_ms;
    unsigned max_prepared; /* per connection; 0: never prepare */
    bool pooled;           /* a pooler in transaction mode (see the top) */
    char set_timeout[64];  /* pooled: the SET LOCAL sent before each query; "": none */
    unsigned reconnect_interval_ms;
    unsigned wait_ms;                /* how long a query waits for a ready connection; 0: not at all */
    h2o_timeout_t wait_timeout;      /* wait_ms: the waiters' deadlines */
    h2o_linklist_t waiters;          /* pg_waiter, oldest first */
    unsigned waiting;                /* their number */
    h2o_timeout_entry_t flush_entry; /* in zero_timeout: sends the waiters / answers the cancelled ones */
};

static void conn_start(pg_conn *c);
static void conn_lost(pg_conn *c, const char *why);
static void conn_connect_step(pg_conn *c);
static void waiter_answer(gg_pg_pool *pool, pg_waiter *w, gg_pg_status status);
static void on_flush_waiters(h2o_timeout_entry_t *entry);

/* ---- helpers ---- */

static void pool_note_error(gg_pg_pool *pool, const char *msg)
{
    snprintf(pool->last_error, sizeof pool->last_error, "%s", msg ? msg : "unknown error");
    size_t n = strlen(pool->last_error);
    while (n > 0 && (pool->last_error[n - 1] == '\n' || pool->last_error[n - 1] == ' '))
        pool->last_error[--n] = '\0';
    /* PgBouncer's answer to the statement_timeout startup option: say what to set */
    if (strstr(pool->last_error, "unsupported startup parameter") != NULL)
        snprintf(pool->last_error + n, sizeof pool->last_error - n, "%s",
                 " (a connection pooler? set database.pooler to pgbouncer-transaction)");
}

/* A connection became ready (+1) or stopped being ready (-1): the gauge and the caller's count. */
static void pool_count_ready(gg_pg_pool *pool, int delta)
{
    if (delta == 0) return;
    gg_metrics_gauge_add(GG_METRIC_PG_POOL_READY, delta);
    if (pool->ready_out != NULL) atomic_fetch_add_explicit(pool->ready_out, delta, memory_order_relaxed);
}

static void notice_to_nowhere(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* server notices (e.g. FATAL on shutdown) must not go to stderr per query */
}

/* ---- socket plumbing ---- */

static void conn_detach(pg_conn *c)
{
    if (c->sock != NULL) {
        h2o_socket_read_stop(c->sock);
        h2o_socket_close(c->sock); /* closes only our dup() */
        c->sock = NULL;
    }
}

static void on_readable(h2o_socket_t *sock, const char *err);
static void on_writable(h2o_socket_t *sock, const char *err);

static bool conn_attach(pg_conn *c)
{
    conn_detach(c);
    int fd = PQsocket(c->pg);
    if (fd < 0) return false;
    int copy = dup(fd);
    if (copy < 0) return false;
    c->corked = false; /* a new socket (libpq may open one per connect step) */
    c->no_cork = false;
    c->sock = h2o_evloop_socket_create(c->pool->loop, copy, H2O_SOCKET_FLAG_DONT_READ);
    c->sock->data = c;
    h2o_socket_read_start(c->sock, on_readable);
    return true;
}

static void conn_flush(pg_conn *c)
{
    int r = PQflush(c->pg);
    if (r < 0) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    if (r == 1 && c->sock != NULL && !h2o_socket_is_writing(c->sock)) h2o_socket_notify_write(c->sock, on_writable);
}

/* Holds this connection's writes until the end of the loop iteration (see the top). */
static void conn_cork(pg_conn *c)
{
    if (c->corked || c->no_cork) return;
    int on = 1;
    if (setsockopt(PQsocket(c->pg), IPPROTO_TCP, TCP_CORK, &on, sizeof on) != 0) {
        c->no_cork = true;
        return;
    }
    c->corked = true;
    if (c->pool->batch == NULL || c->pool->batch->round_queries >= ROUND_MAX) c->pool->batch = c;
    if (!h2o_timeout_is_linked(&c->pool->uncork_entry))
        h2o_timeout_link(c->pool->loop, &c->pool->zero_timeout, &c->pool->uncork_entry);
}

static void conn_uncork(pg_conn *c)
{
    c->round_queries = 0;
    if (!c->corked) return;
    c->corked = false;
    int off = 0;
    if (c->pg != NULL && PQsocket(c->pg) >= 0)
        (void)setsockopt(PQsocket(c->pg), IPPROTO_TCP, TCP_CORK, &off, sizeof off);
}

static void on_uncork(h2o_timeout_entry_t *entry)
{
    gg_pg_pool *pool = H2O_STRUCT_FROM_MEMBER(gg_pg_pool, uncork_entry, entry);
    pool->batch = NULL;
    for (unsigned i = 0; i < pool->size; i++)
        conn_uncork(&pool->conns[i]);
}

/* ---- cancellation (see the top) ---- */

static void *send_cancel_request(void *arg)
{
    PGcancel *cancel = arg;
    char why[256];
    if (!PQcancel(cancel, why, sizeof why)) gg_log_warn("postgres: a cancel request failed: %s", why);
    PQfreeCancel(cancel);
    return NULL;
}

/* Asks the server, from a thread of its own, to cancel what c's backend runs (for q). */
static void conn_send_cancel(pg_conn *c, pg_item *q)
{
    c->cancelling = q;
    PGcancel *cancel = PQgetCancel(c->pg);
    if (cancel == NULL) return; /* out of memory: statement_timeout ends it */
    pthread_attr_t attr;
    pthread_t thread;
    bool started = pthread_attr_init(&attr) == 0 && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                   pthread_create(&thread, &attr, send_cancel_request, cancel) == 0;
    pthread_attr_destroy(&attr);
    if (started)
        c->pool->stats.cancels++;
    else
        PQfreeCancel(cancel);
}

/* The query c's backend runs now: the first item of the FIFO, or the second after its own
 * PREPARE (every reply before it has arrived, so the backend is past them); else NULL. */
static pg_item *running_query(pg_conn *c)
{
    if (h2o_linklist_is_empty(&c->items)) return NULL;
    pg_item *first = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
    if (first->kind == ITEM_QUERY) return first;
    if (first->kind != ITEM_PREPARE || first->link.next == &c->items) return NULL;
    pg_item *second = H2O_STRUCT_FROM_MEMBER(pg_item, link, first->link.next);
    return second->kind == ITEM_QUERY ? second : NULL;
}

/* True when no query in flight on c wants its answer any more: only then may a cancel request go
 * out, since whatever it reaches (the statement running, the PREPARE before it, the statement
 * after it should the first end just before) then belongs to a cancelled query. */
static bool all_cancelled(pg_conn *c)
{
    for (h2o_linklist_t *l = c->items.next; l != &c->items; l = l->next) {
        const pg_item *q = H2O_STRUCT_FROM_MEMBER(pg_item, link, l);
        if (q->kind == ITEM_QUERY && !q->cancelled) return false;
    }
    return true;
}

/* Cancels the running query when it was asked for and no cancel request is out. */
static void conn_cancel_running(pg_conn *c)
{
    if (c->state != CONN_READY || c->cancelling != NULL) return;
    pg_item *q = running_query(c);
    /* a query whose PREPARE failed fails at once: a cancel sent for it would hit the next one */
    if (q == NULL || !q->cancel_wanted || q->prepare_error != NULL || !all_cancelled(c)) return;
    pg_item *first = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
    if (first != q) {
        gg_pg_prepared *e = gg_pg_statement_cache_created_by(&c->prepared, first->statement, first->prepare_seq);
        if (e != NULL) e->interrupted = true;
    }
    conn_send_cancel(c, q);
}

/* ---- replies ---- */

/* A query's failure that its statement's failed PREPARE explains: aborted with it, or run later by
 * name (26000, invalid_sql_statement_name). */
static bool missing_statement(const PGresult *r)
{
    if (r == NULL || PQresultStatus(r) == PGRES_PIPELINE_ABORTED) return true;
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return state != NULL && strcmp(state, "26000") == 0;
}

static const char *sqlstate_of(const PGresult *r)
{
    const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL ? state : "";
}

/* Pooled: the query failed only because the server connection PgBouncer gave it lacked its
 * statement (26000), or had it already when it was to be prepared (42P05, which aborted it). */
static bool pooled_miss(const pg_item *q)
{
    if (strcmp(sqlstate_of(q->result), "26000") == 0) return true;
    return q->prepare_error != NULL && missing_statement(q->result) &&
           strcmp(sqlstate_of(q->prepare_error->result), "42P05") == 0;
}

static void pool_send(gg_pg_pool *pool, const void *owner, statement_copy *copy, const char *sql, int param_count,
                      const char *const *values, int result_format, gg_pg_result_cb cb, void *user);

/* The session's DateStyle writes dates in ISO (see the top). */
static bool date_style_is_iso(const PGconn *pg)
{
    const char *style = PQparameterStatus(pg, "DateStyle");
    return style != NULL && strncmp(style, "ISO", 3) == 0;
}

static pg_item *push_item(pg_conn *c, item_kind kind);

/* Sends SET DateStyle = ISO in a sync segment of its own unless the session has that style or is
 * being set to it (see the top). False when libpq refused to send. */
static bool conn_keep_iso_dates(pg_conn *c)
{
    if (c->date_style_sent || date_style_is_iso(c->pg)) return true;
    if (PQsendQueryParams(c->pg, "SET DateStyle = ISO", 0, NULL, NULL, NULL, NULL, 0) != 1) return false;
    push_item(c, ITEM_DATE_STYLE);
    if (PQpipelineSync(c->pg) != 1) return false;
    push_item(c, ITEM_SYNC)->date_style = true;
    c->date_style_sent = true;
    c->pool->stats.datestyles++;
    return true;
}

bool gg_pg_session_ended(gg_pg_status status, const PGresult *result)
{
    if (status == GG_PG_LOST) return true;
    if (status != GG_PG_ERROR) return false;
    const char *state = sqlstate_of(result);
    return strncmp(state, "57P0", 4) == 0 || strncmp(state, "08", 2) == 0;
}

static void item_free(pg_item *item)
{
    if (item->result != NULL) PQclear(item->result);
    if (item->prepare_error != NULL && --item->prepare_error->refs == 0) {
        PQclear(item->prepare_error->result);
        free(item->prepare_error);
    }
    free(item->copy);
    free(item);
}

/* The query whose callback runs on this thread (gg_pg_pool_keep_result). */
static _Thread_local pg_item *item_answering;

PGresult *gg_pg_pool_keep_result(const PGresult *result)
{
    if (item_answering == NULL || result == NULL || item_answering->result != result) return NULL;
    PGresult *kept = item_answering->result;
    item_answering->result = NULL;
    return kept;
}

static void item_finish(pg_conn *c, pg_item *item, gg_pg_status status)
{
    if (h2o_linklist_is_linked(&item->link)) h2o_linklist_unlink(&item->link);
    if (c->cancelling == item) c->cancelling = NULL;
    if (item->kind == ITEM_QUERY && status == GG_PG_ERROR && !item->cancelled && item->copy != NULL &&
        item->copy->attempt < POOLED_ATTEMPTS && pooled_miss(item)) {
        /* sent again: by name once more, or prepared where missing (this connection forgets it) */
        c->queries_in_flight--;
        gg_metrics_pg_statement_done(item->sent_ns, true, c->queries_in_flight == 0);
        if (strcmp(sqlstate_of(item->result), "26000") == 0) {
            gg_pg_statement_key key;
            gg_pg_statement_key_of(item->copy->sql, &key);
            gg_pg_statement_cache_forget(&c->prepared, key.hash, item->prepare_seq);
        }
        statement_copy *copy = item->copy;
        item->copy = NULL;
        const void *owner = item->owner;
        gg_pg_result_cb cb = item->cb;
        void *user = item->user;
        gg_trace *trace = item->trace; /* the request's: current while the query is sent again (the new
                                        * item takes a reference of its own; the trace counts it again) */
        item_free(item);
        c->pool->stats.resends++;
        gg_trace *previous = gg_trace_enter(trace);
        if (trace != NULL) gg_trace_pg_done(trace);
        pool_send(c->pool, owner, copy, copy->sql, copy->param_count, copy->values, copy->result_format, cb, user);
        gg_trace_leave(previous);
        gg_trace_release(trace);
        return;
    }
    if (item->kind == ITEM_QUERY) {
        c->queries_in_flight--;
        if (item->cancelled) status = GG_PG_CANCELLED;
        gg_metrics_pg_statement_done(item->sent_ns, status == GG_PG_OK || status == GG_PG_CANCELLED,
                                     c->queries_in_flight == 0);
        if (status != GG_PG_OK && status != GG_PG_CANCELLED) c->pool->stats.failures++;
        const PGresult *shown = status == GG_PG_CANCELLED ? NULL : item->result;
        if (status == GG_PG_ERROR && item->prepare_error != NULL && missing_statement(shown))
            shown = item->prepare_error->result;                                           /* the cause */
        if (status == GG_PG_ERROR && gg_pg_session_ended(status, shown)) c->doomed = true; /* the close follows */
        gg_trace *previous = NULL;
        if (item->trace != NULL) {
            gg_trace_pg_done(item->trace);
            previous = gg_trace_enter(item->trace);
        }
        if (item->cb != NULL) {
            pg_item *outer = item_answering; /* a callback may finish another query */
            item_answering = item;
            item->cb(item->user, status, shown);
            item_answering = outer;
        }
        if (item->trace != NULL) {
            gg_trace_leave(previous);
            gg_trace_release(item->trace);
        }
    }
    item_free(item);
}

/* Hands a failed PREPARE's error to the queries in flight after it that execute its statement (the
 * one sent with it is aborted, later ones find no such statement). Takes prepare->result. */
static void share_prepare_error(pg_conn *c, pg_item *prepare)
{
    shared_error *shared = malloc(sizeof *shared);
    if (shared == NULL) return; /* the queries then report their own errors */
    *shared = (shared_error){.refs = 0, .result = prepare->result};
    prepare->result = NULL;
    for (h2o_linklist_t *l = prepare->link.next; l != &c->items; l = l->next) {
        pg_item *q = H2O_STRUCT_FROM_MEMBER(pg_item, link, l);
        if (q->kind == ITEM_QUERY && q->prepare_seq == prepare->prepare_seq && q->prepare_error == NULL) {
            q->prepare_error = shared;
            shared->refs++;
        }
    }
    if (shared->refs == 0) {
        PQclear(shared->result);
        free(shared);
    }
}

static gg_pg_status result_status(const PGresult *r)
{
    switch (PQresultStatus(r)) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
        return GG_PG_OK;
    default:
        return GG_PG_ERROR;
    }
}

/* Consumes every complete reply, in order. */
static void conn_drain(pg_conn *c)
{
    while (!h2o_linklist_is_empty(&c->items) && !PQisBusy(c->pg)) {
        pg_item *item = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
        PGresult *r = PQgetResult(c->pg);
        c->results_taken++;
        if (item->kind == ITEM_SYNC) {
            if (r == NULL) continue; /* the NULL that ends the previous query's results */
            ExecStatusType st = PQresultStatus(r);
            pg_item *q = item->query;
            if (st != PGRES_PIPELINE_SYNC && q != NULL && result_status(q->result) == GG_PG_OK) {
                PQclear(q->result); /* the commit failed (a deferred constraint ...): that is the answer */
                q->result = r;
            } else {
                PQclear(r);
            }
            if (st == PGRES_PIPELINE_SYNC && item->date_style) {
                c->date_style_sent = false;
                item_finish(c, item, GG_PG_OK);
                if (!date_style_is_iso(c->pg)) {
                    const char *style = PQparameterStatus(c->pg, "DateStyle");
                    char why[200];
                    snprintf(why, sizeof why, "the session's DateStyle (%s) could not be set to ISO",
                             style ? style : "not reported");
                    conn_lost(c, why);
                    return;
                }
                continue;
            }
            if (st == PGRES_PIPELINE_SYNC) {
                item->query = NULL;
                item_finish(c, item, GG_PG_OK); /* first: q's callback may send queries, or lose the connection */
                if (q != NULL) item_finish(c, q, result_status(q->result));
            }
            continue;
        }
        if (r != NULL) {
            if (item->result == NULL)
                item->result = r;
            else
                PQclear(r);
            continue;
        }
        /* NULL: the end of this item's results */
        if (item->kind == ITEM_SETTING) { /* its failure aborts its query, which says why */
            item_finish(c, item, GG_PG_OK);
            continue;
        }
        if (item->kind == ITEM_DATE_STYLE) {
            if (item->result != NULL && result_status(item->result) != GG_PG_OK)
                pool_note_error(c->pool, PQresultErrorMessage(item->result)); /* the sync drops the session */
            item_finish(c, item, GG_PG_OK);
            continue;
        }
        if (item->kind == ITEM_DEALLOCATE) {
            /* 26000: that statement's PREPARE failed as well, nothing was left to free */
            const char *state = item->result ? PQresultErrorField(item->result, PG_DIAG_SQLSTATE) : NULL;
            if (item->result != NULL && result_status(item->result) != GG_PG_OK &&
                (state == NULL || strcmp(state, "26000") != 0))
                pool_note_error(c->pool, PQresultErrorMessage(item->result));
            item_finish(c, item, GG_PG_OK);
            continue;
        }
        if (item->kind == ITEM_PREPARE) {
            if (item->result != NULL && result_status(item->result) != GG_PG_OK) {
                /* not prepared after all: the next query of this text prepares it again (unless the
                 * entry is gone already, or is a newer one of the same text); pooled, 42P05 says the
                 * server connection has it already: it is kept and executed by name */
                if (!c->pool->pooled || strcmp(sqlstate_of(item->result), "42P05") != 0) {
                    pool_note_error(c->pool, PQresultErrorMessage(item->result));
                    gg_pg_statement_cache_forget(&c->prepared, item->statement, item->prepare_seq);
                }
                share_prepare_error(c, item);
            } else { /* the cancel came too late */
                gg_pg_prepared *e = gg_pg_statement_cache_created_by(&c->prepared, item->statement, item->prepare_seq);
                if (e != NULL) e->interrupted = false;
            }
            item_finish(c, item, GG_PG_OK);
            continue;
        }
        gg_pg_status status = item->result == NULL ? GG_PG_ERROR : result_status(item->result);
        if (status == GG_PG_OK) c->pool->stats.statements++;
        pg_item *next = item->link.next != &c->items ? H2O_STRUCT_FROM_MEMBER(pg_item, link, item->link.next) : NULL;
        if (status == GG_PG_OK && next != NULL && next->kind == ITEM_SYNC) {
            /* answered once its sync point confirms the implicit transaction committed */
            h2o_linklist_unlink(&item->link);
            next->query = item;
            continue;
        }
        item_finish(c, item, status);
    }
    conn_cancel_running(c);
}

static void fail_items(pg_conn *c)
{
    while (!h2o_linklist_is_empty(&c->items)) {
        pg_item *item = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
        if (item->result != NULL) {
            PQclear(item->result);
            item->result = NULL;
        }
        pg_item *q = item->kind == ITEM_SYNC ? item->query : NULL; /* a query waiting for its commit */
        item->query = NULL;
        if (q != NULL) {
            PQclear(q->result);
            q->result = NULL;
            item_finish(c, q, GG_PG_LOST);
        }
        item_finish(c, item, GG_PG_LOST);
    }
}

/* ---- connection life ---- */

static void on_retry(h2o_timeout_entry_t *entry)
{
    pg_conn *c = H2O_STRUCT_FROM_MEMBER(pg_conn, retry_entry, entry);
    conn_start(c);
}

/* The first connection's attempt has ended (ready or failed): the others start now. */
static void pool_start_others(gg_pg_pool *pool)
{
    if (!pool->others_waiting) return;
    pool->others_waiting = false;
    for (unsigned i = 1; i < pool->size; i++)
        conn_start(&pool->conns[i]);
}

/* The next attempt: at the end of this loop iteration (at_once), else after reconnect_interval_ms,
 * or a quarter of it while statements wait for a connection (they would otherwise wait out most of
 * an interval after the database is back; attempts against a server that is down cost it little). */
static void conn_schedule_retry(pg_conn *c, bool at_once)
{
    pool_start_others(c->pool);
    c->state = CONN_DOWN;
    gg_pg_pool *pool = c->pool;
    if (pool->destroying || h2o_timeout_is_linked(&c->retry_entry)) return;
    h2o_timeout_t *when = at_once             ? &pool->zero_timeout
                          : pool->waiting > 0 ? &pool->waiting_retry_timeout
                                              : &pool->retry_timeout;
    h2o_timeout_link(pool->loop, when, &c->retry_entry);
    c->retry_slow = when == &pool->retry_timeout;
}

/* The first statement began to wait: connections down retry at the waiting pace from now. */
static void pool_hasten_retries(gg_pg_pool *pool)
{
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        if (c->state != CONN_DOWN || !c->retry_slow || !h2o_timeout_is_linked(&c->retry_entry)) continue;
        h2o_timeout_unlink(&c->retry_entry);
        h2o_timeout_link(pool->loop, &pool->waiting_retry_timeout, &c->retry_entry);
        c->retry_slow = false;
    }
}

static void conn_lost(pg_conn *c, const char *why)
{
    /* a connection that served for a while broke (its backend ended, a pooler restarted): the
     * database is likely up, so try again at once; one that breaks soon after connecting (or never
     * connected) waits the interval, so that a server that keeps dropping sessions is not hammered */
    bool at_once = c->state == CONN_READY && h2o_now(c->pool->loop) - c->ready_since >= c->pool->reconnect_interval_ms;
    pool_count_ready(c->pool, c->state == CONN_READY ? -1 : 0);
    pool_note_error(c->pool, why);
    conn_detach(c);
    c->state = CONN_DOWN; /* before the answers: a callback that sends again must not pick this one */
    fail_items(c);
    c->resetting = true; /* next attempt: PQresetStart on the same PGconn */
    conn_schedule_retry(c, at_once);
}

static void conn_ready(pg_conn *c)
{
    if (PQsetnonblocking(c->pg, 1) != 0 || PQenterPipelineMode(c->pg) != 1) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    gg_pg_statement_cache_clear(&c->prepared); /* a new session has no prepared statements */
    if (c->resetting) c->pool->stats.reconnects++;
    c->resetting = false;
    c->state = CONN_READY;
    c->doomed = false;
    c->ready_since = h2o_now(c->pool->loop);
    c->date_style_sent = false;
    pool_count_ready(c->pool, 1);
    pool_start_others(c->pool);
    if (c->pool->waiting > 0 && !h2o_timeout_is_linked(&c->pool->flush_entry)) /* sent at the end of this iteration */
        h2o_timeout_link(c->pool->loop, &c->pool->zero_timeout, &c->pool->flush_entry);
    if (!conn_keep_iso_dates(c)) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    conn_flush(c);
}

static void conn_connect_step(pg_conn *c)
{
    PostgresPollingStatusType st = c->resetting ? PQresetPoll(c->pg) : PQconnectPoll(c->pg);
    switch (st) {
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
        if (!conn_attach(c)) {
            conn_lost(c, "cannot watch the database socket");
            return;
        }
        if (st == PGRES_POLLING_WRITING) h2o_socket_notify_write(c->sock, on_writable);
        return;
    case PGRES_POLLING_OK:
        if (!conn_attach(c)) {
            conn_lost(c, "cannot watch the database socket");
            return;
        }
        conn_ready(c);
        return;
    default:
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
}

static void conn_start(pg_conn *c)
{
    c->state = CONN_CONNECTING;
    if (c->pg != NULL && c->resetting) {
        if (!PQresetStart(c->pg)) {
            conn_lost(c, PQerrorMessage(c->pg));
            return;
        }
    } else {
        gg_pg_connect_options options = {.statement_timeout_ms = c->pool->pooled ? 0 : c->pool->statement_timeout_ms};
        c->pg = gg_pg_connect_start(c->pool->conninfo, &options);
        c->extra_reads = 0; /* a new PGconn, a new input buffer */
        c->answer_split = false;
        if (c->pg == NULL) {
            pool_note_error(c->pool, "out of memory");
            conn_schedule_retry(c, false);
            return;
        }
        PQsetNoticeProcessor(c->pg, notice_to_nowhere, NULL);
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            pool_note_error(c->pool, PQerrorMessage(c->pg));
            PQfinish(c->pg);
            c->pg = NULL;
            conn_schedule_retry(c, false);
            return;
        }
    }
    conn_connect_step(c);
}

/* Reads what the socket holds into libpq. libpq reads at most its input buffer's free room per
 * call (16 KB at first) and keeps that buffer small while each read is parsed before the next
 * (conn_drain), so a large result (a sync base page: 150 KB of DataRows) took a recv() and a loop
 * wake per 16 KB. Reading once more before parsing, when the socket still holds data, makes libpq
 * enlarge the buffer (it doubles it when less than 8 KB is free: the first read filled it), and
 * a larger buffer takes such a result in one or two recv()s (libpq reads on while a long message
 * has room). At most EXTRA_READS_MAX such reads per PGconn (libpq never shrinks the buffer, and
 * keeps it over PQresetStart), so it grows to 1 MB at most this way. Asking the socket whether it
 * still holds data costs a system call, so a connection asks only once some wake has read part
 * of an answer and nothing whole (answer_split, set by on_readable): one that only ever gets
 * answers a single read takes (a get by id) never asks. False when the read failed. */
static bool conn_read(pg_conn *c)
{
    if (!PQconsumeInput(c->pg)) return false;
    if (!c->answer_split || c->extra_reads >= EXTRA_READS_MAX) return true;
    int pending = 0;
    c->pool->stats.read_checks++;
    if (ioctl(PQsocket(c->pg), FIONREAD, &pending) != 0 || pending <= 0) return true;
    c->extra_reads++;
    return PQconsumeInput(c->pg) == 1;
}

static void on_readable(h2o_socket_t *sock, const char *err)
{
    pg_conn *c = sock->data;
    (void)err;
    if (c->state == CONN_CONNECTING) {
        conn_connect_step(c);
        return;
    }
    if (c->state != CONN_READY) return;
    c->pool->stats.reads++;
    if (!conn_read(c) || PQstatus(c->pg) == CONNECTION_BAD) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    uint64_t taken = c->results_taken;
    conn_drain(c);
    /* nothing whole came while answers are awaited: this read was part of a longer answer */
    if (c->results_taken == taken && c->state == CONN_READY && !h2o_linklist_is_empty(&c->items))
        c->answer_split = true;
    if (c->state == CONN_READY && PQstatus(c->pg) == CONNECTION_BAD) conn_lost(c, PQerrorMessage(c->pg));
}

static void on_writable(h2o_socket_t *sock, const char *err)
{
    pg_conn *c = sock->data;
    (void)err;
    if (c->state == CONN_CONNECTING)
        conn_connect_step(c);
    else if (c->state == CONN_READY)
        conn_flush(c);
}

/* ---- public API ---- */

gg_pg_pool *gg_pg_pool_create(h2o_loop_t *loop, const gg_pg_pool_config *config, gg_fault *fault)
{
    if (config == NULL || config->conninfo == NULL || config->conninfo[0] == '\0') {
        gg_fault_set_text(fault, NULL, "no database URL configured");
        return NULL;
    }
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(config->conninfo, &msg);
    if (opts == NULL) {
        gg_fault_set_text(fault, NULL, "the database URL cannot be parsed");
        PQfreemem(msg);
        return NULL;
    }
    PQconninfoFree(opts);
    gg_pg_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL || (pool->conninfo = strdup(config->conninfo)) == NULL) {
        free(pool);
        gg_fault_set_text(fault, NULL, "out of memory");
        return NULL;
    }
    pool->statement_timeout_ms = config->statement_timeout_ms;
    pool->pooled = config->pooled;
    pool->ready_out = config->ready_count;
    if (pool->pooled && pool->statement_timeout_ms > 0)
        snprintf(pool->set_timeout, sizeof pool->set_timeout, "SET LOCAL statement_timeout = %u",
                 pool->statement_timeout_ms);
    pool->max_prepared = config->never_prepare             ? 0
                         : config->max_prepared_statements ? config->max_prepared_statements
                                                           : 256;
    pool->loop = loop;
    pool->size = config->size ? config->size : 2;
    pool->conns = calloc(pool->size, sizeof(pg_conn));
    if (pool->conns == NULL) {
        free(pool->conninfo);
        free(pool);
        gg_fault_set_text(fault, NULL, "out of memory");
        return NULL;
    }
    pool->reconnect_interval_ms = config->reconnect_interval_ms ? config->reconnect_interval_ms : 1000;
    h2o_timeout_init(loop, &pool->retry_timeout, pool->reconnect_interval_ms);
    h2o_timeout_init(loop, &pool->waiting_retry_timeout,
                     pool->reconnect_interval_ms / 4 ? pool->reconnect_interval_ms / 4 : 1);
    h2o_timeout_init(loop, &pool->zero_timeout, 0);
    pool->uncork_entry.cb = on_uncork;
    pool->wait_ms = config->wait_ms;
    h2o_timeout_init(loop, &pool->wait_timeout, pool->wait_ms);
    h2o_linklist_init_anchor(&pool->waiters);
    pool->flush_entry.cb = on_flush_waiters;
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        c->pool = pool;
        h2o_linklist_init_anchor(&c->items);
        gg_pg_statement_cache_init(&c->prepared);
        c->retry_entry.cb = on_retry;
    }
    /* One connection first: every PostgreSQL backend starting at once competes for the same CPUs
     * (a server's threads each open a pool, and the bus its own connection), and one connection is
     * all a thread needs to serve. The others start as soon as its attempt ends, ready or not. */
    pool->others_waiting = pool->size > 1;
    pg_conn *first = &pool->conns[0];
    if ((first->pg = gg_pg_early_take(config->early, config->early_index)) == NULL) {
        conn_start(first);
    } else { /* connected already (postgres.h: early connections) */
        PQsetNoticeProcessor(first->pg, notice_to_nowhere, NULL);
        if (conn_attach(first))
            conn_ready(first);
        else
            conn_lost(first, "cannot watch the database socket");
    }
    gg_metrics_gauge_add(GG_METRIC_PG_POOL_SIZE, pool->size);
    return pool;
}

void gg_pg_pool_destroy(gg_pg_pool *pool)
{
    if (pool == NULL) return;
    pool->destroying = true;
    while (!h2o_linklist_is_empty(&pool->waiters)) /* they wait no more: no connection will come */
        waiter_answer(pool, H2O_STRUCT_FROM_MEMBER(pg_waiter, link, pool->waiters.next), GG_PG_UNAVAILABLE);
    if (h2o_timeout_is_linked(&pool->flush_entry)) h2o_timeout_unlink(&pool->flush_entry);
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        if (h2o_timeout_is_linked(&c->retry_entry)) h2o_timeout_unlink(&c->retry_entry);
        pool_count_ready(c->pool, c->state == CONN_READY ? -1 : 0);
        conn_detach(c);
        fail_items(c);
        if (c->pg != NULL) PQfinish(c->pg);
        gg_pg_statement_cache_clear(&c->prepared);
    }
    if (h2o_timeout_is_linked(&pool->uncork_entry)) h2o_timeout_unlink(&pool->uncork_entry);
    h2o_timeout_dispose(pool->loop, &pool->zero_timeout);
    h2o_timeout_dispose(pool->loop, &pool->retry_timeout);
    h2o_timeout_dispose(pool->loop, &pool->waiting_retry_timeout);
    h2o_timeout_dispose(pool->loop, &pool->wait_timeout);
    gg_metrics_gauge_add(GG_METRIC_PG_POOL_SIZE, -(int64_t)pool->size);
    free(pool->conns);
    free(pool->conninfo);
    free(pool);
}

gg_pg_pool *gg_pg_pool_open(h2o_loop_t *loop, const gg_pg_pool_config *config, unsigned wait_ms, gg_fault *fault)
{
    gg_pg_pool *pool = gg_pg_pool_create(loop, config, fault);
    if (pool == NULL) return NULL;
    uint64_t until = h2o_now(loop) + wait_ms;
    while (gg_pg_pool_ready(pool) == 0 && h2o_now(loop) < until)
        h2o_evloop_run(loop, (int32_t)(until - h2o_now(loop)));
    return pool;
}

/* The connection of this loop iteration's batch while it has room (its queries then wake one
 * backend once), else the ready connection with the fewest queries in flight. */
static pg_conn *pick_connection(gg_pg_pool *pool)
{
    pg_conn *b = pool->batch;
    if (b != NULL && b->state == CONN_READY && !b->doomed && b->corked && b->round_queries < ROUND_MAX) return b;
    pg_conn *best = NULL;
    for (unsigned i = 0; i < pool->size; i++) { /* a connection with a cancel request out comes last */
        pg_conn *c = &pool->conns[i];
        if (c->state != CONN_READY || c->doomed) continue;
        if (best == NULL || (best->cancelling != NULL && c->cancelling == NULL) ||
            ((best->cancelling == NULL) == (c->cancelling == NULL) && c->queries_in_flight < best->queries_in_flight))
            best = c;
    }
    return best;
}

static pg_item *push_item(pg_conn *c, item_kind kind)
{
    pg_item *item = calloc(1, sizeof *item);
    if (item == NULL) {
        gg_log_error("out of memory");
        abort();
    }
    item->kind = kind;
    h2o_linklist_insert(&c->items, &item->link);
    return item;
}

/* Makes room for one more statement: forgets the least recently used one and deallocates it on
 * the server in its own sync segment (see the top). False when libpq refused to send. */
static bool conn_evict_oldest(pg_conn *c)
{
    char name[GG_PG_STATEMENT_NAME_LEN + 1], sql[40];
    if (!gg_pg_statement_cache_evict_oldest(&c->prepared, name)) return true;
    snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
    if (PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0) != 1) return false;
    push_item(c, ITEM_DEALLOCATE);
    if (PQpipelineSync(c->pg) != 1) return false;
    push_item(c, ITEM_SYNC);
    c->pool->stats.deallocations++;
    return true;
}

/* Sends sql's execution: by name when prepared (preparing it first when new, evicting when full),
 * unprepared when the pool never prepares, on a hash collision, or when out of memory. *prepare_seq
 * is the PREPARE of the statement executed by name, else 0. False when libpq refused to send. */
static bool conn_send_statement(pg_conn *c, const char *sql, int param_count, const char *const *values,
                                int result_format, bool unnamed, uint64_t *prepare_seq)
{
    *prepare_seq = 0;
    if (c->pool->max_prepared == 0 || unnamed)
        return PQsendQueryParams(c->pg, sql, param_count, NULL, values, NULL, NULL, result_format) == 1;
    gg_pg_statement_key key;
    gg_pg_statement_key_of(sql, &key);
    gg_pg_prepared *e = gg_pg_statement_cache_use(&c->prepared, &key);
    if (e != NULL && (e->interrupted || strcmp(e->sql, sql) != 0)) /* see above, or a hash collision */
        return PQsendQueryParams(c->pg, sql, param_count, NULL, values, NULL, NULL, result_format) == 1;
    if (e != NULL) {
        *prepare_seq = e->prepare_seq;
        return PQsendQueryPrepared(c->pg, key.name, param_count, values, NULL, NULL, result_format) == 1;
    }
    if (gg_pg_statement_cache_count(&c->prepared) >= c->pool->max_prepared && !conn_evict_oldest(c)) return false;
    e = gg_pg_statement_cache_add(&c->prepared, &key, sql, ++c->prepare_seq);
    if (e == NULL) /* out of memory: it cannot be remembered */
        return PQsendQueryParams(c->pg, sql, param_count, NULL, values, NULL, NULL, result_format) == 1;
    if (PQsendPrepare(c->pg, key.name, sql, param_count, NULL) != 1) return false;
    pg_item *prepare = push_item(c, ITEM_PREPARE);
    prepare->statement = key.hash;
    prepare->prepare_seq = e->prepare_seq;
    *prepare_seq = e->prepare_seq;
    c->pool->stats.prepares++;
    return PQsendQueryPrepared(c->pg, key.name, param_count, values, NULL, NULL, result_format) == 1;
}

/* Keeps sql and values for sending again; NULL when out of memory (the query is then sent once). */
static statement_copy *copy_statement(const char *sql, int param_count, const char *const *values, int result_format)
{
    size_t size = sizeof(statement_copy) + (size_t)param_count * sizeof(char *) + strlen(sql) + 1;
    for (int i = 0; i < param_count; i++)
        size += values[i] != NULL ? strlen(values[i]) + 1 : 0;
    statement_copy *copy = malloc(size);
    if (copy == NULL) return NULL;
    copy->attempt = 0;
    copy->param_count = param_count;
    copy->result_format = result_format;
    copy->values = (const char **)(copy + 1);
    char *text = (char *)(copy->values + param_count);
    for (int i = 0; i < param_count; i++) {
        copy->values[i] = NULL;
        if (values[i] == NULL) continue;
        size_t n = strlen(values[i]) + 1;
        memcpy(text, values[i], n);
        copy->values[i] = text;
        text += n;
    }
    memcpy(text, sql, strlen(sql) + 1);
    copy->sql = text;
    return copy;
}

/* ---- queries waiting for a ready connection (see pg_pool.h) ---- */

static void waiter_unlink(gg_pg_pool *pool, pg_waiter *w)
{
    h2o_linklist_unlink(&w->link);
    if (h2o_timeout_is_linked(&w->deadline)) h2o_timeout_unlink(&w->deadline);
    pool->waiting--;
    gg_metrics_gauge_add(GG_METRIC_PG_WAITING, -1);
}

/* Answers a waiter without sending it (unavailable, cancelled) and frees it. */
static void waiter_answer(gg_pg_pool *pool, pg_waiter *w, gg_pg_status status)
{
    waiter_unlink(pool, w);
    if (status != GG_PG_CANCELLED) pool->stats.failures++;
    gg_trace *previous = gg_trace_enter(w->trace);
    w->cb(w->user, status, NULL);
    gg_trace_leave(previous);
    gg_trace_release(w->trace);
    free(w->copy);
    free(w);
}

/* Sends a waiter on a ready connection, as its request would have (its trace current), and frees it. */
static void waiter_send(gg_pg_pool *pool, pg_waiter *w)
{
    waiter_unlink(pool, w);
    statement_copy *copy = w->copy;
    gg_trace *previous = gg_trace_enter(w->trace);
    /* pooled and prepared: the copy goes with the query, to send it again (see the top) */
    bool keep = pool->pooled && pool->max_prepared > 0;
    pool_send(pool, w->owner, keep ? copy : NULL, copy->sql, copy->param_count, copy->values, copy->result_format,
              w->cb, w->user);
    gg_trace_leave(previous);
    gg_trace_release(w->trace);
    if (!keep) free(copy);
    free(w);
}

/* The end of a loop iteration in which a connection became ready or a waiter was cancelled: the
 * cancelled are answered, then the others sent, oldest first, while a connection is ready. */
static void on_flush_waiters(h2o_timeout_entry_t *entry)
{
    gg_pg_pool *pool = H2O_STRUCT_FROM_MEMBER(gg_pg_pool, flush_entry, entry);
    for (h2o_linklist_t *l = pool->waiters.next; l != &pool->waiters;) {
        pg_waiter *w = H2O_STRUCT_FROM_MEMBER(pg_waiter, link, l);
        l = l->next;
        if (w->cancelled) waiter_answer(pool, w, GG_PG_CANCELLED);
    }
    /* a callback may have queued more, or lost the connection again: each round looks anew */
    while (!h2o_linklist_is_empty(&pool->waiters) && pick_connection(pool) != NULL)
        waiter_send(pool, H2O_STRUCT_FROM_MEMBER(pg_waiter, link, pool->waiters.next));
}

static void on_wait_expired(h2o_timeout_entry_t *entry)
{
    pg_waiter *w = H2O_STRUCT_FROM_MEMBER(pg_waiter, deadline, entry);
    if (!w->cancelled) w->pool->stats.wait_timeouts++;
    waiter_answer(w->pool, w, w->cancelled ? GG_PG_CANCELLED : GG_PG_UNAVAILABLE);
}

/* Queues a query that found no ready connection (copy: pooled, its copy, owned from here on when
 * it waits). False when it cannot wait (waiting off, the queue full, out of memory): the caller
 * answers it and still owns copy. */
static bool pool_wait(gg_pg_pool *pool, const void *owner, statement_copy *copy, const char *sql, int param_count,
                      const char *const *values, int result_format, gg_pg_result_cb cb, void *user)
{
    if (pool->wait_ms == 0 || pool->waiting >= WAITING_MAX || pool->destroying) return false;
    statement_copy *own = copy != NULL ? NULL : copy_statement(sql, param_count, values, result_format);
    if (copy == NULL && own == NULL) return false;
    pg_waiter *w = calloc(1, sizeof *w);
    if (w == NULL) {
        free(own); /* only the copy made here: the caller's is the caller's to free */
        return false;
    }
    if (copy == NULL) copy = own;
    *w = (pg_waiter){.pool = pool, .owner = owner, .copy = copy, .cb = cb, .user = user, .trace = gg_trace_current()};
    if (w->trace != NULL) gg_trace_retain(w->trace);
    w->deadline.cb = on_wait_expired;
    h2o_linklist_insert(&pool->waiters, &w->link);
    h2o_timeout_link(pool->loop, &pool->wait_timeout, &w->deadline);
    if (pool->waiting++ == 0) pool_hasten_retries(pool);
    pool->stats.waits++;
    gg_metrics_gauge_add(GG_METRIC_PG_WAITING, 1);
    return true;
}

void gg_pg_pool_query(gg_pg_pool *pool, const void *owner, const char *sql, int param_count, const char *const *values,
                      gg_pg_result_cb cb, void *user)
{
    gg_pg_pool_query_format(pool, owner, sql, param_count, values, 0, cb, user);
}

void gg_pg_pool_query_format(gg_pg_pool *pool, const void *owner, const char *sql, int param_count,
                             const char *const *values, int result_format, gg_pg_result_cb cb, void *user)
{
    statement_copy *copy =
        pool->pooled && pool->max_prepared > 0 ? copy_statement(sql, param_count, values, result_format) : NULL;
    pool_send(pool, owner, copy, sql, param_count, values, result_format, cb, user);
}

/* Sends a query (copy: pooled, what it needs to be sent again, owned from here on; sql and values
 * point into it when it is sent again). */
static void pool_send(gg_pg_pool *pool, const void *owner, statement_copy *copy, const char *sql, int param_count,
                      const char *const *values, int result_format, gg_pg_result_cb cb, void *user)
{
    pg_conn *c = pick_connection(pool);
    if (c == NULL) {
        if (pool_wait(pool, owner, copy, sql, param_count, values, result_format, cb, user)) return;
        free(copy);
        pool->stats.failures++;
        cb(user, GG_PG_UNAVAILABLE, NULL);
        return;
    }
    bool unnamed = false;
    if (copy != NULL) unnamed = ++copy->attempt == POOLED_ATTEMPTS;
    conn_cork(c);
    c->round_queries++;
    uint64_t prepare_seq = 0;
    bool sent = conn_keep_iso_dates(c);
    if (sent && pool->set_timeout[0] != '\0') { /* in the query's own implicit transaction: ends at its sync */
        sent = PQsendQueryParams(c->pg, pool->set_timeout, 0, NULL, NULL, NULL, NULL, 0) == 1;
        if (sent) push_item(c, ITEM_SETTING);
    }
    sent = sent && conn_send_statement(c, sql, param_count, values, result_format, unnamed, &prepare_seq);
    if (sent) {
        pg_item *item = push_item(c, ITEM_QUERY);
        item->copy = copy;
        copy = NULL;
        item->cb = cb;
        item->user = user;
        item->owner = owner;
        item->prepare_seq = prepare_seq;
        c->queries_in_flight++;
        item->sent_ns = gg_metrics_pg_statement_sent(c->queries_in_flight == 1);
        if ((item->trace = gg_trace_current()) != NULL) {
            gg_trace_retain(item->trace);
            gg_trace_pg_sent(item->trace);
        }
        sent = PQpipelineSync(c->pg) == 1;
        if (sent) push_item(c, ITEM_SYNC);
    } else {
        /* nothing queued for this query: answer it here, then treat the connection as lost */
        free(copy);
        pool->stats.failures++;
        cb(user, GG_PG_LOST, NULL);
    }
    pool->stats.round_trips++;
    if (!sent) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    conn_flush(c);
}

void gg_pg_pool_cancel(gg_pg_pool *pool, const void *owner, bool interrupt)
{
    if (pool == NULL || owner == NULL) return;
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        bool marked = false;
        for (h2o_linklist_t *l = c->items.next; l != &c->items; l = l->next) {
            pg_item *item = H2O_STRUCT_FROM_MEMBER(pg_item, link, l);
            if (item->kind != ITEM_QUERY || item->owner != owner) continue;
            item->cancelled = true;
            item->cancel_wanted = marked = interrupt;
        }
        if (marked) conn_cancel_running(c);
    }
    bool waiting = false; /* a waiter is answered at the end of this loop iteration, never from here */
    for (h2o_linklist_t *l = pool->waiters.next; l != &pool->waiters; l = l->next) {
        pg_waiter *w = H2O_STRUCT_FROM_MEMBER(pg_waiter, link, l);
        if (w->owner == owner) w->cancelled = waiting = true;
    }
    if (waiting && !h2o_timeout_is_linked(&pool->flush_entry))
        h2o_timeout_link(pool->loop, &pool->zero_timeout, &pool->flush_entry);
}

unsigned gg_pg_pool_ready(const gg_pg_pool *pool)
{
    unsigned n = 0;
    for (unsigned i = 0; i < pool->size; i++)
        n += pool->conns[i].state == CONN_READY;
    return n;
}

gg_pg_pool_stats gg_pg_pool_get_stats(const gg_pg_pool *pool)
{
    gg_pg_pool_stats s = pool->stats;
    s.ready = gg_pg_pool_ready(pool);
    return s;
}

const char *gg_pg_pool_last_error(const gg_pg_pool *pool)
{
    return pool->last_error;
}
