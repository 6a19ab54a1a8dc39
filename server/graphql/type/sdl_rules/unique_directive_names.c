/* unique_directive_names.c: graphql-js UniqueDirectiveNamesRule, a directive is defined once;
 * redefining a directive of the prelude gets graphql-js's message for an existing schema. */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *def)
{
    if (def->kind != GG_DEF_DIRECTIVE) return;
    const char *name = def->name.value;
    const gg_definition *first = gg_strmap_gets(&c->first_directive, name);
    if (first == def) return;
    if (gg_sdl_in_prelude(c, first) && !gg_sdl_in_prelude(c, def)) {
        gg_sdl_report(c, def->name.loc, "Directive \"@%s\" already exists in the schema. It cannot be redefined.",
                      name);
    } else {
        gg_error *e = gg_sdl_report(c, first->name.loc, "There can be only one directive named \"@%s\".", name);
        gg_error_add_location(c->errors, e, def->name.loc);
    }
}

const gg_sdl_rule gg_sdl_rule_unique_directive_names = {
    .name = "UniqueDirectiveNames",
    .enter_definition = enter_definition,
};
