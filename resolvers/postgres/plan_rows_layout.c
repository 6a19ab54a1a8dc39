/* plan_rows_layout.c: the result columns of a rows plan statement and their format; see
 * plan_rows_layout.h.
 *
 * A statement of several nodes returns every node's rows through one UNION ALL, so its branches
 * share the result columns, and a column has one type in all of them. Most values travel as text;
 * a date or time is read in PostgreSQL's binary format instead (wire_binary.h): PostgreSQL sends
 * its integer and runs no timestamptz_out (about 1,250 instructions a value, callgrind), and
 * graphgate writes AppSync's form from the integer. libpq asks for one format for the whole
 * result, so the other columns come as binary text (textsend: about 100 instructions a value more
 * than the text format's textout in PostgreSQL 15). Measured on pg.sh's list-10-with-comments
 * (PostgreSQL instructions per statement): a date in its own column, NULL in the other branch,
 * 1,513k; the same with the dates moved to extra columns after the text ones (one more column in
 * every row), 1,524k; the whole result in text with timestamptz_out, 1,591k; a date as
 * date_part's float8 or as AT TIME ZONE 'UTC' in text, 1,571k and 1,556k (the same tables with
 * the dates stored as text: 1,467k, the binary text columns' cost). So a date stays in the
 * column its branch has for it when every branch that has a value there has the same date type,
 * and moves to an extra column of its type only when another branch has text (or another type)
 * in that column. */
#include "plan_rows_layout.h"

const gg_pg_binary *gg_pg_rows_one_node_format(gg_arena *arena, const gg_pg_column *const *cols, unsigned count)
{
    bool dates = false;
    for (unsigned i = 0; i < count; i++) {
        gg_pg_binary type = gg_pg_binary_of_column(cols[i]);
        if (type == GG_PG_BINARY_NONE) return NULL;
        dates = dates || gg_pg_binary_shown(type);
    }
    if (!dates) return NULL;
    gg_pg_binary *types = gg_arena_array(arena, count, sizeof *types);
    for (unsigned i = 0; i < count; i++)
        types[i] = gg_pg_binary_of_column(cols[i]);
    return types;
}

const char *gg_pg_rows_null_of(gg_pg_binary type)
{
    switch (type) {
    case GG_PG_BINARY_DATE:
        return "NULL::date";
    case GG_PG_BINARY_TIME:
        return "NULL::time";
    case GG_PG_BINARY_TIMETZ:
        return "NULL::timetz";
    case GG_PG_BINARY_TIMESTAMP:
        return "NULL::timestamp";
    case GG_PG_BINARY_TIMESTAMPTZ:
        return "NULL::timestamptz";
    default:
        return "NULL::text";
    }
}

/* The reader of own column j of node n when it is a date or time read in binary, else NONE. */
static gg_pg_binary date_of(const gg_pg_rows_layout_node *n, unsigned j)
{
    gg_pg_binary type = gg_pg_binary_of_column(n->cols[j]);
    if (!gg_pg_binary_shown(type) || !gg_pg_column_on_wire(n->cols[j]) || n->link_source[j]) return GG_PG_BINARY_NONE;
    return type;
}

/* The date type (0: DATE .. TIMESTAMPTZ) of own column j of node n when it is a date in a mixed
 * column (one that moves to an extra column), else -1; n's result_cols are still in place. */
static int moved_type(const gg_pg_rows_layout_node *n, unsigned j, const bool *mixed)
{
    gg_pg_binary type = date_of(n, j);
    if (type == GG_PG_BINARY_NONE || !mixed[n->result_cols[j]]) return -1;
    return (int)(type - GG_PG_BINARY_DATE);
}

unsigned gg_pg_rows_layout(gg_arena *arena, gg_pg_rows_layout_node *nodes, unsigned count, unsigned width,
                           const gg_pg_binary **binary)
{
    enum { TYPES = GG_PG_BINARY_TIMESTAMPTZ - GG_PG_BINARY_DATE + 1 };
    /* what the branches put in each column 1..width: NONE (nothing yet), TEXT, a date type, or
     * mixed (text beside a date, or two date types) */
    gg_pg_binary *slot = gg_arena_array(arena, width + 1, sizeof *slot);
    bool *mixed = gg_arena_array(arena, width + 1, sizeof *mixed);
    bool dates = false;
    for (unsigned i = 0; i < count; i++) {
        const gg_pg_rows_layout_node *n = &nodes[i];
        for (unsigned s = 1; s <= n->link_count + n->col_count; s++) {
            gg_pg_binary type = s <= n->link_count ? GG_PG_BINARY_NONE : date_of(n, s - 1 - n->link_count);
            if (type == GG_PG_BINARY_NONE) type = GG_PG_BINARY_TEXT;
            dates = dates || type != GG_PG_BINARY_TEXT;
            if (slot[s] == GG_PG_BINARY_NONE) slot[s] = type;
            mixed[s] = mixed[s] || slot[s] != type;
        }
    }
    for (unsigned i = 0; i < count; i++)
        for (unsigned j = 0; j < nodes[i].col_count; j++)
            nodes[i].result_cols[j] = 1 + nodes[i].link_count + j;
    *binary = NULL;
    if (!dates) return 1 + width;
    /* dates whose column is mixed move to extra columns: of each type as many as the node with
     * most of them has */
    unsigned most[TYPES] = {0}, first[TYPES], extra = 0;
    for (unsigned i = 0; i < count; i++) {
        unsigned moved[TYPES] = {0};
        for (unsigned j = 0; j < nodes[i].col_count; j++) {
            int t = moved_type(&nodes[i], j, mixed);
            if (t >= 0 && ++moved[t] > most[t]) most[t] = moved[t];
        }
    }
    for (unsigned t = 0; t < TYPES; t++) {
        first[t] = 1 + width + extra;
        extra += most[t];
    }
    gg_pg_binary *types = gg_arena_array(arena, 1 + width + extra, sizeof *types);
    types[0] = GG_PG_BINARY_INT4; /* the node number */
    for (unsigned s = 1; s <= width; s++)
        types[s] = mixed[s] || slot[s] == GG_PG_BINARY_NONE ? GG_PG_BINARY_TEXT : slot[s];
    for (unsigned t = 0; t < TYPES; t++)
        for (unsigned k = 0; k < most[t]; k++)
            types[first[t] + k] = (gg_pg_binary)(GG_PG_BINARY_DATE + t);
    for (unsigned i = 0; i < count; i++) {
        unsigned next[TYPES] = {0};
        for (unsigned j = 0; j < nodes[i].col_count; j++) {
            int t = moved_type(&nodes[i], j, mixed);
            if (t >= 0) nodes[i].result_cols[j] = first[t] + next[t]++;
        }
    }
    *binary = types;
    return 1 + width + extra;
}
