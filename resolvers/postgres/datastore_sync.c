/* datastore_sync.c: syncX pages; see datastore_sync.h.
 *
 * The mode is chosen on page 1 and kept: base when lastSync is absent or older than the delta TTL
 * (lastSync < now - datastore.delta_ttl_min), delta otherwise. A delta page lists the table
 * restricted to the keys logged since lastSync,
 *   (SELECT d.* FROM (SELECT DISTINCT c.pk::text AS k0 FROM graphgate_changes c
 *                     WHERE c.model = $2 AND c.changed_at >= $3) k
 *    CROSS JOIN LATERAL (SELECT x.* FROM "Post" x WHERE x."id" = k.k0 LIMIT 1) d)
 * so the rows are the current images (a row changed twice is listed once), and the filter and the
 * @auth rules apply to real columns as on a base page; PostgreSQL reads the log through its index
 * on (model, changed_at) and the table through its primary key, one lookup per changed key. The
 * log's pk is the key's text for a key of one column, the JSON text of the key's fields for a
 * composite key, (c.pk::jsonb->>$n)::<type> (datastore_store.h).
 *
 * startedAt is the clock when page 1 was planned, less SYNC_OVERLAP_MS, and the next delta reads the
 * log from there: a write stamps its _lastChangedAt (the database's clock) while its statement runs
 * and commits a moment later, and the hosts' clocks differ a little, so a change stamped just before
 * page 1 but committed after its snapshot would otherwise be missed by every later delta. The
 * overlap repeats the last second's changes instead; DataStore merges by _version, so a repeat is
 * harmless. For the same clock differences between instances behind one load balancer, a lastSync
 * up to the overlap ahead of this host's clock is taken as now, not refused.
 * The nextToken of a sync page wraps the list's own token (which keeps the keyset) with startedAt,
 * the mode and lastSync, signed under the context "<Model>|sync": a listX token, another model's
 * token or an edited one does not verify and is refused as listX refuses it. */
#include "datastore_sync.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datastore_store.h"

static const char invalid_token[] = "Invalid pagination token given.";

/* How far startedAt is set back (see the top). */
#define SYNC_OVERLAP_MS 1000

/* The current time in epoch milliseconds: startedAt, and what the TTL is counted back from. */
static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *context_of(gg_arena *arena, const gg_pg_model *pm)
{
    return gg_arena_printf(arena, "%s|sync", pm->model->name);
}

/* A decimal int64 written by gg_pg_sync_finish; false for anything else. */
static bool parse_ms(const char *text, int64_t *out)
{
    if (text == NULL || text[0] == '\0') return false;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (*end != '\0') return false;
    *out = v;
    return true;
}

/* Reads the sync's own values from a nextToken: startedAt, the mode, lastSync, and the list token. */
static bool read_token(gg_pg_plan_builder *b, gg_pg_sync_page *s, const gg_val *token, const char **inner)
{
    const char **values = NULL;
    unsigned count = 0;
    gg_fault fault = {0};
    if (token->kind != GG_VAL_STRING || b->key == NULL ||
        !gg_cursor_decode(b->arena, b->key, context_of(b->arena, s->pm), token->s, &values, &count, &fault) ||
        count != 4 || values[0] == NULL || !parse_ms(values[1], &s->started_at) || values[2] == NULL)
        return gg_pg_plan_fail(b, "UserIllegalArgumentException", invalid_token);
    *inner = values[0];
    s->delta = strcmp(values[2], "delta") == 0;
    if (!s->delta && strcmp(values[2], "base") != 0)
        return gg_pg_plan_fail(b, "UserIllegalArgumentException", invalid_token);
    s->has_last_sync = values[3] != NULL;
    if (s->has_last_sync && !parse_ms(values[3], &s->last_sync))
        return gg_pg_plan_fail(b, "UserIllegalArgumentException", invalid_token);
    return true;
}

/* The delta source: the model's rows whose keys were logged since last_sync. The distinct keys of the
 * log drive a lookup by primary key each (LATERAL ... LIMIT 1 keeps PostgreSQL from turning it into a
 * join that reads the whole table: with lastSync a parameter, the generic plan guesses a third of the
 * log, and for a table of 10,000 rows it chose to scan them all, at half the rate). */
static const char *delta_source(gg_pg_plan_builder *b, const gg_pg_sync_page *s)
{
    const gg_pg_model *pm = s->pm;
    gg_buf out;
    gg_buf_init(&out);
    gg_buf_puts(&out, "(SELECT d.* FROM (SELECT DISTINCT ");
    if (pm->key_count == 1) gg_buf_printf(&out, "c.pk::%s AS k0", pm->key[0]->sql_type);
    for (unsigned i = 0; pm->key_count > 1 && i < pm->key_count; i++) {
        const gg_pg_column *c = pm->key[i];
        gg_buf_printf(&out, "%s(c.pk::jsonb->>", i ? ", " : "");
        gg_pg_plan_put_parameter(b, &out, c->field->name, "text");
        gg_buf_printf(&out, ")::%s AS k%u", c->sql_type, i);
    }
    gg_buf_printf(&out, " FROM %s c WHERE c.model = ", gg_pg_changes_table(b->target->models));
    gg_pg_plan_put_parameter(b, &out, pm->model->name, "text");
    gg_buf_puts(&out, " AND c.changed_at >= ");
    gg_pg_plan_put_parameter(b, &out, gg_arena_printf(b->arena, "%" PRId64, s->last_sync), "bigint");
    gg_buf_printf(&out, ") k CROSS JOIN LATERAL (SELECT x.* FROM %s x WHERE TRUE", pm->quoted_table);
    for (unsigned i = 0; i < pm->key_count; i++)
        gg_buf_printf(&out, " AND x.%s = k.k%u", pm->key[i]->quoted, i);
    gg_buf_puts(&out, " LIMIT 1) d)");
    return gg_pg_plan_buffer_to_arena(b, &out);
}

bool gg_pg_sync_prepare(gg_pg_plan_builder *b)
{
    gg_pg_sync_page *s = gg_arena_alloc(b->arena, sizeof *s);
    s->pm = b->target->model;
    s->arena = b->arena;
    s->key = b->key;
    const gg_val *args = b->info->args;
    const gg_val *token = gg_val_object_get(args, "nextToken");
    const gg_val *last_sync = gg_val_object_get(args, "lastSync");
    bool given = last_sync != NULL && last_sync->kind != GG_VAL_UNDEFINED && !gg_val_is_null(last_sync);
    if (given && last_sync->kind != GG_VAL_INT)
        return gg_pg_plan_fail(b, "InvalidArgumentsError", "lastSync must be an epoch time in milliseconds.");
    int64_t now = now_ms();
    if (given && last_sync->i > now + SYNC_OVERLAP_MS)
        return gg_pg_plan_fail(b, "InvalidArgumentsError", "lastSync is in the future.");
    const char *inner = NULL;
    if (token != NULL && token->kind != GG_VAL_UNDEFINED && !gg_val_is_null(token)) {
        if (!read_token(b, s, token, &inner)) return false;
        /* a later page continues page 1's sync: the same lastSync, or none */
        if (given && (!s->has_last_sync || s->last_sync != last_sync->i))
            return gg_pg_plan_fail(b, "UserIllegalArgumentException", invalid_token);
    } else {
        s->started_at = now - SYNC_OVERLAP_MS;
        s->has_last_sync = given;
        s->last_sync = given ? last_sync->i : 0;
        s->delta = given && last_sync->i >= now - b->target->delta_ttl_ms;
    }
    /* the page is listed with the list's own token (or none) */
    gg_val *list_args = gg_val_object(b->arena, args ? args->count : 1);
    for (unsigned i = 0; args != NULL && i < args->count; i++)
        if (strcmp(args->members[i].key, "nextToken") != 0)
            gg_val_object_set(b->arena, list_args, args->members[i].key, args->members[i].value);
    if (inner != NULL)
        gg_val_object_set(b->arena, list_args, "nextToken", gg_val_string(b->arena, inner, strlen(inner)));
    s->args = list_args;
    s->table_sql = s->delta ? delta_source(b, s) : NULL;
    b->sync = s;
    return true;
}

void gg_pg_sync_connection(const gg_pg_sync_page *sync, gg_pg_plan_connection *cs)
{
    *cs = (gg_pg_plan_connection){.pm = sync->pm,
                                  .args = sync->args,
                                  .default_limit = GG_PG_SYNC_DEFAULT_LIMIT,
                                  .table_sql = sync->table_sql,
                                  .auth_op = GG_AMPLIFY_OP_SYNC};
}

void gg_pg_sync_finish(const gg_pg_sync_page *sync, gg_val *value)
{
    if (value == NULL || value->kind != GG_VAL_OBJECT) return;
    gg_val_object_set(sync->arena, value, "startedAt", gg_val_int(sync->arena, sync->started_at));
    for (unsigned i = 0; i < value->count; i++) {
        gg_val *token = value->members[i].value;
        if (strcmp(value->members[i].key, "nextToken") != 0 || token == NULL || token->kind != GG_VAL_STRING) continue;
        const char *values[4] = {
            token->s,
            gg_arena_printf(sync->arena, "%" PRId64, sync->started_at),
            sync->delta ? "delta" : "base",
            sync->has_last_sync ? gg_arena_printf(sync->arena, "%" PRId64, sync->last_sync) : NULL,
        };
        const char *text = gg_cursor_encode(sync->arena, sync->key, context_of(sync->arena, sync->pm), values, 4);
        value->members[i].value = gg_val_string(sync->arena, text, strlen(text));
    }
}
