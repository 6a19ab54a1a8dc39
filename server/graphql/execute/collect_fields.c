/* collect_fields.c: graphql-js collectFields (execution/collectFields.ts); see collect_fields.h.
 *
 * A recursive walk over the selection sets (the parser bounds the nesting), with a map from
 * response name to the position of its first entry (with by_field_name a response name given to
 * several fields is searched on from there) so merged fields keep the order of their first
 * appearance, and a visited set so each named fragment is expanded once per collection. A
 * selection whose @skip/@include arguments fail to coerce is left out and its errors are kept. */
#include "collect_fields.h"

#include <stdint.h>
#include <string.h>

#include "values.h"

typedef GG_VEC(const gg_selection *) selection_vec;

typedef struct collector {
    const gg_collect_context *context;
    const gg_type *type;
    gg_strmap by_name; /* response name -> index + 1 of its first entry */
    GG_VEC(gg_collected_field) fields;
    GG_VEC(selection_vec) nodes; /* parallel to fields */
    gg_strmap visited;           /* fragment names */
    gg_error_list *errors;
    unsigned error_count; /* errors before the collection */
} collector;

/* graphql-js shouldIncludeNode: false when @skip(if: true), @include(if: false) or an argument
 * error (added to the collector's errors). */
static bool should_include(collector *c, const gg_directive *dirs, unsigned count)
{
    if (count == 0) return true;
    const gg_collect_context *x = c->context;
    const gg_directive_def *skip = gg_schema_find_directive(x->schema, "skip");
    const gg_directive_def *include = gg_schema_find_directive(x->schema, "include");
    gg_val *args = NULL;
    if (skip && !gg_directive_values(x->arena, skip, dirs, count, x->variables, &args, c->errors)) return false;
    const gg_val *condition = gg_val_object_get(args, "if");
    if (condition && condition->kind == GG_VAL_BOOL && condition->b) return false;
    args = NULL;
    if (include && !gg_directive_values(x->arena, include, dirs, count, x->variables, &args, c->errors)) return false;
    condition = gg_val_object_get(args, "if");
    if (condition && condition->kind == GG_VAL_BOOL && !condition->b) return false;
    return true;
}

/* graphql-js doesFragmentConditionMatch. */
static bool condition_matches(const collector *c, const char *condition)
{
    if (condition == NULL) return true;
    const gg_type *type = gg_schema_find_type(c->context->schema, condition);
    if (type == c->type) return true;
    return type != NULL && gg_type_is_abstract(type) && gg_schema_is_sub_type(c->context->schema, type, c->type);
}

/* The entry (index + 1) for response name and field name, searching from the first entry with
 * that response name; 0 when there is none (the name is shared with another field). */
static unsigned find_entry(const collector *c, unsigned from, const char *response_name, const char *field_name)
{
    for (unsigned i = from; i < c->fields.count; i++)
        if (strcmp(c->fields.items[i].response_name, response_name) == 0 &&
            strcmp(c->nodes.items[i].items[0]->name.value, field_name) == 0)
            return i + 1;
    return 0;
}

static void add_field(collector *c, const gg_selection *sel)
{
    gg_arena *arena = c->context->arena;
    const char *response_name = sel->alias.value ? sel->alias.value : sel->name.value;
    uintptr_t first = (uintptr_t)gg_strmap_gets(&c->by_name, response_name);
    uintptr_t index = first;
    if (first && c->context->by_field_name) index = find_entry(c, (unsigned)first - 1, response_name, sel->name.value);
    if (index == 0) {
        gg_collected_field field = {.response_name = response_name, .shared_name = first != 0};
        if (first) c->fields.items[first - 1].shared_name = true;
        GG_VEC_PUSH(arena, c->fields, field);
        selection_vec empty = {0};
        GG_VEC_PUSH(arena, c->nodes, empty);
        index = c->fields.count;
        if (!first) gg_strmap_put(&c->by_name, response_name, strlen(response_name), (void *)index);
    }
    GG_VEC_PUSH(arena, c->nodes.items[index - 1], sel);
}

static void collect(collector *c, const gg_selection_set *set)
{
    for (unsigned i = 0; set && i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        switch (sel->kind) {
        case GG_SELECTION_FIELD:
            if (should_include(c, sel->directives, sel->directive_count)) add_field(c, sel);
            break;
        case GG_SELECTION_INLINE_FRAGMENT:
            if (should_include(c, sel->directives, sel->directive_count) &&
                condition_matches(c, sel->type_condition.value))
                collect(c, sel->selection_set);
            break;
        case GG_SELECTION_FRAGMENT_SPREAD: {
            const char *name = sel->name.value;
            if (gg_strmap_gets(&c->visited, name) || !should_include(c, sel->directives, sel->directive_count)) break;
            gg_strmap_put(&c->visited, name, strlen(name), (void *)1);
            const gg_definition *fragment = gg_strmap_gets(c->context->fragments, name);
            if (fragment != NULL && condition_matches(c, fragment->type_condition.value))
                collect(c, fragment->selection_set);
            break;
        }
        }
    }
}

bool gg_collect_fields(const gg_collect_context *context, const gg_type *type, const gg_selection_set *set,
                       const gg_selection *const *nodes, unsigned node_count, gg_collected_fields *out,
                       gg_error_list *errors)
{
    collector c = {.context = context, .type = type, .errors = errors, .error_count = errors->count};
    gg_strmap_init(&c.by_name, context->arena);
    gg_strmap_init(&c.visited, context->arena);
    collect(&c, set);
    for (unsigned i = 0; i < node_count; i++)
        collect(&c, nodes[i]->selection_set);
    if (errors->count > c.error_count) {
        out->items = NULL;
        out->count = 0;
        return false;
    }
    for (unsigned i = 0; i < c.fields.count; i++) {
        c.fields.items[i].nodes = c.nodes.items[i].items;
        c.fields.items[i].node_count = c.nodes.items[i].count;
    }
    out->items = c.fields.items;
    out->count = c.fields.count;
    return true;
}
