/* access_log.c: one JSON line per request on stdout.
 *
 * h2o calls a logger once per request when it ends (also for responses h2o makes itself, such
 * as 413 or a timeout), so every request gets exactly one line. The GraphQL handler leaves the
 * operation name in the request's environment ("gg.op") for it. Each line is built in a buffer
 * and written with a single write(2) so lines from different threads never interleave. The
 * query string is not logged: it may carry variables. */
#include "internal.h"

#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../base/buf.h"

#define OP_ENV "gg.op"

void gg_access_log_set_operation(h2o_req_t *req, const char *name, size_t len)
{
    h2o_iovec_t *slot = h2o_req_getenv(req, H2O_STRLIT(OP_ENV), 1);
    *slot = h2o_strdup(&req->pool, name, len);
}

static void log_access(h2o_logger_t *self, h2o_req_t *req)
{
    (void)self;
    struct timeval now;
    gettimeofday(&now, NULL);
    double ms = (double)(now.tv_sec - req->timestamps.request_begin_at.tv_sec) * 1e3 +
                (double)(now.tv_usec - req->timestamps.request_begin_at.tv_usec) / 1e3;
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

    gg_buf b;
    gg_buf_init(&b);
    gg_buf_printf(&b, "{\"time\":\"%s.%03ldZ\",\"method\":", when, (long)(now.tv_usec / 1000));
    gg_json_write_string(&b, req->method.base, req->method.len);
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    gg_buf_puts(&b, ",\"path\":");
    gg_json_write_string(&b, req->path.base, path_len < req->path.len ? path_len : req->path.len);
    gg_buf_printf(&b, ",\"protocol\":\"%s\",\"status\":%d,\"duration_ms\":%.3f,\"bytes\":%zu",
                  req->version >= 0x200 ? "HTTP/2" : "HTTP/1.1", req->res.status, ms < 0 ? 0 : ms,
                  req->bytes_sent);
    h2o_iovec_t *op = h2o_req_getenv(req, H2O_STRLIT(OP_ENV), 0);
    if (op != NULL) {
        gg_buf_puts(&b, ",\"operation\":");
        gg_json_write_string(&b, op->base, op->len);
    }
    gg_buf_puts(&b, "}\n");
    ssize_t n = write(STDOUT_FILENO, b.data, b.len);
    (void)n; /* a full or closed stdout must not stop the server */
    gg_buf_free(&b);
}

void gg_access_log_register(h2o_pathconf_t *pathconf)
{
    h2o_logger_t *logger = h2o_create_logger(pathconf, sizeof(h2o_logger_t));
    logger->log_access = log_access;
}
