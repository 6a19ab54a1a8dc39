/* Tests resolvers/postgres/wire_binary.c against PostgreSQL itself (scripts/test.sh starts it):
 * each query below is run twice on the test database, asking for text results and for binary
 * ones, and every binary value read by gg_pg_binary_text must give the text format's own text
 * (the types the rows plan reads as they are) or, for dates and times, what gg_pg_wire_text makes
 * of the text format's text (the AppSync forms the rows plan shows). The values cover every reader:
 * NULLs, each integer type's extremes, empty and non-ASCII text, padded bpchar, name, citext, an
 * enum, uuid, json kept as written and jsonb, dates and timestamps BC, past the year 9999, at both
 * ends of their ranges and at infinity, series spread over those ranges with odd fractions of a
 * second, times at 24:00, and timetz offsets of whole hours, minutes and seconds. The series of
 * timestamptz and timetz run under several session time zones (the text format writes their
 * offsets; the binary one is UTC). Also: what the plan expects of each column (gg_pg_binary_of_column,
 * gg_pg_binary_accepts) and malformed binary values refused. */
#include <stdlib.h>

#include <libpq-fe.h>

#include "test.h"
#include "test_db.h"
#include "wire_binary.h"

static PGconn *db;

/* What the rows plan sees of a text-format value of type: its text, or a date's shown text. */
static const char *text_form(gg_pg_binary type, const char *text, size_t len, char *out)
{
    if (!gg_pg_binary_shown(type)) {
        memcpy(out, text, len);
        out[len] = '\0';
        return out;
    }
    gg_pg_output output = type == GG_PG_BINARY_DATE        ? GG_PG_OUTPUT_DATE
                          : type == GG_PG_BINARY_TIME      ? GG_PG_OUTPUT_TIME
                          : type == GG_PG_BINARY_TIMETZ    ? GG_PG_OUTPUT_TIMETZ
                          : type == GG_PG_BINARY_TIMESTAMP ? GG_PG_OUTPUT_TIMESTAMP
                                                           : GG_PG_OUTPUT_TIMESTAMPTZ;
    size_t n = gg_pg_wire_text(output, text, len, out);
    if (n == 0) return out[0] == '\0' ? "(no value)" : "(unreadable)";
    out[n] = '\0';
    return out;
}

/* Runs sql (one column of type) in both formats and compares every row; returns the rows compared. */
static int compare(const char *sql, gg_pg_binary type)
{
    PGresult *text = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 0);
    PGresult *binary = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 1);
    int rows = 0;
    if (PQresultStatus(text) != PGRES_TUPLES_OK || PQresultStatus(binary) != PGRES_TUPLES_OK) {
        fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(db));
        CHECK(false);
    } else {
        CHECK_INT(PQntuples(binary), PQntuples(text));
        CHECK_INT(PQfformat(binary, 0), 1);
        CHECK(gg_pg_binary_accepts(type, PQftype(binary, 0)));
        rows = PQntuples(text);
        for (int r = 0; r < rows && r < PQntuples(binary); r++) {
            bool text_null = PQgetisnull(text, r, 0), binary_null = PQgetisnull(binary, r, 0);
            CHECK_INT(binary_null, text_null);
            if (text_null || binary_null) continue;
            size_t text_len = (size_t)PQgetlength(text, r, 0);
            char *expected_buf = malloc(text_len + GG_PG_BINARY_TEXT_MAX + 1);
            const char *expected = text_form(type, PQgetvalue(text, r, 0), text_len, expected_buf);
            char out[GG_PG_BINARY_TEXT_MAX];
            memset(out, '9', sizeof out); /* digits after the text: a reader parsing up to a NUL would take them */
            const char *got = NULL;
            size_t got_len = 0;
            bool ok = gg_pg_binary_text(type, PQgetvalue(binary, r, 0), (size_t)PQgetlength(binary, r, 0), out, &got,
                                        &got_len);
            CHECK(ok);
            if (ok && got != NULL) CHECK_INT(got[got_len], '\0'); /* ended as libpq ends its values */
            char *got_copy = malloc(got_len + 1);
            if (got != NULL) memcpy(got_copy, got, got_len);
            got_copy[got_len] = '\0';
            const char *shown = !ok ? "(malformed)" : got == NULL ? "(no value)" : got_copy;
            if (strcmp(shown, expected) != 0)
                fprintf(stderr, "row %d of %s (text %s)\n", r, sql, PQgetvalue(text, r, 0));
            CHECK_STR(shown, expected);
            free(got_copy);
            free(expected_buf);
        }
    }
    PQclear(text);
    PQclear(binary);
    return rows;
}

static void test_integers_and_booleans(void)
{
    compare("SELECT v::int2 FROM (VALUES (NULL::int2), (0), (1), (-1), (32767), (-32768), (-10), (100)) t(v)",
            GG_PG_BINARY_INT2);
    compare("SELECT v FROM (VALUES (NULL::int4), (0), (7), (-7), (2147483647), (-2147483648), (1000000)) t(v)",
            GG_PG_BINARY_INT4);
    compare("SELECT v FROM (VALUES (NULL::int8), (0), (42), (-42), (9223372036854775807), (-9223372036854775808), "
            "(1234567890123), (-1000000000000000000)) t(v)",
            GG_PG_BINARY_INT8);
    compare("SELECT (i::int8 * 2654435761 % 2147483648)::int4 FROM generate_series(-3000, 3000, 7) i",
            GG_PG_BINARY_INT4);
    compare("SELECT v FROM (VALUES (NULL::bool), (true), (false)) t(v)", GG_PG_BINARY_BOOL);
}

static void test_texts(void)
{
    compare("SELECT v FROM (VALUES (NULL::text), (''), ('plain'), ('ünïcödé ✓ 日本'), ('tab\there'), "
            "(repeat('long ', 2000))) t(v)",
            GG_PG_BINARY_TEXT);
    compare("SELECT v FROM (VALUES (NULL::varchar(20)), ('short'), ('')) t(v)", GG_PG_BINARY_TEXT);
    compare("SELECT v FROM (VALUES (NULL::char(6)), ('ab'), ('abcdef')) t(v)", GG_PG_BINARY_TEXT); /* padded */
    compare("SELECT v FROM (VALUES (NULL::name), ('a_name'), ('')) t(v)", GG_PG_BINARY_TEXT);
    compare("SELECT v FROM (VALUES (NULL::citext), ('MiXeD'), ('')) t(v)", GG_PG_BINARY_TEXT);
    compare("SELECT v FROM (VALUES (NULL::gg_binary_mood), ('happy'), ('so so'), ('ünï')) t(v)", GG_PG_BINARY_TEXT);
    compare("SELECT v FROM (VALUES (NULL::uuid), ('00000000-0000-0000-0000-000000000000'), "
            "('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), ('{ffffffff-ffff-ffff-ffff-ffffffffffff}'), "
            "('123e4567e89b12d3a456426614174000')) t(v)",
            GG_PG_BINARY_UUID);
    compare("SELECT md5(i::text)::uuid FROM generate_series(1, 200) i", GG_PG_BINARY_UUID);
    compare("SELECT v FROM (VALUES (NULL::json), ('{\"b\": 1,  \"a\" : [1, 2.50, \"x\"]}'), ('\"ü\"'), ('null')) t(v)",
            GG_PG_BINARY_JSON);
    compare("SELECT v FROM (VALUES (NULL::jsonb), ('{\"b\": 1,  \"a\" : [1, 2.50, \"x\"]}'), ('\"ü\"'), ('null'), "
            "('[]'), ('{\"k\": {\"n\": -0.000001e10}}')) t(v)",
            GG_PG_BINARY_JSONB);
}

static void test_dates(void)
{
    compare("SELECT v FROM (VALUES (NULL::date), ('2026-12-06'), ('2000-01-01'), ('1999-12-31'), ('2000-02-29'), "
            "('1600-02-29'), ('1970-01-01'), ('0001-01-01'), ('0001-12-31 BC'), ('0044-03-15 BC'), "
            "('4714-11-24 BC'), ('10000-01-01'), ('5874897-12-31'), ('infinity'), ('-infinity')) t(v)",
            GG_PG_BINARY_DATE);
    /* every 9,999,991th day from 4714-11-24 BC to 5874897 */
    CHECK(compare("SELECT date '4714-11-24 BC' + i FROM generate_series(0, 2147483493, 9999991) i", GG_PG_BINARY_DATE) >
          200);
    compare("SELECT v FROM (VALUES (NULL::time), ('00:00'), ('11:24:12.849'), ('23:59:59.999999'), ('24:00:00'), "
            "('12:00:00.0005')) t(v)",
            GG_PG_BINARY_TIME);
    compare("SELECT time '00:00' + i * interval '1234567.891 msec' FROM generate_series(0, 300) i", GG_PG_BINARY_TIME);
    compare("SELECT v FROM (VALUES (NULL::timestamp), ('2026-12-06 11:24:12.849999'), ('1999-12-31 23:59:59.9999'), "
            "('2000-01-01 00:00:00'), ('1900-02-28 23:59:59.9999'), ('0001-01-01 00:00:00 BC'), "
            "('4713-01-01 00:00:00 BC'), ('10000-01-01 00:00:00.001'), ('294276-12-31 23:59:59.999999'), "
            "('infinity'), ('-infinity')) t(v)",
            GG_PG_BINARY_TIMESTAMP);
    CHECK(compare("SELECT timestamp '4713-01-01 BC' + i * interval '1 microsecond' * 29999999999999 + "
                  "i * interval '0.000137 s' FROM generate_series(0, 300000, 1000) i",
                  GG_PG_BINARY_TIMESTAMP) > 250);
}

/* timestamptz and timetz: the text format writes the session's offsets */
static void test_zoned(void)
{
    static const char *const zones[] = {
        "UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam", "Pacific/Kiritimati", "America/Los_Angeles"};
    for (unsigned z = 0; z < sizeof zones / sizeof *zones; z++) {
        char set[80];
        snprintf(set, sizeof set, "SET TimeZone = '%s'", zones[z]);
        test_db_exec(db, set);
        compare("SELECT v FROM (VALUES (NULL::timestamptz), ('2026-12-06 11:24:12.849+00'), "
                "('2026-12-06 16:54:12.849999+05:30'), ('2026-12-31 23:30:00-01'), ('1890-01-01 00:00:00-03:00:15'), "
                "('1969-12-31 23:59:59.999+00'), ('0001-01-01 00:30:00+01 BC'), ('4713-01-02 00:00:00+00 BC'), "
                "('10000-01-01 00:00:00+00'), ('294276-12-30 23:59:59.999999+00'), ('infinity'), ('-infinity')) t(v)",
                GG_PG_BINARY_TIMESTAMPTZ);
        CHECK(
            compare("SELECT timestamptz '4713-01-02 00:00:00+00 BC' + i * interval '1 microsecond' * 29999999999999 + "
                    "i * interval '0.000211 s' FROM generate_series(0, 300000, 1000) i",
                    GG_PG_BINARY_TIMESTAMPTZ) > 250);
        compare("SELECT v FROM (VALUES (NULL::timetz), ('11:24:12.849+00'), ('00:30:00+05:30'), ('23:45:00-03:30'), "
                "('12:00:00+01:02:03'), ('24:00:00+00'), ('24:00:00-15:59'), ('00:00:00+15:59'), ('10:00:00')) t(v)",
                GG_PG_BINARY_TIMETZ);
        compare("SELECT (time '00:00' + i * interval '987654.321 msec')::timetz FROM generate_series(0, 200) i",
                GG_PG_BINARY_TIMETZ);
    }
    test_db_exec(db, "SET TimeZone = 'UTC'");
}

static void test_plan_expectations(void)
{
    gg_pg_column c = {.sql_type = "timestamp with time zone", .output = GG_PG_OUTPUT_TIMESTAMPTZ};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_TIMESTAMPTZ);
    c = (gg_pg_column){.sql_type = "text", .output = GG_PG_OUTPUT_AS_IS, .text_like = true};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_TEXT);
    c = (gg_pg_column){.sql_type = "my_domain", .output = GG_PG_OUTPUT_AS_IS, .text_like = true};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_TEXT); /* a domain over text: its base type is sent */
    c = (gg_pg_column){.sql_type = "my_domain", .output = GG_PG_OUTPUT_AS_IS};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_NONE); /* over what: unknown here */
    c = (gg_pg_column){.sql_type = "double precision", .output = GG_PG_OUTPUT_AS_IS};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_NONE);
    c = (gg_pg_column){.sql_type = "numeric", .output = GG_PG_OUTPUT_AS_IS};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_NONE);
    c = (gg_pg_column){.sql_type = "bigint", .output = GG_PG_OUTPUT_AS_IS};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_INT8);
    c = (gg_pg_column){.sql_type = "boolean", .output = GG_PG_OUTPUT_AS_IS};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_BOOL);
    c = (gg_pg_column){.sql_type = "uuid", .output = GG_PG_OUTPUT_TEXT}; /* format('%s', id) */
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_TEXT);
    c = (gg_pg_column){.sql_type = "integer[]", .output = GG_PG_OUTPUT_ARRAY}; /* to_jsonb(tags) */
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_JSONB);
    static const char *labels[] = {"A"};
    c = (gg_pg_column){.sql_type = "mood", .output = GG_PG_OUTPUT_AS_IS, .enum_labels = labels, .enum_label_count = 1};
    CHECK_INT(gg_pg_binary_of_column(&c), GG_PG_BINARY_TEXT);
    CHECK(gg_pg_binary_accepts(GG_PG_BINARY_TEXT, 25));
    CHECK(!gg_pg_binary_accepts(GG_PG_BINARY_TEXT, 1184)); /* a timestamptz is no text */
    CHECK(!gg_pg_binary_accepts(GG_PG_BINARY_TIMESTAMPTZ, 1114));
    CHECK(!gg_pg_binary_accepts(GG_PG_BINARY_INT4, 20));
    CHECK(!gg_pg_binary_accepts(GG_PG_BINARY_NONE, 25));

    char out[GG_PG_BINARY_TEXT_MAX];
    const char *text = NULL;
    size_t len = 0;
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_INT4, "\0\0\0", 3, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_TIMESTAMPTZ, "\0\0\0\0", 4, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_TIMETZ, "\0\0\0\0\0\0\0\0", 8, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_UUID, "\0\0\0\0", 4, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_JSONB, "\2{}", 3, out, &text, &len)); /* an unknown jsonb version */
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_JSONB, "", 0, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_NONE, "x", 1, out, &text, &len));
    /* a time of day outside 00:00 to 24:00 (PostgreSQL sends none) is no time: never two digits
     * past 99 hours */
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_TIME, "\xff\xff\xff\xff\xff\xff\xff\xff", 8, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_TIME, "\0\0\0\x14\x1d\xd7\x60\x01", 8, out, &text, &len));
    CHECK(!gg_pg_binary_text(GG_PG_BINARY_TIMETZ, "\x7f\xff\xff\xff\xff\xff\xff\xff\0\0\0\0", 12, out, &text, &len));
    CHECK(gg_pg_binary_text(GG_PG_BINARY_TIME, "\0\0\0\x14\x1d\xd7\x60\0", 8, out, &text, &len));
    CHECK_STR(text, "24:00:00.000");
}

int main(void)
{
    db = test_db_connect();
    if (db == NULL) return 1;
    test_db_exec(db, "SET client_min_messages = warning");
    test_db_exec(db, "SET DateStyle = ISO");
    test_db_exec(db, "SET TimeZone = 'UTC'");
    test_db_exec(db, "CREATE EXTENSION IF NOT EXISTS citext");
    test_db_exec(db, "DROP TYPE IF EXISTS gg_binary_mood");
    test_db_exec(db, "CREATE TYPE gg_binary_mood AS ENUM ('happy', 'so so', 'ünï')");
    RUN(test_integers_and_booleans);
    RUN(test_texts);
    RUN(test_dates);
    RUN(test_zoned);
    RUN(test_plan_expectations);
    test_db_exec(db, "DROP TYPE gg_binary_mood");
    PQfinish(db);
    return test_summary();
}
