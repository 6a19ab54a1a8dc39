/* model_step.c: step 3 of the @model transform, per model (the transformer's model plugin): the
 * type's fields with id and the timestamps added, <Type>Input twins of the embedded object types
 * it uses, then queries (Model<T>Connection, enum filter inputs, Model<T>FilterInput, get, list,
 * sync), mutations (Model<T>ConditionInput, Create/Update/Delete<T>Input, create, update, delete),
 * subscriptions (ModelSubscription<T>FilterInput; onCreate/onUpdate/onDelete with @aws_subscribe,
 * only for mutations that exist) and the DataStore fields when sync is on.
 *
 * Design: definitions are added in the order the transformer adds them, which is the order they
 * print. The later steps (keys.c, relations.c, auth.c) edit what is made here through the odef
 * pointers kept in minfo. Connection and filter types are made on first need (the ensure_
 * functions), since @index query fields and relation fields need them too. */
#include "transform_internal.h"

#include <string.h>

static bool field_is_filterable(tx *t, const gg_field_def *f)
{
    const char *b = amp_tr_base(f->type);
    return amp_base_scalar(b) != NULL || amp_is_enum(t, b);
}

static void ensure_enum_inputs(tx *t, const fieldvec *fields)
{
    for (unsigned i = 0; i < fields->count; i++) {
        const gg_field_def *f = &fields->items[i];
        const char *b = amp_tr_base(f->type);
        if (!amp_is_enum(t, b)) continue;
        bool list = amp_tr_is_list(f->type);
        const char *name = gg_arena_printf(t->s, "Model%s%sInput", b, list ? "List" : "");
        if (amp_out_has(t, name)) continue;
        odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, name);
        amp_add_input_field(t, o, "eq", list ? amp_tr_list(t, amp_tr_named(t, b)) : amp_tr_named(t, b));
        amp_add_input_field(t, o, "ne", list ? amp_tr_list(t, amp_tr_named(t, b)) : amp_tr_named(t, b));
        if (list) {
            amp_add_input_field(t, o, "contains", amp_tr_named(t, b));
            amp_add_input_field(t, o, "notContains", amp_tr_named(t, b));
        }
    }
}

static const char *filter_input_for(tx *t, const gg_field_def *f, bool subscription)
{
    const char *b = amp_tr_base(f->type);
    if (amp_is_enum(t, b)) {
        if (subscription) return "ModelSubscriptionStringInput";
        return gg_arena_printf(t->s, "Model%s%sInput", b, amp_tr_is_list(f->type) ? "List" : "");
    }
    return gg_arena_printf(t->s, "Model%s%sInput", subscription ? "Subscription" : "", amp_base_scalar(b));
}

/* Model<T>FilterInput / Model<T>ConditionInput / ModelSubscription<T>FilterInput. */
static odef *make_filter(tx *t, const char *name, const fieldvec *fields, bool subscription)
{
    odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, name);
    for (unsigned i = 0; i < fields->count; i++)
        if (field_is_filterable(t, &fields->items[i]))
            amp_add_input_field(t, o, fields->items[i].name.value,
                                amp_tr_named(t, filter_input_for(t, &fields->items[i], subscription)));
    amp_add_input_field(t, o, "and", amp_tr_list(t, amp_tr_named(t, name)));
    amp_add_input_field(t, o, "or", amp_tr_list(t, amp_tr_named(t, name)));
    if (!subscription) amp_add_input_field(t, o, "not", amp_tr_named(t, name));
    if (t->opts.sync) amp_add_input_field(t, o, "_deleted", amp_tr_named(t, "ModelBooleanInput"));
    return o;
}

odef *amp_ensure_connection(tx *t, minfo *mi, bool with_started_at)
{
    const char *name = gg_arena_printf(t->s, "Model%sConnection", mi->m->name);
    odef *o = amp_out_find(t, name);
    if (o == NULL) {
        o = amp_out_add(t, GG_DEF_OBJECT, name);
        amp_add_object_field(t, o, amp_mk_field("items", amp_tr_nn(t, amp_tr_list(t, amp_tr_named(t, mi->m->name)))));
        amp_add_object_field(t, o, amp_mk_field("nextToken", amp_tr_named(t, "String")));
        if (with_started_at && t->opts.sync)
            amp_add_object_field(t, o, amp_mk_field("startedAt", amp_tr_named(t, "AWSTimestamp")));
    }
    mi->connection = o;
    return o;
}

odef *amp_ensure_filter(tx *t, minfo *mi)
{
    const char *name = gg_arena_printf(t->s, "Model%sFilterInput", mi->m->name);
    odef *o = amp_out_find(t, name);
    if (o == NULL) {
        ensure_enum_inputs(t, &mi->type->fields);
        o = make_filter(t, name, &mi->type->fields, false);
    }
    mi->filter = o;
    return o;
}

/* <Type>Input twins of the embedded (non-model) object types a type uses, recursively. */
static void make_nonmodel_inputs(tx *t, const fieldvec *fields)
{
    for (unsigned i = 0; i < fields->count; i++) {
        const char *b = amp_tr_base(fields->items[i].type);
        if (!amp_is_embedded(t, b)) continue;
        const char *name = gg_arena_printf(t->s, "%sInput", amp_upper_first(t->s, b));
        if (amp_out_has(t, name)) continue;
        odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, name);
        odef *src = amp_out_find(t, b);
        if (src == NULL) continue;
        for (unsigned k = 0; k < src->fields.count; k++) {
            const gg_field_def *f = &src->fields.items[k];
            const char *fb = amp_tr_base(f->type);
            const char *rename =
                amp_is_embedded(t, fb) ? gg_arena_printf(t->s, "%sInput", amp_upper_first(t->s, fb)) : NULL;
            if (amp_model_named(t, fb)) continue;
            amp_add_input_field(t, o, f->name.value, amp_tr_copy(t, f->type, rename, false));
        }
        make_nonmodel_inputs(t, &src->fields);
    }
}

/* Create/Update input fields: the type's declared fields without relation fields. */
static void fill_write_input(tx *t, minfo *mi, odef *o, const fieldvec *before, bool all_nullable)
{
    for (unsigned i = 0; i < before->count; i++) {
        const gg_field_def *f = &before->items[i];
        const char *b = amp_tr_base(f->type);
        if (amp_model_named(t, b)) continue;
        const char *rename = amp_is_embedded(t, b) ? gg_arena_printf(t->s, "%sInput", amp_upper_first(t->s, b)) : NULL;
        bool is_id = strcmp(f->name.value, "id") == 0;
        bool nullable = all_nullable; /* update: every field is optional but the id */
        if (is_id && (strcmp(b, "ID") == 0 || strcmp(b, "String") == 0))
            nullable = true; /* create: the server generates the id when absent */
        const char *ts[2] = {mi->m->created_at, mi->m->updated_at};
        for (int k = 0; k < 2; k++)
            if (ts[k] && strcmp(ts[k], f->name.value) == 0 &&
                (strcmp(b, "String") == 0 || strcmp(b, "AWSDateTime") == 0))
                nullable = true;
        gg_type_ref *type = amp_tr_copy(t, f->type, rename, nullable);
        if (all_nullable && is_id) type = amp_tr_nonnull(t, type);
        amp_add_input_field(t, o, f->name.value, type);
    }
    if (!mi->declares_id)
        amp_add_input_field(t, o, "id", all_nullable ? amp_tr_nn(t, amp_tr_named(t, "ID")) : amp_tr_named(t, "ID"));
    if (t->opts.sync) amp_add_input_field(t, o, "_version", amp_tr_named(t, "Int"));
}

static gg_directive subscribe_directive(tx *t, const char *mutation)
{
    gg_directive d = amp_dir_named("aws_subscribe");
    gg_argument *arg = gg_arena_alloc(t->s, sizeof *arg);
    arg->name.value = "mutations";
    gg_value *list = gg_arena_alloc(t->s, sizeof *list), *item = gg_arena_alloc(t->s, sizeof *item);
    item->kind = GG_VALUE_STRING;
    item->text = mutation;
    item->len = strlen(mutation);
    list->kind = GG_VALUE_LIST;
    list->items = gg_arena_alloc(t->s, sizeof *list->items);
    list->items[0] = item;
    list->item_count = 1;
    arg->value = list;
    d.args = arg;
    d.arg_count = 1;
    return d;
}

gg_field_def amp_op_field(tx *t, const char *name, const ivvec *args, gg_type_ref *type)
{
    gg_field_def f = amp_mk_field(name, type);
    f.args = args->items;
    f.arg_count = args->count;
    return f;
}

/* The model's own fields, then id and the timestamps when missing; `before` gets the fields as
 * declared (the create/update inputs and the condition are made from them). */
static void model_fields(tx *t, minfo *mi, fieldvec *before)
{
    gg_amplify_model *m = mi->m;
    odef *o = mi->type;
    for (unsigned i = 0; i < mi->ufields.count; i++)
        amp_add_object_field(t, o, amp_field_without_transformer_directives(t, &mi->ufields.items[i]));
    if (mi->def) amp_copy_kept_directives(t, &o->dirs, mi->def->directives, mi->def->directive_count);
    for (unsigned i = 0; i < o->fields.count; i++)
        GG_VEC_PUSH(t->s, *before, o->fields.items[i]);
    if (!amp_object_field(o, "id")) amp_add_object_field(t, o, amp_mk_field("id", amp_tr_nn(t, amp_tr_named(t, "ID"))));
    const char *ts[2] = {m->created_at, m->updated_at};
    for (int k = 0; k < 2; k++)
        if (ts[k] && !amp_object_field(o, ts[k]))
            amp_add_object_field(t, o, amp_mk_field(ts[k], amp_tr_nn(t, amp_tr_named(t, "AWSDateTime"))));
    make_nonmodel_inputs(t, &o->fields);
}

/* get/list/sync: the connection and filter inputs first, then the Query fields. */
static void model_queries(tx *t, minfo *mi)
{
    gg_amplify_model *m = mi->m;
    gg_field_def qf[3];
    unsigned nq = 0;
    if (m->ops.get) {
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd("id", amp_tr_nn(t, amp_tr_named(t, "ID"))));
        qf[nq++] = amp_op_field(t, m->ops.get, &args, amp_tr_named(t, m->name));
    }
    const char *filter_name = gg_arena_printf(t->s, "Model%sFilterInput", m->name);
    const char *conn_name = gg_arena_printf(t->s, "Model%sConnection", m->name);
    if (m->ops.list || m->ops.sync) {
        amp_ensure_connection(t, mi, true);
        amp_ensure_filter(t, mi);
    }
    const char *names[2] = {m->ops.list, m->ops.sync};
    for (int k = 0; k < 2; k++) {
        if (names[k] == NULL) continue;
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd("filter", amp_tr_named(t, filter_name)));
        GG_VEC_PUSH(t->s, args, amp_ivd("limit", amp_tr_named(t, "Int")));
        GG_VEC_PUSH(t->s, args, amp_ivd("nextToken", amp_tr_named(t, "String")));
        if (k == 1) GG_VEC_PUSH(t->s, args, amp_ivd("lastSync", amp_tr_named(t, "AWSTimestamp")));
        qf[nq++] = amp_op_field(t, names[k], &args, amp_tr_named(t, conn_name));
    }
    for (unsigned i = 0; i < nq; i++)
        amp_add_root_field(t, amp_root_type(t, GG_OP_QUERY), qf[i], mi);
}

/* Model<T>ConditionInput: the declared filterable fields except an ID-typed id, then the
 * timestamps (as strings). */
static void make_condition(tx *t, minfo *mi, const fieldvec *before)
{
    gg_amplify_model *m = mi->m;
    ensure_enum_inputs(t, before);
    mi->condition = make_filter(t, gg_arena_printf(t->s, "Model%sConditionInput", m->name), before, false);
    for (unsigned i = 0; i < mi->condition->inputs.count; i++)
        if (strcmp(mi->condition->inputs.items[i].name.value, "id") == 0 &&
            strcmp(amp_tr_base(mi->condition->inputs.items[i].type), "ModelIDInput") == 0) {
            amp_input_remove(mi->condition, "id");
            break;
        }
    const char *ts[2] = {m->created_at, m->updated_at};
    for (int k = 0; k < 2; k++)
        if (ts[k] && !amp_input_has(mi->condition, ts[k]))
            amp_add_input_field(t, mi->condition, ts[k], amp_tr_named(t, "ModelStringInput"));
}

/* create/update/delete: the condition and the three inputs, then the Mutation fields. */
static void model_mutations(tx *t, minfo *mi, const fieldvec *before)
{
    gg_amplify_model *m = mi->m;
    const char *cond_name = gg_arena_printf(t->s, "Model%sConditionInput", m->name);
    const char *mut[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    static const char *const prefix[3] = {"Create", "Update", "Delete"};
    gg_field_def mf[3];
    unsigned nm = 0;
    for (int k = 0; k < 3; k++) {
        if (mut[k] == NULL) continue;
        if (mi->condition == NULL) make_condition(t, mi, before);
        const char *in_name = gg_arena_printf(t->s, "%s%sInput", prefix[k], m->name);
        odef *in = amp_out_add(t, GG_DEF_INPUT_OBJECT, in_name);
        if (k == 2) {
            amp_add_input_field(t, in, "id", amp_tr_nn(t, amp_tr_named(t, "ID")));
            if (t->opts.sync) amp_add_input_field(t, in, "_version", amp_tr_named(t, "Int"));
            mi->delete_in = in;
        } else {
            fill_write_input(t, mi, in, before, k == 1);
            if (k == 0)
                mi->create_in = in;
            else
                mi->update_in = in;
        }
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd("input", amp_tr_nn(t, amp_tr_named(t, in_name))));
        GG_VEC_PUSH(t->s, args, amp_ivd("condition", amp_tr_named(t, cond_name)));
        mf[nm++] = amp_op_field(t, mut[k], &args, amp_tr_named(t, m->name));
    }
    for (unsigned i = 0; i < nm; i++)
        amp_add_root_field(t, amp_root_type(t, GG_OP_MUTATION), mf[i], mi);
}

/* onCreate/onUpdate/onDelete (only for mutations that exist): the subscription filter, then the
 * Subscription fields with @aws_subscribe. */
static void model_subscriptions(tx *t, minfo *mi)
{
    gg_amplify_model *m = mi->m;
    if (mi->no_subscriptions) return;
    const char *mut[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    const strvec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    fieldvec sf = {0};
    const char *sub_filter = gg_arena_printf(t->s, "ModelSubscription%sFilterInput", m->name);
    for (int k = 0; k < 3; k++) {
        if (mut[k] == NULL) continue;
        for (unsigned i = 0; i < subs[k]->count; i++) {
            if (mi->sub_filter == NULL) {
                ensure_enum_inputs(t, &mi->type->fields);
                mi->sub_filter = make_filter(t, sub_filter, &mi->type->fields, true);
            }
            ivvec args = {0};
            GG_VEC_PUSH(t->s, args, amp_ivd("filter", amp_tr_named(t, sub_filter)));
            gg_field_def f = amp_op_field(t, subs[k]->items[i], &args, amp_tr_named(t, m->name));
            gg_directive *d = gg_arena_alloc(t->s, sizeof *d);
            *d = subscribe_directive(t, mut[k]);
            f.directives = d;
            f.directive_count = 1;
            GG_VEC_PUSH(t->s, sf, f);
        }
    }
    for (unsigned i = 0; i < sf.count; i++)
        amp_add_root_field(t, amp_root_type(t, GG_OP_SUBSCRIPTION), sf.items[i], mi);
}

void amp_model_step(tx *t, minfo *mi)
{
    fieldvec before = {0};
    model_fields(t, mi, &before);
    model_queries(t, mi);
    model_mutations(t, mi, &before);
    model_subscriptions(t, mi);
    if (t->opts.sync) {
        odef *o = mi->type;
        amp_add_object_field(t, o, amp_mk_field("_version", amp_tr_nn(t, amp_tr_named(t, "Int"))));
        amp_add_object_field(t, o, amp_mk_field("_deleted", amp_tr_named(t, "Boolean")));
        amp_add_object_field(t, o, amp_mk_field("_lastChangedAt", amp_tr_nn(t, amp_tr_named(t, "AWSTimestamp"))));
    }
}
