/* auth_warnings.h: warnings, once per start (and --check), about @model types that every request
 * is refused by, for reasons of the configuration rather than of the caller: a model closed for lack
 * of @auth rules, and rules for an auth mode the API does not have. AppSync refuses to deploy the
 * second and answers Unauthorized to the first; graphgate serves both and says why here. */
#ifndef GG_GATEWAY_AUTH_WARNINGS_H
#define GG_GATEWAY_AUTH_WARNINGS_H

#include "../amplify/model.h"
#include "../auth/auth.h"

/* Names each @model with @auth rules (its own or its fields') for a mode auth does not have. */
void gg_warn_rules_without_mode(const gg_auth_config *auth, const gg_amplify_catalog *catalog);
/* Names the @model types without @auth rules in a schema without a global rule (catalog may be NULL). */
void gg_warn_closed_models(const gg_auth_config *auth, const gg_amplify_catalog *catalog);

#endif
