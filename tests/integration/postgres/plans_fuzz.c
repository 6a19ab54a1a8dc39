/* plans_fuzz.c: a seeded differential test of the two PostgreSQL plans (resolvers/postgres/plan.h):
 * the rows plan (plan_rows.c, the default) and the json plan (plan_json.c) must answer every query
 * byte for byte alike.
 *
 * Design. The fixture app (model_fixture.h) is migrated into this test's own PostgreSQL schema
 * with its foreign keys dropped (as model_crud.c does: loose references, as on AppSync), then
 * seeded with a fixed data set that covers every scalar type filled and NULL, awkward text and
 * numbers, comments of posts that do not exist, @belongsTo targets shared by many rows, and join
 * rows that point nowhere. The same served schema is bound twice, once per plan. A small
 * generator (xorshift, seeded: GG_PLANS_FUZZ_SEED, default fixed; GG_PLANS_FUZZ_N queries,
 * default 400) writes random operations from the fixture's types: a random root field (get, list,
 * the @index query, listScores with its partition key), selections up to 5 levels deep following
 * relations, random connection arguments (limit 1..4, sortDirection, a filter from a per-model
 * pool of valid filters, a nextToken taken from an earlier answer of the same connection), aliases
 * (two aliases of one relation with different arguments, aliases of `items` and `nextToken`, one
 * relation selected twice with the same arguments so the selections merge), named and inline
 * fragments (also on connection types), @include/@skip, __typename, arguments given as literals,
 * as null, or through variables (given, left to their default, or given over it). Each query runs
 * on both schemas and the answers must be identical, errors included (so the rows plan never
 * fails where the json plan does not, and the other way round); a mismatch prints the seed, the
 * query, its variables and both answers. A generated query that does not validate fails the test
 * (a generator bug would otherwise compare two identical error messages).
 *
 * What it cannot see: anything both plans share (field collection in pg_selection.c, filters,
 * keysets and writes in plan_sql.c, the executor) answers alike on both even when it is wrong.
 *
 * Mutations (about one query in twelve) are compared too: each one runs on the rows plan, the
 * written tables are restored from a snapshot taken after seeding, then it runs on the json plan
 * and the tables are restored again, so both runs see the same data. Their top-level selection
 * leaves out the timestamps the write sets (the two runs happen at different times), and never
 * follows a relation to the written model: plan.h documents that relations under a mutation's
 * answer show the data after the write in the rows plan and before it in the json plan. A
 * mutation operation with two fields also keeps the second field's relations off the model the
 * first one wrote (its timestamps differ between the runs).
 *
 * Bugs the fuzzer found are kept below as fixed regression queries (regressions[]).
 * GG_PLANS_FUZZ_QUERY (with GG_PLANS_FUZZ_VARIABLES) runs one query of your own on both plans, and
 * GG_PLANS_FUZZ_VERBOSE prints every answer with errors. */
#include "model_fixture.h"
#include "model_harness.h"

#define SCHEMA_NAME "gg_d_plans_fuzz"

static gg_amplify_catalog catalog;
static char conninfo[1024];
static gg_schema *rows_schema, *json_schema;

/* ---- set-up ---- */

static void migrate_schema(void)
{
    exec_sql("DROP SCHEMA IF EXISTS " SCHEMA_NAME " CASCADE");
    exec_sql("CREATE SCHEMA " SCHEMA_NAME);
    exec_sql("SET search_path TO " SCHEMA_NAME);
    conninfo_for(conninfo, sizeof conninfo, SCHEMA_NAME);
    char error[512] = "";
    CHECK(gg_pg_migrate(db, &catalog, false, NULL, GG_FAULT_INTO(error)));
    CHECK_STR(error, "");
    /* loose references: children of missing parents exist (database.foreign_keys false) */
    exec_sql("DO $$ DECLARE c record; BEGIN FOR c IN SELECT conname, conrelid::regclass AS t FROM pg_constraint WHERE "
             "contype = 'f' AND connamespace = '" SCHEMA_NAME "'::regnamespace LOOP EXECUTE format('ALTER TABLE %s "
             "DROP CONSTRAINT %I', c.t, c.conname); END LOOP; END $$");
    CHECK(gg_pg_load_cursor_key(db, NULL, &cursor_key, GG_FAULT_INTO(error)));
}

static void resolve_latest_post(gg_resolve_info *info)
{
    gg_val *post = gg_val_object(info->arena, 3);
    gg_val_object_set(info->arena, post, "id", gg_val_string(info->arena, "p03", 3));
    gg_val_object_set(info->arena, post, "title", gg_val_string(info->arena, "Latest", 6));
    gg_val_object_set(info->arena, post, "blogId", gg_val_string(info->arena, "b1", 2));
    gg_resolve_return(info, post);
}

static gg_schema *make_schema(gg_pg_plan_kind plan)
{
    return fixture_schema(&catalog, plan, resolve_latest_post);
}

static void make_pool(void)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = conninfo, .size = 2};
    pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    wait_ready(pool, 2);
    request_ctx.pool = pool;
    request_ctx.cursor_key = &cursor_key;
}

/* ---- the data set ---- */

static const char *const data_tables[] = {"Blog", "Post", "comment_rows", "User", "Profile", "PostEditors", "Score"};
enum { TABLE_COUNT = sizeof data_tables / sizeof *data_tables, POST_COUNT = 30 };

static void seed_data(void)
{
    exec_sql("INSERT INTO \"Blog\" (id, name, address, \"createdAt\", \"updatedAt\") VALUES "
             "('b1', 'Blog one', '{\"street\": \"1 Main St\", \"city\": \"Bergen\", \"zip\": 5003}', "
             "'2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'), "
             "('b2', 'Blog two', '{\"city\": \"Oslo\"}', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('b3', 'Blög \"three\"\\', NULL, '2024-02-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'), "
             "('b4', '', '{}', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z')");
    static const char *const titles[] = {
        "Post",    "Hello \"quoted\" \\ back", "tab\there\nnewline", "日本語 é ü", "", "Post", "ctrl \x01 char",
        "a/b<c>&d"};
    static const char *const ratings[] = {"NULL", "0", "1", "3", "3", "5", "2147483647", "-2147483648", "2"};
    static const char *const scores[] = {"NULL", "2.5",   "0.1",   "3",          "-0",
                                         "1e21", "-1e-7", "1e300", "123456.789", "0.30000000000000004"};
    static const char *const published[] = {"NULL", "true", "false"};
    static const char *const tags[] = {
        "NULL", "'{}'", "'{\"a\"}'", "'{\"a\", \"b\"}'", "'{NULL}'", "'{\"x\\\"y\", \"é\"}'"};
    static const char *const statuses[] = {"'DRAFT'", "'PUBLISHED'", "'PUBLISHED'", "NULL"};
    static const char *const metas[] = {"NULL",
                                        "'{\"k\": [1, 2.5, null]}'",
                                        "'\"just text\"'",
                                        "'[1, 2]'",
                                        "'1.50'",
                                        "'null'",
                                        "'{\"a\": {\"b\": \"ü\\n\"}}'",
                                        "'true'",
                                        "'{}'",
                                        "'{\"big\": 12345678901234567890, \"e\": 1e2, \"z\": -0.0}'",
                                        "'[1e400, \"\\u00e9\"]'"};
    /* 2^53 + 1 and bigint's extremes: both plans must give them back exactly */
    static const char *const views[] = {
        "NULL",         "1714560000123", "0", "-1", "9007199254740993", "9223372036854775807", "-9223372036854775808",
        "1714560000123"};
    static const char *const blogs[] = {"'b1'", "'b1'", "'b2'", "'b3'", "NULL", "'b-missing'", "'b1'"};
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "INSERT INTO \"Post\" (id, title, rating, score, published, tags, status, meta, views, "
                      "\"blogId\", \"createdAt\", \"updatedAt\") VALUES ");
    for (int i = 1; i <= POST_COUNT; i++) {
        const char *t = titles[i % 8];
        gg_buf_printf(&sql, "%s('p%02d', ", i > 1 ? ", " : "", i);
        gg_buf_puts(&sql, "'");
        for (const char *c = t; *c; c++) { /* SQL literal: double the quotes */
            if (*c == '\'') gg_buf_putc(&sql, '\'');
            gg_buf_putc(&sql, *c);
        }
        if (i % 8 == 0 || i % 8 == 5) gg_buf_printf(&sql, " %d", i);
        gg_buf_printf(&sql,
                      "', %s, %s, %s, %s, %s, %s, %s, %s, '2024-05-%02dT10:00:00.000Z', "
                      "'2024-06-%02dT10:00:00.%03dZ')",
                      ratings[i % 9], scores[(i * 7) % 10], published[i % 3], tags[(i * 5) % 6], statuses[i % 4],
                      metas[(i * 4) % 11], views[(i * 5) % 8], blogs[i % 7], 1 + i % 28, 1 + i % 5, i);
    }
    exec_sql(sql.data);
    /* comments: 0..5 per post, some of posts that do not exist, some with no post */
    gg_buf_free(&sql);
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "INSERT INTO comment_rows (id, \"postId\", body, \"createdAt\", \"updatedAt\") VALUES ");
    static const char *const bodies[] = {"'first'", "NULL", "'so good'", "'\"quoted\" \\\\ é'", "''", "'lol'"};
    int n = 0;
    for (int i = 1; i <= POST_COUNT + 2; i++) {
        int count = i > POST_COUNT ? 3 : (i * 3) % 6;
        for (int j = 1; j <= count; j++, n++) {
            char post[16];
            if (i > POST_COUNT)
                snprintf(post, sizeof post, "%s", i == POST_COUNT + 1 ? "'p-missing'" : "NULL");
            else
                snprintf(post, sizeof post, "'p%02d'", i);
            gg_buf_printf(&sql, "%s('c%02d-%d', %s, %s, '2024-07-01T00:00:%02d.000Z', '2024-07-02T00:00:00.000Z')",
                          n ? ", " : "", i, j, post, bodies[(i + j) % 6], (i * j) % 60);
        }
    }
    exec_sql(sql.data);
    gg_buf_free(&sql);
    exec_sql("INSERT INTO \"Profile\" (id, bio, \"createdAt\", \"updatedAt\") VALUES "
             "('pr1', 'shared bio', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('pr2', NULL, '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'), "
             "('pr3', 'ünïcode', '2024-01-04T00:00:00.000Z', '2024-01-04T00:00:00.000Z')");
    exec_sql("INSERT INTO \"User\" (id, name, \"profileId\", \"createdAt\", \"updatedAt\") VALUES "
             "('u1', 'Ada', 'pr1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('u2', 'Ben', 'pr1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('u3', 'Cy', NULL, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('u4', 'Di', 'pr-missing', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('u5', 'Ed', 'pr3', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('u6', 'Flo', 'pr2', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')");
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "INSERT INTO \"PostEditors\" (id, \"postId\", \"userId\", \"createdAt\", \"updatedAt\") VALUES ");
    for (int i = 1; i <= 18; i++) {
        char post[16], user[16];
        snprintf(post, sizeof post, i == 17 ? "p-missing" : "p%02d", i == 18 ? 25 : (i * 7) % 9 + 1);
        snprintf(user, sizeof user, i == 18 ? "u-missing" : "u%d", (i * 5) % 6 + 1);
        gg_buf_printf(&sql, "%s('e%02d', '%s', '%s', '2024-04-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z')",
                      i > 1 ? ", " : "", i, post, user);
    }
    exec_sql(sql.data);
    gg_buf_free(&sql);
    exec_sql("INSERT INTO \"Score\" (game, player, points, \"createdAt\", \"updatedAt\") VALUES "
             "('g1', 'amy', 3, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g1', 'bob', 9, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g1', 'cat', NULL, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g1', 'ann', 3, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g2', 'amy', 4, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g2', 'dan', -1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'), "
             "('g3', 'éva', 0, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')");
    /* empty-string keys next to NULL references: a NULL link must never find the "" row */
    exec_sql("INSERT INTO \"Post\" (id, title, \"blogId\", \"createdAt\", \"updatedAt\") VALUES ('', 'empty id', '', "
             "'2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')");
    exec_sql("INSERT INTO \"Blog\" (id, name, \"createdAt\", \"updatedAt\") VALUES ('', 'empty blog', "
             "'2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')");
    exec_sql("INSERT INTO comment_rows (id, \"postId\", body, \"createdAt\", \"updatedAt\") VALUES ('c-empty', '', "
             "'of the empty post', '2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')");
    exec_sql("INSERT INTO \"User\" (id, name, \"profileId\", \"createdAt\", \"updatedAt\") VALUES ('u7', 'Gus', '', "
             "'2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')");
    exec_sql("INSERT INTO \"Profile\" (id, bio, \"createdAt\", \"updatedAt\") VALUES ('', 'empty profile', "
             "'2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z')");
    /* the snapshot mutations are undone from */
    for (int i = 0; i < TABLE_COUNT; i++) {
        char s[256];
        snprintf(s, sizeof s, "CREATE TABLE \"fz_snap_%s\" AS TABLE \"%s\"", data_tables[i], data_tables[i]);
        exec_sql(s);
    }
}

static void restore_data(void)
{
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "BEGIN;");
    for (int i = 0; i < TABLE_COUNT; i++)
        gg_buf_printf(&sql, "DELETE FROM \"%s\"; INSERT INTO \"%s\" SELECT * FROM \"fz_snap_%s\";", data_tables[i],
                      data_tables[i], data_tables[i]);
    gg_buf_puts(&sql, "COMMIT");
    exec_sql(sql.data);
    gg_buf_free(&sql);
}

/* ---- the fixture's types, as the generator sees them ---- */

typedef struct rel_desc {
    const char *name;
    const char *target; /* the type of the related rows (a connection's item type) */
    bool connection;
} rel_desc;

typedef struct type_desc {
    const char *name;
    const char *const *scalars;
    unsigned scalar_count;
    bool address;
    rel_desc rels[3];
    unsigned rel_count;
    const char *const *filters; /* valid filter literals for a connection of this type */
    unsigned filter_count;
} type_desc;

#define COUNT(a) (sizeof(a) / sizeof *(a))
static const char *const blog_scalars[] = {"id", "name", "createdAt", "updatedAt"};
static const char *const post_scalars[] = {"id",     "title", "rating", "score",  "published", "tags",
                                           "status", "meta",  "views",  "blogId", "createdAt", "updatedAt"};
static const char *const comment_scalars[] = {"id", "postId", "content", "createdAt", "updatedAt"};
static const char *const user_scalars[] = {"id", "name", "profileId", "createdAt", "updatedAt"};
static const char *const profile_scalars[] = {"id", "bio", "createdAt", "updatedAt"};
static const char *const editor_scalars[] = {"id", "postId", "userId", "createdAt", "updatedAt"};
static const char *const score_scalars[] = {"game", "player", "points", "createdAt", "updatedAt"};

static const char *const blog_filters[] = {"{name: {beginsWith: \"Blog\"}}", "{name: {ne: \"Blog two\"}}",
                                           "{id: {between: [\"b1\", \"b2\"]}}", "{not: {name: {eq: \"\"}}}",
                                           "{createdAt: {lt: \"2024-02-01T00:00:00Z\"}}"};
static const char *const post_filters[] = {
    "{rating: {gt: 2}}",
    "{published: {eq: true}}",
    "{title: {beginsWith: \"Post\"}}",
    "{or: [{rating: {lt: 2}}, {score: {ge: 2.5}}]}",
    "{not: {status: {eq: DRAFT}}}",
    "{tags: {contains: \"a\"}}",
    "{rating: {attributeExists: false}}",
    "{views: {le: 0}}",
    "{and: [{published: {ne: false}}, {blogId: {eq: \"b1\"}}]}",
    "{score: {attributeExists: true}}",
    "{title: {contains: \"1\"}}",
    "{rating: {ne: 3}}",
    "{status: {ne: PUBLISHED}}",
    "{id: {le: \"p15\"}}",
    "{createdAt: {ge: \"2024-05-10T00:00:00+02:00\"}}",
};
static const char *const comment_filters[] = {
    "{content: {contains: \"o\"}}",        "{postId: {beginsWith: \"p0\"}}",
    "{content: {attributeExists: false}}", "{not: {id: {beginsWith: \"c03\"}}}",
    "{content: {size: {gt: 3}}}",          "{or: [{content: {eq: \"\"}}, {postId: {attributeExists: false}}]}",
};
static const char *const editor_filters[] = {"{userId: {eq: \"u1\"}}", "{postId: {ne: \"p03\"}}",
                                             "{or: [{userId: {eq: \"u2\"}}, {userId: {eq: \"u3\"}}]}",
                                             "{not: {userId: {beginsWith: \"u\"}}}"};
static const char *const score_filters[] = {"{points: {gt: 3}}", "{player: {beginsWith: \"a\"}}",
                                            "{points: {attributeExists: false}}", "{points: {le: 3}}"};

static const type_desc types[] = {
    {"Blog", blog_scalars, COUNT(blog_scalars), true, {{"posts", "Post", true}}, 1, blog_filters, COUNT(blog_filters)},
    {"Post",
     post_scalars,
     COUNT(post_scalars),
     false,
     {{"blog", "Blog", false}, {"comments", "Comment", true}, {"editors", "PostEditors", true}},
     3,
     post_filters,
     COUNT(post_filters)},
    {"Comment",
     comment_scalars,
     COUNT(comment_scalars),
     false,
     {{"post", "Post", false}},
     1,
     comment_filters,
     COUNT(comment_filters)},
    {"User",
     user_scalars,
     COUNT(user_scalars),
     false,
     {{"profile", "Profile", false}, {"posts", "PostEditors", true}},
     2,
     NULL,
     0},
    {"Profile", profile_scalars, COUNT(profile_scalars), false, {{0}}, 0, NULL, 0},
    {"PostEditors",
     editor_scalars,
     COUNT(editor_scalars),
     false,
     {{"post", "Post", false}, {"user", "User", false}},
     2,
     editor_filters,
     COUNT(editor_filters)},
    {"Score", score_scalars, COUNT(score_scalars), false, {{0}}, 0, score_filters, COUNT(score_filters)},
};

static const type_desc *type_named(const char *name)
{
    for (unsigned i = 0; i < COUNT(types); i++)
        if (strcmp(types[i].name, name) == 0) return &types[i];
    return NULL;
}

/* ---- the generator ---- */

enum { MAX_DEPTH = 5, MAX_SLOTS = 64, MAX_TOKENS = 256 };

typedef struct token_slot { /* a connection whose nextToken the query selects */
    char path[256];         /* response names from data, dot-separated; lists are walked through */
    char member[16];        /* the response name of nextToken */
    char key[64];           /* which connection and direction it pages */
} token_slot;

typedef struct saved_token {
    char key[64];
    char *token;
} saved_token;

typedef struct gen {
    uint64_t state;
    unsigned alias;        /* aliases are unique in a query, so fragments never conflict with their parents */
    gg_buf frags;          /* named fragment definitions */
    const char *forbid[2]; /* a mutation's written types (the operation's first field's too): never
                              selected under its answer, since the two runs write at different times */
    token_slot slots[MAX_SLOTS];
    unsigned slot_count;
    saved_token tokens[MAX_TOKENS];
    unsigned token_count, token_next;
    gg_buf decls, vars; /* the operation's variable definitions, and the variables' JSON members */
} gen;

static uint32_t gen_next(gen *g)
{
    g->state ^= g->state << 13;
    g->state ^= g->state >> 7;
    g->state ^= g->state << 17;
    return (uint32_t)(g->state >> 16);
}

static unsigned pick(gen *g, unsigned n)
{
    return gen_next(g) % n;
}

static bool chance(gen *g, unsigned percent)
{
    return pick(g, 100) < percent;
}

/* A saved nextToken for key (NULL when none); with a small chance any saved token at all. */
static const char *token_for(gen *g, const char *key)
{
    if (g->token_count == 0) return NULL;
    if (chance(g, 10)) return g->tokens[pick(g, g->token_count)].token;
    unsigned found[MAX_TOKENS], n = 0;
    for (unsigned i = 0; i < g->token_count; i++)
        if (strcmp(g->tokens[i].key, key) == 0) found[n++] = i;
    return n ? g->tokens[found[pick(g, n)]].token : NULL;
}

static void save_token(gen *g, const char *key, const char *token)
{
    saved_token *t = &g->tokens[g->token_next];
    if (g->token_count < MAX_TOKENS)
        g->token_count++;
    else
        free(t->token);
    snprintf(t->key, sizeof t->key, "%s", key);
    t->token = strdup(token);
    g->token_next = (g->token_next + 1) % MAX_TOKENS;
}

static void add_slot(gen *g, const char *path, const char *member, const char *key)
{
    if (g->slot_count == MAX_SLOTS) return;
    token_slot *s = &g->slots[g->slot_count++];
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(s->member, sizeof s->member, "%s", member);
    snprintf(s->key, sizeof s->key, "%s", key);
}

/* Collects the nextTokens at path (lists walked through) of node into the saved tokens. */
static void collect_tokens(gen *g, const cJSON *node, const char *path, const token_slot *slot)
{
    if (cJSON_IsArray(node)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, node) collect_tokens(g, e, path, slot);
        return;
    }
    if (!cJSON_IsObject(node)) return;
    if (*path == 0) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(node, slot->member);
        if (cJSON_IsString(t)) save_token(g, slot->key, t->valuestring);
        return;
    }
    char part[64];
    size_t n = strcspn(path, ".");
    snprintf(part, sizeof part, "%.*s", (int)n, path);
    collect_tokens(g, cJSON_GetObjectItemCaseSensitive(node, part), path + n + (path[n] == '.'), slot);
}

static void gen_object(gen *g, gg_buf *out, const type_desc *t, int depth, const char *path, bool in_fragment,
                       bool no_stamps);

/* Argument name: literal, or sometimes a variable of type type_name: given as json, or left to
 * its default value (the literal), or given over a default. */
static void put_arg(gen *g, gg_buf *args, const char *name, const char *literal, const char *type_name,
                    const char *json)
{
    if (!chance(g, 15)) {
        gg_buf_printf(args, " %s: %s", name, literal);
        return;
    }
    unsigned v = ++g->alias, how = pick(g, 3);
    gg_buf_printf(&g->decls, "%s$v%u: %s", g->decls.len ? ", " : "", v, type_name);
    if (how > 0) gg_buf_printf(&g->decls, " = %s", literal);
    if (how != 1) gg_buf_printf(&g->vars, "%s\"v%u\": %s", g->vars.len ? ", " : "", v, json);
    gg_buf_printf(args, " %s: $v%u", name, v);
}

static const char *direction(gen *g, gg_buf *args)
{
    if (chance(g, 3)) {
        put_arg(g, args, "sortDirection", "null", "ModelSortDirection", "null");
        return "ASC";
    }
    if (!chance(g, 35)) return "ASC";
    const char *dir = chance(g, 50) ? "DESC" : "ASC";
    char json[8];
    snprintf(json, sizeof json, "\"%s\"", dir);
    put_arg(g, args, "sortDirection", dir, "ModelSortDirection", json);
    return dir;
}

/* limit, filter, nextToken of a connection, appended to args; key names the connection and direction. */
static void connection_args(gen *g, gg_buf *args, const type_desc *items, const char *key)
{
    char text[16], quoted[128];
    if (chance(g, 60)) {
        snprintf(text, sizeof text, "%u", 1 + pick(g, 4));
        put_arg(g, args, "limit", text, "Int", text);
    } else if (chance(g, 5)) {
        put_arg(g, args, "limit", "null", "Int", "null");
    }
    if (items->filter_count && chance(g, 30))
        gg_buf_printf(args, " filter: %s", items->filters[pick(g, items->filter_count)]);
    else if (chance(g, 3))
        gg_buf_puts(args, " filter: null");
    if (chance(g, 20)) {
        const char *token = token_for(g, key);
        if (token) {
            snprintf(quoted, sizeof quoted, "\"%s\"", token);
            put_arg(g, args, "nextToken", quoted, "String", quoted);
        }
    } else if (chance(g, 3)) {
        put_arg(g, args, "nextToken", "null", "String", "null");
    }
}

/* `{ items { ... } nextToken }` of a connection of items at path. */
/* merging: the selection merges with another of the same connection, so its item relations take
 * fresh aliases (the same response name with other arguments would conflict). */
static void gen_connection(gen *g, gg_buf *out, const type_desc *items, int depth, const char *path, const char *key,
                           bool merging)
{
    char sub[256];
    gg_buf_puts(out, " {");
    bool any = false;
    if (chance(g, 85)) {
        snprintf(sub, sizeof sub, "%s.items", path);
        gg_buf_puts(out, " items");
        if (chance(g, 4)) gg_buf_puts(out, chance(g, 50) ? " @include(if: false)" : " @skip(if: false)");
        gen_object(g, out, items, depth, sub, merging, false);
        any = true;
    }
    if (chance(g, 15)) {
        unsigned a = ++g->alias;
        snprintf(sub, sizeof sub, "%s.i%u", path, a);
        gg_buf_printf(out, " i%u: items", a);
        gen_object(g, out, items, depth, sub, false, false);
        any = true;
    }
    if (!any && chance(g, 25)) { /* neither items nor nextToken */
        gg_buf_puts(out, " __typename");
    } else if (!any || chance(g, 40)) {
        if (chance(g, 20)) {
            char member[16];
            snprintf(member, sizeof member, "t%u", ++g->alias);
            gg_buf_printf(out, " %s: nextToken", member);
            add_slot(g, path, member, key);
        } else {
            gg_buf_puts(out, " nextToken");
            if (chance(g, 4))
                gg_buf_puts(out, " @skip(if: true)");
            else
                add_slot(g, path, "nextToken", key);
        }
    }
    if (chance(g, 10)) gg_buf_puts(out, " __typename");
    if (chance(g, 10)) { /* more items through a fragment on the connection type: they merge */
        snprintf(sub, sizeof sub, "%s.items", path);
        gg_buf body;
        gg_buf_init(&body);
        gg_buf_puts(&body, " { items");
        gen_object(g, &body, items, depth, sub, true, false);
        gg_buf_puts(&body, " }");
        if (chance(g, 50)) {
            gg_buf_printf(out, " ... on Model%sConnection%s", items->name, body.data);
        } else {
            unsigned f = ++g->alias;
            gg_buf_printf(&g->frags, " fragment f%u on Model%sConnection%s", f, items->name, body.data);
            gg_buf_printf(out, " ...f%u", f);
        }
        gg_buf_free(&body);
    }
    gg_buf_puts(out, " }");
}

/* One selection of relation r of type t: response name, arguments, sub-selection; sometimes the
 * same response name and arguments twice with different sub-selections (they merge). */
static void gen_relation(gen *g, gg_buf *out, const type_desc *t, const rel_desc *r, int depth, const char *path,
                         bool alias)
{
    char name[32], sub[256], key[64];
    if (alias)
        snprintf(name, sizeof name, "r%u", ++g->alias);
    else
        snprintf(name, sizeof name, "%s", r->name);
    snprintf(sub, sizeof sub, "%s.%s", path, name);
    const type_desc *target = type_named(r->target);
    gg_buf args;
    gg_buf_init(&args);
    if (r->connection) {
        const char *dir = direction(g, &args);
        snprintf(key, sizeof key, "%s.%s|%s", t->name, r->name, dir);
        connection_args(g, &args, target, key);
    }
    for (unsigned copy = 0, copies = chance(g, 12) ? 2 : 1; copy < copies; copy++) {
        gg_buf_printf(out, " %s%s%s", alias ? name : "", alias ? ": " : "", r->name);
        if (args.len) gg_buf_printf(out, "(%s)", args.data + 1);
        if (chance(g, 5)) {
            static const char *const directives[] = {" @include(if: true)", " @skip(if: false)", " @include(if: false)",
                                                     " @skip(if: true)"};
            gg_buf_puts(out, directives[pick(g, copies == 2 ? 4 : 2 + 2 * r->connection)]);
        }
        if (r->connection)
            gen_connection(g, out, target, depth + 1, sub, key, copy > 0);
        else
            gen_object(g, out, target, depth + 1, sub, copy > 0, false);
    }
    gg_buf_free(&args);
}

static bool is_stamp(const char *field)
{
    return strcmp(field, "createdAt") == 0 || strcmp(field, "updatedAt") == 0;
}

/* `{ ... }` selecting fields of a t at depth (response path path). */
static void gen_object(gen *g, gg_buf *out, const type_desc *t, int depth, const char *path, bool in_fragment,
                       bool no_stamps)
{
    gg_buf_puts(out, " {");
    unsigned scalars = chance(g, 10) ? 0 : 1 + pick(g, 4), written = 0;
    for (unsigned i = 0; i < scalars; i++) {
        const char *f = t->scalars[pick(g, t->scalar_count)];
        if (no_stamps && is_stamp(f)) continue;
        if (chance(g, 8))
            gg_buf_printf(out, " s%u: %s", ++g->alias, f);
        else
            gg_buf_printf(out, " %s", f);
        written++;
    }
    if (written == 0 || chance(g, 12)) gg_buf_puts(out, " __typename");
    if (t->address && chance(g, 30)) {
        gg_buf_puts(out, " address {");
        static const char *const parts[] = {"street", "city", "zip"};
        for (unsigned i = 0, n = 1 + pick(g, 3); i < n; i++)
            gg_buf_printf(out, " %s", parts[pick(g, 3)]);
        gg_buf_puts(out, " }");
    }
    if (depth < MAX_DEPTH) {
        bool used[3] = {false, false, false};
        for (unsigned i = 0; i < t->rel_count; i++) {
            const rel_desc *r = &t->rels[i];
            if ((g->forbid[0] && strcmp(g->forbid[0], r->target) == 0) ||
                (g->forbid[1] && strcmp(g->forbid[1], r->target) == 0))
                continue;
            unsigned want = chance(g, depth == 0 ? 55 : 35 - depth * 5) ? 1 + chance(g, 25) : 0;
            for (unsigned k = 0; k < want; k++) {
                bool alias = in_fragment || used[i] || chance(g, 30);
                if (!alias) used[i] = true;
                gen_relation(g, out, t, r, depth, path, alias);
            }
        }
        if (chance(g, 8)) { /* an inline fragment, with or without a type condition */
            gg_buf_puts(out, chance(g, 70) ? " ... on " : " ... ");
            if (out->data[out->len - 2] == 'n') gg_buf_puts(out, t->name);
            gen_object(g, out, t, depth, path, true, no_stamps);
        }
        if (chance(g, 6)) { /* a named fragment, spread here once */
            unsigned f = ++g->alias;
            gg_buf body;
            gg_buf_init(&body);
            gen_object(g, &body, t, depth, path, true, no_stamps);
            gg_buf_printf(&g->frags, " fragment f%u on %s%s", f, t->name, body.data);
            gg_buf_free(&body);
            gg_buf_printf(out, " ...f%u", f);
        }
    }
    gg_buf_puts(out, " }");
}

static void post_id(gen *g, char *out, size_t size)
{
    unsigned n = pick(g, POST_COUNT + 3);
    if (n >= POST_COUNT)
        snprintf(out, size, "p-none");
    else
        snprintf(out, size, "p%02u", n + 1);
}

/* One root query field with its arguments and selection, appended to out (response name name). */
static void gen_root_field(gen *g, gg_buf *out, const char *name)
{
    static const char *const blog_ids[] = {"b1", "b2", "b3", "b4", "b-none"};
    static const char *const comment_ids[] = {"c01-1", "c02-3", "c31-1", "c32-2", "c05-2", "c-none"};
    static const char *const user_ids[] = {"u1", "u2", "u3", "u4", "u5", "u6", "u-none"};
    static const char *const games[] = {"g1", "g2", "g3", "g-none"};
    static const char *const players[] = {"amy", "bob", "cat", "éva", "zed"};
    static const char *const player_conds[] = {"{beginsWith: \"a\"}", "{gt: \"amy\"}", "{between: [\"ann\", \"bob\"]}",
                                               "{le: \"bob\"}", "{eq: \"cat\"}"};
    static const char *const rating_conds[] = {"{gt: 1}", "{between: [0, 3]}", "{eq: 3}", "{lt: 5}", "{ge: 2}"};
    char key[64], id[16];
    gg_buf args;
    gg_buf_init(&args);
    const char *field;
    const type_desc *t;
    bool connection = true;
    switch (pick(g, 11)) {
    case 0:
        field = "getBlog", t = type_named("Blog"), connection = false;
        gg_buf_printf(&args, " id: \"%s\"", blog_ids[pick(g, COUNT(blog_ids))]);
        break;
    case 1:
        field = "listBlogs", t = type_named("Blog");
        snprintf(key, sizeof key, "listBlogs");
        connection_args(g, &args, t, key);
        break;
    case 2:
        field = "getPost", t = type_named("Post"), connection = false;
        post_id(g, id, sizeof id);
        char quoted[24];
        snprintf(quoted, sizeof quoted, "\"%s\"", id);
        put_arg(g, &args, "id", quoted, "ID!", quoted);
        break;
    case 3:
    case 4:
        field = "listPosts", t = type_named("Post");
        snprintf(key, sizeof key, "listPosts");
        connection_args(g, &args, t, key);
        break;
    case 5:
    case 6: {
        field = "postsByStatus", t = type_named("Post");
        gg_buf_printf(&args, " status: %s", chance(g, 50) ? "DRAFT" : "PUBLISHED");
        if (chance(g, 30)) gg_buf_printf(&args, " rating: %s", rating_conds[pick(g, COUNT(rating_conds))]);
        const char *dir = direction(g, &args);
        snprintf(key, sizeof key, "postsByStatus|%s", dir);
        connection_args(g, &args, t, key);
        break;
    }
    case 7:
        if (chance(g, 50)) {
            field = "getComment", t = type_named("Comment"), connection = false;
            gg_buf_printf(&args, " id: \"%s\"", comment_ids[pick(g, COUNT(comment_ids))]);
        } else {
            field = "listComments", t = type_named("Comment");
            snprintf(key, sizeof key, "listComments");
            connection_args(g, &args, t, key);
        }
        break;
    case 8:
        t = type_named("Score");
        if (chance(g, 30)) {
            field = "getScore", connection = false;
            gg_buf_printf(&args, " game: \"%s\", player: \"%s\"", games[pick(g, COUNT(games))],
                          players[pick(g, COUNT(players))]);
            break;
        }
        field = "listScores";
        const char *dir = "ASC";
        if (chance(g, 70)) {
            gg_buf_printf(&args, " game: \"%s\"", games[pick(g, COUNT(games))]);
            if (chance(g, 40)) gg_buf_printf(&args, " player: %s", player_conds[pick(g, COUNT(player_conds))]);
            dir = direction(g, &args);
        }
        snprintf(key, sizeof key, "listScores|%s", dir);
        connection_args(g, &args, t, key);
        break;
    case 9:
        field = "getUser", t = type_named("User"), connection = false;
        gg_buf_printf(&args, " id: \"%s\"", user_ids[pick(g, COUNT(user_ids))]);
        break;
    default:
        if (chance(g, 20)) {
            field = "latestPost", t = type_named("Post"), connection = false;
        } else {
            field = "getPost", t = type_named("Post"), connection = false;
            post_id(g, id, sizeof id);
            gg_buf_printf(&args, " id: \"%s\"", id);
        }
        break;
    }
    if (name)
        gg_buf_printf(out, " %s: %s", name, field);
    else
        gg_buf_printf(out, " %s", field);
    if (args.len) gg_buf_printf(out, "(%s)", args.data + 1);
    gg_buf_free(&args);
    const char *path = name ? name : field;
    if (connection)
        gen_connection(g, out, t, 0, path, key, false);
    else
        gen_object(g, out, t, 0, path, false, false);
}

/* A mutation of one of the writable models, its selection leaving out what the two runs cannot share. */
static void gen_mutation_field(gen *g, gg_buf *out, const char *alias)
{
    static const char *const post_conditions[] = {"{rating: {gt: 2}}", "{title: {beginsWith: \"Post\"}}",
                                                  "{published: {eq: true}}", "{not: {rating: {attributeExists: true}}}",
                                                  "{tags: {contains: \"a\"}}"};
    static const char *const comment_conditions[] = {"{content: {contains: \"o\"}}",
                                                     "{postId: {attributeExists: true}}"};
    char id[16];
    const char *written;
    bool stamps_set = true; /* create and update set updatedAt (create also createdAt) to now */
    size_t start = out->len;
    if (alias) gg_buf_printf(out, " %s:", alias);
    unsigned kind = pick(g, 3);
    switch (pick(g, 5)) {
    case 3:
        written = "Blog";
        snprintf(id, sizeof id, "b%u", 1 + pick(g, 4));
        if (kind == 0) {
            gg_buf_printf(out, " createBlog(input: {id: \"%s\", name: \"New\", address: {zip: 1}}",
                          chance(g, 50) ? "b-new" : id);
        } else if (kind == 1) {
            gg_buf_printf(out, " updateBlog(input: {id: \"%s\", name: \"Renamed\"%s}", id,
                          chance(g, 50) ? ", address: {street: \"2 Side St\", city: null}" : "");
        } else {
            gg_buf_printf(out, " deleteBlog(input: {id: \"%s\"}", id);
            stamps_set = false;
        }
        if (chance(g, 50)) gg_buf_printf(out, ", condition: {name: {beginsWith: \"Blog\"}}");
        break;
    case 0:
    case 1:
        written = "Post";
        post_id(g, id, sizeof id);
        if (kind == 0) {
            gg_buf_printf(out,
                          " createPost(input: {id: \"%s\", title: \"New %s\", rating: %u, score: 1.25, tags: "
                          "[\"n\"], meta: \"{\\\"n\\\": 1}\", views: 5, blogId: \"b%u\"}",
                          chance(g, 50) ? "p-new" : id, id, pick(g, 6), 1 + pick(g, 3));
        } else if (kind == 1) {
            static const char *const moves[] = {"", ", blogId: \"b2\"", ", blogId: null", ", blogId: \"b-none\""};
            gg_buf_printf(out, " updatePost(input: {id: \"%s\", rating: %u, published: %s, status: %s%s}", id,
                          pick(g, 6), chance(g, 50) ? "true" : "null", chance(g, 50) ? "DRAFT" : "PUBLISHED",
                          moves[pick(g, 4)]);
        } else {
            gg_buf_printf(out, " deletePost(input: {id: \"%s\"}", id);
            stamps_set = false;
        }
        if (chance(g, 50)) gg_buf_printf(out, ", condition: %s", post_conditions[pick(g, COUNT(post_conditions))]);
        break;
    case 2:
        written = "Comment";
        snprintf(id, sizeof id, "c%02u-%u", 1 + pick(g, 10), 1 + pick(g, 3));
        if (kind == 0) {
            gg_buf_printf(out, " createComment(input: {id: \"%s\", postId: \"p%02u\", content: \"new\"}",
                          chance(g, 50) ? "c-new" : id, 1 + pick(g, POST_COUNT));
        } else if (kind == 1) {
            gg_buf_printf(out, " updateComment(input: {id: \"%s\", content: \"edited\"%s}", id,
                          chance(g, 50) ? ", postId: \"p02\"" : "");
        } else {
            gg_buf_printf(out, " deleteComment(input: {id: \"%s\"}", id);
            stamps_set = false;
        }
        if (chance(g, 50))
            gg_buf_printf(out, ", condition: %s", comment_conditions[pick(g, COUNT(comment_conditions))]);
        break;
    default:
        written = "Score";
        if (kind == 0) {
            gg_buf_printf(out, " createScore(input: {game: \"g1\", player: \"%s\", points: 7}",
                          chance(g, 50) ? "new" : "amy");
        } else if (kind == 1) {
            gg_buf_printf(out, " updateScore(input: {game: \"g1\", player: \"bob\", points: 10}");
        } else {
            gg_buf_printf(out, " deleteScore(input: {game: \"g2\", player: \"amy\"}");
            stamps_set = false;
        }
        if (chance(g, 50)) gg_buf_printf(out, ", condition: {points: {%s: 3}}", chance(g, 50) ? "gt" : "le");
        break;
    }
    gg_buf_puts(out, ")");
    g->forbid[alias ? 1 : 0] = written;
    const char *field = out->data + start + 1; /* the response path: the field name up to its arguments */
    char path[32];
    snprintf(path, sizeof path, "%.*s", (int)strcspn(field, alias ? ":" : "("), field);
    gen_object(g, out, type_named(written), 0, path, false, stamps_set);
}

/* A whole operation into out (fragments after it), its variables' JSON into vars ("{}" when
 * none). True when it is a mutation. */
static bool gen_operation(gen *g, gg_buf *out, gg_buf *vars)
{
    g->alias = 0;
    g->slot_count = 0;
    gg_buf_free(&g->frags);
    gg_buf_init(&g->frags);
    gg_buf_free(&g->decls);
    gg_buf_init(&g->decls);
    gg_buf_free(&g->vars);
    gg_buf_init(&g->vars);
    gg_buf body;
    gg_buf_init(&body);
    bool mutation = chance(g, 8);
    g->forbid[0] = g->forbid[1] = NULL;
    if (mutation) {
        gen_mutation_field(g, &body, NULL);
        if (chance(g, 20)) gen_mutation_field(g, &body, "m2"); /* runs after the first, on both plans */
    } else {
        unsigned roots = chance(g, 20) ? 2 : 1;
        for (unsigned i = 0; i < roots; i++) {
            char name[16];
            snprintf(name, sizeof name, "q%u", ++g->alias);
            gen_root_field(g, &body, roots > 1 || chance(g, 10) ? name : NULL);
        }
        if (chance(g, 5)) gg_buf_puts(&body, " __typename");
    }
    if (g->decls.len)
        gg_buf_printf(out, "%s V(%s) {", mutation ? "mutation" : "query", g->decls.data);
    else
        gg_buf_puts(out, mutation ? "mutation {" : chance(g, 50) ? "{" : "query Q {");
    gg_buf_append(out, body.data, body.len);
    gg_buf_free(&body);
    gg_buf_puts(out, " }");
    if (g->frags.len) gg_buf_append(out, g->frags.data, g->frags.len);
    gg_buf_printf(vars, "{%s}", g->vars.len ? g->vars.data : "");
    return mutation;
}

/* ---- running ---- */

/* The query without its arguments: what a "shape" is when counting distinct ones. */
static char *shape_of(const char *query)
{
    char *s = malloc(strlen(query) + 1), *o = s;
    int depth = 0;
    for (const char *p = query; *p; p++) {
        if (*p == '(') depth++;
        if (depth == 0) *o++ = *p;
        if (*p == ')') depth--;
    }
    *o = 0;
    return s;
}

typedef struct tally {
    unsigned queries, mismatches, with_errors, mutations, validation_errors;
} tally;

/* Runs query on both plans (restoring the data after each run when it writes); false on a mismatch. */
static bool run_both(const char *query, const char *vars, bool writes, uint64_t seed, tally *tl, char **rows_out)
{
    schema = rows_schema;
    char *a = gql_with(&request_ctx, query, vars);
    if (writes) restore_data();
    schema = json_schema;
    char *b = gql_with(&request_ctx, query, vars);
    if (writes) restore_data();
    schema = rows_schema;
    tl->queries++;
    tl->mutations += writes;
    bool same = strcmp(a, b) == 0;
    if (!same) {
        tl->mismatches++;
        fprintf(stderr, "plans differ (seed %" PRIu64 "):\n  query: %s\n  variables: %s\n  rows:  %s\n  json:  %s\n",
                seed, query, vars ? vars : "{}", a, b);
    }
    if (strstr(a, "\"errors\"")) {
        tl->with_errors++;
        if (getenv("GG_PLANS_FUZZ_VERBOSE")) fprintf(stderr, "errors: %s\n  -> %s\n", query, strstr(a, "\"errors\""));
        /* a query the generator got wrong: validation errors have no data member */
        if (strncmp(a, "{\"errors\"", 9) == 0) {
            tl->validation_errors++;
            fprintf(stderr, "invalid generated query: %s\n  variables: %s\n  -> %s\n", query, vars ? vars : "{}", a);
        }
    }
    free(b);
    *rows_out = a;
    return same;
}

/* Queries the fuzzer once answered differently on the two plans (fixed since; see git log). */
static const char *const regressions[] = {
    /* json plan: a connection with neither items nor nextToken was a subquery of one row per page
     * row (DatabaseError "more than one row returned by a subquery"), or of none (null) */
    "{ listPosts { __typename } }",
    "{ getPost(id: \"p01\") { comments(limit: 2) { items @include(if: false) { id } nextToken @skip(if: true) } } }",
    "{ listComments(limit: 3) { items { post { comments(limit: 1) { __typename } } } } }",
    "{ getPost(id: \"p01\") { comments(filter: {id: {eq: \"x\"}}) { __typename } } }",
};

static void test_regressions(void)
{
    tally tl = {0};
    for (unsigned i = 0; i < COUNT(regressions); i++) {
        char *a;
        CHECK(run_both(regressions[i], NULL, strncmp(regressions[i], "mutation", 8) == 0, 0, &tl, &a));
        free(a);
    }
    CHECK_INT(tl.validation_errors, 0);
}

/* Pages chained through nextToken hold, in order, exactly the rows of one unpaged answer, on both
 * plans and for page sizes 1 to 3: what both plans share (keysets, tokens) is checked against
 * itself, since comparing the plans cannot see it. */
static void test_pages_chain(void)
{
    static const struct {
        const char *query; /* %s: the paging arguments (", limit: ..."), then nextToken when selected */
        const char *path;  /* the connection */
    } cases[] = {
        {"{ c: postsByStatus(status: PUBLISHED%s) { items { id rating } %s } }", "data.c"},
        {"{ c: postsByStatus(status: DRAFT, sortDirection: DESC, rating: {ge: 0}%s) { items { id } %s } }", "data.c"},
        {"{ c: listPosts(filter: {rating: {ne: 3}}%s) { items { id } %s } }", "data.c"},
        {"{ c: listComments(filter: {content: {attributeExists: true}}%s) { items { id } %s } }", "data.c"},
        {"{ c: listScores(game: \"g1\", sortDirection: DESC%s) { items { player } %s } }", "data.c"},
        {"{ c: listScores(sortDirection: DESC%s) { items { game player } %s } }", "data.c"},
        {"{ c: listBlogs(filter: {id: {ne: \"zz\"}}%s) { items { id } %s } }", "data.c"},
        {"{ b: getBlog(id: \"b1\") { c: posts(sortDirection: DESC%s) { items { id } %s } } }", "data.b.c"},
        {"{ p: getPost(id: \"p01\") { c: editors(sortDirection: ASC%s) { items { id } %s } } }", "data.p.c"},
        {"{ u: getUser(id: \"u2\") { c: posts(filter: {postId: {ne: \"p03\"}}%s) { items { postId } %s } } }",
         "data.u.c"},
    };
    gg_schema *plans[2] = {rows_schema, json_schema};
    char path[64], query[512], vars[256];
    for (unsigned i = 0; i < COUNT(cases); i++) {
        for (unsigned p = 0; p < 2; p++) {
            schema = plans[p];
            snprintf(query, sizeof query, cases[i].query, "", "");
            snprintf(path, sizeof path, "%s.items", cases[i].path);
            const char *whole = at(gql(query, NULL), path);
            for (int limit = 1; limit <= 3; limit++) {
                gg_buf pages;
                gg_buf_init(&pages);
                gg_buf_putc(&pages, '[');
                char token[160] = "";
                for (int page = 0; page < 100; page++) {
                    char args[64];
                    snprintf(args, sizeof args, ", limit: %d, nextToken: $t", limit);
                    char inner[400];
                    snprintf(inner, sizeof inner, cases[i].query, args, "nextToken");
                    snprintf(query, sizeof query, "query($t: String) %s", inner);
                    snprintf(vars, sizeof vars, token[0] ? "{\"t\": \"%s\"}" : "{}", token);
                    const char *r = gql(query, vars);
                    const char *items = at(r, path);
                    if (items[0] != '[') {
                        fprintf(stderr, "page %d of %s: %s\n", page, query, r);
                        break;
                    }
                    if (strlen(items) > 2) {
                        if (pages.len > 1) gg_buf_putc(&pages, ',');
                        gg_buf_append(&pages, items + 1, strlen(items) - 2);
                    }
                    snprintf(path, sizeof path, "%s.nextToken", cases[i].path);
                    snprintf(token, sizeof token, "%s", at(r, path));
                    snprintf(path, sizeof path, "%s.items", cases[i].path);
                    if (strcmp(token, "null") == 0) break;
                }
                gg_buf_putc(&pages, ']');
                if (strcmp(pages.data, whole) != 0)
                    fprintf(stderr, "%s plan, pages of %d of %s:\n  %s\n  unpaged: %s\n", p ? "json" : "rows", limit,
                            cases[i].query, pages.data, whole);
                CHECK_STR(pages.data, whole);
                gg_buf_free(&pages);
            }
            free_responses();
        }
    }
    schema = rows_schema;
}

/* GG_PLANS_FUZZ_QUERY (and GG_PLANS_FUZZ_VARIABLES): one query of your own on both plans, to reproduce. */
static void test_one_query(void)
{
    const char *query = getenv("GG_PLANS_FUZZ_QUERY");
    if (query == NULL) return;
    tally tl = {0};
    char *a;
    CHECK(run_both(query, getenv("GG_PLANS_FUZZ_VARIABLES"), strncmp(query, "mutation", 8) == 0, 0, &tl, &a));
    printf("rows (and json): %s\n", a);
    free(a);
}

static void test_fuzz(void)
{
    const char *env_n = getenv("GG_PLANS_FUZZ_N"), *env_seed = getenv("GG_PLANS_FUZZ_SEED");
    unsigned n = env_n ? (unsigned)strtoul(env_n, NULL, 10) : 400;
    uint64_t seed = env_seed ? strtoull(env_seed, NULL, 10) : 20261124;
    printf("plans_fuzz: seed %" PRIu64 " (GG_PLANS_FUZZ_SEED), %u queries (GG_PLANS_FUZZ_N)\n", seed, n);
    gen *g = calloc(1, sizeof *g);
    g->state = seed * 0x9E3779B97F4A7C15ull + 1;
    gg_buf_init(&g->frags);
    gg_buf_init(&g->decls);
    gg_buf_init(&g->vars);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_strmap shapes;
    gg_strmap_init(&shapes, &arena);
    unsigned shape_count = 0;
    tally tl = {0};
    for (unsigned i = 0; i < n && tl.mismatches < 5; i++) {
        gg_buf q, vars;
        gg_buf_init(&q);
        gg_buf_init(&vars);
        bool writes = gen_operation(g, &q, &vars);
        char *shape = shape_of(q.data);
        if (gg_strmap_get(&shapes, shape, strlen(shape)) == NULL) {
            gg_strmap_put(&shapes, gg_arena_printf(&arena, "%s", shape), strlen(shape), &shapes);
            shape_count++;
        }
        free(shape);
        char *a;
        if (!run_both(q.data, vars.data, writes, seed, &tl, &a)) fprintf(stderr, "  (query %u of the run)\n", i);
        cJSON *answer = cJSON_Parse(a);
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(answer, "data");
        for (unsigned s = 0; s < g->slot_count; s++)
            collect_tokens(g, data, g->slots[s].path, &g->slots[s]);
        cJSON_Delete(answer);
        free(a);
        gg_buf_free(&q);
        gg_buf_free(&vars);
    }
    printf("plans_fuzz: %u queries (%u mutations), %u distinct shapes, %u answers with errors, %u mismatches\n",
           tl.queries, tl.mutations, shape_count, tl.with_errors, tl.mismatches);
    CHECK_INT(tl.mismatches, 0);
    CHECK_INT(tl.validation_errors, 0);
    for (unsigned i = 0; i < g->token_count; i++)
        free(g->tokens[i].token);
    gg_buf_free(&g->frags);
    gg_buf_free(&g->decls);
    gg_buf_free(&g->vars);
    free(g);
    gg_arena_free(&arena);
}

int main(void)
{
    if (!harness_start("plans-fuzz-cursor-key")) return 77;
    fixture_catalog(&catalog);
    migrate_schema();
    seed_data();
    rows_schema = make_schema(GG_PG_PLAN_ROWS);
    json_schema = make_schema(GG_PG_PLAN_JSON);
    schema = rows_schema;
    make_pool();
    RUN(test_regressions);
    RUN(test_one_query);
    RUN(test_pages_chain);
    RUN(test_fuzz);
    free_responses();
    gg_pg_pool_destroy(pool);
    gg_schema_free(rows_schema);
    gg_schema_free(json_schema);
    exec_sql("SET search_path TO public");
    exec_sql("DROP SCHEMA IF EXISTS " SCHEMA_NAME " CASCADE");
    PQfinish(db);
    gg_arena_free(&catalog.arena);
    h2o_evloop_destroy(loop);
    return test_summary();
}
