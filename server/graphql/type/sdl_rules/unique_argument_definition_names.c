/* unique_argument_definition_names.c: graphql-js UniqueArgumentDefinitionNamesRule, an argument
 * of a field or of a directive definition is defined once (every occurrence is located). */
#include "sdl_rules.h"

static void check_arguments(gg_sdl_context *c, const char *parent, const gg_input_value_def *args, unsigned count)
{
    const gg_name **names = gg_arena_array(c->arena, count + 1, sizeof *names);
    for (unsigned i = 0; i < count; i++)
        names[i] = &args[i].name;
    gg_sdl_report_repeated_names(c, names, count, parent, "Argument \"%s(%s:)\" can only be defined once.");
}

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *def)
{
    const char *name = def->name.value;
    if (def->kind == GG_DEF_DIRECTIVE)
        check_arguments(c, gg_arena_printf(c->arena, "@%s", name), def->args, def->arg_count);
    if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
        for (unsigned i = 0; i < def->field_count; i++)
            check_arguments(c, gg_arena_printf(c->arena, "%s.%s", name, def->fields[i].name.value), def->fields[i].args,
                            def->fields[i].arg_count);
}

const gg_sdl_rule gg_sdl_rule_unique_argument_definition_names = {
    .name = "UniqueArgumentDefinitionNames",
    .enter_definition = enter_definition,
};
