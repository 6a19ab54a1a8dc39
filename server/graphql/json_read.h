/* json_read.h: JSON text (PostgreSQL's json and jsonb, AWSJSON values) read straight into gg_val
 * trees in a request arena, integers that fit int64_t exactly. */
#ifndef GG_JSON_READ_H
#define GG_JSON_READ_H

#include <stddef.h>

#include "value.h"

/* Parses len bytes of JSON (one value, optional surrounding whitespace); NULL when not valid JSON. */
gg_val *gg_json_read(gg_arena *arena, const char *text, size_t len);

#endif
