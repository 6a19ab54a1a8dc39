/* bus.h: how mutation events travel between graphgate instances (issue 11, "Fanout").
 *
 * Inside one process, events cross threads through the hub fanout (hub.c). A bus carries them on
 * to the other instances serving the same API: every event this instance's mutations commit goes
 * out with publish, and the events the other instances published come back through on_event. The
 * interface is what any bus needs, so another transport (NATS, bus_nats.c) can take
 * PostgreSQL's place: publish copies the event and never blocks (any thread may call it); on_event
 * is called on the bus's own thread, one event at a time, in the order the bus received them, and
 * never with an event of this instance. A bus that cannot deliver drops events and logs the gap
 * instead of growing memory. */
#ifndef GG_REALTIME_BUS_H
#define GG_REALTIME_BUS_H

#include <stddef.h>

typedef struct gg_bus gg_bus;

/* A foreign event: topic (the mutation's name) and json (its result, NUL-terminated, len bytes)
 * are valid during the call only. */
typedef void (*gg_bus_event_fn)(void *user, const char *topic, const char *json, size_t len);

typedef struct gg_bus_ops {
    void (*publish)(gg_bus *bus, const char *topic, const char *json, size_t len);
    /* Sends what is queued (for a moment at most), stops the bus's thread and frees it. */
    void (*destroy)(gg_bus *bus);
} gg_bus_ops;

/* What every bus starts with (an implementation embeds it first). */
struct gg_bus {
    const gg_bus_ops *ops;
    gg_bus_event_fn on_event;
    void *user;
};

/* Hands a committed mutation's event to the other instances (bus NULL: nothing). */
static inline void gg_bus_publish(gg_bus *bus, const char *topic, const char *json, size_t len)
{
    if (bus != NULL) bus->ops->publish(bus, topic, json, len);
}

/* Stops and frees the bus (NULL is fine). on_event is not called any more once it returns. */
static inline void gg_bus_free(gg_bus *bus)
{
    if (bus != NULL) bus->ops->destroy(bus);
}

/* ---- the PostgreSQL bus (bus_postgres.c) ---- */

typedef struct gg_bus_postgres_config {
    const char *conninfo;          /* the database URL */
    const char *channel;           /* the NOTIFY channel ([a-z_][a-z0-9_]*, checked by config.c) */
    unsigned reconnect_max_ms;     /* the longest wait between two reconnect attempts */
    unsigned statement_timeout_ms; /* 0: none */
} gg_bus_postgres_config;

/* Starts the bus's thread: it connects (in the background), LISTENs on the channel and calls
 * on_event with the other instances' events. Never fails for an unreachable database: it keeps
 * trying. */
gg_bus *gg_bus_postgres_start(const gg_bus_postgres_config *config, gg_bus_event_fn on_event, void *user);

/* ---- the NATS bus (bus_nats.c) ---- */

typedef struct gg_bus_nats_config {
    const char *urls;       /* nats:// URLs, comma-separated (checked by config.c) */
    const char *channel;    /* the subject prefix: events travel on <channel>.<topic> */
    size_t max_event_bytes; /* realtime.max_message_bytes: a server taking less is logged */
} gg_bus_nats_config;

/* Starts the bus's thread: it connects (in the background) and subscribes to <channel>.*, calling
 * on_event with the other instances' events on libnats's dispatcher thread for that subscription.
 * Never fails for an unreachable server: it keeps trying. */
gg_bus *gg_bus_nats_start(const gg_bus_nats_config *config, gg_bus_event_fn on_event, void *user);

#endif
