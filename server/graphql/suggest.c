/* suggest.c: suggestion lists and "Did you mean" text, as graphql-js computes them.
 *
 * GraphQL names are ASCII, so bytes are the UTF-16 code units graphql-js measures. The distance
 * keeps three rolling rows (the transposition looks two rows back) and stops early once a whole
 * row exceeds the threshold. Results are small arrays in the caller's arena; sorting is an
 * insertion sort because option lists are short (fields of one type) and it is stable. */
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/strmap.h"

#define MAX_SUGGESTIONS 5

static char *lower_copy(gg_arena *arena, const char *s)
{
    char *out = gg_arena_strdup(arena, s);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

/* graphql-js LexicalDistance.measure: the distance, or -1 when above threshold. `rows` holds
 * 3 * (shorter length + 1) cells. */
static int lexical_distance(gg_arena *arena, const char *input, const char *input_lower, const char *option,
                            unsigned threshold)
{
    if (strcmp(input, option) == 0) return 0;
    const char *option_lower = lower_copy(arena, option);
    if (strcmp(input_lower, option_lower) == 0) return 1;
    const char *a = option_lower, *b = input_lower;
    size_t a_len = strlen(a), b_len = strlen(b);
    if (a_len < b_len) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = a_len;
        a_len = b_len;
        b_len = tl;
    }
    if (a_len - b_len > threshold) return -1;
    unsigned *rows[3];
    for (int r = 0; r < 3; r++)
        rows[r] = gg_arena_array(arena, b_len + 1, sizeof(unsigned));
    for (size_t j = 0; j <= b_len; j++)
        rows[0][j] = (unsigned)j;
    for (size_t i = 1; i <= a_len; i++) {
        unsigned *up = rows[(i - 1) % 3], *cur = rows[i % 3];
        unsigned smallest = cur[0] = (unsigned)i;
        for (size_t j = 1; j <= b_len; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned cell = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                unsigned diag = rows[(i - 2) % 3][j - 2] + 1;
                if (diag < cell) cell = diag;
            }
            if (cell < smallest) smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold) return -1;
    }
    unsigned d = rows[a_len % 3][b_len];
    return d <= threshold ? (int)d : -1;
}

int gg_natural_compare(const char *a, const char *b)
{
    size_t ai = 0, bi = 0, al = strlen(a), bl = strlen(b);
    while (ai < al && bi < bl) {
        unsigned char ac = (unsigned char)a[ai], bc = (unsigned char)b[bi];
        if (isdigit(ac) && isdigit(bc)) {
            /* graphql-js stops reading a number after a leading zero ("0" then the rest) */
            unsigned long long an = 0, bn = 0;
            do {
                an = an * 10 + (unsigned)(ac - '0');
                ac = (unsigned char)a[++ai];
            } while (isdigit(ac) && an > 0);
            do {
                bn = bn * 10 + (unsigned)(bc - '0');
                bc = (unsigned char)b[++bi];
            } while (isdigit(bc) && bn > 0);
            if (an != bn) return an < bn ? -1 : 1;
        } else {
            if (ac != bc) return ac < bc ? -1 : 1;
            ai++;
            bi++;
        }
    }
    return (int)((long long)al - (long long)bl > 0) - (int)((long long)al - (long long)bl < 0);
}

void gg_suggestion_list(gg_arena *arena, const char *input, const char *const *options, unsigned option_count,
                        const char ***out, unsigned *out_count)
{
    const char **names = gg_arena_array(arena, option_count ? option_count : 1, sizeof(*names));
    int *dist = gg_arena_array(arena, option_count ? option_count : 1, sizeof(*dist));
    unsigned n = 0;
    gg_strmap seen; /* graphql-js keys an object by option: duplicates count once */
    gg_strmap_init(&seen, arena);
    unsigned threshold = (unsigned)(strlen(input) * 4 / 10) + 1;
    const char *input_lower = lower_copy(arena, input);
    for (unsigned i = 0; i < option_count; i++) {
        size_t len = strlen(options[i]);
        if (gg_strmap_get(&seen, options[i], len)) continue;
        gg_strmap_put(&seen, options[i], len, (void *)options[i]);
        int d = lexical_distance(arena, input, input_lower, options[i], threshold);
        if (d < 0) continue;
        /* insertion in order of (distance, natural order) */
        unsigned pos = n;
        while (pos > 0 &&
               (dist[pos - 1] > d || (dist[pos - 1] == d && gg_natural_compare(names[pos - 1], options[i]) > 0))) {
            names[pos] = names[pos - 1];
            dist[pos] = dist[pos - 1];
            pos--;
        }
        names[pos] = options[i];
        dist[pos] = d;
        n++;
    }
    *out = names;
    *out_count = n;
}

const char *gg_did_you_mean(gg_arena *arena, const char *sub_message, const char *const *suggestions, unsigned count)
{
    if (count == 0) return "";
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, " Did you mean ");
    if (sub_message && *sub_message) {
        gg_buf_puts(&b, sub_message);
        gg_buf_putc(&b, ' ');
    }
    if (count == 1) {
        gg_buf_printf(&b, "\"%s\"?", suggestions[0]);
    } else if (count == 2) {
        gg_buf_printf(&b, "\"%s\" or \"%s\"?", suggestions[0], suggestions[1]);
    } else {
        unsigned shown = count < MAX_SUGGESTIONS ? count : MAX_SUGGESTIONS;
        for (unsigned i = 0; i + 1 < shown; i++)
            gg_buf_printf(&b, "\"%s\", ", suggestions[i]);
        gg_buf_printf(&b, "or \"%s\"?", suggestions[shown - 1]);
    }
    const char *text = gg_arena_strndup(arena, b.data, b.len);
    gg_buf_free(&b);
    return text;
}

const char *gg_suggest_did_you_mean(gg_arena *arena, const char *sub_message, const char *input,
                                    const char *const *options, unsigned option_count)
{
    const char **suggestions;
    unsigned count;
    gg_suggestion_list(arena, input, options, option_count, &suggestions, &count);
    return gg_did_you_mean(arena, sub_message, suggestions, count);
}
