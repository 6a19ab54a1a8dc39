/* Tests server/base/arena.c: alignment, zeroing, large blocks, growth, unzeroed blocks, strings,
 * clean-ups. */
#include <stdint.h>

#include "base/arena.h"
#include "test.h"

static void test_alignment_and_zero(void)
{
    gg_arena a;
    gg_arena_init(&a);
    for (int i = 1; i < 200; i++) {
        unsigned char *p = gg_arena_alloc(&a, (size_t)i);
        CHECK(((uintptr_t)p & 15) == 0);
        int zero = 1;
        for (int j = 0; j < i; j++)
            zero &= p[j] == 0;
        CHECK(zero);
        p[i - 1] = 0xff;
    }
    gg_arena_free(&a);
}

static void test_large_block(void)
{
    gg_arena a;
    gg_arena_init(&a);
    char *small = gg_arena_alloc(&a, 10);
    char *big = gg_arena_alloc(&a, 1 << 20);
    big[(1 << 20) - 1] = 'x';
    CHECK(small != big);
    CHECK(a.total >= (1u << 20));
    gg_arena_free(&a);
    CHECK(a.total == 0);
}

/* Unzeroed blocks: aligned, distinct, writable, and the zeroed kind still zeroes after them. */
static void test_uninit(void)
{
    gg_arena a;
    gg_arena_init(&a);
    unsigned char *prev = NULL;
    for (int i = 0; i < 300; i++) {
        unsigned char *p = gg_arena_alloc_uninit(&a, (size_t)i * 7);
        CHECK(((uintptr_t)p & 15) == 0);
        CHECK(p != prev);
        for (int j = 0; j < i * 7; j++)
            p[j] = 0xab;
        prev = p;
    }
    unsigned char *z = gg_arena_alloc(&a, 64);
    int zero = 1;
    for (int j = 0; j < 64; j++)
        zero &= z[j] == 0;
    CHECK(zero);
    gg_arena_free(&a);
}

/* Growing keeps the old elements and zeroes the new room, even over recycled (dirty) memory. */
static void test_grow_zeroes_new_room(void)
{
    gg_arena a;
    gg_arena_init(&a);
    for (int round = 0; round < 2; round++) {
        int *v = gg_arena_grow(&a, NULL, 0, 3, sizeof *v);
        CHECK(v[0] == 0 && v[1] == 0 && v[2] == 0);
        v[0] = 7, v[1] = 8, v[2] = 9;
        int *w = gg_arena_grow(&a, v, 3, 1000, sizeof *w);
        CHECK(w[0] == 7 && w[1] == 8 && w[2] == 9);
        int zero = 1;
        for (int i = 3; i < 1000; i++)
            zero &= w[i] == 0;
        CHECK(zero);
        for (int i = 0; i < 1000; i++)
            w[i] = -1; /* dirty the chunk for the next round's allocations */
        gg_arena_free(&a);
    }
}

static void test_strings(void)
{
    gg_arena a;
    gg_arena_init(&a);
    CHECK_STR(gg_arena_strndup(&a, "hello world", 5), "hello");
    CHECK_STR(gg_arena_printf(&a, "%s-%d", "x", 42), "x-42");
    GG_VEC(int) v = {0};
    for (int i = 0; i < 100; i++)
        GG_VEC_PUSH(&a, v, i);
    CHECK_INT(v.count, 100);
    CHECK_INT(v.items[99], 99);
    gg_arena_free(&a);
}

/* Records the order in which clean-ups ran (each one's data is its number). */
static int cleanup_order[8], cleanup_count;
static void note_cleanup(void *data)
{
    if (cleanup_count < 8) cleanup_order[cleanup_count] = *(int *)data;
    cleanup_count++;
}

static void test_cleanups(void)
{
    static int numbers[3] = {1, 2, 3};
    gg_arena a;
    gg_arena_init(&a);
    gg_arena_on_free(&a, note_cleanup, &numbers[0]);
    for (int i = 0; i < 1000; i++) /* chunks come and go before the clean-ups run */
        gg_arena_alloc(&a, 1000);
    gg_arena_on_free(&a, note_cleanup, &numbers[1]);
    gg_arena_on_free(&a, note_cleanup, &numbers[2]);
    CHECK_INT(cleanup_count, 0);
    gg_arena_free(&a);
    CHECK_INT(cleanup_count, 3); /* each once, newest first */
    CHECK_INT(cleanup_order[0], 3);
    CHECK_INT(cleanup_order[1], 2);
    CHECK_INT(cleanup_order[2], 1);
    gg_arena_free(&a); /* the arena is reusable: nothing runs twice */
    CHECK_INT(cleanup_count, 3);
    gg_arena_on_free(&a, note_cleanup, &numbers[0]);
    gg_arena_free(&a);
    CHECK_INT(cleanup_count, 4);
}

int main(void)
{
    RUN(test_alignment_and_zero);
    RUN(test_large_block);
    RUN(test_uninit);
    RUN(test_grow_zeroes_new_room);
    RUN(test_strings);
    RUN(test_cleanups);
    return test_summary();
}
