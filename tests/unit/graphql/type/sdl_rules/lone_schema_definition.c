/* Tests of server/graphql/type/sdl_rules/lone_schema_definition.c: one schema definition at most;
 * schema extensions do not count. */
#include "harness.h"

static void test_one_schema_definition(void)
{
    check_sdl("type Query { a: Int }\nschema { query: Query }\n", "");
    check_sdl("type Query { a: Int }\ntype M { a: Int }\nschema { query: Query }\nextend schema { mutation: M }\n", "");
}

static void test_second_schema_definition(void)
{
    check_sdl("type Query { a: Int }\nschema { query: Query }\nschema { query: Query }\nschema { query: Query }\n",
              "3:1 Must provide only one schema definition.\n"
              "2:10,3:10 There can be only one query type in schema.\n"
              "4:1 Must provide only one schema definition.\n"
              "2:10,4:10 There can be only one query type in schema.\n");
}

int main(void)
{
    RUN(test_one_schema_definition);
    RUN(test_second_schema_definition);
    return test_summary();
}
