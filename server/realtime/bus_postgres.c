/* bus_postgres.c: the PostgreSQL bus (bus.h): events cross instances through LISTEN/NOTIFY on
 * the database the instances already share, so there is nothing more to run.
 *
 * The bus has its own thread with its own h2o loop and one dedicated connection, driven
 * asynchronously (libpq non-blocking, its socket watched by the loop as in pg_pool.c; see
 * c-platform-notes §5.1, §5.3, §5.5), so no worker's event loop ever waits for it. Worker threads
 * hand events over with h2o_multithread_send_message (publish copies the event once); the bus
 * thread sends them one statement at a time, in the order received, on the same connection that
 * LISTENs, so one instance's events are NOTIFYed in the order they were committed, and PostgreSQL
 * delivers notifications to every listener in that order.
 *
 * Events that queued up while a statement was in flight go together in the next one (up to
 * PUBLISH_BATCH_MAX): SELECT pg_notify($1, e.payload) FROM unnest($2::text[]) WITH ORDINALITY ...
 * ORDER BY e.n is one transaction, so one commit, one wake-up of every listening session and one
 * round trip for the lot, where one event per statement fell seconds behind a few thousand
 * mutations a second and then dropped events; the order is the array's. The payloads travel as one
 * binary text[] parameter, so the statement is the same whatever the batch (a statement of one
 * pg_notify call per event had PostgreSQL parse and plan 100 calls for a full batch: a burst of
 * 3,000 events took 1.5-2 times as long to cross). PostgreSQL delivers a payload repeated within one
 * transaction once: a batch ends before an event whose payload is one it holds.
 *
 * An event that finds the connection idle waits PUBLISH_GATHER_MS for others to go with it (those
 * that queued behind a statement in flight have waited already). Without the wait, a steady few
 * thousand mutations a second went out one per statement: a transaction, a commit and two
 * wake-ups each, which cost PostgreSQL and graphgate more CPU per mutation than the update itself
 * (issue 17's benchmark: 13,754 bus statements for 14,878 events), while a slightly faster load
 * fell behind, batched 100 to a statement and cost almost nothing. Subscribers on this instance
 * are not delayed (the hubs deliver at once); other instances hear the event up to 2 ms later.
 *
 * An event whose NOTIFY payload (bus_payload.h) would pass PostgreSQL's 8000-byte limit is
 * inserted into the UNLOGGED table graphgate_realtime_events, and the same statement NOTIFYs its
 * id. The bus creates the table itself when it connects (CREATE TABLE IF NOT EXISTS, under an
 * advisory lock so that instances starting together do not race; without the privilege, large
 * events cannot cross instances and that is logged). Each instance reads such a row once
 * (whatever number of threads and subscribers it has); rows older than RETENTION_S are deleted by
 * the instances that insert, at most every CLEANUP_INTERVAL_MS. Received events wait in arrival
 * order until the rows before them are read, so order is kept per publishing instance.
 *
 * The session runs with synchronous_commit off: every NOTIFY commits a transaction, and none of
 * them has anything worth waiting for the disk.
 *
 * Notifications of this instance's own session (be_pid) are skipped: its hubs delivered them
 * already. When the connection drops, the bus logs it, drops what it was sending (counted) and
 * reconnects with a doubling delay (RECONNECT_FIRST_MS up to reconnect_max_ms); once it LISTENs
 * again it logs how long the gap was: events published meanwhile by the others were missed
 * (NOTIFY keeps nothing for a session that is not listening). Everything waiting is bounded
 * (MAX_WAITING events); beyond that events are dropped and counted instead of growing memory. */
#include "bus.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <h2o.h>
#include <libpq-fe.h>

#include "../base/buf.h"
#include "../base/log.h"
#include "../metrics/metrics.h"
#include "bus_payload.h"
#include "connect.h"

#define EVENT_TABLE "graphgate_realtime_events"
#define RETENTION_S 60
#define CLEANUP_INTERVAL_MS 10000
#define CONNECT_TIMEOUT_MS 10000
#define RECONNECT_FIRST_MS 100
#define TICK_MS 100        /* reconnect attempts, connect deadline and clean-ups are checked this often */
#define STOP_GRACE_MS 2000 /* on stop, queued events get this long to be sent */
#define MAX_WAITING 10000  /* events waiting to be sent, and received events waiting for their row */
#define ADVISORY_LOCK_KEY 7260491318475213L /* serializes the table's creation between instances */
#define PUBLISH_BATCH_MAX 100               /* events NOTIFYed by one statement (one transaction) */
#define PUBLISH_GATHER_MS 2 /* an event that finds the connection idle waits this long for others to go with */

typedef enum command_kind { CMD_LISTEN, CMD_CREATE_TABLE, CMD_PUBLISH, CMD_FETCH, CMD_CLEANUP } command_kind;

typedef struct incoming incoming;

/* A statement for the connection; a published event is one, received from a worker thread. */
typedef struct command {
    h2o_multithread_message_t super; /* first; its link: the outbox, then bus->commands */
    command_kind kind;
    incoming *target;   /* CMD_FETCH: the received event its row fills */
    int64_t id;         /* CMD_FETCH: the row */
    size_t topic_len;   /* CMD_PUBLISH: topic then json, both NUL-terminated, in text */
    uint64_t queued_at; /* when it joined bus->commands (loop time, ms) */
    size_t len;
    char text[];
} command;

/* A foreign event, waiting (in arrival order) for the rows of the ones before it or its own. */
struct incoming {
    h2o_linklist_t link; /* bus->incoming */
    bool ready;          /* topic and json are there */
    bool dropped;        /* its row could not be read: skipped */
    char *topic, *json;
    size_t len;
};

typedef enum bus_state { BUS_CONNECTING, BUS_READY, BUS_DOWN } bus_state;

typedef struct pg_bus {
    gg_bus super; /* first */
    char *conninfo, *channel;
    unsigned reconnect_max_ms, statement_timeout_ms;
    pthread_t thread;
    h2o_loop_t *loop;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t outbox; /* published events, from the worker threads */
    h2o_multithread_receiver_t control;
    h2o_multithread_message_t stop_message;
    atomic_uint in_outbox;     /* posted to the outbox and not yet received */
    atomic_uint waiting;       /* published events not yet sent or dropped */
    atomic_ulong dropped_full; /* published while MAX_WAITING were waiting */
    /* the bus thread's own */
    bool stopping;
    bus_state state;
    PGconn *pg;
    h2o_socket_t *sock;
    int backend_pid;
    h2o_timeout_t tick;
    h2o_timeout_entry_t tick_entry;
    h2o_timeout_t gather; /* PUBLISH_GATHER_MS */
    h2o_timeout_entry_t gather_entry;
    uint64_t retry_at, connect_deadline, next_cleanup;
    unsigned backoff_ms;
    uint64_t down_since; /* 0: not down since it last listened */
    bool ever_listened, table_failed_logged;
    unsigned long not_sent;         /* events of this instance dropped while down (since last logged) */
    unsigned long dropped_reported; /* dropped_full already logged */
    h2o_linklist_t commands;        /* command, in order; inflight is out of it */
    command *inflight;
    h2o_linklist_t batch;      /* the events sent with inflight (a CMD_PUBLISH) in its statement, in order */
    PGresult *inflight_result; /* the first error, else the first result */
    h2o_linklist_t incoming;
    unsigned incoming_count;
    unsigned long foreign_dropped; /* received while MAX_WAITING waited for rows */
} pg_bus;

static void bus_lost(pg_bus *bus, const char *why);
static void bus_connect_step(pg_bus *bus);
static void send_next(pg_bus *bus);

static void notice_to_nowhere(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* server notices (FATAL on shutdown) are reported by bus_lost, not on stderr */
}

/* ---- commands ---- */

static command *command_new(command_kind kind)
{
    command *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    c->kind = kind;
    return c;
}

/* Frees a command that will not run (the connection is gone, or the bus stops). */
static void command_drop(pg_bus *bus, command *c)
{
    if (c->kind == CMD_PUBLISH) {
        bus->not_sent++;
        atomic_fetch_sub(&bus->waiting, 1);
    } else if (c->kind == CMD_FETCH) {
        c->target->dropped = true;
    }
    free(c);
}

/* Drops the statement in flight and the events sent with it (the connection is gone, or the bus
 * stops). */
static void inflight_drop(pg_bus *bus)
{
    if (bus->inflight != NULL) command_drop(bus, bus->inflight);
    bus->inflight = NULL;
    while (!h2o_linklist_is_empty(&bus->batch)) {
        command *c = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->batch.next);
        h2o_linklist_unlink(&c->super.link);
        command_drop(bus, c);
    }
    PQclear(bus->inflight_result);
    bus->inflight_result = NULL;
}

static void enqueue(pg_bus *bus, command *c, bool first)
{
    c->queued_at = h2o_now(bus->loop);
    if (first)
        h2o_linklist_insert(bus->commands.next, &c->super.link);
    else
        h2o_linklist_insert(&bus->commands, &c->super.link);
}

/* ---- received events ---- */

/* Hands the events at the head of the arrival order to on_event, up to the first still waiting. */
static void deliver_ready(pg_bus *bus)
{
    while (!h2o_linklist_is_empty(&bus->incoming)) {
        incoming *in = H2O_STRUCT_FROM_MEMBER(incoming, link, bus->incoming.next);
        if (!in->ready && !in->dropped) return;
        h2o_linklist_unlink(&in->link);
        bus->incoming_count--;
        if (in->ready && !in->dropped) bus->super.on_event(bus->super.user, in->topic, in->json, in->len);
        free(in->topic);
        free(in->json);
        free(in);
    }
}

static void on_notification(pg_bus *bus, const PGnotify *n)
{
    if (n->be_pid == bus->backend_pid) return; /* this instance's own event: delivered already */
    size_t len = strlen(n->extra);
    gg_bus_payload p;
    if (!gg_bus_payload_parse(n->extra, len, &p)) {
        gg_log_debug("realtime bus: ignored a notification on %s that is not graphgate's (%zu bytes)", bus->channel,
                     len);
        return;
    }
    if (p.kind == GG_BUS_PAYLOAD_INLINE && h2o_linklist_is_empty(&bus->incoming)) {
        char topic[256];
        if (p.topic_len < sizeof topic) { /* the common case: nothing waits, no copy of the json */
            memcpy(topic, p.topic, p.topic_len);
            topic[p.topic_len] = '\0';
            bus->super.on_event(bus->super.user, topic, p.json, p.json_len); /* json ends the NUL-terminated extra */
            return;
        }
    }
    if (bus->incoming_count >= MAX_WAITING) {
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        if (bus->foreign_dropped++ == 0)
            gg_log_warn("realtime bus: %u received events wait for their rows; further events are dropped",
                        MAX_WAITING);
        return;
    }
    incoming *in = calloc(1, sizeof *in);
    if (in == NULL) abort();
    if (p.kind == GG_BUS_PAYLOAD_INLINE) {
        in->topic = strndup(p.topic, p.topic_len);
        in->json = strndup(p.json, p.json_len);
        if (in->topic == NULL || in->json == NULL) abort();
        in->len = p.json_len;
        in->ready = true;
    } else {
        command *fetch = command_new(CMD_FETCH);
        fetch->target = in;
        fetch->id = p.id;
        enqueue(bus, fetch, false);
    }
    h2o_linklist_insert(&bus->incoming, &in->link);
    bus->incoming_count++;
    deliver_ready(bus);
}

/* ---- socket plumbing (as pg_pool.c) ---- */

static void on_readable(h2o_socket_t *sock, const char *err);
static void on_writable(h2o_socket_t *sock, const char *err);

static void bus_detach(pg_bus *bus)
{
    if (bus->sock != NULL) {
        h2o_socket_read_stop(bus->sock);
        h2o_socket_close(bus->sock); /* closes only our dup() */
        bus->sock = NULL;
    }
}

static bool bus_attach(pg_bus *bus)
{
    bus_detach(bus);
    int fd = PQsocket(bus->pg);
    if (fd < 0) return false;
    int copy = dup(fd);
    if (copy < 0) return false;
    bus->sock = h2o_evloop_socket_create(bus->loop, copy, H2O_SOCKET_FLAG_DONT_READ);
    bus->sock->data = bus;
    h2o_socket_read_start(bus->sock, on_readable);
    return true;
}

static void bus_flush(pg_bus *bus)
{
    int r = PQflush(bus->pg);
    if (r < 0) {
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
    if (r == 1 && bus->sock != NULL && !h2o_socket_is_writing(bus->sock))
        h2o_socket_notify_write(bus->sock, on_writable);
}

/* ---- statements ---- */

static const char *result_error(const PGresult *r)
{
    if (r == NULL) return "no result";
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return NULL;
    const char *msg = PQresultErrorMessage(r);
    return msg != NULL && msg[0] != '\0' ? msg : PQresStatus(st);
}

/* Appends the inline payload of published event c and its NUL to out; false (out untouched) when
 * the event travels by reference. */
static bool append_inline(gg_buf *out, const command *c)
{
    if (!gg_bus_payload_write_inline(out, c->text, c->text + c->topic_len + 1, c->len)) return false;
    gg_buf_putc(out, '\0');
    return true;
}

/* Whether the last of the n + 1 payloads in out (each with its NUL; the last starts at last) is
 * byte for byte one of the n before it (starts[i]): PostgreSQL would deliver it once. */
static bool payload_repeats(const gg_buf *out, const size_t *starts, unsigned n, size_t last)
{
    size_t len = out->len - last;
    for (unsigned i = 0; i < n; i++) {
        size_t end = i + 1 < n ? starts[i + 1] : last;
        if (end - starts[i] == len && memcmp(out->data + starts[i], out->data + last, len) == 0) return true;
    }
    return false;
}

static void put_int32(gg_buf *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    gg_buf_append(out, (const char *)b, sizeof b);
}

/* Writes the n payloads in payloads (each with its NUL; the i-th starts at starts[i]) as a text[]
 * in PostgreSQL's binary format: one dimension, no nulls, element type text (25), lower bound 1,
 * then each element's length and bytes. A binary parameter needs no quoting of the JSON inside. */
static void text_array(gg_buf *out, const gg_buf *payloads, const size_t *starts, unsigned n)
{
    put_int32(out, 1);  /* dimensions */
    put_int32(out, 0);  /* has nulls */
    put_int32(out, 25); /* text */
    put_int32(out, n);
    put_int32(out, 1); /* lower bound */
    for (unsigned i = 0; i < n; i++) {
        size_t end = i + 1 < n ? starts[i + 1] : payloads->len;
        size_t len = end - starts[i] - 1; /* without its NUL */
        put_int32(out, (uint32_t)len);
        gg_buf_append(out, payloads->data + starts[i], len);
    }
}

/* Sends published event c (in flight): one that travels by reference alone, with its row; an inline
 * one with the inline events queued behind it, up to PUBLISH_BATCH_MAX and the first repeated
 * payload, which move to bus->batch (the top comment). Returns PQsendQueryParams's answer. */
static int send_publish(pg_bus *bus, command *c)
{
    gg_buf payloads;
    gg_buf_init(&payloads);
    int ok;
    if (!append_inline(&payloads, c)) {
        const char *values[3] = {c->text, c->text + c->topic_len + 1, bus->channel};
        ok = PQsendQueryParams(bus->pg,
                               "WITH e AS (INSERT INTO " EVENT_TABLE " (topic, payload) VALUES ($1, $2) "
                               "RETURNING id) SELECT pg_notify($3, 'R' || e.id) FROM e",
                               3, NULL, values, NULL, NULL, 0);
        if (h2o_now(bus->loop) >= bus->next_cleanup) {
            bus->next_cleanup = h2o_now(bus->loop) + CLEANUP_INTERVAL_MS;
            enqueue(bus, command_new(CMD_CLEANUP), false);
        }
        gg_buf_free(&payloads);
        return ok;
    }
    size_t starts[PUBLISH_BATCH_MAX] = {0};
    unsigned n = 1;
    while (n < PUBLISH_BATCH_MAX && !h2o_linklist_is_empty(&bus->commands)) {
        command *next = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->commands.next);
        size_t start = payloads.len;
        if (next->kind != CMD_PUBLISH || !append_inline(&payloads, next)) break;
        if (payload_repeats(&payloads, starts, n, start)) {
            payloads.len = start;
            payloads.data[start] = '\0';
            break;
        }
        starts[n++] = start;
        h2o_linklist_unlink(&next->super.link);
        h2o_linklist_insert(&bus->batch, &next->super.link);
    }
    gg_buf array;
    gg_buf_init(&array);
    text_array(&array, &payloads, starts, n);
    const char *values[2] = {bus->channel, array.data};
    const int lengths[2] = {0, (int)array.len}, formats[2] = {0, 1};
    ok = PQsendQueryParams(bus->pg,
                           "SELECT pg_notify($1, e.payload) FROM unnest($2::text[]) WITH ORDINALITY AS e(payload, n) "
                           "ORDER BY e.n",
                           2, NULL, values, lengths, formats, 0);
    gg_buf_free(&array);
    gg_buf_free(&payloads);
    return ok;
}

static void send_next(pg_bus *bus)
{
    if (bus->state != BUS_READY || bus->inflight != NULL || h2o_linklist_is_empty(&bus->commands)) return;
    command *c = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->commands.next);
    if (c->kind == CMD_PUBLISH && !bus->stopping && h2o_now(bus->loop) - c->queued_at < PUBLISH_GATHER_MS) {
        if (!h2o_timeout_is_linked(&bus->gather_entry)) h2o_timeout_link(bus->loop, &bus->gather, &bus->gather_entry);
        return; /* on_gather sends it with whatever joined it meanwhile */
    }
    h2o_linklist_unlink(&c->super.link);
    bus->inflight = c;
    int ok = 0;
    char sql[512];
    switch (c->kind) {
    case CMD_LISTEN:
        /* config.c allows [a-z_][a-z0-9_]* only. A NOTIFY commits a transaction: nothing here needs
         * to outlive a crash, so the session's commits do not wait for the WAL to reach the disk. */
        snprintf(sql, sizeof sql, "SET synchronous_commit TO off; LISTEN %s", bus->channel);
        ok = PQsendQuery(bus->pg, sql);
        break;
    case CMD_CREATE_TABLE:
        /* one simple query is one transaction: the advisory lock is held until the table exists */
        snprintf(sql, sizeof sql,
                 "SELECT pg_advisory_xact_lock(%ld); CREATE UNLOGGED TABLE IF NOT EXISTS " EVENT_TABLE
                 " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT "
                 "now(), topic text NOT NULL, payload text NOT NULL)",
                 ADVISORY_LOCK_KEY);
        ok = PQsendQuery(bus->pg, sql);
        break;
    case CMD_PUBLISH:
        ok = send_publish(bus, c);
        break;
    case CMD_FETCH: {
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, c->id);
        const char *values[1] = {id};
        ok = PQsendQueryParams(bus->pg, "SELECT topic, payload FROM " EVENT_TABLE " WHERE id = $1", 1, NULL, values,
                               NULL, NULL, 0);
        break;
    }
    case CMD_CLEANUP:
        ok = PQsendQuery(bus->pg, "DELETE FROM " EVENT_TABLE
                                  " WHERE created_at < now() - interval '" H2O_TO_STR(RETENTION_S) " seconds'");
        break;
    }
    if (!ok) {
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
    bus_flush(bus);
}

static void first_line(char *out, size_t out_len, const char *text)
{
    gg_pg_first_line(out, out_len, text ? text : "");
}

/* The statement in flight has all its results (result: the first error, else the first one). */
static void command_done(pg_bus *bus, command *c, const PGresult *result)
{
    const char *error = result_error(result);
    char why[256];
    first_line(why, sizeof why, error);
    switch (c->kind) {
    case CMD_LISTEN:
        if (error != NULL) {
            free(c);
            bus_lost(bus, error);
            return;
        }
        if (!bus->ever_listened) {
            gg_log_info("realtime bus: listening on PostgreSQL channel %s", bus->channel);
        } else if (bus->down_since != 0) {
            uint64_t gap = h2o_now(bus->loop) - bus->down_since;
            gg_log_warn("realtime bus: listening on %s again after %" PRIu64
                        " ms; events other instances published meanwhile were missed, %lu of this instance's were "
                        "not sent",
                        bus->channel, gap, bus->not_sent);
        }
        bus->ever_listened = true;
        bus->down_since = 0;
        bus->not_sent = 0;
        bus->backoff_ms = RECONNECT_FIRST_MS;
        break;
    case CMD_CREATE_TABLE:
        if (error != NULL && !bus->table_failed_logged) {
            gg_log_warn("realtime bus: cannot create " EVENT_TABLE " (%s): events over %d bytes cannot reach other "
                        "instances",
                        why, GG_BUS_NOTIFY_PAYLOAD_MAX);
            bus->table_failed_logged = true;
        }
        break;
    case CMD_PUBLISH:
        atomic_fetch_sub(&bus->waiting, 1);
        if (error != NULL) gg_log_warn("realtime bus: an event of %s was not sent: %s", c->text, why);
        break;
    case CMD_FETCH: {
        incoming *in = c->target;
        if (error == NULL && PQntuples(result) == 1) {
            in->topic = strdup(PQgetvalue(result, 0, 0));
            in->len = (size_t)PQgetlength(result, 0, 1);
            in->json = malloc(in->len + 1);
            if (in->topic == NULL || in->json == NULL) abort();
            memcpy(in->json, PQgetvalue(result, 0, 1), in->len + 1);
            in->ready = gg_bus_topic_valid(in->topic, strlen(in->topic)) && in->len > 0;
            in->dropped = !in->ready;
        } else {
            in->dropped = true;
            gg_log_warn("realtime bus: event %" PRId64 " of another instance is not in " EVENT_TABLE " (%s)", c->id,
                        error != NULL ? why : "deleted");
        }
        deliver_ready(bus);
        break;
    }
    case CMD_CLEANUP:
        if (error != NULL) gg_log_debug("realtime bus: cleaning up " EVENT_TABLE ": %s", why);
        break;
    }
    free(c);
}

/* Reads the results that arrived; finishes the statement in flight when they are all there. */
static void read_results(pg_bus *bus)
{
    while (bus->state == BUS_READY && bus->inflight != NULL && !PQisBusy(bus->pg)) {
        PGresult *r = PQgetResult(bus->pg);
        if (r != NULL) {
            if (bus->inflight_result == NULL ||
                (result_error(r) != NULL && result_error(bus->inflight_result) == NULL)) {
                PQclear(bus->inflight_result);
                bus->inflight_result = r;
            } else {
                PQclear(r);
            }
            continue;
        }
        command *c = bus->inflight;
        PGresult *result = bus->inflight_result;
        bus->inflight = NULL;
        bus->inflight_result = NULL;
        command_done(bus, c, result);
        while (!h2o_linklist_is_empty(&bus->batch)) { /* the events NOTIFYed in the same statement */
            command *sent = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->batch.next);
            h2o_linklist_unlink(&sent->super.link);
            command_done(bus, sent, result);
        }
        PQclear(result);
        send_next(bus);
    }
}

/* ---- connection life ---- */

static void bus_lost(pg_bus *bus, const char *why)
{
    char line[256];
    first_line(line, sizeof line, why);
    if (bus->down_since == 0) {
        bus->down_since = h2o_now(bus->loop);
        if (bus->ever_listened)
            gg_log_warn("realtime bus: lost the PostgreSQL connection (%s); events of other instances are missed "
                        "until it is back",
                        line);
        else
            gg_log_warn("realtime bus: cannot connect to PostgreSQL yet (%s); retrying", line);
    }
    bus_detach(bus);
    if (bus->pg != NULL) PQfinish(bus->pg);
    bus->pg = NULL;
    bus->backend_pid = 0;
    inflight_drop(bus);
    while (!h2o_linklist_is_empty(&bus->commands)) {
        command *c = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->commands.next);
        h2o_linklist_unlink(&c->super.link);
        command_drop(bus, c);
    }
    deliver_ready(bus); /* the events that waited only for rows now dropped */
    bus->state = BUS_DOWN;
    bus->retry_at = h2o_now(bus->loop) + bus->backoff_ms;
    bus->backoff_ms = bus->backoff_ms * 2 > bus->reconnect_max_ms ? bus->reconnect_max_ms : bus->backoff_ms * 2;
}

static void bus_ready(pg_bus *bus)
{
    if (PQsetnonblocking(bus->pg, 1) != 0) {
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
    bus->backend_pid = PQbackendPID(bus->pg);
    bus->state = BUS_READY;
    /* before the events that arrived while connecting */
    bus->next_cleanup = h2o_now(bus->loop) + CLEANUP_INTERVAL_MS;
    enqueue(bus, command_new(CMD_CLEANUP), true);
    enqueue(bus, command_new(CMD_CREATE_TABLE), true);
    enqueue(bus, command_new(CMD_LISTEN), true);
    send_next(bus);
}

static void bus_connect_step(pg_bus *bus)
{
    PostgresPollingStatusType st = PQconnectPoll(bus->pg);
    switch (st) {
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
        if (!bus_attach(bus)) {
            bus_lost(bus, "cannot watch the database socket");
            return;
        }
        if (st == PGRES_POLLING_WRITING) h2o_socket_notify_write(bus->sock, on_writable);
        return;
    case PGRES_POLLING_OK:
        if (!bus_attach(bus)) {
            bus_lost(bus, "cannot watch the database socket");
            return;
        }
        bus_ready(bus);
        return;
    default:
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
}

static void bus_connect(pg_bus *bus)
{
    bus->state = BUS_CONNECTING;
    bus->connect_deadline = h2o_now(bus->loop) + CONNECT_TIMEOUT_MS;
    gg_pg_connect_options options = {.statement_timeout_ms = bus->statement_timeout_ms};
    bus->pg = gg_pg_connect_start(bus->conninfo, &options);
    if (bus->pg == NULL) {
        bus_lost(bus, "out of memory");
        return;
    }
    PQsetNoticeProcessor(bus->pg, notice_to_nowhere, NULL);
    if (PQstatus(bus->pg) == CONNECTION_BAD) {
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
    bus_connect_step(bus);
}

static void on_readable(h2o_socket_t *sock, const char *err)
{
    pg_bus *bus = sock->data;
    (void)err;
    if (bus->state == BUS_CONNECTING) {
        bus_connect_step(bus);
        return;
    }
    if (bus->state != BUS_READY) return;
    if (!PQconsumeInput(bus->pg)) {
        bus_lost(bus, PQerrorMessage(bus->pg));
        return;
    }
    read_results(bus);
    PGnotify *n;
    while (bus->state == BUS_READY && (n = PQnotifies(bus->pg)) != NULL) {
        on_notification(bus, n);
        PQfreemem(n);
    }
    send_next(bus); /* fetches the notifications asked for */
    if (bus->state == BUS_READY && PQstatus(bus->pg) == CONNECTION_BAD) bus_lost(bus, PQerrorMessage(bus->pg));
}

static void on_writable(h2o_socket_t *sock, const char *err)
{
    pg_bus *bus = sock->data;
    (void)err;
    if (bus->state == BUS_CONNECTING)
        bus_connect_step(bus);
    else if (bus->state == BUS_READY)
        bus_flush(bus);
}

static void on_tick(h2o_timeout_entry_t *entry)
{
    pg_bus *bus = H2O_STRUCT_FROM_MEMBER(pg_bus, tick_entry, entry);
    uint64_t now = h2o_now(bus->loop);
    if (bus->state == BUS_DOWN && now >= bus->retry_at && !bus->stopping) {
        bus_connect(bus);
    } else if (bus->state == BUS_CONNECTING && now >= bus->connect_deadline) {
        bus_lost(bus, "timeout expired");
    }
    unsigned long dropped = atomic_load(&bus->dropped_full);
    if (dropped != bus->dropped_reported) {
        gg_log_warn("realtime bus: %lu events were not sent: %u were already waiting", dropped - bus->dropped_reported,
                    MAX_WAITING);
        bus->dropped_reported = dropped;
    }
    if (!bus->stopping) h2o_timeout_link(bus->loop, &bus->tick, &bus->tick_entry);
}

static void on_gather(h2o_timeout_entry_t *entry)
{
    send_next(H2O_STRUCT_FROM_MEMBER(pg_bus, gather_entry, entry));
}

/* ---- the thread ---- */

static void on_outbox(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    pg_bus *bus = H2O_STRUCT_FROM_MEMBER(pg_bus, outbox, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        command *c = H2O_STRUCT_FROM_MEMBER(command, super.link, messages->next);
        h2o_linklist_unlink(&c->super.link);
        atomic_fetch_sub(&bus->in_outbox, 1);
        if (bus->state == BUS_DOWN)
            command_drop(bus, c); /* counted: logged with the gap */
        else
            enqueue(bus, c, false);
    }
    send_next(bus);
}

static void on_control(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    pg_bus *bus = H2O_STRUCT_FROM_MEMBER(pg_bus, control, receiver);
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    bus->stopping = true;
    send_next(bus); /* what waits to gather goes now */
}

static void *bus_main(void *arg)
{
    pg_bus *bus = arg;
    h2o_timeout_init(bus->loop, &bus->tick, TICK_MS);
    bus->tick_entry.cb = on_tick;
    h2o_timeout_link(bus->loop, &bus->tick, &bus->tick_entry);
    h2o_timeout_init(bus->loop, &bus->gather, PUBLISH_GATHER_MS);
    bus->gather_entry.cb = on_gather;
    bus_connect(bus);
    while (!bus->stopping)
        h2o_evloop_run(bus->loop, INT32_MAX);
    /* what the workers published before they stopped: sent if the connection allows, briefly */
    uint64_t deadline = h2o_now(bus->loop) + STOP_GRACE_MS;
    while (atomic_load(&bus->in_outbox) > 0 ||
           (bus->state == BUS_READY && (bus->inflight != NULL || !h2o_linklist_is_empty(&bus->commands)) &&
            h2o_now(bus->loop) < deadline))
        h2o_evloop_run(bus->loop, 10);
    if (h2o_timeout_is_linked(&bus->tick_entry)) h2o_timeout_unlink(&bus->tick_entry);
    if (h2o_timeout_is_linked(&bus->gather_entry)) h2o_timeout_unlink(&bus->gather_entry);
    bus->state = BUS_DOWN;
    bus_detach(bus);
    if (bus->pg != NULL) PQfinish(bus->pg);
    bus->pg = NULL;
    inflight_drop(bus);
    while (!h2o_linklist_is_empty(&bus->commands)) {
        command *c = H2O_STRUCT_FROM_MEMBER(command, super.link, bus->commands.next);
        h2o_linklist_unlink(&c->super.link);
        command_drop(bus, c);
    }
    while (!h2o_linklist_is_empty(&bus->incoming)) {
        incoming *in = H2O_STRUCT_FROM_MEMBER(incoming, link, bus->incoming.next);
        h2o_linklist_unlink(&in->link);
        free(in->topic);
        free(in->json);
        free(in);
    }
    if (bus->not_sent > 0) gg_log_warn("realtime bus: %lu events were not sent before stopping", bus->not_sent);
    h2o_timeout_dispose(bus->loop, &bus->tick);
    h2o_timeout_dispose(bus->loop, &bus->gather);
    h2o_multithread_unregister_receiver(bus->queue, &bus->outbox);
    h2o_multithread_unregister_receiver(bus->queue, &bus->control);
    h2o_multithread_destroy_queue(bus->queue);
    h2o_evloop_run(bus->loop, 0); /* lets the queue's socket close */
    free(bus->queue);
    h2o_evloop_destroy(bus->loop);
    return NULL;
}

/* ---- the interface ---- */

static void pg_bus_publish(gg_bus *base, const char *topic, const char *json, size_t len)
{
    pg_bus *bus = (pg_bus *)base;
    if (topic == NULL || json == NULL || len == 0 || !gg_bus_topic_valid(topic, strlen(topic))) return;
    if (atomic_fetch_add(&bus->waiting, 1) >= MAX_WAITING) {
        atomic_fetch_sub(&bus->waiting, 1);
        atomic_fetch_add(&bus->dropped_full, 1);
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        return;
    }
    size_t topic_len = strlen(topic);
    command *c = malloc(sizeof *c + topic_len + 1 + len + 1);
    if (c == NULL) abort();
    memset(c, 0, sizeof *c);
    c->kind = CMD_PUBLISH;
    c->topic_len = topic_len;
    c->len = len;
    memcpy(c->text, topic, topic_len + 1);
    memcpy(c->text + topic_len + 1, json, len);
    c->text[topic_len + 1 + len] = '\0';
    atomic_fetch_add(&bus->in_outbox, 1);
    h2o_multithread_send_message(&bus->outbox, &c->super);
}

static void pg_bus_destroy(gg_bus *base)
{
    pg_bus *bus = (pg_bus *)base;
    h2o_multithread_send_message(&bus->control, &bus->stop_message);
    pthread_join(bus->thread, NULL);
    free(bus->conninfo);
    free(bus->channel);
    free(bus);
}

static const gg_bus_ops pg_bus_ops = {.publish = pg_bus_publish, .destroy = pg_bus_destroy};

gg_bus *gg_bus_postgres_start(const gg_bus_postgres_config *config, gg_bus_event_fn on_event, void *user)
{
    pg_bus *bus = calloc(1, sizeof *bus);
    if (bus == NULL) abort();
    bus->super = (gg_bus){.ops = &pg_bus_ops, .on_event = on_event, .user = user};
    bus->conninfo = strdup(config->conninfo ? config->conninfo : "");
    bus->channel = strdup(config->channel);
    if (bus->conninfo == NULL || bus->channel == NULL) abort();
    bus->reconnect_max_ms =
        config->reconnect_max_ms > RECONNECT_FIRST_MS ? config->reconnect_max_ms : RECONNECT_FIRST_MS;
    bus->statement_timeout_ms = config->statement_timeout_ms;
    bus->backoff_ms = RECONNECT_FIRST_MS;
    h2o_linklist_init_anchor(&bus->commands);
    h2o_linklist_init_anchor(&bus->batch);
    h2o_linklist_init_anchor(&bus->incoming);
    /* the loop and its queue exist before any thread can publish; only the bus thread runs the loop */
    bus->loop = h2o_evloop_create();
    bus->queue = h2o_multithread_create_queue(bus->loop);
    h2o_multithread_register_receiver(bus->queue, &bus->outbox, on_outbox);
    h2o_multithread_register_receiver(bus->queue, &bus->control, on_control);
    if (pthread_create(&bus->thread, NULL, bus_main, bus) != 0) abort();
    return &bus->super;
}
