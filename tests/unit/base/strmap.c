/* Tests server/base/strmap.c: put, get, replace, growth past many keys, keys of every length
 * that differ in one byte only (the hash reads words and overlapping tails), binary keys; removal,
 * the use order (insertion, touch, oldest first, kept across growth and removals), heap maps, and
 * long random runs of insertions, touches and removals checked against a plain array. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "test.h"

static void test_put_get(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_strmap m;
    gg_strmap_init(&m, &a);
    CHECK(gg_strmap_gets(&m, "missing") == NULL);
    int one = 1, two = 2;
    CHECK(gg_strmap_put(&m, "a", 1, &one) == NULL);
    CHECK(gg_strmap_gets(&m, "a") == &one);
    CHECK(gg_strmap_put(&m, "a", 1, &two) == &one);
    CHECK(gg_strmap_put_new(&m, "a", 1, &one) == &two);
    CHECK_INT(m.count, 1);
    gg_arena_free(&a);
}

static void test_many(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_strmap m;
    gg_strmap_init(&m, &a);
    char *keys[5000];
    for (int i = 0; i < 5000; i++) {
        keys[i] = gg_arena_printf(&a, "key%d", i);
        gg_strmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
    }
    int found = 0;
    for (int i = 0; i < 5000; i++)
        found += gg_strmap_gets(&m, keys[i]) == keys[i];
    CHECK_INT(found, 5000);
    CHECK(gg_strmap_gets(&m, "key5000") == NULL);
    gg_arena_free(&a);
}

/* Keys of length 0..40 made of 'a's, and each with one byte changed at every position: all
 * distinct, all found, none confused with another. */
static void test_lengths_and_positions(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_strmap m;
    gg_strmap_init(&m, &a);
    int stored = 0;
    for (int len = 0; len <= 40; len++) {
        char *base = gg_arena_alloc(&a, (size_t)len + 1);
        memset(base, 'a', (size_t)len);
        CHECK(gg_strmap_put(&m, base, (size_t)len, base) == NULL);
        stored++;
        for (int pos = 0; pos < len; pos++) {
            char *k = gg_arena_strndup(&a, base, (size_t)len);
            k[pos] = 'b';
            CHECK(gg_strmap_put(&m, k, (size_t)len, k) == NULL);
            stored++;
        }
    }
    CHECK_INT(m.count, stored);
    int found = 0;
    for (int len = 0; len <= 40; len++) {
        char key[41];
        memset(key, 'a', sizeof key);
        void *v = gg_strmap_get(&m, key, (size_t)len);
        found += v != NULL && memcmp(v, key, (size_t)len) == 0;
        for (int pos = 0; pos < len; pos++) {
            key[pos] = 'b';
            v = gg_strmap_get(&m, key, (size_t)len);
            found += v != NULL && memcmp(v, key, (size_t)len) == 0;
            key[pos] = 'a';
        }
    }
    CHECK_INT(found, stored);
    gg_arena_free(&a);
}

/* Keys holding NUL bytes (pointer keys): the length, not a terminator, decides. */
static void test_binary_keys(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_strmap m;
    gg_strmap_init(&m, &a);
    static const char k1[] = {0, 0, 0, 1}, k2[] = {0, 0, 0, 2}, k3[] = {0, 0, 0, 1, 0};
    int v1 = 1, v2 = 2, v3 = 3;
    gg_strmap_put(&m, k1, sizeof k1, &v1);
    gg_strmap_put(&m, k2, sizeof k2, &v2);
    gg_strmap_put(&m, k3, sizeof k3, &v3);
    CHECK(gg_strmap_get(&m, k1, sizeof k1) == &v1);
    CHECK(gg_strmap_get(&m, k2, sizeof k2) == &v2);
    CHECK(gg_strmap_get(&m, k3, sizeof k3) == &v3);
    CHECK(gg_strmap_get(&m, k1, 3) == NULL);
    gg_arena_free(&a);
}

/* Removing a key leaves the others found, makes it absent, and lets it be inserted again. */
static void test_remove(void)
{
    gg_strmap m;
    gg_strmap_init(&m, NULL);
    int v[3] = {0, 1, 2};
    gg_strmap_put(&m, "a", 1, &v[0]);
    gg_strmap_put(&m, "b", 1, &v[1]);
    gg_strmap_put(&m, "c", 1, &v[2]);
    CHECK(gg_strmap_remove(&m, "b", 1) == &v[1]);
    CHECK(gg_strmap_remove(&m, "b", 1) == NULL);
    CHECK(gg_strmap_remove(&m, "zz", 2) == NULL);
    CHECK(gg_strmap_gets(&m, "b") == NULL);
    CHECK(gg_strmap_gets(&m, "a") == &v[0]);
    CHECK(gg_strmap_gets(&m, "c") == &v[2]);
    CHECK_INT(m.count, 2);
    CHECK(gg_strmap_put(&m, "b", 1, &v[0]) == NULL);
    CHECK(gg_strmap_gets(&m, "b") == &v[0]);
    gg_strmap_free(&m);
    CHECK_INT(m.count, 0);
    CHECK(gg_strmap_gets(&m, "a") == NULL);
    CHECK(gg_strmap_remove(&m, "a", 1) == NULL);
    CHECK(gg_strmap_oldest(&m) == NULL);
    CHECK(gg_strmap_remove_oldest(&m) == NULL);
    gg_strmap_free(&m);
}

/* The order is the insertion order; a touch makes a key the newest, a replaced value keeps its
 * place, and removing the oldest returns the least recently used first. */
static void test_lru_order(void)
{
    gg_strmap m;
    gg_strmap_init(&m, NULL);
    static const char *keys[] = {"k0", "k1", "k2", "k3", "k4"};
    for (int i = 0; i < 5; i++)
        gg_strmap_put(&m, keys[i], 2, (void *)keys[i]);
    CHECK(gg_strmap_oldest(&m) == keys[0]);
    CHECK(gg_strmap_touch(&m, "k0", 2, gg_strmap_hash("k0", 2)) == keys[0]);
    CHECK(gg_strmap_touch(&m, "k2", 2, gg_strmap_hash("k2", 2)) == keys[2]);
    CHECK(gg_strmap_touch(&m, "k9", 2, gg_strmap_hash("k9", 2)) == NULL);
    gg_strmap_put(&m, "k1", 2, (void *)keys[1]); /* replaced: stays the oldest */
    /* now, oldest first: k1 k3 k4 k0 k2 */
    CHECK(gg_strmap_oldest(&m) == keys[1]);
    CHECK(gg_strmap_remove_oldest(&m) == keys[1]);
    CHECK(gg_strmap_remove(&m, "k4", 2) == keys[4]);
    gg_strmap_put(&m, "k4", 2, (void *)keys[4]); /* inserted again: the newest */
    static const int expected[] = {3, 0, 2, 4};
    for (int i = 0; i < 4; i++)
        CHECK(gg_strmap_remove_oldest(&m) == keys[expected[i]]);
    CHECK_INT(m.count, 0);
    CHECK(gg_strmap_remove_oldest(&m) == NULL);
    gg_strmap_free(&m);
}

/* Growing from 8 slots to thousands keeps every key and the order (in an arena map too). */
static void test_growth_keeps_order(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_strmap m;
    gg_strmap_init(&m, &a);
    enum { N = 3000 };
    char *keys[N];
    for (int i = 0; i < N; i++) {
        keys[i] = gg_arena_printf(&a, "name%d", i);
        gg_strmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
        if (i % 2 == 1) /* every odd key is touched right after the next one is in */
            gg_strmap_touch(&m, keys[i - 1], strlen(keys[i - 1]), gg_strmap_hash(keys[i - 1], strlen(keys[i - 1])));
    }
    CHECK(m.capacity >= 2 * N);
    int in_order = 0;
    for (int i = 0; i < N; i++) {
        int expected = i % 2 == 0 ? i + 1 : i - 1; /* pairs swap: 1 0 3 2 5 4 ... */
        in_order += gg_strmap_remove_oldest(&m) == keys[expected];
    }
    CHECK_INT(in_order, N);
    CHECK_INT(m.count, 0);
    gg_arena_free(&a);
}

/* Many insertions, touches and removals of keys that collide in a small table, checked against a
 * plain array that keeps the same order. Run under ASan, this also checks that removal never
 * reads or writes outside the slots and that the heap map frees what it allocates. */
static void test_random_against_array(void)
{
    enum { KEYS = 300, STEPS = 200000 };
    static char names[KEYS][8];
    for (int i = 0; i < KEYS; i++)
        snprintf(names[i], sizeof names[i], "%d", i);
    int order[KEYS], count = 0; /* oldest first */
    gg_strmap m;
    gg_strmap_init(&m, NULL);
    unsigned seed = 12345;
    int mismatches = 0;
    for (int step = 0; step < STEPS; step++) {
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 8) % KEYS), op = (int)((seed >> 20) % 4);
        size_t len = strlen(names[k]);
        int at = -1;
        for (int i = 0; i < count; i++)
            if (order[i] == k) at = i;
        if (op == 0) { /* insert (or replace: keeps its place) */
            void *previous = gg_strmap_put(&m, names[k], len, names[k]);
            mismatches += previous != (at >= 0 ? names[k] : NULL);
            if (at < 0) order[count++] = k;
        } else if (op == 1) { /* remove */
            mismatches += gg_strmap_remove(&m, names[k], len) != (at >= 0 ? names[k] : NULL);
            if (at >= 0) {
                memmove(&order[at], &order[at + 1], (size_t)(count - at - 1) * sizeof order[0]);
                count--;
            }
        } else if (op == 2) { /* touch */
            mismatches +=
                gg_strmap_touch(&m, names[k], len, gg_strmap_hash(names[k], len)) != (at >= 0 ? names[k] : NULL);
            if (at >= 0) {
                memmove(&order[at], &order[at + 1], (size_t)(count - at - 1) * sizeof order[0]);
                order[count - 1] = k;
            }
        } else if (count > KEYS / 2) { /* evict the oldest, as a full cache does */
            mismatches += gg_strmap_remove_oldest(&m) != names[order[0]];
            memmove(&order[0], &order[1], (size_t)(count - 1) * sizeof order[0]);
            count--;
        }
        mismatches += (int)m.count != count;
        mismatches += count ? gg_strmap_oldest(&m) != names[order[0]] : gg_strmap_oldest(&m) != NULL;
    }
    CHECK_INT(mismatches, 0);
    int found = 0;
    for (int k = 0; k < KEYS; k++) {
        int present = 0;
        for (int i = 0; i < count; i++)
            present |= order[i] == k;
        found += gg_strmap_gets(&m, names[k]) == (present ? names[k] : NULL);
    }
    CHECK_INT(found, KEYS);
    int in_order = 0;
    for (int i = 0; i < count; i++)
        in_order += gg_strmap_remove_oldest(&m) == names[order[i]];
    CHECK_INT(in_order, count);
    gg_strmap_free(&m);
}

/* The hashed calls find what the plain ones stored, and the reverse. */
static void test_hashed(void)
{
    gg_strmap m;
    gg_strmap_init(&m, NULL);
    int one = 1, two = 2;
    const char *text = "query { posts { id title } }";
    size_t len = strlen(text);
    uint32_t hash = gg_strmap_hash(text, len);
    CHECK(gg_strmap_get_hashed(&m, text, len, hash) == NULL);
    CHECK(gg_strmap_put_hashed(&m, text, len, hash, &one) == NULL);
    CHECK(gg_strmap_get(&m, text, len) == &one);
    gg_strmap_put(&m, "other", 5, &two);
    CHECK(gg_strmap_get_hashed(&m, "other", 5, gg_strmap_hash("other", 5)) == &two);
    gg_strmap_free(&m);
}

int main(void)
{
    RUN(test_put_get);
    RUN(test_many);
    RUN(test_lengths_and_positions);
    RUN(test_binary_keys);
    RUN(test_remove);
    RUN(test_lru_order);
    RUN(test_growth_keeps_order);
    RUN(test_random_against_array);
    RUN(test_hashed);
    return test_summary();
}
