/* Unit tests of server/auth/discovery.c: when an OIDC provider's keys come from OpenID discovery, the
 * document's address, and that --check (gg_auth_verifier_check) accepts the issuer alone without the
 * network while building a verifier fetches the document. Documents served over HTTPS, and every
 * refusal of one, are in tests/integration/auth_discovery.test.mjs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "test.h"

static gg_auth_config *config(const char *json)
{
    char err[512] = "";
    cJSON *doc = cJSON_Parse(json);
    gg_auth_config *cfg = gg_auth_config_parse(doc, NULL, GG_FAULT_INTO(err));
    cJSON_Delete(doc);
    if (cfg == NULL) fprintf(stderr, "config: %s\n", err);
    return cfg;
}

/* The discovery URL of an auth section (NULL: no discovery), as a string to compare ("" for NULL). */
static void check_url(const char *json, const char *expected)
{
    gg_auth_config *cfg = config(json);
    CHECK(cfg != NULL);
    if (cfg == NULL) return;
    char *url = gg_auth_oidc_discovery_url(cfg);
    CHECK_STR(url != NULL ? url : "", expected);
    free(url);
    gg_auth_config_free(cfg);
}

static void test_discovery_url(void)
{
    /* AppSync's form: the issuer (one trailing '/' dropped) and the well-known path. */
    check_url("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://login.test/realms/a\"}}",
              "https://login.test/realms/a/.well-known/openid-configuration");
    check_url("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://login.test/realms/a/\"}}",
              "https://login.test/realms/a/.well-known/openid-configuration");
    check_url("{\"default_mode\":\"API_KEY\",\"additional_modes\":[\"OPENID_CONNECT\"],"
              "\"oidc\":{\"issuer\":\"https://login.test\"}}",
              "https://login.test/.well-known/openid-configuration");
    /* Keys named in the configuration, an issuer that is not https, or OIDC off: no discovery. */
    check_url("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://login.test\","
              "\"jwks_url\":\"https://login.test/keys\"}}",
              "");
    check_url("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://login.test\","
              "\"jwks_file\":\"/keys.json\"}}",
              "");
    check_url("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"http://login.test\"}}", "");
    check_url("{\"default_mode\":\"API_KEY\",\"oidc\":{\"issuer\":\"https://login.test\"}}", "");
    check_url("{\"default_mode\":\"OPENID_CONNECT\"}", "");
}

static void test_check_and_build(void)
{
    char err[512] = "";
    /* Port 1 on the loopback refuses at once: the verifier fails with the document's URL and the reason. */
    gg_auth_config *cfg =
        config("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://127.0.0.1:1/r/\"}}");
    CHECK(cfg != NULL);
    if (cfg == NULL) return;
    CHECK(gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    CHECK(gg_auth_verifier_check(cfg, GG_FAULT_INTO(err))); /* --check: nothing fetched, nothing to refuse */
    gg_auth_verifier *v = gg_auth_verifier_new(cfg, GG_FAULT_INTO(err));
    CHECK(v == NULL);
    gg_auth_verifier_free(v);
    const char *want = "auth.oidc: OpenID discovery failed: https://127.0.0.1:1/r/.well-known/openid-configuration: ";
    if (strncmp(err, want, strlen(want)) != 0) fprintf(stderr, "got: %s\n", err);
    CHECK(strncmp(err, want, strlen(want)) == 0);
    gg_auth_config_free(cfg);

    /* An http issuer alone has no discovery: the check says what to set. */
    cfg = config("{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"http://login.test\"}}");
    CHECK(cfg != NULL && !gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    CHECK(strstr(err, "auth.oidc.jwks_url") != NULL && strstr(err, "https issuer URL") != NULL);
    gg_auth_config_free(cfg);
}

static void test_issuer_equal(void)
{
    CHECK(gg_jwt_issuer_equal("https://a.test/r", "https://a.test/r/"));
    CHECK(gg_jwt_issuer_equal("https://a.test/r/", "https://a.test/r"));
    CHECK(gg_jwt_issuer_equal("https://a.test/r", "https://a.test/r"));
    CHECK(!gg_jwt_issuer_equal("https://a.test/r", "https://a.test/r2"));
    CHECK(!gg_jwt_issuer_equal("https://a.test/r//", "https://a.test/r"));
    CHECK(!gg_jwt_issuer_equal("https://A.test/r", "https://a.test/r"));
}

int main(void)
{
    RUN(test_discovery_url);
    RUN(test_check_and_build);
    RUN(test_issuer_equal);
    return test_summary();
}
