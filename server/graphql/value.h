/* value.h: runtime values: variables, coerced arguments, resolver results.
 *
 * A gg_val is a JSON-like tree allocated in a request arena. Objects keep their keys in order
 * (response order matters, and variables are small). INT holds any integer that fits int64_t;
 * GraphQL's 32-bit Int range is checked by the scalar, not here. ENUM is a string that names an
 * enum value (an internal enum value after coercion). RAW holds JSON text that is already
 * serialised (for example json built by PostgreSQL) and is copied to the response verbatim.
 * ROW is an object a data source left as its text (a planned PostgreSQL row, plan_rows.c): its
 * members are the cells of `row`, named by row->shape, so that the executor writes the plain fields
 * of a row straight from that text into the answer (no value per member); whatever else reads it
 * first turns it into an OBJECT with gg_val_row_object.
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
    GG_VAL_ROW,
} gg_val_kind;

typedef struct gg_val gg_val;
typedef struct gg_val_member {
    const char *key; /* NUL-terminated */
    gg_val *value;
} gg_val_member;

/* How a ROW cell's text reads: a string as it is, a decimal integer ("-?[0-9]+"), a boolean
 * ("t"/"f" or "true"/"false": the first byte tells), or only through the shape's `value`. SHOWN is
 * a string already in the output form of its field's scalar, which that scalar's serialize would
 * return as it is (a date the source wrote in AppSync's form for an AWSDateTime field): the
 * executor writes it without calling serialize (but on its general way, after another field of the
 * row failed), so a source marks a cell SHOWN only for a field whose scalar it knows accepts every
 * text the cell holds, and builds a row whose text it cannot vouch for as an object instead
 * (plan_rows.c). Read as a value, SHOWN is a string. */
typedef enum gg_val_text {
    GG_VAL_TEXT_STRING,
    GG_VAL_TEXT_INT,
    GG_VAL_TEXT_BOOL,
    GG_VAL_TEXT_OTHER,
    GG_VAL_TEXT_SHOWN,
} gg_val_text;

/* The members of the rows of one source (shared by its rows): names (NUL-terminated; the
 * executor matches them by pointer first) and how each cell's text reads; `value` makes the value
 * of an OTHER cell, or of an INT cell whose integer does not fit int64, from its text. */
typedef struct gg_val_row_shape gg_val_row_shape;
struct gg_val_row_shape {
    unsigned count;
    const char **names;
    const gg_val_text *texts;
    gg_val *(*value)(gg_arena *arena, const gg_val_row_shape *shape, unsigned cell, const char *text, size_t len);
    const void *source; /* the source's own (plan_rows.c: its node) */
};

typedef struct gg_val_cell {
    const char *text; /* NUL-terminated, len bytes; NULL for a null */
    size_t len;
} gg_val_cell;

typedef struct gg_val_row {
    const gg_val_row_shape *shape;
    gg_val_cell cells[]; /* shape->count */
} gg_val_row;

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
    const gg_val_row *row;  /* ROW */
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
/* The value of cell i of a ROW value, in the arena (a string shares the cell's text). */
gg_val *gg_val_row_cell(gg_arena *arena, const gg_val *row, unsigned i);
/* A ROW value as the OBJECT it stands for (any other value as it is). */
const gg_val *gg_val_row_object(gg_arena *arena, const gg_val *v);
/* The value of a decimal integer's text ("-?[0-9]+" of at most 18 digits, which no int64
 * overflows); false for anything else. */
bool gg_val_int_of_text(const char *text, size_t len, int64_t *out);

/* Object keys written once: an answer repeats its keys (every row of a list has the same ones,
 * at the same addresses: the executor's response names), so a writer remembers, by address, the
 * keys that needed no escaping and writes them again with one copy. Zero it before use. */
#define GG_JSON_KEY_SLOTS 64
typedef struct gg_json_keys {
    struct {
        const char *key;
        size_t len;    /* of "key": */
        char json[24]; /* "key": when it fits (len < 24), copied whole with a fixed size (no call) */
    } slots[GG_JSON_KEY_SLOTS];
} gg_json_keys;
/* Writes "key": (the key as a JSON string and its colon). */
void gg_json_write_key(gg_buf *out, gg_json_keys *keys, const char *key);

/* Deep structural equality (for tests and default-value comparison). */
bool gg_val_equal(const gg_val *a, const gg_val *b);

#endif
