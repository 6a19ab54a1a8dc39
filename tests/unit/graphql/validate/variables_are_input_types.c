/* variables_are_input_types.c: tests of the VariablesAreInputTypes rule
 * (server/graphql/validate/variables_are_input_types.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA,
             "query Q($a: String, $b: [Filter!]!, $c: Size = SMALL, $d: Date, $e: Unknown) { dog { name } }",
             &gg_rule_variables_are_input_types, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "query Q($a: Dog, $b: [[Pet!]]!, $c: CatOrDog) { dog { name } }",
             &gg_rule_variables_are_input_types,
             "[{\"message\":\"Variable \\\"$a\\\" cannot be non-input type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":13}]},{\"message\":\"Variable \\\"$b\\\" cannot be "
             "non-input type \\\"[[Pet!]]!\\\".\",\"locations\":[{\"line\":1,\"column\":22}]},{\"message\":\"Variable "
             "\\\"$c\\\" cannot be non-input type \\\"CatOrDog\\\".\",\"locations\":[{\"line\":1,\"column\":37}]}]");
    VT_CHECK(TEST_SCHEMA, "query Q($a: Node!) { dog { name } }", &gg_rule_variables_are_input_types,
             "[{\"message\":\"Variable \\\"$a\\\" cannot be non-input type "
             "\\\"Node!\\\".\",\"locations\":[{\"line\":1,\"column\":13}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
