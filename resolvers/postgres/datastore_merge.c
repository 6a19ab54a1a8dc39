/* datastore_merge.c: AUTOMERGE's rules over gg_val trees; see datastore_merge.h.
 *
 * A merge only builds new nodes where a list or an object is combined; every other result is one
 * of its arguments, so a merge costs a walk of the input and nothing for the fields it leaves. */
#include "datastore_merge.h"

#include <string.h>

static bool absent(const gg_val *v)
{
    return v == NULL || v->kind == GG_VAL_UNDEFINED || v->kind == GG_VAL_NULL;
}

static gg_val *merge_lists(gg_arena *arena, const gg_val *server, const gg_val *incoming)
{
    gg_val *list = gg_val_list(arena, server->count + incoming->count);
    for (unsigned i = 0; i < server->count; i++)
        gg_val_list_push(arena, list, server->items[i]);
    for (unsigned i = 0; i < incoming->count; i++)
        gg_val_list_push(arena, list, incoming->items[i]);
    return list;
}

static gg_val *merge_objects(gg_arena *arena, const gg_val *server, const gg_val *incoming)
{
    gg_val *obj = gg_val_object(arena, server->count + incoming->count);
    for (unsigned i = 0; i < server->count; i++) {
        const char *key = server->members[i].key;
        const gg_val *in = gg_val_object_get(incoming, key);
        gg_val_object_set(arena, obj, key, (gg_val *)gg_pg_merge_value(arena, server->members[i].value, in));
    }
    for (unsigned i = 0; i < incoming->count; i++) /* keys only the input has */
        if (gg_val_object_get(server, incoming->members[i].key) == NULL)
            gg_val_object_set(arena, obj, incoming->members[i].key, incoming->members[i].value);
    return obj;
}

const gg_val *gg_pg_merge_value(gg_arena *arena, const gg_val *server, const gg_val *incoming)
{
    if (absent(server)) return incoming;
    if (absent(incoming)) return server;
    if (server->kind == GG_VAL_LIST && incoming->kind == GG_VAL_LIST) return merge_lists(arena, server, incoming);
    if (server->kind == GG_VAL_OBJECT && incoming->kind == GG_VAL_OBJECT) return merge_objects(arena, server, incoming);
    return server;
}

gg_val *gg_pg_merge_input(gg_arena *arena, const gg_val *row, const gg_val *input)
{
    if (input == NULL || input->kind != GG_VAL_OBJECT) return NULL;
    gg_val *merged = gg_val_object(arena, input->count + 1);
    for (unsigned i = 0; i < input->count; i++) {
        const char *key = input->members[i].key;
        if (strcmp(key, "_version") == 0 || input->members[i].value->kind == GG_VAL_UNDEFINED) continue;
        const gg_val *stored = row != NULL && row->kind == GG_VAL_OBJECT ? gg_val_object_get(row, key) : NULL;
        gg_val_object_set(arena, merged, key, (gg_val *)gg_pg_merge_value(arena, stored, input->members[i].value));
    }
    return merged;
}
