/* fuzz_schema.c: libFuzzer harness for building schemas from SDL (type/schema_build.c, the SDL
 * rules, schema validation, print_schema.c) and for introspection over whatever gets built.
 *
 * The input is one SDL source, any bytes. It is built twice: alone, and on the AppSync and
 * Amplify preludes (the way the server builds user schemas). Properties checked, beyond "no
 * crash, no leak, no hang":
 * - gg_schema_build returns a schema with no error, or NULL with at least one error, each with
 *   a message;
 * - a schema built without preludes prints (gg_print_schema) to SDL that builds again and prints
 *   identically (graphql-js buildSchema(printSchema(s)) round-trips the same way);
 * - the introspection query runs on it through the gateway with the server's default limits and
 *   gives data without errors (introspection never fails on a valid schema), and
 *   gg_print_introspection_schema works;
 * - when the input holds a line "%%", what follows it is a query, run through the gateway
 *   (limits, validation, execution with root value null) on the schema built from what precedes
 *   it: the validation rules and the executor meet schemas nobody wrote by hand. The response
 *   must be JSON.
 * Build and run: see README.md. */
#include <cjson/cJSON.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "error.h"
#include "fuzz.h"
#include "gateway/gateway.h"
#include "type/print_schema.h"
#include "type/schema.h"
#include "type/schema_build.h"

/* graphql-js getIntrospectionQuery with every option, a little shorter in ofType depth. */
static const char introspection_query[] =
    "query IntrospectionQuery { __schema { description queryType { name } mutationType { name }"
    " subscriptionType { name } types { ...FullType }"
    " directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } } } }"
    " fragment FullType on __Type { kind name description specifiedByURL isOneOf"
    " fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue }"
    " type { ...TypeRef } isDeprecated deprecationReason }"
    " inputFields(includeDeprecated: true) { ...InputValue } interfaces { ...TypeRef }"
    " enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }"
    " possibleTypes { ...TypeRef } }"
    " fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue"
    " isDeprecated deprecationReason }"
    " fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name"
    " ofType { kind name ofType { kind name } } } } } }";

static gg_schema *build(const char *text, size_t len, const gg_schema_options *opts)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {.name = "fuzz.graphql", .text = text, .len = len};
    gg_schema *schema = gg_schema_build(&source, 1, opts, &errors);
    if (schema && errors.count)
        fuzz_fail("a built schema must come without errors", text, len, errors.head->message,
                  strlen(errors.head->message));
    if (!schema && errors.count == 0) fuzz_fail("a refused schema must say why", text, len, "", 0);
    for (const gg_error *e = errors.head; e; e = e->next)
        if (!e->message || !e->message[0]) fuzz_fail("every schema error has a message", text, len, "", 0);
    gg_arena_free(&arena);
    return schema;
}

/* The built schema printed, rebuilt from its printed form and printed again: the same text. */
static void check_print_round_trip(const gg_schema *schema, const char *text, size_t len)
{
    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    gg_print_schema(&first, schema);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {.name = "printed.graphql", .text = first.data ? first.data : "", .len = first.len};
    gg_schema *again = gg_schema_build(&source, 1, NULL, &errors);
    if (!again) fuzz_fail("the printed schema does not build again", text, len, first.data, first.len);
    gg_print_schema(&second, again);
    if (first.len != second.len || (first.len && memcmp(first.data, second.data, first.len) != 0))
        fuzz_fail("printing the rebuilt schema changed the text", first.data, first.len, second.data, second.len);
    gg_schema_free(again);
    gg_arena_free(&arena);
    gg_buf_free(&first);
    gg_buf_free(&second);
}

/* A gateway around schema with the server's default configuration: requests run as the server
 * runs them (limits, validation, execution). */
static gg_gateway *wrap(const gg_schema *schema)
{
    gg_config cfg;
    gg_config_defaults(&cfg);
    gg_gateway *gateway = gg_gateway_wrap(schema, NULL, &cfg);
    gg_config_free(&cfg);
    return gateway;
}

static void check_introspection(const gg_schema *schema, const char *text, size_t len)
{
    gg_buf out;
    gg_buf_init(&out);
    gg_gateway *gateway = wrap(schema);
    bool ok = gg_gateway_run_sync(gateway, introspection_query, sizeof introspection_query - 1, NULL, NULL, &out);
    gg_gateway_free(gateway);
    if (!ok) fuzz_fail("introspection of a valid schema failed", text, len, out.data, out.len);
    gg_buf_free(&out);
    gg_buf_init(&out);
    gg_print_introspection_schema(&out, schema);
    gg_buf_free(&out);
}

/* Runs the query part of the input on the schema; the response must be JSON. */
static void check_query(const gg_schema *schema, const char *query, size_t len)
{
    gg_buf out;
    gg_buf_init(&out);
    gg_gateway *gateway = wrap(schema);
    gg_gateway_run_sync(gateway, query, len, NULL, NULL, &out);
    gg_gateway_free(gateway);
    cJSON *json = cJSON_ParseWithLength(out.data ? out.data : "", out.len);
    if (!json || !cJSON_IsObject(json)) fuzz_fail("the response is not a JSON object", query, len, out.data, out.len);
    cJSON_Delete(json);
    gg_buf_free(&out);
}

/* Runs the part of the input after the "%%" line, if any, as a query on the schema. */
static bool run_query_part(const gg_schema *schema, const char *text, size_t sdl_len, size_t size)
{
    if (sdl_len == size) return false;
    /* The query in a buffer of its exact size, so reading past it is caught. */
    size_t len = size - sdl_len - 4;
    char *query = malloc(len ? len : 1);
    memcpy(query, text + sdl_len + 4, len);
    check_query(schema, query, len);
    free(query);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t sdl_len = size;
    for (size_t i = 0; i + 4 <= size; i++) {
        if (memcmp(text + i, "\n%%\n", 4) == 0) {
            sdl_len = i;
            break;
        }
    }
    bool ran_query = false;
    gg_schema *schema = build(text, sdl_len, NULL);
    if (schema) {
        check_print_round_trip(schema, text, sdl_len);
        check_introspection(schema, text, sdl_len);
        ran_query = run_query_part(schema, text, sdl_len, size);
        gg_schema_free(schema);
    }
    gg_schema_options preludes = {.appsync = true, .amplify = true};
    schema = build(text, sdl_len, &preludes);
    if (schema) {
        gg_buf out;
        gg_buf_init(&out);
        gg_print_schema(&out, schema);
        gg_buf_free(&out);
        if (!ran_query) /* an AppSync schema, built only on the preludes */
            run_query_part(schema, text, sdl_len, size);
        gg_schema_free(schema);
    }
    return 0;
}
