/* unique_type_names.c: graphql-js UniqueTypeNamesRule, a type is defined once (extensions aside);
 * redefining a type of the prelude gets graphql-js's message for an existing schema. */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *def)
{
    if (!gg_sdl_is_type_definition(def) || def->is_extension) return;
    const char *name = def->name.value;
    const gg_definition *first = gg_strmap_gets(&c->first_type_def, name);
    if (first == def) return;
    if (gg_sdl_in_prelude(c, first) && !gg_sdl_in_prelude(c, def)) {
        gg_sdl_report(c, def->name.loc,
                      "Type \"%s\" already exists in the schema. It cannot also be defined in this type definition.",
                      name);
    } else {
        gg_error *e = gg_sdl_report(c, first->name.loc, "There can be only one type named \"%s\".", name);
        gg_error_add_location(c->errors, e, def->name.loc);
    }
}

const gg_sdl_rule gg_sdl_rule_unique_type_names = {
    .name = "UniqueTypeNames",
    .enter_definition = enter_definition,
};
