/* handshake.c: the credentials a websocket upgrade carries (appsync-compat.md §5.1, "Handshake").
 *
 * AppSync clients pass a JSON "header" object ({"host":..,"x-api-key":..} or
 * {"host":..,"Authorization":..}) in one of three ways, tried in this order: the subprotocol
 * entry `header-<base64url, no padding>` (Amplify >= 6.6), the `?header=<base64>&payload=e30=`
 * query (older clients; maybe percent-encoded), or plain x-api-key / Authorization headers. The
 * decoder is lenient on purpose (both alphabets, padding optional), as clients differ. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

char *gg_rt_base64_decode(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len / 4 * 3 + 4);
    if (out == NULL) abort();
    size_t n = 0;
    unsigned bits = 0, acc = 0;
    bool padding = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        int v = base64_value(c);
        if (v < 0 || padding) { /* not base64, or data after the padding */
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    if (bits >= 6) { /* a lone 6-bit group cannot end a valid encoding */
        free(out);
        return NULL;
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

static char *dup_string(const cJSON *item)
{
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0') return NULL;
    char *s = strdup(item->valuestring);
    if (s == NULL) abort();
    return s;
}

/* The member named name, compared without case (header names). */
static const cJSON *member_nocase(const cJSON *object, const char *name)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, object)
    {
        if (item->string != NULL && strcasecmp(item->string, name) == 0) return item;
    }
    return NULL;
}

bool gg_rt_header_credentials(const char *json, size_t len, char **api_key, char **authorization)
{
    *api_key = *authorization = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return false;
    }
    *api_key = dup_string(member_nocase(root, "x-api-key"));
    *authorization = dup_string(member_nocase(root, "authorization"));
    cJSON_Delete(root);
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The value of the query parameter name of req (percent-decoded, in req's pool), or NULL. */
static h2o_iovec_t query_parameter(h2o_req_t *req, const char *name)
{
    if (req->query_at == SIZE_MAX) return h2o_iovec_init(NULL, 0);
    const char *s = req->path.base + req->query_at + 1, *end = req->path.base + req->path.len;
    size_t name_len = strlen(name);
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;
        if ((size_t)(stop - s) > name_len && memcmp(s, name, name_len) == 0 && s[name_len] == '=') {
            const char *v = s + name_len + 1;
            size_t vlen = (size_t)(stop - v);
            char *out = h2o_mem_alloc_pool(&req->pool, vlen + 1);
            size_t n = 0;
            for (size_t i = 0; i < vlen; i++) {
                if (v[i] == '%' && i + 2 < vlen && hex_value(v[i + 1]) >= 0 && hex_value(v[i + 2]) >= 0) {
                    out[n++] = (char)(hex_value(v[i + 1]) * 16 + hex_value(v[i + 2]));
                    i += 2;
                } else {
                    out[n++] = v[i];
                }
            }
            out[n] = '\0';
            return h2o_iovec_init(out, n);
        }
        s = stop + 1;
    }
    return h2o_iovec_init(NULL, 0);
}

/* Credentials from a base64 header object; true when it decoded. */
static bool from_encoded(const char *s, size_t len, char **api_key, char **authorization)
{
    size_t json_len;
    char *json = gg_rt_base64_decode(s, len, &json_len);
    if (json == NULL) return false;
    bool ok = gg_rt_header_credentials(json, json_len, api_key, authorization);
    free(json);
    return ok;
}

static char *header_value(h2o_req_t *req, const char *name)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0 || req->headers.entries[i].value.len == 0) return NULL;
    char *s = strndup(req->headers.entries[i].value.base, req->headers.entries[i].value.len);
    if (s == NULL) abort();
    return s;
}

void gg_rt_upgrade_credentials(h2o_req_t *req, bool appsync, char **api_key, char **authorization)
{
    *api_key = *authorization = NULL;
    if (appsync) {
        ssize_t i = -1;
        while ((i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("sec-websocket-protocol"), i)) >= 0) {
            h2o_iovec_t iter = req->headers.entries[i].value;
            const char *token;
            size_t token_len;
            while ((token = h2o_next_token(&iter, ',', &token_len, NULL)) != NULL) {
                if (token_len > 7 && memcmp(token, "header-", 7) == 0 &&
                    from_encoded(token + 7, token_len - 7, api_key, authorization))
                    return;
            }
        }
        h2o_iovec_t header = query_parameter(req, "header");
        if (header.base != NULL && from_encoded(header.base, header.len, api_key, authorization)) return;
    }
    *api_key = header_value(req, "x-api-key");
    *authorization = header_value(req, "authorization");
}
