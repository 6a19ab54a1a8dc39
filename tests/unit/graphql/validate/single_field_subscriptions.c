/* single_field_subscriptions.c: tests of the SingleFieldSubscriptions rule
 * (server/graphql/validate/single_field_subscriptions.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } }", &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } newDog { id } }", &gg_rule_single_field_subscriptions,
             "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { ...F } fragment F on Subscription { newDog { name } }",
             &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } newCat @skip(if: true) { name } }",
             &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } newCat @include(if: false) { name } }",
             &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } ... on Query { dog { name } } }",
             &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } ...F } fragment F on Query { dog { name } }",
             &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } ...Missing }", &gg_rule_single_field_subscriptions, "[]");
    VT_CHECK(TEST_SCHEMA, "query Q { dog { name } cat { name } }", &gg_rule_single_field_subscriptions, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } newCat { name } }", &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":34}]}]");
    VT_CHECK(TEST_SCHEMA, "subscription { newDog { name } newCat { name } }", &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Anonymous Subscription must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":32}]}]");
    VT_CHECK(TEST_SCHEMA,
             "subscription S { newDog { name } ...F } fragment F on Subscription { newCat { name } x: newDog { id } }",
             &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":70},{\"line\":1,\"column\":86}]}]");
    VT_CHECK(TEST_SCHEMA, "subscription S { ... { newDog { name } } ... on Subscription { newCat { name } } }",
             &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":64}]}]");
    VT_CHECK(TEST_SCHEMA, "subscription S { __typename }", &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Subscription \\\"S\\\" must not select an introspection top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":18}]}]");
    VT_CHECK(TEST_SCHEMA, "subscription { newDog { name } __typename t: __typename }",
             &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Anonymous Subscription must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":32},{\"line\":1,\"column\":43}]},{\"message\":\"Anonymous "
             "Subscription must not select an introspection top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":32}]},{\"message\":\"Anonymous Subscription must not "
             "select an introspection top level field.\",\"locations\":[{\"line\":1,\"column\":43}]}]");
    VT_CHECK(TEST_SCHEMA, "subscription S { newDog { name } ...F ...F } fragment F on Subscription { newCat { name } }",
             &gg_rule_single_field_subscriptions,
             "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
             "field.\",\"locations\":[{\"line\":1,\"column\":75}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "subscription S { newDog { name } newCat @skip(if: false) { name } other: newDog @include(if: true) { id } }",
        &gg_rule_single_field_subscriptions,
        "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
        "field.\",\"locations\":[{\"line\":1,\"column\":34},{\"line\":1,\"column\":67}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
