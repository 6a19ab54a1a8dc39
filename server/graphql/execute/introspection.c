/* introspection.c: resolvers for __typename, __schema, __type and the fields of __Schema, __Type,
 * __Field, __InputValue, __EnumValue and __Directive (spec §4.2, graphql-js type/introspection.ts).
 *
 * The introspection types themselves are ordinary types of the schema (built from graphql-js's
 * SDL by schema_build.c), so the executor completes them like any object; only their resolvers
 * are special. A schema element travels as an opaque gg_val: an OBJECT with no members whose `s`
 * points at the element and whose `i` says what it is. Nothing is copied: names and descriptions
 * are STRING values pointing into the read-only schema. One resolver per introspection type
 * dispatches on the field name. defaultValue is graphql-js's print(astFromValue(valueFromAST(
 * default literal))), which normalises e.g. `1` for a [Int] argument to "[1]". */
#include "introspection.h"

#include <string.h>

#include "../language/printer.h"
#include "values.h"

enum { TAG_SCHEMA = 0x5c4e, TAG_TYPE, TAG_FIELD, TAG_INPUT_VALUE, TAG_ENUM_VALUE, TAG_DIRECTIVE };

static gg_val *wrap(gg_arena *arena, int tag, const void *ptr)
{
    if (ptr == NULL) return &gg_val_null_value;
    gg_val *v = gg_val_new(arena, GG_VAL_OBJECT);
    v->i = tag;
    v->s = ptr;
    return v;
}

static const void *unwrap(const gg_val *v, int tag)
{
    return v != NULL && v->kind == GG_VAL_OBJECT && v->count == 0 && v->i == tag ? v->s : NULL;
}

static gg_val *str(gg_arena *arena, const char *s)
{
    if (s == NULL) return &gg_val_null_value;
    gg_val *v = gg_val_new(arena, GG_VAL_STRING);
    v->s = s;
    v->len = strlen(s);
    return v;
}

static bool include_deprecated(const gg_resolve_info *info)
{
    const gg_val *v = gg_val_object_get(info->args, "includeDeprecated");
    return v != NULL && v->kind == GG_VAL_BOOL && v->b;
}

static bool is(const gg_resolve_info *info, const char *name)
{
    return strcmp(info->field->name, name) == 0;
}

static gg_val *input_values(gg_arena *arena, const gg_input_value *values, unsigned count, bool with_deprecated)
{
    gg_val *list = gg_val_list(arena, count);
    for (unsigned i = 0; i < count; i++)
        if (with_deprecated || values[i].deprecation_reason == NULL)
            gg_val_list_push(arena, list, wrap(arena, TAG_INPUT_VALUE, &values[i]));
    return list;
}

static gg_val *type_list(gg_arena *arena, gg_type *const *types, unsigned count)
{
    gg_val *list = gg_val_list(arena, count);
    for (unsigned i = 0; i < count; i++)
        gg_val_list_push(arena, list, wrap(arena, TAG_TYPE, types[i]));
    return list;
}

/* ---- meta fields ---- */

static void resolve_meta(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    if (is(info, "__typename")) {
        gg_resolve_return(info, str(arena, info->parent_type->name));
    } else if (is(info, "__schema")) {
        gg_resolve_return(info, wrap(arena, TAG_SCHEMA, info->schema));
    } else { /* __type(name:) */
        const gg_val *name = gg_val_object_get(info->args, "name");
        const gg_type *t = name && name->kind == GG_VAL_STRING ? gg_schema_find_type(info->schema, name->s) : NULL;
        gg_resolve_return(info, wrap(arena, TAG_TYPE, t));
    }
}

/* ---- __Schema ---- */

static void resolve_schema(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_schema *s = unwrap(info->source, TAG_SCHEMA);
    gg_val *out = &gg_val_null_value;
    if (s == NULL) {
    } else if (is(info, "description")) {
        out = str(arena, s->description);
    } else if (is(info, "types")) {
        out = type_list(arena, s->types, s->type_count);
    } else if (is(info, "queryType")) {
        out = wrap(arena, TAG_TYPE, s->query_type);
    } else if (is(info, "mutationType")) {
        out = wrap(arena, TAG_TYPE, s->mutation_type);
    } else if (is(info, "subscriptionType")) {
        out = wrap(arena, TAG_TYPE, s->subscription_type);
    } else if (is(info, "directives")) {
        /* directives(includeDeprecated:): SDL cannot deprecate a directive (graphql-js's parser
         * takes no directives on a directive definition), so none is ever filtered out */
        out = gg_val_list(arena, s->directive_count);
        for (unsigned i = 0; i < s->directive_count; i++)
            gg_val_list_push(arena, out, wrap(arena, TAG_DIRECTIVE, s->directives[i]));
    }
    gg_resolve_return(info, out);
}

/* ---- __Type ---- */

static void resolve_type(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_type *t = unwrap(info->source, TAG_TYPE);
    gg_val *out = &gg_val_null_value;
    if (t == NULL) {
    } else if (is(info, "kind")) {
        out = gg_val_enum(arena, gg_type_kind_name(t->kind));
    } else if (is(info, "name")) {
        out = str(arena, t->name);
    } else if (is(info, "description")) {
        out = str(arena, t->kind == GG_KIND_LIST || t->kind == GG_KIND_NON_NULL ? NULL : t->description);
    } else if (is(info, "specifiedByURL")) {
        out = str(arena, t->kind == GG_KIND_SCALAR ? t->specified_by_url : NULL);
    } else if (is(info, "fields")) {
        if (t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE) {
            bool all = include_deprecated(info);
            out = gg_val_list(arena, t->field_count);
            for (unsigned i = 0; i < t->field_count; i++)
                if (all || t->fields[i].deprecation_reason == NULL)
                    gg_val_list_push(arena, out, wrap(arena, TAG_FIELD, &t->fields[i]));
        }
    } else if (is(info, "interfaces")) {
        if (t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE)
            out = type_list(arena, t->interfaces, t->interface_count);
    } else if (is(info, "possibleTypes")) {
        if (t->kind == GG_KIND_UNION || t->kind == GG_KIND_INTERFACE)
            out = type_list(arena, t->possible_types, t->possible_type_count);
    } else if (is(info, "enumValues")) {
        if (t->kind == GG_KIND_ENUM) {
            bool all = include_deprecated(info);
            out = gg_val_list(arena, t->enum_value_count);
            for (unsigned i = 0; i < t->enum_value_count; i++)
                if (all || t->enum_values[i].deprecation_reason == NULL)
                    gg_val_list_push(arena, out, wrap(arena, TAG_ENUM_VALUE, &t->enum_values[i]));
        }
    } else if (is(info, "inputFields")) {
        if (t->kind == GG_KIND_INPUT_OBJECT)
            out = input_values(arena, t->input_fields, t->input_field_count, include_deprecated(info));
    } else if (is(info, "ofType")) {
        out = wrap(arena, TAG_TYPE, t->of_type);
    } else if (is(info, "isOneOf")) {
        if (t->kind == GG_KIND_INPUT_OBJECT) out = gg_val_bool(t->is_one_of);
    }
    gg_resolve_return(info, out);
}

/* ---- __Field ---- */

static void resolve_field(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_field *f = unwrap(info->source, TAG_FIELD);
    gg_val *out = &gg_val_null_value;
    if (f == NULL) {
    } else if (is(info, "name")) {
        out = str(arena, f->name);
    } else if (is(info, "description")) {
        out = str(arena, f->description);
    } else if (is(info, "args")) {
        out = input_values(arena, f->args, f->arg_count, include_deprecated(info));
    } else if (is(info, "type")) {
        out = wrap(arena, TAG_TYPE, f->type);
    } else if (is(info, "isDeprecated")) {
        out = gg_val_bool(f->deprecation_reason != NULL);
    } else if (is(info, "deprecationReason")) {
        out = str(arena, f->deprecation_reason);
    }
    gg_resolve_return(info, out);
}

/* ---- __InputValue ---- */

/* graphql-js print(astFromValue(defaultValue, type)); false with fault set where astFromValue throws. */
static bool default_value(gg_arena *arena, const gg_input_value *v, gg_val **out, gg_fault *fault)
{
    *out = &gg_val_null_value;
    if (v->default_value == NULL) return true;
    gg_val *coerced = gg_value_from_ast(arena, v->default_value, v->type, NULL);
    gg_value *ast = coerced ? gg_ast_from_value(arena, coerced, v->type, fault) : NULL;
    if (ast == NULL) return !gg_fault_is_set(fault);
    gg_buf b;
    gg_buf_init(&b);
    gg_print_value(&b, ast);
    *out = gg_val_string(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return true;
}

static void resolve_input_value(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_input_value *v = unwrap(info->source, TAG_INPUT_VALUE);
    gg_val *out = &gg_val_null_value;
    if (v == NULL) {
    } else if (is(info, "name")) {
        out = str(arena, v->name);
    } else if (is(info, "description")) {
        out = str(arena, v->description);
    } else if (is(info, "type")) {
        out = wrap(arena, TAG_TYPE, v->type);
    } else if (is(info, "defaultValue")) {
        gg_fault fault = {0};
        if (!default_value(arena, v, &out, &fault)) {
            gg_resolve_error(info, NULL, "%s", fault.message);
            return;
        }
    } else if (is(info, "isDeprecated")) {
        out = gg_val_bool(v->deprecation_reason != NULL);
    } else if (is(info, "deprecationReason")) {
        out = str(arena, v->deprecation_reason);
    }
    gg_resolve_return(info, out);
}

/* ---- __EnumValue ---- */

static void resolve_enum_value(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_enum_value *v = unwrap(info->source, TAG_ENUM_VALUE);
    gg_val *out = &gg_val_null_value;
    if (v == NULL) {
    } else if (is(info, "name")) {
        out = str(arena, v->name);
    } else if (is(info, "description")) {
        out = str(arena, v->description);
    } else if (is(info, "isDeprecated")) {
        out = gg_val_bool(v->deprecation_reason != NULL);
    } else if (is(info, "deprecationReason")) {
        out = str(arena, v->deprecation_reason);
    }
    gg_resolve_return(info, out);
}

/* ---- __Directive ---- */

static gg_val *directive_locations(gg_arena *arena, const gg_directive_def *d)
{
    gg_val *out = gg_val_list(arena, 8);
    if (d->ast != NULL && d->ast->location_count > 0) { /* as written in SDL, like graphql-js */
        for (unsigned i = 0; i < d->ast->location_count; i++)
            gg_val_list_push(arena, out, gg_val_enum(arena, d->ast->location_names[i].value));
        return out;
    }
    for (unsigned bit = 0; bit < 32; bit++) {
        const char *name = (d->locations & (1u << bit)) ? gg_directive_location_name(1u << bit) : NULL;
        if (name != NULL) gg_val_list_push(arena, out, gg_val_enum(arena, name));
    }
    return out;
}

static void resolve_directive(gg_resolve_info *info)
{
    gg_arena *arena = info->arena;
    const gg_directive_def *d = unwrap(info->source, TAG_DIRECTIVE);
    gg_val *out = &gg_val_null_value;
    if (d == NULL) {
    } else if (is(info, "name")) {
        out = str(arena, d->name);
    } else if (is(info, "description")) {
        out = str(arena, d->description);
    } else if (is(info, "isRepeatable")) {
        out = gg_val_bool(d->repeatable);
    } else if (is(info, "locations")) {
        out = directive_locations(arena, d);
    } else if (is(info, "args")) {
        out = input_values(arena, d->args, d->arg_count, include_deprecated(info));
    } else if (is(info, "isDeprecated")) {
        out = gg_val_bool(false); /* see __Schema.directives */
    }                             /* deprecationReason: null */
    gg_resolve_return(info, out);
}

/* ---- binding ---- */

gg_resolve_fn gg_introspection_resolver(const gg_field *field)
{
    if (field->name[0] != '_' || field->name[1] != '_') {
        const char *p = field->parent ? field->parent->name : NULL;
        if (p == NULL || p[0] != '_' || p[1] != '_') return NULL;
        if (strcmp(p, "__Schema") == 0) return resolve_schema;
        if (strcmp(p, "__Type") == 0) return resolve_type;
        if (strcmp(p, "__Field") == 0) return resolve_field;
        if (strcmp(p, "__InputValue") == 0) return resolve_input_value;
        if (strcmp(p, "__EnumValue") == 0) return resolve_enum_value;
        if (strcmp(p, "__Directive") == 0) return resolve_directive;
        return NULL;
    }
    if (strcmp(field->name, "__typename") == 0 || strcmp(field->name, "__schema") == 0 ||
        strcmp(field->name, "__type") == 0)
        return resolve_meta;
    return NULL;
}

void gg_introspection_bind(gg_schema *schema)
{
    gg_field *meta[3] = {schema->typename_meta_field, schema->schema_meta_field, schema->type_meta_field};
    for (unsigned i = 0; i < 3; i++)
        if (meta[i] != NULL && meta[i]->resolve == NULL) meta[i]->resolve = gg_introspection_resolver(meta[i]);
    for (unsigned i = 0; i < schema->type_count; i++) {
        gg_type *t = schema->types[i];
        if (t->kind != GG_KIND_OBJECT || t->name[0] != '_' || t->name[1] != '_') continue;
        for (unsigned j = 0; j < t->field_count; j++)
            if (t->fields[j].resolve == NULL) t->fields[j].resolve = gg_introspection_resolver(&t->fields[j]);
    }
}
