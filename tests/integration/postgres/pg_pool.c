/* Tests resolvers/postgres/pg_pool.c against a real PostgreSQL (started by scripts/test.sh):
 * connecting without blocking, pipelined prepared queries, an error that aborts only its own
 * query, and recovery after the server restarts. Needs GRAPHGATE_TEST_DATABASE_URL and
 * GRAPHGATE_TEST_PGDATA (the data directory scripts/pg-local.sh manages). */
#include <stdlib.h>
#include <time.h>

#include "pg_pool.h"
#include "test.h"

static h2o_evloop_t *loop;
static const char *scripts_dir;

typedef struct answer {
    int done;
    gg_pg_status status;
    char value[64];
    char sqlstate[8];
} answer;

static void on_answer(void *user, gg_pg_status status, const PGresult *result)
{
    answer *a = user;
    a->done = 1;
    a->status = status;
    if (status == GG_PG_OK && PQntuples(result) > 0)
        snprintf(a->value, sizeof a->value, "%s", PQgetvalue(result, 0, 0));
    if (status == GG_PG_ERROR) {
        const char *st = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        snprintf(a->sqlstate, sizeof a->sqlstate, "%s", st ? st : "");
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the loop until *flag is set or the deadline passes; returns whether it was set. */
static int run_until(const int *flag, double seconds)
{
    double end = now_s() + seconds;
    while (!*flag && now_s() < end)
        h2o_evloop_run(loop, 50);
    return *flag;
}

static int all_ready_flag;
static gg_pg_pool *wait_ready(gg_pg_pool *pool, unsigned want, double seconds)
{
    double end = now_s() + seconds;
    while (gg_pg_pool_ready(pool) < want && now_s() < end)
        h2o_evloop_run(loop, 50);
    all_ready_flag = gg_pg_pool_ready(pool) >= want;
    return pool;
}

static gg_pg_pool *make_pool(void)
{
    const char *error = NULL;
    gg_pg_pool_config cfg = {.conninfo = getenv("GRAPHGATE_TEST_DATABASE_URL"), .size = 2,
                             .statement_timeout_ms = 2000, .reconnect_interval_ms = 200};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    return pool;
}

static void test_bad_config(void)
{
    const char *error = NULL;
    gg_pg_pool_config cfg = {.conninfo = "postgresql://[broken"};
    CHECK(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error) == NULL);
    CHECK(error != NULL);
    cfg.conninfo = "";
    CHECK(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error) == NULL);
}

static void test_pipelined_queries(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    enum { N = 50 };
    answer answers[N] = {0};
    char params[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(params[i], sizeof params[i], "%d", i);
        const char *values[1] = {params[i]};
        gg_pg_pool_query(pool, "SELECT $1::int * 2", 1, values, on_answer, &answers[i]);
    }
    CHECK(run_until(&answers[N - 1].done, 10));
    int ok = 0;
    for (int i = 0; i < N; i++) {
        char expect[16];
        snprintf(expect, sizeof expect, "%d", i * 2);
        ok += answers[i].done && answers[i].status == GG_PG_OK && strcmp(answers[i].value, expect) == 0;
    }
    CHECK_INT(ok, N);
    gg_pg_pool_stats st = gg_pg_pool_get_stats(pool);
    CHECK_INT(st.round_trips, N);
    CHECK_INT(st.statements, N);
    CHECK(st.prepares >= 1 && st.prepares <= 2); /* once per connection at most */

    /* a NULL parameter */
    answer null_answer = {0};
    const char *null_values[1] = {NULL};
    gg_pg_pool_query(pool, "SELECT coalesce($1::text, 'was null')", 1, null_values, on_answer, &null_answer);
    CHECK(run_until(&null_answer.done, 5));
    CHECK_STR(null_answer.value, "was null");
    gg_pg_pool_destroy(pool);
}

static void test_error_is_isolated(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    answer bad = {0}, good = {0}, slow = {0};
    const char *zero[1] = {"0"};
    gg_pg_pool_query(pool, "SELECT 1 / $1::int", 1, zero, on_answer, &bad);
    gg_pg_pool_query(pool, "SELECT 'fine'", 0, NULL, on_answer, &good);
    gg_pg_pool_query(pool, "SELECT pg_sleep(5)", 0, NULL, on_answer, &slow); /* statement_timeout is 2 s */
    CHECK(run_until(&good.done, 5));
    CHECK(run_until(&bad.done, 5));
    CHECK(bad.status == GG_PG_ERROR);
    CHECK_STR(bad.sqlstate, "22012"); /* division_by_zero */
    CHECK(good.status == GG_PG_OK);
    CHECK_STR(good.value, "fine");
    CHECK(run_until(&slow.done, 10));
    CHECK(slow.status == GG_PG_ERROR);
    CHECK_STR(slow.sqlstate, "57014"); /* query_canceled by statement_timeout */
    gg_pg_pool_destroy(pool);
}

static void test_unreachable_server(void)
{
    const char *error = NULL;
    gg_pg_pool_config cfg = {.conninfo = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", .size = 1,
                             .reconnect_interval_ms = 100};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    for (int i = 0; i < 5; i++)
        h2o_evloop_run(loop, 20);
    answer a = {0};
    gg_pg_pool_query(pool, "SELECT 1", 0, NULL, on_answer, &a);
    CHECK(a.done);
    CHECK(a.status == GG_PG_UNAVAILABLE);
    CHECK(gg_pg_pool_last_error(pool)[0] != '\0');
    gg_pg_pool_destroy(pool);
}

static void test_restart_recovers(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s/pg-local.sh' restart '%s'", scripts_dir, getenv("GRAPHGATE_TEST_PGDATA"));
    CHECK(system(cmd) == 0);
    /* queries now fail fast (lost or unavailable) until the pool has reconnected by itself */
    int failures = 0, recovered = 0;
    double end = now_s() + 20;
    while (!recovered && now_s() < end) {
        answer a = {0};
        gg_pg_pool_query(pool, "SELECT 'back'", 0, NULL, on_answer, &a);
        run_until(&a.done, 5);
        if (a.done && a.status == GG_PG_OK)
            recovered = strcmp(a.value, "back") == 0;
        else
            failures++;
        if (!recovered)
            h2o_evloop_run(loop, 50);
    }
    CHECK(recovered);
    CHECK(failures >= 1);
    CHECK(gg_pg_pool_get_stats(pool).reconnects >= 1);
    gg_pg_pool_destroy(pool);
}

int main(int argc, char **argv)
{
    if (getenv("GRAPHGATE_TEST_DATABASE_URL") == NULL || getenv("GRAPHGATE_TEST_PGDATA") == NULL || argc < 2) {
        fprintf(stderr, "needs GRAPHGATE_TEST_DATABASE_URL and GRAPHGATE_TEST_PGDATA (scripts/test.sh sets them) "
                        "and the scripts folder as argument\n");
        return 1;
    }
    scripts_dir = argv[1];
    loop = h2o_evloop_create();
    RUN(test_bad_config);
    RUN(test_pipelined_queries);
    RUN(test_error_is_isolated);
    RUN(test_unreachable_server);
    RUN(test_restart_recovers);
    h2o_evloop_run(loop, 0);
    h2o_evloop_destroy(loop);
    return test_summary();
}
