/* migrate.h: tables, columns, indexes and foreign keys for the @model types of a catalog
 * (`graphgate migrate`).
 *
 * Idempotent, so it can run at every deployment, and all in one transaction (any failure applies
 * nothing): CREATE TABLE IF NOT EXISTS with the primary key; ADD COLUMN IF NOT EXISTS for every
 * other field; CREATE INDEX IF NOT EXISTS for each @index and for the referencing side of each
 * relation; and, unless database.foreign_keys is false, a FOREIGN KEY for each relation whose
 * referenced fields are the whole primary key of the target, added NOT VALID only when no
 * constraint of that name exists and no other foreign key makes the same reference (rows already
 * there are never checked; new writes are; an existing key keeps its own ON DELETE). ON
 * DELETE: SET NULL when the referencing fields are all nullable (the children stay, as on
 * AppSync), CASCADE for the two sides of a @manyToMany join model, RESTRICT otherwise.
 * Column types are PostgreSQL's own (pg_model.h): AWSDateTime (createdAt, updatedAt) timestamptz,
 * AWSDate date, AWSTime time, lists of scalars arrays. With a database, columns whose type the
 * schema changed are converted when no value can be lost (anything -> text, integer -> bigint or
 * double precision, text -> a number, boolean or jsonb where PostgreSQL refuses a value that does
 * not convert, failing the whole migration; text -> timestamptz, date or time after a check of
 * every value, which leaves the column as it is, with a warning naming a value, when one would
 * not read back the same: graphgate's text tables of before become native); other
 * conversions are left alone with a warning that gives the ALTER to run by hand. Nothing is ever
 * dropped: columns no longer in the schema stay, with a note, and a model whose table is a view
 * (init --from-database serves views as read-only models) is left as it is, with a note. A table graphgate_meta(key,
 * value) holds a random `cursor_secret`, created on the first migration, so every instance signs nextToken values
 * alike. With database.schema (catalog->database_schema) every table, graphgate_meta included, is named in that schema,
 * which is created first when missing. These functions use a blocking libpq connection: they run from the command line
 * and at start-up, never on an event loop. */
#ifndef GG_PG_MIGRATE_H
#define GG_PG_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "amplify/model.h"
#include "base/buf.h"
#include "base/fault.h"
#include "cursor.h"

typedef struct gg_pg_migrate_options {
    bool dry_run;      /* only append the script to out; apply nothing */
    bool foreign_keys; /* database.foreign_keys: add the missing FOREIGN KEY constraints */
    bool own_secret;   /* cursor_secret is configured: graphgate_meta, which only holds the database's, is not made */
} gg_pg_migrate_options;

/* What a migration found (dry run: would do). */
typedef struct gg_pg_migrate_report {
    unsigned converted; /* columns whose type is changed to the schema's */
    unsigned refused;   /* columns kept with another type than the schema's (a warning each) */
    unsigned unused;    /* columns no longer in the schema, kept */
} gg_pg_migrate_report;

/* How migrate changes a column of PostgreSQL type from (no modifiers: "character varying") to to. */
typedef enum gg_pg_conversion {
    GG_PG_CONVERT_NONE,    /* same type */
    GG_PG_CONVERT_WIDEN,   /* every value converts exactly (anything -> text, integer -> bigint ...) */
    GG_PG_CONVERT_PARSE,   /* text -> number, boolean or jsonb: fails when a value does not convert */
    GG_PG_CONVERT_CHECK,   /* text -> timestamptz, date or time: only when every value is first checked to
                            * read back the same (the same instant, no digit lost); else left alone */
    GG_PG_CONVERT_LIST,    /* jsonb, json or text holding JSON lists (graphgate's lists before native types) ->
                            * an array: only when every value is a list whose items the element type holds
                            * and reads back the same; else left alone */
    GG_PG_CONVERT_REFUSED, /* could lose or change values (double -> integer ...), or unknown */
} gg_pg_conversion;

/* Appends the catalog-only migration script to out (foreign keys included): ";\n" after each statement. */
void gg_pg_migrate_sql(const gg_amplify_catalog *catalog, gg_buf *out);
/* Runs the migration with foreign keys and type changes (dry_run: only appends the script to out
 * when out is not NULL). False with the reason in fault when it fails; nothing is applied then. */
bool gg_pg_migrate(PGconn *conn, const gg_amplify_catalog *catalog, bool dry_run, gg_buf *out, gg_fault *fault);
/* Same with options; conn may be NULL for a dry run (catalog-only script). Warnings and notes go to
 * messages (one line each, may be NULL), counts to report (may be NULL). */
bool gg_pg_migrate_run(PGconn *conn, const gg_amplify_catalog *catalog, const gg_pg_migrate_options *opts, gg_buf *out,
                       gg_buf *messages, gg_pg_migrate_report *report, gg_fault *fault);
/* The conversion migrate applies to a column of type from that the schema wants as to. */
gg_pg_conversion gg_pg_migrate_conversion(const char *from, const char *to);
/* Start-up check: appends a warning line per column whose type differs from the schema's, saying
 * whether `graphgate migrate` converts it; returns how many differ. */
unsigned gg_pg_migrate_type_warnings(PGconn *conn, const gg_amplify_catalog *catalog, gg_buf *messages);
/* Reads the cursor secret from graphgate_meta (in schema when not NULL: database.schema), creating
 * the table and a random secret when absent, and derives key from it. False with the reason in fault. */
bool gg_pg_load_cursor_key(PGconn *conn, const char *schema, gg_cursor_key *key, gg_fault *fault);

#endif
