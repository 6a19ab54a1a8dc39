/* config_keys.c: every configuration key graphgate reads, with its default and help (config_keys.h).
 *
 * A new key is one row here and one field in gg_config (config.h); config.c then reads it from the
 * file and the environment (GRAPHGATE_ + the name in capitals, dots as underscores) and --help
 * lists it. */
#include "config_keys.h"

#include "config.h"

#define OFF(f) offsetof(gg_config, f)
const key_def gg_config_keys[] = {
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
     "while the database is unreachable, reconnect this often (a connection that had been serving and "
     "broke is made again at once first)",
     false},
    {"database.connection_wait_ms", T_UINT, OFF(db_connection_wait_ms), "5000", 0, 60000,
     "a statement that finds no PostgreSQL connection ready (the database restarting, a connection being made "
     "again) waits this long for one, then its field answers ServiceUnavailable; 0: at once",
     false},
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
    {"http.gzip_min_bytes", T_UINT, OFF(gzip_min_bytes), "1024", 0, 1u << 30,
     "GraphQL answers at least this large are gzipped (level 1: fast) for clients that send Accept-Encoding: gzip "
     "(browsers, Amplify, Apollo, urql, curl --compressed); 0: never",
     false},
    {"http.persisted_queries", T_UINT, OFF(persisted_queries), "1024", 0, 1000000,
     "automatic persisted queries (Apollo's APQ: a query sent once with its SHA-256, then by the hash alone): queries "
     "each thread keeps, least recently used dropped first (and at most 8 MiB of text); 0: off, a hash alone is told "
     "PersistedQueryNotSupported",
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
    {"auth.jwks_ca_file", T_STR, OFF(auth_jwks_ca_file), "", 0, 0,
     "PEM CA bundle that JWKS and OpenID discovery fetches (OIDC and Cognito) trust instead of the system's CAs "
     "(a provider behind a private CA); read at start; empty: the system's CAs",
     true},
    {"auth.oidc.issuer", T_STR, OFF(auth_oidc_issuer), "", 0, 0,
     "OPENID_CONNECT: the iss of accepted tokens (a trailing / ignored); an https issuer without jwks_url, jwks_file "
     "or hs256_secret_file: its keys are the jwks_uri of <issuer>/.well-known/openid-configuration (OpenID "
     "discovery at start, as AppSync does; failure stops start-up)",
     false},
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
const size_t gg_config_key_count = sizeof(gg_config_keys) / sizeof(gg_config_keys[0]);
