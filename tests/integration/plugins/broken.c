/* broken.c: a test plugin that misbehaves on purpose (tests/integration/plugins.test.mjs).
 *
 * Built with -DBROKEN_ABI_MAJOR=N it claims plugin ABI N.0 (graphgate must refuse it before
 * running anything of it). Its config chooses the failure: "fail_setup": true makes setup fail with
 * a message, "fail_thread_start": true makes every thread start fail. Its resolvers answer wrongly:
 * badJson completes with text that is not JSON, wrongType answers a string for an Int field, and
 * fine answers "fine". */
#include <graphgate/plugin.h>

#include <stdbool.h>

#ifdef BROKEN_ABI_MAJOR
const gg_plugin_module gg_plugin_module_v __attribute__((visibility("default"))) = {BROKEN_ABI_MAJOR, 0, 0};
#else

static void bad_json(gg_plugin_call *call)
{
    gg_plugin_return_json(call, "{\"unterminated\": ", (size_t)-1);
}

static void wrong_type(gg_plugin_call *call)
{
    gg_plugin_return_string(call, "not a number", (size_t)-1);
}

static void fine(gg_plugin_call *call)
{
    gg_plugin_return_string(call, "fine", (size_t)-1);
}

static int thread_start(gg_plugin *plugin, void **thread_data)
{
    gg_plugin_set_error(plugin, "this thread cannot start (as configured)");
    return -1;
}

static int setup(gg_plugin *plugin)
{
    const cJSON *config = gg_plugin_config(plugin);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(config, "fail_setup"))) {
        gg_plugin_set_error(plugin, "the database this plugin needs is unreachable (as configured)");
        return 1;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(config, "fail_thread_start")))
        gg_plugin_set_thread_hooks(plugin, thread_start, NULL);
    gg_plugin_add_resolver(plugin, "badJson", bad_json, NULL);
    gg_plugin_add_resolver(plugin, "wrongType", wrong_type, NULL);
    gg_plugin_add_resolver(plugin, "fine", fine, NULL);
    return 0;
}

GG_PLUGIN_MODULE(setup);
#endif
