/* lambda.c (auth): AWS_LAMBDA authorization's side in server/auth: the token's validation
 * expression, the decisions of the authorizer kept in the thread's token cache, and the identity an
 * authorizer's answer makes (appsync-compat §1.2.2).
 *
 * The authorizer itself is a plugin (plugins/authorizer.c) called by the gateway, which may answer
 * later: so gg_lambda_check answers from the cache or asks its caller to call the authorizer
 * (refusal->ask_lambda), and gg_lambda_decide turns the answer into an identity. A decision is
 * cached under a digest that differs from the token's JWT digest (a prefix byte is hashed first), so
 * a Lambda decision and a verified JWT never share an entry. Denials are cached too, as AppSync
 * does, as identities marked refused that never leave this file. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* AppSync's bound for ttlOverride and the TTL (one hour). */
#define MAX_TTL_S 3600
/* An answer with more denied fields than this is refused as malformed. */
#define MAX_DENIED_FIELDS 1024

struct gg_lambda_rules {
    unsigned ttl_s;
    regex_t validation;
    bool has_validation;
};

gg_lambda_rules *gg_lambda_rules_new(const gg_auth_lambda_config *cfg, gg_fault *fault)
{
    gg_lambda_rules *rules = calloc(1, sizeof *rules);
    if (rules == NULL) abort();
    rules->ttl_s = cfg->ttl_s;
    const char *expression = cfg->identity_validation_expression;
    if (expression != NULL && expression[0] != '\0') {
        if (!gg_auth_regcomp_whole(&rules->validation, expression)) {
            gg_fault_set(fault, NULL, "auth.lambda.identity_validation_expression: not a valid regular expression");
            free(rules);
            return NULL;
        }
        rules->has_validation = true;
    }
    return rules;
}

void gg_lambda_rules_free(gg_lambda_rules *rules)
{
    if (rules == NULL) return;
    if (rules->has_validation) regfree(&rules->validation);
    free(rules);
}

/* The cache key of token's decision: SHA-256 of 'L' then the token. */
static void decision_key(gg_auth_cache *cache, const char *token, size_t len, unsigned char key[32])
{
    char *prefixed = malloc(len + 1);
    if (prefixed == NULL) abort();
    prefixed[0] = 'L';
    memcpy(prefixed + 1, token, len);
    gg_auth_cache_sha256(cache, prefixed, len + 1, key);
    free(prefixed);
}

gg_auth_identity *gg_lambda_check(const gg_lambda_rules *rules, gg_auth_cache *cache, const char *token, size_t len,
                                  gg_auth_refusal *refusal)
{
    if (rules->has_validation) {
        char *text = malloc(len + 1);
        if (text == NULL) abort();
        memcpy(text, token, len);
        text[len] = '\0';
        bool match = memchr(token, '\0', len) == NULL && regexec(&rules->validation, text, 0, NULL, 0) == 0;
        free(text);
        if (!match)
            return gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED,
                                  "AWS_LAMBDA: the token does not match auth.lambda.identity_validation_expression");
    }
    unsigned char key[32];
    decision_key(cache, token, len, key);
    gg_auth_identity *hit = cache != NULL ? gg_auth_cache_get(cache, key, "", 0, (int64_t)time(NULL)) : NULL;
    if (hit != NULL && !hit->refused) return hit;
    if (hit != NULL) {
        gg_auth_identity_release(hit);
        return gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED,
                              "AWS_LAMBDA: the authorizer denied the token "
                              "(cached decision)");
    }
    gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED, "AWS_LAMBDA: the authorizer was not asked");
    refusal->ask_lambda = true;
    memcpy(refusal->lambda_key, key, sizeof key);
    refusal->lambda_token = token;
    refusal->lambda_token_len = len;
    return NULL;
}

/* The identity of a decision, in one allocation: the struct, the denied-field list, its strings and
 * the resolverContext's JSON text (context_len bytes). */
static gg_auth_identity *decision_identity(bool authorized, const char *context, size_t context_len,
                                           const cJSON *denied)
{
    size_t count = 0, text_bytes = context_len + 1;
    const cJSON *item;
    cJSON_ArrayForEach(item, denied)
    {
        count++;
        text_bytes += strlen(item->valuestring) + 1;
    }
    gg_auth_identity *identity = malloc(sizeof *identity + (count + 2) * sizeof(char *) + text_bytes);
    if (identity == NULL) abort();
    char **groups = (char **)(identity + 1), **list = groups + 1;
    char *at = (char *)(list + count + 1);
    groups[0] = NULL;
    *identity = (gg_auth_identity){.refs = 1,
                                   .mode = GG_AUTH_AWS_LAMBDA,
                                   .groups = groups,
                                   .denied_fields = count > 0 ? list : NULL,
                                   .denied_field_count = count,
                                   .refused = !authorized};
    size_t n = 0;
    cJSON_ArrayForEach(item, denied)
    {
        size_t len = strlen(item->valuestring) + 1;
        list[n++] = memcpy(at, item->valuestring, len);
        at += len;
    }
    list[n] = NULL;
    gg_auth_identity_place_payload(identity, at, context, context_len);
    return identity;
}

gg_auth_identity *gg_lambda_decide(const gg_lambda_rules *rules, gg_auth_cache *cache, const unsigned char key[32],
                                   const cJSON *response, const char *failure, gg_auth_refusal *refusal)
{
    unsigned char decision[32]; /* key may point into *refusal (its lambda_key), cleared next */
    memcpy(decision, key, sizeof decision);
    memset(refusal, 0, sizeof *refusal);
    if (response == NULL)
        return gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED, "AWS_LAMBDA: the authorizer failed: %s",
                              failure != NULL ? failure : "no reason given");
    const cJSON *authorized = cJSON_GetObjectItemCaseSensitive(response, "isAuthorized");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(response, "resolverContext");
    const cJSON *denied = cJSON_GetObjectItemCaseSensitive(response, "deniedFields");
    const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(response, "ttlOverride");
    const char *malformed = NULL;
    if (!cJSON_IsObject(response) || !cJSON_IsBool(authorized))
        malformed = "isAuthorized is not a boolean";
    else if (context != NULL && !cJSON_IsObject(context) && !cJSON_IsNull(context))
        malformed = "resolverContext is not an object";
    else if (denied != NULL && !cJSON_IsArray(denied) && !cJSON_IsNull(denied))
        malformed = "deniedFields is not a list";
    else if (ttl != NULL && !cJSON_IsNull(ttl) &&
             (!cJSON_IsNumber(ttl) || ttl->valuedouble < 0 || ttl->valuedouble > MAX_TTL_S))
        malformed = "ttlOverride is not a number of seconds from 0 to 3600";
    const cJSON *item;
    int denied_count = 0;
    const cJSON *denied_list = cJSON_IsArray(denied) ? denied : NULL;
    cJSON_ArrayForEach(item, denied_list)
    {
        if (!cJSON_IsString(item) && malformed == NULL) malformed = "deniedFields holds something else than strings";
        denied_count++;
    }
    if (malformed == NULL && denied_count > MAX_DENIED_FIELDS) malformed = "more than 1024 deniedFields";
    if (malformed != NULL)
        return gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED,
                              "AWS_LAMBDA: the authorizer's answer is malformed: %s", malformed);
    bool allowed = cJSON_IsTrue(authorized);
    char *context_text = allowed && cJSON_IsObject(context) ? cJSON_PrintUnformatted(context) : NULL;
    gg_auth_identity *identity =
        decision_identity(allowed, context_text != NULL ? context_text : "{}",
                          context_text != NULL ? strlen(context_text) : 2, allowed ? denied_list : NULL);
    cJSON_free(context_text);
    unsigned seconds = cJSON_IsNumber(ttl) ? (unsigned)ttl->valuedouble : rules->ttl_s;
    if (cache != NULL && seconds > 0)
        gg_auth_cache_put(cache, decision, "", 0, identity, (int64_t)time(NULL) + seconds - 1);
    if (allowed) return identity;
    gg_auth_identity_release(identity);
    return gg_auth_refuse(refusal, GG_AUTH_MESSAGE_NOT_AUTHORIZED, "AWS_LAMBDA: the authorizer denied the token");
}
