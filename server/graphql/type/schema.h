/* schema.h: the type system at run time (spec §3, graphql-js src/type).
 *
 * A gg_schema is built once from SDL (schema_build.h), validated, then read-only and shared by
 * every thread. It owns one arena holding every type, field and name, plus the SDL documents it
 * was built from (their AST nodes stay reachable for later stages: Amplify directives etc.).
 *
 * Wrapping types used by the schema itself are interned at build time (list_of, non_null_of), but
 * a document may write wrappers the schema never uses ([[Int]] in a variable definition); those
 * are made in the request's arena by gg_type_from_ast, because the schema is read-only once built
 * and shared by threads. So compare type references with gg_type_equal, never with ==.
 *
 * Lookups by name use gg_strmap (types, directives, fields, input fields, enum values); arrays
 * keep definition order, which introspection reports. */
#ifndef GG_SCHEMA_H
#define GG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/strmap.h"
#include "../error.h"
#include "../language/ast.h"
#include "../value.h"

typedef enum gg_type_kind {
    GG_KIND_SCALAR,
    GG_KIND_OBJECT,
    GG_KIND_INTERFACE,
    GG_KIND_UNION,
    GG_KIND_ENUM,
    GG_KIND_INPUT_OBJECT,
    GG_KIND_LIST,
    GG_KIND_NON_NULL,
} gg_type_kind;

typedef struct gg_type gg_type;
typedef struct gg_field gg_field;
typedef struct gg_schema gg_schema;

/* An argument of a field or directive, or a field of an input object. */
typedef struct gg_input_value {
    const char *name;
    const char *description;
    gg_type *type;
    const gg_value *default_value;  /* the default as written in SDL, or NULL when none */
    const char *deprecation_reason; /* NULL: not deprecated */
    const gg_input_value_def *ast;  /* its definition (directives live there) */
    unsigned index;
} gg_input_value;

/* Scalar behaviour (spec §3.5). Each function returns false and sets fault (its message an arena
 * string, no errorType) when the value is not valid for the scalar. Built-in and AppSync scalars are in scalars.h. */
typedef struct gg_scalar_ops {
    /* Result coercion: a resolver's value to the output value. */
    bool (*serialize)(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault);
    /* Input coercion of a variable value (from JSON). */
    bool (*parse_value)(gg_arena *arena, const gg_val *in, gg_val **out, gg_fault *fault);
    /* Input coercion of a literal (variables already substituted: never GG_VALUE_VARIABLE). */
    bool (*parse_literal)(gg_arena *arena, const gg_value *in, gg_val **out, gg_fault *fault);
    /* The values serialize returns as they are (GG_SCALAR_KEEPS_* bits), so that a writer of many
     * (the executor's rows) may skip the call for them; 0: none known. */
    unsigned keeps;
} gg_scalar_ops;

enum {
    GG_SCALAR_KEEPS_STRING = 1, /* every STRING */
    GG_SCALAR_KEEPS_INT32 = 2,  /* every INT from INT32_MIN to INT32_MAX */
    GG_SCALAR_KEEPS_INT = 4,    /* every INT */
};

/* Binding of a field to its data source, filled in by later stages (PostgreSQL, plugins).
 * resolve == NULL means the default resolver (property of the parent value). */
struct gg_resolve_info;
typedef void (*gg_resolve_fn)(struct gg_resolve_info *info);

struct gg_field {
    const char *name;
    const char *description;
    gg_input_value *args;
    unsigned arg_count;
    gg_type *type;
    const char *deprecation_reason;
    const gg_field_def *ast;
    gg_type *parent;
    unsigned index;
    gg_resolve_fn resolve; /* NULL: default resolver */
    void *resolve_data;    /* owned by whoever set resolve */
    /* A check run before the field resolves, after its AppSync directives (aws_auth.h) allowed it:
     * false makes the field null with an Unauthorized error at its path, its resolver never called
     * (NULL: none). Set by the gateway for @auth rules outside @model types (custom_auth.c). */
    bool (*guard)(const struct gg_resolve_info *info, const void *guard_data);
    const void *guard_data; /* owned by whoever set guard */
    /* AppSync authorization (aws_auth.h), read from the directives when the schema is built: the
     * GG_AWS_AUTH_* modes the field's directives allow, else its type's; 0: none written (the API's
     * default mode applies). auth_groups: the cognito_groups of those directives (NULL: any user),
     * also as bits of the schema's group numbering (auth_group_bits; auth_groups_past_bits when a
     * group is numbered 64 or more and only the names tell). */
    uint32_t auth_modes;
    bool auth_groups_past_bits;
    const char *const *auth_groups;
    unsigned auth_group_count;
    uint64_t auth_group_bits;
};

typedef struct gg_enum_value {
    const char *name;
    const char *description;
    const char *deprecation_reason;
    const gg_enum_value_def *ast;
    unsigned index;
} gg_enum_value;

/* Resolution of an abstract type: given a value, name its concrete object type (or NULL). */
typedef const char *(*gg_resolve_type_fn)(const gg_type *abstract_type, const gg_val *value, void *data);

struct gg_type {
    gg_type_kind kind;
    const char *name; /* NULL for LIST and NON_NULL */
    const char *description;
    gg_type *of_type;     /* LIST, NON_NULL: the wrapped type */
    gg_type *list_of;     /* interned [this], or NULL until needed */
    gg_type *non_null_of; /* interned this!, or NULL until needed */
    bool is_builtin;      /* scalars of the spec and AppSync, introspection types */

    /* OBJECT, INTERFACE */
    gg_field *fields;
    unsigned field_count;
    gg_strmap field_map;  /* name -> gg_field* */
    gg_type **interfaces; /* declared interfaces, in order */
    unsigned interface_count;

    /* UNION: members; INTERFACE: the object types implementing it (in schema type order) */
    gg_type **possible_types;
    unsigned possible_type_count;
    gg_strmap possible_type_map; /* name -> gg_type* (for UNION and INTERFACE) */
    /* INTERFACE: the interfaces implementing it */
    gg_type **implementing_interfaces;
    unsigned implementing_interface_count;

    /* ENUM */
    gg_enum_value *enum_values;
    unsigned enum_value_count;
    gg_strmap enum_value_map; /* name -> gg_enum_value* */

    /* INPUT_OBJECT */
    gg_input_value *input_fields;
    unsigned input_field_count;
    gg_strmap input_field_map; /* name -> gg_input_value* */
    bool is_one_of;            /* @oneOf */

    /* SCALAR */
    const gg_scalar_ops *scalar;
    const char *specified_by_url;

    /* abstract types: optional resolver; default: the value's "__typename" member */
    gg_resolve_type_fn resolve_type;
    void *resolve_type_data;

    /* the definition and its extensions, in source order; and all their directives, in order */
    const gg_definition **ast_nodes;
    unsigned ast_node_count;
    gg_directive *directives;
    unsigned directive_count;
    unsigned index; /* position in schema->types */
};

typedef struct gg_directive_def {
    const char *name;
    const char *description;
    gg_input_value *args;
    unsigned arg_count;
    gg_strmap arg_map;
    uint32_t locations; /* gg_directive_location bits */
    bool repeatable;
    bool is_builtin; /* @skip @include @deprecated @specifiedBy @oneOf */
    const gg_definition *ast;
} gg_directive_def;

struct gg_schema {
    gg_arena arena;
    const char *description;
    gg_type *query_type, *mutation_type, *subscription_type;
    gg_type **types; /* every named type, in graphql-js's typeMap order (see schema_build.c) */
    unsigned type_count;
    gg_strmap type_map;            /* name -> gg_type* */
    gg_directive_def **directives; /* in graphql-js getDirectives() order: the user's, then the specified ones */
    unsigned directive_count;
    gg_strmap directive_map;         /* name -> gg_directive_def* */
    gg_directive *schema_directives; /* applied to `schema` and its extensions */
    unsigned schema_directive_count;
    const gg_definition **schema_ast_nodes;
    unsigned schema_ast_node_count;
    gg_document **documents; /* the SDL documents the schema was built from */
    unsigned document_count;
    /* the meta fields of introspection (spec §4.1): __typename on every composite type,
     * __schema and __type on the query type only */
    gg_field *typename_meta_field, *schema_meta_field, *type_meta_field;
    /* every cognito_groups name of the @aws_* directives -> its number + 1 (aws_auth.h) */
    gg_strmap aws_auth_groups;
};

/* ---- lookups (all O(1) or O(fields of a type)) ---- */

/* Returns the named type, or NULL. */
gg_type *gg_schema_find_type(const gg_schema *schema, const char *name);
/* Returns the directive definition, or NULL. */
gg_directive_def *gg_schema_find_directive(const gg_schema *schema, const char *name);
/* Returns the field of an object or interface type, or NULL. Does not know __typename etc. */
gg_field *gg_type_find_field(const gg_type *type, const char *name);
/* graphql-js getFieldDef: the field `name` of a composite parent type, including the meta fields
 * __typename (any composite type), __schema and __type (query type only); NULL when none. */
gg_field *gg_schema_field_def(const gg_schema *schema, const gg_type *parent, const char *name);
/* Returns the input field of an input object type, or NULL. */
gg_input_value *gg_type_find_input_field(const gg_type *type, const char *name);
/* Returns the enum value, or NULL. */
gg_enum_value *gg_type_find_enum_value(const gg_type *type, const char *name);
/* Returns the argument of a field or directive by name, or NULL. */
gg_input_value *gg_field_find_arg(const gg_field *field, const char *name);
gg_input_value *gg_directive_find_arg(const gg_directive_def *directive, const char *name);

/* ---- wrapping types ---- */

/* Returns the interned [type] / type! (creating it in the schema arena if needed; only while
 * building the schema). */
gg_type *gg_schema_list_of(gg_schema *schema, gg_type *type);
gg_type *gg_schema_non_null_of(gg_schema *schema, gg_type *type);
/* graphql-js typeFromAST: the type a reference names, NULL when its named type is unknown.
 * Wrappers the schema has already are reused; others are made in arena (never in the schema). */
gg_type *gg_type_from_ast(const gg_schema *schema, gg_arena *arena, const gg_type_ref *ref);
/* Structural equality of type references. */
bool gg_type_equal(const gg_type *a, const gg_type *b);
/* Strips all wrappers. */
gg_type *gg_type_named(const gg_type *type);
/* Strips one NON_NULL if present. */
gg_type *gg_type_nullable(const gg_type *type);

/* ---- classification (spec §3 "Input and Output Types", graphql-js definition.ts) ---- */

bool gg_type_is_input(const gg_type *type);
bool gg_type_is_output(const gg_type *type);
bool gg_type_is_leaf(const gg_type *type);      /* scalar or enum */
bool gg_type_is_abstract(const gg_type *type);  /* interface or union */
bool gg_type_is_composite(const gg_type *type); /* object, interface or union */
/* True when `maybe_sub` is a possible type (object) or implementation (interface) of abstract. */
bool gg_schema_is_sub_type(const gg_schema *schema, const gg_type *abstract, const gg_type *maybe_sub);
/* graphql-js isTypeSubTypeOf: covariance for output types (validation of interface fields etc.). */
bool gg_schema_is_type_sub_type_of(const gg_schema *schema, const gg_type *maybe_sub, const gg_type *super);
/* graphql-js doTypesOverlap: can the two composite types share an object type? */
bool gg_schema_types_overlap(const gg_schema *schema, const gg_type *a, const gg_type *b);
/* Prints a type reference as in SDL ("[String!]!") into the arena. */
const char *gg_type_to_string(gg_arena *arena, const gg_type *type);
/* Returns "SCALAR", "OBJECT", ... as introspection's __TypeKind names them. */
const char *gg_type_kind_name(gg_type_kind kind);

#endif
