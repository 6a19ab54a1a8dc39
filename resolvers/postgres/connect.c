/* connect.c: the connection parameters every graphgate connection uses, and the two ways to
 * open one with them (non-blocking for the pools, blocking for the rest); see connect.h.
 *
 * The URL is parsed once per connection with PQconninfoParse, and its set parameters are passed
 * as keyword arrays (expand_dbname off), so the defaults added here can never be mistaken for
 * part of the URL and the URL's own values win except connect_timeout.
 *
 * Early connections (postgres.h): one thread per connection, each a blocking connect, joined by
 * the pool that takes its connection (the worker thread, before its loop serves anything) or by
 * gg_pg_early_free. A thread per connection keeps each connect simple and lets the PostgreSQL
 * backends start in parallel with each other and with the main thread's start-up steps. Start-up
 * borrows the first of them to connect (gg_pg_startup_connect, given back to its pool by
 * gg_pg_startup_give_back) rather than starting a backend of its own: on two cores every backend
 * starting at once slows the others, and PostgreSQL finishes their starts one after the other (the
 * last can come 15 ms after the first), so start-up does not wait for a given one. (Reading the
 * cursor secret on another early connection, in parallel with the column types, was tried and
 * measured: no faster than reading it after them on start-up's warm connection; it now comes in
 * the column types' round trip, gg_pg_startup_prefetch.) */
#include "connect.h"

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postgres.h"
#include "base/log.h"
#include "migrate.h"

/* The keyword arrays of one connection: they point into opts and options, so they live as long as it. */
typedef struct connect_params {
    PQconninfoOption *opts; /* the URL's parameters (NULL when it does not parse: error says why) */
    char *error;
    const char *keys[64], *values[64];
    char options[512];
    char timeout[16];
} connect_params;

static void params_init(connect_params *p, const char *url, const gg_pg_connect_options *o)
{
    p->error = NULL;
    p->opts = PQconninfoParse(url ? url : "", &p->error);
    unsigned n = 0;
    bool has_options = false, has_name = false;
    for (PQconninfoOption *opt = p->opts; opt != NULL && opt->keyword != NULL && n < 60; opt++) {
        if (opt->val == NULL) continue;
        if (strcmp(opt->keyword, "connect_timeout") == 0 && o->connect_timeout_s > 0) continue;
        p->keys[n] = opt->keyword;
        p->values[n] = opt->val;
        if (strcmp(opt->keyword, "options") == 0 && o->statement_timeout_ms > 0) {
            snprintf(p->options, sizeof p->options, "%s -c statement_timeout=%u", opt->val, o->statement_timeout_ms);
            p->values[n] = p->options;
            has_options = true;
        }
        has_name |= strcmp(opt->keyword, "application_name") == 0;
        n++;
    }
    if (!has_options && o->statement_timeout_ms > 0) {
        snprintf(p->options, sizeof p->options, "-c statement_timeout=%u", o->statement_timeout_ms);
        p->keys[n] = "options";
        p->values[n++] = p->options;
    }
    if (!has_name) {
        p->keys[n] = "application_name";
        p->values[n++] = "graphgate";
    }
    if (o->connect_timeout_s > 0) {
        snprintf(p->timeout, sizeof p->timeout, "%u", o->connect_timeout_s);
        p->keys[n] = "connect_timeout";
        p->values[n++] = p->timeout;
    }
    p->keys[n] = NULL;
    p->values[n] = NULL;
}

static void params_free(connect_params *p)
{
    PQconninfoFree(p->opts);
    PQfreemem(p->error);
}

void gg_pg_first_line(char *out, size_t out_len, const char *text)
{
    size_t n = strcspn(text, "\n");
    snprintf(out, out_len, "%.*s", (int)n, text);
}

PGconn *gg_pg_connect_start(const char *url, const gg_pg_connect_options *options)
{
    connect_params p;
    params_init(&p, url, options);
    /* an unparsable URL: let libpq report it as a failed connection, as it does for the blocking call */
    PGconn *conn = p.opts != NULL ? PQconnectStartParams(p.keys, p.values, 0) : PQconnectStart(url ? url : "");
    params_free(&p);
    return conn;
}

/* The connection one start-up step left for the next (connect.h), and the URL it is to. */
static PGconn *kept;
static char *kept_url;

/* The prefetch (connect.h): the query to send with start-up's first one, then its result, the
 * query it answers and the connection it ran on. */
static char *prefetch_sql;
static void (*waiting_work)(void); /* gg_pg_startup_while_waiting's */
static char *prefetched_sql;
static PGresult *prefetched;
static PGconn *prefetched_conn;

static void forget_prefetch(void)
{
    free(prefetch_sql);
    free(prefetched_sql);
    PQclear(prefetched);
    prefetch_sql = prefetched_sql = NULL;
    prefetched = NULL;
    prefetched_conn = NULL;
}

void gg_pg_startup_prefetch(const char *sql)
{
    forget_prefetch();
    prefetch_sql = strdup(sql); /* out of memory: no prefetch, the step reads on its own */
}

/* The next result of a pipeline and the NULL that ends it (a Sync's result has none). */
static PGresult *pipeline_result(PGconn *conn)
{
    PGresult *r = PQgetResult(conn);
    if (r != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
        for (PGresult *more; (more = PQgetResult(conn)) != NULL;)
            PQclear(more);
    return r;
}

PGresult *gg_pg_startup_query(PGconn *conn, const char *sql, int count, const char *const *values)
{
    char *extra = prefetch_sql;
    prefetch_sql = NULL;
    void (*work)(void) = waiting_work;
    waiting_work = NULL;
    if (extra == NULL || PQpipelineStatus(conn) != PQ_PIPELINE_OFF || PQenterPipelineMode(conn) != 1) {
        free(extra);
        if (work != NULL) work();
        return PQexecParams(conn, sql, count, NULL, values, NULL, NULL, 0);
    }
    bool sent = PQsendQueryParams(conn, sql, count, NULL, values, NULL, NULL, 0) == 1;
    bool extra_sent = sent && PQsendQueryParams(conn, extra, 0, NULL, NULL, NULL, NULL, 0) == 1;
    sent = PQpipelineSync(conn) == 1 && sent; /* flushed: PostgreSQL works on them from here */
    if (work != NULL) work();
    PGresult *result = sent ? pipeline_result(conn) : NULL;
    PGresult *second = sent && extra_sent ? pipeline_result(conn) : NULL;
    PGresult *sync = sent ? PQgetResult(conn) : NULL;
    bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (PQexitPipelineMode(conn) != 1 || !synced) { /* the connection is broken: the steps say so */
        PQclear(second);
        free(extra);
        return result;
    }
    ExecStatusType status = PQresultStatus(second);
    if (status == PGRES_TUPLES_OK || status == PGRES_FATAL_ERROR) { /* not PGRES_PIPELINE_ABORTED */
        prefetched = second;
        prefetched_sql = extra;
        prefetched_conn = conn;
    } else {
        PQclear(second);
        free(extra);
    }
    return result;
}

void gg_pg_startup_while_waiting(void (*work)(void))
{
    waiting_work = work;
}

PGresult *gg_pg_startup_prefetched(PGconn *conn, const char *sql)
{
    if (prefetched == NULL || conn != prefetched_conn || strcmp(sql, prefetched_sql) != 0) return NULL;
    PGresult *r = prefetched;
    prefetched = NULL;
    forget_prefetch();
    return r;
}

static void forget_lent(PGconn *conn);

static void close_kept(void)
{
    if (kept != NULL && kept == prefetched_conn) forget_prefetch();
    forget_lent(kept); /* closed: its pool connects on its own */
    PQfinish(kept);
    free(kept_url);
    kept = NULL;
    kept_url = NULL;
}

void gg_pg_startup_keep(PGconn *conn, const char *url)
{
    close_kept();
    if (conn == NULL) return;
    kept_url = strdup(url);
    if (kept_url == NULL) { /* out of memory: the next step connects again */
        PQfinish(conn);
        return;
    }
    kept = conn;
}

PGconn *gg_pg_connect(const char *url, const gg_pg_connect_options *options, gg_fault *fault)
{
    connect_params p;
    params_init(&p, url, options);
    PGconn *conn = NULL;
    const char *why = p.error ? p.error : "the database URL cannot be parsed";
    if (p.opts != NULL) {
        conn = PQconnectdbParams(p.keys, p.values, 0);
        if (conn != NULL && PQstatus(conn) == CONNECTION_OK) {
            params_free(&p);
            return conn;
        }
        why = conn ? PQerrorMessage(conn) : "out of memory";
    }
    char reason[512];
    gg_pg_first_line(reason, sizeof reason, why);
    gg_fault_set(fault, NULL, "cannot connect to the database: %s", reason);
    PQfinish(conn);
    params_free(&p);
    return NULL;
}

static uint64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

PGresult *gg_pg_ask_row(PGconn **conn, const char *url, bool pooled, unsigned timeout_ms, const char *sql, char *why,
                        size_t why_len)
{
    if (*conn == NULL) { /* a transaction pooler refuses the option: the deadline below is enough */
        gg_pg_connect_options options = {.connect_timeout_s = 2, .statement_timeout_ms = pooled ? 0 : timeout_ms};
        *conn = gg_pg_connect(url, &options, gg_fault_into((gg_fault[1]){0}, why, why_len));
        if (*conn == NULL) return NULL;
    }
    PGresult *result = NULL;
    bool ok = PQsendQuery(*conn, sql) == 1;
    uint64_t deadline = monotonic_ms() + timeout_ms;
    while (ok && PQisBusy(*conn)) {
        uint64_t now = monotonic_ms();
        struct pollfd p = {.fd = PQsocket(*conn), .events = POLLIN};
        if (now >= deadline || poll(&p, 1, (int)(deadline - now)) == 0) {
            snprintf(why, why_len, "no answer within %u ms", timeout_ms);
            PQfinish(*conn);
            *conn = NULL;
            return NULL;
        }
        ok = PQconsumeInput(*conn) == 1;
    }
    if (ok) {
        result = PQgetResult(*conn);
        for (PGresult *more; (more = PQgetResult(*conn)) != NULL;)
            PQclear(more);
    }
    if (result != NULL && PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) return result;
    gg_pg_first_line(why, why_len, PQerrorMessage(*conn));
    PQclear(result);
    PQfinish(*conn);
    *conn = NULL;
    return NULL;
}

/* ---- early connections ---- */

typedef struct early_slot {
    gg_pg_connect_options options;
    char why[512]; /* when conn is NULL: "cannot connect to the database: ..." */
    pthread_t thread;
    bool started; /* the thread exists: join it */
    bool done;    /* the thread has set conn (under the lock): connected or failed */
    bool taken;   /* a pool has it (or it was closed) */
    bool startup; /* start-up's steps have it (gg_pg_startup_connect); gg_pg_startup_give_back returns it */
    PGconn *conn; /* the thread's result: NULL when it could not connect */
    gg_pg_early *early;
} early_slot;

struct gg_pg_early {
    char *url;
    unsigned count; /* the pools' connections; the first connected is start-up's before its pool has it */
    early_slot *slots;
    bool failure_told;    /* start-up got one failed early connection's reason: later steps connect anew */
    pthread_mutex_t lock; /* the slots' done flags, and the condition start-up waits on for one */
    pthread_cond_t one_done;
};

/* The early connections whose first connected start-up's steps use before its pool (main thread only). */
static gg_pg_early *startup_early;

static void *early_connect(void *arg)
{
    early_slot *slot = arg;
    char why[sizeof slot->why] = "";
    PGconn *conn = gg_pg_connect(slot->early->url, &slot->options, GG_FAULT_INTO(why));
    pthread_mutex_lock(&slot->early->lock);
    slot->conn = conn;
    memcpy(slot->why, why, sizeof why);
    slot->done = true;
    pthread_cond_broadcast(&slot->early->one_done);
    pthread_mutex_unlock(&slot->early->lock);
    gg_log_startup_step("early PostgreSQL connection %u: %s", (unsigned)(slot - slot->early->slots),
                        conn != NULL ? "connected" : "failed");
    return NULL;
}

static PGconn *take_slot(gg_pg_early *e, unsigned index)
{
    early_slot *slot = &e->slots[index];
    if (slot->taken) return NULL;
    if (slot->started) pthread_join(slot->thread, NULL);
    slot->started = false;
    slot->taken = true;
    return slot->conn;
}

gg_pg_early *gg_pg_early_start(const char *url, unsigned statement_timeout_ms, unsigned count)
{
    gg_pg_early *e = calloc(1, sizeof *e);
    if (e == NULL || count == 0 || (e->url = strdup(url)) == NULL ||
        (e->slots = calloc(count, sizeof *e->slots)) == NULL)
        abort();
    e->count = count;
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->one_done, NULL);
    for (unsigned i = 0; i < count; i++) {
        early_slot *slot = &e->slots[i];
        slot->early = e;
        slot->options = (gg_pg_connect_options){.connect_timeout_s = 5, .statement_timeout_ms = statement_timeout_ms};
        slot->started = pthread_create(&slot->thread, NULL, early_connect, slot) == 0;
        if (!slot->started) {
            snprintf(slot->why, sizeof slot->why, "cannot start a thread");
            slot->done = true;
        }
    }
    startup_early = e;
    return e;
}

PGconn *gg_pg_early_take(gg_pg_early *e, unsigned index)
{
    return e != NULL && index < e->count ? take_slot(e, index) : NULL;
}

void gg_pg_early_free(gg_pg_early *e)
{
    if (e == NULL) return;
    for (unsigned i = 0; i < e->count; i++)
        PQfinish(take_slot(e, i));
    if (startup_early == e) {
        close_kept(); /* start-up's connection may be a slot's */
        forget_prefetch();
        startup_early = NULL;
    }
    pthread_cond_destroy(&e->one_done);
    pthread_mutex_destroy(&e->lock);
    free(e->slots);
    free(e->url);
    free(e);
}

/* The early connection start-up borrows: whichever no pool has taken connects first (the backends
 * start in parallel and PostgreSQL finishes them one after the other), waited for; when every one
 * failed, the first with its reason; NULL when every one was taken. */
static early_slot *first_connected(gg_pg_early *e)
{
    early_slot *connected = NULL, *failed = NULL;
    bool waiting = true;
    pthread_mutex_lock(&e->lock);
    while (connected == NULL && waiting) {
        waiting = false;
        for (unsigned i = 0; i < e->count && connected == NULL; i++) {
            early_slot *slot = &e->slots[i];
            if (slot->taken) continue;
            if (!slot->done)
                waiting = true;
            else if (slot->conn != NULL)
                connected = slot;
            else if (failed == NULL)
                failed = slot;
        }
        if (connected == NULL && waiting) pthread_cond_wait(&e->one_done, &e->lock);
    }
    pthread_mutex_unlock(&e->lock);
    return connected != NULL ? connected : failed;
}

PGconn *gg_pg_startup_connect(const char *url, const gg_pg_connect_options *options, gg_fault *fault)
{
    if (kept != NULL && strcmp(kept_url, url) == 0 && PQstatus(kept) == CONNECTION_OK &&
        PQtransactionStatus(kept) == PQTRANS_IDLE) {
        PGconn *conn = kept;
        kept = NULL;
        close_kept(); /* frees the URL */
        return conn;
    }
    close_kept();
    early_slot *slot =
        startup_early != NULL && strcmp(startup_early->url, url) == 0 ? first_connected(startup_early) : NULL;
    if (slot != NULL && slot->conn == NULL && startup_early->failure_told) slot = NULL;
    if (slot != NULL) {
        PGconn *conn = take_slot(startup_early, (unsigned)(slot - startup_early->slots));
        slot->startup = conn != NULL;
        if (conn == NULL) { /* told once; a later step tries with start-up's own options (no pool settings) */
            gg_fault_set(fault, NULL, "%s", slot->why);
            startup_early->failure_told = true;
        }
        return conn; /* its own connect_timeout (5 s) is the one start-up uses */
    }
    return gg_pg_connect(url, options, fault);
}

/* The early connection's slot that lends conn to start-up; NULL when conn is none. */
static early_slot *lending_slot(PGconn *conn)
{
    for (unsigned i = 0; conn != NULL && startup_early != NULL && i < startup_early->count; i++)
        if (startup_early->slots[i].startup && startup_early->slots[i].conn == conn) return &startup_early->slots[i];
    return NULL;
}

/* The slot no longer lends conn (about to be closed), so a later connection at the same address is
 * never mistaken for it. */
static void forget_lent(PGconn *conn)
{
    early_slot *slot = lending_slot(conn);
    if (slot != NULL) {
        slot->startup = false;
        slot->conn = NULL;
    }
}

void gg_pg_startup_give_back(PGconn *conn)
{
    if (conn != NULL && conn == prefetched_conn) forget_prefetch(); /* no step reads it after this */
    early_slot *slot = lending_slot(conn);
    if (slot != NULL && PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE) {
        slot->startup = false;
        slot->taken = false; /* its pool takes it (its thread has ended: nothing to join) */
        return;
    }
    forget_lent(conn);
    PQfinish(conn);
}

void gg_pg_startup_close(void)
{
    if (lending_slot(kept) != NULL) {
        gg_pg_startup_give_back(kept); /* a pool's early connection, lent to start-up */
        kept = NULL;
    }
    close_kept();
    forget_prefetch();
}
