/* config_datastore.c: the datastore.* section of the configuration (issue 17): its values checked
 * with precise messages at start-up (conflict_detection, conflict_handler, the per-model entries of
 * datastore.models, the TTLs' order, LAMBDA's plugin), then turned into the transform's options.
 * The keys themselves are rows of config.c's table like every other key; model names are checked
 * against the schema by the transform. */
#include <cjson/cJSON.h>
#include <string.h>

#include "amplify/transform.h"
#include "base/arena.h"
#include "config.h"

/* datastore.conflict_detection's values: VERSION turns it on. */
static bool detection_value(const char *text, bool *version)
{
    if (strcmp(text, "NONE") == 0 || strcmp(text, "VERSION") == 0) {
        *version = text[0] == 'V';
        return true;
    }
    return false;
}

/* datastore.conflict_handler's values. */
static bool handler_value(const char *text, gg_amplify_conflict_handler *handler)
{
    static const struct {
        const char *name;
        gg_amplify_conflict_handler handler;
    } names[] = {{"AUTOMERGE", GG_AMPLIFY_CONFLICT_AUTOMERGE},
                 {"OPTIMISTIC_CONCURRENCY", GG_AMPLIFY_CONFLICT_OPTIMISTIC},
                 {"LAMBDA", GG_AMPLIFY_CONFLICT_LAMBDA}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0) {
            *handler = names[i].handler;
            return true;
        }
    return false;
}

#define DETECTION_VALUES "\"NONE\" or \"VERSION\""
#define HANDLER_VALUES "\"AUTOMERGE\", \"OPTIMISTIC_CONCURRENCY\" or \"LAMBDA\""

/* One entry of datastore.models: an object with conflict_detection and/or conflict_handler. */
static bool check_datastore_model(const cJSON *entry, bool *lambda, gg_fault *fault)
{
    if (!cJSON_IsObject(entry)) {
        gg_fault_set(fault, NULL, "key \"datastore.models\": model \"%s\": expected an object", entry->string);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, entry)
    {
        bool version;
        gg_amplify_conflict_handler handler;
        bool is_detection = strcmp(item->string, "conflict_detection") == 0,
             is_handler = strcmp(item->string, "conflict_handler") == 0;
        if (!is_detection && !is_handler) {
            gg_fault_set(fault, NULL,
                         "key \"datastore.models\": model \"%s\": unknown key \"%s\" (expected conflict_detection or "
                         "conflict_handler)",
                         entry->string, item->string);
            return false;
        }
        const char *text = cJSON_IsString(item) ? item->valuestring : NULL;
        if (is_detection && (text == NULL || !detection_value(text, &version))) {
            gg_fault_set(fault, NULL,
                         "key \"datastore.models\": model \"%s\": conflict_detection must be " DETECTION_VALUES,
                         entry->string);
            return false;
        }
        if (is_handler && (text == NULL || !handler_value(text, &handler))) {
            gg_fault_set(fault, NULL,
                         "key \"datastore.models\": model \"%s\": conflict_handler must be " HANDLER_VALUES,
                         entry->string);
            return false;
        }
        if (is_handler && handler == GG_AMPLIFY_CONFLICT_LAMBDA) *lambda = true;
    }
    return true;
}

bool gg_config_check_datastore(const gg_config *cfg, gg_fault *fault)
{
    bool version, lambda = false;
    gg_amplify_conflict_handler handler;
    if (!detection_value(cfg->ds_conflict_detection, &version)) {
        gg_fault_set(fault, NULL, "key \"datastore.conflict_detection\": must be " DETECTION_VALUES ", got \"%s\"",
                     cfg->ds_conflict_detection);
        return false;
    }
    if (!handler_value(cfg->ds_conflict_handler, &handler)) {
        gg_fault_set(fault, NULL, "key \"datastore.conflict_handler\": must be " HANDLER_VALUES ", got \"%s\"",
                     cfg->ds_conflict_handler);
        return false;
    }
    lambda = handler == GG_AMPLIFY_CONFLICT_LAMBDA;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, cfg->ds_models)
    {
        if (!check_datastore_model(entry, &lambda, fault)) return false;
    }
    if (cfg->ds_tombstone_ttl_min < cfg->ds_delta_ttl_min) {
        gg_fault_set(fault, NULL,
                     "key \"datastore.tombstone_ttl_min\": %g is shorter than datastore.delta_ttl_min (%g): a delta "
                     "sync would miss deletes whose tombstone is gone",
                     cfg->ds_tombstone_ttl_min, cfg->ds_delta_ttl_min);
        return false;
    }
    if (!lambda) return true;
    if (cfg->ds_lambda_plugin[0] == '\0' || cfg->ds_lambda_resolver[0] == '\0') {
        gg_fault_set(fault, NULL,
                     "key \"datastore.lambda.%s\": required when a conflict_handler is LAMBDA (the plugin and the "
                     "name of its conflict handler)",
                     cfg->ds_lambda_plugin[0] == '\0' ? "plugin" : "resolver");
        return false;
    }
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(cfg->plugins, cfg->ds_lambda_plugin))) {
        gg_fault_set(fault, NULL, "key \"datastore.lambda.plugin\": \"%s\" is not a plugin under \"plugins\"",
                     cfg->ds_lambda_plugin);
        return false;
    }
    return true;
}

void gg_config_datastore_options(const gg_config *cfg, gg_arena *arena, gg_amplify_options *options)
{
    detection_value(cfg->ds_conflict_detection, &options->sync);
    handler_value(cfg->ds_conflict_handler, &options->conflict_handler);
    unsigned count = (unsigned)cJSON_GetArraySize(cfg->ds_models);
    gg_amplify_model_sync *models = count ? gg_arena_array(arena, count, sizeof *models) : NULL;
    unsigned n = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, cfg->ds_models)
    {
        gg_amplify_model_sync *own = &models[n++];
        own->model = gg_arena_strdup(arena, entry->string);
        const cJSON *detection = cJSON_GetObjectItemCaseSensitive(entry, "conflict_detection");
        const cJSON *handler = cJSON_GetObjectItemCaseSensitive(entry, "conflict_handler");
        own->has_sync = cJSON_IsString(detection) && detection_value(detection->valuestring, &own->sync);
        own->has_handler = cJSON_IsString(handler) && handler_value(handler->valuestring, &own->conflict_handler);
    }
    options->models = models;
    options->model_count = n;
}
