/* unique_directives_per_location.c: tests of the UniqueDirectivesPerLocation rule
 * (server/graphql/validate/unique_directives_per_location.c).
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
             "query Q @unique @cached @cached { dog @unique @cached @cached { name @unique } cat @unique { name } }",
             &gg_rule_unique_directives_per_location, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog @unknown @unknown { name } }", &gg_rule_unique_directives_per_location, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA,
             "query Q($v: Int @unique @unique) @unique @unique { dog @unique @unique @unique { ...F @unique @unique "
             "... @unique @unique { name } } } fragment F on Dog @unique @unique { name }",
             &gg_rule_unique_directives_per_location,
             "[{\"message\":\"The directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":34},{\"line\":1,\"column\":42}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":25}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":56},{\"line\":1,\"column\":64}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":56},{\"line\":1,\"column\":72}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":87},{\"line\":1,\"column\":95}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":107},{\"line\":1,\"column\":115}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":154},{\"line\":1,\"column\":162}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog @skip(if: true) @skip(if: false) @include(if: true) @include(if: true) { name } }",
             &gg_rule_unique_directives_per_location,
             "[{\"message\":\"The directive \\\"@skip\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,\"column\":23}]},{\"message\":\"The "
             "directive \\\"@include\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":40},{\"line\":1,\"column\":59}]}]");
    VT_CHECK(TEST_SCHEMA, "type T @unique @unique { a: Int } extend type T @unique",
             &gg_rule_unique_directives_per_location,
             "[{\"message\":\"The directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":16}]},{\"message\":\"The "
             "directive \\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":49}]}]");
    VT_CHECK(TEST_SCHEMA, "directive @mine on FIELD\n{ dog @mine @mine { name } }",
             &gg_rule_unique_directives_per_location,
             "[{\"message\":\"The directive \\\"@mine\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":2,\"column\":7},{\"line\":2,\"column\":13}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
