/* datastore_conflict.c: a versioned write that wrote no row: read the row, tell a failed condition
 * from a version conflict, and run the model's conflict handler; see datastore_conflict.h.
 *
 * One conflict is a small state machine in the request arena: read (a get plan of the mutation's
 * own selection with every stored field, gg_pg_target.every_stored), decide, then answer or retry
 * the write (a fresh plan of the same field over new arguments, whose WHERE clause checks the
 * version just read), and read again when the retry also wrote no row. Both statements go through
 * the plans and the pool the first write used, so @auth, conditions, the change log and the shape of
 * the answer are the first write's. errors[0].data is the read row run through the selection set
 * here (shape_object): the field itself is null, so the executor never shapes that row. */
#include "datastore_conflict.h"

#include <string.h>

#include "base/log.h"
#include "datastore_merge.h"
#include "pg_failure.h"
#include "pg_resolvers.h"
#include "pg_selection.h"

typedef struct conflict_run {
    gg_resolve_info *info;      /* the mutation field */
    const gg_pg_target *target; /* its binding: a versioned update or delete */
    const gg_pg_request *req;
    gg_pubsub *pubsub;
    const gg_val *input;     /* this round's input (its _version: the version the write checked) */
    const gg_val *condition; /* the field's condition argument, every round */
    unsigned rounds;         /* retries sent */
    gg_pg_plan *plan;        /* the statement in flight */
    bool reading;            /* it reads the current row (else it is a retried write) */
    const gg_val *row;       /* the row read last */
    gg_pg_conflict lambda;
} conflict_run;

static const char *const metadata_fields[] = {"_version", "_deleted", "_lastChangedAt", "_ttl"};

bool gg_pg_conflict_possible(const gg_pg_target *target)
{
    return target != NULL && target->model->version != NULL &&
           (target->op == GG_PG_OP_UPDATE || target->op == GG_PG_OP_DELETE);
}

/* The version a write checks: the input's _version, 0 when it has none (AppSync's resolvers send
 * `_version ?? 0`, which no stored row has). */
static int64_t version_of(const gg_val *obj)
{
    const gg_val *v = gg_val_object_get(obj, "_version");
    return v != NULL && v->kind == GG_VAL_INT ? v->i : 0;
}

static void fail(conflict_run *run, const char *error_type, const char *message)
{
    gg_resolve_fault(run->info, &(gg_fault){.error_type = error_type, .message = message});
}

/* ---- errors[].data: the row as the selection set shapes it ---- */

gg_val *gg_pg_output_value(gg_arena *arena, const gg_type *type, const gg_val *v, gg_pg_output_object_fn *object,
                           void *user)
{
    if (v == NULL || v->kind == GG_VAL_NULL || v->kind == GG_VAL_UNDEFINED) return &gg_val_null_value;
    while (type->kind == GG_KIND_NON_NULL)
        type = type->of_type;
    switch (type->kind) {
    case GG_KIND_LIST: {
        if (v->kind != GG_VAL_LIST) return &gg_val_null_value;
        gg_val *list = gg_val_list(arena, v->count);
        for (unsigned i = 0; i < v->count; i++)
            gg_val_list_push(arena, list, gg_pg_output_value(arena, type->of_type, v->items[i], object, user));
        return list;
    }
    case GG_KIND_OBJECT:
        return v->kind == GG_VAL_OBJECT ? object(user, arena, type, v) : &gg_val_null_value;
    case GG_KIND_SCALAR: {
        gg_val *out = NULL;
        gg_fault fault = {0};
        if (type->scalar == NULL || type->scalar->serialize == NULL) return (gg_val *)v;
        return type->scalar->serialize(arena, v, &out, &fault) && out != NULL ? out : &gg_val_null_value;
    }
    case GG_KIND_ENUM:
        return (gg_val *)v;
    default: /* interfaces and unions are not stored fields */
        return &gg_val_null_value;
    }
}

/* What shapes an object of the row: the conflict and the selection nodes of the field holding it. */
typedef struct shape_context {
    conflict_run *run;
    const gg_selection *const *nodes;
    unsigned count;
} shape_context;

/* The member of row holding field sel: its name for a stored field, "@" + response name (and
 * "#field" or "|arguments", plan.h) for a relation. */
static const gg_val *member_of(const gg_val *row, const gg_pg_field_sel *sel)
{
    const gg_val *v = gg_val_object_get(row, sel->def->name);
    if (v != NULL) return v;
    size_t len = strlen(sel->response_name);
    for (unsigned i = 0; i < row->count; i++) {
        const char *key = row->members[i].key;
        if (key[0] == '@' && strncmp(key + 1, sel->response_name, len) == 0 &&
            (key[1 + len] == '\0' || key[1 + len] == '#' || key[1 + len] == '|'))
            return row->members[i].value;
    }
    return NULL;
}

/* An object of the row, field by field as the selection set asks (gg_pg_output_object_fn). */
static gg_val *shape_object(void *user, gg_arena *arena, const gg_type *type, const gg_val *row)
{
    const shape_context *context = user;
    gg_pg_fields fields;
    gg_fault fault = {0};
    if (!gg_pg_collect_fields(context->run->info, type, context->nodes, context->count, &fields, &fault))
        return &gg_val_null_value;
    gg_val *obj = gg_val_object(arena, fields.count);
    for (unsigned i = 0; i < fields.count; i++) {
        const gg_pg_field_sel *sel = &fields.items[i];
        gg_val *v = &gg_val_null_value;
        if (sel->def == NULL) { /* __typename, the one meta field an object selection may hold */
            if (strcmp(sel->nodes[0]->name.value, "__typename") == 0)
                v = gg_val_string(arena, type->name, strlen(type->name));
        } else {
            shape_context inner = {context->run, sel->nodes, sel->node_count};
            v = gg_pg_output_value(arena, sel->def->type, member_of(row, sel), shape_object, &inner);
        }
        gg_val_object_set(arena, obj, sel->response_name, v);
    }
    return obj;
}

/* ConflictUnhandled (OPTIMISTIC_CONCURRENCY, LAMBDA's REJECT, AUTOMERGE's deletes and tombstones),
 * with the row in errors[0].data. */
static void unhandled(conflict_run *run)
{
    gg_resolve_info *info = run->info;
    gg_error *e = gg_error_of_fault(
        info->arena, &(gg_fault){.error_type = "ConflictUnhandled", .message = "Conflict resolver rejects mutation."},
        NULL);
    shape_context context = {run, info->field_nodes, info->field_node_count};
    gg_val *shaped = gg_pg_output_value(info->arena, info->field->type, run->row, shape_object, &context);
    gg_buf out;
    gg_buf_init(&out);
    gg_val_write_json(&out, shaped);
    e->data = gg_arena_strndup(info->arena, out.data ? out.data : "null", out.data ? out.len : 4);
    gg_buf_free(&out);
    gg_resolve_fail(info, e);
}

/* ---- the statements ---- */

static void read_row(conflict_run *run);
static void decide(conflict_run *run);

/* The result of the statement in flight: the row read (then decide), or the retried write's. */
static void on_result(void *user, gg_pg_status status, const PGresult *result)
{
    conflict_run *run = user;
    gg_fault failure = {0};
    gg_val *value = NULL;
    if (status != GG_PG_OK) {
        failure = gg_pg_field_failure(run->req->pool, status, result, run->info);
    } else if (gg_pg_plan_finish(run->plan, result, &value, &failure)) {
        if (run->reading) {
            run->row = value;
            decide(run);
            return;
        }
        gg_pubsub_publish_value(run->pubsub, run->info->field->name, value);
        gg_resolve_return(run->info, value);
        return;
    } else if (!run->reading && strcmp(failure.error_type ? failure.error_type : "", GG_PG_CONDITION_FAILED) == 0) {
        read_row(run); /* the row changed again (or the condition failed): read it and decide again */
        return;
    }
    gg_resolve_fault(run->info, &failure);
}

/* Plans target over the field with the arguments of wi and sends the statement (reading: the read
 * of the current row, else a retried write). */
static void send_plan(conflict_run *run, const gg_pg_target *target, gg_resolve_info *wi, bool reading)
{
    gg_pg_statement stmt;
    gg_fault failure = {0};
    run->plan = gg_pg_plan_build(target, wi, run->req->cursor_key, &stmt, &failure);
    if (run->plan == NULL) {
        gg_resolve_fault(run->info, &failure);
        return;
    }
    run->reading = reading;
    if (target->log_sql) gg_log_info("sql: %s", stmt.sql);
    gg_pg_pool_query_format(run->req->pool, run->req->owner, stmt.sql, stmt.param_count, stmt.values,
                            stmt.result_format, on_result, run);
}

/* The field's resolve info with other arguments (a copy: the executor's stays as it is). */
static gg_resolve_info *with_args(conflict_run *run, const gg_val *args)
{
    gg_resolve_info *copy = gg_arena_alloc(run->info->arena, sizeof *copy);
    *copy = *run->info;
    copy->args = args;
    return copy;
}

/* The input with _version set to version (a new object; input itself is the executor's). */
static gg_val *with_version(gg_arena *arena, const gg_val *input, int64_t version)
{
    gg_val *copy = gg_val_object(arena, input->count + 1);
    for (unsigned i = 0; i < input->count; i++)
        gg_val_object_set(arena, copy, input->members[i].key, input->members[i].value);
    gg_val_object_set(arena, copy, "_version", gg_val_int(arena, version));
    return copy;
}

/* Sends the field's write again over input, checking version. */
static void retry(conflict_run *run, const gg_val *input, int64_t version)
{
    gg_resolve_info *info = run->info;
    if (++run->rounds > GG_PG_MAX_CONFLICT_ROUNDS) {
        fail(run, "MaxConflicts",
             gg_arena_printf(info->arena, "The item kept changing: the write was retried %d times.",
                             GG_PG_MAX_CONFLICT_ROUNDS));
        return;
    }
    run->input = with_version(info->arena, input, version);
    gg_val *args = gg_val_object(info->arena, 2);
    gg_val_object_set(info->arena, args, "input", (gg_val *)run->input);
    if (run->condition != NULL) gg_val_object_set(info->arena, args, "condition", (gg_val *)run->condition);
    send_plan(run, run->target, with_args(run, args), false);
}

/* LAMBDA's answer. */
static void lambda_done(gg_pg_conflict *conflict, gg_pg_conflict_action action, const gg_val *item, const char *message)
{
    conflict_run *run = conflict->user;
    gg_arena *arena = run->info->arena;
    int64_t version = version_of(run->row);
    bool deleting = run->target->op == GG_PG_OP_DELETE;
    if (action == GG_PG_CONFLICT_REJECT) {
        unhandled(run);
    } else if (action == GG_PG_CONFLICT_REMOVE && deleting) {
        retry(run, run->input, version);
    } else if (action == GG_PG_CONFLICT_RESOLVE && !deleting && item != NULL && item->kind == GG_VAL_OBJECT) {
        /* the item's fields; the key comes from the input and the metadata from the row */
        gg_val *write = gg_val_object(arena, item->count + run->target->model->key_count);
        for (unsigned i = 0; i < item->count; i++) {
            bool skip = item->members[i].value->kind == GG_VAL_UNDEFINED;
            for (size_t k = 0; k < sizeof metadata_fields / sizeof *metadata_fields && !skip; k++)
                skip = strcmp(item->members[i].key, metadata_fields[k]) == 0;
            if (!skip) gg_val_object_set(arena, write, item->members[i].key, item->members[i].value);
        }
        for (unsigned i = 0; i < run->target->model->key_count; i++) {
            const char *name = run->target->model->key[i]->field->name;
            gg_val_object_set(arena, write, name, gg_val_object_get(run->input, name));
        }
        retry(run, write, version);
    } else {
        const char *why = action == GG_PG_CONFLICT_FAILED                ? message
                          : action == GG_PG_CONFLICT_REMOVE              ? "REMOVE answers a delete only."
                          : action == GG_PG_CONFLICT_RESOLVE && deleting ? "RESOLVE does not answer a delete."
                                                                         : "RESOLVE needs an item.";
        fail(run, "ConflictError",
             gg_arena_printf(arena, "The conflict handler failed: %s", why ? why : "no reason given."));
    }
}

static void run_lambda(conflict_run *run)
{
    gg_resolve_info *info = run->info;
    const gg_pg_model *pm = run->target->model;
    run->lambda = (gg_pg_conflict){
        .operation = run->target->op == GG_PG_OP_DELETE ? "delete" : "update",
        .op = run->target->op,
        .new_item = run->input,
        .existing_item = run->row,
        .arguments = info->args,
        .table_name = pm->model->table,
        .parent_type = info->parent_type->name,
        .field = info->field->name,
        .model = pm->model->name,
        .identity = run->req->identity,
        .info = info,
        .arena = info->arena,
        .done = lambda_done,
        .user = run,
    };
    gg_pg_conflict_lambda(&run->lambda);
}

/* What the row read says about the write that wrote nothing. */
static void decide(conflict_run *run)
{
    const gg_val *row = run->row;
    if (row == NULL || row->kind != GG_VAL_OBJECT) { /* no such item (or none the caller may read) */
        fail(run, GG_PG_CONDITION_FAILED, "The conditional request failed");
        return;
    }
    const gg_val *deleted = gg_val_object_get(row, "_deleted");
    bool tombstone = deleted != NULL && deleted->kind == GG_VAL_BOOL && deleted->b;
    int64_t version = version_of(row);
    if (!tombstone && version == version_of(run->input)) { /* the version held: the condition did not */
        fail(run, GG_PG_CONDITION_FAILED, "The conditional request failed");
        return;
    }
    switch (run->target->model->model->conflict_handler) {
    case GG_AMPLIFY_CONFLICT_LAMBDA:
        run_lambda(run);
        return;
    case GG_AMPLIFY_CONFLICT_AUTOMERGE:
        if (!tombstone && run->target->op == GG_PG_OP_UPDATE) {
            retry(run, gg_pg_merge_input(run->info->arena, row, run->input), version);
            return;
        }
        break; /* nothing to merge into a delete, nor into a tombstone */
    case GG_AMPLIFY_CONFLICT_OPTIMISTIC:
        break;
    }
    unhandled(run);
}

/* Reads the row this round's input names: the field's own selection plus every stored field. */
static void read_row(conflict_run *run)
{
    gg_pg_target *t = gg_arena_alloc(run->info->arena, sizeof *t);
    *t = *run->target;
    t->op = GG_PG_OP_GET;
    t->every_stored = true;
    send_plan(run, t, with_args(run, run->input), true); /* the key fields, by name */
}

void gg_pg_conflict_start(gg_resolve_info *info, gg_pubsub *pubsub)
{
    conflict_run *run = gg_arena_alloc(info->arena, sizeof *run);
    run->info = info;
    run->target = info->field->resolve_data;
    run->req = info->context;
    run->pubsub = pubsub;
    run->input = gg_val_object_get(info->args, "input");
    run->condition = gg_val_object_get(info->args, "condition");
    read_row(run);
}
