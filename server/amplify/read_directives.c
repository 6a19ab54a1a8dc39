/* read_directives.c: step 1 of the @model transform: the @model types of the user's SDL, in
 * order, and what their directives say, read into one minfo per model (transform_internal.h):
 * @model's operation names, subscription level and timestamps; @auth rules with the
 * transformer's defaults (type level and field level); @primaryKey and @index, checked with the
 * index transformer's messages; relation directives, checked with the relational transformer's
 * messages; @mapsTo/@refersTo table names and the sandbox-mode global auth rule (AMPLIFY input).
 *
 * Design: everything is read before anything is generated, so later steps only look at minfo.
 * Rules, keys and @model config are read for every model before relations, because relations
 * look at the target's indexes. Key and relation directives outside @model types, @model on
 * root types or extensions, and root types with non-standard names are errors. Names given as
 * strings (operation names, timestamps, owner fields, index and relation names) must be GraphQL
 * names, since they become names in the served schema. What is read lives in the catalog arena. */
#include "transform_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Names given as strings (operation names, timestamps, owner fields, query fields, relation
 * names) become GraphQL names in the served schema, so they must be valid ones. */
static bool valid_name(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)s[0]) || s[0] == '_') || strncmp(s, "__", 2) == 0) return false;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_')) return false;
    return true;
}

static void check_name(tx *t, const gg_definition *def, gg_loc loc, const char *name, const char *what)
{
    if (name != NULL && !valid_name(name)) amp_fail(t, def, loc, "%s \"%s\" is not a valid GraphQL name.", what, name);
}

static const gg_value *obj_field(const gg_value *v, const char *name)
{
    for (unsigned i = 0; v && v->kind == GG_VALUE_OBJECT && i < v->field_count; i++)
        if (strcmp(v->fields[i].name.value, name) == 0) return v->fields[i].value;
    return NULL;
}

static bool is_null(const gg_value *v)
{
    return v != NULL && v->kind == GG_VALUE_NULL;
}

/* A [String] argument (a single string is coerced to a one-element list, as GraphQL does). */
static void str_list(tx *t, const gg_value *v, strvec *out)
{
    if (v == NULL || v->kind == GG_VALUE_NULL) return;
    if (v->kind != GG_VALUE_LIST) {
        const char *s = amp_str_value(t, v);
        if (s) GG_VEC_PUSH(t->a, *out, s);
        return;
    }
    for (unsigned i = 0; i < v->item_count; i++) {
        const char *s = amp_str_value(t, v->items[i]);
        if (s) GG_VEC_PUSH(t->a, *out, s);
    }
}

const gg_field_def *amp_user_field(const minfo *mi, const char *name)
{
    for (unsigned i = 0; i < mi->ufields.count; i++)
        if (strcmp(mi->ufields.items[i].name.value, name) == 0) return &mi->ufields.items[i];
    return NULL;
}

static bool provider_from(const char *s, gg_amplify_provider *p)
{
    static const char *const names[] = {"apiKey", "iam", "identityPool", "oidc", "userPools", "function"};
    for (int i = 0; i < 6; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *p = (gg_amplify_provider)i;
            return true;
        }
    return false;
}

static unsigned operation_bits(const char *s)
{
    static const struct {
        const char *name;
        unsigned bits;
    } ops[] = {{"create", GG_AMPLIFY_OP_CREATE}, {"update", GG_AMPLIFY_OP_UPDATE}, {"delete", GG_AMPLIFY_OP_DELETE},
               {"read", GG_AMPLIFY_OP_READ},     {"get", GG_AMPLIFY_OP_GET},       {"list", GG_AMPLIFY_OP_LIST},
               {"sync", GG_AMPLIFY_OP_SYNC},     {"listen", GG_AMPLIFY_OP_LISTEN}, {"search", GG_AMPLIFY_OP_SEARCH}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, s) == 0) return ops[i].bits;
    return 0;
}

/* Reads @auth(rules: [...]) with the transformer's defaults. */
void amp_read_rules(tx *t, const gg_definition *def, const gg_directive *auth, rulevec *out)
{
    const gg_value *rules = amp_dir_arg(auth, "rules");
    if (rules == NULL) return;
    unsigned n = rules->kind == GG_VALUE_LIST ? rules->item_count : 1;
    for (unsigned i = 0; i < n; i++) {
        const gg_value *r = rules->kind == GG_VALUE_LIST ? rules->items[i] : rules;
        gg_amplify_auth_rule rule = {0};
        rule.loc = r->loc;
        const char *allow = amp_str_value(t, obj_field(r, "allow"));
        static const char *const strategies[] = {"public", "private", "owner", "groups", "custom"};
        for (int k = 0; k < 5; k++)
            if (allow && strcmp(allow, strategies[k]) == 0) rule.allow = (gg_amplify_strategy)k;
        static const gg_amplify_provider defaults[] = {GG_AMPLIFY_PROVIDER_API_KEY, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                       GG_AMPLIFY_PROVIDER_USER_POOLS, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                       GG_AMPLIFY_PROVIDER_FUNCTION};
        rule.provider = defaults[rule.allow];
        const char *provider = amp_str_value(t, obj_field(r, "provider"));
        if (provider) provider_from(provider, &rule.provider);
        if (rule.allow == GG_AMPLIFY_ALLOW_OWNER) {
            rule.owner_field = amp_str_value(t, obj_field(r, "ownerField"));
            if (rule.owner_field == NULL) rule.owner_field = "owner";
            rule.identity_claim = amp_str_value(t, obj_field(r, "identityClaim"));
            if (rule.identity_claim == NULL)
                rule.identity_claim = rule.provider == GG_AMPLIFY_PROVIDER_OIDC ? "sub" : "sub::username";
        }
        if (rule.allow == GG_AMPLIFY_ALLOW_GROUPS) {
            rule.group_claim = amp_str_value(t, obj_field(r, "groupClaim"));
            if (rule.group_claim == NULL) rule.group_claim = "cognito:groups";
            strvec groups = {0};
            const gg_value *g = obj_field(r, "groups");
            str_list(t, g, &groups);
            rule.groups = groups.items;
            rule.group_count = groups.count;
            if (g == NULL || is_null(g)) {
                rule.groups_field = amp_str_value(t, obj_field(r, "groupsField"));
                if (rule.groups_field == NULL) rule.groups_field = "groups";
            }
        }
        const gg_value *ops = obj_field(r, "operations");
        if (ops == NULL || is_null(ops)) {
            rule.operations = GG_AMPLIFY_OP_ALL;
        } else {
            strvec names = {0};
            str_list(t, ops, &names);
            for (unsigned k = 0; k < names.count; k++)
                rule.operations |= operation_bits(names.items[k]);
        }
        if (rule.allow == GG_AMPLIFY_ALLOW_PUBLIC && rule.provider != GG_AMPLIFY_PROVIDER_API_KEY &&
            rule.provider != GG_AMPLIFY_PROVIDER_IAM && rule.provider != GG_AMPLIFY_PROVIDER_IDENTITY_POOL)
            amp_fail(t, def, r->loc, "@auth: allow: public works with provider apiKey or iam only, not %s.", provider);
        if ((rule.allow == GG_AMPLIFY_ALLOW_OWNER || rule.allow == GG_AMPLIFY_ALLOW_GROUPS) &&
            rule.provider != GG_AMPLIFY_PROVIDER_USER_POOLS && rule.provider != GG_AMPLIFY_PROVIDER_OIDC)
            amp_fail(t, def, r->loc, "@auth: allow: %s works with provider userPools or oidc only, not %s.", allow,
                     provider);
        check_name(t, def, r->loc, rule.owner_field, "@auth: ownerField");
        check_name(t, def, r->loc, rule.groups_field, "@auth: groupsField");
        GG_VEC_PUSH(t->a, *out, rule);
    }
}

/* get/list/... names: absent -> default, null -> none, string -> that name. */
static const char *op_name(tx *t, const gg_value *map, bool map_null, const char *key, const char *dflt)
{
    if (map_null) return NULL;
    const gg_value *v = obj_field(map, key);
    if (v == NULL) return dflt;
    return is_null(v) ? NULL : amp_str_value(t, v);
}

static void sub_names(tx *t, const gg_value *map, const char *key, const char *dflt, strvec *out)
{
    const gg_value *v = obj_field(map, key);
    if (v == NULL) {
        GG_VEC_PUSH(t->a, *out, dflt);
        return;
    }
    str_list(t, v, out);
}

static void read_model_config(tx *t, minfo *mi, const gg_directive *model)
{
    gg_amplify_model *m = mi->m;
    const char *n = m->name, *p = m->plural;
    const gg_value *q = amp_dir_arg(model, "queries"), *mu = amp_dir_arg(model, "mutations");
    const gg_value *su = amp_dir_arg(model, "subscriptions"), *ts = amp_dir_arg(model, "timestamps");
    m->ops.get = op_name(t, q, is_null(q), "get", gg_arena_printf(t->a, "get%s", n));
    m->ops.list = op_name(t, q, is_null(q), "list", gg_arena_printf(t->a, "list%s", p));
    if (t->opts.sync && !is_null(q)) m->ops.sync = gg_arena_printf(t->a, "sync%s", p);
    m->ops.create = op_name(t, mu, is_null(mu), "create", gg_arena_printf(t->a, "create%s", n));
    m->ops.update = op_name(t, mu, is_null(mu), "update", gg_arena_printf(t->a, "update%s", n));
    m->ops.delete_ = op_name(t, mu, is_null(mu), "delete", gg_arena_printf(t->a, "delete%s", n));
    if (is_null(su)) {
        mi->no_subscriptions = true;
    } else {
        const char *level = amp_str_value(t, obj_field(su, "level"));
        mi->sub_level = level == NULL || strcmp(level, "on") == 0 ? 0 : strcmp(level, "public") == 0 ? 1 : 2;
        sub_names(t, su, "onCreate", gg_arena_printf(t->a, "onCreate%s", n), &mi->on_create);
        sub_names(t, su, "onUpdate", gg_arena_printf(t->a, "onUpdate%s", n), &mi->on_update);
        sub_names(t, su, "onDelete", gg_arena_printf(t->a, "onDelete%s", n), &mi->on_delete);
        if (mi->sub_level == 2) mi->no_subscriptions = true;
    }
    m->ops.subscriptions_public = mi->sub_level == 1;
    if (!mi->no_subscriptions) {
        if (m->ops.create && mi->on_create.count) m->ops.on_create = mi->on_create.items[0];
        if (m->ops.update && mi->on_update.count) m->ops.on_update = mi->on_update.items[0];
        if (m->ops.delete_ && mi->on_delete.count) m->ops.on_delete = mi->on_delete.items[0];
    }
    if (!is_null(ts)) {
        m->created_at = op_name(t, ts, false, "createdAt", "createdAt");
        m->updated_at = op_name(t, ts, false, "updatedAt", "updatedAt");
    }
    const char *names[] = {m->ops.get,     m->ops.list,   m->ops.create, m->ops.update,
                           m->ops.delete_, m->created_at, m->updated_at};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        check_name(t, mi->def, model->loc, names[i], "@model:");
    const strvec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3; k++)
        for (unsigned i = 0; i < subs[k]->count; i++)
            check_name(t, mi->def, model->loc, subs[k]->items[i], "@model:");
}

static bool is_key_type(tx *t, const gg_type_ref *type)
{
    return !amp_tr_is_list(type) && (amp_base_scalar(amp_tr_base(type)) || amp_is_enum(t, amp_tr_base(type)));
}

/* Checks a primary key (index_name NULL) or an index: the key fields exist, are scalars or
 * enums, and do not repeat the partition field; the index transformer's messages. */
static bool check_key_fields(tx *t, minfo *mi, const gg_field_def *partition, const strvec *sort,
                             const char *index_name, gg_loc loc)
{
    bool ok = true;
    const char *model = mi->m->name, *pname = partition->name.value;
    if (!is_key_type(t, partition->type)) {
        if (index_name)
            amp_fail(t, mi->def, loc, "Index '%s' on type '%s.%s' cannot be a non-scalar.", index_name, model, pname);
        else
            amp_fail(t, mi->def, loc, "The primary key on type '%s.%s' cannot be a non-scalar.", model, pname);
        ok = false;
    }
    for (unsigned i = 0; i < sort->count; i++) {
        const char *name = sort->items[i];
        const gg_field_def *f = amp_user_field(mi, name);
        if (strcmp(name, pname) == 0) {
            amp_fail(t, mi->def, loc, "@%s field '%s' cannot reference itself.", index_name ? "index" : "primaryKey",
                     name);
            ok = false;
        } else if (f == NULL) {
            if (index_name)
                amp_fail(t, mi->def, loc, "Can't find field '%s' in %s, but it was specified in index '%s'.", name,
                         model, index_name);
            else
                amp_fail(t, mi->def, loc, "Can't find field '%s' in %s, but it was specified in the primary key.", name,
                         model);
            ok = false;
        } else if (!is_key_type(t, f->type)) {
            if (index_name)
                amp_fail(t, mi->def, loc, "The sort key of index '%s' on type '%s.%s' cannot be a non-scalar.",
                         index_name, model, name);
            else
                amp_fail(t, mi->def, loc, "The primary key's sort key on type '%s.%s' cannot be a non-scalar.", model,
                         name);
            ok = false;
        }
    }
    return ok;
}

static void read_keys(tx *t, minfo *mi)
{
    for (unsigned i = 0; i < mi->ufields.count; i++) {
        const gg_field_def *f = &mi->ufields.items[i];
        for (unsigned k = 0; k < f->directive_count; k++) {
            const gg_directive *d = &f->directives[k];
            if (strcmp(d->name.value, "primaryKey") == 0) {
                if (mi->custom_pk) {
                    amp_fail(t, mi->def, d->loc, "You may only supply one primary key on type '%s'.", mi->m->name);
                    continue;
                }
                mi->custom_pk = true;
                mi->pk = gg_arena_strdup(t->a, f->name.value);
                str_list(t, amp_dir_arg(d, "sortKeyFields"), &mi->sk);
                bool nullable = f->type->kind != GG_TYPE_REF_NON_NULL;
                if (check_key_fields(t, mi, f, &mi->sk, NULL, d->loc)) {
                    for (unsigned s = 0; s < mi->sk.count; s++)
                        nullable = nullable || amp_user_field(mi, mi->sk.items[s])->type->kind != GG_TYPE_REF_NON_NULL;
                    if (nullable)
                        amp_fail(t, mi->def, d->loc, "The primary key on type '%s' must reference non-null fields.",
                                 mi->m->name);
                }
            } else if (strcmp(d->name.value, "index") == 0) {
                index_cfg ix = {.field = gg_arena_strdup(t->a, f->name.value), .type = f->type, .loc = d->loc};
                str_list(t, amp_dir_arg(d, "sortKeyFields"), &ix.sort);
                strvec all = {0};
                GG_VEC_PUSH(t->a, all, ix.field);
                for (unsigned s = 0; s < ix.sort.count; s++)
                    GG_VEC_PUSH(t->a, all, ix.sort.items[s]);
                gg_buf auto_name;
                gg_buf_init(&auto_name);
                gg_buf_printf(&auto_name, "%sBy", amp_lower_first(t->a, mi->m->plural));
                for (unsigned s = 0; s < all.count; s++)
                    gg_buf_printf(&auto_name, "%s%s", s ? "And" : "", amp_upper_first(t->a, all.items[s]));
                const char *generated = gg_arena_strdup(t->a, auto_name.data);
                gg_buf_free(&auto_name);
                ix.name = amp_str_value(t, amp_dir_arg(d, "name"));
                if (ix.name == NULL) ix.name = generated;
                const gg_value *qf = amp_dir_arg(d, "queryField");
                ix.query_field = qf == NULL ? generated : is_null(qf) ? NULL : amp_str_value(t, qf);
                check_key_fields(t, mi, f, &ix.sort, ix.name, d->loc);
                check_name(t, mi->def, d->loc, ix.name, "@index: name");
                check_name(t, mi->def, d->loc, ix.query_field, "@index: queryField");
                for (unsigned o = 0; o < mi->indexes.count; o++)
                    if (strcmp(mi->indexes.items[o].name, ix.name) == 0)
                        amp_fail(t, mi->def, d->loc, "You may only supply one @index with the name '%s' on type '%s'.",
                                 ix.name, mi->m->name);
                GG_VEC_PUSH(t->a, mi->indexes, ix);
            }
        }
    }
    if (!mi->custom_pk) mi->pk = "id";
}

static const char *const relation_names[] = {"hasMany", "hasOne", "belongsTo", "manyToMany"};

static void read_relations(tx *t, minfo *mi)
{
    for (unsigned i = 0; i < mi->ufields.count; i++) {
        const gg_field_def *f = &mi->ufields.items[i];
        for (unsigned k = 0; k < f->directive_count; k++) {
            const gg_directive *d = &f->directives[k];
            int kind = -1;
            for (int r = 0; r < 4; r++)
                if (strcmp(d->name.value, relation_names[r]) == 0) kind = r;
            if (kind < 0) continue;
            relation_cfg rc = {.kind = (gg_amplify_relation_kind)kind, .field = f, .dir = d, .limit = 100};
            rc.target = gg_arena_strdup(t->a, amp_tr_base(f->type));
            str_list(t, amp_dir_arg(d, "fields"), &rc.fields);
            str_list(t, amp_dir_arg(d, "references"), &rc.references);
            rc.index_name =
                amp_str_value(t, amp_dir_arg(d, kind == GG_AMPLIFY_BELONGS_TO ? "overrideIndexName" : "indexName"));
            rc.relation_name = amp_str_value(t, amp_dir_arg(d, "relationName"));
            const gg_value *limit = amp_dir_arg(d, "limit");
            if (limit && limit->kind == GG_VALUE_INT) rc.limit = (unsigned)strtoul(limit->text, NULL, 10);
            minfo *target = amp_model_named(t, rc.target);
            bool list = amp_tr_is_list(f->type);
            if (target == NULL) {
                amp_fail(t, mi->def, d->loc, "Object type %s must be annotated with @model.", rc.target);
                continue;
            }
            if (kind == GG_AMPLIFY_HAS_MANY && !list)
                amp_fail(t, mi->def, d->loc, "@hasMany must be used with a list. Use @hasOne for non-list types.");
            if (kind == GG_AMPLIFY_MANY_TO_MANY && !list)
                amp_fail(t, mi->def, d->loc, "@manyToMany must be used with a list.");
            if (kind == GG_AMPLIFY_HAS_ONE && list)
                amp_fail(t, mi->def, d->loc, "@hasOne cannot be used with lists. Use @hasMany instead.");
            if (kind == GG_AMPLIFY_BELONGS_TO && list)
                amp_fail(t, mi->def, d->loc, "@belongsTo cannot be used with lists.");
            if (rc.fields.count && rc.references.count)
                amp_fail(t, mi->def, d->loc,
                         "fields and references cannot be defined in the same %s. Use 'references'.",
                         relation_names[kind]);
            for (unsigned s = 0; s < rc.fields.count; s++)
                if (amp_user_field(mi, rc.fields.items[s]) == NULL)
                    amp_fail(t, mi->def, d->loc, "%s is not a field in %s", rc.fields.items[s], mi->m->name);
            /* references name the target's fields, except for @belongsTo, where they are this model's */
            minfo *holder = kind == GG_AMPLIFY_BELONGS_TO ? mi : target;
            for (unsigned s = 0; s < rc.references.count; s++)
                if (amp_user_field(holder, rc.references.items[s]) == NULL)
                    amp_fail(t, mi->def, d->loc, "%s is not a field in %s", rc.references.items[s], holder->m->name);
            if (kind == GG_AMPLIFY_HAS_MANY && rc.index_name && rc.fields.count) {
                bool found = false;
                for (unsigned s = 0; s < target->indexes.count; s++)
                    found = found || strcmp(target->indexes.items[s].name, rc.index_name) == 0;
                if (!found)
                    amp_fail(t, mi->def, d->loc, "Index %s does not exist for model %s", rc.index_name, rc.target);
            }
            check_name(t, mi->def, d->loc, rc.relation_name, "@manyToMany: relationName");
            GG_VEC_PUSH(t->a, mi->relations, rc);
        }
    }
}

minfo *amp_new_minfo(tx *t, const char *name, gg_loc loc)
{
    minfo *mi = gg_arena_alloc(t->a, sizeof *mi);
    mi->m = gg_arena_alloc(t->a, sizeof *mi->m);
    mi->m->name = gg_arena_strdup(t->a, name);
    mi->m->plural = amp_pluralize(t->a, name);
    mi->m->table = mi->m->name;
    mi->m->loc = loc;
    mi->m->sync = t->opts.sync;
    mi->loc = loc;
    mi->index = t->models.count;
    GG_VEC_PUSH(t->a, t->models, mi);
    gg_strmap_put(&t->model_map, name, strlen(name), mi);
    return mi;
}

/* The models of the user's SDL, in order. */
void amp_collect_models(tx *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind == GG_DEF_INPUT_OBJECT && strcmp(def->name.value, "AMPLIFY") == 0) {
                for (unsigned k = 0; k < def->input_field_count; k++) {
                    const gg_input_value_def *f = &def->input_fields[k];
                    if (strcmp(f->name.value, "globalAuthRule") == 0 && f->default_value &&
                        amp_str_value(t, obj_field(f->default_value, "allow")) &&
                        strcmp(amp_str_value(t, obj_field(f->default_value, "allow")), "public") == 0)
                        t->cat->sandbox_public = true;
                }
            }
            if (def->kind == GG_DEF_SCHEMA)
                for (unsigned k = 0; k < def->operation_type_count; k++) {
                    const gg_operation_type_def *ot = &def->operation_types[k];
                    const char *want = ot->operation == GG_OP_QUERY      ? "Query"
                                       : ot->operation == GG_OP_MUTATION ? "Mutation"
                                                                         : "Subscription";
                    if (strcmp(ot->type.value, want) != 0)
                        amp_fail(t, def, ot->loc,
                                 "The %s root type must be named \"%s\" in a schema with @model types, not \"%s\".",
                                 gg_operation_kind_name(ot->operation), want, ot->type.value);
                }
            const gg_directive *model = amp_find_dir(def->directives, def->directive_count, "model");
            if (def->kind != GG_DEF_OBJECT || model == NULL) continue;
            const char *name = def->name.value;
            if (strcmp(name, "Query") == 0 || strcmp(name, "Mutation") == 0 || strcmp(name, "Subscription") == 0) {
                amp_fail(t, def, model->loc,
                         "'%s' is a reserved type name and currently in use within the default schema element.", name);
                continue;
            }
            if (def->is_extension) {
                amp_fail(t, def, model->loc, "@model must be on the definition of type \"%s\", not on an extension.",
                         name);
                continue;
            }
            minfo *mi = amp_new_minfo(t, name, def->loc);
            mi->def = def;
            for (unsigned k = 0; k < def->field_count; k++) {
                GG_VEC_PUSH(t->a, mi->ufields, def->fields[k]);
                if (strcmp(def->fields[k].name.value, "id") == 0) mi->declares_id = true;
            }
            const gg_directive *maps = amp_find_dir(def->directives, def->directive_count, "mapsTo");
            const gg_directive *refers = amp_find_dir(def->directives, def->directive_count, "refersTo");
            const char *table = amp_str_value(t, amp_dir_arg(refers ? refers : maps, "name"));
            if (table) mi->m->table = table;
        }
    }
    /* key and relation directives only mean something on a @model type */
    static const char *const model_only[] = {"primaryKey", "index",      "hasMany", "hasOne",
                                             "belongsTo",  "manyToMany", "default"};
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if ((def->kind != GG_DEF_OBJECT && def->kind != GG_DEF_INTERFACE) || amp_model_named(t, def->name.value))
                continue;
            for (unsigned k = 0; k < def->field_count; k++)
                for (unsigned m = 0; m < def->fields[k].directive_count; m++) {
                    const gg_directive *dir = &def->fields[k].directives[m];
                    for (size_t n = 0; n < sizeof model_only / sizeof model_only[0]; n++) {
                        if (strcmp(dir->name.value, model_only[n]) != 0) continue;
                        if (n < 2 || n == 6)
                            amp_fail(t, def, dir->loc,
                                     "The @%s directive may only be added to object definitions annotated with @model.",
                                     model_only[n]);
                        else
                            amp_fail(t, def, dir->loc, "@%s must be on an @model object type field.", model_only[n]);
                    }
                }
        }
    }
    /* extensions may add fields to a model */
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            minfo *mi = def->kind == GG_DEF_OBJECT && def->is_extension ? amp_model_named(t, def->name.value) : NULL;
            for (unsigned k = 0; mi && k < def->field_count; k++)
                GG_VEC_PUSH(t->a, mi->ufields, def->fields[k]);
        }
    }
    /* rules, keys and config first (relations look at the target's indexes) */
    for (unsigned i = 0; i < t->models.count; i++) {
        minfo *mi = t->models.items[i];
        const gg_directive *auth = amp_find_dir(mi->def->directives, mi->def->directive_count, "auth");
        if (auth) {
            mi->m->has_auth = true;
            amp_read_rules(t, mi->def, auth, &mi->rules);
        }
        read_model_config(t, mi, amp_find_dir(mi->def->directives, mi->def->directive_count, "model"));
        read_keys(t, mi);
        for (unsigned k = 0; k < mi->ufields.count; k++) {
            const gg_field_def *f = &mi->ufields.items[k];
            const gg_directive *field_auth = amp_find_dir(f->directives, f->directive_count, "auth");
            if (field_auth == NULL) continue;
            rulevec own = {0};
            amp_read_rules(t, mi->def, field_auth, &own);
            GG_VEC_PUSH(t->a, mi->per_field_rules, own);
            GG_VEC_PUSH(t->a, mi->per_field_names, f->name.value);
            for (unsigned r = 0; r < own.count; r++)
                GG_VEC_PUSH(t->a, mi->field_rules, own.items[r]);
        }
        for (unsigned k = 0; k < mi->rules.count; k++)
            GG_VEC_PUSH(t->a, mi->all_rules, mi->rules.items[k]);
        for (unsigned k = 0; k < mi->field_rules.count; k++)
            GG_VEC_PUSH(t->a, mi->all_rules, mi->field_rules.items[k]);
    }
    for (unsigned i = 0, n = t->models.count; i < n; i++)
        read_relations(t, t->models.items[i]);
}
