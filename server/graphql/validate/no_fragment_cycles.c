/* no_fragment_cycles.c: spec §5.5.2.2 "Fragment spreads must not form cycles" (graphql-js NoFragmentCyclesRule).
 *
 * A depth-first search from each fragment definition over the spreads it contains (not into
 * operations), each fragment explored once. The current path of spreads is kept; a spread back to
 * a fragment on the path is a cycle, reported at every spread of the cycle, naming the fragments
 * it goes through. The search uses an explicit stack so a long chain of fragments cannot exhaust
 * the C stack. */
#include "rules.h"

#include <string.h>

typedef struct frame {
    const char *name;
    const gg_selection **spreads;
    unsigned count, next;
} frame;

typedef struct state {
    gg_strmap visited;    /* fragment name -> non-NULL once explored */
    gg_strmap path_index; /* fragment name -> 1 + index in path of its first spread, NULL when off the path */
    GG_VEC(const gg_selection *) path;
    GG_VEC(frame) stack;
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->visited, ctx->arena);
    gg_strmap_init(&s->path_index, ctx->arena);
}

/* Starts exploring a fragment; false when it was explored before or spreads nothing. */
static bool push_fragment(gg_vctx *ctx, state *s, const gg_definition *frag)
{
    const char *name = frag->name.value;
    if (!name || gg_strmap_gets(&s->visited, name)) return false;
    gg_strmap_put(&s->visited, name, strlen(name), (void *)name);
    frame f = {.name = name};
    gg_vctx_fragment_spreads(ctx, frag->selection_set, &f.spreads, &f.count);
    if (f.count == 0) return false;
    gg_strmap_put(&s->path_index, name, strlen(name), (void *)(uintptr_t)(s->path.count + 1));
    GG_VEC_PUSH(ctx->arena, s->stack, f);
    return true;
}

static void report_cycle(gg_vctx *ctx, state *s, const char *spread_name, unsigned cycle_index)
{
    gg_buf via;
    gg_buf_init(&via);
    for (unsigned i = cycle_index; i + 1 < s->path.count; i++)
        gg_buf_printf(&via, "%s\"%s\"", i > cycle_index ? ", " : "", s->path.items[i]->name.value);
    gg_error *e;
    if (via.len)
        e = gg_vctx_report(ctx, s->path.items[cycle_index]->loc, "Cannot spread fragment \"%s\" within itself via %s.",
                           spread_name, via.data);
    else
        e = gg_vctx_report(ctx, s->path.items[cycle_index]->loc, "Cannot spread fragment \"%s\" within itself.",
                           spread_name);
    gg_buf_free(&via);
    for (unsigned i = cycle_index + 1; i < s->path.count; i++)
        gg_error_add_location(ctx->errors, e, s->path.items[i]->loc);
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind != GG_DEF_FRAGMENT || !push_fragment(ctx, s, def)) return;
    while (s->stack.count) {
        frame *f = &s->stack.items[s->stack.count - 1];
        if (f->next == f->count) {
            gg_strmap_put(&s->path_index, f->name, strlen(f->name), NULL);
            s->stack.count--;
            if (s->stack.count) s->path.count--; /* the spread that led into the finished fragment */
            continue;
        }
        const gg_selection *spread = f->spreads[f->next++];
        const char *spread_name = spread->name.value ? spread->name.value : "";
        uintptr_t cycle = (uintptr_t)gg_strmap_gets(&s->path_index, spread_name);
        GG_VEC_PUSH(ctx->arena, s->path, spread);
        if (cycle == 0) {
            const gg_definition *target = gg_vctx_fragment(ctx, spread_name);
            if (target && push_fragment(ctx, s, target))
                continue; /* the path keeps this spread until the target is finished */
        } else {
            report_cycle(ctx, s, spread_name, (unsigned)(cycle - 1));
        }
        s->path.count--;
    }
}

const gg_rule gg_rule_no_fragment_cycles = {
    .name = "NoFragmentCycles",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_definition = enter_definition,
};
