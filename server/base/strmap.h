/* strmap.h: the one hash table: string keys to pointers, stored in an arena.
 *
 * Open addressing with linear probing, a word-at-a-time multiply-mix hash, load factor at most 1/2. Keys are not
 * copied: they must live as long as the map (they normally live in the same arena). The table
 * grows by allocating a new slot array in the arena; the old one stays until the arena is freed,
 * which at most doubles the memory of the final table. There is no removal: maps are built once
 * (schema, fragments of a document) and then read. Insertion order is not kept; keep a GG_VEC
 * beside the map when order matters. */
#ifndef GG_STRMAP_H
#define GG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct gg_strmap_slot {
    const char *key; /* NULL: empty slot */
    size_t len;
    uint32_t hash;
    void *value;
} gg_strmap_slot;

typedef struct gg_strmap {
    gg_arena *arena;
    gg_strmap_slot *slots;
    size_t capacity; /* power of two, or 0 */
    size_t count;
} gg_strmap;

/* Prepares an empty map that allocates from arena. */
void gg_strmap_init(gg_strmap *map, gg_arena *arena);
/* Returns the value stored under key, or NULL. */
void *gg_strmap_get(const gg_strmap *map, const char *key, size_t len);
/* Same, for a NUL-terminated key. */
void *gg_strmap_gets(const gg_strmap *map, const char *key);
/* Stores value under key; returns the previous value or NULL. */
void *gg_strmap_put(gg_strmap *map, const char *key, size_t len, void *value);
/* Stores value under key only when absent; returns the value now stored (the old one if present). */
void *gg_strmap_put_new(gg_strmap *map, const char *key, size_t len, void *value);
/* FNV-1a 32-bit hash of len bytes. */
uint32_t gg_hash_bytes(const void *data, size_t len);

#endif
