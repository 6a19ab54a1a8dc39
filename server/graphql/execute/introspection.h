/* introspection.h: resolvers of the introspection meta fields and types (spec §4.2, graphql-js
 * type/introspection.ts), bound to the schema's own __Schema, __Type ... types.
 *
 * Schema objects travel through the executor as opaque gg_vals (an OBJECT without members that
 * points at the gg_type / gg_field / ... it stands for); only these resolvers read them. */
#ifndef GG_INTROSPECTION_H
#define GG_INTROSPECTION_H

#include "../type/schema.h"
#include "execute.h"

/* Sets gg_field.resolve on __typename/__schema/__type and on every field of the introspection
 * types (call once at the end of the schema build; gg_execute falls back to the same resolvers). */
void gg_introspection_bind(gg_schema *schema);
/* The introspection resolver of a meta field or of a field of an introspection type; NULL otherwise. */
gg_resolve_fn gg_introspection_resolver(const gg_field *field);

#endif
