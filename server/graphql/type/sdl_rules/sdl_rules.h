/* sdl_rules.h: graphql-js's SDL validation rules (specifiedSDLRules), one gg_sdl_rule per file of
 * this folder, and what they share.
 *
 * The walk (../schema_sdl_rules.c) visits the definitions of the user's documents in graphql-js's
 * visitor order and, at each node, calls the callbacks of the rules in the order of
 * gg_sdl_rules (graphql-js specifiedSDLRules order), so errors come out in graphql-js's order.
 * Everything the rules look up was gathered before the walk into gg_sdl_context; a rule keeps its
 * own state in a zeroed block of state_size bytes in the context's scratch arena (begin prepares
 * it). A directive the prelude refuses (gg_prelude_refused_directive) is reported by the walk and
 * not shown to the rules. Each rule is named after graphql-js's rule without "Rule", in snake
 * case. */
#ifndef GG_SDL_RULES_H
#define GG_SDL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../base/arena.h"
#include "../../../base/strmap.h"
#include "../../error.h"
#include "../../language/ast.h"
#include "../schema.h"

typedef struct gg_sdl_context {
    const gg_schema *schema;
    gg_error_list *errors;
    gg_arena *arena; /* scratch, freed when the checks return */
    const char *doc_name;
    const char *const *doc_names; /* parallel to schema->documents, or NULL */
    bool ok;
    gg_strmap std_types;             /* specified scalars and introspection types */
    gg_strmap first_type_def;        /* name -> first type definition */
    gg_strmap last_type_def;         /* name -> last type definition (graphql-js definedTypes) */
    GG_VEC(const char *) type_names; /* for suggestions: defined then standard, unique */
    gg_strmap directive_def;         /* name -> directive definition (built-in, then user, last wins) */
    gg_strmap first_directive;       /* name -> first user directive definition */
} gg_sdl_context;

/* A rule: callbacks for the nodes it cares about (NULL where it does not). */
typedef struct gg_sdl_rule {
    const char *name; /* graphql-js name without "Rule", e.g. "KnownTypeNames" */
    size_t state_size;
    /* before the walk */
    void (*begin)(gg_sdl_context *c, void *state);
    /* every definition of the user's documents, before its children */
    void (*enter_definition)(gg_sdl_context *c, void *state, const gg_definition *def);
    /* the directives of a node that is not a definition (field, argument and input field
     * definitions, enum values), before they are visited one by one */
    void (*enter_directives)(gg_sdl_context *c, void *state, const gg_directive *dirs, unsigned count,
                             uint32_t location);
    /* every NamedType node: type references, implemented interfaces, union members, root types */
    void (*enter_named_type)(gg_sdl_context *c, void *state, const gg_name *name);
    /* every directive applied; def is its definition or NULL when unknown */
    void (*enter_directive)(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def,
                            uint32_t location);
    void (*leave_directive)(gg_sdl_context *c, void *state, const gg_directive *directive, const gg_definition *def);
    /* object values in directive arguments and default values, and their fields */
    void (*enter_object_value)(gg_sdl_context *c, void *state, const gg_value *value);
    void (*enter_object_field)(gg_sdl_context *c, void *state, const gg_object_field *field);
    void (*leave_object_value)(gg_sdl_context *c, void *state, const gg_value *value);
} gg_sdl_rule;

/* The rules in graphql-js specifiedSDLRules order (the order of the table in schema_sdl_rules.c). */
extern const gg_sdl_rule gg_sdl_rule_lone_schema_definition;
extern const gg_sdl_rule gg_sdl_rule_unique_operation_types;
extern const gg_sdl_rule gg_sdl_rule_unique_type_names;
extern const gg_sdl_rule gg_sdl_rule_unique_enum_value_names;
extern const gg_sdl_rule gg_sdl_rule_unique_field_definition_names;
extern const gg_sdl_rule gg_sdl_rule_unique_argument_definition_names;
extern const gg_sdl_rule gg_sdl_rule_unique_directive_names;
extern const gg_sdl_rule gg_sdl_rule_known_type_names;
extern const gg_sdl_rule gg_sdl_rule_known_directives;
extern const gg_sdl_rule gg_sdl_rule_unique_directives_per_location;
extern const gg_sdl_rule gg_sdl_rule_possible_type_extensions;
extern const gg_sdl_rule gg_sdl_rule_known_argument_names_on_directives;
extern const gg_sdl_rule gg_sdl_rule_unique_argument_names;
extern const gg_sdl_rule gg_sdl_rule_unique_input_field_names;
extern const gg_sdl_rule gg_sdl_rule_provided_required_arguments_on_directives;

/* ---- helpers (schema_sdl_rules.c) ---- */

/* Reports an error at loc (detail: the document's name); returns it to add more locations. */
gg_error *gg_sdl_report(gg_sdl_context *c, gg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reports each name given more than once, with the locations of all its occurrences. format has
 * one %s (the name) or, when parent is not NULL, two (parent, name). */
void gg_sdl_report_repeated_names(gg_sdl_context *c, const gg_name *const *names, unsigned count, const char *parent,
                                  const char *format);
/* The map in maps under key, created empty the first time. */
gg_strmap *gg_sdl_submap(gg_sdl_context *c, gg_strmap *maps, const char *key);
/* True when def comes from a prelude, which the user's SDL sees as an existing schema. */
bool gg_sdl_in_prelude(const gg_sdl_context *c, const gg_definition *def);
/* True for scalar, object, interface, union, enum and input object definitions and extensions. */
bool gg_sdl_is_type_definition(const gg_definition *def);
/* The directive location of a type definition's kind (GG_DL_SCHEMA for others). */
uint32_t gg_sdl_type_location(gg_definition_kind kind);

/* A rule's begin when its state is one gg_strmap: prepares the map. */
void gg_sdl_begin_map(gg_sdl_context *c, void *map);
/* UniqueTypeNames and UniqueDirectiveNames: def is a definition of a name first defined by first.
 * Unless def is first, reports it: with existing_format (one %s, the name) at def's name when
 * first comes from a prelude and def does not, else with repeated_format at both names. */
void gg_sdl_check_first_definition(gg_sdl_context *c, const gg_definition *first, const gg_definition *def,
                                   const char *existing_format, const char *repeated_format);
/* UniqueFieldDefinitionNames and UniqueEnumValueNames: a member name seen across a type's
 * definition and extensions (seen: type name -> map of member name, in the rule's state). */
void gg_sdl_check_unique_member(gg_sdl_context *c, gg_strmap *seen, const char *type_name, const gg_name *name,
                                const char *what, bool prelude);

#endif
