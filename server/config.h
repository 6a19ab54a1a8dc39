/* config.h: graphgate's deployment configuration: one JSON file, every key overridable by an
 * environment variable, secrets only from the environment or from files.
 *
 * Keys are dotted paths ("limits.max_depth"); the file nests them as objects
 * ({"limits": {"max_depth": 6}}). The environment variable of a key is GRAPHGATE_ followed by
 * the key in upper case with dots as underscores (GRAPHGATE_LIMITS_MAX_DEPTH). One table in
 * config_keys.c describes every key (type, default, bounds, help), and drives parsing, the environment,
 * `--help` and the example file's check. Loading stops at the first problem with a message that
 * names the file (or variable), the key and the reason. The result is read-only afterwards and
 * shared by all threads. */
#ifndef GG_CONFIG_H
#define GG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fault.h"

typedef struct gg_strlist {
    char **items;
    unsigned count;
} gg_strlist;

typedef struct gg_config {
    char *listen;           /* "host:port" of the cleartext listener (HTTP/1.1 and h2c); "" = none */
    char *tls_listen;       /* "host:port" of the TLS listener (ALPN h2, http/1.1); "" = none */
    char *tls_cert_file;    /* PEM certificate chain */
    char *tls_key_file;     /* PEM private key (a secret: only its path lives here) */
    char *tls_min_version;  /* "1.2" or "1.3" */
    char *tls_ciphers;      /* OpenSSL cipher string for TLS 1.2 (TLS 1.3: OpenSSL's suites) */
    unsigned threads;       /* event loops; 0 = one per online core */
    char *graphql_path;     /* "/graphql" */
    gg_strlist schema;      /* SDL files, merged into one schema */
    bool appsync;           /* AppSync scalars and directives */
    bool amplify;           /* Amplify transformer directives */
    char *static_data_file; /* JSON root value for fields without a data source; "" = none */
    char *database_url;     /* secret: from GRAPHGATE_DATABASE_URL or database_url_file, never the file */
    char *database_url_file;
    char *database_read_url; /* secret: a read replica, from GRAPHGATE_DATABASE_READ_URL or database.read_url_file;
                                "" = none */
    char *database_read_url_file;
    char *database_listen_url; /* secret: the realtime bus's session (GRAPHGATE_DATABASE_LISTEN_URL or
                                  database.listen_url_file); "" = database_url */
    char *database_listen_url_file;
    char *db_pooler;                     /* "none" or "pgbouncer-transaction": what database_url connects to */
    unsigned db_max_replica_lag_ms;      /* a replica further behind is not read (reads go to the primary) */
    unsigned db_pool_size;               /* PostgreSQL connections per worker thread */
    unsigned db_statement_timeout_ms;    /* 0: none */
    unsigned db_reconnect_interval_ms;   /* retry period while the database is unreachable */
    unsigned db_connection_wait_ms;      /* how long a query waits for a ready connection; 0: not at all */
    unsigned db_max_prepared_statements; /* per connection, least recently used deallocated; 0: never prepare */
    unsigned db_default_page_size;       /* list page size when the query gives no limit */
    unsigned db_max_page_size;           /* larger limits are cut to this */
    char *db_schema;                     /* PostgreSQL schema of the @model tables; "": the search_path's */
    char *db_plan;                       /* "rows" or "json" (resolvers/postgres/plan.h) */
    bool db_log_sql;                     /* print each statement (no values) to stderr */
    bool db_foreign_keys;                /* migrate adds FOREIGN KEY constraints for relations */
    char *cursor_secret; /* secret: signs nextToken values; from GRAPHGATE_CURSOR_SECRET or cursor_secret_file;
                            "" = the one stored in the database (graphgate_meta) */
    char *cursor_secret_file;

    uint64_t max_body_bytes;
    unsigned header_timeout_ms;
    unsigned idle_timeout_ms;
    unsigned shutdown_timeout_ms;
    unsigned request_timeout_ms; /* a GraphQL request's deadline (ExecutionTimeout); 0: none */
    unsigned max_concurrent_streams;
    unsigned max_headers;      /* header fields per request, HTTP/1.1 and HTTP/2 (431 above) */
    unsigned max_header_bytes; /* decoded names and values per request, HTTP/1.1 and HTTP/2 (431 above) */

    gg_strlist cors_origins; /* exact origins, or "*"; empty = no CORS headers */
    unsigned cors_max_age_s;

    unsigned max_depth; /* 0 = off, for every limit */
    unsigned max_aliases;
    unsigned max_tokens;
    unsigned max_directives;
    unsigned max_cost;
    unsigned max_filter_terms;         /* comparisons per filter/condition argument (resolvers/postgres/filter_sql.h) */
    unsigned max_filter_depth;         /* and/or/not nesting per filter/condition argument */
    unsigned max_filter_operand_bytes; /* bytes of one compared value */
    unsigned max_filter_in_items;      /* values of one in/notIn list */
    bool introspection;
    bool field_suggestions;

    /* Real-time subscriptions over websockets (server/realtime, issue 11). */
    unsigned rt_max_connections;            /* websocket connections per instance */
    unsigned rt_max_subscriptions;          /* per connection (AppSync: 100) */
    unsigned rt_max_message_bytes;          /* a received message, and a delivered event (AppSync: 240 KB) */
    unsigned rt_connection_init_timeout_ms; /* connection_init must arrive within this */
    unsigned rt_keep_alive_interval_ms;     /* AppSync protocol: a "ka" this often */
    unsigned rt_max_send_queue_bytes;       /* frames waiting for a slow client; more: disconnected */
    char *rt_bus;                           /* events across instances: "postgres", "nats" or "none" */
    char *rt_nats_url;                      /* the nats bus's server URLs (comma-separated) */
    char *rt_bus_channel;                   /* the NOTIFY channel instances of one API share */

    unsigned document_cache_size; /* entries per thread; 0 = no cache */
    unsigned persisted_queries;   /* http.persisted_queries: APQ queries kept per thread; 0 = off */
    unsigned gzip_min_bytes;      /* http.gzip_min_bytes: smallest answer gzipped; 0 = never */
    bool access_log;
    bool console;         /* GraphiQL at GET graphql_path for browsers (server/http/console.c) */
    bool metrics_enabled; /* Prometheus metrics (server/metrics) */
    char *metrics_path;   /* "/metrics" */
    char *metrics_listen; /* "host:port" of a listener serving only the metrics; "" = the main listeners */
    char *log_level;      /* "debug", "info", "warn" or "error" (base/log.h) */
    char *log_format;     /* "text" or "json" */

    unsigned log_slow_request_ms; /* log.slow_request_ms: the slow-request line's threshold; 0: off */

    /* The "auth" section (issue 10), as the keys give it; gg_config_load turns it into auth. */
    char *auth_default_mode;
    gg_strlist auth_additional_modes;
    char *auth_api_keys; /* secret: GRAPHGATE_AUTH_API_KEYS only ("key1,key2@2027-01-31T00:00:00Z") */
    char *auth_api_keys_file;
    char *auth_jwks_ca_file;
    char *auth_oidc_issuer, *auth_oidc_client_id, *auth_oidc_jwks_file, *auth_oidc_jwks_url,
        *auth_oidc_hs256_secret_file;
    unsigned auth_oidc_leeway_s, auth_oidc_iat_ttl_s, auth_oidc_auth_ttl_s, auth_oidc_jwks_refresh_s;
    char *auth_cognito_user_pool_id, *auth_cognito_region, *auth_cognito_jwks_file, *auth_cognito_jwks_url,
        *auth_cognito_app_id_client_regex, *auth_cognito_default_action;
    char *auth_lambda_plugin, *auth_lambda_resolver, *auth_lambda_identity_validation_expression;
    unsigned auth_lambda_ttl_s;
    struct gg_auth_config *auth; /* parsed, secrets loaded; checked by gg_config_check_auth */

    /* Resolver plugins (plugins/host.h, issue 14), JSON objects as written (NULL: none); the
     * plugins' paths are made relative to the config file. */
    struct cJSON *plugins;   /* {"name": {"path": "x.so", "config": {...}}} */
    struct cJSON *resolvers; /* {"Type.field": {"plugin": "name", "resolver": "name"} or {"pipeline": [...]}} */
    /* Threads of the worker pool that runs blocking resolvers (plugins/workers.c). */
    unsigned plugins_worker_threads;
    /* Amplify DataStore (issue 17): conflict detection, the change log's and tombstones' lifetimes. */
    char *ds_conflict_detection;  /* "NONE" or "VERSION": every model's unless datastore.models says */
    char *ds_conflict_handler;    /* "AUTOMERGE", "OPTIMISTIC_CONCURRENCY" or "LAMBDA" */
    struct cJSON *ds_models;      /* {"Model": {"conflict_detection": ..., "conflict_handler": ...}} */
    double ds_delta_ttl_min;      /* minutes a change stays in graphgate_changes (> 0) */
    double ds_tombstone_ttl_min;  /* minutes a tombstone stays (>= ds_delta_ttl_min) */
    unsigned ds_purge_interval_s; /* seconds between purges; 0: none */
    char *ds_lambda_plugin;       /* LAMBDA: the plugin holding the conflict handler */
    char *ds_lambda_resolver;     /* LAMBDA: the handler's registered name */
    bool plugins_off;     /* not a key: the schema is read only (--print-schema, migrate): nothing is loaded or bound */
    bool database_needed; /* not a key: start-up stops when the database does not answer (it reads the cursor
                           * secret there), so reading the column types does not warn that it did not */
} gg_config;

/* Fills every key with its default. */
void gg_config_defaults(gg_config *cfg);
/* Loads defaults, then the file (path may be NULL: none), then the environment (envp: NULL-terminated
 * "NAME=value" strings), then secrets from files. Returns false with a one-line reason in fault. */
bool gg_config_load(gg_config *cfg, const char *path, char *const *envp, gg_fault *fault);
/* Reads the JSON file at path, which must hold an object (the configuration, the static data file).
 * NULL with fault's message "PATH: cannot read: reason", "PATH:LINE:COLUMN: invalid JSON" or "PATH: expected a
 * JSON object at the top level". Free the result with cJSON_Delete. */
struct cJSON *gg_config_read_json_object(const char *path, gg_fault *fault);
/* Checks cross-key rules (TLS files present when TLS listens, ...); false with a reason. */
bool gg_config_check(const gg_config *cfg, gg_fault *fault);
/* Checks the "auth" section is complete and secure (a mode chosen, API_KEY with a key, ...); false
 * with a reason that says what to set. Serving and --check need it; migrate does not. */
bool gg_config_check_auth(const gg_config *cfg, gg_fault *fault);
/* Checks the datastore section (config_datastore.c); part of gg_config_check. */
bool gg_config_check_datastore(const gg_config *cfg, gg_fault *fault);
/* Fills the conflict detection part of options (sync, conflict_handler, the per-model entries,
 * allocated in arena) from the datastore keys, which gg_config_check accepted. */
struct gg_amplify_options;
struct gg_arena;
void gg_config_datastore_options(const gg_config *cfg, struct gg_arena *arena, struct gg_amplify_options *options);
/* Frees what the config owns. */
void gg_config_free(gg_config *cfg);
/* Calls differs(key, user) for every key whose value differs between a and b, in the table's order
 * (a reload names the keys that only a restart applies; secrets are compared, never shown). */
void gg_config_each_difference(const gg_config *a, const gg_config *b, void (*differs)(const char *key, void *user),
                               void *user);
/* Prints every key with its environment variable, default and meaning (for --help). */
void gg_config_print_keys(FILE *out);
/* Whether the string key name (T_STR, e.g. "tls.ciphers") holds its default value. */
bool gg_config_string_is_default(const gg_config *cfg, const char *name);

#endif
