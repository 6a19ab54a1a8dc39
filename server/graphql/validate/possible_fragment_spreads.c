/* possible_fragment_spreads.c: spec §5.5.2.3 "Fragment spread is possible"
 * (graphql-js PossibleFragmentSpreadsRule).
 *
 * A fragment (inline or named) whose type condition can share no object type with the parent
 * type is reported at the fragment. Unknown or non-composite types are other rules' business. */
#include "rules.h"

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    gg_type *parent = ctx->parent_type;
    if (sel->kind == GG_SELECTION_INLINE_FRAGMENT) {
        gg_type *frag_type = ctx->type;
        if (frag_type && gg_type_is_composite(frag_type) && parent && gg_type_is_composite(parent) &&
            !gg_schema_types_overlap(ctx->schema, frag_type, parent))
            gg_vctx_report(ctx, sel->loc,
                           "Fragment cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
                           gg_type_to_string(ctx->arena, parent), gg_type_to_string(ctx->arena, frag_type));
    } else if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD) {
        const gg_definition *frag = gg_vctx_fragment(ctx, sel->name.value);
        gg_type *frag_type =
            frag && frag->type_condition.value ? gg_vctx_find_type(ctx, frag->type_condition.value) : NULL;
        if (frag_type && gg_type_is_composite(frag_type) && parent &&
            !gg_schema_types_overlap(ctx->schema, frag_type, parent))
            gg_vctx_report(
                ctx, sel->loc,
                "Fragment \"%s\" cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
                sel->name.value, gg_type_to_string(ctx->arena, parent), gg_type_to_string(ctx->arena, frag_type));
    }
}

const gg_rule gg_rule_possible_fragment_spreads = {
    .name = "PossibleFragmentSpreads",
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_FRAGMENT_SPREAD) | (1u << GG_SELECTION_INLINE_FRAGMENT),
};
