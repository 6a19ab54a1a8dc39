/* Tests server/gateway/gateway.c's document cache: hits, LRU eviction, failed documents cached with
 * their errors, references that outlive eviction, and execution through the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "gateway/gateway.h"
#include "test.h"

static char root_path[1024];

static gg_gateway *load(unsigned max_depth)
{
    gg_config c;
    char err[512];
    char *env[] = {NULL};
    gg_config_load(&c, NULL, env, GG_FAULT_INTO(err));
    char schema[1100];
    snprintf(schema, sizeof schema, "%s/tests/fixtures/static/schema.graphql", root_path);
    free(c.schema.items);
    c.schema.items = malloc(sizeof(char *));
    c.schema.items[0] = strdup(schema);
    c.schema.count = 1;
    c.max_depth = max_depth;
    gg_gateway *g = gg_gateway_load(&c, GG_FAULT_INTO(err));
    if (g == NULL) fprintf(stderr, "load: %s\n", err);
    gg_config_free(&c);
    return g;
}

static gg_doc *get(gg_doc_cache *c, const char *q)
{
    return gg_doc_get(c, q, strlen(q));
}

static void test_hits_and_eviction(void)
{
    gg_gateway *g = load(6);
    CHECK(g != NULL);
    gg_doc_cache *c = gg_doc_cache_new(g, 2);
    unsigned long hits, misses;
    gg_doc *a = get(c, "{ hello }");
    CHECK_INT(gg_doc_get_status(a), GG_DOC_OK);
    gg_doc_release(a);
    gg_doc_release(get(c, "{ hello }"));
    gg_doc_cache_stats(c, &hits, &misses);
    CHECK_INT(hits, 1);
    CHECK_INT(misses, 1);
    gg_doc_release(get(c, "{ __typename }"));
    gg_doc_release(get(c, "{ hello }"));         /* hello is now the most recent */
    gg_doc_release(get(c, "query Q { hello }")); /* evicts { __typename } */
    gg_doc_release(get(c, "{ hello }"));
    gg_doc_release(get(c, "{ __typename }"));
    gg_doc_cache_stats(c, &hits, &misses);
    CHECK_INT(hits, 3);
    CHECK_INT(misses, 4);
    gg_doc_cache_free(c);
    gg_gateway_free(g);
}

static void test_failures_are_cached(void)
{
    gg_gateway *g = load(2);
    gg_doc_cache *c = gg_doc_cache_new(g, 8);
    gg_doc *d = get(c, "{");
    CHECK_INT(gg_doc_get_status(d), GG_DOC_SYNTAX_ERROR);
    gg_buf b;
    gg_buf_init(&b);
    gg_doc_write_errors(d, &b);
    CHECK_STR(b.data,
              "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\",\"locations\":[{\"line\":1,"
              "\"column\":2}]}]}");
    gg_buf_free(&b);
    gg_doc_release(d);
    d = get(c, "{ nope }");
    CHECK_INT(gg_doc_get_status(d), GG_DOC_INVALID);
    gg_doc_release(d);
    d = get(c, "{ listTodos { items { id } } }"); /* depth 3 > 2 */
    CHECK_INT(gg_doc_get_status(d), GG_DOC_INVALID);
    gg_buf_init(&b);
    gg_doc_write_errors(d, &b);
    CHECK(strstr(b.data, "Query depth limit of 2 exceeded, found 3.") != NULL);
    gg_buf_free(&b);
    gg_doc_release(d);
    gg_doc_release(get(c, "{"));
    unsigned long hits, misses;
    gg_doc_cache_stats(c, &hits, &misses);
    CHECK_INT(hits, 1);
    gg_doc_cache_free(c);
    gg_gateway_free(g);
}

static void on_done(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    gg_buf *out = user;
    gg_buf_printf(out, "%d ", (int)outcome);
    gg_buf_append(out, json, len);
}

static void test_references_outlive_eviction(void)
{
    gg_gateway *g = load(6);
    gg_doc_cache *c = gg_doc_cache_new(g, 1);
    gg_doc *held = get(c, "query Q($s: Boolean!) { __typename @skip(if: $s) }");
    gg_doc_release(get(c, "{ hello }")); /* evicts the held document */
    CHECK_INT(gg_doc_get_status(held), GG_DOC_OK);
    const char *name;
    CHECK_INT(gg_doc_operation(held, NULL, &name), GG_OPK_QUERY);
    CHECK_STR(name, "Q");
    gg_buf out;
    gg_buf_init(&out);
    cJSON *vars = cJSON_Parse("{\"s\": false}");
    gg_gateway_execute(g, &(gg_gateway_request){held, NULL, vars, NULL, NULL}, on_done, &out);
    CHECK_STR(out.data, "0 {\"data\":{\"__typename\":\"Query\"}}");
    gg_buf_free(&out);
    cJSON_Delete(vars);
    gg_buf_init(&out);
    /* $s missing: a request error */
    gg_gateway_execute(g, &(gg_gateway_request){held, NULL, NULL, NULL, NULL}, on_done, &out);
    CHECK(strncmp(out.data, "1 {\"errors\":", 12) == 0);
    gg_buf_free(&out);
    gg_doc_release(held);
    gg_doc *m = get(c, "mutation { createTodo(input: {name: \"x\"}) { id } }");
    CHECK_INT(gg_doc_operation(m, NULL, &name), GG_OPK_MUTATION);
    CHECK(name == NULL);
    CHECK_INT(gg_doc_operation(m, "Nope", &name), GG_OPK_NONE);
    gg_doc_release(m);
    gg_doc_cache_free(c);
    gg_gateway_free(g);
}

int main(int argc, char **argv)
{
    snprintf(root_path, sizeof root_path, "%s", argc > 1 ? argv[1] : ".");
    RUN(test_hits_and_eviction);
    RUN(test_failures_are_cached);
    RUN(test_references_outlive_eviction);
    return test_summary();
}
