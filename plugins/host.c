/* host.c: loading plugins and binding their resolvers to fields; see host.h.
 *
 * Loading one plugin: dlopen (RTLD_NOW: a plugin that calls a function this graphgate lacks fails
 * here, with the loader's message, not at its first request; RTLD_LOCAL: plugins do not see each
 * other's symbols), dlsym of GG_PLUGIN_MODULE_SYMBOL, the ABI check (same major, minor not newer)
 * BEFORE anything of the plugin runs, then its setup. graphgate exports the functions of plugin.h
 * from its executable (plugins/exports.list), so a plugin links against nothing of graphgate.
 *
 * Binding: a field gets the resolver gg_plugins_resolve_field (api.c) with its gg_plugin_resolver as
 * resolve_data. The @function name is "plugin.resolver", or "plugin" alone for the plugin's resolver
 * named like the field; Amplify's "-${env}" suffix (and any other "${env}") is dropped first, as
 * users copy names from Amplify projects, where they name Lambda functions per environment. */
#include "host.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "plugin_internal.h"

struct gg_plugins {
    gg_plugin **plugins;
    unsigned count;
};

static char *copy_text(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) abort();
    return p;
}

/* ---- loading ---- */

/* "$comment" and "_comment" members document a configuration object, as everywhere in the file. */
static bool is_comment(const cJSON *member)
{
    return member->string[0] == '$' || member->string[0] == '_';
}

static void plugin_free(gg_plugin *p)
{
    if (p == NULL) return;
    if (p->set_up && p->shutdown != NULL) p->shutdown(p);
    if (p->has_thread_key) pthread_key_delete(p->thread_key);
    for (unsigned i = 0; i < p->resolver_count; i++) {
        free(p->resolvers[i]->name);
        free(p->resolvers[i]);
    }
    free(p->resolvers);
    gg_plugins_free_authorizers(p);
    gg_plugins_free_conflict_handlers(p);
    /* Under AddressSanitizer a plugin stays mapped, so that leak reports can still name its code. */
#if !defined(__SANITIZE_ADDRESS__)
    if (p->handle != NULL) dlclose(p->handle);
#endif
    cJSON_Delete(p->config);
    free(p->name);
    free(p->path);
    free(p);
}

/* The entry's "path" and "config"; false with the reason. */
static bool read_entry(const cJSON *entry, const char **path, const cJSON **config, gg_fault *fault)
{
    if (!cJSON_IsObject(entry))
        return gg_fault_set(fault, NULL,
                            "key \"plugins.%s\": expected an object {\"path\": \"x.so\", \"config\": {...}}",
                            entry->string);
    const cJSON *member;
    cJSON_ArrayForEach(member, entry)
    {
        if (!is_comment(member) && strcmp(member->string, "path") != 0 && strcmp(member->string, "config") != 0)
            return gg_fault_set(fault, NULL, "key \"plugins.%s.%s\": unknown key (path, config)", entry->string,
                                member->string);
    }
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(entry, "path");
    if (!cJSON_IsString(p) || p->valuestring[0] == '\0')
        return gg_fault_set(fault, NULL, "key \"plugins.%s.path\": expected the path of the plugin's .so file",
                            entry->string);
    *path = p->valuestring;
    *config = cJSON_GetObjectItemCaseSensitive(entry, "config");
    if (*config != NULL && !cJSON_IsObject(*config))
        return gg_fault_set(fault, NULL, "key \"plugins.%s.config\": expected an object", entry->string);
    return true;
}

static bool valid_plugin_name(const char *name)
{
    if (name[0] == '\0' || strlen(name) > 128) return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
              *c == '-'))
            return false;
    return true;
}

static gg_plugin *plugin_load(const cJSON *entry, gg_fault *fault)
{
    const char *path = NULL;
    const cJSON *config = NULL;
    if (!valid_plugin_name(entry->string)) {
        gg_fault_set(fault, NULL, "key \"plugins.%s\": a plugin name is letters, digits, _ and - (at most 128)",
                     entry->string);
        return NULL;
    }
    if (!read_entry(entry, &path, &config, fault)) return NULL;
    gg_plugin *p = calloc(1, sizeof *p);
    if (p == NULL) abort();
    p->name = copy_text(entry->string);
    p->path = copy_text(path);
    p->config = config != NULL ? cJSON_Duplicate(config, true) : cJSON_CreateObject();
    if (p->config == NULL) abort();
    p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (p->handle == NULL) {
        gg_fault_set(fault, NULL, "plugin \"%s\": cannot load %s: %s", p->name, path, dlerror());
        goto fail;
    }
    const gg_plugin_module *module = dlsym(p->handle, GG_PLUGIN_MODULE_SYMBOL);
    if (module == NULL) {
        gg_fault_set(fault, NULL,
                     "plugin \"%s\": %s is not a graphgate plugin (it exports no %s: GG_PLUGIN_MODULE(setup) makes it)",
                     p->name, path, GG_PLUGIN_MODULE_SYMBOL);
        goto fail;
    }
    if (module->abi_major != GG_PLUGIN_ABI_MAJOR || module->abi_minor > GG_PLUGIN_ABI_MINOR) {
        gg_fault_set(fault, NULL,
                     "plugin \"%s\": %s was built for plugin ABI %u.%u, this graphgate provides plugin ABI %u.%u: "
                     "rebuild it against this graphgate's graphgate/plugin.h",
                     p->name, path, (unsigned)module->abi_major, (unsigned)module->abi_minor, GG_PLUGIN_ABI_MAJOR,
                     GG_PLUGIN_ABI_MINOR);
        goto fail;
    }
    if (module->setup == NULL) {
        gg_fault_set(fault, NULL, "plugin \"%s\": %s has no setup function", p->name, path);
        goto fail;
    }
    p->in_setup = true;
    int status = module->setup(p);
    p->in_setup = false;
    if (status != 0) {
        gg_fault_set(fault, NULL, "plugin \"%s\" (%s): setup failed: %s", p->name, path,
                     p->error[0] ? p->error : "no reason given");
        goto fail;
    }
    p->set_up = true;
    if (p->thread_start != NULL || p->thread_stop != NULL) {
        if (pthread_key_create(&p->thread_key, NULL) != 0) {
            gg_fault_set(fault, NULL, "plugin \"%s\": no thread-local slot left", p->name);
            goto fail;
        }
        p->has_thread_key = true;
    }
    char handlers[64] = "";
    if (p->conflict_handler_count > 0)
        snprintf(handlers, sizeof handlers, ", %u conflict handler%s", p->conflict_handler_count,
                 p->conflict_handler_count == 1 ? "" : "s");
    gg_log_info("plugin %s loaded from %s: %u resolver%s%s", p->name, path, p->resolver_count,
                p->resolver_count == 1 ? "" : "s", handlers);
    return p;
fail:
    plugin_free(p);
    return NULL;
}

gg_plugins *gg_plugins_load(const cJSON *plugins, gg_fault *fault)
{
    gg_plugins *set = calloc(1, sizeof *set);
    if (set == NULL) abort();
    if (plugins == NULL) return set;
    if (!cJSON_IsObject(plugins)) {
        gg_fault_set(fault, NULL, "key \"plugins\": expected an object {\"name\": {\"path\": \"x.so\"}}");
        free(set);
        return NULL;
    }
    unsigned n = (unsigned)cJSON_GetArraySize(plugins);
    set->plugins = calloc(n ? n : 1, sizeof *set->plugins);
    if (set->plugins == NULL) abort();
    const cJSON *entry;
    cJSON_ArrayForEach(entry, plugins)
    {
        if (is_comment(entry)) continue;
        gg_plugin *p = plugin_load(entry, fault);
        if (p == NULL) {
            gg_plugins_free(set);
            return NULL;
        }
        set->plugins[set->count++] = p;
    }
    return set;
}

void gg_plugins_free(gg_plugins *set)
{
    if (set == NULL) return;
    for (unsigned i = set->count; i-- > 0;)
        plugin_free(set->plugins[i]);
    free(set->plugins);
    free(set);
}

unsigned gg_plugins_count(const gg_plugins *set)
{
    return set ? set->count : 0;
}

/* ---- threads ---- */

static void thread_stop_one(gg_plugin *p)
{
    if (!p->has_thread_key) return;
    gg_plugin_thread_slot *slot = pthread_getspecific(p->thread_key);
    if (slot == NULL) return;
    if (p->thread_stop != NULL) p->thread_stop(p, slot->data);
    pthread_setspecific(p->thread_key, NULL);
    free(slot);
}

bool gg_plugins_thread_start(const gg_plugins *set, gg_fault *fault)
{
    for (unsigned i = 0; set != NULL && i < set->count; i++) {
        gg_plugin *p = set->plugins[i];
        if (!p->has_thread_key) continue;
        gg_plugin_thread_slot *slot = calloc(1, sizeof *slot);
        if (slot == NULL) abort();
        if (p->thread_start != NULL && p->thread_start(p, &slot->data) != 0) {
            gg_fault_set(fault, NULL, "plugin \"%s\" (%s): thread start failed: %s", p->name, p->path,
                         p->error[0] ? p->error : "no reason given");
            free(slot);
            while (i-- > 0)
                thread_stop_one(set->plugins[i]);
            return false;
        }
        pthread_setspecific(p->thread_key, slot);
    }
    return true;
}

void gg_plugins_thread_stop(const gg_plugins *set)
{
    for (unsigned i = set ? set->count : 0; i-- > 0;)
        thread_stop_one(set->plugins[i]);
}

/* ---- binding ---- */

const gg_plugin_resolver *gg_plugins_find_resolver(const gg_plugins *set, const char *plugin, const char *resolver,
                                                   const char *where, gg_fault *fault)
{
    const gg_plugin *p = NULL;
    for (unsigned i = 0; set != NULL && i < set->count && p == NULL; i++)
        if (strcmp(set->plugins[i]->name, plugin) == 0) p = set->plugins[i];
    if (p == NULL) {
        gg_fault_set(fault, NULL, "%s: no plugin named \"%s\" is loaded (configure it under \"plugins\")", where,
                     plugin);
        return NULL;
    }
    for (unsigned i = 0; i < p->resolver_count; i++)
        if (strcmp(p->resolvers[i]->name, resolver) == 0) return p->resolvers[i];
    gg_fault_set(fault, NULL, "%s: plugin \"%s\" has no resolver named \"%s\"", where, plugin, resolver);
    return NULL;
}

static bool bind_field(gg_field *field, const gg_plugin_resolver *resolver, const char *where, gg_fault *fault)
{
    if (field->resolve == gg_plugins_resolve_field || gg_plugins_is_pipeline(field))
        return gg_fault_set(fault, NULL, "%s: the field is bound to a plugin twice", where);
    if (field->resolve != NULL)
        return gg_fault_set(fault, NULL, "%s: the field already has a data source (@model or @sql)", where);
    field->resolve = gg_plugins_resolve_field;
    field->resolve_data = (void *)resolver;
    return true;
}

/* The plugin and resolver @function(name: name) on field names, into plugin[size] and *resolver
 * (pointing into plugin, or at the field's name); false with the reason. */
static bool function_target(const gg_field *field, const char *name, char *plugin, size_t size, const char **resolver,
                            gg_fault *fault)
{
    size_t n = 0;
    for (const char *c = name; *c && n + 1 < size;) {
        if (strncmp(c, "-${env}", 7) == 0) {
            c += 7;
        } else if (strncmp(c, "${env}", 6) == 0) {
            c += 6;
        } else {
            plugin[n++] = *c++;
        }
    }
    plugin[n] = '\0';
    char *dot = strchr(plugin, '.');
    if (dot != NULL) *dot = '\0';
    *resolver = dot != NULL ? dot + 1 : field->name;
    if (plugin[0] == '\0' || (*resolver)[0] == '\0')
        return gg_fault_set(fault, NULL, "field %s.%s: @function(name: \"%s\"): expected \"plugin.resolver\"",
                            field->parent->name, field->name, name);
    return true;
}

/* Whether a plugin of that name is loaded. */
static bool has_plugin(const gg_plugins *set, const char *name)
{
    for (unsigned i = 0; set != NULL && i < set->count; i++)
        if (strcmp(set->plugins[i]->name, name) == 0) return true;
    return false;
}

/* A @function naming no loaded plugin: most often an Amplify project's Lambda function, which
 * has no counterpart yet. The message says what the two ways forward are. */
static bool no_such_function(const char *where, const char *plugin, gg_fault *fault)
{
    return gg_fault_set(fault, NULL,
                        "%s: no plugin named \"%s\" is loaded (configure it under \"plugins\"): an AppSync Lambda "
                        "function is a C resolver plugin here (plugins/README.md); to serve the rest of the schema "
                        "without it, remove this @function and the field answers null",
                        where, plugin);
}

/* Binds field to the resolvers its @function directives name (names[0..count)): one is a plain
 * binding; several, in order, are a pipeline of plugin steps (Amplify's way of chaining functions). */
static bool bind_functions(const gg_plugins *set, gg_schema *schema, gg_field *field, const char *const *names,
                           unsigned count, gg_fault *fault)
{
    char where[600], plugin[512];
    const char *resolver = NULL;
    if (count == 1) {
        snprintf(where, sizeof where, "field %s.%s: @function(name: \"%s\")", field->parent->name, field->name,
                 names[0]);
        if (!function_target(field, names[0], plugin, sizeof plugin, &resolver, fault)) return false;
        if (!has_plugin(set, plugin)) return no_such_function(where, plugin, fault);
        const gg_plugin_resolver *r = gg_plugins_find_resolver(set, plugin, resolver, where, fault);
        return r != NULL && bind_field(field, r, where, fault);
    }
    snprintf(where, sizeof where, "field %s.%s: %u @function directives", field->parent->name, field->name, count);
    if (field->resolve != NULL)
        return gg_fault_set(fault, NULL, "%s: the field already has a resolver (@model, @sql or a plugin)", where);
    cJSON *entry = cJSON_CreateObject();
    cJSON *steps = cJSON_AddArrayToObject(entry, "pipeline");
    bool ok = true;
    for (unsigned i = 0; ok && i < count; i++) {
        ok = function_target(field, names[i], plugin, sizeof plugin, &resolver, fault);
        if (ok && !has_plugin(set, plugin)) ok = no_such_function(where, plugin, fault);
        cJSON *step = cJSON_CreateObject();
        cJSON_AddItemToArray(steps, step);
        cJSON_AddStringToObject(step, "plugin", plugin);
        cJSON_AddStringToObject(step, "resolver", ok ? resolver : "");
    }
    ok = ok && gg_plugins_bind_pipeline(set, schema, NULL, field, entry, where, fault);
    cJSON_Delete(entry);
    return ok;
}

/* The @function directives written on the fields themselves (schemas not transformed by Amplify). */
static bool bind_directives(const gg_plugins *set, gg_schema *schema, gg_fault *fault)
{
    for (unsigned t = 0; t < schema->type_count; t++) {
        gg_type *type = schema->types[t];
        for (unsigned f = 0; f < type->field_count; f++) {
            gg_field *field = &type->fields[f];
            const char *names[GG_PLUGIN_PIPELINE_MAX_STEPS + 1];
            unsigned count = 0;
            for (unsigned d = 0; field->ast != NULL && d < field->ast->directive_count; d++) {
                const gg_directive *directive = &field->ast->directives[d];
                if (strcmp(directive->name.value, "function") != 0) continue;
                const char *name = NULL;
                for (unsigned a = 0; a < directive->arg_count; a++)
                    if (strcmp(directive->args[a].name.value, "name") == 0 &&
                        directive->args[a].value->kind == GG_VALUE_STRING)
                        name = directive->args[a].value->text;
                if (name == NULL)
                    return gg_fault_set(fault, NULL, "field %s.%s: @function needs name: \"plugin.resolver\"",
                                        type->name, field->name);
                if (count > GG_PLUGIN_PIPELINE_MAX_STEPS)
                    return gg_fault_set(fault, NULL, "field %s.%s: more than %d @function directives", type->name,
                                        field->name, GG_PLUGIN_PIPELINE_MAX_STEPS);
                names[count++] = name;
            }
            if (count > 0 && !bind_functions(set, schema, field, names, count, fault)) return false;
        }
    }
    return true;
}

/* The @function fields an Amplify transform recorded (its served SDL drops the directive). */
static bool bind_catalog(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog, gg_fault *fault)
{
    for (unsigned i = 0; catalog != NULL && i < catalog->custom_field_count; i++) {
        const gg_amplify_custom_field *custom = &catalog->custom_fields[i];
        if (custom->function_count == 0) continue;
        gg_type *type = gg_schema_find_type(schema, custom->type);
        gg_field *field = type != NULL ? gg_type_find_field(type, custom->field) : NULL;
        if (field == NULL)
            return gg_fault_set(fault, NULL, "field %s.%s: @function on a field the served schema does not have",
                                custom->type, custom->field);
        if (custom->function_count > GG_PLUGIN_PIPELINE_MAX_STEPS)
            return gg_fault_set(fault, NULL, "field %s.%s: more than %d @function directives", custom->type,
                                custom->field, GG_PLUGIN_PIPELINE_MAX_STEPS);
        if (!bind_functions(set, schema, field, (const char *const *)custom->functions, custom->function_count, fault))
            return false;
    }
    return true;
}

/* The configuration's resolver map. */
static bool bind_map(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog,
                     const cJSON *resolvers, gg_fault *fault)
{
    if (resolvers == NULL) return true;
    if (!cJSON_IsObject(resolvers))
        return gg_fault_set(fault, NULL,
                            "key \"resolvers\": expected an object {\"Type.field\": {\"plugin\": \"p\", \"resolver\": "
                            "\"r\"}}");
    const cJSON *entry;
    cJSON_ArrayForEach(entry, resolvers)
    {
        if (is_comment(entry)) continue;
        char where[300];
        snprintf(where, sizeof where, "key \"resolvers.%s\"", entry->string);
        const cJSON *plugin = cJSON_GetObjectItemCaseSensitive(entry, "plugin");
        const cJSON *resolver = cJSON_GetObjectItemCaseSensitive(entry, "resolver");
        const cJSON *pipeline = cJSON_GetObjectItemCaseSensitive(entry, "pipeline");
        if (!cJSON_IsObject(entry) || (pipeline == NULL && (!cJSON_IsString(plugin) || !cJSON_IsString(resolver))))
            return gg_fault_set(
                fault, NULL, "%s: expected {\"plugin\": \"name\", \"resolver\": \"name\"} or {\"pipeline\": [steps]}",
                where);
        const char *dot = strchr(entry->string, '.');
        if (dot == NULL || dot == entry->string || dot[1] == '\0')
            return gg_fault_set(fault, NULL, "%s: expected a field as \"Type.field\"", where);
        char type_name[256];
        snprintf(type_name, sizeof type_name, "%.*s", (int)(dot - entry->string), entry->string);
        gg_type *type = gg_schema_find_type(schema, type_name);
        if (type == NULL || (type->kind != GG_KIND_OBJECT && type->kind != GG_KIND_INTERFACE))
            return gg_fault_set(fault, NULL, "%s: the schema has no object type %s", where, type_name);
        gg_field *field = gg_type_find_field(type, dot + 1);
        if (field == NULL) return gg_fault_set(fault, NULL, "%s: type %s has no field %s", where, type_name, dot + 1);
        if (pipeline != NULL) {
            if (field->resolve != NULL)
                return gg_fault_set(fault, NULL, "%s: the field already has a resolver (@model, @sql or a plugin)",
                                    where);
            if (!gg_plugins_bind_pipeline(set, schema, catalog, field, entry, where, fault)) return false;
            continue;
        }
        const gg_plugin_resolver *r =
            gg_plugins_find_resolver(set, plugin->valuestring, resolver->valuestring, where, fault);
        if (r == NULL || !bind_field(field, r, where, fault)) return false;
    }
    return true;
}

bool gg_plugins_bind(const gg_plugins *set, gg_schema *schema, const gg_amplify_catalog *catalog,
                     const cJSON *resolvers, gg_fault *fault)
{
    return bind_directives(set, schema, fault) && bind_catalog(set, schema, catalog, fault) &&
           bind_map(set, schema, catalog, resolvers, fault);
}

/* ---- what setup calls (plugin.h) ---- */

const char *gg_plugin_name(const gg_plugin *plugin)
{
    return plugin->name;
}

const cJSON *gg_plugin_config(const gg_plugin *plugin)
{
    return plugin->config;
}

void gg_plugin_set_error(gg_plugin *plugin, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(plugin->error, sizeof plugin->error, format, ap);
    va_end(ap);
}

static int add_resolver(gg_plugin *plugin, const char *name, gg_plugin_resolve_fn resolve, void *user_data,
                        bool blocking)
{
    if (!gg_plugins_may_register(plugin, "resolver", name, resolve != NULL)) return -1;
    for (unsigned i = 0; i < plugin->resolver_count; i++)
        if (strcmp(plugin->resolvers[i]->name, name) == 0) {
            gg_plugin_set_error(plugin, "resolver \"%s\" registered twice", name);
            return -1;
        }
    gg_plugin_resolver **grown = realloc(plugin->resolvers, (plugin->resolver_count + 1) * sizeof *grown);
    gg_plugin_resolver *r = calloc(1, sizeof *r);
    if (grown == NULL || r == NULL) abort();
    plugin->resolvers = grown;
    *r = (gg_plugin_resolver){
        .plugin = plugin, .name = copy_text(name), .resolve = resolve, .user_data = user_data, .blocking = blocking};
    plugin->resolvers[plugin->resolver_count++] = r;
    return 0;
}

int gg_plugin_add_resolver(gg_plugin *plugin, const char *name, gg_plugin_resolve_fn resolve, void *user_data)
{
    return add_resolver(plugin, name, resolve, user_data, false);
}

int gg_plugin_add_blocking_resolver(gg_plugin *plugin, const char *name, gg_plugin_resolve_fn resolve, void *user_data)
{
    return add_resolver(plugin, name, resolve, user_data, true);
}

void gg_plugin_set_data(gg_plugin *plugin, void *data)
{
    plugin->data = data;
}

void *gg_plugin_data(const gg_plugin *plugin)
{
    return plugin->data;
}

void gg_plugin_set_shutdown(gg_plugin *plugin, gg_plugin_shutdown_fn shutdown)
{
    if (plugin->in_setup) plugin->shutdown = shutdown;
}

void gg_plugin_set_thread_hooks(gg_plugin *plugin, gg_plugin_thread_start_fn start, gg_plugin_thread_stop_fn stop)
{
    if (!plugin->in_setup) return;
    plugin->thread_start = start;
    plugin->thread_stop = stop;
}

bool gg_plugins_may_register(gg_plugin *plugin, const char *kind, const char *name, bool has_function)
{
    if (!plugin->in_setup) {
        gg_log_error("plugin %s: gg_plugin_add_%s called outside setup (ignored)", plugin->name, kind);
        return false;
    }
    if (name == NULL || !valid_plugin_name(name) || !has_function) {
        gg_plugin_set_error(plugin, "%s name \"%s\": letters, digits, _ and - (at most 128), with a function", kind,
                            name ? name : "(null)");
        return false;
    }
    return true;
}

gg_plugin *gg_plugins_named(const gg_plugins *set, const char *name)
{
    for (unsigned i = 0; set != NULL && i < set->count; i++)
        if (strcmp(set->plugins[i]->name, name) == 0) return set->plugins[i];
    return NULL;
}
