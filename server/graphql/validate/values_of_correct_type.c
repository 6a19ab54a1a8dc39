/* values_of_correct_type.c: spec §5.6.1 "Values of Correct Type" (graphql-js
 * ValuesOfCorrectTypeRule, graphql-js 16.15 with its @oneOf checks).
 *
 * Every literal is checked against the input type TypeInfo expects at its position:
 *   - leaves go through the type's literal parser: enums here (graphql-js GraphQLEnumType
 *     wording with suggestions), scalars through gg_scalar_ops.parse_literal. A failure that
 *     carries a message from a built-in scalar (the spec's and AppSync's, whose messages are
 *     worded like graphql-js's GraphQLErrors: "Int cannot represent ...") is reported as is, like
 *     graphql-js reports the GraphQLError those scalars throw; any other scalar's message is
 *     appended to "Expected value of type ..., found ...; ", graphql-js's wording for a custom
 *     parseLiteral that throws a plain Error; no message gives the bare "Expected value" error;
 *   - object literals must give every required field, name only known fields, and for @oneOf
 *     types exactly one non-null field (whether a variable there may be null is
 *     VariablesInAllowedPosition's business);
 *   - null may not stand where a non-null type is expected.
 * When a list or object literal stands where no list / input object is expected, the literal is
 * reported as a whole and its contents are skipped (graphql-js returns false from the visitor):
 * `skip_root` remembers that literal until it is left. Variables are VariablesInAllowedPosition's
 * business. */
#include <stdbool.h>
#include <string.h>

#include "../type/scalars.h"
#include "../suggest.h"
#include "validate.h"

typedef struct state {
    const gg_value *skip_root; /* literal whose contents this rule does not visit, or NULL */
} state;

static const char *print_value(gg_vctx *ctx, const gg_value *value)
{
    return gg_scalar_print_literal(ctx->arena, value);
}

static const char *type_string(gg_vctx *ctx, const gg_type *type)
{
    return gg_type_to_string(ctx->arena, type);
}

static const char *did_you_mean_enum_value(gg_vctx *ctx, const gg_type *type, const char *input)
{
    const char **names = gg_arena_array(ctx->arena, type->enum_value_count + 1, sizeof *names);
    for (unsigned i = 0; i < type->enum_value_count; i++)
        names[i] = type->enum_values[i].name;
    const char **suggestions = NULL;
    unsigned count = 0;
    if (!ctx->no_suggestions)
        gg_suggestion_list(ctx->arena, input, names, type->enum_value_count, &suggestions, &count);
    return gg_vctx_did_you_mean(ctx, "the enum value", suggestions, count);
}

/* graphql-js GraphQLEnumType.parseLiteral: reports and returns false when the literal is not a value. */
static void check_enum_literal(gg_vctx *ctx, const gg_type *type, const gg_value *node)
{
    if (node->kind == GG_VALUE_ENUM && gg_type_find_enum_value(type, node->text)) return;
    const char *printed = print_value(ctx, node);
    const char *hint = did_you_mean_enum_value(ctx, type, printed);
    if (node->kind != GG_VALUE_ENUM)
        gg_vctx_report(ctx, node->loc, "Enum \"%s\" cannot represent non-enum value: %s.%s", type->name, printed, hint);
    else
        gg_vctx_report(ctx, node->loc, "Value \"%s\" does not exist in \"%s\" enum.%s", printed, type->name, hint);
}

/* Whether a scalar's parse_literal surely accepts the literal, so that calling it (which builds
 * a value) can be skipped: String and ID take any string, Boolean any boolean, Int and ID any
 * integer of at most 9 digits (within 32 bits). The ops of a scalar follow from its name
 * (gg_scalar_find_builtin). */
static bool surely_accepted(const gg_type *type, const gg_value *node)
{
    const char *name = type->name;
    switch (node->kind) {
    case GG_VALUE_STRING:
        return strcmp(name, "String") == 0 || strcmp(name, "ID") == 0;
    case GG_VALUE_BOOLEAN:
        return strcmp(name, "Boolean") == 0;
    case GG_VALUE_INT:
        return node->len - (node->text[0] == '-') <= 9 && (strcmp(name, "Int") == 0 || strcmp(name, "ID") == 0);
    default:
        return false;
    }
}

static void check_scalar_literal(gg_vctx *ctx, const gg_type *location_type, const gg_type *type, const gg_value *node)
{
    if (!type->scalar || !type->scalar->parse_literal || surely_accepted(type, node)) return;
    gg_val *out = NULL;
    gg_fault fault = {0};
    if (type->scalar->parse_literal(ctx->arena, node, &out, &fault)) return;
    const char *error = fault.message;
    if (error && type->is_builtin)
        gg_vctx_report(ctx, node->loc, "%s", error);
    else if (error)
        gg_vctx_report(ctx, node->loc, "Expected value of type \"%s\", found %s; %s", type_string(ctx, location_type),
                       print_value(ctx, node), error);
    else
        gg_vctx_report(ctx, node->loc, "Expected value of type \"%s\", found %s.", type_string(ctx, location_type),
                       print_value(ctx, node));
}

/* graphql-js isValidValueNode: the literal against the expected type, when one is known. */
static void check_value_node(gg_vctx *ctx, const gg_value *node)
{
    const gg_type *location_type = ctx->input_type;
    if (!location_type) return;
    const gg_type *type = gg_type_named(location_type);
    if (!gg_type_is_leaf(type))
        gg_vctx_report(ctx, node->loc, "Expected value of type \"%s\", found %s.", type_string(ctx, location_type),
                       print_value(ctx, node));
    else if (type->kind == GG_KIND_ENUM)
        check_enum_literal(ctx, type, node);
    else
        check_scalar_literal(ctx, location_type, type, node);
}

enum { SCAN_LIMIT = 8 };

/* An object literal's fields by name, graphql-js keyMap (the last field of a name wins). Short
 * literals are scanned; long ones get a map so that a huge literal stays linear. */
typedef struct literal_fields {
    const gg_value *object;
    gg_strmap *by_name; /* NULL for short literals */
} literal_fields;

static literal_fields index_fields(gg_vctx *ctx, const gg_value *object)
{
    literal_fields f = {object, NULL};
    if (object->field_count > SCAN_LIMIT) {
        f.by_name = gg_arena_alloc(ctx->arena, sizeof *f.by_name);
        gg_strmap_init(f.by_name, ctx->arena);
        for (unsigned i = 0; i < object->field_count; i++) {
            const gg_object_field *field = &object->fields[i];
            gg_strmap_put(f.by_name, field->name.value, strlen(field->name.value), (void *)field);
        }
    }
    return f;
}

static const gg_object_field *find_field(const literal_fields *f, const char *name)
{
    if (f->by_name) return gg_strmap_gets(f->by_name, name);
    for (unsigned i = f->object->field_count; i-- > 0;)
        if (strcmp(f->object->fields[i].name.value, name) == 0) return &f->object->fields[i];
    return NULL;
}

static unsigned distinct_field_names(const literal_fields *f)
{
    if (f->by_name) return (unsigned)f->by_name->count;
    unsigned count = 0;
    for (unsigned i = 0; i < f->object->field_count; i++)
        if (find_field(f, f->object->fields[i].name.value) == &f->object->fields[i]) count++;
    return count;
}

static void check_one_of(gg_vctx *ctx, const gg_type *type, const literal_fields *f)
{
    const gg_value *node = f->object;
    if (distinct_field_names(f) != 1) {
        gg_vctx_report(ctx, node->loc, "OneOf Input Object \"%s\" must specify exactly one key.", type->name);
        return;
    }
    const gg_object_field *field = find_field(f, node->fields[0].name.value);
    const gg_value *value = field->value;
    if (!value || value->kind == GG_VALUE_NULL)
        gg_vctx_report(ctx, node->loc, "Field \"%s.%s\" must be non-null.", type->name, field->name.value);
}

static void check_object(gg_vctx *ctx, state *s, const gg_value *node)
{
    const gg_type *type = gg_type_named(ctx->input_type);
    if (!type || type->kind != GG_KIND_INPUT_OBJECT) {
        check_value_node(ctx, node);
        s->skip_root = node;
        return;
    }
    literal_fields fields = index_fields(ctx, node);
    for (unsigned i = 0; i < type->input_field_count; i++) {
        const gg_input_value *field = &type->input_fields[i];
        bool required = field->type->kind == GG_KIND_NON_NULL && field->default_value == NULL;
        if (required && !find_field(&fields, field->name))
            gg_vctx_report(ctx, node->loc, "Field \"%s.%s\" of required type \"%s\" was not provided.", type->name,
                           field->name, type_string(ctx, field->type));
    }
    if (type->is_one_of) check_one_of(ctx, type, &fields);
}

static void enter_value(gg_vctx *ctx, void *st, const gg_value *value)
{
    state *s = st;
    if (s->skip_root) return;
    switch (value->kind) {
    case GG_VALUE_LIST: {
        const gg_type *type = ctx->parent_input_type ? gg_type_nullable(ctx->parent_input_type) : NULL;
        if (!type || type->kind != GG_KIND_LIST) {
            check_value_node(ctx, value);
            s->skip_root = value;
        }
        break;
    }
    case GG_VALUE_OBJECT:
        check_object(ctx, s, value);
        break;
    case GG_VALUE_NULL:
        if (ctx->input_type && ctx->input_type->kind == GG_KIND_NON_NULL)
            gg_vctx_report(ctx, value->loc, "Expected value of type \"%s\", found null.",
                           type_string(ctx, ctx->input_type));
        break;
    case GG_VALUE_VARIABLE:
        break;
    default:
        check_value_node(ctx, value);
        break;
    }
}

static void leave_value(gg_vctx *ctx, void *st, const gg_value *value)
{
    state *s = st;
    if (s->skip_root == value) s->skip_root = NULL;
}

static void enter_object_field(gg_vctx *ctx, void *st, const gg_object_field *field)
{
    state *s = st;
    if (s->skip_root || ctx->input_type) return;
    const gg_type *parent = ctx->parent_input_type ? gg_type_named(ctx->parent_input_type) : NULL;
    if (!parent || parent->kind != GG_KIND_INPUT_OBJECT) return;
    const char **names = gg_arena_array(ctx->arena, parent->input_field_count + 1, sizeof *names);
    for (unsigned i = 0; i < parent->input_field_count; i++)
        names[i] = parent->input_fields[i].name;
    const char **suggestions = NULL;
    unsigned count = 0;
    if (!ctx->no_suggestions)
        gg_suggestion_list(ctx->arena, field->name.value, names, parent->input_field_count, &suggestions, &count);
    gg_vctx_report(ctx, field->loc, "Field \"%s\" is not defined by type \"%s\".%s", field->name.value, parent->name,
                   gg_vctx_did_you_mean(ctx, NULL, suggestions, count));
}

const gg_rule gg_rule_values_of_correct_type = {
    .name = "ValuesOfCorrectType",
    .state_size = sizeof(state),
    .enter_value = enter_value,
    .leave_value = leave_value,
    .enter_object_field = enter_object_field,
};
