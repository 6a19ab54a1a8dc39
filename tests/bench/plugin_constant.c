/* plugin_constant.c: the trivial plugin of the plugin_fields benchmark: its resolver "constant"
 * answers the same short string, so what is measured is the cost of the plugin call itself;
 * "constantBlocking" does the same as a blocking resolver (on the worker pool), so what is measured
 * is the pool's round trip. */
#include <graphgate/plugin.h>

static void resolve_constant(gg_plugin_call *call)
{
    gg_plugin_return_string(call, "constant", 8);
}

static int setup(gg_plugin *plugin)
{
    if (gg_plugin_add_resolver(plugin, "constant", resolve_constant, NULL) != 0) return -1;
    return gg_plugin_add_blocking_resolver(plugin, "constantBlocking", resolve_constant, NULL);
}

GG_PLUGIN_MODULE(setup);
