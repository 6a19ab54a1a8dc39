/* unique_directives_per_location.c: spec §5.7.3 "Directives Are Unique Per Location"
 * (graphql-js UniqueDirectivesPerLocationRule).
 *
 * A non-repeatable directive (per the schema, or the document's own directive definitions) used
 * twice on one node is reported at both uses. As in graphql-js, a type and its extensions share
 * one location, and so do `schema` and its extensions. Directives on the fields, arguments, enum
 * values and input fields of type system definitions in the document are checked when their
 * definition is entered. The map of repeatability is built only for a document that defines
 * directives; otherwise the schema's directive definitions answer. */
#include "rules.h"

#include <string.h>

typedef struct state {
    bool document_directives; /* the document defines directives: use `unique` */
    gg_strmap unique;         /* directive name -> non-NULL when not repeatable (a known directive maps to a value) */
    gg_strmap schema_seen;    /* directives seen on schema definitions/extensions */
    gg_strmap type_seen;      /* type name -> gg_strmap* of directives seen on it and its extensions */
} state;

static const char *const repeatable_mark = "repeatable";
static const char *const unique_mark = "unique";

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    gg_strmap_init(&s->unique, ctx->arena);
    gg_strmap_init(&s->schema_seen, ctx->arena);
    gg_strmap_init(&s->type_seen, ctx->arena);
    for (unsigned i = 0; i < ctx->document->definition_count && !s->document_directives; i++)
        s->document_directives = ctx->document->definitions[i].kind == GG_DEF_DIRECTIVE;
    if (!s->document_directives) return;
    for (unsigned i = 0; i < ctx->schema->directive_count; i++) {
        const gg_directive_def *d = ctx->schema->directives[i];
        gg_strmap_put(&s->unique, d->name, strlen(d->name), (void *)(d->repeatable ? repeatable_mark : unique_mark));
    }
    for (unsigned i = 0; i < ctx->document->definition_count; i++) {
        const gg_definition *def = &ctx->document->definitions[i];
        if (def->kind == GG_DEF_DIRECTIVE && def->name.value)
            gg_strmap_put(&s->unique, def->name.value, strlen(def->name.value),
                          (void *)(def->repeatable ? repeatable_mark : unique_mark));
    }
}

/* Whether `name` is a known directive that is not repeatable. */
static bool is_unique(gg_vctx *ctx, const state *s, const char *name)
{
    if (s->document_directives) return gg_strmap_gets(&s->unique, name) == unique_mark;
    const gg_directive_def *d = gg_schema_find_directive(ctx->schema, name);
    return d && !d->repeatable;
}

/* Checks one node's directives against `seen` (NULL: a fresh set for this node). */
static void check(gg_vctx *ctx, state *s, gg_strmap *seen, const gg_directive *dirs, unsigned count)
{
    if (!seen && count < 2) /* nothing to repeat, nothing to remember */
        return;
    gg_strmap fresh;
    if (!seen) {
        gg_strmap_init(&fresh, ctx->arena);
        seen = &fresh;
    }
    for (unsigned i = 0; i < count; i++) {
        const char *name = dirs[i].name.value;
        if (!name || !is_unique(ctx, s, name)) continue;
        const gg_directive *first = gg_strmap_gets(seen, name);
        if (first) {
            gg_error *e =
                gg_vctx_report(ctx, first->loc, "The directive \"@%s\" can only be used once at this location.", name);
            gg_error_add_location(ctx->errors, e, dirs[i].loc);
        } else {
            gg_strmap_put(seen, name, strlen(name), (void *)&dirs[i]);
        }
    }
}

static gg_strmap *type_seen(gg_vctx *ctx, state *s, const char *type_name)
{
    gg_strmap *seen = gg_strmap_gets(&s->type_seen, type_name);
    if (!seen) {
        seen = gg_arena_alloc(ctx->arena, sizeof *seen);
        gg_strmap_init(seen, ctx->arena);
        gg_strmap_put(&s->type_seen, type_name, strlen(type_name), seen);
    }
    return seen;
}

static void check_input_values(gg_vctx *ctx, state *s, const gg_input_value_def *values, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        check(ctx, s, NULL, values[i].directives, values[i].directive_count);
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    state *s = st;
    switch (def->kind) {
    case GG_DEF_OPERATION:
    case GG_DEF_FRAGMENT:
        check(ctx, s, NULL, def->directives, def->directive_count);
        return;
    case GG_DEF_SCHEMA:
        check(ctx, s, &s->schema_seen, def->directives, def->directive_count);
        return;
    case GG_DEF_DIRECTIVE:
        check_input_values(ctx, s, def->args, def->arg_count);
        return;
    default:
        break;
    }
    if (def->name.value) check(ctx, s, type_seen(ctx, s, def->name.value), def->directives, def->directive_count);
    for (unsigned i = 0; i < def->field_count; i++) {
        check_input_values(ctx, s, def->fields[i].args, def->fields[i].arg_count);
        check(ctx, s, NULL, def->fields[i].directives, def->fields[i].directive_count);
    }
    for (unsigned i = 0; i < def->value_count; i++)
        check(ctx, s, NULL, def->values[i].directives, def->values[i].directive_count);
    check_input_values(ctx, s, def->input_fields, def->input_field_count);
}

static void enter_variable_definition(gg_vctx *ctx, void *st, const gg_variable_definition *var)
{
    check(ctx, st, NULL, var->directives, var->directive_count);
}

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    check(ctx, st, NULL, sel->directives, sel->directive_count);
}

const gg_rule gg_rule_unique_directives_per_location = {
    .name = "UniqueDirectivesPerLocation",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_definition = enter_definition,
    .enter_variable_definition = enter_variable_definition,
    .enter_selection = enter_selection,
};
