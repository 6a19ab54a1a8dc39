/* Tests of server/graphql/type/sdl_rules/unique_type_names.c: a type is defined once; a type of
 * the prelude cannot be defined again. */
#include "harness.h"

static void test_distinct_types(void)
{
    check_sdl("type Query { a: T }\ntype T { a: Int }\nextend type T { b: Int }\n", "");
}

static void test_repeated_type(void)
{
    check_sdl("type Query { a: Int }\nscalar T\nenum T { A }\ninput T { a: Int }\n",
              "2:8,3:6 There can be only one type named \"T\".\n"
              "2:8,4:7 There can be only one type named \"T\".\n");
}

static void test_type_of_the_prelude(void)
{
    check_sdl_with("type Query { a: Int }\nscalar AWSJSON\n", true,
                   "2:8 Type \"AWSJSON\" already exists in the schema. It cannot also be defined in this type "
                   "definition.\n");
}

int main(void)
{
    RUN(test_distinct_types);
    RUN(test_repeated_type);
    RUN(test_type_of_the_prelude);
    return test_summary();
}
