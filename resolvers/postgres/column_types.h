/* column_types.h: the real PostgreSQL type of every mapped column, read from the catalog at
 * start-up, so graphgate fits a database it did not create (issue 12).
 *
 * graphgate's own tables use its storage types (pg_model.h); a table mapped with @refersTo may
 * use timestamptz, uuid, date, numeric, enums, arrays and so on. For each column of each model
 * this reads pg_attribute and pg_type (a domain through to its base type, over other domains
 * too, an array's element type, an enum's labels) and, when the column's type can hold the field,
 * makes it the column's sql_type, so every parameter (writes, keys, filters, conditions, sort
 * keys, nextToken keysets) is cast to it, sets how its values are written out in AppSync's
 * formats (gg_pg_output) and what form a parameter must have (gg_pg_input: a malformed uuid,
 * date or out-of-range integer is the client's InvalidArgumentsError, checked in C before any
 * SQL). A type that cannot hold the field (integer for a String), or an enum without a label of
 * its GraphQL enum, is reported, naming table, column and both types, and the column keeps the
 * storage type; start-up warns, `--check` fails. Missing tables and columns are left alone:
 * start-up warns about those and `graphgate migrate` makes them. */
#ifndef GG_PG_COLUMN_TYPES_H
#define GG_PG_COLUMN_TYPES_H

#include <libpq-fe.h>

#include "base/buf.h"
#include "pg_model.h"
#include "type/schema.h"

/* Reads the column types of every model of models over conn (blocking, start-up only, before any
 * thread reads models). Appends one line per column whose type cannot hold its field to problems
 * ("table T column C is integer, which cannot hold field M.f of type String"). False with a reason
 * in problems when the catalog cannot be read (models then keep their storage types). */
bool gg_pg_read_column_types(PGconn *conn, gg_pg_models *models, gg_buf *problems);
/* After gg_pg_read_column_types: appends one line per value of a GraphQL enum that the
 * PostgreSQL enum of its column lacks (a write of it would fail); returns how many. */
unsigned gg_pg_check_enum_labels(const gg_pg_models *models, const gg_schema *schema, gg_buf *problems);
/* Whether text has the form input asks for (column_types.c: a real date, a UUID, an integer in
 * range ...), so that a malformed argument is the client's error, not the database's. */
bool gg_pg_input_valid(gg_pg_input input, const char *text);
/* The text the column's type reads for a valid text (an AWSDate without its zone, a timestamp's
 * date-time moved to UTC), in arena. */
const char *gg_pg_input_text(gg_arena *arena, gg_pg_input input, const char *text);
/* What input asks for, for messages: "UUID", "AWSDate" ... */
const char *gg_pg_input_name(gg_pg_input input);
/* For a date or date-time column: when text is a prefix, cut between whole components, of the
 * value's written form (2026, 2026-02, 2026-02-15, 2026-02-15T10, 2026-02-15T10:30, and a time
 * without the offset AWSDateTime requires: 2026-02-15T10:30:00.5), the first value that begins
 * with it, in the arena (2026-02-01T00:00:00Z; 2026-02-01 for a date); else NULL. Filters compare
 * with it as DynamoDB compares the strings (filter_sql.h, gg_filter_column.partial). */
const char *gg_pg_input_partial_start(gg_arena *arena, gg_pg_input input, const char *text);
/* `graphgate --check`: reads the column types of catalog's models and checks the enum labels,
 * appending the problems; returns how many, or -1 (the reason in problems) when the catalog
 * cannot be read. */
int gg_pg_check_column_types(PGconn *conn, const gg_amplify_catalog *catalog, const gg_schema *schema,
                             gg_buf *problems);

/* The GraphQL scalar that `graphgate init --from-database` gives a column of base type base_name
 * (pg_type.typname of the type, or of a domain's base type) and typtype: one the checks above
 * accept for that type. uuid is ID, inet AWSIPAddress, the time types AWSDateTime, AWSDate and
 * AWSTime, json and jsonb AWSJSON, numeric and the floats Float; bigint is ID for a key column
 * (as_key) and Int otherwise. NULL for an enum (its own GraphQL enum) and for a type no scalar
 * holds (bytea, geometric, ranges, composites ...). */
const char *gg_pg_type_scalar(const char *base_name, const char *typtype, bool as_key);

#endif
