/* metrics.h: graphgate's Prometheus metrics (issue 15): counters, gauges and histograms kept per
 * thread by the code that does the work, summed when /metrics is scraped.
 *
 * The hooks below are what the rest of the server calls; each is a plain add to the calling
 * thread's own block (no lock, no locked instruction). A thread that never attached (the bus
 * thread, a test) counts into a shared block with atomic adds instead; those calls are rare.
 * With metrics disabled (gg_metrics_enable never called) every hook returns at once. */
#ifndef GG_METRICS_H
#define GG_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Monotonic counters. */
typedef enum gg_metric_counter {
    GG_METRIC_DOC_CACHE_HITS,
    GG_METRIC_DOC_CACHE_MISSES,
    GG_METRIC_APQ_HITS,   /* a persisted query's hash alone, found (persisted_queries.h) */
    GG_METRIC_APQ_MISSES, /* ... not found: PersistedQueryNotFound */
    GG_METRIC_JWT_CACHE_HITS,
    GG_METRIC_JWT_CACHE_MISSES,
    GG_METRIC_PG_STATEMENTS,        /* statements sent to PostgreSQL for resolvers */
    GG_METRIC_PG_STATEMENT_ERRORS,  /* ... answered with an error, lost or unavailable */
    GG_METRIC_EVENTS_PUBLISHED,     /* events of committed mutations published by this instance */
    GG_METRIC_EVENTS_DELIVERED,     /* events sent to a subscription */
    GG_METRIC_EVENTS_DROPPED,       /* events not delivered or not sent (too large, bus queue full) */
    GG_METRIC_WS_CONNECTIONS_TOTAL, /* websocket connections accepted */
    GG_METRIC_COUNTER_COUNT
} gg_metric_counter;

/* Values that go up and down; each thread keeps its own share, the scrape adds them up. */
typedef enum gg_metric_gauge {
    GG_METRIC_WS_CONNECTIONS, /* open websocket connections */
    GG_METRIC_SUBSCRIPTIONS,  /* active subscriptions */
    GG_METRIC_PG_POOL_SIZE,   /* PostgreSQL connections the pools hold (configured) */
    GG_METRIC_PG_POOL_READY,  /* ... connected and ready */
    GG_METRIC_PG_POOL_IN_USE, /* ... with at least one statement in flight */
    GG_METRIC_PG_IN_FLIGHT,   /* statements sent and not yet answered */
    GG_METRIC_PG_WAITING,     /* statements waiting for a ready connection (none was) */
    GG_METRIC_GAUGE_COUNT
} gg_metric_gauge;

/* The operation type label of a GraphQL request. */
typedef enum gg_metric_operation {
    GG_METRIC_OP_NONE, /* answered before an operation was known (bad request, 401, ...) */
    GG_METRIC_OP_QUERY,
    GG_METRIC_OP_MUTATION,
    GG_METRIC_OP_SUBSCRIPTION,
    GG_METRIC_OP_COUNT
} gg_metric_operation;

/* Turns the hooks on (call once, before threads start). */
void gg_metrics_enable(void);
/* Whether gg_metrics_enable was called. */
bool gg_metrics_enabled(void);
/* Gives the calling thread its own block of counters (a worker thread, at its start). */
void gg_metrics_thread_attach(void);
/* Folds the calling thread's block into the totals and frees it (at the thread's end). */
void gg_metrics_thread_detach(void);

/* Adds one to counter c. */
void gg_metrics_count(gg_metric_counter c);
/* Adds delta (may be negative) to gauge g. */
void gg_metrics_gauge_add(gg_metric_gauge g, int64_t delta);
/* A websocket connection opened (or closed). */
void gg_metrics_websocket(bool opened);
/* A monotonic clock in nanoseconds, for the started_ns arguments (0 with metrics disabled). */
uint64_t gg_metrics_clock_ns(void);
/* A PostgreSQL statement was sent (first: its connection had none in flight); returns the time to
 * hand to gg_metrics_pg_statement_done. */
uint64_t gg_metrics_pg_statement_sent(bool first);
/* A PostgreSQL statement sent at sent_ns was answered (ok: without an error; last: its connection
 * has no other in flight): its time goes into the resolver histogram with source="postgres". */
void gg_metrics_pg_statement_done(uint64_t sent_ns, bool ok, bool last);
/* A GraphQL HTTP request ended with status after seconds. */
void gg_metrics_request_done(gg_metric_operation op, int status, double seconds);
/* Counts the errors of a GraphQL response body by errorType (errors without one are not counted). */
void gg_metrics_count_errors(const char *json, size_t len);

/* Appends every metric in the Prometheus text format 0.0.4; version for graphgate_build_info.
 * Any thread. */
void gg_metrics_render(gg_buf *out, const char *version);

#endif
