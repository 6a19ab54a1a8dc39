/* Tests resolvers/postgres/filter_sql.c without a database: how filters are measured against
 * limits.max_filter_* (the counts and the refusals naming their setting), and the shape of the
 * SQL: linear in the number of terms, one parameter per value, and a column read by many
 * comparisons written once (read once per row). tests/integration/postgres/filter_sql.c runs the
 * SQL on PostgreSQL. */
#include <cjson/cJSON.h>

#include "execute/values.h"
#include "filter_sql.h"
#include "test.h"

static const gg_filter_column title = {.sql = "t.\"title\"", .kind = GG_COLUMN_TEXT};
static const gg_filter_column rating = {.sql = "t.\"rating\"", .kind = GG_COLUMN_INT};
/* citext installed in a schema off the search_path: its comparisons name its operators */
static const gg_filter_column handle = {.sql = "t.\"handle\"",
                                        .kind = GG_COLUMN_TEXT,
                                        .cast = "extensions.citext",
                                        .operator_schema = "extensions",
                                        .case_insensitive = true};
static const gg_filter_column no_row = {.sql = "NULL::text", .kind = GG_COLUMN_TEXT, .constant = true};

static const gg_filter_column *lookup(void *data, const char *field)
{
    if (strcmp(field, "title") == 0) return data != NULL ? &no_row : &title;
    if (strcmp(field, "rating") == 0) return &rating;
    if (strcmp(field, "handle") == 0) return &handle;
    return NULL;
}

static gg_val *parse(gg_arena *a, const char *json_text)
{
    cJSON *json = cJSON_Parse(json_text);
    if (json == NULL) return NULL;
    gg_val *v = gg_val_from_cjson(a, json);
    cJSON_Delete(json);
    return v;
}

/* {"or":[{"title":{"contains":"x0"}}, ... n terms]} */
static gg_val *or_of_contains(gg_arena *a, unsigned n)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "{\"or\":[");
    for (unsigned i = 0; i < n; i++)
        gg_buf_printf(&b, "%s{\"title\":{\"contains\":\"x%u\"}}", i ? "," : "", i);
    gg_buf_puts(&b, "]}");
    gg_val *v = parse(a, b.data);
    gg_buf_free(&b);
    return v;
}

static gg_filter_size measure(gg_arena *a, const char *json_text)
{
    gg_filter_size size;
    gg_filter_measure(parse(a, json_text), &size);
    return size;
}

static void test_measure(void)
{
    gg_arena a;
    gg_arena_init(&a);
    gg_filter_size s = measure(&a, "{\"title\":{\"eq\":\"abc\"}}");
    CHECK_INT(s.terms, 1);
    CHECK_INT(s.depth, 1);
    CHECK_INT(s.operand_bytes, 3);
    s = measure(&a, "{\"title\":{\"ge\":\"a\",\"le\":\"z\"},\"rating\":{\"between\":[1,2]}}");
    CHECK_INT(s.terms, 3);
    s = measure(&a, "{\"or\":[{\"title\":{\"eq\":\"a\"}},{\"not\":{\"and\":[{\"rating\":{\"gt\":1}},{}]}}]}");
    CHECK_INT(s.terms, 3); /* eq, gt, and an empty filter (written as TRUE) */
    CHECK_INT(s.depth, 4); /* the filter, the or item, the not, the and item */
    s = measure(&a, "{\"rating\":{\"in\":[1,2,3,4,5]},\"title\":{\"notIn\":[\"a\",\"bb\"]}}");
    CHECK_INT(s.terms, 7); /* each value of an in/notIn list is a comparison */
    CHECK_INT(s.in_items, 5);
    CHECK_INT(s.operand_bytes, 8); /* a number counts as 8 bytes */
    s = measure(&a, "{\"title\":{\"size\":{\"gt\":1,\"lt\":9}}}");
    CHECK_INT(s.terms, 2);
    s = measure(&a, "{\"or\":[],\"title\":null}");
    CHECK_INT(s.terms, 0);
    gg_filter_measure(NULL, &s);
    CHECK_INT(s.terms, 0);
    CHECK_INT(s.depth, 0);
    gg_filter_measure(or_of_contains(&a, 20000), &s);
    CHECK_INT(s.terms, 20000);
    CHECK_INT(s.depth, 2);
    gg_arena_free(&a);
}

static void test_limits(void)
{
    gg_arena a;
    gg_arena_init(&a);
    const gg_filter_limits limits = {.max_terms = 200, .max_depth = 3, .max_operand_bytes = 8, .max_in_items = 4};
    CHECK(gg_filter_check_limits(&a, &limits, or_of_contains(&a, 200)) == NULL);
    CHECK_STR(gg_filter_check_limits(&a, &limits, or_of_contains(&a, 20000)),
              "Filter terms limit of 200 exceeded, found 20000. (server setting limits.max_filter_terms)");
    CHECK_STR(gg_filter_check_limits(&a, &limits, or_of_contains(&a, 201)),
              "Filter terms limit of 200 exceeded, found 201. (server setting limits.max_filter_terms)");
    CHECK(gg_filter_check_limits(&a, &limits, parse(&a, "{\"not\":{\"not\":{\"rating\":{\"eq\":1}}}}")) == NULL);
    CHECK_STR(gg_filter_check_limits(&a, &limits, parse(&a, "{\"not\":{\"not\":{\"not\":{\"rating\":{\"eq\":1}}}}}")),
              "Filter depth limit of 3 exceeded, found 4. (server setting limits.max_filter_depth)");
    CHECK_STR(gg_filter_check_limits(&a, &limits, parse(&a, "{\"title\":{\"contains\":\"123456789\"}}")),
              "Filter operand size limit of 8 bytes exceeded, found 9. (server setting "
              "limits.max_filter_operand_bytes)");
    CHECK_STR(gg_filter_check_limits(&a, &limits, parse(&a, "{\"title\":{\"between\":[\"a\",\"123456789\"]}}")),
              "Filter operand size limit of 8 bytes exceeded, found 9. (server setting "
              "limits.max_filter_operand_bytes)");
    CHECK(gg_filter_check_limits(&a, &limits, parse(&a, "{\"rating\":{\"in\":[1,2,3,4]}}")) == NULL);
    CHECK_STR(gg_filter_check_limits(&a, &limits, parse(&a, "{\"rating\":{\"notIn\":[1,2,3,4,5]}}")),
              "Filter in/notIn list limit of 4 values exceeded, found 5. (server setting "
              "limits.max_filter_in_items)");
    const gg_filter_limits off = {0};
    CHECK(gg_filter_check_limits(&a, &off, or_of_contains(&a, 20000)) == NULL);
    gg_arena_free(&a);
}

static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The SQL of filter (or "ERROR: ..."), and its parameter count in *params_out. */
static const char *to_sql(gg_arena *a, const gg_val *filter, void *data, unsigned *params_out)
{
    gg_buf sql;
    gg_buf_init(&sql);
    gg_sql_params params;
    gg_sql_params_init(&params, a);
    gg_fault error = {0};
    const char *out = gg_filter_to_sql(&sql, &params, filter, lookup, data, &error)
                          ? gg_arena_strndup(a, sql.data, sql.len)
                          : gg_arena_printf(a, "ERROR: %s", error.message);
    gg_buf_free(&sql);
    *params_out = params.count;
    return out;
}

static void test_sql_shape(void)
{
    gg_arena a;
    gg_arena_init(&a);
    unsigned params;
    /* few reads: the plain form, which lets the planner use indexes */
    CHECK_STR(to_sql(&a, or_of_contains(&a, 2), NULL, &params),
              "((((strpos(t.\"title\", $1::text) > 0)) OR ((strpos(t.\"title\", $2::text) > 0))))");
    CHECK_INT(params, 2);
    /* many reads: the column is written (so read and detoasted) once per row */
    const char *three = to_sql(&a, or_of_contains(&a, 3), NULL, &params);
    CHECK_STR(three, "(EXISTS (SELECT FROM (SELECT (t.\"title\" || '') AS c0 OFFSET 0) AS gg_filter_row WHERE "
                     "((((strpos(gg_filter_row.c0, $1::text) > 0)) OR ((strpos(gg_filter_row.c0, $2::text) > 0)) OR "
                     "((strpos(gg_filter_row.c0, $3::text) > 0))))))");
    CHECK_INT(params, 3);
    /* only the text column read many times is shared; the other stays as it is */
    const char *mixed = to_sql(
        &a, parse(&a, "{\"rating\":{\"gt\":1},\"title\":{\"ne\":\"a\",\"gt\":\"b\",\"lt\":\"c\"}}"), NULL, &params);
    CHECK_INT(count_of(mixed, "t.\"title\""), 1);
    CHECK_INT(count_of(mixed, "t.\"rating\" > $1::bigint"), 1);
    CHECK_INT(params, 4);
    /* a constant (create's condition) is not a row value: nothing to share */
    CHECK(strstr(to_sql(&a, or_of_contains(&a, 5), (void *)1, &params), "EXISTS") == NULL);
    /* linear: ten times the terms, about ten times the SQL, one parameter per term */
    const char *sql_1000 = to_sql(&a, or_of_contains(&a, 1000), NULL, &params);
    CHECK_INT(params, 1000);
    const char *sql_10000 = to_sql(&a, or_of_contains(&a, 10000), NULL, &params);
    CHECK_INT(params, 10000);
    CHECK_INT(count_of(sql_10000, "t.\"title\""), 1);
    CHECK_INT(count_of(sql_10000, "EXISTS"), 1);
    double ratio = (double)strlen(sql_10000) / (double)strlen(sql_1000);
    CHECK(ratio > 9.5 && ratio < 11.5);
    gg_arena_free(&a);
}

/* A column whose type's operators are off the search_path: no comparison is left to a bare operator,
 * which would resolve to text's (IN, IS DISTINCT FROM and BETWEEN resolve bare ones too). */
static void test_named_operators(void)
{
    gg_arena a;
    gg_arena_init(&a);
    unsigned params;
    CHECK_STR(to_sql(&a, parse(&a, "{\"handle\":{\"eq\":\"a\",\"gt\":\"b\"}}"), NULL, &params),
              "((t.\"handle\" OPERATOR(extensions.=) $1::extensions.citext AND t.\"handle\" OPERATOR(extensions.>) "
              "$2::extensions.citext))");
    CHECK_STR(to_sql(&a, parse(&a, "{\"handle\":{\"ne\":\"a\"}}"), NULL, &params),
              "(((t.\"handle\" IS NULL OR t.\"handle\" OPERATOR(extensions.<>) $1::extensions.citext)))");
    CHECK_STR(to_sql(&a, parse(&a, "{\"handle\":{\"between\":[\"a\",\"c\"]}}"), NULL, &params),
              "(((t.\"handle\" OPERATOR(extensions.>=) $1::extensions.citext AND t.\"handle\" OPERATOR(extensions.<=) "
              "$2::extensions.citext)))");
    CHECK_STR(to_sql(&a, parse(&a, "{\"handle\":{\"in\":[\"a\",\"b\"]}}"), NULL, &params),
              "((t.\"handle\" OPERATOR(extensions.=) ANY (ARRAY[$1::extensions.citext, $2::extensions.citext])))");
    CHECK_STR(
        to_sql(&a, parse(&a, "{\"handle\":{\"notIn\":[\"a\"]}}"), NULL, &params),
        "(((t.\"handle\" IS NULL OR NOT t.\"handle\" OPERATOR(extensions.=) ANY (ARRAY[$1::extensions.citext]))))");
    /* string operators read its text, ignoring case as before */
    CHECK_STR(to_sql(&a, parse(&a, "{\"handle\":{\"beginsWith\":\"a\"}}"), NULL, &params),
              "(((t.\"handle\")::text ILIKE $1::text))");
    gg_arena_free(&a);
}

int main(void)
{
    RUN(test_measure);
    RUN(test_limits);
    RUN(test_sql_shape);
    RUN(test_named_operators);
    return test_summary();
}
