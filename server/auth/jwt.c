/* jwt.c: JWS compact tokens: strict parsing, signature checks with cached OpenSSL keys, claims.
 *
 * The signature is checked here with EVP_PKEY_verify on a context the key set prepared once per key
 * and algorithm (duplicated once per thread and kept in its token cache), instead of through libjwt 1.10, which turns a
 * PEM back into a key on every call (17x slower) and accepts alg confusion unless pinned. The algorithm is pinned to
 * the key: an HS token is checked only against the configured shared secret, an RS/PS token only against an RSA key,
 * ES256 only against a P-256 key, ES384 only against a P-384 key and EdDSA only against an Ed25519 or Ed448 key (the
 * key's curve decides which, RFC 8037); "none" and unknown names never verify. Parsing is strict (base64url without
 * padding or stray bytes, JSON objects) and bounded by the caller's size cap, so garbage is refused before any
 * cryptography.
 *
 * EdDSA hashes the message inside the signature scheme, so it is checked with EVP_DigestVerify and no digest, on a
 * copy of a context the key set prepared once. Counted with callgrind (OpenSSL 3.0): one Ed25519 verification of a
 * token is about 1.54 million instructions; the copy adds about 5,000 (0.3%), a context set up per call 43,000 (3%,
 * OpenSSL 3's algorithm fetch). Reusing one context for several one-shot verifications works in 3.0 but is not
 * promised by every release, so each verification has its own copy. */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include "internal.h"

static const struct {
    const char *name;
    gg_jws_alg alg;
} alg_names[] = {
    {"HS256", GG_JWS_HS256}, {"HS384", GG_JWS_HS384}, {"HS512", GG_JWS_HS512}, {"RS256", GG_JWS_RS256},
    {"RS384", GG_JWS_RS384}, {"RS512", GG_JWS_RS512}, {"PS256", GG_JWS_PS256}, {"PS384", GG_JWS_PS384},
    {"PS512", GG_JWS_PS512}, {"ES256", GG_JWS_ES256}, {"ES384", GG_JWS_ES384}, {"EdDSA", GG_JWS_EDDSA},
};

gg_jws_alg gg_jws_alg_parse(const char *name)
{
    for (size_t i = 0; i < sizeof alg_names / sizeof alg_names[0]; i++)
        if (strcmp(alg_names[i].name, name) == 0) return alg_names[i].alg;
    return GG_JWS_UNKNOWN;
}

/* The value of each byte in base64url (RFC 4648 §5), 0xff for a byte outside the alphabet: a
 * table so that decoding is one load per character (a token is decoded on every verification).
 * Rows of 16 bytes: '-' is 0x2d, '0'-'9' 0x30-0x39, 'A'-'Z' 0x41-0x5a, '_' 0x5f, 'a'-'z' 0x61-0x7a. */
/* clang-format off */
#define XX 0xff
static const unsigned char base64url_values[256] = {
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, 62, XX, XX,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, XX, XX, XX, XX, XX, XX,
    XX,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, XX, XX, XX, XX, 63,
    XX, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
};
#undef XX
/* clang-format on */

long gg_base64url_decode(const char *in, size_t len, unsigned char *out)
{
    if (len % 4 == 1) return -1;
    const unsigned char *p = (const unsigned char *)in;
    size_t whole = len - len % 4, n = 0;
    for (size_t i = 0; i < whole; i += 4) { /* four characters, three bytes */
        uint32_t a = base64url_values[p[i]], b = base64url_values[p[i + 1]], c = base64url_values[p[i + 2]],
                 d = base64url_values[p[i + 3]];
        if (((a | b | c | d) & 0x40) != 0) return -1; /* 0xff has the bit, no value (0..63) has */
        uint32_t v = a << 18 | b << 12 | c << 6 | d;
        out[n++] = (unsigned char)(v >> 16);
        out[n++] = (unsigned char)(v >> 8);
        out[n++] = (unsigned char)v;
    }
    size_t rest = len - whole; /* 0, 2 (one byte) or 3 (two bytes) */
    if (rest > 0) {
        uint32_t a = base64url_values[p[whole]], b = base64url_values[p[whole + 1]];
        uint32_t c = rest == 3 ? base64url_values[p[whole + 2]] : 0;
        if (((a | b | c) & 0x40) != 0) return -1;
        /* The bits after the last whole byte must be zero: one token has exactly one encoding. */
        if ((rest == 2 ? (b & 0x0f) : (c & 0x03)) != 0) return -1;
        uint32_t v = a << 18 | b << 12 | c << 6;
        out[n++] = (unsigned char)(v >> 16);
        if (rest == 3) out[n++] = (unsigned char)(v >> 8);
    }
    return (long)n;
}

/* Decodes one base64url part to *at, NUL-terminated, and moves *at past it. */
static bool decode_part(const char *in, size_t len, unsigned char **at, const unsigned char **out, size_t *out_len)
{
    long n = gg_base64url_decode(in, len, *at);
    if (n < 0) return false;
    (*at)[n] = '\0';
    *out = *at;
    *out_len = (size_t)n;
    *at += n + 1;
    return true;
}

/* Decodes one part and parses it as a JSON object; the decoded text stays at *text. */
static cJSON *decode_json_object(const char *in, size_t len, unsigned char **at, const char **text, size_t *text_len)
{
    const unsigned char *decoded;
    size_t n;
    if (!decode_part(in, len, at, &decoded, &n) || n == 0 || memchr(decoded, '\0', n) != NULL) return NULL;
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithOpts((const char *)decoded, &end, true);
    if (json != NULL && !cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return NULL;
    }
    *text = (const char *)decoded;
    *text_len = n;
    return json;
}

void gg_jwt_clear(gg_jwt *jwt)
{
    free(jwt->decoded);
    cJSON_Delete(jwt->header);
    cJSON_Delete(jwt->payload);
    memset(jwt, 0, sizeof *jwt);
}

bool gg_jwt_parse(const char *token, size_t len, gg_jwt *jwt)
{
    memset(jwt, 0, sizeof *jwt);
    const char *dot1 = memchr(token, '.', len);
    if (dot1 == NULL) return false;
    const char *dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token));
    if (dot2 == NULL) return false;
    const char *end = token + len;
    if (memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)) != NULL) return false; /* JWE (five parts) or junk */
    size_t header_len = (size_t)(dot1 - token), payload_len = (size_t)(dot2 - dot1 - 1);
    size_t signature_len = (size_t)(end - dot2 - 1);
    if (header_len == 0 || payload_len == 0 || signature_len == 0) return false;
    /* One buffer for the three decoded parts, each NUL-terminated: a part of n characters decodes
     * to at most n * 3 / 4 bytes. */
    jwt->decoded = malloc(len * 3 / 4 + 3);
    if (jwt->decoded == NULL) return false;
    unsigned char *at = jwt->decoded;
    const char *header_text;
    size_t header_text_len;
    jwt->header = decode_json_object(token, header_len, &at, &header_text, &header_text_len);
    if (jwt->header == NULL) goto fail;
    jwt->payload = decode_json_object(dot1 + 1, payload_len, &at, &jwt->payload_text, &jwt->payload_text_len);
    if (jwt->payload == NULL) goto fail;
    if (!decode_part(dot2 + 1, signature_len, &at, &jwt->signature, &jwt->signature_len)) goto fail;
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(jwt->header, "alg");
    if (!cJSON_IsString(alg) || cJSON_GetObjectItemCaseSensitive(jwt->header, "crit") != NULL)
        goto fail; /* "crit" names extensions we would have to understand (RFC 7515 §4.1.11) */
    jwt->alg = gg_jws_alg_parse(alg->valuestring);
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(jwt->header, "kid");
    if (kid != NULL) {
        if (!cJSON_IsString(kid)) goto fail;
        jwt->kid = kid->valuestring;
    }
    jwt->signing_input = token;
    jwt->signing_input_len = (size_t)(dot2 - token);
    return true;
fail:
    gg_jwt_clear(jwt);
    return false;
}

static const EVP_MD *alg_digest(gg_jws_alg alg)
{
    switch (alg) {
    case GG_JWS_HS256:
    case GG_JWS_RS256:
    case GG_JWS_PS256:
    case GG_JWS_ES256:
        return EVP_sha256();
    case GG_JWS_HS384:
    case GG_JWS_RS384:
    case GG_JWS_PS384:
    case GG_JWS_ES384:
        return EVP_sha384();
    case GG_JWS_HS512:
    case GG_JWS_RS512:
    case GG_JWS_PS512:
        return EVP_sha512();
    default:
        return NULL;
    }
}

static bool alg_is_hmac(gg_jws_alg alg)
{
    return alg == GG_JWS_HS256 || alg == GG_JWS_HS384 || alg == GG_JWS_HS512;
}

/* The pinning table: which algorithms a key of this type may verify. */
static bool alg_fits_key(gg_jws_alg alg, const gg_jwk *key)
{
    if (key->alg != GG_JWS_UNKNOWN && key->alg != alg) return false;
    switch (key->type) {
    case GG_JWK_RSA:
        return alg >= GG_JWS_RS256 && alg <= GG_JWS_PS512;
    case GG_JWK_EC_P256:
        return alg == GG_JWS_ES256;
    case GG_JWK_EC_P384:
        return alg == GG_JWS_ES384;
    case GG_JWK_ED25519:
    case GG_JWK_ED448:
        return alg == GG_JWS_EDDSA;
    }
    return false;
}

static bool verify_hmac(const gg_jwt *jwt, const unsigned char *secret, size_t secret_len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    const EVP_MD *md = alg_digest(jwt->alg);
    if (HMAC(md, secret, (int)secret_len, (const unsigned char *)jwt->signing_input, jwt->signing_input_len, mac,
             &mac_len) == NULL)
        return false;
    return mac_len == jwt->signature_len && CRYPTO_memcmp(mac, jwt->signature, mac_len) == 0;
}

/* One DER INTEGER holding the unsigned big-endian value (leading zero bytes dropped, a zero byte
 * put in front of a high bit); returns the bytes written (at most width + 3). */
static size_t der_integer(const unsigned char *value, size_t width, unsigned char *out)
{
    while (width > 1 && value[0] == 0) {
        value++;
        width--;
    }
    size_t pad = (value[0] & 0x80) != 0;
    out[0] = 0x02;
    out[1] = (unsigned char)(width + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, value, width);
    return 2 + pad + width;
}

/* JWS carries ECDSA signatures as r||s of fixed width; OpenSSL wants the DER SEQUENCE of the two
 * INTEGERs. Written directly (at most 2 + 2 * 51 bytes for P-384, so short-form lengths): the
 * BIGNUM and ECDSA_SIG round trip cost five allocations per verification. */
#define GG_ECDSA_DER_MAX (2 + 2 * (48 + 3))
static size_t ecdsa_to_der(const unsigned char *sig, size_t sig_len, size_t width, unsigned char der[GG_ECDSA_DER_MAX])
{
    if (sig_len != 2 * width) return 0;
    size_t n = 2;
    n += der_integer(sig, width, der + n);
    n += der_integer(sig + width, width, der + n);
    der[0] = 0x30;
    der[1] = (unsigned char)(n - 2);
    return n;
}

bool gg_jwk_prepare_verify(gg_jwk *key)
{
    if (key->type == GG_JWK_ED25519 || key->type == GG_JWK_ED448) {
        if (!alg_fits_key(GG_JWS_EDDSA, key)) return false;
        key->verify_message = EVP_MD_CTX_new();
        if (key->verify_message == NULL ||
            EVP_DigestVerifyInit_ex(key->verify_message, NULL, NULL, NULL, NULL, key->pkey, NULL) != 1) {
            gg_jwk_release_verify(key);
            return false;
        }
        return true;
    }
    for (gg_jws_alg alg = GG_JWS_RS256; alg <= GG_JWS_ES384; alg++) {
        if (!alg_fits_key(alg, key)) continue;
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
        bool pss = alg >= GG_JWS_PS256 && alg <= GG_JWS_PS512;
        bool ok =
            ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, alg_digest(alg)) == 1;
        if (ok && key->type == GG_JWK_RSA)
            ok = EVP_PKEY_CTX_set_rsa_padding(ctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) == 1 &&
                 (!pss || EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1);
        key->verify[alg] = ctx;
        key->digest[alg] = ok ? EVP_MD_fetch(NULL, EVP_MD_get0_name(alg_digest(alg)), NULL) : NULL;
        if (key->digest[alg] == NULL) {
            gg_jwk_release_verify(key);
            return false;
        }
    }
    return true;
}

void gg_jwk_release_verify(gg_jwk *key)
{
    for (size_t a = 0; a < sizeof key->verify / sizeof key->verify[0]; a++) {
        EVP_PKEY_CTX_free(key->verify[a]);
        EVP_MD_free(key->digest[a]);
    }
    memset(key->verify, 0, sizeof key->verify);
    memset(key->digest, 0, sizeof key->digest);
    EVP_MD_CTX_free(key->verify_message);
    key->verify_message = NULL;
}

/* EdDSA: the signature over the signing input itself (no digest first), on a copy of the key's
 * prepared context (see the top of the file). The length is the curve's, checked before OpenSSL. */
static bool verify_eddsa(const gg_jwt *jwt, const gg_jwk *key)
{
    size_t expected = key->type == GG_JWK_ED25519 ? 64 : 114; /* RFC 8032 §5.1.6, §5.2.6 */
    if (key->verify_message == NULL || jwt->signature_len != expected) return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx != NULL && EVP_MD_CTX_copy_ex(ctx, key->verify_message) == 1 &&
              EVP_DigestVerify(ctx, jwt->signature, jwt->signature_len, (const unsigned char *)jwt->signing_input,
                               jwt->signing_input_len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static bool verify_pkey(const gg_jwt *jwt, const gg_jwk *key, gg_auth_cache *cache)
{
    const unsigned char *sig = jwt->signature;
    size_t sig_len = jwt->signature_len;
    unsigned char der[GG_ECDSA_DER_MAX];
    if (jwt->alg == GG_JWS_EDDSA) return verify_eddsa(jwt, key);
    if (jwt->alg >= GG_JWS_DIGEST_ALGS || key->verify[jwt->alg] == NULL) return false;
    if (key->type != GG_JWK_RSA) {
        sig_len = ecdsa_to_der(sig, sig_len, key->type == GG_JWK_EC_P256 ? 32 : 48, der);
        if (sig_len == 0) return false;
        sig = der;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    /* The key's fetched digest: EVP_sha256() and the like are looked up in OpenSSL 3's method
     * store on every use. */
    bool ok =
        EVP_Digest(jwt->signing_input, jwt->signing_input_len, digest, &digest_len, key->digest[jwt->alg], NULL) == 1;
    EVP_PKEY_CTX *own = ok ? gg_auth_cache_verify_context(cache, key, jwt->alg) : NULL;
    EVP_PKEY_CTX *ctx = own != NULL ? own : ok ? EVP_PKEY_CTX_dup(key->verify[jwt->alg]) : NULL;
    ok = ctx != NULL && EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1;
    if (ctx != own) EVP_PKEY_CTX_free(ctx);
    return ok;
}

/* A NumericDate claim: absent (false, *present false), a finite number in range, or malformed. */
static bool numeric_claim(const cJSON *payload, const char *name, bool *present, int64_t *value)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(payload, name);
    *present = item != NULL;
    if (item == NULL) return true;
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || item->valuedouble < 0 || item->valuedouble > 1e13)
        return false;
    *value = (int64_t)item->valuedouble;
    return true;
}

bool gg_jwt_issuer_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 0 && a[la - 1] == '/') la--;
    if (lb > 0 && b[lb - 1] == '/') lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

static bool audience_has(const cJSON *payload, const char *client_id)
{
    const cJSON *aud = cJSON_GetObjectItemCaseSensitive(payload, "aud");
    if (cJSON_IsString(aud) && strcmp(aud->valuestring, client_id) == 0) return true;
    if (cJSON_IsArray(aud)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, aud)
        {
            if (cJSON_IsString(item) && strcmp(item->valuestring, client_id) == 0) return true;
        }
    }
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(payload, "client_id");
    return cJSON_IsString(cid) && strcmp(cid->valuestring, client_id) == 0;
}

/* Cognito: the app client id is "aud" in an ID token and "client_id" in an access token. */
static const char *cognito_client(const cJSON *payload, bool id_token)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(payload, id_token ? "aud" : "client_id");
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

#define REFUSE(status, ...)                                                                                            \
    do {                                                                                                               \
        gg_fault_set(fault, NULL, __VA_ARGS__);                                                                        \
        return status;                                                                                                 \
    } while (0)

static gg_jwt_status check_signature(const gg_jwt *jwt, const gg_keyset *keys, const gg_jwt_rules *rules,
                                     gg_auth_cache *cache, gg_fault *fault)
{
    if (jwt->alg == GG_JWS_UNKNOWN) REFUSE(GG_JWT_BAD_ALG, "algorithm not accepted");
    if (alg_is_hmac(jwt->alg)) {
        if (rules->hs_secret == NULL) REFUSE(GG_JWT_BAD_ALG, "HMAC-signed token but no shared secret is configured");
        if (!verify_hmac(jwt, rules->hs_secret, rules->hs_secret_len))
            REFUSE(GG_JWT_BAD_SIGNATURE, "signature does not verify");
        return GG_JWT_OK;
    }
    const gg_jwk *key = keys != NULL ? gg_keyset_find(keys, jwt->kid) : NULL;
    if (key == NULL) REFUSE(GG_JWT_UNKNOWN_KID, "key id not in the key set");
    if (!alg_fits_key(jwt->alg, key)) REFUSE(GG_JWT_BAD_ALG, "algorithm does not match the key");
    if (!verify_pkey(jwt, key, cache)) REFUSE(GG_JWT_BAD_SIGNATURE, "signature does not verify");
    return GG_JWT_OK;
}

static gg_jwt_status check_claims(const gg_jwt *jwt, const gg_jwt_rules *rules, int64_t now, int64_t *valid_until,
                                  gg_fault *fault)
{
    const cJSON *p = jwt->payload;
    int64_t leeway = rules->leeway_s, exp = 0, nbf = 0, iat = 0, auth_time = 0;
    bool has_exp, has_nbf, has_iat, has_auth_time;
    if (!numeric_claim(p, "exp", &has_exp, &exp) || !numeric_claim(p, "nbf", &has_nbf, &nbf) ||
        !numeric_claim(p, "iat", &has_iat, &iat) || !numeric_claim(p, "auth_time", &has_auth_time, &auth_time))
        REFUSE(GG_JWT_BAD_CLAIMS, "a time claim is not a number");
    if (!has_exp) REFUSE(GG_JWT_BAD_CLAIMS, "no exp claim");
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(p, "iss");
    if (!cJSON_IsString(iss) || !gg_jwt_issuer_equal(iss->valuestring, rules->issuer))
        REFUSE(GG_JWT_BAD_CLAIMS, "issuer does not match");
    int64_t until = exp + leeway;
    if (now > until) REFUSE(GG_JWT_EXPIRED, "token expired");
    if (has_nbf && now + leeway < nbf) REFUSE(GG_JWT_NOT_YET_VALID, "token not valid yet (nbf)");
    if (has_iat && now + leeway < iat) REFUSE(GG_JWT_NOT_YET_VALID, "token issued in the future (iat)");
    if (rules->iat_ttl_s > 0) {
        if (!has_iat) REFUSE(GG_JWT_BAD_CLAIMS, "no iat claim but iat_ttl_s is set");
        int64_t end = iat + rules->iat_ttl_s + leeway;
        if (now > end) REFUSE(GG_JWT_EXPIRED, "token older than iat_ttl_s");
        until = end < until ? end : until;
    }
    if (rules->auth_ttl_s > 0) {
        if (!has_auth_time) REFUSE(GG_JWT_BAD_CLAIMS, "no auth_time claim but auth_ttl_s is set");
        int64_t end = auth_time + rules->auth_ttl_s + leeway;
        if (now > end) REFUSE(GG_JWT_EXPIRED, "authentication older than auth_ttl_s");
        until = end < until ? end : until;
    }
    if (rules->cognito) {
        const cJSON *use = cJSON_GetObjectItemCaseSensitive(p, "token_use");
        bool id_token = cJSON_IsString(use) && strcmp(use->valuestring, "id") == 0;
        if (!id_token && !(cJSON_IsString(use) && strcmp(use->valuestring, "access") == 0))
            REFUSE(GG_JWT_BAD_CLAIMS, "token_use is neither id nor access");
        if (rules->client_regex != NULL) {
            const char *client = cognito_client(p, id_token);
            if (client == NULL || regexec(rules->client_regex, client, 0, NULL, 0) != 0)
                REFUSE(GG_JWT_BAD_CLAIMS, "app client id does not match app_id_client_regex");
        }
    }
    if (rules->client_id != NULL && rules->client_id[0] != '\0' && !audience_has(p, rules->client_id))
        REFUSE(GG_JWT_BAD_CLAIMS, "audience (aud or client_id) does not match client_id");
    *valid_until = until;
    return GG_JWT_OK;
}

gg_jwt_status gg_jwt_verify(const gg_jwt *jwt, const gg_keyset *keys, const gg_jwt_rules *rules, int64_t now,
                            gg_auth_cache *cache, int64_t *valid_until, gg_fault *fault)
{
    gg_jwt_status status = check_signature(jwt, keys, rules, cache, fault);
    if (status != GG_JWT_OK) return status;
    return check_claims(jwt, rules, now, valid_until, fault);
}
