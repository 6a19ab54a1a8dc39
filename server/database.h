/* database.h: the gateway's blocking PostgreSQL steps, run on the main thread before any event
 * loop starts or from the command line: the cursor key at start-up and `graphgate migrate`.
 * The event loops never block: their queries go through one gg_pg_pool per loop (server.c). */
#ifndef GG_DATABASE_H
#define GG_DATABASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "cursor.h"
#include "http/gql.h"

/* Exit statuses of `graphgate migrate` (also listed by --help). */
enum { GG_MIGRATE_OK = 0, GG_MIGRATE_DATABASE_ERROR = 1, GG_MIGRATE_CONFIG_ERROR = 2 };

/* Start-up: the key that signs nextToken values, from cursor_secret when set, else the secret stored
 * in the database (graphgate_meta, created when absent; *source says which, for the log), and a
 * warning on stderr for each @model table that does not exist yet. False with a reason only when
 * the key cannot be had (no cursor_secret and no database). */
bool gg_database_prepare(const gg_config *cfg, const gg_amplify_catalog *catalog, gg_cursor_key *key,
                         const char **source, gg_fault *fault);
/* `graphgate migrate`: prints the DDL (dry_run, no database needed) or applies it in one
 * transaction and prints a summary on out; errors on err. Returns a GG_MIGRATE_* status. */
int gg_database_migrate(const gg_config *cfg, const gg_gql *gql, bool dry_run, FILE *out, FILE *err);

#endif
