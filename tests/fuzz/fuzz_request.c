/* fuzz_request.c: libFuzzer harness for a whole request through the gateway, as the server runs
 * it (server/gateway/gateway.h, gg_gateway_run_sync, with the server's default limits): parse,
 * safety limits, validate, coerce variables, execute against root data, write the JSON response.
 *
 * The schema is fixed and realistic: built on the AppSync prelude, it uses every AWS scalar,
 * interfaces (one implementing another), a union, enums, recursive input objects, @oneOf,
 * defaults, nested lists, non-null fields, a Mutation and a Subscription. Root data is a JSON
 * tree (abstract values carry "__typename") with some deliberately wrong values, so result
 * coercion and null propagation run too. Fields named echo* return their first argument (so
 * coerced inputs, variables included, are serialised back), fail* fields fail.
 *
 * The input is up to three parts separated by a line holding "%%":
 *     query text \n%%\n variables JSON \n%%\n operationName
 * (a missing part is absent: no variables, no operation name). Properties checked, beyond "no
 * crash, no leak, no hang": the response is valid JSON (parsed back with cJSON), an object with
 * "data" and/or a non-empty "errors" array whose items all have a string "message", and valid
 * UTF-8 whenever the variables are. The gateway refuses subscriptions outside a realtime
 * connection; when it does, the request runs again through the engine alone (gg_graphql_start,
 * which executes a subscription's one event like graphql-js's graphql()), on purpose.
 * Build and run: see README.md. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "execute/execute.h"
#include "execute/values.h"
#include "fuzz.h"
#include "gateway/gateway.h"
#include "graphql.h"
#include "type/schema.h"
#include "type/schema_build.h"

static const char schema_sdl[] =
    "\"\"\"Anything with an id.\"\"\"\n"
    "interface Node { id: ID! }\n"
    "interface Entity implements Node { id: ID! name: String createdAt: AWSDateTime }\n"
    "type User implements Node & Entity @aws_api_key {\n"
    "  id: ID! name: String createdAt: AWSDateTime email: AWSEmail phone: AWSPhone website: AWSURL\n"
    "  ip: AWSIPAddress born: AWSDate wakeUp: AWSTime lastSeen: AWSTimestamp profile: AWSJSON\n"
    "  friends(first: Int = 10, after: String): [User!] posts: [Post] role: Role tags: [String!]!\n"
    "}\n"
    "type Post implements Node & Entity {\n"
    "  id: ID! name: String createdAt: AWSDateTime author: User! rating: Float views: Int\n"
    "  matrix: [[Int]] comments: [Comment!]! status: Role\n"
    "}\n"
    "type Comment implements Node { id: ID! body: String! post: Post }\n"
    "union SearchResult = User | Post | Comment\n"
    "enum Role { ADMIN EDITOR VIEWER @deprecated(reason: \"Use EDITOR.\") }\n"
    "input PostFilter {\n"
    "  id: ID name: String rating: Float = 1.5 roles: [Role!] = [ADMIN] and: [PostFilter!] not: PostFilter\n"
    "  created: AWSDateTime\n"
    "}\n"
    "input Lookup @oneOf { id: ID email: AWSEmail filter: PostFilter }\n"
    "input Everything {\n"
    "  i: Int f: Float s: String b: Boolean id: ID date: AWSDate time: AWSTime dt: AWSDateTime\n"
    "  ts: AWSTimestamp email: AWSEmail json: AWSJSON url: AWSURL phone: AWSPhone ip: AWSIPAddress\n"
    "  role: Role list: [[Int!]] nested: Everything lookup: Lookup req: String! = \"d\"\n"
    "}\n"
    "type Deep { deep: Deep value: Int list: [Deep] }\n"
    "type Query {\n"
    "  node(id: ID!): Node\n"
    "  entity: Entity\n"
    "  user(lookup: Lookup!): User\n"
    "  users(filter: PostFilter, limit: Int = 10): [User]\n"
    "  search(text: String!, kinds: [Role!]): [SearchResult!]!\n"
    "  posts(filter: PostFilter): [Post!]\n"
    "  echo(input: Everything): AWSJSON\n"
    "  echoString(s: String = \"default\"): String\n"
    "  echoInt(i: Int, f: Float): Float\n"
    "  echoList(l: [[String]]): [[String]]\n"
    "  echoJson(value: AWSJSON): AWSJSON\n"
    "  echoRole(role: Role = VIEWER): Role\n"
    "  echoDate(value: AWSDate): AWSDate\n"
    "  echoDateTime(value: AWSDateTime): AWSDateTime\n"
    "  echoTime(value: AWSTime): AWSTime\n"
    "  echoStamp(value: AWSTimestamp): AWSTimestamp\n"
    "  echoEmail(value: AWSEmail): AWSEmail\n"
    "  echoUrl(value: AWSURL): AWSURL\n"
    "  echoPhone(value: AWSPhone): AWSPhone\n"
    "  echoIp(value: AWSIPAddress): AWSIPAddress\n"
    "  echoLookup(lookup: Lookup): AWSJSON\n"
    "  fail: String\n"
    "  failNonNull: String!\n"
    "  broken: [Int!]!\n"
    "  badScalars: User\n"
    "  old: String @deprecated\n"
    "  deep: Deep\n"
    "}\n"
    "type Mutation {\n"
    "  createPost(input: PostFilter!, lookup: Lookup): Post @aws_cognito_user_pools(cognito_groups: [\"a\"])\n"
    "  updateUser(id: ID!, patch: Everything): User\n"
    "}\n"
    "type Subscription { onPost(filter: PostFilter): Post @aws_subscribe(mutations: [\"createPost\"]) }\n";

static const char root_json[] =
    "{"
    "\"node\":{\"__typename\":\"User\",\"id\":\"u1\",\"name\":\"Ann\",\"createdAt\":\"2020-01-02T03:04:05Z\","
    "  \"email\":\"ann@example.com\",\"phone\":\"+1 555 0100\",\"website\":\"https://example.com/a\","
    "  \"ip\":\"10.0.0.1\",\"born\":\"1990-05-06\",\"wakeUp\":\"07:30:00\",\"lastSeen\":1600000000,"
    "  \"profile\":{\"a\":[1,2,{\"b\":null}]},\"role\":\"ADMIN\",\"tags\":[\"x\",\"y\"],"
    "  \"friends\":[{\"id\":\"u2\",\"name\":\"Bob\",\"tags\":[]},{\"id\":\"u3\",\"tags\":[null]}],"
    "  \"posts\":[{\"id\":\"p1\",\"name\":\"Hello\",\"author\":{\"id\":\"u1\",\"tags\":[]},\"rating\":4.5,"
    "    "
    "\"views\":3,\"matrix\":[[1,2],[null],null],\"comments\":[{\"id\":\"c1\",\"body\":\"hi\"}],\"status\":\"EDITOR\"},"
    "    null,{\"id\":\"p2\",\"author\":null,\"comments\":[]}]},"
    "\"entity\":{\"__typename\":\"Post\",\"id\":\"p1\",\"name\":\"Hello\",\"author\":{\"id\":\"u1\",\"tags\":[]},"
    "  \"comments\":[]},"
    "\"user\":{\"id\":\"u1\",\"name\":\"Ann\",\"tags\":[\"t\"],\"friends\":null},"
    "\"users\":[{\"id\":\"u1\",\"tags\":[]},null,{\"id\":null,\"tags\":[]},{\"id\":\"u4\",\"tags\":[\"a\"],"
    "  \"role\":\"NOPE\"}],"
    "\"search\":[{\"__typename\":\"User\",\"id\":\"u1\",\"tags\":[]},{\"__typename\":\"Post\",\"id\":\"p1\","
    "  "
    "\"author\":{\"id\":\"u1\",\"tags\":[]},\"comments\":[]},{\"__typename\":\"Comment\",\"id\":\"c1\",\"body\":\"b\"},"
    "  {\"__typename\":\"Nope\"},{\"id\":\"no typename\"}],"
    "\"posts\":[{\"id\":\"p1\",\"author\":{\"id\":\"u1\",\"tags\":[]},\"comments\":[{\"id\":\"c1\",\"body\":null}],"
    "  \"matrix\":[[1,\"2\",3.5,true]],\"views\":1e12,\"rating\":\"NaN\"}],"
    "\"broken\":[1,null,3],"
    "\"badScalars\":{\"id\":{\"x\":1},\"name\":[\"a\"],\"createdAt\":\"yesterday\",\"email\":\"not-an-email\","
    "  \"phone\":\"abc\",\"website\":\"::\",\"ip\":\"999.1.1.1\",\"born\":\"2020-13-45\",\"wakeUp\":\"25:00\","
    "  \"lastSeen\":-1.5,\"profile\":\"{not json\",\"role\":1,\"tags\":\"notalist\"},"
    "\"old\":\"old\","
    "\"deep\":{\"value\":1,\"deep\":{\"value\":2,\"deep\":{\"value\":3,\"list\":[{\"value\":4},null]}}},"
    "\"createPost\":{\"id\":\"p9\",\"author\":{\"id\":\"u1\",\"tags\":[]},\"comments\":[]},"
    "\"updateUser\":{\"id\":\"u1\",\"tags\":[]},"
    "\"onPost\":{\"id\":\"p1\",\"author\":{\"id\":\"u1\",\"tags\":[]},\"comments\":[]}"
    "}";

/* ---- resolvers ---- */

/* Returns the field's first argument, as coerced (the default when not given). */
static void echo_resolve(gg_resolve_info *info)
{
    gg_val *value = NULL;
    if (info->args && info->args->kind == GG_VAL_OBJECT && info->args->count) value = info->args->members[0].value;
    gg_resolve_return(info, value);
}

static void fail_resolve(gg_resolve_info *info)
{
    gg_resolve_error(info, "FuzzError", "%s failed on purpose", info->field->name);
}

/* ---- the fixed schema and root value, built once ---- */

typedef struct fixture {
    gg_schema *schema;
    gg_arena arena; /* the root value */
    gg_val *root;
    gg_gateway *gateway; /* around schema and root, with the server's default configuration */
    gg_buf refusal;      /* the gateway's answer to a subscription */
} fixture;

static fixture *fixture_get(void)
{
    static fixture fx;
    static bool ready;
    if (ready) return &fx;
    gg_arena errors_arena;
    gg_arena_init(&errors_arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &errors_arena);
    gg_schema_source source = {.name = "fuzz_request.graphql", .text = schema_sdl, .len = sizeof schema_sdl - 1};
    gg_schema_options opts = {.appsync = true};
    fx.schema = gg_schema_build(&source, 1, &opts, &errors);
    if (!fx.schema) {
        fprintf(stderr, "fuzz_request: the fixed schema does not build: %s\n", errors.head->message);
        abort();
    }
    gg_arena_free(&errors_arena);
    const gg_type *query = gg_schema_find_type(fx.schema, "Query");
    for (unsigned f = 0; query && f < query->field_count; f++) {
        gg_field *field = &query->fields[f];
        if (strncmp(field->name, "echo", 4) == 0)
            field->resolve = echo_resolve;
        else if (strncmp(field->name, "fail", 4) == 0)
            field->resolve = fail_resolve;
    }
    cJSON *json = cJSON_Parse(root_json);
    if (!json) {
        fprintf(stderr, "fuzz_request: the root value is not JSON\n");
        abort();
    }
    gg_arena_init(&fx.arena);
    fx.root = gg_val_from_cjson(&fx.arena, json);
    cJSON_Delete(json);
    gg_config cfg;
    gg_config_defaults(&cfg);
    fx.gateway = gg_gateway_wrap(fx.schema, fx.root, &cfg);
    gg_config_free(&cfg);
    gg_buf_init(&fx.refusal);
    gg_gateway_write_subscription_refusal(fx.gateway, &fx.refusal);
    ready = true;
    return &fx;
}

/* ---- checking the response ---- */

static void check_response(const gg_buf *out, const char *query, size_t query_len, bool utf8_expected)
{
    const char *text = out->data ? out->data : "";
    if (getenv("FUZZ_PRINT")) /* to see what a corpus file does: FUZZ_PRINT=1 fuzz-replay-request FILE */
        fprintf(stderr, "%s\n", text);
    if (utf8_expected && !fuzz_valid_utf8(text, out->len))
        fuzz_fail("the response is not valid UTF-8", query, query_len, text, out->len);
    cJSON *json = cJSON_ParseWithLength(text, out->len);
    if (!json) {
        /* cJSON refuses nesting deeper than CJSON_NESTING_LIMIT (1000): valid JSON it cannot read. */
        if (fuzz_json_depth(text, out->len) >= CJSON_NESTING_LIMIT) return;
        fuzz_fail("the response is not valid JSON", query, query_len, text, out->len);
    }
    if (!cJSON_IsObject(json)) fuzz_fail("the response is not a JSON object", query, query_len, text, out->len);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data");
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(json, "errors");
    if (!data && !errors) fuzz_fail("the response has neither data nor errors", query, query_len, text, out->len);
    if (data && !cJSON_IsObject(data) && !cJSON_IsNull(data))
        fuzz_fail("data is neither an object nor null", query, query_len, text, out->len);
    if (errors && (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) == 0))
        fuzz_fail("errors is not a non-empty array", query, query_len, text, out->len);
    for (const cJSON *e = errors ? errors->child : NULL; e; e = e->next)
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "message")))
            fuzz_fail("an error without a message", query, query_len, text, out->len);
    if (cJSON_IsNull(data) && !errors) fuzz_fail("data is null without an error", query, query_len, text, out->len);
    cJSON_Delete(json);
}

/* ---- one request ---- */

typedef struct start_done {
    gg_buf *out;
    bool called;
} start_done;

static void on_complete(const gg_exec_result *result, void *user)
{
    start_done *done = user;
    if (done->called) fuzz_fail("on_complete ran twice", "", 0, "", 0);
    done->called = true;
    gg_exec_result_write_json(done->out, result);
}

/* The request again with subscriptions allowed, as graphql-js's graphql() runs them. */
static void run_allowing_subscriptions(const fixture *fx, const char *query, size_t len, const char *operation_name,
                                       const char *variables_json, bool utf8_expected)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const gg_val *variables = NULL;
    cJSON *json = variables_json ? cJSON_Parse(variables_json) : NULL;
    if (cJSON_IsObject(json)) variables = gg_val_from_cjson(&arena, json);
    cJSON_Delete(json);
    gg_buf out;
    gg_buf_init(&out);
    start_done done = {&out, false};
    gg_graphql_request request = {
        .schema = fx->schema,
        .query = query,
        .query_len = len,
        .operation_name = operation_name,
        .variables = variables,
        .root_value = fx->root,
        .arena = &arena,
        .on_complete = on_complete,
        .user = &done,
    };
    gg_graphql_start(&request);
    if (!done.called) fuzz_fail("on_complete was not called", query, len, "", 0);
    check_response(&out, query, len, utf8_expected);
    gg_buf_free(&out);
    gg_arena_free(&arena);
}

/* Finds "\n%%\n" in [from, size); returns its offset or size. */
static size_t find_separator(const uint8_t *data, size_t from, size_t size)
{
    for (size_t i = from; i + 4 <= size; i++)
        if (data[i] == '\n' && data[i + 1] == '%' && data[i + 2] == '%' && data[i + 3] == '\n') return i;
    return size;
}

static char *copy_part(const uint8_t *data, size_t from, size_t to)
{
    char *s = malloc(to - from + 1);
    memcpy(s, data + from, to - from);
    s[to - from] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fixture *fx = fixture_get();
    size_t query_end = find_separator(data, 0, size);
    size_t vars_end = query_end < size ? find_separator(data, query_end + 4, size) : size;
    /* The query in a buffer of exactly its size, so reading past it is caught. */
    char *query = malloc(query_end ? query_end : 1);
    memcpy(query, data, query_end);
    char *variables = query_end < size ? copy_part(data, query_end + 4, vars_end) : NULL;
    char *operation_name = vars_end < size ? copy_part(data, vars_end + 4, size) : NULL;
    bool utf8_expected = !variables || fuzz_valid_utf8(variables, strlen(variables));
    if (operation_name && !fuzz_valid_utf8(operation_name, strlen(operation_name))) utf8_expected = false;

    gg_buf out;
    gg_buf_init(&out);
    gg_gateway_run_sync(fx->gateway, query, query_end, operation_name, variables, &out);
    check_response(&out, query, query_end, utf8_expected);
    if (out.len == fx->refusal.len && memcmp(out.data, fx->refusal.data, out.len) == 0)
        run_allowing_subscriptions(fx, query, query_end, operation_name, variables, utf8_expected);
    gg_buf_free(&out);
    free(query);
    free(variables);
    free(operation_name);
    return 0;
}
