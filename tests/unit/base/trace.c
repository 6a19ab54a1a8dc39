/* Tests server/base/trace.c: traceparent values read as W3C Trace Context says (version 00 exactly
 * 55 characters, later versions with more fields after a dash, ff never; lowercase hex; trace and
 * parent ids not all zeros), new ids distinct and well formed, the current trace entered and left,
 * and the time in PostgreSQL counted once while statements overlap. */
#include "base/trace.h"

#include <string.h>
#include <time.h>

#include "test.h"

#define ID "4bf92f3577b34da6a3ce929d0e0e4736"
#define PARENT "00f067aa0ba902b7"

static bool parses(const char *value)
{
    char id[GG_TRACE_ID_HEX + 1], parent[GG_TRACE_SPAN_HEX + 1];
    return gg_trace_parse(value, strlen(value), id, parent);
}

static void test_parse(void)
{
    char id[GG_TRACE_ID_HEX + 1], parent[GG_TRACE_SPAN_HEX + 1];
    const char *valid = "00-" ID "-" PARENT "-01";
    CHECK(gg_trace_parse(valid, strlen(valid), id, parent));
    CHECK_STR(id, ID);
    CHECK_STR(parent, PARENT);
    CHECK(parses("00-" ID "-" PARENT "-00"));
    CHECK(parses("cc-" ID "-" PARENT "-01-what-comes-later")); /* a later version's extra fields */
    CHECK(parses("cc-" ID "-" PARENT "-01"));
    CHECK(!parses("cc-" ID "-" PARENT "-01x"));                          /* a later version: a dash must follow */
    CHECK(!parses("00-" ID "-" PARENT "-01-more"));                      /* version 00 is exactly 55 characters */
    CHECK(!parses("ff-" ID "-" PARENT "-01"));                           /* ff is never a version */
    CHECK(!parses("00-4BF92F3577B34DA6A3CE929D0E0E4736-" PARENT "-01")); /* uppercase */
    CHECK(!parses("00-00000000000000000000000000000000-" PARENT "-01"));
    CHECK(!parses("00-" ID "-0000000000000000-01"));
    CHECK(!parses("00-" ID "-" PARENT "-0g"));
    CHECK(!parses("00_" ID "-" PARENT "-01"));
    CHECK(!parses("00-" ID "-" PARENT "-1"));
    CHECK(!parses(""));
    CHECK(!gg_trace_parse(NULL, 0, id, parent));
}

static void test_new(void)
{
    const char *valid = "00-" ID "-" PARENT "-01";
    gg_trace *kept = gg_trace_new(valid, strlen(valid));
    CHECK_STR(kept->trace_id, ID);
    CHECK_STR(kept->parent_id, PARENT);
    gg_trace *made = gg_trace_new("00-" ID, 35);
    gg_trace *other = gg_trace_new(NULL, 0);
    CHECK_INT(strlen(made->trace_id), GG_TRACE_ID_HEX);
    CHECK(strspn(made->trace_id, "0123456789abcdef") == GG_TRACE_ID_HEX);
    CHECK_STR(made->parent_id, "");
    CHECK(strcmp(made->trace_id, other->trace_id) != 0);
    CHECK(strcmp(made->trace_id, ID) != 0);
    gg_trace_release(kept);
    gg_trace_release(made);
    gg_trace_release(other);
}

static void test_current_trace(void)
{
    CHECK(gg_trace_current() == NULL);
    gg_trace *a = gg_trace_new(NULL, 0), *b = gg_trace_new(NULL, 0);
    gg_trace *before_a = gg_trace_enter(a);
    CHECK(before_a == NULL && gg_trace_current() == a);
    gg_trace *before_b = gg_trace_enter(b);
    CHECK(before_b == a && gg_trace_current() == b);
    gg_trace_leave(before_b);
    CHECK(gg_trace_current() == a);
    gg_trace_retain(a);
    gg_trace_release(a); /* one reference left: still current */
    CHECK(gg_trace_current() == a);
    gg_trace_release(a); /* the last: it is current no more */
    CHECK(gg_trace_current() == NULL);
    gg_trace_leave(before_a);
    gg_trace_release(b);
}

static void sleep_ms(long ms)
{
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void test_pg_time(void)
{
    gg_trace *t = gg_trace_new(NULL, 0);
    CHECK(gg_trace_pg_ms(t) == 0);
    double start = now_ms();
    gg_trace_pg_sent(t);
    gg_trace_pg_sent(t); /* two statements overlap: their time counts once */
    sleep_ms(20);
    gg_trace_pg_done(t);
    sleep_ms(20);
    gg_trace_pg_done(t);
    double window = now_ms() - start; /* at least one statement in flight all along */
    sleep_ms(30);                     /* nothing in flight: not counted */
    double ms = gg_trace_pg_ms(t);
    CHECK(ms >= 40);
    CHECK(ms <= window + 0.01); /* counting the overlap twice, or the idle 30 ms, would exceed it */
    CHECK_INT(t->pg_statements, 2);
    gg_trace_pg_done(t); /* one too many: ignored */
    CHECK(gg_trace_pg_ms(t) == ms);
    gg_trace_release(t);
}

int main(void)
{
    RUN(test_parse);
    RUN(test_new);
    RUN(test_current_trace);
    RUN(test_pg_time);
    return test_summary();
}
