/* Tests resolvers/postgres/pg_pool.c against a real PostgreSQL (started by scripts/test.sh):
 * connecting without blocking, pipelined prepared queries, an error that aborts only its own
 * query, the bound on prepared statements (least recently used deallocated; the backend's
 * pg_prepared_statements, read through the pool on the same session, shows what is kept),
 * cancellation by owner, DateStyle kept at ISO, a result kept past its callback, large results
 * read in few wakes (and small ones without asking the socket for more), recovery after the server
 * restarts, queries waiting for a connection while it is down, and reconnecting at once. Needs
 * GRAPHGATE_TEST_DATABASE_URL and GRAPHGATE_TEST_PGDATA (the data directory scripts/pg-local.sh manages). */
#include <stdlib.h>
#include <time.h>

#include "pg_pool.h"
#include "test.h"

static h2o_evloop_t *loop;
static const char *scripts_dir;

/* calloc, wrapped at link time (meson.build: -Wl,--wrap=calloc) for the pool's objects and this
 * file's: when fail_calloc is set, the calloc that counts it down to 0 fails (out of memory). */
void *__real_calloc(size_t count, size_t size);
void *__wrap_calloc(size_t count, size_t size);
static int fail_calloc;
void *__wrap_calloc(size_t count, size_t size)
{
    if (fail_calloc > 0 && --fail_calloc == 0) return NULL;
    return __real_calloc(count, size);
}

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

/* Runs the loop until every answer of the array is in (they come back per connection, in any
 * order across connections); returns whether they all came. */
static int run_until_all(const answer *answers, int count, double seconds)
{
    double end = now_s() + seconds;
    for (;;) {
        int done = 0;
        for (int i = 0; i < count; i++)
            done += answers[i].done;
        if (done == count) return 1;
        if (now_s() >= end) return 0;
        h2o_evloop_run(loop, 50);
    }
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
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = getenv("GRAPHGATE_TEST_DATABASE_URL"),
                             .size = 2,
                             .statement_timeout_ms = 2000,
                             .reconnect_interval_ms = 200};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    return pool;
}

static void test_bad_config(void)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = "postgresql://[broken"};
    CHECK(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error) == NULL);
    CHECK(error.message != NULL);
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
        gg_pg_pool_query(pool, NULL, "SELECT $1::int * 2", 1, values, on_answer, &answers[i]);
    }
    CHECK(run_until_all(answers, N, 10));
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
    gg_pg_pool_query(pool, NULL, "SELECT coalesce($1::text, 'was null')", 1, null_values, on_answer, &null_answer);
    CHECK(run_until(&null_answer.done, 5));
    CHECK_STR(null_answer.value, "was null");
    gg_pg_pool_destroy(pool);
}

/* Large results: every row arrives intact, and a connection's socket is read in few wakes. */
enum { LARGE_ROWS = 1000, LARGE_WIDTH = 200 };

typedef struct rows_answer {
    int done;
    int rows_ok; /* rows whose number and text are the ones selected */
} rows_answer;

static void on_rows(void *user, gg_pg_status status, const PGresult *result)
{
    rows_answer *a = user;
    a->done = 1;
    if (status != GG_PG_OK || PQntuples(result) != LARGE_ROWS) return;
    for (int row = 0; row < LARGE_ROWS; row++) {
        const char *text = PQgetvalue(result, row, 1);
        a->rows_ok += atoi(PQgetvalue(result, row, 0)) == row + 1 && PQgetlength(result, row, 1) == LARGE_WIDTH &&
                      text[0] == 'x' && text[LARGE_WIDTH - 1] == 'x';
    }
}

/* Four results of ~230 KB each, read with pauses so that the socket fills up between wakes (a
 * loaded server the same way): libpq alone reads at most 16 KB per wake, which takes 55 wakes or
 * more for ~900 KB; pg_pool reads again before parsing, libpq's buffer grows, and a handful of
 * wakes take it all. Returns the wakes that read them. */
static uint64_t read_large_results(gg_pg_pool *pool)
{
    enum { N = 4 };
    rows_answer answers[N] = {0};
    char rows[16], width[16];
    snprintf(rows, sizeof rows, "%d", LARGE_ROWS);
    snprintf(width, sizeof width, "%d", LARGE_WIDTH);
    const char *values[2] = {rows, width};
    uint64_t reads_before = gg_pg_pool_get_stats(pool).reads;
    for (int i = 0; i < N; i++)
        gg_pg_pool_query(pool, NULL, "SELECT i, repeat('x', $2::int) FROM generate_series(1, $1::int) i", 2, values,
                         on_rows, &answers[i]);
    double end = now_s() + 20;
    int done = 0;
    while (done < N && now_s() < end) {
        h2o_evloop_run(loop, 50);
        nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
        done = 0;
        for (int i = 0; i < N; i++)
            done += answers[i].done;
    }
    CHECK_INT(done, N);
    for (int i = 0; i < N; i++)
        CHECK_INT(answers[i].rows_ok, LARGE_ROWS);
    uint64_t reads = gg_pg_pool_get_stats(pool).reads - reads_before;
    fprintf(stderr, "  %llu wakes read the four results\n", (unsigned long long)reads);
    return reads;
}

static void test_large_results_few_reads(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    CHECK(read_large_results(pool) < 30);
    gg_pg_pool_destroy(pool);
}

/* Small answers, each one read whole, never make the pool ask the socket for more (a system call
 * per read); large results after them still grow libpq's buffer (the first wake that reads part
 * of one lets the next ones ask). */
static void test_small_answers_no_checks(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    gg_pg_pool_stats before = gg_pg_pool_get_stats(pool);
    int ok = 0;
    for (int i = 0; i < 100; i++) {
        answer a = {0};
        char param[16];
        snprintf(param, sizeof param, "%d", i);
        const char *values[1] = {param};
        gg_pg_pool_query(pool, NULL, "SELECT $1::int + 1", 1, values, on_answer, &a);
        ok += run_until(&a.done, 5) && a.status == GG_PG_OK;
    }
    CHECK_INT(ok, 100);
    gg_pg_pool_stats after = gg_pg_pool_get_stats(pool);
    CHECK(after.reads - before.reads >= 100);
    CHECK_INT(after.read_checks - before.read_checks, 0);
    CHECK(read_large_results(pool) < 30);
    CHECK(gg_pg_pool_get_stats(pool).read_checks > after.read_checks);
    gg_pg_pool_destroy(pool);
}

/* A callback that keeps its result (gg_pg_pool_keep_result), and tries the same on another. */
typedef struct kept_answer {
    int done;
    PGresult *kept;
    PGresult *kept_again; /* a second keep of the same result: NULL */
    PGresult *foreign;    /* a keep of a result that is not the callback's: NULL */
} kept_answer;

static void on_kept(void *user, gg_pg_status status, const PGresult *result)
{
    kept_answer *k = user;
    k->done = 1;
    if (status != GG_PG_OK) return;
    k->kept = gg_pg_pool_keep_result(result);
    k->kept_again = gg_pg_pool_keep_result(result);
    k->foreign = gg_pg_pool_keep_result((const PGresult *)k);
}

/* A kept result outlives its callback, with every row, until the caller clears it; outside a
 * callback nothing is kept. */
static void test_keep_result(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    kept_answer k = {0};
    gg_pg_pool_query(pool, NULL, "SELECT n, repeat('x', n) FROM generate_series(1, 2000) n", 0, NULL, on_kept, &k);
    CHECK(run_until(&k.done, 10));
    CHECK(k.kept != NULL);
    CHECK(k.kept_again == NULL);
    CHECK(k.foreign == NULL);
    answer later = {0}; /* more results come and go meanwhile */
    gg_pg_pool_query(pool, NULL, "SELECT 'later'", 0, NULL, on_answer, &later);
    CHECK(run_until(&later.done, 5));
    CHECK_STR(later.value, "later");
    if (k.kept != NULL) {
        CHECK_INT(PQntuples(k.kept), 2000);
        CHECK_STR(PQgetvalue(k.kept, 1999, 0), "2000");
        CHECK_INT(PQgetlength(k.kept, 1999, 1), 2000);
        PQclear(k.kept); /* the caller's: ASan reports a leak or a double free otherwise */
    }
    CHECK(gg_pg_pool_keep_result(NULL) == NULL);
    gg_pg_pool_destroy(pool);
}

static void test_error_is_isolated(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    answer bad = {0}, good = {0}, slow = {0};
    const char *zero[1] = {"0"};
    gg_pg_pool_query(pool, NULL, "SELECT 1 / $1::int", 1, zero, on_answer, &bad);
    gg_pg_pool_query(pool, NULL, "SELECT 'fine'", 0, NULL, on_answer, &good);
    gg_pg_pool_query(pool, NULL, "SELECT pg_sleep(5)", 0, NULL, on_answer, &slow); /* statement_timeout is 2 s */
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

/* gg_pg_pool_cancel: with interrupt, the running statement of an owner is cancelled on the server
 * (answered GG_PG_CANCELLED long before it would end), but only once no other owner's query waits
 * behind it on that connection (a cancel request could reach that one); without, the statement
 * runs to its end and is answered GG_PG_CANCELLED, with no cancel request sent. */
static void test_cancel(void)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {
        .conninfo = getenv("GRAPHGATE_TEST_DATABASE_URL"), .size = 1, .statement_timeout_ms = 20000};
    gg_pg_pool *pool = wait_ready(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error), 1, 10);
    CHECK(all_ready_flag);
    int owner_a, owner_b, owner_c;
    answer slow = {0}, behind = {0}, ignored = {0};
    gg_pg_pool_query(pool, &owner_a, "SELECT pg_sleep(3)", 0, NULL, on_answer, &slow);
    gg_pg_pool_query(pool, &owner_b, "SELECT 'behind'", 0, NULL, on_answer, &behind);
    int never = 0;
    run_until(&never, 0.3); /* pg_sleep runs now */
    gg_pg_pool_cancel(pool, &owner_a, true);
    CHECK(!slow.done);                              /* never answered from the call */
    CHECK(gg_pg_pool_get_stats(pool).cancels == 0); /* owner_b's query waits behind it */
    CHECK(run_until(&behind.done, 10));
    CHECK(slow.status == GG_PG_CANCELLED);
    CHECK(behind.status == GG_PG_OK);
    CHECK_STR(behind.value, "behind");

    answer alone = {0};
    gg_pg_pool_query(pool, &owner_a, "SELECT pg_sleep(10)", 0, NULL, on_answer, &alone);
    run_until(&never, 0.3);
    double t0 = now_s();
    gg_pg_pool_cancel(pool, &owner_a, true);
    CHECK(run_until(&alone.done, 5));
    CHECK(alone.status == GG_PG_CANCELLED);
    CHECK(now_s() - t0 < 5);
    CHECK(gg_pg_pool_get_stats(pool).cancels == 1);

    gg_pg_pool_query(pool, &owner_c, "SELECT pg_sleep(0.3)::text", 0, NULL, on_answer, &ignored);
    gg_pg_pool_cancel(pool, &owner_c, false);
    CHECK(run_until(&ignored.done, 5));
    CHECK(ignored.status == GG_PG_CANCELLED);
    CHECK(gg_pg_pool_get_stats(pool).cancels == 1);
    gg_pg_pool_destroy(pool);
}

/* The queries of one loop round go to one connection (one backend wakes for all of them); the
 * next round, while that backend is busy, goes to the other. */
static void test_round_goes_to_one_connection(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    answer first[6] = {{0}}, second[6] = {{0}};
    for (int i = 0; i < 6; i++) /* one round: no loop run in between */
        gg_pg_pool_query(pool, NULL, "SELECT pg_backend_pid()::text FROM pg_sleep(0.3)", 0, NULL, on_answer, &first[i]);
    h2o_evloop_run(loop, 0); /* the round ends: its batch is sent */
    for (int i = 0; i < 6; i++)
        gg_pg_pool_query(pool, NULL, "SELECT pg_backend_pid()::text", 0, NULL, on_answer, &second[i]);
    CHECK(run_until_all(first, 6, 10));
    CHECK(run_until_all(second, 6, 10));
    int same_first = 0, same_second = 0;
    for (int i = 0; i < 6; i++) {
        CHECK(first[i].status == GG_PG_OK && second[i].status == GG_PG_OK);
        same_first += strcmp(first[i].value, first[0].value) == 0;
        same_second += strcmp(second[i].value, second[0].value) == 0;
    }
    CHECK_INT(same_first, 6);
    CHECK_INT(same_second, 6);
    CHECK(strcmp(first[0].value, second[0].value) != 0);
    gg_pg_pool_destroy(pool);
}

/* A round larger than one connection's share (32 queries) goes on to the other connection. */
static void test_large_round_spreads(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    CHECK(all_ready_flag);
    answer a[40] = {{0}};
    for (int i = 0; i < 40; i++)
        gg_pg_pool_query(pool, NULL, "SELECT pg_backend_pid()::text", 0, NULL, on_answer, &a[i]);
    CHECK(run_until_all(a, 40, 10));
    int same = 0;
    for (int i = 0; i < 40; i++)
        same += a[i].status == GG_PG_OK && strcmp(a[i].value, a[0].value) == 0;
    CHECK_INT(same, 32);
    gg_pg_pool_destroy(pool);
}

/* A statement whose PREPARE fails reports the real cause, and is prepared again once it can be. */
static void test_failed_prepare_recovers(void)
{
    gg_pg_pool *pool = wait_ready(make_pool(), 2, 10);
    const char *sql = "SELECT count(*) FROM pool_prepare_probe";
    answer first[2] = {{0}}, setup = {0}, later[2] = {{0}}, cleanup = {0};
    for (int i = 0; i < 2; i++) /* both connections try (and fail) to prepare it */
        gg_pg_pool_query(pool, NULL, sql, 0, NULL, on_answer, &first[i]);
    CHECK(run_until_all(first, 2, 5));
    CHECK(first[0].status == GG_PG_ERROR && first[1].status == GG_PG_ERROR);
    CHECK_STR(first[0].sqlstate, "42P01"); /* undefined_table, not "pipeline aborted" */
    CHECK_STR(first[1].sqlstate, "42P01");
    gg_pg_pool_query(pool, NULL, "CREATE TABLE pool_prepare_probe (x int)", 0, NULL, on_answer, &setup);
    CHECK(run_until(&setup.done, 5));
    for (int i = 0; i < 2; i++)
        gg_pg_pool_query(pool, NULL, sql, 0, NULL, on_answer, &later[i]);
    CHECK(run_until_all(later, 2, 5));
    CHECK(later[0].status == GG_PG_OK && later[1].status == GG_PG_OK);
    CHECK_STR(later[1].value, "0");
    gg_pg_pool_query(pool, NULL, "DROP TABLE pool_prepare_probe", 0, NULL, on_answer, &cleanup);
    CHECK(run_until(&cleanup.done, 5));
    gg_pg_pool_destroy(pool);
}

static gg_pg_pool *make_bounded_pool(unsigned max, bool never)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = getenv("GRAPHGATE_TEST_DATABASE_URL"),
                             .size = 1,
                             .statement_timeout_ms = 2000,
                             .reconnect_interval_ms = 200,
                             .max_prepared_statements = max,
                             .never_prepare = never};
    gg_pg_pool *pool = wait_ready(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error), 1, 10);
    CHECK(all_ready_flag);
    return pool;
}

/* Runs one statement (one text parameter, or none) and returns its first value, or "error <sqlstate>". */
static const char *run_one(gg_pg_pool *pool, const char *sql, const char *param)
{
    static answer a;
    a = (answer){0};
    const char *values[1] = {param};
    gg_pg_pool_query(pool, NULL, sql, param ? 1 : 0, param ? values : NULL, on_answer, &a);
    if (!run_until(&a.done, 5)) return "no answer";
    if (a.status == GG_PG_ERROR)
        snprintf(a.value, sizeof a.value, "error %s", a.sqlstate);
    else if (a.status != GG_PG_OK)
        snprintf(a.value, sizeof a.value, "status %d", (int)a.status);
    return a.value;
}

/* Statements prepared on the pool's (only) session, as the backend counts them. */
static int backend_prepared(gg_pg_pool *pool)
{
    return atoi(run_one(pool, "SELECT count(*) FROM pg_prepared_statements", NULL));
}

/* The i-th of many distinct statements: "SELECT $1::int + i" (as a filter shape would differ). */
static void distinct_sql(int i, char *out, size_t size)
{
    snprintf(out, size, "SELECT $1::int + %d", i);
}

static void test_prepared_bounded(void)
{
    gg_pg_pool *pool = make_bounded_pool(4, false);
    enum { N = 50 };
    int over = 0, wrong = 0;
    char sql[64], expect[16];
    for (int i = 0; i < N; i++) {
        distinct_sql(i, sql, sizeof sql);
        snprintf(expect, sizeof expect, "%d", 1000 + i);
        wrong += strcmp(run_one(pool, sql, "1000"), expect) != 0;
        int kept = backend_prepared(pool); /* the count query is one of the 4 */
        over += kept > 4;
        if (i >= 3) CHECK_INT(kept, 4);
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(over, 0);
    gg_pg_pool_stats st = gg_pg_pool_get_stats(pool);
    CHECK_INT(st.prepares, N + 1);          /* each text once, and the count query once (always recent) */
    CHECK_INT(st.deallocations, N + 1 - 4); /* all but the 4 kept */
    CHECK_INT(st.round_trips, 2 * N);       /* DEALLOCATEs do not count as queries */
    CHECK_INT(st.failures, 0);

    /* statement 0 was evicted long ago: used again, it is prepared again and answers */
    distinct_sql(0, sql, sizeof sql);
    CHECK_STR(run_one(pool, sql, "7"), "7");
    CHECK_INT(gg_pg_pool_get_stats(pool).prepares, st.prepares + 1);
    CHECK_INT(gg_pg_pool_get_stats(pool).deallocations, st.deallocations + 1);
    CHECK_INT(backend_prepared(pool), 4);
    gg_pg_pool_destroy(pool);
}

/* Many distinct statements sent in one go (one loop iteration), so evictions and PREPAREs are all in
 * flight together; each answer is its own. */
static void test_prepared_bounded_pipelined(void)
{
    gg_pg_pool *pool = make_bounded_pool(4, false);
    enum { N = 50 };
    answer answers[N] = {0};
    char sql[N][64], params[N][16];
    for (int i = 0; i < N; i++) {
        distinct_sql(i % 25, sql[i], sizeof sql[i]); /* each text twice, 25 apart: evicted in between */
        snprintf(params[i], sizeof params[i], "%d", i);
        const char *values[1] = {params[i]};
        gg_pg_pool_query(pool, NULL, sql[i], 1, values, on_answer, &answers[i]);
    }
    CHECK(run_until_all(answers, N, 10));
    int ok = 0;
    for (int i = 0; i < N; i++) {
        char expect[16];
        snprintf(expect, sizeof expect, "%d", i + i % 25);
        ok += answers[i].status == GG_PG_OK && strcmp(answers[i].value, expect) == 0;
    }
    CHECK_INT(ok, N);
    CHECK_INT(gg_pg_pool_get_stats(pool).prepares, N);
    CHECK_INT(gg_pg_pool_get_stats(pool).deallocations, N - 4);
    CHECK_INT(backend_prepared(pool), 4);
    gg_pg_pool_destroy(pool);
}

/* The least recently used statement goes, not the oldest prepared. */
static void test_prepared_lru_order(void)
{
    gg_pg_pool *pool = make_bounded_pool(3, false);
    CHECK_STR(run_one(pool, "SELECT 'a'", NULL), "a");
    CHECK_STR(run_one(pool, "SELECT 'b'", NULL), "b");
    CHECK_STR(run_one(pool, "SELECT 'c'", NULL), "c");
    CHECK_STR(run_one(pool, "SELECT 'a'", NULL), "a"); /* a is now the most recent: b is the least */
    CHECK_STR(run_one(pool, "SELECT 'd'", NULL), "d"); /* evicts b */
    uint64_t prepares = gg_pg_pool_get_stats(pool).prepares;
    CHECK_STR(run_one(pool, "SELECT 'a'", NULL), "a");
    CHECK_STR(run_one(pool, "SELECT 'c'", NULL), "c");
    CHECK_INT(gg_pg_pool_get_stats(pool).prepares, prepares); /* a and c were kept */
    CHECK_STR(run_one(pool, "SELECT 'b'", NULL), "b");
    CHECK_INT(gg_pg_pool_get_stats(pool).prepares, prepares + 1); /* b was not */
    gg_pg_pool_destroy(pool);
}

/* Queries of a new statement sent together to one connection, whose PREPARE then fails: each one
 * reports the PREPARE's error (not "prepared statement does not exist"), and it is prepared again once
 * it can be. */
static void test_failed_prepare_shared(void)
{
    gg_pg_pool *pool = make_bounded_pool(4, false);
    const char *sql = "SELECT count(*) FROM pool_shared_probe";
    answer first[3] = {{0}};
    for (int i = 0; i < 3; i++)
        gg_pg_pool_query(pool, NULL, sql, 0, NULL, on_answer, &first[i]);
    CHECK(run_until_all(first, 3, 5));
    for (int i = 0; i < 3; i++) {
        CHECK(first[i].status == GG_PG_ERROR);
        CHECK_STR(first[i].sqlstate, "42P01"); /* undefined_table */
    }
    CHECK_STR(run_one(pool, "CREATE TABLE pool_shared_probe (x int)", NULL), "");
    CHECK_STR(run_one(pool, sql, NULL), "0");
    CHECK_STR(run_one(pool, "DROP TABLE pool_shared_probe", NULL), "");
    gg_pg_pool_destroy(pool);
}

/* A statement whose PREPARE failed and that is evicted before that failure is known: its DEALLOCATE
 * fails (nothing to free) and must not touch the queries around it. */
static void test_evicting_failed_prepare(void)
{
    gg_pg_pool *pool = make_bounded_pool(1, false);
    answer a[4] = {{0}};
    gg_pg_pool_query(pool, NULL, "SELECT * FROM pool_no_such_table", 0, NULL, on_answer, &a[0]);
    gg_pg_pool_query(pool, NULL, "SELECT 'second'", 0, NULL, on_answer, &a[1]); /* evicts the failing one */
    gg_pg_pool_query(pool, NULL, "SELECT 'third'", 0, NULL, on_answer, &a[2]);
    gg_pg_pool_query(pool, NULL, "SELECT 'second'", 0, NULL, on_answer, &a[3]);
    CHECK(run_until_all(a, 4, 5));
    CHECK(a[0].status == GG_PG_ERROR);
    CHECK_STR(a[0].sqlstate, "42P01");
    CHECK(a[1].status == GG_PG_OK && a[2].status == GG_PG_OK && a[3].status == GG_PG_OK);
    CHECK_STR(a[1].value, "second");
    CHECK_STR(a[2].value, "third");
    CHECK_STR(a[3].value, "second");
    CHECK_INT(gg_pg_pool_get_stats(pool).deallocations, 3);
    CHECK_INT(backend_prepared(pool), 1);
    gg_pg_pool_destroy(pool);
}

/* never_prepare (database.max_prepared_statements 0): every statement runs unprepared. */
static void test_never_prepare(void)
{
    gg_pg_pool *pool = make_bounded_pool(0, true);
    char sql[64], expect[16];
    int wrong = 0;
    for (int i = 0; i < 20; i++) {
        distinct_sql(i % 5, sql, sizeof sql);
        snprintf(expect, sizeof expect, "%d", 10 + i % 5);
        wrong += strcmp(run_one(pool, sql, "10"), expect) != 0;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(backend_prepared(pool), 0);
    gg_pg_pool_stats st = gg_pg_pool_get_stats(pool);
    CHECK_INT(st.prepares, 0);
    CHECK_INT(st.deallocations, 0);
    CHECK_INT(st.statements, 21);
    gg_pg_pool_destroy(pool);
}

/* A ready pool of one connection to the test database with the URL option `options` (URL-encoded:
 * -c%20name%3Dvalue) and statement_timeout_ms. */
static gg_pg_pool *pool_with_options(const char *options, unsigned statement_timeout_ms)
{
    char url[1024];
    const char *base = getenv("GRAPHGATE_TEST_DATABASE_URL");
    snprintf(url, sizeof url, "%s%soptions=%s", base, strchr(base, '?') ? "&" : "?", options);
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = url, .size = 1, .statement_timeout_ms = statement_timeout_ms};
    gg_pg_pool *pool = wait_ready(gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error), 1, 10);
    CHECK(all_ready_flag);
    return pool;
}

/* Sends two queries at once (one pipeline) and checks their one-value answers. */
static void check_two(gg_pg_pool *pool, const char *sql0, const char *want0, const char *sql1, const char *want1)
{
    answer both[2] = {{0}};
    gg_pg_pool_query(pool, NULL, sql0, 0, NULL, on_answer, &both[0]);
    gg_pg_pool_query(pool, NULL, sql1, 0, NULL, on_answer, &both[1]);
    CHECK(run_until_all(both, 2, 5));
    CHECK_STR(both[0].value, want0);
    CHECK_STR(both[1].value, want1);
}

/* statement_timeout is added to the URL's own options, which stay in force. */
static void test_url_options_kept(void)
{
    gg_pg_pool *pool = pool_with_options("-c%20search_path%3Dpg_catalog", 3000);
    check_two(pool, "SELECT current_setting('search_path')", "pg_catalog",
              "SELECT current_setting('statement_timeout')", "3s");
    gg_pg_pool_destroy(pool);
}

/* A session whose DateStyle is not ISO (here from the URL's options, as a database or role would
 * set it) is set to ISO before its first query, and again after a statement changes it; the
 * dates then read in ISO (gg_pg_wire_text reads no other). */
static void test_date_style_kept_iso(void)
{
    gg_pg_pool *pool = pool_with_options("-c%20DateStyle%3DSQL,DMY", 0);
    check_two(pool, "SELECT current_setting('DateStyle')", "ISO, DMY", "SELECT date '2026-12-06'", "2026-12-06");
    CHECK_INT(gg_pg_pool_get_stats(pool).datestyles, 1);
    answer changed = {0}, after = {0};
    gg_pg_pool_query(pool, NULL, "SELECT set_config('DateStyle', 'German', false)", 0, NULL, on_answer, &changed);
    CHECK(run_until(&changed.done, 5));
    CHECK_STR(changed.value, "German, DMY");
    gg_pg_pool_query(pool, NULL, "SELECT date '2026-12-06'", 0, NULL, on_answer, &after);
    CHECK(run_until(&after.done, 5));
    CHECK_STR(after.value, "2026-12-06");
    CHECK_INT(gg_pg_pool_get_stats(pool).datestyles, 2);
    gg_pg_pool_destroy(pool);
}

static void test_unreachable_server(void)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {
        .conninfo = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", .size = 1, .reconnect_interval_ms = 100};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    for (int i = 0; i < 5; i++)
        h2o_evloop_run(loop, 20);
    answer a = {0};
    gg_pg_pool_query(pool, NULL, "SELECT 1", 0, NULL, on_answer, &a);
    CHECK(a.done);
    CHECK(a.status == GG_PG_UNAVAILABLE);
    CHECK(gg_pg_pool_last_error(pool)[0] != '\0');
    gg_pg_pool_destroy(pool);
}

/* A statement that would wait for a connection when no memory is left for its place in the queue
 * is answered unavailable at once, and its copy (a pooled pool keeps one per statement, to send it
 * again) is freed once: it was freed twice, by the queue and by its caller. */
static void test_wait_out_of_memory(void)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
                             .size = 1,
                             .reconnect_interval_ms = 100,
                             .wait_ms = 5000,
                             .max_prepared_statements = 8,
                             .pooled = true};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    answer a = {0};
    fail_calloc = 1; /* the next calloc: the waiter's (the copy is malloc'd) */
    gg_pg_pool_query(pool, NULL, "SELECT $1::int", 1, (const char *const[]){"7"}, on_answer, &a);
    fail_calloc = 0;
    CHECK(a.done);
    CHECK(a.status == GG_PG_UNAVAILABLE);
    CHECK_INT(gg_pg_pool_get_stats(pool).waits, 0);
    answer b = {0}; /* with memory again, the next one waits (and is answered when the pool goes) */
    gg_pg_pool_query(pool, NULL, "SELECT 1", 0, NULL, on_answer, &b);
    CHECK(!b.done);
    CHECK_INT(gg_pg_pool_get_stats(pool).waits, 1);
    gg_pg_pool_destroy(pool);
    CHECK(b.done);
    CHECK(b.status == GG_PG_UNAVAILABLE);
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
        gg_pg_pool_query(pool, NULL, "SELECT 'back'", 0, NULL, on_answer, &a);
        run_until(&a.done, 5);
        if (a.done && a.status == GG_PG_OK)
            recovered = strcmp(a.value, "back") == 0;
        else
            failures++;
        if (!recovered) h2o_evloop_run(loop, 50);
    }
    CHECK(recovered);
    CHECK(failures >= 1);
    CHECK(gg_pg_pool_get_stats(pool).reconnects >= 1);
    gg_pg_pool_destroy(pool);
}

/* A new session has no prepared statements: after the server restarts, the pool prepares again
 * what it had prepared before, rather than executing names the new backend does not know. */
static void test_restart_forgets_prepared(void)
{
    gg_pg_pool *pool = make_bounded_pool(4, false);
    char sql[64];
    for (int i = 0; i < 3; i++) {
        distinct_sql(i, sql, sizeof sql);
        CHECK_STR(run_one(pool, sql, "0"), i == 0 ? "0" : i == 1 ? "1" : "2");
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s/pg-local.sh' restart '%s'", scripts_dir, getenv("GRAPHGATE_TEST_PGDATA"));
    CHECK(system(cmd) == 0);
    int recovered = 0;
    double end = now_s() + 20;
    while (!recovered && now_s() < end) {
        recovered = strcmp(run_one(pool, "SELECT 'back'", NULL), "back") == 0;
        if (!recovered) h2o_evloop_run(loop, 50);
    }
    CHECK(recovered);
    uint64_t prepares = gg_pg_pool_get_stats(pool).prepares;
    int wrong = 0;
    for (int i = 0; i < 3; i++) {
        distinct_sql(i, sql, sizeof sql);
        wrong += strcmp(run_one(pool, sql, "10"), i == 0 ? "10" : i == 1 ? "11" : "12") != 0;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(gg_pg_pool_get_stats(pool).prepares, prepares + 3);
    CHECK_INT(backend_prepared(pool), 4);
    gg_pg_pool_destroy(pool);
}

/* ---- waiting for a connection (gg_pg_pool_config.wait_ms) ---- */

/* Stops (or starts) the test server with scripts/pg-local.sh: its port is the test URL's. */
static void test_server(bool up)
{
    char *msg = NULL, port[16] = "";
    PQconninfoOption *opts = PQconninfoParse(getenv("GRAPHGATE_TEST_DATABASE_URL"), &msg);
    for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
        if (strcmp(o->keyword, "port") == 0 && o->val != NULL) snprintf(port, sizeof port, "%s", o->val);
    PQconninfoFree(opts);
    PQfreemem(msg);
    char cmd[1024];
    if (up)
        snprintf(cmd, sizeof cmd, "bash '%s/pg-local.sh' start '%s' '%s' test >/dev/null", scripts_dir,
                 getenv("GRAPHGATE_TEST_PGDATA"), port[0] ? port : "5432");
    else
        snprintf(cmd, sizeof cmd, "bash '%s/pg-local.sh' stop '%s' >/dev/null", scripts_dir,
                 getenv("GRAPHGATE_TEST_PGDATA"));
    CHECK(system(cmd) == 0);
}

static gg_pg_pool *make_waiting_pool(unsigned wait_ms, unsigned reconnect_interval_ms)
{
    gg_fault error = {0};
    gg_pg_pool_config cfg = {.conninfo = getenv("GRAPHGATE_TEST_DATABASE_URL"),
                             .size = 2,
                             .statement_timeout_ms = 5000,
                             .reconnect_interval_ms = reconnect_interval_ms,
                             .wait_ms = wait_ms};
    gg_pg_pool *pool = gg_pg_pool_create((h2o_loop_t *)loop, &cfg, &error);
    CHECK(pool != NULL);
    return wait_ready(pool, 2, 10);
}

/* Runs the loop until the pool has no ready connection (it noticed the server is gone). */
static void wait_down(gg_pg_pool *pool)
{
    double end = now_s() + 10;
    while (gg_pg_pool_ready(pool) > 0 && now_s() < end)
        h2o_evloop_run(loop, 50);
    CHECK_INT(gg_pg_pool_ready(pool), 0);
}

/* The server stopped, then started again within wait_ms: the queries sent meanwhile wait and are
 * answered, in order, once a connection is back; none fails. */
static void test_wait_survives_restart(void)
{
    gg_pg_pool *pool = make_waiting_pool(20000, 200);
    CHECK(all_ready_flag);
    test_server(false);
    wait_down(pool);
    answer answers[20] = {{0}};
    char sql[20][64];
    for (int i = 0; i < 20; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT '%d'", i);
        gg_pg_pool_query(pool, NULL, sql[i], 0, NULL, on_answer, &answers[i]);
        CHECK(!answers[i].done); /* it waits: not answered from the call */
    }
    int never = 0;
    run_until(&never, 0.3);
    for (int i = 0; i < 20; i++)
        CHECK(!answers[i].done); /* still waiting while the server is down */
    test_server(true);
    CHECK(run_until_all(answers, 20, 15));
    int wrong = 0;
    for (int i = 0; i < 20; i++) {
        char want[8];
        snprintf(want, sizeof want, "%d", i);
        wrong += answers[i].status != GG_PG_OK || strcmp(answers[i].value, want) != 0;
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(gg_pg_pool_get_stats(pool).waits, 20);
    CHECK_INT(gg_pg_pool_get_stats(pool).wait_timeouts, 0);
    gg_pg_pool_destroy(pool);
}

/* With the server down past wait_ms, a query is answered unavailable when its wait ends (not at
 * once); a waiting query whose owner is cancelled is answered cancelled at the end of the loop
 * iteration, never from the cancel call; destroying the pool answers those still waiting. */
static void test_wait_ends(void)
{
    gg_pg_pool *pool = make_waiting_pool(400, 200);
    CHECK(all_ready_flag);
    test_server(false);
    wait_down(pool);
    answer timed = {0}, cancelled = {0}, dropped = {0};
    int owner;
    double t0 = now_s();
    gg_pg_pool_query(pool, NULL, "SELECT 1", 0, NULL, on_answer, &timed);
    CHECK(run_until(&timed.done, 5));
    CHECK(timed.status == GG_PG_UNAVAILABLE);
    CHECK(now_s() - t0 >= 0.35);
    CHECK_INT(gg_pg_pool_get_stats(pool).wait_timeouts, 1);

    gg_pg_pool_query(pool, &owner, "SELECT 2", 0, NULL, on_answer, &cancelled);
    gg_pg_pool_cancel(pool, &owner, true);
    CHECK(!cancelled.done);
    h2o_evloop_run(loop, 10);
    CHECK(cancelled.done);
    CHECK(cancelled.status == GG_PG_CANCELLED);

    gg_pg_pool_query(pool, NULL, "SELECT 3", 0, NULL, on_answer, &dropped);
    gg_pg_pool_destroy(pool);
    CHECK(dropped.done);
    CHECK(dropped.status == GG_PG_UNAVAILABLE);
    test_server(true);
}

/* While statements wait, a pool whose connections are down tries to connect every quarter of the
 * reconnect interval: here 1.5 s rather than 6 s, so the waiting query is answered soon after the
 * server is back rather than an interval later. */
static void test_waiting_hastens_reconnect(void)
{
    gg_pg_pool *pool = make_waiting_pool(30000, 6000);
    CHECK(all_ready_flag);
    test_server(false);
    wait_down(pool); /* they served less than the interval: their next attempt is 6 s away */
    answer a = {0};
    gg_pg_pool_query(pool, NULL, "SELECT 'soon'", 0, NULL, on_answer, &a);
    test_server(true);
    double t0 = now_s();
    CHECK(run_until(&a.done, 20));
    CHECK(a.status == GG_PG_OK);
    CHECK_STR(a.value, "soon");
    CHECK(now_s() - t0 < 3.5);
    gg_pg_pool_destroy(pool);
}

/* A connection that had been serving and broke (its backend terminated) is made again at once,
 * not after reconnect_interval_ms; with wait_ms 0 a query finding no ready connection still
 * fails at once. */
static void test_reconnect_at_once(void)
{
    gg_pg_pool *pool = make_waiting_pool(0, 3000);
    CHECK(all_ready_flag);
    int never = 0;
    run_until(&never, 3.2); /* both have served longer than the interval */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "psql '%s' -qAt -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = "
             "'client backend' AND pid <> pg_backend_pid()\" >/dev/null",
             getenv("GRAPHGATE_TEST_DATABASE_URL"));
    CHECK(system(cmd) == 0);
    wait_down(pool);
    answer at_once = {0};
    gg_pg_pool_query(pool, NULL, "SELECT 1", 0, NULL, on_answer, &at_once);
    CHECK(at_once.done);
    CHECK(at_once.status == GG_PG_UNAVAILABLE);
    double t0 = now_s();
    wait_ready(pool, 2, 10);
    CHECK(all_ready_flag);
    CHECK(now_s() - t0 < 2.0); /* the interval is 3 s */
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
    RUN(test_large_results_few_reads);
    RUN(test_small_answers_no_checks);
    RUN(test_keep_result);
    RUN(test_error_is_isolated);
    RUN(test_failed_prepare_recovers);
    RUN(test_cancel);
    RUN(test_round_goes_to_one_connection);
    RUN(test_large_round_spreads);
    RUN(test_prepared_bounded);
    RUN(test_prepared_bounded_pipelined);
    RUN(test_prepared_lru_order);
    RUN(test_failed_prepare_shared);
    RUN(test_evicting_failed_prepare);
    RUN(test_never_prepare);
    RUN(test_url_options_kept);
    RUN(test_date_style_kept_iso);
    RUN(test_unreachable_server);
    RUN(test_wait_out_of_memory);
    RUN(test_restart_recovers);
    RUN(test_restart_forgets_prepared);
    RUN(test_wait_survives_restart);
    RUN(test_wait_ends);
    RUN(test_waiting_hastens_reconnect);
    RUN(test_reconnect_at_once);
    h2o_evloop_run(loop, 0);
    h2o_evloop_destroy(loop);
    return test_summary();
}
