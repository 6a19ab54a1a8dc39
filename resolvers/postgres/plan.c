/* plan.c: the planner's entry points (plan.h): picks the plan database.plan chose for the field
 * (plan_rows.c or plan_json.c, through plan_build.h) and hands the statement's result back to it.
 *
 * The dispatcher sits above the two plans so that they depend only on the SQL they share
 * (plan_sql.c), never on each other or on this file. */
#include "plan_build.h"

gg_pg_plan *gg_pg_plan_build(const gg_pg_target *target, gg_resolve_info *info, const gg_cursor_key *key,
                             gg_pg_statement *stmt, gg_fault *failure)
{
    gg_pg_plan_builder b;
    gg_pg_plan_builder_init(&b, target, info, key);
    gg_pg_plan *plan =
        target->plan == GG_PG_PLAN_JSON ? gg_pg_plan_json_build(&b, stmt) : gg_pg_plan_rows_build(&b, stmt);
    if (plan == NULL) {
        *failure = b.failure;
        if (failure->message == NULL)
            *failure = (gg_fault){.error_type = "InternalFailure", .message = "The request cannot be planned."};
        return NULL;
    }
    stmt->param_count = (int)b.params.count;
    stmt->values = b.params.values;
    return plan;
}

bool gg_pg_plan_finish(gg_pg_plan *plan, const PGresult *result, gg_val **value, gg_fault *failure)
{
    return plan->finish(plan, result, value, failure);
}
