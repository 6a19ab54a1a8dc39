/* Tests server/metrics/metrics.c: counts from several threads add up, a thread's counts survive its
 * end, gauges sum their signed shares, errorTypes are found only where they are member names, and
 * the text has the families and series Prometheus expects. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "metrics/metrics.h"
#include "test.h"

#define MISSING -1e9

/* The value of the series line that starts with series (its exact name and labels), or MISSING. */
static double value_of(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *line = text; line != NULL && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, series, n) == 0 && line[n] == ' ') {
            double v;
            if (sscanf(line + n + 1, "%lf", &v) == 1) return v;
        }
    }
    return MISSING;
}

static double scrape(const char *series)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_metrics_render(&b, "9.9.9");
    gg_buf_putc(&b, '\0');
    double v = value_of(b.data, series);
    gg_buf_free(&b);
    return v;
}

static void *worker(void *arg)
{
    (void)arg;
    gg_metrics_thread_attach();
    for (int i = 0; i < 1000; i++) {
        gg_metrics_count(GG_METRIC_DOC_CACHE_HITS);
        gg_metrics_request_done(GG_METRIC_OP_QUERY, 200, 0.003);
    }
    gg_metrics_websocket(true);
    gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, 2);
    gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, -1);
    gg_metrics_thread_detach(); /* its counts stay in the totals */
    return NULL;
}

static void test_threads_add_up(void)
{
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    CHECK(scrape("graphgate_document_cache_hits_total") == 4000);
    CHECK(scrape("graphgate_graphql_requests_total{operation=\"query\",status=\"200\"}") == 4000);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_bucket{operation=\"query\",le=\"0.0025\"}") == 0);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_bucket{operation=\"query\",le=\"0.005\"}") == 4000);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_bucket{operation=\"query\",le=\"+Inf\"}") == 4000);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_count{operation=\"query\"}") == 4000);
    double sum = scrape("graphgate_graphql_request_duration_seconds_sum{operation=\"query\"}");
    CHECK(sum > 11.99 && sum < 12.01);
    CHECK(scrape("graphgate_websocket_connections") == 4);
    CHECK(scrape("graphgate_websocket_connections_total") == 4);
    CHECK(scrape("graphgate_subscriptions") == 4);
    /* this thread never attached: its counts go to the shared block */
    gg_metrics_websocket(false);
    gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, -5);
    CHECK(scrape("graphgate_websocket_connections") == 3);
    CHECK(scrape("graphgate_subscriptions") == -1);
    gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, 5);
}

static void test_statuses_and_operations(void)
{
    gg_metrics_thread_attach();
    gg_metrics_request_done(GG_METRIC_OP_NONE, 401, 0.0001);
    gg_metrics_request_done(GG_METRIC_OP_MUTATION, 299, 20);
    CHECK(scrape("graphgate_graphql_requests_total{operation=\"none\",status=\"401\"}") == 1);
    CHECK(scrape("graphgate_graphql_requests_total{operation=\"mutation\",status=\"other\"}") == 1);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_bucket{operation=\"mutation\",le=\"10\"}") == 0);
    CHECK(scrape("graphgate_graphql_request_duration_seconds_bucket{operation=\"mutation\",le=\"+Inf\"}") == 1);
    uint64_t sent = gg_metrics_pg_statement_sent(true);
    CHECK(scrape("graphgate_pg_statements_in_flight") == 1);
    CHECK(scrape("graphgate_pg_pool_in_use") == 1);
    gg_metrics_pg_statement_done(sent, false, true);
    CHECK(scrape("graphgate_pg_statements_in_flight") == 0);
    CHECK(scrape("graphgate_pg_pool_in_use") == 0);
    CHECK(scrape("graphgate_pg_statements_total") == 1);
    CHECK(scrape("graphgate_pg_statement_errors_total") == 1);
    CHECK(scrape("graphgate_resolver_duration_seconds_count{source=\"postgres\"}") == 1);
    gg_metrics_thread_detach();
}

static void test_error_types(void)
{
    const char *answer =
        "{\"data\":{\"a\":null,\"b\":null,\"text\":\"\\\"errorType\\\":\\\"ParseError\\\"\"},\"errors\":["
        "{\"message\":\"x\",\"errorType\":\"Unauthorized\"},"
        "{\"message\":\"y\",\"path\":[\"b\"],\"errorType\":\"Unauthorized\"},"
        "{\"message\":\"z\",\"errorType\":\"Plugin:Custom\"},{\"message\":\"no type\"}]}";
    gg_metrics_count_errors(answer, strlen(answer));
    CHECK(scrape("graphgate_graphql_errors_total{error_type=\"Unauthorized\"}") == 2);
    CHECK(scrape("graphgate_graphql_errors_total{error_type=\"other\"}") == 1);
    CHECK(scrape("graphgate_graphql_errors_total{error_type=\"ParseError\"}") == MISSING); /* inside a string */
    const char *cut = "{\"errors\":[{\"errorType\":\"Unauth";
    gg_metrics_count_errors(cut, strlen(cut)); /* unterminated: ignored, no read past the end */
    CHECK(scrape("graphgate_graphql_errors_total{error_type=\"Unauthorized\"}") == 2);
}

static void test_text(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_metrics_render(&b, "9.9.9");
    gg_buf_putc(&b, '\0');
    CHECK(strstr(b.data, "# TYPE graphgate_build_info gauge\ngraphgate_build_info{version=\"9.9.9\"} 1\n") != NULL);
    CHECK(strstr(b.data, "# TYPE graphgate_graphql_request_duration_seconds histogram\n") != NULL);
    CHECK(strstr(b.data, "# TYPE graphgate_jwt_cache_hits_total counter\ngraphgate_jwt_cache_hits_total 0\n") != NULL);
    CHECK(b.data[b.len - 2] == '\n'); /* the last line ends */
    gg_buf_free(&b);
}

int main(void)
{
    gg_metrics_enable();
    RUN(test_threads_add_up);
    RUN(test_statuses_and_operations);
    RUN(test_error_types);
    RUN(test_text);
    return test_summary();
}
