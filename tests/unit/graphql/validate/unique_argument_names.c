/* unique_argument_names.c: tests for server/graphql/validate/unique_argument_names.c (graphql-js
 * UniqueArgumentNamesRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with UniqueArgumentNamesRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "{ book(id: 1) { related(first: 1, after: \"a\") { id } } }", &gg_rule_unique_argument_names,
             "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ book(id: 1, id: 2) { id } }", &gg_rule_unique_argument_names,
             "[{\"message\":\"There can be only one argument named "
             "\\\"id\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":15}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { related(first: 1, after: \"a\", first: 2, after: \"b\", first: 3) { id } } }",
             &gg_rule_unique_argument_names,
             "[{\"message\":\"There can be only one argument named "
             "\\\"first\\\".\",\"locations\":[{\"line\":1,\"column\":25},{\"line\":1,\"column\":47},{\"line\":1,"
             "\"column\":69}]},{\"message\":\"There can be only one argument named "
             "\\\"after\\\".\",\"locations\":[{\"line\":1,\"column\":35},{\"line\":1,\"column\":57}]}]");
    VT_CHECK(SCHEMA, "{ count @tag(label: \"a\", label: \"b\", weight: 1) }", &gg_rule_unique_argument_names,
             "[{\"message\":\"There can be only one argument named "
             "\\\"label\\\".\",\"locations\":[{\"line\":1,\"column\":14},{\"line\":1,\"column\":26}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) @skip(if: true, if: false) { title(upper: true, upper: false) } }",
             &gg_rule_unique_argument_names,
             "[{\"message\":\"There can be only one argument named "
             "\\\"if\\\".\",\"locations\":[{\"line\":1,\"column\":21},{\"line\":1,\"column\":31}]},{\"message\":"
             "\"There can be only one argument named "
             "\\\"upper\\\".\",\"locations\":[{\"line\":1,\"column\":50},{\"line\":1,\"column\":63}]}]");
    VT_CHECK(SCHEMA,
             "{ count(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, b: 12, l: 13, m: 14, a: 15, "
             "n: 16, b: 17, o: 18) }",
             &gg_rule_unique_argument_names,
             "[{\"message\":\"There can be only one argument named "
             "\\\"a\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":98}]},{\"message\":\"There "
             "can be only one argument named "
             "\\\"b\\\".\",\"locations\":[{\"line\":1,\"column\":15},{\"line\":1,\"column\":77},{\"line\":1,\"column\":"
             "112}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
