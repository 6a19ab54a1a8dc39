/* values.c: variable coercion, argument values, literals to values and back; see values.h.
 *
 * Everything follows graphql-js v16 step by step, because the order of checks decides which error a
 * client sees first. Coercion errors go through a small callback (graphql-js onError) so that
 * variables ("Variable "$x" got invalid value ...") and the generic coerceInputValue ("Invalid
 * value ...") share one walk. Paths inside an input value are a stack-allocated linked list,
 * printed only when an error happens. Nothing here allocates outside the given arena. */
#include "values.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../base/buf.h"
#include "../language/printer.h"
#include "../type/scalars.h"
#include "../suggest.h"

/* ---- cJSON to gg_val and back ---- */

gg_val *gg_val_from_cjson(gg_arena *arena, const cJSON *json)
{
    if (json == NULL || cJSON_IsNull(json)) return &gg_val_null_value;
    if (cJSON_IsBool(json)) return gg_val_bool(cJSON_IsTrue(json));
    if (cJSON_IsNumber(json)) {
        double d = json->valuedouble;
        if (isfinite(d) && d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
            return gg_val_int(arena, (int64_t)d);
        return gg_val_float(arena, d);
    }
    if (cJSON_IsString(json)) {
        const char *s = json->valuestring ? json->valuestring : "";
        return gg_val_string(arena, s, strlen(s));
    }
    if (cJSON_IsArray(json)) {
        gg_val *list = gg_val_list(arena, (unsigned)cJSON_GetArraySize(json));
        for (const cJSON *item = json->child; item != NULL; item = item->next)
            gg_val_list_push(arena, list, gg_val_from_cjson(arena, item));
        return list;
    }
    if (cJSON_IsObject(json)) {
        gg_val *obj = gg_val_object(arena, (unsigned)cJSON_GetArraySize(json));
        for (const cJSON *item = json->child; item != NULL; item = item->next)
            gg_val_object_set(arena, obj, gg_arena_strdup(arena, item->string ? item->string : ""),
                              gg_val_from_cjson(arena, item));
        return obj;
    }
    return &gg_val_null_value; /* cJSON_Raw / invalid: not produced by the parser */
}

cJSON *gg_val_to_cjson(const gg_val *v)
{
    cJSON *json = NULL;
    switch (v != NULL ? v->kind : GG_VAL_NULL) {
    case GG_VAL_BOOL:
        json = cJSON_CreateBool(v->b);
        break;
    case GG_VAL_INT:
        json = cJSON_CreateNumber((double)v->i);
        break;
    case GG_VAL_FLOAT:
        json = cJSON_CreateNumber(v->f);
        break;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        json = cJSON_CreateString(v->s);
        break;
    case GG_VAL_RAW:
        json = cJSON_ParseWithLength(v->s, v->len);
        break;
    case GG_VAL_LIST:
        json = cJSON_CreateArray();
        for (unsigned i = 0; json != NULL && i < v->count; i++)
            cJSON_AddItemToArray(json, gg_val_to_cjson(v->items[i]));
        break;
    case GG_VAL_OBJECT:
        json = cJSON_CreateObject();
        for (unsigned i = 0; json != NULL && i < v->count; i++)
            if (v->members[i].value == NULL || v->members[i].value->kind != GG_VAL_UNDEFINED)
                cJSON_AddItemToObject(json, v->members[i].key, gg_val_to_cjson(v->members[i].value));
        break;
    default:
        break;
    }
    if (json == NULL) json = cJSON_CreateNull();
    if (json == NULL) abort();
    return json;
}

/* ---- inspect and suggestions: one implementation each, shared with the type and validation layers ---- */

const char *gg_val_inspect(gg_arena *arena, const gg_val *value)
{
    return gg_scalar_inspect(arena, value);
}

static const char *suggest(gg_arena *arena, const char *sub_message, const char *input, const char *const *options,
                           unsigned count)
{
    const char **list;
    unsigned n;
    gg_suggestion_list(arena, input, options, count, &list, &n);
    return gg_did_you_mean(arena, sub_message, list, n);
}

/* ---- enum values ---- */

static const char *enum_suggestion(gg_arena *arena, const gg_type *type, const char *input)
{
    const char **names = gg_arena_array(arena, type->enum_value_count ? type->enum_value_count : 1, sizeof *names);
    for (unsigned i = 0; i < type->enum_value_count; i++)
        names[i] = type->enum_values[i].name;
    return suggest(arena, "the enum value", input, names, type->enum_value_count);
}

/* graphql-js GraphQLEnumType.parseValue. */
static gg_val *enum_parse_value(gg_arena *arena, const gg_type *type, const gg_val *in, gg_fault *fault)
{
    if (in->kind != GG_VAL_STRING && in->kind != GG_VAL_ENUM) {
        const char *shown = gg_val_inspect(arena, in);
        gg_fault_set_text(fault, NULL,
                          gg_arena_printf(arena, "Enum \"%s\" cannot represent non-string value: %s.%s", type->name,
                                          shown, enum_suggestion(arena, type, shown)));
        return NULL;
    }
    const gg_enum_value *ev = gg_type_find_enum_value(type, in->s);
    if (ev == NULL || strlen(in->s) != in->len) {
        gg_fault_set_text(fault, NULL,
                          gg_arena_printf(arena, "Value \"%s\" does not exist in \"%s\" enum.%s", in->s, type->name,
                                          enum_suggestion(arena, type, in->s)));
        return NULL;
    }
    return gg_val_enum(arena, ev->name);
}

/* ---- coerceInputValue ---- */

typedef struct in_path {
    const struct in_path *prev;
    const char *key; /* NULL: index */
    unsigned index;
} in_path;

typedef struct coerce_ctx {
    gg_arena *arena;
    void (*on_error)(struct coerce_ctx *ctx, const in_path *path, const gg_val *invalid, const char *message);
    void *user;
    bool failed;
} coerce_ctx;

static void print_path(gg_buf *b, const in_path *p)
{
    if (p == NULL) return;
    print_path(b, p->prev);
    if (p->key)
        gg_buf_printf(b, ".%s", p->key);
    else
        gg_buf_printf(b, "[%u]", p->index);
}

static const char *type_str(gg_arena *arena, const gg_type *type)
{
    return gg_type_to_string(arena, type);
}

static void report(coerce_ctx *ctx, const in_path *path, const gg_val *invalid, const char *message)
{
    ctx->failed = true;
    ctx->on_error(ctx, path, invalid, message);
}

static gg_val *coerce_input(coerce_ctx *ctx, const gg_val *in, const gg_type *type, const in_path *path);

static gg_val *coerce_input_object(coerce_ctx *ctx, const gg_val *in, const gg_type *type, const in_path *path)
{
    gg_arena *arena = ctx->arena;
    if (in->kind != GG_VAL_OBJECT) {
        report(ctx, path, in, gg_arena_printf(arena, "Expected type \"%s\" to be an object.", type->name));
        return NULL;
    }
    gg_val *out = gg_val_object(arena, type->input_field_count);
    for (unsigned i = 0; i < type->input_field_count; i++) {
        const gg_input_value *f = &type->input_fields[i];
        const gg_val *fv = gg_val_object_get(in, f->name);
        if (fv == NULL || fv->kind == GG_VAL_UNDEFINED) {
            gg_val *def = f->default_value ? gg_value_from_ast(arena, f->default_value, f->type, NULL) : NULL;
            if (def != NULL)
                gg_val_object_set(arena, out, f->name, def);
            else if (f->type->kind == GG_KIND_NON_NULL)
                report(ctx, path, in,
                       gg_arena_printf(arena, "Field \"%s\" of required type \"%s\" was not provided.", f->name,
                                       type_str(arena, f->type)));
            continue;
        }
        in_path sub = {path, f->name, 0};
        gg_val *cv = coerce_input(ctx, fv, f->type, &sub);
        gg_val_object_set(arena, out, f->name, cv ? cv : &gg_val_undefined_value);
    }
    for (unsigned i = 0; i < in->count; i++) {
        const char *key = in->members[i].key;
        if (gg_type_find_input_field(type, key) != NULL) continue;
        const char **names = gg_arena_array(arena, type->input_field_count + 1, sizeof *names);
        for (unsigned j = 0; j < type->input_field_count; j++)
            names[j] = type->input_fields[j].name;
        report(ctx, path, in,
               gg_arena_printf(arena, "Field \"%s\" is not defined by type \"%s\".%s", key, type->name,
                               suggest(arena, NULL, key, names, type->input_field_count)));
    }
    if (type->is_one_of) {
        if (out->count != 1) {
            report(ctx, path, in,
                   gg_arena_printf(arena, "Exactly one key must be specified for OneOf type \"%s\".", type->name));
        }
        if (out->count >= 1 && out->members[0].value->kind == GG_VAL_NULL) {
            in_path sub = {path, out->members[0].key, 0};
            report(ctx, &sub, &gg_val_null_value,
                   gg_arena_printf(arena, "Field \"%s\" must be non-null.", out->members[0].key));
        }
    }
    return out;
}

static gg_val *coerce_input(coerce_ctx *ctx, const gg_val *in, const gg_type *type, const in_path *path)
{
    gg_arena *arena = ctx->arena;
    if (type->kind == GG_KIND_NON_NULL) {
        if (!gg_val_is_null(in) && in->kind != GG_VAL_UNDEFINED) return coerce_input(ctx, in, type->of_type, path);
        report(ctx, path, in ? in : &gg_val_null_value,
               gg_arena_printf(arena, "Expected non-nullable type \"%s\" not to be null.", type_str(arena, type)));
        return NULL;
    }
    if (gg_val_is_null(in) || in->kind == GG_VAL_UNDEFINED) return &gg_val_null_value;
    switch (type->kind) {
    case GG_KIND_LIST:
        if (in->kind == GG_VAL_LIST) {
            gg_val *out = gg_val_list(arena, in->count);
            for (unsigned i = 0; i < in->count; i++) {
                in_path sub = {path, NULL, i};
                gg_val *item = coerce_input(ctx, in->items[i], type->of_type, &sub);
                gg_val_list_push(arena, out, item ? item : &gg_val_undefined_value);
            }
            return out;
        } else {
            gg_val *item = coerce_input(ctx, in, type->of_type, path);
            gg_val *out = gg_val_list(arena, 1);
            gg_val_list_push(arena, out, item ? item : &gg_val_undefined_value);
            return out;
        }
    case GG_KIND_INPUT_OBJECT:
        return coerce_input_object(ctx, in, type, path);
    case GG_KIND_ENUM: {
        gg_fault fault = {0};
        gg_val *out = enum_parse_value(arena, type, in, &fault);
        if (out == NULL) report(ctx, path, in, fault.message);
        return out;
    }
    case GG_KIND_SCALAR: {
        if (type->scalar == NULL || type->scalar->parse_value == NULL) return (gg_val *)in;
        gg_val *out = NULL;
        gg_fault fault = {0};
        if (!type->scalar->parse_value(arena, in, &out, &fault) || out == NULL) {
            report(ctx, path, in,
                   fault.message ? fault.message : gg_arena_printf(arena, "Expected type \"%s\".", type->name));
            return NULL;
        }
        return out;
    }
    default: /* output types: refused by validation */
        report(ctx, path, in, gg_arena_printf(arena, "Expected type \"%s\".", type_str(arena, type)));
        return NULL;
    }
}

typedef struct var_error_ctx {
    gg_error_list *errors;
    const gg_variable_definition *var;
    unsigned *count;
    bool aborted;
} var_error_ctx;

static void add_limited(var_error_ctx *v, gg_error *(*make)(var_error_ctx *v, void *arg), void *arg);

static gg_error *make_var_error(var_error_ctx *v, void *arg)
{
    return gg_error_at(v->errors, v->var->loc, "%s", (const char *)arg);
}

static gg_error *make_type_error(var_error_ctx *v, void *arg)
{
    return gg_error_at(v->errors, v->var->type->loc, "%s", (const char *)arg);
}

/* graphql-js getVariableValues' onError: stop after 50 errors. */
static void add_limited(var_error_ctx *v, gg_error *(*make)(var_error_ctx *v, void *arg), void *arg)
{
    if (v->aborted) return;
    if (*v->count >= 50) {
        gg_error_add(v->errors, "Too many errors processing variables, error limit reached. Execution aborted.");
        v->aborted = true;
        return;
    }
    make(v, arg);
    (*v->count)++;
}

static void variable_on_error(coerce_ctx *ctx, const in_path *path, const gg_val *invalid, const char *message)
{
    var_error_ctx *v = ctx->user;
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_printf(&b, "Variable \"$%s\" got invalid value %s", v->var->variable.value,
                  gg_val_inspect(ctx->arena, invalid));
    if (path != NULL) {
        gg_buf_printf(&b, " at \"%s", v->var->variable.value);
        print_path(&b, path);
        gg_buf_putc(&b, '"');
    }
    gg_buf_printf(&b, "; %s", message);
    add_limited(v, make_var_error, b.data);
    gg_buf_free(&b);
}

gg_val *gg_coerce_variable_values(const gg_schema *schema, gg_arena *arena, const gg_definition *operation,
                                  const gg_val *inputs, gg_error_list *errors)
{
    gg_val *out = gg_val_object(arena, operation->variable_count);
    unsigned count = 0;
    for (unsigned i = 0; i < operation->variable_count; i++) {
        const gg_variable_definition *var = &operation->variables[i];
        var_error_ctx v = {errors, var, &count, false};
        const char *name = var->variable.value;
        gg_type *type = gg_type_from_ast(schema, arena, var->type);
        if (type == NULL || !gg_type_is_input(type)) {
            gg_buf b;
            gg_buf_init(&b);
            gg_print_type_ref(&b, var->type);
            add_limited(&v, make_type_error,
                        gg_arena_printf(arena,
                                        "Variable \"$%s\" expected value of type \"%s\" which cannot be used as an "
                                        "input type.",
                                        name, b.data ? b.data : ""));
            gg_buf_free(&b);
            if (v.aborted) return NULL;
            continue;
        }
        const gg_val *value = gg_val_object_get(inputs, name);
        if (value == NULL || value->kind == GG_VAL_UNDEFINED) {
            if (var->default_value != NULL) {
                gg_val *dv = gg_value_from_ast(arena, var->default_value, type, NULL);
                if (dv != NULL) gg_val_object_set(arena, out, name, dv);
            } else if (type->kind == GG_KIND_NON_NULL) {
                add_limited(&v, make_var_error,
                            gg_arena_printf(arena, "Variable \"$%s\" of required type \"%s\" was not provided.", name,
                                            type_str(arena, type)));
            }
            if (v.aborted) return NULL;
            continue;
        }
        if (value->kind == GG_VAL_NULL && type->kind == GG_KIND_NON_NULL) {
            add_limited(&v, make_var_error,
                        gg_arena_printf(arena, "Variable \"$%s\" of non-null type \"%s\" must not be null.", name,
                                        type_str(arena, type)));
            if (v.aborted) return NULL;
            continue;
        }
        coerce_ctx ctx = {arena, variable_on_error, &v, false};
        gg_val *cv = coerce_input(&ctx, value, type, NULL);
        if (v.aborted) return NULL;
        if (cv != NULL) gg_val_object_set(arena, out, name, cv);
    }
    return count == 0 ? out : NULL;
}

static void default_on_error(coerce_ctx *ctx, const in_path *path, const gg_val *invalid, const char *message)
{
    gg_error_list *errors = ctx->user;
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_printf(&b, "Invalid value %s", gg_val_inspect(ctx->arena, invalid));
    if (path != NULL) {
        gg_buf_puts(&b, " at \"value");
        print_path(&b, path);
        gg_buf_putc(&b, '"');
    }
    gg_buf_printf(&b, ": %s", message);
    gg_error_add(errors, "%s", b.data);
    gg_buf_free(&b);
}

gg_val *gg_coerce_input_value(gg_arena *arena, const gg_val *value, const gg_type *type, gg_error_list *errors)
{
    coerce_ctx ctx = {arena, default_on_error, errors, false};
    gg_val *out = coerce_input(&ctx, value, type, NULL);
    return ctx.failed ? NULL : out;
}

/* ---- valueFromAST ---- */

static bool is_missing_variable(const gg_value *node, const gg_val *variables)
{
    if (node->kind != GG_VALUE_VARIABLE) return false;
    const gg_val *v = gg_val_object_get(variables, node->text);
    return v == NULL || v->kind == GG_VAL_UNDEFINED;
}

/* A literal for an untyped runtime value (variables inside custom-scalar literals). */
static gg_value *literal_from_untyped(gg_arena *arena, const gg_val *v, gg_loc loc)
{
    gg_value *n = gg_arena_alloc(arena, sizeof *n);
    n->loc = loc;
    if (gg_val_is_null(v) || v->kind == GG_VAL_UNDEFINED) {
        n->kind = GG_VALUE_NULL;
        return n;
    }
    char num[32];
    switch (v->kind) {
    case GG_VAL_BOOL:
        n->kind = GG_VALUE_BOOLEAN;
        n->boolean = v->b;
        break;
    case GG_VAL_INT:
        n->kind = GG_VALUE_INT;
        n->text = gg_arena_printf(arena, "%lld", (long long)v->i);
        n->len = strlen(n->text);
        break;
    case GG_VAL_FLOAT:
        n->kind = GG_VALUE_FLOAT;
        n->len = gg_format_double(v->f, num);
        n->text = gg_arena_strndup(arena, num, n->len);
        break;
    case GG_VAL_ENUM:
        n->kind = GG_VALUE_ENUM;
        n->text = v->s;
        n->len = v->len;
        break;
    case GG_VAL_LIST:
        n->kind = GG_VALUE_LIST;
        n->item_count = v->count;
        n->items = gg_arena_array(arena, v->count ? v->count : 1, sizeof *n->items);
        for (unsigned i = 0; i < v->count; i++)
            n->items[i] = literal_from_untyped(arena, v->items[i], loc);
        break;
    case GG_VAL_OBJECT:
        n->kind = GG_VALUE_OBJECT;
        n->field_count = v->count;
        n->fields = gg_arena_array(arena, v->count ? v->count : 1, sizeof *n->fields);
        for (unsigned i = 0; i < v->count; i++) {
            n->fields[i].name.value = v->members[i].key;
            n->fields[i].name.loc = loc;
            n->fields[i].loc = loc;
            n->fields[i].value = literal_from_untyped(arena, v->members[i].value, loc);
        }
        break;
    default: /* STRING, RAW */
        n->kind = GG_VALUE_STRING;
        n->text = v->s;
        n->len = v->len;
        break;
    }
    return n;
}

static bool has_variables(const gg_value *node)
{
    if (node->kind == GG_VALUE_VARIABLE) return true;
    for (unsigned i = 0; node->kind == GG_VALUE_LIST && i < node->item_count; i++)
        if (has_variables(node->items[i])) return true;
    for (unsigned i = 0; node->kind == GG_VALUE_OBJECT && i < node->field_count; i++)
        if (has_variables(node->fields[i].value)) return true;
    return false;
}

/* The literal with every variable replaced by its value (graphql-js valueFromASTUntyped's job). */
static const gg_value *substitute_variables(gg_arena *arena, const gg_value *node, const gg_val *variables)
{
    if (!has_variables(node)) return node;
    if (node->kind == GG_VALUE_VARIABLE)
        return literal_from_untyped(arena, gg_val_object_get(variables, node->text), node->loc);
    gg_value *copy = gg_arena_alloc(arena, sizeof *copy);
    *copy = *node;
    if (node->kind == GG_VALUE_LIST) {
        copy->items = gg_arena_array(arena, node->item_count, sizeof *copy->items);
        for (unsigned i = 0; i < node->item_count; i++)
            copy->items[i] = (gg_value *)substitute_variables(arena, node->items[i], variables);
    } else {
        copy->fields = gg_arena_array(arena, node->field_count, sizeof *copy->fields);
        for (unsigned i = 0; i < node->field_count; i++) {
            copy->fields[i] = node->fields[i];
            copy->fields[i].value = (gg_value *)substitute_variables(arena, node->fields[i].value, variables);
        }
    }
    return copy;
}

gg_val *gg_value_from_ast(gg_arena *arena, const gg_value *node, const gg_type *type, const gg_val *variables)
{
    if (node == NULL) return NULL;
    if (node->kind == GG_VALUE_VARIABLE) {
        gg_val *v = gg_val_object_get(variables, node->text);
        if (v == NULL || v->kind == GG_VAL_UNDEFINED) return NULL;
        if (v->kind == GG_VAL_NULL && type->kind == GG_KIND_NON_NULL) return NULL;
        return v;
    }
    if (type->kind == GG_KIND_NON_NULL) {
        if (node->kind == GG_VALUE_NULL) return NULL;
        return gg_value_from_ast(arena, node, type->of_type, variables);
    }
    if (node->kind == GG_VALUE_NULL) return &gg_val_null_value;
    switch (type->kind) {
    case GG_KIND_LIST: {
        const gg_type *item_type = type->of_type;
        if (node->kind == GG_VALUE_LIST) {
            gg_val *out = gg_val_list(arena, node->item_count);
            for (unsigned i = 0; i < node->item_count; i++) {
                if (is_missing_variable(node->items[i], variables)) {
                    if (item_type->kind == GG_KIND_NON_NULL) return NULL;
                    gg_val_list_push(arena, out, &gg_val_null_value);
                    continue;
                }
                gg_val *item = gg_value_from_ast(arena, node->items[i], item_type, variables);
                if (item == NULL) return NULL;
                gg_val_list_push(arena, out, item);
            }
            return out;
        }
        gg_val *item = gg_value_from_ast(arena, node, item_type, variables);
        if (item == NULL) return NULL;
        gg_val *out = gg_val_list(arena, 1);
        gg_val_list_push(arena, out, item);
        return out;
    }
    case GG_KIND_INPUT_OBJECT: {
        if (node->kind != GG_VALUE_OBJECT) return NULL;
        gg_val *out = gg_val_object(arena, type->input_field_count);
        for (unsigned i = 0; i < type->input_field_count; i++) {
            const gg_input_value *f = &type->input_fields[i];
            const gg_object_field *fnode = NULL;
            for (unsigned j = 0; j < node->field_count; j++) /* graphql-js keyMap: the last one wins */
                if (strcmp(node->fields[j].name.value, f->name) == 0) fnode = &node->fields[j];
            if (fnode == NULL || is_missing_variable(fnode->value, variables)) {
                gg_val *def = f->default_value ? gg_value_from_ast(arena, f->default_value, f->type, NULL) : NULL;
                if (def != NULL)
                    gg_val_object_set(arena, out, f->name, def);
                else if (f->type->kind == GG_KIND_NON_NULL)
                    return NULL;
                continue;
            }
            gg_val *fv = gg_value_from_ast(arena, fnode->value, f->type, variables);
            if (fv == NULL) return NULL;
            gg_val_object_set(arena, out, f->name, fv);
        }
        if (type->is_one_of && (out->count != 1 || out->members[0].value->kind == GG_VAL_NULL)) return NULL;
        return out;
    }
    case GG_KIND_ENUM: {
        if (node->kind != GG_VALUE_ENUM) return NULL;
        const gg_enum_value *ev = gg_type_find_enum_value(type, node->text);
        return ev ? gg_val_enum(arena, ev->name) : NULL;
    }
    case GG_KIND_SCALAR: {
        const gg_value *lit = variables ? substitute_variables(arena, node, variables) : node;
        if (type->scalar == NULL || type->scalar->parse_literal == NULL) return NULL;
        gg_val *out = NULL;
        gg_fault fault = {0};
        if (!type->scalar->parse_literal(arena, lit, &out, &fault)) return NULL;
        return out;
    }
    default:
        return NULL;
    }
}

/* ---- getArgumentValues, getDirectiveValues ---- */

static const gg_argument *find_argument(const gg_argument *args, unsigned count, const char *name)
{
    const gg_argument *found = NULL;
    for (unsigned i = 0; i < count; i++) /* graphql-js keyMap: the last one wins */
        if (strcmp(args[i].name.value, name) == 0) found = &args[i];
    return found;
}

gg_val *gg_argument_values(gg_arena *arena, const gg_input_value *defs, unsigned def_count, const gg_argument *args,
                           unsigned arg_count, gg_loc node_loc, const gg_val *variables, gg_error_list *errors)
{
    gg_val *out = gg_val_object(arena, def_count);
    for (unsigned i = 0; i < def_count; i++) {
        const gg_input_value *def = &defs[i];
        const gg_argument *arg = find_argument(args, arg_count, def->name);
        gg_val *dv = NULL;
        if (arg == NULL ||
            (arg->value->kind == GG_VALUE_VARIABLE && gg_val_object_get(variables, arg->value->text) == NULL)) {
            if (def->default_value != NULL) dv = gg_value_from_ast(arena, def->default_value, def->type, NULL);
            if (dv != NULL) {
                gg_val_object_set(arena, out, def->name, dv);
            } else if (def->type->kind == GG_KIND_NON_NULL) {
                if (arg == NULL)
                    gg_error_at(errors, node_loc, "Argument \"%s\" of required type \"%s\" was not provided.",
                                def->name, type_str(arena, def->type));
                else
                    gg_error_at(errors, arg->value->loc,
                                "Argument \"%s\" of required type \"%s\" was provided the variable \"$%s\" which "
                                "was not provided a runtime value.",
                                def->name, type_str(arena, def->type), arg->value->text);
                return NULL;
            }
            continue;
        }
        bool is_null = arg->value->kind == GG_VALUE_NULL;
        if (arg->value->kind == GG_VALUE_VARIABLE)
            is_null = gg_val_is_null(gg_val_object_get(variables, arg->value->text));
        if (is_null && def->type->kind == GG_KIND_NON_NULL) {
            gg_error_at(errors, arg->value->loc, "Argument \"%s\" of non-null type \"%s\" must not be null.", def->name,
                        type_str(arena, def->type));
            return NULL;
        }
        gg_val *v = gg_value_from_ast(arena, arg->value, def->type, variables);
        if (v == NULL) {
            gg_buf b;
            gg_buf_init(&b);
            gg_print_value(&b, arg->value);
            gg_error_at(errors, arg->value->loc, "Argument \"%s\" has invalid value %s.", def->name,
                        b.data ? b.data : "");
            gg_buf_free(&b);
            return NULL;
        }
        gg_val_object_set(arena, out, def->name, v);
    }
    return out;
}

bool gg_directive_values(gg_arena *arena, const gg_directive_def *def, const gg_directive *directives,
                         unsigned directive_count, const gg_val *variables, gg_val **out, gg_error_list *errors)
{
    *out = NULL;
    for (unsigned i = 0; i < directive_count; i++) {
        if (strcmp(directives[i].name.value, def->name) != 0) continue;
        *out = gg_argument_values(arena, def->args, def->arg_count, directives[i].args, directives[i].arg_count,
                                  directives[i].loc, variables, errors);
        return *out != NULL;
    }
    return true;
}

/* ---- astFromValue ---- */

static bool is_integer_text(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0') return s[1] == '\0';
    if (*s < '1' || *s > '9') return false;
    while (*s >= '0' && *s <= '9')
        s++;
    return *s == '\0';
}

static gg_value *new_literal(gg_arena *arena, gg_value_kind kind, const char *text, size_t len)
{
    gg_value *n = gg_arena_alloc(arena, sizeof *n);
    n->kind = kind;
    n->text = text;
    n->len = len;
    return n;
}

/* graphql-js throws a TypeError (or the scalar's own error) where fault is set here. */
static gg_value *ast_from_value(gg_arena *arena, const gg_val *value, const gg_type *type, gg_fault *fault)
{
    if (type->kind == GG_KIND_NON_NULL) {
        gg_value *ast = ast_from_value(arena, value, type->of_type, fault);
        return ast && ast->kind == GG_VALUE_NULL ? NULL : ast;
    }
    if (value == NULL || value->kind == GG_VAL_UNDEFINED) return NULL;
    if (value->kind == GG_VAL_NULL) return new_literal(arena, GG_VALUE_NULL, NULL, 0);
    if (type->kind == GG_KIND_LIST) {
        if (value->kind != GG_VAL_LIST) return ast_from_value(arena, value, type->of_type, fault);
        gg_value *n = new_literal(arena, GG_VALUE_LIST, NULL, 0);
        n->items = gg_arena_array(arena, value->count ? value->count : 1, sizeof *n->items);
        for (unsigned i = 0; i < value->count && !gg_fault_is_set(fault); i++) {
            gg_value *item = ast_from_value(arena, value->items[i], type->of_type, fault);
            if (item != NULL) n->items[n->item_count++] = item;
        }
        return n;
    }
    if (type->kind == GG_KIND_INPUT_OBJECT) {
        if (value->kind != GG_VAL_OBJECT) return NULL;
        gg_value *n = new_literal(arena, GG_VALUE_OBJECT, NULL, 0);
        n->fields = gg_arena_array(arena, type->input_field_count ? type->input_field_count : 1, sizeof *n->fields);
        for (unsigned i = 0; i < type->input_field_count && !gg_fault_is_set(fault); i++) {
            const gg_input_value *f = &type->input_fields[i];
            gg_value *fv = ast_from_value(arena, gg_val_object_get(value, f->name), f->type, fault);
            if (fv == NULL) continue;
            gg_object_field *of = &n->fields[n->field_count++];
            of->name.value = f->name;
            of->value = fv;
        }
        return n;
    }
    /* leaf: serialise, then write the serialised value as a literal */
    const gg_val *serialized = value;
    if (type->kind == GG_KIND_ENUM) {
        const char *name = (value->kind == GG_VAL_ENUM || value->kind == GG_VAL_STRING) ? value->s : NULL;
        const gg_enum_value *ev = name ? gg_type_find_enum_value(type, name) : NULL;
        if (ev == NULL) {
            gg_fault_set_text(fault, NULL,
                              gg_arena_printf(arena, "Enum \"%s\" cannot represent value: %s", type->name,
                                              gg_val_inspect(arena, value)));
            return NULL;
        }
        return new_literal(arena, GG_VALUE_ENUM, ev->name, strlen(ev->name));
    }
    if (type->scalar != NULL && type->scalar->serialize != NULL) {
        gg_val *out = NULL;
        if (!type->scalar->serialize(arena, value, &out, fault)) {
            if (!gg_fault_is_set(fault)) gg_fault_set_text(fault, NULL, "Invalid value.");
            return NULL;
        }
        serialized = out;
    }
    if (gg_val_is_null(serialized)) return NULL;
    char num[32];
    switch (serialized->kind) {
    case GG_VAL_BOOL: {
        gg_value *n = new_literal(arena, GG_VALUE_BOOLEAN, NULL, 0);
        n->boolean = serialized->b;
        return n;
    }
    case GG_VAL_INT: {
        const char *t = gg_arena_printf(arena, "%lld", (long long)serialized->i);
        return new_literal(arena, GG_VALUE_INT, t, strlen(t));
    }
    case GG_VAL_FLOAT:
        if (isfinite(serialized->f)) {
            size_t len = gg_format_double(serialized->f, num);
            const char *t = gg_arena_strndup(arena, num, len);
            return new_literal(arena, is_integer_text(t) ? GG_VALUE_INT : GG_VALUE_FLOAT, t, len);
        }
        break;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        if (type->name != NULL && strcmp(type->name, "ID") == 0 && is_integer_text(serialized->s))
            return new_literal(arena, GG_VALUE_INT, serialized->s, serialized->len);
        return new_literal(arena, GG_VALUE_STRING, serialized->s, serialized->len);
    default:
        break;
    }
    gg_fault_set_text(fault, NULL,
                      gg_arena_printf(arena, "Cannot convert value to AST: %s.", gg_val_inspect(arena, serialized)));
    return NULL;
}

gg_value *gg_ast_from_value(gg_arena *arena, const gg_val *value, const gg_type *type, gg_fault *fault)
{
    gg_fault refusal = {0};
    gg_value *ast = ast_from_value(arena, value, type, &refusal);
    if (!gg_fault_is_set(&refusal)) return ast;
    if (fault != NULL) gg_fault_set_text(fault, refusal.error_type, refusal.message);
    return NULL;
}
