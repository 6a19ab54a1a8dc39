/* trace.h: the W3C trace context of a request (traceparent), and the time it spends in PostgreSQL.
 *
 * Every HTTP request gets a trace id: the one of its traceparent header when that header is
 * valid (W3C Trace Context, version 00 and later versions read as 00), else a new random one.
 * The id is written in the request's access-log line and in every diagnostic line logged while
 * the request's work runs, so an operator finds all lines of one request, and those of the
 * services around it, by one id.
 *
 * "While the request's work runs" is a thread-local current trace: the HTTP handler makes the
 * request's trace current while it handles the request, and the PostgreSQL pool remembers the
 * current trace with each statement it sends and makes it current again while the statement's
 * callback runs. Execution continues only from such callbacks, so the trace follows a request
 * through its asynchronous steps without any resolver passing it along. The same bookkeeping
 * measures the wall time during which at least one statement of the request was in flight (the
 * "time spent in PostgreSQL" of the slow-request log line): statements of one request running in
 * parallel are counted once.
 *
 * A trace is reference-counted without atomics: it is used on one event-loop thread only (the
 * request's, whose pool runs its statements). The request holds one reference, each statement in
 * flight another, so a statement answered after its request has gone still finds its trace. */
#ifndef GG_TRACE_H
#define GG_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GG_TRACE_ID_HEX 32 /* a trace id: 16 bytes as lowercase hex */
#define GG_TRACE_SPAN_HEX 16

typedef struct gg_trace {
    unsigned refs;
    char trace_id[GG_TRACE_ID_HEX + 1];    /* lowercase hex, NUL-terminated */
    char parent_id[GG_TRACE_SPAN_HEX + 1]; /* the caller's span (traceparent's parent-id); "" when generated */
    unsigned pg_in_flight;                 /* statements of this trace sent and not yet answered */
    unsigned pg_statements;                /* statements sent, ever */
    uint64_t pg_since_ns;                  /* when pg_in_flight last went from 0 to 1 */
    uint64_t pg_ns;                        /* time with at least one statement in flight, until pg_since_ns */
} gg_trace;

/* Reads a traceparent header value into trace_id and parent_id (lowercase hex, NUL-terminated);
 * false when it is not a valid traceparent (then the outputs are unspecified). */
bool gg_trace_parse(const char *value, size_t len, char trace_id[GG_TRACE_ID_HEX + 1],
                    char parent_id[GG_TRACE_SPAN_HEX + 1]);
/* Writes a new random trace id (never all zeros). */
void gg_trace_generate_id(char trace_id[GG_TRACE_ID_HEX + 1]);

/* A new trace (one reference) from a traceparent value (NULL or invalid: a new trace id). */
gg_trace *gg_trace_new(const char *traceparent, size_t len);
/* Both do nothing with NULL (work that runs with no current trace). */
void gg_trace_retain(gg_trace *trace);
void gg_trace_release(gg_trace *trace);

/* The trace whose work runs on this thread now; NULL: none. */
gg_trace *gg_trace_current(void);
/* Makes trace (maybe NULL) current and returns the one it replaces, for gg_trace_leave. */
gg_trace *gg_trace_enter(gg_trace *trace);
void gg_trace_leave(gg_trace *previous);

/* A statement of trace was sent / was answered. */
void gg_trace_pg_sent(gg_trace *trace);
void gg_trace_pg_done(gg_trace *trace);
/* Milliseconds with at least one statement of trace in flight, up to now. */
double gg_trace_pg_ms(const gg_trace *trace);

#endif
