/* unique_variable_names.c: tests of the UniqueVariableNames rule (server/graphql/validate/unique_variable_names.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "query A($a: Int, $b: Int) { dog { name } } query B($a: Int) { dog { name } }",
             &gg_rule_unique_variable_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "query A($a: Int, $b: Int, $a: String, $b: Int, $a: ID) { dog { name } }",
             &gg_rule_unique_variable_names,
             "[{\"message\":\"There can be only one variable named "
             "\\\"$a\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":1,\"column\":28},{\"line\":1,"
             "\"column\":49}]},{\"message\":\"There can be only one variable named "
             "\\\"$b\\\".\",\"locations\":[{\"line\":1,\"column\":19},{\"line\":1,\"column\":40}]}]");
    VT_CHECK(TEST_SCHEMA, "query A(\n  $ x: Int,\n  $x: Int\n) { dog { name } }", &gg_rule_unique_variable_names,
             "[{\"message\":\"There can be only one variable named "
             "\\\"$x\\\".\",\"locations\":[{\"line\":2,\"column\":5},{\"line\":3,\"column\":4}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
