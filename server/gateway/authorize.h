/* authorize.h: the gateway's one place where a GraphQL request is authorized (issue 10).
 *
 * Every GraphQL request passes here before its document is parsed or executed: the x-api-key and
 * Authorization values go to gg_auth_authorize (mode selection and verification, server/auth/),
 * with the worker thread's token cache. The answer is the caller's identity (shared: the peer's
 * address is the request's context's, gg_pg_request.source_ip, not the identity's), or a refusal with
 * AppSync's 401 words; a refusal is logged with its reason and the peer (never the credential).
 * Kept free of h2o so the gateway can call it from wherever requests arrive. */
#ifndef GG_GATEWAY_AUTHORIZE_H
#define GG_GATEWAY_AUTHORIZE_H

#include <stddef.h>
#include <sys/socket.h>

#include "../auth/auth.h"

/* Room for a peer's address as text: every numeric IPv4 or IPv6 address (INET6_ADDRSTRLEN, 46). */
#define GG_GATEWAY_PEER_TEXT_BYTES 48

/* Writes peer's numeric address ("127.0.0.1", "::1") to out, or "unknown" (peer NULL, or not an
 * address). The text of :identity.sourceIp; the HTTP layer writes it once per connection. */
void gg_gateway_peer_text(const struct sockaddr *peer, socklen_t peer_len, char *out, size_t out_len);

/* Authorizes one request. api_key and authorization are the header values (NULL when absent) with
 * their lengths; peer is the client's address (NULL: unknown), named in the log of a refusal.
 * Returns the identity (one reference for the caller, to release with gg_auth_identity_release once
 * the request is done) or NULL with *refusal filled (answer refusal->http_status with
 * gg_auth_refusal_body). With refusal->ask_lambda the token goes to the Lambda authorizer
 * (gg_gateway_authorize_lambda, lambda_authorize.h) instead; a caller that cannot ask it answers the refusal. */
gg_auth_identity *gg_gateway_authorize(gg_auth_verifier *verifier, gg_auth_cache *cache, const char *api_key,
                                       size_t api_key_len, const char *authorization, size_t authorization_len,
                                       const struct sockaddr *peer, socklen_t peer_len, gg_auth_refusal *refusal);

#endif
