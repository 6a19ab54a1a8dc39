/* transform.c: the Amplify GraphQL transformer (v2) @model transform (transform.h).
 *
 * Design. The served schema is built as a list of AST definitions (gg_definition) and printed
 * with the one printer (language/printer.h), so its text has graphql-js print() layout, like the
 * transformer's own output. The steps run in the order the transformer's plugins run, because
 * that order decides where fields land:
 *   1. build the user SDL (AppSync + Amplify preludes) so every directive argument is typed and
 *      checked; read @model/@auth/@primaryKey/@index/relations into per-model configs; create the
 *      join models of @manyToMany;
 *   2. the output document starts with the user's definitions (transformer directives removed),
 *      then the join models, then the shared inputs (ModelStringInput ... ModelSortDirection);
 *   3. the model step, per model: id and timestamps, <Type>Input twins of embedded types,
 *      queries (connection, enum inputs, filter), mutations (condition, create/update/delete
 *      inputs), subscriptions (subscription filter), DataStore fields;
 *   4. @primaryKey (get/list arguments, key inputs), @index (query fields), relations (connection
 *      fields, implicit foreign keys), @auth (owner fields, @aws_* directives, subscription owner
 *      arguments);
 *   5. print; build the catalog from the final model types.
 * Checked against @aws-amplify/graphql-transformer 2.5 (the fixtures and edge-case schemas give
 * byte-identical SDL, definition and field order included), with these deliberate differences:
 *   - the transformer's stray `input AmplifyAIConversationTurnErrorInput` is not emitted;
 *   - in sandbox mode the transformer also puts @aws_iam on every non-model type and user root
 *     field (and so on the Query type itself, which would shut API-key callers out of the
 *     generated queries under AppSync's rules); that is not done here;
 *   - not every validation of the transformer is repeated (for example, @hasOne(fields:) types
 *     must match the related key's type there).
 * Everything allocated here lives in the catalog arena (kept) or a scratch arena (freed).
 * The helpers the steps share are declared in transform_internal.h and live in names.c
 * (derived names), user_schema.c (reading the user's schema, errors) and output_document.c
 * (building the served document). Step 1 is in read_directives.c and join_models.c, step 2 in
 * output_start.c, step 3 in model_step.c. */
#include "transform_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../graphql/language/parser.h"
#include "../graphql/language/printer.h"
#include "../graphql/type/scalars.h"

static const gg_field_def *served_field(minfo *mi, const char *name)
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
static gg_input_value_def sort_key_arg(tx *t, minfo *mi, const strvec *sk, const char *key_name)
{
    if (sk->count == 1) {
        const gg_field_def *f = served_field(mi, sk->items[0]);
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
            const char *b = amp_tr_base(served_field(mi, sk->items[i])->type);
            const char *s = amp_base_scalar(b);
            amp_add_input_field(t, k, sk->items[i], amp_tr_named(t, i + 1 == sk->count && s ? s : b));
        }
    }
    return amp_ivd(arg, amp_tr_named(t, cond));
}

static void primary_key_step(tx *t, minfo *mi)
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
                                amp_tr_nn(t, amp_tr_named(t, amp_tr_base(served_field(mi, keys.items[i])->type)))));
        get->args = args.items;
        get->arg_count = args.count;
    }
    gg_field_def *list = amp_root_field(t->query, m->ops.list);
    if (list) {
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd(mi->pk, amp_tr_named(t, amp_tr_base(served_field(mi, mi->pk)->type))));
        if (mi->sk.count) GG_VEC_PUSH(t->s, args, sort_key_arg(t, mi, &mi->sk, "Primary"));
        for (unsigned i = 0; i < list->arg_count; i++)
            GG_VEC_PUSH(t->s, args, list->args[i]);
        GG_VEC_PUSH(t->s, args, amp_ivd("sortDirection", amp_tr_named(t, "ModelSortDirection")));
        list->args = args.items;
        list->arg_count = args.count;
    } else if (mi->sk.count) {
        sort_key_arg(t, mi, &mi->sk, "Primary");
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
                                amp_tr_nn(t, amp_tr_named(t, amp_tr_base(served_field(mi, keys.items[k])->type)))));
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

/* Directives a model without @auth gets: @aws_api_key in sandbox mode when API key is not the
 * default mode (the transformer's "global auth rule"). */
static void sandbox_directives(tx *t, const minfo *mi, dirvec *out)
{
    if (!mi->m->has_auth && t->cat->sandbox_public && t->opts.default_auth != GG_AMPLIFY_PROVIDER_API_KEY)
        GG_VEC_PUSH(t->s, *out, amp_dir_named("aws_api_key"));
}

static void index_step(tx *t, minfo *mi)
{
    for (unsigned i = 0; i < mi->indexes.count; i++) {
        const index_cfg *ix = &mi->indexes.items[i];
        if (ix->query_field == NULL) continue;
        ivvec args = {0};
        GG_VEC_PUSH(t->s, args, amp_ivd(ix->field, amp_tr_nn(t, amp_tr_named(t, amp_tr_base(ix->type)))));
        if (ix->sort.count) GG_VEC_PUSH(t->s, args, sort_key_arg(t, mi, &ix->sort, ix->name));
        GG_VEC_PUSH(t->s, args, amp_ivd("sortDirection", amp_tr_named(t, "ModelSortDirection")));
        GG_VEC_PUSH(t->s, args,
                    amp_ivd("filter", amp_tr_named(t, gg_arena_printf(t->s, "Model%sFilterInput", mi->m->name))));
        GG_VEC_PUSH(t->s, args, amp_ivd("limit", amp_tr_named(t, "Int")));
        GG_VEC_PUSH(t->s, args, amp_ivd("nextToken", amp_tr_named(t, "String")));
        gg_field_def f = amp_op_field(t, ix->query_field, &args,
                                      amp_tr_named(t, gg_arena_printf(t->s, "Model%sConnection", mi->m->name)));
        dirvec dirs = {0};
        sandbox_directives(t, mi, &dirs);
        f.directives = dirs.items;
        f.directive_count = dirs.count;
        amp_add_root_field(t, amp_root_type(t, GG_OP_QUERY), f, mi);
        amp_ensure_connection(t, mi, true);
        amp_ensure_filter(t, mi);
    }
}

static const char *camel3(tx *t, const char *a, const char *b, const char *c)
{
    return gg_arena_printf(t->a, "%s%s%s", amp_lower_first(t->s, a), amp_upper_first(t->s, b),
                           amp_upper_first(t->s, c));
}

static const char **to_array(tx *t, const strvec *v)
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
    r->local_fields = to_array(t, local);
    r->local_count = local->count;
    r->remote_fields = to_array(t, remote);
    r->remote_count = remote->count;
    r->uses_references = rc->references.count > 0;
    r->uses_fields = rc->fields.count > 0;
    r->implicit_keys = !r->uses_references && !r->uses_fields;
    r->index_name = rc->index_name;
    r->limit = rc->limit;
    rc->out = r;
    return r;
}

static void pk_names(tx *t, const minfo *mi, strvec *out)
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
    pk_names(t, keyed, &keys);
    for (unsigned i = 0; i < keys.count; i++) {
        const char *name = camel3(t, model, field, keys.items[i]);
        GG_VEC_PUSH(t->a, *names, name);
        const gg_field_def *kf = served_field(keyed, keys.items[i]);
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
        pk_names(t, mi, &local);
        remote = rc->references;
    } else if (rc->fields.count) {
        local = rc->fields;
        const index_cfg *ix = find_index(target, rc->index_name);
        if (ix) {
            GG_VEC_PUSH(t->a, remote, ix->field);
            for (unsigned i = 0; i < ix->sort.count; i++)
                GG_VEC_PUSH(t->a, remote, ix->sort.items[i]);
        } else {
            pk_names(t, target, &remote);
        }
        if (remote.count > rc->fields.count && rc->fields.count < 2) {
            strvec rest = {0};
            for (unsigned i = 1; i < remote.count; i++)
                GG_VEC_PUSH(t->s, rest, remote.items[i]);
            sort_arg = sort_key_arg(t, target, &rest, rc->index_name ? rc->index_name : "Primary");
            sort = &sort_arg;
        }
        if (remote.count < local.count)
            amp_fail(t, mi->def, rc->dir->loc, "@hasMany on \"%s.%s\": %u fields given but the related key has %u.",
                     mi->m->name, rc->field->name.value, local.count, remote.count);
        else
            remote.count = local.count; /* the related key's remaining fields are its sort key (the argument above) */
    } else {
        pk_names(t, mi, &local);
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
        pk_names(t, mi, &local);
        remote = rc->references;
    } else if (rc->fields.count) {
        local = rc->fields;
        pk_names(t, target, &remote);
    } else {
        add_foreign_key(t, mi, target, mi->m->name, rc->field->name.value,
                        rc->field->type->kind == GG_TYPE_REF_NON_NULL, mi, &local);
        pk_names(t, target, &remote);
    }
    new_relation(t, rc, &local, &remote);
}

static void belongs_to_step(tx *t, minfo *mi, relation_cfg *rc)
{
    minfo *target = amp_model_named(t, rc->target);
    strvec local = {0}, remote = {0};
    pk_names(t, target, &remote);
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
            pk_names(t, target, &keys);
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
    pk_names(t, mi, &local);
    GG_VEC_PUSH(t->a, remote, a_side ? join->join_a_field : join->join_b_field);
    make_connection_field(t, mi, rc, join, NULL);
    gg_amplify_relation *r = new_relation(t, rc, &local, &remote);
    r->join_model = join->m->name;
    r->join_local_field = a_side ? join->join_a_field : join->join_b_field;
    r->join_remote_field = a_side ? join->join_b_field : join->join_a_field;
}

static void relations_step(tx *t)
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

static const char *const provider_directive[] = {
    "aws_api_key", "aws_iam", "aws_iam", "aws_oidc", "aws_cognito_user_pools", "aws_lambda"};

const char *gg_amplify_provider_directive(gg_amplify_provider provider)
{
    return (unsigned)provider < 6 ? provider_directive[provider] : NULL;
}

static bool provider_eq(gg_amplify_provider a, gg_amplify_provider b)
{
    bool ia = a == GG_AMPLIFY_PROVIDER_IAM || a == GG_AMPLIFY_PROVIDER_IDENTITY_POOL;
    bool ib = b == GG_AMPLIFY_PROVIDER_IAM || b == GG_AMPLIFY_PROVIDER_IDENTITY_POOL;
    return a == b || (ia && ib);
}

typedef struct providers {
    gg_amplify_provider items[16];
    unsigned count;
} providers;

static providers providers_for(const rulevec *rules, unsigned op)
{
    providers p = {.count = 0};
    for (unsigned i = 0; i < rules->count; i++) {
        if ((rules->items[i].operations & op) == 0) continue;
        bool seen = false;
        for (unsigned k = 0; k < p.count; k++)
            seen = seen || p.items[k] == rules->items[i].provider;
        if (!seen && p.count < 16) p.items[p.count++] = rules->items[i].provider;
    }
    return p;
}

/* The providers of a model operation: the model's rules and the field-level rules allowing it
 * (field rules never count for delete, which removes whole rows). */
/* A rule's roles as the transformer names them: one per static group, else one. */
static unsigned rule_roles(gg_arena *a, const gg_amplify_auth_rule *r, const char **out, unsigned max)
{
    static const char *const strategy[] = {"public", "private", "owner", "groups", "custom"};
    if (r->allow == GG_AMPLIFY_ALLOW_GROUPS && r->groups_field == NULL) {
        unsigned n = 0;
        for (unsigned i = 0; i < r->group_count && n < max; i++)
            out[n++] = gg_arena_printf(a, "groups:%d:%s", (int)r->provider, r->groups[i] ? r->groups[i] : "");
        return n;
    }
    if (max == 0) return 0;
    out[0] = gg_arena_printf(a, "%s:%d:%s:%s", strategy[r->allow], (int)r->provider,
                             r->owner_field    ? r->owner_field
                             : r->groups_field ? r->groups_field
                                               : "",
                             r->identity_claim ? r->identity_claim
                             : r->group_claim  ? r->group_claim
                                               : "");
    return 1;
}

static bool rules_grant(gg_arena *a, const gg_amplify_auth_rule *rules, unsigned count, const char *role, unsigned op)
{
    const char *roles[32];
    for (unsigned i = 0; i < count; i++) {
        if ((rules[i].operations & op) == 0) continue;
        unsigned n = rule_roles(a, &rules[i], roles, 32);
        for (unsigned k = 0; k < n; k++)
            if (strcmp(roles[k], role) == 0) return true;
    }
    return false;
}

/* delete removes whole rows: a role may delete only if it may delete every field (a field with
 * its own @auth rules answers for itself, the others follow the model's rules). */
static providers delete_providers(tx *t, const minfo *mi)
{
    providers p = {.count = 0};
    const char *roles[32];
    for (unsigned i = 0; i < mi->rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->rules.items[i];
        if ((r->operations & GG_AMPLIFY_OP_DELETE) == 0) continue;
        unsigned n = rule_roles(t->s, r, roles, 32);
        bool granted = false;
        for (unsigned k = 0; k < n && !granted; k++) {
            granted = true;
            for (unsigned f = 0; f < mi->per_field_rules.count && granted; f++) {
                const rulevec *own = &mi->per_field_rules.items[f];
                granted = rules_grant(t->s, own->items, own->count, roles[k], GG_AMPLIFY_OP_DELETE);
            }
        }
        bool seen = false;
        for (unsigned k = 0; k < p.count; k++)
            seen = seen || p.items[k] == r->provider;
        if (granted && !seen && p.count < 16) p.items[p.count++] = r->provider;
    }
    return p;
}

/* True when the rules give role every one of the operation bits in ops. */
static bool rules_grant_all(gg_arena *a, const rulevec *rules, const char *role, unsigned ops)
{
    for (unsigned bit = 1; bit <= ops; bit <<= 1)
        if ((ops & bit) && !rules_grant(a, rules->items, rules->count, role, bit)) return false;
    return true;
}

/* The auth transformer's check that every role able to read the model can read each of its
 * non-null fields (else a field-level rule would null a required field): a signed-in-user
 * (private) role that reads a field fully stands in for the other roles of its provider. */
static void check_field_read_access(tx *t, minfo *mi)
{
    if (mi->per_field_rules.count == 0 || mi->no_subscriptions || mi->sub_level != 0) return;
    strvec read_roles = {0};
    const char *roles[32];
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        if ((mi->all_rules.items[i].operations & GG_AMPLIFY_OP_READ) == 0) continue;
        unsigned n = rule_roles(t->s, &mi->all_rules.items[i], roles, 32);
        for (unsigned k = 0; k < n; k++) {
            bool seen = false;
            for (unsigned j = 0; j < read_roles.count; j++)
                seen = seen || strcmp(read_roles.items[j], roles[k]) == 0;
            if (!seen) GG_VEC_PUSH(t->s, read_roles, roles[k]);
        }
    }
    gg_buf missing;
    gg_buf_init(&missing);
    for (unsigned f = 0; f < mi->ufields.count; f++) {
        const gg_field_def *fd = &mi->ufields.items[f];
        const rulevec *rules = &mi->rules;
        for (unsigned k = 0; k < mi->per_field_names.count; k++)
            if (strcmp(mi->per_field_names.items[k], fd->name.value) == 0) rules = &mi->per_field_rules.items[k];
        char up_private[32], oidc_private[32], up_prefix[16], oidc_prefix[16];
        snprintf(up_private, sizeof up_private, "private:%d::", (int)GG_AMPLIFY_PROVIDER_USER_POOLS);
        snprintf(oidc_private, sizeof oidc_private, "private:%d::", (int)GG_AMPLIFY_PROVIDER_OIDC);
        snprintf(up_prefix, sizeof up_prefix, ":%d:", (int)GG_AMPLIFY_PROVIDER_USER_POOLS);
        snprintf(oidc_prefix, sizeof oidc_prefix, ":%d:", (int)GG_AMPLIFY_PROVIDER_OIDC);
        bool up_covers = false, oidc_covers = false;
        for (unsigned j = 0; j < read_roles.count; j++) {
            if (strcmp(read_roles.items[j], up_private) == 0)
                up_covers = rules_grant_all(t->s, rules, up_private, GG_AMPLIFY_OP_READ);
            if (strcmp(read_roles.items[j], oidc_private) == 0)
                oidc_covers = rules_grant_all(t->s, rules, oidc_private, GG_AMPLIFY_OP_READ);
        }
        bool denied = false;
        for (unsigned j = 0; j < read_roles.count && !denied; j++) {
            const char *role = read_roles.items[j];
            if ((up_covers && strstr(role, up_prefix) && strcmp(role, up_private) != 0) ||
                (oidc_covers && strstr(role, oidc_prefix) && strcmp(role, oidc_private) != 0))
                continue; /* stood in for by the private role */
            denied = !rules_grant(t->s, rules->items, rules->count, role, GG_AMPLIFY_OP_READ);
        }
        if (denied && fd->type->kind == GG_TYPE_REF_NON_NULL)
            gg_buf_printf(&missing, "%s\"%s\"", missing.len ? "," : "", fd->name.value);
    }
    if (missing.len)
        amp_fail(
            t, mi->def, mi->loc,
            "When using field-level authorization rules you need to add rules to all of the model's required fields "
            "with at "
            "least read permissions. Found model \"%s\" with required fields [%s] missing field-level authorization "
            "rules.",
            mi->m->name, missing.data);
    gg_buf_free(&missing);
}

static providers model_providers(tx *t, const minfo *mi, unsigned op)
{
    if (op == GG_AMPLIFY_OP_DELETE)
        return mi->field_rules.count ? delete_providers(t, mi) : providers_for(&mi->rules, op);
    providers p = providers_for(&mi->rules, op);
    providers f = providers_for(&mi->field_rules, op);
    for (unsigned i = 0; i < f.count; i++) {
        bool seen = false;
        for (unsigned k = 0; k < p.count; k++)
            seen = seen || p.items[k] == f.items[i];
        if (!seen && p.count < 16) p.items[p.count++] = f.items[i];
    }
    return p;
}

/* The transformer's getServiceDirectives: a provider's directive is needed unless it is the
 * default mode and the only one; the default is added when other providers are present and
 * add_default is set, or when the default itself has a rule next to others. */
static void service_directives(tx *t, const providers *p, bool add_default, dirvec *out)
{
    if (p->count == 0) return;
    gg_amplify_provider dflt = t->opts.default_auth;
    static const gg_amplify_provider order[] = {GG_AMPLIFY_PROVIDER_API_KEY, GG_AMPLIFY_PROVIDER_IAM,
                                                GG_AMPLIFY_PROVIDER_OIDC, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                GG_AMPLIFY_PROVIDER_FUNCTION};
    bool has_default = false, has_other = false;
    for (unsigned i = 0; i < p->count; i++) {
        if (provider_eq(p->items[i], dflt))
            has_default = true;
        else
            has_other = true;
    }
    for (int k = 0; k < 5; k++) {
        gg_amplify_provider pr = order[k];
        bool in = false, other = false;
        for (unsigned i = 0; i < p->count; i++) {
            if (provider_eq(p->items[i], pr))
                in = true;
            else
                other = true;
        }
        if ((!provider_eq(dflt, pr) && in) || (provider_eq(dflt, pr) && other && add_default))
            GG_VEC_PUSH(t->s, *out, amp_dir_named(provider_directive[pr]));
    }
    if (has_default && has_other && !amp_has_dir(out, provider_directive[dflt]))
        GG_VEC_PUSH(t->s, *out, amp_dir_named(provider_directive[dflt]));
}

/* addDirectivesToOperation: the field gets the directives and moves to the end of its root
 * type (the transformer removes and re-appends it); its return type gets them too. */
static void directives_to_field(tx *t, odef *o, const char *name, const dirvec *dirs, bool extend_return_type);

static void directives_to_operation(tx *t, odef *root, const char *name, const dirvec *dirs)
{
    directives_to_field(t, root, name, dirs, true);
}

/* addDirectivesToField: merge, move the field to the end of its type; optionally also give the
 * directives to the type it returns (when that is a bare named type). */
static void directives_to_field(tx *t, odef *root, const char *name, const dirvec *dirs, bool extend_return_type)
{
    if (root == NULL || name == NULL || dirs->count == 0) return;
    gg_field_def *found = amp_object_field(root, name);
    if (found == NULL) return;
    gg_field_def f = *found;
    dirvec merged = {0};
    for (unsigned i = 0; i < f.directive_count; i++)
        GG_VEC_PUSH(t->s, merged, f.directives[i]);
    amp_merge_dirs(t, &merged, dirs);
    f.directives = merged.items;
    f.directive_count = merged.count;
    amp_object_remove(root, name);
    amp_add_object_field(t, root, f);
    if (extend_return_type && f.type->kind == GG_TYPE_REF_NAMED) {
        odef *ret = amp_out_find(t, f.type->name.value);
        if (ret) amp_merge_dirs(t, &ret->dirs, dirs);
    }
}

/* Non-model object types a model's fields return (embedded types, and connection types once
 * relation fields became connections) get the model's provider directives, recursively: the
 * first model to reach a type gives its directives without the default mode's, later ones add
 * what is missing, default included (the transformer's propagateAuthDirectivesToNestedTypes). */
static void propagate_to_nested(tx *t, odef *o, const providers *p)
{
    for (unsigned i = 0; i < o->fields.count; i++) {
        const char *b = amp_tr_base(o->fields.items[i].type);
        odef *n = amp_out_find(t, b);
        if (n == NULL || n->def.kind != GG_DEF_OBJECT || amp_model_named(t, b) || n == t->query || n == t->mutation ||
            n == t->subscription)
            continue;
        bool seen = gg_strmap_gets(&t->nested_seen, b) != NULL;
        dirvec dirs = {0};
        service_directives(t, p, seen, &dirs);
        dirvec fresh = {0};
        for (unsigned k = 0; k < dirs.count; k++)
            if (!amp_has_dir(&n->dirs, dirs.items[k].name.value)) GG_VEC_PUSH(t->s, fresh, dirs.items[k]);
        if (seen && fresh.count == 0) continue;
        gg_strmap_put(&t->nested_seen, b, strlen(b), n);
        amp_merge_dirs(t, &n->dirs, &fresh);
        propagate_to_nested(t, n, p);
    }
}

static void operation_directives(tx *t, minfo *mi, odef *root, const char *name, unsigned op)
{
    providers p = model_providers(t, mi, op);
    bool include_default = false;
    for (unsigned i = 0; i < p.count; i++)
        include_default = include_default || provider_eq(p.items[i], t->opts.default_auth);
    dirvec dirs = {0};
    service_directives(t, &p, include_default, &dirs);
    directives_to_operation(t, root, name, &dirs);
}

static bool type_field_is_list(minfo *mi, const char *name)
{
    const gg_field_def *f = amp_object_field(mi->type, name);
    return f && amp_tr_is_list(f->type);
}

/* Subscriptions (level on): the listen directives, and an optional argument per single-valued
 * owner field whose rule allows listening, so subscribers can ask for their own rows. */
static void protect_subscriptions(tx *t, minfo *mi)
{
    gg_amplify_model *m = mi->m;
    if (mi->no_subscriptions || mi->sub_level != 0) return;
    ivvec owner_args = {0};
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        if (r->allow != GG_AMPLIFY_ALLOW_OWNER || !(r->operations & GG_AMPLIFY_OP_LISTEN) ||
            type_field_is_list(mi, r->owner_field))
            continue;
        bool seen = false;
        for (unsigned k = 0; k < owner_args.count; k++)
            seen = seen || strcmp(owner_args.items[k].name.value, r->owner_field) == 0;
        if (!seen) GG_VEC_PUSH(t->s, owner_args, amp_ivd(r->owner_field, amp_tr_named(t, "String")));
    }
    const char *mut[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    const strvec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3; k++) {
        if (mut[k] == NULL) continue;
        for (unsigned i = 0; i < subs[k]->count; i++) {
            operation_directives(t, mi, t->subscription, subs[k]->items[i], GG_AMPLIFY_OP_LISTEN);
            gg_field_def *f = amp_root_field(t->subscription, subs[k]->items[i]);
            if (f == NULL || owner_args.count == 0) continue;
            ivvec args = {0};
            for (unsigned a = 0; a < f->arg_count; a++)
                GG_VEC_PUSH(t->s, args, f->args[a]);
            for (unsigned a = 0; a < owner_args.count; a++)
                GG_VEC_PUSH(t->s, args, owner_args.items[a]);
            f->args = args.items;
            f->arg_count = args.count;
        }
    }
}

static void auth_step(tx *t, minfo *mi)
{
    gg_amplify_model *m = mi->m;
    if (!m->has_auth) return; /* sandbox directives were given in the model step */
    check_field_read_access(t, mi);
    /* dynamic auth fields cannot be filtered on by subscribers */
    for (unsigned i = 0; i < mi->all_rules.count && mi->sub_filter; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        const char *entity = r->allow == GG_AMPLIFY_ALLOW_OWNER ? r->owner_field : r->groups_field;
        if (entity && (r->provider == GG_AMPLIFY_PROVIDER_USER_POOLS || r->provider == GG_AMPLIFY_PROVIDER_OIDC))
            amp_input_remove(mi->sub_filter, entity);
    }
    strvec owners = {0};
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        if (r->allow != GG_AMPLIFY_ALLOW_OWNER) continue;
        bool seen = false;
        for (unsigned k = 0; k < owners.count; k++)
            seen = seen || strcmp(owners.items[k], r->owner_field) == 0;
        if (!seen) GG_VEC_PUSH(t->s, owners, r->owner_field);
    }
    odef *inputs[3] = {mi->filter, mi->condition, mi->sub_filter};
    for (int k = 0; k < 3; k++)
        for (unsigned i = 0; inputs[k] && i < owners.count; i++)
            if (!amp_input_has(inputs[k], owners.items[i]))
                amp_add_input_field(t, inputs[k], owners.items[i], amp_tr_named(t, "ModelStringInput"));
    for (unsigned i = 0; i < owners.count; i++)
        if (!amp_object_field(mi->type, owners.items[i]))
            amp_add_object_field(t, mi->type, amp_mk_field(owners.items[i], amp_tr_named(t, "String")));
    providers all = model_providers(t, mi, GG_AMPLIFY_OP_ALL);
    dirvec type_dirs = {0};
    service_directives(t, &all, false, &type_dirs);
    amp_merge_dirs(t, &mi->type->dirs, &type_dirs);

    operation_directives(t, mi, t->query, m->ops.get, GG_AMPLIFY_OP_GET);
    operation_directives(t, mi, t->query, m->ops.list, GG_AMPLIFY_OP_LIST);
    operation_directives(t, mi, t->query, m->ops.sync, GG_AMPLIFY_OP_SYNC);
    operation_directives(t, mi, t->mutation, m->ops.create, GG_AMPLIFY_OP_CREATE);
    operation_directives(t, mi, t->mutation, m->ops.update, GG_AMPLIFY_OP_UPDATE);
    operation_directives(t, mi, t->mutation, m->ops.delete_, GG_AMPLIFY_OP_DELETE);
    for (unsigned i = 0; i < mi->indexes.count; i++) {
        operation_directives(t, mi, t->query, mi->indexes.items[i].query_field, GG_AMPLIFY_OP_LIST);
        operation_directives(t, mi, t->query, mi->indexes.items[i].query_field, GG_AMPLIFY_OP_GET);
    }
    protect_subscriptions(t, mi);
    propagate_to_nested(t, mi->type, &all);
}

/* A model without @auth in sandbox mode: @aws_api_key on the type, the embedded types and the
 * operations, given by the model step itself as the transformer's model plugin does. */
static void sandbox_step(tx *t, minfo *mi)
{
    gg_amplify_model *m = mi->m;
    if (m->has_auth) return;
    dirvec dirs = {0};
    sandbox_directives(t, mi, &dirs);
    if (dirs.count == 0) return;
    amp_merge_dirs(t, &mi->type->dirs, &dirs);
    providers api_key = {.items = {GG_AMPLIFY_PROVIDER_API_KEY}, .count = 1};
    propagate_to_nested(t, mi->type, &api_key);
    const char *q[] = {m->ops.get, m->ops.list, m->ops.sync};
    for (int i = 0; i < 3; i++)
        directives_to_operation(t, t->query, q[i], &dirs);
    const char *mu[] = {m->ops.create, m->ops.update, m->ops.delete_};
    for (int i = 0; i < 3; i++)
        directives_to_operation(t, t->mutation, mu[i], &dirs);
    const strvec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3 && !mi->no_subscriptions; k++)
        for (unsigned i = 0; i < subs[k]->count; i++)
            directives_to_operation(t, t->subscription, subs[k]->items[i], &dirs);
}

/* @auth on fields of non-model types (custom queries and mutations, embedded types): the
 * field gets its providers' directives (never the default mode's alone), after the models. */
static void non_model_auth_step(tx *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_OBJECT || amp_model_named(t, def->name.value)) continue;
            odef *o = amp_out_find(t, def->name.value);
            for (unsigned k = 0; o && k < def->field_count; k++) {
                const gg_field_def *f = &def->fields[k];
                const gg_directive *auth = amp_find_dir(f->directives, f->directive_count, "auth");
                if (auth == NULL) continue;
                rulevec rules = {0};
                amp_read_rules(t, def, auth, &rules);
                providers p = providers_for(&rules, GG_AMPLIFY_OP_ALL);
                dirvec dirs = {0};
                service_directives(t, &p, false, &dirs);
                directives_to_field(t, o, f->name.value, &dirs, false);
            }
        }
    }
}

static void print_output(tx *t, gg_buf *out)
{
    gg_document doc = {0};
    doc.definitions = gg_arena_array(t->s, t->out.count ? t->out.count : 1, sizeof *doc.definitions);
    for (unsigned i = 0; i < t->out.count; i++) {
        odef *o = t->out.items[i];
        if (o->dropped) continue;
        gg_definition d = o->def;
        d.directives = o->dirs.items;
        d.directive_count = o->dirs.count;
        if (!o->keep_user) {
            d.fields = o->fields.items;
            d.field_count = o->fields.count;
            d.input_fields = o->inputs.items;
            d.input_field_count = o->inputs.count;
            d.values = o->values.items;
            d.value_count = o->values.count;
        }
        doc.definitions[doc.definition_count++] = d;
    }
    gg_print_document(out, &doc);
    gg_buf_putc(out, '\n');
}

static const char *type_text(tx *t, const gg_type_ref *r)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_print_type_ref(&b, r);
    const char *s = gg_arena_strdup(t->a, b.data ? b.data : "");
    gg_buf_free(&b);
    return s;
}

/* The default-value transformer's checks (PostgreSQL flavour: a missing value is allowed on Int
 * fields, where the database generates it), with its messages. String-typed AWS scalars are
 * checked with graphgate's own scalar rules. */
static void check_default(tx *t, minfo *mi, const gg_directive *d, const gg_amplify_field *f)
{
    const gg_value *v = amp_dir_arg(d, "value");
    const char *value = f->default_value;
    if (f->kind == GG_AMPLIFY_FIELD_RELATION || f->kind == GG_AMPLIFY_FIELD_EMBEDDED || f->list) {
        amp_fail(t, mi->def, d->loc, "The @default directive may only be added to scalar or enum field types.");
        return;
    }
    if (v == NULL) {
        if (strcmp(f->type_name, "Int") != 0)
            amp_fail(t, mi->def, d->loc, "The @default directive requires a value property on non-Int types.");
        return;
    }
    if (value == NULL) {
        amp_fail(t, mi->def, d->loc, "The @default directive does not support null values.");
        return;
    }
    if (f->kind == GG_AMPLIFY_FIELD_ENUM) {
        if (!gg_type_find_enum_value(amp_user_type(t, f->type_name), value))
            amp_fail(t, mi->def, d->loc, "Default value \"%s\" is not a member of %s enum.", value, f->type_name);
        return;
    }
    const char *b = f->type_name;
    bool ok = true;
    char *end = NULL;
    if (strcmp(b, "Int") == 0 || strcmp(b, "AWSTimestamp") == 0) {
        /* JavaScript parseInt(x, 10) is not NaN: optional blanks and sign, then a digit */
        const char *p = value + strspn(value, " \t\n\r");
        if (*p == '+' || *p == '-') p++;
        ok = isdigit((unsigned char)*p);
    } else if (strcmp(b, "Float") == 0) {
        (void)strtod(value, &end);
        ok = end != value;
    } else if (strcmp(b, "Boolean") == 0) {
        ok = strcasecmp(value, "true") == 0 || strcasecmp(value, "false") == 0;
    } else {
        const gg_scalar_ops *ops = gg_scalar_find_aws(b);
        if (ops && ops->parse_literal) {
            gg_value lit = {.kind = GG_VALUE_STRING, .text = value, .len = strlen(value)};
            gg_val *coerced = NULL;
            const char *why = NULL;
            ok = ops->parse_literal(t->s, &lit, &coerced, &why);
        }
    }
    if (!ok) amp_fail(t, mi->def, d->loc, "Default value \"%s\" is not a valid %s.", value, b);
}

static void build_field(tx *t, minfo *mi, const gg_field_def *f, gg_amplify_field *out)
{
    const gg_field_def *declared = mi->m->is_join_model ? NULL : amp_user_field(mi, f->name.value);
    out->name = gg_arena_strdup(t->a, f->name.value);
    out->type_name = gg_arena_strdup(t->a, amp_tr_base(f->type));
    out->type_sdl = type_text(t, f->type);
    out->non_null = f->type->kind == GG_TYPE_REF_NON_NULL;
    out->list = amp_tr_is_list(f->type);
    const gg_type_ref *inner = f->type->kind == GG_TYPE_REF_NON_NULL ? f->type->of_type : f->type;
    out->item_non_null = inner->kind == GG_TYPE_REF_LIST && inner->of_type->kind == GG_TYPE_REF_NON_NULL;
    out->generated = declared == NULL;
    out->loc = declared ? declared->loc : mi->loc;
    for (unsigned r = 0; r < mi->relations.count; r++)
        if (mi->relations.items[r].field && strcmp(mi->relations.items[r].field->name.value, f->name.value) == 0)
            out->relation = mi->relations.items[r].out;
    if (out->relation || amp_model_named(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_RELATION;
    else if (amp_is_enum(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_ENUM;
    else if (amp_is_embedded(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_EMBEDDED;
    else
        out->kind = GG_AMPLIFY_FIELD_SCALAR;
    if (out->kind != GG_AMPLIFY_FIELD_RELATION) {
        out->column = out->name;
        const gg_directive *refers =
            declared ? amp_find_dir(declared->directives, declared->directive_count, "refersTo") : NULL;
        const char *col = refers ? amp_str_value(t, amp_dir_arg(refers, "name")) : NULL;
        if (col) out->column = col;
    }
    out->is_primary_key = strcmp(f->name.value, mi->pk) == 0;
    for (unsigned i = 0; i < mi->sk.count; i++)
        out->is_primary_key = out->is_primary_key || strcmp(f->name.value, mi->sk.items[i]) == 0;
    if (declared) {
        const gg_directive *dflt = amp_find_dir(declared->directives, declared->directive_count, "default");
        if (dflt) {
            out->default_value = amp_str_value(t, amp_dir_arg(dflt, "value"));
            check_default(t, mi, dflt, out);
        }
        const gg_directive *auth = amp_find_dir(declared->directives, declared->directive_count, "auth");
        if (auth) {
            rulevec rules = {0};
            amp_read_rules(t, mi->def, auth, &rules);
            out->auth_rules = rules.items;
            out->auth_rule_count = rules.count;
        }
    }
}

static void build_catalog(tx *t)
{
    gg_amplify_catalog *c = t->cat;
    c->models = gg_arena_array(t->a, t->models.count ? t->models.count : 1, sizeof *c->models);
    for (unsigned i = 0; i < t->models.count; i++) {
        minfo *mi = t->models.items[i];
        gg_amplify_model *m = mi->m;
        c->models[c->model_count++] = m;
        gg_strmap_put(&c->model_map, m->name, strlen(m->name), m);
        m->field_count = mi->type->fields.count;
        m->fields = gg_arena_array(t->a, m->field_count ? m->field_count : 1, sizeof *m->fields);
        for (unsigned k = 0; k < m->field_count; k++)
            build_field(t, mi, &mi->type->fields.items[k], &m->fields[k]);
        strvec keys = {0};
        pk_names(t, mi, &keys);
        m->primary_key = to_array(t, &keys);
        m->primary_key_count = keys.count;
        m->index_count = mi->indexes.count;
        m->indexes = gg_arena_array(t->a, m->index_count ? m->index_count : 1, sizeof *m->indexes);
        for (unsigned k = 0; k < m->index_count; k++) {
            const index_cfg *ix = &mi->indexes.items[k];
            m->indexes[k] = (gg_amplify_index){.name = ix->name,
                                               .partition_field = gg_arena_strdup(t->a, ix->field),
                                               .sort_fields = to_array(t, &ix->sort),
                                               .sort_count = ix->sort.count,
                                               .query_field = ix->query_field};
        }
        m->auth_rules = mi->rules.items;
        m->auth_rule_count = mi->rules.count;
        if (!m->ops.subscriptions_public && mi->no_subscriptions)
            m->ops.on_create = m->ops.on_update = m->ops.on_delete = NULL;
    }
}

typedef GG_VEC(gg_amplify_operation) opvec;

static void add_operation(tx *t, opvec *ops, gg_amplify_op_kind kind, const char *root, const char *field,
                          const gg_amplify_model *m, const gg_amplify_index *index, const char *mutation)
{
    if (field == NULL) return;
    gg_amplify_operation op = {kind, root, field, m, index, mutation};
    GG_VEC_PUSH(t->a, *ops, op);
}

/* Every generated root field, and where its model's @sql/@function siblings are. */
static void build_operations(tx *t)
{
    gg_amplify_catalog *c = t->cat;
    opvec ops = {0};
    for (unsigned i = 0; i < t->models.count; i++) {
        minfo *mi = t->models.items[i];
        const gg_amplify_model *m = mi->m;
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_GET, "Query", m->ops.get, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_LIST, "Query", m->ops.list, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_SYNC, "Query", m->ops.sync, m, NULL, NULL);
        for (unsigned k = 0; k < m->index_count; k++)
            add_operation(t, &ops, GG_AMPLIFY_OP_KIND_INDEX_QUERY, "Query", m->indexes[k].query_field, m,
                          &m->indexes[k], NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_CREATE, "Mutation", m->ops.create, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_UPDATE, "Mutation", m->ops.update, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_DELETE, "Mutation", m->ops.delete_, m, NULL, NULL);
        if (mi->no_subscriptions) continue;
        const strvec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
        const char *mut[3] = {m->ops.create, m->ops.update, m->ops.delete_};
        static const gg_amplify_op_kind kinds[3] = {GG_AMPLIFY_OP_KIND_ON_CREATE, GG_AMPLIFY_OP_KIND_ON_UPDATE,
                                                    GG_AMPLIFY_OP_KIND_ON_DELETE};
        for (int k = 0; k < 3; k++)
            for (unsigned s = 0; mut[k] && s < subs[k]->count; s++)
                add_operation(t, &ops, kinds[k], "Subscription", subs[k]->items[s], m, NULL, mut[k]);
    }
    c->operations = ops.items;
    c->operation_count = ops.count;
    gg_strmap_init(&c->operation_map, &c->arena);
    for (unsigned i = 0; i < ops.count; i++) {
        const char *key = gg_arena_printf(t->a, "%s.%s", ops.items[i].root_type, ops.items[i].field);
        gg_strmap_put(&c->operation_map, key, strlen(key), &ops.items[i]);
    }
}

/* Fields bound by @sql or @function, with their arguments. */
static void collect_custom_fields(tx *t)
{
    GG_VEC(gg_amplify_custom_field) out = {0};
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_OBJECT) continue;
            for (unsigned k = 0; k < def->field_count; k++) {
                const gg_field_def *f = &def->fields[k];
                gg_amplify_custom_field cf = {.type = gg_arena_strdup(t->a, def->name.value),
                                              .field = gg_arena_strdup(t->a, f->name.value),
                                              .loc = f->loc};
                strvec functions = {0};
                bool bound = false;
                for (unsigned m = 0; m < f->directive_count; m++) {
                    const gg_directive *dir = &f->directives[m];
                    if (strcmp(dir->name.value, "sql") == 0) {
                        bound = true;
                        cf.sql_statement = amp_str_value(t, amp_dir_arg(dir, "statement"));
                        cf.sql_reference = amp_str_value(t, amp_dir_arg(dir, "reference"));
                        if ((cf.sql_statement == NULL) == (cf.sql_reference == NULL))
                            amp_fail(t, def, dir->loc,
                                     "@sql on \"%s.%s\" needs exactly one of statement and reference.", def->name.value,
                                     f->name.value);
                    } else if (strcmp(dir->name.value, "function") == 0) {
                        bound = true;
                        const char *name = amp_str_value(t, amp_dir_arg(dir, "name"));
                        if (name) GG_VEC_PUSH(t->a, functions, name);
                    }
                }
                if (!bound) continue;
                cf.functions = functions.items;
                cf.function_count = functions.count;
                GG_VEC_PUSH(t->a, out, cf);
            }
        }
    }
    t->cat->custom_fields = out.items;
    t->cat->custom_field_count = out.count;
}

/* True when some source defines a Query type or a schema definition (else the builder would
 * refuse a schema made of models only). */
static bool sources_define_query(const gg_schema_source *sources, unsigned count)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    bool found = false;
    for (unsigned i = 0; i < count && !found; i++) {
        gg_document *doc = gg_parse(&arena, sources[i].text ? sources[i].text : "",
                                    sources[i].text ? sources[i].len : 0, NULL, &errors);
        for (unsigned k = 0; doc && k < doc->definition_count; k++) {
            const gg_definition *d = &doc->definitions[k];
            if ((d->kind == GG_DEF_SCHEMA && !d->is_extension) ||
                (d->kind == GG_DEF_OBJECT && !d->is_extension && strcmp(d->name.value, "Query") == 0))
                found = true;
        }
        if (doc == NULL) found = true; /* let the builder report the syntax error */
    }
    gg_arena_free(&arena);
    return found;
}

static const char placeholder_sdl[] = "type Query { _graphgate_placeholder: Boolean }\n";

gg_amplify_catalog *gg_amplify_transform(const gg_schema_source *sources, unsigned count,
                                         const gg_amplify_options *opts, gg_buf *served_sdl, gg_error_list *errors)
{
    gg_amplify_options defaults = {.sync = false, .default_auth = GG_AMPLIFY_PROVIDER_API_KEY};
    bool placeholder = !sources_define_query(sources, count);
    gg_schema_source *all = calloc(count + 1, sizeof *all);
    if (all == NULL) abort();
    for (unsigned i = 0; i < count; i++)
        all[i] = sources[i];
    all[count] = (gg_schema_source){"graphgate-placeholder", placeholder_sdl, sizeof placeholder_sdl - 1};
    gg_schema_options sopts = {.appsync = true, .amplify = true};
    gg_schema *schema = gg_schema_build(all, count + (placeholder ? 1 : 0), &sopts, errors);
    free(all);
    if (schema == NULL) return NULL;

    gg_amplify_catalog *cat = calloc(1, sizeof *cat);
    if (cat == NULL) abort();
    gg_arena_init(&cat->arena);
    gg_strmap_init(&cat->model_map, &cat->arena);
    gg_arena scratch;
    gg_arena_init(&scratch);
    tx t = {.a = &cat->arena,
            .s = &scratch,
            .schema = schema,
            .errors = errors,
            .opts = opts ? *opts : defaults,
            .cat = cat,
            .ok = true};
    cat->default_auth = t.opts.default_auth;
    t.user_doc_count = count;
    t.first_user_doc = schema->document_count - count - (placeholder ? 1 : 0);
    t.doc_names = gg_arena_array(&scratch, count ? count : 1, sizeof *t.doc_names);
    for (unsigned i = 0; i < count; i++)
        t.doc_names[i] = sources[i].name ? sources[i].name : "schema.graphql";
    gg_strmap_init(&t.out_map, &scratch);
    gg_strmap_init(&t.model_map, &scratch);
    gg_strmap_init(&t.nested_seen, &scratch);

    amp_collect_models(&t);
    if (t.ok) amp_make_join_models(&t);
    if (t.ok) {
        amp_start_output(&t);
        amp_add_shared_inputs(&t);
        for (unsigned i = 0; i < t.models.count; i++) {
            amp_model_step(&t, t.models.items[i]);
            sandbox_step(&t, t.models.items[i]);
        }
        for (unsigned i = 0; i < t.models.count; i++)
            primary_key_step(&t, t.models.items[i]);
        for (unsigned i = 0; i < t.models.count; i++)
            index_step(&t, t.models.items[i]);
        relations_step(&t);
        for (unsigned i = 0; i < t.models.count; i++)
            auth_step(&t, t.models.items[i]);
        non_model_auth_step(&t);
        if (t.query == NULL || t.query->fields.count == 0) {
            const minfo *first = t.models.count ? t.models.items[0] : NULL;
            gg_loc loc = {0, 1, 1};
            amp_fail(&t, first ? first->def : NULL, first ? first->loc : loc,
                     "The schema has no query: write a Query type, or a @model type whose queries are not turned off.");
        }
        build_catalog(&t);
        build_operations(&t);
        collect_custom_fields(&t);
    }
    gg_buf sdl;
    gg_buf_init(&sdl);
    if (t.ok) {
        print_output(&t, &sdl);
        /* the served schema must build as an AppSync schema; anything else is a bug here */
        gg_error_list check;
        gg_error_list_init(&check, &scratch);
        gg_schema_source served = {"served-schema", sdl.data, sdl.len};
        gg_schema_options appsync = {.appsync = true};
        gg_schema *s = gg_schema_build(&served, 1, &appsync, &check);
        if (s == NULL) {
            gg_error *e = gg_error_add(errors, "internal error: the served schema does not build: %s",
                                       check.head ? check.head->message : "unknown error");
            if (check.head && check.head->location_count) gg_error_add_location(errors, e, check.head->locations[0]);
            t.ok = false;
        }
        gg_schema_free(s);
    }
    if (t.ok) gg_buf_append(served_sdl, sdl.data, sdl.len);
    gg_buf_free(&sdl);
    gg_arena_free(&scratch);
    gg_schema_free(schema);
    if (!t.ok) {
        gg_amplify_catalog_free(cat);
        return NULL;
    }
    return cat;
}

const gg_amplify_model *gg_amplify_find_model(const gg_amplify_catalog *catalog, const char *name)
{
    return catalog && name ? gg_strmap_gets(&catalog->model_map, name) : NULL;
}

const gg_amplify_operation *gg_amplify_find_operation(const gg_amplify_catalog *catalog, const char *root_type,
                                                      const char *field)
{
    if (catalog == NULL || root_type == NULL || field == NULL || catalog->operation_count == 0) return NULL;
    char key[512];
    int n = snprintf(key, sizeof key, "%s.%s", root_type, field);
    if (n < 0 || (size_t)n >= sizeof key) return NULL;
    return gg_strmap_get(&catalog->operation_map, key, (size_t)n);
}

const gg_amplify_field *gg_amplify_find_field(const gg_amplify_model *model, const char *name)
{
    for (unsigned i = 0; model && name && i < model->field_count; i++)
        if (strcmp(model->fields[i].name, name) == 0) return &model->fields[i];
    return NULL;
}

void gg_amplify_catalog_free(gg_amplify_catalog *catalog)
{
    if (catalog == NULL) return;
    gg_arena_free(&catalog->arena);
    free(catalog);
}
