/* variable_usages.c: graphql-js getVariableUsages and getRecursiveVariableUsages, cached per
 * validation.
 *
 * A definition's own usages come from the main walk, which records them on its way
 * (walker.c), or else from a collect walk of that definition alone; a definition with no variable
 * in its syntax tree (checked on the syntax tree alone, much cheaper) has none and needs no walk.
 * An operation's recursive usages are its own followed by those of the fragments it reaches; the
 * latter are kept on the fragments' cache entry, which operations spreading the same fragments
 * share. Each step spends fragment work as graphql-js 16.15 does (context.c). */
#include <string.h>

#include "validate_internal.h"

/* ---- whether a definition holds any variable (else its usages are known to be none) ---- */

static bool value_has_variables(const gg_value *value)
{
    switch (value->kind) {
    case GG_VALUE_VARIABLE:
        return true;
    case GG_VALUE_LIST:
        for (unsigned i = 0; i < value->item_count; i++)
            if (value_has_variables(value->items[i])) return true;
        return false;
    case GG_VALUE_OBJECT:
        for (unsigned i = 0; i < value->field_count; i++)
            if (value->fields[i].value && value_has_variables(value->fields[i].value)) return true;
        return false;
    default:
        return false;
    }
}

static bool arguments_have_variables(const gg_argument *args, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (args[i].value && value_has_variables(args[i].value)) return true;
    return false;
}

static bool directives_have_variables(const gg_directive *dirs, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (arguments_have_variables(dirs[i].args, dirs[i].arg_count)) return true;
    return false;
}

static bool selection_set_has_variables(const gg_selection_set *set)
{
    if (!set) return false;
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        if (arguments_have_variables(sel->args, sel->arg_count) ||
            directives_have_variables(sel->directives, sel->directive_count) ||
            selection_set_has_variables(sel->selection_set))
            return true;
    }
    return false;
}

/* graphql-js getVariableUsages: a fresh TypeInfo walk of one operation or fragment. A definition
 * without any variable (checked on the syntax tree alone, much cheaper) has no usages. */
static usages_entry *local_usages(gg_vctx *ctx, const gg_definition *def)
{
    validation *v = validation_of(ctx);
    usages_entry *e = cache_get(&v->usages_cache, def);
    if (e) return e;
    e = gg_arena_alloc(ctx->arena, sizeof *e);
    if (directives_have_variables(def->directives, def->directive_count) ||
        selection_set_has_variables(def->selection_set))
        gg_validate_collect_usages(ctx, def, &e->items, &e->count);
    cache_put(&v->usages_cache, ctx->arena, def, e);
    return e;
}

bool gg_validate_usages_known(gg_vctx *ctx, const gg_definition *def)
{
    return cache_get(&validation_of(ctx)->usages_cache, def) != NULL;
}

void gg_validate_usages_store(gg_vctx *ctx, const gg_definition *def, gg_variable_usage *items, unsigned count)
{
    usages_entry *e = gg_arena_alloc(ctx->arena, sizeof *e);
    e->items = items;
    e->count = count;
    cache_put(&validation_of(ctx)->usages_cache, ctx->arena, def, e);
}

void gg_vctx_recursive_variable_usages(gg_vctx *ctx, const gg_definition *operation, const gg_variable_usage **out,
                                       unsigned *count)
{
    validation *v = validation_of(ctx);
    usages_entry *e = cache_get(&v->recursive_cache, operation);
    if (!e) {
        /* the entry of its fragments (shared by operations with the same spreads) caches their usages */
        fragments_entry *fe = gg_validate_fragments_for_operations(ctx, &operation, 1);
        if (!fe->has_usages) {
            fe->has_usages = true;
            GG_VEC(gg_variable_usage) all = {0};
            if (gg_vctx_spend_fragment_work(ctx, fe->count)) {
                for (unsigned i = 0; i < fe->count; i++) {
                    usages_entry *local = local_usages(ctx, fe->items[i]);
                    if (!gg_vctx_spend_fragment_work(ctx, local->count)) break;
                    for (unsigned k = 0; k < local->count; k++)
                        GG_VEC_PUSH(ctx->arena, all, local->items[k]);
                }
            }
            fe->usages = all.items;
            fe->usage_count = all.count;
        }
        gg_vctx_spend_fragment_work(ctx, fe->usage_count);
        usages_entry *own = local_usages(ctx, operation);
        e = gg_arena_alloc(ctx->arena, sizeof *e);
        e->count = own->count + fe->usage_count;
        e->items = gg_arena_array(ctx->arena, e->count ? e->count : 1, sizeof *e->items);
        if (own->count) memcpy(e->items, own->items, own->count * sizeof *e->items);
        if (fe->usage_count) memcpy(e->items + own->count, fe->usages, fe->usage_count * sizeof *e->items);
        cache_put(&v->recursive_cache, ctx->arena, operation, e);
    }
    *out = e->items;
    *count = e->count;
}
