/* graphgate/plugin.h: the resolver plugin ABI of graphgate. A plugin is a shared object (.so) that
 * graphgate loads at start-up; its resolvers answer GraphQL fields in-process, the way AppSync
 * fields call Lambda functions, with no cold start and no per-call cost.
 *
 * Build a plugin out of tree with
 *     cc -shared -fPIC $(pkg-config --cflags graphgate-plugin) my.c -o my.so
 * and load it from the configuration:
 *     "plugins": {"text": {"path": "plugins/text.so", "config": {"max_words": 500}}}
 * A field is bound to one of its resolvers by `@function(name: "text.slug")` in the schema, or by
 * the configuration's resolver map: "resolvers": {"Query.slug": {"plugin": "text", "resolver": "slug"}}.
 *
 * The plugin exports ONE symbol, made by GG_PLUGIN_MODULE(setup): the ABI version it was built for
 * and its setup function, which registers its named resolvers, authorizers (AWS_LAMBDA
 * authorization, see "authorizers" below) and conflict handlers (DataStore's LAMBDA conflict
 * resolution, see "conflict handlers" below). graphgate refuses a plugin built for
 * another ABI major version (or a newer minor one) before calling anything in it.
 *
 * Threads: graphgate runs one event loop per thread. A resolver is called on the event-loop thread
 * that executes the request and must not block it (no sleeping, no blocking I/O, no waiting on
 * locks held for long). It answers through its call handle (gg_plugin_call) exactly once:
 * synchronously, before it returns, or asynchronously, later, from the SAME thread (a callback of
 * that loop, such as gg_plugin_call_sql's). Several threads call the same resolver at the same time:
 * state shared between calls is the plugin's to protect; per-thread state (gg_plugin_set_thread_hooks)
 * needs no lock. A resolver that must block is registered with gg_plugin_add_blocking_resolver and
 * runs on graphgate's worker pool instead (the rules for that thread are written there).
 *
 * Handles are opaque. Ownership, in short: strings and values graphgate hands to a plugin belong to
 * graphgate and live as long as the text above the accessor says (the call, or the plugin); what a
 * plugin passes to graphgate is copied before the function returns, unless said otherwise.
 *
 * Versioning: GG_PLUGIN_ABI_MAJOR changes when a change breaks built plugins (a function removed or
 * changed, a struct laid out differently); GG_PLUGIN_ABI_MINOR when functions are added. A plugin
 * built for major M minor m loads into a graphgate whose ABI is M.n with n >= m. */
#ifndef GRAPHGATE_PLUGIN_H
#define GRAPHGATE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GG_PLUGIN_ABI_MAJOR 1
#define GG_PLUGIN_ABI_MINOR 2

/* The symbol graphgate looks up in a plugin (made by GG_PLUGIN_MODULE). */
#define GG_PLUGIN_MODULE_SYMBOL "gg_plugin_module_v"

#define GG_PLUGIN_EXPORT __attribute__((visibility("default")))

/* One loaded plugin. Lives from its setup call to after its shutdown hook returns. */
typedef struct gg_plugin gg_plugin;
/* One resolver call: one field of one request, and the handle that completes it. Valid from the
 * resolver's call until the plugin completes it (gg_plugin_return_*, gg_plugin_fail); never after. */
typedef struct gg_plugin_call gg_plugin_call;
/* A read-only GraphQL value: the arguments, the parent object, rows of a SQL result. Lives as long
 * as what it was read from says (a call's values: until the call is completed). */
typedef struct gg_plugin_value gg_plugin_value;
/* Who made the request (see the gg_plugin_identity_* accessors). Valid until the call is completed. */
typedef struct gg_plugin_identity gg_plugin_identity;
/* The request's memory: freed at once when the response has been written. */
typedef struct gg_plugin_arena gg_plugin_arena;

/* A resolver. Called on an event-loop thread, once per field occurrence in a response (a list of
 * 100 parents calls it 100 times). It must complete call exactly once, before returning or later
 * from the same thread; until then the field (and the response) waits. */
typedef void (*gg_plugin_resolve_fn)(gg_plugin_call *call);

/* The setup function of a plugin. Called once, on graphgate's main thread at start-up, before any
 * request: it reads its configuration (gg_plugin_config), registers its resolvers
 * (gg_plugin_add_resolver) and hooks, and returns 0. Any other value refuses the plugin: graphgate
 * stops start-up with the message set by gg_plugin_set_error (or a generic one). A setup that fails
 * must free what it allocated: the shutdown hook runs only after a successful setup. */
typedef int (*gg_plugin_setup_fn)(gg_plugin *plugin);

/* What a plugin exports. The first two members keep their place in every ABI version. */
typedef struct gg_plugin_module {
    uint32_t abi_major;       /* GG_PLUGIN_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;       /* GG_PLUGIN_ABI_MINOR the plugin was built with */
    gg_plugin_setup_fn setup; /* see gg_plugin_setup_fn */
} gg_plugin_module;

/* Declares the plugin's module: write it once, at file scope, in one source file of the plugin. */
#define GG_PLUGIN_MODULE(setup_fn)                                                                                     \
    GG_PLUGIN_EXPORT const gg_plugin_module gg_plugin_module_v = {GG_PLUGIN_ABI_MAJOR, GG_PLUGIN_ABI_MINOR, (setup_fn)}

/* ---- setup: the plugin, its configuration, its resolvers, its hooks ---- */

/* The name the configuration gives the plugin (the key under "plugins"). Valid as long as plugin. */
const char *gg_plugin_name(const gg_plugin *plugin);

/* The plugin's "config" object from the configuration; an empty object when none was given. Owned
 * by graphgate, read-only, valid as long as plugin; safe to read from any thread. */
const cJSON *gg_plugin_config(const gg_plugin *plugin);

/* Registers resolver `name` (letters, digits, _ and -; at most 128 bytes), bound to fields as
 * "<plugin>.<name>". user_data is handed back by gg_plugin_call_resolver_data; the plugin owns it.
 * Setup only (main thread). Returns 0, or -1 when the name is invalid or already registered (the
 * reason is then the plugin's error, as if set by gg_plugin_set_error). */
int gg_plugin_add_resolver(gg_plugin *plugin, const char *name, gg_plugin_resolve_fn resolve, void *user_data);

/* ABI 1.1. Registers a BLOCKING resolver: one that calls a blocking library (getaddrinfo, crypt, a
 * vendor SDK) and so must never run on an event-loop thread. Same rules as gg_plugin_add_resolver,
 * except where resolve runs: graphgate queues the call to its bounded worker pool (configuration
 * key plugins_worker_threads) and calls resolve on a worker thread, where it may block as long as
 * it needs; the event loop serves other requests meanwhile and gets the answer back when resolve
 * returns. On the worker thread, resolve:
 *  - reads everything a call offers (arguments, parent, identity, stash, previous result, plugin
 *    config and data): graphgate does not touch these while the call runs, and they live until it
 *    is completed;
 *  - gets from gg_plugin_call_arena an arena of its own (not the request's): it lives until resolve
 *    returns, and what the completion functions take is copied before then;
 *  - must complete the call before it returns (a blocking call that returns without an answer
 *    completes as an InternalFailure error); the answer reaches the field on the loop that asked;
 *  - may not call gg_plugin_call_sql (its callback gets an InternalFailure at once) nor
 *    gg_plugin_call_stash_set (refused: -1); gg_plugin_call_thread_data is NULL there.
 * Several worker threads run resolvers at the same time: shared state is the plugin's to lock.
 * At shutdown graphgate waits for blocking calls that already started; calls still queued are
 * completed with a ServiceUnavailable error without running. Setup only. */
int gg_plugin_add_blocking_resolver(gg_plugin *plugin, const char *name, gg_plugin_resolve_fn resolve, void *user_data);

/* Sets the message graphgate prints when setup or a thread start fails (printf format; copied).
 * Setup and thread-start hooks only. */
void gg_plugin_set_error(gg_plugin *plugin, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Plugin-wide state: stored by setup, read from any thread afterwards (gg_plugin_data, or
 * gg_plugin_call_plugin from a call). The plugin owns it and frees it in its shutdown hook. */
void gg_plugin_set_data(gg_plugin *plugin, void *data);
void *gg_plugin_data(const gg_plugin *plugin);

/* Called once on the main thread after every event-loop thread stopped (no call is running or will
 * run), also when start-up fails after this plugin's setup succeeded. Frees what setup made. */
typedef void (*gg_plugin_shutdown_fn)(gg_plugin *plugin);
/* Setup only. */
void gg_plugin_set_shutdown(gg_plugin *plugin, gg_plugin_shutdown_fn shutdown);

/* Called on each event-loop thread before it serves its first request; returns 0 and may set
 * *thread_data (read by gg_plugin_call_thread_data on that thread), or anything else to stop
 * start-up (message: gg_plugin_set_error). */
typedef int (*gg_plugin_thread_start_fn)(gg_plugin *plugin, void **thread_data);
/* Called on the same thread after it served its last request, with what thread start stored. */
typedef void (*gg_plugin_thread_stop_fn)(gg_plugin *plugin, void *thread_data);
/* Setup only. Either may be NULL. */
void gg_plugin_set_thread_hooks(gg_plugin *plugin, gg_plugin_thread_start_fn start, gg_plugin_thread_stop_fn stop);

/* ---- a call: what the resolver receives ---- */

/* The field being resolved ("slug") and its parent type ("Post"). Valid until the call completes. */
const char *gg_plugin_call_field_name(const gg_plugin_call *call);
const char *gg_plugin_call_parent_type(const gg_plugin_call *call);
/* The plugin whose resolver runs, and the user_data given to gg_plugin_add_resolver. */
gg_plugin *gg_plugin_call_plugin(const gg_plugin_call *call);
void *gg_plugin_call_resolver_data(const gg_plugin_call *call);
/* What this thread's thread-start hook stored (NULL without one, and on a worker thread). */
void *gg_plugin_call_thread_data(const gg_plugin_call *call);

/* The field's arguments, coerced to their schema types (an object; an argument not given and
 * without default is absent), and the parent object (the value the parent field resolved to; the
 * root value for root fields: an empty object when none). Valid until the call completes. */
const gg_plugin_value *gg_plugin_call_arguments(const gg_plugin_call *call);
const gg_plugin_value *gg_plugin_call_parent(const gg_plugin_call *call);
/* Shortcuts: the argument named name as a string (NULL when absent, null or not a string, enum
 * values included), as an integer (fallback when absent, null or not an integer), as a number. */
const char *gg_plugin_call_argument_string(const gg_plugin_call *call, const char *name);
int64_t gg_plugin_call_argument_int(const gg_plugin_call *call, const char *name, int64_t fallback);
double gg_plugin_call_argument_number(const gg_plugin_call *call, const char *name, double fallback);

/* The request's arena: memory that lives until the response is written (longer than the call).
 * Allocations are zeroed and aligned for any type; never free them. Event-loop thread of the call.
 * For a blocking call on its worker thread: the call's own arena instead, which lives until the
 * resolver returns (the answer is copied out of it). */
gg_plugin_arena *gg_plugin_call_arena(const gg_plugin_call *call);
void *gg_plugin_arena_alloc(gg_plugin_arena *arena, size_t size);
char *gg_plugin_arena_strdup(gg_plugin_arena *arena, const char *text);

/* ---- pipelines (ABI 1.1): steps sharing a stash, each seeing the previous step's result ---- */

/* A field may be bound to a pipeline (the configuration's resolvers map, plugins/README.md): steps
 * run one after another, each plugin step a call of its own. Outside a pipeline a call still has a
 * stash (empty, its own) and no previous result.
 *
 * The previous step's result (null for the first step and outside a pipeline). Valid until the call
 * completes; it can be returned as it is with gg_plugin_return_value. */
const gg_plugin_value *gg_plugin_call_previous(const gg_plugin_call *call);
/* The stash: an object every step of the pipeline reads and writes (AppSync's $ctx.stash); its
 * members are read with gg_plugin_value_member. Valid until the call completes (a later write may
 * replace a member: read it again after gg_plugin_call_stash_set). */
const gg_plugin_value *gg_plugin_call_stash(const gg_plugin_call *call);
/* Sets the stash's member key (copied) to value, a value of this request (an argument, the parent,
 * the previous result, rows: kept as it is) or a cJSON tree (copied; the plugin keeps it); NULL
 * value: null. Event-loop thread of the call, before it completes: 0; -1 on a worker thread
 * (blocking resolvers read the stash but do not write it) or with a NULL key. */
int gg_plugin_call_stash_set(gg_plugin_call *call, const char *key, const gg_plugin_value *value);
int gg_plugin_call_stash_set_cjson(gg_plugin_call *call, const char *key, const cJSON *value);

/* ---- values ---- */

typedef enum gg_plugin_value_kind {
    GG_PLUGIN_VALUE_NULL = 0, /* also an absent member: the accessors take NULL values */
    GG_PLUGIN_VALUE_BOOL = 1,
    GG_PLUGIN_VALUE_INT = 2,
    GG_PLUGIN_VALUE_FLOAT = 3,
    GG_PLUGIN_VALUE_STRING = 4, /* enum values too */
    GG_PLUGIN_VALUE_LIST = 5,
    GG_PLUGIN_VALUE_OBJECT = 6,
} gg_plugin_value_kind;

/* Every accessor accepts value NULL (an absent member) and then answers null / 0 / NULL. */
gg_plugin_value_kind gg_plugin_value_kind_of(const gg_plugin_value *value);
/* The member of an object named name, or NULL. */
const gg_plugin_value *gg_plugin_value_member(const gg_plugin_value *value, const char *name);
/* Members of an object, items of a list: their number, and the i-th (i < count; else NULL). */
unsigned gg_plugin_value_count(const gg_plugin_value *value);
const gg_plugin_value *gg_plugin_value_item(const gg_plugin_value *value, unsigned i);
/* The key of an object's i-th member, or NULL. */
const char *gg_plugin_value_key(const gg_plugin_value *value, unsigned i);
/* A string (or enum value) and its length in bytes (NUL-terminated too), else NULL. */
const char *gg_plugin_value_string(const gg_plugin_value *value, size_t *length);
/* A boolean (false otherwise), an integer (0 otherwise), a number (an integer converted; 0 otherwise). */
bool gg_plugin_value_bool(const gg_plugin_value *value);
int64_t gg_plugin_value_int(const gg_plugin_value *value);
double gg_plugin_value_number(const gg_plugin_value *value);
/* The value as a new cJSON tree, for convenience: the caller owns it (cJSON_Delete). */
cJSON *gg_plugin_value_to_cjson(const gg_plugin_value *value);

/* ---- the caller's identity ---- */

/* How the request was authenticated: AppSync's authorization types. */
typedef enum gg_plugin_auth_mode {
    GG_PLUGIN_AUTH_NONE = 0, /* auth.default_mode NONE: nobody was checked */
    GG_PLUGIN_AUTH_API_KEY = 1,
    GG_PLUGIN_AUTH_OPENID_CONNECT = 2,
    GG_PLUGIN_AUTH_AMAZON_COGNITO_USER_POOLS = 3,
    GG_PLUGIN_AUTH_AWS_LAMBDA = 4,
    GG_PLUGIN_AUTH_AWS_IAM = 5,
} gg_plugin_auth_mode;

/* The caller of call (never NULL). Valid until the call completes; so is every string below. */
const gg_plugin_identity *gg_plugin_call_identity(const gg_plugin_call *call);
gg_plugin_auth_mode gg_plugin_identity_mode(const gg_plugin_identity *identity);
/* The token's sub, its username (cognito:username, else username) and its iss; NULL for API_KEY and
 * NONE, or when the token has none. */
const char *gg_plugin_identity_sub(const gg_plugin_identity *identity);
const char *gg_plugin_identity_username(const gg_plugin_identity *identity);
const char *gg_plugin_identity_issuer(const gg_plugin_identity *identity);
/* The caller's groups (cognito:groups): their number and the i-th (NULL past the end). */
unsigned gg_plugin_identity_group_count(const gg_plugin_identity *identity);
const char *gg_plugin_identity_group(const gg_plugin_identity *identity, unsigned i);
/* The token's claims as a cJSON object (read-only), NULL for API_KEY and NONE. */
const cJSON *gg_plugin_identity_claims(const gg_plugin_identity *identity);
/* The client's address as text ("127.0.0.1", "::1"), NULL when unknown (no authorization). */
const char *gg_plugin_identity_source_ip(const gg_plugin_identity *identity);

/* ---- SQL through graphgate's PostgreSQL pool (asynchronous) ---- */

/* The answer to gg_plugin_call_sql, called once on the call's event-loop thread. On success rows is
 * a list of objects, one per row, keyed by column name (integer columns as INT, real and numeric
 * as FLOAT, boolean as BOOL, json/jsonb parsed, others as their text; SQL NULL as null), and
 * error_type and message are NULL. On failure rows is NULL, error_type is graphgate's errorType
 * ("DatabaseError", "ServiceUnavailable", ...) and message a text fit for the client (the
 * database's own words went to graphgate's log). rows and the strings live until call completes.
 * The callback usually completes call (gg_plugin_return_*, gg_plugin_fail), or sends another
 * statement. */
typedef void (*gg_plugin_sql_fn)(gg_plugin_call *call, const gg_plugin_value *rows, const char *error_type,
                                 const char *message, void *user);

/* Sends sql, one statement with parameters $1..$N taken from params[0..param_count) as text (a NULL
 * entry is SQL NULL; PostgreSQL casts text to the column types, so "42" binds an integer), on the
 * PostgreSQL pool of the call's event-loop thread, and returns at once: done runs later, on this
 * thread (at once only when no database connection is ready: ServiceUnavailable). sql and params
 * are copied before this returns. Values never go into the SQL text: always use parameters. The
 * statement is prepared and cached per connection by its text, runs in its own implicit
 * transaction, and is cancelled with its request (timeout, client gone: done then gets an error).
 * Without a database (no database_url) every statement fails with ServiceUnavailable. Call it only
 * on the call's event-loop thread, before the call completes (from a blocking resolver on a worker
 * thread, done gets InternalFailure at once). */
void gg_plugin_call_sql(gg_plugin_call *call, const char *sql, unsigned param_count, const char *const *params,
                        gg_plugin_sql_fn done, void *user);

/* ---- completing a call (exactly one of these, exactly once) ---- */

/* The field's value: null; a boolean; an integer; a number; a string (length bytes copied; length
 * (size_t)-1: up to its NUL); JSON text (parsed and copied; text that does not parse completes the
 * field with an InternalFailure error instead); a cJSON tree (copied; the plugin keeps it). The
 * value is then coerced to the field's type as any resolver's value (a string for an Int field is
 * a field error). After the call, call is invalid. Event-loop thread of the call (a blocking
 * call: its worker thread, before the resolver returns). */
void gg_plugin_return_null(gg_plugin_call *call);
void gg_plugin_return_bool(gg_plugin_call *call, bool value);
void gg_plugin_return_int(gg_plugin_call *call, int64_t value);
void gg_plugin_return_number(gg_plugin_call *call, double value);
void gg_plugin_return_string(gg_plugin_call *call, const char *value, size_t length);
void gg_plugin_return_json(gg_plugin_call *call, const char *json, size_t length);
void gg_plugin_return_cjson(gg_plugin_call *call, const cJSON *value);
/* The field's value is value, one graphgate handed out for this request (an argument, a part of the
 * parent, rows or a row of gg_plugin_call_sql): taken as it is, without a copy. */
void gg_plugin_return_value(gg_plugin_call *call, const gg_plugin_value *value);

/* Completes the call with an error: the field is null and the response carries a GraphQL error
 * with this message (printf format; copied), its path and locations, and errorType error_type
 * (NULL: none), as AppSync's $util.error. Only this field fails: its siblings are served. */
void gg_plugin_fail(gg_plugin_call *call, const char *error_type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- authorizers: AWS_LAMBDA authorization (ABI 1.1) ---- */

/* One authorization: a request's token to decide on, and the handle that answers. Valid from the
 * authorizer's call until the plugin answers it (gg_plugin_authorization_return or _fail); never
 * after. Every string and value read from it lives as long. */
typedef struct gg_plugin_authorization gg_plugin_authorization;

/* An authorizer, AppSync's Lambda authorizer in-process. Called on the event-loop thread of a
 * request whose Authorization header goes to AWS_LAMBDA (auth.lambda names the plugin and the
 * authorizer) and whose token has no cached decision. Like a resolver it must not block, and it
 * answers exactly once: before it returns (synchronously) or later from the same thread
 * (asynchronously); the request waits until then. Several threads call it at the same time. */
typedef void (*gg_plugin_authorize_fn)(gg_plugin_authorization *authorization);

/* Registers authorizer `name` (same rules as resolver names), chosen by auth.lambda.resolver.
 * user_data is handed back by gg_plugin_authorization_data; the plugin owns it. Setup only. Returns 0,
 * or -1 when the name is invalid or already registered (the reason is then the plugin's error). */
int gg_plugin_add_authorizer(gg_plugin *plugin, const char *name, gg_plugin_authorize_fn authorize, void *user_data);

/* What AppSync's Lambda event carries. The token: the whole Authorization header value
 * (authorizationToken), with its length. */
const char *gg_plugin_authorization_token(const gg_plugin_authorization *authorization, size_t *length);
/* requestContext: the request's operationName (NULL when none was given), its query text
 * (queryString) and its variables (an object; an empty one when none were given). */
const char *gg_plugin_authorization_operation_name(const gg_plugin_authorization *authorization);
const char *gg_plugin_authorization_query(const gg_plugin_authorization *authorization);
const cJSON *gg_plugin_authorization_variables(const gg_plugin_authorization *authorization);
/* A request header by its lower-case name (requestHeaders), NULL when absent. Every header but
 * authorization, x-api-key and cookie is kept; a name repeated answers its first value. */
const char *gg_plugin_authorization_header(const gg_plugin_authorization *authorization, const char *name);
/* The client's address as text ("127.0.0.1"), NULL when unknown. */
const char *gg_plugin_authorization_source_ip(const gg_plugin_authorization *authorization);
/* The plugin, the user_data given to gg_plugin_add_authorizer, and what this thread's thread-start
 * hook stored (NULL without one). */
gg_plugin *gg_plugin_authorization_plugin(const gg_plugin_authorization *authorization);
void *gg_plugin_authorization_data(const gg_plugin_authorization *authorization);
void *gg_plugin_authorization_thread_data(const gg_plugin_authorization *authorization);

/* The answer to gg_plugin_authorization_sql, on the authorization's thread: rows (a list of row
 * objects, as gg_plugin_sql_fn has them) or NULL with error_type and message. rows and the strings
 * live until authorization is answered. The callback usually answers the authorization. */
typedef void (*gg_plugin_authorization_sql_fn)(gg_plugin_authorization *authorization, const gg_plugin_value *rows,
                                               const char *error_type, const char *message, void *user);
/* Sends sql with text parameters on the PostgreSQL pool of the authorization's thread, as
 * gg_plugin_call_sql does, and returns at once; done runs later on this thread (at once when no
 * database is configured or ready: ServiceUnavailable). This is how an authorizer answers
 * asynchronously: look the token up, then answer from done. A statement is not cancelled when its
 * request ends. Call it before answering; an answer given while statements are pending drops their
 * results (done is then not called). */
void gg_plugin_authorization_sql(gg_plugin_authorization *authorization, const char *sql, unsigned param_count,
                                 const char *const *params, gg_plugin_authorization_sql_fn done, void *user);

/* Answers with AppSync's Lambda authorizer response, a cJSON object (copied; the plugin keeps it):
 *   "isAuthorized": true or false (required);
 *   "resolverContext": an object, the caller's identity claims for resolvers
 *                      (gg_plugin_identity_claims) and @sql (:identity.claims.<name>);
 *   "deniedFields": ["Type.field", ...] (or AppSync field ARNs ".../types/Type/fields/field"): those
 *                   fields answer null with an Unauthorized error, the rest is served;
 *   "ttlOverride": seconds (0 to 3600) this decision is cached for this token instead of
 *                  auth.lambda.ttl_s (0: not cached).
 * A response without a boolean isAuthorized, or with members of other types, refuses the request
 * (logged). After the call, authorization is invalid. Event-loop thread of the call. */
void gg_plugin_authorization_return(gg_plugin_authorization *authorization, const cJSON *response);
/* Answers with a failure (printf format; logged, never sent): the request is refused with AppSync's
 * 401 and nothing is cached, as when a Lambda authorizer throws. */
void gg_plugin_authorization_fail(gg_plugin_authorization *authorization, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- conflict handlers: DataStore's LAMBDA conflict resolution (ABI 1.2) ---- */

/* One conflict: a versioned mutation of a model whose conflict handler is LAMBDA
 * (datastore.conflict_handler, or datastore.models.<Model>.conflict_handler) met a stored row of
 * another _version, and the handler decides what happens. The handle is valid from the handler's
 * call until the plugin answers it (gg_plugin_conflict_return or _fail); never after. Every value
 * read from it lives as long. */
typedef struct gg_plugin_conflict gg_plugin_conflict;

/* A conflict handler, AppSync's conflict Lambda in-process. Called on the event-loop thread of the
 * mutation that met the conflict, once per conflict. Like a resolver it must not block, and it
 * answers exactly once: before it returns (synchronously) or later from the same thread
 * (asynchronously, e.g. from gg_plugin_conflict_sql's callback); the mutation waits until then.
 * Several threads call it at the same time. */
typedef void (*gg_plugin_conflict_fn)(gg_plugin_conflict *conflict);

/* Registers conflict handler `name` (same rules as resolver names), chosen by the configuration's
 * datastore.lambda.plugin (this plugin's name) and datastore.lambda.resolver (this name). user_data
 * is handed back by gg_plugin_conflict_data; the plugin owns it. Setup only. Returns 0, or -1 when
 * the name is invalid or already registered (the reason is then the plugin's error). */
int gg_plugin_add_conflict_handler(gg_plugin *plugin, const char *name, gg_plugin_conflict_fn handle, void *user_data);

/* The mutation that met the conflict. */
typedef enum gg_plugin_conflict_operation {
    GG_PLUGIN_CONFLICT_CREATE = 0, /* createX on a key that exists (AppSync's put; graphgate answers that
                                    * ConditionalCheckFailed today and does not ask) */
    GG_PLUGIN_CONFLICT_UPDATE = 1, /* updateX with another _version than the stored row's */
    GG_PLUGIN_CONFLICT_DELETE = 2, /* deleteX with another _version than the stored row's */
} gg_plugin_conflict_operation;

gg_plugin_conflict_operation gg_plugin_conflict_operation_of(const gg_plugin_conflict *conflict);

/* What AppSync's conflict Lambda is told, as one read-only cJSON object:
 *   "newItem":      the mutation's input (the write the client wanted), field names as in the schema;
 *   "existingItem": the stored row, every field of the model with _version, _lastChangedAt and
 *                   _deleted, in AppSync's value formats;
 *   "arguments":    the mutation's arguments ({"input": {...}, "condition": {...}});
 *   "resolver":     {"tableName": the model's table, "awsRegion": "local" (no AWS region: graphgate
 *                   runs where it is deployed), "parentType": "Mutation", "field": "updateTodo"};
 *   "identity":     the caller (AppSync's identity: sub, issuer, username, groups, claims, sourceIp
 *                   as a list), or null for API_KEY callers and with auth NONE.
 * The members are also read one by one with the shortcuts below (NULL when absent: identity). */
const cJSON *gg_plugin_conflict_event(const gg_plugin_conflict *conflict);
const cJSON *gg_plugin_conflict_new_item(const gg_plugin_conflict *conflict);
const cJSON *gg_plugin_conflict_existing_item(const gg_plugin_conflict *conflict);
const cJSON *gg_plugin_conflict_arguments(const gg_plugin_conflict *conflict);
const cJSON *gg_plugin_conflict_identity(const gg_plugin_conflict *conflict);

/* The plugin, the user_data given to gg_plugin_add_conflict_handler, and what this thread's
 * thread-start hook stored (NULL without one). */
gg_plugin *gg_plugin_conflict_plugin(const gg_plugin_conflict *conflict);
void *gg_plugin_conflict_data(const gg_plugin_conflict *conflict);
void *gg_plugin_conflict_thread_data(const gg_plugin_conflict *conflict);

/* The answer to gg_plugin_conflict_sql, on the conflict's thread: rows (a list of row objects, as
 * gg_plugin_sql_fn has them) or NULL with error_type and message. rows and the strings live until
 * conflict is answered. The callback usually answers the conflict. */
typedef void (*gg_plugin_conflict_sql_fn)(gg_plugin_conflict *conflict, const gg_plugin_value *rows,
                                          const char *error_type, const char *message, void *user);
/* Sends sql with text parameters on the PostgreSQL pool of the conflict's thread, as
 * gg_plugin_call_sql does (its own implicit transaction, not the mutation's), and returns at once;
 * done runs later on this thread. The statement is cancelled with its request (timeout, client
 * gone: done then gets an error). Call it before answering; an answer given while statements are
 * pending drops their results (done is then not called). */
void gg_plugin_conflict_sql(gg_plugin_conflict *conflict, const char *sql, unsigned param_count,
                            const char *const *params, gg_plugin_conflict_sql_fn done, void *user);

/* Answers with AppSync's conflict Lambda response, a cJSON object (copied; the plugin keeps it):
 *   {"action": "RESOLVE", "item": {...}}  create and update only: the write is done again with
 *                                         item's fields as its input (those item leaves out keep
 *                                         their stored values; the key fields, _version, _deleted,
 *                                         _lastChangedAt and the fields the input type does not
 *                                         take, such as createdAt, are ignored) over the stored
 *                                         _version, which it bumps;
 *   {"action": "REJECT"}                  any operation: the mutation fails with ConflictUnhandled
 *                                         and the stored row in the error's data;
 *   {"action": "REMOVE"}                  delete only: the row is deleted (a tombstone) over the
 *                                         stored _version.
 * Anything else (not an object, another action, RESOLVE without an object item or on a delete,
 * REMOVE on a create or update, an item field the model lacks or of the wrong type) fails the
 * mutation with ConflictError, and is logged. After the call, conflict is invalid. Event-loop
 * thread of the conflict. */
void gg_plugin_conflict_return(gg_plugin_conflict *conflict, const cJSON *response);
/* Answers with a failure (printf format; logged, and the client's ConflictError message), as when a
 * conflict Lambda throws. */
void gg_plugin_conflict_fail(gg_plugin_conflict *conflict, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif
