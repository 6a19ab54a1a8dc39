/* driver.c: runs the auth verifier on requests a test sends, so tokens made elsewhere (Node's
 * node:crypto in auth.test.mjs) go through exactly the code the gateway uses.
 *
 * Usage: auth-driver CONFIG.json [CA.pem [MIN_REFETCH_S]]. CONFIG.json is a configuration file
 * whose "auth" object is parsed by gg_auth_config_parse (relative paths against its folder). On a
 * configuration or start-up error the driver prints {"startup_error": "..."} and exits with 2.
 * Otherwise it prints {"ready": true, "modes": "..."} and reads one JSON request per line:
 *   {"api_key": "...", "authorization": "..."}   (either may be absent)
 *   {"wait_loads": N, "timeout_ms": T}           (waits until N JWKS documents were loaded)
 * and answers each with one line: {"ok": true, "mode", "sub", "username", "issuer", "groups",
 * "cached_tokens"} or {"ok": false, "status", "body", "reason"}. One cache is used for all
 * requests, as one event-loop thread would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"

static void print_json(cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    printf("%s\n", text);
    fflush(stdout);
    free(text);
    cJSON_Delete(json);
}

static char *read_whole(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    size_t got = fread(text, 1, (size_t)n, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

static int startup_error(const char *message)
{
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "startup_error", message);
    print_json(out);
    return 2;
}

static cJSON *answer(gg_auth_verifier *verifier, gg_auth_cache *cache, const cJSON *request)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(request, "api_key");
    const cJSON *authorization = cJSON_GetObjectItemCaseSensitive(request, "authorization");
    const char *k = cJSON_IsString(key) ? key->valuestring : NULL;
    const char *a = cJSON_IsString(authorization) ? authorization->valuestring : NULL;
    gg_auth_refusal refusal;
    gg_auth_identity *identity =
        gg_auth_authorize(verifier, cache, k, k ? strlen(k) : 0, a, a ? strlen(a) : 0, &refusal);
    cJSON *out = cJSON_CreateObject();
    if (identity == NULL) {
        char body[512];
        gg_auth_refusal_body(&refusal, body, sizeof body);
        cJSON_AddFalseToObject(out, "ok");
        cJSON_AddNumberToObject(out, "status", refusal.http_status);
        cJSON_AddStringToObject(out, "body", body);
        cJSON_AddStringToObject(out, "reason", refusal.reason);
        return out;
    }
    cJSON_AddTrueToObject(out, "ok");
    cJSON_AddStringToObject(out, "mode", gg_auth_mode_name(identity->mode));
    if (identity->sub) cJSON_AddStringToObject(out, "sub", identity->sub);
    if (identity->username) cJSON_AddStringToObject(out, "username", identity->username);
    if (identity->issuer) cJSON_AddStringToObject(out, "issuer", identity->issuer);
    cJSON *groups = cJSON_AddArrayToObject(out, "groups");
    for (size_t i = 0; i < identity->group_count; i++)
        cJSON_AddItemToArray(groups, cJSON_CreateString(identity->groups[i]));
    const cJSON *claims = gg_auth_identity_claims(identity);
    if (claims) cJSON_AddItemToObject(out, "claims", cJSON_Duplicate(claims, true));
    cJSON_AddNumberToObject(out, "cached_tokens", (double)gg_auth_cache_count(cache));
    gg_auth_identity_release(identity);
    return out;
}

static cJSON *wait_loads(gg_auth_verifier *verifier, const cJSON *request)
{
    unsigned want = (unsigned)cJSON_GetObjectItemCaseSensitive(request, "wait_loads")->valuedouble;
    const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(request, "timeout_ms");
    long left_ms = cJSON_IsNumber(timeout) ? (long)timeout->valuedouble : 10000;
    while (gg_auth_verifier_jwks_loads(verifier) < want && left_ms > 0) {
        nanosleep(&(struct timespec){.tv_nsec = 20 * 1000000L}, NULL);
        left_ms -= 20;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "loads", gg_auth_verifier_jwks_loads(verifier));
    return out;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: auth-driver CONFIG.json [CA.pem [MIN_REFETCH_S]]\n");
        return 64;
    }
    char err[512] = "";
    char *text = read_whole(argv[1]);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (doc == NULL) return startup_error("cannot read the configuration file");
    char base_dir[1024];
    snprintf(base_dir, sizeof base_dir, "%s", argv[1]);
    char *slash = strrchr(base_dir, '/');
    if (slash != NULL)
        *slash = '\0';
    else
        strcpy(base_dir, ".");
    gg_auth_config *cfg =
        gg_auth_config_parse(cJSON_GetObjectItemCaseSensitive(doc, "auth"), base_dir, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    if (cfg == NULL) return startup_error(err);
    if (argc > 2 && argv[2][0] != '\0') { /* as auth.jwks_ca_file would, unchecked */
        free(cfg->jwks_ca_file);
        cfg->jwks_ca_file = strdup(argv[2]);
    }
    if (argc > 3) cfg->jwks_min_refetch_s = (unsigned)atoi(argv[3]);
    const char *env_keys = getenv("GRAPHGATE_AUTH_API_KEYS");
    if (env_keys != NULL && !gg_auth_config_add_api_keys(cfg, env_keys, GG_FAULT_INTO(err))) {
        gg_auth_config_free(cfg);
        return startup_error(err);
    }
    gg_auth_verifier *verifier = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    if (verifier == NULL) {
        gg_auth_config_free(cfg);
        return startup_error(err);
    }
    gg_auth_cache *cache = gg_auth_cache_new(1024);
    char modes[256];
    gg_auth_config_describe(cfg, modes, sizeof modes);
    cJSON *ready = cJSON_CreateObject();
    cJSON_AddTrueToObject(ready, "ready");
    cJSON_AddStringToObject(ready, "modes", modes);
    print_json(ready);

    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        cJSON *request = cJSON_Parse(line);
        if (request == NULL) continue;
        print_json(cJSON_GetObjectItemCaseSensitive(request, "wait_loads") ? wait_loads(verifier, request)
                                                                           : answer(verifier, cache, request));
        cJSON_Delete(request);
    }
    free(line);
    gg_auth_cache_free(cache);
    gg_auth_verifier_free(verifier);
    gg_auth_config_free(cfg);
    return 0;
}
