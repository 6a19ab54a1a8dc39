/* Tests of server/graphql/type/sdl_rules/unique_argument_definition_names.c: an argument of a
 * field or directive definition once, every occurrence located. */
#include "harness.h"

static void test_distinct_arguments(void)
{
    check_sdl("type Query { f(a: Int, b: Int): Int g(a: Int): Int }\ndirective @d(a: Int, b: Int) on FIELD\n", "");
}

static void test_repeated_arguments(void)
{
    check_sdl("type Query { f(a: Int, b: Int, a: Int, a: String): Int }\n",
              "1:16,1:32,1:40 Argument \"Query.f(a:)\" can only be defined once.\n");
    check_sdl("type Query { a: Int }\ndirective @d(x: Int, y: Int, x: Int) on FIELD\n",
              "2:14,2:30 Argument \"@d(x:)\" can only be defined once.\n");
}

int main(void)
{
    RUN(test_distinct_arguments);
    RUN(test_repeated_arguments);
    return test_summary();
}
