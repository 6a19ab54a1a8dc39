/* datastore_sync.h: syncX (Amplify DataStore), one page per request, as a list over another source.
 *
 * A syncX page is a listX page (plan_sql.h) whose rows come either from the model's table (a base
 * page: every row, tombstones included) or from the table restricted to the keys graphgate_changes
 * logged for the model since lastSync (a delta page). Both plans build it as a list, so the filter,
 * the @auth rules (operation sync), the keyset by primary key and the limit are written as for
 * listX, in one statement. What is sync's own lives here: choosing base or delta, startedAt, and
 * the nextToken that carries them from page to page. */
#ifndef GG_PG_DATASTORE_SYNC_H
#define GG_PG_DATASTORE_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "plan_sql.h"

/* The page size of a syncX without limit (AppSync's sync resolver template). */
#define GG_PG_SYNC_DEFAULT_LIMIT 100

/* One syncX page being planned (request arena). */
typedef struct gg_pg_sync_page {
    const gg_pg_model *pm;
    bool delta;            /* the rows logged since last_sync; false: the whole table (base) */
    bool has_last_sync;    /* lastSync was given (in the arguments or, on later pages, in nextToken) */
    int64_t last_sync;     /* epoch ms */
    int64_t started_at;    /* epoch ms when page 1 was planned */
    const gg_val *args;    /* the arguments the page is listed with (nextToken: the list's own token) */
    const char *table_sql; /* what the rows are read from (delta); NULL: the model's table */
    gg_arena *arena;       /* for the answer */
    const gg_cursor_key *key;
} gg_pg_sync_page;

/* Reads syncX's arguments (lastSync, nextToken, the target's delta TTL) into a new page in
 * b->sync. False with b's failure: a nextToken that does not verify, or was issued for another
 * query (UserIllegalArgumentException, as listX answers it), a lastSync in the future or of another
 * page 1 than the token's (InvalidArgumentsError). */
bool gg_pg_sync_prepare(gg_pg_plan_builder *b);
/* Makes *cs the connection of the syncX page (a list of the model by primary key). */
void gg_pg_sync_connection(const gg_pg_sync_page *sync, gg_pg_plan_connection *cs);
/* Completes the page's value: startedAt, and its nextToken (the list's) signed again with
 * startedAt, the mode and lastSync, so later pages continue the same sync. */
void gg_pg_sync_finish(const gg_pg_sync_page *sync, gg_val *value);

#endif
