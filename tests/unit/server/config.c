/* Tests server/config.c: defaults, the file, the environment, secrets, and the error messages
 * (they must name the file or variable, the key and the reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "amplify/transform.h"
#include "config.h"
#include "test.h"

static char dir[] = "/tmp/gg-config-test-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void)
{
    gg_config c;
    char err[512] = "";
    char *env[] = {NULL};
    CHECK(gg_config_load(&c, NULL, env, GG_FAULT_INTO(err)));
    CHECK_STR(c.listen, "127.0.0.1:8080");
    CHECK_STR(c.graphql_path, "/graphql");
    CHECK_INT(c.max_body_bytes, 1048576);
    CHECK_INT(c.max_depth, 12);
    CHECK_INT(c.max_aliases, 15);
    CHECK_INT(c.max_tokens, 1000);
    CHECK_INT(c.max_directives, 50);
    CHECK_INT(c.max_cost, 5000);
    CHECK_INT(c.max_filter_terms, 200);
    CHECK_INT(c.max_filter_depth, 10);
    CHECK_INT(c.max_filter_operand_bytes, 4096);
    CHECK_INT(c.max_filter_in_items, 100);
    CHECK(c.introspection);
    CHECK(!c.field_suggestions);
    CHECK_INT(c.schema.count, 0);
    CHECK(!gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK(strstr(err, "key \"schema\"") != NULL);
    gg_config_free(&c);
}

static void test_file_and_env(void)
{
    const char *schema = write_file("s.graphql", "type Query { a: Int }\n");
    (void)schema;
    const char *path =
        write_file("a.json", "{\"listen\": \"127.0.0.1:9000\", \"schema\": [\"s.graphql\"],\n"
                             " \"limits\": {\"max_depth\": 10, \"introspection\": false, \"max_filter_terms\": 50},\n"
                             " \"cors\": {\"origins\": [\"https://a.example\", \"https://b.example\"]},\n"
                             " \"$comment\": \"ignored\"}\n");
    char *env[] = {"GRAPHGATE_LIMITS_MAX_DEPTH=3",           "GRAPHGATE_HTTP_MAX_BODY_BYTES=2048",         "PATH=/bin",
                   "GRAPHGATE_LIMITS_MAX_FILTER_IN_ITEMS=7", "GRAPHGATE_DATABASE_URL=postgresql://u@h/db", NULL};
    gg_config c;
    char err[512] = "";
    CHECK(gg_config_load(&c, path, env, GG_FAULT_INTO(err)));
    CHECK_STR(c.listen, "127.0.0.1:9000");
    CHECK_INT(c.max_depth, 3); /* the environment wins over the file */
    CHECK_INT(c.max_body_bytes, 2048);
    CHECK_INT(c.max_filter_terms, 50);
    CHECK_INT(c.max_filter_in_items, 7);
    CHECK(!c.introspection);
    CHECK_INT(c.cors_origins.count, 2);
    CHECK_STR(c.cors_origins.items[1], "https://b.example");
    CHECK_INT(c.schema.count, 1);
    char want[600];
    snprintf(want, sizeof want, "%s/s.graphql", dir); /* relative to the file's directory */
    CHECK_STR(c.schema.items[0], want);
    CHECK_STR(c.database_url, "postgresql://u@h/db");
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    gg_config_free(&c);

    char *env2[] = {"GRAPHGATE_CORS_ORIGINS= https://x.example , *", NULL};
    CHECK(gg_config_load(&c, NULL, env2, GG_FAULT_INTO(err)));
    CHECK_INT(c.cors_origins.count, 2);
    CHECK_STR(c.cors_origins.items[0], "https://x.example");
    CHECK_STR(c.cors_origins.items[1], "*");
    gg_config_free(&c);
}

static void expect_error(const char *file_text, char **env, const char *want)
{
    const char *path = file_text ? write_file("e.json", file_text) : NULL;
    gg_config c;
    char err[512] = "";
    bool ok = gg_config_load(&c, path, env, GG_FAULT_INTO(err)) && gg_config_check(&c, GG_FAULT_INTO(err));
    CHECK(!ok);
    if (strstr(err, want) == NULL) fprintf(stderr, "  error was: %s\n  expected to contain: %s\n", err, want);
    CHECK(strstr(err, want) != NULL);
    gg_config_free(&c);
}

static void test_errors(void)
{
    char *none[] = {NULL};
    expect_error("{\"threads\": 1,}", none, "e.json:1:15: invalid JSON");
    expect_error("[1]", none, "expected a JSON object");
    expect_error("{\"limits\": {\"max_depth\": \"6\"}}", none,
                 "key \"limits.max_depth\": expected a non-negative integer");
    expect_error("{\"limits\": {\"max_depth\": 1.5}}", none,
                 "key \"limits.max_depth\": expected a non-negative integer");
    expect_error("{\"limits\": {\"max_depth\": 5000}}", none, "key \"limits.max_depth\": out of range (0 to 1000)");
    expect_error("{\"limits\": {\"nope\": 1}}", none, "e.json: key \"limits.nope\": unknown key");
    expect_error("{\"database_url\": \"postgresql://x\"}", none, "secrets are not read from the config file");
    expect_error("{\"introspection\": true}", none, "key \"introspection\": unknown key");
    expect_error("{\"schema\": [1]}", none, "key \"schema\": expected a list of strings");
    char *bad_env[] = {"GRAPHGATE_THREADS=many", NULL};
    expect_error(NULL, bad_env,
                 "environment GRAPHGATE_THREADS (key \"threads\"): expected a non-negative integer: \"many\"");
    char *bad_bool[] = {"GRAPHGATE_ACCESS_LOG=maybe", NULL};
    expect_error(NULL, bad_bool, "GRAPHGATE_ACCESS_LOG (key \"access_log\"): expected true or false");
    char *bad_listen[] = {"GRAPHGATE_LISTEN=8080", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, bad_listen, "key \"listen\": expected host:port, got \"8080\"");
    char *tls[] = {"GRAPHGATE_TLS_LISTEN=127.0.0.1:8443", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, tls, "key \"tls.cert_file\": required when tls.listen is set");
    char *url_file[] = {"GRAPHGATE_DATABASE_URL_FILE=/nonexistent/url", NULL};
    expect_error(NULL, url_file, "key \"database_url_file\": cannot read /nonexistent/url");
}

static void test_secret_file(void)
{
    const char *secret = write_file("url", "postgresql://a@b/c\n");
    char var[600];
    snprintf(var, sizeof var, "GRAPHGATE_DATABASE_URL_FILE=%s", secret);
    char *env[] = {var, NULL};
    gg_config c;
    char err[512] = "";
    CHECK(gg_config_load(&c, NULL, env, GG_FAULT_INTO(err)));
    CHECK_STR(c.database_url, "postgresql://a@b/c"); /* trailing newline dropped */
    gg_config_free(&c);
}

static void test_database_keys(void)
{
    gg_config c;
    char err[512] = "";
    char *none[] = {NULL};
    CHECK(gg_config_load(&c, NULL, none, GG_FAULT_INTO(err)));
    CHECK_INT(c.db_pool_size, 2);
    CHECK_INT(c.db_statement_timeout_ms, 10000);
    CHECK_INT(c.db_reconnect_interval_ms, 1000);
    CHECK_INT(c.db_max_prepared_statements, 256);
    CHECK_INT(c.db_default_page_size, 100);
    CHECK_INT(c.db_max_page_size, 1000);
    CHECK_STR(c.cursor_secret, "");
    gg_config_free(&c);

    const char *secret = write_file("cursor", "s3cret\n");
    char var[600];
    snprintf(var, sizeof var, "GRAPHGATE_CURSOR_SECRET_FILE=%s", secret);
    const char *path = write_file("db.json", "{\"database\": {\"pool_size\": 8, \"max_page_size\": 50, "
                                             "\"default_page_size\": 20}}");
    char *env[] = {var, "GRAPHGATE_DATABASE_STATEMENT_TIMEOUT_MS=0", NULL};
    CHECK(gg_config_load(&c, path, env, GG_FAULT_INTO(err)));
    CHECK_INT(c.db_pool_size, 8);
    CHECK_INT(c.db_max_page_size, 50);
    CHECK_INT(c.db_default_page_size, 20);
    CHECK_INT(c.db_statement_timeout_ms, 0);
    CHECK_STR(c.cursor_secret, "s3cret");
    gg_config_free(&c);

    char *from_env[] = {var, "GRAPHGATE_CURSOR_SECRET=env wins", NULL};
    CHECK(gg_config_load(&c, NULL, from_env, GG_FAULT_INTO(err)));
    CHECK_STR(c.cursor_secret, "env wins");
    gg_config_free(&c);

    expect_error("{\"cursor_secret\": \"x\"}", none,
                 "key \"cursor_secret\": secrets are not read from the config file; set GRAPHGATE_CURSOR_SECRET or "
                 "cursor_secret_file");
    expect_error("{\"database\": {\"pool_size\": 0}}", none, "key \"database.pool_size\": out of range (1 to 64)");
    char *no_prepare[] = {"GRAPHGATE_DATABASE_MAX_PREPARED_STATEMENTS=0", NULL};
    CHECK(gg_config_load(&c, NULL, no_prepare, GG_FAULT_INTO(err)));
    CHECK_INT(c.db_max_prepared_statements, 0); /* never prepare */
    gg_config_free(&c);
    expect_error("{\"database\": {\"max_prepared_statements\": 100001}}", none,
                 "key \"database.max_prepared_statements\": out of range (0 to 100000)");
    char *big_default[] = {"GRAPHGATE_DATABASE_DEFAULT_PAGE_SIZE=500", "GRAPHGATE_DATABASE_MAX_PAGE_SIZE=100",
                           "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, big_default,
                 "key \"database.default_page_size\": 500 is larger than database.max_page_size (100)");
    /* database.read_url: a secret like the primary's, and only beside one */
    CHECK(gg_config_load(&c, NULL, none, GG_FAULT_INTO(err)));
    CHECK_STR(c.database_read_url, "");
    CHECK_INT(c.db_max_replica_lag_ms, 5000);
    gg_config_free(&c);
    expect_error("{\"database\": {\"read_url\": \"postgresql://r\"}}", none,
                 "key \"database.read_url\": secrets are not read from the config file; set "
                 "GRAPHGATE_DATABASE_READ_URL or database.read_url_file");
    const char *read_secret = write_file("read_url", "postgresql://replica/app\n");
    char read_var[600];
    snprintf(read_var, sizeof read_var, "GRAPHGATE_DATABASE_READ_URL_FILE=%s", read_secret);
    char *read_env[] = {read_var, "GRAPHGATE_DATABASE_URL=postgresql://primary/app",
                        "GRAPHGATE_DATABASE_MAX_REPLICA_LAG_MS=250", NULL};
    CHECK(gg_config_load(&c, NULL, read_env, GG_FAULT_INTO(err)));
    CHECK_STR(c.database_read_url, "postgresql://replica/app");
    CHECK_INT(c.db_max_replica_lag_ms, 250);
    gg_config_free(&c);
    char *read_alone[] = {"GRAPHGATE_DATABASE_READ_URL=postgresql://r", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, read_alone, "key \"database.read_url\": a read replica needs the primary too");
    expect_error("{\"database\": {\"max_replica_lag_ms\": 0}}", none,
                 "key \"database.max_replica_lag_ms\": out of range (1 to 3600000)");
    char *missing[] = {"GRAPHGATE_CURSOR_SECRET_FILE=/nonexistent/secret", NULL};
    expect_error(NULL, missing, "key \"cursor_secret_file\": cannot read /nonexistent/secret");
}

static void test_realtime_bus_keys(void)
{
    gg_config c;
    char err[512] = "";
    char *none[] = {NULL};
    CHECK(gg_config_load(&c, NULL, none, GG_FAULT_INTO(err)));
    CHECK_STR(c.rt_bus, "postgres");
    CHECK_STR(c.rt_bus_channel, "graphgate_events");
    gg_config_free(&c);
    char *off[] = {"GRAPHGATE_REALTIME_BUS=none", "GRAPHGATE_REALTIME_BUS_CHANNEL=app_2", "GRAPHGATE_SCHEMA=/dev/null",
                   NULL};
    CHECK(gg_config_load(&c, NULL, off, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK_STR(c.rt_bus, "none");
    CHECK_STR(c.rt_bus_channel, "app_2");
    gg_config_free(&c);
    char *kafka[] = {"GRAPHGATE_REALTIME_BUS=kafka", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, kafka, "key \"realtime.bus\": must be \"postgres\", \"nats\" or \"none\", got \"kafka\"");
    char *nats[] = {"GRAPHGATE_REALTIME_BUS=nats", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    CHECK(gg_config_load(&c, NULL, nats, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK_STR(c.rt_nats_url, "nats://127.0.0.1:4222");
    gg_config_free(&c);
    char *nats_list[] = {"GRAPHGATE_REALTIME_BUS=nats",
                         "GRAPHGATE_REALTIME_NATS_URL=nats://u:p@n1:4222,nats://n2:4443,nats://n3",
                         "GRAPHGATE_SCHEMA=/dev/null", NULL};
    CHECK(gg_config_load(&c, NULL, nats_list, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK_STR(c.rt_nats_url, "nats://u:p@n1:4222,nats://n2:4443,nats://n3");
    gg_config_free(&c);
    const char *bad_urls[] = {"",
                              "n1:4222",
                              "http://n1",
                              "nats://",
                              "nats://n1,",
                              ",nats://n1",
                              "nats://n1, nats://n2",
                              "nats://n1\tx",
                              "tls://n1:4443"};
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        char url_var[128];
        snprintf(url_var, sizeof url_var, "GRAPHGATE_REALTIME_NATS_URL=%s", bad_urls[i]);
        char *bad[] = {"GRAPHGATE_REALTIME_BUS=nats", url_var, "GRAPHGATE_SCHEMA=/dev/null", NULL};
        expect_error(NULL, bad, "key \"realtime.nats_url\": must be one or more nats:// URLs separated by commas");
    }
    char *unused_url[] = {"GRAPHGATE_REALTIME_NATS_URL=http://not-checked", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    CHECK(gg_config_load(&c, NULL, unused_url, GG_FAULT_INTO(err))); /* the postgres bus does not read it */
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    gg_config_free(&c);
    char *quote[] = {"GRAPHGATE_REALTIME_BUS_CHANNEL=a\"; DROP TABLE x; --", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, quote, "key \"realtime.bus_channel\": must be 1 to 63 lowercase letters, digits or _");
    char *upper[] = {"GRAPHGATE_REALTIME_BUS_CHANNEL=Events", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, upper, "key \"realtime.bus_channel\": must be 1 to 63");
    char *digit[] = {"GRAPHGATE_REALTIME_BUS_CHANNEL=1events", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, digit, "key \"realtime.bus_channel\": must be 1 to 63");
    char *empty[] = {"GRAPHGATE_REALTIME_BUS_CHANNEL=", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, empty, "key \"realtime.bus_channel\": must be 1 to 63");
    char *longest[] = {
        "GRAPHGATE_REALTIME_BUS_CHANNEL=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "GRAPHGATE_SCHEMA=/dev/null", NULL}; /* 64 */
    expect_error(NULL, longest, "key \"realtime.bus_channel\": must be 1 to 63");
}

/* The datastore section (issue 17): defaults, file and environment, the per-model entries as the
 * transform's options, and every refusal naming the key and the reason. */
static void test_datastore_keys(void)
{
    gg_config c;
    char err[512] = "";
    char *none[] = {NULL};
    CHECK(gg_config_load(&c, NULL, none, GG_FAULT_INTO(err)));
    CHECK_STR(c.ds_conflict_detection, "NONE");
    CHECK_STR(c.ds_conflict_handler, "AUTOMERGE");
    CHECK(c.ds_delta_ttl_min == 30.0);
    CHECK(c.ds_tombstone_ttl_min == 43200.0);
    CHECK_INT(c.ds_purge_interval_s, 60);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_amplify_options options = {0};
    gg_config_datastore_options(&c, &arena, &options);
    CHECK(!options.sync);
    CHECK_INT(options.model_count, 0);
    gg_config_free(&c);

    const char *path = write_file(
        "ds.json", "{\"schema\": [\"s.graphql\"], \"datastore\": {\"conflict_detection\": \"VERSION\",\n"
                   " \"models\": {\"Note\": {\"conflict_detection\": \"NONE\"},\n"
                   "  \"Todo\": {\"conflict_handler\": \"OPTIMISTIC_CONCURRENCY\"}}, \"delta_ttl_min\": 0.05}}\n");
    char *env[] = {"GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=0", "GRAPHGATE_DATASTORE_TOMBSTONE_TTL_MIN=1.5", NULL};
    CHECK(gg_config_load(&c, path, env, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK(c.ds_delta_ttl_min == 0.05); /* 3 seconds: fractions allowed */
    CHECK(c.ds_tombstone_ttl_min == 1.5);
    CHECK_INT(c.ds_purge_interval_s, 0);
    options = (gg_amplify_options){0};
    gg_config_datastore_options(&c, &arena, &options);
    CHECK(options.sync);
    CHECK(options.conflict_handler == GG_AMPLIFY_CONFLICT_AUTOMERGE);
    CHECK_INT(options.model_count, 2);
    if (options.model_count == 2) {
        CHECK_STR(options.models[0].model, "Note");
        CHECK(options.models[0].has_sync && !options.models[0].sync && !options.models[0].has_handler);
        CHECK_STR(options.models[1].model, "Todo");
        CHECK(!options.models[1].has_sync && options.models[1].has_handler);
        CHECK(options.models[1].conflict_handler == GG_AMPLIFY_CONFLICT_OPTIMISTIC);
    }
    gg_config_free(&c);
    char *models_env[] = {"GRAPHGATE_DATASTORE_MODELS={\"Post\": {\"conflict_handler\": \"AUTOMERGE\"}}",
                          "GRAPHGATE_SCHEMA=/dev/null", NULL};
    CHECK(gg_config_load(&c, NULL, models_env, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    options = (gg_amplify_options){0};
    gg_config_datastore_options(&c, &arena, &options);
    CHECK(options.model_count == 1 && strcmp(options.models[0].model, "Post") == 0 && options.models[0].has_handler);
    gg_config_free(&c);
    gg_arena_free(&arena);

    char *detection[] = {"GRAPHGATE_DATASTORE_CONFLICT_DETECTION=version", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, detection,
                 "key \"datastore.conflict_detection\": must be \"NONE\" or \"VERSION\", got \"version\"");
    char *handler[] = {"GRAPHGATE_DATASTORE_CONFLICT_HANDLER=MERGE", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, handler,
                 "key \"datastore.conflict_handler\": must be \"AUTOMERGE\", \"OPTIMISTIC_CONCURRENCY\" or \"LAMBDA\", "
                 "got \"MERGE\"");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"delta_ttl_min\": 0}}", none,
                 "key \"datastore.delta_ttl_min\": expected a number above 0 and at most 525600");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"delta_ttl_min\": \"30\"}}", none,
                 "key \"datastore.delta_ttl_min\": expected a number above 0");
    char *negative[] = {"GRAPHGATE_DATASTORE_DELTA_TTL_MIN=-1", NULL};
    expect_error(NULL, negative,
                 "GRAPHGATE_DATASTORE_DELTA_TTL_MIN (key \"datastore.delta_ttl_min\"): expected a number");
    char *not_number[] = {"GRAPHGATE_DATASTORE_TOMBSTONE_TTL_MIN=1d", NULL};
    expect_error(NULL, not_number, "(key \"datastore.tombstone_ttl_min\"): expected a number");
    char *shorter[] = {"GRAPHGATE_DATASTORE_TOMBSTONE_TTL_MIN=10", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, shorter, "key \"datastore.tombstone_ttl_min\": 10 is shorter than datastore.delta_ttl_min (30)");
    char *interval[] = {"GRAPHGATE_DATASTORE_PURGE_INTERVAL_S=100000", NULL};
    expect_error(NULL, interval, "(key \"datastore.purge_interval_s\"): out of range");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": []}}", none,
                 "key \"datastore.models\": expected an object");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": {\"Todo\": \"VERSION\"}}}", none,
                 "key \"datastore.models\": model \"Todo\": expected an object");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": {\"Todo\": {\"detection\": \"NONE\"}}}}",
                 none, "model \"Todo\": unknown key \"detection\" (expected conflict_detection or conflict_handler)");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": {\"Todo\": {\"conflict_detection\": "
                 "true}}}}",
                 none, "model \"Todo\": conflict_detection must be \"NONE\" or \"VERSION\"");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": {\"Todo\": {\"conflict_handler\": "
                 "\"OPTIMISTIC\"}}}}",
                 none,
                 "model \"Todo\": conflict_handler must be \"AUTOMERGE\", \"OPTIMISTIC_CONCURRENCY\" or \"LAMBDA\"");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"nope\": 1}}", none,
                 "key \"datastore.nope\": unknown key");
    /* LAMBDA, for all models or one, needs the plugin and the handler's name, and the plugin loaded */
    char *lambda[] = {"GRAPHGATE_DATASTORE_CONFLICT_HANDLER=LAMBDA", "GRAPHGATE_SCHEMA=/dev/null", NULL};
    expect_error(NULL, lambda, "key \"datastore.lambda.plugin\": required when a conflict_handler is LAMBDA");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"models\": {\"Todo\": {\"conflict_handler\": "
                 "\"LAMBDA\"}}, \"lambda\": {\"plugin\": \"conflicts\"}}}",
                 none, "key \"datastore.lambda.resolver\": required when a conflict_handler is LAMBDA");
    expect_error("{\"schema\": [\"s.graphql\"], \"datastore\": {\"conflict_handler\": \"LAMBDA\", \"lambda\": "
                 "{\"plugin\": \"conflicts\", \"resolver\": \"merge\"}}}",
                 none, "key \"datastore.lambda.plugin\": \"conflicts\" is not a plugin under \"plugins\"");
    write_file("conflicts.so", "");
    path = write_file("lambda.json", "{\"schema\": [\"s.graphql\"], \"plugins\": {\"conflicts\": {\"path\": "
                                     "\"conflicts.so\"}}, \"datastore\": {\"conflict_handler\": \"LAMBDA\", "
                                     "\"lambda\": {\"plugin\": \"conflicts\", \"resolver\": \"merge\"}}}");
    CHECK(gg_config_load(&c, path, none, GG_FAULT_INTO(err)));
    CHECK(gg_config_check(&c, GG_FAULT_INTO(err)));
    CHECK_STR(c.ds_lambda_resolver, "merge");
    gg_config_free(&c);
}

/* The JSON object reader shared with the static data file: each failure names the file and why. */
static void test_read_json_object(void)
{
    char err[512] = "";
    char path[512];
    snprintf(path, sizeof path, "%s", write_file("object.json", "{\"hello\": \"hi\"}"));
    cJSON *json = gg_config_read_json_object(path, GG_FAULT_INTO(err));
    CHECK(json != NULL && cJSON_IsString(cJSON_GetObjectItem(json, "hello")));
    CHECK_STR(err, "");
    cJSON_Delete(json);
    char want[600];
    snprintf(path, sizeof path, "%s", write_file("list.json", "[1]"));
    CHECK(gg_config_read_json_object(path, GG_FAULT_INTO(err)) == NULL);
    snprintf(want, sizeof want, "%s: expected a JSON object at the top level", path);
    CHECK_STR(err, want);
    snprintf(path, sizeof path, "%s", write_file("broken.json", "{\n  \"a\": }"));
    CHECK(gg_config_read_json_object(path, GG_FAULT_INTO(err)) == NULL);
    snprintf(want, sizeof want, "%s:2:8: invalid JSON", path);
    CHECK_STR(err, want);
    snprintf(path, sizeof path, "%s/none.json", dir);
    CHECK(gg_config_read_json_object(path, GG_FAULT_INTO(err)) == NULL);
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory", path);
    CHECK_STR(err, want);
}

/* gg_config_each_difference names exactly the keys whose values differ, of every kind (a reload
 * warns about those only a restart applies). */
static void collect_key(const char *key, void *user)
{
    char *names = user;
    strcat(names, key);
    strcat(names, " ");
}

static void test_each_difference(void)
{
    write_file("s.graphql", "type Query { a: Int }\n");
    const char *one = write_file("d1.json", "{\"schema\": [\"s.graphql\"], \"threads\": 2, \"access_log\": true,\n"
                                            " \"plugins\": {\"p\": {\"path\": \"/x.so\"}}}\n");
    gg_config a, b;
    char err[512] = "", names[512] = "";
    char *env[] = {NULL};
    char *env_secret[] = {"GRAPHGATE_CURSOR_SECRET=0123456789abcdef0123456789abcdef", NULL};
    CHECK(gg_config_load(&a, one, env, GG_FAULT_INTO(err)));
    CHECK(gg_config_load(&b, one, env, GG_FAULT_INTO(err)));
    gg_config_each_difference(&a, &b, collect_key, names);
    CHECK_STR(names, ""); /* the same file twice */
    gg_config_free(&b);
    const char *two = write_file("d2.json", "{\"schema\": [\"s.graphql\", \"s.graphql\"], \"threads\": 3,\n"
                                            " \"access_log\": true, \"http\": {\"max_body_bytes\": 4096},\n"
                                            " \"plugins\": {\"p\": {\"path\": \"/y.so\"}}}\n");
    CHECK(gg_config_load(&b, two, env_secret, GG_FAULT_INTO(err)));
    gg_config_each_difference(&a, &b, collect_key, names);
    CHECK_STR(names, "threads schema cursor_secret http.max_body_bytes plugins ");
    gg_config_free(&a);
    gg_config_free(&b);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) return 1;
    RUN(test_defaults);
    RUN(test_file_and_env);
    RUN(test_errors);
    RUN(test_secret_file);
    RUN(test_database_keys);
    RUN(test_realtime_bus_keys);
    RUN(test_datastore_keys);
    RUN(test_read_json_object);
    RUN(test_each_difference);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return test_summary();
}
