/* unique_enum_value_names.c: graphql-js UniqueEnumValueNamesRule, an enum value is defined once
 * across the enum's definition and extensions. The state is one map: enum name -> gg_strmap*
 * (value name -> first occurrence). */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *seen, const gg_definition *def)
{
    if (def->kind != GG_DEF_ENUM) return;
    bool prelude = gg_sdl_in_prelude(c, def);
    for (unsigned i = 0; i < def->value_count; i++)
        gg_sdl_check_unique_member(c, seen, def->name.value, &def->values[i].name, "Enum value", prelude);
}

const gg_sdl_rule gg_sdl_rule_unique_enum_value_names = {
    .name = "UniqueEnumValueNames",
    .state_size = sizeof(gg_strmap),
    .begin = gg_sdl_begin_map,
    .enter_definition = enter_definition,
};
