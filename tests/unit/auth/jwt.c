/* Unit tests of server/auth/jwt.c and jwks.c: strict base64url, JWS parsing, pinned algorithms
 * (EdDSA included) and the claim checks, with keys generated here by OpenSSL. */
#include <stdio.h>
#include <time.h>

#include "internal.h"
#include "test.h"
#include "token_helpers.h"

static const char SECRET[] = "0123456789abcdef0123456789abcdef";
static EVP_PKEY *rsa_key, *ec_key, *ec384_key, *ed_key, *ed448_key, *other_ed_key;
static gg_keyset *keys;
static gg_auth_cache *verify_cache; /* NULL, then a thread's cache: its kept verify contexts */

static void test_base64url(void)
{
    unsigned char out[16];
    CHECK_INT(gg_base64url_decode("aGk", 3, out), 2);
    CHECK(memcmp(out, "hi", 2) == 0);
    CHECK_INT(gg_base64url_decode("-_8", 3, out), 2); /* 0xfb 0xff */
    CHECK(out[0] == 0xfb && out[1] == 0xff);
    CHECK_INT(gg_base64url_decode("", 0, out), 0);
    CHECK_INT(gg_base64url_decode("aGk=", 4, out), -1);  /* padding */
    CHECK_INT(gg_base64url_decode("a+k", 3, out), -1);   /* base64, not base64url */
    CHECK_INT(gg_base64url_decode("aGkhZ", 5, out), -1); /* 4n+1 characters */
    CHECK_INT(gg_base64url_decode("aGl", 3, out), -1);   /* non-zero trailing bits */
    CHECK_INT(gg_base64url_decode("aG k", 4, out), -1);
    /* Every length and every byte value round-trips (the decoder works four characters at a time). */
    unsigned char data[67], back[67];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37 + 11);
    for (size_t len = 0; len <= sizeof data; len++) {
        char *text = test_b64url(data, len);
        CHECK_INT(gg_base64url_decode(text, strlen(text), back), (long)len);
        CHECK(memcmp(back, data, len) == 0);
        if (len > 0) { /* a stray byte anywhere is refused */
            text[len * 4 / 3 / 2] = '.';
            CHECK_INT(gg_base64url_decode(text, strlen(text), back), -1);
        }
        free(text);
    }
}

static char *payload(const char *extra)
{
    static char text[1024];
    long now = (long)time(NULL);
    snprintf(text, sizeof text,
             "{\"iss\":\"https://id.test/\",\"aud\":\"app\",\"sub\":\"s1\",\"exp\":%ld,\"iat\":%ld%s}", now + 300,
             now - 10, extra);
    return text;
}

static gg_jwt_rules rules(void)
{
    gg_jwt_rules r = {.issuer = "https://id.test",
                      .client_id = "app",
                      .leeway_s = 30,
                      .hs_secret = (const unsigned char *)SECRET,
                      .hs_secret_len = sizeof SECRET - 1};
    return r;
}

/* Parses and verifies token against the test key set; returns the status and frees the token. */
static gg_jwt_status verify(char *token, const gg_jwt_rules *r)
{
    gg_jwt jwt;
    char reason[128];
    int64_t until = 0;
    gg_jwt_status status = GG_JWT_MALFORMED;
    if (gg_jwt_parse(token, strlen(token), &jwt)) {
        status = gg_jwt_verify(&jwt, keys, r, (int64_t)time(NULL), verify_cache, &until, GG_FAULT_INTO(reason));
        gg_jwt_clear(&jwt);
    }
    free(token);
    return status;
}

static void test_parse(void)
{
    gg_jwt jwt;
    CHECK(!gg_jwt_parse("a.b", 3, &jwt));
    CHECK(!gg_jwt_parse("..", 2, &jwt));
    CHECK(!gg_jwt_parse("e30.e30.", 8, &jwt));    /* empty signature */
    CHECK(!gg_jwt_parse("W10.e30.AA", 10, &jwt)); /* header is an array */
    CHECK(!gg_jwt_parse("e30.e30.AA", 10, &jwt)); /* no alg */
    char *crit = test_token("HS256", "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", payload(""), NULL, SECRET, 32);
    CHECK(!gg_jwt_parse(crit, strlen(crit), &jwt));
    free(crit);
    char *t = test_token("HS256", "{\"alg\":\"HS256\",\"kid\":\"k\"}", payload(""), NULL, SECRET, sizeof SECRET - 1);
    CHECK(gg_jwt_parse(t, strlen(t), &jwt));
    CHECK(jwt.alg == GG_JWS_HS256);
    CHECK_STR(jwt.kid, "k");
    CHECK_INT(jwt.signature_len, 32);
    gg_jwt_clear(&jwt);
    free(t);
}

static void test_hmac(void)
{
    gg_jwt_rules r = rules();
    CHECK_INT(verify(test_token("HS256", "{\"alg\":\"HS256\"}", payload(""), NULL, SECRET, sizeof SECRET - 1), &r),
              GG_JWT_OK);
    CHECK_INT(verify(test_token("HS384", "{\"alg\":\"HS384\"}", payload(""), NULL, SECRET, sizeof SECRET - 1), &r),
              GG_JWT_OK);
    CHECK_INT(verify(test_token("HS256", "{\"alg\":\"HS256\"}", payload(""), NULL, "wrong", 5), &r),
              GG_JWT_BAD_SIGNATURE);
    /* Header says HS512 but the MAC is HS256: the digest follows the header, so it fails. */
    CHECK_INT(verify(test_token("HS256", "{\"alg\":\"HS512\"}", payload(""), NULL, SECRET, sizeof SECRET - 1), &r),
              GG_JWT_BAD_SIGNATURE);
    r.hs_secret = NULL;
    CHECK_INT(verify(test_token("HS256", "{\"alg\":\"HS256\"}", payload(""), NULL, SECRET, sizeof SECRET - 1), &r),
              GG_JWT_BAD_ALG);
}

static void test_pinned_keys(void)
{
    gg_jwt_rules r = rules();
    EVP_PKEY *rsa = rsa_key, *ec = ec_key, *ec384 = ec384_key;
    static const char *none = "{\"alg\":\"none\",\"kid\":\"r\"}";
    const struct {
        const char *alg, *header;
        EVP_PKEY *key;
        gg_jwt_status expected;
    } cases[] = {
        {"RS256", "{\"alg\":\"RS256\",\"kid\":\"r\"}", rsa, GG_JWT_OK},
        {"RS512", "{\"alg\":\"RS512\",\"kid\":\"r\"}", rsa, GG_JWT_OK},
        {"PS256", "{\"alg\":\"PS256\",\"kid\":\"r\"}", rsa, GG_JWT_OK},
        {"ES256", "{\"alg\":\"ES256\",\"kid\":\"e\"}", ec, GG_JWT_OK},
        {"ES384", "{\"alg\":\"ES384\",\"kid\":\"e384\"}", ec384, GG_JWT_OK},
        /* The key decides: ES384 against the P-256 key, RS256 against an EC key, RS384 against an
         * RS256-only key. */
        {"ES384", "{\"alg\":\"ES384\",\"kid\":\"e\"}", ec384, GG_JWT_BAD_ALG},
        {"RS256", "{\"alg\":\"RS256\",\"kid\":\"e\"}", rsa, GG_JWT_BAD_ALG},
        {"RS384", "{\"alg\":\"RS384\",\"kid\":\"r256\"}", rsa, GG_JWT_BAD_ALG},
        {"RS256", "{\"alg\":\"RS256\",\"kid\":\"nope\"}", rsa, GG_JWT_UNKNOWN_KID},
        /* No kid and several keys: no key is guessed. */
        {"RS256", "{\"alg\":\"RS256\"}", rsa, GG_JWT_UNKNOWN_KID},
        {"HS256", none, NULL, GG_JWT_BAD_ALG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_current = cases[i].header;
        CHECK_INT(verify(test_token(cases[i].alg, cases[i].header, payload(""), cases[i].key, SECRET, 32), &r),
                  cases[i].expected);
    }
    test_current = "test_pinned_keys";
    /* An ES256 signature of the wrong length never reaches OpenSSL. */
    char *t = test_token("ES256", "{\"alg\":\"ES256\",\"kid\":\"e\"}", payload(""), ec_key, NULL, 0);
    t[strlen(t) - 6] = 0; /* 80 characters: 60 bytes, no stray bits */
    CHECK_INT(verify(t, &r), GG_JWT_BAD_SIGNATURE);
}

/* Swaps the payloads of two tokens' signing inputs: a's header, b's payload, a's signature. */
static char *splice_payload(char *a, char *b)
{
    char *a1 = strchr(a, '.'), *a2 = strrchr(a, '.'), *b1 = strchr(b, '.'), *b2 = strrchr(b, '.');
    char *out = malloc(strlen(a) + strlen(b) + 1);
    sprintf(out, "%.*s%.*s%s", (int)(a1 - a), a, (int)(b2 - b1), b1, a2);
    free(a);
    free(b);
    return out;
}

/* EdDSA (RFC 8037): a good signature verifies against its Ed25519 or Ed448 key; a changed payload,
 * a changed signature, a signature of the wrong length or by another key does not. */
static void test_eddsa(void)
{
    gg_jwt_rules r = rules();
    const char *ed = "{\"alg\":\"EdDSA\",\"kid\":\"ed\"}";
    CHECK_INT(verify(test_token("EdDSA", ed, payload(""), ed_key, NULL, 0), &r), GG_JWT_OK);
    CHECK_INT(verify(test_token("EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"ed-alg\"}", payload(""), ed_key, NULL, 0), &r),
              GG_JWT_OK);
    CHECK_INT(verify(test_token("EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"ed448\"}", payload(""), ed448_key, NULL, 0), &r),
              GG_JWT_OK);
    /* Tampered payload: another payload under the first token's signature. */
    CHECK_INT(verify(splice_payload(test_token("EdDSA", ed, payload(""), ed_key, NULL, 0),
                                    test_token("EdDSA", ed, payload(",\"admin\":true"), ed_key, NULL, 0)),
                     &r),
              GG_JWT_BAD_SIGNATURE);
    /* Tampered signature: one bit of R, then one bit of S (still 64 bytes of valid base64url). */
    for (size_t at = 0; at < 2; at++) {
        char *t = test_token("EdDSA", ed, payload(""), ed_key, NULL, 0);
        char *c = strrchr(t, '.') + 1 + (at == 0 ? 3 : 60);
        *c = *c == 'A' ? 'B' : 'A';
        CHECK_INT(verify(t, &r), GG_JWT_BAD_SIGNATURE);
    }
    char *t = test_token("EdDSA", ed, payload(""), ed_key, NULL, 0);
    t[strlen(t) - 2] = '\0'; /* 84 characters: 63 bytes, no stray bits */
    CHECK_INT(verify(t, &r), GG_JWT_BAD_SIGNATURE);
    /* Signed by another Ed25519 key under the served key's kid. */
    CHECK_INT(verify(test_token("EdDSA", ed, payload(""), other_ed_key, NULL, 0), &r), GG_JWT_BAD_SIGNATURE);
    /* The curves do not stand in for each other: an Ed448 signature under the Ed25519 key and back. */
    CHECK_INT(verify(test_token("EdDSA", ed, payload(""), ed448_key, NULL, 0), &r), GG_JWT_BAD_SIGNATURE);
    CHECK_INT(verify(test_token("EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"ed448\"}", payload(""), ed_key, NULL, 0), &r),
              GG_JWT_BAD_SIGNATURE);
}

/* The key decides the algorithm, both ways: EdDSA never verifies against an RSA or EC key, RS/PS/ES
 * never against an Ed25519 key; an HMAC over the Ed25519 public key is no signature either. */
static void test_eddsa_pinning(void)
{
    gg_jwt_rules r = rules();
    const struct {
        const char *alg, *header;
        EVP_PKEY *key;
        gg_jwt_status expected;
    } cases[] = {
        {"EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"r\"}", ed_key, GG_JWT_BAD_ALG},
        {"EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"e\"}", ed_key, GG_JWT_BAD_ALG},
        {"EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"r256\"}", ed_key, GG_JWT_BAD_ALG},
        {"RS256", "{\"alg\":\"RS256\",\"kid\":\"ed\"}", rsa_key, GG_JWT_BAD_ALG},
        {"PS256", "{\"alg\":\"PS256\",\"kid\":\"ed\"}", rsa_key, GG_JWT_BAD_ALG},
        {"ES256", "{\"alg\":\"ES256\",\"kid\":\"ed\"}", ec_key, GG_JWT_BAD_ALG},
        {"ES384", "{\"alg\":\"ES384\",\"kid\":\"ed448\"}", ec384_key, GG_JWT_BAD_ALG},
        /* An Ed25519 signature is 64 bytes like ES256's r||s: labelled ES256 it is still refused. */
        {"EdDSA", "{\"alg\":\"ES256\",\"kid\":\"ed\"}", ed_key, GG_JWT_BAD_ALG},
        {"EdDSA", "{\"alg\":\"ES256\",\"kid\":\"e\"}", ed_key, GG_JWT_BAD_SIGNATURE},
        /* An ES256 signature labelled EdDSA, under the EC key's kid and under the Ed25519 key's. */
        {"ES256", "{\"alg\":\"EdDSA\",\"kid\":\"e\"}", ec_key, GG_JWT_BAD_ALG},
        {"ES256", "{\"alg\":\"EdDSA\",\"kid\":\"ed\"}", ec_key, GG_JWT_BAD_SIGNATURE},
        {"EdDSA", "{\"alg\":\"none\",\"kid\":\"ed\"}", ed_key, GG_JWT_BAD_ALG},
        /* RFC 9864's fully specified names are not accepted (yet): only "EdDSA". */
        {"EdDSA", "{\"alg\":\"Ed25519\",\"kid\":\"ed\"}", ed_key, GG_JWT_BAD_ALG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_current = cases[i].header;
        CHECK_INT(verify(test_token(cases[i].alg, cases[i].header, payload(""), cases[i].key, NULL, 0), &r),
                  cases[i].expected);
    }
    test_current = "test_eddsa_pinning";
    /* HS256 with the Ed25519 public key as the HMAC secret: checked against the configured secret
     * only, and refused outright when none is configured. */
    unsigned char x[32];
    size_t x_len = sizeof x;
    EVP_PKEY_get_raw_public_key(ed_key, x, &x_len);
    const char *hs = "{\"alg\":\"HS256\",\"kid\":\"ed\"}";
    CHECK_INT(verify(test_token("HS256", hs, payload(""), NULL, (const char *)x, x_len), &r), GG_JWT_BAD_SIGNATURE);
    r.hs_secret = NULL;
    CHECK_INT(verify(test_token("HS256", hs, payload(""), NULL, (const char *)x, x_len), &r), GG_JWT_BAD_ALG);
}

/* ECDSA signatures go to OpenSSL as DER, where an INTEGER drops leading zero bytes and gets a zero
 * byte before a high bit: signatures of every shape verify, and a swapped r and s does not. */
static void test_ecdsa_shapes(void)
{
    gg_jwt_rules r = rules();
    const struct {
        const char *alg, *header;
        EVP_PKEY *key;
        size_t width;
    } curves[] = {
        {"ES256", "{\"alg\":\"ES256\",\"kid\":\"e\"}", ec_key, 32},
        {"ES384", "{\"alg\":\"ES384\",\"kid\":\"e384\"}", ec384_key, 48},
    };
    for (size_t c = 0; c < 2; c++) {
        test_current = curves[c].alg;
        bool leading_zero = false, high_bit = false, low_bit = false;
        for (int i = 0; i < 4000 && !(leading_zero && high_bit && low_bit); i++) {
            char extra[32];
            snprintf(extra, sizeof extra, ",\"n\":%d", i);
            char *t = test_token(curves[c].alg, curves[c].header, payload(extra), curves[c].key, NULL, 0);
            gg_jwt jwt;
            CHECK(gg_jwt_parse(t, strlen(t), &jwt));
            size_t w = curves[c].width;
            for (size_t half = 0; half < 2; half++) {
                unsigned char first = jwt.signature[half * w];
                leading_zero |= first == 0;
                high_bit |= (first & 0x80) != 0;
                low_bit |= first != 0 && (first & 0x80) == 0;
            }
            gg_jwt_clear(&jwt);
            CHECK_INT(verify(t, &r), GG_JWT_OK);
        }
        CHECK(leading_zero && high_bit && low_bit);
        /* s||r instead of r||s */
        char *t = test_token(curves[c].alg, curves[c].header, payload(""), curves[c].key, NULL, 0);
        gg_jwt jwt;
        CHECK(gg_jwt_parse(t, strlen(t), &jwt));
        unsigned char swapped[96];
        memcpy(swapped, jwt.signature + curves[c].width, curves[c].width);
        memcpy(swapped + curves[c].width, jwt.signature, curves[c].width);
        char *s = test_b64url(swapped, 2 * curves[c].width);
        char *dot = strrchr(t, '.');
        char *u = malloc((size_t)(dot - t) + strlen(s) + 2);
        sprintf(u, "%.*s.%s", (int)(dot - t), t, s);
        CHECK_INT(verify(u, &r), GG_JWT_BAD_SIGNATURE);
        gg_jwt_clear(&jwt);
        free(s);
        free(t);
    }
    test_current = "test_ecdsa_shapes";
}

static gg_jwt_status hs_claims(const char *json, const gg_jwt_rules *r)
{
    return verify(test_token("HS256", "{\"alg\":\"HS256\"}", json, NULL, SECRET, sizeof SECRET - 1), r);
}

static void test_claims(void)
{
    gg_jwt_rules r = rules();
    long now = (long)time(NULL);
    char text[512];
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":%ld}", now - 20);
    CHECK_INT(hs_claims(text, &r), GG_JWT_OK); /* within the 30 s leeway */
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":%ld}", now - 40);
    CHECK_INT(hs_claims(text, &r), GG_JWT_EXPIRED);
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":%ld,\"nbf\":%ld}", now + 99,
             now + 60);
    CHECK_INT(hs_claims(text, &r), GG_JWT_NOT_YET_VALID);
    CHECK_INT(hs_claims(payload(",\"aud\":[\"x\",\"app\"]"), &r), GG_JWT_OK);
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"client_id\":\"app\",\"exp\":%ld}", now + 60);
    CHECK_INT(hs_claims(text, &r), GG_JWT_OK);
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test/x\",\"aud\":\"app\",\"exp\":%ld}", now + 60);
    CHECK_INT(hs_claims(text, &r), GG_JWT_BAD_CLAIMS);
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":true}");
    CHECK_INT(hs_claims(text, &r), GG_JWT_BAD_CLAIMS);
    /* iat_ttl_s: a token issued 100 s ago is too old for a 50 s TTL. */
    r.iat_ttl_s = 50;
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":%ld,\"iat\":%ld}", now + 600,
             now - 100);
    CHECK_INT(hs_claims(text, &r), GG_JWT_EXPIRED);
    r.iat_ttl_s = 500;
    CHECK_INT(hs_claims(text, &r), GG_JWT_OK);
    r.iat_ttl_s = 0;
    r.auth_ttl_s = 50;
    CHECK_INT(hs_claims(text, &r), GG_JWT_BAD_CLAIMS); /* no auth_time */
    snprintf(text, sizeof text, "{\"iss\":\"https://id.test\",\"aud\":\"app\",\"exp\":%ld,\"auth_time\":%ld}",
             now + 600, now - 10);
    CHECK_INT(hs_claims(text, &r), GG_JWT_OK);
}

static void test_keyset_parse(void)
{
    char err[256];
    const char *bad[] = {"[]",
                         "{\"keys\":{}}",
                         "{\"keys\":[]}",
                         "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AA\"}]}",
                         "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",
                         "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}",
                         "not json"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        gg_keyset *set = gg_keyset_parse(bad[i], strlen(bad[i]), GG_FAULT_INTO(err));
        CHECK(set == NULL);
        CHECK(err[0] != '\0');
        gg_keyset_free(set);
    }
    /* OKP keys: a malformed one is an error that says why; other curves are skipped. */
    const struct {
        const char *doc, *reason;
    } okp_bad[] = {
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}]}",
         "key 0 (OKP Ed25519): malformed public key (x must be 32 bytes of base64url)"},
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}]}",
         "key 0 (OKP Ed25519): malformed public key (x must be 32 bytes of base64url)"},
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"}]}",
         "key 0 (OKP Ed25519): malformed public key (x must be 32 bytes of base64url)"},
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}",
         "key 0 (OKP Ed448): malformed public key (x must be 57 bytes of base64url)"},
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"ES256\",\"x\":\"11qYAYKxCrfVS_"
         "7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}",
         "key 0 (OKP Ed25519): alg ES256 does not fit the key type"},
        {"{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"EdDSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",
         "key 0 (RSA): alg EdDSA does not fit the key type"},
        {"{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}",
         "no RSA, EC (P-256, P-384) or OKP (Ed25519, Ed448) signing key in the JWKS"},
    };
    for (size_t i = 0; i < sizeof okp_bad / sizeof okp_bad[0]; i++) {
        test_current = okp_bad[i].doc;
        err[0] = '\0';
        gg_keyset *set = gg_keyset_parse(okp_bad[i].doc, strlen(okp_bad[i].doc), GG_FAULT_INTO(err));
        CHECK(set == NULL);
        CHECK_STR(err, okp_bad[i].reason);
        gg_keyset_free(set);
    }
    test_current = "test_keyset_parse";
    /* RFC 8037 §A.2's public key, with "alg": "EdDSA", next to an X25519 key (skipped). */
    const char *rfc = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AAAA\"},"
                      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"EdDSA\",\"use\":\"sig\","
                      "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";
    gg_keyset *okp = gg_keyset_parse(rfc, strlen(rfc), GG_FAULT_INTO(err));
    CHECK(okp != NULL && okp->count == 1);
    if (okp != NULL) {
        CHECK(okp->keys[0].type == GG_JWK_ED25519 && okp->keys[0].alg == GG_JWS_EDDSA);
        CHECK(okp->keys[0].verify_message != NULL);
        /* RFC 8037 §A.4's JWS over "Example of Ed25519 signing" verifies against it. Its payload is
         * no JSON object, so gg_jwt_parse would refuse it: the parts are set by hand, and the claim
         * check (which comes after the signature's) refuses the missing exp. */
        const char *input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        const char *sig = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        unsigned char sig_bytes[64];
        CHECK_INT(gg_base64url_decode(sig, strlen(sig), sig_bytes), 64);
        gg_jwt jwt = {.signing_input = input,
                      .signing_input_len = strlen(input),
                      .signature = sig_bytes,
                      .signature_len = 64,
                      .alg = GG_JWS_EDDSA};
        gg_jwt_rules any = rules();
        char reason[128] = "";
        int64_t until = 0;
        CHECK_INT(gg_jwt_verify(&jwt, okp, &any, 0, NULL, &until, GG_FAULT_INTO(reason)), GG_JWT_BAD_CLAIMS);
        CHECK_STR(reason, "no exp claim");
        sig_bytes[10] ^= 1;
        CHECK_INT(gg_jwt_verify(&jwt, okp, &any, 0, NULL, &until, GG_FAULT_INTO(reason)), GG_JWT_BAD_SIGNATURE);
    }
    gg_keyset_free(okp);
    /* An encryption key is skipped, not an error. */
    char *jwk = test_jwk(ec_key, "only", NULL);
    char doc[5000];
    snprintf(doc, sizeof doc, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"},%s]}", jwk);
    free(jwk);
    gg_keyset *set = gg_keyset_parse(doc, strlen(doc), GG_FAULT_INTO(err));
    CHECK(set != NULL && set->count == 1);
    if (set != NULL) CHECK(gg_keyset_find(set, NULL) == &set->keys[0]);
    gg_keyset_free(set);
}

/* One kept context per key and algorithm, the same one each time; none without a cache or for an
 * algorithm the key does not take. */
static void test_verify_contexts(void)
{
    EVP_PKEY_CTX *seen[16];
    size_t n = 0;
    const gg_jwk *last = NULL;
    gg_jws_alg last_alg = GG_JWS_UNKNOWN;
    for (size_t k = 0; k < keys->count; k++)
        for (gg_jws_alg alg = GG_JWS_RS256; alg <= GG_JWS_ES384; alg++) {
            EVP_PKEY_CTX *ctx = gg_auth_cache_verify_context(verify_cache, &keys->keys[k], alg);
            CHECK((ctx != NULL) == (keys->keys[k].verify[alg] != NULL));
            if (ctx == NULL) continue;
            CHECK(ctx != keys->keys[k].verify[alg]); /* the thread's copy, not the key set's */
            CHECK(EVP_PKEY_CTX_get0_pkey(ctx) == keys->keys[k].pkey);
            for (size_t i = 0; i < n; i++)
                CHECK(seen[i] != ctx);
            if (n < 16) seen[n++] = ctx;
            last = &keys->keys[k];
            last_alg = alg;
        }
    CHECK(n >= 3);
    /* The most recent ones are still kept: asked again, the same context. */
    CHECK(gg_auth_cache_verify_context(verify_cache, last, last_alg) == seen[n - 1]);
    CHECK(gg_auth_cache_verify_context(NULL, last, last_alg) == NULL);
}

int main(void)
{
    rsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    ec_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ec384_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    char *j1 = test_jwk(rsa_key, "r", NULL), *j2 = test_jwk(ec_key, "e", NULL), *j3 = test_jwk(ec384_key, "e384", NULL),
         *j4 = test_jwk(rsa_key, "r256", "RS256");
    ed_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    ed448_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
    other_ed_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    char *j5 = test_jwk(ed_key, "ed", NULL), *j6 = test_jwk(ed_key, "ed-alg", "EdDSA"),
         *j7 = test_jwk(ed448_key, "ed448", NULL);
    char doc[20000], err[256] = "";
    snprintf(doc, sizeof doc, "{\"keys\":[%s,%s,%s,%s,%s,%s,%s]}", j1, j2, j3, j4, j5, j6, j7);
    free(j1);
    free(j2);
    free(j3);
    free(j4);
    free(j5);
    free(j6);
    free(j7);
    keys = gg_keyset_parse(doc, strlen(doc), GG_FAULT_INTO(err));
    if (keys == NULL) {
        fprintf(stderr, "key set: %s\n", err);
        return 1;
    }
    RUN(test_base64url);
    RUN(test_parse);
    RUN(test_hmac);
    RUN(test_pinned_keys);
    RUN(test_ecdsa_shapes);
    RUN(test_eddsa);
    RUN(test_eddsa_pinning);
    RUN(test_claims);
    RUN(test_keyset_parse);
    /* Again with a thread's cache: every signature, good and bad, of every algorithm checked on the
     * kept contexts, one after the other. */
    verify_cache = gg_auth_cache_new(4);
    RUN(test_hmac);
    RUN(test_pinned_keys);
    RUN(test_ecdsa_shapes);
    RUN(test_eddsa);
    RUN(test_eddsa_pinning);
    RUN(test_claims);
    RUN(test_verify_contexts);
    gg_auth_cache_free(verify_cache);
    gg_keyset_free(keys);
    EVP_PKEY_free(rsa_key);
    EVP_PKEY_free(ec_key);
    EVP_PKEY_free(ec384_key);
    EVP_PKEY_free(ed_key);
    EVP_PKEY_free(ed448_key);
    EVP_PKEY_free(other_ed_key);
    return test_summary();
}
