/* fuzz_amplify.c: libFuzzer harness for the Amplify transform (server/amplify/transform.h), which
 * reads a user's schema of @model types, relations, keys and @auth rules and writes the schema
 * graphgate serves, then for the PostgreSQL models bound to its catalog (resolvers/postgres,
 * gg_pg_models_build): what start-up, --check and every reload run on a schema the server has
 * never seen.
 *
 * The input is the SDL; its length chooses the options, so that the schemas of the differential
 * test (tests/amplify_differential/corpus) serve as seeds as they are (bit 0 of the length:
 * DataStore conflict detection for every model; bits 1-2: the API's default auth mode: API key,
 * user pools, OIDC or IAM). Properties checked, beyond "no crash, no leak, no hang": the transform answers a catalog or
 * errors, never both nor neither; every error has a message; the served SDL of a catalog builds
 * again as an AppSync schema without errors (the server builds exactly that text); and the
 * catalog's models bind to PostgreSQL tables. FUZZ_PRINT=1 prints each outcome. Build and run: see
 * README.md. */
#include <stdbool.h>
#include <string.h>

#include "amplify/transform.h"
#include "base/arena.h"
#include "base/buf.h"
#include "fuzz.h"
#include "pg_model.h"
#include "type/schema_build.h"

static const gg_amplify_provider providers[] = {GG_AMPLIFY_PROVIDER_API_KEY, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                GG_AMPLIFY_PROVIDER_OIDC, GG_AMPLIFY_PROVIDER_IAM};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gg_amplify_options opts = {.sync = (size & 1) != 0, .default_auth = providers[(size >> 1) & 3]};
    const char *text = (const char *)data;
    size_t len = size;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_buf sdl;
    gg_buf_init(&sdl);
    gg_schema_source src = {"fuzz.graphql", text, len};
    gg_amplify_catalog *catalog = gg_amplify_transform(&src, 1, &opts, &sdl, &errors);
    if ((catalog == NULL) == (errors.count == 0))
        fuzz_fail(catalog ? "a catalog and errors" : "neither a catalog nor an error", "", 0, text, len);
    for (const gg_error *e = errors.head; e != NULL; e = e->next)
        if (e->message == NULL || e->message[0] == '\0') fuzz_fail("an error without a message", "", 0, text, len);
    if (getenv("FUZZ_PRINT") != NULL) /* FUZZ_PRINT=1 build/tests/fuzz/fuzz-replay-amplify FILE */
        fprintf(stderr, "%s\n", catalog ? "catalog" : errors.head->message);
    if (catalog != NULL) {
        gg_arena built_arena;
        gg_arena_init(&built_arena);
        gg_error_list built_errors;
        gg_error_list_init(&built_errors, &built_arena);
        gg_schema_source served = {"served.graphql", sdl.data ? sdl.data : "", sdl.len};
        gg_schema_options appsync = {.appsync = true};
        gg_schema *schema = gg_schema_build(&served, 1, &appsync, &built_errors);
        if (schema == NULL || built_errors.count > 0)
            fuzz_fail("a served schema that does not build", built_errors.head ? built_errors.head->message : "",
                      built_errors.head ? strlen(built_errors.head->message) : 0, sdl.data, sdl.len);
        gg_schema_free(schema);
        gg_arena_free(&built_arena);
        gg_arena models_arena;
        gg_arena_init(&models_arena);
        gg_pg_models *models = gg_pg_models_build(&models_arena, catalog);
        if (models == NULL || models->count != catalog->model_count)
            fuzz_fail("models not bound to tables", "", 0, text, len);
        gg_arena_free(&models_arena);
    }
    gg_amplify_catalog_free(catalog);
    gg_buf_free(&sdl);
    gg_arena_free(&arena);
    return 0;
}
