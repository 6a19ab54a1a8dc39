/* Tests of server/graphql/type/sdl_rules/unique_operation_types.c: each root operation type once,
 * across the schema definition and its extensions. */
#include "harness.h"

static void test_distinct_operations(void)
{
    check_sdl("type Query { a: Int }\ntype M { a: Int }\ntype S { a: Int }\n"
              "schema { query: Query mutation: M }\nextend schema { subscription: S }\n",
              "");
}

static void test_repeated_operation(void)
{
    check_sdl("type Query { a: Int }\ntype M { a: Int }\nschema { query: Query mutation: M mutation: M }\n",
              "3:23,3:35 There can be only one mutation type in schema.\n");
    check_sdl("type Query { a: Int }\ntype S { a: Int }\nschema { query: Query subscription: S }\n"
              "extend schema { subscription: S }\n",
              "3:23,4:17 There can be only one subscription type in schema.\n");
}

int main(void)
{
    RUN(test_distinct_operations);
    RUN(test_repeated_operation);
    return test_summary();
}
