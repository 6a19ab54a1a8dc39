/* statement_cache.h: the statements one pool connection has prepared (pg_pool.c's statement cache).
 *
 * Clients choose filter shapes, so the distinct statement texts are unbounded, and each prepared
 * one costs memory here and in the backend: a connection keeps at most max_prepared_statements of
 * them, and forgets the least recently used one to make room. Each statement is named after a
 * 64-bit hash of its text (gg_ and 16 hex digits), so the text is hashed once per query; an entry
 * keeps its text, so a hash collision is noticed (that statement then runs unprepared). pg_pool.c
 * drives the pipeline (PREPARE, DEALLOCATE, their failures); this file only remembers. */
#ifndef GG_PG_STATEMENT_CACHE_H
#define GG_PG_STATEMENT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strmap.h"

enum { GG_PG_STATEMENT_NAME_LEN = 19 }; /* gg_ and 16 hex digits */

/* A statement prepared (or being prepared) on one connection. */
typedef struct gg_pg_prepared {
    uint64_t prepare_seq; /* which PREPARE of the connection created it */
    bool interrupted;     /* a cancel request is out for its PREPARE: queries of its text run unprepared */
    char name[GG_PG_STATEMENT_NAME_LEN + 1]; /* gg_<hash of the text in hex>: its key in the cache */
    char sql[];                              /* its text */
} gg_pg_prepared;

/* Where a statement text stands in a cache: the hash of the text, the name it is prepared under
 * and the hash table's hash of that name. */
typedef struct gg_pg_statement_key {
    uint64_t hash;
    uint32_t name_hash;
    char name[GG_PG_STATEMENT_NAME_LEN + 1];
} gg_pg_statement_key;

/* One connection's statements, least recently used first. */
typedef struct gg_pg_statement_cache {
    gg_strmap entries; /* name -> gg_pg_prepared (malloc'd) */
} gg_pg_statement_cache;

/* An empty cache. */
void gg_pg_statement_cache_init(gg_pg_statement_cache *cache);
/* Forgets every statement (a new session has none); the cache can be used again. */
void gg_pg_statement_cache_clear(gg_pg_statement_cache *cache);
/* How many statements the cache holds. */
unsigned gg_pg_statement_cache_count(const gg_pg_statement_cache *cache);
/* The key of the statement text sql. */
void gg_pg_statement_key_of(const char *sql, gg_pg_statement_key *key);
/* The statement of key, made the most recently used; NULL when absent. Its text may differ from
 * the caller's (a hash collision): compare before executing it by name. */
gg_pg_prepared *gg_pg_statement_cache_use(gg_pg_statement_cache *cache, const gg_pg_statement_key *key);
/* Adds sql under key (which must be absent) as the most recently used, created by the PREPARE
 * numbered prepare_seq; NULL when out of memory. */
gg_pg_prepared *gg_pg_statement_cache_add(gg_pg_statement_cache *cache, const gg_pg_statement_key *key, const char *sql,
                                          uint64_t prepare_seq);
/* The statement the PREPARE numbered prepare_seq created for the text hash, or NULL when it is gone
 * (evicted, or replaced by a newer PREPARE of the same text). */
gg_pg_prepared *gg_pg_statement_cache_created_by(const gg_pg_statement_cache *cache, uint64_t hash,
                                                 uint64_t prepare_seq);
/* Removes the statement that PREPARE created, when it is still there (the PREPARE failed). */
void gg_pg_statement_cache_forget(gg_pg_statement_cache *cache, uint64_t hash, uint64_t prepare_seq);
/* Removes the least recently used statement and writes its name (to DEALLOCATE); false when empty. */
bool gg_pg_statement_cache_evict_oldest(gg_pg_statement_cache *cache, char name[GG_PG_STATEMENT_NAME_LEN + 1]);

#endif
