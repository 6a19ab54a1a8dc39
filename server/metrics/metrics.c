/* metrics.c: per-thread metric blocks, summed at scrape time into the Prometheus text format.
 *
 * Every metric value is one 64-bit word of a block; a block is an array of WORDS words laid out by
 * the W_* offsets below (counters, gauges, requests by operation and status, histograms, errors by
 * errorType). Each worker thread owns one block (a thread-local pointer finds it) and is its only
 * writer: a hook loads its word and stores the sum, both relaxed atomics, which on x86-64 compile to
 * a plain load, add and store (no lock prefix, no cache line shared with another writer: blocks
 * are 64-byte aligned and never share a line). The scrape, on whichever thread serves /metrics,
 * loads each word relaxed: an aligned 64-bit load cannot tear, and the atomic type makes that a
 * promise of the language rather than of the hardware (and keeps ThreadSanitizer quiet). A scrape
 * may see one thread's request counted and its histogram not yet: Prometheus tolerates that skew
 * of a single observation, and a lock to avoid it would cost every request.
 *
 * A gauge is the sum of signed shares: a websocket opened and closed on the same thread adds +1
 * then -1 there, so the sum is right while no share alone need be. Threads that never attached
 * (the bus thread, tests) count into one shared block with atomic read-modify-write; that path is
 * rare. A thread that ends (gg_metrics_thread_detach) folds its block into the retired totals so
 * that counters never go back. Attach, detach and the scrape take one mutex; the hooks never do. */
#include "metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUCKET_COUNT 14
/* Histogram upper bounds in nanoseconds, with their text ("le" labels). */
static const uint64_t bucket_ns[BUCKET_COUNT] = {500000,     1000000,    2500000,    5000000,    10000000,
                                                 25000000,   50000000,   100000000,  250000000,  500000000,
                                                 1000000000, 2500000000, 5000000000, 10000000000};
static const char *const bucket_text[BUCKET_COUNT] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                                                      "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10"};

/* HTTP statuses a GraphQL request can end with; others count as "other". */
static const int statuses[] = {200, 204, 400, 401, 403, 404, 405, 408, 413, 415, 429, 431, 500, 502, 503, 504};
#define STATUS_COUNT (sizeof statuses / sizeof statuses[0] + 1)

/* The errorTypes graphgate itself writes (plugins may write others: "other"). */
static const char *const error_types[] = {"BadRequestException",
                                          "DatabaseError",
                                          "DuplicatedOperationError",
                                          "DynamoDB:ConditionalCheckFailedException",
                                          "ExecutionTimeout",
                                          "InternalFailure",
                                          "InvalidArgumentsError",
                                          "LimitExceededError",
                                          "MaxSubscriptionsReachedError",
                                          "MessageProcessingError",
                                          "ParseError",
                                          "ReferentialIntegrityViolation",
                                          "ServiceUnavailable",
                                          "TooManyRequestsException",
                                          "Unauthorized",
                                          "UnauthorizedException",
                                          "UnsupportedOperation",
                                          "UserIllegalArgumentException",
                                          "ValidationError"};
#define ERROR_TYPE_COUNT (sizeof error_types / sizeof error_types[0] + 1)

static const char *const operation_names[GG_METRIC_OP_COUNT] = {"none", "query", "mutation", "subscription"};

#define HIST_WORDS (BUCKET_COUNT + 2) /* per bucket (not cumulative), +Inf, then the sum in ns */
enum {
    W_COUNTERS = 0,
    W_GAUGES = W_COUNTERS + GG_METRIC_COUNTER_COUNT,
    W_REQUESTS = W_GAUGES + GG_METRIC_GAUGE_COUNT,
    W_REQUEST_SECONDS = W_REQUESTS + GG_METRIC_OP_COUNT * STATUS_COUNT,
    W_PG_SECONDS = W_REQUEST_SECONDS + GG_METRIC_OP_COUNT * HIST_WORDS,
    W_ERRORS = W_PG_SECONDS + HIST_WORDS,
    WORDS = W_ERRORS + ERROR_TYPE_COUNT
};

typedef struct block {
    _Atomic uint64_t words[WORDS];
    struct block *next; /* in the list of live blocks */
} block;

static bool enabled;
static _Thread_local block *current;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static block *live;             /* attached threads' blocks */
static uint64_t retired[WORDS]; /* detached threads' sums (under registry_lock) */
static block shared;            /* threads without a block: atomic adds */

void gg_metrics_enable(void)
{
    enabled = true;
}

bool gg_metrics_enabled(void)
{
    return enabled;
}

void gg_metrics_thread_attach(void)
{
    if (!enabled || current != NULL) return;
    size_t size = (sizeof(block) + 63) / 64 * 64;
    block *b = aligned_alloc(64, size);
    if (b == NULL) abort();
    memset(b, 0, size);
    pthread_mutex_lock(&registry_lock);
    b->next = live;
    live = b;
    pthread_mutex_unlock(&registry_lock);
    current = b;
}

void gg_metrics_thread_detach(void)
{
    block *b = current;
    if (b == NULL) return;
    pthread_mutex_lock(&registry_lock);
    for (block **link = &live; *link != NULL; link = &(*link)->next) {
        if (*link == b) {
            *link = b->next;
            break;
        }
    }
    for (size_t i = 0; i < WORDS; i++)
        retired[i] += atomic_load_explicit(&b->words[i], memory_order_relaxed);
    pthread_mutex_unlock(&registry_lock);
    current = NULL;
    free(b);
}

/* Adds n to word i of this thread's block (its only writer), or of the shared block. */
static inline void add(size_t i, uint64_t n)
{
    block *b = current;
    if (b != NULL) {
        uint64_t v = atomic_load_explicit(&b->words[i], memory_order_relaxed);
        atomic_store_explicit(&b->words[i], v + n, memory_order_relaxed);
    } else if (enabled) {
        atomic_fetch_add_explicit(&shared.words[i], n, memory_order_relaxed);
    }
}

void gg_metrics_count(gg_metric_counter c)
{
    add(W_COUNTERS + (size_t)c, 1);
}

void gg_metrics_gauge_add(gg_metric_gauge g, int64_t delta)
{
    add(W_GAUGES + (size_t)g, (uint64_t)delta); /* two's complement: the sum wraps back */
}

void gg_metrics_websocket(bool opened)
{
    add(W_GAUGES + GG_METRIC_WS_CONNECTIONS, opened ? 1 : (uint64_t)-1);
    if (opened) add(W_COUNTERS + GG_METRIC_WS_CONNECTIONS_TOTAL, 1);
}

uint64_t gg_metrics_clock_ns(void)
{
    if (!enabled) return 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void observe(size_t histogram, uint64_t ns)
{
    size_t k = 0;
    while (k < BUCKET_COUNT && ns > bucket_ns[k])
        k++;
    add(histogram + k, 1);
    add(histogram + BUCKET_COUNT + 1, ns);
}

uint64_t gg_metrics_pg_statement_sent(bool first)
{
    if (!enabled) return 0;
    add(W_COUNTERS + GG_METRIC_PG_STATEMENTS, 1);
    add(W_GAUGES + GG_METRIC_PG_IN_FLIGHT, 1);
    if (first) add(W_GAUGES + GG_METRIC_PG_POOL_IN_USE, 1);
    return gg_metrics_clock_ns();
}

void gg_metrics_pg_statement_done(uint64_t sent_ns, bool ok, bool last)
{
    if (!enabled) return;
    uint64_t now = gg_metrics_clock_ns();
    if (!ok) add(W_COUNTERS + GG_METRIC_PG_STATEMENT_ERRORS, 1);
    add(W_GAUGES + GG_METRIC_PG_IN_FLIGHT, (uint64_t)-1);
    if (last) add(W_GAUGES + GG_METRIC_PG_POOL_IN_USE, (uint64_t)-1);
    observe(W_PG_SECONDS, now > sent_ns ? now - sent_ns : 0);
}

void gg_metrics_request_done(gg_metric_operation op, int status, double seconds)
{
    if (!enabled || (unsigned)op >= GG_METRIC_OP_COUNT) return;
    size_t s = 0;
    while (s < STATUS_COUNT - 1 && statuses[s] != status)
        s++;
    add(W_REQUESTS + (size_t)op * STATUS_COUNT + s, 1);
    observe(W_REQUEST_SECONDS + (size_t)op * HIST_WORDS, seconds > 0 ? (uint64_t)(seconds * 1e9) : 0);
}

void gg_metrics_count_errors(const char *json, size_t len)
{
    /* Every answer passes here, most without errors: the scan looks for the 'T' of "errorType"
     * with memchr (no set-up cost, unlike memmem's, which showed in profiles of small answers). */
    static const char before[] = "\"error", after[] = "Type\":\"";
    const size_t before_len = sizeof before - 1, after_len = sizeof after - 1;
    if (!enabled || json == NULL) return;
    const char *end = json + len;
    for (const char *at = json; (at = memchr(at, 'T', (size_t)(end - at))) != NULL; at++) {
        if (at - json < (ptrdiff_t)before_len + 1 || end - at < (ptrdiff_t)after_len ||
            memcmp(at - before_len, before, before_len) != 0 || memcmp(at, after, after_len) != 0)
            continue;
        /* Structural only: inside a JSON string every quote is escaped, so the key's opening quote
         * follows '{' or ',' only where it is a member name. */
        char previous = at[-(ptrdiff_t)before_len - 1];
        if (previous != '{' && previous != ',') continue;
        const char *name = at + after_len;
        const char *close = memchr(name, '"', (size_t)(end - name));
        if (close == NULL) return;
        size_t name_len = (size_t)(close - name);
        size_t t = 0;
        while (t < ERROR_TYPE_COUNT - 1 &&
               !(strlen(error_types[t]) == name_len && memcmp(error_types[t], name, name_len) == 0))
            t++;
        add(W_ERRORS + t, 1);
        at = close;
    }
}

/* ---- the scrape ---- */

static void sum_all(uint64_t *total)
{
    pthread_mutex_lock(&registry_lock);
    memcpy(total, retired, sizeof retired);
    for (block *b = live; b != NULL; b = b->next)
        for (size_t i = 0; i < WORDS; i++)
            total[i] += atomic_load_explicit(&b->words[i], memory_order_relaxed);
    pthread_mutex_unlock(&registry_lock);
    for (size_t i = 0; i < WORDS; i++)
        total[i] += atomic_load_explicit(&shared.words[i], memory_order_relaxed);
}

static void family(gg_buf *out, const char *name, const char *type, const char *help)
{
    gg_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void single(gg_buf *out, const char *name, const char *type, const char *help, uint64_t value, bool is_signed)
{
    family(out, name, type, help);
    if (is_signed)
        gg_buf_printf(out, "%s %lld\n", name, (long long)(int64_t)value);
    else
        gg_buf_printf(out, "%s %llu\n", name, (unsigned long long)value);
}

/* One histogram series: cumulative buckets, sum (seconds), count; labels "name=\"value\"," or "". */
static void histogram(gg_buf *out, const char *name, const char *labels, const uint64_t *words)
{
    uint64_t cumulative = 0;
    for (size_t k = 0; k <= BUCKET_COUNT; k++) {
        cumulative += words[k];
        gg_buf_printf(out, "%s_bucket{%sle=\"%s\"} %llu\n", name, labels, k < BUCKET_COUNT ? bucket_text[k] : "+Inf",
                      (unsigned long long)cumulative);
    }
    size_t comma = strlen(labels); /* the labels without their trailing comma, for _sum and _count */
    if (comma > 0) comma--;
    gg_buf_printf(out, "%s_sum{%.*s} %.9f\n", name, (int)comma, labels, (double)words[BUCKET_COUNT + 1] / 1e9);
    gg_buf_printf(out, "%s_count{%.*s} %llu\n", name, (int)comma, labels, (unsigned long long)cumulative);
}

void gg_metrics_render(gg_buf *out, const char *version)
{
    uint64_t t[WORDS];
    sum_all(t);
    family(out, "graphgate_build_info", "gauge", "Always 1; the version of graphgate in a label.");
    gg_buf_printf(out, "graphgate_build_info{version=\"%s\"} 1\n", version);

    family(out, "graphgate_graphql_requests_total", "counter",
           "GraphQL HTTP requests by operation type and HTTP status.");
    for (size_t op = 0; op < GG_METRIC_OP_COUNT; op++) {
        for (size_t s = 0; s < STATUS_COUNT; s++) {
            uint64_t n = t[W_REQUESTS + op * STATUS_COUNT + s];
            if (n == 0) continue;
            if (s < STATUS_COUNT - 1)
                gg_buf_printf(out, "graphgate_graphql_requests_total{operation=\"%s\",status=\"%d\"} %llu\n",
                              operation_names[op], statuses[s], (unsigned long long)n);
            else
                gg_buf_printf(out, "graphgate_graphql_requests_total{operation=\"%s\",status=\"other\"} %llu\n",
                              operation_names[op], (unsigned long long)n);
        }
    }
    family(out, "graphgate_graphql_request_duration_seconds", "histogram",
           "Time from a GraphQL HTTP request's start to its response, by operation type.");
    for (size_t op = 0; op < GG_METRIC_OP_COUNT; op++) {
        char labels[64];
        snprintf(labels, sizeof labels, "operation=\"%s\",", operation_names[op]);
        histogram(out, "graphgate_graphql_request_duration_seconds", labels, &t[W_REQUEST_SECONDS + op * HIST_WORDS]);
    }
    family(out, "graphgate_graphql_errors_total", "counter", "GraphQL errors in HTTP responses, by errorType.");
    for (size_t e = 0; e < ERROR_TYPE_COUNT; e++) {
        uint64_t n = t[W_ERRORS + e];
        if (n == 0) continue;
        gg_buf_printf(out, "graphgate_graphql_errors_total{error_type=\"%s\"} %llu\n",
                      e < ERROR_TYPE_COUNT - 1 ? error_types[e] : "other", (unsigned long long)n);
    }
    family(out, "graphgate_resolver_duration_seconds", "histogram",
           "Time resolvers wait for their data source, by source (postgres: from a statement's sending to its "
           "answer, queueing in the pipeline included).");
    histogram(out, "graphgate_resolver_duration_seconds", "source=\"postgres\",", &t[W_PG_SECONDS]);

    const uint64_t *c = &t[W_COUNTERS];
    const uint64_t *g = &t[W_GAUGES];
    single(out, "graphgate_pg_statements_total", "counter", "Statements sent to PostgreSQL for resolvers.",
           c[GG_METRIC_PG_STATEMENTS], false);
    single(out, "graphgate_pg_statement_errors_total", "counter",
           "PostgreSQL statements answered with an error or lost with their connection.",
           c[GG_METRIC_PG_STATEMENT_ERRORS], false);
    single(out, "graphgate_pg_pool_size", "gauge", "PostgreSQL connections of all worker pools (configured).",
           g[GG_METRIC_PG_POOL_SIZE], true);
    single(out, "graphgate_pg_pool_ready", "gauge", "PostgreSQL pool connections connected and ready.",
           g[GG_METRIC_PG_POOL_READY], true);
    single(out, "graphgate_pg_pool_in_use", "gauge", "PostgreSQL pool connections with a statement in flight.",
           g[GG_METRIC_PG_POOL_IN_USE], true);
    single(out, "graphgate_pg_statements_in_flight", "gauge",
           "PostgreSQL statements sent and not yet answered (waiting in a pipeline or running).",
           g[GG_METRIC_PG_IN_FLIGHT], true);
    single(out, "graphgate_pg_statements_waiting", "gauge",
           "PostgreSQL statements waiting for a pool connection to be ready again (database.connection_wait_ms).",
           g[GG_METRIC_PG_WAITING], true);
    single(out, "graphgate_document_cache_hits_total", "counter", "GraphQL documents found in the document cache.",
           c[GG_METRIC_DOC_CACHE_HITS], false);
    single(out, "graphgate_document_cache_misses_total", "counter",
           "GraphQL documents parsed and validated (not in the document cache).", c[GG_METRIC_DOC_CACHE_MISSES], false);
    single(out, "graphgate_persisted_query_hits_total", "counter",
           "Automatic persisted queries run from their hash alone.", c[GG_METRIC_APQ_HITS], false);
    single(out, "graphgate_persisted_query_misses_total", "counter",
           "Automatic persisted queries' hashes not known (answered PersistedQueryNotFound).", c[GG_METRIC_APQ_MISSES],
           false);
    single(out, "graphgate_jwt_cache_hits_total", "counter", "Tokens found verified in the token cache.",
           c[GG_METRIC_JWT_CACHE_HITS], false);
    single(out, "graphgate_jwt_cache_misses_total", "counter", "Tokens not in the token cache (verified anew).",
           c[GG_METRIC_JWT_CACHE_MISSES], false);
    single(out, "graphgate_websocket_connections", "gauge", "Open websocket connections.", g[GG_METRIC_WS_CONNECTIONS],
           true);
    single(out, "graphgate_websocket_connections_total", "counter", "Websocket connections accepted.",
           c[GG_METRIC_WS_CONNECTIONS_TOTAL], false);
    single(out, "graphgate_subscriptions", "gauge", "Active subscriptions.", g[GG_METRIC_SUBSCRIPTIONS], true);
    single(out, "graphgate_events_published_total", "counter",
           "Events of mutations committed on this instance, published to subscribers and the bus.",
           c[GG_METRIC_EVENTS_PUBLISHED], false);
    single(out, "graphgate_events_delivered_total", "counter", "Events sent to a subscription.",
           c[GG_METRIC_EVENTS_DELIVERED], false);
    single(out, "graphgate_events_dropped_total", "counter",
           "Events not delivered or not sent (larger than realtime.max_message_bytes, bus queue full).",
           c[GG_METRIC_EVENTS_DROPPED], false);
}
