/* Tests server/gateway/query_limits.c: each limit at and over its bound, fragments counted where spread,
 * fragment cycles and bombs measured quickly, introspection ignored by depth and cost. */
#include <stdio.h>
#include <string.h>

#include "graphql/language/parser.h"
#include "gateway/query_limits.h"
#include "test.h"

static const gg_limits ARMOR = {
    .max_depth = 6, .max_aliases = 15, .max_directives = 50, .max_cost = 5000, .introspection = true};

/* Runs the limits on a document; returns the first message or "" when it passes. */
static const char *check(const gg_limits *limits, const char *text)
{
    static char out[512];
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, text, strlen(text), NULL, &errors);
    if (doc == NULL) {
        snprintf(out, sizeof out, "parse: %s", errors.head ? errors.head->message : "?");
    } else {
        bool ok = gg_limits_check(limits, doc, &errors);
        snprintf(out, sizeof out, "%s", ok ? "" : errors.head->message);
        if (!ok) CHECK_STR(errors.head->error_type, "ValidationError");
    }
    gg_arena_free(&arena);
    return out;
}

static void test_depth(void)
{
    CHECK_STR(check(&ARMOR, "{ a { b { c { d { e { f } } } } } }"), "");
    CHECK_STR(check(&ARMOR, "{ a { b { c { d { e { f { g } } } } } } }"),
              "Query depth limit of 6 exceeded, found 7. (server setting limits.max_depth)");
    CHECK_STR(check(&ARMOR, "{ a { ...F } } fragment F on T { b { c { d { e { f { g } } } } } }"),
              "Query depth limit of 6 exceeded, found 7. (server setting limits.max_depth)");
    CHECK_STR(check(&ARMOR, "{ a { ... on T { b { c { d { e { f { g } } } } } } } }"),
              "Query depth limit of 6 exceeded, found 7. (server setting limits.max_depth)");
    /* introspection does not count */
    CHECK_STR(check(&ARMOR, "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"),
              "");
    gg_limits off = ARMOR;
    off.max_depth = 0;
    CHECK_STR(check(&off, "{ a { b { c { d { e { f { g { h } } } } } } } }"), "");
}

static void test_aliases_and_directives(void)
{
    char q[4096] = "{";
    for (int i = 0; i < 15; i++)
        sprintf(q + strlen(q), " a%d: x", i);
    strcat(q, " }");
    CHECK_STR(check(&ARMOR, q), "");
    q[strlen(q) - 1] = '\0';
    strcat(q, " a15: x }");
    CHECK_STR(check(&ARMOR, q), "Aliases limit of 15 exceeded, found 16. (server setting limits.max_aliases)");
    /* a fragment spread twice counts its aliases twice */
    CHECK_STR(check(&ARMOR, "{ ...F ...F } fragment F on Q { a1: x a2: x a3: x a4: x a5: x a6: x a7: x a8: x }"),
              "Aliases limit of 15 exceeded, found 16. (server setting limits.max_aliases)");
    char d[4096] = "{ x";
    for (int i = 0; i < 51; i++)
        strcat(d, " @skip(if: false)");
    strcat(d, " }");
    CHECK_STR(check(&ARMOR, d), "Directives limit of 50 exceeded, found 51. (server setting limits.max_directives)");
}

static void test_cost(void)
{
    /* object 2 + 1.5 x children; a leaf costs 1 */
    gg_limits tight = ARMOR;
    tight.max_cost = 5;
    CHECK_STR(check(&tight, "{ a { b c } }"), ""); /* 2 + 1.5 * 2 = 5 */
    CHECK_STR(check(&tight, "{ a { b c d } }"),
              "Query Cost limit of 5 exceeded, found 6.5. (server setting limits.max_cost)");
}

static void test_fragment_bombs(void)
{
    /* each fragment spreads the previous one ten times: 10^30 fields if expanded */
    char q[8192] = "{ ...F30 } fragment F0 on Q { x }";
    for (int i = 1; i <= 30; i++) {
        sprintf(q + strlen(q), " fragment F%d on Q {", i);
        for (int k = 0; k < 10; k++)
            sprintf(q + strlen(q), " ...F%d", i - 1);
        strcat(q, " }");
    }
    const char *msg = check(&ARMOR, q);
    CHECK(strncmp(msg, "Query Cost limit of 5000 exceeded, found ", 41) == 0);
    /* cycles (reported by validation) measure nothing and terminate */
    CHECK_STR(check(&ARMOR, "{ ...A } fragment A on Q { ...B } fragment B on Q { ...A x }"), "");
}

static void test_introspection_off(void)
{
    gg_limits off = ARMOR;
    off.introspection = false;
    CHECK_STR(check(&off, "{ __typename }"), "");
    CHECK_STR(check(&off, "{ __schema { queryType { name } } }"),
              "GraphQL introspection has been disabled, but the requested query contained the field \"__schema\".");
    CHECK_STR(check(&off, "{ ...F } fragment F on Query { __type(name: \"Q\") { name } }"),
              "GraphQL introspection has been disabled, but the requested query contained the field \"__type\".");
}

int main(void)
{
    RUN(test_depth);
    RUN(test_aliases_and_directives);
    RUN(test_cost);
    RUN(test_fragment_bombs);
    RUN(test_introspection_off);
    return test_summary();
}
