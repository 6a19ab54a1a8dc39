/* generation.h: what the HTTP server serves from, swapped whole by a reload (SIGHUP), and each
 * worker thread's view of it.
 *
 * A generation (gg_generation, server.h) is what a reload replaces: the schema with its plugins
 * (gg_gateway), the authorization verifier (API keys, JWT keys) and the configuration they were
 * built from. Everything else is process-wide and stays: listeners, threads, PostgreSQL pools, TLS,
 * the HTTP limits (server/reload.c names the keys that need a restart).
 *
 * Each worker thread serves one generation through a gg_view: the generation plus what the thread
 * keeps for it (its document cache, its token cache, the plugins' per-thread state). A view is
 * counted by holds, all taken and dropped on the worker's own thread, so no lock: one while it is
 * the worker's current view, one per GraphQL execution still running on it (its request may be
 * gone already) and one per websocket connection and operation. What a request does before its
 * execution runs within one callback, and the view changes only between callbacks. A
 * replaced view is freed when its last hold goes: the plugins' per-thread stop runs then, on that
 * thread. A view holds one reference to its generation (atomic: views of several threads share it);
 * the server's list holds one more, and the main thread frees a replaced generation once only that
 * one is left (gg_server_reap_generations), so the plugins' shutdown and dlclose run on the main
 * thread, where their setup ran.
 *
 * A websocket connection (server/realtime) holds the view current at its upgrade until it closes,
 * and its operations and deliveries still running hold it too: a reload changes nothing for an
 * open connection, and new connections get the new generation (README, "Reloading"). */
#ifndef GG_HTTP_GENERATION_H
#define GG_HTTP_GENERATION_H

#include "internal.h"

typedef struct gg_view {
    gg_generation *generation;
    /* What requests and websocket connections use: the gateway, this thread's documents (checked
     * against this generation's schema), its verified tokens (auth_cache NULL without a verifier). */
    gg_rt_generation rt;
    unsigned holds;
} gg_view;

/* What a view needs of its generation. */
const gg_gateway *gg_generation_gateway(const gg_generation *generation);
gg_auth_verifier *gg_generation_verifier(const gg_generation *generation);

/* On w's thread: a view of generation (its caches; the plugins' per-thread start). NULL with the
 * reason when a plugin's thread start fails (nothing stays). The caller has its first hold. */
gg_view *gg_view_new(gg_worker *w, gg_generation *generation, gg_fault *fault);
/* One more hold on view (same thread). */
gg_view *gg_view_hold(gg_view *view);
/* Drops a hold; the last one frees the view (plugins' per-thread stop, caches, generation reference). */
void gg_view_release(gg_view *view);
/* gg_rt_hub_setup.hold_current (user: the worker): its current view's, held. */
gg_rt_generation *gg_view_hold_for_websocket(void *worker);

/* gg_server_create: generation 1 around gateway; gg_server_use_auth: its verifier. */
void gg_server_first_generation(gg_server *server, gg_gateway *gateway);
void gg_server_first_verifier(gg_server *server, gg_auth_verifier *verifier);
/* gg_server_free, after the workers ended: frees every generation. */
void gg_server_free_generations(gg_server *server);

/* On w's thread, before its loop runs: its receiver for reload messages. After the loop: unregisters. */
void gg_worker_reload_setup(gg_worker *w);
void gg_worker_reload_teardown(gg_worker *w);

#endif
