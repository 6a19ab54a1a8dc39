/* buf.h: a growable byte buffer (malloc'd, or a block of block.h once large) and the one JSON writer.
 *
 * Responses are written straight into a gg_buf as JSON text: no intermediate tree. The JSON
 * helpers escape strings per RFC 8259 the way JavaScript's JSON.stringify does (", \\, \b \f \n
 * \r \t, other control characters as \u00XX, everything else, including non-ASCII UTF-8,
 * copied as is), so output matches graphql-js byte for byte. Numbers are written like
 * JavaScript's Number.prototype.toString (shortest round-trip form). Allocation failure aborts. */
#ifndef GG_BUF_H
#define GG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct gg_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} gg_buf;

/* Prepares an empty buffer. */
void gg_buf_init(gg_buf *b);
/* Releases the buffer's memory. */
void gg_buf_free(gg_buf *b);
/* Grows the buffer to room for n more bytes (gg_buf_reserve's slow path). */
void gg_buf_grow(gg_buf *b, size_t n);
/* Makes room for n more bytes (inline: a large answer appends thousands of times). */
static inline void gg_buf_reserve(gg_buf *b, size_t n)
{
    if (b->cap - b->len <= n) gg_buf_grow(b, n);
}
/* Appends len bytes. */
static inline void gg_buf_append(gg_buf *b, const void *data, size_t len)
{
    gg_buf_reserve(b, len);
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}
/* Appends a NUL-terminated string. */
void gg_buf_puts(gg_buf *b, const char *s);
/* Appends one byte (inline: JSON writing appends a byte per separator and quote). */
static inline void gg_buf_putc(gg_buf *b, char c)
{
    if (b->cap - b->len <= 1) gg_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
/* Appends formatted text. */
void gg_buf_printf(gg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the data and leaves the buffer empty; the caller frees the result with free(). */
char *gg_buf_take(gg_buf *b, size_t *len);

/* Writes the JSON escape of c (a quote, a backslash or a control character) to out (6 bytes); returns its length. */
size_t gg_json_escape_byte(unsigned char c, char *out);
/* Appends a JSON string literal (with quotes) for len bytes of UTF-8. */
void gg_json_write_string(gg_buf *b, const char *s, size_t len);
/* Appends an integer. */
void gg_json_write_int(gg_buf *b, int64_t v);
/* Appends a double as JavaScript prints it (NaN/Infinity, which JSON lacks, become null). */
void gg_json_write_double(gg_buf *b, double v);
/* Formats a double as JavaScript's String(v) into out (at least 32 bytes); returns the length. */
size_t gg_format_double(double v, char *out);

#endif
