/* datastore_purge.c: the purge of old changes and tombstones; see datastore_purge.h for why it is
 * one statement under a transaction-scoped advisory lock.
 *
 * The statement, built once from the catalog:
 *   WITH gg_lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(KEY) AS held),
 *        gg_changes AS (DELETE FROM "graphgate_changes" WHERE (SELECT held FROM gg_lock)
 *                       AND model IN (<this API's synced models>) AND changed_at < <now ms> - <delta TTL ms>
 *                       RETURNING 1),
 *        gg_m0 AS (DELETE FROM "Todo" WHERE (SELECT held FROM gg_lock) AND "_deleted"
 *                  AND "_ttl" < <now s> RETURNING 1), ...
 *   SELECT (SELECT held FROM gg_lock), (SELECT count(*) FROM gg_changes), (SELECT count(*) FROM gg_m0), ...
 * The lock CTE is evaluated once (MATERIALIZED, and a volatile function), before the deletes'
 * conditions read it, so no delete runs without the lock. Only this API's models are purged: APIs
 * sharing a database share the log, each with its own delta TTL. The delta TTL is configuration, written
 * into the text as an integer number of milliseconds; no client value ever is. The tombstone
 * deletes use the partial index on ("_ttl") WHERE "_deleted" that migrate makes, the change log's
 * the (model, changed_at) one only for its changed_at order (a scan of the old end).
 *
 * A tombstone that rows still reference (a relation's columns holding its whole key: migrate's
 * foreign keys) stays until they are gone: deleting it would fail the whole statement for a
 * required reference (ON DELETE RESTRICT, so nothing would ever be purged again), or change or
 * delete live rows behind the clients' backs (SET NULL, a join row's CASCADE) with no version and
 * no change logged. Its referencing tombstones go first, the tombstone itself a round later. */
#include "datastore_purge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "connect.h"
#include "datastore_store.h"
#include "pg_model.h"
#include "postgres.h"
#include "ticker.h"

/* A round may delete many rows: it gets longer than the probes' 2 s. */
#define PURGE_TIMEOUT_MS 60000

struct gg_pg_datastore_purge {
    char *sql;
    char **models; /* the synced models' names, in the statement's order */
    unsigned model_count;
    /* the thread's own */
    char *url;
    bool pooled;
    PGconn *conn;
    bool failing; /* the last round failed (logged once until one succeeds) */
    gg_pg_ticker *ticker;
};

static char *copy_text(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p == NULL) abort();
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* " AND NOT EXISTS (SELECT 1 FROM <from> WHERE <from's columns> = gg_t.<key>)" for each reference
 * of the catalog's relations to pm (a relation seen from both its sides once). */
static void write_unreferenced(gg_buf *sql, gg_arena *arena, const gg_pg_models *models, const gg_pg_model *pm)
{
    gg_buf seen;
    gg_buf_init(&seen);
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *from = &models->models[i];
        for (unsigned f = 0; f < from->model->field_count; f++) {
            gg_pg_reference ref;
            const gg_amplify_relation *r = from->model->fields[f].relation;
            if (r == NULL || !gg_pg_relation_reference(arena, models, from, r, &ref) || ref.to != pm) continue;
            gg_buf clause;
            gg_buf_init(&clause);
            gg_buf_printf(&clause, " AND NOT EXISTS (SELECT 1 FROM %s WHERE ", ref.from->quoted_table);
            for (unsigned k = 0; k < ref.count; k++)
                gg_buf_printf(&clause, "%s%s.%s = gg_t.%s", k ? " AND " : "", ref.from->quoted_table,
                              ref.from_cols[k]->quoted, pm->key[k]->quoted);
            gg_buf_putc(&clause, ')');
            if (seen.data == NULL || strstr(seen.data, clause.data) == NULL) {
                gg_buf_puts(sql, clause.data);
                gg_buf_puts(&seen, clause.data);
            }
            gg_buf_free(&clause);
        }
    }
    gg_buf_free(&seen);
}

gg_pg_datastore_purge *gg_pg_datastore_purge_new(const gg_amplify_catalog *catalog, double delta_ttl_min)
{
    if (catalog == NULL) return NULL;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_models *models = gg_pg_models_build(&arena, catalog);
    if (!gg_pg_models_synced(models)) {
        gg_arena_free(&arena);
        return NULL;
    }
    gg_pg_datastore_purge *purge = calloc(1, sizeof *purge);
    if (purge == NULL) abort();
    purge->models = calloc(models->count, sizeof *purge->models);
    if (purge->models == NULL) abort();
    long long delta_ms = (long long)(delta_ttl_min * 60000.0 + 0.5); /* > 0 and bounded by the config */
    /* only this API's models: another API on the same database keeps its log by its own TTL */
    gg_buf own;
    gg_buf_init(&own);
    for (unsigned i = 0; i < models->count; i++) {
        if (!models->models[i].model->sync) continue;
        if (own.len) gg_buf_puts(&own, ", ");
        gg_pg_quote_literal(&own, models->models[i].model->name);
    }
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_printf(
        &sql,
        "WITH gg_lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(%lld) AS held), gg_changes AS "
        "(DELETE FROM %s WHERE (SELECT held FROM gg_lock) AND model IN (%s) AND changed_at < " GG_PG_NOW_MS_SQL
        " - %lld RETURNING 1)",
        (long long)GG_PG_PURGE_LOCK_KEY, gg_pg_changes_table(models), own.data, delta_ms);
    gg_buf_free(&own);
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        if (!pm->model->sync || pm->deleted == NULL || pm->ttl == NULL) continue;
        unsigned n = purge->model_count++;
        purge->models[n] = copy_text(pm->model->name, strlen(pm->model->name));
        gg_buf_printf(&sql,
                      ", gg_m%u AS (DELETE FROM %s gg_t WHERE (SELECT held FROM gg_lock) AND %s AND %s < "
                      "floor(extract(epoch from clock_timestamp()))::bigint",
                      n, pm->quoted_table, pm->deleted->quoted, pm->ttl->quoted);
        write_unreferenced(&sql, &arena, models, pm);
        gg_buf_puts(&sql, " RETURNING 1)");
    }
    gg_buf_puts(&sql, " SELECT (SELECT held FROM gg_lock), (SELECT count(*) FROM gg_changes)");
    for (unsigned i = 0; i < purge->model_count; i++)
        gg_buf_printf(&sql, ", (SELECT count(*) FROM gg_m%u)", i);
    purge->sql = copy_text(sql.data, sql.len);
    gg_buf_free(&sql);
    gg_arena_free(&arena);
    return purge;
}

const char *gg_pg_datastore_purge_sql(const gg_pg_datastore_purge *purge)
{
    return purge ? purge->sql : NULL;
}

bool gg_pg_datastore_purge_once(gg_pg_datastore_purge *purge, PGconn **conn, const char *url, bool pooled,
                                gg_pg_purge_outcome *outcome, char *why, size_t why_len)
{
    *outcome = (gg_pg_purge_outcome){0};
    PGresult *row = gg_pg_ask_row(conn, url, pooled, PURGE_TIMEOUT_MS, purge->sql, why, why_len);
    if (row == NULL) return false;
    outcome->ran = strcmp(PQgetvalue(row, 0, 0), "t") == 0;
    outcome->changes = strtoll(PQgetvalue(row, 0, 1), NULL, 10);
    size_t used = 0;
    for (unsigned i = 0; i < purge->model_count && (int)i + 2 < PQnfields(row); i++) {
        long long removed = strtoll(PQgetvalue(row, 0, (int)i + 2), NULL, 10);
        outcome->tombstones += removed;
        if (removed == 0 || used >= sizeof outcome->detail) continue;
        int n = snprintf(outcome->detail + used, sizeof outcome->detail - used, "%s%s %lld", used ? ", " : "",
                         purge->models[i], removed);
        if (n > 0) used += (size_t)n;
    }
    PQclear(row);
    return true;
}

static void purge_tick(void *arg)
{
    gg_pg_datastore_purge *purge = arg;
    gg_pg_purge_outcome outcome;
    char why[256] = "";
    if (!gg_pg_datastore_purge_once(purge, &purge->conn, purge->url, purge->pooled, &outcome, why, sizeof why)) {
        /* a table or column PostgreSQL does not know ("... does not exist"): migrate has not run */
        if (!purge->failing)
            gg_log_warn("datastore purge failed: %s%s; retried every round", why,
                        strstr(why, "does not exist") ? " (the tables need graphgate migrate's DataStore columns and "
                                                        "graphgate_changes)"
                                                      : "");
        purge->failing = true;
        return;
    }
    if (purge->failing) gg_log_info("datastore purge works again");
    purge->failing = false;
    if (!outcome.ran)
        gg_log_debug("datastore purge: skipped, another instance holds the purge lock");
    else if (outcome.changes > 0 || outcome.tombstones > 0)
        gg_log_info("datastore purge: removed %lld change%s past the delta TTL and %lld tombstone%s%s%s%s",
                    outcome.changes, outcome.changes == 1 ? "" : "s", outcome.tombstones,
                    outcome.tombstones == 1 ? "" : "s", outcome.detail[0] ? " (" : "", outcome.detail,
                    outcome.detail[0] ? ")" : "");
    else
        gg_log_debug("datastore purge: nothing to remove");
}

bool gg_pg_datastore_purge_start(gg_pg_datastore_purge *purge, const char *url, bool pooled, unsigned interval_s)
{
    purge->url = copy_text(url, strlen(url));
    purge->pooled = pooled;
    purge->ticker = gg_pg_ticker_start(purge_tick, purge, interval_s * 1000u);
    return purge->ticker != NULL;
}

void gg_pg_datastore_purge_free(gg_pg_datastore_purge *purge)
{
    if (purge == NULL) return;
    gg_pg_ticker_stop(purge->ticker); /* first: a round uses the connection */
    PQfinish(purge->conn);
    for (unsigned i = 0; i < purge->model_count; i++)
        free(purge->models[i]);
    free(purge->models);
    free(purge->url);
    free(purge->sql);
    free(purge);
}

gg_pg_datastore_purge *gg_pg_purge_start(const char *url, bool pooled, const gg_amplify_catalog *catalog,
                                         double delta_ttl_min, unsigned interval_s)
{
    if (interval_s == 0) return NULL;
    gg_pg_datastore_purge *purge = gg_pg_datastore_purge_new(catalog, delta_ttl_min);
    if (purge != NULL && !gg_pg_datastore_purge_start(purge, url, pooled, interval_s)) {
        gg_log_warn("datastore purge: no thread could start; old changes and tombstones stay");
        gg_pg_datastore_purge_free(purge);
        return NULL;
    }
    if (purge != NULL)
        gg_log_info("datastore purge every %u s: changes past %g min, tombstones past their TTL", interval_s,
                    delta_ttl_min);
    return purge;
}

void gg_pg_purge_stop(gg_pg_datastore_purge *purge)
{
    gg_pg_datastore_purge_free(purge);
}
