/* Tests schema loading in server/gateway/gateway.c: a schema with @model goes through the Amplify
 * transform (the served schema has the generated fields, bound to PostgreSQL), one without
 * @model is built as written, transform errors name the file, line and column, and auth.default_mode
 * reaches the transform and the field authorization. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "config.h"
#include "gateway/gateway.h"
#include "test.h"

static char root_path[1024];
static char dir[] = "/tmp/gg-gql-load-test-XXXXXX";

/* Loads one SDL file with the defaults and the environment env (amplify on unless told). NULL with
 * the reason in err. */
static gg_gateway *load_env(const char *schema_path, bool amplify, char **env, char *err, size_t err_len)
{
    gg_config c;
    gg_config_load(&c, NULL, env, gg_fault_into((gg_fault[1]){0}, err, err_len));
    free(c.schema.items);
    c.schema.items = malloc(sizeof(char *));
    c.schema.items[0] = strdup(schema_path);
    c.schema.count = 1;
    c.amplify = amplify;
    gg_gateway *g = gg_gateway_load(&c, gg_fault_into((gg_fault[1]){0}, err, err_len));
    gg_config_free(&c);
    return g;
}

static gg_gateway *load(const char *schema_path, bool amplify, char *err, size_t err_len)
{
    return load_env(schema_path, amplify, (char *[]){NULL}, err, err_len);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void on_done(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    gg_buf *out = user;
    gg_buf_printf(out, "%d ", (int)outcome);
    gg_buf_append(out, json, len);
}

static void test_model_schema_is_transformed_and_bound(void)
{
    char path[1100], err[512] = "";
    snprintf(path, sizeof path, "%s/conf/example/schema.graphql", root_path);
    gg_gateway *g = load(path, true, err, sizeof err);
    CHECK(g != NULL);
    if (g == NULL) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    const gg_amplify_catalog *cat = gg_gateway_catalog(g);
    CHECK(cat != NULL);
    CHECK_INT(cat ? cat->model_count : 0, 3); /* Project, Todo, Comment */
    gg_doc_cache *c = gg_doc_cache_new(g, 4);
    const char *q = "{ listTodos(filter: {status: {eq: OPEN}}) { items { id project { name } } nextToken } "
                    "todosByStatus(status: OPEN) { items { id } } }";
    gg_doc *d = gg_doc_get(c, q, strlen(q));
    CHECK_INT(gg_doc_get_status(d), GG_DOC_OK); /* the generated fields exist in the served schema */
    gg_buf out;
    gg_buf_init(&out);
    gg_request_context ctx;
    memset(&ctx, 0, sizeof ctx); /* no pool: the bound resolvers answer ServiceUnavailable */
    gg_gateway_execute(g, &(gg_gateway_request){d, NULL, NULL, &ctx, NULL}, on_done, &out);
    CHECK_STR(out.data, "0 {\"data\":{\"listTodos\":null,\"todosByStatus\":null},\"errors\":[{\"message\":\"The "
                        "database is unavailable.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"listTodos\"],"
                        "\"errorType\":\"ServiceUnavailable\"},{\"message\":\"The database is unavailable.\","
                        "\"locations\":[{\"line\":1,\"column\":87}],\"path\":[\"todosByStatus\"],\"errorType\":"
                        "\"ServiceUnavailable\"}]}");
    gg_buf_free(&out);
    gg_doc_release(d);
    const char *m = "mutation { createTodo(input: {name: \"x\"}) { id } }";
    d = gg_doc_get(c, m, strlen(m));
    gg_buf_init(&out);
    /* no context at all: the same answer */
    gg_gateway_execute(g, &(gg_gateway_request){d, NULL, NULL, NULL, NULL}, on_done, &out);
    CHECK(strstr(out.data, "\"errorType\":\"ServiceUnavailable\"") != NULL);
    gg_buf_free(&out);
    gg_doc_release(d);
    gg_doc_cache_free(c);
    gg_gateway_free(g);
}

static void test_plain_schema_has_no_catalog(void)
{
    char path[1100], err[512] = "";
    snprintf(path, sizeof path, "%s/tests/fixtures/static/schema.graphql", root_path);
    gg_gateway *g = load(path, true, err, sizeof err);
    CHECK(g != NULL);
    CHECK(g != NULL && gg_gateway_catalog(g) == NULL);
    gg_gateway_free(g);
}

static void test_errors_name_file_line_column(void)
{
    char err[512] = "";
    const char *bad = write_file("bad.graphql", "type Todo @model {\n  name: String!\n  list: Todo @hasMany\n}\n");
    CHECK(load(bad, true, err, sizeof err) == NULL);
    char want[600];
    snprintf(want, sizeof want, "schema error: %s:3:", bad);
    if (strstr(err, want) == NULL) fprintf(stderr, "  error was: %s\n", err);
    CHECK(strstr(err, want) != NULL);
    CHECK(strstr(err, "@hasMany") != NULL);

    const char *syntax = write_file("syntax.graphql", "type Todo @model {\n  name: String!\n");
    CHECK(load(syntax, true, err, sizeof err) == NULL);
    snprintf(want, sizeof want, "schema error: %s:3:1: Syntax Error", syntax);
    CHECK(strstr(err, want) != NULL);

    write_file("count.sql", "SELECT :nope");
    char sql[512]; /* write_file's answer is overwritten by its next call */
    snprintf(sql, sizeof sql, "%s",
             write_file("sql.graphql", "type Query {\n  n(a: Int): Int @sql(reference: \"count.sql\")\n}\n"));
    CHECK(load(sql, true, err, sizeof err) == NULL); /* @sql alone goes through the transform too */
    CHECK(strstr(err, "schema error: @sql on \"Query.n\"") != NULL);
    CHECK(strstr(err, ":nope") != NULL);
    write_file("count.sql", "SELECT :a");
    gg_gateway *g = load(sql, true, err, sizeof err); /* the reference is read beside the schema file */
    CHECK(g != NULL && gg_gateway_catalog(g) != NULL);
    gg_gateway_free(g);

    const char *model = write_file("model.graphql", "type Query { a: Int }\ntype Todo @model { name: String }\n");
    CHECK(load(model, false, err, sizeof err) == NULL); /* amplify off: @model is an unknown directive */
    CHECK(strstr(err, "Unknown directive \"@model\"") != NULL);
}

/* Runs query as a caller of mode (GG_AUTH_NONE: no identity) without a database; returns the answer
 * (static, valid until the next call). */
static const char *answer_as(const gg_gateway *g, const char *query, gg_auth_mode mode)
{
    static char answer[1024];
    gg_doc_cache *c = gg_doc_cache_new(g, 1);
    gg_doc *d = gg_doc_get(c, query, strlen(query));
    gg_auth_identity identity = {.refs = 1, .mode = mode, .groups = (char *[]){NULL}};
    gg_buf out;
    gg_buf_init(&out);
    gg_gateway_execute(g, &(gg_gateway_request){d, NULL, NULL, NULL, mode == GG_AUTH_NONE ? NULL : &identity}, on_done,
                       &out);
    snprintf(answer, sizeof answer, "%s", out.data ? out.data : "");
    gg_buf_free(&out);
    gg_doc_release(d);
    gg_doc_cache_free(c);
    return answer;
}

/* The errorType of the first error of answer_as (static). */
static const char *first_error_type(const gg_gateway *g, const char *query, gg_auth_mode mode)
{
    static char type[64];
    const char *at = strstr(answer_as(g, query, mode), "\"errorType\":\"");
    snprintf(type, sizeof type, "%.*s", at ? (int)strcspn(at + 13, "\"") : 4, at ? at + 13 : "none");
    return type;
}

/* auth.default_mode reaches the Amplify transform (the @aws_* directives it serves) and the field
 * check: a public (API key) model under an OIDC default carries @aws_api_key, so API-key callers
 * reach its resolver (ServiceUnavailable: no database) and OIDC callers are refused; without the
 * directive the OIDC default would have applied the other way round. */
static void test_default_mode_reaches_transform_and_fields(void)
{
    char err[512] = "";
    const char *path =
        write_file("public.graphql", "type Note @model @auth(rules: [{allow: public}]) { body: String }\n");
    const char *query = "{ listNotes { items { body } } }";
    gg_gateway *g =
        load_env(path, true, (char *[]){"GRAPHGATE_AUTH_DEFAULT_MODE=OPENID_CONNECT", NULL}, err, sizeof err);
    CHECK(g != NULL);
    if (g == NULL) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_STR(first_error_type(g, query, GG_AUTH_API_KEY), "ServiceUnavailable");
    CHECK_STR(first_error_type(g, query, GG_AUTH_OPENID_CONNECT), "Unauthorized");
    CHECK_STR(first_error_type(g, query, GG_AUTH_AMAZON_COGNITO_USER_POOLS), "Unauthorized");
    CHECK_STR(first_error_type(g, query, GG_AUTH_NONE), "ServiceUnavailable"); /* no identity: no check */
    gg_gateway_free(g);
    g = load_env(path, true, (char *[]){"GRAPHGATE_AUTH_DEFAULT_MODE=API_KEY", NULL}, err, sizeof err);
    CHECK(g != NULL);
    CHECK_STR(first_error_type(g, query, GG_AUTH_API_KEY), "ServiceUnavailable");
    CHECK_STR(first_error_type(g, query, GG_AUTH_OPENID_CONNECT), "Unauthorized");
    gg_gateway_free(g);
}

/* auth.cognito.default_action DENY under a user-pools default: a field without directives is closed to
 * user-pools callers; one whose directives name user pools stays open. */
static void test_cognito_default_deny(void)
{
    char err[512] = "";
    const char *path =
        write_file("deny.graphql", "type Query { open: String marked: String @aws_cognito_user_pools }\n");
    const char *query = "{ open marked }";
    char *allow_env[] = {"GRAPHGATE_AUTH_DEFAULT_MODE=AMAZON_COGNITO_USER_POOLS", NULL};
    gg_gateway *g = load_env(path, true, allow_env, err, sizeof err);
    CHECK(g != NULL);
    CHECK_STR(g ? answer_as(g, query, GG_AUTH_AMAZON_COGNITO_USER_POOLS) : "",
              "0 {\"data\":{\"open\":null,\"marked\":null}}");
    gg_gateway_free(g);
    char *deny_env[] = {"GRAPHGATE_AUTH_DEFAULT_MODE=AMAZON_COGNITO_USER_POOLS",
                        "GRAPHGATE_AUTH_COGNITO_DEFAULT_ACTION=DENY", NULL};
    g = load_env(path, true, deny_env, err, sizeof err);
    CHECK(g != NULL);
    CHECK_STR(
        g ? answer_as(g, query, GG_AUTH_AMAZON_COGNITO_USER_POOLS) : "",
        "0 {\"data\":{\"open\":null,\"marked\":null},\"errors\":[{\"message\":\"Not Authorized to access open on "
        "type Query\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"open\"],\"errorType\":\"Unauthorized\"}]}");
    gg_gateway_free(g);
}

int main(int argc, char **argv)
{
    snprintf(root_path, sizeof root_path, "%s", argc > 1 ? argv[1] : ".");
    if (mkdtemp(dir) == NULL) return 1;
    RUN(test_model_schema_is_transformed_and_bound);
    RUN(test_plain_schema_has_no_catalog);
    RUN(test_errors_name_file_line_column);
    RUN(test_default_mode_reaches_transform_and_fields);
    RUN(test_cognito_default_deny);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return test_summary();
}
