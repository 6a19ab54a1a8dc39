/* Tests server/base/strmap.c: put, get, replace, growth past many keys, keys of every length
 * that differ in one byte only (the hash reads words and overlapping tails), binary keys. */
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

int main(void)
{
    RUN(test_put_get);
    RUN(test_many);
    RUN(test_lengths_and_positions);
    RUN(test_binary_keys);
    return test_summary();
}
