/* known_directives.c: tests of the KnownDirectives rule (server/graphql/validate/known_directives.c).
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
             "query Q($v: Int @onVariable) @cached @unique { dog @cached(ttl: 1) @skip(if: true) { ...F @onFragment "
             "... @onFragment @include(if: true) { name } } } fragment F on Dog @onFragment { name }",
             &gg_rule_known_directives, "[]");
    VT_CHECK(TEST_SCHEMA,
             "subscription S @unique { newDog { name } } mutation M @unique { setName(name: \"x\") { name } }",
             &gg_rule_known_directives, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog @unknown @cachd { name } }", &gg_rule_known_directives,
             "[{\"message\":\"Unknown directive "
             "\\\"@unknown\\\".\",\"locations\":[{\"line\":1,\"column\":7}]},{\"message\":\"Unknown directive "
             "\\\"@cachd\\\".\",\"locations\":[{\"line\":1,\"column\":16}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "query Q($v: Int @cached) @onFragment { dog @onVariable { ...F @cached ... @onVariable { name } } } fragment F "
        "on Dog @skip(if: true) { name }",
        &gg_rule_known_directives,
        "[{\"message\":\"Directive \\\"@cached\\\" may not be used on "
        "VARIABLE_DEFINITION.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Directive "
        "\\\"@onFragment\\\" may not be used on "
        "QUERY.\",\"locations\":[{\"line\":1,\"column\":26}]},{\"message\":\"Directive \\\"@onVariable\\\" may not be "
        "used on FIELD.\",\"locations\":[{\"line\":1,\"column\":44}]},{\"message\":\"Directive \\\"@cached\\\" may not "
        "be used on FRAGMENT_SPREAD.\",\"locations\":[{\"line\":1,\"column\":63}]},{\"message\":\"Directive "
        "\\\"@onVariable\\\" may not be used on "
        "INLINE_FRAGMENT.\",\"locations\":[{\"line\":1,\"column\":75}]},{\"message\":\"Directive \\\"@skip\\\" may not "
        "be used on FRAGMENT_DEFINITION.\",\"locations\":[{\"line\":1,\"column\":118}]}]");
    VT_CHECK(TEST_SCHEMA,
             "mutation M @cached { setName(name: \"x\") { name } } subscription S @skip(if: true) { newDog { name } }",
             &gg_rule_known_directives,
             "[{\"message\":\"Directive \\\"@cached\\\" may not be used on "
             "MUTATION.\",\"locations\":[{\"line\":1,\"column\":12}]},{\"message\":\"Directive \\\"@skip\\\" may not "
             "be used on SUBSCRIPTION.\",\"locations\":[{\"line\":1,\"column\":67}]}]");
    VT_CHECK(TEST_SCHEMA, "query Q @deprecated { dog @specifiedBy(url: \"x\") { name } }", &gg_rule_known_directives,
             "[{\"message\":\"Directive \\\"@deprecated\\\" may not be used on "
             "QUERY.\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Directive \\\"@specifiedBy\\\" may "
             "not be used on FIELD.\",\"locations\":[{\"line\":1,\"column\":27}]}]");
    VT_CHECK(TEST_SCHEMA, "type T @cached @unknown { a: Int @skip(if: true) }", &gg_rule_known_directives,
             "[{\"message\":\"Directive \\\"@cached\\\" may not be used on "
             "OBJECT.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Unknown directive "
             "\\\"@unknown\\\".\",\"locations\":[{\"line\":1,\"column\":16}]},{\"message\":\"Directive \\\"@skip\\\" "
             "may not be used on FIELD_DEFINITION.\",\"locations\":[{\"line\":1,\"column\":34}]}]");
    VT_CHECK(TEST_SCHEMA, "directive @mine on QUERY\n{ dog @mine { name } }", &gg_rule_known_directives,
             "[{\"message\":\"Directive \\\"@mine\\\" may not be used on "
             "FIELD.\",\"locations\":[{\"line\":2,\"column\":7}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
