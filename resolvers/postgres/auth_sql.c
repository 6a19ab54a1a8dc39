/* auth_sql.c: @auth rules as SQL predicates; see auth_sql.h.
 *
 * Each rule that applies to the caller becomes ALLOW (public, private, custom, a static group the
 * caller is in), nothing (a static group it is not in, an owner rule without a claim value), or a
 * comparison of one column with the caller's values: a text column with IN ($1, $2 ...), a
 * [String] column (jsonb array) with ?| ARRAY[$1, $2 ...] (any of them is an element). The answer
 * is the OR of those comparisons, in parentheses. It is NULL where a compared column is NULL,
 * which WHERE and CASE WHEN read as false; it is left unwrapped (no COALESCE) so that PostgreSQL
 * estimates it and uses the column's index (graphgate migrate makes one): a COALESCE made a list
 * of one owner's rows on a 200,000-row table walk the primary key, ten times slower.
 * Values are parameters: a claim can hold any text. */
#include "auth_sql.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "auth/auth.h"
#include "plan.h" /* GG_PG_DENIED_PREFIX */

static bool provider_matches(gg_amplify_provider provider, gg_auth_mode mode)
{
    switch (provider) {
    case GG_AMPLIFY_PROVIDER_API_KEY:
        return mode == GG_AUTH_API_KEY;
    case GG_AMPLIFY_PROVIDER_OIDC:
        return mode == GG_AUTH_OPENID_CONNECT;
    case GG_AMPLIFY_PROVIDER_USER_POOLS:
        return mode == GG_AUTH_AMAZON_COGNITO_USER_POOLS;
    case GG_AMPLIFY_PROVIDER_FUNCTION:
        return mode == GG_AUTH_AWS_LAMBDA;
    case GG_AMPLIFY_PROVIDER_IAM:
    case GG_AMPLIFY_PROVIDER_IDENTITY_POOL:
        return false;
    }
    return false;
}

/* No identity, or one of NONE: no rule applies, everything is allowed. */
static bool unchecked(const gg_auth_identity *identity)
{
    return identity == NULL || identity->mode == GG_AUTH_NONE;
}

bool gg_pg_auth_rule_applies(const gg_amplify_auth_rule *rule, unsigned op, const gg_auth_identity *identity)
{
    return identity != NULL && (rule->operations & op) != 0 && provider_matches(rule->provider, identity->mode);
}

bool gg_pg_auth_field_has_rules(const gg_amplify_field *field)
{
    return field != NULL && field->auth_rule_count > 0;
}

typedef GG_VEC(const char *) text_vec;

static void add_text(gg_arena *arena, text_vec *v, const char *s)
{
    if (s == NULL || s[0] == '\0') return;
    for (unsigned i = 0; i < v->count; i++)
        if (strcmp(v->items[i], s) == 0) return;
    GG_VEC_PUSH(arena, *v, gg_arena_strdup(arena, s));
}

static const char *claim_string(const gg_auth_identity *identity, const char *name)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(gg_auth_identity_claims(identity), name);
    return cJSON_IsString(c) ? c->valuestring : NULL;
}

unsigned gg_pg_auth_owner_values(gg_arena *arena, const gg_amplify_auth_rule *rule, const gg_auth_identity *identity,
                                 const char ***values)
{
    text_vec v = {0};
    *values = NULL;
    if (identity == NULL) return 0;
    const char *claim = rule->identity_claim ? rule->identity_claim : "sub::username";
    const char *sub = identity->sub ? identity->sub : claim_string(identity, "sub");
    const char *username = identity->username ? identity->username : claim_string(identity, "cognito:username");
    if (username == NULL) username = claim_string(identity, "username");
    if (strcmp(claim, "sub::username") == 0) {
        if (sub && username) add_text(arena, &v, gg_arena_printf(arena, "%s::%s", sub, username));
        add_text(arena, &v, sub);
        add_text(arena, &v, username);
    } else if (strcmp(claim, "sub") == 0) {
        add_text(arena, &v, sub);
    } else if (strcmp(claim, "username") == 0 || strcmp(claim, "cognito:username") == 0) {
        const char *named = claim_string(identity, claim);
        add_text(arena, &v, named ? named : username);
    } else {
        add_text(arena, &v, claim_string(identity, claim));
    }
    *values = v.items;
    return v.count;
}

unsigned gg_pg_auth_caller_groups(gg_arena *arena, const gg_amplify_auth_rule *rule, const gg_auth_identity *identity,
                                  const char ***groups)
{
    text_vec v = {0};
    *groups = NULL;
    if (identity == NULL) return 0;
    const char *name = rule->group_claim ? rule->group_claim : "cognito:groups";
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(gg_auth_identity_claims(identity), name);
    cJSON *parsed = NULL;
    if (cJSON_IsString(c) && c->valuestring[0] == '[') { /* a JSON array sent as a string */
        parsed = cJSON_Parse(c->valuestring);
        if (cJSON_IsArray(parsed)) c = parsed;
    }
    if (cJSON_IsString(c)) {
        add_text(arena, &v, c->valuestring);
    } else if (cJSON_IsArray(c)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, c)
        {
            if (cJSON_IsString(item)) add_text(arena, &v, item->valuestring);
        }
    } else if (c == NULL && strcmp(name, "cognito:groups") == 0) {
        for (size_t i = 0; i < identity->group_count; i++)
            add_text(arena, &v, identity->groups[i]);
    }
    cJSON_Delete(parsed);
    *groups = v.items;
    return v.count;
}

/* A text column, or a [String] column (jsonb array), that owner and groups values can match. */
static bool column_matchable(const gg_pg_column *c)
{
    return c != NULL && (c->is_list ? c->item_kind == GG_COLUMN_TEXT : c->kind == GG_COLUMN_TEXT);
}

/* Appends "alias.col IN ($1::text, ...)" or, for a [String] column, "alias.col ?| ARRAY[...]" (any
 * of the values is an element). A column of its own type (column_types.h): a string type compares
 * as itself (varchar, citext: $1::citext), another one as its text (a claim that is not a uuid
 * matches no uuid column instead of failing the statement), and an array by overlap (&&). */
static void put_column_match(const gg_pg_column *c, const char *alias, const char *const *values, unsigned count,
                             gg_sql_params *params, gg_buf *out)
{
    const char *cast = "text", *close = c->is_list ? "]" : ")";
    if (c->output == GG_PG_OUTPUT_ARRAY) {
        gg_buf_printf(out, "%s.%s::text[] && ARRAY[", alias, c->quoted);
    } else if (c->is_list) {
        gg_buf_printf(out, "%s.%s ?| ARRAY[", alias, c->quoted);
    } else if (c->text_like && c->operator_schema) { /* IN would resolve text's = (pg_model.h) */
        gg_buf_printf(out, "%s.%s OPERATOR(%s.=) ANY (ARRAY[", alias, c->quoted, c->operator_schema);
        cast = c->sql_type;
        close = "])";
    } else if (c->text_like) {
        gg_buf_printf(out, "%s.%s IN (", alias, c->quoted);
        cast = c->sql_type;
    } else {
        gg_buf_printf(out, "%s.%s::text IN (", alias, c->quoted);
    }
    for (unsigned i = 0; i < count; i++)
        gg_buf_printf(out, "%s$%u::%s", i ? ", " : "", gg_sql_params_add(params, values[i]), cast);
    gg_buf_puts(out, close);
}

static bool groups_intersect(const gg_amplify_auth_rule *rule, const char *const *groups, unsigned count)
{
    for (unsigned i = 0; i < rule->group_count; i++)
        for (unsigned k = 0; k < count; k++)
            if (strcmp(rule->groups[i], groups[k]) == 0) return true;
    return false;
}

bool gg_pg_auth_allows_every_row(gg_arena *arena, const gg_amplify_auth_rule *rule, const gg_auth_identity *identity)
{
    switch (rule->allow) {
    case GG_AMPLIFY_ALLOW_PUBLIC:
    case GG_AMPLIFY_ALLOW_PRIVATE:
    case GG_AMPLIFY_ALLOW_CUSTOM:
        return true;
    case GG_AMPLIFY_ALLOW_GROUPS:
        if (rule->groups_field == NULL) {
            const char **groups = NULL;
            unsigned n = gg_pg_auth_caller_groups(arena, rule, identity, &groups);
            return groups_intersect(rule, groups, n);
        }
        return false;
    case GG_AMPLIFY_ALLOW_OWNER:
        return false;
    }
    return false;
}

/* An owner or dynamic groups rule that applies to identity for op: the caller's values and the
 * column they are compared with; returns their number (0: the rule matches no row: it does not
 * apply, no value, or no matchable column). */
static unsigned row_rule_values(gg_arena *arena, const gg_pg_model *pm, const gg_amplify_auth_rule *rule, unsigned op,
                                const gg_auth_identity *identity, const char ***values, const gg_pg_column **column)
{
    unsigned n = 0;
    *values = NULL;
    *column = NULL;
    if (!gg_pg_auth_rule_applies(rule, op, identity)) return 0;
    if (rule->allow == GG_AMPLIFY_ALLOW_OWNER) {
        n = gg_pg_auth_owner_values(arena, rule, identity, values);
        *column = gg_pg_model_column(pm, rule->owner_field ? rule->owner_field : "owner");
    } else if (rule->allow == GG_AMPLIFY_ALLOW_GROUPS && rule->groups_field != NULL) {
        n = gg_pg_auth_caller_groups(arena, rule, identity, values);
        *column = gg_pg_model_column(pm, rule->groups_field);
    }
    return column_matchable(*column) ? n : 0;
}

/* True when a rule that applies to identity for op allows it whatever the row. */
static bool allows_every_row_for(gg_arena *arena, const gg_amplify_auth_rule *rules, unsigned count, unsigned op,
                                 const gg_auth_identity *identity)
{
    for (unsigned i = 0; i < count; i++)
        if (gg_pg_auth_rule_applies(&rules[i], op, identity) && gg_pg_auth_allows_every_row(arena, &rules[i], identity))
            return true;
    return false;
}

gg_pg_auth_answer gg_pg_auth_rules(const gg_pg_model *pm, const gg_amplify_auth_rule *rules, unsigned count,
                                   unsigned op, const gg_auth_identity *identity, const char *alias,
                                   gg_sql_params *params, gg_buf *out)
{
    if (unchecked(identity)) return GG_PG_AUTH_ALLOW;
    gg_arena *arena = params->arena;
    /* first the rules that need no row, so that no parameter is added for a predicate not written */
    if (allows_every_row_for(arena, rules, count, op, identity)) return GG_PG_AUTH_ALLOW;
    unsigned written = 0;
    for (unsigned i = 0; i < count; i++) {
        const char **values = NULL;
        const gg_pg_column *column = NULL;
        unsigned n = row_rule_values(arena, pm, &rules[i], op, identity, &values, &column);
        if (n == 0) continue;
        gg_buf_puts(out, written++ ? " OR " : "(");
        put_column_match(column, alias, values, n, params, out);
    }
    if (written == 0) return GG_PG_AUTH_DENY;
    gg_buf_putc(out, ')');
    return GG_PG_AUTH_PREDICATE;
}

/* The global rule of a model without @auth: `input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`. */
static const gg_amplify_auth_rule sandbox_rule = {
    .allow = GG_AMPLIFY_ALLOW_PUBLIC,
    .provider = GG_AMPLIFY_PROVIDER_API_KEY,
    .operations = GG_AMPLIFY_OP_ALL,
};

gg_pg_auth_answer gg_pg_auth_model(const gg_pg_model *pm, unsigned op, const gg_auth_identity *identity,
                                   const char *alias, gg_sql_params *params, gg_buf *out)
{
    if (unchecked(identity)) return GG_PG_AUTH_ALLOW;
    const gg_amplify_model *m = pm->model;
    if (!m->has_auth && m->auth_rule_count == 0)
        return pm->sandbox_public ? gg_pg_auth_rules(pm, &sandbox_rule, 1, op, identity, alias, params, out)
                                  : GG_PG_AUTH_DENY;
    return gg_pg_auth_rules(pm, m->auth_rules, m->auth_rule_count, op, identity, alias, params, out);
}

gg_pg_auth_answer gg_pg_auth_field(const gg_pg_model *pm, const gg_amplify_field *field, unsigned op,
                                   const gg_auth_identity *identity, const char *alias, gg_sql_params *params,
                                   gg_buf *out)
{
    if (!gg_pg_auth_field_has_rules(field)) return gg_pg_auth_model(pm, op, identity, alias, params, out);
    return gg_pg_auth_rules(pm, field->auth_rules, field->auth_rule_count, op, identity, alias, params, out);
}

/* ---- the same rules in C, over a row in memory ---- */

/* The stored value of a field (a text, or a list of texts for a [String] field) holds one of the
 * values: what put_column_match asks PostgreSQL (IN, or ?| on a jsonb array). */
static bool value_matches(const gg_val *v, const char *const *values, unsigned count)
{
    if (v == NULL) return false;
    if (v->kind == GG_VAL_LIST) {
        for (unsigned i = 0; i < v->count; i++)
            if (value_matches(v->items[i], values, count)) return true;
        return false;
    }
    if (v->kind != GG_VAL_STRING) return false;
    for (unsigned i = 0; i < count; i++)
        if (strlen(values[i]) == v->len && memcmp(values[i], v->s, v->len) == 0) return true;
    return false;
}

gg_pg_auth_answer gg_pg_auth_rules_row(const gg_pg_model *pm, const gg_amplify_auth_rule *rules, unsigned count,
                                       unsigned op, const gg_auth_identity *identity, const gg_val *row,
                                       gg_arena *arena)
{
    if (unchecked(identity) || allows_every_row_for(arena, rules, count, op, identity)) return GG_PG_AUTH_ALLOW;
    bool depends = false;
    for (unsigned i = 0; i < count; i++) {
        const char **values = NULL;
        const gg_pg_column *column = NULL;
        unsigned n = row_rule_values(arena, pm, &rules[i], op, identity, &values, &column);
        if (n == 0) continue;
        depends = true;
        const gg_val *v =
            row != NULL && row->kind == GG_VAL_OBJECT ? gg_val_object_get(row, column->field->name) : NULL;
        if (value_matches(v, values, n)) return GG_PG_AUTH_ALLOW;
    }
    return row == NULL && depends ? GG_PG_AUTH_PREDICATE : GG_PG_AUTH_DENY;
}

gg_pg_auth_answer gg_pg_auth_model_row(const gg_pg_model *pm, unsigned op, const gg_auth_identity *identity,
                                       const gg_val *row, gg_arena *arena)
{
    if (unchecked(identity)) return GG_PG_AUTH_ALLOW;
    const gg_amplify_model *m = pm->model;
    if (!m->has_auth && m->auth_rule_count == 0)
        return pm->sandbox_public ? gg_pg_auth_rules_row(pm, &sandbox_rule, 1, op, identity, row, arena)
                                  : GG_PG_AUTH_DENY;
    return gg_pg_auth_rules_row(pm, m->auth_rules, m->auth_rule_count, op, identity, row, arena);
}

gg_pg_auth_answer gg_pg_auth_field_row(const gg_pg_model *pm, const gg_amplify_field *field, unsigned op,
                                       const gg_auth_identity *identity, const gg_val *row, gg_arena *arena)
{
    if (!gg_pg_auth_field_has_rules(field)) return gg_pg_auth_model_row(pm, op, identity, row, arena);
    return gg_pg_auth_rules_row(pm, field->auth_rules, field->auth_rule_count, op, identity, row, arena);
}

/* Adds pm to the models reached (once); false when identity may not read every row of it for op,
 * or every field of it with rules of its own, or so for a model it reaches in turn. */
static bool reach_open(const gg_pg_models *models, const gg_pg_model *pm, unsigned op, const gg_auth_identity *identity,
                       gg_arena *arena, const gg_pg_model **reached, unsigned *reached_count)
{
    if (pm == NULL) return false;
    for (unsigned i = 0; i < *reached_count; i++)
        if (reached[i] == pm) return true;
    if (*reached_count >= models->count) return false;
    reached[(*reached_count)++] = pm;
    if (gg_pg_auth_model_row(pm, op, identity, NULL, arena) != GG_PG_AUTH_ALLOW) return false;
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->field_count; i++) {
        const gg_amplify_field *f = &m->fields[i];
        if (gg_pg_auth_field_has_rules(f) && gg_pg_auth_field_row(pm, f, op, identity, NULL, arena) != GG_PG_AUTH_ALLOW)
            return false;
        if (f->kind != GG_AMPLIFY_FIELD_RELATION || f->relation == NULL) continue;
        const gg_amplify_relation *r = f->relation;
        if (!reach_open(models, gg_pg_models_find(models, r->target), op, identity, arena, reached, reached_count))
            return false;
        if (r->join_model != NULL &&
            !reach_open(models, gg_pg_models_find(models, r->join_model), op, identity, arena, reached, reached_count))
            return false;
    }
    return true;
}

/* Whether identity may read every row of the model and every field of it with rules of its own. */
static bool model_open(const gg_pg_model *pm, unsigned op, const gg_auth_identity *identity, gg_arena *arena)
{
    if (pm == NULL || gg_pg_auth_model_row(pm, op, identity, NULL, arena) != GG_PG_AUTH_ALLOW) return false;
    for (unsigned i = 0; i < pm->model->field_count; i++) {
        const gg_amplify_field *f = &pm->model->fields[i];
        if (gg_pg_auth_field_has_rules(f) && gg_pg_auth_field_row(pm, f, op, identity, NULL, arena) != GG_PG_AUTH_ALLOW)
            return false;
    }
    return true;
}

/* Whether nested rows hold relations of their own ("@" members, plan.h) at any depth. */
static bool holds_relations(const gg_val *v, unsigned depth)
{
    if (v == NULL) return false;
    if (depth > 64) return true;
    if (v->kind == GG_VAL_LIST) {
        for (unsigned i = 0; i < v->count; i++)
            if (holds_relations(v->items[i], depth + 1)) return true;
    } else if (v->kind == GG_VAL_OBJECT) {
        for (unsigned i = 0; i < v->count; i++)
            if (v->members[i].key[0] == '@' || holds_relations(v->members[i].value, depth + 1)) return true;
    }
    return false;
}

/* Whether a relation member of the row ("@<response name>[#<field>][|<arguments>]") may hold f's
 * rows: it names f, or an alias that names no field. */
static bool member_of(const gg_pg_model *pm, const char *key, const gg_amplify_field *f, gg_arena *arena)
{
    size_t len = strcspn(key + 1, "|");
    const char *name = gg_arena_strndup(arena, key + 1, len);
    const char *hash = strchr(name, '#');
    if (hash != NULL) return strcmp(hash + 1, f->name) == 0;
    const gg_amplify_field *named = gg_pg_model_field(pm, name);
    return named == NULL || named == f;
}

/* Whether the rows the event holds under the relation field f (read with the writer's identity)
 * may all go to identity: the related model (and a join model) is open to it and those rows hold
 * no relations of their own, or every model they can reach is open to it. */
static bool relation_open(const gg_pg_models *models, const gg_pg_model *pm, const gg_amplify_field *f,
                          const gg_val *row, unsigned op, const gg_auth_identity *identity, gg_arena *arena)
{
    if (unchecked(identity)) return true;
    const gg_amplify_relation *r = f->relation;
    if (r == NULL) return false;
    const gg_pg_model *target = gg_pg_models_find(models, r->target);
    const gg_pg_model *join = r->join_model ? gg_pg_models_find(models, r->join_model) : NULL;
    if (!model_open(target, op, identity, arena) || (r->join_model != NULL && !model_open(join, op, identity, arena)))
        return false;
    bool nested = false;
    for (unsigned i = 0; i < row->count && !nested; i++)
        if (row->members[i].key[0] == '@' && member_of(pm, row->members[i].key, f, arena))
            nested = holds_relations(row->members[i].value, 0);
    if (!nested) return true;
    const gg_pg_model **reached = gg_arena_array(arena, models->count ? models->count : 1, sizeof *reached);
    unsigned count = 0;
    return reach_open(models, target, op, identity, arena, reached, &count) &&
           (join == NULL || reach_open(models, join, op, identity, arena, reached, &count));
}

const gg_val *gg_pg_auth_fields_row(const gg_pg_models *models, const gg_pg_model *pm, unsigned op,
                                    const gg_auth_identity *identity, const gg_val *row, gg_arena *arena)
{
    gg_val *copy = NULL;
    const gg_amplify_model *m = pm->model;
    for (unsigned i = 0; i < m->field_count && row->kind == GG_VAL_OBJECT; i++) {
        const gg_amplify_field *f = &m->fields[i];
        bool relation = f->kind == GG_AMPLIFY_FIELD_RELATION;
        if (!relation && !gg_pg_auth_field_has_rules(f)) continue;
        bool allowed = (!gg_pg_auth_field_has_rules(f) ||
                        gg_pg_auth_field_row(pm, f, op, identity, row, arena) == GG_PG_AUTH_ALLOW) &&
                       (!relation || relation_open(models, pm, f, row, op, identity, arena));
        const char *mark = gg_arena_printf(arena, GG_PG_DENIED_PREFIX "%s", f->name);
        const gg_val *marked = gg_val_object_get(row, mark);
        if (allowed == (marked == NULL || marked->kind != GG_VAL_BOOL || !marked->b)) continue;
        if (copy == NULL) {
            copy = gg_val_object(arena, row->count + 1);
            for (unsigned k = 0; k < row->count; k++)
                gg_val_object_set(arena, copy, row->members[k].key, row->members[k].value);
        }
        gg_val_object_set(arena, copy, mark, gg_val_bool(!allowed));
        if (!allowed && !relation) gg_val_object_set(arena, copy, f->name, &gg_val_null_value);
    }
    return copy ? copy : row;
}
