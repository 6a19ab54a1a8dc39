/* no_unused_variables.c: tests for server/graphql/validate/no_unused_variables.c (graphql-js NoUnusedVariablesRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with NoUnusedVariablesRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "query Q($a: Int, $b: Float) { count(min: $a, max: $b) }", &gg_rule_no_unused_variables, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "query Q($a: Int, $b: Float) { count(min: $a) }", &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$b\\\" is never used in operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":18}]}]");
    VT_CHECK(SCHEMA, "query ($a: Int, $b: Float, $c: String) { count }", &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$a\\\" is never "
             "used.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$b\\\" is never "
             "used.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Variable \\\"$c\\\" is never "
             "used.\",\"locations\":[{\"line\":1,\"column\":28}]}]");
    VT_CHECK(SCHEMA,
             "query Q($id: ID!, $n: Int!, $unused: Int) { book(id: $id) { ...F } }\n"
             "fragment F on Book { related(first: $n) { id } }",
             &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$unused\\\" is never used in operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":29}]}]");
    VT_CHECK(SCHEMA,
             "query A($n: Int!, $c: Currency!) { book(id: 1) { ...F } }\n"
             "query B($n: Int!, $c: Currency!) { book(id: 1) { related(first: $n) { id } } }\n"
             "fragment F on Book { related(first: $n) { id } price(currency: $c) }",
             &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$c\\\" is never used in operation "
             "\\\"B\\\".\",\"locations\":[{\"line\":2,\"column\":19}]}]");
    VT_CHECK(SCHEMA, "query Q($l: String!, $x: Int) { count @tag(label: $l) }", &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$x\\\" is never used in operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":22}]}]");
    VT_CHECK(SCHEMA, "query Q($a: Int) { ...Missing }", &gg_rule_no_unused_variables,
             "[{\"message\":\"Variable \\\"$a\\\" is never used in operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":9}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
