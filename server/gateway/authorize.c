/* authorize.c: per-request authorization for the gateway; see authorize.h.
 *
 * Identities are shared and immutable: the thread's token cache hands the same one to every
 * request carrying the token, and API-key and NONE requests share one permanent identity each. So
 * an authorized request costs no copy and no formatting here; the peer's address is what the
 * request itself carries (gg_pg_request.source_ip in its context, written once per connection by
 * the HTTP layer), and is turned into text here only to log a refusal. */
#include "authorize.h"

#include <netdb.h>
#include <stdio.h>

#include "../base/log.h"

void gg_gateway_peer_text(const struct sockaddr *peer, socklen_t peer_len, char *out, size_t out_len)
{
    if (peer == NULL || peer_len == 0 ||
        getnameinfo(peer, peer_len, out, (socklen_t)out_len, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, out_len, "unknown");
}

gg_auth_identity *gg_gateway_authorize(gg_auth_verifier *verifier, gg_auth_cache *cache, const char *api_key,
                                       size_t api_key_len, const char *authorization, size_t authorization_len,
                                       const struct sockaddr *peer, socklen_t peer_len, gg_auth_refusal *refusal)
{
    gg_auth_identity *identity =
        gg_auth_authorize(verifier, cache, api_key, api_key_len, authorization, authorization_len, refusal);
    if (identity == NULL && !refusal->ask_lambda) {
        char address[GG_GATEWAY_PEER_TEXT_BYTES];
        gg_gateway_peer_text(peer, peer_len, address, sizeof address);
        gg_log_warn("auth: refused a request from %s (%d %s): %s", address, refusal->http_status, refusal->message,
                    refusal->reason);
    }
    return identity;
}
