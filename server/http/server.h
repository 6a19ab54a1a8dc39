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

/* Configures h2o, loads TLS material and binds the listeners (in the calling thread). NULL with a
 * reason when a port cannot be bound or TLS files are unusable. */
gg_server *gg_server_create(const gg_config *cfg, gg_gateway *gateway, gg_pg_readiness *readiness, gg_fault *fault);
/* Checks tls.min_version and tls.ciphers, and loads the TLS certificate and key as the server would
 * (when TLS listens); false with a reason that names the key. */
bool gg_server_check_tls(const gg_config *cfg, gg_fault *fault);
/* Logs "listening on http://host:port/graphql" for every listener (text: "graphgate: listening on ..."). */
void gg_server_announce(const gg_server *server);
/* Gives every worker a PostgreSQL pool (database.* keys) and key for nextToken values; call before
 * gg_server_start. Without it, @model fields answer ServiceUnavailable. */
void gg_server_use_database(gg_server *server, const gg_cursor_key *cursor_key);
/* Gives every worker a second pool on the read replica (database.read_url) for its queries, used
 * while replica (its monitor, which must outlive the workers) says so; call after
 * gg_server_use_database, before gg_server_start. /readyz then reports it. */
void gg_server_use_replica(gg_server *server, const gg_pg_replica *replica);
/* Makes every GraphQL request pass verifier (auth/auth.h) first, each worker with its own token
 * cache; call before gg_server_start. Without it (auth.default_mode NONE) requests are served
 * without authorization. The verifier must outlive the server's workers. */
void gg_server_use_auth(gg_server *server, gg_auth_verifier *verifier);
/* Starts the worker threads; returns when they all accept connections: true, or false when a
 * plugin's per-thread start failed on some thread (logged; stop and free the server). */
bool gg_server_start(gg_server *server, unsigned threads);
/* Stops accepting, lets in-flight requests finish (bounded by http.shutdown_timeout_ms), joins. */
void gg_server_stop(gg_server *server);
/* Frees everything (after gg_server_stop). */
void gg_server_free(gg_server *server);

#endif
