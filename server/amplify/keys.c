/* keys.c: step 4a of the @model transform: @primaryKey and @index (the transformer's index
 * plugin). A custom primary key becomes the get query's arguments, the list query's key and
 * sortDirection arguments and the update/delete inputs' required key fields; the generated id
 * leaves the type and the inputs, the key fields leave the condition. An @index with a query
 * field becomes a Query field returning Model<name>Connection.
 *
 * Sort-key arguments use Model<Scalar>KeyConditionInput for one sort field (enums compare as
 * strings) and Model<name><Key>CompositeKeyConditionInput with Model<name><Key>CompositeKeyInput
 * for several. The keys were read and checked in step 1 (read_directives.c).
 *
 * <name> is the model's name as written: the index plugin does not upper-case it, so type todo
 * gets ModeltodoConnection and ModeltodoFilterInput for its index queries besides the model's
 * ModelTodo... types, and its key fields stay in ModelTodoConditionInput (the plugin looks for
 * ModeltodoConditionInput). */
#include "transform_internal.h"

#include <string.h>

const gg_field_def *gg_amplify_served_field(model_info *mi, const char *name)
{
    const gg_field_def *f = gg_amplify_object_field(mi->type, name);
    return f ? f : gg_amplify_user_field(mi, name);
}

/* The key-condition name of a sort key's type (enums compare as strings). */
static const char *key_condition_name(transform_state *t, const gg_type_ref *type)
{
    const char *b = gg_amplify_type_base_name(type);
    const char *s = gg_amplify_base_scalar(b);
    return gg_arena_printf(t->scratch_arena, "Model%sKeyConditionInput", s ? s : "String");
}

static void ensure_key_condition(transform_state *t, const char *name)
{
    if (gg_amplify_output_has(t, name)) return;
    const char *s = name + strlen("Model");
    size_t n = strlen(s) - strlen("KeyConditionInput");
    const char *scalar = gg_arena_strndup(t->scratch_arena, s, n);
    bool str = strcmp(scalar, "String") == 0 || strcmp(scalar, "ID") == 0;
    output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, name);
    static const char *const ops[] = {"eq", "le", "lt", "ge", "gt"};
    for (int i = 0; i < 5; i++)
        gg_amplify_add_input_field(t, o, ops[i], gg_amplify_type_named(t, scalar));
    gg_amplify_add_input_field(t, o, "between", gg_amplify_type_list(t, gg_amplify_type_named(t, scalar)));
    if (str) gg_amplify_add_input_field(t, o, "beginsWith", gg_amplify_type_named(t, scalar));
}

/* The sort-key argument of a list/index query (NULL name when there is no sort key). */
gg_input_value_def gg_amplify_sort_key_argument(transform_state *t, model_info *mi, const string_vec *sort_key_fields,
                                                const char *key_name)
{
    if (sort_key_fields->count == 1) {
        const gg_field_def *f = gg_amplify_served_field(mi, sort_key_fields->items[0]);
        const char *condition_name = key_condition_name(t, f->type);
        ensure_key_condition(t, condition_name);
        return gg_amplify_input_value_definition(sort_key_fields->items[0], gg_amplify_type_named(t, condition_name));
    }
    gg_buf camel;
    gg_buf_init(&camel);
    for (unsigned i = 0; i < sort_key_fields->count; i++)
        gg_buf_puts(&camel, i ? gg_amplify_upper_first(t->scratch_arena, sort_key_fields->items[i])
                              : gg_amplify_lower_first(t->scratch_arena, sort_key_fields->items[i]));
    const char *arg = gg_arena_strdup(t->scratch_arena, camel.data);
    gg_buf_free(&camel);
    const char *key = gg_amplify_upper_first(t->scratch_arena, key_name);
    const char *condition_name =
        gg_arena_printf(t->scratch_arena, "Model%s%sCompositeKeyConditionInput", mi->model->name, key);
    const char *input = gg_arena_printf(t->scratch_arena, "Model%s%sCompositeKeyInput", mi->model->name, key);
    if (!gg_amplify_output_has(t, condition_name)) {
        output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, condition_name);
        static const char *const ops[] = {"eq", "le", "lt", "ge", "gt"};
        for (int i = 0; i < 5; i++)
            gg_amplify_add_input_field(t, o, ops[i], gg_amplify_type_named(t, input));
        gg_amplify_add_input_field(t, o, "between", gg_amplify_type_list(t, gg_amplify_type_named(t, input)));
        gg_amplify_add_input_field(t, o, "beginsWith", gg_amplify_type_named(t, input));
        output_definition *k = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, input);
        for (unsigned i = 0; i < sort_key_fields->count; i++) {
            const char *b = gg_amplify_type_base_name(gg_amplify_served_field(mi, sort_key_fields->items[i])->type);
            const char *s = gg_amplify_base_scalar(b);
            gg_amplify_add_input_field(t, k, sort_key_fields->items[i],
                                       gg_amplify_type_named(t, i + 1 == sort_key_fields->count && s ? s : b));
        }
    }
    return gg_amplify_input_value_definition(arg, gg_amplify_type_named(t, condition_name));
}

void gg_amplify_primary_key_step(transform_state *t, model_info *mi)
{
    if (!mi->custom_partition_key) return;
    gg_amplify_model *m = mi->model;
    string_vec keys = {0};
    GG_VEC_PUSH(t->scratch_arena, keys, mi->partition_key);
    for (unsigned i = 0; i < mi->sort_key.count; i++)
        GG_VEC_PUSH(t->scratch_arena, keys, mi->sort_key.items[i]);
    gg_field_def *get = gg_amplify_root_field(t->query, m->ops.get);
    if (get) {
        input_value_vec args = {0};
        for (unsigned i = 0; i < keys.count; i++)
            GG_VEC_PUSH(t->scratch_arena, args,
                        gg_amplify_input_value_definition(
                            keys.items[i],
                            gg_amplify_type_non_null(
                                t, gg_amplify_type_named(t, gg_amplify_type_base_name(
                                                                gg_amplify_served_field(mi, keys.items[i])->type)))));
        get->args = args.items;
        get->arg_count = args.count;
    }
    gg_field_def *list = gg_amplify_root_field(t->query, m->ops.list);
    if (list) {
        input_value_vec args = {0};
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition(
                        mi->partition_key,
                        gg_amplify_type_named(
                            t, gg_amplify_type_base_name(gg_amplify_served_field(mi, mi->partition_key)->type))));
        if (mi->sort_key.count)
            GG_VEC_PUSH(t->scratch_arena, args, gg_amplify_sort_key_argument(t, mi, &mi->sort_key, "Primary"));
        for (unsigned i = 0; i < list->arg_count; i++)
            GG_VEC_PUSH(t->scratch_arena, args, list->args[i]);
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("sortDirection", gg_amplify_type_named(t, "ModelSortDirection")));
        list->args = args.items;
        list->arg_count = args.count;
    } else if (mi->sort_key.count) {
        gg_amplify_sort_key_argument(t, mi, &mi->sort_key, "Primary");
    }
    if (!mi->declares_id) gg_amplify_object_remove_field(mi->type, "id");
    if (mi->create_input) { /* a declared id stays, optional (clients may choose their ids), as the transformer does */
        if (!mi->declares_id) gg_amplify_input_remove_field(mi->create_input, "id");
        for (unsigned i = 0; mi->declares_id && i < mi->create_input->inputs.count; i++) {
            gg_input_value_def *f = &mi->create_input->inputs.items[i];
            if (strcmp(f->name.value, "id") == 0) f->type = gg_amplify_type_copy(t, f->type, NULL, true);
        }
    }
    if (mi->update_input) {
        if (!mi->declares_id) gg_amplify_input_remove_field(mi->update_input, "id");
        for (unsigned i = 0; i < mi->update_input->inputs.count; i++) {
            gg_input_value_def *f = &mi->update_input->inputs.items[i];
            bool key = false;
            for (unsigned k = 0; k < keys.count; k++)
                key = key || strcmp(keys.items[k], f->name.value) == 0;
            if (key)
                f->type = gg_amplify_type_non_null(t, gg_amplify_type_named(t, gg_amplify_type_base_name(f->type)));
            else if (strcmp(f->name.value, "id") == 0)
                f->type = gg_amplify_type_copy(t, f->type, NULL, true);
        }
    }
    if (mi->delete_input) {
        input_value_vec fields = {0};
        for (unsigned k = 0; k < keys.count; k++)
            GG_VEC_PUSH(t->scratch_arena, fields,
                        gg_amplify_input_value_definition(
                            keys.items[k],
                            gg_amplify_type_non_null(
                                t, gg_amplify_type_named(t, gg_amplify_type_base_name(
                                                                gg_amplify_served_field(mi, keys.items[k])->type)))));
        for (unsigned i = 0; i < mi->delete_input->inputs.count; i++) {
            gg_input_value_def *f = &mi->delete_input->inputs.items[i];
            bool key = strcmp(f->name.value, "id") == 0 && strcmp(gg_amplify_type_base_name(f->type), "ID") == 0;
            for (unsigned k = 0; k < keys.count; k++)
                key = key || strcmp(keys.items[k], f->name.value) == 0;
            if (!key) GG_VEC_PUSH(t->scratch_arena, fields, *f);
        }
        mi->delete_input->inputs.items = fields.items;
        mi->delete_input->inputs.count = fields.count;
        mi->delete_input->inputs.cap = fields.cap;
    }
    /* the index plugin looks for the condition by the name as written (Model<name>ConditionInput),
     * so for a lower-case name it finds none and the key fields stay in the model's */
    if (mi->condition && strcmp(mi->type_name, mi->model->name) == 0)
        for (unsigned k = 0; k < keys.count; k++)
            gg_amplify_input_remove_field(mi->condition, keys.items[k]);
}

void gg_amplify_index_step(transform_state *t, model_info *mi)
{
    for (unsigned i = 0; i < mi->indexes.count; i++) {
        const index_config *index = &mi->indexes.items[i];
        if (index->query_field == NULL) continue;
        input_value_vec args = {0};
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition(
                        index->field,
                        gg_amplify_type_non_null(t, gg_amplify_type_named(t, gg_amplify_type_base_name(index->type)))));
        if (index->sort.count)
            GG_VEC_PUSH(t->scratch_arena, args, gg_amplify_sort_key_argument(t, mi, &index->sort, index->name));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("sortDirection", gg_amplify_type_named(t, "ModelSortDirection")));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition(
                        "filter", gg_amplify_type_named(
                                      t, gg_arena_printf(t->scratch_arena, "Model%sFilterInput", mi->model->name))));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("limit", gg_amplify_type_named(t, "Int")));
        GG_VEC_PUSH(t->scratch_arena, args,
                    gg_amplify_input_value_definition("nextToken", gg_amplify_type_named(t, "String")));
        gg_field_def f = gg_amplify_operation_field(
            t, index->query_field, &args,
            gg_amplify_type_named(t, gg_arena_printf(t->scratch_arena, "Model%sConnection", mi->model->name)));
        directive_vec directives = {0};
        gg_amplify_sandbox_directives(t, mi, &directives);
        f.directives = directives.items;
        f.directive_count = directives.count;
        gg_amplify_add_root_field(t, gg_amplify_root_type(t, GG_OP_QUERY), f, mi);
        gg_amplify_ensure_written_name_types(t, mi, false);
    }
}
