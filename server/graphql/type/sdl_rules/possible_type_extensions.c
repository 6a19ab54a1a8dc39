/* possible_type_extensions.c: graphql-js PossibleTypeExtensionsRule, a type extension extends a
 * defined type of the same kind (suggesting defined types for an unknown name). */
#include "sdl_rules.h"

#include "../../suggest.h"

static const char *kind_word(gg_definition_kind kind)
{
    switch (kind) {
    case GG_DEF_SCALAR:
        return "scalar";
    case GG_DEF_OBJECT:
        return "object";
    case GG_DEF_INTERFACE:
        return "interface";
    case GG_DEF_UNION:
        return "union";
    case GG_DEF_ENUM:
        return "enum";
    case GG_DEF_INPUT_OBJECT:
        return "input object";
    default:
        return "unknown";
    }
}

static void enter_definition(gg_sdl_context *c, void *state, const gg_definition *extension)
{
    if (!gg_sdl_is_type_definition(extension) || !extension->is_extension) return;
    const char *name = extension->name.value;
    const gg_definition *def = gg_strmap_gets(&c->last_type_def, name);
    if (def != NULL) {
        if (def->kind != extension->kind && gg_sdl_in_prelude(c, def) && !gg_sdl_in_prelude(c, extension)) {
            gg_sdl_report(c, extension->loc, "Cannot extend non-%s type \"%s\".", kind_word(extension->kind), name);
        } else if (def->kind != extension->kind) {
            gg_error *e =
                gg_sdl_report(c, def->loc, "Cannot extend non-%s type \"%s\".", kind_word(extension->kind), name);
            gg_error_add_location(c->errors, e, extension->loc);
        }
        return;
    }
    const char **names = gg_arena_array(c->arena, c->first_type_def.count + 1, sizeof *names);
    unsigned count = 0;
    for (unsigned i = 0; i < c->type_names.count; i++)
        if (gg_strmap_gets(&c->last_type_def, c->type_names.items[i])) names[count++] = c->type_names.items[i];
    gg_sdl_report(c, extension->name.loc, "Cannot extend type \"%s\" because it is not defined.%s", name,
                  gg_suggest_did_you_mean(c->arena, NULL, name, names, count));
}

const gg_sdl_rule gg_sdl_rule_possible_type_extensions = {
    .name = "PossibleTypeExtensions",
    .enter_definition = enter_definition,
};
