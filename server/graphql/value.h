/* value.h: runtime values: variables, coerced arguments, resolver results.
 *
 * A gg_val is a JSON-like tree allocated in a request arena. Objects keep their keys in order
 * (response order matters, and variables are small). INT holds any integer that fits int64_t;
 * GraphQL's 32-bit Int range is checked by the scalar, not here. ENUM is a string that names an
 * enum value (an internal enum value after coercion). RAW holds JSON text that is already
 * serialised (for example json built by PostgreSQL) and is copied to the response verbatim.
 * A NULL gg_val pointer and a GG_VAL_NULL value both mean null; UNDEFINED marks "not provided"
 * where the spec tells absent from null (arguments, input object fields). */
#ifndef GG_VALUE_H
#define GG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"

typedef enum gg_val_kind {
    GG_VAL_UNDEFINED,
    GG_VAL_NULL,
    GG_VAL_BOOL,
    GG_VAL_INT,
    GG_VAL_FLOAT,
    GG_VAL_STRING,
    GG_VAL_ENUM,
    GG_VAL_LIST,
    GG_VAL_OBJECT,
    GG_VAL_RAW,
} gg_val_kind;

typedef struct gg_val gg_val;
typedef struct gg_val_member {
    const char *key; /* NUL-terminated */
    gg_val *value;
} gg_val_member;

struct gg_val {
    gg_val_kind kind;
    bool b;
    int64_t i;
    double f;
    const char *s; /* STRING, ENUM, RAW: bytes (NUL-terminated too), with length len */
    size_t len;
    gg_val **items;         /* LIST */
    gg_val_member *members; /* OBJECT */
    unsigned count;         /* items or members */
};

/* Shared immutable values for null, undefined, true and false (never modify them). */
extern gg_val gg_val_null_value, gg_val_undefined_value, gg_val_true_value, gg_val_false_value;

gg_val *gg_val_new(gg_arena *arena, gg_val_kind kind);
gg_val *gg_val_int(gg_arena *arena, int64_t v);
gg_val *gg_val_float(gg_arena *arena, double v);
gg_val *gg_val_bool(bool v);
/* Copies len bytes into the arena. */
gg_val *gg_val_string(gg_arena *arena, const char *s, size_t len);
gg_val *gg_val_enum(gg_arena *arena, const char *name);
/* A list or object with room for `capacity` entries (count starts at 0). */
gg_val *gg_val_list(gg_arena *arena, unsigned capacity);
gg_val *gg_val_object(gg_arena *arena, unsigned capacity);
/* Appends to a list/object created with enough capacity, or grows it in the arena. */
void gg_val_list_push(gg_arena *arena, gg_val *list, gg_val *item);
void gg_val_object_set(gg_arena *arena, gg_val *object, const char *key, gg_val *value);
/* Member lookup (linear; objects are small), NULL when absent or when obj is not an object. */
gg_val *gg_val_object_get(const gg_val *object, const char *key);
/* True for NULL pointers and GG_VAL_NULL. */
bool gg_val_is_null(const gg_val *v);
/* Writes v as JSON (UNDEFINED and NULL as null; ENUM as a string; RAW verbatim). */
void gg_val_write_json(gg_buf *out, const gg_val *v);
/* Deep structural equality (for tests and default-value comparison). */
bool gg_val_equal(const gg_val *a, const gg_val *b);

#endif
