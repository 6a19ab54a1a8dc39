/* generation.c: generations (what a reload replaces), the workers' views of them, and the reload
 * protocol between the main thread and the workers (generation.h says what each holds and why).
 *
 * A reload is two rounds of messages from the main thread to every worker (h2o's multithread queue:
 * each worker acts on its own loop, between requests), each round waited for on a semaphore:
 *   PREPARE  each worker makes its view of the new generation (plugins' per-thread start, caches);
 *   COMMIT   every worker prepared: each makes it its current view and drops its hold on the old;
 *   ABORT    some worker failed: each drops what it prepared; the old generation keeps serving.
 * The main thread takes no lock the workers take: they only read the step while it waits. */
#include "generation.h"

#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"

#define AUTH_CACHE_TOKENS 4096 /* verified tokens remembered per worker thread and generation */

struct gg_generation {
    atomic_uint refs; /* the server's list, plus one per view */
    unsigned number;
    gg_config *cfg; /* owned; NULL for the start-up generation (main's configuration) */
    gg_gateway *gateway;
    gg_auth_verifier *verifier;
    gg_generation *next; /* the server's list */
};

typedef enum reload_phase { RELOAD_PREPARE, RELOAD_COMMIT, RELOAD_ABORT } reload_phase;

/* The reload in progress: written by the main thread before each round, read by the workers. */
typedef struct gg_reload_step {
    reload_phase phase;
    gg_generation *generation;
    sem_t done;           /* each worker posts once per round */
    pthread_mutex_t lock; /* guards failure */
    char failure[1100];   /* the first worker's reason; "" while none failed */
} gg_reload_step;

gg_generation *gg_generation_new(gg_config *cfg, gg_gateway *gateway, gg_auth_verifier *verifier)
{
    gg_generation *g = calloc(1, sizeof *g);
    if (g == NULL) abort();
    atomic_init(&g->refs, 0);
    g->cfg = cfg;
    g->gateway = gateway;
    g->verifier = verifier;
    return g;
}

void gg_generation_free(gg_generation *g)
{
    if (g == NULL) return;
    gg_gateway_free(g->gateway); /* the plugins' shutdown, then dlclose */
    gg_auth_verifier_free(g->verifier);
    if (g->cfg != NULL) {
        gg_config_free(g->cfg);
        free(g->cfg);
    }
    free(g);
}

const gg_config *gg_generation_config(const gg_generation *g)
{
    return g->cfg;
}

unsigned gg_generation_number(const gg_generation *g)
{
    return g->number;
}

const gg_gateway *gg_generation_gateway(const gg_generation *g)
{
    return g->gateway;
}

gg_auth_verifier *gg_generation_verifier(const gg_generation *g)
{
    return g->verifier;
}

/* ---- views (each on its worker's thread) ---- */

static void realtime_hold(gg_rt_generation *rt)
{
    gg_view_hold(H2O_STRUCT_FROM_MEMBER(gg_view, rt, rt));
}

static void realtime_release(gg_rt_generation *rt)
{
    gg_view_release(H2O_STRUCT_FROM_MEMBER(gg_view, rt, rt));
}

gg_rt_generation *gg_view_hold_for_websocket(void *worker)
{
    gg_worker *w = worker;
    return &gg_view_hold(w->view)->rt;
}

gg_view *gg_view_new(gg_worker *w, gg_generation *g, gg_fault *fault)
{
    gg_view *v = calloc(1, sizeof *v);
    if (v == NULL) abort();
    if (!gg_gateway_thread_start(g->gateway, fault)) {
        free(v);
        return NULL;
    }
    v->generation = g;
    atomic_fetch_add(&g->refs, 1);
    v->rt.gateway = g->gateway;
    v->rt.cache = gg_doc_cache_new(g->gateway, w->server->cfg->document_cache_size);
    v->rt.verifier = g->verifier;
    if (g->verifier != NULL) v->rt.auth_cache = gg_auth_cache_new(AUTH_CACHE_TOKENS);
    v->rt.hold = realtime_hold;
    v->rt.release = realtime_release;
    gg_rt_generation_init(&v->rt);
    v->holds = 1;
    return v;
}

gg_view *gg_view_hold(gg_view *v)
{
    v->holds++;
    return v;
}

void gg_view_release(gg_view *v)
{
    if (v == NULL || --v->holds > 0) return;
    gg_gateway_thread_stop(v->generation->gateway); /* every execution on this thread has completed */
    gg_rt_generation_dispose(&v->rt);
    gg_doc_cache_free(v->rt.cache);
    gg_auth_cache_free(v->rt.auth_cache);      /* every execution holding one of its identities completed */
    atomic_fetch_sub(&v->generation->refs, 1); /* the main thread frees the generation (reap) */
    free(v);
}

/* ---- the workers' side of a reload ---- */

static void report_failure(gg_reload_step *step, unsigned index, const char *why)
{
    pthread_mutex_lock(&step->lock);
    if (step->failure[0] == '\0') snprintf(step->failure, sizeof step->failure, "thread %u: %s", index, why);
    pthread_mutex_unlock(&step->lock);
}

static void on_reload_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    gg_worker *w = H2O_STRUCT_FROM_MEMBER(gg_worker, reload_receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_linklist_unlink(messages->next);
        gg_reload_step *step = w->server->reload;
        switch (step->phase) {
        case RELOAD_PREPARE: {
            char why[1024];
            w->next_view = gg_view_new(w, step->generation, GG_FAULT_INTO(why));
            if (w->next_view == NULL) report_failure(step, w->index, why);
            break;
        }
        case RELOAD_COMMIT: {
            gg_view *old = w->view;
            w->view = w->next_view;
            w->next_view = NULL;
            gg_view_release(old); /* freed now, or when its last request or execution ends */
            break;
        }
        case RELOAD_ABORT:
            gg_view_release(w->next_view);
            w->next_view = NULL;
            break;
        }
        sem_post(&step->done);
    }
}

void gg_worker_reload_setup(gg_worker *w)
{
    h2o_multithread_register_receiver(w->ctx.queue, &w->reload_receiver, on_reload_message);
}

void gg_worker_reload_teardown(gg_worker *w)
{
    h2o_multithread_unregister_receiver(w->ctx.queue, &w->reload_receiver);
}

/* ---- the main thread's side ---- */

static void run_round(gg_server *s, gg_reload_step *step, reload_phase phase)
{
    step->phase = phase;
    for (unsigned i = 0; i < s->worker_count; i++)
        h2o_multithread_send_message(&s->workers[i].reload_receiver, &s->workers[i].reload_msg);
    for (unsigned i = 0; i < s->worker_count; i++)
        while (sem_wait(&step->done) != 0) /* EINTR */
            ;
}

bool gg_server_reload(gg_server *s, gg_generation *g, gg_fault *fault)
{
    gg_reload_step step = {.generation = g};
    sem_init(&step.done, 0, 0);
    pthread_mutex_init(&step.lock, NULL);
    s->reload = &step;
    run_round(s, &step, RELOAD_PREPARE);
    bool ok = step.failure[0] == '\0';
    run_round(s, &step, ok ? RELOAD_COMMIT : RELOAD_ABORT);
    s->reload = NULL;
    pthread_mutex_destroy(&step.lock);
    sem_destroy(&step.done);
    if (!ok) {
        gg_fault_set(fault, NULL, "%s", step.failure);
        return false;
    }
    g->number = s->current->number + 1;
    atomic_fetch_add(&g->refs, 1); /* the list's */
    g->next = s->generations;
    s->generations = g;
    s->current = g;
    atomic_store(&s->column_types_unread, gg_gateway_column_types_unread(g->gateway));
    return true;
}

bool gg_server_column_types_unread(const gg_server *s)
{
    return atomic_load(&s->column_types_unread);
}

void gg_server_reap_generations(gg_server *s)
{
    for (gg_generation **link = &s->generations; *link != NULL;) {
        gg_generation *g = *link;
        if (g != s->current && atomic_load(&g->refs) == 1) { /* only the list's: no view is left */
            *link = g->next;
            gg_log_info("generation %u released (its last request ended)", g->number);
            gg_generation_free(g);
        } else {
            link = &g->next;
        }
    }
}

void gg_server_first_generation(gg_server *s, gg_gateway *gateway)
{
    gg_generation *g = gg_generation_new(NULL, gateway, NULL);
    g->number = 1;
    atomic_store(&g->refs, 1); /* the list's */
    s->current = s->generations = g;
    atomic_store(&s->column_types_unread, gg_gateway_column_types_unread(gateway));
}

void gg_server_first_verifier(gg_server *s, gg_auth_verifier *verifier)
{
    s->current->verifier = verifier;
}

void gg_server_free_generations(gg_server *s)
{
    while (s->generations != NULL) {
        gg_generation *g = s->generations;
        s->generations = g->next;
        if (atomic_load(&g->refs) != 1) /* a view not freed: a bug, and a leak report under ASan */
            gg_log_warn("warning: generation %u still has %u view(s) at exit", g->number, atomic_load(&g->refs) - 1);
        gg_generation_free(g);
    }
    s->current = NULL;
}
