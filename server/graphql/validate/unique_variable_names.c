/* unique_variable_names.c: spec §5.8.1 "Variable Uniqueness" (graphql-js UniqueVariableNamesRule).
 *
 * Variables of an operation are grouped by name in order of first appearance; each name defined
 * more than once is reported once, at the name of every definition (after the '$'). */
#include "rules.h"

#include <string.h>

/* The location of the name after a variable's '$': graphql-js reports the Name node, and
 * ignored tokens may stand between '$' and the name. */
static gg_loc name_after_dollar(const gg_vctx *ctx, gg_loc loc)
{
    const char *src = ctx->document->source;
    size_t len = ctx->document->source_len;
    size_t i = loc.offset;
    if (!src || i >= len || src[i] != '$')
        return loc;
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
                if ((u & 0xC0) != 0x80)
                    loc.column += u >= 0xF0 ? 2 : 1;
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

static void enter_definition(gg_vctx *ctx, void *st, const gg_definition *def)
{
    if (def->kind != GG_DEF_OPERATION)
        return;
    for (unsigned i = 0; i < def->variable_count; i++) {
        const char *name = def->variables[i].variable.value;
        if (!name)
            continue;
        bool first = true, repeated = false;
        for (unsigned k = 0; k < def->variable_count && first; k++)
            if (k != i && def->variables[k].variable.value && strcmp(def->variables[k].variable.value, name) == 0) {
                if (k < i)
                    first = false;
                else
                    repeated = true;
            }
        if (!first || !repeated)
            continue;
        gg_error *e = gg_vctx_report(ctx, name_after_dollar(ctx, def->variables[i].variable.loc),
                                     "There can be only one variable named \"$%s\".", name);
        for (unsigned k = i + 1; k < def->variable_count; k++)
            if (def->variables[k].variable.value && strcmp(def->variables[k].variable.value, name) == 0)
                gg_error_add_location(ctx->errors, e, name_after_dollar(ctx, def->variables[k].variable.loc));
    }
}

const gg_rule gg_rule_unique_variable_names = {
    .name = "UniqueVariableNames",
    .enter_definition = enter_definition,
};
