/* unique_field_definition_names.c: graphql-js UniqueFieldDefinitionNamesRule, a field of an
 * object, interface or input object type is defined once across the type's definition and
 * extensions. */
#include "sdl_rules.h"

typedef struct state {
    gg_strmap seen; /* type name -> gg_strmap* (field name -> first occurrence) */
} state;

static void begin(gg_sdl_context *c, void *raw)
{
    gg_strmap_init(&((state *)raw)->seen, c->arena);
}

static void enter_definition(gg_sdl_context *c, void *raw, const gg_definition *def)
{
    state *s = raw;
    const char *name = def->name.value;
    bool prelude = gg_sdl_in_prelude(c, def);
    if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
        for (unsigned i = 0; i < def->field_count; i++)
            gg_sdl_check_unique_member(c, &s->seen, name, &def->fields[i].name, "Field", prelude);
    if (def->kind == GG_DEF_INPUT_OBJECT)
        for (unsigned i = 0; i < def->input_field_count; i++)
            gg_sdl_check_unique_member(c, &s->seen, name, &def->input_fields[i].name, "Field", prelude);
}

const gg_sdl_rule gg_sdl_rule_unique_field_definition_names = {
    .name = "UniqueFieldDefinitionNames",
    .state_size = sizeof(state),
    .begin = begin,
    .enter_definition = enter_definition,
};
