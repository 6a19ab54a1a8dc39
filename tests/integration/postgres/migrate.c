/* Tests `graphgate migrate` (resolvers/postgres/migrate.c) against a real PostgreSQL (scripts/test.sh
 * starts it; GRAPHGATE_TEST_DATABASE_URL), in PostgreSQL schemas of its own.
 *
 * The catalog comes from the real Amplify transform. Foreign keys are checked where a client sees
 * them: GraphQL requests through the engine on an h2o loop (a missing parent, the three ON DELETE
 * behaviours); column type changes through the database's catalog and the rows kept. */
#include "model_harness.h"

#define FK_SCHEMA "gg_m_migrate_fk"
#define TYPES_SCHEMA "gg_m_migrate_types"

static const char user_sdl[] =
    "input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n"
    "type Post @model { id: ID! title: String\n"
    "  comments: [Comment] @hasMany(references: [\"postId\"])\n"
    "  attachments: [Attachment] @hasMany(references: [\"postId\"])\n"
    "  tags: [Tag] @manyToMany(relationName: \"PostTags\") }\n"
    "type Comment @model { id: ID! postId: ID body: String post: Post @belongsTo(references: [\"postId\"]) }\n"
    "type Attachment @model { id: ID! postId: ID! name: String post: Post @belongsTo(references: [\"postId\"]) }\n"
    "type Tag @model { id: ID! label: String posts: [Post] @manyToMany(relationName: \"PostTags\") }\n"
    "type Measure @model { id: ID! count: Int total: AWSTimestamp ratio: Int note: String }\n";

static gg_amplify_catalog *catalog;
static gg_schema *served_schema;
static gg_buf served;

static void use_schema(const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", name);
    exec_sql(sql);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", name);
    exec_sql(sql);
    snprintf(sql, sizeof sql, "SET search_path TO %s", name);
    exec_sql(sql);
}

static const char *fk_summary(const char *schema_name)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(string_agg(conname || ':' || confdeltype::text || ':' || convalidated::text, ',' ORDER "
             "BY conname), "
             "'none') FROM pg_constraint WHERE contype = 'f' AND connamespace = '%s'::regnamespace",
             schema_name);
    return sql_value(sql);
}

static void reset(gg_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static bool migrate(bool dry_run, bool foreign_keys, gg_buf *out, gg_buf *messages, gg_pg_migrate_report *report,
                    char *error, size_t size)
{
    gg_pg_migrate_options opts = {.dry_run = dry_run, .foreign_keys = foreign_keys};
    error[0] = '\0';
    return gg_pg_migrate_run(db, catalog, &opts, out, messages, report, gg_fault_into((gg_fault[1]){0}, error, size));
}

/* ---- foreign keys ---- */

static void test_constraints_created_once(void)
{
    use_schema(FK_SCHEMA);
    /* a legacy orphan: NOT VALID keeps it from failing the migration */
    exec_sql("CREATE TABLE \"Comment\" (id text PRIMARY KEY, \"postId\" text)");
    exec_sql("INSERT INTO \"Comment\" (id, \"postId\") VALUES ('old', 'gone')");
    char error[512];
    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    gg_pg_migrate_report report;
    CHECK(migrate(false, true, &first, NULL, &report, error, sizeof error));
    CHECK_STR(error, "");
    const char *expected = "Attachment_postId_fkey:r:false,Comment_postId_fkey:n:false,PostTags_postId_fkey:c:false,"
                           "PostTags_tagId_fkey:c:false";
    CHECK_STR(fk_summary(FK_SCHEMA), expected);
    /* added unless a constraint has its name, or another foreign key makes the same reference */
    CHECK(strstr(first.data, "DO $graphgate$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = "
                             "'\"Comment\"'::regclass AND conname = 'Comment_postId_fkey')\n    AND NOT EXISTS (SELECT "
                             "1 FROM pg_constraint WHERE contype = 'f' AND conrelid = '\"Comment\"'::regclass AND "
                             "confrelid = '\"Post\"'::regclass\n      AND conkey = ARRAY(SELECT a.attnum FROM "
                             "unnest(ARRAY['postId']::text[]) WITH ORDINALITY"));
    CHECK(strstr(first.data, ") THEN\n    ALTER TABLE \"Comment\" ADD CONSTRAINT \"Comment_postId_fkey\" FOREIGN KEY "
                             "(\"postId\") REFERENCES \"Post\" (\"id\") ON DELETE SET NULL NOT VALID;\n  END IF;\nEND "
                             "$graphgate$;\n"));
    CHECK(strstr(first.data, "NOT VALID when missing (rows already there are not checked"));
    /* Post.comments and Comment.post name the same columns: one constraint, written once */
    const char *p = strstr(first.data, "ADD CONSTRAINT \"Comment_postId_fkey\"");
    CHECK(p && strstr(p + 1, "ADD CONSTRAINT \"Comment_postId_fkey\"") == NULL);
    /* idempotent: the same script, the same constraints */
    CHECK(migrate(false, true, &second, NULL, NULL, error, sizeof error));
    CHECK_STR(second.data, first.data);
    CHECK_STR(fk_summary(FK_SCHEMA), expected);
    CHECK_STR(sql_value("SELECT \"postId\" FROM \"Comment\" WHERE id = 'old'"), "gone");
    exec_sql("DELETE FROM \"Comment\"");
    gg_buf_free(&first);
    gg_buf_free(&second);
}

static gg_pg_pool *open_pool(const char *schema_name)
{
    char conninfo[1024];
    conninfo_for(conninfo, sizeof conninfo, schema_name);
    gg_fault perror = {0};
    gg_pg_pool_config cfg = {.conninfo = conninfo, .size = 1};
    gg_pg_pool *p = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &perror);
    CHECK(p != NULL);
    wait_ready(p, 1);
    schema = served_schema;
    pool = p;
    request_ctx.pool = p;
    return p;
}

static void close_pool(gg_pg_pool *p)
{
    free_responses();
    gg_pg_pool_destroy(p);
    pool = NULL;
    request_ctx.pool = NULL;
}

static void test_writes_and_deletes_through_graphql(void)
{
    gg_pg_pool *p = open_pool(FK_SCHEMA);
    const char *r = gql("mutation { createPost(input: {id: \"p1\", title: \"One\"}) { id } "
                        "c1: createComment(input: {id: \"c1\", postId: \"p1\", body: \"hi\"}) { id } "
                        "t1: createTag(input: {id: \"t1\", label: \"news\"}) { id } "
                        "j1: createPostTags(input: {id: \"j1\", postId: \"p1\", tagId: \"t1\"}) { id } "
                        "a1: createAttachment(input: {id: \"a1\", postId: \"p1\", name: \"doc\"}) { id } }",
                        NULL);
    CHECK_STR(at(r, "errors"), "(missing)");

    /* a child whose parent does not exist */
    r = gql("mutation { createComment(input: {id: \"c2\", postId: \"nope\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    /* the message names the field: an input may hold several references */
    CHECK_STR(at(r, "errors.0.message"), "A related item the input refers to does not exist (field postId).");
    CHECK_STR(at(r, "data.createComment"), "null");
    r = gql("mutation { updateComment(input: {id: \"c1\", postId: \"nope\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    CHECK_STR(at(r, "errors.0.message"), "A related item the input refers to does not exist (field postId).");
    /* a foreign key of the database's own name: the message cannot tell the field */
    exec_sql("ALTER TABLE \"Attachment\" RENAME CONSTRAINT \"Attachment_postId_fkey\" TO fk_rails_0123abcd");
    r = gql("mutation { createAttachment(input: {id: \"a2\", postId: \"nope\", name: \"x\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "InvalidArgumentsError");
    CHECK_STR(at(r, "errors.0.message"), "A related item the input refers to does not exist.");
    exec_sql("ALTER TABLE \"Attachment\" RENAME CONSTRAINT fk_rails_0123abcd TO \"Attachment_postId_fkey\"");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Comment\""), "1");

    /* RESTRICT: a required reference (Attachment.postId: ID!) keeps the post, and everything else */
    r = gql("mutation { deletePost(input: {id: \"p1\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors.0.errorType"), "ReferentialIntegrityViolation");
    CHECK_STR(at(r, "errors.0.message"), "Other items refer to this item; delete or change them first.");
    CHECK_STR(at(r, "data.deletePost"), "null");
    r = gql("{ getPost(id: \"p1\") { id comments { items { id } } tags { items { tagId } } } }", NULL);
    CHECK_STR(at(r, "data.getPost.id"), "p1");
    CHECK_STR(at(r, "data.getPost.comments.items"), "[{\"id\":\"c1\"}]");
    CHECK_STR(at(r, "data.getPost.tags.items"), "[{\"tagId\":\"t1\"}]");

    /* without the attachment: the comment stays with a null postId (SET NULL), the join row goes (CASCADE) */
    r = gql("mutation { deleteAttachment(input: {id: \"a1\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    r = gql("mutation { deletePost(input: {id: \"p1\"}) { id } }", NULL);
    CHECK_STR(at(r, "errors"), "(missing)");
    CHECK_STR(at(r, "data.deletePost.id"), "p1");
    r = gql("{ getComment(id: \"c1\") { id postId body } getTag(id: \"t1\") { label posts { items { postId } } } }",
            NULL);
    CHECK_STR(at(r, "data.getComment"), "{\"id\":\"c1\",\"postId\":null,\"body\":\"hi\"}");
    CHECK_STR(at(r, "data.getTag.label"), "news");
    CHECK_STR(at(r, "data.getTag.posts.items"), "[]");
    CHECK_STR(sql_value("SELECT count(*) FROM \"PostTags\""), "0");
    close_pool(p);
}

static void test_foreign_keys_off(void)
{
    /* existing constraints are left alone */
    char error[512];
    gg_buf out;
    gg_buf_init(&out);
    CHECK(migrate(false, false, &out, NULL, NULL, error, sizeof error));
    CHECK_STR(error, "");
    CHECK(strstr(out.data, "FOREIGN KEY") == NULL);
    CHECK(strstr(out.data, "-- database.foreign_keys is false: no foreign keys are created (existing ones are left "
                           "alone)\n"));
    CHECK_STR(fk_summary(FK_SCHEMA), "Attachment_postId_fkey:r:false,Comment_postId_fkey:n:false,"
                                     "PostTags_postId_fkey:c:false,PostTags_tagId_fkey:c:false");
    /* a fresh database gets none: loose references, as on AppSync */
    use_schema(FK_SCHEMA);
    CHECK(migrate(false, false, NULL, NULL, NULL, error, sizeof error));
    CHECK_STR(fk_summary(FK_SCHEMA), "none");
    gg_pg_pool *p = open_pool(FK_SCHEMA);
    const char *r = gql("mutation { createComment(input: {id: \"c2\", postId: \"nope\"}) { postId } }", NULL);
    CHECK_STR(at(r, "data.createComment.postId"), "nope");
    close_pool(p);
    gg_buf_free(&out);
}

/* ---- column types ---- */

static void test_conversion_rules(void)
{
    CHECK_INT(gg_pg_migrate_conversion("integer", "integer"), GG_PG_CONVERT_NONE);
    CHECK_INT(gg_pg_migrate_conversion("integer", "bigint"), GG_PG_CONVERT_WIDEN);
    CHECK_INT(gg_pg_migrate_conversion("integer", "double precision"), GG_PG_CONVERT_WIDEN);
    CHECK_INT(gg_pg_migrate_conversion("jsonb", "text"), GG_PG_CONVERT_WIDEN);
    CHECK_INT(gg_pg_migrate_conversion("timestamp with time zone", "text"), GG_PG_CONVERT_WIDEN);
    CHECK_INT(gg_pg_migrate_conversion("text", "boolean"), GG_PG_CONVERT_PARSE);
    CHECK_INT(gg_pg_migrate_conversion("character varying", "jsonb"), GG_PG_CONVERT_PARSE);
    CHECK_INT(gg_pg_migrate_conversion("bigint", "double precision"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("bigint", "integer"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("double precision", "integer"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("jsonb", "integer"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("boolean", "integer"), GG_PG_CONVERT_REFUSED);
    /* graphgate's text dates of before: converted after every value is checked */
    CHECK_INT(gg_pg_migrate_conversion("text", "timestamp with time zone"), GG_PG_CONVERT_CHECK);
    CHECK_INT(gg_pg_migrate_conversion("character varying", "date"), GG_PG_CONVERT_CHECK);
    CHECK_INT(gg_pg_migrate_conversion("text", "time without time zone"), GG_PG_CONVERT_CHECK);
    /* graphgate's JSON lists of before: converted after every list is checked */
    CHECK_INT(gg_pg_migrate_conversion("text", "text[]"), GG_PG_CONVERT_LIST);
    CHECK_INT(gg_pg_migrate_conversion("jsonb", "date[]"), GG_PG_CONVERT_LIST);
    CHECK_INT(gg_pg_migrate_conversion("json", "integer[]"), GG_PG_CONVERT_LIST);
    CHECK_INT(gg_pg_migrate_conversion("integer", "integer[]"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("text[]", "integer[]"), GG_PG_CONVERT_REFUSED);
    CHECK_INT(gg_pg_migrate_conversion("timestamp with time zone", "date"), GG_PG_CONVERT_REFUSED);
}

static const char *column_types(void)
{
    return sql_value("SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM "
                     "information_schema.columns WHERE table_schema = '" TYPES_SCHEMA "' AND table_name = 'Measure'");
}

static void test_type_changes(void)
{
    use_schema(TYPES_SCHEMA);
    exec_sql("CREATE TABLE \"Measure\" (id text PRIMARY KEY, count text, total integer, ratio double precision, "
             "note text, legacy text)");
    exec_sql("INSERT INTO \"Measure\" VALUES ('m1', ' 12', 5, 2.5, 'n', 'kept'), ('m2', NULL, NULL, NULL, NULL, NULL)");
    const char *before = "id:text,count:text,total:integer,ratio:double precision,note:text,legacy:text";
    CHECK_STR(column_types(), before);
    char error[512];
    gg_buf out, messages;
    gg_buf_init(&out);
    gg_buf_init(&messages);
    gg_pg_migrate_report report;

    /* --dry-run with the database: the ALTERs it would run, and nothing done */
    CHECK(migrate(true, true, &out, &messages, &report, error, sizeof error));
    CHECK(strstr(out.data, "-- column types the schema changed"));
    CHECK(strstr(out.data, "ALTER TABLE \"Measure\" ALTER COLUMN \"count\" TYPE integer USING \"count\"::integer;\n"));
    CHECK(strstr(out.data, "ALTER TABLE \"Measure\" ALTER COLUMN \"total\" TYPE bigint USING \"total\"::bigint;\n"));
    CHECK(strstr(out.data, "ALTER COLUMN \"ratio\"") == NULL);
    CHECK(strstr(messages.data, "warning: column \"Measure\".\"ratio\" is double precision but Measure.ratio needs "
                                "integer: not converted (values could be lost or changed); to convert it anyway: "
                                "ALTER TABLE \"Measure\" ALTER COLUMN \"ratio\" TYPE integer USING "
                                "\"ratio\"::integer;\n"));
    CHECK(strstr(messages.data, "note: table \"Measure\" keeps columns no longer in the schema (migrate never drops "
                                "data): \"legacy\"\n"));
    CHECK_INT(report.converted, 2);
    CHECK_INT(report.refused, 1);
    CHECK_INT(report.unused, 1);
    CHECK_STR(column_types(), before);
    CHECK_STR(sql_value("SELECT coalesce(to_regclass('\"Post\"')::text, 'none')"), "none");

    /* a value that does not convert fails the whole migration, naming the column */
    exec_sql("INSERT INTO \"Measure\" (id, count, total) VALUES ('bad', '1.5', 7)");
    reset(&out);
    CHECK(!migrate(false, true, &out, NULL, NULL, error, sizeof error));
    CHECK_STR(error, "cannot convert column \"Measure\".\"count\" from text to integer: invalid input syntax for type "
                     "integer: \"1.5\"");
    CHECK_STR(column_types(), before); /* total stays integer: nothing applied */
    CHECK_STR(sql_value("SELECT coalesce(to_regclass('\"Post\"')::text, 'none')"), "none");
    exec_sql("DELETE FROM \"Measure\" WHERE id = 'bad'");

    /* applied: integer -> bigint, text -> integer, values kept; double -> integer refused */
    reset(&out);
    reset(&messages);
    CHECK(migrate(false, true, &out, &messages, &report, error, sizeof error));
    CHECK_STR(error, "");
    CHECK_INT(report.converted, 2);
    CHECK_INT(report.refused, 1);
    CHECK(strstr(messages.data, "warning: column \"Measure\".\"ratio\" is double precision"));
    CHECK_STR(column_types(), "id:text,count:integer,total:bigint,ratio:double precision,note:text,legacy:text,"
                              "createdAt:timestamp with time zone,updatedAt:timestamp with time zone");
    CHECK_STR(sql_value("SELECT concat_ws('|', count, total, ratio, note, legacy) FROM \"Measure\" WHERE id = 'm1'"),
              "12|5|2.5|n|kept");
    CHECK_STR(sql_value("SELECT count(*) FROM \"Measure\" WHERE id = 'm2' AND count IS NULL AND total IS NULL"), "1");
    /* again: nothing left to convert, the refusal stays */
    reset(&messages);
    CHECK(migrate(false, true, NULL, &messages, &report, error, sizeof error));
    CHECK_INT(report.converted, 0);
    CHECK_INT(report.refused, 1);

    /* the start-up check says what migrate does about each column */
    exec_sql("ALTER TABLE \"Measure\" ALTER COLUMN total TYPE integer");
    reset(&messages);
    CHECK_INT(gg_pg_migrate_type_warnings(db, catalog, &messages), 2);
    CHECK(strstr(messages.data, "warning: column \"Measure\".\"total\" is integer but Measure.total needs bigint: run "
                                "graphgate migrate to convert it"));
    CHECK(strstr(messages.data, "warning: column \"Measure\".\"ratio\" is double precision but Measure.ratio needs "
                                "integer: graphgate migrate does not convert it"));
    gg_buf_free(&out);
    gg_buf_free(&messages);
}

static void test_dry_run_without_database(void)
{
    gg_pg_migrate_options opts = {.dry_run = true, .foreign_keys = true};
    gg_buf out;
    gg_buf_init(&out);
    char error[256] = "";
    CHECK(gg_pg_migrate_run(NULL, catalog, &opts, &out, NULL, NULL, GG_FAULT_INTO(error)));
    CHECK(strstr(out.data, "-- column types are not compared: that needs the database"));
    CHECK(strstr(out.data, "ADD CONSTRAINT \"Attachment_postId_fkey\" FOREIGN KEY (\"postId\") REFERENCES \"Post\" "
                           "(\"id\") ON DELETE RESTRICT NOT VALID;\n"));
    CHECK(strstr(out.data, "ALTER COLUMN") == NULL);
    opts.dry_run = false;
    CHECK(!gg_pg_migrate_run(NULL, catalog, &opts, NULL, NULL, NULL, GG_FAULT_INTO(error)));
    gg_buf_free(&out);
}

static bool load_app(gg_arena *arena)
{
    served_schema = harness_transform(arena, user_sdl, &served, &catalog);
    return served_schema != NULL;
}

int main(void)
{
    if (!harness_start("migrate")) return 77;
    gg_arena arena;
    gg_arena_init(&arena);
    CHECK(load_app(&arena));
    if (served_schema) {
        RUN(test_constraints_created_once);
        RUN(test_writes_and_deletes_through_graphql);
        RUN(test_foreign_keys_off);
        RUN(test_conversion_rules);
        RUN(test_type_changes);
        RUN(test_dry_run_without_database);
    }
    exec_sql("SET search_path TO public");
    exec_sql("DROP SCHEMA IF EXISTS " FK_SCHEMA " CASCADE");
    exec_sql("DROP SCHEMA IF EXISTS " TYPES_SCHEMA " CASCADE");
    schema = NULL;
    gg_schema_free(served_schema);
    gg_amplify_catalog_free(catalog);
    gg_buf_free(&served);
    gg_arena_free(&arena);
    PQfinish(db);
    h2o_evloop_destroy(loop);
    return test_summary();
}
