/* prelude.c: the AppSync and Amplify prelude SDL, and the directives graphgate refuses.
 *
 * The texts are plain SDL constants: the schema builder parses them like user SDL, so there is
 * one code path for every type and directive. Argument names and types follow the AppSync
 * documentation (appsync-compat.md §2.2) and the Amplify v2 transformer's directive
 * definitions (amplify-category-api, packages/amplify-graphql-directives), written out here in
 * our own words. `input AMPLIFY` is deliberately absent: Amplify schemas declare it themselves
 * (`input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`), which is why AuthRule and
 * its enums must be here. Directives graphgate cannot serve are still declared, so a schema
 * that uses them fails with the clear refusal below rather than "Unknown directive".
 * The AWS scalars and @aws_* directives carry no description: the transformer's output has none,
 * and AppSync's own wording is AWS's text, not ours to copy (issue 13). The scalars' rules are in
 * aws_scalars.c and appsync-compat.md §2.1. */
#include "prelude.h"

#include <stddef.h>
#include <string.h>

const char gg_prelude_appsync_sdl[] =
    "scalar AWSDate\n"
    "scalar AWSTime\n"
    "scalar AWSDateTime\n"
    "scalar AWSTimestamp\n"
    "scalar AWSEmail\n"
    "scalar AWSJSON\n"
    "scalar AWSURL\n"
    "scalar AWSPhone\n"
    "scalar AWSIPAddress\n"
    "\n"
    "directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION\n"
    "directive @aws_api_key on FIELD_DEFINITION | OBJECT\n"
    "directive @aws_iam on FIELD_DEFINITION | OBJECT\n"
    "directive @aws_oidc on FIELD_DEFINITION | OBJECT\n"
    "directive @aws_lambda on FIELD_DEFINITION | OBJECT\n"
    "directive @aws_cognito_user_pools(cognito_groups: [String!]) on FIELD_DEFINITION | OBJECT\n"
    "directive @aws_auth(cognito_groups: [String!]!) on FIELD_DEFINITION\n";

const char gg_prelude_amplify_sdl[] =
    /* @model */
    "directive @model(queries: ModelQueryMap, mutations: ModelMutationMap, "
    "subscriptions: ModelSubscriptionMap, timestamps: TimestampConfiguration) on OBJECT\n"
    "input ModelQueryMap { get: String list: String }\n"
    "input ModelMutationMap { create: String update: String delete: String }\n"
    "input ModelSubscriptionMap { onCreate: [String] onUpdate: [String] onDelete: [String] "
    "level: ModelSubscriptionLevel }\n"
    "enum ModelSubscriptionLevel { off public on }\n"
    "input TimestampConfiguration { createdAt: String updatedAt: String }\n"
    "\n"
    /* @auth */
    "directive @auth(rules: [AuthRule!]!) on OBJECT | FIELD_DEFINITION\n"
    "input AuthRule {\n"
    "  allow: AuthStrategy!\n"
    "  provider: AuthProvider\n"
    "  identityClaim: String\n"
    "  groupClaim: String\n"
    "  ownerField: String\n"
    "  groupsField: String\n"
    "  groups: [String]\n"
    "  operations: [ModelOperation]\n"
    "}\n"
    "enum AuthStrategy { owner groups private public custom }\n"
    "enum AuthProvider { apiKey iam identityPool oidc userPools function }\n"
    "enum ModelOperation { create update delete read list get sync listen search }\n"
    "\n"
    /* keys and relationships */
    "directive @primaryKey(sortKeyFields: [String]) on FIELD_DEFINITION\n"
    "directive @index(name: String, sortKeyFields: [String], queryField: String, projection: ProjectionInput) "
    "repeatable on FIELD_DEFINITION\n"
    "input ProjectionInput { type: ProjectionType nonKeyAttributes: [String] }\n"
    "enum ProjectionType { ALL KEYS_ONLY INCLUDE }\n"
    "directive @hasMany(indexName: String, fields: [String!], references: [String!], limit: Int = 100) "
    "on FIELD_DEFINITION\n"
    "directive @hasOne(indexName: String, fields: [String!], references: [String!]) on FIELD_DEFINITION\n"
    "directive @belongsTo(fields: [String!], references: [String!], overrideIndexName: String) "
    "on FIELD_DEFINITION\n"
    "directive @manyToMany(relationName: String!, limit: Int = 100) on FIELD_DEFINITION\n"
    "\n"
    /* field behaviour and data sources */
    "directive @default(value: String) on FIELD_DEFINITION\n"
    "directive @function(name: String!, region: String, accountId: String, "
    "invocationType: InvocationType = RequestResponse) repeatable on FIELD_DEFINITION\n"
    "enum InvocationType { RequestResponse Event }\n"
    "directive @sql(statement: String, reference: String) on FIELD_DEFINITION\n"
    "directive @refersTo(name: String!) on OBJECT | FIELD_DEFINITION\n"
    "directive @mapsTo(name: String!) on OBJECT\n"
    /* graphgate's own, not the transformer's: a column the database fills in (GENERATED ALWAYS AS
     * ..., GENERATED ALWAYS AS IDENTITY, a trigger), left out of the create and update inputs */
    "directive @readOnly on FIELD_DEFINITION\n"
    "\n"
    /* declared so schemas parse, refused by gg_prelude_refused_directive */
    "directive @http(method: HttpMethod = GET, url: String!, headers: [HttpHeader] = []) on FIELD_DEFINITION\n"
    "enum HttpMethod { GET POST PUT DELETE PATCH }\n"
    "input HttpHeader { key: String value: String }\n"
    "directive @predictions(actions: [PredictionsActions!]!) on FIELD_DEFINITION\n"
    "enum PredictionsActions { identifyText identifyLabels convertTextToSpeech translateText }\n"
    "directive @searchable(queries: SearchableQueryMap) on OBJECT\n"
    "input SearchableQueryMap { search: String }\n";

const char *gg_prelude_refused_directive(const char *name)
{
    static const struct {
        const char *name;
        const char *message;
    } refused[] = {
        {"searchable", "@searchable is not supported by graphgate: it needs Amazon OpenSearch Service. "
                       "Use the filter argument of list queries instead."},
        {"predictions", "@predictions is not supported by graphgate: it calls Amazon Rekognition, "
                        "Translate and Polly. Use a plugin resolver instead."},
        {"http", "@http is not supported by graphgate. Use a plugin resolver instead."},
        {"key", "@key is an Amplify transformer v1 directive; graphgate supports v2 only. "
                "Use @primaryKey and @index instead."},
        {"connection", "@connection is an Amplify transformer v1 directive; graphgate supports v2 only. "
                       "Use @hasOne, @hasMany, @belongsTo or @manyToMany instead."},
        {"versioned", "@versioned is an Amplify transformer v1 directive; graphgate supports v2 only. "
                      "Enable conflict detection in the configuration instead."},
    };
    if (name == NULL) return NULL;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (strcmp(refused[i].name, name) == 0) return refused[i].message;
    }
    return NULL;
}
