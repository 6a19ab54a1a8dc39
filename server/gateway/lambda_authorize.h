/* lambda_authorize.h: AWS_LAMBDA authorization of a request by the gateway's plugin authorizer.
 *
 * gg_gateway_authorize (authorize.h) answers from the thread's token cache; a token without a cached
 * decision comes back with refusal->ask_lambda, and the HTTP or realtime layer, once it has read
 * what the authorizer is told (the operation, its variables), asks here. The plugin may answer at
 * once or later from the same loop; either way the decision reaches the caller through one callback
 * and goes into the cache (server/auth/lambda.c). Separate from authorize.c, which links without the
 * plugins and the gateway (the auth benchmarks). */
#ifndef GG_GATEWAY_LAMBDA_AUTHORIZE_H
#define GG_GATEWAY_LAMBDA_AUTHORIZE_H

#include "../auth/auth.h"
#include "gateway.h"
#include "host.h"

/* The Lambda authorizer's decision: identity (one reference for the callee) or NULL with refusal. */
typedef void (*gg_gateway_lambda_done_fn)(void *user, gg_auth_identity *identity, const gg_auth_refusal *refusal);

/* Asks gateway's Lambda authorizer plugin about the token of asked (a refusal with ask_lambda from
 * gg_gateway_authorize), telling it request (AppSync's Lambda event; copied), and caches its decision
 * in cache. done runs once, on this thread: before this returns when the authorizer answers at once,
 * else later from this thread's loop; cache must live until then. A refusal is logged (never the
 * token). */
void gg_gateway_authorize_lambda(const gg_gateway *gateway, gg_auth_verifier *verifier, gg_auth_cache *cache,
                                 const gg_auth_refusal *asked, const gg_plugins_authorization_request *request,
                                 gg_gateway_lambda_done_fn done, void *user);

#endif
