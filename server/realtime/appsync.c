/* appsync.c: AppSync's real-time protocol (subprotocol graphql-ws), appsync-compat.md §5.1.
 *
 *   C: connection_init                S: connection_ack {connectionTimeoutMs}, then "ka" periodically
 *                                         (or connection_error and close when the handshake's
 *                                         credentials are refused)
 *   C: start {id, payload: {data: "<JSON string>", extensions: {authorization: {...}}}}
 *                                      S: start_ack, later data {id, payload: {data: ...}}
 *                                         or error {id, payload: {errors: [...]}}
 *   C: stop {id}                       S: complete {id}
 * Messages before connection_ack are ignored (AppSync does the same). Error shapes and errorType
 * words are AppSync's: UnauthorizedException, MaxSubscriptionsReachedError ("Max number of 100
 * subscriptions reached"), DuplicatedOperationError, UnsupportedOperation ("<type> not supported
 * through the realtime channel", also for unknown message types), ValidationError, ParseError. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The connection timeout Amplify is told: it drops a socket that stays silent (no ka, no data) this long. */
#define CONNECTION_TIMEOUT_MS 300000

/* An error carrying a document's errors ({"errors":[...]}), each given the errorType. */
static void send_document_errors(gg_rt_conn *c, const char *id, const char *error_type, const gg_buf *errors)
{
    cJSON *root = cJSON_ParseWithLength(errors->data, errors->len);
    cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "errors");
    cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        if (cJSON_GetObjectItemCaseSensitive(e, "errorType") == NULL)
            cJSON_AddStringToObject(e, "errorType", error_type);
    }
    cJSON *message = cJSON_CreateObject();
    cJSON_AddStringToObject(message, "type", "error");
    cJSON_AddStringToObject(message, "id", id);
    cJSON_AddItemToObject(message, "payload", root ? root : cJSON_CreateObject());
    char *text = cJSON_PrintUnformatted(message);
    if (text != NULL) gg_rt_conn_send(c, text, strlen(text));
    cJSON_free(text);
    cJSON_Delete(message);
}

void gg_rt_appsync_send_data(gg_rt_conn *c, const gg_rt_sub *sub, const char *payload, size_t len)
{
    gg_rt_conn_send_message(c, "data", sub->id, payload, len);
}

void gg_rt_appsync_on_init_timeout(gg_rt_conn *c)
{
    gg_rt_conn_close(c, 4408, "connection_init not received in time (realtime.connection_init_timeout_ms)");
}

/* AppSync's words for an expired token (observed: UnauthorizedException "Token has expired."),
 * which Amplify answers by reconnecting with a fresh token; then the socket is closed. */
void gg_rt_appsync_on_token_expired(gg_rt_conn *c)
{
    gg_rt_conn_send_error(c, NULL, "UnauthorizedException", "Token has expired.");
    gg_rt_conn_close(c, 1000, "Token has expired.");
}

static void on_connection_init(gg_rt_conn *c)
{
    if (c->init_received) return; /* a repeated init changes nothing */
    c->init_received = true;
    gg_rt_conn_init_done(c);
    gg_auth_refusal refusal;
    bool ok;
    c->identity = gg_rt_conn_authorize(c, c->api_key, c->authorization, &refusal, &ok);
    if (!ok) {
        /* Amplify reads errors[0].errorType and errorCode and does not retry 401 / UnauthorizedException */
        gg_buf b;
        gg_buf_init(&b);
        gg_buf_puts(&b, "{\"type\":\"connection_error\",\"payload\":{\"errors\":[{\"errorType\":");
        gg_json_write_string(&b, refusal.error_type, strlen(refusal.error_type));
        gg_buf_puts(&b, ",\"errorCode\":401,\"message\":");
        gg_json_write_string(&b, refusal.message, strlen(refusal.message));
        gg_buf_puts(&b, "}]}}");
        gg_rt_conn_send(c, b.data, b.len);
        gg_buf_free(&b);
        gg_rt_conn_close(c, 1000, "Unauthorized");
        return;
    }
    c->acked = true;
    gg_rt_conn_watch_expiry(c, c->identity);
    char ack[96];
    int n = snprintf(ack, sizeof ack, "{\"type\":\"connection_ack\",\"payload\":{\"connectionTimeoutMs\":%d}}",
                     CONNECTION_TIMEOUT_MS);
    gg_rt_conn_send(c, ack, (size_t)n);
    gg_rt_conn_send(c, H2O_STRLIT("{\"type\":\"ka\"}"));
    gg_rt_conn_start_keep_alive(c);
}

/* The identity a start runs with: its own extensions.authorization, else the connection's. NULL
 * with *ok false when the start's credentials are refused. */
static gg_auth_identity *start_identity(gg_rt_conn *c, const cJSON *payload, bool *ok)
{
    const cJSON *extensions = cJSON_GetObjectItemCaseSensitive(payload, "extensions");
    const cJSON *authorization = cJSON_GetObjectItemCaseSensitive(extensions, "authorization");
    *ok = true;
    if (!cJSON_IsObject(authorization)) return c->identity ? gg_auth_identity_ref(c->identity) : NULL;
    const cJSON *item;
    const char *api_key = NULL, *token = NULL;
    cJSON_ArrayForEach(item, authorization)
    {
        if (!cJSON_IsString(item) || item->string == NULL) continue;
        if (strcasecmp(item->string, "x-api-key") == 0) api_key = item->valuestring;
        if (strcasecmp(item->string, "authorization") == 0) token = item->valuestring;
    }
    gg_auth_refusal refusal;
    return gg_rt_conn_authorize(c, api_key, token, &refusal, ok);
}

static void on_start(gg_rt_conn *c, const char *id, const cJSON *payload)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(payload, "data");
    if (!cJSON_IsString(data)) {
        gg_rt_conn_send_error(c, id, "ValidationError",
                              "The start message needs payload.data: the request as a JSON string.");
        return;
    }
    if (gg_rt_conn_find(c, id) != NULL) {
        char message[300];
        snprintf(message, sizeof message, "Duplicated operation with id %.*s", gg_rt_utf8_prefix(id, 200), id);
        gg_rt_conn_send_error(c, id, "DuplicatedOperationError", message);
        return;
    }
    if (c->sub_count >= c->hub->cfg->rt_max_subscriptions) {
        char message[100];
        snprintf(message, sizeof message, "Max number of %u subscriptions reached", c->hub->cfg->rt_max_subscriptions);
        gg_rt_conn_send_error(c, id, "MaxSubscriptionsReachedError", message);
        return;
    }
    bool ok;
    gg_auth_identity *identity = start_identity(c, payload, &ok);
    if (!ok) {
        gg_rt_conn_send_error(c, id, "UnauthorizedException", "You are not authorized to make this call.");
        return;
    }
    cJSON *request = cJSON_Parse(data->valuestring);
    const cJSON *query = cJSON_GetObjectItemCaseSensitive(request, "query");
    const cJSON *variables = cJSON_GetObjectItemCaseSensitive(request, "variables");
    if (!cJSON_IsObject(request) || !cJSON_IsString(query) ||
        (variables && !cJSON_IsNull(variables) && !cJSON_IsObject(variables))) {
        gg_rt_conn_send_error(c, id, "ValidationError",
                              "payload.data must be a JSON string of {\"query\": \"...\", \"variables\": {...}}.");
        gg_auth_identity_release(identity);
        cJSON_Delete(request);
        return;
    }
    gg_rt_start_error error;
    gg_rt_sub *sub = gg_rt_sub_start(c, id, query->valuestring, strlen(query->valuestring),
                                     gg_rt_string_member(request, "operationName"),
                                     cJSON_IsObject(variables) ? variables : NULL, identity, &error);
    if (sub == NULL) {
        if (error.errors.len > 0)
            send_document_errors(c, id, error.error_type, &error.errors);
        else
            gg_rt_conn_send_error(c, id, error.error_type, error.message);
    } else {
        gg_rt_conn_watch_expiry(c, sub->identity);
        gg_rt_conn_send_message(c, "start_ack", id, NULL, 0);
    }
    gg_buf_free(&error.errors);
    cJSON_Delete(request);
}

void gg_rt_appsync_on_message(gg_rt_conn *c, const char *text, size_t len)
{
    cJSON *message = cJSON_ParseWithLength(text, len);
    const char *type = gg_rt_string_member(message, "type");
    if (!cJSON_IsObject(message) || type == NULL) {
        gg_rt_conn_send_error(c, NULL, "MessageProcessingError", "The message is not a JSON object with a \"type\".");
        cJSON_Delete(message);
        return;
    }
    const char *id = gg_rt_string_member(message, "id");
    if (strcmp(type, "connection_init") == 0) {
        on_connection_init(c);
    } else if (!c->acked) {
        /* before connection_ack: ignored, as AppSync does */
    } else if (strcmp(type, "start") == 0) {
        if (id == NULL || id[0] == '\0')
            gg_rt_conn_send_error(c, NULL, "ValidationError", "The start message needs an \"id\".");
        else
            on_start(c, id, cJSON_GetObjectItemCaseSensitive(message, "payload"));
    } else if (strcmp(type, "stop") == 0) {
        gg_rt_sub *sub = id ? gg_rt_conn_find(c, id) : NULL;
        if (sub != NULL) gg_rt_sub_stop(sub);
        if (id != NULL) gg_rt_conn_send_message(c, "complete", id, NULL, 0);
    } else {
        char message_text[200];
        snprintf(message_text, sizeof message_text, "%.*s not supported through the realtime channel",
                 gg_rt_utf8_prefix(type, 100), type);
        gg_rt_conn_send_error(c, id, "UnsupportedOperation", message_text);
    }
    cJSON_Delete(message);
}
