/* datastore_migrate.h: the DDL of `graphgate migrate` for Amplify DataStore (datastore_store.h
 * describes what it makes): the metadata columns of each synced model's table, their indexes, and
 * the change log table with its index. migrate.c writes these parts into its script where the
 * tables, columns and indexes go; like the rest of the script they are idempotent (IF NOT EXISTS),
 * so a second run changes nothing. Kept out of migrate.c, which is large already. */
#ifndef GG_PG_DATASTORE_MIGRATE_H
#define GG_PG_DATASTORE_MIGRATE_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "pg_model.h"

/* True when c is one of a synced model's metadata columns (written by
 * gg_pg_datastore_migrate_columns, not as a plain field column). */
bool gg_pg_datastore_column(const gg_pg_model *pm, const gg_pg_column *c);
/* ALTER TABLE ... ADD COLUMN IF NOT EXISTS for the four metadata columns of a synced model: rows
 * already there get _version 1 and _lastChangedAt the time of the migration. */
void gg_pg_datastore_migrate_columns(gg_buf *out, const gg_pg_model *pm);
/* CREATE TABLE IF NOT EXISTS graphgate_changes and its (model, changed_at) index, and the conversion
 * of a change log of earlier versions (model text, pk jsonb) to the current columns (model text
 * COLLATE "C", pk text: datastore_store.h), done only when pk is still jsonb. */
void gg_pg_datastore_migrate_log(gg_buf *out, const gg_pg_models *models);
/* The synced model's index, named ttl_index (on "_ttl" WHERE "_deleted", for the purge), and the
 * DROP of old_changed_index, the index on "_lastChangedAt" that earlier versions made (it kept every
 * write from being a HOT update); migrate.c gives names cut to PostgreSQL's length. */
void gg_pg_datastore_migrate_indexes(gg_buf *out, const gg_pg_model *pm, const char *ttl_index,
                                     const char *old_changed_index);
/* Start-up: a warning per synced model whose table lacks a metadata column, and one when the
 * change log is missing (graphgate migrate makes them; until then DataStore's queries fail). */
void gg_pg_datastore_warn_missing(PGconn *conn, const gg_amplify_catalog *catalog);

#endif
