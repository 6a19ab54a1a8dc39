/* persisted_queries.h: automatic persisted queries (APQ), the protocol of Apollo Client's
 * PersistedQueryLink and urql's persistedExchange.
 *
 * A client sends extensions.persistedQuery = {"version": 1, "sha256Hash": "<64 hex digits>"}
 * with the query the first time, and with the hash alone afterwards (over POST, or over GET where a
 * cache or CDN can keep the answer). A hash graphgate does not know is answered PersistedQueryNotFound
 * and the client sends the query with it again. Each event-loop thread keeps its own store (no lock):
 * a client whose next request lands on another thread, or on another instance, is told
 * PersistedQueryNotFound once there. The store keeps at most http.persisted_queries queries and
 * GG_PERSISTED_QUERIES_MAX_BYTES bytes of text per thread, dropping the least recently used. A
 * query is kept only when its SHA-256 is the hash sent with it. AppSync has no APQ: an AppSync client
 * never sends the extension, and http.persisted_queries 0 answers a hash alone
 * PersistedQueryNotSupported, after which the links send every query whole. */
#ifndef GG_HTTP_PERSISTED_QUERIES_H
#define GG_HTTP_PERSISTED_QUERIES_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define GG_PERSISTED_QUERIES_MAX_BYTES (8u << 20) /* query text kept per thread */

typedef struct gg_persisted_queries gg_persisted_queries;

typedef enum gg_apq_outcome {
    GG_APQ_NONE,          /* no persistedQuery extension: the request as it came */
    GG_APQ_KEPT,          /* a query with its hash: kept (or kept already), to be run */
    GG_APQ_FOUND,         /* a hash alone that the store knows: *query is its text */
    GG_APQ_NOT_FOUND,     /* a hash alone that it does not: PersistedQueryNotFound */
    GG_APQ_NOT_SUPPORTED, /* a hash alone and the store is off: PersistedQueryNotSupported */
    GG_APQ_BAD,           /* a malformed extension, or a hash that is not the query's: *reason (a 400) */
} gg_apq_outcome;

/* A store that keeps at most max_queries queries; NULL when max_queries is 0 (off). Its table
 * and SHA-256 context come with its first query: a thread no APQ client talks to holds only the
 * store itself. */
gg_persisted_queries *gg_persisted_queries_new(unsigned max_queries);
void gg_persisted_queries_free(gg_persisted_queries *store);

/* Applies a request's extensions (NULL: none) to its query (*query NULL: the request had none;
 * *query_len its length). FOUND sets *query and *query_len to the kept text, valid until the next
 * call on this store. BAD sets *reason (static text). store may be NULL (off). */
gg_apq_outcome gg_persisted_queries_apply(gg_persisted_queries *store, const cJSON *extensions, const char **query,
                                          size_t *query_len, const char **reason);

#endif
