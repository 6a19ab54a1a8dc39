/* console.h: the developer console (console: true): GraphiQL at GET <graphql_path> for browsers,
 * its files at <graphql_path>/console/. console.c says where the files come from. */
#ifndef GG_HTTP_CONSOLE_H
#define GG_HTTP_CONSOLE_H

#include <stdbool.h>

#include <h2o.h>

#include "../base/fault.h"

typedef struct gg_console gg_console;

/* The directory of the console's files next to the running binary: <bin>/../share/graphgate/console
 * (installed, and in the container image) or <bin>/../console (the build directory). false with a
 * reason naming the places looked at when neither holds them. */
bool gg_console_find_dir(char *dir, size_t size, gg_fault *fault);
/* The console for graphql_path: checks that every file is there and readable (NULL with a reason
 * naming the one that is not); the files are read into memory when first served (console.c). */
gg_console *gg_console_load(const char *graphql_path, gg_fault *fault);
void gg_console_free(gg_console *console);
/* Whether req is a browser asking for a page: GET or HEAD whose Accept names text/html. */
bool gg_console_wanted(h2o_req_t *req);
/* Answers req with the console's page (200, text/html, no-store, a Content-Security-Policy that
 * allows only graphgate's own scripts). */
int gg_console_send_page(gg_console *console, h2o_req_t *req);
/* The path the console's files are served under: "<graphql_path>/console/". */
const char *gg_console_route(const gg_console *console);
/* Answers GET/HEAD <graphql_path>/console/<file> with one of the console's files; -1 for any
 * other path (not found). Both answer 503 when the files cannot be read (logged). */
int gg_console_send_asset(gg_console *console, h2o_req_t *req);

#endif
