/* fault.h: the one error value every module hands back (configuration, start-up, resolvers, HTTP).
 *
 * Like PostgreSQL's error reports, a fault carries three things: an errorType code for clients
 * (AppSync's "DatabaseError", "Unauthorized"; NULL for start-up errors an operator reads), a
 * message for whoever receives the error (the GraphQL client, or the operator at start-up), and a
 * detail for the log only (SQL text, a library's own words), which never reaches a client.
 *
 * A fault is a small value: the three are pointers, to constant strings or to storage the caller
 * lends it. Code that formats its message (start-up, configuration) declares storage on its stack
 * and wraps it with gg_fault_in(); gg_fault_set() then formats into that storage, so no allocation
 * is needed and a fault can be reported even when memory is short. The message is written at the
 * start of the storage, so the caller's char array also reads as the message. A GraphQL error is
 * a fault at a response path (graphql/error.h: gg_error_add_fault). */
#ifndef GG_FAULT_H
#define GG_FAULT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct gg_fault {
    const char *error_type; /* errorType code, e.g. "DatabaseError"; NULL: none */
    const char *message;    /* for the client (or the operator); NULL: no fault */
    const char *detail;     /* for the log only; NULL: none */
    char *text;             /* caller storage gg_fault_set formats into; NULL: constant strings only */
    size_t text_size;
} gg_fault;

/* An empty fault that formats its text into text[size], the caller's storage. */
gg_fault gg_fault_in(char *text, size_t size);
/* Makes *fault an empty fault formatting into text[size]; returns fault. */
gg_fault *gg_fault_into(gg_fault *fault, char *text, size_t size);
/* A fault formatting into the char array text, living until the end of the enclosing block: for
 * a call whose caller reads the message from its array, `f(..., GG_FAULT_INTO(err))`. */
#define GG_FAULT_INTO(text) gg_fault_into((gg_fault[1]){0}, (text), sizeof(text))
/* Sets the errorType and a printf-formatted message (truncated to the storage); returns false, so a
 * failing function can `return gg_fault_set(...)`. Without storage the message is fmt itself. */
bool gg_fault_set(gg_fault *fault, const char *error_type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool gg_fault_setv(gg_fault *fault, const char *error_type, const char *fmt, va_list ap);
/* Sets the errorType and a message that outlives the fault (a constant, or arena text); with
 * storage the message is copied into it, so the caller's array still reads as the message. */
bool gg_fault_set_text(gg_fault *fault, const char *error_type, const char *message);
/* Sets a printf-formatted detail for the log, stored after the message (without storage: fmt). */
void gg_fault_set_detail(gg_fault *fault, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether a message has been set. */
bool gg_fault_is_set(const gg_fault *fault);

#endif
