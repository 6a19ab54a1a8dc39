/* query_limits.h: safety limits on executable documents (graphql-armor's checks), over the AST.
 *
 * Checked after parsing and before validation, so a bomb (thousands of aliases, deep nesting,
 * fragments that multiply) is refused before the quadratic validation rules see it. Fragments are
 * measured once each and reused (a fragment spread twice counts twice, but is walked once), and a
 * spread of a fragment already being expanded (a cycle, which validation reports) counts nothing.
 * Introspection fields (__schema, __type) are ignored by depth and cost, as graphql-armor does.
 * Each violation adds one error worded like graphql-armor's, followed by the setting that raises
 * the limit ("Query depth limit of 12 exceeded, found 13. (server setting limits.max_depth)"),
 * with errorType "ValidationError". */
#ifndef GG_GATEWAY_QUERY_LIMITS_H
#define GG_GATEWAY_QUERY_LIMITS_H

#include <stdbool.h>

#include "../graphql/error.h"
#include "../graphql/language/ast.h"

typedef struct gg_limits {
    unsigned max_depth;      /* deepest field nesting; 0: off */
    unsigned max_aliases;    /* aliased fields per operation; 0: off */
    unsigned max_directives; /* directives per operation; 0: off */
    unsigned max_cost;       /* object 2, scalar 1, children x1.5 (graphql-armor's defaults); 0: off */
    bool introspection;      /* false: __schema and __type are refused */
} gg_limits;

/* Checks every operation of doc; adds errors and returns false when a limit is exceeded. */
bool gg_limits_check(const gg_limits *limits, const gg_document *doc, gg_error_list *errors);

#endif
