/* unique_type_names.c: graphql-js UniqueTypeNamesRule, a type is defined once (extensions aside);
 * redefining a type of the prelude gets graphql-js's message for an existing schema. */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *def)
{
    if (!gg_sdl_is_type_definition(def) || def->is_extension) return;
    gg_sdl_check_first_definition(
        c, gg_strmap_gets(&c->first_type_def, def->name.value), def,
        "Type \"%s\" already exists in the schema. It cannot also be defined in this type definition.",
        "There can be only one type named \"%s\".");
}

const gg_sdl_rule gg_sdl_rule_unique_type_names = {
    .name = "UniqueTypeNames",
    .enter_definition = enter_definition,
};
