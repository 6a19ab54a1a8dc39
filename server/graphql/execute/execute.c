/* execute.c: the executor (spec §6.2-6.4, graphql-js execution/execute.ts); see execute.h.
 *
 * The result is a tree in the request arena. Every object or list under construction is an
 * rnode: its gg_val (members/items preallocated, one slot per collected field or list item), its
 * position in the parent (slot and the type there, which says whether a null must propagate),
 * and counters: `next` child to start, `pending` children started but not finished. A node is
 * finished when every child was started and none is pending; it then tells its parent. When a
 * position fails, the error walks up to the nearest nullable position, killing every node on the
 * way (a dead node starts no more children, so with synchronous resolvers the remaining siblings
 * never run, exactly like graphql-js's thrown error); the error is recorded there.
 *
 * Work is an explicit stack of nodes (no recursion over the result depth): the loop takes the top
 * node and starts its next child. A synchronous resolver completes inside that step; a composite
 * value pushes its node, which is therefore worked on next: depth first, in field order, as
 * graphql-js runs synchronous resolvers. An asynchronous resolver leaves its slot pending and the
 * loop moves on; its later gg_resolve_* completes the slot and runs the loop again. Mutation root
 * nodes are serial: the next root field starts only when nothing is pending.
 *
 * on_complete fires once the root is finished (or dead) and no resolver call is outstanding, so
 * the arena can be released in it even when a dead subtree still had resolvers in flight.
 * Collected fields are cached per (selection, runtime type), arguments per collected field (they
 * depend only on the document and the variables). A field the default resolver completes at once
 * gets no arena task or path unless its value keeps them (keep_path / keep_task).
 *
 * Binding: gg_field.resolve when set; else, for __typename/__schema/__type and the fields of the
 * introspection types, the resolver gg_introspection_resolver names (gg_introspection_bind sets
 * the same ones ahead of time); else graphql-js's default resolver (the source's member named like
 * the field, inline, no call). Subscription operations execute like queries (graphql-js execute()
 * does the same): the real-time layer runs one execution per event with the event as root value. */
#include "execute.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "../../base/strmap.h"
#include "collect_fields.h"
#include "introspection.h"
#include "values.h"

/* ---- collected fields ---- */

typedef struct cfield {
    const char *response_name;
    const gg_selection **nodes; /* merged field selections */
    unsigned node_count;
    gg_field *def;
    gg_resolve_fn resolve; /* def->resolve, or the introspection resolver; NULL: the default resolver */
    /* plain: a leaf read by the default resolver (or __typename by the introspection resolver), with
     * no arguments, guard or refusal: plain_output completes it without a task or path */
    bool plain;
    const gg_val *typename; /* plain __typename: the object type's name */
    bool args_done;
    gg_val *args;           /* coerced arguments, once computed */
    const char *args_error; /* or the error computing them */
    gg_loc args_error_loc;
} cfield;

typedef struct cfields {
    cfield *items;
    unsigned count;
    bool all_plain; /* every field is plain: plain_object writes the object at once */
} cfields;

/* ---- result nodes and field tasks ---- */

typedef struct field_task field_task;
typedef struct rnode rnode;

struct rnode {
    rnode *parent;
    unsigned slot;       /* index in the parent */
    const gg_type *type; /* type at that position (NON_NULL: a null propagates further) */
    gg_val *value;       /* the OBJECT or LIST being built */
    const gg_path *path;
    unsigned next, count, pending;
    bool is_list, serial, dead, finished, on_stack;
    /* object */
    const gg_type *object_type;
    const cfields *fields;
    const gg_val *source;
    unsigned hint; /* where the default resolver looks first in source's members */
    /* list */
    const gg_val *items;
    const gg_type *item_type;
    field_task *field; /* the field whose value this list is */
};

struct field_task {
    gg_resolve_info info; /* first: gg_resolve_* get back to the task from the info */
    rnode *node;
    unsigned slot;
    const cfield *cf;
    bool answered;
    /* the fields of the last object type completed for this field: a list of rows has one type,
     * so its items skip the field cache lookup */
    const gg_type *last_type;
    const cfields *last_fields;
};

/* How plain_object writes the ROW values (value.h) of one shape for one set of fields: each field's
 * key as JSON, with the '{' or ',' before it, and the cell it reads, found once, not per row. */
typedef enum row_fast {
    ROW_FAST_NONE,   /* the cell's value goes through the type's serialize (write_row_field) */
    ROW_FAST_STRING, /* a text cell of a scalar that keeps every STRING, or a SHOWN cell (already the
                      * scalar's output, value.h) of any scalar: escaped as it is */
    ROW_FAST_INT32,  /* an integer cell of a scalar that keeps an INT in 32 bits: its text, when it is */
    ROW_FAST_INT,    /* an integer cell of a scalar that keeps every INT: its text */
} row_fast;

enum { ROW_KEY_BYTES = 32 }; /* a key up to this long is copied with one fixed-size copy */

typedef struct row_layout_field {
    const char *key; /* {"name": or ,"name": (ROW_KEY_BYTES readable bytes when key_len < that) */
    size_t key_len;
    int cell;      /* -1: the shape has no such cell (the field is null) */
    row_fast fast; /* what the cell's value serializes to without the call (gg_scalar_ops.keeps) */
    bool non_null;
} row_layout_field;

typedef struct row_layout {
    const cfields *fields;
    const gg_val_row_shape *shape;
    row_layout_field *items;
} row_layout;

struct gg_exec {
    gg_exec_request req; /* copy: the caller's struct need not outlive gg_execute */
    gg_arena *arena;
    const gg_schema *schema;
    const gg_definition *operation;
    gg_val *variables;
    gg_strmap fragments;   /* name -> gg_definition* */
    gg_strmap field_cache; /* (selection pointer, type pointer) -> cfields* */
    gg_error_list errors;
    GG_VEC(rnode *) stack;
    rnode *root;
    gg_val *data;
    unsigned outstanding; /* resolver calls not answered yet */
    /* the default resolver and list items complete at once: their path and task live on the C
     * stack and are copied to the arena only when something keeps them (see keep_path) */
    const gg_path *temp_path, *kept_path;
    const field_task *temp_task;
    field_task *kept_task;
    bool driving, root_done, data_null, completed;
    gg_buf scratch;    /* plain_object's JSON before it is copied to the arena (malloc'd: freed by drive) */
    gg_json_keys keys; /* plain_object's keys (the response names), written once each */
    size_t raw_bytes;  /* the JSON plain_object wrote, in all: the answer's size, nearly */
    row_layout layout; /* plain_object's layout of the last ROW shape it wrote (row_layout_of) */
};

/* ---- errors ---- */

static void append_error(gg_error_list *list, gg_error *e)
{
    e->next = NULL;
    if (list->tail)
        list->tail->next = e;
    else
        list->head = e;
    list->tail = e;
    list->count++;
}

/* The path, copied to the arena if it is the temporary one of the value being completed. */
static const gg_path *keep_path(gg_exec *ex, const gg_path *path)
{
    if (path == NULL || path != ex->temp_path) return path;
    if (ex->kept_path == NULL) {
        gg_path *copy = gg_arena_alloc(ex->arena, sizeof *copy);
        *copy = *path;
        ex->kept_path = copy;
    }
    return ex->kept_path;
}

/* The same for the field task (a list node keeps it to complete its items). */
static field_task *keep_task(gg_exec *ex, field_task *ft)
{
    if (ft != ex->temp_task) return ft;
    if (ex->kept_task == NULL) {
        field_task *copy = gg_arena_alloc(ex->arena, sizeof *copy);
        *copy = *ft;
        copy->info.path = keep_path(ex, ft->info.path);
        ex->kept_task = copy;
    }
    return ex->kept_task;
}

/* A field error located at the field's selections, with a path; not yet in the list. */
static gg_error *new_field_error(gg_exec *ex, const field_task *ft, const gg_path *path, const char *message)
{
    gg_error *e = gg_arena_alloc(ex->arena, sizeof *e);
    e->message = message;
    e->location_count = ft->info.field_node_count;
    e->locations = gg_arena_array(ex->arena, e->location_count ? e->location_count : 1, sizeof(gg_loc));
    for (unsigned i = 0; i < e->location_count; i++)
        e->locations[i] = ft->info.field_nodes[i]->loc;
    e->path = keep_path(ex, path);
    return e;
}

/* ---- the work stack ---- */

static void push(gg_exec *ex, rnode *n)
{
    n->on_stack = true;
    GG_VEC_PUSH(ex->arena, ex->stack, n);
}

static const gg_type *position_type(const rnode *n, unsigned slot)
{
    return n->is_list ? n->item_type : n->fields->items[slot].def->type;
}

static void set_slot(rnode *n, unsigned slot, gg_val *v)
{
    if (n->is_list)
        n->value->items[slot] = v;
    else
        n->value->members[slot].value = v;
}

/* One child of n has its final value: finish n (and its ancestors) when nothing else is left. */
static void child_finished(gg_exec *ex, rnode *n)
{
    for (;;) {
        n->pending--;
        if (n->dead || n->finished) return;
        if (n->next < n->count) {
            if (n->serial && n->pending == 0 && !n->on_stack) push(ex, n);
            return;
        }
        if (n->pending > 0) return;
        n->finished = true;
        if (n->parent == NULL) {
            ex->root_done = true;
            return;
        }
        n = n->parent;
    }
}

/* The value at (n, slot) failed with error e: null it, or kill nodes up to the nearest nullable
 * position, where the error is recorded (graphql-js handleFieldError). */
static void fail_position(gg_exec *ex, rnode *n, unsigned slot, gg_error *e)
{
    const gg_type *t = position_type(n, slot);
    for (;;) {
        if (t->kind != GG_KIND_NON_NULL) {
            set_slot(n, slot, &gg_val_null_value);
            append_error(&ex->errors, e);
            child_finished(ex, n);
            return;
        }
        if (n->dead) return; /* that null already propagated: graphql-js reports the first error only */
        n->dead = true;
        n->next = n->count;
        if (n->parent == NULL) {
            append_error(&ex->errors, e);
            ex->data_null = true;
            ex->root_done = true;
            return;
        }
        slot = n->slot;
        t = n->type;
        n = n->parent;
    }
}

static void fail_message(gg_exec *ex, const field_task *ft, rnode *n, unsigned slot, const gg_path *path,
                         const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fail_message(gg_exec *ex, const field_task *ft, rnode *n, unsigned slot, const gg_path *path,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *message = gg_arena_vprintf(ex->arena, fmt, ap);
    va_end(ap);
    fail_position(ex, n, slot, new_field_error(ex, ft, path, message));
}

/* ---- field collection (collect_fields.c), cached per (selection, type) ---- */

/* The fields of `type` selected by the selection sets of `nodes` (or `set` at the root), cached.
 * NULL with *error when a @skip/@include argument is invalid. */
static const cfields *collect_fields(gg_exec *ex, const gg_type *type, const void *cache_key,
                                     const gg_selection *const *nodes, unsigned node_count, const gg_selection_set *set,
                                     const gg_error **error)
{
    const void *key_parts[2] = {cache_key, type};
    const cfields *cached = gg_strmap_get(&ex->field_cache, (const char *)key_parts, sizeof key_parts);
    if (cached) return cached;
    gg_collect_context context = {
        .schema = ex->schema, .arena = ex->arena, .variables = ex->variables, .fragments = &ex->fragments};
    gg_error_list errors;
    gg_error_list_init(&errors, ex->arena);
    gg_collected_fields collected;
    if (!gg_collect_fields(&context, type, set, nodes, node_count, &collected, &errors)) {
        *error = errors.head;
        return NULL;
    }
    cfields *out = gg_arena_alloc(ex->arena, sizeof *out);
    out->items = gg_arena_array(ex->arena, collected.count ? collected.count : 1, sizeof(cfield));
    for (unsigned i = 0; i < collected.count; i++) {
        const gg_collected_field *c = &collected.items[i];
        cfield f = {.response_name = c->response_name, .nodes = c->nodes, .node_count = c->node_count};
        f.def = gg_schema_field_def(ex->schema, type, f.nodes[0]->name.value);
        if (f.def == NULL) continue; /* graphql-js skips fields it does not know (validation refuses them) */
        f.resolve = f.def->resolve ? f.def->resolve : gg_introspection_resolver(f.def);
        const gg_type *leaf = f.def->type->kind == GG_KIND_NON_NULL ? f.def->type->of_type : f.def->type;
        bool typename = f.def == ex->schema->typename_meta_field && f.resolve == gg_introspection_resolver(f.def);
        f.plain = (f.resolve == NULL || typename) && f.def->guard == NULL && f.def->arg_count == 0 &&
                  (leaf->kind == GG_KIND_SCALAR || leaf->kind == GG_KIND_ENUM) &&
                  (ex->req.auth == NULL || gg_aws_auth_allows(f.def, ex->req.auth));
        if (f.plain && typename) f.typename = gg_val_string(ex->arena, type->name, strlen(type->name));
        out->items[out->count++] = f;
    }
    out->all_plain = out->count > 0;
    for (unsigned i = 0; i < out->count; i++)
        out->all_plain = out->all_plain && out->items[i].plain;
    char *stored_key = gg_arena_alloc(ex->arena, sizeof key_parts);
    memcpy(stored_key, key_parts, sizeof key_parts);
    gg_strmap_put(&ex->field_cache, stored_key, sizeof key_parts, out);
    return out;
}

/* ---- nodes ---- */

static rnode *new_object_node(gg_exec *ex, rnode *parent, unsigned slot, const gg_type *position,
                              const gg_type *object_type, const cfields *fields, const gg_val *source,
                              const gg_path *path)
{
    rnode *n = gg_arena_alloc(ex->arena, sizeof *n);
    n->parent = parent;
    n->slot = slot;
    n->type = position;
    n->path = path;
    n->object_type = object_type;
    n->fields = fields;
    n->source = source;
    n->count = fields->count;
    n->value = gg_val_object(ex->arena, fields->count);
    n->value->count = fields->count;
    for (unsigned i = 0; i < fields->count; i++) {
        n->value->members[i].key = fields->items[i].response_name;
        n->value->members[i].value = &gg_val_null_value;
    }
    return n;
}

/* ---- value completion (graphql-js completeValue) ---- */

static gg_val *plain_object(gg_exec *ex, const cfields *fields, const gg_val *source);

static void complete_object(gg_exec *ex, field_task *ft, rnode *n, unsigned slot, const gg_type *position,
                            const gg_type *object_type, const gg_val *value, const gg_path *path)
{
    const gg_error *error = NULL;
    const cfields *fields = ft->last_type == object_type ? ft->last_fields : NULL;
    if (fields == NULL)
        fields = collect_fields(ex, object_type, ft->info.field_nodes, ft->info.field_nodes, ft->info.field_node_count,
                                NULL, &error);
    if (fields == NULL) {
        gg_error *e = gg_arena_alloc(ex->arena, sizeof *e);
        *e = *error;
        e->path = keep_path(ex, path);
        fail_position(ex, n, slot, e);
        return;
    }
    ft->last_type = object_type;
    ft->last_fields = fields;
    gg_val *written = fields->all_plain ? plain_object(ex, fields, value) : NULL;
    if (written != NULL) {
        set_slot(n, slot, written);
        child_finished(ex, n);
        return;
    }
    value = gg_val_row_object(ex->arena, value); /* a ROW: its fields' resolvers read an object */
    rnode *child = new_object_node(ex, n, slot, position, object_type, fields, value, keep_path(ex, path));
    set_slot(n, slot, child->value);
    if (child->count == 0) {
        child_finished(ex, n);
        return;
    }
    push(ex, child);
}

static const char *parent_field_name(const field_task *ft)
{
    return ft->info.field->name;
}

static void complete_abstract(gg_exec *ex, field_task *ft, rnode *n, unsigned slot, const gg_type *position,
                              const gg_type *type, const gg_val *value, const gg_path *path)
{
    const char *pname = ft->info.parent_type->name, *fname = parent_field_name(ft);
    const char *name = NULL;
    if (type->resolve_type) {
        name = type->resolve_type(type, value, type->resolve_type_data);
    } else {
        const gg_val *tn = gg_val_object_get(value, "__typename");
        if (tn && tn->kind == GG_VAL_STRING) name = tn->s;
    }
    if (name == NULL) {
        fail_message(ex, ft, n, slot, path,
                     "Abstract type \"%s\" must resolve to an Object type at runtime for field \"%s.%s\". Either the "
                     "\"%s\" type should provide a \"resolveType\" function or each possible type should provide an "
                     "\"isTypeOf\" function.",
                     type->name, pname, fname, type->name);
        return;
    }
    const gg_type *runtime = gg_schema_find_type(ex->schema, name);
    if (runtime == NULL) {
        fail_message(ex, ft, n, slot, path,
                     "Abstract type \"%s\" was resolved to a type \"%s\" that does not exist inside the schema.",
                     type->name, name);
        return;
    }
    if (runtime->kind != GG_KIND_OBJECT) {
        fail_message(ex, ft, n, slot, path, "Abstract type \"%s\" was resolved to a non-object type \"%s\".",
                     type->name, name);
        return;
    }
    if (!gg_schema_is_sub_type(ex->schema, type, runtime)) {
        fail_message(ex, ft, n, slot, path, "Runtime Object type \"%s\" is not a possible type for \"%s\".", name,
                     type->name);
        return;
    }
    complete_object(ex, ft, n, slot, position, runtime, value, path);
}

/* The output of leaf type `type` (ENUM or SCALAR) for a value that is not null, or NULL with
 * *error (only when the error is wanted: complete_plain passes NULL) when it has none. */
static gg_val *leaf_output(gg_exec *ex, const gg_type *type, const gg_val *value, const char **error)
{
    gg_val *out = NULL;
    if (type->kind == GG_KIND_ENUM) {
        const gg_enum_value *ev = NULL;
        if (value->kind == GG_VAL_ENUM || value->kind == GG_VAL_STRING) ev = gg_type_find_enum_value(type, value->s);
        if (ev != NULL) return gg_val_enum(ex->arena, ev->name);
        if (error)
            *error = gg_arena_printf(ex->arena, "Enum \"%s\" cannot represent value: %s", type->name,
                                     gg_val_inspect(ex->arena, value));
        return NULL;
    }
    if (type->scalar == NULL || type->scalar->serialize == NULL) return (gg_val *)value;
    gg_fault fault = {0};
    if (!type->scalar->serialize(ex->arena, value, &out, &fault)) {
        if (error) *error = fault.message ? fault.message : "Invalid value.";
        return NULL;
    }
    if (!gg_val_is_null(out)) return out;
    if (error)
        *error = gg_arena_printf(ex->arena, "Expected `%s.serialize(%s)` to return non-nullable value, returned: null",
                                 type->name, gg_val_inspect(ex->arena, value));
    return NULL;
}

static void complete_leaf(gg_exec *ex, field_task *ft, rnode *n, unsigned slot, const gg_type *type,
                          const gg_val *value, const gg_path *path)
{
    const char *error = NULL;
    gg_val *out = leaf_output(ex, type, value, &error);
    if (out == NULL) {
        fail_message(ex, ft, n, slot, path, "%s", error);
        return;
    }
    set_slot(n, slot, out);
    child_finished(ex, n);
}

static void complete_value(gg_exec *ex, field_task *ft, rnode *n, unsigned slot, const gg_type *position,
                           const gg_val *value, const gg_path *path)
{
    const gg_type *type = position;
    if (value != NULL && value->kind == GG_VAL_RAW) { /* already serialised JSON: taken as is */
        set_slot(n, slot, (gg_val *)value);
        child_finished(ex, n);
        return;
    }
    bool non_null = type->kind == GG_KIND_NON_NULL;
    if (non_null) type = type->of_type;
    if (gg_val_is_null(value) || value->kind == GG_VAL_UNDEFINED) {
        if (non_null) {
            fail_message(ex, ft, n, slot, path, "Cannot return null for non-nullable field %s.%s.",
                         ft->info.parent_type->name, parent_field_name(ft));
            return;
        }
        set_slot(n, slot, &gg_val_null_value);
        child_finished(ex, n);
        return;
    }
    if (type->kind != GG_KIND_OBJECT) value = gg_val_row_object(ex->arena, value); /* complete_object writes a ROW */
    switch (type->kind) {
    case GG_KIND_LIST: {
        if (value->kind != GG_VAL_LIST) {
            fail_message(ex, ft, n, slot, path, "Expected Iterable, but did not find one for field \"%s.%s\".",
                         ft->info.parent_type->name, parent_field_name(ft));
            return;
        }
        rnode *list = gg_arena_alloc(ex->arena, sizeof *list);
        list->parent = n;
        list->slot = slot;
        list->type = position;
        list->path = keep_path(ex, path);
        list->is_list = true;
        list->items = value;
        list->item_type = type->of_type;
        list->field = keep_task(ex, ft);
        list->count = value->count;
        list->value = gg_val_list(ex->arena, value->count);
        list->value->count = value->count;
        for (unsigned i = 0; i < value->count; i++)
            list->value->items[i] = &gg_val_null_value;
        set_slot(n, slot, list->value);
        if (list->count == 0)
            child_finished(ex, n);
        else
            push(ex, list);
        return;
    }
    case GG_KIND_SCALAR:
    case GG_KIND_ENUM:
        complete_leaf(ex, ft, n, slot, type, value, path);
        return;
    case GG_KIND_OBJECT:
        complete_object(ex, ft, n, slot, position, type, value, path);
        return;
    case GG_KIND_INTERFACE:
    case GG_KIND_UNION:
        complete_abstract(ex, ft, n, slot, position, type, value, path);
        return;
    default:
        fail_message(ex, ft, n, slot, path, "Cannot complete value of unexpected output type: \"%s\".",
                     gg_type_to_string(ex->arena, type));
        return;
    }
}

static void complete_item(gg_exec *ex, rnode *list, unsigned i)
{
    gg_path path = {.prev = list->path, .index = i};
    ex->temp_path = &path;
    ex->kept_path = NULL;
    complete_value(ex, list->field, list, i, list->item_type, list->items->items[i], &path);
    ex->temp_path = NULL;
}

/* ---- fields ---- */

/* The default resolver's lookup: source members usually come in the order the fields are
 * selected (rows built for this selection), so the search starts after the last member found:
 * one comparison per field then, instead of a scan (quadratic for wide objects). Rows that name
 * their members with the schema's own field name strings (plan_rows.c) match by pointer. */
static gg_val *source_member(const gg_val *source, unsigned *hint, const char *name)
{
    if (source == NULL || source->kind != GG_VAL_OBJECT || source->count == 0) return NULL;
    unsigned count = source->count, j = *hint < count ? *hint : 0;
    for (unsigned k = 0; k < count; k++, j = j + 1 < count ? j + 1 : 0) {
        const char *key = source->members[j].key;
        if (key == name || strcmp(key, name) == 0) {
            *hint = j + 1;
            return source->members[j].value;
        }
    }
    return NULL;
}

static void ensure_args(gg_exec *ex, cfield *cf)
{
    if (cf->args_done) return;
    cf->args_done = true;
    gg_error_list errors;
    gg_error_list_init(&errors, ex->arena);
    const gg_selection *node = cf->nodes[0];
    cf->args = gg_argument_values(ex->arena, cf->def->args, cf->def->arg_count, node->args, node->arg_count, node->loc,
                                  ex->variables, &errors);
    if (cf->args == NULL) {
        cf->args_error = errors.head ? errors.head->message : "Invalid arguments.";
        cf->args_error_loc = errors.head && errors.head->location_count ? errors.head->locations[0] : node->loc;
    }
}

/* AppSync's field authorization refused cf: the position is null with an Unauthorized error at its
 * path (allocations only here, on refusal). */
static void refuse_field(gg_exec *ex, rnode *n, unsigned i, const cfield *cf)
{
    gg_error *e = gg_arena_alloc(ex->arena, sizeof *e);
    e->message =
        gg_arena_printf(ex->arena, "Not Authorized to access %s on type %s", cf->def->name, n->object_type->name);
    e->error_type = "Unauthorized";
    e->location_count = cf->node_count;
    e->locations = gg_arena_array(ex->arena, cf->node_count ? cf->node_count : 1, sizeof(gg_loc));
    for (unsigned k = 0; k < cf->node_count; k++)
        e->locations[k] = cf->nodes[k]->loc;
    gg_path *path = gg_arena_alloc(ex->arena, sizeof *path);
    *path = (gg_path){.prev = n->path, .key = cf->response_name};
    e->path = path;
    fail_position(ex, n, i, e);
}

/* The completed value of a plain field (cfield.plain) of source, with no task or path (most
 * fields of most answers: the columns of 1,000 rows). NULL when it does not complete without an
 * error: the field is then completed the general way (start_field), which reports the error (a
 * serialize that failed here runs again there: scalars' serialize has no side effects). */
static gg_val *plain_output(gg_exec *ex, const cfield *cf, const gg_val *source, unsigned *hint)
{
    if (cf->typename) return (gg_val *)cf->typename;
    const gg_val *value = source_member(source, hint, cf->def->name);
    const gg_type *type = cf->def->type;
    if (value != NULL && value->kind == GG_VAL_RAW) return (gg_val *)value;
    if (gg_val_is_null(value) || value->kind == GG_VAL_UNDEFINED)
        return type->kind == GG_KIND_NON_NULL ? NULL : &gg_val_null_value;
    return leaf_output(ex, type->kind == GG_KIND_NON_NULL ? type->of_type : type, value, NULL);
}

static bool complete_plain(gg_exec *ex, rnode *n, unsigned i, const cfield *cf)
{
    gg_val *out = plain_output(ex, cf, n->source, &n->hint);
    if (out == NULL) return false;
    set_slot(n, i, out);
    child_finished(ex, n);
    return true;
}

/* The cell of ROW shape `shape` for the field named name, found as source_member finds a member
 * (by pointer: the rows plan names its cells with the schema's field names), or -1. */
static int row_cell_of(const gg_val_row_shape *shape, unsigned *hint, const char *name)
{
    unsigned count = shape->count, j = *hint < count ? *hint : 0;
    for (unsigned k = 0; k < count; k++, j = j + 1 < count ? j + 1 : 0) {
        if (shape->names[j] == name || strcmp(shape->names[j], name) == 0) {
            *hint = j + 1;
            return (int)j;
        }
    }
    return -1;
}

/* The layout of ROW values of shape for fields (row_layout), made when it is not the last one's. */
static const row_layout *row_layout_of(gg_exec *ex, const cfields *fields, const gg_val_row_shape *shape)
{
    row_layout *layout = &ex->layout;
    if (layout->fields == fields && layout->shape == shape) return layout;
    layout->items = gg_arena_array(ex->arena, fields->count ? fields->count : 1, sizeof *layout->items);
    gg_buf key;
    gg_buf_init(&key);
    unsigned hint = 0;
    for (unsigned i = 0; i < fields->count; i++) {
        const cfield *cf = &fields->items[i];
        key.len = 0;
        gg_buf_putc(&key, i ? ',' : '{');
        gg_json_write_string(&key, cf->response_name, strlen(cf->response_name));
        gg_buf_putc(&key, ':');
        char *copy = gg_arena_alloc(ex->arena, key.len < ROW_KEY_BYTES ? ROW_KEY_BYTES : key.len + 1);
        memcpy(copy, key.data, key.len);
        layout->items[i].key = copy;
        layout->items[i].key_len = key.len;
        int cell = cf->typename ? -1 : row_cell_of(shape, &hint, cf->def->name);
        layout->items[i].cell = cell;
        layout->items[i].fast = ROW_FAST_NONE;
        if (cell < 0) continue;
        const gg_type *type = cf->def->type;
        layout->items[i].non_null = type->kind == GG_KIND_NON_NULL;
        if (type->kind == GG_KIND_NON_NULL) type = type->of_type;
        unsigned keeps = type->kind == GG_KIND_SCALAR && type->scalar != NULL ? type->scalar->keeps : 0;
        if (shape->texts[cell] == GG_VAL_TEXT_STRING && (keeps & GG_SCALAR_KEEPS_STRING))
            layout->items[i].fast = ROW_FAST_STRING;
        else if (shape->texts[cell] == GG_VAL_TEXT_SHOWN && type->kind == GG_KIND_SCALAR)
            layout->items[i].fast = ROW_FAST_STRING; /* the scalar's output already (value.h) */
        else if (shape->texts[cell] == GG_VAL_TEXT_INT && (keeps & GG_SCALAR_KEEPS_INT))
            layout->items[i].fast = ROW_FAST_INT;
        else if (shape->texts[cell] == GG_VAL_TEXT_INT && (keeps & GG_SCALAR_KEEPS_INT32))
            layout->items[i].fast = ROW_FAST_INT32;
    }
    gg_buf_free(&key);
    layout->fields = fields;
    layout->shape = shape;
    return layout;
}

/* True when an integer cell's text reads as an INT (gg_val_int_of_text) that the scalar keeps:
 * any (int32 false) or one in 32 bits. Eight digits a step; the value itself is computed only for
 * ten digits, the one length that may or may not fit in 32 bits. */
static bool int_text_kept(const char *text, size_t len, bool int32)
{
    size_t i = len > 0 && text[0] == '-', digits = len - i;
    if (digits == 0 || digits > 18) return false;
    if (digits >= 8) { /* 8 digits a step, the last step over some checked already */
        for (;; i += 8) {
            if (i + 8 > len) i = len - 8;
            uint64_t word;
            memcpy(&word, text + i, sizeof word);
            /* every byte from '0' to '9': no byte borrows below '0' nor carries past '9' */
            if (((word - 0x3030303030303030ull) | (word + 0x4646464646464646ull)) & 0x8080808080808080ull) return false;
            if (i + 8 == len) break;
        }
    } else {
        for (; i < len; i++)
            if ((unsigned)(unsigned char)text[i] - '0' > 9) return false;
    }
    if (!int32 || digits < 10) return true;
    int64_t number = 0;
    return digits == 10 && gg_val_int_of_text(text, len, &number) && number >= INT32_MIN && number <= INT32_MAX;
}

/* Writes the JSON of plain field cf of ROW value `row` (its cell and key in the layout's field)
 * straight from its cell's text, as plain_output would complete it from the cell's value: the value
 * is made on the stack (a string points at the text), the type's serialize runs on it, and when the
 * output is that value itself (most: strings, Int in range, AWSTimestamp), its text is written: an
 * integer as it is, a string escaped once. When the scalar is known to keep such a value
 * (field->fast), serialize is not called. False when the field does not complete without an
 * error (as plain_output). */
static bool write_row_field(gg_exec *ex, gg_buf *out, const cfield *cf, const gg_val *row,
                            const row_layout_field *field)
{
    int i = field->cell;
    if (field->fast != ROW_FAST_NONE) { /* what serialize would return, without the call */
        const gg_val_cell *cell = &row->row->cells[i];
        if (cell->text == NULL) {
            if (field->non_null) return false;
            gg_buf_append(out, "null", 4);
            return true;
        }
        if (field->fast == ROW_FAST_STRING) {
            gg_json_write_string(out, cell->text, cell->len);
            return true;
        }
        if (int_text_kept(cell->text, cell->len, field->fast == ROW_FAST_INT32)) {
            gg_buf_append(out, cell->text, cell->len);
            return true;
        } /* else the general way, which fails or converts as serialize does */
    }
    if (cf->typename) {
        gg_json_write_string(out, cf->typename->s, cf->typename->len);
        return true;
    }
    const gg_type *type = cf->def->type;
    bool non_null = type->kind == GG_KIND_NON_NULL;
    const gg_val_cell *cell = i >= 0 ? &row->row->cells[i] : NULL;
    if (cell == NULL || cell->text == NULL) {
        if (non_null) return false;
        gg_buf_append(out, "null", 4);
        return true;
    }
    gg_val local; /* only what a scalar's serialize reads of a STRING or an INT (thousands per page) */
    local.kind = GG_VAL_STRING;
    local.s = cell->text;
    local.len = cell->len;
    local.i = 0;
    local.b = false;
    const gg_val *value = &local;
    switch (row->row->shape->texts[i]) {
    case GG_VAL_TEXT_STRING:
    case GG_VAL_TEXT_SHOWN: /* not a scalar's field (row_layout_of): a string, as any other source's */
        break;
    case GG_VAL_TEXT_INT:
        local.kind = GG_VAL_INT;
        if (!gg_val_int_of_text(cell->text, cell->len, &local.i)) value = gg_val_row_cell(ex->arena, row, (unsigned)i);
        break;
    case GG_VAL_TEXT_BOOL:
        value = gg_val_bool(cell->text[0] == 't');
        break;
    case GG_VAL_TEXT_OTHER:
        value = gg_val_row_cell(ex->arena, row, (unsigned)i);
        break;
    }
    const gg_val *output = NULL;
    if (value->kind == GG_VAL_RAW)
        output = value;
    else if (gg_val_is_null(value))
        output = non_null ? NULL : &gg_val_null_value;
    else
        output = leaf_output(ex, non_null ? type->of_type : type, value, NULL);
    if (output == NULL) return false;
    if (output == &local && local.kind == GG_VAL_INT)
        gg_buf_append(out, cell->text, cell->len);
    else if (output == &local)
        gg_json_write_string(out, cell->text, cell->len);
    else
        gg_val_write_json(out, output);
    return true;
}

/* An object whose fields are all plain (cfields.all_plain: a row of a list, most often) written
 * as JSON at once, a RAW value: no result node, no step of the work loop per field, and the
 * response writer copies it. A ROW (value.h) is written from its text, with no value per member.
 * NULL when a field does not complete without an error: the object is then completed field by
 * field, which reports it. */
static gg_val *plain_object(gg_exec *ex, const cfields *fields, const gg_val *source)
{
    gg_buf *out = &ex->scratch;
    out->len = 0;
    if (source != NULL && source->kind == GG_VAL_ROW && fields->count > 0) {
        const row_layout *layout = row_layout_of(ex, fields, source->row->shape);
        for (unsigned i = 0; i < fields->count; i++) {
            const row_layout_field *field = &layout->items[i];
            if (field->key_len < ROW_KEY_BYTES) { /* a fixed size: inlined */
                gg_buf_reserve(out, ROW_KEY_BYTES);
                memcpy(out->data + out->len, field->key, ROW_KEY_BYTES);
                out->len += field->key_len;
                out->data[out->len] = '\0';
            } else {
                gg_buf_append(out, field->key, field->key_len);
            }
            if (!write_row_field(ex, out, &fields->items[i], source, field)) return NULL;
        }
    } else {
        gg_buf_putc(out, '{');
        unsigned hint = 0;
        for (unsigned i = 0; i < fields->count; i++) {
            const cfield *cf = &fields->items[i];
            if (i) gg_buf_putc(out, ',');
            gg_json_write_key(out, &ex->keys, cf->response_name);
            const gg_val *v = plain_output(ex, cf, source, &hint);
            if (v == NULL) return NULL;
            gg_val_write_json(out, v);
        }
    }
    gg_buf_putc(out, '}');
    /* the value and its text in one piece */
    char *block = gg_arena_alloc_uninit(ex->arena, sizeof(gg_val) + out->len + 1);
    gg_val *raw = (gg_val *)(void *)block;
    *raw = (gg_val){.kind = GG_VAL_RAW, .s = block + sizeof(gg_val), .len = out->len};
    memcpy(block + sizeof(gg_val), out->data, out->len + 1);
    ex->raw_bytes += out->len;
    return raw;
}

static void start_field(gg_exec *ex, rnode *n, unsigned i)
{
    cfield *cf = (cfield *)&n->fields->items[i];
    if (cf->plain && complete_plain(ex, n, i, cf)) return;
    if (ex->req.auth != NULL && !gg_aws_auth_allows(cf->def, ex->req.auth)) {
        refuse_field(ex, n, i, cf);
        return;
    }
    gg_resolve_fn resolve = cf->resolve;
    /* A resolver may answer later: its task and path live in the arena. The default resolver
     * answers now: they live here unless the value keeps them (keep_path, keep_task). */
    field_task local = {0};
    gg_path local_path = {.prev = n->path, .key = cf->response_name};
    field_task *ft = &local;
    gg_path *path = &local_path;
    if (resolve != NULL) {
        ft = gg_arena_alloc(ex->arena, sizeof *ft);
        path = gg_arena_alloc(ex->arena, sizeof *path);
        *path = local_path;
    } else {
        ex->temp_task = ft;
        ex->kept_task = NULL;
        ex->temp_path = path;
        ex->kept_path = NULL;
    }
    ft->node = n;
    ft->slot = i;
    ft->cf = cf;
    gg_resolve_info *info = &ft->info;
    info->exec = ex;
    info->schema = ex->schema;
    info->field = cf->def;
    info->parent_type = n->object_type;
    info->source = n->source;
    info->field_nodes = cf->nodes;
    info->field_node_count = cf->node_count;
    info->path = path;
    info->operation = ex->operation;
    info->variables = ex->variables;
    info->context = ex->req.context;
    info->arena = ex->arena;
    if (cf->def->guard != NULL && !cf->def->guard(info, cf->def->guard_data)) {
        ex->temp_task = NULL;
        ex->temp_path = NULL;
        refuse_field(ex, n, i, cf);
        return;
    }

    ensure_args(ex, cf);
    if (cf->args == NULL) {
        gg_error *e = gg_arena_alloc(ex->arena, sizeof *e);
        e->message = cf->args_error;
        e->locations = gg_arena_alloc(ex->arena, sizeof(gg_loc));
        e->locations[0] = cf->args_error_loc;
        e->location_count = 1;
        e->path = keep_path(ex, path);
        fail_position(ex, n, i, e);
    } else if (resolve == NULL) { /* graphql-js defaultFieldResolver on plain objects */
        info->args = cf->args;
        ft->answered = true;
        complete_value(ex, ft, n, i, cf->def->type, source_member(n->source, &n->hint, cf->def->name), path);
    } else {
        info->args = cf->args;
        ex->outstanding++;
        resolve(info);
    }
    ex->temp_task = NULL;
    ex->temp_path = NULL;
}

/* ---- driving ---- */

static void finish_if_done(gg_exec *ex)
{
    if (!ex->root_done || ex->outstanding > 0 || ex->completed || ex->driving) return;
    ex->completed = true;
    gg_exec_result result = {
        .data = ex->data_null ? &gg_val_null_value : ex->data, .errors = ex->errors, .raw_bytes = ex->raw_bytes};
    ex->req.on_complete(&result, ex->req.user); /* last use of ex: the arena may be gone afterwards */
}

static void drive(gg_exec *ex)
{
    if (ex->driving) return;
    ex->driving = true;
    while (ex->stack.count > 0) {
        rnode *n = ex->stack.items[ex->stack.count - 1];
        if (n->dead || n->finished || n->next >= n->count || (n->serial && n->pending > 0)) {
            ex->stack.count--;
            n->on_stack = false;
            continue;
        }
        unsigned i = n->next++;
        n->pending++;
        if (n->is_list)
            complete_item(ex, n, i);
        else
            start_field(ex, n, i);
    }
    ex->driving = false;
    gg_buf_free(&ex->scratch); /* every gg_resolve_return runs drive after completing its value */
    finish_if_done(ex);
}

static field_task *task_of(gg_resolve_info *info)
{
    return (field_task *)info;
}

void gg_resolve_return(gg_resolve_info *info, gg_val *value)
{
    field_task *ft = task_of(info);
    gg_exec *ex = info->exec;
    if (ft->answered) return;
    ft->answered = true;
    ex->outstanding--;
    complete_value(ex, ft, ft->node, ft->slot, ft->cf->def->type, value, info->path);
    drive(ex);
}

void gg_resolve_fail(gg_resolve_info *info, gg_error *error)
{
    field_task *ft = task_of(info);
    gg_exec *ex = info->exec;
    if (error->location_count == 0) {
        const gg_error *located = new_field_error(ex, ft, info->path, error->message);
        error->locations = located->locations;
        error->location_count = located->location_count;
    }
    error->path = info->path;
    if (ft->answered) return;
    ft->answered = true;
    ex->outstanding--;
    fail_position(ex, ft->node, ft->slot, error);
    drive(ex);
}

void gg_resolve_fault(gg_resolve_info *info, const gg_fault *fault)
{
    gg_resolve_fail(info, gg_error_of_fault(info->arena, fault, NULL));
}

gg_error *gg_resolve_error(gg_resolve_info *info, const char *error_type, const char *fmt, ...)
{
    field_task *ft = task_of(info);
    gg_exec *ex = info->exec;
    va_list ap;
    va_start(ap, fmt);
    const char *message = gg_arena_vprintf(ex->arena, fmt, ap);
    va_end(ap);
    gg_error *e = new_field_error(ex, ft, info->path, message);
    e->error_type = error_type ? gg_arena_strdup(ex->arena, error_type) : NULL;
    if (ft->answered) return e;
    ft->answered = true;
    ex->outstanding--;
    fail_position(ex, ft->node, ft->slot, e);
    drive(ex);
    return e;
}

const gg_definition *gg_resolve_find_fragment(const gg_resolve_info *info, const char *name)
{
    return name ? gg_strmap_gets(&info->exec->fragments, name) : NULL;
}

bool gg_resolve_collect_fields(const gg_resolve_info *info, const gg_type *type, const gg_selection *const *nodes,
                               unsigned node_count, bool by_field_name, gg_collected_fields *out, gg_error_list *errors)
{
    gg_exec *ex = info->exec;
    gg_collect_context context = {.schema = ex->schema,
                                  .arena = info->arena,
                                  .variables = info->variables,
                                  .fragments = &ex->fragments,
                                  .by_field_name = by_field_name};
    return gg_collect_fields(&context, type, NULL, nodes, node_count, out, errors);
}

/* ---- entry points ---- */

const gg_definition *gg_select_operation(const gg_document *doc, const char *operation_name, gg_error_list *errors)
{
    const gg_definition *op = NULL;
    for (unsigned i = 0; i < doc->definition_count; i++) {
        const gg_definition *d = &doc->definitions[i];
        if (d->kind != GG_DEF_OPERATION) continue;
        if (operation_name == NULL) {
            if (op != NULL) {
                gg_error_add(errors, "Must provide operation name if query contains multiple operations.");
                return NULL;
            }
            op = d;
        } else if (d->name.value != NULL && strcmp(d->name.value, operation_name) == 0) {
            op = d;
        }
    }
    if (op == NULL) {
        if (operation_name != NULL)
            gg_error_add(errors, "Unknown operation named \"%s\".", operation_name);
        else
            gg_error_add(errors, "Must provide an operation.");
    }
    return op;
}

static void complete_request_error(gg_exec *ex, bool data_null)
{
    ex->root_done = true;
    ex->data_null = data_null;
    if (!data_null) ex->data = NULL;
    ex->completed = true;
    gg_exec_result result = {.data = data_null ? &gg_val_null_value : NULL, .errors = ex->errors};
    ex->req.on_complete(&result, ex->req.user);
}

void gg_execute(const gg_exec_request *request)
{
    gg_exec *ex = gg_arena_alloc(request->arena, sizeof *ex);
    ex->req = *request;
    ex->arena = request->arena;
    ex->schema = request->schema;
    gg_error_list_init(&ex->errors, ex->arena);
    gg_strmap_init(&ex->fragments, ex->arena);
    gg_strmap_init(&ex->field_cache, ex->arena);

    const gg_document *doc = request->document;
    for (unsigned i = 0; i < doc->definition_count; i++) {
        const gg_definition *d = &doc->definitions[i];
        if (d->kind == GG_DEF_FRAGMENT && d->name.value)
            gg_strmap_put_new(&ex->fragments, d->name.value, strlen(d->name.value), (void *)d);
    }
    ex->operation = gg_select_operation(doc, request->operation_name, &ex->errors);
    if (ex->operation == NULL) {
        complete_request_error(ex, false);
        return;
    }
    gg_val *empty = gg_val_object(ex->arena, 0);
    ex->variables = gg_coerce_variable_values(ex->schema, ex->arena, ex->operation,
                                              request->variables ? request->variables : empty, &ex->errors);
    if (ex->variables == NULL) {
        complete_request_error(ex, false);
        return;
    }

    const gg_type *root_type = ex->operation->operation == GG_OP_QUERY      ? ex->schema->query_type
                               : ex->operation->operation == GG_OP_MUTATION ? ex->schema->mutation_type
                                                                            : ex->schema->subscription_type;
    if (root_type == NULL) {
        gg_error_at(&ex->errors, ex->operation->loc, "Schema is not configured to execute %s operation.",
                    gg_operation_kind_name(ex->operation->operation));
        complete_request_error(ex, true);
        return;
    }
    const gg_error *error = NULL;
    const cfields *fields =
        collect_fields(ex, root_type, ex->operation->selection_set, NULL, 0, ex->operation->selection_set, &error);
    if (fields == NULL) {
        gg_error *e = gg_arena_alloc(ex->arena, sizeof *e);
        *e = *error;
        append_error(&ex->errors, e);
        complete_request_error(ex, true);
        return;
    }
    /* Subscriptions execute like queries here (graphql-js execute() does the same); the source
     * stream is the real-time layer's business, which runs this per event with root_value. */
    rnode *root = new_object_node(ex, NULL, 0, root_type, root_type, fields, request->root_value, NULL);
    root->serial = ex->operation->operation == GG_OP_MUTATION;
    ex->root = root;
    ex->data = root->value;
    if (root->count == 0) {
        root->finished = true;
        ex->root_done = true;
    } else {
        push(ex, root);
    }
    drive(ex);
}

void gg_exec_result_write_json(gg_buf *out, const gg_exec_result *result)
{
    gg_buf_putc(out, '{');
    bool comma = false;
    if (result->data != NULL) {
        gg_buf_puts(out, "\"data\":");
        gg_val_write_json(out, result->data);
        comma = true;
    }
    if (result->errors.count > 0) {
        if (comma) gg_buf_putc(out, ',');
        gg_buf_puts(out, "\"errors\":");
        gg_error_list_write_json(out, &result->errors);
    }
    gg_buf_putc(out, '}');
}
