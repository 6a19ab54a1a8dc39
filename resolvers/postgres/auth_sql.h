/* auth_sql.h: Amplify @auth rules (appsync-compat.md §3.4) as SQL predicates over a model's rows,
 * the one mechanism every statement of the planner uses to enforce them inside the database.
 *
 * For a model (or one field's own rules), an operation and the caller's identity, the answer is
 * ALLOW (every row), DENY (no row) or a predicate on the row (alias."column" ...) that is the OR
 * of the rules that apply to the caller; identity values are bound $N parameters, never written
 * into the SQL text. A rule applies when its provider is the caller's auth mode (apiKey: API_KEY,
 * oidc: OPENID_CONNECT, userPools: AMAZON_COGNITO_USER_POOLS, function: AWS_LAMBDA; iam and
 * identityPool never) and its operations contain the operation. public, private, custom and static
 * groups rules are decided here (ALLOW or not); owner and dynamic groups rules compare a column
 * with the caller's values. A model without @auth follows the sandbox's global rule (public,
 * apiKey) or is closed. With no identity (auth.default_mode NONE) every answer is ALLOW. */
#ifndef GG_PG_AUTH_SQL_H
#define GG_PG_AUTH_SQL_H

#include <stdbool.h>

#include "amplify/model.h"
#include "base/arena.h"
#include "base/buf.h"
#include "pg_model.h"
#include "sql_params.h"

struct gg_auth_identity;

typedef enum gg_pg_auth_answer {
    GG_PG_AUTH_ALLOW,     /* every row */
    GG_PG_AUTH_DENY,      /* no row */
    GG_PG_AUTH_PREDICATE, /* the rows for which the predicate appended to out is true */
} gg_pg_auth_answer;

/* The model's rules for op (one GG_AMPLIFY_OP_* bit) and identity (NULL: ALLOW). On PREDICATE,
 * appends "(...)" to out: a boolean expression over alias's columns, its values added to params.
 * It is NULL (not false) on rows whose compared column is NULL: fine in WHERE and CASE WHEN;
 * selected as a value, wrap it in COALESCE(..., false). */
gg_pg_auth_answer gg_pg_auth_model(const gg_pg_model *pm, unsigned op, const struct gg_auth_identity *identity,
                                   const char *alias, gg_sql_params *params, gg_buf *out);
/* The same for one field: its own rules when it has any (they replace the model's), else the
 * model's. */
gg_pg_auth_answer gg_pg_auth_field(const gg_pg_model *pm, const gg_amplify_field *field, unsigned op,
                                   const struct gg_auth_identity *identity, const char *alias, gg_sql_params *params,
                                   gg_buf *out);
/* The same for a given list of rules (count 0: DENY). */
gg_pg_auth_answer gg_pg_auth_rules(const gg_pg_model *pm, const gg_amplify_auth_rule *rules, unsigned count,
                                   unsigned op, const struct gg_auth_identity *identity, const char *alias,
                                   gg_sql_params *params, gg_buf *out);

/* The same decisions in C over a row already in memory (an object keyed by field names: a
 * subscription event, server/realtime): with row NULL, ALLOW, DENY (no row can be allowed) or
 * PREDICATE (it depends on the row's owner or groups fields); with a row, ALLOW or DENY for it.
 * A field the row lacks allows nothing. arena holds the caller's values. */
gg_pg_auth_answer gg_pg_auth_model_row(const gg_pg_model *pm, unsigned op, const struct gg_auth_identity *identity,
                                       const gg_val *row, gg_arena *arena);
gg_pg_auth_answer gg_pg_auth_field_row(const gg_pg_model *pm, const gg_amplify_field *field, unsigned op,
                                       const struct gg_auth_identity *identity, const gg_val *row, gg_arena *arena);
gg_pg_auth_answer gg_pg_auth_rules_row(const gg_pg_model *pm, const gg_amplify_auth_rule *rules, unsigned count,
                                       unsigned op, const struct gg_auth_identity *identity, const gg_val *row,
                                       gg_arena *arena);
/* The row as identity may see it for op: each stored field with rules of its own that identity
 * may not read is null and marked denied (GG_PG_DENIED_PREFIX, plan.h: the field resolves to null
 * with Unauthorized, as in a query's answer); so is each relation field unless identity may read
 * every row of every model it reaches (its rows were read with another identity's rules). A field
 * it may read loses a mark left by whoever made the row (its value is then what the row holds, or
 * null). row itself when nothing changes, else a copy in arena (the row's members are shared). */
const gg_val *gg_pg_auth_fields_row(const gg_pg_models *models, const gg_pg_model *pm, unsigned op,
                                    const struct gg_auth_identity *identity, const gg_val *row, gg_arena *arena);

/* True when the field has rules of its own (they replace the model's for it). */
bool gg_pg_auth_field_has_rules(const gg_amplify_field *field);
/* True when rule applies to identity for op: the provider is the identity's mode and op is one of
 * its operations. */
bool gg_pg_auth_rule_applies(const gg_amplify_auth_rule *rule, unsigned op, const struct gg_auth_identity *identity);
/* True when rule (that applies to identity) allows it whatever the row: public, private, custom, a
 * static groups rule naming one of the caller's groups. */
bool gg_pg_auth_allows_every_row(gg_arena *arena, const gg_amplify_auth_rule *rule,
                                 const struct gg_auth_identity *identity);
/* The caller's values for an owner rule's identityClaim (arena copies), in *values; returns their
 * number. The first is the value create writes ("<sub>::<username>" for sub::username), then sub
 * and username, which older rows may hold. */
unsigned gg_pg_auth_owner_values(gg_arena *arena, const gg_amplify_auth_rule *rule,
                                 const struct gg_auth_identity *identity, const char ***values);
/* The caller's groups for a groups rule's groupClaim (a string, a JSON array in a string, or an
 * array), in *groups; returns their number. */
unsigned gg_pg_auth_caller_groups(gg_arena *arena, const gg_amplify_auth_rule *rule,
                                  const struct gg_auth_identity *identity, const char ***groups);

#endif
