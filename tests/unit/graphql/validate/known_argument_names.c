/* known_argument_names.c: tests for server/graphql/validate/known_argument_names.c (graphql-js KnownArgumentNamesRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with KnownArgumentNamesRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA,
             "{ book(id: 1) { title(upper: true) price(currency: EUR) related(first: 2, after: \"x\") { id } } }",
             &gg_rule_known_argument_names, "[]");
    VT_CHECK(SCHEMA, "{ count @tag(label: \"x\", weight: 2) @include(if: true) }", &gg_rule_known_argument_names, "[]");
    VT_CHECK(SCHEMA, "{ count @unknown(x: 1) unknownField(y: 2) }", &gg_rule_known_argument_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ book(di: 1) { id } }", &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"di\\\" on field \\\"Query.book\\\". Did you mean "
             "\\\"id\\\"?\",\"locations\":[{\"line\":1,\"column\":8}]}]");
    VT_CHECK(
        SCHEMA, "{ book(id: 1) { title(uper: true, lower: false) } }", &gg_rule_known_argument_names,
        "[{\"message\":\"Unknown argument \\\"uper\\\" on field \\\"Book.title\\\". Did you mean "
        "\\\"upper\\\"?\",\"locations\":[{\"line\":1,\"column\":23}]},{\"message\":\"Unknown argument \\\"lower\\\" on "
        "field \\\"Book.title\\\". Did you mean \\\"upper\\\"?\",\"locations\":[{\"line\":1,\"column\":35}]}]");
    VT_CHECK(
        SCHEMA, "{ search(exact: true, txt: \"a\", limt: 3) { __typename } }", &gg_rule_known_argument_names,
        "[{\"message\":\"Unknown argument \\\"txt\\\" on field \\\"Query.search\\\". Did you mean "
        "\\\"text\\\"?\",\"locations\":[{\"line\":1,\"column\":23}]},{\"message\":\"Unknown argument \\\"limt\\\" on "
        "field \\\"Query.search\\\". Did you mean \\\"limit\\\"?\",\"locations\":[{\"line\":1,\"column\":33}]}]");
    VT_CHECK(SCHEMA, "{ count @tag(lable: \"x\") @skip(iff: true) }", &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"lable\\\" on directive \\\"@tag\\\". Did you mean "
             "\\\"label\\\"?\",\"locations\":[{\"line\":1,\"column\":14}]},{\"message\":\"Unknown argument \\\"iff\\\" "
             "on directive \\\"@skip\\\". Did you mean \\\"if\\\"?\",\"locations\":[{\"line\":1,\"column\":32}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { title @tag(label: \"x\", upper: true) } }", &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"upper\\\" on directive "
             "\\\"@tag\\\".\",\"locations\":[{\"line\":1,\"column\":40}]}]");
    VT_CHECK(SCHEMA, "{ item(id: 1) { ... on Book { title(upper: true, id: 3) } } }", &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"id\\\" on field "
             "\\\"Book.title\\\".\",\"locations\":[{\"line\":1,\"column\":50}]}]");
    VT_CHECK(SCHEMA, "query Q @tag(label: \"q\", extra: 1) { count }", &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"extra\\\" on directive "
             "\\\"@tag\\\".\",\"locations\":[{\"line\":1,\"column\":26}]}]");
    VT_CHECK(SCHEMA,
             "{ count @local(a: 1, b: 2) }\n"
             "directive @local(a: Int) on FIELD",
             &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"b\\\" on directive \\\"@local\\\". Did you mean "
             "\\\"a\\\"?\",\"locations\":[{\"line\":1,\"column\":22}]}]");
    VT_CHECK(SCHEMA,
             "{ count @local(a: 1, b: 2) }\n"
             "directive @local(a: Int, a: String, aa: Int) on FIELD",
             &gg_rule_known_argument_names,
             "[{\"message\":\"Unknown argument \\\"b\\\" on directive \\\"@local\\\". Did you mean "
             "\\\"a\\\"?\",\"locations\":[{\"line\":1,\"column\":22}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
