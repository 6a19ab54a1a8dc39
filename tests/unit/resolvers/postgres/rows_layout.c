/* Tests gg_pg_rows_layout (resolvers/postgres/plan_rows_layout.c): where a statement of several
 * nodes puts each node's columns and which it reads in binary. A date or time stays in its
 * branch's own column when every other branch has nothing or the same type there (one column
 * fewer for PostgreSQL to send than an extra one), moves to an extra column of its type when
 * another branch has text there, stays text when a child's link is read from it; a statement
 * without dates is all text. */
#include "plan_rows_layout.h"
#include "test.h"

static const gg_pg_column text_column = {.quoted = "\"t\"", .sql_type = "text", .text_like = true};
static const gg_pg_column stamp_column = {
    .quoted = "\"s\"", .sql_type = "timestamp with time zone", .output = GG_PG_OUTPUT_TIMESTAMPTZ};
static const gg_pg_column date_column = {.quoted = "\"d\"", .sql_type = "date", .output = GG_PG_OUTPUT_DATE};

/* A node of count columns (text 't', timestamptz 's', date 'd' in kinds) after links links. */
static gg_pg_rows_layout_node node(gg_arena *arena, unsigned links, const char *kinds, const bool *link_source)
{
    unsigned count = (unsigned)strlen(kinds);
    const gg_pg_column **cols = gg_arena_array(arena, count, sizeof *cols);
    for (unsigned i = 0; i < count; i++)
        cols[i] = kinds[i] == 's' ? &stamp_column : kinds[i] == 'd' ? &date_column : &text_column;
    if (link_source == NULL) link_source = gg_arena_array(arena, count, sizeof *link_source);
    unsigned *result_cols = gg_arena_array(arena, count, sizeof *result_cols);
    return (gg_pg_rows_layout_node){links, cols, count, link_source, result_cols};
}

static void test_layouts(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const gg_pg_binary *binary = NULL;

    /* pg.sh's list-10-with-comments: posts (id, title), comments (link, id, body, author, createdAt) */
    gg_pg_rows_layout_node nodes[3] = {node(&arena, 0, "tt", NULL), node(&arena, 1, "ttts", NULL)};
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 2, 5, &binary), 6);
    CHECK(binary != NULL);
    CHECK_INT(nodes[1].result_cols[3], 5); /* in its own column */
    CHECK_INT(binary[0], GG_PG_BINARY_INT4);
    for (unsigned k = 1; k <= 4; k++)
        CHECK_INT(binary[k], GG_PG_BINARY_TEXT);
    CHECK_INT(binary[5], GG_PG_BINARY_TIMESTAMPTZ);
    CHECK_STR(gg_pg_rows_null_of(binary[5]), "NULL::timestamptz");
    CHECK_STR(gg_pg_rows_null_of(binary[4]), "NULL::text");

    /* two nodes have a timestamptz in column 3 and the third nothing there: shared */
    nodes[0] = node(&arena, 0, "tts", NULL);
    nodes[1] = node(&arena, 1, "tst", NULL);
    nodes[2] = node(&arena, 1, "t", NULL);
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 3, 4, &binary), 5);
    CHECK_INT(nodes[0].result_cols[2], 3);
    CHECK_INT(nodes[1].result_cols[1], 3);
    CHECK_INT(nodes[1].result_cols[2], 4);
    CHECK_INT(binary[3], GG_PG_BINARY_TIMESTAMPTZ);
    CHECK_INT(binary[4], GG_PG_BINARY_TEXT);
    /* the post's date meets the comment's text in column 3: it moves to an extra column */
    nodes[0] = node(&arena, 0, "tts", NULL);
    nodes[1] = node(&arena, 1, "tt", NULL);
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 2, 3, &binary), 5);
    CHECK_INT(nodes[0].result_cols[2], 4); /* column 3 holds the comment's text: moved */
    CHECK_INT(binary[3], GG_PG_BINARY_TEXT);
    CHECK_INT(binary[4], GG_PG_BINARY_TIMESTAMPTZ);
    CHECK_INT(nodes[1].result_cols[1], 3);

    /* a date and a timestamptz in one column: each moves to an extra column of its type */
    nodes[0] = node(&arena, 0, "ts", NULL);
    nodes[1] = node(&arena, 0, "td", NULL);
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 2, 2, &binary), 5);
    CHECK_INT(binary[2], GG_PG_BINARY_TEXT);
    CHECK_INT(binary[3], GG_PG_BINARY_DATE);
    CHECK_INT(binary[4], GG_PG_BINARY_TIMESTAMPTZ);
    CHECK_INT(nodes[0].result_cols[1], 4);
    CHECK_INT(nodes[1].result_cols[1], 3);

    /* a date a child's link comes from stays text, as its link column is: no binary */
    static const bool source[2] = {false, true};
    nodes[0] = node(&arena, 0, "ts", source);
    nodes[1] = node(&arena, 1, "t", NULL);
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 2, 2, &binary), 3);
    CHECK(binary == NULL);
    CHECK_INT(nodes[0].result_cols[1], 2);

    /* no dates: text, each column in place */
    nodes[0] = node(&arena, 0, "tt", NULL);
    nodes[1] = node(&arena, 2, "t", NULL);
    CHECK_INT(gg_pg_rows_layout(&arena, nodes, 2, 3, &binary), 4);
    CHECK(binary == NULL);
    CHECK_INT(nodes[1].result_cols[0], 3);
    gg_arena_free(&arena);
}

static void test_one_node(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const gg_pg_column *cols[2] = {&text_column, &stamp_column};
    const gg_pg_binary *binary = gg_pg_rows_one_node_format(&arena, cols, 2);
    CHECK(binary != NULL && binary[0] == GG_PG_BINARY_TEXT && binary[1] == GG_PG_BINARY_TIMESTAMPTZ);
    CHECK(gg_pg_rows_one_node_format(&arena, cols, 1) == NULL); /* no date: text */
    gg_pg_column number = {.quoted = "\"n\"", .sql_type = "numeric"};
    cols[0] = &number; /* no binary reader: text */
    CHECK(gg_pg_rows_one_node_format(&arena, cols, 2) == NULL);
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_layouts);
    RUN(test_one_node);
    return test_summary();
}
