/* Tests for server/graphql/language/lexer.c: every token kind with its value and location,
 * ignored tokens, line terminators, UTF-16 columns, string escapes and block-string
 * indentation removal, and graphql-js 16.15's error messages and locations (expected values
 * generated once with graphql-js's Lexer on inputs written for these tests). */
#include <string.h>

#include "../../test.h"
#include "graphql/language/lexer.h"

#define S(literal) literal, sizeof(literal) - 1

static gg_arena arena;

static void lexer_on(gg_lexer *lx, const char *src, size_t len)
{
    gg_lexer_init(lx, &arena, src, len);
}

static void test_every_token_kind(void)
{
    static const char src[] = "! $ & ( ) ... : = @ [ ] { | } name _n2 12 -3 1.5 -0.5e-3 1E2 \"s\" \"\"\"b\"\"\"";
    static const struct {
        gg_token_kind kind;
        const char *value;
        unsigned column;
    } expected[] = {
        {GG_TOK_BANG, NULL, 1},       {GG_TOK_DOLLAR, NULL, 3},       {GG_TOK_AMP, NULL, 5},
        {GG_TOK_PAREN_L, NULL, 7},    {GG_TOK_PAREN_R, NULL, 9},      {GG_TOK_SPREAD, NULL, 11},
        {GG_TOK_COLON, NULL, 15},     {GG_TOK_EQUALS, NULL, 17},      {GG_TOK_AT, NULL, 19},
        {GG_TOK_BRACKET_L, NULL, 21}, {GG_TOK_BRACKET_R, NULL, 23},   {GG_TOK_BRACE_L, NULL, 25},
        {GG_TOK_PIPE, NULL, 27},      {GG_TOK_BRACE_R, NULL, 29},     {GG_TOK_NAME, "name", 31},
        {GG_TOK_NAME, "_n2", 36},     {GG_TOK_INT, "12", 40},         {GG_TOK_INT, "-3", 43},
        {GG_TOK_FLOAT, "1.5", 46},    {GG_TOK_FLOAT, "-0.5e-3", 50},  {GG_TOK_FLOAT, "1E2", 58},
        {GG_TOK_STRING, "s", 62},     {GG_TOK_BLOCK_STRING, "b", 66}, {GG_TOK_EOF, NULL, 73},
    };
    gg_lexer lx;
    lexer_on(&lx, S(src));
    CHECK_INT(lx.token.kind, GG_TOK_SOF);
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        const gg_token *t = gg_lexer_advance(&lx);
        CHECK_INT(t->kind, expected[i].kind);
        CHECK_INT(t->loc.line, 1);
        CHECK_INT(t->loc.column, expected[i].column);
        CHECK_INT(t->loc.offset, expected[i].column - 1);
        if (expected[i].value) {
            CHECK_INT(t->len, strlen(expected[i].value));
            CHECK(t->value && memcmp(t->value, expected[i].value, t->len) == 0);
        }
    }
    CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_EOF); /* EOF repeats */
    CHECK(lx.error == NULL);
    gg_arena_free(&arena);
}

static void test_ignored_tokens_and_lines(void)
{
    gg_lexer lx;
    lexer_on(&lx, S("\xEF\xBB\xBF,\t# comment \xF0\x9F\x98\x80\n  a,,b\rc\r\nd\n\n  \xEF\xBB\xBF e # trailing"));
    static const struct {
        const char *name;
        unsigned offset, line, column;
    } expected[] = {{"a", 22, 2, 3}, {"b", 25, 2, 6}, {"c", 27, 3, 1}, {"d", 30, 4, 1}, {"e", 39, 6, 5}};
    for (size_t i = 0; i < 5; i++) {
        const gg_token *t = gg_lexer_advance(&lx);
        CHECK_INT(t->kind, GG_TOK_NAME);
        CHECK(t->len == 1 && t->value[0] == expected[i].name[0]);
        CHECK_INT(t->loc.offset, expected[i].offset);
        CHECK_INT(t->loc.line, expected[i].line);
        CHECK_INT(t->loc.column, expected[i].column);
    }
    CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_EOF);
    gg_arena_free(&arena);
}

/* Long indentation (passed 8 bytes at a time), a tab and a comma after it, CR LF, and long
 * comments with multi-byte characters (scanned 8 bytes at a time): lines and columns as
 * graphql-js's Lexer gives them (offsets in bytes here, so 3 more after "é😀"). */
static void test_long_indentation_and_comments(void)
{
    gg_lexer lx;
    lexer_on(
        &lx,
        S("a\n                 b\n        \tc\n         ,d\n# a comment longer than eight bytes "
          "\xC3\xA9\xF0\x9F\x98\x80 then more text\n   e\r\n           f # trailing comment of more than 8 bytes"));
    static const struct {
        char name;
        unsigned offset, line, column;
    } expected[] = {{'a', 0, 1, 1},   {'b', 19, 2, 18}, {'c', 30, 3, 10},
                    {'d', 42, 4, 11}, {'e', 105, 6, 4}, {'f', 119, 7, 12}};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const gg_token *t = gg_lexer_advance(&lx);
        CHECK_INT(t->kind, GG_TOK_NAME);
        CHECK(t->len == 1 && t->value[0] == expected[i].name);
        CHECK_INT(t->loc.offset, expected[i].offset);
        CHECK_INT(t->loc.line, expected[i].line);
        CHECK_INT(t->loc.column, expected[i].column);
    }
    CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_EOF);

    /* an invalid byte after eight plain bytes of a comment is still an error, at that byte */
    lexer_on(&lx, S("# 12345678\xFF\nx"));
    CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_ERROR);
    CHECK_STR(lx.error, "Syntax Error: Invalid UTF-8 sequence starting with byte 0xFF.");
    CHECK_INT(lx.error_loc.line, 1);
    CHECK_INT(lx.error_loc.column, 11);
    gg_arena_free(&arena);
}

static void test_columns_count_utf16_units(void)
{
    gg_lexer lx;
    /* "é😀" is 6 bytes but 3 UTF-16 units: x is at column 1 + 5 + 1 */
    lexer_on(&lx, S("\"\xC3\xA9\xF0\x9F\x98\x80\" x \"\"\"a\n\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"\"\" y"));
    gg_lexer_advance(&lx);
    const gg_token *x = gg_lexer_advance(&lx);
    CHECK_INT(x->loc.offset, 9);
    CHECK_INT(x->loc.column, 7);
    const gg_token *block = gg_lexer_advance(&lx);
    CHECK_INT(block->kind, GG_TOK_BLOCK_STRING);
    CHECK_INT(block->loc.column, 9);
    const gg_token *y = gg_lexer_advance(&lx);
    CHECK_INT(y->loc.line, 2);
    CHECK_INT(y->loc.column, 9);

    gg_loc loc = gg_lexer_loc_at(S("a\r\n\xC3\xA9\xF0\x9F\x98\x80z"), 9);
    CHECK_INT(loc.line, 2);
    CHECK_INT(loc.column, 4);
    gg_arena_free(&arena);
}

static void test_lookahead_does_not_consume(void)
{
    gg_lexer lx;
    lexer_on(&lx, S("a \"b\" c"));
    gg_lexer_advance(&lx);
    const gg_token *ahead = gg_lexer_lookahead(&lx);
    CHECK_INT(ahead->kind, GG_TOK_STRING);
    CHECK_INT(gg_lexer_lookahead(&lx)->loc.offset, 2);
    CHECK_INT(lx.token.kind, GG_TOK_NAME);
    CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_STRING);
    CHECK_INT(gg_lexer_advance(&lx)->loc.offset, 6);
    gg_arena_free(&arena);
}

static const struct {
    const char *src;
    size_t len;
    const char *value;
    size_t value_len;
} string_values[] = {
    {S("\"\""), S("")},
    {S("\"plain\""), S("plain")},
    {S("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""), S("\" \\ / \010 \014 \n \r \t")},
    {S("\"\\u0041\\u00e9\\u20AC\\uD83D\\uDE00\\u{1F600}\\u{41}\\u{0000041}\""), S("Aé€😀😀AA")},
    {S("\"é€😀\""), S("é€😀")},
    {S("\"\\u0000x\""), S("\000x")},
    {S("\"a\001b\177\""), S("a\001b\177")},
    {S("\"\"\"simple\"\"\""), S("simple")},
    {S("\"\"\"\n    indented\n      more\n    back\n\"\"\""), S("indented\n  more\nback")},
    {S("\"\"\"  first keeps\n    common\n    lines\"\"\""), S("  first keeps\ncommon\nlines")},
    {S("\"\"\"\n\n  \n  a\n  \n\n\"\"\""), S("a")},
    {S("\"\"\"a\\\"\"\"b\"\"\""), S("a\"\"\"b")},
    {S("\"\"\"\\n not an escape \\u0041\"\"\""), S("\\n not an escape \\u0041")},
    {S("\"\"\"\r\n  crlf\r\n  lines\r\n\"\"\""), S("crlf\nlines")},
    {S("\"\"\"\t\ttabs\n\t\tsame\"\"\""), S("\t\ttabs\nsame")},
    {S("\"\"\"   \"\"\""), S("")},
    {S("\"\"\"\"\"\""), S("")},
    {S("\"\"\"a\n b\n  c\"\"\""), S("a\nb\n c")},
    {S("\"\"\"\n  a\n\n    b\n\"\"\""), S("a\n\n  b")},
    {S("\"\"\"x\"y\"\"z\"\"\""), S("x\"y\"\"z")},
    {S("\"\"\"é\n 😀\"\"\""), S("é\n😀")},
};

static void test_string_values(void)
{
    for (size_t i = 0; i < sizeof(string_values) / sizeof(string_values[0]); i++) {
        gg_lexer lx;
        lexer_on(&lx, string_values[i].src, string_values[i].len);
        const gg_token *t = gg_lexer_advance(&lx);
        CHECK(t->kind == GG_TOK_STRING || t->kind == GG_TOK_BLOCK_STRING);
        CHECK_INT(t->len, string_values[i].value_len);
        CHECK(t->value && memcmp(t->value, string_values[i].value, string_values[i].value_len + 1) == 0);
        if (t->kind == GG_TOK_ERROR) fprintf(stderr, "  %s\n", lx.error);
        CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_EOF);
    }
    gg_arena_free(&arena);
}

/* Expected messages and locations: graphql-js 16.15.0's Lexer on the same text. */
static const struct {
    const char *src;
    size_t len;
    const char *message;
    unsigned line, column;
} lexer_errors[] = {
    {S("?"), "Syntax Error: Unexpected character: \"?\".", 1, 1},
    {S("'"), "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 1},
    {S("^"), "Syntax Error: Unexpected character: \"^\".", 1, 1},
    {S("é"), "Syntax Error: Unexpected character: U+00E9.", 1, 1},
    {S("😀"), "Syntax Error: Unexpected character: U+1F600.", 1, 1},
    {S("\007"), "Syntax Error: Unexpected character: U+0007.", 1, 1},
    {S("a .."), "Syntax Error: Unexpected character: \".\".", 1, 3},
    {S("."), "Syntax Error: Unexpected character: \".\".", 1, 1},
    {S("a .b"), "Syntax Error: Unexpected character: \".\".", 1, 3},
    {S("00"), "Syntax Error: Invalid number, unexpected digit after 0: \"0\".", 1, 2},
    {S("01"), "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 2},
    {S("-"), "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 2},
    {S("-x"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 2},
    {S("1."), "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3},
    {S("1.x"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 3},
    {S("1e"), "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3},
    {S("1e+"), "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 4},
    {S("1ex"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 3},
    {S("1.5."), "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 4},
    {S("1a"), "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 2},
    {S("1_"), "Syntax Error: Invalid number, expected digit but got: \"_\".", 1, 2},
    {S("0x"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 2},
    {S("1.0e"), "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 5},
    {S("\"abc"), "Syntax Error: Unterminated string.", 1, 5},
    {S("\"abc\ndef\""), "Syntax Error: Unterminated string.", 1, 5},
    {S("\"a\rb\""), "Syntax Error: Unterminated string.", 1, 3},
    {S("\"\\"), "Syntax Error: Invalid character escape sequence: \"\\\".", 1, 2},
    {S("\"\\x\""), "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 2},
    {S("\"\\u\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u\"\".", 1, 2},
    {S("\"\\u12\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u12\"\".", 1, 2},
    {S("\"\\uZZZZ\""), "Syntax Error: Invalid Unicode escape sequence: \"\\uZZZZ\".", 1, 2},
    {S("\"\\uD800\""), "Syntax Error: Invalid Unicode escape sequence: \"\\uD800\".", 1, 2},
    {S("\"\\uDFFF\""), "Syntax Error: Invalid Unicode escape sequence: \"\\uDFFF\".", 1, 2},
    {S("\"\\uD800\\uD800\""), "Syntax Error: Invalid Unicode escape sequence: \"\\uD800\".", 1, 2},
    {S("\"\\uD800\\n\""), "Syntax Error: Invalid Unicode escape sequence: \"\\uD800\".", 1, 2},
    {S("\"\\u{\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{\"\".", 1, 2},
    {S("\"\\u{}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".", 1, 2},
    {S("\"\\u{110000}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2},
    {S("\"\\u{D800}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 2},
    {S("\"\\u{DFFF}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{DFFF}\".", 1, 2},
    {S("\"\\u{0000000041}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{000000004\".", 1, 2},
    {S("\"\\u{FFFFFFFF}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 2},
    {S("\"\\u{12x}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{12x\".", 1, 2},
    {S("\"\\u{1F600\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{1F600\"\".", 1, 2},
    {S("\"\\u{é}\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u{é\".", 1, 2},
    {S("\"\\é\""), "Syntax Error: Invalid character escape sequence: \"\\é\".", 1, 2},
    /* Invalid UTF-8 after an escape is quoted as U+FFFD: messages are always valid UTF-8 (fuzzing). */
    {S("\"\\u{1\xF0\x9F\x98"
       "A}\""),
     "Syntax Error: Invalid Unicode escape sequence: \"\\u{1\xEF\xBF\xBD\".", 1, 2},
    {S("\"\\u12\xC3\""), "Syntax Error: Invalid Unicode escape sequence: \"\\u12\xEF\xBF\xBD\"\".", 1, 2},
    {S("\"\\\xFF\xFE\""), "Syntax Error: Invalid character escape sequence: \"\\\xEF\xBF\xBD\".", 1, 2},
    {S("\"\"\"abc"), "Syntax Error: Unterminated string.", 1, 7},
    {S("\"\"\"abc\n\ndef\"\""), "Syntax Error: Unterminated string.", 3, 6},
    {S("\"\"\"a\\\"\"\""), "Syntax Error: Unterminated string.", 1, 9},
    {S("a\n  b\r\n  ?"), "Syntax Error: Unexpected character: \"?\".", 3, 3},
    {S("\"\"\"\n\n  x\"\"\" ?"), "Syntax Error: Unexpected character: \"?\".", 3, 8},
    {S("# comment\n\t\t?"), "Syntax Error: Unexpected character: \"?\".", 2, 3},
    {S("\xEF\xBB\xBF?"), "Syntax Error: Unexpected character: \"?\".", 1, 2},
    {S("\"é😀\" ?"), "Syntax Error: Unexpected character: \"?\".", 1, 7},
    {S("a,b,,c ?"), "Syntax Error: Unexpected character: \"?\".", 1, 8},
};

static void test_errors_match_graphql_js(void)
{
    for (size_t i = 0; i < sizeof(lexer_errors) / sizeof(lexer_errors[0]); i++) {
        gg_lexer lx;
        lexer_on(&lx, lexer_errors[i].src, lexer_errors[i].len);
        const gg_token *t;
        do {
            t = gg_lexer_advance(&lx);
        } while (t->kind != GG_TOK_EOF && t->kind != GG_TOK_ERROR);
        CHECK_INT(t->kind, GG_TOK_ERROR);
        CHECK_STR(lx.error, lexer_errors[i].message);
        CHECK_INT(lx.error_loc.line, lexer_errors[i].line);
        CHECK_INT(lx.error_loc.column, lexer_errors[i].column);
        CHECK_INT(gg_lexer_advance(&lx)->kind, GG_TOK_ERROR); /* the error sticks */
    }
    gg_arena_free(&arena);
}

static void test_utf8_decode(void)
{
    uint32_t cp = 0;
    CHECK_INT(gg_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    CHECK_INT(cp, 'A');
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xF4\x8F\xBF\xBF", 4, &cp), 4);
    CHECK_INT(cp, 0x10FFFF);
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 0); /* above U+10FFFF */
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 0);     /* a surrogate */
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xE0\x80\x80", 3, &cp), 0);     /* overlong */
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xC1\xBF", 2, &cp), 0);         /* overlong */
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\xC3\xA9", 1, &cp), 0);         /* truncated */
    CHECK_INT(gg_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
    CHECK_INT(gg_utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

static void test_token_kind_descriptions(void)
{
    CHECK_STR(gg_token_kind_desc(GG_TOK_EOF), "<EOF>");
    CHECK_STR(gg_token_kind_desc(GG_TOK_SPREAD), "\"...\"");
    CHECK_STR(gg_token_kind_desc(GG_TOK_BRACE_R), "\"}\"");
    CHECK_STR(gg_token_kind_desc(GG_TOK_NAME), "Name");
    CHECK_STR(gg_token_kind_desc(GG_TOK_BLOCK_STRING), "BlockString");
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_every_token_kind);
    RUN(test_ignored_tokens_and_lines);
    RUN(test_long_indentation_and_comments);
    RUN(test_columns_count_utf16_units);
    RUN(test_lookahead_does_not_consume);
    RUN(test_string_values);
    RUN(test_errors_match_graphql_js);
    RUN(test_utf8_decode);
    RUN(test_token_kind_descriptions);
    gg_arena_free(&arena);
    return test_summary();
}
