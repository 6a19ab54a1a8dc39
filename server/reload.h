/* reload.h: SIGHUP. Reads the configuration file again, builds a new generation from it (schema,
 * plugins, authorization) and hands it to the running server (http/server.h, gg_server_reload).
 *
 * Everything is built on the main thread while the workers keep serving the old generation; any
 * failure (configuration, schema, a plugin that does not load or set up, authorization, a plugin's
 * per-thread start) leaves the old one serving and is logged with its reason. Keys that only a
 * restart applies (listeners, threads, TLS, database, HTTP limits, realtime, metrics) keep their
 * start-up values, and each one that changed is named in a warning. */
#ifndef GG_RELOAD_H
#define GG_RELOAD_H

#include <stdbool.h>

#include "config.h"
#include "http/server.h"

/* Reloads from config_path (NULL: the environment only), comparing with start (the configuration
 * the server started with). database_open: the workers have PostgreSQL pools. cause begins the
 * first log line ("SIGHUP received"). Logs the outcome; true when the new generation serves. */
bool gg_reload(gg_server *server, const char *config_path, const gg_config *start, bool database_open,
               const char *cause);

#endif
