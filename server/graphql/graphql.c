/* graphql.c: parse -> validate -> execute for one request, the engine alone; see graphql.h.
 *
 * Request-level failures (syntax, validation, bad variables JSON) end in a result with errors
 * and no "data", as graphql-js answers them. The server does not come here: its requests go
 * through server/gateway (document cache, safety limits, the subscription refusal). */
#include "graphql.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "execute/values.h"
#include "language/parser.h"
#include "validate/validate.h"

static void finish_with_errors(const gg_graphql_request *request, const gg_error_list *errors)
{
    gg_exec_result result = {.data = NULL, .errors = *errors};
    request->on_complete(&result, request->user);
}

void gg_graphql_start(const gg_graphql_request *request)
{
    gg_error_list errors;
    gg_error_list_init(&errors, request->arena);
    gg_document *doc = gg_parse(request->arena, request->query, request->query_len, NULL, &errors);
    if (doc == NULL) {
        finish_with_errors(request, &errors);
        return;
    }
    if (!gg_validate(request->schema, doc, request->arena, &errors, NULL)) {
        finish_with_errors(request, &errors);
        return;
    }
    gg_exec_request exec = {
        .schema = request->schema,
        .document = doc,
        .operation_name = request->operation_name,
        .variables = request->variables,
        .root_value = request->root_value,
        .context = request->context,
        .arena = request->arena,
        .on_complete = request->on_complete,
        .user = request->user,
    };
    gg_execute(&exec);
}

typedef struct sync_state {
    gg_buf *out;
    bool done, ok;
} sync_state;

static void sync_complete(const gg_exec_result *result, void *user)
{
    sync_state *st = user;
    gg_exec_result_write_json(st->out, result);
    st->done = true;
    st->ok = result->errors.count == 0;
}

static void write_request_error(gg_buf *out, const char *message)
{
    gg_buf_puts(out, "{\"errors\":[{\"message\":");
    gg_json_write_string(out, message, strlen(message));
    gg_buf_puts(out, "}]}");
}

bool gg_graphql_run_sync(const gg_schema *schema, const char *query, size_t len, const char *operation_name,
                         const char *variables_json, const gg_val *root_value, gg_buf *out)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const gg_val *variables = NULL;
    if (variables_json != NULL) {
        cJSON *json = cJSON_ParseWithLength(variables_json, strlen(variables_json));
        if (json == NULL || !(cJSON_IsObject(json) || cJSON_IsNull(json))) {
            cJSON_Delete(json);
            gg_arena_free(&arena);
            write_request_error(out, "Variables are invalid JSON.");
            return false;
        }
        variables = cJSON_IsObject(json) ? gg_val_from_cjson(&arena, json) : NULL;
        cJSON_Delete(json);
    }
    sync_state st = {out, false, false};
    gg_graphql_request request = {
        .schema = schema,
        .query = query,
        .query_len = len,
        .operation_name = operation_name,
        .variables = variables,
        .root_value = root_value,
        .arena = &arena,
        .on_complete = sync_complete,
        .user = &st,
    };
    gg_graphql_start(&request);
    if (!st.done) {
        /* A resolver answered later than promised: it still points into the arena, so the
         * arena is deliberately not freed here. */
        write_request_error(out, "GraphQL execution failed to complete synchronously.");
        return false;
    }
    gg_arena_free(&arena);
    return st.ok;
}
