/* token_helpers.h: makes JWS tokens and JWKs inside C unit tests (keys generated with OpenSSL), so
 * jwt.c and jwks.c are tested without files or other processes. */
#ifndef GG_TEST_TOKEN_HELPERS_H
#define GG_TEST_TOKEN_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

/* base64url without padding into a new string. */
static inline char *test_b64url(const unsigned char *data, size_t len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = '\0';
    for (char *p = out; *p; p++)
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    return out;
}

/* header.payload.signature; key is an EVP_PKEY for RS/PS/ES/EdDSA, or secret/secret_len for HS. */
static inline char *test_token(const char *alg, const char *header_json, const char *payload_json, EVP_PKEY *key,
                               const char *secret, size_t secret_len)
{
    char *h = test_b64url((const unsigned char *)header_json, strlen(header_json));
    char *p = test_b64url((const unsigned char *)payload_json, strlen(payload_json));
    size_t input_len = strlen(h) + 1 + strlen(p);
    char *input = malloc(input_len + 1);
    strcpy(input, h);
    strcat(input, ".");
    strcat(input, p);
    const EVP_MD *md = strstr(alg, "384") ? EVP_sha384() : strstr(alg, "512") ? EVP_sha512() : EVP_sha256();
    unsigned char sig[1024];
    size_t sig_len = sizeof sig;
    if (strcmp(alg, "EdDSA") == 0) { /* Ed25519 or Ed448, as the key is: no digest */
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL);
        EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)input, input_len);
        EVP_MD_CTX_free(ctx);
    } else if (alg[0] == 'H') {
        unsigned n = 0;
        HMAC(md, secret, (int)secret_len, (unsigned char *)input, input_len, sig, &n);
        sig_len = n;
    } else {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        EVP_DigestSignInit(ctx, &pctx, md, NULL, key);
        if (alg[0] == 'P') {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
        }
        EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)input, input_len);
        EVP_MD_CTX_free(ctx);
        if (alg[0] == 'E') { /* DER to r||s */
            size_t width = strstr(alg, "384") ? 48 : 32;
            const unsigned char *der = sig;
            ECDSA_SIG *ecdsa = d2i_ECDSA_SIG(NULL, &der, (long)sig_len);
            unsigned char raw[96] = {0};
            BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), raw, (int)width);
            BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), raw + width, (int)width);
            ECDSA_SIG_free(ecdsa);
            memcpy(sig, raw, 2 * width);
            sig_len = 2 * width;
        }
    }
    char *s = test_b64url(sig, sig_len);
    char *token = malloc(input_len + 2 + strlen(s));
    sprintf(token, "%s.%s", input, s);
    free(h);
    free(p);
    free(input);
    free(s);
    return token;
}

static inline char *test_bn_b64url(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(key, name, &bn);
    unsigned char buf[1024];
    int n = BN_bn2bin(bn, buf);
    BN_free(bn);
    return test_b64url(buf, (size_t)n);
}

/* The public JWK of key as JSON text (kid and alg optional). */
static inline char *test_jwk(EVP_PKEY *key, const char *kid, const char *alg)
{
    char *out = malloc(4096), extra[128] = "";
    if (kid) snprintf(extra, sizeof extra, ",\"kid\":\"%s\"", kid);
    if (alg) snprintf(extra + strlen(extra), sizeof extra - strlen(extra), ",\"alg\":\"%s\"", alg);
    if (EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448")) {
        unsigned char raw[57];
        size_t len = sizeof raw;
        EVP_PKEY_get_raw_public_key(key, raw, &len);
        char *x = test_b64url(raw, len);
        snprintf(out, 4096, "{\"kty\":\"OKP\",\"crv\":\"%s\",\"x\":\"%s\"%s}", len == 32 ? "Ed25519" : "Ed448", x,
                 extra);
        free(x);
    } else if (EVP_PKEY_is_a(key, "RSA")) {
        char *n = test_bn_b64url(key, OSSL_PKEY_PARAM_RSA_N), *e = test_bn_b64url(key, OSSL_PKEY_PARAM_RSA_E);
        snprintf(out, 4096, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\"%s}", n, e, extra);
        free(n);
        free(e);
    } else {
        unsigned char point[200];
        size_t len = 0;
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
        size_t width = (len - 1) / 2;
        char *x = test_b64url(point + 1, width), *y = test_b64url(point + 1 + width, width);
        snprintf(out, 4096, "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"%s}",
                 width == 32 ? "P-256" : "P-384", x, y, extra);
        free(x);
        free(y);
    }
    return out;
}

#endif
