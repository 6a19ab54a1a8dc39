/* auth_warnings.c: start-up's warnings about a schema's @auth rules that the configured auth modes
 * make useless; see auth_warnings.h. Each names the models and what to change. */
#include "auth_warnings.h"

#include "../base/buf.h"
#include "../base/log.h"

/* The auth mode whose callers an @auth rule's provider names. */
static gg_auth_mode provider_mode(gg_amplify_provider provider)
{
    switch (provider) {
    case GG_AMPLIFY_PROVIDER_API_KEY:
        return GG_AUTH_API_KEY;
    case GG_AMPLIFY_PROVIDER_IAM:
    case GG_AMPLIFY_PROVIDER_IDENTITY_POOL:
        return GG_AUTH_AWS_IAM;
    case GG_AMPLIFY_PROVIDER_OIDC:
        return GG_AUTH_OPENID_CONNECT;
    case GG_AMPLIFY_PROVIDER_USER_POOLS:
        return GG_AUTH_AMAZON_COGNITO_USER_POOLS;
    default:
        return GG_AUTH_AWS_LAMBDA;
    }
}

static unsigned missing_modes(unsigned modes, const gg_amplify_auth_rule *rules, unsigned count)
{
    unsigned missing = 0;
    for (unsigned i = 0; i < count; i++) {
        unsigned bit = 1u << provider_mode(rules[i].provider);
        if (!(modes & bit)) missing |= bit;
    }
    return missing;
}

/* An @auth rule whose provider is none of the API's auth modes never lets anyone in. AppSync
 * refuses to deploy such a schema ("no ... authentication provider configured"); graphgate
 * serves it, so a model that seems closed for no reason is named at start-up (and by --check),
 * with the mode to add. Join models repeat their sides' rules and are left out. */
void gg_warn_rules_without_mode(const gg_auth_config *auth, const gg_amplify_catalog *cat)
{
    if (auth == NULL || auth->default_mode == GG_AUTH_NONE) return;
    unsigned modes = auth->modes;
    for (unsigned m = 0; m < cat->model_count; m++) {
        const gg_amplify_model *model = cat->models[m];
        if (model->is_join_model) continue;
        unsigned missing = missing_modes(modes, model->auth_rules, model->auth_rule_count);
        for (unsigned f = 0; f < model->field_count; f++)
            missing |= missing_modes(modes, model->fields[f].auth_rules, model->fields[f].auth_rule_count);
        for (gg_auth_mode mode = GG_AUTH_API_KEY; mode < GG_AUTH_AWS_IAM; mode++)
            if (missing & (1u << mode))
                gg_log_warn("warning: @model %s has @auth rules for %s callers, which is not an auth mode of this "
                            "API: those rules never apply (add %s to auth.additional_modes)",
                            model->name, gg_auth_mode_name(mode), gg_auth_mode_name(mode));
        if (missing & (1u << GG_AUTH_AWS_IAM))
            gg_log_warn("warning: @model %s has @auth rules for AWS_IAM callers (provider iam or identityPool): "
                        "graphgate refuses signed (SigV4) requests, so those rules never apply",
                        model->name);
    }
}

/* A @model without @auth, in a schema without a global rule, is closed as on AppSync: every request
 * to it is Unauthorized, which tells a newcomer nothing. Start-up and --check name such models once. */
void gg_warn_closed_models(const gg_auth_config *auth, const gg_amplify_catalog *catalog)
{
    if (catalog == NULL || catalog->sandbox_public || auth->default_mode == GG_AUTH_NONE) return;
    gg_buf names;
    gg_buf_init(&names);
    unsigned closed = 0;
    for (unsigned i = 0; i < catalog->model_count; i++) {
        const gg_amplify_model *m = catalog->models[i];
        if (m->has_auth || m->is_join_model) continue;
        gg_buf_printf(&names, "%s%s", closed++ ? ", " : "", m->name);
    }
    if (closed > 0)
        gg_log_warn(
            "warning: @model %.*s ha%s no @auth rules and the schema no global rule: as on AppSync, every "
            "request to %s is refused (Unauthorized). Give %s @auth rules, or open models without them to "
            "API keys as Amplify's sandbox does: input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }",
            (int)names.len, names.data, closed == 1 ? "s" : "ve", closed == 1 ? "it" : "them",
            closed == 1 ? "it" : "them");
    gg_buf_free(&names);
}
