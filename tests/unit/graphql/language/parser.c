/* Tests for server/graphql/language/parser.c: the AST a user gets for executable documents and
 * SDL, graphql-js's error messages and locations (expected values generated once with graphql-js
 * 16.15.0 from documents written for these tests), token counts, the max_tokens and max_depth
 * limits, and pathological input (deep nesting, huge strings, invalid UTF-8, NUL bytes,
 * truncation at every byte) that must give one clean error, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "../../test.h"
#include "graphql/language/parser.h"

#define S(literal) literal, sizeof(literal) - 1

static gg_arena arena;
static gg_error_list errors;

/* Parses src with fresh errors; the arena is reset by the caller's reset(). */
static gg_document *parse_opts(const char *src, size_t len, const gg_parse_options *opts)
{
    gg_error_list_init(&errors, &arena);
    return gg_parse(&arena, src, len, opts, &errors);
}

static gg_document *parse(const char *src)
{
    return parse_opts(src, strlen(src), NULL);
}

static void reset(void)
{
    gg_arena_free(&arena);
    gg_arena_init(&arena);
}

static const char *first_error(void)
{
    return errors.head ? errors.head->message : "(no error)";
}

static void check_loc(gg_loc loc, unsigned offset, unsigned line, unsigned column)
{
    CHECK_INT(loc.offset, offset);
    CHECK_INT(loc.line, line);
    CHECK_INT(loc.column, column);
}

static const char executable_doc[] =
    "query Q($id: ID! = \"x\" @v, $list: [Int]) @op {\n"
    "  alias: field(a: 1, b: -2.5e3, c: \"s\\u00e9\", d: true, e: null, f: ENUM, g: [1, $id], h: {k: $list}) "
    "@skip(if: false) {\n"
    "    ...Frag @d\n"
    "    ... on T { x }\n"
    "    ... { y }\n"
    "  }\n"
    "}\n"
    "fragment Frag on T { z }\n"
    "{ short }\n";

static void test_executable_document(void)
{
    gg_document *doc = parse(executable_doc);
    CHECK(doc != NULL);
    if (!doc) return;
    CHECK_INT(doc->definition_count, 3);
    CHECK_INT(doc->token_count, 94); /* graphql-js tokenCount */
    CHECK(doc->source == executable_doc);

    const gg_definition *op = &doc->definitions[0];
    CHECK_INT(op->kind, GG_DEF_OPERATION);
    CHECK_INT(op->operation, GG_OP_QUERY);
    CHECK(!op->shorthand);
    CHECK_STR(op->name.value, "Q");
    check_loc(op->loc, 0, 1, 1);
    CHECK_INT(op->variable_count, 2);
    const gg_variable_definition *id = &op->variables[0];
    CHECK_STR(id->variable.value, "id");
    check_loc(id->loc, 8, 1, 9);
    check_loc(id->variable.loc, 8, 1, 9);
    CHECK_INT(id->type->kind, GG_TYPE_REF_NON_NULL);
    check_loc(id->type->loc, 13, 1, 14);
    CHECK_INT(id->type->of_type->kind, GG_TYPE_REF_NAMED);
    CHECK_STR(id->type->of_type->name.value, "ID");
    CHECK_INT(id->default_value->kind, GG_VALUE_STRING);
    CHECK_STR(id->default_value->text, "x");
    check_loc(id->default_value->loc, 19, 1, 20);
    CHECK_INT(id->directive_count, 1);
    CHECK_STR(id->directives[0].name.value, "v");
    const gg_variable_definition *list = &op->variables[1];
    CHECK_STR(list->variable.value, "list");
    CHECK_INT(list->type->kind, GG_TYPE_REF_LIST);
    CHECK_STR(list->type->of_type->name.value, "Int");
    CHECK(list->default_value == NULL);
    CHECK_INT(op->directive_count, 1);
    CHECK_STR(op->directives[0].name.value, "op");
    CHECK_INT(op->directives[0].arg_count, 0);

    const gg_selection_set *set = op->selection_set;
    check_loc(set->loc, 45, 1, 46);
    CHECK_INT(set->count, 1);
    const gg_selection *field = &set->selections[0];
    CHECK_INT(field->kind, GG_SELECTION_FIELD);
    check_loc(field->loc, 49, 2, 3);
    CHECK_STR(field->alias.value, "alias");
    check_loc(field->alias.loc, 49, 2, 3);
    CHECK_STR(field->name.value, "field");
    check_loc(field->name.loc, 56, 2, 10);
    CHECK_INT(field->arg_count, 8);
    check_loc(field->args[0].loc, 62, 2, 16);
    CHECK_STR(field->args[0].name.value, "a");
    CHECK_INT(field->args[0].value->kind, GG_VALUE_INT);
    CHECK_STR(field->args[0].value->text, "1");
    CHECK_INT(field->args[1].value->kind, GG_VALUE_FLOAT);
    CHECK_STR(field->args[1].value->text, "-2.5e3");
    CHECK_INT(field->args[2].value->kind, GG_VALUE_STRING);
    CHECK_STR(field->args[2].value->text, "s\xC3\xA9");
    CHECK_INT(field->args[2].value->len, 3);
    CHECK(!field->args[2].value->block);
    CHECK_INT(field->args[3].value->kind, GG_VALUE_BOOLEAN);
    CHECK(field->args[3].value->boolean);
    CHECK_INT(field->args[4].value->kind, GG_VALUE_NULL);
    CHECK_INT(field->args[5].value->kind, GG_VALUE_ENUM);
    CHECK_STR(field->args[5].value->text, "ENUM");
    const gg_value *g = field->args[6].value;
    CHECK_INT(g->kind, GG_VALUE_LIST);
    check_loc(g->loc, 123, 2, 77);
    CHECK_INT(g->item_count, 2);
    CHECK_INT(g->items[1]->kind, GG_VALUE_VARIABLE);
    CHECK_STR(g->items[1]->text, "id");
    const gg_value *h = field->args[7].value;
    CHECK_INT(h->kind, GG_VALUE_OBJECT);
    CHECK_INT(h->field_count, 1);
    CHECK_STR(h->fields[0].name.value, "k");
    CHECK_STR(h->fields[0].value->text, "list");
    CHECK_INT(field->directive_count, 1);
    CHECK_STR(field->directives[0].name.value, "skip");
    check_loc(field->directives[0].loc, 148, 2, 102);
    CHECK_INT(field->directives[0].args[0].value->kind, GG_VALUE_BOOLEAN);
    CHECK(!field->directives[0].args[0].value->boolean);

    const gg_selection_set *inner = field->selection_set;
    CHECK_INT(inner->count, 3);
    CHECK_INT(inner->selections[0].kind, GG_SELECTION_FRAGMENT_SPREAD);
    CHECK_STR(inner->selections[0].name.value, "Frag");
    check_loc(inner->selections[0].loc, 171, 3, 5);
    CHECK_INT(inner->selections[0].directive_count, 1);
    CHECK_INT(inner->selections[1].kind, GG_SELECTION_INLINE_FRAGMENT);
    check_loc(inner->selections[1].loc, 186, 4, 5);
    CHECK_STR(inner->selections[1].type_condition.value, "T");
    CHECK_STR(inner->selections[1].selection_set->selections[0].name.value, "x");
    CHECK_INT(inner->selections[2].kind, GG_SELECTION_INLINE_FRAGMENT);
    CHECK(inner->selections[2].type_condition.value == NULL);
    CHECK(inner->selections[2].selection_set != NULL);
    CHECK(inner->selections[2].selection_set->selections[0].selection_set == NULL);

    const gg_definition *frag = &doc->definitions[1];
    CHECK_INT(frag->kind, GG_DEF_FRAGMENT);
    check_loc(frag->loc, 221, 8, 1);
    CHECK_STR(frag->name.value, "Frag");
    CHECK_STR(frag->type_condition.value, "T");
    CHECK_INT(frag->selection_set->count, 1);

    const gg_definition *shorthand = &doc->definitions[2];
    CHECK_INT(shorthand->kind, GG_DEF_OPERATION);
    CHECK(shorthand->shorthand);
    CHECK_INT(shorthand->operation, GG_OP_QUERY);
    CHECK(shorthand->name.value == NULL);
    check_loc(shorthand->loc, 246, 9, 1);
    CHECK_STR(shorthand->selection_set->selections[0].name.value, "short");
    reset();
}

static void test_operation_kinds_and_descriptions(void)
{
    gg_document *doc = parse("mutation M { a } subscription { b } \"op\" query { c }\n"
                             "\"\"\"frag\"\"\" fragment F on T { d } query V(\"var\" $v: Int) { e }");
    CHECK(doc != NULL);
    if (!doc) return;
    CHECK_INT(doc->definitions[0].operation, GG_OP_MUTATION);
    CHECK_INT(doc->definitions[1].operation, GG_OP_SUBSCRIPTION);
    CHECK(doc->definitions[1].name.value == NULL);
    CHECK(!doc->definitions[1].shorthand);
    CHECK_STR(doc->definitions[2].description, "op");
    CHECK(!doc->definitions[2].description_block);
    CHECK_INT(doc->definitions[2].loc.offset, 36); /* a definition starts at its description */
    CHECK_STR(doc->definitions[3].description, "frag");
    CHECK(doc->definitions[3].description_block);
    CHECK_STR(doc->definitions[4].variables[0].description, "var");
    CHECK_STR(gg_operation_kind_name(GG_OP_QUERY), "query");
    CHECK_STR(gg_operation_kind_name(GG_OP_MUTATION), "mutation");
    CHECK_STR(gg_operation_kind_name(GG_OP_SUBSCRIPTION), "subscription");
    reset();
}

static const char sdl_doc[] = "\"\"\"The schema\"\"\"\n"
                              "schema @s { query: Q mutation: M subscription: S }\n"
                              "\"scalar\" scalar Date @specifiedBy(url: \"u\")\n"
                              "type Q implements & A & B @t {\n"
                              "  \"field\" f(\"arg\" x: Int = 1 @a, y: [String!]!): [Q] @deprecated(reason: \"r\")\n"
                              "  g: Int\n"
                              "}\n"
                              "interface A implements B { f: Int }\n"
                              "union U @u = | Q | R\n"
                              "enum E { ONE \"two\" TWO @e }\n"
                              "input I { a: Int = 2, b: I! @i }\n"
                              "directive @d(a: Int) repeatable on FIELD | QUERY\n"
                              "directive @e on | ENUM_VALUE\n"
                              "extend schema @x { query: Q }\n"
                              "extend scalar Date @x\n"
                              "extend type Q implements C @x { h: Int }\n"
                              "extend interface A @x\n"
                              "extend union U = V\n"
                              "extend enum E { THREE }\n"
                              "extend input I { c: Int }\n";

static void test_sdl_document(void)
{
    gg_document *doc = parse(sdl_doc);
    CHECK(doc != NULL);
    if (!doc) return;
    CHECK_INT(doc->definition_count, 16);
    if (doc->definition_count != 16) return;
    const gg_definition *d = doc->definitions;

    CHECK_INT(d[0].kind, GG_DEF_SCHEMA);
    CHECK_STR(d[0].description, "The schema");
    CHECK(d[0].description_block);
    CHECK_INT(d[0].directive_count, 1);
    CHECK_INT(d[0].operation_type_count, 3);
    CHECK_INT(d[0].operation_types[1].operation, GG_OP_MUTATION);
    CHECK_STR(d[0].operation_types[1].type.value, "M");
    CHECK_INT(d[0].operation_types[2].operation, GG_OP_SUBSCRIPTION);

    CHECK_INT(d[1].kind, GG_DEF_SCALAR);
    CHECK_STR(d[1].description, "scalar");
    CHECK_STR(d[1].name.value, "Date");
    CHECK_STR(d[1].directives[0].args[0].value->text, "u");

    CHECK_INT(d[2].kind, GG_DEF_OBJECT);
    CHECK(!d[2].is_extension);
    CHECK_INT(d[2].interface_count, 2);
    CHECK_STR(d[2].interfaces[0].value, "A");
    CHECK_STR(d[2].interfaces[1].value, "B");
    CHECK_INT(d[2].field_count, 2);
    const gg_field_def *f = &d[2].fields[0];
    CHECK_STR(f->description, "field");
    CHECK_STR(f->name.value, "f");
    CHECK_INT(f->arg_count, 2);
    CHECK_STR(f->args[0].description, "arg");
    CHECK_STR(f->args[0].default_value->text, "1");
    CHECK_INT(f->args[0].directive_count, 1);
    CHECK_INT(f->args[1].type->kind, GG_TYPE_REF_NON_NULL);
    CHECK_INT(f->args[1].type->of_type->kind, GG_TYPE_REF_LIST);
    CHECK_INT(f->args[1].type->of_type->of_type->kind, GG_TYPE_REF_NON_NULL);
    CHECK_INT(f->type->kind, GG_TYPE_REF_LIST);
    CHECK_STR(f->directives[0].name.value, "deprecated");
    CHECK(d[2].fields[1].description == NULL);

    CHECK_INT(d[3].kind, GG_DEF_INTERFACE);
    CHECK_INT(d[3].interface_count, 1);
    CHECK_INT(d[4].kind, GG_DEF_UNION);
    CHECK_INT(d[4].type_count, 2);
    CHECK_STR(d[4].types[1].value, "R");
    CHECK_INT(d[4].directive_count, 1);
    CHECK_INT(d[5].kind, GG_DEF_ENUM);
    CHECK_INT(d[5].value_count, 2);
    CHECK_STR(d[5].values[1].name.value, "TWO");
    CHECK_STR(d[5].values[1].description, "two");
    CHECK_INT(d[5].values[1].directive_count, 1);
    CHECK_INT(d[6].kind, GG_DEF_INPUT_OBJECT);
    CHECK_INT(d[6].input_field_count, 2);
    CHECK_STR(d[6].input_fields[0].default_value->text, "2");
    CHECK_INT(d[6].input_fields[1].type->kind, GG_TYPE_REF_NON_NULL);

    CHECK_INT(d[7].kind, GG_DEF_DIRECTIVE);
    CHECK_STR(d[7].name.value, "d");
    CHECK(d[7].repeatable);
    CHECK_INT(d[7].arg_count, 1);
    CHECK_INT(d[7].locations, GG_DL_FIELD | GG_DL_QUERY);
    CHECK_INT(d[7].location_count, 2);
    CHECK_STR(d[7].location_names[0].value, "FIELD");
    CHECK_STR(d[7].location_names[1].value, "QUERY");
    CHECK(!d[8].repeatable);
    CHECK_INT(d[8].locations, GG_DL_ENUM_VALUE);

    static const gg_definition_kind extension_kinds[] = {
        GG_DEF_SCHEMA, GG_DEF_SCALAR, GG_DEF_OBJECT, GG_DEF_INTERFACE, GG_DEF_UNION, GG_DEF_ENUM, GG_DEF_INPUT_OBJECT};
    for (unsigned i = 0; i < 7; i++) {
        CHECK_INT(d[9 + i].kind, extension_kinds[i]);
        CHECK(d[9 + i].is_extension);
        CHECK(d[9 + i].description == NULL);
    }
    CHECK_INT(d[9].operation_type_count, 1);
    CHECK_STR(d[11].interfaces[0].value, "C");
    CHECK_INT(d[11].field_count, 1);
    CHECK_STR(d[13].types[0].value, "V");
    CHECK_STR(d[14].values[0].name.value, "THREE");
    CHECK_STR(d[15].input_fields[0].name.value, "c");
    check_loc(d[15].loc, (unsigned)(strstr(sdl_doc, "extend input") - sdl_doc), 20, 1);
    reset();
}

static void test_directive_location_names(void)
{
    CHECK_STR(gg_directive_location_name(GG_DL_QUERY), "QUERY");
    CHECK_STR(gg_directive_location_name(GG_DL_VARIABLE_DEFINITION), "VARIABLE_DEFINITION");
    CHECK_STR(gg_directive_location_name(GG_DL_INPUT_FIELD_DEFINITION), "INPUT_FIELD_DEFINITION");
    CHECK(gg_directive_location_name(GG_DL_QUERY | GG_DL_FIELD) == NULL);
    CHECK(gg_directive_location_name(0) == NULL);
    CHECK_INT(gg_directive_location_from_name("FIELD_DEFINITION"), GG_DL_FIELD_DEFINITION);
    CHECK_INT(gg_directive_location_from_name("ENUM_VALUE"), GG_DL_ENUM_VALUE);
    CHECK_INT(gg_directive_location_from_name("field"), 0);
    CHECK_INT(gg_directive_location_from_name("DIRECTIVE_DEFINITION"), GG_DL_DIRECTIVE_DEFINITION);
    for (uint32_t bit = 1; bit <= GG_DL_DIRECTIVE_DEFINITION; bit <<= 1)
        CHECK_INT(gg_directive_location_from_name(gg_directive_location_name(bit)), bit);
}

/* Names and numbers are NUL-terminated in place; a number may start right where a name ends. */
static void test_adjacent_names_and_numbers(void)
{
    gg_document *doc = parse("{f(a: [A-1, 1-2, -3.5-4 B-5.0e1])}");
    CHECK(doc != NULL);
    if (!doc) return;
    const gg_value *list = doc->definitions[0].selection_set->selections[0].args[0].value;
    static const char *const expected[] = {"A", "-1", "1", "-2", "-3.5", "-4", "B", "-5.0e1"};
    CHECK_INT(list->item_count, 8);
    for (unsigned i = 0; i < 8 && i < list->item_count; i++) {
        CHECK_STR(list->items[i]->text, expected[i]);
        CHECK_INT(list->items[i]->len, strlen(expected[i]));
    }
    CHECK_STR(doc->definitions[0].selection_set->selections[0].name.value, "f");
    reset();
}

static void test_parse_value_and_type(void)
{
    gg_error_list_init(&errors, &arena);
    gg_value *v = gg_parse_value(&arena, S("[1, {a: $v, b: \"\"\"x\"\"\"}]"), &errors);
    CHECK(v != NULL && v->kind == GG_VALUE_LIST && v->item_count == 2);
    if (v && v->item_count == 2) {
        CHECK_INT(v->items[1]->fields[0].value->kind, GG_VALUE_VARIABLE);
        CHECK(v->items[1]->fields[1].value->block);
    }
    CHECK(gg_parse_value(&arena, S("1 2"), &errors) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Expected <EOF>, found Int \"2\".");
    CHECK_INT(errors.count, 1);

    gg_error_list_init(&errors, &arena);
    gg_type_ref *t = gg_parse_type(&arena, S("[String!]!"), &errors);
    CHECK(t != NULL && t->kind == GG_TYPE_REF_NON_NULL && t->of_type->kind == GG_TYPE_REF_LIST);
    CHECK(gg_parse_type(&arena, S("[String"), &errors) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Expected \"]\", found <EOF>.");
    reset();
}

/* Expected messages and locations: graphql-js 16.15.0 parse() on the same bytes. */
static const struct {
    const char *src;
    size_t len;
    const char *message;
    unsigned line, column;
} syntax_errors[] = {
    {S(""), "Syntax Error: Unexpected <EOF>.", 1, 1},
    {S(" "), "Syntax Error: Unexpected <EOF>.", 1, 2},
    {S("query"), "Syntax Error: Expected \"{\", found <EOF>.", 1, 6},
    {S("query Q"), "Syntax Error: Expected \"{\", found <EOF>.", 1, 8},
    {S("query Q {"), "Syntax Error: Expected Name, found <EOF>.", 1, 10},
    {S("{a(x:)}"), "Syntax Error: Unexpected \")\".", 1, 6},
    {S("fragment on on T { a }"), "Syntax Error: Unexpected Name \"on\".", 1, 10},
    {S("fragment F T { a }"), "Syntax Error: Expected \"on\", found Name \"T\".", 1, 12},
    {S("fragment F on T"), "Syntax Error: Expected \"{\", found <EOF>.", 1, 16},
    {S("{ ...on }"), "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {S("{ ... on }"), "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {S("{ ...on T }"), "Syntax Error: Expected \"{\", found \"}\".", 1, 11},
    {S("query ($x: Int = $y) { a }"), "Syntax Error: Unexpected variable \"$y\" in constant value.", 1, 18},
    {S("query ($x: Int = $) { a }"), "Syntax Error: Unexpected \"$\".", 1, 18},
    {S("{a(x: $)}"), "Syntax Error: Expected Name, found \")\".", 1, 8},
    {S("{a(x: 3:)}"), "Syntax Error: Expected Name, found \":\".", 1, 8},
    {S("{a(x y)}"), "Syntax Error: Expected \":\", found Name \"y\".", 1, 6},
    {S("{ a: }"), "Syntax Error: Expected Name, found \"}\".", 1, 6},
    {S("{ a: 3 }"), "Syntax Error: Expected Name, found Int \"3\".", 1, 6},
    {S("{}"), "Syntax Error: Expected Name, found \"}\".", 1, 2},
    {S("{ a } }"), "Syntax Error: Unexpected \"}\".", 1, 7},
    {S("{ a }\nfragment"), "Syntax Error: Expected Name, found <EOF>.", 2, 9},
    {S("foo { a }"), "Syntax Error: Unexpected Name \"foo\".", 1, 1},
    {S("union U ="), "Syntax Error: Expected Name, found <EOF>.", 1, 10},
    {S("enum E { true }"), "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10},
    {S("enum E { null }"), "Syntax Error: Name \"null\" is reserved and cannot be used for an enum value.", 1, 10},
    {S("enum E { false }"), "Syntax Error: Name \"false\" is reserved and cannot be used for an enum value.", 1, 10},
    {S("schema { foo: Q }"), "Syntax Error: Unexpected Name \"foo\".", 1, 10},
    {S("schema {}"), "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {S("directive @x on FOO"), "Syntax Error: Unexpected Name \"FOO\".", 1, 17},
    {S("directive x on FIELD"), "Syntax Error: Expected \"@\", found Name \"x\".", 1, 11},
    {S("directive @x repeatable FIELD"), "Syntax Error: Expected \"on\", found Name \"FIELD\".", 1, 25},
    {S("extend schema"), "Syntax Error: Unexpected <EOF>.", 1, 14},
    {S("extend scalar S"), "Syntax Error: Unexpected <EOF>.", 1, 16},
    {S("extend type T"), "Syntax Error: Unexpected <EOF>.", 1, 14},
    {S("extend interface I"), "Syntax Error: Unexpected <EOF>.", 1, 19},
    {S("extend union U"), "Syntax Error: Unexpected <EOF>.", 1, 15},
    {S("extend enum E"), "Syntax Error: Unexpected <EOF>.", 1, 14},
    {S("extend input I"), "Syntax Error: Unexpected <EOF>.", 1, 15},
    {S("extend foo"), "Syntax Error: Unexpected Name \"foo\".", 1, 8},
    {S("extend"), "Syntax Error: Unexpected <EOF>.", 1, 7},
    {S("extend directive @x on FIELD"), "Syntax Error: Unexpected Name \"directive\".", 1, 8},
    {S("\"desc\" { a }"), "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.",
     1, 1},
    {S("\"desc\""), "Syntax Error: Unexpected <EOF>.", 1, 7},
    {S("\"desc\" extend type T @d"),
     "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {S("scalar S @d(a: $x)"), "Syntax Error: Unexpected variable \"$x\" in constant value.", 1, 16},
    {S("type T { a(x: Int = $v): Int }"), "Syntax Error: Unexpected variable \"$v\" in constant value.", 1, 21},
    {S("{ a(x: \"\\uD83D\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9},
    {S("{ a(x: \"\\uDE00\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".", 1, 9},
    {S("{ a(x: \"\\uD83Dx\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9},
    {S("{ a(x: \"\\uD83D\\u0041\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9},
    {S("{ a(x: \"\\u12\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\".", 1, 9},
    {S("{ a(x: \"\\u{110000}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 9},
    {S("{ a(x: \"\\u{000000041}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{000000041\".", 1, 9},
    {S("{ a(x: \"\\u{"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{\".", 1, 9},
    {S("{ a(x: \"\\"), "Syntax Error: Invalid character escape sequence: \"\\\".", 1, 9},
    {S("{ a(x: \"\\u"), "Syntax Error: Invalid Unicode escape sequence: \"\\u\".", 1, 9},
    {S("{ a(x: \"abc"), "Syntax Error: Unterminated string.", 1, 12},
    {S("{ a(x: \"abc\n\") }"), "Syntax Error: Unterminated string.", 1, 12},
    {S("{ a(x: \"abc\r\") }"), "Syntax Error: Unterminated string.", 1, 12},
    {S("{ a(x: \"\"\"abc"), "Syntax Error: Unterminated string.", 1, 14},
    {S("{ a(x: 1.) }"), "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {S("{ a(x: 1.e1) }"), "Syntax Error: Invalid number, expected digit but got: \"e\".", 1, 10},
    {S("{ a(x: 1e) }"), "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {S("{ a(x: 1e+) }"), "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 11},
    {S("{ a(x: -) }"), "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9},
    {S("{ a(x: -a) }"), "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 9},
    {S("{ a(x: 00) }"), "Syntax Error: Invalid number, unexpected digit after 0: \"0\".", 1, 9},
    {S("{ a(x: 0x1) }"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 9},
    {S("{ a(x: 1.2.3) }"), "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
    {S("{ a(x: 1_0) }"), "Syntax Error: Invalid number, expected digit but got: \"_\".", 1, 9},
    {S("{ a(x: 1é) }"), "Syntax Error: Unexpected character: U+00E9.", 1, 9},
    {S("{ a(x: -é) }"), "Syntax Error: Invalid number, expected digit but got: U+00E9.", 1, 9},
    {S("{ a(x: 'b') }"),
     "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 8},
    {S("{ a ? }"), "Syntax Error: Unexpected character: \"?\".", 1, 5},
    {S("{ a .. }"), "Syntax Error: Unexpected character: \".\".", 1, 5},
    {S("{ a . }"), "Syntax Error: Unexpected character: \".\".", 1, 5},
    {S("{ a ...}"), "Syntax Error: Expected \"{\", found \"}\".", 1, 8},
    {S("{a}\r\n{b}\r\né"), "Syntax Error: Unexpected character: U+00E9.", 3, 1},
    {S("{a}\r\ré"), "Syntax Error: Unexpected character: U+00E9.", 3, 1},
    {S("{\"é\"}"), "Syntax Error: Expected Name, found String \"é\".", 1, 2},
    {S("{a(x:\"😀\") b(x: 1x)}"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 18},
    {S("{a(x:\"😀\", y: \"é\") ?}"), "Syntax Error: Unexpected character: \"?\".", 1, 20},
    {S(" "), "Syntax Error: Unexpected character: U+2028.", 1, 1},
    {S("{a}\000"), "Syntax Error: Unexpected character: U+0000.", 1, 4},
    {S("\"\"\"\n   a\n   \"\"\" x"),
     "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {S("{ a(x: \"\"\"a\"\"\" y: \"\"\"  \n\n  \"\"\" ) ?}"), "Syntax Error: Unexpected character: \"?\".", 3, 9},
    {S("query Q @d($v: Int) { a }"), "Syntax Error: Expected Name, found \"$\".", 1, 12},
    {S("query Q ($v: Int @d(a: $x)) { a }"), "Syntax Error: Unexpected variable \"$x\" in constant value.", 1, 24},
    {S("query Q ($v) { a }"), "Syntax Error: Expected \":\", found \")\".", 1, 12},
    {S("query Q () { a }"), "Syntax Error: Expected \"$\", found \")\".", 1, 10},
    {S("{ a() }"), "Syntax Error: Expected Name, found \")\".", 1, 5},
    {S("{ a(x: {a}) }"), "Syntax Error: Expected \":\", found \"}\".", 1, 10},
    {S("{ a(x: {a: 1 b}) }"), "Syntax Error: Expected \":\", found \"}\".", 1, 15},
    {S("{ a(x: [1 2 3 }) }"), "Syntax Error: Unexpected \"}\".", 1, 15},
    {S("type T { a: [Int }"), "Syntax Error: Expected \"]\", found \"}\".", 1, 18},
    {S("type T { a: [Int]] }"), "Syntax Error: Expected Name, found \"]\".", 1, 18},
    {S("type T { a: Int!! }"), "Syntax Error: Expected Name, found \"!\".", 1, 17},
    {S("type T { a }"), "Syntax Error: Expected \":\", found \"}\".", 1, 12},
    {S("type T { }"), "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {S("type T {}"), "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {S("input I {}"), "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {S("enum E {}"), "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {S("type T implements { a: Int }"), "Syntax Error: Expected Name, found \"{\".", 1, 19},
    {S("type T implements A & { a: Int }"), "Syntax Error: Expected Name, found \"{\".", 1, 23},
    {S("type T implements & { a: Int }"), "Syntax Error: Expected Name, found \"{\".", 1, 21},
    {S("type T implements A B { a: Int }"), "Syntax Error: Unexpected Name \"B\".", 1, 21},
    {S("query Q(\"d\" a: Int) { a }"), "Syntax Error: Expected \"$\", found Name \"a\".", 1, 13},
    {S("\"d\" \"e\" query { a }"), "Syntax Error: Unexpected String \"e\".", 1, 5},
    {S("\"d\" extend type T @d"),
     "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {S("\"d\" fragment on on T {a}"), "Syntax Error: Unexpected Name \"on\".", 1, 14},
    {S("{a(x: \"é😀\") ?}"), "Syntax Error: Unexpected character: \"?\".", 1, 14},
    {S("{a(x: \"😀😀\", y: 1x)}"), "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 19},
    {S("\"\"\"😀\n😀\"\"\" ?"), "Syntax Error: Unexpected character: \"?\".", 2, 7},
    {S("{a}\r\n\r\n  ?"), "Syntax Error: Unexpected character: \"?\".", 3, 3},
    {S("{a}\r\r\n?"), "Syntax Error: Unexpected character: \"?\".", 3, 1},
    {S("# 😀\n  ?"), "Syntax Error: Unexpected character: \"?\".", 2, 3},
    {S("\"\"\"a\r\nb\rc\n\"\"\" ?"), "Syntax Error: Unexpected character: \"?\".", 4, 5},
    {S("﻿﻿ ?"), "Syntax Error: Unexpected character: \"?\".", 1, 4},
    {S("{ a(x: \"\"\"😀\"\"\", y: $) }"), "Syntax Error: Expected Name, found \")\".", 1, 22},
    {S("{ a(x: \"\\u{1F600\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{1F600\"\".", 1, 9},
    {S("{ a(x: \"\\u{1F60G}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{1F60G\".", 1, 9},
    {S("{ a(x: \"\\u{é}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{é\".", 1, 9},
    {S("{ a(x: \"\\u00é\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u00é\"\".", 1, 9},
    {S("{ a(x: \"\\é\") }"), "Syntax Error: Invalid character escape sequence: \"\\é\".", 1, 9},
    {S("{ a(x: \"\\u{D83D}\\u{DE00}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\u{D83D}\".", 1, 9},
    {S("{ a(x: \"\\uD83D\\u{DE00}\") }"), "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9},
    {S("{ a(x: 1e5.1) }"), "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
    {S("{ a(x: 1.5e) }"), "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 12},
    {S("{ a(x: .5) }"), "Syntax Error: Unexpected character: \".\".", 1, 8},
    {S("{ a(x: 0a) }"), "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 9},
    {S("{ a(x: 01.5) }"), "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9},
    {S("{ a(x: 1.5a) }"), "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 11},
    {S("{ a(x: 1ea) }"), "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 10},
    {S("type T { a(x: Int = {a: [1, {b: $x}]}): Int }"), "Syntax Error: Unexpected variable \"$x\" in constant value.",
     1, 33},
    {S("union U = A | B | "), "Syntax Error: Expected Name, found <EOF>.", 1, 19},
    {S("union U = A B"), "Syntax Error: Unexpected Name \"B\".", 1, 13},
    {S("directive @d on"), "Syntax Error: Expected Name, found <EOF>.", 1, 16},
    {S("directive @d on |"), "Syntax Error: Expected Name, found <EOF>.", 1, 18},
    {S("enum E { A @d(a: $x) }"), "Syntax Error: Unexpected variable \"$x\" in constant value.", 1, 18},
    {S("input I { a: Int = $x }"), "Syntax Error: Unexpected variable \"$x\" in constant value.", 1, 20},
    {S("{ a: b: c }"), "Syntax Error: Expected Name, found \":\".", 1, 7},
    {S("query Q($v: Int!) @ { a }"), "Syntax Error: Expected Name, found \"{\".", 1, 21},
    {S("query Q @d("), "Syntax Error: Expected Name, found <EOF>.", 1, 12},
    {S("type"), "Syntax Error: Expected Name, found <EOF>.", 1, 5},
    {S("type T {"), "Syntax Error: Expected Name, found <EOF>.", 1, 9},
    {S("type T { a("), "Syntax Error: Expected Name, found <EOF>.", 1, 12},
    {S("type T { a(b"), "Syntax Error: Expected \":\", found <EOF>.", 1, 13},
    {S("type T { a(b:"), "Syntax Error: Expected Name, found <EOF>.", 1, 14},
    {S("type T { a(b: Int"), "Syntax Error: Expected Name, found <EOF>.", 1, 18},
    {S("type T { a(b: Int)"), "Syntax Error: Expected \":\", found <EOF>.", 1, 19},
    {S("type T { a(b: Int):"), "Syntax Error: Expected Name, found <EOF>.", 1, 20},
    {S("scalar"), "Syntax Error: Expected Name, found <EOF>.", 1, 7},
    {S("scalar S @"), "Syntax Error: Expected Name, found <EOF>.", 1, 11},
    {S("input I { a: Int = "), "Syntax Error: Unexpected <EOF>.", 1, 20},
    {S("enum E {"), "Syntax Error: Expected Name, found <EOF>.", 1, 9},
    {S("union U = "), "Syntax Error: Expected Name, found <EOF>.", 1, 11},
    {S("schema"), "Syntax Error: Expected \"{\", found <EOF>.", 1, 7},
    {S("schema {"), "Syntax Error: Expected Name, found <EOF>.", 1, 9},
    {S("schema { query"), "Syntax Error: Expected \":\", found <EOF>.", 1, 15},
    {S("schema { query:"), "Syntax Error: Expected Name, found <EOF>.", 1, 16},
    {S("directive"), "Syntax Error: Expected \"@\", found <EOF>.", 1, 10},
    {S("directive @"), "Syntax Error: Expected Name, found <EOF>.", 1, 12},
    {S("directive @d("), "Syntax Error: Expected Name, found <EOF>.", 1, 14},
    {S("directive @d repeatable"), "Syntax Error: Expected \"on\", found <EOF>.", 1, 24},
    {S("directive @d repeatable on"), "Syntax Error: Expected Name, found <EOF>.", 1, 27},
};

static void test_syntax_errors_match_graphql_js(void)
{
    for (size_t i = 0; i < sizeof(syntax_errors) / sizeof(syntax_errors[0]); i++) {
        gg_document *doc = parse_opts(syntax_errors[i].src, syntax_errors[i].len, NULL);
        CHECK(doc == NULL);
        CHECK_INT(errors.count, 1);
        CHECK_STR(first_error(), syntax_errors[i].message);
        if (errors.head && errors.head->location_count == 1) {
            CHECK_INT(errors.head->locations[0].line, syntax_errors[i].line);
            CHECK_INT(errors.head->locations[0].column, syntax_errors[i].column);
        } else {
            CHECK(!"exactly one location");
        }
        if (doc != NULL || errors.count != 1) fprintf(stderr, "  source: %s\n", syntax_errors[i].src);
        reset();
    }
}

/* graphql-js tokenCount: every token but <SOF> and <EOF>; comments do not count. */
static const struct {
    const char *src;
    unsigned tokens;
} token_counts[] = {
    {"{ aVeryLongFieldNameToTestTheWrapping(firstArgument: \"some string value\", secondArgument: 12345) }", 11},
    {"{ d(x: \"0123456789012345678901234567890123456789012345678901234567890123456789012\") }", 8},
    {"{ a(x: \"\"\"a\n b\"\"\", y: \"\"\"a\nb\"\"\", z: \"\"\"a\n\n b\"\"\") }", 14},
    {"query ($a: Int) { a }", 10},
    {"query Q { a }", 5},
    {"query Q(\"\"\"d\nmore\"\"\" $a: Int, $b: Int) { a }", 16},
    {"\"d\" fragment F on T { a }", 8},
    {"type T", 2},
    {"union U @d", 4},
    {"input I { a: Int = 1 @d, \"d\" b: [I!] }", 18},
    {"\"d\" schema { query: Q }", 7},
    {"directive @x on | FIELD", 6},
    {"extend schema { query: Q }", 7},
    {"extend type T { a: Int }", 8},
    {"extend union U @d", 5},
    {"{ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(bbbbbbbbbbbbbbbbbbbbbbbbbbb: 1, cccccccccccc: 22) }", 11},
    {"{ f(a: \"\"\"01234567890123456789\n01234567890123456789\n0123456789012345678901234567890123456789\"\"\") }", 8},
    {"{ a(x: -1.5E-3, y: 0, z: -0) }", 14},
    {"{a}#c\n{b}", 6},
    {"{a(x: 1, y: [2, 3]) @d}", 16},
    {"type T { a: [Int!]! }", 11},
    {"﻿{ a , b ,, }", 4},
};

static void test_token_count(void)
{
    for (size_t i = 0; i < sizeof(token_counts) / sizeof(token_counts[0]); i++) {
        gg_document *doc = parse(token_counts[i].src);
        CHECK(doc != NULL);
        if (doc) CHECK_INT(doc->token_count, token_counts[i].tokens);
        reset();
    }
}

static void test_max_tokens(void)
{
    gg_parse_options opts = {.max_tokens = 4};
    CHECK(parse_opts(S("{a b c}"), &opts) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document contains more that 4 tokens. Parsing aborted.");
    CHECK_INT(errors.head->locations[0].column, 7);
    opts.max_tokens = 5;
    CHECK(parse_opts(S("{a b c}"), &opts) != NULL);
    opts.max_tokens = 1;
    CHECK(parse_opts(S("{a}"), &opts) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document contains more that 1 tokens. Parsing aborted.");
    CHECK_INT(errors.head->locations[0].column, 2);
    reset();
    /* the server names the setting that raises the limit, as its other query limits do */
    opts.max_tokens_setting = "limits.max_tokens";
    CHECK(parse_opts(S("{a}"), &opts) == NULL);
    CHECK_STR(
        first_error(),
        "Syntax Error: Document contains more that 1 tokens. Parsing aborted. (server setting limits.max_tokens)");
    reset();
}

/* "{a" * depth then "}" * depth: fields nested `depth` selection sets deep. */
static char *nested_fields(unsigned depth, size_t *len)
{
    char *s = malloc(depth * 3 + 1);
    size_t n = 0;
    for (unsigned i = 0; i < depth; i++) {
        s[n++] = '{';
        s[n++] = 'a';
    }
    for (unsigned i = 0; i < depth; i++)
        s[n++] = '}';
    s[n] = '\0';
    *len = n;
    return s;
}

static char *repeat(const char *prefix, const char *unit, unsigned count, size_t *len)
{
    size_t p = strlen(prefix), u = strlen(unit);
    char *s = malloc(p + u * count + 1);
    memcpy(s, prefix, p);
    for (unsigned i = 0; i < count; i++)
        memcpy(s + p + u * i, unit, u);
    *len = p + u * count;
    s[*len] = '\0';
    return s;
}

static void test_nesting_limit(void)
{
    size_t len;
    char *s = nested_fields(512, &len);
    CHECK(parse_opts(s, len, NULL) != NULL);
    free(s);

    s = nested_fields(513, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 512 levels. Parsing aborted.");
    CHECK_INT(errors.head->locations[0].column, 2 * 512 + 1); /* the 513th '{' */
    free(s);
    reset();

    s = nested_fields(10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 512 levels. Parsing aborted.");
    free(s);
    reset();

    /* the limit counts selection sets, list and object values together */
    s = repeat("{a(x: ", "[", 10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 512 levels. Parsing aborted.");
    CHECK_INT(errors.head->locations[0].column, 6 + 512);
    free(s);
    reset();

    s = repeat("{a(x: ", "{a: ", 10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 512 levels. Parsing aborted.");
    free(s);
    reset();

    s = repeat("type T { a: ", "[", 10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 512 levels. Parsing aborted.");
    CHECK_INT(errors.head->locations[0].column, 13 + 512);
    free(s);
    reset();

    s = repeat("query ($v: ", "[", 10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_INT(errors.count, 1);
    free(s);
    reset();

    /* 10,000 bare '{' are not a deep document but a syntax error, as in graphql-js */
    s = repeat("", "{", 10000, &len);
    CHECK(parse_opts(s, len, NULL) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Expected Name, found \"{\".");
    free(s);
    reset();

    /* a larger max_depth is capped, so the recursion stays bounded */
    gg_parse_options deep = {.max_depth = 1000000};
    s = nested_fields(GG_PARSE_MAX_DEPTH_LIMIT + 1, &len);
    CHECK(parse_opts(s, len, &deep) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 4096 levels. Parsing aborted.");
    free(s);
    s = nested_fields(GG_PARSE_MAX_DEPTH_LIMIT, &len);
    CHECK(parse_opts(s, len, &deep) != NULL);
    free(s);
    reset();

    gg_parse_options opts = {.max_depth = 3};
    CHECK(parse_opts(S("{a{b{c}}}"), &opts) != NULL);
    CHECK(parse_opts(S("{a{b{c{d}}}}"), &opts) == NULL);
    CHECK_STR(first_error(), "Syntax Error: Document is nested deeper than 3 levels. Parsing aborted.");
    CHECK(parse_opts(S("{a(x: [[1]])}"), &opts) != NULL);
    CHECK(parse_opts(S("{a(x: [[[1]]])}"), &opts) == NULL);
    reset();
}

static void test_huge_strings(void)
{
    size_t n = 10 * 1024 * 1024;
    char *s = malloc(n + 32);
    memcpy(s, "{a(x: \"", 7);
    memset(s + 7, 'x', n);
    memcpy(s + 7 + n, "\")}", 3);
    gg_document *doc = parse_opts(s, n + 10, NULL);
    CHECK(doc != NULL);
    if (doc) CHECK_INT(doc->definitions[0].selection_set->selections[0].args[0].value->len, n);
    reset();

    memcpy(s, "{a(x: \"\"\"", 9);
    memset(s + 9, 'y', n);
    memcpy(s + 9 + n, "\"\"\")}", 5);
    doc = parse_opts(s, n + 14, NULL);
    CHECK(doc != NULL);
    if (doc) CHECK_INT(doc->definitions[0].selection_set->selections[0].args[0].value->len, n);
    reset();

    /* unterminated: the error is at the end of the input */
    doc = parse_opts(s, n + 9, NULL);
    CHECK(doc == NULL);
    CHECK_STR(first_error(), "Syntax Error: Unterminated string.");
    CHECK_INT(errors.head->locations[0].column, n + 10);
    free(s);
    reset();
}

static const struct {
    const char *src;
    size_t len;
    const char *message;
    unsigned line, column;
} utf8_errors[] = {
    {S("{a(x: \"\xFF\")}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xFF.", 1, 8},
    {S("{a(x: \"\xC3"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xC3.", 1, 8},
    {S("{a(x: \"\xC3(\")}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xC3.", 1, 8},
    {S("# \xC0\xAF overlong\n{a}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xC0.", 1, 3},
    {S("\xED\xA0\x80"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xED.", 1, 1},
    {S("{a}\n\x80"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0x80.", 2, 1},
    {S("{a(x: \"\"\"\n \xF4\x90\x80\x80\"\"\")}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xF4.", 2,
     2},
    {S("{a(x: \"\xE2\x82\")}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xE2.", 1, 8},
    {S("{a(x: -\xFE)}"), "Syntax Error: Invalid UTF-8 sequence starting with byte 0xFE.", 1, 8},
    {S("\xF0\x9F\x98\x80"), "Syntax Error: Unexpected character: U+1F600.", 1, 1},
    {S("{a}\0"), "Syntax Error: Unexpected character: U+0000.", 1, 4},
};

static void test_invalid_utf8_and_nul_bytes(void)
{
    for (size_t i = 0; i < sizeof(utf8_errors) / sizeof(utf8_errors[0]); i++) {
        CHECK(parse_opts(utf8_errors[i].src, utf8_errors[i].len, NULL) == NULL);
        CHECK_INT(errors.count, 1);
        CHECK_STR(first_error(), utf8_errors[i].message);
        if (errors.head) {
            CHECK_INT(errors.head->locations[0].line, utf8_errors[i].line);
            CHECK_INT(errors.head->locations[0].column, utf8_errors[i].column);
        }
        reset();
    }
    /* a raw NUL inside a string is a source character (graphql-js accepts it); so is \u0000 */
    gg_document *doc = parse_opts(S("{a(x: \"a\0b\", y: \"\\u0000\")}"), NULL);
    CHECK(doc != NULL);
    if (doc) {
        const gg_value *x = doc->definitions[0].selection_set->selections[0].args[0].value;
        CHECK_INT(x->len, 3);
        CHECK(memcmp(x->text, "a\0b", 4) == 0);
        CHECK_INT(doc->definitions[0].selection_set->selections[0].args[1].value->len, 1);
    }
    reset();
}

/* Every prefix of a document and every single-byte corruption of it either parses or gives
 * exactly one error located inside the input: never a crash (this runs under ASan in CI). */
static void check_one_outcome(const char *src, size_t len)
{
    gg_document *doc = parse_opts(src, len, NULL);
    if (doc) {
        CHECK_INT(errors.count, 0);
    } else {
        CHECK_INT(errors.count, 1);
        if (errors.head && errors.head->location_count == 1) CHECK(errors.head->locations[0].offset <= len);
    }
    reset();
}

static void test_truncated_and_corrupted_input(void)
{
    const char *docs[] = {executable_doc, sdl_doc,
                          "{a(s: \"\\u{1F600}\\uD83D\\uDE00\\n\", b: \"\"\"\n  x\n    \\\"\"\"\n\"\"\") @d # c\n}\r\n"};
    static const char corruptions[] = {'{', '}', '"', '\\', '$', '\0', '\xFF', '\xC3', '\n', '#', '.', '-'};
    size_t total_prefixes = 0;
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t len = strlen(docs[d]);
        char *copy = malloc(len + 1);
        for (size_t cut = 0; cut <= len; cut++) {
            memcpy(copy, docs[d], cut); /* an exact-size heap copy, so ASan sees any over-read */
            check_one_outcome(copy, cut);
            total_prefixes++;
        }
        for (size_t at = 0; at < len; at++) {
            for (size_t c = 0; c < sizeof(corruptions); c++) {
                memcpy(copy, docs[d], len);
                copy[at] = corruptions[c];
                check_one_outcome(copy, len);
            }
        }
        free(copy);
    }
    CHECK(total_prefixes > 900);
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_executable_document);
    RUN(test_operation_kinds_and_descriptions);
    RUN(test_sdl_document);
    RUN(test_directive_location_names);
    RUN(test_adjacent_names_and_numbers);
    RUN(test_parse_value_and_type);
    RUN(test_syntax_errors_match_graphql_js);
    RUN(test_token_count);
    RUN(test_max_tokens);
    RUN(test_nesting_limit);
    RUN(test_huge_strings);
    RUN(test_invalid_utf8_and_nul_bytes);
    RUN(test_truncated_and_corrupted_input);
    gg_arena_free(&arena);
    return test_summary();
}
