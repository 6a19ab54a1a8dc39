/* scalars.h: the built-in scalars (Int Float String Boolean ID, spec §3.5), AppSync's nine AWS
 * scalars, and the default behaviour of user-declared scalars.
 *
 * The spec scalars reproduce graphql-js v16 (src/type/scalars.ts) exactly, error messages
 * included; the AWS scalars follow appsync-compat.md §2.1 with messages in graphql-js style.
 * All ops tables are immutable statics, so they are shared by every thread. Errors and values are
 * allocated in the caller's arena; a result may point at the input's string bytes (a STRING
 * literal's text, a variable's string) instead of copying them, so the input must live as long. The helpers at the end
 * are shared by scalars.c and aws_scalars.c, and useful to any error message that shows a value the way graphql-js
 * does. */
#ifndef GG_SCALARS_H
#define GG_SCALARS_H

#include <stdbool.h>
#include <stddef.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../language/ast.h"
#include "../value.h"
#include "schema.h"

/* The ops of Int Float String Boolean ID or one of the nine AWS scalars; NULL for other names. */
const gg_scalar_ops *gg_scalar_find_builtin(const char *name);
/* The ops of the nine AWS scalars only (AWSDate ... AWSIPAddress); NULL for other names. */
const gg_scalar_ops *gg_scalar_find_aws(const char *name);
/* User-declared scalars: graphql-js GraphQLScalarType defaults (identity, valueFromASTUntyped). */
extern const gg_scalar_ops gg_scalar_custom_ops;

/* graphql-js inspect(value): "abc" quoted as JSON, { a: 1 }, [1, 2], [Array] below depth 2. */
const char *gg_scalar_inspect(gg_arena *arena, const gg_val *value);
/* graphql-js print(valueNode) of a literal into the arena ("{a: 1}", "[1, 2]", $var): gg_print_value. */
const char *gg_scalar_print_literal(gg_arena *arena, const gg_value *value);
/* JavaScript Number(string) on len bytes: false when the result is NaN ("" gives 0). */
bool gg_js_string_to_number(const char *s, size_t len, double *out);
/* JSON text (len bytes) to a value in the arena, JSON.parse semantics; false when invalid. */
bool gg_scalar_parse_json(gg_arena *arena, const char *text, size_t len, gg_val **out);

#endif
