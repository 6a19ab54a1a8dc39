/* no_undefined_variables.c: tests for server/graphql/validate/no_undefined_variables.c (graphql-js
 * NoUndefinedVariablesRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with NoUndefinedVariablesRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "query Q($a: Int, $b: Float) { count(min: $a, max: $b) }", &gg_rule_no_undefined_variables, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "query Q($a: Int) { count(min: $a, max: $b) }", &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$b\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":40},{\"line\":1,\"column\":1}]}]");
    VT_CHECK(SCHEMA, "{ count(min: $a) book(id: $id) { id } }", &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$a\\\" is not "
             "defined.\",\"locations\":[{\"line\":1,\"column\":14},{\"line\":1,\"column\":1}]},{\"message\":\"Variable "
             "\\\"$id\\\" is not defined.\",\"locations\":[{\"line\":1,\"column\":27},{\"line\":1,\"column\":1}]}]");
    VT_CHECK(SCHEMA,
             "query Q { book(id: $id) { ...F } }\n"
             "fragment F on Book { related(first: $n) { id } price(currency: $c) }",
             &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$id\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":20},{\"line\":1,\"column\":1}]},{\"message\":"
             "\"Variable \\\"$n\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":2,\"column\":37},{\"line\":1,\"column\":1}]},{\"message\":"
             "\"Variable \\\"$c\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":2,\"column\":64},{\"line\":1,\"column\":1}]}]");
    VT_CHECK(SCHEMA,
             "query A($n: Int!) { book(id: 1) { ...F } }\n"
             "query B($c: Currency!) { book(id: 1) { ...F } }\n"
             "fragment F on Book { related(first: $n) { id } price(currency: $c) }",
             &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$c\\\" is not defined by operation "
             "\\\"A\\\".\",\"locations\":[{\"line\":3,\"column\":64},{\"line\":1,\"column\":1}]},{\"message\":"
             "\"Variable \\\"$n\\\" is not defined by operation "
             "\\\"B\\\".\",\"locations\":[{\"line\":3,\"column\":37},{\"line\":2,\"column\":1}]}]");
    VT_CHECK(SCHEMA,
             "query Q($id: ID!) { book(id: $id) { ...F } }\n"
             "fragment F on Book { ...G }\n"
             "fragment G on Book { related(first: $x) { ...F } }",
             &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$x\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":3,\"column\":37},{\"line\":1,\"column\":1}]}]");
    VT_CHECK(SCHEMA, "query Q { count(isbn: {a: [$x, {b: $y}]}) @tag(label: $label) }", &gg_rule_no_undefined_variables,
             "[{\"message\":\"Variable \\\"$x\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":28},{\"line\":1,\"column\":1}]},{\"message\":"
             "\"Variable \\\"$y\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":36},{\"line\":1,\"column\":1}]},{\"message\":"
             "\"Variable \\\"$label\\\" is not defined by operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":55},{\"line\":1,\"column\":1}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
