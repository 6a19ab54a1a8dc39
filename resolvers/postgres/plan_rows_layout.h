/* plan_rows_layout.h: which result column holds each value of a rows plan statement, and in which
 * format PostgreSQL sends them (plan_rows.c's private helper; see plan_rows_layout.c). */
#ifndef GG_PG_PLAN_ROWS_LAYOUT_H
#define GG_PG_PLAN_ROWS_LAYOUT_H

#include <stdbool.h>

#include "base/arena.h"
#include "pg_model.h"
#include "wire_binary.h"

/* One node of a statement of several nodes (one UNION ALL branch): its link columns, then its
 * own columns. */
typedef struct gg_pg_rows_layout_node {
    unsigned link_count;
    const gg_pg_column *const *cols;
    unsigned col_count;
    const bool *link_source; /* per own column: a child's link is read from it, so it stays text */
    unsigned *result_cols;   /* out: the result column of each own column */
} gg_pg_rows_layout_node;

/* The readers of a one-node statement's columns when it reads them in PostgreSQL's binary format,
 * else NULL (text): binary when a date or time column is selected and every column has a reader. */
const gg_pg_binary *gg_pg_rows_one_node_format(gg_arena *arena, const gg_pg_column *const *cols, unsigned count);

/* Lays out a statement of several nodes: result column 0 is the node number, columns 1..width
 * hold each node's links and own columns in order, and a date or time column (not a link source)
 * is read in binary: in its own column where no branch has text or another type there, else in
 * an extra column after width. Returns the result's column count; *binary: each result column's
 * reader (NULL: the result is text, no date is read in binary). */
unsigned gg_pg_rows_layout(gg_arena *arena, gg_pg_rows_layout_node *nodes, unsigned count, unsigned width,
                           const gg_pg_binary **binary);

/* "NULL::type" of a result column of reader type (text but for dates and times). */
const char *gg_pg_rows_null_of(gg_pg_binary type);

#endif
