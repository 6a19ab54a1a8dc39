/* config.c: configuration file + environment, validated with precise messages; see config.h.
 *
 * Design: one table (gg_config_keys[]) lists every key with its type, the offset of its field in gg_config,
 * its default written as text, its bounds and a line of help. Defaults and environment values are
 * both text and go through the same parser (set_from_text), so a default can never be a value the
 * environment would refuse. The JSON file goes through set_from_json, which checks JSON types.
 * A key can be set from the file, then the environment wins; secrets (database_url) are refused
 * in the file, so they never end up in a repository: they come from the environment or from a
 * file named by a *_file key (database_url, database.read_url, database.listen_url, cursor_secret). */
#include "config.h"
#include "config_keys.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/log.h"
#include "graphql/suggest.h"

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
    for (size_t i = 0; i < gg_config_key_count; i++)
        if (strcmp(gg_config_keys[i].name, name) == 0) return &gg_config_keys[i];
    return NULL;
}

/* True when some key starts with "prefix." (so the prefix names a section object). */
static bool is_section(const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < gg_config_key_count; i++)
        if (strncmp(gg_config_keys[i].name, prefix, n) == 0 && gg_config_keys[i].name[n] == '.') return true;
    return false;
}

/* An unknown key in the file: the message, with the keys and sections close to its name
 * ("auth.api_key_file" -> Did you mean "auth.api_keys_file"?, the closest one). Secrets are offered too: naming one
 * in the file then says where it goes instead. The sections the name is already in are not. */
static void unknown_key(const char *path, const char *name, gg_fault *fault)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const char **options = gg_arena_array(&arena, gg_config_key_count * 4, sizeof *options);
    unsigned n = 0;
    for (size_t i = 0; i < gg_config_key_count; i++) {
        const char *key = gg_config_keys[i].name;
        options[n++] = key;
        for (const char *dot = strchr(key, '.'); dot != NULL && n < gg_config_key_count * 4;
             dot = strchr(dot + 1, '.')) {
            size_t len = (size_t)(dot - key);
            if (strncmp(name, key, len) == 0 && name[len] == '.') continue; /* the name's own section */
            const char *section = gg_arena_strndup(&arena, key, len);
            bool known = false;
            for (unsigned j = 0; j < n && !known; j++)
                known = strcmp(options[j], section) == 0;
            if (!known) options[n++] = section;
        }
    }
    /* the closest only: full names are long, and every key of the section is within reach of a typo */
    const char **close;
    unsigned close_count;
    gg_suggestion_list(&arena, name, options, n, &close, &close_count);
    const char *hint = gg_did_you_mean(&arena, NULL, close, close_count ? 1 : 0);
    if (hint[0])
        gg_fault_set(fault, NULL, "%s: key \"%s\": unknown key.%s", path, name, hint);
    else
        gg_fault_set(fault, NULL, "%s: key \"%s\": unknown key (graphgate --help lists every key)", path, name);
    gg_arena_free(&arena);
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
            unknown_key(path, name, fault);
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

/* A GRAPHGATE_ variable that names no key: a warning, with the closest variable that does
 * (GRAPHGATE_DATABSE_URL -> GRAPHGATE_DATABASE_URL), compared without the common prefix. */
static void warn_unknown_env(const char *var, size_t name_len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const size_t prefix = strlen("GRAPHGATE_");
    const char *name = gg_arena_strndup(&arena, var + prefix, name_len - prefix);
    const char **options = gg_arena_array(&arena, gg_config_key_count, sizeof *options);
    for (size_t i = 0; i < gg_config_key_count; i++) {
        char env[128];
        env_name(&gg_config_keys[i], env, sizeof env);
        options[i] = gg_arena_strndup(&arena, env + prefix, strlen(env + prefix));
    }
    const char **close;
    unsigned close_count;
    gg_suggestion_list(&arena, name, options, (unsigned)gg_config_key_count, &close, &close_count);
    if (close_count > 0)
        gg_log_warn("warning: environment GRAPHGATE_%s names no configuration key. Did you mean \"GRAPHGATE_%s\"?",
                    name, close[0]);
    else
        gg_log_warn("warning: environment GRAPHGATE_%s names no configuration key (see --help)", name);
    gg_arena_free(&arena);
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
        for (size_t i = 0; i < gg_config_key_count && k == NULL; i++) {
            env_name(&gg_config_keys[i], name, sizeof name);
            if (strlen(name) == name_len && strncmp(name, *e, name_len) == 0) k = &gg_config_keys[i];
        }
        if (k == NULL) { /* not fatal: other tools may use the prefix too; but a typo should show */
            warn_unknown_env(*e, name_len);
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
    for (size_t i = 0; i < gg_config_key_count; i++)
        set_from_text(cfg, &gg_config_keys[i], gg_config_keys[i].def);
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
    cJSON_AddStringToObject(auth, "jwks_ca_file", cfg->auth_jwks_ca_file);
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
    for (size_t i = 0; i < gg_config_key_count; i++) {
        char *field = (char *)cfg + gg_config_keys[i].offset;
        if (gg_config_keys[i].type == T_STR || gg_config_keys[i].type == T_SECRET) {
            free(*(char **)field);
            *(char **)field = NULL;
        } else if (gg_config_keys[i].type == T_LIST) {
            list_free((gg_strlist *)field);
        } else if (gg_config_keys[i].type == T_JSON) {
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
    for (size_t i = 0; i < gg_config_key_count; i++) {
        const char *fa = (const char *)a + gg_config_keys[i].offset, *fb = (const char *)b + gg_config_keys[i].offset;
        bool same = true;
        switch (gg_config_keys[i].type) {
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
        if (!same) differs(gg_config_keys[i].name, user);
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
    for (size_t i = 0; i < gg_config_key_count; i++) {
        char name[128];
        env_name(&gg_config_keys[i], name, sizeof name);
        fprintf(out, "  %-28s %-38s default: %s\n      %s\n", gg_config_keys[i].name, name,
                gg_config_keys[i].def[0] ? gg_config_keys[i].def : "(empty)", gg_config_keys[i].help);
    }
}
