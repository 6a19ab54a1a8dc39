/* request_limits.c: the checks every request passes before its route's handler runs: the number
 * and total size of its header fields (http.max_headers, http.max_header_bytes: 431) and, on
 * HTTP/1.1, conflicting Content-Length headers (400, connection closed).
 *
 * Why a handler of its own, first on every path: h2o 2.2.5 limits HTTP/1.1 heads itself (100
 * header lines, H2O_MAX_HEADERS, and 8192 + 4096 * 100 bytes of request line and headers,
 * H2O_MAX_REQLEN; more gets 400) but has no limit on the header fields of an HTTP/2 request: an
 * HPACK block of up to H2O_MAX_REQLEN bytes may repeat a one-byte reference to a 4 KB dynamic
 * table entry hundreds of thousands of times. h2o decodes a block in one call with no hook before
 * or during it, so the earliest place to refuse is the first handler, once the request exists.
 * The decoded values share the table entry (h2o links, never copies them), so what a request
 * holds is h2o's bookkeeping per field: about 60 bytes (a 16-byte link in 4 KB pool chunks, a
 * 32-byte entry in a header vector that doubles as it grows), ~24 MB for a full block, freed with
 * the request. Measured (2 threads, 4 connections x 10 streams in flight): 30 MB before, 990 MB at
 * the peak, 660 MB kept afterwards. malloc_info shows where: free chunks inside the worker threads'
 * glibc arenas. glibc gives back only the free top of an arena, and the thousands of pool chunks
 * left holes below live allocations; fixed M_MMAP_THRESHOLD/M_TRIM_THRESHOLD settings changed
 * nothing alone (390 MB kept). malloc_trim(0) returns the free pages inside arenas, so a refusal
 * schedules one on its thread 100 ms after the last refusal (then the refused streams are closed
 * and their pools freed), and again when the connection closes. malloc_trim leaves the free top of
 * a thread's arena alone (only free() shrinks it, and only past M_TRIM_THRESHOLD, which glibc's
 * dynamic rule raises to twice the largest mmap()ed block freed, up to 64 MB): measured 23 MB kept
 * from 8 MB. So gg_request_limits_setup_malloc fixes the thresholds at start-up: M_TRIM_THRESHOLD
 * 1 MB (an arena keeps at most 1 MB of free top) and M_MMAP_THRESHOLD 32 MB, the dynamic rule's
 * ceiling, so large blocks still come from the arenas and are reused rather than mapped and
 * faulted in per request. With both: 8.2 MB before an attack of 12 full blocks, 158 MB at its
 * peak, 8.6 MB after. Requests within the limits never trigger a trim, so the memory that normal
 * requests reuse stays where it is.
 *
 * Content-Length: h2o's HTTP/1.1 parser takes the first Content-Length and drops the others
 * unseen, so a request with two different ones is read with one length here and may be read with
 * the other by a proxy in front: request smuggling. The request's raw head is still at the start
 * of the connection's input buffer when the handler runs (h2o consumes it when the request ends),
 * so it is read from there. Identical duplicates are accepted, as RFC 9110 §8.6 allows: every
 * reader agrees on the length. */
#include "internal.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

typedef struct limits_handler {
    h2o_handler_t super;
    const gg_config *cfg;
} limits_handler;

static void send_refusal(h2o_req_t *req, int status, const char *reason, const char *message)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{\"errors\":[{\"message\":");
    gg_json_write_string(&b, message, strlen(message));
    gg_buf_puts(&b, ",\"errorType\":\"BadRequestException\"}]}");
    gg_send_json(req, status, reason, b.data, b.len);
    gg_buf_free(&b);
}

/* The value of one raw header line without its optional white space. */
static h2o_iovec_t trimmed(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return h2o_iovec_init(s, len);
}

/* True when the raw HTTP/1.1 head of req has Content-Length headers with different values. */
static bool has_conflicting_content_length(h2o_req_t *req)
{
    if (req->version >= 0x200 || req->conn->callbacks->get_socket == NULL) return false;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (sock == NULL || sock->input == NULL) return false;
    const char *p = sock->input->bytes, *end = p + sock->input->size;
    const char *line_end = memchr(p, '\n', (size_t)(end - p)); /* skip the request line */
    h2o_iovec_t first = {NULL, 0};
    while (line_end != NULL) {
        p = line_end + 1;
        line_end = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((line_end ? line_end : end) - p);
        if (len == 0 || (len == 1 && p[0] == '\r')) break; /* the end of the head */
        /* the colon and the first letter first: a case-insensitive compare of every line of
         * every request cost ~300 instructions per HTTP/1.1 request */
        if (len < 15 || p[14] != ':' || (p[0] | 0x20) != 'c' || !h2o_lcstris(p, 15, H2O_STRLIT("content-length:")))
            continue;
        h2o_iovec_t value = trimmed(p + 15, len - 15);
        if (first.base == NULL)
            first = value;
        else if (!h2o_memis(first.base, first.len, value.base, value.len))
            return true;
    }
    return false;
}

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer's allocator replaces glibc's, so malloc_trim reaches nothing there (and walks
 * glibc arenas ASan never set up: it crashed once, in mtrim, while the process stopped); this is
 * its equivalent (libasan exports it; GCC 12 ships no header declaring it). */
void __sanitizer_purge_allocator(void);
#endif

static void on_trim(h2o_timeout_entry_t *entry)
{
    (void)entry;
#ifdef __SANITIZE_ADDRESS__
    __sanitizer_purge_allocator();
#else
    malloc_trim(0);
#endif
}

void gg_worker_trim_later(gg_worker *w)
{
    if (w->stopping) /* the loop is being torn down: no new timers */
        return;
    if (h2o_timeout_is_linked(&w->trim_timer)) h2o_timeout_unlink(&w->trim_timer);
    w->trim_timer.cb = on_trim;
    h2o_timeout_link(w->ctx.loop, &w->ctx.hundred_ms_timeout, &w->trim_timer);
}

/* The connection of a refused request: its close callback is chained so that the memory the
 * connection itself grew (the input buffer that held the header blocks) goes back as well. */
typedef struct close_hook {
    void (*cb)(void *data);
    void *data;
    gg_worker *worker;
} close_hook;

static void on_refused_connection_close(void *data)
{
    close_hook hook = *(close_hook *)data;
    free(data);
    if (hook.cb != NULL) hook.cb(hook.data);
    gg_worker_trim_later(hook.worker);
}

/* Returns the memory of a refused request to the system once it is gone: 100 ms after the last
 * refusal on this thread (each refusal moves the trim later), and again when its connection
 * closes. By then the refused streams are closed and their pools freed. */
static void schedule_trim(h2o_req_t *req)
{
    gg_worker *w = gg_worker_of(req);
    gg_worker_trim_later(w);
    h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
    if (sock == NULL || sock->on_close.cb == on_refused_connection_close) return;
    close_hook *hook = malloc(sizeof *hook);
    if (hook == NULL) abort();
    *hook = (close_hook){sock->on_close.cb, sock->on_close.data, w};
    sock->on_close.cb = on_refused_connection_close;
    sock->on_close.data = hook;
}

void gg_request_limits_setup_malloc(void)
{
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024); /* where glibc's dynamic threshold ends up anyway */
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    const gg_config *cfg = ((limits_handler *)self)->cfg;
    size_t count = req->headers.size + (req->input.authority.len > 0);
    size_t bytes = req->input.method.len + req->input.path.len + req->input.authority.len;
    for (size_t i = 0; i < req->headers.size; i++)
        bytes += req->headers.entries[i].name->len + req->headers.entries[i].value.len;
    if (count > cfg->max_headers || bytes > cfg->max_header_bytes) {
        char message[200];
        if (count > cfg->max_headers)
            snprintf(message, sizeof message,
                     "The request has %zu header fields; at most %u are allowed (http.max_headers).", count,
                     cfg->max_headers);
        else
            snprintf(message, sizeof message,
                     "The request's header fields take %zu bytes; at most %u are allowed (http.max_header_bytes).",
                     bytes, cfg->max_header_bytes);
        send_refusal(req, 431, "Request Header Fields Too Large", message);
        schedule_trim(req);
        return 0;
    }
    if (has_conflicting_content_length(req)) {
        req->http1_is_persistent = 0; /* what follows the body cannot be trusted to be a request */
        send_refusal(req, 400, "Bad Request",
                     "The request has Content-Length headers with different values: send one Content-Length.");
        return 0;
    }
    return -1;
}

void gg_request_limits_register(h2o_pathconf_t *pathconf, const gg_config *cfg)
{
    limits_handler *h = (limits_handler *)h2o_create_handler(pathconf, sizeof(limits_handler));
    h->super.on_req = on_req;
    h->cfg = cfg;
}
