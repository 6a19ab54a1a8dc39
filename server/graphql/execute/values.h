/* values.h: input values at execution time (spec §6.1.2, §6.4.1; graphql-js execution/values.ts,
 * utilities/coerceInputValue.ts, valueFromAST.ts, astFromValue.ts).
 *
 * Variables arrive as JSON (cJSON, converted once to gg_val); literals come from the document.
 * Both are coerced to "internal" gg_vals: Int/Float/String/Boolean/ID as the scalar's ops return
 * them, enum values as GG_VAL_ENUM naming the value, input objects as OBJECTs holding only the
 * fields that were given or have a default. "Invalid" (graphql-js undefined) is a NULL pointer;
 * null is GG_VAL_NULL. Error messages are graphql-js's, word for word. */
#ifndef GG_EXECUTE_VALUES_H
#define GG_EXECUTE_VALUES_H

#include <cjson/cJSON.h>

#include "../../base/arena.h"
#include "../error.h"
#include "../language/ast.h"
#include "../type/schema.h"
#include "../value.h"

/* Converts parsed request JSON to a gg_val (integers that fit int64_t as INT, other numbers FLOAT). */
gg_val *gg_val_from_cjson(gg_arena *arena, const cJSON *json);
/* The reverse: a new cJSON tree the caller owns (cJSON_Delete). Enum values are strings, RAW JSON
 * text is parsed (null when it does not parse), UNDEFINED members are left out, NULL is null. */
cJSON *gg_val_to_cjson(const gg_val *value);
/* graphql-js getVariableValues (maxErrors 50): the coerced variables (OBJECT), or NULL after adding errors. */
gg_val *gg_coerce_variable_values(const gg_schema *schema, gg_arena *arena, const gg_definition *operation,
                                  const gg_val *inputs, gg_error_list *errors);
/* graphql-js coerceInputValue with its default error wording ("Invalid value 1: ..."); NULL after adding an error. */
gg_val *gg_coerce_input_value(gg_arena *arena, const gg_val *value, const gg_type *type, gg_error_list *errors);
/* graphql-js valueFromAST: the coerced literal (variables substituted from `variables`), NULL when invalid. */
gg_val *gg_value_from_ast(gg_arena *arena, const gg_value *node, const gg_type *type, const gg_val *variables);
/* graphql-js getArgumentValues: the coerced arguments (OBJECT), or NULL after adding one error located at
 * node_loc or at the offending value. */
gg_val *gg_argument_values(gg_arena *arena, const gg_input_value *defs, unsigned def_count, const gg_argument *args,
                           unsigned arg_count, gg_loc node_loc, const gg_val *variables, gg_error_list *errors);
/* graphql-js getDirectiveValues: *out is NULL when the directive is absent; false after adding an error. */
bool gg_directive_values(gg_arena *arena, const gg_directive_def *def, const gg_directive *directives,
                         unsigned directive_count, const gg_val *variables, gg_val **out, gg_error_list *errors);
/* graphql-js astFromValue: a literal for an internal value of an input type, NULL when none; NULL
 * with fault set (fault may be NULL) where graphql-js throws ("Cannot convert value to AST: ..."). */
gg_value *gg_ast_from_value(gg_arena *arena, const gg_val *value, const gg_type *type, gg_fault *fault);
/* graphql-js inspect(): a value as error messages show it ("a", 1, { a: [1, 2] }). */
const char *gg_val_inspect(gg_arena *arena, const gg_val *value);

#endif
