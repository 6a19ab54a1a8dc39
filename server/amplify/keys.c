/* keys.c: step 4a of the @model transform: @primaryKey and @index (the transformer's index
 * plugin). A custom primary key becomes the get query's arguments, the list query's key and
 * sortDirection arguments and the update/delete inputs' required key fields; the generated id
 * leaves the type and the inputs, the key fields leave the condition. An @index with a query
 * field becomes a Query field returning Model<T>Connection.
 *
 * Sort-key arguments use Model<Scalar>KeyConditionInput for one sort field (enums compare as
 * strings) and Model<T><Key>CompositeKeyConditionInput with Model<T><Key>CompositeKeyInput for
 * several. The keys were read and checked in step 1 (read_directives.c). */
#include "transform_internal.h"

#include <string.h>

const gg_field_def *amp_served_field(minfo *mi, const char *name)
{
    const gg_field_def *f = amp_object_field(mi->type, name);
    return f ? f : amp_user_field(mi, name);
}

/* The key-condition name of a sort key's type (enums compare as strings). */
static const char *key_condition_name(tx *t, const gg_type_ref *type)
{
    const char *b = amp_tr_base(type);
    const char *s = amp_base_scalar(b);
    return gg_arena_printf(t->s, "Model%sKeyConditionInput", s ? s : "String");
}

static void ensure_key_condition(tx *t, const char *name)
{
    if (amp_out_has(t, name)) return;
    const char *s = name + strlen("Model");
    size_t n = strlen(s) - strlen("KeyConditionInput");
    const char *scalar = gg_arena_strndup(t->s, s, n);
    bool str = strcmp(scalar, "String") == 0 || strcmp(scalar, "ID") == 0;
    odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, name);
    static const char *const ops[] = {"eq", "le", "lt", "ge", "gt"};
    for (int i = 0; i < 5; i++)
        amp_add_input_field(t, o, ops[i], amp_tr_named(t, scalar));
    amp_add_input_field(t, o, "between", amp_tr_list(t, amp_tr_named(t, scalar)));
    if (str) amp_add_input_field(t, o, "beginsWith", amp_tr_named(t, scalar));
}

/* The sort-key argument of a list/index query (NULL name when there is no sort key). */
gg_input_value_def amp_sort_key_arg(tx *t, minfo *mi, const strvec *sk, const char *key_name)
{
    if (sk->count == 1) {
        const gg_field_def *f = amp_served_field(mi, sk->items[0]);
        const char *cond = key_condition_name(t, f->type);
        ensure_key_condition(t, cond);
        return amp_ivd(sk->items[0], amp_tr_named(t, cond));
    }
    gg_buf camel;
    gg_buf_init(&camel);
    for (unsigned i = 0; i < sk->count; i++)
        gg_buf_puts(&camel, i ? amp_upper_first(t->s, sk->items[i]) : amp_lower_first(t->s, sk->items[i]));
    const char *arg = gg_arena_strdup(t->s, camel.data);
    gg_buf_free(&camel);
    const char *key = amp_upper_first(t->s, key_name);
    const char *cond = gg_arena_printf(t->s, "Model%s%sCompositeKeyConditionInput", mi->m->name, key);
    const char *input = gg_arena_printf(t->s, "Model%s%sCompositeKeyInput", mi->m->name, key);
    if (!amp_out_has(t, cond)) {
        odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, cond);
        static const char *const ops[] = {"eq", "le", "lt", "ge", "gt"};
        for (int i = 0; i < 5; i++)
            amp_add_input_field(t, o, ops[i], amp_tr_named(t, input));
        amp_add_input_field(t, o, "between", amp_tr_list(t, amp_tr_named(t, input)));
        amp_add_input_field(t, o, "beginsWith", amp_tr_named(t, input));
        odef *k = amp_out_add(t, GG_DEF_INPUT_OBJECT, input);
        for (unsigned i = 0; i < sk->count; i++) {
            const char *b = amp_tr_base(amp_served_field(mi, sk->items[i])->type);
            const char *s = amp_base_scalar(b);
            amp_add_input_field(t, k, sk->items[i], amp_tr_named(t, i + 1 == sk->count && s ? s : b));
        }
    }
    return amp_ivd(arg, amp_tr_named(t, cond));
}

void amp_primary_key_step(tx *t, minfo *mi)
{
    if (!mi->custom_pk) return;
    gg_amplify_model *m = mi->m;
    strvec keys = {0};
    GG_VEC_PUSH(t->s, keys, mi->pk);
    for (unsigned i = 0; i < mi->sk.count; i++)
        GG_VEC_PUSH(t->s, keys, mi->sk.items[i]);
    gg_field_def *get = amp_root_field(t->query, m->ops.get);
    if (get) {
        ivvec args = {0};
        for (unsigned i = 0; i < keys.count; i++)
            GG_VEC_PUSH(t->s, args,
                        amp_ivd(keys.items[i],
                                amp_tr_nn(t, amp_tr_named(t, amp_tr_base(amp_served_field(mi, keys.items[i])->type)))));
        get->args = args.items;
        get->arg_count = args.count;
    }
    gg_field_def *list = amp_root_field(t->query, m->ops.list);
    if (list) {
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd(mi->pk, amp_tr_named(t, amp_tr_base(amp_served_field(mi, mi->pk)->type))));
        if (mi->sk.count) GG_VEC_PUSH(t->s, args, amp_sort_key_arg(t, mi, &mi->sk, "Primary"));
        for (unsigned i = 0; i < list->arg_count; i++)
            GG_VEC_PUSH(t->s, args, list->args[i]);
        GG_VEC_PUSH(t->s, args, amp_ivd("sortDirection", amp_tr_named(t, "ModelSortDirection")));
        list->args = args.items;
        list->arg_count = args.count;
    } else if (mi->sk.count) {
        amp_sort_key_arg(t, mi, &mi->sk, "Primary");
    }
    if (!mi->declares_id) amp_object_remove(mi->type, "id");
    if (mi->create_in) amp_input_remove(mi->create_in, "id");
    if (mi->update_in) {
        if (!mi->declares_id) amp_input_remove(mi->update_in, "id");
        for (unsigned i = 0; i < mi->update_in->inputs.count; i++) {
            gg_input_value_def *f = &mi->update_in->inputs.items[i];
            bool key = false;
            for (unsigned k = 0; k < keys.count; k++)
                key = key || strcmp(keys.items[k], f->name.value) == 0;
            if (key)
                f->type = amp_tr_nn(t, amp_tr_named(t, amp_tr_base(f->type)));
            else if (strcmp(f->name.value, "id") == 0)
                f->type = amp_tr_copy(t, f->type, NULL, true);
        }
    }
    if (mi->delete_in) {
        ivvec fields = {0};
        for (unsigned k = 0; k < keys.count; k++)
            GG_VEC_PUSH(t->s, fields,
                        amp_ivd(keys.items[k],
                                amp_tr_nn(t, amp_tr_named(t, amp_tr_base(amp_served_field(mi, keys.items[k])->type)))));
        for (unsigned i = 0; i < mi->delete_in->inputs.count; i++) {
            gg_input_value_def *f = &mi->delete_in->inputs.items[i];
            bool key = strcmp(f->name.value, "id") == 0 && strcmp(amp_tr_base(f->type), "ID") == 0;
            for (unsigned k = 0; k < keys.count; k++)
                key = key || strcmp(keys.items[k], f->name.value) == 0;
            if (!key) GG_VEC_PUSH(t->s, fields, *f);
        }
        mi->delete_in->inputs.items = fields.items;
        mi->delete_in->inputs.count = fields.count;
        mi->delete_in->inputs.cap = fields.cap;
    }
    if (mi->condition)
        for (unsigned k = 0; k < keys.count; k++)
            amp_input_remove(mi->condition, keys.items[k]);
}

void amp_index_step(tx *t, minfo *mi)
{
    for (unsigned i = 0; i < mi->indexes.count; i++) {
        const index_cfg *ix = &mi->indexes.items[i];
        if (ix->query_field == NULL) continue;
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd(ix->field, amp_tr_nn(t, amp_tr_named(t, amp_tr_base(ix->type)))));
        if (ix->sort.count) GG_VEC_PUSH(t->s, args, amp_sort_key_arg(t, mi, &ix->sort, ix->name));
        GG_VEC_PUSH(t->s, args, amp_ivd("sortDirection", amp_tr_named(t, "ModelSortDirection")));
        GG_VEC_PUSH(t->s, args,
                    amp_ivd("filter", amp_tr_named(t, gg_arena_printf(t->s, "Model%sFilterInput", mi->m->name))));
        GG_VEC_PUSH(t->s, args, amp_ivd("limit", amp_tr_named(t, "Int")));
        GG_VEC_PUSH(t->s, args, amp_ivd("nextToken", amp_tr_named(t, "String")));
        gg_field_def f = amp_op_field(t, ix->query_field, &args,
                                      amp_tr_named(t, gg_arena_printf(t->s, "Model%sConnection", mi->m->name)));
        dirvec dirs = {0};
        amp_sandbox_directives(t, mi, &dirs);
        f.directives = dirs.items;
        f.directive_count = dirs.count;
        amp_add_root_field(t, amp_root_type(t, GG_OP_QUERY), f, mi);
        amp_ensure_connection(t, mi, true);
        amp_ensure_filter(t, mi);
    }
}
