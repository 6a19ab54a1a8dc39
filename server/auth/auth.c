/* auth.c: the verifier: mode selection as AppSync does it (appsync-compat §1.2.1), API keys, and
 * the JWT providers (OIDC, Cognito user pools) on top of jwt.c and the key sources.
 *
 * A request's credential is examined in a fixed order: x-api-key first when API_KEY is on (a wrong
 * or expired key is refused at once), then Authorization: a SigV4 value is refused as unsupported,
 * anything else is read as a JWT whose iss chooses the provider. Every refusal carries AppSync's
 * client-facing words (the three messages of §1.3.1) and a separate reason for the log; neither
 * contains the credential. API keys are compared by their SHA-256 with CRYPTO_memcmp against every
 * configured key, so the time taken does not depend on where a guess differs. */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "base/log.h"
#include "internal.h"

static const char MESSAGE_NO_HEADER[] = "Valid authorization header not provided.";
static const char MESSAGE_UNPARSABLE[] = "Unable to parse JWT token.";
static const char MESSAGE_EXPIRED[] = "Token has expired.";
const char GG_AUTH_MESSAGE_NOT_AUTHORIZED[] = "You are not authorized to make this call.";
#define MESSAGE_NOT_AUTHORIZED GG_AUTH_MESSAGE_NOT_AUTHORIZED
static const char MESSAGE_IAM[] =
    "AWS_IAM (SigV4) authorization is not supported by this API: send an API key or a JWT instead.";

typedef struct provider {
    gg_auth_mode mode;
    gg_jwks_source *keys;
    gg_jwt_rules rules;
    char *issuer;
} provider;

struct gg_auth_verifier {
    const gg_auth_config *cfg;
    unsigned char (*api_key_hashes)[SHA256_DIGEST_LENGTH];
    provider oidc, cognito;
    regex_t client_regex;
    bool has_client_regex;
    gg_lambda_rules *lambda; /* NULL unless AWS_LAMBDA is on */
};

static bool mode_on(const gg_auth_config *cfg, gg_auth_mode mode)
{
    return (cfg->modes & (1u << mode)) != 0;
}

/* url NULL: the keys come from the file only (gg_auth_verifier_check fetches nothing). url_name says
 * where url came from, for messages ("jwks_url"). */
static bool provider_init(provider *p, gg_auth_mode mode, const char *issuer, const char *file, const char *url,
                          const char *url_name, const gg_auth_config *cfg, gg_fault *fault)
{
    p->mode = mode;
    p->issuer = strdup(issuer);
    p->rules.issuer = p->issuer;
    if ((file != NULL && file[0] != '\0') || (url != NULL && url[0] != '\0')) {
        p->keys =
            gg_jwks_source_new(file, url, url_name, cfg->oidc.jwks_refresh_s, cfg->jwks_min_refetch_s,
                               cfg->jwks_ca_file, mode == GG_AUTH_OPENID_CONNECT ? "auth.oidc" : "auth.cognito", fault);
        if (p->keys == NULL) return false;
    }
    return true;
}

/* fetch false: JWKS URLs are left out (no network), everything else is built as for serving. */
static gg_auth_verifier *verifier_build(const gg_auth_config *cfg, bool fetch, gg_fault *fault)
{
    if (!gg_auth_config_check(cfg, fault)) return NULL;
    gg_auth_verifier *v = calloc(1, sizeof *v);
    if (v == NULL) abort();
    v->cfg = cfg;
    if (cfg->api_key_count > 0) {
        v->api_key_hashes = calloc(cfg->api_key_count, sizeof *v->api_key_hashes);
        for (size_t i = 0; i < cfg->api_key_count; i++)
            SHA256((const unsigned char *)cfg->api_keys[i].key, strlen(cfg->api_keys[i].key), v->api_key_hashes[i]);
    }
    const gg_auth_oidc_config *o = &cfg->oidc;
    if (mode_on(cfg, GG_AUTH_OPENID_CONNECT)) {
        /* The issuer alone: its discovery document names the JWKS, used as a configured jwks_url. */
        char *discovery_url = fetch ? gg_auth_oidc_discovery_url(cfg) : NULL, *jwks_uri = NULL;
        char url_name[600] = "jwks_url";
        if (discovery_url != NULL) {
            jwks_uri = gg_oidc_discover_jwks_uri(o->issuer, discovery_url, cfg->jwks_ca_file, fault);
            if (jwks_uri != NULL) {
                gg_log_field fields[] = {GG_LOG_STRING("url", discovery_url), GG_LOG_STRING("jwks_uri", jwks_uri)};
                gg_log_fields(GG_LOG_INFO, fields, GG_LOG_FIELD_COUNT(fields),
                              "auth.oidc: OpenID discovery at %s: jwks_uri %s", discovery_url, jwks_uri);
                snprintf(url_name, sizeof url_name, "jwks_uri (from OpenID discovery at %s)", discovery_url);
            }
        }
        const char *keys_url = jwks_uri != NULL ? jwks_uri : fetch ? o->jwks_url : NULL;
        bool ok =
            (discovery_url == NULL || jwks_uri != NULL) &&
            provider_init(&v->oidc, GG_AUTH_OPENID_CONNECT, o->issuer, o->jwks_file, keys_url, url_name, cfg, fault);
        free(discovery_url);
        free(jwks_uri);
        if (!ok) goto fail;
        v->oidc.rules.client_id = o->client_id;
        v->oidc.rules.hs_secret = o->hs_secret;
        v->oidc.rules.hs_secret_len = o->hs_secret_len;
    }
    const gg_auth_cognito_config *c = &cfg->cognito;
    if (mode_on(cfg, GG_AUTH_AMAZON_COGNITO_USER_POOLS)) {
        char issuer[512], url[600];
        snprintf(issuer, sizeof issuer, "https://cognito-idp.%s.amazonaws.com/%s", c->region, c->user_pool_id);
        /* Without a file or URL, the pool's own JWKS address, as AppSync uses it. */
        snprintf(url, sizeof url, "%s/.well-known/jwks.json", issuer);
        bool own = (c->jwks_file == NULL || c->jwks_file[0] == '\0') && (c->jwks_url == NULL || c->jwks_url[0] == '\0');
        const char *keys_url = !fetch ? NULL : own ? url : c->jwks_url;
        if (!provider_init(&v->cognito, GG_AUTH_AMAZON_COGNITO_USER_POOLS, issuer, c->jwks_file, keys_url, "jwks_url",
                           cfg, fault))
            goto fail;
        v->cognito.rules.cognito = true;
        if (c->app_id_client_regex != NULL && c->app_id_client_regex[0] != '\0') {
            if (!gg_auth_regcomp_whole(&v->client_regex, c->app_id_client_regex)) {
                gg_fault_set(fault, NULL, "auth.cognito.app_id_client_regex: not a valid regular expression");
                goto fail;
            }
            v->has_client_regex = true;
            v->cognito.rules.client_regex = &v->client_regex;
        }
    }
    if (mode_on(cfg, GG_AUTH_AWS_LAMBDA) && (v->lambda = gg_lambda_rules_new(&cfg->lambda, fault)) == NULL) goto fail;
    /* Leeway and TTLs are the oidc section's; Cognito tokens get the same leeway, no TTLs. */
    v->oidc.rules.leeway_s = o->leeway_s;
    v->oidc.rules.iat_ttl_s = o->iat_ttl_s;
    v->oidc.rules.auth_ttl_s = o->auth_ttl_s;
    v->cognito.rules.leeway_s = o->leeway_s;
    return v;
fail:
    gg_auth_verifier_free(v);
    return NULL;
}

gg_auth_verifier *gg_auth_verifier_new(const gg_auth_config *cfg, gg_fault *fault)
{
    return verifier_build(cfg, true, fault);
}

bool gg_auth_verifier_check(const gg_auth_config *cfg, gg_fault *fault)
{
    gg_auth_verifier *v = verifier_build(cfg, false, fault);
    bool ok = v != NULL;
    gg_auth_verifier_free(v);
    return ok;
}

void gg_auth_verifier_free(gg_auth_verifier *v)
{
    if (v == NULL) return;
    gg_jwks_source_free(v->oidc.keys);
    gg_jwks_source_free(v->cognito.keys);
    free(v->oidc.issuer);
    free(v->cognito.issuer);
    if (v->has_client_regex) regfree(&v->client_regex);
    gg_lambda_rules_free(v->lambda);
    free(v->api_key_hashes);
    free(v);
}

unsigned gg_auth_verifier_jwks_loads(const gg_auth_verifier *v)
{
    return gg_jwks_source_loads(v->oidc.keys) + gg_jwks_source_loads(v->cognito.keys);
}

/* The identities of API_KEY and NONE requests carry nothing but their mode: one of each, permanent
 * (refs < 0), shared by every request of every thread, which only ever read them. */
static char *no_groups[1];
static gg_auth_identity api_key_identity = {.refs = -1, .mode = GG_AUTH_API_KEY, .groups = no_groups};
static gg_auth_identity none_identity = {.refs = -1, .mode = GG_AUTH_NONE, .groups = no_groups};

gg_auth_identity *gg_auth_identity_ref(gg_auth_identity *identity)
{
    if (identity->refs >= 0) identity->refs++;
    return identity;
}

void gg_auth_identity_release(gg_auth_identity *identity)
{
    if (identity == NULL || identity->refs < 0 || --identity->refs > 0) return;
    cJSON_Delete(identity->parsed_claims);
    free(identity); /* its strings and payload live in the same allocation */
}

static const char *claim_string(const cJSON *claims, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(claims, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Copies s to *at (NULL stays NULL) and moves *at past it. */
static char *place_string(char **at, const char *s)
{
    if (s == NULL) return NULL;
    size_t n = strlen(s) + 1;
    char *out = memcpy(*at, s, n);
    *at += n;
    return out;
}

/* The identity of a verified token, in one allocation: the struct, the groups array, the strings,
 * the payload text (payload_len bytes, the text claims was parsed from) and a copy of the token
 * (token_len bytes, 0 for none: for the token cache, which keeps it with the identity; *token_copy
 * points at it). */
static gg_auth_identity *identity_from_claims(gg_auth_mode mode, const cJSON *claims, const char *payload,
                                              size_t payload_len, const char *token, size_t token_len,
                                              const char **token_copy)
{
    const char *sub = claim_string(claims, "sub"), *username = claim_string(claims, "cognito:username");
    if (username == NULL) username = claim_string(claims, "username");
    const char *issuer = claim_string(claims, "iss");
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(claims, "cognito:groups"), *item;
    size_t group_count = 0, text_bytes = payload_len + 1 + token_len + 1;
    if (cJSON_IsString(groups)) {
        group_count = 1;
        text_bytes += strlen(groups->valuestring) + 1;
    } else if (cJSON_IsArray(groups)) {
        cJSON_ArrayForEach(item, groups)
        {
            if (!cJSON_IsString(item)) continue;
            group_count++;
            text_bytes += strlen(item->valuestring) + 1;
        }
    }
    for (size_t i = 0; i < 3; i++) {
        const char *s = i == 0 ? sub : i == 1 ? username : issuer;
        if (s != NULL) text_bytes += strlen(s) + 1;
    }
    gg_auth_identity *identity = malloc(sizeof *identity + (group_count + 1) * sizeof(char *) + text_bytes);
    if (identity == NULL) abort();
    char **list = (char **)(identity + 1);
    char *at = (char *)(list + group_count + 1);
    *identity = (gg_auth_identity){.refs = 1, .mode = mode, .groups = list, .group_count = group_count};
    identity->sub = place_string(&at, sub);
    identity->username = place_string(&at, username);
    identity->issuer = place_string(&at, issuer);
    size_t n = 0;
    if (cJSON_IsString(groups)) {
        list[n++] = place_string(&at, groups->valuestring);
    } else if (cJSON_IsArray(groups)) {
        cJSON_ArrayForEach(item, groups)
        {
            if (cJSON_IsString(item)) list[n++] = place_string(&at, item->valuestring);
        }
    }
    list[n] = NULL;
    gg_auth_identity_place_payload(identity, at, payload, payload_len);
    at += payload_len + 1;
    memcpy(at, token, token_len);
    at[token_len] = '\0';
    *token_copy = at;
    return identity;
}

void gg_auth_identity_place_payload(gg_auth_identity *identity, char *at, const char *payload, size_t len)
{
    memcpy(at, payload, len);
    at[len] = '\0';
    identity->payload = at;
    identity->payload_len = len;
}

bool gg_auth_regcomp_whole(regex_t *re, const char *expression)
{
    size_t n = strlen(expression) + 5;
    char *anchored = malloc(n);
    if (anchored == NULL) abort();
    snprintf(anchored, n, "^(%s)$", expression);
    int rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
    free(anchored);
    return rc == 0;
}

gg_auth_identity *gg_auth_refuse(gg_auth_refusal *refusal, const char *message, const char *fmt, ...)
{
    refusal->http_status = 401;
    refusal->error_type = "UnauthorizedException";
    refusal->message = message;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(refusal->reason, sizeof refusal->reason, fmt, ap);
    va_end(ap);
    return NULL;
}

static gg_auth_identity *check_api_key(gg_auth_verifier *v, gg_auth_cache *cache, const char *key, size_t len,
                                       gg_auth_refusal *refusal)
{
    if (len == 0 || len > GG_AUTH_MAX_CREDENTIAL_BYTES)
        return gg_auth_refuse(refusal, MESSAGE_NOT_AUTHORIZED, "API key: empty or longer than %d bytes",
                              GG_AUTH_MAX_CREDENTIAL_BYTES);
    unsigned char hash[SHA256_DIGEST_LENGTH];
    gg_auth_cache_sha256(cache, key, len, hash);
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < v->cfg->api_key_count; i++) /* no early exit: every key is compared */
        if (CRYPTO_memcmp(hash, v->api_key_hashes[i], sizeof hash) == 0) found = i;
    if (found == SIZE_MAX) return gg_auth_refuse(refusal, MESSAGE_NOT_AUTHORIZED, "API key: no configured key matches");
    int64_t expires = v->cfg->api_keys[found].expires;
    if (expires != 0 && (int64_t)time(NULL) >= expires)
        return gg_auth_refuse(refusal, MESSAGE_NOT_AUTHORIZED, "API key: key %zu has expired", found + 1);
    return &api_key_identity;
}

static bool starts_with_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && strncasecmp(s, word, n) == 0;
}

/* Chooses the JWT provider from the (not yet verified) iss claim. */
static provider *choose_provider(gg_auth_verifier *v, const char *iss)
{
    bool cognito = mode_on(v->cfg, GG_AUTH_AMAZON_COGNITO_USER_POOLS);
    bool oidc = mode_on(v->cfg, GG_AUTH_OPENID_CONNECT);
    size_t a = strlen(iss), b = oidc ? strlen(v->oidc.issuer) : 0;
    if (a > 0 && iss[a - 1] == '/') a--;
    if (b > 0 && v->oidc.issuer[b - 1] == '/') b--;
    if (cognito && strcmp(iss, v->cognito.issuer) == 0) return &v->cognito;
    if (oidc && a == b && memcmp(iss, v->oidc.issuer, a) == 0) return &v->oidc;
    if (cognito && strncmp(iss, "https://cognito-idp.", 20) == 0)
        return &v->cognito; /* another pool: refused by the issuer check, with its reason */
    return NULL;
}

static const char *status_message(gg_jwt_status status)
{
    switch (status) {
    case GG_JWT_MALFORMED:
        return MESSAGE_UNPARSABLE;
    case GG_JWT_EXPIRED:
        return MESSAGE_EXPIRED;
    default:
        return MESSAGE_NOT_AUTHORIZED;
    }
}

/* The token cache's key comes from the signature's last characters, its entries matched against the
 * whole token byte for byte (token_cache.c): a hit neither parses nor hashes the token. Every HS, RS,
 * PS and ES signature is at least this long in base64url; anything shorter is left to the verifier. */
#define MIN_CACHED_SIGNATURE 32

/* The length of a JWS's third part (after its last dot); 0 when there is no dot. */
static size_t jws_signature_length(const char *token, size_t len)
{
    const char *last = NULL, *end = token + len;
    for (const char *dot = memchr(token, '.', len); dot != NULL; dot = memchr(dot + 1, '.', (size_t)(end - dot - 1)))
        last = dot; /* memchr, not a byte loop: the signature is hundreds of bytes */
    return last != NULL ? (size_t)(end - last - 1) : 0;
}

/* *not_ours: the token is no JWT, or names no configured issuer (Lambda's, when that mode is on). */
static gg_auth_identity *check_jwt(gg_auth_verifier *v, gg_auth_cache *cache, const char *token, size_t len,
                                   gg_auth_refusal *refusal, bool *not_ours)
{
    int64_t now = (int64_t)time(NULL);
    unsigned char key[32];
    size_t signature_len = jws_signature_length(token, len);
    size_t signed_len = signature_len > 0 ? len - signature_len - 1 : 0;
    if (signature_len < MIN_CACHED_SIGNATURE) cache = NULL; /* not worth a key: verified (or refused), not cached */
    if (cache != NULL) {
        gg_auth_cache_jws_key(cache, token + signed_len + 1, signature_len, key);
        gg_auth_identity *hit = gg_auth_cache_get(cache, key, token, len, now);
        if (hit != NULL) return hit;
    }
    gg_jwt jwt;
    if (!gg_jwt_parse(token, len, &jwt)) {
        *not_ours = true;
        return gg_auth_refuse(refusal, MESSAGE_UNPARSABLE, "JWT: not a well-formed JWS (%zu bytes)", len);
    }
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(jwt.payload, "iss");
    provider *p = cJSON_IsString(iss) ? choose_provider(v, iss->valuestring) : NULL;
    if (p == NULL) {
        const char *why = cJSON_IsString(iss) ? "issuer matches no configured provider" : "no iss claim";
        gg_jwt_clear(&jwt); /* iss lived in the payload: decided before this */
        *not_ours = true;
        return gg_auth_refuse(refusal, MESSAGE_NOT_AUTHORIZED, "JWT: %s", why);
    }
    char reason[128] = "";
    int64_t valid_until = 0;
    gg_jwt_status status = gg_jwt_verify(&jwt, gg_jwks_source_current(p->keys), &p->rules, now, cache, &valid_until,
                                         GG_FAULT_INTO(reason));
    if (status == GG_JWT_UNKNOWN_KID) gg_jwks_source_request_refresh(p->keys);
    if (status != GG_JWT_OK) {
        gg_jwt_clear(&jwt);
        return gg_auth_refuse(refusal, status_message(status), "%s JWT: %s", gg_auth_mode_name(p->mode), reason);
    }
    const char *token_copy = NULL;
    gg_auth_identity *identity = identity_from_claims(p->mode, jwt.payload, jwt.payload_text, jwt.payload_text_len,
                                                      token, cache != NULL ? len : 0, &token_copy);
    identity->valid_until = valid_until;
    gg_jwt_clear(&jwt);
    if (cache != NULL) gg_auth_cache_put(cache, key, token_copy, len, identity, valid_until);
    return identity;
}

gg_auth_identity *gg_auth_authorize(gg_auth_verifier *v, gg_auth_cache *cache, const char *api_key, size_t api_key_len,
                                    const char *authorization, size_t authorization_len, gg_auth_refusal *refusal)
{
    const gg_auth_config *cfg = v->cfg;
    memset(refusal, 0, sizeof *refusal);
    if (cfg->default_mode == GG_AUTH_NONE) return &none_identity;
    if (api_key != NULL && mode_on(cfg, GG_AUTH_API_KEY)) return check_api_key(v, cache, api_key, api_key_len, refusal);
    if (authorization == NULL || authorization_len == 0)
        return gg_auth_refuse(refusal, MESSAGE_NO_HEADER, "no credential (neither x-api-key nor Authorization)");
    if (authorization_len > GG_AUTH_MAX_CREDENTIAL_BYTES)
        return gg_auth_refuse(refusal, MESSAGE_UNPARSABLE, "Authorization header of %zu bytes (at most %d)",
                              authorization_len, GG_AUTH_MAX_CREDENTIAL_BYTES);
    const char *token = authorization;
    size_t len = authorization_len;
    if (starts_with_word(token, len, "Bearer ")) {
        token += 7;
        len -= 7;
    }
    while (len > 0 && (*token == ' ' || *token == '\t')) {
        token++;
        len--;
    }
    while (len > 0 && (token[len - 1] == ' ' || token[len - 1] == '\t'))
        len--;
    if (starts_with_word(token, len, "AWS4-HMAC-SHA256"))
        return gg_auth_refuse(refusal, MESSAGE_IAM, "AWS_IAM (SigV4) request: not supported");
    bool jwt_modes = mode_on(cfg, GG_AUTH_OPENID_CONNECT) || mode_on(cfg, GG_AUTH_AMAZON_COGNITO_USER_POOLS);
    bool lambda = mode_on(cfg, GG_AUTH_AWS_LAMBDA);
    if (!jwt_modes && !lambda)
        return gg_auth_refuse(refusal, MESSAGE_NO_HEADER, "Authorization header but no JWT mode is configured");
    if (len == 0) return gg_auth_refuse(refusal, MESSAGE_NO_HEADER, "empty Authorization header");
    bool not_ours = !jwt_modes;
    if (jwt_modes) {
        gg_auth_identity *identity = check_jwt(v, cache, token, len, refusal, &not_ours);
        if (identity != NULL || !not_ours || !lambda) return identity;
        memset(refusal, 0, sizeof *refusal);
    }
    /* Last in AppSync's order: what no JWT mode claims goes to the Lambda authorizer, whole. */
    return gg_lambda_check(v->lambda, cache, authorization, authorization_len, refusal);
}

gg_auth_identity *gg_auth_lambda_decide(gg_auth_verifier *v, gg_auth_cache *cache, const unsigned char key[32],
                                        const cJSON *response, const char *failure, gg_auth_refusal *refusal)
{
    return gg_lambda_decide(v->lambda, cache, key, response, failure, refusal);
}

void gg_auth_refusal_body(const gg_auth_refusal *refusal, char *out, size_t out_len)
{
    cJSON *body = cJSON_CreateObject(), *errors = cJSON_AddArrayToObject(body, "errors");
    cJSON *error = cJSON_CreateObject();
    cJSON_AddStringToObject(error, "errorType", refusal->error_type ? refusal->error_type : "UnauthorizedException");
    cJSON_AddStringToObject(error, "message", refusal->message ? refusal->message : MESSAGE_NO_HEADER);
    cJSON_AddItemToArray(errors, error);
    if (!cJSON_PrintPreallocated(body, out, (int)out_len, false) && out_len > 0) out[0] = '\0';
    cJSON_Delete(body);
}
