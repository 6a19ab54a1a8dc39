/* bad_conflict.c: a test conflict handler that answers malformed on purpose
 * (tests/integration/plugin_conflict.test.mjs). The `resolution` of the input chooses the answer:
 *   "NOT_OBJECT"     a list instead of an object
 *   "NO_ACTION"      an object without "action"
 *   "NO_ITEM"        RESOLVE without an item
 *   "UNKNOWN_FIELD"  RESOLVE with an item field the model lacks
 *   "WRONG_TYPE"     RESOLVE with a title that is a number
 *   "MANAGED"        RESOLVE with another key, _version, _deleted and createdAt (all ignored) and a
 *                    new title: the only change
 *   "EARLY"          sends a slow statement, then answers REJECT before its result: the result must be
 *                    dropped (its callback aborts) and the conflict freed when it comes */
#include <graphgate/plugin.h>

#include <stdlib.h>
#include <string.h>

static void never_called(gg_plugin_conflict *conflict, const gg_plugin_value *rows, const char *error_type,
                         const char *message, void *user)
{
    (void)conflict, (void)rows, (void)error_type, (void)message, (void)user;
    abort(); /* the conflict was answered: its statements' results are dropped */
}

static void answer(gg_plugin_conflict *conflict)
{
    const cJSON *hint = cJSON_GetObjectItemCaseSensitive(gg_plugin_conflict_new_item(conflict), "resolution");
    const char *h = cJSON_IsString(hint) ? hint->valuestring : "";
    if (strcmp(h, "EARLY") == 0) {
        gg_plugin_conflict_sql(conflict, "SELECT pg_sleep(0.3) AS slept", 0, NULL, never_called, NULL);
        cJSON *reject = cJSON_CreateObject();
        cJSON_AddStringToObject(reject, "action", "REJECT");
        gg_plugin_conflict_return(conflict, reject);
        cJSON_Delete(reject);
        return;
    }
    cJSON *response = strcmp(h, "NOT_OBJECT") == 0 ? cJSON_CreateArray() : cJSON_CreateObject();
    if (strcmp(h, "NOT_OBJECT") != 0 && strcmp(h, "NO_ACTION") != 0)
        cJSON_AddStringToObject(response, "action", "RESOLVE");
    if (strcmp(h, "UNKNOWN_FIELD") == 0) {
        cJSON *item = cJSON_AddObjectToObject(response, "item");
        cJSON_AddStringToObject(item, "title", "x");
        cJSON_AddStringToObject(item, "colour", "red");
    } else if (strcmp(h, "WRONG_TYPE") == 0) {
        cJSON_AddNumberToObject(cJSON_AddObjectToObject(response, "item"), "title", 42);
    } else if (strcmp(h, "MANAGED") == 0) {
        cJSON *item = cJSON_AddObjectToObject(response, "item");
        cJSON_AddStringToObject(item, "id", "another-id");
        cJSON_AddNumberToObject(item, "_version", 99);
        cJSON_AddBoolToObject(item, "_deleted", 1);
        cJSON_AddNumberToObject(item, "_lastChangedAt", 1);
        cJSON_AddStringToObject(item, "createdAt", "2001-01-01T00:00:00.000Z");
        cJSON_AddStringToObject(item, "__typename", "Other");
        cJSON_AddStringToObject(item, "title", "managed");
    }
    gg_plugin_conflict_return(conflict, response);
    cJSON_Delete(response);
}

static int setup(gg_plugin *plugin)
{
    return gg_plugin_add_conflict_handler(plugin, "answer", answer, NULL);
}

GG_PLUGIN_MODULE(setup);
