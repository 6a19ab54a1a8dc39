/* Tests server/realtime/bus_payload.c: the NOTIFY payloads of the PostgreSQL bus: writing an
 * inline event (and refusing one too long for NOTIFY or with a topic that is not a name), parsing
 * both forms back, and refusing what another sender on the channel could write. */
#include "realtime/bus_payload.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"

static bool parse(const char *text, gg_bus_payload *p)
{
    return gg_bus_payload_parse(text, strlen(text), p);
}

static void test_inline_round_trip(void)
{
    gg_buf b;
    gg_buf_init(&b);
    const char *json = "{\"id\":\"1\",\"title\":\"a b\"}";
    CHECK(gg_bus_payload_write_inline(&b, "createNote", json, strlen(json)));
    gg_buf_putc(&b, '\0');
    CHECK_STR(b.data, "IcreateNote {\"id\":\"1\",\"title\":\"a b\"}");
    gg_bus_payload p;
    CHECK(gg_bus_payload_parse(b.data, strlen(b.data), &p));
    CHECK_INT(p.kind, GG_BUS_PAYLOAD_INLINE);
    CHECK_INT(p.topic_len, 10);
    CHECK(strncmp(p.topic, "createNote", 10) == 0);
    CHECK_INT(p.json_len, strlen(json));
    CHECK(memcmp(p.json, json, p.json_len) == 0);
    gg_buf_free(&b);
}

static void test_inline_limit(void)
{
    /* "I" + topic + " " + json: 7999 bytes fit, 8000 do not (NOTIFY's limit) */
    const char *topic = "createNote";
    size_t fits = GG_BUS_NOTIFY_PAYLOAD_MAX - 1 - strlen(topic) - 1;
    char *json = malloc(fits + 2);
    memset(json, 'x', fits + 1);
    json[fits + 1] = '\0';
    gg_buf b;
    gg_buf_init(&b);
    CHECK(gg_bus_payload_write_inline(&b, topic, json, fits));
    CHECK_INT(b.len, 7999);
    gg_buf_free(&b);
    gg_buf_init(&b);
    CHECK(!gg_bus_payload_write_inline(&b, topic, json, fits + 1));
    CHECK_INT(b.len, 0); /* untouched */
    CHECK(!gg_bus_payload_write_inline(&b, "not a name", "{}", 2));
    CHECK(!gg_bus_payload_write_inline(&b, "", "{}", 2));
    CHECK(!gg_bus_payload_write_inline(&b, "createNote", "", 0));
    CHECK_INT(b.len, 0);
    gg_buf_free(&b);
    free(json);
}

static void test_reference(void)
{
    gg_bus_payload p;
    CHECK(parse("R42", &p));
    CHECK_INT(p.kind, GG_BUS_PAYLOAD_REFERENCE);
    CHECK_INT(p.id, 42);
    CHECK(parse("R9223372036854775807", &p));
    CHECK_INT(p.id, INT64_MAX);
    CHECK(!parse("R9223372036854775808", &p)); /* over bigint */
    CHECK(!parse("R99999999999999999999", &p));
    CHECK(!parse("R0", &p));
    CHECK(!parse("R012", &p));
    CHECK(!parse("R", &p));
    CHECK(!parse("R-1", &p));
    CHECK(!parse("R12a", &p));
    CHECK(!parse("R 12", &p));
}

static void test_refused(void)
{
    gg_bus_payload p;
    CHECK(!parse("", &p));
    CHECK(!parse("I", &p));
    CHECK(!parse("IcreateNote", &p));  /* no json */
    CHECK(!parse("IcreateNote ", &p)); /* empty json */
    CHECK(!parse("I {}", &p));         /* empty topic */
    CHECK(!parse("I1create {}", &p));  /* not a name */
    CHECK(!parse("Icreate-note {}", &p));
    CHECK(!parse("{\"title\":\"x\"}", &p)); /* someone else's NOTIFY on the channel */
    CHECK(!parse("X42", &p));               /* a form of a later version */
    CHECK(!gg_bus_payload_parse(NULL, 0, &p));
    CHECK(parse("I_t9 null", &p));
    CHECK_INT(p.json_len, 4);
}

int main(void)
{
    RUN(test_inline_round_trip);
    RUN(test_inline_limit);
    RUN(test_reference);
    RUN(test_refused);
    return test_summary();
}
