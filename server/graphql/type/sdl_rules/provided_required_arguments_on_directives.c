/* provided_required_arguments_on_directives.c: graphql-js
 * ProvidedRequiredArgumentsOnDirectivesRule, an applied directive gives every non-null argument of
 * its definition that has no default (checked when leaving the directive, after its values). */
#include "sdl_rules.h"

#include <string.h>

#include "../../../base/buf.h"
#include "../../language/printer.h"

static const char *type_ref_string(gg_arena *arena, const gg_type_ref *ref)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_print_type_ref(&b, ref);
    const char *s = gg_arena_strndup(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return s;
}

static void leave_directive(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def)
{
    if (def == NULL) return;
    for (unsigned k = 0; k < def->arg_count; k++) {
        const gg_input_value_def *argument = &def->args[k];
        if (argument->type->kind != GG_TYPE_REF_NON_NULL || argument->default_value != NULL) continue;
        bool given = false;
        for (unsigned i = 0; i < directive->arg_count && !given; i++)
            given = strcmp(directive->args[i].name.value, argument->name.value) == 0;
        if (!given)
            gg_sdl_report(c, directive->loc,
                          "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                          directive->name.value, argument->name.value, type_ref_string(c->arena, argument->type));
    }
}

const gg_sdl_rule gg_sdl_rule_provided_required_arguments_on_directives = {
    .name = "ProvidedRequiredArgumentsOnDirectives",
    .leave_directive = leave_directive,
};
