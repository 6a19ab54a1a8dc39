/* lone_anonymous_operation.c: tests of the LoneAnonymousOperation rule
 * (server/graphql/validate/lone_anonymous_operation.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }", &gg_rule_lone_anonymous_operation, "[]");
    VT_CHECK(TEST_SCHEMA, "query A { dog { name } } query B { dog { name } }", &gg_rule_lone_anonymous_operation, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ...F } } fragment F on Dog { name }", &gg_rule_lone_anonymous_operation, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }\n{ cat { name } }", &gg_rule_lone_anonymous_operation,
             "[{\"message\":\"This anonymous operation must be the only defined "
             "operation.\",\"locations\":[{\"line\":1,\"column\":1}]},{\"message\":\"This anonymous operation must be "
             "the only defined operation.\",\"locations\":[{\"line\":2,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { name } }\nmutation M { setName(name: \"x\") { name } }",
             &gg_rule_lone_anonymous_operation,
             "[{\"message\":\"This anonymous operation must be the only defined "
             "operation.\",\"locations\":[{\"line\":1,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA, "query { dog { name } }\nsubscription S { newDog { name } }",
             &gg_rule_lone_anonymous_operation,
             "[{\"message\":\"This anonymous operation must be the only defined "
             "operation.\",\"locations\":[{\"line\":1,\"column\":1}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
