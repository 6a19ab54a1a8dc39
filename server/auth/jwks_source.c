/* jwks_source.c: where a provider's keys come from, and how they change while requests run.
 *
 * A file is read once at start. A URL is fetched with libcurl at start (a failure stops start-up
 * with the reason; libcurl is opened with dlopen on the first fetch, not linked: it and the fifteen
 * libraries it needs cost every start of graphgate a few milliseconds in the dynamic loader, and
 * only configurations with a JWKS URL, or an OIDC issuer found through discovery (discovery.c, which
 * fetches with gg_auth_fetch_https too), use it; https only, no redirects, FETCH_TIMEOUT_S, at most
 * GG_JWKS_MAX_BYTES, and auth.jwks_ca_file instead of the system's CAs when it is set), then by one
 * background thread every refresh_s seconds, and early when a
 * token names an unknown kid (gg_jwks_source_request_refresh writes a byte to a non-blocking pipe the thread polls,
 * once until the thread takes it; such fetches are at least min_refetch_s apart, GG_JWKS_MIN_REFETCH_S by default, so a
 * stream of made-up kids cannot make us hammer the host). A failed refresh keeps the last good keys and logs the
 * reason.
 *
 * Readers (event-loop threads) load the current key set through an atomic pointer and never block.
 * Replacing a set is RCU-style: the new set is published with one atomic store and the old one goes
 * on a retired list. A reader uses a set only for the length of one verification, so a set retired
 * for more than RETIRE_GRACE_S seconds can no longer be in use and is freed; the rest are freed
 * with the source. A refresh that returns the same document publishes nothing. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/log.h"
#include "internal.h"

#define RETIRE_GRACE_S 60
#define FETCH_TIMEOUT_S 10

struct gg_jwks_source {
    _Atomic(gg_keyset *) current;
    gg_keyset *retired; /* touched by the refresh thread only (and the destructor) */
    char *url;
    char *ca_file;
    char label[64];
    unsigned refresh_s;
    unsigned min_refetch_s;
    char *last_document; /* the text of the current set, to skip identical refreshes */
    size_t last_document_len;
    atomic_uint loads;
    atomic_bool requested; /* an early fetch was asked and the thread has not started it yet */
    int wake[2];           /* pipe: [0] polled by the thread, [1] written to wake it */
    atomic_bool stop;
    pthread_t thread;
    bool thread_started;
};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct fetch_buffer {
    char *data;
    size_t len;
    bool too_big;
} fetch_buffer;

static size_t fetch_write(char *chunk, size_t size, size_t count, void *user)
{
    fetch_buffer *buf = user;
    size_t n = size * count;
    if (buf->len + n > GG_JWKS_MAX_BYTES) {
        buf->too_big = true;
        return 0;
    }
    char *grown = realloc(buf->data, buf->len + n + 1);
    if (grown == NULL) return 0;
    buf->data = grown;
    memcpy(buf->data + buf->len, chunk, n);
    buf->len += n;
    buf->data[buf->len] = '\0';
    return n;
}

/* The libcurl functions gg_auth_fetch_https calls, from the library opened on first use (curl.h declares
 * their types; the process never links libcurl). */
#define CURL_LIBRARY "libcurl.so.4"
static struct {
    pthread_once_t once;
    bool ok;
    char why[256]; /* when not ok */
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
} curl_library = {.once = PTHREAD_ONCE_INIT};

/* Opens libcurl and initialises it once for the process (never closed: its global state lives
 * until exit, as curl_global_init's did when it was linked). */
static void open_curl_library(void)
{
    void *lib = dlopen(CURL_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(curl_library.why, sizeof curl_library.why,
                 "fetching a JWKS or OpenID discovery URL needs libcurl, which cannot be loaded (%s; Debian package "
                 "libcurl4)",
                 dlerror());
        return;
    }
    *(void **)&curl_library.global_init = dlsym(lib, "curl_global_init");
    *(void **)&curl_library.easy_init = dlsym(lib, "curl_easy_init");
    *(void **)&curl_library.easy_setopt = dlsym(lib, "curl_easy_setopt");
    *(void **)&curl_library.easy_perform = dlsym(lib, "curl_easy_perform");
    *(void **)&curl_library.easy_getinfo = dlsym(lib, "curl_easy_getinfo");
    *(void **)&curl_library.easy_cleanup = dlsym(lib, "curl_easy_cleanup");
    *(void **)&curl_library.easy_strerror = dlsym(lib, "curl_easy_strerror");
    if (!curl_library.global_init || !curl_library.easy_init || !curl_library.easy_setopt ||
        !curl_library.easy_perform || !curl_library.easy_getinfo || !curl_library.easy_cleanup ||
        !curl_library.easy_strerror) {
        snprintf(curl_library.why, sizeof curl_library.why, "%s lacks a function graphgate calls (too old?)",
                 CURL_LIBRARY);
        return;
    }
    if (curl_library.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(curl_library.why, sizeof curl_library.why, "libcurl cannot initialise");
        return;
    }
    curl_library.ok = true;
}

char *gg_auth_fetch_https(const char *url, const char *ca_file, size_t *len, gg_fault *fault)
{
    pthread_once(&curl_library.once, open_curl_library);
    if (!curl_library.ok) {
        gg_fault_set(fault, NULL, "%s: %s", url, curl_library.why);
        return NULL;
    }
    CURL *curl = curl_library.easy_init();
    if (curl == NULL) {
        gg_fault_set(fault, NULL, "cannot start libcurl");
        return NULL;
    }
    char curl_err[CURL_ERROR_SIZE] = "";
    fetch_buffer buf = {0};
    curl_library.easy_setopt(curl, CURLOPT_URL, url);
    curl_library.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_library.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_library.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_library.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_library.easy_setopt(curl, CURLOPT_TIMEOUT, (long)FETCH_TIMEOUT_S);
    curl_library.easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_library.easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_library.easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    curl_library.easy_setopt(curl, CURLOPT_USERAGENT, "graphgate");
    if (ca_file != NULL) curl_library.easy_setopt(curl, CURLOPT_CAINFO, ca_file);
    CURLcode rc = curl_library.easy_perform(curl);
    long status = 0;
    curl_library.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_library.easy_cleanup(curl);
    if (rc != CURLE_OK || status != 200) {
        if (buf.too_big)
            gg_fault_set(fault, NULL, "%s: larger than %d bytes", url, GG_JWKS_MAX_BYTES);
        else if (rc != CURLE_OK)
            gg_fault_set(fault, NULL, "%s: %s", url, curl_err[0] ? curl_err : curl_library.easy_strerror(rc));
        else
            gg_fault_set(fault, NULL, "%s: HTTP status %ld", url, status);
        free(buf.data);
        return NULL;
    }
    if (buf.data == NULL) buf.data = calloc(1, 1);
    *len = buf.len;
    return buf.data;
}

static char *read_file(const char *path, size_t *len, gg_fault *fault)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        gg_fault_set(fault, NULL, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = malloc(GG_JWKS_MAX_BYTES + 1);
    size_t n = data ? fread(data, 1, GG_JWKS_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (data == NULL || n > GG_JWKS_MAX_BYTES) {
        gg_fault_set(fault, NULL, "%s: larger than %d bytes", path, GG_JWKS_MAX_BYTES);
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

static void free_retired(gg_jwks_source *source, bool all)
{
    int64_t now = monotonic_ms() / 1000;
    gg_keyset **link = &source->retired;
    while (*link != NULL) {
        gg_keyset *set = *link;
        if (all || now - set->retired_at > RETIRE_GRACE_S) {
            *link = set->retired_next;
            gg_keyset_free(set);
        } else {
            link = &set->retired_next;
        }
    }
}

/* Parses a document and publishes it; keeps the text to recognise an unchanged refresh. */
static bool publish(gg_jwks_source *source, char *document, size_t len, gg_fault *fault)
{
    if (source->last_document != NULL && len == source->last_document_len &&
        memcmp(document, source->last_document, len) == 0) {
        free(document);
        return true;
    }
    gg_keyset *set = gg_keyset_parse(document, len, fault);
    if (set == NULL) {
        free(document);
        return false;
    }
    gg_keyset *old = atomic_exchange(&source->current, set);
    if (old != NULL) {
        old->retired_at = monotonic_ms() / 1000;
        old->retired_next = source->retired;
        source->retired = old;
    }
    free(source->last_document);
    source->last_document = document;
    source->last_document_len = len;
    atomic_fetch_add(&source->loads, 1);
    return true;
}

static bool refresh(gg_jwks_source *source, gg_fault *fault)
{
    size_t len = 0;
    char *document = gg_auth_fetch_https(source->url, source->ca_file, &len, fault);
    return document != NULL && publish(source, document, len, fault);
}

/* The refresh loop. A wake-up from the pipe asks for an early fetch, made at once unless the last
 * fetch was less than min_refetch_s ago (then when that time is up): requests coalesce, none is lost. */
static void *refresh_thread(void *arg)
{
    gg_jwks_source *source = arg;
    int64_t last_fetch = monotonic_ms(), next_periodic = last_fetch + (int64_t)source->refresh_s * 1000;
    bool early = false;
    while (!atomic_load(&source->stop)) {
        int64_t now = monotonic_ms(), due = next_periodic;
        if (early && last_fetch + (int64_t)source->min_refetch_s * 1000 < due)
            due = last_fetch + (int64_t)source->min_refetch_s * 1000;
        if (now < due) {
            int64_t wait_ms = due - now;
            struct pollfd pfd = {.fd = source->wake[0], .events = POLLIN};
            if (poll(&pfd, 1, wait_ms > 3600000 ? 3600000 : (int)wait_ms) > 0) {
                char drain[64];
                while (read(source->wake[0], drain, sizeof drain) > 0) {
                }
                early = true;
            }
            continue;
        }
        early = false;
        atomic_store(&source->requested, false); /* a request from now on asks for another fetch */
        char text[256];
        gg_fault fault = gg_fault_in(text, sizeof text);
        if (!refresh(source, &fault)) {
            gg_log_field fields[] = {GG_LOG_STRING("source", source->label), GG_LOG_STRING("error", fault.message)};
            gg_log_fields(GG_LOG_WARN, fields, GG_LOG_FIELD_COUNT(fields),
                          "auth: %s JWKS refresh failed, keeping the last good keys: %s", source->label, fault.message);
        }
        free_retired(source, false);
        last_fetch = monotonic_ms();
        next_periodic = last_fetch + (int64_t)source->refresh_s * 1000;
    }
    return NULL;
}

gg_jwks_source *gg_jwks_source_new(const char *file, const char *url, const char *url_name, unsigned refresh_s,
                                   unsigned min_refetch_s, const char *ca_file, const char *label, gg_fault *fault)
{
    gg_jwks_source *source = calloc(1, sizeof *source);
    if (source == NULL) {
        gg_fault_set(fault, NULL, "out of memory");
        return NULL;
    }
    source->wake[0] = source->wake[1] = -1;
    snprintf(source->label, sizeof source->label, "%s", label);
    source->refresh_s = refresh_s > 0 ? refresh_s : 3600;
    source->min_refetch_s = min_refetch_s;
    char reason_text[256];
    gg_fault reason = gg_fault_in(reason_text, sizeof reason_text);
    if (file != NULL && file[0] != '\0') {
        size_t len = 0;
        char *document = read_file(file, &len, &reason);
        if (document == NULL || !publish(source, document, len, &reason)) {
            gg_fault_set(fault, NULL, "%s jwks_file: %s", label, reason.message);
            gg_jwks_source_free(source);
            return NULL;
        }
    }
    if (url != NULL && url[0] != '\0') {
        source->url = strdup(url);
        source->ca_file = ca_file ? strdup(ca_file) : NULL;
        if (!refresh(source, &reason)) {
            gg_fault_set(fault, NULL, "%s %s cannot be loaded at start: %s", label, url_name, reason.message);
            gg_jwks_source_free(source);
            return NULL;
        }
        if (pipe(source->wake) != 0 || fcntl(source->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
            fcntl(source->wake[1], F_SETFL, O_NONBLOCK) != 0 ||
            pthread_create(&source->thread, NULL, refresh_thread, source) != 0) {
            gg_fault_set(fault, NULL, "%s: cannot start the JWKS refresh thread: %s", label, strerror(errno));
            gg_jwks_source_free(source);
            return NULL;
        }
        source->thread_started = true;
    }
    return source;
}

void gg_jwks_source_free(gg_jwks_source *source)
{
    if (source == NULL) return;
    if (source->thread_started) {
        atomic_store(&source->stop, true);
        ssize_t written = write(source->wake[1], "x", 1);
        (void)written;
        pthread_join(source->thread, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (source->wake[i] >= 0) close(source->wake[i]);
    free_retired(source, true);
    gg_keyset_free(atomic_load(&source->current));
    free(source->last_document);
    free(source->url);
    free(source->ca_file);
    free(source);
}

const gg_keyset *gg_jwks_source_current(gg_jwks_source *source)
{
    return source != NULL ? atomic_load_explicit(&source->current, memory_order_acquire) : NULL;
}

void gg_jwks_source_request_refresh(gg_jwks_source *source)
{
    if (source == NULL || !source->thread_started || atomic_exchange(&source->requested, true))
        return;                                       /* no URL, or already asked: the thread coalesces requests */
    ssize_t written = write(source->wake[1], "x", 1); /* non-blocking; a full pipe already wakes it */
    (void)written;
}

unsigned gg_jwks_source_loads(const gg_jwks_source *source)
{
    return source ? atomic_load(&source->loads) : 0;
}
