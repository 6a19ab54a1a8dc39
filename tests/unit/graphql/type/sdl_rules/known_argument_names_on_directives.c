/* Tests of server/graphql/type/sdl_rules/known_argument_names_on_directives.c: the arguments of an
 * applied directive are arguments of its definition, with suggestions. */
#include "harness.h"

static void test_known_arguments(void)
{
    check_sdl("type Query { a: Int @deprecated(reason: \"x\") b: Int @d(x: 1) }\n"
              "directive @d(x: Int) on FIELD_DEFINITION\n",
              "");
}

static void test_unknown_arguments(void)
{
    check_sdl("type Query { a: Int @deprecated(resaon: \"x\") b: Int @d(y: 1, x: 2, z: 3) }\n"
              "directive @d(x: Int) on FIELD_DEFINITION\n",
              "1:33 Unknown argument \"resaon\" on directive \"@deprecated\". Did you mean \"reason\"?\n"
              "1:56 Unknown argument \"y\" on directive \"@d\". Did you mean \"x\"?\n"
              "1:68 Unknown argument \"z\" on directive \"@d\". Did you mean \"x\"?\n");
}

int main(void)
{
    RUN(test_known_arguments);
    RUN(test_unknown_arguments);
    return test_summary();
}
