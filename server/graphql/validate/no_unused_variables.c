/* no_unused_variables.c: spec §5.8.4 "All Variables Used" (graphql-js NoUnusedVariablesRule).
 *
 * When an operation is left, each of its variable definitions (in order) whose name no usage in
 * the operation or the fragments it reaches mentions (gg_vctx_recursive_variable_usages) is
 * reported at the definition. */
#include <string.h>

#include "validate.h"

enum { SCAN_LIMIT = 256 }; /* definitions x usages up to this are compared directly */

/* Whether a usage names the variable: a scan for a few, a map of the used names beyond. */
typedef struct used_names {
    const gg_variable_usage *usages;
    unsigned count;
    gg_strmap *map; /* NULL: scan */
} used_names;

static bool is_used(const used_names *u, const char *name)
{
    if (u->map) return gg_strmap_gets(u->map, name) != NULL;
    for (unsigned i = 0; i < u->count; i++) {
        const char *n = u->usages[i].node->text;
        if (n[0] == name[0] && strcmp(n, name) == 0) return true;
    }
    return false;
}

static void leave_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_OPERATION) return;
    const gg_variable_usage *usages;
    unsigned count;
    gg_vctx_recursive_variable_usages(ctx, def, &usages, &count);
    used_names used = {usages, count, NULL};
    if ((size_t)count * def->variable_count > SCAN_LIMIT) {
        used.map = gg_arena_alloc(ctx->arena, sizeof *used.map);
        gg_strmap_init(used.map, ctx->arena);
        for (unsigned i = 0; i < count; i++)
            gg_strmap_put(used.map, usages[i].node->text, strlen(usages[i].node->text), (void *)usages[i].node);
    }
    for (unsigned i = 0; i < def->variable_count; i++) {
        const gg_variable_definition *var = &def->variables[i];
        if (is_used(&used, var->variable.value)) continue;
        if (def->name.value)
            gg_vctx_report(ctx, var->loc, "Variable \"$%s\" is never used in operation \"%s\".", var->variable.value,
                           def->name.value);
        else
            gg_vctx_report(ctx, var->loc, "Variable \"$%s\" is never used.", var->variable.value);
    }
}

const gg_rule gg_rule_no_unused_variables = {
    .name = "NoUnusedVariables",
    .leave_definition = leave_definition,
};
