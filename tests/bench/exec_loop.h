/* exec_loop.h: the measuring loop of the executor benchmarks (field_auth, plugin_fields): execute
 * one request again and again into a fresh arena for a fixed CPU time, and give the rate.
 * CPU time of the process, not wall time: on a busy machine waiting for a core is not work. */
#ifndef GG_BENCH_EXEC_LOOP_H
#define GG_BENCH_EXEC_LOOP_H

#include <time.h>

#include "base/arena.h"
#include "execute/execute.h"

static inline double gg_bench_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void gg_bench_count_errors(const gg_exec_result *result, void *user)
{
    *(unsigned *)user = result->errors.count;
}

/* Executions per CPU-second of request (its arena, on_complete and user are set here) over at
 * least seconds of CPU; *errors: the error count of the last execution. */
static inline double gg_bench_exec_rate(gg_exec_request request, double seconds, unsigned *errors)
{
    unsigned long runs = 0;
    double start = gg_bench_cpu_seconds(), elapsed = 0;
    request.on_complete = gg_bench_count_errors;
    request.user = errors;
    do {
        for (int i = 0; i < 20; i++, runs++) {
            gg_arena arena;
            gg_arena_init(&arena);
            request.arena = &arena;
            gg_execute(&request);
            gg_arena_free(&arena);
        }
        elapsed = gg_bench_cpu_seconds() - start;
    } while (elapsed < seconds);
    return (double)runs / elapsed;
}

#endif
