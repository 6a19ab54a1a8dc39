/* internal.h: what the files of server/auth/ share and the rest of the server does not see.
 *
 * A key set is the parsed form of one JWKS: an array of keys, each an EVP_PKEY with its kid and the
 * one algorithm family it may verify. Key sets are immutable once built; a provider points at its
 * current set through an atomic pointer and readers load it without a lock (see jwks_source.c for
 * how an old set is retired). */
#ifndef GG_AUTH_INTERNAL_H
#define GG_AUTH_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <regex.h>

#include <openssl/evp.h>

#include "auth.h"

/* The JWS algorithms we verify. GG_JWS_UNKNOWN covers "none" and everything else: always refused. */
typedef enum gg_jws_alg {
    GG_JWS_UNKNOWN = 0,
    GG_JWS_HS256,
    GG_JWS_HS384,
    GG_JWS_HS512,
    GG_JWS_RS256,
    GG_JWS_RS384,
    GG_JWS_RS512,
    GG_JWS_PS256,
    GG_JWS_PS384,
    GG_JWS_PS512,
    GG_JWS_ES256,
    GG_JWS_ES384,
    GG_JWS_EDDSA, /* RFC 8037: Ed25519 or Ed448, as the key's curve says */
} gg_jws_alg;

/* The algorithms checked as a digest and EVP_PKEY_verify (RS*, PS*, ES*): they index gg_jwk's verify
 * and digest. EdDSA hashes the message itself and has its own context (gg_jwk.verify_message). */
#define GG_JWS_DIGEST_ALGS (GG_JWS_ES384 + 1)

gg_jws_alg gg_jws_alg_parse(const char *name);

typedef enum gg_jwk_type { GG_JWK_RSA, GG_JWK_EC_P256, GG_JWK_EC_P384, GG_JWK_ED25519, GG_JWK_ED448 } gg_jwk_type;

typedef struct gg_jwk {
    char *kid; /* NULL when the JWK has none */
    gg_jwk_type type;
    gg_jws_alg alg; /* the JWK's "alg", GG_JWS_UNKNOWN when absent (then any alg of its type) */
    EVP_PKEY *pkey;
    /* Per algorithm the key may verify, a verify context set up once (digest, padding); a
     * verification duplicates it (EVP_PKEY_CTX_dup only reads it), which skips OpenSSL 3's
     * per-call algorithm fetch and setup. NULL for algorithms the key does not take. */
    EVP_PKEY_CTX *verify[GG_JWS_DIGEST_ALGS];
    EVP_MD *digest[GG_JWS_DIGEST_ALGS]; /* the digest of each of those algorithms, fetched once */
    /* An Ed25519 or Ed448 key: a message verify context (EVP_DigestVerifyInit, no digest) set up
     * once; a verification copies it (EVP_MD_CTX_copy_ex only reads it). NULL for other keys. */
    EVP_MD_CTX *verify_message;
} gg_jwk;

/* Fills key->verify and key->digest (or key->verify_message) for every algorithm key->type (and
 * key->alg, when set) allows; false when OpenSSL refuses the key (then none is left filled). */
bool gg_jwk_prepare_verify(gg_jwk *key);
/* Frees what gg_jwk_prepare_verify filled. */
void gg_jwk_release_verify(gg_jwk *key);

typedef struct gg_keyset {
    gg_jwk *keys;
    size_t count;
    struct gg_keyset *retired_next; /* list of retired sets (jwks_source.c) */
    int64_t retired_at;
} gg_keyset;

/* Parses JWKS JSON text into a key set. Keys of other types or uses ("use": "enc") are skipped;
 * a malformed RSA/EC/OKP key, or no usable key at all, is an error. */
gg_keyset *gg_keyset_parse(const char *json, size_t len, gg_fault *fault);
void gg_keyset_free(gg_keyset *set);
/* The key with this kid, or NULL. kid NULL: the only key when the set holds exactly one. */
const gg_jwk *gg_keyset_find(const gg_keyset *set, const char *kid);

/* Strict base64url without padding (RFC 7515 §2): any other byte, a length of 4n+1 or non-zero
 * trailing bits fail. out needs (len * 3) / 4 + 1 bytes. Returns the decoded length or -1. */
long gg_base64url_decode(const char *in, size_t len, unsigned char *out);

/* A source of keys for one provider: a file read once or a URL refreshed by a background thread. */
typedef struct gg_jwks_source gg_jwks_source;

/* Loads file or fetches url (a failure is an error with the reason) and, for a URL, starts the
 * refresh thread. label names the provider in messages ("auth.oidc"), url_name where the URL came
 * from ("jwks_url"). */
gg_jwks_source *gg_jwks_source_new(const char *file, const char *url, const char *url_name, unsigned refresh_s,
                                   unsigned min_refetch_s, const char *ca_file, const char *label, gg_fault *fault);
void gg_jwks_source_free(gg_jwks_source *source);
/* The current key set, or NULL when none (a provider with only an HS secret). Lock-free. */
const gg_keyset *gg_jwks_source_current(gg_jwks_source *source);
/* Asks the refresh thread for a fetch now (a token named an unknown kid); at most one per
 * min_refetch_s. Never blocks. */
void gg_jwks_source_request_refresh(gg_jwks_source *source);
unsigned gg_jwks_source_loads(const gg_jwks_source *source);

#define GG_JWKS_MIN_REFETCH_S 10
#define GG_JWKS_MAX_BYTES (1024 * 1024)

/* Fetches an https URL with libcurl (jwks_source.c: https only, no redirects, timeouts, at most
 * GG_JWKS_MAX_BYTES) trusting the PEM bundle ca_file (NULL: the system's CAs). Returns the body (NUL
 * after its len bytes; the caller frees it) for an HTTP 200, else NULL with the URL and the reason
 * in fault. Blocks: start-up, reloads and the refresh thread only. */
char *gg_auth_fetch_https(const char *url, const char *ca_file, size_t *len, gg_fault *fault);

/* OpenID Connect Discovery (discovery.c): fetches discovery_url (gg_auth_oidc_discovery_url) and
 * returns its jwks_uri (the caller frees it) once the document's issuer is issuer (gg_jwt_issuer_equal)
 * and jwks_uri is https; else NULL with the URL and the reason in fault. */
char *gg_oidc_discover_jwks_uri(const char *issuer, const char *discovery_url, const char *ca_file, gg_fault *fault);

/* What gg_jwt_verify checks beyond the signature. */
typedef struct gg_jwt_rules {
    const char *issuer;       /* required iss (a trailing '/' ignored on both sides) */
    const char *client_id;    /* NULL: no audience check */
    bool cognito;             /* token_use id|access, client id regex */
    const void *client_regex; /* regex_t *, NULL: none */
    unsigned leeway_s;
    unsigned iat_ttl_s;
    unsigned auth_ttl_s;
    const unsigned char *hs_secret; /* NULL: HS algorithms refused */
    size_t hs_secret_len;
} gg_jwt_rules;

typedef enum gg_jwt_status {
    GG_JWT_OK = 0,
    GG_JWT_MALFORMED,   /* not a JWS we can parse */
    GG_JWT_BAD_ALG,     /* none, unknown, or not the key's */
    GG_JWT_UNKNOWN_KID, /* kid not in the key set */
    GG_JWT_BAD_SIGNATURE,
    GG_JWT_EXPIRED,
    GG_JWT_NOT_YET_VALID,
    GG_JWT_BAD_CLAIMS, /* iss, aud, token_use, ttl, types */
} gg_jwt_status;

/* A JWS split into its parts with header and payload parsed (no signature checked yet). */
typedef struct gg_jwt {
    const char *signing_input; /* header.payload, signing_input_len bytes of the token */
    size_t signing_input_len;
    unsigned char *decoded;         /* the three parts decoded, one after the other (one allocation) */
    const unsigned char *signature; /* in decoded */
    size_t signature_len;
    cJSON *header;
    cJSON *payload;
    const char *payload_text; /* the payload's JSON text, in decoded (NUL-terminated) */
    size_t payload_text_len;
    gg_jws_alg alg;
    const char *kid; /* inside header; NULL when absent */
} gg_jwt;

/* Splits and decodes token (strict base64url, JSON objects, an alg string). Returns false when the
 * token is not a well-formed JWS; jwt is then empty. */
bool gg_jwt_parse(const char *token, size_t len, gg_jwt *jwt);
void gg_jwt_clear(gg_jwt *jwt);
/* Verifies the parsed token's signature against keys (or the HS secret) and its claims, with the
 * thread's verify context from cache (NULL: a duplicate of the key's, made and freed here). On
 * success *valid_until is when the token stops being acceptable (exp, TTLs, leeway included); on
 * a refusal fault says why, for the log. */
gg_jwt_status gg_jwt_verify(const gg_jwt *jwt, const gg_keyset *keys, const gg_jwt_rules *rules, int64_t now,
                            gg_auth_cache *cache, int64_t *valid_until, gg_fault *fault);
/* Whether two issuers are the same, a trailing '/' ignored on either side (appsync-compat §1.2). */
bool gg_jwt_issuer_equal(const char *a, const char *b);

/* The per-thread cache (token_cache.c): a 32-byte key and the bytes a hit must match (a JWT: its
 * key from gg_auth_cache_jws_key and the whole token; a Lambda decision: the SHA-256 of its token and
 * no bytes) to an identity and its end of validity. A get answers only when content matches the
 * entry's byte for byte. A put keeps content as it is, not a copy: it must live as long as identity
 * (inside the identity's allocation, or static). */
/* The key of a JWS by its signature (len >= 1 characters; the last 32 count) and the cache's seed. */
void gg_auth_cache_jws_key(const gg_auth_cache *cache, const char *signature, size_t len, unsigned char key[32]);
/* SHA-256 of data with the thread's digest context (cache NULL: OpenSSL's one-shot SHA256). */
void gg_auth_cache_sha256(gg_auth_cache *cache, const void *data, size_t len, unsigned char out[32]);
/* The thread's own verify context for key and alg: key->verify[alg] duplicated on first use and kept
 * (a few per thread, the oldest replaced), so a verification neither allocates nor copies one.
 * NULL when cache is NULL, the key does not take alg, or OpenSSL fails: then the caller duplicates. */
EVP_PKEY_CTX *gg_auth_cache_verify_context(gg_auth_cache *cache, const gg_jwk *key, gg_jws_alg alg);
gg_auth_identity *gg_auth_cache_get(gg_auth_cache *cache, const unsigned char key[32], const char *content,
                                    size_t content_len, int64_t now);
void gg_auth_cache_put(gg_auth_cache *cache, const unsigned char key[32], const char *content, size_t content_len,
                       gg_auth_identity *identity, int64_t valid_until);

/* AppSync's "You are not authorized to make this call." */
extern const char GG_AUTH_MESSAGE_NOT_AUTHORIZED[];
/* Fills refusal as a 401 with AppSync's message and the log's reason (printf format); returns NULL. */
gg_auth_identity *gg_auth_refuse(gg_auth_refusal *refusal, const char *message, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies the payload text (len bytes and a NUL) to at, inside identity's own allocation, and points
 * identity->payload at it. */
void gg_auth_identity_place_payload(gg_auth_identity *identity, char *at, const char *payload, size_t len);
/* Compiles expression (POSIX extended) to match a whole string; false when it is not valid. */
bool gg_auth_regcomp_whole(regex_t *re, const char *expression);

/* AWS_LAMBDA (lambda.c): the validation expression and the TTL, and the decisions in the cache. */
typedef struct gg_lambda_rules gg_lambda_rules;
/* NULL with the reason when identity_validation_expression is not a valid regular expression. */
gg_lambda_rules *gg_lambda_rules_new(const gg_auth_lambda_config *cfg, gg_fault *fault);
void gg_lambda_rules_free(gg_lambda_rules *rules);
/* The Authorization value token goes to the authorizer: refused when it does not match the
 * validation expression; the cached decision when there is one; else NULL with refusal->ask_lambda. */
gg_auth_identity *gg_lambda_check(const gg_lambda_rules *rules, gg_auth_cache *cache, const char *token, size_t len,
                                  gg_auth_refusal *refusal);
gg_auth_identity *gg_lambda_decide(const gg_lambda_rules *rules, gg_auth_cache *cache, const unsigned char key[32],
                                   const cJSON *response, const char *failure, gg_auth_refusal *refusal);

#endif
