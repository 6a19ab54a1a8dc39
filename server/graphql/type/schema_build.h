/* schema_build.h: a gg_schema from SDL sources (graphql-js buildASTSchema + assertValidSDL +
 * validateSchema), with AppSync's built-in scalars/directives and Amplify's transformer directives
 * available on request.
 *
 * Sources are parsed into the schema's arena and kept (schema->documents: first the built-in
 * definitions of the spec and introspection, then the preludes asked for, then the sources in
 * order), so AST nodes stay valid as long as the schema. Every error carries its locations and,
 * in gg_error.detail, the name of the source it comes from. */
#ifndef GG_SCHEMA_BUILD_H
#define GG_SCHEMA_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"
#include "schema.h"

typedef struct gg_schema_source {
    const char *name; /* file name for messages */
    const char *text; /* copied into the schema arena: need not outlive the call */
    size_t len;
} gg_schema_source;

typedef struct gg_schema_options {
    bool appsync; /* add gg_prelude_appsync_sdl (AWS scalars, @aws_* directives) */
    bool amplify; /* accept Amplify transformer directives (gg_prelude_amplify_sdl) */
} gg_schema_options;

/* Builds and validates a schema; NULL with errors (each with locations; the source file name in
 * gg_error.detail). opts may be NULL (no prelude). */
gg_schema *gg_schema_build(const gg_schema_source *sources, unsigned count, const gg_schema_options *opts,
                           gg_error_list *errors);
/* Releases a schema and everything it owns (NULL is fine). */
void gg_schema_free(gg_schema *schema);
/* graphql-js validateSchema on a built schema: appends every error; true when there was none.
 * document_names, parallel to schema->documents, names sources in gg_error.detail (may be NULL). */
bool gg_schema_validate(const gg_schema *schema, const char *const *document_names, gg_error_list *errors);
/* Index in schema->documents of the document holding the top-level definition def, or
 * schema->document_count when none does. */
unsigned gg_schema_document_of(const gg_schema *schema, const gg_definition *def);

#endif
