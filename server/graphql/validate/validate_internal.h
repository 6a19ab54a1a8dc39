/* validate_internal.h: what the files of the validator share and the rules do not see.
 *
 * validate.c (entry points and the rule table), walker.c (the walk and its TypeInfo), context.c
 * (the ValidationContext helpers declared in validate.h) and variable_usages.c (graphql-js
 * getVariableUsages and getRecursiveVariableUsages) all work on one `validation`, the state behind
 * gg_vctx.internal: limits, counters and the per-validation caches. The rules include validate.h
 * and rules.h only. */
#ifndef GG_VALIDATE_INTERNAL_H
#define GG_VALIDATE_INTERNAL_H

#include "validate.h"

#define FRAGMENT_WORK_BUDGET 50000

enum { NAME_SCAN = 16 }; /* sets of names up to this size are scanned rather than hashed */

/* Cached results of the fragment helpers, keyed by node pointer (the pointer's bytes are the key). */
typedef struct spreads_entry {
    const gg_selection **items;
    unsigned count;
} spreads_entry;

typedef struct fragments_entry { /* keyed by the sorted set of an operation's direct spread names */
    const gg_definition **items;
    unsigned count;
    gg_variable_usage *usages; /* usages inside these fragments, once computed */
    unsigned usage_count;
    bool has_usages;
} fragments_entry;

typedef struct usages_entry {
    gg_variable_usage *items;
    unsigned count;
} usages_entry;

enum { TYPE_CACHE_SIZE = 16 };
enum { FIELD_CACHE_BITS = 6, FIELD_CACHE_SIZE = 1 << FIELD_CACHE_BITS }; /* direct-mapped, by selection pointer */

typedef struct field_cache_entry {
    const gg_selection *field;
    const gg_type *parent;
    gg_field *def;
} field_cache_entry;

typedef struct validation {
    unsigned max_errors;
    unsigned error_count; /* errors reported by this validation */
    bool aborted;
    long fragment_work;              /* remaining budget */
    gg_strmap spreads_cache;         /* selection set pointer -> spreads_entry */
    gg_strmap fragments_cache;       /* spread-name set -> fragments_entry */
    gg_strmap usages_cache;          /* definition pointer -> usages_entry (local usages) */
    gg_strmap recursive_cache;       /* operation pointer -> usages_entry (recursive usages) */
    gg_strmap variables_cache;       /* operation pointer -> gg_strmap* of its variable definitions by name */
    const gg_definition **fragments; /* the document's named fragments in order, when few (else NULL) */
    unsigned fragment_count;
    field_cache_entry field_cache[FIELD_CACHE_SIZE]; /* gg_vctx_find_field */
    struct {
        const char *name;
        gg_type *type;
    } type_cache[TYPE_CACHE_SIZE]; /* gg_vctx_find_type: the first names asked for */
    unsigned type_cache_count;
} validation;

static inline validation *validation_of(gg_vctx *ctx)
{
    return ctx->internal;
}

/* ---- pointer-keyed cache helpers ---- */

static inline void *cache_get(gg_strmap *map, const void *node)
{
    return gg_strmap_get(map, (const char *)&node, sizeof node);
}

static inline void cache_put(gg_strmap *map, gg_arena *arena, const void *node, void *value)
{
    const void **key = gg_arena_alloc(arena, sizeof *key);
    *key = node;
    gg_strmap_put(map, (const char *)key, sizeof *key, value);
}

/* ---- walker.c ---- */

/* Walks the document once, calling the rules' callbacks (graphql-js visitInParallel + TypeInfo). */
void gg_validate_walk(gg_vctx *ctx, const gg_rule *const *rules, unsigned rule_count);
/* graphql-js getVariableUsages for one operation or fragment: a walk of its own (no rule
 * callbacks, its own TypeInfo) that only collects the variables it meets. */
void gg_validate_collect_usages(gg_vctx *ctx, const gg_definition *def, gg_variable_usage **out, unsigned *count);

/* ---- context.c ---- */

/* The cache entry of the fragments reachable from the operations' spreads (shared by operations
 * that spread the same fragments). */
fragments_entry *gg_validate_fragments_for_operations(gg_vctx *ctx, const gg_definition *const *operations,
                                                      unsigned op_count);

/* ---- variable_usages.c ---- */

/* Whether the usages of def are known already (recorded by the main walk or asked by a rule). */
bool gg_validate_usages_known(gg_vctx *ctx, const gg_definition *def);
/* Remembers the usages the main walk recorded for def. */
void gg_validate_usages_store(gg_vctx *ctx, const gg_definition *def, gg_variable_usage *items, unsigned count);

#endif
