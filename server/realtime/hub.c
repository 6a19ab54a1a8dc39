/* hub.c: a thread's hub (its websocket connections and their subscriptions indexed by mutation
 * name), and the fanout that carries events between threads; see realtime.h.
 *
 * An event published on thread A (its pubsub) is dispatched to A's subscribers at once, then
 * copied once into a reference-counted event and posted to every other running hub with
 * h2o_multithread_send_message (one message per destination: a message holds a link). Each hub
 * receives on its own loop and dispatches there, so connections are only touched by their own
 * thread. The fanout's table of hubs is read under a read lock per published event (never per
 * delivery); a hub leaves it under the write lock, then waits for the messages already posted to
 * it (inbox) before unregistering its receiver, so no message is ever posted to a dead queue.
 * Subscriptions are found by mutation name and equality value (index.c). With a bus (bus.h), each
 * event published here also goes to the other instances, and their events (on the bus's thread)
 * are posted to every hub the same way. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "../metrics/metrics.h"
#include "internal.h"

struct gg_rt_fanout {
    pthread_rwlock_t lock;
    gg_rt_hub **hubs; /* one slot per thread; NULL: not running */
    unsigned count;
    atomic_uint connections; /* websocket connections of the instance (realtime.max_connections) */
    unsigned max_connections;
    gg_bus *bus; /* set before the hubs start; NULL: this instance only */
};

typedef struct event {
    atomic_uint refs;
    char *topic;
    size_t len;
    char json[]; /* NUL-terminated */
} event;

typedef struct event_message {
    h2o_multithread_message_t super; /* first */
    event *event;
} event_message;

gg_rt_fanout *gg_rt_fanout_new(unsigned threads, unsigned max_connections)
{
    gg_rt_fanout *f = calloc(1, sizeof *f);
    if (f == NULL) abort();
    f->hubs = calloc(threads ? threads : 1, sizeof *f->hubs);
    if (f->hubs == NULL) abort();
    f->count = threads;
    f->max_connections = max_connections;
    pthread_rwlock_init(&f->lock, NULL);
    return f;
}

void gg_rt_fanout_free(gg_rt_fanout *f)
{
    if (f == NULL) return;
    pthread_rwlock_destroy(&f->lock);
    free(f->hubs);
    free(f);
}

bool gg_rt_fanout_take_connection(gg_rt_fanout *f)
{
    unsigned n = atomic_fetch_add(&f->connections, 1);
    if (n < f->max_connections) return true;
    atomic_fetch_sub(&f->connections, 1);
    return false;
}

void gg_rt_fanout_release_connection(gg_rt_fanout *f)
{
    atomic_fetch_sub(&f->connections, 1);
}

static void event_release(event *e)
{
    if (atomic_fetch_sub(&e->refs, 1) == 1) {
        free(e->topic);
        free(e);
    }
}

/* ---- events ---- */

static void on_messages(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    gg_rt_hub *hub = H2O_STRUCT_FROM_MEMBER(gg_rt_hub, receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        event_message *m = H2O_STRUCT_FROM_MEMBER(event_message, super.link, messages->next);
        h2o_linklist_unlink(&m->super.link);
        if (!hub->shutting_down) gg_rt_hub_dispatch(hub, m->event->topic, m->event->json, m->event->len);
        event_release(m->event);
        free(m);
        atomic_fetch_sub(&hub->inbox, 1);
    }
}

/* Posts a copy of the event to every running hub but except (read lock: hubs may be leaving). */
static void post_to_hubs(gg_rt_fanout *f, const gg_rt_hub *except, const char *topic, const char *json, size_t len)
{
    event *e = NULL;
    pthread_rwlock_rdlock(&f->lock);
    for (unsigned i = 0; i < f->count; i++) {
        gg_rt_hub *peer = f->hubs[i];
        if (peer == NULL || peer == except) continue;
        if (e == NULL) {
            e = malloc(sizeof *e + len + 1);
            if (e == NULL) abort();
            atomic_init(&e->refs, 1); /* the sender's, dropped below */
            e->topic = strdup(topic);
            if (e->topic == NULL) abort();
            memcpy(e->json, json, len);
            e->json[len] = '\0';
            e->len = len;
        }
        event_message *m = calloc(1, sizeof *m);
        if (m == NULL) abort();
        atomic_fetch_add(&e->refs, 1);
        m->event = e;
        atomic_fetch_add(&peer->inbox, 1);
        h2o_multithread_send_message(&peer->receiver, &m->super);
    }
    pthread_rwlock_unlock(&f->lock);
    if (e != NULL) event_release(e);
}

/* A mutation committed on this thread: its subscribers here, then every other hub, then the bus. */
static void on_published(void *user, const char *topic, const char *json, size_t len)
{
    gg_rt_hub *hub = user;
    gg_metrics_count(GG_METRIC_EVENTS_PUBLISHED);
    gg_rt_hub_dispatch(hub, topic, json, len);
    post_to_hubs(hub->setup.fanout, hub, topic, json, len);
    gg_bus_publish(hub->setup.fanout->bus, topic, json, len);
}

void gg_rt_fanout_use_bus(gg_rt_fanout *f, gg_bus *bus)
{
    f->bus = bus;
}

void gg_rt_fanout_deliver(void *fanout, const char *topic, const char *json, size_t len)
{
    post_to_hubs(fanout, NULL, topic, json, len);
}

/* ---- the hub ---- */

gg_rt_hub *gg_rt_hub_new(const gg_rt_hub_setup *setup)
{
    gg_rt_hub *hub = calloc(1, sizeof *hub);
    if (hub == NULL) abort();
    hub->setup = *setup;
    hub->cfg = setup->cfg;
    hub->loop = setup->ctx->loop;
    h2o_linklist_init_anchor(&hub->conns);
    h2o_linklist_init_anchor(&hub->flush);
    h2o_timeout_init(hub->loop, &hub->init_timeout, hub->cfg->rt_connection_init_timeout_ms);
    h2o_timeout_init(hub->loop, &hub->keep_alive_timeout, hub->cfg->rt_keep_alive_interval_ms);
    h2o_timeout_init(hub->loop, &hub->close_timeout, GG_RT_CLOSE_GRACE_MS);
    h2o_timeout_init(hub->loop, &hub->close_soon_timeout, GG_RT_CLOSE_CHECK_MS);
    h2o_multithread_register_receiver(setup->ctx->queue, &hub->receiver, on_messages);
    if (setup->pubsub != NULL) hub->pubsub_id = gg_pubsub_subscribe(setup->pubsub, NULL, on_published, hub);
    pthread_rwlock_wrlock(&setup->fanout->lock);
    if (setup->index < setup->fanout->count) setup->fanout->hubs[setup->index] = hub;
    pthread_rwlock_unlock(&setup->fanout->lock);
    return hub;
}

void gg_rt_generation_init(gg_rt_generation *g)
{
    gg_arena_init(&g->models_arena);
    const gg_amplify_catalog *catalog = gg_gateway_catalog(g->gateway);
    g->models = catalog != NULL ? gg_pg_models_build(&g->models_arena, catalog) : NULL;
}

void gg_rt_generation_dispose(gg_rt_generation *g)
{
    gg_arena_free(&g->models_arena);
    g->models = NULL;
}

unsigned gg_rt_hub_connections(const gg_rt_hub *hub)
{
    return hub->conn_count;
}

void gg_rt_hub_free(gg_rt_hub *hub)
{
    if (hub == NULL) return;
    gg_rt_fanout *f = hub->setup.fanout;
    pthread_rwlock_wrlock(&f->lock);
    if (hub->setup.index < f->count && f->hubs[hub->setup.index] == hub) f->hubs[hub->setup.index] = NULL;
    pthread_rwlock_unlock(&f->lock);
    hub->shutting_down = true;
    while (atomic_load(&hub->inbox) > 0) /* posted before it left the table: received (and dropped) here */
        h2o_evloop_run(hub->loop, 10);
    h2o_multithread_unregister_receiver(hub->setup.ctx->queue, &hub->receiver);
    if (hub->setup.pubsub != NULL) gg_pubsub_unsubscribe(hub->setup.pubsub, hub->pubsub_id);
    gg_rt_hub_close_all(hub);
    h2o_timeout_dispose(hub->loop, &hub->init_timeout);
    h2o_timeout_dispose(hub->loop, &hub->keep_alive_timeout);
    h2o_timeout_dispose(hub->loop, &hub->close_timeout);
    h2o_timeout_dispose(hub->loop, &hub->close_soon_timeout);
    gg_rt_index_free(hub);
    gg_buf_free(&hub->message);
    free(hub);
}
