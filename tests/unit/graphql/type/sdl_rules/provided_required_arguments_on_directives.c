/* Tests of server/graphql/type/sdl_rules/provided_required_arguments_on_directives.c: an applied
 * directive gives its non-null arguments that have no default. */
#include "harness.h"

static void test_provided(void)
{
    check_sdl("type Query @d(a: 1) { a: Int }\ndirective @d(a: Int!, b: Int! = 2, c: Int) on OBJECT\n", "");
}

static void test_missing(void)
{
    check_sdl("type Query @d(c: 1) { a: Int }\ndirective @d(a: Int!, b: [String!]!, c: Int) on OBJECT\n",
              "1:12 Directive \"@d\" argument \"a\" of type \"Int!\" is required, but it was not provided.\n"
              "1:12 Directive \"@d\" argument \"b\" of type \"[String!]!\" is required, but it was not provided.\n");
    check_sdl("type Query { a: Int }\nscalar S @specifiedBy\n",
              "2:10 Directive \"@specifiedBy\" argument \"url\" of type \"String!\" is required, but it was not "
              "provided.\n");
}

int main(void)
{
    RUN(test_provided);
    RUN(test_missing);
    return test_summary();
}
