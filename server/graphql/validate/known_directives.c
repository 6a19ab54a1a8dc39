/* known_directives.c: spec §5.7.1 "Directives Are Defined" and §5.7.2 "Directives Are In Valid
 * Locations" (graphql-js KnownDirectivesRule).
 *
 * The known directives are the schema's plus the directive definitions of the document (those
 * win). An unknown directive is reported; a known one used where its definition does not allow
 * it is reported with the location's spec name. The walker tells where a directive stands
 * (gg_vctx.directive_location). A map of the known directives is built only for a document that
 * defines directives; otherwise the schema's definition, which the walker has already looked up
 * (gg_vctx.directive), answers. */
#include "rules.h"

#include <string.h>

typedef struct state {
    bool document_directives; /* the document defines directives: use the map */
    gg_strmap locations;      /* directive name -> uint32_t* of allowed location bits */
} state;

static void put_locations(gg_vctx *ctx, state *s, const char *name, uint32_t bits)
{
    uint32_t *stored = gg_arena_alloc(ctx->arena, sizeof *stored);
    *stored = bits;
    gg_strmap_put(&s->locations, name, strlen(name), stored);
}

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->locations, ctx->arena);
    for (unsigned i = 0; i < ctx->document->definition_count && !s->document_directives; i++)
        s->document_directives = ctx->document->definitions[i].kind == GG_DEF_DIRECTIVE;
    if (!s->document_directives) return;
    for (unsigned i = 0; i < ctx->schema->directive_count; i++)
        put_locations(ctx, s, ctx->schema->directives[i]->name, ctx->schema->directives[i]->locations);
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (def->kind == GG_DEF_DIRECTIVE && def->name.value) put_locations(ctx, s, def->name.value, def->locations);
    }
}

static void enter_directive(gg_vctx *ctx, void *st, const gg_directive *dir)
{
    state *s = st;
    const char *name = dir->name.value ? dir->name.value : "";
    const uint32_t *allowed = s->document_directives ? gg_strmap_gets(&s->locations, name)
                              : ctx->directive       ? &ctx->directive->locations
                                                     : NULL;
    if (!allowed) {
        gg_vctx_report(ctx, dir->loc, "Unknown directive \"@%s\".", name);
        return;
    }
    uint32_t where = ctx->directive_location;
    if (where && !(*allowed & where))
        gg_vctx_report(ctx, dir->loc, "Directive \"@%s\" may not be used on %s.", name,
                       gg_directive_location_name(where));
}

const gg_rule gg_rule_known_directives = {
    .name = "KnownDirectives",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_directive = enter_directive,
};
