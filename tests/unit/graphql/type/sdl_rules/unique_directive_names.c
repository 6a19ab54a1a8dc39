/* Tests of server/graphql/type/sdl_rules/unique_directive_names.c: a directive is defined once; a
 * directive of the prelude cannot be redefined. */
#include "harness.h"

static void test_distinct_directives(void)
{
    check_sdl("type Query { a: Int }\ndirective @a on FIELD\ndirective @b on FIELD\n", "");
}

static void test_repeated_directive(void)
{
    check_sdl("type Query { a: Int }\ndirective @a on FIELD\ndirective @a(x: Int) on QUERY\n",
              "2:12,3:12 There can be only one directive named \"@a\".\n");
}

static void test_directive_of_the_prelude(void)
{
    check_sdl_with("type Query { a: Int }\ndirective @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION\n", true,
                   "2:12 Directive \"@aws_subscribe\" already exists in the schema. It cannot be redefined.\n");
}

int main(void)
{
    RUN(test_distinct_directives);
    RUN(test_repeated_directive);
    RUN(test_directive_of_the_prelude);
    return test_summary();
}
