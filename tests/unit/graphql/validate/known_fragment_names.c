/* known_fragment_names.c: tests of the KnownFragmentNames rule (server/graphql/validate/known_fragment_names.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A ... on Dog { ...B } } } fragment A on Dog { name } fragment B on Dog { ...A }",
             &gg_rule_known_fragment_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...Missing ... on Dog { ... Other @cached } } }", &gg_rule_known_fragment_names,
             "[{\"message\":\"Unknown fragment "
             "\\\"Missing\\\".\",\"locations\":[{\"line\":1,\"column\":12}]},{\"message\":\"Unknown fragment "
             "\\\"Other\\\".\",\"locations\":[{\"line\":1,\"column\":37}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { ...A ...B }", &gg_rule_known_fragment_names,
             "[{\"message\":\"Unknown fragment \\\"B\\\".\",\"locations\":[{\"line\":1,\"column\":29}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
