/* pipeline.c: an example graphgate plugin whose resolvers are steps of a pipeline resolver (a field
 * answered by several steps in turn, sharing a stash, each seeing the previous step's result).
 *
 *   prepare   first step: makes a slug of the title argument ("Hello, World!" -> "hello-world"),
 *             writes it to the stash as "slug" (with "steps": 1), and returns it
 *   finish    last step: answers {post: <the previous step's result>, slug: <stash.slug>,
 *             steps: <stash.steps + 1>}, and counts how many times it ran
 *   finishCount  how many times finish ran (a plain resolver: shows that a failed pipeline stopped
 *             before its last step)
 *
 * The pipeline of the tests and of plugins/README.md, in the configuration's resolvers map:
 *     "Mutation.publish": {"pipeline": [
 *         {"plugin": "pipeline", "resolver": "prepare"},
 *         {"sql": "INSERT INTO \"Post\" (id, title, \"createdAt\", \"updatedAt\") VALUES (:stash.slug, :title,
 *                  now(), now()) RETURNING id"},
 *         {"model": "Post", "get": {"id": "prev.id"}},
 *         {"plugin": "pipeline", "resolver": "finish"}]}
 *
 * Build it as any plugin: cc -shared -fPIC $(pkg-config --cflags graphgate-plugin) pipeline.c -o pipeline.so */
#include <graphgate/plugin.h>

#include <ctype.h>
#include <stdatomic.h>
#include <string.h>

static atomic_long finish_runs; /* every event-loop thread counts here */

/* The words of title (runs of letters and digits), lowercased and joined by '-', into slug (as
 * large as title); returns its length. */
static size_t words_joined(const char *title, char *slug)
{
    size_t out = 0;
    const char *p = title;
    for (;;) {
        while (*p != '\0' && !isalnum((unsigned char)*p))
            p++;
        if (*p == '\0') break;
        if (out > 0) slug[out++] = '-';
        while (isalnum((unsigned char)*p))
            slug[out++] = (char)tolower((unsigned char)*p++);
    }
    slug[out] = '\0';
    return out;
}

static void resolve_prepare(gg_plugin_call *call)
{
    const char *title = gg_plugin_call_argument_string(call, "title");
    if (title == NULL || title[0] == '\0') {
        gg_plugin_fail(call, "BadInput", "A title is needed.");
        return;
    }
    char *slug = gg_plugin_arena_alloc(gg_plugin_call_arena(call), strlen(title) + 1);
    size_t out = words_joined(title, slug);
    cJSON *text = cJSON_CreateString(slug), *steps = cJSON_CreateNumber(1);
    int stored =
        gg_plugin_call_stash_set_cjson(call, "slug", text) | gg_plugin_call_stash_set_cjson(call, "steps", steps);
    cJSON_Delete(text);
    cJSON_Delete(steps);
    if (stored != 0) {
        gg_plugin_fail(call, "InternalFailure", "The stash refused the slug.");
        return;
    }
    gg_plugin_return_string(call, slug, out);
}

static void resolve_finish(gg_plugin_call *call)
{
    const gg_plugin_value *stash = gg_plugin_call_stash(call);
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddItemToObject(answer, "post", gg_plugin_value_to_cjson(gg_plugin_call_previous(call)));
    cJSON_AddItemToObject(answer, "slug", gg_plugin_value_to_cjson(gg_plugin_value_member(stash, "slug")));
    cJSON_AddNumberToObject(answer, "steps", (double)(gg_plugin_value_int(gg_plugin_value_member(stash, "steps")) + 1));
    atomic_fetch_add(&finish_runs, 1);
    gg_plugin_return_cjson(call, answer);
    cJSON_Delete(answer);
}

static void resolve_finish_count(gg_plugin_call *call)
{
    gg_plugin_return_int(call, (int64_t)atomic_load(&finish_runs));
}

static int setup(gg_plugin *plugin)
{
    if (gg_plugin_add_resolver(plugin, "prepare", resolve_prepare, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "finish", resolve_finish, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "finishCount", resolve_finish_count, NULL) != 0)
        return -1;
    return 0;
}

GG_PLUGIN_MODULE(setup);
