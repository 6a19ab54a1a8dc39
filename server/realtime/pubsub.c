/* pubsub.c: in-process publish/subscribe for mutation events; see pubsub.h.
 *
 * Registrations are a plain array (a thread has few: one per subscription handler, not one per
 * websocket client); a publish scans it. Unsubscribing during a publish only clears the slot's
 * callback, and slots are compacted when no publish is running, so a callback may remove itself
 * or others safely. Subscribing during a publish appends; the new registration sees the next event. */
#include "pubsub.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct registration {
    unsigned id;
    char *topic;     /* NULL: every topic */
    gg_pubsub_fn fn; /* NULL: removed, waiting for compaction */
    void *user;
} registration;

struct gg_pubsub {
    registration *regs;
    unsigned count, cap;
    unsigned next_id;
    unsigned publishing; /* depth of publish calls running (a callback may publish) */
    bool removed;        /* some slot waits for compaction */
    unsigned long published;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) abort();
    return q;
}

gg_pubsub *gg_pubsub_create(void)
{
    gg_pubsub *ps = calloc(1, sizeof *ps);
    if (ps == NULL) abort();
    ps->next_id = 1;
    return ps;
}

void gg_pubsub_destroy(gg_pubsub *ps)
{
    if (ps == NULL) return;
    for (unsigned i = 0; i < ps->count; i++)
        free(ps->regs[i].topic);
    free(ps->regs);
    free(ps);
}

unsigned gg_pubsub_subscribe(gg_pubsub *ps, const char *topic, gg_pubsub_fn fn, void *user)
{
    if (ps == NULL || fn == NULL) return 0;
    if (ps->count == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 8;
        ps->regs = xrealloc(ps->regs, ps->cap * sizeof *ps->regs);
    }
    char *copy = NULL;
    if (topic != NULL) {
        copy = strdup(topic);
        if (copy == NULL) abort();
    }
    ps->regs[ps->count++] = (registration){.id = ps->next_id++, .topic = copy, .fn = fn, .user = user};
    return ps->regs[ps->count - 1].id;
}

/* Drops removed slots, keeping the order of the others. */
static void compact(gg_pubsub *ps)
{
    unsigned kept = 0;
    for (unsigned i = 0; i < ps->count; i++) {
        if (ps->regs[i].fn == NULL) {
            free(ps->regs[i].topic);
            continue;
        }
        ps->regs[kept++] = ps->regs[i];
    }
    ps->count = kept;
    ps->removed = false;
}

void gg_pubsub_unsubscribe(gg_pubsub *ps, unsigned id)
{
    if (ps == NULL || id == 0) return;
    for (unsigned i = 0; i < ps->count; i++) {
        if (ps->regs[i].id != id || ps->regs[i].fn == NULL) continue;
        ps->regs[i].fn = NULL;
        ps->removed = true;
        break;
    }
    if (ps->publishing == 0 && ps->removed) compact(ps);
}

unsigned gg_pubsub_publish(gg_pubsub *ps, const char *topic, const char *json)
{
    if (ps == NULL || topic == NULL) return 0;
    if (json == NULL) json = "null";
    size_t len = strlen(json);
    ps->published++;
    ps->publishing++;
    unsigned called = 0;
    unsigned count = ps->count; /* registrations made by the callbacks wait for the next event */
    for (unsigned i = 0; i < count; i++) {
        registration *r = &ps->regs[i]; /* re-read each time: a callback may grow the array */
        if (r->fn == NULL || (r->topic != NULL && strcmp(r->topic, topic) != 0)) continue;
        r->fn(r->user, topic, json, len);
        called++;
    }
    ps->publishing--;
    if (ps->publishing == 0 && ps->removed) compact(ps);
    return called;
}

unsigned gg_pubsub_publish_value(gg_pubsub *ps, const char *topic, const gg_val *value)
{
    if (ps == NULL) return 0;
    gg_buf json;
    gg_buf_init(&json);
    gg_val_write_json(&json, value);
    unsigned called = gg_pubsub_publish(ps, topic, json.data ? json.data : "null");
    gg_buf_free(&json);
    return called;
}

unsigned long gg_pubsub_published(const gg_pubsub *ps)
{
    return ps ? ps->published : 0;
}
