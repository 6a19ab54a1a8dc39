/* transform_internal.h: what the files of the @model transform (server/amplify, see transform.c
 * for the steps and their files) share: the transform's state (tx), one minfo per model, the
 * definitions of the served document (odef), and the helpers used by more than one step, each
 * with the amp_ prefix and defined in the file its group names. Private to server/amplify.
 *
 * Two arenas: tx.a, the catalog arena, holds what the catalog keeps (names, rules, keys); tx.s,
 * the scratch arena, holds the output document, freed when the transform returns. */
#ifndef GG_AMPLIFY_TRANSFORM_INTERNAL_H
#define GG_AMPLIFY_TRANSFORM_INTERNAL_H

#include "transform.h"

typedef GG_VEC(gg_field_def) fieldvec;
typedef GG_VEC(gg_input_value_def) ivvec;
typedef GG_VEC(gg_directive) dirvec;
typedef GG_VEC(gg_enum_value_def) valvec;
typedef GG_VEC(const char *) strvec;
typedef GG_VEC(gg_amplify_auth_rule) rulevec;
typedef GG_VEC(rulevec) rulevecs;

/* One definition of the served document. */
typedef struct odef {
    gg_definition def; /* kind, name, description, and the user's other members */
    fieldvec fields;   /* OBJECT */
    ivvec inputs;      /* INPUT_OBJECT */
    valvec values;     /* ENUM */
    dirvec dirs;
    bool keep_user;            /* print def's own members (a user definition other than objects) */
    const gg_definition *user; /* the user's definition it comes from, or NULL */
    bool dropped;
} odef;

typedef struct relation_cfg {
    gg_amplify_relation_kind kind;
    const gg_field_def *field; /* the user's field */
    const gg_directive *dir;
    const char *target;
    strvec fields, references;
    const char *index_name, *relation_name;
    unsigned limit;
    gg_amplify_relation *out;
} relation_cfg;

typedef struct index_cfg {
    const char *field;
    const gg_type_ref *type;
    const char *name;
    strvec sort;
    const char *query_field;
    gg_loc loc;
} index_cfg;

typedef struct minfo {
    gg_amplify_model *m;
    unsigned index;
    const gg_definition *def; /* NULL for join models */
    fieldvec ufields;         /* the user's fields (directives kept, for reading) */
    const char *pk;           /* partition key field name */
    strvec sk;                /* sort key field names */
    bool custom_pk;
    bool declares_id;
    GG_VEC(index_cfg) indexes;
    GG_VEC(relation_cfg) relations;
    rulevec rules;
    rulevec field_rules;      /* the field-level @auth rules of all fields (they widen the model's providers) */
    rulevec all_rules;        /* rules then field_rules: the roles of the transformer's access matrix */
    rulevecs per_field_rules; /* the rules of each field that has @auth, one entry per such field */
    strvec per_field_names;   /* the names of those fields, parallel */
    strvec on_create, on_update, on_delete;
    int sub_level; /* 0 on, 1 public, 2 off */
    bool no_subscriptions;
    odef *type, *connection, *filter, *condition, *sub_filter, *create_in, *update_in, *delete_in;
    /* join models */
    const char *join_a, *join_b, *join_a_field, *join_b_field, *join_a_rel, *join_b_rel;
    struct minfo *join_a_model, *join_b_model;
    gg_loc loc;
} minfo;

typedef struct tx {
    gg_arena *a; /* catalog arena */
    gg_arena *s; /* scratch arena (output AST) */
    const gg_schema *schema;
    gg_error_list *errors;
    gg_amplify_options opts;
    gg_amplify_catalog *cat;
    const char **doc_names;
    unsigned first_user_doc, user_doc_count;
    GG_VEC(odef *) out;
    gg_strmap out_map;
    GG_VEC(minfo *) models;
    gg_strmap model_map; /* name -> minfo* */
    odef *query, *mutation, *subscription;
    gg_strmap nested_seen; /* non-model types that got a model's auth directives */
    bool ok;
} tx;

/* ---- names.c: derived names ---- */

/* A copy of s with its first letter in upper case. */
char *amp_upper_first(gg_arena *a, const char *s);
/* A copy of s with its first letter in lower case. */
char *amp_lower_first(gg_arena *a, const char *s);
/* The transformer's plural of a model name (Todo -> Todos, Category -> Categories). */
char *amp_pluralize(gg_arena *a, const char *word);

/* ---- user_schema.c: reading the user's schema ---- */

/* Adds an error at loc in def's source file and marks the transform failed; returns it. */
gg_error *amp_fail(tx *t, const gg_definition *def, gg_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The directive named name among dirs, or NULL. */
const gg_directive *amp_find_dir(const gg_directive *dirs, unsigned count, const char *name);
/* The value of a directive's argument, or NULL when absent (d may be NULL). */
const gg_value *amp_dir_arg(const gg_directive *d, const char *name);
/* A string or enum value as a string in the catalog arena, or NULL. */
const char *amp_str_value(tx *t, const gg_value *v);
/* The base scalar an Amplify scalar filters as (the transformer's DEFAULT_SCALARS), or NULL. */
const char *amp_base_scalar(const char *name);
/* The named type of the user schema (preludes included), or NULL. */
const gg_type *amp_user_type(tx *t, const char *name);
/* True when name is an enum type. */
bool amp_is_enum(tx *t, const char *name);
/* The minfo of the @model (or join model) named name, or NULL. */
minfo *amp_model_named(tx *t, const char *name);
/* True when name is a non-model object type of the user (stored inline). */
bool amp_is_embedded(tx *t, const char *name);

/* ---- output_document.c: building the served document ---- */

/* A named type reference. */
gg_type_ref *amp_tr_named(tx *t, const char *name);
/* The list type [of]. */
gg_type_ref *amp_tr_list(tx *t, gg_type_ref *of);
/* The non-null type of!. */
gg_type_ref *amp_tr_nn(tx *t, gg_type_ref *of);
/* The named type inside a type reference. */
const char *amp_tr_base(const gg_type_ref *r);
/* True for [T] and [T]!. */
bool amp_tr_is_list(const gg_type_ref *r);
/* A copy of r with the named type renamed (NULL: keep) and the outer ! dropped when nullable. */
gg_type_ref *amp_tr_copy(tx *t, const gg_type_ref *r, const char *name, bool nullable);
/* A copy of r made non-null. */
gg_type_ref *amp_tr_nonnull(tx *t, const gg_type_ref *r);
/* An input value definition (argument or input field). */
gg_input_value_def amp_ivd(const char *name, gg_type_ref *type);
/* A directive without arguments. */
gg_directive amp_dir_named(const char *name);
/* Appends the directives that are not transformer directives. */
void amp_copy_kept_directives(tx *t, dirvec *out, const gg_directive *dirs, unsigned count);
/* A copy of a user's field without its transformer directives. */
gg_field_def amp_field_without_transformer_directives(tx *t, const gg_field_def *f);
/* A field definition without arguments. */
gg_field_def amp_mk_field(const char *name, gg_type_ref *type);
/* The definition of the served document named name, or NULL. */
odef *amp_out_find(tx *t, const char *name);
/* Adds a generated definition; a user definition of the same name is an error. */
odef *amp_out_add(tx *t, gg_definition_kind kind, const char *name);
/* True when the served document has a definition named name. */
bool amp_out_has(tx *t, const char *name);
/* Appends an input field to an input object. */
void amp_add_input_field(tx *t, odef *o, const char *name, gg_type_ref *type);
/* True when an input object has the field. */
bool amp_input_has(const odef *o, const char *name);
/* Removes an input field, if present. */
void amp_input_remove(odef *o, const char *name);
/* The field of an object type named name, or NULL. */
gg_field_def *amp_object_field(odef *o, const char *name);
/* Appends a field to an object type. */
void amp_add_object_field(tx *t, odef *o, gg_field_def f);
/* Removes a field of an object type, if present. */
void amp_object_remove(odef *o, const char *name);
/* Adds a generated root field; a user-written field of the same name is an error. */
void amp_add_root_field(tx *t, odef *root, gg_field_def f, const minfo *mi);
/* True when the directives include one named name. */
bool amp_has_dir(const dirvec *d, const char *name);
/* Appends the directives of add not present in into yet. */
void amp_merge_dirs(tx *t, dirvec *into, const dirvec *add);
/* The Query, Mutation or Subscription type, added when missing. */
odef *amp_root_type(tx *t, gg_operation_kind op);
/* The field of a root type (NULL root: none), or NULL. */
gg_field_def *amp_root_field(odef *root, const char *name);

/* ---- read_directives.c, join_models.c: step 1 ---- */

/* The user's field of a model (extensions included), or NULL. */
const gg_field_def *amp_user_field(const minfo *mi, const char *name);
/* Reads @auth(rules: [...]) with the transformer's defaults, checking providers and names. */
void amp_read_rules(tx *t, const gg_definition *def, const gg_directive *auth, rulevec *out);
/* Adds a model (catalog entry and minfo) named name. */
minfo *amp_new_minfo(tx *t, const char *name, gg_loc loc);
/* Step 1: the models of the user SDL and their directives. */
void amp_collect_models(tx *t);
/* Step 1, end: one join model per @manyToMany relationName. */
void amp_make_join_models(tx *t);

/* ---- output_start.c: step 2 ---- */

/* Step 2: the user's definitions, then the join model types. */
void amp_start_output(tx *t);
/* Step 2: the transformer's shared inputs (ModelStringInput ... ModelSortDirection). */
void amp_add_shared_inputs(tx *t);

/* ---- model_step.c: step 3 ---- */

/* Model<T>Connection, made on first need. */
odef *amp_ensure_connection(tx *t, minfo *mi, bool with_started_at);
/* Model<T>FilterInput (and its enum inputs), made on first need. */
odef *amp_ensure_filter(tx *t, minfo *mi);
/* A root field with these arguments. */
gg_field_def amp_op_field(tx *t, const char *name, const ivvec *args, gg_type_ref *type);
/* Step 3 for one model: fields, queries, mutations, subscriptions, DataStore fields. */
void amp_model_step(tx *t, minfo *mi);

/* ---- keys.c: step 4a ---- */

/* A model's served field, else its user field, or NULL. */
const gg_field_def *amp_served_field(minfo *mi, const char *name);
/* The sort-key argument of a list or index query, with its key-condition inputs. */
gg_input_value_def amp_sort_key_arg(tx *t, minfo *mi, const strvec *sk, const char *key_name);
/* Step 4a: a custom @primaryKey in the queries and inputs. */
void amp_primary_key_step(tx *t, minfo *mi);
/* Step 4a: the query fields of @index. */
void amp_index_step(tx *t, minfo *mi);

/* ---- relations.c: step 4b ---- */

/* The strings of v as an array in the catalog arena (never NULL). */
const char **amp_to_array(tx *t, const strvec *v);
/* Appends a model's primary key fields (partition key, then sort key). */
void amp_pk_names(tx *t, const minfo *mi, strvec *out);
/* Step 4b: relation fields, implicit foreign keys, catalog relations. */
void amp_relations_step(tx *t);

/* ---- auth.c: step 4c ---- */

/* The @aws_* directive name of each gg_amplify_provider. */
extern const char *const amp_provider_directive[6];
/* Appends @aws_api_key for a model without @auth in sandbox mode when API key is not the default. */
void amp_sandbox_directives(tx *t, const minfo *mi, dirvec *out);
/* Step 4c for one model with @auth: owner fields, @aws_* directives, subscription arguments. */
void amp_auth_step(tx *t, minfo *mi);
/* Step 4c for one model without @auth: the sandbox-mode directives (run right after its model step). */
void amp_sandbox_step(tx *t, minfo *mi);
/* Step 4c: @auth on fields of non-model types. */
void amp_non_model_auth_step(tx *t);

/* ---- catalog.c: step 5 ---- */

/* Step 5: the catalog models, from the final model types. */
void amp_build_catalog(tx *t);
/* Step 5: every generated root field in the catalog. */
void amp_build_operations(tx *t);
/* Step 5: the @sql and @function fields in the catalog. */
void amp_collect_custom_fields(tx *t);

#endif
