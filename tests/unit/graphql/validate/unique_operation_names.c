/* unique_operation_names.c: tests of the UniqueOperationNames rule (server/graphql/validate/unique_operation_names.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }", &gg_rule_unique_operation_names, "[]");
    VT_CHECK(TEST_SCHEMA, "query A { dog { name } } query B { cat { name } }", &gg_rule_unique_operation_names, "[]");
    VT_CHECK(TEST_SCHEMA, "query A { dog { name } } fragment A on Dog { name }", &gg_rule_unique_operation_names, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog { name } } { cat { name } }", &gg_rule_unique_operation_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "query A { dog { name } }\nquery A { cat { name } }", &gg_rule_unique_operation_names,
             "[{\"message\":\"There can be only one operation named "
             "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":2,\"column\":7}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "query A { dog { name } }\nmutation A { setName(name: \"x\") { name } }\nsubscription A { newDog { name } }",
        &gg_rule_unique_operation_names,
        "[{\"message\":\"There can be only one operation named "
        "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":2,\"column\":10}]},{\"message\":\"There can "
        "be only one operation named "
        "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":3,\"column\":14}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
