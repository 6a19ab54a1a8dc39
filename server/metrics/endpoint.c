/* endpoint.c: GET /metrics (metrics.path), and the logger that counts GraphQL requests as they end.
 *
 * A request is counted by an h2o logger on the GraphQL path rather than where the handler answers:
 * h2o calls loggers once per request when it ends, also for the responses h2o makes itself (413,
 * timeouts), and the access log may be off. The handler leaves the operation type in the request's
 * environment ("gg.kind", a static string: no copy). Upgraded websocket requests (101) are not
 * counted here: the websocket metrics count them. The scrape sums every thread's block
 * (metrics.c) and adds the server's accept counters. */
#include "endpoint.h"

#include <string.h>
#include <sys/time.h>

#include "../http/internal.h"
#include "metrics.h"

#ifndef GG_VERSION
#define GG_VERSION "0.0.0"
#endif

#define KIND_ENV "gg.kind"

void gg_metrics_set_operation(h2o_req_t *req, gg_op_kind kind)
{
    static const char *const names[] = {[GG_OPK_QUERY] = "q", [GG_OPK_MUTATION] = "m", [GG_OPK_SUBSCRIPTION] = "s"};
    if (!gg_metrics_enabled() || (unsigned)kind > GG_OPK_SUBSCRIPTION) return;
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(KIND_ENV), 1);
    *slot = h2o_iovec_init(names[kind], 1);
}

static void count_request(h2o_logger_t *self, h2o_req_t *req)
{
    (void)self;
    if (req->res.status == 101) return;
    struct timeval now;
    gettimeofday(&now, NULL);
    double seconds = (double)(now.tv_sec - req->timestamps.request_begin_at.tv_sec) +
                     (double)(now.tv_usec - req->timestamps.request_begin_at.tv_usec) / 1e6;
    gg_metric_operation op = GG_METRIC_OP_NONE;
    h2o_iovec_t *kind = h2o_req_getenv(req, H2O_STRLIT(KIND_ENV), 0);
    if (kind != NULL)
        op = kind->base[0] == 'q'   ? GG_METRIC_OP_QUERY
             : kind->base[0] == 'm' ? GG_METRIC_OP_MUTATION
                                    : GG_METRIC_OP_SUBSCRIPTION;
    gg_metrics_request_done(op, req->res.status, seconds);
}

void gg_metrics_register_logger(h2o_pathconf_t *pathconf)
{
    h2o_logger_t *logger = h2o_create_logger(pathconf, sizeof(h2o_logger_t));
    logger->log_access = count_request;
}

int gg_metrics_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    static h2o_generator_t generator = {NULL, NULL};
    gg_server *s = ((gg_route *)self)->server;
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (path_len != strlen(s->cfg->metrics_path)) return -1; /* /metrics/xyz: not found */
    bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    if (!head && !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"))) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, H2O_STRLIT("GET, HEAD"));
        gg_send_json(req, 405, "Method Not Allowed",
                     "{\"errors\":[{\"message\":\"Method not allowed: use GET for metrics.\"}]}\n", SIZE_MAX);
        return 0;
    }
    gg_buf b;
    gg_buf_init(&b);
    gg_metrics_render(&b, GG_VERSION);
    uint64_t accept_errors, accept_pauses;
    gg_server_accept_counters(s, &accept_errors, &accept_pauses);
    gg_buf_printf(&b,
                  "# HELP graphgate_accept_errors_total accept(2) failures (descriptors or memory exhausted, "
                  "aborted connections).\n# TYPE graphgate_accept_errors_total counter\n"
                  "graphgate_accept_errors_total %llu\n"
                  "# HELP graphgate_accept_pauses_total Pauses of accepting for want of descriptors or memory.\n"
                  "# TYPE graphgate_accept_pauses_total counter\ngraphgate_accept_pauses_total %llu\n",
                  (unsigned long long)accept_errors, (unsigned long long)accept_pauses);
    h2o_iovec_t body = h2o_strdup(&req->pool, b.data, b.len);
    gg_buf_free(&b);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/plain; version=0.0.4; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_start_response(req, &generator);
    h2o_send(req, &body, head ? 0 : 1, H2O_SEND_STATE_FINAL);
    return 0;
}
