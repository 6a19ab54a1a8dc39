/* auth_sql.c: tests of resolvers/postgres/auth_sql.c: which @auth rules apply to which caller, the
 * SQL predicate (text and parameters) they become, and the same rules over a row in memory (the
 * subscription events of server/realtime). Behaviour against real rows is tested by
 * tests/integration/postgres_auth.test.mjs. */
#include <string.h>

#include <cjson/cJSON.h>

#include "amplify/transform.h"
#include "auth/auth.h"
#include "auth_sql.h"
#include "execute/values.h"
#include "test.h"

static const char *SDL =
    "type Note @model @auth(rules: [{allow: owner}, {allow: groups, groups: [\"Admin\"]},"
    "  {allow: public, operations: [read]}]) { title: String secret: String @auth(rules: "
    "[{allow: owner}]) }\n"
    "type Doc @model @auth(rules: [{allow: owner, ownerField: \"editors\", provider: oidc, "
    "identityClaim: \"email\"}, {allow: groups, groupsField: \"teams\", provider: oidc,"
    " groupClaim: \"roles\"}, {allow: private, provider: oidc, operations: [get]}]) { title: String"
    " editors: [String] teams: [String] }\n"
    "type Open @model { name: String }\n";

typedef struct fixture {
    gg_arena arena;
    gg_error_list errors;
    gg_buf sdl;
    gg_amplify_catalog *catalog;
    gg_pg_models *models;
} fixture;

static void setup(fixture *f, bool sandbox)
{
    gg_arena_init(&f->arena);
    gg_error_list_init(&f->errors, &f->arena);
    gg_buf_init(&f->sdl);
    gg_amplify_options opts = {.default_auth = GG_AMPLIFY_PROVIDER_API_KEY};
    char *text = gg_arena_printf(&f->arena, "%s%s", SDL,
                                 sandbox ? "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n" : "");
    gg_schema_source src = {"auth.graphql", text, strlen(text)};
    f->catalog = gg_amplify_transform(&src, 1, &opts, &f->sdl, &f->errors);
    CHECK(f->catalog != NULL && f->errors.count == 0);
    f->models = gg_pg_models_build(&f->arena, f->catalog);
}

static void teardown(fixture *f)
{
    gg_amplify_catalog_free(f->catalog);
    gg_buf_free(&f->sdl);
    gg_arena_free(&f->arena);
}

typedef struct answer {
    gg_pg_auth_answer kind;
    const char *sql;
    gg_sql_params params;
} answer;

static answer ask(fixture *f, const char *model, const char *field, unsigned op, const gg_auth_identity *id)
{
    answer a = {0};
    gg_sql_params_init(&a.params, &f->arena);
    const gg_pg_model *pm = gg_pg_models_find(f->models, model);
    gg_buf out;
    gg_buf_init(&out);
    a.kind = field ? gg_pg_auth_field(pm, gg_pg_model_field(pm, field), op, id, "t1", &a.params, &out)
                   : gg_pg_auth_model(pm, op, id, "t1", &a.params, &out);
    a.sql = gg_arena_strndup(&f->arena, out.data ? out.data : "", out.len);
    gg_buf_free(&out);
    return a;
}

static char *no_groups[] = {NULL};
static char *admin_groups[] = {"Admin", NULL};

static void test_no_identity_allows_everything(void)
{
    fixture f;
    setup(&f, false);
    CHECK_INT(ask(&f, "Note", NULL, GG_AMPLIFY_OP_DELETE, NULL).kind, GG_PG_AUTH_ALLOW);
    CHECK_INT(ask(&f, "Open", NULL, GG_AMPLIFY_OP_LIST, NULL).kind, GG_PG_AUTH_ALLOW);
    teardown(&f);
}

static void test_api_key(void)
{
    fixture f;
    setup(&f, false);
    gg_auth_identity key = {.mode = GG_AUTH_API_KEY, .groups = no_groups};
    CHECK_INT(ask(&f, "Note", NULL, GG_AMPLIFY_OP_LIST, &key).kind, GG_PG_AUTH_ALLOW);
    CHECK_INT(ask(&f, "Note", NULL, GG_AMPLIFY_OP_UPDATE, &key).kind, GG_PG_AUTH_DENY);
    CHECK_INT(ask(&f, "Note", "secret", GG_AMPLIFY_OP_GET, &key).kind, GG_PG_AUTH_DENY); /* field rules replace */
    CHECK_INT(ask(&f, "Note", "title", GG_AMPLIFY_OP_GET, &key).kind, GG_PG_AUTH_ALLOW);
    CHECK_INT(ask(&f, "Doc", NULL, GG_AMPLIFY_OP_GET, &key).kind, GG_PG_AUTH_DENY);
    CHECK_INT(ask(&f, "Open", NULL, GG_AMPLIFY_OP_LIST, &key).kind, GG_PG_AUTH_DENY); /* no @auth, no global rule */
    teardown(&f);
    setup(&f, true);
    CHECK_INT(ask(&f, "Open", NULL, GG_AMPLIFY_OP_LIST, &key).kind, GG_PG_AUTH_ALLOW);
    CHECK_INT(ask(&f, "Open", NULL, GG_AMPLIFY_OP_DELETE, &key).kind, GG_PG_AUTH_ALLOW);
    teardown(&f);
}

static void test_user_pools_owner_and_groups(void)
{
    fixture f;
    setup(&f, true);
    gg_auth_identity user = {
        .mode = GG_AUTH_AMAZON_COGNITO_USER_POOLS, .sub = "s-1", .username = "ann", .groups = no_groups};
    answer a = ask(&f, "Note", NULL, GG_AMPLIFY_OP_LIST, &user);
    CHECK_INT(a.kind, GG_PG_AUTH_PREDICATE);
    CHECK_STR(a.sql, "(t1.\"owner\" IN ($1::text, $2::text, $3::text))");
    CHECK_INT(a.params.count, 3);
    CHECK_STR(a.params.values[0], "s-1::ann");
    CHECK_STR(a.params.values[1], "s-1");
    CHECK_STR(a.params.values[2], "ann");
    /* the sandbox's global rule is for API keys only */
    CHECK_INT(ask(&f, "Open", NULL, GG_AMPLIFY_OP_LIST, &user).kind, GG_PG_AUTH_DENY);
    /* oidc rules do not apply to a user pools caller */
    CHECK_INT(ask(&f, "Doc", NULL, GG_AMPLIFY_OP_GET, &user).kind, GG_PG_AUTH_DENY);
    gg_auth_identity admin = user;
    admin.groups = admin_groups;
    admin.group_count = 1;
    answer all = ask(&f, "Note", NULL, GG_AMPLIFY_OP_DELETE, &admin);
    CHECK_INT(all.kind, GG_PG_AUTH_ALLOW);
    CHECK_INT(all.params.count, 0); /* the owner rule's values are not bound: the statement would not run */
    /* the field's own rule is owner only: the admin group does not reach it */
    CHECK_INT(ask(&f, "Note", "secret", GG_AMPLIFY_OP_GET, &admin).kind, GG_PG_AUTH_PREDICATE);
    teardown(&f);
}

static void test_oidc_claims(void)
{
    fixture f;
    setup(&f, false);
    const char *payload = "{\"sub\":\"s-2\",\"email\":\"b@x.test\",\"roles\":\"[\\\"red\\\",\\\"blue\\\"]\"}";
    gg_auth_identity user = {.mode = GG_AUTH_OPENID_CONNECT,
                             .sub = "s-2",
                             .groups = no_groups,
                             .payload = payload,
                             .payload_len = strlen(payload)};
    answer a = ask(&f, "Doc", NULL, GG_AMPLIFY_OP_LIST, &user);
    CHECK_INT(a.kind, GG_PG_AUTH_PREDICATE);
    /* [String] fields are text[] columns (pg_model.h): the array overlap operator, served by a GIN index */
    CHECK_STR(a.sql, "(t1.\"editors\"::text[] && ARRAY[$1::text] OR t1.\"teams\"::text[] && ARRAY[$2::text, "
                     "$3::text])");
    CHECK_STR(a.params.values[0], "b@x.test");
    CHECK_STR(a.params.values[1], "red");
    CHECK_STR(a.params.values[2], "blue");
    CHECK_INT(ask(&f, "Doc", NULL, GG_AMPLIFY_OP_GET, &user).kind, GG_PG_AUTH_ALLOW); /* private: get */
    /* without the claims, the row rules cannot match anything */
    cJSON_Delete(user.parsed_claims);
    user.parsed_claims = NULL;
    user.payload = "{\"sub\":\"s-2\"}";
    user.payload_len = strlen(user.payload);
    CHECK_INT(ask(&f, "Doc", NULL, GG_AMPLIFY_OP_LIST, &user).kind, GG_PG_AUTH_DENY);
    cJSON_Delete(user.parsed_claims);
    teardown(&f);
}

/* The model rules of model for op over a row written as JSON (NULL: no row). */
static gg_pg_auth_answer ask_row(fixture *f, const char *model, unsigned op, const gg_auth_identity *id,
                                 const char *row_json)
{
    cJSON *json = row_json ? cJSON_Parse(row_json) : NULL;
    CHECK(row_json == NULL || json != NULL);
    const gg_val *row = json ? gg_val_from_cjson(&f->arena, json) : NULL;
    cJSON_Delete(json);
    return gg_pg_auth_model_row(gg_pg_models_find(f->models, model), op, id, row, &f->arena);
}

static void test_rows_in_memory(void)
{
    fixture f;
    setup(&f, false);
    unsigned listen = GG_AMPLIFY_OP_LISTEN;
    gg_auth_identity user = {
        .mode = GG_AUTH_AMAZON_COGNITO_USER_POOLS, .sub = "s-1", .username = "ann", .groups = no_groups};
    CHECK_INT(ask_row(&f, "Note", listen, &user, NULL), GG_PG_AUTH_PREDICATE);
    CHECK_INT(ask_row(&f, "Note", listen, &user, "{\"owner\":\"s-1::ann\"}"), GG_PG_AUTH_ALLOW);
    CHECK_INT(ask_row(&f, "Note", listen, &user, "{\"owner\":\"ann\"}"), GG_PG_AUTH_ALLOW); /* older rows */
    CHECK_INT(ask_row(&f, "Note", listen, &user, "{\"owner\":\"s-1::annie\"}"), GG_PG_AUTH_DENY);
    CHECK_INT(ask_row(&f, "Note", listen, &user, "{\"owner\":null}"), GG_PG_AUTH_DENY);
    CHECK_INT(ask_row(&f, "Note", listen, &user, "{\"title\":\"no owner field\"}"), GG_PG_AUTH_DENY);
    gg_auth_identity key = {.mode = GG_AUTH_API_KEY, .groups = no_groups};
    CHECK_INT(ask_row(&f, "Note", listen, &key, NULL), GG_PG_AUTH_ALLOW); /* public read includes listen */
    CHECK_INT(ask_row(&f, "Doc", listen, &key, NULL), GG_PG_AUTH_DENY);
    CHECK_INT(ask_row(&f, "Open", listen, &key, NULL), GG_PG_AUTH_DENY);  /* no @auth, no global rule */
    CHECK_INT(ask_row(&f, "Open", listen, NULL, NULL), GG_PG_AUTH_ALLOW); /* auth NONE */

    /* multi-owner [String] and dynamic groups: any caller value in the row's list */
    const char *payload = "{\"sub\":\"s-2\",\"email\":\"b@x.test\",\"roles\":[\"red\"]}";
    gg_auth_identity oidc = {.mode = GG_AUTH_OPENID_CONNECT,
                             .sub = "s-2",
                             .groups = no_groups,
                             .payload = payload,
                             .payload_len = strlen(payload)};
    CHECK_INT(ask_row(&f, "Doc", listen, &oidc, NULL), GG_PG_AUTH_PREDICATE);
    CHECK_INT(ask_row(&f, "Doc", listen, &oidc, "{\"editors\":[\"a@x.test\",\"b@x.test\"]}"), GG_PG_AUTH_ALLOW);
    CHECK_INT(ask_row(&f, "Doc", listen, &oidc, "{\"editors\":[\"a@x.test\"],\"teams\":[\"blue\",\"red\"]}"),
              GG_PG_AUTH_ALLOW);
    CHECK_INT(ask_row(&f, "Doc", listen, &oidc, "{\"editors\":[\"a@x.test\"],\"teams\":[\"blue\"]}"), GG_PG_AUTH_DENY);
    CHECK_INT(ask_row(&f, "Doc", listen, &oidc, "{\"editors\":\"b@x.test\"}"), GG_PG_AUTH_ALLOW);
    cJSON_Delete(oidc.parsed_claims);

    /* field rules: the admin reads the row, not its owner-only field */
    gg_auth_identity admin = user;
    admin.sub = "s-9";
    admin.username = "root";
    admin.groups = admin_groups;
    admin.group_count = 1;
    const gg_pg_model *note = gg_pg_models_find(f.models, "Note");
    cJSON *json = cJSON_Parse("{\"title\":\"t\",\"secret\":\"s\",\"owner\":\"s-1::ann\"}");
    const gg_val *row = gg_val_from_cjson(&f.arena, json);
    cJSON_Delete(json);
    CHECK_INT(gg_pg_auth_model_row(note, listen, &admin, row, &f.arena), GG_PG_AUTH_ALLOW);
    const gg_val *seen = gg_pg_auth_fields_row(f.models, note, listen, &admin, row, &f.arena);
    CHECK(seen != row);
    CHECK(gg_val_is_null(gg_val_object_get(seen, "secret")));
    CHECK(gg_val_object_get(seen, "!secret") != NULL && gg_val_object_get(seen, "!secret")->b);
    CHECK_STR(gg_val_object_get(seen, "title")->s, "t");
    CHECK_STR(gg_val_object_get(row, "secret")->s, "s"); /* the event itself is untouched */
    CHECK(gg_pg_auth_fields_row(f.models, note, listen, &user, row, &f.arena) == row);
    teardown(&f);
}

int main(void)
{
    RUN(test_no_identity_allows_everything);
    RUN(test_api_key);
    RUN(test_user_pools_owner_and_groups);
    RUN(test_oidc_claims);
    RUN(test_rows_in_memory);
    return test_summary();
}
