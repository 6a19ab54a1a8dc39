/* value.c: constructors, lookup and JSON output for gg_val; see value.h. */
#include "value.h"

#include <stdint.h>
#include <string.h>

gg_val gg_val_null_value = {.kind = GG_VAL_NULL};
gg_val gg_val_undefined_value = {.kind = GG_VAL_UNDEFINED};
gg_val gg_val_true_value = {.kind = GG_VAL_BOOL, .b = true};
gg_val gg_val_false_value = {.kind = GG_VAL_BOOL, .b = false};

gg_val *gg_val_new(gg_arena *arena, gg_val_kind kind)
{
    gg_val *v = gg_arena_alloc(arena, sizeof *v);
    v->kind = kind;
    return v;
}

gg_val *gg_val_int(gg_arena *arena, int64_t i)
{
    gg_val *v = gg_val_new(arena, GG_VAL_INT);
    v->i = i;
    return v;
}

gg_val *gg_val_float(gg_arena *arena, double f)
{
    gg_val *v = gg_val_new(arena, GG_VAL_FLOAT);
    v->f = f;
    return v;
}

gg_val *gg_val_bool(bool b)
{
    return b ? &gg_val_true_value : &gg_val_false_value;
}

gg_val *gg_val_string(gg_arena *arena, const char *s, size_t len)
{
    gg_val *v = gg_val_new(arena, GG_VAL_STRING);
    v->s = gg_arena_strndup(arena, s, len);
    v->len = len;
    return v;
}

gg_val *gg_val_enum(gg_arena *arena, const char *name)
{
    gg_val *v = gg_val_new(arena, GG_VAL_ENUM);
    v->s = name;
    v->len = strlen(name);
    return v;
}

gg_val *gg_val_list(gg_arena *arena, unsigned capacity)
{
    gg_val *v = gg_val_new(arena, GG_VAL_LIST);
    v->items = capacity ? gg_arena_array(arena, capacity, sizeof(gg_val *)) : NULL;
    v->len = capacity; /* capacity is kept in len for containers */
    return v;
}

gg_val *gg_val_object(gg_arena *arena, unsigned capacity)
{
    gg_val *v = gg_val_new(arena, GG_VAL_OBJECT);
    v->members = capacity ? gg_arena_array(arena, capacity, sizeof(gg_val_member)) : NULL;
    v->len = capacity;
    return v;
}

void gg_val_list_push(gg_arena *arena, gg_val *list, gg_val *item)
{
    if (list->count == list->len) {
        size_t cap = list->len ? list->len * 2 : 4;
        list->items = gg_arena_grow(arena, list->items, list->count, cap, sizeof(gg_val *));
        list->len = cap;
    }
    list->items[list->count++] = item;
}

void gg_val_object_set(gg_arena *arena, gg_val *object, const char *key, gg_val *value)
{
    for (unsigned i = 0; i < object->count; i++) {
        if (strcmp(object->members[i].key, key) == 0) {
            object->members[i].value = value;
            return;
        }
    }
    if (object->count == object->len) {
        size_t cap = object->len ? object->len * 2 : 4;
        object->members = gg_arena_grow(arena, object->members, object->count, cap, sizeof(gg_val_member));
        object->len = cap;
    }
    object->members[object->count].key = key;
    object->members[object->count].value = value;
    object->count++;
}

gg_val *gg_val_object_get(const gg_val *object, const char *key)
{
    if (object == NULL || object->kind != GG_VAL_OBJECT) return NULL;
    for (unsigned i = 0; i < object->count; i++) {
        if (strcmp(object->members[i].key, key) == 0) return object->members[i].value;
    }
    return NULL;
}

bool gg_val_is_null(const gg_val *v)
{
    return v == NULL || v->kind == GG_VAL_NULL;
}

/* A writer of one value. The keys of an answer repeat (every row of a list has the same keys, at
 * the same addresses: the executor's response names), so it remembers, by address, keys that
 * needed no escaping and their length, and writes them again with one copy. */
typedef struct json_writer {
    gg_buf *out;
    struct {
        const char *key;
        size_t len;
    } keys[32];
} json_writer;

static void write_key(json_writer *w, const char *key)
{
    uintptr_t address = (uintptr_t)key;
    unsigned slot = (unsigned)((address >> 4) ^ address) & 31;
    gg_buf *out = w->out;
    if (w->keys[slot].key == key) {
        size_t len = w->keys[slot].len;
        gg_buf_reserve(out, len + 3);
        char *p = out->data + out->len;
        p[0] = '"';
        memcpy(p + 1, key, len);
        p[len + 1] = '"';
        p[len + 2] = ':';
        p[len + 3] = '\0';
        out->len += len + 3;
        return;
    }
    size_t len = strlen(key), before = out->len;
    gg_json_write_string(out, key, len);
    gg_buf_putc(out, ':');
    if (out->len - before == len + 3) { /* nothing escaped */
        w->keys[slot].key = key;
        w->keys[slot].len = len;
    }
}

static void write_value(json_writer *w, const gg_val *v)
{
    gg_buf *out = w->out;
    if (v == NULL) {
        gg_buf_append(out, "null", 4);
        return;
    }
    switch (v->kind) {
    case GG_VAL_UNDEFINED:
    case GG_VAL_NULL:
        gg_buf_append(out, "null", 4);
        break;
    case GG_VAL_BOOL:
        gg_buf_puts(out, v->b ? "true" : "false");
        break;
    case GG_VAL_INT:
        gg_json_write_int(out, v->i);
        break;
    case GG_VAL_FLOAT:
        gg_json_write_double(out, v->f);
        break;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        gg_json_write_string(out, v->s, v->len);
        break;
    case GG_VAL_RAW:
        gg_buf_append(out, v->s, v->len);
        break;
    case GG_VAL_LIST:
        gg_buf_putc(out, '[');
        for (unsigned i = 0; i < v->count; i++) {
            if (i) gg_buf_putc(out, ',');
            write_value(w, v->items[i]);
        }
        gg_buf_putc(out, ']');
        break;
    case GG_VAL_OBJECT:
        gg_buf_putc(out, '{');
        for (unsigned i = 0; i < v->count; i++) {
            if (i) gg_buf_putc(out, ',');
            write_key(w, v->members[i].key);
            write_value(w, v->members[i].value);
        }
        gg_buf_putc(out, '}');
        break;
    }
}

void gg_val_write_json(gg_buf *out, const gg_val *v)
{
    json_writer w;
    w.out = out;
    if (v != NULL && (v->kind == GG_VAL_LIST || v->kind == GG_VAL_OBJECT)) /* a leaf writes no key */
        memset(w.keys, 0, sizeof w.keys);
    write_value(&w, v);
}

bool gg_val_equal(const gg_val *a, const gg_val *b)
{
    if (gg_val_is_null(a) || gg_val_is_null(b)) return gg_val_is_null(a) && gg_val_is_null(b);
    if (a->kind != b->kind) {
        if (a->kind == GG_VAL_INT && b->kind == GG_VAL_FLOAT) return (double)a->i == b->f;
        if (a->kind == GG_VAL_FLOAT && b->kind == GG_VAL_INT) return a->f == (double)b->i;
        return false;
    }
    switch (a->kind) {
    case GG_VAL_UNDEFINED:
    case GG_VAL_NULL:
        return true;
    case GG_VAL_BOOL:
        return a->b == b->b;
    case GG_VAL_INT:
        return a->i == b->i;
    case GG_VAL_FLOAT:
        return a->f == b->f;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
    case GG_VAL_RAW:
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    case GG_VAL_LIST:
        if (a->count != b->count) return false;
        for (unsigned i = 0; i < a->count; i++)
            if (!gg_val_equal(a->items[i], b->items[i])) return false;
        return true;
    case GG_VAL_OBJECT:
        if (a->count != b->count) return false;
        for (unsigned i = 0; i < a->count; i++)
            if (!gg_val_equal(a->members[i].value, gg_val_object_get(b, a->members[i].key))) return false;
        return true;
    }
    return false;
}
