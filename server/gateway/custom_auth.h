/* custom_auth.h: Amplify @auth rules on fields outside @model types, as engine guards (custom_auth.c). */
#ifndef GG_CUSTOM_AUTH_H
#define GG_CUSTOM_AUTH_H

#include "../amplify/model.h"
#include "../graphql/type/schema.h"

/* Guards every field of schema that catalog (NULL: none) records with @auth rules. The catalog must
 * outlive the schema's executions (the guards read its rules). */
void gg_custom_auth_bind(gg_schema *schema, const gg_amplify_catalog *catalog);

#endif
