/* discovery.c: an OPENID_CONNECT provider known by its issuer alone, as AppSync configures one.
 *
 * AppSync's OIDC settings are the issuer URL (with clientId, iatTTL and authTTL): it reads the
 * provider's OpenID Connect Discovery 1.0 document at <issuer>/.well-known/openid-configuration and
 * takes the keys from its jwks_uri. graphgate does the same when auth.oidc names no keys of its own
 * (jwks_url, jwks_file, hs256_secret_file) and the issuer is an https URL. The document is fetched
 * when a verifier is built (start-up and every SIGHUP reload; never by --check), with the JWKS
 * fetch's rules (gg_auth_fetch_https: https only, no redirects, timeouts, size limit,
 * auth.jwks_ca_file); its jwks_uri then serves exactly as a configured jwks_url does (refreshed in
 * the background, fetched early for an unknown kid). The document itself is not read again until the
 * next reload or restart: a provider that moves its jwks_uri is followed then.
 *
 * The document is believed only as far as §4.3 of the specification allows: its issuer must be the
 * configured one (graphgate's rule for a token's iss: a trailing '/' ignored), or a server answering
 * at that address could hand us another issuer's keys; and its jwks_uri must be https, as a
 * configured jwks_url must. Every failure names the document's URL and the reason; values read from
 * the document are quoted cut short and with unprintable bytes replaced, as they reach the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The longest part of a remote value quoted in a message. */
#define QUOTE_MAX 200

char *gg_auth_oidc_discovery_url(const gg_auth_config *cfg)
{
    const gg_auth_oidc_config *o = &cfg->oidc;
    if (!(cfg->modes & (1u << GG_AUTH_OPENID_CONNECT)) || o->issuer == NULL || strncmp(o->issuer, "https://", 8) != 0)
        return NULL;
    if ((o->jwks_file != NULL && o->jwks_file[0] != '\0') || (o->jwks_url != NULL && o->jwks_url[0] != '\0') ||
        o->hs_secret != NULL)
        return NULL;
    static const char suffix[] = "/.well-known/openid-configuration";
    size_t n = strlen(o->issuer);
    if (o->issuer[n - 1] == '/') n--;
    char *url = malloc(n + sizeof suffix);
    if (url == NULL) abort();
    memcpy(url, o->issuer, n);
    memcpy(url + n, suffix, sizeof suffix);
    return url;
}

/* Copies a remote string for a message: at most QUOTE_MAX bytes (then "..."), printable ASCII kept,
 * anything else as '?'. out has QUOTE_MAX + 4 bytes. */
static const char *quote(const char *s, char *out)
{
    size_t n = 0;
    for (; s[n] != '\0' && n < QUOTE_MAX; n++)
        out[n] = s[n] >= 0x20 && s[n] < 0x7f ? s[n] : '?';
    if (s[n] != '\0') {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* A URL is printable ASCII without spaces (RFC 3986 percent-encodes the rest). */
static bool url_like(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s <= 0x20 || *s >= 0x7f) return false;
    return true;
}

char *gg_oidc_discover_jwks_uri(const char *issuer, const char *discovery_url, const char *ca_file, gg_fault *fault)
{
    char reason_text[512];
    gg_fault reason = gg_fault_in(reason_text, sizeof reason_text);
    size_t len = 0;
    char *text = gg_auth_fetch_https(discovery_url, ca_file, &len, &reason);
    if (text == NULL) {
        gg_fault_set(fault, NULL, "auth.oidc: OpenID discovery failed: %s", reason.message);
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    char got[QUOTE_MAX + 4], want[QUOTE_MAX + 4];
    const cJSON *doc_issuer = cJSON_GetObjectItemCaseSensitive(doc, "issuer");
    const cJSON *jwks_uri = cJSON_GetObjectItemCaseSensitive(doc, "jwks_uri");
    char *found = NULL;
    if (!cJSON_IsObject(doc))
        gg_fault_set(fault, NULL, "auth.oidc: OpenID discovery failed: %s: not a JSON object", discovery_url);
    else if (!cJSON_IsString(doc_issuer))
        gg_fault_set(fault, NULL, "auth.oidc: OpenID discovery failed: %s: no issuer", discovery_url);
    else if (!gg_jwt_issuer_equal(doc_issuer->valuestring, issuer))
        gg_fault_set(fault, NULL,
                     "auth.oidc: OpenID discovery failed: %s: the document's issuer \"%s\" is not auth.oidc.issuer "
                     "\"%s\" (they must be the same, OpenID Connect Discovery 1.0 section 4.3)",
                     discovery_url, quote(doc_issuer->valuestring, got), quote(issuer, want));
    else if (!cJSON_IsString(jwks_uri) || jwks_uri->valuestring[0] == '\0')
        gg_fault_set(fault, NULL,
                     "auth.oidc: OpenID discovery failed: %s: no jwks_uri (the provider publishes no keys there: set "
                     "auth.oidc.jwks_url or jwks_file)",
                     discovery_url);
    else if (strncmp(jwks_uri->valuestring, "https://", 8) != 0 || !url_like(jwks_uri->valuestring))
        gg_fault_set(fault, NULL,
                     "auth.oidc: OpenID discovery failed: %s: jwks_uri \"%s\" is not an https:// URL (keys fetched "
                     "in clear text could be replaced)",
                     discovery_url, quote(jwks_uri->valuestring, got));
    else if ((found = strdup(jwks_uri->valuestring)) == NULL)
        abort();
    cJSON_Delete(doc);
    return found;
}
