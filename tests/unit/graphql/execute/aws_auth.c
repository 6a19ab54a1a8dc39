/* aws_auth.c: tests of AppSync's field authorization (server/graphql/type/aws_auth.c, and its check
 * in server/graphql/execute/execute.c), appsync-compat.md §2.3: which directive set wins (field,
 * else type, else the default mode), modes, cognito_groups (and legacy @aws_auth), introspection
 * exempt; then executions: a refused field is null with an Unauthorized error at its path, the
 * null propagates into a non-null parent, nested types are checked again, a refused mutation field
 * never runs its resolver, and an allowed field costs no arena byte more than no check at all. */
#include "../../test.h"
#include "helpers.h"

#include "type/aws_auth.h"
#include "validate/validate.h"

static const char *const sdl = "schema { query: Query mutation: Mutation }\n"
                               "type Query {\n"
                               "  open: String\n"
                               "  key: String @aws_api_key\n"
                               "  oidc: String @aws_oidc\n"
                               "  admins: String @aws_cognito_user_pools(cognito_groups: [\"admin\"])\n"
                               "  legacy: String @aws_auth(cognito_groups: [\"ops\", \"admin\"])\n"
                               "  anyUser: String @aws_cognito_user_pools\n"
                               "  nobody: String @aws_cognito_user_pools(cognito_groups: [])\n"
                               "  post: Post @aws_api_key @aws_oidc\n"
                               "  strictPost: Post! @aws_api_key @aws_oidc\n"
                               "  posts: [Post!] @aws_api_key @aws_oidc\n"
                               "  lambda: String @aws_lambda\n"
                               "  iam: String @aws_iam\n"
                               "}\n"
                               "type Mutation @aws_oidc { write: String  keyWrite: String @aws_api_key }\n"
                               "type Post @aws_oidc {\n"
                               "  title: String\n"
                               "  secret: String! @aws_cognito_user_pools\n"
                               "  keyed: String @aws_api_key @aws_oidc\n"
                               "}\n";

static const char *const data = "{\"open\":\"o\",\"key\":\"k\",\"oidc\":\"i\",\"admins\":\"a\",\"legacy\":\"l\","
                                "\"anyUser\":\"u\",\"nobody\":\"n\",\"lambda\":\"x\",\"iam\":\"m\","
                                "\"post\":{\"title\":\"t\",\"secret\":\"s\",\"keyed\":\"y\"},"
                                "\"strictPost\":{\"title\":\"t\",\"secret\":\"s\",\"keyed\":\"y\"},"
                                "\"posts\":[{\"title\":\"t1\",\"keyed\":\"y1\"},{\"title\":\"t2\",\"keyed\":\"y2\"}],"
                                "\"write\":\"w\",\"keyWrite\":\"kw\"}";

static gg_schema *schema;
static int writes; /* how often the mutation resolver ran */

static void write_resolve(gg_resolve_info *info)
{
    writes++;
    data_resolve(info);
}

static gg_schema *build(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"test.graphql", sdl, strlen(sdl)};
    gg_schema_options opts = {.appsync = true};
    gg_schema *s = gg_schema_build(&src, 1, &opts, &errors);
    for (const gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "schema error: %s\n", e->message);
    gg_arena_free(&arena);
    if (s != NULL) {
        gg_type *mutation = gg_schema_find_type(s, "Mutation");
        for (unsigned f = 0; f < mutation->field_count; f++)
            mutation->fields[f].resolve = write_resolve;
    }
    return s;
}

static const gg_field *field(const char *type, const char *name)
{
    return gg_type_find_field(gg_schema_find_type(schema, type), name);
}

static const char *const admin_groups[] = {"staff", "admin"};
static const char *const ops_groups[] = {"ops"};

static gg_aws_auth_caller caller(uint32_t mode, uint32_t default_modes, const char *const *groups, size_t count)
{
    return (gg_aws_auth_caller){.mode = mode,
                                .default_modes = default_modes,
                                .groups = groups,
                                .group_count = count,
                                .group_bits = gg_aws_auth_group_bits(schema, groups, count)};
}

static void test_decision(void)
{
    gg_aws_auth_caller key = caller(GG_AWS_AUTH_API_KEY, GG_AWS_AUTH_API_KEY, NULL, 0);
    gg_aws_auth_caller oidc = caller(GG_AWS_AUTH_OIDC, GG_AWS_AUTH_API_KEY, NULL, 0);
    gg_aws_auth_caller user = caller(GG_AWS_AUTH_USER_POOLS, GG_AWS_AUTH_API_KEY, NULL, 0);
    gg_aws_auth_caller admin = caller(GG_AWS_AUTH_USER_POOLS, GG_AWS_AUTH_API_KEY, admin_groups, 2);
    gg_aws_auth_caller ops = caller(GG_AWS_AUTH_USER_POOLS, GG_AWS_AUTH_API_KEY, ops_groups, 1);
    /* no directive on the field or its type: the default mode only */
    CHECK(gg_aws_auth_allows(field("Query", "open"), &key));
    CHECK(!gg_aws_auth_allows(field("Query", "open"), &oidc));
    gg_aws_auth_caller oidc_default = caller(GG_AWS_AUTH_OIDC, GG_AWS_AUTH_OIDC, NULL, 0);
    CHECK(gg_aws_auth_allows(field("Query", "open"), &oidc_default));
    /* a field directive replaces the default */
    CHECK(gg_aws_auth_allows(field("Query", "oidc"), &oidc));
    CHECK(!gg_aws_auth_allows(field("Query", "oidc"), &key));
    CHECK(!gg_aws_auth_allows(field("Query", "lambda"), &key));
    CHECK(gg_aws_auth_allows(field("Query", "lambda"),
                             &(gg_aws_auth_caller){GG_AWS_AUTH_LAMBDA, 1, NULL, 0, 0, NULL, 0}));
    CHECK(gg_aws_auth_allows(field("Query", "iam"), &(gg_aws_auth_caller){GG_AWS_AUTH_IAM, 1, NULL, 0, 0, NULL, 0}));
    CHECK(!gg_aws_auth_allows(field("Query", "iam"), &oidc));
    /* a Lambda caller's deniedFields: "Type.field" or an AppSync field ARN */
    static const char *const denied[] = {"Query.lambd", "Query.lambda"},
                             *const arn[] = {"arn:aws:appsync:us-east-1:1:apis/x/types/Query/fields/lambda"},
                             *const other[] = {"Query.open", "Quer.lambda",
                                               "arn:aws:appsync:::apis/x/types/Query/fields/l"};
    CHECK(!gg_aws_auth_allows(field("Query", "lambda"),
                              &(gg_aws_auth_caller){GG_AWS_AUTH_LAMBDA, 1, NULL, 0, 0, denied, 2}));
    CHECK(!gg_aws_auth_allows(field("Query", "lambda"),
                              &(gg_aws_auth_caller){GG_AWS_AUTH_LAMBDA, 1, NULL, 0, 0, arn, 1}));
    CHECK(gg_aws_auth_allows(field("Query", "lambda"),
                             &(gg_aws_auth_caller){GG_AWS_AUTH_LAMBDA, 1, NULL, 0, 0, other, 3}));
    /* cognito_groups: the caller must share one */
    CHECK(gg_aws_auth_allows(field("Query", "admins"), &admin));
    CHECK(!gg_aws_auth_allows(field("Query", "admins"), &ops));
    CHECK(!gg_aws_auth_allows(field("Query", "admins"), &user));
    CHECK(!gg_aws_auth_allows(field("Query", "admins"), &oidc)); /* groups do not matter to other modes */
    CHECK(gg_aws_auth_allows(field("Query", "legacy"), &ops));   /* @aws_auth is user pools */
    CHECK(gg_aws_auth_allows(field("Query", "legacy"), &admin));
    CHECK(!gg_aws_auth_allows(field("Query", "legacy"), &user));
    CHECK(!gg_aws_auth_allows(field("Query", "legacy"), &key));
    CHECK(gg_aws_auth_allows(field("Query", "anyUser"), &user));
    CHECK(!gg_aws_auth_allows(field("Query", "nobody"), &admin));
    /* the type's directives when the field has none; the field's own win */
    CHECK(gg_aws_auth_allows(field("Post", "title"), &oidc));
    CHECK(!gg_aws_auth_allows(field("Post", "title"), &key));
    CHECK(gg_aws_auth_allows(field("Post", "keyed"), &key));
    CHECK(!gg_aws_auth_allows(field("Post", "secret"), &oidc));
    CHECK(gg_aws_auth_allows(field("Mutation", "write"), &oidc));
    CHECK(!gg_aws_auth_allows(field("Mutation", "write"), &key));
    /* introspection is exempt */
    CHECK(gg_aws_auth_allows(schema->typename_meta_field, &key));
    CHECK(gg_aws_auth_allows(schema->schema_meta_field, &ops));
    CHECK(gg_aws_auth_allows(field("__Type", "name"), &user));
    CHECK_INT(field("Query", "open")->auth_modes, 0);
    CHECK_INT(field("Post", "title")->auth_modes, GG_AWS_AUTH_OIDC);
    CHECK_INT(field("Query", "post")->auth_modes, GG_AWS_AUTH_API_KEY | GG_AWS_AUTH_OIDC);
}

typedef struct run_state {
    gg_buf *out;
    bool done;
} run_state;

static void on_done(const gg_exec_result *result, void *user)
{
    run_state *st = user;
    gg_exec_result_write_json(st->out, result);
    st->done = true;
}

/* Parses, validates and executes query as caller (NULL: no check) against the data above; returns
 * the response (static, valid until the next call). *arena_bytes: what the execution took from the
 * request arena. */
static const char *run_as(const gg_aws_auth_caller *auth, const char *query, size_t *arena_bytes)
{
    static char *last;
    free(last);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, query, strlen(query), NULL, &errors);
    gg_validate_options vopts = {0};
    CHECK(doc != NULL && gg_validate(schema, doc, &arena, &errors, &vopts));
    gg_val *root = val_from_json_text(&arena, data);
    gg_buf out;
    gg_buf_init(&out);
    run_state st = {&out, false};
    gg_arena exec_arena;
    gg_arena_init(&exec_arena);
    /* One large first chunk, so that everything the execution takes lies between two markers. */
    gg_arena_alloc(&exec_arena, 200000);
    char *before = gg_arena_alloc(&exec_arena, 1);
    gg_exec_request req = {.schema = schema,
                           .document = doc,
                           .root_value = root,
                           .auth = auth,
                           .arena = &exec_arena,
                           .on_complete = on_done,
                           .user = &st};
    gg_execute(&req);
    char *after = gg_arena_alloc(&exec_arena, 1);
    if (arena_bytes != NULL) *arena_bytes = (size_t)(after - before);
    CHECK(st.done);
    gg_arena_free(&exec_arena);
    gg_arena_free(&arena);
    last = gg_buf_take(&out, NULL);
    return last;
}

static const gg_aws_auth_caller key_caller = {GG_AWS_AUTH_API_KEY, GG_AWS_AUTH_API_KEY, NULL, 0, 0, NULL, 0};
static const gg_aws_auth_caller oidc_caller = {GG_AWS_AUTH_OIDC, GG_AWS_AUTH_API_KEY, NULL, 0, 0, NULL, 0};
static gg_aws_auth_caller admin_caller; /* set in main: its group bits come from the schema */

static void test_root_fields(void)
{
    CHECK_STR(run_as(&key_caller, "{ open key oidc }", NULL),
              "{\"data\":{\"open\":\"o\",\"key\":\"k\",\"oidc\":null},\"errors\":[{\"message\":\"Not Authorized to "
              "access oidc on type Query\",\"locations\":[{\"line\":1,\"column\":12}],\"path\":[\"oidc\"],"
              "\"errorType\":\"Unauthorized\"}]}");
    CHECK_STR(run_as(&oidc_caller, "{ a: open oidc }", NULL),
              "{\"data\":{\"a\":null,\"oidc\":\"i\"},\"errors\":[{\"message\":\"Not Authorized to access open on type "
              "Query\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"a\"],\"errorType\":\"Unauthorized\"}]}");
    CHECK_STR(
        run_as(&admin_caller, "{ admins legacy anyUser nobody }", NULL),
        "{\"data\":{\"admins\":\"a\",\"legacy\":\"l\",\"anyUser\":\"u\",\"nobody\":null},\"errors\":[{\"message\":"
        "\"Not Authorized to access nobody on type Query\",\"locations\":[{\"line\":1,\"column\":25}],\"path\":"
        "[\"nobody\"],\"errorType\":\"Unauthorized\"}]}");
    /* introspection and __typename answer whatever the mode */
    CHECK_STR(run_as(&key_caller, "{ __typename __type(name: \"Post\") { name } }", NULL),
              "{\"data\":{\"__typename\":\"Query\",\"__type\":{\"name\":\"Post\"}}}");
    /* no caller: nothing is checked */
    CHECK_STR(run_as(NULL, "{ oidc lambda }", NULL), "{\"data\":{\"oidc\":\"i\",\"lambda\":\"x\"}}");
}

static void test_nested_and_null_propagation(void)
{
    /* the root field allows API keys, its type does not: its fields are refused */
    CHECK_STR(run_as(&key_caller, "{ post { title keyed } }", NULL),
              "{\"data\":{\"post\":{\"title\":null,\"keyed\":\"y\"}},\"errors\":[{\"message\":\"Not Authorized to "
              "access title on type Post\",\"locations\":[{\"line\":1,\"column\":10}],\"path\":[\"post\",\"title\"],"
              "\"errorType\":\"Unauthorized\"}]}");
    /* a refused non-null field nulls its parent; a non-null parent passes it on up to data */
    CHECK_STR(run_as(&oidc_caller, "{ post { title secret } oidc }", NULL),
              "{\"data\":{\"post\":null,\"oidc\":\"i\"},\"errors\":[{\"message\":\"Not Authorized to access secret on "
              "type Post\",\"locations\":[{\"line\":1,\"column\":16}],\"path\":[\"post\",\"secret\"],\"errorType\":"
              "\"Unauthorized\"}]}");
    CHECK_STR(run_as(&oidc_caller, "{ oidc strictPost { secret } }", NULL),
              "{\"data\":null,\"errors\":[{\"message\":\"Not Authorized to access secret on type Post\",\"locations\":"
              "[{\"line\":1,\"column\":21}],\"path\":[\"strictPost\",\"secret\"],\"errorType\":\"Unauthorized\"}]}");
    /* list items: each item's field is refused at its own path */
    CHECK_STR(run_as(&key_caller, "{ posts { keyed title } }", NULL),
              "{\"data\":{\"posts\":[{\"keyed\":\"y1\",\"title\":null},{\"keyed\":\"y2\",\"title\":null}]},\"errors\":["
              "{\"message\":\"Not Authorized to access title on type Post\",\"locations\":[{\"line\":1,\"column\":17}],"
              "\"path\":[\"posts\",0,\"title\"],\"errorType\":\"Unauthorized\"},{\"message\":\"Not Authorized to "
              "access title on type Post\",\"locations\":[{\"line\":1,\"column\":17}],\"path\":[\"posts\",1,\"title\"],"
              "\"errorType\":\"Unauthorized\"}]}");
}

static void test_mutation_not_run(void)
{
    writes = 0;
    CHECK_STR(
        run_as(&key_caller, "mutation { write keyWrite }", NULL),
        "{\"data\":{\"write\":null,\"keyWrite\":\"kw\"},\"errors\":[{\"message\":\"Not Authorized to access write "
        "on type Mutation\",\"locations\":[{\"line\":1,\"column\":12}],\"path\":[\"write\"],\"errorType\":"
        "\"Unauthorized\"}]}");
    CHECK_INT(writes, 1); /* keyWrite only */
    CHECK_STR(run_as(&oidc_caller, "mutation { write }", NULL), "{\"data\":{\"write\":\"w\"}}");
    CHECK_INT(writes, 2);
}

/* Groups are numbered in the schema; past the 64th distinct name, a field's groups are compared by
 * name, and a caller's groups the schema never names match nothing. */
static void test_many_groups(void)
{
    gg_buf text;
    gg_buf_init(&text);
    gg_buf_puts(&text, "type Query {");
    for (int i = 0; i < 70; i++)
        gg_buf_printf(&text, " f%d: Int @aws_cognito_user_pools(cognito_groups: [\"g%d\", \"all\"])", i, i);
    gg_buf_puts(&text, " }");
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"many.graphql", text.data, text.len};
    gg_schema_options opts = {.appsync = true};
    gg_schema *many = gg_schema_build(&src, 1, &opts, &errors);
    CHECK(many != NULL);
    if (many == NULL) return;
    gg_type *query = many->query_type;
    static const char *const g69[] = {"nobody", "g69"}, *const g3[] = {"g3"}, *const all[] = {"all"},
                             *const none[] = {"g70", "x"};
    const char *const *sets[] = {g69, g3, all, none};
    size_t counts[] = {2, 1, 1, 2};
    for (int k = 0; k < 4; k++) {
        gg_aws_auth_caller c = {GG_AWS_AUTH_USER_POOLS,
                                GG_AWS_AUTH_API_KEY,
                                sets[k],
                                counts[k],
                                gg_aws_auth_group_bits(many, sets[k], counts[k]),
                                NULL,
                                0};
        for (int i = 0; i < 70; i++) {
            bool want = k == 2 || (k == 0 && i == 69) || (k == 1 && i == 3);
            if (gg_aws_auth_allows(&query->fields[i], &c) != want)
                fprintf(stderr, "  caller %d, field f%d: expected %s\n", k, i, want ? "allowed" : "refused");
            CHECK(gg_aws_auth_allows(&query->fields[i], &c) == want);
        }
    }
    CHECK(!query->fields[3].auth_groups_past_bits);
    CHECK(query->fields[69].auth_groups_past_bits);
    gg_schema_free(many);
    gg_arena_free(&arena);
    gg_buf_free(&text);
}

/* An allowed field costs nothing in the arena: the same query takes the same bytes with the check
 * as without it. */
static void test_no_allocation_when_allowed(void)
{
    const char *query = "{ post { title keyed } posts { title keyed } oidc }";
    size_t unchecked = 0, checked = 0;
    const char *expected = run_as(NULL, query, &unchecked);
    char *copy = strdup(expected);
    CHECK_STR(run_as(&oidc_caller, query, &checked), copy);
    free(copy);
    CHECK(unchecked > 0);
    CHECK_INT(checked, unchecked);
}

int main(void)
{
    schema = build();
    if (schema == NULL) return 1;
    admin_caller = caller(GG_AWS_AUTH_USER_POOLS, GG_AWS_AUTH_API_KEY, admin_groups, 2);
    RUN(test_decision);
    RUN(test_root_fields);
    RUN(test_nested_and_null_propagation);
    RUN(test_mutation_not_run);
    RUN(test_many_groups);
    RUN(test_no_allocation_when_allowed);
    gg_schema_free(schema);
    return test_summary();
}
