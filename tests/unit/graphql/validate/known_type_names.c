/* known_type_names.c: tests of the KnownTypeNames rule (server/graphql/validate/known_type_names.c).
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
        "query Q($a: ID, $b: [Filter!]!, $c: Size) { dog { ... on Pet { name } ...F } } fragment F on Dog { name }",
        &gg_rule_known_type_names, "[]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ... { name } } }", &gg_rule_known_type_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(
        TEST_SCHEMA, "query Q($a: Id, $b: [Filtr!]!, $c: Sise = SMALL) { dog { name } }", &gg_rule_known_type_names,
        "[{\"message\":\"Unknown type \\\"Id\\\". Did you mean "
        "\\\"ID\\\"?\",\"locations\":[{\"line\":1,\"column\":13}]},{\"message\":\"Unknown type \\\"Filtr\\\". Did you "
        "mean \\\"Filter\\\" or \\\"Int\\\"?\",\"locations\":[{\"line\":1,\"column\":22}]},{\"message\":\"Unknown type "
        "\\\"Sise\\\". Did you mean \\\"Size\\\"?\",\"locations\":[{\"line\":1,\"column\":36}]}]");
    VT_CHECK(TEST_SCHEMA, "{ dog { ... on Pett { name } ...F } } fragment F on Dgo { name }", &gg_rule_known_type_names,
             "[{\"message\":\"Unknown type \\\"Pett\\\". Did you mean "
             "\\\"Pet\\\"?\",\"locations\":[{\"line\":1,\"column\":16}]},{\"message\":\"Unknown type \\\"Dgo\\\". Did "
             "you mean \\\"Dog\\\"?\",\"locations\":[{\"line\":1,\"column\":53}]}]");
    VT_CHECK(TEST_SCHEMA, "query Q($a: JSON) { dog { ... on Doggy { name } } }", &gg_rule_known_type_names,
             "[{\"message\":\"Unknown type "
             "\\\"JSON\\\".\",\"locations\":[{\"line\":1,\"column\":13}]},{\"message\":\"Unknown type \\\"Doggy\\\". "
             "Did you mean \\\"Dog\\\"?\",\"locations\":[{\"line\":1,\"column\":34}]}]");
    VT_CHECK_OPTS(
        TEST_SCHEMA, "query Q($a: Id) { dog { ... on Pett { name } } }", &gg_rule_known_type_names,
        &(gg_validate_options){.no_suggestions = true},
        "[{\"message\":\"Unknown type \\\"Id\\\".\",\"locations\":[{\"line\":1,\"column\":13}]},{\"message\":\"Unknown "
        "type \\\"Pett\\\".\",\"locations\":[{\"line\":1,\"column\":32}]}]");
    VT_CHECK(TEST_SCHEMA,
             "type T implements Nod { a: Intt b(x: Filtr = {}): [Sizee] } union U = Dog | Catt input I { a: Strin } "
             "schema { query: Qery } extend type Dog implements Pett { c: Date }",
             &gg_rule_known_type_names,
             "[{\"message\":\"Unknown type \\\"Nod\\\". Did you mean \\\"Node\\\", \\\"Dog\\\", or "
             "\\\"ID\\\"?\",\"locations\":[{\"line\":1,\"column\":19}]},{\"message\":\"Unknown type \\\"Intt\\\". Did "
             "you mean \\\"Int\\\"?\",\"locations\":[{\"line\":1,\"column\":28}]},{\"message\":\"Unknown type "
             "\\\"Filtr\\\". Did you mean \\\"Filter\\\" or "
             "\\\"Int\\\"?\",\"locations\":[{\"line\":1,\"column\":38}]},{\"message\":\"Unknown type \\\"Sizee\\\". "
             "Did you mean \\\"Size\\\"?\",\"locations\":[{\"line\":1,\"column\":52}]},{\"message\":\"Unknown type "
             "\\\"Catt\\\". Did you mean \\\"Cat\\\" or "
             "\\\"Date\\\"?\",\"locations\":[{\"line\":1,\"column\":77}]},{\"message\":\"Unknown type \\\"Strin\\\". "
             "Did you mean \\\"String\\\"?\",\"locations\":[{\"line\":1,\"column\":95}]},{\"message\":\"Unknown type "
             "\\\"Qery\\\". Did you mean "
             "\\\"Query\\\"?\",\"locations\":[{\"line\":1,\"column\":119}]},{\"message\":\"Unknown type \\\"Pett\\\". "
             "Did you mean \\\"Pet\\\"?\",\"locations\":[{\"line\":1,\"column\":153}]}]");
    VT_CHECK(TEST_SCHEMA, "type T { a: __Type b: String c: Bool }", &gg_rule_known_type_names,
             "[{\"message\":\"Unknown type \\\"Bool\\\".\",\"locations\":[{\"line\":1,\"column\":33}]}]");
    VT_CHECK(TEST_SCHEMA, "query Q($a: __Typ) { dog { name } } type Cow { name: String }", &gg_rule_known_type_names,
             "[{\"message\":\"Unknown type \\\"__Typ\\\". Did you mean "
             "\\\"__Type\\\"?\",\"locations\":[{\"line\":1,\"column\":13}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    return test_summary();
}
