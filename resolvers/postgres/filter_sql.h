/* filter_sql.h: Amplify filter and condition inputs (ModelXFilterInput, ModelXConditionInput)
 * translated to a SQL boolean expression with bound parameters.
 *
 * Semantics (../shared/docs/appsync-compat.md §3.2, from DynamoDB's filter expressions):
 * entries of one object and the `and` list are ANDed, `or` is a list of alternatives (an empty
 * `or` is false, an empty `and` true), `not` negates. A missing attribute and SQL NULL are the same
 * thing here: `attributeExists: false` is `IS NULL`, `eq: null` is `IS NULL`, and `ne` is null-safe
 * (`IS DISTINCT FROM`), so `ne: "x"` matches rows where the column is NULL. `contains` is a
 * substring test on text and a membership test on lists, `beginsWith` a prefix test, `between`
 * inclusive at both ends, `size` compares the length of text or of a list. */
#ifndef GG_PG_FILTER_SQL_H
#define GG_PG_FILTER_SQL_H

#include <stdbool.h>

#include "base/buf.h"
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
} gg_filter_column;

/* Maps a filter field name to its column, or NULL when the field cannot be filtered on. */
typedef const gg_filter_column *(*gg_filter_lookup_fn)(void *data, const char *field);

/* Appends to sql a parenthesised boolean expression for filter (an OBJECT; NULL or empty means
 * TRUE) and its values to params. On an input it cannot translate it returns false with a message
 * for the client (errorType "Unrecognized Filter" in AppSync terms). */
bool gg_filter_to_sql(gg_buf *sql, gg_sql_params *params, const gg_val *filter, gg_filter_lookup_fn lookup,
                      void *data, const char **error);

#endif
