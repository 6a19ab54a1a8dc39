/* relations.c: step 4b of the @model transform: @hasMany, @hasOne, @manyToMany, then @belongsTo,
 * each over all models (the order of the relational transformer): list relation fields become
 * connection fields, implicit foreign keys are added when neither fields: nor references: is
 * given, and each relation gets its catalog entry (gg_amplify_relation: the key fields on both
 * sides).
 *
 * Design: an implicit foreign key is named <model><Field><KeyField> (camel case) and added as the
 * relational transformer does: to the holder's type, create/update inputs, filter and condition,
 * and to a subscription filter (for @hasMany the parent's, a quirk clients see). An implicit
 * @belongsTo takes its key from the counterpart @hasMany/@hasOne on the target. */
#include "transform_internal.h"

#include <string.h>

static const char *camel3(tx *t, const char *a, const char *b, const char *c)
{
    return gg_arena_printf(t->a, "%s%s%s", amp_lower_first(t->s, a), amp_upper_first(t->s, b),
                           amp_upper_first(t->s, c));
}

const char **amp_to_array(tx *t, const strvec *v)
{
    const char **r = gg_arena_array(t->a, v->count ? v->count : 1, sizeof *r);
    for (unsigned i = 0; i < v->count; i++)
        r[i] = v->items[i];
    return r;
}

static gg_amplify_relation *new_relation(tx *t, relation_cfg *rc, const strvec *local, const strvec *remote)
{
    gg_amplify_relation *r = gg_arena_alloc(t->a, sizeof *r);
    r->kind = rc->kind;
    r->target = rc->target;
    r->local_fields = amp_to_array(t, local);
    r->local_count = local->count;
    r->remote_fields = amp_to_array(t, remote);
    r->remote_count = remote->count;
    r->uses_references = rc->references.count > 0;
    r->uses_fields = rc->fields.count > 0;
    r->implicit_keys = !r->uses_references && !r->uses_fields;
    r->index_name = rc->index_name;
    r->limit = rc->limit;
    rc->out = r;
    return r;
}

void amp_pk_names(tx *t, const minfo *mi, strvec *out)
{
    GG_VEC_PUSH(t->a, *out, mi->pk);
    for (unsigned i = 0; i < mi->sk.count; i++)
        GG_VEC_PUSH(t->a, *out, mi->sk.items[i]);
}

/* Adds an implicit foreign key (and its sort-key companions) the way the relational transformer
 * does: to the holder's type, create/update inputs, filter and condition, and to the
 * subscription filter of `sub_filter_model` (for @hasMany the transformer puts it on the
 * parent's, a quirk clients see). */
static void add_foreign_key(tx *t, minfo *holder, minfo *keyed, const char *model, const char *field, bool non_null,
                            minfo *sub_filter_model, strvec *names)
{
    strvec keys = {0};
    amp_pk_names(t, keyed, &keys);
    for (unsigned i = 0; i < keys.count; i++) {
        const char *name = camel3(t, model, field, keys.items[i]);
        GG_VEC_PUSH(t->a, *names, name);
        const gg_field_def *kf = amp_served_field(keyed, keys.items[i]);
        const char *type = kf ? amp_tr_base(kf->type) : "ID";
        const char *scalar = amp_base_scalar(type) ? amp_base_scalar(type) : "String";
        if (!amp_object_field(holder->type, name))
            amp_add_object_field(
                t, holder->type,
                amp_mk_field(name, non_null ? amp_tr_nn(t, amp_tr_named(t, type)) : amp_tr_named(t, type)));
        if (holder->create_in && !amp_input_has(holder->create_in, name))
            amp_add_input_field(t, holder->create_in, name,
                                non_null ? amp_tr_nn(t, amp_tr_named(t, type)) : amp_tr_named(t, type));
        if (holder->update_in && !amp_input_has(holder->update_in, name))
            amp_add_input_field(t, holder->update_in, name, amp_tr_named(t, type));
        if (holder->filter && !amp_input_has(holder->filter, name))
            amp_add_input_field(t, holder->filter, name,
                                amp_tr_named(t, gg_arena_printf(t->s, "Model%sInput", scalar)));
        if (holder->condition && !amp_input_has(holder->condition, name))
            amp_add_input_field(t, holder->condition, name,
                                amp_tr_named(t, gg_arena_printf(t->s, "Model%sInput", scalar)));
        if (sub_filter_model->sub_filter && !amp_input_has(sub_filter_model->sub_filter, name))
            amp_add_input_field(t, sub_filter_model->sub_filter, name,
                                amp_tr_named(t, gg_arena_printf(t->s, "ModelSubscription%sInput", scalar)));
    }
}

static const index_cfg *find_index(const minfo *mi, const char *name)
{
    for (unsigned i = 0; name && i < mi->indexes.count; i++)
        if (strcmp(mi->indexes.items[i].name, name) == 0) return &mi->indexes.items[i];
    return NULL;
}

/* Replaces a list relation field by its connection field. */
static void make_connection_field(tx *t, minfo *mi, relation_cfg *rc, minfo *target, const gg_input_value_def *sort_arg)
{
    amp_ensure_connection(t, target, false);
    amp_ensure_filter(t, target);
    gg_field_def *f = amp_object_field(mi->type, rc->field->name.value);
    if (f == NULL) return;
    ivvec args = {0};
    if (sort_arg) GG_VEC_PUSH(t->s, args, *sort_arg);
    GG_VEC_PUSH(t->s, args,
                amp_ivd("filter", amp_tr_named(t, gg_arena_printf(t->s, "Model%sFilterInput", target->m->name))));
    GG_VEC_PUSH(t->s, args, amp_ivd("sortDirection", amp_tr_named(t, "ModelSortDirection")));
    GG_VEC_PUSH(t->s, args, amp_ivd("limit", amp_tr_named(t, "Int")));
    GG_VEC_PUSH(t->s, args, amp_ivd("nextToken", amp_tr_named(t, "String")));
    f->args = args.items;
    f->arg_count = args.count;
    f->type = amp_tr_named(t, gg_arena_printf(t->s, "Model%sConnection", target->m->name));
}

static void has_many_step(tx *t, minfo *mi, relation_cfg *rc)
{
    minfo *target = amp_model_named(t, rc->target);
    strvec local = {0}, remote = {0};
    gg_input_value_def sort_arg, *sort = NULL;
    if (rc->references.count) {
        amp_pk_names(t, mi, &local);
        remote = rc->references;
    } else if (rc->fields.count) {
        local = rc->fields;
        const index_cfg *ix = find_index(target, rc->index_name);
        if (ix) {
            GG_VEC_PUSH(t->a, remote, ix->field);
            for (unsigned i = 0; i < ix->sort.count; i++)
                GG_VEC_PUSH(t->a, remote, ix->sort.items[i]);
        } else {
            amp_pk_names(t, target, &remote);
        }
        if (remote.count > rc->fields.count && rc->fields.count < 2) {
            strvec rest = {0};
            for (unsigned i = 1; i < remote.count; i++)
                GG_VEC_PUSH(t->s, rest, remote.items[i]);
            sort_arg = amp_sort_key_arg(t, target, &rest, rc->index_name ? rc->index_name : "Primary");
            sort = &sort_arg;
        }
        if (remote.count < local.count)
            amp_fail(t, mi->def, rc->dir->loc, "@hasMany on \"%s.%s\": %u fields given but the related key has %u.",
                     mi->m->name, rc->field->name.value, local.count, remote.count);
        else
            remote.count = local.count; /* the related key's remaining fields are its sort key (the argument above) */
    } else {
        amp_pk_names(t, mi, &local);
        add_foreign_key(t, target, mi, mi->m->name, rc->field->name.value,
                        rc->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &remote);
    }
    make_connection_field(t, mi, rc, target, sort);
    new_relation(t, rc, &local, &remote);
}

static void has_one_step(tx *t, minfo *mi, relation_cfg *rc)
{
    minfo *target = amp_model_named(t, rc->target);
    strvec local = {0}, remote = {0};
    if (rc->references.count) {
        amp_pk_names(t, mi, &local);
        remote = rc->references;
    } else if (rc->fields.count) {
        local = rc->fields;
        amp_pk_names(t, target, &remote);
    } else {
        add_foreign_key(t, mi, target, mi->m->name, rc->field->name.value,
                        rc->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &local);
        amp_pk_names(t, target, &remote);
    }
    new_relation(t, rc, &local, &remote);
}

static void belongs_to_step(tx *t, minfo *mi, relation_cfg *rc)
{
    minfo *target = amp_model_named(t, rc->target);
    strvec local = {0}, remote = {0};
    amp_pk_names(t, target, &remote);
    if (rc->references.count) {
        local = rc->references;
    } else if (rc->fields.count) {
        local = rc->fields;
    } else {
        /* the counterpart @hasMany/@hasOne on the target decides the key */
        const relation_cfg *back = NULL;
        for (unsigned i = 0; i < target->relations.count && !back; i++) {
            const relation_cfg *c = &target->relations.items[i];
            if ((c->kind == GG_AMPLIFY_HAS_MANY || c->kind == GG_AMPLIFY_HAS_ONE) &&
                strcmp(c->target, mi->m->name) == 0)
                back = c;
        }
        if (back == NULL) {
            amp_fail(t, mi->def, rc->dir ? rc->dir->loc : mi->loc,
                     "%s must have a relationship with %s in order to use @belongsTo.", target->m->name, mi->m->name);
            return;
        }
        if (back->kind == GG_AMPLIFY_HAS_MANY) {
            strvec keys = {0};
            amp_pk_names(t, target, &keys);
            for (unsigned i = 0; i < keys.count; i++)
                GG_VEC_PUSH(t->a, local, camel3(t, target->m->name, back->field->name.value, keys.items[i]));
        } else {
            add_foreign_key(t, mi, target, mi->m->name, rc->field->name.value,
                            rc->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &local);
        }
    }
    if (local.count != remote.count)
        amp_fail(t, mi->def, rc->dir ? rc->dir->loc : mi->loc,
                 "@belongsTo on \"%s.%s\": %u key fields given but \"%s\" has %u.", mi->m->name, rc->field->name.value,
                 local.count, target->m->name, remote.count);
    new_relation(t, rc, &local, &remote);
}

static void many_to_many_step(tx *t, minfo *mi, relation_cfg *rc)
{
    minfo *join = amp_model_named(t, rc->relation_name);
    if (join == NULL || !join->m->is_join_model) return;
    bool a_side = join->join_a_model == mi;
    strvec local = {0}, remote = {0};
    amp_pk_names(t, mi, &local);
    GG_VEC_PUSH(t->a, remote, a_side ? join->join_a_field : join->join_b_field);
    make_connection_field(t, mi, rc, join, NULL);
    gg_amplify_relation *r = new_relation(t, rc, &local, &remote);
    r->join_model = join->m->name;
    r->join_local_field = a_side ? join->join_a_field : join->join_b_field;
    r->join_remote_field = a_side ? join->join_b_field : join->join_a_field;
}

void amp_relations_step(tx *t)
{
    static const gg_amplify_relation_kind order[] = {GG_AMPLIFY_HAS_MANY, GG_AMPLIFY_HAS_ONE, GG_AMPLIFY_MANY_TO_MANY,
                                                     GG_AMPLIFY_BELONGS_TO};
    for (int o = 0; o < 4; o++)
        for (unsigned i = 0; i < t->models.count; i++) {
            minfo *mi = t->models.items[i];
            for (unsigned r = 0; r < mi->relations.count; r++) {
                relation_cfg *rc = &mi->relations.items[r];
                if (rc->kind != order[o]) continue;
                switch (rc->kind) {
                case GG_AMPLIFY_HAS_MANY:
                    has_many_step(t, mi, rc);
                    break;
                case GG_AMPLIFY_HAS_ONE:
                    has_one_step(t, mi, rc);
                    break;
                case GG_AMPLIFY_MANY_TO_MANY:
                    many_to_many_step(t, mi, rc);
                    break;
                case GG_AMPLIFY_BELONGS_TO:
                    belongs_to_step(t, mi, rc);
                    break;
                }
            }
        }
}
