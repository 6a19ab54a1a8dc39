/* config.c (auth): the "auth" section of the configuration, read from its cJSON object.
 *
 * Parsing and checking are two steps so that server/config.c can apply environment overrides
 * (GRAPHGATE_AUTH_...) in between: gg_auth_config_parse reads what the file says, loading the
 * secret files it names, and gg_auth_config_check then refuses anything incomplete or insecure
 * with a message that says what to set. Unknown keys are errors, as everywhere in the
 * configuration: a typo must not silently switch authorization off. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "internal.h"

#define MIN_API_KEY_BYTES 16
#define MAX_SECRET_FILE_BYTES 65536

static const char *const mode_names[] = {"NONE",       "API_KEY", "OPENID_CONNECT", "AMAZON_COGNITO_USER_POOLS",
                                         "AWS_LAMBDA", "AWS_IAM"};

int gg_auth_mode_parse(const char *word)
{
    for (int i = 0; i <= GG_AUTH_AWS_LAMBDA; i++)
        if (strcmp(mode_names[i], word) == 0) return i;
    return -1;
}

const char *gg_auth_mode_name(gg_auth_mode mode)
{
    return (unsigned)mode < sizeof mode_names / sizeof mode_names[0] ? mode_names[mode] : "?";
}

bool gg_auth_parse_time(const char *text, size_t len, int64_t *out)
{
    /* Exactly YYYY-MM-DDTHH:MM:SSZ: one spelling, no time zones to get wrong. */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (len != sizeof shape - 1) return false;
    for (size_t i = 0; i < len; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)text[i]) : text[i] != shape[i]) return false;
    struct tm tm = {0};
    char part[5];
    int values[6], offsets[6] = {0, 5, 8, 11, 14, 17}, widths[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; i < 6; i++) {
        memcpy(part, text + offsets[i], (size_t)widths[i]);
        part[widths[i]] = '\0';
        values[i] = atoi(part);
    }
    if (values[1] < 1 || values[1] > 12 || values[2] < 1 || values[2] > 31 || values[3] > 23 || values[4] > 59 ||
        values[5] > 60)
        return false;
    tm.tm_year = values[0] - 1900;
    tm.tm_mon = values[1] - 1;
    tm.tm_mday = values[2];
    tm.tm_hour = values[3];
    tm.tm_min = values[4];
    tm.tm_sec = values[5];
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != values[2])
        return false; /* timegm normalised an impossible date such as 02-30 */
    *out = (int64_t)t;
    return true;
}

/* Adds one "key" or "key@time" entry. */
static bool add_api_key(gg_auth_config *cfg, const char *entry, size_t len, gg_fault *fault)
{
    const char *at = memchr(entry, '@', len);
    size_t key_len = at ? (size_t)(at - entry) : len;
    int64_t expires = 0;
    if (at != NULL && !gg_auth_parse_time(at + 1, len - key_len - 1, &expires)) {
        gg_fault_set(fault, NULL, "API key %zu: the expiry after '@' must look like 2027-01-31T00:00:00Z",
                     cfg->api_key_count + 1);
        return false;
    }
    for (size_t i = 0; i < key_len; i++)
        if (!isgraph((unsigned char)entry[i]) || entry[i] == ',') {
            gg_fault_set(fault, NULL, "API key %zu: only printable characters without spaces or commas",
                         cfg->api_key_count + 1);
            return false;
        }
    if (key_len < MIN_API_KEY_BYTES) {
        gg_fault_set(fault, NULL, "API key %zu is shorter than %d characters (make one with: openssl rand -hex 20)",
                     cfg->api_key_count + 1, MIN_API_KEY_BYTES);
        return false;
    }
    gg_auth_api_key *keys = realloc(cfg->api_keys, (cfg->api_key_count + 1) * sizeof *keys);
    if (keys == NULL) abort();
    cfg->api_keys = keys;
    keys[cfg->api_key_count].key = strndup(entry, key_len);
    keys[cfg->api_key_count].expires = expires;
    cfg->api_key_count++;
    return true;
}

/* Splits text on commas and line ends; blank entries and lines starting with '#' are skipped. */
static bool add_api_key_list(gg_auth_config *cfg, const char *text, size_t len, gg_fault *fault)
{
    size_t i = 0;
    while (i < len) {
        if (text[i] == '#') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        size_t start = i;
        while (i < len && text[i] != ',' && text[i] != '\n')
            i++;
        size_t end = i;
        while (start < end && isspace((unsigned char)text[start]))
            start++;
        while (end > start && isspace((unsigned char)text[end - 1]))
            end--;
        if (end > start && !add_api_key(cfg, text + start, end - start, fault)) return false;
        i++;
    }
    return true;
}

bool gg_auth_config_add_api_keys(gg_auth_config *cfg, const char *list, gg_fault *fault)
{
    return add_api_key_list(cfg, list, strlen(list), fault);
}

static char *join_path(const char *base_dir, const char *path)
{
    if (path[0] == '/' || base_dir == NULL || base_dir[0] == '\0') return strdup(path);
    size_t n = strlen(base_dir) + strlen(path) + 2;
    char *out = malloc(n);
    if (out != NULL) snprintf(out, n, "%s/%s", base_dir, path);
    return out;
}

/* Reads a whole small file; the name in messages is the configuration key. */
static unsigned char *read_secret_file(const char *path, const char *key, size_t *len, gg_fault *fault)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        gg_fault_set(fault, NULL, "%s: cannot read %s: %s", key, path, strerror(errno));
        return NULL;
    }
    unsigned char *data = malloc(MAX_SECRET_FILE_BYTES + 1);
    size_t n = data ? fread(data, 1, MAX_SECRET_FILE_BYTES + 1, f) : 0;
    fclose(f);
    if (data == NULL || n > MAX_SECRET_FILE_BYTES) {
        gg_fault_set(fault, NULL, "%s: %s is larger than %d bytes", key, path, MAX_SECRET_FILE_BYTES);
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* Checks that auth.jwks_ca_file can be read and holds a PEM certificate, so that a wrong path or file
 * stops start-up here, with its name, rather than as a TLS error of the first fetch. */
static bool check_ca_file(const char *path, gg_fault *fault)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        gg_fault_set(fault, NULL, "auth.jwks_ca_file: cannot read %s: %s", path, strerror(errno));
        return false;
    }
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    bool read_error = ferror(f) != 0;
    fclose(f);
    ERR_clear_error(); /* a file without a certificate leaves PEM's reason queued */
    if (cert == NULL) {
        gg_fault_set(fault, NULL, "auth.jwks_ca_file: %s %s", path,
                     read_error ? "cannot be read" : "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        return false;
    }
    X509_free(cert);
    return true;
}

typedef enum { F_STR, F_PATH, F_UINT } field_kind;

typedef struct field_def {
    const char *name;
    field_kind kind;
    void *target;
    unsigned max;
} field_def;

/* Reads the members of obj into fields; an unknown member is an error. */
static bool read_fields(const cJSON *obj, const char *prefix, const field_def *fields, size_t count,
                        const char *base_dir, gg_fault *fault)
{
    if (obj == NULL) return true;
    if (!cJSON_IsObject(obj)) {
        gg_fault_set(fault, NULL, "%s must be an object", prefix);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, obj)
    {
        const field_def *f = NULL;
        for (size_t i = 0; i < count && f == NULL; i++)
            if (strcmp(fields[i].name, item->string) == 0) f = &fields[i];
        if (f == NULL) {
            gg_fault_set(fault, NULL, "%s.%s: unknown key", prefix, item->string);
            return false;
        }
        if (f->kind == F_UINT) {
            if (!cJSON_IsNumber(item) || item->valuedouble < 0 || item->valuedouble > f->max ||
                item->valuedouble != (double)(unsigned)item->valuedouble) {
                gg_fault_set(fault, NULL, "%s.%s: a whole number from 0 to %u", prefix, item->string, f->max);
                return false;
            }
            *(unsigned *)f->target = (unsigned)item->valuedouble;
            continue;
        }
        if (!cJSON_IsString(item)) {
            gg_fault_set(fault, NULL, "%s.%s: a string", prefix, item->string);
            return false;
        }
        char **target = f->target;
        free(*target);
        *target = f->kind == F_PATH && item->valuestring[0] != '\0' ? join_path(base_dir, item->valuestring)
                                                                    : strdup(item->valuestring);
    }
    return true;
}

static bool read_mode(const cJSON *item, const char *key, int *mode, gg_fault *fault)
{
    if (!cJSON_IsString(item) || (*mode = gg_auth_mode_parse(item->valuestring)) < 0) {
        gg_fault_set(fault, NULL,
                     "%s: one of API_KEY, OPENID_CONNECT, AMAZON_COGNITO_USER_POOLS, AWS_LAMBDA, NONE (got %s)", key,
                     cJSON_IsString(item) ? item->valuestring : "a non-string");
        return false;
    }
    return true;
}

static bool read_modes(gg_auth_config *cfg, const cJSON *auth, gg_fault *fault)
{
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(auth, "default_mode");
    int mode;
    if (def != NULL && !(cJSON_IsString(def) && def->valuestring[0] == '\0')) {
        if (!read_mode(def, "auth.default_mode", &mode, fault)) return false;
        cfg->default_mode = (gg_auth_mode)mode;
        cfg->default_mode_set = true;
        cfg->modes |= 1u << mode;
    }
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(auth, "additional_modes");
    if (extra == NULL) return true;
    if (!cJSON_IsArray(extra)) {
        gg_fault_set(fault, NULL, "auth.additional_modes: a list of mode names");
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, extra)
    {
        if (!read_mode(item, "auth.additional_modes", &mode, fault)) return false;
        if (mode == GG_AUTH_NONE) {
            gg_fault_set(fault, NULL, "auth.additional_modes: NONE is only a default_mode");
            return false;
        }
        if (cfg->modes & (1u << mode)) {
            gg_fault_set(fault, NULL, "auth.additional_modes: %s is listed twice (or is the default mode)",
                         item->valuestring);
            return false;
        }
        cfg->modes |= 1u << mode;
    }
    return true;
}

gg_auth_config *gg_auth_config_parse(const cJSON *auth, const char *base_dir, gg_fault *fault)
{
    gg_auth_config *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL) abort();
    cfg->oidc.leeway_s = 60;
    cfg->oidc.jwks_refresh_s = 3600;
    cfg->cognito.default_allow = true;
    cfg->lambda.ttl_s = 300; /* AppSync's default authorizerResultTtlInSeconds */
    cfg->jwks_min_refetch_s = GG_JWKS_MIN_REFETCH_S;
    char *default_action = NULL;
    gg_auth_oidc_config *o = &cfg->oidc;
    gg_auth_cognito_config *c = &cfg->cognito;
    gg_auth_lambda_config *l = &cfg->lambda;
    static const char *const top[] = {"default_mode", "additional_modes", "api_keys_file", "jwks_ca_file",
                                      "oidc",         "cognito",          "lambda"};
    const field_def oidc[] = {
        {"issuer", F_STR, &o->issuer, 0},
        {"client_id", F_STR, &o->client_id, 0},
        {"jwks_file", F_PATH, &o->jwks_file, 0},
        {"jwks_url", F_STR, &o->jwks_url, 0},
        {"hs256_secret_file", F_PATH, &o->hs256_secret_file, 0},
        {"leeway_s", F_UINT, &o->leeway_s, 3600},
        {"iat_ttl_s", F_UINT, &o->iat_ttl_s, 315360000},
        {"auth_ttl_s", F_UINT, &o->auth_ttl_s, 315360000},
        {"jwks_refresh_s", F_UINT, &o->jwks_refresh_s, 604800},
    };
    const field_def cognito[] = {
        {"user_pool_id", F_STR, &c->user_pool_id, 0},
        {"region", F_STR, &c->region, 0},
        {"jwks_file", F_PATH, &c->jwks_file, 0},
        {"jwks_url", F_STR, &c->jwks_url, 0},
        {"app_id_client_regex", F_STR, &c->app_id_client_regex, 0},
        {"default_action", F_STR, &default_action, 0},
    };
    const field_def lambda[] = {
        {"plugin", F_STR, &l->plugin, 0},
        {"resolver", F_STR, &l->resolver, 0},
        {"ttl_s", F_UINT, &l->ttl_s, 3600},
        {"identity_validation_expression", F_STR, &l->identity_validation_expression, 0},
    };
    if (auth != NULL && !cJSON_IsObject(auth)) {
        gg_fault_set(fault, NULL, "auth must be an object");
        goto fail;
    }
    /* Top level: check the names, then read the parts that are not plain strings. */
    const cJSON *item;
    cJSON_ArrayForEach(item, auth)
    {
        size_t i = 0;
        while (i < sizeof top / sizeof top[0] && strcmp(top[i], item->string) != 0)
            i++;
        if (i == sizeof top / sizeof top[0]) {
            gg_fault_set(fault, NULL, "auth.%s: unknown key", item->string);
            goto fail;
        }
    }
    const cJSON *keys_file = cJSON_GetObjectItemCaseSensitive(auth, "api_keys_file");
    if (keys_file != NULL && !(cJSON_IsString(keys_file))) {
        gg_fault_set(fault, NULL, "auth.api_keys_file: a string");
        goto fail;
    }
    const cJSON *ca_file = cJSON_GetObjectItemCaseSensitive(auth, "jwks_ca_file");
    if (ca_file != NULL && !(cJSON_IsString(ca_file))) {
        gg_fault_set(fault, NULL, "auth.jwks_ca_file: a string");
        goto fail;
    }
    if (ca_file != NULL && ca_file->valuestring[0] != '\0') {
        cfg->jwks_ca_file = join_path(base_dir, ca_file->valuestring);
        if (!check_ca_file(cfg->jwks_ca_file, fault)) goto fail;
    }
    if (!read_modes(cfg, auth, fault) ||
        !read_fields(cJSON_GetObjectItemCaseSensitive(auth, "oidc"), "auth.oidc", oidc, sizeof oidc / sizeof oidc[0],
                     base_dir, fault) ||
        !read_fields(cJSON_GetObjectItemCaseSensitive(auth, "cognito"), "auth.cognito", cognito,
                     sizeof cognito / sizeof cognito[0], base_dir, fault) ||
        !read_fields(cJSON_GetObjectItemCaseSensitive(auth, "lambda"), "auth.lambda", lambda,
                     sizeof lambda / sizeof lambda[0], base_dir, fault))
        goto fail;
    if (keys_file != NULL && keys_file->valuestring[0] != '\0') {
        cfg->api_keys_file = join_path(base_dir, keys_file->valuestring);
        size_t len = 0;
        unsigned char *text = read_secret_file(cfg->api_keys_file, "auth.api_keys_file", &len, fault);
        bool ok = text != NULL && add_api_key_list(cfg, (const char *)text, len, fault);
        free(text);
        if (!ok) goto fail;
    }
    if (o->hs256_secret_file != NULL && o->hs256_secret_file[0] != '\0') {
        o->hs_secret = read_secret_file(o->hs256_secret_file, "auth.oidc.hs256_secret_file", &o->hs_secret_len, fault);
        if (o->hs_secret == NULL) goto fail;
        while (o->hs_secret_len > 0 &&
               (o->hs_secret[o->hs_secret_len - 1] == '\n' || o->hs_secret[o->hs_secret_len - 1] == '\r'))
            o->hs_secret_len--; /* a trailing line end is the editor's, not the secret's */
        if (o->hs_secret_len < 32) {
            gg_fault_set(fault, NULL, "auth.oidc.hs256_secret_file: the secret must be at least 32 bytes");
            goto fail;
        }
    }
    if (default_action != NULL) {
        if (strcmp(default_action, "ALLOW") != 0 && strcmp(default_action, "DENY") != 0) {
            gg_fault_set(fault, NULL, "auth.cognito.default_action: ALLOW or DENY");
            goto fail;
        }
        c->default_allow = strcmp(default_action, "ALLOW") == 0;
    }
    free(default_action);
    return cfg;
fail:
    free(default_action);
    gg_auth_config_free(cfg);
    return NULL;
}

static bool empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static bool check_url(const char *url, const char *key, gg_fault *fault)
{
    if (!empty(url) && strncmp(url, "https://", 8) != 0) {
        gg_fault_set(fault, NULL, "%s: must be an https:// URL (keys fetched in clear text could be replaced)", key);
        return false;
    }
    return true;
}

static bool check_name(const char *value, const char *key, gg_fault *fault)
{
    for (const char *p = value; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
            gg_fault_set(fault, NULL, "%s: letters, digits, '-' and '_' only", key);
            return false;
        }
    return true;
}

bool gg_auth_config_check(const gg_auth_config *cfg, gg_fault *fault)
{
    if (!cfg->default_mode_set) {
        gg_fault_set(
            fault, NULL,
            "no authorization mode is configured, and graphgate does not serve without one. Set "
            "auth.default_mode (env GRAPHGATE_AUTH_DEFAULT_MODE): API_KEY with a key in auth.api_keys_file or "
            "GRAPHGATE_AUTH_API_KEYS (make one with: openssl rand -hex 20), OPENID_CONNECT with auth.oidc, "
            "AMAZON_COGNITO_USER_POOLS with auth.cognito, AWS_LAMBDA with auth.lambda (a plugin authorizer), or NONE "
            "to serve without authorization (local development or behind a trusted proxy)");
        return false;
    }
    if (cfg->default_mode == GG_AUTH_NONE && cfg->modes != (1u << GG_AUTH_NONE)) {
        gg_fault_set(fault, NULL, "auth.default_mode NONE cannot be combined with auth.additional_modes");
        return false;
    }
    if ((cfg->modes & (1u << GG_AUTH_AWS_LAMBDA)) && (empty(cfg->lambda.plugin) || empty(cfg->lambda.resolver))) {
        gg_fault_set(
            fault, NULL,
            "AWS_LAMBDA mode is on: set auth.lambda.plugin (a plugin under \"plugins\") and auth.lambda.resolver "
            "(the name of the authorizer it registers; plugins/README.md)");
        return false;
    }
    if (cfg->modes & (1u << GG_AUTH_AWS_LAMBDA)) { /* the expression compiles: gg_lambda_rules_new says so */
        gg_lambda_rules *rules = gg_lambda_rules_new(&cfg->lambda, fault);
        if (rules == NULL) return false;
        gg_lambda_rules_free(rules);
    }
    if ((cfg->modes & (1u << GG_AUTH_API_KEY)) && cfg->api_key_count == 0) {
        gg_fault_set(
            fault, NULL,
            "API_KEY mode is on but no API key is configured: put keys in the file named by auth.api_keys_file "
            "(one per line) or in GRAPHGATE_AUTH_API_KEYS=\"key1,key2\" (make one with: openssl rand -hex 20)");
        return false;
    }
    const gg_auth_oidc_config *o = &cfg->oidc;
    if (cfg->modes & (1u << GG_AUTH_OPENID_CONNECT)) {
        if (empty(o->issuer)) {
            gg_fault_set(fault, NULL, "OPENID_CONNECT mode is on: set auth.oidc.issuer (the iss of your tokens)");
            return false;
        }
        /* Keys named nowhere: OpenID discovery finds them from an https issuer (discovery.c). */
        if (empty(o->jwks_file) && empty(o->jwks_url) && o->hs_secret == NULL &&
            strncmp(o->issuer, "https://", 8) != 0) {
            gg_fault_set(fault, NULL,
                         "OPENID_CONNECT mode is on: set auth.oidc.jwks_url (your provider's https JWKS address), "
                         "auth.oidc.jwks_file, or auth.oidc.hs256_secret_file; or make auth.oidc.issuer the provider's "
                         "https issuer URL, whose OpenID discovery document names its keys (got %s)",
                         o->issuer);
            return false;
        }
        if (!empty(o->jwks_file) && !empty(o->jwks_url)) {
            gg_fault_set(fault, NULL, "auth.oidc: set jwks_file or jwks_url, not both");
            return false;
        }
        if (!check_url(o->jwks_url, "auth.oidc.jwks_url", fault)) return false;
    }
    const gg_auth_cognito_config *c = &cfg->cognito;
    if (cfg->modes & (1u << GG_AUTH_AMAZON_COGNITO_USER_POOLS)) {
        if (empty(c->user_pool_id) || empty(c->region)) {
            gg_fault_set(fault, NULL,
                         "AMAZON_COGNITO_USER_POOLS mode is on: set auth.cognito.user_pool_id and auth.cognito.region");
            return false;
        }
        if (!check_name(c->user_pool_id, "auth.cognito.user_pool_id", fault) ||
            !check_name(c->region, "auth.cognito.region", fault))
            return false;
        if (!empty(c->jwks_file) && !empty(c->jwks_url)) {
            gg_fault_set(fault, NULL, "auth.cognito: set jwks_file or jwks_url, not both");
            return false;
        }
        if (!check_url(c->jwks_url, "auth.cognito.jwks_url", fault)) return false;
    }
    return true;
}

void gg_auth_config_describe(const gg_auth_config *cfg, char *out, size_t out_len)
{
    size_t n = (size_t)snprintf(out, out_len, "auth: %s (default)", gg_auth_mode_name(cfg->default_mode));
    for (int mode = GG_AUTH_API_KEY; mode <= GG_AUTH_AWS_LAMBDA && n < out_len; mode++)
        if (mode != (int)cfg->default_mode && (cfg->modes & (1u << mode)))
            n += (size_t)snprintf(out + n, out_len - n, ", %s", gg_auth_mode_name((gg_auth_mode)mode));
    if (cfg->default_mode == GG_AUTH_NONE && n < out_len)
        snprintf(out + n, out_len - n, ": every request is served without authorization and @auth rules do not apply");
}

void gg_auth_config_free(gg_auth_config *cfg)
{
    if (cfg == NULL) return;
    for (size_t i = 0; i < cfg->api_key_count; i++) {
        OPENSSL_cleanse(cfg->api_keys[i].key, strlen(cfg->api_keys[i].key));
        free(cfg->api_keys[i].key);
    }
    free(cfg->api_keys);
    free(cfg->api_keys_file);
    free(cfg->oidc.issuer);
    free(cfg->oidc.client_id);
    free(cfg->oidc.jwks_file);
    free(cfg->oidc.jwks_url);
    free(cfg->oidc.hs256_secret_file);
    if (cfg->oidc.hs_secret != NULL) OPENSSL_cleanse(cfg->oidc.hs_secret, cfg->oidc.hs_secret_len);
    free(cfg->oidc.hs_secret);
    free(cfg->cognito.user_pool_id);
    free(cfg->cognito.region);
    free(cfg->cognito.jwks_file);
    free(cfg->cognito.jwks_url);
    free(cfg->cognito.app_id_client_regex);
    free(cfg->lambda.plugin);
    free(cfg->lambda.resolver);
    free(cfg->lambda.identity_validation_expression);
    free(cfg->jwks_ca_file);
    free(cfg);
}
