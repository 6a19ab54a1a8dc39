/* print_schema.h: a schema back to SDL, byte for byte as graphql-js printSchema writes it.
 *
 * Used by tooling, tests and the schema endpoint. The output has no trailing newline, like
 * graphql-js. Default values are printed from their coerced form (astFromValue), so `1.0` for a
 * Float prints as `1` and missing input fields with defaults appear, as in graphql-js. */
#ifndef GG_PRINT_SCHEMA_H
#define GG_PRINT_SCHEMA_H

#include "../../base/buf.h"
#include "schema.h"

/* printSchema: schema definition (when needed), directives except the specified ones, then every
 * type except the specified scalars and introspection types, in type-map order. */
void gg_print_schema(gg_buf *out, const gg_schema *schema);
/* printIntrospectionSchema: the specified directives and the introspection types. */
void gg_print_introspection_schema(gg_buf *out, const gg_schema *schema);
/* Prints a default value (an SDL literal) as graphql-js print(astFromValue(valueFromAST(v))). */
void gg_print_default_value(gg_buf *out, const gg_value *value, const gg_type *type);

#endif
