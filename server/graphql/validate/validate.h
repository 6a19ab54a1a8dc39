/* validate.h: document validation (spec §5), as graphql-js validate() with specifiedRules.
 *
 * One walk over the document drives every rule at once (graphql-js's parallel visitor): at each
 * node the rules' callbacks run in the order of the rule table (validate.c, same order as
 * graphql-js specifiedRules), so errors come out in the same order as graphql-js reports them.
 * During the walk the context carries graphql-js TypeInfo state (parent type, field definition,
 * expected input type ...), updated before a node's enter callbacks and restored after its
 * leave callbacks. Each rule lives in its own file (one spec rule a file, named after it) and
 * exports one `const gg_rule`. A rule keeps its own state in a zeroed block of state_size bytes
 * allocated in the validation arena.
 *
 * This header is the folder's one face. Behind it: validate.c (entry points, rule table),
 * walker.c (the walk and its TypeInfo), context.c (the helpers below, reporting, limits) and
 * variable_usages.c (getVariableUsages), which share validate_internal.h. */
#ifndef GG_VALIDATE_H
#define GG_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/strmap.h"
#include "../error.h"
#include "../language/ast.h"
#include "../type/schema.h"

typedef struct gg_vctx gg_vctx;

/* A variable used somewhere below an operation, with the input type expected where it appears
 * (graphql-js VariableUsage). */
typedef struct gg_variable_usage {
    const gg_value *node;          /* the GG_VALUE_VARIABLE node */
    gg_type *type;                 /* expected type at that position, or NULL when unknown */
    const gg_value *default_value; /* default of the argument/input field at that position, or NULL */
    bool has_default;              /* that argument/input field defines a default */
    gg_type *parent_type;          /* graphql-js 16.15 usage.parentType: getParentInputType there */
} gg_variable_usage;

struct gg_vctx {
    const gg_schema *schema;
    const gg_document *document;
    gg_arena *arena;
    gg_error_list *errors;
    gg_strmap fragments; /* name -> gg_definition* of kind FRAGMENT (the last one of that name, as graphql-js) */
    bool no_suggestions; /* omit " Did you mean ...?" (graphql-js hideSuggestions) */

    /* TypeInfo, valid inside callbacks (NULL when unknown): */
    gg_type *parent_type;          /* composite type owning the current selection set (getParentType) */
    gg_type *type;                 /* output type of the current field / fragment / operation (getType) */
    gg_field *field_def;           /* field definition of the current field (getFieldDef) */
    gg_directive_def *directive;   /* definition of the current directive (getDirective) */
    gg_input_value *argument;      /* definition of the current argument (getArgument) */
    gg_type *input_type;           /* expected type of the current value (getInputType) */
    gg_type *parent_input_type;    /* graphql-js getParentInputType */
    gg_enum_value *enum_value;     /* current enum value's definition */
    const gg_value *default_value; /* graphql-js getDefaultValue: default of current arg/input field */
    bool has_default_value;
    uint32_t directive_location;     /* location bit of the node owning the directive being visited */
    const gg_definition *definition; /* the current top-level definition */

    void *internal; /* the walker's stacks (validate.c) */
};

/* A validation rule: callbacks for the nodes it cares about (NULL where it does not). */
typedef struct gg_rule {
    const char *name; /* graphql-js name without "Rule", e.g. "FieldsOnCorrectType" */
    size_t state_size;
    void (*enter_document)(gg_vctx *ctx, void *state);
    void (*leave_document)(gg_vctx *ctx, void *state);
    /* any definition kind: operations, fragments, and type system definitions */
    void (*enter_definition)(gg_vctx *ctx, void *state, const gg_definition *def);
    void (*leave_definition)(gg_vctx *ctx, void *state, const gg_definition *def);
    void (*enter_variable_definition)(gg_vctx *ctx, void *state, const gg_variable_definition *var);
    void (*leave_variable_definition)(gg_vctx *ctx, void *state, const gg_variable_definition *var);
    void (*enter_selection_set)(gg_vctx *ctx, void *state, const gg_selection_set *set);
    void (*leave_selection_set)(gg_vctx *ctx, void *state, const gg_selection_set *set);
    /* a field, fragment spread or inline fragment: check sel->kind */
    void (*enter_selection)(gg_vctx *ctx, void *state, const gg_selection *sel);
    void (*leave_selection)(gg_vctx *ctx, void *state, const gg_selection *sel);
    void (*enter_directive)(gg_vctx *ctx, void *state, const gg_directive *dir);
    void (*leave_directive)(gg_vctx *ctx, void *state, const gg_directive *dir);
    void (*enter_argument)(gg_vctx *ctx, void *state, const gg_argument *arg);
    void (*leave_argument)(gg_vctx *ctx, void *state, const gg_argument *arg);
    /* every value node: argument values, default values, list items, object field values */
    void (*enter_value)(gg_vctx *ctx, void *state, const gg_value *value);
    void (*leave_value)(gg_vctx *ctx, void *state, const gg_value *value);
    void (*enter_object_field)(gg_vctx *ctx, void *state, const gg_object_field *field);
    void (*leave_object_field)(gg_vctx *ctx, void *state, const gg_object_field *field);
    /* every NamedType: inside variable types, type conditions (synthesized from the name), and the
     * type references of type system definitions in the document (KnownTypeNames) */
    void (*enter_named_type)(gg_vctx *ctx, void *state, const gg_type_ref *named);
    /* the selection kinds enter_selection and leave_selection want, as bits 1u << gg_selection_kind;
     * 0: every kind. The walker calls them for those kinds only (a saving: no other effect). */
    unsigned selection_kinds;
} gg_rule;

typedef struct gg_validate_options {
    unsigned max_errors; /* 0: 100, like graphql-js; then "Too many validation errors, error limit
                            reached. Validation aborted." is added and validation stops */
    bool no_suggestions; /* messages omit " Did you mean ...?" (graphql-js 16.15 hideSuggestions,
                            graphql-armor blockFieldSuggestion) */
} gg_validate_options;

/* Validates an executable document against the schema with all spec rules. Adds errors to
 * `errors` and returns true when there were none. opts may be NULL. */
bool gg_validate(const gg_schema *schema, const gg_document *doc, gg_arena *arena, gg_error_list *errors,
                 const gg_validate_options *opts);
/* Same with an explicit rule list (tests check one rule at a time this way). */
bool gg_validate_rules(const gg_schema *schema, const gg_document *doc, gg_arena *arena, gg_error_list *errors,
                       const gg_validate_options *opts, const gg_rule *const *rules, unsigned rule_count);

/* ---- context helpers (graphql-js ValidationContext) ---- */

/* The fragment definition named `name`, or NULL. */
const gg_definition *gg_vctx_fragment(gg_vctx *ctx, const char *name);
/* Spreads inside a selection set, not entering fragments (graphql-js getFragmentSpreads and its order:
 * a set's own spreads in order, nested sets last-first). */
void gg_vctx_fragment_spreads(gg_vctx *ctx, const gg_selection_set *set, const gg_selection ***out, unsigned *count);
/* Fragments reachable from an operation, each once, in graphql-js order (getRecursivelyReferencedFragments). */
void gg_vctx_recursive_fragments(gg_vctx *ctx, const gg_definition *operation, const gg_definition ***out,
                                 unsigned *count);
/* Same for several operations at once (graphql-js getRecursivelyReferencedFragmentsForOperations). */
void gg_vctx_recursive_fragments_for_operations(gg_vctx *ctx, const gg_definition *const *operations, unsigned op_count,
                                                const gg_definition ***out, unsigned *count);
/* Variable usages of an operation including those in its fragments (getRecursiveVariableUsages). */
void gg_vctx_recursive_variable_usages(gg_vctx *ctx, const gg_definition *operation, const gg_variable_usage **out,
                                       unsigned *count);
/* The field of `parent` (an object or interface type) that a field selection names, as
 * gg_type_find_field (no meta fields), or NULL; remembered per selection for this validation, so
 * the walker and the rules look a field up once. */
gg_field *gg_vctx_find_field(gg_vctx *ctx, const gg_type *parent, const gg_selection *field);
/* gg_schema_find_type for this validation: the names already asked for are remembered (a
 * document names few types), so each is looked up in the schema once. */
gg_type *gg_vctx_find_type(gg_vctx *ctx, const char *name);
/* gg_type_from_ast through gg_vctx_find_type (the same result). */
gg_type *gg_vctx_type_from_ast(gg_vctx *ctx, const gg_type_ref *ref);
/* The variable definition of `operation` named `name` (the last of that name), or NULL. Scans a
 * few definitions; many get a map, built once per operation. */
const gg_variable_definition *gg_vctx_variable_definition(gg_vctx *ctx, const gg_definition *operation,
                                                          const char *name);
/* graphql-js 16.15 spendFragmentWork: takes cost from the validation's fragment work budget (50000);
 * when it runs out, adds "Validation aborted.", stops the validation and returns false. */
bool gg_vctx_spend_fragment_work(gg_vctx *ctx, unsigned cost);
/* graphql-js didYouMean (suggest.h gg_did_you_mean), or "" when the validation hides suggestions
 * (options.no_suggestions). */
const char *gg_vctx_did_you_mean(gg_vctx *ctx, const char *sub_message, const char *const *suggestions, unsigned count);
/* Reports an error with one location (returns it to add more locations). */
gg_error *gg_vctx_report(gg_vctx *ctx, gg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
