/* variables_are_input_types.c: spec §5.8.2 "Variables Are Input Types" (graphql-js VariablesAreInputTypesRule).
 *
 * A variable whose (known) type is an output-only type is reported at its type, printed as written. */
#include "rules.h"

#include "../language/printer.h"

static void enter_variable_definition(gg_vctx *ctx, void *st, const gg_variable_definition *var)
{
    if (!var->type) return;
    gg_type *type = gg_vctx_type_from_ast(ctx, var->type);
    if (!type || gg_type_is_input(type)) return;
    gg_buf b;
    gg_buf_init(&b);
    gg_print_type_ref(&b, var->type);
    gg_vctx_report(ctx, var->type->loc, "Variable \"$%s\" cannot be non-input type \"%s\".",
                   var->variable.value ? var->variable.value : "", b.data ? b.data : "");
    gg_buf_free(&b);
}

const gg_rule gg_rule_variables_are_input_types = {
    .name = "VariablesAreInputTypes",
    .enter_variable_definition = enter_variable_definition,
};
