/* Tests of server/graphql/type/sdl_rules/unique_argument_names.c: an applied directive names each
 * argument once, every occurrence located at the first. */
#include "harness.h"

static void test_distinct_arguments(void)
{
    check_sdl("type Query { a: Int @d(x: 1, y: 2) }\ndirective @d(x: Int, y: Int) on FIELD_DEFINITION\n", "");
}

static void test_repeated_arguments(void)
{
    check_sdl("type Query { a: Int @d(x: 1, y: 2, x: 3, x: 4) }\n"
              "directive @d(x: Int, y: Int) on FIELD_DEFINITION\n",
              "1:24,1:36,1:42 There can be only one argument named \"x\".\n");
}

int main(void)
{
    RUN(test_distinct_arguments);
    RUN(test_repeated_arguments);
    return test_summary();
}
