/* known_type_names.c: spec §5.5.1.2 "Fragment Spread Type Existence" and §5.8.2's named types
 * (graphql-js KnownTypeNamesRule).
 *
 * Every NamedType (variable types, type conditions, and the types named inside any type system
 * definition of the document) must be a schema type or a type defined in the document. Inside
 * type system definitions the standard scalars and introspection types are always known and are
 * suggested too. */
#include "rules.h"

#include <string.h>

#include "../suggest.h"

static const char *const standard_type_names[] = {
    "String", "Int",     "Float",        "Boolean",     "ID",         "__Schema", "__Directive", "__DirectiveLocation",
    "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind",
};
#define STANDARD_COUNT (sizeof standard_type_names / sizeof standard_type_names[0])

static bool is_type_definition(const gg_definition *def)
{
    return !def->is_extension && def->kind >= GG_DEF_SCALAR && def->kind <= GG_DEF_INPUT_OBJECT;
}

typedef struct state {
    gg_strmap defined; /* names of the type definitions in the document */
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->defined, ctx->arena);
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (is_type_definition(def) && def->name.value)
            gg_strmap_put(&s->defined, def->name.value, strlen(def->name.value), (void *)def);
    }
}

static void enter_named_type(gg_vctx *ctx, void *st, const gg_type_ref *named)
{
    state *s = st;
    const char *name = named->name.value;
    if (!name || gg_vctx_find_type(ctx, name) || gg_strmap_gets(&s->defined, name)) return;
    bool is_sdl =
        ctx->definition && ctx->definition->kind != GG_DEF_OPERATION && ctx->definition->kind != GG_DEF_FRAGMENT;
    if (is_sdl)
        for (unsigned i = 0; i < STANDARD_COUNT; i++)
            if (strcmp(standard_type_names[i], name) == 0) return;
    const char *hint = "";
    if (!ctx->no_suggestions) {
        GG_VEC(const char *) options = {0};
        if (is_sdl)
            for (unsigned i = 0; i < STANDARD_COUNT; i++)
                GG_VEC_PUSH(ctx->arena, options, standard_type_names[i]);
        for (unsigned i = 0; i < ctx->schema->type_count; i++)
            GG_VEC_PUSH(ctx->arena, options, ctx->schema->types[i]->name);
        for (unsigned i = 0; i < ctx->document->definition_count; i++)
            if (is_type_definition(&ctx->document->definitions[i]) && ctx->document->definitions[i].name.value)
                GG_VEC_PUSH(ctx->arena, options, ctx->document->definitions[i].name.value);
        const char **suggestions;
        unsigned count;
        gg_suggestion_list(ctx->arena, name, options.items, options.count, &suggestions, &count);
        hint = gg_vctx_did_you_mean(ctx, NULL, suggestions, count);
    }
    gg_vctx_report(ctx, named->loc, "Unknown type \"%s\".%s", name, hint);
}

const gg_rule gg_rule_known_type_names = {
    .name = "KnownTypeNames",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_named_type = enter_named_type,
};
