/* transport_ws.c: graphql-transport-ws, the graphql-ws library's protocol (its PROTOCOL.md;
 * appsync-compat.md §5.5).
 *
 *   C: connection_init {payload?}   S: connection_ack (credentials: the payload's x-api-key /
 *                                      Authorization, else the upgrade's headers; refused: 4403)
 *   C/S: ping -> pong (pong is never answered; a ping's payload comes back in its pong)
 *   C: subscribe {id, payload: {query, variables?, operationName?, extensions?}}
 *                                   S: next {id, payload: result} for each event,
 *                                      or error {id, payload: [GraphQL errors]} (no complete follows) for a
 *                                      document that does not validate; variables that do not coerce are an
 *                                      execution result, as graphql-js's subscribe() gives it: next {errors},
 *                                      then complete
 *   C: complete {id}                the subscription ends; nothing is sent
 * Every message is checked as the reference server (graphql-ws useServer) checks it before acting on it: a
 * payload of connection_init, ping or pong is an object or null; subscribe has a non-empty string id and a payload
 * object with a string query and, when present, an object variables, a string operationName and an object
 * extensions; complete has a non-empty string id. Anything else closes with 4400, before the ack is looked at.
 * Close codes: 4400 invalid message, 4401 subscribe before the ack, 4403 forbidden, 4408 no * connection_init in time,
 * 4409 "Subscriber for <id> already exists", 4429 a second connection_init. A query or mutation runs once, with the
 * thread's data source, as over HTTP: one next, then complete; a client complete drops its answer. Running operations
 * count with the subscriptions against realtime.max_subscriptions_per_connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void gg_rt_transport_send_next(gg_rt_conn *c, const gg_rt_sub *sub, const char *payload, size_t len)
{
    gg_rt_conn_send_message(c, "next", sub->id, payload, len);
}

void gg_rt_transport_on_init_timeout(gg_rt_conn *c)
{
    gg_rt_conn_close(c, 4408, "Connection initialisation timeout");
}

/* The connection's token expired: 4403 Forbidden, which the graphql-ws client retries (with
 * connectionParams asked again, so a fresh token). */
void gg_rt_transport_on_token_expired(gg_rt_conn *c)
{
    gg_rt_conn_close(c, 4403, "Forbidden: the token has expired");
}

/* Keep-alive, as the reference server (graphql-ws useServer, keepAlive) does it: a websocket ping
 * frame every realtime.keep_alive_interval_ms from the upgrade on (browsers and ws answer it with a
 * pong by themselves; it keeps proxies and load balancers from closing an idle subscription), and a
 * peer that sent nothing back, not even the pong, by the next one is gone: closed with 1001. */
void gg_rt_transport_on_keep_alive(gg_rt_conn *c)
{
    if (c->ping_unanswered) {
        gg_rt_conn_close(c, 1001, "No pong to the keep-alive ping (realtime.keep_alive_interval_ms)");
        return;
    }
    struct wslay_event_msg ping = {WSLAY_PING, NULL, 0};
    if (wslay_event_queue_msg(c->ws->ws_ctx, &ping) == 0) c->ping_unanswered = true;
}

/* A member of the init payload, by header name without case. */
static const char *credential(const cJSON *payload, const char *name)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, payload)
    {
        if (item->string != NULL && strcasecmp(item->string, name) == 0 && cJSON_IsString(item))
            return item->valuestring;
    }
    return NULL;
}

static void on_connection_init(gg_rt_conn *c, const cJSON *payload)
{
    if (c->init_received) {
        gg_rt_conn_close(c, 4429, "Too many initialisation requests");
        return;
    }
    c->init_received = true;
    gg_rt_conn_init_done(c);
    const char *api_key = c->api_key, *authorization = c->authorization;
    if (cJSON_IsObject(payload) && (credential(payload, "x-api-key") || credential(payload, "authorization"))) {
        api_key = credential(payload, "x-api-key");
        authorization = credential(payload, "authorization");
    }
    gg_auth_refusal refusal = {0};
    bool ok;
    c->identity = gg_rt_conn_authorize(c, api_key, authorization, &refusal, &ok);
    if (!ok) { /* the reason says what an HTTP request would have been told (it fits the 123 bytes) */
        char reason[123];
        snprintf(reason, sizeof reason, "Forbidden%s%s", refusal.message ? ": " : "",
                 refusal.message ? refusal.message : "");
        gg_rt_conn_close(c, 4403, reason);
        return;
    }
    c->acked = true;
    gg_rt_conn_watch_expiry(c, c->identity);
    gg_rt_conn_send(c, H2O_STRLIT("{\"type\":\"connection_ack\"}"));
}

/* A query or mutation finished: next and complete, unless the connection or the client let it go. */
static void on_operation_done(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    (void)outcome;
    gg_rt_op *op = user;
    gg_rt_conn *c = op->conn;
    if (c != NULL) {
        h2o_linklist_unlink(&op->link);
        c->op_count--;
        gg_rt_conn_send_message(c, "next", op->id, json, len);
        gg_rt_conn_send_message(c, "complete", op->id, NULL, 0);
        gg_rt_hub_flush(c->hub);
    }
    gg_auth_identity_release(op->identity);
    op->generation->release(op->generation);
    free(op->id);
    free(op);
}

static void run_operation(gg_rt_conn *c, const char *id, gg_doc *doc, const char *operation_name,
                          const cJSON *variables)
{
    gg_rt_op *op = calloc(1, sizeof *op);
    if (op == NULL) abort();
    op->conn = c;
    op->generation = c->generation;
    op->generation->hold(op->generation);
    op->id = strdup(id);
    if (op->id == NULL) abort();
    op->identity = c->identity ? gg_auth_identity_ref(c->identity) : NULL;
    h2o_linklist_insert(&c->ops, &op->link);
    c->op_count++;
    gg_request_context context = *c->hub->setup.context;
    context.pg.owner = op; /* names its statements, for gg_gateway_cancel */
    gg_gateway_request request = {doc, operation_name, variables, &context, op->identity};
    gg_gateway_execute(c->generation->gateway, &request, on_operation_done, op);
}

/* Whether a member is absent, null or of the kind check accepts. */
static bool absent_or(const cJSON *item, cJSON_bool (*check)(const cJSON *))
{
    return item == NULL || cJSON_IsNull(item) || check(item);
}

/* What is wrong with a message of a known type (its members, as PROTOCOL.md gives them), or NULL. */
static const char *message_problem(const char *type, const cJSON *message)
{
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(message, "payload");
    const char *id = gg_rt_string_member(message, "id");
    if (strcmp(type, "connection_init") == 0 || strcmp(type, "ping") == 0 || strcmp(type, "pong") == 0)
        return absent_or(payload, cJSON_IsObject) ? NULL : "the payload is not an object";
    if (strcmp(type, "complete") == 0) return id != NULL && id[0] != '\0' ? NULL : "complete needs an id";
    if (strcmp(type, "subscribe") != 0) return NULL;
    if (id == NULL || id[0] == '\0') return "subscribe needs an id";
    if (!cJSON_IsObject(payload) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(payload, "query")))
        return "subscribe needs payload.query";
    if (!absent_or(cJSON_GetObjectItemCaseSensitive(payload, "variables"), cJSON_IsObject))
        return "payload.variables is not an object";
    if (!absent_or(cJSON_GetObjectItemCaseSensitive(payload, "operationName"), cJSON_IsString))
        return "payload.operationName is not a string";
    if (!absent_or(cJSON_GetObjectItemCaseSensitive(payload, "extensions"), cJSON_IsObject))
        return "payload.extensions is not an object";
    return NULL;
}

/* The client's message was checked by message_problem. */
static void on_subscribe(gg_rt_conn *c, const char *id, const cJSON *payload)
{
    const cJSON *query = cJSON_GetObjectItemCaseSensitive(payload, "query");
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(payload, "variables");
    const cJSON *operation_name = cJSON_GetObjectItemCaseSensitive(payload, "operationName");
    if (gg_rt_conn_find(c, id) != NULL || gg_rt_conn_find_op(c, id) != NULL) {
        char reason[124];
        snprintf(reason, sizeof reason, "Subscriber for %.*s already exists", gg_rt_utf8_prefix(id, 80), id);
        gg_rt_conn_close(c, 4409, reason);
        return;
    }
    if (c->sub_count + c->op_count >= c->hub->cfg->rt_max_subscriptions) {
        char message[100];
        snprintf(message, sizeof message, "Max number of %u subscriptions reached", c->hub->cfg->rt_max_subscriptions);
        gg_rt_conn_send_error(c, id, "MaxSubscriptionsReachedError", message);
        return;
    }
    const char *name = cJSON_IsString(operation_name) ? operation_name->valuestring : NULL;
    gg_doc *doc = gg_doc_get(c->generation->cache, query->valuestring, strlen(query->valuestring));
    const char *selected;
    gg_op_kind kind = gg_doc_operation(doc, name, &selected); /* NONE for failed documents */
    if (kind == GG_OPK_QUERY || kind == GG_OPK_MUTATION) {
        run_operation(c, id, doc, name, cJSON_IsObject(variables) ? variables : NULL);
        gg_doc_release(doc);
        return;
    }
    gg_doc_release(doc);
    gg_rt_start_error error;
    gg_rt_sub *sub = gg_rt_sub_start(c, id, query->valuestring, strlen(query->valuestring),
                                     cJSON_IsString(operation_name) ? operation_name->valuestring : NULL,
                                     cJSON_IsObject(variables) ? variables : NULL,
                                     c->identity ? gg_auth_identity_ref(c->identity) : NULL, &error);
    if (sub == NULL) {
        /* {"errors":[...]} -> [...] */
        static const char prefix[] = "{\"errors\":";
        if (error.execution) {
            gg_rt_conn_send_message(c, "next", id, error.errors.data, error.errors.len);
            gg_rt_conn_send_message(c, "complete", id, NULL, 0);
        } else if (error.errors.len > sizeof prefix && memcmp(error.errors.data, prefix, sizeof prefix - 1) == 0)
            gg_rt_conn_send_message(c, "error", id, error.errors.data + sizeof prefix - 1,
                                    error.errors.len - sizeof prefix);
        else
            gg_rt_conn_send_error(c, id, error.error_type, error.message);
    }
    gg_buf_free(&error.errors);
}

void gg_rt_transport_on_message(gg_rt_conn *c, const char *text, size_t len)
{
    cJSON *message = cJSON_ParseWithLength(text, len);
    const char *type = gg_rt_string_member(message, "type");
    const char *id = gg_rt_string_member(message, "id");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(message, "payload");
    const char *problem = type != NULL ? message_problem(type, message) : NULL;
    if (!cJSON_IsObject(message) || type == NULL) {
        gg_rt_conn_close(c, 4400, "Invalid message received");
    } else if (problem != NULL) {
        char reason[123];
        snprintf(reason, sizeof reason, "Invalid message received: %s", problem);
        gg_rt_conn_close(c, 4400, reason);
    } else if (strcmp(type, "connection_init") == 0) {
        on_connection_init(c, payload);
    } else if (strcmp(type, "ping") == 0) {
        if (cJSON_IsObject(payload)) { /* echoed, as the reference server does */
            char *echo = cJSON_PrintUnformatted(payload);
            if (echo == NULL) abort();
            gg_rt_conn_send_message(c, "pong", NULL, echo, strlen(echo));
            cJSON_free(echo);
        } else {
            gg_rt_conn_send(c, H2O_STRLIT("{\"type\":\"pong\"}"));
        }
    } else if (strcmp(type, "pong") == 0) {
        /* nothing */
    } else if (strcmp(type, "subscribe") == 0) {
        if (!c->acked)
            gg_rt_conn_close(c, 4401, "Unauthorized");
        else
            on_subscribe(c, id, payload);
    } else if (strcmp(type, "complete") == 0) {
        gg_rt_sub *sub = c->acked ? gg_rt_conn_find(c, id) : NULL;
        gg_rt_op *op = c->acked ? gg_rt_conn_find_op(c, id) : NULL;
        if (sub != NULL) gg_rt_sub_stop(sub);
        if (op != NULL) gg_rt_op_detach(op);
    } else {
        gg_rt_conn_close(c, 4400, "Invalid message received");
    }
    cJSON_Delete(message);
}
