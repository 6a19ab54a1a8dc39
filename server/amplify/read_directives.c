/* read_directives.c: step 1 of the @model transform: the @model types of the user's SDL, in
 * order, and what their directives say, read into one model_info per model (transform_internal.h):
 * @model's operation names, subscription level and timestamps; @auth rules with the
 * transformer's defaults (type level and field level); @primaryKey and @index, checked with the
 * index transformer's messages; relation directives, checked with the relational transformer's
 * messages; @mapsTo/@refersTo table names and the sandbox-mode global auth rule (AMPLIFY input).
 *
 * Design: everything is read before anything is generated, so later steps only look at model_info.
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

static void check_name(transform_state *t, const gg_definition *def, gg_loc loc, const char *name, const char *what)
{
    if (name != NULL && !valid_name(name))
        gg_amplify_fail(t, def, loc, "%s \"%s\" is not a valid GraphQL name.", what, name);
}

static const gg_value *object_value_field(const gg_value *v, const char *name)
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
static void read_string_list(transform_state *t, const gg_value *v, string_vec *out)
{
    if (v == NULL || v->kind == GG_VALUE_NULL) return;
    if (v->kind != GG_VALUE_LIST) {
        const char *s = gg_amplify_string_value(t, v);
        if (s) GG_VEC_PUSH(t->catalog_arena, *out, s);
        return;
    }
    for (unsigned i = 0; i < v->item_count; i++) {
        const char *s = gg_amplify_string_value(t, v->items[i]);
        if (s) GG_VEC_PUSH(t->catalog_arena, *out, s);
    }
}

const gg_field_def *gg_amplify_user_field(const model_info *mi, const char *name)
{
    for (unsigned i = 0; i < mi->user_fields.count; i++)
        if (strcmp(mi->user_fields.items[i].name.value, name) == 0) return &mi->user_fields.items[i];
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
void gg_amplify_read_auth_rules(transform_state *t, const gg_definition *def, const gg_directive *auth, rule_vec *out)
{
    const gg_value *rules = gg_amplify_directive_argument(auth, "rules");
    if (rules == NULL) return;
    unsigned n = rules->kind == GG_VALUE_LIST ? rules->item_count : 1;
    for (unsigned i = 0; i < n; i++) {
        const gg_value *r = rules->kind == GG_VALUE_LIST ? rules->items[i] : rules;
        gg_amplify_auth_rule rule = {0};
        rule.loc = r->loc;
        const char *allow = gg_amplify_string_value(t, object_value_field(r, "allow"));
        static const char *const strategies[] = {"public", "private", "owner", "groups", "custom"};
        for (int k = 0; k < 5; k++)
            if (allow && strcmp(allow, strategies[k]) == 0) rule.allow = (gg_amplify_strategy)k;
        static const gg_amplify_provider defaults[] = {GG_AMPLIFY_PROVIDER_API_KEY, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                       GG_AMPLIFY_PROVIDER_USER_POOLS, GG_AMPLIFY_PROVIDER_USER_POOLS,
                                                       GG_AMPLIFY_PROVIDER_FUNCTION};
        rule.provider = defaults[rule.allow];
        const char *provider = gg_amplify_string_value(t, object_value_field(r, "provider"));
        if (provider) provider_from(provider, &rule.provider);
        if (rule.allow == GG_AMPLIFY_ALLOW_OWNER) {
            rule.owner_field = gg_amplify_string_value(t, object_value_field(r, "ownerField"));
            if (rule.owner_field == NULL) rule.owner_field = "owner";
            rule.identity_claim = gg_amplify_string_value(t, object_value_field(r, "identityClaim"));
            /* the transformer's default for every provider (useSubUsernameForDefaultIdentityClaim):
             * an OIDC app moved from AppSync has "<sub>::<username>" owners stored */
            if (rule.identity_claim == NULL) rule.identity_claim = "sub::username";
        }
        if (rule.allow == GG_AMPLIFY_ALLOW_GROUPS) {
            rule.group_claim = gg_amplify_string_value(t, object_value_field(r, "groupClaim"));
            if (rule.group_claim == NULL) rule.group_claim = "cognito:groups";
            string_vec groups = {0};
            const gg_value *g = object_value_field(r, "groups");
            read_string_list(t, g, &groups);
            rule.groups = groups.items;
            rule.group_count = groups.count;
            if (g == NULL || is_null(g)) {
                rule.groups_field = gg_amplify_string_value(t, object_value_field(r, "groupsField"));
                if (rule.groups_field == NULL) rule.groups_field = "groups";
            }
        }
        const gg_value *ops = object_value_field(r, "operations");
        if (ops == NULL || is_null(ops)) {
            rule.operations = GG_AMPLIFY_OP_ALL;
        } else {
            string_vec names = {0};
            read_string_list(t, ops, &names);
            for (unsigned k = 0; k < names.count; k++)
                rule.operations |= operation_bits(names.items[k]);
        }
        if (rule.allow == GG_AMPLIFY_ALLOW_PUBLIC && rule.provider != GG_AMPLIFY_PROVIDER_API_KEY &&
            rule.provider != GG_AMPLIFY_PROVIDER_IAM && rule.provider != GG_AMPLIFY_PROVIDER_IDENTITY_POOL)
            gg_amplify_fail(t, def, r->loc, "@auth: allow: public works with provider apiKey or iam only, not %s.",
                            provider);
        if ((rule.allow == GG_AMPLIFY_ALLOW_OWNER || rule.allow == GG_AMPLIFY_ALLOW_GROUPS) &&
            rule.provider != GG_AMPLIFY_PROVIDER_USER_POOLS && rule.provider != GG_AMPLIFY_PROVIDER_OIDC)
            gg_amplify_fail(t, def, r->loc, "@auth: allow: %s works with provider userPools or oidc only, not %s.",
                            allow, provider);
        check_name(t, def, r->loc, rule.owner_field, "@auth: ownerField");
        check_name(t, def, r->loc, rule.groups_field, "@auth: groupsField");
        GG_VEC_PUSH(t->catalog_arena, *out, rule);
    }
}

/* get/list/... names: absent -> default, null -> none, string -> that name. */
static const char *operation_field_name(transform_state *t, const gg_value *map, bool map_null, const char *key,
                                        const char *default_name)
{
    if (map_null) return NULL;
    const gg_value *v = object_value_field(map, key);
    if (v == NULL) return default_name;
    return is_null(v) ? NULL : gg_amplify_string_value(t, v);
}

static void subscription_field_names(transform_state *t, const gg_value *map, const char *key, const char *default_name,
                                     string_vec *out)
{
    const gg_value *v = object_value_field(map, key);
    if (v == NULL) {
        GG_VEC_PUSH(t->catalog_arena, *out, default_name);
        return;
    }
    read_string_list(t, v, out);
}

static void read_model_config(transform_state *t, model_info *mi, const gg_directive *model)
{
    gg_amplify_model *m = mi->model;
    const char *n = mi->type_name, *p = m->plural;
    const gg_value *q = gg_amplify_directive_argument(model, "queries"),
                   *mutations_argument = gg_amplify_directive_argument(model, "mutations");
    const gg_value *subscriptions_argument = gg_amplify_directive_argument(model, "subscriptions"),
                   *timestamps_argument = gg_amplify_directive_argument(model, "timestamps");
    m->ops.get = operation_field_name(t, q, is_null(q), "get", gg_arena_printf(t->catalog_arena, "get%s", n));
    m->ops.list = operation_field_name(t, q, is_null(q), "list", gg_arena_printf(t->catalog_arena, "list%s", p));
    if (m->sync && !is_null(q)) m->ops.sync = gg_arena_printf(t->catalog_arena, "sync%s", p);
    m->ops.create = operation_field_name(t, mutations_argument, is_null(mutations_argument), "create",
                                         gg_arena_printf(t->catalog_arena, "create%s", n));
    m->ops.update = operation_field_name(t, mutations_argument, is_null(mutations_argument), "update",
                                         gg_arena_printf(t->catalog_arena, "update%s", n));
    m->ops.delete_ = operation_field_name(t, mutations_argument, is_null(mutations_argument), "delete",
                                          gg_arena_printf(t->catalog_arena, "delete%s", n));
    if (is_null(subscriptions_argument)) {
        mi->no_subscriptions = true;
    } else {
        const char *level = gg_amplify_string_value(t, object_value_field(subscriptions_argument, "level"));
        mi->subscription_level = level == NULL || strcmp(level, "on") == 0 ? 0 : strcmp(level, "public") == 0 ? 1 : 2;
        subscription_field_names(t, subscriptions_argument, "onCreate",
                                 gg_arena_printf(t->catalog_arena, "onCreate%s", n), &mi->on_create);
        subscription_field_names(t, subscriptions_argument, "onUpdate",
                                 gg_arena_printf(t->catalog_arena, "onUpdate%s", n), &mi->on_update);
        subscription_field_names(t, subscriptions_argument, "onDelete",
                                 gg_arena_printf(t->catalog_arena, "onDelete%s", n), &mi->on_delete);
        if (mi->subscription_level == 2) mi->no_subscriptions = true;
    }
    m->ops.subscriptions_public = mi->subscription_level == 1;
    if (!mi->no_subscriptions) {
        if (m->ops.create && mi->on_create.count) m->ops.on_create = mi->on_create.items[0];
        if (m->ops.update && mi->on_update.count) m->ops.on_update = mi->on_update.items[0];
        if (m->ops.delete_ && mi->on_delete.count) m->ops.on_delete = mi->on_delete.items[0];
    }
    if (!is_null(timestamps_argument)) {
        m->created_at = operation_field_name(t, timestamps_argument, false, "createdAt", "createdAt");
        m->updated_at = operation_field_name(t, timestamps_argument, false, "updatedAt", "updatedAt");
    }
    const char *names[] = {m->ops.get,     m->ops.list,   m->ops.create, m->ops.update,
                           m->ops.delete_, m->created_at, m->updated_at};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        check_name(t, mi->def, model->loc, names[i], "@model:");
    const string_vec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
    for (int k = 0; k < 3; k++)
        for (unsigned i = 0; i < subs[k]->count; i++)
            check_name(t, mi->def, model->loc, subs[k]->items[i], "@model:");
}

static bool is_key_type(transform_state *t, const gg_type_ref *type)
{
    return !gg_amplify_type_is_list(type) && (gg_amplify_base_scalar(gg_amplify_type_base_name(type)) ||
                                              gg_amplify_is_enum(t, gg_amplify_type_base_name(type)));
}

/* Checks a primary key (index_name NULL) or an index: the key fields exist, are scalars or
 * enums, and do not repeat the partition field; the index transformer's messages. */
static bool check_key_fields(transform_state *t, model_info *mi, const gg_field_def *partition, const string_vec *sort,
                             const char *index_name, gg_loc loc)
{
    bool ok = true;
    const char *model = mi->model->name, *pname = partition->name.value;
    if (!is_key_type(t, partition->type)) {
        if (index_name)
            gg_amplify_fail(t, mi->def, loc, "Index '%s' on type '%s.%s' cannot be a non-scalar.", index_name, model,
                            pname);
        else
            gg_amplify_fail(t, mi->def, loc, "The primary key on type '%s.%s' cannot be a non-scalar.", model, pname);
        ok = false;
    }
    for (unsigned i = 0; i < sort->count; i++) {
        const char *name = sort->items[i];
        const gg_field_def *f = gg_amplify_user_field(mi, name);
        if (strcmp(name, pname) == 0) {
            gg_amplify_fail(t, mi->def, loc, "@%s field '%s' cannot reference itself.",
                            index_name ? "index" : "primaryKey", name);
            ok = false;
        } else if (f == NULL) {
            if (index_name)
                gg_amplify_fail(t, mi->def, loc, "Can't find field '%s' in %s, but it was specified in index '%s'.",
                                name, model, index_name);
            else
                gg_amplify_fail(t, mi->def, loc,
                                "Can't find field '%s' in %s, but it was specified in the primary key.", name, model);
            ok = false;
        } else if (!is_key_type(t, f->type)) {
            if (index_name)
                gg_amplify_fail(t, mi->def, loc, "The sort key of index '%s' on type '%s.%s' cannot be a non-scalar.",
                                index_name, model, name);
            else
                gg_amplify_fail(t, mi->def, loc, "The primary key's sort key on type '%s.%s' cannot be a non-scalar.",
                                model, name);
            ok = false;
        }
    }
    return ok;
}

static void read_keys(transform_state *t, model_info *mi)
{
    for (unsigned i = 0; i < mi->user_fields.count; i++) {
        const gg_field_def *f = &mi->user_fields.items[i];
        for (unsigned k = 0; k < f->directive_count; k++) {
            const gg_directive *d = &f->directives[k];
            if (strcmp(d->name.value, "primaryKey") == 0) {
                if (mi->custom_partition_key) {
                    gg_amplify_fail(t, mi->def, d->loc, "You may only supply one primary key on type '%s'.",
                                    mi->model->name);
                    continue;
                }
                mi->custom_partition_key = true;
                mi->partition_key = gg_arena_strdup(t->catalog_arena, f->name.value);
                read_string_list(t, gg_amplify_directive_argument(d, "sortKeyFields"), &mi->sort_key);
                bool nullable = f->type->kind != GG_TYPE_REF_NON_NULL;
                if (check_key_fields(t, mi, f, &mi->sort_key, NULL, d->loc)) {
                    for (unsigned s = 0; s < mi->sort_key.count; s++)
                        nullable = nullable ||
                                   gg_amplify_user_field(mi, mi->sort_key.items[s])->type->kind != GG_TYPE_REF_NON_NULL;
                    if (nullable)
                        gg_amplify_fail(t, mi->def, d->loc,
                                        "The primary key on type '%s' must reference non-null fields.",
                                        mi->model->name);
                }
            } else if (strcmp(d->name.value, "index") == 0) {
                index_config index = {
                    .field = gg_arena_strdup(t->catalog_arena, f->name.value), .type = f->type, .loc = d->loc};
                read_string_list(t, gg_amplify_directive_argument(d, "sortKeyFields"), &index.sort);
                string_vec all = {0};
                GG_VEC_PUSH(t->catalog_arena, all, index.field);
                for (unsigned s = 0; s < index.sort.count; s++)
                    GG_VEC_PUSH(t->catalog_arena, all, index.sort.items[s]);
                gg_buf auto_name;
                gg_buf_init(&auto_name);
                gg_buf_printf(&auto_name, "%sBy", gg_amplify_lower_first(t->catalog_arena, mi->model->plural));
                for (unsigned s = 0; s < all.count; s++)
                    gg_buf_printf(&auto_name, "%s%s", s ? "And" : "",
                                  gg_amplify_upper_first(t->catalog_arena, all.items[s]));
                const char *generated = gg_arena_strdup(t->catalog_arena, auto_name.data);
                gg_buf_free(&auto_name);
                index.name = gg_amplify_string_value(t, gg_amplify_directive_argument(d, "name"));
                if (index.name == NULL) index.name = generated;
                const gg_value *query_field_value = gg_amplify_directive_argument(d, "queryField");
                index.query_field = query_field_value == NULL    ? generated
                                    : is_null(query_field_value) ? NULL
                                                                 : gg_amplify_string_value(t, query_field_value);
                check_key_fields(t, mi, f, &index.sort, index.name, d->loc);
                check_name(t, mi->def, d->loc, index.name, "@index: name");
                check_name(t, mi->def, d->loc, index.query_field, "@index: queryField");
                for (unsigned o = 0; o < mi->indexes.count; o++)
                    if (strcmp(mi->indexes.items[o].name, index.name) == 0)
                        gg_amplify_fail(t, mi->def, d->loc,
                                        "You may only supply one @index with the name '%s' on type '%s'.", index.name,
                                        mi->model->name);
                GG_VEC_PUSH(t->catalog_arena, mi->indexes, index);
            }
        }
    }
    if (!mi->custom_partition_key) mi->partition_key = "id";
}

static const char *const relation_names[] = {"hasMany", "hasOne", "belongsTo", "manyToMany"};

static void read_relations(transform_state *t, model_info *mi)
{
    for (unsigned i = 0; i < mi->user_fields.count; i++) {
        const gg_field_def *f = &mi->user_fields.items[i];
        for (unsigned k = 0; k < f->directive_count; k++) {
            const gg_directive *d = &f->directives[k];
            int kind = -1;
            for (int r = 0; r < 4; r++)
                if (strcmp(d->name.value, relation_names[r]) == 0) kind = r;
            if (kind < 0) continue;
            relation_config relation = {
                .kind = (gg_amplify_relation_kind)kind, .field = f, .directive = d, .limit = 100};
            relation.target = gg_arena_strdup(t->catalog_arena, gg_amplify_type_base_name(f->type));
            read_string_list(t, gg_amplify_directive_argument(d, "fields"), &relation.fields);
            read_string_list(t, gg_amplify_directive_argument(d, "references"), &relation.references);
            relation.index_name = gg_amplify_string_value(
                t, gg_amplify_directive_argument(d, kind == GG_AMPLIFY_BELONGS_TO ? "overrideIndexName" : "indexName"));
            relation.relation_name = gg_amplify_string_value(t, gg_amplify_directive_argument(d, "relationName"));
            /* the join model is named after the relation with its first letter in upper case, as
             * the transformer names it (relationName: "postTags" -> PostTags) */
            if (relation.relation_name && *relation.relation_name)
                relation.relation_name = gg_amplify_upper_first(t->catalog_arena, relation.relation_name);
            const gg_value *limit = gg_amplify_directive_argument(d, "limit");
            if (limit && limit->kind == GG_VALUE_INT) relation.limit = (unsigned)strtoul(limit->text, NULL, 10);
            model_info *target = gg_amplify_model_info_named(t, relation.target);
            bool list = gg_amplify_type_is_list(f->type);
            if (target == NULL) {
                gg_amplify_fail(t, mi->def, d->loc, "Object type %s must be annotated with @model.", relation.target);
                continue;
            }
            if (kind == GG_AMPLIFY_HAS_MANY && !list)
                gg_amplify_fail(t, mi->def, d->loc,
                                "@hasMany must be used with a list. Use @hasOne for non-list types.");
            if (kind == GG_AMPLIFY_MANY_TO_MANY && !list)
                gg_amplify_fail(t, mi->def, d->loc, "@manyToMany must be used with a list.");
            if (kind == GG_AMPLIFY_HAS_ONE && list)
                gg_amplify_fail(t, mi->def, d->loc, "@hasOne cannot be used with lists. Use @hasMany instead.");
            if (kind == GG_AMPLIFY_BELONGS_TO && list)
                gg_amplify_fail(t, mi->def, d->loc, "@belongsTo cannot be used with lists.");
            if (relation.fields.count && relation.references.count)
                gg_amplify_fail(t, mi->def, d->loc,
                                "fields and references cannot be defined in the same %s. Use 'references'.",
                                relation_names[kind]);
            for (unsigned s = 0; s < relation.fields.count; s++)
                if (gg_amplify_user_field(mi, relation.fields.items[s]) == NULL)
                    gg_amplify_fail(t, mi->def, d->loc, "%s is not a field in %s", relation.fields.items[s],
                                    mi->model->name);
            /* references name the target's fields, except for @belongsTo, where they are this model's */
            model_info *holder = kind == GG_AMPLIFY_BELONGS_TO ? mi : target;
            for (unsigned s = 0; s < relation.references.count; s++)
                if (gg_amplify_user_field(holder, relation.references.items[s]) == NULL)
                    gg_amplify_fail(t, mi->def, d->loc, "%s is not a field in %s", relation.references.items[s],
                                    holder->model->name);
            if (kind == GG_AMPLIFY_HAS_MANY && relation.index_name && relation.fields.count) {
                bool found = false;
                for (unsigned s = 0; s < target->indexes.count; s++)
                    found = found || strcmp(target->indexes.items[s].name, relation.index_name) == 0;
                if (!found)
                    gg_amplify_fail(t, mi->def, d->loc, "Index %s does not exist for model %s", relation.index_name,
                                    relation.target);
            }
            check_name(t, mi->def, d->loc, relation.relation_name, "@manyToMany: relationName");
            GG_VEC_PUSH(t->catalog_arena, mi->relations, relation);
        }
    }
}

void gg_amplify_model_sync_settings(transform_state *t, gg_amplify_model *model)
{
    model->sync = t->options.sync;
    model->conflict_handler = t->options.conflict_handler;
    for (unsigned i = 0; i < t->options.model_count; i++) {
        const gg_amplify_model_sync *own = &t->options.models[i];
        if (own->model == NULL || strcmp(own->model, model->name) != 0) continue;
        if (own->has_sync) model->sync = own->sync;
        if (own->has_handler) model->conflict_handler = own->conflict_handler;
    }
}

model_info *gg_amplify_new_model_info(transform_state *t, const char *name, gg_loc loc)
{
    model_info *mi = gg_arena_alloc(t->catalog_arena, sizeof *mi);
    mi->model = gg_arena_alloc(t->catalog_arena, sizeof *mi->model);
    mi->model->name = gg_arena_strdup(t->catalog_arena, name);
    mi->type_name = gg_amplify_model_type_name(t->catalog_arena, name);
    mi->model->plural = gg_amplify_pluralize(t->catalog_arena, mi->type_name);
    mi->model->table = mi->model->name;
    mi->model->loc = loc;
    gg_amplify_model_sync_settings(t, mi->model);
    mi->loc = loc;
    mi->index = t->models.count;
    GG_VEC_PUSH(t->catalog_arena, t->models, mi);
    gg_strmap_put(&t->model_map, name, strlen(name), mi);
    return mi;
}

/* The models of the user's SDL, in order. */
void gg_amplify_collect_models(transform_state *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind == GG_DEF_INPUT_OBJECT && strcmp(def->name.value, "AMPLIFY") == 0) {
                for (unsigned k = 0; k < def->input_field_count; k++) {
                    const gg_input_value_def *f = &def->input_fields[k];
                    if (strcmp(f->name.value, "globalAuthRule") == 0 && f->default_value &&
                        gg_amplify_string_value(t, object_value_field(f->default_value, "allow")) &&
                        strcmp(gg_amplify_string_value(t, object_value_field(f->default_value, "allow")), "public") ==
                            0)
                        t->catalog->sandbox_public = true;
                }
            }
            if (def->kind == GG_DEF_SCHEMA)
                for (unsigned k = 0; k < def->operation_type_count; k++) {
                    const gg_operation_type_def *operation_type = &def->operation_types[k];
                    const char *want = operation_type->operation == GG_OP_QUERY      ? "Query"
                                       : operation_type->operation == GG_OP_MUTATION ? "Mutation"
                                                                                     : "Subscription";
                    if (strcmp(operation_type->type.value, want) != 0)
                        gg_amplify_fail(
                            t, def, operation_type->loc,
                            "The %s root type must be named \"%s\" in a schema with @model types, not \"%s\".",
                            gg_operation_kind_name(operation_type->operation), want, operation_type->type.value);
                }
            const gg_directive *model = gg_amplify_find_directive(def->directives, def->directive_count, "model");
            if (def->kind != GG_DEF_OBJECT || model == NULL) continue;
            const char *name = def->name.value;
            if (strcmp(name, "Query") == 0 || strcmp(name, "Mutation") == 0 || strcmp(name, "Subscription") == 0) {
                gg_amplify_fail(t, def, model->loc,
                                "'%s' is a reserved type name and currently in use within the default schema element.",
                                name);
                continue;
            }
            if (def->is_extension) {
                gg_amplify_fail(t, def, model->loc,
                                "@model must be on the definition of type \"%s\", not on an extension.", name);
                continue;
            }
            model_info *mi = gg_amplify_new_model_info(t, name, def->loc);
            mi->def = def;
            for (unsigned k = 0; k < def->field_count; k++) {
                GG_VEC_PUSH(t->catalog_arena, mi->user_fields, def->fields[k]);
                if (strcmp(def->fields[k].name.value, "id") == 0) mi->declares_id = true;
            }
            const gg_directive *maps = gg_amplify_find_directive(def->directives, def->directive_count, "mapsTo");
            const gg_directive *refers = gg_amplify_find_directive(def->directives, def->directive_count, "refersTo");
            const char *table =
                gg_amplify_string_value(t, gg_amplify_directive_argument(refers ? refers : maps, "name"));
            if (table) mi->model->table = table;
        }
    }
    /* key and relation directives only mean something on a @model type */
    static const char *const model_only[] = {"primaryKey", "index",      "hasMany", "hasOne",
                                             "belongsTo",  "manyToMany", "default", "readOnly"};
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if ((def->kind != GG_DEF_OBJECT && def->kind != GG_DEF_INTERFACE) ||
                gg_amplify_model_info_named(t, def->name.value))
                continue;
            for (unsigned k = 0; k < def->field_count; k++)
                for (unsigned m = 0; m < def->fields[k].directive_count; m++) {
                    const gg_directive *directive = &def->fields[k].directives[m];
                    for (size_t n = 0; n < sizeof model_only / sizeof model_only[0]; n++) {
                        if (strcmp(directive->name.value, model_only[n]) != 0) continue;
                        if (n < 2 || n == 6)
                            gg_amplify_fail(
                                t, def, directive->loc,
                                "The @%s directive may only be added to object definitions annotated with @model.",
                                model_only[n]);
                        else
                            gg_amplify_fail(t, def, directive->loc, "@%s must be on an @model object type field.",
                                            model_only[n]);
                    }
                }
        }
    }
    /* extensions may add fields to a model */
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            model_info *mi = def->kind == GG_DEF_OBJECT && def->is_extension
                                 ? gg_amplify_model_info_named(t, def->name.value)
                                 : NULL;
            for (unsigned k = 0; mi && k < def->field_count; k++)
                GG_VEC_PUSH(t->catalog_arena, mi->user_fields, def->fields[k]);
        }
    }
    /* rules, keys and config first (relations look at the target's indexes) */
    for (unsigned i = 0; i < t->models.count; i++) {
        model_info *mi = t->models.items[i];
        const gg_directive *auth = gg_amplify_find_directive(mi->def->directives, mi->def->directive_count, "auth");
        if (auth) {
            mi->model->has_auth = true;
            gg_amplify_read_auth_rules(t, mi->def, auth, &mi->rules);
        }
        read_model_config(t, mi, gg_amplify_find_directive(mi->def->directives, mi->def->directive_count, "model"));
        read_keys(t, mi);
        for (unsigned k = 0; k < mi->user_fields.count; k++) {
            const gg_field_def *f = &mi->user_fields.items[k];
            const gg_directive *field_auth = gg_amplify_find_directive(f->directives, f->directive_count, "auth");
            if (field_auth == NULL) continue;
            rule_vec own = {0};
            gg_amplify_read_auth_rules(t, mi->def, field_auth, &own);
            GG_VEC_PUSH(t->catalog_arena, mi->per_field_rules, own);
            GG_VEC_PUSH(t->catalog_arena, mi->per_field_names, f->name.value);
            for (unsigned r = 0; r < own.count; r++)
                GG_VEC_PUSH(t->catalog_arena, mi->field_rules, own.items[r]);
        }
        for (unsigned k = 0; k < mi->rules.count; k++)
            GG_VEC_PUSH(t->catalog_arena, mi->all_rules, mi->rules.items[k]);
        for (unsigned k = 0; k < mi->field_rules.count; k++)
            GG_VEC_PUSH(t->catalog_arena, mi->all_rules, mi->field_rules.items[k]);
    }
    for (unsigned i = 0, n = t->models.count; i < n; i++)
        read_relations(t, t->models.items[i]);
}
