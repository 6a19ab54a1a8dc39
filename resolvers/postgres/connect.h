/* connect.h: the one way graphgate opens a PostgreSQL connection, for the pools (non-blocking),
 * the readiness probe, start-up and `graphgate migrate` (blocking).
 *
 * The parameters are the database URL's own (a URI or key=value pairs), with application_name
 * defaulted to "graphgate", statement_timeout added to (not replacing) the URL's `options`, and
 * connect_timeout set by the caller where it blocks, so an unreachable database gives a clear
 * message within seconds instead of a hang. The URL is a secret: messages name the host and port
 * libpq tried, never the URL; libpq's messages span lines, only their first line is kept. */
#ifndef GG_PG_CONNECT_H
#define GG_PG_CONNECT_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "base/fault.h"

typedef struct gg_pg_connect_options {
    unsigned connect_timeout_s;    /* replaces the URL's connect_timeout; 0: the URL's */
    unsigned statement_timeout_ms; /* added to the URL's options; 0: none */
} gg_pg_connect_options;

/* Starts a non-blocking connection (PQconnectStartParams; drive it with PQconnectPoll). NULL when
 * out of memory; a URL that does not parse gives a connection whose status is CONNECTION_BAD. */
PGconn *gg_pg_connect_start(const char *url, const gg_pg_connect_options *options);
/* A blocking connection; NULL with "cannot connect to the database: <libpq's first line>" in fault. */
PGconn *gg_pg_connect(const char *url, const gg_pg_connect_options *options, gg_fault *fault);
/* Start-up's blocking connection, kept between its steps on the main thread so that start-up
 * connects once: binding reads the column types on it (pg_resolvers.c), gg_pg_prepare then reads
 * the cursor key on it (startup.c). gg_pg_startup_connect hands over the
 * kept connection when it is to url and idle, else the first early connection to connect that no
 * pool has taken (waited for; lent to start-up: no backend of its own to start), else connects as
 * gg_pg_connect does (closing a kept one); gg_pg_startup_keep keeps conn for the next step (the
 * caller gives it up); gg_pg_startup_give_back ends start-up's use of conn: a pool's early
 * connection goes back to it (when idle), any other is closed; gg_pg_startup_close (postgres.h) does that with what is
 * kept. Main thread only. */
PGconn *gg_pg_startup_connect(const char *url, const gg_pg_connect_options *options, gg_fault *fault);
void gg_pg_startup_keep(PGconn *conn, const char *url);
void gg_pg_startup_give_back(PGconn *conn);
/* Start-up's queries in one round trip: gg_pg_startup_prefetch names a query (no parameters) that a
 * later step will run; the first gg_pg_startup_query then sends it right after its own query, in
 * one pipeline (libpq pipeline mode, one Sync), and keeps its result, which
 * gg_pg_startup_prefetched hands to the step that runs that very query on that connection (NULL:
 * not prefetched there; the step runs it itself). Without a prefetch, gg_pg_startup_query is
 * PQexecParams. gg_pg_startup_close (postgres.h) forgets what no step took. Main thread only. */
void gg_pg_startup_prefetch(const char *sql);
PGresult *gg_pg_startup_query(PGconn *conn, const char *sql, int count, const char *const *values);
PGresult *gg_pg_startup_prefetched(PGconn *conn, const char *sql);
/* For the background threads (replica.c, datastore_purge.c): runs sql on *conn, a blocking
 * connection to url opened first when NULL (connect_timeout 2 s; statement_timeout timeout_ms unless
 * pooled, a transaction pooler refusing the option), and returns its one row; NULL with the reason
 * in why. A statement that does not answer within timeout_ms (waited for with poll), or any
 * failure, closes the connection: the next call reconnects. */
PGresult *gg_pg_ask_row(PGconn **conn, const char *url, bool pooled, unsigned timeout_ms, const char *sql, char *why,
                        size_t why_len);

/* The index-th early connection (postgres.h), once its thread has ended: connected, or NULL when it
 * could not connect, or when e is NULL, index is past its count or the connection was taken. The
 * caller owns it. */
typedef struct gg_pg_early gg_pg_early;
PGconn *gg_pg_early_take(gg_pg_early *e, unsigned index);
/* text up to its first newline (libpq's messages span lines; a log line must not). */
void gg_pg_first_line(char *out, size_t out_len, const char *text);

#endif
