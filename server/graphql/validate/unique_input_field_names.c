/* unique_input_field_names.c: spec §5.6.3 "Input Object Field Uniqueness" (graphql-js
 * UniqueInputFieldNamesRule).
 *
 * Every object literal is checked on its own, nested ones included: a field name that appeared
 * before in the same object is reported, at the moment the repeated field is visited (so errors
 * interleave with nested objects' as in graphql-js), with the first occurrence and the repeat.
 * A stack of the object literals being visited tells which object a field belongs to. Short
 * literals are scanned; long ones get a name -> first field map so the check stays linear. */
#include <string.h>

#include "validate.h"

enum { SCAN_LIMIT = 16 };

typedef struct open_object {
    const gg_value *value;
    gg_strmap *first_by_name; /* only for literals longer than SCAN_LIMIT */
} open_object;

typedef struct state {
    GG_VEC(open_object) objects;
} state;

static void enter_value(gg_vctx *ctx, void *st, const gg_value *value)
{
    state *s = st;
    if (value->kind != GG_VALUE_OBJECT) return;
    open_object object = {value, NULL};
    if (value->field_count > SCAN_LIMIT) {
        object.first_by_name = gg_arena_alloc(ctx->arena, sizeof *object.first_by_name);
        gg_strmap_init(object.first_by_name, ctx->arena);
        for (unsigned i = 0; i < value->field_count; i++) {
            const char *name = value->fields[i].name.value;
            gg_strmap_put_new(object.first_by_name, name, strlen(name), &value->fields[i]);
        }
    }
    GG_VEC_PUSH(ctx->arena, s->objects, object);
}

static void leave_value(gg_vctx *ctx, void *st, const gg_value *value)
{
    state *s = st;
    if (value->kind == GG_VALUE_OBJECT && s->objects.count > 0) s->objects.count--;
}

static void enter_object_field(gg_vctx *ctx, void *st, const gg_object_field *field)
{
    state *s = st;
    if (s->objects.count == 0) return;
    const open_object *top = &s->objects.items[s->objects.count - 1];
    const gg_value *object = top->value;
    if (field < object->fields || field >= object->fields + object->field_count) return;
    const gg_object_field *first = NULL;
    if (top->first_by_name) {
        first = gg_strmap_gets(top->first_by_name, field->name.value);
    } else {
        for (first = object->fields; first < field && strcmp(first->name.value, field->name.value) != 0; first++)
            ;
    }
    if (first == NULL || first == field) return;
    gg_error *error =
        gg_vctx_report(ctx, first->name.loc, "There can be only one input field named \"%s\".", field->name.value);
    gg_error_add_location(ctx->errors, error, field->name.loc);
}

const gg_rule gg_rule_unique_input_field_names = {
    .name = "UniqueInputFieldNames",
    .state_size = sizeof(state),
    .enter_value = enter_value,
    .leave_value = leave_value,
    .enter_object_field = enter_object_field,
};
