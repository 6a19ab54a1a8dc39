/* transport_ws.c: graphql-transport-ws, the graphql-ws library's protocol (its PROTOCOL.md;
 * appsync-compat.md §5.5).
 *
 *   C: connection_init {payload?}   S: connection_ack (credentials: the payload's x-api-key /
 *                                      Authorization, else the upgrade's headers; refused: 4403)
 *   C/S: ping -> pong (pong is never answered)
 *   C: subscribe {id, payload: {query, variables?, operationName?, extensions?}}
 *                                   S: next {id, payload: result} for each event,
 *                                      or error {id, payload: [GraphQL errors]} (no complete follows)
 *   C: complete {id}                the subscription ends; nothing is sent
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

static void on_subscribe(gg_rt_conn *c, const char *id, const cJSON *payload)
{
    const cJSON *query = cJSON_GetObjectItemCaseSensitive(payload, "query");
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(payload, "variables");
    const cJSON *operation_name = cJSON_GetObjectItemCaseSensitive(payload, "operationName");
    if (!cJSON_IsObject(payload) || !cJSON_IsString(query) ||
        (variables != NULL && !cJSON_IsNull(variables) && !cJSON_IsObject(variables)) ||
        (operation_name != NULL && !cJSON_IsNull(operation_name) && !cJSON_IsString(operation_name))) {
        gg_rt_conn_close(c, 4400, "Invalid message received: subscribe needs payload.query");
        return;
    }
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
        if (error.errors.len > sizeof prefix && memcmp(error.errors.data, prefix, sizeof prefix - 1) == 0)
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
    if (!cJSON_IsObject(message) || type == NULL) {
        gg_rt_conn_close(c, 4400, "Invalid message received");
    } else if (strcmp(type, "connection_init") == 0) {
        on_connection_init(c, cJSON_GetObjectItemCaseSensitive(message, "payload"));
    } else if (strcmp(type, "ping") == 0) {
        gg_rt_conn_send(c, H2O_STRLIT("{\"type\":\"pong\"}"));
    } else if (strcmp(type, "pong") == 0) {
        /* nothing */
    } else if (strcmp(type, "subscribe") == 0) {
        if (!c->acked)
            gg_rt_conn_close(c, 4401, "Unauthorized");
        else if (id == NULL || id[0] == '\0')
            gg_rt_conn_close(c, 4400, "Invalid message received: subscribe needs an id");
        else
            on_subscribe(c, id, cJSON_GetObjectItemCaseSensitive(message, "payload"));
    } else if (strcmp(type, "complete") == 0) {
        gg_rt_sub *sub = id && c->acked ? gg_rt_conn_find(c, id) : NULL;
        gg_rt_op *op = id && c->acked ? gg_rt_conn_find_op(c, id) : NULL;
        if (sub != NULL) gg_rt_sub_stop(sub);
        if (op != NULL) gg_rt_op_detach(op);
    } else {
        gg_rt_conn_close(c, 4400, "Invalid message received");
    }
    cJSON_Delete(message);
}
