/* server.h: the HTTP server of graphgate: listeners (cleartext HTTP/1.1 + h2c, TLS with ALPN h2
 * and http/1.1), one h2o event loop per thread, routes (/graphql, /healthz, /readyz), graceful
 * shutdown. The database behind /readyz and the pools is resolvers/postgres (postgres.h). */
#ifndef GG_HTTP_SERVER_H
#define GG_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "../auth/auth.h"
#include "../config.h"
#include "../gateway/gateway.h"
#include "postgres.h"

typedef struct gg_server gg_server;
/* What a reload replaces (http/generation.h): schema and plugins, authorization, their configuration. */
typedef struct gg_generation gg_generation;

/* Configures h2o, loads TLS material and binds the listeners (in the calling thread). NULL with a
 * reason when a port cannot be bound or TLS files are unusable. On success the server owns gateway
 * (its first generation: gg_server_free frees it). */
gg_server *gg_server_create(const gg_config *cfg, gg_gateway *gateway, gg_pg_readiness *readiness, gg_fault *fault);
/* Checks tls.min_version and tls.ciphers, and loads the TLS certificate and key as the server would
 * (when TLS listens); false with a reason that names the key. */
bool gg_server_check_tls(const gg_config *cfg, gg_fault *fault);
/* Logs "listening on http://host:port/graphql" for every listener (text: "graphgate: listening on ..."). */
void gg_server_announce(const gg_server *server);
/* Gives every worker a PostgreSQL pool (database.* keys) and key for nextToken values; call before
 * gg_server_start. Without it, @model fields answer ServiceUnavailable. */
void gg_server_use_database(gg_server *server, const gg_cursor_key *cursor_key);
/* Each worker's pool takes its first connection from early (index: the worker's), which must outlive
 * the workers; call with gg_server_use_database, before gg_server_start. */
void gg_server_use_early_connections(gg_server *server, gg_pg_early *early);
/* Gives every worker a second pool on the read replica (database.read_url) for its queries, used
 * while replica (its monitor, which must outlive the workers) says so; call after
 * gg_server_use_database, before gg_server_start. /readyz then reports it. */
void gg_server_use_replica(gg_server *server, const gg_pg_replica *replica);
/* Makes every GraphQL request pass verifier (auth/auth.h) first, each worker with its own token
 * cache; call before gg_server_start. Without it (auth.default_mode NONE) requests are served
 * without authorization. The server owns verifier (part of its first generation). */
void gg_server_use_auth(gg_server *server, gg_auth_verifier *verifier);
/* Starts the worker threads; returns when they all accept connections: true, or false when a
 * plugin's per-thread start failed on some thread (logged; stop and free the server). */
bool gg_server_start(gg_server *server, unsigned threads);
/* A generation for gg_server_reload, which owns what it is given: cfg (allocated with malloc, loaded
 * with gg_config_load), gateway (built from cfg) and verifier (NULL: auth.default_mode NONE). */
gg_generation *gg_generation_new(gg_config *cfg, gg_gateway *gateway, gg_auth_verifier *verifier);
/* Frees a generation that gg_server_reload refused. */
void gg_generation_free(gg_generation *generation);
/* The configuration it was built from (NULL for the start-up one, built from main's). */
const gg_config *gg_generation_config(const gg_generation *generation);
/* Its number: 1 for the start-up one, then 2, 3, ... in the order reloads installed them. */
unsigned gg_generation_number(const gg_generation *generation);
/* On the main thread, while the workers run: makes generation the one every new request uses, in
 * two steps. Each worker first prepares its view of it (the plugins' per-thread start, new caches);
 * when one fails, every worker drops what it prepared, generation is not installed, and false comes
 * back with the reason (the caller frees generation). Then every worker switches: requests already
 * running finish on the generation they began with. Returns when every worker has switched. */
bool gg_server_reload(gg_server *server, gg_generation *generation, gg_fault *fault);
/* On the main thread: frees the replaced generations no request uses any more (their plugins'
 * shutdown and dlclose run here). Call it now and then (main does, every second). */
void gg_server_reap_generations(gg_server *server);
/* Whether the generation serving new requests could not read the @model tables' column types (the
 * database did not answer when it was built): /readyz says 503 until one that could serves. */
bool gg_server_column_types_unread(const gg_server *server);
/* Stops accepting, lets in-flight requests finish (bounded by http.shutdown_timeout_ms), joins. */
void gg_server_stop(gg_server *server);
/* Frees everything (after gg_server_stop). */
void gg_server_free(gg_server *server);

#endif
