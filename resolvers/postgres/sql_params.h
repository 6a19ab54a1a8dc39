/* sql_params.h: the text parameters of one SQL statement being built ($1, $2, ...).
 *
 * Values are never interpolated into SQL text: builders append a value here and write "$N"
 * (with an explicit cast) into the statement. NULL entries are SQL NULL. */
#ifndef GG_PG_SQL_PARAMS_H
#define GG_PG_SQL_PARAMS_H

#include "base/arena.h"

typedef struct gg_sql_params {
    gg_arena *arena;
    const char **values;
    unsigned count, cap;
} gg_sql_params;

/* Prepares an empty list allocating in arena. */
void gg_sql_params_init(gg_sql_params *params, gg_arena *arena);
/* Appends a value (copied into the arena; NULL for SQL NULL); returns its number (1-based). */
unsigned gg_sql_params_add(gg_sql_params *params, const char *value);

#endif
