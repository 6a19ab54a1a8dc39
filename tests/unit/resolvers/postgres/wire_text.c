/* Tests gg_pg_wire_text (resolvers/postgres/pg_model.c): date_part('epoch') texts written in
 * AppSync's forms (AWSDateTime, AWSDate, AWSTime), against fixed examples and against gmtime_r and
 * snprintf over a spread of instants from year 1 to 9999. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdint.h>
#include <time.h>

#include "pg_model.h"
#include "test.h"

static const char *wire(gg_pg_output output, const char *text, char out[GG_PG_WIRE_TEXT_MAX + 1])
{
    size_t n = gg_pg_wire_text(output, text, strlen(text), out);
    if (n == 0) return "(none)";
    out[n] = '\0';
    return out;
}

static void test_examples(void)
{
    char out[GG_PG_WIRE_TEXT_MAX + 1];
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "0", out), "1970-01-01T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1767508260", out), "2026-01-04T06:31:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1796555052.849", out), "2026-12-06T11:04:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMP, "1796555052.8499", out), "2026-12-06T11:04:12.849Z"); /* truncated */
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "-0.001", out), "1969-12-31T23:59:59.999Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "-62135596800", out), "0001-01-01T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "-62135596801", out), "0001-12-31T23:59:59.000Z"); /* 1 BC */
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "253402300800", out), "10000-01-01T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "1796515200", out), "2026-12-06");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "951782400", out), "2000-02-29");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "40452.849", out), "11:14:12.849");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "0", out), "00:00:00.000");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "86400", out), "24:00:00.000");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "40452.5", out), "11:14:12.500Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "86401", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "Infinity", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "-Infinity", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1e+20", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "12x", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "6249228410096.789", out), "200000-03-01T12:34:56.789Z");
}

/* Every AWSDateTime and AWSDate against the C library's calendar, at instants about 11 days
 * apart with varying seconds and milliseconds, from year 1 to 9999. */
static void test_against_gmtime(void)
{
    char out[GG_PG_WIRE_TEXT_MAX + 1], text[64], want[64];
    int differing = 0, checked = 0;
    for (int64_t t = INT64_C(-62135596800); t < INT64_C(253402300800); t += 987654 + t % 7) {
        unsigned milli = (unsigned)((t / 3) % 1000 + 1000) % 1000;
        time_t seconds = (time_t)t;
        struct tm tm;
        if (gmtime_r(&seconds, &tm) == NULL) continue;
        int64_t signed_micros = t * 1000000 + (int64_t)milli * 1000;
        snprintf(text, sizeof text, "%s%" PRId64 ".%06" PRId64, signed_micros < 0 ? "-" : "",
                 (signed_micros < 0 ? -signed_micros : signed_micros) / 1000000,
                 (signed_micros < 0 ? -signed_micros : signed_micros) % 1000000);
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
        checked++;
        if (strcmp(wire(GG_PG_OUTPUT_TIMESTAMPTZ, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s: got %s, expected %s\n", text, out, want);
        want[10] = '\0';
        if (strcmp(wire(GG_PG_OUTPUT_DATE, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s (date): got %s, expected %s\n", text, out, want);
    }
    CHECK(checked > 300000);
    CHECK_INT(differing, 0);
}

int main(void)
{
    RUN(test_examples);
    RUN(test_against_gmtime);
    return test_summary();
}
