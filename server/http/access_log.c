/* access_log.c: one JSON line per request on stdout, through the logger (base/log.h).
 *
 * h2o calls a logger once per request when it ends (also for responses h2o makes itself, such
 * as 413 or a timeout), so every request gets exactly one line. The GraphQL handler leaves the
 * operation name in the request's environment ("gg.op") for it. The logger writes each line with
 * a single write(2), so lines from different threads never interleave, and adds the time (and,
 * with log.format json, the level and message every line has). The query string is not logged:
 * it may carry variables. Each line has the request's W3C trace id (request_trace.c), the same
 * as every diagnostic line logged for that request. */
#include "internal.h"

#include "../base/log.h"

#define OP_ENV "gg.op"

void gg_access_log_set_operation(h2o_req_t *req, const char *name, size_t len)
{
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(OP_ENV), 1);
    *slot = h2o_strdup(&req->pool, name, len);
}

static void log_access(h2o_logger_t *self, h2o_req_t *req)
{
    (void)self;
    double ms = gg_request_elapsed_ms(req);
    char trace_id[GG_TRACE_ID_HEX + 1];
    gg_request_trace_id(req, trace_id);
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    gg_log_field fields[8] = {
        GG_LOG_STRING_N("method", req->method.base, req->method.len),
        GG_LOG_STRING_N("path", req->path.base, path_len < req->path.len ? path_len : req->path.len),
        GG_LOG_STRING("protocol", req->version >= 0x200 ? "HTTP/2" : "HTTP/1.1"),
        GG_LOG_INTEGER("status", req->res.status),
        GG_LOG_DECIMAL("duration_ms", ms),
        GG_LOG_INTEGER("bytes", req->bytes_sent),
        GG_LOG_STRING_N("trace_id", trace_id, GG_TRACE_ID_HEX),
    };
    size_t count = 7; /* the operation, when the GraphQL handler left one, is the eighth */
    h2o_iovec_t *op = h2o_req_getenv(req, H2O_STRLIT(OP_ENV), 0);
    if (op != NULL) fields[count++] = GG_LOG_STRING_N("operation", op->base, op->len);
    gg_log_access(fields, count);
}

void gg_access_log_register(h2o_pathconf_t *pathconf)
{
    h2o_logger_t *logger = h2o_create_logger(pathconf, sizeof(h2o_logger_t));
    logger->log_access = log_access;
}
