/* fragments_on_composite_types.c: tests of the FragmentsOnCompositeTypes rule
 * (server/graphql/validate/fragments_on_composite_types.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(
        TEST_SCHEMA,
        "{ dog { ... on Pet { name } ... on Dog { barks } ... { name } } catOrDog { ... on CatOrDog { __typename } } }",
        &gg_rule_fragments_on_composite_types, "[]");
    VT_CHECK(TEST_SCHEMA,
             "fragment F on Dog { name } fragment G on Pet { name } fragment H on CatOrDog { __typename } fragment U "
             "on Unknown { a }",
             &gg_rule_fragments_on_composite_types, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Boolean { x } } }", &gg_rule_fragments_on_composite_types,
             "[{\"message\":\"Fragment cannot condition on non composite type "
             "\\\"Boolean\\\".\",\"locations\":[{\"line\":1,\"column\":16}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment F on Size { name }\nfragment G on Filter { name }\nfragment H on String { x }",
             &gg_rule_fragments_on_composite_types,
             "[{\"message\":\"Fragment \\\"F\\\" cannot condition on non composite type "
             "\\\"Size\\\".\",\"locations\":[{\"line\":1,\"column\":15}]},{\"message\":\"Fragment \\\"G\\\" cannot "
             "condition on non composite type "
             "\\\"Filter\\\".\",\"locations\":[{\"line\":2,\"column\":15}]},{\"message\":\"Fragment \\\"H\\\" cannot "
             "condition on non composite type \\\"String\\\".\",\"locations\":[{\"line\":3,\"column\":15}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Date { x } } }", &gg_rule_fragments_on_composite_types,
             "[{\"message\":\"Fragment cannot condition on non composite type "
             "\\\"Date\\\".\",\"locations\":[{\"line\":1,\"column\":16}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
