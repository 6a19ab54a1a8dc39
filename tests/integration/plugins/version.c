/* version.c: a test plugin for reload.test.mjs, built twice with different -DPLUGIN_VERSION="..."
 * into two files, so that a reload pointing the config at the other file shows the other code
 * answering. Its resolver "version" answers the version; "setting" answers its config's "setting"
 * string (a config change without a new file). Its shutdown prints "version plugin VERSION: shut
 * down" on stderr, so the test sees when graphgate releases a replaced generation. */
#include <graphgate/plugin.h>

#include <stdio.h>
#include <string.h>

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "v0"
#endif

static void version(gg_plugin_call *call)
{
    gg_plugin_return_string(call, PLUGIN_VERSION, strlen(PLUGIN_VERSION));
}

static void setting(gg_plugin_call *call)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(gg_plugin_config(gg_plugin_call_plugin(call)), "setting");
    if (cJSON_IsString(value))
        gg_plugin_return_string(call, value->valuestring, strlen(value->valuestring));
    else
        gg_plugin_return_null(call);
}

static void on_shutdown(gg_plugin *plugin)
{
    (void)plugin;
    fprintf(stderr, "version plugin %s: shut down\n", PLUGIN_VERSION);
}

static int setup(gg_plugin *plugin)
{
    gg_plugin_set_shutdown(plugin, on_shutdown);
    if (gg_plugin_add_resolver(plugin, "version", version, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "setting", setting, NULL) != 0)
        return -1;
    return 0;
}

GG_PLUGIN_MODULE(setup);
