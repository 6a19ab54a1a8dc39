/* init.h: `graphgate init --from-database URL`: an Amplify schema and a configuration file that
 * serve an existing PostgreSQL database as it is (issue 12).
 *
 * generate_sdl.c turns the catalog of one schema (resolvers/postgres/introspect.h) into the
 * schema.graphql text, naming types with singular.c; init_command.c is the command: options, the
 * database, the files. */
#ifndef GG_INIT_H
#define GG_INIT_H

#include "base/buf.h"
#include "introspect.h"

/* Appends the Amplify schema for db (schema_name for its header) to sdl, and one line per
 * decision a user should know of to notes (a name mapped, a table skipped, a column left out,
 * a view's key ...). tables_named: --tables chose the tables (none is skipped as bookkeeping).
 * Returns how many models it wrote (0: nothing could be served). */
unsigned gg_init_generate_sdl(const gg_pg_db_schema *db, const char *schema_name, bool tables_named, gg_buf *sdl,
                              gg_buf *notes);

/* The singular of a PascalCase table name (OrderLines -> OrderLine, People -> Person, Series and
 * Status as they are), in arena, or name itself when no rule is sure (singular.c). */
const char *gg_init_singular(gg_arena *arena, const char *name);

/* The `init` subcommand; argv[0] is "init". Returns the exit status. */
int gg_init_command(int argc, char **argv);

#endif
