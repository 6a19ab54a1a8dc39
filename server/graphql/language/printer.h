/* printer.h: AST back to GraphQL text, byte for byte as graphql-js print() writes it.
 *
 * Used by introspection (default values are printed literals), by tests and tooling. */
#ifndef GG_PRINTER_H
#define GG_PRINTER_H

#include "../../base/buf.h"
#include "ast.h"

/* Prints a whole document (executable and/or SDL) like graphql-js print(). */
void gg_print_document(gg_buf *out, const gg_document *doc);
/* Prints one value literal like print(valueNode): strings quoted with JSON-style escapes,
 * block strings as block strings, lists "[1, 2]", objects "{a: 1, b: 2}". */
void gg_print_value(gg_buf *out, const gg_value *value);
/* Prints a type reference: "[String!]!". */
void gg_print_type_ref(gg_buf *out, const gg_type_ref *type);

#endif
