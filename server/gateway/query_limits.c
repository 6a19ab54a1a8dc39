/* query_limits.c: depth, alias, directive, cost and introspection limits over the AST; see query_limits.h.
 *
 * One recursive walk per operation computes a `measure` of its selection set: the deepest field
 * path, the number of aliases and directives, and graphql-armor's cost (a leaf field costs 1, a
 * field with a selection set 2 plus 1.5 times the cost of its children). Fragment measures are
 * independent of where the fragment is spread, so each fragment is measured once and memoised
 * (state per fragment index: unvisited, in progress, done); a spread of a fragment in progress
 * is a cycle and measures zero. Counts saturate instead of overflowing, so a fragment bomb
 * (each fragment spreading the next one ten times) yields a huge but finite number, quickly.
 * Recursion is bounded by the parser's nesting limit and by FRAGMENT_CHAIN_MAX. */
#include "query_limits.h"

#include <stdint.h>
#include <string.h>

#define SATURATE 4.0e18
#define FRAGMENT_CHAIN_MAX 256

typedef struct measure {
    double depth, aliases, directives, cost;
} measure;

typedef struct fragment_memo {
    const gg_definition *def;
    int state; /* 0 unvisited, 1 in progress, 2 done */
    measure m;
} fragment_memo;

typedef struct walk {
    const gg_document *doc;
    fragment_memo *memo; /* one per definition index (only fragments used) */
    gg_error_list *errors;
    const gg_limits *limits;
    unsigned chain;      /* fragments being expanded right now */
    bool too_deep_chain; /* FRAGMENT_CHAIN_MAX exceeded */
    bool introspection_reported;
} walk;

static double sat(double v)
{
    return v > SATURATE ? SATURATE : v;
}

static bool is_introspection(const gg_selection *sel)
{
    return sel->kind == GG_SELECTION_FIELD && sel->name.value != NULL &&
           (strcmp(sel->name.value, "__schema") == 0 || strcmp(sel->name.value, "__type") == 0);
}

static measure measure_set(walk *w, const gg_selection_set *set);

static fragment_memo *find_fragment(walk *w, const char *name)
{
    for (unsigned i = 0; i < w->doc->definition_count; i++) {
        const gg_definition *d = &w->doc->definitions[i];
        if (d->kind == GG_DEF_FRAGMENT && d->name.value != NULL && strcmp(d->name.value, name) == 0) return &w->memo[i];
    }
    return NULL;
}

static measure measure_spread(walk *w, const gg_selection *sel)
{
    measure zero = {0, 0, 0, 0};
    fragment_memo *f = find_fragment(w, sel->name.value);
    if (f == NULL || f->state == 1 || f->def->selection_set == NULL)
        return zero; /* unknown fragment or a cycle: validation reports both */
    if (f->state == 2) return f->m;
    if (w->chain >= FRAGMENT_CHAIN_MAX) {
        w->too_deep_chain = true;
        return zero;
    }
    f->state = 1;
    w->chain++;
    f->m = measure_set(w, f->def->selection_set);
    f->m.directives = sat(f->m.directives + f->def->directive_count);
    w->chain--;
    f->state = 2;
    return f->m;
}

static void check_introspection(walk *w, const gg_selection *sel)
{
    if (w->limits->introspection || w->introspection_reported || !is_introspection(sel)) return;
    w->introspection_reported = true;
    gg_error *e = gg_error_at(w->errors, sel->name.loc,
                              "GraphQL introspection has been disabled, but the requested query contained the "
                              "field \"%s\".",
                              sel->name.value);
    e->error_type = "ValidationError";
}

static measure measure_set(walk *w, const gg_selection_set *set)
{
    measure total = {0, 0, 0, 0};
    for (unsigned i = 0; i < set->count; i++) {
        const gg_selection *sel = &set->selections[i];
        measure m = {0, 0, 0, 0};
        check_introspection(w, sel);
        if (sel->kind == GG_SELECTION_FRAGMENT_SPREAD) {
            m = measure_spread(w, sel);
            m.cost = 1.5 * m.cost;
        } else if (sel->kind == GG_SELECTION_INLINE_FRAGMENT) {
            if (sel->selection_set != NULL) m = measure_set(w, sel->selection_set);
            m.cost = 1.5 * m.cost;
        } else {
            measure child = {0, 0, 0, 0};
            if (sel->selection_set != NULL) child = measure_set(w, sel->selection_set);
            bool ignored = is_introspection(sel);
            m.depth = ignored ? 0 : 1 + child.depth;
            m.aliases = child.aliases + (sel->alias.value != NULL ? 1 : 0);
            m.directives = child.directives;
            m.cost = ignored ? 0 : sel->selection_set != NULL ? 2 + 1.5 * child.cost : 1;
        }
        m.directives += sel->directive_count;
        total.depth = m.depth > total.depth ? m.depth : total.depth;
        total.aliases = sat(total.aliases + m.aliases);
        total.directives = sat(total.directives + m.directives);
        total.cost = sat(total.cost + m.cost);
    }
    return total;
}

/* "<what> limit of N exceeded, found M." (graphql-armor's words), then the setting that raises it. */
static void report(walk *w, gg_loc loc, const char *what, unsigned limit, double found, const char *setting)
{
    /* costs may be fractional (x1.5 per level): one decimal then, integers otherwise */
    const char *fmt = found == (double)(uint64_t)found ? "%s limit of %u exceeded, found %.0f. (server setting %s)"
                                                       : "%s limit of %u exceeded, found %.1f. (server setting %s)";
    gg_error *e = gg_error_at(w->errors, loc, fmt, what, limit, found, setting);
    e->error_type = "ValidationError";
}

bool gg_limits_check(const gg_limits *limits, const gg_document *doc, gg_error_list *errors)
{
    unsigned before = errors->count;
    walk w = {.doc = doc, .errors = errors, .limits = limits};
    w.memo = gg_arena_array(errors->arena, doc->definition_count ? doc->definition_count : 1, sizeof(fragment_memo));
    for (unsigned i = 0; i < doc->definition_count; i++)
        w.memo[i].def = &doc->definitions[i];
    for (unsigned i = 0; i < doc->definition_count; i++) {
        const gg_definition *op = &doc->definitions[i];
        if (op->kind != GG_DEF_OPERATION || op->selection_set == NULL) continue;
        measure m = measure_set(&w, op->selection_set);
        m.directives += op->directive_count;
        for (unsigned v = 0; v < op->variable_count; v++)
            m.directives += op->variables[v].directive_count;
        if (limits->max_depth && m.depth > limits->max_depth)
            report(&w, op->loc, "Query depth", limits->max_depth, m.depth, "limits.max_depth");
        if (limits->max_aliases && m.aliases > limits->max_aliases)
            report(&w, op->loc, "Aliases", limits->max_aliases, m.aliases, "limits.max_aliases");
        if (limits->max_directives && m.directives > limits->max_directives)
            report(&w, op->loc, "Directives", limits->max_directives, m.directives, "limits.max_directives");
        if (limits->max_cost && m.cost > limits->max_cost)
            report(&w, op->loc, "Query Cost", limits->max_cost, m.cost, "limits.max_cost");
    }
    if (w.too_deep_chain) {
        gg_error *e = gg_error_add(errors, "Fragments are nested more than %d levels deep.", FRAGMENT_CHAIN_MAX);
        e->error_type = "ValidationError";
    }
    return errors->count == before;
}
