/* wire_binary.c: PostgreSQL's binary send formats of the types the rows plan reads, written back as
 * the text the text format gives; see wire_binary.h.
 *
 * The formats are PostgreSQL's *send functions: integers big-endian, text as its bytes (in the
 * client encoding, as the text format's), uuid as 16 bytes, jsonb as a version byte and the text,
 * dates and times as integers counted from 2000-01-01 (integer datetimes, the only kind since
 * PostgreSQL 10). Each reader writes without printf: a timestamp's text is written from the
 * integer in a few dozen instructions (gg_pg_wire_write), where reading timestamptz_out's text
 * back took about 450. */
#include "wire_binary.h"

#include <stdint.h>
#include <string.h>

/* Type numbers of PostgreSQL's built-in types (pg_type.dat; fixed since they were added). */
enum {
    OID_BOOL = 16,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_JSON = 114,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_TIMETZ = 1266,
    OID_UUID = 2950,
    OID_JSONB = 3802,
    FIRST_NORMAL_OID = 16384, /* types made after initdb (extensions, enums) are numbered from here */
};

/* Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and times. */
#define POSTGRES_EPOCH_DAYS INT64_C(10957)

gg_pg_binary gg_pg_binary_of_column(const gg_pg_column *c)
{
    switch (c->output) {
    case GG_PG_OUTPUT_TIMESTAMPTZ:
        return GG_PG_BINARY_TIMESTAMPTZ;
    case GG_PG_OUTPUT_TIMESTAMP:
        return GG_PG_BINARY_TIMESTAMP;
    case GG_PG_OUTPUT_DATE:
        return GG_PG_BINARY_DATE;
    case GG_PG_OUTPUT_TIME:
        return GG_PG_BINARY_TIME;
    case GG_PG_OUTPUT_TIMETZ:
        return GG_PG_BINARY_TIMETZ;
    case GG_PG_OUTPUT_TEXT: /* format('%s', value) */
        return GG_PG_BINARY_TEXT;
    case GG_PG_OUTPUT_ARRAY: /* to_jsonb(value), or jsonb_agg of the elements */
        return GG_PG_BINARY_JSONB;
    case GG_PG_OUTPUT_AS_IS:
        break;
    }
    if (c->text_like || (c->enum_labels != NULL && !c->is_list)) return GG_PG_BINARY_TEXT;
    static const struct {
        const char *name; /* format_type's, as column_types.c keeps it */
        gg_pg_binary type;
    } named[] = {
        {"text", GG_PG_BINARY_TEXT},   {"smallint", GG_PG_BINARY_INT2}, {"integer", GG_PG_BINARY_INT4},
        {"bigint", GG_PG_BINARY_INT8}, {"boolean", GG_PG_BINARY_BOOL},  {"uuid", GG_PG_BINARY_UUID},
        {"json", GG_PG_BINARY_JSON},   {"jsonb", GG_PG_BINARY_JSONB},
    };
    for (size_t i = 0; c->sql_type != NULL && i < sizeof named / sizeof *named; i++)
        if (strcmp(c->sql_type, named[i].name) == 0) return named[i].type;
    return GG_PG_BINARY_NONE;
}

bool gg_pg_binary_accepts(gg_pg_binary type, unsigned oid)
{
    switch (type) {
    case GG_PG_BINARY_NONE:
        return false;
    case GG_PG_BINARY_INT2:
        return oid == OID_INT2;
    case GG_PG_BINARY_INT4:
        return oid == OID_INT4;
    case GG_PG_BINARY_INT8:
        return oid == OID_INT8;
    case GG_PG_BINARY_BOOL:
        return oid == OID_BOOL;
    case GG_PG_BINARY_TEXT:
        return oid == OID_TEXT || oid == OID_VARCHAR || oid == OID_BPCHAR || oid == OID_NAME || oid >= FIRST_NORMAL_OID;
    case GG_PG_BINARY_UUID:
        return oid == OID_UUID;
    case GG_PG_BINARY_JSON:
        return oid == OID_JSON;
    case GG_PG_BINARY_JSONB:
        return oid == OID_JSONB;
    case GG_PG_BINARY_DATE:
        return oid == OID_DATE;
    case GG_PG_BINARY_TIME:
        return oid == OID_TIME;
    case GG_PG_BINARY_TIMETZ:
        return oid == OID_TIMETZ;
    case GG_PG_BINARY_TIMESTAMP:
        return oid == OID_TIMESTAMP;
    case GG_PG_BINARY_TIMESTAMPTZ:
        return oid == OID_TIMESTAMPTZ;
    }
    return false;
}

bool gg_pg_binary_shown(gg_pg_binary type)
{
    return type >= GG_PG_BINARY_DATE;
}

/* The big-endian unsigned integer of the bytes at p. */
static uint64_t big_endian(const char *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v = v << 8 | (uint8_t)p[i];
    return v;
}

/* A two's complement number of 16, 32 or 64 bits as int64 (no implementation-defined conversion). */
static int64_t signed_of(uint64_t v, unsigned bits)
{
    uint64_t sign = UINT64_C(1) << (bits - 1);
    if (bits < 64) v &= (sign << 1) - 1;
    if ((v & sign) == 0) return (int64_t)v;
    uint64_t magnitude = (bits < 64 ? sign << 1 : 0) - v; /* 2^bits - v, modulo 2^64 */
    return magnitude > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)magnitude;
}

/* Writes v in decimal into out; returns the length. */
static size_t write_integer(int64_t v, char *out)
{
    char digits[20];
    size_t n = 0, len = 0;
    uint64_t magnitude = v < 0 ? UINT64_C(0) - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (v < 0) out[len++] = '-';
    while (n > 0)
        out[len++] = digits[--n];
    return len;
}

static bool read_text(gg_pg_binary type, const char *value, size_t len, char out[GG_PG_BINARY_TEXT_MAX],
                      const char **text, size_t *text_len)
{
    *text = out;
    switch (type) {
    case GG_PG_BINARY_NONE:
        return false;
    case GG_PG_BINARY_INT2:
    case GG_PG_BINARY_INT4:
    case GG_PG_BINARY_INT8: {
        unsigned bytes = type == GG_PG_BINARY_INT2 ? 2 : type == GG_PG_BINARY_INT4 ? 4 : 8;
        if (len != bytes) return false;
        *text_len = write_integer(signed_of(big_endian(value, bytes), 8 * bytes), out);
        return true;
    }
    case GG_PG_BINARY_BOOL:
        if (len != 1) return false;
        out[0] = value[0] ? 't' : 'f';
        *text_len = 1;
        return true;
    case GG_PG_BINARY_TEXT:
    case GG_PG_BINARY_JSON:
        *text = value;
        *text_len = len;
        return true;
    case GG_PG_BINARY_JSONB:
        if (len < 1 || value[0] != 1) return false;
        *text = value + 1;
        *text_len = len - 1;
        return true;
    case GG_PG_BINARY_UUID: {
        static const char hex[] = "0123456789abcdef";
        if (len != 16) return false;
        size_t at = 0;
        for (unsigned i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) out[at++] = '-';
            out[at++] = hex[(uint8_t)value[i] >> 4];
            out[at++] = hex[(uint8_t)value[i] & 15];
        }
        *text_len = at;
        return true;
    }
    case GG_PG_BINARY_DATE: {
        if (len != 4) return false;
        int64_t days = signed_of(big_endian(value, 4), 32);
        if (days == INT32_MIN || days == INT32_MAX) { /* -infinity, infinity */
            *text = NULL;
            *text_len = 0;
            return true;
        }
        *text_len = gg_pg_wire_write(GG_PG_OUTPUT_DATE, days + POSTGRES_EPOCH_DAYS, 0, out);
        return true;
    }
    case GG_PG_BINARY_TIME: {
        if (len != 8) return false;
        int64_t micros = signed_of(big_endian(value, 8), 64);
        if (micros < 0 || micros > INT64_C(86400000000)) return false; /* 00:00 to 24:00 */
        *text_len = gg_pg_wire_write(GG_PG_OUTPUT_TIME, 0, micros, out);
        return true;
    }
    case GG_PG_BINARY_TIMETZ: {
        if (len != 12) return false;
        int64_t micros = signed_of(big_endian(value, 8), 64), west = signed_of(big_endian(value + 8, 4), 32);
        if (micros < 0 || micros > INT64_C(86400000000)) return false;
        *text_len = gg_pg_wire_write(GG_PG_OUTPUT_TIMETZ, 0, micros + west * 1000000, out);
        return true;
    }
    case GG_PG_BINARY_TIMESTAMP:
    case GG_PG_BINARY_TIMESTAMPTZ: {
        if (len != 8) return false;
        int64_t micros = signed_of(big_endian(value, 8), 64);
        if (micros == INT64_MIN || micros == INT64_MAX) { /* -infinity, infinity */
            *text = NULL;
            *text_len = 0;
            return true;
        }
        gg_pg_output output = type == GG_PG_BINARY_TIMESTAMP ? GG_PG_OUTPUT_TIMESTAMP : GG_PG_OUTPUT_TIMESTAMPTZ;
        *text_len = gg_pg_wire_write(output, POSTGRES_EPOCH_DAYS, micros, out);
        return true;
    }
    }
    return false;
}

bool gg_pg_binary_text(gg_pg_binary type, const char *value, size_t len, char out[GG_PG_BINARY_TEXT_MAX],
                       const char **text, size_t *text_len)
{
    if (!read_text(type, value, len, out, text, text_len)) return false;
    if (*text == out) out[*text_len] = '\0'; /* as libpq ends every value: readers may parse up to a NUL */
    return true;
}

bool gg_pg_binary_integer(gg_pg_binary type, const char *value, size_t len, int64_t *v)
{
    unsigned bytes = type == GG_PG_BINARY_INT2 ? 2 : type == GG_PG_BINARY_INT4 ? 4 : type == GG_PG_BINARY_INT8 ? 8 : 0;
    if (bytes == 0 || len != bytes) return false;
    *v = signed_of(big_endian(value, bytes), 8 * bytes);
    return true;
}
