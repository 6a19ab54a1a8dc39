/* prelude.c: the AppSync and Amplify prelude SDL, and the directives graphgate refuses.
 *
 * The texts are plain SDL constants: the schema builder parses them like user SDL, so there is
 * one code path for every type and directive. Argument names and types follow the AppSync
 * documentation (appsync-compat.md §2.2) and the Amplify v2 transformer's directive
 * definitions (amplify-category-api, packages/amplify-graphql-directives), written out here in
 * our own words. `input AMPLIFY` is deliberately absent: Amplify schemas declare it themselves
 * (`input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }`), which is why AuthRule and
 * its enums must be here. Directives graphgate cannot serve are still declared, so a schema
 * that uses them fails with the clear refusal below rather than "Unknown directive". */
#include "prelude.h"

#include <stddef.h>
#include <string.h>

const char gg_prelude_appsync_sdl[] =
    "\"A calendar date in extended ISO 8601 form, YYYY-MM-DD, with an optional zone offset "
    "(Z, +hh:mm or +hh:mm:ss), for example 1970-01-01 or 1970-01-01+05:30.\"\n"
    "scalar AWSDate\n"
    "\n"
    "\"A time of day in extended ISO 8601 form, hh:mm[:ss[.fraction]], with an optional zone offset, "
    "for example 12:30Z or 12:30:24.500+05:30.\"\n"
    "scalar AWSTime\n"
    "\n"
    "\"A date and time in extended ISO 8601 form, YYYY-MM-DDThh:mm[:ss[.fraction]] followed by a required "
    "zone offset, for example 1970-01-01T12:00:00.277Z.\"\n"
    "scalar AWSDateTime\n"
    "\n"
    "\"A point in time as whole seconds since 1970-01-01T00:00Z (negative before it), sent as a JSON "
    "number.\"\n"
    "scalar AWSTimestamp\n"
    "\n"
    "\"An email address of the form local-part@domain-part (RFC 822).\"\n"
    "scalar AWSEmail\n"
    "\n"
    "\"A JSON document sent as a string: input strings are parsed, and output values are serialised back "
    "into a string.\"\n"
    "scalar AWSJSON\n"
    "\n"
    "\"A URL with a scheme (RFC 1738), for example https://example.com/a/b or mailto:someone@example.com.\"\n"
    "scalar AWSURL\n"
    "\n"
    "\"A phone number: digit groups separated by spaces or hyphens, with an optional leading +country "
    "code.\"\n"
    "scalar AWSPhone\n"
    "\n"
    "\"An IPv4 or IPv6 address, optionally with a CIDR prefix length, for example 192.0.2.1/24.\"\n"
    "scalar AWSIPAddress\n"
    "\n"
    "\"Makes a subscription field fire after each of the named mutation fields.\"\n"
    "directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION\n"
    "\"Allows requests authorised with an API key.\"\n"
    "directive @aws_api_key on FIELD_DEFINITION | OBJECT\n"
    "\"Allows requests signed with AWS IAM (SigV4).\"\n"
    "directive @aws_iam on FIELD_DEFINITION | OBJECT\n"
    "\"Allows requests carrying an OpenID Connect token.\"\n"
    "directive @aws_oidc on FIELD_DEFINITION | OBJECT\n"
    "\"Allows requests authorised by the Lambda authorizer.\"\n"
    "directive @aws_lambda on FIELD_DEFINITION | OBJECT\n"
    "\"Allows Cognito user pool users, optionally only members of the listed groups.\"\n"
    "directive @aws_cognito_user_pools(cognito_groups: [String!]) on FIELD_DEFINITION | OBJECT\n"
    "\"Legacy form of @aws_cognito_user_pools for APIs whose default mode is user pools.\"\n"
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
