/* unique_fragment_names.c: spec §5.5.1.1 "Fragment Name Uniqueness" (graphql-js UniqueFragmentNamesRule).
 *
 * Remembers the first name node of each fragment name; a later fragment with the same name is
 * reported at both names. */
#include "rules.h"

#include <string.h>

typedef struct state {
    gg_strmap known; /* name -> gg_name* of the first fragment with it */
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    gg_strmap_init(&((state *)st)->known, ctx->arena);
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind != GG_DEF_FRAGMENT || !def->name.value) return;
    const gg_name *first = gg_strmap_gets(&s->known, def->name.value);
    if (first) {
        gg_error *e = gg_vctx_report(ctx, first->loc, "There can be only one fragment named \"%s\".", def->name.value);
        gg_error_add_location(ctx->errors, e, def->name.loc);
    } else {
        gg_strmap_put(&s->known, def->name.value, strlen(def->name.value), (void *)&def->name);
    }
}

const gg_rule gg_rule_unique_fragment_names = {
    .name = "UniqueFragmentNames",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_definition = enter_definition,
};
