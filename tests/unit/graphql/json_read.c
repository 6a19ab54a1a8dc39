/* Tests server/graphql/json_read.c: JSON's JSON read into the same gg_val trees that cJSON
 * followed by gg_val_from_cjson gave (kinds, numbers, escapes, key order, duplicate keys), and
 * that malformed or too deeply nested text is refused without crashing. */
#include <string.h>

#include <cjson/cJSON.h>

#include "execute/values.h"
#include "json_read.h"
#include "test.h"

static gg_val *read(gg_arena *a, const char *text)
{
    return gg_json_read(a, text, strlen(text));
}

/* The reader's tree equals cJSON's, converted, and writes the same JSON. */
static void same_as_cjson(const char *text)
{
    gg_arena a;
    gg_arena_init(&a);
    cJSON *j = cJSON_Parse(text);
    CHECK(j != NULL);
    gg_val *want = gg_val_from_cjson(&a, j);
    cJSON_Delete(j);
    gg_val *got = read(&a, text);
    CHECK(got != NULL);
    if (got != NULL) {
        CHECK(gg_val_equal(got, want));
        gg_buf b1, b2;
        gg_buf_init(&b1);
        gg_buf_init(&b2);
        gg_val_write_json(&b1, got);
        gg_val_write_json(&b2, want);
        CHECK_STR(b1.data ? b1.data : "", b2.data ? b2.data : "");
        gg_buf_free(&b1);
        gg_buf_free(&b2);
    }
    gg_arena_free(&a);
}

static void test_like_cjson(void)
{
    same_as_cjson("{\"id\" : \"p1\", \"n\" : 42, \"f\" : 1.5, \"t\" : true, \"u\" : false, \"z\" : null}");
    same_as_cjson("{\"items\" : [{\"a\" : 1}, {\"a\" : -2}], \"nextToken\" : [\"2024-01-01\", \"x\"]}");
    same_as_cjson("[[], {}, [[]], \"\", 0, -0, 1e3, 2.0, 123456789012345, 1e300, -3.25e-2]");
    same_as_cjson("\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20ac \\ud83d\\ude00 end\"");
    same_as_cjson("  {\"a\" : {\"b\" : {\"c\" : [1, 2, 3]}}}  ");
    same_as_cjson("{\"k\" : 1, \"j\" : 2, \"k\" : 3}"); /* duplicate: first position, last value */
    same_as_cjson("{\"\\u00e9t\\u00e9\" : \"caf\\u00e9\"}");
}

static void test_kinds(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_val *v = read(&a, "[7, 7.0, 7.5, 9007199254740993, -12, 100000000000000000000, 9223372036854775807, "
                         "-9223372036854775808, 9223372036854775808, 123456789012345678]");
    CHECK(v != NULL && v->kind == GG_VAL_LIST && v->count == 10);
    if (v != NULL && v->count == 10) {
        CHECK(v->items[0]->kind == GG_VAL_INT && v->items[0]->i == 7);
        CHECK(v->items[1]->kind == GG_VAL_INT && v->items[1]->i == 7);
        CHECK(v->items[2]->kind == GG_VAL_FLOAT && v->items[2]->f == 7.5);
        CHECK(v->items[3]->kind == GG_VAL_INT && v->items[3]->i == 9007199254740993); /* exact: 2^53 + 1 */
        CHECK(v->items[4]->kind == GG_VAL_INT && v->items[4]->i == -12);
        CHECK(v->items[5]->kind == GG_VAL_FLOAT);
        CHECK(v->items[6]->kind == GG_VAL_INT && v->items[6]->i == INT64_MAX);
        CHECK(v->items[7]->kind == GG_VAL_INT && v->items[7]->i == INT64_MIN);
        CHECK(v->items[8]->kind == GG_VAL_FLOAT); /* beyond int64_t */
        CHECK(v->items[9]->kind == GG_VAL_INT && v->items[9]->i == 123456789012345678);
    }
    gg_val *o = read(&a, "{\"a\" : \"x\\u0000y\", \"b\" : \"\"}");
    CHECK(o != NULL && o->kind == GG_VAL_OBJECT && o->count == 2);
    if (o != NULL && o->count == 2) {
        CHECK_STR(o->members[0].key, "a");
        CHECK_STR(o->members[0].value->s, "x"); /* cut at the NUL, as cJSON's C string was */
        CHECK_INT((int)o->members[0].value->len, 1);
        CHECK_INT((int)o->members[1].value->len, 0);
        /* the containers can still grow in the arena */
        gg_val_object_set(&a, o, "c", &gg_val_true_value);
        CHECK_INT((int)o->count, 3);
        CHECK(gg_val_object_get(o, "c") == &gg_val_true_value);
    }
    gg_arena_free(&a);
}

static void test_refused(void)
{
    gg_arena a;
    gg_arena_init(&a);
    const char *bad[] = {
        "",           " ",      "{",       "[1,",       "[1 2]",       "{\"a\" 1}",   "{\"a\":}",
        "{a:1}",      "\"open", "tru",     "nul",       "-",           "1.",          "1e",
        ".5",         "[1]x",   "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "{\"a\":1,}", "[,]",    "\"ab\\",  "[\"a\\\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (read(&a, bad[i]) != NULL) fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(read(&a, bad[i]) == NULL);
    }
    CHECK(gg_json_read(&a, NULL, 0) == NULL);
    CHECK(gg_json_read(&a, "[1]", 2) == NULL); /* the length counts, not the NUL */
    /* 1000 levels are read, 1001 refused (cJSON's limit) */
    char deep[2 * 1001 + 1];
    for (int depth = 1000; depth <= 1001; depth++) {
        memset(deep, '[', (size_t)depth);
        memset(deep + depth, ']', (size_t)depth);
        deep[2 * depth] = '\0';
        gg_val *v = read(&a, deep);
        CHECK(depth == 1000 ? v != NULL : v == NULL);
    }
    gg_arena_free(&a);
}

/* A string with escapes takes memory for itself only, not for the rest of the document. */
static void test_escaped_strings_memory(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_putc(&b, '[');
    for (int i = 0; i < 2000; i++)
        gg_buf_puts(&b, i ? ", \"line\\none\"" : "\"line\\none\"");
    gg_buf_putc(&b, ']');
    gg_arena a;
    gg_arena_init(&a);
    gg_val *v = gg_json_read(&a, b.data, b.len);
    CHECK(v != NULL && v->count == 2000);
    if (v != NULL && v->count == 2000) CHECK_STR(v->items[1999]->s, "line\none");
    CHECK(a.total < 1000000); /* the text is 30 KB; a copy of the rest per string would be 30 MB */
    gg_arena_free(&a);
    gg_buf_free(&b);
}

int main(void)
{
    RUN(test_like_cjson);
    RUN(test_kinds);
    RUN(test_refused);
    RUN(test_escaped_strings_memory);
    return test_summary();
}
