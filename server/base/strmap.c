/* strmap.c: open-addressing string map with removal and a use order; see strmap.h.
 *
 * The table's own hash (gg_strmap_hash) reads the key 8 bytes at a time and mixes with multiplies:
 * GraphQL names are short, and a byte-at-a-time hash was most of the cost of a lookup. The
 * public gg_hash_bytes stays FNV-1a as documented (others use it for their own keys). */
#include "strmap.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t gg_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t load32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

uint32_t gg_strmap_hash(const char *key, size_t len)
{
    const unsigned char *p = (const unsigned char *)key;
    const uint64_t m = 0xff51afd7ed558ccdull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)len * 0xc2b2ae3d27d4eb4full);
    for (; len > 8; p += 8, len -= 8) {
        h = (h ^ load64(p)) * m;
        h ^= h >> 29;
    }
    uint64_t tail = 0; /* the last 1 to 8 bytes; with the length, distinct bytes give distinct tails */
    if (len >= 4)
        tail = load32(p) << 32 | load32(p + len - 4);
    else if (len > 0)
        tail = (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1];
    h = (h ^ tail) * m;
    h ^= h >> 32;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

void gg_strmap_init(gg_strmap *map, gg_arena *arena)
{
    map->arena = arena;
    map->slots = NULL;
    map->capacity = 0;
    map->count = 0;
    map->oldest = map->newest = GG_STRMAP_NONE;
}

void gg_strmap_free(gg_strmap *map)
{
    if (map->arena == NULL) free(map->slots);
    gg_strmap_init(map, map->arena);
}

/* The slot holding key, or the empty slot where it would go (the map must have slots). */
static size_t find_index(const gg_strmap *map, const char *key, size_t len, uint32_t hash)
{
    size_t mask = map->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const gg_strmap_slot *s = &map->slots[i];
        if (s->key == NULL || (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0)) return i;
    }
}

/* ---- the order: a doubly linked list through slot indices ---- */

static void order_append(gg_strmap *map, uint32_t i)
{
    gg_strmap_slot *s = &map->slots[i];
    s->older = map->newest;
    s->newer = GG_STRMAP_NONE;
    if (map->newest != GG_STRMAP_NONE)
        map->slots[map->newest].newer = i;
    else
        map->oldest = i;
    map->newest = i;
}

static void order_unlink(gg_strmap *map, uint32_t i)
{
    gg_strmap_slot *s = &map->slots[i];
    if (s->older != GG_STRMAP_NONE)
        map->slots[s->older].newer = s->newer;
    else
        map->oldest = s->newer;
    if (s->newer != GG_STRMAP_NONE)
        map->slots[s->newer].older = s->older;
    else
        map->newest = s->older;
}

/* The entry now in slot i came from another slot: its neighbours point to i instead. */
static void order_moved(gg_strmap *map, uint32_t i)
{
    gg_strmap_slot *s = &map->slots[i];
    if (s->older != GG_STRMAP_NONE)
        map->slots[s->older].newer = i;
    else
        map->oldest = i;
    if (s->newer != GG_STRMAP_NONE)
        map->slots[s->newer].older = i;
    else
        map->newest = i;
}

/* ---- lookup ---- */

void *gg_strmap_get_hashed(const gg_strmap *map, const char *key, size_t len, uint32_t hash)
{
    if (map->count == 0) return NULL;
    gg_strmap_slot *s = &map->slots[find_index(map, key, len, hash)];
    return s->key ? s->value : NULL;
}

void *gg_strmap_get(const gg_strmap *map, const char *key, size_t len)
{
    if (map->count == 0) return NULL;
    return gg_strmap_get_hashed(map, key, len, gg_strmap_hash(key, len));
}

void *gg_strmap_gets(const gg_strmap *map, const char *key)
{
    return gg_strmap_get(map, key, strlen(key));
}

void *gg_strmap_touch(gg_strmap *map, const char *key, size_t len, uint32_t hash)
{
    if (map->count == 0) return NULL;
    size_t i = find_index(map, key, len, hash);
    if (map->slots[i].key == NULL) return NULL;
    if (map->newest != i) {
        order_unlink(map, (uint32_t)i);
        order_append(map, (uint32_t)i);
    }
    return map->slots[i].value;
}

void *gg_strmap_oldest(const gg_strmap *map)
{
    return map->count ? map->slots[map->oldest].value : NULL;
}

/* ---- insertion ---- */

static gg_strmap_slot *allocate_slots(gg_strmap *map, size_t capacity)
{
    if (map->arena != NULL) return gg_arena_array(map->arena, capacity, sizeof(gg_strmap_slot));
    gg_strmap_slot *slots = calloc(capacity, sizeof *slots);
    if (slots == NULL) {
        gg_log_error("out of memory");
        abort();
    }
    return slots;
}

/* Doubles the slots, moving the entries oldest first so that the order stays. */
static void grow(gg_strmap *map)
{
    gg_strmap_slot *old = map->slots;
    uint32_t at = map->oldest;
    map->capacity = map->capacity ? map->capacity * 2 : 8;
    if (map->capacity > (size_t)GG_STRMAP_NONE) {
        gg_log_error("hash table too large");
        abort();
    }
    map->slots = allocate_slots(map, map->capacity);
    map->oldest = map->newest = GG_STRMAP_NONE;
    while (at != GG_STRMAP_NONE) {
        const gg_strmap_slot *s = &old[at];
        size_t i = find_index(map, s->key, s->len, s->hash);
        map->slots[i] = *s;
        order_append(map, (uint32_t)i);
        at = s->newer;
    }
    if (map->arena == NULL) free(old);
}

static gg_strmap_slot *slot_for(gg_strmap *map, const char *key, size_t len, uint32_t hash, bool *existed)
{
    if (len > GG_STRMAP_KEY_MAX) {
        gg_log_error("hash table key too long");
        abort();
    }
    if ((map->count + 1) * 2 > map->capacity) grow(map);
    size_t i = find_index(map, key, len, hash);
    gg_strmap_slot *s = &map->slots[i];
    *existed = s->key != NULL;
    if (!*existed) {
        s->key = key;
        s->len = (uint32_t)len;
        s->hash = hash;
        s->value = NULL;
        order_append(map, (uint32_t)i);
        map->count++;
    }
    return s;
}

void *gg_strmap_put_hashed(gg_strmap *map, const char *key, size_t len, uint32_t hash, void *value)
{
    bool existed;
    gg_strmap_slot *s = slot_for(map, key, len, hash, &existed);
    void *previous = existed ? s->value : NULL;
    s->value = value;
    return previous;
}

void *gg_strmap_put(gg_strmap *map, const char *key, size_t len, void *value)
{
    return gg_strmap_put_hashed(map, key, len, gg_strmap_hash(key, len), value);
}

void *gg_strmap_put_new(gg_strmap *map, const char *key, size_t len, void *value)
{
    bool existed;
    gg_strmap_slot *s = slot_for(map, key, len, gg_strmap_hash(key, len), &existed);
    if (!existed) s->value = value;
    return s->value;
}

/* ---- removal ---- */

/* Empties slot i, then moves back each following entry of the run that may live there (one whose
 * home slot is not cyclically in (hole, its slot]), so that every probe still finds its key. */
static void *remove_at(gg_strmap *map, size_t i)
{
    size_t mask = map->capacity - 1;
    void *value = map->slots[i].value;
    order_unlink(map, (uint32_t)i);
    size_t hole = i;
    for (size_t j = (i + 1) & mask; map->slots[j].key != NULL; j = (j + 1) & mask) {
        size_t home = map->slots[j].hash & mask;
        bool stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
        if (stays) continue;
        map->slots[hole] = map->slots[j];
        order_moved(map, (uint32_t)hole);
        hole = j;
    }
    map->slots[hole].key = NULL;
    map->count--;
    return value;
}

void *gg_strmap_remove(gg_strmap *map, const char *key, size_t len)
{
    if (map->count == 0) return NULL;
    size_t i = find_index(map, key, len, gg_strmap_hash(key, len));
    return map->slots[i].key ? remove_at(map, i) : NULL;
}

void *gg_strmap_remove_oldest(gg_strmap *map)
{
    return map->count ? remove_at(map, map->oldest) : NULL;
}
