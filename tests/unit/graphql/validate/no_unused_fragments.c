/* no_unused_fragments.c: tests of the NoUnusedFragments rule (server/graphql/validate/no_unused_fragments.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }",
             &gg_rule_no_unused_fragments, "[]");
    VT_CHECK(TEST_SCHEMA,
             "query Q { dog { ...A } } query R { cat { ...B } } fragment A on Dog { name } fragment B on Cat { name }",
             &gg_rule_no_unused_fragments, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA,
             "{ dog { ...A } }\nfragment A on Dog { name }\nfragment B on Dog { ...C }\nfragment C on Dog { name }",
             &gg_rule_no_unused_fragments,
             "[{\"message\":\"Fragment \\\"B\\\" is never "
             "used.\",\"locations\":[{\"line\":3,\"column\":1}]},{\"message\":\"Fragment \\\"C\\\" is never "
             "used.\",\"locations\":[{\"line\":4,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { name }", &gg_rule_no_unused_fragments,
             "[{\"message\":\"Fragment \\\"A\\\" is never used.\",\"locations\":[{\"line\":1,\"column\":1}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A } }\nfragment A on Dog { ...A }\nfragment B on Dog { ...B }",
             &gg_rule_no_unused_fragments,
             "[{\"message\":\"Fragment \\\"B\\\" is never used.\",\"locations\":[{\"line\":3,\"column\":1}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
