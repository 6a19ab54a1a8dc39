/* fields_on_correct_type.c: spec §5.3.1 "Field Selections" (graphql-js FieldsOnCorrectTypeRule).
 *
 * A field unknown on its (known) parent type is reported. On an abstract parent the message
 * suggests the types that do define the field (most used first, super types before sub types,
 * then natural order); failing that, similar field names of the parent. */
#include "rules.h"

#include <string.h>

#include "suggest.h"

typedef struct suggested_type {
    gg_type *type;
    unsigned usage;
} suggested_type;

static bool comes_before(const gg_schema *schema, const suggested_type *a, const suggested_type *b)
{
    if (a->usage != b->usage)
        return a->usage > b->usage;
    if (a->type->kind == GG_KIND_INTERFACE && gg_schema_is_sub_type(schema, a->type, b->type))
        return true;
    if (b->type->kind == GG_KIND_INTERFACE && gg_schema_is_sub_type(schema, b->type, a->type))
        return false;
    return gg_natural_compare(a->type->name, b->type->name) < 0;
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
    if (!gg_type_is_abstract(type))
        return;
    suggested_type *items = NULL;
    unsigned n = 0, cap = 0;
    for (unsigned i = 0; i < type->possible_type_count; i++) {
        gg_type *possible = type->possible_types[i];
        if (!gg_type_find_field(possible, field))
            continue;
        add_type(ctx->arena, &items, &n, &cap, possible);
        for (unsigned k = 0; k < possible->interface_count; k++)
            if (gg_type_find_field(possible->interfaces[k], field))
                add_type(ctx->arena, &items, &n, &cap, possible->interfaces[k]);
    }
    /* stable insertion sort */
    for (unsigned i = 1; i < n; i++) {
        suggested_type t = items[i];
        unsigned j = i;
        while (j > 0 && comes_before(ctx->schema, &t, &items[j - 1])) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = t;
    }
    const char **names = gg_arena_array(ctx->arena, n ? n : 1, sizeof *names);
    for (unsigned i = 0; i < n; i++)
        names[i] = items[i].type->name;
    *out = names;
    *count = n;
}

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    gg_type *type = ctx->parent_type;
    if (sel->kind != GG_SELECTION_FIELD || !type || ctx->field_def || !sel->name.value)
        return;
    const char *field = sel->name.value;
    const char *hint = "";
    if (!ctx->no_suggestions) {
        const char **names;
        unsigned count;
        suggested_type_names(ctx, type, field, &names, &count);
        hint = gg_did_you_mean(ctx->arena, "to use an inline fragment on", names, count);
        if (*hint == '\0' && (type->kind == GG_KIND_OBJECT || type->kind == GG_KIND_INTERFACE)) {
            const char **options = gg_arena_array(ctx->arena, type->field_count ? type->field_count : 1, sizeof *options);
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
};
