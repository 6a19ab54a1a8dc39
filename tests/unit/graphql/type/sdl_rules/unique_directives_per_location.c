/* Tests of server/graphql/type/sdl_rules/unique_directives_per_location.c: a non-repeatable
 * directive once per node; a type's definition and extensions count as one node. */
#include "harness.h"

static void test_once_per_node(void)
{
    check_sdl("directive @d on OBJECT | FIELD_DEFINITION\ndirective @r repeatable on OBJECT\n"
              "type Query @d @r @r { a: Int @d b: Int @d }\n",
              "");
}

static void test_repeated_on_a_node(void)
{
    check_sdl("directive @d on FIELD_DEFINITION | ENUM_VALUE\ntype Query { a: Int @d @d }\nenum E { A @d @d }\n",
              "2:21,2:24 The directive \"@d\" can only be used once at this location.\n"
              "3:12,3:15 The directive \"@d\" can only be used once at this location.\n");
}

static void test_definition_and_extension(void)
{
    check_sdl("directive @d on OBJECT\ntype Query @d { a: Int }\nextend type Query @d\n",
              "2:12,3:19 The directive \"@d\" can only be used once at this location.\n");
}

int main(void)
{
    RUN(test_once_per_node);
    RUN(test_repeated_on_a_node);
    RUN(test_definition_and_extension);
    return test_summary();
}
