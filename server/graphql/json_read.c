/* json_read.c: JSON text read straight into gg_val trees; see json_read.h.
 *
 * Every @model answer of the json plan is one JSON document built by PostgreSQL, and jsonb columns
 * and AWSJSON arguments are JSON text too. Parsing it with cJSON and then
 * converting the cJSON tree to gg_val cost a malloc and a free per value plus a second copy of every
 * string; this reader builds the gg_val tree directly in the request arena, in one pass. The values
 * it produces are those of gg_val_from_cjson on cJSON's parse, except that an integer that fits
 * int64_t is read exactly (cJSON goes through a double, which rounds bigint values above 2^53,
 * such as AWSTimestamp or Int columns holding large numbers): such a number is INT, others FLOAT; duplicate object keys
 * keep the first position and the last value; strings are unescaped (\uXXXX and surrogate pairs to UTF-8; a lone
 * surrogate is invalid, as in cJSON) and cut at an escaped NUL, as cJSON's C strings were. Lists and objects collect
 * their entries on one scratch stack shared by all levels and are copied to exactly sized arrays when they close, so a
 * container costs one allocation. Nesting deeper than 1000 levels (cJSON's limit) is refused
 * instead of recursing further. Request bodies keep using cJSON (server/http): their numbers are
 * GraphQL's Int and Float, and an AWSJSON value among them is a string, read here. */
#include "json_read.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

enum { MAX_DEPTH = 1000 };

typedef struct reader {
    gg_arena *arena;
    const char *p, *end;
    unsigned depth;
    GG_VEC(gg_val *) items;        /* open lists' items, innermost last */
    GG_VEC(gg_val_member) members; /* open objects' members, innermost last */
} reader;

static gg_val *read_value(reader *r);

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static bool literal(reader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return false;
    r->p += n;
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after "\u"; -1 when malformed. */
static long hex4(reader *r)
{
    if (r->end - r->p < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(r->p[i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    r->p += 4;
    return v;
}

/* Decodes one escape (after the backslash) into out; returns the bytes written, 0 when invalid. */
static size_t unescape(reader *r, char *out)
{
    if (r->p >= r->end) return 0;
    char c = *r->p++;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        out[0] = c;
        return 1;
    case 'b':
        out[0] = '\b';
        return 1;
    case 'f':
        out[0] = '\f';
        return 1;
    case 'n':
        out[0] = '\n';
        return 1;
    case 'r':
        out[0] = '\r';
        return 1;
    case 't':
        out[0] = '\t';
        return 1;
    case 'u':
        break;
    default:
        return 0;
    }
    long hi = hex4(r);
    if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF)) return 0;
    if (hi < 0xD800 || hi > 0xDBFF) return (size_t)gg_utf8_encode((uint32_t)hi, out);
    if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') return 0;
    r->p += 2;
    long lo = hex4(r);
    if (lo < 0xDC00 || lo > 0xDFFF) return 0;
    return (size_t)gg_utf8_encode(
        (uint32_t)(0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00)), out);
}

/* Reads a string after its opening quote into the arena; NULL when invalid. */
static char *read_string(reader *r, size_t *len)
{
    const char *start = r->p;
    const char *q = memchr(start, '"', (size_t)(r->end - start));
    const char *backslash = q != NULL ? memchr(start, '\\', (size_t)(q - start)) : NULL;
    if (q != NULL && backslash == NULL) { /* no escapes: one copy */
        r->p = q + 1;
        *len = (size_t)(q - start);
        return gg_arena_strndup(r->arena, start, *len);
    }
    if (q == NULL) return NULL;
    /* the string's end, skipping escaped characters; escapes never make the text longer (\uXXXX,
     * 6 bytes, is at most 3 bytes of UTF-8, a pair 4), so its length bounds the unescaped copy */
    q = backslash;
    const char *close = backslash;
    while (close < r->end && *close != '"')
        close += *close == '\\' && r->end - close > 1 ? 2 : 1;
    if (close >= r->end) return NULL;
    char *out = gg_arena_alloc_uninit(r->arena, (size_t)(close - start) + 1);
    size_t n = (size_t)(q - start);
    memcpy(out, start, n);
    r->p = q;
    bool cut = false; /* after an escaped NUL: cJSON's C string ended there */
    for (;;) {
        if (r->p >= r->end) return NULL;
        char c = *r->p++;
        if (c == '"') break;
        if (c != '\\') {
            if (!cut) out[n++] = c;
            continue;
        }
        char tmp[4];
        size_t k = unescape(r, tmp);
        if (k == 0) return NULL;
        if (k == 1 && tmp[0] == '\0') cut = true;
        if (!cut) {
            memcpy(out + n, tmp, k);
            n += k;
        }
    }
    out[n] = '\0';
    *len = n;
    return out;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static gg_val *number_value(reader *r, double d)
{
    if (isfinite(d) && d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return gg_val_int(r->arena, (int64_t)d);
    return gg_val_float(r->arena, d);
}

static gg_val *read_number(reader *r)
{
    const char *start = r->p;
    const char *q = start;
    bool negative = q < r->end && *q == '-';
    if (negative) q++;
    const char *digits = q;
    while (q < r->end && is_digit(*q))
        q++;
    if (q == digits) return NULL;
    bool integral = true;
    if (q < r->end && *q == '.') {
        integral = false;
        q++;
        const char *frac = q;
        while (q < r->end && is_digit(*q))
            q++;
        if (q == frac) return NULL;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        integral = false;
        q++;
        if (q < r->end && (*q == '+' || *q == '-')) q++;
        const char *exp = q;
        while (q < r->end && is_digit(*q))
            q++;
        if (q == exp) return NULL;
    }
    r->p = q;
    if (integral && q - digits <= 19) { /* fits uint64_t: exact when it fits int64_t (bigint's range) */
        uint64_t v = 0;
        for (const char *c = digits; c < q; c++)
            v = v * 10 + (uint64_t)(*c - '0');
        if (v <= (uint64_t)INT64_MAX) return gg_val_int(r->arena, negative ? -(int64_t)v : (int64_t)v);
        if (negative && v == (uint64_t)INT64_MAX + 1) return gg_val_int(r->arena, INT64_MIN);
    }
    size_t n = (size_t)(q - start);
    char local[64];
    char *copy = n < sizeof local ? local : gg_arena_alloc_uninit(r->arena, n + 1);
    memcpy(copy, start, n);
    copy[n] = '\0';
    return number_value(r, strtod(copy, NULL));
}

static gg_val *read_list(reader *r)
{
    unsigned base = r->items.count;
    skip_space(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return gg_val_list(r->arena, 0);
    }
    for (;;) {
        gg_val *item = read_value(r);
        if (item == NULL) return NULL;
        GG_VEC_PUSH(r->arena, r->items, item);
        skip_space(r);
        if (r->p >= r->end) return NULL;
        char c = *r->p++;
        if (c == ']') break;
        if (c != ',') return NULL;
    }
    unsigned n = r->items.count - base;
    gg_val *list = gg_val_new(r->arena, GG_VAL_LIST);
    list->items = gg_arena_alloc_uninit(r->arena, n * sizeof *list->items);
    memcpy(list->items, r->items.items + base, n * sizeof *list->items);
    list->count = n;
    list->len = n; /* capacity, as gg_val_list_push reads it */
    r->items.count = base;
    return list;
}

/* Index of key among members[base..count), or -1. */
static long find_member(const reader *r, unsigned base, const char *key, size_t len)
{
    for (unsigned i = base; i < r->members.count; i++) {
        const char *k = r->members.items[i].key;
        if (k[0] == key[0] && strncmp(k, key, len) == 0 && k[len] == '\0') return (long)i;
    }
    return -1;
}

static gg_val *read_object(reader *r)
{
    unsigned base = r->members.count;
    skip_space(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return gg_val_object(r->arena, 0);
    }
    for (;;) {
        skip_space(r);
        if (r->p >= r->end || *r->p != '"') return NULL;
        r->p++;
        size_t len;
        char *key = read_string(r, &len);
        if (key == NULL) return NULL;
        skip_space(r);
        if (r->p >= r->end || *r->p != ':') return NULL;
        r->p++;
        gg_val *value = read_value(r);
        if (value == NULL) return NULL;
        long dup = find_member(r, base, key, strlen(key)); /* len, unless an escaped NUL cut it */
        if (dup >= 0)
            r->members.items[dup].value = value;
        else
            GG_VEC_PUSH(r->arena, r->members, ((gg_val_member){key, value}));
        skip_space(r);
        if (r->p >= r->end) return NULL;
        char c = *r->p++;
        if (c == '}') break;
        if (c != ',') return NULL;
    }
    unsigned n = r->members.count - base;
    gg_val *obj = gg_val_new(r->arena, GG_VAL_OBJECT);
    obj->members = gg_arena_alloc_uninit(r->arena, n * sizeof *obj->members);
    memcpy(obj->members, r->members.items + base, n * sizeof *obj->members);
    obj->count = n;
    obj->len = n; /* capacity, as gg_val_object_set reads it */
    r->members.count = base;
    return obj;
}

static gg_val *read_value(reader *r)
{
    skip_space(r);
    if (r->p >= r->end) return NULL;
    switch (*r->p) {
    case '"': {
        r->p++;
        size_t len;
        char *s = read_string(r, &len);
        if (s == NULL) return NULL;
        gg_val *v = gg_val_new(r->arena, GG_VAL_STRING);
        v->s = s;
        v->len = len;
        return v;
    }
    case '{':
    case '[': {
        if (r->depth >= MAX_DEPTH) return NULL;
        bool object = *r->p++ == '{';
        r->depth++;
        gg_val *v = object ? read_object(r) : read_list(r);
        r->depth--;
        return v;
    }
    case 't':
        return literal(r, "true", 4) ? &gg_val_true_value : NULL;
    case 'f':
        return literal(r, "false", 5) ? &gg_val_false_value : NULL;
    case 'n':
        return literal(r, "null", 4) ? &gg_val_null_value : NULL;
    default:
        return read_number(r);
    }
}

gg_val *gg_json_read(gg_arena *arena, const char *text, size_t len)
{
    if (text == NULL) return NULL;
    reader r = {.arena = arena, .p = text, .end = text + len};
    gg_val *v = read_value(&r);
    if (v == NULL) return NULL;
    skip_space(&r);
    return r.p == r.end ? v : NULL;
}
