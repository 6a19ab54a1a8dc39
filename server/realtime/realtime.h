/* realtime.h: GraphQL subscriptions over websockets (issue 11): the face server/http uses.
 *
 * Each worker thread owns one hub: the websocket connections it accepted, their subscriptions
 * (indexed by the mutation names that feed them), and a receiver on the thread's h2o queue. A
 * committed mutation publishes its result on its thread's pubsub; that thread's hub delivers it to
 * its own subscribers and hands it to every other hub through h2o's multithread queues, so each
 * connection is only ever touched by its own thread (no lock on delivery). The fanout (one per
 * server) is the table of hubs the threads share; a bus (bus.h: PostgreSQL LISTEN/NOTIFY) carries
 * the same events to and from the other instances.
 *
 * Two protocols on one endpoint, chosen by the subprotocol the client offers: AppSync's real-time
 * protocol (`graphql-ws`, at <graphql_path>/realtime and <graphql_path>) and graphql-transport-ws
 * (the graphql-ws library's, at <graphql_path>); appsync-compat.md §5. */
#ifndef GG_REALTIME_H
#define GG_REALTIME_H

#include <stdbool.h>

#include <h2o.h>

#include "../auth/auth.h"
#include "../config.h"
#include "../gateway/gateway.h"
#include "bus.h"
#include "pubsub.h"

typedef struct gg_rt_hub gg_rt_hub;
typedef struct gg_rt_fanout gg_rt_fanout;

/* The table of a server's hubs, one slot per thread; realtime.max_connections counts here. */
gg_rt_fanout *gg_rt_fanout_new(unsigned threads, unsigned max_connections);
/* After every hub is freed. */
void gg_rt_fanout_free(gg_rt_fanout *fanout);
/* Publishes this instance's events on bus too (before the hubs start; the bus outlives them). */
void gg_rt_fanout_use_bus(gg_rt_fanout *fanout, gg_bus *bus);
/* An event of another instance (a gg_bus_event_fn, user: the fanout; any thread): to every hub. */
void gg_rt_fanout_deliver(void *fanout, const char *topic, const char *json, size_t len);

/* What a websocket connection is served by: a schema generation as its thread sees it (server/http
 * generation.h; a SIGHUP reload makes a new one). A connection holds the thread's current one from
 * its upgrade until it closes, so a reload changes nothing for an open connection, and each new
 * connection gets the newest. Operations and deliveries still running hold it too. */
typedef struct gg_rt_generation {
    const gg_gateway *gateway;
    gg_doc_cache *cache;        /* the thread's documents of this generation */
    gg_auth_verifier *verifier; /* NULL: auth.default_mode NONE */
    gg_auth_cache *auth_cache;  /* the thread's token cache of this generation */
    gg_arena models_arena;
    struct gg_pg_models *models; /* the @model storage of the gateway's catalog (@auth listen rules); NULL: none */
    void (*hold)(struct gg_rt_generation *generation);    /* one more hold (the thread's own) */
    void (*release)(struct gg_rt_generation *generation); /* drops one */
} gg_rt_generation;

/* Fills models from gateway's catalog (gateway, cache, verifier and auth_cache are set first). */
void gg_rt_generation_init(gg_rt_generation *generation);
/* Frees what gg_rt_generation_init made. */
void gg_rt_generation_dispose(gg_rt_generation *generation);

typedef struct gg_rt_hub_setup {
    const gg_config *cfg;
    /* The thread's current generation, with a hold for the caller. */
    gg_rt_generation *(*hold_current)(void *user);
    void *user;
    const gg_request_context *context; /* the thread's data-source context (queries and mutations over
                                        * graphql-transport-ws); lives as long as the hub */
    gg_pubsub *pubsub;                 /* the thread's pubsub (NULL: no database, no events) */
    gg_rt_fanout *fanout;
    unsigned index;     /* the thread's slot in the fanout */
    h2o_context_t *ctx; /* the thread's h2o context (its loop and queue) */
} gg_rt_hub_setup;

/* Creates the thread's hub and registers it in the fanout (call on the worker thread). */
gg_rt_hub *gg_rt_hub_new(const gg_rt_hub_setup *setup);
/* Handles req when it is a websocket upgrade to <graphql_path>/realtime or <graphql_path>: 101 with
 * the chosen subprotocol, 400 without a supported one, 503 over realtime.max_connections. Returns
 * -1 (req untouched) when it is not such an upgrade. */
int gg_rt_on_req(gg_rt_hub *hub, h2o_req_t *req);
/* Server shutdown: every connection gets a close frame 1001; the loop then finishes them. */
void gg_rt_hub_shutdown(gg_rt_hub *hub);
/* Open websocket connections of the hub. */
unsigned gg_rt_hub_connections(const gg_rt_hub *hub);
/* Leaves the fanout, closes what is left and frees the hub (on its thread, before its loop goes). */
void gg_rt_hub_free(gg_rt_hub *hub);

#endif
