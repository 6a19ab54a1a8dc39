/* postgres.h: the PostgreSQL data source as the rest of the server sees it: binding the @model and
 * @sql fields of a schema, one connection pool per event loop, the readiness probe, and the
 * blocking steps run before any loop starts (the cursor key at start-up, `graphgate migrate`).
 *
 * Nothing outside resolvers/postgres/ includes libpq: this header names no libpq type. Inside,
 * every connection is opened one way (connect.h), the pools' query API is pg_pool.h, the planner
 * plan.h. The request context of a bound schema starts with a gg_pg_request (see below). */
#ifndef GG_POSTGRES_H
#define GG_POSTGRES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <h2o.h>

#include "amplify/model.h"
#include "base/fault.h"
#include "cursor.h"
#include "filter_sql.h"
#include "realtime/pubsub.h"
#include "type/schema.h"

/* ---- pools: one per event loop, never blocking it (pg_pool.h says how) ---- */

typedef struct gg_pg_pool gg_pg_pool;

/* Early connections: the pools' first connections, opened in the background from the start of
 * start-up (one thread each, connect_timeout=5, statement_timeout as the pools set it), so that the
 * PostgreSQL backends start while the schema is built and checked instead of after. A pool takes
 * one (gg_pg_pool_config.early); the first to connect is lent to start-up's steps first (binding and
 * gg_pg_prepare use it, see connect.h).
 * gg_pg_early_free waits for the rest and closes what no one took. Main thread only. */
typedef struct gg_pg_early gg_pg_early;
gg_pg_early *gg_pg_early_start(const char *url, unsigned statement_timeout_ms, unsigned count);
void gg_pg_early_free(gg_pg_early *early);

typedef struct gg_pg_pool_config {
    const char *conninfo;           /* libpq URL or key=value string */
    unsigned size;                  /* connections; 0: 2 */
    unsigned statement_timeout_ms;  /* 0: none */
    unsigned reconnect_interval_ms; /* 0: 1000 */
    unsigned wait_ms; /* a query that finds no connection ready waits this long for one (pg_pool.h); 0: fails at once */
    unsigned max_prepared_statements; /* per connection; least recently used are deallocated; 0: 256 */
    bool never_prepare;               /* run every statement unprepared (max_prepared_statements unused) */
    bool pooled;          /* conninfo is a pooler in transaction mode (database.pooler): no session state is kept, see
                           * pg_pool.h */
    gg_pg_early *early;   /* NULL, or the first connection is early's early_index-th when that one */
    unsigned early_index; /* connected (waited for); else the pool connects it itself */
    atomic_int *ready_count; /* NULL, or kept equal to the number of ready connections, for any thread to read */
} gg_pg_pool_config;

/* Creates a pool on loop and starts connecting (non-blocking). Returns NULL only when the config
 * is unusable, with the reason in fault (a constant message: no storage needed). */
gg_pg_pool *gg_pg_pool_create(h2o_loop_t *loop, const gg_pg_pool_config *config, gg_fault *fault);
/* gg_pg_pool_create, then runs loop until one connection is ready or wait_ms have passed, so the
 * first requests do not meet a pool that cannot serve (a database that does not answer in time only
 * delays start-up); the other connections keep connecting on the loop. */
gg_pg_pool *gg_pg_pool_open(h2o_loop_t *loop, const gg_pg_pool_config *config, unsigned wait_ms, gg_fault *fault);
/* Closes every connection; queries still in flight are answered (lost) first. */
void gg_pg_pool_destroy(gg_pg_pool *pool);
/* Cancels owner's queries (owner not NULL): each is answered as cancelled when its reply comes
 * (never from this call; the reply itself is not read). With interrupt, their statements are
 * also cancelled on the server: the one running now at once, those queued behind others when
 * they start; without, they run to their end (cheap to ask for, as when a client goes away). */
void gg_pg_pool_cancel(gg_pg_pool *pool, const void *owner, bool interrupt);
/* Number of connections ready now. */
unsigned gg_pg_pool_ready(const gg_pg_pool *pool);
/* The last connection error seen (for logs and /readyz), or "" . */
const char *gg_pg_pool_last_error(const gg_pg_pool *pool);

/* ---- binding: the resolvers of a schema's @model and @sql fields ---- */

/* How a plan gets its answer from PostgreSQL (database.plan; see plan.h). */
typedef enum gg_pg_plan_kind {
    GG_PG_PLAN_ROWS,
    GG_PG_PLAN_JSON,
} gg_pg_plan_kind;

/* The start of the request context handed to gg_execute for a bound schema: whoever executes
 * must pass as `context` a pointer to a struct whose FIRST member is a gg_pg_request (or a
 * gg_pg_request itself). */
typedef struct gg_pg_request {
    gg_pg_pool *pool;                        /* this thread's pool; NULL: every field fails with ServiceUnavailable */
    const gg_cursor_key *cursor_key;         /* signs nextToken values (gg_pg_prepare, or from config);
                                              * NULL: no page has a nextToken and none is accepted */
    gg_pubsub *pubsub;                       /* this thread's pubsub: each successful mutation (CRUD and @sql) publishes
                                              * its result there under the field's name; NULL: no events */
    const void *owner;                       /* the request the statements work for (gg_pg_pool_cancel); NULL: none */
    const struct gg_auth_identity *identity; /* who asked (auth/auth.h), valid until the execution completes;
                                              * NULL when auth.default_mode is NONE (no rule applies) */
    bool event_only;       /* the values come from a subscription event (server/realtime): a relation the event does
                            * not hold is null, never read (as on AppSync; no query per subscriber) */
    const char *source_ip; /* the caller's address as text (:identity.sourceIp), valid as
                            * long as identity; not in the identity, which requests share */
    gg_pg_pool *read_pool; /* this thread's pool on the read replica (database.read_url); NULL: reads go to pool */
    const struct gg_pg_replica *replica; /* the read replica's health and lag (below); NULL: none */
} gg_pg_request;

/* ---- DataStore's LAMBDA conflict handler: a plugin's (plugins/conflict.c), asked by
 * datastore_lambda.c; the gateway finds it (datastore.lambda.*) and hands it over in gg_pg_options ---- */

/* The mutation that met the conflict (the values of plugin.h's gg_plugin_conflict_operation). */
typedef enum gg_pg_lambda_operation {
    GG_PG_LAMBDA_CREATE = 0,
    GG_PG_LAMBDA_UPDATE = 1,
    GG_PG_LAMBDA_DELETE = 2,
} gg_pg_lambda_operation;
/* What the handler is told. */
typedef struct gg_pg_lambda_question {
    gg_pg_lambda_operation operation;
    struct cJSON *event;                 /* {newItem, existingItem, arguments, resolver, identity}: handed over */
    const struct gg_pg_request *request; /* the mutation's: the handler's statements use its pool (copied) */
} gg_pg_lambda_question;
/* The handler's answer: its response object (valid during the call only; not checked yet), or NULL
 * with failure, why it failed (the client's ConflictError message). Once, on the asking thread. */
typedef void (*gg_pg_lambda_answer_fn)(void *user, const struct cJSON *response, const char *failure);
/* Asks handler; done runs before this returns (a synchronous handler) or later from this loop. */
typedef void (*gg_pg_lambda_ask_fn)(const void *handler, const gg_pg_lambda_question *question,
                                    gg_pg_lambda_answer_fn done, void *user);
typedef struct gg_pg_lambda {
    gg_pg_lambda_ask_fn ask; /* NULL: no LAMBDA handler configured */
    const void *handler;     /* ask's first argument, alive as long as the bound schema */
} gg_pg_lambda;

typedef struct gg_pg_options {
    unsigned default_limit;         /* page size of lists without limit; 0: 100 (AppSync's) */
    unsigned max_limit;             /* larger limits are cut to this (the page then has a nextToken); 0: 1000 */
    bool log_sql;                   /* print every statement to stderr before sending it (debugging; no values) */
    gg_pg_plan_kind plan;           /* rows (default) or json: see plan.h */
    gg_filter_limits filter_limits; /* every filter and condition argument; zeros: none */
    const char *database_url;       /* where the mapped tables are: their column types are read from its catalog
                                     * at bind (column_types.h); NULL or "": graphgate's storage types */
    bool database_needed;           /* the caller stops when the database does not answer: no warning here */
    double delta_ttl_min;     /* datastore.delta_ttl_min: syncX's lastSync older than this gets a base page; 0: 30 */
    double tombstone_ttl_min; /* datastore.tombstone_ttl_min: a versioned delete's "_ttl" is now + this
                               * many minutes; 0: 43200 */
    gg_pg_lambda lambda;      /* models whose conflict handler is LAMBDA ask it (datastore_lambda.c) */
} gg_pg_options;

/* Binds every generated root field of catalog's models, and their relation fields, in schema
 * (built from the served SDL of the same catalog; pg_resolvers.h). Allocates in the schema's arena
 * and keeps pointers into the catalog: the catalog must outlive the schema. opts may be NULL.
 * False when opts names a database that could not be reached to read the mapped columns' types:
 * the fields are bound with graphgate's storage types, which a table made otherwise may not have
 * (the server then reloads once the database answers, server/main.c). */
bool gg_pg_bind(gg_schema *schema, const gg_amplify_catalog *catalog, const gg_pg_options *opts);
struct gg_pg_model;
/* The model a root field bound by gg_pg_bind operates on, with the column types read from the
 * database (pg_model.h), or NULL for a field gg_pg_bind did not bind. */
const struct gg_pg_model *gg_pg_bound_model(const gg_field *field);
/* Binds every @sql field of catalog in schema (call after gg_pg_bind; sql_directive.h). schema_dir:
 * the folder reference: paths are relative to (NULL: the current directory). False with the first
 * problem in fault. */
bool gg_pg_bind_sql(gg_schema *schema, const gg_amplify_catalog *catalog, const char *schema_dir,
                    const gg_pg_options *opts, gg_fault *fault);

/* ---- statements of other resolvers (plugins: plugins/api.c) ---- */

/* The outcome of gg_pg_query_rows: rows (a LIST of OBJECTs keyed by column name, valued as @sql
 * fields' columns are: sql_directive.h) in the arena, or rows NULL and failure (errorType and a
 * message for the client, as pg_failure.h makes them; the database's own words go to the log). */
typedef void (*gg_pg_rows_fn)(void *user, gg_val *rows, const gg_fault *failure);
/* Sends sql with text parameters values[0..param_count) ($1..$N; NULL: SQL NULL) on request's pool
 * (owner: request->owner, so it is cancelled with its request) and calls done exactly once on this
 * loop thread: later, or at once when no connection is ready (ServiceUnavailable). where names the
 * caller in the log ("Query.field"). The texts are sent before this returns: they need not outlive it. */
void gg_pg_query_rows(const gg_pg_request *request, gg_arena *arena, const char *where, const char *sql,
                      unsigned param_count, const char *const *values, gg_pg_rows_fn done, void *user);

/* ---- readiness: is the database reachable? (readiness.c) ---- */

typedef struct gg_pg_readiness gg_pg_readiness;

/* Starts the probe thread (none when database_url is empty: always ready). reachable_now: the
 * caller has just been answered by the database (the first probe is skipped: ready at once). */
gg_pg_readiness *gg_pg_readiness_start(const char *database_url, bool reachable_now);
/* True when the database answered the last probe (or none is configured). */
bool gg_pg_readiness_ok(const gg_pg_readiness *readiness);
/* Stops and frees the probe. */
void gg_pg_readiness_stop(gg_pg_readiness *readiness);

/* ---- a read replica (database.read_url): health and lag, measured by a thread (replica.c) ---- */

typedef struct gg_pg_replica gg_pg_replica;

typedef enum gg_pg_replica_state {
    GG_PG_REPLICA_OK,          /* reachable and at most max_lag_ms behind: queries read there */
    GG_PG_REPLICA_LAGGING,     /* further behind: reads go to the primary */
    GG_PG_REPLICA_UNREACHABLE, /* cannot be asked: reads go to the primary */
} gg_pg_replica_state;

/* Probes the replica once (blocking, a few seconds at most), then starts the thread that probes it
 * every max_lag_ms / 4 (50 ms to 1 s). Each change of verdict is logged once. pooled: the URLs
 * are a transaction pooler's (database.pooler), which refuses startup options. */
gg_pg_replica *gg_pg_replica_start(const char *primary_url, const char *read_url, unsigned max_lag_ms, bool pooled);
/* The last verdict, and the lag it measured (lag_ms may be NULL). Any thread. */
gg_pg_replica_state gg_pg_replica_status(const gg_pg_replica *replica, unsigned *lag_ms);
/* Stops the thread and frees the monitor (NULL: nothing). */
void gg_pg_replica_stop(gg_pg_replica *replica);

/* ---- the DataStore purge (datastore_purge.c): old changes and tombstones, on a thread ---- */

/* Starts purging the synced models of catalog every interval_s seconds (datastore.purge_interval_s),
 * one instance at a time; NULL when no model is synced, interval_s is 0 or no thread starts. */
struct gg_pg_datastore_purge *gg_pg_purge_start(const char *url, bool pooled, const gg_amplify_catalog *catalog,
                                                double delta_ttl_min, unsigned interval_s);
/* Stops the purge (after a round it may be running); NULL: nothing. */
void gg_pg_purge_stop(struct gg_pg_datastore_purge *purge);

/* ---- blocking steps, on the main thread before any event loop starts (startup.c) ---- */

/* Ends start-up's use of the connection it keeps between its blocking steps (binding leaves it for
 * gg_pg_prepare; connect.h): a pool's early connection goes back to it, any other is closed; nothing
 * when there is none. */
void gg_pg_startup_close(void);
/* Has start-up's first query (binding's column types) bring the cursor secret of graphgate_meta (in
 * schema: database.schema, "" or NULL for none) in the same round trip, for gg_pg_prepare (connect.h:
 * gg_pg_startup_prefetch). Call it before the schema is loaded, when no cursor_secret is configured. */
void gg_pg_cursor_secret_prefetch(const char *schema);
/* Has start-up's first query (binding's column types) run work once, on the main thread, right after
 * it is sent, while PostgreSQL answers: a new backend takes milliseconds there, which start-up's main
 * thread otherwise spends waiting (start-up gives it gg_cursor_setup). Not run without such a query. */
void gg_pg_startup_while_waiting(void (*work)(void));

/* Exit statuses of `graphgate migrate` (also listed by --help). */
enum { GG_MIGRATE_OK = 0, GG_MIGRATE_DATABASE_ERROR = 1, GG_MIGRATE_CONFIG_ERROR = 2 };

/* Start-up: the key that signs nextToken values, from cursor_secret when not empty, else the secret
 * stored in the database at url (graphgate_meta, created when absent; *source says which, for the
 * log), and a warning on stderr for each @model table that does not exist yet and each column of
 * another type than the schema's. False with a reason only when the key cannot be had (no
 * cursor_secret and no database). *reachable: the database answered (for gg_pg_readiness_start).
 * Start-up's connection then goes back to its pool (connect.h). The warnings come later:
 * gg_pg_prepare_finish(true) connects again, checks and warns (call it once the threads serve, before
 * announcing the listeners and before catalog is freed); gg_pg_prepare_finish(false) only forgets
 * (start-up failed). Nothing when the database was not reached. */
bool gg_pg_prepare(const char *url, const char *cursor_secret, const gg_amplify_catalog *catalog, gg_cursor_key *key,
                   const char **source, bool *reachable, gg_fault *fault);
void gg_pg_prepare_finish(bool warn);
/* `graphgate --check`: how many mapped columns cannot hold their fields (types, enum labels), as
 * the warnings of binding the schema listed them; 0 without a database, -1 when it is unreachable. */
int gg_pg_check_command(const char *url, const gg_amplify_catalog *catalog, const gg_schema *schema);
/* `graphgate migrate` for catalog (NULL: no @model types) on the database at url (database_url;
 * foreign_keys: database.foreign_keys; own_secret: cursor_secret is configured, so no
 * graphgate_meta): prints the DDL (dry_run, no database needed) or applies it in one transaction
 * and prints a summary on out; errors go to the log. Returns a GG_MIGRATE_* status. */
int gg_pg_migrate_command(const char *url, bool foreign_keys, bool own_secret, const gg_amplify_catalog *catalog,
                          bool dry_run, FILE *out);

#endif
