/* database.c: start-up and command-line work on PostgreSQL with blocking libpq; see database.h.
 *
 * Connections here are short-lived (one per call) and use connect_timeout=5, so an unreachable
 * database gives a clear message within seconds instead of a hang. The URL is a secret: messages
 * name the host and port libpq tried, never the URL. libpq's messages span lines; only their
 * first line is kept so that every failure stays one log line. */
#include "database.h"

#include <string.h>

#include <libpq-fe.h>

#include "migrate.h"
#include "pg_model.h"

/* libpq's error text up to its first newline. */
static void first_line(char *out, size_t out_len, const char *text)
{
    size_t n = strcspn(text, "\n");
    snprintf(out, out_len, "%.*s", (int)n, text);
}

/* A blocking connection to the configured database; NULL with a reason. */
static PGconn *connect_blocking(const gg_config *cfg, gg_fault *fault)
{
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *values[] = {cfg->database_url, "5", "graphgate", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1); /* expand_dbname: a URL or key=value pairs */
    if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
        return conn;
    char reason[512];
    first_line(reason, sizeof reason, conn ? PQerrorMessage(conn) : "out of memory");
    gg_fault_set(fault, NULL, "cannot connect to the database: %s", reason);
    PQfinish(conn);
    return NULL;
}

/* Warns once per @model table missing from the database: its queries would all fail. */
static void warn_missing_tables(PGconn *conn, const gg_amplify_catalog *catalog)
{
    for (unsigned i = 0; catalog != NULL && i < catalog->model_count; i++) {
        const gg_amplify_model *m = catalog->models[i];
        const char *table = m->table ? m->table : m->name;
        const char *values[1] = {table};
        PGresult *r = PQexecParams(conn, "SELECT to_regclass(format('%I', $1::text)) IS NULL", 1, NULL, values, NULL,
                                   NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't')
            fprintf(stderr, "graphgate: warning: table \"%s\" of @model %s does not exist: run graphgate migrate\n",
                    table, m->name);
        PQclear(r);
    }
}

/* Prints messages (lines of text) on err, each with prefix. */
static void print_lines(FILE *err, const char *prefix, const gg_buf *messages)
{
    const char *p = messages->data;
    while (p != NULL && *p) {
        size_t n = strcspn(p, "\n");
        fprintf(err, "%s%.*s\n", prefix, (int)n, p);
        p += n + (p[n] == '\n');
    }
}

/* A column whose field changed type keeps its old type until `graphgate migrate` converts it (or,
 * when the conversion could lose values, someone alters it by hand); meanwhile its writes may fail.
 * Says so, once per column, with what migrate would do. */
static void warn_changed_columns(PGconn *conn, const gg_amplify_catalog *catalog, FILE *err)
{
    gg_buf messages;
    gg_buf_init(&messages);
    gg_pg_migrate_type_warnings(conn, catalog, &messages);
    print_lines(err, "graphgate: ", &messages);
    gg_buf_free(&messages);
}

bool gg_database_prepare(const gg_config *cfg, const gg_amplify_catalog *catalog, gg_cursor_key *key,
                         const char **source, gg_fault *fault)
{
    bool from_config = cfg->cursor_secret[0] != '\0';
    if (from_config)
        gg_cursor_key_init(key, cfg->cursor_secret, strlen(cfg->cursor_secret));
    *source = from_config ? "cursor_secret (configuration)" : "graphgate_meta (database)";
    PGconn *conn = connect_blocking(cfg, fault);
    if (conn == NULL)
        return from_config; /* with a configured key the pools can wait for the database */
    bool ok = true;
    char reason[512] = "";
    if (!from_config && !(ok = gg_pg_load_cursor_key(conn, key, reason, sizeof reason))) {
        char line[512];
        first_line(line, sizeof line, reason);
        gg_fault_set(fault, NULL, "cannot read the cursor secret from graphgate_meta: %s", line);
    }
    if (ok) {
        warn_missing_tables(conn, catalog);
        warn_changed_columns(conn, catalog, stderr);
    }
    PQfinish(conn);
    return ok;
}

/* --dry-run: the script, with the type changes when the database can be reached. */
static int dry_run_migration(const gg_config *cfg, const gg_amplify_catalog *catalog, FILE *out, FILE *err)
{
    char reason[1024] = "";
    PGconn *conn = cfg->database_url[0] ? connect_blocking(cfg, GG_FAULT_INTO(reason)) : NULL;
    gg_pg_migrate_options opts = {.dry_run = true, .foreign_keys = cfg->db_foreign_keys};
    gg_buf sql, messages;
    gg_buf_init(&sql);
    gg_buf_init(&messages);
    char failure[1024] = "";
    bool ok = gg_pg_migrate_run(conn, catalog, &opts, &sql, &messages, NULL, failure, sizeof failure);
    fprintf(out, "-- graphgate migrate --dry-run: %u model%s; runs in one transaction\n", catalog->model_count,
            catalog->model_count == 1 ? "" : "s");
    if (conn == NULL && reason[0])
        fprintf(out, "-- (the database is unreachable: %s)\n", reason);
    if (sql.data) fwrite(sql.data, 1, sql.len, out);
    print_lines(err, "graphgate: migrate: ", &messages);
    if (!ok) {
        first_line(reason, sizeof reason, failure);
        fprintf(err, "graphgate: migrate: %s\n", reason);
    }
    gg_buf_free(&sql);
    gg_buf_free(&messages);
    PQfinish(conn);
    return ok ? GG_MIGRATE_OK : GG_MIGRATE_DATABASE_ERROR;
}

int gg_database_migrate(const gg_config *cfg, const gg_gql *gql, bool dry_run, FILE *out, FILE *err)
{
    const gg_amplify_catalog *catalog = gg_gql_catalog(gql);
    if (catalog == NULL || catalog->model_count == 0) {
        fprintf(out, "graphgate: the schema has no @model types: nothing to migrate\n");
        return GG_MIGRATE_OK;
    }
    if (dry_run) return dry_run_migration(cfg, catalog, out, err);
    if (cfg->database_url[0] == '\0') {
        fprintf(err, "graphgate: migrate: no database: set GRAPHGATE_DATABASE_URL or database_url_file\n");
        return GG_MIGRATE_CONFIG_ERROR;
    }
    char reason[1024];
    PGconn *conn = connect_blocking(cfg, GG_FAULT_INTO(reason));
    if (conn == NULL) {
        fprintf(err, "graphgate: migrate: %s\n", reason);
        return GG_MIGRATE_DATABASE_ERROR;
    }
    char failure[1024] = "";
    gg_pg_migrate_options opts = {.foreign_keys = cfg->db_foreign_keys};
    gg_pg_migrate_report report;
    gg_buf messages;
    gg_buf_init(&messages);
    bool ok = gg_pg_migrate_run(conn, catalog, &opts, NULL, &messages, &report, failure, sizeof failure);
    if (ok) {
        print_lines(err, "graphgate: migrate: ", &messages);
        fprintf(out,
                "graphgate: migrate: the tables, columns and indexes of %u model%s exist (database %s on %s:%s); "
                "foreign keys: %s; %u column type%s converted%s\n",
                catalog->model_count, catalog->model_count == 1 ? "" : "s", PQdb(conn), PQhost(conn), PQport(conn),
                cfg->db_foreign_keys ? "added where missing" : "none added (database.foreign_keys is false)",
                report.converted,
                report.converted == 1 ? "" : "s",
                report.refused ? "; some columns keep another type than the schema's (see the warnings)" : "");
    } else {
        first_line(reason, sizeof reason, failure);
        fprintf(err, "graphgate: migrate: failed, nothing was applied: %s\n", reason);
    }
    gg_buf_free(&messages);
    PQfinish(conn);
    return ok ? GG_MIGRATE_OK : GG_MIGRATE_DATABASE_ERROR;
}
