/* sql_placeholders.h: a SQL statement's :name placeholders turned into $1..$N parameters, for @sql
 * fields (sql_directive.c) and plugin pipeline steps (plugins/pipeline.c).
 *
 * Placeholders inside string literals, quoted identifiers, comments, dollar quotes and ::casts are
 * left alone; each name gets one parameter number however often it appears. Run once per statement
 * at start-up; the result is what a request sends. */
#ifndef GG_PG_SQL_PLACEHOLDERS_H
#define GG_PG_SQL_PLACEHOLDERS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/fault.h"

/* A statement with its placeholders made $1..$N. */
typedef struct gg_sql_compiled {
    const char *sql;          /* the statement for PostgreSQL (a trailing ';' removed) */
    const char **param_names; /* param_names[i] is bound to $(i+1); each name once */
    unsigned param_count;
} gg_sql_compiled;

/* Compiles statement (NUL-terminated) into *out, allocating in arena. False with a message in fault
 * (unterminated literal or comment, several statements, $N parameters, empty statement). */
bool gg_sql_compile(gg_arena *arena, const char *statement, gg_sql_compiled *out, gg_fault *fault);
/* The same, where ":a.b.c" is one placeholder named "a.b.c" (pipeline steps: :args.x, :prev.id,
 * :stash.key, :source.x; plugins/pipeline.c). */
bool gg_sql_compile_paths(gg_arena *arena, const char *statement, gg_sql_compiled *out, gg_fault *fault);

#endif
