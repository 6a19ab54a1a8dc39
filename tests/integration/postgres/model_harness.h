/* model_harness.h: shared helpers of the PostgreSQL @model integration tests: an h2o loop, a
 * blocking connection for set-up and checks, GraphQL requests run through gg_graphql_start with a
 * gg_pg_request context (asynchronous, as in the server), and JSON path lookups. The engine and
 * the resolvers alone on purpose: the gateway's cache and limits (server/gateway) are not what
 * these tests check. */
#ifndef GG_TEST_MODEL_HARNESS_H
#define GG_TEST_MODEL_HARNESS_H

#include <ctype.h>
#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "amplify/transform.h"
#include "execute/values.h"
#include "graphql.h"
#include "migrate.h"
#include "pg_resolvers.h"
#include "test.h"
#include "type/schema_build.h"

static h2o_evloop_t *loop;
static PGconn *db;
static gg_schema *schema;
static gg_pg_pool *pool;
static gg_cursor_key cursor_key;
static gg_pg_request request_ctx;

/* ---- helpers ---- */

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int run_until(const int *flag, double seconds)
{
    double end = now_s() + seconds;
    while (!*flag && now_s() < end)
        h2o_evloop_run(loop, 50);
    return *flag;
}

static inline void exec_sql(const char *sql)
{
    PGresult *r = PQexec(db, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "SQL failed: %s: %s\n", sql, PQerrorMessage(db));
    PQclear(r);
}

/* The first value of a query's first row ("" when none); the result lives until the next call. */
static inline const char *sql_value(const char *sql)
{
    static char value[4096];
    PGresult *r = PQexec(db, sql);
    value[0] = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
        snprintf(value, sizeof value, "%s", PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        snprintf(value, sizeof value, "ERROR %s", PQerrorMessage(db));
    PQclear(r);
    return value;
}

typedef struct done_state {
    int done;
    gg_buf out;
} done_state;

static inline void on_complete(const gg_exec_result *result, void *user)
{
    done_state *d = user;
    gg_exec_result_write_json(&d->out, result);
    d->done = 1;
}

/* Runs a GraphQL request with context ctx; returns the response JSON (freed by the next calls' owner: free()). */
static inline char *gql_with(void *ctx, const char *query, const char *variables_json)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *variables = NULL;
    if (variables_json) {
        cJSON *j = cJSON_Parse(variables_json);
        if (j == NULL) fprintf(stderr, "bad test variables: %s\n", variables_json);
        variables = gg_val_from_cjson(&arena, j);
        cJSON_Delete(j);
    }
    done_state d = {0};
    gg_buf_init(&d.out);
    gg_graphql_request r = {.schema = schema,
                            .query = query,
                            .query_len = strlen(query),
                            .variables = variables,
                            .context = ctx,
                            .arena = &arena,
                            .on_complete = on_complete,
                            .user = &d};
    gg_graphql_start(&r);
    if (!run_until(&d.done, 20)) gg_buf_puts(&d.out, "TIMEOUT");
    char *s = strdup(d.out.data ? d.out.data : "");
    gg_buf_free(&d.out);
    gg_arena_free(&arena);
    return s;
}

/* Keeps response strings alive until the end of a test (freed by free_responses). */
static char *kept[4096];
static unsigned kept_count;

static inline const char *gql(const char *query, const char *variables_json)
{
    char *s = gql_with(&request_ctx, query, variables_json);
    if (kept_count < sizeof kept / sizeof *kept) kept[kept_count++] = s;
    return s;
}

static inline void free_responses(void)
{
    for (unsigned i = 0; i < kept_count; i++)
        free(kept[i]);
    kept_count = 0;
}

/* The value at a dotted path ("data.listPosts.items.0.id") of a JSON text: strings bare, other
 * values as compact JSON, "(missing)" when absent. Kept until free_responses. */
static inline const char *at(const char *json, const char *path)
{
    cJSON *root = cJSON_Parse(json);
    cJSON *node = root;
    char part[256];
    const char *p = path;
    while (node && *p) {
        size_t n = strcspn(p, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        p += n + (p[n] == '.');
        if (cJSON_IsArray(node) && isdigit((unsigned char)part[0]))
            node = cJSON_GetArrayItem(node, atoi(part));
        else
            node = cJSON_GetObjectItemCaseSensitive(node, part);
    }
    char *s;
    if (node == NULL)
        s = strdup("(missing)");
    else if (cJSON_IsString(node))
        s = strdup(node->valuestring);
    else
        s = cJSON_PrintUnformatted(node);
    cJSON_Delete(root);
    if (kept_count < sizeof kept / sizeof *kept) kept[kept_count++] = s;
    return s;
}

static inline int array_size(const char *json, const char *path)
{
    cJSON *a = cJSON_Parse(at(json, path));
    int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
    cJSON_Delete(a);
    return n;
}

static inline gg_pg_pool_stats stats(void)
{
    return gg_pg_pool_get_stats(pool);
}

/* The test database URL with search_path set to schema_name (the tests' own PostgreSQL schema). */
static inline void conninfo_for(char *out, size_t size, const char *schema_name)
{
    const char *url = getenv("GRAPHGATE_TEST_DATABASE_URL");
    snprintf(out, size, "%s%soptions=-csearch_path%%3D%s", url, strchr(url, '?') ? "&" : "?", schema_name);
}

/* Waits until want connections of p are ready (10 s at most). */
static inline void wait_ready(gg_pg_pool *p, unsigned want)
{
    double end = now_s() + 10;
    while (gg_pg_pool_ready(p) < want && now_s() < end)
        h2o_evloop_run(loop, 50);
}

/* Connects the blocking set-up connection and the loop, and names the cursor key (main's start).
 * False when GRAPHGATE_TEST_DATABASE_URL is not set: main then returns 77 (skipped). */
static inline bool harness_start(const char *cursor_name)
{
    if (getenv("GRAPHGATE_TEST_DATABASE_URL") == NULL) {
        fprintf(stderr, "GRAPHGATE_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL)\n");
        return false;
    }
    loop = h2o_evloop_create();
    db = PQconnectdb(getenv("GRAPHGATE_TEST_DATABASE_URL"));
    CHECK(PQstatus(db) == CONNECTION_OK);
    exec_sql("SET client_min_messages TO warning");
    gg_cursor_key_init(&cursor_key, cursor_name, strlen(cursor_name));
    request_ctx.cursor_key = &cursor_key;
    return true;
}

/* User SDL through the real Amplify transform (its served SDL in *served, its catalog in
 * *catalog_out) to a served schema bound to PostgreSQL; NULL (errors printed) when it fails. */
static inline gg_schema *harness_transform(gg_arena *arena, const char *sdl, gg_buf *served,
                                           gg_amplify_catalog **catalog_out)
{
    gg_error_list errors;
    gg_error_list_init(&errors, arena);
    gg_schema_source src = {"app.graphql", sdl, strlen(sdl)};
    gg_buf_init(served);
    *catalog_out = gg_amplify_transform(&src, 1, NULL, served, &errors);
    gg_schema_options opts = {.appsync = true};
    gg_schema_source served_src = {"served.graphql", served->data, served->len};
    gg_schema *s = *catalog_out ? gg_schema_build(&served_src, 1, &opts, &errors) : NULL;
    for (gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "schema: %s\n", e->message);
    if (s) gg_pg_bind(s, *catalog_out, NULL);
    return s;
}

#endif
