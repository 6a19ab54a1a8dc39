/* graphql_handler.c: GraphQL over HTTP at /graphql (GraphQL-over-HTTP spec, AppSync-compatible).
 *
 * Flow: CORS (preflight answered here) -> method (POST; GET for queries only; else 405) ->
 * request parameters (POST: application/json body; GET: the query string) -> document from the
 * thread's cache (parsed, limit-checked, validated once per distinct text) -> execution -> one
 * JSON response. Everything GraphQL goes through server/gateway/gateway.h; this file is HTTP
 * only. Status codes follow the graphql-http audits and appsync-compat.md §1.6:
 *
 *   malformed JSON, invalid UTF-8, bad parameters, missing query   400 (both media types)
 *   unsupported Content-Type                                        415
 *   mutation over GET                                               405, Allow: POST
 *   syntax/validation/limit errors, variable coercion errors        200 with application/json
 *                                                                   400 with application/graphql-response+json
 *   executed ("data" present, even with field errors)               200
 *
 * The response media type is application/graphql-response+json only when Accept prefers it (by
 * q value, then by order) to application/json; otherwise application/json, the AppSync default.
 * Execution may finish later (asynchronous resolvers): the request is reached only through its
 * guard (request_guard.h), so a client that goes away only drops the result. The guard also keeps
 * the deadline (http.request_timeout_ms): a request still running then is answered with an
 * ExecutionTimeout error (200 with "data": null, in both media types: execution had begun) and
 * its database statements are cancelled. The request's W3C trace (base/trace.h) is current while
 * it is handled and while its completion runs, so every line logged for it has its trace id. */
#include "internal.h"
#include "generation.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../gateway/authorize.h"
#include "../gateway/lambda_authorize.h"
#include "../metrics/endpoint.h"
#include "console.h"
#include "persisted_queries.h"
#include "../metrics/metrics.h"
#include "request_guard.h"
#include "request_json.h"

typedef enum media { MEDIA_JSON, MEDIA_GRAPHQL_RESPONSE } media;

static const char CT_JSON[] = "application/json; charset=utf-8";
static const char CT_GRAPHQL_RESPONSE[] = "application/graphql-response+json; charset=utf-8";

/* ---- small parsers ---- */

static bool iequal(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && h2o_lcstris(a, alen, b, blen);
}

static const char *trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

/* The q value of a media range's parameters (1 when absent, 0 when malformed). */
static double quality(const char *params, size_t len)
{
    for (size_t k = 0; k + 1 < len; k++) {
        if ((params[k] == 'q' || params[k] == 'Q') && params[k + 1] == '=' &&
            (k == 0 || params[k - 1] == ';' || params[k - 1] == ' ')) {
            char num[16];
            size_t n = 0;
            for (size_t j = k + 2; j < len && n + 1 < sizeof num && params[j] != ';' && params[j] != ' '; j++)
                num[n++] = params[j];
            num[n] = '\0';
            char *end;
            double q = strtod(num, &end);
            return end == num || *end != '\0' || q < 0 || q > 1 ? 0 : q;
        }
    }
    return 1;
}

/* Picks the response media type from Accept (RFC 9110 §12.5.1): the acceptable type with the
 * highest q, the first listed on a tie; wildcards mean application/json. No Accept, or nothing we
 * know: application/json (the spec allows ignoring Accept; AppSync clients expect JSON). */
static media negotiate(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT, -1);
    if (i < 0) return MEDIA_JSON;
    h2o_iovec_t v = req->headers.entries[i].value;
    media best = MEDIA_JSON;
    double best_q = 0;
    size_t pos = 0;
    while (pos < v.len) {
        size_t end = pos;
        while (end < v.len && v.base[end] != ',')
            end++;
        const char *item = v.base + pos;
        size_t item_len = end - pos;
        pos = end + 1;
        const char *semi = memchr(item, ';', item_len);
        size_t type_len = semi ? (size_t)(semi - item) : item_len;
        const char *type = trim(item, &type_len);
        double q = semi ? quality(semi + 1, item_len - (size_t)(semi - item) - 1) : 1;
        media m;
        if (iequal(type, type_len, "application/graphql-response+json"))
            m = MEDIA_GRAPHQL_RESPONSE;
        else if (iequal(type, type_len, "application/json") || iequal(type, type_len, "application/*") ||
                 iequal(type, type_len, "*/*"))
            m = MEDIA_JSON;
        else
            continue;
        if (q > best_q) {
            best = m;
            best_q = q;
        }
    }
    return best;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes application/x-www-form-urlencoded text into the pool (NUL-terminated). */
static h2o_iovec_t url_decode(h2o_mem_pool_t *pool, const char *s, size_t len)
{
    char *out = h2o_mem_alloc_pool(pool, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            out[n++] = ' ';
        } else if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[n++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    out[n] = '\0';
    return h2o_iovec_init(out, n);
}

/* ---- responses ---- */

static void add_cors_headers(h2o_req_t *req, const gg_config *cfg, bool *allowed)
{
    *allowed = false;
    if (cfg->cors_origins.count == 0) return;
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("origin"), -1);
    if (i < 0) return;
    h2o_iovec_t origin = req->headers.entries[i].value;
    bool any = false, match = false;
    for (unsigned k = 0; k < cfg->cors_origins.count; k++) {
        const char *o = cfg->cors_origins.items[k];
        if (strcmp(o, "*") == 0)
            any = true;
        else if (strlen(o) == origin.len && memcmp(o, origin.base, origin.len) == 0)
            match = true;
    }
    if (!any && !match) return;
    *allowed = true;
    if (match)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ACCESS_CONTROL_ALLOW_ORIGIN, NULL, origin.base,
                       origin.len);
    else
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ACCESS_CONTROL_ALLOW_ORIGIN, NULL, H2O_STRLIT("*"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("Origin"));
}

/* Sends body (memory that lives as long as the request) as the whole response. */
static void send_body(h2o_req_t *req, int status, media m, h2o_iovec_t buf)
{
    static h2o_generator_t generator = {NULL, NULL};
    gg_metrics_count_errors(buf.base, buf.len); /* every GraphQL answer passes here */
    req->res.status = status;
    req->res.reason = status == 200   ? "OK"
                      : status == 400 ? "Bad Request"
                      : status == 401 ? "Unauthorized"
                      : status == 405 ? "Method Not Allowed"
                      : status == 413 ? "Payload Too Large"
                      : status == 415 ? "Unsupported Media Type"
                      : status == 429 ? "Too Many Requests"
                                      : "Error";
    req->res.content_length = buf.len;
    /* gzip (server.c registers it unless http.gzip_min_bytes is 0) for clients that accept it, on
     * answers of at least http.gzip_min_bytes: h2o's own test would not know our content types */
    unsigned gzip_min = gg_worker_of(req)->server->cfg->gzip_min_bytes;
    req->compress_hint = gzip_min > 0 && buf.len >= gzip_min ? H2O_COMPRESS_HINT_ENABLE : H2O_COMPRESS_HINT_DISABLE;
    if (m == MEDIA_GRAPHQL_RESPONSE)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT(CT_GRAPHQL_RESPONSE));
    else
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT(CT_JSON));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_start_response(req, &generator);
    h2o_send(req, &buf, 1, H2O_SEND_STATE_FINAL);
}

static void send_response(h2o_req_t *req, int status, media m, const char *json, size_t len)
{
    send_body(req, status, m, h2o_strdup(&req->pool, json, len));
}

/* The request pool's hold on an answer buffer (send_answer): freed when the pool is cleared, after
 * the response was sent (on the request's thread, whose block cache the buffer returns to). */
static void answer_dispose(void *held)
{
    gg_buf_free(held);
}

/* Sends an execution's answer: its buffer, taken from the gateway, is the body (a 1,000-row page's
 * answer is hundreds of kilobytes: no copy into the pool); a copy when it cannot be taken. */
static void send_answer(h2o_req_t *req, int status, media m, const char *json, size_t len)
{
    gg_buf taken;
    if (!gg_gateway_take_answer(json, &taken)) {
        send_response(req, status, m, json, len);
        return;
    }
    gg_buf *held = h2o_mem_alloc_shared(&req->pool, sizeof *held, answer_dispose);
    *held = taken;
    send_body(req, status, m, h2o_iovec_init(held->data, held->len));
}

/* A request error: {"errors":[{"message":...,"errorType":...}]} with the given status. */
/* One error; error_type and code (extensions.code, the word Apollo's clients read) may be NULL. */
static int send_coded_error(h2o_req_t *req, int status, media m, const char *error_type, const char *message,
                            const char *code)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{\"errors\":[{\"message\":");
    gg_json_write_string(&b, message, strlen(message));
    if (error_type != NULL) {
        gg_buf_puts(&b, ",\"errorType\":");
        gg_json_write_string(&b, error_type, strlen(error_type));
    }
    if (code != NULL) {
        gg_buf_puts(&b, ",\"extensions\":{\"code\":");
        gg_json_write_string(&b, code, strlen(code));
        gg_buf_puts(&b, "}");
    }
    gg_buf_puts(&b, "}]}");
    send_response(req, status, m, b.data, b.len);
    gg_buf_free(&b);
    return 0;
}

static int send_error(h2o_req_t *req, int status, media m, const char *error_type, const char *message)
{
    return send_coded_error(req, status, m, error_type, message, NULL);
}

/* ---- request parameters ---- */

typedef struct gql_params {
    h2o_iovec_t query;          /* base NULL: none (a persisted query's hash alone, persisted_queries.h) */
    const char *operation_name; /* NULL: none */
    cJSON *variables;           /* object or NULL */
    cJSON *owner;               /* the parsed body or the variables (freed at the end) */
    cJSON *owner2;
    const cJSON *extensions; /* object or NULL, in owner or owner2 */
} gql_params;

static void params_free(gql_params *p)
{
    cJSON_Delete(p->owner);
    cJSON_Delete(p->owner2);
}

static bool content_type_is_json(h2o_req_t *req, bool *present)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    *present = i >= 0;
    if (i < 0) return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    const char *semi = memchr(v.base, ';', v.len);
    size_t tlen = semi ? (size_t)(semi - v.base) : v.len;
    const char *t = trim(v.base, &tlen);
    if (!iequal(t, tlen, "application/json")) return false;
    if (semi != NULL) { /* only charset=utf-8 (any case, maybe quoted) is acceptable */
        const char *cs = NULL;
        size_t rest = v.len - (size_t)(semi - v.base);
        for (size_t k = 0; k + 8 <= rest; k++)
            if (h2o_lcstris(semi + k, 8, "charset=", 8)) cs = semi + k + 8;
        if (cs != NULL) {
            size_t clen = (size_t)(v.base + v.len - cs);
            const char *c = trim(cs, &clen);
            const char *end = memchr(c, ';', clen);
            if (end) clen = (size_t)(end - c);
            if (clen >= 2 && c[0] == '"' && c[clen - 1] == '"') c++, clen -= 2;
            if (!iequal(c, clen, "utf-8") && !iequal(c, clen, "utf8")) return false;
        }
    }
    return true;
}

/* Whether a request without a query names a persisted one (persisted_queries.h decides what then). */
static bool names_persisted_query(const cJSON *extensions)
{
    const cJSON *pq =
        cJSON_IsObject(extensions) ? cJSON_GetObjectItemCaseSensitive(extensions, "persistedQuery") : NULL;
    return pq != NULL && !cJSON_IsNull(pq);
}

static const char QUERY_REQUIRED[] = "The \"query\" parameter is required.";

/* Fills p from a JSON object (the POST body). Returns NULL or the reason for a 400. */
static const char *params_from_object(gql_params *p, cJSON *root)
{
    if (cJSON_IsArray(root)) /* Apollo's BatchHttpLink, and others: AppSync takes one operation per request too */
        return "The request body must be a JSON object: batched requests (an array of operations) are not "
               "supported; send one operation per request.";
    if (!cJSON_IsObject(root)) return "The request body must be a JSON object.";
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(root, "query");
    const cJSON *ext = cJSON_GetObjectItemCaseSensitive(root, "extensions");
    if (q == NULL || cJSON_IsNull(q)) {
        if (!names_persisted_query(ext)) return QUERY_REQUIRED;
    } else if (!cJSON_IsString(q)) {
        return "The \"query\" parameter must be a string.";
    } else {
        p->query = h2o_iovec_init(q->valuestring, strlen(q->valuestring));
    }
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(root, "operationName");
    if (op != NULL && !cJSON_IsNull(op)) {
        if (!cJSON_IsString(op)) return "The \"operationName\" parameter must be a string.";
        p->operation_name = op->valuestring;
    }
    cJSON *vars = cJSON_GetObjectItemCaseSensitive(root, "variables");
    if (vars != NULL && !cJSON_IsNull(vars)) {
        if (!cJSON_IsObject(vars)) return "The \"variables\" parameter must be an object.";
        p->variables = vars;
    }
    if (ext != NULL && !cJSON_IsNull(ext) && !cJSON_IsObject(ext))
        return "The \"extensions\" parameter must be an object.";
    p->extensions = cJSON_IsObject(ext) ? ext : NULL;
    return NULL;
}

/* Applies automatic persisted queries (persisted_queries.h) to p: -1 when the request goes on with
 * p->query set, else 0 after answering it. */
static int persisted_query(h2o_req_t *req, gg_worker *w, media m, gql_params *p)
{
    const char *query = p->query.base, *reason = "";
    size_t len = p->query.len;
    switch (gg_persisted_queries_apply(w->persisted_queries, p->extensions, &query, &len, &reason)) {
    case GG_APQ_NONE:
    case GG_APQ_KEPT:
        break;
    case GG_APQ_FOUND: /* the store may drop it before the request ends: the request's copy */
        gg_metrics_count(GG_METRIC_APQ_HITS);
        p->query = h2o_strdup(&req->pool, query, len);
        break;
    case GG_APQ_NOT_FOUND: /* the client sends the query with its hash next (200, as Apollo Server answers) */
        gg_metrics_count(GG_METRIC_APQ_MISSES);
        return send_coded_error(req, 200, m, NULL, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
    case GG_APQ_NOT_SUPPORTED: /* http.persisted_queries 0: the links then send every query whole */
        return send_coded_error(req, 400, m, "BadRequestException", "PersistedQueryNotSupported",
                                "PERSISTED_QUERY_NOT_SUPPORTED");
    case GG_APQ_BAD:
        return send_error(req, 400, m, "BadRequestException", reason);
    }
    return -1;
}

/* NULL when the JSON text passes request_json.c's checks, else the reason (in the request's pool). */
static const char *json_refusal(h2o_req_t *req, const char *text, size_t len, const char *what)
{
    char message[256];
    if (gg_request_json_check(text, len, what, GG_FAULT_INTO(message))) return NULL;
    return h2o_strdup(&req->pool, message, SIZE_MAX).base;
}

static const char *params_from_body(h2o_req_t *req, gql_params *p)
{
    const char *bad;
    if (req->entity.base == NULL || req->entity.len == 0)
        return "The request body is empty: send a JSON object with a \"query\".";
    if (!gg_utf8_valid((const unsigned char *)req->entity.base, req->entity.len))
        return "The request body is not valid UTF-8.";
    if ((bad = json_refusal(req, req->entity.base, req->entity.len, "The request body")) != NULL) return bad;
    h2o_iovec_t text = h2o_strdup(&req->pool, req->entity.base, req->entity.len); /* NUL-terminated */
    const char *end = NULL;
    p->owner = cJSON_ParseWithLengthOpts(text.base, text.len + 1, &end, 1);
    if (p->owner == NULL) return "The request body is not valid JSON.";
    return params_from_object(p, p->owner);
}

static const char *params_from_query_string(h2o_req_t *req, gql_params *p)
{
    if (req->query_at == SIZE_MAX) return QUERY_REQUIRED;
    const char *s = req->path.base + req->query_at + 1, *end = req->path.base + req->path.len;
    h2o_iovec_t vars = {NULL, 0}, ext = {NULL, 0};
    bool have_query = false;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(s, '=', (size_t)(stop - s));
        const char *name_end = eq ? eq : stop;
        h2o_iovec_t name = url_decode(&req->pool, s, (size_t)(name_end - s));
        h2o_iovec_t value = eq ? url_decode(&req->pool, eq + 1, (size_t)(stop - eq - 1)) : h2o_iovec_init("", 0);
        if (!gg_utf8_valid((const unsigned char *)value.base, value.len)) return "The query string is not valid UTF-8.";
        if (memchr(name.base, '\0', name.len) != NULL || memchr(value.base, '\0', value.len) != NULL)
            return "The query string contains %00: NUL characters are not supported.";
        if (strcmp(name.base, "query") == 0)
            p->query = value, have_query = true;
        else if (strcmp(name.base, "operationName") == 0)
            p->operation_name = value.len ? value.base : NULL;
        else if (strcmp(name.base, "variables") == 0)
            vars = value;
        else if (strcmp(name.base, "extensions") == 0)
            ext = value;
        s = stop + 1;
    }
    const char *bad;
    if (!have_query && ext.len == 0) return QUERY_REQUIRED;
    if (vars.len > 0 && (bad = json_refusal(req, vars.base, vars.len, "The \"variables\" parameter")) != NULL)
        return bad;
    if (ext.len > 0 && (bad = json_refusal(req, ext.base, ext.len, "The \"extensions\" parameter")) != NULL) return bad;
    if (vars.len > 0) {
        p->owner = cJSON_ParseWithLengthOpts(vars.base, vars.len + 1, NULL, 1);
        if (p->owner == NULL || (!cJSON_IsObject(p->owner) && !cJSON_IsNull(p->owner)))
            return "The \"variables\" parameter must be a JSON-encoded object.";
        if (cJSON_IsObject(p->owner)) p->variables = p->owner;
    }
    if (ext.len > 0) {
        p->owner2 = cJSON_ParseWithLengthOpts(ext.base, ext.len + 1, NULL, 1);
        if (p->owner2 == NULL || (!cJSON_IsObject(p->owner2) && !cJSON_IsNull(p->owner2)))
            return "The \"extensions\" parameter must be a JSON-encoded object.";
        if (cJSON_IsObject(p->owner2)) p->extensions = p->owner2;
    }
    if (!have_query && !names_persisted_query(p->extensions)) return QUERY_REQUIRED;
    return NULL;
}

/* ---- execution and its completion ---- */

/* One execution in flight, owned by it (freed in on_executed): what its completion or its
 * deadline needs. The request itself is reached only through the guard. */
typedef struct pending {
    gg_request_guard *guard;
    gg_worker *worker;
    gg_conn_track *conn;        /* counts this execution until it completes; NULL: untracked */
    gg_auth_identity *identity; /* the execution's reference (NULL: NONE mode) */
    gg_view *view;              /* the execution's hold on the generation it runs on */
    media media;
    gg_trace *trace;                            /* a reference: current while the completion runs */
    char source_ip[GG_GATEWAY_PEER_TEXT_BYTES]; /* the peer's address, for :identity.sourceIp */
} pending;

static void on_executed(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    pending *pd = user;
    h2o_req_t *req = gg_request_guard_finish(pd->guard);
    media m = pd->media;
    gg_trace *trace = pd->trace;
    gg_trace *previous = gg_trace_enter(trace);
    if (pd->conn != NULL) gg_conn_execution_done(pd->conn);
    gg_auth_identity_release(pd->identity);
    gg_view_release(pd->view);
    free(pd);
    if (req != NULL) { /* else the client went away, or the deadline answered it */
        int status = outcome == GG_EXEC_REQUEST_ERROR && m == MEDIA_GRAPHQL_RESPONSE ? 400 : 200;
        send_answer(req, status, m, json, len);
    }
    gg_trace_leave(previous);
    gg_trace_release(trace);
}

/* The deadline passed: the client (if still there) gets ExecutionTimeout, the database work is
 * cancelled; the execution's completion comes later and is dropped. */
static void on_deadline(gg_request_guard *guard, void *target, void *data)
{
    pending *pd = data;
    gg_trace *previous = gg_trace_enter(pd->trace);
    if (target != NULL) {
        char message[160];
        snprintf(message, sizeof message,
                 "Execution timed out: the request did not complete within %u ms (http.request_timeout_ms).",
                 pd->worker->server->cfg->request_timeout_ms);
        gg_buf b;
        gg_buf_init(&b);
        gg_buf_puts(&b, "{\"data\":null,\"errors\":[{\"message\":");
        gg_json_write_string(&b, message, strlen(message));
        gg_buf_puts(&b, ",\"errorType\":\"ExecutionTimeout\"}]}");
        send_response(target, 200, pd->media, b.data, b.len);
        gg_buf_free(&b);
    }
    gg_gateway_cancel(&pd->worker->context, guard, true);
    gg_trace_leave(previous);
}

/* The client went away: the execution's database results are not read (their statements run on:
 * a reset costs the client nothing, a cancel request costs PostgreSQL a connection). */
static void on_gone(gg_request_guard *guard, void *data)
{
    pending *pd = data;
    gg_trace *previous = gg_trace_enter(pd->trace);
    gg_gateway_cancel(&pd->worker->context, guard, false);
    gg_trace_leave(previous);
}

/* Writes the peer's address as text to out: formatted once per connection (its track keeps it),
 * since every request of a connection has the same peer. */
static void peer_address(h2o_req_t *req, gg_conn_track *conn, char *out, size_t out_len)
{
    if (conn != NULL && conn->source_ip[0] != '\0') { /* the connection's, formatted by its first request */
        size_t n = strnlen(conn->source_ip, sizeof conn->source_ip);
        if (n >= out_len) n = out_len - 1;
        memcpy(out, conn->source_ip, n);
        out[n] = '\0';
        return;
    }
    struct sockaddr_storage peer;
    socklen_t peer_len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&peer);
    gg_gateway_peer_text((struct sockaddr *)&peer, peer_len, out, out_len);
    if (conn != NULL) snprintf(conn->source_ip, sizeof conn->source_ip, "%s", out);
}

/* Takes the request's reference to identity: handed to the execution, or released here. */
static int run(h2o_req_t *req, gg_worker *w, gg_view *view, media m, gql_params *p, bool is_get,
               gg_auth_identity *identity)
{
    gg_server *s = w->server;
    const gg_gateway *gateway = gg_generation_gateway(view->generation);
    gg_doc *doc = gg_doc_get(view->rt.cache, p->query.base, p->query.len);
    if (gg_doc_get_status(doc) != GG_DOC_OK) {
        gg_buf b;
        gg_buf_init(&b);
        gg_doc_write_errors(doc, &b);
        send_response(req, m == MEDIA_GRAPHQL_RESPONSE ? 400 : 200, m, b.data, b.len);
        gg_buf_free(&b);
        gg_doc_release(doc);
        gg_auth_identity_release(identity);
        return 0;
    }
    const char *op_name;
    gg_op_kind kind = gg_doc_operation(doc, p->operation_name, &op_name);
    gg_metrics_set_operation(req, kind);
    if (op_name != NULL) /* named in the request or the document's only operation */
        gg_access_log_set_operation(req, op_name, strlen(op_name));
    if (is_get && kind == GG_OPK_MUTATION) {
        gg_doc_release(doc);
        gg_auth_identity_release(identity);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, H2O_STRLIT("POST"));
        return send_error(req, 405, m, NULL, "Can only perform a mutation operation from a POST request.");
    }
    if (kind == GG_OPK_SUBSCRIPTION) {
        gg_doc_release(doc);
        gg_auth_identity_release(identity);
        gg_buf b;
        gg_buf_init(&b);
        gg_gateway_write_subscription_refusal(gateway, &b);
        send_response(req, m == MEDIA_GRAPHQL_RESPONSE ? 400 : 200, m, b.data, b.len);
        gg_buf_free(&b);
        return 0;
    }
    /* A client that resets its streams (rapid reset) may start executions faster than they end:
     * those still running count against the connection's stream limit. */
    gg_conn_track *conn = gg_conn_of(req);
    if (conn != NULL && conn->executions >= s->cfg->max_concurrent_streams) {
        gg_doc_release(doc);
        gg_auth_identity_release(identity);
        char message[200];
        snprintf(message, sizeof message,
                 "Too many requests in flight on this connection: at most %u (http.max_concurrent_streams), "
                 "counting reset streams whose execution still runs.",
                 s->cfg->max_concurrent_streams);
        return send_error(req, 429, m, "TooManyRequestsException", message);
    }
    pending *pd = malloc(sizeof *pd);
    if (pd == NULL) abort();
    pd->media = m;
    pd->trace = gg_trace_current(); /* the request's (gg_graphql_on_req made it current: request_trace.c) */
    gg_trace_retain(pd->trace);
    pd->worker = w;
    pd->conn = conn;
    pd->identity = identity;
    pd->view = gg_view_hold(view);
    if (identity != NULL) peer_address(req, conn, pd->source_ip, sizeof pd->source_ip);
    if (conn != NULL) conn->executions++;
    h2o_timeout_t *deadline = s->cfg->request_timeout_ms > 0 ? &w->request_deadline : NULL;
    pd->guard = gg_request_guard_new(req, &req->pool, w->ctx.loop, deadline, on_deadline, on_gone, pd);
    gg_request_context context = w->context;
    context.pg.owner = pd->guard; /* names this request's statements, for gg_gateway_cancel */
    context.pg.source_ip = identity != NULL ? pd->source_ip : NULL; /* kept by pd until on_executed */
    gg_gateway_request request = {doc, p->operation_name, p->variables, &context, identity};
    gg_gateway_execute(gateway, &request, on_executed, pd);
    gg_doc_release(doc);
    return 0;
}

/* Answers AppSync's 401 for refusal (always application/json, as AppSync). */
static void send_refusal(h2o_req_t *req, const gg_auth_refusal *refusal)
{
    char body[512];
    gg_auth_refusal_body(refusal, body, sizeof body);
    /* Amplify's REST layer names the error from this header (AWS JSON protocol), as from AppSync */
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-amzn-errortype"), 0, NULL, refusal->error_type,
                          strlen(refusal->error_type));
    send_response(req, refusal->http_status, MEDIA_JSON, body, strlen(body));
}

/* Authorizes req (gateway/authorize.h) from its x-api-key and Authorization headers. Returns the
 * identity, or NULL after answering AppSync's 401, or NULL without answering when the token goes to
 * the Lambda authorizer (refusal->ask_lambda: ask_lambda, once the body is read). */
static gg_auth_identity *authorize(h2o_req_t *req, gg_view *view, gg_auth_refusal *refusal)
{
    ssize_t key = h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-api-key"), -1);
    ssize_t authorization = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1);
    struct sockaddr_storage peer;
    socklen_t peer_len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&peer);
    gg_auth_identity *identity = gg_gateway_authorize(
        gg_generation_verifier(view->generation), view->rt.auth_cache,
        key >= 0 ? req->headers.entries[key].value.base : NULL, key >= 0 ? req->headers.entries[key].value.len : 0,
        authorization >= 0 ? req->headers.entries[authorization].value.base : NULL,
        authorization >= 0 ? req->headers.entries[authorization].value.len : 0, (struct sockaddr *)&peer, peer_len,
        refusal);
    if (identity == NULL && !refusal->ask_lambda) send_refusal(req, refusal);
    return identity;
}

/* ---- AWS_LAMBDA: the request waits for the plugin authorizer, which may answer later ---- */

typedef struct lambda_wait {
    gg_request_guard *guard;
    gg_worker *worker;
    gg_view *view;   /* held: the generation whose authorizer decides and whose schema then runs */
    gg_trace *trace; /* the request's (a reference): current again while the decision is handled */
    media media;
    bool is_get;
    gql_params params; /* owned here until the decision */
} lambda_wait;

static void on_lambda_decided(void *user, gg_auth_identity *identity, const gg_auth_refusal *refusal)
{
    lambda_wait *lw = user;
    gg_trace *previous = gg_trace_enter(lw->trace);
    h2o_req_t *req = gg_request_guard_finish(lw->guard);
    if (req == NULL) /* the client went away, or the deadline answered it */
        gg_auth_identity_release(identity);
    else if (identity == NULL)
        send_refusal(req, refusal);
    else
        run(req, lw->worker, lw->view, lw->media, &lw->params, lw->is_get, identity);
    params_free(&lw->params);
    gg_view_release(lw->view);
    gg_trace_leave(previous);
    gg_trace_release(lw->trace);
    free(lw);
}

static void on_lambda_deadline(gg_request_guard *guard, void *target, void *data)
{
    (void)guard;
    lambda_wait *lw = data;
    if (target == NULL) return;
    gg_auth_refusal refusal = {.http_status = 401,
                               .error_type = "UnauthorizedException",
                               .message = "You are not authorized to make this call."};
    gg_log_warn("auth: the Lambda authorizer did not answer within %u ms (http.request_timeout_ms): refused",
                lw->worker->server->cfg->request_timeout_ms);
    send_refusal(target, &refusal);
}

static void on_lambda_gone(gg_request_guard *guard, void *data)
{
    (void)guard;
    (void)data; /* the authorizer answers anyway; its decision is cached and the request dropped */
}

/* Asks the Lambda authorizer about req's token (asked: the refusal with ask_lambda), telling it the
 * parsed request; takes *p. */
static int ask_lambda(h2o_req_t *req, gg_worker *w, gg_view *view, media m, gql_params *p, bool is_get,
                      const gg_auth_refusal *asked)
{
    lambda_wait *lw = calloc(1, sizeof *lw);
    if (lw == NULL) abort();
    *lw = (lambda_wait){.worker = w,
                        .view = gg_view_hold(view),
                        .trace = gg_trace_current(),
                        .media = m,
                        .is_get = is_get,
                        .params = *p};
    gg_trace_retain(lw->trace);
    *p = (gql_params){0};
    gg_plugins_header *headers = h2o_mem_alloc_pool(&req->pool, (req->headers.size + 1) * sizeof *headers);
    for (size_t i = 0; i < req->headers.size; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        headers[i] = (gg_plugins_header){h->name->base, h->name->len, h->value.base, h->value.len};
    }
    char source_ip[GG_GATEWAY_PEER_TEXT_BYTES];
    peer_address(req, gg_conn_of(req), source_ip, sizeof source_ip);
    gg_plugins_authorization_request request = {
        .token = asked->lambda_token,
        .token_len = asked->lambda_token_len,
        .operation_name = lw->params.operation_name,
        .query = lw->params.query.base,
        .query_len = lw->params.query.len,
        .variables = lw->params.variables,
        .source_ip = source_ip,
        .headers = headers,
        .header_count = (unsigned)req->headers.size,
        .pg = &w->context.pg,
    };
    h2o_timeout_t *deadline = w->server->cfg->request_timeout_ms > 0 ? &w->request_deadline : NULL;
    lw->guard = gg_request_guard_new(req, &req->pool, w->ctx.loop, deadline, on_lambda_deadline, on_lambda_gone, lw);
    gg_gateway_authorize_lambda(gg_generation_gateway(view->generation), gg_generation_verifier(view->generation),
                                view->rt.auth_cache, asked, &request, on_lambda_decided, lw);
    return 0;
}

/* A browser's preflight from an origin cors.origins does not allow: the browser then reports only
 * a CORS failure, with no word of the setting, so the first one is logged (with the origin). */
static void log_refused_preflight(h2o_req_t *req, const gg_config *cfg)
{
    static atomic_bool logged;
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("origin"), -1);
    if (i < 0 || atomic_exchange(&logged, true)) return;
    h2o_iovec_t origin = req->headers.entries[i].value;
    size_t len = origin.len > 200 ? 200 : origin.len;
    for (size_t k = 0; k < len; k++)
        if (origin.base[k] < 0x21 || origin.base[k] > 0x7e) len = 0; /* a client's bytes: printable ASCII only */
    gg_log_warn("CORS: refused the preflight of origin \"%.*s\": %s (a browser app's origin must be listed there, "
                "or \"*\"; GRAPHGATE_CORS_ORIGINS); later refusals are not logged",
                (int)len, origin.base,
                cfg->cors_origins.count == 0 ? "cors.origins is empty" : "it is not in cors.origins");
}

static int preflight(h2o_req_t *req, bool allowed, const gg_config *cfg)
{
    static h2o_generator_t generator = {NULL, NULL};
    if (!allowed) log_refused_preflight(req, cfg);
    if (allowed) {
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("access-control-allow-methods"), 0, NULL,
                              H2O_STRLIT("GET, POST, OPTIONS"));
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("access-control-allow-headers"), 0, NULL,
                              H2O_STRLIT("content-type, accept, authorization, x-api-key, x-amz-date, "
                                         "x-amz-security-token, x-amz-user-agent, x-amz-content-sha256"));
        char age[16];
        int n = snprintf(age, sizeof age, "%u", cfg->cors_max_age_s);
        h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("access-control-max-age"), 0, NULL,
                              h2o_strdup(&req->pool, age, (size_t)n).base, (size_t)n);
    }
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, H2O_STRLIT("GET, POST, OPTIONS"));
    req->res.status = 204;
    req->res.reason = "No Content";
    req->res.content_length = 0;
    h2o_start_response(req, &generator);
    h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
    return 0;
}

int gg_graphql_on_req_untraced(h2o_handler_t *self, h2o_req_t *req)
{
    gg_server *s = ((gg_route *)self)->server;
    gg_worker *w = gg_worker_of(req);
    int upgraded = gg_rt_on_req(w->realtime, req); /* a websocket upgrade to <path> or <path>/realtime */
    if (upgraded != -1) return upgraded;
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    if (path_len != strlen(s->cfg->graphql_path) &&
        !(path_len == strlen(s->cfg->graphql_path) + 1 && req->path.base[path_len - 1] == '/'))
        return -1; /* /graphql/xyz: not ours, the catch-all answers 404 */
    if (s->console != NULL && gg_console_wanted(req)) return gg_console_send_page(s->console, req); /* a browser */
    gg_worker_track_request(req);
    /* The generation this request uses: everything up to its execution runs now, within this call (a
     * reload switches the thread's view only between events of its loop); the execution holds it, and
     * so must any step that would answer later (gg_view_hold). */
    gg_view *view = w->view;
    media m = negotiate(req);
    bool cors_ok;
    add_cors_headers(req, s->cfg, &cors_ok);

    bool is_get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET"));
    bool is_post = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"));
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("OPTIONS"))) return preflight(req, cors_ok, s->cfg);
    if (!is_get && !is_post) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, H2O_STRLIT("GET, POST, OPTIONS"));
        return send_error(req, 405, m, NULL, "Method not allowed: use POST (or GET for queries).");
    }
    /* ---- authorization (issue 10): before anything of the request is parsed; moves into the gateway ---- */
    gg_auth_identity *identity = NULL;
    gg_auth_refusal refusal = {0};
    if (gg_generation_verifier(view->generation) != NULL && (identity = authorize(req, view, &refusal)) == NULL &&
        !refusal.ask_lambda)
        return 0; /* answered 401 */
    /* ---- end of authorization ---- */
    gql_params p = {0};
    const char *bad;
    if (is_post) {
        bool present;
        if (!content_type_is_json(req, &present)) {
            gg_auth_identity_release(identity);
            return send_error(req, 415, m, NULL,
                              present ? "Unsupported Content-Type: send application/json (UTF-8)."
                                      : "Missing Content-Type: send application/json.");
        }
        bad = params_from_body(req, &p);
    } else {
        bad = params_from_query_string(req, &p);
    }
    int rc;
    if (bad != NULL) {
        gg_auth_identity_release(identity);
        rc = send_error(req, 400, m, "BadRequestException", bad);
    } else if ((rc = persisted_query(req, w, m, &p)) != -1) {
        gg_auth_identity_release(identity);
    } else if (refusal.ask_lambda) {
        rc = ask_lambda(req, w, view, m, &p, is_get, &refusal); /* takes p */
    } else {
        rc = run(req, w, view, m, &p, is_get, identity);
    }
    params_free(&p);
    return rc;
}
