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
static PGconn *connect_blocking(const gg_config *cfg, char *err, size_t err_len)
{
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *values[] = {cfg->database_url, "5", "graphgate", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1); /* expand_dbname: a URL or key=value pairs */
    if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
        return conn;
    char reason[512];
    first_line(reason, sizeof reason, conn ? PQerrorMessage(conn) : "out of memory");
    snprintf(err, err_len, "cannot connect to the database: %s", reason);
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

/* Migrations only add: a column whose field changed type keeps its old type, and its writes then
 * fail. Says so, once per column, naming the field, the column's type and the one the schema wants.
 * Returns how many columns differ. */
static unsigned warn_changed_columns(PGconn *conn, const gg_amplify_catalog *catalog, FILE *err)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_pg_models *models = gg_pg_models_build(&arena, catalog);
    unsigned differing = 0;
    for (unsigned i = 0; models != NULL && i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        const char *table = pm->model->table ? pm->model->table : pm->model->name;
        for (unsigned f = 0; f < pm->model->field_count; f++) {
            const gg_pg_column *c = &pm->columns[f];
            if (c->field == NULL)
                continue; /* a relation: no column */
            const char *column = c->field->column ? c->field->column : c->field->name;
            const char *values[2] = {table, column};
            PGresult *r = PQexecParams(conn,
                                       "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                                       "current_schema() AND table_name = $1 AND column_name = $2",
                                       2, NULL, values, NULL, NULL, 0);
            if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                strcmp(PQgetvalue(r, 0, 0), c->sql_type) != 0) {
                fprintf(err,
                        "graphgate: warning: column \"%s\".\"%s\" is %s but %s.%s needs %s: migrate never changes a "
                        "column's type; alter it by hand (ALTER TABLE ... ALTER COLUMN ... TYPE ...)\n",
                        table, column, PQgetvalue(r, 0, 0), pm->model->name, c->field->name, c->sql_type);
                differing++;
            }
            PQclear(r);
        }
    }
    gg_arena_free(&arena);
    return differing;
}

bool gg_database_prepare(const gg_config *cfg, const gg_amplify_catalog *catalog, gg_cursor_key *key,
                         const char **source, char *err, size_t err_len)
{
    bool from_config = cfg->cursor_secret[0] != '\0';
    if (from_config)
        gg_cursor_key_init(key, cfg->cursor_secret, strlen(cfg->cursor_secret));
    *source = from_config ? "cursor_secret (configuration)" : "graphgate_meta (database)";
    PGconn *conn = connect_blocking(cfg, err, err_len);
    if (conn == NULL)
        return from_config; /* with a configured key the pools can wait for the database */
    bool ok = true;
    char reason[512] = "";
    if (!from_config && !(ok = gg_pg_load_cursor_key(conn, key, reason, sizeof reason))) {
        char line[512];
        first_line(line, sizeof line, reason);
        snprintf(err, err_len, "cannot read the cursor secret from graphgate_meta: %s", line);
    }
    if (ok) {
        warn_missing_tables(conn, catalog);
        warn_changed_columns(conn, catalog, stderr);
    }
    PQfinish(conn);
    return ok;
}

int gg_database_migrate(const gg_config *cfg, const gg_gql *gql, bool dry_run, FILE *out, FILE *err)
{
    const gg_amplify_catalog *catalog = gg_gql_catalog(gql);
    if (catalog == NULL || catalog->model_count == 0) {
        fprintf(out, "graphgate: the schema has no @model types: nothing to migrate\n");
        return GG_MIGRATE_OK;
    }
    if (dry_run) {
        gg_buf sql;
        gg_buf_init(&sql);
        gg_pg_migrate_sql(catalog, &sql);
        fprintf(out, "-- graphgate migrate --dry-run: %u model%s; runs in one transaction\n", catalog->model_count,
                catalog->model_count == 1 ? "" : "s");
        fwrite(sql.data, 1, sql.len, out);
        gg_buf_free(&sql);
        return GG_MIGRATE_OK;
    }
    if (cfg->database_url[0] == '\0') {
        fprintf(err, "graphgate: migrate: no database: set GRAPHGATE_DATABASE_URL or database_url_file\n");
        return GG_MIGRATE_CONFIG_ERROR;
    }
    char reason[1024];
    PGconn *conn = connect_blocking(cfg, reason, sizeof reason);
    if (conn == NULL) {
        fprintf(err, "graphgate: migrate: %s\n", reason);
        return GG_MIGRATE_DATABASE_ERROR;
    }
    char failure[1024] = "";
    bool ok = gg_pg_migrate(conn, catalog, false, NULL, failure, sizeof failure);
    if (ok) {
        unsigned differing = warn_changed_columns(conn, catalog, err);
        fprintf(out,
                "graphgate: migrate: the tables, columns and indexes of %u model%s exist (database %s on %s:%s)%s\n",
                catalog->model_count, catalog->model_count == 1 ? "" : "s", PQdb(conn), PQhost(conn), PQport(conn),
                differing ? "; some columns have another type than the schema's (see the warnings)" : "");
    } else {
        first_line(reason, sizeof reason, failure);
        fprintf(err, "graphgate: migrate: failed, nothing was applied: %s\n", reason);
    }
    PQfinish(conn);
    return ok ? GG_MIGRATE_OK : GG_MIGRATE_DATABASE_ERROR;
}
