/* pg_json.h: JSON text returned by PostgreSQL read straight into gg_val trees in a request arena. */
#ifndef GG_PG_JSON_H
#define GG_PG_JSON_H

#include <stddef.h>

#include "graphql/value.h"

/* Parses len bytes of JSON (one value, optional surrounding whitespace); NULL when not valid JSON. */
gg_val *gg_pg_json_read(gg_arena *arena, const char *text, size_t len);

#endif
