/* parse_validate.c: how many documents per second graphgate parses and validates.
 *
 * Usage: parse_validate [--appsync] [--seconds N] schema.graphql doc.graphql...
 *
 * Builds the schema once, then for each document loops for a fixed CPU time (default 3 s, after
 * a short warm-up): parse into an arena, validate with every spec rule, free the arena. This is
 * the work the server does for a document it has not cached yet; then parsing alone, to show the
 * split. It prints one line per document, "graphgate <file> <docs/s> docs/s (<errors> validation
 * errors; parse alone <docs/s> docs/s)", which run.sh puts
 * next to graphql-js's numbers for the same documents (parse_validate.mjs). A benchmark
 * measures: it exits 0 whatever the numbers are, and non-zero only when it cannot run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "error.h"
#include "language/parser.h"
#include "type/schema_build.h"
#include "validate/validate.h"

/* CPU time of the process, not wall time: on a busy machine waiting for a core is not work. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    gg_buf b;
    gg_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gg_buf_append(&b, chunk, n);
    fclose(f);
    gg_buf_append(&b, "", 0);
    return gg_buf_take(&b, len);
}

/* Parses (and validates unless schema is NULL) once; returns the number of errors. */
static unsigned parse_validate_once(const gg_schema *schema, const char *text, size_t len, gg_arena *arena)
{
    gg_error_list errors;
    gg_error_list_init(&errors, arena);
    gg_document *doc = gg_parse(arena, text, len, NULL, &errors);
    if (doc && schema) gg_validate(schema, doc, arena, &errors, NULL);
    return errors.count;
}

/* Runs the loop for `seconds` and returns documents per second (schema NULL: parse only). */
static double measure(const gg_schema *schema, const char *text, size_t len, double seconds)
{
    gg_arena arena;
    gg_arena_init(&arena);
    unsigned long count = 0;
    double start = now_seconds(), elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 64; i++) {
            parse_validate_once(schema, text, len, &arena);
            gg_arena_free(&arena);
        }
        count += 64;
        elapsed = now_seconds() - start;
    }
    return (double)count / elapsed;
}

int main(int argc, char **argv)
{
    gg_schema_options opts = {0};
    double seconds = 3;
    int arg = 1;
    for (; arg < argc && strncmp(argv[arg], "--", 2) == 0; arg++) {
        if (strcmp(argv[arg], "--appsync") == 0)
            opts.appsync = true;
        else if (strcmp(argv[arg], "--seconds") == 0 && arg + 1 < argc)
            seconds = atof(argv[++arg]);
    }
    if (argc - arg < 2 || seconds <= 0) {
        fprintf(stderr, "usage: parse_validate [--appsync] [--seconds N] schema.graphql doc.graphql...\n");
        return 2;
    }

    size_t sdl_len;
    char *sdl = read_file(argv[arg], &sdl_len);
    if (!sdl) {
        fprintf(stderr, "parse_validate: cannot read %s\n", argv[arg]);
        return 2;
    }
    gg_arena err_arena;
    gg_arena_init(&err_arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &err_arena);
    gg_schema_source source = {.name = argv[arg], .text = sdl, .len = sdl_len};
    gg_schema *schema = gg_schema_build(&source, 1, &opts, &errors);
    free(sdl);
    if (!schema) {
        gg_buf out;
        gg_buf_init(&out);
        gg_error_list_write_json(&out, &errors);
        fprintf(stderr, "parse_validate: the schema does not build: %s\n", out.data);
        gg_buf_free(&out);
        gg_arena_free(&err_arena);
        return 2;
    }
    gg_arena_free(&err_arena);

    int rc = 0;
    for (arg++; arg < argc; arg++) {
        size_t len;
        char *text = read_file(argv[arg], &len);
        if (!text) {
            fprintf(stderr, "parse_validate: cannot read %s\n", argv[arg]);
            rc = 2;
            continue;
        }
        gg_arena arena;
        gg_arena_init(&arena);
        unsigned error_count = parse_validate_once(schema, text, len, &arena);
        gg_arena_free(&arena);
        measure(schema, text, len, seconds / 10); /* warm-up: caches, branch predictors */
        double rate = measure(schema, text, len, seconds);
        double parse_rate = measure(NULL, text, len, seconds / 2);
        printf("graphgate %s %.0f docs/s (%u validation errors; parse alone %.0f docs/s)\n", argv[arg], rate,
               error_count, parse_rate);
        fflush(stdout);
        free(text);
    }
    gg_schema_free(schema);
    return rc;
}
