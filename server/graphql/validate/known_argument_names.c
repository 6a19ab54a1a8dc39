/* known_argument_names.c: spec §5.4.1 "Argument Names" (graphql-js KnownArgumentNamesRule).
 *
 * Field arguments are checked with TypeInfo: an argument whose definition is unknown while the
 * field is known is reported with suggestions. Directive arguments are checked against the
 * schema's directives and the directive definitions of the document itself (those win, as in
 * graphql-js); unknown directives are KnownDirectives' business. graphql-js stops this rule's
 * walk at a directive, so arguments inside directives never reach the field check: `in_directive`
 * plays that part here. */
#include <stdbool.h>
#include <string.h>

#include "../suggest.h"
#include "validate.h"

typedef struct arg_names {
    const char **names;
    unsigned count;
} arg_names;

typedef struct state {
    gg_strmap document_directives; /* name -> arg_names* of directive definitions in the document */
    bool in_directive;
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->document_directives, ctx->arena);
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (def->kind != GG_DEF_DIRECTIVE || def->name.value == NULL) continue;
        arg_names *names = gg_arena_alloc(ctx->arena, sizeof *names);
        names->names = gg_arena_array(ctx->arena, def->arg_count + 1, sizeof *names->names);
        for (unsigned a = 0; a < def->arg_count; a++) { /* a Set in graphql-js: each name once */
            bool seen = false;
            for (unsigned k = 0; k < names->count && !seen; k++)
                seen = strcmp(names->names[k], def->args[a].name.value) == 0;
            if (!seen) names->names[names->count++] = def->args[a].name.value;
        }
        gg_strmap_put(&s->document_directives, def->name.value, strlen(def->name.value), names);
    }
}

static void report_unknown(gg_vctx *ctx, const gg_argument *arg, const char *const *known, unsigned known_count,
                           const char *what, const char *owner)
{
    const char **suggestions = NULL;
    unsigned count = 0;
    if (!ctx->no_suggestions) gg_suggestion_list(ctx->arena, arg->name.value, known, known_count, &suggestions, &count);
    gg_vctx_report(ctx, arg->loc, "Unknown argument \"%s\" on %s \"%s\".%s", arg->name.value, what, owner,
                   gg_vctx_did_you_mean(ctx, NULL, suggestions, count));
}

static void check_directive(gg_vctx *ctx, state *s, const gg_directive *dir)
{
    const char *const *known;
    unsigned known_count;
    arg_names *doc = gg_strmap_gets(&s->document_directives, dir->name.value);
    if (doc) {
        known = doc->names;
        known_count = doc->count;
    } else {
        const gg_directive_def *def = gg_schema_find_directive(ctx->schema, dir->name.value);
        if (!def) return;
        const char **names = gg_arena_array(ctx->arena, def->arg_count + 1, sizeof *names);
        for (unsigned a = 0; a < def->arg_count; a++)
            names[a] = def->args[a].name;
        known = names;
        known_count = def->arg_count;
    }
    for (unsigned i = 0; i < dir->arg_count; i++) {
        const gg_argument *arg = &dir->args[i];
        bool found = false;
        for (unsigned k = 0; k < known_count && !found; k++)
            found = strcmp(known[k], arg->name.value) == 0;
        if (!found) {
            char *owner = gg_arena_printf(ctx->arena, "@%s", dir->name.value);
            report_unknown(ctx, arg, known, known_count, "directive", owner);
        }
    }
}

static void enter_directive(gg_vctx *ctx, void *st, const gg_directive *dir)
{
    state *s = st;
    s->in_directive = true;
    check_directive(ctx, s, dir);
}

static void leave_directive(gg_vctx *ctx, void *st, const gg_directive *dir)
{
    ((state *)st)->in_directive = false;
}

static void enter_argument(gg_vctx *ctx, void *st, const gg_argument *arg)
{
    state *s = st;
    if (s->in_directive || ctx->argument || !ctx->field_def || !ctx->parent_type) return;
    const gg_field *field = ctx->field_def;
    const char **names = gg_arena_array(ctx->arena, field->arg_count + 1, sizeof *names);
    for (unsigned a = 0; a < field->arg_count; a++)
        names[a] = field->args[a].name;
    char *owner = gg_arena_printf(ctx->arena, "%s.%s", ctx->parent_type->name, field->name);
    report_unknown(ctx, arg, names, field->arg_count, "field", owner);
}

const gg_rule gg_rule_known_argument_names = {
    .name = "KnownArgumentNames",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_directive = enter_directive,
    .leave_directive = leave_directive,
    .enter_argument = enter_argument,
};
