/* no_fragment_cycles.c: tests of the NoFragmentCycles rule (server/graphql/validate/no_fragment_cycles.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A } } fragment A on Dog { ...B ...B } fragment B on Dog { name }",
             &gg_rule_no_fragment_cycles, "[]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { ...Missing }", &gg_rule_no_fragment_cycles, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { ...A }", &gg_rule_no_fragment_cycles,
             "[{\"message\":\"Cannot spread fragment \\\"A\\\" within "
             "itself.\",\"locations\":[{\"line\":1,\"column\":21}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { ...A }",
             &gg_rule_no_fragment_cycles,
             "[{\"message\":\"Cannot spread fragment \\\"A\\\" within itself via \\\"B\\\", "
             "\\\"C\\\".\",\"locations\":[{\"line\":1,\"column\":21},{\"line\":2,\"column\":21},{\"line\":3,\"column\":"
             "21}]}]");
    VT_CHECK(TEST_SCHEMA,
             "fragment A on Dog { owner { pets { ... on Dog { ...B } } } }\nfragment B on Dog { ...A ...C }\nfragment "
             "C on Dog { ...B ...A }",
             &gg_rule_no_fragment_cycles,
             "[{\"message\":\"Cannot spread fragment \\\"A\\\" within itself via "
             "\\\"B\\\".\",\"locations\":[{\"line\":1,\"column\":49},{\"line\":2,\"column\":21}]},{\"message\":"
             "\"Cannot spread fragment \\\"B\\\" within itself via "
             "\\\"C\\\".\",\"locations\":[{\"line\":2,\"column\":26},{\"line\":3,\"column\":21}]},{\"message\":"
             "\"Cannot spread fragment \\\"A\\\" within itself via \\\"B\\\", "
             "\\\"C\\\".\",\"locations\":[{\"line\":1,\"column\":49},{\"line\":2,\"column\":26},{\"line\":3,\"column\":"
             "26}]}]");
    VT_CHECK(TEST_SCHEMA,
             "fragment A on Dog { ...B ...C }\nfragment B on Dog { ...A }\nfragment C on Dog { ...A ...C }",
             &gg_rule_no_fragment_cycles,
             "[{\"message\":\"Cannot spread fragment \\\"A\\\" within itself via "
             "\\\"B\\\".\",\"locations\":[{\"line\":1,\"column\":21},{\"line\":2,\"column\":21}]},{\"message\":"
             "\"Cannot spread fragment \\\"A\\\" within itself via "
             "\\\"C\\\".\",\"locations\":[{\"line\":1,\"column\":26},{\"line\":3,\"column\":21}]},{\"message\":"
             "\"Cannot spread fragment \\\"C\\\" within itself.\",\"locations\":[{\"line\":3,\"column\":26}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { ...B }\nfragment B on Dog { ...B }", &gg_rule_no_fragment_cycles,
             "[{\"message\":\"Cannot spread fragment \\\"B\\\" within "
             "itself.\",\"locations\":[{\"line\":2,\"column\":21}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
