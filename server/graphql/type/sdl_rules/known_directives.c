/* known_directives.c: graphql-js KnownDirectivesRule for SDL, every directive applied is defined
 * (by graphql-js, the preludes or the documents) and allowed where it stands. */
#include "sdl_rules.h"

static void enter_directive(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def,
                            uint32_t location)
{
    if (def == NULL) {
        gg_sdl_report(c, directive->loc, "Unknown directive \"@%s\".", directive->name.value);
    } else if ((def->locations & location) == 0) {
        const char *location_name = gg_directive_location_name(location);
        gg_sdl_report(c, directive->loc, "Directive \"@%s\" may not be used on %s.", directive->name.value,
                      location_name ? location_name : "UNKNOWN");
    }
}

const gg_sdl_rule gg_sdl_rule_known_directives = {
    .name = "KnownDirectives",
    .enter_directive = enter_directive,
};
