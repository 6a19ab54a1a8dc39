/* request_json.h: the checks a request's JSON text passes before cJSON parses it: no raw control
 * characters inside strings, no \u0000 escape, no duplicate key in any object. cJSON accepts all
 * three and then silently uses something other than what the client sent (a value cut at a NUL,
 * the first of two keys where JavaScript takes the last), so they are refused up front. */
#ifndef GG_HTTP_REQUEST_JSON_H
#define GG_HTTP_REQUEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/fault.h"

/* Scans the len bytes of JSON text at text (valid UTF-8). False, with a message for the client in
 * fault that starts with `what` ("The request body", ...), when a string holds a raw control character
 * (U+0000..U+001F) or \u0000, or an object repeats a key (the message names the key and where it
 * is, e.g. "variables.filter"). True otherwise, also for text that is not JSON at all: that is for
 * the parser to report. */
bool gg_request_json_check(const char *text, size_t len, const char *what, gg_fault *fault);

#endif
