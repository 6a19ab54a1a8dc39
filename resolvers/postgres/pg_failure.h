/* pg_failure.h: what a client sees when a PostgreSQL statement fails, for every resolver over
 * PostgreSQL (@model fields in pg_resolvers.c, @sql fields in sql_directive.c).
 *
 * One table maps a SQLSTATE to an errorType and a fixed message, so the same database error reads
 * the same whichever kind of field ran the statement: a unique violation (23505) is AppSync's
 * conditional check failure, a foreign key violation (23503) names the related item, a cancelled
 * statement (57014) a timeout, and a value the column's type or constraints refuse (NOT NULL,
 * CHECK, length, range, form, a generated column) is the client's InvalidArgumentsError. SQL and
 * PostgreSQL's own text never reach the client; errors the table does not explain are logged to
 * stderr with their SQLSTATE and text, which is also the fault's detail. */
#ifndef GG_PG_FAILURE_H
#define GG_PG_FAILURE_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "base/fault.h"
#include "pg_pool.h"

/* The errorType of a failed condition (or of a create whose key exists): AppSync's, which names
 * DynamoDB, word for word, because clients written against AppSync compare it. */
#define GG_PG_CONDITION_FAILED "DynamoDB:ConditionalCheckFailedException"

/* The fault a client sees (errorType and message, never SQL; base/fault.h) for a statement that ended with status (not
 * GG_PG_OK) and result (NULL when there is none). where names the field in the log ("Query.field"); deleting says the
 * statement deletes rows, so that a foreign key violation means "other items still refer to it" rather than "the
 * related item does not exist". pool gives the error when the statement could not be prepared. */
gg_fault gg_pg_failure_of(gg_pg_pool *pool, gg_pg_status status, const PGresult *result, const char *where,
                          bool deleting);

#endif
