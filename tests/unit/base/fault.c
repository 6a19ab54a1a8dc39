/* Tests server/base/fault.c and the fault-to-GraphQL-error bridge of server/graphql/error.c: a
 * message and a detail formatted into the caller's array (truncated, never overflowing), constant
 * messages without storage, GG_FAULT_INTO reading back through the array, and a fault written as a
 * GraphQL error at a path (errorType shown, the detail never). */
#include "base/fault.h"

#include <string.h>

#include "graphql/error.h"
#include "test.h"

static void test_formatted_into_storage(void)
{
    char text[64];
    gg_fault fault = gg_fault_in(text, sizeof text);
    CHECK(!gg_fault_is_set(&fault));
    CHECK(!gg_fault_set(&fault, "DatabaseError", "key \"%s\": %d", "listen", 7));
    CHECK(gg_fault_is_set(&fault));
    CHECK_STR(fault.message, "key \"listen\": 7");
    CHECK_STR(text, "key \"listen\": 7"); /* the caller's array reads as the message */
    CHECK_STR(fault.error_type, "DatabaseError");
    CHECK(fault.detail == NULL);
    gg_fault_set_detail(&fault, "sqlstate %s", "57014");
    CHECK_STR(fault.detail, "sqlstate 57014");
    CHECK_STR(fault.message, "key \"listen\": 7"); /* the detail goes after the message */
}

static void test_truncated(void)
{
    char text[8];
    gg_fault fault = gg_fault_in(text, sizeof text);
    gg_fault_set(&fault, NULL, "%s", "a message longer than the storage");
    CHECK_STR(fault.message, "a messa");
    gg_fault_set_detail(&fault, "no room is left for this");
    CHECK(fault.detail == NULL);
}

static void test_constant_without_storage(void)
{
    gg_fault fault = {0};
    gg_fault_set_text(&fault, "ServiceUnavailable", "The database is unavailable.");
    CHECK_STR(fault.message, "The database is unavailable.");
    CHECK_STR(fault.error_type, "ServiceUnavailable");
    char text[16];
    gg_fault stored = gg_fault_in(text, sizeof text);
    gg_fault_set_text(&stored, NULL, "copied");
    CHECK_STR(text, "copied"); /* with storage the constant is copied, so the array reads it */
}

static bool refuse(int n, gg_fault *fault)
{
    return gg_fault_set(fault, NULL, "%d is too many", n);
}

static void test_into_array(void)
{
    char err[32] = "";
    CHECK(!refuse(9, GG_FAULT_INTO(err)));
    CHECK_STR(err, "9 is too many");
}

static void test_graphql_error_at_path(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list list;
    gg_error_list_init(&list, &arena);
    char text[64];
    gg_fault fault = gg_fault_in(text, sizeof text);
    gg_fault_set(&fault, "DatabaseError", "The database request failed.");
    gg_fault_set_detail(&fault, "relation \"t\" does not exist");
    gg_path root = {.key = "listTodos"}, item = {.prev = &root, .index = 2};
    gg_error *e = gg_error_add_fault(&list, &fault, &item);
    text[0] = 'X'; /* the error owns copies of the texts */
    CHECK_STR(e->message, "The database request failed.");
    CHECK_STR(e->fault.detail, "relation \"t\" does not exist");
    CHECK_INT(list.count, 1);
    gg_buf out;
    gg_buf_init(&out);
    gg_error_list_write_json(&out, &list);
    CHECK_STR(
        out.data,
        "[{\"message\":\"The database request failed.\",\"path\":[\"listTodos\",2],\"errorType\":\"DatabaseError\"}]");
    gg_buf_free(&out);
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_formatted_into_storage);
    RUN(test_truncated);
    RUN(test_constant_without_storage);
    RUN(test_into_array);
    RUN(test_graphql_error_at_path);
    return test_summary();
}
