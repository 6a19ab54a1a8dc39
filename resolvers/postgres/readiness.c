/* readiness.c: is the database reachable? Answered for /readyz without touching the event loops
 * (postgres.h).
 *
 * A ticker thread (ticker.h) opens a blocking connection (connect.h, connect_timeout=2) every 2
 * seconds, runs nothing, closes, and stores the outcome in an atomic flag. The first outcome is
 * the caller's when it has just connected itself (start-up reads the cursor key and the tables),
 * so that start-up does not open one more connection in sequence before /readyz can say 200. The event loops only
 * read the flag (and /readyz also asks its own thread's pool, see server/http/server.c); when no
 * database URL is configured the probe does not run and the database counts as ready. */
#include "postgres.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "connect.h"
#include "ticker.h"

#define PROBE_PERIOD_MS 2000

struct gg_pg_readiness {
    char *url;
    atomic_bool db_ok;
    gg_pg_ticker *ticker;
};

static bool probe(const char *url)
{
    gg_pg_connect_options options = {.connect_timeout_s = 2};
    char why[16]; /* the reason is not needed: /readyz says only "unreachable" */
    PGconn *c = gg_pg_connect(url, &options, GG_FAULT_INTO(why));
    bool ok = c != NULL;
    PQfinish(c);
    return ok;
}

static void probe_tick(void *arg)
{
    gg_pg_readiness *r = arg;
    atomic_store(&r->db_ok, probe(r->url));
}

gg_pg_readiness *gg_pg_readiness_start(const char *database_url, bool reachable_now)
{
    gg_pg_readiness *r = calloc(1, sizeof *r);
    if (r == NULL) abort();
    if (database_url == NULL || database_url[0] == '\0') {
        atomic_store(&r->db_ok, true);
        return r;
    }
    r->url = strdup(database_url);
    if (r->url == NULL) abort();
    /* the caller's own connection just answered: a probe would only say so again, a connection later */
    atomic_store(&r->db_ok, reachable_now || probe(r->url));
    r->ticker = gg_pg_ticker_start(probe_tick, r, PROBE_PERIOD_MS);
    return r;
}

bool gg_pg_readiness_ok(const gg_pg_readiness *r)
{
    return atomic_load(&r->db_ok);
}

void gg_pg_readiness_stop(gg_pg_readiness *r)
{
    if (r == NULL) return;
    gg_pg_ticker_stop(r->ticker);
    free(r->url);
    free(r);
}
