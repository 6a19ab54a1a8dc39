/* Unit tests of server/auth/auth.c: mode selection (appsync-compat §1.2.1), AppSync's 401 words,
 * identities from claims, and the per-thread cache in front of verification; AWS_LAMBDA's side
 * (lambda.c): when the authorizer is asked, the identity of its answer, cached decisions. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"
#include "token_helpers.h"

static const char SECRET[] = "a-shared-secret-of-at-least-32-bytes!";
static const char KEY[] = "da2-0123456789abcdefghijklmn";
static char dir[] = "/tmp/gg-auth-unit-XXXXXX";
static EVP_PKEY *cognito_key;

static gg_auth_config *config(const char *json)
{
    char err[512] = "";
    cJSON *doc = cJSON_Parse(json);
    gg_auth_config *cfg = gg_auth_config_parse(doc, dir, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    if (cfg == NULL) fprintf(stderr, "config: %s\n", err);
    return cfg;
}

static char *hs_token(const char *claims_extra, long exp_offset)
{
    char payload[1024];
    long now = (long)time(NULL);
    snprintf(payload, sizeof payload,
             "{\"iss\":\"https://issuer.test\",\"sub\":\"s-1\",\"exp\":%ld,\"cognito:groups\":[\"g1\",\"g2\"]%s}",
             now + exp_offset, claims_extra);
    return test_token("HS256", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, NULL, SECRET, sizeof SECRET - 1);
}

static gg_auth_identity *authorize(gg_auth_verifier *v, gg_auth_cache *cache, const char *key, const char *header,
                                   gg_auth_refusal *refusal)
{
    return gg_auth_authorize(v, cache, key, key ? strlen(key) : 0, header, header ? strlen(header) : 0, refusal);
}

/* The verifier of cfg; NULL (a failed check, the reason said, cfg freed) when it cannot be made. */
static gg_auth_verifier *verifier_or_free(gg_auth_config *cfg)
{
    char err[512] = "";
    gg_auth_verifier *v = cfg != NULL ? gg_auth_verifier_new(cfg, GG_FAULT_INTO(err)) : NULL;
    CHECK(v != NULL);
    if (v == NULL) {
        fprintf(stderr, "verifier: %s\n", err);
        gg_auth_config_free(cfg);
    }
    return v;
}

static void test_mode_selection(void)
{
    char err[512] = "";
    gg_auth_config *cfg = config("{\"default_mode\":\"API_KEY\",\"additional_modes\":[\"OPENID_CONNECT\","
                                 "\"AMAZON_COGNITO_USER_POOLS\"],\"oidc\":{\"issuer\":\"https://issuer.test/\","
                                 "\"hs256_secret_file\":\"hs.secret\"},\"cognito\":{\"region\":\"us-east-1\","
                                 "\"user_pool_id\":\"us-east-1_Pool\",\"jwks_file\":\"cognito.json\"}}");
    CHECK(cfg != NULL && gg_auth_config_add_api_keys(cfg, KEY, GG_FAULT_INTO(err)));
    CHECK(gg_auth_config_add_api_keys(cfg, "da2-old-old-old-old-old-old@2001-01-01T00:00:00Z", GG_FAULT_INTO(err)));
    gg_auth_verifier *v = verifier_or_free(cfg);
    if (v == NULL) return;
    gg_auth_cache *cache = gg_auth_cache_new(8);
    gg_auth_refusal r;
    char *token = hs_token(",\"username\":\"neo\"", 300);

    gg_auth_identity *id = authorize(v, cache, KEY, NULL, &r);
    CHECK(id != NULL && id->mode == GG_AUTH_API_KEY && id->sub == NULL && gg_auth_identity_claims(id) == NULL);
    gg_auth_identity_release(id);
    /* A wrong key is refused at once, even beside a good token. */
    CHECK(authorize(v, cache, "da2-wrong-wrong-wrong-wrong", token, &r) == NULL);
    CHECK_INT(r.http_status, 401);
    CHECK_STR(r.error_type, "UnauthorizedException");
    CHECK_STR(r.message, "You are not authorized to make this call.");
    CHECK(authorize(v, cache, "da2-old-old-old-old-old-old", NULL, &r) == NULL);
    CHECK(strstr(r.reason, "expired") != NULL);

    char header[2048];
    snprintf(header, sizeof header, "bearer %s", token);
    id = authorize(v, cache, NULL, header, &r);
    CHECK(id != NULL);
    if (id != NULL) {
        CHECK_INT(id->mode, GG_AUTH_OPENID_CONNECT);
        CHECK_STR(id->sub, "s-1");
        CHECK_STR(id->username, "neo");
        CHECK_STR(id->issuer, "https://issuer.test");
        CHECK_INT(id->group_count, 2);
        CHECK_STR(id->groups[1], "g2");
        CHECK(id->groups[2] == NULL);
        /* The claims are the token's payload, parsed when first asked for and then kept. */
        const cJSON *claims = gg_auth_identity_claims(id);
        CHECK(cJSON_IsObject(claims));
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(claims, "username")), "neo");
        CHECK(gg_auth_identity_claims(id) == claims);
    }
    CHECK_INT(gg_auth_cache_count(cache), 1);
    gg_auth_identity *again = authorize(v, cache, NULL, token, &r);
    CHECK(again == id); /* the cache answers: the same identity */
    gg_auth_identity_release(again);
    gg_auth_identity_release(id);

    CHECK(authorize(v, cache, NULL, NULL, &r) == NULL);
    CHECK_STR(r.message, "Valid authorization header not provided.");
    char body[256];
    gg_auth_refusal_body(&r, body, sizeof body);
    CHECK_STR(body, "{\"errors\":[{\"errorType\":\"UnauthorizedException\",\"message\":\"Valid authorization header "
                    "not provided.\"}]}");
    CHECK(authorize(v, cache, NULL, "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/appsync/aws4_request", &r) ==
          NULL);
    CHECK(strstr(r.message, "AWS_IAM") != NULL && strstr(r.message, "not supported") != NULL);
    CHECK(authorize(v, cache, NULL, "Bearer not-a-token", &r) == NULL);
    CHECK_STR(r.message, "Unable to parse JWT token.");
    char *expired = hs_token("", -3600);
    CHECK(authorize(v, cache, NULL, expired, &r) == NULL);
    CHECK_STR(r.message, "Token has expired.");
    CHECK(strstr(r.reason, expired) == NULL);
    free(expired);
    /* An issuer no provider has: the reason says so (read before the token's claims are freed). */
    char *stranger = test_token("HS256", "{\"alg\":\"HS256\"}", "{\"iss\":\"https://other.test\",\"exp\":4102444800}",
                                NULL, SECRET, sizeof SECRET - 1);
    CHECK(authorize(v, cache, NULL, stranger, &r) == NULL);
    CHECK_STR(r.reason, "JWT: issuer matches no configured provider");
    free(stranger);

    /* Cognito: its issuer selects the pool, and token_use is required. */
    char payload[512];
    long now = (long)time(NULL);
    snprintf(payload, sizeof payload,
             "{\"iss\":\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool\",\"sub\":\"c\",\"exp\":%ld,"
             "\"token_use\":\"access\",\"username\":\"trinity\"}",
             now + 60);
    char *cognito = test_token("ES256", "{\"alg\":\"ES256\",\"kid\":\"c1\"}", payload, cognito_key, NULL, 0);
    id = authorize(v, NULL, NULL, cognito, &r);
    CHECK(id != NULL && id->mode == GG_AUTH_AMAZON_COGNITO_USER_POOLS);
    CHECK(id != NULL && id->username != NULL && strcmp(id->username, "trinity") == 0);
    gg_auth_identity_release(id);
    free(cognito);

    free(token);
    gg_auth_cache_free(cache);
    gg_auth_verifier_free(v);
    gg_auth_config_free(cfg);
}

/* A hit must be the cached token byte for byte: the cache's key reads only the signature's last
 * characters, so a token that shares them (its signature changed before them, or its payload
 * changed) finds the entry and must still be refused; so must one changed anywhere else. */
static void test_cached_token_must_match(void)
{
    gg_auth_config *cfg = config("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://issuer.test\","
                                 "\"hs256_secret_file\":\"hs.secret\"}}");
    gg_auth_verifier *v = verifier_or_free(cfg);
    if (v == NULL) return;
    gg_auth_cache *cache = gg_auth_cache_new(8);
    gg_auth_refusal r;
    char *token = hs_token("", 300);
    gg_auth_identity *id = authorize(v, cache, NULL, token, &r);
    CHECK(id != NULL && gg_auth_cache_count(cache) == 1);
    size_t len = strlen(token), signature = (size_t)(strrchr(token, '.') - token) + 1;
    CHECK(len - signature > 32); /* HS256: 43 characters, so the first ones are outside the key */
    char altered[1024];
    size_t at[] = {signature, signature + 5, len - 20, len - 1, 0, signature - 2};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        memcpy(altered, token, len + 1);
        altered[at[i]] = altered[at[i]] == 'A' ? 'B' : 'A';
        CHECK(authorize(v, cache, NULL, altered, &r) == NULL);
        CHECK_INT(r.http_status, 401);
    }
    memcpy(altered, token, len + 1);
    altered[len - 1] = '\0'; /* truncated */
    CHECK(authorize(v, cache, NULL, altered, &r) == NULL);
    snprintf(altered, sizeof altered, "%sA", token); /* extended */
    CHECK(authorize(v, cache, NULL, altered, &r) == NULL);
    /* The same signature after another payload of the same length: the key matches, the bytes do not. */
    char *other = hs_token("", 301);
    char *other_dot = strrchr(other, '.');
    CHECK(strlen(other) == len && other_dot - other + 1 == (long)signature);
    memcpy(altered, other, signature);
    memcpy(altered + signature, token + signature, len - signature + 1);
    CHECK(strcmp(altered, token) != 0 && authorize(v, cache, NULL, altered, &r) == NULL);
    free(other);
    CHECK_INT(gg_auth_cache_count(cache), 1); /* no refusal took or replaced the entry */
    gg_auth_identity *again = authorize(v, cache, NULL, token, &r);
    CHECK(again != NULL && again == id);
    gg_auth_identity_release(again);
    gg_auth_identity_release(id);
    free(token);
    gg_auth_cache_free(cache);
    gg_auth_verifier_free(v);
    gg_auth_config_free(cfg);
}

static void test_none_and_jwt_only(void)
{
    char err[512] = "";
    gg_auth_config *cfg = config("{\"default_mode\":\"NONE\"}");
    gg_auth_verifier *v = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    gg_auth_refusal r;
    gg_auth_identity *id = authorize(v, NULL, NULL, NULL, &r);
    CHECK(id != NULL && id->mode == GG_AUTH_NONE);
    gg_auth_identity_release(id);
    gg_auth_verifier_free(v);
    gg_auth_config_free(cfg);

    /* x-api-key on an API without API_KEY mode is not a credential. */
    cfg = config("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://issuer.test\","
                 "\"hs256_secret_file\":\"hs.secret\"}}");
    v = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    CHECK(authorize(v, NULL, KEY, NULL, &r) == NULL);
    CHECK_STR(r.message, "Valid authorization header not provided.");
    gg_auth_verifier_free(v);
    gg_auth_config_free(cfg);

    /* A missing JWKS file stops the verifier with the reason. */
    cfg = config("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://issuer.test\","
                 "\"jwks_file\":\"missing.json\"}}");
    CHECK(gg_auth_verifier_new(cfg, GG_FAULT_INTO(err)) == NULL);
    CHECK(strstr(err, "auth.oidc jwks_file") != NULL && strstr(err, "missing.json") != NULL);
    gg_auth_config_free(cfg);
}

/* Decides on token with the authorizer's answer response_json (NULL: the authorizer failed). */
static gg_auth_identity *lambda_answer(gg_auth_verifier *v, gg_auth_cache *cache, const char *token,
                                       const char *response_json, gg_auth_refusal *r)
{
    gg_auth_identity *id = authorize(v, cache, NULL, token, r);
    if (id != NULL || !r->ask_lambda) return id;
    CHECK(r->lambda_token_len == strlen(token) && memcmp(r->lambda_token, token, strlen(token)) == 0);
    cJSON *response = response_json ? cJSON_Parse(response_json) : NULL;
    /* the key straight from the refusal that the decision overwrites, as a caller may pass it */
    id = gg_auth_lambda_decide(v, cache, r->lambda_key, response, response ? NULL : "it threw", r);
    cJSON_Delete(response);
    return id;
}

static void test_lambda(void)
{
    char err[512] = "";
    gg_auth_config *cfg = config("{\"default_mode\":\"AWS_LAMBDA\",\"additional_modes\":[\"OPENID_CONNECT\"],"
                                 "\"oidc\":{\"issuer\":\"https://issuer.test/\",\"hs256_secret_file\":\"hs.secret\"},"
                                 "\"lambda\":{\"plugin\":\"p\",\"resolver\":\"r\",\"ttl_s\":60,"
                                 "\"identity_validation_expression\":\"[a-z]+-[0-9]+\"}}");
    gg_auth_verifier *v = cfg ? gg_auth_verifier_new(cfg, GG_FAULT_INTO(err)) : NULL;
    CHECK(v != NULL);
    if (v == NULL) {
        fprintf(stderr, "verifier: %s\n", err);
        gg_auth_config_free(cfg);
        return;
    }
    gg_auth_cache *cache = gg_auth_cache_new(8);
    gg_auth_refusal r;
    /* the expression is matched whole, before anything is asked */
    CHECK(authorize(v, cache, NULL, "tok-1x", &r) == NULL && !r.ask_lambda && r.http_status == 401);
    CHECK(strstr(r.reason, "identity_validation_expression") != NULL);
    /* an allowance: claims are the resolverContext, deniedFields kept; then the cache answers */
    gg_auth_identity *id =
        lambda_answer(v, cache, "tok-1",
                      "{\"isAuthorized\":true,\"resolverContext\":{\"user\":\"u1\"},\"deniedFields\":[\"Q.f\"]}", &r);
    CHECK(id != NULL && id->mode == GG_AUTH_AWS_LAMBDA && id->sub == NULL && id->group_count == 0);
    const cJSON *user = id ? cJSON_GetObjectItemCaseSensitive(gg_auth_identity_claims(id), "user") : NULL;
    CHECK(cJSON_IsString(user) && strcmp(user->valuestring, "u1") == 0);
    CHECK(id && id->denied_field_count == 1 && strcmp(id->denied_fields[0], "Q.f") == 0 &&
          id->denied_fields[1] == NULL);
    gg_auth_identity *again = authorize(v, cache, NULL, "tok-1", &r);
    CHECK(again == id);
    gg_auth_identity_release(again);
    gg_auth_identity_release(id);
    /* a denial is cached too; a failure and a malformed answer are not */
    CHECK(lambda_answer(v, cache, "tok-2", "{\"isAuthorized\":false}", &r) == NULL && r.http_status == 401);
    CHECK(authorize(v, cache, NULL, "tok-2", &r) == NULL && !r.ask_lambda && strstr(r.reason, "cached") != NULL);
    CHECK(lambda_answer(v, cache, "tok-3", NULL, &r) == NULL && strstr(r.reason, "it threw") != NULL);
    CHECK(authorize(v, cache, NULL, "tok-3", &r) == NULL && r.ask_lambda);
    static const char *const malformed[] = {
        "{}", "{\"isAuthorized\":1}", "{\"isAuthorized\":true,\"deniedFields\":[1]}",
        "{\"isAuthorized\":true,\"ttlOverride\":7200}", "{\"isAuthorized\":true,\"resolverContext\":[]}"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        CHECK(lambda_answer(v, cache, "tok-4", malformed[i], &r) == NULL && strstr(r.reason, "malformed") != NULL);
        CHECK(authorize(v, cache, NULL, "tok-4", &r) == NULL && r.ask_lambda);
    }
    /* ttlOverride 0: not cached */
    id = lambda_answer(v, cache, "tok-5", "{\"isAuthorized\":true,\"ttlOverride\":0}", &r);
    CHECK(id != NULL);
    gg_auth_identity_release(id);
    CHECK(authorize(v, cache, NULL, "tok-5", &r) == NULL && r.ask_lambda);
    /* a JWT of the OIDC issuer is OIDC's; one of another issuer goes to the authorizer */
    char *token = hs_token("", 300);
    id = authorize(v, cache, NULL, token, &r);
    CHECK(id != NULL && id->mode == GG_AUTH_OPENID_CONNECT);
    gg_auth_identity_release(id);
    free(token);
    gg_auth_cache_free(cache);
    gg_auth_verifier_free(v);
    gg_auth_config_free(cfg);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) return 1;
    cognito_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    char path[256], *jwk = test_jwk(cognito_key, "c1", NULL);
    snprintf(path, sizeof path, "%s/cognito.json", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"keys\":[%s]}", jwk);
    fclose(f);
    free(jwk);
    snprintf(path, sizeof path, "%s/hs.secret", dir);
    f = fopen(path, "w");
    fputs(SECRET, f);
    fclose(f);
    RUN(test_mode_selection);
    RUN(test_cached_token_must_match);
    RUN(test_none_and_jwt_only);
    RUN(test_lambda);
    unlink(path);
    snprintf(path, sizeof path, "%s/cognito.json", dir);
    unlink(path);
    rmdir(dir);
    EVP_PKEY_free(cognito_key);
    return test_summary();
}
