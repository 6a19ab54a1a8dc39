/* index.c: a hub's subscriptions by mutation name (topic), and inside a topic by the value of one
 * equality filter, so that an event does not scan every subscriber of the field.
 *
 * A subscription with an equality it must pass (a classic argument with a scalar value, or a
 * top-level `field: {eq: scalar}` of the v2 filter, ANDed with the rest) goes into the bucket
 * keyed by that field and value; the others stay in the topic's plain list. An event visits the
 * plain list and, for each field some bucket is keyed by, the one bucket of the event's value of
 * that field. The visited subscriptions still pass all their filters (filter.h) before delivery:
 * the index only narrows. Keys are "<field>\0<kind><value>": s for text (strings and enums alike),
 * n for numbers (as a double, so 1 and 1.0 meet), b for booleans. Topics are few (the schema's
 * mutation names): an array searched linearly; buckets are a hash map per topic, freed when empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct gg_rt_bucket {
    char *key;
    size_t len;
    h2o_linklist_t subs; /* gg_rt_sub_link */
};

gg_rt_topic *gg_rt_index_topic(gg_rt_hub *hub, const char *name)
{
    for (unsigned i = 0; i < hub->topic_count; i++)
        if (strcmp(hub->topics[i]->name, name) == 0) return hub->topics[i];
    return NULL;
}

static gg_rt_topic *topic_new(gg_rt_hub *hub, const char *name)
{
    if (hub->topic_count == hub->topic_cap) {
        hub->topic_cap = hub->topic_cap ? hub->topic_cap * 2 : 8;
        hub->topics = realloc(hub->topics, hub->topic_cap * sizeof *hub->topics);
        if (hub->topics == NULL) abort();
    }
    gg_rt_topic *t = calloc(1, sizeof *t);
    if (t == NULL || (t->name = strdup(name)) == NULL) abort();
    h2o_linklist_init_anchor(&t->subs);
    gg_strmap_init(&t->buckets, NULL);
    hub->topics[hub->topic_count++] = t;
    return t;
}

/* The key of field = v into key; false when v is not an indexable scalar. */
static bool key_of(gg_buf *key, const char *field, const gg_val *v)
{
    if (v == NULL) return false;
    gg_buf_append(key, field, strlen(field) + 1); /* with its NUL */
    switch (v->kind) {
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        gg_buf_putc(key, 's');
        gg_buf_append(key, v->s, v->kind == GG_VAL_STRING ? v->len : strlen(v->s));
        return true;
    case GG_VAL_INT:
    case GG_VAL_FLOAT:
        gg_buf_printf(key, "n%.17g", v->kind == GG_VAL_INT ? (double)v->i : v->f);
        return true;
    case GG_VAL_BOOL:
        gg_buf_putc(key, v->b ? 't' : 'f');
        return true;
    default:
        return false;
    }
}

/* Whether field compares without case for sub (filter.h): its values have no one key. */
static bool caseless(const gg_rt_sub *sub, const char *field)
{
    for (const char **f = sub->caseless; f != NULL && *f != NULL; f++)
        if (strcmp(*f, field) == 0) return true;
    return false;
}

/* The equality sub must pass that the index can use: its key into key; false when none (a field
 * that compares without case is not used: "Ann" and "ann" would be two buckets). */
static bool index_key(const gg_rt_sub *sub, gg_buf *key)
{
    const gg_val *args = sub->args;
    for (unsigned i = 0; args != NULL && args->kind == GG_VAL_OBJECT && i < args->count; i++) {
        if (strcmp(args->members[i].key, "filter") == 0 || caseless(sub, args->members[i].key)) continue;
        key->len = 0;
        if (key_of(key, args->members[i].key, args->members[i].value)) return true;
    }
    const gg_val *f = sub->filter;
    for (unsigned i = 0; f != NULL && f->kind == GG_VAL_OBJECT && i < f->count; i++) {
        const char *field = f->members[i].key;
        const gg_val *condition = f->members[i].value;
        if (strcmp(field, "and") == 0 || strcmp(field, "or") == 0 || caseless(sub, field)) continue;
        key->len = 0;
        if (condition != NULL && condition->kind == GG_VAL_OBJECT &&
            key_of(key, field, gg_val_object_get(condition, "eq")))
            return true;
    }
    return false;
}

void gg_rt_index_add(gg_rt_hub *hub, const char *topic_name, gg_rt_sub_link *link)
{
    gg_rt_topic *t = gg_rt_index_topic(hub, topic_name);
    if (t == NULL) t = topic_new(hub, topic_name);
    link->topic = t;
    link->bucket = NULL;
    gg_buf key;
    gg_buf_init(&key);
    if (!index_key(link->sub, &key)) {
        h2o_linklist_insert(&t->subs, &link->link);
        gg_buf_free(&key);
        return;
    }
    gg_rt_bucket *b = gg_strmap_get(&t->buckets, key.data, key.len);
    if (b == NULL) {
        b = calloc(1, sizeof *b);
        if (b == NULL) abort();
        b->len = key.len;
        b->key = gg_buf_take(&key, &b->len);
        h2o_linklist_init_anchor(&b->subs);
        gg_strmap_put(&t->buckets, b->key, b->len, b);
        const char *field = b->key; /* up to its NUL */
        bool known = false;
        for (unsigned i = 0; i < t->field_count && !known; i++)
            known = strcmp(t->fields[i], field) == 0;
        if (!known) {
            t->fields = realloc(t->fields, (t->field_count + 1) * sizeof *t->fields);
            if (t->fields == NULL || (t->fields[t->field_count] = strdup(field)) == NULL) abort();
            t->field_count++;
        }
    }
    gg_buf_free(&key);
    link->bucket = b;
    h2o_linklist_insert(&b->subs, &link->link);
}

static void bucket_free(gg_rt_bucket *b)
{
    free(b->key);
    free(b);
}

void gg_rt_index_remove(gg_rt_sub_link *link)
{
    if (!h2o_linklist_is_linked(&link->link)) return;
    h2o_linklist_unlink(&link->link);
    gg_rt_bucket *b = link->bucket;
    if (b != NULL && h2o_linklist_is_empty(&b->subs)) {
        gg_strmap_remove(&link->topic->buckets, b->key, b->len);
        bucket_free(b);
    }
    link->bucket = NULL;
}

static void visit(h2o_linklist_t *anchor, gg_rt_visit_fn fn, void *user)
{
    for (h2o_linklist_t *l = anchor->next; l != anchor; l = l->next)
        fn(H2O_STRUCT_FROM_MEMBER(gg_rt_sub_link, link, l)->sub, user);
}

bool gg_rt_index_visit(gg_rt_hub *hub, const char *topic_name, const gg_val *event, gg_rt_visit_fn fn, void *user)
{
    gg_rt_topic *t = gg_rt_index_topic(hub, topic_name);
    if (t == NULL) return false;
    visit(&t->subs, fn, user);
    gg_buf key;
    gg_buf_init(&key);
    for (unsigned i = 0; i < t->field_count; i++) {
        key.len = 0;
        if (!key_of(&key, t->fields[i], gg_val_object_get(event, t->fields[i]))) continue;
        gg_rt_bucket *b = gg_strmap_get(&t->buckets, key.data, key.len);
        if (b != NULL) visit(&b->subs, fn, user);
    }
    gg_buf_free(&key);
    return true;
}

bool gg_rt_index_has(gg_rt_hub *hub, const char *topic_name)
{
    gg_rt_topic *t = gg_rt_index_topic(hub, topic_name);
    return t != NULL && (!h2o_linklist_is_empty(&t->subs) || t->buckets.count > 0);
}

void gg_rt_index_free(gg_rt_hub *hub)
{
    for (unsigned i = 0; i < hub->topic_count; i++) {
        gg_rt_topic *t = hub->topics[i];
        for (gg_rt_bucket *b; (b = gg_strmap_remove_oldest(&t->buckets)) != NULL;)
            bucket_free(b);
        gg_strmap_free(&t->buckets);
        for (unsigned k = 0; k < t->field_count; k++)
            free(t->fields[k]);
        free(t->fields);
        free(t->name);
        free(t);
    }
    free(hub->topics);
    hub->topics = NULL;
    hub->topic_count = hub->topic_cap = 0;
}
