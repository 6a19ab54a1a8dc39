/* plan_build.h: what each of the two plans (plan_rows.c, plan_json.c) gives plan.c, the dispatcher.
 *
 * plan.c builds the shared builder state (plan_sql.h), calls the build of the plan
 * gg_pg_target.plan names, and later that plan's finish through the gg_pg_plan it returned. The
 * plans call only the shared SQL helpers of plan_sql.h, never plan.c or each other. */
#ifndef GG_PG_PLAN_BUILD_H
#define GG_PG_PLAN_BUILD_H

#include "plan_sql.h"

/* Every plan starts with this: gg_pg_plan_finish calls finish. */
struct gg_pg_plan {
    bool (*finish)(gg_pg_plan *plan, const PGresult *result, gg_val **value, gg_fault *failure);
    const struct gg_pg_sync_page *sync; /* syncX: its page, completed by gg_pg_plan_finish (datastore_sync.h) */
    bool rows_as_text; /* only the executor reads the value: plan_rows may leave rows as ROW values (value.h) */
};

/* Each builds the statement of b's target into *stmt; NULL with b->failure. */
gg_pg_plan *gg_pg_plan_json_build(gg_pg_plan_builder *b, gg_pg_statement *stmt);
gg_pg_plan *gg_pg_plan_rows_build(gg_pg_plan_builder *b, gg_pg_statement *stmt);

#endif
