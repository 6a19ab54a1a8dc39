/* Unit tests for server/graphql/type/prelude.c: the AppSync and Amplify prelude SDL.
 *
 * Both texts must parse, declare what the schema builder and the Amplify stages rely on with
 * the right arguments and locations, leave `input AMPLIFY` to user schemas, and every AWS
 * scalar declared must have ops in scalars.h. (graphql-js builds them with the Amplify sample
 * schemas: tests/fixtures/amplify/check.mjs.) */
#include <string.h>

#include "../../test.h"
#include "graphql/language/parser.h"
#include "graphql/type/prelude.h"
#include "graphql/type/scalars.h"

static gg_arena arena;

static gg_document *parse_sdl(const char *sdl)
{
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, sdl, strlen(sdl), NULL, &errors);
    CHECK(doc != NULL);
    return doc;
}

static const gg_definition *find_definition(const gg_document *doc, gg_definition_kind kind, const char *name)
{
    for (unsigned i = 0; doc != NULL && i < doc->definition_count; i++) {
        const gg_definition *d = &doc->definitions[i];
        if (d->kind == kind && d->name.value != NULL && strcmp(d->name.value, name) == 0) return d;
    }
    return NULL;
}

static const gg_input_value_def *find_arg(const gg_definition *d, const char *name)
{
    const gg_input_value_def *list = d->kind == GG_DEF_DIRECTIVE ? d->args : d->input_fields;
    unsigned count = d->kind == GG_DEF_DIRECTIVE ? d->arg_count : d->input_field_count;
    for (unsigned i = 0; i < count; i++) {
        if (strcmp(list[i].name.value, name) == 0) return &list[i];
    }
    return NULL;
}

/* The type of an argument or input field as SDL writes it, e.g. "[String!]!". */
static void write_type(gg_buf *b, const gg_type_ref *t)
{
    if (t->kind == GG_TYPE_REF_LIST) {
        gg_buf_putc(b, '[');
        write_type(b, t->of_type);
        gg_buf_putc(b, ']');
    } else if (t->kind == GG_TYPE_REF_NON_NULL) {
        write_type(b, t->of_type);
        gg_buf_putc(b, '!');
    } else {
        gg_buf_puts(b, t->name.value);
    }
}

static const char *arg_type(const gg_document *doc, gg_definition_kind kind, const char *owner, const char *arg)
{
    const gg_definition *d = find_definition(doc, kind, owner);
    const gg_input_value_def *a = d ? find_arg(d, arg) : NULL;
    if (a == NULL) return "(missing)";
    gg_buf b;
    gg_buf_init(&b);
    write_type(&b, a->type);
    const char *s = gg_arena_strdup(&arena, b.data);
    gg_buf_free(&b);
    return s;
}

static uint32_t locations(const gg_document *doc, const char *directive)
{
    const gg_definition *d = find_definition(doc, GG_DEF_DIRECTIVE, directive);
    return d ? d->locations : 0;
}

static void test_appsync_prelude(void)
{
    gg_document *doc = parse_sdl(gg_prelude_appsync_sdl);
    const char *scalars[] = {"AWSDate", "AWSTime", "AWSDateTime", "AWSTimestamp", "AWSEmail",
                             "AWSJSON", "AWSURL",  "AWSPhone",    "AWSIPAddress"};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        const gg_definition *d = find_definition(doc, GG_DEF_SCALAR, scalars[i]);
        CHECK(d != NULL && d->description == NULL); /* none of our own wording (issue 13) */
        CHECK(gg_scalar_find_aws(scalars[i]) != NULL);
    }
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "aws_subscribe", "mutations"), "[String!]!");
    CHECK_INT(locations(doc, "aws_subscribe"), GG_DL_FIELD_DEFINITION);
    const char *modes[] = {"aws_api_key", "aws_iam", "aws_oidc", "aws_lambda", "aws_cognito_user_pools"};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        CHECK_INT(locations(doc, modes[i]), GG_DL_FIELD_DEFINITION | GG_DL_OBJECT);
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "aws_cognito_user_pools", "cognito_groups"), "[String!]");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "aws_auth", "cognito_groups"), "[String!]!");
    CHECK_INT(locations(doc, "aws_auth"), GG_DL_FIELD_DEFINITION);
    CHECK_INT(doc ? doc->definition_count : 0, 9 + 7);
}

static void test_amplify_prelude(void)
{
    gg_document *doc = parse_sdl(gg_prelude_amplify_sdl);
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "model", "queries"), "ModelQueryMap");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "model", "subscriptions"), "ModelSubscriptionMap");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "model", "timestamps"), "TimestampConfiguration");
    CHECK_INT(locations(doc, "model"), GG_DL_OBJECT);
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "auth", "rules"), "[AuthRule!]!");
    CHECK_INT(locations(doc, "auth"), GG_DL_OBJECT | GG_DL_FIELD_DEFINITION);
    CHECK_STR(arg_type(doc, GG_DEF_INPUT_OBJECT, "AuthRule", "allow"), "AuthStrategy!");
    CHECK_STR(arg_type(doc, GG_DEF_INPUT_OBJECT, "AuthRule", "provider"), "AuthProvider");
    CHECK_STR(arg_type(doc, GG_DEF_INPUT_OBJECT, "AuthRule", "operations"), "[ModelOperation]");
    CHECK_STR(arg_type(doc, GG_DEF_INPUT_OBJECT, "AuthRule", "groups"), "[String]");
    const gg_definition *strategy = find_definition(doc, GG_DEF_ENUM, "AuthStrategy");
    CHECK(strategy != NULL && strategy->value_count == 5);
    const gg_definition *operation = find_definition(doc, GG_DEF_ENUM, "ModelOperation");
    CHECK(operation != NULL && operation->value_count == 9);
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "primaryKey", "sortKeyFields"), "[String]");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "index", "queryField"), "String");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "hasMany", "references"), "[String!]");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "hasMany", "limit"), "Int");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "hasOne", "fields"), "[String!]");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "belongsTo", "references"), "[String!]");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "manyToMany", "relationName"), "String!");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "default", "value"), "String");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "function", "name"), "String!");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "sql", "statement"), "String");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "refersTo", "name"), "String!");
    CHECK_STR(arg_type(doc, GG_DEF_DIRECTIVE, "mapsTo", "name"), "String!");
    const gg_definition *function = find_definition(doc, GG_DEF_DIRECTIVE, "function");
    const gg_definition *index = find_definition(doc, GG_DEF_DIRECTIVE, "index");
    CHECK(function != NULL && function->repeatable);
    CHECK(index != NULL && index->repeatable);
    /* user schemas declare `input AMPLIFY` themselves */
    CHECK(find_definition(doc, GG_DEF_INPUT_OBJECT, "AMPLIFY") == NULL);
    /* refused directives are declared, so schemas using them reach the clear refusal */
    CHECK(find_definition(doc, GG_DEF_DIRECTIVE, "searchable") != NULL);
    CHECK(find_definition(doc, GG_DEF_DIRECTIVE, "predictions") != NULL);
    CHECK(find_definition(doc, GG_DEF_DIRECTIVE, "http") != NULL);
}

/* The two preludes and a typical Amplify schema form one document without clashing names. */
static void test_preludes_combine(void)
{
    const char *user = "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n"
                       "type Todo @model @auth(rules: [{ allow: owner }]) { id: ID! due: AWSDate }\n";
    const char *all = gg_arena_printf(&arena, "%s\n%s\n%s", gg_prelude_appsync_sdl, gg_prelude_amplify_sdl, user);
    gg_document *doc = parse_sdl(all);
    for (unsigned i = 0; doc != NULL && i < doc->definition_count; i++) {
        for (unsigned j = i + 1; j < doc->definition_count; j++) {
            bool same_space =
                (doc->definitions[i].kind == GG_DEF_DIRECTIVE) == (doc->definitions[j].kind == GG_DEF_DIRECTIVE);
            if (same_space && strcmp(doc->definitions[i].name.value, doc->definitions[j].name.value) == 0)
                CHECK_STR(doc->definitions[j].name.value, "(a name defined once)");
        }
    }
}

static void test_refused_directives(void)
{
    const char *searchable = gg_prelude_refused_directive("searchable");
    CHECK(searchable != NULL && strstr(searchable, "OpenSearch") != NULL);
    CHECK(gg_prelude_refused_directive("predictions") != NULL);
    CHECK(gg_prelude_refused_directive("http") != NULL);
    const char *key = gg_prelude_refused_directive("key");
    CHECK(key != NULL && strstr(key, "@primaryKey") != NULL);
    CHECK(gg_prelude_refused_directive("connection") != NULL);
    const char *served[] = {"model",     "auth",          "primaryKey", "index",      "hasMany",    "hasOne",
                            "belongsTo", "manyToMany",    "default",    "function",   "sql",        "refersTo",
                            "mapsTo",    "aws_subscribe", "aws_iam",    "deprecated", "Searchable", ""};
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++)
        CHECK(gg_prelude_refused_directive(served[i]) == NULL);
    CHECK(gg_prelude_refused_directive(NULL) == NULL);
}

int main(void)
{
    gg_arena_init(&arena);
    RUN(test_appsync_prelude);
    RUN(test_amplify_prelude);
    RUN(test_preludes_combine);
    RUN(test_refused_directives);
    gg_arena_free(&arena);
    return test_summary();
}
