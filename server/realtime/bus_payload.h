/* bus_payload.h: the text of the PostgreSQL bus's NOTIFY payloads (bus_postgres.c), kept apart so
 * that it is unit-tested without a database.
 *
 * Two forms, told apart by their first byte:
 *   I<topic> <json>   the event itself: the mutation's name, one space, its result's JSON text
 *   R<id>             the event is row <id> (decimal, > 0) of graphgate_realtime_events: it would
 *                     not fit in NOTIFY's payload (shorter than 8000 bytes)
 * A topic is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*), so the first space ends it. Any other first
 * byte is a form of a later version and is ignored by this one. */
#ifndef GG_REALTIME_BUS_PAYLOAD_H
#define GG_REALTIME_BUS_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

/* PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (the default block size). */
#define GG_BUS_NOTIFY_PAYLOAD_MAX 7999

typedef enum gg_bus_payload_kind { GG_BUS_PAYLOAD_INLINE, GG_BUS_PAYLOAD_REFERENCE } gg_bus_payload_kind;

/* A parsed payload; topic and json point into the parsed text. */
typedef struct gg_bus_payload {
    gg_bus_payload_kind kind;
    const char *topic; /* INLINE */
    size_t topic_len;
    const char *json; /* INLINE: the rest of the text */
    size_t json_len;
    int64_t id; /* REFERENCE */
} gg_bus_payload;

/* Whether topic (len bytes) is a GraphQL name, the only topics a payload carries. */
bool gg_bus_topic_valid(const char *topic, size_t len);
/* Appends the inline payload of an event to out; false (out untouched) when the topic is not a
 * name or the payload would be too long for NOTIFY (the event then travels by reference). */
bool gg_bus_payload_write_inline(gg_buf *out, const char *topic, const char *json, size_t len);
/* Parses a payload; false when it is not one of this version's forms (then *out is undefined). */
bool gg_bus_payload_parse(const char *text, size_t len, gg_bus_payload *out);

#endif
