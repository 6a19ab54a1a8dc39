/* aws_auth.c: reading AppSync's auth directives into each field once; see aws_auth.h.
 *
 * The directive set that wins for a field (its own, else its type's) is folded into a bit mask and,
 * for user pools, a list of group names in the schema arena. Several user-pools directives in one
 * set (@aws_cognito_user_pools and @aws_auth) add up: one without cognito_groups lets every user in;
 * otherwise the lists are joined. An empty cognito_groups list lets no user-pools caller in. Group
 * names are numbered in the order first met (schema->aws_auth_groups); the first 64 are bits of
 * auth_group_bits, so a request turns its caller's groups into bits once and each field costs an AND. */
#include "aws_auth.h"

#include <string.h>

typedef struct auth_set {
    uint32_t modes;
    bool any_group; /* a user-pools directive without cognito_groups */
    GG_VEC(const char *) groups;
} auth_set;

static uint32_t directive_mode(const char *name)
{
    if (strcmp(name, "aws_api_key") == 0) return GG_AWS_AUTH_API_KEY;
    if (strcmp(name, "aws_oidc") == 0) return GG_AWS_AUTH_OIDC;
    if (strcmp(name, "aws_cognito_user_pools") == 0 || strcmp(name, "aws_auth") == 0) return GG_AWS_AUTH_USER_POOLS;
    if (strcmp(name, "aws_lambda") == 0) return GG_AWS_AUTH_LAMBDA;
    if (strcmp(name, "aws_iam") == 0) return GG_AWS_AUTH_IAM;
    return 0;
}

/* Adds the group names of a cognito_groups value (a list, or one string as input coercion allows). */
static void add_groups(gg_arena *arena, auth_set *set, const gg_value *value)
{
    if (value->kind == GG_VALUE_STRING) {
        GG_VEC_PUSH(arena, set->groups, value->text);
        return;
    }
    for (unsigned i = 0; value->kind == GG_VALUE_LIST && i < value->item_count; i++)
        if (value->items[i]->kind == GG_VALUE_STRING) GG_VEC_PUSH(arena, set->groups, value->items[i]->text);
}

static void read_directives(gg_arena *arena, auth_set *set, const gg_directive *directives, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        const gg_directive *d = &directives[i];
        uint32_t mode = d->name.value != NULL ? directive_mode(d->name.value) : 0;
        if (mode == 0) continue;
        set->modes |= mode;
        if (mode != GG_AWS_AUTH_USER_POOLS) continue;
        const gg_value *groups = NULL;
        for (unsigned a = 0; a < d->arg_count; a++)
            if (strcmp(d->args[a].name.value, "cognito_groups") == 0) groups = d->args[a].value;
        if (groups == NULL || groups->kind == GG_VALUE_NULL)
            set->any_group = true;
        else
            add_groups(arena, set, groups);
    }
}

/* The number of a group name in the schema (given the next free one when new). */
static uintptr_t group_number(gg_schema *schema, const char *name)
{
    uintptr_t n = (uintptr_t)gg_strmap_gets(&schema->aws_auth_groups, name);
    if (n == 0) {
        n = schema->aws_auth_groups.count + 1;
        gg_strmap_put(&schema->aws_auth_groups, name, strlen(name), (void *)n);
    }
    return n - 1;
}

static void apply(gg_schema *schema, gg_field *field, const auth_set *set)
{
    field->auth_modes = set->modes;
    field->auth_groups = NULL;
    field->auth_group_count = 0;
    if ((set->modes & GG_AWS_AUTH_USER_POOLS) == 0 || set->any_group) return;
    const char **groups = gg_arena_array(&schema->arena, set->groups.count ? set->groups.count : 1, sizeof *groups);
    for (unsigned i = 0; i < set->groups.count; i++) {
        groups[i] = set->groups.items[i];
        uintptr_t n = group_number(schema, groups[i]);
        if (n < 64)
            field->auth_group_bits |= (uint64_t)1 << n;
        else
            field->auth_groups_past_bits = true;
    }
    field->auth_groups = groups;
    field->auth_group_count = set->groups.count;
}

uint64_t gg_aws_auth_group_bits(const gg_schema *schema, const char *const *groups, size_t count)
{
    uint64_t bits = 0;
    for (size_t i = 0; i < count && schema->aws_auth_groups.count > 0; i++) {
        uintptr_t n = (uintptr_t)gg_strmap_gets(&schema->aws_auth_groups, groups[i]);
        if (n >= 1 && n <= 64) bits |= (uint64_t)1 << (n - 1);
    }
    return bits;
}

void gg_aws_auth_bind(gg_schema *schema)
{
    gg_arena *arena = &schema->arena;
    gg_strmap_init(&schema->aws_auth_groups, arena);
    for (unsigned t = 0; t < schema->type_count; t++) {
        gg_type *type = schema->types[t];
        if (type->kind != GG_KIND_OBJECT && type->kind != GG_KIND_INTERFACE) continue;
        bool introspection = strncmp(type->name, "__", 2) == 0;
        auth_set type_set = {0};
        read_directives(arena, &type_set, type->directives, type->directive_count);
        for (unsigned f = 0; f < type->field_count; f++) {
            gg_field *field = &type->fields[f];
            if (introspection) {
                field->auth_modes = GG_AWS_AUTH_ANY;
                continue;
            }
            auth_set field_set = {0};
            if (field->ast != NULL)
                read_directives(arena, &field_set, field->ast->directives, field->ast->directive_count);
            apply(schema, field, field_set.modes != 0 ? &field_set : &type_set);
        }
    }
    gg_field *meta[] = {schema->typename_meta_field, schema->schema_meta_field, schema->type_meta_field};
    for (unsigned i = 0; i < sizeof meta / sizeof meta[0]; i++)
        if (meta[i] != NULL) meta[i]->auth_modes = GG_AWS_AUTH_ANY;
}

bool gg_aws_auth_groups_match(const gg_field *field, const gg_aws_auth_caller *caller)
{
    for (unsigned i = 0; i < field->auth_group_count; i++)
        for (size_t k = 0; k < caller->group_count; k++)
            if (strcmp(field->auth_groups[i], caller->groups[k]) == 0) return true;
    return false;
}

/* True when entry names type.field: "Type.field", or an AppSync field ARN ending in
 * "/types/Type/fields/field". */
static bool denied_entry_matches(const char *entry, const char *type, const char *field)
{
    const char *arn = strstr(entry, "/types/");
    size_t type_len = strlen(type);
    if (arn != NULL) {
        const char *t = arn + 7;
        return strncmp(t, type, type_len) == 0 && strncmp(t + type_len, "/fields/", 8) == 0 &&
               strcmp(t + type_len + 8, field) == 0;
    }
    return strncmp(entry, type, type_len) == 0 && entry[type_len] == '.' && strcmp(entry + type_len + 1, field) == 0;
}

bool gg_aws_auth_denied(const gg_field *field, const gg_aws_auth_caller *caller)
{
    if (field->parent == NULL) return false;
    for (size_t i = 0; i < caller->denied_field_count; i++)
        if (denied_entry_matches(caller->denied_fields[i], field->parent->name, field->name)) return true;
    return false;
}
