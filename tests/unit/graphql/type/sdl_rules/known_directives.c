/* Tests of server/graphql/type/sdl_rules/known_directives.c: every directive applied is defined and
 * allowed at its location. */
#include "harness.h"

static void test_known_directives(void)
{
    check_sdl("type Query { a: Int @deprecated b: Int @d }\ndirective @d on FIELD_DEFINITION | OBJECT\n"
              "type T @d { a: Int }\n",
              "");
}

static void test_unknown_directive(void)
{
    check_sdl("type Query @nope { a: Int @other(x: 1) }\n", "1:12 Unknown directive \"@nope\".\n"
                                                            "1:27 Unknown directive \"@other\".\n");
}

static void test_wrong_location(void)
{
    check_sdl("type Query @deprecated { a: Int }\ndirective @d on ENUM_VALUE\nenum E @d { A @d }\n"
              "input I { a: Int @d }\n",
              "1:12 Directive \"@deprecated\" may not be used on OBJECT.\n"
              "3:8 Directive \"@d\" may not be used on ENUM.\n"
              "4:18 Directive \"@d\" may not be used on INPUT_FIELD_DEFINITION.\n");
}

int main(void)
{
    RUN(test_known_directives);
    RUN(test_unknown_directive);
    RUN(test_wrong_location);
    return test_summary();
}
