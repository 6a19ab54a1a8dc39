/* authorizer.c: an example AWS_LAMBDA authorizer plugin, the in-process twin of an AppSync Lambda
 * authorizer (plugins/README.md, "Authorizers").
 *
 * It decides from the token alone, so the example stays one file; a real one would look the token up
 * (a session table, an introspection endpoint) and could answer later, from the same loop:
 *   "allow-<user>"   allowed; resolverContext {"user": <user>, "operation": ..., "client": ...}
 *   "limited-<user>" allowed like allow-, but the fields of config "denied_fields" are denied
 *   "short-<user>"   allowed like allow-, cached for one second only (ttlOverride: 1)
 *   "fail"           the authorizer fails (as a Lambda that throws): refused, not cached
 *   "session-<id>"   looked up in the table config "sessions_table" (columns id, user_name) through
 *                    graphgate's PostgreSQL pool: the asynchronous way to answer. A row allows its
 *                    user_name, no row denies, a database error fails
 *   anything else    denied (isAuthorized: false)
 * "operation" is the request's operationName and "client" its x-client header, to show what the
 * authorizer is told. Its resolver "calls" answers how often the authorizer ran for a token
 * (argument token), so a test can watch the decision cache work; "whoami" answers the caller's mode
 * and its resolverContext, read back as identity claims.
 *
 * Configuration: {"denied_fields": ["Type.field", ...], "sessions_table": "name", "fail_setup": false}. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphgate/plugin.h>

#define MAX_COUNTED 64

/* How often the authorizer ran per token: shared by every thread, so behind a lock. */
typedef struct counter {
    pthread_mutex_t lock;
    unsigned used;
    char *tokens[MAX_COUNTED];
    unsigned calls[MAX_COUNTED];
} counter;

typedef struct state {
    counter counts;
    cJSON *denied_fields; /* a copy of config.denied_fields (a list), or NULL */
    char *session_sql;    /* the lookup of session tokens, or NULL without config.sessions_table */
} state;

static void count_call(counter *c, const char *token)
{
    pthread_mutex_lock(&c->lock);
    unsigned i = 0;
    while (i < c->used && strcmp(c->tokens[i], token) != 0)
        i++;
    if (i == c->used && c->used < MAX_COUNTED) c->tokens[c->used++] = strdup(token);
    if (i < c->used) c->calls[i]++;
    pthread_mutex_unlock(&c->lock);
}

static unsigned calls_of(counter *c, const char *token)
{
    unsigned n = 0;
    pthread_mutex_lock(&c->lock);
    for (unsigned i = 0; i < c->used; i++)
        if (strcmp(c->tokens[i], token) == 0) n = c->calls[i];
    pthread_mutex_unlock(&c->lock);
    return n;
}

/* The user after prefix in token, or NULL when token does not start with it (or names nobody). */
static const char *user_after(const char *token, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(token, prefix, n) == 0 && token[n] != '\0' ? token + n : NULL;
}

/* An answer allowing the user who, or a denial (who NULL); the caller sends and deletes it. */
static cJSON *decision(gg_plugin_authorization *authorization, const char *who)
{
    cJSON *response = cJSON_CreateObject();
    cJSON_AddBoolToObject(response, "isAuthorized", who != NULL);
    if (who != NULL) {
        cJSON *context = cJSON_AddObjectToObject(response, "resolverContext");
        cJSON_AddStringToObject(context, "user", who);
        const char *operation = gg_plugin_authorization_operation_name(authorization);
        const char *client = gg_plugin_authorization_header(authorization, "x-client");
        cJSON_AddStringToObject(context, "operation", operation ? operation : "");
        cJSON_AddStringToObject(context, "client", client ? client : "");
    }
    return response;
}

/* The session lookup's rows: answered here, later than authorize returned. */
static void on_session(gg_plugin_authorization *authorization, const gg_plugin_value *rows, const char *error_type,
                       const char *message, void *user)
{
    (void)user;
    if (rows == NULL) {
        gg_plugin_authorization_fail(authorization, "session lookup: %s (%s)", message, error_type);
        return;
    }
    const char *who = gg_plugin_value_string(gg_plugin_value_member(gg_plugin_value_item(rows, 0), "user_name"), NULL);
    cJSON *response = decision(authorization, who);
    gg_plugin_authorization_return(authorization, response);
    cJSON_Delete(response);
}

static void authorize(gg_plugin_authorization *authorization)
{
    state *s = gg_plugin_authorization_data(authorization);
    const char *token = gg_plugin_authorization_token(authorization, NULL);
    count_call(&s->counts, token);
    if (strcmp(token, "fail") == 0) {
        gg_plugin_authorization_fail(authorization, "the session store is unreachable");
        return;
    }
    const char *session = user_after(token, "session-");
    if (session != NULL && s->session_sql != NULL) {
        gg_plugin_authorization_sql(authorization, s->session_sql, 1, &session, on_session, NULL);
        return;
    }
    const char *user = user_after(token, "allow-"), *limited = user_after(token, "limited-");
    const char *brief = user_after(token, "short-");
    cJSON *response = decision(authorization, user ? user : limited ? limited : brief);
    if (limited != NULL && s->denied_fields != NULL)
        cJSON_AddItemToObject(response, "deniedFields", cJSON_Duplicate(s->denied_fields, true));
    if (brief != NULL) cJSON_AddNumberToObject(response, "ttlOverride", 1);
    gg_plugin_authorization_return(authorization, response);
    cJSON_Delete(response);
}

static void calls(gg_plugin_call *call)
{
    state *s = gg_plugin_data(gg_plugin_call_plugin(call));
    const char *token = gg_plugin_call_argument_string(call, "token");
    gg_plugin_return_int(call, token ? calls_of(&s->counts, token) : 0);
}

static const char *mode_name(gg_plugin_auth_mode mode)
{
    switch (mode) {
    case GG_PLUGIN_AUTH_AWS_LAMBDA:
        return "AWS_LAMBDA";
    case GG_PLUGIN_AUTH_API_KEY:
        return "API_KEY";
    case GG_PLUGIN_AUTH_OPENID_CONNECT:
        return "OPENID_CONNECT";
    case GG_PLUGIN_AUTH_AMAZON_COGNITO_USER_POOLS:
        return "AMAZON_COGNITO_USER_POOLS";
    default:
        return "NONE";
    }
}

/* The caller: {mode, user, operation, client}, the last three from its claims (the resolverContext). */
static void whoami(gg_plugin_call *call)
{
    const gg_plugin_identity *identity = gg_plugin_call_identity(call);
    const cJSON *claims = gg_plugin_identity_claims(identity);
    cJSON *who = cJSON_CreateObject();
    cJSON_AddStringToObject(who, "mode", mode_name(gg_plugin_identity_mode(identity)));
    static const char *const names[] = {"user", "operation", "client"};
    for (int i = 0; i < 3; i++) {
        const cJSON *claim = cJSON_GetObjectItemCaseSensitive(claims, names[i]);
        if (cJSON_IsString(claim)) cJSON_AddStringToObject(who, names[i], claim->valuestring);
    }
    gg_plugin_return_cjson(call, who);
    cJSON_Delete(who);
}

static void shutdown(gg_plugin *plugin)
{
    state *s = gg_plugin_data(plugin);
    for (unsigned i = 0; i < s->counts.used; i++)
        free(s->counts.tokens[i]);
    pthread_mutex_destroy(&s->counts.lock);
    cJSON_Delete(s->denied_fields);
    free(s->session_sql);
    free(s);
}

static int setup(gg_plugin *plugin)
{
    const cJSON *config = gg_plugin_config(plugin);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(config, "fail_setup"))) {
        gg_plugin_set_error(plugin, "config.fail_setup is true: refusing to start");
        return 1;
    }
    const cJSON *denied = cJSON_GetObjectItemCaseSensitive(config, "denied_fields");
    if (denied != NULL && !cJSON_IsArray(denied)) {
        gg_plugin_set_error(plugin, "config.denied_fields must be a list of \"Type.field\" strings");
        return 1;
    }
    const cJSON *table = cJSON_GetObjectItemCaseSensitive(config, "sessions_table");
    if (table != NULL &&
        (!cJSON_IsString(table) || table->valuestring[0] == '\0' ||
         strspn(table->valuestring, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(table->valuestring))) {
        gg_plugin_set_error(plugin, "config.sessions_table must be a table name (lower-case letters, digits and _)");
        return 1;
    }
    state *s = calloc(1, sizeof *s);
    if (s == NULL) return 1;
    if (table != NULL) { /* a checked name: the only text ever put into the statement */
        size_t n = strlen(table->valuestring) + 64;
        s->session_sql = malloc(n);
        if (s->session_sql != NULL)
            snprintf(s->session_sql, n, "SELECT user_name FROM %s WHERE id = $1", table->valuestring);
    }
    pthread_mutex_init(&s->counts.lock, NULL);
    s->denied_fields = denied != NULL ? cJSON_Duplicate(denied, true) : NULL;
    gg_plugin_set_data(plugin, s);
    gg_plugin_set_shutdown(plugin, shutdown);
    if (gg_plugin_add_authorizer(plugin, "check", authorize, s) != 0 ||
        gg_plugin_add_resolver(plugin, "calls", calls, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "whoami", whoami, NULL) != 0) {
        shutdown(plugin); /* graphgate runs it only after a successful setup */
        return 1;
    }
    return 0;
}

GG_PLUGIN_MODULE(setup);
