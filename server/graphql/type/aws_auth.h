/* aws_auth.h: AppSync's field authorization directives (appsync-compat.md §2.3), decided per field.
 *
 * @aws_api_key, @aws_oidc, @aws_cognito_user_pools(cognito_groups:), @aws_auth(cognito_groups:)
 * (legacy, user pools), @aws_lambda and @aws_iam sit on object types and fields. The modes a field
 * allows are its own directives, else its object type's, else the API's default mode. Reading the
 * directives is done once, when the schema is built (gg_aws_auth_bind fills gg_field.auth_*), and
 * every group name the directives use gets a number, so a field's groups are a bit mask too. A
 * request then costs one bit test per field (two for a user-pools caller of a field that names
 * cognito_groups; names are compared only past the 64th distinct group) and never allocates.
 *
 * The engine knows nothing of how a request was authenticated (server/auth): the caller of the
 * executor describes it with a gg_aws_auth_caller, a view of mode bits and group names. */
#ifndef GG_AWS_AUTH_H
#define GG_AWS_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"

/* One bit per AppSync auth mode. */
enum {
    GG_AWS_AUTH_API_KEY = 1u << 0,    /* @aws_api_key */
    GG_AWS_AUTH_OIDC = 1u << 1,       /* @aws_oidc */
    GG_AWS_AUTH_USER_POOLS = 1u << 2, /* @aws_cognito_user_pools, @aws_auth */
    GG_AWS_AUTH_LAMBDA = 1u << 3,     /* @aws_lambda */
    GG_AWS_AUTH_IAM = 1u << 4,        /* @aws_iam */
    GG_AWS_AUTH_ANY = 0xffu,          /* not checked: introspection */
};

/* How one request was authenticated, as the executor needs it (gg_exec_request.auth). */
typedef struct gg_aws_auth_caller {
    uint32_t mode;             /* one GG_AWS_AUTH_* bit */
    uint32_t default_modes;    /* the API's default mode's bit: what a field without directives allows */
    const char *const *groups; /* user pools: the caller's cognito:groups */
    size_t group_count;
    uint64_t group_bits; /* the same groups as the schema numbers them: gg_aws_auth_group_bits */
    /* AWS_LAMBDA: the authorizer's deniedFields, "Type.field" or an AppSync field ARN
     * ("arn:aws:appsync:...:apis/<id>/types/Type/fields/field"); those fields are refused. */
    const char *const *denied_fields;
    size_t denied_field_count;
} gg_aws_auth_caller;

/* Fills auth_modes and auth_groups of every field of every object and interface type from the
 * directives of the field, else of its type (0: none written); introspection fields and the meta
 * fields (__typename, __schema, __type) get GG_AWS_AUTH_ANY. Called by gg_schema_build. */
void gg_aws_auth_bind(gg_schema *schema);

/* The bits of groups in the schema's numbering of the cognito_groups its directives name (groups it
 * never names have none): one hash lookup per group, once per request. */
uint64_t gg_aws_auth_group_bits(const gg_schema *schema, const char *const *groups, size_t count);

/* True when the caller's groups share one with the field's auth_groups, compared by name. */
bool gg_aws_auth_groups_match(const gg_field *field, const gg_aws_auth_caller *caller);

/* True when field is one of the caller's denied_fields. */
bool gg_aws_auth_denied(const gg_field *field, const gg_aws_auth_caller *caller);

/* True when caller may resolve field (§2.3: its mode is in the allowed set; for user pools, a shared
 * group too when the winning directives name cognito_groups; for Lambda, not a denied field). */
static inline bool gg_aws_auth_allows(const gg_field *field, const gg_aws_auth_caller *caller)
{
    uint32_t allowed = field->auth_modes != 0 ? field->auth_modes : caller->default_modes;
    if ((allowed & caller->mode) == 0) return false;
    if (caller->denied_field_count != 0 && gg_aws_auth_denied(field, caller)) return false;
    if (caller->mode != GG_AWS_AUTH_USER_POOLS || field->auth_groups == NULL) return true;
    if ((field->auth_group_bits & caller->group_bits) != 0) return true;
    return field->auth_groups_past_bits && gg_aws_auth_groups_match(field, caller);
}

#endif
