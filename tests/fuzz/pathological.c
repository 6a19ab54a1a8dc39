/* pathological.c: hand-made hostile requests that must end quickly in a clear error or a correct
 * result, never in a crash, a stack overflow or a hang (the "bounded recursion" promise of the
 * engine: 10,000 nested lists or selections, a 10 MB string, 100k aliases, ...).
 *
 * The inputs are generated in memory (they are megabytes; the fuzz corpora hold small files) and
 * run through the gateway (gg_gateway_run_sync, as the server runs them) against a small schema
 * whose fields echo their arguments, with the server's default limits: most of them must be
 * refused by a named limit (tokens, depth, aliases, directives, cost; the schema has no filters,
 * so the filter limits of resolvers/postgres are not met here). Then each runs again through the
 * engine alone (graphql.h), on purpose: a server whose limits are raised or off relies on the
 * engine's own bounds, which must hold. Each case checks the response names the
 * expected outcome and prints its time; a
 * case taking more than HANG_SECONDS counts as a hang (a generous bound for sanitizer builds on
 * a busy machine: healthy cases take milliseconds). Run under AddressSanitizer too (the asan
 * build's 'fuzz-replay' suite), where stack overflows and leaks show. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "execute/execute.h"
#include "execute/values.h"
#include "fuzz.h"
#include "gateway/gateway.h"
#include "graphql.h"
#include "type/print_schema.h"
#include "type/schema.h"
#include "type/schema_build.h"

#define HANG_SECONDS 20.0

static const char sdl[] = "type Query {\n"
                          "  a: String\n"
                          "  s(s: String): String\n"
                          "  n(i: Int, f: Float): Float\n"
                          "  j(v: AWSJSON): AWSJSON\n"
                          "  l(l: [[String]]): String\n"
                          "  o(o: In): String\n"
                          "  q: Query\n"
                          "}\n"
                          "input In { a: In s: String }\n";

static gg_schema *schema;
static gg_val root_value;
static gg_gateway *server_limits; /* the server's defaults (gg_config_defaults): what a client meets */

static void echo_resolve(gg_resolve_info *info)
{
    gg_resolve_return(info, info->args->count ? info->args->members[0].value : NULL);
}

static void self_resolve(gg_resolve_info *info)
{
    gg_resolve_return(info, (gg_val *)info->source);
}

static void const_resolve(gg_resolve_info *info)
{
    gg_resolve_return(info, gg_val_string(info->arena, "x", 1));
}

static void setup(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {.name = "pathological.graphql", .text = sdl, .len = sizeof sdl - 1};
    gg_schema_options opts = {.appsync = true};
    schema = gg_schema_build(&source, 1, &opts, &errors);
    if (!schema) {
        fprintf(stderr, "schema: %s\n", errors.head->message);
        exit(1);
    }
    gg_arena_free(&arena);
    gg_type *query = gg_schema_find_type(schema, "Query");
    for (unsigned i = 0; i < query->field_count; i++) {
        gg_field *f = &query->fields[i];
        f->resolve = strcmp(f->name, "q") == 0   ? self_resolve
                     : strcmp(f->name, "a") == 0 ? const_resolve
                                                 : echo_resolve;
    }
    root_value.kind = GG_VAL_OBJECT;
    gg_config cfg;
    gg_config_defaults(&cfg);
    server_limits = gg_gateway_wrap(schema, &root_value, &cfg);
    gg_config_free(&cfg);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one request through the gateway (gateway non-NULL) or the engine alone; the response
 * (malloc'd) must contain `expected`. Returns the response. */
static char *run_through(gg_gateway *gateway, const char *name, const char *query, size_t len, const char *variables,
                         const char *expected)
{
    gg_buf out;
    gg_buf_init(&out);
    double start = now();
    if (gateway != NULL)
        gg_gateway_run_sync(gateway, query, len, NULL, variables, &out);
    else
        gg_graphql_run_sync(schema, query, len, NULL, variables, &root_value, &out);
    double took = now() - start;
    char *response = gg_buf_take(&out, NULL);
    printf("%-40s %8.3f s  %.160s%s\n", name, took, response, strlen(response) > 160 ? "..." : "");
    CHECK(took < HANG_SECONDS);
    cJSON *json = cJSON_Parse(response);
    CHECK(json != NULL || fuzz_json_depth(response, strlen(response)) >= CJSON_NESTING_LIMIT); /* cJSON's limit */
    cJSON_Delete(json);
    if (!strstr(response, expected)) {
        test_failed++;
        fprintf(stderr, "%s: the response lacks %s\n", name, expected);
    } else {
        test_passed++;
    }
    return response;
}

/* Runs one request twice: through the gateway with the server's default limits, where the
 * response must contain with_limits (NULL: expected, when no limit applies), then through the
 * engine alone (a server whose limits are raised relies on its bounds), where it must contain
 * `expected`. Returns the second response (malloc'd). */
static char *run(const char *name, const char *query, size_t len, const char *variables, const char *expected,
                 const char *with_limits)
{
    char limited_name[64];
    snprintf(limited_name, sizeof limited_name, "%.31s (default limits)", name);
    free(run_through(server_limits, limited_name, query, len, variables, with_limits ? with_limits : expected));
    return run_through(NULL, name, query, len, variables, expected);
}

static void run_free(const char *name, const char *query, size_t len, const char *variables, const char *expected,
                     const char *with_limits)
{
    free(run(name, query, len, variables, expected, with_limits));
}

/* prefix + count x unit + middle + count x closer + suffix, in a gg_buf. */
static char *nest(const char *prefix, const char *unit, unsigned count, const char *middle, const char *closer,
                  const char *suffix, size_t *len)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, prefix);
    for (unsigned i = 0; i < count; i++)
        gg_buf_puts(&b, unit);
    gg_buf_puts(&b, middle);
    for (unsigned i = 0; i < count; i++)
        gg_buf_puts(&b, closer);
    gg_buf_puts(&b, suffix);
    return gg_buf_take(&b, len);
}

static void nested(const char *name, const char *prefix, const char *unit, unsigned count, const char *middle,
                   const char *closer, const char *suffix, const char *expected, const char *with_limits)
{
    size_t len;
    char *q = nest(prefix, unit, count, middle, closer, suffix, &len);
    run_free(name, q, len, NULL, expected, with_limits);
    free(q);
}

#define DEEP "Document is nested deeper than 512 levels. Parsing aborted."
/* limits.max_tokens (1000 by default) */
#define TOKENS                                                                                                         \
    "Syntax Error: Document contains more that 1000 tokens. Parsing aborted. (server setting limits.max_tokens)"

static void test_deep_documents(void)
{
    nested("10k nested selections", "{", " q {", 10000, " a", "}", "}", DEEP, TOKENS);
    nested("10k nested list values", "{ l(l: ", "[", 10000, "", "]", ") }", DEEP, NULL);
    nested("10k nested list types", "query($v: ", "[", 10000, "String", "]", ") { a }", DEEP, NULL);
    nested("10k nested object values", "{ o(o: ", "{a: ", 10000, "", "}", ") }", DEEP, TOKENS);
    nested("10k nested braces", "", "{", 10000, "", "}", "", "Syntax Error: Expected Name, found \\\"{\\\".", NULL);
    nested("10k open brackets", "{ l(l: ", "[", 10000, "", "", "", DEEP, NULL);
    nested("10k nested inline fragments", "{", " ... on Query {", 10000, " a", "}", "}", DEEP, TOKENS);
    /* Just under the parser's limit: every later stage must cope with the depth too. */
    nested("500 nested selections", "{", " q {", 500, " a", "}", "}", "{\"data\":{\"q\":{\"q\":", TOKENS);
    nested("500 nested list values", "{ l(l: ", "[", 500, "", "]", ") }", "String cannot represent", TOKENS);
    nested("500 nested object values", "{ o(o: ", "{a: ", 500, "{}", "}", ") }", "{\"data\":{\"o\":null},\"errors\"",
           TOKENS);
    nested("500 nested list types", "query($v: ", "[", 500, "String", "]", ") { l(l: $v) }", "Variable \\\"$v\\\"",
           TOKENS);
    nested("500 nested inline fragments", "{", " ... on Query {", 500, " a", "}", "}", "{\"data\":{\"a\":\"x\"}}",
           TOKENS);
}

/* "{" + count x unit (with %u for the index) + " }". */
static char *repeat(const char *unit, unsigned count, size_t *len)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{");
    for (unsigned i = 0; i < count; i++)
        gg_buf_printf(&b, unit, i);
    gg_buf_puts(&b, " }");
    return gg_buf_take(&b, len);
}

static void repeated(const char *name, const char *unit, unsigned count, const char *expected, const char *with_limits)
{
    size_t len;
    char *q = repeat(unit, count, &len);
    run_free(name, q, len, NULL, expected, with_limits);
    free(q);
}

/* Each default limit of the server (config.c) at its bound, and one over it. */
static void test_limits(void)
{
    nested("depth 12", "{", " q {", 11, " a", "}", "}", "{\"data\":{\"q\":{", NULL);
    nested(
        "depth 13", "{", " q {", 12, " a", "}", "}", "{\"data\":{\"q\":{",
        "{\"errors\":[{\"message\":\"Query depth limit of 12 exceeded, found 13. (server setting limits.max_depth)\"");
    repeated("15 aliases", " a%u: a", 15, "\"a14\":\"x\"}}", NULL);
    repeated(
        "16 aliases", " a%u: a", 16, "\"a15\":\"x\"}}",
        "{\"errors\":[{\"message\":\"Aliases limit of 15 exceeded, found 16. (server setting limits.max_aliases)\"");
    repeated("50 directives", " a @include(if: true)", 50, "{\"data\":{\"a\":\"x\"}}", NULL);
    repeated("51 directives", " a @include(if: true)", 51, "{\"data\":{\"a\":\"x\"}}",
             "{\"errors\":[{\"message\":\"Directives limit of 50 exceeded, found 51. (server setting "
             "limits.max_directives)\"");
    /* cost: 10 nested objects around n scalars cost about 57.7 n + 227 (x1.5 per level) */
    nested("cost of 20 scalars 10 deep", "{", " q {", 10, " a a a a a a a a a a a a a a a a a a a a", "}", "}",
           "{\"data\":{\"q\":{", NULL);
    size_t len;
    char *leaves = repeat(" a", 200, &len);
    leaves[len - 2] = '\0'; /* " a" x 200 without the braces */
    nested("cost of 200 scalars 10 deep", "{", " q {", 10, leaves + 1, "}", "}", "{\"data\":{\"q\":{",
           "{\"errors\":[{\"message\":\"Query Cost limit of 5000 exceeded, found ");
    free(leaves);
    repeated("400 tokens", " a", 398, "{\"data\":{\"a\":\"x\"}}", NULL);
    /* 1000 tokens pass the limit (then the repeats exceed the merge check's work budget) */
    repeated("1000 tokens", " a", 998, "Validation aborted.", NULL);
    repeated("1001 tokens", " a", 999, "Validation aborted.", TOKENS);
}

static void test_fragments(void)
{
    gg_buf b;
    /* A chain of 10,000 fragments, each spreading the next (valid): 10,000 levels of spreads. */
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ ...F0 }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "fragment F%u on Query { a ...F%u }\n", i, i + 1);
    gg_buf_puts(&b, "fragment F10000 on Query { a }\n");
    /* Valid, but comparing the fields of every pair of fragments exceeds the work budget of
     * graphql-js 16.15 OverlappingFieldsCanBeMerged, which then stops validation. */
    run_free("10k-fragment chain", b.data, b.len, NULL, "{\"errors\":[{\"message\":\"Validation aborted.\"}]}", TOKENS);
    gg_buf_free(&b);
    /* The same chain closed into a cycle. */
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ ...F0 }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "fragment F%u on Query { a ...F%u }\n", i, (i + 1) % 10000);
    run_free("10k-fragment cycle", b.data, b.len, NULL,
             "Cannot spread fragment \\\"F0\\\" within itself via \\\"F1\\\", \\\"F2\\\",", TOKENS);
    gg_buf_free(&b);
    /* 10,000 levels of fields through spreads, where the parser's depth limit cannot see them: the
     * executor and the response writer must not recurse once per level. */
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ ...F0 }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "fragment F%u on Query { q { ...F%u } }\n", i, i + 1);
    gg_buf_puts(&b, "fragment F10000 on Query { a }\n");
    char *response = run("10k-deep fields through spreads", b.data, b.len, NULL, "{\"data\":{\"q\":{\"q\":{", TOKENS);
    CHECK(strstr(response, "{\"a\":\"x\"}}}}") != NULL);
    free(response);
    gg_buf_free(&b);
    /* Every fragment spreading every later one: quadratic spreads, exponential paths. */
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ ...F0 }\n");
    for (unsigned i = 0; i < 300; i++) {
        gg_buf_printf(&b, "fragment F%u on Query { a", i);
        for (unsigned j = i + 1; j < 300; j++)
            gg_buf_printf(&b, " ...F%u", j);
        gg_buf_puts(&b, " }\n");
    }
    run_free("300 fragments spreading all later", b.data, b.len, NULL, "Validation aborted.", TOKENS);
    gg_buf_free(&b);
    /* Fragments doubling the work at each level ("billion laughs"). */
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ ...F0 }\n");
    for (unsigned i = 0; i < 60; i++)
        gg_buf_printf(&b, "fragment F%u on Query { q { ...F%u } q { ...F%u } }\n", i, i + 1, i + 1);
    gg_buf_puts(&b, "fragment F60 on Query { a }\n");
    run_free("60 doubling fragments", b.data, b.len, NULL, "{\"data\":{\"q\":{\"q\":",
             "Query depth limit of 12 exceeded, found 61. (server setting limits.max_depth)");
    gg_buf_free(&b);
}

static void test_big_strings(void)
{
    size_t n = 10u << 20;
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ s(s: \"");
    size_t start = b.len;
    gg_buf_reserve(&b, n + 16);
    memset(b.data + start, 'a', n);
    b.len += n;
    gg_buf_puts(&b, "\") }");
    run_free("10 MB string literal", b.data, b.len, NULL, "{\"data\":{\"s\":\"aaaa", NULL);
    b.len = start + n; /* unterminated */
    b.data[b.len] = '\0';
    run_free("10 MB unterminated string", b.data, b.len, NULL, "Syntax Error: Unterminated string.", NULL);
    b.len = 0;
    gg_buf_puts(&b, "{ s(s: \"\"\"");
    start = b.len;
    for (size_t i = 0; i < n / 2; i++)
        gg_buf_puts(&b, (i & 1) ? " \n" : "\\\"");
    gg_buf_puts(&b, "\"\"\") }");
    run_free("10 MB block string", b.data, b.len, NULL, "{\"data\":{\"s\":\"", NULL);
    b.len = 0;
    gg_buf_puts(&b, "{ s(s: \"");
    for (size_t i = 0; i < n / 6; i++)
        gg_buf_puts(&b, "\\u00e9");
    gg_buf_puts(&b, "\") }");
    run_free("10 MB of escapes", b.data, b.len, NULL, "{\"data\":{\"s\":\"\xc3\xa9\xc3\xa9", NULL);
    b.len = 0;
    gg_buf_puts(&b, "{ ");
    for (size_t i = 0; i < (1u << 20); i++)
        gg_buf_putc(&b, 'z');
    gg_buf_puts(&b, " }");
    run_free("1 MB field name", b.data, b.len, NULL, "Cannot query field \\\"zzzz", NULL);
    b.len = 0;
    gg_buf_puts(&b, "# ");
    for (size_t i = 0; i < n; i++)
        gg_buf_putc(&b, 'c');
    gg_buf_puts(&b, "\n{ a }");
    run_free("10 MB comment", b.data, b.len, NULL, "{\"data\":{\"a\":\"x\"}}", NULL);
    gg_buf_free(&b);
}

static void test_many(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{");
    for (unsigned i = 0; i < 100000; i++)
        gg_buf_printf(&b, " a%u: a", i);
    gg_buf_puts(&b, " }");
    run_free("100k aliases", b.data, b.len, NULL, "\"a99999\":\"x\"}}", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{");
    for (unsigned i = 0; i < 100000; i++)
        gg_buf_puts(&b, " a");
    gg_buf_puts(&b, " }");
    run_free("100k repeats of one field", b.data, b.len, NULL, "Validation aborted.", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_printf(&b, " s(s: \"%u\")", i);
    gg_buf_puts(&b, " }");
    run_free("20k conflicting arguments", b.data, b.len, NULL, "Validation aborted.", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_printf(&b, " x: q { a%u: a }", i % 100);
    gg_buf_puts(&b, " }");
    run_free("20k merged sub-selections", b.data, b.len, NULL, "Validation aborted.", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{ a");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_puts(&b, " @skip(if: false)");
    gg_buf_puts(&b, " }");
    run_free("20k directives on a field", b.data, b.len, NULL,
             "The directive \\\"@skip\\\" can only be used once at this location.", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{ s(");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_puts(&b, " s: \"x\"");
    gg_buf_puts(&b, ") }");
    run_free("20k repeated arguments", b.data, b.len, NULL, "There can be only one argument named \\\"s\\\".", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "query(");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_printf(&b, " $v%u: Int", i);
    gg_buf_puts(&b, ") { a }");
    run_free("20k unused variables", b.data, b.len, NULL,
             "Too many validation errors, error limit reached. Validation aborted.", TOKENS);
    b.len = 0;
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_puts(&b, "{ a } ");
    run_free("20k anonymous operations", b.data, b.len, NULL,
             "This anonymous operation must be the only defined operation.", TOKENS);
    b.len = 0;
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_puts(&b, "query A { a } ");
    run_free("20k operations of one name", b.data, b.len, NULL, "There can be only one operation named \\\"A\\\".",
             TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{ a }");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_printf(&b, " fragment F%u on Query { a }", i);
    run_free("20k unused fragments", b.data, b.len, NULL,
             "Too many validation errors, error limit reached. Validation aborted.", TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{ o(o: {");
    for (unsigned i = 0; i < 20000; i++)
        gg_buf_puts(&b, " s: \"x\"");
    gg_buf_puts(&b, "}) }");
    run_free("20k repeated input fields", b.data, b.len, NULL, "There can be only one input field named \\\"s\\\".",
             TOKENS);
    b.len = 0;
    gg_buf_puts(&b, "{ l(l: [");
    for (unsigned i = 0; i < 200000; i++)
        gg_buf_puts(&b, "[\"x\"] ");
    gg_buf_puts(&b, "]) }");
    run_free("200k list items", b.data, b.len, NULL, "{\"data\":{\"l\":null},\"errors\"", TOKENS);
    gg_buf_free(&b);
}

static void test_variables(void)
{
    size_t len;
    char *v = nest("{\"v\": ", "[", 10000, "1", "]", "}", &len);
    run_free("10k-deep variables JSON", "query($v: AWSJSON) { j(v: $v) }", 31, v, "Variables are invalid JSON.", NULL);
    free(v);
    v = nest("{\"v\": ", "[", 900, "1", "]", "}", &len);
    run_free("900-deep list variable", "query($v: [[String]]) { l(l: $v) }", 34, v, "String cannot represent", NULL);
    free(v);
    v = nest("{\"v\": ", "{\"a\": ", 900, "{}", "}", "}", &len);
    run_free("900-deep input object variable", "query($v: In) { o(o: $v) }", 26, v, "{\"data\":{\"o\":null},\"errors\"",
             NULL);
    free(v);
    v = nest("{\"v\": \"", "[", 5000, "1", "]", "\"}", &len);
    run_free("5000-deep AWSJSON string", "query($v: AWSJSON) { j(v: $v) }", 31, v, "{\"", NULL);
    free(v);
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{\"v\": [");
    for (unsigned i = 0; i < 200000; i++)
        gg_buf_puts(&b, i ? ",[true]" : "[true]");
    gg_buf_puts(&b, "]}");
    run_free("200k bad list items", "query($v: [[String]]) { l(l: $v) }", 34, b.data, "String cannot represent", NULL);
    gg_buf_free(&b);
}

static void test_numbers(void)
{
    size_t len;
    char *q = nest("{ n(i: 1", "0", 100000, "", "", ") }", &len);
    run_free("100k-digit Int literal", q, len, NULL, "Int cannot represent non 32-bit signed integer value: 1000",
             NULL);
    free(q);
    q = nest("{ n(f: 1", "0", 100000, ".5", "", ") }", &len);
    run_free("100k-digit Float literal", q, len, NULL, "Float cannot represent", NULL);
    free(q);
    q = nest("{ n(f: 0.", "0", 100000, "1", "", ") }", &len);
    run_free("100k-digit tiny Float", q, len, NULL, "{\"data\":{\"n\":", NULL);
    free(q);
    run_free("Float 1e400", "{ n(f: 1e400) }", 15, NULL, "Float cannot represent non numeric value: Infinity", NULL);
    run_free("Float 1e-400", "{ n(f: 1e-400) }", 16, NULL, "{\"data\":{\"n\":0}}", NULL);
    run_free("Int -2147483649", "{ n(i: -2147483649) }", 21, NULL,
             "Int cannot represent non 32-bit signed integer value: -2147483649", NULL);
    run_free("Int 2147483647", "{ n(i: 2147483647) }", 20, NULL, "{\"data\":{\"n\":2147483647}}", NULL);
    run_free("variable 1e400", "query($f: Float) { n(f: $f) }", 29, "{\"f\": 1e400}", "\"errors\"", NULL);
    run_free("variable 2^64", "query($i: Int) { n(i: $i) }", 27, "{\"i\": 18446744073709551616}",
             "Int cannot represent non 32-bit signed integer value: 18446744073709552000", NULL);
    q = nest("query($f: Float) { n(f: $f) }", "", 0, "", "", "", &len);
    char *v = nest("{\"f\": 1", "0", 100000, "", "", "}", &len);
    run_free("variable with 100k digits", q, strlen(q), v, "\"errors\"", NULL);
    free(v);
    free(q);
}

static void test_bytes(void)
{
    run_free("invalid UTF-8 in a string", "{ s(s: \"\xff\") }", 13, NULL,
             "Invalid UTF-8 sequence starting with byte 0xFF.", NULL);
    run_free("invalid UTF-8 in a comment", "# \xc3\x28\n{ a }", 11, NULL,
             "Invalid UTF-8 sequence starting with byte 0xC3.", NULL);
    run_free("invalid UTF-8 as a name", "{ \xe2\x82 }", 6, NULL, "Syntax Error", NULL);
    run_free("overlong UTF-8", "{ s(s: \"\xc0\xaf\") }", 14, NULL, "Invalid UTF-8 sequence starting with byte 0xC0.",
             NULL);
    run_free("UTF-8 surrogate", "{ s(s: \"\xed\xa0\x80\") }", 15, NULL,
             "Invalid UTF-8 sequence starting with byte 0xED.", NULL);
    run_free("truncated UTF-8 at the end", "{ a } #\xf0\x9f", 9, NULL,
             "Invalid UTF-8 sequence starting with byte 0xF0.", NULL);
    run_free("NUL byte alone", "\0", 1, NULL, "Syntax Error: Unexpected character: U+0000.", NULL);
    run_free("NUL after a document", "{ a }\0", 6, NULL, "Syntax Error: Unexpected character: U+0000.", NULL);
    run_free("NUL inside a string", "{ s(s: \"a\0b\") }", 15, NULL, "{\"data\":{\"s\":\"a\\u0000b\"}}", NULL);
    run_free("escaped NUL in a string", "{ s(s: \"a\\u0000b\") }", 20, NULL, "{\"data\":{\"s\":\"a\\u0000b\"}}", NULL);
    run_free("lone surrogate escape", "{ s(s: \"\\ud800\") }", 18, NULL,
             "Invalid Unicode escape sequence: \\\"\\\\ud800\\\".", NULL);
    run_free("empty document", "", 0, NULL, "Syntax Error: Unexpected <EOF>.", NULL);
    run_free("BOM only", "\xef\xbb\xbf", 3, NULL, "Syntax Error: Unexpected <EOF>.", NULL);
    run_free("invalid UTF-8 in variables", "query($s: String) { s(s: $s) }", 30, "{\"s\": \"\xff\"}", "{", NULL);
}

/* Builds one SDL; the first error (or "built") must contain `expected`. A schema that builds is
 * printed and introspected too. */
static void build_schema(const char *name, const char *text, size_t len, const char *expected)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source source = {.name = "big.graphql", .text = text, .len = len};
    double start = now();
    gg_schema *built = gg_schema_build(&source, 1, NULL, &errors);
    const char *outcome = built ? "built" : errors.head ? errors.head->message : "(no error)";
    if (built) {
        gg_buf out;
        gg_buf_init(&out);
        gg_print_schema(&out, built);
        gg_buf_free(&out);
        gg_buf_init(&out);
        static const char q[] =
            "{ __schema { types { name fields { type { name ofType { name ofType { name } } } } } } }";
        gg_config cfg;
        gg_config_defaults(&cfg);
        gg_gateway *gateway = gg_gateway_wrap(built, NULL, &cfg);
        gg_config_free(&cfg);
        CHECK(gg_gateway_run_sync(gateway, q, sizeof q - 1, NULL, NULL, &out));
        gg_gateway_free(gateway);
        gg_buf_free(&out);
    }
    double took = now() - start;
    printf("%-34s %8.3f s  %.160s%s\n", name, took, outcome, strlen(outcome) > 160 ? "..." : "");
    CHECK(took < HANG_SECONDS);
    if (!strstr(outcome, expected)) {
        test_failed++;
        fprintf(stderr, "%s: the outcome lacks %s\n", name, expected);
    } else {
        test_passed++;
    }
    gg_schema_free(built);
    gg_arena_free(&arena);
}

static void test_schemas(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "type Query { a(x: A0): Int }\n"); /* graphql-js overflows its stack here */
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "input A%u { a: A%u! }\n", i, (i + 1) % 10000);
    gg_buf_puts(&b, "type Q2 { f(a: A0): Int }\n");
    build_schema("10k-input non-null cycle", b.data, b.len, "Cannot reference Input Object \"A0\" within itself");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a(x: A0): Int }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "input A%u { a: A%u! }\n", i, i + 1);
    gg_buf_puts(&b, "input A10000 { x: Int }\n");
    build_schema("10k-input non-null chain", b.data, b.len, "built");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a: I0 }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "interface I%u implements I%u { id: ID }\n", i, (i + 1) % 10000);
    build_schema("10k-interface implements cycle", b.data, b.len, "I0");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a: T0 }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "type T%u { t: T%u! }\n", i, (i + 1) % 10000);
    build_schema("10k-object cycle (valid)", b.data, b.len, "built");
    b.len = 0;
    gg_buf_puts(&b, "type Query { u: U e: E a(x: I): Int }\nunion U =");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, " | T%u", i);
    gg_buf_puts(&b, "\nenum E {");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, " V%u", i);
    gg_buf_puts(&b, " }\ninput I {");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, " f%u: Int = %u", i, i);
    gg_buf_puts(&b, " }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "type T%u { a: Int }\n", i);
    build_schema("10k members, values, fields", b.data, b.len, "built");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a: Int }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "extend type Query { a%u: Int }\n", i);
    build_schema("10k extensions", b.data, b.len, "built");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a: Int }\n");
    for (unsigned i = 0; i < 10000; i++)
        gg_buf_printf(&b, "directive @d%u(a: Int @d%u) on ARGUMENT_DEFINITION\n", i, (i + 1) % 10000);
    build_schema("10k directives referencing", b.data, b.len, "built"); /* graphql-js has no such rule */
    b.len = 0;
    gg_buf_puts(&b, "type Query { a: ");
    for (unsigned i = 0; i < 500; i++)
        gg_buf_putc(&b, '[');
    gg_buf_puts(&b, "Int");
    for (unsigned i = 0; i < 500; i++)
        gg_buf_puts(&b, "!]");
    gg_buf_puts(&b, " }\n");
    build_schema("500-deep list type", b.data, b.len, "built");
    b.len = 0;
    gg_buf_puts(&b, "type Query { a(x: I = ");
    for (unsigned i = 0; i < 500; i++)
        gg_buf_puts(&b, "{i: ");
    gg_buf_puts(&b, "null");
    for (unsigned i = 0; i < 500; i++)
        gg_buf_putc(&b, '}');
    gg_buf_puts(&b, "): Int }\ninput I { i: I }\n");
    build_schema("500-deep default value", b.data, b.len, "built");
    gg_buf_free(&b);
}

int main(void)
{
    setup();
    RUN(test_limits);
    RUN(test_deep_documents);
    RUN(test_fragments);
    RUN(test_big_strings);
    RUN(test_many);
    RUN(test_variables);
    RUN(test_numbers);
    RUN(test_bytes);
    RUN(test_schemas);
    gg_gateway_free(server_limits);
    gg_schema_free(schema);
    return test_summary();
}
