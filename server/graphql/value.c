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

bool gg_val_int_of_text(const char *text, size_t len, int64_t *out)
{
    size_t i = len > 0 && text[0] == '-';
    if (len == i || len - i > 18) return false;
    int64_t v = 0;
    for (; i < len; i++) {
        unsigned digit = (unsigned)(unsigned char)text[i] - '0';
        if (digit > 9) return false;
        v = v * 10 + (int64_t)digit;
    }
    *out = text[0] == '-' ? -v : v;
    return true;
}

gg_val *gg_val_row_cell(gg_arena *arena, const gg_val *row, unsigned i)
{
    const gg_val_row_shape *shape = row->row->shape;
    const gg_val_cell *cell = &row->row->cells[i];
    if (cell->text == NULL) return &gg_val_null_value;
    switch (shape->texts[i]) {
    case GG_VAL_TEXT_STRING:
    case GG_VAL_TEXT_SHOWN: {
        gg_val *v = gg_val_new(arena, GG_VAL_STRING);
        v->s = cell->text;
        v->len = cell->len;
        return v;
    }
    case GG_VAL_TEXT_INT: {
        int64_t number = 0;
        if (gg_val_int_of_text(cell->text, cell->len, &number)) return gg_val_int(arena, number);
        break;
    }
    case GG_VAL_TEXT_BOOL:
        return gg_val_bool(cell->text[0] == 't');
    case GG_VAL_TEXT_OTHER:
        break;
    }
    return shape->value(arena, shape, i, cell->text, cell->len);
}

const gg_val *gg_val_row_object(gg_arena *arena, const gg_val *v)
{
    if (v == NULL || v->kind != GG_VAL_ROW) return v;
    unsigned count = v->row->shape->count;
    gg_val *object = gg_val_object(arena, count);
    for (unsigned i = 0; i < count; i++)
        object->members[i] = (gg_val_member){v->row->shape->names[i], gg_val_row_cell(arena, v, i)};
    object->count = count;
    return object;
}

void gg_json_write_key(gg_buf *out, gg_json_keys *keys, const char *key)
{
    /* open addressing by the key's address (Fibonacci hashing), a few probes: the keys of one
     * answer are few (a row's fields), so they all fit and stay */
    uint64_t address = (uint64_t)(uintptr_t)key;
    unsigned slot = (unsigned)((address * 0x9E3779B97F4A7C15u) >> 58), free_slot = GG_JSON_KEY_SLOTS;
    for (unsigned probe = 0; probe < 4; probe++, slot = (slot + 1) & (GG_JSON_KEY_SLOTS - 1)) {
        if (keys->slots[slot].key == key) {
            size_t len = keys->slots[slot].len;
            if (len < sizeof keys->slots[slot].json) {
                if (out->cap - out->len <= sizeof keys->slots[slot].json)
                    gg_buf_reserve(out, sizeof keys->slots[slot].json);
                memcpy(out->data + out->len, keys->slots[slot].json,
                       sizeof keys->slots[slot].json); /* a fixed size: inlined */
                out->len += len;
                out->data[out->len] = '\0';
                return;
            }
            if (out->cap - out->len <= len) gg_buf_reserve(out, len);
            char *p = out->data + out->len;
            p[0] = '"';
            memcpy(p + 1, key, len - 3);
            p[len - 2] = '"';
            p[len - 1] = ':';
            p[len] = '\0';
            out->len += len;
            return;
        }
        if (keys->slots[slot].key == NULL) {
            free_slot = slot;
            break;
        }
    }
    size_t len = strlen(key), before = out->len;
    gg_json_write_string(out, key, len);
    gg_buf_putc(out, ':');
    if (out->len - before == len + 3 && free_slot < GG_JSON_KEY_SLOTS) { /* nothing escaped, and room */
        keys->slots[free_slot].key = key;
        keys->slots[free_slot].len = len + 3;
        if (len + 3 < sizeof keys->slots[free_slot].json)
            memcpy(keys->slots[free_slot].json, out->data + before, len + 3);
    }
}

/* A writer of one value, with the keys it wrote once (gg_json_keys). */
typedef struct json_writer {
    gg_buf *out;
    gg_json_keys keys;
} json_writer;

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
            gg_json_write_key(out, &w->keys, v->members[i].key);
            write_value(w, v->members[i].value);
        }
        gg_buf_putc(out, '}');
        break;
    case GG_VAL_ROW: { /* the executor never leaves one in an answer: values of the rest kept briefly */
        gg_arena arena;
        gg_arena_init(&arena);
        write_value(w, gg_val_row_object(&arena, v));
        gg_arena_free(&arena);
        break;
    }
    }
}

void gg_val_write_json(gg_buf *out, const gg_val *v)
{
    json_writer w;
    w.out = out;
    if (v != NULL &&
        (v->kind == GG_VAL_LIST || v->kind == GG_VAL_OBJECT || v->kind == GG_VAL_ROW)) /* a leaf writes no key */
        memset(&w.keys, 0, sizeof w.keys);
    write_value(&w, v);
}

bool gg_val_equal(const gg_val *a, const gg_val *b)
{
    if (gg_val_is_null(a) || gg_val_is_null(b)) return gg_val_is_null(a) && gg_val_is_null(b);
    if (a->kind == GG_VAL_ROW || b->kind == GG_VAL_ROW) { /* compared as the objects they stand for */
        gg_arena arena;
        gg_arena_init(&arena);
        bool equal = gg_val_equal(gg_val_row_object(&arena, a), gg_val_row_object(&arena, b));
        gg_arena_free(&arena);
        return equal;
    }
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
    case GG_VAL_ROW:
        break;
    }
    return false;
}
