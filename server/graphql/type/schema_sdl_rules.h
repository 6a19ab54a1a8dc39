/* schema_sdl_rules.h: checks of SDL documents, internal to schema_build.c.
 *
 * gg_schema_check_sdl runs graphql-js's specifiedSDLRules (assertValidSDL) over the documents of
 * a schema being built, before any type exists; gg_schema_check_values runs after the types are
 * built and checks directive argument values and default values against their types, with
 * graphql-js's ValuesOfCorrectType messages. Both append errors (detail: the source name) and
 * return true when they found none. documents[0, first_user) are the built-in definitions. */
#ifndef GG_SCHEMA_SDL_RULES_H
#define GG_SCHEMA_SDL_RULES_H

#include <stdbool.h>

#include "../error.h"
#include "schema.h"

bool gg_schema_check_sdl(const gg_schema *schema, unsigned first_user, const char *const *doc_names,
                         gg_error_list *errors);
bool gg_schema_check_values(const gg_schema *schema, unsigned first_user, const char *const *doc_names,
                            gg_error_list *errors);

#endif
