/* fields_on_correct_type.c: tests of the FieldsOnCorrectType rule (server/graphql/validate/fields_on_correct_type.c).
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
             "{ dog { name barks __typename } pet { name ... on Dog { barks } } catOrDog { __typename ... on Cat { "
             "meows } } __schema { queryType { name } } __type(name: \"Dog\") { name } }",
             &gg_rule_fields_on_correct_type, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Unknown { whatever } } }", &gg_rule_fields_on_correct_type, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(TEST_SCHEMA, "{ dog { nam meow } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"nam\\\" on type \\\"Dog\\\". Did you mean "
             "\\\"name\\\"?\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Cannot query field "
             "\\\"meow\\\" on type \\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":13}]}]");
    VT_CHECK(TEST_SCHEMA, "{ pet { barks meows } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"barks\\\" on type \\\"Pet\\\". Did you mean to use an inline "
             "fragment on \\\"Dog\\\"?\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Cannot query field "
             "\\\"meows\\\" on type \\\"Pet\\\". Did you mean to use an inline fragment on "
             "\\\"Cat\\\"?\",\"locations\":[{\"line\":1,\"column\":15}]}]");
    VT_CHECK(TEST_SCHEMA, "{ catOrDog { name } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"name\\\" on type \\\"CatOrDog\\\". Did you mean to use an inline "
             "fragment on \\\"Pet\\\", \\\"Cat\\\", or \\\"Dog\\\"?\",\"locations\":[{\"line\":1,\"column\":14}]}]");
    VT_CHECK(TEST_SCHEMA, "{ humanOrAlien { name planet } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"name\\\" on type \\\"HumanOrAlien\\\". Did you mean to use an "
             "inline fragment on \\\"Named\\\", \\\"Alien\\\", or "
             "\\\"Human\\\"?\",\"locations\":[{\"line\":1,\"column\":18}]},{\"message\":\"Cannot query field "
             "\\\"planet\\\" on type \\\"HumanOrAlien\\\". Did you mean to use an inline fragment on "
             "\\\"Alien\\\"?\",\"locations\":[{\"line\":1,\"column\":23}]}]");
    VT_CHECK(
        TEST_SCHEMA, "{ node { name } }", &gg_rule_fields_on_correct_type,
        "[{\"message\":\"Cannot query field \\\"name\\\" on type \\\"Node\\\". Did you mean to use an inline fragment "
        "on \\\"Pet\\\", \\\"Cat\\\", \\\"Dog\\\", or \\\"Human\\\"?\",\"locations\":[{\"line\":1,\"column\":10}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { zzzzz } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"zzzzz\\\" on type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":9}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { __schema { queryType { name } } } }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"__schema\\\" on type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":9}]}]");
    VT_CHECK(TEST_SCHEMA, "fragment F on Pet { nicknam alias: barks }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"nicknam\\\" on type \\\"Pet\\\". Did you mean "
             "\\\"nickname\\\"?\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Cannot query field "
             "\\\"barks\\\" on type \\\"Pet\\\". Did you mean to use an inline fragment on "
             "\\\"Dog\\\"?\",\"locations\":[{\"line\":1,\"column\":29}]}]");
    VT_CHECK_OPTS(TEST_SCHEMA, "{ dog { nam } pet { barks } }", &gg_rule_fields_on_correct_type,
                  &(gg_validate_options){.no_suggestions = true},
                  "[{\"message\":\"Cannot query field \\\"nam\\\" on type "
                  "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Cannot query field "
                  "\\\"barks\\\" on type \\\"Pet\\\".\",\"locations\":[{\"line\":1,\"column\":21}]}]");
    VT_CHECK(TEST_SCHEMA, "mutation { setName(name: \"x\") { nmae } unknown }", &gg_rule_fields_on_correct_type,
             "[{\"message\":\"Cannot query field \\\"nmae\\\" on type \\\"Dog\\\". Did you mean "
             "\\\"name\\\"?\",\"locations\":[{\"line\":1,\"column\":33}]},{\"message\":\"Cannot query field "
             "\\\"unknown\\\" on type \\\"Mutation\\\".\",\"locations\":[{\"line\":1,\"column\":40}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
