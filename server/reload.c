/* reload.c: SIGHUP reloads configuration, schema, plugins and authorization (reload.h).
 *
 * The steps are start-up's, in its order (configuration file then environment, cross-key checks,
 * authorization checks, plugins and schema, verifier), each failure returning before anything is
 * handed to the server; only then does gg_server_reload install the generation on every worker.
 * A reload is whole or nothing: the new generation's configuration replaces the old one for the keys
 * it governs (RELOADED below), while every other key keeps its start-up value until a restart. */
#include "reload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "base/log.h"
#include "gateway/gateway.h"

extern char **environ;

/* The keys a generation applies (a key, or a prefix ending in '.'); the others need a restart. */
static const char *const RELOADED[] = {
    "schema", "appsync", "amplify", "static_data_file", "limits.", "auth.", "plugins", "resolvers", "log.",
    /* the generation's SQL planning (gateway.c) */
    "database.default_page_size", "database.max_page_size", "database.plan", "database.log_sql",
    "database.foreign_keys", /* read by graphgate migrate only */
    "datastore.conflict_detection", "datastore.conflict_handler", "datastore.models", /* the served schema */
    "datastore.lambda.", /* the conflict handler, found in the generation's plugins */
};

static bool reloaded(const char *key)
{
    for (size_t i = 0; i < sizeof RELOADED / sizeof RELOADED[0]; i++) {
        size_t n = strlen(RELOADED[i]);
        if (RELOADED[i][n - 1] == '.' ? strncmp(key, RELOADED[i], n) == 0 : strcmp(key, RELOADED[i]) == 0) return true;
    }
    return false;
}

static void warn_restart_key(const char *key, void *user)
{
    (void)user;
    if (!reloaded(key))
        gg_log_warn("reload: key \"%s\" changed: it applies at the next restart (the running value stays)", key);
}

/* Builds the new generation: NULL with the reason in fault. */
static gg_generation *build(const char *config_path, const gg_config *start, bool database_open, gg_fault *fault)
{
    gg_config *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL) abort();
    if (!gg_config_load(cfg, config_path, environ, fault) || !gg_config_check(cfg, fault) ||
        !gg_config_check_auth(cfg, fault)) {
        gg_config_free(cfg);
        free(cfg);
        return NULL;
    }
    gg_config_each_difference(start, cfg, warn_restart_key, NULL);
    gg_gateway *gateway = gg_gateway_load(cfg, fault); /* plugins load (setup) and bind here */
    if (gateway == NULL) {
        gg_config_free(cfg);
        free(cfg);
        return NULL;
    }
    gg_auth_verifier *verifier = NULL;
    if (cfg->auth->default_mode != GG_AUTH_NONE && (verifier = gg_auth_verifier_new(cfg->auth, fault)) == NULL) {
        gg_gateway_free(gateway);
        gg_config_free(cfg);
        free(cfg);
        return NULL;
    }
    bool needs_database = gg_gateway_catalog(gateway) != NULL || gg_gateway_plugin_count(gateway) > 0;
    if (needs_database && !database_open && start->database_url[0] != '\0')
        gg_log_warn("reload: the new schema uses the database, but the PostgreSQL pools open at start-up only "
                    "(none were needed then): its @model, @sql and plugin SQL answer ServiceUnavailable until a "
                    "restart");
    return gg_generation_new(cfg, gateway, verifier);
}

bool gg_reload(gg_server *server, const char *config_path, const gg_config *start, bool database_open,
               const char *cause)
{
    gg_log_info("%s: reloading configuration%s%s, schema and plugins", cause, config_path ? " " : "",
                config_path ? config_path : "");
    struct timespec began, ended;
    clock_gettime(CLOCK_MONOTONIC, &began);
    char err[4096]; /* room for a schema's first errors, one a line */
    gg_fault fault = gg_fault_in(err, sizeof err);
    gg_generation *generation = build(config_path, start, database_open, &fault);
    if (generation == NULL || !gg_server_reload(server, generation, &fault)) {
        gg_generation_free(generation);
        gg_log_error("reload failed, the previous configuration keeps serving: %s", fault.message);
        return false;
    }
    clock_gettime(CLOCK_MONOTONIC, &ended);
    double ms = (double)(ended.tv_sec - began.tv_sec) * 1e3 + (double)(ended.tv_nsec - began.tv_nsec) / 1e6;
    const gg_config *cfg = gg_generation_config(generation);
    gg_log_level level = GG_LOG_INFO;
    gg_log_format format = GG_LOG_TEXT;
    gg_log_level_parse(cfg->log_level, &level); /* gg_config_check accepted both */
    gg_log_format_parse(cfg->log_format, &format);
    gg_log_configure(level, format);
    char auth_line[512];
    gg_auth_config_describe(cfg->auth, auth_line, sizeof auth_line);
    gg_log_info("reload done: generation %u serves new requests (built and installed in %.1f ms; %s)",
                gg_generation_number(generation), ms, auth_line);
    return true;
}
