/* datastore_purge.h: the DataStore purge (issue 17): every datastore.purge_interval_s, the server
 * deletes the change log's rows older than the delta TTL (datastore.delta_ttl_min) and the
 * tombstones whose "_ttl" has passed ("_ttl" is set by a delete to its time plus
 * datastore.tombstone_ttl_min), in every synced model's table, and logs what it removed.
 *
 * One instance at a time: the purge is ONE statement whose first step takes
 * pg_try_advisory_xact_lock(GG_PG_PURGE_LOCK_KEY); its deletes run only when that lock was free.
 * The lock belongs to the statement's own transaction, so it is released when the statement ends
 * and works through a transaction pooler (PgBouncer transaction mode), where a session lock would
 * stay on a server connection that other clients then use. An instance that finds the lock taken
 * skips that round: another one is doing the same work. Rounds run on a ticker thread (ticker.h)
 * with a blocking connection of their own, never on an event loop. */
#ifndef GG_PG_DATASTORE_PURGE_H
#define GG_PG_DATASTORE_PURGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "amplify/model.h"

/* The purge's advisory lock key (migrate uses another one). */
#define GG_PG_PURGE_LOCK_KEY INT64_C(7146820394117)

/* What one round did. */
typedef struct gg_pg_purge_outcome {
    bool ran;             /* false: another instance held the lock; nothing was deleted */
    long long changes;    /* change log rows deleted */
    long long tombstones; /* tombstones deleted, all models together */
    char detail[512];     /* per model with tombstones deleted: "Todo 3, Note 1" */
} gg_pg_purge_outcome;

typedef struct gg_pg_datastore_purge gg_pg_datastore_purge;

/* The purge of the synced models of catalog (its SQL and their names are copied: the catalog may
 * go before the purge does); NULL when no model is synced. */
gg_pg_datastore_purge *gg_pg_datastore_purge_new(const gg_amplify_catalog *catalog, double delta_ttl_min);
/* The statement of one round (for tests and the log). */
const char *gg_pg_datastore_purge_sql(const gg_pg_datastore_purge *purge);
/* Runs one round on *conn, opened to url when NULL (gg_pg_ask_row, pooled as there); false with
 * the reason in why. */
bool gg_pg_datastore_purge_once(gg_pg_datastore_purge *purge, PGconn **conn, const char *url, bool pooled,
                                gg_pg_purge_outcome *outcome, char *why, size_t why_len);
/* Runs a round every interval_s seconds on a thread of its own (the first after one interval),
 * logging what each removed; false when no thread could start. */
bool gg_pg_datastore_purge_start(gg_pg_datastore_purge *purge, const char *url, bool pooled, unsigned interval_s);
/* Stops the thread (after a round it may be running) and frees everything; NULL: nothing. */
void gg_pg_datastore_purge_free(gg_pg_datastore_purge *purge);

#endif
