/* unique_fragment_names.c: tests of the UniqueFragmentNames rule (server/graphql/validate/unique_fragment_names.c).
 *
 * Valid and invalid documents against the shared test schema; every expected message and
 * location was printed once by graphql-js 16.15 validate() with this rule alone
 * (regenerate with oracle/gen_rules.mjs; the documents are in oracle/cases.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

static void test_valid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { name }",
             &gg_rule_unique_fragment_names, "[]");
    VT_CHECK(TEST_SCHEMA, "query A { dog { ...A } } fragment A on Dog { name }", &gg_rule_unique_fragment_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { ...A } }\nfragment A on Dog { name }\nfragment A on Dog { barks }",
             &gg_rule_unique_fragment_names,
             "[{\"message\":\"There can be only one fragment named "
             "\\\"A\\\".\",\"locations\":[{\"line\":2,\"column\":10},{\"line\":3,\"column\":10}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment A on Dog { name }\nfragment A on Dog { barks }\nfragment A on Pet { name }",
             &gg_rule_unique_fragment_names,
             "[{\"message\":\"There can be only one fragment named "
             "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":2,\"column\":10}]},{\"message\":\"There "
             "can be only one fragment named "
             "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":3,\"column\":10}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
