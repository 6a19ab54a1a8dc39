/* End-to-end test of the PostgreSQL @model resolvers with the real Amplify transform: user SDL ->
 * gg_amplify_transform -> served schema + catalog -> gg_pg_bind -> gg_pg_migrate -> requests on an
 * h2o loop against a real PostgreSQL (GRAPHGATE_TEST_DATABASE_URL), in a PostgreSQL schema of its
 * own. It checks that the catalog the transform produces (implicit foreign keys, join models,
 * @refersTo, @default, @index query fields) is resolved as the served schema promises. */
#include "model_harness.h"

#define E2E_SCHEMA_NAME "gg_p1_model_e2e"

/* ---- end to end: the user's SDL through the real transform ---- */

static const char user_sdl[] =
    "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n"
    "enum Status { DRAFT PUBLISHED }\n"
    "type Blog @model { id: ID! name: String! posts: [Post] @hasMany }\n"
    "type Post @model { id: ID! title: String!\n"
    "  status: Status @default(value: \"DRAFT\") @index(name: \"byStatus\", sortKeyFields: [\"title\"], queryField: "
    "\"postsByStatus\")\n"
    "  rating: Int @refersTo(name: \"stars\") blog: Blog @belongsTo comments: [Comment] @hasMany\n"
    "  tags: [Tag] @manyToMany(relationName: \"PostTags\") }\n"
    "type Comment @model @refersTo(name: \"comments_tbl\") { id: ID! content: String post: Post @belongsTo }\n"
    "type Tag @model { id: ID! label: String! posts: [Post] @manyToMany(relationName: \"PostTags\") }\n"
    "type Team @model { id: ID! name: String! project: Project @hasOne }\n"
    "type Project @model { id: ID! name: String }\n"
    "type Event @model { venue: String! @primaryKey(sortKeyFields: [\"day\", \"slot\"]) day: String! slot: Int! "
    "title: String }\n"
    "type Customer @model { id: ID! name: String orders: [Order] @hasMany(fields: [\"id\"]) }\n"
    "type Order @model { customerId: ID! @primaryKey(sortKeyFields: [\"placedAt\"]) placedAt: String! note: String }\n"
    "type Caller @model { id: ID! calls: [Call] @hasMany(indexName: \"byCaller\") }\n"
    "type Call @model { id: ID! callerId: ID! @index(name: \"byCaller\") }\n";

static void test_end_to_end_with_transform(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_buf served;
    gg_amplify_catalog *cat = NULL;
    gg_schema *served_schema = harness_transform(&arena, user_sdl, &served, &cat);
    CHECK(served_schema != NULL);
    if (served_schema == NULL) {
        gg_amplify_catalog_free(cat);
        gg_buf_free(&served);
        gg_arena_free(&arena);
        return;
    }

    exec_sql("DROP SCHEMA IF EXISTS " E2E_SCHEMA_NAME " CASCADE");
    exec_sql("CREATE SCHEMA " E2E_SCHEMA_NAME);
    exec_sql("SET search_path TO " E2E_SCHEMA_NAME);
    char error[512] = "";
    CHECK(gg_pg_migrate(db, cat, false, NULL, GG_FAULT_INTO(error)));
    CHECK_STR(error, "");
    CHECK(gg_pg_migrate(db, cat, false, NULL, GG_FAULT_INTO(error)));
    CHECK_STR(sql_value("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                        "WHERE table_schema = '" E2E_SCHEMA_NAME "' AND table_name = 'comments_tbl'"),
              "id,content,createdAt,updatedAt,postCommentsId");

    char e2e_conninfo[1024];
    conninfo_for(e2e_conninfo, sizeof e2e_conninfo, E2E_SCHEMA_NAME);
    gg_fault perror = {0};
    gg_pg_pool_config cfg = {.conninfo = e2e_conninfo, .size = 1};
    gg_pg_pool *e2e_pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &perror);
    CHECK(e2e_pool != NULL);
    wait_ready(e2e_pool, 1);
    schema = served_schema;
    pool = e2e_pool;
    request_ctx.pool = e2e_pool;

    const char *r = gql("mutation { createBlog(input: {id: \"b\", name: \"Blog\"}) { id } "
                        "p1: createPost(input: {id: \"p1\", title: \"First\", rating: 4, blogPostsId: \"b\"}) { "
                        "id status rating blog { name } } "
                        "p2: createPost(input: {id: \"p2\", title: \"Second\", status: PUBLISHED, blogPostsId: "
                        "\"b\"}) { id } "
                        "c1: createComment(input: {id: \"c1\", content: \"Nice\", postCommentsId: \"p1\"}) { id post "
                        "{ title } } "
                        "t1: createTag(input: {id: \"t1\", label: \"news\"}) { id } "
                        "j1: createPostTags(input: {postId: \"p1\", tagId: \"t1\"}) { post { title } tag { label } } "
                        "createProject(input: {id: \"pr\", name: \"Apollo\"}) { id } "
                        "createTeam(input: {name: \"Crew\", teamProjectId: \"pr\"}) { name project { name } } }",
                        NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.p1.status"), "DRAFT");
    CHECK_STR(at(r, "data.p1.rating"), "4");
    CHECK_STR(at(r, "data.p1.blog.name"), "Blog");
    CHECK_STR(at(r, "data.c1.post.title"), "First");
    CHECK_STR(at(r, "data.j1"), "{\"post\":{\"title\":\"First\"},\"tag\":{\"label\":\"news\"}}");
    CHECK_STR(at(r, "data.createTeam.project.name"), "Apollo");
    CHECK_STR(sql_value("SELECT stars FROM \"Post\" WHERE id = 'p1'"), "4");

    gg_pg_pool_stats before = stats();
    r = gql("{ getBlog(id: \"b\") { posts { items { title comments { items { content post { blog { name } } } } "
            "tags { items { tag { label posts { items { post { title } } } } } } } } } }",
            NULL);
    gg_pg_pool_stats after = stats();
    CHECK_INT(after.round_trips - before.round_trips, 1);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.getBlog.posts.items.0.comments.items.0.post.blog.name"), "Blog");
    CHECK_STR(at(r, "data.getBlog.posts.items.0.tags.items.0.tag.label"), "news");
    CHECK_STR(at(r, "data.getBlog.posts.items.0.tags.items.0.tag.posts.items.0.post.title"), "First");
    r = gql("{ postsByStatus(status: DRAFT) { items { id } } postTagsByTagId(tagId: \"t1\") { items { postId } } }",
            NULL);
    CHECK_STR(at(r, "data.postsByStatus.items"), "[{\"id\":\"p1\"}]");
    CHECK_STR(at(r, "data.postTagsByTagId.items"), "[{\"postId\":\"p1\"}]");
    r = gql("{ listPosts(filter: {rating: {ge: 4}}) { items { id rating } } }", NULL);
    CHECK_STR(at(r, "data.listPosts.items"), "[{\"id\":\"p1\",\"rating\":4}]");

    /* a composite sort key (day, slot): its key condition compares the fields given, in order */
    r = gql("mutation { a: createEvent(input: {venue: \"hall\", day: \"2024-05-01\", slot: 1, title: \"a\"}) { title } "
            "b: createEvent(input: {venue: \"hall\", day: \"2024-05-01\", slot: 2, title: \"b\"}) { title } "
            "c: createEvent(input: {venue: \"hall\", day: \"2024-05-02\", slot: 1, title: \"c\"}) { title } "
            "d: createEvent(input: {venue: \"hall\", day: \"2024-06-01\", slot: 1, title: \"d\"}) { title } "
            "e: createEvent(input: {venue: \"club\", day: \"2024-05-01\", slot: 1, title: \"e\"}) { title } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    r = gql("{ getEvent(venue: \"hall\", day: \"2024-05-01\", slot: 2) { title } }", NULL);
    CHECK_STR(at(r, "data.getEvent.title"), "b");
    r = gql("{ listEvents(venue: \"hall\", daySlot: {beginsWith: {day: \"2024-05\"}}) { items { title } } }", NULL);
    CHECK_STR(at(r, "data.listEvents.items"), "[{\"title\":\"a\"},{\"title\":\"b\"},{\"title\":\"c\"}]");
    r = gql("{ listEvents(venue: \"hall\", daySlot: {eq: {day: \"2024-05-01\", slot: 2}}) { items { title } } }", NULL);
    CHECK_STR(at(r, "data.listEvents.items"), "[{\"title\":\"b\"}]");
    r = gql("{ listEvents(venue: \"hall\", daySlot: {gt: {day: \"2024-05-01\", slot: 1}}, sortDirection: DESC) { "
            "items { title } } }",
            NULL);
    CHECK_STR(at(r, "data.listEvents.items"), "[{\"title\":\"d\"},{\"title\":\"c\"},{\"title\":\"b\"}]");
    r = gql("{ listEvents(venue: \"hall\", daySlot: {between: [{day: \"2024-05-01\", slot: 2}, {day: "
            "\"2024-05-02\"}]}) { items { title } } }",
            NULL);
    CHECK_STR(at(r, "data.listEvents.items"), "[{\"title\":\"b\"},{\"title\":\"c\"}]");

    /* @hasMany(fields:) onto a child whose primary key has a sort key: the partition field links
     * them, the sort key is the connection's key condition */
    r = gql("mutation { createCustomer(input: {id: \"k1\", name: \"Ann\"}) { id } "
            "o1: createOrder(input: {customerId: \"k1\", placedAt: \"2024-05-01\", note: \"a\"}) { note } "
            "o2: createOrder(input: {customerId: \"k1\", placedAt: \"2024-06-01\", note: \"b\"}) { note } "
            "k2: createCustomer(input: {id: \"k2\", name: \"Bob\"}) { id } "
            "o3: createOrder(input: {customerId: \"k2\", placedAt: \"2024-06-01\", note: \"other\"}) { note } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    r = gql("{ getCustomer(id: \"k1\") { orders { items { note } } } }", NULL);
    CHECK_STR(at(r, "data.getCustomer.orders.items"), "[{\"note\":\"a\"},{\"note\":\"b\"}]");
    r = gql("{ getCustomer(id: \"k1\") { orders(placedAt: {gt: \"2024-05-15\"}) { items { note } } } }", NULL);
    CHECK_STR(at(r, "data.getCustomer.orders.items"), "[{\"note\":\"b\"}]");
    r = gql("{ listCustomers { items { orders(sortDirection: DESC, limit: 1) { items { note } } } } }", NULL);
    CHECK_STR(at(r, "data.listCustomers.items.0.orders.items"), "[{\"note\":\"b\"}]");

    /* @hasMany(indexName:) without fields: the children are those whose index field holds this
     * model's id (the implicit key the transformer also adds stays unused) */
    r = gql("mutation { createCaller(input: {id: \"ann\"}) { id } b: createCaller(input: {id: \"bo\"}) { id } "
            "c1: createCall(input: {id: \"c1\", callerId: \"ann\"}) { id } "
            "c2: createCall(input: {id: \"c2\", callerId: \"bo\"}) { id } }",
            NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    r = gql("{ getCaller(id: \"ann\") { calls { items { id } } } }", NULL);
    CHECK_STR(at(r, "data.getCaller.calls.items"), "[{\"id\":\"c1\"}]");

    free_responses();
    gg_pg_pool_destroy(e2e_pool);
    schema = NULL;
    pool = NULL;
    request_ctx.pool = NULL;
    exec_sql("SET search_path TO public");
    exec_sql("DROP SCHEMA IF EXISTS " E2E_SCHEMA_NAME " CASCADE");
    gg_schema_free(served_schema);
    gg_amplify_catalog_free(cat);
    gg_buf_free(&served);
    gg_arena_free(&arena);
}

/* With conflict detection the served schema has syncX queries, bound to the planner: their arguments
 * are checked before any SQL (pages themselves: tests/integration/postgres/datastore_sync.test.mjs). */
static void test_sync_is_bound(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"app.graphql", user_sdl, strlen(user_sdl)};
    gg_buf served;
    gg_buf_init(&served);
    gg_amplify_options aopts = {.sync = true};
    gg_amplify_catalog *cat = gg_amplify_transform(&src, 1, &aopts, &served, &errors);
    CHECK(cat != NULL);
    gg_schema_source served_src = {"served.graphql", served.data, served.len};
    gg_schema_options opts = {.appsync = true};
    schema = cat ? gg_schema_build(&served_src, 1, &opts, &errors) : NULL;
    CHECK(schema != NULL);
    char conninfo[1024];
    conninfo_for(conninfo, sizeof conninfo, "public");
    gg_fault perror = {0};
    gg_pg_pool_config cfg = {.conninfo = conninfo, .size = 1};
    request_ctx.pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &perror);
    CHECK(request_ctx.pool != NULL);
    if (schema && request_ctx.pool) {
        wait_ready(request_ctx.pool, 1);
        gg_pg_bind(schema, cat, NULL);
        const char *r = gql("{ syncBlogs(nextToken: \"forged\") { items { id } } }", NULL);
        CHECK_STR(at(r, "errors.0.errorType"), "UserIllegalArgumentException");
        CHECK_STR(at(r, "errors.0.message"), "Invalid pagination token given.");
        r = gql("{ syncBlogs(lastSync: 99999999999999) { items { id } startedAt } }", NULL);
        CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
        CHECK_STR(at(r, "errors.0.message"), "lastSync is in the future.");
        free_responses();
    }
    gg_schema_free(schema);
    schema = NULL;
    if (request_ctx.pool) gg_pg_pool_destroy(request_ctx.pool);
    request_ctx.pool = NULL;
    gg_amplify_catalog_free(cat);
    gg_buf_free(&served);
    gg_arena_free(&arena);
}

int main(void)
{
    if (!harness_start("e2e")) return 77;
    RUN(test_end_to_end_with_transform);
    RUN(test_sync_is_bound);
    PQfinish(db);
    h2o_evloop_destroy(loop);
    return test_summary();
}
