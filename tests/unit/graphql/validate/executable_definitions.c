/* executable_definitions.c: tests of the ExecutableDefinitions rule (server/graphql/validate/executable_definitions.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }", &gg_rule_executable_definitions, "[]");
    VT_CHECK(TEST_SCHEMA, "query Q { dog { ...F } } fragment F on Dog { name }", &gg_rule_executable_definitions, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }",
             &gg_rule_executable_definitions,
             "[{\"message\":\"The \\\"Cow\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":2,\"column\":1}]},{\"message\":\"The \\\"Dog\\\" definition is "
             "not executable.\",\"locations\":[{\"line\":3,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }\nschema { query: Query }\nextend schema @cached",
             &gg_rule_executable_definitions,
             "[{\"message\":\"The schema definition is not "
             "executable.\",\"locations\":[{\"line\":2,\"column\":1}]},{\"message\":\"The schema definition is not "
             "executable.\",\"locations\":[{\"line\":3,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA,
             "scalar S\ninput I { a: Int }\nenum E { A }\nunion U = Dog\ninterface X { a: Int }\ndirective @d on FIELD",
             &gg_rule_executable_definitions,
             "[{\"message\":\"The \\\"S\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":1,\"column\":1}]},{\"message\":\"The \\\"I\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":2,\"column\":1}]},{\"message\":\"The \\\"E\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":3,\"column\":1}]},{\"message\":\"The \\\"U\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":4,\"column\":1}]},{\"message\":\"The \\\"X\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":5,\"column\":1}]},{\"message\":\"The \\\"d\\\" definition is not "
             "executable.\",\"locations\":[{\"line\":6,\"column\":1}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
