/* values.c: tests of server/graphql/execute/values.c against graphql-js answers (printed once by
 * values_oracle.mjs in this folder): variable coercion and its messages, literals to values
 * (valueFromAST) and back (astFromValue + print, as introspection shows defaults), argument
 * values, inspect(), and request JSON to gg_val and back. */
#include "../../test.h"
#include "helpers.h"
#include "language/printer.h"

static const char *const sdl =
    "type Query { f(a: Int!, b: [Int] = 1, c: In, d: Color = GREEN, o: One): String g(x: Float, y: ID): String }\n"
    "input In { n: Int! m: [Int] = [1] e: Color = RED deep: In2 }\n"
    "input In2 { k: [Int!]! }\n"
    "input One @oneOf { p: Int q: String }\n"
    "enum Color { RED GREEN }\n";

static const struct var_case {
    const char *defs, *inputs, *expected; /* expected: coerced JSON, or "message @column | ..." */
} var_cases[] = {
    {"($x: Int!)", "{}", "Variable \"$x\" of required type \"Int!\" was not provided. @8"},
    {"($x: Int!)", "{\"x\":null}", "Variable \"$x\" of non-null type \"Int!\" must not be null. @8"},
    {"($x: Int)", "{\"x\":\"a\"}",
     "Variable \"$x\" got invalid value \"a\"; Int cannot represent non-integer value: \"a\" @8"},
    {"($x: In)", "{\"x\":{\"m\":1,\"deep\":{\"k\":[1,null]}}}",
     "Variable \"$x\" got invalid value { m: 1, deep: { k: [Array] } }; Field \"n\" of required type \"Int!\" was not "
     "provided. @8 | Variable \"$x\" got invalid value null at \"x.deep.k[1]\"; Expected non-nullable type \"Int!\" "
     "not to be null. @8"},
    {"($x: One)", "{\"x\":{\"p\":1,\"q\":\"a\"}}",
     "Variable \"$x\" got invalid value { p: 1, q: \"a\" }; Exactly one key must be specified for OneOf type \"One\". "
     "@8"},
    {"($x: One)", "{\"x\":{\"p\":null}}",
     "Variable \"$x\" got invalid value null at \"x.p\"; Field \"p\" must be non-null. @8"},
    {"($x: [Int], $y: Color = RED, $z: String)", "{\"x\":5,\"z\":1}",
     "Variable \"$z\" got invalid value 1; String cannot represent a non string value: 1 @36"},
    {"($x: [Int], $y: Color = RED, $z: String)", "{\"x\":5}", "{\"x\":[5],\"y\":\"RED\"}"},
    {"($x: Color, $y: Color)", "{\"x\":\"BLUEE\",\"y\":1}",
     "Variable \"$x\" got invalid value \"BLUEE\"; Value \"BLUEE\" does not exist in \"Color\" enum. @8 | Variable "
     "\"$y\" got invalid value 1; Enum \"Color\" cannot represent non-string value: 1. @19"},
    {"($x: In)", "{\"x\":{\"n\":1,\"e\":\"GREEN\",\"nn\":1}}",
     "Variable \"$x\" got invalid value { n: 1, e: \"GREEN\", nn: 1 }; Field \"nn\" is not defined by type \"In\". Did "
     "you mean \"n\"? @8"},
    {"($x: [[Int]])", "{\"x\":[[1],2,null]}", "{\"x\":[[1],[2],null]}"},
};

static const struct literal_case {
    const char *literal, *type, *coerced, *printed; /* coerced "INVALID": graphql-js undefined */
} literal_cases[] = {
    {"[1, 2]", "[Int]", "[1,2]", "[1, 2]"},
    {"1", "[Int]", "[1]", "[1]"},
    {"{n: 1}", "In", "{\"n\":1,\"m\":[1],\"e\":\"RED\"}", "{n: 1, m: [1], e: RED}"},
    {"{n: $v}", "In", "INVALID", NULL},
    {"{p: 1, q: \"a\"}", "One", "INVALID", NULL},
    {"BLUE", "Color", "INVALID", NULL},
    {"\"RED\"", "Color", "INVALID", NULL},
    {"{n: 1, m: null}", "In", "{\"n\":1,\"m\":null,\"e\":\"RED\"}", "{n: 1, m: null, e: RED}"},
    {"[1, $v]", "[Int]", "[1,null]", "[1, null]"},
    {"[1, $v]", "[Int!]", "INVALID", NULL},
    {"1.0", "Float", "1", "1"},
    {"\"123\"", "ID", "\"123\"", "123"},
    {"\"a\\nb\"", "String", "\"a\\nb\"", "\"a\\nb\""},
    {"{n: 1, deep: {k: 3}}", "In", "{\"n\":1,\"m\":[1],\"e\":\"RED\",\"deep\":{\"k\":[3]}}",
     "{n: 1, m: [1], e: RED, deep: {k: [3]}}"},
};

static const struct arg_case {
    const char *query, *expected;
} arg_cases[] = {
    {"{ f }", "Argument \"a\" of required type \"Int!\" was not provided. @3"},
    {"{ f(a: 1, c: {n: 2}) }", "{\"a\":1,\"b\":[1],\"c\":{\"n\":2,\"m\":[1],\"e\":\"RED\"},\"d\":\"GREEN\"}"},
    {"{ f(a: $u) }", "Argument \"a\" of required type \"Int!\" was provided the variable \"$u\" which was not provided "
                     "a runtime value. @8"},
    {"{ f(a: null) }", "Argument \"a\" of non-null type \"Int!\" must not be null. @8"},
    {"{ f(a: \"x\") }", "Argument \"a\" has invalid value \"x\". @8"},
    {"{ f(a: 1, b: [1, $w]) }", "{\"a\":1,\"b\":[1,5],\"d\":\"GREEN\"}"},
};

static const char *const inspect_expected =
    "{ a: [1, [Object]], s: \"x\", l: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items], e: {}, n: null, f: 1.5 }";

static gg_schema *schema;

/* Errors as "message @column | ...", or the value as JSON. */
static const char *describe(gg_arena *arena, const gg_val *value, const gg_error_list *errors)
{
    gg_buf b;
    gg_buf_init(&b);
    if (value != NULL) {
        gg_val_write_json(&b, value);
    } else {
        for (const gg_error *e = errors->head; e; e = e->next)
            gg_buf_printf(&b, "%s%s @%u", e == errors->head ? "" : " | ", e->message,
                          e->location_count ? e->locations[0].column : 0);
    }
    const char *s = gg_arena_strndup(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return s;
}

static void test_variables(void)
{
    for (size_t i = 0; i < sizeof var_cases / sizeof var_cases[0]; i++) {
        const struct var_case *c = &var_cases[i];
        gg_arena arena;
        gg_arena_init(&arena);
        gg_error_list errors;
        gg_error_list_init(&errors, &arena);
        const char *query = gg_arena_printf(&arena, "query %s { f(a: 1) }", c->defs);
        gg_document *doc = gg_parse(&arena, query, strlen(query), NULL, &errors);
        CHECK(doc != NULL);
        gg_val *inputs = val_from_json_text(&arena, c->inputs);
        gg_val *coerced = gg_coerce_variable_values(schema, &arena, &doc->definitions[0], inputs, &errors);
        CHECK_STR(describe(&arena, coerced, &errors), c->expected);
        gg_arena_free(&arena);
    }
}

static gg_type *parse_type(gg_arena *arena, const char *text)
{
    gg_error_list errors;
    gg_error_list_init(&errors, arena);
    gg_type_ref *ref = gg_parse_type(arena, text, strlen(text), &errors);
    return ref ? gg_type_from_ast(schema, arena, ref) : NULL;
}

static void test_literals(void)
{
    for (size_t i = 0; i < sizeof literal_cases / sizeof literal_cases[0]; i++) {
        const struct literal_case *c = &literal_cases[i];
        gg_arena arena;
        gg_arena_init(&arena);
        gg_error_list errors;
        gg_error_list_init(&errors, &arena);
        gg_value *lit = gg_parse_value(&arena, c->literal, strlen(c->literal), &errors);
        gg_type *type = parse_type(&arena, c->type);
        CHECK(lit != NULL && type != NULL);
        if (!lit || !type) {
            gg_arena_free(&arena);
            continue;
        }
        gg_val *vars = gg_val_object(&arena, 0); /* $v is never given */
        gg_val *v = gg_value_from_ast(&arena, lit, type, vars);
        CHECK_STR(v ? describe(&arena, v, &errors) : "INVALID", c->coerced);
        if (v != NULL && c->printed != NULL) {
            gg_value *ast = gg_ast_from_value(&arena, v, type, NULL);
            gg_buf b;
            gg_buf_init(&b);
            if (ast) gg_print_value(&b, ast);
            CHECK_STR(b.data ? b.data : "", c->printed);
            gg_buf_free(&b);
        }
        gg_arena_free(&arena);
    }
}

static void test_arguments(void)
{
    gg_field *f = gg_type_find_field(schema->query_type, "f");
    for (size_t i = 0; i < sizeof arg_cases / sizeof arg_cases[0]; i++) {
        const struct arg_case *c = &arg_cases[i];
        gg_arena arena;
        gg_arena_init(&arena);
        gg_error_list errors;
        gg_error_list_init(&errors, &arena);
        gg_document *doc = gg_parse(&arena, c->query, strlen(c->query), NULL, &errors);
        CHECK(doc != NULL);
        const gg_selection *sel = &doc->definitions[0].selection_set->selections[0];
        gg_val *vars = val_from_json_text(&arena, "{\"w\":5}");
        gg_val *args =
            gg_argument_values(&arena, f->args, f->arg_count, sel->args, sel->arg_count, sel->loc, vars, &errors);
        CHECK_STR(describe(&arena, args, &errors), c->expected);
        gg_arena_free(&arena);
    }
}

static void test_inspect(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *v = val_from_json_text(
        &arena,
        "{\"a\":[1,{\"b\":{\"c\":1}}],\"s\":\"x\",\"l\":[1,2,3,4,5,6,7,8,9,10,11,12],\"e\":{},\"n\":null,\"f\":1.5}");
    CHECK_STR(gg_val_inspect(&arena, v), inspect_expected);
    gg_arena_free(&arena);
}

static void test_from_cjson(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *v = val_from_json_text(&arena, "{\"i\":3,\"big\":1e300,\"f\":2.5,\"n\":-0,\"x\":9007199254740993,"
                                           "\"s\":\"\\u00e9\",\"b\":false,\"z\":null,\"l\":[],\"i\":4}");
    CHECK(v != NULL && v->kind == GG_VAL_OBJECT);
    CHECK_INT(gg_val_object_get(v, "i")->kind, GG_VAL_INT);
    CHECK_INT(gg_val_object_get(v, "i")->i, 4); /* the last duplicate wins, like JSON.parse */
    CHECK_INT(gg_val_object_get(v, "big")->kind, GG_VAL_FLOAT);
    CHECK_INT(gg_val_object_get(v, "f")->kind, GG_VAL_FLOAT);
    CHECK_INT(gg_val_object_get(v, "n")->kind, GG_VAL_INT);
    CHECK_INT(gg_val_object_get(v, "x")->kind, GG_VAL_INT);
    CHECK_STR(gg_val_object_get(v, "s")->s, "\xc3\xa9");
    CHECK_INT(gg_val_object_get(v, "z")->kind, GG_VAL_NULL);
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, v);
    CHECK_STR(b.data, "{\"i\":4,\"big\":1e+300,\"f\":2.5,\"n\":0,\"x\":9007199254740992,\"s\":\"\xc3\xa9\",\"b\":false,"
                      "\"z\":null,\"l\":[]}");
    gg_buf_free(&b);
    gg_arena_free(&arena);
}

/* gg_val_to_cjson: what a plugin reads (gg_plugin_value_to_cjson, a conflict handler's event). */
static void test_to_cjson(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *obj = gg_val_object(&arena, 8);
    gg_val_object_set(&arena, obj, "i", gg_val_int(&arena, -7));
    gg_val_object_set(&arena, obj, "f", gg_val_float(&arena, 2.5));
    gg_val_object_set(&arena, obj, "s", gg_val_string(&arena, "\xc3\xa9", 2));
    gg_val_object_set(&arena, obj, "e", gg_val_enum(&arena, "RED"));
    gg_val_object_set(&arena, obj, "gone", &gg_val_undefined_value); /* absent, not null */
    gg_val_object_set(&arena, obj, "n", NULL);
    gg_val *raw = gg_val_new(&arena, GG_VAL_RAW);
    raw->s = "{\"a\":[1,true]}";
    raw->len = strlen(raw->s);
    gg_val_object_set(&arena, obj, "raw", raw);
    gg_val *list = gg_val_list(&arena, 2);
    gg_val_list_push(&arena, list, gg_val_bool(true));
    gg_val_list_push(&arena, list, &gg_val_null_value);
    gg_val_object_set(&arena, obj, "l", list);
    cJSON *json = gg_val_to_cjson(obj);
    char *text = cJSON_PrintUnformatted(json);
    CHECK_STR(text, "{\"i\":-7,\"f\":2.5,\"s\":\"\xc3\xa9\",\"e\":\"RED\",\"n\":null,\"raw\":{\"a\":[1,true]},"
                    "\"l\":[true,null]}");
    cJSON_free(text);
    cJSON_Delete(json);
    gg_val *bad = gg_val_new(&arena, GG_VAL_RAW); /* RAW text that does not parse is null */
    bad->s = "{";
    bad->len = 1;
    json = gg_val_to_cjson(bad);
    CHECK(cJSON_IsNull(json));
    cJSON_Delete(json);
    gg_arena_free(&arena);
}

int main(void)
{
    schema = schema_from_sdl(sdl, false);
    CHECK(schema != NULL);
    if (!schema) return test_summary();
    RUN(test_variables);
    RUN(test_literals);
    RUN(test_arguments);
    RUN(test_inspect);
    RUN(test_from_cjson);
    RUN(test_to_cjson);
    gg_schema_free(schema);
    return test_summary();
}
