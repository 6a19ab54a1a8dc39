/* Unit tests for server/graphql/type/aws_scalars.c: AppSync's nine scalars (appsync-compat.md §2.1).
 *
 * Each check runs one coercion path and compares "ok: <JSON of the result>" or the error
 * message. serialize and parse_value take JSON text, parse_literal a GraphQL literal. */
#include <string.h>

#include "../../test.h"
#include "graphql/language/parser.h"
#include "graphql/type/scalars.h"

static gg_arena arena;

enum path { SERIALIZE, PARSE_VALUE, PARSE_LITERAL };

static const char *outcome(bool ok, const gg_val *out, const char *error)
{
    if (!ok) return error;
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, out);
    const char *s = gg_arena_printf(&arena, "ok: %s", b.data);
    gg_buf_free(&b);
    return s;
}

/* Runs a path of a scalar on JSON text (serialize, parse_value) or a literal (parse_literal). */
static const char *run(const char *scalar, enum path path, const char *input)
{
    const gg_scalar_ops *ops = gg_scalar_find_builtin(scalar);
    gg_val *out = NULL;
    gg_fault error = {0};
    if (path == PARSE_LITERAL) {
        gg_error_list errors;
        gg_error_list_init(&errors, &arena);
        gg_value *literal = gg_parse_value(&arena, input, strlen(input), &errors);
        if (literal == NULL) return "literal does not parse";
        bool ok = ops->parse_literal(&arena, literal, &out, &error);
        return outcome(ok, out, error.message);
    }
    gg_val *in;
    if (!gg_scalar_parse_json(&arena, input, strlen(input), &in)) return "input is not JSON";
    bool ok = (path == SERIALIZE ? ops->serialize : ops->parse_value)(&arena, in, &out, &error);
    return outcome(ok, out, error.message);
}

/* A string value must be accepted verbatim on all three paths. */
static void check_string_accepted(const char *scalar, const char *s)
{
    const char *json = gg_arena_printf(&arena, "\"%s\"", s);
    const char *expected = gg_arena_printf(&arena, "ok: \"%s\"", s);
    CHECK_STR(run(scalar, SERIALIZE, json), expected);
    CHECK_STR(run(scalar, PARSE_VALUE, json), expected);
    CHECK_STR(run(scalar, PARSE_LITERAL, json), expected);
}

/* A string value must be refused on all three paths with "<scalar> cannot represent <what>: "s"". */
static void check_string_refused(const char *scalar, const char *what, const char *s)
{
    const char *json = gg_arena_printf(&arena, "\"%s\"", s);
    const char *expected = gg_arena_printf(&arena, "%s cannot represent %s: \"%s\"", scalar, what, s);
    CHECK_STR(run(scalar, SERIALIZE, json), expected);
    CHECK_STR(run(scalar, PARSE_VALUE, json), expected);
    CHECK_STR(run(scalar, PARSE_LITERAL, json), expected);
}

static void check_non_strings_refused(const char *scalar)
{
    const char *prefix = gg_arena_printf(&arena, "%s cannot represent a non string value: ", scalar);
    CHECK_STR(run(scalar, SERIALIZE, "5"), gg_arena_printf(&arena, "%s5", prefix));
    CHECK_STR(run(scalar, PARSE_VALUE, "{\"a\":[1]}"), gg_arena_printf(&arena, "%s{ a: [1] }", prefix));
    CHECK_STR(run(scalar, PARSE_VALUE, "null"), gg_arena_printf(&arena, "%snull", prefix));
    CHECK_STR(run(scalar, PARSE_LITERAL, "5"), gg_arena_printf(&arena, "%s5", prefix));
    CHECK_STR(run(scalar, PARSE_LITERAL, "SOME_ENUM"), gg_arena_printf(&arena, "%sSOME_ENUM", prefix));
    CHECK_STR(run(scalar, PARSE_LITERAL, "[\"x\"]"), gg_arena_printf(&arena, "%s[\"x\"]", prefix));
}

static void test_aws_date(void)
{
    const char *valid[] = {"1970-01-01", "1970-01-01Z",         "1970-01-01-07:00", "1970-01-01+05:30", "2024-02-29",
                           "2000-02-29", "1999-12-31+05:30:15", "-2017-05-01",      "0000-02-29",       "9999-12-31"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSDate", valid[i]);
    const char *invalid[] = {"2023-02-30",
                             "2023-02-29",
                             "1900-02-29",
                             "2023-04-31",
                             "2023-13-01",
                             "2023-00-10",
                             "2023-01-00",
                             "2023-1-01",
                             "23-01-01",
                             "2023/01/01",
                             "2023-01-01T00:00Z",
                             "2023-01-01+5:30",
                             "2023-01-01+05",
                             "2023-01-01+24:00",
                             "2023-01-01z",
                             "2023-01-01 ",
                             "",
                             "20230101",
                             "+2023-01-01",
                             "2023-01-01+05:30:60"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSDate", "an invalid date", invalid[i]);
    check_non_strings_refused("AWSDate");
}

static void test_aws_time(void)
{
    const char *valid[] = {"12:30",
                           "12:30Z",
                           "12:30:24",
                           "12:30:24-07:00",
                           "12:30:24.500+05:30",
                           "00:00:00.1",
                           "23:59:59.123456789",
                           "12:00:34.",
                           "12:00:00+05:30:15"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSTime", valid[i]);
    const char *invalid[] = {"24:00",  "12:60",   "12:30:60",        "1:30",   "12:30:24.1234567890", "12",
                             "12:30:", "12:30.5", "12:30:24Z+01:00", "T12:30", "12:30:24 Z",          "12h30"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSTime", "an invalid time", invalid[i]);
    check_non_strings_refused("AWSTime");
}

static void test_aws_date_time(void)
{
    const char *valid[] = {"2024-05-01T10:20:30.123Z",     "1970-01-01T12:00Z",
                           "1970-01-01T12:00:00.2Z",       "1970-01-01T12:00:00.123456789-07:00",
                           "2024-02-29T00:00:00+05:30:45", "-2017-01-01T00:00Z"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSDateTime", valid[i]);
    const char *invalid[] = {
        "2024-05-01T10:20:30.123", "2024-05-01",        "2024-05-01 10:20:30Z",   "2024-05-01t10:20Z",
        "2023-02-29T10:20Z",       "2024-05-01T25:00Z", "2024-05-01T10:20:30.Zx", "T10:20Z"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSDateTime", "an invalid date-time", invalid[i]);
    check_non_strings_refused("AWSDateTime");
}

static void test_aws_timestamp(void)
{
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "1700000000"), "ok: 1700000000");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "-86400"), "ok: -86400");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "1700000000.0"), "ok: 1700000000");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "\"1700000000\""), "ok: 1700000000");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "1.5"), "AWSTimestamp cannot represent non-integer value: 1.5");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "\"soon\""), "AWSTimestamp cannot represent non-integer value: \"soon\"");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "true"), "AWSTimestamp cannot represent non-integer value: true");
    CHECK_STR(run("AWSTimestamp", SERIALIZE, "1e19"),
              "AWSTimestamp cannot represent non 64-bit signed integer value: 10000000000000000000");
    /* beyond 32 bits, unlike Int */
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "4102444800000"), "ok: 4102444800000");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "-9223372036854775808"), "ok: -9223372036854775808");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "-0"), "ok: 0");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "\"1700000000\""),
              "AWSTimestamp cannot represent non-integer value: \"1700000000\"");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "2.5"), "AWSTimestamp cannot represent non-integer value: 2.5");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "null"), "AWSTimestamp cannot represent non-integer value: null");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "1e1000"), "AWSTimestamp cannot represent non-integer value: Infinity");
    CHECK_STR(run("AWSTimestamp", PARSE_VALUE, "9223372036854775808"),
              "AWSTimestamp cannot represent non 64-bit signed integer value: 9223372036854776000");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "1700000000"), "ok: 1700000000");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "-0"), "ok: 0");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "9223372036854775807"), "ok: 9223372036854775807");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "-9223372036854775808"), "ok: -9223372036854775808");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "9223372036854775808"),
              "AWSTimestamp cannot represent non 64-bit signed integer value: 9223372036854775808");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "-9223372036854775809"),
              "AWSTimestamp cannot represent non 64-bit signed integer value: -9223372036854775809");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "99999999999999999999999"),
              "AWSTimestamp cannot represent non 64-bit signed integer value: 99999999999999999999999");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "1.0"), "AWSTimestamp cannot represent non-integer value: 1.0");
    CHECK_STR(run("AWSTimestamp", PARSE_LITERAL, "\"1700000000\""),
              "AWSTimestamp cannot represent non-integer value: \"1700000000\"");
}

static void test_aws_email(void)
{
    const char *valid[] = {"someone@example.com", "a.b+tag@sub.example.co.uk", "x@localhost",
                           "o'brien@example.org", "first_last-1@a-b.c",        "{weird}~|@x9.io"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSEmail", valid[i]);
    const char *invalid[] = {"plainaddress",
                             "@example.com",
                             "someone@",
                             "someone@-example.com",
                             "someone@example-.com",
                             "someone@exa_mple.com",
                             "some one@example.com",
                             "someone@example..com",
                             "someone@example.com.",
                             "a@b@c.com",
                             "someone@[127.0.0.1]"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSEmail", "an invalid email address", invalid[i]);
    /* a 64-character label is one too many */
    check_string_accepted("AWSEmail", "a@abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc.com");
    check_string_refused("AWSEmail", "an invalid email address",
                         "a@abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd.com");
    check_non_strings_refused("AWSEmail");
}

static void test_aws_url(void)
{
    const char *valid[] = {
        "https://www.amazon.com/dp/B000NZW3KC/", "mailto:example@example.com",           "http://localhost:8080",
        "ftp://user:pw@host/file.txt",           "https://x.io/a?next=http://y//z#f//g", "urn:isbn:0451450523",
        "custom+scheme.v1://host/path"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSURL", valid[i]);
    const char *invalid[] = {
        "www.amazon.com", "/relative/path", "https://host//double",    "https://host/a//b",  "http://",
        "mailto:",        "1http://host",   "https://host/with space", "https://host/<tag>", ":no-scheme"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSURL", "an invalid URL", invalid[i]);
    check_non_strings_refused("AWSURL");
}

static void test_aws_phone(void)
{
    const char *valid[] = {"+1 555 764 4377", "555-764-4377",     "+44 20 7946 0958",
                           "5557644",         "+861012345678901", "206-555-0100"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSPhone", valid[i]);
    const char *invalid[] = {
        "555-123",        "+1 555 764 4377 1234 5", "555--764-4377", "-555-764-4377", "555-764-4377-",
        "(555) 764-4377", "+ 1 555 764 4377",       "555.764.4377",  "phone",         "1++5557644"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSPhone", "an invalid phone number", invalid[i]);
    check_non_strings_refused("AWSPhone");
}

static void test_aws_ip_address(void)
{
    const char *valid[] = {"123.45.67.89",
                           "123.45.67.89/16",
                           "0.0.0.0/0",
                           "255.255.255.255/32",
                           "::1",
                           "::",
                           "2001:db8::8a2e:370:7334",
                           "2001:0db8:0000:0000:0000:ff00:0042:8329",
                           "::ffff:192.0.2.1",
                           "fe80::1/64",
                           "2001:db8::/128"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        check_string_accepted("AWSIPAddress", valid[i]);
    const char *invalid[] = {"256.1.1.1",  "1.2.3",     "1.2.3.4.5", "1.2.3.4/33",   "1.2.3.4/",
                             "1.2.3.4/1x", "::1/129",   "[::1]",     "fe80::1%eth0", "2001:db8:::1",
                             "1.2.3.4 ",   "localhost", "/24",       "1.2.3.4/0032"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        check_string_refused("AWSIPAddress", "an invalid IP address", invalid[i]);
    check_non_strings_refused("AWSIPAddress");
}

static void test_aws_json(void)
{
    /* input: a string holding JSON; the parsed value is what resolvers get */
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"{\\\"a\\\":[1,2.5,{\\\"b\\\":null}],\\\"c\\\":\\\"x\\\"}\""),
              "ok: {\"a\":[1,2.5,{\"b\":null}],\"c\":\"x\"}");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\" [true] \""), "ok: [true]");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"42\""), "ok: 42");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"\\\"text\\\"\""), "ok: \"text\"");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"null\""), "ok: null");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"{\\\"a\\\":1,\\\"a\\\":2}\""), "ok: {\"a\":2}");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"{a:1}\""), "AWSJSON cannot represent an invalid JSON string: \"{a:1}\"");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"\""), "AWSJSON cannot represent an invalid JSON string: \"\"");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "\"[1] [2]\""),
              "AWSJSON cannot represent an invalid JSON string: \"[1] [2]\"");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "{\"a\":1}"), "AWSJSON cannot represent a non string value: { a: 1 }");
    CHECK_STR(run("AWSJSON", PARSE_VALUE, "7"), "AWSJSON cannot represent a non string value: 7");
    CHECK_STR(run("AWSJSON", PARSE_LITERAL, "\"{\\\"deep\\\":{\\\"er\\\":[[1]]}}\""), "ok: {\"deep\":{\"er\":[[1]]}}");
    CHECK_STR(run("AWSJSON", PARSE_LITERAL, "\"\"\"{\"k\": \"v\"}\"\"\""), "ok: {\"k\":\"v\"}");
    CHECK_STR(run("AWSJSON", PARSE_LITERAL, "\"{oops\""), "AWSJSON cannot represent an invalid JSON string: \"{oops\"");
    CHECK_STR(run("AWSJSON", PARSE_LITERAL, "{a: 1}"), "AWSJSON cannot represent a non string value: {a: 1}");
    CHECK_STR(run("AWSJSON", PARSE_LITERAL, "true"), "AWSJSON cannot represent a non string value: true");
    /* output: the value serialised into a JSON string */
    CHECK_STR(run("AWSJSON", SERIALIZE, "{\"a\":[1,{\"b\":\"q\\\"\"}]}"),
              "ok: \"{\\\"a\\\":[1,{\\\"b\\\":\\\"q\\\\\\\"\\\"}]}\"");
    CHECK_STR(run("AWSJSON", SERIALIZE, "\"text\""), "ok: \"\\\"text\\\"\"");
    CHECK_STR(run("AWSJSON", SERIALIZE, "12"), "ok: \"12\"");
    CHECK_STR(run("AWSJSON", SERIALIZE, "null"), "ok: \"null\"");
    /* RAW JSON text (jsonb from PostgreSQL) is used as it is */
    gg_val raw = {.kind = GG_VAL_RAW, .s = "{\"x\": 1}", .len = 8};
    gg_val *out = NULL;
    gg_fault error = {0};
    CHECK(gg_scalar_find_builtin("AWSJSON")->serialize(&arena, &raw, &out, &error));
    CHECK_STR(outcome(true, out, NULL), "ok: \"{\\\"x\\\": 1}\"");
}

/* Output is validated too, and RAW text holding a string is read as that string. */
static void test_serialize_raw_strings(void)
{
    gg_val raw = {.kind = GG_VAL_RAW, .s = "\"2024-01-31\"", .len = 12};
    gg_val *out = NULL;
    gg_fault error = {0};
    CHECK(gg_scalar_find_builtin("AWSDate")->serialize(&arena, &raw, &out, &error));
    CHECK_STR(outcome(true, out, NULL), "ok: \"2024-01-31\"");
    gg_val bad = {.kind = GG_VAL_RAW, .s = "\"2024-01-32\"", .len = 12};
    CHECK(!gg_scalar_find_builtin("AWSDate")->serialize(&arena, &bad, &out, &error));
    CHECK_STR(error.message, "AWSDate cannot represent an invalid date: \"2024-01-32\"");
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_aws_date);
    RUN(test_aws_time);
    RUN(test_aws_date_time);
    RUN(test_aws_timestamp);
    RUN(test_aws_email);
    RUN(test_aws_url);
    RUN(test_aws_phone);
    RUN(test_aws_ip_address);
    RUN(test_aws_json);
    RUN(test_serialize_raw_strings);
    gg_arena_free(&arena);
    return test_summary();
}
