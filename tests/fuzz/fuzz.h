/* fuzz.h: what the fuzz harnesses share: the libFuzzer entry point and how a broken property
 * is reported.
 *
 * A harness checks properties beyond "no crash" (the printer round-trips, the response is JSON).
 * When one fails it prints what it saw and aborts: libFuzzer then saves the input as a crash,
 * and the replay program (replay.c) stops with the input's name on stderr. */
#ifndef GG_FUZZ_H
#define GG_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken property: the message, then two texts (what was expected, what came), then abort. */
static inline void fuzz_fail(const char *what, const char *a, size_t a_len, const char *b, size_t b_len)
{
    fprintf(stderr, "fuzz property broken: %s\n--- first (%zu bytes):\n%.*s\n--- second (%zu bytes):\n%.*s\n---\n",
            what, a_len, (int)(a_len > 4000 ? 4000 : a_len), a ? a : "", b_len, (int)(b_len > 4000 ? 4000 : b_len),
            b ? b : "");
    abort();
}

/* True when len bytes are well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
static inline bool fuzz_valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2, cp = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + n > len) return false;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

/* The deepest nesting of arrays and objects in JSON text (outside strings). */
static inline size_t fuzz_json_depth(const char *s, size_t len)
{
    size_t depth = 0, max = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max) max = depth;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return max;
}

#endif
