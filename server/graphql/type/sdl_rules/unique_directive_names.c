/* unique_directive_names.c: graphql-js UniqueDirectiveNamesRule, a directive is defined once;
 * redefining a directive of the prelude gets graphql-js's message for an existing schema. */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *def)
{
    if (def->kind != GG_DEF_DIRECTIVE) return;
    gg_sdl_check_first_definition(c, gg_strmap_gets(&c->first_directive, def->name.value), def,
                                  "Directive \"@%s\" already exists in the schema. It cannot be redefined.",
                                  "There can be only one directive named \"@%s\".");
}

const gg_sdl_rule gg_sdl_rule_unique_directive_names = {
    .name = "UniqueDirectiveNames",
    .enter_definition = enter_definition,
};
