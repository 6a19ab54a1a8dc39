/* Tests server/realtime/pubsub.c: topic matching, order, unsubscribing (also from a callback),
 * subscriptions made during a publish, the NULL pubsub, and publishing a value as its JSON text. */
#include "realtime/pubsub.h"

#include <stdio.h>
#include <string.h>

#include "test.h"

typedef struct log {
    char text[512];
    gg_pubsub *ps;
    unsigned remove_id; /* a registration to remove from inside the callback */
} log;

static void record(void *user, const char *topic, const char *json, size_t len)
{
    log *l = user;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "[%s %.*s]", topic, (int)len, json);
    if (l->remove_id) {
        gg_pubsub_unsubscribe(l->ps, l->remove_id);
        l->remove_id = 0;
    }
}

static void test_topics_and_order(void)
{
    gg_pubsub *ps = gg_pubsub_create();
    log a = {0}, b = {0}, all = {0};
    CHECK(gg_pubsub_subscribe(ps, "createPost", record, &a) > 0);
    gg_pubsub_subscribe(ps, "deletePost", record, &b);
    gg_pubsub_subscribe(ps, NULL, record, &all);
    CHECK_INT(gg_pubsub_publish(ps, "createPost", "{\"id\":\"1\"}"), 2);
    CHECK_INT(gg_pubsub_publish(ps, "updatePost", "{}"), 1);
    CHECK_STR(a.text, "[createPost {\"id\":\"1\"}]");
    CHECK_STR(b.text, "");
    CHECK_STR(all.text, "[createPost {\"id\":\"1\"}][updatePost {}]");
    CHECK_INT(gg_pubsub_published(ps), 2);
    gg_pubsub_destroy(ps);
}

static void test_unsubscribe(void)
{
    gg_pubsub *ps = gg_pubsub_create();
    log a = {0}, b = {0};
    unsigned ida = gg_pubsub_subscribe(ps, "x", record, &a);
    unsigned idb = gg_pubsub_subscribe(ps, "x", record, &b);
    /* a removes b during the event: b is not called for it, nor afterwards */
    a.ps = ps;
    a.remove_id = idb;
    CHECK_INT(gg_pubsub_publish(ps, "x", "1"), 1);
    CHECK_INT(gg_pubsub_publish(ps, "x", "2"), 1);
    CHECK_STR(a.text, "[x 1][x 2]");
    CHECK_STR(b.text, "");
    gg_pubsub_unsubscribe(ps, ida);
    gg_pubsub_unsubscribe(ps, ida); /* twice, and unknown ids: nothing */
    gg_pubsub_unsubscribe(ps, 999);
    CHECK_INT(gg_pubsub_publish(ps, "x", "3"), 0);
    CHECK_STR(a.text, "[x 1][x 2]");
    gg_pubsub_destroy(ps);
}

typedef struct adder {
    gg_pubsub *ps;
    log *late;
    int added;
} adder;

static void add_late(void *user, const char *topic, const char *json, size_t len)
{
    adder *ad = user;
    if (!ad->added++) gg_pubsub_subscribe(ad->ps, NULL, record, ad->late);
}

static void test_subscribe_during_publish(void)
{
    gg_pubsub *ps = gg_pubsub_create();
    log late = {0};
    adder ad = {ps, &late, 0};
    gg_pubsub_subscribe(ps, NULL, add_late, &ad);
    for (int i = 0; i < 20; i++) /* enough registrations to make the array grow during the publish */
        gg_pubsub_subscribe(ps, "other", record, &late);
    gg_pubsub_publish(ps, "t", "1");
    CHECK_STR(late.text, "");
    gg_pubsub_publish(ps, "t", "2");
    CHECK_STR(late.text, "[t 2]");
    gg_pubsub_destroy(ps);
}

static void test_null_pubsub(void)
{
    CHECK_INT(gg_pubsub_publish(NULL, "x", "1"), 0);
    CHECK_INT(gg_pubsub_subscribe(NULL, "x", record, NULL), 0);
    gg_pubsub_unsubscribe(NULL, 1);
    gg_pubsub_destroy(NULL);
    CHECK_INT(gg_pubsub_published(NULL), 0);
}

/* A mutation's result goes out as its JSON text under the field's name. */
static void test_publish_value(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *post = gg_val_object(&arena, 2);
    gg_val_object_set(&arena, post, "id", gg_val_string(&arena, "p\"1", 3));
    gg_val_object_set(&arena, post, "rating", gg_val_int(&arena, 4));
    gg_pubsub *ps = gg_pubsub_create();
    log l = {0};
    gg_pubsub_subscribe(ps, "createPost", record, &l);
    CHECK_INT(gg_pubsub_publish_value(ps, "createPost", post), 1);
    CHECK_INT(gg_pubsub_publish_value(ps, "createPost", &gg_val_null_value), 1);
    CHECK_STR(l.text, "[createPost {\"id\":\"p\\\"1\",\"rating\":4}][createPost null]");
    CHECK_INT(gg_pubsub_publish_value(NULL, "createPost", post), 0);
    CHECK_INT(gg_pubsub_published(ps), 2);
    gg_pubsub_destroy(ps);
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_topics_and_order);
    RUN(test_unsubscribe);
    RUN(test_subscribe_during_publish);
    RUN(test_null_pubsub);
    RUN(test_publish_value);
    return test_summary();
}
