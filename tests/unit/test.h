/* test.h: the unit-test harness: checks that count, and a summary line per test program.
 *
 * A test program is a main() that calls its test functions through RUN(fn) and ends with
 * `return test_summary();`. Each CHECK prints file:line and the failed expression, and the
 * program keeps going so one run shows every failure. The summary is "N passed, N failed",
 * counting checks; the exit status is non-zero when any check failed. */
#ifndef GG_TEST_H
#define GG_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;
static const char *test_current = "";

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (cond) {                                                                                                    \
            test_passed++;                                                                                             \
        } else {                                                                                                       \
            test_failed++;                                                                                             \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, test_current, #cond);                 \
        }                                                                                                              \
    } while (0)

#define CHECK_STR(actual, expected)                                                                                    \
    do {                                                                                                               \
        const char *a_ = (actual), *e_ = (expected);                                                                   \
        if (a_ != NULL && e_ != NULL && strcmp(a_, e_) == 0) {                                                         \
            test_passed++;                                                                                             \
        } else {                                                                                                       \
            test_failed++;                                                                                             \
            fprintf(stderr, "%s:%d: %s: %s\n  got:      %s\n  expected: %s\n", __FILE__, __LINE__, test_current,       \
                    #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)");                                                  \
        }                                                                                                              \
    } while (0)

#define CHECK_INT(actual, expected)                                                                                    \
    do {                                                                                                               \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                                                \
        if (a_ == e_) {                                                                                                \
            test_passed++;                                                                                             \
        } else {                                                                                                       \
            test_failed++;                                                                                             \
            fprintf(stderr, "%s:%d: %s: %s is %lld, expected %lld\n", __FILE__, __LINE__, test_current, #actual, a_,   \
                    e_);                                                                                               \
        }                                                                                                              \
    } while (0)

#define RUN(fn)                                                                                                        \
    do {                                                                                                               \
        test_current = #fn;                                                                                            \
        fn();                                                                                                          \
    } while (0)

static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed == 0 ? 0 : 1;
}

#endif
