/* persisted_queries.c: the thread's store of automatic persisted queries; see persisted_queries.h.
 *
 * The store is the one hash table (base/strmap.h) in least-recently-used order, keyed by the hash in
 * lower-case hex; each entry is one allocation holding its key and its text. A hash alone that is
 * found makes its entry the newest; a new entry drops the oldest ones until both limits hold. The
 * SHA-256 context is fetched once, with the first query (OpenSSL 3 looks an algorithm up on every
 * one-shot call). */
#include "persisted_queries.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../base/strmap.h"

enum { HASH_HEX = 64 };

typedef struct entry {
    size_t len;
    char key[HASH_HEX + 1];
    char text[]; /* len bytes and a NUL */
} entry;

struct gg_persisted_queries {
    unsigned max_queries;
    size_t bytes;    /* the kept texts' lengths */
    bool set_up;     /* map and digest exist (the first query's work) */
    gg_strmap map;   /* key -> entry */
    EVP_MD *sha256;  /* fetched once */
    EVP_MD_CTX *ctx; /* reused by every hash */
};

gg_persisted_queries *gg_persisted_queries_new(unsigned max_queries)
{
    if (max_queries == 0) return NULL;
    gg_persisted_queries *store = calloc(1, sizeof *store);
    if (store == NULL) abort();
    store->max_queries = max_queries;
    return store;
}

void gg_persisted_queries_free(gg_persisted_queries *store)
{
    if (store == NULL) return;
    if (store->set_up) {
        entry *e;
        while ((e = gg_strmap_remove_oldest(&store->map)) != NULL)
            free(e);
        gg_strmap_free(&store->map);
        EVP_MD_CTX_free(store->ctx);
        EVP_MD_free(store->sha256);
    }
    free(store);
}

static void set_up(gg_persisted_queries *store)
{
    if (store->set_up) return;
    gg_strmap_init(&store->map, NULL);
    store->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    store->ctx = EVP_MD_CTX_new();
    if (store->sha256 == NULL || store->ctx == NULL) abort(); /* OpenSSL without SHA-256, or no memory */
    store->set_up = true;
}

/* The hash the client sent, in lower case into key; false when it is not 64 hex digits. */
static bool read_hash(const cJSON *hash, char key[HASH_HEX + 1])
{
    if (!cJSON_IsString(hash) || strlen(hash->valuestring) != HASH_HEX) return false;
    for (unsigned i = 0; i < HASH_HEX; i++) {
        char c = hash->valuestring[i];
        if (c >= 'A' && c <= 'F') c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        key[i] = c;
    }
    key[HASH_HEX] = '\0';
    return true;
}

static void hash_text(gg_persisted_queries *store, const char *text, size_t len, char out[HASH_HEX + 1])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned digest_len = 0;
    if (EVP_DigestInit_ex(store->ctx, store->sha256, NULL) != 1 || EVP_DigestUpdate(store->ctx, text, len) != 1 ||
        EVP_DigestFinal_ex(store->ctx, digest, &digest_len) != 1 || digest_len != HASH_HEX / 2)
        abort(); /* SHA-256 of bytes in memory cannot fail */
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < HASH_HEX / 2; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[HASH_HEX] = '\0';
}

static void keep(gg_persisted_queries *store, const char key[HASH_HEX + 1], const char *text, size_t len)
{
    uint32_t hash = gg_strmap_hash(key, HASH_HEX);
    if (gg_strmap_touch(&store->map, key, HASH_HEX, hash) != NULL) return;
    if (len > GG_PERSISTED_QUERIES_MAX_BYTES) return; /* larger than the whole store: sent whole each time */
    while (store->map.count > 0 &&
           (store->map.count >= store->max_queries || store->bytes + len > GG_PERSISTED_QUERIES_MAX_BYTES)) {
        entry *old = gg_strmap_remove_oldest(&store->map);
        store->bytes -= old->len;
        free(old);
    }
    entry *e = malloc(sizeof *e + len + 1);
    if (e == NULL) abort();
    e->len = len;
    memcpy(e->key, key, HASH_HEX + 1);
    memcpy(e->text, text, len);
    e->text[len] = '\0';
    gg_strmap_put_hashed(&store->map, e->key, HASH_HEX, hash, e);
    store->bytes += len;
}

gg_apq_outcome gg_persisted_queries_apply(gg_persisted_queries *store, const cJSON *extensions, const char **query,
                                          size_t *query_len, const char **reason)
{
    const cJSON *pq =
        cJSON_IsObject(extensions) ? cJSON_GetObjectItemCaseSensitive(extensions, "persistedQuery") : NULL;
    if (pq == NULL || cJSON_IsNull(pq)) return GG_APQ_NONE;
    if (store == NULL) return *query != NULL ? GG_APQ_NONE : GG_APQ_NOT_SUPPORTED;
    if (!cJSON_IsObject(pq)) {
        *reason = "The \"persistedQuery\" extension must be an object.";
        return GG_APQ_BAD;
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(pq, "version");
    if (!cJSON_IsNumber(version) || version->valuedouble != 1) {
        *reason = "Unsupported persisted query version: graphgate knows version 1.";
        return GG_APQ_BAD;
    }
    char key[HASH_HEX + 1];
    if (!read_hash(cJSON_GetObjectItemCaseSensitive(pq, "sha256Hash"), key)) {
        *reason = "The \"persistedQuery\" extension's sha256Hash must be the query's SHA-256 in 64 hexadecimal "
                  "digits.";
        return GG_APQ_BAD;
    }
    set_up(store);
    if (*query == NULL) {
        entry *e = gg_strmap_touch(&store->map, key, HASH_HEX, gg_strmap_hash(key, HASH_HEX));
        if (e == NULL) return GG_APQ_NOT_FOUND;
        *query = e->text;
        *query_len = e->len;
        return GG_APQ_FOUND;
    }
    char actual[HASH_HEX + 1];
    hash_text(store, *query, *query_len, actual);
    if (memcmp(actual, key, HASH_HEX) != 0) {
        *reason = "provided sha does not match query";
        return GG_APQ_BAD;
    }
    keep(store, key, *query, *query_len);
    return GG_APQ_KEPT;
}
