/* model_fixture.h: a small Amplify app for the PostgreSQL @model tests: the served SDL (what the
 * transformer outputs for it, the parts these tests use) and its model catalog, built by hand so
 * the resolver tests do not depend on the transform (server/amplify/transform.c).
 *
 * The user schema it stands for:
 *   enum PostStatus { DRAFT PUBLISHED }
 *   type Address { street: String  city: String  zip: Int }          # embedded (non-model) type
 *   type Blog @model { name: String!  address: Address  posts: [Post] @hasMany(references: ["blogId"]) }
 *   type Post @model { title: String!  rating: Int  score: Float  published: Boolean  tags: [String]
 *     status: PostStatus @default(value: "DRAFT") @index(name: "byStatus", sortKeyFields: ["rating"], queryField:
 * "postsByStatus") meta: AWSJSON  views: AWSTimestamp  blogId: ID  blog: Blog @belongsTo(references: ["blogId"])
 *     comments: [Comment] @hasMany(references: ["postId"]) }
 *   type Comment @model @refersTo(name: "comment_rows") { postId: ID  content: String @refersTo(name: "body")
 *     post: Post @belongsTo(references: ["postId"]) }
 *   type Score @model { game: String! @primaryKey(sortKeyFields: ["player"])  player: String!  points: Int }
 *   type User @model { name: String!  profileId: ID  profile: Profile @hasOne(fields: ["profileId"])
 *     posts: [Post] @manyToMany(relationName: "PostEditors") }      # Post also has editors: [User] @manyToMany
 *   type Profile @model { bio: String }
 *   type Query { latestPost: Post }   # a custom field (the tests give it a resolver) */
#ifndef GG_TEST_MODEL_FIXTURE_H
#define GG_TEST_MODEL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amplify/model.h"
#include "pg_resolvers.h"
#include "type/schema_build.h"

static const char fixture_sdl[] =
    "enum ModelSortDirection { ASC DESC }\n"
    "enum ModelAttributeTypes { binary binarySet bool list map number numberSet string stringSet _null }\n"
    "enum PostStatus { DRAFT PUBLISHED }\n"
    "input ModelSizeInput { ne: Int eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] }\n"
    "input ModelStringInput { ne: String eq: String le: String lt: String ge: String gt: String contains: String "
    "notContains: String between: [String] beginsWith: String attributeExists: Boolean attributeType: "
    "ModelAttributeTypes size: ModelSizeInput }\n"
    "input ModelIDInput { ne: ID eq: ID le: ID lt: ID ge: ID gt: ID contains: ID notContains: ID between: [ID] "
    "beginsWith: ID attributeExists: Boolean attributeType: ModelAttributeTypes size: ModelSizeInput }\n"
    "input ModelIntInput { ne: Int eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] attributeExists: Boolean "
    "attributeType: ModelAttributeTypes }\n"
    "input ModelFloatInput { ne: Float eq: Float le: Float lt: Float ge: Float gt: Float between: [Float] "
    "attributeExists: Boolean attributeType: ModelAttributeTypes }\n"
    "input ModelBooleanInput { ne: Boolean eq: Boolean attributeExists: Boolean attributeType: ModelAttributeTypes }\n"
    "input ModelPostStatusInput { eq: PostStatus ne: PostStatus }\n"
    "input ModelStringKeyConditionInput { eq: String le: String lt: String ge: String gt: String between: [String] "
    "beginsWith: String }\n"
    "input ModelIntKeyConditionInput { eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] }\n"
    "type Address { street: String city: String zip: Int }\n"
    "input AddressInput { street: String city: String zip: Int }\n"
    "type Blog { id: ID! name: String! address: Address posts(filter: ModelPostFilterInput, sortDirection: "
    "ModelSortDirection, "
    "limit: Int, nextToken: String): ModelPostConnection createdAt: AWSDateTime! updatedAt: AWSDateTime! }\n"
    "type Post { id: ID! title: String! rating: Int score: Float published: Boolean tags: [String] status: "
    "PostStatus meta: AWSJSON views: AWSTimestamp blogId: ID blog: Blog comments(filter: ModelCommentFilterInput, "
    "sortDirection: ModelSortDirection, limit: Int, nextToken: String): ModelCommentConnection createdAt: "
    "AWSDateTime! updatedAt: AWSDateTime! editors(filter: ModelPostEditorsFilterInput, sortDirection: "
    "ModelSortDirection, limit: Int, nextToken: String): ModelPostEditorsConnection }\n"
    "type User { id: ID! name: String! profileId: ID profile: Profile posts(filter: ModelPostEditorsFilterInput, "
    "sortDirection: ModelSortDirection, limit: Int, nextToken: String): ModelPostEditorsConnection createdAt: "
    "AWSDateTime! updatedAt: AWSDateTime! }\n"
    "type Profile { id: ID! bio: String createdAt: AWSDateTime! updatedAt: AWSDateTime! }\n"
    "type PostEditors { id: ID! postId: ID! userId: ID! post: Post! user: User! createdAt: AWSDateTime! updatedAt: "
    "AWSDateTime! }\n"
    "type ModelPostEditorsConnection { items: [PostEditors]! nextToken: String }\n"
    "input ModelPostEditorsFilterInput { id: ModelIDInput postId: ModelIDInput userId: ModelIDInput and: "
    "[ModelPostEditorsFilterInput] or: [ModelPostEditorsFilterInput] not: ModelPostEditorsFilterInput }\n"
    "type Comment { id: ID! postId: ID content: String post: Post createdAt: AWSDateTime! updatedAt: AWSDateTime! }\n"
    "type Score { game: String! player: String! points: Int createdAt: AWSDateTime! updatedAt: AWSDateTime! }\n"
    "type ModelBlogConnection { items: [Blog]! nextToken: String }\n"
    "type ModelPostConnection { items: [Post]! nextToken: String }\n"
    "type ModelCommentConnection { items: [Comment]! nextToken: String }\n"
    "type ModelScoreConnection { items: [Score]! nextToken: String }\n"
    "input ModelBlogFilterInput { id: ModelIDInput name: ModelStringInput createdAt: ModelStringInput updatedAt: "
    "ModelStringInput and: [ModelBlogFilterInput] or: [ModelBlogFilterInput] not: ModelBlogFilterInput }\n"
    "input ModelBlogConditionInput { name: ModelStringInput createdAt: ModelStringInput updatedAt: ModelStringInput "
    "and: [ModelBlogConditionInput] or: [ModelBlogConditionInput] not: ModelBlogConditionInput }\n"
    "input ModelPostFilterInput { id: ModelIDInput title: ModelStringInput rating: ModelIntInput score: "
    "ModelFloatInput published: ModelBooleanInput tags: ModelStringInput status: ModelPostStatusInput views: "
    "ModelIntInput blogId: ModelIDInput createdAt: ModelStringInput updatedAt: ModelStringInput and: "
    "[ModelPostFilterInput] or: [ModelPostFilterInput] not: ModelPostFilterInput }\n"
    "input ModelPostConditionInput { title: ModelStringInput rating: ModelIntInput score: ModelFloatInput "
    "published: ModelBooleanInput tags: ModelStringInput status: ModelPostStatusInput views: ModelIntInput blogId: "
    "ModelIDInput createdAt: ModelStringInput updatedAt: ModelStringInput and: [ModelPostConditionInput] or: "
    "[ModelPostConditionInput] not: ModelPostConditionInput }\n"
    "input ModelCommentFilterInput { id: ModelIDInput postId: ModelIDInput content: ModelStringInput createdAt: "
    "ModelStringInput updatedAt: ModelStringInput and: [ModelCommentFilterInput] or: [ModelCommentFilterInput] not: "
    "ModelCommentFilterInput }\n"
    "input ModelCommentConditionInput { postId: ModelIDInput content: ModelStringInput and: "
    "[ModelCommentConditionInput] or: [ModelCommentConditionInput] not: ModelCommentConditionInput }\n"
    "input ModelScoreFilterInput { game: ModelStringInput player: ModelStringInput points: ModelIntInput and: "
    "[ModelScoreFilterInput] or: [ModelScoreFilterInput] not: ModelScoreFilterInput }\n"
    "input ModelScoreConditionInput { points: ModelIntInput and: [ModelScoreConditionInput] or: "
    "[ModelScoreConditionInput] not: ModelScoreConditionInput }\n"
    "input CreateBlogInput { id: ID name: String! address: AddressInput createdAt: AWSDateTime updatedAt: AWSDateTime "
    "}\n"
    "input UpdateBlogInput { id: ID! name: String address: AddressInput createdAt: AWSDateTime updatedAt: AWSDateTime "
    "}\n"
    "input DeleteBlogInput { id: ID! }\n"
    "input CreatePostInput { id: ID title: String! rating: Int score: Float published: Boolean tags: [String] "
    "status: PostStatus meta: AWSJSON views: AWSTimestamp blogId: ID createdAt: AWSDateTime updatedAt: AWSDateTime }\n"
    "input UpdatePostInput { id: ID! title: String rating: Int score: Float published: Boolean tags: [String] "
    "status: PostStatus meta: AWSJSON views: AWSTimestamp blogId: ID createdAt: AWSDateTime updatedAt: AWSDateTime }\n"
    "input DeletePostInput { id: ID! }\n"
    "input CreateCommentInput { id: ID postId: ID content: String }\n"
    "input UpdateCommentInput { id: ID! postId: ID content: String }\n"
    "input DeleteCommentInput { id: ID! }\n"
    "input CreateScoreInput { game: String! player: String! points: Int }\n"
    "input UpdateScoreInput { game: String! player: String! points: Int }\n"
    "input DeleteScoreInput { game: String! player: String! }\n"
    "type Query {\n"
    "  getBlog(id: ID!): Blog\n"
    "  listBlogs(filter: ModelBlogFilterInput, limit: Int, nextToken: String): ModelBlogConnection\n"
    "  getPost(id: ID!): Post\n"
    "  listPosts(filter: ModelPostFilterInput, limit: Int, nextToken: String): ModelPostConnection\n"
    "  postsByStatus(status: PostStatus!, rating: ModelIntKeyConditionInput, sortDirection: ModelSortDirection, "
    "filter: ModelPostFilterInput, limit: Int, nextToken: String): ModelPostConnection\n"
    "  getComment(id: ID!): Comment\n"
    "  listComments(filter: ModelCommentFilterInput, limit: Int, nextToken: String): ModelCommentConnection\n"
    "  getScore(game: String!, player: String!): Score\n"
    "  listScores(game: String, player: ModelStringKeyConditionInput, filter: ModelScoreFilterInput, limit: Int, "
    "nextToken: String, sortDirection: ModelSortDirection): ModelScoreConnection\n"
    "  getUser(id: ID!): User\n"
    "  latestPost: Post\n"
    "}\n"
    "type Mutation {\n"
    "  createBlog(input: CreateBlogInput!, condition: ModelBlogConditionInput): Blog\n"
    "  updateBlog(input: UpdateBlogInput!, condition: ModelBlogConditionInput): Blog\n"
    "  deleteBlog(input: DeleteBlogInput!, condition: ModelBlogConditionInput): Blog\n"
    "  createPost(input: CreatePostInput!, condition: ModelPostConditionInput): Post\n"
    "  updatePost(input: UpdatePostInput!, condition: ModelPostConditionInput): Post\n"
    "  deletePost(input: DeletePostInput!, condition: ModelPostConditionInput): Post\n"
    "  createComment(input: CreateCommentInput!, condition: ModelCommentConditionInput): Comment\n"
    "  updateComment(input: UpdateCommentInput!, condition: ModelCommentConditionInput): Comment\n"
    "  deleteComment(input: DeleteCommentInput!, condition: ModelCommentConditionInput): Comment\n"
    "  createScore(input: CreateScoreInput!, condition: ModelScoreConditionInput): Score\n"
    "  updateScore(input: UpdateScoreInput!, condition: ModelScoreConditionInput): Score\n"
    "  deleteScore(input: DeleteScoreInput!, condition: ModelScoreConditionInput): Score\n"
    "}\n";

static gg_amplify_model *fx_model(gg_amplify_catalog *cat, const char *name, const char *plural, const char *table)
{
    gg_amplify_model *m = gg_arena_alloc(&cat->arena, sizeof *m);
    m->name = name;
    m->plural = plural;
    m->table = table ? table : name;
    m->fields = gg_arena_array(&cat->arena, 32, sizeof *m->fields);
    m->ops.get = gg_arena_printf(&cat->arena, "get%s", name);
    m->ops.list = gg_arena_printf(&cat->arena, "list%s", plural);
    m->ops.create = gg_arena_printf(&cat->arena, "create%s", name);
    m->ops.update = gg_arena_printf(&cat->arena, "update%s", name);
    m->ops.delete_ = gg_arena_printf(&cat->arena, "delete%s", name);
    m->created_at = "createdAt";
    m->updated_at = "updatedAt";
    static const char *default_key[1] = {"id"};
    m->primary_key = default_key;
    m->primary_key_count = 1;
    cat->models = gg_arena_grow(&cat->arena, cat->models, cat->model_count, cat->model_count + 1, sizeof *cat->models);
    cat->models[cat->model_count++] = m;
    gg_strmap_put(&cat->model_map, name, strlen(name), m);
    return m;
}

static gg_amplify_field *fx_field(gg_amplify_model *m, const char *name, const char *type_name,
                                  gg_amplify_field_kind kind)
{
    gg_amplify_field *f = &m->fields[m->field_count++];
    f->name = name;
    f->column = kind == GG_AMPLIFY_FIELD_RELATION ? NULL : name;
    f->type_name = type_name;
    f->kind = kind;
    return f;
}

static gg_amplify_field *fx_scalar(gg_amplify_model *m, const char *name, const char *type_name)
{
    return fx_field(m, name, type_name, GG_AMPLIFY_FIELD_SCALAR);
}

static gg_amplify_relation *fx_relation(gg_amplify_catalog *cat, gg_amplify_model *m, const char *name,
                                        gg_amplify_relation_kind kind, const char *target, const char *local,
                                        const char *remote)
{
    gg_amplify_field *f = fx_field(m, name, target, GG_AMPLIFY_FIELD_RELATION);
    gg_amplify_relation *r = gg_arena_alloc(&cat->arena, sizeof *r);
    r->kind = kind;
    r->target = target;
    r->local_fields = gg_arena_alloc(&cat->arena, sizeof *r->local_fields);
    r->local_fields[0] = local;
    r->local_count = 1;
    r->remote_fields = gg_arena_alloc(&cat->arena, sizeof *r->remote_fields);
    r->remote_fields[0] = remote;
    r->remote_count = 1;
    r->uses_references = true;
    r->limit = 100;
    f->relation = r;
    return r;
}

/* Fills cat (its arena initialised here; release with gg_arena_free(&cat->arena)). */
static void fixture_catalog(gg_amplify_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    gg_arena_init(&cat->arena);
    gg_strmap_init(&cat->model_map, &cat->arena);
    cat->sandbox_public = true;

    gg_amplify_model *blog = fx_model(cat, "Blog", "Blogs", NULL);
    fx_scalar(blog, "id", "ID")->is_primary_key = true;
    fx_scalar(blog, "name", "String");
    fx_field(blog, "address", "Address", GG_AMPLIFY_FIELD_EMBEDDED);
    fx_relation(cat, blog, "posts", GG_AMPLIFY_HAS_MANY, "Post", "id", "blogId");
    fx_scalar(blog, "createdAt", "AWSDateTime");
    fx_scalar(blog, "updatedAt", "AWSDateTime");

    gg_amplify_model *post = fx_model(cat, "Post", "Posts", NULL);
    fx_scalar(post, "id", "ID")->is_primary_key = true;
    fx_scalar(post, "title", "String");
    fx_scalar(post, "rating", "Int");
    fx_scalar(post, "score", "Float");
    fx_scalar(post, "published", "Boolean");
    gg_amplify_field *tags = fx_field(post, "tags", "String", GG_AMPLIFY_FIELD_SCALAR);
    tags->list = true;
    fx_field(post, "status", "PostStatus", GG_AMPLIFY_FIELD_ENUM)->default_value = "DRAFT";
    fx_scalar(post, "meta", "AWSJSON");
    fx_scalar(post, "views", "AWSTimestamp");
    fx_scalar(post, "blogId", "ID");
    fx_relation(cat, post, "blog", GG_AMPLIFY_BELONGS_TO, "Blog", "blogId", "id");
    fx_relation(cat, post, "comments", GG_AMPLIFY_HAS_MANY, "Comment", "id", "postId");
    fx_scalar(post, "createdAt", "AWSDateTime");
    fx_scalar(post, "updatedAt", "AWSDateTime");
    post->indexes = gg_arena_alloc(&cat->arena, sizeof *post->indexes);
    post->index_count = 1;
    post->indexes[0].name = "byStatus";
    post->indexes[0].partition_field = "status";
    static const char *by_status_sort[1] = {"rating"};
    post->indexes[0].sort_fields = by_status_sort;
    post->indexes[0].sort_count = 1;
    post->indexes[0].query_field = "postsByStatus";

    gg_amplify_model *comment = fx_model(cat, "Comment", "Comments", "comment_rows");
    fx_scalar(comment, "id", "ID")->is_primary_key = true;
    fx_scalar(comment, "postId", "ID");
    gg_amplify_field *content = fx_field(comment, "content", "String", GG_AMPLIFY_FIELD_SCALAR);
    content->column = "body";
    fx_relation(cat, comment, "post", GG_AMPLIFY_BELONGS_TO, "Post", "postId", "id");
    fx_scalar(comment, "createdAt", "AWSDateTime");
    fx_scalar(comment, "updatedAt", "AWSDateTime");

    gg_amplify_relation *editors = fx_relation(cat, post, "editors", GG_AMPLIFY_MANY_TO_MANY, "User", "id", "postId");
    editors->join_model = "PostEditors";
    editors->join_local_field = "postId";
    editors->join_remote_field = "userId";

    gg_amplify_model *user = fx_model(cat, "User", "Users", NULL);
    fx_scalar(user, "id", "ID")->is_primary_key = true;
    fx_scalar(user, "name", "String");
    fx_scalar(user, "profileId", "ID");
    fx_relation(cat, user, "profile", GG_AMPLIFY_HAS_ONE, "Profile", "profileId", "id");
    gg_amplify_relation *user_posts = fx_relation(cat, user, "posts", GG_AMPLIFY_MANY_TO_MANY, "Post", "id", "userId");
    user_posts->join_model = "PostEditors";
    user_posts->join_local_field = "userId";
    user_posts->join_remote_field = "postId";
    fx_scalar(user, "createdAt", "AWSDateTime");
    fx_scalar(user, "updatedAt", "AWSDateTime");

    gg_amplify_model *profile = fx_model(cat, "Profile", "Profiles", NULL);
    fx_scalar(profile, "id", "ID")->is_primary_key = true;
    fx_scalar(profile, "bio", "String");
    fx_scalar(profile, "createdAt", "AWSDateTime");
    fx_scalar(profile, "updatedAt", "AWSDateTime");

    gg_amplify_model *join = fx_model(cat, "PostEditors", "PostEditors", NULL);
    join->is_join_model = true;
    fx_scalar(join, "id", "ID")->is_primary_key = true;
    fx_scalar(join, "postId", "ID");
    fx_scalar(join, "userId", "ID");
    fx_relation(cat, join, "post", GG_AMPLIFY_BELONGS_TO, "Post", "postId", "id");
    fx_relation(cat, join, "user", GG_AMPLIFY_BELONGS_TO, "User", "userId", "id");
    fx_scalar(join, "createdAt", "AWSDateTime");
    fx_scalar(join, "updatedAt", "AWSDateTime");

    gg_amplify_model *score = fx_model(cat, "Score", "Scores", NULL);
    fx_scalar(score, "game", "String")->is_primary_key = true;
    fx_scalar(score, "player", "String")->is_primary_key = true;
    fx_scalar(score, "points", "Int");
    fx_scalar(score, "createdAt", "AWSDateTime");
    fx_scalar(score, "updatedAt", "AWSDateTime");
    static const char *score_key[2] = {"game", "player"};
    score->primary_key = score_key;
    score->primary_key_count = 2;
}

/* The fixture's served schema, bound to PostgreSQL with the given plan; latestPost (the custom
 * field) gets resolver latest. Exits when the SDL does not build (nothing else could run). */
static gg_schema *fixture_schema(const gg_amplify_catalog *cat, gg_pg_plan_kind plan, gg_resolve_fn latest)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_schema_source src = {"fixture.graphql", fixture_sdl, strlen(fixture_sdl)};
    gg_schema_options opts = {.appsync = true};
    gg_schema *s = gg_schema_build(&src, 1, &opts, &errors);
    for (gg_error *e = errors.head; e; e = e->next)
        fprintf(stderr, "fixture schema: %s (%u:%u)\n", e->message, e->location_count ? e->locations[0].line : 0,
                e->location_count ? e->locations[0].column : 0);
    gg_arena_free(&arena);
    if (s == NULL) exit(1);
    gg_pg_options popts = {.plan = plan};
    gg_pg_bind(s, cat, &popts);
    gg_type_find_field(s->query_type, "latestPost")->resolve = latest;
    return s;
}

#endif
