/* replica.c: a read replica (database.read_url): its health and lag, measured by one background
 * thread, and the routing of each read statement between the replica and the primary pool.
 *
 * Lag is measured in time, from WAL positions, never from replay timestamps: now() -
 * pg_last_xact_replay_timestamp() grows while the primary is idle (nothing new to replay) and would
 * call an up-to-date replica late, and a heartbeat table would need graphgate to write into the
 * user's database. Instead the thread asks the primary for pg_current_wal_flush_lsn() (what a
 * standby can have received) and keeps the moments each new position was first seen; then it asks
 * the replica for pg_last_wal_replay_lsn(). The replica lags by the age of the oldest position it
 * has not replayed yet: an idle primary whose WAL the replica has replayed is 0 behind, a replica
 * whose replay is paused falls behind from the first write it misses. The precision is the
 * probe's period (max_replica_lag_ms / 4, between 50 ms and 1 s). A replica that is not in recovery
 * (a promoted standby, or the primary itself behind another address) is 0 behind. While the primary
 * cannot be asked, positions already seen still count (the replica is judged on what it is known
 * to miss).
 *
 * The thread (ticker.h) uses blocking connections of its own (connect.h, connect_timeout=2, each statement
 * bounded by 2 s through poll), so no event loop ever waits for it; the loops read its verdict from
 * atomics. It logs once per change of verdict (unreachable, lagging, ok), not per request.
 *
 * Routing (gg_pg_query_read, replica.h): a read goes to the thread's replica pool when the verdict
 * is ok and that pool has a ready connection, else to the primary pool. A read the replica cannot
 * answer for a reason of its own (connection lost or not ready, shut down, a recovery conflict, a
 * statement that turns out to write) is sent again to the primary: reads are idempotent, so a
 * replica that goes away between two probes fails no read. On the primary, a read whose session
 * ended under it (gg_pg_session_ended: lost, its backend terminated or shut down) is sent again, up
 * to three times: the pool makes the connection again at once and the read waits for it
 * (pg_pool.h), so a backend killed by an operator, an idle-session killer or a fast restart fails
 * no read either. */
#include "replica.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "connect.h"
#include "ticker.h"

#define STATEMENT_TIMEOUT_MS 2000

typedef struct wal_sample {
    uint64_t lsn;     /* the primary's flushed WAL position */
    uint64_t seen_ms; /* when it was first seen (CLOCK_MONOTONIC) */
} wal_sample;

struct gg_pg_replica {
    bool pooled; /* the URLs are a transaction pooler's (database.pooler) */
    char *primary_url, *read_url;
    unsigned max_lag_ms, period_ms;
    atomic_uint state; /* gg_pg_replica_state */
    atomic_uint lag_ms;
    /* the thread's own */
    PGconn *primary, *replica;
    wal_sample *samples; /* a ring of capacity: the oldest at first, count of them. At most one a period, so a
                          * full ring spans more than max_lag_ms: a replica behind its oldest is beyond the limit */
    unsigned capacity, first, count;
    int logged; /* the verdict last logged (a gg_pg_replica_state); -1: none yet */
    gg_pg_ticker *ticker;
};

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* "16/B374D848" as a number; false when text is not a WAL position. */
static bool parse_lsn(const char *text, uint64_t *lsn)
{
    char *end;
    unsigned long high = strtoul(text, &end, 16);
    if (end == text || *end != '/') return false;
    const char *low_text = end + 1;
    unsigned long low = strtoul(low_text, &end, 16);
    if (end == low_text || *end != '\0' || high > UINT32_MAX || low > UINT32_MAX) return false;
    *lsn = (uint64_t)high << 32 | low;
    return true;
}

/* Remembers the primary's position now, when it moved since the last one seen. */
static void sample_primary(gg_pg_replica *r, uint64_t now)
{
    char why[256];
    PGresult *res = gg_pg_ask_row(&r->primary, r->primary_url, r->pooled, STATEMENT_TIMEOUT_MS,
                                  "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
                                  "ELSE pg_current_wal_flush_lsn() END",
                                  why, sizeof why);
    uint64_t lsn;
    bool known = res != NULL && !PQgetisnull(res, 0, 0) && parse_lsn(PQgetvalue(res, 0, 0), &lsn);
    PQclear(res);
    if (!known) return;
    if (r->count > 0 && r->samples[(r->first + r->count - 1) % r->capacity].lsn == lsn) return;
    if (r->count == r->capacity) {
        r->first = (r->first + 1) % r->capacity;
        r->count--;
    }
    r->samples[(r->first + r->count) % r->capacity] = (wal_sample){.lsn = lsn, .seen_ms = now};
    r->count++;
}

/* How long ago the oldest position the replica has not replayed was first seen (0: none). */
static unsigned lag_behind(const gg_pg_replica *r, uint64_t replayed, uint64_t now)
{
    for (unsigned i = 0; i < r->count; i++) {
        const wal_sample *s = &r->samples[(r->first + i) % r->capacity];
        if (s->lsn > replayed) return now - s->seen_ms > UINT32_MAX ? UINT32_MAX : (unsigned)(now - s->seen_ms);
    }
    return 0;
}

/* One probe: the primary's position, then the replica's; sets the verdict and logs its changes. */
static void probe(gg_pg_replica *r)
{
    uint64_t now = now_ms();
    sample_primary(r, now);
    char why[256] = "";
    PGresult *res = gg_pg_ask_row(&r->replica, r->read_url, r->pooled, STATEMENT_TIMEOUT_MS,
                                  "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()", why, sizeof why);
    gg_pg_replica_state state = GG_PG_REPLICA_UNREACHABLE;
    unsigned lag = 0;
    if (res != NULL) {
        uint64_t replayed;
        if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
            lag = 0; /* not a standby: nothing to wait for */
        else if (!PQgetisnull(res, 0, 1) && parse_lsn(PQgetvalue(res, 0, 1), &replayed))
            lag = lag_behind(r, replayed, now_ms());
        else
            lag = UINT32_MAX; /* a standby that has replayed nothing yet */
        state = lag > r->max_lag_ms ? GG_PG_REPLICA_LAGGING : GG_PG_REPLICA_OK;
        PQclear(res);
    }
    atomic_store(&r->lag_ms, lag);
    atomic_store(&r->state, (unsigned)state);
    if ((int)state == r->logged) return;
    r->logged = (int)state;
    if (state == GG_PG_REPLICA_UNREACHABLE)
        gg_log_warn("read replica unreachable (%s): reads go to the primary until it is back", why);
    else if (state == GG_PG_REPLICA_LAGGING && lag == UINT32_MAX)
        gg_log_warn("read replica has replayed nothing yet: reads go to the primary until it has");
    else if (state == GG_PG_REPLICA_LAGGING)
        gg_log_warn("read replica lags %u ms behind the primary, beyond database.max_replica_lag_ms (%u): reads go "
                    "to the primary until it catches up",
                    lag, r->max_lag_ms);
    else
        gg_log_info("read replica ready (%u ms behind the primary): reads go to the replica", lag);
}

static void probe_tick(void *arg)
{
    probe(arg);
}

gg_pg_replica *gg_pg_replica_start(const char *primary_url, const char *read_url, unsigned max_lag_ms, bool pooled)
{
    gg_pg_replica *r = calloc(1, sizeof *r);
    if (r == NULL) abort();
    r->primary_url = strdup(primary_url);
    r->read_url = strdup(read_url);
    if (r->primary_url == NULL || r->read_url == NULL) abort();
    r->max_lag_ms = max_lag_ms;
    r->pooled = pooled;
    r->period_ms = max_lag_ms / 4 < 50 ? 50 : max_lag_ms / 4 > 1000 ? 1000 : max_lag_ms / 4;
    r->capacity = max_lag_ms / r->period_ms + 2;
    r->samples = calloc(r->capacity, sizeof *r->samples);
    if (r->samples == NULL) abort();
    r->logged = -1; /* the first verdict is always logged */
    probe(r);       /* the first requests already know where to go */
    r->ticker = gg_pg_ticker_start(probe_tick, r, r->period_ms);
    return r;
}

gg_pg_replica_state gg_pg_replica_status(const gg_pg_replica *r, unsigned *lag_ms)
{
    if (lag_ms != NULL) *lag_ms = atomic_load(&r->lag_ms);
    return (gg_pg_replica_state)atomic_load(&r->state);
}

void gg_pg_replica_stop(gg_pg_replica *r)
{
    if (r == NULL) return;
    gg_pg_ticker_stop(r->ticker); /* first: the probe uses the connections */
    PQfinish(r->primary);
    PQfinish(r->replica);
    free(r->samples);
    free(r->primary_url);
    free(r->read_url);
    free(r);
}

/* ---- routing, on the loop thread ---- */

/* A shutdown ends every backend: a read sent again may meet the next dying connection before the
 * pool has seen them all go (each failure keeps its connection from new queries, pg_pool.c). */
enum { PRIMARY_RESENDS_MAX = 3 };

typedef struct read_attempt {
    bool on_primary; /* sent to the primary (first, or after the replica failed) */
    unsigned resent; /* sent to the primary again after its connection broke (PRIMARY_RESENDS_MAX at most) */
    gg_pg_pool *primary;
    const void *owner;
    const char *sql;
    int param_count;
    const char *const *values;
    int result_format;
    gg_pg_result_cb cb;
    void *user;
} read_attempt;

/* The replica failed the statement for a reason of its own, one the primary does not share. */
static bool replica_failure(gg_pg_status status, const PGresult *result)
{
    if (status == GG_PG_LOST || status == GG_PG_UNAVAILABLE) return true;
    if (status != GG_PG_ERROR) return false;
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
    if (state == NULL) return true;         /* libpq's own: the connection */
    return strncmp(state, "08", 2) == 0     /* connection exception */
           || strncmp(state, "57P", 3) == 0 /* shutting down, cannot connect now */
           || strcmp(state, "40001") == 0   /* canceled by a conflict with recovery */
           || strcmp(state, "25006") == 0   /* read-only transaction: the statement writes */
           || strcmp(state, "53300") == 0;  /* too many connections */
}

static void on_read_result(void *user, gg_pg_status status, const PGresult *result)
{
    read_attempt *a = user;
    bool again = a->on_primary ? a->resent < PRIMARY_RESENDS_MAX && gg_pg_session_ended(status, result)
                               : replica_failure(status, result);
    if (!again) {
        a->cb(a->user, status, result);
        return;
    }
    if (a->on_primary) a->resent++;
    a->on_primary = true;
    gg_pg_pool_query_format(a->primary, a->owner, a->sql, a->param_count, a->values, a->result_format, on_read_result,
                            a);
}

void gg_pg_query_read(const gg_pg_request *req, gg_arena *arena, const char *sql, int param_count,
                      const char *const *values, int result_format, gg_pg_result_cb cb, void *user)
{
    bool replica = req->read_pool != NULL && req->replica != NULL &&
                   gg_pg_replica_status(req->replica, NULL) == GG_PG_REPLICA_OK && gg_pg_pool_ready(req->read_pool) > 0;
    read_attempt *a = gg_arena_alloc(arena, sizeof *a);
    *a = (read_attempt){.on_primary = !replica,
                        .primary = req->pool,
                        .owner = req->owner,
                        .sql = sql,
                        .param_count = param_count,
                        .values = values,
                        .result_format = result_format,
                        .cb = cb,
                        .user = user};
    gg_pg_pool_query_format(replica ? req->read_pool : req->pool, req->owner, sql, param_count, values, result_format,
                            on_read_result, a);
}
