/* ast.c: names of the AST's enumerations (directive locations, operation kinds).
 *
 * Directive locations are bits in ast.h's order, so the name table is indexed by the bit number;
 * lookup by name is a linear scan of 20 short strings, which only SDL parsing does. */
#include "ast.h"

#include <string.h>

static const char *const location_names[] = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
    "DIRECTIVE_DEFINITION",
};

#define LOCATION_COUNT (sizeof(location_names) / sizeof(location_names[0]))

const char *gg_directive_location_name(uint32_t location_bit)
{
    for (unsigned i = 0; i < LOCATION_COUNT; i++) {
        if (location_bit == (1u << i)) return location_names[i];
    }
    return NULL;
}

uint32_t gg_directive_location_from_name(const char *name)
{
    for (unsigned i = 0; i < LOCATION_COUNT; i++) {
        if (strcmp(name, location_names[i]) == 0) return 1u << i;
    }
    return 0;
}

const char *gg_operation_kind_name(gg_operation_kind op)
{
    switch (op) {
    case GG_OP_MUTATION:
        return "mutation";
    case GG_OP_SUBSCRIPTION:
        return "subscription";
    default:
        return "query";
    }
}
