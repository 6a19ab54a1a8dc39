/* max_introspection_depth.c: graphql-js MaxIntrospectionDepthRule (a "recommended" rule that
 * graphql-js 16.15 runs after the spec rules).
 *
 * An introspection query that nests the list fields of __Type (fields, interfaces,
 * possibleTypes, inputFields) three deep can make a response exponentially large, so such a
 * __schema or __type field is refused with "Maximum introspection depth exceeded" at the field.
 * Fragment spreads are followed. Like graphql-js, the check remembers per fragment the entry depth
 * at which it last completed without reaching the limit (checked) or reached it (exceeded), which
 * keeps the work linear in the document, and a fragment already being visited at an equal or
 * deeper entry depth is not entered again (cycles). The recursion is additionally capped: a
 * chain of more than MAX_RECURSION nested selections and spreads is treated as too deep (graphql-js
 * would exhaust its stack there). */
#include "rules.h"

#include <stdint.h>
#include <string.h>

enum { MAX_LISTS_DEPTH = 3, MAX_RECURSION = 5000, DEPTH_SCAN = 16 };

/* Fragment name -> entry depth + 1 (0: absent). A document spreads few fragments: up to
 * DEPTH_SCAN names are kept in an array and scanned, more go to a map. */
typedef struct depth_map {
    gg_arena *arena;
    const char *names[DEPTH_SCAN];
    unsigned depths[DEPTH_SCAN];
    unsigned count;
    gg_strmap *more; /* past DEPTH_SCAN names: all of them */
} depth_map;

typedef struct depth_state {
    depth_map checked;  /* entry depth + 1 of a check that stayed under the limit */
    depth_map exceeded; /* entry depth + 1 of a check that reached the limit */
    bool ready;
} depth_state;

typedef struct depth_walk {
    gg_vctx *ctx;
    depth_state *st;
    depth_map visited; /* entry depth + 1, for this root field's check */
    unsigned recursion;
} depth_walk;

static int depth_slot(const depth_map *map, const char *name)
{
    for (unsigned i = 0; i < map->count; i++)
        if (map->names[i][0] == name[0] && strcmp(map->names[i], name) == 0) return (int)i;
    return -1;
}

static unsigned map_depth(const depth_map *map, const char *name)
{
    if (map->more) return (unsigned)(uintptr_t)gg_strmap_gets(map->more, name);
    int i = depth_slot(map, name);
    return i < 0 ? 0 : map->depths[i];
}

static void map_set_depth(depth_map *map, const char *name, unsigned depth)
{
    if (!map->more) {
        int i = depth_slot(map, name);
        if (i >= 0) {
            map->depths[i] = depth + 1;
            return;
        }
        if (map->count < DEPTH_SCAN) {
            map->names[map->count] = name;
            map->depths[map->count++] = depth + 1;
            return;
        }
        map->more = gg_arena_alloc(map->arena, sizeof *map->more);
        gg_strmap_init(map->more, map->arena);
        for (unsigned k = 0; k < map->count; k++)
            gg_strmap_put(map->more, map->names[k], strlen(map->names[k]), (void *)(uintptr_t)map->depths[k]);
    }
    gg_strmap_put(map->more, name, strlen(name), (void *)(uintptr_t)(depth + 1));
}

static bool is_list_field(const char *name)
{
    switch (name[0]) { /* the first letter rules out most names without a call */
    case 'f':
        return strcmp(name, "fields") == 0;
    case 'i':
        return strcmp(name, "interfaces") == 0 || strcmp(name, "inputFields") == 0;
    case 'p':
        return strcmp(name, "possibleTypes") == 0;
    default:
        return false;
    }
}

static bool check_selection_set(depth_walk *w, const gg_selection_set *set, unsigned depth);

static bool check_spread(depth_walk *w, const char *name, unsigned depth)
{
    unsigned exceeded = map_depth(&w->st->exceeded, name);
    if (exceeded != 0 && exceeded - 1 <= depth)
        return true; /* reached the limit before from an equal or shallower entry */
    unsigned visited = map_depth(&w->visited, name), checked = map_depth(&w->st->checked, name);
    if ((visited != 0 && visited - 1 >= depth) || (checked != 0 && checked - 1 >= depth)) return false;
    const gg_definition *fragment = gg_vctx_fragment(w->ctx, name);
    if (fragment == NULL) return false; /* KnownFragmentNames reports it */
    map_set_depth(&w->visited, name, depth);
    if (check_selection_set(w, fragment->selection_set, depth)) {
        map_set_depth(&w->st->exceeded, name, depth);
        return true;
    }
    map_set_depth(&w->st->checked, name, depth);
    return false;
}

static bool check_selection(depth_walk *w, const gg_selection *sel, unsigned depth)
{
    if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD)
        return sel->name.value != NULL && check_spread(w, sel->name.value, depth);
    if (sel->kind == GG_SELECTION_FIELD && is_list_field(sel->name.value) && ++depth >= MAX_LISTS_DEPTH) return true;
    return check_selection_set(w, sel->selection_set, depth);
}

static bool check_selection_set(depth_walk *w, const gg_selection_set *set, unsigned depth)
{
    if (set == NULL) return false;
    if (++w->recursion > MAX_RECURSION) return true;
    bool found = false;
    for (unsigned i = 0; i < set->count && !found; i++)
        found = check_selection(w, &set->selections[i], depth);
    w->recursion--;
    return found;
}

static void enter_selection(gg_vctx *ctx, void *state, const gg_selection *sel)
{
    if (sel->kind != GG_SELECTION_FIELD || sel->name.value[0] != '_' ||
        (strcmp(sel->name.value, "__schema") != 0 && strcmp(sel->name.value, "__type") != 0))
        return;
    depth_state *st = state;
    if (!st->ready) {
        st->checked.arena = ctx->arena;
        st->exceeded.arena = ctx->arena;
        st->ready = true;
    }
    depth_walk w = {.ctx = ctx, .st = st, .visited = {.arena = ctx->arena}};
    if (check_selection_set(&w, sel->selection_set, 0))
        gg_vctx_report(ctx, sel->loc, "Maximum introspection depth exceeded");
}

const gg_rule gg_rule_max_introspection_depth = {
    .name = "MaxIntrospectionDepth",
    .state_size = sizeof(depth_state),
    .enter_selection = enter_selection,
    .selection_kinds = (1u << GG_SELECTION_FIELD),
};
