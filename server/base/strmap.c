/* strmap.c: open-addressing string map; see strmap.h.
 *
 * The table's own hash (key_hash) reads the key 8 bytes at a time and mixes with multiplies:
 * GraphQL names are short, and a byte-at-a-time hash was most of the cost of a lookup. The
 * public gg_hash_bytes stays FNV-1a as documented (others use it for their own keys). */
#include "strmap.h"

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

static uint32_t key_hash(const char *key, size_t len)
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
}

static gg_strmap_slot *gg_strmap_find(const gg_strmap *map, const char *key, size_t len, uint32_t hash)
{
    size_t mask = map->capacity - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        gg_strmap_slot *s = &map->slots[i];
        if (s->key == NULL || (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

void *gg_strmap_get(const gg_strmap *map, const char *key, size_t len)
{
    if (map->count == 0)
        return NULL;
    gg_strmap_slot *s = gg_strmap_find(map, key, len, key_hash(key, len));
    return s->key ? s->value : NULL;
}

void *gg_strmap_gets(const gg_strmap *map, const char *key)
{
    return gg_strmap_get(map, key, strlen(key));
}

static void gg_strmap_rehash(gg_strmap *map)
{
    size_t old_capacity = map->capacity;
    gg_strmap_slot *old = map->slots;
    map->capacity = old_capacity ? old_capacity * 2 : 8;
    map->slots = gg_arena_array(map->arena, map->capacity, sizeof(gg_strmap_slot));
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].key != NULL)
            *gg_strmap_find(map, old[i].key, old[i].len, old[i].hash) = old[i];
    }
}

static gg_strmap_slot *gg_strmap_slot_for(gg_strmap *map, const char *key, size_t len, bool *existed)
{
    if ((map->count + 1) * 2 > map->capacity)
        gg_strmap_rehash(map);
    uint32_t hash = key_hash(key, len);
    gg_strmap_slot *s = gg_strmap_find(map, key, len, hash);
    *existed = s->key != NULL;
    if (!*existed) {
        s->key = key;
        s->len = len;
        s->hash = hash;
        s->value = NULL;
        map->count++;
    }
    return s;
}

void *gg_strmap_put(gg_strmap *map, const char *key, size_t len, void *value)
{
    bool existed;
    gg_strmap_slot *s = gg_strmap_slot_for(map, key, len, &existed);
    void *previous = existed ? s->value : NULL;
    s->value = value;
    return previous;
}

void *gg_strmap_put_new(gg_strmap *map, const char *key, size_t len, void *value)
{
    bool existed;
    gg_strmap_slot *s = gg_strmap_slot_for(map, key, len, &existed);
    if (!existed)
        s->value = value;
    return s->value;
}
