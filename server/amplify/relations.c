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

static const char *camel_case_of_three(transform_state *t, const char *a, const char *b, const char *c)
{
    return gg_arena_printf(t->catalog_arena, "%s%s%s", gg_amplify_lower_first(t->scratch_arena, a),
                           gg_amplify_upper_first(t->scratch_arena, b), gg_amplify_upper_first(t->scratch_arena, c));
}

const char **gg_amplify_string_array(transform_state *t, const string_vec *v)
{
    const char **r = gg_arena_array(t->catalog_arena, v->count ? v->count : 1, sizeof *r);
    for (unsigned i = 0; i < v->count; i++)
        r[i] = v->items[i];
    return r;
}

static gg_amplify_relation *new_relation(transform_state *t, relation_config *relation, const string_vec *local,
                                         const string_vec *remote)
{
    gg_amplify_relation *r = gg_arena_alloc(t->catalog_arena, sizeof *r);
    r->kind = relation->kind;
    r->target = relation->target;
    r->local_fields = gg_amplify_string_array(t, local);
    r->local_count = local->count;
    r->remote_fields = gg_amplify_string_array(t, remote);
    r->remote_count = remote->count;
    r->uses_references = relation->references.count > 0;
    r->uses_fields = relation->fields.count > 0;
    r->implicit_keys = !r->uses_references && !r->uses_fields;
    r->index_name = relation->index_name;
    r->limit = relation->limit;
    relation->out = r;
    return r;
}

void gg_amplify_primary_key_names(transform_state *t, const model_info *mi, string_vec *out)
{
    GG_VEC_PUSH(t->catalog_arena, *out, mi->partition_key);
    for (unsigned i = 0; i < mi->sort_key.count; i++)
        GG_VEC_PUSH(t->catalog_arena, *out, mi->sort_key.items[i]);
}

/* Adds an implicit foreign key (and its sort-key companions) the way the relational transformer
 * does: to the holder's type, create/update inputs, filter and condition, and to the
 * subscription filter of `sub_filter_model` (for @hasMany the transformer puts it on the
 * parent's, a quirk clients see). */
static void add_foreign_key(transform_state *t, model_info *holder, model_info *keyed, const char *model,
                            const char *field, bool non_null, model_info *sub_filter_model, string_vec *names)
{
    string_vec keys = {0};
    gg_amplify_primary_key_names(t, keyed, &keys);
    for (unsigned i = 0; i < keys.count; i++) {
        const char *name = camel_case_of_three(t, model, field, keys.items[i]);
        GG_VEC_PUSH(t->catalog_arena, *names, name);
        const gg_field_def *key_field = gg_amplify_served_field(keyed, keys.items[i]);
        const char *type = key_field ? gg_amplify_type_base_name(key_field->type) : "ID";
        const char *scalar = gg_amplify_base_scalar(type) ? gg_amplify_base_scalar(type) : "String";
        if (!gg_amplify_object_field(holder->type, name))
            gg_amplify_add_object_field(
                t, holder->type,
                gg_amplify_field_definition(name, non_null ? gg_amplify_type_non_null(t, gg_amplify_type_named(t, type))
                                                           : gg_amplify_type_named(t, type)));
        if (holder->create_input && !gg_amplify_input_has_field(holder->create_input, name))
            gg_amplify_add_input_field(t, holder->create_input, name,
                                       non_null ? gg_amplify_type_non_null(t, gg_amplify_type_named(t, type))
                                                : gg_amplify_type_named(t, type));
        if (holder->update_input && !gg_amplify_input_has_field(holder->update_input, name))
            gg_amplify_add_input_field(t, holder->update_input, name, gg_amplify_type_named(t, type));
        if (holder->filter && !gg_amplify_input_has_field(holder->filter, name))
            gg_amplify_add_input_field(
                t, holder->filter, name,
                gg_amplify_type_named(t, gg_arena_printf(t->scratch_arena, "Model%sInput", scalar)));
        if (holder->condition && !gg_amplify_input_has_field(holder->condition, name))
            gg_amplify_add_input_field(
                t, holder->condition, name,
                gg_amplify_type_named(t, gg_arena_printf(t->scratch_arena, "Model%sInput", scalar)));
        if (sub_filter_model->subscription_filter &&
            !gg_amplify_input_has_field(sub_filter_model->subscription_filter, name))
            gg_amplify_add_input_field(
                t, sub_filter_model->subscription_filter, name,
                gg_amplify_type_named(t, gg_arena_printf(t->scratch_arena, "ModelSubscription%sInput", scalar)));
    }
}

static const index_config *find_index(const model_info *mi, const char *name)
{
    for (unsigned i = 0; name && i < mi->indexes.count; i++)
        if (strcmp(mi->indexes.items[i].name, name) == 0) return &mi->indexes.items[i];
    return NULL;
}

/* Replaces a list relation field by its connection field. */
static void make_connection_field(transform_state *t, model_info *mi, relation_config *relation, model_info *target,
                                  const gg_input_value_def *sort_arg)
{
    gg_amplify_ensure_written_name_types(t, target, true);
    gg_field_def *f = gg_amplify_object_field(mi->type, relation->field->name.value);
    if (f == NULL) return;
    input_value_vec args = {0};
    if (sort_arg) GG_VEC_PUSH(t->scratch_arena, args, *sort_arg);
    GG_VEC_PUSH(t->scratch_arena, args,
                gg_amplify_input_value_definition(
                    "filter", gg_amplify_type_named(
                                  t, gg_arena_printf(t->scratch_arena, "Model%sFilterInput", target->model->name))));
    GG_VEC_PUSH(t->scratch_arena, args,
                gg_amplify_input_value_definition("sortDirection", gg_amplify_type_named(t, "ModelSortDirection")));
    GG_VEC_PUSH(t->scratch_arena, args, gg_amplify_input_value_definition("limit", gg_amplify_type_named(t, "Int")));
    GG_VEC_PUSH(t->scratch_arena, args,
                gg_amplify_input_value_definition("nextToken", gg_amplify_type_named(t, "String")));
    f->args = args.items;
    f->arg_count = args.count;
    f->type = gg_amplify_type_named(t, gg_arena_printf(t->scratch_arena, "Model%sConnection", target->model->name));
}

/* The related model's key a @hasMany reads through: its index indexName's partition and sort key
 * fields, or its primary key's fields without one. */
static void related_key_names(transform_state *t, model_info *target, const char *index_name, string_vec *out)
{
    const index_config *index = find_index(target, index_name);
    if (index == NULL) {
        gg_amplify_primary_key_names(t, target, out);
        return;
    }
    GG_VEC_PUSH(t->catalog_arena, *out, index->field);
    for (unsigned i = 0; i < index->sort.count; i++)
        GG_VEC_PUSH(t->catalog_arena, *out, index->sort.items[i]);
}

/* The connection field's condition on the related key's fields after the first (its sort key). */
static gg_input_value_def sort_key_condition(transform_state *t, model_info *target, const string_vec *key,
                                             const char *index_name)
{
    string_vec rest = {0};
    for (unsigned i = 1; i < key->count; i++)
        GG_VEC_PUSH(t->scratch_arena, rest, key->items[i]);
    return gg_amplify_sort_key_argument(t, target, &rest, index_name ? index_name : "Primary");
}

static void has_many_step(transform_state *t, model_info *mi, relation_config *relation)
{
    model_info *target = gg_amplify_model_info_named(t, relation->target);
    string_vec local = {0}, remote = {0};
    gg_input_value_def sort_arg, *sort = NULL;
    if (relation->references.count) {
        gg_amplify_primary_key_names(t, mi, &local);
        remote = relation->references;
    } else if (relation->fields.count) {
        local = relation->fields;
        related_key_names(t, target, relation->index_name, &remote);
        if (remote.count > relation->fields.count && relation->fields.count < 2) {
            sort_arg = sort_key_condition(t, target, &remote, relation->index_name);
            sort = &sort_arg;
        }
        if (remote.count < local.count)
            gg_amplify_fail(t, mi->def, relation->directive->loc,
                            "@hasMany on \"%s.%s\": %u fields given but the related key has %u.", mi->model->name,
                            relation->field->name.value, local.count, remote.count);
        else
            remote.count = local.count; /* the related key's remaining fields are its sort key (the argument above) */
    } else {
        gg_amplify_primary_key_names(t, mi, &local);
        add_foreign_key(t, target, mi, mi->model->name, relation->field->name.value,
                        relation->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &remote);
        /* With indexName: but no fields:, the transformer still adds the implicit key to the
         * schema, but the children are found through that index, its fields matched to this
         * model's primary key (@hasMany(indexName: "byCaller") reads callerId). */
        string_vec related = {0};
        related_key_names(t, target, relation->index_name, &related);
        if (find_index(target, relation->index_name) != NULL) {
            remote = (string_vec){0};
            for (unsigned i = 0; i < related.count && i < local.count; i++)
                GG_VEC_PUSH(t->catalog_arena, remote, related.items[i]);
            local.count = remote.count;
        }
        /* the connection field takes a condition on the sort key of that index or of the related
         * primary key, as with fields: (for the implicit key the transformer's resolver ignores it) */
        if (related.count > 1) {
            sort_arg = sort_key_condition(t, target, &related, relation->index_name);
            sort = &sort_arg;
        }
    }
    make_connection_field(t, mi, relation, target, sort);
    new_relation(t, relation, &local, &remote);
}

static void has_one_step(transform_state *t, model_info *mi, relation_config *relation)
{
    model_info *target = gg_amplify_model_info_named(t, relation->target);
    string_vec local = {0}, remote = {0};
    if (relation->references.count) {
        gg_amplify_primary_key_names(t, mi, &local);
        remote = relation->references;
    } else if (relation->fields.count) {
        local = relation->fields;
        gg_amplify_primary_key_names(t, target, &remote);
    } else {
        add_foreign_key(t, mi, target, mi->model->name, relation->field->name.value,
                        relation->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &local);
        gg_amplify_primary_key_names(t, target, &remote);
    }
    new_relation(t, relation, &local, &remote);
}

static void belongs_to_step(transform_state *t, model_info *mi, relation_config *relation)
{
    model_info *target = gg_amplify_model_info_named(t, relation->target);
    string_vec local = {0}, remote = {0};
    gg_amplify_primary_key_names(t, target, &remote);
    if (relation->references.count) {
        local = relation->references;
    } else if (relation->fields.count) {
        local = relation->fields;
    } else {
        /* the counterpart @hasMany/@hasOne on the target decides the key */
        const relation_config *back = NULL;
        for (unsigned i = 0; i < target->relations.count && !back; i++) {
            const relation_config *c = &target->relations.items[i];
            if ((c->kind == GG_AMPLIFY_HAS_MANY || c->kind == GG_AMPLIFY_HAS_ONE) &&
                strcmp(c->target, mi->model->name) == 0)
                back = c;
        }
        if (back == NULL) {
            gg_amplify_fail(t, mi->def, relation->directive ? relation->directive->loc : mi->loc,
                            "%s must have a relationship with %s in order to use @belongsTo.", target->model->name,
                            mi->model->name);
            return;
        }
        if (back->kind == GG_AMPLIFY_HAS_MANY) {
            string_vec keys = {0};
            gg_amplify_primary_key_names(t, target, &keys);
            for (unsigned i = 0; i < keys.count; i++)
                GG_VEC_PUSH(t->catalog_arena, local,
                            camel_case_of_three(t, target->model->name, back->field->name.value, keys.items[i]));
        } else {
            add_foreign_key(t, mi, target, mi->model->name, relation->field->name.value,
                            relation->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &local);
        }
    }
    if (local.count != remote.count)
        gg_amplify_fail(t, mi->def, relation->directive ? relation->directive->loc : mi->loc,
                        "@belongsTo on \"%s.%s\": %u key fields given but \"%s\" has %u.", mi->model->name,
                        relation->field->name.value, local.count, target->model->name, remote.count);
    new_relation(t, relation, &local, &remote);
}

static void many_to_many_step(transform_state *t, model_info *mi, relation_config *relation)
{
    model_info *join = gg_amplify_model_info_named(t, relation->relation_name);
    if (join == NULL || !join->model->is_join_model) return;
    bool a_side = join->join_a_model == mi;
    string_vec local = {0}, remote = {0};
    gg_amplify_primary_key_names(t, mi, &local);
    const string_vec *keys = a_side ? &join->join_a_keys : &join->join_b_keys;
    for (unsigned k = 0; k < keys->count; k++)
        GG_VEC_PUSH(t->catalog_arena, remote, keys->items[k]);
    make_connection_field(t, mi, relation, join, NULL);
    gg_amplify_relation *r = new_relation(t, relation, &local, &remote);
    r->join_model = join->model->name;
    r->join_local_field = a_side ? join->join_a_field : join->join_b_field;
    r->join_remote_field = a_side ? join->join_b_field : join->join_a_field;
}

void gg_amplify_relations_step(transform_state *t)
{
    static const gg_amplify_relation_kind order[] = {GG_AMPLIFY_HAS_MANY, GG_AMPLIFY_HAS_ONE, GG_AMPLIFY_MANY_TO_MANY,
                                                     GG_AMPLIFY_BELONGS_TO};
    for (int o = 0; o < 4; o++)
        for (unsigned i = 0; i < t->models.count; i++) {
            model_info *mi = t->models.items[i];
            for (unsigned r = 0; r < mi->relations.count; r++) {
                relation_config *relation = &mi->relations.items[r];
                if (relation->kind != order[o]) continue;
                switch (relation->kind) {
                case GG_AMPLIFY_HAS_MANY:
                    has_many_step(t, mi, relation);
                    break;
                case GG_AMPLIFY_HAS_ONE:
                    has_one_step(t, mi, relation);
                    break;
                case GG_AMPLIFY_MANY_TO_MANY:
                    many_to_many_step(t, mi, relation);
                    break;
                case GG_AMPLIFY_BELONGS_TO:
                    belongs_to_step(t, mi, relation);
                    break;
                }
            }
        }
}
