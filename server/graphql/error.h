/* error.h: the one error type of the GraphQL engine (spec §7.1.2 "Errors").
 *
 * An error has a message for the client, zero or more source locations, an optional response
 * path, and AppSync's extra keys (errorType, errorInfo, data: ../shared/docs/appsync-compat.md
 * §1.3.2). Errors are collected in a gg_error_list, in the order they occur, allocated in the
 * list's arena. Its core is a gg_fault (../base/fault.h), the error value of every module: the
 * `detail` is for the log only and never reaches the client. */
#ifndef GG_ERROR_H
#define GG_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/fault.h"
#include "language/ast.h"

/* A response path, as a linked list from the innermost element to the root (graphql-js's Path).
 * key != NULL: an object key (response name); key == NULL: a list index. */
typedef struct gg_path gg_path;
struct gg_path {
    const gg_path *prev;
    const char *key;
    int64_t index;
};

/* A GraphQL error is a fault (base/fault.h: errorType, message, log detail) with the places it
 * belongs to. The fault's parts are also named directly (error->message is error->fault.message):
 * the anonymous struct repeats the fault's first members, which C lets a union read either way. */
typedef struct gg_error gg_error;
struct gg_error {
    union {
        gg_fault fault; /* its texts live in the list's arena (text is NULL) */
        struct {
            const char *error_type; /* AppSync errorType, e.g. "ValidationError", "Unauthorized"; NULL: none */
            const char *message;
            const char *detail; /* for the log only */
        };
    };
    gg_loc *locations; /* line/column pairs; count may be 0 */
    unsigned location_count;
    const gg_path *path;    /* NULL when the error has no path (parse/validation errors) */
    const char *error_info; /* JSON text for errorInfo, or NULL */
    const char *data;       /* JSON text for the error's data (DataStore conflicts), or NULL */
    gg_error *next;
};

typedef struct gg_error_list {
    gg_arena *arena;
    gg_error *head, *tail;
    unsigned count;
} gg_error_list;

/* Prepares an empty list allocating from arena. */
void gg_error_list_init(gg_error_list *list, gg_arena *arena);
/* Appends an error with a printf-formatted message; returns it so locations etc. can be added. */
gg_error *gg_error_add(gg_error_list *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
gg_error *gg_error_addv(gg_error_list *list, const char *fmt, va_list ap);
/* Appends an error at one location (the usual case for syntax and validation errors). */
gg_error *gg_error_at(gg_error_list *list, gg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A GraphQL error made of fault at path (NULL: none), its texts and path copied into arena; not in
 * any list (resolvers hand it to gg_resolve_fail). */
gg_error *gg_error_of_fault(gg_arena *arena, const gg_fault *fault, const gg_path *path);
/* Appends the error gg_error_of_fault makes. */
gg_error *gg_error_add_fault(gg_error_list *list, const gg_fault *fault, const gg_path *path);
/* Adds a location to an error. */
void gg_error_add_location(gg_error_list *list, gg_error *error, gg_loc loc);
/* Copies a path into the list's arena and sets it on the error. */
void gg_error_set_path(gg_error_list *list, gg_error *error, const gg_path *path);
/* Writes one error as a JSON object: message, locations, path, and errorType/errorInfo/data when
 * set (as top-level keys, like AppSync). */
void gg_error_write_json(gg_buf *out, const gg_error *error);
/* Writes the list as a JSON array. */
void gg_error_list_write_json(gg_buf *out, const gg_error_list *list);
/* Sets fault to "<what>: file:line:column: message" for the first error of a schema's list (file:
 * the error's detail, else fallback_name), then one indented line for each further error, up to
 * ten in all, then how many more there were: a schema with several mistakes is fixed in one round.
 * An empty list reads "<what>: <fallback_name>: could not be built". */
void gg_error_list_fault(const gg_error_list *list, const char *what, const char *fallback_name, gg_fault *fault);

#endif
