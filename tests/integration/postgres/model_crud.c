/* Tests the PostgreSQL @model resolvers (resolvers/postgres: migrate, both plans, pg_resolvers)
 * against a real PostgreSQL (scripts/test.sh starts it; GRAPHGATE_TEST_DATABASE_URL).
 *
 * Every request goes through the whole engine on an h2o event loop: gg_graphql_start with the
 * served schema of model_fixture.h bound by gg_pg_bind, the pool answering asynchronously (the
 * engine and the resolvers alone on purpose, without the gateway's limits: model_harness.h). The
 * tests use their own PostgreSQL schema (dropped at the start and at the end) and check what a
 * client sees: response JSON, errorTypes, pages, and the pool's statement and round-trip counts.
 * Every test runs on the rows plan, and again on the JSON plan with GG_TEST_PLAN=json (meson.build). */
#include "model_fixture.h"
#include "model_harness.h"

#define SCHEMA_NAME "gg_p1_model_crud"

static gg_pg_plan_kind plan_under_test; /* main: GG_TEST_PLAN */

static gg_amplify_catalog catalog;

/* ---- set-up ---- */

static char conninfo[1024];

static void connect_db(void)
{
    const char *url = getenv("GRAPHGATE_TEST_DATABASE_URL");
    db = PQconnectdb(url);
    CHECK(PQstatus(db) == CONNECTION_OK);
    exec_sql("SET client_min_messages TO warning");
    exec_sql("DROP SCHEMA IF EXISTS " SCHEMA_NAME " CASCADE");
    exec_sql("CREATE SCHEMA " SCHEMA_NAME);
    exec_sql("SET search_path TO " SCHEMA_NAME);
    conninfo_for(conninfo, sizeof conninfo, SCHEMA_NAME);
}

static void test_migrate(void)
{
    char error[512] = "";
    gg_buf dry;
    gg_buf_init(&dry);
    CHECK(gg_pg_migrate(db, &catalog, true, &dry, GG_FAULT_INTO(error)));
    CHECK(strstr(dry.data, "CREATE TABLE IF NOT EXISTS \"Post\" (\"id\" text NOT NULL, PRIMARY KEY (\"id\"));\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"Post\" ADD COLUMN IF NOT EXISTS \"rating\" integer;\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"Post\" ADD COLUMN IF NOT EXISTS \"views\" bigint;\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"Post\" ADD COLUMN IF NOT EXISTS \"tags\" text[];\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"Post\" ADD COLUMN IF NOT EXISTS \"meta\" jsonb;\n"));
    CHECK(
        strstr(dry.data, "ALTER TABLE \"Post\" ADD COLUMN IF NOT EXISTS \"createdAt\" timestamp(3) with time zone;\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"comment_rows\" ADD COLUMN IF NOT EXISTS \"body\" text;\n"));
    CHECK(strstr(dry.data, "CREATE TABLE IF NOT EXISTS \"Score\" (\"game\" text NOT NULL, \"player\" text NOT "
                           "NULL, PRIMARY KEY (\"game\", \"player\"));\n"));
    CHECK(strstr(dry.data, "CREATE INDEX IF NOT EXISTS \"Post_byStatus\" ON \"Post\" (\"status\", \"rating\");\n"));
    CHECK(strstr(dry.data,
                 "CREATE INDEX IF NOT EXISTS \"comment_rows_postId_idx\" ON \"comment_rows\" (\"postId\", \"id\");\n"));
    /* database.foreign_keys (default true): one constraint per relation, added only when missing */
    CHECK(strstr(dry.data, "ALTER TABLE \"comment_rows\" ADD CONSTRAINT \"comment_rows_postId_fkey\" FOREIGN KEY "
                           "(\"postId\") REFERENCES \"Post\" (\"id\") ON DELETE SET NULL NOT VALID;\n"));
    CHECK(strstr(dry.data, "ALTER TABLE \"PostEditors\" ADD CONSTRAINT \"PostEditors_userId_fkey\" FOREIGN KEY "
                           "(\"userId\") REFERENCES \"User\" (\"id\") ON DELETE CASCADE NOT VALID;\n"));
    /* a dry run changes nothing */
    CHECK_STR(sql_value("SELECT coalesce(to_regclass('\"Post\"')::text, 'none')"), "none");

    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    CHECK(gg_pg_migrate(db, &catalog, false, &first, GG_FAULT_INTO(error)));
    CHECK_STR(error, "");
    CHECK_STR(first.data, dry.data);
    CHECK_STR(sql_value("SELECT value FROM graphgate_meta WHERE key = 'cursor_secret'")[0] ? "set" : "", "set");
    char secret[128];
    snprintf(secret, sizeof secret, "%s", sql_value("SELECT value FROM graphgate_meta WHERE key = 'cursor_secret'"));
    CHECK_INT(strlen(secret), 64);
    /* idempotent: the second run succeeds and keeps everything, the secret included */
    CHECK(gg_pg_migrate(db, &catalog, false, &second, GG_FAULT_INTO(error)));
    CHECK_STR(sql_value("SELECT value FROM graphgate_meta WHERE key = 'cursor_secret'"), secret);
    CHECK_STR(sql_value("SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM "
                        "information_schema.columns WHERE table_schema = '" SCHEMA_NAME "' AND table_name = 'Post'"),
              "id:text,title:text,rating:integer,score:double precision,published:boolean,tags:ARRAY,status:text,"
              "meta:jsonb,views:bigint,blogId:text,createdAt:timestamp with time zone,updatedAt:timestamp with time "
              "zone");
    CHECK_STR(sql_value("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = '" SCHEMA_NAME
                        "'::regnamespace"),
              "5"); /* Post.blog, Comment.post, User.profile, and the two sides of PostEditors */
    CHECK_STR(sql_value("SELECT count(*) FROM pg_indexes WHERE schemaname = '" SCHEMA_NAME "'"), "14");
    /* a new field in the schema becomes a new column */
    gg_amplify_model *blog = catalog.models[0];
    gg_amplify_field extra = {.name = "tagline", .column = "tagline", .type_name = "String"};
    blog->fields[blog->field_count++] = extra;
    CHECK(gg_pg_migrate(db, &catalog, false, NULL, GG_FAULT_INTO(error)));
    CHECK_STR(sql_value("SELECT data_type FROM information_schema.columns WHERE table_schema = '" SCHEMA_NAME
                        "' AND table_name = 'Blog' AND column_name = 'tagline'"),
              "text");
    blog->field_count--;
    /* the other tests of this file exercise loose references (database.foreign_keys false, as on
     * AppSync: a child may be written before its parent); migrate.c tests the constraints */
    exec_sql("DO $$ DECLARE c record; BEGIN FOR c IN SELECT conname, conrelid::regclass AS t FROM pg_constraint WHERE "
             "contype = 'f' AND connamespace = '" SCHEMA_NAME "'::regnamespace LOOP EXECUTE format('ALTER TABLE %s "
             "DROP CONSTRAINT %I', c.t, c.conname); END LOOP; END $$");

    gg_cursor_key loaded;
    CHECK(gg_pg_load_cursor_key(db, NULL, &loaded, GG_FAULT_INTO(error)));
    gg_cursor_key expected;
    gg_cursor_key_init(&expected, secret, strlen(secret));
    CHECK(memcmp(loaded.secret, expected.secret, sizeof loaded.secret) == 0);
    cursor_key = loaded;
    gg_buf_free(&dry);
    gg_buf_free(&first);
    gg_buf_free(&second);
}

/* A custom root field whose Post value does not come from the planner (relations must load on their own). */
static void resolve_latest_post(gg_resolve_info *info)
{
    gg_val *post = gg_val_object(info->arena, 3);
    gg_val_object_set(info->arena, post, "id", gg_val_string(info->arena, "p-latest", 8));
    gg_val_object_set(info->arena, post, "title", gg_val_string(info->arena, "Latest", 6));
    gg_val_object_set(info->arena, post, "blogId", gg_val_string(info->arena, "b1", 2));
    gg_resolve_return(info, post);
}

static gg_schema *make_schema(gg_pg_plan_kind plan)
{
    return fixture_schema(&catalog, plan, resolve_latest_post);
}

static void build_schema(void)
{
    schema = make_schema(plan_under_test);
}

static void make_pool(void)
{
    gg_fault error = {0};
    /* no statement_timeout: the pool would replace the URL's options (our search_path) with its own */
    gg_pg_pool_config cfg = {.conninfo = conninfo, .size = 2};
    pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    wait_ready(pool, 2);
    CHECK_INT(gg_pg_pool_ready(pool), 2);
    request_ctx.pool = pool;
    request_ctx.cursor_key = &cursor_key;
}

/* ---- operations ---- */

static bool is_uuid(const char *s)
{
    if (strlen(s) != 36 || s[14] != '4') return false;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    return true;
}

static bool is_aws_datetime_ms(const char *s)
{
    /* 2024-05-01T10:20:30.123Z */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (strlen(s) != sizeof shape - 1) return false;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i]) return false;
    return true;
}

static void test_create_get_update_delete(void)
{
    const char *r = gql("mutation { createBlog(input: {id: \"b1\", name: \"Blog one\"}) { id name createdAt updatedAt "
                        "__typename } }",
                        NULL);
    CHECK_STR(at(r, "data.createBlog.id"), "b1");
    CHECK_STR(at(r, "data.createBlog.name"), "Blog one");
    CHECK_STR(at(r, "data.createBlog.__typename"), "Blog");
    CHECK(is_aws_datetime_ms(at(r, "data.createBlog.createdAt")));
    CHECK_STR(at(r, "data.createBlog.createdAt"), at(r, "data.createBlog.updatedAt"));
    CHECK_STR(at(r, "errors"), "(missing)");

    /* an embedded (non-model) type is stored as jsonb and read back field by field */
    r = gql("mutation { updateBlog(input: {id: \"b1\", address: {street: \"1 Main St\", zip: 12345}}) { address { "
            "street city zip } } }",
            NULL);
    CHECK_STR(at(r, "data.updateBlog.address"), "{\"street\":\"1 Main St\",\"city\":null,\"zip\":12345}");
    CHECK_STR(sql_value("SELECT address->>'street' FROM \"Blog\" WHERE id = 'b1'"), "1 Main St");

    /* every stored type, a generated id, the @default, a client-chosen timestamp */
    r = gql("mutation($in: CreatePostInput!) { createPost(input: $in) { id title rating score published tags status "
            "meta views blogId createdAt updatedAt } }",
            "{\"in\": {\"title\": \"Hello\", \"rating\": 5, \"score\": 2.5, \"published\": true, \"tags\": [\"a\", "
            "\"b\"], \"meta\": \"{\\\"k\\\":[1,2]}\", \"views\": 1714560000123, \"blogId\": \"b1\", "
            "\"createdAt\": \"2024-05-01T10:00:00.000Z\"}}");
    CHECK_STR(at(r, "errors"), "(missing)");
    const char *id = at(r, "data.createPost.id");
    CHECK(is_uuid(id));
    CHECK_STR(at(r, "data.createPost.title"), "Hello");
    CHECK_STR(at(r, "data.createPost.rating"), "5");
    CHECK_STR(at(r, "data.createPost.score"), "2.5");
    CHECK_STR(at(r, "data.createPost.published"), "true");
    CHECK_STR(at(r, "data.createPost.tags"), "[\"a\",\"b\"]");
    CHECK_STR(at(r, "data.createPost.status"), "DRAFT");
    CHECK_STR(at(r, "data.createPost.meta"), "{\"k\":[1,2]}"); /* AWSJSON comes back as a string */
    CHECK_STR(at(r, "data.createPost.views"), "1714560000123");
    CHECK_STR(at(r, "data.createPost.createdAt"), "2024-05-01T10:00:00.000Z");
    CHECK(is_aws_datetime_ms(at(r, "data.createPost.updatedAt")));

    char query[512];
    snprintf(query, sizeof query, "{ getPost(id: \"%s\") { id title status blog { id name } } }", id);
    r = gql(query, NULL);
    CHECK_STR(at(r, "data.getPost.title"), "Hello");
    CHECK_STR(at(r, "data.getPost.blog.name"), "Blog one");
    r = gql("{ getPost(id: \"nope\") { id } }", NULL);
    CHECK_STR(r, "{\"data\":{\"getPost\":null}}");

    /* update: only the given fields change, null clears, updatedAt moves, createdAt stays */
    char vars[512];
    snprintf(vars, sizeof vars, "{\"in\": {\"id\": \"%s\", \"title\": \"Hello again\", \"rating\": null}}", id);
    r = gql("mutation($in: UpdatePostInput!) { updatePost(input: $in) { id title rating score createdAt updatedAt } }",
            vars);
    CHECK_STR(at(r, "data.updatePost.title"), "Hello again");
    CHECK_STR(at(r, "data.updatePost.rating"), "null");
    CHECK_STR(at(r, "data.updatePost.score"), "2.5");
    CHECK_STR(at(r, "data.updatePost.createdAt"), "2024-05-01T10:00:00.000Z");
    CHECK(strcmp(at(r, "data.updatePost.updatedAt"), "2024-05-01T10:00:00.000Z") > 0);

    /* a create with a duplicate key fails like a conditional check */
    snprintf(vars, sizeof vars, "{\"in\": {\"id\": \"%s\", \"title\": \"dup\"}}", id);
    r = gql("mutation($in: CreatePostInput!) { createPost(input: $in) { id } }", vars);
    CHECK_STR(at(r, "data.createPost"), "null");
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(at(r, "errors.0.message"), "The conditional request failed");
    CHECK_STR(at(r, "errors.0.path"), "[\"createPost\"]");

    /* delete returns the row; a second delete finds nothing */
    snprintf(vars, sizeof vars, "{\"in\": {\"id\": \"%s\"}}", id);
    r = gql("mutation($in: DeletePostInput!) { deletePost(input: $in) { id title } }", vars);
    CHECK_STR(at(r, "data.deletePost.title"), "Hello again");
    r = gql("mutation($in: DeletePostInput!) { deletePost(input: $in) { id title } }", vars);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    /* update of a missing row */
    r = gql("mutation { updatePost(input: {id: \"missing\", title: \"x\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    free_responses();
}

static void test_conditions(void)
{
    const char *r = gql("mutation { createPost(input: {id: \"c1\", title: \"Cond\", rating: 3}) { id } }", NULL);
    CHECK_STR(at(r, "data.createPost.id"), "c1");
    r = gql("mutation { updatePost(input: {id: \"c1\", title: \"No\"}, condition: {rating: {gt: 3}}) { id title } }",
            NULL);
    CHECK_STR(at(r, "data.updatePost"), "null");
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(sql_value("SELECT title FROM \"Post\" WHERE id = 'c1'"), "Cond");
    r = gql("mutation { updatePost(input: {id: \"c1\", title: \"Yes\"}, condition: {rating: {eq: 3}, title: "
            "{beginsWith: \"Co\"}}) { title } }",
            NULL);
    CHECK_STR(at(r, "data.updatePost.title"), "Yes");
    r = gql("mutation { deletePost(input: {id: \"c1\"}, condition: {not: {title: {eq: \"Yes\"}}}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Post\" WHERE id = 'c1'"), "1");
    r = gql("mutation { deletePost(input: {id: \"c1\"}, condition: {title: {eq: \"Yes\"}}) { id } }", NULL);
    CHECK_STR(at(r, "data.deletePost.id"), "c1");
    /* create's condition sees no item: attributeExists false holds, eq does not */
    r = gql("mutation { createPost(input: {id: \"c2\", title: \"T\"}, condition: {title: {attributeExists: false}}) "
            "{ id } }",
            NULL);
    CHECK_STR(at(r, "data.createPost.id"), "c2");
    r = gql("mutation { createPost(input: {id: \"c3\", title: \"T\"}, condition: {title: {eq: \"T\"}}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Post\" WHERE id = 'c3'"), "0");
    /* a condition naming a field that cannot be filtered */
    r = gql("mutation { updatePost(input: {id: \"c2\"}, condition: {and: [{title: {eq: \"T\"}}, {or: []}]}) { id } }",
            NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DynamoDB:ConditionalCheckFailedException");
    exec_sql("DELETE FROM \"Post\"");
    free_responses();
}

/* ---- filters through list ---- */

static const char *ids_of(const char *filter_json)
{
    char vars[2048];
    snprintf(vars, sizeof vars, "{\"f\": %s}", filter_json);
    const char *r =
        gql("query($f: ModelPostFilterInput) { listPosts(filter: $f, limit: 1000) { items { id } } }", vars);
    if (strcmp(at(r, "errors"), "(missing)") != 0) return at(r, "errors.0.message");
    int n = array_size(r, "data.listPosts.items");
    char *out = calloc(1, 1024);
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "data.listPosts.items.%d.id", i);
        if (i) strcat(out, ",");
        strncat(out, at(r, path), 1000 - strlen(out));
    }
    if (kept_count < sizeof kept / sizeof *kept) kept[kept_count++] = out;
    return out;
}

static void test_filters(void)
{
    exec_sql("INSERT INTO \"Post\" (id, title, rating, score, published, tags, status, views) VALUES "
             "('f1', 'apple pie', 1, 1.5, true, '{x,y}', 'DRAFT', 100),"
             "('f2', 'banana', 2, 2.5, false, '{y}', 'PUBLISHED', 200),"
             "('f3', 'cherry', 3, NULL, NULL, '{}', 'PUBLISHED', NULL),"
             "('f4', 'apple tart', NULL, 4.0, true, NULL, NULL, 400)");
    CHECK_STR(ids_of("{\"title\": {\"eq\": \"banana\"}}"), "f2");
    CHECK_STR(ids_of("{\"title\": {\"ne\": \"banana\"}}"), "f1,f3,f4");
    CHECK_STR(ids_of("{\"rating\": {\"ne\": 2}}"), "f1,f3,f4");
    CHECK_STR(ids_of("{\"rating\": {\"le\": 2}}"), "f1,f2");
    CHECK_STR(ids_of("{\"rating\": {\"lt\": 2}}"), "f1");
    CHECK_STR(ids_of("{\"rating\": {\"ge\": 2}}"), "f2,f3");
    CHECK_STR(ids_of("{\"rating\": {\"gt\": 2}}"), "f3");
    CHECK_STR(ids_of("{\"rating\": {\"between\": [2, 3]}}"), "f2,f3");
    CHECK_STR(ids_of("{\"score\": {\"gt\": 2.0}}"), "f2,f4");
    CHECK_STR(ids_of("{\"score\": {\"between\": [1.5, 2.5]}}"), "f1,f2");
    CHECK_STR(ids_of("{\"views\": {\"ge\": 200}}"), "f2,f4");
    CHECK_STR(ids_of("{\"title\": {\"contains\": \"apple\"}}"), "f1,f4");
    CHECK_STR(ids_of("{\"title\": {\"notContains\": \"apple\"}}"), "f2,f3");
    CHECK_STR(ids_of("{\"title\": {\"beginsWith\": \"apple t\"}}"), "f4");
    CHECK_STR(ids_of("{\"title\": {\"between\": [\"b\", \"c\"]}}"), "f2");
    CHECK_STR(ids_of("{\"title\": {\"size\": {\"eq\": 6}}}"), "f2,f3");
    CHECK_STR(ids_of("{\"tags\": {\"contains\": \"y\"}}"), "f1,f2");
    CHECK_STR(ids_of("{\"tags\": {\"notContains\": \"x\"}}"),
              "f2,f3,f4"); /* NOT contains() holds where tags is absent */
    CHECK_STR(ids_of("{\"tags\": {\"size\": {\"ge\": 1}}}"), "f1,f2");
    CHECK_STR(ids_of("{\"published\": {\"eq\": true}}"), "f1,f4");
    CHECK_STR(ids_of("{\"published\": {\"ne\": true}}"), "f2,f3");
    CHECK_STR(ids_of("{\"published\": {\"attributeExists\": false}}"), "f3");
    CHECK_STR(ids_of("{\"rating\": {\"attributeExists\": true}}"), "f1,f2,f3");
    CHECK_STR(ids_of("{\"score\": {\"attributeType\": \"number\"}}"), "f1,f2,f4");
    CHECK_STR(ids_of("{\"status\": {\"eq\": \"PUBLISHED\"}}"), "f2,f3");
    CHECK_STR(ids_of("{\"status\": {\"ne\": \"PUBLISHED\"}}"), "f1,f4");
    CHECK_STR(ids_of("{\"or\": [{\"rating\": {\"eq\": 1}}, {\"title\": {\"eq\": \"cherry\"}}]}"), "f1,f3");
    CHECK_STR(ids_of("{\"and\": [{\"published\": {\"eq\": true}}, {\"score\": {\"gt\": 2}}]}"), "f4");
    CHECK_STR(ids_of("{\"not\": {\"title\": {\"contains\": \"apple\"}}}"), "f2,f3");
    CHECK_STR(ids_of("{\"or\": []}"), "");
    CHECK_STR(ids_of("{\"and\": []}"), "f1,f2,f3,f4");
    const char *r = gql("{ listPosts(filter: {rating: {between: [1]}}) { items { id } } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "Unrecognized Filter");
    CHECK_STR(at(r, "data.listPosts"), "null");
    exec_sql("DELETE FROM \"Post\"");
    free_responses();
}

/* ---- pagination ---- */

static void test_pagination(void)
{
    exec_sql("INSERT INTO \"Post\" (id, title) VALUES ('pp', 'paged')");
    exec_sql("INSERT INTO comment_rows (id, \"postId\", body) SELECT 'k' || lpad(i::text, 4, '0'), 'pp', 'c' || i "
             "FROM generate_series(1, 1000) i");
    /* forward through 1000 rows, 37 at a time */
    char *seen = calloc(1000, 1);
    int total = 0, pages = 0, dupes = 0, out_of_order = 0;
    char last[64] = "", token[1024] = "";
    char first_token[1024] = "";
    do {
        char vars[1200];
        if (token[0])
            snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", token);
        else
            snprintf(vars, sizeof vars, "{\"t\": null}");
        const char *r = gql("query($t: String) { listComments(limit: 37, nextToken: $t) { items { id content } "
                            "nextToken } }",
                            vars);
        int n = array_size(r, "data.listComments.items");
        if (n < 0) {
            fprintf(stderr, "page failed: %s\n", r);
            break;
        }
        for (int i = 0; i < n; i++) {
            char path[64];
            snprintf(path, sizeof path, "data.listComments.items.%d.id", i);
            const char *cid = at(r, path);
            int k = atoi(cid + 1);
            if (k >= 1 && k <= 1000) {
                dupes += seen[k - 1];
                seen[k - 1] = 1;
            }
            out_of_order += strcmp(cid, last) <= 0;
            snprintf(last, sizeof last, "%s", cid);
            total++;
        }
        const char *next = at(r, "data.listComments.nextToken");
        snprintf(token, sizeof token, "%s", strcmp(next, "null") == 0 ? "" : next);
        if (pages == 0) snprintf(first_token, sizeof first_token, "%s", token);
        pages++;
        free_responses();
    } while (token[0] && pages < 100);
    int missing = 0;
    for (int i = 0; i < 1000; i++)
        missing += !seen[i];
    CHECK_INT(total, 1000);
    CHECK_INT(pages, 28); /* 27 full pages and one of 1 */
    CHECK_INT(dupes, 0);
    CHECK_INT(missing, 0);
    CHECK_INT(out_of_order, 0);
    free(seen);

    /* an exact last page has no nextToken */
    const char *r = gql("{ listPosts(limit: 1) { items { id } nextToken } }", NULL);
    CHECK_STR(at(r, "data.listPosts.nextToken"), "null");

    /* tampered, foreign and garbage tokens are refused */
    char vars[1200];
    char tampered[1024];
    snprintf(tampered, sizeof tampered, "%s", first_token);
    tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
    snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", tampered);
    r = gql("query($t: String) { listComments(limit: 5, nextToken: $t) { items { id } } }", vars);
    CHECK_STR(at(r, "errors.0.errorType"), "UserIllegalArgumentException");
    CHECK_STR(at(r, "errors.0.message"), "Invalid pagination token given.");
    CHECK_STR(at(r, "data.listComments"), "null");
    snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", first_token);
    r = gql("query($t: String) { listPosts(limit: 5, nextToken: $t) { items { id } } }", vars);
    CHECK_STR(at(r, "errors.0.errorType"), "UserIllegalArgumentException"); /* issued for another list */
    r = gql("{ listComments(nextToken: \"'; DROP TABLE comment_rows; --\") { items { id } } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "UserIllegalArgumentException");
    /* the default page is 100 */
    r = gql("{ listComments { items { id } nextToken } }", NULL);
    CHECK_INT(array_size(r, "data.listComments.items"), 100);
    CHECK(strcmp(at(r, "data.listComments.nextToken"), "null") != 0);
    /* nested connections page too */
    r = gql("{ getPost(id: \"pp\") { comments(limit: 2) { items { id } nextToken } } }", NULL);
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"k0001\"},{\"id\":\"k0002\"}]");
    snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", at(r, "data.getPost.comments.nextToken"));
    r = gql("query($t: String) { getPost(id: \"pp\") { comments(limit: 2, nextToken: $t) { items { id } } } }", vars);
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"k0003\"},{\"id\":\"k0004\"}]");
    r = gql("{ getPost(id: \"pp\") { comments(limit: 2, sortDirection: DESC) { items { id } nextToken } } }", NULL);
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"k1000\"},{\"id\":\"k0999\"}]");
    snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", at(r, "data.getPost.comments.nextToken"));
    r = gql(
        "query($t: String) { getPost(id: \"pp\") { comments(limit: 2, sortDirection: DESC, nextToken: $t) { items { "
        "id } } } }",
        vars);
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"k0998\"},{\"id\":\"k0997\"}]");
    r = gql("{ listComments(limit: 0) { items { id } } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    exec_sql("DELETE FROM comment_rows");
    exec_sql("DELETE FROM \"Post\"");
    free_responses();
}

/* ---- relations: one round trip, a fixed number of statements ---- */

static void seed_posts(int count, int comments_each)
{
    char sql[512];
    exec_sql("DELETE FROM comment_rows");
    exec_sql("DELETE FROM \"Post\"");
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Post\" (id, title, \"blogId\") SELECT 'p' || lpad(i::text, 4, '0'), 'Post ' || i, 'b1' "
             "FROM generate_series(1, %d) i",
             count);
    exec_sql(sql);
    snprintf(sql, sizeof sql,
             "INSERT INTO comment_rows (id, \"postId\", body) SELECT 'c' || lpad(i::text, 4, '0') || '-' || j, 'p' || "
             "lpad(i::text, 4, '0'), 'comment ' || j FROM generate_series(1, %d) i, generate_series(1, %d) j",
             count, comments_each);
    exec_sql(sql);
}

static void test_nested_three_deep(void)
{
    seed_posts(3, 2);
    gg_pg_pool_stats before = stats();
    const char *r = gql("{ getBlog(id: \"b1\") { name posts { items { id title comments { items { id content post { "
                        "title blog { name } } } } } } } }",
                        NULL);
    gg_pg_pool_stats after = stats();
    CHECK_INT(after.round_trips - before.round_trips, 1);
    CHECK_INT(after.statements - before.statements, 1);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.getBlog.name"), "Blog one");
    CHECK_INT(array_size(r, "data.getBlog.posts.items"), 3);
    CHECK_STR(at(r, "data.getBlog.posts.items.1.comments.items.0.content"), "comment 1");
    CHECK_STR(at(r, "data.getBlog.posts.items.1.comments.items.1.post.title"), "Post 2");
    CHECK_STR(at(r, "data.getBlog.posts.items.2.comments.items.1.post.blog.name"), "Blog one");

    /* aliases of one relation with different arguments, fragments, @include */
    r = gql("query($yes: Boolean!) { getPost(id: \"p0002\") { ...F first: comments(limit: 1) { items { id } } "
            "last: comments(limit: 1, sortDirection: DESC) { items { id content @include(if: $yes) } } } } "
            "fragment F on Post { title ... on Post { blog { name } } }",
            "{\"yes\": true}");
    CHECK_STR(at(r, "data.getPost.title"), "Post 2");
    CHECK_STR(at(r, "data.getPost.blog.name"), "Blog one");
    CHECK_STR(at(r, "data.getPost.first.items"), "[{\"id\":\"c0002-1\"}]");
    CHECK_STR(at(r, "data.getPost.last.items"), "[{\"id\":\"c0002-2\",\"content\":\"comment 2\"}]");
    /* two aliases of items asking for one relation with different arguments */
    r = gql("{ getBlog(id: \"b1\") { posts(limit: 1) { a: items { id c: comments(limit: 1) { items { id } } } "
            "b: items { c: comments(limit: 1, sortDirection: DESC) { items { id } } } "
            "d: items { c: comments(limit: 1) { items { content } } } } } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.getBlog.posts.a.0.c.items"), "[{\"id\":\"c0001-1\"}]");
    CHECK_STR(at(r, "data.getBlog.posts.b.0.c.items"), "[{\"id\":\"c0001-2\"}]");
    CHECK_STR(at(r, "data.getBlog.posts.d.0.c.items"), "[{\"content\":\"comment 1\"}]");
    /* aliases of items giving one response name to different fields: each gets its own */
    r = gql("{ getBlog(id: \"b1\") { posts(limit: 2) { items { x: comments(limit: 1) { items { id } } } "
            "i2: items { x: blog { name } } i3: items { x: title } } } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.getBlog.posts.items.0.x.items"), "[{\"id\":\"c0001-1\"}]");
    CHECK_STR(at(r, "data.getBlog.posts.i2.1.x"), "{\"name\":\"Blog one\"}");
    CHECK_STR(at(r, "data.getBlog.posts.i3.1.x"), "Post 2");
    /* nested filters */
    r = gql("{ getPost(id: \"p0001\") { comments(filter: {content: {eq: \"comment 2\"}}) { items { id } } } }", NULL);
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"c0001-2\"}]");
    /* a parent the planner did not load: the relation runs its own statement */
    r = gql("{ latestPost { title blog { name posts(limit: 1) { items { id } } } } }", NULL);
    CHECK_STR(at(r, "data.latestPost.blog.name"), "Blog one");
    CHECK_STR(at(r, "data.latestPost.blog.posts.items"), "[{\"id\":\"p0001\"}]");
    free_responses();
}

static void test_no_n_plus_one(void)
{
    const char *query = "{ listPosts { items { id comments { items { id } } } } }";
    seed_posts(10, 3);
    gg_pg_pool_stats before = stats();
    const char *r = gql(query, NULL);
    gg_pg_pool_stats mid = stats();
    CHECK_INT(array_size(r, "data.listPosts.items"), 10);
    CHECK_INT(array_size(r, "data.listPosts.items.9.comments.items"), 3);
    seed_posts(100, 3);
    gg_pg_pool_stats mid2 = stats();
    r = gql(query, NULL);
    gg_pg_pool_stats after = stats();
    CHECK_INT(array_size(r, "data.listPosts.items"), 100);
    CHECK_INT(array_size(r, "data.listPosts.items.99.comments.items"), 3);
    CHECK_INT(mid.round_trips - before.round_trips, 1);
    CHECK_INT(after.round_trips - mid2.round_trips, 1);
    CHECK_INT(mid.statements - before.statements, after.statements - mid2.statements);
    CHECK_INT(after.statements - mid2.statements, 1);
    free_responses();
}

static void test_many_to_many_and_has_one(void)
{
    exec_sql("INSERT INTO \"Profile\" (id, bio) VALUES ('pr1', 'writes a lot')");
    exec_sql("INSERT INTO \"User\" (id, name, \"profileId\") VALUES ('u1', 'Ann', 'pr1'), ('u2', 'Bob', NULL)");
    exec_sql("INSERT INTO \"PostEditors\" (id, \"postId\", \"userId\") VALUES ('e1', 'p0001', 'u1'), "
             "('e2', 'p0001', 'u2'), ('e3', 'p0002', 'u1')");
    gg_pg_pool_stats before = stats();
    const char *r = gql("{ getPost(id: \"p0001\") { editors { items { user { name profile { bio } posts { items { "
                        "post { title } } } } } } } }",
                        NULL);
    gg_pg_pool_stats after = stats();
    CHECK_INT(after.round_trips - before.round_trips, 1);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.getPost.editors.items.0.user.name"), "Ann");
    CHECK_STR(at(r, "data.getPost.editors.items.0.user.profile.bio"), "writes a lot");
    CHECK_STR(at(r, "data.getPost.editors.items.1.user.profile"), "null");
    CHECK_STR(at(r, "data.getPost.editors.items.0.user.posts.items"),
              "[{\"post\":{\"title\":\"Post 1\"}},{\"post\":{\"title\":\"Post 2\"}}]");
    r = gql("{ getUser(id: \"u2\") { name posts(filter: {postId: {eq: \"p0001\"}}) { items { id } } } }", NULL);
    CHECK_STR(at(r, "data.getUser.posts.items"), "[{\"id\":\"e2\"}]");
    exec_sql("DELETE FROM \"PostEditors\"");
    free_responses();
}

/* Relations selected under a mutation's result show the data after the write, as AppSync's
 * resolvers (which run after the write) do. The rows plan reads the written table through a
 * view of it after the write; the JSON plan shows the tables as they were before (plan.h). */
static void test_mutation_answer_sees_its_write(void)
{
    seed_posts(2, 2);
    const char *r = gql("mutation { updatePost(input: {id: \"p0002\", title: \"Renamed\"}) { title "
                        "comments { items { id post { title } } } } }",
                        NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.updatePost.title"), "Renamed");
    const char *expect_rows = "Renamed", *expect_json = "Post 2";
    CHECK_STR(at(r, "data.updatePost.comments.items.1.post.title"),
              plan_under_test == GG_PG_PLAN_ROWS ? expect_rows : expect_json);
    r = gql("mutation { createComment(input: {id: \"c-new\", postId: \"p0001\", content: \"fresh\"}) { id "
            "post { comments { items { id content } } } } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_INT(array_size(r, "data.createComment.post.comments.items"), plan_under_test == GG_PG_PLAN_ROWS ? 3 : 2);
    r = gql("mutation { deleteComment(input: {id: \"c0001-1\"}) { id post { comments { items { id } } } } }", NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    if (plan_under_test == GG_PG_PLAN_ROWS)
        CHECK_STR(at(r, "data.deleteComment.post.comments.items"), "[{\"id\":\"c-new\"},{\"id\":\"c0001-2\"}]");
    free_responses();
}

/* ---- both plans give the same answers ---- */

/* Every query here is answered by the plan under test and by the other plan (plan.h); the
 * responses must be the same bytes. The queries reach what differs between them: every storage
 * type inside nested levels, @belongsTo shared by many rows (and a to-many relation under it),
 * nextToken at the root and nested, empty pages and missing rows, @index and composite keys,
 * @manyToMany with @hasOne under it, and a mutation selecting relations. */
static void test_plans_agree(void)
{
    seed_posts(4, 3);
    exec_sql("UPDATE \"Post\" SET rating = 3, score = 2.5, published = true, tags = '{a,b}', "
             "meta = '{\"k\": [1, 2.5, null]}', views = 1714560000123, status = 'DRAFT' WHERE id = 'p0001'");
    exec_sql("UPDATE \"Post\" SET rating = 5, score = 3, published = false, status = 'DRAFT' WHERE id = 'p0002'");
    exec_sql("INSERT INTO \"Blog\" (id, name, address) VALUES ('b2', 'Blog two', '{\"city\": \"Oslo\"}')");
    exec_sql("UPDATE \"Post\" SET \"blogId\" = 'b2' WHERE id = 'p0004'");
    exec_sql("INSERT INTO \"Profile\" (id, bio) VALUES ('pa1', 'agrees')");
    exec_sql("INSERT INTO \"User\" (id, name, \"profileId\") VALUES ('ua1', 'Ada', 'pa1'), ('ua2', 'Ben', NULL)");
    exec_sql("INSERT INTO \"PostEditors\" (id, \"postId\", \"userId\") VALUES ('ea1', 'p0001', 'ua1'), "
             "('ea2', 'p0001', 'ua2'), ('ea3', 'p0002', 'ua1')");
    exec_sql("DELETE FROM \"Score\"");
    exec_sql("INSERT INTO \"Score\" (game, player, points) VALUES ('g1', 'amy', 3), ('g1', 'bob', 9), "
             "('g1', 'cat', 1), ('g2', 'dan', 4)");
    static const char *const queries[] = {
        "{ listPosts(limit: 3) { items { id title rating score published tags meta views status "
        "blog { name address { city zip } posts(limit: 2) { items { id published } nextToken } } "
        "comments(limit: 2) { items { id content post { title comments { items { id } } } } nextToken } } "
        "nextToken } }",
        "{ listComments(limit: 7) { items { id post { id blog { name } editors { items { user { name "
        "profile { bio } } } } } } nextToken } }",
        "{ getPost(id: \"p0001\") { title editors { items { user { name profile { bio } posts { items { "
        "post { title } } } } } } } }",
        "{ getPost(id: \"nope\") { id comments { items { id } } } }",
        "{ listPosts(filter: {title: {eq: \"none\"}}) { items { id blog { name } } nextToken } }",
        "{ listPosts(limit: 2) { nextToken } }",
        "{ postsByStatus(status: DRAFT, rating: {gt: 1}, sortDirection: DESC, limit: 1) { items { id rating "
        "comments(sortDirection: DESC) { items { id } } } nextToken } }",
        "{ listScores(game: \"g1\", sortDirection: DESC, limit: 2) { items { player points } nextToken } }",
        "{ getBlog(id: \"b2\") { name posts { items { id blog { name posts { items { title } } } } } } }",
        "{ getBlog(id: \"b1\") { p: posts(limit: 1) { items { a: comments(limit: 1) { items { id } } "
        "b: comments(sortDirection: DESC, limit: 1) { items { id } } } } q: posts(filter: {rating: {ge: 4}}) { "
        "items { id } } } }",
        "mutation { updatePost(input: {id: \"p0003\", rating: 8}) { id rating blog { name } "
        "comments { items { id } } } }",
        "mutation { deletePost(input: {id: \"p0001\"}, condition: {rating: {gt: 100}}) { id } }",
    };
    gg_schema *mine = schema;
    gg_schema *other = make_schema(plan_under_test == GG_PG_PLAN_ROWS ? GG_PG_PLAN_JSON : GG_PG_PLAN_ROWS);
    for (unsigned i = 0; i < sizeof queries / sizeof *queries; i++) {
        schema = mine;
        const char *a = gql(queries[i], NULL);
        schema = other;
        const char *b = gql(queries[i], NULL);
        if (strcmp(a, b) != 0) fprintf(stderr, "query %u: the plans differ:\n  %s\n  %s\n", i, a, b);
        CHECK_STR(a, b);
        CHECK(strstr(queries[i], "condition") != NULL || strstr(a, "\"errors\"") == NULL);
    }
    schema = mine;
    gg_schema_free(other);
    exec_sql("DELETE FROM \"PostEditors\"");
    exec_sql("DELETE FROM \"Score\"");
    free_responses();
}

/* ---- many statements in flight at once ---- */

static void test_concurrent(void)
{
    seed_posts(30, 1);
    /* 30 root fields of one query run at once (pipelined on the pool) and land in their places */
    gg_buf q;
    gg_buf_init(&q);
    gg_buf_puts(&q, "{");
    for (int i = 1; i <= 30; i++)
        gg_buf_printf(&q, " p%d: getPost(id: \"p%04d\") { title comments { items { content } } }", i, i);
    gg_buf_puts(&q, " }");
    gg_pg_pool_stats before = stats();
    const char *r = gql(q.data, NULL);
    gg_pg_pool_stats after = stats();
    CHECK_INT(after.statements - before.statements, 30);
    int right = 0;
    for (int i = 1; i <= 30; i++) {
        char path[64], expect[32];
        snprintf(path, sizeof path, "data.p%d.title", i);
        snprintf(expect, sizeof expect, "Post %d", i);
        right += strcmp(at(r, path), expect) == 0;
    }
    CHECK_INT(right, 30);
    gg_buf_free(&q);

    /* 40 requests at once on the same loop, each completing on its own */
    enum { N = 40 };
    gg_arena arenas[N];
    done_state states[N];
    char queries[N][96];
    for (int i = 0; i < N; i++) {
        gg_arena_init(&arenas[i]);
        memset(&states[i], 0, sizeof states[i]);
        gg_buf_init(&states[i].out);
        snprintf(queries[i], sizeof queries[i], "{ getPost(id: \"p%04d\") { title } }", i % 30 + 1);
        gg_graphql_request req = {.schema = schema,
                                  .query = queries[i],
                                  .query_len = strlen(queries[i]),
                                  .context = &request_ctx,
                                  .arena = &arenas[i],
                                  .on_complete = on_complete,
                                  .user = &states[i]};
        gg_graphql_start(&req);
    }
    CHECK(run_until(&states[N - 1].done, 20));
    int good = 0;
    for (int i = 0; i < N; i++) {
        run_until(&states[i].done, 5);
        char expect[64];
        snprintf(expect, sizeof expect, "{\"data\":{\"getPost\":{\"title\":\"Post %d\"}}}", i % 30 + 1);
        good += states[i].done && strcmp(states[i].out.data, expect) == 0;
        gg_buf_free(&states[i].out);
        gg_arena_free(&arenas[i]);
    }
    CHECK_INT(good, N);
    free_responses();
}

/* ---- @index and composite primary keys ---- */

static void test_index_and_sort_keys(void)
{
    exec_sql("DELETE FROM comment_rows");
    exec_sql("DELETE FROM \"Post\"");
    exec_sql("INSERT INTO \"Post\" (id, title, status, rating) VALUES ('i1', 'a', 'PUBLISHED', 5), ('i2', 'b', "
             "'PUBLISHED', 1), ('i3', 'c', 'PUBLISHED', 3), ('i4', 'd', 'DRAFT', 2), ('i5', 'e', 'PUBLISHED', NULL)");
    const char *r = gql("{ postsByStatus(status: PUBLISHED) { items { id } } }", NULL);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"i2\"},{\"id\":\"i3\"},{\"id\":\"i1\"}]");
    r = gql("{ postsByStatus(status: PUBLISHED, sortDirection: DESC, limit: 2) { items { id } nextToken } }", NULL);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"i1\"},{\"id\":\"i3\"}]");
    char vars[1200];
    snprintf(vars, sizeof vars, "{\"t\": \"%s\"}", at(r, "data.postsByStatus.nextToken"));
    r = gql("query($t: String) { postsByStatus(status: PUBLISHED, sortDirection: DESC, limit: 2, nextToken: $t) { "
            "items { id } nextToken } }",
            vars);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"i2\"}]");
    CHECK_STR(at(r, "data.postsByStatus.nextToken"), "null");
    /* the same token in the other direction is refused */
    r = gql("query($t: String) { postsByStatus(status: PUBLISHED, limit: 2, nextToken: $t) { items { id } } }", vars);
    CHECK_STR(at(r, "errors.0.errorType"), "UserIllegalArgumentException");
    r = gql("{ postsByStatus(status: PUBLISHED, rating: {between: [2, 5]}) { items { id } } }", NULL);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"i3\"},{\"id\":\"i1\"}]");
    r = gql("{ postsByStatus(status: PUBLISHED, rating: {lt: 5}, filter: {title: {ne: \"b\"}}) { items { id } } }",
            NULL);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"i3\"}]");

    r = gql("mutation { a: createScore(input: {game: \"chess\", player: \"ann\", points: 3}) { game player } "
            "b: createScore(input: {game: \"chess\", player: \"bob\", points: 5}) { player } "
            "c: createScore(input: {game: \"chess\", player: \"cid\", points: 1}) { player } "
            "d: createScore(input: {game: \"go\", player: \"ann\", points: 9}) { player } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.a"), "{\"game\":\"chess\",\"player\":\"ann\"}");
    r = gql("{ getScore(game: \"chess\", player: \"bob\") { points } }", NULL);
    CHECK_STR(at(r, "data.getScore.points"), "5");
    r = gql("{ listScores(game: \"chess\", sortDirection: DESC) { items { player } } }", NULL);
    CHECK_STR(at(r, "data.listScores.items"), "[{\"player\":\"cid\"},{\"player\":\"bob\"},{\"player\":\"ann\"}]");
    r = gql("{ listScores(game: \"chess\", player: {beginsWith: \"b\"}) { items { player } } }", NULL);
    CHECK_STR(at(r, "data.listScores.items"), "[{\"player\":\"bob\"}]");
    r = gql("{ listScores(game: \"chess\", player: {gt: \"ann\"}) { items { player } } }", NULL);
    CHECK_STR(at(r, "data.listScores.items"), "[{\"player\":\"bob\"},{\"player\":\"cid\"}]");
    r = gql("{ listScores { items { game player } } }", NULL);
    CHECK_INT(array_size(r, "data.listScores.items"), 4);
    r = gql("mutation { updateScore(input: {game: \"go\", player: \"ann\", points: 10}, condition: {points: {eq: 9}}) "
            "{ points } }",
            NULL);
    CHECK_STR(at(r, "data.updateScore.points"), "10");
    r = gql("mutation { deleteScore(input: {game: \"go\", player: \"ann\"}) { game } }", NULL);
    CHECK_STR(at(r, "data.deleteScore.game"), "go");
    free_responses();
}

/* ---- injection attempts stay values ---- */

static void test_injection_is_inert(void)
{
    static const char evil[] = "x'); DROP TABLE \\\"Post\\\"; --";
    static const char evil_stored[] = "x'); DROP TABLE \"Post\"; --";
    char vars[1024];
    snprintf(vars, sizeof vars,
             "{\"in\": {\"id\": \"%s\", \"title\": \"%s\", \"tags\": [\"%s\"], \"meta\": \"{\\\"a\\\": \\\"%s\\\"}\"}}",
             evil, evil, evil, "'; DROP TABLE x; --");
    const char *r = gql("mutation($in: CreatePostInput!) { createPost(input: $in) { id title tags } }", vars);
    CHECK_STR(at(r, "data.createPost.id"), evil_stored);
    CHECK_STR(at(r, "data.createPost.title"), evil_stored);
    snprintf(vars, sizeof vars,
             "{\"id\": \"%s\", \"f\": {\"title\": {\"eq\": \"%s\"}, \"or\": [{\"tags\": "
             "{\"contains\": \"%s\"}}]}}",
             evil, evil, evil);
    r = gql("query($id: ID!, $f: ModelPostFilterInput) { getPost(id: $id) { title } listPosts(filter: $f) { items { "
            "id } } }",
            vars);
    CHECK_STR(at(r, "data.getPost.title"), evil_stored);
    CHECK_INT(array_size(r, "data.listPosts.items"), 1);
    snprintf(vars, sizeof vars,
             "{\"in\": {\"id\": \"%s\", \"title\": \"t\"}, \"c\": {\"title\": {\"beginsWith\": "
             "\"%s\"}}}",
             evil, evil);
    r = gql("mutation($in: UpdatePostInput!, $c: ModelPostConditionInput) { updatePost(input: $in, condition: $c) { "
            "title } }",
            vars);
    CHECK_STR(at(r, "data.updatePost.title"), "t");
    r = gql("{ postsByStatus(status: DRAFT, rating: {gt: 1}, filter: {title: {contains: \"%' OR 1=1 --\"}}) { items { "
            "id } } }",
            NULL);
    CHECK_INT(array_size(r, "data.postsByStatus.items"), 0);
    r = gql("{ listScores(game: \"' OR '1'='1\", player: {beginsWith: \"%\"}) { items { game } } }", NULL);
    CHECK_INT(array_size(r, "data.listScores.items"), 0);
    CHECK_STR(sql_value("SELECT count(*) FROM \"Post\" WHERE title = 't'"), "1");
    CHECK_STR(sql_value("SELECT to_regclass('\"Post\"')::text"), "\"Post\"");
    exec_sql("DELETE FROM \"Post\"");
    free_responses();
}

/* ---- a model wider than json_build_object's 100 arguments ---- */

static void test_wide_model(void)
{
    enum { WIDE = 70 };
    static char names[WIDE][8];
    gg_amplify_catalog wide_catalog;
    memset(&wide_catalog, 0, sizeof wide_catalog);
    gg_arena_init(&wide_catalog.arena);
    gg_strmap_init(&wide_catalog.model_map, &wide_catalog.arena);
    gg_amplify_model *m = fx_model(&wide_catalog, "Wide", "Wides", NULL);
    m->fields = gg_arena_array(&wide_catalog.arena, WIDE + 1, sizeof *m->fields);
    m->created_at = m->updated_at = NULL;
    fx_scalar(m, "id", "ID")->is_primary_key = true;
    gg_buf sdl, selection, input;
    gg_buf_init(&sdl);
    gg_buf_init(&selection);
    gg_buf_init(&input);
    gg_buf_puts(&sdl, "type Wide { id: ID!");
    for (int i = 0; i < WIDE - 1; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        fx_scalar(m, names[i], i % 2 ? "Int" : "String");
        gg_buf_printf(&sdl, " %s: %s", names[i], i % 2 ? "Int" : "String");
        gg_buf_printf(&selection, " %s", names[i]);
        if (i % 2)
            gg_buf_printf(&input, ", %s: %d", names[i], i);
        else
            gg_buf_printf(&input, ", %s: \"v%d\"", names[i], i);
    }
    gg_buf_puts(&sdl, " }\ninput CreateWideInput { id: ID");
    for (int i = 0; i < WIDE - 1; i++)
        gg_buf_printf(&sdl, " %s: %s", names[i], i % 2 ? "Int" : "String");
    gg_buf_puts(&sdl, " }\ntype Query { getWide(id: ID!): Wide }\n"
                      "type Mutation { createWide(input: CreateWideInput!): Wide }\n");
    char error[512] = "";
    CHECK(gg_pg_migrate(db, &wide_catalog, false, NULL, GG_FAULT_INTO(error)));
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"wide.graphql", sdl.data, sdl.len};
    gg_schema *wide_schema = gg_schema_build(&src, 1, NULL, &errors);
    CHECK(wide_schema != NULL);
    if (wide_schema) {
        gg_pg_bind(wide_schema, &wide_catalog, NULL);
        gg_schema *saved = schema;
        schema = wide_schema;
        char *q = malloc(sdl.len + 4096);
        sprintf(q, "mutation { createWide(input: {id: \"w1\"%s}) { id%s } }", input.data, selection.data);
        const char *r = gql(q, NULL);
        CHECK_STR(at(r, "errors"), "(missing)");
        CHECK_STR(at(r, "data.createWide.f0"), "v0");
        CHECK_STR(at(r, "data.createWide.f67"), "67");
        sprintf(q, "{ getWide(id: \"w1\") { id%s } }", selection.data);
        r = gql(q, NULL);
        CHECK_STR(at(r, "data.getWide.f68"), "v68");
        CHECK_STR(at(r, "data.getWide.f1"), "1");
        /* response order is the selection's, whatever order jsonb keeps its keys in */
        CHECK(strstr(r, "{\"id\":\"w1\",\"f0\":\"v0\",\"f1\":1,\"f2\":\"v2\"") != NULL);
        free(q);
        schema = saved;
        gg_schema_free(wide_schema);
    }
    exec_sql("DROP TABLE \"Wide\"");
    gg_arena_free(&arena);
    gg_buf_free(&sdl);
    gg_buf_free(&selection);
    gg_buf_free(&input);
    gg_arena_free(&wide_catalog.arena);
    free_responses();
}

/* ---- failures a client sees ---- */

static void test_unavailable(void)
{
    gg_pg_request none = {.pool = NULL, .cursor_key = &cursor_key};
    char *r = gql_with(&none, "{ listPosts { items { id } } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "ServiceUnavailable");
    CHECK_STR(at(r, "data.listPosts"), "null");
    free(r);
    /* a pool with no connection to the database answers at once */
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = "postgresql://postgres@127.0.0.1:1/none?connect_timeout=1",
                             .size = 1,
                             .reconnect_interval_ms = 60000};
    gg_pg_pool *down = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(down != NULL);
    gg_pg_request down_ctx = {.pool = down, .cursor_key = &cursor_key};
    r = gql_with(&down_ctx, "mutation { createBlog(input: {name: \"x\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "ServiceUnavailable");
    CHECK_STR(at(r, "errors.0.message"), "The database is unavailable.");
    free(r);
    gg_pg_pool_destroy(down);
    /* a statement that runs out of time (the table is locked by another session) */
    char slow_conninfo[1200];
    snprintf(slow_conninfo, sizeof slow_conninfo, "%s%%20-cstatement_timeout%%3D300", conninfo);
    gg_pg_pool_config slow_cfg = {.conninfo = slow_conninfo, .size = 1};
    gg_pg_pool *slow = gg_pg_pool_create((h2o_loop_t *)loop, &slow_cfg, &error);
    wait_ready(slow, 1);
    gg_pg_request slow_ctx = {.pool = slow, .cursor_key = &cursor_key};
    r = gql_with(&slow_ctx, "{ getBlog(id: \"b1\") { name } }", NULL); /* prepared before the lock */
    CHECK_STR(at(r, "data.getBlog.name"), "Blog one");
    free(r);
    exec_sql("BEGIN");
    exec_sql("LOCK TABLE \"Blog\" IN ACCESS EXCLUSIVE MODE");
    r = gql_with(&slow_ctx, "{ getBlog(id: \"b1\") { name } }", NULL);
    exec_sql("COMMIT");
    CHECK_STR(at(r, "errors.0.errorType"), "DatabaseError");
    CHECK_STR(at(r, "errors.0.message"), "The database request timed out.");
    free(r);
    r = gql_with(&slow_ctx, "{ getBlog(id: \"b1\") { name } }", NULL);
    CHECK_STR(at(r, "data.getBlog.name"), "Blog one");
    free(r);
    gg_pg_pool_destroy(slow);
    /* a child may be written before its parent exists, as on AppSync */
    r = gql_with(&request_ctx, "mutation { createComment(input: {postId: \"no-such-post\"}) { postId } }", NULL);
    CHECK_STR(at(r, "data.createComment.postId"), "no-such-post");
    free(r);
    /* a statement the database refuses: details stay in the log */
    exec_sql("ALTER TABLE \"Blog\" RENAME COLUMN name TO name_gone");
    r = gql_with(&request_ctx, "{ listBlogs { items { name } } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "DatabaseError");
    CHECK_STR(at(r, "errors.0.message"), "The database request failed.");
    CHECK(strstr(r, "name_gone") == NULL && strstr(r, "SELECT") == NULL);
    free(r);
    exec_sql("ALTER TABLE \"Blog\" RENAME COLUMN name_gone TO name");
    free_responses();
}

int main(void)
{
    /* GG_TEST_PLAN=json runs every test on the JSON plan (plan.h); the default is the rows plan */
    const char *plan = getenv("GG_TEST_PLAN");
    plan_under_test = plan && strcmp(plan, "json") == 0 ? GG_PG_PLAN_JSON : GG_PG_PLAN_ROWS;
    if (getenv("GRAPHGATE_TEST_DATABASE_URL") == NULL) {
        fprintf(stderr, "GRAPHGATE_TEST_DATABASE_URL is not set (scripts/test.sh starts PostgreSQL)\n");
        return 77;
    }
    loop = h2o_evloop_create();
    fixture_catalog(&catalog);
    connect_db();
    RUN(test_migrate);
    build_schema();
    make_pool();
    RUN(test_create_get_update_delete);
    RUN(test_conditions);
    RUN(test_filters);
    RUN(test_pagination);
    RUN(test_nested_three_deep);
    RUN(test_no_n_plus_one);
    RUN(test_many_to_many_and_has_one);
    RUN(test_plans_agree);
    RUN(test_mutation_answer_sees_its_write);
    RUN(test_concurrent);
    RUN(test_index_and_sort_keys);
    RUN(test_injection_is_inert);
    RUN(test_wide_model);
    RUN(test_unavailable);
    free_responses();
    gg_pg_pool_destroy(pool);
    gg_schema_free(schema);
    exec_sql("SET search_path TO public");
    exec_sql("DROP SCHEMA IF EXISTS " SCHEMA_NAME " CASCADE");
    PQfinish(db);
    gg_arena_free(&catalog.arena);
    h2o_evloop_destroy(loop);
    return test_summary();
}
