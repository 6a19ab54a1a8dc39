/* connection.c: one websocket connection: the upgrade, sending, closing, its timers.
 *
 * h2o 2.2.5 speaks websockets over HTTP/1.1 only, through wslay (c-platform-notes.md §6). The
 * upgrade picks the protocol from the offered subprotocols (graphql-transport-ws first when both
 * are offered on <graphql_path>; <graphql_path>/realtime is AppSync's), answers with that one
 * only (never the header- entry), and caps incoming messages at realtime.max_message_bytes (wslay
 * closes with 1009 above it).
 * Sending queues a frame in wslay (which copies it). Inside the connection's own message callback
 * h2o writes the queue afterwards; elsewhere (events, timers) the connection is put on the hub's
 * flush list and written by gg_rt_hub_flush, because h2o_websocket_proceed may end (free) the
 * connection, which must not happen while a dispatch walks the subscribers. The queue is bounded:
 * past realtime.max_send_queue_bytes of events the client is too slow, and is closed (1008, the
 * close frame queued at once, ahead of the data: a client that reads again learns why). Answers
 * to the client's own messages push back instead: when its messages leave more than half the
 * bound queued, the connection stops reading (right after h2o's read callback, on a 0 ms timer)
 * until h2o has written some of it, so TCP slows a client that sends faster than it reads; what
 * was already read is answered in full, up to GG_RT_ANSWER_QUEUE_FACTOR times the bound.
 * Frames leave through send_frame_piece, not h2o's own wslay send callback: h2o 2.2.5 writes every
 * piece wslay hands it at once and refuses the next piece until that write completes, so a frame's
 * header (2-10 bytes) and its payload were two writes an event-loop iteration apart: two system
 * calls and two TCP segments per message. send_frame_piece gathers a frame's pieces and writes
 * the frame once (the buffer lives until h2o reports the write done, as h2o's own did).
 * A close queues the close frame and gives the peer GG_RT_CLOSE_GRACE_MS to answer; then, or when
 * h2o reports the end (callback with NULL), the connection is destroyed. Texts quoted from a
 * client in messages and close reasons are cut on UTF-8 character boundaries (wslay refuses text
 * frames that are not UTF-8, with 1007).
 * A connection authorized with a JWT (at connection_init, or by a start's own token) is closed
 * when the first of its tokens expires (the moment HTTP requests and handshakes stop accepting it:
 * the second after exp, TTLs and leeway), in its protocol's words. Its timer lives on the hub's
 * loop: h2o 2.2.5 timeouts have one fixed duration each, so the timer hops down a ladder of
 * durations (16 ms << level), always the longest that does not pass the deadline: a few dozen
 * wake-ups over a token's life, and no scan of the connections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/log.h"
#include "../gateway/authorize.h"
#include "../gateway/lambda_authorize.h"
#include "../metrics/metrics.h"
#include "internal.h"

/* Answers to a client's own messages may queue this many times realtime.max_send_queue_bytes
 * (its reading pauses at half the bound; a batch of messages h2o already read is answered). */
#define GG_RT_ANSWER_QUEUE_FACTOR 8

int gg_rt_utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* s[n] continues a character: cut before it */
            n--;
    }
    return (int)n;
}

/* The hub's expiry ladder and its 0 ms timeout, set up once. */
static void hub_timeouts(gg_rt_hub *hub)
{
    if (hub->timeouts_ready) return;
    for (unsigned i = 0; i < GG_RT_EXPIRY_LEVELS; i++)
        h2o_timeout_init(hub->loop, &hub->expiry_timeouts[i], (uint64_t)GG_RT_EXPIRY_STEP_MS << i);
    h2o_timeout_init(hub->loop, &hub->pause_timeout, 0);
    hub->timeouts_ready = true;
}

void gg_rt_op_detach(gg_rt_op *op)
{
    gg_rt_conn *c = op->conn;
    if (c == NULL) return;
    h2o_linklist_unlink(&op->link);
    c->op_count--;
    op->conn = NULL;
    gg_gateway_cancel(c->hub->setup.context, op, false);
}

gg_rt_op *gg_rt_conn_find_op(gg_rt_conn *c, const char *id)
{
    for (h2o_linklist_t *l = c->ops.next; l != &c->ops; l = l->next) {
        gg_rt_op *op = H2O_STRUCT_FROM_MEMBER(gg_rt_op, link, l);
        if (strcmp(op->id, id) == 0) return op;
    }
    return NULL;
}

/* h2o finished writing a frame: the next one, if any (h2o_websocket_proceed may end the connection). */
static void on_frame_written(h2o_socket_t *sock, const char *err)
{
    h2o_websocket_conn_t *ws = sock->data;
    gg_rt_conn *c = ws->data;
    gg_buf_free(&c->out); /* an idle connection keeps no buffer */
    if (err != NULL) {
        ws->cb(ws, NULL); /* as h2o's own callback: the connection is gone */
        return;
    }
    h2o_websocket_proceed(ws);
}

/* wslay's send callback: a piece flagged WSLAY_MSG_MORE (a frame's header) waits for the rest of its
 * frame, which wslay hands over in the same call; the whole frame is then written at once. While a
 * write is pending nothing is taken (wslay retries when h2o_websocket_proceed runs again). */
static ssize_t send_frame_piece(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *user)
{
    h2o_websocket_conn_t *ws = user;
    gg_rt_conn *c = ws->data;
    if (h2o_socket_is_writing(ws->sock)) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (c->out.len == 0 && (flags & WSLAY_MSG_MORE) && len >= 2) { /* a header: room for its whole frame */
        size_t payload = data[1] & 0x7f;
        if (payload == 126 && len >= 4)
            payload = (size_t)data[2] << 8 | data[3];
        else if (payload == 127)
            payload = 0; /* over 64 KB: the buffer grows as it must */
        gg_buf_reserve(&c->out, len + payload);
    }
    gg_buf_append(&c->out, (const char *)data, len);
    if ((flags & WSLAY_MSG_MORE) == 0) {
        h2o_iovec_t frame = h2o_iovec_init(c->out.data, c->out.len);
        h2o_socket_write(ws->sock, &frame, 1, on_frame_written);
    }
    return (ssize_t)len;
}

static void conn_destroy(gg_rt_conn *c)
{
    gg_rt_hub *hub = c->hub;
    while (!h2o_linklist_is_empty(&c->ops))
        gg_rt_op_detach(H2O_STRUCT_FROM_MEMBER(gg_rt_op, link, c->ops.next));
    while (c->sub_count > 0)
        gg_rt_sub_stop(c->subs[c->sub_count - 1]);
    free(c->subs);
    if (h2o_timeout_is_linked(&c->init_timer)) h2o_timeout_unlink(&c->init_timer);
    if (h2o_timeout_is_linked(&c->keep_alive_timer)) h2o_timeout_unlink(&c->keep_alive_timer);
    if (h2o_timeout_is_linked(&c->close_timer)) h2o_timeout_unlink(&c->close_timer);
    if (h2o_timeout_is_linked(&c->expiry_timer)) h2o_timeout_unlink(&c->expiry_timer);
    if (h2o_timeout_is_linked(&c->pause_timer)) h2o_timeout_unlink(&c->pause_timer);
    if (h2o_linklist_is_linked(&c->flush_link)) h2o_linklist_unlink(&c->flush_link);
    h2o_linklist_unlink(&c->link);
    hub->conn_count--;
    gg_metrics_websocket(false);
    gg_rt_fanout_release_connection(hub->setup.fanout);
    gg_auth_identity_release(c->identity);
    free(c->api_key);
    free(c->authorization);
    h2o_websocket_close(c->ws);
    gg_buf_free(&c->out); /* after the socket: a write in progress may still point into it */
    c->generation->release(c->generation);
    free(c);
}

static void want_flush(gg_rt_conn *c)
{
    if (!h2o_linklist_is_linked(&c->flush_link)) h2o_linklist_insert(&c->hub->flush, &c->flush_link);
}

void gg_rt_hub_flush(gg_rt_hub *hub)
{
    while (!h2o_linklist_is_empty(&hub->flush)) {
        gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, flush_link, hub->flush.next);
        h2o_linklist_unlink(&c->flush_link);
        if (c->in_callback) continue;                          /* h2o proceeds when the callback returns */
        if (c->ws->sock != NULL) h2o_websocket_proceed(c->ws); /* may destroy c */
        /* before the 101 is written, h2o's upgrade completion sends the queue */
    }
}

/* Queues the close frame now; the peer then has GG_RT_CLOSE_GRACE_MS to answer it. */
static void queue_close(gg_rt_conn *c)
{
    c->close_queued = true;
    wslay_event_queue_close(c->ws->ws_ctx, (uint16_t)c->close_code, (const uint8_t *)c->close_reason,
                            strlen(c->close_reason));
    h2o_timeout_link(c->hub->loop, &c->hub->close_timeout, &c->close_timer);
    want_flush(c);
}

/* Starts closing: the close frame is queued at once, or (after_queue) once the frames queued
 * before it have left. */
static void close_with(gg_rt_conn *c, int code, const char *reason, bool after_queue)
{
    if (c->closing) return;
    c->closing = true;
    c->close_code = code;
    /* a close reason fits in 123 bytes */
    snprintf(c->close_reason, sizeof c->close_reason, "%.*s", gg_rt_utf8_prefix(reason, sizeof c->close_reason - 1),
             reason);
    c->close_started = h2o_now(c->hub->loop);
    if (h2o_timeout_is_linked(&c->keep_alive_timer)) h2o_timeout_unlink(&c->keep_alive_timer);
    if (h2o_timeout_is_linked(&c->init_timer)) h2o_timeout_unlink(&c->init_timer);
    if (h2o_timeout_is_linked(&c->expiry_timer)) h2o_timeout_unlink(&c->expiry_timer);
    if (!after_queue || wslay_event_get_queued_msg_count(c->ws->ws_ctx) == 0) {
        queue_close(c);
        return;
    }
    h2o_timeout_link(c->hub->loop, &c->hub->close_soon_timeout, &c->close_timer);
    want_flush(c);
}

void gg_rt_conn_close(gg_rt_conn *c, int code, const char *reason)
{
    close_with(c, code, reason, true);
}

void gg_rt_conn_send(gg_rt_conn *c, const char *text, size_t len)
{
    if (c->closing) return;
    struct wslay_event_msg msg = {WSLAY_TEXT_FRAME, (const uint8_t *)text, len};
    if (wslay_event_queue_msg(c->ws->ws_ctx, &msg) != 0) return;
    want_flush(c);
    size_t limit = c->hub->cfg->rt_max_send_queue_bytes;
    if (c->in_callback) limit *= GG_RT_ANSWER_QUEUE_FACTOR;
    if (wslay_event_get_queued_msg_length(c->ws->ws_ctx) > limit) {
        if (c->in_callback)
            gg_log_warn("realtime: a client reads too slowly the answers to its own messages (over %zu bytes queued, "
                        "%d x realtime.max_send_queue_bytes): disconnected",
                        limit, GG_RT_ANSWER_QUEUE_FACTOR);
        else
            gg_log_warn("realtime: a client reads too slowly (over %zu bytes queued, realtime.max_send_queue_bytes): "
                        "disconnected",
                        limit);
        close_with(c, 1008, "send queue full: the client reads too slowly (realtime.max_send_queue_bytes)", false);
    }
}

void gg_rt_conn_send_message(gg_rt_conn *c, const char *type, const char *id, const char *payload, size_t len)
{
    /* built in the hub's buffer (kept between messages: one per delivery, so no allocation each) */
    gg_buf *b = &c->hub->message;
    b->len = 0;
    gg_buf_reserve(b, len + 64);
    gg_buf_puts(b, "{\"type\":\"");
    gg_buf_puts(b, type); /* a protocol word: nothing to escape */
    gg_buf_putc(b, '"');
    if (id != NULL) {
        gg_buf_puts(b, ",\"id\":");
        gg_json_write_string(b, id, strlen(id));
    }
    if (payload != NULL) {
        gg_buf_puts(b, ",\"payload\":");
        gg_buf_append(b, payload, len);
    }
    gg_buf_putc(b, '}');
    gg_rt_conn_send(c, b->data, b->len);
    if (b->cap > 65536) gg_buf_free(b); /* a large message's buffer is not kept */
}

void gg_rt_write_error(gg_buf *out, const char *error_type, const char *message)
{
    gg_buf_puts(out, "{\"message\":");
    gg_json_write_string(out, message, strlen(message));
    gg_buf_puts(out, ",\"errorType\":");
    gg_json_write_string(out, error_type, strlen(error_type));
    gg_buf_putc(out, '}');
}

void gg_rt_conn_send_error(gg_rt_conn *c, const char *id, const char *error_type, const char *message)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, c->protocol == GG_RT_APPSYNC ? "{\"errors\":[" : "[");
    gg_rt_write_error(&b, error_type, message);
    gg_buf_puts(&b, c->protocol == GG_RT_APPSYNC ? "]}" : "]");
    gg_rt_conn_send_message(c, "error", id, b.data, b.len);
    gg_buf_free(&b);
}

const char *gg_rt_string_member(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

gg_rt_sub *gg_rt_conn_find(gg_rt_conn *c, const char *id)
{
    for (unsigned i = 0; i < c->sub_count; i++)
        if (strcmp(c->subs[i]->id, id) == 0) return c->subs[i];
    return NULL;
}

/* AWS_LAMBDA on a websocket: the authorizer's answer, if it comes while gg_rt_conn_authorize waits. */
typedef struct lambda_answer {
    bool answered, abandoned;
    gg_auth_identity *identity;
    gg_auth_refusal refusal;
} lambda_answer;

static void on_lambda_answer(void *user, gg_auth_identity *identity, const gg_auth_refusal *refusal)
{
    lambda_answer *a = user;
    if (a->abandoned) { /* came too late for its connection; the decision is cached all the same */
        gg_auth_identity_release(identity);
        free(a);
        return;
    }
    a->answered = true;
    a->identity = identity;
    a->refusal = *refusal;
}

/* Asks the Lambda authorizer about the token of asked. The realtime handshake takes a synchronous
 * answer only: a connection whose authorizer answers later is refused (and its decision, once it
 * comes, is cached for the client's next attempt). */
static gg_auth_identity *authorize_lambda(gg_rt_conn *c, const gg_auth_refusal *asked, gg_auth_refusal *refusal)
{
    gg_rt_hub *hub = c->hub;
    char source_ip[GG_GATEWAY_PEER_TEXT_BYTES];
    gg_gateway_peer_text((const struct sockaddr *)&c->peer, c->peer_len, source_ip, sizeof source_ip);
    gg_plugins_authorization_request request = {.token = asked->lambda_token,
                                                .token_len = asked->lambda_token_len,
                                                .source_ip = source_ip,
                                                .pg = hub->setup.context != NULL ? &hub->setup.context->pg : NULL};
    lambda_answer *a = calloc(1, sizeof *a);
    if (a == NULL) abort();
    gg_gateway_authorize_lambda(c->generation->gateway, c->generation->verifier, c->generation->auth_cache, asked,
                                &request, on_lambda_answer, a);
    if (!a->answered) {
        a->abandoned = true;
        *refusal = *asked;
        refusal->ask_lambda = false;
        gg_log_warn("auth: refused a realtime connection from %s: its Lambda authorizer did not answer at once "
                    "(websocket handshakes take synchronous answers only)",
                    source_ip);
        return NULL;
    }
    gg_auth_identity *identity = a->identity;
    *refusal = a->refusal;
    free(a);
    return identity;
}

gg_auth_identity *gg_rt_conn_authorize(gg_rt_conn *c, const char *api_key, const char *authorization,
                                       gg_auth_refusal *refusal, bool *ok)
{
    *ok = true;
    if (c->generation->verifier == NULL) return NULL;
    gg_auth_identity *identity = gg_gateway_authorize(
        c->generation->verifier, c->generation->auth_cache, api_key, api_key ? strlen(api_key) : 0, authorization,
        authorization ? strlen(authorization) : 0, (const struct sockaddr *)&c->peer, c->peer_len, refusal);
    if (identity == NULL && refusal->ask_lambda) {
        gg_auth_refusal asked = *refusal;
        identity = authorize_lambda(c, &asked, refusal);
    }
    *ok = identity != NULL;
    return identity;
}

/* ---- timers ---- */

static void on_init_timeout(h2o_timeout_entry_t *entry)
{
    gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, init_timer, entry);
    if (c->protocol == GG_RT_APPSYNC)
        gg_rt_appsync_on_init_timeout(c);
    else
        gg_rt_transport_on_init_timeout(c);
    gg_rt_hub_flush(c->hub);
}

static void on_keep_alive(h2o_timeout_entry_t *entry)
{
    gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, keep_alive_timer, entry);
    gg_rt_hub *hub = c->hub;
    if (c->protocol == GG_RT_APPSYNC)
        gg_rt_conn_send(c, H2O_STRLIT("{\"type\":\"ka\"}"));
    else
        gg_rt_transport_on_keep_alive(c);
    want_flush(c);
    if (!c->closing) h2o_timeout_link(hub->loop, &hub->keep_alive_timeout, &c->keep_alive_timer);
    gg_rt_hub_flush(hub);
}

/* The close timer: while the close waits for queued frames, a check every GG_RT_CLOSE_CHECK_MS
 * (a client that reads nothing never empties the queue: destroyed after the grace period); once
 * the close frame is queued, the end of its grace period. */
static void on_close_timeout(h2o_timeout_entry_t *entry)
{
    gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, close_timer, entry);
    if (c->close_queued || h2o_now(c->hub->loop) - c->close_started >= GG_RT_CLOSE_GRACE_MS) {
        conn_destroy(c);
        return;
    }
    if (wslay_event_get_queued_msg_count(c->ws->ws_ctx) == 0)
        queue_close(c);
    else
        h2o_timeout_link(c->hub->loop, &c->hub->close_soon_timeout, &c->close_timer);
    gg_rt_hub_flush(c->hub);
}

/* ---- token expiry ---- */

static uint64_t wall_clock_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
}

/* Links the expiry timer into the longest timeout of the ladder that ends before the deadline (the
 * shortest when less than that is left). */
static void link_expiry(gg_rt_conn *c, uint64_t now_ms)
{
    gg_rt_hub *hub = c->hub;
    hub_timeouts(hub);
    uint64_t left = c->expires_ms - now_ms;
    unsigned level = 0;
    while (level + 1 < GG_RT_EXPIRY_LEVELS && ((uint64_t)GG_RT_EXPIRY_STEP_MS << (level + 1)) <= left)
        level++;
    h2o_timeout_link(hub->loop, &hub->expiry_timeouts[level], &c->expiry_timer);
}

static void on_expiry(h2o_timeout_entry_t *entry)
{
    gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, expiry_timer, entry);
    uint64_t now = wall_clock_ms();
    if (now < c->expires_ms) {
        link_expiry(c, now);
        return;
    }
    if (c->protocol == GG_RT_APPSYNC)
        gg_rt_appsync_on_token_expired(c);
    else
        gg_rt_transport_on_token_expired(c);
    gg_rt_hub_flush(c->hub);
}

void gg_rt_conn_watch_expiry(gg_rt_conn *c, const gg_auth_identity *identity)
{
    if (identity == NULL || identity->valid_until <= 0 || c->closing) return;
    uint64_t at = ((uint64_t)identity->valid_until + 1) * 1000; /* accepted through its last second */
    if (c->expires_ms != 0 && c->expires_ms <= at) return;
    c->expires_ms = at;
    if (h2o_timeout_is_linked(&c->expiry_timer)) h2o_timeout_unlink(&c->expiry_timer);
    uint64_t now = wall_clock_ms();
    link_expiry(c, now < at ? now : at);
}

void gg_rt_conn_start_keep_alive(gg_rt_conn *c)
{
    if (!h2o_timeout_is_linked(&c->keep_alive_timer))
        h2o_timeout_link(c->hub->loop, &c->hub->keep_alive_timeout, &c->keep_alive_timer);
}

void gg_rt_conn_init_done(gg_rt_conn *c)
{
    if (h2o_timeout_is_linked(&c->init_timer)) h2o_timeout_unlink(&c->init_timer);
}

/* ---- messages ---- */

/* Right after h2o's read callback: stops reading while the client's answers fill more than half
 * the send queue (h2o reads again once it has written some). */
static void on_pause(h2o_timeout_entry_t *entry)
{
    gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, pause_timer, entry);
    if (!c->closing && c->ws->sock != NULL &&
        wslay_event_get_queued_msg_length(c->ws->ws_ctx) > c->hub->cfg->rt_max_send_queue_bytes / 2)
        h2o_socket_read_stop(c->ws->sock);
}

static void on_ws_message(h2o_websocket_conn_t *ws, const struct wslay_event_on_msg_recv_arg *arg)
{
    gg_rt_conn *c = ws->data;
    if (arg == NULL) { /* closed: peer close, I/O error or the end of the close handshake */
        conn_destroy(c);
        return;
    }
    c->ping_unanswered = false; /* any frame, a pong or a message, shows the peer is there */
    if (c->closing) return;
    c->in_callback = true;
    if (arg->opcode == WSLAY_TEXT_FRAME) {
        if (c->protocol == GG_RT_APPSYNC)
            gg_rt_appsync_on_message(c, (const char *)arg->msg, arg->msg_length);
        else
            gg_rt_transport_on_message(c, (const char *)arg->msg, arg->msg_length);
    } else if (arg->opcode == WSLAY_BINARY_FRAME) {
        gg_rt_conn_close(c, c->protocol == GG_RT_APPSYNC ? 1003 : 4400, "binary messages are not supported");
    } /* h2o writes this connection's queue when the callback returns */
    c->in_callback = false;
    if (!c->closing && !h2o_timeout_is_linked(&c->pause_timer) &&
        wslay_event_get_queued_msg_length(c->ws->ws_ctx) > c->hub->cfg->rt_max_send_queue_bytes / 2) {
        hub_timeouts(c->hub);
        h2o_timeout_link(c->hub->loop, &c->hub->pause_timeout, &c->pause_timer);
    }
    if (h2o_linklist_is_linked(&c->flush_link)) h2o_linklist_unlink(&c->flush_link);
}

/* ---- upgrade ---- */

static int refuse(h2o_req_t *req, int status, const char *reason, const char *error_type, const char *message)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{\"errors\":[");
    gg_rt_write_error(&b, error_type, message);
    gg_buf_puts(&b, "]}\n");
    req->res.status = status;
    req->res.reason = reason;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/json; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_send_inline(req, b.data, b.len);
    gg_buf_free(&b);
    return 0;
}

/* Whether the request offers the subprotocol name. */
static bool offers(h2o_req_t *req, const char *name)
{
    ssize_t i = -1;
    while ((i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("sec-websocket-protocol"), i)) >= 0)
        if (h2o_contains_token(req->headers.entries[i].value.base, req->headers.entries[i].value.len, name,
                               strlen(name), ','))
            return true;
    return false;
}

int gg_rt_on_req(gg_rt_hub *hub, h2o_req_t *req)
{
    const char *client_key;
    if (h2o_is_websocket_handshake(req, &client_key) != 0 || client_key == NULL) return -1;
    const char *base = hub->cfg->graphql_path;
    size_t base_len = strlen(base);
    size_t path_len = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    const char *path = req->path.base;
    while (path_len > base_len && path[path_len - 1] == '/') /* one trailing slash or more */
        path_len--;
    bool bare = path_len == base_len && memcmp(path, base, base_len) == 0;
    bool realtime =
        path_len == base_len + 9 && memcmp(path, base, base_len) == 0 && memcmp(path + base_len, "/realtime", 9) == 0;
    if (!bare && !realtime) return -1;

    gg_rt_protocol protocol;
    if (bare && offers(req, "graphql-transport-ws"))
        protocol = GG_RT_TRANSPORT_WS;
    else if (offers(req, "graphql-ws"))
        protocol = GG_RT_APPSYNC;
    else {
        char message[400];
        if (offers(req, "graphql-transport-ws")) /* the npm graphql-ws client at the AppSync path */
            snprintf(message, sizeof message,
                     "graphql-transport-ws (the protocol of the npm graphql-ws client) is served at %s, not at "
                     "%s/realtime, which serves AppSync's real-time protocol (subprotocol graphql-ws).",
                     base, base);
        else
            snprintf(
                message, sizeof message,
                "Unsupported websocket subprotocol: offer graphql-ws (AppSync's real-time protocol, at %s/realtime "
                "or %s) or graphql-transport-ws (the protocol of the npm graphql-ws client, at %s).",
                base, base, base);
        return refuse(req, 400, "Bad Request", "BadRequestException", message);
    }
    if (hub->shutting_down)
        return refuse(req, 503, "Service Unavailable", "ServiceUnavailable", "The server is shutting down.");
    if (!gg_rt_fanout_take_connection(hub->setup.fanout)) {
        char message[200];
        snprintf(message, sizeof message,
                 "Too many websocket connections: this instance serves at most %u (realtime.max_connections).",
                 hub->cfg->rt_max_connections);
        return refuse(req, 503, "Service Unavailable", "LimitExceededError", message);
    }

    gg_rt_conn *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    c->hub = hub;
    c->generation = hub->setup.hold_current(hub->setup.user);
    c->protocol = protocol;
    c->init_timer.cb = on_init_timeout;
    c->keep_alive_timer.cb = on_keep_alive;
    c->close_timer.cb = on_close_timeout;
    c->expiry_timer.cb = on_expiry;
    c->pause_timer.cb = on_pause;
    c->peer_len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&c->peer);
    gg_rt_upgrade_credentials(req, protocol == GG_RT_APPSYNC, &c->api_key, &c->authorization);
    h2o_linklist_init_anchor(&c->ops);
    h2o_linklist_insert(&hub->conns, &c->link);
    hub->conn_count++;
    gg_metrics_websocket(true);
    const char *chosen = protocol == GG_RT_APPSYNC ? "graphql-ws" : "graphql-transport-ws";
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("sec-websocket-protocol"), 0, NULL, chosen,
                          strlen(chosen));
    c->ws = h2o_upgrade_to_websocket(req, client_key, c, on_ws_message);
    c->ws->ws_callbacks.send_callback = send_frame_piece;
    wslay_event_config_set_callbacks(c->ws->ws_ctx, &c->ws->ws_callbacks);
    wslay_event_config_set_max_recv_msg_length(c->ws->ws_ctx, hub->cfg->rt_max_message_bytes);
    h2o_timeout_link(hub->loop, &hub->init_timeout, &c->init_timer);
    if (protocol == GG_RT_TRANSPORT_WS)
        gg_rt_conn_start_keep_alive(c); /* pings from the start, as graphql-ws's server */
    return 0;
}

void gg_rt_hub_shutdown(gg_rt_hub *hub)
{
    hub->shutting_down = true;
    for (h2o_linklist_t *l = hub->conns.next; l != &hub->conns; l = l->next) {
        gg_rt_conn *c = H2O_STRUCT_FROM_MEMBER(gg_rt_conn, link, l);
        gg_rt_conn_close(c, 1001, "server shutting down");
    }
    gg_rt_hub_flush(hub);
}

void gg_rt_hub_close_all(gg_rt_hub *hub)
{
    while (!h2o_linklist_is_empty(&hub->conns))
        conn_destroy(H2O_STRUCT_FROM_MEMBER(gg_rt_conn, link, hub->conns.next));
    if (hub->timeouts_ready) {
        for (unsigned i = 0; i < GG_RT_EXPIRY_LEVELS; i++)
            h2o_timeout_dispose(hub->loop, &hub->expiry_timeouts[i]);
        h2o_timeout_dispose(hub->loop, &hub->pause_timeout);
    }
    hub->timeouts_ready = false;
}
