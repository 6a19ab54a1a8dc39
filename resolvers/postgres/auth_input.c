/* auth_input.c: @auth rules on the input of a @model mutation; see auth_input.h.
 *
 * A rule takes part when its provider is the caller's auth mode and its operations include the
 * mutation's. Rules that do not look at the row (public, private, static groups) allow or refuse
 * at once. Owner and dynamic group rules look at a row: on create, that row is the input, so they
 * are decided here in C (Amplify's create resolver does the same with the arguments); on update
 * and delete, the stored row decides, in SQL (the row rule the writer puts in its WHERE clause),
 * and only it: the new values of owner and group fields are not checked, so an owner (or an
 * editor of a multi-owner field, or a member of a dynamic group) may hand the row to someone
 * else, as Amplify's update resolver allows (it compares the caller with the stored row's fields
 * alone; field-level rules on the owner field are how a schema forbids that).
 *
 * Create (Amplify's order): a rule that allows without a row ends the check. Otherwise each owner
 * field the input leaves out is filled with the caller's claim ("<sub>::<username>" for the
 * userPools default claim; a [String] field gets [claim]); an owner field the input gives must
 * hold the caller (a list: contain it); a dynamic group field the input gives must share a group
 * with the caller. The mutation passes when some rule holds and no given owner field names
 * someone else (a group rule that holds passes even then: group members may create for others).
 *
 * Field-level rules replace the model's rules for their field: an input that sets (even to null)
 * a field the caller may not write refuses the whole mutation, as AppSync does; when the input
 * alone decides it, the error names the fields as AppSync's does ("Unauthorized on [pinned]").
 * An update that sets a field to null needs, besides update, a rule that may delete that field
 * (AppSync's nullAllowedFields): an owner rule with operations [create, read, update] may change
 * its fields but not clear them. */
#include "auth_input.h"

#include <string.h>

#include "auth/auth.h"

static bool refuse(gg_pg_plan_builder *b)
{
    return gg_pg_plan_fail_unauthorized(b, b->info->field->name, b->info->parent_type->name);
}

/* ---- a row rule decided on the input ---- */

static bool given(const gg_val *v)
{
    return v != NULL && v->kind != GG_VAL_UNDEFINED;
}

/* Does v (a string, or a list of strings) hold one of texts? */
static bool holds_one_of(const gg_val *v, const char *const *texts, unsigned count)
{
    unsigned n = v == NULL ? 0 : v->kind == GG_VAL_LIST ? v->count : 1;
    for (unsigned i = 0; i < n; i++) {
        const gg_val *item = v->kind == GG_VAL_LIST ? v->items[i] : v;
        for (unsigned k = 0; item->kind == GG_VAL_STRING && k < count; k++)
            if (strcmp(item->s, texts[k]) == 0) return true;
    }
    return false;
}

/* Does the owner field value v (a string, or a list for multi-owner fields) hold the caller? */
static bool holds_caller(gg_pg_plan_builder *b, const gg_auth_identity *identity, const gg_amplify_auth_rule *rule,
                         const gg_val *v)
{
    const char **mine = NULL;
    unsigned count = gg_pg_auth_owner_values(b->arena, rule, identity, &mine);
    return holds_one_of(v, mine, count);
}

/* Does a group field value (a string or a list of strings) share a group with the caller? */
static bool shares_group(gg_pg_plan_builder *b, const gg_auth_identity *identity, const gg_amplify_auth_rule *rule,
                         const gg_val *v)
{
    const char **groups = NULL;
    unsigned count = gg_pg_auth_caller_groups(b->arena, rule, identity, &groups);
    return holds_one_of(v, groups, count);
}

/* The value the caller's identity gives the owner field of rule (a list for a [String] field), or
 * NULL when the token lacks the claim. */
static gg_val *filled_owner(gg_pg_plan_builder *b, const gg_auth_identity *identity, const gg_amplify_auth_rule *rule)
{
    const char **mine = NULL;
    if (gg_pg_auth_owner_values(b->arena, rule, identity, &mine) == 0) return NULL;
    gg_val *v = gg_val_string(b->arena, mine[0], strlen(mine[0]));
    const gg_amplify_field *f = gg_pg_model_field(b->target->model, rule->owner_field);
    if (f == NULL || !f->list) return v;
    gg_val *list = gg_val_list(b->arena, 1);
    gg_val_list_push(b->arena, list, v);
    return list;
}

/* The input with the members the check sets (copied on the first change: the arguments stay as
 * the client gave them). */
typedef struct input_copy {
    const gg_val *input;
    bool copied;
} input_copy;

static void input_set(gg_pg_plan_builder *b, input_copy *in, const char *key, gg_val *v)
{
    if (!in->copied) {
        gg_val *copy = gg_val_object(b->arena, in->input->count + 2);
        for (unsigned i = 0; i < in->input->count; i++)
            gg_val_object_set(b->arena, copy, in->input->members[i].key, in->input->members[i].value);
        in->input = copy;
        in->copied = true;
    }
    gg_val_object_set(b->arena, (gg_val *)in->input, key, v);
}

/* Create: do the owner and dynamic group rules among rules hold on the input (the row to be)?
 * With fill, owner fields the input leaves out are filled first. */
static bool input_meets_row_rules(gg_pg_plan_builder *b, const gg_auth_identity *identity,
                                  const gg_amplify_auth_rule *rules, unsigned count, input_copy *in, bool fill)
{
    bool owner_holds = false, someone_else = false, group_holds = false;
    for (unsigned i = 0; i < count; i++) {
        const gg_amplify_auth_rule *rule = &rules[i];
        if (!gg_pg_auth_rule_applies(rule, GG_AMPLIFY_OP_CREATE, identity)) continue;
        if (rule->allow == GG_AMPLIFY_ALLOW_GROUPS && rule->groups_field != NULL) {
            group_holds =
                group_holds || shares_group(b, identity, rule, gg_val_object_get(in->input, rule->groups_field));
            continue;
        }
        if (rule->allow != GG_AMPLIFY_ALLOW_OWNER) continue;
        const gg_val *v = gg_val_object_get(in->input, rule->owner_field);
        gg_val *mine = fill && !given(v) ? filled_owner(b, identity, rule) : NULL;
        if (mine != NULL) {
            input_set(b, in, rule->owner_field, mine);
            owner_holds = true;
        } else if (holds_caller(b, identity, rule, v)) {
            owner_holds = true;
        } else if (given(v) && !gg_val_is_null(v)) {
            someone_else = true;
        }
    }
    return group_holds || (owner_holds && !someone_else);
}

/* ---- the check ---- */

static unsigned operation_of(gg_pg_op op)
{
    return op == GG_PG_OP_CREATE   ? GG_AMPLIFY_OP_CREATE
           : op == GG_PG_OP_UPDATE ? GG_AMPLIFY_OP_UPDATE
                                   : GG_AMPLIFY_OP_DELETE;
}

/* The answer of rules (NULL: the model's) for op. On PREDICATE with row_rule, the predicate over
 * talias is ANDed into *row_rule with its parameters in b; without, it is discarded. */
static gg_pg_auth_answer answer_of(gg_pg_plan_builder *b, const gg_auth_identity *identity,
                                   const gg_amplify_field *field, unsigned op, const char *talias, gg_buf *row_rule)
{
    gg_sql_params scratch;
    gg_sql_params_init(&scratch, b->arena);
    gg_buf out;
    gg_buf_init(&out);
    const gg_pg_model *pm = b->target->model;
    gg_sql_params *params = row_rule ? &b->params : &scratch;
    gg_pg_auth_answer answer = field ? gg_pg_auth_field(pm, field, op, identity, talias, params, &out)
                                     : gg_pg_auth_model(pm, op, identity, talias, params, &out);
    if (answer == GG_PG_AUTH_PREDICATE && row_rule != NULL)
        gg_buf_printf(row_rule, "%s%s", row_rule->len ? " AND " : "", out.data);
    gg_buf_free(&out);
    return answer;
}

bool gg_pg_auth_check_write(gg_pg_plan_builder *b, const struct gg_auth_identity *identity, const char *talias,
                            const gg_val **input, const char **row_rule)
{
    const gg_amplify_model *m = b->target->model->model;
    unsigned op = operation_of(b->target->op);
    bool create = op == GG_AMPLIFY_OP_CREATE;
    input_copy in = {*input, false};
    gg_buf rule;
    gg_buf_init(&rule);
    *row_rule = NULL;
    gg_pg_auth_answer answer = answer_of(b, identity, NULL, op, talias, create ? NULL : &rule);
    bool ok = answer != GG_PG_AUTH_DENY;
    if (ok && answer == GG_PG_AUTH_PREDICATE && create)
        ok = input_meets_row_rules(b, identity, m->auth_rules, m->auth_rule_count, &in, true);
    /* field-level rules: every field the client's input sets (null included) must be writable; an
     * owner field filled in above is not the client's (AppSync takes the input's keys first). The
     * fields the input alone refuses are named as AppSync's auth template names them:
     * "Unauthorized on [a, b]" */
    const gg_val *sent = *input;
    gg_buf denied;
    gg_buf_init(&denied);
    for (unsigned i = 0; ok && op != GG_AMPLIFY_OP_DELETE && i < sent->count; i++) {
        const gg_amplify_field *f = gg_pg_model_field(b->target->model, sent->members[i].key);
        const gg_val *value = sent->members[i].value;
        /* an update that sets a field to null also needs a rule that may delete it (the template's
         * nullAllowedFields: the fields a rule holding on the row may delete) */
        bool clears = op == GG_AMPLIFY_OP_UPDATE && given(value) && gg_val_is_null(value);
        if (f == NULL || !given(value) || (!gg_pg_auth_field_has_rules(f) && !clears)) continue;
        bool writable = true;
        if (gg_pg_auth_field_has_rules(f)) {
            answer = answer_of(b, identity, f, op, talias, create ? NULL : &rule);
            writable = answer != GG_PG_AUTH_DENY;
            if (writable && answer == GG_PG_AUTH_PREDICATE && create)
                writable = input_meets_row_rules(b, identity, f->auth_rules, f->auth_rule_count, &in, false);
        }
        if (writable && clears)
            writable = answer_of(b, identity, f, GG_AMPLIFY_OP_DELETE, talias, &rule) != GG_PG_AUTH_DENY;
        if (!writable) gg_buf_printf(&denied, "%s%s", denied.len ? ", " : "", f->name);
    }
    if (ok && rule.len) *row_rule = gg_arena_strndup(b->arena, rule.data, rule.len);
    gg_buf_free(&rule);
    const char *fields = gg_pg_plan_buffer_to_arena(b, &denied);
    if (!ok) return refuse(b);
    if (fields[0] != '\0')
        return gg_pg_plan_fail(b, "Unauthorized", gg_arena_printf(b->arena, "Unauthorized on [%s]", fields));
    *input = in.input;
    return true;
}

bool gg_pg_auth_refused(const PGresult *result)
{
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : NULL;
    const char *message = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    return state && message && strcmp(state, "22P02") == 0 && strstr(message, GG_PG_AUTH_REFUSAL_MARK) != NULL;
}
