/* model_step.c: step 3 of the @model transform, per model (the transformer's model plugin): the
 * type's fields with id and the timestamps added, <Type>Input twins of the embedded object types
 * it uses, then queries (Model<T>Connection, enum filter inputs, Model<T>FilterInput, get, list,
 * sync), mutations (Model<T>ConditionInput, Create/Update/Delete<T>Input, create, update, delete),
 * subscriptions (ModelSubscription<T>FilterInput; onCreate/onUpdate/onDelete with @aws_subscribe,
 * only for mutations that exist) and the DataStore fields when sync is on.
 *
 * <T> is the model's type name (gg_amplify_model_type_name: todo -> Todo). The connection and
 * filter of @index query fields and relation fields take the name as written instead, as the index
 * and relational plugins name them (gg_amplify_ensure_written_name_types): for a name with a
 * lower-case first letter these are types of their own (Modeltodo...).
 *
 * Design: definitions are added in the order the transformer adds them, which is the order they
 * print. The later steps (keys.c, relations.c, auth.c) edit what is made here through the output_definition
 * pointers kept in model_info. Connection and filter types are made on first need (the ensure_
 * functions), since @index query fields and relation fields need them too. */
#include "transform_internal.h"

#include <string.h>

static bool field_is_filterable(transform_state *t, const gg_field_def *f)
{
    const char *b = gg_amplify_type_base_name(f->type);
    return gg_amplify_base_scalar(b) != NULL || gg_amplify_is_enum(t, b);
}

/* Whether an enum field is filtered as a list (Model<E>ListInput). The transformer's FieldWrapper
 * tests a non-null type with graphql-js's isListType, which is false for an AST node, so only a
 * nullable list counts: [Role] and [Role!] take ModelRoleListInput, [Role]! and [Role!]! take
 * ModelRoleInput, and AppSync serves that. */
static bool enum_filtered_as_list(const gg_field_def *f)
{
    return f->type->kind == GG_TYPE_REF_LIST;
}

static void ensure_enum_inputs(transform_state *t, const field_vec *fields)
{
    for (unsigned i = 0; i < fields->count; i++) {
        const gg_field_def *f = &fields->items[i];
        const char *b = gg_amplify_type_base_name(f->type);
        if (!gg_amplify_is_enum(t, b)) continue;
        bool list = enum_filtered_as_list(f);
        const char *name = gg_arena_printf(t->scratch_arena, "Model%s%sInput", b, list ? "List" : "");
        if (gg_amplify_output_has(t, name)) continue;
        output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, name);
        gg_amplify_add_input_field(
            t, o, "eq", list ? gg_amplify_type_list(t, gg_amplify_type_named(t, b)) : gg_amplify_type_named(t, b));
        gg_amplify_add_input_field(
            t, o, "ne", list ? gg_amplify_type_list(t, gg_amplify_type_named(t, b)) : gg_amplify_type_named(t, b));
        if (list) {
            gg_amplify_add_input_field(t, o, "contains", gg_amplify_type_named(t, b));
            gg_amplify_add_input_field(t, o, "notContains", gg_amplify_type_named(t, b));
        }
    }
}

static const char *filter_input_for(transform_state *t, const gg_field_def *f, bool subscription)
{
    const char *b = gg_amplify_type_base_name(f->type);
    if (gg_amplify_is_enum(t, b)) {
        if (subscription) return "ModelSubscriptionStringInput";
        return gg_arena_printf(t->scratch_arena, "Model%s%sInput", b, enum_filtered_as_list(f) ? "List" : "");
    }
    return gg_arena_printf(t->scratch_arena, "Model%s%sInput", subscription ? "Subscription" : "",
                           gg_amplify_base_scalar(b));
}

/* Model<T>FilterInput / Model<T>ConditionInput / ModelSubscription<T>FilterInput. */
static output_definition *make_filter(transform_state *t, const char *name, const field_vec *fields, bool subscription,
                                      bool sync)
{
    output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, name);
    for (unsigned i = 0; i < fields->count; i++)
        if (field_is_filterable(t, &fields->items[i]))
            gg_amplify_add_input_field(t, o, fields->items[i].name.value,
                                       gg_amplify_type_named(t, filter_input_for(t, &fields->items[i], subscription)));
    gg_amplify_add_input_field(t, o, "and", gg_amplify_type_list(t, gg_amplify_type_named(t, name)));
    gg_amplify_add_input_field(t, o, "or", gg_amplify_type_list(t, gg_amplify_type_named(t, name)));
    if (!subscription) gg_amplify_add_input_field(t, o, "not", gg_amplify_type_named(t, name));
    if (sync) gg_amplify_add_input_field(t, o, "_deleted", gg_amplify_type_named(t, "ModelBooleanInput"));
    return o;
}

/* Model<name>Connection of the model's type (unless the document has it): items, nextToken and
 * (with_started_at, for a synced model) startedAt. */
static output_definition *ensure_connection_named(transform_state *t, model_info *mi, const char *name,
                                                  bool with_started_at)
{
    const char *connection = gg_arena_printf(t->scratch_arena, "Model%sConnection", name);
    output_definition *o = gg_amplify_output_find(t, connection);
    if (o == NULL) {
        o = gg_amplify_output_add(t, GG_DEF_OBJECT, connection);
        gg_amplify_add_object_field(
            t, o,
            gg_amplify_field_definition(
                "items",
                gg_amplify_type_non_null(t, gg_amplify_type_list(t, gg_amplify_type_named(t, mi->model->name)))));
        gg_amplify_add_object_field(t, o, gg_amplify_field_definition("nextToken", gg_amplify_type_named(t, "String")));
        if (with_started_at && mi->model->sync)
            gg_amplify_add_object_field(
                t, o, gg_amplify_field_definition("startedAt", gg_amplify_type_named(t, "AWSTimestamp")));
    }
    return o;
}

output_definition *gg_amplify_ensure_connection(transform_state *t, model_info *mi, bool with_started_at)
{
    mi->connection = ensure_connection_named(t, mi, mi->type_name, with_started_at);
    return mi->connection;
}

output_definition *gg_amplify_ensure_filter(transform_state *t, model_info *mi)
{
    const char *name = gg_arena_printf(t->scratch_arena, "Model%sFilterInput", mi->type_name);
    output_definition *o = gg_amplify_output_find(t, name);
    if (o == NULL) {
        ensure_enum_inputs(t, &mi->type->fields);
        o = make_filter(t, name, &mi->type->fields, false, mi->model->sync);
    }
    mi->filter = o;
    return o;
}

void gg_amplify_ensure_written_name_types(transform_state *t, model_info *mi, bool relation)
{
    if (strcmp(mi->type_name, mi->model->name) == 0) {
        gg_amplify_ensure_connection(t, mi, !relation);
        gg_amplify_ensure_filter(t, mi);
        return;
    }
    ensure_connection_named(t, mi, mi->model->name, false);
    const char *filter = gg_arena_printf(t->scratch_arena, "Model%sFilterInput", mi->model->name);
    if (gg_amplify_output_find(t, filter) == NULL) {
        ensure_enum_inputs(t, &mi->user_fields);
        make_filter(t, filter, &mi->user_fields, false, relation && mi->model->sync);
    }
}

/* <Type>Input twins of the embedded (non-model) object types a type uses, recursively. */
static void make_nonmodel_inputs(transform_state *t, const field_vec *fields)
{
    for (unsigned i = 0; i < fields->count; i++) {
        const char *b = gg_amplify_type_base_name(fields->items[i].type);
        if (!gg_amplify_is_embedded(t, b)) continue;
        const char *name = gg_arena_printf(t->scratch_arena, "%sInput", gg_amplify_upper_first(t->scratch_arena, b));
        if (gg_amplify_output_has(t, name)) continue;
        output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, name);
        output_definition *src = gg_amplify_output_find(t, b);
        if (src == NULL) continue;
        for (unsigned k = 0; k < src->fields.count; k++) {
            const gg_field_def *f = &src->fields.items[k];
            const char *base_name = gg_amplify_type_base_name(f->type);
            const char *rename =
                gg_amplify_is_embedded(t, base_name)
                    ? gg_arena_printf(t->scratch_arena, "%sInput", gg_amplify_upper_first(t->scratch_arena, base_name))
                    : NULL;
            if (gg_amplify_model_info_named(t, base_name)) continue;
            gg_amplify_add_input_field(t, o, f->name.value, gg_amplify_type_copy(t, f->type, rename, false));
        }
        make_nonmodel_inputs(t, &src->fields);
    }
}

/* Whether field name is part of the model's primary key (read in step 1). */
static bool is_key_field(const model_info *mi, const char *name)
{
    if (strcmp(name, mi->partition_key) == 0) return true;
    for (unsigned i = 0; i < mi->sort_key.count; i++)
        if (strcmp(name, mi->sort_key.items[i]) == 0) return true;
    return false;
}

/* Whether the declared field name carries @readOnly (graphgate's): the database writes it. */
static bool is_read_only(const model_info *mi, const char *name)
{
    const gg_field_def *declared = gg_amplify_user_field(mi, name);
    return declared && gg_amplify_find_directive(declared->directives, declared->directive_count, "readOnly");
}

/* Create/Update input fields: the type's declared fields without relation fields, and without
 * @readOnly ones (an update keeps those of the key: they name the row). */
static void fill_write_input(transform_state *t, model_info *mi, output_definition *o, const field_vec *before,
                             bool all_nullable)
{
    for (unsigned i = 0; i < before->count; i++) {
        const gg_field_def *f = &before->items[i];
        const char *b = gg_amplify_type_base_name(f->type);
        if (gg_amplify_model_info_named(t, b)) continue;
        if (is_read_only(mi, f->name.value) && !(all_nullable && is_key_field(mi, f->name.value))) continue;
        const char *rename = gg_amplify_is_embedded(t, b) ? gg_arena_printf(t->scratch_arena, "%sInput",
                                                                            gg_amplify_upper_first(t->scratch_arena, b))
                                                          : NULL;
        bool is_id = strcmp(f->name.value, "id") == 0;
        bool nullable = all_nullable; /* update: every field is optional but the id */
        if (is_id && (strcmp(b, "ID") == 0 || strcmp(b, "String") == 0))
            nullable = true; /* create: the server generates the id when absent */
        const char *timestamps[2] = {mi->model->created_at, mi->model->updated_at};
        for (int k = 0; k < 2; k++)
            if (timestamps[k] && strcmp(timestamps[k], f->name.value) == 0 &&
                (strcmp(b, "String") == 0 || strcmp(b, "AWSDateTime") == 0))
                nullable = true;
        gg_type_ref *type = gg_amplify_type_copy(t, f->type, rename, nullable);
        if (all_nullable && is_id) type = gg_amplify_type_copy_non_null(t, type);
        gg_amplify_add_input_field(t, o, f->name.value, type);
    }
    if (!mi->declares_id)
        gg_amplify_add_input_field(t, o, "id",
                                   all_nullable ? gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"))
                                                : gg_amplify_type_named(t, "ID"));
    if (mi->model->sync) gg_amplify_add_input_field(t, o, "_version", gg_amplify_type_named(t, "Int"));
}

static gg_directive subscribe_directive(transform_state *t, const char *mutation)
{
    gg_directive d = gg_amplify_directive_named("aws_subscribe");
    gg_argument *arg = gg_arena_alloc(t->scratch_arena, sizeof *arg);
    arg->name.value = "mutations";
    gg_value *list = gg_arena_alloc(t->scratch_arena, sizeof *list),
             *item = gg_arena_alloc(t->scratch_arena, sizeof *item);
    item->kind = GG_VALUE_STRING;
    item->text = mutation;
    item->len = strlen(mutation);
    list->kind = GG_VALUE_LIST;
    list->items = gg_arena_alloc(t->scratch_arena, sizeof *list->items);
    list->items[0] = item;
    list->item_count = 1;
    arg->value = list;
    d.args = arg;
    d.arg_count = 1;
    return d;
}

gg_field_def gg_amplify_operation_field(transform_state *t, const char *name, const input_value_vec *args,
                                        gg_type_ref *type)
{
    gg_field_def f = gg_amplify_field_definition(name, type);
    f.args = args->items;
    f.arg_count = args->count;
    return f;
}

/* The model's own fields, then id and the timestamps when missing; `before` gets the fields as
 * declared (the create/update inputs and the condition are made from them). */
static void model_fields(transform_state *t, model_info *mi, field_vec *before)
{
    gg_amplify_model *m = mi->model;
    output_definition *o = mi->type;
    for (unsigned i = 0; i < mi->user_fields.count; i++)
        gg_amplify_add_object_field(t, o,
                                    gg_amplify_field_without_transformer_directives(t, &mi->user_fields.items[i]));
    if (mi->def) gg_amplify_copy_kept_directives(t, &o->directives, mi->def->directives, mi->def->directive_count);
    for (unsigned i = 0; i < o->fields.count; i++)
        GG_VEC_PUSH(t->scratch_arena, *before, o->fields.items[i]);
    if (!gg_amplify_object_field(o, "id"))
        gg_amplify_add_object_field(
            t, o, gg_amplify_field_definition("id", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"))));
    const char *timestamps[2] = {m->created_at, m->updated_at};
    for (int k = 0; k < 2; k++)
        if (timestamps[k] && !gg_amplify_object_field(o, timestamps[k]))
            gg_amplify_add_object_field(
                t, o,
                gg_amplify_field_definition(timestamps[k],
                                            gg_amplify_type_non_null(t, gg_amplify_type_named(t, "AWSDateTime"))));
    make_nonmodel_inputs(t, &o->fields);
}

/* get/list/sync: the connection and filter inputs first, then the Query fields. */
static void model_queries(transform_state *t, model_info *mi)
{
    gg_amplify_model *m = mi->model;
    gg_field_def query_fields[3];
    unsigned query_count = 0;
    if (m->ops.get) {
        input_value_vec args = {0};
        GG_VEC_PUSH(
            t->scratch_arena, args,
            gg_amplify_input_value_definition("id", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"))));
        query_fields[query_count++] =
            gg_amplify_operation_field(t, m->ops.get, &args, gg_amplify_type_named(t, m->name));
    }
    const char *filter_name = gg_arena_printf(t->scratch_arena, "Model%sFilterInput", mi->type_name);
    const char *connection_name = gg_arena_printf(t->scratch_arena, "Model%sConnection", mi->type_name);
    if (m->ops.list || m->ops.sync) {
        gg_amplify_ensure_connection(t, mi, true);
        gg_amplify_ensure_filter(t, mi);
    }
    const char *names[2] = {m->ops.list, m->ops.sync};
    for (int k = 0; k < 2; k++) {
        if (names[k] == NULL) continue;
        input_value_vec args = {0};
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("filter", gg_amplify_type_named(t, filter_name)));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("limit", gg_amplify_type_named(t, "Int")));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("nextToken", gg_amplify_type_named(t, "String")));
        if (k == 1)
            GG_VEC_PUSH(t->scratch_arena, args,
                        gg_amplify_input_value_definition("lastSync", gg_amplify_type_named(t, "AWSTimestamp")));
        query_fields[query_count++] =
            gg_amplify_operation_field(t, names[k], &args, gg_amplify_type_named(t, connection_name));
    }
    for (unsigned i = 0; i < query_count; i++)
        gg_amplify_add_root_field(t, gg_amplify_root_type(t, GG_OP_QUERY), query_fields[i], mi);
}

/* Model<T>ConditionInput: the declared filterable fields except an ID-typed id, then the
 * timestamps (as strings). */
static void make_condition(transform_state *t, model_info *mi, const field_vec *before)
{
    gg_amplify_model *m = mi->model;
    ensure_enum_inputs(t, before);
    mi->condition = make_filter(t, gg_arena_printf(t->scratch_arena, "Model%sConditionInput", mi->type_name), before,
                                false, m->sync);
    for (unsigned i = 0; i < mi->condition->inputs.count; i++)
        if (strcmp(mi->condition->inputs.items[i].name.value, "id") == 0 &&
            strcmp(gg_amplify_type_base_name(mi->condition->inputs.items[i].type), "ModelIDInput") == 0) {
            gg_amplify_input_remove_field(mi->condition, "id");
            break;
        }
    const char *timestamps[2] = {m->created_at, m->updated_at};
    for (int k = 0; k < 2; k++)
        if (timestamps[k] && !gg_amplify_input_has_field(mi->condition, timestamps[k]))
            gg_amplify_add_input_field(t, mi->condition, timestamps[k], gg_amplify_type_named(t, "ModelStringInput"));
}

/* create/update/delete: the condition and the three inputs, then the Mutation fields. */
static void model_mutations(transform_state *t, model_info *mi, const field_vec *before)
{
    gg_amplify_model *m = mi->model;
    const char *condition_name = gg_arena_printf(t->scratch_arena, "Model%sConditionInput", mi->type_name);
    const char *mutation_names[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    static const char *const prefix[3] = {"Create", "Update", "Delete"};
    gg_field_def mutation_fields[3];
    unsigned mutation_count = 0;
    for (int k = 0; k < 3; k++) {
        if (mutation_names[k] == NULL) continue;
        if (mi->condition == NULL) make_condition(t, mi, before);
        const char *in_name = gg_arena_printf(t->scratch_arena, "%s%sInput", prefix[k], mi->type_name);
        output_definition *in = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, in_name);
        if (k == 2) {
            gg_amplify_add_input_field(t, in, "id", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID")));
            if (m->sync) gg_amplify_add_input_field(t, in, "_version", gg_amplify_type_named(t, "Int"));
            mi->delete_input = in;
        } else {
            fill_write_input(t, mi, in, before, k == 1);
            if (k == 0)
                mi->create_input = in;
            else
                mi->update_input = in;
        }
        input_value_vec args = {0};
        GG_VEC_PUSH(
            t->scratch_arena, args,
            gg_amplify_input_value_definition("input", gg_amplify_type_non_null(t, gg_amplify_type_named(t, in_name))));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("condition", gg_amplify_type_named(t, condition_name)));
        mutation_fields[mutation_count++] =
            gg_amplify_operation_field(t, mutation_names[k], &args, gg_amplify_type_named(t, m->name));
    }
    for (unsigned i = 0; i < mutation_count; i++)
        gg_amplify_add_root_field(t, gg_amplify_root_type(t, GG_OP_MUTATION), mutation_fields[i], mi);
}

/* onCreate/onUpdate/onDelete (only for mutations that exist): the subscription filter, then the
 * Subscription fields with @aws_subscribe. */
static void model_subscriptions(transform_state *t, model_info *mi)
{
    gg_amplify_model *m = mi->model;
    if (mi->no_subscriptions) return;
    const char *mutation_names[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    const string_vec *subscription_names[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    field_vec subscription_fields = {0};
    const char *subscription_filter_name =
        gg_arena_printf(t->scratch_arena, "ModelSubscription%sFilterInput", mi->type_name);
    for (int k = 0; k < 3; k++) {
        if (mutation_names[k] == NULL) continue;
        for (unsigned i = 0; i < subscription_names[k]->count; i++) {
            if (mi->subscription_filter == NULL) {
                ensure_enum_inputs(t, &mi->type->fields);
                mi->subscription_filter =
                    make_filter(t, subscription_filter_name, &mi->type->fields, true, mi->model->sync);
            }
            input_value_vec args = {0};
            GG_VEC_PUSH(
                t->scratch_arena, args,
                gg_amplify_input_value_definition("filter", gg_amplify_type_named(t, subscription_filter_name)));
            gg_field_def f = gg_amplify_operation_field(t, subscription_names[k]->items[i], &args,
                                                        gg_amplify_type_named(t, m->name));
            gg_directive *d = gg_arena_alloc(t->scratch_arena, sizeof *d);
            *d = subscribe_directive(t, mutation_names[k]);
            f.directives = d;
            f.directive_count = 1;
            GG_VEC_PUSH(t->scratch_arena, subscription_fields, f);
        }
    }
    for (unsigned i = 0; i < subscription_fields.count; i++)
        gg_amplify_add_root_field(t, gg_amplify_root_type(t, GG_OP_SUBSCRIPTION), subscription_fields.items[i], mi);
}

void gg_amplify_model_step(transform_state *t, model_info *mi)
{
    field_vec before = {0};
    model_fields(t, mi, &before);
    model_queries(t, mi);
    model_mutations(t, mi, &before);
    model_subscriptions(t, mi);
    if (mi->model->sync) {
        output_definition *o = mi->type;
        gg_amplify_add_object_field(
            t, o,
            gg_amplify_field_definition("_version", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "Int"))));
        gg_amplify_add_object_field(t, o, gg_amplify_field_definition("_deleted", gg_amplify_type_named(t, "Boolean")));
        gg_amplify_add_object_field(
            t, o,
            gg_amplify_field_definition("_lastChangedAt",
                                        gg_amplify_type_non_null(t, gg_amplify_type_named(t, "AWSTimestamp"))));
    }
}
