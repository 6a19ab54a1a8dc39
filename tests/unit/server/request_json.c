/* Tests server/http/request_json.c: raw control characters and \u0000 in strings, duplicate keys
 * (decoded before comparing, named with their path), what passes (ordinary JSON, escapes, the same
 * key in sibling objects), and the cases cJSON misses (text after a raw NUL, nesting past 1000). */
#include <stdlib.h>
#include <string.h>

#include "http/request_json.h"
#include "test.h"

static char message[256];

/* NULL when the text passes, else the message. */
static const char *check_n(const char *text, size_t len)
{
    message[0] = '\0';
    return gg_request_json_check(text, len, "The body", GG_FAULT_INTO(message)) ? NULL : message;
}

static const char *check(const char *text)
{
    return check_n(text, strlen(text));
}

static void test_passes(void)
{
    CHECK(check("{\"query\":\"{ a }\",\"variables\":{\"x\":[1,-2.5e3,true,false,null,\"\\u00e9\\n\"]}}") == NULL);
    CHECK(check(" {\"a\":{\"k\":1},\"b\":{\"k\":2}} \r\n") == NULL); /* the same key in two objects */
    CHECK(check("{\"a\":[{\"k\":1},{\"k\":2}]}") == NULL);
    CHECK(check("{\"q\":\"a \\\\u0000 b\"}") == NULL); /* an escaped backslash, then text */
    CHECK(check("{\"a\":1,\"A\":2}") == NULL);
    CHECK(check("{\"\\ud83d\\ude00\":1,\"\\ud83d\\ude01\":2}") == NULL);
    CHECK(check("[]") == NULL && check("{}") == NULL && check("\"x\"") == NULL);
}

static void test_control_characters(void)
{
    CHECK_STR(check_n("{\"name\":\"keep\0dropped\"}", 22),
              "The body has a raw control character (U+0000) inside a string: JSON requires it escaped.");
    CHECK_STR(check("{\"name\":\"a\tb\"}"),
              "The body has a raw control character (U+0009) inside a string: JSON requires it escaped.");
    CHECK_STR(check("{\"na\x1fme\":1}"),
              "The body has a raw control character (U+001F) inside a string: JSON requires it escaped.");
    CHECK_STR(check("{\"q\":\"x\\u0000y\"}"), "The body contains \\u0000: NUL characters are not supported.");
    CHECK(check("{\"q\":\"x\x7fy\"}") == NULL); /* DEL is not a control character in JSON */
}

static void test_duplicate_keys(void)
{
    CHECK_STR(check("{\"query\":\"{ a }\",\"query\":\"{ b }\"}"),
              "The body has the key \"query\" twice: a key may appear only once in an object.");
    CHECK_STR(check("{\"query\":\"{ a }\",\"\\u0071uery\":\"{ b }\"}"),
              "The body has the key \"query\" twice: a key may appear only once in an object.");
    CHECK_STR(check("{\"variables\":{\"f\":{\"or\":[{\"n\":1},{\"n\":1,\"n\":2}]}}}"),
              "The body has the key \"n\" twice in variables.f.or[1]: a key may appear only once in an object.");
    CHECK_STR(check("[[{\"a\":1,\"a\":1}]]"),
              "The body has the key \"a\" twice in [0][0]: a key may appear only once in an object.");
    char *many = malloc(200000);
    size_t n = 0;
    many[n++] = '{';
    for (int i = 0; i < 10000; i++)
        n += (size_t)sprintf(many + n, "%s\"k%d\":%d", i ? "," : "", i, i);
    n += (size_t)sprintf(many + n, ",\"k5000\":0}");
    CHECK_STR(check_n(many, n), "The body has the key \"k5000\" twice: a key may appear only once in an object.");
    free(many);
    /* the ninth key repeats the third, the tenth a decoded earlier one; nine distinct keys pass */
    CHECK_STR(check("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"c\":1}"),
              "The body has the key \"c\" twice: a key may appear only once in an object.");
    CHECK_STR(check("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"\\u0068\":1}"),
              "The body has the key \"h\" twice: a key may appear only once in an object.");
    CHECK(check("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1}") == NULL);
}

/* Keys whose escapes come before a long unescaped tail: the decoding gets room for the whole key
 * (an escaped quote once made it end the room early, and the tail overran it). */
static void test_long_escaped_keys(void)
{
    size_t tail = 20000;
    char *text = malloc(2 * tail + 64);
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        n += (size_t)sprintf(text + n, "%s\"\\\"\\u0041", k ? "," : "{");
        memset(text + n, 'x', tail);
        n += tail;
        n += (size_t)sprintf(text + n, "%s\":1", k ? "y" : "");
    }
    text[n++] = '}';
    CHECK(check_n(text, n) == NULL);  /* the two keys differ in their last character */
    memcpy(text + n - 5, "\":1}", 4); /* now the second key is the first one again */
    n--;
    CHECK(strstr(check_n(text, n) ? message : "", "The body has the key \"\"Axxxx") == message);
    free(text);
}

/* Nesting deeper than the scanner keeps in itself: the path of a duplicate names every level. */
static void test_deep_paths(void)
{
    char text[512];
    size_t n = 0;
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(text + n, "{\"%c\":", 'a' + i);
    n += (size_t)sprintf(text + n, "{\"k\":1,\"k\":2}");
    for (int i = 0; i < 20; i++)
        text[n++] = '}';
    CHECK_STR(check_n(text, n), "The body has the key \"k\" twice in a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t: a key "
                                "may appear only once in an object.");
    size_t depth = 1000;
    char *deep = malloc(6 * depth + 8);
    n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(deep + n, "{\"a\":");
    deep[n++] = '1';
    memset(deep + n, '}', depth);
    CHECK(check_n(deep, n + depth) == NULL); /* 1000 objects: as many as cJSON takes */
    free(deep);
}

static void test_not_json(void)
{
    CHECK_STR(check("{\"query\":\"{ a }\"} x"), "The body is not valid JSON: something follows the value.");
    CHECK_STR(check_n("{\"query\":\"{ a }\"}\0{", 18), "The body is not valid JSON: something follows the value.");
    CHECK_STR(check("{\"a\" 1}"), "The body is not valid JSON.");
    CHECK_STR(check("{\"a\":\"x\\q\"}"), "The body is not valid JSON.");
    CHECK_STR(check("{\"a\":\"x"), "The body is not valid JSON.");
    CHECK_STR(check(""), "The body is not valid JSON.");
    size_t depth = 1001;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    CHECK_STR(check_n(deep, 2 * depth), "The body is not valid JSON: it is nested deeper than 1000 levels.");
    CHECK(check_n(deep + 1, 2 * depth - 2) == NULL); /* 1000 levels: as many as cJSON takes */
    free(deep);
}

int main(void)
{
    RUN(test_passes);
    RUN(test_control_characters);
    RUN(test_duplicate_keys);
    RUN(test_not_json);
    RUN(test_long_escaped_keys);
    RUN(test_deep_paths);
    return test_summary();
}
