/* unique_enum_value_names.c: graphql-js UniqueEnumValueNamesRule, an enum value is defined once
 * across the enum's definition and extensions. */
#include "sdl_rules.h"

typedef struct state {
    gg_strmap seen; /* enum name -> gg_strmap* (value name -> first occurrence) */
} state;

static void begin(gg_sdl_context *c, void *raw)
{
    gg_strmap_init(&((state *)raw)->seen, c->arena);
}

static void enter_definition(gg_sdl_context *c, void *raw, const gg_definition *def)
{
    state *s = raw;
    if (def->kind != GG_DEF_ENUM) return;
    bool prelude = gg_sdl_in_prelude(c, def);
    for (unsigned i = 0; i < def->value_count; i++)
        gg_sdl_check_unique_member(c, &s->seen, def->name.value, &def->values[i].name, "Enum value", prelude);
}

const gg_sdl_rule gg_sdl_rule_unique_enum_value_names = {
    .name = "UniqueEnumValueNames",
    .state_size = sizeof(state),
    .begin = begin,
    .enter_definition = enter_definition,
};
