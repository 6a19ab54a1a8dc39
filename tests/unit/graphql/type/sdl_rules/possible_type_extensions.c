/* Tests of server/graphql/type/sdl_rules/possible_type_extensions.c: an extension extends a defined
 * type of its kind. */
#include "harness.h"

static void test_possible_extensions(void)
{
    check_sdl("type Query { a: Int e: E }\nextend type Query { b: Int }\nenum E { A }\nextend enum E { B }\n", "");
}

static void test_undefined_type(void)
{
    check_sdl("type Query { a: Int }\nextend type Querry { b: Int }\nextend scalar Nothing @specifiedBy(url: \"x\")\n",
              "2:13 Cannot extend type \"Querry\" because it is not defined. Did you mean \"Query\"?\n"
              "3:15 Cannot extend type \"Nothing\" because it is not defined.\n");
}

static void test_other_kind(void)
{
    check_sdl("type Query { a: Int }\nscalar S\nextend input Query { b: Int }\nextend union S = Query\n",
              "1:1,3:1 Cannot extend non-input object type \"Query\".\n"
              "2:1,4:1 Cannot extend non-union type \"S\".\n");
    check_sdl_with("type Query { a: Int }\nextend type AuthRule { x: Int }\n", true,
                   "2:1 Cannot extend non-object type \"AuthRule\".\n");
}

int main(void)
{
    RUN(test_possible_extensions);
    RUN(test_undefined_type);
    RUN(test_other_kind);
    return test_summary();
}
