/* Tests resolvers/postgres/cursor.c: round trips, NULLs and odd text, and that altered, truncated,
 * forged or misplaced tokens are refused. */
#include "cursor.h"
#include "test.h"

static gg_cursor_key key;

static void test_round_trip(void)
{
    gg_arena a;
    gg_arena_init(&a);
    const char *values[3] = {"2024-05-01T10:00:00.000Z", NULL, "quote\" back\\slash é \n"};
    char *token = gg_cursor_encode(&a, &key, "Post|ASC", values, 3);
    CHECK(strchr(token, '.') != NULL);
    CHECK(strpbrk(token, "+/=") == NULL); /* URL-safe */
    const char **out;
    unsigned n;
    gg_fault error = {0};
    CHECK(gg_cursor_decode(&a, &key, "Post|ASC", token, &out, &n, &error));
    CHECK_INT(n, 3);
    CHECK_STR(out[0], values[0]);
    CHECK(out[1] == NULL);
    CHECK_STR(out[2], values[2]);
    const char *none[1];
    char *empty = gg_cursor_encode(&a, &key, "x", none, 0);
    CHECK(gg_cursor_decode(&a, &key, "x", empty, &out, &n, &error));
    CHECK_INT(n, 0);
    gg_arena_free(&a);
}

static void test_refused(void)
{
    gg_arena a;
    gg_arena_init(&a);
    const char *values[1] = {"42"};
    char *token = gg_cursor_encode(&a, &key, "Post|ASC", values, 1);
    const char **out;
    unsigned n;
    gg_fault error = {0};
    /* another query shape */
    CHECK(!gg_cursor_decode(&a, &key, "Post|DESC", token, &out, &n, &error));
    CHECK(error.message != NULL && strstr(error.message, "nextToken") != NULL);
    /* another secret */
    gg_cursor_key other;
    gg_cursor_key_init(&other, "other", 5);
    CHECK(!gg_cursor_decode(&a, &other, "Post|ASC", token, &out, &n, &error));
    /* every single-character change, and every truncation */
    size_t len = strlen(token);
    int accepted = 0;
    for (size_t i = 0; i < len; i++) {
        char *copy = gg_arena_strdup(&a, token);
        copy[i] = copy[i] == 'A' ? 'B' : 'A';
        accepted += gg_cursor_decode(&a, &key, "Post|ASC", copy, &out, &n, &error);
        char *cut = gg_arena_strndup(&a, token, i);
        accepted += gg_cursor_decode(&a, &key, "Post|ASC", cut, &out, &n, &error);
    }
    CHECK_INT(accepted, 0);
    /* garbage */
    const char *garbage[] = {"", ".", "abc", "....", "!!!.!!!", "eyJ9.AAAA", "W10.AAAAAAAAAAAAAAAAAAAAAA"};
    for (unsigned i = 0; i < sizeof garbage / sizeof *garbage; i++)
        CHECK(!gg_cursor_decode(&a, &key, "Post|ASC", garbage[i], &out, &n, &error));
    gg_arena_free(&a);
}

int main(void)
{
    gg_cursor_key_init(&key, "test secret", 11);
    RUN(test_round_trip);
    RUN(test_refused);
    return test_summary();
}
