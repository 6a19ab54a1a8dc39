/* token_cache.c: the per-thread cache of verified tokens, keyed by the SHA-256 of the token.
 *
 * A fixed array of entries allocated once, a power-of-two bucket array of chains (an entry knows its
 * next in chain) and a doubly linked recency list: lookup, insertion and eviction are O(1) and never
 * allocate after creation. The token itself is not stored, only its hash, so the cache holds no
 * secret a memory dump could replay without also breaking SHA-256. An entry stops answering at its
 * valid_until (exp, TTLs and leeway included) and is then dropped. The cache is private to one
 * thread: no locks. It stays behind the small interface of internal.h so its structure can change
 * without touching the verifier. It also keeps the thread's SHA-256 context, fetched once: OpenSSL 3's
 * one-shot SHA256() looks the algorithm up on every call, which doubles the cost of a hot token. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "internal.h"
#include "metrics/metrics.h"

#define NIL UINT32_MAX

typedef struct cache_entry {
    unsigned char hash[32];
    gg_auth_identity *identity; /* NULL: free entry */
    int64_t valid_until;
    uint32_t chain_next;
    uint32_t newer, older;
} cache_entry;

struct gg_auth_cache {
    cache_entry *entries;
    uint32_t *buckets;
    uint32_t capacity, bucket_mask, count;
    uint32_t newest, oldest; /* recency list */
    uint32_t free_next;      /* next never-used entry */
    uint32_t free_list;      /* removed entries, linked through chain_next */
    EVP_MD *sha256;
    EVP_MD_CTX *digest;
};

gg_auth_cache *gg_auth_cache_new(size_t capacity)
{
    if (capacity == 0) capacity = 1;
    if (capacity > (1u << 24)) capacity = 1u << 24;
    uint32_t buckets = 1;
    while (buckets < capacity)
        buckets <<= 1;
    gg_auth_cache *cache = calloc(1, sizeof *cache);
    if (cache == NULL) return NULL;
    cache->entries = calloc(capacity, sizeof *cache->entries);
    cache->buckets = malloc(buckets * sizeof *cache->buckets);
    cache->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    cache->digest = EVP_MD_CTX_new();
    if (cache->entries == NULL || cache->buckets == NULL || cache->sha256 == NULL || cache->digest == NULL) {
        gg_auth_cache_free(cache);
        return NULL;
    }
    for (uint32_t i = 0; i < buckets; i++)
        cache->buckets[i] = NIL;
    cache->capacity = (uint32_t)capacity;
    cache->bucket_mask = buckets - 1;
    cache->newest = cache->oldest = cache->free_list = NIL;
    return cache;
}

void gg_auth_cache_sha256(gg_auth_cache *cache, const void *data, size_t len, unsigned char out[32])
{
    unsigned int out_len = 0;
    if (cache == NULL || EVP_DigestInit_ex(cache->digest, cache->sha256, NULL) != 1 ||
        EVP_DigestUpdate(cache->digest, data, len) != 1 || EVP_DigestFinal_ex(cache->digest, out, &out_len) != 1)
        SHA256(data, len, out);
}

void gg_auth_cache_free(gg_auth_cache *cache)
{
    if (cache == NULL) return;
    EVP_MD_CTX_free(cache->digest);
    EVP_MD_free(cache->sha256);
    if (cache->entries != NULL)
        for (uint32_t i = 0; i < cache->capacity; i++)
            gg_auth_identity_release(cache->entries[i].identity);
    free(cache->entries);
    free(cache->buckets);
    free(cache);
}

size_t gg_auth_cache_count(const gg_auth_cache *cache)
{
    return cache ? cache->count : 0;
}

static uint32_t bucket_of(const gg_auth_cache *cache, const unsigned char hash[32])
{
    uint32_t b;
    memcpy(&b, hash, sizeof b);
    return b & cache->bucket_mask;
}

static void recency_unlink(gg_auth_cache *cache, uint32_t i)
{
    cache_entry *e = &cache->entries[i];
    if (e->newer != NIL)
        cache->entries[e->newer].older = e->older;
    else
        cache->newest = e->older;
    if (e->older != NIL)
        cache->entries[e->older].newer = e->newer;
    else
        cache->oldest = e->newer;
}

static void recency_push(gg_auth_cache *cache, uint32_t i)
{
    cache_entry *e = &cache->entries[i];
    e->newer = NIL;
    e->older = cache->newest;
    if (cache->newest != NIL) cache->entries[cache->newest].newer = i;
    cache->newest = i;
    if (cache->oldest == NIL) cache->oldest = i;
}

/* Takes entry i out of its chain and the recency list; it keeps its slot for reuse. */
static void entry_remove(gg_auth_cache *cache, uint32_t i)
{
    cache_entry *e = &cache->entries[i];
    uint32_t *link = &cache->buckets[bucket_of(cache, e->hash)];
    while (*link != i)
        link = &cache->entries[*link].chain_next;
    *link = e->chain_next;
    recency_unlink(cache, i);
    gg_auth_identity_release(e->identity);
    e->identity = NULL;
    e->chain_next = cache->free_list;
    cache->free_list = i;
    cache->count--;
}

static uint32_t entry_find(const gg_auth_cache *cache, const unsigned char hash[32])
{
    for (uint32_t i = cache->buckets[bucket_of(cache, hash)]; i != NIL; i = cache->entries[i].chain_next)
        if (memcmp(cache->entries[i].hash, hash, 32) == 0) return i;
    return NIL;
}

gg_auth_identity *gg_auth_cache_get(gg_auth_cache *cache, const unsigned char hash[32], int64_t now)
{
    uint32_t i = entry_find(cache, hash);
    gg_metrics_count(i != NIL && now <= cache->entries[i].valid_until ? GG_METRIC_JWT_CACHE_HITS
                                                                      : GG_METRIC_JWT_CACHE_MISSES);
    if (i == NIL) return NULL;
    if (now > cache->entries[i].valid_until) {
        entry_remove(cache, i);
        return NULL;
    }
    recency_unlink(cache, i);
    recency_push(cache, i);
    return gg_auth_identity_ref(cache->entries[i].identity);
}

void gg_auth_cache_put(gg_auth_cache *cache, const unsigned char hash[32], gg_auth_identity *identity,
                       int64_t valid_until)
{
    uint32_t i = entry_find(cache, hash);
    if (i != NIL) entry_remove(cache, i);
    if (cache->free_list == NIL && cache->free_next == cache->capacity)
        entry_remove(cache, cache->oldest); /* full: the least recently used goes */
    if (cache->free_list != NIL) {
        i = cache->free_list;
        cache->free_list = cache->entries[i].chain_next;
    } else {
        i = cache->free_next++;
    }
    cache_entry *e = &cache->entries[i];
    memcpy(e->hash, hash, 32);
    e->identity = gg_auth_identity_ref(identity);
    e->valid_until = valid_until;
    uint32_t *head = &cache->buckets[bucket_of(cache, hash)];
    e->chain_next = *head;
    *head = i;
    recency_push(cache, i);
    cache->count++;
}
