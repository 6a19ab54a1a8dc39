/* unique_argument_names.c: spec §5.4.2 "Argument Uniqueness" (graphql-js UniqueArgumentNamesRule).
 *
 * For each field and directive, arguments are grouped by name in order of first appearance; a
 * name given more than once gets one error listing every occurrence. Short argument lists are
 * scanned without allocating; long ones are grouped through a map so the check stays linear. */
#include <stdbool.h>
#include <string.h>

#include "validate.h"

enum { SCAN_LIMIT = 16 };

typedef struct arg_group {
    unsigned first;
    GG_VEC(unsigned) repeats; /* positions after the first */
} arg_group;

static void report_group(gg_vctx *ctx, const gg_argument *args, unsigned first, const unsigned *repeats,
                         unsigned repeat_count)
{
    gg_error *error = gg_vctx_report(ctx, args[first].name.loc, "There can be only one argument named \"%s\".",
                                     args[first].name.value);
    for (unsigned k = 0; k < repeat_count; k++)
        gg_error_add_location(ctx->errors, error, args[repeats[k]].name.loc);
}

static bool same_name(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0; /* the first byte settles most pairs */
}

static void check_short_list(gg_vctx *ctx, const gg_argument *args, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        bool first = true;
        for (unsigned k = 0; k < i && first; k++)
            first = !same_name(args[k].name.value, args[i].name.value);
        if (!first) continue;
        unsigned repeats[SCAN_LIMIT], repeat_count = 0;
        for (unsigned k = i + 1; k < count; k++)
            if (same_name(args[k].name.value, args[i].name.value)) repeats[repeat_count++] = k;
        if (repeat_count > 0) report_group(ctx, args, i, repeats, repeat_count);
    }
}

static void check_long_list(gg_vctx *ctx, const gg_argument *args, unsigned count)
{
    gg_strmap groups;
    gg_strmap_init(&groups, ctx->arena);
    for (unsigned i = 0; i < count; i++) {
        const char *name = args[i].name.value;
        arg_group *group = gg_strmap_gets(&groups, name);
        if (group) {
            GG_VEC_PUSH(ctx->arena, group->repeats, i);
        } else {
            group = gg_arena_alloc(ctx->arena, sizeof *group);
            group->first = i;
            gg_strmap_put(&groups, name, strlen(name), group);
        }
    }
    for (unsigned i = 0; i < count; i++) {
        const arg_group *group = gg_strmap_gets(&groups, args[i].name.value);
        if (group->first == i && group->repeats.count > 0)
            report_group(ctx, args, i, group->repeats.items, group->repeats.count);
    }
}

static void check_arguments(gg_vctx *ctx, const gg_argument *args, unsigned count)
{
    if (count < 2) /* nothing can repeat */
        return;
    if (count <= SCAN_LIMIT)
        check_short_list(ctx, args, count);
    else
        check_long_list(ctx, args, count);
}

static void enter_selection(gg_vctx *ctx, void *state, const gg_selection *sel)
{
    if (sel->kind == GG_SELECTION_FIELD) check_arguments(ctx, sel->args, sel->arg_count);
}

static void enter_directive(gg_vctx *ctx, void *state, const gg_directive *dir)
{
    check_arguments(ctx, dir->args, dir->arg_count);
}

const gg_rule gg_rule_unique_argument_names = {
    .name = "UniqueArgumentNames",
    .enter_selection = enter_selection,
    .enter_directive = enter_directive,
    .selection_kinds = (1u << GG_SELECTION_FIELD),
};
