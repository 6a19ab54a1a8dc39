/* internal.h: what the files of server/realtime share: the hub, a connection, a subscription.
 *
 * hub.c          the thread's hub, the fanout between threads, event dispatch
 * connection.c   the websocket upgrade, sending (bounded queue), closing, timers
 * handshake.c    credentials of the upgrade (header- subprotocol, ?header= query, HTTP headers)
 * subscription.c starting a subscription and shaping an event with its own selection set
 * appsync.c      AppSync's real-time protocol (subprotocol graphql-ws)
 * transport_ws.c graphql-transport-ws (the graphql-ws library's protocol)
 * filter.c       classic argument filters and the Amplify v2 filter input
 * index.c        subscriptions by mutation name, and by the value of one equality filter
 * bus_postgres.c events to and from the other instances (bus.h; NOTIFY payloads: bus_payload.c)
 * Everything of a hub runs on its thread. */
#ifndef GG_REALTIME_INTERNAL_H
#define GG_REALTIME_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include <h2o.h>
#include <h2o/websocket.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/strmap.h"
#include "auth_sql.h"
#include "realtime.h"

typedef struct gg_rt_conn gg_rt_conn;
typedef struct gg_rt_sub gg_rt_sub;

/* A query or mutation running for a graphql-transport-ws connection (single result). */
typedef struct gg_rt_op {
    h2o_linklist_t link;          /* conn->ops while it runs for the connection */
    gg_rt_conn *conn;             /* NULL once the connection is gone or the client completed it */
    gg_rt_generation *generation; /* held until it completes: its execution runs on it */
    char *id;
    gg_auth_identity *identity;
} gg_rt_op;

typedef enum gg_rt_protocol { GG_RT_APPSYNC, GG_RT_TRANSPORT_WS } gg_rt_protocol;

typedef struct gg_rt_bucket gg_rt_bucket;

/* A connection's token expiry timer hops down timeouts of GG_RT_EXPIRY_STEP_MS << level (h2o 2.2.5
 * has one fixed duration per h2o_timeout_t): about 37 hours at most per hop, 16 ms late at worst. */
#define GG_RT_EXPIRY_LEVELS 24
#define GG_RT_EXPIRY_STEP_MS 16

/* Subscriptions listening to one mutation name (index.c). */
typedef struct gg_rt_topic {
    char *name;
    h2o_linklist_t subs; /* gg_rt_sub_link of subscriptions without an indexed equality */
    gg_strmap buckets;   /* "<field>\0<kind><value>" -> gg_rt_bucket of the others */
    char **fields;       /* the fields buckets are keyed by */
    unsigned field_count;
} gg_rt_topic;

struct gg_rt_hub {
    gg_rt_hub_setup setup;
    const gg_config *cfg;
    h2o_loop_t *loop;
    h2o_multithread_receiver_t receiver; /* events published on other threads */
    atomic_uint inbox;                   /* messages sent to this hub and not yet received */
    unsigned pubsub_id;
    h2o_linklist_t conns; /* gg_rt_conn */
    unsigned conn_count;
    h2o_linklist_t flush; /* connections with frames queued outside their own callback */
    gg_rt_topic **topics;
    unsigned topic_count, topic_cap;
    h2o_timeout_t init_timeout, keep_alive_timeout, close_timeout, close_soon_timeout;
    /* token expiry: GG_RT_EXPIRY_LEVELS timeouts of GG_RT_EXPIRY_STEP_MS << level, and reading
     * pauses (connection.c); set up with the first connection that needs one */
    h2o_timeout_t expiry_timeouts[GG_RT_EXPIRY_LEVELS];
    h2o_timeout_t pause_timeout; /* 0 ms: right after h2o's read callback (connection.c) */
    bool timeouts_ready;         /* expiry_timeouts and pause_timeout are set up */
    bool shutting_down;
    unsigned long delivered; /* events sent to subscribers (tests, metrics) */
    gg_buf message;          /* where gg_rt_conn_send_message builds a message (connection.c) */
};

struct gg_rt_conn {
    h2o_linklist_t link;       /* hub->conns */
    h2o_linklist_t flush_link; /* hub->flush, when linked */
    gg_rt_hub *hub;
    gg_rt_generation *generation; /* held from the upgrade to the end (realtime.h) */
    h2o_websocket_conn_t *ws;
    gg_rt_protocol protocol;
    char *api_key, *authorization; /* credentials of the upgrade (NULL: none) */
    struct sockaddr_storage peer;
    socklen_t peer_len;
    gg_auth_identity *identity; /* after connection_init (NULL: auth NONE or not yet) */
    bool init_received, acked, closing;
    bool close_queued;    /* the close frame is in wslay's queue (it waits for the frames before it) */
    bool ping_unanswered; /* graphql-transport-ws: a keep-alive ping went out and nothing came back since */
    int close_code;
    char close_reason[124];
    uint64_t close_started; /* when gg_rt_conn_close was called (ms, the loop's clock) */
    h2o_timeout_entry_t init_timer, keep_alive_timer, close_timer;
    h2o_timeout_entry_t expiry_timer, pause_timer;
    uint64_t expires_ms; /* when the first of its JWTs expires (Unix ms; 0: none does) */
    gg_rt_sub **subs;
    unsigned sub_count, sub_cap;
    h2o_linklist_t ops; /* gg_rt_op */
    unsigned op_count;
    bool in_callback; /* inside its own message callback: h2o writes its queue afterwards */
    gg_buf out;       /* the frame being written (connection.c, send_frame_piece); empty when idle */
};

typedef struct gg_rt_sub_link {
    h2o_linklist_t link; /* its topic's list or bucket */
    gg_rt_sub *sub;
    gg_rt_topic *topic;
    gg_rt_bucket *bucket; /* NULL: the topic's plain list */
    /* the @model whose mutation the topic is (NULL: another field, or subscriptions level public)
     * and its listen rules for the subscriber, decided at start: ALLOW, or PREDICATE (per row) */
    const gg_pg_model *model;
    gg_pg_auth_answer listen;
} gg_rt_sub_link;

struct gg_rt_sub {
    gg_rt_conn *conn;
    char *id;
    gg_doc *doc;
    char *operation_name; /* NULL: the document's only operation */
    cJSON *variables;     /* the raw variables (object) or NULL */
    char *variables_text; /* their JSON text ("" when none): shapes are shared per (doc, variables) */
    const char *field_name;
    gg_arena arena;        /* the start's work; empty once the subscription runs */
    gg_val *args;          /* the root field's coerced arguments (classic filters), in args_block */
    gg_val *owner_args;    /* those naming an owner rule's field, matched by identity (gg_rt_owner_match)
                              and left out of args; NULL: none */
    void *args_block;      /* one allocation holding args (subscription.c) */
    const gg_val *filter;  /* the `filter:` argument, or NULL */
    const char **caseless; /* the fields whose strings compare without case (citext columns of the
                            * subscribed mutations' models), NULL-terminated, for filter.h; NULL: none */
    gg_auth_identity *identity;
    gg_rt_sub_link *links;
    unsigned link_count;
};

/* ---- hub.c ---- */

/* Counts one more connection of the instance; false (nothing counted) at realtime.max_connections. */
bool gg_rt_fanout_take_connection(gg_rt_fanout *fanout);
void gg_rt_fanout_release_connection(gg_rt_fanout *fanout);

/* ---- connection.c ---- */

/* After a close frame is queued, the peer has this long to answer before the socket is closed. */
#define GG_RT_CLOSE_GRACE_MS 3000
/* wslay sends control frames before queued data: a close waits (checked this often) until the
 * frames queued before it have left, so a last error message reaches the client. */
#define GG_RT_CLOSE_CHECK_MS 10

/* Closes every connection of the hub at once and releases their timeouts (the hub is going away). */
void gg_rt_hub_close_all(gg_rt_hub *hub);

/* Queues a text frame (copied) and schedules its sending. Over realtime.max_send_queue_bytes the
 * connection is closed (slow consumer). */
void gg_rt_conn_send(gg_rt_conn *c, const char *text, size_t len);
/* Queues {"type":type[,"id":id][,"payload":payload]} (payload: JSON text, or NULL for none). */
void gg_rt_conn_send_message(gg_rt_conn *c, const char *type, const char *id, const char *payload, size_t len);
/* Queues an error message for id (NULL: none) in the connection's protocol: AppSync's
 * {"type":"error","id":..,"payload":{"errors":[E]}}, graphql-transport-ws's payload [E]. */
void gg_rt_conn_send_error(gg_rt_conn *c, const char *id, const char *error_type, const char *message);
/* Appends one GraphQL error object {"message":..,"errorType":..}. */
void gg_rt_write_error(gg_buf *out, const char *error_type, const char *message);
/* The string member name of object, or NULL. */
const char *gg_rt_string_member(const cJSON *object, const char *name);
/* The length of the longest prefix of the UTF-8 text s of at most max bytes that ends on a
 * character boundary (a message or close reason that quotes a client's text cuts it there). */
int gg_rt_utf8_prefix(const char *s, size_t max);
/* Queues a close frame (code, reason) and closes the connection after a grace period. */
void gg_rt_conn_close(gg_rt_conn *c, int code, const char *reason);
/* Authorizes the credentials (either may be NULL); returns the identity (a reference) or NULL
 * with refusal filled. *ok is false on refusal (with auth NONE: identity NULL, ok true). */
gg_auth_identity *gg_rt_conn_authorize(gg_rt_conn *c, const char *api_key, const char *authorization,
                                       gg_auth_refusal *refusal, bool *ok);
/* Starts the keep-alive timer (every realtime.keep_alive_interval_ms: AppSync a "ka" message,
 * graphql-transport-ws a websocket ping frame). */
void gg_rt_conn_start_keep_alive(gg_rt_conn *c);
/* The connection is closed when the token of identity expires (a JWT's valid_until), unless one
 * of its tokens expires sooner; NULL and identities that never expire change nothing. */
void gg_rt_conn_watch_expiry(gg_rt_conn *c, const gg_auth_identity *identity);
/* Stops the connection-init timer. */
void gg_rt_conn_init_done(gg_rt_conn *c);
/* The subscription of the connection with this id, or NULL. */
gg_rt_sub *gg_rt_conn_find(gg_rt_conn *c, const char *id);
/* The running operation of the connection with this id, or NULL. */
gg_rt_op *gg_rt_conn_find_op(gg_rt_conn *c, const char *id);
/* Detaches op from its connection: its answer, when it comes, is dropped and its statements are
 * not read (gg_gateway_cancel). */
void gg_rt_op_detach(gg_rt_op *op);

/* ---- handshake.c ---- */

/* Decodes base64 or base64url, with or without padding, ignoring whitespace, into a new
 * NUL-terminated string (*len bytes); NULL when not base64. */
char *gg_rt_base64_decode(const char *s, size_t len, size_t *out_len);
/* Fills *api_key and *authorization (new strings or NULL) from a JSON header object's text
 * ({"host":..,"x-api-key":..} or {"Authorization":..}). False when it is not a JSON object. */
bool gg_rt_header_credentials(const char *json, size_t len, char **api_key, char **authorization);
/* The credentials of an upgrade request for AppSync's protocol: the header- subprotocol, else
 * the ?header= query parameter, else the x-api-key / Authorization HTTP headers. */
void gg_rt_upgrade_credentials(h2o_req_t *req, bool appsync, char **api_key, char **authorization);

/* ---- subscription.c ---- */

/* Why a start failed (the protocol writes it its own way). */
typedef struct gg_rt_start_error {
    const char *error_type; /* AppSync errorType */
    char message[256];
    gg_buf errors;  /* {"errors":[...]} of a document that failed to parse or validate, else empty */
    bool execution; /* errors is an execution result (variables or arguments that do not coerce), not a
                     * document that fails validation: graphql-transport-ws sends it as next + complete */
} gg_rt_start_error;

/* Starts a subscription on c (the caller checked its id is new and the per-connection limit):
 * document from the thread's cache, operation a subscription, its root field's mutations
 * (@aws_subscribe) and arguments. Takes identity (a reference, may be NULL). NULL with *error
 * filled (free error->errors with gg_buf_free either way). */
gg_rt_sub *gg_rt_sub_start(gg_rt_conn *c, const char *id, const char *query, size_t query_len,
                           const char *operation_name, const cJSON *variables, gg_auth_identity *identity,
                           gg_rt_start_error *error);
/* Ends a subscription: out of the index and the connection, freed. */
void gg_rt_sub_stop(gg_rt_sub *sub);
/* Delivers one event (topic: the mutation's name; json: its result) to the hub's subscribers. */
void gg_rt_hub_dispatch(gg_rt_hub *hub, const char *topic, const char *json, size_t len);
/* Sends what the hub's connections queued outside their callbacks. */
void gg_rt_hub_flush(gg_rt_hub *hub);

/* ---- index.c ---- */

/* Files link (its sub filled in) under the topic: in the bucket of one of the sub's equalities, or
 * in the topic's plain list. */
void gg_rt_index_add(gg_rt_hub *hub, const char *topic, gg_rt_sub_link *link);
/* Takes link out of the index (an emptied bucket goes). */
void gg_rt_index_remove(gg_rt_sub_link *link);
typedef void (*gg_rt_visit_fn)(gg_rt_sub *sub, void *user);
/* Calls fn for every subscription of the topic that the event may reach (the plain list, then
 * the buckets of the event's values); fn must not change the index. False: no such topic. */
bool gg_rt_index_visit(gg_rt_hub *hub, const char *topic, const gg_val *event, gg_rt_visit_fn fn, void *user);
/* Whether the topic has subscriptions. */
bool gg_rt_index_has(gg_rt_hub *hub, const char *topic);
/* The topic of that name, or NULL. */
gg_rt_topic *gg_rt_index_topic(gg_rt_hub *hub, const char *name);
/* Frees the hub's topics (their subscriptions are gone). */
void gg_rt_index_free(gg_rt_hub *hub);

/* ---- appsync.c, transport_ws.c ---- */

void gg_rt_appsync_on_message(gg_rt_conn *c, const char *text, size_t len);
void gg_rt_appsync_send_data(gg_rt_conn *c, const gg_rt_sub *sub, const char *payload, size_t len);
void gg_rt_appsync_on_init_timeout(gg_rt_conn *c);
void gg_rt_appsync_on_token_expired(gg_rt_conn *c);
void gg_rt_transport_on_message(gg_rt_conn *c, const char *text, size_t len);
void gg_rt_transport_send_next(gg_rt_conn *c, const gg_rt_sub *sub, const char *payload, size_t len);
void gg_rt_transport_on_init_timeout(gg_rt_conn *c);
void gg_rt_transport_on_token_expired(gg_rt_conn *c);
void gg_rt_transport_on_keep_alive(gg_rt_conn *c);

#endif
