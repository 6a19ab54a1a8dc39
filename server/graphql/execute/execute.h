/* execute.h: running a validated operation (spec §6), with resolvers that may finish later.
 *
 * gg_execute walks the operation's selection sets depth first. For each field it calls the
 * field's resolver (gg_field.resolve; NULL means the default resolver: the member of the parent
 * value named like the field). A resolver answers by calling gg_resolve_return or
 * gg_resolve_error exactly once, either before it returns (synchronous) or later from the same
 * thread's event loop (asynchronous: a PostgreSQL query, a plugin). The executor never blocks:
 * when the last pending field completes, it finishes null propagation and calls on_complete
 * exactly once (which may happen inside gg_execute when every resolver was synchronous).
 *
 * With synchronous resolvers the order of work and of errors is exactly graphql-js's: fields in
 * order, depth first, and a non-null violation stops the remaining siblings. Mutation root fields
 * run one after another (each waits for the previous one's whole subtree). Everything lives in
 * the request arena. */
#ifndef GG_EXECUTE_H
#define GG_EXECUTE_H

#include <stdbool.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../error.h"
#include "../language/ast.h"
#include "../type/aws_auth.h"
#include "../type/schema.h"
#include "../value.h"

typedef struct gg_exec gg_exec; /* one execution (opaque) */

/* What a resolver gets. Valid until it calls gg_resolve_return / gg_resolve_error. */
typedef struct gg_resolve_info {
    gg_exec *exec;
    const gg_schema *schema;
    const gg_field *field;
    const gg_type *parent_type;
    const gg_val *source; /* the parent's value (root_value for root fields) */
    const gg_val *args;   /* coerced arguments: an OBJECT; arguments not given and without default are absent */
    const gg_selection *const *field_nodes; /* the merged field selections (>= 1) */
    unsigned field_node_count;
    const gg_path *path;
    const gg_definition *operation;
    const gg_val *variables; /* coerced variable values (OBJECT) */
    void *context;           /* gg_exec_request.context */
    gg_arena *arena;         /* the request arena: allocate results here */
} gg_resolve_info;

/* Completes a field with its value (NULL or GG_VAL_NULL for null). Call exactly once. */
void gg_resolve_return(gg_resolve_info *info, gg_val *value);
/* Completes a field with an error (the field becomes null; errors propagate per the spec).
 * error_type may be NULL. Returns the error so error_info/data can be set. Call exactly once. */
gg_error *gg_resolve_error(gg_resolve_info *info, const char *error_type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Completes a field with an error the caller built in info->arena (message, and error_type,
 * error_info, data as needed); the executor sets its locations and path. Call exactly once. Use it
 * from asynchronous answers that set error_info/data: the last answer runs on_complete before
 * gg_resolve_error could return the error. */
void gg_resolve_fail(gg_resolve_info *info, gg_error *error);
/* Completes a field with fault (base/fault.h; its texts are copied): gg_resolve_fail of the
 * GraphQL error the fault makes. Call exactly once. */
void gg_resolve_fault(gg_resolve_info *info, const gg_fault *fault);
/* The fragment definition of the executed document named name, or NULL: for resolvers that plan a
 * whole selection subtree at once (resolvers/postgres) and must see through fragment spreads. */
const gg_definition *gg_resolve_find_fragment(const gg_resolve_info *info, const char *name);

typedef struct gg_exec_result {
    gg_val *data;         /* NULL: no "data" key (request error); else the data object or GG_VAL_NULL */
    gg_error_list errors; /* in the order they happened */
    size_t raw_bytes;     /* bytes of the values already written as JSON (plain objects): a size hint */
} gg_exec_result;

typedef struct gg_exec_request {
    const gg_schema *schema;
    const gg_document *document; /* parsed and validated */
    const char *operation_name;  /* NULL when the request names none */
    const gg_val *variables;     /* raw variable values as sent (OBJECT), or NULL */
    const gg_val *root_value;    /* source of the root fields, or NULL */
    void *context;               /* handed to resolvers */
    /* How the request was authenticated: every field is checked against its @aws_* directives
     * (aws_auth.h) before its resolver runs; one the caller may not see is null with an
     * Unauthorized error. NULL: nothing is checked (auth NONE). Must outlive the execution. */
    const gg_aws_auth_caller *auth;
    gg_arena *arena; /* request arena; the result lives in it */
    void (*on_complete)(const gg_exec_result *result, void *user);
    void *user;
} gg_exec_request;

/* Selects the operation, coerces variables (request errors: "data" absent), executes it and
 * calls request->on_complete exactly once. */
void gg_execute(const gg_exec_request *request);
/* Writes {"data":...,"errors":[...]} (errors left out when empty; data left out when NULL). */
void gg_exec_result_write_json(gg_buf *out, const gg_exec_result *result);
/* The operation gg_execute would run: by name, or the only one; NULL with an error otherwise
 * ("Unknown operation named \"x\"." / "Must provide operation name if query contains multiple
 * operations." / "Must provide an operation."). */
const gg_definition *gg_select_operation(const gg_document *doc, const char *operation_name, gg_error_list *errors);

#endif
