/* Tests resolvers/postgres/filter_sql.c by running the generated SQL on a real PostgreSQL
 * (scripts/test.sh starts it): each filter, written as the JSON a client sends, must select
 * exactly the expected rows of a small table, and injection attempts stay inert values. */
#include <stdlib.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>

#include "execute/values.h"
#include "filter_sql.h"
#include "test.h"
#include "test_db.h"

static PGconn *db;

static const gg_filter_column columns[] = {
    {.sql = "t.\"title\"", .kind = GG_COLUMN_TEXT},
    {.sql = "t.\"rating\"", .kind = GG_COLUMN_INT},
    {.sql = "t.\"score\"", .kind = GG_COLUMN_FLOAT},
    {.sql = "t.\"done\"", .kind = GG_COLUMN_BOOL},
    {.sql = "t.\"tags\"", .kind = GG_COLUMN_JSON, .item_kind = GG_COLUMN_TEXT, .is_list = true},
    {.sql = "t.\"status\"", .kind = GG_COLUMN_TEXT},
};
static const char *column_names[] = {"title", "rating", "score", "done", "tags", "status"};

static const gg_filter_column *lookup(void *data, const char *field)
{
    (void)data;
    for (unsigned i = 0; i < sizeof columns / sizeof *columns; i++)
        if (strcmp(field, column_names[i]) == 0) return &columns[i];
    return NULL;
}

/* Returns the ids selected by filter (JSON), comma-separated, or "ERROR: msg". */
static const char *select_ids(gg_arena *a, const char *filter_json)
{
    cJSON *json = cJSON_Parse(filter_json);
    if (json == NULL) return "bad test JSON";
    gg_val *filter = gg_val_from_cjson(a, json);
    cJSON_Delete(json);
    gg_buf sql;
    gg_buf_init(&sql);
    gg_buf_puts(&sql, "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM filter_test t WHERE ");
    gg_sql_params params;
    gg_sql_params_init(&params, a);
    gg_fault error = {0};
    if (!gg_filter_to_sql(&sql, &params, filter, lookup, NULL, &error)) {
        gg_buf_free(&sql);
        return gg_arena_printf(a, "ERROR: %s", error.message);
    }
    PGresult *r = PQexecParams(db, sql.data, (int)params.count, NULL, params.values, NULL, NULL, 0);
    const char *out = PQresultStatus(r) == PGRES_TUPLES_OK
                          ? gg_arena_strdup(a, PQgetvalue(r, 0, 0))
                          : gg_arena_printf(a, "SQL ERROR: %s\n%s", PQerrorMessage(db), sql.data);
    PQclear(r);
    gg_buf_free(&sql);
    return out;
}

#define EXPECT(filter, ids) CHECK_STR(select_ids(&a, filter), ids)

static void test_operators(void)
{
    gg_arena a;
    gg_arena_init(&a);
    EXPECT("{}", "1,2,3,4,5");
    EXPECT("null", "1,2,3,4,5");
    EXPECT("{\"title\":{\"eq\":\"Alpha\"}}", "1");
    EXPECT("{\"title\":{\"ne\":\"Alpha\"}}", "2,3,4,5"); /* null-safe: row 5 has no title */
    EXPECT("{\"title\":{\"eq\":null}}", "5");
    EXPECT("{\"rating\":{\"gt\":2}}", "3,4");
    EXPECT("{\"rating\":{\"ge\":2,\"lt\":4}}", "2,3");
    EXPECT("{\"rating\":{\"le\":1}}", "1");
    EXPECT("{\"rating\":{\"between\":[2,3]}}", "2,3");
    EXPECT("{\"score\":{\"gt\":1.5}}", "2,4");
    EXPECT("{\"done\":{\"eq\":true}}", "2,4");
    EXPECT("{\"done\":{\"ne\":true}}", "1,3,5");
    EXPECT("{\"title\":{\"beginsWith\":\"Al\"}}", "1");
    EXPECT("{\"title\":{\"contains\":\"et\"}}", "2");
    EXPECT("{\"title\":{\"notContains\":\"et\"}}", "1,3,4,5");
    EXPECT("{\"tags\":{\"contains\":\"red\"}}", "1,3");
    EXPECT("{\"tags\":{\"notContains\":\"red\"}}", "2,4,5");
    EXPECT("{\"title\":{\"attributeExists\":false}}", "5");
    EXPECT("{\"title\":{\"attributeExists\":true}}", "1,2,3,4");
    EXPECT("{\"title\":{\"size\":{\"eq\":5}}}", "1,3,4");
    EXPECT("{\"title\":{\"size\":{\"lt\":5}}}", "2");
    EXPECT("{\"tags\":{\"size\":{\"ge\":2}}}", "1");
    EXPECT("{\"status\":{\"in\":[\"OPEN\",\"DONE\"]}}", "1,2,4");
    EXPECT("{\"status\":{\"notIn\":[\"OPEN\"]}}", "2,3,4,5");
    EXPECT("{\"status\":{\"in\":[]}}", "");
    EXPECT("{\"rating\":{\"attributeType\":\"number\"}}", "1,2,3,4");
    EXPECT("{\"tags\":{\"attributeType\":\"list\"}}", "1,2,3,4");
    EXPECT("{\"title\":{\"attributeType\":\"number\"}}", "");
    gg_arena_free(&a);
}

static void test_combinators(void)
{
    gg_arena a;
    gg_arena_init(&a);
    EXPECT("{\"or\":[{\"rating\":{\"eq\":1}},{\"rating\":{\"eq\":4}}]}", "1,4");
    EXPECT("{\"and\":[{\"rating\":{\"ge\":2}},{\"done\":{\"eq\":true}}]}", "2,4");
    EXPECT("{\"not\":{\"done\":{\"eq\":true}}}", "1,3,5");
    EXPECT("{\"or\":[]}", "");
    EXPECT("{\"and\":[]}", "1,2,3,4,5");
    EXPECT("{\"rating\":{\"ge\":2},\"or\":[{\"title\":{\"eq\":\"Gamma\"}},{\"done\":{\"eq\":true}}]}", "2,3,4");
    EXPECT("{\"not\":{\"or\":[{\"rating\":{\"eq\":1}},{\"title\":{\"eq\":null}}]}}", "2,3,4");
    gg_arena_free(&a);
}

static void test_inert_and_refused(void)
{
    gg_arena a;
    gg_arena_init(&a);
    EXPECT("{\"title\":{\"eq\":\"x' OR '1'='1\"}}", "");
    EXPECT("{\"title\":{\"contains\":\"%\"}}", "");
    EXPECT("{\"title\":{\"beginsWith\":\"_\"}}", "");
    EXPECT("{\"title\":{\"eq\":\"Alpha\\\"; DROP TABLE filter_test; --\"}}", "");
    EXPECT("{\"rating\":{\"eq\":1}}", "1"); /* the table is still there */
    CHECK_STR(select_ids(&a, "{\"nope\":{\"eq\":1}}"), "ERROR: Unable to process the filter expression.");
    CHECK(strncmp(select_ids(&a, "{\"rating\":{\"between\":[1]}}"), "ERROR: ", 7) == 0);
    CHECK(strncmp(select_ids(&a, "{\"rating\":{\"eq\":\"one\"}}"), "ERROR: ", 7) == 0);
    CHECK(strncmp(select_ids(&a, "{\"rating\":{\"bogus\":1}}"), "ERROR: ", 7) == 0);
    gg_arena_free(&a);
}

/* A text or jsonb column read by three or more comparisons is read once per row through a
 * subquery: the rows are the same as in the plain form, NULLs included. */
static void test_shared_reads(void)
{
    gg_arena a;
    gg_arena_init(&a);
    EXPECT("{\"or\":[{\"title\":{\"contains\":\"lph\"}},{\"title\":{\"contains\":\"amm\"}},"
           "{\"title\":{\"eq\":\"Beta\"}}]}",
           "1,2,3");
    EXPECT("{\"and\":[{\"title\":{\"ne\":\"Alpha\"}},{\"title\":{\"ne\":\"Beta\"}},{\"title\":{\"ne\":\"Gamma\"}}]}",
           "4,5");
    EXPECT("{\"not\":{\"or\":[{\"title\":{\"eq\":\"Alpha\"}},{\"title\":{\"eq\":null}},"
           "{\"title\":{\"beginsWith\":\"G\"}}]}}",
           "2,4");
    EXPECT("{\"or\":[{\"tags\":{\"contains\":\"green\"}},{\"tags\":{\"size\":{\"eq\":0}}},"
           "{\"tags\":{\"notContains\":\"red\"}}],\"rating\":{\"ge\":2}}",
           "2,4");
    EXPECT("{\"title\":{\"notIn\":[\"Alpha\",\"Beta\"],\"size\":{\"le\":5}},\"done\":{\"eq\":false}}", "3");
    gg_arena_free(&a);
}

int main(void)
{
    db = test_db_connect();
    if (db == NULL) return 1;
    test_db_exec(db, "SET client_min_messages = warning");
    test_db_exec(db, "DROP TABLE IF EXISTS filter_test");
    test_db_exec(db,
                 "CREATE TABLE filter_test (id int PRIMARY KEY, title text, rating bigint, score float8, done boolean, "
                 "tags jsonb, status text)");
    test_db_exec(db, "INSERT INTO filter_test VALUES "
                     "(1, 'Alpha', 1, 1.0, false, '[\"red\",\"blue\"]', 'OPEN'),"
                     "(2, 'Beta', 2, 2.5, true, '[\"green\"]', 'DONE'),"
                     "(3, 'Gamma', 3, 0.5, false, '[\"red\"]', 'CLOSED'),"
                     "(4, 'Delta', 4, 9.75, true, '[]', 'DONE'),"
                     "(5, NULL, NULL, NULL, NULL, NULL, NULL)");
    RUN(test_operators);
    RUN(test_combinators);
    RUN(test_inert_and_refused);
    RUN(test_shared_reads);
    test_db_exec(db, "DROP TABLE filter_test");
    PQfinish(db);
    return test_summary();
}
