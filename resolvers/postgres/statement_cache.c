/* statement_cache.c: one connection's prepared statements; see statement_cache.h.
 *
 * The one hash table (base/strmap, on the heap) keyed by the statement's name, in its
 * least-recently-used order: a lookup, a use and an eviction are O(1). Entries are malloc'd with
 * their text and freed when forgotten, so memory stays bounded by the cache's limit. An entry
 * remembers which PREPARE created it (prepare_seq), so that the late reply of an older PREPARE of
 * the same text never removes or changes a newer entry. */
#include "statement_cache.h"

#include <stdlib.h>
#include <string.h>

void gg_pg_statement_cache_init(gg_pg_statement_cache *cache)
{
    gg_strmap_init(&cache->entries, NULL);
}

void gg_pg_statement_cache_clear(gg_pg_statement_cache *cache)
{
    for (gg_pg_prepared *e; (e = gg_strmap_remove_oldest(&cache->entries)) != NULL;)
        free(e);
    gg_strmap_free(&cache->entries);
}

unsigned gg_pg_statement_cache_count(const gg_pg_statement_cache *cache)
{
    return (unsigned)cache->entries.count;
}

/* "gg_" and the hash in 16 hex digits (every query names its statement: no snprintf). */
static void name_of(uint64_t hash, char name[GG_PG_STATEMENT_NAME_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    memcpy(name, "gg_", 3);
    for (int i = 0; i < 16; i++)
        name[3 + i] = hex[(hash >> (60 - 4 * i)) & 15];
    name[GG_PG_STATEMENT_NAME_LEN] = '\0';
}

/* A 64-bit hash of the text, eight bytes a step: every query hashes its statement, and FNV-1a's
 * byte a step cost about 4 instructions a byte (5,000 for a versioned write's 1.2 KB of SQL,
 * callgrind). Not meant to resist chosen texts: a collision only makes one statement run
 * unprepared (the cache compares the texts). */
static uint64_t text_hash(const char *sql, size_t len)
{
    const uint64_t multiplier = 0xff51afd7ed558ccdull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t word;
        memcpy(&word, sql + i, 8);
        h = (h ^ word) * multiplier;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, sql + i, len - i);
    h = (h ^ tail) * multiplier;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

void gg_pg_statement_key_of(const char *sql, gg_pg_statement_key *key)
{
    key->hash = text_hash(sql, strlen(sql));
    name_of(key->hash, key->name);
    key->name_hash = gg_strmap_hash(key->name, GG_PG_STATEMENT_NAME_LEN);
}

gg_pg_prepared *gg_pg_statement_cache_use(gg_pg_statement_cache *cache, const gg_pg_statement_key *key)
{
    return gg_strmap_touch(&cache->entries, key->name, GG_PG_STATEMENT_NAME_LEN, key->name_hash);
}

gg_pg_prepared *gg_pg_statement_cache_add(gg_pg_statement_cache *cache, const gg_pg_statement_key *key, const char *sql,
                                          uint64_t prepare_seq)
{
    size_t len = strlen(sql);
    gg_pg_prepared *e = malloc(sizeof *e + len + 1);
    if (e == NULL) return NULL;
    e->prepare_seq = prepare_seq;
    memcpy(e->name, key->name, sizeof e->name);
    e->interrupted = false;
    memcpy(e->sql, sql, len + 1);
    gg_strmap_put_hashed(&cache->entries, e->name, GG_PG_STATEMENT_NAME_LEN, key->name_hash, e);
    return e;
}

gg_pg_prepared *gg_pg_statement_cache_created_by(const gg_pg_statement_cache *cache, uint64_t hash,
                                                 uint64_t prepare_seq)
{
    char name[GG_PG_STATEMENT_NAME_LEN + 1];
    name_of(hash, name);
    gg_pg_prepared *e = gg_strmap_get(&cache->entries, name, GG_PG_STATEMENT_NAME_LEN);
    return e != NULL && e->prepare_seq == prepare_seq ? e : NULL;
}

void gg_pg_statement_cache_forget(gg_pg_statement_cache *cache, uint64_t hash, uint64_t prepare_seq)
{
    char name[GG_PG_STATEMENT_NAME_LEN + 1];
    name_of(hash, name);
    gg_pg_prepared *e = gg_strmap_get(&cache->entries, name, GG_PG_STATEMENT_NAME_LEN);
    if (e != NULL && e->prepare_seq == prepare_seq)
        free(gg_strmap_remove(&cache->entries, name, GG_PG_STATEMENT_NAME_LEN));
}

bool gg_pg_statement_cache_evict_oldest(gg_pg_statement_cache *cache, char name[GG_PG_STATEMENT_NAME_LEN + 1])
{
    gg_pg_prepared *oldest = gg_strmap_remove_oldest(&cache->entries);
    if (oldest == NULL) return false;
    memcpy(name, oldest->name, GG_PG_STATEMENT_NAME_LEN + 1);
    free(oldest);
    return true;
}
