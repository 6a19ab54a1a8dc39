/* unique_argument_names.c: graphql-js UniqueArgumentNamesRule for SDL, an applied directive names
 * each argument once (all the occurrences of a repeated name, reported at its first). */
#include "sdl_rules.h"

static void enter_directive(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def,
                            uint32_t location)
{
    const gg_name **names = gg_arena_array(c->arena, directive->arg_count + 1, sizeof *names);
    for (unsigned i = 0; i < directive->arg_count; i++)
        names[i] = &directive->args[i].name;
    gg_sdl_report_repeated_names(c, names, directive->arg_count, NULL, "There can be only one argument named \"%s\".");
}

const gg_sdl_rule gg_sdl_rule_unique_argument_names = {
    .name = "UniqueArgumentNames",
    .enter_directive = enter_directive,
};
