/* variables_in_allowed_position.c: tests for server/graphql/validate/variables_in_allowed_position.c (graphql-js
 * VariablesInAllowedPositionRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with VariablesInAllowedPositionRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA,
             "query Q($id: ID!, $n: Int!, $f: BookFilter, $g: [Genre!]!) { book(id: $id) { related(first: $n) { id } } "
             "books(filter: $f, genres: $g) { id } }",
             &gg_rule_variables_in_allowed_position, "[]");
    VT_CHECK(SCHEMA, "query Q($t: Int) { echo(value: \"x\", times: $t) }", &gg_rule_variables_in_allowed_position,
             "[]");
    VT_CHECK(SCHEMA, "query Q($v: ID, $w: ID!) { find(by: {id: $v}) { id } f2: find(by: {id: $w}) { id } }",
             &gg_rule_variables_in_allowed_position, "[]");
    VT_CHECK(SCHEMA, "query Q($n: Int = 3) { book(id: 1) { related(first: $n) { id } } }",
             &gg_rule_variables_in_allowed_position, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "query Q($id: ID, $n: Int) { book(id: $id) { related(first: $n) { id } } }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$id\\\" of type \\\"ID\\\" used in position expecting type "
             "\\\"ID!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":38}]},{\"message\":"
             "\"Variable \\\"$n\\\" of type \\\"Int\\\" used in position expecting type "
             "\\\"Int!\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":60}]}]");
    VT_CHECK(SCHEMA, "query Q($id: ID = 5, $s: String = null) { book(id: $id) { id } echo(value: $s) }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$s\\\" of type \\\"String\\\" used in position expecting type "
             "\\\"String!\\\".\",\"locations\":[{\"line\":1,\"column\":22},{\"line\":1,\"column\":76}]}]");
    VT_CHECK(SCHEMA, "query Q($g: [Genre], $h: Genre) { books(genres: $g) { id } b2: books(genres: [$h]) { id } }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$g\\\" of type \\\"[Genre]\\\" used in position expecting type "
             "\\\"[Genre!]\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":49}]},{\"message\":"
             "\"Variable \\\"$h\\\" of type \\\"Genre\\\" used in position expecting type "
             "\\\"Genre!\\\".\",\"locations\":[{\"line\":1,\"column\":22},{\"line\":1,\"column\":79}]}]");
    VT_CHECK(SCHEMA, "query Q($i: Int!) { book(id: $i) { id } echo(value: $i) }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$i\\\" of type \\\"Int!\\\" used in position expecting type "
             "\\\"ID!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":30}]},{\"message\":"
             "\"Variable \\\"$i\\\" of type \\\"Int!\\\" used in position expecting type "
             "\\\"String!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":53}]}]");
    VT_CHECK(SCHEMA, "query Q($x: [[Int]]) { books(ids: $x) { id } }", &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$x\\\" of type \\\"[[Int]]\\\" used in position expecting type "
             "\\\"[ID!]\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":35}]}]");
    VT_CHECK(SCHEMA,
             "query Q($n: Int) { book(id: 1) { ...F } }\n"
             "fragment F on Book { related(first: $n) { id } }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$n\\\" of type \\\"Int\\\" used in position expecting type "
             "\\\"Int!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":2,\"column\":37}]}]");
    VT_CHECK(SCHEMA, "query Q($l: String) { count @tag(label: $l) @include(if: $l) }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$l\\\" of type \\\"String\\\" used in position expecting type "
             "\\\"String!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":41}]},{\"message\":"
             "\"Variable \\\"$l\\\" of type \\\"String\\\" used in position expecting type "
             "\\\"Boolean!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":58}]}]");
    VT_CHECK(SCHEMA, "query Q($f: Unknown, $g: Genre) { count(min: $f, max: $g) }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$g\\\" of type \\\"Genre\\\" used in position expecting type "
             "\\\"Float\\\".\",\"locations\":[{\"line\":1,\"column\":22},{\"line\":1,\"column\":55}]}]");
    VT_CHECK(SCHEMA, "query Q($b: Boolean) { search(exact: $b) { __typename } books(filter: {genre: $b}) { id } }",
             &gg_rule_variables_in_allowed_position,
             "[{\"message\":\"Variable \\\"$b\\\" of type \\\"Boolean\\\" used in position expecting type "
             "\\\"Boolean!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":38}]},{\"message\":"
             "\"Variable \\\"$b\\\" of type \\\"Boolean\\\" used in position expecting type "
             "\\\"Genre!\\\".\",\"locations\":[{\"line\":1,\"column\":9},{\"line\":1,\"column\":79}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
