/* join_models.c: the end of step 1 of the @model transform: one join model per @manyToMany
 * relationName, named after it, after the user's models.
 *
 * A join model is made as a model_info with user fields, as if the user had written it, so the later
 * steps treat it like any model: id, one key field per side (<model><PrimaryKey>, with 1/2
 * suffixes when a model is related to itself), one @belongsTo field and one index per side
 * (by<Model>, query field <plural>By<KeyField>), the default operation names and timestamps. It
 * allows what either side allows (both sides' @auth rules). A relationName must be used in
 * exactly two places and must not name an existing type. */
#include "transform_internal.h"

#include <string.h>

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
                    relation->relation_name, relation->relation_name);
                continue;
            }
            model_info *j = gg_amplify_new_model_info(t, relation->relation_name, mi->loc);
            j->model->is_join_model = true;
            j->join_a = mi->model->name;
            j->join_b = other->model->name;
            j->join_a_model = mi;
            j->join_b_model = other;
            j->join_a_field =
                gg_arena_printf(t->catalog_arena, "%s%s", gg_amplify_lower_first(t->catalog_arena, mi->model->name),
                                gg_amplify_upper_first(t->catalog_arena, mi->partition_key));
            j->join_b_field =
                gg_arena_printf(t->catalog_arena, "%s%s", gg_amplify_lower_first(t->catalog_arena, other->model->name),
                                gg_amplify_upper_first(t->catalog_arena, other->partition_key));
            j->join_a_relation = gg_amplify_lower_first(t->catalog_arena, mi->model->name);
            j->join_b_relation = gg_amplify_lower_first(t->catalog_arena, other->model->name);
            if (strcmp(j->join_a_relation, j->join_b_relation) == 0) { /* a model related to itself */
                j->join_a_relation = gg_arena_printf(t->catalog_arena, "%s1", j->join_a_relation);
                j->join_b_relation = gg_arena_printf(t->catalog_arena, "%s2", j->join_b_relation);
                j->join_a_field = gg_arena_printf(t->catalog_arena, "%s1%s",
                                                  gg_amplify_lower_first(t->catalog_arena, mi->model->name),
                                                  gg_amplify_upper_first(t->catalog_arena, mi->partition_key));
                j->join_b_field = gg_arena_printf(t->catalog_arena, "%s2%s",
                                                  gg_amplify_lower_first(t->catalog_arena, other->model->name),
                                                  gg_amplify_upper_first(t->catalog_arena, other->partition_key));
            }
            const gg_field_def *a_partition_key_field = gg_amplify_user_field(mi, mi->partition_key),
                               *b_partition_key_field = gg_amplify_user_field(other, other->partition_key);
            gg_type_ref *atype = a_partition_key_field ? gg_amplify_type_copy_non_null(t, a_partition_key_field->type)
                                                       : gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"));
            gg_type_ref *btype = b_partition_key_field ? gg_amplify_type_copy_non_null(t, b_partition_key_field->type)
                                                       : gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"));
            GG_VEC_PUSH(t->catalog_arena, j->user_fields,
                        gg_amplify_field_definition("id", gg_amplify_type_non_null(t, gg_amplify_type_named(t, "ID"))));
            GG_VEC_PUSH(t->catalog_arena, j->user_fields, gg_amplify_field_definition(j->join_a_field, atype));
            GG_VEC_PUSH(t->catalog_arena, j->user_fields, gg_amplify_field_definition(j->join_b_field, btype));
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
            const char *sides_field[2] = {j->join_a_field, j->join_b_field};
            for (int s = 0; s < 2; s++) {
                index_config index = {.field = sides_field[s], .type = s ? btype : atype, .loc = mi->loc};
                index.name =
                    gg_arena_printf(t->catalog_arena, "by%s",
                                    gg_amplify_upper_first(t->catalog_arena, s ? other->model->name : mi->model->name));
                index.query_field = gg_arena_printf(t->catalog_arena, "%sBy%s",
                                                    gg_amplify_lower_first(t->catalog_arena, j->model->plural),
                                                    gg_amplify_upper_first(t->catalog_arena, sides_field[s]));
                GG_VEC_PUSH(t->catalog_arena, j->indexes, index);
            }
            for (int s = 0; s < 2; s++) {
                relation_config b = {
                    .kind = GG_AMPLIFY_BELONGS_TO, .target = s ? other->model->name : mi->model->name, .limit = 100};
                GG_VEC_PUSH(t->catalog_arena, b.fields, sides_field[s]);
                b.field = &j->user_fields.items[3 + s];
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
            const char *n = j->model->name, *p = j->model->plural;
            j->model->ops = (gg_amplify_operations){
                .get = gg_arena_printf(t->catalog_arena, "get%s", n),
                .list = gg_arena_printf(t->catalog_arena, "list%s", p),
                .sync = t->options.sync ? gg_arena_printf(t->catalog_arena, "sync%s", p) : NULL,
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
