/* replica.h: reads sent to the read replica (database.read_url) when it is healthy and close enough
 * behind the primary, else to the primary (replica.c says how the lag is measured). The replica's
 * monitor itself (gg_pg_replica_start, gg_pg_replica_status) is in postgres.h. */
#ifndef GG_PG_REPLICA_H
#define GG_PG_REPLICA_H

#include "base/arena.h"
#include "pg_pool.h"

/* gg_pg_pool_query_format for a statement that only reads, on behalf of req: on req->read_pool when
 * req->replica says it is usable and this thread's replica pool has a ready connection, else on
 * req->pool. A failure of the replica's own (connection, shutdown, recovery conflict, a statement
 * that writes) sends the statement again to the primary, and so does (up to three times) a primary connection
 * that broke under it (replica.c), so cb sees one outcome as usual. sql and
 * values must stay valid until cb is called (the request arena's); arena holds the retry's state. */
void gg_pg_query_read(const gg_pg_request *req, gg_arena *arena, const char *sql, int param_count,
                      const char *const *values, int result_format, gg_pg_result_cb cb, void *user);

#endif
