/* arena.c: chunked bump allocator; see arena.h for the design. Chunks are blocks of the per-thread
 * block cache (block.h), so that a request's chunks are reused by the next request of the thread
 * instead of going back to the operating system and being faulted in and zeroed again. */
#include "arena.h"

#include "block.h"
#include "log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gg_arena_chunk {
    gg_arena_chunk *next;
    size_t block_size; /* what gg_block_get gave, header included */
    size_t size;       /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct gg_arena_cleanup {
    gg_arena_cleanup *next;
    void (*release)(void *data);
    void *data;
};

enum { GG_ARENA_ALIGN = 16 };

static void gg_arena_out_of_memory(size_t n)
{
    gg_log_error("out of memory (allocating %zu bytes)", n);
    abort();
}

void gg_arena_init(gg_arena *arena)
{
    arena->head = NULL;
    arena->total = 0;
    arena->cleanups = NULL;
}

void gg_arena_on_free(gg_arena *arena, void (*release)(void *data), void *data)
{
    gg_arena_cleanup *cleanup = gg_arena_alloc_uninit(arena, sizeof *cleanup);
    *cleanup = (gg_arena_cleanup){arena->cleanups, release, data};
    arena->cleanups = cleanup;
}

void gg_arena_free(gg_arena *arena)
{
    for (gg_arena_cleanup *cleanup = arena->cleanups; cleanup != NULL; cleanup = cleanup->next)
        cleanup->release(cleanup->data);
    arena->cleanups = NULL;
    gg_arena_chunk *c = arena->head;
    while (c != NULL) {
        gg_arena_chunk *next = c->next;
        gg_block_put(c, c->block_size);
        c = next;
    }
    arena->head = NULL;
    arena->total = 0;
}

/* Starts a new chunk able to hold `rounded` bytes (the slow path of bump). */
static gg_arena_chunk *gg_arena_new_chunk(gg_arena *arena, size_t rounded)
{
    gg_arena_chunk *c = arena->head;
    size_t want = c == NULL ? GG_BLOCK_MIN : c->block_size * 2;
    if (want > GG_BLOCK_MAX) want = GG_BLOCK_MAX; /* past the largest cached block, grow linearly */
    if (rounded > SIZE_MAX / 2 - sizeof(gg_arena_chunk)) gg_arena_out_of_memory(rounded);
    if (want < sizeof(gg_arena_chunk) + rounded) want = sizeof(gg_arena_chunk) + rounded;
    size_t block_size;
    gg_arena_chunk *fresh = gg_block_get(want, &block_size);
    fresh->next = c;
    fresh->block_size = block_size;
    fresh->size = block_size - sizeof(gg_arena_chunk);
    fresh->used = 0;
    arena->head = fresh;
    arena->total += block_size;
    return fresh;
}

/* The allocation itself: n > 0 bytes, rounded up to the alignment, not zeroed. */
static inline void *bump(gg_arena *arena, size_t n)
{
    if (n > SIZE_MAX / 2) gg_arena_out_of_memory(n);
    size_t rounded = (n + GG_ARENA_ALIGN - 1) & ~(size_t)(GG_ARENA_ALIGN - 1);
    gg_arena_chunk *c = arena->head;
    if (c == NULL || c->size - c->used < rounded) c = gg_arena_new_chunk(arena, rounded);
    void *p = c->data + c->used;
    c->used += rounded;
    return p;
}

void *gg_arena_alloc(gg_arena *arena, size_t n)
{
    if (n == 0) n = 1;
    void *p = bump(arena, n);
    memset(p, 0, n);
    return p;
}

void *gg_arena_alloc_uninit(gg_arena *arena, size_t n)
{
    return bump(arena, n ? n : 1);
}

void *gg_arena_array(gg_arena *arena, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / 2 / size) gg_arena_out_of_memory(SIZE_MAX);
    return gg_arena_alloc(arena, count * size);
}

char *gg_arena_strndup(gg_arena *arena, const char *s, size_t len)
{
    if (len > SIZE_MAX / 2) gg_arena_out_of_memory(len);
    char *p = bump(arena, len + 1); /* every byte is written below */
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *gg_arena_strdup(gg_arena *arena, const char *s)
{
    return gg_arena_strndup(arena, s, strlen(s));
}

char *gg_arena_vprintf(gg_arena *arena, const char *fmt, va_list ap)
{
    /* Format into a stack buffer first: most messages are short, and it avoids formatting twice. */
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) n = 0;
    char *p = bump(arena, (size_t)n + 1); /* filled entirely below */
    if ((size_t)n < sizeof small)
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *gg_arena_printf(gg_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = gg_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return p;
}

void *gg_arena_grow(gg_arena *arena, void *old, size_t old_count, size_t new_count, size_t size)
{
    if (size != 0 && new_count > SIZE_MAX / 2 / size) gg_arena_out_of_memory(SIZE_MAX);
    if (old == NULL || old_count > new_count) old_count = 0;
    size_t bytes = new_count * size;
    unsigned char *p = bump(arena, bytes != 0 ? bytes : 1);
    if (old_count) memcpy(p, old, old_count * size);
    memset(p + old_count * size, 0, (bytes != 0 ? bytes : 1) - old_count * size); /* only the new room */
    return p;
}
