/* Tests resolvers/postgres/datastore_merge.c: AUTOMERGE's rules (appsync-compat.md §4.5) on the
 * examples of AppSync's documentation and on the edges: scalars keep the server's value, a null or
 * absent server field takes the input's, lists append (duplicates kept), maps merge per key and
 * keep the keys the input leaves out, and _version never travels in the merged input. */
#include <string.h>

#include "datastore_merge.h"
#include "graphql/json_read.h"
#include "test.h"

static gg_arena arena;

static gg_val *json(const char *text)
{
    gg_val *v = gg_json_read(&arena, text, strlen(text));
    CHECK(v != NULL);
    return v;
}

/* The merged input's JSON text. */
static const char *merged(const char *row, const char *input)
{
    gg_val *m = gg_pg_merge_input(&arena, json(row), json(input));
    if (m == NULL) return "(none)";
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, m);
    char *s = gg_arena_strndup(&arena, b.data, b.len);
    gg_buf_free(&b);
    return s;
}

static void test_scalars_keep_the_server_value(void)
{
    /* AppSync's example: jersey 5 on the server at version 4, an update at version 2 sets 55 */
    CHECK_STR(merged("{\"id\":\"1\",\"name\":\"Nadia\",\"jersey\":5,\"_version\":4}",
                     "{\"id\":\"1\",\"name\":\"Nadia\",\"jersey\":55,\"_version\":2}"),
              "{\"id\":\"1\",\"name\":\"Nadia\",\"jersey\":5}");
    CHECK_STR(merged("{\"id\":\"1\",\"done\":false}", "{\"id\":\"1\",\"done\":true}"), "{\"id\":\"1\",\"done\":false}");
    /* an explicit null in the input does not erase a server value */
    CHECK_STR(merged("{\"id\":\"1\",\"name\":\"x\"}", "{\"id\":\"1\",\"name\":null}"), "{\"id\":\"1\",\"name\":\"x\"}");
    /* kinds that differ: the server's */
    CHECK_STR(merged("{\"v\":[1]}", "{\"v\":\"a\"}"), "{\"v\":[1]}");
}

static void test_null_server_fields_take_the_input(void)
{
    CHECK_STR(merged("{\"id\":\"1\",\"name\":\"Nadia\",\"jersey\":null}", "{\"id\":\"1\",\"jersey\":55}"),
              "{\"id\":\"1\",\"jersey\":55}");
    CHECK_STR(merged("{\"id\":\"1\"}", "{\"id\":\"1\",\"age\":3}"), "{\"id\":\"1\",\"age\":3}");
    CHECK_STR(merged("{\"id\":\"1\",\"tags\":null}", "{\"id\":\"1\",\"tags\":[\"a\"]}"),
              "{\"id\":\"1\",\"tags\":[\"a\"]}");
}

static void test_lists_append_with_duplicates(void)
{
    CHECK_STR(merged("{\"id\":\"1\",\"points\":[24,23]}", "{\"id\":\"1\",\"points\":[23,25]}"),
              "{\"id\":\"1\",\"points\":[24,23,23,25]}");
    CHECK_STR(merged("{\"tags\":[]}", "{\"tags\":[\"x\"]}"), "{\"tags\":[\"x\"]}");
    CHECK_STR(merged("{\"tags\":[\"x\"]}", "{\"tags\":[]}"), "{\"tags\":[\"x\"]}");
    CHECK_STR(merged("{\"l\":[{\"a\":1}]}", "{\"l\":[{\"a\":1}]}"), "{\"l\":[{\"a\":1},{\"a\":1}]}");
}

static void test_maps_merge_per_key(void)
{
    CHECK_STR(merged("{\"meta\":{\"a\":1,\"b\":null,\"c\":[1],\"keep\":\"k\"}}",
                     "{\"meta\":{\"a\":2,\"b\":3,\"c\":[2],\"new\":true}}"),
              "{\"meta\":{\"a\":1,\"b\":3,\"c\":[1,2],\"keep\":\"k\",\"new\":true}}");
    /* nested maps */
    CHECK_STR(merged("{\"m\":{\"x\":{\"y\":1}}}", "{\"m\":{\"x\":{\"y\":2,\"z\":3}}}"),
              "{\"m\":{\"x\":{\"y\":1,\"z\":3}}}");
}

static void test_version_and_unset_fields(void)
{
    /* _version is the caller's to set; fields the input leaves out are not in the retried write */
    CHECK_STR(merged("{\"id\":\"1\",\"a\":1,\"b\":2,\"_version\":7}", "{\"id\":\"1\",\"_version\":3,\"b\":9}"),
              "{\"id\":\"1\",\"b\":2}");
    CHECK(gg_pg_merge_input(&arena, json("{}"), json("[1]")) == NULL);
    CHECK(gg_pg_merge_input(&arena, NULL, NULL) == NULL);
    /* no server row at all (NULL): the input as it is */
    gg_val *m = gg_pg_merge_input(&arena, NULL, json("{\"a\":1}"));
    CHECK(m != NULL && m->count == 1 && gg_val_object_get(m, "a")->i == 1);
    /* absent values on either side */
    CHECK(gg_pg_merge_value(&arena, NULL, NULL) == NULL);
    gg_val *one = json("1");
    CHECK(gg_pg_merge_value(&arena, NULL, one) == one);
    CHECK(gg_pg_merge_value(&arena, one, NULL) == one);
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_scalars_keep_the_server_value);
    RUN(test_null_server_fields_take_the_input);
    RUN(test_lists_append_with_duplicates);
    RUN(test_maps_merge_per_key);
    RUN(test_version_and_unset_fields);
    gg_arena_free(&arena);
    return test_summary();
}
