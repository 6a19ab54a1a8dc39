/* auth_calls.c: a fixed number of request authorizations, for counting instructions with callgrind.
 *
 * On a shared, loaded machine CPU time per request swings with the neighbours; the instructions a
 * request executes do not. This program runs one case a fixed number of times through
 * gg_gateway_authorize (what the HTTP handler calls: mode selection, the token cache, verification,
 * the identity) and releases each identity as a finished request does. Everything outside
 * run_case (keys, tokens, filling the cache) is set-up, so count only inside it:
 *
 *     valgrind --tool=callgrind --toggle-collect=run_case --callgrind-out-file=/dev/null \
 *         build/tests/bench/auth_calls CASE COUNT
 *
 * and divide the "Collected" instructions by COUNT. Cases: key (an API key), cached (one RS256
 * token the cache holds), miss (RS256 tokens cycling through four times the cache's capacity, so each is
 * a full verification that also evicts the least recently used identity, as in auth_http.sh),
 * verify (EVP_PKEY_verify of one RS256 signature over a precomputed digest with a context made
 * once, the core of `openssl speed rsa2048`: the floor of the miss case), miss_full (HS256 tokens
 * cycling through four times the server's cache of AUTH_CACHE_TOKENS_SERVER, so each is a miss
 * that evicts from a full cache of the size a worker has: with --cache-sim=yes, the processor
 * cache misses of the token cache's structure and of the evicted identities show beside an
 * HMAC, the cheapest verification). Prints nothing but errors; tests/bench/auth_instructions.sh
 * runs it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../server/gateway/authorize.h"
#include "internal.h"
#include "token_helpers.h"

#define CACHE_CAPACITY 64
#define MISS_TOKENS (4 * CACHE_CAPACITY) /* four per way: no set draws few enough to answer hits */
#define AUTH_CACHE_TOKENS_SERVER 4096    /* AUTH_CACHE_TOKENS of server/http/server.c */
#define FULL_TOKENS (4 * AUTH_CACHE_TOKENS_SERVER)
#define HS_SECRET "auth-calls-bench-secret-of-32-bytes-or-more"

typedef struct bench {
    gg_auth_verifier *verifier;
    gg_auth_cache *cache;
    const char *api_key;
    char **tokens;
    size_t token_count;
    struct sockaddr_in peer;
    EVP_PKEY_CTX *verify;
    unsigned char digest[32], signature[256];
    size_t signature_len;
} bench;

static void authorize_one(bench *b, const char *api_key, const char *token)
{
    gg_auth_refusal refusal;
    gg_auth_identity *identity =
        gg_gateway_authorize(b->verifier, b->cache, api_key, api_key ? strlen(api_key) : 0, token,
                             token ? strlen(token) : 0, (const struct sockaddr *)&b->peer, sizeof b->peer, &refusal);
    if (identity == NULL) {
        fprintf(stderr, "auth_calls: refused: %s\n", refusal.reason);
        exit(1);
    }
    gg_auth_identity_release(identity);
}

__attribute__((noinline)) static void run_case(bench *b, const char *name, long count)
{
    for (long i = 0; i < count; i++) {
        if (strcmp(name, "key") == 0)
            authorize_one(b, b->api_key, NULL);
        else if (strcmp(name, "cached") == 0)
            authorize_one(b, NULL, b->tokens[0]);
        else if (strcmp(name, "miss") == 0 || strcmp(name, "miss_full") == 0)
            authorize_one(b, NULL, b->tokens[(size_t)i % b->token_count]);
        else if (EVP_PKEY_verify(b->verify, b->signature, b->signature_len, b->digest, sizeof b->digest) != 1)
            exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: auth_calls key|cached|miss|verify|miss_full COUNT\n");
        return 2;
    }
    const char *name = argv[1];
    long count = atol(argv[2]);
    char dir[] = "/tmp/gg-auth-calls-XXXXXX", path[256], err[512] = "";
    if (mkdtemp(dir) == NULL) return 1;
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    char *jwk = test_jwk(rsa, "r", NULL);
    snprintf(path, sizeof path, "%s/jwks.json", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"keys\":[%s]}", jwk);
    fclose(f);
    free(jwk);
    char secret_path[256];
    snprintf(secret_path, sizeof secret_path, "%s/hs.secret", dir);
    f = fopen(secret_path, "w");
    fputs(HS_SECRET, f);
    fclose(f);
    char json[1024];
    snprintf(json, sizeof json,
             "{\"default_mode\":\"OPENID_CONNECT\",\"additional_modes\":[\"API_KEY\"],\"oidc\":{\"issuer\":"
             "\"https://bench.test\",\"jwks_file\":\"%s\",\"hs256_secret_file\":\"%s\"}}",
             path, secret_path);
    cJSON *doc = cJSON_Parse(json);
    gg_auth_config *cfg = gg_auth_config_parse(doc, NULL, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    bench b = {.api_key = "da2-benchbenchbenchbenchbench"};
    gg_auth_config_add_api_keys(cfg, b.api_key, GG_FAULT_INTO(err));
    b.verifier = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    if (b.verifier == NULL) {
        fprintf(stderr, "auth_calls: %s\n", err);
        return 1;
    }
    bool full = strcmp(name, "miss_full") == 0;
    b.cache = gg_auth_cache_new(full ? AUTH_CACHE_TOKENS_SERVER : CACHE_CAPACITY);
    b.peer.sin_family = AF_INET;
    b.peer.sin_port = htons(40000);
    b.peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* The tokens of auth_http.sh: iss, sub, iat, exp; one sub per token. */
    b.token_count = full ? FULL_TOKENS : strcmp(name, "miss") == 0 ? MISS_TOKENS : 1;
    b.tokens = calloc(b.token_count, sizeof *b.tokens);
    for (size_t i = 0; i < b.token_count; i++) {
        char payload[256];
        snprintf(payload, sizeof payload,
                 "{\"iss\":\"https://bench.test\",\"sub\":\"bench-user-%zu\",\"iat\":%ld,\"exp\":%ld}", i,
                 (long)time(NULL), (long)time(NULL) + 3600);
        b.tokens[i] =
            full ? test_token("HS256", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, NULL, HS_SECRET,
                              strlen(HS_SECRET))
                 : test_token("RS256", "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"r\"}", payload, rsa, NULL, 0);
    }
    /* Set-up outside the count: the cache full (and the cached token in it), the verify context. */
    for (size_t i = 0; i < b.token_count; i++)
        authorize_one(&b, NULL, b.tokens[i]);
    authorize_one(&b, b.api_key, NULL);
    gg_jwt jwt;
    gg_jwt_parse(b.tokens[0], strlen(b.tokens[0]), &jwt);
    memcpy(b.signature, jwt.signature, jwt.signature_len);
    b.signature_len = jwt.signature_len;
    unsigned digest_len = 0;
    EVP_Digest(jwt.signing_input, jwt.signing_input_len, b.digest, &digest_len, EVP_sha256(), NULL);
    gg_jwt_clear(&jwt);
    b.verify = EVP_PKEY_CTX_new_from_pkey(NULL, rsa, NULL);
    EVP_PKEY_verify_init(b.verify);
    EVP_PKEY_CTX_set_rsa_padding(b.verify, RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(b.verify, EVP_sha256());

    run_case(&b, name, count);

    EVP_PKEY_CTX_free(b.verify);
    for (size_t i = 0; i < b.token_count; i++)
        free(b.tokens[i]);
    free(b.tokens);
    gg_auth_cache_free(b.cache);
    gg_auth_verifier_free(b.verifier);
    gg_auth_config_free(cfg);
    EVP_PKEY_free(rsa);
    unlink(path);
    unlink(secret_path);
    rmdir(dir);
    return 0;
}
