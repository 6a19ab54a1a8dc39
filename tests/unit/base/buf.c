/* Tests server/base/buf.c: JSON string escaping, JavaScript number formatting and gg_buf_printf. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "test.h"

static const char *escaped(gg_buf *b, const char *s, size_t len)
{
    b->len = 0;
    gg_json_write_string(b, s, len);
    return b->data;
}

static void test_escape(void)
{
    gg_buf b;
    gg_buf_init(&b);
    CHECK_STR(escaped(&b, "plain", 5), "\"plain\"");
    CHECK_STR(escaped(&b, "q\"b\\n\n\t\r\b\f", 10), "\"q\\\"b\\\\n\\n\\t\\r\\b\\f\"");
    CHECK_STR(escaped(&b, "\x01\x1f", 2), "\"\\u0001\\u001f\"");
    CHECK_STR(escaped(&b, "a\0b", 3), "\"a\\u0000b\"");
    CHECK_STR(escaped(&b, "é€😀", strlen("é€😀")), "\"é€😀\"");
    gg_buf_free(&b);
}

/* The escaping JSON needs, one byte at a time: what the fast path must agree with. */
static void reference_escape(gg_buf *b, const unsigned char *s, size_t len)
{
    gg_buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            gg_buf_putc(b, '\\');
            gg_buf_putc(b, (char)c);
        } else if (c < 0x20) {
            const char *named = c == '\b'   ? "b"
                                : c == '\f' ? "f"
                                : c == '\n' ? "n"
                                : c == '\r' ? "r"
                                : c == '\t' ? "t"
                                            : NULL;
            if (named)
                gg_buf_printf(b, "\\%s", named);
            else
                gg_buf_printf(b, "\\u%04x", c);
        } else {
            gg_buf_putc(b, (char)c);
        }
    }
    gg_buf_putc(b, '"');
}

/* Every byte value at every position of a string longer than two 16-byte blocks, next to plain
 * ASCII and next to bytes >= 0x80 (which must never be taken for escapes). */
static void test_escape_every_byte_everywhere(void)
{
    gg_buf got, want;
    gg_buf_init(&got);
    gg_buf_init(&want);
    unsigned bad = 0;
    for (int filler = 0; filler < 2; filler++) {
        for (unsigned c = 0; c < 256; c++) {
            for (size_t len = 1; len <= 40; len++) {
                for (size_t pos = 0; pos < len; pos++) {
                    unsigned char s[40];
                    memset(s, filler ? 0xC3 : 'x', sizeof s);
                    s[pos] = (unsigned char)c;
                    got.len = want.len = 0;
                    gg_json_write_string(&got, (const char *)s, len);
                    reference_escape(&want, s, len);
                    bad += got.len != want.len || memcmp(got.data, want.data, got.len) != 0;
                }
            }
        }
    }
    CHECK_INT(bad, 0);
    gg_buf_free(&got);
    gg_buf_free(&want);
}

static const char *js(double v)
{
    static char out[64];
    gg_format_double(v, out);
    return out;
}

static void test_numbers(void)
{
    CHECK_STR(js(0), "0");
    CHECK_STR(js(-0.0), "0");
    CHECK_STR(js(1), "1");
    CHECK_STR(js(1.5), "1.5");
    CHECK_STR(js(0.1), "0.1");
    CHECK_STR(js(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(js(123456789012), "123456789012");
    CHECK_STR(js(1e21), "1e+21");
    CHECK_STR(js(1e20), "100000000000000000000");
    CHECK_STR(js(1.5e-7), "1.5e-7");
    CHECK_STR(js(0.000001), "0.000001");
    CHECK_STR(js(-3.14), "-3.14");
    CHECK_STR(js(5e-324), "5e-324");
    CHECK_STR(js(1.7976931348623157e308), "1.7976931348623157e+308");
    CHECK_STR(js(NAN), "NaN");
    CHECK_STR(js(-INFINITY), "-Infinity");
}

static void test_integers(void)
{
    gg_buf b;
    gg_buf_init(&b);
    const int64_t values[] = {0, 7, -7, 10, 99, 100, 101, -99, 12345, 1796608771630, -1000, INT64_MAX, INT64_MIN};
    const char *texts[] = {"0",
                           "7",
                           "-7",
                           "10",
                           "99",
                           "100",
                           "101",
                           "-99",
                           "12345",
                           "1796608771630",
                           "-1000",
                           "9223372036854775807",
                           "-9223372036854775808"};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        b.len = 0;
        gg_json_write_int(&b, values[i]);
        CHECK_STR(b.data, texts[i]);
    }
    b.len = 0; /* bytes one at a time across the buffer's growth */
    for (unsigned i = 0; i < 1000; i++)
        gg_buf_putc(&b, (char)('a' + i % 26));
    CHECK(b.len == 1000 && b.data[999] == 'a' + 999 % 26 && b.data[1000] == '\0');
    gg_buf_free(&b);
}

/* gg_buf_printf writes what snprintf writes, through its own writing of %s, %d, %u (l, ll, z) and
 * %% and through vsnprintf for the other formats, short or past its 256-byte stack buffer. */
#define CHECK_PRINTF(...)                                                                                              \
    do {                                                                                                               \
        char want_[1300];                                                                                              \
        snprintf(want_, sizeof want_, __VA_ARGS__);                                                                    \
        b.len = 0;                                                                                                     \
        gg_buf_printf(&b, __VA_ARGS__);                                                                                \
        CHECK_STR(b.data, want_);                                                                                      \
        CHECK(b.len == strlen(want_));                                                                                 \
    } while (0)

static void test_printf(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_printf(&b, "%s", "");
    CHECK(b.data == NULL && b.len == 0); /* nothing written: still empty */
    gg_buf_printf(&b, "UPDATE %s AS %s SET ", "\"Post\"", "t1");
    gg_buf_printf(&b, "100%% %s%%%s", "a", "");
    CHECK_STR(b.data, "UPDATE \"Post\" AS t1 SET 100% a%"); /* appended */
    const char *volatile none = NULL; /* not known to the compiler, which refuses a literal NULL */
    b.len = 0;
    gg_buf_printf(&b, "[%s]", none);
    CHECK_STR(b.data, "[(null)]");
    CHECK_PRINTF("no conversion");
    CHECK_PRINTF("%s = $%u::%s", "x", 12u, "integer");
    CHECK_PRINTF("%d %d %d %d", 0, -7, INT32_MAX, INT32_MIN);
    CHECK_PRINTF("%u %lu %llu %zu", UINT32_MAX, (unsigned long)ULONG_MAX, ULLONG_MAX, (size_t)42);
    CHECK_PRINTF("%ld %lld %" PRId64 " %" PRId64, LONG_MIN, LLONG_MIN, INT64_MAX, (int64_t)-1796608771630);
    CHECK_PRINTF("c%u AS l%u%%", 3u, 4u);
    CHECK_PRINTF("%5d|%-3s|%x|%.2f|%zd|%c", 42, "a", 255u, 1.5, (ptrdiff_t)-3, 'z'); /* vsnprintf */
    char long_text[600];
    memset(long_text, 'q', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    CHECK_PRINTF("<%s|%s|%d>", long_text, long_text, -5);
    CHECK_PRINTF("<%s|%.3s|%d>", long_text, long_text, 5);
    gg_buf_free(&b);
}

int main(void)
{
    RUN(test_escape);
    RUN(test_escape_every_byte_everywhere);
    RUN(test_numbers);
    RUN(test_integers);
    RUN(test_printf);
    return test_summary();
}
