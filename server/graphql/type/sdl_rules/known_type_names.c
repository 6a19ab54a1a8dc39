/* known_type_names.c: graphql-js KnownTypeNamesRule for SDL, every named type is defined by the
 * documents or is a standard type, else "Unknown type" with suggestions among the defined types,
 * then the standard ones. */
#include "sdl_rules.h"

#include "../../suggest.h"

static void enter_named_type(gg_sdl_context *c, void *state, const gg_name *name)
{
    if (name->value == NULL || gg_strmap_gets(&c->last_type_def, name->value) ||
        gg_strmap_gets(&c->std_types, name->value))
        return;
    gg_sdl_report(c, name->loc, "Unknown type \"%s\".%s", name->value,
                  gg_suggest_did_you_mean(c->arena, NULL, name->value, c->type_names.items, c->type_names.count));
}

const gg_sdl_rule gg_sdl_rule_known_type_names = {
    .name = "KnownTypeNames",
    .enter_named_type = enter_named_type,
};
