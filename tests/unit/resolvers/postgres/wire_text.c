/* Tests gg_pg_wire_text (resolvers/postgres/pg_model.c): PostgreSQL's ISO texts of timestamptz,
 * timestamp, date, time and timetz written in AppSync's forms (AWSDateTime, AWSDate, AWSTime),
 * against fixed examples, texts it must refuse (the other DateStyles among them), and against
 * gmtime_r and snprintf over a spread of instants from 4713 BC to the year 11000, each written as
 * PostgreSQL writes it with one of several UTC offsets (whole hours, minutes, seconds: local mean
 * times) and fractions of a second. Last, gg_pg_wire_standard against the AppSync scalars: a
 * written text is in the standard form exactly when the field's scalar accepts it. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdint.h>
#include <time.h>

#include "pg_model.h"
#include "test.h"
#include "type/scalars.h"

/* The written form, "(none)" for no value (infinity) and "(unreadable)" for a refused text. */
static const char *wire(gg_pg_output output, const char *text, char out[GG_PG_WIRE_TEXT_MAX + 1])
{
    size_t n = gg_pg_wire_text(output, text, strlen(text), out);
    if (n == 0) return out[0] == '\0' ? "(none)" : "(unreadable)";
    out[n] = '\0';
    return out;
}

static void test_examples(void)
{
    char out[GG_PG_WIRE_TEXT_MAX + 1];
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1970-01-01 00:00:00+00", out), "1970-01-01T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.849+00", out), "2026-12-06T11:24:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 16:54:12.849+05:30", out), "2026-12-06T11:24:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 08:24:12.849-03", out), "2026-12-06T11:24:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1890-01-01 00:00:00-03:00:15", out), "1890-01-01T03:00:15.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-31 23:30:00-01", out), "2027-01-01T00:30:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-01-01 00:30:00+05:30", out), "2025-12-31T19:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.849999+00", out), "2026-12-06T11:24:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.5+00", out), "2026-12-06T11:24:12.500Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "1969-12-31 23:59:59.999+00", out), "1969-12-31T23:59:59.999Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "0001-01-01 00:00:00+00", out), "0001-01-01T00:00:00.000Z");
    /* a year BC as to_char's YYYY wrote it: its number */
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "0001-12-31 23:59:59+00 BC", out), "0001-12-31T23:59:59.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "0001-01-01 00:30:00+01 BC", out), "0002-12-31T23:30:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "4714-11-24 00:00:00+00 BC", out), "4714-11-24T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "10000-01-01 00:00:00+00", out), "10000-01-01T00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "294276-12-31 23:59:59.999999+00", out), "294276-12-31T23:59:59.999Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMP, "2026-12-06 11:24:12.8499", out), "2026-12-06T11:24:12.849Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMP, "1900-02-28 23:59:59.9999", out), "1900-02-28T23:59:59.999Z");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "2026-12-06", out), "2026-12-06");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "2000-02-29", out), "2000-02-29");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "1600-02-29", out), "1600-02-29");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "0044-03-15 BC", out), "0044-03-15");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "5874897-12-31", out), "5874897-12-31");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "11:14:12.849", out), "11:14:12.849");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "00:00:00", out), "00:00:00.000");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "24:00:00", out), "24:00:00.000");
    CHECK_STR(wire(GG_PG_OUTPUT_TIME, "23:59:59.999999", out), "23:59:59.999");
    /* timetz: the time of day in UTC, as AT TIME ZONE 'UTC' gives it */
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "11:14:12.5+00", out), "11:14:12.500Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "11:24:12+01", out), "10:24:12.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "00:00:00.0009-03", out), "03:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "00:30:00+05:30", out), "19:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "23:00:00-03:00:15", out), "02:00:15.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "24:00:00+00", out), "00:00:00.000Z");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMETZ, "24:00:00-15:59:59", out), "15:59:59.000Z");
    /* no date: null, as to_char answered */
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "infinity", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMPTZ, "-infinity", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_TIMESTAMP, "infinity", out), "(none)");
    CHECK_STR(wire(GG_PG_OUTPUT_DATE, "-infinity", out), "(none)");
}

/* Texts that are not PostgreSQL's ISO output of the type: refused, never read as some date. */
static void test_refused(void)
{
    static const struct {
        gg_pg_output output;
        const char *text;
    } refused[] = {
        /* the other DateStyles */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "06/12/2026 16:54:12.849 IST"},      /* SQL, DMY */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "12/06/2026 11:24:12.849 UTC"},      /* SQL, MDY */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "Sun Dec 06 11:24:12.849 2026 UTC"}, /* Postgres */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "06.12.2026 11:24:12.849 UTC"},      /* German */
        {GG_PG_OUTPUT_TIMESTAMP, "06/12/2026 11:24:12.849"},
        {GG_PG_OUTPUT_DATE, "06/12/2026"},
        {GG_PG_OUTPUT_DATE, "12-06-2026"}, /* Postgres, MDY */
        {GG_PG_OUTPUT_DATE, "06.12.2026"},
        /* malformed or out of range */
        {GG_PG_OUTPUT_TIMESTAMPTZ, ""},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "1796555052.849"}, /* date_part's seconds */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "Infinity"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.849"},        /* no offset */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06T11:24:12.849+00"},     /* not PostgreSQL's */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.849+00 "},    /* trailing space */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.1234567+00"}, /* 7 digits */
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12.+00"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+16"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+05:60"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+05:"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+5"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 24:00:00+00"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+00 BC BC"},
        {GG_PG_OUTPUT_TIMESTAMPTZ, "2026-12-06 11:24:12+00 AD"},
        {GG_PG_OUTPUT_TIMESTAMP, "2026-12-06 11:24:12.849+00"}, /* an offset */
        {GG_PG_OUTPUT_TIMESTAMP, "2026-12-06"},
        {GG_PG_OUTPUT_TIMESTAMP, "2026-12-06 11:60:00"},
        {GG_PG_OUTPUT_TIMESTAMP, "2026-12-06 11:24:60"},
        {GG_PG_OUTPUT_DATE, "2026-02-29"},
        {GG_PG_OUTPUT_DATE, "1900-02-29"},
        {GG_PG_OUTPUT_DATE, "2026-13-01"},
        {GG_PG_OUTPUT_DATE, "2026-00-01"},
        {GG_PG_OUTPUT_DATE, "2026-04-31"},
        {GG_PG_OUTPUT_DATE, "2026-12-00"},
        {GG_PG_OUTPUT_DATE, "0000-01-01"},
        {GG_PG_OUTPUT_DATE, "026-12-06"},
        {GG_PG_OUTPUT_DATE, "12345678-01-01"},
        {GG_PG_OUTPUT_DATE, "2026-12-6"},
        {GG_PG_OUTPUT_DATE, "2026-12-06 00:00:00"},
        {GG_PG_OUTPUT_DATE, "-2026-12-06"},
        {GG_PG_OUTPUT_TIME, "infinity"},
        {GG_PG_OUTPUT_TIME, "24:00:00.000001"},
        {GG_PG_OUTPUT_TIME, "25:00:00"},
        {GG_PG_OUTPUT_TIME, "11:24"},
        {GG_PG_OUTPUT_TIME, "11:24:12+01"},
        {GG_PG_OUTPUT_TIME, "11:24:12 "},
        {GG_PG_OUTPUT_TIMETZ, "11:24:12"},
        {GG_PG_OUTPUT_TIMETZ, "11:24:12 +01"},
        {GG_PG_OUTPUT_TIMETZ, "11:24:12+01:00:00:00"},
    };
    char out[GG_PG_WIRE_TEXT_MAX + 1];
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *got = wire(refused[i].output, refused[i].text, out);
        if (strcmp(got, "(unreadable)") != 0) fprintf(stderr, "\"%s\" was read (below: as what)\n", refused[i].text);
        CHECK_STR(got, "(unreadable)");
    }
}

/* Writes a civil time (gmtime_r's) as PostgreSQL's ISO output does: the date (years BC as their
 * number and " BC" at the end), the time with the fraction's trailing zeros cut, the offset as
 * +HH, +HH:MM or +HH:MM:SS. */
static void put_date(char *out, size_t size, const struct tm *tm)
{
    int64_t year = (int64_t)tm->tm_year + 1900;
    snprintf(out, size, "%04" PRId64 "-%02d-%02d", year > 0 ? year : 1 - year, tm->tm_mon + 1, tm->tm_mday);
}

static void put_time(char *out, size_t size, const struct tm *tm, unsigned micros)
{
    int n = snprintf(out, size, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
    if (micros == 0) return;
    n += snprintf(out + n, size - (size_t)n, ".%06u", micros);
    while (out[n - 1] == '0')
        out[--n] = '\0';
}

static void put_offset(char *out, size_t size, int offset)
{
    int a = offset < 0 ? -offset : offset;
    int n = snprintf(out, size, "%c%02d", offset < 0 ? '-' : '+', a / 3600);
    if (a % 3600 != 0) n += snprintf(out + n, size - (size_t)n, ":%02d", a / 60 % 60);
    if (a % 60 != 0) snprintf(out + n, size - (size_t)n, ":%02d", a % 60);
}

/* Every output against the C library's calendar at instants about 11 days apart, with varying
 * seconds, microseconds and offsets, from 4713 BC (timestamp's first year) to the year 11000. */
static void test_against_gmtime(void)
{
    static const int offsets[] = {0, 19800, -10815, 3600, -43200, 50400, -(15 * 3600 + 59 * 60 + 59), 20700, -1};
    const int offset_count = (int)(sizeof offsets / sizeof offsets[0]);
    char out[GG_PG_WIRE_TEXT_MAX + 1], text[96], want[64], date[32], clock[32], zone[16];
    int differing = 0, checked = 0;
    for (int64_t t = INT64_C(-210866760000); t < INT64_C(285000000000); t += 987654 + t % 7) {
        unsigned micros = (unsigned)((t / 3) % 1000000 + 1000000) % 1000000;
        if (t % 5 == 0) micros -= micros % 1000; /* whole milliseconds too, and seconds */
        if (t % 11 == 0) micros = 0;
        int offset = offsets[(t / 13 % offset_count + offset_count) % offset_count];
        time_t utc_seconds = (time_t)t, local_seconds = (time_t)(t + offset);
        struct tm utc, local;
        if (gmtime_r(&utc_seconds, &utc) == NULL || gmtime_r(&local_seconds, &local) == NULL) continue;
        bool bc = local.tm_year + 1900 <= 0;
        put_date(date, sizeof date, &local);
        put_time(clock, sizeof clock, &local, micros);
        put_offset(zone, sizeof zone, offset);
        checked++;

        /* timestamptz: the instant in UTC */
        snprintf(text, sizeof text, "%s %s%s%s", date, clock, zone, bc ? " BC" : "");
        put_date(want, sizeof want, &utc);
        snprintf(want + strlen(want), sizeof want - strlen(want), "T%02d:%02d:%02d.%03uZ", utc.tm_hour, utc.tm_min,
                 utc.tm_sec, micros / 1000);
        if (strcmp(wire(GG_PG_OUTPUT_TIMESTAMPTZ, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s: got %s, expected %s\n", text, out, want);

        /* timestamp and date: the wall time as it is */
        snprintf(text, sizeof text, "%s %s%s", date, clock, bc ? " BC" : "");
        put_date(want, sizeof want, &local);
        snprintf(want + strlen(want), sizeof want - strlen(want), "T%02d:%02d:%02d.%03uZ", local.tm_hour, local.tm_min,
                 local.tm_sec, micros / 1000);
        if (strcmp(wire(GG_PG_OUTPUT_TIMESTAMP, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s (timestamp): got %s, expected %s\n", text, out, want);
        snprintf(text, sizeof text, "%s%s", date, bc ? " BC" : "");
        want[strlen(date)] = '\0';
        if (strcmp(wire(GG_PG_OUTPUT_DATE, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s (date): got %s, expected %s\n", text, out, want);

        /* time as it is, timetz as the time of day in UTC */
        snprintf(want, sizeof want, "%02d:%02d:%02d.%03u", local.tm_hour, local.tm_min, local.tm_sec, micros / 1000);
        if (strcmp(wire(GG_PG_OUTPUT_TIME, clock, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s (time): got %s, expected %s\n", clock, out, want);
        snprintf(text, sizeof text, "%s%s", clock, zone);
        snprintf(want, sizeof want, "%02d:%02d:%02d.%03uZ", utc.tm_hour, utc.tm_min, utc.tm_sec, micros / 1000);
        if (strcmp(wire(GG_PG_OUTPUT_TIMETZ, text, out), want) != 0 && differing++ < 5)
            fprintf(stderr, "%s (timetz): got %s, expected %s\n", text, out, want);
    }
    CHECK(checked > 500000);
    CHECK_INT(differing, 0);
}

/* Whether the AWS scalar named scalar serializes text (what the executor would run on it). */
static bool scalar_accepts(const char *scalar, const char *text, size_t len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val in = {.kind = GG_VAL_STRING, .s = text, .len = len};
    gg_val *out = NULL;
    gg_fault fault = {0};
    bool accepted = gg_scalar_find_aws(scalar)->serialize(&arena, &in, &out, &fault);
    gg_arena_free(&arena);
    return accepted;
}

/* Counts a disagreement between gg_pg_wire_standard and the scalar over one written text. */
static void check_standard(gg_pg_output output, const char *scalar, const char *text, size_t len, int *differing)
{
    bool standard = gg_pg_wire_standard(output, text, len), accepted = scalar_accepts(scalar, text, len);
    if (standard != accepted && (*differing)++ < 5)
        fprintf(stderr, "%.*s (%s): standard %d, accepted %d\n", (int)len, text, scalar, standard, accepted);
}

/* The rows plan lets the executor skip the scalar's serialize on a date or time it wrote only when
 * gg_pg_wire_standard says the text is standard, so that answers stay the scalar's: every day from
 * 4713 BC to the year 10010 (February 29th of the years BC, written as years the four digits do
 * not make leap, and the years past 9999 among them), each as a timestamptz, a timestamp and a date
 * at a varying time of day, and times of day up to time's 24:00: standard exactly when accepted. */
static void test_standard_as_the_scalars(void)
{
    char out[GG_PG_WIRE_TEXT_MAX];
    int differing = 0, standard = 0, refused = 0;
    int64_t day_us = INT64_C(86400000000);
    for (int64_t days = INT64_C(-2440588); days < INT64_C(2936550); days++) {
        int64_t micros = (days * INT64_C(7919) * 1000003 % day_us + day_us) % day_us;
        size_t len = gg_pg_wire_write(GG_PG_OUTPUT_TIMESTAMPTZ, days, micros, out);
        check_standard(GG_PG_OUTPUT_TIMESTAMPTZ, "AWSDateTime", out, len, &differing);
        len = gg_pg_wire_write(GG_PG_OUTPUT_TIMESTAMP, days, micros, out);
        check_standard(GG_PG_OUTPUT_TIMESTAMP, "AWSDateTime", out, len, &differing);
        len = gg_pg_wire_write(GG_PG_OUTPUT_DATE, days, 0, out);
        check_standard(GG_PG_OUTPUT_DATE, "AWSDate", out, len, &differing);
        if (gg_pg_wire_standard(GG_PG_OUTPUT_DATE, out, len))
            standard++;
        else
            refused++;
    }
    for (int64_t micros = 0; micros <= day_us; micros += day_us / 4096 + 7) {
        int64_t at = micros > day_us - day_us / 4096 ? day_us : micros; /* ends at 24:00 */
        size_t len = gg_pg_wire_write(GG_PG_OUTPUT_TIME, 0, at, out);
        check_standard(GG_PG_OUTPUT_TIME, "AWSTime", out, len, &differing);
        len = gg_pg_wire_write(GG_PG_OUTPUT_TIMETZ, 0, at + 19800000000, out);
        check_standard(GG_PG_OUTPUT_TIMETZ, "AWSTime", out, len, &differing);
    }
    CHECK_INT(differing, 0);
    CHECK(standard > 3000000);
    CHECK(refused > 3000); /* the days past 9999 and the February 29ths BC */
    CHECK(!gg_pg_wire_standard(GG_PG_OUTPUT_TIME, "24:00:00.000", 12));
    CHECK(!gg_pg_wire_standard(GG_PG_OUTPUT_DATE, "0001-02-29", 10)); /* 1 BC's */
    CHECK(gg_pg_wire_standard(GG_PG_OUTPUT_DATE, "2000-02-29", 10));
    CHECK(!gg_pg_wire_standard(GG_PG_OUTPUT_TIMESTAMPTZ, "10000-01-01T00:00:00.000Z", 25));
}

int main(void)
{
    RUN(test_examples);
    RUN(test_refused);
    RUN(test_against_gmtime);
    RUN(test_standard_as_the_scalars);
    return test_summary();
}
