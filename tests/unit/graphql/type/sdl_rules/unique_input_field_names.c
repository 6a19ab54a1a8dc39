/* Tests of server/graphql/type/sdl_rules/unique_input_field_names.c: an object value names each
 * field once; each nested object is a scope of its own, checked in document order. */
#include "harness.h"

static void test_distinct_fields(void)
{
    check_sdl("type Query { f(i: I = {a: 1, b: {a: 2}}): Int }\ninput I { a: Int b: I }\n", "");
}

static void test_repeated_fields(void)
{
    check_sdl("type Query { f(i: I = {b: {a: 1, a: 2}, b: {a: 3}}): Int @d(i: {a: 1, a: 2}) }\n"
              "input I { a: Int b: I }\ndirective @d(i: I) on FIELD_DEFINITION\n",
              "1:28,1:34 There can be only one input field named \"a\".\n"
              "1:24,1:41 There can be only one input field named \"b\".\n"
              "1:65,1:71 There can be only one input field named \"a\".\n");
}

int main(void)
{
    RUN(test_distinct_fields);
    RUN(test_repeated_fields);
    return test_summary();
}
