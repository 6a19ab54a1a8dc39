/* scalars.c: Int, Float, String, Boolean and ID exactly as graphql-js v16 coerces them, the
 * defaults of user-declared scalars, and the value printers error messages need.
 *
 * graphql-js works on JavaScript values, so the rules here are phrased in JavaScript terms and
 * mapped onto gg_val: INT and FLOAT are both "number" (a FLOAT with no fraction is an integer),
 * ENUM behaves as a string, RAW (serialised JSON from a data source) is parsed and then treated
 * like the value it holds. Result coercion (serialize) is lenient as in graphql-js (Int from
 * "12", String from true), input coercion (parse_value, parse_literal) is strict. Messages are
 * graphql-js's word for word, with values shown by inspect() (results, variables), reproduced
 * below, or print() (literals), which is the printer's gg_print_value. Output values may share string bytes with the
 * input, and a value already in its output form (a STRING for String and ID, an INT in range for
 * Int) is the output itself: values are never modified once built, and a list of 1,000 rows then
 * allocates nothing per field when it is completed. */
#include "scalars.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../language/printer.h"

#define MAX_INT32 2147483647
#define MIN_INT32 (-2147483647 - 1)

/* ---- graphql-js inspect() ---- */

enum { INSPECT_MAX_ITEMS = 10, INSPECT_MAX_DEPTH = 2 };

static void inspect_write(gg_buf *out, const gg_val *v, int depth);

/* Writes a JavaScript number as String(n) does. */
static void write_js_number(gg_buf *out, double d)
{
    char tmp[40];
    gg_buf_append(out, tmp, gg_format_double(d, tmp));
}

static void inspect_write_list(gg_buf *out, const gg_val *v, int depth)
{
    if (v->count == 0) {
        gg_buf_puts(out, "[]");
        return;
    }
    if (depth > INSPECT_MAX_DEPTH) {
        gg_buf_puts(out, "[Array]");
        return;
    }
    unsigned shown = v->count < INSPECT_MAX_ITEMS ? v->count : INSPECT_MAX_ITEMS;
    gg_buf_putc(out, '[');
    for (unsigned i = 0; i < shown; i++) {
        if (i) gg_buf_puts(out, ", ");
        inspect_write(out, v->items[i], depth + 1);
    }
    unsigned remaining = v->count - shown;
    if (remaining == 1)
        gg_buf_puts(out, ", ... 1 more item");
    else if (remaining > 1)
        gg_buf_printf(out, ", ... %u more items", remaining);
    gg_buf_putc(out, ']');
}

static void inspect_write_object(gg_buf *out, const gg_val *v, int depth)
{
    if (v->count == 0) {
        gg_buf_puts(out, "{}");
        return;
    }
    if (depth > INSPECT_MAX_DEPTH) {
        gg_buf_puts(out, "[Object]");
        return;
    }
    gg_buf_puts(out, "{ ");
    for (unsigned i = 0; i < v->count; i++) {
        if (i) gg_buf_puts(out, ", ");
        gg_buf_puts(out, v->members[i].key);
        gg_buf_puts(out, ": ");
        inspect_write(out, v->members[i].value, depth + 1);
    }
    gg_buf_puts(out, " }");
}

static void inspect_write_raw(gg_buf *out, const gg_val *v, int depth)
{
    gg_arena scratch;
    gg_arena_init(&scratch);
    gg_val *parsed;
    if (gg_scalar_parse_json(&scratch, v->s, v->len, &parsed))
        inspect_write(out, parsed, depth);
    else
        gg_buf_append(out, v->s, v->len);
    gg_arena_free(&scratch);
}

/* depth is graphql-js's seenValues.length once the value itself is counted. */
static void inspect_write(gg_buf *out, const gg_val *v, int depth)
{
    if (v == NULL) {
        gg_buf_puts(out, "null");
        return;
    }
    switch (v->kind) {
    case GG_VAL_UNDEFINED:
        gg_buf_puts(out, "undefined");
        break;
    case GG_VAL_NULL:
        gg_buf_puts(out, "null");
        break;
    case GG_VAL_BOOL:
        gg_buf_puts(out, v->b ? "true" : "false");
        break;
    case GG_VAL_INT:
        gg_json_write_int(out, v->i);
        break;
    case GG_VAL_FLOAT:
        write_js_number(out, v->f);
        break;
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
        gg_json_write_string(out, v->s, v->len);
        break;
    case GG_VAL_LIST:
        inspect_write_list(out, v, depth);
        break;
    case GG_VAL_OBJECT:
        inspect_write_object(out, v, depth);
        break;
    case GG_VAL_RAW:
        inspect_write_raw(out, v, depth);
        break;
    case GG_VAL_ROW: { /* as the object it stands for */
        gg_arena arena;
        gg_arena_init(&arena);
        inspect_write_object(out, gg_val_row_object(&arena, v), depth);
        gg_arena_free(&arena);
        break;
    }
    }
}

static const char *buf_to_arena(gg_arena *arena, gg_buf *b)
{
    const char *s = gg_arena_strndup(arena, b->data ? b->data : "", b->len);
    gg_buf_free(b);
    return s;
}

const char *gg_scalar_inspect(gg_arena *arena, const gg_val *value)
{
    gg_buf b;
    gg_buf_init(&b);
    inspect_write(&b, value, 1);
    return buf_to_arena(arena, &b);
}

/* ---- graphql-js print() of a value literal: the printer's ---- */

const char *gg_scalar_print_literal(gg_arena *arena, const gg_value *value)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_print_value(&b, value);
    return buf_to_arena(arena, &b);
}

/* ---- JavaScript Number(string) ---- */

/* Length of the JavaScript white space or line terminator at s (StrWhiteSpaceChar), or 0. */
static size_t js_space_at(const unsigned char *s, size_t avail)
{
    if (avail >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))) return 1;
    if (avail >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2; /* U+00A0 */
    if (avail < 3) return 0;
    if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) return 3; /* U+1680 */
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;                                               /* U+2000..U+200A, U+2028, U+2029, U+202F */
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) return 3; /* U+205F */
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3; /* U+3000 */
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return 3; /* U+FEFF */
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 0x.., 0o.., 0b..: at least one digit of the base, nothing else. */
static bool parse_prefixed_integer(const char *s, size_t len, int base, double *out)
{
    if (len == 0) return false;
    double value = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int d = is_digit(c)              ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : 99;
        if (d >= base) return false;
        value = value * base + d;
    }
    *out = value;
    return true;
}

/* StrUnsignedDecimalLiteral: Infinity | digits [. digits] [exp] | . digits [exp]. */
static bool is_decimal_literal(const char *s, size_t len)
{
    size_t i = 0, int_digits = 0, frac_digits = 0;
    while (i < len && is_digit(s[i]))
        i++, int_digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i]))
            i++, frac_digits++;
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t exp_digits = 0;
        while (i < len && is_digit(s[i]))
            i++, exp_digits++;
        if (exp_digits == 0) return false;
    }
    return i == len;
}

bool gg_js_string_to_number(const char *str, size_t len, double *out)
{
    const unsigned char *u = (const unsigned char *)str;
    size_t start = 0, end = len, n;
    while (start < end && (n = js_space_at(u + start, end - start)) > 0)
        start += n;
    /* trailing space: scan forward for the last non-space character */
    size_t last = start;
    for (size_t i = start; i < end;) {
        n = js_space_at(u + i, end - i);
        if (n == 0) {
            i++;
            last = i;
        } else {
            i += n;
        }
    }
    end = last;
    const char *s = str + start;
    size_t slen = end - start;
    if (slen == 0) {
        *out = 0;
        return true;
    }
    if (slen > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return parse_prefixed_integer(s + 2, slen - 2, 16, out);
    if (slen > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) return parse_prefixed_integer(s + 2, slen - 2, 8, out);
    if (slen > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) return parse_prefixed_integer(s + 2, slen - 2, 2, out);
    bool negative = s[0] == '-';
    size_t sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (slen - sign == 8 && memcmp(s + sign, "Infinity", 8) == 0) {
        *out = negative ? -INFINITY : INFINITY;
        return true;
    }
    if (!is_decimal_literal(s + sign, slen - sign)) return false;
    char *copy = malloc(slen + 1);
    if (copy == NULL) abort();
    memcpy(copy, s, slen);
    copy[slen] = '\0';
    *out = strtod(copy, NULL); /* same grammar; overflow gives ±HUGE_VAL = ±Infinity, as in JS */
    free(copy);
    return true;
}

/* ---- JSON text to gg_val (JSON.parse) ---- */

static gg_val *val_from_cjson(gg_arena *arena, const cJSON *j)
{
    if (cJSON_IsNull(j)) return &gg_val_null_value;
    if (cJSON_IsBool(j)) return gg_val_bool(cJSON_IsTrue(j));
    if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0 && !(d == 0 && signbit(d)))
            return gg_val_int(arena, (int64_t)d);
        return gg_val_float(arena, d);
    }
    if (cJSON_IsString(j)) return gg_val_string(arena, j->valuestring, strlen(j->valuestring));
    if (cJSON_IsArray(j)) {
        gg_val *list = gg_val_list(arena, (unsigned)cJSON_GetArraySize(j));
        for (const cJSON *item = j->child; item != NULL; item = item->next)
            gg_val_list_push(arena, list, val_from_cjson(arena, item));
        return list;
    }
    gg_val *object = gg_val_object(arena, (unsigned)cJSON_GetArraySize(j));
    for (const cJSON *item = j->child; item != NULL; item = item->next) /* duplicate keys: last wins */
        gg_val_object_set(arena, object, gg_arena_strdup(arena, item->string), val_from_cjson(arena, item));
    return object;
}

bool gg_scalar_parse_json(gg_arena *arena, const char *text, size_t len, gg_val **out)
{
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (json == NULL) return false;
    /* cJSON stops after the first value: only white space may follow it */
    for (const char *p = end; p < text + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(json);
            return false;
        }
    }
    *out = val_from_cjson(arena, json);
    cJSON_Delete(json);
    return true;
}

/* ---- helpers shared by the scalars ---- */

static bool fail(gg_arena *arena, gg_fault *fault, const char *prefix, const char *shown)
{
    return gg_fault_set_text(fault, NULL, gg_arena_printf(arena, "%s%s", prefix, shown));
}

/* graphql-js serializeObject: for us, RAW JSON text becomes the value it holds. */
static const gg_val *unwrap_raw(gg_arena *arena, const gg_val *v)
{
    gg_val *parsed;
    if (v != NULL && v->kind == GG_VAL_RAW && gg_scalar_parse_json(arena, v->s, v->len, &parsed)) return parsed;
    return v;
}

static bool is_string_like(const gg_val *v)
{
    return v != NULL && (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM);
}

static bool is_number(const gg_val *v, double *d)
{
    if (v == NULL) return false;
    if (v->kind == GG_VAL_INT)
        *d = (double)v->i;
    else if (v->kind == GG_VAL_FLOAT)
        *d = v->f;
    else
        return false;
    return true;
}

/* Number.isInteger(v) for a number value. */
static bool is_integer(const gg_val *v)
{
    return v->kind == GG_VAL_INT || (isfinite(v->f) && floor(v->f) == v->f);
}

static gg_val *string_result(gg_arena *arena, const char *s, size_t len)
{
    gg_val *v = gg_val_new(arena, GG_VAL_STRING);
    v->s = s;
    v->len = len;
    return v;
}

/* String(n) for a number value, as a STRING value. */
static gg_val *number_to_string(gg_arena *arena, const gg_val *v)
{
    if (v->kind == GG_VAL_INT) {
        char *s = gg_arena_printf(arena, "%lld", (long long)v->i);
        return string_result(arena, s, strlen(s));
    }
    char tmp[40];
    size_t n = gg_format_double(v->f, tmp);
    return gg_val_string(arena, tmp, n);
}

/* The text of an INT or FLOAT literal, NUL-terminated for strtoll/strtod. */
static const char *literal_text(gg_arena *arena, const gg_value *v)
{
    return gg_arena_strndup(arena, v->text, v->len);
}

/* ---- Int ---- */

/* The common end of Int serialize and parseValue, for an integer-valued number. */
static bool int_in_range(const gg_val *v, double num, gg_arena *arena, gg_val **out)
{
    if (num > MAX_INT32 || num < MIN_INT32) return false;
    *out = gg_val_int(arena, v->kind == GG_VAL_INT ? v->i : (int64_t)num);
    return true;
}

static bool int_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (in != NULL && in->kind == GG_VAL_INT && in->i <= MAX_INT32 && in->i >= MIN_INT32) {
        *out = (gg_val *)in; /* already its output form: shared, not copied (see the file's comment) */
        return true;
    }
    const gg_val *v = unwrap_raw(arena, in);
    if (v != NULL && v->kind == GG_VAL_BOOL) {
        *out = gg_val_int(arena, v->b ? 1 : 0);
        return true;
    }
    double num = NAN;
    bool integer = is_number(v, &num) && is_integer(v);
    if (is_string_like(v) && v->len > 0 && gg_js_string_to_number(v->s, v->len, &num))
        integer = isfinite(num) && floor(num) == num;
    if (!integer) return fail(arena, fault, "Int cannot represent non-integer value: ", gg_scalar_inspect(arena, v));
    if (!int_in_range(v, num, arena, out))
        return fail(arena, fault,
                    "Int cannot represent non 32-bit signed integer value: ", gg_scalar_inspect(arena, v));
    return true;
}

static bool int_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    double num;
    if (!is_number(in, &num) || !is_integer(in))
        return fail(arena, fault, "Int cannot represent non-integer value: ", gg_scalar_inspect(arena, in));
    if (!int_in_range(in, num, arena, out))
        return fail(arena, fault,
                    "Int cannot represent non 32-bit signed integer value: ", gg_scalar_inspect(arena, in));
    return true;
}

static bool int_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_INT)
        return fail(arena, fault, "Int cannot represent non-integer value: ", gg_scalar_print_literal(arena, in));
    errno = 0;
    long long n = strtoll(literal_text(arena, in), NULL, 10);
    if (errno == ERANGE || n > MAX_INT32 || n < MIN_INT32) {
        gg_fault_set_text(fault, NULL,
                          gg_arena_printf(arena, "Int cannot represent non 32-bit signed integer value: %.*s",
                                          (int)in->len, in->text));
        return false;
    }
    *out = gg_val_int(arena, n);
    return true;
}

/* ---- Float ---- */

static bool float_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    const gg_val *v = unwrap_raw(arena, in);
    if (v != NULL && v->kind == GG_VAL_BOOL) {
        *out = gg_val_float(arena, v->b ? 1 : 0);
        return true;
    }
    double num;
    bool numeric = is_number(v, &num);
    if (is_string_like(v) && v->len > 0) numeric = gg_js_string_to_number(v->s, v->len, &num);
    if (!numeric || !isfinite(num))
        return fail(arena, fault, "Float cannot represent non numeric value: ", gg_scalar_inspect(arena, v));
    *out = gg_val_float(arena, num);
    return true;
}

static bool float_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    double num;
    if (!is_number(in, &num) || !isfinite(num))
        return fail(arena, fault, "Float cannot represent non numeric value: ", gg_scalar_inspect(arena, in));
    *out = gg_val_float(arena, num);
    return true;
}

static bool float_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_FLOAT && in->kind != GG_VALUE_INT)
        return fail(arena, fault, "Float cannot represent non numeric value: ", gg_scalar_print_literal(arena, in));
    /* parseFloat: 1e1000 becomes Infinity without an error, as in graphql-js */
    *out = gg_val_float(arena, strtod(literal_text(arena, in), NULL));
    return true;
}

/* ---- String ---- */

static bool string_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (in != NULL && in->kind == GG_VAL_STRING) {
        *out = (gg_val *)in;
        return true;
    }
    const gg_val *v = unwrap_raw(arena, in);
    double num;
    if (is_string_like(v)) {
        *out = string_result(arena, v->s, v->len);
        return true;
    }
    if (v != NULL && v->kind == GG_VAL_BOOL) {
        *out = v->b ? string_result(arena, "true", 4) : string_result(arena, "false", 5);
        return true;
    }
    if (is_number(v, &num) && isfinite(num)) {
        *out = number_to_string(arena, v);
        return true;
    }
    return fail(arena, fault, "String cannot represent value: ", gg_scalar_inspect(arena, in));
}

static bool string_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (!is_string_like(in))
        return fail(arena, fault, "String cannot represent a non string value: ", gg_scalar_inspect(arena, in));
    *out = string_result(arena, in->s, in->len);
    return true;
}

static bool string_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_STRING)
        return fail(arena, fault, "String cannot represent a non string value: ", gg_scalar_print_literal(arena, in));
    *out = string_result(arena, in->text, in->len);
    return true;
}

/* ---- Boolean ---- */

static bool boolean_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    const gg_val *v = unwrap_raw(arena, in);
    double num;
    if (v != NULL && v->kind == GG_VAL_BOOL) {
        *out = gg_val_bool(v->b);
        return true;
    }
    if (is_number(v, &num) && isfinite(num)) {
        *out = gg_val_bool(num != 0);
        return true;
    }
    return fail(arena, fault, "Boolean cannot represent a non boolean value: ", gg_scalar_inspect(arena, v));
}

static bool boolean_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (in == NULL || in->kind != GG_VAL_BOOL)
        return fail(arena, fault, "Boolean cannot represent a non boolean value: ", gg_scalar_inspect(arena, in));
    *out = gg_val_bool(in->b);
    return true;
}

static bool boolean_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_BOOLEAN)
        return fail(arena, fault, "Boolean cannot represent a non boolean value: ", gg_scalar_print_literal(arena, in));
    *out = gg_val_bool(in->boolean);
    return true;
}

/* ---- ID ---- */

static bool id_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (in != NULL && in->kind == GG_VAL_STRING) {
        *out = (gg_val *)in;
        return true;
    }
    const gg_val *v = unwrap_raw(arena, in);
    double num;
    if (is_string_like(v)) {
        *out = string_result(arena, v->s, v->len);
        return true;
    }
    if (is_number(v, &num) && is_integer(v)) {
        *out = number_to_string(arena, v);
        return true;
    }
    return fail(arena, fault, "ID cannot represent value: ", gg_scalar_inspect(arena, in));
}

static bool id_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    double num;
    if (is_string_like(in)) {
        *out = string_result(arena, in->s, in->len);
        return true;
    }
    if (is_number(in, &num) && is_integer(in)) {
        *out = number_to_string(arena, in);
        return true;
    }
    return fail(arena, fault, "ID cannot represent value: ", gg_scalar_inspect(arena, in));
}

static bool id_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_STRING && in->kind != GG_VALUE_INT)
        return fail(arena, fault,
                    "ID cannot represent a non-string and non-integer value: ", gg_scalar_print_literal(arena, in));
    *out = string_result(arena, in->text, in->len);
    return true;
}

/* ---- user-declared scalars: graphql-js defaults ---- */

static bool custom_identity(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    (void)fault;
    if (in == NULL) {
        *out = &gg_val_null_value;
        return true;
    }
    gg_val *copy = gg_val_new(arena, in->kind);
    *copy = *in; /* shallow: the value tree is never modified after it is built */
    *out = copy;
    return true;
}

/* valueFromASTUntyped: the literal as a plain value. */
static gg_val *value_from_ast_untyped(gg_arena *arena, const gg_value *in)
{
    switch (in->kind) {
    case GG_VALUE_INT: {
        const char *text = literal_text(arena, in);
        errno = 0;
        long long n = strtoll(text, NULL, 10);
        if (errno == ERANGE) return gg_val_float(arena, strtod(text, NULL));
        return gg_val_int(arena, n);
    }
    case GG_VALUE_FLOAT:
        return gg_val_float(arena, strtod(literal_text(arena, in), NULL));
    case GG_VALUE_STRING:
    case GG_VALUE_ENUM:
        return string_result(arena, in->text, in->len);
    case GG_VALUE_BOOLEAN:
        return gg_val_bool(in->boolean);
    case GG_VALUE_NULL:
        return &gg_val_null_value;
    case GG_VALUE_VARIABLE:
        return &gg_val_undefined_value; /* no variables here (see schema.h) */
    case GG_VALUE_LIST: {
        gg_val *list = gg_val_list(arena, in->item_count);
        for (unsigned i = 0; i < in->item_count; i++)
            gg_val_list_push(arena, list, value_from_ast_untyped(arena, in->items[i]));
        return list;
    }
    case GG_VALUE_OBJECT: {
        gg_val *object = gg_val_object(arena, in->field_count);
        for (unsigned i = 0; i < in->field_count; i++)
            gg_val_object_set(arena, object, in->fields[i].name.value,
                              value_from_ast_untyped(arena, in->fields[i].value));
        return object;
    }
    }
    return &gg_val_undefined_value;
}

static bool custom_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    (void)fault;
    *out = value_from_ast_untyped(arena, in);
    return true;
}

const gg_scalar_ops gg_scalar_custom_ops = {custom_identity, custom_identity, custom_parse_literal, 0};

static const gg_scalar_ops int_ops = {int_serialize, int_parse_value, int_parse_literal, GG_SCALAR_KEEPS_INT32};
static const gg_scalar_ops float_ops = {float_serialize, float_parse_value, float_parse_literal, 0};
static const gg_scalar_ops string_ops = {string_serialize, string_parse_value, string_parse_literal,
                                         GG_SCALAR_KEEPS_STRING};
static const gg_scalar_ops boolean_ops = {boolean_serialize, boolean_parse_value, boolean_parse_literal, 0};
static const gg_scalar_ops id_ops = {id_serialize, id_parse_value, id_parse_literal, GG_SCALAR_KEEPS_STRING};

const gg_scalar_ops *gg_scalar_find_builtin(const char *name)
{
    if (name == NULL) return NULL;
    if (strcmp(name, "Int") == 0) return &int_ops;
    if (strcmp(name, "Float") == 0) return &float_ops;
    if (strcmp(name, "String") == 0) return &string_ops;
    if (strcmp(name, "Boolean") == 0) return &boolean_ops;
    if (strcmp(name, "ID") == 0) return &id_ops;
    return gg_scalar_find_aws(name);
}
