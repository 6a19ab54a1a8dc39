/* model.h: the model catalog: what the Amplify GraphQL transformer (v2) directives of a user schema
 * mean, as plain data for the resolvers (PostgreSQL CRUD, relations, auth, sync).
 *
 * gg_amplify_transform (transform.h) fills one gg_amplify_catalog from the user's SDL. Everything
 * lives in the catalog's arena and is read-only afterwards, shared by every thread. Names are the
 * GraphQL names of the served schema; `column`/`table` are the storage names (@refersTo/@mapsTo).
 * Generated fields (id, timestamps, owner, implicit foreign keys, DataStore metadata) are listed
 * in the model like declared ones, with `generated` set, in the order the served type has them.
 * Arrays are never NULL when their count is > 0; optional strings are NULL when absent.
 * Design notes: appsync-compat.md §3 and §4 are the reference for the semantics; the lookup
 * functions below are implemented in transform.c with the transform that fills the catalog. */
#ifndef GG_AMPLIFY_MODEL_H
#define GG_AMPLIFY_MODEL_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/strmap.h"
#include "../graphql/language/ast.h"

/* Auth providers of @auth rules (and the API's auth modes); each maps to one @aws_* directive. */
typedef enum gg_amplify_provider {
    GG_AMPLIFY_PROVIDER_API_KEY,       /* apiKey       -> @aws_api_key */
    GG_AMPLIFY_PROVIDER_IAM,           /* iam          -> @aws_iam */
    GG_AMPLIFY_PROVIDER_IDENTITY_POOL, /* identityPool -> @aws_iam */
    GG_AMPLIFY_PROVIDER_OIDC,          /* oidc         -> @aws_oidc */
    GG_AMPLIFY_PROVIDER_USER_POOLS,    /* userPools    -> @aws_cognito_user_pools */
    GG_AMPLIFY_PROVIDER_FUNCTION,      /* function     -> @aws_lambda */
} gg_amplify_provider;

/* Auth strategies (`allow:`). */
typedef enum gg_amplify_strategy {
    GG_AMPLIFY_ALLOW_PUBLIC,
    GG_AMPLIFY_ALLOW_PRIVATE,
    GG_AMPLIFY_ALLOW_OWNER,
    GG_AMPLIFY_ALLOW_GROUPS,
    GG_AMPLIFY_ALLOW_CUSTOM,
} gg_amplify_strategy;

/* Fine-grained model operations, as bits; `read` is GET|LIST|SYNC|LISTEN|SEARCH. */
enum {
    GG_AMPLIFY_OP_CREATE = 1u << 0,
    GG_AMPLIFY_OP_UPDATE = 1u << 1,
    GG_AMPLIFY_OP_DELETE = 1u << 2,
    GG_AMPLIFY_OP_GET = 1u << 3,
    GG_AMPLIFY_OP_LIST = 1u << 4,
    GG_AMPLIFY_OP_SYNC = 1u << 5,
    GG_AMPLIFY_OP_LISTEN = 1u << 6,
    GG_AMPLIFY_OP_SEARCH = 1u << 7,
    GG_AMPLIFY_OP_READ = (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7),
    GG_AMPLIFY_OP_ALL = 0xffu,
};

/* How a synced model resolves a versioned write whose _version is not the stored one
 * (appsync-compat.md §4.5; datastore.conflict_handler). */
typedef enum gg_amplify_conflict_handler {
    GG_AMPLIFY_CONFLICT_AUTOMERGE,  /* merge the input into the stored row and retry */
    GG_AMPLIFY_CONFLICT_OPTIMISTIC, /* OPTIMISTIC_CONCURRENCY: refuse, answering the stored row */
    GG_AMPLIFY_CONFLICT_LAMBDA,     /* a plugin's conflict handler decides (datastore.lambda.*) */
} gg_amplify_conflict_handler;

/* One @auth rule, with the transformer's defaults filled in. */
typedef struct gg_amplify_auth_rule {
    gg_amplify_strategy allow; /* allow: */
    gg_amplify_provider
        provider; /* provider: or the strategy's default (public: apiKey, custom: function, others: userPools) */
    const char *owner_field;    /* owner rules: ownerField (default "owner"); else NULL */
    const char *identity_claim; /* owner rules: identityClaim (default "sub::username" for userPools, "sub" for oidc);
                                   else NULL */
    const char *group_claim;    /* groups rules: groupClaim (default "cognito:groups"); else NULL */
    const char **groups;        /* static groups rules: groups: [...] */
    unsigned group_count;
    const char *groups_field; /* dynamic groups rules: groupsField (default "groups"); else NULL */
    unsigned operations;      /* GG_AMPLIFY_OP_* bits allowed (GG_AMPLIFY_OP_ALL when `operations` is omitted) */
    gg_loc loc;               /* the rule object in the SDL */
} gg_amplify_auth_rule;

/* What a field of a model holds. */
typedef enum gg_amplify_field_kind {
    GG_AMPLIFY_FIELD_SCALAR,   /* a built-in or AWS scalar (type_name says which) */
    GG_AMPLIFY_FIELD_ENUM,     /* a user enum */
    GG_AMPLIFY_FIELD_EMBEDDED, /* a non-model object type, stored inline (JSON) */
    GG_AMPLIFY_FIELD_RELATION, /* a @hasMany/@hasOne/@belongsTo/@manyToMany field (no column) */
} gg_amplify_field_kind;

typedef enum gg_amplify_relation_kind {
    GG_AMPLIFY_HAS_MANY,
    GG_AMPLIFY_HAS_ONE,
    GG_AMPLIFY_BELONGS_TO,
    GG_AMPLIFY_MANY_TO_MANY,
} gg_amplify_relation_kind;

/* A relation field. The rows of `target` related to a row R of this model are those whose
 * remote_fields[i] equal R's local_fields[i] for i < local_count. remote_count may be larger for
 * @hasMany(fields:) naming a prefix of the related index: the remaining remote fields are that
 * index's sort key (the connection field's sort-key argument). For @manyToMany, local/remote
 * describe this model -> the join model (rows of the join model whose <model>Id field holds R's
 * key); the join model's own @belongsTo fields lead on to the other side. A served @hasMany or
 * @manyToMany field returns Model<Target>Connection (filter, sortDirection, limit, nextToken). */
typedef struct gg_amplify_relation {
    gg_amplify_relation_kind kind;
    const char *target;        /* the related model's name (for manyToMany: the other model) */
    const char **local_fields; /* fields of this model holding the key (PK fields or a foreign key) */
    unsigned local_count;
    const char **remote_fields; /* fields of the target (or join) model matched against them */
    unsigned remote_count;
    bool uses_references;          /* written with references: [...] (v2 "references" form) */
    bool uses_fields;              /* written with fields: [...] (v2 "fields" form) */
    bool implicit_keys;            /* neither form: the transformer generated the foreign key field(s) */
    const char *index_name;        /* @hasMany/@hasOne(indexName:) or @belongsTo(overrideIndexName:), or NULL */
    const char *join_model;        /* manyToMany: the generated join model (relationName), else NULL */
    const char *join_local_field;  /* manyToMany: the join model's field pointing to this model (e.g. "productId") */
    const char *join_remote_field; /* manyToMany: the join model's field pointing to the target (e.g. "categoryId") */
    unsigned limit;                /* @hasMany/@manyToMany(limit:) default page size (100) */
} gg_amplify_relation;

/* One field of a model's served object type. */
typedef struct gg_amplify_field {
    const char *name;           /* GraphQL field name */
    const char *column;         /* storage column (@refersTo(name:) on the field, else name); NULL for relations */
    const char *type_name;      /* the named type: "String", "AWSDateTime", "PostStatus", "Todo" ... */
    const char *type_sdl;       /* the full type as served: "[String]!" */
    gg_amplify_field_kind kind; /* scalar, enum, embedded object, or relation */
    bool non_null;              /* outer `!` */
    bool list;                  /* a list type */
    bool item_non_null;         /* list items are `!` */
    bool generated;             /* added by the transform (id, timestamps, owner, implicit FK, _version ...) */
    bool is_primary_key;        /* part of the primary key (partition or sort key) */
    const char *default_value;  /* @default(value:) as written (a string), or NULL */
    bool read_only;             /* @readOnly (graphgate's own): the database writes it; in no create or update
                                 * input (but as the key of an update), and graphgate never writes it */
    const gg_amplify_relation *relation; /* relation fields only */
    const gg_amplify_auth_rule
        *auth_rules; /* field-level @auth rules (they replace the model's rules for this field) */
    unsigned auth_rule_count;
    gg_loc loc; /* its definition (generated fields: the model's location) */
} gg_amplify_field;

/* A secondary index (@index). */
typedef struct gg_amplify_index {
    const char *name;            /* @index(name:), or the generated <plural>By<Field>[And<SortField>...] */
    const char *partition_field; /* the field carrying @index */
    const char **sort_fields;    /* sortKeyFields */
    unsigned sort_count;
    const char *query_field; /* the generated query field name, or NULL when there is none */
} gg_amplify_index;

/* The generated root field names of a model (NULL: not generated). */
typedef struct gg_amplify_operations {
    const char *get, *list, *sync;                 /* queries (sync only with conflict detection) */
    const char *create, *update, *delete_;         /* mutations */
    const char *on_create, *on_update, *on_delete; /* subscriptions (the first name when several are configured) */
    bool subscriptions_public;                     /* @model(subscriptions: {level: public}): no auth on listen */
} gg_amplify_operations;

typedef struct gg_amplify_model {
    const char *name;         /* the type name */
    const char *plural;       /* the transformer's plural of Name (Todo, todo -> Todos; Category -> Categories) */
    const char *table;        /* storage table: @mapsTo(name:) / @refersTo(name:) on the type, or the name */
    gg_amplify_field *fields; /* in served order, generated ones included */
    unsigned field_count;
    const char **primary_key; /* partition key field then sort key fields (default: "id") */
    unsigned primary_key_count;
    gg_amplify_index *indexes; /* @index, in declaration order */
    unsigned index_count;
    gg_amplify_operations ops; /* generated root field names */
    const char *created_at;    /* createdAt field name (renamed by @model(timestamps:)), NULL when disabled */
    const char *updated_at;    /* updatedAt field name, NULL when disabled */
    gg_amplify_auth_rule
        *auth_rules; /* type-level @auth rules (join models: both sides'; none: sandbox/default mode) */
    unsigned auth_rule_count;
    bool has_auth; /* the type carries @auth */
    bool sync;     /* conflict detection on for this model: _version, _deleted, _lastChangedAt, syncX */
    gg_amplify_conflict_handler conflict_handler; /* sync: what a version mismatch does */
    bool is_join_model;                           /* generated for a @manyToMany */
    gg_loc loc;                                   /* the type definition */
} gg_amplify_model;

/* What a generated root field does. */
typedef enum gg_amplify_op_kind {
    GG_AMPLIFY_OP_KIND_GET,
    GG_AMPLIFY_OP_KIND_LIST,
    GG_AMPLIFY_OP_KIND_SYNC,
    GG_AMPLIFY_OP_KIND_INDEX_QUERY, /* an @index queryField */
    GG_AMPLIFY_OP_KIND_CREATE,
    GG_AMPLIFY_OP_KIND_UPDATE,
    GG_AMPLIFY_OP_KIND_DELETE,
    GG_AMPLIFY_OP_KIND_ON_CREATE,
    GG_AMPLIFY_OP_KIND_ON_UPDATE,
    GG_AMPLIFY_OP_KIND_ON_DELETE,
} gg_amplify_op_kind;

/* A generated root field and the model it serves. */
typedef struct gg_amplify_operation {
    gg_amplify_op_kind kind;
    const char *root_type; /* "Query", "Mutation" or "Subscription" */
    const char *field;     /* the root field name, e.g. "listTodos" */
    const struct gg_amplify_model *model;
    const gg_amplify_index *index; /* INDEX_QUERY: the index it reads, else NULL */
    const char *mutation;          /* ON_*: the mutation field that triggers it */
} gg_amplify_operation;

/* A user-written field of a non-model type or root type bound by @sql or @function, or carrying
 * @auth (the served SDL drops those directives; this is where their arguments stay). */
typedef struct gg_amplify_custom_field {
    const char *type;          /* parent type name, e.g. "Query" */
    const char *field;         /* field name */
    const char *sql_statement; /* @sql(statement:), or NULL */
    const char *sql_reference; /* @sql(reference:), or NULL */
    const char **functions;    /* @function(name:) values, in pipeline order */
    unsigned function_count;
    const gg_amplify_auth_rule *auth_rules; /* the field's @auth rules (server/gateway/custom_auth.c) */
    unsigned auth_rule_count;
    gg_loc loc; /* the field definition */
} gg_amplify_custom_field;

typedef struct gg_amplify_catalog {
    gg_arena arena;            /* owns everything below */
    gg_amplify_model **models; /* in schema order (join models after the user's models) */
    unsigned model_count;
    gg_strmap model_map;              /* name -> gg_amplify_model* */
    bool sandbox_public;              /* `input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }` */
    gg_amplify_provider default_auth; /* the API's default auth mode the schema was generated for */
    gg_amplify_operation *operations; /* every generated root field, in model order */
    unsigned operation_count;
    gg_strmap operation_map;                /* "Query.listTodos" -> gg_amplify_operation* */
    gg_amplify_custom_field *custom_fields; /* @sql / @function / @auth fields of non-model types, in schema order */
    unsigned custom_field_count;
    const char *database_schema; /* database.schema, set by the gateway (no SDL says it): the PostgreSQL schema of
                                  * every model's table and of graphgate_meta; NULL: the search_path's */
} gg_amplify_catalog;

/* Returns the model named name, or NULL. */
const gg_amplify_model *gg_amplify_find_model(const gg_amplify_catalog *catalog, const char *name);
/* Returns the field of a model named name, or NULL. */
const gg_amplify_field *gg_amplify_find_field(const gg_amplify_model *model, const char *name);
/* Returns the generated root field root_type.field ("Query", "listTodos"), or NULL. */
const gg_amplify_operation *gg_amplify_find_operation(const gg_amplify_catalog *catalog, const char *root_type,
                                                      const char *field);
/* Releases a catalog and everything it owns (NULL is fine). */
void gg_amplify_catalog_free(gg_amplify_catalog *catalog);
/* The @aws_* directive name (without '@') of a provider: "aws_api_key" ... */
const char *gg_amplify_provider_directive(gg_amplify_provider provider);

#endif
