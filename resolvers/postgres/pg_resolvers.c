/* pg_resolvers.c: binding of @model fields to PostgreSQL, and the asynchronous resolvers.
 *
 * A root field's resolver builds its plan (plan.h) in the request arena, sends the statement
 * with gg_pg_pool_query and returns; the pool calls back on the same event loop, and the
 * callback completes the field (gg_resolve_return / gg_resolve_fail). The statement has its own
 * sync point in the pipeline, so a mutation is its own implicit transaction. The statements of
 * a query operation may read on the replica (replica.h); mutations, the reads of their results
 * and subscriptions stay on the primary. Database errors are logged to stderr with their
 * SQLSTATE and text; the client gets an errorType and a fixed message
 * (SQL never reaches it). Relation fields read the "@<response name>" member the plan put in the
 * parent row; when it is absent (the parent value was made elsewhere: a subscription event, a
 * custom resolver) they plan a statement of their own from the parent's key values. */
#include "pg_resolvers.h"

#include <stdio.h>
#include <string.h>

#include "auth_input.h"
#include "column_types.h"
#include "connect.h"
#include "base/log.h"
#include "datastore_conflict.h"
#include "execute/execute.h"
#include "pg_selection.h"
#include "plan.h"
#include "replica.h"

typedef struct pending {
    gg_resolve_info *info;
    gg_pg_plan *plan;
    gg_pg_pool *pool;
    gg_pubsub *pubsub; /* mutations: where their result is published; NULL: no events */
} pending;

/* The field of pm whose column a foreign key graphgate migrate made is on, by the key's name
 * ("Post_blogID_fkey": the table, its one column, "_fkey"); NULL for another name (a key of the
 * database's own, a composite one). */
static const char *reference_field(const gg_pg_model *pm, const char *constraint)
{
    const char *table = pm->model->table ? pm->model->table : pm->model->name;
    size_t table_len = strlen(table), len = strlen(constraint);
    if (len <= table_len + 6 || strncmp(constraint, table, table_len) != 0 || constraint[table_len] != '_' ||
        strcmp(constraint + len - 5, "_fkey") != 0)
        return NULL;
    const char *column = constraint + table_len + 1;
    size_t column_len = len - table_len - 1 - 5;
    for (unsigned i = 0; i < pm->model->field_count; i++) {
        const gg_amplify_field *f = pm->columns[i].field;
        if (f == NULL || pm->columns[i].expression != NULL) continue;
        const char *name = f->column ? f->column : f->name;
        if (strlen(name) == column_len && strncmp(name, column, column_len) == 0) return f->name;
    }
    return NULL;
}

gg_fault gg_pg_field_failure(gg_pg_pool *pool, gg_pg_status status, const PGresult *result, const gg_resolve_info *info)
{
    const gg_pg_target *target = info->field->resolve_data;
    if (status == GG_PG_ERROR && gg_pg_auth_refused(result)) /* @auth: a row the caller may not write */
        return gg_pg_plan_unauthorized(info->arena, info->field->name, info->parent_type->name);
    bool deleting = target && target->op == GG_PG_OP_DELETE;
    gg_fault fault = gg_pg_failure_of(pool, status, result, info->field->name, deleting);
    /* a reference to a missing item: which of the input's fields (a create may set several) */
    const char *state = status == GG_PG_ERROR && result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
    const char *constraint = state != NULL ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : NULL;
    const char *field =
        !deleting && target != NULL && target->model != NULL && constraint != NULL && strcmp(state, "23503") == 0
            ? reference_field(target->model, constraint)
            : NULL;
    if (field != NULL)
        fault.message =
            gg_arena_printf(info->arena, "A related item the input refers to does not exist (field %s).", field);
    return fault;
}

static void on_result(void *user, gg_pg_status status, const PGresult *result)
{
    pending *p = user;
    gg_resolve_info *info = p->info;
    gg_fault failure = {0};
    gg_val *value = NULL;
    if (status != GG_PG_OK) {
        failure = gg_pg_field_failure(p->pool, status, result, info);
    } else if (gg_pg_plan_finish(p->plan, result, &value, &failure)) {
        gg_pubsub_publish_value(p->pubsub, info->field->name, value); /* pubsub NULL: not a mutation */
        gg_resolve_return(info, value);
        return;
    } else if (strcmp(failure.error_type ? failure.error_type : "", GG_PG_CONDITION_FAILED) == 0 &&
               gg_pg_conflict_possible(info->field->resolve_data)) {
        gg_pg_conflict_start(info, p->pubsub); /* a versioned write that wrote nothing: conflict or condition? */
        return;
    }
    gg_resolve_fault(info, &failure);
}

/* Plans and sends the statement for the field info resolves. */
static void run_planned(gg_resolve_info *info, const gg_pg_target *target)
{
    const gg_pg_request *req = info->context;
    if (req == NULL || req->pool == NULL) {
        gg_resolve_fault(info,
                         &(gg_fault){.error_type = "ServiceUnavailable", .message = "The database is unavailable."});
        return;
    }
    gg_pg_statement stmt;
    gg_fault failure = {0};
    gg_pg_plan *plan = gg_pg_plan_build(target, info, req->cursor_key, &stmt, &failure);
    if (plan == NULL) {
        gg_resolve_fault(info, &failure);
        return;
    }
    pending *p = gg_arena_alloc(info->arena, sizeof *p);
    p->info = info;
    p->plan = plan;
    p->pool = req->pool;
    bool mutation = target->op == GG_PG_OP_CREATE || target->op == GG_PG_OP_UPDATE || target->op == GG_PG_OP_DELETE;
    p->pubsub = mutation ? req->pubsub : NULL;
    if (!mutation) gg_pg_plan_to_executor(plan); /* a mutation's value is published too */
    if (target->log_sql) gg_log_info("sql: %s", stmt.sql);
    /* queries may read on the replica; a mutation's statement and the reads of its result, the primary;
     * so does syncX: its startedAt is the next lastSync, and a lagging replica would lose the changes
     * it has not replayed yet from every later delta */
    if (!mutation && target->op != GG_PG_OP_SYNC && info->operation != NULL &&
        info->operation->operation == GG_OP_QUERY)
        gg_pg_query_read(req, info->arena, stmt.sql, stmt.param_count, stmt.values, stmt.result_format, on_result, p);
    else
        gg_pg_pool_query_format(req->pool, req->owner, stmt.sql, stmt.param_count, stmt.values, stmt.result_format,
                                on_result, p);
}

static void resolve_root(gg_resolve_info *info)
{
    run_planned(info, info->field->resolve_data);
}

/* The member of source keyed "@<name>" (args NULL) or "@<name>|<args>", or NULL. */
static gg_val *relation_member(const gg_val *source, const char *name, const char *args)
{
    if (source == NULL || source->kind != GG_VAL_OBJECT) return NULL;
    size_t len = strlen(name);
    for (unsigned i = 0; i < source->count; i++) {
        const char *key = source->members[i].key;
        if (key[0] != '@' || strncmp(key + 1, name, len) != 0) continue;
        const char *rest = key + 1 + len;
        if (args == NULL ? rest[0] == '\0' : rest[0] == '|' && strcmp(rest + 1, args) == 0)
            return source->members[i].value;
    }
    return NULL;
}

/* The plan marked the field denied on this row (GG_PG_DENIED_PREFIX, field-level @auth): completes
 * it with null + Unauthorized at its path, as AppSync answers, and returns true. */
static bool denied_here(gg_resolve_info *info)
{
    const char *name = info->field->name;
    const gg_val *source = info->source;
    const gg_val *denied = source != NULL && source->kind == GG_VAL_OBJECT
                               ? gg_val_object_get(source, gg_arena_printf(info->arena, GG_PG_DENIED_PREFIX "%s", name))
                               : NULL;
    if (denied == NULL || denied->kind != GG_VAL_BOOL || !denied->b) return false;
    gg_resolve_error(info, "Unauthorized", "Not Authorized to access %s on type %s", name, info->parent_type->name);
    return true;
}

/* The plan put the relation in the parent row as "@<response name>", with "#<field name>" when
 * the response name also names another field there, and "|<arguments>" when aliases of the parent
 * asked for it with different arguments (gg_pg_plan_relation_groups). */
static void resolve_relation(gg_resolve_info *info)
{
    if (denied_here(info)) return;
    const char *name = info->path && info->path->key ? info->path->key : info->field->name;
    gg_val *v = relation_member(info->source, name, NULL);
    const char *named = v ? NULL : gg_arena_printf(info->arena, "%s#%s", name, info->field->name);
    if (v == NULL) v = relation_member(info->source, named, NULL);
    if (v == NULL && info->field_node_count > 0 && info->field_nodes[0]->arg_count > 0) {
        const char *args = gg_pg_arguments_text(info->arena, info->field_nodes[0]);
        v = relation_member(info->source, name, args);
        if (v == NULL) v = relation_member(info->source, named, args);
    }
    const gg_pg_request *req = info->context;
    if (v != NULL || (req != NULL && req->event_only)) {
        gg_resolve_return(info, v);
        return;
    }
    run_planned(info, info->field->resolve_data);
}

/* A stored field with @auth rules of its own: the plan put "!" + its name (true) in a row whose
 * field the caller may not read (plan.h); that is null + Unauthorized at the field's path, as
 * AppSync answers, and the rest of the row is served. Otherwise the value, as the default resolver
 * would read it. */
static void resolve_guarded_field(gg_resolve_info *info)
{
    if (denied_here(info)) return;
    const gg_val *source = info->source;
    const gg_val *v =
        source != NULL && source->kind == GG_VAL_OBJECT ? gg_val_object_get(source, info->field->name) : NULL;
    gg_resolve_return(info, v ? (gg_val *)v : &gg_val_null_value);
}

/* The last "::"-separated part of an owner value ("<sub>::<username>" reads as "<username>"), as
 * Java's split("::") gives it: trailing empty parts do not count. */
static gg_val *last_claim_part(gg_arena *arena, const gg_val *v)
{
    if (v == NULL || v->kind != GG_VAL_STRING) return (gg_val *)v;
    size_t end = v->len;
    while (end >= 2 && memcmp(v->s + end - 2, "::", 2) == 0)
        end -= 2;
    size_t start = end;
    while (start >= 2 && memcmp(v->s + start - 2, "::", 2) != 0)
        start--;
    if (start < 2) start = 0; /* no separator before end */
    return start == 0 && end == v->len ? (gg_val *)v : gg_val_string(arena, v->s + start, end - start);
}

/* The owner field of an owner rule whose identity claim has several parts ("sub::username", the
 * userPools default): AppSync resolves it with a field resolver of its own that answers only the
 * last part of the value, of each item for a multi-owner list (graphql-auth-transformer's
 * addFieldResolverForDynamicAuth and generateFieldResolverForOwner). The stored value is not
 * changed: rules, filters and subscriptions compare it whole. A field with rules of its own is
 * guarded first, as resolve_guarded_field does. */
static void resolve_owner_field(gg_resolve_info *info)
{
    if (denied_here(info)) return;
    const gg_val *source = info->source;
    const gg_val *v =
        source != NULL && source->kind == GG_VAL_OBJECT ? gg_val_object_get(source, info->field->name) : NULL;
    if (v != NULL && v->kind == GG_VAL_LIST) {
        gg_val *list = gg_val_list(info->arena, v->count);
        for (unsigned i = 0; i < v->count; i++)
            gg_val_list_push(info->arena, list, last_claim_part(info->arena, v->items[i]));
        v = list;
    }
    gg_resolve_return(info, v ? last_claim_part(info->arena, v) : &gg_val_null_value);
}

/* Is field the owner field of an owner rule of m (the model's or a field's) whose identity claim
 * has several parts? */
static bool shows_last_claim_part(const gg_amplify_model *m, const char *field)
{
    for (unsigned k = 0; k <= m->field_count; k++) {
        const gg_amplify_auth_rule *rules = k < m->field_count ? m->fields[k].auth_rules : m->auth_rules;
        unsigned count = k < m->field_count ? m->fields[k].auth_rule_count : m->auth_rule_count;
        for (unsigned i = 0; i < count; i++)
            if (rules[i].allow == GG_AMPLIFY_ALLOW_OWNER && strcmp(rules[i].owner_field, field) == 0 &&
                rules[i].identity_claim != NULL && strstr(rules[i].identity_claim, "::") != NULL)
                return true;
    }
    return false;
}

static gg_pg_target *new_target(gg_schema *schema, const gg_pg_models *models, const gg_pg_model *pm, gg_pg_op op,
                                const gg_pg_options *opts)
{
    gg_pg_target *t = gg_arena_alloc(&schema->arena, sizeof *t);
    t->op = op;
    t->models = models;
    t->model = pm;
    t->default_limit = opts && opts->default_limit ? opts->default_limit : 100;
    t->max_limit = opts && opts->max_limit ? opts->max_limit : 1000;
    t->log_sql = opts && opts->log_sql;
    t->plan = opts ? opts->plan : GG_PG_PLAN_ROWS;
    if (opts) t->filter_limits = opts->filter_limits;
    double delta_min = opts && opts->delta_ttl_min > 0 ? opts->delta_ttl_min : 30;
    t->delta_ttl_ms = (int64_t)(delta_min * 60000.0);
    double ttl_min = opts && opts->tombstone_ttl_min > 0 ? opts->tombstone_ttl_min : 43200;
    t->tombstone_ttl_s = (int64_t)(ttl_min * 60);
    if (opts) t->lambda = opts->lambda;
    return t;
}

static void bind_field(gg_type *parent, const char *name, gg_resolve_fn fn, gg_pg_target *target)
{
    gg_field *f = parent && name ? gg_type_find_field(parent, name) : NULL;
    if (f == NULL) return;
    f->resolve = fn;
    f->resolve_data = target;
}

/* The real types of the mapped columns (column_types.h); each problem is one warning. An
 * unreachable database leaves the storage types, says so (unless the caller will, quiet) and
 * returns false. */
static bool read_column_types(const char *url, bool quiet, gg_pg_models *models, const gg_schema *schema)
{
    char reason[512] = "";
    gg_pg_connect_options options = {.connect_timeout_s = 5};
    gg_log_startup_step("schema built");
    PGconn *conn = gg_pg_startup_connect(url, &options, GG_FAULT_INTO(reason));
    if (conn == NULL) {
        if (quiet) return false;
        gg_log_warn("warning: the column types of the @model tables were not read (%s): graphgate's storage types "
                    "are assumed until the database answers",
                    reason);
        return false;
    }
    gg_buf problems;
    gg_buf_init(&problems);
    if (gg_pg_read_column_types(conn, models, &problems)) gg_pg_check_enum_labels(models, schema, &problems);
    const char *p = problems.data;
    while (p != NULL && *p) {
        size_t n = strcspn(p, "\n");
        gg_log_warn("warning: %.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
    gg_buf_free(&problems);
    gg_log_startup_step("database connected, column types read");
    gg_pg_startup_keep(conn, url); /* for gg_pg_prepare, which comes next at start-up */
    return true;
}

const gg_pg_model *gg_pg_bound_model(const gg_field *field)
{
    if (field == NULL || field->resolve != resolve_root) return NULL;
    return ((const gg_pg_target *)field->resolve_data)->model;
}

bool gg_pg_bind(gg_schema *schema, const gg_amplify_catalog *catalog, const gg_pg_options *opts)
{
    gg_pg_models *models = gg_pg_models_build(&schema->arena, catalog);
    bool types_read = true;
    if (opts && opts->database_url && opts->database_url[0])
        types_read = read_column_types(opts->database_url, opts->database_needed, models, schema);
    for (unsigned i = 0; i < models->count; i++) {
        const gg_pg_model *pm = &models->models[i];
        const gg_amplify_model *m = pm->model;
        gg_type *q = schema->query_type, *mu = schema->mutation_type;
        bind_field(q, m->ops.get, resolve_root, new_target(schema, models, pm, GG_PG_OP_GET, opts));
        bind_field(q, m->ops.list, resolve_root, new_target(schema, models, pm, GG_PG_OP_LIST, opts));
        bind_field(mu, m->ops.create, resolve_root, new_target(schema, models, pm, GG_PG_OP_CREATE, opts));
        bind_field(mu, m->ops.update, resolve_root, new_target(schema, models, pm, GG_PG_OP_UPDATE, opts));
        bind_field(mu, m->ops.delete_, resolve_root, new_target(schema, models, pm, GG_PG_OP_DELETE, opts));
        bind_field(q, m->ops.sync, resolve_root, new_target(schema, models, pm, GG_PG_OP_SYNC, opts));
        for (unsigned k = 0; k < m->index_count; k++) {
            if (m->indexes[k].query_field == NULL) continue;
            gg_pg_target *t = new_target(schema, models, pm, GG_PG_OP_INDEX, opts);
            t->index = &m->indexes[k];
            bind_field(q, m->indexes[k].query_field, resolve_root, t);
        }
        gg_type *type = gg_schema_find_type(schema, m->name);
        for (unsigned k = 0; type && k < m->field_count; k++) {
            if (m->fields[k].kind != GG_AMPLIFY_FIELD_RELATION) {
                if (shows_last_claim_part(m, m->fields[k].name))
                    bind_field(type, m->fields[k].name, resolve_owner_field, NULL);
                else if (m->fields[k].auth_rule_count > 0)
                    bind_field(type, m->fields[k].name, resolve_guarded_field, NULL);
                continue;
            }
            gg_pg_target *t = new_target(schema, models, pm, GG_PG_OP_RELATION, opts);
            t->field = &m->fields[k];
            bind_field(type, m->fields[k].name, resolve_relation, t);
        }
    }
    return types_read;
}
