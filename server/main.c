/* main.c: the graphgate command: options, configuration, schema, threads, signals, and the
 * `graphgate migrate` and `graphgate init` (init/init.h) subcommands.
 *
 * Start-up is strict and ordered: configuration (file, then environment) -> cross-key checks ->
 * schema (through the Amplify transform when it has @model types) -> authorization (a mode must be
 * chosen; the verifier does OpenID discovery, fetches JWKS URLs) -> cursor key (for @model schemas with a database)
 * -> listeners -> worker threads (each with its PostgreSQL pool). Any failure prints one line naming the file or
 * variable, the key and the reason, and exits with status 2 (configuration) or 1 (runtime). The signals the server
 * handles (SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2) are blocked before any thread starts, so every thread inherits
 * the mask and only the main thread receives them, in sigtimedwait(): SIGTERM and SIGINT drain the workers
 * (gg_server_stop) and exit 0; SIGHUP reloads configuration, schema and plugins (reload.h) while the workers serve on;
 * SIGUSR1 and SIGUSR2 are logged and ignored (their default action would kill the server without a drain). Between
 * signals, once a second, the main thread frees the generations a reload replaced once their last request ended. The
 * soft file descriptor limit is raised to the hard one at start: the limit an operator set is the one that counts. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "amplify/transform.h"
#include "auth/auth.h"
#include "base/log.h"
#include "config.h"
#include "gateway/auth_warnings.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "init/init.h"
#include "postgres.h"
#include "reload.h"

#ifndef GG_VERSION
#define GG_VERSION "0.0.0"
#endif

extern char **environ;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: graphgate [--config FILE] [--check | --print-schema]\n"
            "       graphgate migrate [--dry-run] [--config FILE]\n"
            "       graphgate init --from-database URL [--schema NAME] [--tables a,b] [--out DIR] [--force]\n"
            "\n"
            "graphgate serves a GraphQL API (AppSync/Amplify schema dialect) over HTTP/1.1 and HTTP/2.\n"
            "A schema whose types carry @model is served like AppSync serves an Amplify schema, with\n"
            "the data in PostgreSQL (database_url).\n"
            "\n"
            "Options:\n"
            "  -c, --config FILE  configuration file (JSON); default: $GRAPHGATE_CONFIG, else none\n"
            "      --check        validate the configuration and the schema, then exit\n"
            "      --print-schema print the served schema (SDL) and exit: for an Amplify schema the\n"
            "                     transformed one, with the @aws_* directives its @auth rules apply for\n"
            "                     auth.default_mode (for codegen and review)\n"
            "  -h, --help         show this help and exit\n"
            "  -V, --version      show the version and exit\n"
            "\n"
            "graphgate migrate creates or extends the tables, indexes and foreign keys of the @model\n"
            "types in the configured database, in one transaction (idempotent: run it at every deployment).\n"
            "  --dry-run          print the SQL instead of running it (no database needed)\n"
            "  exit status: 0 done (or nothing to do), 1 database error (nothing applied),\n"
            "               2 usage, configuration or schema error\n"
            "\n"
            "graphgate init --from-database URL writes schema.graphql and graphgate.json (and an API key) that\n"
            "serve an existing database's tables as they are; it refuses to overwrite them without --force\n"
            "(graphgate init --help).\n"
            "\n"
            "Exit status of the server: 0 after SIGTERM/SIGINT, 1 runtime error (port, database at start-up),\n"
            "2 configuration or schema error.\n"
            "Endpoints: POST/GET <graphql_path>, websockets (subscriptions) at <graphql_path> and\n"
            "<graphql_path>/realtime, GET /healthz (alive), GET /readyz (ready), GET /metrics (Prometheus;\n"
            "metrics.path, metrics.listen, metrics.enabled).\n"
            "Plugins: resolvers in C, .so files built against graphgate/plugin.h (pkg-config\n"
            "graphgate-plugin), loaded from the plugins key and bound by @function(name: \"plugin.resolver\")\n"
            "or the resolvers key (also pipelines: {\"Type.field\": {\"pipeline\": [steps]}}); blocking resolvers\n"
            "run on plugins_worker_threads worker threads. A plugin that does not load or set up stops\n"
            "start-up (exit 2).\n"
            "--print-schema and migrate neither load plugins nor check bindings; --check does both.\n"
            "Signals: SIGTERM or SIGINT drain in-flight requests, then exit 0. SIGHUP reloads the configuration\n"
            "file, the schema, the plugins and authorization (API keys, JWT settings) without dropping a\n"
            "connection: requests in flight finish on the old ones; a reload that fails is logged and the old\n"
            "ones keep serving; keys only a restart applies (listeners, threads, TLS, database, http.*) are\n"
            "named in a warning when changed. SIGUSR1 and SIGUSR2 are logged and ignored.\n"
            "File descriptors: the soft limit (ulimit -n) is raised to the hard limit at start (logged);\n"
            "when they run out, accepting pauses for 100 ms at a time instead of spinning.\n"
            "\n"
            "Configuration keys (file key, environment variable, default):\n");
    gg_config_print_keys(out);
    fprintf(out, "\nAuthorization: graphgate does not start until auth.default_mode is set. API_KEY requests send\n"
                 "x-api-key; OPENID_CONNECT and AMAZON_COGNITO_USER_POOLS requests send Authorization: <JWT>; a\n"
                 "refused request gets HTTP 401 with AppSync's UnauthorizedException body. NONE serves every\n"
                 "request without authorization (local development, or behind a trusted proxy). As on AppSync,\n"
                 "an https auth.oidc.issuer alone is enough: its keys are found through OpenID discovery at\n"
                 "start-up (--check fetches nothing and says so); auth.jwks_ca_file trusts a private CA.\n"
                 "\nSecrets (database_url, cursor_secret, auth.api_keys) come only from the environment or from their\n"
                 "*_file key.\n"
                 "Without cursor_secret, nextToken values are signed with a secret kept in the database\n"
                 "(table graphgate_meta), shared by every instance.\n"
                 "Example: conf/graphgate.example.json\n");
}

/* Raises the soft RLIMIT_NOFILE to the hard limit (each connection is a descriptor) and logs the
 * limit that counts. Linux refuses an unlimited soft limit: the kernel's fs.nr_open is used then. */
static void raise_descriptor_limit(void)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) {
        gg_log_warn("warning: getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
        return;
    }
    rlim_t before = lim.rlim_cur;
    if (lim.rlim_cur < lim.rlim_max) {
        struct rlimit raised = {.rlim_cur = lim.rlim_max, .rlim_max = lim.rlim_max};
        if (raised.rlim_cur == RLIM_INFINITY) {
            FILE *f = fopen("/proc/sys/fs/nr_open", "r");
            unsigned long nr_open = 0;
            if (f != NULL) {
                if (fscanf(f, "%lu", &nr_open) != 1) nr_open = 0;
                fclose(f);
            }
            raised.rlim_cur = nr_open > before ? (rlim_t)nr_open : before;
        }
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            lim.rlim_cur = raised.rlim_cur;
        else
            gg_log_warn("warning: setrlimit(RLIMIT_NOFILE): %s", strerror(errno));
    }
    if (lim.rlim_cur != before)
        gg_log_info("file descriptor limit %llu (raised from %llu)", (unsigned long long)lim.rlim_cur,
                    (unsigned long long)before);
    else
        gg_log_info("file descriptor limit %llu", (unsigned long long)lim.rlim_cur);
}

/* Seconds between reloads that try to read the column types (serve_until_stop_signal). */
#define COLUMN_TYPES_RETRY_S 5

/* Waits for SIGTERM or SIGINT and returns it. SIGHUP reloads; SIGUSR1 and SIGUSR2 are logged and
 * ignored. Every second (and after a reload) the generations no request uses any more are freed.
 * A generation built while the database did not answer has graphgate's storage types for the
 * @model columns, which a table made otherwise may not have, and /readyz says 503 meanwhile: once
 * the readiness probe reaches the database, the server reloads to read them (every
 * COLUMN_TYPES_RETRY_S seconds while it cannot). */
static int serve_until_stop_signal(const sigset_t *sigs, gg_server *server, const char *config_path,
                                   const gg_config *start, bool database_open, const gg_pg_readiness *readiness)
{
    time_t next_types_try = 0;
    for (;;) {
        struct timespec second = {.tv_sec = 1};
        int sig = sigtimedwait(sigs, NULL, &second);
        gg_server_reap_generations(server);
        if (sig < 0 && gg_server_column_types_unread(server) && gg_pg_readiness_ok(readiness) &&
            time(NULL) >= next_types_try) {
            next_types_try = time(NULL) + COLUMN_TYPES_RETRY_S;
            gg_reload(server, config_path, start, database_open,
                      "the database answers now (the @model column types were not read)");
        }
        if (sig < 0) continue; /* EAGAIN (a second passed), EINTR */
        if (sig == SIGTERM || sig == SIGINT) return sig;
        if (sig == SIGHUP)
            gg_reload(server, config_path, start, database_open, "SIGHUP received");
        else
            gg_log_info("%s received: ignored", sig == SIGUSR1 ? "SIGUSR1" : "SIGUSR2");
    }
}

static unsigned thread_count(const gg_config *cfg)
{
    if (cfg->threads > 0) return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* GRAPHGATE_LOG_LEVEL and GRAPHGATE_LOG_FORMAT apply from the first line on (the environment wins over
 * the file anyway); an invalid value is left to the configuration check, which names the key. */
static void configure_log_from_environment(void)
{
    gg_log_level level = GG_LOG_INFO;
    gg_log_format format = GG_LOG_TEXT;
    const char *level_name = getenv("GRAPHGATE_LOG_LEVEL"), *format_name = getenv("GRAPHGATE_LOG_FORMAT");
    if (level_name != NULL) gg_log_level_parse(level_name, &level);
    if (format_name != NULL) gg_log_format_parse(format_name, &format);
    gg_log_configure(level, format);
}

/* --print-schema: the served SDL on stdout (the gateway has checked the schema already); 0, or 2
 * with the reason. The @aws_* directives depend on the default mode (unset: API_KEY, as AppSync). */
static int print_served_schema(const gg_config *cfg, bool amplify_schema)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_amplify_options opts = {.default_auth = GG_AMPLIFY_PROVIDER_API_KEY};
    gg_config_datastore_options(cfg, &arena, &opts); /* conflict detection, per model */
    switch (cfg->auth->default_mode) {
    case GG_AUTH_OPENID_CONNECT:
        opts.default_auth = GG_AMPLIFY_PROVIDER_OIDC;
        break;
    case GG_AUTH_AMAZON_COGNITO_USER_POOLS:
        opts.default_auth = GG_AMPLIFY_PROVIDER_USER_POOLS;
        break;
    case GG_AUTH_AWS_LAMBDA:
        opts.default_auth = GG_AMPLIFY_PROVIDER_FUNCTION;
        break;
    case GG_AUTH_AWS_IAM:
        opts.default_auth = GG_AMPLIFY_PROVIDER_IAM;
        break;
    default:
        break;
    }
    gg_buf sdl;
    gg_buf_init(&sdl);
    char err[4096]; /* room for a schema's first errors, one a line */
    gg_fault fault = gg_fault_in(err, sizeof err);
    bool ok = gg_amplify_served_sdl((const char *const *)cfg->schema.items, cfg->schema.count, amplify_schema, &opts,
                                    &sdl, &fault);
    if (ok && sdl.len > 0) fwrite(sdl.data, 1, sdl.len, stdout);
    if (!ok) gg_log_error("%s", fault.message);
    gg_buf_free(&sdl);
    gg_arena_free(&arena);
    return ok ? 0 : 2;
}

/* API keys may carry an expiry (key@2027-01-31T00:00:00Z); once all have passed, every request with
 * one is refused and only the log's per-request lines say why. Start-up and --check say it once. */
static void warn_expired_api_keys(const gg_auth_config *auth)
{
    if ((auth->modes & (1u << GG_AUTH_API_KEY)) == 0 || auth->api_key_count == 0) return;
    int64_t now = (int64_t)time(NULL), last = 0;
    for (size_t i = 0; i < auth->api_key_count; i++) {
        int64_t expires = auth->api_keys[i].expires;
        if (expires == 0 || expires > now) return; /* one key still works */
        if (expires > last) last = expires;
    }
    char when[32];
    time_t t = (time_t)last;
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    gg_log_warn("warning: every API key has expired (the last at %s): requests with an API key are refused; add a "
                "key without an expiry, or a later one, to auth.api_keys_file or GRAPHGATE_AUTH_API_KEYS",
                when);
}

int main(int argc, char **argv)
{
    gg_log_startup_begin();
    configure_log_from_environment();
    const char *config_path = getenv("GRAPHGATE_CONFIG");
    bool check_only = false, print_schema = false, migrate = false, dry_run = false;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "init") == 0) return gg_init_command(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "migrate") == 0) {
        migrate = true;
        first = 2;
    }
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            printf("graphgate %s\n", GG_VERSION);
            return 0;
        } else if (!strcmp(a, "--check") && !migrate) {
            check_only = true;
        } else if (!strcmp(a, "--print-schema") && !migrate) {
            print_schema = true;
        } else if (!strcmp(a, "--dry-run") && migrate) {
            dry_run = true;
        } else if ((!strcmp(a, "-c") || !strcmp(a, "--config")) && i + 1 < argc) {
            config_path = argv[++i];
        } else if (!strncmp(a, "--config=", 9)) {
            config_path = a + 9;
        } else if (!strcmp(a, "-c") || !strcmp(a, "--config")) { /* the last argument */
            gg_log_error("%s needs the configuration file's path: %s FILE (see graphgate --help)", a, a);
            return 2;
        } else {
            gg_log_error("unknown option %s (see graphgate --help)", a);
            return 2;
        }
    }
    if (config_path != NULL && config_path[0] == '\0') config_path = NULL;

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGUSR2);
    if (!migrate) /* the server waits for them in sigwait; migrate keeps the default (Ctrl-C stops it) */
        pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    gg_config cfg;
    char err[4096]; /* room for a schema's first errors, one a line */
    gg_fault fault = gg_fault_in(err, sizeof err);
    if (!gg_config_load(&cfg, config_path, environ, &fault) || !gg_config_check(&cfg, &fault)) {
        if (config_path != NULL)
            gg_log_error("configuration error (config file %s): %s", config_path, fault.message);
        else /* the usual cause: the file was not named */
            gg_log_error("configuration error: %s (no configuration file was given: -c FILE or GRAPHGATE_CONFIG)",
                         fault.message);
        gg_config_free(&cfg);
        return 2;
    }
    gg_log_level log_level = GG_LOG_INFO;
    gg_log_format log_format = GG_LOG_TEXT;
    gg_log_level_parse(cfg.log_level, &log_level); /* gg_config_check accepted both */
    gg_log_format_parse(cfg.log_format, &log_format);
    gg_log_configure(log_level, log_format);
    gg_log_startup_step("configuration read");
    /* The pools' first connections (one per thread) open in the background while the schema is
     * built and checked: PostgreSQL starts their backends meanwhile. Unused without a database. */
    gg_pg_early *early = NULL;
    if (!migrate && !print_schema && !check_only && cfg.database_url[0] != '\0')
        early = gg_pg_early_start(cfg.database_url,
                                  strcmp(cfg.db_pooler, "pgbouncer-transaction") == 0 ? 0 : cfg.db_statement_timeout_ms,
                                  thread_count(&cfg));
    /* OpenSSL's initialisation (the TLS check's) on the main thread while the connections start: start-up
     * waits for them after the schema is built anyway. TLS keys and files: configuration errors (2). */
    if (!migrate && !print_schema && !gg_server_check_tls(&cfg, &fault)) {
        gg_log_error("configuration error: %s", fault.message);
        gg_pg_early_free(early);
        gg_config_free(&cfg);
        return 2;
    }
    /* the cursor key's SHA-256 (OpenSSL's set-up) while PostgreSQL answers the column types' query */
    if (early != NULL) gg_pg_startup_while_waiting(gg_cursor_setup);
    /* the cursor secret comes with the column types, in their round trip */
    if (early != NULL && (cfg.cursor_secret == NULL || cfg.cursor_secret[0] == '\0'))
        gg_pg_cursor_secret_prefetch(cfg.db_schema);
    gg_log_startup_step("TLS checked");
    cfg.plugins_off = migrate || print_schema; /* they read the schema only: no plugin is loaded or bound */
    /* without a configured cursor secret, start-up reads it from the database or stops (gg_pg_prepare) */
    cfg.database_needed = !check_only && (cfg.cursor_secret == NULL || cfg.cursor_secret[0] == '\0');
    gg_gateway *gateway = gg_gateway_load(&cfg, &fault);
    if (gateway == NULL) {
        gg_log_error("%s", fault.message);
        gg_pg_early_free(early);
        gg_config_free(&cfg);
        return 2;
    }
    gg_log_startup_step("schema loaded");
    if (migrate) {
        int status =
            gg_pg_migrate_command(cfg.database_url, cfg.db_foreign_keys, cfg.cursor_secret && cfg.cursor_secret[0],
                                  gg_gateway_catalog(gateway), dry_run, stdout);
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return status;
    }
    if (print_schema) {
        int status = print_served_schema(&cfg, gg_gateway_catalog(gateway) != NULL);
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return status;
    }
    if (!gg_config_check_auth(&cfg, &fault)) { /* secure by default: no mode, no service */
        gg_log_error("configuration error: %s", fault.message);
        gg_pg_early_free(early);
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return 2;
    }
    gg_warn_closed_models(cfg.auth, gg_gateway_catalog(gateway));
    warn_expired_api_keys(cfg.auth);
    if (check_only && cfg.auth->default_mode != GG_AUTH_NONE && !gg_auth_verifier_check(cfg.auth, &fault)) {
        gg_log_error("authorization cannot start: %s", fault.message); /* as start-up would say */
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return 2;
    }
    if (check_only) {
        /* --check stays off the network: say what start-up will fetch that it did not */
        char *discovery_url = gg_auth_oidc_discovery_url(cfg.auth);
        if (discovery_url != NULL)
            gg_log_info("auth.oidc: not checked without the network: start-up reads the keys' address (jwks_uri) "
                        "from OpenID discovery at %s and stops if that fails",
                        discovery_url);
        free(discovery_url);
        const gg_amplify_catalog *catalog = gg_gateway_catalog(gateway);
        unsigned models = catalog ? catalog->model_count : 0;
        /* a column that cannot hold its field fails --check (start-up only warns: see README) */
        int wrong = gg_pg_check_command(cfg.database_url, catalog, gg_gateway_schema(gateway));
        if (wrong > 0) {
            gg_log_error("%d mapped column%s cannot hold %s field (see the warnings above)", wrong,
                         wrong == 1 ? "" : "s", wrong == 1 ? "its" : "their");
        } else {
            printf("graphgate: configuration%s%s and schema (%u file%s", config_path ? " " : "",
                   config_path ? config_path : "", cfg.schema.count, cfg.schema.count == 1 ? "" : "s");
            if (models > 0) printf(", %u @model type%s", models, models == 1 ? "" : "s");
            printf(") are valid\n");
        }
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return wrong > 0 ? 1 : 0;
    }

    gg_cursor_key cursor_key = {0};
    bool database_answered = false; /* gg_pg_prepare reached the database just now */
    bool use_database = gg_gateway_catalog(gateway) != NULL && cfg.database_url[0] != '\0';
    /* Plugins without @model types get the pools too (gg_plugin_call_sql); nothing signs cursors then. */
    bool plugin_database = !use_database && gg_gateway_plugin_count(gateway) > 0 && cfg.database_url[0] != '\0';
    if (!use_database && !plugin_database) { /* no pool: the early connections are not needed */
        gg_pg_early_free(early);
        early = NULL;
    }
    if (plugin_database)
        gg_log_info("plugins' SQL over PostgreSQL, %u connection%s per thread", cfg.db_pool_size,
                    cfg.db_pool_size == 1 ? "" : "s");
    if (use_database) {
        const char *source;
        if (!gg_pg_prepare(cfg.database_url, cfg.cursor_secret, gg_gateway_catalog(gateway), &cursor_key, &source,
                           &database_answered, &fault)) {
            /* the database is needed at start for the cursor secret only (README, "nextToken values are signed") */
            gg_log_error("%s (check the database URL, GRAPHGATE_DATABASE_URL or database_url_file, and that PostgreSQL "
                         "runs; with GRAPHGATE_CURSOR_SECRET or cursor_secret_file set, graphgate starts without the "
                         "database and connects when it can)",
                         fault.message);
            gg_pg_early_free(early);
            gg_gateway_free(gateway);
            gg_config_free(&cfg);
            return 1;
        }
        gg_log_startup_step("cursor key read");
        gg_log_info("@model and @sql fields over PostgreSQL, %u connection%s per thread; nextToken key from %s",
                    cfg.db_pool_size, cfg.db_pool_size == 1 ? "" : "s", source);
    } else if (gg_gateway_catalog(gateway) != NULL) {
        gg_log_warn("warning: the schema has @model types or @sql fields but no database is "
                    "configured (GRAPHGATE_DATABASE_URL): their fields answer ServiceUnavailable");
    }

    gg_auth_verifier *verifier = NULL;
    char auth_line[512];
    gg_auth_config_describe(cfg.auth, auth_line, sizeof auth_line);
    if (cfg.auth->default_mode == GG_AUTH_NONE) {
        gg_log_warn("WARNING: %s (auth.default_mode is NONE)", auth_line);
    } else {
        verifier = gg_auth_verifier_new(cfg.auth, &fault); /* OpenID discovery and JWKS URLs are fetched here */
        if (verifier == NULL) {
            gg_log_error("authorization cannot start: %s", fault.message);
            gg_pg_prepare_finish(false);
            gg_pg_early_free(early);
            gg_gateway_free(gateway);
            gg_config_free(&cfg);
            return 2;
        }
        gg_log_info("%s", auth_line);
    }

    gg_pg_startup_close(); /* start-up's blocking steps are over (none may have taken the connection) */
    raise_descriptor_limit();
    gg_pg_readiness *readiness = gg_pg_readiness_start(cfg.database_url, database_answered);
    gg_log_startup_step("authorization ready");
    gg_server *server = gg_server_create(&cfg, gateway, readiness, &fault);
    if (server == NULL) {
        gg_log_error("%s", fault.message);
        gg_pg_prepare_finish(false);
        gg_pg_early_free(early);
        gg_pg_readiness_stop(readiness);
        gg_auth_verifier_free(verifier);
        gg_gateway_free(gateway);
        gg_config_free(&cfg);
        return 1;
    }
    const gg_amplify_catalog *catalog_at_start = gg_gateway_catalog(gateway); /* the purge copies what it needs */
    gateway = NULL; /* the server's now, with the verifier: its first generation */
    if (use_database || plugin_database) {
        gg_server_use_database(server, &cursor_key);
        gg_server_use_early_connections(server, early);
    }
    gg_pg_replica *replica = NULL; /* database.read_url: queries read there while it keeps up */
    if (use_database && cfg.database_read_url[0] != '\0') {
        replica = gg_pg_replica_start(cfg.database_url, cfg.database_read_url, cfg.db_max_replica_lag_ms,
                                      strcmp(cfg.db_pooler, "none") != 0);
        gg_server_use_replica(server, replica);
    }
    /* DataStore: old changes and tombstones go on a timer (the schema of start-up; a reload keeps it) */
    struct gg_pg_datastore_purge *purge =
        use_database ? gg_pg_purge_start(cfg.database_url, strcmp(cfg.db_pooler, "none") != 0, catalog_at_start,
                                         cfg.ds_delta_ttl_min, cfg.ds_purge_interval_s)
                     : NULL;
    if (verifier != NULL) gg_server_use_auth(server, verifier);
    gg_log_startup_step("listeners bound");
    unsigned threads = thread_count(&cfg);
    bool started = gg_server_start(server, threads); /* false: a plugin's per-thread start failed (logged) */
    if (started) gg_log_startup_step("threads started");
    gg_pg_prepare_finish(started); /* the database's warnings: after the threads serve, before "listening" */
    if (started) {
        gg_server_announce(server);
        gg_log_info("%u thread%s ready", threads, threads == 1 ? "" : "s");
        int sig = serve_until_stop_signal(&sigs, server, config_path, &cfg, use_database || plugin_database, readiness);
        gg_log_info("%s received, draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    }
    gg_server_stop(server);
    gg_server_free(server); /* every generation: gateways (plugins' shutdown), verifiers */
    gg_pg_purge_stop(purge);
    gg_pg_replica_stop(replica);
    gg_pg_early_free(early); /* after the workers: each took its own */
    gg_pg_readiness_stop(readiness);
    gg_config_free(&cfg);
    if (!started) return 2;
    gg_log_info("stopped");
    return 0;
}
