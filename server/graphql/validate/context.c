/* context.c: the ValidationContext helpers of validate.h (graphql-js ValidationContext), error
 * reporting and the limits.
 *
 * Speed (validation runs for every document not yet cached): lookups that the walker and several
 * rules repeat are remembered per validation (a selection's field definition, the type names
 * asked for, a document's few fragments and an operation's few variables are scanned rather than
 * hashed), and small sets of names are scanned rather than hashed.
 *
 * Limits, as graphql-js 16.15: after max_errors errors the next report becomes "Too many validation
 * errors, error limit reached. Validation aborted." and the walk stops; the fragment helpers spend
 * from a budget of 50000 units of fragment work (at the same points, with the same caching) and
 * when it runs out "Validation aborted." is added and the walk stops. Everything lives in the
 * validation arena. */
#include <stdlib.h>
#include <string.h>

#include "../suggest.h"
#include "validate_internal.h"

/* ---- reporting and the fragment work budget ---- */

gg_error *gg_vctx_report(gg_vctx *ctx, gg_loc loc, const char *fmt, ...)
{
    validation *v = validation_of(ctx);
    if (v->aborted) /* a rule may still format its error: hand it a detached one */
        return gg_arena_alloc(ctx->arena, sizeof(gg_error));
    if (v->error_count >= v->max_errors) {
        gg_error_add(ctx->errors, "Too many validation errors, error limit reached. Validation aborted.");
        v->aborted = true;
        return gg_arena_alloc(ctx->arena, sizeof(gg_error));
    }
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(ctx->errors, fmt, ap);
    va_end(ap);
    gg_error_add_location(ctx->errors, e, loc);
    v->error_count++;
    return e;
}

/* graphql-js 16.15 spendFragmentWork: false (and the walk stops) once the budget is exhausted. */
bool gg_vctx_spend_fragment_work(gg_vctx *ctx, unsigned cost)
{
    validation *v = validation_of(ctx);
    if (v->aborted) return false;
    v->fragment_work -= (long)cost;
    if (v->fragment_work < 0) {
        gg_error_add(ctx->errors, "Validation aborted.");
        v->aborted = true;
        return false;
    }
    return true;
}

/* ---- context helpers ---- */

const gg_definition *gg_vctx_fragment(gg_vctx *ctx, const char *name)
{
    if (!name) return NULL;
    const validation *v = validation_of(ctx);
    if (!v->fragments) return gg_strmap_gets(&ctx->fragments, name);
    for (unsigned i = v->fragment_count; i-- > 0;) { /* the last of a name, as the map */
        const char *n = v->fragments[i]->name.value;
        if (n[0] == name[0] && strcmp(n, name) == 0) return v->fragments[i];
    }
    return NULL;
}

gg_type *gg_vctx_find_type(gg_vctx *ctx, const char *name)
{
    if (!name) return NULL;
    validation *v = validation_of(ctx);
    for (unsigned i = 0; i < v->type_cache_count; i++) {
        const char *n = v->type_cache[i].name;
        if (n[0] == name[0] && strcmp(n, name) == 0) return v->type_cache[i].type;
    }
    gg_type *type = gg_schema_find_type(ctx->schema, name);
    if (v->type_cache_count < TYPE_CACHE_SIZE) {
        v->type_cache[v->type_cache_count].name = name;
        v->type_cache[v->type_cache_count++].type = type;
    }
    return type;
}

gg_type *gg_vctx_type_from_ast(gg_vctx *ctx, const gg_type_ref *ref)
{
    if (!ref) return NULL;
    if (ref->kind == GG_TYPE_REF_NAMED) return gg_vctx_find_type(ctx, ref->name.value);
    gg_type *inner = gg_vctx_type_from_ast(ctx, ref->of_type);
    if (!inner) return NULL;
    /* the schema's interned wrapper; else gg_type_from_ast makes one in the arena */
    gg_type *wrapped = ref->kind == GG_TYPE_REF_LIST     ? inner->list_of
                       : inner->kind == GG_KIND_NON_NULL ? inner
                                                         : inner->non_null_of;
    return wrapped ? wrapped : gg_type_from_ast(ctx->schema, ctx->arena, ref);
}

gg_field *gg_vctx_find_field(gg_vctx *ctx, const gg_type *parent, const gg_selection *field)
{
    validation *v = validation_of(ctx);
    uint64_t slot = ((uint64_t)(uintptr_t)field * 0x9e3779b97f4a7c15ull) >> (64 - FIELD_CACHE_BITS);
    field_cache_entry *e = &v->field_cache[slot];
    if (e->field != field || e->parent != parent) {
        e->field = field;
        e->parent = parent;
        e->def = gg_type_find_field(parent, field->name.value);
    }
    return e->def;
}

const gg_variable_definition *gg_vctx_variable_definition(gg_vctx *ctx, const gg_definition *operation,
                                                          const char *name)
{
    if (!name) return NULL;
    if (operation->variable_count <= NAME_SCAN) {
        for (unsigned i = operation->variable_count; i-- > 0;) {
            const char *n = operation->variables[i].variable.value;
            if (n && n[0] == name[0] && strcmp(n, name) == 0) return &operation->variables[i];
        }
        return NULL;
    }
    validation *v = validation_of(ctx);
    gg_strmap *map = cache_get(&v->variables_cache, operation);
    if (!map) {
        map = gg_arena_alloc(ctx->arena, sizeof *map);
        gg_strmap_init(map, ctx->arena);
        for (unsigned i = 0; i < operation->variable_count; i++) {
            const gg_variable_definition *var = &operation->variables[i];
            if (var->variable.value) gg_strmap_put(map, var->variable.value, strlen(var->variable.value), (void *)var);
        }
        cache_put(&v->variables_cache, ctx->arena, operation, map);
    }
    return gg_strmap_gets(map, name);
}

void gg_vctx_fragment_spreads(gg_vctx *ctx, const gg_selection_set *set, const gg_selection ***out, unsigned *count)
{
    validation *v = validation_of(ctx);
    if (!set) {
        *out = NULL;
        *count = 0;
        return;
    }
    spreads_entry *e = cache_get(&v->spreads_cache, set);
    if (!e) {
        e = gg_arena_alloc(ctx->arena, sizeof *e);
        GG_VEC(const gg_selection *) spreads = {0};
        GG_VEC(const gg_selection_set *) to_visit = {0};
        GG_VEC_PUSH(ctx->arena, to_visit, set);
        while (to_visit.count) {
            const gg_selection_set *s = to_visit.items[--to_visit.count];
            for (unsigned i = 0; i < s->count; i++) {
                const gg_selection *sel = &s->selections[i];
                if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD)
                    GG_VEC_PUSH(ctx->arena, spreads, sel);
                else if (sel->selection_set)
                    GG_VEC_PUSH(ctx->arena, to_visit, sel->selection_set);
            }
        }
        e->items = spreads.items;
        e->count = spreads.count;
        cache_put(&v->spreads_cache, ctx->arena, set, e);
    }
    *out = e->items;
    *count = e->count;
}

/* An ordered set of names: a scan while small, then a map as well. */

typedef struct name_set {
    GG_VEC(const char *) items; /* in order of addition */
    gg_strmap map;              /* once there are more than NAME_SCAN */
} name_set;

/* Adds name unless present; returns whether it was added. */
static bool name_set_add(gg_arena *arena, name_set *set, const char *name)
{
    if (set->items.count <= NAME_SCAN) {
        for (unsigned i = 0; i < set->items.count; i++)
            if (set->items.items[i][0] == name[0] && strcmp(set->items.items[i], name) == 0) return false;
    } else if (gg_strmap_gets(&set->map, name)) {
        return false;
    }
    GG_VEC_PUSH(arena, set->items, name);
    if (set->items.count == NAME_SCAN + 1) {
        gg_strmap_init(&set->map, arena);
        for (unsigned i = 0; i < set->items.count; i++)
            gg_strmap_put(&set->map, set->items.items[i], strlen(set->items.items[i]), (void *)set->items.items[i]);
    } else if (set->items.count > NAME_SCAN + 1) {
        gg_strmap_put(&set->map, name, strlen(name), (void *)name);
    }
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The cache entry of the fragments reachable from a set of spread names (distinct, in first-seen
 * order). graphql-js keys this cache by the set of names (order-free), so operations spreading the
 * same fragments share one result, computed in the order of the first of them. */
static fragments_entry *fragments_for_names(gg_vctx *ctx, const char *const *names, unsigned name_count)
{
    validation *v = validation_of(ctx);
    const char **sorted = gg_arena_array(ctx->arena, name_count ? name_count : 1, sizeof *sorted);
    if (name_count) memcpy(sorted, names, name_count * sizeof *sorted);
    qsort(sorted, name_count, sizeof *sorted, compare_names);
    size_t key_len = 1; /* "#" then "name," for each: never empty */
    for (unsigned i = 0; i < name_count; i++)
        key_len += strlen(sorted[i]) + 1;
    char *key_text = gg_arena_alloc_uninit(ctx->arena, key_len);
    char *at = key_text;
    *at++ = '#';
    for (unsigned i = 0; i < name_count; i++) {
        size_t n = strlen(sorted[i]);
        memcpy(at, sorted[i], n);
        at[n] = ',';
        at += n + 1;
    }
    fragments_entry *e = gg_strmap_get(&v->fragments_cache, key_text, key_len);
    if (e) return e;
    e = gg_arena_alloc(ctx->arena, sizeof *e);
    gg_strmap_put(&v->fragments_cache, key_text, key_len, e);
    if (!gg_vctx_spend_fragment_work(ctx, name_count)) return e;
    /* an ordered set of names that grows while it is iterated, like a JavaScript Set */
    name_set order = {0};
    for (unsigned i = 0; i < name_count; i++)
        name_set_add(ctx->arena, &order, names[i]);
    GG_VEC(const gg_definition *) frags = {0};
    for (unsigned i = 0; i < order.items.count; i++) {
        const gg_definition *frag = gg_vctx_fragment(ctx, order.items.items[i]);
        if (!frag) continue;
        GG_VEC_PUSH(ctx->arena, frags, frag);
        const gg_selection **spreads;
        unsigned spread_count;
        gg_vctx_fragment_spreads(ctx, frag->selection_set, &spreads, &spread_count);
        if (!gg_vctx_spend_fragment_work(ctx, spread_count)) break;
        for (unsigned k = 0; k < spread_count; k++)
            if (spreads[k]->name.value) name_set_add(ctx->arena, &order, spreads[k]->name.value);
    }
    e->items = frags.items;
    e->count = frags.count;
    return e;
}

/* The distinct names spread directly by the operations, then the fragments reachable from them. */
fragments_entry *gg_validate_fragments_for_operations(gg_vctx *ctx, const gg_definition *const *operations,
                                                      unsigned op_count)
{
    name_set names = {0};
    for (unsigned i = 0; i < op_count; i++) {
        const gg_selection **spreads;
        unsigned spread_count;
        gg_vctx_fragment_spreads(ctx, operations[i]->selection_set, &spreads, &spread_count);
        for (unsigned k = 0; k < spread_count; k++)
            if (spreads[k]->name.value) name_set_add(ctx->arena, &names, spreads[k]->name.value);
    }
    return fragments_for_names(ctx, names.items.items, names.items.count);
}

void gg_vctx_recursive_fragments_for_operations(gg_vctx *ctx, const gg_definition *const *operations, unsigned op_count,
                                                const gg_definition ***out, unsigned *count)
{
    fragments_entry *e = gg_validate_fragments_for_operations(ctx, operations, op_count);
    *out = e->items;
    *count = e->count;
}

void gg_vctx_recursive_fragments(gg_vctx *ctx, const gg_definition *operation, const gg_definition ***out,
                                 unsigned *count)
{
    gg_vctx_recursive_fragments_for_operations(ctx, &operation, 1, out, count);
}

const char *gg_vctx_did_you_mean(gg_vctx *ctx, const char *sub_message, const char *const *suggestions, unsigned count)
{
    if (ctx->no_suggestions) return "";
    return gg_did_you_mean(ctx->arena, sub_message, suggestions, count);
}
