/* fuzz_auth.c: libFuzzer harness for request authorization (server/auth), the code every request
 * reaches before anything else, with credentials the client chose.
 *
 * The verifier is built once, offline: API_KEY by default with one key, OPENID_CONNECT with an
 * HS256 secret (a file in a temporary folder), groups from "cognito:groups"; each input gets a new
 * per-thread token cache. The first byte of the input chooses what the rest is:
 *     0  the Authorization header's value, as sent (a raw token, "Bearer ...", anything)
 *     1  the x-api-key header's value
 *     2  a JWS header JSON, a line "%%", a payload JSON: the harness signs them with the secret
 *        (HS256) and sends the token, so the claim checks and the identity built from the claims
 *        (exp, nbf, iat, iss, aud, token_use, sub, username, groups of any JSON shape) run on
 *        whatever the payload holds; a token whose header or payload is not JSON is refused
 *     3  a JWKS document (gg_keyset_parse, as fetched from a jwks_uri), then a lookup of kid "k"
 * Modes 0 to 2 authorize twice with the same cache (the second answer may come from it) and once
 * without. Properties checked, beyond "no crash, no leak, no hang": each answer is an identity or a
 * refusal, never both; a refusal has a 401 or 403 status, an errorType and a message, and its
 * body (gg_auth_refusal_body) is a JSON object; an identity's mode is API_KEY or OPENID_CONNECT and
 * its groups are as many as group_count says; the cached answer is the same identity as the first
 * (or both are refusals). FUZZ_PRINT=1 prints each outcome. Build and run: see README.md. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fault.h"
#include "fuzz.h"
#include "internal.h"
#include "token_helpers.h" /* tests/unit/auth: the same signing as the unit tests */

static const char SECRET[] = "fuzz-secret-fuzz-secret-fuzz-secret-0123";
static const char API_KEY[] = "da2-fuzzfuzzfuzzfuzzfuzzfuzz";

static gg_auth_config *config;
static gg_auth_verifier *verifier;
static gg_auth_cache *cache; /* one per input: inputs stay independent, and what it holds is freed
                              * with it (its entries are mmap'd, where LeakSanitizer does not look) */

static void set_up(void)
{
    char dir[] = "/tmp/gg-fuzz-auth-XXXXXX";
    if (mkdtemp(dir) == NULL) abort();
    char path[64];
    snprintf(path, sizeof path, "%s/hs.secret", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) abort();
    fputs(SECRET, f);
    fclose(f);
    char err[512] = "";
    cJSON *doc = cJSON_Parse("{\"default_mode\":\"API_KEY\",\"additional_modes\":[\"OPENID_CONNECT\"],"
                             "\"oidc\":{\"issuer\":\"https://issuer.test/\",\"hs256_secret_file\":\"hs.secret\","
                             "\"client_id\":\"app\"}}");
    config = gg_auth_config_parse(doc, dir, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    if (config == NULL || !gg_auth_config_add_api_keys(config, API_KEY, GG_FAULT_INTO(err)) ||
        (verifier = gg_auth_verifier_new(config, GG_FAULT_INTO(err))) == NULL) {
        fprintf(stderr, "fuzz_auth: cannot set up: %s\n", err);
        abort();
    }
    unlink(path);
    rmdir(dir);
}

/* Checks one answer; returns it (the caller releases it). */
static gg_auth_identity *checked(gg_auth_identity *id, const gg_auth_refusal *r, const char *input, size_t len)
{
    if (id != NULL) {
        if (id->mode != GG_AUTH_API_KEY && id->mode != GG_AUTH_OPENID_CONNECT)
            fuzz_fail("an identity of another mode", "API_KEY or OPENID_CONNECT", 30, input, len);
        for (unsigned i = 0; i < id->group_count; i++)
            if (id->groups == NULL || id->groups[i] == NULL)
                fuzz_fail("fewer groups than group_count", "", 0, input, len);
        return id;
    }
    if ((r->http_status != 401 && r->http_status != 403) || r->error_type == NULL || r->message == NULL ||
        r->message[0] == '\0')
        fuzz_fail("a refusal without status, errorType or message", "", 0, input, len);
    char body[1024];
    gg_auth_refusal_body(r, body, sizeof body);
    cJSON *parsed = cJSON_Parse(body);
    if (!cJSON_IsObject(parsed)) fuzz_fail("a refusal body that is not a JSON object", body, strlen(body), input, len);
    cJSON_Delete(parsed);
    return NULL;
}

/* Authorizes with the cache twice (the second may be the cache's answer) and without it once. */
static void authorize(const char *api_key, const char *authorization, const char *input, size_t len)
{
    size_t key_len = api_key ? strlen(api_key) : 0, auth_len = authorization ? strlen(authorization) : 0;
    gg_auth_refusal r1, r2, r3;
    gg_auth_identity *first =
        checked(gg_auth_authorize(verifier, cache, api_key, key_len, authorization, auth_len, &r1), &r1, input, len);
    gg_auth_identity *second =
        checked(gg_auth_authorize(verifier, cache, api_key, key_len, authorization, auth_len, &r2), &r2, input, len);
    gg_auth_identity *third =
        checked(gg_auth_authorize(verifier, NULL, api_key, key_len, authorization, auth_len, &r3), &r3, input, len);
    if ((first == NULL) != (second == NULL) || (first == NULL) != (third == NULL))
        fuzz_fail("the same credentials allowed once and refused once", "", 0, input, len);
    if (first != NULL && first->mode == GG_AUTH_OPENID_CONNECT && second != first)
        fuzz_fail("a cached token answered with another identity", "", 0, input, len);
    if (getenv("FUZZ_PRINT") != NULL) { /* FUZZ_PRINT=1 build/tests/fuzz/fuzz-replay-auth FILE */
        if (first != NULL)
            fprintf(stderr, "identity: mode %s, sub %s, %zu group(s)\n", gg_auth_mode_name(first->mode),
                    first->sub ? first->sub : "(none)", first->group_count);
        else
            fprintf(stderr, "refused: %d %s (%s)\n", r1.http_status, r1.message, r1.reason);
    }
    gg_auth_identity_release(first);
    gg_auth_identity_release(second);
    gg_auth_identity_release(third);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (verifier == NULL) set_up();
    if (size == 0) return 0;
    cache = gg_auth_cache_new(64);
    const char *rest = (const char *)data + 1;
    size_t len = size - 1;
    char *text = malloc(len + 1); /* headers are text: a NUL ends them */
    if (text == NULL) abort();
    memcpy(text, rest, len);
    text[len] = '\0';
    switch (data[0] % 4) {
    case 0:
        authorize(NULL, text, rest, len);
        break;
    case 1:
        authorize(text, NULL, rest, len);
        break;
    case 2: {
        char *sep = strstr(text, "\n%%\n");
        if (sep != NULL) *sep = '\0'; /* text: the header, then the payload after the separator */
        const char *header = sep ? text : "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        const char *payload = sep ? sep + 4 : text;
        char *token = test_token("HS256", header, payload, NULL, SECRET, strlen(SECRET));
        authorize(NULL, token, rest, len);
        free(token);
        break;
    }
    default: {
        char err[512] = "";
        gg_keyset *set = gg_keyset_parse(rest, len, GG_FAULT_INTO(err));
        if (set == NULL && err[0] == '\0') fuzz_fail("a JWKS refused without a reason", "", 0, rest, len);
        if (set != NULL) (void)gg_keyset_find(set, "k");
        gg_keyset_free(set);
        break;
    }
    }
    free(text);
    gg_auth_cache_free(cache);
    return 0;
}
