/* introspect.h: the tables, views, columns, keys, indexes, foreign keys and enums of one schema
 * of a PostgreSQL database, read from the system catalogs for `graphgate init --from-database`
 * (issue 12), which writes an Amplify schema over them.
 *
 * Plain data in one arena, no SQL or GraphQL decisions beyond the column's type class (the
 * GraphQL scalar that column_types.c accepts for it, so the generated schema binds exactly as
 * start-up will). Blocking libpq calls: the command line only. */
#ifndef GG_PG_INTROSPECT_H
#define GG_PG_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/fault.h"

typedef struct gg_pg_db_enum {
    const char *name; /* the PostgreSQL type name */
    const char **labels;
    unsigned label_count;
} gg_pg_db_enum;

typedef struct gg_pg_db_column {
    const char *name;               /* the column name, as stored */
    int attnum;                     /* pg_attribute.attnum */
    const char *type;               /* the declared type, for messages: "numeric(10,2)", "text[]" */
    const char *base_type;          /* pg_type.typname of the value (the item, for arrays; a domain's base type) */
    char base_kind;                 /* its pg_type.typtype: 'b' base, 'e' enum, 'c' composite, 'r' range ... */
    unsigned base_oid;              /* its pg_type.oid */
    const char *scalar;             /* the GraphQL scalar of the value (the item, for arrays), NULL when none fits
                                     * (enums: NULL, see enum_type) */
    const gg_pg_db_enum *enum_type; /* the value (item) is this enum */
    bool is_array;                  /* a one-dimensional array: a list */
    bool not_null;                  /* attnotnull */
    bool has_default;               /* a default, identity or generated column: a create may leave it out */
    bool generated;                 /* GENERATED ALWAYS AS (...) STORED (or VIRTUAL): never written */
    bool identity_always;           /* GENERATED ALWAYS AS IDENTITY: numbered by the database, never written
                                     * (BY DEFAULT is a default: a value may be given) */
} gg_pg_db_column;

typedef struct gg_pg_db_index {
    const char *name;
    unsigned *columns; /* indexes into the table's columns, in key order */
    unsigned column_count;
    bool primary, unique;
    bool plain; /* btree, valid, no expression, no predicate: usable as an @index or a key */
} gg_pg_db_index;

typedef struct gg_pg_db_foreign_key {
    const char *name;
    unsigned *columns;        /* this table's columns (indexes into columns) */
    unsigned target;          /* index of the referenced table in the schema's tables */
    unsigned *target_columns; /* the referenced columns, pairwise with columns */
    unsigned column_count;
} gg_pg_db_foreign_key;

typedef struct gg_pg_db_table {
    const char *name;
    bool is_view; /* a view or materialized view */
    unsigned oid;
    bool row_security;     /* ALTER TABLE ... ENABLE ROW LEVEL SECURITY (pg_class.relrowsecurity) */
    unsigned policy_count; /* its row security policies (pg_policy) */
    gg_pg_db_column *columns;
    unsigned column_count;
    gg_pg_db_index *indexes; /* primary key first when there is one */
    unsigned index_count;
    gg_pg_db_foreign_key *foreign_keys;
    unsigned foreign_key_count;
    const char **outside_keys; /* foreign keys onto tables not read (another schema, not in --tables):
                                * "name" references "schema"."table", for notes */
    unsigned outside_key_count;
} gg_pg_db_table;

typedef struct gg_pg_db_schema {
    gg_arena *arena;
    gg_pg_db_table *tables; /* sorted by name */
    unsigned table_count;
    gg_pg_db_enum *enums; /* the enums the columns use, sorted by name */
    unsigned enum_count;
    const char *time_zone; /* the session's TimeZone (the database's or role's, or the URL's options) */
} gg_pg_db_schema;

/* Reads the tables and views of schema (only those named in tables when table_count > 0; a name
 * that is not there is an error) into out, allocating in arena, over a blocking connection to url
 * made here (connect_timeout 5 s) and closed before it returns; database receives the database's
 * name. False with the reason in fault, and *database_error true when the database could not be
 * reached or read (false: the selection names nothing there). */
bool gg_pg_introspect_database(const char *url, const char *schema, const char *const *tables, unsigned table_count,
                               gg_arena *arena, gg_pg_db_schema *out, char *database, size_t database_size,
                               bool *database_error, gg_fault *fault);

#endif
