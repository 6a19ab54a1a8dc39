/* block.h: a per-thread cache of large memory blocks (arena chunks, response buffers).
 *
 * Why: a request's memory (its arena, its response text) is freed when the request ends. Handed
 * back to malloc, the large pieces go back to the operating system (munmap, or madvise when a
 * thread's heap is trimmed), and the next request of the same size faults every page in again and
 * gets it zeroed by the kernel: a 600 KB answer cost several times its linear share of CPU. Here a
 * freed block stays with its thread and the next request reuses it, already mapped.
 *
 * Blocks are power-of-two sizes from GG_BLOCK_MIN to GG_BLOCK_MAX, allocated with malloc (a block is
 * a plain malloc'd pointer: free() releases it too). Each thread keeps one free list per size, up to
 * gg_block_cache_limit() bytes in all (GG_BLOCK_CACHE_DEFAULT_LIMIT unless set). A block that would
 * take the thread past the limit, and any block larger than GG_BLOCK_MAX, goes back to malloc at
 * once, so that a one-off huge answer does not pin its memory forever. A thread's cache is released
 * when the thread exits. Nothing is zeroed: callers zero what must be zero. */
#ifndef GG_BLOCK_H
#define GG_BLOCK_H

#include <stddef.h>

enum {
    GG_BLOCK_MIN = 4096,                             /* the smallest block */
    GG_BLOCK_MAX = 8 * 1024 * 1024,                  /* larger requests get exact, uncached blocks */
    GG_BLOCK_CACHE_DEFAULT_LIMIT = 16 * 1024 * 1024, /* cached bytes per thread */
};

/* Returns a block of at least `size` bytes, not zeroed, and its real size in *block_size (the power
 * of two at or above size, or size itself above GG_BLOCK_MAX). Aborts when out of memory. */
void *gg_block_get(size_t size, size_t *block_size);
/* Hands a block back: `block_size` is the size gg_block_get gave. Kept for reuse by this thread when
 * it fits under the limit, freed otherwise. NULL is ignored. */
void gg_block_put(void *block, size_t block_size);
/* Frees every block cached by the calling thread. */
void gg_block_cache_release(void);
/* Bytes and blocks the calling thread has cached now. */
size_t gg_block_cache_bytes(void);
size_t gg_block_cache_blocks(void);
/* The per-thread limit of cached bytes; set it before threads start (0 disables caching). */
size_t gg_block_cache_limit(void);
void gg_block_cache_set_limit(size_t bytes);

#endif
