/* subscription.c: starting a subscription, and shaping each event with the subscriber's own
 * selection set (appsync-compat.md §5.2, §5.3, §5.4).
 *
 * Start: the document comes from the thread's cache (parsed, limit-checked and validated once
 * per text, like HTTP requests); the operation must be a subscription; its one root field names
 * the mutations that feed it (@aws_subscribe(mutations: [...]), which the Amplify transform puts
 * on onCreateX/onUpdateX/onDeleteX) and its arguments, coerced once, are the filters (an owner
 * rule's field, `owner:` as DataStore sends it, matches by identity: §4.7).
 * Delivery: the event's JSON is parsed once per thread; each subscription whose filters pass runs
 * its own operation through the gateway with the event as the root value ({field: result}) and a
 * data-source context without a pool (event_only), so what the event lacks (a relation the mutation
 * did not select) is null and nothing is queried per subscriber; the written row's stored fields
 * are all in the event. Subscribers with the same document and variables share
 * one execution per event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../graphql/execute/execute.h"
#include "../graphql/execute/values.h"
#include "../graphql/json_read.h"
#include "../metrics/metrics.h"
#include "filter.h"
#include "internal.h"

/* The first field of a selection set, looking through fragments (validation left exactly one). */
static const gg_selection *root_field(const gg_document *doc, const gg_selection_set *set, unsigned depth)
{
    if (set == NULL || depth > 8) return NULL;
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *s = &set->selections[i];
        if (s->kind == GG_SELECTION_FIELD) return s;
        const gg_selection_set *inner = s->selection_set;
        if (s->kind == GG_SELECTION_FRAGMENT_SPREAD) {
            inner = NULL;
            for (unsigned d = 0; d < doc->definition_count && inner == NULL; d++)
                if (doc->definitions[d].kind == GG_DEF_FRAGMENT && doc->definitions[d].name.value != NULL &&
                    strcmp(doc->definitions[d].name.value, s->name.value) == 0)
                    inner = doc->definitions[d].selection_set;
        }
        const gg_selection *f = root_field(doc, inner, depth + 1);
        if (f != NULL) return f;
    }
    return NULL;
}

/* The mutations of the field's @aws_subscribe (count 0: none). */
static unsigned subscribed_mutations(const gg_field *field, const gg_value **list)
{
    *list = NULL;
    const gg_field_def *def = field->ast;
    for (unsigned i = 0; def != NULL && i < def->directive_count; i++) {
        const gg_directive *d = &def->directives[i];
        if (strcmp(d->name.value, "aws_subscribe") != 0) continue;
        for (unsigned a = 0; a < d->arg_count; a++) {
            const gg_value *v = d->args[a].value;
            if (strcmp(d->args[a].name.value, "mutations") != 0 || v == NULL) continue;
            if (v->kind == GG_VALUE_LIST) {
                *list = v;
                return v->item_count;
            }
        }
    }
    return 0;
}

static void set_error(gg_rt_start_error *error, const char *type, const char *fmt, const char *arg)
{
    error->error_type = type;
    snprintf(error->message, sizeof error->message, fmt, arg);
}

/* Validation errors of the start (variables, arguments) as {"errors":[...]}; the first message too. */
static void errors_to(gg_rt_start_error *error, const gg_error_list *errors)
{
    gg_buf_puts(&error->errors, "{\"errors\":");
    gg_error_list_write_json(&error->errors, errors);
    gg_buf_putc(&error->errors, '}');
    set_error(error, "ValidationError", "%s", errors->head ? errors->head->message : "Invalid subscription.");
}

/* ---- the arguments, kept compact ----
 * A subscription lives as long as its connection, and its start fills an arena (a 4 KB block at
 * least) with the variables, their coercion and the arguments; only the arguments are needed
 * afterwards. They are copied into one allocation of their own size and the arena is freed: about
 * a third of the memory of an idle subscribed connection (tests/bench/realtime.sh). */

#define PIECE(n) (((n) + 15) & ~(size_t)15)

static bool is_shared(const gg_val *v)
{
    return v == &gg_val_null_value || v == &gg_val_undefined_value || v == &gg_val_true_value ||
           v == &gg_val_false_value;
}

/* The bytes a copy of v takes: values, arrays, strings and keys, each 16-byte aligned. */
static size_t args_size(const gg_val *v)
{
    if (v == NULL || is_shared(v)) return 0;
    size_t n = PIECE(sizeof *v);
    switch (v->kind) {
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
    case GG_VAL_RAW:
        n += PIECE(v->len + 1);
        break;
    case GG_VAL_LIST:
        n += PIECE(v->count * sizeof *v->items);
        for (unsigned i = 0; i < v->count; i++)
            n += args_size(v->items[i]);
        break;
    case GG_VAL_OBJECT:
        n += PIECE(v->count * sizeof *v->members);
        for (unsigned i = 0; i < v->count; i++)
            n += PIECE(strlen(v->members[i].key) + 1) + args_size(v->members[i].value);
        break;
    default:
        break;
    }
    return n;
}

static void *take(char **at, size_t n)
{
    void *p = *at;
    *at += PIECE(n);
    return p;
}

/* Copies v into the room at *at (args_size(v) bytes); the shared constants stay themselves. */
static gg_val *args_copy(const gg_val *v, char **at)
{
    if (v == NULL || is_shared(v)) return (gg_val *)v;
    gg_val *c = take(at, sizeof *c);
    *c = *v;
    switch (v->kind) {
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
    case GG_VAL_RAW: {
        char *s = take(at, v->len + 1);
        memcpy(s, v->s, v->len);
        s[v->len] = '\0';
        c->s = s;
        break;
    }
    case GG_VAL_LIST:
        c->items = take(at, v->count * sizeof *v->items);
        for (unsigned i = 0; i < v->count; i++)
            c->items[i] = args_copy(v->items[i], at);
        break;
    case GG_VAL_OBJECT:
        c->members = take(at, v->count * sizeof *v->members);
        for (unsigned i = 0; i < v->count; i++) {
            size_t len = strlen(v->members[i].key);
            char *key = take(at, len + 1);
            memcpy(key, v->members[i].key, len + 1);
            c->members[i] = (gg_val_member){key, args_copy(v->members[i].value, at)};
        }
        break;
    default:
        break;
    }
    return c;
}

static void sub_free(gg_rt_sub *sub)
{
    for (unsigned i = 0; i < sub->link_count; i++)
        gg_rt_index_remove(&sub->links[i]);
    free(sub->links);
    free(sub->caseless);
    free(sub->args_block);
    if (sub->doc != NULL) gg_doc_release(sub->doc);
    cJSON_Delete(sub->variables);
    free(sub->variables_text);
    free(sub->operation_name);
    free(sub->id);
    gg_auth_identity_release(sub->identity);
    gg_arena_free(&sub->arena);
    free(sub);
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) abort();
    return p;
}

/* ---- owner arguments (appsync-compat.md §3.4, §4.7) ----
 * onCreateX(owner: String) and friends: DataStore sends the caller's claim (its username, or its
 * sub) while the row holds "<sub>::<username>" (or an older form). Such an argument is matched by
 * identity (gg_rt_owner_match), not by classic equality, so it is kept apart from the classic
 * arguments (and from the index's equality buckets). */

/* True when name is the ownerField of an owner rule of a model that one of the n subscribed
 * mutations writes. */
static bool is_owner_argument(const gg_amplify_catalog *catalog, const gg_value *mutations, unsigned n,
                              const char *name)
{
    for (unsigned i = 0; catalog != NULL && i < n; i++) {
        const gg_value *m = mutations->items[i];
        if (m->kind != GG_VALUE_STRING) continue;
        const gg_amplify_operation *op = gg_amplify_find_operation(catalog, "Mutation", m->text);
        if (op == NULL || op->model == NULL) continue;
        for (unsigned r = 0; r < op->model->auth_rule_count; r++) {
            const gg_amplify_auth_rule *rule = &op->model->auth_rules[r];
            if (rule->allow == GG_AMPLIFY_ALLOW_OWNER && rule->owner_field != NULL &&
                strcmp(rule->owner_field, name) == 0)
                return true;
        }
    }
    return false;
}

/* Moves the owner arguments of sub->args (in its arena) to sub->owner_args. */
static void split_owner_arguments(gg_rt_sub *sub, const gg_amplify_catalog *catalog, const gg_value *mutations,
                                  unsigned n)
{
    const gg_val *args = sub->args;
    unsigned owners = 0;
    for (unsigned i = 0; args->kind == GG_VAL_OBJECT && i < args->count; i++)
        owners += is_owner_argument(catalog, mutations, n, args->members[i].key);
    if (owners == 0) return;
    gg_val *classic = gg_val_object(&sub->arena, args->count - owners);
    gg_val *owner = gg_val_object(&sub->arena, owners);
    for (unsigned i = 0; i < args->count; i++) {
        const gg_val_member *m = &args->members[i];
        gg_val_object_set(&sub->arena, is_owner_argument(catalog, mutations, n, m->key) ? owner : classic, m->key,
                          m->value);
    }
    sub->args = classic;
    sub->owner_args = owner;
}

/* False when a caller whose listen rules on the model depend on the row gives an owner argument
 * that does not name it (none of its values for an owner rule of that field that applies to it),
 * and no dynamic groups rule could let it see another owner's rows: AppSync's subscription
 * resolver refuses such a start as Unauthorized. */
static bool owner_arguments_name_caller(gg_rt_sub *sub, const gg_amplify_model *model)
{
    const gg_val *owner_args = sub->owner_args;
    if (owner_args == NULL || sub->identity == NULL) return true;
    for (unsigned r = 0; r < model->auth_rule_count; r++) {
        const gg_amplify_auth_rule *rule = &model->auth_rules[r];
        if (rule->allow == GG_AMPLIFY_ALLOW_GROUPS && rule->groups_field != NULL &&
            gg_pg_auth_rule_applies(rule, GG_AMPLIFY_OP_LISTEN, sub->identity))
            return true;
    }
    for (unsigned i = 0; i < owner_args->count; i++) {
        const gg_val *wanted = owner_args->members[i].value;
        if (wanted == NULL || wanted->kind != GG_VAL_STRING) continue;
        bool named = false;
        for (unsigned r = 0; r < model->auth_rule_count && !named; r++) {
            const gg_amplify_auth_rule *rule = &model->auth_rules[r];
            if (rule->allow != GG_AMPLIFY_ALLOW_OWNER || strcmp(rule->owner_field, owner_args->members[i].key) != 0 ||
                !gg_pg_auth_rule_applies(rule, GG_AMPLIFY_OP_LISTEN, sub->identity))
                continue;
            const char **values;
            unsigned count = gg_pg_auth_owner_values(&sub->arena, rule, sub->identity, &values);
            for (unsigned k = 0; k < count && !named; k++)
                named = strlen(values[k]) == wanted->len && memcmp(values[k], wanted->s, wanted->len) == 0;
        }
        if (!named) return false;
    }
    return true;
}

/* sub->caseless: the fields of the subscribed mutations' models whose column is citext or citext[]
 * (with the types gg_pg_bind read from the database), so that the filters agree with a list
 * query's on the same rows. Names point into the catalog, which outlives the generation. */
static void find_caseless_fields(gg_rt_sub *sub, const gg_value *mutations, unsigned n)
{
    const gg_schema *schema = gg_gateway_schema(sub->conn->generation->gateway);
    unsigned count = 0, cap = 0;
    for (unsigned i = 0; i < n && schema->mutation_type != NULL; i++) {
        const gg_value *m = mutations->items[i];
        if (m->kind != GG_VALUE_STRING) continue;
        const gg_pg_model *pm = gg_pg_bound_model(gg_type_find_field(schema->mutation_type, m->text));
        for (unsigned k = 0; pm != NULL && k < pm->model->field_count; k++) {
            const gg_pg_column *c = &pm->columns[k];
            if (c->field == NULL || !gg_pg_column_ignores_case(c)) continue;
            bool known = false;
            for (unsigned j = 0; j < count && !known; j++)
                known = strcmp(sub->caseless[j], c->field->name) == 0;
            if (known) continue;
            if (count + 2 > cap) {
                cap = cap ? cap * 2 : 4;
                sub->caseless = realloc(sub->caseless, cap * sizeof *sub->caseless);
                if (sub->caseless == NULL) abort();
            }
            sub->caseless[count++] = c->field->name;
            sub->caseless[count] = NULL;
        }
    }
}

/* The @auth listen rules (appsync-compat.md §3.4) of the model each subscribed mutation writes,
 * for the subscriber: what does not depend on the row (public, private, static groups, the
 * provider) is decided here, owner and dynamic groups rules per event (consider). A mutation of no
 * model, or of a model with subscriptions level public, keeps no rule. False when every model
 * mutation is refused: no rule can ever let an event through. */
static bool decide_listen(gg_rt_hub *hub, gg_rt_sub *sub)
{
    const gg_rt_generation *generation = sub->conn->generation;
    const gg_amplify_catalog *catalog = gg_gateway_catalog(generation->gateway);
    if (catalog == NULL || generation->models == NULL) return true;
    unsigned modeled = 0, refused = 0;
    for (unsigned i = 0; i < sub->link_count; i++) {
        gg_rt_sub_link *link = &sub->links[i];
        const gg_amplify_operation *op = gg_amplify_find_operation(catalog, "Mutation", link->topic->name);
        if (op == NULL || op->model == NULL || op->model->ops.subscriptions_public) continue;
        link->model = gg_pg_models_find(generation->models, op->model->name);
        if (link->model == NULL) continue;
        modeled++;
        link->listen = gg_pg_auth_model_row(link->model, GG_AMPLIFY_OP_LISTEN, sub->identity, NULL, &sub->arena);
        if (link->listen == GG_PG_AUTH_PREDICATE && !owner_arguments_name_caller(sub, op->model))
            link->listen = GG_PG_AUTH_DENY;
        if (link->listen == GG_PG_AUTH_DENY) refused++;
    }
    return modeled == 0 || refused < modeled;
}

gg_rt_sub *gg_rt_sub_start(gg_rt_conn *c, const char *id, const char *query, size_t query_len,
                           const char *operation_name, const cJSON *variables, gg_auth_identity *identity,
                           gg_rt_start_error *error)
{
    gg_rt_hub *hub = c->hub;
    gg_buf_init(&error->errors);
    error->execution = false;
    gg_rt_sub *sub = calloc(1, sizeof *sub);
    if (sub == NULL) abort();
    gg_arena_init(&sub->arena);
    sub->conn = c;
    sub->id = xstrdup(id);
    sub->identity = identity;
    sub->operation_name = operation_name != NULL ? xstrdup(operation_name) : NULL;
    sub->doc = gg_doc_get(c->generation->cache, query, query_len);
    gg_doc_status status = gg_doc_get_status(sub->doc);
    if (status != GG_DOC_OK) {
        gg_doc_write_errors(sub->doc, &error->errors);
        set_error(error, status == GG_DOC_SYNTAX_ERROR ? "ParseError" : "ValidationError", "%s",
                  status == GG_DOC_SYNTAX_ERROR ? "The subscription does not parse."
                                                : "The subscription is not valid.");
        sub_free(sub);
        return NULL;
    }
    const char *name;
    gg_op_kind kind = gg_doc_operation(sub->doc, operation_name, &name);
    if (kind != GG_OPK_SUBSCRIPTION) {
        if (kind == GG_OPK_NONE)
            set_error(error, "ValidationError", "%s",
                      operation_name ? "Unknown operation name."
                                     : "Must provide operation name if query contains "
                                       "multiple operations.");
        else
            set_error(error, "UnsupportedOperation", "%s not supported through the realtime channel",
                      kind == GG_OPK_QUERY ? "query" : "mutation");
        sub_free(sub);
        return NULL;
    }
    const gg_schema *schema = gg_gateway_schema(c->generation->gateway);
    const gg_document *document = gg_doc_document(sub->doc);
    gg_error_list errors;
    gg_error_list_init(&errors, &sub->arena);
    const gg_definition *op = gg_select_operation(document, operation_name, &errors);
    const gg_selection *selection = op ? root_field(document, op->selection_set, 0) : NULL;
    const gg_field *field = selection && schema->subscription_type
                                ? gg_type_find_field(schema->subscription_type, selection->name.value)
                                : NULL;
    if (field == NULL) {
        set_error(error, "ValidationError", "%s", "The subscription selects no field of the Subscription type.");
        sub_free(sub);
        return NULL;
    }
    sub->field_name = field->name;
    gg_val *raw = variables != NULL ? gg_val_from_cjson(&sub->arena, variables) : gg_val_object(&sub->arena, 0);
    gg_val *coerced = gg_coerce_variable_values(schema, &sub->arena, op, raw, &errors);
    if (coerced != NULL)
        sub->args = gg_argument_values(&sub->arena, field->args, field->arg_count, selection->args,
                                       selection->arg_count, selection->loc, coerced, &errors);
    if (coerced == NULL || sub->args == NULL) {
        errors_to(error, &errors);
        error->execution = true;
        sub_free(sub);
        return NULL;
    }
    const gg_value *mutations;
    unsigned n = subscribed_mutations(field, &mutations);
    split_owner_arguments(sub, gg_gateway_catalog(c->generation->gateway), mutations, n);
    size_t size = args_size(sub->args) + args_size(sub->owner_args);
    char *at = sub->args_block = malloc(size ? size : 1);
    if (sub->args_block == NULL) abort();
    /* the arena goes once the start is decided, below */
    sub->args = args_copy(sub->args, &at);
    if (sub->owner_args != NULL) sub->owner_args = args_copy(sub->owner_args, &at);
    const gg_val *filter = gg_val_object_get(sub->args, "filter");
    sub->filter = gg_val_is_null(filter) ? NULL : filter;
    if (variables != NULL) {
        sub->variables = cJSON_Duplicate(variables, true);
        sub->variables_text = cJSON_PrintUnformatted(variables);
    }
    if (sub->variables_text == NULL) sub->variables_text = xstrdup("");

    find_caseless_fields(sub, mutations, n); /* before the index, which leaves these fields out */
    sub->links = calloc(n ? n : 1, sizeof *sub->links);
    if (sub->links == NULL) abort();
    for (unsigned i = 0; i < n; i++) {
        const gg_value *m = mutations->items[i];
        if (m->kind != GG_VALUE_STRING) continue;
        sub->links[sub->link_count].sub = sub;
        gg_rt_index_add(hub, m->text, &sub->links[sub->link_count]);
        sub->link_count++;
    }
    if (!decide_listen(hub, sub)) {
        set_error(error, "Unauthorized", "Not Authorized to access %s on type Subscription", field->name);
        sub_free(sub);
        return NULL;
    }
    if (c->sub_count == c->sub_cap) {
        c->sub_cap = c->sub_cap ? c->sub_cap * 2 : 4;
        c->subs = realloc(c->subs, c->sub_cap * sizeof *c->subs);
        if (c->subs == NULL) abort();
    }
    c->subs[c->sub_count++] = sub;
    gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, 1);
    gg_arena_free(&sub->arena);
    return sub;
}

void gg_rt_sub_stop(gg_rt_sub *sub)
{
    gg_rt_conn *c = sub->conn;
    for (unsigned i = 0; i < c->sub_count; i++) {
        if (c->subs[i] != sub) continue;
        c->subs[i] = c->subs[--c->sub_count];
        gg_metrics_gauge_add(GG_METRIC_SUBSCRIPTIONS, -1);
        break;
    }
    sub_free(sub);
}

/* ---- delivery ---- */

/* One execution's answer; when it completes after gateway_execute returned (an asynchronous
 * resolver, which a subscription over an event should never meet), it is dropped. */
typedef struct shaped {
    bool done, abandoned;
    gg_buf json;
    gg_rt_generation *generation; /* held while an abandoned execution still runs on it */
} shaped;

static void on_shaped(void *user, gg_exec_outcome outcome, const char *json, size_t len)
{
    (void)outcome;
    shaped *s = user;
    if (s->abandoned) {
        s->generation->release(s->generation);
        free(s);
        return;
    }
    gg_buf_append(&s->json, json, len);
    s->done = true;
}

/* Results already computed for this event, per (document, operation, variables). */
typedef struct memo {
    const gg_doc *doc;
    const char *operation_name;
    const char *variables_text;
    const char *field_name;
    const gg_auth_identity *identity;
    char *json;
    size_t len;
} memo;

static bool same_name(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void deliver(gg_rt_sub *sub, const char *json, size_t len)
{
    gg_rt_conn *c = sub->conn;
    size_t max = c->hub->cfg->rt_max_message_bytes;
    if (len > max) {
        char message[200];
        int n =
            snprintf(message, sizeof message,
                     "{\"data\":null,\"errors\":[{\"message\":\"The event is larger than %zu bytes "
                     "(realtime.max_message_bytes) and was not delivered.\",\"errorType\":\"LimitExceededError\"}]}",
                     max);
        json = message;
        len = (size_t)n;
        gg_metrics_count(GG_METRIC_EVENTS_DROPPED);
        if (c->protocol == GG_RT_APPSYNC)
            gg_rt_appsync_send_data(c, sub, json, len);
        else
            gg_rt_transport_send_next(c, sub, json, len);
        return;
    }
    c->hub->delivered++;
    gg_metrics_count(GG_METRIC_EVENTS_DELIVERED);
    if (c->protocol == GG_RT_APPSYNC)
        gg_rt_appsync_send_data(c, sub, json, len);
    else
        gg_rt_transport_send_next(c, sub, json, len);
}

/* One event's delivery: its value, the results shared so far. */
typedef struct dispatch {
    gg_rt_hub *hub;
    const char *topic_name;
    gg_arena arena;
    const gg_val *event;
    gg_request_context context; /* event_only, no pool: nothing is read */
    memo *memos;
    unsigned memo_count, memo_cap;
} dispatch;

/* The shaped result for sub over event (shared with the subscriptions of the same document,
 * operation, variables and identity), or NULL when its execution did not complete at once. */
static memo *shape(dispatch *d, gg_rt_sub *sub, const gg_val *event)
{
    for (unsigned i = 0; i < d->memo_count; i++) {
        memo *m = &d->memos[i];
        if (m->doc == sub->doc && m->identity == sub->identity && same_name(m->operation_name, sub->operation_name) &&
            strcmp(m->variables_text, sub->variables_text) == 0 && strcmp(m->field_name, sub->field_name) == 0)
            return m;
    }
    gg_val *root = gg_val_object(&d->arena, 1);
    gg_val_object_set(&d->arena, root, sub->field_name, (gg_val *)event);
    shaped *s = calloc(1, sizeof *s);
    if (s == NULL) abort();
    gg_buf_init(&s->json);
    gg_gateway_request request = {.doc = sub->doc,
                                  .operation_name = sub->operation_name,
                                  .variables = sub->variables,
                                  .context = &d->context,
                                  .identity = sub->identity};
    gg_gateway_execute_over(sub->conn->generation->gateway, &request, root, on_shaped, s);
    if (!s->done) {
        s->abandoned = true;
        s->generation = sub->conn->generation;
        s->generation->hold(s->generation);
        return NULL;
    }
    if (d->memo_count == d->memo_cap) {
        d->memo_cap = d->memo_cap ? d->memo_cap * 2 : 8;
        d->memos = realloc(d->memos, d->memo_cap * sizeof *d->memos);
        if (d->memos == NULL) abort();
    }
    memo *m = &d->memos[d->memo_count++];
    *m = (memo){sub->doc,      sub->operation_name, sub->variables_text, sub->field_name,
                sub->identity, s->json.data,        s->json.len};
    free(s);
    return m;
}

/* The link through which the event's topic reaches sub. */
static const gg_rt_sub_link *link_of(const gg_rt_sub *sub, const char *topic_name)
{
    for (unsigned i = 0; i < sub->link_count; i++)
        if (strcmp(sub->links[i].topic->name, topic_name) == 0) return &sub->links[i];
    return NULL;
}

static void consider(gg_rt_sub *sub, void *user)
{
    dispatch *d = user;
    if (sub->conn->closing) return;
    const char *const *caseless = sub->caseless;
    if (!gg_rt_args_match(sub->args, "filter", d->event, caseless) ||
        !gg_rt_filter_match(sub->filter, d->event, caseless))
        return;
    for (unsigned i = 0; sub->owner_args != NULL && i < sub->owner_args->count; i++)
        if (!gg_rt_owner_match(sub->owner_args->members[i].value,
                               gg_val_object_get(d->event, sub->owner_args->members[i].key)))
            return;
    const gg_val *event = d->event;
    const gg_rt_sub_link *link = link_of(sub, d->topic_name);
    if (link == NULL) return;
    if (link->model != NULL) {
        if (event == NULL || event->kind != GG_VAL_OBJECT) return;
        if (link->listen == GG_PG_AUTH_DENY) return;
        if (link->listen == GG_PG_AUTH_PREDICATE &&
            gg_pg_auth_model_row(link->model, GG_AMPLIFY_OP_LISTEN, sub->identity, event, &d->arena) !=
                GG_PG_AUTH_ALLOW)
            return;
        event = gg_pg_auth_fields_row(sub->conn->generation->models, link->model, GG_AMPLIFY_OP_LISTEN, sub->identity,
                                      event, &d->arena);
    }
    memo *m = shape(d, sub, event);
    if (m != NULL) deliver(sub, m->json ? m->json : "{}", m->json ? m->len : 2);
}

void gg_rt_hub_dispatch(gg_rt_hub *hub, const char *topic_name, const char *json, size_t len)
{
    if (!gg_rt_index_has(hub, topic_name)) return;
    dispatch d = {.hub = hub, .topic_name = topic_name, .context = {.pg = {.event_only = true}}};
    gg_arena_init(&d.arena);
    d.event = gg_json_read(&d.arena, json, len); /* exact integers: an AWSJSON document's 64-bit ids */
    if (d.event == NULL) {
        gg_arena_free(&d.arena);
        return;
    }
    /* Sending only queues frames (connections are flushed below): nothing is freed meanwhile. */
    gg_rt_index_visit(hub, topic_name, d.event, consider, &d);
    for (unsigned i = 0; i < d.memo_count; i++)
        free(d.memos[i].json);
    free(d.memos);
    gg_arena_free(&d.arena);
    gg_rt_hub_flush(hub);
}
