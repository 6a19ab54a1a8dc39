/* custom_auth.c: Amplify @auth rules on fields outside @model types (custom queries and mutations
 * bound by @sql or @function, fields of non-model types), enforced before the field resolves.
 *
 * The transform gives such a field its rules' provider directives (@aws_cognito_user_pools and the
 * like, checked by the engine: aws_auth.h), which say which auth modes may call it but not which
 * groups or owners. Amplify's transformer adds an auth function to the field's resolver for that;
 * here each such field gets an engine guard (gg_field.guard) that decides its rules for the
 * caller: public, private and custom rules allow every caller of their provider's mode; a static
 * groups rule a caller in one of its groups (groupClaim); an owner or dynamic groups rule compares
 * the caller's values with the parent object's ownerField or groupsField, so on a root field, which
 * has no parent object, it allows no one. A refused field is null with "Not Authorized to access
 * <field> on type <type>" (Unauthorized) at its path and its resolver never runs: a refused
 * mutation changes nothing. Without an identity (auth.default_mode NONE) every field is allowed. */
#include "custom_auth.h"

#include <string.h>

#include "../auth/auth.h"
#include "../graphql/execute/execute.h"
#include "auth_sql.h"
#include "gateway.h"

/* The parent's value of member name (a text or a list of texts) holds one of values. */
static bool member_holds(const gg_val *source, const char *name, const char *const *values, unsigned count)
{
    const gg_val *v = source != NULL && source->kind == GG_VAL_OBJECT ? gg_val_object_get(source, name) : NULL;
    if (v == NULL) return false;
    unsigned n = v->kind == GG_VAL_LIST ? v->count : 1;
    for (unsigned i = 0; i < n; i++) {
        const gg_val *item = v->kind == GG_VAL_LIST ? v->items[i] : v;
        if (item == NULL || item->kind != GG_VAL_STRING) continue;
        for (unsigned k = 0; k < count; k++)
            if (strlen(values[k]) == item->len && memcmp(values[k], item->s, item->len) == 0) return true;
    }
    return false;
}

static bool rule_allows(gg_arena *arena, const gg_amplify_auth_rule *rule, const gg_auth_identity *identity,
                        const gg_val *source)
{
    if (!gg_pg_auth_rule_applies(rule, GG_AMPLIFY_OP_ALL, identity)) return false;
    if (gg_pg_auth_allows_every_row(arena, rule, identity)) return true;
    const char **values = NULL;
    if (rule->allow == GG_AMPLIFY_ALLOW_GROUPS && rule->groups_field != NULL) {
        unsigned n = gg_pg_auth_caller_groups(arena, rule, identity, &values);
        return member_holds(source, rule->groups_field, values, n);
    }
    if (rule->allow == GG_AMPLIFY_ALLOW_OWNER) {
        unsigned n = gg_pg_auth_owner_values(arena, rule, identity, &values);
        return member_holds(source, rule->owner_field ? rule->owner_field : "owner", values, n);
    }
    return false;
}

static bool guard(const gg_resolve_info *info, const void *data)
{
    const gg_amplify_custom_field *custom = data;
    const gg_request_context *context = info->context;
    const gg_auth_identity *identity = context != NULL ? context->pg.identity : NULL;
    if (identity == NULL || identity->mode == GG_AUTH_NONE) return true;
    for (unsigned i = 0; i < custom->auth_rule_count; i++)
        if (rule_allows(info->arena, &custom->auth_rules[i], identity, info->source)) return true;
    return false;
}

void gg_custom_auth_bind(gg_schema *schema, const gg_amplify_catalog *catalog)
{
    for (unsigned i = 0; catalog != NULL && i < catalog->custom_field_count; i++) {
        const gg_amplify_custom_field *custom = &catalog->custom_fields[i];
        if (custom->auth_rule_count == 0) continue;
        gg_type *type = gg_schema_find_type(schema, custom->type);
        gg_field *field = type != NULL ? gg_type_find_field(type, custom->field) : NULL;
        if (field == NULL) continue; /* not served (a type the transform left out): nothing to guard */
        field->guard = guard;
        field->guard_data = custom;
    }
}
