/* Tests server/base/block.c, the per-thread block cache: sizes, reuse, the per-thread limit (never
 * exceeded, blocks past it freed), oversized blocks never cached, arenas and buffers reusing their
 * blocks from one "request" to the next, per-thread caches released at thread exit (ASan's leak
 * check fails otherwise). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/block.h"
#include "base/buf.h"
#include "test.h"

static void test_sizes(void)
{
    size_t size = 0;
    void *a = gg_block_get(1, &size);
    CHECK_INT(size, GG_BLOCK_MIN);
    gg_block_put(a, size);
    void *b = gg_block_get(GG_BLOCK_MIN + 1, &size);
    CHECK_INT(size, 2 * GG_BLOCK_MIN);
    memset(b, 0xab, size); /* the whole block is usable */
    gg_block_put(b, size);
    void *c = gg_block_get(GG_BLOCK_MAX, &size);
    CHECK_INT(size, GG_BLOCK_MAX);
    gg_block_put(c, size);
    gg_block_cache_release();
    CHECK_INT(gg_block_cache_bytes(), 0);
    CHECK_INT(gg_block_cache_blocks(), 0);
}

static void test_reuse(void)
{
    size_t size = 0, again = 0;
    void *a = gg_block_get(5000, &size);
    CHECK_INT(size, 8192);
    gg_block_put(a, size);
    CHECK_INT(gg_block_cache_bytes(), 8192);
    CHECK_INT(gg_block_cache_blocks(), 1);
    void *b = gg_block_get(7000, &again); /* same size class: the cached block */
    CHECK(b == a);
    CHECK_INT(again, 8192);
    CHECK_INT(gg_block_cache_bytes(), 0);
    void *c = gg_block_get(100, &again); /* another class: a new block, the cached one stays */
    CHECK(c != a);
    gg_block_put(b, size);
    gg_block_put(c, again);
    CHECK_INT(gg_block_cache_blocks(), 2);
    gg_block_cache_release();
}

static void test_oversized_not_cached(void)
{
    size_t size = 0;
    char *big = gg_block_get((size_t)GG_BLOCK_MAX + 1, &size);
    CHECK_INT(size, (size_t)GG_BLOCK_MAX + 1);
    big[size - 1] = 'x';
    gg_block_put(big, size);
    CHECK_INT(gg_block_cache_bytes(), 0);
    CHECK_INT(gg_block_cache_blocks(), 0);
}

/* Blocks past the limit go back to malloc; the cache never holds more than the limit. */
static void test_limit(void)
{
    size_t saved = gg_block_cache_limit();
    CHECK_INT(saved, GG_BLOCK_CACHE_DEFAULT_LIMIT);
    gg_block_cache_set_limit(16 * GG_BLOCK_MIN);
    void *blocks[40];
    size_t size = 0;
    for (int i = 0; i < 40; i++)
        blocks[i] = gg_block_get(GG_BLOCK_MIN, &size);
    for (int i = 0; i < 40; i++) {
        gg_block_put(blocks[i], size);
        CHECK(gg_block_cache_bytes() <= 16 * GG_BLOCK_MIN);
    }
    CHECK_INT(gg_block_cache_blocks(), 16);
    /* a block larger than what is left under the limit is not cached either */
    gg_block_cache_release();
    gg_block_cache_set_limit(3 * GG_BLOCK_MIN);
    void *two = gg_block_get(2 * GG_BLOCK_MIN, &size);
    void *four = gg_block_get(4 * GG_BLOCK_MIN, &size);
    gg_block_put(two, 2 * GG_BLOCK_MIN);
    gg_block_put(four, 4 * GG_BLOCK_MIN);
    CHECK_INT(gg_block_cache_bytes(), 2 * GG_BLOCK_MIN);
    gg_block_cache_release();
    /* limit 0: nothing is cached */
    gg_block_cache_set_limit(0);
    void *none = gg_block_get(GG_BLOCK_MIN, &size);
    gg_block_put(none, size);
    CHECK_INT(gg_block_cache_bytes(), 0);
    gg_block_cache_set_limit(saved);
}

/* One "request": an arena with about `bytes` of allocations and a response buffer of `bytes`. */
static void request(size_t bytes, const char **first_chunk, const char **response)
{
    gg_arena a;
    gg_arena_init(&a);
    char *first = gg_arena_alloc(&a, 64);
    for (size_t used = 0; used < bytes; used += 1000) {
        unsigned char *p = gg_arena_alloc(&a, 1000);
        CHECK(p[0] == 0 && p[999] == 0); /* reused blocks still give zeroed allocations */
        memset(p, 0x5a, 1000);
    }
    gg_buf b;
    gg_buf_init(&b);
    for (size_t len = 0; len < bytes; len += 10)
        gg_buf_append(&b, "0123456789", 10);
    CHECK_INT(b.len, (bytes + 9) / 10 * 10);
    CHECK(b.data[0] == '0' && b.data[b.len] == '\0');
    *first_chunk = first;
    *response = b.data;
    gg_buf_free(&b);
    gg_arena_free(&a);
}

/* The same request twice reuses the same memory; a series of requests never grows the cache past
 * the limit, and a one-off request larger than the limit leaves at most the limit cached. */
static void test_requests_reuse_and_stay_bounded(void)
{
    const char *first1, *response1, *first2, *response2;
    request(300000, &first1, &response1);
    size_t cached = gg_block_cache_bytes();
    CHECK(cached > 2 * 300000); /* the arena's chunks and the buffer's block */
    CHECK(cached <= GG_BLOCK_CACHE_DEFAULT_LIMIT);
    request(300000, &first2, &response2);
    CHECK(first1 == first2);
    CHECK(response1 == response2);
    CHECK_INT(gg_block_cache_bytes(), cached);
    for (int i = 0; i < 20; i++) {
        request(300000, &first2, &response2);
        CHECK_INT(gg_block_cache_bytes(), cached);
    }
    size_t saved = gg_block_cache_limit();
    gg_block_cache_set_limit(1 << 20);
    request(3 << 20, &first2, &response2);
    CHECK(gg_block_cache_bytes() <= (1 << 20));
    gg_block_cache_set_limit(saved);
    gg_block_cache_release();
}

/* A buffer taken out of the cache's blocks is released with free(). */
static void test_buf_take(void)
{
    gg_buf b;
    gg_buf_init(&b);
    for (int i = 0; i < 1000; i++)
        gg_buf_puts(&b, "0123456789");
    size_t len = 0;
    char *text = gg_buf_take(&b, &len);
    CHECK_INT(len, 10000);
    CHECK(text[9999] == '9' && text[10000] == '\0');
    free(text);
    CHECK(b.data == NULL);
}

static void *thread_caches_blocks(void *arg)
{
    size_t size = 0;
    for (int i = 0; i < 8; i++) {
        void *p = gg_block_get((size_t)GG_BLOCK_MIN << i, &size);
        gg_block_put(p, size);
    }
    *(size_t *)arg = gg_block_cache_bytes();
    return NULL;
}

/* Each thread has its own cache, released when the thread exits. */
static void test_per_thread(void)
{
    gg_block_cache_release(); /* what the buffer of test_buf_take outgrew */
    size_t size = 0;
    void *mine = gg_block_get(GG_BLOCK_MIN, &size);
    gg_block_put(mine, size);
    size_t theirs = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_caches_blocks, &theirs) == 0);
    pthread_join(t, NULL);
    CHECK_INT(theirs, (size_t)GG_BLOCK_MIN * 255);
    CHECK_INT(gg_block_cache_bytes(), GG_BLOCK_MIN);
    CHECK_INT(gg_block_cache_blocks(), 1);
    gg_block_cache_release();
}

int main(void)
{
    RUN(test_sizes);
    RUN(test_reuse);
    RUN(test_oversized_not_cached);
    RUN(test_limit);
    RUN(test_requests_reuse_and_stay_bounded);
    RUN(test_buf_take);
    RUN(test_per_thread);
    return test_summary();
}
