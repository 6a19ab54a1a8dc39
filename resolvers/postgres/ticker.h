/* ticker.h: a thread that runs one function periodically, for the probes that block on their own
 * connections so that no event loop does (readiness.c, replica.c). Stopping wakes it at once; a
 * tick already running is waited for. */
#ifndef GG_PG_TICKER_H
#define GG_PG_TICKER_H

typedef struct gg_pg_ticker gg_pg_ticker;

/* Starts a thread that calls tick(arg) every period_ms (the first call after one period). NULL
 * when no thread can be started (then tick is never called). */
gg_pg_ticker *gg_pg_ticker_start(void (*tick)(void *arg), void *arg, unsigned period_ms);
/* Stops the thread (after the tick it may be running) and frees the ticker; NULL: nothing. */
void gg_pg_ticker_stop(gg_pg_ticker *ticker);

#endif
