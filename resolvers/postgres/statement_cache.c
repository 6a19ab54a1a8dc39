/* statement_cache.c: one connection's prepared statements; see statement_cache.h.
 *
 * The one hash table (base/strmap, on the heap) keyed by the statement's name, in its
 * least-recently-used order: a lookup, a use and an eviction are O(1). Entries are malloc'd with
 * their text and freed when forgotten, so memory stays bounded by the cache's limit. An entry
 * remembers which PREPARE created it (prepare_seq), so that the late reply of an older PREPARE of
 * the same text never removes or changes a newer entry. */
#include "statement_cache.h"

#include <stdio.h>
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

static void name_of(uint64_t hash, char name[GG_PG_STATEMENT_NAME_LEN + 1])
{
    snprintf(name, GG_PG_STATEMENT_NAME_LEN + 1, "gg_%016llx", (unsigned long long)hash);
}

void gg_pg_statement_key_of(const char *sql, gg_pg_statement_key *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    key->hash = h;
    name_of(h, key->name);
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
