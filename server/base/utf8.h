/* utf8.h: the one UTF-8 decoder, encoder and validator.
 *
 * Well-formed means RFC 3629: no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF.
 * The lexer, the HTTP layer (request bodies and query strings) and the PostgreSQL JSON reader
 * all use these, so every layer agrees on what valid text is. */
#ifndef GG_UTF8_H
#define GG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for a Unicode scalar value (a code point that is not a surrogate). */
static inline bool gg_utf8_is_scalar_value(uint32_t cp)
{
    return cp <= 0xD7FF || (cp >= 0xE000 && cp <= 0x10FFFF);
}

/* Decodes the UTF-8 sequence at s (n bytes available) into *cp; returns its length, or 0 when invalid. */
int gg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Writes the UTF-8 encoding of a scalar value to out (room for 4 bytes); returns its length. */
int gg_utf8_encode(uint32_t cp, char *out);
/* True when the len bytes at s are well-formed UTF-8 (NUL bytes included). */
bool gg_utf8_valid(const unsigned char *s, size_t len);

#endif
