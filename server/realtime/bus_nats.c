/* bus_nats.c: the NATS bus (bus.h): events cross instances through a NATS server (libnats, the C
 * client), for fleets whose event rate the PostgreSQL bus cannot carry: every NOTIFY takes one
 * lock in PostgreSQL at commit, so all publishing commits of all instances queue on it, while a
 * NATS server fans out hundreds of thousands of messages a second.
 *
 * An event travels as one message on the subject <channel>.<topic> (realtime.bus_channel, then the
 * mutation's name, a GraphQL name and so a valid subject token), its JSON as the payload; every
 * instance subscribes to <channel>.*. The connection is opened with no_echo, so the server never
 * hands an instance its own events (its hubs delivered them already). NATS keeps one publisher's
 * messages in order for each subscriber, as the PostgreSQL bus does.
 *
 * libnats runs its own threads: the subscription's dispatcher thread calls on_event (one message at
 * a time, in arrival order), and on_event hands the event to the workers' event loops by message
 * (hub.c), exactly as the PostgreSQL bus's thread does. publish never calls libnats (whose publish
 * may write to the socket when its buffer is full): it copies the event into a bounded queue that
 * the bus's own thread sends from. That thread also connects, so a server start never waits for
 * NATS.
 *
 * Large events: a message may carry up to the server's max_payload (1 MiB by default, announced
 * when connecting), above realtime.max_message_bytes' default (240 KB, the largest event delivered
 * to a subscriber); a larger event is not sent, and that is logged and counted. A start with
 * max_message_bytes above max_payload logs it once.
 *
 * Reconnects: libnats reconnects by itself (forever, the delay doubling from RECONNECT_FIRST_MS to
 * RECONNECT_MAX_MS) and subscribes again. When the connection drops the bus logs it; when it is
 * back it logs how long the gap was: events the other instances published meanwhile were missed
 * (core NATS keeps nothing for an absent subscriber). This instance's events published meanwhile
 * wait in libnats's reconnect buffer (8 MB) and go out on reconnect; beyond that they are dropped
 * and counted in the same log line. */
#include "bus.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nats/nats.h>

#include "../base/log.h"
#include "../metrics/metrics.h"
#include "bus_payload.h"

#define CONNECT_TIMEOUT_MS 2000
#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS 2000
#define PING_INTERVAL_MS 5000 /* a silent server is taken for gone after two unanswered pings */
#define MAX_WAITING 10000     /* events waiting to be sent; and messages received, waiting for on_event */
#define MAX_PENDING_BYTES (256 * 1024 * 1024)
#define STOP_GRACE_MS 2000 /* on stop, queued events get this long to reach the server */
#define STOP_WAIT_MS 5000  /* on stop, libnats's threads get this long to end */
#define REPORT_MS 1000     /* dropped events are logged at most this often */

/* A published event, waiting for the bus thread: subject then json, both NUL-terminated. */
typedef struct event {
    struct event *next;
    size_t subject_len, len;
    char text[];
} event;

typedef struct nats_bus {
    gg_bus super; /* first */
    char *urls;
    size_t max_event_bytes;
    char *prefix; /* "<channel>." */
    size_t prefix_len;
    pthread_t thread;
    natsOptions *options;       /* the bus thread's until it is joined */
    natsConnection *connection; /* idem; NULL: libnats refused the options */
    natsSubscription *subscription;
    pthread_mutex_t lock; /* what follows */
    pthread_cond_t wake;  /* the bus thread: an event is queued, or stopping */
    pthread_cond_t subscription_done;
    event *head, *tail;
    unsigned waiting;
    bool stopping, subscription_closed, slow_logged;
    unsigned long dropped_full, dropped_reported;
    unsigned long not_sent; /* this instance's events libnats refused (since the last gap was logged) */
    int64_t down_since;     /* 0: connected, or never tried */
    bool connected_once;
} nats_bus;

static void lock(nats_bus *bus)
{
    pthread_mutex_lock(&bus->lock);
}

static void unlock(nats_bus *bus)
{
    pthread_mutex_unlock(&bus->lock);
}

/* ---- libnats's callbacks (its threads) ---- */

static void on_message(natsConnection *connection, natsSubscription *subscription, natsMsg *msg, void *closure)
{
    nats_bus *bus = closure;
    (void)connection;
    (void)subscription;
    const char *subject = natsMsg_GetSubject(msg);
    const char *json = natsMsg_GetData(msg); /* libnats NUL-terminates it */
    int len = natsMsg_GetDataLength(msg);
    const char *topic = subject + bus->prefix_len;
    if (strncmp(subject, bus->prefix, bus->prefix_len) == 0 && gg_bus_topic_valid(topic, strlen(topic)) &&
        json != NULL && len > 0)
        bus->super.on_event(bus->super.user, topic, json, (size_t)len);
    else
        gg_log_debug("realtime bus: ignored a NATS message on %s that is not graphgate's (%d bytes)", subject, len);
    natsMsg_Destroy(msg);
}

static void on_subscription_done(void *closure)
{
    nats_bus *bus = closure;
    lock(bus);
    bus->subscription_closed = true;
    pthread_cond_broadcast(&bus->subscription_done);
    unlock(bus);
}

/* Connected for the first time (after failed attempts), or again after losing the connection. */
static void on_connected(natsConnection *connection, void *closure)
{
    nats_bus *bus = closure;
    lock(bus);
    int64_t gap = bus->down_since != 0 ? nats_Now() - bus->down_since : 0;
    bool again = bus->connected_once;
    unsigned long not_sent = bus->not_sent;
    bus->down_since = 0;
    bus->not_sent = 0;
    bus->connected_once = true;
    bus->slow_logged = false;
    bool stopping = bus->stopping;
    unlock(bus);
    if (stopping) return;
    if (again)
        gg_log_warn("realtime bus: connected to NATS again after %" PRId64
                    " ms; events other instances published meanwhile were missed, %lu of this instance's were not "
                    "sent",
                    gap, not_sent);
    else
        gg_log_info("realtime bus: connected to NATS, subject %s*", bus->prefix);
    int64_t max_payload = natsConnection_GetMaxPayload(connection);
    if (!again && max_payload > 0 && (uint64_t)max_payload < bus->max_event_bytes)
        gg_log_warn("realtime bus: the NATS server takes messages up to %" PRId64
                    " bytes, realtime.max_message_bytes is %zu: larger events do not cross instances",
                    max_payload, bus->max_event_bytes);
}

static void on_disconnected(natsConnection *connection, void *closure)
{
    nats_bus *bus = closure;
    (void)connection;
    lock(bus);
    bool first = bus->down_since == 0 && !bus->stopping;
    if (first) bus->down_since = nats_Now();
    unlock(bus);
    if (first)
        gg_log_warn("realtime bus: lost the NATS connection; events of other instances are missed until it is back");
}

static void on_error(natsConnection *connection, natsSubscription *subscription, natsStatus status, void *closure)
{
    nats_bus *bus = closure;
    (void)connection;
    (void)subscription;
    if (status == NATS_SLOW_CONSUMER) { /* libnats dropped a message: MAX_WAITING were waiting */
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        lock(bus);
        bool first = !bus->slow_logged;
        bus->slow_logged = true;
        unlock(bus);
        if (first)
            gg_log_warn("realtime bus: %u events of other instances wait for delivery; further events are dropped",
                        MAX_WAITING);
        return;
    }
    gg_log_warn("realtime bus: NATS: %s", natsStatus_GetText(status));
}

static int64_t reconnect_delay(natsConnection *connection, int attempts, void *closure)
{
    (void)connection;
    (void)closure;
    int64_t delay = RECONNECT_FIRST_MS;
    for (int i = 1; i < attempts && delay < RECONNECT_MAX_MS; i++)
        delay *= 2;
    return delay < RECONNECT_MAX_MS ? delay : RECONNECT_MAX_MS;
}

/* ---- the bus thread ---- */

/* The options: the servers of realtime.nats_url, reconnects forever, no echo. */
static natsStatus make_options(nats_bus *bus, natsOptions **out)
{
    natsOptions *o = NULL;
    natsStatus s = natsOptions_Create(&o);
    const char *servers[64];
    int count = 0;
    char *copy = strdup(bus->urls), *save = NULL;
    if (copy == NULL) abort();
    for (char *url = strtok_r(copy, ",", &save); url != NULL && count < 64; url = strtok_r(NULL, ",", &save))
        servers[count++] = url;
    if (s == NATS_OK) s = natsOptions_SetServers(o, servers, count);
    free(copy); /* libnats copied them */
    if (s == NATS_OK) s = natsOptions_SetName(o, "graphgate");
    if (s == NATS_OK) s = natsOptions_SetNoEcho(o, true);
    if (s == NATS_OK) s = natsOptions_SetTimeout(o, CONNECT_TIMEOUT_MS);
    if (s == NATS_OK) s = natsOptions_SetPingInterval(o, PING_INTERVAL_MS);
    if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(o, 2);
    if (s == NATS_OK) s = natsOptions_SetAllowReconnect(o, true);
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(o, -1);
    if (s == NATS_OK) s = natsOptions_SetCustomReconnectDelay(o, reconnect_delay, bus);
    if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(o, true, on_connected, bus);
    if (s == NATS_OK) s = natsOptions_SetReconnectedCB(o, on_connected, bus);
    if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(o, on_disconnected, bus);
    if (s == NATS_OK) s = natsOptions_SetErrorHandler(o, on_error, bus);
    if (s != NATS_OK) {
        natsOptions_Destroy(o);
        return s;
    }
    *out = o;
    return NATS_OK;
}

static void connect_and_subscribe(nats_bus *bus)
{
    natsStatus s = make_options(bus, &bus->options);
    bool connected = false;
    if (s == NATS_OK) {
        lock(bus);
        bus->down_since = nats_Now(); /* until on_connected */
        unlock(bus);
        s = natsConnection_Connect(&bus->connection, bus->options);
        if (s == NATS_NOT_YET_CONNECTED) {
            gg_log_warn("realtime bus: cannot connect to NATS yet; retrying");
            s = NATS_OK;
        } else {
            connected = s == NATS_OK;
        }
    }
    char subject[80];
    snprintf(subject, sizeof subject, "%s*", bus->prefix);
    if (s == NATS_OK) s = natsConnection_Subscribe(&bus->subscription, bus->connection, subject, on_message, bus);
    if (s == NATS_OK) s = natsSubscription_SetPendingLimits(bus->subscription, MAX_WAITING, MAX_PENDING_BYTES);
    if (s == NATS_OK) s = natsSubscription_SetOnCompleteCB(bus->subscription, on_subscription_done, bus);
    if (s != NATS_OK) {
        const char *detail = nats_GetLastError(NULL);
        gg_log_error("realtime bus: cannot use NATS (%s%s%s): events do not cross instances", natsStatus_GetText(s),
                     detail != NULL && detail[0] != '\0' ? ": " : "", detail != NULL ? detail : "");
        return;
    }
    if (connected) { /* the server has the subscription (a flush is a round trip) before "connected" is logged */
        natsConnection_FlushTimeout(bus->connection, CONNECT_TIMEOUT_MS);
        on_connected(bus->connection, bus);
    }
}

static void send_event(nats_bus *bus, event *e)
{
    const char *json = e->text + e->subject_len + 1;
    natsStatus s = NATS_CONNECTION_CLOSED;
    int64_t max_payload = bus->connection != NULL ? natsConnection_GetMaxPayload(bus->connection) : 0;
    if (bus->subscription != NULL && max_payload > 0 && (int64_t)e->len > max_payload) {
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        gg_log_warn("realtime bus: an event of %s (%zu bytes) is larger than the NATS server's max_payload (%" PRId64
                    " bytes): not sent to other instances",
                    e->text + bus->prefix_len, e->len, max_payload);
        return;
    }
    if (bus->subscription != NULL) s = natsConnection_Publish(bus->connection, e->text, json, (int)e->len);
    if (s != NATS_OK) {
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        lock(bus);
        bus->not_sent++;
        unlock(bus);
    }
}

static void report_dropped(nats_bus *bus)
{
    unsigned long dropped = bus->dropped_full;
    if (dropped != bus->dropped_reported) {
        gg_log_warn("realtime bus: %lu events were not sent: %u were already waiting", dropped - bus->dropped_reported,
                    MAX_WAITING);
        bus->dropped_reported = dropped;
    }
}

static void *bus_main(void *arg)
{
    nats_bus *bus = arg;
    connect_and_subscribe(bus);
    lock(bus);
    for (;;) {
        while (bus->head == NULL && !bus->stopping) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += REPORT_MS / 1000;
            pthread_cond_timedwait(&bus->wake, &bus->lock, &until);
            report_dropped(bus);
        }
        if (bus->head == NULL) break; /* stopping, nothing left */
        event *e = bus->head;
        bus->head = e->next;
        if (bus->head == NULL) bus->tail = NULL;
        bus->waiting--;
        unlock(bus);
        send_event(bus, e);
        free(e);
        lock(bus);
    }
    report_dropped(bus);
    unlock(bus);
    /* what was published last reaches the server (while disconnected, it stays in the reconnect buffer) */
    if (bus->subscription != NULL && natsConnection_Status(bus->connection) == NATS_CONN_STATUS_CONNECTED)
        natsConnection_FlushTimeout(bus->connection, STOP_GRACE_MS);
    return NULL;
}

/* ---- the interface ---- */

static void nats_bus_publish(gg_bus *base, const char *topic, const char *json, size_t len)
{
    nats_bus *bus = (nats_bus *)base;
    if (topic == NULL || json == NULL || len == 0 || len > INT32_MAX || !gg_bus_topic_valid(topic, strlen(topic)))
        return;
    size_t topic_len = strlen(topic);
    size_t subject_len = bus->prefix_len + topic_len;
    event *e = malloc(sizeof *e + subject_len + 1 + len + 1);
    if (e == NULL) abort();
    e->next = NULL;
    e->subject_len = subject_len;
    e->len = len;
    memcpy(e->text, bus->prefix, bus->prefix_len);
    memcpy(e->text + bus->prefix_len, topic, topic_len + 1);
    memcpy(e->text + subject_len + 1, json, len);
    e->text[subject_len + 1 + len] = '\0';
    lock(bus);
    if (bus->waiting >= MAX_WAITING) {
        bus->dropped_full++;
        unlock(bus);
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        free(e);
        return;
    }
    if (bus->tail != NULL)
        bus->tail->next = e;
    else
        bus->head = e;
    bus->tail = e;
    bus->waiting++;
    pthread_cond_signal(&bus->wake);
    unlock(bus);
}

static void nats_bus_destroy(gg_bus *base)
{
    nats_bus *bus = (nats_bus *)base;
    lock(bus);
    bus->stopping = true;
    pthread_cond_signal(&bus->wake);
    unlock(bus);
    pthread_join(bus->thread, NULL); /* the queue is empty: sent, or counted */
    if (bus->subscription != NULL) natsSubscription_Unsubscribe(bus->subscription);
    if (bus->connection != NULL) natsConnection_Close(bus->connection);
    if (bus->subscription != NULL) { /* on_message is not running and will not run again */
        lock(bus);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += STOP_WAIT_MS / 1000;
        while (!bus->subscription_closed)
            if (pthread_cond_timedwait(&bus->subscription_done, &bus->lock, &until) != 0) break;
        unlock(bus);
        natsSubscription_Destroy(bus->subscription);
    }
    if (bus->connection != NULL) natsConnection_Destroy(bus->connection);
    if (bus->options != NULL) natsOptions_Destroy(bus->options);
    /* every libnats thread (dispatcher, callbacks) has ended: none can touch bus any more */
    if (nats_CloseAndWait(STOP_WAIT_MS) != NATS_OK) gg_log_warn("realtime bus: libnats did not stop in time");
    if (bus->not_sent > 0) gg_log_warn("realtime bus: %lu events were not sent before stopping", bus->not_sent);
    pthread_mutex_destroy(&bus->lock);
    pthread_cond_destroy(&bus->wake);
    pthread_cond_destroy(&bus->subscription_done);
    free(bus->urls);
    free(bus->prefix);
    free(bus);
}

static const gg_bus_ops nats_bus_ops = {.publish = nats_bus_publish, .destroy = nats_bus_destroy};

gg_bus *gg_bus_nats_start(const gg_bus_nats_config *config, gg_bus_event_fn on_event, void *user)
{
    nats_bus *bus = calloc(1, sizeof *bus);
    if (bus == NULL) abort();
    bus->super = (gg_bus){.ops = &nats_bus_ops, .on_event = on_event, .user = user};
    bus->urls = strdup(config->urls);
    bus->max_event_bytes = config->max_event_bytes;
    bus->prefix_len = strlen(config->channel) + 1;
    bus->prefix = malloc(bus->prefix_len + 1);
    if (bus->urls == NULL || bus->prefix == NULL) abort();
    snprintf(bus->prefix, bus->prefix_len + 1, "%s.", config->channel);
    pthread_mutex_init(&bus->lock, NULL);
    pthread_cond_init(&bus->wake, NULL);
    pthread_cond_init(&bus->subscription_done, NULL);
    if (pthread_create(&bus->thread, NULL, bus_main, bus) != 0) abort();
    return &bus->super;
}
