/* pg_selection.h: the fields a GraphQL selection asks for below a resolver, seen through fragments.
 *
 * A root @model resolver plans its whole subtree at once, so it needs what the executor would
 * compute level by level: the fields selected on an object type, with fragment spreads and inline
 * fragments expanded, @skip/@include applied and fields of the same response name merged (graphql-js
 * collectFields, in the same order, so the first node of a merged field is the executor's). A
 * planner collects the selections of several aliases of one connection's `items` together, where
 * one response name may name different fields (a: items { x: title } b: items { x: blog { id } }):
 * fields merge by response name AND field name, and such entries are marked shared_name. */
#ifndef GG_PG_SELECTION_H
#define GG_PG_SELECTION_H

#include <stdbool.h>

#include "base/fault.h"
#include "execute/execute.h"

typedef struct gg_pg_field_sel {
    const char *response_name;        /* alias or name */
    bool shared_name;                 /* another collected field has this response name (aliases of
                                       * `items` may use one name for different fields) */
    const gg_field *def;              /* the field of the parent type (NULL: a meta field like __typename) */
    const gg_selection *const *nodes; /* merged selections (>= 1) */
    unsigned node_count;
} gg_pg_field_sel;

typedef struct gg_pg_fields {
    gg_pg_field_sel *items;
    unsigned count;
} gg_pg_fields;

/* Collects the fields selected on object type `type` by the sub-selections of nodes. False with a
 * message for the client in fault when a @skip/@include argument is invalid. */
bool gg_pg_collect_fields(gg_resolve_info *info, const gg_type *type, const gg_selection *const *nodes, unsigned count,
                          gg_pg_fields *out, gg_fault *fault);
/* The arguments of a field selection as text ("limit:1,filter:{...}"; "" when none), to tell apart
 * selections of one field with different arguments under different aliases of their parent. */
const char *gg_pg_arguments_text(gg_arena *arena, const gg_selection *node);
/* The coerced arguments of a selected field (an OBJECT); NULL with a message for the client in fault. */
gg_val *gg_pg_field_args(gg_resolve_info *info, const gg_pg_field_sel *f, gg_fault *fault);

#endif
