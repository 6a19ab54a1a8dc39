/* token_cache.c: the per-thread cache of verified tokens, keyed by a hash of their signatures.
 *
 * Set-associative: the key picks a set of at most GG_CACHE_WAYS entries, and a token is looked for,
 * inserted and evicted within that set only, the set's least recently used going when it is full.
 * A set is two processor cache lines (the tags, the first 8 bytes of each key, then the recency
 * clock and the occupied ways) and an entry one: a lookup reads the tags and the entry whose tag
 * matches; a miss that inserts reads the set's second line and writes the victim's entry. (A global least-recently-used
 * list made every miss of a full cache touch the list's cold neighbours and walk the victim's chain: cache misses of
 * the processor that cost a miss more than the instructions did.) Entries and sets are allocated once; nothing
 * allocates after creation. With fewer entries than ways the cache is one set: exactly least recently used.
 *
 * A JWT's key (gg_auth_cache_jws_key) mixes the last 32 characters of its signature with the cache's
 * random seed, and its entry keeps the whole token, which a hit must match byte for byte, copied by
 * the caller into the identity's own allocation (the entry holds a reference, so the copy lives as
 * long as the entry; a miss allocates one block, an eviction frees one). The key only places and
 * finds an entry: what answers is the byte comparison, so the key needs no cryptographic hash. A
 * signature (RSA, ECDSA, EdDSA, HMAC) is bytes that no one without the signing key can choose, so its tail
 * spreads verified tokens over the sets evenly; the seed keeps where a token lands unpredictable; a
 * token made to share a cached token's key (the same tail on another signature or content) is a miss
 * and then refused by verification, and takes nothing from the cache. A hit costs the key from four
 * words and one comparison of the token: a cached authorization takes about 90 ns (auth_calls, a
 * loop) where the SHA-256 of an RS256 signature alone took about 300 (under valgrind 12,000 of the
 * whole request's 44,000 instructions, in OpenSSL's portable SHA code). The cache
 * does hold the verified tokens themselves, until their exp at most: a dump of the process's memory
 * could replay one, as it could from the request buffers that carried it.
 *
 * An AWS_LAMBDA decision's key is the SHA-256 of its token (lambda.c), its entry matched against
 * nothing further (no bytes): the two kinds never answer for each other (a JWT entry keeps bytes, a
 * decision none). An entry stops answering at its valid_until (exp, TTLs and leeway included) and is
 * then dropped. The cache is private to one thread: no locks. It also keeps the thread's SHA-256
 * context, fetched once (OpenSSL 3's one-shot SHA256() looks the algorithm up on every call), and the
 * thread's verify contexts, one per key and algorithm in use (a verification then neither allocates
 * nor copies one: an OpenSSL context may not be used by two threads at once, so they are the
 * thread's).
 * Sets and entries come zeroed from their own mmap, never written over with memset: the pages are
 * touched when the cache fills, not by every thread at start-up (calloc from the C library's heap
 * clears what it reuses: some 30 page faults per worker, each ~12-28 us on this project's VMs),
 * and freeing an empty cache reads none of them. The random seed comes from getrandom(2), the
 * kernel's generator (as trace.c's): OpenSSL's RAND_bytes set up its DRBGs, the process's and one
 * per worker thread (AES-CTR, some 40 page faults), on every worker's start for this one call. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "internal.h"
#include "metrics/metrics.h"

#define GG_CACHE_WAYS 8

/* Two processor cache lines: the tags, then the rest. */
typedef struct cache_set {
    _Alignas(64) uint64_t tags[GG_CACHE_WAYS]; /* the first 8 bytes of each way's key */
    uint32_t used[GG_CACHE_WAYS];              /* the set's clock when each way was last used */
    uint32_t clock;
    uint32_t occupied; /* a bit per way that holds an entry */
} cache_set;

/* One processor cache line. */
typedef struct cache_entry {
    _Alignas(64) unsigned char key[32];
    gg_auth_identity *identity;
    int64_t valid_until;
    const char *content; /* the bytes a hit must match (a JWT: the whole token): inside the identity's allocation */
    uint32_t content_len;
} cache_entry;

#define GG_VERIFY_CONTEXTS 8

struct gg_auth_cache {
    cache_set *sets;
    cache_entry *entries;             /* ways entries per set, set after set */
    size_t sets_bytes, entries_bytes; /* their mappings' sizes (munmap) */
    uint32_t ways, set_mask, count;
    uint64_t seed[2]; /* of gg_auth_cache_jws_key */
    EVP_MD *sha256;
    EVP_MD_CTX *digest;
    /* The thread's verify contexts (gg_auth_cache_verify_context). Each holds a reference to its
     * key's EVP_PKEY, so that key's address names no other key while the context is kept, even
     * after a JWKS refresh retired it. */
    struct {
        EVP_PKEY_CTX *ctx;
        gg_jws_alg alg;
    } verify[GG_VERIFY_CONTEXTS];
    uint32_t verify_next;
};

/* bytes of zeroes at a page (so a processor cache line) boundary, untouched until used; NULL when out of memory */
static void *zeroed_pages(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p != MAP_FAILED ? p : NULL;
}

gg_auth_cache *gg_auth_cache_new(size_t capacity)
{
    if (capacity == 0) capacity = 1;
    if (capacity > (1u << 24)) capacity = 1u << 24;
    uint32_t ways = capacity < GG_CACHE_WAYS ? (uint32_t)capacity : GG_CACHE_WAYS, sets = 1;
    while ((size_t)sets * ways < capacity)
        sets <<= 1;
    gg_auth_cache *cache = calloc(1, sizeof *cache);
    if (cache == NULL) return NULL;
    cache->sets_bytes = sets * sizeof *cache->sets;
    cache->entries_bytes = (size_t)sets * ways * sizeof *cache->entries;
    cache->sets = zeroed_pages(cache->sets_bytes);
    cache->entries = zeroed_pages(cache->entries_bytes);
    cache->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    cache->digest = EVP_MD_CTX_new();
    cache->ways = ways;
    cache->set_mask = sets - 1;
    if (getrandom(cache->seed, sizeof cache->seed, 0) != (ssize_t)sizeof cache->seed) {
        cache->seed[0] = (uint64_t)(uintptr_t)cache ^ (uint64_t)time(NULL); /* placement only: never correctness */
        cache->seed[1] = (uint64_t)(uintptr_t)cache->sets;
    }
    if (cache->sets == NULL || cache->entries == NULL || cache->sha256 == NULL || cache->digest == NULL) {
        gg_auth_cache_free(cache);
        return NULL;
    }
    return cache;
}

void gg_auth_cache_sha256(gg_auth_cache *cache, const void *data, size_t len, unsigned char out[32])
{
    unsigned int out_len = 0;
    if (cache == NULL || EVP_DigestInit_ex(cache->digest, cache->sha256, NULL) != 1 ||
        EVP_DigestUpdate(cache->digest, data, len) != 1 || EVP_DigestFinal_ex(cache->digest, out, &out_len) != 1)
        SHA256(data, len, out);
}

/* A 64-bit mix in which every input bit moves about half of the output bits. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15u;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9u;
    return x ^ (x >> 32);
}

void gg_auth_cache_jws_key(const gg_auth_cache *cache, const char *signature, size_t len, unsigned char key[32])
{
    uint64_t words[4] = {0};
    size_t n = len < sizeof words ? len : sizeof words;
    memcpy(words, signature + len - n, n);
    uint64_t a = cache->seed[0] ^ len, b = cache->seed[1];
    for (size_t i = 0; i < 4; i++) {
        a = mix64(a ^ words[i]);
        b = mix64(b + words[i]);
    }
    memset(key, 0, 32);
    memcpy(key, &a, sizeof a);
    memcpy(key + 8, &b, sizeof b);
}

static void way_clear(gg_auth_cache *cache, uint32_t s, uint32_t w);

void gg_auth_cache_free(gg_auth_cache *cache)
{
    if (cache == NULL) return;
    EVP_MD_CTX_free(cache->digest);
    EVP_MD_free(cache->sha256);
    for (size_t i = 0; i < GG_VERIFY_CONTEXTS; i++)
        EVP_PKEY_CTX_free(cache->verify[i].ctx);
    for (size_t s = 0; cache->count > 0 && cache->sets != NULL && s <= cache->set_mask; s++)
        for (uint32_t w = 0; w < cache->ways; w++)
            if ((cache->sets[s].occupied & (1u << w)) != 0) way_clear(cache, (uint32_t)s, w);
    if (cache->entries != NULL) munmap(cache->entries, cache->entries_bytes);
    if (cache->sets != NULL) munmap(cache->sets, cache->sets_bytes);
    free(cache);
}

EVP_PKEY_CTX *gg_auth_cache_verify_context(gg_auth_cache *cache, const gg_jwk *key, gg_jws_alg alg)
{
    if (cache == NULL || alg >= GG_JWS_DIGEST_ALGS || key->verify[alg] == NULL) return NULL;
    for (size_t i = 0; i < GG_VERIFY_CONTEXTS; i++)
        if (cache->verify[i].ctx != NULL && cache->verify[i].alg == alg &&
            EVP_PKEY_CTX_get0_pkey(cache->verify[i].ctx) == key->pkey)
            return cache->verify[i].ctx;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_dup(key->verify[alg]);
    if (ctx == NULL) return NULL;
    size_t slot = cache->verify_next++ % GG_VERIFY_CONTEXTS;
    EVP_PKEY_CTX_free(cache->verify[slot].ctx);
    cache->verify[slot].ctx = ctx;
    cache->verify[slot].alg = alg;
    return ctx;
}

size_t gg_auth_cache_count(const gg_auth_cache *cache)
{
    return cache ? cache->count : 0;
}

static uint64_t tag_of(const unsigned char key[32])
{
    uint64_t tag;
    memcpy(&tag, key, sizeof tag);
    return tag;
}

/* The set of a key: bytes 8-11, apart from the tag's. */
static uint32_t set_of(const gg_auth_cache *cache, const unsigned char key[32])
{
    uint32_t s;
    memcpy(&s, key + 8, sizeof s);
    return s & cache->set_mask;
}

/* The way of the set holding key, or -1. */
static int way_of(const gg_auth_cache *cache, uint32_t s, const unsigned char key[32])
{
    const cache_set *set = &cache->sets[s];
    uint64_t tag = tag_of(key);
    for (uint32_t w = 0; w < cache->ways; w++)
        if (set->tags[w] == tag && (set->occupied & (1u << w)) != 0 &&
            memcmp(cache->entries[(size_t)s * cache->ways + w].key, key, 32) == 0)
            return (int)w;
    return -1;
}

static void way_clear(gg_auth_cache *cache, uint32_t s, uint32_t w)
{
    cache_entry *e = &cache->entries[(size_t)s * cache->ways + w];
    gg_auth_identity_release(e->identity);
    e->identity = NULL;
    e->content = NULL;
    cache->sets[s].occupied &= ~(1u << w);
    cache->count--;
}

gg_auth_identity *gg_auth_cache_get(gg_auth_cache *cache, const unsigned char key[32], const char *content,
                                    size_t content_len, int64_t now)
{
    uint32_t s = set_of(cache, key);
    int w = way_of(cache, s, key);
    cache_entry *e = w < 0 ? NULL : &cache->entries[(size_t)s * cache->ways + (uint32_t)w];
    if (e != NULL && (e->content_len != content_len || memcmp(e->content, content, content_len) != 0))
        e = NULL; /* another token with a cached token's key: a miss, the entry stays */
    gg_metrics_count(e != NULL && now <= e->valid_until ? GG_METRIC_JWT_CACHE_HITS : GG_METRIC_JWT_CACHE_MISSES);
    if (e == NULL) return NULL;
    if (now > e->valid_until) {
        way_clear(cache, s, (uint32_t)w);
        return NULL;
    }
    cache->sets[s].used[w] = ++cache->sets[s].clock;
    return gg_auth_identity_ref(e->identity);
}

void gg_auth_cache_put(gg_auth_cache *cache, const unsigned char key[32], const char *content, size_t content_len,
                       gg_auth_identity *identity, int64_t valid_until)
{
    if (content_len > UINT32_MAX) return;
    uint32_t s = set_of(cache, key);
    cache_set *set = &cache->sets[s];
    int found = way_of(cache, s, key);
    uint32_t w = 0;
    if (found >= 0) {
        w = (uint32_t)found;
        way_clear(cache, s, w);
    } else {
        /* A free way, else the one unused for longest (clock - used is wrap-safe). */
        uint32_t oldest_age = 0;
        for (uint32_t i = 0; i < cache->ways; i++) {
            if ((set->occupied & (1u << i)) == 0) {
                w = i;
                break;
            }
            uint32_t age = set->clock - set->used[i];
            if (i == 0 || age > oldest_age) {
                oldest_age = age;
                w = i;
            }
        }
        if ((set->occupied & (1u << w)) != 0) way_clear(cache, s, w);
    }
    cache_entry *e = &cache->entries[(size_t)s * cache->ways + w];
    memcpy(e->key, key, 32);
    e->content = content;
    e->content_len = (uint32_t)content_len;
    e->identity = gg_auth_identity_ref(identity);
    e->valid_until = valid_until;
    set->tags[w] = tag_of(key);
    set->used[w] = ++set->clock;
    set->occupied |= 1u << w;
    cache->count++;
}
