/* unique_argument_names.c: spec §5.4.2 "Argument Uniqueness" (graphql-js UniqueArgumentNamesRule).
 *
 * For each field and directive, arguments are grouped by name in order of first appearance; a
 * name given more than once gets one error listing every occurrence. Argument lists are short,
 * so the grouping is a quadratic scan without allocation. */
#include <stdbool.h>
#include <string.h>

#include "validate.h"

static void check_arguments(gg_vctx *ctx, const gg_argument *args, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        bool first = true;
        for (unsigned k = 0; k < i && first; k++)
            first = strcmp(args[k].name.value, args[i].name.value) != 0;
        if (!first)
            continue;
        gg_error *error = NULL;
        for (unsigned k = i + 1; k < count; k++) {
            if (strcmp(args[k].name.value, args[i].name.value) != 0)
                continue;
            if (!error)
                error = gg_vctx_report(ctx, args[i].name.loc, "There can be only one argument named \"%s\".",
                                       args[i].name.value);
            gg_error_add_location(ctx->errors, error, args[k].name.loc);
        }
    }
}

static void enter_selection(gg_vctx *ctx, void *state, const gg_selection *sel)
{
    if (sel->kind == GG_SELECTION_FIELD)
        check_arguments(ctx, sel->args, sel->arg_count);
}

static void enter_directive(gg_vctx *ctx, void *state, const gg_directive *dir)
{
    check_arguments(ctx, dir->args, dir->arg_count);
}

const gg_rule gg_rule_unique_argument_names = {
    .name = "UniqueArgumentNames",
    .enter_selection = enter_selection,
    .enter_directive = enter_directive,
};
