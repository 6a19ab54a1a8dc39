/* Tests server/realtime/bus_postgres.c against the PostgreSQL of scripts/test.sh: two buses on one
 * channel, as two instances have. Events published in a burst on one (so that they queue up and
 * travel several to a statement) reach the other each once and in the order published, repeated
 * payloads too (PostgreSQL delivers a payload repeated within one transaction once, so a statement
 * must not carry one twice), with larger events (by reference, through graphgate_realtime_events)
 * in between; the publishing bus never hears its own. Prints how long the burst took to arrive.
 * Then a steady trickle (an event every 0.2 ms, each finding the bus idle or nearly) must go out
 * gathered, several events to a statement (pg_stat_statements counts the statements), not one
 * transaction per event. */
#include "realtime/bus.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "test.h"

enum { BURST = 3000, TRICKLE = 300, MAX_EVENTS = 8000 };

typedef struct heard {
    pthread_mutex_t lock;
    unsigned count;
    char *topics[MAX_EVENTS];
    char *jsons[MAX_EVENTS];
} heard;

static heard at_publisher, at_listener;

static void on_event(void *user, const char *topic, const char *json, size_t len)
{
    heard *h = user;
    pthread_mutex_lock(&h->lock);
    if (strcmp(topic, "probe") != 0 && h->count < MAX_EVENTS) { /* probes: only until both listen */
        h->topics[h->count] = strdup(topic);
        h->jsons[h->count] = strndup(json, len);
        h->count++;
    }
    pthread_mutex_unlock(&h->lock);
}

static unsigned count_of(heard *h)
{
    pthread_mutex_lock(&h->lock);
    unsigned n = h->count;
    pthread_mutex_unlock(&h->lock);
    return n;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The published events, in order: what the listener must hear. */
static char *sent_topics[MAX_EVENTS], *sent_jsons[MAX_EVENTS];
static unsigned sent;

static void publish(gg_bus *bus, const char *topic, const char *json)
{
    sent_topics[sent] = strdup(topic);
    sent_jsons[sent] = strdup(json);
    sent++;
    gg_bus_publish(bus, topic, json, strlen(json));
}

/* Both buses listen once a probe of each reaches the other. */
static bool both_listen(gg_bus *a, gg_bus *b, unsigned *probes_a, unsigned *probes_b)
{
    for (int i = 0; i < 500; i++) {
        gg_bus_publish(a, "probe", "{}", 2);
        gg_bus_publish(b, "probe", "{}", 2);
        usleep(20000);
        if (__atomic_load_n(probes_a, __ATOMIC_SEQ_CST) > 0 && __atomic_load_n(probes_b, __ATOMIC_SEQ_CST) > 0)
            return true;
    }
    return false;
}

static unsigned probes_heard_by_publisher, probes_heard_by_listener;

/* The first value of the first row of sql's result on a connection to url; -1 when it fails. */
static long query_number(const char *url, const char *sql)
{
    PGconn *pg = PQconnectdb(url);
    long n = -1;
    PGresult *r = PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
    if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        n = atol(PQgetvalue(r, 0, 0));
    else
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
    PQclear(r);
    PQfinish(pg);
    return n;
}

static void on_probe_or_event(void *user, const char *topic, const char *json, size_t len)
{
    if (strcmp(topic, "probe") == 0)
        __atomic_add_fetch(user == &at_publisher ? &probes_heard_by_publisher : &probes_heard_by_listener, 1,
                           __ATOMIC_SEQ_CST);
    on_event(user, topic, json, len);
}

int main(void)
{
    const char *url = getenv("GRAPHGATE_TEST_DATABASE_URL");
    if (url == NULL) {
        fprintf(stderr, "needs GRAPHGATE_TEST_DATABASE_URL (scripts/test.sh sets it)\n");
        return 1;
    }
    pthread_mutex_init(&at_publisher.lock, NULL);
    pthread_mutex_init(&at_listener.lock, NULL);
    char channel[64];
    snprintf(channel, sizeof channel, "gg_test_bus_%ld", (long)getpid());
    gg_bus_postgres_config config = {.conninfo = url, .channel = channel, .reconnect_max_ms = 1000};
    gg_bus *publisher = gg_bus_postgres_start(&config, on_probe_or_event, &at_publisher);
    gg_bus *listener = gg_bus_postgres_start(&config, on_probe_or_event, &at_listener);
    CHECK(both_listen(publisher, listener, &probes_heard_by_publisher, &probes_heard_by_listener));

    /* the burst: repeated payloads first and among the others, a large event every 700 */
    gg_buf large;
    gg_buf_init(&large);
    gg_buf_puts(&large, "{\"body\":\"");
    for (int i = 0; i < 9000; i++)
        gg_buf_putc(&large, (char)('a' + i % 26));
    gg_buf_puts(&large, "\"}");
    double start = now_s();
    for (int i = 0; i < 3; i++)
        publish(publisher, "onSame", "{\"same\":true}");
    for (unsigned i = 0; i < BURST; i++) {
        char json[64];
        snprintf(json, sizeof json, "{\"n\":%u}", i);
        publish(publisher, "onCreateMemo", json);
        if (i % 500 == 250) publish(publisher, "onCreateMemo", json); /* the same payload twice in a row */
        if (i % 500 == 400) publish(publisher, "onSame", "{\"same\":true}");
        if (i % 700 == 0) publish(publisher, "onLarge", large.data);
    }
    for (int i = 0; i < 3000 && count_of(&at_listener) < sent; i++)
        usleep(10000);
    double took = now_s() - start;
    unsigned n = count_of(&at_listener);
    printf("# %u events published in a burst, %u heard by the other bus in %.3f s\n", sent, n, took);
    CHECK_INT(n, sent);
    unsigned mismatches = 0;
    for (unsigned i = 0; i < n && i < sent; i++) {
        if (strcmp(at_listener.topics[i], sent_topics[i]) != 0 || strcmp(at_listener.jsons[i], sent_jsons[i]) != 0) {
            if (mismatches++ < 3)
                fprintf(stderr, "event %u: heard %s %.60s, published %s %.60s\n", i, at_listener.topics[i],
                        at_listener.jsons[i], sent_topics[i], sent_jsons[i]);
        }
    }
    CHECK_INT(mismatches, 0);
    usleep(200000); /* an extra copy, or the publisher hearing itself, would have arrived by now */
    CHECK_INT(count_of(&at_listener), sent);
    CHECK_INT(count_of(&at_publisher), 0);

    /* the trickle: statements that NOTIFY counted from here (this test runs alone) */
    CHECK(query_number(
              url, "SET client_min_messages TO warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT 0") ==
          0);
    CHECK(query_number(url, "SELECT count(*) FROM (SELECT pg_stat_statements_reset()) r") == 1);
    unsigned before = sent;
    for (unsigned i = 0; i < TRICKLE; i++) {
        char json[64];
        snprintf(json, sizeof json, "{\"trickle\":%u}", i);
        publish(publisher, "onCreateMemo", json);
        usleep(200);
    }
    for (int i = 0; i < 3000 && count_of(&at_listener) < sent; i++)
        usleep(10000);
    CHECK_INT(count_of(&at_listener), sent);
    long statements = query_number(url, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE "
                                        "'SELECT pg_notify(%'");
    printf("# %u events published one every 0.2 ms went out in %ld statements\n", sent - before, statements);
    CHECK(statements > 0 && statements <= TRICKLE / 3);

    gg_bus_free(publisher);
    gg_bus_free(listener);
    gg_buf_free(&large);
    for (unsigned i = 0; i < sent; i++) {
        free(sent_topics[i]);
        free(sent_jsons[i]);
    }
    for (unsigned i = 0; i < at_listener.count; i++) {
        free(at_listener.topics[i]);
        free(at_listener.jsons[i]);
    }
    for (unsigned i = 0; i < at_publisher.count; i++) {
        free(at_publisher.topics[i]);
        free(at_publisher.jsons[i]);
    }
    return test_summary();
}
