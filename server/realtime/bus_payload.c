/* bus_payload.c: writing and reading the PostgreSQL bus's NOTIFY payloads; see bus_payload.h.
 *
 * Parsing is strict (a payload on the channel may come from anyone allowed to NOTIFY): a topic
 * must be a GraphQL name, an inline event must carry some JSON text, and a reference must be a
 * positive decimal that fits in int64 (the event table's bigint id). The JSON itself is parsed
 * later, by the subscriptions that receive it, as for an event of this instance. */
#include "bus_payload.h"

#include <string.h>

static bool name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

bool gg_bus_topic_valid(const char *topic, size_t len)
{
    if (topic == NULL || len == 0 || !name_start(topic[0])) return false;
    for (size_t i = 1; i < len; i++)
        if (!name_char(topic[i])) return false;
    return true;
}

bool gg_bus_payload_write_inline(gg_buf *out, const char *topic, const char *json, size_t len)
{
    size_t topic_len = topic ? strlen(topic) : 0;
    if (!gg_bus_topic_valid(topic, topic_len) || len == 0) return false;
    if (1 + topic_len + 1 + len > GG_BUS_NOTIFY_PAYLOAD_MAX) return false;
    gg_buf_putc(out, 'I');
    gg_buf_append(out, topic, topic_len);
    gg_buf_putc(out, ' ');
    gg_buf_append(out, json, len);
    return true;
}

static bool parse_id(const char *s, size_t len, int64_t *id)
{
    if (len == 0 || len > 19 || s[0] == '0') return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (uint64_t)(s[i] - '0'); /* 19 digits fit in uint64 */
    }
    if (v > (uint64_t)INT64_MAX) return false;
    *id = (int64_t)v;
    return true;
}

bool gg_bus_payload_parse(const char *text, size_t len, gg_bus_payload *out)
{
    if (text == NULL || len < 2) return false;
    memset(out, 0, sizeof *out);
    if (text[0] == 'R') {
        out->kind = GG_BUS_PAYLOAD_REFERENCE;
        return parse_id(text + 1, len - 1, &out->id);
    }
    if (text[0] != 'I') return false;
    const char *space = memchr(text + 1, ' ', len - 1);
    if (space == NULL) return false;
    out->kind = GG_BUS_PAYLOAD_INLINE;
    out->topic = text + 1;
    out->topic_len = (size_t)(space - out->topic);
    out->json = space + 1;
    out->json_len = len - (size_t)(out->json - text);
    return gg_bus_topic_valid(out->topic, out->topic_len) && out->json_len > 0;
}
