/* Tests of server/graphql/execute/collect_fields.c (graphql-js collectFields), the field
 * collection shared by the executor and the PostgreSQL planner: merged response names in order of
 * first appearance, fragments expanded once and only where their type condition applies,
 * @skip/@include with variables and their errors, and the planner's merging by field name. */
#include "helpers.h"

#include "base/strmap.h"
#include "execute/collect_fields.h"
#include "test.h"

static const char *const sdl = "type Query { post: Post posts: [Post] node: Node }\n"
                               "interface Node { id: ID }\n"
                               "type Post implements Node { id: ID title: String blog: Blog }\n"
                               "type Blog implements Node { id: ID name: String }\n";

/* Collects the fields the first operation of `query` selects on `type_name`: from the operation's
 * selection set, or (nested) from the sub-selections of its root fields. Writes them as
 * "name(nodes)" (with "*" when shared_name), or "error: message". */
static const char *collect(const char *query, const char *type_name, bool nested, bool by_field_name,
                           const char *variables)
{
    static char out[1024];
    gg_schema *schema = schema_from_sdl(sdl, false);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, query, strlen(query), NULL, &errors);
    CHECK(doc != NULL);
    gg_strmap fragments;
    gg_strmap_init(&fragments, &arena);
    const gg_definition *operation = NULL;
    for (unsigned i = 0; doc && i < doc->definition_count; i++) {
        const gg_definition *def = &doc->definitions[i];
        if (def->kind == GG_DEF_FRAGMENT)
            gg_strmap_put(&fragments, def->name.value, strlen(def->name.value), (void *)def);
        else if (def->kind == GG_DEF_OPERATION && operation == NULL)
            operation = def;
    }
    gg_collect_context context = {.schema = schema,
                                  .arena = &arena,
                                  .variables = val_from_json_text(&arena, variables ? variables : "{}"),
                                  .fragments = &fragments,
                                  .by_field_name = by_field_name};
    const gg_type *type = gg_schema_find_type(schema, type_name);
    gg_collected_fields fields = {0};
    bool ok;
    if (nested) {
        const gg_selection *nodes[8];
        unsigned count = 0;
        for (unsigned i = 0; i < operation->selection_set->count && count < 8; i++)
            nodes[count++] = &operation->selection_set->selections[i];
        ok = gg_collect_fields(&context, type, NULL, nodes, count, &fields, &errors);
    } else {
        ok = gg_collect_fields(&context, type, operation->selection_set, NULL, 0, &fields, &errors);
    }
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "");
    if (!ok) {
        gg_buf_printf(&b, "error: %s", errors.head ? errors.head->message : "(none)");
    } else {
        for (unsigned i = 0; i < fields.count; i++)
            gg_buf_printf(&b, "%s%s(%u)%s", i ? " " : "", fields.items[i].response_name, fields.items[i].node_count,
                          fields.items[i].shared_name ? "*" : "");
    }
    snprintf(out, sizeof out, "%s", b.data);
    gg_buf_free(&b);
    gg_arena_free(&arena);
    gg_schema_free(schema);
    return out;
}

static void test_merging_and_order(void)
{
    CHECK_STR(collect("{ post { id } posts { id } post { title } ...F ... on Query { node { id } } }\n"
                      "fragment F on Query { posts { title } node { id } ...F }",
                      "Query", false, false, NULL),
              "post(2) posts(2) node(2)");
}

static void test_type_conditions(void)
{
    CHECK_STR(collect("{ node { id ... on Post { title } ... on Blog { name } ...P ...N } }\n"
                      "fragment P on Post { blog { id } }\nfragment N on Node { id }",
                      "Post", true, false, NULL),
              "id(2) title(1) blog(1)");
    CHECK_STR(collect("{ node { id ... on Post { title } ... on Blog { name } ...P ...N } }\n"
                      "fragment P on Post { blog { id } }\nfragment N on Node { id }",
                      "Blog", true, false, NULL),
              "id(2) name(1)");
}

static void test_skip_and_include(void)
{
    CHECK_STR(collect("query ($yes: Boolean!, $no: Boolean!) { post @skip(if: $yes) posts @include(if: $no) "
                      "node @skip(if: $no) @include(if: $yes) ... @skip(if: true) { post } ...F @include(if: $yes) }\n"
                      "fragment F on Query { posts }",
                      "Query", false, false, "{\"yes\": true, \"no\": false}"),
              "node(1) posts(1)");
    CHECK_STR(collect("query ($v: Boolean!) { post @skip(if: $v) node }", "Query", false, false, "{}"),
              "error: Argument \"if\" of required type \"Boolean!\" was provided the variable \"$v\" which was not "
              "provided a runtime value.");
}

/* The planner collects the items of several aliases at once: one response name may then name
 * different fields, which stay apart (and are marked); the executor's mode merges by name only. */
static void test_merging_by_field_name(void)
{
    const char *query = "{ a: posts { x: title id } b: posts { x: blog { id } id } }";
    CHECK_STR(collect(query, "Post", true, true, NULL), "x(1)* id(2) x(1)*");
    CHECK_STR(collect(query, "Post", true, false, NULL), "x(2) id(2)");
}

int main(void)
{
    RUN(test_merging_and_order);
    RUN(test_type_conditions);
    RUN(test_skip_and_include);
    RUN(test_merging_by_field_name);
    return test_summary();
}
