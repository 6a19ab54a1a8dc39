/* auth_verify.c: what one authorization costs on one core, against OpenSSL's own limit.
 *
 * Measures, in one run: plain EVP_DigestVerify with a cached key and a new context per call (the
 * straightforward way; compare also `openssl speed rsa2048 ecdsap256`), gg_auth_authorize on RS256 and ES256
 * tokens without the cache (parse, signature, claims, identity), the same tokens through the
 * per-thread cache, and an API key. Prints operations per second and the ratios the issue targets
 * (uncached >= 80% of OpenSSL's verify/s). Numbers only: no pass or fail. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "token_helpers.h"

/* CPU time of this thread, as `openssl speed` counts by default: on a shared machine wall-clock
 * rates would measure the neighbours. */
static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run {
    gg_auth_verifier *verifier;
    gg_auth_cache *cache;
    const char *api_key, *token;
} run;

static double rate_authorize(const run *r, double budget_s)
{
    double start = seconds(), elapsed = 0;
    long n = 0;
    gg_auth_refusal refusal;
    while ((elapsed = seconds() - start) < budget_s) {
        for (int i = 0; i < 64; i++, n++) {
            gg_auth_identity *id =
                gg_auth_authorize(r->verifier, r->cache, r->api_key, r->api_key ? strlen(r->api_key) : 0, r->token,
                                  r->token ? strlen(r->token) : 0, &refusal);
            if (id == NULL) {
                fprintf(stderr, "refused: %s\n", refusal.reason);
                exit(1);
            }
            gg_auth_identity_release(id);
        }
    }
    return (double)n / elapsed;
}

/* EVP_DigestVerify of the token's signing input with the cached key: OpenSSL's verify rate. */
static double rate_openssl(const char *token, EVP_PKEY *key, const char *alg, double budget_s)
{
    gg_jwt jwt;
    gg_jwt_parse(token, strlen(token), &jwt);
    unsigned char der[128];
    const unsigned char *sig = jwt.signature;
    size_t sig_len = jwt.signature_len;
    if (alg[0] == 'E') { /* r||s to DER once, outside the loop */
        ECDSA_SIG *e = ECDSA_SIG_new();
        ECDSA_SIG_set0(e, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
        unsigned char *p = der;
        sig_len = (size_t)i2d_ECDSA_SIG(e, &p);
        ECDSA_SIG_free(e);
        sig = der;
    }
    double start = seconds(), elapsed = 0;
    long n = 0;
    while ((elapsed = seconds() - start) < budget_s) {
        for (int i = 0; i < 16; i++, n++) {
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key);
            if (EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)jwt.signing_input, jwt.signing_input_len) !=
                1)
                exit(1);
            EVP_MD_CTX_free(ctx);
        }
    }
    gg_jwt_clear(&jwt);
    return (double)n / elapsed;
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 2.0;
    char dir[] = "/tmp/gg-auth-bench-XXXXXX", path[256], err[512] = "";
    if (mkdtemp(dir) == NULL) return 1;
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    char *j1 = test_jwk(rsa, "r", NULL), *j2 = test_jwk(ec, "e", NULL);
    snprintf(path, sizeof path, "%s/jwks.json", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"keys\":[%s,%s]}", j1, j2);
    fclose(f);
    free(j1);
    free(j2);
    char json[512];
    snprintf(json, sizeof json,
             "{\"default_mode\":\"OPENID_CONNECT\",\"additional_modes\":[\"API_KEY\"],\"oidc\":{\"issuer\":"
             "\"https://bench.test\",\"client_id\":\"app\",\"jwks_file\":\"%s\"}}",
             path);
    cJSON *doc = cJSON_Parse(json);
    gg_auth_config *cfg = gg_auth_config_parse(doc, NULL, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    gg_auth_config_add_api_keys(cfg, "da2-benchbenchbenchbenchbench", GG_FAULT_INTO(err));
    gg_auth_verifier *verifier = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    if (verifier == NULL) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char payload[512];
    snprintf(payload, sizeof payload,
             "{\"iss\":\"https://bench.test\",\"aud\":\"app\",\"sub\":\"u-1\",\"exp\":%ld,\"iat\":%ld,"
             "\"cognito:groups\":[\"a\",\"b\"],\"email\":\"u@example.com\"}",
             (long)time(NULL) + 3600, (long)time(NULL));
    char *rs = test_token("RS256", "{\"alg\":\"RS256\",\"kid\":\"r\"}", payload, rsa, NULL, 0);
    char *es = test_token("ES256", "{\"alg\":\"ES256\",\"kid\":\"e\"}", payload, ec, NULL, 0);
    gg_auth_cache *cache = gg_auth_cache_new(1024);

    double openssl_rs = rate_openssl(rs, rsa, "RS256", budget), openssl_es = rate_openssl(es, ec, "ES256", budget);
    double rs_uncached = rate_authorize(&(run){verifier, NULL, NULL, rs}, budget);
    double es_uncached = rate_authorize(&(run){verifier, NULL, NULL, es}, budget);
    double rs_cached = rate_authorize(&(run){verifier, cache, NULL, rs}, budget);
    double api_key = rate_authorize(&(run){verifier, NULL, "da2-benchbenchbenchbenchbench", NULL}, budget);
    printf("auth_verify (one thread, %.1f s of CPU time per line)\n", budget);
    printf("  EVP_DigestVerify RS256, context per call     %10.0f /s\n", openssl_rs);
    printf("  EVP_DigestVerify ES256, context per call     %10.0f /s\n", openssl_es);
    printf("  authorize RS256, not cached                  %10.0f /s  %5.1f%% of EVP_DigestVerify\n", rs_uncached,
           100 * rs_uncached / openssl_rs);
    printf("  authorize ES256, not cached                  %10.0f /s  %5.1f%% of EVP_DigestVerify\n", es_uncached,
           100 * es_uncached / openssl_es);
    printf("  authorize RS256, cached                      %10.0f /s  %5.1fx uncached\n", rs_cached,
           rs_cached / rs_uncached);
    printf("  authorize API key                            %10.0f /s\n", api_key);

    free(rs);
    free(es);
    gg_auth_cache_free(cache);
    gg_auth_verifier_free(verifier);
    gg_auth_config_free(cfg);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    unlink(path);
    rmdir(dir);
    return 0;
}
