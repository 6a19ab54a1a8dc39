/* helpers.h: shared set-up for the execution tests: a schema from SDL, JSON data as root value,
 * and a run that returns the response JSON (through the engine alone, graphql.h, on purpose: the
 * answers are graphql-js's; the server's path is tested in tests/unit/gateway).
 *
 * Data convention (shared with oracle.mjs, which printed the graphql-js expectations): a member
 * {"__error": "msg"} makes its field fail with "msg"; abstract types resolve through
 * "__typename". with_resolvers installs that resolver on every field of the schema's own object
 * types; without it the executor's default resolver runs. */
#ifndef GG_TEST_EXECUTE_HELPERS_H
#define GG_TEST_EXECUTE_HELPERS_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "execute/execute.h"
#include "execute/values.h"
#include "graphql.h"
#include "language/parser.h"
#include "type/schema.h"
#include "type/schema_build.h"
#include "value.h"

static inline void data_resolve(gg_resolve_info *info)
{
    gg_val *value = gg_val_object_get(info->source, info->field->name);
    const gg_val *error = gg_val_object_get(value, "__error");
    if (error && error->kind == GG_VAL_STRING) {
        gg_resolve_error(info, NULL, "%s", error->s);
        return;
    }
    gg_resolve_return(info, value);
}

static inline gg_schema *schema_from_sdl(const char *sdl, bool with_resolvers)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"test.graphql", sdl, strlen(sdl)};
    gg_schema *schema = gg_schema_build(&src, 1, NULL, &errors);
    for (const gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "schema error: %s\n", e->message);
    gg_arena_free(&arena);
    if (schema && with_resolvers) {
        for (unsigned t = 0; t < schema->type_count; t++) {
            gg_type *type = schema->types[t];
            if (type->kind != GG_KIND_OBJECT || type->is_builtin) continue;
            for (unsigned f = 0; f < type->field_count; f++)
                type->fields[f].resolve = data_resolve;
        }
    }
    return schema;
}

/* A gg_val from JSON text (NULL text: NULL). */
static inline gg_val *val_from_json_text(gg_arena *arena, const char *json)
{
    if (json == NULL) return NULL;
    cJSON *j = cJSON_Parse(json);
    if (j == NULL) {
        fprintf(stderr, "bad JSON in test: %s\n", json);
        return NULL;
    }
    gg_val *v = gg_val_from_cjson(arena, j);
    cJSON_Delete(j);
    return v;
}

/* Runs query (parse, validate, execute) and returns the response JSON (static buffer, valid
 * until the next call). */
static inline const char *run_query(const gg_schema *schema, const char *query, const char *variables,
                                    const char *root_json)
{
    static char *last;
    free(last);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *root = val_from_json_text(&arena, root_json);
    gg_buf out;
    gg_buf_init(&out);
    gg_graphql_run_sync(schema, query, strlen(query), NULL, variables, root, &out);
    gg_arena_free(&arena);
    last = gg_buf_take(&out, NULL);
    return last;
}

#endif
