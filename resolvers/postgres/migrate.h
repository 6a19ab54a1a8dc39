/* migrate.h: tables, indexes and foreign keys for the @model types of a catalog (`graphgate migrate`).
 *
 * The DDL is idempotent so it can run at every deployment: CREATE TABLE IF NOT EXISTS with the
 * primary key, ADD COLUMN IF NOT EXISTS for every other field (a new field in the schema becomes
 * a new column; nothing is ever dropped or retyped), CREATE INDEX IF NOT EXISTS for each @index
 * and for the foreign-key side of each relation, and foreign keys (added only when missing) where
 * the referenced fields are the whole primary key of the target. A small table
 * graphgate_meta(key, value) holds a random `cursor_secret`, created on the first migration, so
 * every instance signs nextToken values alike. These functions use a blocking libpq connection:
 * they run from the command line and at start-up, never on an event loop. */
#ifndef GG_PG_MIGRATE_H
#define GG_PG_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "amplify/model.h"
#include "base/buf.h"
#include "cursor.h"

/* Appends the migration script for catalog to out: one statement per line group, each ending with ";\n". */
void gg_pg_migrate_sql(const gg_amplify_catalog *catalog, gg_buf *out);
/* Runs the script in one transaction (dry_run: only appends it to out, when out is not NULL).
 * False with a message in error (size bytes) when a statement fails; nothing is applied then. */
bool gg_pg_migrate(PGconn *conn, const gg_amplify_catalog *catalog, bool dry_run, gg_buf *out, char *error,
                   size_t size);
/* Reads the cursor secret from graphgate_meta (creating the table and a random secret when
 * absent) and derives key from it. False with a message in error. */
bool gg_pg_load_cursor_key(PGconn *conn, gg_cursor_key *key, char *error, size_t size);

#endif
