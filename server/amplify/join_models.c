/* join_models.c: the end of step 1 of the @model transform: one join model per @manyToMany
 * relationName, named after it, after the user's models.
 *
 * A join model is made as a minfo with user fields, as if the user had written it, so the later
 * steps treat it like any model: id, one key field per side (<model><PrimaryKey>, with 1/2
 * suffixes when a model is related to itself), one @belongsTo field and one index per side
 * (by<Model>, query field <plural>By<KeyField>), the default operation names and timestamps. It
 * allows what either side allows (both sides' @auth rules). A relationName must be used in
 * exactly two places and must not name an existing type. */
#include "transform_internal.h"

#include <string.h>

/* One join model per @manyToMany relationName, named after it, after the user's models. */
void amp_make_join_models(tx *t)
{
    unsigned user_models = t->models.count;
    for (unsigned i = 0; i < user_models; i++) {
        minfo *mi = t->models.items[i];
        for (unsigned r = 0; r < mi->relations.count; r++) {
            relation_cfg *rc = &mi->relations.items[r];
            if (rc->kind != GG_AMPLIFY_MANY_TO_MANY || rc->relation_name == NULL ||
                amp_model_named(t, rc->relation_name))
                continue;
            /* find the other side */
            minfo *other = NULL;
            unsigned sides = 0;
            for (unsigned j = 0; j < user_models; j++)
                for (unsigned q = 0; q < t->models.items[j]->relations.count; q++) {
                    relation_cfg *c = &t->models.items[j]->relations.items[q];
                    if (c->kind == GG_AMPLIFY_MANY_TO_MANY && c->relation_name &&
                        strcmp(c->relation_name, rc->relation_name) == 0) {
                        sides++;
                        if (c != rc) {
                            other = t->models.items[j];
                        }
                    }
                }
            if (sides != 2 || other == NULL) {
                amp_fail(t, mi->def, rc->dir->loc, "@manyToMany relation '%s' must be used in exactly two locations.",
                         rc->relation_name);
                continue;
            }
            if (gg_schema_find_type(t->schema, rc->relation_name)) {
                amp_fail(t, mi->def, rc->dir->loc,
                         "@manyToMany relation name '%s' (derived from '%s') already exists as a type in the schema.",
                         rc->relation_name, rc->relation_name);
                continue;
            }
            minfo *j = amp_new_minfo(t, rc->relation_name, mi->loc);
            j->m->is_join_model = true;
            j->join_a = mi->m->name;
            j->join_b = other->m->name;
            j->join_a_model = mi;
            j->join_b_model = other;
            j->join_a_field =
                gg_arena_printf(t->a, "%s%s", amp_lower_first(t->a, mi->m->name), amp_upper_first(t->a, mi->pk));
            j->join_b_field =
                gg_arena_printf(t->a, "%s%s", amp_lower_first(t->a, other->m->name), amp_upper_first(t->a, other->pk));
            j->join_a_rel = amp_lower_first(t->a, mi->m->name);
            j->join_b_rel = amp_lower_first(t->a, other->m->name);
            if (strcmp(j->join_a_rel, j->join_b_rel) == 0) { /* a model related to itself */
                j->join_a_rel = gg_arena_printf(t->a, "%s1", j->join_a_rel);
                j->join_b_rel = gg_arena_printf(t->a, "%s2", j->join_b_rel);
                j->join_a_field =
                    gg_arena_printf(t->a, "%s1%s", amp_lower_first(t->a, mi->m->name), amp_upper_first(t->a, mi->pk));
                j->join_b_field = gg_arena_printf(t->a, "%s2%s", amp_lower_first(t->a, other->m->name),
                                                  amp_upper_first(t->a, other->pk));
            }
            const gg_field_def *apk = amp_user_field(mi, mi->pk), *bpk = amp_user_field(other, other->pk);
            gg_type_ref *atype = apk ? amp_tr_nonnull(t, apk->type) : amp_tr_nn(t, amp_tr_named(t, "ID"));
            gg_type_ref *btype = bpk ? amp_tr_nonnull(t, bpk->type) : amp_tr_nn(t, amp_tr_named(t, "ID"));
            GG_VEC_PUSH(t->a, j->ufields, amp_mk_field("id", amp_tr_nn(t, amp_tr_named(t, "ID"))));
            GG_VEC_PUSH(t->a, j->ufields, amp_mk_field(j->join_a_field, atype));
            GG_VEC_PUSH(t->a, j->ufields, amp_mk_field(j->join_b_field, btype));
            GG_VEC_PUSH(t->a, j->ufields, amp_mk_field(j->join_a_rel, amp_tr_nn(t, amp_tr_named(t, mi->m->name))));
            GG_VEC_PUSH(t->a, j->ufields, amp_mk_field(j->join_b_rel, amp_tr_nn(t, amp_tr_named(t, other->m->name))));
            j->declares_id = true;
            j->pk = "id";
            const char *sides_field[2] = {j->join_a_field, j->join_b_field};
            for (int s = 0; s < 2; s++) {
                index_cfg ix = {.field = sides_field[s], .type = s ? btype : atype, .loc = mi->loc};
                ix.name = gg_arena_printf(t->a, "by%s", amp_upper_first(t->a, s ? other->m->name : mi->m->name));
                ix.query_field = gg_arena_printf(t->a, "%sBy%s", amp_lower_first(t->a, j->m->plural),
                                                 amp_upper_first(t->a, sides_field[s]));
                GG_VEC_PUSH(t->a, j->indexes, ix);
            }
            for (int s = 0; s < 2; s++) {
                relation_cfg b = {
                    .kind = GG_AMPLIFY_BELONGS_TO, .target = s ? other->m->name : mi->m->name, .limit = 100};
                GG_VEC_PUSH(t->a, b.fields, sides_field[s]);
                b.field = &j->ufields.items[3 + s];
                GG_VEC_PUSH(t->a, j->relations, b);
            }
            /* the join model allows what either side allows */
            for (unsigned k = 0; k < mi->rules.count; k++)
                GG_VEC_PUSH(t->a, j->rules, mi->rules.items[k]);
            for (unsigned k = 0; k < other->rules.count; k++)
                GG_VEC_PUSH(t->a, j->rules, other->rules.items[k]);
            for (unsigned k = 0; k < j->rules.count; k++)
                GG_VEC_PUSH(t->a, j->all_rules, j->rules.items[k]);
            j->m->has_auth = mi->m->has_auth || other->m->has_auth;
            const char *n = j->m->name, *p = j->m->plural;
            j->m->ops = (gg_amplify_operations){
                .get = gg_arena_printf(t->a, "get%s", n),
                .list = gg_arena_printf(t->a, "list%s", p),
                .sync = t->opts.sync ? gg_arena_printf(t->a, "sync%s", p) : NULL,
                .create = gg_arena_printf(t->a, "create%s", n),
                .update = gg_arena_printf(t->a, "update%s", n),
                .delete_ = gg_arena_printf(t->a, "delete%s", n),
                .on_create = gg_arena_printf(t->a, "onCreate%s", n),
                .on_update = gg_arena_printf(t->a, "onUpdate%s", n),
                .on_delete = gg_arena_printf(t->a, "onDelete%s", n),
            };
            GG_VEC_PUSH(t->a, j->on_create, j->m->ops.on_create);
            GG_VEC_PUSH(t->a, j->on_update, j->m->ops.on_update);
            GG_VEC_PUSH(t->a, j->on_delete, j->m->ops.on_delete);
            j->m->created_at = "createdAt";
            j->m->updated_at = "updatedAt";
            rc->out = NULL;
        }
    }
}
