/* join_models.c: the end of step 1 of the @model transform: one join model per @manyToMany
 * relationName, named after it, after the user's models.
 *
 * A join model is made as a model_info with user fields, as if the user had written it, so the later
 * steps treat it like any model: id, the key fields of each side (<model><PartitionKey> and
 * <model><sortKey> for each sort key field, with 1/2 after <model> when a model is related to
 * itself), one @belongsTo field and one index per side (by<Model>, sorted by the side's sort key
 * fields, query field <plural>By<Key1>And<Key2>...), the default operation names and timestamps. It
 * allows what either side allows (both sides' @auth rules). A relationName must be used in
 * exactly two places and must not name an existing type. */
#include "transform_internal.h"

#include <string.h>

/* The join model's fields for one side's primary key, appended to its fields: the partition key
 * as <prefix><PartitionKey> (shelfRoom), each sort key field as <prefix><sortKey> (shelfno: the
 * transformer does not capitalize those), with the side's key types made non-null. */
static void add_side_keys(transform_state *t, model_info *j, model_info *side, const char *prefix, string_vec *keys,
                          const gg_type_ref **partition_type)
{
    for (unsigned k = 0; k <= side->sort_key.count; k++) {
        const char *key = k == 0 ? side->partition_key : side->sort_key.items[k - 1];
        const char *name =
            k == 0 ? gg_arena_printf(t->catalog_arena, "%s%s", prefix, gg_amplify_upper_first(t->catalog_arena, key))
                   : gg_arena_printf(t->catalog_arena, "%s%s", prefix, key);
        const gg_field_def *field = gg_amplify_user_field(side, key);
        gg_type_ref *type = field ? gg_amplify_type_copy_non_null(t, field->type)
                                  : gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"));
        if (k == 0) *partition_type = type;
        GG_VEC_PUSH(t->catalog_arena, *keys, name);
        GG_VEC_PUSH(t->catalog_arena, j->user_fields, gg_amplify_field_definition(name, type));
    }
}

/* One join model per @manyToMany relationName, named after it, after the user's models. */
void gg_amplify_make_join_models(transform_state *t)
{
    unsigned user_models = t->models.count;
    for (unsigned i = 0; i < user_models; i++) {
        model_info *mi = t->models.items[i];
        for (unsigned r = 0; r < mi->relations.count; r++) {
            relation_config *relation = &mi->relations.items[r];
            if (relation->kind != GG_AMPLIFY_MANY_TO_MANY || relation->relation_name == NULL ||
                gg_amplify_model_info_named(t, relation->relation_name))
                continue;
            /* find the other side */
            model_info *other = NULL;
            unsigned sides = 0;
            for (unsigned j = 0; j < user_models; j++)
                for (unsigned q = 0; q < t->models.items[j]->relations.count; q++) {
                    relation_config *c = &t->models.items[j]->relations.items[q];
                    if (c->kind == GG_AMPLIFY_MANY_TO_MANY && c->relation_name &&
                        strcmp(c->relation_name, relation->relation_name) == 0) {
                        sides++;
                        if (c != relation) {
                            other = t->models.items[j];
                        }
                    }
                }
            if (sides != 2 || other == NULL) {
                gg_amplify_fail(t, mi->def, relation->directive->loc,
                                "@manyToMany relation '%s' must be used in exactly two locations.",
                                relation->relation_name);
                continue;
            }
            if (gg_schema_find_type(t->schema, relation->relation_name)) {
                gg_amplify_fail(
                    t, mi->def, relation->directive->loc,
                    "@manyToMany relation name '%s' (derived from '%s') already exists as a type in the schema.",
                    relation->relation_name,
                    gg_amplify_string_value(t, gg_amplify_directive_argument(relation->directive, "relationName")));
                continue;
            }
            model_info *j = gg_amplify_new_model_info(t, relation->relation_name, mi->loc);
            j->model->is_join_model = true;
            j->join_a = mi->model->name;
            j->join_b = other->model->name;
            j->join_a_model = mi;
            j->join_b_model = other;
            j->join_a_relation = gg_amplify_lower_first(t->catalog_arena, mi->model->name);
            j->join_b_relation = gg_amplify_lower_first(t->catalog_arena, other->model->name);
            const char *a_prefix = j->join_a_relation, *b_prefix = j->join_b_relation;
            if (strcmp(j->join_a_relation, j->join_b_relation) == 0) { /* a model related to itself */
                j->join_a_relation = gg_arena_printf(t->catalog_arena, "%s1", j->join_a_relation);
                j->join_b_relation = gg_arena_printf(t->catalog_arena, "%s2", j->join_b_relation);
                a_prefix = j->join_a_relation;
                b_prefix = j->join_b_relation;
            }
            GG_VEC_PUSH(t->catalog_arena, j->user_fields,
                        gg_amplify_field_definition("id", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"))));
            const gg_type_ref *partition_types[2];
            add_side_keys(t, j, mi, a_prefix, &j->join_a_keys, &partition_types[0]);
            add_side_keys(t, j, other, b_prefix, &j->join_b_keys, &partition_types[1]);
            j->join_a_field = j->join_a_keys.items[0];
            j->join_b_field = j->join_b_keys.items[0];
            unsigned relation_fields = j->user_fields.count;
            GG_VEC_PUSH(
                t->catalog_arena, j->user_fields,
                gg_amplify_field_definition(j->join_a_relation,
                                            gg_amplify_type_non_null(t, gg_amplify_type_named(t, mi->model->name))));
            GG_VEC_PUSH(
                t->catalog_arena, j->user_fields,
                gg_amplify_field_definition(j->join_b_relation,
                                            gg_amplify_type_non_null(t, gg_amplify_type_named(t, other->model->name))));
            j->declares_id = true;
            j->partition_key = "id";
            const string_vec *side_keys[2] = {&j->join_a_keys, &j->join_b_keys};
            for (int s = 0; s < 2; s++) {
                const string_vec *keys = side_keys[s];
                index_config index = {.field = keys->items[0], .type = partition_types[s], .loc = mi->loc};
                for (unsigned k = 1; k < keys->count; k++)
                    GG_VEC_PUSH(t->catalog_arena, index.sort, keys->items[k]);
                index.name =
                    gg_arena_printf(t->catalog_arena, "by%s",
                                    gg_amplify_upper_first(t->catalog_arena, s ? other->model->name : mi->model->name));
                /* <plural>By<Key1>And<Key2>...: shelfGenresByShelfRoomAndShelfno */
                const char *query_field = gg_arena_printf(t->catalog_arena, "%sBy%s",
                                                          gg_amplify_lower_first(t->catalog_arena, j->model->plural),
                                                          gg_amplify_upper_first(t->catalog_arena, keys->items[0]));
                for (unsigned k = 1; k < keys->count; k++)
                    query_field = gg_arena_printf(t->catalog_arena, "%sAnd%s", query_field,
                                                  gg_amplify_upper_first(t->catalog_arena, keys->items[k]));
                index.query_field = query_field;
                GG_VEC_PUSH(t->catalog_arena, j->indexes, index);
            }
            for (int s = 0; s < 2; s++) {
                relation_config b = {
                    .kind = GG_AMPLIFY_BELONGS_TO, .target = s ? other->model->name : mi->model->name, .limit = 100};
                for (unsigned k = 0; k < side_keys[s]->count; k++)
                    GG_VEC_PUSH(t->catalog_arena, b.fields, side_keys[s]->items[k]);
                b.field = &j->user_fields.items[relation_fields + (unsigned)s];
                GG_VEC_PUSH(t->catalog_arena, j->relations, b);
            }
            /* the join model allows what either side allows */
            for (unsigned k = 0; k < mi->rules.count; k++)
                GG_VEC_PUSH(t->catalog_arena, j->rules, mi->rules.items[k]);
            for (unsigned k = 0; k < other->rules.count; k++)
                GG_VEC_PUSH(t->catalog_arena, j->rules, other->rules.items[k]);
            for (unsigned k = 0; k < j->rules.count; k++)
                GG_VEC_PUSH(t->catalog_arena, j->all_rules, j->rules.items[k]);
            j->model->has_auth = mi->model->has_auth || other->model->has_auth;
            const char *n = j->type_name, *p = j->model->plural;
            j->model->ops = (gg_amplify_operations){
                .get = gg_arena_printf(t->catalog_arena, "get%s", n),
                .list = gg_arena_printf(t->catalog_arena, "list%s", p),
                .sync = j->model->sync ? gg_arena_printf(t->catalog_arena, "sync%s", p) : NULL,
                .create = gg_arena_printf(t->catalog_arena, "create%s", n),
                .update = gg_arena_printf(t->catalog_arena, "update%s", n),
                .delete_ = gg_arena_printf(t->catalog_arena, "delete%s", n),
                .on_create = gg_arena_printf(t->catalog_arena, "onCreate%s", n),
                .on_update = gg_arena_printf(t->catalog_arena, "onUpdate%s", n),
                .on_delete = gg_arena_printf(t->catalog_arena, "onDelete%s", n),
            };
            GG_VEC_PUSH(t->catalog_arena, j->on_create, j->model->ops.on_create);
            GG_VEC_PUSH(t->catalog_arena, j->on_update, j->model->ops.on_update);
            GG_VEC_PUSH(t->catalog_arena, j->on_delete, j->model->ops.on_delete);
            j->model->created_at = "createdAt";
            j->model->updated_at = "updatedAt";
            relation->out = NULL;
        }
    }
}
