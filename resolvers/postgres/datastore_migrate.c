/* datastore_migrate.c: the DataStore part of `graphgate migrate`; see datastore_migrate.h.
 *
 * Columns are added with their defaults in the same ALTER, so rows already in a table become
 * version 1, changed at the migration's time, live: a client's first sync sees them all. "_ttl"
 * and "_deleted" stay NULL on live rows. The purge's index is partial (WHERE "_deleted"), so it
 * holds only tombstones and costs live writes nothing. No index covers "_version" or
 * "_lastChangedAt", which every write changes: an update that changes no indexed column is a
 * HOT update (the new row version on the same page, no index entry), which a versioned write
 * needs to stay within 20% of an unversioned one (issue 17's benchmark, tests/bench/datastore.sh).
 * Nothing reads by "_lastChangedAt" (syncX's delta reads the change log, its base page the primary
 * key), so the "_lastChangedAt" index earlier versions made is dropped. */
#include "datastore_migrate.h"

#include "base/log.h"
#include "datastore_store.h"

bool gg_pg_datastore_column(const gg_pg_model *pm, const gg_pg_column *c)
{
    return c != NULL && (c == pm->version || c == pm->deleted || c == pm->last_changed_at || c == pm->ttl);
}

void gg_pg_datastore_migrate_columns(gg_buf *out, const gg_pg_model *pm)
{
    const char *t = pm->quoted_table;
    if (pm->version)
        gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s integer NOT NULL DEFAULT 1;\n", t,
                      pm->version->quoted);
    if (pm->deleted)
        gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s boolean;\n", t, pm->deleted->quoted);
    if (pm->last_changed_at)
        gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s bigint NOT NULL DEFAULT " GG_PG_NOW_MS_SQL ";\n",
                      t, pm->last_changed_at->quoted);
    if (pm->ttl) gg_buf_printf(out, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s bigint;\n", t, pm->ttl->quoted);
}

void gg_pg_datastore_migrate_log(gg_buf *out, const gg_pg_models *models)
{
    const char *log = gg_pg_changes_table(models);
    gg_buf_printf(out,
                  "CREATE TABLE IF NOT EXISTS %s (model text COLLATE \"C\" NOT NULL, changed_at bigint NOT NULL, pk "
                  "text NOT NULL, version integer NOT NULL, deleted boolean NOT NULL DEFAULT false);\n",
                  log);
    /* a log of earlier versions: pk {"id": "x"} becomes x (a key of one column), a composite key's
     * object its JSON text; one rewrite of a table the purge keeps small, and only while pk is jsonb */
    gg_buf_puts(out, "DO $gg_changes$ BEGIN IF (SELECT atttypid FROM pg_attribute WHERE attrelid = to_regclass(");
    gg_pg_quote_literal(out, log);
    gg_buf_printf(out,
                  ") AND attname = 'pk' AND NOT attisdropped) = 'jsonb'::regtype THEN ALTER TABLE %s ALTER COLUMN "
                  "model TYPE text COLLATE \"C\", ALTER COLUMN pk TYPE text USING CASE WHEN jsonb_typeof(pk) = "
                  "'object' AND jsonb_array_length(jsonb_path_query_array(pk, '$.*')) = 1 THEN "
                  "jsonb_path_query_array(pk, '$.*') ->> 0 ELSE pk::text END; END IF; END $gg_changes$;\n",
                  log);
    gg_buf_printf(out,
                  "CREATE INDEX IF NOT EXISTS \"" GG_PG_CHANGES_TABLE_NAME "_model_changed_at\" ON %s (model, "
                  "changed_at);\n",
                  log);
}

void gg_pg_datastore_migrate_indexes(gg_buf *out, const gg_pg_model *pm, const char *ttl_index,
                                     const char *old_changed_index)
{
    if (pm->ttl && pm->deleted) {
        gg_buf_puts(out, "CREATE INDEX IF NOT EXISTS ");
        gg_pg_quote_ident(out, ttl_index);
        gg_buf_printf(out, " ON %s (%s) WHERE %s;\n", pm->quoted_table, pm->ttl->quoted, pm->deleted->quoted);
    }
    gg_buf_puts(out, "DROP INDEX IF EXISTS ");
    gg_pg_quote_ident(out, old_changed_index);
    gg_buf_puts(out, ";\n");
}

void gg_pg_datastore_warn_missing(PGconn *conn, const gg_amplify_catalog *catalog)
{
    if (catalog == NULL) return;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_models *models = gg_pg_models_build(&arena, catalog);
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        if (!pm->model->sync) continue;
        /* the columns of the four that the table lacks, or NULL when the table itself is missing
         * (warned about already) */
        const char *values[5] = {pm->quoted_table, "_version", "_deleted", "_lastChangedAt", "_ttl"};
        PGresult *r = PQexecParams(conn,
                                   "SELECT string_agg(c, ', ') FROM unnest(ARRAY[$2, $3, $4, $5]) c WHERE "
                                   "to_regclass($1) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE "
                                   "a.attrelid = to_regclass($1) AND a.attname = c AND NOT a.attisdropped)",
                                   5, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
            gg_log_warn("warning: table %s of @model %s (conflict detection VERSION) lacks %s: run graphgate migrate",
                        pm->quoted_table, pm->model->name, PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    if (gg_pg_models_synced(models)) {
        const char *values[1] = {gg_pg_changes_table(models)};
        PGresult *r = PQexecParams(conn, "SELECT to_regclass($1) IS NULL", 1, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't')
            gg_log_warn("warning: the DataStore change log %s does not exist: run graphgate migrate", values[0]);
        PQclear(r);
    }
    gg_arena_free(&arena);
}
