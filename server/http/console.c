/* console.c: the developer console (console: true): GraphiQL at GET <graphql_path> for browsers.
 *
 * The page and its scripts and styles are files the build copies into one directory: the UMD
 * builds of the npm packages graphiql, react, react-dom and graphql-ws (pinned in package.json),
 * and the page's own index.html, console.js and console.css (console/ in the sources). That
 * directory is found next to the binary, so the same rule serves the build directory
 * (build/server/graphgate -> build/console), an installed tree (bin/graphgate ->
 * share/graphgate/console, meson install) and the container image (/usr/local/...). Nothing comes
 * from a CDN: the console works offline. Start-up only checks that every file is there and readable
 * (a missing one stops start-up, naming it); the files (5 MB, GraphiQL's script alone 3.5 MB) are
 * read into memory when the console is first asked for, so that reading them never delays
 * readiness and a server nobody opens the console of never holds them. That first request reads
 * them on its event loop (a few milliseconds, once; a mutex makes a second thread wait for the
 * same read instead of reading again); from then on they are served from memory (a fixed list:
 * no path from a request ever reaches the file system) with h2o's gzip filter (server.c). Should
 * the read fail later (the files removed meanwhile), the request gets 503 and the reason is
 * logged; the next request tries again. The page is public, like the GraphQL path's answers to
 * unauthenticated requests: it holds no data; the credentials are typed into its Headers tab. */
#include "console.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/file.h"
#include "../base/log.h"

typedef struct console_file {
    const char *name; /* as in the URL and in the directory */
    const char *content_type;
    char *body;
    size_t len;
} console_file;

static const console_file FILES[] = {
    {"index.html", "text/html; charset=utf-8", NULL, 0},
    {"console.js", "text/javascript; charset=utf-8", NULL, 0},
    {"console.css", "text/css; charset=utf-8", NULL, 0},
    {"graphiql.min.js", "text/javascript; charset=utf-8", NULL, 0},
    {"graphiql.min.css", "text/css; charset=utf-8", NULL, 0},
    {"react.production.min.js", "text/javascript; charset=utf-8", NULL, 0},
    {"react-dom.production.min.js", "text/javascript; charset=utf-8", NULL, 0},
    {"graphql-ws.min.js", "text/javascript; charset=utf-8", NULL, 0},
};
#define FILE_COUNT (sizeof FILES / sizeof FILES[0])

/* The page may run only graphgate's own scripts and talk only to graphgate (fetch, websockets);
 * GraphiQL sets inline styles and its CSS carries its fonts as data: URLs. */
static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "font-src 'self' data:; img-src 'self' data:; connect-src 'self' ws: wss:; "
                          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct gg_console {
    char dir[PATH_MAX];
    char *graphql_path;
    pthread_mutex_t read_lock; /* held while the files are read */
    atomic_bool read;          /* files and page are in memory (set once, under read_lock) */
    console_file files[FILE_COUNT];
    char *page; /* index.html with the paths filled in */
    size_t page_len;
    char assets[1040]; /* <graphql_path>/console: where the page loads its files from */
    char route[1044];  /* the same with a slash: the route of the files */
};

bool gg_console_find_dir(char *dir, size_t size, gg_fault *fault)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        gg_fault_set(fault, NULL, "key \"console\": cannot find the running binary (/proc/self/exe)");
        return false;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL) *slash = '\0';
    static const char *const places[] = {"../share/graphgate/console", "../console"};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/%s/index.html", exe, places[i]);
        if (access(probe, R_OK) == 0) {
            if ((size_t)snprintf(dir, size, "%s/%s", exe, places[i]) >= size) break;
            return true;
        }
    }
    gg_fault_set(fault, NULL,
                 "key \"console\": the console's files are not installed: looked in %s/../share/graphgate/console "
                 "and %s/../console (the build copies them from node_modules: run npm ci, then build again)",
                 exe, exe);
    return false;
}

/* Appends s with the characters HTML gives a meaning to, in an attribute, escaped. */
static void put_html_escaped(gg_buf *b, const char *s)
{
    static const char *const escapes[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    for (; *s != '\0'; s++) {
        const char *escaped = escapes[(unsigned char)*s];
        if (escaped != NULL)
            gg_buf_puts(b, escaped);
        else
            gg_buf_putc(b, *s);
    }
}

/* index.html with @GRAPHQL_PATH@ (the endpoint, as configured) and @ASSETS@ filled in. */
static void fill_page(gg_console *c, const char *path)
{
    const struct {
        const char *placeholder;
        const char *value;
    } fills[] = {{"@GRAPHQL_PATH@", path}, {"@ASSETS@", c->assets}};
    gg_buf b;
    gg_buf_init(&b);
    const char *t = c->files[0].body, *end = t + c->files[0].len;
    while (t < end) {
        const char *at = memchr(t, '@', (size_t)(end - t));
        if (at == NULL) {
            gg_buf_append(&b, t, (size_t)(end - t));
            break;
        }
        gg_buf_append(&b, t, (size_t)(at - t));
        t = at + 1; /* a lone @ stays */
        for (size_t k = 0; k < sizeof fills / sizeof fills[0]; k++) {
            size_t n = strlen(fills[k].placeholder);
            if ((size_t)(end - at) >= n && memcmp(at, fills[k].placeholder, n) == 0) {
                put_html_escaped(&b, fills[k].value);
                t = at + n;
                break;
            }
        }
        if (t == at + 1) gg_buf_append(&b, at, 1);
    }
    c->page = strndup(b.data, b.len);
    if (c->page == NULL) abort();
    c->page_len = b.len;
    gg_buf_free(&b);
}

/* Reads every file into memory and fills the page in; false with the file that could not be read. */
static bool read_files(gg_console *c, gg_fault *fault)
{
    for (size_t i = 0; i < FILE_COUNT; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", c->dir, c->files[i].name);
        char why[128];
        gg_fault reason = gg_fault_in(why, sizeof why);
        free(c->files[i].body);
        c->files[i].body = gg_file_read(path, GG_FILE_MAX_SIZE, &c->files[i].len, &reason);
        if (c->files[i].body == NULL) {
            gg_fault_set(fault, NULL, "key \"console\": cannot read %s: %s (the build copies the console's files)",
                         path, why);
            return false;
        }
    }
    fill_page(c, c->graphql_path);
    return true;
}

/* The files in memory, read by the first caller; false (logged) when they cannot be read. */
static bool files_read(gg_console *c)
{
    if (atomic_load_explicit(&c->read, memory_order_acquire)) return true;
    pthread_mutex_lock(&c->read_lock);
    bool ok = atomic_load_explicit(&c->read, memory_order_relaxed);
    if (!ok) {
        char why[PATH_MAX + 256];
        ok = read_files(c, GG_FAULT_INTO(why));
        if (ok)
            atomic_store_explicit(&c->read, true, memory_order_release);
        else
            gg_log_error("console: %s", why);
    }
    pthread_mutex_unlock(&c->read_lock);
    return ok;
}

static int send_unavailable(h2o_req_t *req)
{
    static h2o_generator_t generator = {NULL, NULL};
    static const char body[] =
        "{\"errors\":[{\"message\":\"The console's files cannot be read (see the server log)\"}]}\n";
    req->res.status = 503;
    req->res.reason = "Service Unavailable";
    req->res.content_length = sizeof body - 1;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/json; charset=utf-8"));
    h2o_start_response(req, &generator);
    h2o_iovec_t chunk = h2o_iovec_init(body, sizeof body - 1);
    h2o_send(req, &chunk, 1, H2O_SEND_STATE_FINAL);
    return 0;
}

gg_console *gg_console_load(const char *graphql_path, gg_fault *fault)
{
    if (strlen(graphql_path) > 1024) {
        gg_fault_set(fault, NULL, "key \"console\": graphql_path is longer than 1024 bytes");
        return NULL;
    }
    gg_console *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    if (!gg_console_find_dir(c->dir, sizeof c->dir, fault)) {
        free(c);
        return NULL;
    }
    memcpy(c->files, FILES, sizeof FILES);
    for (size_t i = 0; i < FILE_COUNT; i++) { /* there and readable now; read when first asked for */
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", c->dir, c->files[i].name);
        if (access(path, R_OK) != 0) {
            gg_fault_set(fault, NULL, "key \"console\": cannot read %s: %s (the build copies the console's files)",
                         path, strerror(errno));
            free(c);
            return NULL;
        }
    }
    pthread_mutex_init(&c->read_lock, NULL);
    c->graphql_path = strdup(graphql_path);
    if (c->graphql_path == NULL) abort();
    size_t path_len = strlen(graphql_path);
    while (path_len > 1 && graphql_path[path_len - 1] == '/')
        path_len--;
    char *path = strndup(graphql_path, path_len);
    if (path == NULL) abort();
    snprintf(c->assets, sizeof c->assets, "%s/console", strcmp(path, "/") == 0 ? "" : path);
    snprintf(c->route, sizeof c->route, "%s/", c->assets);
    free(path);
    return c;
}

void gg_console_free(gg_console *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < FILE_COUNT; i++)
        free(c->files[i].body);
    free(c->page);
    free(c->graphql_path);
    pthread_mutex_destroy(&c->read_lock);
    free(c);
}

bool gg_console_wanted(h2o_req_t *req)
{
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        return false;
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT, -1);
    if (i < 0) return false;
    h2o_iovec_t accept = req->headers.entries[i].value;
    return h2o_strstr(accept.base, accept.len, H2O_STRLIT("text/html")) != SIZE_MAX;
}

static int send_body(h2o_req_t *req, const char *content_type, const char *cache_control, const char *body, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cache_control, strlen(cache_control));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0, NULL,
                          H2O_STRLIT("nosniff"));
    req->compress_hint = H2O_COMPRESS_HINT_ENABLE; /* h2o knows no compressible types without a mime map */
    h2o_start_response(req, &generator);
    bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    h2o_iovec_t chunk = h2o_iovec_init(body, len); /* lives as long as the server */
    h2o_send(req, &chunk, head ? 0 : 1, H2O_SEND_STATE_FINAL);
    return 0;
}

int gg_console_send_page(gg_console *c, h2o_req_t *req)
{
    if (!files_read(c)) return send_unavailable(req);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0, NULL, CSP,
                          strlen(CSP));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("Accept"));
    return send_body(req, "text/html; charset=utf-8", "no-store", c->page, c->page_len);
}

const char *gg_console_route(const gg_console *c)
{
    return c->route;
}

int gg_console_send_asset(gg_console *c, h2o_req_t *req)
{
    size_t prefix_len = strlen(c->route);
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (path_len <= prefix_len) return -1;
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        return -1;
    const char *name = req->path.base + prefix_len;
    size_t name_len = path_len - prefix_len;
    for (size_t i = 1; i < FILE_COUNT; i++) /* index.html is served filled in, at the GraphQL path only */
        if (strlen(c->files[i].name) == name_len && memcmp(c->files[i].name, name, name_len) == 0) {
            if (!files_read(c)) return send_unavailable(req);
            return send_body(req, c->files[i].content_type, "public, max-age=3600", c->files[i].body, c->files[i].len);
        }
    return -1;
}
