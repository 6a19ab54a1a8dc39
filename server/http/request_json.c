/* request_json.c: one pass over a request's JSON text before cJSON parses it (see request_json.h).
 *
 * cJSON 1.7.15 is lenient where leniency changes meaning: it copies raw control characters out of
 * strings (a raw NUL then cuts the C string cJSON hands over), decodes \u0000 into the same cut,
 * keeps both copies of a repeated key and answers lookups with the first (JavaScript's JSON.parse
 * keeps the last), and with a NUL-terminated buffer it stops at a raw NUL between tokens, so
 * anything after it is never looked at. This pass walks the text once, as the JSON grammar (RFC
 * 8259) reads it, and refuses all of these; cJSON then only builds the tree.
 *
 * Costs: linear in the text, and nothing allocated for a small request, since every request pays
 * this pass (issue 9: a 24 KB path stack allocated and zeroed per request was 24,000 of the 41,000
 * instructions an HTTP/2 { __typename } cost, the whole HTTP/2 slowdown). Keys are compared
 * decoded, so "a" and "\u0061" are the same key; a key without escapes is its own text, one with
 * escapes is decoded into an arena freed at the end. An object's first FEW_KEYS keys are compared
 * one by one (a request body has at most four: query, operationName, variables, extensions),
 * later ones go into a gg_strmap in the arena, so an object with many keys stays linear. The path
 * to the current value is a stack of at most MAX_DEPTH segments (cJSON's own nesting limit, so
 * both refuse the same documents), read only to write a message: PATH_INLINE segments in the
 * scanner, deeper ones in the arena. Recursion is bounded by the same depth. */
#include "request_json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/strmap.h"
#include "../base/utf8.h"

#define MAX_DEPTH 1000 /* cJSON's CJSON_NESTING_LIMIT */
#define MAX_KEY_IN_MESSAGE 64
#define FEW_KEYS 8     /* keys of an object compared one by one before a map takes over */
#define PATH_INLINE 16 /* path segments kept in the scanner itself */

typedef struct path_segment {
    const char *key; /* decoded; NULL: an array index */
    size_t key_len;
    size_t index;
} path_segment;

typedef struct scanner {
    const char *p, *end;
    gg_arena arena;
    const char *what;
    gg_fault *fault;
    bool refused;
    GG_VEC(path_segment) path;             /* path.count: the depth of the current value */
    path_segment path_inline[PATH_INLINE]; /* path.items until the depth passes PATH_INLINE */
} scanner;

static bool refuse(scanner *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool refuse(scanner *s, const char *fmt, ...)
{
    if (s->refused) return false;
    s->refused = true;
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return gg_fault_set(s->fault, NULL, "%s %s", s->what, reason);
}

static void skip_space(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after "\u" at p into *unit; false when they are not hex. */
static bool read_unit(const char *p, const char *end, uint32_t *unit)
{
    if (end - p < 4) return false;
    *unit = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0) return false;
        *unit = *unit * 16 + (uint32_t)d;
    }
    return true;
}

/* The closing quote of the string whose text starts at p (after its opening quote), or end when it
 * has none: escaped quotes are skipped. */
static const char *string_end(const char *p, const char *end)
{
    while (p < end && *p != '"')
        p += *p == '\\' ? 2 : 1;
    return p < end ? p : end;
}

/* Scans the string at s->p (on its opening quote). With decoded != NULL, also returns its decoded
 * value (not NUL-terminated): the text itself when it has no escape, else a copy decoded into the
 * arena from the first escape on, in room for the whole raw text up to the closing quote (a raw
 * text is never shorter than its decoding). */
static bool scan_string(scanner *s, const char **decoded, size_t *decoded_len)
{
    const char *start = ++s->p;
    char *out = NULL; /* the decoding, once an escape was met */
    size_t n = 0;
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            if (decoded != NULL) {
                *decoded = out != NULL ? out : start;
                *decoded_len = out != NULL ? n : (size_t)(s->p - start);
            }
            s->p++;
            return true;
        }
        if (c < 0x20)
            return refuse(s, "has a raw control character (U+%04X) inside a string: JSON requires it escaped.", c);
        if (c != '\\') {
            /* the unescaped run up to the next quote, backslash or control character (in locals:
             * through s, every byte read could alias s->p and force a reload) */
            const char *run = s->p, *q = run, *end = s->end;
            while (q < end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
                q++;
            s->p = q;
            if (out != NULL) {
                memcpy(out + n, run, (size_t)(q - run));
                n += (size_t)(q - run);
            }
            continue;
        }
        if (decoded != NULL && out == NULL) {
            out = gg_arena_alloc_uninit(&s->arena, (size_t)(string_end(s->p, s->end) - start));
            n = (size_t)(s->p - start);
            memcpy(out, start, n);
        }
        if (s->end - s->p < 2) return refuse(s, "is not valid JSON.");
        char e = s->p[1];
        s->p += 2;
        char simple = e == '"'    ? '"'
                      : e == '\\' ? '\\'
                      : e == '/'  ? '/'
                      : e == 'b'  ? '\b'
                      : e == 'f'  ? '\f'
                      : e == 'n'  ? '\n'
                      : e == 'r'  ? '\r'
                      : e == 't'  ? '\t'
                                  : 0;
        if (simple != 0) {
            if (out != NULL) out[n++] = simple;
            continue;
        }
        uint32_t unit;
        if (e != 'u' || !read_unit(s->p, s->end, &unit)) return refuse(s, "is not valid JSON.");
        s->p += 4;
        if (unit == 0) return refuse(s, "contains \\u0000: NUL characters are not supported.");
        uint32_t cp = unit;
        uint32_t low;
        if (unit >= 0xD800 && unit <= 0xDBFF && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u' &&
            read_unit(s->p + 2, s->end, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            s->p += 6;
        }
        if (out != NULL) {
            /* a lone surrogate cannot be UTF-8: keep it as U+FFFD, as cJSON's lookups could never
             * tell two of them apart anyway */
            n += (size_t)gg_utf8_encode(gg_utf8_is_scalar_value(cp) ? cp : 0xFFFD, out + n);
        }
    }
    return refuse(s, "is not valid JSON.");
}

/* Writes the path to the current value ("variables.filter.or[3]") into b. */
static void write_path(const scanner *s, gg_buf *b)
{
    for (unsigned i = 0; i < s->path.count; i++) {
        const path_segment *seg = &s->path.items[i];
        if (seg->key == NULL) {
            gg_buf_printf(b, "[%zu]", seg->index);
        } else {
            if (b->len > 0) gg_buf_putc(b, '.');
            gg_buf_append(b, seg->key, seg->key_len);
        }
    }
}

static bool refuse_duplicate(scanner *s, const char *key, size_t key_len)
{
    size_t shown = key_len;
    if (shown > MAX_KEY_IN_MESSAGE) { /* cut on a character boundary */
        shown = MAX_KEY_IN_MESSAGE;
        while (shown > 0 && ((unsigned char)key[shown] & 0xC0) == 0x80)
            shown--;
    }
    gg_buf where;
    gg_buf_init(&where);
    write_path(s, &where);
    if (where.len == 0)
        refuse(s, "has the key \"%.*s%s\" twice: a key may appear only once in an object.", (int)shown, key,
               shown < key_len ? "..." : "");
    else
        refuse(s, "has the key \"%.*s%s\" twice in %.*s: a key may appear only once in an object.", (int)shown, key,
               shown < key_len ? "..." : "", (int)where.len, where.data);
    gg_buf_free(&where);
    return false;
}

static bool scan_value(scanner *s);

static bool enter(scanner *s)
{
    if (s->path.count >= MAX_DEPTH)
        return refuse(s, "is not valid JSON: it is nested deeper than %d levels.", MAX_DEPTH);
    s->p++;
    skip_space(s);
    return true;
}

/* Scans a member's value or an element under its path segment. */
static bool scan_child(scanner *s, path_segment segment)
{
    GG_VEC_PUSH(&s->arena, s->path, segment);
    bool ok = scan_value(s);
    s->path.count--;
    return ok;
}

/* After a member or an element: a comma (more follows) or `close` (sets *closed). */
static bool scan_separator(scanner *s, char close, bool *closed)
{
    skip_space(s);
    if (s->p >= s->end || (*s->p != ',' && *s->p != close)) return refuse(s, "is not valid JSON.");
    *closed = *s->p++ == close;
    skip_space(s);
    return true;
}

/* The keys of one object seen so far: the first FEW_KEYS in a list, all of them in a map after. */
typedef struct key_set {
    size_t count;
    struct {
        const char *key;
        size_t len;
    } few[FEW_KEYS];
    gg_strmap many; /* set up when the object's key number FEW_KEYS + 1 comes */
} key_set;

/* Adds a key; false when the object already has it. */
static bool key_set_add(scanner *s, key_set *set, const char *key, size_t len)
{
    if (set->count < FEW_KEYS) {
        for (size_t i = 0; i < set->count; i++)
            if (set->few[i].len == len && memcmp(set->few[i].key, key, len) == 0) return false;
        set->few[set->count].key = key;
        set->few[set->count].len = len;
        set->count++;
        return true;
    }
    if (set->count == FEW_KEYS) {
        gg_strmap_init(&set->many, &s->arena);
        for (size_t i = 0; i < FEW_KEYS; i++)
            gg_strmap_put(&set->many, set->few[i].key, set->few[i].len, (void *)set->few[i].key);
    }
    set->count++;
    return gg_strmap_put_new(&set->many, key, len, (void *)key) == key;
}

static bool scan_object(scanner *s)
{
    if (!enter(s)) return false;
    key_set keys;
    keys.count = 0;
    bool closed = s->p < s->end && *s->p == '}';
    if (closed) s->p++;
    while (!closed) {
        if (s->p >= s->end || *s->p != '"') return refuse(s, "is not valid JSON.");
        const char *key;
        size_t key_len;
        if (!scan_string(s, &key, &key_len)) return false;
        if (!key_set_add(s, &keys, key, key_len)) return refuse_duplicate(s, key, key_len);
        skip_space(s);
        if (s->p >= s->end || *s->p != ':') return refuse(s, "is not valid JSON.");
        s->p++;
        if (!scan_child(s, (path_segment){key, key_len, 0}) || !scan_separator(s, '}', &closed)) return false;
    }
    return true;
}

static bool scan_array(scanner *s)
{
    if (!enter(s)) return false;
    bool closed = s->p < s->end && *s->p == ']';
    if (closed) s->p++;
    for (size_t index = 0; !closed; index++)
        if (!scan_child(s, (path_segment){NULL, 0, index}) || !scan_separator(s, ']', &closed)) return false;
    return true;
}

/* Numbers, true, false, null: their exact grammar is cJSON's to check; here only their extent. */
static bool scan_scalar(scanner *s)
{
    const char *start = s->p;
    while (s->p < s->end && ((*s->p >= '0' && *s->p <= '9') || (*s->p >= 'a' && *s->p <= 'z') || *s->p == '-' ||
                             *s->p == '+' || *s->p == '.' || *s->p == 'E'))
        s->p++;
    return s->p > start ? true : refuse(s, "is not valid JSON.");
}

static bool scan_value(scanner *s)
{
    skip_space(s);
    if (s->p >= s->end) return refuse(s, "is not valid JSON.");
    switch (*s->p) {
    case '{':
        return scan_object(s);
    case '[':
        return scan_array(s);
    case '"':
        return scan_string(s, NULL, NULL);
    default:
        return scan_scalar(s);
    }
}

bool gg_request_json_check(const char *text, size_t len, const char *what, gg_fault *fault)
{
    scanner s; /* not zero-initialized: path_inline is written before it is read */
    s.p = text;
    s.end = text + len;
    s.what = what;
    s.fault = fault;
    s.refused = false;
    s.path.items = s.path_inline;
    s.path.count = 0;
    s.path.cap = PATH_INLINE;
    gg_arena_init(&s.arena);
    bool ok = scan_value(&s);
    if (ok) {
        skip_space(&s);
        if (s.p != s.end) ok = refuse(&s, "is not valid JSON: something follows the value.");
    }
    gg_arena_free(&s.arena);
    return ok;
}
