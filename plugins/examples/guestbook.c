/* guestbook.c: an example graphgate plugin with asynchronous resolvers: SQL through graphgate's
 * PostgreSQL pool, never blocking the event loop.
 *
 *   sign(name: String!, message: String!): Entry   INSERT ... RETURNING the new row; its author
 *                                                   is the caller's sub (null without one)
 *   entries(limit: Int): [Entry]                    the newest entries first (limit 1 to 100, default 10)
 *
 * The table (its name is config.table, default "guestbook"; letters, digits and _ only):
 *   CREATE TABLE guestbook (id bigserial PRIMARY KEY, name text NOT NULL, message text NOT NULL,
 *                           author text, created_at timestamptz NOT NULL DEFAULT now());
 * Configuration: "plugins": {"guestbook": {"path": "guestbook.so", "config": {"table": "guestbook"}}}
 * and database_url (GRAPHGATE_DATABASE_URL) for the pool.
 *
 * A resolver sends its statement with gg_plugin_call_sql and returns without answering; the pool
 * calls back on the same thread when PostgreSQL has answered, and the callback completes the call. */
#include <graphgate/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* created_at as AWSDateTime text (UTC, milliseconds). */
#define CREATED_AT "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \"createdAt\""

typedef struct guestbook {
    char insert[512]; /* the statements, made once at setup with the configured table name */
    char select[512];
} guestbook;

/* The answer to a statement: its first row (sign), or every row (entries). */
static void on_signed(gg_plugin_call *call, const gg_plugin_value *rows, const char *error_type, const char *message,
                      void *user)
{
    if (rows == NULL) {
        gg_plugin_fail(call, error_type, "%s", message);
        return;
    }
    gg_plugin_return_value(call, gg_plugin_value_item(rows, 0));
}

static void on_entries(gg_plugin_call *call, const gg_plugin_value *rows, const char *error_type, const char *message,
                       void *user)
{
    if (rows == NULL) {
        gg_plugin_fail(call, error_type, "%s", message);
        return;
    }
    gg_plugin_return_value(call, rows);
}

static void resolve_sign(gg_plugin_call *call)
{
    const guestbook *book = gg_plugin_data(gg_plugin_call_plugin(call));
    const char *name = gg_plugin_call_argument_string(call, "name");
    const char *message = gg_plugin_call_argument_string(call, "message");
    if (name == NULL || name[0] == '\0' || message == NULL || message[0] == '\0') {
        gg_plugin_fail(call, "BadInput", "A guestbook entry needs a name and a message."); /* synchronous */
        return;
    }
    const char *params[3] = {name, message, gg_plugin_identity_sub(gg_plugin_call_identity(call))};
    gg_plugin_call_sql(call, book->insert, 3, params, on_signed, NULL); /* asynchronous: on_signed answers */
}

static void resolve_entries(gg_plugin_call *call)
{
    const guestbook *book = gg_plugin_data(gg_plugin_call_plugin(call));
    int64_t limit = gg_plugin_call_argument_int(call, "limit", 10);
    if (limit < 1 || limit > 100) {
        gg_plugin_fail(call, "BadInput", "limit must be between 1 and 100, not %lld.", (long long)limit);
        return;
    }
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)limit);
    const char *params[1] = {text}; /* copied by gg_plugin_call_sql: a stack buffer is fine */
    gg_plugin_call_sql(call, book->select, 1, params, on_entries, NULL);
}

static void guestbook_shutdown(gg_plugin *plugin)
{
    free(gg_plugin_data(plugin));
}

static int setup(gg_plugin *plugin)
{
    const cJSON *table = cJSON_GetObjectItemCaseSensitive(gg_plugin_config(plugin), "table");
    const char *name = cJSON_IsString(table) ? table->valuestring : "guestbook";
    if (table != NULL && !cJSON_IsString(table)) name = "";
    size_t length = strlen(name);
    if (length == 0 || length > 63 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != length) {
        gg_plugin_set_error(plugin, "config.table must be a table name of lower-case letters, digits and _");
        return -1;
    }
    if (gg_plugin_add_resolver(plugin, "sign", resolve_sign, NULL) != 0 ||
        gg_plugin_add_resolver(plugin, "entries", resolve_entries, NULL) != 0)
        return -1;
    guestbook *book = calloc(1, sizeof *book);
    if (book == NULL) {
        gg_plugin_set_error(plugin, "out of memory");
        return -1;
    }
    /* The table name is the operator's (checked above); values are always parameters. */
    snprintf(book->insert, sizeof book->insert,
             "INSERT INTO %s (name, message, author) VALUES ($1, $2, $3) "
             "RETURNING id, name, message, author, " CREATED_AT,
             name);
    snprintf(book->select, sizeof book->select,
             "SELECT id, name, message, author, " CREATED_AT " FROM %s ORDER BY id DESC LIMIT $1", name);
    gg_plugin_set_data(plugin, book);
    gg_plugin_set_shutdown(plugin, guestbook_shutdown);
    return 0;
}

GG_PLUGIN_MODULE(setup);
