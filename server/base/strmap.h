/* strmap.h: the one hash table: string keys to pointers, with removal and a use order.
 *
 * Open addressing with linear probing, a word-at-a-time multiply-mix hash, load factor at most 1/2.
 * Keys are not copied: they must live as long as they are in the map (they normally live in the same
 * arena, or in the value). Removal shifts the following entries back (no tombstones), so a map that
 * keeps removing and inserting stays as fast as a new one.
 *
 * Memory: with an arena, the slot arrays come from it and growing leaves the old array there until
 * the arena is freed (at most doubling the memory of the final table): for maps built once and then
 * read (schema, fragments of a document). Without one (arena NULL), they come from the heap and
 * gg_strmap_free releases them: for long-lived maps that remove entries (caches). Out of memory
 * aborts, as the arena does.
 *
 * Order: every entry has a place in one order, oldest first. A new key is the newest;
 * gg_strmap_touch makes a key the newest again; replacing a value keeps its place. So the order is
 * the insertion order for maps that never touch, and the least-recently-used order for caches, whose
 * eviction is gg_strmap_remove_oldest. Keeping it costs two indices per slot and no allocation.
 *
 * A caller that looks a key up and then inserts it (a cache miss) hashes it once with
 * gg_strmap_hash and passes the hash to the *_hashed calls. Keys are at most GG_STRMAP_KEY_MAX bytes. */
#ifndef GG_STRMAP_H
#define GG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define GG_STRMAP_KEY_MAX UINT32_MAX /* longest key, in bytes */
#define GG_STRMAP_NONE UINT32_MAX    /* no slot: the end of the order */

typedef struct gg_strmap_slot {
    const char *key; /* NULL: empty slot */
    void *value;
    uint32_t len;
    uint32_t hash;
    uint32_t older, newer; /* neighbours in the order (slot indices), GG_STRMAP_NONE at its ends */
} gg_strmap_slot;

typedef struct gg_strmap {
    gg_arena *arena; /* NULL: slots on the heap */
    gg_strmap_slot *slots;
    size_t capacity; /* power of two, or 0 */
    size_t count;
    uint32_t oldest, newest; /* slot indices, GG_STRMAP_NONE when empty */
} gg_strmap;

/* Prepares an empty map that allocates from arena, or from the heap when arena is NULL. */
void gg_strmap_init(gg_strmap *map, gg_arena *arena);
/* Empties the map and, for a heap map, frees its slots; the map can be used again. */
void gg_strmap_free(gg_strmap *map);
/* Returns the value stored under key, or NULL. */
void *gg_strmap_get(const gg_strmap *map, const char *key, size_t len);
/* Same, for a NUL-terminated key. */
void *gg_strmap_gets(const gg_strmap *map, const char *key);
/* Stores value under key; returns the previous value or NULL. */
void *gg_strmap_put(gg_strmap *map, const char *key, size_t len, void *value);
/* Stores value under key only when absent; returns the value now stored (the old one if present). */
void *gg_strmap_put_new(gg_strmap *map, const char *key, size_t len, void *value);
/* Removes key; returns the value it had, or NULL when absent. */
void *gg_strmap_remove(gg_strmap *map, const char *key, size_t len);

/* The table's hash of key, for the *_hashed calls (it must be the hash of that same key). */
uint32_t gg_strmap_hash(const char *key, size_t len);
/* gg_strmap_get with the key's hash already known. */
void *gg_strmap_get_hashed(const gg_strmap *map, const char *key, size_t len, uint32_t hash);
/* gg_strmap_put with the key's hash already known. */
void *gg_strmap_put_hashed(gg_strmap *map, const char *key, size_t len, uint32_t hash, void *value);

/* Returns the value stored under key (NULL when absent) and makes key the newest. */
void *gg_strmap_touch(gg_strmap *map, const char *key, size_t len, uint32_t hash);
/* The value of the oldest (least recently inserted or touched) key, or NULL when empty. */
void *gg_strmap_oldest(const gg_strmap *map);
/* Removes the oldest key; returns its value, or NULL when empty. */
void *gg_strmap_remove_oldest(gg_strmap *map);

/* FNV-1a 32-bit hash of len bytes. */
uint32_t gg_hash_bytes(const void *data, size_t len);

#endif
