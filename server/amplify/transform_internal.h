/* transform_internal.h: what the files of the @model transform (server/amplify, see transform.c
 * for the steps and their files) share: the transform's state (transform_state), one model_info
 * per model, the definitions of the served document (output_definition), and the helpers used by
 * more than one step, each with the gg_amplify_ prefix and defined in the file its group names.
 * Private to server/amplify.
 *
 * Two arenas: transform_state.catalog_arena holds what the catalog keeps (names, rules, keys);
 * transform_state.scratch_arena holds the output document, freed when the transform returns. */
#ifndef GG_AMPLIFY_TRANSFORM_INTERNAL_H
#define GG_AMPLIFY_TRANSFORM_INTERNAL_H

#include "transform.h"

typedef GG_VEC(gg_field_def) field_vec;
typedef GG_VEC(gg_input_value_def) input_value_vec;
typedef GG_VEC(gg_directive) directive_vec;
typedef GG_VEC(gg_enum_value_def) enum_value_vec;
typedef GG_VEC(const char *) string_vec;
typedef GG_VEC(gg_amplify_auth_rule) rule_vec;
typedef GG_VEC(rule_vec) rule_vec_list;

/* One definition of the served document. */
typedef struct output_definition {
    gg_definition def;      /* kind, name, description, and the user's other members */
    field_vec fields;       /* OBJECT */
    input_value_vec inputs; /* INPUT_OBJECT */
    enum_value_vec values;  /* ENUM */
    directive_vec directives;
    bool keep_user;            /* print def's own members (a user definition other than objects) */
    const gg_definition *user; /* the user's definition it comes from, or NULL */
    bool dropped;
} output_definition;

typedef struct relation_config {
    gg_amplify_relation_kind kind;
    const gg_field_def *field; /* the user's field */
    const gg_directive *directive;
    const char *target;
    string_vec fields, references;
    const char *index_name, *relation_name;
    unsigned limit;
    gg_amplify_relation *out;
} relation_config;

typedef struct index_config {
    const char *field;
    const gg_type_ref *type;
    const char *name;
    string_vec sort;
    const char *query_field;
    gg_loc loc;
} index_config;

typedef struct model_info {
    gg_amplify_model *model;
    const char *type_name; /* what the model plugin's names are built on (gg_amplify_model_type_name) */
    unsigned index;
    const gg_definition *def;  /* NULL for join models */
    field_vec user_fields;     /* the user's fields (directives kept, for reading) */
    const char *partition_key; /* partition key field name */
    string_vec sort_key;       /* sort key field names */
    bool custom_partition_key;
    bool declares_id;
    GG_VEC(index_config) indexes;
    GG_VEC(relation_config) relations;
    rule_vec rules;
    rule_vec field_rules;          /* the field-level @auth rules of all fields (they widen the model's providers) */
    rule_vec all_rules;            /* rules then field_rules: the roles of the transformer's access matrix */
    rule_vec_list per_field_rules; /* the rules of each field that has @auth, one entry per such field */
    string_vec per_field_names;    /* the names of those fields, parallel */
    string_vec on_create, on_update, on_delete;
    int subscription_level; /* 0 on, 1 public, 2 off */
    bool no_subscriptions;
    output_definition *type, *connection, *filter, *condition, *subscription_filter, *create_input, *update_input,
        *delete_input;
    /* join models */
    const char *join_a, *join_b, *join_a_field, *join_b_field, *join_a_relation, *join_b_relation;
    string_vec join_a_keys, join_b_keys; /* the join model's fields holding each side's primary key */
    struct model_info *join_a_model, *join_b_model;
    gg_loc loc;
} model_info;

typedef struct transform_state {
    gg_arena *catalog_arena; /* what the catalog keeps */
    gg_arena *scratch_arena; /* the output AST, freed when the transform returns */
    const gg_schema *schema;
    gg_error_list *errors;
    gg_amplify_options options;
    gg_amplify_catalog *catalog;
    const char **doc_names;
    unsigned first_user_doc, user_doc_count;
    GG_VEC(output_definition *) out;
    gg_strmap out_map;
    GG_VEC(model_info *) models;
    gg_strmap model_map; /* name -> model_info* */
    output_definition *query, *mutation, *subscription;
    gg_strmap nested_seen; /* non-model types that got a model's auth directives */
    bool ok;
} transform_state;

/* ---- names.c: derived names ---- */

/* A copy of s with its first letter in upper case. */
char *gg_amplify_upper_first(gg_arena *a, const char *s);
/* A copy of s with its first letter in lower case. */
char *gg_amplify_lower_first(gg_arena *a, const char *s);
/* What the transformer's model plugin builds a model's operation and type names on: the name with
 * an upper-case first letter (todo -> getTodo, listTodos, CreateTodoInput, ModelTodoConnection,
 * onCreateTodo, syncTodos). The index and relational plugins build theirs on the name as written
 * (Model<name>Connection and Model<name>FilterInput of index queries and relation fields, the
 * composite key inputs), and the table keeps the name as written. */
char *gg_amplify_model_type_name(gg_arena *a, const char *model_name);

/* ---- user_schema.c: reading the user's schema ---- */

/* Adds an error at loc in def's source file and marks the transform failed; returns it. */
gg_error *gg_amplify_fail(transform_state *t, const gg_definition *def, gg_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The directive named name among dirs, or NULL. */
const gg_directive *gg_amplify_find_directive(const gg_directive *directives, unsigned count, const char *name);
/* The value of a directive's argument, or NULL when absent (d may be NULL). */
const gg_value *gg_amplify_directive_argument(const gg_directive *d, const char *name);
/* A string or enum value as a string in the catalog arena, or NULL. */
const char *gg_amplify_string_value(transform_state *t, const gg_value *v);
/* The base scalar an Amplify scalar filters as (the transformer's DEFAULT_SCALARS), or NULL. */
const char *gg_amplify_base_scalar(const char *name);
/* The named type of the user schema (preludes included), or NULL. */
const gg_type *gg_amplify_user_type(transform_state *t, const char *name);
/* True when name is an enum type. */
bool gg_amplify_is_enum(transform_state *t, const char *name);
/* The model_info of the @model (or join model) named name, or NULL. */
model_info *gg_amplify_model_info_named(transform_state *t, const char *name);
/* True when name is a non-model object type of the user (stored inline). */
bool gg_amplify_is_embedded(transform_state *t, const char *name);

/* ---- output_document.c: building the served document ---- */

/* A named type reference. */
gg_type_ref *gg_amplify_type_named(transform_state *t, const char *name);
/* The list type [of]. */
gg_type_ref *gg_amplify_type_list(transform_state *t, gg_type_ref *of);
/* The non-null type of!. */
gg_type_ref *gg_amplify_type_non_null(transform_state *t, gg_type_ref *of);
/* The named type inside a type reference. */
const char *gg_amplify_type_base_name(const gg_type_ref *r);
/* True for [T] and [T]!. */
bool gg_amplify_type_is_list(const gg_type_ref *r);
/* A copy of r with the named type renamed (NULL: keep) and the outer ! dropped when nullable. */
gg_type_ref *gg_amplify_type_copy(transform_state *t, const gg_type_ref *r, const char *name, bool nullable);
/* A copy of r made non-null. */
gg_type_ref *gg_amplify_type_copy_non_null(transform_state *t, const gg_type_ref *r);
/* An input value definition (argument or input field). */
gg_input_value_def gg_amplify_input_value_definition(const char *name, gg_type_ref *type);
/* A directive without arguments. */
gg_directive gg_amplify_directive_named(const char *name);
/* Appends the directives that are not transformer directives. */
void gg_amplify_copy_kept_directives(transform_state *t, directive_vec *out, const gg_directive *directives,
                                     unsigned count);
/* A copy of a user's field without its transformer directives. */
gg_field_def gg_amplify_field_without_transformer_directives(transform_state *t, const gg_field_def *f);
/* A field definition without arguments. */
gg_field_def gg_amplify_field_definition(const char *name, gg_type_ref *type);
/* The definition of the served document named name, or NULL. */
output_definition *gg_amplify_output_find(transform_state *t, const char *name);
/* Adds a generated definition; a user definition of the same name is an error. */
output_definition *gg_amplify_output_add(transform_state *t, gg_definition_kind kind, const char *name);
/* True when the served document has a definition named name. */
bool gg_amplify_output_has(transform_state *t, const char *name);
/* Appends an input field to an input object. */
void gg_amplify_add_input_field(transform_state *t, output_definition *o, const char *name, gg_type_ref *type);
/* True when an input object has the field. */
bool gg_amplify_input_has_field(const output_definition *o, const char *name);
/* Removes an input field, if present. */
void gg_amplify_input_remove_field(output_definition *o, const char *name);
/* The field of an object type named name, or NULL. */
gg_field_def *gg_amplify_object_field(output_definition *o, const char *name);
/* Appends a field to an object type. */
void gg_amplify_add_object_field(transform_state *t, output_definition *o, gg_field_def f);
/* Removes a field of an object type, if present. */
void gg_amplify_object_remove_field(output_definition *o, const char *name);
/* Adds a generated root field; a user-written field of the same name is an error. */
void gg_amplify_add_root_field(transform_state *t, output_definition *root, gg_field_def f, const model_info *mi);
/* True when the directives include one named name. */
bool gg_amplify_has_directive(const directive_vec *d, const char *name);
/* Appends the directives of add not present in into yet. */
void gg_amplify_merge_directives(transform_state *t, directive_vec *into, const directive_vec *add);
/* The Query, Mutation or Subscription type, added when missing. */
output_definition *gg_amplify_root_type(transform_state *t, gg_operation_kind op);
/* The field of a root type (NULL root or name: none), or NULL. */
gg_field_def *gg_amplify_root_field(output_definition *root, const char *name);

/* ---- read_directives.c, join_models.c: step 1 ---- */

/* The user's field of a model (extensions included), or NULL. */
const gg_field_def *gg_amplify_user_field(const model_info *mi, const char *name);
/* Reads @auth(rules: [...]) with the transformer's defaults, checking providers and names. */
void gg_amplify_read_auth_rules(transform_state *t, const gg_definition *def, const gg_directive *auth, rule_vec *out);
/* Sets a new model's sync and conflict_handler from the options (its own entry, else the project's). */
void gg_amplify_model_sync_settings(transform_state *t, gg_amplify_model *model);
/* Adds a model (catalog entry and model_info) named name. */
model_info *gg_amplify_new_model_info(transform_state *t, const char *name, gg_loc loc);
/* Step 1: the models of the user SDL and their directives. */
void gg_amplify_collect_models(transform_state *t);
/* Step 1, end: one join model per @manyToMany relationName. */
void gg_amplify_make_join_models(transform_state *t);

/* ---- output_start.c: step 2 ---- */

/* Step 2: the user's definitions, then the join model types. */
void gg_amplify_start_output(transform_state *t);
/* Step 2: the transformer's shared inputs (ModelStringInput ... ModelSortDirection). */
void gg_amplify_add_shared_inputs(transform_state *t);

/* ---- model_step.c: step 3 ---- */

/* Model<T>Connection, made on first need. */
output_definition *gg_amplify_ensure_connection(transform_state *t, model_info *mi, bool with_started_at);
/* Model<T>FilterInput (and its enum inputs), made on first need. */
output_definition *gg_amplify_ensure_filter(transform_state *t, model_info *mi);
/* Model<name>Connection and Model<name>FilterInput, which an @index query field (relation false)
 * or a list relation field (relation true) returns and takes, made on first need. Those plugins
 * name them after the model's name as written: the model's own types when that is its type name,
 * else types of their own (the connection without startedAt; the filter of the user's fields,
 * with _deleted for a relation to a synced model). */
void gg_amplify_ensure_written_name_types(transform_state *t, model_info *mi, bool relation);
/* A root field with these arguments. */
gg_field_def gg_amplify_operation_field(transform_state *t, const char *name, const input_value_vec *args,
                                        gg_type_ref *type);
/* Step 3 for one model: fields, queries, mutations, subscriptions, DataStore fields. */
void gg_amplify_model_step(transform_state *t, model_info *mi);

/* ---- keys.c: step 4a ---- */

/* A model's served field, else its user field, or NULL. */
const gg_field_def *gg_amplify_served_field(model_info *mi, const char *name);
/* The sort-key argument of a list or index query, with its key-condition inputs. */
gg_input_value_def gg_amplify_sort_key_argument(transform_state *t, model_info *mi, const string_vec *sort_key_fields,
                                                const char *key_name);
/* Step 4a: a custom @primaryKey in the queries and inputs. */
void gg_amplify_primary_key_step(transform_state *t, model_info *mi);
/* Step 4a: the query fields of @index. */
void gg_amplify_index_step(transform_state *t, model_info *mi);

/* ---- relations.c: step 4b ---- */

/* The strings of v as an array in the catalog arena (never NULL). */
const char **gg_amplify_string_array(transform_state *t, const string_vec *v);
/* Appends a model's primary key fields (partition key, then sort key). */
void gg_amplify_primary_key_names(transform_state *t, const model_info *mi, string_vec *out);
/* Step 4b: relation fields, implicit foreign keys, catalog relations. */
void gg_amplify_relations_step(transform_state *t);

/* ---- auth.c: step 4c ---- */

/* The @aws_* directive name of each gg_amplify_provider. */
extern const char *const gg_amplify_provider_directive_names[6];
/* Appends @aws_api_key for a model without @auth in sandbox mode when API key is not the default. */
void gg_amplify_sandbox_directives(transform_state *t, const model_info *mi, directive_vec *out);
/* Step 4c for one model with @auth: owner fields, @aws_* directives, subscription arguments. */
void gg_amplify_auth_step(transform_state *t, model_info *mi);
/* Step 4c for one model without @auth: the sandbox-mode directives (run right after its model step). */
void gg_amplify_sandbox_step(transform_state *t, model_info *mi);
/* Step 4c: @auth on fields of non-model types. */
void gg_amplify_non_model_auth_step(transform_state *t);

/* ---- catalog.c: step 5 ---- */

/* Step 5: the catalog models, from the final model types. */
void gg_amplify_build_catalog(transform_state *t);
/* Step 5: every generated root field in the catalog. */
void gg_amplify_build_operations(transform_state *t);
/* Step 5: the @sql and @function fields in the catalog. */
void gg_amplify_collect_custom_fields(transform_state *t);

#endif
