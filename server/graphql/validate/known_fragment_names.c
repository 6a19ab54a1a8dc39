/* known_fragment_names.c: spec §5.5.2.1 "Fragment spread target defined" (graphql-js KnownFragmentNamesRule).
 *
 * Every named spread must name a fragment of the document; reported at the spread's name. */
#include "rules.h"

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD && !gg_vctx_fragment(ctx, sel->name.value))
        gg_vctx_report(ctx, sel->name.loc, "Unknown fragment \"%s\".", sel->name.value ? sel->name.value : "");
}

const gg_rule gg_rule_known_fragment_names = {
    .name = "KnownFragmentNames",
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_FRAGMENT_SPREAD),
};
