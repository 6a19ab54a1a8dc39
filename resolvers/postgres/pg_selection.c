/* pg_selection.c: the selections a planning resolver sees; see pg_selection.h.
 *
 * Field collection is the executor's (execute/collect_fields.h, merging by response name and field
 * name); this file adds what the planners need on top: the field definitions (NULL for meta
 * fields), the coerced arguments of a selected field and their text. Everything lives in the
 * request arena. */
#include "pg_selection.h"

#include <string.h>

#include "execute/collect_fields.h"
#include "execute/values.h"
#include "language/printer.h"

bool gg_pg_collect_fields(gg_resolve_info *info, const gg_type *type, const gg_selection *const *nodes, unsigned count,
                          gg_pg_fields *out, gg_fault *fault)
{
    gg_error_list errors;
    gg_error_list_init(&errors, info->arena);
    gg_collected_fields collected;
    if (!gg_resolve_collect_fields(info, type, nodes, count, true, &collected, &errors)) {
        return gg_fault_set_text(fault, NULL, errors.head ? errors.head->message : "Invalid directive arguments.");
    }
    out->items = gg_arena_array(info->arena, collected.count ? collected.count : 1, sizeof *out->items);
    out->count = collected.count;
    for (unsigned i = 0; i < out->count; i++) {
        const gg_collected_field *c = &collected.items[i];
        gg_pg_field_sel *f = &out->items[i];
        f->response_name = c->response_name;
        f->shared_name = c->shared_name;
        f->nodes = c->nodes;
        f->node_count = c->node_count;
        const char *name = f->nodes[0]->name.value;
        f->def = strncmp(name, "__", 2) == 0 ? NULL : gg_type_find_field(type, name);
    }
    return true;
}

gg_val *gg_pg_field_args(gg_resolve_info *info, const gg_pg_field_sel *f, gg_fault *fault)
{
    gg_error_list errors;
    gg_error_list_init(&errors, info->arena);
    const gg_selection *node = f->nodes[0];
    gg_val *args = gg_argument_values(info->arena, f->def->args, f->def->arg_count, node->args, node->arg_count,
                                      node->loc, info->variables, &errors);
    if (args == NULL) gg_fault_set_text(fault, NULL, errors.head ? errors.head->message : "Invalid arguments.");
    return args;
}

const char *gg_pg_arguments_text(gg_arena *arena, const gg_selection *node)
{
    if (node->arg_count == 0) return "";
    gg_buf text;
    gg_buf_init(&text);
    for (unsigned i = 0; i < node->arg_count; i++) {
        gg_buf_printf(&text, "%s%s:", i ? "," : "", node->args[i].name.value);
        gg_print_value(&text, node->args[i].value);
    }
    char *s = gg_arena_strndup(arena, text.data, text.len);
    gg_buf_free(&text);
    return s;
}
