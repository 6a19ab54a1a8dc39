/* readiness.c: is the database reachable? Answered for /readyz without touching the event loops
 * (postgres.h).
 *
 * One small thread opens a blocking connection (connect.h, connect_timeout=2), runs nothing,
 * closes, and stores the outcome in an atomic flag; then it sleeps 2 seconds (woken early on
 * shutdown). The event loops only read the flag (and /readyz also asks its own thread's pool, see
 * server/http/server.c); when no database URL is configured the probe does not run and the
 * database counts as ready. */
#include "postgres.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect.h"

struct gg_pg_readiness {
    char *url;
    atomic_bool db_ok;
    bool running;
    bool stop;
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
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

static void *probe_main(void *arg)
{
    gg_pg_readiness *r = arg;
    pthread_mutex_lock(&r->mutex);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mutex);
        atomic_store(&r->db_ok, probe(r->url));
        pthread_mutex_lock(&r->mutex);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 2;
        while (!r->stop && pthread_cond_timedwait(&r->cond, &r->mutex, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&r->mutex);
    return NULL;
}

gg_pg_readiness *gg_pg_readiness_start(const char *database_url)
{
    gg_pg_readiness *r = calloc(1, sizeof *r);
    if (r == NULL) abort();
    pthread_mutex_init(&r->mutex, NULL);
    pthread_cond_init(&r->cond, NULL);
    if (database_url == NULL || database_url[0] == '\0') {
        atomic_store(&r->db_ok, true);
        return r;
    }
    r->url = strdup(database_url);
    if (r->url == NULL) abort();
    atomic_store(&r->db_ok, probe(r->url));
    r->running = pthread_create(&r->thread, NULL, probe_main, r) == 0;
    return r;
}

bool gg_pg_readiness_ok(const gg_pg_readiness *r)
{
    return atomic_load(&r->db_ok);
}

void gg_pg_readiness_stop(gg_pg_readiness *r)
{
    if (r == NULL) return;
    if (r->running) {
        pthread_mutex_lock(&r->mutex);
        r->stop = true;
        pthread_cond_signal(&r->cond);
        pthread_mutex_unlock(&r->mutex);
        pthread_join(r->thread, NULL);
    }
    pthread_mutex_destroy(&r->mutex);
    pthread_cond_destroy(&r->cond);
    free(r->url);
    free(r);
}
