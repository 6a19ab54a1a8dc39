/* startup.c: the blocking steps of the PostgreSQL data source, run on the main thread before
 * any event loop starts or from the command line: the cursor key and the schema checks at
 * start-up, and `graphgate migrate` (postgres.h).
 *
 * Connections here are short-lived (one per call, connect.h) and use connect_timeout=5, so an
 * unreachable database gives a clear message within seconds instead of a hang. Every failure
 * stays one log line. */
#include "postgres.h"

#include <stdlib.h>
#include <string.h>

#include "column_types.h"
#include "connect.h"
#include "datastore_migrate.h"
#include "base/log.h"
#include "migrate.h"
#include "pg_model.h"

/* A blocking connection to the database at url; NULL with a reason. */
static PGconn *connect_blocking(const char *url, gg_fault *fault)
{
    gg_pg_connect_options options = {.connect_timeout_s = 5};
    return gg_pg_connect(url, &options, fault);
}

/* The same, or the one binding has just used (connect.h): start-up connects once. */
static PGconn *connect_startup(const char *url, gg_fault *fault)
{
    gg_pg_connect_options options = {.connect_timeout_s = 5};
    return gg_pg_startup_connect(url, &options, fault);
}

/* Warns once per @model table missing from the database: its queries would all fail. One query
 * for all the tables (a round trip each would add up at start-up): the models' numbers of the
 * names that do not resolve. */
static void warn_missing_tables(PGconn *conn, const gg_amplify_catalog *catalog)
{
    if (catalog == NULL || catalog->model_count == 0) return;
    gg_arena arena;
    gg_arena_init(&arena);
    const char **values = gg_arena_array(&arena, catalog->model_count, sizeof *values);
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "SELECT i FROM (VALUES ");
    for (unsigned i = 0; i < catalog->model_count; i++) {
        const gg_amplify_model *m = catalog->models[i];
        values[i] = gg_pg_table_sql(&arena, catalog->database_schema, m->table ? m->table : m->name);
        gg_buf_printf(&sql, "%s(%u, $%u::text)", i ? ", " : "", i, i + 1);
    }
    gg_buf_puts(&sql, ") AS t(i, name) WHERE to_regclass(name) IS NULL ORDER BY i");
    PGresult *r = PQexecParams(conn, sql.data, (int)catalog->model_count, NULL, values, NULL, NULL, 0);
    for (int row = 0; PQresultStatus(r) == PGRES_TUPLES_OK && row < PQntuples(r); row++) {
        unsigned i = (unsigned)strtoul(PQgetvalue(r, row, 0), NULL, 10);
        if (i < catalog->model_count)
            gg_log_warn("warning: table %s of @model %s does not exist: run graphgate migrate", values[i],
                        catalog->models[i]->name);
    }
    PQclear(r);
    gg_buf_free(&sql);
    gg_arena_free(&arena);
}

/* Logs messages (lines of text), each with prefix: "warning: ..." lines as warnings, the others as notes. */
static void log_lines(const char *prefix, const gg_buf *messages)
{
    const char *p = messages->data;
    while (p != NULL && *p) {
        size_t n = strcspn(p, "\n");
        gg_log(strncmp(p, "warning:", 8) == 0 ? GG_LOG_WARN : GG_LOG_INFO, "%s%.*s", prefix, (int)n, p);
        p += n + (p[n] == '\n');
    }
}

/* A column whose field changed type keeps its old type until `graphgate migrate` converts it (or,
 * when the conversion could lose values, someone alters it by hand); meanwhile its writes may fail.
 * Says so, once per column, with what migrate would do. */
static void warn_changed_columns(PGconn *conn, const gg_amplify_catalog *catalog)
{
    gg_buf messages;
    gg_buf_init(&messages);
    gg_pg_migrate_type_warnings(conn, catalog, &messages);
    log_lines("", &messages);
    gg_buf_free(&messages);
}

/* The advisory checks of gg_pg_prepare (missing tables, changed column types: warnings only) run
 * when gg_pg_prepare_finish is called, once every thread serves, on a connection of their own: seven
 * catalog queries, their backend's start and work and their warnings are then no longer in the way
 * of the first /readyz 200 (on two cores they slowed the event loops' set-up), start-up's
 * connection serves its pool instead of waiting for them, and the warnings still come before the
 * "listening" line. */
static char *checks_url; /* NULL: nothing to check (the database was not reached) */
static const gg_amplify_catalog *checks_catalog;

static void run_checks(PGconn *conn, const gg_amplify_catalog *catalog)
{
    warn_missing_tables(conn, catalog);
    warn_changed_columns(conn, catalog);
    gg_pg_datastore_warn_missing(conn, catalog);
    gg_log_startup_step("database checks done");
}

bool gg_pg_prepare(const char *url, const char *cursor_secret, const gg_amplify_catalog *catalog, gg_cursor_key *key,
                   const char **source, bool *reachable, gg_fault *fault)
{
    bool from_config = cursor_secret != NULL && cursor_secret[0] != '\0';
    if (from_config) gg_cursor_key_init(key, cursor_secret, strlen(cursor_secret));
    *source = from_config ? "cursor_secret (configuration)" : "graphgate_meta (database)";
    PGconn *conn = connect_startup(url, fault);
    *reachable = conn != NULL;
    if (conn == NULL) return from_config; /* with a configured key the pools can wait for the database */
    bool ok = true;
    char reason[512] = "";
    if (!from_config &&
        !(ok = gg_pg_load_cursor_key(conn, catalog ? catalog->database_schema : NULL, key, GG_FAULT_INTO(reason)))) {
        char line[512];
        gg_pg_first_line(line, sizeof line, reason);
        gg_fault_set(fault, NULL, "cannot read the cursor secret from graphgate_meta: %s", line);
    }
    gg_pg_startup_give_back(conn); /* its pool's, when it is an early connection */
    free(checks_url);
    checks_url = ok ? strdup(url) : NULL; /* out of memory: no checks */
    checks_catalog = catalog;
    return ok;
}

void gg_pg_prepare_finish(bool warn)
{
    if (checks_url == NULL) return;
    if (warn) {
        char reason[512];
        PGconn *conn = connect_blocking(checks_url, GG_FAULT_INTO(reason));
        if (conn != NULL)
            run_checks(conn, checks_catalog);
        else
            gg_log_warn("warning: the @model tables and their column types were not checked: %s", reason);
        PQfinish(conn);
    }
    free(checks_url);
    checks_url = NULL;
    checks_catalog = NULL;
}

/* --dry-run: the script, with the type changes when the database can be reached. */
static int dry_run_migration(const char *url, const gg_pg_migrate_options *opts, const gg_amplify_catalog *catalog,
                             FILE *out)
{
    char reason[1024] = "";
    PGconn *conn = url[0] ? connect_blocking(url, GG_FAULT_INTO(reason)) : NULL;
    gg_buf sql, messages;
    gg_buf_init(&sql);
    gg_buf_init(&messages);
    char failure[1024] = "";
    bool ok = gg_pg_migrate_run(conn, catalog, opts, &sql, &messages, NULL, GG_FAULT_INTO(failure));
    fprintf(out, "-- graphgate migrate --dry-run: %u model%s; runs in one transaction\n", catalog->model_count,
            catalog->model_count == 1 ? "" : "s");
    if (conn == NULL && reason[0]) fprintf(out, "-- (the database is unreachable: %s)\n", reason);
    if (sql.data) fwrite(sql.data, 1, sql.len, out);
    log_lines("migrate: ", &messages);
    if (!ok) {
        gg_pg_first_line(reason, sizeof reason, failure);
        gg_log_error("migrate: %s", reason);
    }
    gg_buf_free(&sql);
    gg_buf_free(&messages);
    PQfinish(conn);
    return ok ? GG_MIGRATE_OK : GG_MIGRATE_DATABASE_ERROR;
}

int gg_pg_migrate_command(const char *url, bool foreign_keys, bool own_secret, const gg_amplify_catalog *catalog,
                          bool dry_run, FILE *out)
{
    gg_pg_migrate_options opts = {.dry_run = dry_run, .foreign_keys = foreign_keys, .own_secret = own_secret};
    if (url == NULL) url = "";
    if (catalog == NULL || catalog->model_count == 0) {
        fprintf(out, "graphgate: the schema has no @model types: nothing to migrate\n");
        return GG_MIGRATE_OK;
    }
    if (dry_run) return dry_run_migration(url, &opts, catalog, out);
    if (url[0] == '\0') {
        gg_log_error("migrate: no database: set GRAPHGATE_DATABASE_URL or database_url_file");
        return GG_MIGRATE_CONFIG_ERROR;
    }
    char reason[1024];
    PGconn *conn = connect_blocking(url, GG_FAULT_INTO(reason));
    if (conn == NULL) {
        gg_log_error("migrate: %s", reason);
        return GG_MIGRATE_DATABASE_ERROR;
    }
    char failure[1024] = "";
    gg_pg_migrate_report report;
    gg_buf messages;
    gg_buf_init(&messages);
    bool ok = gg_pg_migrate_run(conn, catalog, &opts, NULL, &messages, &report, GG_FAULT_INTO(failure));
    if (ok) {
        log_lines("migrate: ", &messages);
        fprintf(out,
                "graphgate: migrate: the tables, columns and indexes of %u model%s exist (%s%s%sdatabase %s on %s:%s); "
                "foreign keys: %s; %u column type%s converted%s\n",
                catalog->model_count, catalog->model_count == 1 ? "" : "s", catalog->database_schema ? "schema " : "",
                catalog->database_schema ? catalog->database_schema : "", catalog->database_schema ? " of " : "",
                PQdb(conn), PQhost(conn), PQport(conn),
                foreign_keys ? "added where missing" : "none added (database.foreign_keys is false)", report.converted,
                report.converted == 1 ? "" : "s",
                report.refused ? "; some columns keep another type than the schema's (see the warnings)" : "");
    } else {
        gg_pg_first_line(reason, sizeof reason, failure);
        gg_log_error("migrate: failed, nothing was applied: %s", reason);
    }
    gg_buf_free(&messages);
    PQfinish(conn);
    return ok ? GG_MIGRATE_OK : GG_MIGRATE_DATABASE_ERROR;
}

int gg_pg_check_command(const char *url, const gg_amplify_catalog *catalog, const gg_schema *schema)
{
    if (url == NULL || url[0] == '\0' || catalog == NULL) return 0;
    char reason[512] = "";
    PGconn *conn = connect_blocking(url, GG_FAULT_INTO(reason));
    if (conn == NULL) return -1; /* binding the schema said so already */
    /* a table not in the schema (database.schema) is named; only a warning: --check may run before migrate */
    warn_missing_tables(conn, catalog);
    gg_buf problems;
    gg_buf_init(&problems);
    int count = gg_pg_check_column_types(conn, catalog, schema, &problems);
    gg_buf_free(&problems); /* binding the schema logged each already */
    PQfinish(conn);
    return count;
}
