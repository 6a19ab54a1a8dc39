/* possible_fragment_spreads.c: tests of the PossibleFragmentSpreads rule
 * (server/graphql/validate/possible_fragment_spreads.c).
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
             "{ dog { ... on Pet { name } ... on Dog { name } ... on CatOrDog { __typename } ...P ... { name } } pet { "
             "... on Dog { barks } ... on Node { id } } node { ... on Pet { name } } catOrDog { ... on Pet { name } } "
             "} fragment P on Pet { name }",
             &gg_rule_possible_fragment_spreads, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Unknown { a } ...Missing ... on Size { a } } }",
             &gg_rule_possible_fragment_spreads, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Cat { meows } } }", &gg_rule_possible_fragment_spreads,
             "[{\"message\":\"Fragment cannot be spread here as objects of type \\\"Dog\\\" can never be of type "
             "\\\"Cat\\\".\",\"locations\":[{\"line\":1,\"column\":9}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ...C } cat { ...D } } fragment C on Cat { name } fragment D on Dog { name }",
             &gg_rule_possible_fragment_spreads,
             "[{\"message\":\"Fragment \\\"C\\\" cannot be spread here as objects of type \\\"Dog\\\" can never be of "
             "type \\\"Cat\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Fragment \\\"D\\\" cannot "
             "be spread here as objects of type \\\"Cat\\\" can never be of type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":22}]}]");
    VT_CHECK(TEST_SCHEMA, "{ catOrDog { ... on Human { name } ...H } } fragment H on HumanOrAlien { __typename }",
             &gg_rule_possible_fragment_spreads,
             "[{\"message\":\"Fragment cannot be spread here as objects of type \\\"CatOrDog\\\" can never be of type "
             "\\\"Human\\\".\",\"locations\":[{\"line\":1,\"column\":14}]},{\"message\":\"Fragment \\\"H\\\" cannot be "
             "spread here as objects of type \\\"CatOrDog\\\" can never be of type "
             "\\\"HumanOrAlien\\\".\",\"locations\":[{\"line\":1,\"column\":36}]}]");
    VT_CHECK(TEST_SCHEMA, "{ pet { ... on Alien { name } } humanOrAlien { ... on Pet { name } } }",
             &gg_rule_possible_fragment_spreads,
             "[{\"message\":\"Fragment cannot be spread here as objects of type \\\"Pet\\\" can never be of type "
             "\\\"Alien\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Fragment cannot be spread "
             "here as objects of type \\\"HumanOrAlien\\\" can never be of type "
             "\\\"Pet\\\".\",\"locations\":[{\"line\":1,\"column\":48}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
