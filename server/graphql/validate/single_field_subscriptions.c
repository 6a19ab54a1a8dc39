/* single_field_subscriptions.c: spec §5.2.3.1 "Single root field" (graphql-js SingleFieldSubscriptionsRule).
 *
 * A subscription's root selection set, collected as execution would (CollectFields: fragments
 * entered once, type conditions matched against the subscription type, @skip/@include applied),
 * must yield one response key, and that field must not be an introspection field.
 *
 * Design choice: no variable values exist at validation time. The spec then keeps a selection
 * unless @skip(if: true) or @include(if: false) is written literally; graphql-js 16 instead throws
 * on `if: $var` (a crash, not an answer), so here a variable or invalid `if` keeps the selection.
 * Fragment work is charged to the validation's budget as graphql-js 16.15 does. */
#include "rules.h"

#include <string.h>

typedef struct field_group {
    const char *key;
    GG_VEC(const gg_selection *) fields;
} field_group;

typedef struct collector {
    gg_vctx *ctx;
    gg_type *runtime_type;
    GG_VEC(field_group) groups;
    gg_strmap group_index; /* response key -> 1 + index in groups */
    gg_strmap visited;     /* fragment names entered */
    bool exhausted;        /* the fragment work budget ran out */
} collector;

typedef struct state {
    bool fragments_charged; /* graphql-js builds its fragment map once per validation */
} state;

/* graphql-js getDirectiveValues looks at the first directive of that name only. */
static const gg_value *directive_if(const gg_selection *sel, const char *name)
{
    for (unsigned i = 0; i < sel->directive_count; i++) {
        const gg_directive *d = &sel->directives[i];
        if (!d->name.value || strcmp(d->name.value, name) != 0) continue;
        for (unsigned k = 0; k < d->arg_count; k++)
            if (d->args[k].name.value && strcmp(d->args[k].name.value, "if") == 0) return d->args[k].value;
        return NULL;
    }
    return NULL;
}

static bool should_include(const gg_selection *sel)
{
    const gg_value *skip = directive_if(sel, "skip");
    if (skip && skip->kind == GG_VALUE_BOOLEAN && skip->boolean) return false;
    const gg_value *include = directive_if(sel, "include");
    if (include && include->kind == GG_VALUE_BOOLEAN && !include->boolean) return false;
    return true;
}

static bool condition_matches(collector *c, const gg_name *condition)
{
    if (!condition->value) return true;
    gg_type *type = gg_schema_find_type(c->ctx->schema, condition->value);
    if (type == c->runtime_type) return true;
    return type && gg_type_is_abstract(type) && gg_schema_is_sub_type(c->ctx->schema, type, c->runtime_type);
}

/* graphql-js reserveSelectionSetWork */
static bool charge_selection_set(collector *c, const gg_selection_set *set)
{
    unsigned cost = set->count;
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        cost += sel->directive_count;
        for (unsigned k = 0; k < sel->directive_count; k++) {
            const char *n = sel->directives[k].name.value;
            if (n && (strcmp(n, "skip") == 0 || strcmp(n, "include") == 0)) cost += sel->directives[k].arg_count;
        }
    }
    if (!gg_vctx_spend_fragment_work(c->ctx, cost)) c->exhausted = true;
    return !c->exhausted;
}

static void add_field(collector *c, const gg_selection *sel)
{
    const char *key = sel->alias.value ? sel->alias.value : sel->name.value;
    if (!key) return;
    uintptr_t index = (uintptr_t)gg_strmap_gets(&c->group_index, key);
    if (index == 0) {
        field_group g = {.key = key};
        GG_VEC_PUSH(c->ctx->arena, c->groups, g);
        index = c->groups.count;
        gg_strmap_put(&c->group_index, key, strlen(key), (void *)index);
    }
    GG_VEC_PUSH(c->ctx->arena, c->groups.items[index - 1].fields, sel);
}

/* graphql-js collectFieldsImpl; recursion depth is bounded by the number of distinct fragments
 * plus the parser's nesting limit. */
static void collect(collector *c, const gg_selection_set *set)
{
    if (!set || c->exhausted || !charge_selection_set(c, set)) return;
    for (unsigned i = 0; i < set->count && !c->exhausted; i++) {
        const gg_selection *sel = &set->selections[i];
        switch (sel->kind) {
        case GG_SELECTION_FIELD:
            if (should_include(sel)) add_field(c, sel);
            break;
        case GG_SELECTION_INLINE_FRAGMENT:
            if (should_include(sel) && condition_matches(c, &sel->type_condition)) collect(c, sel->selection_set);
            break;
        case GG_SELECTION_FRAGMENT_SPREAD: {
            const char *name = sel->name.value;
            if (!name || gg_strmap_gets(&c->visited, name) || !should_include(sel)) break;
            gg_strmap_put(&c->visited, name, strlen(name), (void *)name);
            const gg_definition *frag = gg_vctx_fragment(c->ctx, name);
            if (frag && condition_matches(c, &frag->type_condition)) collect(c, frag->selection_set);
            break;
        }
        }
    }
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind != GG_DEF_OPERATION || def->operation != GG_OP_SUBSCRIPTION || !ctx->schema->subscription_type)
        return;
    if (!s->fragments_charged) {
        s->fragments_charged = true;
        if (!gg_vctx_spend_fragment_work(ctx, ctx->document->definition_count)) return;
    }
    collector c = {.ctx = ctx, .runtime_type = ctx->schema->subscription_type};
    gg_strmap_init(&c.group_index, ctx->arena);
    gg_strmap_init(&c.visited, ctx->arena);
    collect(&c, def->selection_set);
    if (c.exhausted) return;
    const char *op = def->name.value;
    if (c.groups.count > 1) {
        gg_error *e = NULL;
        for (unsigned g = 1; g < c.groups.count; g++)
            for (unsigned k = 0; k < c.groups.items[g].fields.count; k++) {
                gg_loc loc = c.groups.items[g].fields.items[k]->loc;
                if (!e)
                    e = op ? gg_vctx_report(ctx, loc, "Subscription \"%s\" must select only one top level field.", op)
                           : gg_vctx_report(ctx, loc, "Anonymous Subscription must select only one top level field.");
                else
                    gg_error_add_location(ctx->errors, e, loc);
            }
    }
    for (unsigned g = 0; g < c.groups.count; g++) {
        const field_group *group = &c.groups.items[g];
        const char *field_name = group->fields.items[0]->name.value;
        if (!field_name || strncmp(field_name, "__", 2) != 0) continue;
        gg_loc loc = group->fields.items[0]->loc;
        gg_error *e =
            op ? gg_vctx_report(ctx, loc, "Subscription \"%s\" must not select an introspection top level field.", op)
               : gg_vctx_report(ctx, loc, "Anonymous Subscription must not select an introspection top level field.");
        for (unsigned k = 1; k < group->fields.count; k++)
            gg_error_add_location(ctx->errors, e, group->fields.items[k]->loc);
    }
}

const gg_rule gg_rule_single_field_subscriptions = {
    .name = "SingleFieldSubscriptions",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
};
