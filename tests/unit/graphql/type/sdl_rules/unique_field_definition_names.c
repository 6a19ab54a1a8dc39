/* Tests of server/graphql/type/sdl_rules/unique_field_definition_names.c: a field once across a
 * type's definition and extensions, for objects, interfaces and input objects. */
#include "harness.h"

static void test_distinct_fields(void)
{
    check_sdl("type Query { a: Int b: Int }\nextend type Query { c: Int }\ninput I { a: Int }\n"
              "interface N { a: Int }\n",
              "");
}

static void test_repeated_fields(void)
{
    check_sdl("type Query { a: Int a: String }\nextend type Query { a: Int }\n",
              "1:14,1:21 Field \"Query.a\" can only be defined once.\n"
              "1:14,2:21 Field \"Query.a\" can only be defined once.\n");
    check_sdl("type Query { a: Int }\ninput I { x: Int x: Int }\ninterface N { y: Int y: Int }\n",
              "2:11,2:18 Field \"I.x\" can only be defined once.\n"
              "3:15,3:22 Field \"N.y\" can only be defined once.\n");
}

static void test_field_of_the_prelude(void)
{
    check_sdl_with("type Query { a: Int }\nextend input AuthRule { allow: AuthStrategy }\n", true,
                   "2:25 Field \"AuthRule.allow\" already exists in the schema. It cannot also be defined in this "
                   "type extension.\n");
}

int main(void)
{
    RUN(test_distinct_fields);
    RUN(test_repeated_fields);
    RUN(test_field_of_the_prelude);
    return test_summary();
}
