/* no_undefined_variables.c: spec §5.8.3 "All Variable Uses Defined" (graphql-js
 * NoUndefinedVariablesRule).
 *
 * When an operation is left, every variable used in it or in the fragments it reaches
 * (gg_vctx_recursive_variable_usages) that the operation does not define
 * (gg_vctx_variable_definition) is reported at the usage and at the operation. */
#include "validate.h"

static void leave_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_OPERATION) return;
    const gg_variable_usage *usages;
    unsigned count;
    gg_vctx_recursive_variable_usages(ctx, def, &usages, &count);
    for (unsigned i = 0; i < count; i++) {
        const gg_value *node = usages[i].node;
        if (gg_vctx_variable_definition(ctx, def, node->text)) continue;
        gg_error *error = def->name.value
                              ? gg_vctx_report(ctx, node->loc, "Variable \"$%s\" is not defined by operation \"%s\".",
                                               node->text, def->name.value)
                              : gg_vctx_report(ctx, node->loc, "Variable \"$%s\" is not defined.", node->text);
        gg_error_add_location(ctx->errors, error, def->loc);
    }
}

const gg_rule gg_rule_no_undefined_variables = {
    .name = "NoUndefinedVariables",
    .leave_definition = leave_definition,
};
