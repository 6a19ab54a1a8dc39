/* Tests server/base/strmap.c: put, get, replace, growth past many keys. */
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

int main(void)
{
    RUN(test_put_get);
    RUN(test_many);
    return test_summary();
}
