/* ast.h: the syntax tree of GraphQL documents, executable and SDL (spec October 2021, §2 and §3).
 *
 * The parser (parser.h) builds the tree inside one arena; nothing in it is freed separately.
 * Lists are arrays with a count (never NULL when count > 0). Names are NUL-terminated (a name
 * cannot contain NUL); string values carry a length because "\u0000" is a valid string
 * (descriptions do not: a description containing U+0000 reads as cut there).
 * Every node has a gg_loc: the byte offset and the 1-based line and column of its first token,
 * which is what error locations need. Optional parts are NULL (pointers) or have count 0.
 * The shapes follow graphql-js's AST (src/language/ast.ts) so its documentation applies. */
#ifndef GG_AST_H
#define GG_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gg_loc {
    uint32_t offset; /* byte offset of the first token in the source */
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based, counted in UTF-16 code units as graphql-js does */
} gg_loc;

typedef struct gg_name {
    const char *value; /* NULL when absent (e.g. anonymous operation) */
    gg_loc loc;
} gg_name;

/* ---- values (§2.9) ---- */

typedef enum gg_value_kind {
    GG_VALUE_VARIABLE, /* $name: text = the name without '$' */
    GG_VALUE_INT,      /* text = the literal as written, e.g. "-12" */
    GG_VALUE_FLOAT,    /* text = the literal as written, e.g. "1.5e3" */
    GG_VALUE_STRING,   /* text/len = the decoded string (escapes and block indentation applied) */
    GG_VALUE_BOOLEAN,  /* boolean */
    GG_VALUE_NULL,
    GG_VALUE_ENUM,   /* text = the name */
    GG_VALUE_LIST,   /* items */
    GG_VALUE_OBJECT, /* fields */
} gg_value_kind;

typedef struct gg_value gg_value;
typedef struct gg_object_field gg_object_field;

struct gg_value {
    gg_value_kind kind;
    gg_loc loc;
    const char *text; /* VARIABLE, INT, FLOAT, STRING, ENUM */
    size_t len;       /* length of text */
    bool boolean;     /* BOOLEAN */
    bool block;       /* STRING written as a """block string""" */
    gg_value **items; /* LIST */
    unsigned item_count;
    gg_object_field *fields; /* OBJECT */
    unsigned field_count;
};

struct gg_object_field {
    gg_name name;
    gg_value *value;
    gg_loc loc;
};

/* ---- type references (§2.11) ---- */

typedef enum gg_type_ref_kind { GG_TYPE_REF_NAMED, GG_TYPE_REF_LIST, GG_TYPE_REF_NON_NULL } gg_type_ref_kind;

typedef struct gg_type_ref gg_type_ref;
struct gg_type_ref {
    gg_type_ref_kind kind;
    gg_loc loc;
    gg_name name;         /* NAMED */
    gg_type_ref *of_type; /* LIST, NON_NULL */
};

/* ---- directives (§2.12) and arguments (§2.6) ---- */

typedef struct gg_argument {
    gg_name name;
    gg_value *value;
    gg_loc loc;
} gg_argument;

typedef struct gg_directive {
    gg_name name;
    gg_argument *args;
    unsigned arg_count;
    gg_loc loc; /* of the '@' */
} gg_directive;

/* ---- selections (§2.4, §2.7, §2.8) ---- */

typedef enum gg_selection_kind {
    GG_SELECTION_FIELD,
    GG_SELECTION_FRAGMENT_SPREAD,
    GG_SELECTION_INLINE_FRAGMENT,
} gg_selection_kind;

typedef struct gg_selection gg_selection;

typedef struct gg_selection_set {
    gg_selection *selections;
    unsigned count;
    gg_loc loc; /* of the '{' */
} gg_selection_set;

struct gg_selection {
    gg_selection_kind kind;
    gg_loc loc;
    gg_name alias;     /* FIELD: value NULL when no alias */
    gg_name name;      /* FIELD: field name; FRAGMENT_SPREAD: fragment name */
    gg_argument *args; /* FIELD */
    unsigned arg_count;
    gg_name type_condition; /* INLINE_FRAGMENT: value NULL when absent */
    gg_directive *directives;
    unsigned directive_count;
    gg_selection_set *selection_set; /* FIELD (NULL for leaves), INLINE_FRAGMENT (always set) */
};

/* ---- executable definitions (§2.3, §2.8) ---- */

typedef enum gg_operation_kind { GG_OP_QUERY, GG_OP_MUTATION, GG_OP_SUBSCRIPTION } gg_operation_kind;

typedef struct gg_variable_definition {
    const char *description; /* NULL when absent (graphql-js 16.15 accepts descriptions here) */
    bool description_block;  /* the description was written as a block string */
    gg_name variable;        /* name without '$'; loc is the '$' */
    gg_type_ref *type;
    gg_value *default_value; /* NULL when absent */
    gg_directive *directives;
    unsigned directive_count;
    gg_loc loc;
} gg_variable_definition;

/* ---- type system definitions (§3) ---- */

typedef struct gg_input_value_def { /* argument definitions and input object fields */
    const char *description;        /* NULL when absent; decoded string */
    bool description_block;         /* the description was written as a """block string""" */
    gg_name name;
    gg_type_ref *type;
    gg_value *default_value;
    gg_directive *directives;
    unsigned directive_count;
    gg_loc loc;
} gg_input_value_def;

typedef struct gg_field_def {
    const char *description;
    bool description_block; /* written as a block string (the printer keeps the form) */
    gg_name name;
    gg_input_value_def *args;
    unsigned arg_count;
    gg_type_ref *type;
    gg_directive *directives;
    unsigned directive_count;
    gg_loc loc;
} gg_field_def;

typedef struct gg_enum_value_def {
    const char *description;
    bool description_block; /* written as a block string (the printer keeps the form) */
    gg_name name;
    gg_directive *directives;
    unsigned directive_count;
    gg_loc loc;
} gg_enum_value_def;

typedef struct gg_operation_type_def { /* query: Query inside schema { } */
    gg_operation_kind operation;
    gg_name type;
    gg_loc loc;
} gg_operation_type_def;

typedef enum gg_definition_kind {
    GG_DEF_OPERATION,
    GG_DEF_FRAGMENT,
    GG_DEF_SCHEMA,
    GG_DEF_SCALAR,
    GG_DEF_OBJECT,
    GG_DEF_INTERFACE,
    GG_DEF_UNION,
    GG_DEF_ENUM,
    GG_DEF_INPUT_OBJECT,
    GG_DEF_DIRECTIVE,
} gg_definition_kind;

typedef enum gg_directive_location {
    /* executable */
    GG_DL_QUERY = 1u << 0,
    GG_DL_MUTATION = 1u << 1,
    GG_DL_SUBSCRIPTION = 1u << 2,
    GG_DL_FIELD = 1u << 3,
    GG_DL_FRAGMENT_DEFINITION = 1u << 4,
    GG_DL_FRAGMENT_SPREAD = 1u << 5,
    GG_DL_INLINE_FRAGMENT = 1u << 6,
    GG_DL_VARIABLE_DEFINITION = 1u << 7,
    /* type system */
    GG_DL_SCHEMA = 1u << 8,
    GG_DL_SCALAR = 1u << 9,
    GG_DL_OBJECT = 1u << 10,
    GG_DL_FIELD_DEFINITION = 1u << 11,
    GG_DL_ARGUMENT_DEFINITION = 1u << 12,
    GG_DL_INTERFACE = 1u << 13,
    GG_DL_UNION = 1u << 14,
    GG_DL_ENUM = 1u << 15,
    GG_DL_ENUM_VALUE = 1u << 16,
    GG_DL_INPUT_OBJECT = 1u << 17,
    GG_DL_INPUT_FIELD_DEFINITION = 1u << 18,
    GG_DL_DIRECTIVE_DEFINITION = 1u << 19, /* graphql-js 16.15 (the pinned oracle): @deprecated on directives */
} gg_directive_location;

/* One top-level definition. `kind` says which members are meaningful:
 *   OPERATION:   description, operation, name (value NULL when anonymous), variables, directives,
 *                selection_set (a query shorthand "{ ... }" has operation QUERY, no name, and
 *                shorthand = true; descriptions on operations and fragments are graphql-js 16.15's)
 *   FRAGMENT:    description, name, type_condition, directives, selection_set
 *   SCHEMA:      description, directives, operation_types
 *   SCALAR:      description, name, directives
 *   OBJECT, INTERFACE: description, name, interfaces, directives, fields
 *   UNION:       description, name, directives, types (member names)
 *   ENUM:        description, name, directives, values
 *   INPUT_OBJECT: description, name, directives, input_fields
 *   DIRECTIVE:   description, name, args, repeatable, locations
 * `is_extension` marks `extend schema` / `extend type` etc. (never set for operations, fragments
 * and directive definitions; extensions have no description). */
typedef struct gg_definition {
    gg_definition_kind kind;
    bool is_extension;
    gg_loc loc;
    const char *description;
    bool description_block; /* the description was written as a block string */
    gg_name name;

    gg_operation_kind operation;
    bool shorthand;
    gg_variable_definition *variables;
    unsigned variable_count;
    gg_name type_condition;
    gg_selection_set *selection_set;

    gg_directive *directives;
    unsigned directive_count;

    gg_operation_type_def *operation_types;
    unsigned operation_type_count;
    gg_name *interfaces;
    unsigned interface_count;
    gg_field_def *fields;
    unsigned field_count;
    gg_name *types;
    unsigned type_count;
    gg_enum_value_def *values;
    unsigned value_count;
    gg_input_value_def *input_fields;
    unsigned input_field_count;

    gg_input_value_def *args;
    unsigned arg_count;
    bool repeatable;
    uint32_t locations;      /* gg_directive_location bits */
    gg_name *location_names; /* the locations as written, in order (for error messages / printing) */
    unsigned location_count;
} gg_definition;

typedef struct gg_document {
    gg_definition *definitions;
    unsigned definition_count;
    const char *source; /* the text parsed (not copied: it must outlive the document) */
    size_t source_len;
    unsigned token_count; /* number of lexical tokens read (for the max_tokens limit) */
} gg_document;

/* Returns the spec name of a directive location bit ("FIELD_DEFINITION"), or NULL. */
const char *gg_directive_location_name(uint32_t location_bit);
/* Returns the location bit for a spec name, or 0 when unknown. */
uint32_t gg_directive_location_from_name(const char *name);
/* Returns "query", "mutation" or "subscription". */
const char *gg_operation_kind_name(gg_operation_kind op);

#endif
