/* aws_scalars.c: AppSync's nine scalars (appsync-compat.md §2.1).
 *
 * Seven of them are strings with a shape to check (AWSDate AWSTime AWSDateTime AWSEmail AWSURL
 * AWSPhone AWSIPAddress). They share one set of coercions driven by a descriptor: the value must
 * be a string (a STRING literal for parse_literal) and pass the validator; it is then kept
 * verbatim, never normalised, because clients compare the strings. Output is validated too, so
 * a malformed stored value surfaces as a field error instead of reaching a client that trusts
 * the type. AWSTimestamp is a 64-bit integer number, coerced like Int with a wider range.
 * AWSJSON's input is a string holding JSON; the parsed value (integers within int64_t exact) is
 * the internal value, and output
 * is the value serialised back into a JSON string (RAW text is used as it is).
 * Messages follow graphql-js's style: "<Scalar> cannot represent <what>: <value>", with the value
 * shown by inspect() for results and variables and by print() for literals. */
#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../json_read.h"
#include "scalars.h"

/* ---- validators: s is len bytes, not necessarily NUL-terminated ---- */

/* Reads exactly n digits at s[*i] into *value. */
static bool read_digits(const char *s, size_t len, size_t *i, int n, int *value)
{
    int v = 0;
    for (int k = 0; k < n; k++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9') return false;
        v = v * 10 + (s[(*i)++] - '0');
    }
    *value = v;
    return true;
}

static bool read_char(const char *s, size_t len, size_t *i, char c)
{
    if (*i < len && s[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

static bool is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* [-]YYYY-MM-DD, a real calendar date (proleptic Gregorian; -YYYY is astronomical numbering). */
static bool read_date(const char *s, size_t len, size_t *i)
{
    static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year, month, day;
    read_char(s, len, i, '-');
    if (!read_digits(s, len, i, 4, &year) || !read_char(s, len, i, '-') || !read_digits(s, len, i, 2, &month) ||
        !read_char(s, len, i, '-') || !read_digits(s, len, i, 2, &day))
        return false;
    if (month < 1 || month > 12 || day < 1) return false;
    int max_day = days_in_month[month - 1] + (month == 2 && is_leap_year(year));
    return day <= max_day;
}

/* hh:mm[:ss[.fraction]], fraction 0 to 9 digits (AWS shows "12:00:34." in an example). */
static bool read_time(const char *s, size_t len, size_t *i)
{
    int hour = 0, minute = 0, second = 0;
    if (!read_digits(s, len, i, 2, &hour) || !read_char(s, len, i, ':') || !read_digits(s, len, i, 2, &minute))
        return false;
    if (hour > 23 || minute > 59) return false;
    if (!read_char(s, len, i, ':')) return true;
    if (!read_digits(s, len, i, 2, &second) || second > 59) return false;
    if (!read_char(s, len, i, '.')) return true;
    int digits = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9')
        (*i)++, digits++;
    return digits <= 9;
}

/* Z, ±hh:mm or ±hh:mm:ss (seconds allowed although ISO 8601 lacks them). */
static bool read_offset(const char *s, size_t len, size_t *i)
{
    if (read_char(s, len, i, 'Z')) return true;
    if (!read_char(s, len, i, '+') && !read_char(s, len, i, '-')) return false;
    int hour = 0, minute = 0, second = 0;
    if (!read_digits(s, len, i, 2, &hour) || !read_char(s, len, i, ':') || !read_digits(s, len, i, 2, &minute))
        return false;
    if (hour > 23 || minute > 59) return false;
    if (read_char(s, len, i, ':') && (!read_digits(s, len, i, 2, &second) || second > 59)) return false;
    return true;
}

static bool valid_date(const char *s, size_t len)
{
    size_t i = 0;
    if (!read_date(s, len, &i)) return false;
    return i == len || (read_offset(s, len, &i) && i == len);
}

static bool valid_time(const char *s, size_t len)
{
    size_t i = 0;
    if (!read_time(s, len, &i)) return false;
    return i == len || (read_offset(s, len, &i) && i == len);
}

/* The zone is required for AWSDateTime. */
static bool valid_date_time(const char *s, size_t len)
{
    size_t i = 0;
    return read_date(s, len, &i) && read_char(s, len, &i, 'T') && read_time(s, len, &i) && read_offset(s, len, &i) &&
           i == len;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Dot-separated labels of 1..63 alphanumerics or inner hyphens. */
static bool valid_domain(const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') continue;
        size_t n = i - start;
        if (n == 0 || n > 63 || !is_alnum(s[start]) || !is_alnum(s[i - 1])) return false;
        for (size_t k = start; k < i; k++) {
            if (!is_alnum(s[k]) && s[k] != '-') return false;
        }
        start = i + 1;
    }
    return true;
}

/* local-part@domain: the amplify-appsync-simulator's rule. */
static bool valid_email(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (at == NULL || at == s) return false;
    for (const char *p = s; p < at; p++) {
        if (!is_alnum(*p) && strchr(".!#$%&'*+/=?^_`{|}~-", *p) == NULL) return false;
    }
    return valid_domain(at + 1, len - (size_t)(at + 1 - s));
}

static bool has_double_slash(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '/' && s[i + 1] == '/') return true;
    }
    return false;
}

/* scheme ":" ["//" authority] path [? query] [# fragment]: no blanks or control characters,
 * and the path may not contain "//". */
static bool valid_url(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') return false;
    }
    size_t i = 0;
    if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
    while (i < len && (is_alnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (!read_char(s, len, &i, ':')) return false;
    size_t end = i; /* the path ends at ? or # */
    while (end < len && s[end] != '?' && s[end] != '#')
        end++;
    if (i + 2 <= end && s[i] == '/' && s[i + 1] == '/') {
        size_t host = i + 2, path = host;
        while (path < end && s[path] != '/')
            path++;
        return path > host && !has_double_slash(s + path, end - path);
    }
    return end > i && !has_double_slash(s + i, end - i);
}

/* [+] digit groups separated by single spaces or hyphens; 7 to 15 digits in all. */
static bool valid_phone(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    read_char(s, len, &i, '+');
    bool after_digit = false;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            after_digit = true;
        } else if ((s[i] == ' ' || s[i] == '-') && after_digit) {
            after_digit = false;
        } else {
            return false;
        }
    }
    return after_digit && digits >= 7 && digits <= 15;
}

/* IPv4 dotted quad or IPv6 (no brackets, no zone), each with an optional /prefix. */
static bool valid_ip_address(const char *s, size_t len)
{
    char address[64];
    const char *slash = memchr(s, '/', len);
    size_t address_len = slash ? (size_t)(slash - s) : len;
    if (address_len == 0 || address_len >= sizeof address) return false;
    memcpy(address, s, address_len);
    address[address_len] = '\0';
    unsigned char binary[16];
    int max_prefix;
    if (inet_pton(AF_INET, address, binary) == 1)
        max_prefix = 32;
    else if (inet_pton(AF_INET6, address, binary) == 1)
        max_prefix = 128;
    else
        return false;
    if (slash == NULL) return true;
    size_t i = address_len + 1, digits = 0;
    int prefix = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9' && digits < 3; i++, digits++)
        prefix = prefix * 10 + (s[i] - '0');
    return digits > 0 && i == len && prefix <= max_prefix;
}

/* ---- string scalars ---- */

/* Sets fault to the printf-formatted refusal (in the arena, no errorType); returns false. */
__attribute__((format(printf, 3, 4))) static bool refuse(gg_arena *arena, gg_fault *fault, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *message = gg_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return gg_fault_set_text(fault, NULL, message);
}

typedef struct string_scalar {
    const char *name;
    const char *invalid; /* "an invalid date" */
    bool (*valid)(const char *s, size_t len);
} string_scalar;

static const string_scalar aws_date = {"AWSDate", "an invalid date", valid_date};
static const string_scalar aws_time = {"AWSTime", "an invalid time", valid_time};
static const string_scalar aws_date_time = {"AWSDateTime", "an invalid date-time", valid_date_time};
static const string_scalar aws_email = {"AWSEmail", "an invalid email address", valid_email};
static const string_scalar aws_url = {"AWSURL", "an invalid URL", valid_url};
static const string_scalar aws_phone = {"AWSPhone", "an invalid phone number", valid_phone};
static const string_scalar aws_ip_address = {"AWSIPAddress", "an invalid IP address", valid_ip_address};

static bool is_string_value(const gg_val *v)
{
    return v != NULL && (v->kind == GG_VAL_STRING || v->kind == GG_VAL_ENUM);
}

static gg_val *string_result(gg_arena *arena, const char *s, size_t len)
{
    gg_val *v = gg_val_new(arena, GG_VAL_STRING);
    v->s = s;
    v->len = len;
    return v;
}

/* serialize and parse_value alike: a string value of the right shape. */
static bool string_scalar_coerce(const string_scalar *scalar, gg_arena *arena, const gg_val *in, gg_val **out,
                                 gg_fault *fault)
{
    const gg_val *v = in;
    gg_val *parsed;
    if (v != NULL && v->kind == GG_VAL_RAW && gg_scalar_parse_json(arena, v->s, v->len, &parsed)) v = parsed;
    if (!is_string_value(v)) {
        return refuse(arena, fault, "%s cannot represent a non string value: %s", scalar->name,
                      gg_scalar_inspect(arena, v));
    }
    if (!scalar->valid(v->s, v->len)) {
        return refuse(arena, fault, "%s cannot represent %s: %s", scalar->name, scalar->invalid,
                      gg_scalar_inspect(arena, v));
    }
    *out = string_result(arena, v->s, v->len);
    return true;
}

static bool string_scalar_literal(const string_scalar *scalar, gg_arena *arena, const gg_value *in, gg_val **out,
                                  gg_fault *fault)
{
    if (in->kind != GG_VALUE_STRING) {
        return refuse(arena, fault, "%s cannot represent a non string value: %s", scalar->name,
                      gg_scalar_print_literal(arena, in));
    }
    if (!scalar->valid(in->text, in->len)) {
        return refuse(arena, fault, "%s cannot represent %s: %s", scalar->name, scalar->invalid,
                      gg_scalar_print_literal(arena, in));
    }
    *out = string_result(arena, in->text, in->len);
    return true;
}

/* Three thin entry points per string scalar, bound to its descriptor. */
#define STRING_SCALAR_OPS(ops, scalar)                                                                                 \
    static bool ops##_coerce(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)                         \
    {                                                                                                                  \
        return string_scalar_coerce(&(scalar), arena, in, out, fault);                                                 \
    }                                                                                                                  \
    static bool ops##_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)                      \
    {                                                                                                                  \
        return string_scalar_literal(&(scalar), arena, in, out, fault);                                                \
    }                                                                                                                  \
    static const gg_scalar_ops ops = {ops##_coerce, ops##_coerce, ops##_literal, 0};

STRING_SCALAR_OPS(aws_date_ops, aws_date)
STRING_SCALAR_OPS(aws_time_ops, aws_time)
STRING_SCALAR_OPS(aws_date_time_ops, aws_date_time)
STRING_SCALAR_OPS(aws_email_ops, aws_email)
STRING_SCALAR_OPS(aws_url_ops, aws_url)
STRING_SCALAR_OPS(aws_phone_ops, aws_phone)
STRING_SCALAR_OPS(aws_ip_address_ops, aws_ip_address)

/* ---- AWSTimestamp: Int's rules with a 64-bit range ---- */

/* 2^63 as a double; every double below it and >= -2^63 converts to int64_t exactly. */
#define TWO_POW_63 9223372036854775808.0

static bool timestamp_from_number(gg_arena *arena, const gg_val *shown, const gg_val *v, double num, gg_val **out,
                                  gg_fault *fault)
{
    if (v->kind != GG_VAL_INT && !(isfinite(num) && floor(num) == num)) {
        return refuse(arena, fault, "AWSTimestamp cannot represent non-integer value: %s",
                      gg_scalar_inspect(arena, shown));
    }
    if (v->kind != GG_VAL_INT && (num >= TWO_POW_63 || num < -TWO_POW_63)) {
        return refuse(arena, fault, "AWSTimestamp cannot represent non 64-bit signed integer value: %s",
                      gg_scalar_inspect(arena, shown));
    }
    *out = gg_val_int(arena, v->kind == GG_VAL_INT ? v->i : (int64_t)num);
    return true;
}

static bool timestamp_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    const gg_val *v = in;
    gg_val *parsed;
    if (v != NULL && v->kind == GG_VAL_RAW && gg_scalar_parse_json(arena, v->s, v->len, &parsed)) v = parsed;
    double num;
    if (v != NULL && v->kind == GG_VAL_INT) {
        *out = (gg_val *)v; /* already its output form: shared, not copied (scalars.c) */
        return true;
    }
    if (v != NULL && v->kind == GG_VAL_FLOAT) return timestamp_from_number(arena, v, v, v->f, out, fault);
    if (is_string_value(v) && v->len > 0 && gg_js_string_to_number(v->s, v->len, &num)) {
        /* a numeric string, as Int accepts one: "1700000000" */
        gg_val number = {.kind = GG_VAL_FLOAT, .f = num};
        return timestamp_from_number(arena, v, &number, num, out, fault);
    }
    return refuse(arena, fault, "AWSTimestamp cannot represent non-integer value: %s", gg_scalar_inspect(arena, v));
}

static bool timestamp_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (in != NULL && in->kind == GG_VAL_INT) return timestamp_from_number(arena, in, in, (double)in->i, out, fault);
    if (in != NULL && in->kind == GG_VAL_FLOAT) return timestamp_from_number(arena, in, in, in->f, out, fault);
    return refuse(arena, fault, "AWSTimestamp cannot represent non-integer value: %s", gg_scalar_inspect(arena, in));
}

static bool timestamp_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_INT) {
        return refuse(arena, fault, "AWSTimestamp cannot represent non-integer value: %s",
                      gg_scalar_print_literal(arena, in));
    }
    /* an INT literal is -?digits: accumulate with an overflow check */
    size_t i = in->text[0] == '-' ? 1 : 0;
    bool negative = i == 1;
    uint64_t magnitude = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < in->len; i++) {
        uint64_t digit = (uint64_t)(in->text[i] - '0');
        if (magnitude > (limit - digit) / 10) {
            return refuse(arena, fault, "AWSTimestamp cannot represent non 64-bit signed integer value: %.*s",
                          (int)in->len, in->text);
        }
        magnitude = magnitude * 10 + digit;
    }
    int64_t value = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    *out = gg_val_int(arena, value);
    return true;
}

static const gg_scalar_ops aws_timestamp_ops = {timestamp_serialize, timestamp_parse_value, timestamp_parse_literal,
                                                GG_SCALAR_KEEPS_INT};

/* ---- AWSJSON ---- */

/* An argument's JSON is read with json_read.c, not JSON.parse's doubles: it is stored as it is,
 * and a 64-bit id in a document (9007199254740993) must not come out rounded. */
static bool json_parse_text(gg_arena *arena, const char *s, size_t len, const char *shown, gg_val **out,
                            gg_fault *fault)
{
    *out = gg_json_read(arena, s, len);
    if (*out == NULL) return refuse(arena, fault, "AWSJSON cannot represent an invalid JSON string: %s", shown);
    return true;
}

static bool json_serialize(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    (void)fault;
    if (in != NULL && in->kind == GG_VAL_RAW) {
        *out = string_result(arena, in->s, in->len);
        return true;
    }
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, in);
    *out = gg_val_string(arena, b.data, b.len);
    gg_buf_free(&b);
    return true;
}

static bool json_parse_value(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault)
{
    if (!is_string_value(in)) {
        return refuse(arena, fault, "AWSJSON cannot represent a non string value: %s", gg_scalar_inspect(arena, in));
    }
    return json_parse_text(arena, in->s, in->len, gg_scalar_inspect(arena, in), out, fault);
}

static bool json_parse_literal(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault)
{
    if (in->kind != GG_VALUE_STRING) {
        return refuse(arena, fault, "AWSJSON cannot represent a non string value: %s",
                      gg_scalar_print_literal(arena, in));
    }
    return json_parse_text(arena, in->text, in->len, gg_scalar_print_literal(arena, in), out, fault);
}

static const gg_scalar_ops aws_json_ops = {json_serialize, json_parse_value, json_parse_literal, 0};

const gg_scalar_ops *gg_scalar_find_aws(const char *name)
{
    static const struct {
        const char *name;
        const gg_scalar_ops *ops;
    } table[] = {
        {"AWSDate", &aws_date_ops},
        {"AWSTime", &aws_time_ops},
        {"AWSDateTime", &aws_date_time_ops},
        {"AWSTimestamp", &aws_timestamp_ops},
        {"AWSEmail", &aws_email_ops},
        {"AWSJSON", &aws_json_ops},
        {"AWSURL", &aws_url_ops},
        {"AWSPhone", &aws_phone_ops},
        {"AWSIPAddress", &aws_ip_address_ops},
    };
    if (name == NULL) return NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].name, name) == 0) return table[i].ops;
    }
    return NULL;
}
