/* Tests of server/graphql/type/schema_validate.c and schema_sdl_rules.c: a schema that breaks
 * graphql-js's rules is refused with graphql-js's messages and locations. The expected JSON of
 * the first cases was produced once by graphql-js 16.15 (validateSDL, then validateSchema) and
 * pasted here; the value checks (which graphql-js skips for SDL) use its ValuesOfCorrectType
 * messages, checked against graphql-js validating the same literals in a query. */
#include <stdlib.h>
#include <string.h>

#include "graphql/type/schema_build.h"
#include "test.h"

/* Builds sdl and compares the JSON of its errors with expected ("" when it must build). */
static void check_errors(const char *sdl, const gg_schema_options *opts, const char *expected)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"test.graphql", sdl, strlen(sdl)};
    gg_schema *schema = gg_schema_build(&src, 1, opts, &errors);
    gg_buf out;
    gg_buf_init(&out);
    if (errors.count) gg_error_list_write_json(&out, &errors);
    CHECK_STR(out.data ? out.data : "", expected);
    CHECK((schema == NULL) == (expected[0] != 0));
    gg_buf_free(&out);
    gg_schema_free(schema);
    gg_arena_free(&arena);
}

/* graphql-js assertValidSDL: every SDL rule, several errors in document order. */
static void test_sdl_rules(void)
{
    check_errors(
        "type Query { a: Int }\n"
        "schema { query: Query }\n"
        "schema { query: Query mutation: Query mutation: Query }\n"
        "type Query { b: Int }\n"
        "enum E { A A }\n"
        "extend enum E { A }\n"
        "type T { f: Int f(a: Int, a: String): Int }\n"
        "directive @d on FIELD\n"
        "directive @d(x: Int, x: Int) on FIELD\n"
        "type U { x: Strin y: Foo }\n"
        "type V @unknown @deprecated { x: Int @d }\n"
        "type W @auth @auth { x: Int }\n"
        "extend scalar Nope @auth\n"
        "extend union T = U\n"
        "input I { a: Int }\n"
        "type X { f(a: I = {a: 1, a: 2}): Int @deprecated(reason: \"x\", reason: \"y\", foo: 1) }\n"
        "directive @req(a: Int!) on OBJECT\n"
        "type Y @req { y: Int }\n"
        "directive @auth on OBJECT\n",
        NULL,
        "[{\"message\":\"Must provide only one schema "
        "definition.\",\"locations\":[{\"line\":3,\"column\":1}]},{\"message\":\"There can be only one query type in "
        "schema.\",\"locations\":[{\"line\":2,\"column\":10},{\"line\":3,\"column\":10}]},{\"message\":\"There can be "
        "only one mutation type in "
        "schema.\",\"locations\":[{\"line\":3,\"column\":23},{\"line\":3,\"column\":39}]},{\"message\":\"There can be "
        "only one type named "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":6},{\"line\":4,\"column\":6}]},{\"message\":\"Enum "
        "value \\\"E.A\\\" can only be defined "
        "once.\",\"locations\":[{\"line\":5,\"column\":10},{\"line\":5,\"column\":12}]},{\"message\":\"Enum value "
        "\\\"E.A\\\" can only be defined "
        "once.\",\"locations\":[{\"line\":5,\"column\":10},{\"line\":6,\"column\":17}]},{\"message\":\"Field "
        "\\\"T.f\\\" can only be defined "
        "once.\",\"locations\":[{\"line\":7,\"column\":10},{\"line\":7,\"column\":17}]},{\"message\":\"Argument "
        "\\\"T.f(a:)\\\" can only be defined "
        "once.\",\"locations\":[{\"line\":7,\"column\":19},{\"line\":7,\"column\":27}]},{\"message\":\"Argument "
        "\\\"@d(x:)\\\" can only be defined "
        "once.\",\"locations\":[{\"line\":9,\"column\":14},{\"line\":9,\"column\":22}]},{\"message\":\"There can be "
        "only one directive named "
        "\\\"@d\\\".\",\"locations\":[{\"line\":8,\"column\":12},{\"line\":9,\"column\":12}]},{\"message\":\"Unknown "
        "type \\\"Strin\\\". Did you mean "
        "\\\"String\\\"?\",\"locations\":[{\"line\":10,\"column\":13}]},{\"message\":\"Unknown type "
        "\\\"Foo\\\".\",\"locations\":[{\"line\":10,\"column\":22}]},{\"message\":\"Unknown directive "
        "\\\"@unknown\\\".\",\"locations\":[{\"line\":11,\"column\":8}]},{\"message\":\"Directive \\\"@deprecated\\\" "
        "may not be used on OBJECT.\",\"locations\":[{\"line\":11,\"column\":17}]},{\"message\":\"Directive \\\"@d\\\" "
        "may not be used on FIELD_DEFINITION.\",\"locations\":[{\"line\":11,\"column\":38}]},{\"message\":\"The "
        "directive \\\"@auth\\\" can only be used once at this "
        "location.\",\"locations\":[{\"line\":12,\"column\":8},{\"line\":12,\"column\":14}]},{\"message\":\"Cannot "
        "extend type \\\"Nope\\\" because it is not "
        "defined.\",\"locations\":[{\"line\":13,\"column\":15}]},{\"message\":\"Directive \\\"@auth\\\" may not be "
        "used on SCALAR.\",\"locations\":[{\"line\":13,\"column\":20}]},{\"message\":\"Cannot extend non-union type "
        "\\\"T\\\".\",\"locations\":[{\"line\":7,\"column\":1},{\"line\":14,\"column\":1}]},{\"message\":\"There can "
        "be only one input field named "
        "\\\"a\\\".\",\"locations\":[{\"line\":16,\"column\":20},{\"line\":16,\"column\":26}]},{\"message\":\"Unknown "
        "argument \\\"foo\\\" on directive "
        "\\\"@deprecated\\\".\",\"locations\":[{\"line\":16,\"column\":76}]},{\"message\":\"There can be only one "
        "argument named "
        "\\\"reason\\\".\",\"locations\":[{\"line\":16,\"column\":50},{\"line\":16,\"column\":63}]},{\"message\":"
        "\"Directive \\\"@req\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but it was not "
        "provided.\",\"locations\":[{\"line\":18,\"column\":8}]}]");
}

/* graphql-js validateSchema: root types, names, fields, unions, enums, input objects, cycles, @oneOf, directives. */
static void test_schema_rules(void)
{
    check_errors(
        "schema { query: In mutation: U }\n"
        "input In { a: Int }\n"
        "union U = Obj | In | Obj\n"
        "type Obj { __x: Int o: In a(x: Obj): Int }\n"
        "interface I1 implements I2 { a: Int }\n"
        "interface I2 { a: Int b(x: Int): String }\n"
        "type Impl implements I1 & I1 & Obj { a: String }\n"
        "enum E\n"
        "input Empty\n"
        "type NoFields\n"
        "input Cyc { a: Cyc! b: Cyc2! }\n"
        "input Cyc2 { c: Cyc! }\n"
        "input One @oneOf { a: Int! b: Int = 1 }\n"
        "type D { f(x: Int! @deprecated): Int }\n"
        "directive @__bad(__a: Obj) on FIELD\n",
        NULL,
        "[{\"message\":\"Query root type must be Object type, it cannot be "
        "In.\",\"locations\":[{\"line\":1,\"column\":17}]},{\"message\":\"Mutation root type must be Object type if "
        "provided, it cannot be U.\",\"locations\":[{\"line\":1,\"column\":30}]},{\"message\":\"Name \\\"__bad\\\" "
        "must not begin with \\\"__\\\", which is reserved by GraphQL "
        "introspection.\",\"locations\":[{\"line\":15,\"column\":1}]},{\"message\":\"Name \\\"__a\\\" must not begin "
        "with \\\"__\\\", which is reserved by GraphQL "
        "introspection.\",\"locations\":[{\"line\":15,\"column\":18}]},{\"message\":\"The type of @__bad(__a:) must be "
        "Input Type but got: Obj.\",\"locations\":[{\"line\":15,\"column\":18}]},{\"message\":\"Union type U can only "
        "include Object types, it cannot include "
        "In.\",\"locations\":[{\"line\":3,\"column\":17}]},{\"message\":\"Union type U can only include type Obj "
        "once.\",\"locations\":[{\"line\":3,\"column\":11},{\"line\":3,\"column\":22}]},{\"message\":\"Name "
        "\\\"__x\\\" must not begin with \\\"__\\\", which is reserved by GraphQL "
        "introspection.\",\"locations\":[{\"line\":4,\"column\":12}]},{\"message\":\"The type of Obj.o must be Output "
        "Type but got: In.\",\"locations\":[{\"line\":4,\"column\":24}]},{\"message\":\"The type of Obj.a(x:) must be "
        "Input Type but got: Obj.\",\"locations\":[{\"line\":4,\"column\":32}]},{\"message\":\"Interface field I2.b "
        "expected but I1 does not provide "
        "it.\",\"locations\":[{\"line\":6,\"column\":23},{\"line\":5,\"column\":1}]},{\"message\":\"Type Impl must "
        "implement I2 because it is implemented by "
        "I1.\",\"locations\":[{\"line\":5,\"column\":25},{\"line\":7,\"column\":22},{\"line\":7,\"column\":27}]},{"
        "\"message\":\"Interface field I1.a expects type Int but Impl.a is type "
        "String.\",\"locations\":[{\"line\":5,\"column\":33},{\"line\":7,\"column\":41}]},{\"message\":\"Type Impl can "
        "only implement I1 "
        "once.\",\"locations\":[{\"line\":7,\"column\":22},{\"line\":7,\"column\":27}]},{\"message\":\"Type Impl must "
        "only implement Interface types, it cannot implement "
        "Obj.\",\"locations\":[{\"line\":7,\"column\":32}]},{\"message\":\"Enum type E must define one or more "
        "values.\",\"locations\":[{\"line\":8,\"column\":1}]},{\"message\":\"Input Object type Empty must define one "
        "or more fields.\",\"locations\":[{\"line\":9,\"column\":1}]},{\"message\":\"Type NoFields must define one or "
        "more fields.\",\"locations\":[{\"line\":10,\"column\":1}]},{\"message\":\"Cannot reference Input Object "
        "\\\"Cyc\\\" within itself through a series of non-null fields: "
        "\\\"a\\\".\",\"locations\":[{\"line\":11,\"column\":13}]},{\"message\":\"Cannot reference Input Object "
        "\\\"Cyc\\\" within itself through a series of non-null fields: "
        "\\\"b.c\\\".\",\"locations\":[{\"line\":11,\"column\":21},{\"line\":12,\"column\":14}]},{\"message\":\"OneOf "
        "input field One.a must be nullable.\",\"locations\":[{\"line\":13,\"column\":23}]},{\"message\":\"OneOf input "
        "field One.b cannot have a default "
        "value.\",\"locations\":[{\"line\":13,\"column\":28}]},{\"message\":\"Required argument D.f(x:) cannot be "
        "deprecated.\",\"locations\":[{\"line\":14,\"column\":20},{\"line\":14,\"column\":15}]}]");
}

/* graphql-js validateSchema: interface fields, arguments and covariance. */
static void test_interface_rules(void)
{
    check_errors("type Query { a: Int }\n"
                 "interface I { f(a: Int, b: String): [Int] g: I }\n"
                 "type T implements I { f(a: String, c: Int!): [String] g: T }\n"
                 "type T2 implements I { g: Query }\n",
                 NULL,
                 "[{\"message\":\"Interface field I.f expects type [Int] but T.f is type "
                 "[String].\",\"locations\":[{\"line\":2,\"column\":37},{\"line\":3,\"column\":46}]},{\"message\":"
                 "\"Interface field argument I.f(a:) expects type Int but T.f(a:) is type "
                 "String.\",\"locations\":[{\"line\":2,\"column\":20},{\"line\":3,\"column\":28}]},{\"message\":"
                 "\"Interface field argument I.f(b:) expected but T.f does not provide "
                 "it.\",\"locations\":[{\"line\":2,\"column\":25},{\"line\":3,\"column\":23}]},{\"message\":\"Object "
                 "field T.f includes required argument c that is missing from the Interface field "
                 "I.f.\",\"locations\":[{\"line\":3,\"column\":36},{\"line\":2,\"column\":15}]},{\"message\":"
                 "\"Interface field I.f expected but T2 does not provide "
                 "it.\",\"locations\":[{\"line\":2,\"column\":15},{\"line\":4,\"column\":1}]},{\"message\":\"Interface "
                 "field I.g expects type I but T2.g is type "
                 "Query.\",\"locations\":[{\"line\":2,\"column\":46},{\"line\":4,\"column\":27}]}]");
}

/* Directive arguments and default values are checked against their types. */
static void test_values(void)
{
    check_errors(
        "type Query { a(x: Int = \"no\", y: [Int!] = [1, null], z: E = B, w: E = \"A\", v: In = {a: 1, c: 2}): Int "
        "@sized(n: 3.5) }\n"
        "enum E { A }\n"
        "input In { a: Int b: Int! }\n"
        "input One @oneOf { a: Int b: String }\n"
        "directive @sized(n: Int, o: One = {a: 1, b: \"x\"}) on FIELD_DEFINITION\n"
        "type T { f: Int @sized(o: {a: null}) }\n",
        NULL,
        "[{\"message\":\"Int cannot represent non-integer value: "
        "\\\"no\\\"\",\"locations\":[{\"line\":1,\"column\":25}]},{\"message\":\"Expected value of type \\\"Int!\\\", "
        "found null.\",\"locations\":[{\"line\":1,\"column\":47}]},{\"message\":\"Value \\\"B\\\" does not exist in "
        "\\\"E\\\" enum. Did you mean the enum value "
        "\\\"A\\\"?\",\"locations\":[{\"line\":1,\"column\":61}]},{\"message\":\"Enum \\\"E\\\" cannot represent "
        "non-enum value: \\\"A\\\". Did you mean the enum value "
        "\\\"A\\\"?\",\"locations\":[{\"line\":1,\"column\":71}]},{\"message\":\"Field \\\"In.b\\\" of required type "
        "\\\"Int!\\\" was not provided.\",\"locations\":[{\"line\":1,\"column\":84}]},{\"message\":\"Field \\\"c\\\" "
        "is not defined by type \\\"In\\\". Did you mean \\\"a\\\" or "
        "\\\"b\\\"?\",\"locations\":[{\"line\":1,\"column\":91}]},{\"message\":\"Int cannot represent non-integer "
        "value: 3.5\",\"locations\":[{\"line\":1,\"column\":113}]},{\"message\":\"OneOf Input Object \\\"One\\\" must "
        "specify exactly one key.\",\"locations\":[{\"line\":5,\"column\":35}]},{\"message\":\"Field \\\"One.a\\\" "
        "must be non-null.\",\"locations\":[{\"line\":6,\"column\":27}]}]");
}

/* Operations and fragments have no place in a schema. */
static void test_executable_definitions(void)
{
    check_errors(
        "query Q { a }\ntype Query { a: Int }\nfragment F on Query { a }\n{ a }", NULL,
        "[{\"message\":\"A schema cannot contain the operation \\\"Q\\\": only type system definitions are "
        "allowed.\",\"locations\":[{\"line\":1,\"column\":1}]},{\"message\":\"A schema cannot contain the "
        "fragment \\\"F\\\": only type system definitions are allowed.\",\"locations\":[{\"line\":3,\"column\":"
        "1}]},{\"message\":\"A schema cannot contain an operation: only type system definitions are "
        "allowed.\",\"locations\":[{\"line\":4,\"column\":1}]}]");
}

/* A wrong Amplify directive argument is an error at its location. */
static void test_amplify_arguments(void)
{
    gg_schema_options opts = {.appsync = true, .amplify = true};
    check_errors(
        "type Post @model(queries: 5) @auth(rules: [{allow: owners}]) { id: ID! }\ntype Query { a: Int }", &opts,
        "[{\"message\":\"Expected value of type \\\"ModelQueryMap\\\", found 5.\",\"locations\":[{\"line\":1,"
        "\"column\":27}]},{\"message\":\"Value \\\"owners\\\" does not exist in \\\"AuthStrategy\\\" enum. Did "
        "you mean the enum value \\\"owner\\\"?\",\"locations\":[{\"line\":1,\"column\":52}]}]");
    check_errors("type Post @model @auth(rules: [{allow: owner}]) { id: ID! created: AWSDateTime }\n"
                 "type Query { a: Int }",
                 &opts, "");
    /* without the Amplify prelude, @model is unknown */
    gg_schema_options appsync_only = {.appsync = true};
    check_errors("type Post @model { id: ID! }\ntype Query { a: Int }", &appsync_only,
                 "[{\"message\":\"Unknown directive \\\"@model\\\".\",\"locations\":[{\"line\":1,\"column\":11}]}]");
}

/* A directive graphgate refuses gets its own message, at its location. */
static void test_refused_directive(void)
{
    gg_schema_options opts = {.appsync = true, .amplify = true};
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    const char *sdl = "type Query { a: Int }\ntype Post @model @searchable { id: ID! }";
    gg_schema_source src = {"posts.graphql", sdl, strlen(sdl)};
    CHECK(gg_schema_build(&src, 1, &opts, &errors) == NULL);
    CHECK_INT(errors.count, 1);
    if (errors.head) {
        CHECK(strstr(errors.head->message, "@searchable is not supported by graphgate") == errors.head->message);
        CHECK_INT(errors.head->location_count, 1);
        if (errors.head->location_count == 1) {
            CHECK_INT(errors.head->locations[0].line, 2);
            CHECK_INT(errors.head->locations[0].column, 18);
        }
        CHECK_STR(errors.head->detail, "posts.graphql");
    }
    gg_arena_free(&arena);
}

/* Errors name the file they come from in detail; sources form one document. */
static void test_error_detail_names_the_file(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    const char *a = "type Query { a: Int }", *b = "extend type Query { b: Missing }", *c = "type Query { c: Int";
    gg_schema_source srcs[] = {{"a.graphql", a, strlen(a)}, {"b.graphql", b, strlen(b)}};
    CHECK(gg_schema_build(srcs, 2, NULL, &errors) == NULL);
    CHECK_INT(errors.count, 1);
    if (errors.head) {
        CHECK_STR(errors.head->message, "Unknown type \"Missing\".");
        CHECK_STR(errors.head->detail, "b.graphql");
        CHECK_INT(errors.head->location_count, 1);
        if (errors.head->location_count == 1) CHECK_INT(errors.head->locations[0].column, 24);
    }
    gg_error_list_init(&errors, &arena);
    gg_schema_source bad[] = {{"a.graphql", a, strlen(a)}, {"c.graphql", c, strlen(c)}};
    CHECK(gg_schema_build(bad, 2, NULL, &errors) == NULL);
    CHECK_INT(errors.count, 1);
    if (errors.head) {
        CHECK_STR(errors.head->message, "Syntax Error: Expected Name, found <EOF>.");
        CHECK_STR(errors.head->detail, "c.graphql");
    }
    /* schema validation errors too */
    gg_error_list_init(&errors, &arena);
    const char *d = "type Query { a: Int }", *e = "union U";
    gg_schema_source srcs2[] = {{"d.graphql", d, strlen(d)}, {"e.graphql", e, strlen(e)}};
    CHECK(gg_schema_build(srcs2, 2, NULL, &errors) == NULL);
    CHECK_INT(errors.count, 1);
    if (errors.head) {
        CHECK_STR(errors.head->message, "Union type U must define one or more member types.");
        CHECK_STR(errors.head->detail, "e.graphql");
    }
    gg_arena_free(&arena);
}

/* A schema without a query type is refused. */
static void test_missing_query(void)
{
    check_errors("type Foo { a: Int }", NULL, "[{\"message\":\"Query root type must be provided.\"}]");
    check_errors("schema { mutation: Foo }\ntype Foo { a: Int }", NULL,
                 "[{\"message\":\"Query root type must be provided.\",\"locations\":[{\"line\":1,\"column\":1}]}]");
}

/* Unknown directive arguments, wrong locations, extensions of unknown or other-kind types. */
static void test_directive_and_extension_rules(void)
{
    check_errors(
        "type Query { a: Int @deprecated(resaon: \"x\") b: Int @specifiedBy(url: \"x\") }\n"
        "scalar S @specifiedBy(uri: \"x\")\n"
        "extend type Querry { c: Int }\n"
        "extend input Query { d: Int }\n",
        NULL,
        "[{\"message\":\"Unknown argument \\\"resaon\\\" on directive \\\"@deprecated\\\". Did you mean "
        "\\\"reason\\\"?\",\"locations\":[{\"line\":1,\"column\":33}]},{\"message\":\"Directive \\\"@specifiedBy\\\" "
        "may not be used on FIELD_DEFINITION.\",\"locations\":[{\"line\":1,\"column\":53}]},{\"message\":\"Unknown "
        "argument \\\"uri\\\" on directive \\\"@specifiedBy\\\". Did you mean "
        "\\\"url\\\"?\",\"locations\":[{\"line\":2,\"column\":23}]},{\"message\":\"Directive \\\"@specifiedBy\\\" "
        "argument \\\"url\\\" of type \\\"String!\\\" is required, but it was not "
        "provided.\",\"locations\":[{\"line\":2,\"column\":10}]},{\"message\":\"Cannot extend type \\\"Querry\\\" "
        "because it is not defined. Did you mean "
        "\\\"Query\\\"?\",\"locations\":[{\"line\":3,\"column\":13}]},{\"message\":\"Cannot extend non-input object "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":1},{\"line\":4,\"column\":1}]}]");
}

/* Union members and implemented types of the wrong kind, repeated members, via extensions too. */
static void test_union_and_implements_rules(void)
{
    check_errors("type Query { a: Int }\n"
                 "union U = Query | I | Query\n"
                 "interface I { a: Int }\n"
                 "extend union U = I\n"
                 "type X implements Y { a: Int }\n"
                 "extend type X implements Query\n"
                 "input Y { a: Int }\n",
                 NULL,
                 "[{\"message\":\"Union type U can only include Object types, it cannot include "
                 "I.\",\"locations\":[{\"line\":2,\"column\":19},{\"line\":4,\"column\":18}]},{\"message\":\"Union "
                 "type U can only include type Query "
                 "once.\",\"locations\":[{\"line\":2,\"column\":11},{\"line\":2,\"column\":23}]},{\"message\":\"Union "
                 "type U can only include type I "
                 "once.\",\"locations\":[{\"line\":2,\"column\":19},{\"line\":4,\"column\":18}]},{\"message\":\"Type X "
                 "must only implement Interface types, it cannot implement "
                 "Y.\",\"locations\":[{\"line\":5,\"column\":19}]},{\"message\":\"Type X must only implement Interface "
                 "types, it cannot implement Query.\",\"locations\":[{\"line\":6,\"column\":26}]}]");
}

/* Repeated argument definitions, directive arguments and input fields. */
static void test_repeated_names(void)
{
    check_errors("type Query { f(a: Int, b: Int, a: Int, c: Int, b: Int, a: Int): Int @d(x: 1, y: 2, x: 3, x: 4, y: 5) "
                 "@e(i: {p: 1, q: 2, p: 3, p: 4}) }\n"
                 "directive @d(x: Int, y: Int) on FIELD_DEFINITION\n"
                 "directive @e(i: In) on FIELD_DEFINITION\n"
                 "input In { p: Int q: Int }\n",
                 NULL,
                 "[{\"message\":\"Argument \\\"Query.f(a:)\\\" can only be defined "
                 "once.\",\"locations\":[{\"line\":1,\"column\":16},{\"line\":1,\"column\":32},{\"line\":1,\"column\":"
                 "56}]},{\"message\":\"Argument \\\"Query.f(b:)\\\" can only be defined "
                 "once.\",\"locations\":[{\"line\":1,\"column\":24},{\"line\":1,\"column\":48}]},{\"message\":\"There "
                 "can be only one argument named "
                 "\\\"x\\\".\",\"locations\":[{\"line\":1,\"column\":72},{\"line\":1,\"column\":84},{\"line\":1,"
                 "\"column\":90}]},{\"message\":\"There can be only one argument named "
                 "\\\"y\\\".\",\"locations\":[{\"line\":1,\"column\":78},{\"line\":1,\"column\":96}]},{\"message\":"
                 "\"There can be only one input field named "
                 "\\\"p\\\".\",\"locations\":[{\"line\":1,\"column\":109},{\"line\":1,\"column\":121}]},{\"message\":"
                 "\"There can be only one input field named "
                 "\\\"p\\\".\",\"locations\":[{\"line\":1,\"column\":109},{\"line\":1,\"column\":127}]}]");
}

/* Non-null input object cycles, each reported once with its path. */
static void test_input_cycles(void)
{
    check_errors(
        "type Query { a(x: A): Int }\n"
        "input A { b: B! c: C! self: A! opt: A }\n"
        "input B { c: C! a: A! }\n"
        "input C { a: A! d: D! }\n"
        "input D { d: D! x: Int e: [A!]! }\n"
        "input E { f: F! }\n"
        "input F { e: E! a: A! }\n",
        NULL,
        "[{\"message\":\"Cannot reference Input Object \\\"A\\\" within itself through a series of non-null fields: "
        "\\\"b.c.a\\\".\",\"locations\":[{\"line\":2,\"column\":11},{\"line\":3,\"column\":11},{\"line\":4,\"column\":"
        "11}]},{\"message\":\"Cannot reference Input Object \\\"D\\\" within itself through a series of non-null "
        "fields: \\\"d\\\".\",\"locations\":[{\"line\":5,\"column\":11}]},{\"message\":\"Cannot reference Input Object "
        "\\\"A\\\" within itself through a series of non-null fields: "
        "\\\"b.a\\\".\",\"locations\":[{\"line\":2,\"column\":11},{\"line\":3,\"column\":17}]},{\"message\":\"Cannot "
        "reference Input Object \\\"A\\\" within itself through a series of non-null fields: "
        "\\\"self\\\".\",\"locations\":[{\"line\":2,\"column\":23}]},{\"message\":\"Cannot reference Input Object "
        "\\\"E\\\" within itself through a series of non-null fields: "
        "\\\"f.e\\\".\",\"locations\":[{\"line\":6,\"column\":11},{\"line\":7,\"column\":11}]}]");
}

/* The preludes are, to the user's SDL, an existing schema: redefining what they define gets
 * graphql-js's extendSchema messages (checked with validateSDL(doc, preludeSchema)). */
static void test_redefining_the_prelude(void)
{
    gg_schema_options opts = {.appsync = true, .amplify = true};
    check_errors("type Query { a: Int }\nextend type AuthRule { x: Int }\n", &opts,
                 "[{\"message\":\"Cannot extend non-object type \\\"AuthRule\\\".\",\"locations\":[{\"line\":2,"
                 "\"column\":1}]}]");
    check_errors("scalar AWSDate\n"
                 "directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION\n"
                 "extend enum AuthStrategy { owner custom2 }\n"
                 "extend input AuthRule { allow: AuthStrategy }\n"
                 "type Query { a: Int }\n",
                 &opts,
                 "[{\"message\":\"Type \\\"AWSDate\\\" already exists in the schema. It cannot also be defined in this "
                 "type definition.\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Directive "
                 "\\\"@aws_subscribe\\\" already exists in the schema. It cannot be "
                 "redefined.\",\"locations\":[{\"line\":2,\"column\":12}]},{\"message\":\"Enum value "
                 "\\\"AuthStrategy.owner\\\" already exists in the schema. It cannot also be defined in this type "
                 "extension.\",\"locations\":[{\"line\":3,\"column\":28}]},{\"message\":\"Field \\\"AuthRule.allow\\\" "
                 "already exists in the schema. It cannot also be defined in this type "
                 "extension.\",\"locations\":[{\"line\":4,\"column\":25}]}]");
}

int main(void)
{
    RUN(test_redefining_the_prelude);
    RUN(test_directive_and_extension_rules);
    RUN(test_union_and_implements_rules);
    RUN(test_repeated_names);
    RUN(test_input_cycles);
    RUN(test_sdl_rules);
    RUN(test_schema_rules);
    RUN(test_interface_rules);
    RUN(test_values);
    RUN(test_executable_definitions);
    RUN(test_amplify_arguments);
    RUN(test_refused_directive);
    RUN(test_error_detail_names_the_file);
    RUN(test_missing_query);
    return test_summary();
}
