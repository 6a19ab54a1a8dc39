/* auth.c: step 4c of the @model transform: @auth (the transformer's auth plugin): owner fields
 * on the model type and its filter, condition and subscription filter; the @aws_* directives
 * that the rules' providers need on the type, on each operation and on the non-model types the
 * model returns; owner arguments on subscriptions; and the auth transformer's check that
 * field-level rules still let every reader read each required field. Models without @auth get
 * @aws_api_key in sandbox mode (when API key is not the default mode); fields of non-model
 * types with @auth get their providers' directives.
 *
 * Design: a provider's directive is needed unless it is the API's default mode and the only one
 * (the transformer's getServiceDirectives). Roles are compared as the transformer's access
 * matrix names them (strategy:provider:field:claim, one per static group); a role may delete
 * only if it may delete every field. A field given directives moves to the end of its type, as
 * the transformer removes and re-appends it. The sandbox-mode difference from the transformer is
 * listed in transform.c. */
#include "transform_internal.h"

#include <stdio.h>
#include <string.h>

const char *const gg_amplify_provider_directive_names[] = {
    "aws_api_key", "aws_iam", "aws_iam", "aws_oidc", "aws_cognito_user_pools", "aws_lambda"};

static bool providers_equal(gg_amplify_provider a, gg_amplify_provider b)
{
    bool a_is_iam = a == GG_AMPLIFY_PROVIDER_IAM || a == GG_AMPLIFY_PROVIDER_IDENTITY_POOL;
    bool b_is_iam = b == GG_AMPLIFY_PROVIDER_IAM || b == GG_AMPLIFY_PROVIDER_IDENTITY_POOL;
    return a == b || (a_is_iam && b_is_iam);
}

typedef struct providers {
    gg_amplify_provider items[16];
    unsigned count;
} providers;

static providers providers_for(const rule_vec *rules, unsigned op)
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
static providers delete_providers(transform_state *t, const model_info *mi)
{
    providers p = {.count = 0};
    const char *roles[32];
    for (unsigned i = 0; i < mi->rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->rules.items[i];
        if ((r->operations & GG_AMPLIFY_OP_DELETE) == 0) continue;
        unsigned n = rule_roles(t->scratch_arena, r, roles, 32);
        bool granted = false;
        for (unsigned k = 0; k < n && !granted; k++) {
            granted = true;
            for (unsigned f = 0; f < mi->per_field_rules.count && granted; f++) {
                const rule_vec *own = &mi->per_field_rules.items[f];
                granted = rules_grant(t->scratch_arena, own->items, own->count, roles[k], GG_AMPLIFY_OP_DELETE);
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
static bool rules_grant_all(gg_arena *a, const rule_vec *rules, const char *role, unsigned ops)
{
    for (unsigned bit = 1; bit <= ops; bit <<= 1)
        if ((ops & bit) && !rules_grant(a, rules->items, rules->count, role, bit)) return false;
    return true;
}

/* The auth transformer's check that every role able to read the model can read each of its
 * non-null fields (else a field-level rule would null a required field): a signed-in-user
 * (private) role that reads a field fully stands in for the other roles of its provider. */
static void check_field_read_access(transform_state *t, model_info *mi)
{
    if (mi->per_field_rules.count == 0 || mi->no_subscriptions || mi->subscription_level != 0) return;
    string_vec read_roles = {0};
    const char *roles[32];
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        if ((mi->all_rules.items[i].operations & GG_AMPLIFY_OP_READ) == 0) continue;
        unsigned n = rule_roles(t->scratch_arena, &mi->all_rules.items[i], roles, 32);
        for (unsigned k = 0; k < n; k++) {
            bool seen = false;
            for (unsigned j = 0; j < read_roles.count; j++)
                seen = seen || strcmp(read_roles.items[j], roles[k]) == 0;
            if (!seen) GG_VEC_PUSH(t->scratch_arena, read_roles, roles[k]);
        }
    }
    gg_buf missing;
    gg_buf_init(&missing);
    for (unsigned f = 0; f < mi->user_fields.count; f++) {
        const gg_field_def *fd = &mi->user_fields.items[f];
        const rule_vec *rules = &mi->rules;
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
                up_covers = rules_grant_all(t->scratch_arena, rules, up_private, GG_AMPLIFY_OP_READ);
            if (strcmp(read_roles.items[j], oidc_private) == 0)
                oidc_covers = rules_grant_all(t->scratch_arena, rules, oidc_private, GG_AMPLIFY_OP_READ);
        }
        bool denied = false;
        for (unsigned j = 0; j < read_roles.count && !denied; j++) {
            const char *role = read_roles.items[j];
            if ((up_covers && strstr(role, up_prefix) && strcmp(role, up_private) != 0) ||
                (oidc_covers && strstr(role, oidc_prefix) && strcmp(role, oidc_private) != 0))
                continue; /* stood in for by the private role */
            denied = !rules_grant(t->scratch_arena, rules->items, rules->count, role, GG_AMPLIFY_OP_READ);
        }
        if (denied && fd->type->kind == GG_TYPE_REF_NON_NULL)
            gg_buf_printf(&missing, "%s\"%s\"", missing.len ? "," : "", fd->name.value);
    }
    if (missing.len)
        gg_amplify_fail(
            t, mi->def, mi->loc,
            "When using field-level authorization rules you need to add rules to all of the model's required fields "
            "with at "
            "least read permissions. Found model \"%s\" with required fields [%s] missing field-level authorization "
            "rules.",
            mi->model->name, missing.data);
    gg_buf_free(&missing);
}

static providers model_providers(transform_state *t, const model_info *mi, unsigned op)
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
static void service_directives(transform_state *t, const providers *p, bool add_default, directive_vec *out)
{
    if (p->count == 0) return;
    gg_amplify_provider default_provider = t->options.default_auth;
    static const gg_amplify_provider order[] = {GG_AMPLIFY_PROVIDER_API_KEY, GG_AMPLIFY_PROVIDER_IAM,
                                                GG_AMPLIFY_PROVIDER_OIDC, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                GG_AMPLIFY_PROVIDER_FUNCTION};
    bool has_default = false, has_other = false;
    for (unsigned i = 0; i < p->count; i++) {
        if (providers_equal(p->items[i], default_provider))
            has_default = true;
        else
            has_other = true;
    }
    for (int k = 0; k < 5; k++) {
        gg_amplify_provider provider = order[k];
        bool in = false, other = false;
        for (unsigned i = 0; i < p->count; i++) {
            if (providers_equal(p->items[i], provider))
                in = true;
            else
                other = true;
        }
        if ((!providers_equal(default_provider, provider) && in) ||
            (providers_equal(default_provider, provider) && other && add_default))
            GG_VEC_PUSH(t->scratch_arena, *out,
                        gg_amplify_directive_named(gg_amplify_provider_directive_names[provider]));
    }
    if (has_default && has_other &&
        !gg_amplify_has_directive(out, gg_amplify_provider_directive_names[default_provider]))
        GG_VEC_PUSH(t->scratch_arena, *out,
                    gg_amplify_directive_named(gg_amplify_provider_directive_names[default_provider]));
}

/* addDirectivesToOperation: the field gets the directives and moves to the end of its root
 * type (the transformer removes and re-appends it); its return type gets them too. */
static void directives_to_field(transform_state *t, output_definition *o, const char *name,
                                const directive_vec *directives, bool extend_return_type);

static void directives_to_operation(transform_state *t, output_definition *root, const char *name,
                                    const directive_vec *directives)
{
    directives_to_field(t, root, name, directives, true);
}

/* addDirectivesToField: merge, move the field to the end of its type; optionally also give the
 * directives to the type it returns (when that is a bare named type). */
static void directives_to_field(transform_state *t, output_definition *root, const char *name,
                                const directive_vec *directives, bool extend_return_type)
{
    if (root == NULL || name == NULL || directives->count == 0) return;
    gg_field_def *found = gg_amplify_object_field(root, name);
    if (found == NULL) return;
    gg_field_def f = *found;
    directive_vec merged = {0};
    for (unsigned i = 0; i < f.directive_count; i++)
        GG_VEC_PUSH(t->scratch_arena, merged, f.directives[i]);
    gg_amplify_merge_directives(t, &merged, directives);
    f.directives = merged.items;
    f.directive_count = merged.count;
    gg_amplify_object_remove_field(root, name);
    gg_amplify_add_object_field(t, root, f);
    if (extend_return_type && f.type->kind == GG_TYPE_REF_NAMED) {
        output_definition *ret = gg_amplify_output_find(t, f.type->name.value);
        if (ret) gg_amplify_merge_directives(t, &ret->directives, directives);
    }
}

/* Non-model object types a model's fields return (embedded types, and connection types once
 * relation fields became connections) get the model's provider directives, recursively: the
 * first model to reach a type gives its directives without the default mode's, later ones add
 * what is missing, default included (the transformer's propagateAuthDirectivesToNestedTypes). */
static void propagate_to_nested(transform_state *t, output_definition *o, const providers *p)
{
    for (unsigned i = 0; i < o->fields.count; i++) {
        const char *b = gg_amplify_type_base_name(o->fields.items[i].type);
        output_definition *n = gg_amplify_output_find(t, b);
        if (n == NULL || n->def.kind != GG_DEF_OBJECT || gg_amplify_model_info_named(t, b) || n == t->query ||
            n == t->mutation || n == t->subscription)
            continue;
        bool seen = gg_strmap_gets(&t->nested_seen, b) != NULL;
        directive_vec directives = {0};
        service_directives(t, p, seen, &directives);
        directive_vec fresh = {0};
        for (unsigned k = 0; k < directives.count; k++)
            if (!gg_amplify_has_directive(&n->directives, directives.items[k].name.value))
                GG_VEC_PUSH(t->scratch_arena, fresh, directives.items[k]);
        if (seen && fresh.count == 0) continue;
        gg_strmap_put(&t->nested_seen, b, strlen(b), n);
        gg_amplify_merge_directives(t, &n->directives, &fresh);
        propagate_to_nested(t, n, p);
    }
}

static void operation_directives(transform_state *t, model_info *mi, output_definition *root, const char *name,
                                 unsigned op)
{
    providers p = model_providers(t, mi, op);
    bool include_default = false;
    for (unsigned i = 0; i < p.count; i++)
        include_default = include_default || providers_equal(p.items[i], t->options.default_auth);
    directive_vec directives = {0};
    service_directives(t, &p, include_default, &directives);
    directives_to_operation(t, root, name, &directives);
}

static bool type_field_is_list(model_info *mi, const char *name)
{
    const gg_field_def *f = gg_amplify_object_field(mi->type, name);
    return f && gg_amplify_type_is_list(f->type);
}

/* Subscriptions (level on): the listen directives, and an optional argument per single-valued
 * owner field whose rule allows listening, so subscribers can ask for their own rows. */
static void protect_subscriptions(transform_state *t, model_info *mi)
{
    gg_amplify_model *m = mi->model;
    if (mi->no_subscriptions || mi->subscription_level != 0) return;
    input_value_vec owner_args = {0};
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        if (r->allow != GG_AMPLIFY_ALLOW_OWNER || !(r->operations & GG_AMPLIFY_OP_LISTEN) ||
            type_field_is_list(mi, r->owner_field))
            continue;
        bool seen = false;
        for (unsigned k = 0; k < owner_args.count; k++)
            seen = seen || strcmp(owner_args.items[k].name.value, r->owner_field) == 0;
        if (!seen)
            GG_VEC_PUSH(t->scratch_arena, owner_args,
                        gg_amplify_input_value_definition(r->owner_field, gg_amplify_type_named(t, "String")));
    }
    const char *mutation_names[3] = {m->ops.create, m->ops.update, m->ops.delete_};
    const string_vec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3; k++) {
        if (mutation_names[k] == NULL) continue;
        for (unsigned i = 0; i < subs[k]->count; i++) {
            operation_directives(t, mi, t->subscription, subs[k]->items[i], GG_AMPLIFY_OP_LISTEN);
            gg_field_def *f = gg_amplify_root_field(t->subscription, subs[k]->items[i]);
            if (f == NULL || owner_args.count == 0) continue;
            input_value_vec args = {0};
            for (unsigned a = 0; a < f->arg_count; a++)
                GG_VEC_PUSH(t->scratch_arena, args, f->args[a]);
            for (unsigned a = 0; a < owner_args.count; a++)
                GG_VEC_PUSH(t->scratch_arena, args, owner_args.items[a]);
            f->args = args.items;
            f->arg_count = args.count;
        }
    }
}

void gg_amplify_auth_step(transform_state *t, model_info *mi)
{
    gg_amplify_model *m = mi->model;
    if (!m->has_auth) return; /* sandbox directives were given in the model step */
    check_field_read_access(t, mi);
    /* dynamic auth fields cannot be filtered on by subscribers */
    for (unsigned i = 0; i < mi->all_rules.count && mi->subscription_filter; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        const char *entity = r->allow == GG_AMPLIFY_ALLOW_OWNER ? r->owner_field : r->groups_field;
        if (entity && (r->provider == GG_AMPLIFY_PROVIDER_USER_POOLS || r->provider == GG_AMPLIFY_PROVIDER_OIDC))
            gg_amplify_input_remove_field(mi->subscription_filter, entity);
    }
    string_vec owners = {0};
    for (unsigned i = 0; i < mi->all_rules.count; i++) {
        const gg_amplify_auth_rule *r = &mi->all_rules.items[i];
        if (r->allow != GG_AMPLIFY_ALLOW_OWNER) continue;
        bool seen = false;
        for (unsigned k = 0; k < owners.count; k++)
            seen = seen || strcmp(owners.items[k], r->owner_field) == 0;
        if (!seen) GG_VEC_PUSH(t->scratch_arena, owners, r->owner_field);
    }
    output_definition *inputs[3] = {mi->filter, mi->condition, mi->subscription_filter};
    for (int k = 0; k < 3; k++)
        for (unsigned i = 0; inputs[k] && i < owners.count; i++)
            if (!gg_amplify_input_has_field(inputs[k], owners.items[i]))
                gg_amplify_add_input_field(t, inputs[k], owners.items[i], gg_amplify_type_named(t, "ModelStringInput"));
    for (unsigned i = 0; i < owners.count; i++)
        if (!gg_amplify_object_field(mi->type, owners.items[i]))
            gg_amplify_add_object_field(
                t, mi->type, gg_amplify_field_definition(owners.items[i], gg_amplify_type_named(t, "String")));
    providers all = model_providers(t, mi, GG_AMPLIFY_OP_ALL);
    directive_vec type_dirs = {0};
    service_directives(t, &all, false, &type_dirs);
    gg_amplify_merge_directives(t, &mi->type->directives, &type_dirs);

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

/* Directives a model without @auth gets: @aws_api_key in sandbox mode when API key is not the
 * default mode (the transformer's "global auth rule"). */
void gg_amplify_sandbox_directives(transform_state *t, const model_info *mi, directive_vec *out)
{
    if (!mi->model->has_auth && t->catalog->sandbox_public && t->options.default_auth != GG_AMPLIFY_PROVIDER_API_KEY)
        GG_VEC_PUSH(t->scratch_arena, *out, gg_amplify_directive_named("aws_api_key"));
}

/* A model without @auth in sandbox mode: @aws_api_key on the type, the embedded types and the
 * operations, given by the model step itself as the transformer's model plugin does. */
void gg_amplify_sandbox_step(transform_state *t, model_info *mi)
{
    gg_amplify_model *m = mi->model;
    if (m->has_auth) return;
    directive_vec directives = {0};
    gg_amplify_sandbox_directives(t, mi, &directives);
    if (directives.count == 0) return;
    gg_amplify_merge_directives(t, &mi->type->directives, &directives);
    providers api_key = {.items = {GG_AMPLIFY_PROVIDER_API_KEY}, .count = 1};
    propagate_to_nested(t, mi->type, &api_key);
    const char *q[] = {m->ops.get, m->ops.list, m->ops.sync};
    for (int i = 0; i < 3; i++)
        directives_to_operation(t, t->query, q[i], &directives);
    const char *mutation_names[] = {m->ops.create, m->ops.update, m->ops.delete_};
    for (int i = 0; i < 3; i++)
        directives_to_operation(t, t->mutation, mutation_names[i], &directives);
    const string_vec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3 && !mi->no_subscriptions; k++)
        for (unsigned i = 0; i < subs[k]->count; i++)
            directives_to_operation(t, t->subscription, subs[k]->items[i], &directives);
}

/* @auth on fields of non-model types (custom queries and mutations, embedded types): the
 * field gets its providers' directives (never the default mode's alone), after the models. */
void gg_amplify_non_model_auth_step(transform_state *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_OBJECT || gg_amplify_model_info_named(t, def->name.value)) continue;
            output_definition *o = gg_amplify_output_find(t, def->name.value);
            for (unsigned k = 0; o && k < def->field_count; k++) {
                const gg_field_def *f = &def->fields[k];
                const gg_directive *auth = gg_amplify_find_directive(f->directives, f->directive_count, "auth");
                if (auth == NULL) continue;
                rule_vec rules = {0};
                gg_amplify_read_auth_rules(t, def, auth, &rules);
                providers p = providers_for(&rules, GG_AMPLIFY_OP_ALL);
                directive_vec directives = {0};
                service_directives(t, &p, false, &directives);
                directives_to_field(t, o, f->name.value, &directives, false);
            }
        }
    }
}
