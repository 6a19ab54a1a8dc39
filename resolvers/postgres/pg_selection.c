/* pg_selection.c: graphql-js collectFields for planning resolvers; see pg_selection.h.
 *
 * A recursive walk over the selection sets, with a map from response name to its first position
 * (a response name given to several fields, which only aliases of `items` allow, is searched on
 * from there) so merged fields keep the order of their first appearance, and a visited set so
 * each named fragment is expanded once per collection (as graphql-js does). Everything lives in
 * the request arena. */
#include "pg_selection.h"

#include <string.h>

#include "execute/values.h"
#include "language/printer.h"

typedef GG_VEC(const gg_selection *) node_vec;

typedef struct collector {
    gg_resolve_info *info;
    const gg_type *type;
    gg_strmap by_name; /* response name -> index + 1 of its first entry */
    GG_VEC(gg_pg_field_sel) fields;
    GG_VEC(node_vec) nodes;
    gg_strmap visited;
    const char *error;
} collector;

static bool directive_flag(collector *c, const char *name, const gg_directive *dirs, unsigned count, bool *flag)
{
    const gg_directive_def *def = gg_schema_find_directive(c->info->schema, name);
    if (def == NULL) return false;
    gg_error_list errors;
    gg_error_list_init(&errors, c->info->arena);
    gg_val *args = NULL;
    if (!gg_directive_values(c->info->arena, def, dirs, count, c->info->variables, &args, &errors)) {
        if (c->error == NULL) c->error = errors.head ? errors.head->message : "Invalid directive arguments.";
        return false;
    }
    const gg_val *cond = gg_val_object_get(args, "if");
    if (cond == NULL || cond->kind != GG_VAL_BOOL) return false;
    *flag = cond->b;
    return true;
}

static bool should_include(collector *c, const gg_directive *dirs, unsigned count)
{
    if (count == 0) return true;
    bool flag = false;
    if (directive_flag(c, "skip", dirs, count, &flag) && flag) return false;
    if (directive_flag(c, "include", dirs, count, &flag) && !flag) return false;
    return c->error == NULL;
}

static bool condition_matches(collector *c, const char *condition)
{
    if (condition == NULL) return true;
    const gg_type *cond = gg_schema_find_type(c->info->schema, condition);
    if (cond == c->type) return true;
    return cond != NULL && gg_type_is_abstract(cond) && gg_schema_is_sub_type(c->info->schema, cond, c->type);
}

/* The entry (index + 1) for response name and field name, searching from the first entry with
 * that response name; 0 when there is none (the name is shared with another field). */
static unsigned find_entry(collector *c, unsigned from, const char *response, const char *field)
{
    for (unsigned i = from; i < c->fields.count; i++)
        if (strcmp(c->fields.items[i].response_name, response) == 0 &&
            strcmp(c->nodes.items[i].items[0]->name.value, field) == 0)
            return i + 1;
    return 0;
}

static void collect(collector *c, const gg_selection_set *set)
{
    gg_arena *arena = c->info->arena;
    for (unsigned i = 0; set && i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        if (!should_include(c, sel->directives, sel->directive_count)) continue;
        if (sel->kind == GG_SELECTION_FIELD) {
            const char *response = sel->alias.value ? sel->alias.value : sel->name.value;
            uintptr_t first = (uintptr_t)gg_strmap_gets(&c->by_name, response);
            unsigned idx = first ? find_entry(c, (unsigned)first - 1, response, sel->name.value) : 0;
            if (idx == 0) {
                gg_pg_field_sel f = {.response_name = response, .shared_name = first != 0};
                if (first) c->fields.items[first - 1].shared_name = true;
                GG_VEC_PUSH(arena, c->fields, f);
                node_vec empty = {0};
                GG_VEC_PUSH(arena, c->nodes, empty);
                idx = c->fields.count;
                if (!first) gg_strmap_put(&c->by_name, response, strlen(response), (void *)(uintptr_t)idx);
            }
            GG_VEC_PUSH(arena, c->nodes.items[idx - 1], sel);
        } else if (sel->kind == GG_SELECTION_INLINE_FRAGMENT) {
            if (condition_matches(c, sel->type_condition.value)) collect(c, sel->selection_set);
        } else {
            const char *name = sel->name.value;
            if (gg_strmap_gets(&c->visited, name)) continue;
            gg_strmap_put(&c->visited, name, strlen(name), (void *)1);
            const gg_definition *frag = gg_resolve_find_fragment(c->info, name);
            if (frag && condition_matches(c, frag->type_condition.value)) collect(c, frag->selection_set);
        }
    }
}

bool gg_pg_collect_fields(gg_resolve_info *info, const gg_type *type, const gg_selection *const *nodes, unsigned count,
                          gg_pg_fields *out, const char **error)
{
    collector c = {.info = info, .type = type};
    gg_strmap_init(&c.by_name, info->arena);
    gg_strmap_init(&c.visited, info->arena);
    for (unsigned i = 0; i < count; i++)
        collect(&c, nodes[i]->selection_set);
    if (c.error) {
        *error = c.error;
        return false;
    }
    out->items = c.fields.items;
    out->count = c.fields.count;
    for (unsigned i = 0; i < out->count; i++) {
        gg_pg_field_sel *f = &out->items[i];
        f->nodes = c.nodes.items[i].items;
        f->node_count = c.nodes.items[i].count;
        const char *name = f->nodes[0]->name.value;
        f->def = strncmp(name, "__", 2) == 0 ? NULL : gg_type_find_field(type, name);
    }
    return true;
}

gg_val *gg_pg_field_args(gg_resolve_info *info, const gg_pg_field_sel *f, const char **error)
{
    gg_error_list errors;
    gg_error_list_init(&errors, info->arena);
    const gg_selection *node = f->nodes[0];
    gg_val *args = gg_argument_values(info->arena, f->def->args, f->def->arg_count, node->args, node->arg_count,
                                      node->loc, info->variables, &errors);
    if (args == NULL) *error = errors.head ? errors.head->message : "Invalid arguments.";
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
