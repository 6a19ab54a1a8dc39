/* no_undefined_variables.c: spec §5.8.3 "All Variable Uses Defined" (graphql-js
 * NoUndefinedVariablesRule).
 *
 * While an operation is walked its variable definitions are collected; when it is left, every
 * variable used in it or in the fragments it reaches (gg_vctx_recursive_variable_usages) that
 * the operation does not define is reported at the usage and at the operation. */
#include <string.h>

#include "validate.h"

typedef struct state {
    gg_strmap defined; /* variable name -> its definition, for the current operation */
} state;

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind == GG_DEF_OPERATION)
        gg_strmap_init(&((state *)st)->defined, ctx->arena);
}

static void enter_variable_definition(gg_vctx *ctx, void *st, const gg_variable_definition *var)
{
    state *s = st;
    if (s->defined.arena == NULL)
        gg_strmap_init(&s->defined, ctx->arena);
    gg_strmap_put(&s->defined, var->variable.value, strlen(var->variable.value), (void *)var);
}

static void leave_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind != GG_DEF_OPERATION)
        return;
    const gg_variable_usage *usages;
    unsigned count;
    gg_vctx_recursive_variable_usages(ctx, def, &usages, &count);
    for (unsigned i = 0; i < count; i++) {
        const gg_value *node = usages[i].node;
        if (s->defined.arena && gg_strmap_gets(&s->defined, node->text))
            continue;
        gg_error *error = def->name.value
                              ? gg_vctx_report(ctx, node->loc, "Variable \"$%s\" is not defined by operation \"%s\".",
                                               node->text, def->name.value)
                              : gg_vctx_report(ctx, node->loc, "Variable \"$%s\" is not defined.", node->text);
        gg_error_add_location(ctx->errors, error, def->loc);
    }
}

const gg_rule gg_rule_no_undefined_variables = {
    .name = "NoUndefinedVariables",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
    .leave_definition = leave_definition,
    .enter_variable_definition = enter_variable_definition,
};
