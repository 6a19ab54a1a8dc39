/* jwks.c: a JWKS document (RFC 7517) into a key set of OpenSSL public keys.
 *
 * Each JWK becomes an EVP_PKEY once, through OSSL_PARAM_BLD and EVP_PKEY_fromdata (OpenSSL 3, no
 * deprecated RSA_/EC_KEY_ calls; an Ed25519 or Ed448 key from its raw public bytes), so verification
 * never parses key material again. RSA keys, EC keys on P-256 and P-384 and OKP keys on Ed25519 and
 * Ed448 (RFC 8037) are kept; keys marked "use": "enc", symmetric keys and other curves (X25519 and
 * X448 are for key agreement) are skipped (a JWKS may list keys for other purposes). A key of a kept
 * type that is malformed makes the whole document an error with the reason: a half-read key set
 * would refuse tokens for no visible reason. (At start-up the error stops graphgate; on a refresh the
 * last good keys stay and the reason is logged.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "internal.h"

#define MAX_KEYS 64

/* Decodes a base64url member into a new buffer. */
static unsigned char *member_bytes(const cJSON *jwk, const char *name, size_t *len)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(jwk, name);
    if (!cJSON_IsString(item)) return NULL;
    size_t in_len = strlen(item->valuestring);
    unsigned char *out = malloc(in_len * 3 / 4 + 2);
    if (out == NULL) return NULL;
    long n = gg_base64url_decode(item->valuestring, in_len, out);
    if (n <= 0) {
        free(out);
        return NULL;
    }
    *len = (size_t)n;
    return out;
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(const cJSON *jwk)
{
    size_t n_len = 0, e_len = 0;
    unsigned char *n_bytes = member_bytes(jwk, "n", &n_len), *e_bytes = member_bytes(jwk, "e", &e_len);
    BIGNUM *n = n_bytes ? BN_bin2bn(n_bytes, (int)n_len, NULL) : NULL;
    BIGNUM *e = e_bytes ? BN_bin2bn(e_bytes, (int)e_len, NULL) : NULL;
    EVP_PKEY *pkey = NULL;
    /* Below 2048 bits RSA is not a signature anyone should trust. */
    if (n != NULL && e != NULL && BN_num_bits(n) >= 2048 && BN_num_bits(n) <= 16384) {
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        if (bld != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1)
            pkey = pkey_from_params("RSA", bld);
        OSSL_PARAM_BLD_free(bld);
    }
    BN_free(n);
    BN_free(e);
    free(n_bytes);
    free(e_bytes);
    return pkey;
}

static EVP_PKEY *ec_key(const cJSON *jwk, size_t width, const char *group)
{
    size_t x_len = 0, y_len = 0;
    unsigned char *x = member_bytes(jwk, "x", &x_len), *y = member_bytes(jwk, "y", &y_len);
    EVP_PKEY *pkey = NULL;
    if (x != NULL && y != NULL && x_len == width && y_len == width) {
        unsigned char point[1 + 2 * 48];
        point[0] = 0x04; /* uncompressed */
        memcpy(point + 1, x, width);
        memcpy(point + 1 + width, y, width);
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        if (bld != NULL && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * width) == 1)
            pkey = pkey_from_params("EC", bld);
        OSSL_PARAM_BLD_free(bld);
    }
    free(x);
    free(y);
    return pkey;
}

/* OKP (RFC 8037 §2): x is the raw public key, 32 bytes for Ed25519 and 57 for Ed448. OpenSSL takes
 * any bytes of that length (a point that does not decode makes every verification fail). */
static EVP_PKEY *okp_key(const cJSON *jwk, size_t width, const char *type)
{
    size_t x_len = 0;
    unsigned char *x = member_bytes(jwk, "x", &x_len);
    EVP_PKEY *pkey = x != NULL && x_len == width ? EVP_PKEY_new_raw_public_key_ex(NULL, type, NULL, x, x_len) : NULL;
    free(x);
    return pkey;
}

void gg_keyset_free(gg_keyset *set)
{
    if (set == NULL) return;
    for (size_t i = 0; i < set->count; i++) {
        free(set->keys[i].kid);
        gg_jwk_release_verify(&set->keys[i]);
        EVP_PKEY_free(set->keys[i].pkey);
    }
    free(set->keys);
    free(set);
}

/* The key types kept: a JWK's kty and crv (none for RSA), the width in bytes of an EC coordinate or
 * an OKP key, and OpenSSL's name of the curve or key type. */
typedef struct key_kind {
    const char *kty, *crv;
    gg_jwk_type type;
    size_t width;
    const char *openssl_name;
} key_kind;

static const key_kind kept_kinds[] = {
    {"RSA", NULL, GG_JWK_RSA, 0, "RSA"},
    {"EC", "P-256", GG_JWK_EC_P256, 32, "prime256v1"},
    {"EC", "P-384", GG_JWK_EC_P384, 48, "secp384r1"},
    {"OKP", "Ed25519", GG_JWK_ED25519, 32, "ED25519"}, /* RFC 8037 */
    {"OKP", "Ed448", GG_JWK_ED448, 57, "ED448"},
};

/* The kind of a JWK, or NULL when it is not one we keep. */
static const key_kind *find_kind(const char *kty, const char *crv)
{
    for (size_t i = 0; i < sizeof kept_kinds / sizeof kept_kinds[0]; i++)
        if (strcmp(kept_kinds[i].kty, kty) == 0 && (kept_kinds[i].crv == NULL || strcmp(kept_kinds[i].crv, crv) == 0))
            return &kept_kinds[i];
    return NULL;
}

/* Reads one JWK into key. Returns 1 when kept, 0 when skipped, -1 when malformed. */
static int parse_key(const cJSON *jwk, size_t index, gg_jwk *key, gg_fault *fault)
{
    const cJSON *kty = cJSON_GetObjectItemCaseSensitive(jwk, "kty");
    const cJSON *crv = cJSON_GetObjectItemCaseSensitive(jwk, "crv");
    const cJSON *use = cJSON_GetObjectItemCaseSensitive(jwk, "use");
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(jwk, "kid");
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(jwk, "alg");
    if (!cJSON_IsString(kty) || (use != NULL && (!cJSON_IsString(use) || strcmp(use->valuestring, "sig") != 0)))
        return 0;
    const key_kind *kind = find_kind(kty->valuestring, cJSON_IsString(crv) ? crv->valuestring : "");
    if (kind == NULL) return 0;
    key->type = kind->type;
    bool okp = strcmp(kind->kty, "OKP") == 0;
    char name[32]; /* for messages: "RSA", "EC P-256", "OKP Ed25519" */
    snprintf(name, sizeof name, "%s%s%s", kind->kty, kind->crv ? " " : "", kind->crv ? kind->crv : "");
    if (kid != NULL && !cJSON_IsString(kid)) {
        gg_fault_set(fault, NULL, "key %zu: kid is not a string", index);
        return -1;
    }
    key->alg = GG_JWS_UNKNOWN;
    if (alg != NULL) {
        key->alg = cJSON_IsString(alg) ? gg_jws_alg_parse(alg->valuestring) : GG_JWS_UNKNOWN;
        if (key->alg == GG_JWS_UNKNOWN || (key->alg >= GG_JWS_HS256 && key->alg <= GG_JWS_HS512)) {
            gg_fault_set(fault, NULL, "key %zu: alg is not an RSA, EC or EdDSA signature algorithm", index);
            return -1;
        }
        if (okp != (key->alg == GG_JWS_EDDSA)) {
            gg_fault_set(fault, NULL, "key %zu (%s): alg %s does not fit the key type", index, name, alg->valuestring);
            return -1;
        }
    }
    key->pkey = kind->type == GG_JWK_RSA ? rsa_key(jwk)
                : okp                    ? okp_key(jwk, kind->width, kind->openssl_name)
                                         : ec_key(jwk, kind->width, kind->openssl_name);
    if (key->pkey != NULL && !gg_jwk_prepare_verify(key)) {
        EVP_PKEY_free(key->pkey);
        key->pkey = NULL;
    }
    if (key->pkey == NULL && okp) {
        gg_fault_set(fault, NULL, "key %zu (%s): malformed public key (x must be %zu bytes of base64url)", index, name,
                     kind->width);
        return -1;
    }
    if (key->pkey == NULL) {
        gg_fault_set(fault, NULL, "key %zu (%s): malformed or too weak public key", index, name);
        return -1;
    }
    key->kid = kid != NULL ? strdup(kid->valuestring) : NULL;
    return 1;
}

gg_keyset *gg_keyset_parse(const char *json, size_t len, gg_fault *fault)
{
    cJSON *doc = cJSON_ParseWithLength(json, len);
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(doc, "keys");
    if (!cJSON_IsArray(keys)) {
        gg_fault_set(fault, NULL, "not a JWKS (a JSON object with a \"keys\" array)");
        cJSON_Delete(doc);
        return NULL;
    }
    gg_keyset *set = calloc(1, sizeof *set);
    int total = cJSON_GetArraySize(keys);
    if (set == NULL || total > MAX_KEYS || (set->keys = calloc((size_t)total + 1, sizeof *set->keys)) == NULL) {
        gg_fault_set(fault, NULL, "a JWKS holds at most %d keys", MAX_KEYS);
        cJSON_Delete(doc);
        gg_keyset_free(set);
        return NULL;
    }
    size_t index = 0;
    const cJSON *jwk;
    cJSON_ArrayForEach(jwk, keys)
    {
        int kept = parse_key(jwk, index++, &set->keys[set->count], fault);
        if (kept < 0) {
            cJSON_Delete(doc);
            gg_keyset_free(set);
            return NULL;
        }
        set->count += (size_t)kept;
    }
    cJSON_Delete(doc);
    if (set->count == 0) {
        gg_fault_set(fault, NULL, "no RSA, EC (P-256, P-384) or OKP (Ed25519, Ed448) signing key in the JWKS");
        gg_keyset_free(set);
        return NULL;
    }
    return set;
}

const gg_jwk *gg_keyset_find(const gg_keyset *set, const char *kid)
{
    if (kid == NULL) return set->count == 1 ? &set->keys[0] : NULL;
    for (size_t i = 0; i < set->count; i++)
        if (set->keys[i].kid != NULL && strcmp(set->keys[i].kid, kid) == 0) return &set->keys[i];
    return NULL;
}
