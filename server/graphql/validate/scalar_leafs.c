/* scalar_leafs.c: spec §5.3.3 "Leaf Field Selections" (graphql-js ScalarLeafsRule, 16.15 wording).
 *
 * With the field's output type known: a scalar or enum field must not have a selection set; any
 * other field must have one, and it must not be empty. The type is printed only for an error (this
 * runs for every field). */
#include "rules.h"

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    if (sel->kind != GG_SELECTION_FIELD || !ctx->type) return;
    const char *name = sel->name.value ? sel->name.value : "";
    const gg_type *named = ctx->type;
    while (named->kind == GG_KIND_LIST || named->kind == GG_KIND_NON_NULL) /* gg_type_named, inline */
        named = named->of_type;
    if (named->kind == GG_KIND_SCALAR || named->kind == GG_KIND_ENUM) { /* gg_type_is_leaf */
        if (sel->selection_set)
            gg_vctx_report(ctx, sel->selection_set->loc,
                           "Field \"%s\" must not have a selection since type \"%s\" has no subfields.", name,
                           gg_type_to_string(ctx->arena, ctx->type));
    } else if (!sel->selection_set) {
        gg_vctx_report(ctx, sel->loc,
                       "Field \"%s\" of type \"%s\" must have a selection of subfields. Did you mean \"%s { ... }\"?",
                       name, gg_type_to_string(ctx->arena, ctx->type), name);
    } else if (sel->selection_set->count == 0) {
        gg_vctx_report(ctx, sel->loc, "Field \"%s\" of type \"%s\" must have at least one field selected.", name,
                       gg_type_to_string(ctx->arena, ctx->type));
    }
}

const gg_rule gg_rule_scalar_leafs = {
    .name = "ScalarLeafs",
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_FIELD),
};
