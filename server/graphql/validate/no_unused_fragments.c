/* no_unused_fragments.c: spec §5.5.1.4 "Fragments Must Be Used" (graphql-js NoUnusedFragmentsRule).
 *
 * At the end of the document, every fragment not reachable from some operation is reported at its
 * definition, in document order. */
#include "rules.h"

#include <string.h>

enum { SCAN_LIMIT = 16 }; /* used fragments up to this many are scanned, more are mapped */

typedef struct state {
    GG_VEC(const gg_definition *) operations;
    GG_VEC(const gg_definition *) fragments;
} state;

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind == GG_DEF_OPERATION)
        GG_VEC_PUSH(ctx->arena, s->operations, def);
    else if (def->kind == GG_DEF_FRAGMENT)
        GG_VEC_PUSH(ctx->arena, s->fragments, def);
}

static void leave_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    const gg_definition **used;
    unsigned used_count;
    gg_vctx_recursive_fragments_for_operations(ctx, s->operations.items, s->operations.count, &used, &used_count);
    gg_strmap used_names; /* for many used fragments; a few are scanned */
    bool mapped = used_count > SCAN_LIMIT;
    if (mapped) {
        gg_strmap_init(&used_names, ctx->arena);
        for (unsigned i = 0; i < used_count; i++)
            if (used[i]->name.value)
                gg_strmap_put(&used_names, used[i]->name.value, strlen(used[i]->name.value), (void *)used[i]);
    }
    for (unsigned i = 0; i < s->fragments.count; i++) {
        const gg_definition *frag = s->fragments.items[i];
        if (!frag->name.value) continue;
        bool is_used = false;
        if (mapped) is_used = gg_strmap_gets(&used_names, frag->name.value) != NULL;
        for (unsigned k = 0; !mapped && k < used_count && !is_used; k++)
            is_used = used[k]->name.value && strcmp(used[k]->name.value, frag->name.value) == 0;
        if (!is_used) gg_vctx_report(ctx, frag->loc, "Fragment \"%s\" is never used.", frag->name.value);
    }
}

const gg_rule gg_rule_no_unused_fragments = {
    .name = "NoUnusedFragments",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
    .leave_document = leave_document,
};
