/* blocking.c: an example graphgate plugin with BLOCKING resolvers, the kind that calls a library
 * which waits (here getaddrinfo, and plain sleeping): registered with
 * gg_plugin_add_blocking_resolver, they run on graphgate's worker pool (plugins_worker_threads
 * threads), never on an event loop, so the loop serves other requests while they wait.
 *
 *   lookup(host: String!)  the first address getaddrinfo gives for host, as text ("127.0.0.1");
 *                          a name that does not resolve is a LookupFailed error
 *   pause(ms: Int!)        sleeps ms milliseconds (0 to 10000, else BadInput) and returns ms
 *   whoami                 "<sub> <email claim> <source IP>": the caller's identity, read on the
 *                          worker thread ("-" for what is missing)
 *   peakConcurrency        the most blocking calls that ever ran at the same time (a plain,
 *                          synchronous resolver): never more than the pool's threads
 *
 * Blocking resolvers run on several worker threads at once: the counters are atomics. They answer
 * before they return, and build their answer in the call's arena (on a worker thread the call's
 * own, freed after graphgate took the answer).
 *
 * Build it as any plugin: cc -shared -fPIC $(pkg-config --cflags graphgate-plugin) blocking.c -o blocking.so */
#define _POSIX_C_SOURCE 200809L
#include <graphgate/plugin.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static atomic_int running, peak;

/* Counts a call in (peak kept up to date) and out. */
static void enter(void)
{
    int now = atomic_fetch_add(&running, 1) + 1;
    int seen = atomic_load(&peak);
    while (now > seen && !atomic_compare_exchange_weak(&peak, &seen, now)) {
    }
}

static void leave(void)
{
    atomic_fetch_sub(&running, 1);
}

static void resolve_lookup(gg_plugin_call *call)
{
    const char *host = gg_plugin_call_argument_string(call, "host");
    enter();
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found = NULL;
    int rc = getaddrinfo(host != NULL ? host : "", NULL, &hints, &found);
    leave();
    if (rc != 0 || found == NULL) {
        gg_plugin_fail(call, "LookupFailed", "%s does not resolve: %s", host ? host : "(none)", gai_strerror(rc));
        return;
    }
    char *text = gg_plugin_arena_alloc(gg_plugin_call_arena(call), INET6_ADDRSTRLEN);
    const void *address = found->ai_family == AF_INET
                              ? (const void *)&((struct sockaddr_in *)found->ai_addr)->sin_addr
                              : (const void *)&((struct sockaddr_in6 *)found->ai_addr)->sin6_addr;
    inet_ntop(found->ai_family, address, text, INET6_ADDRSTRLEN);
    freeaddrinfo(found);
    gg_plugin_return_string(call, text, (size_t)-1);
}

static void resolve_pause(gg_plugin_call *call)
{
    int64_t ms = gg_plugin_call_argument_int(call, "ms", -1);
    if (ms < 0 || ms > 10000) {
        gg_plugin_fail(call, "BadInput", "ms must be between 0 and 10000, not %lld", (long long)ms);
        return;
    }
    enter();
    struct timespec wait = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&wait, &wait) != 0) {
    }
    leave();
    gg_plugin_return_int(call, ms);
}

static void resolve_whoami(gg_plugin_call *call)
{
    const gg_plugin_identity *identity = gg_plugin_call_identity(call);
    const char *sub = gg_plugin_identity_sub(identity), *ip = gg_plugin_identity_source_ip(identity);
    const cJSON *email = cJSON_GetObjectItemCaseSensitive(gg_plugin_identity_claims(identity), "email");
    gg_plugin_arena *arena = gg_plugin_call_arena(call);
    const char *parts[3] = {sub ? sub : "-", cJSON_IsString(email) ? email->valuestring : "-", ip ? ip : "-"};
    size_t length = strlen(parts[0]) + strlen(parts[1]) + strlen(parts[2]) + 3;
    char *text = gg_plugin_arena_alloc(arena, length);
    strcat(strcat(strcat(strcat(strcpy(text, parts[0]), " "), parts[1]), " "), parts[2]);
    gg_plugin_return_string(call, text, (size_t)-1);
}

static void resolve_peak(gg_plugin_call *call)
{
    gg_plugin_return_int(call, atomic_load(&peak));
}

static int setup(gg_plugin *plugin)
{
    if (gg_plugin_add_blocking_resolver(plugin, "lookup", resolve_lookup, NULL) != 0 ||
        gg_plugin_add_blocking_resolver(plugin, "pause", resolve_pause, NULL) != 0 ||
        gg_plugin_add_blocking_resolver(plugin, "whoami", resolve_whoami, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "peakConcurrency", resolve_peak, NULL) != 0)
        return -1;
    return 0;
}

GG_PLUGIN_MODULE(setup);
