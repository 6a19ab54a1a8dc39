/* values_of_correct_type.c: tests for server/graphql/validate/values_of_correct_type.c (graphql-js
 * ValuesOfCorrectTypeRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with ValuesOfCorrectTypeRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "{ book(id: 1) { id } b: book(id: \"x\") { id } count(min: -3, max: 2, isbn: \"978\") }",
             &gg_rule_values_of_correct_type, "[]");
    VT_CHECK(SCHEMA,
             "{ books(filter: {genre: FICTION, title: \"t\", authors: [\"a\", \"b\"], nested: {genre: POETRY}}, "
             "genres: [FICTION], ids: 7) { id } }",
             &gg_rule_values_of_correct_type, "[]");
    VT_CHECK(SCHEMA,
             "query Q($f: BookFilter = {genre: HISTORY, minPages: 3}, $g: [Genre!] = [POETRY, SCIENCE]) { "
             "books(filter: $f, genres: $g) { id } }",
             &gg_rule_values_of_correct_type, "[]");
    VT_CHECK(SCHEMA, "{ find(by: {id: 1}) { id } f2: find(by: {isbn: \"x\"}) { id } }", &gg_rule_values_of_correct_type,
             "[]");
    VT_CHECK(SCHEMA, "query Q($v: ID) { find(by: {id: $v}) { id } }", &gg_rule_values_of_correct_type, "[]");
    VT_CHECK(SCHEMA, "{ count(isbn: [1, {a: 2}]) c2: count(max: 1e3) c3: count(max: -0.5) }",
             &gg_rule_values_of_correct_type, "[]");
    VT_CHECK(SCHEMA, "{ echo(value: \"a\\u00e9b\" times: 1) e2: echo(value: \"\"\"block\"\"\") }",
             &gg_rule_values_of_correct_type, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ count(min: \"3\", max: true) }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"Int cannot represent non-integer value: "
             "\\\"3\\\"\",\"locations\":[{\"line\":1,\"column\":14}]},{\"message\":\"Float cannot represent non "
             "numeric value: true\",\"locations\":[{\"line\":1,\"column\":24}]}]");
    VT_CHECK(SCHEMA, "{ count(min: 2147483648, max: \"1.5\") c2: count(min: 1.5) }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"Int cannot represent non 32-bit signed integer value: "
             "2147483648\",\"locations\":[{\"line\":1,\"column\":14}]},{\"message\":\"Float cannot represent non "
             "numeric value: \\\"1.5\\\"\",\"locations\":[{\"line\":1,\"column\":31}]},{\"message\":\"Int cannot "
             "represent non-integer value: 1.5\",\"locations\":[{\"line\":1,\"column\":53}]}]");
    VT_CHECK(SCHEMA, "{ echo(value: 12, times: null) }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"String cannot represent a non string value: "
             "12\",\"locations\":[{\"line\":1,\"column\":15}]},{\"message\":\"Expected value of type \\\"Int!\\\", "
             "found null.\",\"locations\":[{\"line\":1,\"column\":26}]}]");
    VT_CHECK(SCHEMA, "{ echo(value: null) e2: echo(value: [\"a\"]) }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"Expected value of type \\\"String!\\\", found "
             "null.\",\"locations\":[{\"line\":1,\"column\":15}]},{\"message\":\"String cannot represent a non string "
             "value: [\\\"a\\\"]\",\"locations\":[{\"line\":1,\"column\":37}]}]");
    VT_CHECK(SCHEMA, "{ books(genres: [FICTION, \"POETRY\", poetry, Mystery]) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Enum \\\"Genre\\\" cannot represent non-enum value: \\\"POETRY\\\". Did you mean the "
             "enum value \\\"POETRY\\\"?\",\"locations\":[{\"line\":1,\"column\":27}]},{\"message\":\"Value "
             "\\\"poetry\\\" does not exist in \\\"Genre\\\" enum. Did you mean the enum value "
             "\\\"POETRY\\\"?\",\"locations\":[{\"line\":1,\"column\":37}]},{\"message\":\"Value \\\"Mystery\\\" does "
             "not exist in \\\"Genre\\\" enum. Did you mean the enum value "
             "\\\"HISTORY\\\"?\",\"locations\":[{\"line\":1,\"column\":45}]}]");
    VT_CHECK(SCHEMA, "{ books(genres: FICTION) { id } b2: books(genres: [[FICTION]]) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Enum \\\"Genre\\\" cannot represent non-enum value: [FICTION]. Did you mean the enum "
             "value \\\"FICTION\\\"?\",\"locations\":[{\"line\":1,\"column\":52}]}]");
    VT_CHECK(SCHEMA, "{ books(filter: {title: \"t\"}) { id } }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"Field \\\"BookFilter.genre\\\" of required type \\\"Genre!\\\" was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":17}]}]");
    VT_CHECK(SCHEMA, "{ books(filter: {genre: FICTION, titel: \"t\", pagez: 3}) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Field \\\"titel\\\" is not defined by type \\\"BookFilter\\\". Did you mean "
             "\\\"title\\\"?\",\"locations\":[{\"line\":1,\"column\":34}]},{\"message\":\"Field \\\"pagez\\\" is not "
             "defined by type \\\"BookFilter\\\".\",\"locations\":[{\"line\":1,\"column\":46}]}]");
    VT_CHECK(SCHEMA, "{ books(filter: {genre: FICTION, nested: {genre: null, minPages: \"many\"}}) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Expected value of type \\\"Genre!\\\", found "
             "null.\",\"locations\":[{\"line\":1,\"column\":50}]},{\"message\":\"Int cannot represent non-integer "
             "value: \\\"many\\\"\",\"locations\":[{\"line\":1,\"column\":66}]}]");
    VT_CHECK(SCHEMA, "{ books(filter: \"title\") { id } b2: books(filter: [{genre: FICTION}]) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Expected value of type \\\"BookFilter\\\", found "
             "\\\"title\\\".\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Expected value of type "
             "\\\"BookFilter\\\", found [{genre: FICTION}].\",\"locations\":[{\"line\":1,\"column\":51}]}]");
    VT_CHECK(SCHEMA, "{ book(id: {x: 1}) { id } }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"ID cannot represent a non-string and non-integer value: {x: "
             "1}\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(SCHEMA, "{ find(by: {id: 1, isbn: \"x\"}) { id } }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"OneOf Input Object \\\"Lookup\\\" must specify exactly one "
             "key.\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(SCHEMA, "{ find(by: {}) { id } }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"OneOf Input Object \\\"Lookup\\\" must specify exactly one "
             "key.\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(
        SCHEMA, "{ find(by: {isbn: null}) { id } }", &gg_rule_values_of_correct_type,
        "[{\"message\":\"Field \\\"Lookup.isbn\\\" must be non-null.\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(SCHEMA, "query Q($a: Int = \"one\", $b: Genre = FICTIONS, $c: BookFilter = {title: 1}) { count(min: $a) }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Int cannot represent non-integer value: "
             "\\\"one\\\"\",\"locations\":[{\"line\":1,\"column\":19}]},{\"message\":\"Value \\\"FICTIONS\\\" does not "
             "exist in \\\"Genre\\\" enum. Did you mean the enum value "
             "\\\"FICTION\\\"?\",\"locations\":[{\"line\":1,\"column\":38}]},{\"message\":\"Field "
             "\\\"BookFilter.genre\\\" of required type \\\"Genre!\\\" was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":65}]},{\"message\":\"String cannot represent a non "
             "string value: 1\",\"locations\":[{\"line\":1,\"column\":73}]}]");
    VT_CHECK(SCHEMA, "{ count @tag(label: 3, weight: \"w\") }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"String cannot represent a non string value: "
             "3\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Int cannot represent non-integer value: "
             "\\\"w\\\"\",\"locations\":[{\"line\":1,\"column\":32}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { price(currency: eur) title(upper: 1) related(first: 1.0, after: 2) { id } } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Value \\\"eur\\\" does not exist in \\\"Currency\\\" enum. Did you mean the enum value "
             "\\\"EUR\\\"?\",\"locations\":[{\"line\":1,\"column\":33}]},{\"message\":\"Boolean cannot represent a non "
             "boolean value: 1\",\"locations\":[{\"line\":1,\"column\":51}]},{\"message\":\"Int cannot represent "
             "non-integer value: 1.0\",\"locations\":[{\"line\":1,\"column\":69}]},{\"message\":\"String cannot "
             "represent a non string value: 2\",\"locations\":[{\"line\":1,\"column\":81}]}]");
    VT_CHECK(SCHEMA, "{ books(ids: [1, \"2\", 3.5, null]) { id } }", &gg_rule_values_of_correct_type,
             "[{\"message\":\"ID cannot represent a non-string and non-integer value: "
             "3.5\",\"locations\":[{\"line\":1,\"column\":23}]},{\"message\":\"Expected value of type \\\"ID!\\\", "
             "found null.\",\"locations\":[{\"line\":1,\"column\":28}]}]");
    VT_CHECK(
        SCHEMA,
        "{ find(by: {id: 1, isbn: \"a\", id: 2, isbn: \"b\", id: 3, isbn: \"c\", id: 4, isbn: \"d\", id: 5}) { id } }",
        &gg_rule_values_of_correct_type,
        "[{\"message\":\"OneOf Input Object \\\"Lookup\\\" must specify exactly one "
        "key.\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(
        SCHEMA, "{ find(by: {id: 1, id: 2, id: 3, id: 4, id: 5, id: 6, id: 7, id: 8, id: null}) { id } }",
        &gg_rule_values_of_correct_type,
        "[{\"message\":\"Field \\\"Lookup.id\\\" must be non-null.\",\"locations\":[{\"line\":1,\"column\":12}]}]");
    VT_CHECK(SCHEMA,
             "{ books(filter: {title: \"a\", minPages: 1, authors: [], nested: null, title: \"b\", minPages: 2, title: "
             "\"c\", minPages: 3, authors: [\"x\"]}) { id } }",
             &gg_rule_values_of_correct_type,
             "[{\"message\":\"Field \\\"BookFilter.genre\\\" of required type \\\"Genre!\\\" was not "
             "provided.\",\"locations\":[{\"line\":1,\"column\":17}]}]");
}

/* A custom scalar whose literal parser refuses integers silently and anything but strings with a
 * message: graphql-js words those as "Expected value ..." and "Expected value ...; <message>". */
static bool isbn_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind == GG_VALUE_STRING) {
        *out = gg_val_string(arena, in->text, in->len);
        return true;
    }
    if (in->kind != GG_VALUE_INT) gg_fault_set_text(fault, NULL, "ISBN must be a string");
    return false;
}

static void test_custom_scalar(void)
{
    static const gg_scalar_ops isbn_ops = {.parse_literal = isbn_parse_literal};
    const char *doc = "{ count(isbn: \"978\") c2: count(isbn: 12) c3: count(isbn: true) c4: count(isbn: [1]) }";
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {"schema.graphql", SCHEMA, strlen(SCHEMA)};
    gg_schema *schema = gg_schema_build(&source, 1, NULL, &errors);
    CHECK(schema != NULL);
    if (!schema) return;
    gg_schema_find_type(schema, "Isbn")->scalar = &isbn_ops;
    gg_document *document = gg_parse(&arena, doc, strlen(doc), NULL, &errors);
    CHECK(document != NULL);
    const gg_rule *rule = &gg_rule_values_of_correct_type;
    if (document) gg_validate_rules(schema, document, &arena, &errors, NULL, &rule, 1);
    char *got = vt_errors_text("", &errors);
    CHECK_STR(
        got,
        "[{\"message\":\"Expected value of type \\\"Isbn\\\", found 12.\",\"locations\":[{\"line\":1,\"column\":38}]},"
        "{\"message\":\"Expected value of type \\\"Isbn\\\", found true; ISBN must be a string\",\"locations\":"
        "[{\"line\":1,\"column\":58}]},{\"message\":\"Expected value of type \\\"Isbn\\\", found [1]; ISBN must be a "
        "string\",\"locations\":[{\"line\":1,\"column\":80}]}]");
    free(got);
    gg_schema_free(schema);
    gg_arena_free(&arena);
}

/* With suggestions hidden (graphql-js hideSuggestions) the messages stop before "Did you mean". */
static void test_no_suggestions(void)
{
    gg_validate_options opts = {.no_suggestions = true};
    VT_CHECK_OPTS(
        SCHEMA, "{ books(filter: {genre: FICTON, titel: \"x\"}) { id } }", &gg_rule_values_of_correct_type, &opts,
        "[{\"message\":\"Value \\\"FICTON\\\" does not exist in \\\"Genre\\\" enum.\",\"locations\":[{\"line\":1,"
        "\"column\":25}]},{\"message\":\"Field \\\"titel\\\" is not defined by type \\\"BookFilter\\\".\","
        "\"locations\":[{\"line\":1,\"column\":33}]}]");
}

/* AppSync's scalars are built in and word their messages like graphql-js's own scalars, so their
 * messages are reported as they are, at the literal (not graphql-js: it has no AWS scalars). */
static void test_appsync_scalars(void)
{
    const char *sdl = "type Query { at(d: AWSDate, j: AWSJSON): Int }";
    const char *doc = "{ at(d: \"2024-02-30\", j: \"{\\\"a\\\": 1}\") b: at(d: 5, j: \"{nope\") }";
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {"schema.graphql", sdl, strlen(sdl)};
    gg_schema_options options = {.appsync = true};
    gg_schema *schema = gg_schema_build(&source, 1, &options, &errors);
    gg_document *document = gg_parse(&arena, doc, strlen(doc), NULL, &errors);
    CHECK(schema != NULL && document != NULL);
    const gg_rule *rule = &gg_rule_values_of_correct_type;
    if (schema && document) gg_validate_rules(schema, document, &arena, &errors, NULL, &rule, 1);
    char *got = vt_errors_text("", &errors);
    CHECK_STR(
        got,
        "[{\"message\":\"AWSDate cannot represent an invalid date: \\\"2024-02-30\\\"\",\"locations\":[{\"line\":1,"
        "\"column\":9}]},{\"message\":\"AWSDate cannot represent a non string value: 5\",\"locations\":[{\"line\":1,"
        "\"column\":49}]},{\"message\":\"AWSJSON cannot represent an invalid JSON string: "
        "\\\"{nope\\\"\",\"locations\":"
        "[{\"line\":1,\"column\":55}]}]");
    free(got);
    gg_schema_free(schema);
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    RUN(test_custom_scalar);
    RUN(test_no_suggestions);
    RUN(test_appsync_scalars);
    return test_summary();
}
