/* plan.c: the planner's entry points (plan.h): picks the plan database.plan chose for the field
 * (plan_rows.c or plan_json.c, through plan_build.h) and hands the statement's result back to it.
 *
 * The dispatcher sits above the two plans so that they depend only on the SQL they share
 * (plan_sql.c), never on each other or on this file. A syncX page is a list to both plans: its own
 * arguments are read here first, and its answer completed here last (datastore_sync.h). */
#include "datastore_sync.h"
#include "plan_build.h"

/* A root read (get, list, @index query, a relation resolved apart from its parent) that no rule
 * allows the caller is refused before any SQL: Unauthorized at the field, as AppSync's generated
 * resolvers do (a relation's auth function refuses when the related model's rules allow no row).
 * The scratch parameters keep the statement's own list free of values it does not use. */
static bool root_allowed(gg_pg_plan_builder *b)
{
    gg_pg_op op = b->target->op;
    const gg_pg_model *pm = b->target->model;
    unsigned rule_op = op == GG_PG_OP_GET    ? GG_AMPLIFY_OP_GET
                       : op == GG_PG_OP_SYNC ? GG_AMPLIFY_OP_SYNC
                                             : GG_AMPLIFY_OP_LIST;
    if (op == GG_PG_OP_RELATION) {
        gg_pg_plan_sides rs;
        const gg_amplify_relation *r = b->target->field->relation;
        if (r == NULL || !gg_pg_plan_relation_sides(b, pm, r, &rs)) return false;
        pm = rs.target;
        rule_op = gg_pg_plan_is_to_many(r) ? GG_AMPLIFY_OP_LIST : GG_AMPLIFY_OP_GET;
    } else if (op != GG_PG_OP_GET && op != GG_PG_OP_LIST && op != GG_PG_OP_INDEX && op != GG_PG_OP_SYNC) {
        return true;
    }
    gg_sql_params scratch;
    gg_sql_params_init(&scratch, b->arena);
    gg_buf predicate;
    gg_buf_init(&predicate);
    gg_pg_auth_answer answer = gg_pg_auth_model(pm, rule_op, b->identity, "t", &scratch, &predicate);
    gg_buf_free(&predicate);
    if (answer != GG_PG_AUTH_DENY) return true;
    return gg_pg_plan_fail_unauthorized(b, b->info->field->name, b->info->parent_type->name);
}

gg_pg_plan *gg_pg_plan_build(const gg_pg_target *target, gg_resolve_info *info, const gg_cursor_key *key,
                             gg_pg_statement *stmt, gg_fault *failure)
{
    gg_pg_plan_builder b;
    gg_pg_plan_builder_init(&b, target, info, key);
    gg_pg_plan *plan = NULL;
    stmt->result_format = 0;
    if (root_allowed(&b) && (target->op != GG_PG_OP_SYNC || gg_pg_sync_prepare(&b)))
        plan = target->plan == GG_PG_PLAN_JSON ? gg_pg_plan_json_build(&b, stmt) : gg_pg_plan_rows_build(&b, stmt);
    if (plan == NULL) {
        *failure = b.failure;
        if (failure->message == NULL)
            *failure = (gg_fault){.error_type = "InternalFailure", .message = "The request cannot be planned."};
        return NULL;
    }
    plan->sync = b.sync;
    stmt->param_count = (int)b.params.count;
    stmt->values = b.params.values;
    return plan;
}

void gg_pg_plan_to_executor(gg_pg_plan *plan)
{
    plan->rows_as_text = true;
}

bool gg_pg_plan_finish(gg_pg_plan *plan, const PGresult *result, gg_val **value, gg_fault *failure)
{
    if (!plan->finish(plan, result, value, failure)) return false;
    if (plan->sync) gg_pg_sync_finish(plan->sync, *value);
    return true;
}
