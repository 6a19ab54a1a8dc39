/* gg_run.c: graphgate's side of the differential test against graphql-js (run.mjs is the other).
 *
 * Reads one JSON job (from the file named on the command line, or stdin) and prints one JSON
 * answer on stdout. run.mjs builds the same job for graphql-js and compares the two answers.
 *
 *   job:    {"schema": SDL or null, "options": {"appsync": bool, "amplify": bool},
 *            "introspectionQuery": text, "cases": [{name, document, variables, operationName,
 *            rootValue}], "sdlCases": [{name, sdl, options}]}
 *           (a document holding NUL bytes comes as "documentBase64" instead of "document")
 *   answer: {"schema": SCHEMA, "cases": [CASE...], "sdlCases": [SCHEMA...]}
 *   SCHEMA: {"name", "printedSdl", "errors": [...]} or {"name", "printedSdl", "printed":
 *            printSchema text, "introspection": result of introspectionQuery}
 *           (printedSdl: the SDL parsed and printed back as a document, null when it does not parse)
 *   CASE:   {"name", "parseErrors": [...]} | {"name", "printed", "validationErrors": [...]}
 *           | {"name", "printed", "result": {data, errors}}; plus "response": the same request
 *           through the gateway (gateway.h, as the server runs it; {errors} alone after syntax
 *           or validation errors)
 *
 * Like graphql-js's graphql(): a case stops at the first stage that reports errors. Errors are
 * our own JSON (gg_error_write_json); run.mjs ignores the AppSync keys graphql-js lacks.
 *
 * Resolvers: every field of the schema's own object types gets data_resolve, which is the
 * default resolver (the parent value's member named like the field) plus one convention shared
 * with run.mjs: a member {"__error": "message"} makes the field fail with that message, so the
 * corpus can put resolver errors anywhere in the data (inside lists, under non-null fields).
 * The process is short-lived, but it still frees everything so AddressSanitizer's leak check
 * stays meaningful. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "error.h"
#include "execute/execute.h"
#include "execute/values.h"
#include "gateway/gateway.h"
#include "language/parser.h"
#include "language/printer.h"
#include "type/print_schema.h"
#include "type/schema.h"
#include "type/schema_build.h"
#include "validate/validate.h"
#include "value.h"

/* ---- input ---- */

static char *read_all(FILE *in, size_t *len)
{
    gg_buf b;
    gg_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        gg_buf_append(&b, chunk, n);
    if (!b.data) gg_buf_append(&b, "", 0);
    return gg_buf_take(&b, len);
}

static const char *json_string(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static bool json_bool(const cJSON *obj, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* ---- resolvers ---- */

static void data_resolve(gg_resolve_info *info)
{
    gg_val *value = gg_val_object_get(info->source, info->field->name);
    const gg_val *error = gg_val_object_get(value, "__error");
    if (error && error->kind == GG_VAL_STRING) {
        gg_resolve_error(info, NULL, "%s", error->s);
        return;
    }
    gg_resolve_return(info, value);
}

static void install_resolvers(gg_schema *schema)
{
    for (unsigned t = 0; t < schema->type_count; t++) {
        gg_type *type = schema->types[t];
        if (type->kind != GG_KIND_OBJECT || type->is_builtin) continue;
        for (unsigned f = 0; f < type->field_count; f++)
            type->fields[f].resolve = data_resolve;
    }
}

/* ---- output helpers ---- */

static void write_key(gg_buf *out, const char *key)
{
    gg_json_write_string(out, key, strlen(key));
    gg_buf_putc(out, ':');
}

static void write_string_member(gg_buf *out, const char *key, const char *value, size_t len)
{
    write_key(out, key);
    gg_json_write_string(out, value, len);
}

static void write_errors_member(gg_buf *out, const char *key, const gg_error_list *errors)
{
    write_key(out, key);
    gg_error_list_write_json(out, errors);
}

/* ---- one executable document ---- */

typedef struct exec_done {
    gg_buf *out;
    bool called;
} exec_done;

static void on_complete(const gg_exec_result *result, void *user)
{
    exec_done *done = user;
    done->called = true;
    gg_exec_result_write_json(done->out, result);
}

/* Parses, validates and executes one document, writing the CASE members (without braces). */
static void run_document(gg_buf *out, const gg_schema *schema, const char *document, size_t len, const cJSON *variables,
                         const char *operation_name, const cJSON *root_value)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);

    gg_document *doc = gg_parse(&arena, document, len, NULL, &errors);
    if (!doc || errors.count) {
        write_errors_member(out, "parseErrors", &errors);
        gg_arena_free(&arena);
        return;
    }
    gg_buf printed;
    gg_buf_init(&printed);
    gg_print_document(&printed, doc);
    write_string_member(out, "printed", printed.data ? printed.data : "", printed.len);
    gg_buf_free(&printed);
    gg_buf_putc(out, ',');

    if (!gg_validate(schema, doc, &arena, &errors, NULL)) {
        write_errors_member(out, "validationErrors", &errors);
        gg_arena_free(&arena);
        return;
    }
    write_key(out, "result");
    exec_done done = {out, false};
    gg_exec_request request = {
        .schema = schema,
        .document = doc,
        .operation_name = operation_name,
        .variables = variables && !cJSON_IsNull(variables) ? gg_val_from_cjson(&arena, variables) : NULL,
        .root_value = root_value ? gg_val_from_cjson(&arena, root_value) : NULL,
        .arena = &arena,
        .on_complete = on_complete,
        .user = &done,
    };
    gg_execute(&request);
    if (!done.called) gg_buf_puts(out, "{\"gg_run\":\"on_complete was not called\"}");
    gg_arena_free(&arena);
}

/* Decodes standard base64 (run.mjs sends documents holding NUL bytes this way, since a cJSON
 * string ends at its first NUL); stops at '=' or the first character outside the alphabet. */
static char *base64_decode(const char *in, size_t *len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(strlen(in) / 4 * 3 + 4);
    uint32_t bits = 0;
    unsigned nbits = 0;
    *len = 0;
    for (const char *p = in; *p; p++) {
        const char *pos = strchr(alphabet, *p);
        if (*p == '=' || !pos) break;
        bits = (bits << 6) | (uint32_t)(pos - alphabet);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out[(*len)++] = (char)((bits >> nbits) & 0xff);
        }
    }
    out[*len] = '\0';
    return out;
}

typedef struct response_done {
    gg_buf *out;
    bool called;
} response_done;

static void on_response(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    (void)outcome;
    response_done *done = user;
    done->called = true;
    gg_buf_append(done->out, json, len);
}

/* The same request through the gateway (server/gateway/gateway.h), as the server runs it: the
 * document from a cache, then execution (graphql-js graphql(): one response, syntax and
 * validation errors as a response without data). The configuration is the server's default
 * with the graphgate-only checks that graphql-js lacks turned off (the safety limits, which
 * tests/fuzz/pathological.c asserts, and the hidden suggestions). gg_gateway_execute runs a
 * subscription's one event, as graphql() does; the HTTP handler refuses them before it. */
static void write_response(gg_buf *out, const gg_schema *schema, const char *document, size_t len,
                           const cJSON *variables, const char *operation_name, const cJSON *root_value)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_config cfg;
    gg_config_defaults(&cfg);
    cfg.max_depth = cfg.max_aliases = cfg.max_tokens = cfg.max_directives = cfg.max_cost = 0;
    cfg.field_suggestions = true;
    gg_gateway *gateway = gg_gateway_wrap(schema, root_value ? gg_val_from_cjson(&arena, root_value) : NULL, &cfg);
    gg_config_free(&cfg);
    gg_doc_cache *cache = gg_doc_cache_new(gateway, 1);
    gg_doc *doc = gg_doc_get(cache, document, len);
    write_key(out, "response");
    if (gg_doc_get_status(doc) != GG_DOC_OK) {
        gg_doc_write_errors(doc, out);
    } else {
        response_done done = {out, false};
        gg_gateway_request request = {
            .doc = doc,
            .operation_name = operation_name,
            .variables = variables && !cJSON_IsNull(variables) ? variables : NULL,
        };
        gg_gateway_execute(gateway, &request, on_response, &done);
        if (!done.called) gg_buf_puts(out, "{\"gg_run\":\"on_complete was not called\"}");
    }
    gg_doc_release(doc);
    gg_doc_cache_free(cache);
    gg_gateway_free(gateway);
    gg_arena_free(&arena);
}

static void run_case(gg_buf *out, const gg_schema *schema, const cJSON *c)
{
    const char *name = json_string(c, "name");
    const char *base64 = json_string(c, "documentBase64");
    const char *text = json_string(c, "document");
    size_t len = text ? strlen(text) : 0;
    char *decoded = base64 ? base64_decode(base64, &len) : NULL;
    gg_buf_putc(out, '{');
    write_string_member(out, "name", name ? name : "", name ? strlen(name) : 0);
    gg_buf_putc(out, ',');
    const char *document = decoded ? decoded : text ? text : "";
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(c, "variables");
    const char *operation_name = json_string(c, "operationName");
    const cJSON *root_value = cJSON_GetObjectItemCaseSensitive(c, "rootValue");
    run_document(out, schema, document, len, variables, operation_name, root_value);
    gg_buf_putc(out, ',');
    write_response(out, schema, document, len, variables, operation_name, root_value);
    gg_buf_putc(out, '}');
    free(decoded);
}

/* ---- schemas ---- */

/* The SDL text parsed and printed back as a document (print(parse(sdl))), or null when it does
 * not parse: the printer's SDL half. */
static void write_printed_sdl(gg_buf *out, const char *sdl)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, sdl, strlen(sdl), NULL, &errors);
    write_key(out, "printedSdl");
    if (doc && !errors.count) {
        gg_buf printed;
        gg_buf_init(&printed);
        gg_print_document(&printed, doc);
        gg_json_write_string(out, printed.data ? printed.data : "", printed.len);
        gg_buf_free(&printed);
    } else {
        gg_buf_puts(out, "null");
    }
    gg_buf_putc(out, ',');
    gg_arena_free(&arena);
}

/* Builds a schema; on errors writes them and returns NULL, else writes printSchema and the
 * introspection result and returns the schema (with data_resolve installed). */
static gg_schema *run_schema(gg_buf *out, const char *name, const char *sdl, const cJSON *options,
                             const char *introspection_query)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {.name = name, .text = sdl, .len = strlen(sdl)};
    gg_schema_options opts = {.appsync = json_bool(options, "appsync"), .amplify = json_bool(options, "amplify")};
    gg_schema *schema = gg_schema_build(&source, 1, &opts, &errors);

    gg_buf_putc(out, '{');
    write_string_member(out, "name", name, strlen(name));
    gg_buf_putc(out, ',');
    write_printed_sdl(out, sdl);
    if (!schema || errors.count) {
        write_errors_member(out, "errors", &errors);
        gg_buf_putc(out, '}');
        gg_schema_free(schema);
        gg_arena_free(&arena);
        return NULL;
    }
    gg_arena_free(&arena);
    install_resolvers(schema);

    gg_buf printed;
    gg_buf_init(&printed);
    gg_print_schema(&printed, schema);
    write_string_member(out, "printed", printed.data ? printed.data : "", printed.len);
    gg_buf_free(&printed);
    if (introspection_query) {
        gg_buf_puts(out, ",\"introspection\":{");
        run_document(out, schema, introspection_query, strlen(introspection_query), NULL, NULL, NULL);
        gg_buf_putc(out, '}');
    }
    gg_buf_putc(out, '}');
    return schema;
}

static int run_job(const cJSON *job, gg_buf *out)
{
    const char *introspection_query = json_string(job, "introspectionQuery");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(job, "options");
    gg_buf_putc(out, '{');

    const char *sdl = json_string(job, "schema");
    gg_schema *schema = NULL;
    if (sdl) {
        const char *name = json_string(job, "name");
        write_key(out, "schema");
        schema = run_schema(out, name ? name : "schema.graphql", sdl, options, introspection_query);
        gg_buf_putc(out, ',');
    }

    write_key(out, "cases");
    gg_buf_putc(out, '[');
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(job, "cases");
    bool first = true;
    for (const cJSON *c = cJSON_IsArray(cases) ? cases->child : NULL; c && schema; c = c->next) {
        if (!first) gg_buf_putc(out, ',');
        first = false;
        run_case(out, schema, c);
    }
    gg_buf_puts(out, "],");
    gg_schema_free(schema);

    write_key(out, "sdlCases");
    gg_buf_putc(out, '[');
    const cJSON *sdl_cases = cJSON_GetObjectItemCaseSensitive(job, "sdlCases");
    first = true;
    for (const cJSON *c = cJSON_IsArray(sdl_cases) ? sdl_cases->child : NULL; c; c = c->next) {
        if (!first) gg_buf_putc(out, ',');
        first = false;
        const char *name = json_string(c, "name");
        const char *case_sdl = json_string(c, "sdl");
        gg_schema *s = run_schema(out, name ? name : "", case_sdl ? case_sdl : "",
                                  cJSON_GetObjectItemCaseSensitive(c, "options"), introspection_query);
        gg_schema_free(s);
    }
    gg_buf_puts(out, "]}\n");
    return 0;
}

int main(int argc, char **argv)
{
    FILE *in = stdin;
    if (argc > 2 || (argc == 2 && !(in = fopen(argv[1], "rb")))) {
        fprintf(stderr, "usage: gg_run [job.json]   (reads the job from stdin without a file)\n");
        return 2;
    }
    size_t len;
    char *text = read_all(in, &len);
    if (in != stdin) fclose(in);
    cJSON *job = cJSON_ParseWithLength(text, len);
    free(text);
    if (!job) {
        fprintf(stderr, "gg_run: the job is not valid JSON\n");
        return 2;
    }
    gg_buf out;
    gg_buf_init(&out);
    int rc = run_job(job, &out);
    cJSON_Delete(job);
    fwrite(out.data, 1, out.len, stdout);
    gg_buf_free(&out);
    return rc;
}
