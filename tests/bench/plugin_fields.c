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
 * executions per CPU-second, ns per field and the plugin's overhead per field.
 * Then the worker pool of blocking resolvers: w1 is bound to plugin_constant.so's blocking
 * "constantBlocking" and answered by a worker thread (plugins/workers.c) that hands the answer back
 * to an h2o event loop run here, as a server thread does: one field per execution, one after
 * another, gives the round trip's latency (wall clock: the time is spent waking threads, not
 * computing). w1..w50 in one execution give the cost per field when the pool's threads share the
 * work. A benchmark measures: it exits 0 whatever the numbers are. */
#include <libgen.h>
#include <stdio.h>
#include <time.h>
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

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct loop_outcome {
    bool done;
    unsigned errors;
} loop_outcome;

static void on_loop_complete(const gg_exec_result *result, void *user)
{
    loop_outcome *o = user;
    o->done = true;
    o->errors = result->errors.count;
}

/* Executions per wall-clock second of doc, each run on loop until its blocking fields came back. */
static double measure_on_loop(h2o_loop_t *loop, const gg_schema *schema, const gg_document *doc, double seconds,
                              unsigned *errors)
{
    unsigned long runs = 0;
    double start = wall_seconds(), elapsed = 0;
    while (elapsed < seconds) {
        gg_arena arena;
        gg_arena_init(&arena);
        loop_outcome outcome = {0};
        gg_execute(&(gg_exec_request){
            .schema = schema, .document = doc, .arena = &arena, .on_complete = on_loop_complete, .user = &outcome});
        while (!outcome.done)
            h2o_evloop_run(loop, 1000);
        *errors = outcome.errors;
        gg_arena_free(&arena);
        runs++;
        elapsed = wall_seconds() - start;
    }
    return (double)runs / elapsed;
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
    gg_buf sdl, builtin_query, plugin_query, blocking_query;
    gg_buf_init(&blocking_query);
    gg_buf_init(&sdl);
    gg_buf_init(&builtin_query);
    gg_buf_init(&plugin_query);
    gg_buf_puts(&sdl, "type Query {");
    gg_buf_puts(&builtin_query, "{");
    gg_buf_puts(&plugin_query, "{");
    gg_buf_puts(&blocking_query, "{");
    cJSON *resolvers = cJSON_CreateObject();
    for (int f = 1; f <= FIELDS; f++) {
        gg_buf_printf(&sdl, " b%d: String p%d: String w%d: String", f, f, f);
        gg_buf_printf(&builtin_query, " b%d", f);
        gg_buf_printf(&plugin_query, " p%d", f);
        gg_buf_printf(&blocking_query, " w%d", f);
        char key[32];
        snprintf(key, sizeof key, "Query.p%d", f);
        cJSON *binding = cJSON_AddObjectToObject(resolvers, key);
        cJSON_AddStringToObject(binding, "plugin", "bench");
        cJSON_AddStringToObject(binding, "resolver", "constant");
        snprintf(key, sizeof key, "Query.w%d", f);
        binding = cJSON_AddObjectToObject(resolvers, key);
        cJSON_AddStringToObject(binding, "plugin", "bench");
        cJSON_AddStringToObject(binding, "resolver", "constantBlocking");
    }
    gg_buf_puts(&sdl, " }\n");
    gg_buf_puts(&builtin_query, " }");
    gg_buf_puts(&plugin_query, " }");
    gg_buf_puts(&blocking_query, " }");

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

    /* The blocking resolver's round trip through the worker pool, on an event loop of this thread. */
    gg_document *one_blocking = gg_parse(&arena, "{ w1 }", 6, NULL, &errors);
    gg_document *all_blocking = gg_parse(&arena, blocking_query.data, blocking_query.len, NULL, &errors);
    if (one_blocking == NULL || all_blocking == NULL || !gg_validate(schema, one_blocking, &arena, &errors, NULL) ||
        !gg_validate(schema, all_blocking, &arena, &errors, NULL)) {
        fprintf(stderr, "plugin_fields: cannot build the blocking queries\n");
        return 1;
    }
    h2o_loop_t *loop = h2o_evloop_create();
    gg_plugins_workers_configure(GG_PLUGIN_WORKERS_DEFAULT);
    gg_plugins_loop_attach(loop);
    unsigned one_errors = 0, all_errors = 0;
    double one_best = 0, all_best = 0;
    measure_on_loop(loop, schema, one_blocking, seconds / 4, &one_errors); /* warm-up: the threads start */
    for (int r = 0; r < rounds; r++) {
        double one = measure_on_loop(loop, schema, one_blocking, seconds, &one_errors);
        double all = measure_on_loop(loop, schema, all_blocking, seconds, &all_errors);
        if (one > one_best) one_best = one;
        if (all > all_best) all_best = all;
    }
    gg_plugins_loop_detach();
    gg_plugins_workers_stop();
    h2o_evloop_destroy(loop);
    printf("\nblocking resolver on the worker pool (%u threads), wall clock:\n", GG_PLUGIN_WORKERS_DEFAULT);
    printf("%-30s %12s %10s %8s\n", "", "exec/s", "us/field", "errors");
    printf("%-30s %12.0f %10.2f %8u\n", "1 blocking field (round trip)", one_best, 1e6 / one_best, one_errors);
    printf("%-30s %12.0f %10.2f %8u\n", "50 blocking fields", all_best, 1e6 / all_best / FIELDS, all_errors);
    double sync_field_ns = 1e9 / best[1] / FIELDS;
    printf("worker-pool round trip: %.1f us per call, next to %.1f ns per synchronous plugin field (%.1f ns of it "
           "plugin overhead): %.0fx a synchronous plugin field\n",
           1e6 / one_best, sync_field_ns, overhead, (1e9 / one_best) / sync_field_ns);
    gg_schema_free(schema);
    gg_plugins_free(set);
    cJSON_Delete(plugins);
    cJSON_Delete(resolvers);
    gg_arena_free(&arena);
    gg_buf_free(&sdl);
    gg_buf_free(&builtin_query);
    gg_buf_free(&plugin_query);
    gg_buf_free(&blocking_query);
    return 0;
}
