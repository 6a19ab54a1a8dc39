/* executable_definitions.c: spec §5.1.1 "Executable Definitions" (graphql-js ExecutableDefinitionsRule).
 *
 * A request document holds only operations and fragments: every type system definition or
 * extension is reported once, at the start of the document, in document order. */
#include "rules.h"

static void enter_document(gg_vctx *ctx, void *state)
{
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (def->kind == GG_DEF_OPERATION || def->kind == GG_DEF_FRAGMENT) continue;
        if (def->kind == GG_DEF_SCHEMA)
            gg_vctx_report(ctx, def->loc, "The schema definition is not executable.");
        else
            gg_vctx_report(ctx, def->loc, "The \"%s\" definition is not executable.",
                           def->name.value ? def->name.value : "");
    }
}

const gg_rule gg_rule_executable_definitions = {
    .name = "ExecutableDefinitions",
    .enter_document = enter_document,
};
