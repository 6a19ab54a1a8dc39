/* wire_binary.h: the rows plan's values in PostgreSQL's binary result format, read back as the
 * text the text format gives for them.
 *
 * A statement asks for one result format for all its columns (libpq's resultFormat). The rows plan
 * asks for binary when its statement selects a date or time column and every column it selects has
 * a reader here (gg_pg_binary_of_column): PostgreSQL then sends an 8-byte integer instead of
 * running timestamptz_out, and graphgate writes AppSync's form from the integer instead of parsing
 * the ISO text back (gg_pg_wire_text). Every reader gives exactly the text the rest of plan_rows.c
 * reads in the text format: the text format's own text, and for a date or time column the text
 * gg_pg_wire_text would write from the text format's text (marked "shown"). */
#ifndef GG_PG_WIRE_BINARY_H
#define GG_PG_WIRE_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pg_model.h"

/* A column type with a binary reader; NONE: none (the statement is read as text). */
typedef enum gg_pg_binary {
    GG_PG_BINARY_NONE,
    GG_PG_BINARY_INT2,
    GG_PG_BINARY_INT4,
    GG_PG_BINARY_INT8,
    GG_PG_BINARY_BOOL, /* "t" or "f", as boolout writes */
    GG_PG_BINARY_TEXT, /* text varchar bpchar name, citext and enums (other type numbers): the bytes are the text */
    GG_PG_BINARY_UUID, /* 16 bytes: canonical lower-case text */
    GG_PG_BINARY_JSON,
    GG_PG_BINARY_JSONB, /* a version byte (1), then the text */
    /* dates and times: their AppSync form (shown), as gg_pg_wire_text writes it */
    GG_PG_BINARY_DATE,        /* int32 days since 2000-01-01; INT32_MIN and INT32_MAX: infinities */
    GG_PG_BINARY_TIME,        /* int64 microseconds since midnight */
    GG_PG_BINARY_TIMETZ,      /* the same, then int32 seconds WEST of UTC */
    GG_PG_BINARY_TIMESTAMP,   /* int64 microseconds since 2000-01-01 00:00 (wall time); INT64_MIN, INT64_MAX: infinities
                               */
    GG_PG_BINARY_TIMESTAMPTZ, /* the same, in UTC */
} gg_pg_binary;

/* The text of any binary value fits in this many bytes with its NUL, but a text, json or jsonb
 * value's (which points into the value itself, NUL-terminated by libpq). */
#define GG_PG_BINARY_TEXT_MAX 48

/* The reader of the values the rows plan selects for column c when its statement is one SELECT
 * (or RETURNING) of the columns as the client sees them (gg_pg_column_wire), decided from what the
 * catalog says of it; NONE when it has none (floats, numeric, domains, arrays of PostgreSQL's own
 * text ...). */
gg_pg_binary gg_pg_binary_of_column(const gg_pg_column *c);
/* Whether a result column of type number oid (PQftype: a domain's base type) holds values for the
 * reader type. TEXT takes the text types and any type made after initdb (citext, enums), as the
 * plan only expects TEXT of a column the catalog called text-like or an enum. */
bool gg_pg_binary_accepts(gg_pg_binary type, unsigned oid);
/* Whether type's text is a date or time's AppSync form (gg_pg_wire_text's), not PostgreSQL's text. */
bool gg_pg_binary_shown(gg_pg_binary type);
/* Reads the binary value (value, len) of type: *text and *text_len its text, in out or (text, json,
 * jsonb) in value itself, NUL-terminated either way; *text NULL for a date's or timestamp's
 * infinity (no value, as gg_pg_wire_text says). False when the value is malformed (a wrong length, an unknown jsonb
 * version). */
bool gg_pg_binary_text(gg_pg_binary type, const char *value, size_t len, char out[GG_PG_BINARY_TEXT_MAX],
                       const char **text, size_t *text_len);

/* Reads the binary value (value, len) of an integer type (INT2, INT4, INT8) into *v, without
 * its text; false for another type or a wrong length. */
bool gg_pg_binary_integer(gg_pg_binary type, const char *value, size_t len, int64_t *v);

#endif
