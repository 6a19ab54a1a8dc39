/* Tests of server/graphql/type/sdl_rules/known_type_names.c: every named type is defined, else
 * "Unknown type" with graphql-js's suggestions (defined types first, then the standard ones). The
 * suggestion cases moved here from schema_validate.c. */
#include "harness.h"

static void test_known_types(void)
{
    check_sdl("type Query { a: [T!] b: ID c(x: I): String }\ntype T implements N { a: Int }\ninterface N { a: Int }\n"
              "input I { a: Boolean }\nunion U = T\nschema { query: Query }\n",
              "");
}

static void test_unknown_types(void)
{
    check_sdl("type Query { a: [Strin!] b(x: Foo): Int }\nunion U = Querz\ntype T implements Nope { a: Int }\n"
              "schema { query: Query mutation: Mut }\n",
              "1:18 Unknown type \"Strin\". Did you mean \"String\"?\n"
              "1:31 Unknown type \"Foo\".\n"
              "2:11 Unknown type \"Querz\". Did you mean \"Query\"?\n"
              "3:19 Unknown type \"Nope\".\n"
              "4:33 Unknown type \"Mut\". Did you mean \"Int\", \"T\", or \"U\"?\n");
}

/* Unknown types get graphql-js's suggestions (at most five, "or" before the last). */
static void test_suggestions(void)
{
    check_json(
        "type Query { a: Usr b: Uzer c: Usar d: Usee e: Uer f: Usr1 }\n"
        "type User1 { a: Int } type User2 { a: Int } type User3 { a: Int } type User10 { a: Int } type Use { a: Int } "
        "type Users { a: Int }\n",
        "[{\"message\":\"Unknown type \\\"Usr\\\". Did you mean \\\"Use\\\", \\\"User1\\\", \\\"User2\\\", "
        "\\\"User3\\\", or \\\"Users\\\"?\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Unknown type "
        "\\\"Uzer\\\". Did you mean \\\"Use\\\", \\\"User1\\\", \\\"User2\\\", \\\"User3\\\", or "
        "\\\"Users\\\"?\",\"locations\":[{\"line\":1,\"column\":24}]},{\"message\":\"Unknown type \\\"Usar\\\". Did "
        "you mean \\\"Use\\\", \\\"User1\\\", \\\"User2\\\", \\\"User3\\\", or "
        "\\\"Users\\\"?\",\"locations\":[{\"line\":1,\"column\":32}]},{\"message\":\"Unknown type \\\"Usee\\\". Did "
        "you mean \\\"Use\\\", \\\"User1\\\", \\\"User2\\\", \\\"User3\\\", or "
        "\\\"Users\\\"?\",\"locations\":[{\"line\":1,\"column\":40}]},{\"message\":\"Unknown type \\\"Uer\\\". Did you "
        "mean \\\"Query\\\", \\\"Use\\\", \\\"User1\\\", \\\"User2\\\", or "
        "\\\"User3\\\"?\",\"locations\":[{\"line\":1,\"column\":48}]},{\"message\":\"Unknown type \\\"Usr1\\\". Did "
        "you mean \\\"User1\\\", \\\"Use\\\", \\\"User2\\\", \\\"User3\\\", or "
        "\\\"User10\\\"?\",\"locations\":[{\"line\":1,\"column\":55}]}]");
}

/* Suggestions work for long names too (300 characters). */
static void test_long_name_suggestions(void)
{
    check_json(
        "type Query { a: "
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAX }\n"
        "type "
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAY { a: Int }\n"
        "type "
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA { a: Int }\n",
        "[{\"message\":\"Unknown type "
        "\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAX\\\". Did you mean "
        "\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\\" or "
        "\\\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAY\\\"?\",\"locations\":[{"
        "\"line\":1,\"column\":17}]}]");
}

int main(void)
{
    RUN(test_known_types);
    RUN(test_unknown_types);
    RUN(test_suggestions);
    RUN(test_long_name_suggestions);
    return test_summary();
}
