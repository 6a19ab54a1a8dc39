/* user_schema.c: reading the user's schema, for every step of the @model transform: errors
 * located in the user's files, directive arguments, and what a type name stands for (a scalar and
 * the base scalar it filters as, an enum, a @model type, an embedded object type).
 *
 * The schema was built with the AppSync and Amplify preludes, so directive arguments are already
 * typed and checked: the readers only pick values out, NULL when absent. An error carries the
 * location and, in gg_error.detail, the name of the user's source file; it marks the transform
 * failed (tx.ok) without stopping the current step, so one run can report several mistakes. */
#include "transform_internal.h"

#include <stdarg.h>
#include <string.h>

gg_error *amp_fail(tx *t, const gg_definition *def, gg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(t->errors, fmt, ap);
    va_end(ap);
    gg_error_add_location(t->errors, e, loc);
    unsigned doc = def ? gg_schema_document_of(t->schema, def) : t->schema->document_count;
    if (doc < t->schema->document_count && t->doc_names && doc >= t->first_user_doc &&
        doc - t->first_user_doc < t->user_doc_count)
        e->detail = gg_arena_strdup(t->errors->arena, t->doc_names[doc - t->first_user_doc]);
    t->ok = false;
    return e;
}

const gg_directive *amp_find_dir(const gg_directive *dirs, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (strcmp(dirs[i].name.value, name) == 0) return &dirs[i];
    return NULL;
}

const gg_value *amp_dir_arg(const gg_directive *d, const char *name)
{
    for (unsigned i = 0; d && i < d->arg_count; i++)
        if (strcmp(d->args[i].name.value, name) == 0) return d->args[i].value;
    return NULL;
}

const char *amp_str_value(tx *t, const gg_value *v)
{
    if (v == NULL || (v->kind != GG_VALUE_STRING && v->kind != GG_VALUE_ENUM)) return NULL;
    return gg_arena_strndup(t->a, v->text, v->len);
}

/* The base scalar an Amplify scalar filters as (String, ID, Int, Float, Boolean), or NULL. */
const char *amp_base_scalar(const char *name)
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

const gg_type *amp_user_type(tx *t, const char *name)
{
    return gg_schema_find_type(t->schema, name);
}

bool amp_is_enum(tx *t, const char *name)
{
    const gg_type *ty = amp_user_type(t, name);
    return ty && ty->kind == GG_KIND_ENUM;
}

minfo *amp_model_named(tx *t, const char *name)
{
    return gg_strmap_gets(&t->model_map, name);
}

bool amp_is_embedded(tx *t, const char *name)
{
    const gg_type *ty = amp_user_type(t, name);
    return ty && ty->kind == GG_KIND_OBJECT && !ty->is_builtin && amp_model_named(t, name) == NULL;
}
