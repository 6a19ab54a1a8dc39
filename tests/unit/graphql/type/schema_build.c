/* Tests of server/graphql/type/schema_build.c and schema.c: what a schema built from SDL holds
 * (type and directive order as graphql-js's getTypeMap()/getDirectives(), root types, extensions,
 * AST nodes and directives, descriptions, deprecations, possible types) and the lookups and type
 * relations of schema.h. Expected orders were produced once with graphql-js 16.15. */
#include <stdlib.h>
#include <string.h>

#include "graphql/language/parser.h"
#include "graphql/type/schema_build.h"
#include "test.h"

static gg_arena err_arena;
static gg_error_list errors;

static gg_schema *build(const char *sdl, const gg_schema_options *opts)
{
    gg_arena_free(&err_arena);
    gg_error_list_init(&errors, &err_arena);
    gg_schema_source src = {"test.graphql", sdl, strlen(sdl)};
    gg_schema *s = gg_schema_build(&src, 1, opts, &errors);
    if (s == NULL && errors.head) fprintf(stderr, "  build failed: %s\n", errors.head->message);
    return s;
}

/* "A B C" of the schema's type names, then "\n", then its directive names. */
static char *order_of(const gg_schema *s)
{
    gg_buf b;
    gg_buf_init(&b);
    for (unsigned i = 0; i < s->type_count; i++)
        gg_buf_printf(&b, "%s%s", i ? " " : "", s->types[i]->name);
    gg_buf_putc(&b, '\n');
    for (unsigned i = 0; i < s->directive_count; i++)
        gg_buf_printf(&b, "%s%s", i ? " " : "", s->directives[i]->name);
    return gg_buf_take(&b, NULL);
}

static void check_order(const char *sdl, const char *expected)
{
    gg_schema *s = build(sdl, NULL);
    CHECK(s != NULL);
    if (s == NULL) return;
    char *got = order_of(s);
    CHECK_STR(got, expected);
    free(got);
    for (unsigned i = 0; i < s->type_count; i++) {
        CHECK_INT(s->types[i]->index, i);
        CHECK(gg_schema_find_type(s, s->types[i]->name) == s->types[i]);
    }
    gg_schema_free(s);
}

static const char common_sdl[] =
    "\"\"\"The root\"\"\"\n"
    "type Query implements Node {\n"
    "  id: ID!\n"
    "  \"a list\"\n"
    "  posts(first: Int = 10, after: String, order: Order = ASC, f: Float = 1.0): [Post!]! @deprecated\n"
    "  search(filter: Filter = {text: \"x\"}): [SearchResult] @deprecated(reason: \"use find\")\n"
    "}\n"
    "interface Node { id: ID! }\n"
    "type Post implements Node { id: ID! title: String tags: [String!] }\n"
    "union SearchResult = Post | User\n"
    "type User implements Node { id: ID! name: String }\n"
    "enum Order { ASC DESC @deprecated }\n"
    "input Filter { text: String limit: Int = 5 }\n"
    "scalar Date @specifiedBy(url: \"https://example.com/date\")\n"
    "directive @auth(rules: [String!]) repeatable on FIELD_DEFINITION | OBJECT\n"
    "extend type Post { date: Date }\n"
    "type Mutation { add(x: Int): Int }\n";

/* Types come in graphql-js's order (collectReferencedTypes); standard scalars only when used. */
static void test_type_order(void)
{
    check_order(common_sdl,
                "Query ID Int String Float Node Post SearchResult User Order Filter Date Mutation Boolean __Schema "
                "__Type __TypeKind __Field __InputValue __EnumValue __Directive __DirectiveLocation\n"
                "auth include skip deprecated specifiedBy oneOf");
    check_order("extend type Query { late: Late }\n"
                "scalar String\n"
                "type A { b: B c(x: Float): C }\n"
                "union U = Z | A\n"
                "type Z { id: ID }\n"
                "type B { s: String }\n"
                "input Late2 { x: Int }\n"
                "type C implements I { i: Int }\n"
                "interface I { i: Int }\n"
                "type Query { a: A u: U }\n"
                "type Late { l(x: Late2): Boolean }\n"
                "extend schema @sch\n"
                "directive @sch on SCHEMA\n",
                "String A Float U Z ID B Late2 Int C I Query Late Boolean __Schema __Type __TypeKind __Field "
                "__InputValue __EnumValue __Directive __DirectiveLocation\n"
                "sch include skip deprecated specifiedBy oneOf");
    check_order("type Query { a: Int }\n"
                "directive @skip(x: Int) on FIELD\n"
                "directive @mine on QUERY\n"
                "type Mutation { m: Int }\n"
                "type Subscription { s: Int }\n",
                "Query Int Mutation Subscription Boolean String __Schema __Type __TypeKind __Field __InputValue "
                "__EnumValue __Directive __DirectiveLocation\n"
                "skip mine include deprecated specifiedBy oneOf");
    check_order("type Query { a: String }",
                "Query String Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive "
                "__DirectiveLocation\ninclude skip deprecated specifiedBy oneOf");
    gg_schema *s = build("type Query { a: String }", NULL);
    if (s) {
        CHECK(gg_schema_find_type(s, "Int") == NULL);
        CHECK(gg_schema_find_type(s, "ID") == NULL);
        CHECK(gg_schema_find_type(s, "String")->is_builtin);
        CHECK(gg_schema_find_type(s, "__Type")->is_builtin);
        CHECK(!gg_schema_find_type(s, "Query")->is_builtin);
        gg_schema_free(s);
    }
}

/* Root types: schema { }, extend schema, or the default names. */
static void test_root_types(void)
{
    gg_schema *s = build(common_sdl, NULL);
    if (s) {
        CHECK_STR(s->query_type->name, "Query");
        CHECK_STR(s->mutation_type->name, "Mutation");
        CHECK(s->subscription_type == NULL);
        gg_schema_free(s);
    }
    s = build("\"the api\" schema @sch { query: Q } extend schema { mutation: M } directive @sch on SCHEMA "
              "type Q { a: Int } type M { b: Int } type Query { c: Int }",
              NULL);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->query_type->name, "Q");
        CHECK_STR(s->mutation_type->name, "M");
        CHECK_STR(s->description, "the api");
        CHECK_INT(s->schema_ast_node_count, 2);
        CHECK_INT(s->schema_directive_count, 1);
        CHECK_STR(s->schema_directives[0].name.value, "sch");
        gg_schema_free(s);
    }
}

/* Fields, AST nodes and directives of a type come from its definition then its extensions. */
static void test_extensions_and_ast(void)
{
    gg_schema *s =
        build("extend type Query @b { z: Int } type Query @a { \"doc\" y(arg: Int = 2 @deprecated): String "
              "@deprecated(reason: \"old\") } directive @a on OBJECT directive @b on OBJECT "
              "enum E { X Y @deprecated } extend enum E { Z } input I @oneOf { p: Int } extend input I { q: Int } "
              "scalar Url @specifiedBy(url: \"https://u.test\") type T { e: E i(i: I): Url }",
              NULL);
    CHECK(s != NULL);
    if (s == NULL) return;
    gg_type *q = gg_schema_find_type(s, "Query");
    CHECK_INT(q->field_count, 2);
    CHECK_STR(q->fields[0].name, "y");
    CHECK_STR(q->fields[1].name, "z");
    CHECK_INT(q->fields[1].index, 1);
    CHECK(q->fields[0].parent == q);
    CHECK_STR(q->fields[0].description, "doc");
    CHECK_STR(q->fields[0].deprecation_reason, "old");
    CHECK(q->fields[1].deprecation_reason == NULL);
    CHECK_STR(q->fields[0].args[0].deprecation_reason, "No longer supported");
    CHECK_STR(q->fields[0].args[0].default_value->text, "2");
    CHECK(q->fields[0].ast != NULL && strcmp(q->fields[0].ast->name.value, "y") == 0);
    CHECK_INT(q->ast_node_count, 2);
    CHECK(!q->ast_nodes[0]->is_extension);
    CHECK(q->ast_nodes[1]->is_extension);
    CHECK_INT(q->directive_count, 2);
    CHECK_STR(q->directives[0].name.value, "a");
    CHECK_STR(q->directives[1].name.value, "b");
    gg_type *e = gg_schema_find_type(s, "E");
    CHECK_INT(e->enum_value_count, 3);
    CHECK_STR(gg_type_find_enum_value(e, "Y")->deprecation_reason, "No longer supported");
    CHECK_INT(gg_type_find_enum_value(e, "Z")->index, 2);
    gg_type *i = gg_schema_find_type(s, "I");
    CHECK(i->is_one_of);
    CHECK_INT(i->input_field_count, 2);
    CHECK(gg_type_find_input_field(i, "q") == &i->input_fields[1]);
    gg_type *url = gg_schema_find_type(s, "Url");
    CHECK_STR(url->specified_by_url, "https://u.test");
    CHECK(url->scalar != NULL);
    CHECK(gg_schema_find_type(s, "String")->scalar != NULL);
    gg_field *f = gg_type_find_field(gg_schema_find_type(s, "T"), "i");
    CHECK(gg_field_find_arg(f, "i")->type == i);
    CHECK(gg_field_find_arg(f, "nope") == NULL);
    gg_directive_def *d = gg_schema_find_directive(s, "deprecated");
    CHECK(d->is_builtin);
    CHECK_INT(d->locations, GG_DL_FIELD_DEFINITION | GG_DL_ARGUMENT_DEFINITION | GG_DL_INPUT_FIELD_DEFINITION |
                                GG_DL_ENUM_VALUE | GG_DL_DIRECTIVE_DEFINITION);
    CHECK_STR(gg_directive_find_arg(d, "reason")->default_value->text, "No longer supported");
    CHECK(!gg_schema_find_directive(s, "a")->is_builtin);
    gg_schema_free(s);
}

/* Possible types, sub-typing and overlap (graphql-js isSubType, isTypeSubTypeOf, doTypesOverlap). */
static void test_abstract_types(void)
{
    gg_schema *s = build(
        "type Query { n: Node } interface Node { id: ID } interface Named implements Node { id: ID name: String } "
        "type B implements Node { id: ID } type A implements Named & Node { id: ID name: String } "
        "union U = A | C type C { c: Int }",
        NULL);
    CHECK(s != NULL);
    if (s == NULL) return;
    gg_type *node = gg_schema_find_type(s, "Node"), *named = gg_schema_find_type(s, "Named"),
            *a = gg_schema_find_type(s, "A"), *b = gg_schema_find_type(s, "B"), *c = gg_schema_find_type(s, "C"),
            *u = gg_schema_find_type(s, "U"), *query = s->query_type;
    CHECK_INT(node->possible_type_count, 2); /* in type order: B then A */
    CHECK(node->possible_types[0] == b && node->possible_types[1] == a);
    CHECK_INT(node->implementing_interface_count, 1);
    CHECK(node->implementing_interfaces[0] == named);
    CHECK_INT(u->possible_type_count, 2);
    CHECK(gg_schema_is_sub_type(s, node, a));
    CHECK(gg_schema_is_sub_type(s, node, named));
    CHECK(!gg_schema_is_sub_type(s, named, b));
    CHECK(gg_schema_is_sub_type(s, u, c));
    CHECK(!gg_schema_is_sub_type(s, u, b));
    CHECK(gg_schema_types_overlap(s, node, u)); /* A */
    CHECK(!gg_schema_types_overlap(s, named, c));
    CHECK(gg_schema_types_overlap(s, c, u));
    CHECK(!gg_schema_types_overlap(s, a, b));
    CHECK(gg_schema_is_type_sub_type_of(s, gg_schema_non_null_of(s, a), node));
    CHECK(!gg_schema_is_type_sub_type_of(s, node, gg_schema_non_null_of(s, node)));
    CHECK(gg_schema_is_type_sub_type_of(s, gg_schema_list_of(s, a), gg_schema_list_of(s, node)));
    CHECK(!gg_schema_is_type_sub_type_of(s, gg_schema_list_of(s, a), node));
    CHECK(gg_type_is_composite(u) && gg_type_is_abstract(u) && !gg_type_is_abstract(a));
    CHECK(!gg_type_is_input(a) && gg_type_is_output(a) && gg_type_is_leaf(gg_schema_find_type(s, "ID")));
    /* meta fields */
    CHECK_STR(gg_schema_field_def(s, query, "__schema")->name, "__schema");
    CHECK(gg_schema_field_def(s, a, "__schema") == NULL);
    CHECK_STR(gg_schema_field_def(s, u, "__typename")->name, "__typename");
    gg_arena arena;
    gg_arena_init(&arena);
    CHECK_STR(gg_type_to_string(&arena, s->typename_meta_field->type), "String!");
    CHECK_STR(gg_type_to_string(&arena, s->schema_meta_field->type), "__Schema!");
    CHECK_STR(gg_type_to_string(&arena, s->type_meta_field->type), "__Type");
    CHECK_STR(gg_type_to_string(&arena, gg_field_find_arg(s->type_meta_field, "name")->type), "String!");
    CHECK(gg_schema_field_def(s, query, "n") == gg_type_find_field(query, "n"));
    CHECK(gg_schema_field_def(s, query, "zz") == NULL);
    CHECK_STR(gg_type_kind_name(GG_KIND_INPUT_OBJECT), "INPUT_OBJECT");
    gg_schema_free(s);
    gg_arena_free(&arena);
}

/* gg_type_from_ast reuses the schema's wrappers and makes others in the caller's arena. */
static void test_type_from_ast(void)
{
    gg_schema *s = build("type Query { a: [Int!]! }", NULL);
    CHECK(s != NULL);
    if (s == NULL) return;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list perr;
    gg_error_list_init(&perr, &arena);
    gg_type_ref *r1 = gg_parse_type(&arena, "[Int!]!", 7, &perr);
    gg_type_ref *r2 = gg_parse_type(&arena, "[[Int]]", 7, &perr);
    gg_type_ref *r3 = gg_parse_type(&arena, "[Nope]", 6, &perr);
    gg_type *t1 = gg_type_from_ast(s, &arena, r1);
    CHECK(t1 == gg_type_find_field(s->query_type, "a")->type);
    gg_type *t2 = gg_type_from_ast(s, &arena, r2), *t2b = gg_type_from_ast(s, &arena, r2);
    CHECK(t2 != NULL && t2 != t2b && gg_type_equal(t2, t2b));
    CHECK(!gg_type_equal(t1, t2));
    CHECK_STR(gg_type_to_string(&arena, t2), "[[Int]]");
    CHECK(gg_type_named(t2) == gg_schema_find_type(s, "Int"));
    CHECK(gg_type_nullable(t1) == t1->of_type);
    CHECK(gg_type_from_ast(s, &arena, r3) == NULL);
    gg_arena_free(&arena);
    gg_schema_free(s);
}

/* AppSync scalars and directives are there when asked for, and count as built in. */
static void test_appsync_prelude(void)
{
    gg_schema_options opts = {.appsync = true};
    gg_schema *s = build("type Query { d: AWSDateTime @aws_api_key j: AWSJSON }", &opts);
    CHECK(s != NULL);
    if (s == NULL) return;
    gg_type *d = gg_schema_find_type(s, "AWSDateTime");
    CHECK(d != NULL && d->is_builtin && d->scalar != NULL);
    CHECK(gg_schema_find_directive(s, "aws_subscribe") != NULL);
    CHECK_INT(gg_type_find_field(s->query_type, "d")->ast->directive_count, 1);
    gg_schema_free(s);
    CHECK(build("type Query { d: AWSDateTime }", NULL) == NULL);
    CHECK(errors.head != NULL && strcmp(errors.head->message, "Unknown type \"AWSDateTime\".") == 0);
}

/* As AppSync serves a schema (issue 13): only the AWS scalars it uses (in the prelude's order,
 * wherever they are used), and no @oneOf. */
static void test_appsync_declares_what_is_used(void)
{
    gg_schema_options opts = {.appsync = true};
    gg_schema *s = build("input F { at: AWSTimestamp }\ntype Query { d(f: F): AWSDateTime j: AWSJSON n: Int }", &opts);
    CHECK(s != NULL);
    if (s == NULL) return;
    char *order = order_of(s);
    CHECK_STR(order, "AWSDateTime AWSTimestamp AWSJSON F Query Int String Boolean __Schema __Type __TypeKind __Field "
                     "__InputValue __EnumValue __Directive __DirectiveLocation\naws_subscribe aws_api_key aws_iam "
                     "aws_oidc aws_lambda aws_cognito_user_pools aws_auth include skip deprecated specifiedBy");
    free(order);
    CHECK(gg_schema_find_type(s, "AWSDate") == NULL);
    CHECK(gg_schema_find_type(s, "AWSIPAddress") == NULL);
    CHECK(gg_schema_find_directive(s, "aws_api_key") != NULL);
    for (unsigned i = 0; i < s->directive_count; i++)
        CHECK(strcmp(s->directives[i]->name, "oneOf") != 0);
    gg_schema_free(s);
    /* outside AppSync mode @oneOf stays (graphql-js lists it) */
    s = build("type Query { n: Int }", NULL);
    bool one_of = false;
    for (unsigned i = 0; s != NULL && i < s->directive_count; i++)
        one_of = one_of || strcmp(s->directives[i]->name, "oneOf") == 0;
    CHECK(one_of);
    gg_schema_free(s);
}

/* Sources are copied: the schema does not keep pointers into the caller's text. */
static void test_sources_are_copied(void)
{
    char *text = strdup("type Query { a: Int }");
    gg_schema_source src = {"x.graphql", text, strlen(text)};
    gg_arena_free(&err_arena);
    gg_error_list_init(&errors, &err_arena);
    gg_schema *s = gg_schema_build(&src, 1, NULL, &errors);
    memset(text, 'x', strlen(text));
    free(text);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->query_type->fields[0].name, "a");
        gg_schema_free(s);
    }
    gg_schema_free(NULL);
}

int main(void)
{
    gg_arena_init(&err_arena);
    RUN(test_type_order);
    RUN(test_root_types);
    RUN(test_extensions_and_ast);
    RUN(test_abstract_types);
    RUN(test_type_from_ast);
    RUN(test_appsync_prelude);
    RUN(test_appsync_declares_what_is_used);
    RUN(test_sources_are_copied);
    gg_arena_free(&err_arena);
    return test_summary();
}
