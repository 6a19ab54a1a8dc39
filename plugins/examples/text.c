/* text.c: an example graphgate plugin with synchronous resolvers: computed text fields.
 *
 *   slug(text: String)      "Hello, World!" -> "hello-world"; without the argument, the parent
 *                           object's title (a computed field: type Post { slug: String @function(...) })
 *   wordCount(text: String) the number of words; more than config.max_words is a TooLong error
 *   caller                  the caller's identity as an object {mode, sub, username, groups, sourceIp}
 *   threadCalls             how many calls this event-loop thread has served (per-thread state)
 *
 * Configuration: "plugins": {"text": {"path": "text.so", "config": {"max_words": 1000}}}; a
 * max_words that is not a positive integer stops graphgate at start-up.
 *
 * Build it as any plugin: cc -shared -fPIC $(pkg-config --cflags graphgate-plugin) text.c -o text.so */
#include <graphgate/plugin.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct text_settings {
    int64_t max_words;
} text_settings;

/* The text argument, else the parent's title; NULL when neither is a string. */
static const char *input_text(gg_plugin_call *call)
{
    const char *text = gg_plugin_call_argument_string(call, "text");
    if (text == NULL) text = gg_plugin_value_string(gg_plugin_value_member(gg_plugin_call_parent(call), "title"), NULL);
    return text;
}

static void resolve_slug(gg_plugin_call *call)
{
    const char *text = input_text(call);
    if (text == NULL) {
        gg_plugin_return_null(call);
        return;
    }
    size_t length = strlen(text);
    /* The slug lives in the request's arena: no free, and it outlives this function. */
    char *slug = gg_plugin_arena_alloc(gg_plugin_call_arena(call), length + 1);
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isalnum(c))
            slug[n++] = (char)tolower(c);
        else if (n > 0 && slug[n - 1] != '-')
            slug[n++] = '-';
    }
    while (n > 0 && slug[n - 1] == '-')
        n--;
    if (n == 0) {
        gg_plugin_fail(call, "BadInput", "\"%s\" has no letters or digits to make a slug of.", text);
        return;
    }
    gg_plugin_return_string(call, slug, n);
}

static void resolve_word_count(gg_plugin_call *call)
{
    const text_settings *settings = gg_plugin_data(gg_plugin_call_plugin(call));
    const char *text = input_text(call);
    if (text == NULL) {
        gg_plugin_return_null(call);
        return;
    }
    int64_t words = 0;
    for (const char *c = text; *c; c++)
        if (!isspace((unsigned char)*c) && (c == text || isspace((unsigned char)c[-1]))) words++;
    if (words > settings->max_words) {
        gg_plugin_fail(call, "TooLong", "The text has %lld words; at most %lld are counted.", (long long)words,
                       (long long)settings->max_words);
        return;
    }
    gg_plugin_return_int(call, words);
}

static const char *mode_name(gg_plugin_auth_mode mode)
{
    static const char *const names[] = {"NONE",       "API_KEY", "OPENID_CONNECT", "AMAZON_COGNITO_USER_POOLS",
                                        "AWS_LAMBDA", "AWS_IAM"};
    return (unsigned)mode < sizeof names / sizeof names[0] ? names[mode] : "UNKNOWN";
}

/* Builds the answer with cJSON (the plugin owns the tree; graphgate copies it). */
static void resolve_caller(gg_plugin_call *call)
{
    const gg_plugin_identity *who = gg_plugin_call_identity(call);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "mode", mode_name(gg_plugin_identity_mode(who)));
    const char *sub = gg_plugin_identity_sub(who), *username = gg_plugin_identity_username(who),
               *ip = gg_plugin_identity_source_ip(who);
    cJSON_AddItemToObject(out, "sub", sub ? cJSON_CreateString(sub) : cJSON_CreateNull());
    cJSON_AddItemToObject(out, "username", username ? cJSON_CreateString(username) : cJSON_CreateNull());
    cJSON *groups = cJSON_AddArrayToObject(out, "groups");
    for (unsigned i = 0; i < gg_plugin_identity_group_count(who); i++)
        cJSON_AddItemToArray(groups, cJSON_CreateString(gg_plugin_identity_group(who, i)));
    cJSON_AddItemToObject(out, "sourceIp", ip ? cJSON_CreateString(ip) : cJSON_CreateNull());
    gg_plugin_return_cjson(call, out);
    cJSON_Delete(out);
}

static void resolve_thread_calls(gg_plugin_call *call)
{
    int64_t *calls = gg_plugin_call_thread_data(call); /* this thread's own: no lock */
    gg_plugin_return_int(call, ++*calls);
}

static int thread_start(gg_plugin *plugin, void **thread_data)
{
    *thread_data = calloc(1, sizeof(int64_t));
    if (*thread_data == NULL) {
        gg_plugin_set_error(plugin, "out of memory");
        return -1;
    }
    return 0;
}

static void thread_stop(gg_plugin *plugin, void *thread_data)
{
    free(thread_data);
}

static void text_shutdown(gg_plugin *plugin)
{
    free(gg_plugin_data(plugin));
}

static int setup(gg_plugin *plugin)
{
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(gg_plugin_config(plugin), "max_words");
    if (max != NULL &&
        (!cJSON_IsNumber(max) || max->valuedouble < 1 || max->valuedouble != (double)(int64_t)max->valuedouble)) {
        gg_plugin_set_error(plugin, "config.max_words must be a positive integer");
        return -1;
    }
    if (gg_plugin_add_resolver(plugin, "slug", resolve_slug, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "wordCount", resolve_word_count, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "caller", resolve_caller, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "threadCalls", resolve_thread_calls, NULL) != 0)
        return -1; /* the reason is already the plugin's error */
    /* Last, so a failing setup has nothing to free (shutdown runs only after a successful setup). */
    text_settings *settings = malloc(sizeof *settings);
    if (settings == NULL) {
        gg_plugin_set_error(plugin, "out of memory");
        return -1;
    }
    settings->max_words = max != NULL ? (int64_t)max->valuedouble : 10000;
    gg_plugin_set_data(plugin, settings);
    gg_plugin_set_shutdown(plugin, text_shutdown);
    gg_plugin_set_thread_hooks(plugin, thread_start, thread_stop);
    return 0;
}

GG_PLUGIN_MODULE(setup);
