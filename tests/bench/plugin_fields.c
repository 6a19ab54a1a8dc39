/* plugin_fields.c: what a plugin resolver costs the executor, against a built-in resolver doing
 * the same work, in the same run (issue 14: target under 1 µs of overhead per plugin field).
 *
 * Usage: plugin_fields [--seconds N] [--rounds N] [path of plugin_constant.so]
 *
 * One schema (built in): Query has b1..b50, bound to a resolver compiled in here, and p1..p50,
 * bound through the plugin host (plugins/host.h: dlopen, ABI check, the resolver map) to
 * plugin_constant.so's "constant". Both answer the string "constant", copied into the request arena.
 * Two documents select the 50 fields of each kind. The cases take turns for several rounds (best
 * round counts), each looping for a fixed CPU time: execute into a fresh arena, free it. Prints
 * executions per CPU-second, ns per field and the plugin's overhead per field. A benchmark
 * measures: it exits 0 whatever the numbers are. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "exec_loop.h"
#include "execute/execute.h"
#include "host.h"
#include "language/parser.h"
#include "type/schema_build.h"
#include "validate/validate.h"

enum { FIELDS = 50 };

static void resolve_builtin(gg_resolve_info *info)
{
    gg_resolve_return(info, gg_val_string(info->arena, "constant", 8));
}

/* Executions per CPU-second of doc; *errors: errors of the last run. */
static double measure(const gg_schema *schema, const gg_document *doc, double seconds, unsigned *errors)
{
    return gg_bench_exec_rate((gg_exec_request){.schema = schema, .document = doc}, seconds, errors);
}

int main(int argc, char **argv)
{
    double seconds = 2;
    int rounds = 3;
    char self[4096], default_path[4200]; /* default: beside this executable */
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(default_path, sizeof default_path, "%s/plugin_constant.so", dirname(self));
    const char *path = default_path;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else
            path = argv[i];
    }
    gg_buf sdl, builtin_query, plugin_query;
    gg_buf_init(&sdl);
    gg_buf_init(&builtin_query);
    gg_buf_init(&plugin_query);
    gg_buf_puts(&sdl, "type Query {");
    gg_buf_puts(&builtin_query, "{");
    gg_buf_puts(&plugin_query, "{");
    cJSON *resolvers = cJSON_CreateObject();
    for (int f = 1; f <= FIELDS; f++) {
        gg_buf_printf(&sdl, " b%d: String p%d: String", f, f);
        gg_buf_printf(&builtin_query, " b%d", f);
        gg_buf_printf(&plugin_query, " p%d", f);
        char key[32];
        snprintf(key, sizeof key, "Query.p%d", f);
        cJSON *binding = cJSON_AddObjectToObject(resolvers, key);
        cJSON_AddStringToObject(binding, "plugin", "bench");
        cJSON_AddStringToObject(binding, "resolver", "constant");
    }
    gg_buf_puts(&sdl, " }\n");
    gg_buf_puts(&builtin_query, " }");
    gg_buf_puts(&plugin_query, " }");

    char why[1024];
    cJSON *plugins = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(plugins, "bench"), "path", path);
    gg_plugins *set = gg_plugins_load(plugins, GG_FAULT_INTO(why));
    if (set == NULL) {
        fprintf(stderr, "plugin_fields: %s\n", why);
        return 1;
    }
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"bench.graphql", sdl.data, sdl.len};
    gg_schema_options opts = {.appsync = true};
    gg_schema *schema = gg_schema_build(&src, 1, &opts, &errors);
    if (schema == NULL || !gg_plugins_bind(set, schema, NULL, resolvers, GG_FAULT_INTO(why))) {
        fprintf(stderr, "plugin_fields: cannot build or bind the schema: %s\n", schema ? why : "schema error");
        return 1;
    }
    for (int f = 1; f <= FIELDS; f++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", f);
        gg_type_find_field(schema->query_type, name)->resolve = resolve_builtin;
    }
    gg_document *builtin_doc = gg_parse(&arena, builtin_query.data, builtin_query.len, NULL, &errors);
    gg_document *plugin_doc = gg_parse(&arena, plugin_query.data, plugin_query.len, NULL, &errors);
    if (builtin_doc == NULL || plugin_doc == NULL || !gg_validate(schema, builtin_doc, &arena, &errors, NULL) ||
        !gg_validate(schema, plugin_doc, &arena, &errors, NULL)) {
        fprintf(stderr, "plugin_fields: cannot build the queries\n");
        return 1;
    }
    const struct {
        const char *name;
        const gg_document *doc;
    } cases[] = {{"built-in resolver", builtin_doc}, {"plugin resolver (.so)", plugin_doc}};
    enum { CASES = sizeof cases / sizeof cases[0] };
    double best[CASES] = {0};
    unsigned errs[CASES] = {0};
    measure(schema, builtin_doc, seconds / 4, &errs[0]); /* warm-up */
    for (int r = 0; r < rounds; r++)
        for (int c = 0; c < CASES; c++) {
            double rate = measure(schema, cases[c].doc, seconds, &errs[c]);
            if (rate > best[c]) best[c] = rate;
        }
    printf("%-30s %12s %10s %8s\n", "executions of 50 fields", "exec/s", "ns/field", "errors");
    for (int c = 0; c < CASES; c++)
        printf("%-30s %12.0f %10.1f %8u\n", cases[c].name, best[c], 1e9 / best[c] / FIELDS, errs[c]);
    double overhead = (1e9 / best[1] - 1e9 / best[0]) / FIELDS;
    printf("plugin overhead per field: %.1f ns (target: under 1000 ns); plugin/built-in time: %.2fx\n", overhead,
           best[0] / best[1]);
    printf("best of %d rounds of %.1fs CPU each\n", rounds, seconds);
    gg_schema_free(schema);
    gg_plugins_free(set);
    cJSON_Delete(plugins);
    cJSON_Delete(resolvers);
    gg_arena_free(&arena);
    gg_buf_free(&sdl);
    gg_buf_free(&builtin_query);
    gg_buf_free(&plugin_query);
    return 0;
}
