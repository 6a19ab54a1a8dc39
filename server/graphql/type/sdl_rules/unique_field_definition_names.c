/* unique_field_definition_names.c: graphql-js UniqueFieldDefinitionNamesRule, a field of an
 * object, interface or input object type is defined once across the type's definition and
 * extensions. The state is one map: type name -> gg_strmap* (field name -> first occurrence). */
#include "sdl_rules.h"

static void enter_definition(gg_sdl_context *c, void *seen, const gg_definition *def)
{
    const char *name = def->name.value;
    bool prelude = gg_sdl_in_prelude(c, def);
    if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
        for (unsigned i = 0; i < def->field_count; i++)
            gg_sdl_check_unique_member(c, seen, name, &def->fields[i].name, "Field", prelude);
    if (def->kind == GG_DEF_INPUT_OBJECT)
        for (unsigned i = 0; i < def->input_field_count; i++)
            gg_sdl_check_unique_member(c, seen, name, &def->input_fields[i].name, "Field", prelude);
}

const gg_sdl_rule gg_sdl_rule_unique_field_definition_names = {
    .name = "UniqueFieldDefinitionNames",
    .state_size = sizeof(gg_strmap),
    .begin = gg_sdl_begin_map,
    .enter_definition = enter_definition,
};
