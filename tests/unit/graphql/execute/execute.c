/* execute.c: tests of server/graphql/execute/execute.c with synchronous resolvers: the answers
 * must equal graphql-js's (printed once by oracle.mjs in this folder): fragments, aliases,
 * @skip/@include, null propagation through non-null chains and lists, sibling fields that never
 * run after a non-null error, abstract types, leaf serialisation errors, arguments and defaults,
 * operation selection, a 1000-deep result, and the same answers through the default resolver's
 * plain fields and objects. The engine alone on purpose (graphql.h: no
 * gateway limits or cache), so its answers can be compared with graphql-js's as they are. */
#include "../../test.h"
#include "helpers.h"

static const char *const sdl = "schema { query: Query mutation: Mutation }\n"
                               "type Query {\n"
                               "  hero: Character\n"
                               "  obj: Obj\n"
                               "  strictObj: Obj!\n"
                               "  int: Int\n"
                               "  nonNullInt: Int!\n"
                               "  ints: [Int]\n"
                               "  strictInts: [Int!]\n"
                               "  strictList: [Int!]!\n"
                               "  matrix: [[Int!]]\n"
                               "  float: Float\n"
                               "  color: Color\n"
                               "  search: [SearchResult]\n"
                               "  echo(a: Int = 7, b: String, input: In): String\n"
                               "}\n"
                               "type Mutation { first: Obj second: Obj }\n"
                               "type Obj { x: Int strict: Inner! bad: Int! inners: [Inner!] id: ID }\n"
                               "type Inner { y: Int! z: String }\n"
                               "interface Character { name: String }\n"
                               "type Human implements Character { name: String height: Float }\n"
                               "type Droid implements Character { name: String pf: String }\n"
                               "union SearchResult = Obj | Inner\n"
                               "enum Color { RED GREEN }\n"
                               "input In { n: Int! m: [Int] = [1] e: Color = RED }\n";

/* name, query, variables, root value, graphql-js answer (oracle.mjs) */
static const struct sync_case {
    const char *name, *query, *variables, *root, *expected;
} sync_cases[] = {
    {"fragments", "{ a: int b: int ...F ... on Query { c: float } } fragment F on Query { d: color }", NULL,
     "{\"int\":1,\"float\":1.5,\"color\":\"RED\"}", "{\"data\":{\"a\":1,\"b\":1,\"d\":\"RED\",\"c\":1.5}}"},
    {"skip_include",
     "query ($s: Boolean!, $i: Boolean = false) { a: int @skip(if: $s) b: int @include(if: $i) c: int @skip(if: false) "
     "@include(if: true) ... @include(if: $s) { d: int } ...F @skip(if: $s) } fragment F on Query { e: int }",
     "{\"s\":true}", "{\"int\":1}", "{\"data\":{\"c\":1,\"d\":1}}"},
    {"nonnull_chain", "{ obj { x strict { y } } strictObj { x } int }", NULL,
     "{\"obj\":{\"x\":1,\"strict\":{\"y\":null}},\"strictObj\":{\"x\":2},\"int\":3}",
     "{\"data\":{\"obj\":null,\"strictObj\":{\"x\":2},\"int\":3},\"errors\":[{\"message\":\"Cannot return null for "
     "non-nullable field Inner.y.\",\"locations\":[{\"line\":1,\"column\":20}],\"path\":[\"obj\",\"strict\",\"y\"]}]}"},
    {"lists", "{ ints strictInts strictList matrix }", NULL,
     "{\"ints\":[1,null,{\"__error\":\"e1\"}],\"strictInts\":[1,null,3],\"strictList\":[1,2],\"matrix\":[[1],[null],[2]"
     "]}",
     "{\"data\":{\"ints\":[1,null,null],\"strictInts\":null,\"strictList\":[1,2],\"matrix\":[[1],null,[2]]},\"errors\":"
     "[{\"message\":\"Int cannot represent non-integer value: { __error: \\\"e1\\\" "
     "}\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",2]},{\"message\":\"Cannot return null for "
     "non-nullable field "
     "Query.strictInts.\",\"locations\":[{\"line\":1,\"column\":8}],\"path\":[\"strictInts\",1]},{\"message\":\"Cannot "
     "return null for non-nullable field "
     "Query.matrix.\",\"locations\":[{\"line\":1,\"column\":30}],\"path\":[\"matrix\",1,0]}]}"},
    {"sibling_stop", "{ obj { strict { y } bad x } strictInts }", NULL,
     "{\"obj\":{\"strict\":null,\"bad\":{\"__error\":\"bad\"},\"x\":1},\"strictInts\":[null,\"x\"]}",
     "{\"data\":{\"obj\":null,\"strictInts\":null},\"errors\":[{\"message\":\"Cannot return null for non-nullable "
     "field "
     "Obj.strict.\",\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"obj\",\"strict\"]},{\"message\":\"Cannot "
     "return null for non-nullable field "
     "Query.strictInts.\",\"locations\":[{\"line\":1,\"column\":30}],\"path\":[\"strictInts\",0]}]}"},
    {"abstract",
     "{ hero { __typename name ... on Human { height } ... on Droid { pf } } search { __typename ... on Obj { x } } }",
     NULL,
     "{\"hero\":{\"__typename\":\"Droid\",\"name\":\"R2\",\"pf\":\"astro\"},\"search\":[{\"__typename\":\"Obj\",\"x\":"
     "1},{\"x\":2},{\"__typename\":\"Nope\"},{\"__typename\":\"Character\"},{\"__typename\":\"Human\"}]}",
     "{\"data\":{\"hero\":{\"__typename\":\"Droid\",\"name\":\"R2\",\"pf\":\"astro\"},\"search\":[{\"__typename\":"
     "\"Obj\",\"x\":1},null,null,null,null]},\"errors\":[{\"message\":\"Abstract type \\\"SearchResult\\\" must "
     "resolve to an Object type at runtime for field \\\"Query.search\\\". Either the \\\"SearchResult\\\" type should "
     "provide a \\\"resolveType\\\" function or each possible type should provide an \\\"isTypeOf\\\" "
     "function.\",\"locations\":[{\"line\":1,\"column\":72}],\"path\":[\"search\",1]},{\"message\":\"Abstract type "
     "\\\"SearchResult\\\" was resolved to a type \\\"Nope\\\" that does not exist inside the "
     "schema.\",\"locations\":[{\"line\":1,\"column\":72}],\"path\":[\"search\",2]},{\"message\":\"Abstract type "
     "\\\"SearchResult\\\" was resolved to a non-object type "
     "\\\"Character\\\".\",\"locations\":[{\"line\":1,\"column\":72}],\"path\":[\"search\",3]},{\"message\":\"Runtime "
     "Object type \\\"Human\\\" is not a possible type for "
     "\\\"SearchResult\\\".\",\"locations\":[{\"line\":1,\"column\":72}],\"path\":[\"search\",4]}]}"},
    {"leaves", "{ int float color obj { id } nonNullInt }", NULL,
     "{\"int\":1.5,\"float\":\"x\",\"color\":\"BLUE\",\"obj\":{\"id\":12},\"nonNullInt\":2}",
     "{\"data\":{\"int\":null,\"float\":null,\"color\":null,\"obj\":{\"id\":\"12\"},\"nonNullInt\":2},\"errors\":[{"
     "\"message\":\"Int cannot represent non-integer value: "
     "1.5\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"int\"]},{\"message\":\"Float cannot represent non "
     "numeric value: \\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"float\"]},{\"message\":\"Enum "
     "\\\"Color\\\" cannot represent value: "
     "\\\"BLUE\\\"\",\"locations\":[{\"line\":1,\"column\":13}],\"path\":[\"color\"]}]}"},
    {"not_iterable", "{ ints obj { inners { y } } }", NULL, "{\"ints\":5,\"obj\":{\"inners\":{\"y\":1}}}",
     "{\"data\":{\"ints\":null,\"obj\":{\"inners\":null}},\"errors\":[{\"message\":\"Expected Iterable, but did not "
     "find one for field "
     "\\\"Query.ints\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\"]},{\"message\":\"Expected "
     "Iterable, but did not find one for field "
     "\\\"Obj.inners\\\".\",\"locations\":[{\"line\":1,\"column\":14}],\"path\":[\"obj\",\"inners\"]}]}"},
    {"arguments",
     "query ($v: Int) { a: echo b: echo(a: 1, b: \"x\") c: echo(input: {n: 1}) d: echo(a: $v) e: echo(a: null) }", NULL,
     "{}",
     "{\"data\":{\"a\":\"{\\\"a\\\":7}\",\"b\":\"{\\\"a\\\":1,\\\"b\\\":\\\"x\\\"}\",\"c\":\"{\\\"a\\\":7,"
     "\\\"input\\\":{\\\"n\\\":1,\\\"m\\\":[1],\\\"e\\\":\\\"RED\\\"}}\",\"d\":\"{\\\"a\\\":7}\",\"e\":\"{\\\"a\\\":"
     "null}\"}}"},
    {"merged_locations", "{ x: nonNullInt x: nonNullInt }", NULL, "{\"nonNullInt\":{\"__error\":\"boom\"}}",
     "{\"data\":null,\"errors\":[{\"message\":\"boom\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":"
     "17}],\"path\":[\"x\"]}]}"},
    {"root_nonnull", "{ int strictObj { x } }", NULL, "{\"int\":1,\"strictObj\":null}",
     "{\"data\":null,\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
     "Query.strictObj.\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"strictObj\"]}]}"},
    {"nested_list_errors", "{ obj { inners { y z } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":\"a\"},{\"y\":{\"__error\":\"deep\"},\"z\":\"b\"}]}}",
     "{\"data\":{\"obj\":{\"inners\":null}},\"errors\":[{\"message\":\"deep\",\"locations\":[{\"line\":1,\"column\":18}"
     "],\"path\":[\"obj\",\"inners\",1,\"y\"]}]}"},
};

/* Lists of objects whose fields the default resolver reads (each object written at once,
 * execute.c plain_object) and the rows that fall back field by field to report an error; graphql-js
 * answers (oracle.mjs). */
static const struct sync_case plain_cases[] = {
    {"plain_rows", "{ obj { inners { __typename y z w: z y2: y } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":\"a\\\"q\\n\"},{\"y\":2,\"z\":\"b\",\"extra\":true},{\"z\":\"c\",\"y\":3}]}"
     "}",
     "{\"data\":{\"obj\":{\"inners\":[{\"__typename\":\"Inner\",\"y\":1,\"z\":\"a\\\"q\\n\",\"w\":\"a\\\"q\\n\",\"y2\":"
     "1},{\"__typename\":\"Inner\",\"y\":2,\"z\":\"b\",\"w\":\"b\",\"y2\":2},{\"__typename\":\"Inner\",\"y\":3,\"z\":"
     "\"c\",\"w\":\"c\",\"y2\":3}]}}}"},
    {"plain_row_null", "{ obj { inners { y z } } ints }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":\"a\"},{\"y\":null,\"z\":\"b\"},{\"y\":3}]},\"ints\":[1]}",
     "{\"data\":{\"obj\":{\"inners\":null},\"ints\":[1]},\"errors\":[{\"message\":\"Cannot return null for "
     "non-nullable field "
     "Inner.y.\",\"locations\":[{\"line\":1,\"column\":18}],\"path\":[\"obj\",\"inners\",1,\"y\"]}]}"},
    {"plain_row_unserialisable", "{ a: obj { inners { y } } b: obj { inners { z } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":7},{\"y\":\"x\",\"z\":\"b\"},{\"y\":2147483648,\"z\":null}]}}",
     "{\"data\":{\"a\":{\"inners\":null},\"b\":{\"inners\":[{\"z\":\"7\"},{\"z\":\"b\"},{\"z\":null}]}},\"errors\":[{"
     "\"message\":\"Int cannot represent non-integer value: "
     "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":21}],\"path\":[\"a\",\"inners\",1,\"y\"]}]}"},
    /* the rows' Int cells in and out of 32 bits, and strings to escape next to them (as ROW values
     * their text is written without serialize, gg_scalar_ops.keeps, and must answer the same) */
    {"plain_row_int_range", "{ obj { inners { y } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":-2147483648},{\"y\":2147483647},{\"y\":-2147483649}]}}",
     "{\"data\":{\"obj\":{\"inners\":null}},\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed "
     "integer value: -2147483649\",\"locations\":[{\"line\":1,\"column\":18}],\"path\":[\"obj\",\"inners\",2,"
     "\"y\"]}]}"},
    {"plain_row_escapes", "{ obj { inners { z y } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":\"\xc3\xa9\\u0001\\\"\\\\\"},{\"y\":2147483647,\"z\":null}]}}",
     "{\"data\":{\"obj\":{\"inners\":[{\"z\":\"\xc3\xa9\\u0001\\\"\\\\\",\"y\":1},{\"z\":null,\"y\":2147483647}]}}}"},
    {"plain_row_wide_int", "{ obj { inners { z y } } }", NULL,
     "{\"obj\":{\"inners\":[{\"y\":1,\"z\":\"a\"},{\"y\":12345678901,\"z\":null}]}}",
     "{\"data\":{\"obj\":{\"inners\":null}},\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed "
     "integer value: 12345678901\",\"locations\":[{\"line\":1,\"column\":20}],\"path\":[\"obj\",\"inners\",1,"
     "\"y\"]}]}"},
};

static void echo_resolve(gg_resolve_info *info)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_val_write_json(&b, info->args);
    gg_val *v = gg_val_string(info->arena, b.data, b.len);
    gg_buf_free(&b);
    gg_resolve_return(info, v);
}

static gg_schema *test_schema(bool with_resolvers)
{
    gg_schema *schema = schema_from_sdl(sdl, with_resolvers);
    if (schema) gg_type_find_field(gg_schema_find_type(schema, "Query"), "echo")->resolve = echo_resolve;
    return schema;
}

/* Runs cases against schema; with_resolvers false skips those that need the "__error" resolver. */
static void run_cases(gg_schema *schema, const struct sync_case *cases, size_t count, bool with_resolvers)
{
    for (size_t i = 0; i < count; i++) {
        const struct sync_case *c = &cases[i];
        if (!with_resolvers && strstr(c->root, "__error") != NULL) continue;
        test_current = c->name;
        CHECK_STR(run_query(schema, c->query, c->variables, c->root), c->expected);
    }
}

static void test_against_graphql_js(void)
{
    gg_schema *schema = test_schema(true);
    CHECK(schema != NULL);
    if (!schema) return;
    run_cases(schema, sync_cases, sizeof sync_cases / sizeof sync_cases[0], true);
    gg_schema_free(schema);
}

/* The same answers through the default resolver (plain fields, plain objects): the cases above
 * without the "__error" convention, which needs a resolver, and plain_cases. */
static void test_plain_fields_against_graphql_js(void)
{
    gg_schema *schema = test_schema(false);
    CHECK(schema != NULL);
    if (!schema) return;
    run_cases(schema, sync_cases, sizeof sync_cases / sizeof sync_cases[0], false);
    run_cases(schema, plain_cases, sizeof plain_cases / sizeof plain_cases[0], false);
    gg_schema_free(schema);
}

/* ---- ROW values (value.h): a data source's rows left as their text, as the PostgreSQL rows
 * plan gives them; the executor writes their plain fields from the text and must answer exactly as
 * it does for the same rows as objects (graphql-js's answers above, errors included) ---- */

static gg_val *float_of_text(gg_arena *arena, const gg_val_row_shape *shape, unsigned cell, const char *text,
                             size_t len)
{
    (void)shape, (void)cell, (void)len;
    return gg_val_float(arena, strtod(text, NULL)); /* the only OTHER cells of these rows */
}

/* v with every object below the root whose members are all leaves (a row) turned into a ROW
 * holding their text: strings as they are, integers in decimal, booleans "t"/"f", floats OTHER. */
static gg_val *as_rows(gg_arena *arena, gg_val *v, bool root)
{
    if (v != NULL && v->kind == GG_VAL_LIST)
        for (unsigned i = 0; i < v->count; i++)
            v->items[i] = as_rows(arena, v->items[i], false);
    if (v == NULL || v->kind != GG_VAL_OBJECT) return v;
    bool leaves = !root && v->count > 0;
    for (unsigned i = 0; i < v->count; i++) {
        gg_val_kind kind = v->members[i].value ? v->members[i].value->kind : GG_VAL_NULL;
        if (kind == GG_VAL_LIST || kind == GG_VAL_OBJECT || kind == GG_VAL_RAW) leaves = false;
    }
    if (!leaves) {
        for (unsigned i = 0; i < v->count; i++)
            v->members[i].value = as_rows(arena, v->members[i].value, false);
        return v;
    }
    gg_val_row_shape *shape = gg_arena_alloc(arena, sizeof *shape);
    const char **names = gg_arena_array(arena, v->count, sizeof *names);
    gg_val_text *texts = gg_arena_array(arena, v->count, sizeof *texts);
    gg_val_row *row = gg_arena_alloc(arena, sizeof *row + v->count * sizeof(gg_val_cell));
    for (unsigned i = 0; i < v->count; i++) {
        const gg_val *m = v->members[i].value;
        names[i] = v->members[i].key;
        texts[i] = GG_VAL_TEXT_STRING;
        row->cells[i] = (gg_val_cell){NULL, 0};
        if (gg_val_is_null(m)) continue;
        const char *text = m->s;
        if (m->kind == GG_VAL_INT) texts[i] = GG_VAL_TEXT_INT, text = gg_arena_printf(arena, "%lld", (long long)m->i);
        if (m->kind == GG_VAL_BOOL) texts[i] = GG_VAL_TEXT_BOOL, text = m->b ? "t" : "f";
        if (m->kind == GG_VAL_FLOAT) texts[i] = GG_VAL_TEXT_OTHER, text = gg_arena_printf(arena, "%.17g", m->f);
        row->cells[i] = (gg_val_cell){text, strlen(text)};
    }
    *shape = (gg_val_row_shape){v->count, names, texts, float_of_text, NULL};
    row->shape = shape;
    gg_val *out = gg_val_new(arena, GG_VAL_ROW);
    out->row = row;
    return out;
}

static void test_rows_against_graphql_js(void)
{
    gg_schema *schema = test_schema(false);
    CHECK(schema != NULL);
    if (!schema) return;
    const struct sync_case *sets[] = {sync_cases, plain_cases};
    size_t counts[] = {sizeof sync_cases / sizeof sync_cases[0], sizeof plain_cases / sizeof plain_cases[0]};
    unsigned rows = 0;
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < counts[k]; i++) {
            const struct sync_case *c = &sets[k][i];
            if (strstr(c->root, "__error") != NULL) continue;
            test_current = c->name;
            gg_arena arena;
            gg_arena_init(&arena);
            gg_val *root = as_rows(&arena, val_from_json_text(&arena, c->root), true);
            gg_buf out, as_objects, as_written;
            gg_buf_init(&out);
            gg_buf_init(&as_objects);
            gg_buf_init(&as_written);
            rows += strstr(c->root, "inners") != NULL;
            gg_graphql_run_sync(schema, c->query, strlen(c->query), NULL, c->variables, root, &out);
            CHECK_STR(out.data, c->expected);
            /* a ROW written as a value (outside the executor) is the object it stands for */
            gg_val_write_json(&as_objects, val_from_json_text(&arena, c->root));
            gg_val_write_json(&as_written, root);
            CHECK_STR(as_written.data, as_objects.data);
            CHECK(gg_val_equal(root, val_from_json_text(&arena, c->root)));
            gg_buf_free(&as_written);
            gg_buf_free(&as_objects);
            gg_buf_free(&out);
            gg_arena_free(&arena);
        }
    }
    CHECK(rows >= 4); /* the cases with lists of rows ran */
    gg_schema_free(schema);
}

/* A ROW of shape holding texts (NULL: a null cell). */
static gg_val *row_of(gg_arena *arena, const gg_val_row_shape *shape, const char *const *texts)
{
    gg_val_row *row = gg_arena_alloc(arena, sizeof *row + shape->count * sizeof(gg_val_cell));
    row->shape = shape;
    for (unsigned i = 0; i < shape->count; i++)
        row->cells[i] = (gg_val_cell){texts[i], texts[i] ? strlen(texts[i]) : 0};
    gg_val *v = gg_val_new(arena, GG_VAL_ROW);
    v->row = row;
    return v;
}

/* SHOWN cells (value.h): text the source vouches is its field's scalar's output is written as it
 * is, without the scalar's serialize (shown here with a text AWSDateTime would refuse, which a
 * source must never mark: plan_rows.c builds such a row as an object); the same text in a STRING
 * cell still gets the scalar's error; a SHOWN cell of a field that is no scalar (an enum) still
 * goes through its serialize; read as a value, a SHOWN cell is a string. */
static void test_rows_shown_cells(void)
{
    gg_schema *schema = schema_from_sdl("scalar AWSDateTime\nscalar AWSDate\nenum Color { RED }\n"
                                        "type Query { stamps: [Stamp] }\n"
                                        "type Stamp { at: AWSDateTime day: AWSDate name: String! color: Color }\n",
                                        false);
    CHECK(schema != NULL);
    if (!schema) return;
    gg_arena arena;
    gg_arena_init(&arena);
    static const char *names[] = {"at", "day", "name", "color"};
    static const gg_val_text texts[] = {GG_VAL_TEXT_SHOWN, GG_VAL_TEXT_STRING, GG_VAL_TEXT_SHOWN, GG_VAL_TEXT_SHOWN};
    gg_val_row_shape shape = {4, names, texts, float_of_text, NULL};
    const char *rows[][4] = {
        {"2026-12-06T11:24:12.849Z", "2026-12-06", "a \"name\"", "RED"},
        {"10000-01-01T00:00:00.000Z", "2026-12-06", "b", "RED"}, /* trusted: no serialize */
        {"2026-12-06T11:24:12.849Z", "10000-01-01", "c", "RED"}, /* a STRING cell: serialize refuses */
        {NULL, NULL, "d", "BLUE"},                               /* not a scalar: serialize refuses */
        {NULL, NULL, NULL, NULL},
    };
    unsigned count = sizeof rows / sizeof rows[0];
    gg_val *stamps = gg_val_list(&arena, count);
    for (unsigned i = 0; i < count; i++)
        gg_val_list_push(&arena, stamps, row_of(&arena, &shape, rows[i]));
    gg_val *root = gg_val_object(&arena, 1);
    gg_val_object_set(&arena, root, "stamps", stamps);
    const char *query = "{ stamps { at day name color } }";
    gg_buf out;
    gg_buf_init(&out);
    gg_graphql_run_sync(schema, query, strlen(query), NULL, NULL, root, &out);
    CHECK_STR(
        out.data,
        "{\"data\":{\"stamps\":[{\"at\":\"2026-12-06T11:24:12.849Z\",\"day\":\"2026-12-06\",\"name\":\"a \\\"name\\\"\""
        ",\"color\":\"RED\"},{\"at\":\"10000-01-01T00:00:00.000Z\",\"day\":\"2026-12-06\",\"name\":\"b\",\"color\":\"R"
        "ED\"},{\"at\":\"2026-12-06T11:24:12.849Z\",\"day\":null,\"name\":\"c\",\"color\":\"RED\"},{\"at\":null,\"day"
        "\":null,\"name\":\"d\",\"color\":null},null]},\"errors\":[{\"message\":\"AWSDate cannot represent an i"
        "nvalid date: \\\"10000-01-01\\\"\",\"locations\":[{\"line\":1,\"column\":15}],\"path\":[\"stamps\",2,\"day"
        "\"]},{\"message\":\"Enum \\\"Color\\\" cannot represent value: \\\"BLUE\\\"\",\"locations\":[{\"line\":1,\"c"
        "olumn\":24}],\"path\":[\"stamps\",3,\"color\"]},{\"message\":\"Cannot return null for non-nullable f"
        "ield Stamp.name.\",\"locations\":[{\"line\":1,\"column\":19}],\"path\":[\"stamps\",4,\"name\"]}]}");
    gg_val *at = gg_val_row_cell(&arena, stamps->items[0], 0);
    CHECK(at->kind == GG_VAL_STRING && at->len == 24 && memcmp(at->s, "2026-12-06T11:24:12.849Z", 24) == 0);
    gg_buf_free(&out);
    gg_arena_free(&arena);
    gg_schema_free(schema);
}

static void test_default_resolver(void)
{
    gg_schema *schema = test_schema(false);
    CHECK_STR(run_query(schema, "{ obj { x inners { y z } } int }", NULL,
                        "{\"obj\":{\"x\":1,\"inners\":[{\"y\":2,\"z\":\"a\"}]},\"int\":5}"),
              "{\"data\":{\"obj\":{\"x\":1,\"inners\":[{\"y\":2,\"z\":\"a\"}]},\"int\":5}}");
    /* no root value at all: every root field is null */
    CHECK_STR(run_query(schema, "{ int obj { x } }", NULL, NULL), "{\"data\":{\"int\":null,\"obj\":null}}");
    gg_schema_free(schema);
}

static void test_operation_selection(void)
{
    gg_schema *schema = test_schema(true);
    const char *doc = "query A { int } query B { float }";
    gg_buf out;
    gg_buf_init(&out);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *root = val_from_json_text(&arena, "{\"int\":1,\"float\":2.5}");
    gg_graphql_run_sync(schema, doc, strlen(doc), NULL, NULL, root, &out);
    CHECK_STR(out.data,
              "{\"errors\":[{\"message\":\"Must provide operation name if query contains multiple operations.\"}]}");
    out.len = 0;
    gg_graphql_run_sync(schema, doc, strlen(doc), "C", NULL, root, &out);
    CHECK_STR(out.data, "{\"errors\":[{\"message\":\"Unknown operation named \\\"C\\\".\"}]}");
    out.len = 0;
    gg_graphql_run_sync(schema, doc, strlen(doc), "B", NULL, root, &out);
    CHECK_STR(out.data, "{\"data\":{\"float\":2.5}}");
    gg_buf_free(&out);
    gg_arena_free(&arena);
    gg_schema_free(schema);
}

static void test_variable_errors_have_no_data(void)
{
    gg_schema *schema = test_schema(true);
    CHECK_STR(run_query(schema, "query ($x: Int!) { echo(a: $x) }", "{}", "{}"),
              "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" of required type \\\"Int!\\\" was not provided.\","
              "\"locations\":[{\"line\":1,\"column\":8}]}]}");
    CHECK_STR(run_query(schema, "query ($x: Int!) { echo(a: $x) }", "{\"x\":3}", "{}"),
              "{\"data\":{\"echo\":\"{\\\"a\\\":3}\"}}");
    CHECK_STR(run_query(schema, "{ int }", "[1]", "{}"),
              "{\"errors\":[{\"message\":\"Variables are invalid JSON.\"}]}");
    gg_schema_free(schema);
}

static void collect_result(const gg_exec_result *result, void *user)
{
    gg_exec_result_write_json(user, result);
}

/* Executes without validation (documents the validator would refuse, or too deep for it). */
static void execute_raw(const gg_schema *schema, const char *query, unsigned max_depth, const gg_val *root,
                        gg_arena *arena, gg_buf *out)
{
    gg_error_list errors;
    gg_error_list_init(&errors, arena);
    gg_parse_options opts = {.max_depth = max_depth};
    gg_document *doc = gg_parse(arena, query, strlen(query), &opts, &errors);
    CHECK(doc != NULL);
    if (!doc) return;
    gg_exec_request req = {.schema = schema,
                           .document = doc,
                           .root_value = root,
                           .arena = arena,
                           .on_complete = collect_result,
                           .user = out};
    gg_execute(&req);
}

/* Argument errors that validation would have caught, as graphql-js execute() reports them. */
static void test_argument_errors(void)
{
    gg_schema *schema = schema_from_sdl(
        "type Query { echo(a: Int = 7, b: String!): String int: Int! t: T } type T { u(x: Int!): Int v: Int }", false);
    static const char *const cases[][2] = {
        {"{ echo(a: \"x\", b: \"s\") int }", "{\"data\":{\"echo\":null,\"int\":1},\"errors\":[{\"message\":\"Argument "
                                             "\\\"a\\\" has invalid value \\\"x\\\".\","
                                             "\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}]}"},
        {"{ echo int }", "{\"data\":{\"echo\":null,\"int\":1},\"errors\":[{\"message\":\"Argument \\\"b\\\" of "
                         "required type \\\"String!\\\" "
                         "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"echo\"]}]}"},
        {"query ($v: Boolean) { int @skip(if: $v) }",
         "{\"data\":null,\"errors\":[{\"message\":\"Argument \\\"if\\\" of required type \\\"Boolean!\\\" was provided "
         "the "
         "variable \\\"$v\\\" which was not provided a runtime value.\",\"locations\":[{\"line\":1,\"column\":37}]}]}"},
        {"{ t { u v } }", "{\"data\":{\"t\":{\"u\":null,\"v\":2}},\"errors\":[{\"message\":\"Argument \\\"x\\\" of "
                          "required type \\\"Int!\\\" "
                          "was not provided.\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"t\",\"u\"]}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gg_arena arena;
        gg_arena_init(&arena);
        gg_buf out;
        gg_buf_init(&out);
        execute_raw(schema, cases[i][0], 0,
                    val_from_json_text(&arena, "{\"echo\":\"e\",\"int\":1,\"t\":{\"u\":1,\"v\":2}}"), &arena, &out);
        CHECK_STR(out.data, cases[i][1]);
        gg_buf_free(&out);
        gg_arena_free(&arena);
    }
    gg_schema_free(schema);
}

static void raw_resolve(gg_resolve_info *info)
{
    static const char json[] = "{\"x\":1,\"extra\":[true]}";
    gg_val *v = gg_val_new(info->arena, GG_VAL_RAW);
    v->s = json;
    v->len = sizeof json - 1;
    gg_resolve_return(info, v);
}

/* A resolver may hand over JSON it already has (a row serialised by PostgreSQL): copied as is. */
static void test_raw_values(void)
{
    gg_schema *schema = test_schema(false);
    gg_type_find_field(schema->query_type, "obj")->resolve = raw_resolve;
    CHECK_STR(run_query(schema, "{ int obj { x } }", NULL, "{\"int\":2}"),
              "{\"data\":{\"int\":2,\"obj\":{\"x\":1,\"extra\":[true]}}}");
    gg_schema_free(schema);
}

/* An abstract type's own resolve_type wins over "__typename". */
static const char *kind_to_type(const gg_type *abstract, const gg_val *value, void *data)
{
    const gg_val *kind = gg_val_object_get(value, "kind");
    return kind && kind->kind == GG_VAL_STRING ? kind->s : NULL;
}

static void test_resolve_type_function(void)
{
    gg_schema *schema = test_schema(false);
    gg_schema_find_type(schema, "Character")->resolve_type = kind_to_type;
    CHECK_STR(run_query(schema, "{ hero { name ... on Human { height } } }", NULL,
                        "{\"hero\":{\"kind\":\"Human\",\"__typename\":\"Droid\",\"name\":\"Luke\",\"height\":1.72}}"),
              "{\"data\":{\"hero\":{\"name\":\"Luke\",\"height\":1.72}}}");
    gg_schema_free(schema);
}

static void test_missing_root_type(void)
{
    gg_schema *schema = schema_from_sdl("type Query { a: Int }", true);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_buf out;
    gg_buf_init(&out);
    execute_raw(schema, "mutation M { a }", 0, NULL, &arena, &out);
    CHECK_STR(out.data, "{\"data\":null,\"errors\":[{\"message\":\"Schema is not configured to execute mutation "
                        "operation.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    gg_buf_free(&out);
    gg_arena_free(&arena);
    gg_schema_free(schema);
}

static void test_subscription(void)
{
    gg_schema *schema = schema_from_sdl("type Query { a: Int } type Subscription { ev: Int }", true);
    /* the engine alone (graphql-js graphql()) runs the one event; the server's refusal of a
     * subscription over HTTP is the gateway's (tests/unit/gateway/run_sync.c) */
    CHECK_STR(run_query(schema, "subscription { ev }", NULL, "{\"ev\":1}"), "{\"data\":{\"ev\":1}}");
    /* gg_execute runs one event like graphql-js execute(): the event is the root value */
    gg_arena arena;
    gg_arena_init(&arena);
    gg_buf out;
    gg_buf_init(&out);
    execute_raw(schema, "subscription { ev }", 0, val_from_json_text(&arena, "{\"ev\":7}"), &arena, &out);
    CHECK_STR(out.data, "{\"data\":{\"ev\":7}}");
    gg_buf_free(&out);
    gg_arena_free(&arena);
    gg_schema_free(schema);
}

/* A 1000-deep object result, with an error at the bottom: no recursion over the result depth in
 * the executor (run under AddressSanitizer too). */
static void test_deep_result(void)
{
    enum { DEPTH = 1000 };
    gg_schema *schema = schema_from_sdl("type Query { node: Node } type Node { child: Node v: Int }", false);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_buf q;
    gg_buf_init(&q);
    gg_buf_puts(&q, "{ node {");
    for (int i = 1; i < DEPTH; i++)
        gg_buf_puts(&q, " child {");
    gg_buf_puts(&q, " v");
    for (int i = 0; i < DEPTH; i++)
        gg_buf_puts(&q, " }");
    gg_buf_puts(&q, " }");
    gg_val *bottom = gg_val_object(&arena, 1);
    gg_val_object_set(&arena, bottom, "v", gg_val_string(&arena, "x", 1));
    gg_val *v = bottom;
    for (int i = 1; i < DEPTH; i++) {
        gg_val *o = gg_val_object(&arena, 1);
        gg_val_object_set(&arena, o, "child", v);
        v = o;
    }
    gg_val *root = gg_val_object(&arena, 1);
    gg_val_object_set(&arena, root, "node", v);
    gg_buf out;
    gg_buf_init(&out);
    execute_raw(schema, q.data, DEPTH + 10, root, &arena, &out);
    CHECK(out.data != NULL && strncmp(out.data, "{\"data\":{\"node\":{\"child\":{\"child\":", 34) == 0);
    const char *err = out.data ? strstr(out.data, "\"errors\":[{\"message\":\"Int cannot represent non-integer "
                                                  "value: \\\"x\\\"\"")
                               : NULL;
    CHECK(err != NULL);
    CHECK(out.data != NULL && strstr(out.data, "\"path\":[\"node\",\"child\",\"child\"") != NULL);
    CHECK(out.data != NULL && strstr(out.data, "\"child\",\"v\"]}]}") != NULL);
    gg_buf_free(&out);
    gg_buf_free(&q);
    gg_arena_free(&arena);
    gg_schema_free(schema);
}

int main(void)
{
    RUN(test_against_graphql_js);
    RUN(test_plain_fields_against_graphql_js);
    RUN(test_rows_against_graphql_js);
    RUN(test_rows_shown_cells);
    RUN(test_default_resolver);
    RUN(test_operation_selection);
    RUN(test_variable_errors_have_no_data);
    RUN(test_argument_errors);
    RUN(test_raw_values);
    RUN(test_resolve_type_function);
    RUN(test_missing_root_type);
    RUN(test_subscription);
    RUN(test_deep_result);
    return test_summary();
}
