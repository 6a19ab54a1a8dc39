/* pubsub.h: the publish/subscribe layer mutation events go through (in-process fan-out).
 *
 * A committed mutation publishes one event: its topic is the mutation field's name
 * ("createPost", a @sql mutation's field name) and its payload the JSON text of the field's
 * result. Subscribers register a callback for one topic or for every topic; publishing calls the
 * matching callbacks synchronously, in registration order. One gg_pubsub belongs to one thread
 * (event loop) and is not locked: no global state. The subscriptions work adds websockets, the
 * fan-out between threads and PostgreSQL NOTIFY behind the same publish call. A NULL pubsub is
 * valid everywhere and means "no events". */
#ifndef GG_PUBSUB_H
#define GG_PUBSUB_H

#include <stddef.h>

#include "../graphql/value.h"

typedef struct gg_pubsub gg_pubsub;

/* Receives one event; topic and json are valid only during the call. */
typedef void (*gg_pubsub_fn)(void *user, const char *topic, const char *json, size_t len);

/* A new pubsub with no subscribers (aborts on out of memory, like the arena). */
gg_pubsub *gg_pubsub_create(void);
/* Frees it and its registrations (NULL is fine). Not from inside a callback. */
void gg_pubsub_destroy(gg_pubsub *ps);
/* Calls fn for every event of topic (NULL: every topic); returns the registration's id (> 0). */
unsigned gg_pubsub_subscribe(gg_pubsub *ps, const char *topic, gg_pubsub_fn fn, void *user);
/* Removes a registration (also allowed from inside a callback); unknown ids are ignored. */
void gg_pubsub_unsubscribe(gg_pubsub *ps, unsigned id);
/* Hands json (NUL-terminated) to every subscriber of topic; ps NULL: nothing. Returns how many were called. */
unsigned gg_pubsub_publish(gg_pubsub *ps, const char *topic, const char *json);
/* The one way a resolver publishes a committed mutation: the JSON text of value (the field's result)
 * under topic (the field's name); ps NULL: nothing, and value is not even written. */
unsigned gg_pubsub_publish_value(gg_pubsub *ps, const char *topic, const gg_val *value);
/* Events published since creation (for tests and /metrics). */
unsigned long gg_pubsub_published(const gg_pubsub *ps);

#endif
