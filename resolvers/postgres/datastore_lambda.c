/* datastore_lambda.c: the LAMBDA conflict handler hook (datastore_conflict.h): a version conflict
 * of a model whose conflict handler is LAMBDA goes to the plugin conflict handler that
 * datastore.lambda names (plugins/conflict.c), and its answer comes back as RESOLVE, REJECT, REMOVE
 * or a failure (appsync-compat.md §4.5).
 *
 * The plugin is reached through the binding (gg_pg_target.lambda, set by the gateway): this
 * directory does not link against plugins/. The handler is told what AppSync tells a conflict
 * Lambda, as one cJSON event: newItem (the input) and existingItem (the stored row), both written
 * out as the client reads them (serialised by the model type's own scalars; relations and the
 * plan's internal members left out), the arguments, resolver {tableName, awsRegion, parentType, field} and the
 * identity. awsRegion is "local": graphgate runs in no AWS region. The answer is checked here for its shape (an object,
 * a known action, RESOLVE's item an object whose fields the mutation's input type takes, coerced by that type as the
 * client's own input is); whether the action fits the operation (REMOVE on an update, RESOLVE on a delete) is
 * datastore_conflict.c's to judge. A malformed answer fails the conflict: ConflictError, and the reason is logged. */
#include <string.h>

#include "auth/auth.h"
#include "base/log.h"
#include "datastore_conflict.h"
#include "execute/values.h"
#include "plan.h"

/* Members of a stored row the handler never sees, and item members it may not set: the metadata
 * is graphgate's (the write sets it), __typename is the response's. */
static bool is_managed(const char *name)
{
    static const char *const managed[] = {"_version", "_deleted", "_lastChangedAt", "_ttl", "__typename"};
    for (size_t i = 0; i < sizeof managed / sizeof *managed; i++)
        if (strcmp(name, managed[i]) == 0) return true;
    return false;
}

/* An object as the client reads it, field by field (gg_pg_output_object_fn): members the type does
 * not describe ("@relation" and "!denied", the plan's own) are left out. */
static gg_val *output_object(void *user, gg_arena *arena, const gg_type *type, const gg_val *v)
{
    gg_val *object = gg_val_object(arena, v->count);
    for (unsigned i = 0; i < v->count; i++) {
        const gg_field *field = gg_type_find_field(type, v->members[i].key);
        if (field != NULL)
            gg_val_object_set(arena, object, field->name,
                              gg_pg_output_value(arena, field->type, v->members[i].value, output_object, user));
    }
    return object;
}

/* AppSync's identity of the caller, or null for API keys and auth NONE. Cognito and OIDC callers:
 * sub, issuer, username, groups, claims, sourceIp (a list, as AppSync has it); Lambda-authorized
 * ones: resolverContext. */
static cJSON *identity_json(const gg_auth_identity *identity, const char *source_ip)
{
    if (identity == NULL || identity->mode == GG_AUTH_NONE || identity->mode == GG_AUTH_API_KEY)
        return cJSON_CreateNull();
    cJSON *json = cJSON_CreateObject();
    const cJSON *claims = gg_auth_identity_claims(identity);
    if (identity->mode == GG_AUTH_AWS_LAMBDA) {
        cJSON_AddItemToObject(json, "resolverContext",
                              claims != NULL ? cJSON_Duplicate(claims, true) : cJSON_CreateObject());
        return json;
    }
    if (identity->sub != NULL) cJSON_AddStringToObject(json, "sub", identity->sub);
    if (identity->issuer != NULL) cJSON_AddStringToObject(json, "issuer", identity->issuer);
    if (identity->username != NULL) cJSON_AddStringToObject(json, "username", identity->username);
    cJSON *groups = cJSON_AddArrayToObject(json, "groups");
    for (size_t i = 0; i < identity->group_count; i++)
        cJSON_AddItemToArray(groups, cJSON_CreateString(identity->groups[i]));
    cJSON_AddItemToObject(json, "claims", claims != NULL ? cJSON_Duplicate(claims, true) : cJSON_CreateObject());
    cJSON *ip = cJSON_AddArrayToObject(json, "sourceIp");
    if (source_ip != NULL) cJSON_AddItemToArray(ip, cJSON_CreateString(source_ip));
    return json;
}

/* The event AppSync hands a conflict Lambda. */
static cJSON *conflict_event(const gg_pg_conflict *conflict, const gg_pg_request *request)
{
    const gg_resolve_info *info = conflict->info;
    cJSON *event = cJSON_CreateObject();
    if (event == NULL) abort();
    /* Both items as the client reads them (an AWSJSON value as its text ...), so that an item made of
     * them is a valid input again. */
    const gg_type *model_type = info->field->type;
    cJSON_AddItemToObject(
        event, "newItem",
        gg_val_to_cjson(gg_pg_output_value(conflict->arena, model_type, conflict->new_item, output_object, NULL)));
    cJSON_AddItemToObject(
        event, "existingItem",
        gg_val_to_cjson(gg_pg_output_value(conflict->arena, model_type, conflict->existing_item, output_object, NULL)));
    cJSON_AddItemToObject(event, "arguments", gg_val_to_cjson(conflict->arguments));
    cJSON *resolver = cJSON_AddObjectToObject(event, "resolver");
    cJSON_AddStringToObject(resolver, "tableName", conflict->table_name);
    cJSON_AddStringToObject(resolver, "awsRegion", "local");
    cJSON_AddStringToObject(resolver, "parentType", conflict->parent_type);
    cJSON_AddStringToObject(resolver, "field", conflict->field);
    cJSON_AddItemToObject(event, "identity",
                          identity_json(conflict->identity, request != NULL ? request->source_ip : NULL));
    return event;
}

/* A malformed answer: logged with the handler's words, ConflictError for the client. */
static void malformed(gg_pg_conflict *conflict, const char *why)
{
    gg_log_warn("datastore: %s.%s: the LAMBDA conflict handler's answer is malformed: %s", conflict->parent_type,
                conflict->field, why);
    conflict->done(conflict, GG_PG_CONFLICT_FAILED, NULL,
                   gg_arena_printf(conflict->arena, "its answer is malformed: %s", why));
}

/* RESOLVE's item as the write's input: the members the mutation's input type has, coerced by it;
 * the key filled from the client's input (datastore_conflict.c keeps the client's key anyway), the
 * metadata and the model's fields the input does not take (createdAt, relations ...) left out.
 * NULL with *why when a member is no field of the model or a value does not fit. */
static gg_val *resolved_input(gg_pg_conflict *conflict, const cJSON *item, const char **why)
{
    gg_arena *arena = conflict->arena;
    const gg_resolve_info *info = conflict->info;
    const gg_input_value *argument = gg_field_find_arg(info->field, "input");
    const gg_type *input_type = argument != NULL ? gg_type_named(argument->type) : NULL;
    const gg_type *model_type = gg_type_named(info->field->type);
    if (input_type == NULL || input_type->kind != GG_KIND_INPUT_OBJECT) {
        *why = "the mutation has no input object";
        return NULL;
    }
    gg_val *given = gg_val_from_cjson(arena, item);
    gg_val *input = gg_val_object(arena, given->count);
    for (unsigned i = 0; i < given->count; i++) {
        const char *name = given->members[i].key;
        if (is_managed(name)) continue;
        if (gg_type_find_input_field(input_type, name) != NULL) {
            gg_val_object_set(arena, input, name, given->members[i].value);
        } else if (gg_type_find_field(model_type, name) == NULL) {
            *why = gg_arena_printf(arena, "the item's field \"%s\" is not a field of %s", name, model_type->name);
            return NULL;
        }
    }
    const gg_pg_target *target = info->field->resolve_data;
    for (unsigned k = 0; k < target->model->key_count; k++) {
        const char *name = target->model->key[k]->field->name;
        const gg_val *value = gg_val_object_get(conflict->new_item, name);
        if (value != NULL) gg_val_object_set(arena, input, name, (gg_val *)value);
    }
    gg_error_list errors;
    gg_error_list_init(&errors, arena);
    gg_val *coerced = gg_coerce_input_value(arena, input, argument->type, &errors);
    if (coerced == NULL) {
        *why = gg_arena_printf(arena, "the item does not fit %s: %s", input_type->name,
                               errors.head != NULL ? errors.head->message : "invalid");
        return NULL;
    }
    return coerced;
}

static void on_answer(void *user, const cJSON *response, const char *failure)
{
    gg_pg_conflict *conflict = user;
    if (response == NULL) {
        conflict->done(conflict, GG_PG_CONFLICT_FAILED, NULL,
                       gg_arena_strdup(conflict->arena, failure != NULL ? failure : "no reason given"));
        return;
    }
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(response, "action");
    if (!cJSON_IsObject(response) || !cJSON_IsString(action)) {
        malformed(conflict, "it is not an object with a string \"action\" (RESOLVE, REJECT or REMOVE)");
        return;
    }
    if (strcmp(action->valuestring, "REJECT") == 0) {
        conflict->done(conflict, GG_PG_CONFLICT_REJECT, NULL, NULL);
    } else if (strcmp(action->valuestring, "REMOVE") == 0) {
        conflict->done(conflict, GG_PG_CONFLICT_REMOVE, NULL, NULL);
    } else if (strcmp(action->valuestring, "RESOLVE") == 0) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(response, "item");
        const char *why = NULL;
        gg_val *input = NULL;
        if (conflict->op == GG_PG_OP_DELETE) /* datastore_conflict.c refuses it, whatever the item */
            conflict->done(conflict, GG_PG_CONFLICT_RESOLVE, NULL, NULL);
        else if (!cJSON_IsObject(item))
            malformed(conflict, "RESOLVE without an object \"item\"");
        else if ((input = resolved_input(conflict, item, &why)) == NULL)
            malformed(conflict, why);
        else
            conflict->done(conflict, GG_PG_CONFLICT_RESOLVE, input, NULL);
    } else {
        malformed(conflict, gg_arena_printf(conflict->arena, "unknown action \"%s\" (RESOLVE, REJECT or REMOVE)",
                                            action->valuestring));
    }
}

void gg_pg_conflict_lambda(gg_pg_conflict *conflict)
{
    const gg_pg_target *target = conflict->info->field->resolve_data;
    if (target == NULL || target->lambda.ask == NULL) { /* the gateway refuses to start without one */
        conflict->done(conflict, GG_PG_CONFLICT_FAILED, NULL, "no LAMBDA conflict handler is wired");
        return;
    }
    const gg_pg_request *request = conflict->info->context;
    gg_pg_lambda_question question = {
        .operation = conflict->op == GG_PG_OP_DELETE   ? GG_PG_LAMBDA_DELETE
                     : conflict->op == GG_PG_OP_CREATE ? GG_PG_LAMBDA_CREATE
                                                       : GG_PG_LAMBDA_UPDATE,
        .event = conflict_event(conflict, request),
        .request = request,
    };
    target->lambda.ask(target->lambda.handler, &question, on_answer, conflict);
}
