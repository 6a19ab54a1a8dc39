/* lambda_authorize.c: a request's question to the Lambda authorizer plugin; see lambda_authorize.h. */
#include "lambda_authorize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "authorize.h"

/* A question to the Lambda authorizer in flight. */
typedef struct lambda_question {
    gg_auth_verifier *verifier;
    gg_auth_cache *cache;
    unsigned char key[32];
    char source_ip[GG_GATEWAY_PEER_TEXT_BYTES];
    gg_gateway_lambda_done_fn done;
    void *user;
} lambda_question;

static void on_lambda_answer(void *user, const cJSON *response, const char *failure)
{
    lambda_question *q = user;
    gg_auth_refusal refusal;
    gg_auth_identity *identity = gg_auth_lambda_decide(q->verifier, q->cache, q->key, response, failure, &refusal);
    if (identity == NULL)
        gg_log_warn("auth: refused a request from %s (%d %s): %s", q->source_ip, refusal.http_status, refusal.message,
                    refusal.reason);
    q->done(q->user, identity, &refusal);
    free(q);
}

void gg_gateway_authorize_lambda(const gg_gateway *gateway, gg_auth_verifier *verifier, gg_auth_cache *cache,
                                 const gg_auth_refusal *asked, const gg_plugins_authorization_request *request,
                                 gg_gateway_lambda_done_fn done, void *user)
{
    lambda_question *q = calloc(1, sizeof *q);
    if (q == NULL) abort();
    *q = (lambda_question){.verifier = verifier, .cache = cache, .done = done, .user = user};
    memcpy(q->key, asked->lambda_key, sizeof q->key);
    snprintf(q->source_ip, sizeof q->source_ip, "%s", request->source_ip != NULL ? request->source_ip : "unknown");
    const gg_plugin_authorizer *authorizer = gateway != NULL ? gg_gateway_lambda_authorizer(gateway) : NULL;
    if (authorizer == NULL) {
        on_lambda_answer(q, NULL, "no Lambda authorizer is loaded");
        return;
    }
    gg_plugins_authorize(authorizer, request, on_lambda_answer, q);
}
