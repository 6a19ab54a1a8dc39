/* Unit tests of server/auth/config.c: the "auth" section, its secure defaults and their messages. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "auth.h"
#include "test.h"

static char dir[] = "/tmp/gg-auth-config-XXXXXX";

static gg_auth_config *parse(const char *json, char *err, size_t err_len)
{
    cJSON *doc = cJSON_Parse(json);
    gg_auth_config *cfg = gg_auth_config_parse(doc, dir, gg_fault_into((gg_fault[1]){0}, err, err_len));
    cJSON_Delete(doc);
    return cfg;
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_defaults_and_secure_default(void)
{
    char err[512] = "";
    gg_auth_config *cfg = gg_auth_config_parse(NULL, NULL, GG_FAULT_INTO(err));
    CHECK(cfg != NULL);
    CHECK_INT(cfg->oidc.leeway_s, 60);
    CHECK_INT(cfg->oidc.jwks_refresh_s, 3600);
    CHECK(cfg->cognito.default_allow);
    CHECK(!gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    CHECK(strstr(err, "auth.default_mode") != NULL);
    CHECK(strstr(err, "GRAPHGATE_AUTH_API_KEYS") != NULL);
    CHECK(strstr(err, "NONE") != NULL);
    gg_auth_config_free(cfg);

    cfg = parse("{\"default_mode\":\"API_KEY\"}", err, sizeof err);
    CHECK(!gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    CHECK(strstr(err, "no API key is configured") != NULL);
    CHECK(gg_auth_config_add_api_keys(cfg, "da2-aaaaaaaaaaaaaaaaaaaa, da2-bbbbbbbbbbbbbbbbbbbb@2030-06-01T12:00:00Z",
                                      GG_FAULT_INTO(err)));
    CHECK_INT(cfg->api_key_count, 2);
    CHECK_STR(cfg->api_keys[1].key, "da2-bbbbbbbbbbbbbbbbbbbb");
    CHECK_INT(cfg->api_keys[1].expires, 1906545600);
    CHECK(gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    gg_auth_config_free(cfg);

    cfg = parse("{\"default_mode\":\"NONE\"}", err, sizeof err);
    CHECK(gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    char line[256];
    gg_auth_config_describe(cfg, line, sizeof line);
    CHECK(strstr(line, "without authorization") != NULL);
    gg_auth_config_free(cfg);
}

static void test_refusals(void)
{
    static const struct {
        const char *json, *parse_error, *check_error;
    } cases[] = {
        {"{\"default_mod\":\"API_KEY\"}", "auth.default_mod: unknown key", NULL},
        {"{\"default_mode\":\"IAM\"}", "auth.default_mode: one of", NULL},
        {"{\"default_mode\":\"API_KEY\",\"additional_modes\":[\"API_KEY\"]}", "listed twice", NULL},
        {"{\"default_mode\":\"API_KEY\",\"additional_modes\":[\"NONE\"]}", "NONE is only a default_mode", NULL},
        {"{\"oidc\":{\"leeway_s\":-1}}", "auth.oidc.leeway_s: a whole number", NULL},
        {"{\"oidc\":{\"issuer\":1}}", "auth.oidc.issuer: a string", NULL},
        {"{\"oidc\":{\"jwks\":\"x\"}}", "auth.oidc.jwks: unknown key", NULL},
        {"{\"cognito\":{\"default_action\":\"MAYBE\"}}", "ALLOW or DENY", NULL},
        {"{\"api_keys_file\":\"missing.txt\"}", "auth.api_keys_file: cannot read", NULL},
        {"{\"api_keys_file\":\"short.txt\"}", "shorter than 16 characters", NULL},
        {"{\"api_keys_file\":\"bad-expiry.txt\"}", "2027-01-31T00:00:00Z", NULL},
        {"{\"oidc\":{\"hs256_secret_file\":\"short.txt\"}}", "at least 32 bytes", NULL},
        {"{\"default_mode\":\"AWS_LAMBDA\"}", NULL, "set auth.lambda.plugin"},
        {"{\"lambda\":{\"ttl_s\":3601}}", "auth.lambda.ttl_s: a whole number from 0 to 3600", NULL},
        {"{\"lambda\":{\"function\":\"x\"}}", "auth.lambda.function: unknown key", NULL},
        {"{\"default_mode\":\"AWS_LAMBDA\",\"lambda\":{\"plugin\":\"p\",\"resolver\":\"r\","
         "\"identity_validation_expression\":\"(\"}}",
         NULL, "identity_validation_expression: not a valid regular expression"},
        {"{\"default_mode\":\"NONE\",\"additional_modes\":[\"API_KEY\"]}", NULL, "cannot be combined"},
        {"{\"default_mode\":\"OPENID_CONNECT\"}", NULL, "auth.oidc.issuer"},
        {"{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"http://i\"}}", NULL, "auth.oidc.jwks_url"},
        {"{\"jwks_ca_file\":\"missing.pem\"}", "auth.jwks_ca_file: cannot read", NULL},
        {"{\"jwks_ca_file\":\"short.txt\"}", "holds no PEM certificate", NULL},
        {"{\"jwks_ca_file\":1}", "auth.jwks_ca_file: a string", NULL},
        {"{\"default_mode\":\"OPENID_CONNECT\",\"oidc\":{\"issuer\":\"https://i\",\"jwks_url\":\"http://i/k\"}}", NULL,
         "https:// URL"},
        {"{\"default_mode\":\"AMAZON_COGNITO_USER_POOLS\",\"cognito\":{\"region\":\"eu-west-1\"}}", NULL,
         "user_pool_id"},
        {"{\"default_mode\":\"AMAZON_COGNITO_USER_POOLS\",\"cognito\":{\"region\":\"eu/x\",\"user_pool_id\":\"p\"}}",
         NULL, "auth.cognito.region: letters"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[512] = "";
        gg_auth_config *cfg = parse(cases[i].json, err, sizeof err);
        if (cases[i].parse_error != NULL) {
            CHECK(cfg == NULL);
            if (strstr(err, cases[i].parse_error) == NULL) fprintf(stderr, "case %zu: %s\n", i, err);
            CHECK(strstr(err, cases[i].parse_error) != NULL);
        } else {
            CHECK(cfg != NULL);
            CHECK(cfg != NULL && !gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
            if (strstr(err, cases[i].check_error) == NULL) fprintf(stderr, "case %zu: %s\n", i, err);
            CHECK(strstr(err, cases[i].check_error) != NULL);
        }
        gg_auth_config_free(cfg);
    }
}

static void test_files(void)
{
    char err[512] = "";
    gg_auth_config *cfg = parse("{\"default_mode\":\"OPENID_CONNECT\",\"additional_modes\":[\"API_KEY\"],"
                                "\"api_keys_file\":\"keys.txt\",\"oidc\":{\"issuer\":\"https://i\","
                                "\"hs256_secret_file\":\"hs.secret\",\"jwks_file\":\"/abs/jwks.json\","
                                "\"iat_ttl_s\":900}}",
                                err, sizeof err);
    CHECK(cfg != NULL);
    if (cfg == NULL) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_INT(cfg->api_key_count, 2);
    CHECK_STR(cfg->api_keys[0].key, "0123456789abcdef0123");
    CHECK_INT(cfg->api_keys[0].expires, 0);
    CHECK_INT(cfg->oidc.hs_secret_len, 40);
    CHECK(memcmp(cfg->oidc.hs_secret, "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3", 40) == 0);
    CHECK_STR(cfg->oidc.jwks_file, "/abs/jwks.json");
    char expected[128];
    snprintf(expected, sizeof expected, "%s/keys.txt", dir);
    CHECK_STR(cfg->api_keys_file, expected);
    CHECK_INT(cfg->oidc.iat_ttl_s, 900);
    CHECK(gg_auth_config_check(cfg, GG_FAULT_INTO(err)));
    char line[256];
    gg_auth_config_describe(cfg, line, sizeof line);
    CHECK_STR(line, "auth: OPENID_CONNECT (default), API_KEY");
    gg_auth_config_free(cfg);
}

static void test_parse_time(void)
{
    int64_t t = 0;
    CHECK(gg_auth_parse_time("1970-01-01T00:00:00Z", 20, &t));
    CHECK_INT(t, 0);
    CHECK(gg_auth_parse_time("2027-01-31T00:00:00Z", 20, &t));
    CHECK_INT(t, 1801353600);
    CHECK(!gg_auth_parse_time("2027-02-30T00:00:00Z", 20, &t));
    CHECK(!gg_auth_parse_time("2027-01-31 00:00:00Z", 20, &t));
    CHECK(!gg_auth_parse_time("2027-01-31T00:00:00+01:00", 25, &t));
    CHECK(!gg_auth_parse_time("2027-13-01T00:00:00Z", 20, &t));
}

int main(void)
{
    if (mkdtemp(dir) == NULL) return 1;
    write_file("keys.txt", "# keys\n0123456789abcdef0123\n\n  fedcba9876543210fedc@2099-01-01T00:00:00Z  \n");
    write_file("short.txt", "tooshort\n");
    write_file("bad-expiry.txt", "0123456789abcdef0123@tomorrow\n");
    write_file("hs.secret", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3\n");
    RUN(test_defaults_and_secure_default);
    RUN(test_refusals);
    RUN(test_files);
    RUN(test_parse_time);
    const char *names[] = {"keys.txt", "short.txt", "bad-expiry.txt", "hs.secret"};
    for (size_t i = 0; i < 4; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return test_summary();
}
