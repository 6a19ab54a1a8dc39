/* fields_on_correct_type.c: spec §5.3.1 "Field Selections" (graphql-js FieldsOnCorrectTypeRule).
 *
 * A field unknown on its (known) parent type is reported. On an abstract parent the message
 * suggests the types that do define the field (most used first, super types before sub types,
 * then natural order); failing that, similar field names of the parent. */
#include "rules.h"

#include <string.h>

#include "../suggest.h"

typedef struct suggested_type {
    gg_type *type;
    unsigned usage;
} suggested_type;

/* graphql-js's comparator: more used first, an interface before its implementations, then natural
 * order. It is not a total order (an interface may sort before an implementation that sorts
 * before it by name), so the result depends on the sorting algorithm: sort_like_v8 reproduces it. */
static int compare_types(const gg_schema *schema, const suggested_type *a, const suggested_type *b)
{
    if (a->usage != b->usage) return (int)b->usage - (int)a->usage;
    if (a->type->kind == GG_KIND_INTERFACE && gg_schema_is_sub_type(schema, a->type, b->type)) return -1;
    if (b->type->kind == GG_KIND_INTERFACE && gg_schema_is_sub_type(schema, b->type, a->type)) return 1;
    return gg_natural_compare(a->type->name, b->type->name);
}

/* Array.prototype.sort as V8 runs it on short arrays (TimSort below its minimum run of 32..64):
 * take the leading run (reversing it when strictly descending), then binary insertion sort. */
static void sort_like_v8(const gg_schema *schema, suggested_type *items, unsigned n)
{
    if (n < 2) return;
    unsigned run = 2;
    bool descending = compare_types(schema, &items[1], &items[0]) < 0;
    for (unsigned i = 2; i < n; i++) {
        int order = compare_types(schema, &items[i], &items[i - 1]);
        if (descending ? order >= 0 : order < 0) break;
        run++;
    }
    if (descending)
        for (unsigned lo = 0, hi = run - 1; lo < hi; lo++, hi--) {
            suggested_type t = items[lo];
            items[lo] = items[hi];
            items[hi] = t;
        }
    for (unsigned start = run; start < n; start++) {
        suggested_type pivot = items[start];
        unsigned left = 0, right = start;
        while (left < right) {
            unsigned mid = left + ((right - left) >> 1);
            if (compare_types(schema, &pivot, &items[mid]) < 0)
                right = mid;
            else
                left = mid + 1;
        }
        for (unsigned p = start; p > left; p--)
            items[p] = items[p - 1];
        items[left] = pivot;
    }
}

static void add_type(gg_arena *arena, suggested_type **items, unsigned *count, unsigned *cap, gg_type *type)
{
    for (unsigned i = 0; i < *count; i++)
        if ((*items)[i].type == type) {
            (*items)[i].usage++;
            return;
        }
    if (*count == *cap) {
        unsigned new_cap = *cap ? *cap * 2 : 8;
        *items = gg_arena_grow(arena, *items, *count, new_cap, sizeof **items);
        *cap = new_cap;
    }
    (*items)[(*count)++] = (suggested_type){type, 1};
}

/* graphql-js getSuggestedTypeNames */
static void suggested_type_names(gg_vctx *ctx, gg_type *type, const char *field, const char ***out, unsigned *count)
{
    *out = NULL;
    *count = 0;
    if (!gg_type_is_abstract(type)) return;
    suggested_type *items = NULL;
    unsigned n = 0, cap = 0;
    for (unsigned i = 0; i < type->possible_type_count; i++) {
        gg_type *possible = type->possible_types[i];
        if (!gg_type_find_field(possible, field)) continue;
        add_type(ctx->arena, &items, &n, &cap, possible);
        for (unsigned k = 0; k < possible->interface_count; k++)
            if (gg_type_find_field(possible->interfaces[k], field))
                add_type(ctx->arena, &items, &n, &cap, possible->interfaces[k]);
    }
    sort_like_v8(ctx->schema, items, n);
    const char **names = gg_arena_array(ctx->arena, n ? n : 1, sizeof *names);
    for (unsigned i = 0; i < n; i++)
        names[i] = items[i].type->name;
    *out = names;
    *count = n;
}

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    gg_type *type = ctx->parent_type;
    if (sel->kind != GG_SELECTION_FIELD || !type || ctx->field_def || !sel->name.value) return;
    const char *field = sel->name.value;
    const char *hint = "";
    if (!ctx->no_suggestions) {
        const char **names;
        unsigned count;
        suggested_type_names(ctx, type, field, &names, &count);
        hint = gg_did_you_mean(ctx->arena, "to use an inline fragment on", names, count);
        if (*hint == '\0' && (type->kind == GG_KIND_OBJECT || type->kind == GG_KIND_INTERFACE)) {
            const char **options =
                gg_arena_array(ctx->arena, type->field_count ? type->field_count : 1, sizeof *options);
            for (unsigned i = 0; i < type->field_count; i++)
                options[i] = type->fields[i].name;
            gg_suggestion_list(ctx->arena, field, options, type->field_count, &names, &count);
            hint = gg_did_you_mean(ctx->arena, NULL, names, count);
        }
    }
    gg_vctx_report(ctx, sel->loc, "Cannot query field \"%s\" on type \"%s\".%s", field, type->name, hint);
}

const gg_rule gg_rule_fields_on_correct_type = {
    .name = "FieldsOnCorrectType",
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_FIELD),
};
