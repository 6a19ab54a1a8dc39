/* lone_anonymous_operation.c: spec §5.2.2.1 "Lone Anonymous Operation" (graphql-js LoneAnonymousOperationRule).
 *
 * Counts the operations once at the document; an anonymous operation among several is reported. */
#include "rules.h"

typedef struct state {
    unsigned operation_count;
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    for (unsigned i = 0; i < ctx->document->definition_count; i++)
        if (ctx->document->definitions[i].kind == GG_DEF_OPERATION) s->operation_count++;
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    if (def->kind == GG_DEF_OPERATION && !def->name.value && s->operation_count > 1)
        gg_vctx_report(ctx, def->loc, "This anonymous operation must be the only defined operation.");
}

const gg_rule gg_rule_lone_anonymous_operation = {
    .name = "LoneAnonymousOperation",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_definition = enter_definition,
};
