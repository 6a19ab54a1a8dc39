/* datastore_merge.h: AUTOMERGE's rules (appsync-compat.md §4.5), merging a write that lost a version
 * race into the row the server holds now, as plain values (no SQL, no I/O), so they are unit-tested
 * on their own (tests/unit/resolvers/postgres/datastore_merge.c).
 *
 * The rules, per field the input sets:
 *   - the server's value is absent or null: the input's value;
 *   - both are lists: the server's items, then the input's (duplicates kept: a list, not a set);
 *   - both are objects (AWSJSON maps, embedded types): the same rules per key, keys the input
 *     leaves out keep the server's value;
 *   - anything else (a scalar, or kinds that differ): the server's value.
 * Fields the input does not set stay as the server holds them (the retried write does not name
 * them). The result is the input of the retried write; the caller sets its _version. */
#ifndef GG_PG_DATASTORE_MERGE_H
#define GG_PG_DATASTORE_MERGE_H

#include "graphql/value.h"

/* One value merged: server's and incoming's by the rules above (both may be NULL: absent). The
 * result shares unchanged subtrees with its arguments; new nodes live in arena. */
const gg_val *gg_pg_merge_value(gg_arena *arena, const gg_val *server, const gg_val *incoming);
/* A write's input object merged into the server's row (an object of field name -> value): every
 * member of input, its value merged with the row's member of that name; "_version" is left out
 * (the caller sets the version to retry with). NULL when input is not an object. */
gg_val *gg_pg_merge_input(gg_arena *arena, const gg_val *row, const gg_val *input);

#endif
