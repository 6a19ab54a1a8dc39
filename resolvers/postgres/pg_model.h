/* pg_model.h: how the models of an Amplify catalog (server/amplify/model.h) are stored in
 * PostgreSQL: one table per model, one column per non-relation field, and the SQL each needs.
 *
 * Derived once from the catalog (at bind or migrate time) into a long-lived arena, then read-only
 * and shared by every thread. Storage types (what `graphgate migrate` creates): PostgreSQL's own
 * where one holds the scalar exactly, so ranges and sorts follow time, not string order:
 * AWSDateTime (createdAt, updatedAt) timestamp with time zone, AWSDate date, AWSTime time without
 * time zone, AWSTimestamp bigint, Int integer, Float double precision, Boolean boolean, AWSJSON and
 * embedded types jsonb; a list of any of these (or of strings) is a one-dimensional array of it,
 * a list of AWSJSON or embedded values jsonb. String, ID, the other AWS string scalars and enums
 * are text: text keeps what the client sent byte for byte (AWSIPAddress on inet would come back
 * canonicalised: 10.1.2.3/32 as 10.1.2.3, 2001:DB8::1 as 2001:db8::1), and an enum as text sorts
 * and compares by name as on DynamoDB and takes a new value without ALTER TYPE (a PostgreSQL
 * enum sorts by declaration order). Values of the date and time types are written out in
 * AppSync's forms (gg_pg_output: UTC, milliseconds). A table graphgate did not make keeps its own
 * column types: the bound models read them at start-up (column_types.h) and cast to them instead.
 * Identifiers are always double-quoted; values never appear in SQL text (gg_pg_param_text makes
 * the text of a $N parameter). */
#ifndef GG_PG_MODEL_H
#define GG_PG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "amplify/model.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/strmap.h"
#include "filter_sql.h"
#include "value.h"

/* How a column's value leaves the database when its type is not graphgate's storage type
 * (column_types.h): AppSync's formats, written in SQL so both plans share them. */
typedef enum gg_pg_output {
    GG_PG_OUTPUT_AS_IS,       /* the value's own text or JSON (text, numbers, boolean, uuid, enums, json) */
    GG_PG_OUTPUT_TIMESTAMPTZ, /* AWSDateTime in UTC with milliseconds: 2026-12-06T11:24:12.849Z */
    GG_PG_OUTPUT_TIMESTAMP,   /* the same, the stored wall time read as UTC */
    GG_PG_OUTPUT_DATE,        /* AWSDate: 2026-12-06 */
    GG_PG_OUTPUT_TIME,        /* AWSTime: 11:24:12.849 */
    GG_PG_OUTPUT_TIMETZ,      /* AWSTime in UTC: 11:24:12.849Z */
    GG_PG_OUTPUT_TEXT,        /* its text (a string field on uuid, inet, interval ..., an ID on bigint) */
    GG_PG_OUTPUT_ARRAY,       /* a one-dimensional array: a JSON list (jsonb) */
} gg_pg_output;

/* What the text of a parameter must be for the column's type, checked in C so that a malformed
 * value is the client's InvalidArgumentsError, not a DatabaseError (column_types.h). */
typedef enum gg_pg_input {
    GG_PG_INPUT_ANY,       /* text types, json, enums, and types checked by the GraphQL scalars */
    GG_PG_INPUT_UUID,      /* 8-4-4-4-12 hexadecimal digits (PostgreSQL's braces and dashless forms too) */
    GG_PG_INPUT_INT16,     /* a decimal integer in smallint's range */
    GG_PG_INPUT_INT32,     /* in integer's range */
    GG_PG_INPUT_INT64,     /* in bigint's range */
    GG_PG_INPUT_NUMBER,    /* a decimal number (numeric, real, double precision) */
    GG_PG_INPUT_DATE,      /* AWSDate: a real calendar date */
    GG_PG_INPUT_TIME,      /* AWSTime */
    GG_PG_INPUT_DATETIME,  /* AWSDateTime: a real date, a time, an offset (timestamptz) */
    GG_PG_INPUT_TIMESTAMP, /* the same, the offset optional (timestamp) */
} gg_pg_input;

typedef struct gg_pg_column {
    const gg_amplify_field *field; /* the catalog field */
    const char *quoted;            /* the column name, double-quoted: "createdAt" */
    const char *sql_type;          /* what its parameters are cast to: the storage type (text, integer,
                                    * bigint, double precision, boolean, jsonb, timestamp with time zone,
                                    * date, time without time zone, arrays) or, once read from the
                                    * database (column_types.h), the column's own type */
    const char *storage_type;      /* the storage type, whatever the database has (what migrate makes) */
    gg_pg_input input;             /* what a parameter's text must look like (checked before any SQL) */
    gg_pg_output output;           /* how its values are written out (AS_IS for storage types) */
    const char *item_type;         /* GG_PG_OUTPUT_ARRAY: the element type (parameters are cast to it) */
    gg_pg_output item_output;      /* GG_PG_OUTPUT_ARRAY: how its elements are written out */
    bool text_like;                /* text, varchar, char, citext: string operators apply to the column itself */
    bool case_insensitive;         /* citext (or a domain over it): string operators ignore case too */
    const char *operator_schema;   /* citext whose schema is not on the search_path: that schema, quoted.
                                    * A bare = or < there resolves to text's (through citext's implicit
                                    * cast to text), which compares with case and in another order than
                                    * the column's ORDER BY; comparisons name citext's own:
                                    * gg_pg_column_operator. NULL: bare operators are the type's own */
    bool native;                   /* a type other than text, integer ... jsonb (a date and time type, an
                                    * array, or one read from the database): filters cast to it */
    const char **enum_labels;      /* a PostgreSQL enum column (or array of one): its labels */
    unsigned enum_label_count;
    gg_column_kind kind;      /* storage kind (filters, parameters) */
    gg_column_kind item_kind; /* lists: the kind of their items */
    bool is_list;
    const char *expression; /* a column a plan computes (plan_sql.h): this SQL, selected AS quoted; NULL: stored */
} gg_pg_column;

typedef struct gg_pg_model {
    const gg_amplify_model *model;
    const char *quoted_table; /* "Post", or "shop"."Post" with database.schema (catalog->database_schema) */
    gg_pg_column *columns;    /* parallel to model->fields; .field NULL for relation fields */
    gg_strmap field_index;    /* field name -> index + 1 */
    const gg_pg_column **key; /* primary key columns: partition key then sort keys */
    unsigned key_count;
    bool sandbox_public; /* the catalog's global rule { allow: public } (auth_sql.h: models without @auth) */
    /* DataStore metadata (datastore_store.h), NULL unless the model is synced: the columns of the
     * _version, _deleted and _lastChangedAt fields, and "_ttl", a column with no field (epoch
     * seconds after which a tombstone may be purged). */
    const gg_pg_column *version, *deleted, *last_changed_at, *ttl;
} gg_pg_model;

typedef struct gg_pg_models {
    gg_arena *arena;
    gg_pg_model *models; /* parallel to catalog->models */
    unsigned count;
    gg_strmap by_name;         /* model name -> gg_pg_model* */
    const char *changes_table; /* DataStore's change log, beside the tables (gg_pg_changes_table) */
} gg_pg_models;

/* Derives the storage of every model of catalog, allocating in arena. */
gg_pg_models *gg_pg_models_build(gg_arena *arena, const gg_amplify_catalog *catalog);
/* The model named name, or NULL. */
const gg_pg_model *gg_pg_models_find(const gg_pg_models *models, const char *name);
/* The catalog field of a model named name, or NULL. */
const gg_amplify_field *gg_pg_model_field(const gg_pg_model *model, const char *name);
/* The column of the field named name, or NULL (unknown field or relation). */
const gg_pg_column *gg_pg_model_column(const gg_pg_model *model, const char *name);
/* Whether the column's text compares without case, as PostgreSQL compares it: a citext column (or
 * a domain over it), or an array of citext (a domain over citext as the element type is not
 * recognised: column_types.c keeps only its name). */
bool gg_pg_column_ignores_case(const gg_pg_column *c);
/* Comparison operator op ("=", "<" ...) for a value of column c's type on both sides: op itself, or
 * OPERATOR(schema.op) when c has an operator_schema (in arena). */
const char *gg_pg_column_operator(gg_arena *arena, const gg_pg_column *c, const char *op);
/* The equality of a join of columns a and b: a's named = when both have the same operator_schema, else
 * a bare = (in arena). */
const char *gg_pg_join_operator(gg_arena *arena, const gg_pg_column *a, const gg_pg_column *b);
/* The reference a relation makes: the columns from_cols of `from` hold the whole primary key of
 * `to` (migrate's foreign key, and the purge's reason to keep a referenced tombstone). prefix: the
 * relation names more remote fields than local ones (@hasMany(fields:) over an index prefix). */
typedef struct gg_pg_reference {
    const gg_pg_model *from, *to;
    const gg_pg_column **from_cols;
    unsigned count;
    bool prefix;
} gg_pg_reference;
/* The reference relation r (a field of pm) makes when exactly one side names the other's whole
 * primary key; false when neither does or a field is not a column. */
bool gg_pg_relation_reference(gg_arena *arena, const gg_pg_models *models, const gg_pg_model *pm,
                              const gg_amplify_relation *r, gg_pg_reference *out);
/* The @index named name of a model, or NULL. */
const gg_amplify_index *gg_pg_model_index(const gg_pg_model *model, const char *name);
/* Appends name as a double-quoted SQL identifier. */
void gg_pg_quote_ident(gg_buf *out, const char *name);
/* The SQL name of table in schema: "table", or "schema"."table" when schema is neither NULL nor
 * empty (database.schema: no search_path needed, which a transaction pooler refuses), in the arena. */
const char *gg_pg_table_sql(gg_arena *arena, const char *schema, const char *table);
/* Appends s as a single-quoted SQL string literal (for DDL only; queries use parameters). */
void gg_pg_quote_literal(gg_buf *out, const char *s);
/* The SQL of expr (a value of column c) as the client sees it: AppSync's format for the column's
 * own type (gg_pg_output), in the arena; expr itself for storage types. */
const char *gg_pg_column_output(gg_arena *arena, const gg_pg_column *c, const char *expr);
/* Whether the rows plan reads column c's values in the wire form of gg_pg_column_wire. */
bool gg_pg_column_on_wire(const gg_pg_column *c);
/* The SQL of expr as the rows plan reads it: expr itself for the date and time outputs (the type's
 * own text, read by gg_pg_wire_text), gg_pg_column_output for the rest. */
const char *gg_pg_column_wire(gg_arena *arena, const gg_pg_column *c, const char *expr);
#define GG_PG_WIRE_TEXT_MAX 40
/* Writes a date or time column's text (PostgreSQL's output with DateStyle ISO, any TimeZone:
 * 2026-12-06 16:54:12.849+05:30, 0044-03-15 BC, 11:24:12+01) in AppSync's form into out:
 * 2026-12-06T11:24:12.849Z (timestamptz in UTC; timestamp as its wall time; milliseconds
 * truncated, as to_char's MS), 2026-12-06, 11:24:12.849, 11:24:12.849Z (timetz: the time of day in
 * UTC). A year BC is written as its number (0044), years past 9999 in more digits. Returns the
 * length; 0 when there is none: with out[0] == '\0' for infinity and -infinity (no date: null),
 * with a non-empty out when text is no such output (unreadable: an error, never a wrong date). */
size_t gg_pg_wire_text(gg_pg_output output, const char *text, size_t len, char out[GG_PG_WIRE_TEXT_MAX]);
/* Whether text, a value of a date or time output as gg_pg_wire_text or gg_pg_wire_write writes it,
 * is in the standard form of the output's AppSync scalar (AWSDateTime for the timestamps, AWSDate,
 * AWSTime), which that scalar's serialize returns as it is: a year of four digits (not one past
 * 9999), no 24:00 (a time's end), no February 29th in a year that the four digits do not make a
 * leap year (a year BC is written as its number: 1 BC was a leap year, 0001 is not). Every other
 * value those write is refused by the scalar. */
bool gg_pg_wire_standard(gg_pg_output output, const char *text, size_t len);
/* Writes a date or time given as numbers in AppSync's form, as gg_pg_wire_text writes the same
 * value's text: days since 1970-01-01 plus micros microseconds (any number, negative too) in UTC
 * (timestamptz; timestamp's wall time read as UTC; a date: days and 0) or, for GG_PG_OUTPUT_TIME
 * and GG_PG_OUTPUT_TIMETZ, micros since midnight (a timetz's in UTC, maybe a day off: its time of
 * day is written; days is not read). Returns the length. */
size_t gg_pg_wire_write(gg_pg_output output, int64_t days, int64_t micros, char out[GG_PG_WIRE_TEXT_MAX]);
/* The text of a $N parameter holding value v for column c (NULL for null); false when v does not fit. */
bool gg_pg_param_text(gg_arena *arena, const gg_val *v, const gg_pg_column *c, const char **text);

#endif
