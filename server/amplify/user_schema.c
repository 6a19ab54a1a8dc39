/* user_schema.c: reading the user's schema, for every step of the @model transform: errors
 * located in the user's files, directive arguments, and what a type name stands for (a scalar and
 * the base scalar it filters as, an enum, a @model type, an embedded object type).
 *
 * The schema was built with the AppSync and Amplify preludes, so directive arguments are already
 * typed and checked: the readers only pick values out, NULL when absent. An error carries the
 * location and, in gg_error.detail, the name of the user's source file; it marks the transform
 * failed (transform_state.ok) without stopping the current step, so one run can report several mistakes. */
#include "transform_internal.h"

#include <stdarg.h>
#include <string.h>

gg_error *gg_amplify_fail(transform_state *t, const gg_definition *def, gg_loc loc, const char *fmt, ...)
{
    va_list arguments;
    va_start(arguments, fmt);
    gg_error *e = gg_error_addv(t->errors, fmt, arguments);
    va_end(arguments);
    gg_error_add_location(t->errors, e, loc);
    unsigned doc = def ? gg_schema_document_of(t->schema, def) : t->schema->document_count;
    if (doc < t->schema->document_count && t->doc_names && doc >= t->first_user_doc &&
        doc - t->first_user_doc < t->user_doc_count)
        e->detail = gg_arena_strdup(t->errors->arena, t->doc_names[doc - t->first_user_doc]);
    t->ok = false;
    return e;
}

const gg_directive *gg_amplify_find_directive(const gg_directive *directives, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (strcmp(directives[i].name.value, name) == 0) return &directives[i];
    return NULL;
}

const gg_value *gg_amplify_directive_argument(const gg_directive *d, const char *name)
{
    for (unsigned i = 0; d && i < d->arg_count; i++)
        if (strcmp(d->args[i].name.value, name) == 0) return d->args[i].value;
    return NULL;
}

const char *gg_amplify_string_value(transform_state *t, const gg_value *v)
{
    if (v == NULL || (v->kind != GG_VALUE_STRING && v->kind != GG_VALUE_ENUM)) return NULL;
    return gg_arena_strndup(t->catalog_arena, v->text, v->len);
}

/* The base scalar an Amplify scalar filters as (String, ID, Int, Float, Boolean), or NULL. */
const char *gg_amplify_base_scalar(const char *name)
{
    static const char *const map[][2] = {
        {"String", "String"},    {"ID", "ID"},
        {"Int", "Int"},          {"Float", "Float"},
        {"Boolean", "Boolean"},  {"AWSDate", "String"},
        {"AWSTime", "String"},   {"AWSDateTime", "String"},
        {"AWSTimestamp", "Int"}, {"AWSEmail", "String"},
        {"AWSJSON", "String"},   {"AWSURL", "String"},
        {"AWSPhone", "String"},  {"AWSIPAddress", "String"},
        {"BigInt", "Int"},       {"Double", "Float"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], name) == 0) return map[i][1];
    return NULL;
}

const gg_type *gg_amplify_user_type(transform_state *t, const char *name)
{
    return gg_schema_find_type(t->schema, name);
}

bool gg_amplify_is_enum(transform_state *t, const char *name)
{
    const gg_type *type = gg_amplify_user_type(t, name);
    return type && type->kind == GG_KIND_ENUM;
}

model_info *gg_amplify_model_info_named(transform_state *t, const char *name)
{
    return gg_strmap_gets(&t->model_map, name);
}

bool gg_amplify_is_embedded(transform_state *t, const char *name)
{
    const gg_type *type = gg_amplify_user_type(t, name);
    return type && type->kind == GG_KIND_OBJECT && !type->is_builtin && gg_amplify_model_info_named(t, name) == NULL;
}
