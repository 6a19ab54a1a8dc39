/* unique_operation_types.c: graphql-js UniqueOperationTypesRule, each root operation type is set
 * once across schema definitions and extensions (both places reported). */
#include "sdl_rules.h"

typedef struct state {
    const gg_operation_type_def *seen[3]; /* by gg_operation_kind */
} state;

static const char *operation_name(gg_operation_kind op)
{
    return op == GG_OP_QUERY ? "query" : op == GG_OP_MUTATION ? "mutation" : "subscription";
}

static void enter_definition(gg_sdl_context *c, void *raw, const gg_definition *def)
{
    state *s = raw;
    if (def->kind != GG_DEF_SCHEMA) return;
    for (unsigned i = 0; i < def->operation_type_count; i++) {
        const gg_operation_type_def *op = &def->operation_types[i];
        const gg_operation_type_def *previous = s->seen[op->operation];
        if (previous) {
            gg_error *e = gg_sdl_report(c, previous->loc, "There can be only one %s type in schema.",
                                        operation_name(op->operation));
            gg_error_add_location(c->errors, e, op->loc);
        } else {
            s->seen[op->operation] = op;
        }
    }
}

const gg_sdl_rule gg_sdl_rule_unique_operation_types = {
    .name = "UniqueOperationTypes",
    .state_size = sizeof(state),
    .enter_definition = enter_definition,
};
