/* workers.c: the bounded worker pool that runs blocking resolvers (gg_plugin_add_blocking_resolver),
 * and the handoff of their answers back to the event loop that asked.
 *
 * Why a pool: a resolver that calls a blocking library (getaddrinfo, crypt, a vendor SDK) would stop
 * every request of its event loop while it waits. Its call is queued instead; a few threads
 * (plugins_worker_threads, started at the first blocking call) take calls one at a time and run the
 * resolver; the answer travels back through an h2o multithread queue of the loop that queued it
 * (one per event-loop thread, made by gg_plugins_loop_attach), whose callback completes the field
 * there, as a PostgreSQL result would.
 *
 * The handoff, kept simple on purpose (one mutex, one condition variable, one h2o queue per loop):
 *  - the loop makes a job (malloc), points call->job at it and appends it to the pool's list under
 *    the mutex; from then on the loop does not touch the call, its info, args, parent or stash: the
 *    field is pending and the execution (and its arena) waits for it;
 *  - a worker takes the job under the mutex, runs resolve outside it, reading the request's values
 *    (read-only) and building its answer in the job's own arena (the request arena is the loop's:
 *    arenas are not thread-safe); it then sends the job to the loop's receiver;
 *  - the loop's callback copies the answer into the request arena, clears call->job, frees the job
 *    and completes the field (or the pipeline step).
 * The mutex and h2o's queue (a mutex and a pipe) order every write of one side before the other
 * side's reads. Each loop counts its jobs not yet back (its own thread only); gg_plugins_loop_detach
 * completes its jobs still queued with ServiceUnavailable and runs the loop until the running ones
 * are back, so no job outlives the loop, its queue or its requests. gg_plugins_workers_stop then
 * joins the threads (the server calls it after every loop stopped). */
#include <h2o.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "host.h"
#include "plugin_internal.h"

/* Calls waiting for a worker at most; more fail at once with ServiceUnavailable. */
#define GG_PLUGIN_MAX_QUEUED 10000

/* One event-loop thread's end of the handoff. */
typedef struct loop_home {
    h2o_loop_t *loop;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t receiver;
    unsigned in_flight; /* jobs queued or running, not yet back (this loop's thread only) */
} loop_home;

struct gg_plugin_job {
    h2o_multithread_message_t handoff; /* the link in the loop's queue */
    gg_plugin_job *next;               /* the link in the pool's list */
    gg_plugin_call *call;
    loop_home *home;
    gg_arena arena; /* the answer's memory: made and written on the worker, read and freed on the loop */
    bool answered, failed;
    gg_val *value;
    const char *error_type, *message;
};

static _Thread_local loop_home *this_home; /* the loop of this thread, if it is an event-loop thread */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    unsigned size; /* threads to start (plugins_worker_threads) */
    pthread_t *threads;
    unsigned started;
    gg_plugin_job *head, *tail;
    unsigned queued;
    bool stopping;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .size = GG_PLUGIN_WORKERS_DEFAULT};

void gg_plugins_workers_configure(unsigned threads)
{
    pthread_mutex_lock(&pool.lock);
    if (pool.started == 0 && threads > 0) pool.size = threads;
    pthread_mutex_unlock(&pool.lock);
}

gg_arena *gg_plugins_job_arena(gg_plugin_job *job)
{
    return &job->arena;
}

void gg_plugins_job_answer(gg_plugin_job *job, gg_val *value, bool failed, const char *error_type, const char *message)
{
    job->answered = true;
    job->failed = failed;
    job->value = value;
    job->error_type = error_type != NULL ? gg_arena_strdup(&job->arena, error_type) : NULL;
    job->message = message != NULL ? gg_arena_strdup(&job->arena, message) : NULL;
}

/* ---- the worker threads ---- */

static void *worker_main(void *unused)
{
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        while (pool.head == NULL && !pool.stopping)
            pthread_cond_wait(&pool.wake, &pool.lock);
        gg_plugin_job *job = pool.head;
        if (job == NULL) { /* stopping, nothing left */
            pthread_mutex_unlock(&pool.lock);
            return NULL;
        }
        pool.head = job->next;
        if (pool.head == NULL) pool.tail = NULL;
        pool.queued--;
        pthread_mutex_unlock(&pool.lock);

        gg_arena_init(&job->arena);
        job->call->resolver->resolve(job->call);
        if (!job->answered) {
            const gg_plugin_resolver *r = job->call->resolver;
            gg_log_error("plugin %s: blocking resolver %s returned without completing its call", r->plugin->name,
                         r->name);
            job->call->completed = true;
            gg_plugins_job_answer(job, NULL, true, "InternalFailure", "The resolver returned no answer.");
        }
        h2o_multithread_send_message(&job->home->receiver, &job->handoff);
    }
}

/* Starts the threads (under pool.lock); false when none could start. */
static bool start_threads(void)
{
    if (pool.started > 0) return true;
    pool.threads = calloc(pool.size, sizeof *pool.threads);
    if (pool.threads == NULL) abort();
    for (unsigned i = 0; i < pool.size; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker_main, NULL) != 0) break;
        pool.started++;
    }
    if (pool.started < pool.size)
        gg_log_error("plugins: only %u of %u worker threads could start", pool.started, pool.size);
    if (pool.started > 0)
        gg_log_info("plugins: %u worker thread%s for blocking resolvers", pool.started, pool.started == 1 ? "" : "s");
    return pool.started > 0;
}

void gg_plugins_workers_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (unsigned i = 0; i < pool.started; i++)
        pthread_join(pool.threads[i], NULL);
    free(pool.threads);
    pool.threads = NULL;
    pool.started = 0;
    pool.stopping = false; /* a later server (tests, benchmarks) may start them again */
}

/* ---- the loop's side ---- */

/* A deep copy of v in arena (a job's answer moving into the request arena). Values of the request
 * itself (an argument returned as it is) are copied too: simpler than telling them apart. */
static gg_val *copy_value(gg_arena *arena, const gg_val *v)
{
    if (v == NULL || v->kind == GG_VAL_NULL || v->kind == GG_VAL_UNDEFINED) return &gg_val_null_value;
    if (v->kind == GG_VAL_BOOL) return gg_val_bool(v->b);
    gg_val *copy = gg_val_new(arena, v->kind);
    *copy = *v;
    switch (v->kind) {
    case GG_VAL_STRING:
    case GG_VAL_ENUM:
    case GG_VAL_RAW:
        copy->s = gg_arena_strndup(arena, v->s, v->len);
        break;
    case GG_VAL_LIST:
        copy->items = gg_arena_array(arena, v->count ? v->count : 1, sizeof *copy->items);
        for (unsigned i = 0; i < v->count; i++)
            copy->items[i] = copy_value(arena, v->items[i]);
        copy->len = v->count;
        break;
    case GG_VAL_OBJECT:
        copy->members = gg_arena_array(arena, v->count ? v->count : 1, sizeof *copy->members);
        for (unsigned i = 0; i < v->count; i++) {
            copy->members[i].key = gg_arena_strdup(arena, v->members[i].key);
            copy->members[i].value = copy_value(arena, v->members[i].value);
        }
        copy->len = v->count;
        break;
    default:
        break;
    }
    return copy;
}

/* Completes job's call on the loop with its answer, copied into the request arena, and frees job. */
static void deliver(gg_plugin_job *job)
{
    gg_plugin_call *call = job->call;
    gg_arena *arena = call->info->arena;
    job->home->in_flight--;
    call->job = NULL;
    if (job->failed) {
        const char *type = job->error_type != NULL ? gg_arena_strdup(arena, job->error_type) : NULL;
        const char *message = gg_arena_strdup(arena, job->message != NULL ? job->message : "");
        gg_arena_free(&job->arena);
        free(job);
        gg_plugins_finish_error(call, type, message);
        return;
    }
    gg_val *value = copy_value(arena, job->value);
    gg_arena_free(&job->arena);
    free(job);
    gg_plugins_finish(call, value);
}

static void on_answers(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        gg_plugin_job *job = H2O_STRUCT_FROM_MEMBER(gg_plugin_job, handoff.link, messages->next);
        h2o_linklist_unlink(&job->handoff.link);
        deliver(job);
    }
}

/* Completes call with ServiceUnavailable (a job that never ran: its arena was never made). */
static void refuse(gg_plugin_call *call, const char *message)
{
    call->completed = true;
    gg_plugins_finish_error(call, "ServiceUnavailable", message);
}

void gg_plugins_run_blocking(gg_plugin_call *call)
{
    if (this_home == NULL) { /* not an event-loop thread of the server (no handoff to come back to) */
        refuse(call, "Blocking resolvers run only in the server.");
        return;
    }
    gg_plugin_job *job = calloc(1, sizeof *job);
    if (job == NULL) abort();
    job->call = call;
    job->home = this_home;
    call->job = job;
    pthread_mutex_lock(&pool.lock);
    bool accepted = pool.queued < GG_PLUGIN_MAX_QUEUED && start_threads();
    if (accepted) {
        if (pool.tail != NULL)
            pool.tail->next = job;
        else
            pool.head = job;
        pool.tail = job;
        pool.queued++;
        pthread_cond_signal(&pool.wake);
    }
    pthread_mutex_unlock(&pool.lock);
    if (!accepted) {
        call->job = NULL;
        free(job);
        refuse(call, "Too many blocking calls are waiting.");
        return;
    }
    this_home->in_flight++;
}

void gg_plugins_loop_attach(h2o_loop_t *loop)
{
    loop_home *home = calloc(1, sizeof *home);
    if (home == NULL) abort();
    home->loop = loop;
    home->queue = h2o_multithread_create_queue(loop);
    h2o_multithread_register_receiver(home->queue, &home->receiver, on_answers);
    this_home = home;
}

void gg_plugins_loop_detach(void)
{
    loop_home *home = this_home;
    if (home == NULL) return;
    /* This loop's calls still waiting for a worker never run. */
    gg_plugin_job *mine = NULL, **link = &mine;
    pthread_mutex_lock(&pool.lock);
    pool.tail = NULL;
    for (gg_plugin_job **at = &pool.head; *at != NULL;) {
        gg_plugin_job *job = *at;
        if (job->home == home) {
            *at = job->next;
            job->next = NULL;
            *link = job;
            link = &job->next;
            pool.queued--;
        } else {
            pool.tail = job;
            at = &job->next;
        }
    }
    pthread_mutex_unlock(&pool.lock);
    unsigned refused = 0;
    for (const gg_plugin_job *job = mine; job != NULL; job = job->next)
        refused++;
    if (refused > 0)
        gg_log_warn("plugins: %u blocking call%s still queued at shutdown fail%s with ServiceUnavailable", refused,
                    refused == 1 ? "" : "s", refused == 1 ? "s" : "");
    while (mine != NULL) {
        gg_plugin_job *job = mine;
        mine = job->next;
        home->in_flight--;
        job->call->job = NULL;
        gg_plugin_call *call = job->call;
        free(job);
        refuse(call, "The server is shutting down.");
    }
    /* Those running finish: their answers come back through the queue. */
    while (home->in_flight > 0)
        h2o_evloop_run(home->loop, 10);
    h2o_multithread_unregister_receiver(home->queue, &home->receiver);
    h2o_multithread_destroy_queue(home->queue);
    h2o_evloop_run(home->loop, 0); /* with evloop, the queue's socket closes on the next turn */
    free(home->queue);
    free(home);
    this_home = NULL;
}
