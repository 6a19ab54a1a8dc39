/* cursor.h: opaque, tamper-evident nextToken values for keyset pagination.
 *
 * A token carries the sort-key values of the last row of a page (as text, NULL allowed) and
 * proves with an HMAC-SHA256 that this server issued it for the same query shape. The MAC covers
 * a context string (model, index, sort direction: whatever must not change between pages) and
 * the payload, so a token cannot be edited, forged, or replayed against another list. Format:
 * base64url(JSON array of values) "." base64url(first 16 bytes of the MAC). The secret must be
 * the same on every instance behind a load balancer. */
#ifndef GG_PG_CURSOR_H
#define GG_PG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/fault.h"

typedef struct gg_cursor_key {
    unsigned char secret[32];
} gg_cursor_key;

/* Sets up OpenSSL's SHA-256 (its configuration and default provider, some 60 page faults) so that
 * the first gg_cursor_key_init does not: start-up runs it on the main thread (OpenSSL's per-thread
 * state stays there) while PostgreSQL answers its first query (gg_pg_startup_while_waiting). */
void gg_cursor_setup(void);
/* Derives a key from secret text of any length (SHA-256 of it). */
void gg_cursor_key_init(gg_cursor_key *key, const char *secret, size_t len);
/* Encodes count values (NULL entries allowed) for context; the token lives in arena. */
char *gg_cursor_encode(gg_arena *arena, const gg_cursor_key *key, const char *context, const char *const *values,
                       unsigned count);
/* Decodes and verifies a token issued for context. On success *values (arena strings, NULL for
 * SQL NULL) and *count are set; on failure returns false with a message for the client in fault. */
bool gg_cursor_decode(gg_arena *arena, const gg_cursor_key *key, const char *context, const char *token,
                      const char ***values, unsigned *count, gg_fault *fault);

#endif
