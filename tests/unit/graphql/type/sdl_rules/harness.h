/* harness.h: what the SDL rule tests share (one test program per rule of
 * server/graphql/type/sdl_rules/).
 *
 * A case builds a schema from SDL as the server does (gg_schema_build) and compares the errors a
 * user would see. check_sdl writes them one a line as "line:column[,line:column...] message"
 * ("" when the schema builds); check_json compares graphql-js's JSON form, as printed by
 * graphql-js 16.15 for the cases moved here from schema_validate.c. */
#ifndef GG_TEST_SDL_RULES_HARNESS_H
#define GG_TEST_SDL_RULES_HARNESS_H

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graphql/type/schema_build.h"
#include "test.h"

/* Builds sdl (with the AppSync and Amplify preludes when with_preludes) and writes its errors. */
static inline char *sdl_errors(const char *sdl, bool with_preludes, bool as_json, bool *built)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_options opts = {.appsync = true, .amplify = true};
    gg_schema_source source = {"test.graphql", sdl, strlen(sdl)};
    gg_schema *schema = gg_schema_build(&source, 1, with_preludes ? &opts : NULL, &errors);
    *built = schema != NULL;
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "");
    if (as_json) {
        if (errors.count) gg_error_list_write_json(&out, &errors);
    } else {
        for (const gg_error *e = errors.head; e; e = e->next) {
            for (unsigned i = 0; i < e->location_count; i++)
                gg_buf_printf(&out, "%s%u:%u", i ? "," : "", e->locations[i].line, e->locations[i].column);
            gg_buf_printf(&out, " %s\n", e->message);
        }
    }
    gg_schema_free(schema);
    gg_arena_free(&arena);
    return gg_buf_take(&out, NULL);
}

static inline void check_sdl_with(const char *sdl, bool with_preludes, const char *expected)
{
    bool built;
    char *got = sdl_errors(sdl, with_preludes, false, &built);
    CHECK_STR(got, expected);
    CHECK(built == (expected[0] == 0));
    free(got);
}

static inline void check_sdl(const char *sdl, const char *expected)
{
    check_sdl_with(sdl, false, expected);
}

static inline void check_json(const char *sdl, const char *expected)
{
    bool built;
    char *got = sdl_errors(sdl, false, true, &built);
    CHECK_STR(got, expected);
    CHECK(built == (expected[0] == 0));
    free(got);
}

#endif
