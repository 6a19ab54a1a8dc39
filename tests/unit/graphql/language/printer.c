/* Tests for server/graphql/language/printer.c: print(parse(source)) must equal graphql-js
 * 16.15.0's print() byte for byte (expected strings generated once with graphql-js from
 * documents written for these tests), printing is stable (printing the printed text again
 * gives the same text), and values and type references print alone. */
#include <stdlib.h>
#include <string.h>

#include "../../test.h"
#include "graphql/language/parser.h"
#include "graphql/language/printer.h"

static gg_arena arena;

/* Parses and prints src; returns a malloc'd string or NULL when it does not parse. */
static char *reprint(const char *src)
{
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, src, strlen(src), NULL, &errors);
    if (doc == NULL) {
        fprintf(stderr, "  parse failed: %s\n  source: %s\n", errors.head->message, src);
        return NULL;
    }
    gg_buf out;
    gg_buf_init(&out);
    gg_print_document(&out, doc);
    gg_buf_putc(&out, '\0');
    return gg_buf_take(&out, NULL);
}

static const struct {
    const char *src;
    const char *printed;
} documents[] = {
    {"{ aVeryLongFieldNameToTestTheWrapping(firstArgument: \"some string value\", secondArgument: 12345) }",
     "{\n  aVeryLongFieldNameToTestTheWrapping(\n    firstArgument: \"some string value\"\n    secondArgument: 12345\n "
     " )\n}"},
    {"{ alias: aVeryLongFieldNameToTestTheWrapping(firstArgument: \"some string\", secondArgument: 1) { a } }",
     "{\n  alias: aVeryLongFieldNameToTestTheWrapping(\n    firstArgument: \"some string\"\n    secondArgument: 1\n  ) "
     "{\n    a\n  }\n}"},
    {"{ a { b { c { d(x: \"0123456789012345678901234567890123456789012345678901234567890123456\") } } } }",
     "{\n  a {\n    b {\n      c {\n        d(x: "
     "\"0123456789012345678901234567890123456789012345678901234567890123456\")\n      }\n    }\n  }\n}"},
    {"{ d(x: \"01234567890123456789012345678901234567890123456789012345678901234567890123\") }",
     "{\n  d(\n    x: \"01234567890123456789012345678901234567890123456789012345678901234567890123\"\n  )\n}"},
    {"{ d(x: \"0123456789012345678901234567890123456789012345678901234567890123456789012\") }",
     "{\n  d(\n    x: \"0123456789012345678901234567890123456789012345678901234567890123456789012\"\n  )\n}"},
    {"{ d(x: \"😀123456789012345678901234567890123456789012345678901234567890123456789012\") }",
     "{\n  d(\n    x: \"😀123456789012345678901234567890123456789012345678901234567890123456789012\"\n  )\n}"},
    {"{ a { d(x: \"\"\"block\n  string\n\n  with lines\"\"\", y: [1, 2, {a: 3, b: [true, false, null, ENUM, $v]}]) "
     "@d(z: 1.5e10) } }",
     "{\n  a {\n    d(\n      x: \"\"\"\n      block\n      string\n      \n      with lines\n      \"\"\"\n      y: "
     "[1, 2, {a: 3, b: [true, false, null, ENUM, $v]}]\n    ) @d(z: 1.5e10)\n  }\n}"},
    {"{ a(x: \"\"\"a\n b\"\"\", y: \"\"\"a\nb\"\"\", z: \"\"\"a\n\n b\"\"\") }",
     "{\n  a(x: \"\"\"\n  a\n  b\n  \"\"\", y: \"\"\"\n  a\n  b\n  \"\"\", z: \"\"\"\n  a\n  \n  b\n  \"\"\")\n}"},
    {"{ a(x: \"\"\"0123456789012345678901234567890123456789012345678901234567890123456789012\"\"\") }",
     "{\n  a(\n    x: \"\"\"\n    0123456789012345678901234567890123456789012345678901234567890123456789012\n    "
     "\"\"\"\n  )\n}"},
    {"{ a(x: \"quote \\\" back \\\\ slash / \\b \\f \\n \\r \\t \\u0000 \\u001f \\u007f \\u0080 \\u009f \\u00a0 é "
     "\\u{1F600}\") }",
     "{\n  a(\n    x: \"quote \\\" back \\\\ slash / \\b \\f \\n \\r \\t \\u0000 \\u001F \\u007F \\u0080 \\u009F   é "
     "😀\"\n  )\n}"},
    {"query Q($a: Int = 1, $b: [String!]! = [\"x\"] @d) @q { ...F ... on T { a } ... @skip(if: true) { b } ... { c } }",
     "query Q($a: Int = 1, $b: [String!]! = [\"x\"] @d) @q {\n  ...F\n  ... on T {\n    a\n  }\n  ... @skip(if: true) "
     "{\n    b\n  }\n  ... {\n    c\n  }\n}"},
    {"query ($a: Int) { a }", "query ($a: Int) {\n  a\n}"},
    {"query @d { a }", "query @d {\n  a\n}"},
    {"mutation { a }", "mutation {\n  a\n}"},
    {"subscription S { a }", "subscription S {\n  a\n}"},
    {"query Q { a }", "query Q {\n  a\n}"},
    {"\"desc\" query { a }", "\"desc\"\nquery {\n  a\n}"},
    {"\"\"\"desc\"\"\" query Q { a }", "\"\"\"desc\"\"\"\nquery Q {\n  a\n}"},
    {"query Q(\"d\" $a: Int, $b: Int) { a }", "query Q(\n\"d\"\n$a: Int\n$b: Int\n) {\n  a\n}"},
    {"query Q(\"\"\"d\nmore\"\"\" $a: Int, $b: Int) { a }",
     "query Q(\n\"\"\"\nd\nmore\n\"\"\"\n$a: Int\n$b: Int\n) {\n  a\n}"},
    {"query Q($a: String = \"\"\"x\ny\"\"\") { a }", "query Q(\n$a: String = \"\"\"\nx\ny\n\"\"\"\n) {\n  a\n}"},
    {"fragment F on T @a @b { a }", "fragment F on T @a @b {\n  a\n}"},
    {"fragment F on T { a }", "fragment F on T {\n  a\n}"},
    {"\"d\" fragment F on T { a }", "\"d\"\nfragment F on T {\n  a\n}"},
    {"\"d\" type Q implements & A & B @d { \"fd\" a(\"ad\" x: Int = 1 @d, y: Int): [Int!]! @d b(x: Int, y: [Int] = "
     "[1]): Int \"\"\"multi\nline\"\"\" c: Int }",
     "\"d\"\ntype Q implements A & B @d {\n  \"fd\"\n  a(\n    \"ad\"\n    x: Int = 1 @d\n    y: Int\n  ): [Int!]! "
     "@d\n  b(x: Int, y: [Int] = [1]): Int\n  \"\"\"\n  multi\n  line\n  \"\"\"\n  c: Int\n}"},
    {"interface I implements A & B @d { a: Int }", "interface I implements A & B @d {\n  a: Int\n}"},
    {"interface I", "interface I"},
    {"type T", "type T"},
    {"type T @d", "type T @d"},
    {"type T implements A", "type T implements A"},
    {"union U = | A | B", "union U = A | B"},
    {"union U @d", "union U @d"},
    {"union U @d = A", "union U @d = A"},
    {"enum E { A B @d \"x\" C \"\"\"y\"\"\" D }", "enum E {\n  A\n  B @d\n  \"x\"\n  C\n  \"\"\"y\"\"\"\n  D\n}"},
    {"enum E @d", "enum E @d"},
    {"input I { a: Int = 1 @d, \"d\" b: [I!] }", "input I {\n  a: Int = 1 @d\n  \"d\"\n  b: [I!]\n}"},
    {"input I @d", "input I @d"},
    {"schema @d { query: Q mutation: M subscription: S }",
     "schema @d {\n  query: Q\n  mutation: M\n  subscription: S\n}"},
    {"\"\"\"d\"\"\" schema { query: Q }", "\"\"\"d\"\"\"\nschema {\n  query: Q\n}"},
    {"\"d\" schema { query: Q }", "\"d\"\nschema {\n  query: Q\n}"},
    {"\"d\" scalar S @d", "\"d\"\nscalar S @d"},
    {"scalar S", "scalar S"},
    {"directive @x(a: Int = 1, b: [String]) repeatable on FIELD | QUERY",
     "directive @x(a: Int = 1, b: [String]) repeatable on FIELD | QUERY"},
    {"directive @x on | FIELD", "directive @x on FIELD"},
    {"\"d\" directive @x(\"a\" a: Int) on FIELD", "\"d\"\ndirective @x(\n  \"a\"\n  a: Int\n) on FIELD"},
    {"directive @x on FIELD", "directive @x on FIELD"},
    {"extend schema @d", "extend schema @d"},
    {"extend schema { query: Q }", "extend schema {\n  query: Q\n}"},
    {"extend schema @d { query: Q }", "extend schema @d {\n  query: Q\n}"},
    {"extend scalar S @d", "extend scalar S @d"},
    {"extend type T implements I", "extend type T implements I"},
    {"extend type T { a: Int }", "extend type T {\n  a: Int\n}"},
    {"extend type T implements I & J @d { a: Int }", "extend type T implements I & J @d {\n  a: Int\n}"},
    {"extend interface I @d", "extend interface I @d"},
    {"extend union U = A", "extend union U = A"},
    {"extend union U @d", "extend union U @d"},
    {"extend enum E { A }", "extend enum E {\n  A\n}"},
    {"extend input I { a: Int }", "extend input I {\n  a: Int\n}"},
    {"type T { a(veryLongArgumentNameNumberOne: String, veryLongArgumentNameNumberTwo: String, three: Int): Int }",
     "type T {\n  a(veryLongArgumentNameNumberOne: String, veryLongArgumentNameNumberTwo: String, three: Int): Int\n}"},
    {"{ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1, cccccccccccc: 22) }",
     "{\n  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(\n    bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1\n    cccccccccccc: 22\n  )\n}"},
    {"{ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1, cccccccccccc: 222) }",
     "{\n  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(\n    bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1\n    cccccccccccc: 222\n  )\n}"},
    {"{ a { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1, cccccccccccc: 222) { x(y: "
     "\"\"\"p\nq\"\"\") } } }",
     "{\n  a {\n    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(\n      bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1\n      cccccccccccc: "
     "222\n    ) {\n      x(y: \"\"\"\n      p\n      q\n      \"\"\")\n    }\n  }\n}"},
    {"{ f(a: \"\"\"0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n0123456789\"\"\") }",
     "{\n  f(\n    a: \"\"\"\n    0123456789\n    0123456789\n    0123456789\n    0123456789\n    0123456789\n    "
     "0123456789\n    0123456789\n    \"\"\"\n  )\n}"},
    {"{ f(a: \"\"\"01234567890123456789\n01234567890123456789\n0123456789012345678901234567890123456789\"\"\") }",
     "{\n  f(\n    a: \"\"\"\n    01234567890123456789\n    01234567890123456789\n    "
     "0123456789012345678901234567890123456789\n    \"\"\"\n  )\n}"},
    {"{ a } { b }", "{\n  a\n}\n\n{\n  b\n}"},
    {"query A { a } query B { b }", "query A {\n  a\n}\n\nquery B {\n  b\n}"},
    {"{ a(x: {}) b(y: []) }", "{\n  a(x: {})\n  b(y: [])\n}"},
    {"{ a(x: -1.5E-3, y: 0, z: -0) }", "{\n  a(x: -1.5E-3, y: 0, z: -0)\n}"},
    {"type T { \"\"\"\n  Indented\n    more\n\"\"\"\n  a(\"\"\"arg\"\"\" x: Int): Int }",
     "type T {\n  \"\"\"\n  Indented\n    more\n  \"\"\"\n  a(\n    \"\"\"arg\"\"\"\n    x: Int\n  ): Int\n}"},
    {"\"\"\"\ntype\ndesc\n\"\"\"\ntype T { a: Int }", "\"\"\"\ntype\ndesc\n\"\"\"\ntype T {\n  a: Int\n}"},
    {"{ a(x: \"\"\"  \"\"\") b(x: \"\"\"\t x\"\"\") c(x: \"\"\"x\"\"\") d(x: \"\"\"x\"\"\") }",
     "{\n  a(x: \"\"\"\"\"\")\n  b(x: \"\"\"\t x\"\"\")\n  c(x: \"\"\"x\"\"\")\n  d(x: \"\"\"x\"\"\")\n}"},
    {"{ a(x: \"\"\"a\\\"\"\"\"\"\") }", "{\n  a(x: \"\"\"\n  a\\\"\"\"\n  \"\"\")\n}"},
    /* the 80-column rule at its boundary: 80 stays on one line, 81 wraps (UTF-16 units,
     * nested indentation not counted) */
    {"{ ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1) }",
     "{\n  ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1)\n}"},
    {"{ fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1) }",
     "{\n  fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(\n    a: 1\n  )\n}"},
    {"{ al: ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1) }",
     "{\n  al: ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1)\n}"},
    {"{ al: fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: 1) }",
     "{\n  al: fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(\n    a: 1\n  )\n}"},
    {"{ fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: \"😀\") }",
     "{\n  fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: \"😀\")\n}"},
    {"{ ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(a: \"😀\") }",
     "{\n  ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(\n    a: \"😀\"\n  )\n}"},
    {"{ a { b { ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(x: \"\"\"p\nq\"\"\") } } }",
     "{\n  a {\n    b {\n      ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(x: \"\"\"\n      p\n   "
     "   q\n      \"\"\")\n    }\n  }\n}"},
    {"{ a { b { fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(x: \"\"\"p\nq\"\"\") } } }",
     "{\n  a {\n    b {\n      fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff(\n        x: \"\"\"\n "
     "       p\n        q\n        \"\"\"\n      )\n    }\n  }\n}"},
    /* argument and variable definitions: one per line once one of them spans several lines */
    {"\"\"\"multi\nline\"\"\" type T { f(\"\"\"  lead\"\"\" a0: In): Int \"\"\"  lead\"\"\" g: Int }",
     "\"\"\"\nmulti\nline\n\"\"\"\ntype T {\n  f(\n    \"\"\"  lead\"\"\"\n    a0: In\n  ): Int\n  \"\"\"  "
     "lead\"\"\"\n  g: Int\n}"},
    {"type T { \"d\" f(a0: In): Int \"\"\"multi\nline\"\"\" g: Int }",
     "type T {\n  \"d\"\n  f(a0: In): Int\n  \"\"\"\n  multi\n  line\n  \"\"\"\n  g: Int\n}"},
    {"\"\"\"block\"\"\" type T { \"\"\"  lead\"\"\" f(\"\"\"block\"\"\" a0: In @d(x: \"\"\"x\ny\"\"\")): Int \"d\" g: "
     "Int }",
     "\"\"\"block\"\"\"\ntype T {\n  \"\"\"  lead\"\"\"\n  f(\n    \"\"\"block\"\"\"\n    a0: In @d(x: \"\"\"\n    x\n "
     "   y\n    \"\"\")\n  ): Int\n  \"d\"\n  g: Int\n}"},
    {"\"\"\"  lead\"\"\" type T { \"\"\"  lead\"\"\" f(\"\"\"multi\nline\"\"\" a0: [String!]! @d(x: {a: "
     "\"\"\"q\"\"\"})): Int \"\"\"  lead\"\"\" g: Int }",
     "\"\"\"  lead\"\"\"\ntype T {\n  \"\"\"  lead\"\"\"\n  f(\n    \"\"\"\n    multi\n    line\n    \"\"\"\n    a0: "
     "[String!]! @d(x: {a: \"\"\"q\"\"\"})\n  ): Int\n  \"\"\"  lead\"\"\"\n  g: Int\n}"},
    {"\"d\" type T { \"d\" f(\"\"\"multi\nline\"\"\" a0: Int): Int \"d\" g: Int }",
     "\"d\"\ntype T {\n  \"d\"\n  f(\n    \"\"\"\n    multi\n    line\n    \"\"\"\n    a0: Int\n  ): Int\n  \"d\"\n  "
     "g: Int\n}"},
    {"\"\"\"block\"\"\" type T { \"\"\"multi\nline\"\"\" f(a0: [String!]!): Int \"d\" g: Int }",
     "\"\"\"block\"\"\"\ntype T {\n  \"\"\"\n  multi\n  line\n  \"\"\"\n  f(a0: [String!]!): Int\n  \"d\"\n  g: "
     "Int\n}"},
    {"type T { \"\"\"multi\nline\"\"\" f(\"d\" a0: In @d(x: {a: \"\"\"q\"\"\"})): Int \"d\" g: Int }",
     "type T {\n  \"\"\"\n  multi\n  line\n  \"\"\"\n  f(\n    \"d\"\n    a0: In @d(x: {a: \"\"\"q\"\"\"})\n  ): Int\n "
     " \"d\"\n  g: Int\n}"},
    {"\"d\" type T { \"\"\"  lead\"\"\" f(a0: Int): Int g: Int }",
     "\"d\"\ntype T {\n  \"\"\"  lead\"\"\"\n  f(a0: Int): Int\n  g: Int\n}"},
    {"\"\"\"  lead\"\"\" type T { \"d\" f(a0: In @d(x: 1)): Int \"d\" g: Int }",
     "\"\"\"  lead\"\"\"\ntype T {\n  \"d\"\n  f(a0: In @d(x: 1)): Int\n  \"d\"\n  g: Int\n}"},
    {"\"\"\"multi\nline\"\"\" type T { \"\"\"block\"\"\" f(a0: [String!]! @d(x: {a: \"\"\"q\"\"\"})): Int \"d\" g: Int "
     "}",
     "\"\"\"\nmulti\nline\n\"\"\"\ntype T {\n  \"\"\"block\"\"\"\n  f(a0: [String!]! @d(x: {a: \"\"\"q\"\"\"})): Int\n "
     " \"d\"\n  g: Int\n}"},
};

static void test_documents_print_like_graphql_js(void)
{
    for (size_t i = 0; i < sizeof(documents) / sizeof(documents[0]); i++) {
        char *printed = reprint(documents[i].src);
        CHECK_STR(printed, documents[i].printed);
        char *again = printed ? reprint(printed) : NULL;
        CHECK_STR(again, documents[i].printed);
        free(printed);
        free(again);
        gg_arena_free(&arena);
    }
}

static void check_value(const char *src, const char *expected)
{
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_value *v = gg_parse_value(&arena, src, strlen(src), &errors);
    CHECK(v != NULL);
    gg_buf out;
    gg_buf_init(&out);
    if (v) gg_print_value(&out, v);
    CHECK_STR(out.data ? out.data : "", expected);
    gg_buf_free(&out);
    gg_arena_free(&arena);
}

static void check_type(const char *src, const char *expected)
{
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_type_ref *t = gg_parse_type(&arena, src, strlen(src), &errors);
    CHECK(t != NULL);
    gg_buf out;
    gg_buf_init(&out);
    if (t) gg_print_type_ref(&out, t);
    CHECK_STR(out.data ? out.data : "", expected);
    gg_buf_free(&out);
    gg_arena_free(&arena);
}

static void test_values_and_types(void)
{
    check_value("[1, {a: $v, b: \"\"\"x\ny\"\"\"}]", "[1, {a: $v, b: \"\"\"\nx\ny\n\"\"\"}]");
    check_value("{ a : [ ENUM , null,true ] , b:\"\\u00e9\\u0001\" }",
                "{a: [ENUM, null, true], b: \"\xC3\xA9\\u0001\"}");
    check_value("\"\"\"  leading space\"\"\"", "\"\"\"  leading space\"\"\"");
    check_value("-1.5e+10", "-1.5e+10");
    check_type("[ [ String ! ] ! ]", "[[String!]!]");
    check_type("Int", "Int");
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_documents_print_like_graphql_js);
    RUN(test_values_and_types);
    gg_arena_free(&arena);
    return test_summary();
}
