/* Tests of server/graphql/type/sdl_rules/unique_enum_value_names.c: an enum value once across the
 * enum's definition and extensions. */
#include "harness.h"

static void test_distinct_values(void)
{
    check_sdl("type Query { a: E }\nenum E { A B }\nextend enum E { C }\n", "");
}

static void test_repeated_value(void)
{
    check_sdl("type Query { a: E }\nenum E { A B A }\nextend enum E { B }\n",
              "2:10,2:14 Enum value \"E.A\" can only be defined once.\n"
              "2:12,3:17 Enum value \"E.B\" can only be defined once.\n");
}

static void test_value_of_the_prelude(void)
{
    check_sdl_with("type Query { a: Int }\nextend enum AuthStrategy { owner }\n", true,
                   "2:28 Enum value \"AuthStrategy.owner\" already exists in the schema. It cannot also be defined "
                   "in this type extension.\n");
}

int main(void)
{
    RUN(test_distinct_values);
    RUN(test_repeated_value);
    RUN(test_value_of_the_prelude);
    return test_summary();
}
