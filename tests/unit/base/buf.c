/* Tests server/base/buf.c: JSON string escaping and JavaScript number formatting. */
#include <math.h>

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

int main(void)
{
    RUN(test_escape);
    RUN(test_numbers);
    return test_summary();
}
