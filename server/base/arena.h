/* arena.h: bump allocation with one lifetime.
 *
 * Everything a request (or a schema, or a parsed document) allocates comes from one arena and is
 * released at once by gg_arena_free. Allocation is a pointer bump inside the current chunk; a new
 * chunk (doubling in size, at least as large as the request) is taken from the per-thread block cache
 * (block.h) when one is full, and gg_arena_free hands the chunks back to it. Memory is
 * never returned piecewise. Allocation failure aborts the process with a message: there is no
 * sensible recovery from a failed malloc inside a request, and callers stay simple.
 * Every pointer returned is aligned to 16 bytes and zero-filled (except gg_arena_alloc_uninit's). */
#ifndef GG_ARENA_H
#define GG_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct gg_arena_chunk gg_arena_chunk;

typedef struct gg_arena_cleanup gg_arena_cleanup;

typedef struct gg_arena {
    gg_arena_chunk *head;       /* current chunk; older chunks follow through ->next */
    size_t total;               /* bytes of the blocks obtained so far */
    gg_arena_cleanup *cleanups; /* gg_arena_on_free's, newest first */
} gg_arena;

/* Prepares an empty arena (allocates nothing until the first gg_arena_alloc). */
void gg_arena_init(gg_arena *arena);
/* Runs the arena's clean-ups (newest first), then releases every allocation of the arena; the
 * arena may be reused afterwards. */
void gg_arena_free(gg_arena *arena);
/* Calls release(data) when the arena is freed, before its memory goes: for memory the arena's values
 * point into that is not the arena's (a database result whose text a request's values borrow). */
void gg_arena_on_free(gg_arena *arena, void (*release)(void *data), void *data);
/* Returns n zeroed bytes, 16-byte aligned. */
void *gg_arena_alloc(gg_arena *arena, size_t n);
/* Returns n bytes, 16-byte aligned, NOT zeroed: for buffers the caller fills entirely. */
void *gg_arena_alloc_uninit(gg_arena *arena, size_t n);
/* Returns count*size zeroed bytes; aborts on overflow. */
void *gg_arena_array(gg_arena *arena, size_t count, size_t size);
/* Copies len bytes and appends a NUL. */
char *gg_arena_strndup(gg_arena *arena, const char *s, size_t len);
/* Copies a NUL-terminated string. */
char *gg_arena_strdup(gg_arena *arena, const char *s);
/* printf into the arena. */
char *gg_arena_printf(gg_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *gg_arena_vprintf(gg_arena *arena, const char *fmt, va_list ap);
/* Grows an arena array: returns a copy of `old` (old_count elements) with room for new_count. */
void *gg_arena_grow(gg_arena *arena, void *old, size_t old_count, size_t new_count, size_t size);

/* A growable array living in an arena: GG_VEC(T) declares {T *items; uint32_t count, cap;}. */
#define GG_VEC(T)                                                                                                      \
    struct {                                                                                                           \
        T *items;                                                                                                      \
        unsigned count, cap;                                                                                           \
    }
/* Appends one element (by value) to a GG_VEC. */
#define GG_VEC_PUSH(arena, vec, value)                                                                                 \
    do {                                                                                                               \
        if ((vec).count == (vec).cap) {                                                                                \
            unsigned gg_new_cap_ = (vec).cap ? (vec).cap * 2 : 4;                                                      \
            (vec).items = gg_arena_grow((arena), (vec).items, (vec).count, gg_new_cap_, sizeof(*(vec).items));         \
            (vec).cap = gg_new_cap_;                                                                                   \
        }                                                                                                              \
        (vec).items[(vec).count++] = (value);                                                                          \
    } while (0)

#endif
