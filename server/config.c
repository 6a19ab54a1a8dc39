/* config.c: configuration file + environment, validated with precise messages; see config.h.
 *
 * Design: one table (keys[]) lists every key with its type, the offset of its field in gg_config,
 * its default written as text, its bounds and a line of help. Defaults and environment values are
 * both text and go through the same parser (set_from_text), so a default can never be a value the
 * environment would refuse. The JSON file goes through set_from_json, which checks JSON types.
 * A key can be set from the file, then the environment wins; secrets (database_url) are refused
 * in the file, so they never end up in a repository: they come from the environment or from a
 * file named by a *_file key (database_url, database.read_url, database.listen_url, cursor_secret). */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/file.h"
#include "base/log.h"

/* T_JSON: an object; T_NUMBER: a double above 0 and at most max (fractions allowed) */
typedef enum key_type { T_STR, T_UINT, T_U64, T_BOOL, T_LIST, T_SECRET, T_JSON, T_NUMBER } key_type;

typedef struct key_def {
    const char *name; /* dotted path */
    key_type type;
    size_t offset;
    const char *def; /* default, as text */
    uint64_t min, max;
    const char *help;
    bool is_path; /* relative paths in the file are relative to the file's directory */
} key_def;

#define OFF(f) offsetof(gg_config, f)
static const key_def keys[] = {
    {"listen", T_STR, OFF(listen), "127.0.0.1:8080", 0, 0,
     "cleartext listener host:port (HTTP/1.1 and h2c); empty: none", false},
    {"tls.listen", T_STR, OFF(tls_listen), "", 0, 0, "TLS listener host:port (ALPN h2, http/1.1); empty: none", false},
    {"tls.cert_file", T_STR, OFF(tls_cert_file), "", 0, 0, "PEM certificate chain for the TLS listener", true},
    {"tls.key_file", T_STR, OFF(tls_key_file), "", 0, 0, "PEM private key for the TLS listener", true},
    {"tls.min_version", T_STR, OFF(tls_min_version), "1.2", 0, 0, "oldest TLS version accepted: 1.2 or 1.3", false},
    {"tls.ciphers", T_STR, OFF(tls_ciphers),
     "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
     "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
     0, 0,
     "OpenSSL cipher string for TLS 1.2 (default: ECDHE with AES-GCM or ChaCha20, forward secrecy only); "
     "TLS 1.3 always offers OpenSSL's TLS 1.3 suites (AES-GCM, ChaCha20), all forward secret",
     false},
    {"threads", T_UINT, OFF(threads), "0", 0, 1024, "event-loop threads; 0: one per online core", false},
    {"graphql_path", T_STR, OFF(graphql_path), "/graphql", 0, 0, "path of the GraphQL endpoint", false},
    {"schema", T_LIST, OFF(schema), "", 0, 0, "SDL files of the schema (list; env: comma-separated)", true},
    {"appsync", T_BOOL, OFF(appsync), "true", 0, 0, "accept AppSync scalars and directives", false},
    {"amplify", T_BOOL, OFF(amplify), "true", 0, 0, "accept Amplify transformer directives", false},
    {"static_data_file", T_STR, OFF(static_data_file), "", 0, 0,
     "JSON file used as the root value: fields without a data source answer from it", true},
    {"database_url", T_SECRET, OFF(database_url), "", 0, 0,
     "PostgreSQL URL (secret: environment only, or database_url_file)", false},
    {"database_url_file", T_STR, OFF(database_url_file), "", 0, 0, "file holding the PostgreSQL URL", true},
    {"database.read_url", T_SECRET, OFF(database_read_url), "", 0, 0,
     "PostgreSQL URL of a read replica: queries go there, mutations to database_url (secret: environment only, or "
     "database.read_url_file); empty: none",
     false},
    {"database.read_url_file", T_STR, OFF(database_read_url_file), "", 0, 0, "file holding the read replica's URL",
     true},
    {"database.listen_url", T_SECRET, OFF(database_listen_url), "", 0, 0,
     "PostgreSQL URL of the realtime bus's LISTEN/NOTIFY session, which needs a session of its own: set it to the "
     "database itself when database_url goes through a transaction pooler (secret: environment only, or "
     "database.listen_url_file); empty: database_url",
     false},
    {"database.listen_url_file", T_STR, OFF(database_listen_url_file), "", 0, 0, "file holding the realtime bus's URL",
     true},
    {"database.pooler", T_STR, OFF(db_pooler), "none", 0, 0,
     "what database_url (and database.read_url) connect to: none (PostgreSQL itself) or pgbouncer-transaction "
     "(a pooler in transaction mode: statement_timeout is sent with each statement instead of as a startup "
     "option, and statements are prepared per server connection and prepared again where missing)",
     false},
    {"database.schema", T_STR, OFF(db_schema), "", 0, 0,
     "PostgreSQL schema of the @model tables (and graphgate_meta): every statement names it, so it needs no "
     "search_path (which a transaction pooler refuses as a startup option); graphgate migrate creates it when "
     "missing; empty: the connection's search_path (usually public)",
     false},
    {"database.max_replica_lag_ms", T_UINT, OFF(db_max_replica_lag_ms), "5000", 1, 3600000,
     "a replica further behind the primary than this (or unreachable) is not read: reads go to the primary until "
     "it catches up",
     false},
    {"database.pool_size", T_UINT, OFF(db_pool_size), "2", 1, 64, "PostgreSQL connections per worker thread", false},
    {"database.statement_timeout_ms", T_UINT, OFF(db_statement_timeout_ms), "10000", 0, 3600000,
     "statements running longer are cancelled (DatabaseError); 0: no limit", false},
    {"database.reconnect_interval_ms", T_UINT, OFF(db_reconnect_interval_ms), "1000", 50, 600000,
     "while the database is unreachable, reconnect this often (requests get ServiceUnavailable)", false},
    {"database.max_prepared_statements", T_UINT, OFF(db_max_prepared_statements), "256", 0, 100000,
     "distinct statements each connection keeps prepared (the least recently used is deallocated); 0: never "
     "prepare",
     false},
    {"database.default_page_size", T_UINT, OFF(db_default_page_size), "100", 1, 100000,
     "items of a list query without limit (AppSync: 100)", false},
    {"database.max_page_size", T_UINT, OFF(db_max_page_size), "1000", 1, 100000,
     "larger limits are cut to this (the page then has a nextToken)", false},
    {"database.plan", T_STR, OFF(db_plan), "rows", 0, 0,
     "how a query and its relations become SQL: rows (plain rows joined LATERAL, assembled here; the "
     "cheaper for PostgreSQL) or json (PostgreSQL builds the JSON)",
     false},
    {"database.log_sql", T_BOOL, OFF(db_log_sql), "false", 0, 0,
     "print every SQL statement (without its values) to stderr, for debugging", false},
    {"database.foreign_keys", T_BOOL, OFF(db_foreign_keys), "true", 0, 0,
     "graphgate migrate adds a FOREIGN KEY for each relation to a primary key: a write naming a missing parent is "
     "refused; deleting a parent nulls nullable references, deletes @manyToMany join rows, and is refused while "
     "required references remain; false: none (existing ones stay), loose references as on AppSync",
     false},
    {"cursor_secret", T_SECRET, OFF(cursor_secret), "", 0, 0,
     "signs nextToken values (secret: environment only, or cursor_secret_file); empty: the database's", false},
    {"cursor_secret_file", T_STR, OFF(cursor_secret_file), "", 0, 0, "file holding the cursor secret", true},
    {"http.max_body_bytes", T_U64, OFF(max_body_bytes), "1048576", 1, (uint64_t)1 << 32,
     "largest request body; larger: 413", false},
    {"http.header_timeout_ms", T_UINT, OFF(header_timeout_ms), "10000", 100, 3600000,
     "time a client has to send a request (HTTP/1.1)", false},
    {"http.idle_timeout_ms", T_UINT, OFF(idle_timeout_ms), "10000", 100, 3600000,
     "idle HTTP/2 connections are closed after this", false},
    {"http.shutdown_timeout_ms", T_UINT, OFF(shutdown_timeout_ms), "10000", 0, 3600000,
     "on SIGTERM, in-flight requests get this long to finish", false},
    {"http.request_timeout_ms", T_UINT, OFF(request_timeout_ms), "30000", 0, 3600000,
     "a GraphQL request not answered after this gets an ExecutionTimeout error and its database statement is "
     "cancelled (AppSync's 30 s); 0: no deadline (database.statement_timeout_ms still applies)",
     false},
    {"http.max_concurrent_streams", T_UINT, OFF(max_concurrent_streams), "100", 1, 65535,
     "HTTP/2 streams per connection", false},
    {"http.max_headers", T_UINT, OFF(max_headers), "100", 1, 100,
     "header fields per request (HTTP/1.1's fixed limit, and at most that); more: 431", false},
    {"http.max_header_bytes", T_UINT, OFF(max_header_bytes), "417792", 1024, 417792,
     "total size of a request's decoded header names and values, request line or pseudo-headers included "
     "(HTTP/1.1's fixed limit, and at most that); more: 431",
     false},
    {"cors.origins", T_LIST, OFF(cors_origins), "", 0, 0, "allowed browser origins, or \"*\"; empty: no CORS", false},
    {"cors.max_age_s", T_UINT, OFF(cors_max_age_s), "600", 0, 86400, "how long browsers cache a preflight", false},
    {"limits.max_depth", T_UINT, OFF(max_depth), "12", 0, 1000,
     "deepest field nesting (a relation of a list item is 3 levels: rel { items { f } }); 0: off", false},
    {"limits.max_aliases", T_UINT, OFF(max_aliases), "15", 0, 100000, "aliases per operation; 0: off", false},
    {"limits.max_tokens", T_UINT, OFF(max_tokens), "1000", 0, 10000000, "lexical tokens per document; 0: off", false},
    {"limits.max_directives", T_UINT, OFF(max_directives), "50", 0, 100000, "directives per operation; 0: off", false},
    {"limits.max_cost", T_UINT, OFF(max_cost), "5000", 0, 100000000,
     "query cost (object 2, scalar 1, x1.5 per level); 0: off", false},
    {"limits.max_filter_terms", T_UINT, OFF(max_filter_terms), "200", 0, 1000000,
     "comparisons in one filter or condition argument (an in/notIn list counts each value; DynamoDB caps an "
     "expression at 4 KB, about 200 such terms); 0: off",
     false},
    {"limits.max_filter_depth", T_UINT, OFF(max_filter_depth), "10", 0, 1000,
     "nesting of and/or/not in one filter or condition argument; 0: off", false},
    {"limits.max_filter_operand_bytes", T_UINT, OFF(max_filter_operand_bytes), "4096", 0, 100000000,
     "bytes of one value compared in a filter or condition; 0: off", false},
    {"limits.max_filter_in_items", T_UINT, OFF(max_filter_in_items), "100", 0, 1000000,
     "values of one in/notIn list of a filter (DynamoDB's IN takes 100); 0: off", false},
    {"limits.introspection", T_BOOL, OFF(introspection), "true", 0, 0, "allow __schema and __type", false},
    {"limits.field_suggestions", T_BOOL, OFF(field_suggestions), "false", 0, 0,
     "keep \"Did you mean ...?\" in error messages", false},
    {"realtime.max_connections", T_UINT, OFF(rt_max_connections), "10000", 1, 10000000,
     "websocket connections (subscriptions) per instance; more: 503", false},
    {"realtime.max_subscriptions_per_connection", T_UINT, OFF(rt_max_subscriptions), "100", 1, 100000,
     "subscriptions one websocket connection may hold (AppSync: 100; more: MaxSubscriptionsReachedError)", false},
    {"realtime.max_message_bytes", T_UINT, OFF(rt_max_message_bytes), "245760", 1024, 16777216,
     "largest websocket message received (larger: close 1009) and largest event delivered (AppSync: 240 KB)", false},
    {"realtime.connection_init_timeout_ms", T_UINT, OFF(rt_connection_init_timeout_ms), "10000", 100, 600000,
     "a websocket connection that sends no connection_init within this is closed (4408)", false},
    {"realtime.keep_alive_interval_ms", T_UINT, OFF(rt_keep_alive_interval_ms), "60000", 100, 3600000,
     "AppSync protocol: a \"ka\" message this often (Amplify gives up after 300000 ms without one)", false},
    {"realtime.max_send_queue_bytes", T_UINT, OFF(rt_max_send_queue_bytes), "1048576", 4096, 1073741824,
     "bytes of events waiting for a slow websocket client; more: it is disconnected (close 1008)", false},
    {"realtime.bus", T_STR, OFF(rt_bus), "postgres", 0, 0,
     "how events reach the subscribers of other instances: postgres (LISTEN/NOTIFY on the database; used when a "
     "database is configured), nats (a NATS server at realtime.nats_url: for fleets publishing more than a few "
     "thousand events/s) or none (each instance delivers only its own mutations)",
     false},
    {"realtime.nats_url", T_STR, OFF(rt_nats_url), "nats://127.0.0.1:4222", 0, 0,
     "the NATS server(s) of the nats bus: nats:// URLs, comma-separated (user:password@ in a URL: set it through "
     "the environment; TLS to NATS: not yet)",
     false},
    {"realtime.bus_channel", T_STR, OFF(rt_bus_channel), "graphgate_events", 0, 0,
     "the NOTIFY channel of the postgres bus, the subject prefix of the nats bus (<channel>.<mutation>): instances "
     "serving one API share it, another API takes its own (lowercase letters, digits, _; at most 63)",
     false},
    {"document_cache_size", T_UINT, OFF(document_cache_size), "1024", 0, 1000000,
     "parsed documents kept per thread; 0: no cache", false},
    {"access_log", T_BOOL, OFF(access_log), "true", 0, 0, "one JSON line per request on stdout", false},
    {"console", T_BOOL, OFF(console), "false", 0, 0,
     "the developer console (GraphiQL, served offline by graphgate) at GET graphql_path for browsers; keep it off in "
     "production",
     false},
    {"metrics.enabled", T_BOOL, OFF(metrics_enabled), "true", 0, 0,
     "Prometheus metrics (text format 0.0.4) at metrics.path; false: no endpoint and nothing counted", false},
    {"metrics.path", T_STR, OFF(metrics_path), "/metrics", 0, 0, "path of the Prometheus metrics endpoint", false},
    {"metrics.listen", T_STR, OFF(metrics_listen), "", 0, 0,
     "host:port of a separate cleartext listener serving only the metrics (e.g. an internal address); empty: "
     "the metrics are served on the main listeners",
     false},
    {"log.level", T_STR, OFF(log_level), "info", 0, 0,
     "least severe diagnostics written to stderr: debug, info, warn or error (the access log has its own switch)",
     false},
    {"log.format", T_STR, OFF(log_format), "text", 0, 0,
     "text (\"graphgate: message\" lines) or json (one object per line: time, level, msg and fields; the access "
     "log lines too)",
     false},
    {"log.slow_request_ms", T_UINT, OFF(log_slow_request_ms), "1000", 0, 3600000,
     "a GraphQL request taking at least this long is logged (warn): operation name, duration, time in PostgreSQL, "
     "trace id; never the query or variables; 0: off",
     false},
    {"auth.default_mode", T_STR, OFF(auth_default_mode), "", 0, 0,
     "API_KEY, OPENID_CONNECT, AMAZON_COGNITO_USER_POOLS, AWS_LAMBDA (a plugin authorizer, auth.lambda) or NONE (no "
     "authorization: local development or behind a trusted proxy); empty: graphgate refuses to start",
     false},
    {"auth.additional_modes", T_LIST, OFF(auth_additional_modes), "", 0, 0,
     "more modes a request may use (AppSync's additionalAuthenticationProviders; env: comma-separated)", false},
    {"auth.api_keys", T_SECRET, OFF(auth_api_keys), "", 0, 0,
     "API keys, comma-separated, each maybe with an expiry: key@2027-01-31T00:00:00Z (secret: environment only, "
     "or auth.api_keys_file)",
     false},
    {"auth.api_keys_file", T_STR, OFF(auth_api_keys_file), "", 0, 0,
     "file of API keys, one per line (key or key@2027-01-31T00:00:00Z; # comments)", true},
    {"auth.oidc.issuer", T_STR, OFF(auth_oidc_issuer), "", 0, 0,
     "OPENID_CONNECT: the iss of accepted tokens (a trailing / ignored)", false},
    {"auth.oidc.client_id", T_STR, OFF(auth_oidc_client_id), "", 0, 0,
     "OPENID_CONNECT: when set, aud or client_id must equal it", false},
    {"auth.oidc.jwks_file", T_STR, OFF(auth_oidc_jwks_file), "", 0, 0, "OPENID_CONNECT: JWKS file of the keys", true},
    {"auth.oidc.jwks_url", T_STR, OFF(auth_oidc_jwks_url), "", 0, 0,
     "OPENID_CONNECT: https URL of the JWKS, fetched at start (failure stops start-up) and refreshed", false},
    {"auth.oidc.hs256_secret_file", T_STR, OFF(auth_oidc_hs256_secret_file), "", 0, 0,
     "OPENID_CONNECT: file holding the HS256/384/512 shared secret (at least 32 bytes)", true},
    {"auth.oidc.leeway_s", T_UINT, OFF(auth_oidc_leeway_s), "60", 0, 3600, "clock skew allowed on exp, nbf and iat",
     false},
    {"auth.oidc.iat_ttl_s", T_UINT, OFF(auth_oidc_iat_ttl_s), "0", 0, 315360000,
     "tokens issued longer ago are refused (AppSync's iatTTL); 0: off", false},
    {"auth.oidc.auth_ttl_s", T_UINT, OFF(auth_oidc_auth_ttl_s), "0", 0, 315360000,
     "tokens whose auth_time is older are refused (AppSync's authTTL); 0: off", false},
    {"auth.oidc.jwks_refresh_s", T_UINT, OFF(auth_oidc_jwks_refresh_s), "3600", 1, 604800,
     "how often JWKS URLs (OIDC and Cognito) are fetched again", false},
    {"auth.cognito.user_pool_id", T_STR, OFF(auth_cognito_user_pool_id), "", 0, 0,
     "AMAZON_COGNITO_USER_POOLS: the pool id (us-east-1_AbCdEf)", false},
    {"auth.cognito.region", T_STR, OFF(auth_cognito_region), "", 0, 0, "AMAZON_COGNITO_USER_POOLS: the pool's region",
     false},
    {"auth.cognito.jwks_file", T_STR, OFF(auth_cognito_jwks_file), "", 0, 0,
     "AMAZON_COGNITO_USER_POOLS: JWKS file; empty (and no jwks_url): the pool's own JWKS URL", true},
    {"auth.cognito.jwks_url", T_STR, OFF(auth_cognito_jwks_url), "", 0, 0,
     "AMAZON_COGNITO_USER_POOLS: https URL of the JWKS", false},
    {"auth.cognito.app_id_client_regex", T_STR, OFF(auth_cognito_app_id_client_regex), "", 0, 0,
     "AMAZON_COGNITO_USER_POOLS: aud/client_id must match this regular expression; empty: any", false},
    {"auth.cognito.default_action", T_STR, OFF(auth_cognito_default_action), "ALLOW", 0, 0,
     "AMAZON_COGNITO_USER_POOLS: ALLOW or DENY (AppSync's defaultAction; DENY with the user-pools default mode: "
     "user-pools callers see only fields whose @aws_* directives name user pools)",
     false},
    {"auth.lambda.plugin", T_STR, OFF(auth_lambda_plugin), "", 0, 0,
     "AWS_LAMBDA: the plugin (a name under plugins) whose authorizer decides on Authorization tokens", false},
    {"auth.lambda.resolver", T_STR, OFF(auth_lambda_resolver), "", 0, 0,
     "AWS_LAMBDA: the name of that plugin's authorizer (gg_plugin_add_authorizer)", false},
    {"auth.lambda.ttl_s", T_UINT, OFF(auth_lambda_ttl_s), "300", 0, 3600,
     "AWS_LAMBDA: seconds a decision is cached per token and thread (the authorizer's ttlOverride wins); 0: no "
     "cache",
     false},
    {"auth.lambda.identity_validation_expression", T_STR, OFF(auth_lambda_identity_validation_expression), "", 0, 0,
     "AWS_LAMBDA: a regular expression (POSIX extended) the whole token must match before the authorizer is called; "
     "empty: any",
     false},
    {"plugins", T_JSON, OFF(plugins), "{}", 0, 0,
     "resolver plugins to load at start, a JSON object {\"name\": {\"path\": \"x.so\", \"config\": {...}}} "
     "(path relative to the config file; config: the plugin's own settings); fields bind to them with "
     "@function(name: \"name.resolver\") or the resolvers key (plugins/README.md)",
     true},
    {"resolvers", T_JSON, OFF(resolvers), "{}", 0, 0,
     "fields answered by plugin resolvers, a JSON object {\"Type.field\": {\"plugin\": \"name\", \"resolver\": "
     "\"name\"}} (for schemas without @function), or by a pipeline: {\"Type.field\": {\"pipeline\": [steps]}}, "
     "steps {\"plugin\": \"p\", \"resolver\": \"r\"}, {\"sql\": \"... :args.x :prev.x :stash.x\", \"result\": "
     "\"row\"|\"rows\"|\"value\"} or {\"model\": \"Post\", \"get\": {\"id\": \"args.id\"}} (plugins/README.md)",
     false},
    {"plugins_worker_threads", T_UINT, OFF(plugins_worker_threads), "4", 1, 256,
     "threads that run blocking plugin resolvers (gg_plugin_add_blocking_resolver), never on an event loop; "
     "calls beyond them wait their turn",
     false},
    {"datastore.conflict_detection", T_STR, OFF(ds_conflict_detection), "NONE", 0, 0,
     "Amplify DataStore conflict detection of every @model: NONE or VERSION (_version, _deleted, _lastChangedAt, "
     "syncX; run graphgate migrate for the columns and the change log)",
     false},
    {"datastore.conflict_handler", T_STR, OFF(ds_conflict_handler), "AUTOMERGE", 0, 0,
     "what a versioned write with a stale _version does: AUTOMERGE, OPTIMISTIC_CONCURRENCY or LAMBDA (a plugin's "
     "handler: datastore.lambda.*)",
     false},
    {"datastore.models", T_JSON, OFF(ds_models), "{}", 0, 0,
     "per-model settings, a JSON object {\"Model\": {\"conflict_detection\": \"VERSION\", \"conflict_handler\": "
     "\"OPTIMISTIC_CONCURRENCY\"}}: each key overrides the one above for that model",
     false},
    {"datastore.delta_ttl_min", T_NUMBER, OFF(ds_delta_ttl_min), "30", 0, 525600,
     "minutes the change log keeps a change: a syncX with an older lastSync does a full (base) sync; fractions "
     "allowed",
     false},
    {"datastore.tombstone_ttl_min", T_NUMBER, OFF(ds_tombstone_ttl_min), "43200", 0, 5256000,
     "minutes a deleted row (tombstone) is kept so that clients learn of the delete; at least delta_ttl_min", false},
    {"datastore.purge_interval_s", T_UINT, OFF(ds_purge_interval_s), "60", 0, 86400,
     "seconds between purges of old changes and tombstones (one instance at a time); 0: no purge", false},
    {"datastore.lambda.plugin", T_STR, OFF(ds_lambda_plugin), "", 0, 0,
     "LAMBDA: the plugin (a name under plugins) holding the conflict handler", false},
    {"datastore.lambda.resolver", T_STR, OFF(ds_lambda_resolver), "", 0, 0,
     "LAMBDA: the name the plugin registered its conflict handler under", false},
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) abort();
    return p;
}

static void list_free(gg_strlist *l)
{
    for (unsigned i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

static void list_push(gg_strlist *l, const char *s, size_t len)
{
    char **items = realloc(l->items, (l->count + 1) * sizeof(char *));
    if (items == NULL) abort();
    l->items = items;
    l->items[l->count] = strndup(s, len);
    if (l->items[l->count] == NULL) abort();
    l->count++;
}

static void set_string(char **field, const char *s)
{
    free(*field);
    *field = xstrdup(s);
}

/* Sets key k from text (a default or an environment value). Returns NULL or the reason. */
static const char *set_from_text(gg_config *cfg, const key_def *k, const char *text)
{
    char *field = (char *)cfg + k->offset;
    switch (k->type) {
    case T_STR:
    case T_SECRET:
        set_string((char **)field, text);
        return NULL;
    case T_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "yes") || !strcmp(text, "on"))
            *(bool *)field = true;
        else if (!strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "no") || !strcmp(text, "off"))
            *(bool *)field = false;
        else
            return "expected true or false";
        return NULL;
    case T_UINT:
    case T_U64: {
        char *end;
        errno = 0;
        if (text[0] < '0' || text[0] > '9') return "expected a non-negative integer";
        unsigned long long v = strtoull(text, &end, 10);
        if (errno != 0 || *end != '\0') return "expected a non-negative integer";
        if (v < k->min || v > k->max) return "out of range";
        if (k->type == T_UINT)
            *(unsigned *)field = (unsigned)v;
        else
            *(uint64_t *)field = v;
        return NULL;
    }
    case T_NUMBER: {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        if (errno != 0 || end == text || *end != '\0' || !(v > 0) || v > (double)k->max)
            return "expected a number above 0 and in range";
        *(double *)field = v;
        return NULL;
    }
    case T_JSON: {
        cJSON **json = (cJSON **)field;
        cJSON_Delete(*json);
        *json = NULL;
        if (text[0] == '\0') return NULL;
        *json = cJSON_Parse(text);
        if (cJSON_IsObject(*json)) return NULL;
        cJSON_Delete(*json);
        *json = NULL;
        return "expected a JSON object";
    }
    case T_LIST: {
        gg_strlist *l = (gg_strlist *)field;
        list_free(l);
        const char *p = text;
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            while (len > 0 && *p == ' ')
                p++, len--;
            while (len > 0 && p[len - 1] == ' ')
                len--;
            if (len > 0) list_push(l, p, len);
            if (comma == NULL) break;
            p = comma + 1;
        }
        return NULL;
    }
    }
    return "unknown key type";
}

static void env_name(const key_def *k, char *out, size_t out_len);

/* Sets key k from a JSON value of the file. Returns NULL or the reason (in buf when formatted). */
static const char *set_from_json(gg_config *cfg, const key_def *k, const cJSON *v, char *buf, size_t buf_len)
{
    char *field = (char *)cfg + k->offset;
    switch (k->type) {
    case T_SECRET: {
        char env[128];
        env_name(k, env, sizeof env);
        snprintf(buf, buf_len, "secrets are not read from the config file; set %s or %s_file", env, k->name);
        return buf;
    }
    case T_STR:
        if (!cJSON_IsString(v)) return "expected a string";
        set_string((char **)field, v->valuestring);
        return NULL;
    case T_BOOL:
        if (!cJSON_IsBool(v)) return "expected true or false";
        *(bool *)field = cJSON_IsTrue(v);
        return NULL;
    case T_UINT:
    case T_U64: {
        if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble != (double)(uint64_t)v->valuedouble)
            return "expected a non-negative integer";
        uint64_t n = (uint64_t)v->valuedouble;
        if (n < k->min || n > k->max) {
            snprintf(buf, buf_len, "out of range (%llu to %llu)", (unsigned long long)k->min,
                     (unsigned long long)k->max);
            return buf;
        }
        if (k->type == T_UINT)
            *(unsigned *)field = (unsigned)n;
        else
            *(uint64_t *)field = n;
        return NULL;
    }
    case T_NUMBER:
        if (!cJSON_IsNumber(v) || !(v->valuedouble > 0) || v->valuedouble > (double)k->max) {
            snprintf(buf, buf_len, "expected a number above 0 and at most %llu", (unsigned long long)k->max);
            return buf;
        }
        *(double *)field = v->valuedouble;
        return NULL;
    case T_JSON: {
        if (!cJSON_IsObject(v)) return "expected an object";
        cJSON_Delete(*(cJSON **)field);
        *(cJSON **)field = cJSON_Duplicate(v, true);
        if (*(cJSON **)field == NULL) abort();
        return NULL;
    }
    case T_LIST: {
        gg_strlist *l = (gg_strlist *)field;
        if (cJSON_IsString(v)) return set_from_text(cfg, k, v->valuestring);
        if (!cJSON_IsArray(v)) return "expected a list of strings";
        const cJSON *item;
        cJSON_ArrayForEach(item, v)
        {
            if (!cJSON_IsString(item)) return "expected a list of strings";
        }
        list_free(l);
        cJSON_ArrayForEach(item, v) list_push(l, item->valuestring, strlen(item->valuestring));
        return NULL;
    }
    }
    return "unknown key type";
}

static const key_def *find_key(const char *name)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (strcmp(keys[i].name, name) == 0) return &keys[i];
    return NULL;
}

/* True when some key starts with "prefix." (so the prefix names a section object). */
static bool is_section(const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (strncmp(keys[i].name, prefix, n) == 0 && keys[i].name[n] == '.') return true;
    return false;
}

/* Makes a relative path in the file relative to the file's directory. */
static void resolve_path(char **field, const char *file)
{
    const char *slash = strrchr(file, '/');
    if (*field == NULL || (*field)[0] == '/' || (*field)[0] == '\0' || slash == NULL) return;
    size_t dir_len = (size_t)(slash - file) + 1, len = strlen(*field);
    char *joined = malloc(dir_len + len + 1);
    if (joined == NULL) abort();
    memcpy(joined, file, dir_len);
    memcpy(joined + dir_len, *field, len + 1);
    free(*field);
    *field = joined;
}

static void resolve_key_paths(gg_config *cfg, const key_def *k, const char *file)
{
    char *field = (char *)cfg + k->offset;
    if (!k->is_path) return;
    if (k->type == T_LIST) {
        gg_strlist *l = (gg_strlist *)field;
        for (unsigned i = 0; i < l->count; i++)
            resolve_path(&l->items[i], file);
    } else if (k->type == T_JSON) { /* the "path" of each member (plugins) */
        cJSON *entry;
        cJSON_ArrayForEach(entry, *(cJSON **)field)
        {
            cJSON *path = cJSON_GetObjectItemCaseSensitive(entry, "path");
            if (!cJSON_IsString(path)) continue; /* the plugin loader names the problem */
            char *resolved = xstrdup(path->valuestring);
            resolve_path(&resolved, file);
            cJSON_SetValuestring(path, resolved);
            free(resolved);
        }
    } else {
        resolve_path((char **)field, file);
    }
}

static bool apply_object(gg_config *cfg, const cJSON *obj, const char *prefix, const char *path, gg_fault *fault)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "." : "", item->string);
        if (item->string[0] == '$' || item->string[0] == '_')
            continue; /* "$comment" / "_comment": documentation in the file */
        const key_def *k = find_key(name);
        if (k == NULL) {
            if (cJSON_IsObject(item) && is_section(name)) {
                if (!apply_object(cfg, item, name, path, fault)) return false;
                continue;
            }
            gg_fault_set(fault, NULL, "%s: key \"%s\": unknown key", path, name);
            return false;
        }
        char buf[200];
        const char *why = set_from_json(cfg, k, item, buf, sizeof buf);
        if (why != NULL) {
            gg_fault_set(fault, NULL, "%s: key \"%s\": %s", path, name, why);
            return false;
        }
        resolve_key_paths(cfg, k, path);
    }
    return true;
}

static void line_col(const char *text, size_t offset, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

struct cJSON *gg_config_read_json_object(const char *path, gg_fault *fault)
{
    size_t len;
    char why[128];
    char *text = gg_file_read(path, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
    if (text == NULL) {
        gg_fault_set(fault, NULL, "%s: cannot read: %s", path, why);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        unsigned line, col;
        size_t at = end ? (size_t)(end - text) : 0;
        line_col(text, at > len ? len : at, &line, &col);
        gg_fault_set(fault, NULL, "%s:%u:%u: invalid JSON", path, line, col);
    } else if (!cJSON_IsObject(root)) {
        gg_fault_set(fault, NULL, "%s: expected a JSON object at the top level", path);
        cJSON_Delete(root);
        root = NULL;
    }
    free(text);
    return root;
}

static bool load_file(gg_config *cfg, const char *path, gg_fault *fault)
{
    cJSON *root = gg_config_read_json_object(path, fault);
    if (root == NULL) return false;
    bool ok = apply_object(cfg, root, "", path, fault);
    cJSON_Delete(root);
    return ok;
}

/* GRAPHGATE_LIMITS_MAX_DEPTH for "limits.max_depth". */
static void env_name(const key_def *k, char *out, size_t out_len)
{
    size_t n = (size_t)snprintf(out, out_len, "GRAPHGATE_");
    for (const char *p = k->name; *p && n + 1 < out_len; p++)
        out[n++] = *p == '.' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    out[n] = '\0';
}

static bool load_env(gg_config *cfg, char *const *envp, gg_fault *fault)
{
    for (char *const *e = envp; e && *e; e++) {
        if (strncmp(*e, "GRAPHGATE_", 10) != 0) continue;
        const char *eq = strchr(*e, '=');
        if (eq == NULL) continue;
        size_t name_len = (size_t)(eq - *e);
        if (name_len == strlen("GRAPHGATE_CONFIG") && strncmp(*e, "GRAPHGATE_CONFIG", name_len) == 0) continue;
        const key_def *k = NULL;
        char name[128];
        for (size_t i = 0; i < KEY_COUNT && k == NULL; i++) {
            env_name(&keys[i], name, sizeof name);
            if (strlen(name) == name_len && strncmp(name, *e, name_len) == 0) k = &keys[i];
        }
        if (k == NULL) { /* not fatal: other tools may use the prefix too; but a typo should show */
            gg_log_warn("warning: environment %.*s names no configuration key (see --help)", (int)name_len, *e);
            continue;
        }
        const char *why = set_from_text(cfg, k, eq + 1);
        if (why != NULL) {
            gg_fault_set(fault, NULL, "environment %.*s (key \"%s\"): %s: \"%s\"", (int)name_len, *e, k->name, why,
                         eq + 1);
            return false;
        }
    }
    return true;
}

/* Reads a secret from the file named by a *_file key, unless the environment already set it. */
static bool load_secret_file(char **secret, const char *path, const char *key, gg_fault *fault)
{
    if (path[0] == '\0' || (*secret)[0] != '\0') return true;
    size_t len;
    char why[128];
    char *text = gg_file_read(path, GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
    if (text == NULL) {
        gg_fault_set(fault, NULL, "key \"%s\": cannot read %s: %s", key, path, why);
        return false;
    }
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    free(*secret);
    *secret = text;
    return true;
}

void gg_config_defaults(gg_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < KEY_COUNT; i++)
        set_from_text(cfg, &keys[i], keys[i].def);
}

/* Builds the auth section's configuration from its keys (file and environment already applied, paths
 * resolved): the keys become the cJSON object gg_auth_config_parse reads, so that one parser checks
 * them; GRAPHGATE_AUTH_API_KEYS is added after the api_keys_file keys. */
static bool load_auth(gg_config *cfg, gg_fault *fault)
{
    cJSON *auth = cJSON_CreateObject(), *oidc = cJSON_AddObjectToObject(auth, "oidc"),
          *cognito = cJSON_AddObjectToObject(auth, "cognito");
    cJSON_AddStringToObject(auth, "default_mode", cfg->auth_default_mode);
    cJSON *modes = cJSON_AddArrayToObject(auth, "additional_modes");
    for (unsigned i = 0; i < cfg->auth_additional_modes.count; i++)
        cJSON_AddItemToArray(modes, cJSON_CreateString(cfg->auth_additional_modes.items[i]));
    cJSON_AddStringToObject(auth, "api_keys_file", cfg->auth_api_keys_file);
    cJSON_AddStringToObject(oidc, "issuer", cfg->auth_oidc_issuer);
    cJSON_AddStringToObject(oidc, "client_id", cfg->auth_oidc_client_id);
    cJSON_AddStringToObject(oidc, "jwks_file", cfg->auth_oidc_jwks_file);
    cJSON_AddStringToObject(oidc, "jwks_url", cfg->auth_oidc_jwks_url);
    cJSON_AddStringToObject(oidc, "hs256_secret_file", cfg->auth_oidc_hs256_secret_file);
    cJSON_AddNumberToObject(oidc, "leeway_s", cfg->auth_oidc_leeway_s);
    cJSON_AddNumberToObject(oidc, "iat_ttl_s", cfg->auth_oidc_iat_ttl_s);
    cJSON_AddNumberToObject(oidc, "auth_ttl_s", cfg->auth_oidc_auth_ttl_s);
    cJSON_AddNumberToObject(oidc, "jwks_refresh_s", cfg->auth_oidc_jwks_refresh_s);
    cJSON_AddStringToObject(cognito, "user_pool_id", cfg->auth_cognito_user_pool_id);
    cJSON_AddStringToObject(cognito, "region", cfg->auth_cognito_region);
    cJSON_AddStringToObject(cognito, "jwks_file", cfg->auth_cognito_jwks_file);
    cJSON_AddStringToObject(cognito, "jwks_url", cfg->auth_cognito_jwks_url);
    cJSON_AddStringToObject(cognito, "app_id_client_regex", cfg->auth_cognito_app_id_client_regex);
    cJSON_AddStringToObject(cognito, "default_action", cfg->auth_cognito_default_action);
    cJSON *lambda = cJSON_AddObjectToObject(auth, "lambda");
    cJSON_AddStringToObject(lambda, "plugin", cfg->auth_lambda_plugin);
    cJSON_AddStringToObject(lambda, "resolver", cfg->auth_lambda_resolver);
    cJSON_AddNumberToObject(lambda, "ttl_s", cfg->auth_lambda_ttl_s);
    cJSON_AddStringToObject(lambda, "identity_validation_expression", cfg->auth_lambda_identity_validation_expression);
    char why[512];
    cfg->auth = gg_auth_config_parse(auth, NULL, GG_FAULT_INTO(why));
    cJSON_Delete(auth);
    if (cfg->auth == NULL) {
        gg_fault_set(fault, NULL, "%s", why); /* names the key: auth.default_mode: one of ... */
        return false;
    }
    if (cfg->auth_api_keys[0] != '\0' &&
        !gg_auth_config_add_api_keys(cfg->auth, cfg->auth_api_keys, GG_FAULT_INTO(why))) {
        gg_fault_set(fault, NULL, "environment GRAPHGATE_AUTH_API_KEYS: %s", why);
        return false;
    }
    return true;
}

bool gg_config_load(gg_config *cfg, const char *path, char *const *envp, gg_fault *fault)
{
    gg_config_defaults(cfg);
    if (path != NULL && !load_file(cfg, path, fault)) return false;
    if (!load_env(cfg, envp, fault)) return false;
    return load_secret_file(&cfg->database_url, cfg->database_url_file, "database_url_file", fault) &&
           load_secret_file(&cfg->database_read_url, cfg->database_read_url_file, "database.read_url_file", fault) &&
           load_secret_file(&cfg->database_listen_url, cfg->database_listen_url_file, "database.listen_url_file",
                            fault) &&
           load_secret_file(&cfg->cursor_secret, cfg->cursor_secret_file, "cursor_secret_file", fault) &&
           load_auth(cfg, fault);
}

bool gg_config_check_auth(const gg_config *cfg, gg_fault *fault)
{
    return cfg->auth != NULL && gg_auth_config_check(cfg->auth, fault);
}

static bool valid_hostport(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s || colon[1] == '\0') return false;
    for (const char *p = colon + 1; *p; p++)
        if (*p < '0' || *p > '9') return false;
    long port = strtol(colon + 1, NULL, 10);
    return port >= 0 && port < 65536; /* 0: any free port (printed at start-up) */
}

/* A NOTIFY channel graphgate can LISTEN to without quoting surprises: [a-z_][a-z0-9_]{0,62}. */
static bool channel_name_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || (s[0] >= '0' && s[0] <= '9')) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return false;
    return true;
}

/* A comma-separated list of nats:// URLs, each with a host (libnats parses the rest). tls:// is
 * refused: libnats 3.4 would connect in clear text to it, and trusted CAs need keys of their own. */
static bool nats_urls_valid(const char *s)
{
    for (;;) {
        size_t n = strcspn(s, ",");
        if (strncmp(s, "nats://", 7) != 0 || n <= 7) return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f) return false;
        if (s[n] == '\0') return true;
        s += n + 1;
    }
}

/* Two host:port addresses that would collide (port 0 asks the kernel for a free port each time). */
static bool same_fixed_address(const char *a, const char *b)
{
    size_t n = strlen(a);
    return strcmp(a, b) == 0 && !(n >= 2 && strcmp(a + n - 2, ":0") == 0);
}

bool gg_config_check(const gg_config *cfg, gg_fault *fault)
{
    if (!gg_config_check_datastore(cfg, fault)) return false;
    if (cfg->listen[0] == '\0' && cfg->tls_listen[0] == '\0') {
        gg_fault_set(fault, NULL, "key \"listen\": no listener: set listen or tls.listen");
        return false;
    }
    if (cfg->listen[0] != '\0' && !valid_hostport(cfg->listen)) {
        gg_fault_set(fault, NULL, "key \"listen\": expected host:port, got \"%s\"", cfg->listen);
        return false;
    }
    if (cfg->tls_listen[0] != '\0') {
        if (!valid_hostport(cfg->tls_listen)) {
            gg_fault_set(fault, NULL, "key \"tls.listen\": expected host:port, got \"%s\"", cfg->tls_listen);
            return false;
        }
        const char *files[2] = {cfg->tls_cert_file, cfg->tls_key_file};
        const char *names[2] = {"tls.cert_file", "tls.key_file"};
        for (int i = 0; i < 2; i++) {
            if (files[i][0] == '\0') {
                gg_fault_set(fault, NULL, "key \"%s\": required when tls.listen is set", names[i]);
                return false;
            }
            if (access(files[i], R_OK) != 0) {
                gg_fault_set(fault, NULL, "key \"%s\": cannot read %s: %s", names[i], files[i], strerror(errno));
                return false;
            }
        }
    }
    if (strcmp(cfg->tls_min_version, "1.2") != 0 && strcmp(cfg->tls_min_version, "1.3") != 0) {
        gg_fault_set(fault, NULL, "key \"tls.min_version\": must be \"1.2\" or \"1.3\", got \"%s\"",
                     cfg->tls_min_version);
        return false;
    }
    if (cfg->graphql_path[0] != '/') {
        gg_fault_set(fault, NULL, "key \"graphql_path\": must start with /, got \"%s\"", cfg->graphql_path);
        return false;
    }
    if (cfg->metrics_path[0] != '/' || strcmp(cfg->metrics_path, cfg->graphql_path) == 0 ||
        strcmp(cfg->metrics_path, "/healthz") == 0 || strcmp(cfg->metrics_path, "/readyz") == 0) {
        gg_fault_set(fault, NULL,
                     "key \"metrics.path\": must start with / and differ from graphql_path, /healthz and /readyz, "
                     "got \"%s\"",
                     cfg->metrics_path);
        return false;
    }
    if (cfg->metrics_listen[0] != '\0' &&
        (!valid_hostport(cfg->metrics_listen) || same_fixed_address(cfg->metrics_listen, cfg->listen) ||
         same_fixed_address(cfg->metrics_listen, cfg->tls_listen))) {
        gg_fault_set(fault, NULL,
                     "key \"metrics.listen\": expected host:port other than listen and tls.listen, got \"%s\"",
                     cfg->metrics_listen);
        return false;
    }
    if (cfg->schema.count == 0) {
        gg_fault_set(fault, NULL, "key \"schema\": no schema files: set schema in the config file or GRAPHGATE_SCHEMA");
        return false;
    }
    if (cfg->db_default_page_size > cfg->db_max_page_size) {
        gg_fault_set(fault, NULL, "key \"database.default_page_size\": %u is larger than database.max_page_size (%u)",
                     cfg->db_default_page_size, cfg->db_max_page_size);
        return false;
    }
    if (cfg->database_read_url[0] != '\0' && cfg->database_url[0] == '\0') {
        gg_fault_set(fault, NULL,
                     "key \"database.read_url\": a read replica needs the primary too (GRAPHGATE_DATABASE_URL)");
        return false;
    }
    if (strcmp(cfg->db_pooler, "none") != 0 && strcmp(cfg->db_pooler, "pgbouncer-transaction") != 0) {
        gg_fault_set(fault, NULL, "key \"database.pooler\": must be \"none\" or \"pgbouncer-transaction\", got \"%s\"",
                     cfg->db_pooler);
        return false;
    }
    if (strlen(cfg->db_schema) > 63) {
        gg_fault_set(fault, NULL, "key \"database.schema\": a PostgreSQL name has at most 63 bytes, got %zu",
                     strlen(cfg->db_schema));
        return false;
    }
    if (strcmp(cfg->db_plan, "rows") != 0 && strcmp(cfg->db_plan, "json") != 0) {
        gg_fault_set(fault, NULL, "key \"database.plan\": must be \"rows\" or \"json\", got \"%s\"", cfg->db_plan);
        return false;
    }
    if (strcmp(cfg->rt_bus, "postgres") != 0 && strcmp(cfg->rt_bus, "nats") != 0 && strcmp(cfg->rt_bus, "none") != 0) {
        gg_fault_set(fault, NULL, "key \"realtime.bus\": must be \"postgres\", \"nats\" or \"none\", got \"%s\"",
                     cfg->rt_bus);
        return false;
    }
    if (strcmp(cfg->rt_bus, "nats") == 0 && !nats_urls_valid(cfg->rt_nats_url)) {
        /* the value is not repeated: it may hold a password */
        gg_fault_set(fault, NULL,
                     "key \"realtime.nats_url\": must be one or more nats:// URLs separated by commas, without spaces");
        return false;
    }
    if (!channel_name_valid(cfg->rt_bus_channel)) {
        gg_fault_set(fault, NULL,
                     "key \"realtime.bus_channel\": must be 1 to 63 lowercase letters, digits or _ (not starting with "
                     "a digit), got \"%s\"",
                     cfg->rt_bus_channel);
        return false;
    }
    gg_log_level log_level;
    if (!gg_log_level_parse(cfg->log_level, &log_level)) {
        gg_fault_set(fault, NULL, "key \"log.level\": must be \"debug\", \"info\", \"warn\" or \"error\", got \"%s\"",
                     cfg->log_level);
        return false;
    }
    gg_log_format log_format;
    if (!gg_log_format_parse(cfg->log_format, &log_format)) {
        gg_fault_set(fault, NULL, "key \"log.format\": must be \"text\" or \"json\", got \"%s\"", cfg->log_format);
        return false;
    }
    if (cfg->static_data_file[0] != '\0' && access(cfg->static_data_file, R_OK) != 0) {
        gg_fault_set(fault, NULL, "key \"static_data_file\": cannot read %s: %s", cfg->static_data_file,
                     strerror(errno));
        return false;
    }
    for (unsigned i = 0; i < cfg->schema.count; i++) {
        if (access(cfg->schema.items[i], R_OK) != 0) {
            gg_fault_set(fault, NULL, "key \"schema\": cannot read %s: %s", cfg->schema.items[i], strerror(errno));
            return false;
        }
    }
    return true;
}

void gg_config_free(gg_config *cfg)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        char *field = (char *)cfg + keys[i].offset;
        if (keys[i].type == T_STR || keys[i].type == T_SECRET) {
            free(*(char **)field);
            *(char **)field = NULL;
        } else if (keys[i].type == T_LIST) {
            list_free((gg_strlist *)field);
        } else if (keys[i].type == T_JSON) {
            cJSON_Delete(*(cJSON **)field);
            *(cJSON **)field = NULL;
        }
    }
    gg_auth_config_free(cfg->auth);
    cfg->auth = NULL;
}

static bool text_equal(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

void gg_config_each_difference(const gg_config *a, const gg_config *b, void (*differs)(const char *key, void *user),
                               void *user)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        const char *fa = (const char *)a + keys[i].offset, *fb = (const char *)b + keys[i].offset;
        bool same = true;
        switch (keys[i].type) {
        case T_STR:
        case T_SECRET:
            same = text_equal(*(char *const *)fa, *(char *const *)fb);
            break;
        case T_BOOL:
            same = *(const bool *)fa == *(const bool *)fb;
            break;
        case T_UINT:
            same = *(const unsigned *)fa == *(const unsigned *)fb;
            break;
        case T_U64:
            same = *(const uint64_t *)fa == *(const uint64_t *)fb;
            break;
        case T_NUMBER:
            same = *(const double *)fa == *(const double *)fb;
            break;
        case T_JSON:
            same = cJSON_Compare(*(cJSON *const *)fa, *(cJSON *const *)fb, true) ||
                   (*(cJSON *const *)fa == NULL && *(cJSON *const *)fb == NULL);
            break;
        case T_LIST: {
            const gg_strlist *la = (const gg_strlist *)fa, *lb = (const gg_strlist *)fb;
            same = la->count == lb->count;
            for (unsigned j = 0; same && j < la->count; j++)
                same = strcmp(la->items[j], lb->items[j]) == 0;
            break;
        }
        }
        if (!same) differs(keys[i].name, user);
    }
}

bool gg_config_string_is_default(const gg_config *cfg, const char *name)
{
    const key_def *k = find_key(name);
    if (k == NULL || k->type != T_STR) return false;
    const char *value = *(char *const *)((const char *)cfg + k->offset);
    return value != NULL && strcmp(value, k->def) == 0;
}

void gg_config_print_keys(FILE *out)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        char name[128];
        env_name(&keys[i], name, sizeof name);
        fprintf(out, "  %-28s %-38s default: %s\n      %s\n", keys[i].name, name,
                keys[i].def[0] ? keys[i].def : "(empty)", keys[i].help);
    }
}
