/* filter_sql.h: Amplify filter and condition inputs (ModelXFilterInput, ModelXConditionInput)
 * translated to a SQL boolean expression with bound parameters.
 *
 * Semantics (../shared/docs/appsync-compat.md §3.2, from DynamoDB's filter expressions):
 * entries of one object and the `and` list are ANDed, `or` is a list of alternatives (an empty
 * `or` is false, an empty `and` true), `not` negates. A missing attribute and SQL NULL are the same
 * thing here: `attributeExists: false` is `IS NULL`, `eq: null` is `IS NULL`, and `ne` is null-safe
 * (`IS DISTINCT FROM`), so `ne: "x"` matches rows where the column is NULL. `contains` is a
 * substring test on text and a membership test on lists, `beginsWith` a prefix test, `between`
 * inclusive at both ends, `size` compares the length of text or of a list.
 *
 * Size: a filter is measured before it is translated, and refused when it exceeds gg_filter_limits
 * (limits.max_filter_* in the configuration), whether its values came inline or from variables.
 * The SQL grows linearly with the filter: one parameter and one expression per comparison. A
 * text or jsonb column that the filter reads many times is read once per row (see
 * gg_filter_to_sql), so PostgreSQL's memory per row does not grow with the number of terms. */
#ifndef GG_PG_FILTER_SQL_H
#define GG_PG_FILTER_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/fault.h"
#include "sql_params.h"
#include "value.h"

typedef enum gg_column_kind {
    GG_COLUMN_TEXT,  /* String, ID, enums, AWS string scalars: text */
    GG_COLUMN_INT,   /* Int, AWSTimestamp: bigint */
    GG_COLUMN_FLOAT, /* Float: double precision */
    GG_COLUMN_BOOL,  /* Boolean: boolean */
    GG_COLUMN_JSON,  /* lists, embedded types, AWSJSON: jsonb */
} gg_column_kind;

typedef struct gg_filter_column {
    const char *sql;          /* the column expression, already quoted, e.g. t."title" */
    gg_column_kind kind;      /* how the column is stored */
    gg_column_kind item_kind; /* for lists stored as jsonb: the kind of their items */
    bool is_list;
    bool constant;        /* the expression is a constant (create's condition: no row), not a column */
    const char *cast;     /* compared values are cast to this type (the column's own); NULL: the kind's */
    const char *text_sql; /* the column's text for string operators (beginsWith, contains, size) when the
                           * column is not a string type itself; NULL: sql */
    const char *(*malformed)(
        const struct gg_filter_column *column, gg_arena *arena,
        const char **text); /* with cast: NULL when
                             * the type reads *text (which it may replace by the form the type reads), else
                             * what it expects ("UUID"); NULL: every text is read as it is */
    const char *(*partial)(const struct gg_filter_column *column, gg_arena *arena,
                           const char *text); /* with cast: when text is a whole-component prefix of the
                                               * column's written form (2026-02 of an AWSDateTime), the first
                                               * value that begins with it (2026-02-01T00:00:00Z), else NULL.
                                               * On DynamoDB these values are strings, and a string is
                                               * greater than each of its prefixes: lt and le compare below
                                               * that first value, gt and ge from it, eq matches nothing and
                                               * ne everything; between's upper end is le. NULL: none */
    int input;                   /* for malformed: the column's expected form (resolvers/postgres/pg_model.h) */
    bool case_insensitive;       /* citext, or a domain over it: beginsWith, contains and notContains ignore case
                                  * as the type's own comparisons (with cast) do; a list of citext: contains
                                  * and notContains find an item equal without case */
    const char *operator_schema; /* with cast: the schema of the type's comparison operators when it is not
                                  * on the search_path (gg_pg_column.operator_schema): eq, ne, lt ..., between,
                                  * in and notIn write OPERATOR(schema.op); NULL: bare operators */
    bool at_utc;                 /* with cast: compared values are taken AT TIME ZONE 'UTC' like sql (timetz, whose
                                  * equality would also compare the offsets) */
} gg_filter_column;

/* Maps a filter field name to its column, or NULL when the field cannot be filtered on. */
typedef const gg_filter_column *(*gg_filter_lookup_fn)(void *data, const char *field);

/* Limits on one filter or condition argument; 0 turns a limit off. */
typedef struct gg_filter_limits {
    unsigned max_terms;         /* limits.max_filter_terms: comparisons; an in/notIn list counts each value */
    unsigned max_depth;         /* limits.max_filter_depth: filter objects nested through and/or/not */
    unsigned max_operand_bytes; /* limits.max_filter_operand_bytes: bytes of one compared value */
    unsigned max_in_items;      /* limits.max_filter_in_items: values of one in/notIn list */
} gg_filter_limits;

/* What a filter measures, in the units of gg_filter_limits (largest values for the last two). */
typedef struct gg_filter_size {
    uint64_t terms;
    unsigned depth; /* a plain filter object is 1; each and/or/not adds a level */
    uint64_t operand_bytes;
    uint64_t in_items;
} gg_filter_size;

/* Measures filter (NULL or not an object measures zero). */
void gg_filter_measure(const gg_val *filter, gg_filter_size *size);

/* NULL when filter is within limits, else the refusal (allocated in arena), worded like the
 * document limits of server/gateway/query_limits.h and naming the setting: "Filter terms limit of 200
 * exceeded, found 20000. (server setting limits.max_filter_terms)". */
const char *gg_filter_check_limits(gg_arena *arena, const gg_filter_limits *limits, const gg_val *filter);

/* Appends to sql a parenthesised boolean expression for filter (an OBJECT; NULL or empty means
 * TRUE) and its values to params. On an input it cannot translate it returns false with a message
 * for the client in fault (the caller names the errorType: "Unrecognized Filter" in AppSync terms). It does not check
 * limits: callers run gg_filter_check_limits first.
 *
 * When a text or jsonb column (not a constant) is read by GG_FILTER_SHARED_READS or more
 * comparisons, the expression becomes EXISTS (SELECT FROM (SELECT <column, detoasted> ... OFFSET 0)
 * AS gg_filter_row WHERE <filter over gg_filter_row>): PostgreSQL otherwise detoasts (and keeps
 * until the row is done) a copy of a large value for every comparison that reads it, so a
 * 900 KB value and 1,000 terms cost 900 MB per row. Fewer reads keep the plain form, which lets
 * the planner use indexes and estimates. */
#define GG_FILTER_SHARED_READS 3

bool gg_filter_to_sql(gg_buf *sql, gg_sql_params *params, const gg_val *filter, gg_filter_lookup_fn lookup, void *data,
                      gg_fault *fault);

#endif
