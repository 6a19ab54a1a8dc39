/* lone_schema_definition.c: graphql-js LoneSchemaDefinitionRule, a document defines the schema
 * (roots, schema directives) at most once; extensions do not count. */
#include "sdl_rules.h"

typedef struct state {
    unsigned schema_definitions;
} state;

static void enter_definition(gg_sdl_context *c, void *raw, const gg_definition *def)
{
    state *s = raw;
    if (def->kind == GG_DEF_SCHEMA && !def->is_extension && s->schema_definitions++ > 0)
        gg_sdl_report(c, def->loc, "Must provide only one schema definition.");
}

const gg_sdl_rule gg_sdl_rule_lone_schema_definition = {
    .name = "LoneSchemaDefinition",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
};
