/* strmap.c: open-addressing string map; see strmap.h. */
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
    gg_strmap_slot *s = gg_strmap_find(map, key, len, gg_hash_bytes(key, len));
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
    uint32_t hash = gg_hash_bytes(key, len);
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
