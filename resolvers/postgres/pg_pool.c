/* pg_pool.c: non-blocking, pipelined PostgreSQL connections on an h2o loop; see pg_pool.h.
 *
 * Per connection, a FIFO of expected replies: PREPARE (results until NULL, only checked),
 * QUERY (results until NULL; the first result is the answer) and SYNC (exactly one
 * PGRES_PIPELINE_SYNC, which is not followed by NULL). A successful query is answered only at its
 * sync, when its implicit transaction has committed: an error at commit (a deferred constraint)
 * arrives before the PGRES_PIPELINE_SYNC and becomes the answer instead. Reading drains the FIFO while libpq has
 * complete results (PQisBusy == 0). A connection is in one of three states: DOWN (waiting for the
 * retry timer), CONNECTING (driving PQconnectPoll/PQresetPoll from socket events) and READY.
 * The socket handed to h2o is a dup() of libpq's, because h2o_socket_close closes its fd, and it
 * is wrapped again after every connect step because libpq may open a new socket.
 *
 * Batching: libpq 15 flushes at every sync, so each query would be its own TCP segment and wake
 * the backend once (on a shared core, a context switch each way). Queries sent while the loop
 * handles one round of events are held back with TCP_CORK instead, and the cork is pulled by a
 * zero timeout that h2o runs at the end of the same loop iteration: the backend wakes once for
 * all the queries that round produced. Connections that are not TCP (Unix sockets) skip this. */
#include "pg_pool.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/strmap.h"

typedef enum { ITEM_PREPARE, ITEM_QUERY, ITEM_SYNC } item_kind;

typedef struct pg_item {
    h2o_linklist_t link;
    item_kind kind;
    gg_pg_result_cb cb;
    void *user;
    PGresult *result;       /* first result of a PREPARE or QUERY */
    const char *statement;  /* PREPARE: the statement name (a key of the connection's map) */
    struct pg_item *query;  /* PREPARE: the QUERY item that executes it; SYNC: the query (taken out of
                             * the FIFO) answered when this sync confirms its commit */
    PGresult *prepare_error; /* QUERY: the failed PREPARE's error, reported instead of "aborted" */
} pg_item;

typedef enum { CONN_DOWN, CONN_CONNECTING, CONN_READY } conn_state;

typedef struct pg_conn {
    gg_pg_pool *pool;
    PGconn *pg;
    conn_state state;
    bool resetting; /* connecting through PQresetPoll rather than PQconnectPoll */
    h2o_socket_t *sock;
    h2o_linklist_t items; /* FIFO of pg_item */
    unsigned queries_in_flight;
    gg_arena arena;     /* prepared statement names of this session */
    gg_strmap prepared; /* statement name -> SQL text */
    h2o_timeout_entry_t retry_entry;
    bool corked;  /* TCP_CORK set: queries wait for the end of the loop iteration */
    bool no_cork; /* the socket refused TCP_CORK (not TCP) */
} pg_conn;

struct gg_pg_pool {
    h2o_loop_t *loop;
    pg_conn *conns;
    unsigned size;
    h2o_timeout_t retry_timeout;
    h2o_timeout_t zero_timeout;      /* runs at the end of the current loop iteration */
    h2o_timeout_entry_t uncork_entry; /* linked while some connection is corked */
    gg_pg_pool_stats stats;
    char last_error[256];
    bool destroying;
    char *conninfo;
    unsigned statement_timeout_ms;
};

static void conn_start(pg_conn *c);
static void conn_lost(pg_conn *c, const char *why);
static void conn_connect_step(pg_conn *c);

/* ---- helpers ---- */

static void pool_note_error(gg_pg_pool *pool, const char *msg)
{
    snprintf(pool->last_error, sizeof pool->last_error, "%s", msg ? msg : "unknown error");
    size_t n = strlen(pool->last_error);
    while (n > 0 && (pool->last_error[n - 1] == '\n' || pool->last_error[n - 1] == ' '))
        pool->last_error[--n] = '\0';
}

static void statement_name(const char *sql, char out[24])
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    snprintf(out, 24, "gg_%016llx", (unsigned long long)h);
}

static void notice_to_nowhere(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* server notices (e.g. FATAL on shutdown) must not go to stderr per query */
}

/* ---- socket plumbing ---- */

static void conn_detach(pg_conn *c)
{
    if (c->sock != NULL) {
        h2o_socket_read_stop(c->sock);
        h2o_socket_close(c->sock); /* closes only our dup() */
        c->sock = NULL;
    }
}

static void on_readable(h2o_socket_t *sock, const char *err);
static void on_writable(h2o_socket_t *sock, const char *err);

static bool conn_attach(pg_conn *c)
{
    conn_detach(c);
    int fd = PQsocket(c->pg);
    if (fd < 0)
        return false;
    int copy = dup(fd);
    if (copy < 0)
        return false;
    c->corked = false; /* a new socket (libpq may open one per connect step) */
    c->no_cork = false;
    c->sock = h2o_evloop_socket_create(c->pool->loop, copy, H2O_SOCKET_FLAG_DONT_READ);
    c->sock->data = c;
    h2o_socket_read_start(c->sock, on_readable);
    return true;
}

static void conn_flush(pg_conn *c)
{
    int r = PQflush(c->pg);
    if (r < 0) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    if (r == 1 && c->sock != NULL && !h2o_socket_is_writing(c->sock))
        h2o_socket_notify_write(c->sock, on_writable);
}

/* Holds this connection's writes until the end of the loop iteration (see the top). */
static void conn_cork(pg_conn *c)
{
    if (c->corked || c->no_cork) return;
    int on = 1;
    if (setsockopt(PQsocket(c->pg), IPPROTO_TCP, TCP_CORK, &on, sizeof on) != 0) {
        c->no_cork = true;
        return;
    }
    c->corked = true;
    if (!h2o_timeout_is_linked(&c->pool->uncork_entry))
        h2o_timeout_link(c->pool->loop, &c->pool->zero_timeout, &c->pool->uncork_entry);
}

static void conn_uncork(pg_conn *c)
{
    if (!c->corked) return;
    c->corked = false;
    int off = 0;
    if (c->pg != NULL && PQsocket(c->pg) >= 0)
        (void)setsockopt(PQsocket(c->pg), IPPROTO_TCP, TCP_CORK, &off, sizeof off);
}

static void on_uncork(h2o_timeout_entry_t *entry)
{
    gg_pg_pool *pool = H2O_STRUCT_FROM_MEMBER(gg_pg_pool, uncork_entry, entry);
    for (unsigned i = 0; i < pool->size; i++)
        conn_uncork(&pool->conns[i]);
}

/* ---- replies ---- */

static void item_finish(pg_conn *c, pg_item *item, gg_pg_status status)
{
    if (h2o_linklist_is_linked(&item->link))
        h2o_linklist_unlink(&item->link);
    if (item->kind == ITEM_QUERY) {
        c->queries_in_flight--;
        if (status != GG_PG_OK)
            c->pool->stats.failures++;
        const PGresult *shown = item->result;
        if (status == GG_PG_ERROR && item->prepare_error != NULL &&
            (shown == NULL || PQresultStatus(shown) == PGRES_PIPELINE_ABORTED))
            shown = item->prepare_error; /* the cause, rather than "pipeline aborted" */
        if (item->cb != NULL)
            item->cb(item->user, status, shown);
    }
    if (item->result != NULL)
        PQclear(item->result);
    if (item->prepare_error != NULL)
        PQclear(item->prepare_error);
    free(item);
}

static gg_pg_status result_status(const PGresult *r)
{
    switch (PQresultStatus(r)) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK: return GG_PG_OK;
    default: return GG_PG_ERROR;
    }
}

/* Consumes every complete reply, in order. */
static void conn_drain(pg_conn *c)
{
    while (!h2o_linklist_is_empty(&c->items) && !PQisBusy(c->pg)) {
        pg_item *item = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
        PGresult *r = PQgetResult(c->pg);
        if (item->kind == ITEM_SYNC) {
            if (r == NULL)
                continue; /* the NULL that ends the previous query's results */
            ExecStatusType st = PQresultStatus(r);
            pg_item *q = item->query;
            if (st != PGRES_PIPELINE_SYNC && q != NULL && result_status(q->result) == GG_PG_OK) {
                PQclear(q->result); /* the commit failed (a deferred constraint ...): that is the answer */
                q->result = r;
            } else {
                PQclear(r);
            }
            if (st == PGRES_PIPELINE_SYNC) {
                item->query = NULL;
                item_finish(c, item, GG_PG_OK); /* first: q's callback may send queries, or lose the connection */
                if (q != NULL)
                    item_finish(c, q, result_status(q->result));
            }
            continue;
        }
        if (r != NULL) {
            if (item->result == NULL)
                item->result = r;
            else
                PQclear(r);
            continue;
        }
        /* NULL: the end of this item's results */
        if (item->kind == ITEM_PREPARE) {
            if (item->result != NULL && result_status(item->result) != GG_PG_OK) {
                /* not prepared after all: the next query of this text prepares it again */
                pool_note_error(c->pool, PQresultErrorMessage(item->result));
                gg_strmap_put(&c->prepared, item->statement, strlen(item->statement), NULL);
                if (item->query != NULL && item->query->prepare_error == NULL) {
                    item->query->prepare_error = item->result;
                    item->result = NULL;
                }
            }
            item_finish(c, item, GG_PG_OK);
            continue;
        }
        gg_pg_status status = item->result == NULL ? GG_PG_ERROR : result_status(item->result);
        if (status == GG_PG_OK)
            c->pool->stats.statements++;
        pg_item *next = item->link.next != &c->items ? H2O_STRUCT_FROM_MEMBER(pg_item, link, item->link.next) : NULL;
        if (status == GG_PG_OK && next != NULL && next->kind == ITEM_SYNC) {
            /* answered once its sync point confirms the implicit transaction committed */
            h2o_linklist_unlink(&item->link);
            next->query = item;
            continue;
        }
        item_finish(c, item, status);
    }
}

static void fail_items(pg_conn *c)
{
    while (!h2o_linklist_is_empty(&c->items)) {
        pg_item *item = H2O_STRUCT_FROM_MEMBER(pg_item, link, c->items.next);
        if (item->result != NULL) {
            PQclear(item->result);
            item->result = NULL;
        }
        pg_item *q = item->kind == ITEM_SYNC ? item->query : NULL; /* a query waiting for its commit */
        item->query = NULL;
        if (q != NULL) {
            PQclear(q->result);
            q->result = NULL;
            item_finish(c, q, GG_PG_LOST);
        }
        item_finish(c, item, GG_PG_LOST);
    }
}

/* ---- connection life ---- */

static void on_retry(h2o_timeout_entry_t *entry)
{
    pg_conn *c = H2O_STRUCT_FROM_MEMBER(pg_conn, retry_entry, entry);
    conn_start(c);
}

static void conn_schedule_retry(pg_conn *c)
{
    c->state = CONN_DOWN;
    if (!c->pool->destroying && !h2o_timeout_is_linked(&c->retry_entry))
        h2o_timeout_link(c->pool->loop, &c->pool->retry_timeout, &c->retry_entry);
}

static void conn_lost(pg_conn *c, const char *why)
{
    pool_note_error(c->pool, why);
    conn_detach(c);
    fail_items(c);
    c->state = CONN_DOWN;
    c->resetting = true; /* next attempt: PQresetStart on the same PGconn */
    conn_schedule_retry(c);
}

static void conn_ready(pg_conn *c)
{
    if (PQsetnonblocking(c->pg, 1) != 0 || PQenterPipelineMode(c->pg) != 1) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    gg_arena_free(&c->arena);
    gg_arena_init(&c->arena);
    gg_strmap_init(&c->prepared, &c->arena);
    if (c->resetting)
        c->pool->stats.reconnects++;
    c->resetting = false;
    c->state = CONN_READY;
}

static void conn_connect_step(pg_conn *c)
{
    PostgresPollingStatusType st = c->resetting ? PQresetPoll(c->pg) : PQconnectPoll(c->pg);
    switch (st) {
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
        if (!conn_attach(c)) {
            conn_lost(c, "cannot watch the database socket");
            return;
        }
        if (st == PGRES_POLLING_WRITING)
            h2o_socket_notify_write(c->sock, on_writable);
        return;
    case PGRES_POLLING_OK:
        if (!conn_attach(c)) {
            conn_lost(c, "cannot watch the database socket");
            return;
        }
        conn_ready(c);
        return;
    default:
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
}

static void conn_start(pg_conn *c)
{
    c->state = CONN_CONNECTING;
    if (c->pg != NULL && c->resetting) {
        if (!PQresetStart(c->pg)) {
            conn_lost(c, PQerrorMessage(c->pg));
            return;
        }
    } else {
        /* The URL's own parameters, with application_name defaulted and statement_timeout added to
         * (not replacing) its `options`. */
        PQconninfoOption *opts = PQconninfoParse(c->pool->conninfo, NULL);
        const char *keys[64], *values[64];
        char options[512];
        unsigned n = 0;
        bool has_options = false, has_name = false;
        for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL && n < 60; o++) {
            if (o->val == NULL)
                continue;
            keys[n] = o->keyword;
            values[n] = o->val;
            if (strcmp(o->keyword, "options") == 0 && c->pool->statement_timeout_ms > 0) {
                snprintf(options, sizeof options, "%s -c statement_timeout=%u", o->val, c->pool->statement_timeout_ms);
                values[n] = options;
                has_options = true;
            }
            has_name |= strcmp(o->keyword, "application_name") == 0;
            n++;
        }
        if (!has_options && c->pool->statement_timeout_ms > 0) {
            snprintf(options, sizeof options, "-c statement_timeout=%u", c->pool->statement_timeout_ms);
            keys[n] = "options";
            values[n++] = options;
        }
        if (!has_name) {
            keys[n] = "application_name";
            values[n++] = "graphgate";
        }
        keys[n] = NULL;
        values[n] = NULL;
        c->pg = PQconnectStartParams(keys, values, 0);
        PQconninfoFree(opts);
        if (c->pg == NULL) {
            pool_note_error(c->pool, "out of memory");
            conn_schedule_retry(c);
            return;
        }
        PQsetNoticeProcessor(c->pg, notice_to_nowhere, NULL);
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            pool_note_error(c->pool, PQerrorMessage(c->pg));
            PQfinish(c->pg);
            c->pg = NULL;
            conn_schedule_retry(c);
            return;
        }
    }
    conn_connect_step(c);
}

static void on_readable(h2o_socket_t *sock, const char *err)
{
    pg_conn *c = sock->data;
    (void)err;
    if (c->state == CONN_CONNECTING) {
        conn_connect_step(c);
        return;
    }
    if (c->state != CONN_READY)
        return;
    if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    conn_drain(c);
    if (c->state == CONN_READY && PQstatus(c->pg) == CONNECTION_BAD)
        conn_lost(c, PQerrorMessage(c->pg));
}

static void on_writable(h2o_socket_t *sock, const char *err)
{
    pg_conn *c = sock->data;
    (void)err;
    if (c->state == CONN_CONNECTING)
        conn_connect_step(c);
    else if (c->state == CONN_READY)
        conn_flush(c);
}

/* ---- public API ---- */

gg_pg_pool *gg_pg_pool_create(h2o_loop_t *loop, const gg_pg_pool_config *config, const char **error)
{
    if (config == NULL || config->conninfo == NULL || config->conninfo[0] == '\0') {
        *error = "no database URL configured";
        return NULL;
    }
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(config->conninfo, &msg);
    if (opts == NULL) {
        *error = "the database URL cannot be parsed";
        PQfreemem(msg);
        return NULL;
    }
    PQconninfoFree(opts);
    gg_pg_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL || (pool->conninfo = strdup(config->conninfo)) == NULL) {
        free(pool);
        *error = "out of memory";
        return NULL;
    }
    pool->statement_timeout_ms = config->statement_timeout_ms;
    pool->loop = loop;
    pool->size = config->size ? config->size : 2;
    pool->conns = calloc(pool->size, sizeof(pg_conn));
    if (pool->conns == NULL) {
        free(pool->conninfo);
        free(pool);
        *error = "out of memory";
        return NULL;
    }
    h2o_timeout_init(loop, &pool->retry_timeout, config->reconnect_interval_ms ? config->reconnect_interval_ms : 1000);
    h2o_timeout_init(loop, &pool->zero_timeout, 0);
    pool->uncork_entry.cb = on_uncork;
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        c->pool = pool;
        h2o_linklist_init_anchor(&c->items);
        gg_arena_init(&c->arena);
        gg_strmap_init(&c->prepared, &c->arena);
        c->retry_entry.cb = on_retry;
        conn_start(c);
    }
    return pool;
}

void gg_pg_pool_destroy(gg_pg_pool *pool)
{
    if (pool == NULL)
        return;
    pool->destroying = true;
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        if (h2o_timeout_is_linked(&c->retry_entry))
            h2o_timeout_unlink(&c->retry_entry);
        conn_detach(c);
        fail_items(c);
        if (c->pg != NULL)
            PQfinish(c->pg);
        gg_arena_free(&c->arena);
    }
    if (h2o_timeout_is_linked(&pool->uncork_entry))
        h2o_timeout_unlink(&pool->uncork_entry);
    h2o_timeout_dispose(pool->loop, &pool->zero_timeout);
    h2o_timeout_dispose(pool->loop, &pool->retry_timeout);
    free(pool->conns);
    free(pool->conninfo);
    free(pool);
}

static pg_conn *pick_connection(gg_pg_pool *pool)
{
    pg_conn *best = NULL;
    for (unsigned i = 0; i < pool->size; i++) {
        pg_conn *c = &pool->conns[i];
        if (c->state == CONN_READY && (best == NULL || c->queries_in_flight < best->queries_in_flight))
            best = c;
    }
    return best;
}

static pg_item *push_item(pg_conn *c, item_kind kind)
{
    pg_item *item = calloc(1, sizeof *item);
    if (item == NULL) {
        fprintf(stderr, "graphgate: out of memory\n");
        abort();
    }
    item->kind = kind;
    h2o_linklist_insert(&c->items, &item->link);
    return item;
}

void gg_pg_pool_query(gg_pg_pool *pool, const char *sql, int param_count, const char *const *values,
                      gg_pg_result_cb cb, void *user)
{
    pg_conn *c = pick_connection(pool);
    if (c == NULL) {
        pool->stats.failures++;
        cb(user, GG_PG_UNAVAILABLE, NULL);
        return;
    }
    char name[24];
    statement_name(sql, name);
    conn_cork(c);
    const char *known = gg_strmap_get(&c->prepared, name, strlen(name));
    pg_item *prepare = NULL;
    bool sent;
    if (known == NULL) {
        sent = PQsendPrepare(c->pg, name, sql, param_count, NULL) == 1;
        if (sent) {
            prepare = push_item(c, ITEM_PREPARE);
            char *key = gg_arena_strdup(&c->arena, name);
            gg_strmap_put(&c->prepared, key, strlen(key), gg_arena_strdup(&c->arena, sql));
            prepare->statement = key;
            pool->stats.prepares++;
            known = sql;
        }
    } else {
        sent = true;
    }
    if (sent && strcmp(known, sql) == 0)
        sent = PQsendQueryPrepared(c->pg, name, param_count, values, NULL, NULL, 0) == 1;
    else if (sent) /* a hash collision: run it unprepared */
        sent = PQsendQueryParams(c->pg, sql, param_count, NULL, values, NULL, NULL, 0) == 1;
    if (sent) {
        pg_item *item = push_item(c, ITEM_QUERY);
        item->cb = cb;
        item->user = user;
        if (prepare != NULL)
            prepare->query = item;
        c->queries_in_flight++;
        sent = PQpipelineSync(c->pg) == 1;
        if (sent)
            push_item(c, ITEM_SYNC);
    } else {
        /* nothing queued for this query: answer it here, then treat the connection as lost */
        pool->stats.failures++;
        cb(user, GG_PG_LOST, NULL);
    }
    pool->stats.round_trips++;
    if (!sent) {
        conn_lost(c, PQerrorMessage(c->pg));
        return;
    }
    conn_flush(c);
}

unsigned gg_pg_pool_ready(const gg_pg_pool *pool)
{
    unsigned n = 0;
    for (unsigned i = 0; i < pool->size; i++)
        n += pool->conns[i].state == CONN_READY;
    return n;
}

gg_pg_pool_stats gg_pg_pool_get_stats(const gg_pg_pool *pool)
{
    gg_pg_pool_stats s = pool->stats;
    s.ready = gg_pg_pool_ready(pool);
    return s;
}

const char *gg_pg_pool_last_error(const gg_pg_pool *pool)
{
    return pool->last_error;
}
