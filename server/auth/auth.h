/* auth.h: request authorization as AppSync does it: API keys, OIDC and Cognito JWTs, mode selection.
 *
 * Three objects. A gg_auth_config holds the "auth" section of the configuration (parsed from cJSON,
 * secrets loaded from their files). A gg_auth_verifier is built from it once at start-up (an OIDC
 * issuer's JWKS address found through OpenID discovery when none is configured, JWKS fetched, keys
 * turned into cached OpenSSL EVP_PKEYs, a background thread keeping URL key sets fresh) and is then
 * shared by every event-loop thread: verification never takes a lock and never waits on the network.
 * A gg_auth_cache belongs to one thread: it remembers verified tokens (found by a hash of their
 * signature's tail, matched whole) until they expire, so a hot token costs a lookup and one
 * comparison of its bytes.
 *
 * gg_auth_authorize() takes the raw x-api-key and Authorization header values and answers with an
 * identity or a refusal that carries AppSync's 401 body words and a reason for the log (the reason
 * never contains the token or the key). */
#ifndef GG_AUTH_H
#define GG_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "../base/fault.h"

/* AppSync's authentication types; the names are the configuration words. */
typedef enum gg_auth_mode {
    GG_AUTH_NONE = 0,
    GG_AUTH_API_KEY,
    GG_AUTH_OPENID_CONNECT,
    GG_AUTH_AMAZON_COGNITO_USER_POOLS,
    GG_AUTH_AWS_LAMBDA,
    GG_AUTH_AWS_IAM,
} gg_auth_mode;

/* The largest Authorization or x-api-key value examined; a longer one is refused before any parsing. */
#define GG_AUTH_MAX_CREDENTIAL_BYTES 16384

typedef struct gg_auth_api_key {
    char *key;
    int64_t expires; /* Unix seconds; 0: never */
} gg_auth_api_key;

typedef struct gg_auth_oidc_config {
    char *issuer;
    char *client_id;
    char *jwks_file;
    char *jwks_url;
    char *hs256_secret_file;
    unsigned char *hs_secret; /* the loaded secret (HS256/384/512), NULL when none */
    size_t hs_secret_len;
    unsigned leeway_s;
    unsigned iat_ttl_s;
    unsigned auth_ttl_s;
    unsigned jwks_refresh_s; /* also the refresh period of a Cognito jwks_url */
} gg_auth_oidc_config;

typedef struct gg_auth_cognito_config {
    char *user_pool_id;
    char *region;
    /* Both empty: the pool's own https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json */
    char *jwks_file;
    char *jwks_url;
    char *app_id_client_regex;
    bool default_allow; /* default_action: ALLOW (true) or DENY; read by field-level authorization */
} gg_auth_cognito_config;

/* AWS_LAMBDA: the plugin authorizer that decides (plugins/README.md) and how its answers are kept. */
typedef struct gg_auth_lambda_config {
    char *plugin;   /* the plugin's name under "plugins" */
    char *resolver; /* the name its authorizer was registered with (gg_plugin_add_authorizer) */
    unsigned ttl_s; /* how long a decision is cached per token and thread (ttlOverride wins); 0: never */
    char *identity_validation_expression; /* a token must match it (whole) before the authorizer runs; "": any */
} gg_auth_lambda_config;

typedef struct gg_auth_config {
    gg_auth_mode default_mode; /* GG_AUTH_NONE also when unset: see modes_set */
    bool default_mode_set;
    unsigned modes; /* bit (1u << mode) for the default and every additional mode */
    char *api_keys_file;
    gg_auth_api_key *api_keys;
    size_t api_key_count;
    gg_auth_oidc_config oidc;
    gg_auth_cognito_config cognito;
    gg_auth_lambda_config lambda;
    /* auth.jwks_ca_file: a PEM CA bundle that JWKS and OpenID discovery fetches (OIDC and Cognito)
     * trust instead of the system's (a provider behind a private CA). NULL: the system store. */
    char *jwks_ca_file;
    /* Not a configuration key: the shortest time between two fetches caused by unknown kids
     * (default 10 s; tests lower it). */
    unsigned jwks_min_refetch_s;
} gg_auth_config;

/* Returns the mode named by word (API_KEY, OPENID_CONNECT, ...), or -1. */
int gg_auth_mode_parse(const char *word);
/* Returns the configuration word of mode. */
const char *gg_auth_mode_name(gg_auth_mode mode);

/* Parses the "auth" object (NULL: all defaults). Relative file names are resolved against base_dir
 * (NULL: the working directory); api_keys_file and hs256_secret_file are read here. Returns NULL with
 * a message in fault on any bad key, value or unreadable file. Completeness is checked by
 * gg_auth_config_check, after environment overrides were applied. */
gg_auth_config *gg_auth_config_parse(const cJSON *auth, const char *base_dir, gg_fault *fault);
/* Adds keys from a comma-separated list ("key1,key2@2027-01-31T00:00:00Z"), as GRAPHGATE_AUTH_API_KEYS
 * gives them. Returns false with a message on a malformed entry. */
bool gg_auth_config_add_api_keys(gg_auth_config *cfg, const char *list, gg_fault *fault);
/* Checks the configuration is complete and secure: a mode is chosen, API_KEY has a key, OIDC has an
 * issuer and keys, Cognito a pool, a region and keys, AWS_LAMBDA a plugin and an authorizer. The
 * message says what to set. */
bool gg_auth_config_check(const gg_auth_config *cfg, gg_fault *fault);
/* Writes the start-up line naming the modes that are on ("auth: API_KEY (default), OPENID_CONNECT"); with
 * NONE it says that requests are served without authorization and @auth rules do not apply. */
void gg_auth_config_describe(const gg_auth_config *cfg, char *out, size_t out_len);
void gg_auth_config_free(gg_auth_config *cfg);

/* Who made a request. Shared and immutable once built: the thread's token cache hands the same
 * identity to every request carrying the token, so nothing of one request (its peer's address:
 * gg_pg_request.source_ip) is kept here. Reference-counted without atomics, so an identity
 * stays on the thread that obtained it; the API_KEY and NONE identities are permanent (refs < 0:
 * never counted, never freed) and serve every thread. A JWT identity is one allocation holding the
 * struct, its strings and the payload's JSON text, so dropping it (the cache evicts one with every
 * miss once full) is one free; the payload is parsed into cJSON only when a reader asks for the
 * claims (gg_auth_identity_claims), which few requests do. */
typedef struct gg_auth_identity {
    int refs;
    gg_auth_mode mode;
    char *sub;      /* NULL for API_KEY and NONE */
    char *username; /* cognito:username, else username; NULL when absent */
    char *issuer;
    char **groups; /* cognito:groups, NULL-terminated (never NULL itself) */
    size_t group_count;
    const char *payload; /* the token's payload, JSON text; NULL for API_KEY and NONE */
    size_t payload_len;
    cJSON *parsed_claims; /* payload parsed by gg_auth_identity_claims; NULL before (read through it) */
    int64_t valid_until;  /* JWT: the last second it is accepted (exp, TTLs, leeway); 0: never expires */
    /* AWS_LAMBDA: the authorizer's deniedFields ("Type.field" or an AppSync field ARN), a
     * NULL-terminated list (NULL: none); the payload above is its resolverContext (the claims). */
    char **denied_fields;
    size_t denied_field_count;
    bool refused; /* AWS_LAMBDA: a cached denial, kept only in the token cache, never handed out */
} gg_auth_identity;

/* Takes one more reference. */
gg_auth_identity *gg_auth_identity_ref(gg_auth_identity *identity);
/* Drops a reference; frees the identity with the last one. NULL is ignored. */
void gg_auth_identity_release(gg_auth_identity *identity);
/* The token's claims (its payload) as a cJSON object, parsed on the first call and kept with the
 * identity (on its thread); NULL for API_KEY and NONE. Inline: the resolvers that read claims
 * (resolvers/postgres) link without server/auth. */
static inline const cJSON *gg_auth_identity_claims(const gg_auth_identity *identity)
{
    if (identity->payload == NULL) return NULL;
    if (identity->parsed_claims == NULL) {
        /* A cache of the payload, filled on the identity's own thread: the identity looks the same
         * to every reader. The text parsed once already, when the token was verified. */
        const char *end = NULL;
        cJSON *claims = cJSON_ParseWithOpts(identity->payload, &end, true);
        if (claims == NULL) abort();
        ((gg_auth_identity *)identity)->parsed_claims = claims;
    }
    return identity->parsed_claims;
}

/* The answer for a refused request. http_status is 401; error_type and message are AppSync's body
 * words; reason is for the log only. */
typedef struct gg_auth_refusal {
    int http_status;
    const char *error_type;
    const char *message;
    char reason[160];
    /* AWS_LAMBDA: the credential goes to the Lambda authorizer plugin (no cached decision for it):
     * the caller asks it (gg_auth_lambda_decide) instead of answering the 401 above, which is what a
     * caller without a way to reach the authorizer answers. lambda_key names the decision in the
     * cache; lambda_token/lambda_token_len is the token inside the Authorization value given. */
    bool ask_lambda;
    unsigned char lambda_key[32];
    const char *lambda_token;
    size_t lambda_token_len;
} gg_auth_refusal;

typedef struct gg_auth_verifier gg_auth_verifier;
typedef struct gg_auth_cache gg_auth_cache;

/* Builds a verifier: checks cfg (gg_auth_config_check), loads JWKS files, finds an OIDC issuer's
 * jwks_uri through OpenID discovery when auth.oidc names no keys (gg_auth_oidc_discovery_url; logged),
 * fetches JWKS URLs (a URL that cannot be fetched fails here with the reason) and starts the refresh
 * thread when there is a URL. cfg must outlive the verifier. Returns NULL with a message in fault. */
gg_auth_verifier *gg_auth_verifier_new(const gg_auth_config *cfg, gg_fault *fault);
/* What gg_auth_verifier_new would refuse, without the network (graphgate --check): the configuration,
 * the JWKS files and the regular expressions; neither JWKS URLs nor discovery documents are fetched. */
bool gg_auth_verifier_check(const gg_auth_config *cfg, gg_fault *fault);
/* The OpenID discovery document the verifier reads the OIDC keys' address from, as AppSync does:
 * "<auth.oidc.issuer without a trailing />/.well-known/openid-configuration" (a new string for the
 * caller to free) when OPENID_CONNECT is on, the issuer is https and auth.oidc names no keys of its
 * own (jwks_url, jwks_file, hs256_secret_file); else NULL. */
char *gg_auth_oidc_discovery_url(const gg_auth_config *cfg);
/* Stops the refresh thread and frees every key set. No request may be in flight. */
void gg_auth_verifier_free(gg_auth_verifier *verifier);
/* Counts successful key set replacements from JWKS URLs (start-up fetch included), for tests and logs. */
unsigned gg_auth_verifier_jwks_loads(const gg_auth_verifier *verifier);

/* A per-thread cache of verified tokens holding capacity entries (rounded up to whole sets of eight;
 * fewer than eight: one set), a set's least recently used out when a token of that set comes in. */
gg_auth_cache *gg_auth_cache_new(size_t capacity);
void gg_auth_cache_free(gg_auth_cache *cache);
/* Number of tokens the cache holds now. */
size_t gg_auth_cache_count(const gg_auth_cache *cache);

/* Chooses the mode from the request's x-api-key and Authorization values (each NULL when absent,
 * with its length) as AppSync does, verifies the credential, and returns the identity (one
 * reference for the caller). On refusal returns NULL and fills *refusal. cache may be NULL. With
 * default mode NONE and no other mode, every request gets a NONE identity. */
gg_auth_identity *gg_auth_authorize(gg_auth_verifier *verifier, gg_auth_cache *cache, const char *api_key,
                                    size_t api_key_len, const char *authorization, size_t authorization_len,
                                    gg_auth_refusal *refusal);

/* Turns a Lambda authorizer's answer into the request's identity, as AppSync does: response is the
 * authorizer's object {"isAuthorized": bool, "resolverContext": {...}, "deniedFields": ["Type.field"],
 * "ttlOverride": seconds}, or NULL with failure saying why the authorizer failed (refused, never
 * cached). The decision, allowed or denied, is cached in cache (may be NULL) under key (the
 * refusal's lambda_key) for ttlOverride seconds, else auth.lambda.ttl_s; 0: not cached. Returns the
 * identity (one reference for the caller) or NULL with *refusal filled (AppSync's 401). */
gg_auth_identity *gg_auth_lambda_decide(gg_auth_verifier *verifier, gg_auth_cache *cache, const unsigned char key[32],
                                        const cJSON *response, const char *failure, gg_auth_refusal *refusal);

/* Writes AppSync's 401 body for a refusal: {"errors":[{"errorType":...,"message":...}]}. */
void gg_auth_refusal_body(const gg_auth_refusal *refusal, char *out, size_t out_len);

/* Parses an RFC 3339 UTC time ("2027-01-31T00:00:00Z") to Unix seconds; false when malformed. */
bool gg_auth_parse_time(const char *text, size_t len, int64_t *out);

#endif
