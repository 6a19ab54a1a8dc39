/* unique_input_field_names.c: graphql-js UniqueInputFieldNamesRule for SDL, an object value in a
 * directive argument or default value names each field once. Each object value is a scope of its
 * own (a stack of them, nested objects being values of fields). */
#include "sdl_rules.h"

#include <string.h>

typedef struct state {
    GG_VEC(gg_strmap *) scopes; /* per object value being visited: field name -> its first node */
} state;

static void enter_object_value(gg_sdl_context *c, void *raw, const gg_value *value)
{
    state *s = raw;
    gg_strmap *known = gg_arena_alloc(c->arena, sizeof *known);
    gg_strmap_init(known, c->arena);
    GG_VEC_PUSH(c->arena, s->scopes, known);
}

static void enter_object_field(gg_sdl_context *c, void *raw, const gg_object_field *field)
{
    state *s = raw;
    gg_strmap *known = s->scopes.items[s->scopes.count - 1];
    const gg_name *first = gg_strmap_put_new(known, field->name.value, strlen(field->name.value), (void *)&field->name);
    if (first != &field->name) {
        gg_error *e =
            gg_sdl_report(c, first->loc, "There can be only one input field named \"%s\".", field->name.value);
        gg_error_add_location(c->errors, e, field->name.loc);
    }
}

static void leave_object_value(gg_sdl_context *c, void *raw, const gg_value *value)
{
    state *s = raw;
    s->scopes.count--;
}

const gg_sdl_rule gg_sdl_rule_unique_input_field_names = {
    .name = "UniqueInputFieldNames",
    .state_size = sizeof(state),
    .enter_object_value = enter_object_value,
    .enter_object_field = enter_object_field,
    .leave_object_value = leave_object_value,
};
