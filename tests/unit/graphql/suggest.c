/* suggest.c: tests of the suggestion lists and "Did you mean" wording (server/graphql/suggest.c).
 *
 * Every expectation was printed once by graphql-js 16.15 suggestionList, naturalCompare and
 * didYouMean on the same inputs (regenerate with suggest_oracle.mjs). */
#include "test.h"

#include <stdlib.h>

#include "base/buf.h"
#include "graphql/suggest.h"

/* Joins a suggestion list with "|" for comparison. */
static char *joined(const char *input, const char *const *options, unsigned count)
{
    gg_arena arena;
    gg_arena_init(&arena);
    const char **out;
    unsigned n;
    gg_suggestion_list(&arena, input, options, count, &out, &n);
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, "");
    for (unsigned i = 0; i < n; i++)
        gg_buf_printf(&b, "%s%s", i ? "|" : "", out[i]);
    gg_arena_free(&arena);
    return gg_buf_take(&b, NULL);
}

static void test_suggestion_list(void)
{
    {
        static const char *const options[] = {"name", "nickname", "Name", "NAME", "names", "game", "id"};
        char *got = joined("nam", options, 7);
        CHECK_STR(got, "NAME|Name|name|game|names");
        free(got);
    }
    {
        static const char *const options[] = {"abdc", "bacd", "abcde", "xbcd", "ab", "dcba", "ABCD"};
        char *got = joined("abcd", options, 7);
        CHECK_STR(got, "ABCD|abcde|abdc|bacd|xbcd|ab");
        free(got);
    }
    {
        static const char *const options[] = {"item2", "item10", "item1", "item9", "item010", "Item10", "item100"};
        char *got = joined("item10", options, 7);
        CHECK_STR(got, "item10|Item10|item010|item1|item100|item2|item9");
        free(got);
    }
    {
        static const char *const options[] = {"a", "b", "ff", "F", "f1", "f"};
        char *got = joined("f", options, 6);
        CHECK_STR(got, "f|F|a|b|f1|ff");
        free(got);
    }
    {
        static const char *const options[] = {"longFieldName",  "longfieldnam", "lngfieldname", "shortname",
                                              "longfieldname2", "fieldname",    "longfield"};
        char *got = joined("longfieldname", options, 7);
        CHECK_STR(got, "lngfieldname|longFieldName|longfieldnam|longfieldname2|fieldname|longfield");
        free(got);
    }
    {
        static const char *const options[] = {NULL};
        char *got = joined("x", options, 0);
        CHECK_STR(got, "");
        free(got);
    }
    {
        static const char *const options[] = {"dup1", "dup1", "dpu"};
        char *got = joined("dup", options, 3);
        CHECK_STR(got, "dpu|dup1");
        free(got);
    }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_natural_compare(void)
{
    CHECK_INT(sign(gg_natural_compare("a2", "a10")), -1);
    CHECK_INT(sign(gg_natural_compare("a10", "a2")), 1);
    CHECK_INT(sign(gg_natural_compare("a", "b")), -1);
    CHECK_INT(sign(gg_natural_compare("abc", "ab")), 1);
    CHECK_INT(sign(gg_natural_compare("x01", "x1")), -1);
    CHECK_INT(sign(gg_natural_compare("x0", "x00")), -1);
    CHECK_INT(sign(gg_natural_compare("Z", "a")), -1);
    CHECK_INT(sign(gg_natural_compare("same", "same")), 0);
    CHECK_INT(sign(gg_natural_compare("v9z", "v10a")), -1);
}

static void test_did_you_mean(void)
{
    gg_arena arena;
    gg_arena_init(&arena);
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 0), "");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 1), " Did you mean \"a\"?");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 2), " Did you mean \"a\" or \"b\"?");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 3), " Did you mean \"a\", \"b\", or \"c\"?");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 4), " Did you mean \"a\", \"b\", \"c\", or \"d\"?");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 5), " Did you mean \"a\", \"b\", \"c\", \"d\", or \"e\"?");
    CHECK_STR(gg_did_you_mean(&arena, NULL, names, 6), " Did you mean \"a\", \"b\", \"c\", \"d\", or \"e\"?");
    CHECK_STR(gg_did_you_mean(&arena, "the enum value", names, 2), " Did you mean the enum value \"a\" or \"b\"?");
    gg_arena_free(&arena);
}

int main(void)
{
    RUN(test_suggestion_list);
    RUN(test_natural_compare);
    RUN(test_did_you_mean);
    return test_summary();
}
