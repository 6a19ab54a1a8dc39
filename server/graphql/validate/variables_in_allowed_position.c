/* variables_in_allowed_position.c: spec §5.8.5 "All Variable Usages Are Allowed" (graphql-js
 * VariablesInAllowedPositionRule).
 *
 * When an operation is left, each usage of a variable the operation defines (in it or in the
 * fragments it reaches) is checked against the type expected where it appears: the variable's
 * type must be a subtype of it, except that a nullable variable may fill a non-null position when
 * the variable has a non-null default or the position itself has a default. A variable standing
 * for a field of a @oneOf input object must be non-null (graphql-js 16.15). */
#include <stdbool.h>
#include <string.h>

#include "validate.h"

static bool is_allowed(const gg_schema *schema, const gg_type *var_type, const gg_variable_definition *var,
                       const gg_variable_usage *usage)
{
    const gg_type *location_type = usage->type;
    if (location_type->kind == GG_KIND_NON_NULL && var_type->kind != GG_KIND_NON_NULL) {
        bool var_has_non_null_default = var->default_value && var->default_value->kind != GG_VALUE_NULL;
        if (!var_has_non_null_default && !usage->has_default) return false;
        return gg_schema_is_type_sub_type_of(schema, var_type, location_type->of_type);
    }
    return gg_schema_is_type_sub_type_of(schema, var_type, location_type);
}

static void leave_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_OPERATION) return;
    const gg_variable_usage *usages;
    unsigned count;
    gg_vctx_recursive_variable_usages(ctx, def, &usages, &count);
    for (unsigned i = 0; i < count; i++) {
        const gg_variable_usage *usage = &usages[i];
        const gg_variable_definition *var = gg_vctx_variable_definition(ctx, def, usage->node->text);
        if (!var || !usage->type) continue;
        gg_type *var_type = gg_vctx_type_from_ast(ctx, var->type);
        if (!var_type) continue;
        gg_error *error;
        if (!is_allowed(ctx->schema, var_type, var, usage)) {
            error = gg_vctx_report(
                ctx, var->loc, "Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
                usage->node->text, gg_type_to_string(ctx->arena, var_type), gg_type_to_string(ctx->arena, usage->type));
            gg_error_add_location(ctx->errors, error, usage->node->loc);
        }
        const gg_type *parent = usage->parent_type;
        if (parent && parent->kind == GG_KIND_INPUT_OBJECT && parent->is_one_of && var_type->kind != GG_KIND_NON_NULL) {
            error = gg_vctx_report(ctx, var->loc,
                                   "Variable \"$%s\" is of type \"%s\" but must be non-nullable to be used for OneOf "
                                   "Input Object \"%s\".",
                                   usage->node->text, gg_type_to_string(ctx->arena, var_type), parent->name);
            gg_error_add_location(ctx->errors, error, usage->node->loc);
        }
    }
}

const gg_rule gg_rule_variables_in_allowed_position = {
    .name = "VariablesInAllowedPosition",
    .leave_definition = leave_definition,
};
