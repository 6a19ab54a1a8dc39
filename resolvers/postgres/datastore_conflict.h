/* datastore_conflict.h: what a versioned write (DataStore, appsync-compat.md §4.4-§4.6) does when
 * its _version is not the stored one, and the hook a LAMBDA conflict handler plugs into.
 *
 * A versioned update or delete checks `"_version" = <input._version>` in the WHERE clause of its one
 * statement (plan_sql.c). When that statement writes no row, pg_resolvers.c hands the field to
 * gg_pg_conflict_start, which reads the current row in a second statement (the mutation's
 * selection plus every stored field) and tells the cases apart:
 *   no row, or the stored version is the input's and the row is live: the condition failed, or the
 *     key is absent: DynamoDB:ConditionalCheckFailedException, as an unversioned write answers;
 *   otherwise a conflict, and the model's handler (gg_amplify_model.conflict_handler) decides:
 *   OPTIMISTIC_CONCURRENCY  ConflictUnhandled, errors[0].data = the current row shaped by the
 *                           selection set (DataStore rebuilds its remote model from it, §4.6);
 *   AUTOMERGE               an update is merged into the row (datastore_merge.h) and retried with
 *                           the row's version; a row that changed again is read and merged again,
 *                           at most GG_PG_MAX_CONFLICT_ROUNDS times, then MaxConflicts. A delete
 *                           (nothing to merge) and a write to a tombstone answer ConflictUnhandled
 *                           with the row, as AppSync does (DataStore's conflict handler then sees
 *                           the remote row: the Amplify clients handle "delete, remote changed" and
 *                           "update, remote deleted" there);
 *   LAMBDA                  gg_pg_conflict_lambda (below) decides: RESOLVE retries the write with
 *                           its item (key and metadata taken from the input and the row), REJECT
 *                           answers ConflictUnhandled, REMOVE (delete only) retries the delete at
 *                           the row's version, a failure answers ConflictError.
 * Every retry is again one statement that checks the version it read, so a write never overwrites
 * a row it did not see. */
#ifndef GG_PG_DATASTORE_CONFLICT_H
#define GG_PG_DATASTORE_CONFLICT_H

#include <stdbool.h>

#include "execute/execute.h"
#include "plan.h"

/* How many times AUTOMERGE (or a LAMBDA RESOLVE) retries a write whose row keeps changing under it
 * before answering MaxConflicts. AppSync does not publish its number; 5 rounds outlast any honest
 * race between a handful of writers and still bound a write to six statements plus six reads. */
#define GG_PG_MAX_CONFLICT_ROUNDS 5

/* ---- the LAMBDA hook (ds-lambda implements gg_pg_conflict_lambda in datastore_lambda.c) ---- */

typedef enum gg_pg_conflict_action {
    GG_PG_CONFLICT_RESOLVE, /* item: the write to retry (update/create: its fields; key and metadata are ignored) */
    GG_PG_CONFLICT_REJECT,  /* ConflictUnhandled with the existing row */
    GG_PG_CONFLICT_REMOVE,  /* delete only: retry the delete at the existing row's version */
    GG_PG_CONFLICT_FAILED,  /* the handler failed (malformed reply, none wired): ConflictError with message */
} gg_pg_conflict_action;

typedef struct gg_pg_conflict gg_pg_conflict;

/* Completes a conflict: exactly once, on the thread that called gg_pg_conflict_lambda (at once, or
 * later from that thread's event loop). item (RESOLVE) and message (FAILED) live in conflict->arena
 * or longer. After it returns, conflict must not be used. */
typedef void (*gg_pg_conflict_done_fn)(gg_pg_conflict *conflict, gg_pg_conflict_action action, const gg_val *item,
                                       const char *message);

/* One version conflict, as AppSync hands it to a Lambda conflict handler
 * ({newItem, existingItem, arguments, resolver: {tableName, awsRegion, parentType, field}, identity}).
 * Everything lives in arena (the request's) until done is called. */
struct gg_pg_conflict {
    const char *operation;       /* "create", "update" or "delete" */
    gg_pg_op op;                 /* the same, as the planner's operation */
    const gg_val *new_item;      /* the mutation's input (an OBJECT, _version included) */
    const gg_val *existing_item; /* the stored row: every stored field, _version/_deleted/_lastChangedAt included */
    const gg_val *arguments;     /* the field's arguments: input, condition */
    const char *table_name;      /* the model's table */
    const char *parent_type;     /* "Mutation" */
    const char *field;           /* "updateTodo" */
    const char *model;           /* "Todo" */
    const struct gg_auth_identity *identity; /* the caller (auth/auth.h); NULL for API key and auth NONE */
    gg_resolve_info *info;       /* the mutation field: its binding (gg_pg_target), request context, argument types */
    gg_arena *arena;             /* the request arena */
    gg_pg_conflict_done_fn done; /* the answer (see gg_pg_conflict_done_fn) */
    void *user;                  /* the caller's (datastore_conflict.c): do not touch */
};

/* Hands conflict to the model's LAMBDA conflict handler, which answers through conflict->done.
 * Implemented in datastore_lambda.c. */
void gg_pg_conflict_lambda(gg_pg_conflict *conflict);

/* ---- a stored value as the client reads it (errors[].data and the LAMBDA event) ---- */

/* Writes out one object value of type (never NULL: &gg_val_null_value when there is nothing). */
typedef gg_val *gg_pg_output_object_fn(void *user, gg_arena *arena, const gg_type *type, const gg_val *object);

/* v as the client reads a value of type: lists item by item, scalars through their serialize, enums
 * as stored, objects through object(user, ...); null for anything the type does not describe. */
gg_val *gg_pg_output_value(gg_arena *arena, const gg_type *type, const gg_val *v, gg_pg_output_object_fn *object,
                           void *user);

/* ---- what pg_resolvers.c calls ---- */

/* Whether a write of target that wrote no row (GG_PG_CONDITION_FAILED) may be a version conflict:
 * a versioned update or delete. */
bool gg_pg_conflict_possible(const gg_pg_target *target);
/* Takes over the field info resolves (a versioned update or delete whose statement wrote no row):
 * reads the current row and answers as above, completing info exactly once. pubsub: where the
 * field's final write is published (NULL: nowhere). */
void gg_pg_conflict_start(gg_resolve_info *info, gg_pubsub *pubsub);

#endif
