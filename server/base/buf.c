/* buf.c: growable buffer and JSON text writer; see buf.h.
 *
 * Small buffers live in malloc'd memory; once a buffer needs GG_BLOCK_MIN bytes or more, its memory
 * comes from the per-thread block cache (block.h), so that large answers reuse the blocks of the
 * previous ones instead of faulting fresh pages in. Capacities are powers of two either way, so a
 * buffer's capacity is always its block's size. */
#include "buf.h"

#include "block.h"
#include "log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void gg_buf_init(gg_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

/* Releases memory of capacity cap, wherever it came from. */
static void release(char *data, size_t cap)
{
    if (cap >= GG_BLOCK_MIN)
        gg_block_put(data, cap);
    else
        free(data);
}

void gg_buf_free(gg_buf *b)
{
    release(b->data, b->cap);
    gg_buf_init(b);
}

void gg_buf_grow(gg_buf *b, size_t n)
{
    if (b->cap - b->len > n) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            gg_log_error("buffer too large");
            abort();
        }
        cap *= 2;
    }
    char *p;
    if (cap < GG_BLOCK_MIN) {
        p = realloc(b->data, cap);
        if (p == NULL) {
            gg_log_error("out of memory (buffer of %zu bytes)", cap);
            abort();
        }
    } else {
        size_t block_size;
        p = gg_block_get(cap, &block_size);
        cap = block_size;
        if (b->data != NULL) memcpy(p, b->data, b->len + 1); /* with the terminating NUL */
        release(b->data, b->cap);
    }
    b->data = p;
    b->cap = cap;
}

void gg_buf_puts(gg_buf *b, const char *s)
{
    gg_buf_append(b, s, strlen(s));
}

/* True when fmt has no conversion but %s, %% and d or u with no length, l, ll (or z before u):
 * gg_buf_printf writes those itself, without vsnprintf, whose machinery was most of the cost of
 * writing a versioned write's statement (tests/bench/datastore.sh): SQL text is built from such
 * formats. Flags, widths, precisions and other conversions go to vsnprintf. */
static bool simple_format(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p != NULL; p = strchr(p, '%')) {
        p++;
        if (*p == 's' || *p == '%') {
            p++;
            continue;
        }
        if (p[0] == 'z' && p[1] == 'u')
            p++;
        else if (*p == 'l')
            p += p[1] == 'l' ? 2 : 1;
        if (*p != 'd' && *p != 'u') return false;
        p++;
    }
    return true;
}

/* Appends the first len bytes of s, if any (an empty piece leaves an empty buffer untouched, as
 * vsnprintf's empty output does). */
static void append_piece(gg_buf *b, const char *s, size_t len)
{
    if (len) gg_buf_append(b, s, len);
}

/* magnitude in decimal, after a '-' when negative, written from the end of a small buffer two digits
 * per division: no printf on the path of every Int in an answer or number in a statement. */
static void append_decimal(gg_buf *b, uint64_t magnitude, bool negative)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    char tmp[24];
    char *end = tmp + sizeof tmp, *p = end;
    while (magnitude >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (magnitude % 100), 2);
        magnitude /= 100;
    }
    if (magnitude >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * magnitude, 2);
    } else {
        *--p = (char)('0' + magnitude);
    }
    if (negative) *--p = '-';
    size_t len = (size_t)(end - p);
    gg_buf_reserve(b, len);
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
}

/* Writes a simple_format's conversion at q (just after its '%') and returns what follows it. */
static const char *append_conversion(gg_buf *b, const char *q, va_list *ap)
{
    if (*q == 's') {
        const char *s = va_arg(*ap, const char *);
        if (s == NULL) s = "(null)"; /* what glibc's printf writes */
        append_piece(b, s, strlen(s));
        return q + 1;
    }
    if (*q == '%') {
        gg_buf_putc(b, '%');
        return q + 1;
    }
    int longs = 0;
    bool size = *q == 'z';
    if (size) q++;
    while (*q == 'l')
        longs++, q++;
    if (*q == 'u') {
        unsigned long long u = size         ? va_arg(*ap, size_t)
                               : longs == 2 ? va_arg(*ap, unsigned long long)
                               : longs == 1 ? va_arg(*ap, unsigned long)
                                            : va_arg(*ap, unsigned);
        append_decimal(b, u, false);
    } else {
        long long v = longs == 2 ? va_arg(*ap, long long) : longs == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
        append_decimal(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
    }
    return q + 1;
}

void gg_buf_printf(gg_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap, copy;
    va_start(ap, fmt);
    if (simple_format(fmt)) {
        const char *p = fmt;
        for (const char *q = strchr(p, '%'); q != NULL; q = strchr(p, '%')) {
            append_piece(b, p, (size_t)(q - p));
            p = append_conversion(b, q + 1, &ap);
        }
        append_piece(b, p, strlen(p));
        va_end(ap);
        return;
    }
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n > 0 && (size_t)n < sizeof small) {
        gg_buf_append(b, small, (size_t)n);
    } else if (n > 0) {
        gg_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

char *gg_buf_take(gg_buf *b, size_t *len)
{
    if (b->data == NULL) gg_buf_reserve(b, 0), b->data[0] = '\0';
    char *p = b->data;
    if (len) *len = b->len;
    gg_buf_init(b);
    return p;
}

/* True when one of the 8 bytes of x needs escaping in a JSON string: a control character
 * (< 0x20), '"' or '\\'. The classic "has a byte less than n" and "has a zero byte" tests; a
 * false positive is impossible for bytes >= 0x80 because those are masked out first. */
static bool word_needs_escape(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t ascii = ~x & highs; /* bytes < 0x80 keep their high bit set here */
    uint64_t control = (x - ones * 0x20) & ascii;
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
    uint64_t quote = (q - ones) & ~q & highs;
    uint64_t backslash = (bs - ones) & ~bs & highs;
    return (control | quote | backslash) != 0;
}

size_t gg_json_escape_byte(unsigned char c, char *out)
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '\\';
    switch (c) {
    case '"':
        out[1] = '"';
        return 2;
    case '\\':
        out[1] = '\\';
        return 2;
    case '\b':
        out[1] = 'b';
        return 2;
    case '\f':
        out[1] = 'f';
        return 2;
    case '\n':
        out[1] = 'n';
        return 2;
    case '\r':
        out[1] = 'r';
        return 2;
    case '\t':
        out[1] = 't';
        return 2;
    default:
        out[1] = 'u';
        out[2] = '0';
        out[3] = '0';
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

/* The rest of a string literal from its first byte that needs escaping (no quotes). */
static void write_escaped(gg_buf *b, const char *s, size_t len)
{
    size_t start = 0;
    size_t i = 0;
    while (i < len) {
        /* runs of plain text are skipped 8 bytes at a time and copied in one piece */
        if (i + 8 <= len) {
            uint64_t word;
            memcpy(&word, s + i, sizeof word);
            if (!word_needs_escape(word)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        gg_buf_append(b, s + start, i - start);
        start = ++i;
        char esc[6];
        size_t n = gg_json_escape_byte(c, esc);
        gg_buf_append(b, esc, n);
    }
    gg_buf_append(b, s + start, len - start);
}

/* Most strings need no escaping (every key of an answer, most values): they are copied while
 * they are checked, 16 or 8 bytes at a time, into room reserved once; write_escaped takes over at the
 * first byte that needs it. */
void gg_json_write_string(gg_buf *b, const char *s, size_t len)
{
    gg_buf_reserve(b, len + 2);
    char *out = b->data + b->len;
    *out++ = '"';
    size_t i = 0;
#ifdef __SSE2__ /* every x86-64: 16 bytes a step; the loops below find the byte exactly */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1f);
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i is_control = _mm_cmpeq_epi8(_mm_min_epu8(x, control), x); /* x <= 0x1f, unsigned */
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), is_control);
        if (_mm_movemask_epi8(bad) != 0) break;
        _mm_storeu_si128((__m128i *)(void *)out, x);
        out += 16;
    }
    if (i < len && len >= 16 && i + 16 > len) { /* the rest: the last 16 bytes, over some written already */
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
        __m128i is_control = _mm_cmpeq_epi8(_mm_min_epu8(x, control), x);
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), is_control);
        if (_mm_movemask_epi8(bad) == 0) {
            _mm_storeu_si128((__m128i *)(void *)(out - (i - (len - 16))), x);
            out += len - i;
            i = len;
        }
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, sizeof word);
        if (word_needs_escape(word)) break;
        memcpy(out, &word, sizeof word);
        out += 8;
    }
    if (i < len && len >= 8 && i + 8 > len) { /* the rest: the last 8 bytes, over some written already */
        uint64_t word;
        memcpy(&word, s + len - 8, sizeof word);
        if (!word_needs_escape(word)) {
            memcpy(out - (i - (len - 8)), &word, sizeof word);
            out += len - i;
            i = len;
        }
    } else if (len >= 4 && len < 8) { /* 4 to 7 bytes: two 4-byte pieces that may overlap */
        uint32_t head, tail;
        memcpy(&head, s, sizeof head);
        memcpy(&tail, s + len - 4, sizeof tail);
        if (!word_needs_escape((uint64_t)head | (uint64_t)tail << 32)) {
            memcpy(out, &head, sizeof head);
            memcpy(out + len - 4, &tail, sizeof tail);
            out += len;
            i = len;
        }
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\') break;
        *out++ = (char)c;
    }
    b->len = (size_t)(out - b->data);
    if (i < len) write_escaped(b, s + i, len - i);
    gg_buf_putc(b, '"');
}

void gg_json_write_int(gg_buf *b, int64_t v)
{
    append_decimal(b, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0); /* INT64_MIN too */
}

size_t gg_format_double(double v, char *out)
{
    if (isnan(v)) return (size_t)sprintf(out, "NaN");
    if (isinf(v)) return (size_t)sprintf(out, v < 0 ? "-Infinity" : "Infinity");
    if (v == 0) return (size_t)sprintf(out, "0"); /* JavaScript prints -0 as "0" too */
    /* Shortest precision that round-trips, as ECMAScript Number::toString requires. */
    char digits_buf[40];
    int precision;
    for (precision = 1; precision <= 17; precision++) {
        snprintf(digits_buf, sizeof digits_buf, "%.*e", precision - 1, v);
        if (strtod(digits_buf, NULL) == v) break;
    }
    /* digits_buf is [-]d[.ddd]e[+-]XX: pull out the digits and the exponent. */
    char digits[20];
    int k = 0;
    const char *p = digits_buf;
    bool negative = *p == '-';
    if (negative) p++;
    for (; *p != 'e'; p++) {
        if (*p != '.') digits[k++] = *p;
    }
    int exponent = atoi(p + 1); /* value = 0.d1d2.. * 10^(exponent+1) */
    while (k > 1 && digits[k - 1] == '0')
        k--;
    int n = exponent + 1; /* ECMAScript's n */
    char *o = out;
    if (negative) *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, digits, (size_t)k), o += k;
        for (int i = k; i < n; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, (size_t)n), o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n)), o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)k), o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1)), o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    }
    *o = '\0';
    return (size_t)(o - out);
}

void gg_json_write_double(gg_buf *b, double v)
{
    if (!isfinite(v)) {
        gg_buf_append(b, "null", 4);
        return;
    }
    char tmp[40];
    size_t n = gg_format_double(v, tmp);
    gg_buf_append(b, tmp, n);
}
