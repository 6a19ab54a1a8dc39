/* datastore_store.h: how Amplify DataStore's metadata is stored in PostgreSQL (issue 17,
 * appsync-compat.md §4.1/§4.2): the names every part of the DataStore work uses.
 *
 * A synced model's table (gg_amplify_model.sync) has four more columns, made by `graphgate migrate`
 * (datastore_migrate.c):
 *   "_version"       integer NOT NULL DEFAULT 1     the row's version, bumped by every write
 *   "_deleted"       boolean                        NULL or false: live; true: a tombstone
 *   "_lastChangedAt" bigint NOT NULL DEFAULT now    epoch milliseconds of the last write (GG_PG_NOW_MS_SQL)
 *   "_ttl"           bigint                         epoch SECONDS after which a tombstone may be purged
 * with an index on ("_ttl") WHERE "_deleted" (the purge), none on what every write changes (so an
 * update is a HOT update: datastore_migrate.c). The first three
 * are the model's generated fields (their gg_pg_column is the field's); "_ttl" has no field.
 * One change log table, graphgate_changes, beside the models' tables (unqualified like them: the
 * connection's search_path decides the schema, for the models and the log alike):
 *   model text COLLATE "C" NOT NULL, changed_at bigint NOT NULL (epoch ms: the row's new
 *   "_lastChangedAt"), pk text NOT NULL, version integer NOT NULL, deleted boolean NOT NULL DEFAULT false
 * indexed on (model, changed_at); append-only, written in the statement of the change, pruned by
 * the purge (datastore_purge.h). pk is the key as text: the key column's value as text for a model
 * whose key is one column (the usual id), and the JSON text of {"<key field>": "<value as text>",
 * ...} for a composite key (read back with ::jsonb). Both are the cheapest forms a versioned write
 * can log: a text value copied from the written row, where a jsonb column cost each write a
 * jsonb_build_object and a larger row (7k of PostgreSQL's ~205k instructions per update), and
 * "C" compares the index's model names bytewise instead of through the database's locale.
 * Earlier versions made model text and pk jsonb; migrate converts such a table
 * (datastore_migrate.h). */
#ifndef GG_PG_DATASTORE_STORE_H
#define GG_PG_DATASTORE_STORE_H

#include <stdbool.h>

#include "base/arena.h"
#include "pg_model.h"

/* The epoch-millisecond clock every write uses, one expression for all. clock_timestamp, not
 * statement_timestamp: the rows one statement writes get increasing times, which orders the log.
 * date_part's double (within a microsecond until the year 2255) rounded to the nearest millisecond
 * by the cast: four function calls where floor(extract(...)) made five in numeric, and PostgreSQL
 * sets each call up again on every execution of a prepared statement (~3k of a versioned update's
 * ~200k instructions there; the rounding gives as good a millisecond as the floor did). */
#define GG_PG_NOW_MS_SQL "(date_part('epoch', clock_timestamp()) * 1000)::bigint"

/* The change log's name in SQL: "graphgate_changes" (quoted, qualified as the models' tables are). */
const char *gg_pg_changes_table(const gg_pg_models *models);
/* The change log's unquoted name, for messages and catalog lookups. */
#define GG_PG_CHANGES_TABLE_NAME "graphgate_changes"

/* True when some model of models is synced (the change log is needed). */
bool gg_pg_models_synced(const gg_pg_models *models);
/* Sets pm->version, deleted, last_changed_at (the generated fields' columns) and ttl (a column of
 * its own, allocated in arena) for a synced model (pg_model.c calls it while building pm). */
void gg_pg_datastore_columns(gg_arena *arena, gg_pg_model *pm);

#endif
