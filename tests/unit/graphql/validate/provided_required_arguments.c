/* provided_required_arguments.c: tests for server/graphql/validate/provided_required_arguments.c (graphql-js
 * ProvidedRequiredArgumentsRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with ProvidedRequiredArgumentsRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA,
             "{ book(id: 1) { related(first: 1) { id } price(currency: EUR) } echo(value: \"x\") search(exact: false) "
             "{ __typename } }",
             &gg_rule_provided_required_arguments, "[]");
    VT_CHECK(SCHEMA, "{ count @tag(label: \"x\") @include(if: true) }", &gg_rule_provided_required_arguments, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ book { id } }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Field \\\"book\\\" argument \\\"id\\\" of type \\\"ID!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":3}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { related(after: \"x\") { id } price } }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Field \\\"related\\\" argument \\\"first\\\" of type \\\"Int!\\\" is required, but it "
             "was not provided.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Field \\\"price\\\" "
             "argument \\\"currency\\\" of type \\\"Currency!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":44}]}]");
    VT_CHECK(SCHEMA, "{ echo search { __typename } }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Field \\\"echo\\\" argument \\\"value\\\" of type \\\"String!\\\" is required, but it "
             "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":\"Field \\\"search\\\" "
             "argument \\\"exact\\\" of type \\\"Boolean!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":8}]}]");
    VT_CHECK(SCHEMA, "{ count @tag(weight: 1) @skip }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Directive \\\"@tag\\\" argument \\\"label\\\" of type \\\"String!\\\" is required, but "
             "it was not provided.\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Directive \\\"@skip\\\" "
             "argument \\\"if\\\" of type \\\"Boolean!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":25}]}]");
    VT_CHECK(SCHEMA, "{ unknown node { id } }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Field \\\"node\\\" argument \\\"id\\\" of type \\\"ID!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":11}]}]");
    VT_CHECK(SCHEMA,
             "{ count @local @local2 }\n"
             "directive @local(a: Int!, b: [String]!, c: Int! = 3, d: Int) on FIELD",
             &gg_rule_provided_required_arguments,
             "[{\"message\":\"Directive \\\"@local\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but it was "
             "not provided.\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Directive \\\"@local\\\" "
             "argument \\\"b\\\" of type \\\"[String]!\\\" is required, but it was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":9}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { ... on Book { price } } }", &gg_rule_provided_required_arguments,
             "[{\"message\":\"Field \\\"price\\\" argument \\\"currency\\\" of type \\\"Currency!\\\" is required, but "
             "it was not provided.\",\"locations\":[{\"line\":1,\"column\":31}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
