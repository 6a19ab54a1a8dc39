/* conflict.c: an example DataStore conflict handler plugin, the in-process twin of the Lambda an
 * AppSync API calls when a model's conflict handler is LAMBDA (plugins/README.md, "Conflict
 * handlers").
 *
 * It decides by a hint in the rows themselves, so one handler shows every answer: the string field
 * `resolution` of the mutation's input (newItem), or, when the input has none (a delete's input is
 * only the key and _version), of the stored row (existingItem):
 *   "RESOLVE"          the client's fields over the stored row's (the client wins whatever its
 *                      version); when the model has a field `resolvedBy`, it is set to
 *                      "Mutation.updateX on <table> (<region>) by <username>: v<client's _version>
 *                      over v<stored _version>" ("nobody" for callers without a user), to show
 *                      what the handler is told
 *   "REJECT"           the write is refused: the client gets ConflictUnhandled and the stored row
 *   "REMOVE"           the row is deleted (a delete only; on an update it is a wrong answer)
 *   "LATER:<ACTION>"   the same answer for ACTION, given later: the action is read back through
 *                      graphgate's PostgreSQL pool (gg_plugin_conflict_sql), the asynchronous way
 *   "FAIL"             the handler fails, as a Lambda that throws (ConflictError)
 *   anything else      answered with an action AppSync does not know (a malformed answer: ConflictError)
 * No hint at all: RESOLVE.
 *
 * Configuration: none. */
#include <stdio.h>
#include <string.h>

#include <graphgate/plugin.h>

static const char *string_member(const cJSON *object, const char *name)
{
    const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsString(member) ? member->valuestring : NULL;
}

/* The hint: the input's resolution, else the stored row's, else "RESOLVE". */
static const char *hint_of(const gg_plugin_conflict *conflict)
{
    const char *hint = string_member(gg_plugin_conflict_new_item(conflict), "resolution");
    if (hint == NULL) hint = string_member(gg_plugin_conflict_existing_item(conflict), "resolution");
    return hint != NULL ? hint : "RESOLVE";
}

/* RESOLVE's item: the stored row with the client's fields over it. The key and the metadata
 * (_version ...) it carries are the ones the client sent: graphgate ignores them. */
static cJSON *resolved_item(const gg_plugin_conflict *conflict)
{
    cJSON *item = cJSON_Duplicate(gg_plugin_conflict_existing_item(conflict), true);
    if (item == NULL) item = cJSON_CreateObject();
    const cJSON *field;
    cJSON_ArrayForEach(field, gg_plugin_conflict_new_item(conflict))
    {
        cJSON_DeleteItemFromObjectCaseSensitive(item, field->string);
        cJSON_AddItemToObject(item, field->string, cJSON_Duplicate(field, true));
    }
    if (cJSON_HasObjectItem(item, "resolvedBy")) {
        const cJSON *event = gg_plugin_conflict_event(conflict);
        const cJSON *resolver = cJSON_GetObjectItemCaseSensitive(event, "resolver");
        const char *parent = string_member(resolver, "parentType"), *field = string_member(resolver, "field");
        const char *table = string_member(resolver, "tableName"), *region = string_member(resolver, "awsRegion");
        const char *user = string_member(gg_plugin_conflict_identity(conflict), "username");
        const cJSON *mine = cJSON_GetObjectItemCaseSensitive(gg_plugin_conflict_new_item(conflict), "_version");
        const cJSON *theirs = cJSON_GetObjectItemCaseSensitive(gg_plugin_conflict_existing_item(conflict), "_version");
        char by[512];
        snprintf(by, sizeof by, "%s.%s on %s (%s) by %s: v%d over v%d", parent ? parent : "?", field ? field : "?",
                 table ? table : "?", region ? region : "?", user ? user : "nobody",
                 cJSON_IsNumber(mine) ? mine->valueint : 0, cJSON_IsNumber(theirs) ? theirs->valueint : 0);
        cJSON_DeleteItemFromObjectCaseSensitive(item, "resolvedBy");
        cJSON_AddStringToObject(item, "resolvedBy", by);
    }
    return item;
}

/* Answers with action (RESOLVE carrying its item). */
static void answer(gg_plugin_conflict *conflict, const char *action)
{
    cJSON *response = cJSON_CreateObject();
    if (strcmp(action, "FAIL") == 0) {
        cJSON_Delete(response);
        gg_plugin_conflict_fail(conflict, "the resolution service is unreachable");
        return;
    }
    cJSON_AddStringToObject(response, "action", action);
    if (strcmp(action, "RESOLVE") == 0) cJSON_AddItemToObject(response, "item", resolved_item(conflict));
    gg_plugin_conflict_return(conflict, response);
    cJSON_Delete(response);
}

/* The asynchronous answer: the action came back from PostgreSQL. */
static void on_action(gg_plugin_conflict *conflict, const gg_plugin_value *rows, const char *error_type,
                      const char *message, void *user)
{
    (void)user;
    if (rows == NULL) {
        gg_plugin_conflict_fail(conflict, "reading the action back: %s (%s)", message, error_type);
        return;
    }
    const char *action = gg_plugin_value_string(gg_plugin_value_member(gg_plugin_value_item(rows, 0), "action"), NULL);
    answer(conflict, action != NULL ? action : "FAIL");
}

static void resolve(gg_plugin_conflict *conflict)
{
    const char *hint = hint_of(conflict);
    if (strncmp(hint, "LATER:", 6) == 0) {
        const char *action = hint + 6;
        gg_plugin_conflict_sql(conflict, "SELECT $1::text AS action", 1, &action, on_action, NULL);
        return;
    }
    if (strcmp(hint, "RESOLVE") == 0 || strcmp(hint, "REJECT") == 0 || strcmp(hint, "REMOVE") == 0 ||
        strcmp(hint, "FAIL") == 0) {
        answer(conflict, hint);
        return;
    }
    answer(conflict, "MERGE"); /* not an action AppSync knows */
}

static int setup(gg_plugin *plugin)
{
    return gg_plugin_add_conflict_handler(plugin, "resolve", resolve, NULL);
}

GG_PLUGIN_MODULE(setup);
