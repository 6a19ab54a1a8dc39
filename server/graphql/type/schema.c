/* schema.c: lookups, wrapping types and type relations of a built schema (graphql-js
 * src/type/definition.ts, schema.ts and src/utilities/typeComparators.ts).
 *
 * Every function here only reads the schema, except gg_schema_list_of / gg_schema_non_null_of,
 * which intern a wrapper in the schema arena and are called while the schema is being built.
 * gg_type_from_ast never writes to the schema: a wrapper the schema lacks is made in the caller's
 * arena, which is why type references are compared structurally (gg_type_equal). */
#include "schema.h"

#include <string.h>

gg_type *gg_schema_find_type(const gg_schema *schema, const char *name)
{
    if (schema == NULL || name == NULL) return NULL;
    return gg_strmap_gets(&schema->type_map, name);
}

gg_directive_def *gg_schema_find_directive(const gg_schema *schema, const char *name)
{
    if (schema == NULL || name == NULL) return NULL;
    return gg_strmap_gets(&schema->directive_map, name);
}

gg_field *gg_type_find_field(const gg_type *type, const char *name)
{
    if (type == NULL || name == NULL || (type->kind != GG_KIND_OBJECT && type->kind != GG_KIND_INTERFACE)) return NULL;
    return gg_strmap_gets(&type->field_map, name);
}

gg_field *gg_schema_field_def(const gg_schema *schema, const gg_type *parent, const char *name)
{
    if (parent == NULL || name == NULL) return NULL;
    if (name[0] == '_' && name[1] == '_') {
        if (strcmp(name, "__schema") == 0 && parent == schema->query_type) return schema->schema_meta_field;
        if (strcmp(name, "__type") == 0 && parent == schema->query_type) return schema->type_meta_field;
        if (strcmp(name, "__typename") == 0 && gg_type_is_composite(parent)) return schema->typename_meta_field;
    }
    return gg_type_find_field(parent, name);
}

gg_input_value *gg_type_find_input_field(const gg_type *type, const char *name)
{
    if (type == NULL || name == NULL || type->kind != GG_KIND_INPUT_OBJECT) return NULL;
    return gg_strmap_gets(&type->input_field_map, name);
}

gg_enum_value *gg_type_find_enum_value(const gg_type *type, const char *name)
{
    if (type == NULL || name == NULL || type->kind != GG_KIND_ENUM) return NULL;
    return gg_strmap_gets(&type->enum_value_map, name);
}

/* Arguments are few: a linear search beats a map (first bytes compared before the names). */
static gg_input_value *find_arg(gg_input_value *args, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (args[i].name[0] == name[0] && strcmp(args[i].name, name) == 0) return &args[i];
    return NULL;
}

gg_input_value *gg_field_find_arg(const gg_field *field, const char *name)
{
    if (field == NULL || name == NULL) return NULL;
    return find_arg(field->args, field->arg_count, name);
}

gg_input_value *gg_directive_find_arg(const gg_directive_def *directive, const char *name)
{
    if (directive == NULL || name == NULL) return NULL;
    return find_arg(directive->args, directive->arg_count, name);
}

/* ---- wrapping types ---- */

static gg_type *make_wrapper(gg_arena *arena, gg_type_kind kind, gg_type *of_type)
{
    gg_type *t = gg_arena_alloc(arena, sizeof *t);
    t->kind = kind;
    t->of_type = of_type;
    return t;
}

gg_type *gg_schema_list_of(gg_schema *schema, gg_type *type)
{
    if (type->list_of == NULL) type->list_of = make_wrapper(&schema->arena, GG_KIND_LIST, type);
    return type->list_of;
}

gg_type *gg_schema_non_null_of(gg_schema *schema, gg_type *type)
{
    if (type->non_null_of == NULL) type->non_null_of = make_wrapper(&schema->arena, GG_KIND_NON_NULL, type);
    return type->non_null_of;
}

gg_type *gg_type_from_ast(const gg_schema *schema, gg_arena *arena, const gg_type_ref *ref)
{
    if (ref == NULL) return NULL;
    if (ref->kind == GG_TYPE_REF_NAMED) return gg_schema_find_type(schema, ref->name.value);
    gg_type *inner = gg_type_from_ast(schema, arena, ref->of_type);
    if (inner == NULL) return NULL;
    if (ref->kind == GG_TYPE_REF_LIST)
        return inner->list_of ? inner->list_of : make_wrapper(arena, GG_KIND_LIST, inner);
    if (inner->kind == GG_KIND_NON_NULL) /* the parser never makes T!!, but stay total */
        return inner;
    return inner->non_null_of ? inner->non_null_of : make_wrapper(arena, GG_KIND_NON_NULL, inner);
}

bool gg_type_equal(const gg_type *a, const gg_type *b)
{
    while (a != NULL && b != NULL) {
        if (a == b) return true;
        if (a->kind != b->kind) return false;
        if (a->kind != GG_KIND_LIST && a->kind != GG_KIND_NON_NULL) return false; /* distinct named types */
        a = a->of_type;
        b = b->of_type;
    }
    return a == b;
}

gg_type *gg_type_named(const gg_type *type)
{
    while (type != NULL && (type->kind == GG_KIND_LIST || type->kind == GG_KIND_NON_NULL))
        type = type->of_type;
    return (gg_type *)type;
}

gg_type *gg_type_nullable(const gg_type *type)
{
    if (type != NULL && type->kind == GG_KIND_NON_NULL) return type->of_type;
    return (gg_type *)type;
}

/* ---- classification ---- */

bool gg_type_is_input(const gg_type *type)
{
    const gg_type *n = gg_type_named(type);
    return n != NULL && (n->kind == GG_KIND_SCALAR || n->kind == GG_KIND_ENUM || n->kind == GG_KIND_INPUT_OBJECT);
}

bool gg_type_is_output(const gg_type *type)
{
    const gg_type *n = gg_type_named(type);
    return n != NULL && n->kind != GG_KIND_INPUT_OBJECT;
}

bool gg_type_is_leaf(const gg_type *type)
{
    return type != NULL && (type->kind == GG_KIND_SCALAR || type->kind == GG_KIND_ENUM);
}

bool gg_type_is_abstract(const gg_type *type)
{
    return type != NULL && (type->kind == GG_KIND_INTERFACE || type->kind == GG_KIND_UNION);
}

bool gg_type_is_composite(const gg_type *type)
{
    return type != NULL &&
           (type->kind == GG_KIND_OBJECT || type->kind == GG_KIND_INTERFACE || type->kind == GG_KIND_UNION);
}

bool gg_schema_is_sub_type(const gg_schema *schema, const gg_type *abstract, const gg_type *maybe_sub)
{
    (void)schema;
    if (abstract == NULL || maybe_sub == NULL || maybe_sub->name == NULL || !gg_type_is_abstract(abstract))
        return false;
    if (maybe_sub->kind == GG_KIND_INTERFACE) {
        for (unsigned i = 0; i < abstract->implementing_interface_count; i++)
            if (abstract->implementing_interfaces[i] == maybe_sub) return true;
        return false;
    }
    return gg_strmap_gets(&abstract->possible_type_map, maybe_sub->name) == maybe_sub;
}

bool gg_schema_is_type_sub_type_of(const gg_schema *schema, const gg_type *maybe_sub, const gg_type *super)
{
    if (maybe_sub == NULL || super == NULL) return false;
    if (gg_type_equal(maybe_sub, super)) return true;
    if (super->kind == GG_KIND_NON_NULL) {
        if (maybe_sub->kind == GG_KIND_NON_NULL)
            return gg_schema_is_type_sub_type_of(schema, maybe_sub->of_type, super->of_type);
        return false;
    }
    if (maybe_sub->kind == GG_KIND_NON_NULL) return gg_schema_is_type_sub_type_of(schema, maybe_sub->of_type, super);
    if (super->kind == GG_KIND_LIST) {
        if (maybe_sub->kind == GG_KIND_LIST)
            return gg_schema_is_type_sub_type_of(schema, maybe_sub->of_type, super->of_type);
        return false;
    }
    if (maybe_sub->kind == GG_KIND_LIST) return false;
    return gg_type_is_abstract(super) && (maybe_sub->kind == GG_KIND_INTERFACE || maybe_sub->kind == GG_KIND_OBJECT) &&
           gg_schema_is_sub_type(schema, super, maybe_sub);
}

bool gg_schema_types_overlap(const gg_schema *schema, const gg_type *a, const gg_type *b)
{
    if (a == NULL || b == NULL) return false;
    if (a == b) return true;
    if (gg_type_is_abstract(a)) {
        if (gg_type_is_abstract(b)) {
            for (unsigned i = 0; i < a->possible_type_count; i++)
                if (gg_schema_is_sub_type(schema, b, a->possible_types[i])) return true;
            return false;
        }
        return gg_schema_is_sub_type(schema, a, b);
    }
    if (gg_type_is_abstract(b)) return gg_schema_is_sub_type(schema, b, a);
    return false;
}

static void type_to_buf(gg_buf *out, const gg_type *type)
{
    if (type == NULL) {
        gg_buf_puts(out, "undefined");
    } else if (type->kind == GG_KIND_LIST) {
        gg_buf_putc(out, '[');
        type_to_buf(out, type->of_type);
        gg_buf_putc(out, ']');
    } else if (type->kind == GG_KIND_NON_NULL) {
        type_to_buf(out, type->of_type);
        gg_buf_putc(out, '!');
    } else {
        gg_buf_puts(out, type->name);
    }
}

const char *gg_type_to_string(gg_arena *arena, const gg_type *type)
{
    gg_buf b;
    gg_buf_init(&b);
    type_to_buf(&b, type);
    const char *s = gg_arena_strndup(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return s;
}

const char *gg_type_kind_name(gg_type_kind kind)
{
    switch (kind) {
    case GG_KIND_SCALAR:
        return "SCALAR";
    case GG_KIND_OBJECT:
        return "OBJECT";
    case GG_KIND_INTERFACE:
        return "INTERFACE";
    case GG_KIND_UNION:
        return "UNION";
    case GG_KIND_ENUM:
        return "ENUM";
    case GG_KIND_INPUT_OBJECT:
        return "INPUT_OBJECT";
    case GG_KIND_LIST:
        return "LIST";
    case GG_KIND_NON_NULL:
        return "NON_NULL";
    }
    return "SCALAR";
}
