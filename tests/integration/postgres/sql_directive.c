/* Tests @sql fields (resolvers/postgres/sql_directive.c) and mutation events (server/realtime/pubsub)
 * against a real PostgreSQL (GRAPHGATE_TEST_DATABASE_URL), through the whole engine on an h2o loop:
 * user SDL -> the real Amplify transform -> served schema -> gg_pg_bind + gg_pg_bind_sql ->
 * gg_graphql_start with a gg_pg_request context (the engine and the resolvers alone on purpose,
 * without the gateway's limits: model_harness.h). Uses its own PostgreSQL schema (dropped at the
 * start and at the end) and a temporary folder for reference: files. Checks what a client sees
 * (data, errors and errorTypes), what the database holds afterwards, and the events subscribers got. */
#include <sys/stat.h>
#include <unistd.h>

#include "amplify/transform.h"
#include "model_harness.h"
#include "realtime/pubsub.h"
#include "sql_directive.h"

#define SQL_SCHEMA_NAME "gg_k_sql_directive"

static const char sdl_models[] =
    "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n"
    "type Post @model { id: ID! title: String! rating: Int comments: [Comment] @hasMany }\n"
    "type Comment @model { id: ID! content: String post: Post @belongsTo }\n"
    "type Stats { posts: Int! avgRating: Float anyGood: Boolean meta: AWSJSON label: String } "
    "type Native { at: AWSDateTime clockz: AWSTime day: AWSDate clock: AWSTime tags: [String] ats: [AWSDateTime] "
    "nums: [Int] early: AWSDateTime never: AWSDateTime }\n";

static const char sdl_fields[] =
    "input Range { min: Int! max: Int! }\n"
    "type Query {\n"
    "  postCount(minRating: Int): Int @sql(statement: \"\"\"SELECT count(*) FROM \"Post\" WHERE rating >= "
    ":minRating\"\"\")\n"
    "  stats: Stats @sql(statement: \"\"\"SELECT count(*) AS posts, avg(rating)::float8 AS \"avgRating\", "
    "bool_or(rating > 3) AS \"anyGood\", json_build_object('n', count(*)) AS meta, 'x:y' AS label FROM \"Post\" "
    "\"\"\")\n"
    "  noStats: Stats @sql(statement: \"SELECT 1 AS posts WHERE false\")\n"
    "  native: Native @sql(statement: \"\"\"SELECT '2026-12-06 12:24:12.8491+01'::timestamptz AS at, "
    "'11:24:12.5+01'::timetz AS clockz, '2026-12-06'::date AS day, '23:59:59.9999'::time AS clock, ARRAY['a', "
    "'b c', NULL] AS tags, ARRAY['2026-01-01 00:00:00-05:30'::timestamptz] AS ats, ARRAY[1, 2] AS nums, "
    "'2026-12-06 00:30:00.5+05:30'::timestamptz AS early, 'infinity'::timestamptz AS never\"\"\")\n"
    "  postsLike(pattern: String!): [Post] @sql(statement: \"\"\"SELECT * FROM \"Post\" WHERE title LIKE :pattern "
    "ORDER BY id\"\"\")\n"
    "  titles(ids: [ID!]!): [String] @sql(statement: \"\"\"SELECT title FROM \"Post\" WHERE id IN (SELECT "
    "jsonb_array_elements_text(:ids::jsonb)) ORDER BY id\"\"\")\n"
    "  echo(text: String, n: Int): String @sql(statement: \"\"\"SELECT ':text stays' || ' ' || \":text\" || ' ' || "
    ":text::text || $$ :n $$ -- :unknownInComment\n"
    "    FROM (SELECT 'col' AS \":text\") s /* :other */\"\"\")\n"
    "  ratedBetween(range: Range!): [ID] @sql(statement: \"\"\"SELECT id FROM \"Post\" WHERE rating BETWEEN "
    "(:range::jsonb->>'min')::int AND (:range::jsonb->>'max')::int ORDER BY id\"\"\")\n"
    "  jsonKind(j: AWSJSON): String @sql(statement: \"SELECT jsonb_typeof(:j::jsonb)\")\n"
    "  fromFile(id: ID!): Post @sql(reference: \"queries/post_by_id.sql\")\n"
    "  mustHave: Int! @sql(statement: \"SELECT NULL::int\")\n"
    "  broken: Int @sql(statement: \"SELECT 1/0\")\n"
    "}\n"
    "type Mutation {\n"
    "  renamePost(id: ID!, title: String!): Post @sql(statement: \"\"\"UPDATE \"Post\" SET title = :title WHERE id "
    "= :id RETURNING *\"\"\")\n"
    "  addChild(id: Int!, parent: Int!): Int @sql(statement: \"INSERT INTO k_child VALUES (:id, :parent) RETURNING "
    "id\")\n"
    "  renameThenFail(id: ID!): Int @sql(statement: \"\"\"WITH u AS (UPDATE \"Post\" SET title = 'changed' WHERE "
    "id = :id RETURNING 1) SELECT 1/0 FROM u\"\"\")\n"
    "  addTwo(id: ID!): [Post] @sql(statement: \"\"\"INSERT INTO \"Post\" (id, title, \"createdAt\", "
    "\"updatedAt\") VALUES (:id, 'a', now(), now()), (:id, 'b', now(), now()) RETURNING *\"\"\")\n"
    "  addPost(id: ID!): Post @sql(statement: \"\"\"INSERT INTO \"Post\" (id, title, \"createdAt\", \"updatedAt\") "
    "VALUES (:id, 'a', now(), now()) RETURNING *\"\"\")\n"
    "  removeParent(id: Int!): Int @sql(statement: \" delete FROM k_parent WHERE id = :id RETURNING id\")\n"
    "}\n";

static char tmp_dir[64];
static gg_pubsub *pubsub;
static char events[8192];
static unsigned event_count;

static void on_event(void *user, const char *topic, const char *json, size_t len)
{
    size_t n = strlen(events);
    snprintf(events + n, sizeof events - n, "%s%s %.*s", n ? "\n" : "", topic, (int)len, json);
    event_count++;
}

static void clear_events(void)
{
    events[0] = '\0';
    event_count = 0;
}

typedef struct built {
    gg_arena arena;
    gg_buf served;
    gg_amplify_catalog *catalog;
    gg_schema *schema;
    char error[512];
    bool bound;
} built;

/* Transforms user SDL, builds the served schema and binds it (gg_pg_bind, then gg_pg_bind_sql with dir). */
static void build(built *b, const char *fields_sdl, const char *dir)
{
    memset(b, 0, sizeof *b);
    gg_arena_init(&b->arena);
    gg_buf_init(&b->served);
    gg_error_list errors;
    gg_error_list_init(&errors, &b->arena);
    char *text = gg_arena_printf(&b->arena, "%s%s", sdl_models, fields_sdl);
    gg_schema_source src = {"app.graphql", text, strlen(text)};
    b->catalog = gg_amplify_transform(&src, 1, NULL, &b->served, &errors);
    for (gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "transform: %s\n", e->message);
    CHECK(b->catalog != NULL);
    if (b->catalog == NULL) return;
    gg_schema_source served_src = {"served.graphql", b->served.data, b->served.len};
    gg_schema_options opts = {.appsync = true};
    b->schema = gg_schema_build(&served_src, 1, &opts, &errors);
    for (gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "served schema: %s\n", e->message);
    CHECK(b->schema != NULL);
    if (b->schema == NULL) return;
    gg_pg_bind(b->schema, b->catalog, NULL);
    b->bound = gg_pg_bind_sql(b->schema, b->catalog, dir, NULL, GG_FAULT_INTO(b->error));
}

static void unbuild(built *b)
{
    gg_schema_free(b->schema);
    gg_amplify_catalog_free(b->catalog);
    gg_buf_free(&b->served);
    gg_arena_free(&b->arena);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) return;
    fputs(text, f);
    fclose(f);
}

/* ---- queries ---- */

static void test_queries(void)
{
    exec_sql("INSERT INTO \"Post\" (id, title, rating, \"createdAt\", \"updatedAt\") VALUES "
             "('p1', 'Hello', 5, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z'), ('p2', 'Help', 2, "
             "'2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z'), ('p3', 'Other', NULL, "
             "'2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z')");
    exec_sql("INSERT INTO \"Comment\" (id, content, \"postCommentsId\", \"createdAt\", \"updatedAt\") VALUES "
             "('c1', 'Nice', 'p1', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z')");
    /* a scalar: first column of the first row, bigint -> Int */
    const char *r = gql("{ postCount(minRating: 2) }", NULL);
    CHECK_STR(r, "{\"data\":{\"postCount\":2}}");
    r = gql("query($m: Int) { postCount(minRating: $m) }", "{\"m\": 5}");
    CHECK_STR(at(r, "data.postCount"), "1");
    r = gql("{ postCount }", NULL); /* an absent argument is SQL NULL */
    CHECK_STR(at(r, "data.postCount"), "0");
    /* an object: the first row, column types mapped */
    r = gql("{ stats { posts avgRating anyGood meta label } }", NULL);
    CHECK_STR(r, "{\"data\":{\"stats\":{\"posts\":3,\"avgRating\":3.5,\"anyGood\":true,\"meta\":\"{\\\"n\\\":3}\","
                 "\"label\":\"x:y\"}}}");
    r = gql("{ noStats { posts } }", NULL);
    CHECK_STR(r, "{\"data\":{\"noStats\":null}}");
    /* a list of @model objects; their relation fields run their own statement */
    /* PostgreSQL's date, time and array values in AppSync's forms, as @model fields give them (an
     * offset that moves the day, infinity as null) */
    r = gql("{ native { at clockz day clock tags ats nums early never } getPost(id: \"p1\") { createdAt } "
            "postsLike(pattern: "
            "\"Hello\") { createdAt } }",
            NULL);
    CHECK_STR(at(r, "data.native"), "{\"at\":\"2026-12-06T11:24:12.849Z\",\"clockz\":\"10:24:12.500Z\",\"day\":"
                                    "\"2026-12-06\",\"clock\":\"23:59:59.999\",\"tags\":[\"a\",\"b c\",null],\"ats\":"
                                    "[\"2026-01-01T05:30:00.000Z\"],\"nums\":[1,2],\"early\":"
                                    "\"2026-12-05T19:00:00.500Z\",\"never\":null}");
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.postsLike.0.createdAt"), "2024-05-01T10:00:00.000Z");
    CHECK_STR(at(r, "data.getPost.createdAt"), "2024-05-01T10:00:00.000Z");
    r = gql("{ postsLike(pattern: \"Hel%\") { id title rating comments { items { content post { title } } } } }", NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.postsLike.0.id"), "p1");
    CHECK_STR(at(r, "data.postsLike.0.comments.items"), "[{\"content\":\"Nice\",\"post\":{\"title\":\"Hello\"}}]");
    CHECK_STR(at(r, "data.postsLike.1"), "{\"id\":\"p2\",\"title\":\"Help\",\"rating\":2,\"comments\":{\"items\":[]}}");
    r = gql("{ postsLike(pattern: \"nothing%\") { id } }", NULL);
    CHECK_STR(r, "{\"data\":{\"postsLike\":[]}}");
    /* a list argument is bound as JSON; a list of scalars takes the first column of each row */
    r = gql("{ titles(ids: [\"p3\", \"p1\", \"zz\"]) }", NULL);
    CHECK_STR(r, "{\"data\":{\"titles\":[\"Hello\",\"Other\"]}}");
    /* an input object argument is bound as JSON */
    r = gql("query($r: Range!) { ratedBetween(range: $r) }", "{\"r\": {\"min\": 1, \"max\": 4}}");
    CHECK_STR(r, "{\"data\":{\"ratedBetween\":[\"p2\"]}}");
    r = gql("{ ratedBetween(range: {min: 2, max: 9}) }", NULL);
    CHECK_STR(r, "{\"data\":{\"ratedBetween\":[\"p1\",\"p2\"]}}");
    /* an AWSJSON argument is bound as JSON text, also when it holds a string */
    r = gql(
        "{ a: jsonKind(j: \"\\\"abc\\\"\") b: jsonKind(j: \"{\\\"a\\\": [1]}\") c: jsonKind(j: \"3\") d: jsonKind }",
        NULL);
    CHECK_STR(r, "{\"data\":{\"a\":\"string\",\"b\":\"object\",\"c\":\"number\",\"d\":null}}");
    /* the reference: file */
    r = gql("{ fromFile(id: \"p2\") { title rating } }", NULL);
    CHECK_STR(r, "{\"data\":{\"fromFile\":{\"title\":\"Help\",\"rating\":2}}}");
    /* non-null: the executor's error */
    r = gql("{ mustHave }", NULL);
    CHECK_STR(at(r, "errors.0.message"), "Cannot return null for non-nullable field Query.mustHave.");
    CHECK_STR(at(r, "data"), "null");
    free_responses();
}

static void test_placeholders_left_alone(void)
{
    /* ':text' in a string, ":text" as an identifier, $$ :n $$, comments: untouched; :text::text bound */
    const char *r = gql("{ echo(text: \"hi\", n: 1) }", NULL);
    CHECK_STR(r, "{\"data\":{\"echo\":\":text stays col hi :n \"}}");
}

static void test_injection_is_inert(void)
{
    const char *r = gql("{ echo(text: \"'); DROP TABLE \\\"Post\\\"; --\") }", NULL);
    CHECK_STR(at(r, "data.echo"), ":text stays col '); DROP TABLE \"Post\"; -- :n ");
    r = gql("{ postsLike(pattern: \"x' OR '1'='1\") { id } }", NULL);
    CHECK_STR(r, "{\"data\":{\"postsLike\":[]}}");
    r = gql("{ titles(ids: [\"p1') OR true --\", \"p1\"]) }", NULL);
    CHECK_STR(r, "{\"data\":{\"titles\":[\"Hello\"]}}");
    r = gql("{ postCount(minRating: 0) }", NULL);
    CHECK_STR(at(r, "data.postCount"), "2");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Post\""), "3");
    free_responses();
}

static void test_database_errors(void)
{
    const char *r = gql("{ broken postCount(minRating: 5) }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DatabaseError");
    CHECK_STR(at(r, "errors.0.message"), "The database request failed.");
    CHECK_STR(at(r, "errors.0.path"), "[\"broken\"]");
    CHECK(strstr(r, "division") == NULL && strstr(r, "SELECT") == NULL);
    CHECK_STR(at(r, "data.broken"), "null");
    CHECK_STR(at(r, "data.postCount"), "1"); /* the other field still answers */
    /* no pool on this thread: ServiceUnavailable, and a mutation publishes nothing */
    gg_pg_request down = {.pool = NULL, .pubsub = pubsub};
    unsigned long published = gg_pubsub_published(pubsub);
    char *s = gql_with(&down, "mutation { renamePost(id: \"p1\", title: \"x\") { id } }", NULL);
    CHECK_STR(at(s, "errors.0.errorType"), "ServiceUnavailable");
    CHECK_STR(at(s, "errors.0.message"), "The database is unavailable.");
    CHECK_INT(gg_pubsub_published(pubsub), published);
    free(s);
    free_responses();
}

/* ---- mutations and events ---- */

static void test_sql_mutations(void)
{
    gg_pubsub *ps = pubsub;
    clear_events();
    const char *r =
        gql("mutation { renamePost(id: \"p2\", title: \"Renamed\") { id title comments { items { id } } } }", NULL);
    CHECK_STR(r, "{\"data\":{\"renamePost\":{\"id\":\"p2\",\"title\":\"Renamed\",\"comments\":{\"items\":[]}}}}");
    CHECK_STR(sql_value("SELECT title FROM \"Post\" WHERE id = 'p2'"), "Renamed");
    CHECK_INT(event_count, 1);
    CHECK(strncmp(events, "renamePost {\"id\":\"p2\",\"title\":\"Renamed\",\"rating\":2,", 51) == 0);
    CHECK_INT(gg_pubsub_published(ps), 1);

    /* its own transaction: a failure later in the statement undoes the update; no event */
    clear_events();
    r = gql("mutation { renameThenFail(id: \"p1\") }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DatabaseError");
    CHECK_STR(sql_value("SELECT title FROM \"Post\" WHERE id = 'p1'"), "Hello");
    r = gql("mutation { addTwo(id: \"dup\") { id } }", NULL); /* a unique violation, as a @model create */
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Post\" WHERE id = 'dup'"), "0");
    CHECK_INT(event_count, 0);

    /* the statement succeeds but the commit fails (a deferred foreign key): an error, no event */
    r = gql("mutation { addChild(id: 1, parent: 99) }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    CHECK_STR(at(r, "data.addChild"), "null");
    CHECK_STR(sql_value("SELECT count(*) FROM k_child"), "0");
    CHECK_INT(event_count, 0);
    r = gql("mutation { addChild(id: 1, parent: 7) }", NULL);
    CHECK_STR(r, "{\"data\":{\"addChild\":1}}");
    CHECK_STR(events, "addChild 1");
    clear_events();

    /* two mutations in one request: each its own transaction (the first stays, the second is undone) */
    r = gql("mutation { a: renamePost(id: \"p2\", title: \"Twice\") { title } b: renameThenFail(id: \"p2\") }", NULL);
    CHECK_STR(at(r, "data"), "{\"a\":{\"title\":\"Twice\"},\"b\":null}");
    CHECK_STR(sql_value("SELECT title FROM \"Post\" WHERE id = 'p2'"), "Twice");
    CHECK_INT(event_count, 1);
    clear_events();

    /* a mutation that matches nothing still commits (and says null) */
    r = gql("mutation { renamePost(id: \"none\", title: \"x\") { id } }", NULL);
    CHECK_STR(r, "{\"data\":{\"renamePost\":null}}");
    CHECK_STR(events, "renamePost null");
    free_responses();
}

/* The same database error reads the same from a @sql field as from a @model field (one SQLSTATE table). */
static void test_errors_match_model(void)
{
    clear_events();
    /* a unique violation: the key p1 exists */
    const char *model = gql("mutation { createPost(input: {id: \"p1\", title: \"Again\"}) { id } }", NULL);
    const char *r = gql("mutation { addPost(id: \"p1\") { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(at(r, "errors.0.errorType"), at(model, "errors.0.errorType"));
    CHECK_STR(at(r, "errors.0.message"), "The conditional request failed");
    CHECK_STR(at(r, "errors.0.message"), at(model, "errors.0.message"));
    CHECK_STR(at(r, "errors.0.path"), "[\"addPost\"]");
    CHECK(strstr(r, "duplicate") == NULL && strstr(r, "INSERT") == NULL);
    CHECK_STR(sql_value("SELECT title FROM \"Post\" WHERE id = 'p1'"), "Hello");
    /* a foreign key violation of a written row: the related item does not exist */
    r = gql("mutation { addChild(id: 60, parent: 98) }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    CHECK_STR(at(r, "errors.0.message"), "A related item the input refers to does not exist.");
    /* a deleted row that others still refer to (the statement starts with DELETE) */
    exec_sql("INSERT INTO k_child VALUES (50, 7) ON CONFLICT DO NOTHING");
    r = gql("mutation { removeParent(id: 7) }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "ReferentialIntegrityViolation");
    CHECK_STR(at(r, "errors.0.message"), "Other items refer to this item; delete or change them first.");
    CHECK_STR(sql_value("SELECT count(*) FROM k_parent WHERE id = 7"), "1");
    CHECK_INT(event_count, 0);
    exec_sql("DELETE FROM k_child WHERE id = 50");
    free_responses();
}

static void test_crud_events(void)
{
    clear_events();
    const char *r = gql("mutation { createPost(input: {id: \"n1\", title: \"New\", rating: 1}) { id title } }", NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    /* the selected fields first, then every other stored field of the written row (subscribers may
     * select more than the mutation did) */
    CHECK(strncmp(events, "createPost {\"id\":\"n1\",\"title\":\"New\",\"rating\":1,\"createdAt\":\"", 60) == 0);
    /* a failed condition publishes nothing */
    clear_events();
    r = gql("mutation { updatePost(input: {id: \"n1\", title: \"X\"}, condition: {rating: {gt: 3}}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    r = gql("mutation { createPost(input: {id: \"n1\", title: \"Again\"}) { id } }", NULL); /* the key exists */
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_INT(event_count, 0);
    /* several mutations in one request: one event each, in order */
    r = gql("mutation { u: updatePost(input: {id: \"n1\", rating: 4}) { rating } "
            "d: deletePost(input: {id: \"n1\"}) { id title } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK(strncmp(events, "updatePost {\"rating\":4,\"id\":\"n1\",\"title\":\"New\",\"createdAt\":\"", 60) == 0);
    CHECK(strstr(events, "\ndeletePost {\"id\":\"n1\",\"title\":\"New\",\"rating\":4,\"createdAt\":\"") != NULL);
    /* queries publish nothing */
    clear_events();
    r = gql("{ getPost(id: \"p1\") { id } listPosts { items { id } } postCount }", NULL);
    CHECK_INT(event_count, 0);
    free_responses();
}

static void test_no_pubsub_means_no_events(void)
{
    gg_pubsub *saved = request_ctx.pubsub;
    request_ctx.pubsub = NULL;
    clear_events();
    const char *r = gql("mutation { renamePost(id: \"p3\", title: \"Quiet\") { title } createPost(input: {id: \"q\", "
                        "title: \"Q\"}) { id } }",
                        NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.renamePost.title"), "Quiet");
    CHECK_INT(event_count, 0);
    request_ctx.pubsub = saved;
    free_responses();
}

/* ---- start-up errors ---- */

static const char *bind_error(const char *fields_sdl)
{
    static char error[512];
    built b;
    build(&b, fields_sdl, tmp_dir);
    snprintf(error, sizeof error, "%s", b.bound ? "(bound)" : b.error);
    unbuild(&b);
    return error;
}

static void test_startup_errors(void)
{
    CHECK_STR(bind_error("type Query { f(a: Int): Int @sql(statement: \"SELECT :a + :b\") }\n"),
              "@sql on \"Query.f\" (line 5): the parameter :b names no argument of the field");
    CHECK_STR(bind_error("type Query { f: Int @sql(statement: \"SELECT 1; SELECT 2\") }\n"),
              "@sql on \"Query.f\" (line 5): only one SQL statement is allowed");
    CHECK_STR(bind_error("type Query { f: Int @sql(statement: \"SELECT 'x\") }\n"),
              "@sql on \"Query.f\" (line 5): unterminated string literal");
    const char *e = bind_error("type Query { f: Int @sql(reference: \"../outside.sql\") }\n");
    CHECK(strstr(e, "@sql on \"Query.f\": reference \"../outside.sql\" must name a file inside the schema's folder") ==
          e);
    e = bind_error("type Query { f: Int @sql(reference: \"queries/../../outside.sql\") }\n");
    CHECK(strstr(e, "must name a file inside the schema's folder") != NULL);
    e = bind_error("type Query { f: Int @sql(reference: \"/etc/passwd\") }\n");
    CHECK(strstr(e, "must name a file inside the schema's folder") != NULL);
    e = bind_error("type Query { f: Int @sql(reference: \"queries/link.sql\") }\n"); /* a symlink leading out */
    CHECK(strstr(e, "@sql on \"Query.f\": reference \"queries/link.sql\" leads outside the schema's folder") == e);
    e = bind_error("type Query { f: Int @sql(reference: \"queries/missing.sql\") }\n");
    CHECK(strstr(e, "@sql on \"Query.f\": cannot read reference \"") == e);
    CHECK(strstr(e, "queries/missing.sql\": No such file or directory") != NULL);
    e = bind_error("type Query { f(id: ID): Int @sql(reference: \"queries/bad_param.sql\") }\n");
    CHECK_STR(e, "@sql on \"Query.f\" (line 5): the parameter :ident names no argument of the field");
    CHECK_STR(bind_error("type Query { f(a: Int): Int @sql(statement: \"SELECT ':b' -- :c\") }\n"), "(bound)");
}

int main(void)
{
    if (getenv("GRAPHGATE_TEST_DATABASE_URL") == NULL) {
        fprintf(stderr, "GRAPHGATE_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL)\n");
        return 77;
    }
    /* the schema's folder: a reference file, one with an unknown parameter, a symlink out of it */
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gg-k-sql-XXXXXX");
    CHECK(mkdtemp(tmp_dir) != NULL);
    char path[256], outside[256];
    snprintf(path, sizeof path, "%s/queries", tmp_dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/queries/post_by_id.sql", tmp_dir);
    write_file(path, "-- a post by id\nSELECT title, rating FROM \"Post\" WHERE id = :id;\n");
    snprintf(path, sizeof path, "%s/queries/bad_param.sql", tmp_dir);
    write_file(path, "SELECT count(*) FROM \"Post\" WHERE id = :ident");
    snprintf(outside, sizeof outside, "%s.outside.sql", tmp_dir);
    write_file(outside, "SELECT 1");
    snprintf(path, sizeof path, "%s/queries/link.sql", tmp_dir);
    CHECK(symlink(outside, path) == 0);

    loop = h2o_evloop_create();
    db = PQconnectdb(getenv("GRAPHGATE_TEST_DATABASE_URL"));
    CHECK(PQstatus(db) == CONNECTION_OK);
    exec_sql("SET client_min_messages TO warning");
    exec_sql("DROP SCHEMA IF EXISTS " SQL_SCHEMA_NAME " CASCADE");
    exec_sql("CREATE SCHEMA " SQL_SCHEMA_NAME);
    exec_sql("SET search_path TO " SQL_SCHEMA_NAME);
    gg_cursor_key_init(&cursor_key, "k", 1);
    request_ctx.cursor_key = &cursor_key;

    built b;
    build(&b, sdl_fields, tmp_dir);
    CHECK_STR(b.error, "");
    char error[512] = "";
    CHECK(b.catalog && gg_pg_migrate(db, b.catalog, false, NULL, GG_FAULT_INTO(error)));
    CHECK_STR(error, "");
    exec_sql("CREATE TABLE k_parent (id int PRIMARY KEY)");
    exec_sql("CREATE TABLE k_child (id int PRIMARY KEY, parent int REFERENCES k_parent (id) DEFERRABLE INITIALLY "
             "DEFERRED)");
    exec_sql("INSERT INTO k_parent VALUES (7)");
    char conninfo[1024];
    conninfo_for(conninfo, sizeof conninfo, SQL_SCHEMA_NAME);
    gg_fault perror = {0};
    gg_pg_pool_config cfg = {.conninfo = conninfo, .size = 2};
    pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &perror);
    CHECK(pool != NULL);
    wait_ready(pool, 2);
    gg_pubsub *ps = gg_pubsub_create();
    gg_pubsub_subscribe(ps, NULL, on_event, NULL);
    request_ctx.pool = pool;
    request_ctx.pubsub = ps;
    pubsub = ps;
    schema = b.schema;
    if (b.bound && pool != NULL) {
        RUN(test_queries);
        RUN(test_placeholders_left_alone);
        RUN(test_injection_is_inert);
        RUN(test_database_errors);
        RUN(test_sql_mutations);
        RUN(test_errors_match_model);
        RUN(test_crud_events);
        RUN(test_no_pubsub_means_no_events);
    }
    schema = NULL;
    RUN(test_startup_errors);

    free_responses();
    gg_pg_pool_destroy(pool);
    gg_pubsub_destroy(ps);
    unbuild(&b);
    exec_sql("SET search_path TO public");
    exec_sql("DROP SCHEMA IF EXISTS " SQL_SCHEMA_NAME " CASCADE");
    PQfinish(db);
    h2o_evloop_destroy(loop);
    const char *files[] = {"queries/post_by_id.sql", "queries/bad_param.sql", "queries/link.sql", "queries", ""};
    for (unsigned i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp_dir, files[i]);
        if (remove(path) != 0) fprintf(stderr, "cannot remove %s\n", path);
    }
    remove(outside);
    return test_summary();
}
