/* gateway.c: schema loading, the per-thread LRU document cache, the safety limits and execution;
 * see gateway.h.
 *
 * Schema loading: when an object type of the SDL carries @model or a field @sql (and amplify is
 * on), the files go through the Amplify transform (server/amplify) and the schema is built from
 * the SDL it serves, with the generated @model fields and the @sql fields bound to the PostgreSQL
 * resolvers; the catalog stays alive as long as the schema. Other schemas are built as written.
 *
 * Cache design: the one hash table (base/strmap, on the heap) keyed by the query text, in its
 * least-recently-used order. The text is hashed once per request. A hit touches the entry (it
 * becomes the newest); a miss parses, checks the safety limits, validates, then inserts and evicts
 * the oldest when full. Each entry owns one arena (document, errors, a copy of the text, which is
 * the key). An evicted entry that an execution still uses is freed by that execution's
 * gg_doc_release. Everything is per thread: no locks.
 */
#include "gateway.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/file.h"
#include "../base/log.h"
#include "../base/strmap.h"
#include "../metrics/metrics.h"
#include "../graphql/error.h"
#include "auth_warnings.h"
#include "custom_auth.h"
#include "query_limits.h"

#include "../graphql/execute/execute.h"
#include "../graphql/execute/values.h"
#include "../graphql/language/parser.h"
#include "../graphql/type/schema_build.h"
#include "../graphql/validate/validate.h"

#include "../amplify/transform.h"
#include "../auth/auth.h"
#include "host.h"
#include "postgres.h"

struct gg_gateway {
    gg_limits limits;
    char graphql_path[256]; /* named by the refusal of subscriptions over HTTP */
    unsigned max_tokens;
    bool field_suggestions;
    const gg_schema *schema;
    gg_schema *owned_schema;     /* loaded here (gg_gateway_load); NULL when wrapped */
    gg_arena root_arena;         /* holds root_value */
    const gg_val *root_value;    /* static_data_file, or NULL */
    gg_amplify_catalog *catalog; /* @model schemas: the models the resolvers point into; else NULL */
    gg_plugins *plugins;         /* the plugins this generation's fields are bound to (plugins/host.h) */
    gg_auth_mode default_auth;   /* auth.default_mode (API_KEY when the configuration has no auth section) */
    uint32_t default_auth_modes; /* what a field without @aws_* directives allows (GG_AWS_AUTH_* bits) */
    /* AWS_LAMBDA: auth.lambda's plugin authorizer; else NULL */
    const gg_plugin_authorizer *authorizer;
    bool column_types_unread; /* the database did not answer when the schema was bound (gg_pg_bind) */
};

struct gg_doc {
    unsigned refs; /* the cache's reference counts as one while in_cache */
    bool in_cache;
    const char *text; /* the cache's key */
    size_t len;
    gg_doc_status status;
    gg_arena arena;
    gg_error_list errors;
    gg_document *document;
};

struct gg_doc_cache {
    const gg_gateway *gateway;
    unsigned capacity;
    gg_strmap docs; /* text -> gg_doc, least recently used first */
    unsigned long hits, misses;
};

/* ---- schema ---- */

/* The static data file becomes the root value (read-only, shared by every thread). */
static bool load_root_value(gg_gateway *g, const char *path, gg_fault *fault)
{
    char why[512];
    cJSON *json = gg_config_read_json_object(path, GG_FAULT_INTO(why));
    if (json == NULL) {
        gg_fault_set(fault, NULL, "key \"static_data_file\": %s", why);
        return false;
    }
    g->root_value = gg_val_from_cjson(&g->root_arena, json);
    cJSON_Delete(json);
    return true;
}

/* True when an object type of the sources carries @model, or one of its fields @sql (then the
 * Amplify transform runs). Sources that do not parse answer false: the schema build reports their
 * syntax errors. */
static bool uses_model(const gg_schema_source *sources, unsigned n)
{
    bool found = false;
    for (unsigned i = 0; i < n && !found; i++) {
        gg_arena arena;
        gg_arena_init(&arena);
        gg_error_list errors;
        gg_error_list_init(&errors, &arena);
        gg_document *doc = gg_parse(&arena, sources[i].text, sources[i].len, NULL, &errors);
        for (unsigned d = 0; doc != NULL && errors.count == 0 && d < doc->definition_count && !found; d++) {
            const gg_definition *def = &doc->definitions[d];
            if (def->kind != GG_DEF_OBJECT) continue;
            for (unsigned k = 0; k < def->directive_count; k++)
                found |= strcmp(def->directives[k].name.value, "model") == 0;
            for (unsigned f = 0; f < def->field_count; f++)
                for (unsigned k = 0; k < def->fields[f].directive_count; k++)
                    found |= strcmp(def->fields[f].directives[k].name.value, "sql") == 0;
        }
        gg_arena_free(&arena);
    }
    return found;
}

/* The Amplify provider of the API's default mode: the transform leaves out the @aws_* directive of
 * rules that use only it (NONE serves like API_KEY, Amplify's default). */
static gg_amplify_provider amplify_provider(gg_auth_mode mode)
{
    switch (mode) {
    case GG_AUTH_OPENID_CONNECT:
        return GG_AMPLIFY_PROVIDER_OIDC;
    case GG_AUTH_AMAZON_COGNITO_USER_POOLS:
        return GG_AMPLIFY_PROVIDER_USER_POOLS;
    case GG_AUTH_AWS_LAMBDA:
        return GG_AMPLIFY_PROVIDER_FUNCTION;
    case GG_AUTH_AWS_IAM:
        return GG_AMPLIFY_PROVIDER_IAM;
    default:
        return GG_AMPLIFY_PROVIDER_API_KEY;
    }
}

/* The GG_AWS_AUTH_* bit (graphql/type/aws_auth.h) of an auth mode; 0 for NONE. */
static uint32_t aws_auth_bit(gg_auth_mode mode)
{
    switch (mode) {
    case GG_AUTH_API_KEY:
        return GG_AWS_AUTH_API_KEY;
    case GG_AUTH_OPENID_CONNECT:
        return GG_AWS_AUTH_OIDC;
    case GG_AUTH_AMAZON_COGNITO_USER_POOLS:
        return GG_AWS_AUTH_USER_POOLS;
    case GG_AUTH_AWS_LAMBDA:
        return GG_AWS_AUTH_LAMBDA;
    case GG_AUTH_AWS_IAM:
        return GG_AWS_AUTH_IAM;
    default:
        return 0;
    }
}

/* An Amplify schema: the transform makes the served SDL (what AppSync would serve) and the model
 * catalog; the served schema is built from that SDL and its @model fields are bound to PostgreSQL. */
static gg_schema *build_amplify_schema(gg_gateway *g, const gg_config *cfg, const gg_schema_source *sources, unsigned n,
                                       gg_fault *fault)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_buf served;
    gg_buf_init(&served);
    gg_schema *schema = NULL;
    gg_amplify_options aopts = {.default_auth = amplify_provider(g->default_auth)};
    gg_config_datastore_options(cfg, &arena, &aopts); /* conflict detection, per model */
    /* the served schema is the one the transform built to check its output */
    g->catalog = gg_amplify_transform_built(sources, n, &aopts, "(schema served for the @model types)", &served,
                                            &schema, &errors);
    if (g->catalog == NULL || schema == NULL || errors.count > 0) {
        gg_error_list_fault(&errors, "schema error", "schema", fault);
        gg_schema_free(schema);
        schema = NULL;
        goto done;
    }
    gg_warn_rules_without_mode(cfg->auth, g->catalog);
    if (cfg->db_schema[0] != '\0') g->catalog->database_schema = gg_arena_strdup(&g->catalog->arena, cfg->db_schema);
    gg_pg_options popts = {.default_limit = cfg->db_default_page_size,
                           .max_limit = cfg->db_max_page_size,
                           .log_sql = cfg->db_log_sql,
                           .plan = strcmp(cfg->db_plan, "json") == 0 ? GG_PG_PLAN_JSON : GG_PG_PLAN_ROWS,
                           .filter_limits = {cfg->max_filter_terms, cfg->max_filter_depth,
                                             cfg->max_filter_operand_bytes, cfg->max_filter_in_items},
                           /* migrate and --print-schema read the catalog only: no connection for column types */
                           .database_url = cfg->plugins_off ? NULL : cfg->database_url,
                           .database_needed = cfg->database_needed,
                           .delta_ttl_min = cfg->ds_delta_ttl_min,
                           .tombstone_ttl_min = cfg->ds_tombstone_ttl_min};
    /* LAMBDA conflict handling: the plugin's handler, found now (a name it did not register stops start-up). */
    if (cfg->ds_lambda_plugin != NULL && cfg->ds_lambda_plugin[0] != '\0' && !cfg->plugins_off) {
        const gg_plugin_conflict_handler *handler =
            gg_plugins_find_conflict_handler(g->plugins, cfg->ds_lambda_plugin, cfg->ds_lambda_resolver, fault);
        if (handler == NULL) {
            gg_schema_free(schema);
            schema = NULL;
            goto done;
        }
        popts.lambda = (gg_pg_lambda){gg_plugins_ask_conflict_handler, handler};
    }
    g->column_types_unread = !gg_pg_bind(schema, g->catalog, &popts);
    char dir[4096], why[512];
    const char *slash = strrchr(sources[0].name, '/'); /* @sql(reference:) files are beside the schema */
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - sources[0].name) : 1, slash ? sources[0].name : ".");
    if (!gg_pg_bind_sql(schema, g->catalog, dir, &popts, GG_FAULT_INTO(why))) {
        gg_fault_set(fault, NULL, "schema error: %s", why);
        gg_schema_free(schema);
        schema = NULL;
    }
done:
    gg_buf_free(&served);
    gg_arena_free(&arena);
    return schema;
}

/* Reads the SDL files and builds the schema (which copies the text). */
static gg_schema *build_schema(gg_gateway *g, const gg_config *cfg, gg_fault *fault)
{
    unsigned n = cfg->schema.count;
    gg_schema_source *sources = calloc(n ? n : 1, sizeof *sources);
    if (sources == NULL) abort();
    gg_schema *schema = NULL;
    unsigned read = 0;
    for (; read < n; read++) {
        size_t len;
        char why[128];
        char *text = gg_file_read(cfg->schema.items[read], GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
        if (text == NULL) {
            gg_fault_set(fault, NULL, "schema %s: cannot read: %s", cfg->schema.items[read], why);
            goto done;
        }
        sources[read] = (gg_schema_source){cfg->schema.items[read], text, len};
    }
    if (cfg->amplify && uses_model(sources, n)) {
        schema = build_amplify_schema(g, cfg, sources, n, fault);
        goto done;
    }
    if (cJSON_GetArraySize(cfg->ds_models) > 0) { /* per-model DataStore settings need @model types */
        gg_fault_set(fault, NULL,
                     "schema error: key \"datastore.models\": model \"%s\" is not a @model type (the schema has none)",
                     cJSON_GetArrayItem(cfg->ds_models, 0)->string);
        goto done;
    }
    gg_schema_options opts = {.appsync = cfg->appsync, .amplify = cfg->amplify};
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    schema = gg_schema_build(sources, n, &opts, &errors);
    if (schema == NULL || errors.count > 0) {
        gg_error_list_fault(&errors, "schema error", "schema", fault);
        gg_schema_free(schema);
        schema = NULL;
    }
    gg_arena_free(&arena);
done:
    for (unsigned i = 0; i < read; i++)
        free((char *)sources[i].text);
    free(sources);
    return schema;
}

/* A generation with the limits of cfg and no schema yet. */
static gg_gateway *gateway_new(const gg_config *cfg)
{
    gg_gateway *g = calloc(1, sizeof *g);
    if (g == NULL) abort();
    g->limits = (gg_limits){cfg->max_depth, cfg->max_aliases, cfg->max_directives, cfg->max_cost, cfg->introspection};
    g->max_tokens = cfg->max_tokens;
    g->field_suggestions = cfg->field_suggestions;
    g->default_auth = cfg->auth != NULL && cfg->auth->default_mode_set ? cfg->auth->default_mode : GG_AUTH_API_KEY;
    /* A user-pools default with default_action DENY allows only what the directives name. */
    bool deny = g->default_auth == GG_AUTH_AMAZON_COGNITO_USER_POOLS && !cfg->auth->cognito.default_allow;
    g->default_auth_modes = deny ? 0 : aws_auth_bit(g->default_auth);
    snprintf(g->graphql_path, sizeof g->graphql_path, "%s", cfg->graphql_path ? cfg->graphql_path : "/graphql");
    gg_arena_init(&g->root_arena);
    return g;
}

gg_gateway *gg_gateway_load(const gg_config *cfg, gg_fault *fault)
{
    gg_gateway *g = gateway_new(cfg);
    /* The plugins load before the schema is built: its fields bind to them. */
    g->plugins = gg_plugins_load(cfg->plugins_off ? NULL : cfg->plugins, fault);
    if (g->plugins != NULL) g->schema = g->owned_schema = build_schema(g, cfg, fault);
    if (g->schema != NULL && !cfg->plugins_off &&
        !gg_plugins_bind(g->plugins, g->owned_schema, g->catalog, cfg->resolvers, fault))
        g->schema = NULL;
    /* An empty auth.lambda is the auth check's to report (gg_auth_config_check), with what to set. */
    if (g->schema != NULL && cfg->auth != NULL && (cfg->auth->modes & (1u << GG_AUTH_AWS_LAMBDA)) &&
        cfg->auth->lambda.plugin != NULL && cfg->auth->lambda.plugin[0] != '\0' &&
        (g->authorizer = gg_plugins_find_authorizer(g->plugins, cfg->auth->lambda.plugin, cfg->auth->lambda.resolver,
                                                    fault)) == NULL)
        g->schema = NULL;
    if (g->schema != NULL) gg_custom_auth_bind(g->owned_schema, g->catalog);
    if (g->schema == NULL || (cfg->static_data_file[0] != '\0' && !load_root_value(g, cfg->static_data_file, fault))) {
        gg_gateway_free(g);
        return NULL;
    }
    return g;
}

gg_gateway *gg_gateway_wrap(const gg_schema *schema, const gg_val *root_value, const gg_config *cfg)
{
    gg_gateway *g = gateway_new(cfg);
    g->schema = schema;
    g->root_value = root_value;
    return g;
}

void gg_gateway_free(gg_gateway *g)
{
    if (g == NULL) return;
    gg_pg_startup_close(); /* binding may have left start-up's connection for a step that did not come */
    gg_schema_free(g->owned_schema);
    gg_amplify_catalog_free(g->catalog); /* after the schema: its resolvers point into the catalog */
    gg_plugins_free(g->plugins);         /* after the schema too; every thread stopped its plugins */
    gg_arena_free(&g->root_arena);
    free(g);
}

bool gg_gateway_column_types_unread(const gg_gateway *g)
{
    return g != NULL && g->column_types_unread;
}

const gg_amplify_catalog *gg_gateway_catalog(const gg_gateway *g)
{
    return g->catalog;
}

unsigned gg_gateway_plugin_count(const gg_gateway *g)
{
    return gg_plugins_count(g->plugins);
}

bool gg_gateway_thread_start(const gg_gateway *g, gg_fault *fault)
{
    return gg_plugins_thread_start(g->plugins, fault);
}

void gg_gateway_thread_stop(const gg_gateway *g)
{
    gg_plugins_thread_stop(g->plugins);
}

/* ---- checking one document ---- */

static void check_document(const gg_gateway *g, gg_doc *d)
{
    gg_parse_options popts = {.max_depth = 0, .max_tokens = g->max_tokens, .max_tokens_setting = "limits.max_tokens"};
    d->document = gg_parse(&d->arena, d->text, d->len, &popts, &d->errors);
    if (d->document == NULL || d->errors.count > 0) {
        d->status = GG_DOC_SYNTAX_ERROR;
        return;
    }
    if (!gg_limits_check(&g->limits, d->document, &d->errors)) {
        d->status = GG_DOC_INVALID;
        return;
    }
    gg_validate_options vopts = {.max_errors = 0, .no_suggestions = !g->field_suggestions};
    if (!gg_validate(g->schema, d->document, &d->arena, &d->errors, &vopts)) {
        d->status = GG_DOC_INVALID;
        return;
    }
    d->status = GG_DOC_OK;
}

static gg_doc *doc_new(const gg_gateway *g, const char *text, size_t len)
{
    gg_doc *d = calloc(1, sizeof *d);
    if (d == NULL) abort();
    gg_arena_init(&d->arena);
    gg_error_list_init(&d->errors, &d->arena);
    d->text = gg_arena_strndup(&d->arena, text, len);
    d->len = len;
    d->refs = 1;
    check_document(g, d);
    return d;
}

static void doc_destroy(gg_doc *d)
{
    gg_arena_free(&d->arena);
    free(d);
}

void gg_doc_release(gg_doc *d)
{
    if (--d->refs == 0) doc_destroy(d);
}

const gg_document *gg_doc_document(const gg_doc *d)
{
    return d->document;
}

gg_doc *gg_doc_ref(gg_doc *d)
{
    d->refs++;
    return d;
}

const gg_schema *gg_gateway_schema(const gg_gateway *g)
{
    return g->schema;
}

gg_doc_status gg_doc_get_status(const gg_doc *d)
{
    return d->status;
}

void gg_doc_write_errors(const gg_doc *d, gg_buf *out)
{
    gg_buf_puts(out, "{\"errors\":");
    gg_error_list_write_json(out, &d->errors);
    gg_buf_putc(out, '}');
}

gg_op_kind gg_doc_operation(const gg_doc *d, const char *operation_name, const char **name)
{
    *name = NULL;
    if (d->status != GG_DOC_OK) return GG_OPK_NONE;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    const gg_definition *op = gg_select_operation(d->document, operation_name, &errors);
    gg_op_kind kind = op == NULL                            ? GG_OPK_NONE
                      : op->operation == GG_OP_MUTATION     ? GG_OPK_MUTATION
                      : op->operation == GG_OP_SUBSCRIPTION ? GG_OPK_SUBSCRIPTION
                                                            : GG_OPK_QUERY;
    if (op != NULL) *name = op->name.value;
    gg_arena_free(&arena);
    return kind;
}

/* ---- the cache ---- */

gg_doc_cache *gg_doc_cache_new(const gg_gateway *gateway, unsigned capacity)
{
    gg_doc_cache *c = calloc(1, sizeof *c);
    if (c == NULL) abort();
    c->gateway = gateway;
    c->capacity = capacity;
    gg_strmap_init(&c->docs, NULL);
    return c;
}

/* Drops the cache's reference to d, which the map no longer holds. */
static void cache_forget(gg_doc *d)
{
    d->in_cache = false;
    gg_doc_release(d);
}

void gg_doc_cache_free(gg_doc_cache *c)
{
    if (c == NULL) return;
    for (gg_doc *d; (d = gg_strmap_remove_oldest(&c->docs)) != NULL;)
        cache_forget(d);
    gg_strmap_free(&c->docs);
    free(c);
}

gg_doc *gg_doc_get(gg_doc_cache *c, const char *text, size_t len)
{
    bool cached = c->capacity > 0 && len <= GG_STRMAP_KEY_MAX;
    uint32_t hash = cached ? gg_strmap_hash(text, len) : 0;
    gg_doc *d = cached ? gg_strmap_touch(&c->docs, text, len, hash) : NULL;
    if (d != NULL) {
        c->hits++;
        gg_metrics_count(GG_METRIC_DOC_CACHE_HITS);
        d->refs++;
        return d;
    }
    c->misses++;
    gg_metrics_count(GG_METRIC_DOC_CACHE_MISSES);
    d = doc_new(c->gateway, text, len);
    if (!cached) return d;
    if (c->docs.count >= c->capacity) cache_forget(gg_strmap_remove_oldest(&c->docs));
    gg_strmap_put_hashed(&c->docs, d->text, len, hash, d);
    d->in_cache = true;
    d->refs++; /* the cache's own reference */
    return d;
}

void gg_doc_cache_stats(const gg_doc_cache *c, unsigned long *hits, unsigned long *misses)
{
    *hits = c->hits;
    *misses = c->misses;
}

/* ---- execution ---- */

void gg_gateway_write_subscription_refusal(const gg_gateway *g, gg_buf *out)
{
    char message[700];
    snprintf(message, sizeof message,
             "Subscriptions are not supported over HTTP: open a WebSocket to %s/realtime (AppSync real-time "
             "protocol, subprotocol graphql-ws) or to %s (subprotocol graphql-transport-ws).",
             g->graphql_path, g->graphql_path);
    gg_buf_puts(out, "{\"errors\":[{\"message\":");
    gg_json_write_string(out, message, strlen(message));
    gg_buf_puts(out, ",\"errorType\":\"BadRequestException\"}]}");
}

typedef struct exec_ctx {
    gg_request_context context; /* what the resolvers see (a copy: it lives as long as the execution) */
    gg_aws_auth_caller auth;    /* the caller as the field authorization sees it */
    gg_arena arena;
    gg_doc *doc;
    gg_gateway_done_fn done;
    void *user;
    bool *no_errors; /* NULL, or set to whether the result has no errors (the synchronous run) */
} exec_ctx;

/* The answer the done function running on this thread was given (gg_gateway_take_answer). */
static _Thread_local gg_buf *answer_given;

bool gg_gateway_take_answer(const char *json, gg_buf *into)
{
    if (answer_given == NULL || answer_given->data == NULL || answer_given->data != json) return false;
    *into = *answer_given;
    gg_buf_init(answer_given);
    return true;
}

static void on_exec_complete(const gg_exec_result *result, void *user)
{
    exec_ctx *x = user;
    gg_buf out;
    gg_buf_init(&out);
    /* one buffer for a large answer, not a copy at each doubling: the rows' JSON and some room */
    if (result->raw_bytes > 0) gg_buf_reserve(&out, result->raw_bytes + result->raw_bytes / 8 + 4096);
    gg_exec_result_write_json(&out, result);
    if (x->no_errors != NULL) *x->no_errors = result->errors.count == 0;
    gg_buf *outer = answer_given; /* a done function may complete another execution */
    answer_given = &out;
    x->done(x->user, result->data == NULL ? GG_EXEC_REQUEST_ERROR : GG_EXEC_DATA, out.data, out.len);
    answer_given = outer;
    gg_buf_free(&out);
    gg_doc_release(x->doc);
    gg_arena_free(&x->arena);
    free(x);
}

static void execute(const gg_gateway *g, const gg_gateway_request *request, const gg_val *root_value,
                    gg_gateway_done_fn on_complete, void *user, bool *no_errors)
{
    /* Where auth (issue 10) and realtime (issue 11) join the walk: the caller's identity, verified
     * by gg_gateway_authorize (authorize.h) before the document was even parsed, is
     * request->identity (NULL with auth.default_mode NONE). The executor checks every field's
     * @aws_* directives against its mode and groups (x->auth; none with NONE); @auth rules are the
     * planner's, which reads the identity from the context. A subscription runs here once per event:
     * server/realtime passes the event as root_value (gg_gateway_execute_over) and executes the
     * subscriber's own selection set over it (an event_only data-source context: nothing is read
     * again). Everything before this point (document, limits, validation) is shared. */
    exec_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) abort();
    if (request->context != NULL) x->context = *request->context;
    x->context.pg.identity = request->identity;
    const gg_auth_identity *identity = request->identity;
    bool checked = identity != NULL && identity->mode != GG_AUTH_NONE;
    if (checked)
        x->auth = (gg_aws_auth_caller){
            .mode = aws_auth_bit(identity->mode),
            .default_modes = g->default_auth_modes,
            .groups = (const char *const *)identity->groups,
            .group_count = identity->group_count,
            .group_bits =
                identity->mode == GG_AUTH_AMAZON_COGNITO_USER_POOLS
                    ? gg_aws_auth_group_bits(g->schema, (const char *const *)identity->groups, identity->group_count)
                    : 0,
            .denied_fields = (const char *const *)identity->denied_fields,
            .denied_field_count = identity->denied_field_count};
    gg_arena_init(&x->arena);
    x->doc = request->doc;
    request->doc->refs++;
    x->done = on_complete;
    x->user = user;
    x->no_errors = no_errors;
    gg_exec_request req = {
        .schema = g->schema,
        .document = request->doc->document,
        .operation_name = request->operation_name ? gg_arena_strdup(&x->arena, request->operation_name) : NULL,
        .variables = request->variables ? gg_val_from_cjson(&x->arena, request->variables) : NULL,
        .root_value = root_value ? root_value : g->root_value,
        .context = &x->context,
        .auth = checked ? &x->auth : NULL,
        .arena = &x->arena,
        .on_complete = on_exec_complete,
        .user = x,
    };
    gg_execute(&req);
}

void gg_gateway_execute(const gg_gateway *g, const gg_gateway_request *request, gg_gateway_done_fn on_complete,
                        void *user)
{
    execute(g, request, NULL, on_complete, user, NULL);
}

void gg_gateway_execute_over(const gg_gateway *g, const gg_gateway_request *request, const gg_val *root_value,
                             gg_gateway_done_fn on_complete, void *user)
{
    execute(g, request, root_value, on_complete, user, NULL);
}

void gg_gateway_cancel(const gg_request_context *context, const void *owner, bool interrupt)
{
    if (context != NULL && context->pg.pool != NULL) gg_pg_pool_cancel(context->pg.pool, owner, interrupt);
    if (context != NULL && context->pg.read_pool != NULL) gg_pg_pool_cancel(context->pg.read_pool, owner, interrupt);
}

/* ---- the synchronous run (tests, tools) ---- */

typedef struct sync_state {
    gg_buf *out;
    bool done, ok;
} sync_state;

static void on_sync_complete(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    (void)outcome;
    sync_state *st = user;
    gg_buf_append(st->out, json, len);
    st->done = true;
}

static void write_request_error(gg_buf *out, const char *message)
{
    gg_buf_puts(out, "{\"errors\":[{\"message\":");
    gg_json_write_string(out, message, strlen(message));
    gg_buf_puts(out, "}]}");
}

bool gg_gateway_run_sync(const gg_gateway *g, const char *query, size_t len, const char *operation_name,
                         const char *variables_json, gg_buf *out)
{
    gg_doc *doc = doc_new(g, query, len);
    const char *name;
    bool ok = false;
    cJSON *variables = NULL;
    if (doc->status != GG_DOC_OK) {
        gg_doc_write_errors(doc, out);
        goto done;
    }
    if (gg_doc_operation(doc, operation_name, &name) == GG_OPK_SUBSCRIPTION) {
        gg_gateway_write_subscription_refusal(g, out);
        goto done;
    }
    if (variables_json != NULL) {
        variables = cJSON_ParseWithLength(variables_json, strlen(variables_json));
        if (variables == NULL || !(cJSON_IsObject(variables) || cJSON_IsNull(variables))) {
            write_request_error(out, "Variables are invalid JSON.");
            goto done;
        }
    }
    sync_state st = {out, false, false};
    gg_gateway_request request = {
        .doc = doc,
        .operation_name = operation_name,
        .variables = cJSON_IsObject(variables) ? variables : NULL,
    };
    execute(g, &request, NULL, on_sync_complete, &st, &st.ok);
    if (!st.done) {
        /* A resolver answered later than promised: the execution still holds the document and
         * its arena; it is deliberately not waited for. */
        write_request_error(out, "GraphQL execution failed to complete synchronously.");
        goto done;
    }
    ok = st.ok;
done:
    cJSON_Delete(variables);
    gg_doc_release(doc);
    return ok;
}

const gg_plugin_authorizer *gg_gateway_lambda_authorizer(const gg_gateway *g)
{
    return g->authorizer;
}
