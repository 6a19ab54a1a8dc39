/* overlapping_fields_can_be_merged.c: spec §5.3.2 "Field Selection Merging" (graphql-js 16.15
 * OverlappingFieldsCanBeMergedRule).
 *
 * Two fields with the same response name in one selection (through fragments and inline
 * fragments too) must be the same field with the same arguments, unless their parent types are
 * two different object types (then they can never both apply), and must in any case return
 * compatible shapes: the same list / non-null wrapping and the same leaf types, recursively for
 * their sub-selections.
 *
 * The algorithm is graphql-js's, step for step, because the order of its comparisons decides the
 * order and the locations of the errors:
 *   - every selection set (except those of inline fragments, which are flattened into their
 *     enclosing set) is compared "within": each pair of fields of one response name;
 *   - then "between" its fields and each spread fragment, and between each pair of spread
 *     fragments, recursively through fragments spread inside fragments;
 *   - two overlapping fields with sub-selections compare those sub-selections "between" each
 *     other, and a conflict there becomes "subfields ... conflict because ..." of the parents.
 * Caches make it fast, all as in graphql-js: the collected fields of a (parent type, selection
 * set) pair; per collection, the fragments already compared with it and the response names it
 * shares with another collection; per field, the verdict against each other field; and the pairs
 * of fragments already compared (a pair compared as "not mutually exclusive" also covers the
 * exclusive case). graphql-js 16.15 meters the work with a budget of 500000 units spent at the
 * same points as here; when it runs out the validation stops with "Validation aborted." (done
 * through gg_vctx_spend_fragment_work with a cost larger than any budget, which is the walker's
 * way to stop). Messages and location lists are capped as graphql-js caps them (1000 characters,
 * 20 locations a side). Recursion is bounded: past MAX_DEPTH nested comparisons (where graphql-js
 * would overflow its stack) the budget counts as spent. Everything lives in the validation arena. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

enum {
    COMPLEXITY_BUDGET = 500000,
    MAX_DETAIL_LENGTH = 1000, /* graphql-js MAX_CONFLICT_DETAIL_LENGTH */
    MAX_CONFLICT_NODES = 20,
    MAX_DEPTH = 2000,
    SCAN_LIMIT = 8,  /* argument lists longer than this get a name -> value map */
    SMALL_SET = 32,  /* selection sets up to this size are checked pairwise for repeated response names */
    GROUP_SCAN = 16, /* collections up to this many response names find them by scanning, not a map */
};

/* graphql-js "fieldDetails": one field selection with its parent type and definition. */
typedef struct field_detail {
    const gg_type *parent_type;
    const gg_selection *node;
    const gg_field *def;     /* NULL: unknown field, or parent not an object / interface */
    bool is_simple_leaf;     /* no arguments and no selection set */
    bool has_info;           /* graphql-js getFieldInfo was called: comparisons is ready */
    gg_strmap comparisons;   /* other field_detail pointer -> reason, or no_conflict */
    gg_strmap *argument_map; /* name -> value (the last argument of a name), for long argument lists */
    const char *type_string;
} field_detail;

typedef struct field_group { /* the fields of one response name, in document order */
    const char *response_name;
    GG_VEC(field_detail *) fields; /* starts in first_fields */
    field_detail *first_fields[2];
} field_group;

typedef struct group_and_detail {
    field_group group;
    field_detail detail;
} group_and_detail;

typedef struct overlap {
    const char *response_name;
    field_group *fields1, *fields2;
} overlap;

typedef struct overlap_list {
    overlap *items;
    unsigned count;
} overlap_list;

/* graphql-js collectFields result for one (parent type, selection set) pair. */
typedef struct collected {
    GG_VEC(field_group *) groups;        /* in order of first appearance of each response name */
    gg_strmap group_map;                 /* response name -> field_group*, once there are more than GROUP_SCAN */
    GG_VEC(const char *) fragment_names; /* spread names, each once, in order */
    gg_strmap fragment_name_set;         /* once there are more than SCAN_LIMIT */
    gg_strmap compared_fragments;        /* fragment name -> &exclusive_true or &exclusive_false */
    gg_strmap overlapping;               /* other collected pointer -> overlap_list* */
} collected;

/* graphql-js Conflict: a response name, why, and the nodes of each side. */
typedef struct conflict {
    const char *response_name;
    const char *reason;
    const gg_selection **fields1, **fields2;
    unsigned count1, count2;
} conflict;

typedef GG_VEC(conflict) conflict_list;

typedef struct state {
    gg_vctx *ctx;
    gg_strmap compared_pairs;  /* "a\0b" -> &exclusive_true / &exclusive_false (graphql-js PairSet) */
    gg_strmap sorted_objects;  /* object literal pointer -> its fields sorted by name */
    gg_strmap collected_cache; /* (parent type, selection set) pointers -> collected* */
    long budget;
    bool exhausted;
    unsigned depth;
    const gg_selection_set *inline_set; /* selection set of the inline fragment being entered */
} state;

static const char no_conflict[] = "";
static const bool exclusive_true = true, exclusive_false = false;

static const bool *exclusive_mark(bool are_mutually_exclusive)
{
    return are_mutually_exclusive ? &exclusive_true : &exclusive_false;
}

/* graphql-js spendComplexityBudget: false once the budget is spent (graphql-js throws there). */
static bool spend(state *s, long cost)
{
    if (s->exhausted) return false;
    s->budget -= cost;
    if (s->budget < 0) s->exhausted = true;
    return !s->exhausted;
}

static bool enter_recursion(state *s)
{
    if (++s->depth > MAX_DEPTH) s->exhausted = true;
    return !s->exhausted;
}

/* ---- pointer-keyed maps ---- */

static void *pointer_get(const gg_strmap *map, const void *a, const void *b)
{
    const void *key[2] = {a, b};
    return gg_strmap_get(map, (const char *)key, sizeof key);
}

static void pointer_put(state *s, gg_strmap *map, const void *a, const void *b, void *value)
{
    const void **key = gg_arena_array(s->ctx->arena, 2, sizeof *key);
    key[0] = a;
    key[1] = b;
    gg_strmap_put(map, (const char *)key, 2 * sizeof *key, value);
}

/* ---- the PairSet of fragment names ---- */

/* Writes "a\0b" into buf when it fits (lookups), else into the arena (keys that are stored). */
static char *pair_key(state *s, const char *a, const char *b, char *buf, size_t buf_size, size_t *len)
{
    size_t la = strlen(a), lb = strlen(b);
    char *key = la + lb + 2 <= buf_size ? buf : gg_arena_alloc(s->ctx->arena, la + lb + 2);
    memcpy(key, a, la);
    key[la] = '\0';
    memcpy(key + la + 1, b, lb);
    key[la + 1 + lb] = '\0';
    *len = la + lb + 1;
    return key;
}

static bool pair_has_ordered(state *s, const char *a, const char *b, bool weakly_present)
{
    char buf[256];
    size_t len;
    const char *key = pair_key(s, a, b, buf, sizeof buf, &len);
    const bool *result = gg_strmap_get(&s->compared_pairs, key, len);
    if (!result) return false;
    return weakly_present ? true : *result == weakly_present;
}

static bool pair_has(state *s, const char *a, const char *b, bool are_mutually_exclusive)
{
    return pair_has_ordered(s, a, b, are_mutually_exclusive) || pair_has_ordered(s, b, a, are_mutually_exclusive);
}

static void pair_add(state *s, const char *a, const char *b, bool are_mutually_exclusive)
{
    size_t len;
    char *key = pair_key(s, a, b, NULL, 0, &len);
    gg_strmap_put(&s->compared_pairs, key, len, (void *)exclusive_mark(are_mutually_exclusive));
}

/* ---- collecting fields (graphql-js collectFields) ---- */

/* Whether two names are equal: most differ in their first two bytes, compared without a call. */
static inline bool same_name(const char *a, const char *b)
{
    return a[0] == b[0] && (a[0] == '\0' || (a[1] == b[1] && strcmp(a + 1, b + 1) == 0));
}

/* Finds `name` in a short list of names. */
static int scan_names(const char *name, const char *const *names, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (same_name(names[i], name)) return (int)i;
    return -1;
}

/* The group of a response name: a scan while the collection is small, then its map. */
static field_group *find_group(const collected *c, const char *name)
{
    if (c->groups.count > GROUP_SCAN) return gg_strmap_gets(&c->group_map, name);
    for (unsigned i = 0; i < c->groups.count; i++) {
        const char *n = c->groups.items[i]->response_name;
        if (same_name(n, name)) return c->groups.items[i];
    }
    return NULL;
}

static void put_group_name(collected *c, field_group *group)
{
    gg_strmap_put(&c->group_map, group->response_name, strlen(group->response_name), group);
}

static void add_group(state *s, collected *c, field_group *group)
{
    GG_VEC_PUSH(s->ctx->arena, c->groups, group);
    if (c->groups.count == GROUP_SCAN + 1) /* past the scan limit: map them all */
        for (unsigned i = 0; i < c->groups.count; i++)
            put_group_name(c, c->groups.items[i]);
    else if (c->groups.count > GROUP_SCAN + 1)
        put_group_name(c, group);
}

/* Adds a spread name unless already there; the set is a map once past the scan limit. */
static void add_fragment_name(state *s, collected *c, const char *name)
{
    if (c->fragment_names.count <= SCAN_LIMIT) {
        if (scan_names(name, c->fragment_names.items, c->fragment_names.count) >= 0) return;
    } else if (gg_strmap_gets(&c->fragment_name_set, name)) {
        return;
    }
    GG_VEC_PUSH(s->ctx->arena, c->fragment_names, name);
    if (c->fragment_names.count == SCAN_LIMIT + 1)
        for (unsigned i = 0; i < c->fragment_names.count; i++)
            gg_strmap_put(&c->fragment_name_set, c->fragment_names.items[i], strlen(c->fragment_names.items[i]),
                          (void *)c->fragment_names.items[i]);
    else if (c->fragment_names.count > SCAN_LIMIT + 1)
        gg_strmap_put(&c->fragment_name_set, name, strlen(name), (void *)name);
}

static void collect_into(state *s, const gg_type *parent_type, const gg_selection_set *set, collected *out)
{
    gg_arena *arena = s->ctx->arena;
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        if (sel->kind == GG_SELECTION_FIELD) {
            const char *response_name = sel->alias.value ? sel->alias.value : sel->name.value;
            field_group *group = find_group(out, response_name);
            field_detail *detail;
            if (!group) { /* a new response name: the group and its first field in one allocation */
                group_and_detail *both = gg_arena_alloc(arena, sizeof *both);
                group = &both->group;
                detail = &both->detail;
                group->response_name = response_name;
                group->fields.items = group->first_fields;
                group->fields.cap = sizeof group->first_fields / sizeof group->first_fields[0];
                add_group(s, out, group);
            } else {
                detail = gg_arena_alloc(arena, sizeof *detail);
            }
            detail->parent_type = parent_type;
            detail->node = sel;
            if (parent_type && (parent_type->kind == GG_KIND_OBJECT || parent_type->kind == GG_KIND_INTERFACE))
                detail->def = gg_vctx_find_field(s->ctx, parent_type, sel);
            detail->is_simple_leaf = sel->arg_count == 0 && sel->selection_set == NULL;
            GG_VEC_PUSH(arena, group->fields, detail);
        } else if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD) {
            add_fragment_name(s, out, sel->name.value);
        } else if (sel->selection_set) {
            const gg_type *type =
                sel->type_condition.value ? gg_vctx_find_type(s->ctx, sel->type_condition.value) : parent_type;
            collect_into(s, type, sel->selection_set, out);
        }
    }
}

static collected *collect_fields(state *s, const gg_type *parent_type, const gg_selection_set *set)
{
    collected *cached = pointer_get(&s->collected_cache, parent_type, set);
    if (cached) return cached;
    gg_arena *arena = s->ctx->arena;
    collected *result = gg_arena_alloc(arena, sizeof *result);
    gg_strmap_init(&result->group_map, arena);
    gg_strmap_init(&result->fragment_name_set, arena);
    gg_strmap_init(&result->compared_fragments, arena);
    gg_strmap_init(&result->overlapping, arena);
    collect_into(s, parent_type, set, result);
    pointer_put(s, &s->collected_cache, parent_type, set, result);
    return result;
}

static collected *collect_fragment_fields(state *s, const gg_definition *fragment)
{
    const gg_type *type =
        fragment->type_condition.value ? gg_vctx_find_type(s->ctx, fragment->type_condition.value) : NULL;
    return collect_fields(s, type, fragment->selection_set);
}

/* graphql-js getOverlappingFields: the response names two collections share (cached). */
static const overlap_list *overlapping_fields(state *s, collected *c1, collected *c2)
{
    overlap_list *cached = pointer_get(&c1->overlapping, c2, NULL);
    if (cached) return cached;
    overlap_list *list = gg_arena_alloc(s->ctx->arena, sizeof *list);
    list->items = gg_arena_array(s->ctx->arena, c1->groups.count + 1, sizeof *list->items);
    for (unsigned i = 0; i < c1->groups.count; i++) {
        if (!spend(s, 1)) return list;
        field_group *group = c1->groups.items[i];
        field_group *other = find_group(c2, group->response_name);
        if (other) list->items[list->count++] = (overlap){group->response_name, group, other};
    }
    pointer_put(s, &c1->overlapping, c2, NULL, list);
    return list;
}

/* ---- comparing two fields ---- */

/* graphql-js maybeAbbreviate. */
static const char *abbreviate(state *s, const char *text)
{
    size_t len = strlen(text);
    if (len <= MAX_DETAIL_LENGTH) return text;
    return gg_arena_printf(s->ctx->arena, "%.*s...", (int)MAX_DETAIL_LENGTH, text);
}

static int compare_field_names(const void *a, const void *b)
{
    const gg_object_field *fa = *(const gg_object_field *const *)a, *fb = *(const gg_object_field *const *)b;
    int c = strcmp(fa->name.value, fb->name.value);
    return c != 0 ? c : (fa < fb ? -1 : fa > fb); /* stable, like Array.prototype.sort */
}

/* An object literal's fields sorted by name, computed once per literal (graphql-js caches the
 * string form of each argument value for the same reason). */
static const gg_object_field **sorted_fields(state *s, const gg_value *object)
{
    const gg_object_field **cached = pointer_get(&s->sorted_objects, object, NULL);
    if (cached) return cached;
    const gg_object_field **fields = gg_arena_array(s->ctx->arena, object->field_count + 1, sizeof *fields);
    for (unsigned i = 0; i < object->field_count; i++)
        fields[i] = &object->fields[i];
    qsort(fields, object->field_count, sizeof *fields, compare_field_names);
    pointer_put(s, &s->sorted_objects, object, NULL, fields);
    return fields;
}

/* graphql-js compares arguments by a JSON form of the literal with object fields sorted by name:
 * the same thing as structural equality with sorted object fields. */
static bool same_value(state *s, const gg_value *a, const gg_value *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case GG_VALUE_VARIABLE:
    case GG_VALUE_INT:
    case GG_VALUE_FLOAT:
    case GG_VALUE_ENUM:
        return strcmp(a->text, b->text) == 0;
    case GG_VALUE_STRING:
        return a->block == b->block && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    case GG_VALUE_BOOLEAN:
        return a->boolean == b->boolean;
    case GG_VALUE_NULL:
        return true;
    case GG_VALUE_LIST:
        if (a->item_count != b->item_count) return false;
        for (unsigned i = 0; i < a->item_count; i++)
            if (!same_value(s, a->items[i], b->items[i])) return false;
        return true;
    case GG_VALUE_OBJECT: {
        if (a->field_count != b->field_count) return false;
        const gg_object_field **fa = sorted_fields(s, a), **fb = sorted_fields(s, b);
        for (unsigned i = 0; i < a->field_count; i++)
            if (strcmp(fa[i]->name.value, fb[i]->name.value) != 0 || !same_value(s, fa[i]->value, fb[i]->value))
                return false;
        return true;
    }
    }
    return false;
}

/* The value of the last argument named `name` (graphql-js builds a Map), or NULL. */
static const gg_value *argument_value(const field_detail *detail, const char *name)
{
    if (detail->argument_map) return gg_strmap_gets(detail->argument_map, name);
    const gg_selection *field = detail->node;
    for (unsigned i = field->arg_count; i-- > 0;)
        if (strcmp(field->args[i].name.value, name) == 0) return field->args[i].value;
    return NULL;
}

/* graphql-js sameArguments. */
static bool same_arguments(state *s, const field_detail *d1, const field_detail *d2)
{
    const gg_selection *f1 = d1->node, *f2 = d2->node;
    if (f1->arg_count == 0) return f2->arg_count == 0;
    if (f1->arg_count != f2->arg_count) return false;
    for (unsigned i = 0; i < f1->arg_count; i++) {
        if (!spend(s, 1)) return false;
        const gg_value *v2 = argument_value(d2, f1->args[i].name.value);
        if (!v2 || !same_value(s, f1->args[i].value, v2)) return false;
    }
    return true;
}

/* graphql-js compares type objects with ===. Its named types are unique, but each field definition
 * has its own wrapper objects ([Int] of one field is not [Int] of another), so wrappers are the same
 * object only within one field definition (same_def). */
static bool same_type_object(const gg_type *t1, const gg_type *t2, bool same_def)
{
    if (same_def) return true;
    return t1 == t2 && t1->kind != GG_KIND_LIST && t1->kind != GG_KIND_NON_NULL;
}

/* graphql-js doTypesConflict: can the two types not apply to one value? */
static bool types_conflict(state *s, const gg_type *t1, const gg_type *t2, bool same_def)
{
    if (same_type_object(t1, t2, same_def)) return false;
    if (!spend(s, 1)) return false;
    if (t1->kind == GG_KIND_LIST)
        return t2->kind == GG_KIND_LIST ? types_conflict(s, t1->of_type, t2->of_type, same_def) : true;
    if (t2->kind == GG_KIND_LIST) return true;
    if (t1->kind == GG_KIND_NON_NULL)
        return t2->kind == GG_KIND_NON_NULL ? types_conflict(s, t1->of_type, t2->of_type, same_def) : true;
    if (t2->kind == GG_KIND_NON_NULL) return true;
    if (gg_type_is_leaf(t1) || gg_type_is_leaf(t2)) return t1 != t2;
    return false;
}

static void field_info(state *s, field_detail *detail)
{
    if (detail->has_info) return;
    detail->has_info = true;
    gg_strmap_init(&detail->comparisons, s->ctx->arena);
    const gg_selection *field = detail->node;
    if (field->arg_count > SCAN_LIMIT) {
        detail->argument_map = gg_arena_alloc(s->ctx->arena, sizeof *detail->argument_map);
        gg_strmap_init(detail->argument_map, s->ctx->arena);
        for (unsigned i = 0; i < field->arg_count; i++)
            gg_strmap_put(detail->argument_map, field->args[i].name.value, strlen(field->args[i].name.value),
                          field->args[i].value);
    }
}

static const char *type_string(state *s, field_detail *detail)
{
    if (!detail->type_string) detail->type_string = gg_type_to_string(s->ctx->arena, detail->def->type);
    return detail->type_string;
}

static const gg_selection **one_node(state *s, const gg_selection *node)
{
    const gg_selection **nodes = gg_arena_alloc(s->ctx->arena, sizeof *nodes);
    nodes[0] = node;
    return nodes;
}

static void find_conflicts_between_sub_selection_sets(state *s, conflict_list *out, bool are_mutually_exclusive,
                                                      const gg_type *parent1, const gg_selection_set *set1,
                                                      const gg_type *parent2, const gg_selection_set *set2);

/* graphql-js collectConflictNodes: the enclosing field, then the sub-conflicts' nodes of one side,
 * at most MAX_CONFLICT_NODES in all, keeping the deepest ones when cut. */
static const gg_selection **conflict_nodes(state *s, const gg_selection *node, const conflict_list *subs, bool first,
                                           unsigned *count)
{
    const gg_selection **nodes = gg_arena_array(s->ctx->arena, MAX_CONFLICT_NODES, sizeof *nodes);
    unsigned n = 0;
    nodes[n++] = node;
    for (unsigned i = 0; i < subs->count; i++) {
        const conflict *c = &subs->items[i];
        const gg_selection **side = first ? c->fields1 : c->fields2;
        unsigned side_count = first ? c->count1 : c->count2;
        unsigned remaining = MAX_CONFLICT_NODES - n;
        unsigned start = side_count > remaining ? side_count - remaining : 0;
        for (unsigned k = start; k < side_count; k++)
            nodes[n++] = side[k];
        if (n == MAX_CONFLICT_NODES) break;
    }
    *count = n;
    return nodes;
}

/* graphql-js subfieldConflicts: folds the conflicts of two fields' sub-selections into one. */
static bool subfield_conflict(state *s, const conflict_list *subs, const char *response_name, const gg_selection *node1,
                              const gg_selection *node2, conflict *out)
{
    if (subs->count == 0) return false;
    gg_buf message;
    gg_buf_init(&message);
    for (unsigned i = 0; i < subs->count; i++) {
        if (message.len > 0) gg_buf_puts(&message, " and ");
        gg_buf_printf(&message, "subfields \"%s\" conflict because %s", abbreviate(s, subs->items[i].response_name),
                      subs->items[i].reason);
        if (message.len > MAX_DETAIL_LENGTH) break;
    }
    out->response_name = response_name;
    out->reason = abbreviate(s, gg_arena_strndup(s->ctx->arena, message.data, message.len));
    gg_buf_free(&message);
    out->fields1 = conflict_nodes(s, node1, subs, true, &out->count1);
    out->fields2 = conflict_nodes(s, node2, subs, false, &out->count2);
    return true;
}

/* graphql-js findConflict: whether two fields of one response name conflict (then fills *out). */
static bool find_conflict(state *s, bool parents_mutually_exclusive, const char *response_name, field_detail *d1,
                          field_detail *d2, conflict *out)
{
    const gg_type *parent1 = d1->parent_type, *parent2 = d2->parent_type;
    const gg_selection *node1 = d1->node, *node2 = d2->node;
    const gg_field *def1 = d1->def, *def2 = d2->def;
    bool are_mutually_exclusive =
        parents_mutually_exclusive || (parent1 != parent2 && parent1 && parent2 && parent1->kind == GG_KIND_OBJECT &&
                                       parent2->kind == GG_KIND_OBJECT);
    if (!spend(s, 2)) return false;
    const gg_type *type1 = def1 ? def1->type : NULL, *type2 = def2 ? def2->type : NULL;
    bool same_def = def1 == def2;
    bool same_types = type1 && type2 ? same_type_object(type1, type2, same_def) : type1 == type2;
    if (d1->is_simple_leaf && d2->is_simple_leaf && same_types && strcmp(node1->name.value, node2->name.value) == 0)
        return false;

    if (!are_mutually_exclusive) {
        field_info(s, d1);
        field_info(s, d2);
        const char *reason = pointer_get(&d1->comparisons, d2, NULL);
        if (!reason) {
            if (strcmp(node1->name.value, node2->name.value) != 0)
                reason = gg_arena_printf(s->ctx->arena, "\"%s\" and \"%s\" are different fields",
                                         abbreviate(s, node1->name.value), abbreviate(s, node2->name.value));
            else
                reason = same_arguments(s, d1, d2) ? no_conflict : "they have differing arguments";
            if (s->exhausted) return false;
            pointer_put(s, &d1->comparisons, d2, NULL, (void *)reason);
        }
        if (reason != no_conflict) {
            *out = (conflict){response_name, reason, one_node(s, node1), one_node(s, node2), 1, 1};
            return true;
        }
    }

    if (type1 && type2 && types_conflict(s, type1, type2, same_def)) {
        field_info(s, d1);
        field_info(s, d2);
        const char *reason = gg_arena_printf(s->ctx->arena, "they return conflicting types \"%s\" and \"%s\"",
                                             type_string(s, d1), type_string(s, d2));
        *out = (conflict){response_name, reason, one_node(s, node1), one_node(s, node2), 1, 1};
        return true;
    }
    if (s->exhausted) return false;

    if (node1->selection_set && node2->selection_set) {
        conflict_list subs = {0};
        find_conflicts_between_sub_selection_sets(s, &subs, are_mutually_exclusive, type1 ? gg_type_named(type1) : NULL,
                                                  node1->selection_set, type2 ? gg_type_named(type2) : NULL,
                                                  node2->selection_set);
        if (s->exhausted) return false;
        return subfield_conflict(s, &subs, response_name, node1, node2, out);
    }
    return false;
}

/* ---- comparing collections ---- */

/* graphql-js collectConflictsWithin: every pair of fields of each response name of one collection. */
static void collect_conflicts_within(state *s, conflict_list *out, const collected *c)
{
    for (unsigned g = 0; g < c->groups.count && !s->exhausted; g++) {
        const field_group *group = c->groups.items[g];
        for (unsigned i = 0; i < group->fields.count && !s->exhausted; i++) {
            for (unsigned j = i + 1; j < group->fields.count && !s->exhausted; j++) {
                conflict found;
                if (find_conflict(s, false, group->response_name, group->fields.items[i], group->fields.items[j],
                                  &found))
                    GG_VEC_PUSH(s->ctx->arena, *out, found);
            }
        }
    }
}

/* graphql-js collectConflictsBetween: each field of c1 against each of c2 with the same response name. */
static void collect_conflicts_between(state *s, conflict_list *out, bool are_mutually_exclusive, collected *c1,
                                      collected *c2)
{
    if (c1->groups.count == 0 || c2->groups.count == 0) return;
    const overlap_list *list = overlapping_fields(s, c1, c2);
    for (unsigned o = 0; o < list->count && !s->exhausted; o++) {
        const overlap *ov = &list->items[o];
        for (unsigned i = 0; i < ov->fields1->fields.count && !s->exhausted; i++) {
            for (unsigned j = 0; j < ov->fields2->fields.count && !s->exhausted; j++) {
                conflict found;
                if (find_conflict(s, are_mutually_exclusive, ov->response_name, ov->fields1->fields.items[i],
                                  ov->fields2->fields.items[j], &found))
                    GG_VEC_PUSH(s->ctx->arena, *out, found);
            }
        }
    }
}

/* graphql-js collectConflictsBetweenFieldsAndFragment (steps D and E). */
static void collect_conflicts_between_fields_and_fragment(state *s, conflict_list *out, bool are_mutually_exclusive,
                                                          collected *c, const char *fragment_name)
{
    if (!spend(s, 1) || c->groups.count == 0) return;
    size_t len = strlen(fragment_name);
    const bool *compared = gg_strmap_get(&c->compared_fragments, fragment_name, len);
    if (compared && (*compared == false || are_mutually_exclusive)) return;
    gg_strmap_put(&c->compared_fragments, fragment_name, len, (void *)exclusive_mark(are_mutually_exclusive));
    const gg_definition *fragment = gg_vctx_fragment(s->ctx, fragment_name);
    if (!fragment || !fragment->selection_set) return;
    collected *c2 = collect_fragment_fields(s, fragment);
    if (c == c2) return;
    if (!enter_recursion(s)) return;
    collect_conflicts_between(s, out, are_mutually_exclusive, c, c2);
    for (unsigned i = 0; i < c2->fragment_names.count && !s->exhausted; i++)
        collect_conflicts_between_fields_and_fragment(s, out, are_mutually_exclusive, c, c2->fragment_names.items[i]);
    s->depth--;
}

/* graphql-js collectConflictsBetweenFragments (steps F and G). */
static void collect_conflicts_between_fragments(state *s, conflict_list *out, bool are_mutually_exclusive,
                                                const char *name1, const char *name2)
{
    if (!spend(s, 2) || strcmp(name1, name2) == 0 || pair_has(s, name1, name2, are_mutually_exclusive)) return;
    pair_add(s, name1, name2, are_mutually_exclusive);
    const gg_definition *f1 = gg_vctx_fragment(s->ctx, name1), *f2 = gg_vctx_fragment(s->ctx, name2);
    if (!f1 || !f2 || !f1->selection_set || !f2->selection_set) return;
    collected *c1 = collect_fragment_fields(s, f1), *c2 = collect_fragment_fields(s, f2);
    if (!enter_recursion(s)) return;
    collect_conflicts_between(s, out, are_mutually_exclusive, c1, c2);
    for (unsigned i = 0; i < c2->fragment_names.count && !s->exhausted; i++)
        collect_conflicts_between_fragments(s, out, are_mutually_exclusive, name1, c2->fragment_names.items[i]);
    for (unsigned i = 0; i < c1->fragment_names.count && !s->exhausted; i++)
        collect_conflicts_between_fragments(s, out, are_mutually_exclusive, c1->fragment_names.items[i], name2);
    s->depth--;
}

/* graphql-js findConflictsBetweenSubSelectionSets (steps H, I and J). */
static void find_conflicts_between_sub_selection_sets(state *s, conflict_list *out, bool are_mutually_exclusive,
                                                      const gg_type *parent1, const gg_selection_set *set1,
                                                      const gg_type *parent2, const gg_selection_set *set2)
{
    if (!enter_recursion(s)) return;
    collected *c1 = collect_fields(s, parent1, set1), *c2 = collect_fields(s, parent2, set2);
    collect_conflicts_between(s, out, are_mutually_exclusive, c1, c2);
    for (unsigned i = 0; i < c2->fragment_names.count && !s->exhausted; i++)
        collect_conflicts_between_fields_and_fragment(s, out, are_mutually_exclusive, c1, c2->fragment_names.items[i]);
    for (unsigned i = 0; i < c1->fragment_names.count && !s->exhausted; i++)
        collect_conflicts_between_fields_and_fragment(s, out, are_mutually_exclusive, c2, c1->fragment_names.items[i]);
    for (unsigned i = 0; i < c1->fragment_names.count && !s->exhausted; i++)
        for (unsigned j = 0; j < c2->fragment_names.count && !s->exhausted; j++)
            collect_conflicts_between_fragments(s, out, are_mutually_exclusive, c1->fragment_names.items[i],
                                                c2->fragment_names.items[j]);
    s->depth--;
}

/* graphql-js findConflictsWithinSelectionSet (steps A, B and C). */
static void find_conflicts_within_selection_set(state *s, conflict_list *out, const gg_type *parent_type,
                                                const gg_selection_set *set)
{
    collected *c = collect_fields(s, parent_type, set);
    collect_conflicts_within(s, out, c);
    if (c->fragment_names.count == 0 || (c->groups.count == 0 && c->fragment_names.count <= 1)) return;
    for (unsigned i = 0; i < c->fragment_names.count && !s->exhausted; i++) {
        collect_conflicts_between_fields_and_fragment(s, out, false, c, c->fragment_names.items[i]);
        for (unsigned j = i + 1; j < c->fragment_names.count && !s->exhausted; j++)
            collect_conflicts_between_fragments(s, out, false, c->fragment_names.items[i], c->fragment_names.items[j]);
    }
}

/* ---- the rule ---- */

static void enter_document(gg_vctx *ctx, void *st)
{
    state *s = st;
    s->ctx = ctx;
    gg_strmap_init(&s->compared_pairs, ctx->arena);
    gg_strmap_init(&s->collected_cache, ctx->arena);
    gg_strmap_init(&s->sorted_objects, ctx->arena);
    s->budget = COMPLEXITY_BUDGET;
}

static void enter_selection(gg_vctx *ctx, void *st, const gg_selection *sel)
{
    if (sel->kind == GG_SELECTION_INLINE_FRAGMENT) ((state *)st)->inline_set = sel->selection_set;
}

static void report(state *s, const conflict *c)
{
    gg_vctx *ctx = s->ctx;
    const gg_selection *first = c->count1 > 0 ? c->fields1[0] : c->fields2[0];
    gg_error *error = gg_vctx_report(ctx, first->loc,
                                     "Fields \"%s\" conflict because %s. Use different aliases on the fields to fetch "
                                     "both if this was intentional.",
                                     abbreviate(s, c->response_name), c->reason);
    for (unsigned i = 1; i < c->count1; i++)
        gg_error_add_location(ctx->errors, error, c->fields1[i]->loc);
    for (unsigned i = c->count1 > 0 ? 0 : 1; i < c->count2; i++)
        gg_error_add_location(ctx->errors, error, c->fields2[i]->loc);
}

/* Whether a selection set is only fields with distinct response names (checked pairwise up to a
 * small size): then comparing it "within" finds nothing and spends nothing, as there is no pair
 * of one response name and no fragment to compare with. */
static bool only_distinct_fields(const gg_selection_set *set)
{
    if (set->count > SMALL_SET) return false;
    const char *names[SMALL_SET];
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        if (sel->kind != GG_SELECTION_FIELD) return false;
        const char *name = sel->alias.value ? sel->alias.value : sel->name.value;
        for (unsigned k = 0; k < i; k++)
            if (same_name(names[k], name)) return false;
        names[i] = name;
    }
    return true;
}

static void enter_selection_set(gg_vctx *ctx, void *st, const gg_selection_set *set)
{
    state *s = st;
    if (set == s->inline_set || s->exhausted) return;
    if (set->count <= 1 && (set->count == 0 || set->selections[0].kind != GG_SELECTION_INLINE_FRAGMENT)) return;
    if (only_distinct_fields(set)) return;
    conflict_list conflicts = {0};
    s->depth = 0;
    find_conflicts_within_selection_set(s, &conflicts, ctx->parent_type, set);
    if (s->exhausted) {
        /* graphql-js throws validationAbortedError: spending more than any budget stops the walk */
        gg_vctx_spend_fragment_work(ctx, ~0u);
        return;
    }
    for (unsigned i = 0; i < conflicts.count; i++)
        report(s, &conflicts.items[i]);
}

const gg_rule gg_rule_overlapping_fields_can_be_merged = {
    .name = "OverlappingFieldsCanBeMerged",
    .state_size = sizeof(state),
    .enter_document = enter_document,
    .enter_selection = enter_selection,
    .enter_selection_set = enter_selection_set,
    .selection_kinds = (1u << GG_SELECTION_INLINE_FRAGMENT),
};
