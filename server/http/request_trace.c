/* request_trace.c: a request's trace (base/trace.h) and the slow-request log line.
 *
 * The trace is made on first use from the request's traceparent header (a valid one keeps the
 * caller's trace id, anything else gets a new id) and kept in the request's environment
 * ("gg.trace", pointing at the trace's id): the access log and the slow-request log read it
 * there when the request ends. The request holds one reference, dropped when h2o clears the
 * request's memory pool, after the loggers ran. The GraphQL endpoint's handler runs with the
 * request's trace current (gg_graphql_on_req, which calls graphql_handler.c's gg_graphql_on_req_untraced), and so does
 * everything it starts (base/trace.h says how the trace follows the request's asynchronous steps).
 *
 * The slow-request line (log.slow_request_ms) is written by a logger of the GraphQL path, once
 * per request that took at least the threshold: the operation name, the duration, the wall time
 * during which its PostgreSQL statements were in flight and their number, the status. Never the
 * query text or the variables, which may carry secrets. */
#include "internal.h"

#include <sys/time.h>

#include "../base/log.h"
#include "../base/trace.h"

#define TRACE_ENV "gg.trace"
#define OP_ENV "gg.op" /* access_log.c keeps the operation name there */

typedef struct slow_logger {
    h2o_logger_t super;
    unsigned threshold_ms;
} slow_logger;

static void release_trace(void *slot)
{
    gg_trace_release(*(gg_trace **)slot);
}

static h2o_iovec_t traceparent_of(h2o_req_t *req)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("traceparent"), -1);
    if (i < 0) return h2o_iovec_init(NULL, 0);
    /* two traceparent headers make the context invalid (W3C Trace Context, 3.2) */
    if (h2o_find_header_by_str(&req->headers, H2O_STRLIT("traceparent"), i) >= 0) return h2o_iovec_init(NULL, 0);
    return req->headers.entries[i].value;
}

gg_trace *gg_request_trace(h2o_req_t *req)
{
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(TRACE_ENV), 0);
    if (slot != NULL) return H2O_STRUCT_FROM_MEMBER(gg_trace, trace_id, slot->base);
    h2o_iovec_t header = traceparent_of(req);
    gg_trace *trace = gg_trace_new(header.base, header.len);
    gg_trace **owner = h2o_mem_alloc_shared(&req->pool, sizeof *owner, release_trace);
    *owner = trace;
    slot = h2o_req_getenv(req, H2O_STRLIT(TRACE_ENV), 1);
    *slot = h2o_iovec_init(trace->trace_id, GG_TRACE_ID_HEX);
    return trace;
}

void gg_request_trace_id(h2o_req_t *req, char out[GG_TRACE_ID_HEX + 1])
{
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(TRACE_ENV), 0);
    if (slot != NULL) {
        memcpy(out, slot->base, GG_TRACE_ID_HEX);
        out[GG_TRACE_ID_HEX] = '\0';
        return;
    }
    /* a request no handler traced (a 404, a health probe, an error h2o answered itself) */
    char parent[GG_TRACE_SPAN_HEX + 1];
    h2o_iovec_t header = traceparent_of(req);
    if (!gg_trace_parse(header.base, header.len, out, parent)) gg_trace_generate_id(out);
}

double gg_request_elapsed_ms(h2o_req_t *req)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    double ms = (double)(now.tv_sec - req->timestamps.request_begin_at.tv_sec) * 1e3 +
                (double)(now.tv_usec - req->timestamps.request_begin_at.tv_usec) / 1e3;
    return ms < 0 ? 0 : ms;
}

static void log_if_slow(h2o_logger_t *self, h2o_req_t *req)
{
    unsigned threshold_ms = ((slow_logger *)self)->threshold_ms;
    if (req->res.status == 101) return; /* a websocket: its connection's life, not a request */
    double ms = gg_request_elapsed_ms(req);
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(TRACE_ENV), 0);
    if (ms < (double)threshold_ms || slot == NULL) return;
    gg_trace *trace = H2O_STRUCT_FROM_MEMBER(gg_trace, trace_id, slot->base);
    h2o_iovec_t *op = h2o_req_getenv(req, H2O_STRLIT(OP_ENV), 0);
    h2o_iovec_t name = op != NULL ? *op : h2o_iovec_init(H2O_STRLIT("(anonymous)"));
    double pg_ms = gg_trace_pg_ms(trace);
    gg_log_field fields[] = {
        GG_LOG_STRING_N("operation", name.base, name.len),
        GG_LOG_DECIMAL("duration_ms", ms),
        GG_LOG_DECIMAL("postgres_ms", pg_ms),
        GG_LOG_INTEGER("statements", trace->pg_statements),
        GG_LOG_INTEGER("status", req->res.status),
    };
    gg_trace *previous = gg_trace_enter(trace); /* the line carries this request's trace id */
    gg_log_fields(GG_LOG_WARN, fields, GG_LOG_FIELD_COUNT(fields),
                  "slow request: operation %.*s took %.1f ms, %.1f ms of it in PostgreSQL (%u statements; "
                  "log.slow_request_ms is %u)",
                  (int)name.len, name.base, ms, pg_ms, trace->pg_statements, threshold_ms);
    gg_trace_leave(previous);
}

void gg_slow_request_log_register(h2o_pathconf_t *pathconf, unsigned threshold_ms)
{
    slow_logger *logger = (slow_logger *)h2o_create_logger(pathconf, sizeof(slow_logger));
    logger->super.log_access = log_if_slow;
    logger->threshold_ms = threshold_ms;
}

int gg_graphql_on_req(h2o_handler_t *self, h2o_req_t *req)
{
    gg_trace *previous = gg_trace_enter(gg_request_trace(req));
    int rc = gg_graphql_on_req_untraced(self, req);
    gg_trace_leave(previous);
    return rc;
}
