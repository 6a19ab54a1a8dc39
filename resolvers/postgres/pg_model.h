/* pg_model.h: how the models of an Amplify catalog (server/amplify/model.h) are stored in
 * PostgreSQL: one table per model, one column per non-relation field, and the SQL each needs.
 *
 * Derived once from the catalog (at bind or migrate time) into a long-lived arena, then read-only
 * and shared by every thread. Storage types: String, ID, enums and the AWS string scalars are
 * text (dates stay exactly as the client sent them, since clients compare strings), Int is
 * integer, AWSTimestamp bigint, Float double precision, Boolean boolean; AWSJSON, lists and
 * embedded types are jsonb. A table graphgate did not make keeps its own column types: the bound
 * models read them at start-up (column_types.h) and cast to them instead. Identifiers are always
 * double-quoted; values never appear in SQL text (gg_pg_param_text makes the text of a $N
 * parameter). */
#ifndef GG_PG_MODEL_H
#define GG_PG_MODEL_H

#include <stdbool.h>

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

typedef struct gg_pg_column {
    const gg_amplify_field *field; /* the catalog field */
    const char *quoted;            /* the column name, double-quoted: "createdAt" */
    const char *sql_type;          /* what its parameters are cast to: the storage type (text, integer,
                                    * bigint, double precision, boolean, jsonb) or, once read from the
                                    * database (column_types.h), the column's own type */
    gg_pg_output output;           /* how its values are written out (AS_IS for storage types) */
    const char *item_type;         /* GG_PG_OUTPUT_ARRAY: the element type (parameters are cast to it) */
    gg_pg_output item_output;      /* GG_PG_OUTPUT_ARRAY: how its elements are written out */
    bool text_like;                /* text, varchar, char, citext: string operators apply to the column itself */
    bool native;                   /* a type of its own, read from the database, that holds the field
                                    * (column_types.h): migrate leaves it as it is */
    gg_column_kind kind;           /* storage kind (filters, parameters) */
    gg_column_kind item_kind;      /* lists: the kind of their items */
    bool is_list;
    const char *expression; /* a column a plan computes (plan_sql.h): this SQL, selected AS quoted; NULL: stored */
} gg_pg_column;

typedef struct gg_pg_model {
    const gg_amplify_model *model;
    const char *quoted_table; /* "Post" */
    gg_pg_column *columns;    /* parallel to model->fields; .field NULL for relation fields */
    gg_strmap field_index;    /* field name -> index + 1 */
    const gg_pg_column **key; /* primary key columns: partition key then sort keys */
    unsigned key_count;
    bool sandbox_public; /* the catalog's global rule { allow: public } (auth_sql.h: models without @auth) */
} gg_pg_model;

typedef struct gg_pg_models {
    gg_arena *arena;
    gg_pg_model *models; /* parallel to catalog->models */
    unsigned count;
    gg_strmap by_name; /* model name -> gg_pg_model* */
} gg_pg_models;

/* Derives the storage of every model of catalog, allocating in arena. */
gg_pg_models *gg_pg_models_build(gg_arena *arena, const gg_amplify_catalog *catalog);
/* The model named name, or NULL. */
const gg_pg_model *gg_pg_models_find(const gg_pg_models *models, const char *name);
/* The catalog field of a model named name, or NULL. */
const gg_amplify_field *gg_pg_model_field(const gg_pg_model *model, const char *name);
/* The column of the field named name, or NULL (unknown field or relation). */
const gg_pg_column *gg_pg_model_column(const gg_pg_model *model, const char *name);
/* The @index named name of a model, or NULL. */
const gg_amplify_index *gg_pg_model_index(const gg_pg_model *model, const char *name);
/* Appends name as a double-quoted SQL identifier. */
void gg_pg_quote_ident(gg_buf *out, const char *name);
/* Appends s as a single-quoted SQL string literal (for DDL only; queries use parameters). */
void gg_pg_quote_literal(gg_buf *out, const char *s);
/* The SQL of expr (a value of column c) as the client sees it: AppSync's format for the column's
 * own type (gg_pg_output), in the arena; expr itself for storage types. */
const char *gg_pg_column_output(gg_arena *arena, const gg_pg_column *c, const char *expr);
/* The text of a $N parameter holding value v for column c (NULL for null); false when v does not fit. */
bool gg_pg_param_text(gg_arena *arena, const gg_val *v, const gg_pg_column *c, const char **text);

#endif
