/* server.c: listeners, TLS/ALPN, worker threads, routes, health endpoints, graceful shutdown.
 *
 * Listening sockets are bound once here (so a port conflict stops start-up with a clear message,
 * and no stale process can silently share the port the way SO_REUSEPORT would let it); each
 * worker wraps its own dup() of them, because h2o_socket_close closes the fd it wraps, and every
 * loop races for new connections (the losers get EAGAIN from accept4). Workers accept themselves
 * (as h2o_evloop_socket_accept would) so that they know each connection's fd; when descriptors or
 * kernel memory run out, a worker stops reading its listeners for ACCEPT_PAUSE_MS instead of
 * spinning on a listener that stays readable, and counts it (accept_*_total, for /metrics).
 * TLS follows tls.min_version and tls.ciphers; the default is forward secrecy only (TLS 1.2 ECDHE
 * with AES-GCM or ChaCha20, and TLS 1.3).
 * Cleartext listeners speak HTTP/1.1 and HTTP/2 with prior knowledge or Upgrade: h2c; TLS
 * listeners negotiate h2 or http/1.1 with ALPN. Shutdown follows c-platform-notes §4: close the
 * listeners, h2o_context_request_shutdown (GOAWAY; HTTP/1.1 stops keep-alive for new requests),
 * then drain: h2o 2.2.5 leaves idle HTTP/1.1 keep-alive connections open, so connections that
 * stay quiet while no request is in flight are shut down after DRAIN_IDLE_MS, and all of them at
 * http.shutdown_timeout_ms. Teardown then runs in the one order h2o accepts, the worker's
 * PostgreSQL pool first (its sockets live on the loop). */
#define _GNU_SOURCE /* accept4 */
#include "internal.h"
#include "generation.h"
#include "persisted_queries.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "host.h"
#include "console.h"
#include "metrics/endpoint.h"
#include "metrics/metrics.h"
#include "realtime/pubsub.h"

#include <h2o/http1.h>
#include <h2o/http2.h>

/* ---- listeners ---- */

/* key: the configuration key naming hostport, for the message when it cannot be bound. */
static int bind_listener(const char *hostport, const char *key, char *bound, size_t bound_len, gg_fault *fault)
{
    char host[128];
    const char *colon = strrchr(hostport, ':');
    size_t hlen = (size_t)(colon - hostport);
    if (hlen >= sizeof host) hlen = sizeof host - 1;
    memcpy(host, hostport, hlen);
    host[hlen] = '\0';
    if (host[0] == '[' && hlen >= 2 && host[hlen - 1] == ']') { /* [::1]:8080 */
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
    if (rc != 0) {
        gg_fault_set(fault, NULL, "cannot resolve %s (key \"%s\"): %s", hostport, key, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        gg_fault_set(fault, NULL, "cannot listen on %s (key \"%s\"): %s", hostport, key, strerror(errno));
        if (fd >= 0) close(fd);
        freeaddrinfo(res);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    char numhost[NI_MAXHOST], port[NI_MAXSERV];
    getnameinfo((struct sockaddr *)&ss, sl, numhost, sizeof numhost, port, sizeof port,
                NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(bound, bound_len, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", numhost, port);
    freeaddrinfo(res);
    return fd;
}

/* OpenSSL skips the unknown names of a cipher string as long as one is known, so a typo would go
 * unnoticed: each element that adds ciphers (not "!X", "-X", "+X", "@X") must select one alone. */
static bool check_cipher_elements(SSL_CTX *c, const char *ciphers, gg_fault *fault)
{
    char *copy = strdup(ciphers);
    if (copy == NULL) abort();
    bool ok = true;
    char *rest = copy;
    for (char *element; ok && (element = strtok_r(rest, ":, ", &rest)) != NULL;) {
        if (strchr("!-+@", element[0]) != NULL) continue;
        if (SSL_CTX_set_cipher_list(c, element) != 1) {
            ERR_clear_error();
            gg_fault_set(fault, NULL, "key \"tls.ciphers\": \"%s\" selects no cipher this OpenSSL knows (%s)", element,
                         strncmp(element, "TLS_", 4) == 0 ? "TLS 1.3 suites are not chosen here: OpenSSL's are used"
                                                          : "openssl ciphers -v lists them");
            ok = false;
        }
    }
    free(copy);
    return ok;
}

/* The TLS policy: tls.min_version and tls.ciphers (the TLS 1.2 suites; the string as a whole must
 * leave one). TLS 1.3 keeps OpenSSL's suites (all AEAD, all forward secret). */
static bool set_tls_policy(SSL_CTX *c, const gg_config *cfg, gg_fault *fault)
{
    int min_version = strcmp(cfg->tls_min_version, "1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_set_min_proto_version(c, min_version) != 1) {
        gg_fault_set(fault, NULL, "key \"tls.min_version\": %s is not supported by this OpenSSL", cfg->tls_min_version);
        return false;
    }
    if (!check_cipher_elements(c, cfg->tls_ciphers, fault)) return false;
    if (SSL_CTX_set_cipher_list(c, cfg->tls_ciphers) != 1) { /* fails when no TLS 1.2 suite is left */
        ERR_clear_error();
        gg_fault_set(fault, NULL, "key \"tls.ciphers\": \"%s\" enables no TLS 1.2 cipher (openssl ciphers -v)",
                     cfg->tls_ciphers);
        return false;
    }
    return true;
}

static SSL_CTX *make_ssl_ctx(const gg_config *cfg, gg_fault *fault)
{
    SSL_CTX *c = SSL_CTX_new(TLS_server_method());
    if (c == NULL) {
        gg_fault_set(fault, NULL, "TLS: cannot create a context");
        return NULL;
    }
    SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (!set_tls_policy(c, cfg, fault)) {
        SSL_CTX_free(c);
        return NULL;
    }
    if (cfg->tls_listen[0] == '\0') /* gg_server_check_tls without a TLS listener: the policy only */
        return c;
    if (SSL_CTX_use_certificate_chain_file(c, cfg->tls_cert_file) != 1) {
        gg_fault_set(fault, NULL, "key \"tls.cert_file\": %s is not a usable PEM certificate", cfg->tls_cert_file);
        SSL_CTX_free(c);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(c, cfg->tls_key_file, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(c) != 1) {
        gg_fault_set(fault, NULL, "key \"tls.key_file\": %s is not the PEM private key of the certificate",
                     cfg->tls_key_file);
        SSL_CTX_free(c);
        return NULL;
    }
    h2o_ssl_register_alpn_protocols(c, h2o_http2_alpn_protocols);
    return c;
}

bool gg_server_check_tls(const gg_config *cfg, gg_fault *fault)
{
    /* Without a TLS listener the policy is unused and checked only for what an operator wrote: the
     * defaults pass with every TLS listener the tests start, and setting up OpenSSL's TLS (its
     * configuration, providers and cipher tables: some 180 page faults) is then spared at start-up. */
    if (cfg->tls_listen[0] == '\0' && gg_config_string_is_default(cfg, "tls.min_version") &&
        gg_config_string_is_default(cfg, "tls.ciphers"))
        return true;
    SSL_CTX *c = make_ssl_ctx(cfg, fault);
    SSL_CTX_free(c);
    return c != NULL;
}

/* ---- small handlers: health, readiness, not found ---- */

void gg_send_json(h2o_req_t *req, int status, const char *reason, const char *body, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    h2o_iovec_t buf = h2o_strdup(&req->pool, body, len);
    req->res.status = status;
    req->res.reason = reason;
    req->res.content_length = buf.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/json; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_start_response(req, &generator);
    h2o_send(req, &buf, 1, H2O_SEND_STATE_FINAL);
}

static int on_healthz(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    gg_send_json(req, 200, "OK", "{\"status\":\"ok\"}\n", SIZE_MAX);
    return 0;
}

/* The read replica's part of /readyz: `,"replica":"ok","replica_lag_ms":N` (or lagging; connecting
 * while this thread's pool on it has no connection yet; unreachable, without a lag), "" without
 * one. Its state never makes graphgate unready: reads then go to the primary. */
static const char *replica_status(const gg_server *s, const gg_worker *w, char *buf, size_t len)
{
    if (s->replica == NULL) return "";
    unsigned lag = 0;
    gg_pg_replica_state state = gg_pg_replica_status(s->replica, &lag);
    const gg_pg_pool *pool = w->context.pg.read_pool;
    if (state == GG_PG_REPLICA_UNREACHABLE)
        snprintf(buf, len, ",\"replica\":\"unreachable\"");
    else if (state == GG_PG_REPLICA_OK && (pool == NULL || gg_pg_pool_ready(pool) == 0))
        snprintf(buf, len, ",\"replica\":\"connecting\",\"replica_lag_ms\":%u", lag);
    else
        snprintf(buf, len, ",\"replica\":\"%s\",\"replica_lag_ms\":%u", state == GG_PG_REPLICA_OK ? "ok" : "lagging",
                 lag);
    return buf;
}

/* Whether every worker's pool has a ready connection (each pool keeps its worker's count). */
static bool every_pool_connected(const gg_server *s)
{
    for (unsigned i = 0; i < s->worker_count; i++)
        if (atomic_load_explicit(&s->workers[i].pool_ready, memory_order_relaxed) <= 0) return false;
    return true;
}

/* Ready: the schema is loaded, the listeners accept, the probe reaches the database, every thread's
 * pool has a connection and the @model tables' column types were read, so a query can be served
 * whichever thread takes it (README, Operations). */
static int on_readyz(h2o_handler_t *self, h2o_req_t *req)
{
    gg_server *s = ((gg_route *)self)->server;
    gg_worker *w = gg_worker_of(req);
    char replica_buf[96], body[256];
    const char *replica = replica_status(s, w, replica_buf, sizeof replica_buf);
    if (atomic_load(&s->shutting_down)) {
        gg_send_json(req, 503, "Service Unavailable", "{\"status\":\"shutting down\",\"schema\":\"loaded\"}\n",
                     SIZE_MAX);
    } else if (!gg_pg_readiness_ok(s->readiness) || (s->use_database && !every_pool_connected(s))) {
        snprintf(body, sizeof body,
                 "{\"status\":\"unavailable\",\"schema\":\"loaded\",\"database\":\"unreachable\"%s}\n", replica);
        gg_send_json(req, 503, "Service Unavailable", body, SIZE_MAX);
    } else if (atomic_load(&s->column_types_unread)) { /* main reloads to read them (server/main.c) */
        snprintf(body, sizeof body,
                 "{\"status\":\"unavailable\",\"schema\":\"loaded\",\"database\":\"ok\",\"column_types\":"
                 "\"not read yet\"%s}\n",
                 replica);
        gg_send_json(req, 503, "Service Unavailable", body, SIZE_MAX);
    } else {
        if (!atomic_exchange(&s->ready_answered, true)) gg_log_startup_step("first /readyz 200");
        snprintf(body, sizeof body, "{\"status\":\"ready\",\"schema\":\"loaded\",\"database\":\"%s\"%s}\n",
                 s->cfg->database_url[0] ? "ok" : "not configured", replica);
        gg_send_json(req, 200, "OK", body, SIZE_MAX);
    }
    return 0;
}

static int on_not_found(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    gg_send_json(req, 404, "Not Found", "{\"errors\":[{\"message\":\"Not Found\"}]}\n", SIZE_MAX);
    return 0;
}

static h2o_pathconf_t *add_route(gg_server *s, h2o_hostconf_t *host, const char *path,
                                 int (*on_req)(h2o_handler_t *, h2o_req_t *))
{
    h2o_pathconf_t *pc = h2o_config_register_path(host, path, 0);
    gg_request_limits_register(pc, s->cfg); /* first: header limits, conflicting Content-Length */
    gg_route *r = (gg_route *)h2o_create_handler(pc, sizeof(gg_route));
    r->super.on_req = on_req;
    r->server = s;
    if (s->cfg->access_log) gg_access_log_register(pc);
    return pc;
}

/* The metrics.listen listener's own routes: metrics.path, everything else 404. */
static void add_metrics_host(gg_server *s)
{
    h2o_config_init(&s->metrics_h2o);
    s->metrics_h2o_ready = true;
    h2o_hostconf_t *host = h2o_config_register_host(&s->metrics_h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    add_route(s, host, s->cfg->metrics_path, gg_metrics_on_req);
    add_route(s, host, "/", on_not_found);
}

/* <graphql_path>/console/: the console's scripts and styles, gzipped by h2o for clients that take it
 * (GraphiQL's script is 3.5 MB). Registered before the GraphQL path, whose prefix it shares: h2o
 * takes the first path that matches. The page itself is the GraphQL path's (graphql_handler.c). */
static int on_console_asset(h2o_handler_t *self, h2o_req_t *req)
{
    gg_server *s = ((gg_route *)self)->server;
    if (gg_console_send_asset(s->console, req) == 0) return 0;
    gg_send_json(req, 404, "Not Found", "{\"errors\":[{\"message\":\"Not Found\"}]}\n", SIZE_MAX);
    return 0;
}

static bool add_console(gg_server *s, h2o_hostconf_t *host, gg_fault *fault)
{
    if ((s->console = gg_console_load(s->cfg->graphql_path, fault)) == NULL) return false;
    h2o_pathconf_t *assets = add_route(s, host, gg_console_route(s->console), on_console_asset);
    h2o_compress_args_t gzip = {.min_size = 1024, .gzip = {.quality = 1}, .brotli = {.quality = -1}};
    h2o_compress_register(assets, &gzip);
    return true;
}

/* ---- server ---- */

gg_server *gg_server_create(const gg_config *cfg, gg_gateway *gateway, gg_pg_readiness *readiness, gg_fault *fault)
{
    gg_server *s = calloc(1, sizeof *s);
    if (s == NULL) abort();
    s->cfg = cfg;
    s->readiness = readiness;
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++)
        s->listeners[i].fd = -1;
    if (cfg->tls_listen[0] != '\0' && (s->ssl_ctx = make_ssl_ctx(cfg, fault)) == NULL) {
        free(s);
        return NULL;
    }
    const char *addrs[GG_MAX_LISTENERS] = {cfg->listen, cfg->tls_listen,
                                           cfg->metrics_enabled ? cfg->metrics_listen : ""};
    const char *keys[GG_MAX_LISTENERS] = {"listen", "tls.listen", "metrics.listen"};
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++) {
        if (addrs[i][0] == '\0') continue;
        gg_listener *l = &s->listeners[s->listener_count];
        l->tls = i == 1;
        l->metrics_only = i == 2;
        l->fd = bind_listener(addrs[i], keys[i], l->address, sizeof l->address, fault);
        if (l->fd < 0) {
            gg_server_free(s);
            return NULL;
        }
        s->listener_count++;
    }

    gg_request_limits_setup_malloc();
    h2o_config_init(&s->h2o);
    s->h2o_ready = true;
    s->h2o.server_name = h2o_iovec_init(H2O_STRLIT("graphgate"));
    s->h2o.max_request_entity_size = cfg->max_body_bytes;
    s->h2o.http1.req_timeout = cfg->header_timeout_ms;
    s->h2o.http2.idle_timeout = cfg->idle_timeout_ms;
    s->h2o.http2.graceful_shutdown_timeout = cfg->shutdown_timeout_ms;
    s->h2o.http2.max_concurrent_requests_per_connection = cfg->max_concurrent_streams;
    h2o_hostconf_t *host = h2o_config_register_host(&s->h2o, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    if (cfg->console && !add_console(s, host, fault)) {
        gg_server_free(s);
        return NULL;
    }
    h2o_pathconf_t *graphql = add_route(s, host, cfg->graphql_path, gg_graphql_on_req);
    if (cfg->gzip_min_bytes > 0) { /* the handler says which answers (graphql_handler.c, send_body) */
        h2o_compress_args_t gzip = {.min_size = cfg->gzip_min_bytes, .gzip = {.quality = 1}, .brotli = {.quality = -1}};
        h2o_compress_register(graphql, &gzip);
    }
    add_route(s, host, "/healthz", on_healthz);
    add_route(s, host, "/readyz", on_readyz);
    if (cfg->log_slow_request_ms > 0) gg_slow_request_log_register(graphql, cfg->log_slow_request_ms);
    if (cfg->metrics_enabled) {
        gg_metrics_enable();
        gg_metrics_register_logger(graphql);
        if (cfg->metrics_listen[0] == '\0')
            add_route(s, host, cfg->metrics_path, gg_metrics_on_req);
        else
            add_metrics_host(s);
    }
    add_route(s, host, "/", on_not_found);
    if (cfg->access_log) /* errors h2o sends before routing (413, 400) use the fallback path */
        gg_access_log_register(&host->fallback_path);
    gg_server_first_generation(s, gateway);
    return s;
}

void gg_server_announce(const gg_server *s)
{
    for (unsigned i = 0; i < s->listener_count; i++) {
        char url[512];
        snprintf(url, sizeof url, "%s://%s%s", s->listeners[i].tls ? "https" : "http", s->listeners[i].address,
                 s->listeners[i].metrics_only ? s->cfg->metrics_path : s->cfg->graphql_path);
        gg_log_field fields[] = {GG_LOG_STRING("url", url)};
        gg_log_fields(GG_LOG_INFO, fields, GG_LOG_FIELD_COUNT(fields), "listening on %s", url);
    }
}

/* ---- workers ---- */

static void on_conn_close(void *data)
{
    gg_conn_track *t = data;
    h2o_linklist_unlink(&t->link);
    t->sock = NULL;
    if (t->executions == 0) /* else the last execution frees it */
        free(t);
}

gg_conn_track *gg_conn_of(h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket ? req->conn->callbacks->get_socket(req->conn) : NULL;
    return sock != NULL && sock->on_close.cb == on_conn_close ? sock->on_close.data : NULL;
}

void gg_conn_execution_done(gg_conn_track *t)
{
    if (--t->executions == 0 && t->sock == NULL) free(t);
}

static void on_accept(h2o_socket_t *listener, const char *err);

static void set_accepting(gg_worker *w, bool on)
{
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++) {
        if (w->listeners[i] == NULL) continue;
        if (on)
            h2o_socket_read_start(w->listeners[i], on_accept);
        else
            h2o_socket_read_stop(w->listeners[i]);
    }
}

static void on_accept_resume(h2o_timeout_entry_t *entry)
{
    gg_worker *w = H2O_STRUCT_FROM_MEMBER(gg_worker, accept_resume, entry);
    if (!w->stopping) set_accepting(w, true);
}

/* accept(2) failed for want of descriptors or memory: the connection stays in the backlog and the
 * listener stays readable, so reading it again at once would spin. The listeners rest for
 * ACCEPT_PAUSE_MS. The first pause of a burst is logged, at most once per ACCEPT_PAUSE_LOG_MS
 * for the whole server. */
#define ACCEPT_PAUSE_MS 100
#define ACCEPT_PAUSE_LOG_MS 10000
static void pause_accepting(gg_worker *w, int error)
{
    uint64_t pauses = atomic_fetch_add_explicit(&w->accept_pauses_total, 1, memory_order_relaxed) + 1;
    set_accepting(w, false);
    h2o_timeout_link(w->loop, &w->accept_pause_timeout, &w->accept_resume);
    if (w->accept_burst) return;
    w->accept_burst = true;
    uint_fast64_t now = h2o_now(w->loop);
    uint_fast64_t last = atomic_load_explicit(&w->server->accept_pause_logged_ms, memory_order_relaxed);
    if ((last == 0 || now - last >= ACCEPT_PAUSE_LOG_MS) &&
        atomic_compare_exchange_strong(&w->server->accept_pause_logged_ms, &last, now))
        gg_log_warn("thread %u: cannot accept connections (%s): accepting pauses %d ms at a time "
                    "(pauses on this thread: %llu)",
                    w->index, strerror(error), ACCEPT_PAUSE_MS, (unsigned long long)pauses);
}

/* Accepts like h2o_evloop_socket_accept does (accept4, TCP_NODELAY), but keeps the fd so the
 * drain can shut an idle connection down; the losers of the race among loops get EAGAIN. */
static void on_accept(h2o_socket_t *listener, const char *err)
{
    gg_worker *w = H2O_STRUCT_FROM_MEMBER(gg_worker, ctx, ((h2o_accept_ctx_t *)listener->data)->ctx);
    if (err != NULL) return;
    int listen_fd = -1;
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++)
        if (w->listeners[i] == listener) listen_fd = w->listen_fds[i];
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        if (error == EAGAIN || error == EWOULDBLOCK) return;
        atomic_fetch_add_explicit(&w->accept_errors_total, 1, memory_order_relaxed);
        if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) pause_accepting(w, error);
        return; /* the others (ECONNABORTED, EPROTO, ...) concern that one connection */
    }
    w->accept_burst = false;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    h2o_socket_t *sock = h2o_evloop_socket_create(w->loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
    gg_conn_track *t = calloc(1, sizeof *t);
    if (t == NULL) abort();
    t->sock = sock;
    t->fd = fd;
    t->last_activity = h2o_now(w->loop);
    h2o_linklist_insert(&w->conns, &t->link);
    sock->on_close.cb = on_conn_close;
    sock->on_close.data = t;
    h2o_accept(listener->data, sock);
}

void gg_server_accept_counters(const gg_server *s, uint64_t *errors_total, uint64_t *pauses_total)
{
    *errors_total = 0;
    *pauses_total = 0;
    for (unsigned i = 0; i < s->worker_count; i++) {
        *errors_total += atomic_load_explicit(&s->workers[i].accept_errors_total, memory_order_relaxed);
        *pauses_total += atomic_load_explicit(&s->workers[i].accept_pauses_total, memory_order_relaxed);
    }
}

static void request_done(void *p)
{
    gg_worker *w = *(gg_worker **)p;
    if (--w->inflight == 0) gg_worker_trim_later(w); /* idle: give back what the burst used */
}

void gg_worker_track_request(h2o_req_t *req)
{
    gg_worker *w = gg_worker_of(req);
    gg_worker **slot = h2o_mem_alloc_shared(&req->pool, sizeof(gg_worker *), request_done);
    *slot = w;
    w->inflight++;
}

/* One drain step: shut down connections that are idle (no request in flight on this thread and
 * no bytes moved for DRAIN_IDLE_MS), or all of them once the deadline has passed. The loop then
 * sees the end of each connection and h2o closes it normally. */
#define DRAIN_IDLE_MS 1000
static void drain_step(gg_worker *w, bool deadline_passed)
{
    uint64_t now = h2o_now(w->loop);
    for (h2o_linklist_t *l = w->conns.next; l != &w->conns; l = l->next) {
        gg_conn_track *t = H2O_STRUCT_FROM_MEMBER(gg_conn_track, link, l);
        if (t->sock->bytes_read != t->last_read || t->sock->bytes_written != t->last_written) {
            t->last_read = t->sock->bytes_read;
            t->last_written = t->sock->bytes_written;
            t->last_activity = now;
        }
        bool idle = w->inflight == 0 && now - t->last_activity >= DRAIN_IDLE_MS;
        if (!t->shut && (idle || deadline_passed)) {
            shutdown(t->fd, SHUT_RDWR);
            t->shut = true;
        }
    }
}

static void close_listeners(gg_worker *w)
{
    if (h2o_timeout_is_linked(&w->accept_resume)) h2o_timeout_unlink(&w->accept_resume);
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++) {
        if (w->listeners[i] != NULL) {
            h2o_socket_read_stop(w->listeners[i]);
            h2o_socket_close(w->listeners[i]);
            w->listeners[i] = NULL;
        }
    }
}

static void on_ctl_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    gg_worker *w = H2O_STRUCT_FROM_MEMBER(gg_worker, ctl_receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_linklist_unlink(messages->next);
        if (!w->stopping) {
            w->stopping = true;
            close_listeners(w);
            h2o_context_request_shutdown(&w->ctx);
            gg_rt_hub_shutdown(w->realtime); /* websockets get 1001 */
        }
    }
}

static bool has_connections(gg_worker *w)
{
    return !h2o_linklist_is_empty(&w->ctx.http1._conns) || !h2o_linklist_is_empty(&w->ctx.http2._conns);
}

/* The worker's PostgreSQL pool on its own loop; it connects in the background (never blocking). */
#define POOL_START_WAIT_MS 5000
static void open_pool(gg_worker *w)
{
    const gg_config *cfg = w->server->cfg;
    gg_pg_pool_config pc = {.conninfo = cfg->database_url,
                            .size = cfg->db_pool_size,
                            .statement_timeout_ms = cfg->db_statement_timeout_ms,
                            .reconnect_interval_ms = cfg->db_reconnect_interval_ms,
                            .wait_ms = cfg->db_connection_wait_ms,
                            .max_prepared_statements = cfg->db_max_prepared_statements,
                            .never_prepare = cfg->db_max_prepared_statements == 0,
                            .pooled = strcmp(cfg->db_pooler, "pgbouncer-transaction") == 0,
                            .early = w->server->early,
                            .early_index = w->index,
                            .ready_count = &w->pool_ready};
    gg_fault fault = {0};
    /* Before the listeners open, the pool gets its first connection (the others keep connecting on
     * the loop), so the first requests do not meet a pool that cannot serve. A database that does
     * not answer in time only delays start-up: its requests wait for a connection up to
     * database.connection_wait_ms, then get ServiceUnavailable, until the pool reconnects. */
    w->context.pg.pool = gg_pg_pool_open((h2o_loop_t *)w->loop, &pc, POOL_START_WAIT_MS, &fault);
    w->context.pg.cursor_key = &w->server->cursor_key;
    /* committed mutations hand their events to this thread's pubsub (subscriptions listen there) */
    w->context.pg.pubsub = gg_pubsub_create();
    if (w->context.pg.pool == NULL) {
        gg_log_error("thread %u: no PostgreSQL pool: %s", w->index, fault.message ? fault.message : "unknown error");
        return;
    }
    gg_log_startup_step("thread %u: %u of %u PostgreSQL connections ready", w->index,
                        gg_pg_pool_ready(w->context.pg.pool), cfg->db_pool_size);
    if (gg_pg_pool_ready(w->context.pg.pool) == 0) {
        const char *why = gg_pg_pool_last_error(w->context.pg.pool);
        gg_log_warn("thread %u: the database is not reachable yet (%.*s); requests get "
                    "ServiceUnavailable until it is",
                    w->index, (int)strcspn(why, "\n"), why);
    }
    if (w->server->replica == NULL) return;
    /* the replica's pool: reads use it while the monitor says so; an unreachable replica (the
     * monitor logged it) does not delay start-up */
    pc.conninfo = cfg->database_read_url;
    pc.early = NULL;
    pc.ready_count = NULL;
    pc.wait_ms = 0; /* a read finding the replica's pool not ready goes to the primary at once (replica.c) */
    bool reachable = gg_pg_replica_status(w->server->replica, NULL) != GG_PG_REPLICA_UNREACHABLE;
    w->context.pg.read_pool = gg_pg_pool_open((h2o_loop_t *)w->loop, &pc, reachable ? POOL_START_WAIT_MS : 0, &fault);
    w->context.pg.replica = w->server->replica;
    if (w->context.pg.read_pool == NULL)
        gg_log_error("thread %u: no pool on the read replica: %s", w->index, fault.message ? fault.message : "?");
}

static void *worker_main(void *arg)
{
    gg_worker *w = arg;
    gg_server *s = w->server;
    gg_metrics_thread_attach(); /* this thread's counters (when metrics are enabled) */
    w->loop = h2o_evloop_create();
    h2o_context_init(&w->ctx, w->loop, &s->h2o);
    gg_plugins_loop_attach(w->loop); /* blocking resolvers' answers come back to this loop */
    char why[1024];
    w->view = gg_view_new(w, s->current, GG_FAULT_INTO(why)); /* the plugins' per-thread state, the caches */
    bool plugins_ready = w->view != NULL;
    if (!plugins_ready) { /* this thread accepts nothing; main stops the server */
        gg_log_error("thread %u: %s", w->index, why);
        atomic_store(&s->thread_start_failed, true);
    }
    if (s->cfg->request_timeout_ms > 0) h2o_timeout_init(w->loop, &w->request_deadline, s->cfg->request_timeout_ms);
    w->persisted_queries = gg_persisted_queries_new(s->cfg->persisted_queries);
    gg_log_startup_step("thread %u: event loop set up", w->index);
    if (s->use_database) open_pool(w);
    h2o_multithread_register_receiver(w->ctx.queue, &w->ctl_receiver, on_ctl_message);
    gg_worker_reload_setup(w);
    gg_rt_hub_setup rt = {.cfg = s->cfg,
                          .hold_current = gg_view_hold_for_websocket,
                          .user = w,
                          .context = &w->context,
                          .pubsub = w->context.pg.pubsub,
                          .fanout = s->realtime,
                          .index = w->index,
                          .ctx = &w->ctx};
    w->realtime = gg_rt_hub_new(&rt);
    h2o_linklist_init_anchor(&w->conns);
    h2o_timeout_init(w->ctx.loop, &w->accept_pause_timeout, ACCEPT_PAUSE_MS);
    w->accept_resume.cb = on_accept_resume;
    for (unsigned i = 0; i < s->listener_count; i++) {
        w->accept_ctx[i].ctx = &w->ctx;
        w->accept_ctx[i].hosts = s->listeners[i].metrics_only ? s->metrics_h2o.hosts : s->h2o.hosts;
        w->accept_ctx[i].ssl_ctx = s->listeners[i].tls ? s->ssl_ctx : NULL;
        w->listen_fds[i] = dup(s->listeners[i].fd);
        w->listeners[i] = h2o_evloop_socket_create(w->loop, w->listen_fds[i], H2O_SOCKET_FLAG_DONT_READ);
        w->listeners[i]->data = &w->accept_ctx[i];
        if (plugins_ready) h2o_socket_read_start(w->listeners[i], on_accept);
    }
    h2o_barrier_wait(&s->started);

    while (!w->stopping)
        h2o_evloop_run(w->loop, INT32_MAX);
    uint64_t deadline = h2o_now(w->loop) + s->cfg->shutdown_timeout_ms;
    uint64_t give_up = deadline + 2000; /* after shutdown(2), h2o needs a few turns to close */
    while ((has_connections(w) || !h2o_linklist_is_empty(&w->conns)) && h2o_now(w->loop) < give_up) {
        drain_step(w, h2o_now(w->loop) >= deadline);
        h2o_evloop_run(w->loop, 50);
    }

    gg_plugins_loop_detach();    /* blocking calls in flight come back (or fail) while everything they use exists */
    gg_rt_hub_free(w->realtime); /* before the pool and the pubsub it listens to */
    w->realtime = NULL;
    if (w->context.pg.read_pool != NULL) { /* its reads in flight are lost, then sent to the primary: first */
        gg_pg_pool_destroy(w->context.pg.read_pool);
        w->context.pg.read_pool = NULL;
    }
    if (w->context.pg.pool != NULL) { /* queries still in flight are answered (lost) before it closes */
        gg_pg_pool_destroy(w->context.pg.pool);
        w->context.pg.pool = NULL;
    }
    gg_pubsub_destroy(w->context.pg.pubsub);
    w->context.pg.pubsub = NULL;
    if (s->cfg->request_timeout_ms > 0) /* every execution has completed: their deadlines are unlinked */
        h2o_timeout_dispose(w->loop, &w->request_deadline);
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->ctl_receiver);
    gg_worker_reload_teardown(w);
    if (h2o_timeout_is_linked(&w->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&w->ctx.http2._graceful_shutdown_timeout);
    h2o_timeout_dispose(w->ctx.loop, &w->accept_pause_timeout); /* close_listeners unlinked the resume */
    if (h2o_timeout_is_linked(&w->trim_timer)) h2o_timeout_unlink(&w->trim_timer);
    h2o_multithread_queue_t *queue = w->ctx.queue;
    h2o_context_dispose(&w->ctx); /* destroys the queue but, with evloop, never frees it */
    h2o_evloop_run(w->loop, 0);
    free(queue);
    h2o_evloop_destroy(w->loop);
    gg_view_release(w->view); /* after the loop: every request, execution and websocket has ended, so this is
                               * the last hold (the plugins' per-thread stop) */
    gg_persisted_queries_free(w->persisted_queries);
    gg_metrics_thread_detach();
    return NULL;
}

void gg_server_use_database(gg_server *s, const gg_cursor_key *cursor_key)
{
    s->use_database = true;
    s->cursor_key = *cursor_key;
}

void gg_server_use_early_connections(gg_server *s, gg_pg_early *early)
{
    s->early = early;
}

void gg_server_use_replica(gg_server *s, const gg_pg_replica *replica)
{
    s->replica = replica;
}

void gg_server_use_auth(gg_server *s, gg_auth_verifier *verifier)
{
    gg_server_first_verifier(s, verifier);
}

bool gg_server_start(gg_server *s, unsigned threads)
{
    s->worker_count = threads;
    gg_plugins_workers_configure(s->cfg->plugins_worker_threads);
    s->workers = calloc(threads, sizeof(gg_worker));
    if (s->workers == NULL) abort();
    h2o_barrier_init(&s->started, threads + 1);
    s->realtime = gg_rt_fanout_new(threads, s->cfg->rt_max_connections);
    if (s->use_database && strcmp(s->cfg->rt_bus, "postgres") == 0) { /* before the hubs publish on it */
        /* LISTEN needs a session: through a transaction pooler it would listen on whichever server
         * connection ran it, so the bus takes database.listen_url (PostgreSQL itself) when set */
        const char *listen_url =
            s->cfg->database_listen_url[0] != '\0' ? s->cfg->database_listen_url : s->cfg->database_url;
        if (listen_url == s->cfg->database_url && strcmp(s->cfg->db_pooler, "none") != 0)
            gg_log_warn("database.pooler is %s but database.listen_url is not set: the realtime bus cannot LISTEN "
                        "through a transaction pooler, subscriptions get only this instance's events until "
                        "database.listen_url names PostgreSQL itself",
                        s->cfg->db_pooler);
        gg_bus_postgres_config bc = {.conninfo = listen_url,
                                     .channel = s->cfg->rt_bus_channel,
                                     .reconnect_max_ms = s->cfg->db_reconnect_interval_ms,
                                     .statement_timeout_ms = s->cfg->db_statement_timeout_ms};
        s->bus = gg_bus_postgres_start(&bc, gg_rt_fanout_deliver, s->realtime);
        gg_rt_fanout_use_bus(s->realtime, s->bus);
    } else if (strcmp(s->cfg->rt_bus, "nats") == 0) {
        gg_bus_nats_config bc = {.urls = s->cfg->rt_nats_url,
                                 .channel = s->cfg->rt_bus_channel,
                                 .max_event_bytes = s->cfg->rt_max_message_bytes};
        s->bus = gg_bus_nats_start(&bc, gg_rt_fanout_deliver, s->realtime);
        gg_rt_fanout_use_bus(s->realtime, s->bus);
    }
    for (unsigned i = 0; i < threads; i++) {
        s->workers[i].server = s;
        s->workers[i].index = i;
        if (pthread_create(&s->workers[i].thread, NULL, worker_main, &s->workers[i]) != 0) {
            gg_log_error("cannot start thread %u: %s", i, strerror(errno));
            abort();
        }
    }
    h2o_barrier_wait(&s->started);
    return !atomic_load(&s->thread_start_failed);
}

void gg_server_stop(gg_server *s)
{
    atomic_store(&s->shutting_down, true);
    for (unsigned i = 0; i < s->listener_count; i++) { /* the workers close their dup()s: then no one listens */
        close(s->listeners[i].fd);
        s->listeners[i].fd = -1;
    }
    for (unsigned i = 0; i < s->worker_count; i++)
        h2o_multithread_send_message(&s->workers[i].ctl_receiver, &s->workers[i].stop_msg);
    for (unsigned i = 0; i < s->worker_count; i++)
        pthread_join(s->workers[i].thread, NULL);
    gg_plugins_workers_stop(); /* every loop detached: no blocking call is left */
    gg_bus_free(s->bus);       /* after the hubs: it sends what they published last */
    s->bus = NULL;
    uint64_t errors, pauses;
    gg_server_accept_counters(s, &errors, &pauses);
    if (errors > 0)
        gg_log_warn("accept failed %llu time%s; accepting paused %llu time%s", (unsigned long long)errors,
                    errors == 1 ? "" : "s", (unsigned long long)pauses, pauses == 1 ? "" : "s");
}

void gg_server_free(gg_server *s)
{
    if (s == NULL) return;
    for (unsigned i = 0; i < GG_MAX_LISTENERS; i++)
        if (s->listeners[i].fd >= 0) close(s->listeners[i].fd);
    if (s->h2o_ready) h2o_config_dispose(&s->h2o);
    if (s->metrics_h2o_ready) h2o_config_dispose(&s->metrics_h2o);
    if (s->ssl_ctx != NULL) SSL_CTX_free(s->ssl_ctx);
    gg_console_free(s->console);
    free(s->workers);
    gg_rt_fanout_free(s->realtime);
    gg_server_free_generations(s);
    free(s);
}
