/* pg_pool.h: PostgreSQL connections owned by one event-loop thread, never blocking it.
 *
 * Each h2o event loop has its own pool. Connections are opened with libpq's non-blocking
 * connect, run in pipeline mode, and are watched by the loop (their sockets are wrapped with
 * H2O_SOCKET_FLAG_DONT_READ, so libpq does the reading). A query is a parameterised statement:
 * the pool prepares it once per connection (named after a hash of its text) and then sends
 * PQsendQueryPrepared followed by its own sync point, so an error aborts only that query (and the
 * query is its own implicit transaction: a success is answered only once that sync confirmed the
 * commit; an error at commit, such as a deferred constraint, is the query's error). The
 * query goes to the ready connection with the fewest queries in flight. When a connection is lost
 * every query in flight on it fails, and the pool reconnects with libpq's non-blocking reset: at
 * once when the connection had served for a while (a backend ended, a pooler restarted), else on a
 * timer (reconnect_interval_ms). While no connection is ready, a query waits for one up to wait_ms
 * (the database restarting: its request is answered once a connection is back, not refused), in
 * the order queries came, at most 4096 per pool; then, or with wait_ms 0, it fails with
 * GG_PG_UNAVAILABLE.
 * Prepared statements are bounded per connection (clients choose filter shapes, so the number of
 * distinct texts is not): when a connection holds max_prepared_statements, the least recently used
 * one is deallocated (DEALLOCATE, in its own sync segment) before the next one is prepared. A
 * reconnected session starts with none. statement_timeout is set through the connection options;
 * behind a transaction pooler (gg_pg_pool_config.pooled) with SET LOCAL in each query's own
 * transaction, and a query whose server connection lacks its statement is sent again (pg_pool.c).
 * Each query names its owner (the request it works for, as an opaque address), so that
 * gg_pg_pool_cancel can drop the replies of a request that is gone, and cancel the statements of
 * one that timed out: a statement that runs
 * is cancelled with PQcancel from a short-lived thread (PQcancel blocks on a new connection to the
 * server), one sent behind others is cancelled when it starts. A cancelled query is still answered
 * (with PostgreSQL's error 57014). PQcancel reaches whatever the backend runs when it arrives:
 * should the statement end just before, the next statement of that connection may be cancelled
 * instead (it then fails with 57014 like a statement_timeout); only a statement already started
 * is ever the target, which keeps that window to the cancel's own round trip.
 * All callbacks run on the loop thread. Creating, cancelling and closing a pool are declared in
 * postgres.h (what the server uses); the queries themselves here. Connections open as connect.h says. */
#ifndef GG_PG_POOL_H
#define GG_PG_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include <h2o.h>
#include <libpq-fe.h>

#include "postgres.h"

typedef enum gg_pg_status {
    GG_PG_OK,          /* result holds the statement's result (PGRES_TUPLES_OK or PGRES_COMMAND_OK) */
    GG_PG_ERROR,       /* the statement failed; result holds the error (PQresultErrorField) */
    GG_PG_LOST,        /* the connection broke before the answer came; result is NULL */
    GG_PG_UNAVAILABLE, /* no connection to the database is ready; result is NULL */
    GG_PG_CANCELLED,   /* its owner was cancelled (gg_pg_pool_cancel); result is NULL, whatever came */
} gg_pg_status;

/* Receives the outcome of one query, exactly once, on the loop thread. The pool frees result after
 * the callback returns: copy what you keep. May be called before gg_pg_pool_query returns (only
 * with GG_PG_UNAVAILABLE). */
typedef void (*gg_pg_result_cb)(void *user, gg_pg_status status, const PGresult *result);
/* Called by a result callback on the result it was given: the pool does not free it, the caller
 * does (PQclear), so values may point into it instead of copying it. NULL (the pool keeps it) when
 * result is not the one of the callback running on this thread. */
PGresult *gg_pg_pool_keep_result(const PGresult *result);
/* Whether an answer says the session ended under its statement: lost before the answer came, or its
 * backend terminated or shut down (57P0x) or its connection failed (08xxx). Such a statement did not
 * commit unless it was lost (then nobody knows); the pool sends nothing more on that session. */
bool gg_pg_session_ended(gg_pg_status status, const PGresult *result);

typedef struct gg_pg_pool_stats {
    uint64_t statements;    /* statements executed (not counting PREPAREs) */
    uint64_t prepares;      /* statements prepared on some connection */
    uint64_t round_trips;   /* sync points sent for queries: one per query */
    uint64_t failures;      /* queries answered with an error, lost or unavailable */
    uint64_t deallocations; /* prepared statements evicted (DEALLOCATE, each with its own sync point) */
    uint64_t cancels;       /* cancel requests sent for running statements (gg_pg_pool_cancel) */
    uint64_t resends;       /* pooled: queries sent again because their server connection lacked the statement */
    uint64_t datestyles;    /* SET DateStyle = ISO sent: the session had another style (pg_pool.c) */
    uint64_t reads;         /* wakes that read replies from a ready connection's socket */
    uint64_t read_checks;   /* of those, the ones that asked the socket for more (pg_pool.c, conn_read) */
    unsigned ready;         /* connections ready now */
    unsigned reconnects;    /* successful reconnections */
    uint64_t waits;         /* queries that found no connection ready and waited for one */
    uint64_t wait_timeouts; /* ... and were answered unavailable when their wait ended */
} gg_pg_pool_stats;

/* Sends one statement with text parameters (values[i] NULL: SQL NULL). Results are in text format.
 * owner names the request it works for (any address; NULL: none), for gg_pg_pool_cancel. */
void gg_pg_pool_query(gg_pg_pool *pool, const void *owner, const char *sql, int param_count, const char *const *values,
                      gg_pg_result_cb cb, void *user);
/* The same, with the results in libpq's result_format: 0 text, 1 binary (every column). */
void gg_pg_pool_query_format(gg_pg_pool *pool, const void *owner, const char *sql, int param_count,
                             const char *const *values, int result_format, gg_pg_result_cb cb, void *user);
/* Counters since creation. */
gg_pg_pool_stats gg_pg_pool_get_stats(const gg_pg_pool *pool);

#endif
