#include "plan_sql.h"
gg_pg_plan *plan_rows_build(plan_builder *b, gg_pg_statement *stmt) { return plan_json_build(b, stmt); }
