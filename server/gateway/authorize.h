/* authorize.h: the gateway's one place where a GraphQL request is authorized (issue 10).
 *
 * Every GraphQL request passes here before its document is parsed or executed: the x-api-key and
 * Authorization values go to gg_auth_authorize (mode selection and verification, server/auth/),
 * with the worker thread's token cache. The answer is the caller's identity, stamped with the
 * peer's address, or a refusal with AppSync's 401 words; a refusal is logged with its reason (never
 * the credential). Kept free of h2o so the gateway can call it from wherever requests arrive. */
#ifndef GG_GATEWAY_AUTHORIZE_H
#define GG_GATEWAY_AUTHORIZE_H

#include <stddef.h>
#include <sys/socket.h>

#include "../auth/auth.h"

/* Authorizes one request. api_key and authorization are the header values (NULL when absent) with
 * their lengths; peer is the client's address (NULL: unknown). Returns the identity (one reference
 * for the caller, to release with gg_auth_identity_release once the request is done) or NULL with
 * *refusal filled (answer refusal->http_status with gg_auth_refusal_body). */
gg_auth_identity *gg_gateway_authorize(gg_auth_verifier *verifier, gg_auth_cache *cache, const char *api_key,
                                       size_t api_key_len, const char *authorization, size_t authorization_len,
                                       const struct sockaddr *peer, socklen_t peer_len, gg_auth_refusal *refusal);

#endif
