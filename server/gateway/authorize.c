/* authorize.c: per-request authorization for the gateway; see authorize.h.
 *
 * Identities of verified tokens are shared: the thread's cache hands the same one to every request
 * carrying the token. source_ip is the only per-request field, so it is written only into an
 * identity no request has seen yet (its source_ip still empty); a shared identity that was stamped
 * with another address is copied for this request. A hot token from one client therefore costs no
 * copy, and an identity already handed to a request in flight never changes under it. */
#include "authorize.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"

static char *copy_string(const char *s)
{
    if (s == NULL) return NULL;
    char *out = strdup(s);
    if (out == NULL) abort();
    return out;
}

/* A private copy of identity (one reference), with an empty source_ip. */
static gg_auth_identity *identity_copy(const gg_auth_identity *identity)
{
    gg_auth_identity *copy = calloc(1, sizeof *copy);
    if (copy == NULL) abort();
    copy->refs = 1;
    copy->mode = identity->mode;
    copy->sub = copy_string(identity->sub);
    copy->username = copy_string(identity->username);
    copy->issuer = copy_string(identity->issuer);
    copy->group_count = identity->group_count;
    copy->groups = calloc(identity->group_count + 1, sizeof *copy->groups);
    if (copy->groups == NULL) abort();
    for (size_t i = 0; i < identity->group_count; i++)
        copy->groups[i] = copy_string(identity->groups[i]);
    copy->claims = identity->claims != NULL ? cJSON_Duplicate(identity->claims, true) : NULL;
    return copy;
}

static void peer_text(const struct sockaddr *peer, socklen_t peer_len, char *out, size_t out_len)
{
    /* out holds INET6_ADDRSTRLEN (46) characters: every numeric address fits */
    if (peer == NULL || peer_len == 0 ||
        getnameinfo(peer, peer_len, out, (socklen_t)out_len, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, out_len, "unknown");
}

gg_auth_identity *gg_gateway_authorize(gg_auth_verifier *verifier, gg_auth_cache *cache, const char *api_key,
                                       size_t api_key_len, const char *authorization, size_t authorization_len,
                                       const struct sockaddr *peer, socklen_t peer_len, gg_auth_refusal *refusal)
{
    char address[sizeof((gg_auth_identity *)NULL)->source_ip];
    gg_auth_identity *identity =
        gg_auth_authorize(verifier, cache, api_key, api_key_len, authorization, authorization_len, refusal);
    peer_text(peer, peer_len, address, sizeof address);
    if (identity == NULL) {
        gg_log_warn("auth: refused a request from %s (%d %s): %s", address, refusal->http_status, refusal->message,
                    refusal->reason);
        return NULL;
    }
    if (identity->source_ip[0] != '\0' && strcmp(identity->source_ip, address) != 0) {
        gg_auth_identity *copy = identity_copy(identity);
        gg_auth_identity_release(identity);
        identity = copy;
    }
    if (identity->source_ip[0] == '\0') snprintf(identity->source_ip, sizeof identity->source_ip, "%s", address);
    return identity;
}
