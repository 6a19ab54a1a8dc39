/* field_auth.c: what AppSync's per-field authorization (@aws_* directives, graphql/type/aws_auth.h)
 * costs the executor, measured against no check at all in the same run.
 *
 * Usage: field_auth [--seconds N] [--rounds N]
 *
 * One schema (built in): Query.items returns 100 Items of 20 fields, every field and type carrying
 * @aws_api_key @aws_oidc @aws_cognito_user_pools(cognito_groups: [...]). One document selects all of
 * them: 2,101 field resolutions per execution, all allowed. The cases take turns for several
 * rounds (best round counts), each looping for a fixed CPU time: execute into a fresh arena, free
 * it. Cases: no caller (auth NONE: nothing checked), an API-key caller (one bit test per field),
 * and a user-pools caller in the fifth of five groups (the mode bit and the group bits on every
 * field: the slowest allowed path; the caller's group bits are made once per execution, as the
 * gateway does). Prints executions per CPU-second, nanoseconds per field,
 * and the ratio to the unchecked case. A benchmark measures: it exits 0 whatever the numbers are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "exec_loop.h"
#include "execute/execute.h"
#include "language/parser.h"
#include "type/aws_auth.h"
#include "type/schema_build.h"
#include "validate/validate.h"

enum { ITEMS = 100, FIELDS = 20 };

#define DIRECTIVES "@aws_api_key @aws_oidc @aws_cognito_user_pools(cognito_groups: [\"g1\", \"g2\", \"admin\"])"

/* Executions per CPU-second of doc as caller (NULL: unchecked); *errors: errors of the last run. */
static double measure(const gg_schema *schema, const gg_document *doc, const gg_val *root,
                      const gg_aws_auth_caller *caller, double seconds, unsigned *errors)
{
    gg_exec_request request = {.schema = schema, .document = doc, .root_value = root, .auth = caller};
    return gg_bench_exec_rate(request, seconds, errors);
}

int main(int argc, char **argv)
{
    double seconds = 2;
    int rounds = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seconds") == 0) seconds = atof(argv[i + 1]);
        if (strcmp(argv[i], "--rounds") == 0) rounds = atoi(argv[i + 1]);
    }
    gg_buf sdl, query;
    gg_buf_init(&sdl);
    gg_buf_init(&query);
    gg_buf_puts(&sdl, "type Query { items: [Item] " DIRECTIVES " }\ntype Item " DIRECTIVES " {");
    gg_buf_puts(&query, "{ items {");
    for (int f = 0; f < FIELDS; f++) {
        gg_buf_printf(&sdl, " f%d: Int " DIRECTIVES, f);
        gg_buf_printf(&query, " f%d", f);
    }
    gg_buf_puts(&sdl, " }\n");
    gg_buf_puts(&query, " } }");

    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"bench.graphql", sdl.data, sdl.len};
    gg_schema_options opts = {.appsync = true};
    gg_schema *schema = gg_schema_build(&src, 1, &opts, &errors);
    gg_document *doc = schema ? gg_parse(&arena, query.data, query.len, NULL, &errors) : NULL;
    if (doc == NULL || !gg_validate(schema, doc, &arena, &errors, NULL)) {
        fprintf(stderr, "field_auth: cannot build the schema or the query: %s\n",
                errors.head ? errors.head->message : "?");
        return 1;
    }
    gg_val *items = gg_val_list(&arena, ITEMS);
    for (int i = 0; i < ITEMS; i++) {
        gg_val *item = gg_val_object(&arena, FIELDS);
        for (int f = 0; f < FIELDS; f++)
            gg_val_object_set(&arena, item, gg_arena_printf(&arena, "f%d", f), gg_val_int(&arena, i * FIELDS + f));
        gg_val_list_push(&arena, items, item);
    }
    gg_val *root = gg_val_object(&arena, 1);
    gg_val_object_set(&arena, root, "items", items);

    static const char *const groups[] = {"a", "b", "c", "d", "admin"};
    const gg_aws_auth_caller key = {GG_AWS_AUTH_API_KEY, GG_AWS_AUTH_API_KEY, NULL, 0, 0, NULL, 0};
    const gg_aws_auth_caller user = {
        GG_AWS_AUTH_USER_POOLS, GG_AWS_AUTH_API_KEY, groups, 5, gg_aws_auth_group_bits(schema, groups, 5), NULL, 0};
    const struct {
        const char *name;
        const gg_aws_auth_caller *caller;
    } cases[] = {{"no check (auth NONE)", NULL},
                 {"API key (bit test)", &key},
                 {"user pools, 5 groups (mode + group bits)", &user}};
    enum { CASES = sizeof cases / sizeof cases[0] };
    double best[CASES] = {0};
    unsigned errs[CASES] = {0};
    measure(schema, doc, root, NULL, seconds / 4, &errs[0]); /* warm-up */
    for (int r = 0; r < rounds; r++)
        for (int c = 0; c < CASES; c++) {
            double rate = measure(schema, doc, root, cases[c].caller, seconds, &errs[c]);
            if (rate > best[c]) best[c] = rate;
        }
    const double fields = 1 + ITEMS * (1.0 + FIELDS);
    printf("%-38s %12s %10s %10s %8s\n", "executions of 2,101 fields", "exec/s", "ns/field", "of none", "errors");
    for (int c = 0; c < CASES; c++)
        printf("%-38s %12.0f %10.2f %9.1f%% %8u\n", cases[c].name, best[c], 1e9 / best[c] / fields,
               100.0 * best[0] / best[c], errs[c]);
    printf("best of %d rounds of %.1fs CPU each; \"of none\": CPU time per execution relative to no check\n", rounds,
           seconds);
    gg_schema_free(schema);
    gg_arena_free(&arena);
    gg_buf_free(&sdl);
    gg_buf_free(&query);
    return 0;
}
