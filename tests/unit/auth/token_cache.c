/* Unit tests of server/auth/token_cache.c: lookups, expiry, least-recently-used eviction within a
 * set, references, the signed part a hit must match. */
#include "internal.h"
#include "test.h"

/* An identity laid out as the verifier makes one: one allocation (the struct, the groups array,
 * the strings), which releasing it frees. */
static gg_auth_identity *identity(const char *sub)
{
    gg_auth_identity *id = calloc(1, sizeof *id + sizeof(char *) + strlen(sub) + 1);
    id->refs = 1;
    id->mode = GG_AUTH_OPENID_CONNECT;
    id->groups = (char **)(id + 1);
    id->sub = strcpy((char *)(id->groups + 1), sub);
    return id;
}

static void hash_of(int n, unsigned char hash[32])
{
    memset(hash, 0, 32);
    hash[0] = (unsigned char)n; /* the bucket index comes from the first bytes: collide on purpose */
    hash[31] = (unsigned char)(n * 7);
}

static void test_get_put_expiry(void)
{
    gg_auth_cache *cache = gg_auth_cache_new(4);
    unsigned char h[32];
    hash_of(1, h);
    CHECK(gg_auth_cache_get(cache, h, "h.p", 3, 100) == NULL);
    gg_auth_identity *a = identity("a");
    gg_auth_cache_put(cache, h, "h.p", 3, a, 200);
    CHECK_INT(a->refs, 2);
    gg_auth_identity *hit = gg_auth_cache_get(cache, h, "h.p", 3, 150);
    CHECK(hit == a);
    CHECK_INT(a->refs, 3);
    gg_auth_identity_release(hit);
    CHECK(gg_auth_cache_get(cache, h, "h.p", 3, 200) == a); /* valid through valid_until */
    gg_auth_identity_release(a);
    CHECK(gg_auth_cache_get(cache, h, "h.p", 3, 201) == NULL); /* then dropped */
    CHECK_INT(gg_auth_cache_count(cache), 0);
    CHECK_INT(a->refs, 1);
    gg_auth_identity_release(a);
    gg_auth_cache_free(cache);
}

/* A key finds an entry, its bytes must then match: the same key with other bytes (same length
 * or not) is a miss, and leaves the verified token's entry in place. */
static void test_signed_part_must_match(void)
{
    gg_auth_cache *cache = gg_auth_cache_new(4);
    unsigned char h[32];
    hash_of(2, h);
    gg_auth_identity *a = identity("a");
    gg_auth_cache_put(cache, h, "hdr.payload-a", 13, a, 1000);
    CHECK(gg_auth_cache_get(cache, h, "hdr.payload-b", 13, 1) == NULL);
    CHECK(gg_auth_cache_get(cache, h, "hdr.payload-aa", 14, 1) == NULL);
    CHECK(gg_auth_cache_get(cache, h, "hdr.payload-", 12, 1) == NULL);
    CHECK_INT(gg_auth_cache_count(cache), 1);
    gg_auth_identity *hit = gg_auth_cache_get(cache, h, "hdr.payload-a", 13, 1);
    CHECK(hit == a);
    gg_auth_identity_release(hit);
    gg_auth_identity_release(a);
    gg_auth_cache_free(cache);
}

static void test_lru(void)
{
    gg_auth_cache *cache = gg_auth_cache_new(3);
    unsigned char h[32];
    gg_auth_identity *ids[5];
    for (int i = 0; i < 3; i++) {
        hash_of(i, h);
        ids[i] = identity("x");
        gg_auth_cache_put(cache, h, "h.p", 3, ids[i], 1000);
        gg_auth_identity_release(ids[i]); /* the cache holds the only reference */
    }
    hash_of(0, h);
    gg_auth_identity *zero = gg_auth_cache_get(cache, h, "h.p", 3, 1); /* 0 becomes the most recent */
    CHECK(zero == ids[0]);
    gg_auth_identity_release(zero);
    hash_of(3, h);
    ids[3] = identity("y");
    gg_auth_cache_put(cache, h, "h.p", 3, ids[3], 1000); /* evicts 1, the least recently used */
    gg_auth_identity_release(ids[3]);
    CHECK_INT(gg_auth_cache_count(cache), 3);
    for (int i = 0; i < 4; i++) {
        hash_of(i, h);
        gg_auth_identity *got = gg_auth_cache_get(cache, h, "h.p", 3, 1);
        CHECK((got != NULL) == (i != 1));
        gg_auth_identity_release(got);
    }
    /* Replacing a key keeps one entry. */
    hash_of(2, h);
    ids[4] = identity("z");
    gg_auth_cache_put(cache, h, "h.p", 3, ids[4], 1000);
    gg_auth_identity_release(ids[4]);
    CHECK_INT(gg_auth_cache_count(cache), 3);
    gg_auth_identity *got = gg_auth_cache_get(cache, h, "h.p", 3, 1);
    CHECK(got != NULL && strcmp(got->sub, "z") == 0);
    gg_auth_identity_release(got);
    /* Expired entries free their slots for reuse; many rounds stay within capacity. */
    for (int round = 0; round < 50; round++) {
        hash_of(10 + round, h);
        gg_auth_identity *id = identity("r");
        gg_auth_cache_put(cache, h, "h.p", 3, id, round % 2 ? 5 : 1000);
        gg_auth_identity_release(id);
        gg_auth_identity *again = gg_auth_cache_get(cache, h, "h.p", 3, 10);
        CHECK((again == NULL) == (round % 2 == 1));
        gg_auth_identity_release(again);
    }
    CHECK(gg_auth_cache_count(cache) <= 3);
    gg_auth_cache_free(cache);
}

/* A key in set s (bytes 8-11) with tag n (byte 0). */
static void key_in_set(int s, int n, unsigned char key[32])
{
    memset(key, 0, 32);
    key[0] = (unsigned char)n;
    key[8] = (unsigned char)s;
}

static void test_sets(void)
{
    gg_auth_cache *cache = gg_auth_cache_new(16); /* two sets of eight */
    unsigned char k[32];
    for (int n = 0; n < 8; n++) { /* set 1 full, then set 0 filled past its eight ways */
        key_in_set(1, n, k);
        gg_auth_identity *id = identity("one");
        gg_auth_cache_put(cache, k, "h.p", 3, id, 1000);
        gg_auth_identity_release(id);
    }
    for (int n = 0; n < 12; n++) {
        key_in_set(0, n, k);
        gg_auth_identity *id = identity("zero");
        gg_auth_cache_put(cache, k, "h.p", 3, id, 1000);
        gg_auth_identity_release(id);
        if (n == 7) { /* touch 0: 1, 2, 3 and 4 are then the least recently used of set 0 */
            key_in_set(0, 0, k);
            gg_auth_identity_release(gg_auth_cache_get(cache, k, "h.p", 3, 1));
        }
    }
    CHECK_INT(gg_auth_cache_count(cache), 16);
    for (int n = 0; n < 12; n++) { /* set 0 kept 0 and 5-11 */
        key_in_set(0, n, k);
        gg_auth_identity *got = gg_auth_cache_get(cache, k, "h.p", 3, 1);
        CHECK((got != NULL) == (n == 0 || n >= 5));
        gg_auth_identity_release(got);
    }
    for (int n = 0; n < 8; n++) { /* set 1 untouched by set 0's evictions */
        key_in_set(1, n, k);
        gg_auth_identity *got = gg_auth_cache_get(cache, k, "h.p", 3, 1);
        CHECK(got != NULL && strcmp(got->sub, "one") == 0);
        gg_auth_identity_release(got);
    }
    /* The same tag with another key is another entry. */
    key_in_set(1, 3, k);
    k[31] = 1;
    CHECK(gg_auth_cache_get(cache, k, "h.p", 3, 1) == NULL);
    gg_auth_cache_free(cache);
}

/* Freeing a cache releases every entry's identity, in whichever set it is (a worker's cache has
 * 512 sets; freeing reads only the sets of a cache that holds entries), and an empty one frees. */
static void test_free_releases_entries(void)
{
    gg_auth_cache *cache = gg_auth_cache_new(4096);
    gg_auth_identity *ids[40];
    for (int i = 0; i < 40; i++) {
        unsigned char h[32];
        memset(h, 0, 32);
        h[0] = (unsigned char)i;        /* distinct tags */
        h[8] = (unsigned char)(i * 37); /* spread over the sets */
        h[9] = (unsigned char)(i % 2);
        ids[i] = identity("x");
        gg_auth_cache_put(cache, h, "h.p", 3, ids[i], 1000);
        CHECK_INT(ids[i]->refs, 2);
    }
    CHECK_INT(gg_auth_cache_count(cache), 40);
    gg_auth_cache_free(cache);
    for (int i = 0; i < 40; i++) {
        CHECK_INT(ids[i]->refs, 1);
        gg_auth_identity_release(ids[i]);
    }
    gg_auth_cache_free(gg_auth_cache_new(4096));
}

int main(void)
{
    RUN(test_get_put_expiry);
    RUN(test_signed_part_must_match);
    RUN(test_lru);
    RUN(test_sets);
    RUN(test_free_releases_entries);
    return test_summary();
}
