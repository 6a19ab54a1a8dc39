/* unique_variable_names.c: spec §5.8.1 "Variable Uniqueness" (graphql-js UniqueVariableNamesRule).
 *
 * Variables of an operation are grouped by name in order of first appearance; each name defined
 * more than once is reported once, at the name of every definition (after the '$'). A few
 * variables are compared pairwise, more are grouped with a map. */
#include "rules.h"

#include <string.h>

enum { FEW = 16 }; /* up to this many variables are compared pairwise */

/* The location of the name after a variable's '$': graphql-js reports the Name node, and
 * ignored tokens may stand between '$' and the name. */
static gg_loc name_after_dollar(const gg_vctx *ctx, gg_loc loc)
{
    const char *src = ctx->document->source;
    size_t len = ctx->document->source_len;
    size_t i = loc.offset;
    if (!src || i >= len || src[i] != '$') return loc;
    i++;
    loc.column++;
    while (i < len) {
        char c = src[i];
        if (c == ' ' || c == '\t' || c == ',') {
            i++;
            loc.column++;
        } else if (c == '\n' || c == '\r') {
            i += (c == '\r' && i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
            loc.line++;
            loc.column = 1;
        } else if (c == '#') {
            while (i < len && src[i] != '\n' && src[i] != '\r') {
                /* count UTF-16 units: continuation bytes add nothing, 4-byte sequences add two */
                unsigned char u = (unsigned char)src[i];
                if ((u & 0xC0) != 0x80) loc.column += u >= 0xF0 ? 2 : 1;
                i++;
            }
        } else if ((unsigned char)c == 0xEF && i + 2 < len && (unsigned char)src[i + 1] == 0xBB &&
                   (unsigned char)src[i + 2] == 0xBF) {
            i += 3;
            loc.column++;
        } else {
            break;
        }
    }
    loc.offset = (uint32_t)i;
    return loc;
}

static bool same_name(const char *a, const char *b)
{
    return a && b && a[0] == b[0] && strcmp(a, b) == 0;
}

/* The same groups for a few variables, compared pairwise without a map: a name's group is
 * reported at its first definition, with every later definition of the name. */
static void check_few(gg_vctx *ctx, const gg_definition *def)
{
    const gg_variable_definition *vars = def->variables;
    for (unsigned i = 0; i < def->variable_count; i++) {
        const char *name = vars[i].variable.value;
        bool seen_before = false, repeated = false;
        for (unsigned j = 0; j < i && !seen_before; j++)
            seen_before = same_name(vars[j].variable.value, name);
        for (unsigned k = i + 1; k < def->variable_count && !seen_before && !repeated; k++)
            repeated = same_name(vars[k].variable.value, name);
        if (seen_before || !repeated) continue;
        gg_error *e = gg_vctx_report(ctx, name_after_dollar(ctx, vars[i].variable.loc),
                                     "There can be only one variable named \"$%s\".", name);
        for (unsigned k = i + 1; k < def->variable_count; k++)
            if (same_name(vars[k].variable.value, name))
                gg_error_add_location(ctx->errors, e, name_after_dollar(ctx, vars[k].variable.loc));
    }
}

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_OPERATION || def->variable_count < 2) return;
    if (def->variable_count <= FEW) {
        check_few(ctx, def);
        return;
    }
    /* group by name in order of first appearance: name -> 1 + index of the group */
    typedef GG_VEC(const gg_variable_definition *) group;
    GG_VEC(group) groups = {0};
    gg_strmap index;
    gg_strmap_init(&index, ctx->arena);
    for (unsigned i = 0; i < def->variable_count; i++) {
        const char *name = def->variables[i].variable.value;
        if (!name) continue;
        uintptr_t g = (uintptr_t)gg_strmap_gets(&index, name);
        if (g == 0) {
            group empty = {0};
            GG_VEC_PUSH(ctx->arena, groups, empty);
            g = groups.count;
            gg_strmap_put(&index, name, strlen(name), (void *)g);
        }
        GG_VEC_PUSH(ctx->arena, groups.items[g - 1], &def->variables[i]);
    }
    for (unsigned g = 0; g < groups.count; g++) {
        if (groups.items[g].count < 2) continue;
        const gg_variable_definition *const *vars = groups.items[g].items;
        gg_error *e = gg_vctx_report(ctx, name_after_dollar(ctx, vars[0]->variable.loc),
                                     "There can be only one variable named \"$%s\".", vars[0]->variable.value);
        for (unsigned k = 1; k < groups.items[g].count; k++)
            gg_error_add_location(ctx->errors, e, name_after_dollar(ctx, vars[k]->variable.loc));
    }
}

const gg_rule gg_rule_unique_variable_names = {
    .name = "UniqueVariableNames",
    .enter_definition = enter_definition,
};
