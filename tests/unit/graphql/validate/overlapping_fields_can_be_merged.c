/* overlapping_fields_can_be_merged.c: tests for server/graphql/validate/overlapping_fields_can_be_merged.c (graphql-js
 * OverlappingFieldsCanBeMergedRule).
 *
 * Documents of our own against tests/unit/graphql/validate/library_schema.h; every expected error
 * list (messages and locations) is what graphql-js 16.15 validate() gives with OverlappingFieldsCanBeMergedRule. */
#include "test.h"

#include "harness.h"
#include "library_schema.h"

static void test_valid(void)
{
    VT_CHECK(SCHEMA, "{ book(id: 1) { id name id name } }", &gg_rule_overlapping_fields_can_be_merged, "[]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { title(upper: true) t: title(upper: true) title(upper: true) } }",
             &gg_rule_overlapping_fields_can_be_merged, "[]");
    VT_CHECK(
        SCHEMA,
        "{ books(filter: {title: \"a\", genre: FICTION}) { id } books(filter: {genre: FICTION, title: \"a\"}) { id } }",
        &gg_rule_overlapping_fields_can_be_merged, "[]");
    VT_CHECK(SCHEMA, "{ node(id: 1) { ... on Book { id } ... on Node { id } } }",
             &gg_rule_overlapping_fields_can_be_merged, "[]");
    VT_CHECK(SCHEMA, "{ node(id: 1) { ... on Book { name } ... on Named { name } } }",
             &gg_rule_overlapping_fields_can_be_merged, "[]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { author { name } author { age } } }", &gg_rule_overlapping_fields_can_be_merged,
             "[]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { ...Missing x: name ...Missing2 } }", &gg_rule_overlapping_fields_can_be_merged,
             "[]");
    VT_CHECK(SCHEMA,
             "{ count(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: "
             "7, s: 8, r: 9, q: 10}) count(j: {q: 10, r: 9, s: 8, t: 7, u: 6, v: 5, w: 4, x: 1, y: 2, z: 3}, i: 9, h: "
             "8, g: 7, f: 6, e: 5, d: 4, c: 3, b: 2, a: 1) }",
             &gg_rule_overlapping_fields_can_be_merged, "[]");
}

static void test_invalid(void)
{
    VT_CHECK(SCHEMA, "{ book(id: 1) { title: name title: pages } }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"title\\\" conflict because \\\"name\\\" and \\\"pages\\\" are different "
             "fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":29}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { n: name n: id } }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"n\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields. Use "
             "different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":25}]}]");
    VT_CHECK(
        SCHEMA, "{ book(id: 1) { title(upper: true) title(upper: false) title } }",
        &gg_rule_overlapping_fields_can_be_merged,
        "[{\"message\":\"Fields \\\"title\\\" conflict because they have differing arguments. Use different aliases on "
        "the fields to fetch both if this was "
        "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":36}]},{\"message\":\"Fields "
        "\\\"title\\\" conflict because they have differing arguments. Use different aliases on the fields to fetch "
        "both if this was "
        "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":56}]},{\"message\":\"Fields "
        "\\\"title\\\" conflict because they have differing arguments. Use different aliases on the fields to fetch "
        "both if this was intentional.\",\"locations\":[{\"line\":1,\"column\":36},{\"line\":1,\"column\":56}]}]");
    VT_CHECK(SCHEMA, "query Q($u: Boolean) { book(id: 1) { title(upper: $u) title(upper: true) } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"title\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":38},{\"line\":1,\"column\":55}]}]");
    VT_CHECK(
        SCHEMA,
        "{ books(filter: {title: \"a\", genre: FICTION}) { id } books(filter: {genre: HISTORY, title: \"a\"}) { id } }",
        &gg_rule_overlapping_fields_can_be_merged,
        "[{\"message\":\"Fields \\\"books\\\" conflict because they have differing arguments. Use different aliases on "
        "the fields to fetch both if this was "
        "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":54}]}]");
    VT_CHECK(SCHEMA,
             "{ books(filter: {title: \"\"\"a\"\"\", genre: FICTION}) { id } books(filter: {genre: FICTION, title: "
             "\"a\"}) { id } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"books\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":58}]}]");
    VT_CHECK(SCHEMA, "{ count(min: 1) count(min: 1.0) c: count(min: 1) }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"count\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":17}]}]");
    VT_CHECK(SCHEMA, "{ item(id: 1) { ... on Book { name } ... on Magazine { name } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"name\\\" conflict because they return conflicting types \\\"String\\\" and "
             "\\\"Int\\\". Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,\"column\":56}]}]");
    VT_CHECK(SCHEMA, "{ item(id: 1) { ... on Book { x: name } ... on Magazine { x: issue } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because they return conflicting types \\\"String\\\" and "
             "\\\"Int\\\". Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,\"column\":59}]}]");
    VT_CHECK(SCHEMA, "{ item(id: 1) { ... on Book { tags } ... on Magazine { tags } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"tags\\\" conflict because they return conflicting types \\\"[String!]\\\" and "
             "\\\"[String]\\\". Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,\"column\":56}]}]");
    VT_CHECK(SCHEMA, "{ named { ... on Book { x: title } ... on Named { x: name } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"title\\\" and \\\"name\\\" are different fields. "
             "Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":25},{\"line\":1,\"column\":51}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { author { x: name } author { x: age } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"author\\\" conflict because subfields \\\"x\\\" conflict because \\\"name\\\" "
             "and \\\"age\\\" are different fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":26},{\"line\":1,"
             "\"column\":36},{\"line\":1,\"column\":45}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { a: author { x: name y: id } a: author { x: age y: name } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"a\\\" conflict because subfields \\\"x\\\" conflict because \\\"name\\\" and "
             "\\\"age\\\" are different fields and subfields \\\"y\\\" conflict because \\\"id\\\" and \\\"name\\\" "
             "are different fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":29},{\"line\":1,"
             "\"column\":37},{\"line\":1,\"column\":45},{\"line\":1,\"column\":57},{\"line\":1,\"column\":64}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { a: author { books { n: name } } a: author { books { n: id } } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"a\\\" conflict because subfields \\\"books\\\" conflict because subfields "
             "\\\"n\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields. Use different aliases on "
             "the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":29},{\"line\":1,"
             "\"column\":37},{\"line\":1,\"column\":49},{\"line\":1,\"column\":61},{\"line\":1,\"column\":69}]}]");
    VT_CHECK(SCHEMA,
             "{ book(id: 1) { ...A ...B } }\n"
             "fragment A on Book { x: name }\n"
             "fragment B on Book { x: title }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"name\\\" and \\\"title\\\" are different fields. "
             "Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":2,\"column\":22},{\"line\":3,\"column\":22}]}]");
    VT_CHECK(SCHEMA,
             "{ book(id: 1) { x: id ...A } }\n"
             "fragment A on Book { x: name ...C }\n"
             "fragment C on Book { x: pages }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"id\\\" and \\\"name\\\" are different fields. Use "
             "different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":2,\"column\":22}]},{\"message\":"
             "\"Fields \\\"x\\\" conflict because \\\"id\\\" and \\\"pages\\\" are different fields. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":3,\"column\":22}]},{\"message\":"
             "\"Fields \\\"x\\\" conflict because \\\"name\\\" and \\\"pages\\\" are different fields. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":2,\"column\":22},{\"line\":3,\"column\":22}]}]");
    VT_CHECK(SCHEMA,
             "{ book(id: 1) { ...A } other: book(id: 2) { ...A } }\n"
             "fragment A on Book { name ...A2 }\n"
             "fragment A2 on Book { name: title }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"name\\\" conflict because \\\"name\\\" and \\\"title\\\" are different "
             "fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":2,\"column\":22},{\"line\":3,\"column\":23}]}]");
    VT_CHECK(
        SCHEMA,
        "{ book(id: 1) { ...X } }\n"
        "fragment X on Book { related(first: 1) { y: name } ...Y }\n"
        "fragment Y on Book { related(first: 1) { y: pages } }",
        &gg_rule_overlapping_fields_can_be_merged,
        "[{\"message\":\"Fields \\\"related\\\" conflict because subfields \\\"y\\\" conflict because \\\"name\\\" and "
        "\\\"pages\\\" are different fields. Use different aliases on the fields to fetch both if this was "
        "intentional.\",\"locations\":[{\"line\":2,\"column\":22},{\"line\":2,\"column\":42},{\"line\":3,\"column\":22}"
        ",{\"line\":3,\"column\":42}]}]");
    VT_CHECK(SCHEMA,
             "{ item(id: 1) { ...MB ...MM } }\n"
             "fragment MB on Book { x: name }\n"
             "fragment MM on Magazine { x: issue }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because they return conflicting types \\\"String\\\" and "
             "\\\"Int\\\". Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":2,\"column\":23},{\"line\":3,\"column\":27}]}]");
    VT_CHECK(SCHEMA, "{ item(id: 1) { ... on Book { author { n: name } } ... on Magazine { author { n: age } } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"author\\\" conflict because subfields \\\"n\\\" conflict because they return "
             "conflicting types \\\"String\\\" and \\\"Int\\\". Use different aliases on the fields to fetch both if "
             "this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,\"column\":40},{\"line\":1,"
             "\"column\":70},{\"line\":1,\"column\":79}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { author { __typename } author { __typename } t: __typename t: id } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"t\\\" conflict because \\\"__typename\\\" and \\\"id\\\" are different "
             "fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":61},{\"line\":1,\"column\":75}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { unknown unknown u: unknown u: other } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"u\\\" conflict because \\\"unknown\\\" and \\\"other\\\" are different "
             "fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":33},{\"line\":1,\"column\":44}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { ... { x: name } ... { x: id } } }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields. Use "
             "different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":23},{\"line\":1,\"column\":39}]}]");
    VT_CHECK(SCHEMA, "{ book(id: 1) { ... on Book { x: name x: id } } }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields. Use "
             "different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":31},{\"line\":1,\"column\":39}]}]");
    VT_CHECK(SCHEMA, "query Q($a: Int) { count(min: $a) count(min: $b) }", &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"count\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":20},{\"line\":1,\"column\":35}]}]");
    VT_CHECK(SCHEMA, "{ books(genres: [FICTION, POETRY]) { id } books(genres: [POETRY, FICTION]) { id } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"books\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":43}]}]");
    VT_CHECK(SCHEMA,
             "{ a: book(id: 1) { related(first: 1) { a: author { n: name } } } a: book(id: 1) { related(first: 1) { a: "
             "author { n: age } } } }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"a\\\" conflict because subfields \\\"related\\\" conflict because subfields "
             "\\\"a\\\" conflict because subfields \\\"n\\\" conflict because \\\"name\\\" and \\\"age\\\" are "
             "different fields. Use different aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":20},{\"line\":1,"
             "\"column\":40},{\"line\":1,\"column\":52},{\"line\":1,\"column\":66},{\"line\":1,\"column\":83},{"
             "\"line\":1,\"column\":103},{\"line\":1,\"column\":115}]}]");
    VT_CHECK(SCHEMA,
             "{ count(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10) count(a: 1, b: 2, c: 3, d: 4, e: 5, "
             "f: 6, g: 7, h: 8, i: 9, k: 10) }",
             &gg_rule_overlapping_fields_can_be_merged,
             "[{\"message\":\"Fields \\\"count\\\" conflict because they have differing arguments. Use different "
             "aliases on the fields to fetch both if this was "
             "intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":70}]}]");
}

/* Builds "<prefix><piece(0)>...<piece(count-1)><suffix>"; piece is a printf format given the index. */
static char *build_doc(const char *prefix, const char *piece, int count, const char *suffix)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, prefix);
    for (int i = 0; i < count; i++)
        gg_buf_printf(&b, piece, i);
    gg_buf_puts(&b, suffix);
    return gg_buf_take(&b, NULL);
}

#define CHECK_BUILT(doc, expected)                                                                                     \
    do {                                                                                                               \
        char *doc_ = (doc);                                                                                            \
        VT_CHECK(SCHEMA, doc_, &gg_rule_overlapping_fields_can_be_merged, (expected));                                 \
        free(doc_);                                                                                                    \
    } while (0)

/* graphql-js 16.15 meters the comparisons: 1000 copies of one field exceed its budget and stop the
 * validation, 700 do not. Both must finish fast (this also runs under ASan). */
static void test_budget(void)
{
    CHECK_BUILT(build_doc("{ book(id: 1) {", " name", 1000, " } }"), "[{\"message\":\"Validation aborted.\"}]");
    CHECK_BUILT(build_doc("{ book(id: 1) {", " name", 700, " } }"), "[]");
}

/* Large documents that stay within the budget validate without errors. */
static void test_large_documents(void)
{
    CHECK_BUILT(build_doc("{", " book(id: 1) { name }", 300, " }"), "[]");
    CHECK_BUILT(build_doc("{ book(id: 1) {", " a%d: name", 1000, " } }"), "[]");
    /* two chains of 200 fragments each spreading the next */
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ book(id: 1) { ...F0 ...G0 name } }\n");
    for (int i = 0; i < 200; i++)
        gg_buf_printf(&b, i < 199 ? "fragment F%d on Book { name ...F%d }\n" : "fragment F%d on Book { name  }\n", i,
                      i + 1);
    for (int i = 0; i < 200; i++)
        gg_buf_printf(&b,
                      i < 199 ? "fragment G%d on Book { n%d: name ...G%d }\n" : "fragment G%d on Book { n%d: name  }\n",
                      i, i, i + 1);
    CHECK_BUILT(gg_buf_take(&b, NULL), "[]");
}

/* A conflict 100 levels down: the reason nests 100 times and is cut at 1000 characters, and each
 * side keeps the enclosing field plus the deepest 19 locations. */
static void test_deep_conflict(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ book(id: 1) { ");
    for (int side = 0; side < 2; side++) {
        for (int i = 0; i < 100; i++)
            gg_buf_puts(&b, "related(first: 1) { ");
        gg_buf_puts(&b, side == 0 ? "x: name" : "x: id");
        for (int i = 0; i < 100; i++)
            gg_buf_puts(&b, " }");
        gg_buf_puts(&b, " ");
    }
    gg_buf_puts(&b, "} }");
    CHECK_BUILT(
        gg_buf_take(&b, NULL),
        "[{\"message\":\"Fields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because su"
        "bfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfields \\\"re"
        "lated\\\" conflict because subfields \\\"related\\\" conflict because subfields \\\"related\\\" conf"
        "lict because subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because"
        " subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfields \\"
        "\"related\\\" conflict because subfields \\\"related\\\" conflict because subfields \\\"related\\\" c"
        "onflict because subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict beca"
        "use subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfield"
        "s \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfields \\\"related\\"
        "\" conflict because subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict b"
        "ecause subfields \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfi"
        "elds \\\"related\\\" conflict because subfields \\\"related\\\" conflict because subfields \\\"relat"
        "ed\\\" conflict because s.... Use different aliases on the fields to fetch both if this was "
        "intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\"column\":1657},{\"line\":1,\"colu"
        "mn\":1677},{\"line\":1,\"column\":1697},{\"line\":1,\"column\":1717},{\"line\":1,\"column\":1737},{\"lin"
        "e\":1,\"column\":1757},{\"line\":1,\"column\":1777},{\"line\":1,\"column\":1797},{\"line\":1,\"column\":1"
        "817},{\"line\":1,\"column\":1837},{\"line\":1,\"column\":1857},{\"line\":1,\"column\":1877},{\"line\":1,"
        "\"column\":1897},{\"line\":1,\"column\":1917},{\"line\":1,\"column\":1937},{\"line\":1,\"column\":1957},"
        "{\"line\":1,\"column\":1977},{\"line\":1,\"column\":1997},{\"line\":1,\"column\":2017},{\"line\":1,\"colu"
        "mn\":2225},{\"line\":1,\"column\":3865},{\"line\":1,\"column\":3885},{\"line\":1,\"column\":3905},{\"lin"
        "e\":1,\"column\":3925},{\"line\":1,\"column\":3945},{\"line\":1,\"column\":3965},{\"line\":1,\"column\":3"
        "985},{\"line\":1,\"column\":4005},{\"line\":1,\"column\":4025},{\"line\":1,\"column\":4045},{\"line\":1,"
        "\"column\":4065},{\"line\":1,\"column\":4085},{\"line\":1,\"column\":4105},{\"line\":1,\"column\":4125},"
        "{\"line\":1,\"column\":4145},{\"line\":1,\"column\":4165},{\"line\":1,\"column\":4185},{\"line\":1,\"colu"
        "mn\":4205},{\"line\":1,\"column\":4225}]}]");
}

/* Thirty conflicting subfields: the reason lists them until 1000 characters, then "...", and each
 * side lists at most 20 locations. */
static void test_many_subfield_conflicts(void)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{ book(id: 1) { author {");
    for (int i = 0; i < 30; i++)
        gg_buf_printf(&b, " f%d: name", i);
    gg_buf_puts(&b, " } author {");
    for (int i = 0; i < 30; i++)
        gg_buf_printf(&b, " f%d: id", i);
    gg_buf_puts(&b, " } } }");
    CHECK_BUILT(
        gg_buf_take(&b, NULL),
        "[{\"message\":\"Fields \\\"author\\\" conflict because subfields \\\"f0\\\" conflict because \\\"name\\\""
        " and \\\"id\\\" are different fields and subfields \\\"f1\\\" conflict because \\\"name\\\" and \\\"id\\\""
        " are different fields and subfields \\\"f2\\\" conflict because \\\"name\\\" and \\\"id\\\" are differ"
        "ent fields and subfields \\\"f3\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields "
        "and subfields \\\"f4\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfiel"
        "ds \\\"f5\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfields \\\"f6\\\" c"
        "onflict because \\\"name\\\" and \\\"id\\\" are different fields and subfields \\\"f7\\\" conflict bec"
        "ause \\\"name\\\" and \\\"id\\\" are different fields and subfields \\\"f8\\\" conflict because \\\"name"
        "\\\" and \\\"id\\\" are different fields and subfields \\\"f9\\\" conflict because \\\"name\\\" and \\\"id"
        "\\\" are different fields and subfields \\\"f10\\\" conflict because \\\"name\\\" and \\\"id\\\" are dif"
        "ferent fields and subfields \\\"f11\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fie"
        "lds and subfields \\\"f12\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and su"
        "bfields \\\"f13\\\" conflict because \\\"name\\\" and \\\"id\\\".... Use different aliases on the fiel"
        "ds to fetch both if this was intentional.\",\"locations\":[{\"line\":1,\"column\":17},{\"line\":1,\""
        "column\":26},{\"line\":1,\"column\":35},{\"line\":1,\"column\":44},{\"line\":1,\"column\":53},{\"line\":1"
        ",\"column\":62},{\"line\":1,\"column\":71},{\"line\":1,\"column\":80},{\"line\":1,\"column\":89},{\"line\""
        ":1,\"column\":98},{\"line\":1,\"column\":107},{\"line\":1,\"column\":116},{\"line\":1,\"column\":126},{\""
        "line\":1,\"column\":136},{\"line\":1,\"column\":146},{\"line\":1,\"column\":156},{\"line\":1,\"column\":1"
        "66},{\"line\":1,\"column\":176},{\"line\":1,\"column\":186},{\"line\":1,\"column\":196},{\"line\":1,\"col"
        "umn\":318},{\"line\":1,\"column\":327},{\"line\":1,\"column\":334},{\"line\":1,\"column\":341},{\"line\":"
        "1,\"column\":348},{\"line\":1,\"column\":355},{\"line\":1,\"column\":362},{\"line\":1,\"column\":369},{\""
        "line\":1,\"column\":376},{\"line\":1,\"column\":383},{\"line\":1,\"column\":390},{\"line\":1,\"column\":3"
        "97},{\"line\":1,\"column\":405},{\"line\":1,\"column\":413},{\"line\":1,\"column\":421},{\"line\":1,\"col"
        "umn\":429},{\"line\":1,\"column\":437},{\"line\":1,\"column\":445},{\"line\":1,\"column\":453},{\"line\":"
        "1,\"column\":461}]}]");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_invalid);
    RUN(test_budget);
    RUN(test_large_documents);
    RUN(test_deep_conflict);
    RUN(test_many_subfield_conflicts);
    return test_summary();
}
