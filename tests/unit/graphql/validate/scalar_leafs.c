/* scalar_leafs.c: tests of the ScalarLeafs rule (server/graphql/validate/scalar_leafs.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { name size owner { name } } today size }", &gg_rule_scalar_leafs, "[]");
    VT_CHECK(TEST_SCHEMA, "{ unknown { a } dog { unknown } }", &gg_rule_scalar_leafs, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog }", &gg_rule_scalar_leafs,
             "[{\"message\":\"Field \\\"dog\\\" of type \\\"Dog\\\" must have a selection of subfields. Did you mean "
             "\\\"dog { ... }\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]}]");
    VT_CHECK(
        TEST_SCHEMA, "{ human(id: \"1\") { relatives } pets }", &gg_rule_scalar_leafs,
        "[{\"message\":\"Field \\\"relatives\\\" of type \\\"[Human!]!\\\" must have a selection of subfields. Did you "
        "mean \\\"relatives { ... }\\\"?\",\"locations\":[{\"line\":1,\"column\":20}]},{\"message\":\"Field "
        "\\\"pets\\\" of type \\\"[Pet]\\\" must have a selection of subfields. Did you mean \\\"pets { ... "
        "}\\\"?\",\"locations\":[{\"line\":1,\"column\":32}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { name { x } size { y } } }", &gg_rule_scalar_leafs,
             "[{\"message\":\"Field \\\"name\\\" must not have a selection since type \\\"String\\\" has no "
             "subfields.\",\"locations\":[{\"line\":1,\"column\":14}]},{\"message\":\"Field \\\"size\\\" must not have "
             "a selection since type \\\"Size\\\" has no subfields.\",\"locations\":[{\"line\":1,\"column\":25}]}]");
    VT_CHECK(TEST_SCHEMA, "{ today { a } }", &gg_rule_scalar_leafs,
             "[{\"message\":\"Field \\\"today\\\" must not have a selection since type \\\"Date\\\" has no "
             "subfields.\",\"locations\":[{\"line\":1,\"column\":9}]}]");
    VT_CHECK(TEST_SCHEMA, "query Q { dog { barks @cached { x } } }", &gg_rule_scalar_leafs,
             "[{\"message\":\"Field \\\"barks\\\" must not have a selection since type \\\"Boolean\\\" has no "
             "subfields.\",\"locations\":[{\"line\":1,\"column\":31}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
