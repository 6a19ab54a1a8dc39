/* trace.c: W3C trace context and per-request PostgreSQL time; see trace.h.
 *
 * Trace ids are made from a per-thread splitmix64 sequence whose start comes from getrandom(2)
 * once per thread: no lock, no system call per request, and two ids of one thread never repeat
 * (splitmix64 is a bijection of its counter). Ids need to be unique, not secret. */
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "log.h"

static _Thread_local gg_trace *current;
static _Thread_local uint64_t random_state;
static _Thread_local bool random_seeded;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t next_random(void)
{
    if (!random_seeded) {
        if (getrandom(&random_state, sizeof random_state, 0) != (ssize_t)sizeof random_state)
            random_state = now_ns() ^ (uint64_t)(uintptr_t)&random_state;
        random_seeded = true;
    }
    uint64_t z = (random_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static bool is_lower_hex(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

static bool all_zeros(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != '0') return false;
    return true;
}

/* version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters */
#define TRACEPARENT_LEN 55

bool gg_trace_parse(const char *value, size_t len, char trace_id[GG_TRACE_ID_HEX + 1],
                    char parent_id[GG_TRACE_SPAN_HEX + 1])
{
    if (value == NULL || len < TRACEPARENT_LEN) return false;
    if (!is_lower_hex(value, 2) || memcmp(value, "ff", 2) == 0) return false; /* ff: never a version */
    /* version 00 is exactly 55 characters; a later version may add fields after a dash */
    if (memcmp(value, "00", 2) == 0 ? len != TRACEPARENT_LEN : (len > TRACEPARENT_LEN && value[55] != '-'))
        return false;
    if (value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
    const char *id = value + 3, *parent = value + 36, *flags = value + 53;
    if (!is_lower_hex(id, GG_TRACE_ID_HEX) || all_zeros(id, GG_TRACE_ID_HEX)) return false;
    if (!is_lower_hex(parent, GG_TRACE_SPAN_HEX) || all_zeros(parent, GG_TRACE_SPAN_HEX)) return false;
    if (!is_lower_hex(flags, 2)) return false;
    memcpy(trace_id, id, GG_TRACE_ID_HEX);
    trace_id[GG_TRACE_ID_HEX] = '\0';
    memcpy(parent_id, parent, GG_TRACE_SPAN_HEX);
    parent_id[GG_TRACE_SPAN_HEX] = '\0';
    return true;
}

void gg_trace_generate_id(char trace_id[GG_TRACE_ID_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t halves[2] = {next_random(), next_random()};
    if (halves[0] == 0 && halves[1] == 0) halves[1] = 1;
    for (int h = 0; h < 2; h++)
        for (int i = 0; i < 16; i++)
            trace_id[h * 16 + i] = hex[(halves[h] >> (60 - 4 * i)) & 0xf];
    trace_id[GG_TRACE_ID_HEX] = '\0';
}

gg_trace *gg_trace_new(const char *traceparent, size_t len)
{
    gg_trace *trace = calloc(1, sizeof *trace);
    if (trace == NULL) {
        gg_log_error("out of memory");
        abort();
    }
    trace->refs = 1;
    if (!gg_trace_parse(traceparent, len, trace->trace_id, trace->parent_id)) {
        gg_trace_generate_id(trace->trace_id);
        trace->parent_id[0] = '\0';
    }
    return trace;
}

void gg_trace_retain(gg_trace *trace)
{
    if (trace != NULL) trace->refs++;
}

void gg_trace_release(gg_trace *trace)
{
    if (trace != NULL && --trace->refs == 0) {
        if (current == trace) current = NULL;
        free(trace);
    }
}

gg_trace *gg_trace_current(void)
{
    return current;
}

gg_trace *gg_trace_enter(gg_trace *trace)
{
    gg_trace *previous = current;
    current = trace;
    return previous;
}

void gg_trace_leave(gg_trace *previous)
{
    current = previous;
}

void gg_trace_pg_sent(gg_trace *trace)
{
    trace->pg_statements++;
    if (trace->pg_in_flight++ == 0) trace->pg_since_ns = now_ns();
}

void gg_trace_pg_done(gg_trace *trace)
{
    if (trace->pg_in_flight > 0 && --trace->pg_in_flight == 0) trace->pg_ns += now_ns() - trace->pg_since_ns;
}

double gg_trace_pg_ms(const gg_trace *trace)
{
    uint64_t ns = trace->pg_ns;
    if (trace->pg_in_flight > 0) ns += now_ns() - trace->pg_since_ns;
    return (double)ns / 1e6;
}
