/* collect_fields.h: graphql-js collectFields, the one field collection of the server.
 *
 * The fields a selection set asks for on one object type: fragment spreads and inline fragments
 * expanded when their type condition applies to the type (each named fragment once per
 * collection), @skip/@include applied, and fields of the same response name merged in the order of
 * their first appearance. The executor collects level by level (execute.c); a resolver that plans
 * a whole subtree at once (resolvers/postgres/pg_selection.c) collects the sub-selections of a
 * field's nodes through gg_resolve_collect_fields and gets the same fields in the same order.
 *
 * A planner may collect the selections of several aliases of one field together, where one
 * response name may name different fields (a: items { x: title } b: items { x: blog { id } }):
 * with by_field_name, fields merge by response name AND field name, and the entries whose response
 * name is used by another entry are marked shared_name. Everything lives in the given arena. */
#ifndef GG_COLLECT_FIELDS_H
#define GG_COLLECT_FIELDS_H

#include <stdbool.h>

#include "../../base/strmap.h"
#include "execute.h"

typedef struct gg_collected_field {
    const char *response_name;  /* alias or name */
    bool shared_name;           /* by_field_name only: another entry has this response name */
    const gg_selection **nodes; /* merged field selections (>= 1), in document order */
    unsigned node_count;
} gg_collected_field;

typedef struct gg_collected_fields {
    gg_collected_field *items;
    unsigned count;
} gg_collected_fields;

typedef struct gg_collect_context {
    const gg_schema *schema;
    gg_arena *arena;         /* where the result and the errors' text go */
    const gg_val *variables; /* coerced variable values (OBJECT), for @skip/@include */
    gg_strmap *fragments;    /* name -> gg_definition* of the document's fragments */
    bool by_field_name;      /* merge by response name and field name (see above) */
} gg_collect_context;

/* Collects the fields selected on object type `type` by `set` (may be NULL) and then by the
 * sub-selections of nodes[0, node_count). False after adding errors (the coercion errors of
 * @skip/@include arguments) to errors; *out is then empty. */
bool gg_collect_fields(const gg_collect_context *context, const gg_type *type, const gg_selection_set *set,
                       const gg_selection *const *nodes, unsigned node_count, gg_collected_fields *out,
                       gg_error_list *errors);

/* gg_collect_fields for a resolver, with the document, variables and arena of its execution:
 * the fields selected on `type` by the sub-selections of nodes (execute.c). */
bool gg_resolve_collect_fields(const gg_resolve_info *info, const gg_type *type, const gg_selection *const *nodes,
                               unsigned node_count, bool by_field_name, gg_collected_fields *out,
                               gg_error_list *errors);

#endif
