/* cursor.c: HMAC-signed keyset cursors; see cursor.h. */
#include "cursor.h"

#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "base/buf.h"

enum { MAC_BYTES = 16, MAX_TOKEN = 8192 };

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void base64url_encode(gg_buf *out, const unsigned char *data, size_t len)
{
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8 | data[i + 2];
        char quad[4] = {b64url[v >> 18], b64url[(v >> 12) & 63], b64url[(v >> 6) & 63], b64url[v & 63]};
        gg_buf_append(out, quad, 4);
    }
    if (len - i == 1) {
        unsigned v = (unsigned)data[i] << 16;
        char pair[2] = {b64url[v >> 18], b64url[(v >> 12) & 63]};
        gg_buf_append(out, pair, 2);
    } else if (len - i == 2) {
        unsigned v = (unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8;
        char triple[3] = {b64url[v >> 18], b64url[(v >> 12) & 63], b64url[(v >> 6) & 63]};
        gg_buf_append(out, triple, 3);
    }
}

static int b64url_value(char c)
{
    const char *p = c ? strchr(b64url, c) : NULL;
    return p ? (int)(p - b64url) : -1;
}

/* Decodes unpadded base64url; returns the length or -1 when malformed. out must hold len*3/4+3. */
static long base64url_decode(const char *in, size_t len, unsigned char *out)
{
    if (len % 4 == 1) return -1;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value(in[i]);
        if (v < 0) return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) /* non-canonical trailing bits */
        return -1;
    return (long)o;
}

static void compute_mac(const gg_cursor_key *key, const char *context, const unsigned char *payload, size_t len,
                        unsigned char mac[32])
{
    gg_buf msg;
    gg_buf_init(&msg);
    gg_buf_puts(&msg, context);
    gg_buf_putc(&msg, '\0');
    gg_buf_append(&msg, payload, len);
    unsigned int mac_len = 32;
    HMAC(EVP_sha256(), key->secret, sizeof key->secret, (const unsigned char *)msg.data, msg.len, mac, &mac_len);
    gg_buf_free(&msg);
}

void gg_cursor_setup(void)
{
    EVP_MD_free(EVP_MD_fetch(NULL, "SHA256", NULL)); /* fetched once: OpenSSL keeps it for the next */
}

void gg_cursor_key_init(gg_cursor_key *key, const char *secret, size_t len)
{
    SHA256((const unsigned char *)secret, len, key->secret);
}

char *gg_cursor_encode(gg_arena *arena, const gg_cursor_key *key, const char *context, const char *const *values,
                       unsigned count)
{
    gg_buf payload, token;
    gg_buf_init(&payload);
    gg_buf_init(&token);
    gg_buf_putc(&payload, '[');
    for (unsigned i = 0; i < count; i++) {
        if (i) gg_buf_putc(&payload, ',');
        if (values[i] == NULL)
            gg_buf_puts(&payload, "null");
        else
            gg_json_write_string(&payload, values[i], strlen(values[i]));
    }
    gg_buf_putc(&payload, ']');
    unsigned char mac[32];
    compute_mac(key, context, (const unsigned char *)payload.data, payload.len, mac);
    base64url_encode(&token, (const unsigned char *)payload.data, payload.len);
    gg_buf_putc(&token, '.');
    base64url_encode(&token, mac, MAC_BYTES);
    char *result = gg_arena_strndup(arena, token.data, token.len);
    gg_buf_free(&payload);
    gg_buf_free(&token);
    return result;
}

/* gg_cursor_decode without the message: every refusal reads alike, so nothing tells which check failed. */
static bool decode(gg_arena *arena, const gg_cursor_key *key, const char *context, const char *token,
                   const char ***values, unsigned *count)
{
    size_t len = strlen(token);
    const char *dot = memchr(token, '.', len);
    if (len > MAX_TOKEN || dot == NULL) return false;
    size_t payload_len = (size_t)(dot - token), mac_text_len = len - payload_len - 1;
    unsigned char *payload = gg_arena_alloc(arena, payload_len * 3 / 4 + 3);
    unsigned char given[MAC_BYTES + 3], expected[32];
    long n = base64url_decode(token, payload_len, payload);
    if (n < 0 || mac_text_len > 24 || base64url_decode(dot + 1, mac_text_len, given) != MAC_BYTES) return false;
    compute_mac(key, context, payload, (size_t)n, expected);
    if (CRYPTO_memcmp(given, expected, MAC_BYTES) != 0) return false;
    cJSON *json = cJSON_ParseWithLength((const char *)payload, (size_t)n);
    if (json == NULL || !cJSON_IsArray(json)) {
        cJSON_Delete(json);
        return false;
    }
    unsigned total = (unsigned)cJSON_GetArraySize(json), i = 0;
    const char **out = gg_arena_array(arena, total ? total : 1, sizeof *out);
    const cJSON *item;
    cJSON_ArrayForEach(item, json)
    {
        if (cJSON_IsString(item))
            out[i++] = gg_arena_strdup(arena, item->valuestring);
        else if (cJSON_IsNull(item))
            out[i++] = NULL;
        else {
            cJSON_Delete(json);
            return false;
        }
    }
    cJSON_Delete(json);
    *values = out;
    *count = total;
    return true;
}

bool gg_cursor_decode(gg_arena *arena, const gg_cursor_key *key, const char *context, const char *token,
                      const char ***values, unsigned *count, gg_fault *fault)
{
    if (decode(arena, key, context, token, values, count)) return true;
    return gg_fault_set_text(fault, NULL,
                             "Invalid nextToken: it is malformed, was altered, or was issued for another query.");
}
