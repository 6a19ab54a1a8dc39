/* provided_required_arguments.c: spec §5.4.2.1 "Required Arguments" (graphql-js
 * ProvidedRequiredArgumentsRule).
 *
 * When a field or directive is left, every argument of non-null type without a default that the
 * selection does not give is reported at the field or directive. Directives are looked up among
 * the document's own directive definitions first (they win, as in graphql-js), then the schema;
 * for the former the type is printed from the AST. */
#include <stdbool.h>
#include <string.h>

#include "../language/printer.h"
#include "validate.h"

typedef struct state {
    gg_strmap document_directives; /* name -> const gg_definition* (last definition wins) */
} state;

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->document_directives, ctx->arena);
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (def->kind == GG_DEF_DIRECTIVE && def->name.value)
            gg_strmap_put(&s->document_directives, def->name.value, strlen(def->name.value), (void *)def);
    }
}

static bool is_given(const gg_argument *args, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (strcmp(args[i].name.value, name) == 0) return true;
    return false;
}

static bool is_required(const gg_input_value *arg)
{
    return arg->type && arg->type->kind == GG_KIND_NON_NULL && arg->default_value == NULL;
}

static void leave_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    const gg_field *field = ctx->field_def;
    if (sel->kind != GG_SELECTION_FIELD || !field) return;
    for (unsigned i = 0; i < field->arg_count; i++) {
        const gg_input_value *arg = &field->args[i];
        if (is_required(arg) && !is_given(sel->args, sel->arg_count, arg->name))
            gg_vctx_report(ctx, sel->loc,
                           "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                           field->name, arg->name, gg_type_to_string(ctx->arena, arg->type));
    }
}

static void report_missing(gg_vctx *ctx, const gg_directive *dir, const char *arg_name, const char *type)
{
    gg_vctx_report(ctx, dir->loc,
                   "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                   dir->name.value, arg_name, type);
}

static void leave_directive(gg_vctx *ctx, void *st, const gg_directive *dir)
{
    state *s = st;
    const gg_definition *doc_def = gg_strmap_gets(&s->document_directives, dir->name.value);
    if (doc_def) {
        for (unsigned i = 0; i < doc_def->arg_count; i++) {
            const gg_input_value_def *arg = &doc_def->args[i];
            if (arg->type->kind != GG_TYPE_REF_NON_NULL || arg->default_value != NULL ||
                is_given(dir->args, dir->arg_count, arg->name.value))
                continue;
            gg_buf b;
            gg_buf_init(&b);
            gg_print_type_ref(&b, arg->type);
            report_missing(ctx, dir, arg->name.value, gg_arena_strndup(ctx->arena, b.data ? b.data : "", b.len));
            gg_buf_free(&b);
        }
        return;
    }
    const gg_directive_def *def = gg_schema_find_directive(ctx->schema, dir->name.value);
    if (!def) return;
    for (unsigned i = 0; i < def->arg_count; i++) {
        const gg_input_value *arg = &def->args[i];
        if (is_required(arg) && !is_given(dir->args, dir->arg_count, arg->name))
            report_missing(ctx, dir, arg->name, gg_type_to_string(ctx->arena, arg->type));
    }
}

const gg_rule gg_rule_provided_required_arguments = {
    .name = "ProvidedRequiredArguments",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .leave_selection = leave_selection,
    .leave_directive = leave_directive,
    .selection_kinds = (1u << GG_SELECTION_FIELD),
};
