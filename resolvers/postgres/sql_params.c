/* sql_params.c: parameter lists for generated SQL; see sql_params.h. */
#include "sql_params.h"

void gg_sql_params_init(gg_sql_params *params, gg_arena *arena)
{
    params->arena = arena;
    params->values = NULL;
    params->count = params->cap = 0;
}

unsigned gg_sql_params_add(gg_sql_params *params, const char *value)
{
    if (params->count == params->cap) {
        unsigned cap = params->cap ? params->cap * 2 : 8;
        params->values = gg_arena_grow(params->arena, params->values, params->count, cap, sizeof(char *));
        params->cap = cap;
    }
    params->values[params->count++] = value ? gg_arena_strdup(params->arena, value) : NULL;
    return params->count;
}
