/* fuzz.h: what the fuzz harnesses share: the libFuzzer entry point and how a broken property
 * is reported.
 *
 * A harness checks properties beyond "no crash" (the printer round-trips, the response is JSON).
 * When one fails it prints what it saw and aborts: libFuzzer then saves the input as a crash,
 * and the replay program (replay.c) stops with the input's name on stderr. */
#ifndef GG_FUZZ_H
#define GG_FUZZ_H

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

#endif
