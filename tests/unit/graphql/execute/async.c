/* async.c: resolvers that answer later, from a fake event loop (a queue the test drains), mixed
 * with synchronous ones: the result must equal the all-synchronous one, on_complete must run
 * exactly once and only after the last answer (even when a dead subtree still has resolvers in
 * flight), and mutation root fields must run one after another, each after the previous one's
 * whole subtree. */
#include "../../test.h"
#include "helpers.h"

typedef struct pending {
    gg_resolve_info *info;
    gg_val *value;
    const char *error; /* answer with an error instead */
    bool prepared;     /* answer with gg_resolve_fail and a prepared error */
} pending;

typedef struct loop {
    pending items[256];
    unsigned head, tail;
    char log[512]; /* "name," for every resolver start, in order */
    int completions;
    gg_buf out;
} loop;

static void log_start(loop *l, gg_resolve_info *info)
{
    size_t n = strlen(l->log);
    snprintf(l->log + n, sizeof l->log - n, "%s,", info->field->name);
}

/* Like data_resolve, but the answer is queued. */
static void later_resolve(gg_resolve_info *info)
{
    loop *l = info->context;
    log_start(l, info);
    gg_val *value = gg_val_object_get(info->source, info->field->name);
    const gg_val *error = gg_val_object_get(value, "__error");
    pending p = {info, value, error && error->kind == GG_VAL_STRING ? error->s : NULL, false};
    l->items[l->tail++ % 256] = p;
}

static void now_resolve(gg_resolve_info *info)
{
    log_start(info->context, info);
    data_resolve(info);
}

/* Queued like later_resolve; the answer is an error carrying AppSync's data and errorInfo. */
static void later_conflict_resolve(gg_resolve_info *info)
{
    loop *l = info->context;
    log_start(l, info);
    pending p = {info, NULL, NULL, true};
    l->items[l->tail++ % 256] = p;
}

static void answer(pending p)
{
    if (p.prepared) {
        gg_error *e = gg_arena_alloc(p.info->arena, sizeof *e);
        e->message = "Conflict resolver rejects mutation.";
        e->error_type = "ConflictUnhandled";
        e->data = "{\"x\":1}";
        e->error_info = "null";
        gg_resolve_fail(p.info, e);
    } else if (p.error)
        gg_resolve_error(p.info, NULL, "%s", p.error);
    else
        gg_resolve_return(p.info, p.value);
}

/* Runs the event loop: FIFO, or LIFO (newest answer first) to complete out of order. */
static void drain(loop *l, bool lifo)
{
    while (l->head != l->tail) {
        pending p = lifo ? l->items[--l->tail % 256] : l->items[l->head++ % 256];
        CHECK_INT(l->completions, 0);
        answer(p);
    }
}

static void on_complete(const gg_exec_result *result, void *user)
{
    loop *l = user;
    l->completions++;
    gg_exec_result_write_json(&l->out, result);
}

static const char *sdl = "type Query { a: Obj b: Int c: [Obj] d: Obj! }\n"
                         "type Mutation { first: Obj second: Obj }\n"
                         "type Obj { x: Int y: Int strict: Int! list: [Int!] }\n";

/* Binds `async_fields` ("Type.field" names, comma separated) to later_resolve, the rest to now_resolve. */
static gg_schema *make_schema(const char *async_fields)
{
    gg_schema *schema = schema_from_sdl(sdl, false);
    if (!schema) return NULL;
    for (unsigned t = 0; t < schema->type_count; t++) {
        gg_type *type = schema->types[t];
        if (type->kind != GG_KIND_OBJECT || type->is_builtin) continue;
        for (unsigned f = 0; f < type->field_count; f++) {
            char name[128];
            snprintf(name, sizeof name, ",%s.%s,", type->name, type->fields[f].name);
            char list[256];
            snprintf(list, sizeof list, ",%s,", async_fields);
            type->fields[f].resolve = strstr(list, name) ? later_resolve : now_resolve;
        }
    }
    return schema;
}

/* Runs query with the schema's bindings, draining the loop; returns the response (static). */
static const char *run_async(const gg_schema *schema, const char *query, const char *root_json, bool lifo,
                             char *log_out, size_t log_size)
{
    static char result[4096];
    loop *l = calloc(1, sizeof *l);
    gg_buf_init(&l->out);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, query, strlen(query), NULL, &errors);
    CHECK(doc != NULL);
    gg_exec_request req = {.schema = schema,
                           .document = doc,
                           .root_value = val_from_json_text(&arena, root_json),
                           .context = l,
                           .arena = &arena,
                           .on_complete = on_complete,
                           .user = l};
    gg_execute(&req);
    drain(l, lifo);
    CHECK_INT(l->completions, 1);
    snprintf(result, sizeof result, "%s", l->out.data ? l->out.data : "(none)");
    if (log_out) snprintf(log_out, log_size, "%s", l->log);
    gg_buf_free(&l->out);
    free(l);
    gg_arena_free(&arena);
    return result;
}

static const char *data =
    "{\"a\":{\"x\":1,\"y\":2},\"b\":3,\"c\":[{\"x\":4,\"y\":5},{\"x\":6,\"y\":{\"__error\":\"bad y\"}}],"
    "\"d\":{\"x\":7,\"strict\":{\"__error\":\"no strict\"},\"list\":[1,2]},"
    "\"first\":{\"x\":10},\"second\":{\"x\":20}}";

static void test_same_answer_as_sync(void)
{
    const char *query = "{ a { x y } b c { x y } d { x list } }";
    gg_schema *sync = make_schema("");
    gg_schema *async = make_schema("Query.a,Obj.y,Query.c,Obj.list");
    char expected[4096];
    snprintf(expected, sizeof expected, "%s", run_async(sync, query, data, false, NULL, 0));
    CHECK_STR(expected, "{\"data\":{\"a\":{\"x\":1,\"y\":2},\"b\":3,\"c\":[{\"x\":4,\"y\":5},{\"x\":6,\"y\":null}],"
                        "\"d\":{\"x\":7,\"list\":[1,2]}},\"errors\":[{\"message\":\"bad y\",\"locations\":[{\"line\":1,"
                        "\"column\":21}],\"path\":[\"c\",1,\"y\"]}]}");
    CHECK_STR(run_async(async, query, data, false, NULL, 0), expected);
    CHECK_STR(run_async(async, query, data, true, NULL, 0), expected);
    gg_schema_free(sync);
    gg_schema_free(async);
}

/* d.strict fails asynchronously: d is non-null, so data becomes null; the other resolvers under d
 * that are still in flight answer later, and on_complete waits for them. */
static void test_null_propagation_with_resolvers_in_flight(void)
{
    gg_schema *schema = make_schema("Obj.strict,Obj.x,Obj.list");
    const char *query = "{ b d { strict x list } }";
    const char *expected = "{\"data\":null,\"errors\":[{\"message\":\"no strict\",\"locations\":[{\"line\":1,"
                           "\"column\":9}],\"path\":[\"d\",\"strict\"]}]}";
    CHECK_STR(run_async(schema, query, data, false, NULL, 0), expected);
    CHECK_STR(run_async(schema, query, data, true, NULL, 0), expected);
    gg_schema_free(schema);
}

static void test_mutation_is_serial(void)
{
    gg_schema *schema = make_schema("Mutation.first,Mutation.second,Obj.x");
    char log[512];
    /* LIFO would answer `second` before `first` if both had started: they must not have */
    const char *r = run_async(schema, "mutation { first { x y } second { x } }", data, true, log, sizeof log);
    CHECK_STR(r, "{\"data\":{\"first\":{\"x\":10,\"y\":null},\"second\":{\"x\":20}}}");
    CHECK_STR(log, "first,x,y,second,x,");
    /* a query does not wait: b starts while a.x is still pending */
    r = run_async(schema, "{ a { x } b }", data, true, log, sizeof log);
    CHECK_STR(r, "{\"data\":{\"a\":{\"x\":1},\"b\":3}}");
    CHECK_STR(log, "a,x,b,");
    gg_schema_free(schema);
}

static void typed_error_resolve(gg_resolve_info *info)
{
    gg_error *e = gg_resolve_error(info, "Unauthorized", "Not Authorized to access %s on type %s", info->field->name,
                                   info->parent_type->name);
    e->error_info = "{\"why\":1}";
}

static void test_error_type_and_info(void)
{
    gg_schema *schema = make_schema("");
    gg_type_find_field(gg_schema_find_type(schema, "Query"), "b")->resolve = typed_error_resolve;
    CHECK_STR(run_async(schema, "{ b }", data, false, NULL, 0),
              "{\"data\":{\"b\":null},\"errors\":[{\"message\":\"Not Authorized to access b on type Query\","
              "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"b\"],\"errorType\":\"Unauthorized\","
              "\"errorInfo\":{\"why\":1}}]}");
    gg_schema_free(schema);
}

/* The last answer completes the execution inside gg_resolve_fail: the error's extra keys, set
 * before the call, are in the response. */
static void test_prepared_error_from_the_loop(void)
{
    gg_schema *schema = make_schema("");
    gg_type_find_field(gg_schema_find_type(schema, "Mutation"), "first")->resolve = later_conflict_resolve;
    CHECK_STR(run_async(schema, "mutation M {\n  first { x }\n}", data, false, NULL, 0),
              "{\"data\":{\"first\":null},\"errors\":[{\"message\":\"Conflict resolver rejects mutation.\","
              "\"locations\":[{\"line\":2,\"column\":3}],\"path\":[\"first\"],\"errorType\":\"ConflictUnhandled\","
              "\"errorInfo\":null,\"data\":{\"x\":1}}]}");
    gg_schema_free(schema);
}

int main(void)
{
    RUN(test_same_answer_as_sync);
    RUN(test_null_propagation_with_resolvers_in_flight);
    RUN(test_mutation_is_serial);
    RUN(test_error_type_and_info);
    RUN(test_prepared_error_from_the_loop);
    return test_summary();
}
