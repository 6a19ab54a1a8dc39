/* request_json.c: one pass over a request's JSON text before cJSON parses it (see request_json.h).
 *
 * cJSON 1.7.15 is lenient where leniency changes meaning: it copies raw control characters out of
 * strings (a raw NUL then cuts the C string cJSON hands over), decodes \u0000 into the same cut,
 * keeps both copies of a repeated key and answers lookups with the first (JavaScript's JSON.parse
 * keeps the last), and with a NUL-terminated buffer it stops at a raw NUL between tokens, so
 * anything after it is never looked at. This pass walks the text once, as the JSON grammar (RFC
 * 8259) reads it, and refuses all of these; cJSON then only builds the tree.
 *
 * Costs: linear in the text. Each object's keys go into a gg_strmap (decoded, so "a" and "\u0061"
 * are the same key) in one arena freed at the end; the path to the current value is a stack of at
 * most MAX_DEPTH segments (cJSON's own nesting limit, so both refuse the same documents), read
 * only to write a message. Recursion is bounded by the same depth. */
#include "request_json.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/strmap.h"
#include "../base/utf8.h"

#define MAX_DEPTH 1000 /* cJSON's CJSON_NESTING_LIMIT */
#define MAX_KEY_IN_MESSAGE 64

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
    unsigned depth;
    path_segment path[MAX_DEPTH + 1];
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

/* Scans the string at s->p (on its opening quote). With decoded != NULL, also decodes it into the
 * arena (raw text is never shorter than its decoding). */
static bool scan_string(scanner *s, const char **decoded, size_t *decoded_len)
{
    const char *start = ++s->p;
    char *out = NULL;
    size_t n = 0;
    if (decoded != NULL) {
        const char *q = memchr(start, '"', (size_t)(s->end - start));
        out = gg_arena_alloc_uninit(&s->arena, (size_t)((q ? q : s->end) - start) + 1);
    }
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            s->p++;
            if (decoded != NULL) {
                out[n] = '\0';
                *decoded = out;
                *decoded_len = n;
            }
            return true;
        }
        if (c < 0x20)
            return refuse(s, "has a raw control character (U+%04X) inside a string: JSON requires it escaped.", c);
        if (c != '\\') {
            if (out != NULL) {
                /* the unescaped run up to the next quote, backslash or control character */
                const char *run = s->p;
                while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (unsigned char)*s->p >= 0x20)
                    s->p++;
                memcpy(out + n, run, (size_t)(s->p - run));
                n += (size_t)(s->p - run);
            } else {
                s->p++;
            }
            continue;
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
    for (unsigned i = 0; i < s->depth; i++) {
        const path_segment *seg = &s->path[i];
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
    if (s->depth >= MAX_DEPTH) return refuse(s, "is not valid JSON: it is nested deeper than %d levels.", MAX_DEPTH);
    s->p++;
    skip_space(s);
    return true;
}

/* Scans a member's value or an element under its path segment. */
static bool scan_child(scanner *s, path_segment segment)
{
    s->path[s->depth++] = segment;
    bool ok = scan_value(s);
    s->depth--;
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

static bool scan_object(scanner *s)
{
    if (!enter(s)) return false;
    gg_strmap keys;
    gg_strmap_init(&keys, &s->arena);
    bool closed = s->p < s->end && *s->p == '}';
    if (closed) s->p++;
    while (!closed) {
        if (s->p >= s->end || *s->p != '"') return refuse(s, "is not valid JSON.");
        const char *key;
        size_t key_len;
        if (!scan_string(s, &key, &key_len)) return false;
        if (gg_strmap_put_new(&keys, key, key_len, (void *)key) != key) return refuse_duplicate(s, key, key_len);
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
    scanner *s = calloc(1, sizeof *s); /* the path stack is too large for a worker's stack frame */
    if (s == NULL) abort();
    s->p = text;
    s->end = text + len;
    s->what = what;
    s->fault = fault;
    gg_arena_init(&s->arena);
    bool ok = scan_value(s);
    if (ok) {
        skip_space(s);
        if (s->p != s->end) ok = refuse(s, "is not valid JSON: something follows the value.");
    }
    gg_arena_free(&s->arena);
    free(s);
    return ok;
}
