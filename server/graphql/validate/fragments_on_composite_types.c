/* fragments_on_composite_types.c: spec §5.5.1.3 "Fragments On Composite Types"
 * (graphql-js FragmentsOnCompositeTypesRule).
 *
 * A type condition naming a known type that is not an object, interface or union is reported at
 * the condition; unknown names are KnownTypeNames' business. */
#include "rules.h"

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    if (sel->kind != GG_SELECTION_INLINE_FRAGMENT || !sel->type_condition.value) return;
    gg_type *type = gg_vctx_find_type(ctx, sel->type_condition.value);
    if (type && !gg_type_is_composite(type))
        gg_vctx_report(ctx, sel->type_condition.loc, "Fragment cannot condition on non composite type \"%s\".",
                       sel->type_condition.value);
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_FRAGMENT || !def->type_condition.value) return;
    gg_type *type = gg_vctx_find_type(ctx, def->type_condition.value);
    if (type && !gg_type_is_composite(type))
        gg_vctx_report(ctx, def->type_condition.loc, "Fragment \"%s\" cannot condition on non composite type \"%s\".",
                       def->name.value ? def->name.value : "", def->type_condition.value);
}

const gg_rule gg_rule_fragments_on_composite_types = {
    .name = "FragmentsOnCompositeTypes",
    .enter_definition = enter_definition,
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_INLINE_FRAGMENT),
};
