/* block.c: per-thread cache of power-of-two memory blocks; see block.h for why and the limits.
 *
 * A cached block holds the link to the next free block of its size in its first bytes. The cache is
 * a thread-local array of list heads; a pthread key whose destructor releases the cache is set on a
 * thread's first put, so that blocks do not outlive their thread. */
#include "block.h"
#include "log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    GG_BLOCK_MIN_SHIFT = 12,
    GG_BLOCK_MAX_SHIFT = 23,
    GG_BLOCK_CLASSES = GG_BLOCK_MAX_SHIFT - GG_BLOCK_MIN_SHIFT + 1
};
_Static_assert(GG_BLOCK_MIN == 1 << GG_BLOCK_MIN_SHIFT, "GG_BLOCK_MIN is 2^GG_BLOCK_MIN_SHIFT");
_Static_assert(GG_BLOCK_MAX == 1 << GG_BLOCK_MAX_SHIFT, "GG_BLOCK_MAX is 2^GG_BLOCK_MAX_SHIFT");

typedef struct free_block {
    struct free_block *next;
} free_block;

typedef struct block_cache {
    free_block *lists[GG_BLOCK_CLASSES]; /* lists[k]: free blocks of GG_BLOCK_MIN << k bytes */
    size_t bytes;
    size_t blocks;
    int registered; /* the thread-exit destructor is set */
} block_cache;

static _Thread_local block_cache cache;
static size_t cache_limit = GG_BLOCK_CACHE_DEFAULT_LIMIT;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void release_at_thread_exit(void *unused)
{
    (void)unused;
    gg_block_cache_release();
    cache.registered = 0; /* a put by a later destructor registers again (another destructor pass) */
}

static void create_exit_key(void)
{
    if (pthread_key_create(&exit_key, release_at_thread_exit) != 0) {
        gg_log_error("pthread_key_create failed");
        abort();
    }
}

/* The size class of a power-of-two block size within [GG_BLOCK_MIN, GG_BLOCK_MAX]. */
static unsigned size_class(size_t block_size)
{
    unsigned k = 0;
    while (((size_t)GG_BLOCK_MIN << k) < block_size)
        k++;
    return k;
}

void *gg_block_get(size_t size, size_t *block_size)
{
    if (size > GG_BLOCK_MAX) {
        void *p = malloc(size);
        if (p == NULL) {
            gg_log_error("out of memory (block of %zu bytes)", size);
            abort();
        }
        *block_size = size;
        return p;
    }
    unsigned k = size_class(size);
    size_t bytes = (size_t)GG_BLOCK_MIN << k;
    *block_size = bytes;
    free_block *b = cache.lists[k];
    if (b != NULL) {
        cache.lists[k] = b->next;
        cache.bytes -= bytes;
        cache.blocks--;
        return b;
    }
    void *p = malloc(bytes);
    if (p == NULL) {
        gg_log_error("out of memory (block of %zu bytes)", bytes);
        abort();
    }
    return p;
}

void gg_block_put(void *block, size_t block_size)
{
    if (block == NULL) return;
    /* only exact class sizes are cached: anything else came from the uncached path */
    if (block_size < GG_BLOCK_MIN || block_size > GG_BLOCK_MAX || (block_size & (block_size - 1)) != 0 ||
        block_size > cache_limit - cache.bytes || cache.bytes > cache_limit) {
        free(block);
        return;
    }
    if (!cache.registered) {
        pthread_once(&exit_key_once, create_exit_key);
        pthread_setspecific(exit_key, &cache);
        cache.registered = 1;
    }
    unsigned k = size_class(block_size);
    free_block *b = block;
    b->next = cache.lists[k];
    cache.lists[k] = b;
    cache.bytes += block_size;
    cache.blocks++;
}

void gg_block_cache_release(void)
{
    for (unsigned k = 0; k < GG_BLOCK_CLASSES; k++) {
        free_block *b = cache.lists[k];
        while (b != NULL) {
            free_block *next = b->next;
            free(b);
            b = next;
        }
        cache.lists[k] = NULL;
    }
    cache.bytes = 0;
    cache.blocks = 0;
}

size_t gg_block_cache_bytes(void)
{
    return cache.bytes;
}

size_t gg_block_cache_blocks(void)
{
    return cache.blocks;
}

size_t gg_block_cache_limit(void)
{
    return cache_limit;
}

void gg_block_cache_set_limit(size_t bytes)
{
    cache_limit = bytes;
}
