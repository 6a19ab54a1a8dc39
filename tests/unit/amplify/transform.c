/* transform.c: tests of server/amplify/transform.c: the served schema of the Amplify fixtures
 * (tests/fixtures/amplify) and of small schemas, the model catalog, and errors for bad input.
 *
 * Expected fragments are the Amplify transformer v2 conventions (appsync-compat.md §3/§4),
 * written out by hand; they were compared with what @aws-amplify/graphql-transformer 2.5 prints
 * for the same input (API key default mode, and user pools where said). argv[1] is the source
 * root (for the fixtures). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../server/amplify/transform.h"
#include "../../../server/graphql/type/print_schema.h"
#include "test.h"

static const char *source_root = ".";

/* One transform: the served SDL, the catalog and the errors, freed by done(). */
typedef struct run {
    gg_arena arena;
    gg_error_list errors;
    gg_buf sdl;
    gg_amplify_catalog *catalog;
    char *text;
} run;

static void transform_options(run *r, const char *name, const char *text, const gg_amplify_options *opts)
{
    gg_arena_init(&r->arena);
    gg_error_list_init(&r->errors, &r->arena);
    gg_buf_init(&r->sdl);
    gg_schema_source src = {name, text, strlen(text)};
    r->catalog = gg_amplify_transform(&src, 1, opts, &r->sdl, &r->errors);
}

static void transform_text(run *r, const char *name, const char *text, bool sync, gg_amplify_provider dflt)
{
    gg_amplify_options opts = {.sync = sync, .default_auth = dflt};
    transform_options(r, name, text, &opts);
}

static char *read_fixture(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/amplify/%s", source_root, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = calloc(1, (size_t)n + 1);
    if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(text);
        return NULL;
    }
    fclose(f);
    return text;
}

static void transform_fixture(run *r, const char *name, bool sync, gg_amplify_provider dflt)
{
    r->text = read_fixture(name);
    CHECK(r->text != NULL);
    transform_text(r, name, r->text ? r->text : "", sync, dflt);
    for (const gg_error *e = r->errors.head; e; e = e->next)
        fprintf(stderr, "%s: unexpected error: %s\n", name, e->message);
    CHECK(r->catalog != NULL);
    CHECK_INT(r->errors.count, 0);
}

static void done(run *r)
{
    gg_amplify_catalog_free(r->catalog);
    gg_buf_free(&r->sdl);
    gg_arena_free(&r->arena);
    free(r->text);
}

#define CHECK_HAS(r, fragment)                                                                                         \
    do {                                                                                                               \
        const char *f_ = (fragment);                                                                                   \
        bool ok_ = (r)->sdl.data != NULL && strstr((r)->sdl.data, f_) != NULL;                                         \
        CHECK(ok_);                                                                                                    \
        if (!ok_) fprintf(stderr, "  missing from the served SDL:\n%s\n", f_);                                         \
    } while (0)

#define CHECK_LACKS(r, fragment)                                                                                       \
    do {                                                                                                               \
        const char *f_ = (fragment);                                                                                   \
        bool ok_ = (r)->sdl.data == NULL || strstr((r)->sdl.data, f_) == NULL;                                         \
        CHECK(ok_);                                                                                                    \
        if (!ok_) fprintf(stderr, "  unexpected in the served SDL: %s\n", f_);                                         \
    } while (0)

/* The served SDL builds as an AppSync schema and keeps no transformer directive. */
static void check_served_builds(run *r)
{
    CHECK(r->sdl.data != NULL);
    if (r->sdl.data == NULL) return;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_options opts = {.appsync = true};
    gg_schema_source src = {"served", r->sdl.data, r->sdl.len};
    gg_schema *s = gg_schema_build(&src, 1, &opts, &errors);
    CHECK(s != NULL);
    for (const gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "served schema: %s\n", e->message);
    CHECK(s && s->query_type && strcmp(s->query_type->name, "Query") == 0);
    gg_schema_free(s);
    gg_arena_free(&arena);
    static const char *const gone[] = {"@model",  "@auth",      "@primaryKey", "@index",    "@hasMany",
                                       "@hasOne", "@belongsTo", "@manyToMany", "@default",  "@function",
                                       "@sql",    "@refersTo",  "@mapsTo",     "@readOnly", "input AMPLIFY"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        CHECK_LACKS(r, gone[i]);
}

static const gg_amplify_relation *relation_of(const gg_amplify_catalog *c, const char *model, const char *field)
{
    const gg_amplify_field *f = gg_amplify_find_field(gg_amplify_find_model(c, model), field);
    return f ? f->relation : NULL;
}

/* Every fixture, with and without conflict detection, for every default auth mode: the served
 * SDL builds as an AppSync schema and has a Query type. */
static void test_every_fixture_builds(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/amplify", source_root);
    DIR *dir = opendir(path);
    CHECK(dir != NULL);
    if (dir == NULL) return;
    unsigned fixtures = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 9 || strcmp(e->d_name + n - 8, ".graphql") != 0) continue;
        fixtures++;
        for (int variant = 0; variant < 12; variant++) {
            run r = {0};
            transform_fixture(&r, e->d_name, variant & 1, (gg_amplify_provider)(variant / 2));
            check_served_builds(&r);
            CHECK(r.catalog && r.catalog->model_count > 0);
            done(&r);
        }
    }
    closedir(dir);
    CHECK(fixtures >= 4);
}

/* ---- todo.graphql: owner rules, public read with an API key, renamed timestamps, @index ---- */

static void test_todo_served(void)
{
    run r;
    transform_fixture(&r, "todo.graphql", false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(
        &r, "type Todo @aws_cognito_user_pools @aws_api_key {\n"
            "  id: ID!\n  title: String!\n  done: Boolean!\n  priority: Int\n  due: AWSDateTime\n  remindAt: AWSTime\n"
            "  attachment: AWSURL\n  details: AWSJSON\n  list: TodoList\n  listID: ID\n"
            "  createdOn: AWSDateTime!\n  updatedOn: AWSDateTime!\n  owner: String\n}\n");
    CHECK_HAS(&r,
              "\ninput ModelTodoFilterInput {\n"
              "  id: ModelIDInput\n  title: ModelStringInput\n  done: ModelBooleanInput\n  priority: ModelIntInput\n"
              "  due: ModelStringInput\n  remindAt: ModelStringInput\n  attachment: ModelStringInput\n"
              "  details: ModelStringInput\n  listID: ModelIDInput\n  createdOn: ModelStringInput\n"
              "  updatedOn: ModelStringInput\n  and: [ModelTodoFilterInput]\n  or: [ModelTodoFilterInput]\n"
              "  not: ModelTodoFilterInput\n  owner: ModelStringInput\n}\n");
    /* the condition has no id; the timestamps come after and/or/not */
    CHECK_HAS(&r, "\ninput ModelTodoConditionInput {\n  title: ModelStringInput\n");
    CHECK_HAS(&r, "  not: ModelTodoConditionInput\n  createdOn: ModelStringInput\n  updatedOn: ModelStringInput\n"
                  "  owner: ModelStringInput\n}\n");
    /* subscription filters: ModelSubscription* inputs, no `not`, owner fields as ModelStringInput */
    CHECK_HAS(&r, "\ninput ModelSubscriptionTodoFilterInput {\n  id: ModelSubscriptionIDInput\n  title: "
                  "ModelSubscriptionStringInput\n"
                  "  done: ModelSubscriptionBooleanInput\n  priority: ModelSubscriptionIntInput\n");
    CHECK_HAS(&r, "  and: [ModelSubscriptionTodoFilterInput]\n  or: [ModelSubscriptionTodoFilterInput]\n  owner: "
                  "ModelStringInput\n}\n");
    CHECK_HAS(&r, "\ntype ModelTodoConnection @aws_api_key @aws_cognito_user_pools {\n  items: [Todo]!\n  nextToken: "
                  "String\n}\n");
    CHECK_HAS(&r, "\n  getTodo(id: ID!): Todo @aws_api_key @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  listTodos(filter: ModelTodoFilterInput, limit: Int, nextToken: String): ModelTodoConnection "
                  "@aws_api_key @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r,
        "\n  todosByListID(listID: ID!, sortDirection: ModelSortDirection, filter: ModelTodoFilterInput, limit: Int, "
        "nextToken: String): ModelTodoConnection @aws_api_key @aws_cognito_user_pools\n");
    /* the public rule is read-only: mutations are for signed-in owners only */
    CHECK_HAS(
        &r,
        "\n  createTodo(input: CreateTodoInput!, condition: ModelTodoConditionInput): Todo @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r,
        "\n  deleteTodo(input: DeleteTodoInput!, condition: ModelTodoConditionInput): Todo @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  onCreateTodo(filter: ModelSubscriptionTodoFilterInput, owner: String): Todo "
                  "@aws_subscribe(mutations: [\"createTodo\"]) @aws_api_key @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r,
        "\ninput CreateTodoInput {\n  id: ID\n  title: String!\n  done: Boolean!\n  priority: Int\n  due: AWSDateTime\n"
        "  remindAt: AWSTime\n  attachment: AWSURL\n  details: AWSJSON\n  listID: ID\n}\n");
    CHECK_HAS(&r, "\ninput UpdateTodoInput {\n  id: ID!\n  title: String\n  done: Boolean\n");
    CHECK_HAS(&r, "\ninput DeleteTodoInput {\n  id: ID!\n}\n");
    /* the legacy @hasMany(indexName, fields) form: a connection, no generated key */
    CHECK_HAS(
        &r,
        "\n  todos(filter: ModelTodoFilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): "
        "ModelTodoConnection\n");
    /* editors is a list owner field: no subscription argument for it, and it moves to the end of the filter */
    CHECK_HAS(&r, "\n  onCreateTodoList(filter: ModelSubscriptionTodoListFilterInput, owner: String): TodoList "
                  "@aws_subscribe(mutations: [\"createTodoList\"]) @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r,
        "  or: [ModelSubscriptionTodoListFilterInput]\n  editors: ModelStringInput\n  owner: ModelStringInput\n}\n");
    CHECK_HAS(&r, "\nenum ModelSortDirection {\n  ASC\n  DESC\n}\n");
    CHECK_HAS(
        &r,
        "\nenum ModelAttributeTypes {\n  binary\n  binarySet\n  bool\n  list\n  map\n  number\n  numberSet\n  string\n"
        "  stringSet\n  _null\n}\n");
    CHECK_HAS(&r, "\ninput ModelSizeInput {\n  ne: Int\n  eq: Int\n  le: Int\n  lt: Int\n  ge: Int\n  gt: Int\n  "
                  "between: [Int]\n}\n");
    CHECK_HAS(&r, "\ninput ModelStringInput {\n  ne: String\n  eq: String\n  le: String\n  lt: String\n  ge: String\n  "
                  "gt: String\n"
                  "  contains: String\n  notContains: String\n  between: [String]\n  beginsWith: String\n"
                  "  attributeExists: Boolean\n  attributeType: ModelAttributeTypes\n  size: ModelSizeInput\n}\n");
    CHECK_HAS(&r, "\ninput ModelBooleanInput {\n  ne: Boolean\n  eq: Boolean\n  attributeExists: Boolean\n"
                  "  attributeType: ModelAttributeTypes\n}\n");
    CHECK_HAS(&r,
              "\ninput ModelSubscriptionIntInput {\n  ne: Int\n  eq: Int\n  le: Int\n  lt: Int\n  ge: Int\n  gt: Int\n"
              "  between: [Int]\n  in: [Int]\n  notIn: [Int]\n}\n");
    CHECK_LACKS(&r, "_version");
    CHECK_LACKS(&r, "syncTodos");
    CHECK_LACKS(&r, "startedAt");
    done(&r);
}

static void test_todo_catalog(void)
{
    run r;
    transform_fixture(&r, "todo.graphql", false, GG_AMPLIFY_PROVIDER_API_KEY);
    const gg_amplify_model *todo = gg_amplify_find_model(r.catalog, "Todo");
    CHECK(todo != NULL);
    if (todo == NULL) {
        done(&r);
        return;
    }
    CHECK_STR(todo->plural, "Todos");
    CHECK_STR(todo->table, "Todo");
    CHECK_INT(todo->primary_key_count, 1);
    CHECK_STR(todo->primary_key[0], "id");
    CHECK_STR(todo->created_at, "createdOn");
    CHECK_STR(todo->updated_at, "updatedOn");
    CHECK_STR(todo->ops.get, "getTodo");
    CHECK_STR(todo->ops.list, "listTodos");
    CHECK(todo->ops.sync == NULL);
    CHECK_STR(todo->ops.on_delete, "onDeleteTodo");
    CHECK_INT(todo->index_count, 1);
    CHECK_STR(todo->indexes[0].name, "byList");
    CHECK_STR(todo->indexes[0].partition_field, "listID");
    CHECK_STR(todo->indexes[0].query_field, "todosByListID");
    const gg_amplify_field *done_f = gg_amplify_find_field(todo, "done");
    CHECK(done_f && done_f->default_value && strcmp(done_f->default_value, "false") == 0);
    CHECK(done_f && done_f->non_null && done_f->kind == GG_AMPLIFY_FIELD_SCALAR && !done_f->generated);
    const gg_amplify_field *owner = gg_amplify_find_field(todo, "owner");
    CHECK(owner && owner->generated && strcmp(owner->type_sdl, "String") == 0);
    CHECK(gg_amplify_find_field(todo, "createdOn") && gg_amplify_find_field(todo, "createdOn")->generated);
    CHECK(gg_amplify_find_field(todo, "createdAt") == NULL);
    CHECK_INT(todo->auth_rule_count, 2);
    if (todo->auth_rule_count == 2) {
        CHECK_INT(todo->auth_rules[0].allow, GG_AMPLIFY_ALLOW_OWNER);
        CHECK_INT(todo->auth_rules[0].provider, GG_AMPLIFY_PROVIDER_USER_POOLS);
        CHECK_STR(todo->auth_rules[0].owner_field, "owner");
        CHECK_STR(todo->auth_rules[0].identity_claim, "sub::username");
        CHECK_INT(todo->auth_rules[0].operations, GG_AMPLIFY_OP_ALL);
        CHECK_INT(todo->auth_rules[1].allow, GG_AMPLIFY_ALLOW_PUBLIC);
        CHECK_INT(todo->auth_rules[1].provider, GG_AMPLIFY_PROVIDER_API_KEY);
        CHECK_INT(todo->auth_rules[1].operations, GG_AMPLIFY_OP_READ);
    }
    /* belongsTo(fields: ["listID"]) and hasMany(indexName: "byList", fields: ["id"]) */
    const gg_amplify_relation *list = relation_of(r.catalog, "Todo", "list");
    CHECK(list && list->kind == GG_AMPLIFY_BELONGS_TO && list->uses_fields && strcmp(list->target, "TodoList") == 0);
    CHECK(list && list->local_count == 1 && strcmp(list->local_fields[0], "listID") == 0);
    CHECK(list && list->remote_count == 1 && strcmp(list->remote_fields[0], "id") == 0);
    const gg_amplify_relation *todos = relation_of(r.catalog, "TodoList", "todos");
    CHECK(todos && todos->kind == GG_AMPLIFY_HAS_MANY && strcmp(todos->target, "Todo") == 0);
    CHECK(todos && todos->local_count == 1 && strcmp(todos->local_fields[0], "id") == 0);
    CHECK(todos && todos->remote_count == 1 && strcmp(todos->remote_fields[0], "listID") == 0);
    CHECK(todos && todos->index_name && strcmp(todos->index_name, "byList") == 0);
    /* the root fields the resolvers bind */
    const gg_amplify_operation *op = gg_amplify_find_operation(r.catalog, "Query", "listTodos");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_LIST && op->model == todo);
    op = gg_amplify_find_operation(r.catalog, "Query", "todosByListID");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_INDEX_QUERY && op->index == &todo->indexes[0]);
    op = gg_amplify_find_operation(r.catalog, "Subscription", "onUpdateTodo");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_ON_UPDATE && op->mutation && strcmp(op->mutation, "updateTodo") == 0);
    op = gg_amplify_find_operation(r.catalog, "Mutation", "deleteTodoList");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_DELETE && strcmp(op->model->name, "TodoList") == 0);
    CHECK(gg_amplify_find_operation(r.catalog, "Query", "createTodo") == NULL);
    CHECK(gg_amplify_find_operation(r.catalog, "Mutation", "nope") == NULL);
    CHECK_INT(r.catalog->operation_count, 2 * 8 + 1);
    CHECK_INT(r.catalog->custom_field_count, 0);
    CHECK_INT(r.catalog->default_auth, GG_AMPLIFY_PROVIDER_API_KEY);
    const gg_amplify_model *lists = gg_amplify_find_model(r.catalog, "TodoList");
    CHECK(lists && lists->auth_rule_count == 2 && strcmp(lists->auth_rules[0].owner_field, "editors") == 0);
    CHECK(lists && lists->auth_rules[0].operations == (GG_AMPLIFY_OP_READ | GG_AMPLIFY_OP_UPDATE));
    done(&r);
}

/* Conflict detection per model (datastore.models): an entry overrides the project's detection or
 * handler for its model only; join models follow the project's; an entry naming no model fails. */
static void test_sync_per_model(void)
{
    static const char sdl[] =
        "type Todo @model { id: ID! name: String }\n"
        "type Note @model { id: ID! text: String tags: [Tag] @manyToMany(relationName: \"NoteTag\") }\n"
        "type Tag @model { id: ID! label: String notes: [Note] @manyToMany(relationName: \"NoteTag\") }\n";
    gg_amplify_model_sync own[2] = {
        {.model = "Note", .has_sync = true, .sync = false},
        {.model = "Todo", .has_handler = true, .conflict_handler = GG_AMPLIFY_CONFLICT_OPTIMISTIC}};
    gg_amplify_options opts = {
        .sync = true, .conflict_handler = GG_AMPLIFY_CONFLICT_LAMBDA, .models = own, .model_count = 2};
    run r = {0};
    transform_options(&r, "per_model.graphql", sdl, &opts);
    CHECK(r.catalog != NULL);
    CHECK_INT(r.errors.count, 0);
    check_served_builds(&r);
    const gg_amplify_model *todo = gg_amplify_find_model(r.catalog, "Todo"),
                           *note = gg_amplify_find_model(r.catalog, "Note"),
                           *tag = gg_amplify_find_model(r.catalog, "Tag"),
                           *join = gg_amplify_find_model(r.catalog, "NoteTag");
    CHECK(todo && todo->sync && todo->conflict_handler == GG_AMPLIFY_CONFLICT_OPTIMISTIC && todo->ops.sync);
    CHECK(note && !note->sync && note->ops.sync == NULL && gg_amplify_find_field(note, "_version") == NULL);
    CHECK(tag && tag->sync && tag->conflict_handler == GG_AMPLIFY_CONFLICT_LAMBDA);
    CHECK(join && join->sync && join->ops.sync && strcmp(join->ops.sync, "syncNoteTags") == 0);
    CHECK(gg_amplify_find_operation(r.catalog, "Query", "syncNotes") == NULL);
    CHECK(gg_amplify_find_operation(r.catalog, "Query", "syncTodos") != NULL);
    CHECK_LACKS(&r, "syncNotes");
    CHECK_HAS(&r, "\ninput DeleteNoteInput {\n  id: ID!\n}\n");
    CHECK_HAS(&r, "\ninput DeleteTagInput {\n  id: ID!\n  _version: Int\n}\n");
    CHECK_HAS(&r, "\ntype ModelNoteConnection {\n  items: [Note]!\n  nextToken: String\n}\n");
    done(&r);

    gg_amplify_model_sync unknown[1] = {{.model = "Todos", .has_sync = true, .sync = true}};
    opts = (gg_amplify_options){.models = unknown, .model_count = 1};
    transform_options(&r, "per_model.graphql", sdl, &opts);
    CHECK(r.catalog == NULL);
    CHECK(r.errors.head && strstr(r.errors.head->message, "model \"Todos\" is not a @model type of the schema"));
    done(&r);
}

/* Conflict detection: DataStore fields, syncX, startedAt, _version in inputs, _deleted filters. */
static void test_todo_sync(void)
{
    run r;
    transform_fixture(&r, "todo.graphql", true, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(&r, "  updatedOn: AWSDateTime!\n  _version: Int!\n  _deleted: Boolean\n  _lastChangedAt: AWSTimestamp!\n "
                  " owner: String\n}\n");
    CHECK_HAS(&r, "\n  syncTodos(filter: ModelTodoFilterInput, limit: Int, nextToken: String, lastSync: AWSTimestamp): "
                  "ModelTodoConnection @aws_api_key @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r, "\ntype ModelTodoConnection @aws_api_key @aws_cognito_user_pools {\n  items: [Todo]!\n  nextToken: String\n"
            "  startedAt: AWSTimestamp\n}\n");
    CHECK_HAS(&r, "  not: ModelTodoFilterInput\n  _deleted: ModelBooleanInput\n  owner: ModelStringInput\n}\n");
    CHECK_HAS(
        &r, "  or: [ModelSubscriptionTodoFilterInput]\n  _deleted: ModelBooleanInput\n  owner: ModelStringInput\n}\n");
    CHECK_HAS(&r, "\ninput DeleteTodoInput {\n  id: ID!\n  _version: Int\n}\n");
    CHECK_HAS(&r, "  listID: ID\n  _version: Int\n}\n");
    const gg_amplify_model *todo = gg_amplify_find_model(r.catalog, "Todo");
    CHECK(todo && todo->sync && todo->ops.sync && strcmp(todo->ops.sync, "syncTodos") == 0);
    CHECK(todo && gg_amplify_find_field(todo, "_lastChangedAt") &&
          gg_amplify_find_field(todo, "_lastChangedAt")->generated);
    done(&r);
}

/* With user pools as the default mode, the user-pool-only operations carry no directive. */
static void test_todo_user_pools_default(void)
{
    run r;
    transform_fixture(&r, "todo.graphql", false, GG_AMPLIFY_PROVIDER_USER_POOLS);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Todo @aws_api_key @aws_cognito_user_pools {\n");
    CHECK_HAS(&r, "\n  createTodo(input: CreateTodoInput!, condition: ModelTodoConditionInput): Todo\n");
    CHECK_HAS(&r, "\n  getTodo(id: ID!): Todo @aws_api_key @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  getTodoList(id: ID!): TodoList\n");
    done(&r);
}

/* ---- blog.graphql: sandbox, implicit one-to-many keys, an index query with a sort key ---- */

static void test_blog(void)
{
    run r;
    transform_fixture(&r, "blog.graphql", false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(
        &r, "type Blog {\n  id: ID!\n  name: String!\n"
            "  posts(filter: ModelPostFilterInput, sortDirection: ModelSortDirection, limit: Int, nextToken: String): "
            "ModelPostConnection\n  createdAt: AWSDateTime!\n  updatedAt: AWSDateTime!\n}\n");
    /* the generated foreign keys come last, after the timestamps */
    CHECK_HAS(&r, "  tags: [String]\n  createdAt: AWSDateTime!\n  updatedAt: AWSDateTime!\n  blogPostsId: ID\n}\n");
    CHECK_HAS(&r, "  updatedAt: AWSDateTime!\n  postCommentsId: ID\n}\n");
    CHECK_HAS(&r, "\ninput ModelPostStatusInput {\n  eq: PostStatus\n  ne: PostStatus\n}\n");
    CHECK_HAS(&r, "  status: ModelPostStatusInput\n  publishedOn: ModelStringInput\n  tags: ModelStringInput\n");
    CHECK_HAS(&r, "  not: ModelPostFilterInput\n  blogPostsId: ModelIDInput\n}\n");
    CHECK_HAS(&r,
              "\ninput CreatePostInput {\n  id: ID\n  title: String!\n  status: PostStatus!\n  publishedOn: AWSDate\n"
              "  tags: [String]\n  blogPostsId: ID\n}\n");
    /* enums filter as strings in subscriptions; the parent's subscription filter gets the key (as the transformer does)
     */
    CHECK_HAS(&r, "  status: ModelSubscriptionStringInput\n");
    CHECK_HAS(&r, "  or: [ModelSubscriptionBlogFilterInput]\n  blogPostsId: ModelSubscriptionIDInput\n}\n");
    CHECK_HAS(
        &r, "\n  postsByStatus(status: PostStatus!, publishedOn: ModelStringKeyConditionInput, sortDirection: "
            "ModelSortDirection, filter: ModelPostFilterInput, limit: Int, nextToken: String): ModelPostConnection\n");
    CHECK_HAS(
        &r,
        "\ninput ModelStringKeyConditionInput {\n  eq: String\n  le: String\n  lt: String\n  ge: String\n  gt: String\n"
        "  between: [String]\n  beginsWith: String\n}");
    CHECK_HAS(&r, "\n  onCreateBlog(filter: ModelSubscriptionBlogFilterInput): Blog @aws_subscribe(mutations: "
                  "[\"createBlog\"])\n");
    CHECK(r.catalog && r.catalog->sandbox_public);
    const gg_amplify_relation *posts = relation_of(r.catalog, "Blog", "posts");
    CHECK(posts && posts->kind == GG_AMPLIFY_HAS_MANY && posts->implicit_keys);
    CHECK(posts && posts->local_count == 1 && strcmp(posts->local_fields[0], "id") == 0);
    CHECK(posts && posts->remote_count == 1 && strcmp(posts->remote_fields[0], "blogPostsId") == 0);
    const gg_amplify_relation *blog = relation_of(r.catalog, "Post", "blog");
    CHECK(blog && blog->kind == GG_AMPLIFY_BELONGS_TO && blog->local_count == 1 &&
          strcmp(blog->local_fields[0], "blogPostsId") == 0);
    const gg_amplify_relation *comments = relation_of(r.catalog, "Post", "comments");
    CHECK(comments && comments->limit == 50 && strcmp(comments->remote_fields[0], "postCommentsId") == 0);
    const gg_amplify_model *post = gg_amplify_find_model(r.catalog, "Post");
    CHECK(post && gg_amplify_find_field(post, "status")->kind == GG_AMPLIFY_FIELD_ENUM);
    CHECK(post && gg_amplify_find_field(post, "blogPostsId")->generated);
    CHECK(post && gg_amplify_find_field(post, "comments")->kind == GG_AMPLIFY_FIELD_RELATION);
    CHECK(post && post->index_count == 1 && post->indexes[0].sort_count == 1 &&
          strcmp(post->indexes[0].sort_fields[0], "publishedOn") == 0);
    done(&r);
}

/* In sandbox mode with another default mode, models without @auth are opened to API keys. */
static void test_blog_sandbox_user_pools(void)
{
    run r;
    transform_fixture(&r, "blog.graphql", false, GG_AMPLIFY_PROVIDER_USER_POOLS);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Blog @aws_api_key {\n");
    CHECK_HAS(&r, "\n  getBlog(id: ID!): Blog @aws_api_key\n");
    CHECK_HAS(&r, "\ntype ModelBlogConnection @aws_api_key {\n");
    CHECK_HAS(&r, "\n  onDeleteComment(filter: ModelSubscriptionCommentFilterInput): Comment "
                  "@aws_subscribe(mutations: [\"deleteComment\"]) @aws_api_key\n");
    done(&r);
}

/* ---- chat.graphql: custom primary keys, references, public subscriptions, user root fields ---- */

static void test_chat(void)
{
    run r;
    transform_fixture(&r, "chat.graphql", false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(&r, "\n  getRoom(slug: String!): Room @aws_cognito_user_pools\n");
    CHECK_HAS(&r,
              "\n  listRooms(slug: String, filter: ModelRoomFilterInput, limit: Int, nextToken: String, sortDirection: "
              "ModelSortDirection): ModelRoomConnection @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  getMessage(roomSlug: String!, sentAt: AWSDateTime!): Message @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r, "\n  listMessages(roomSlug: String, sentAt: ModelStringKeyConditionInput, filter: ModelMessageFilterInput, "
            "limit: Int, nextToken: String, sortDirection: ModelSortDirection): ModelMessageConnection "
            "@aws_cognito_user_pools\n");
    CHECK_HAS(&r, "type Room @aws_cognito_user_pools {\n  slug: String!\n  topic: String\n"
                  "  messages(filter: ModelMessageFilterInput, sortDirection: ModelSortDirection, limit: Int, "
                  "nextToken: String): "
                  "ModelMessageConnection\n  createdAt: AWSDateTime!\n  updatedAt: AWSDateTime!\n}\n");
    CHECK_HAS(&r, "\ninput CreateRoomInput {\n  slug: String!\n  topic: String\n}\n");
    CHECK_HAS(&r, "\ninput DeleteMessageInput {\n  roomSlug: String!\n  sentAt: AWSDateTime!\n}\n");
    CHECK_HAS(&r, "\ninput UpdateMessageInput {\n  roomSlug: String!\n  sentAt: AWSDateTime!\n  text: String\n");
    CHECK_HAS(&r, "\ninput ModelMessageConditionInput {\n  text: ModelStringInput\n");
    /* level: public: no auth directives and no owner argument on the subscriptions */
    CHECK_HAS(&r, "\n  onCreateMessage(filter: ModelSubscriptionMessageFilterInput): Message "
                  "@aws_subscribe(mutations: [\"createMessage\"])\n");
    CHECK_HAS(
        &r,
        "\n  onCreateRoom(filter: ModelSubscriptionRoomFilterInput): Room @aws_subscribe(mutations: [\"createRoom\"]) "
        "@aws_cognito_user_pools\n");
    /* user-written root fields stay first, without @function */
    CHECK_HAS(&r, "type Mutation {\n  announceTyping(roomSlug: String!): Typing @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r,
        "type Subscription {\n  onTyping(roomSlug: String!): Typing @aws_subscribe(mutations: [\"announceTyping\"]) "
        "@aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\ntype Typing @aws_cognito_user_pools {\n  roomSlug: String!\n  user: String!\n}\n");
    const gg_amplify_model *msg = gg_amplify_find_model(r.catalog, "Message");
    CHECK(msg && msg->primary_key_count == 2 && strcmp(msg->primary_key[0], "roomSlug") == 0 &&
          strcmp(msg->primary_key[1], "sentAt") == 0);
    CHECK(msg && msg->ops.subscriptions_public);
    CHECK(msg && gg_amplify_find_field(msg, "id") == NULL);
    CHECK(msg && gg_amplify_find_field(msg, "sentAt")->is_primary_key);
    const gg_amplify_field *ip = msg ? gg_amplify_find_field(msg, "senderIp") : NULL;
    CHECK(ip && ip->auth_rule_count == 1 && ip->auth_rules[0].allow == GG_AMPLIFY_ALLOW_GROUPS &&
          ip->auth_rules[0].group_count == 1 && strcmp(ip->auth_rules[0].groups[0], "Moderators") == 0);
    CHECK(msg && msg->auth_rule_count == 3 && strcmp(msg->auth_rules[0].identity_claim, "sub") == 0);
    const gg_amplify_relation *messages = relation_of(r.catalog, "Room", "messages");
    CHECK(messages && messages->uses_references && strcmp(messages->local_fields[0], "slug") == 0 &&
          strcmp(messages->remote_fields[0], "roomSlug") == 0);
    const gg_amplify_relation *room = relation_of(r.catalog, "Message", "room");
    CHECK(room && room->kind == GG_AMPLIFY_BELONGS_TO && strcmp(room->local_fields[0], "roomSlug") == 0 &&
          strcmp(room->remote_fields[0], "slug") == 0);
    done(&r);
}

/* ---- store.graphql: renamed/removed operations, @mapsTo/@refersTo, hasOne, manyToMany, @sql ---- */

static void test_store(void)
{
    run r;
    transform_fixture(&r, "store.graphql", false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Query {\n  priceSummary(categoryId: ID!): PriceSummary @aws_iam\n"
                  "  recommend(productId: ID!): [Product] @aws_iam\n");
    CHECK_HAS(&r, "\n  product(id: ID!): Product @aws_iam @aws_cognito_user_pools\n");
    CHECK_HAS(&r,
              "\n  products(filter: ModelProductFilterInput, limit: Int, nextToken: String): ModelProductConnection "
              "@aws_iam @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  productBySku(sku: String!, sortDirection: ModelSortDirection, filter: ModelProductFilterInput, "
                  "limit: Int, "
                  "nextToken: String): ModelProductConnection @aws_iam @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  addProduct(input: CreateProductInput!, condition: ModelProductConditionInput): Product "
                  "@aws_cognito_user_pools\n");
    CHECK_LACKS(&r, "updateProduct(");
    CHECK_LACKS(&r, "onUpdateProduct(");
    CHECK_LACKS(&r, "onCreateStock(");
    CHECK_HAS(&r, "\n  onCreateProduct(filter: ModelSubscriptionProductFilterInput): Product @aws_subscribe(mutations: "
                  "[\"addProduct\"]) "
                  "@aws_iam @aws_cognito_user_pools\n");
    /* the dynamic group field is not filterable by subscribers */
    CHECK_HAS(&r, "\ninput ModelSubscriptionProductFilterInput {\n  id: ModelSubscriptionIDInput\n  sku: "
                  "ModelSubscriptionStringInput\n"
                  "  name: ModelSubscriptionStringInput\n  price: ModelSubscriptionFloatInput\n"
                  "  contactPhone: ModelSubscriptionStringInput\n  createdAt: ModelSubscriptionStringInput\n"
                  "  updatedAt: ModelSubscriptionStringInput\n  and: [ModelSubscriptionProductFilterInput]\n"
                  "  or: [ModelSubscriptionProductFilterInput]\n  productStockId: ModelSubscriptionIDInput\n}\n");
    CHECK_HAS(&r, "  stock: Stock\n  categories(filter: ModelProductCategoryFilterInput, sortDirection: "
                  "ModelSortDirection, limit: Int, "
                  "nextToken: String): ModelProductCategoryConnection\n");
    CHECK_HAS(&r,
              "\ntype ProductCategory @aws_iam @aws_cognito_user_pools @aws_api_key {\n  id: ID!\n  productId: ID!\n"
              "  categoryId: ID!\n  product: Product!\n  category: Category!\n  createdAt: AWSDateTime!\n"
              "  updatedAt: AWSDateTime!\n}\n");
    CHECK_HAS(&r, "\n  productCategoriesByProductId(productId: ID!, sortDirection: ModelSortDirection, filter: "
                  "ModelProductCategoryFilterInput, limit: Int, nextToken: String): ModelProductCategoryConnection "
                  "@aws_api_key @aws_iam @aws_cognito_user_pools\n");
    /* timestamps: null */
    CHECK_HAS(&r, "\ntype Category {\n  id: ID!\n  label: String!\n");
    CHECK_HAS(&r,
              "\ninput ModelCategoryConditionInput {\n  label: ModelStringInput\n  and: [ModelCategoryConditionInput]\n"
              "  or: [ModelCategoryConditionInput]\n  not: ModelCategoryConditionInput\n}\n");
    CHECK_HAS(&r, "\ninput CreateStockInput {\n  id: ID\n  quantity: Int!\n  stockProductId: ID\n}\n");
    const gg_amplify_model *product = gg_amplify_find_model(r.catalog, "Product");
    CHECK(product && strcmp(product->table, "Item") == 0);
    CHECK(product && strcmp(gg_amplify_find_field(product, "name")->column, "display_name") == 0);
    CHECK(product && product->ops.update == NULL && product->ops.delete_ == NULL &&
          strcmp(product->ops.create, "addProduct") == 0);
    CHECK(product && product->ops.on_update == NULL && strcmp(product->ops.on_create, "onCreateProduct") == 0);
    CHECK(product && product->auth_rule_count == 2 && product->auth_rules[1].groups_field &&
          strcmp(product->auth_rules[1].groups_field, "managers") == 0);
    const gg_amplify_model *category = gg_amplify_find_model(r.catalog, "Category");
    CHECK(category && category->created_at == NULL && category->updated_at == NULL);
    CHECK(category && strcmp(category->plural, "Categories") == 0);
    const gg_amplify_relation *stock = relation_of(r.catalog, "Product", "stock");
    CHECK(stock && stock->kind == GG_AMPLIFY_HAS_ONE && strcmp(stock->local_fields[0], "productStockId") == 0 &&
          strcmp(stock->remote_fields[0], "id") == 0);
    const gg_amplify_relation *back = relation_of(r.catalog, "Stock", "product");
    CHECK(back && back->kind == GG_AMPLIFY_BELONGS_TO && strcmp(back->local_fields[0], "stockProductId") == 0);
    const gg_amplify_relation *cats = relation_of(r.catalog, "Product", "categories");
    CHECK(cats && cats->kind == GG_AMPLIFY_MANY_TO_MANY && strcmp(cats->target, "Category") == 0);
    CHECK(cats && cats->join_model && strcmp(cats->join_model, "ProductCategory") == 0);
    CHECK(cats && strcmp(cats->join_local_field, "productId") == 0 &&
          strcmp(cats->join_remote_field, "categoryId") == 0);
    CHECK(cats && strcmp(cats->local_fields[0], "id") == 0 && strcmp(cats->remote_fields[0], "productId") == 0);
    const gg_amplify_model *join = gg_amplify_find_model(r.catalog, "ProductCategory");
    CHECK(join && join->is_join_model && join->index_count == 2 && join->auth_rule_count == 3);
    CHECK(join && strcmp(join->indexes[1].query_field, "productCategoriesByCategoryId") == 0);
    CHECK(r.catalog && r.catalog->model_count == 4 && r.catalog->models[3] == join);
    const gg_amplify_operation *op = gg_amplify_find_operation(r.catalog, "Mutation", "addProduct");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_CREATE && op->model == product);
    op = gg_amplify_find_operation(r.catalog, "Query", "productBySku");
    CHECK(op && op->kind == GG_AMPLIFY_OP_KIND_INDEX_QUERY && strcmp(op->index->partition_field, "sku") == 0);
    CHECK(gg_amplify_find_operation(r.catalog, "Query", "recommend") == NULL);
    CHECK(gg_amplify_find_operation(r.catalog, "Subscription", "onCreateStock") == NULL);
    /* @sql and @function stay in the catalog */
    CHECK_INT(r.catalog->custom_field_count, 2);
    if (r.catalog->custom_field_count == 2) {
        const gg_amplify_custom_field *sql = &r.catalog->custom_fields[0];
        CHECK_STR(sql->type, "Query");
        CHECK_STR(sql->field, "priceSummary");
        CHECK_STR(sql->sql_statement, "SELECT min(price) AS minimum, max(price) AS maximum FROM items");
        CHECK(sql->sql_reference == NULL && sql->function_count == 0);
        const gg_amplify_custom_field *fn = &r.catalog->custom_fields[1];
        CHECK_STR(fn->field, "recommend");
        CHECK_INT(fn->function_count, 2);
        if (fn->function_count == 2) {
            CHECK_STR(fn->functions[0], "rank-${env}");
            CHECK_STR(fn->functions[1], "enrich-${env}");
        }
    }
    done(&r);
}

/* ---- small schemas ---- */

static void test_model_only_schema(void)
{
    run r = {0};
    transform_text(&r, "note.graphql", "type Note @model { text: String kind: [Kind] } enum Kind { A B }", false,
                   GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(r.catalog != NULL);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Note {\n  text: String\n  kind: [Kind]\n  id: ID!\n  createdAt: AWSDateTime!\n  updatedAt: "
                  "AWSDateTime!\n}\n");
    CHECK_HAS(&r,
              "\ninput ModelKindListInput {\n  eq: [Kind]\n  ne: [Kind]\n  contains: Kind\n  notContains: Kind\n}\n");
    CHECK_HAS(&r, "\ninput CreateNoteInput {\n  text: String\n  kind: [Kind]\n  id: ID\n}\n");
    CHECK_HAS(&r, "\ninput UpdateNoteInput {\n  text: String\n  kind: [Kind]\n  id: ID!\n}\n");
    CHECK_LACKS(&r, "_graphgate_placeholder");
    const gg_amplify_model *note = gg_amplify_find_model(r.catalog, "Note");
    CHECK(note && gg_amplify_find_field(note, "id")->generated && gg_amplify_find_field(note, "id")->is_primary_key);
    done(&r);
}

static void test_composite_keys_and_embedded_types(void)
{
    run r = {0};
    transform_text(
        &r, "orders.graphql",
        "type Order @model {\n"
        "  customerId: ID! @primaryKey(sortKeyFields: [\"createdOn\", \"orderNo\"])\n"
        "  createdOn: AWSDate!\n"
        "  orderNo: Int!\n"
        "  status: Status @index(name: \"byStatus\", sortKeyFields: [\"total\"], queryField: \"ordersByStatus\")\n"
        "  total: Float\n"
        "  address: Address\n"
        "}\n"
        "type Address { street: String geo: Geo }\n"
        "type Geo { lat: Float lng: Float }\n"
        "enum Status { OPEN CLOSED }\n",
        false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(r.catalog != NULL);
    check_served_builds(&r);
    CHECK_HAS(&r, "\n  getOrder(customerId: ID!, createdOn: AWSDate!, orderNo: Int!): Order\n");
    CHECK_HAS(&r,
              "\n  listOrders(customerId: ID, createdOnOrderNo: ModelOrderPrimaryCompositeKeyConditionInput, filter: "
              "ModelOrderFilterInput, limit: Int, nextToken: String, sortDirection: ModelSortDirection): "
              "ModelOrderConnection\n");
    CHECK_HAS(&r,
              "\ninput ModelOrderPrimaryCompositeKeyConditionInput {\n  eq: ModelOrderPrimaryCompositeKeyInput\n"
              "  le: ModelOrderPrimaryCompositeKeyInput\n  lt: ModelOrderPrimaryCompositeKeyInput\n"
              "  ge: ModelOrderPrimaryCompositeKeyInput\n  gt: ModelOrderPrimaryCompositeKeyInput\n"
              "  between: [ModelOrderPrimaryCompositeKeyInput]\n  beginsWith: ModelOrderPrimaryCompositeKeyInput\n}\n");
    CHECK_HAS(&r, "\ninput ModelOrderPrimaryCompositeKeyInput {\n  createdOn: AWSDate\n  orderNo: Int\n}\n");
    CHECK_HAS(
        &r,
        "\n  ordersByStatus(status: Status!, total: ModelFloatKeyConditionInput, sortDirection: ModelSortDirection, "
        "filter: ModelOrderFilterInput, limit: Int, nextToken: String): ModelOrderConnection\n");
    CHECK_HAS(&r,
              "\ninput ModelFloatKeyConditionInput {\n  eq: Float\n  le: Float\n  lt: Float\n  ge: Float\n  gt: Float\n"
              "  between: [Float]\n}\n");
    CHECK_HAS(&r, "\ninput AddressInput {\n  street: String\n  geo: GeoInput\n}\n");
    CHECK_HAS(&r, "\ninput GeoInput {\n  lat: Float\n  lng: Float\n}\n");
    CHECK_HAS(&r, "\ninput DeleteOrderInput {\n  customerId: ID!\n  createdOn: AWSDate!\n  orderNo: Int!\n}\n");
    CHECK_HAS(&r, "  total: Float\n  address: AddressInput\n}\n");
    /* the embedded type is not filterable */
    CHECK_LACKS(&r, "address: Model");
    const gg_amplify_model *order = gg_amplify_find_model(r.catalog, "Order");
    CHECK(order && order->primary_key_count == 3);
    CHECK(order && gg_amplify_find_field(order, "address")->kind == GG_AMPLIFY_FIELD_EMBEDDED);
    done(&r);
}

/* Issue 13, bug 1: @primaryKey on a model with a query or mutation turned off crashed the
 * transform (a NULL operation name looked up as a root field). */
static void test_primary_key_with_disabled_operations(void)
{
    run r = {0};
    transform_text(&r, "lines.graphql",
                   "type OrderLine @model(queries: {list: null}) { orderId: ID! @primaryKey lineNo: Int! }\n", false,
                   GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(r.catalog != NULL);
    CHECK_INT(r.errors.count, 0);
    check_served_builds(&r);
    CHECK_HAS(&r, "\ntype Query {\n  getOrderLine(orderId: ID!): OrderLine\n}\n");
    CHECK_LACKS(&r, "listOrderLines");
    done(&r);
    run g = {0};
    transform_text(&g, "lines.graphql",
                   "type OrderLine @model(queries: {get: null}, mutations: {delete: null}) {\n"
                   "  orderId: ID! @primaryKey(sortKeyFields: [\"lineNo\"]) lineNo: Int! }\n",
                   false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(g.catalog != NULL);
    check_served_builds(&g);
    CHECK_LACKS(&g, "getOrderLine");
    CHECK_LACKS(&g, "DeleteOrderLineInput");
    CHECK_HAS(&g,
              "\n  listOrderLines(orderId: ID, lineNo: ModelIntKeyConditionInput, filter: ModelOrderLineFilterInput, "
              "limit: Int, nextToken: String, sortDirection: ModelSortDirection): ModelOrderLineConnection\n");
    done(&g);
}

/* Issue 13, bug 2: with @primaryKey, a declared id stays in CreateXInput, optional (the client
 * may choose it), wherever it is declared; an undeclared one is not added. */
static void test_primary_key_keeps_declared_id(void)
{
    static const struct {
        const char *sdl, *create_input;
    } cases[] = {
        {"type Customer @model { id: ID! @primaryKey name: String! }",
         "\ninput CreateCustomerInput {\n  id: ID\n  name: String!\n}\n"},
        {"type Customer @model { id: ID! @primaryKey(sortKeyFields: [\"takenAt\"]) takenAt: AWSDateTime! }",
         "\ninput CreateCustomerInput {\n  id: ID\n  takenAt: AWSDateTime!\n}\n"},
        {"type Customer @model { sku: String! @primaryKey id: ID! name: String }",
         "\ninput CreateCustomerInput {\n  sku: String!\n  id: ID\n  name: String\n}\n"},
        {"type Customer @model { sku: String! @primaryKey name: String }",
         "\ninput CreateCustomerInput {\n  sku: String!\n  name: String\n}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r = {0};
        transform_text(&r, "customer.graphql", cases[i].sdl, false, GG_AMPLIFY_PROVIDER_API_KEY);
        CHECK(r.catalog != NULL);
        check_served_builds(&r);
        CHECK_HAS(&r, cases[i].create_input);
        done(&r);
    }
}

/* @readOnly (graphgate's own): a column the database writes is in the type and its filters and
 * conditions, in no create or update input, but an update still names its row by a @readOnly
 * key field; the catalog marks it so the planner never writes it. */
static void test_read_only_fields(void)
{
    run r = {0};
    transform_text(&r, "invoice.graphql",
                   "type Invoice @model(timestamps: null) {\n  id: ID! @refersTo(name: \"invoice_no\") @readOnly\n"
                   "  net: Int!\n  gross: Int @readOnly\n}\n"
                   "type Entry @model(timestamps: null) {\n  invoiceId: ID! @primaryKey(sortKeyFields: [\"lineNo\"])\n"
                   "  lineNo: Int! @readOnly\n  qty: Int\n}\n",
                   false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(r.catalog != NULL);
    CHECK_INT(r.errors.count, 0);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Invoice {\n  id: ID!\n  net: Int!\n  gross: Int\n}\n");
    CHECK_HAS(&r, "\ninput CreateInvoiceInput {\n  net: Int!\n}\n");
    CHECK_HAS(&r, "\ninput UpdateInvoiceInput {\n  id: ID!\n  net: Int\n}\n");
    CHECK_HAS(&r, "\ninput ModelInvoiceConditionInput {\n  net: ModelIntInput\n  gross: ModelIntInput\n");
    CHECK_HAS(&r, "\ninput CreateEntryInput {\n  invoiceId: ID!\n  qty: Int\n}\n");
    CHECK_HAS(&r, "\ninput UpdateEntryInput {\n  invoiceId: ID!\n  lineNo: Int!\n  qty: Int\n}\n");
    CHECK_HAS(&r, "\ninput DeleteEntryInput {\n  invoiceId: ID!\n  lineNo: Int!\n}\n");
    const gg_amplify_model *m = gg_amplify_find_model(r.catalog, "Invoice");
    CHECK(gg_amplify_find_field(m, "gross")->read_only);
    CHECK(gg_amplify_find_field(m, "id")->read_only);
    CHECK(!gg_amplify_find_field(m, "net")->read_only);
    done(&r);
}

/* Issue 13, bug 3: @manyToMany with a model whose primary key is composite: the join model holds
 * every key field (<model><PartitionKey>, <model><sortKey>) and its index query is named after
 * all of them. */
static void test_many_to_many_composite_key(void)
{
    run r = {0};
    transform_text(
        &r, "shelves.graphql",
        "type Shelf @model {\n"
        "  room: String! @primaryKey(sortKeyFields: [\"no\"])\n"
        "  no: Int!\n"
        "  genres: [Genre] @manyToMany(relationName: \"ShelfGenre\")\n"
        "}\n"
        "type Genre @model { id: ID! name: String! shelves: [Shelf] @manyToMany(relationName: \"ShelfGenre\") }\n",
        false, GG_AMPLIFY_PROVIDER_API_KEY);
    for (const gg_error *e = r.errors.head; e; e = e->next)
        fprintf(stderr, "unexpected error: %s\n", e->message);
    CHECK(r.catalog != NULL);
    check_served_builds(&r);
    CHECK_HAS(&r, "\ntype ShelfGenre {\n  id: ID!\n  shelfRoom: String!\n  shelfno: Int!\n  genreId: ID!\n"
                  "  shelf: Shelf!\n  genre: Genre!\n");
    CHECK_HAS(&r,
              "\n  shelfGenresByShelfRoomAndShelfno(shelfRoom: String!, shelfno: ModelIntKeyConditionInput, "
              "sortDirection: ModelSortDirection, filter: ModelShelfGenreFilterInput, limit: Int, nextToken: String): "
              "ModelShelfGenreConnection\n");
    CHECK_HAS(&r,
              "\ninput CreateShelfGenreInput {\n  id: ID\n  shelfRoom: String!\n  shelfno: Int!\n  genreId: ID!\n}\n");
    const gg_amplify_relation *genres = relation_of(r.catalog, "Shelf", "genres");
    CHECK(genres != NULL && genres->local_count == 2 && genres->remote_count == 2);
    if (genres != NULL && genres->remote_count == 2) {
        CHECK_STR(genres->remote_fields[0], "shelfRoom");
        CHECK_STR(genres->remote_fields[1], "shelfno");
    }
    const gg_amplify_relation *shelf = relation_of(r.catalog, "ShelfGenre", "shelf");
    CHECK(shelf != NULL && shelf->local_count == 2);
    done(&r);
}

/* Issue 13: in sandbox mode the transformer re-appends the user's root fields (after the
 * generated ones); elsewhere they stay first. */
static void test_user_root_field_order(void)
{
    const char *models = "type Todo @model { id: ID! name: String }\ntype Query { summary: Int }\n";
    run plain = {0};
    transform_text(&plain, "plain.graphql", models, false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(plain.catalog != NULL);
    CHECK_HAS(&plain, "\ntype Query {\n  summary: Int\n  getTodo(id: ID!): Todo\n");
    done(&plain);
    char sandbox[512];
    snprintf(sandbox, sizeof sandbox, "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n%s", models);
    run r = {0};
    transform_text(&r, "sandbox.graphql", sandbox, false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK(r.catalog != NULL);
    check_served_builds(&r);
    CHECK_HAS(&r, "ModelTodoConnection\n  summary: Int\n}\n");
    done(&r);
}

/* @auth on custom root fields and embedded types becomes @aws_* directives (the field moves to
 * the end of its type, as the transformer re-appends it). */
static void test_non_model_auth(void)
{
    const char *sdl = "type Note @model @auth(rules: [{ allow: owner }]) { id: ID! text: String }\n"
                      "type Stat { n: Int @auth(rules: [{ allow: private, provider: iam }]) m: Int }\n"
                      "type Query {\n"
                      "  hello: String @auth(rules: [{ allow: private }])\n"
                      "  both: Stat @auth(rules: [{ allow: public }, { allow: groups, groups: [\"A\"] }])\n"
                      "  open: String @auth(rules: [{ allow: public }])\n"
                      "}\n";
    run r = {0};
    transform_text(&r, "custom.graphql", sdl, false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Stat {\n  m: Int\n  n: Int @aws_iam\n}\n");
    CHECK_HAS(&r, "type Query {\n  open: String\n  getNote(id: ID!): Note @aws_cognito_user_pools\n"
                  "  listNotes(filter: ModelNoteFilterInput, limit: Int, nextToken: String): ModelNoteConnection "
                  "@aws_cognito_user_pools\n  hello: String @aws_cognito_user_pools\n"
                  "  both: Stat @aws_cognito_user_pools @aws_api_key\n}\n");
    done(&r);
    transform_text(&r, "custom.graphql", sdl, false, GG_AMPLIFY_PROVIDER_USER_POOLS);
    CHECK_HAS(&r, "type Query {\n  hello: String\n  getNote(id: ID!): Note\n");
    CHECK_HAS(&r, "  both: Stat @aws_api_key @aws_cognito_user_pools\n  open: String @aws_api_key\n}\n");
    done(&r);
}

/* Field-level @auth: owner fields of field rules are added like the model's; delete needs a role
 * that may delete every field; field rules with other providers widen the model's directives. */
static void test_field_level_auth(void)
{
    run r = {0};
    transform_text(&r, "doc.graphql",
                   "type Doc @model @auth(rules: [{ allow: private }]) {\n"
                   "  id: ID! @auth(rules: [{ allow: private }])\n"
                   "  title: String\n"
                   "  secret: String @auth(rules: [{ allow: owner, ownerField: \"author\" }, { allow: private, "
                   "operations: [read] }])\n"
                   "}\n",
                   false, GG_AMPLIFY_PROVIDER_API_KEY);
    check_served_builds(&r);
    CHECK_HAS(&r, "type Doc @aws_cognito_user_pools {\n  id: ID!\n  title: String\n  secret: String\n"
                  "  createdAt: AWSDateTime!\n  updatedAt: AWSDateTime!\n  author: String\n}\n");
    CHECK_HAS(&r, "\n  getDoc(id: ID!): Doc @aws_cognito_user_pools\n");
    CHECK_HAS(
        &r, "\n  createDoc(input: CreateDocInput!, condition: ModelDocConditionInput): Doc @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  deleteDoc(input: DeleteDocInput!, condition: ModelDocConditionInput): Doc\n");
    CHECK_HAS(&r, "\n  onCreateDoc(filter: ModelSubscriptionDocFilterInput, author: String): Doc "
                  "@aws_subscribe(mutations: [\"createDoc\"]) @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "  not: ModelDocFilterInput\n  author: ModelStringInput\n}\n");
    const gg_amplify_model *doc = gg_amplify_find_model(r.catalog, "Doc");
    const gg_amplify_field *secret = doc ? gg_amplify_find_field(doc, "secret") : NULL;
    CHECK(secret && secret->auth_rule_count == 2 && strcmp(secret->auth_rules[0].owner_field, "author") == 0);
    CHECK(doc && gg_amplify_find_field(doc, "author") && gg_amplify_find_field(doc, "author")->generated);
    done(&r);

    transform_text(&r, "doc.graphql",
                   "type Doc @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {\n"
                   "  id: ID! @auth(rules: [{ allow: owner }, { allow: private, provider: iam }, { allow: public, "
                   "operations: [read] }])\n"
                   "  title: String\n"
                   "}\n",
                   false, GG_AMPLIFY_PROVIDER_API_KEY);
    CHECK_HAS(&r, "type Doc @aws_iam @aws_cognito_user_pools @aws_api_key {\n");
    CHECK_HAS(&r, "\n  getDoc(id: ID!): Doc @aws_api_key @aws_iam @aws_cognito_user_pools\n");
    CHECK_HAS(&r, "\n  createDoc(input: CreateDocInput!, condition: ModelDocConditionInput): Doc @aws_iam "
                  "@aws_cognito_user_pools\n");
    CHECK_HAS(
        &r, "\n  deleteDoc(input: DeleteDocInput!, condition: ModelDocConditionInput): Doc @aws_cognito_user_pools\n");
    done(&r);
}

/* ---- errors ---- */

typedef struct error_case {
    const char *sdl;
    const char *message; /* the first error's message */
    unsigned line, column;
} error_case;

static void test_errors(void)
{
    static const error_case cases[] = {
        {"type Post @model {\n  id: ID!\n  tags: [Tag] @hasMany\n}\ntype Tag { name: String }\n",
         "Object type Tag must be annotated with @model.", 3, 15},
        {"type Post @model {\n  id: ID! @primaryKey(sortKeyFields: [\"missing\"])\n}\n",
         "Can't find field 'missing' in Post, but it was specified in the primary key.", 2, 11},
        {"type Post @model {\n  id: ID!\n  title: String @index(name: \"byTitle\", sortKeyFields: [\"nope\"])\n}\n",
         "Can't find field 'nope' in Post, but it was specified in index 'byTitle'.", 3, 17},
        {"type Post @model {\n  slug: String @primaryKey\n}\n",
         "The primary key on type 'Post' must reference non-null fields.", 2, 16},
        {"type Post @model {\n  id: ID!\n  blog: [Blog] @belongsTo\n}\ntype Blog @model { id: ID! }\n",
         "@belongsTo cannot be used with lists.", 3, 16},
        {"type Post @model {\n  id: ID!\n  blog: Blog @hasMany\n}\ntype Blog @model { id: ID! }\n",
         "@hasMany must be used with a list. Use @hasOne for non-list types.", 3, 14},
        {"type Blog @model {\n  id: ID!\n  posts: [Post] @hasMany(references: [\"blogKey\"])\n}\ntype Post @model { "
         "id: ID! }\n",
         "blogKey is not a field in Post", 3, 17},
        {"type Query @model { id: ID! }\n",
         "'Query' is a reserved type name and currently in use within the default schema element.", 1, 12},
        {"type Post @model {\n  id: ID!\n  tags: [Tag] @manyToMany(relationName: \"PostTags\")\n}\ntype Tag @model { "
         "id: ID! }\n",
         "@manyToMany relation 'PostTags' must be used in exactly two locations.", 3, 15},
        {"type Post @model {\n  id: ID!\n  state: State @default(value: \"GONE\")\n}\nenum State { DRAFT }\n",
         "Default value \"GONE\" is not a member of State enum.", 3, 16},
        {"type Post @model {\n  id: ID!\n  n: Int @default(value: \"abc\")\n}\n",
         "Default value \"abc\" is not a valid Int.", 3, 10},
        {"type Post @model {\n  id: ID!\n  on: AWSDate @default(value: \"2024-13-01\")\n}\n",
         "Default value \"2024-13-01\" is not a valid AWSDate.", 3, 15},
        {"type Post @model {\n  id: ID!\n  meta: AWSJSON @default(value: \"{oops\")\n}\n",
         "Default value \"{oops\" is not a valid AWSJSON.", 3, 17},
        {"type Post @model {\n  id: ID!\n  tags: [String] @default(value: \"a\")\n}\n",
         "The @default directive may only be added to scalar or enum field types.", 3, 18},
        {"type Post @model {\n  id: ID!\n  title: String @default\n}\n",
         "The @default directive requires a value property on non-Int types.", 3, 17},
        {"type Post @model @searchable { id: ID! }\n",
         "@searchable is not supported by graphgate: it needs Amazon OpenSearch Service. "
         "Use the filter argument of list queries instead.",
         1, 18},
        {"type Note { x: Int @index(name: \"a\") }\ntype A @model { id: ID! }\n",
         "The @index directive may only be added to object definitions annotated with @model.", 1, 20},
        {"type A @model { id: ID! }\ntype Query { getA: Int }\n",
         "Field \"Query.getA\" is generated for @model \"A\" and also written in the schema.", 2, 14},
        {"type A @model { id: ID! }\ninput CreateAInput { x: Int }\n",
         "Type \"CreateAInput\" is generated by the @model transform; give the type in the schema another name.", 2, 1},
        {"type Post @model(mutations: {create: \"add post\"}) { id: ID! }\n",
         "@model: \"add post\" is not a valid GraphQL name.", 1, 11},
        {"type Post @model @auth(rules: [{allow: owner, ownerField: \"__owner\"}]) { id: ID! }\n",
         "@auth: ownerField \"__owner\" is not a valid GraphQL name.", 1, 32},
        {"type Post @model { id: ID! }\ntype Query {\n  n: Int @sql(statement: \"SELECT 1\", reference: \"q\")\n}\n",
         "@sql on \"Query.n\" needs exactly one of statement and reference.", 3, 10},
        {"schema { query: Root }\ntype Root { a: Int }\ntype Post @model { id: ID! }\n",
         "The query root type must be named \"Query\" in a schema with @model types, not \"Root\".", 1, 10},
        {"type Doc @model @auth(rules: [{ allow: private }]) {\n  id: ID! @auth(rules: [{ allow: private }])\n"
         "  secret: String @auth(rules: [{ allow: owner }, { allow: private, provider: iam, operations: [read] "
         "}])\n}\n",
         "When using field-level authorization rules you need to add rules to all of the model's required fields with "
         "at least "
         "read permissions. Found model \"Doc\" with required fields [\"id\"] missing field-level authorization rules.",
         1, 1},
        {"type Post @model {\n  id: ID!\n  blog: Blog @belongsTo\n}\ntype Blog @model { id: ID! }\n",
         "Blog must have a relationship with Post in order to use @belongsTo.", 3, 14},
        {"type Post @model {\n  id: ID! @primaryKey(sortKeyFields: [\"id\"])\n}\n",
         "@primaryKey field 'id' cannot reference itself.", 2, 11},
        {"type Post @model {\n  id: ID!\n  tags: [String] @index(name: \"byTags\")\n}\n",
         "Index 'byTags' on type 'Post.tags' cannot be a non-scalar.", 3, 18},
        {"type Post @model {\n  id: ID!\n  a: Int @index(name: \"x\")\n  b: Int @index(name: \"x\")\n}\n",
         "You may only supply one @index with the name 'x' on type 'Post'.", 4, 10},
        {"type Post @model {\n  id: ID!\n  c: [Comment] @hasMany(indexName: \"byPost\", fields: [\"id\"])\n}\n"
         "type Comment @model { id: ID! }\n",
         "Index byPost does not exist for model Comment", 3, 16},
        {"type Doc { id: ID! }\n",
         "The schema has no query: write a Query type, or a @model type whose queries are not turned off.", 1, 1},
        {"\ntype Doc @model(queries: null) { id: ID! }\n",
         "The schema has no query: write a Query type, or a @model type whose queries are not turned off.", 2, 1},
        {"type Post @model(queries: {get: 1}) { id: ID! }\n", NULL, 0, 0}, /* a type error in a directive argument */
        {"type Post @model { id: ID! ", "Syntax Error: Expected Name, found <EOF>.", 1, 28},
        {"type Post @model {\n  id: ID!\n  n: Int @readOnly @default(value: \"1\")\n}\n",
         "@readOnly and @default exclude each other: the database writes a @readOnly field n.", 3, 10},
        {"type Post @model {\n  id: ID!\n  blog: Blog @belongsTo @readOnly\n}\ntype Blog @model { id: ID! posts: "
         "[Post] "
         "@hasMany }\n",
         "@readOnly applies to a field stored in a column, not to the relation field blog.", 3, 25},
        {"type Note { x: Int @readOnly }\ntype A @model { id: ID! }\n",
         "@readOnly must be on an @model object type field.", 1, 20},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r = {0};
        transform_text(&r, "bad.graphql", cases[i].sdl, false, GG_AMPLIFY_PROVIDER_API_KEY);
        CHECK(r.catalog == NULL);
        CHECK(r.sdl.len == 0);
        CHECK(r.errors.count >= 1);
        const gg_error *e = r.errors.head;
        if (e && cases[i].message) {
            CHECK_STR(e->message, cases[i].message);
            CHECK(e->location_count >= 1);
            if (e->location_count >= 1) {
                CHECK_INT(e->locations[0].line, cases[i].line);
                CHECK_INT(e->locations[0].column, cases[i].column);
            }
            CHECK(strncmp(cases[i].sdl, "type Doc { id", 13) == 0 ||
                  (e->detail && strcmp(e->detail, "bad.graphql") == 0));
        } else if (e) {
            CHECK(e->location_count >= 1);
        }
        done(&r);
    }
}

/* A schema split over several files: errors name the file they are in. */
static void test_several_sources(void)
{
    const char *models = "type Post @model {\n  id: ID!\n  comments: [Comment] @hasMany\n}\n";
    const char *more = "type Comment @model {\n  id: ID!\n  post: Post @belongsTo\n}\n";
    const char *bad = "type Comment @model {\n  id: ID!\n  post: Post @belongsTo(fields: [\"postId\"])\n}\n";
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_buf sdl;
    gg_buf_init(&sdl);
    gg_schema_source ok[2] = {{"posts.graphql", models, strlen(models)}, {"comments.graphql", more, strlen(more)}};
    gg_amplify_catalog *c = gg_amplify_transform(ok, 2, NULL, &sdl, &errors);
    CHECK(c != NULL);
    CHECK(sdl.data && strstr(sdl.data, "  postCommentsId: ID\n}\n") != NULL);
    gg_amplify_catalog_free(c);
    gg_buf_free(&sdl);
    gg_buf_init(&sdl);
    gg_schema_source ko[2] = {{"posts.graphql", models, strlen(models)}, {"comments.graphql", bad, strlen(bad)}};
    c = gg_amplify_transform(ko, 2, NULL, &sdl, &errors);
    CHECK(c == NULL);
    CHECK(errors.head && errors.head->detail && strcmp(errors.head->detail, "comments.graphql") == 0);
    CHECK(errors.head && strcmp(errors.head->message, "postId is not a field in Comment") == 0);
    CHECK(errors.head && errors.head->location_count == 1 && errors.head->locations[0].line == 3 &&
          errors.head->locations[0].column == 14);
    gg_buf_free(&sdl);
    gg_arena_free(&arena);
}

/* gg_amplify_transform_built hands over the schema of the served SDL (what the gateway serves, built
 * once): the same schema as building that SDL again prints, with the served types' fields; none
 * when the transform fails. */
static void test_served_schema_handed_over(void)
{
    const char *models = "type Post @model {\n  id: ID!\n  title: String!\n}\n";
    const char *missing = "type Post @model {\n  id: ID!\n  other: Missing\n}\n";
    run r = {0}, ko = {0};
    transform_text(&r, "posts.graphql", models, false, GG_AMPLIFY_PROVIDER_API_KEY);
    gg_schema *served = NULL;
    gg_schema_source src = {"posts.graphql", models, strlen(models)};
    gg_buf sdl, printed, again;
    gg_buf_init(&sdl);
    gg_buf_init(&printed);
    gg_buf_init(&again);
    gg_amplify_catalog *c = gg_amplify_transform_built(&src, 1, NULL, "served", &sdl, &served, &r.errors);
    CHECK(c != NULL && served != NULL && r.errors.count == 0);
    CHECK(sdl.len == r.sdl.len && memcmp(sdl.data, r.sdl.data, sdl.len) == 0); /* the same served SDL */
    gg_type *query = served ? gg_schema_find_type(served, "Query") : NULL;
    CHECK(query != NULL && gg_type_find_field(query, "listPosts") != NULL);
    gg_type *mutation = served ? gg_schema_find_type(served, "Mutation") : NULL;
    CHECK(mutation != NULL && gg_type_find_field(mutation, "createPost") != NULL);
    gg_schema_source served_src = {"served", sdl.data, sdl.len};
    gg_schema_options appsync = {.appsync = true};
    gg_schema *built = gg_schema_build(&served_src, 1, &appsync, &r.errors);
    CHECK(built != NULL);
    if (served != NULL && built != NULL) {
        gg_print_schema(&printed, served);
        gg_print_schema(&again, built);
        CHECK(printed.len > 0 && printed.len == again.len && memcmp(printed.data, again.data, printed.len) == 0);
    }
    gg_schema_free(built);
    gg_schema_free(served);
    gg_amplify_catalog_free(c);
    gg_buf_free(&sdl);
    gg_buf_free(&printed);
    gg_buf_free(&again);
    done(&r);
    /* a failed transform hands over nothing */
    transform_text(&ko, "posts.graphql", models, false, GG_AMPLIFY_PROVIDER_API_KEY);
    gg_schema_source bad = {"posts.graphql", missing, strlen(missing)};
    served = (gg_schema *)&ko; /* overwritten */
    c = gg_amplify_transform_built(&bad, 1, NULL, "served", &ko.sdl, &served, &ko.errors);
    CHECK(c == NULL && served == NULL && ko.errors.count > 0);
    done(&ko);
}

/* The plural forms of the `pluralize` package the transformer uses, in list/sync/index names. */
static void test_plurals(void)
{
    static const char *const cases[][2] = {
        {"Category", "Categories"},
        {"Person", "People"},
        {"Address", "Addresses"},
        {"Analysis", "Analyses"},
        {"Leaf", "Leaves"},
        {"Quiz", "Quizzes"},
        {"Datum", "Data"},
        {"ProductCategory", "ProductCategories"},
        {"Status", "Statuses"},
        {"Index", "Indices"},
        {"Day", "Days"},
        {"Woman", "Women"},
        {"Series", "Series"},
        {"Hero", "Heroes"},
        {"Photo", "Photos"},
        {"Knife", "Knives"},
        /* pluralize's case rule: the added ending takes the case of the last letter */
        {"URL", "URLS"},
        {"MegaChildA", "MegaChildAS"},
        {"Post14", "Post14s"},
        /* its uncountable and irregular words, and the rules they take precedence over */
        {"Audio", "Audio"},
        {"Music", "Music"},
        {"Feedback", "Feedbacks"},
        {"Schema", "Schemata"},
        {"Tornado", "Tornadoes"},
        {"Cafe", "Cafes"},
        {"Wife", "Wives"},
        {"Axis", "Axes"},
        {"SalesPerson", "SalesPeople"},
        {"BigFoot", "BigFoots"},
        {"Emu", "Emus"},
        {"Mouse", "Mice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char sdl[128];
        snprintf(sdl, sizeof sdl, "type %s @model { id: ID! }", cases[i][0]);
        run r = {0};
        transform_text(&r, "plural.graphql", sdl, true, GG_AMPLIFY_PROVIDER_API_KEY);
        const gg_amplify_model *m = gg_amplify_find_model(r.catalog, cases[i][0]);
        CHECK(m != NULL);
        if (m) {
            CHECK_STR(m->plural, cases[i][1]);
            char list[128], sync[128];
            snprintf(list, sizeof list, "\n  list%s(filter: Model%sFilterInput, limit: Int, nextToken: String)",
                     cases[i][1], cases[i][0]);
            snprintf(sync, sizeof sync, "\n  sync%s(filter: Model%sFilterInput,", cases[i][1], cases[i][0]);
            CHECK_HAS(&r, list);
            CHECK_HAS(&r, sync);
        }
        done(&r);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1) source_root = argv[1];
    RUN(test_every_fixture_builds);
    RUN(test_todo_served);
    RUN(test_todo_catalog);
    RUN(test_todo_sync);
    RUN(test_sync_per_model);
    RUN(test_todo_user_pools_default);
    RUN(test_blog);
    RUN(test_blog_sandbox_user_pools);
    RUN(test_chat);
    RUN(test_store);
    RUN(test_model_only_schema);
    RUN(test_composite_keys_and_embedded_types);
    RUN(test_several_sources);
    RUN(test_served_schema_handed_over);
    RUN(test_plurals);
    RUN(test_non_model_auth);
    RUN(test_field_level_auth);
    RUN(test_errors);
    RUN(test_primary_key_with_disabled_operations);
    RUN(test_read_only_fields);
    RUN(test_primary_key_keeps_declared_id);
    RUN(test_many_to_many_composite_key);
    RUN(test_user_root_field_order);
    return test_summary();
}
