/* known_argument_names_on_directives.c: graphql-js KnownArgumentNamesOnDirectivesRule, the
 * arguments of an applied directive are arguments of its definition (with suggestions). */
#include "sdl_rules.h"

#include <string.h>

#include "../../suggest.h"

static void enter_directive(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def,
                            uint32_t location)
{
    if (def == NULL) return;
    for (unsigned i = 0; i < directive->arg_count; i++) {
        const char *argument = directive->args[i].name.value;
        bool known = false;
        for (unsigned k = 0; k < def->arg_count && !known; k++)
            known = strcmp(def->args[k].name.value, argument) == 0;
        if (known) continue;
        const char **names = gg_arena_array(c->arena, def->arg_count + 1, sizeof *names);
        for (unsigned k = 0; k < def->arg_count; k++)
            names[k] = def->args[k].name.value;
        gg_sdl_report(c, directive->args[i].loc, "Unknown argument \"%s\" on directive \"@%s\".%s", argument,
                      directive->name.value, gg_suggest_did_you_mean(c->arena, NULL, argument, names, def->arg_count));
    }
}

const gg_sdl_rule gg_sdl_rule_known_argument_names_on_directives = {
    .name = "KnownArgumentNamesOnDirectives",
    .enter_directive = enter_directive,
};
