/* unique_input_field_names.c: tests for server/graphql/validate/unique_input_field_names.c (graphql-js
 * UniqueInputFieldNamesRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with UniqueInputFieldNamesRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "{ books(filter: {genre: FICTION, title: \"a\", nested: {genre: POETRY, title: \"b\"}}) { id } }",
             &gg_rule_unique_input_field_names, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ books(filter: {genre: FICTION, genre: POETRY}) { id } }", &gg_rule_unique_input_field_names,
             "[{\"message\":\"There can be only one input field named "
             "\\\"genre\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":34}]}]");
    VT_CHECK(SCHEMA, "{ books(filter: {title: \"a\", genre: FICTION, title: \"b\", title: \"c\"}) { id } }",
             &gg_rule_unique_input_field_names,
             "[{\"message\":\"There can be only one input field named "
             "\\\"title\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":46}]},{\"message\":"
             "\"There can be only one input field named "
             "\\\"title\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":58}]}]");
    VT_CHECK(
        SCHEMA,
        "{ books(filter: {nested: {genre: FICTION, genre: HISTORY}, genre: POETRY, nested: {title: \"x\"}}) { id } }",
        &gg_rule_unique_input_field_names,
        "[{\"message\":\"There can be only one input field named "
        "\\\"genre\\\".\",\"locations\":[{\"line\":1,\"column\":27},{\"line\":1,\"column\":43}]},{\"message\":\"There "
        "can be only one input field named "
        "\\\"nested\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":75}]}]");
    VT_CHECK(SCHEMA, "query Q($f: BookFilter = {genre: FICTION, genre: POETRY}) { books(filter: $f) { id } }",
             &gg_rule_unique_input_field_names,
             "[{\"message\":\"There can be only one input field named "
             "\\\"genre\\\".\",\"locations\":[{\"line\":1,\"column\":27},{\"line\":1,\"column\":43}]}]");
    VT_CHECK(SCHEMA, "{ count(isbn: {a: 1, b: [{c: 1, c: 2}], a: 3}) }", &gg_rule_unique_input_field_names,
             "[{\"message\":\"There can be only one input field named "
             "\\\"c\\\".\",\"locations\":[{\"line\":1,\"column\":27},{\"line\":1,\"column\":33}]},{\"message\":\"There "
             "can be only one input field named "
             "\\\"a\\\".\",\"locations\":[{\"line\":1,\"column\":16},{\"line\":1,\"column\":41}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);

    return test_summary();
}
