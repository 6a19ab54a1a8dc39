/* ticker.c: see ticker.h. The thread sleeps on a condition variable with a deadline, so that
 * gg_pg_ticker_stop can wake it instead of waiting out the period. */
#include "ticker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct gg_pg_ticker {
    void (*tick)(void *arg);
    void *arg;
    unsigned period_ms;
    bool stop;
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
};

static void *ticker_main(void *data)
{
    gg_pg_ticker *t = data;
    pthread_mutex_lock(&t->mutex);
    while (!t->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        uint64_t ns = (uint64_t)until.tv_nsec + (uint64_t)t->period_ms * 1000000;
        until.tv_sec += (time_t)(ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        while (!t->stop && pthread_cond_timedwait(&t->cond, &t->mutex, &until) == 0)
            ;
        if (t->stop) break;
        pthread_mutex_unlock(&t->mutex);
        t->tick(t->arg);
        pthread_mutex_lock(&t->mutex);
    }
    pthread_mutex_unlock(&t->mutex);
    return NULL;
}

gg_pg_ticker *gg_pg_ticker_start(void (*tick)(void *arg), void *arg, unsigned period_ms)
{
    gg_pg_ticker *t = calloc(1, sizeof *t);
    if (t == NULL) abort();
    t->tick = tick;
    t->arg = arg;
    t->period_ms = period_ms;
    pthread_mutex_init(&t->mutex, NULL);
    pthread_cond_init(&t->cond, NULL);
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
        pthread_mutex_destroy(&t->mutex);
        pthread_cond_destroy(&t->cond);
        free(t);
        return NULL;
    }
    return t;
}

void gg_pg_ticker_stop(gg_pg_ticker *t)
{
    if (t == NULL) return;
    pthread_mutex_lock(&t->mutex);
    t->stop = true;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->mutex);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mutex);
    pthread_cond_destroy(&t->cond);
    free(t);
}
