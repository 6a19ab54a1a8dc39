/* no_unused_variables.c: spec §5.8.4 "All Variables Used" (graphql-js NoUnusedVariablesRule).
 *
 * While an operation is walked its variable definitions are collected in order; when it is left,
 * each definition whose name no usage in the operation or the fragments it reaches mentions
 * (gg_vctx_recursive_variable_usages) is reported at the definition. */
#include <string.h>

#include "validate.h"

typedef struct state {
    GG_VEC(const gg_variable_definition *) definitions; /* of the current operation */
} state;

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind == GG_DEF_OPERATION)
        ((state *)st)->definitions.count = 0;
}

static void enter_variable_definition(gg_vctx *ctx, void *st, const gg_variable_definition *var)
{
    state *s = st;
    GG_VEC_PUSH(ctx->arena, s->definitions, var);
}

static void leave_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind != GG_DEF_OPERATION)
        return;
    const gg_variable_usage *usages;
    unsigned count;
    gg_vctx_recursive_variable_usages(ctx, def, &usages, &count);
    gg_strmap used;
    gg_strmap_init(&used, ctx->arena);
    for (unsigned i = 0; i < count; i++)
        gg_strmap_put(&used, usages[i].node->text, strlen(usages[i].node->text), (void *)usages[i].node);
    for (unsigned i = 0; i < s->definitions.count; i++) {
        const gg_variable_definition *var = s->definitions.items[i];
        if (gg_strmap_gets(&used, var->variable.value))
            continue;
        if (def->name.value)
            gg_vctx_report(ctx, var->loc, "Variable \"$%s\" is never used in operation \"%s\".", var->variable.value,
                           def->name.value);
        else
            gg_vctx_report(ctx, var->loc, "Variable \"$%s\" is never used.", var->variable.value);
    }
}

const gg_rule gg_rule_no_unused_variables = {
    .name = "NoUnusedVariables",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
    .leave_definition = leave_definition,
    .enter_variable_definition = enter_variable_definition,
};
