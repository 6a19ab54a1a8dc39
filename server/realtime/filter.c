/* filter.c: subscription filters evaluated against an event; see filter.h.
 *
 * Comparison follows DynamoDB's typed rules as AppSync applies them to enhanced filters: numbers
 * compare with numbers, strings with strings (byte order), booleans only for (in)equality; a
 * comparison between different kinds is false (ne: true). contains / notContains work on strings
 * (substring) and lists (membership); beginsWith on strings.
 *
 * The strings of a field the database compares without case (a citext column, or an array of
 * citext: the caller names such fields) compare here without case too, so that an event reaches the
 * subscriptions whose filter the same row would pass in a list query. PostgreSQL's citext folds
 * with lower() in the database's locale; here letters fold as ASCII, so other letters (É and é)
 * still differ. */
#include "filter.h"

#include <stddef.h>
#include <string.h>

static bool is_number(const gg_val *v)
{
    return v != NULL && (v->kind == GG_VAL_INT || v->kind == GG_VAL_FLOAT);
}

static bool is_text(const gg_val *v)
{
    return v != NULL && (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM);
}

static double number_of(const gg_val *v)
{
    return v->kind == GG_VAL_INT ? (double)v->i : v->f;
}

static size_t text_len(const gg_val *v)
{
    return v->kind == GG_VAL_STRING ? v->len : strlen(v->s);
}

static unsigned char fold(unsigned char c, bool caseless)
{
    return caseless && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* memcmp, or without ASCII case. */
static int text_compare(const char *a, const char *b, size_t n, bool caseless)
{
    if (!caseless) return memcmp(a, b, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char x = fold((unsigned char)a[i], true), y = fold((unsigned char)b[i], true);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

/* Typed equality: null and absent alike, numbers by value, enums and strings by text (caseless:
 * without case). */
static bool equal(const gg_val *a, const gg_val *b, bool caseless)
{
    bool a_null = a == NULL || a->kind == GG_VAL_NULL || a->kind == GG_VAL_UNDEFINED;
    bool b_null = b == NULL || b->kind == GG_VAL_NULL || b->kind == GG_VAL_UNDEFINED;
    if (a_null || b_null) return a_null && b_null;
    if (is_number(a) && is_number(b)) return number_of(a) == number_of(b);
    if (is_text(a) && is_text(b))
        return text_len(a) == text_len(b) && text_compare(a->s, b->s, text_len(a), caseless) == 0;
    if (a->kind == GG_VAL_BOOL && b->kind == GG_VAL_BOOL) return a->b == b->b;
    if (a->kind == GG_VAL_LIST && b->kind == GG_VAL_LIST) {
        if (a->count != b->count) return false;
        for (unsigned i = 0; i < a->count; i++)
            if (!equal(a->items[i], b->items[i], caseless)) return false;
        return true;
    }
    return gg_val_equal(a, b);
}

/* Orders two values of the same comparable kind: -1, 0, 1; 2 when they do not compare. */
static int order(const gg_val *a, const gg_val *b, bool caseless)
{
    if (a == NULL || b == NULL) return 2;
    if (is_number(a) && is_number(b)) {
        double x = number_of(a), y = number_of(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (is_text(a) && is_text(b)) {
        size_t la = text_len(a), lb = text_len(b);
        int c = text_compare(a->s, b->s, la < lb ? la : lb, caseless);
        if (c != 0) return c < 0 ? -1 : 1;
        return la < lb ? -1 : la > lb ? 1 : 0;
    }
    return 2;
}

static bool contains(const gg_val *field, const gg_val *operand, bool caseless)
{
    if (field == NULL) return false;
    if (field->kind == GG_VAL_LIST) {
        for (unsigned i = 0; i < field->count; i++)
            if (equal(field->items[i], operand, caseless)) return true;
        return false;
    }
    if (is_text(field) && is_text(operand)) {
        size_t n = text_len(field), m = text_len(operand);
        if (m == 0) return true;
        for (size_t i = 0; i + m <= n; i++)
            if (text_compare(field->s + i, operand->s, m, caseless) == 0) return true;
    }
    return false;
}

static bool in_list(const gg_val *field, const gg_val *list, bool caseless)
{
    if (list == NULL || list->kind != GG_VAL_LIST) return false;
    for (unsigned i = 0; i < list->count; i++)
        if (equal(field, list->items[i], caseless)) return true;
    return false;
}

/* True when field is one of the NULL-terminated names of caseless (NULL: none). */
static bool ignores_case(const char *const *caseless, const char *field)
{
    for (; caseless != NULL && *caseless != NULL; caseless++)
        if (strcmp(*caseless, field) == 0) return true;
    return false;
}

/* One operator of a field's condition ({eq: 1} etc.). Unknown operators match nothing. */
static bool apply(const char *op, const gg_val *field, const gg_val *operand, bool caseless)
{
    if (strcmp(op, "eq") == 0) return equal(field, operand, caseless);
    if (strcmp(op, "ne") == 0) return !equal(field, operand, caseless);
    if (strcmp(op, "lt") == 0) return order(field, operand, caseless) == -1;
    if (strcmp(op, "le") == 0) return order(field, operand, caseless) <= 0;
    if (strcmp(op, "gt") == 0) return order(field, operand, caseless) == 1;
    if (strcmp(op, "ge") == 0) {
        int c = order(field, operand, caseless);
        return c == 0 || c == 1;
    }
    if (strcmp(op, "between") == 0) {
        if (operand == NULL || operand->kind != GG_VAL_LIST || operand->count != 2) return false;
        int lo = order(field, operand->items[0], caseless), hi = order(field, operand->items[1], caseless);
        return (lo == 0 || lo == 1) && hi <= 0;
    }
    if (strcmp(op, "contains") == 0) return contains(field, operand, caseless);
    if (strcmp(op, "notContains") == 0) return field != NULL && !contains(field, operand, caseless);
    if (strcmp(op, "beginsWith") == 0)
        return is_text(field) && is_text(operand) && text_len(operand) <= text_len(field) &&
               text_compare(field->s, operand->s, text_len(operand), caseless) == 0;
    if (strcmp(op, "in") == 0) return in_list(field, operand, caseless);
    if (strcmp(op, "notIn") == 0) return !in_list(field, operand, caseless);
    return false;
}

bool gg_rt_args_match(const gg_val *args, const char *skip, const gg_val *event, const char *const *caseless)
{
    if (args == NULL || args->kind != GG_VAL_OBJECT) return true;
    for (unsigned i = 0; i < args->count; i++) {
        const gg_val_member *m = &args->members[i];
        if (m->value != NULL && m->value->kind == GG_VAL_UNDEFINED) continue;
        if (skip != NULL && strcmp(m->key, skip) == 0) continue;
        if (!equal(gg_val_object_get(event, m->key), m->value, ignores_case(caseless, m->key))) return false;
    }
    return true;
}

bool gg_rt_filter_match(const gg_val *filter, const gg_val *event, const char *const *caseless)
{
    if (filter == NULL || filter->kind != GG_VAL_OBJECT) return true;
    for (unsigned i = 0; i < filter->count; i++) {
        const char *key = filter->members[i].key;
        const gg_val *value = filter->members[i].value;
        if (value == NULL || value->kind == GG_VAL_NULL || value->kind == GG_VAL_UNDEFINED) continue;
        if (strcmp(key, "and") == 0 || strcmp(key, "or") == 0) {
            bool any = false, all = true;
            unsigned n = value->kind == GG_VAL_LIST ? value->count : 1;
            for (unsigned k = 0; k < n; k++) {
                bool ok = gg_rt_filter_match(value->kind == GG_VAL_LIST ? value->items[k] : value, event, caseless);
                any |= ok;
                all &= ok;
            }
            if (key[0] == 'a' ? !all : (n > 0 && !any)) return false;
            continue;
        }
        if (value->kind != GG_VAL_OBJECT) return false;
        const gg_val *field = gg_val_object_get(event, key);
        bool field_caseless = ignores_case(caseless, key);
        for (unsigned k = 0; k < value->count; k++) {
            const gg_val *operand = value->members[k].value;
            if (operand != NULL && operand->kind == GG_VAL_UNDEFINED) continue;
            if (!apply(value->members[k].key, field, operand, field_caseless)) return false;
        }
    }
    return true;
}

/* True when text a of length a_len is one half of the "<sub>::<username>" value b. */
static bool half_of(const char *a, size_t a_len, const char *b, size_t b_len)
{
    const char *sep = NULL;
    for (size_t i = 0; i + 1 < b_len && sep == NULL; i++)
        if (b[i] == ':' && b[i + 1] == ':') sep = b + i;
    if (sep == NULL || a_len == 0) return false;
    size_t sub_len = (size_t)(sep - b);
    const char *username = sep + 2;
    size_t username_len = b_len - sub_len - 2;
    return (a_len == sub_len && memcmp(a, b, a_len) == 0) || (a_len == username_len && memcmp(a, username, a_len) == 0);
}

static bool same_identity(const gg_val *wanted, const gg_val *stored)
{
    if (stored == NULL || stored->kind != GG_VAL_STRING) return false;
    if (wanted->len == stored->len && memcmp(wanted->s, stored->s, wanted->len) == 0) return true;
    return half_of(wanted->s, wanted->len, stored->s, stored->len) ||
           half_of(stored->s, stored->len, wanted->s, wanted->len);
}

bool gg_rt_owner_match(const gg_val *wanted, const gg_val *stored)
{
    if (wanted == NULL || wanted->kind == GG_VAL_UNDEFINED) return true;
    if (wanted->kind == GG_VAL_NULL) return stored == NULL || stored->kind == GG_VAL_NULL;
    if (wanted->kind != GG_VAL_STRING) return false;
    if (stored != NULL && stored->kind == GG_VAL_LIST) {
        for (unsigned i = 0; i < stored->count; i++)
            if (same_identity(wanted, stored->items[i])) return true;
        return false;
    }
    return same_identity(wanted, stored);
}
