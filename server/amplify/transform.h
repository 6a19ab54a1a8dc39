/* transform.h: the Amplify GraphQL transformer (v2) @model transform: user SDL in, the served
 * AppSync schema (SDL) and the model catalog (model.h) out.
 *
 * The served SDL is what `amplify push` would upload to AppSync for the same input: model types
 * with id/timestamps/owner/foreign keys added, relation fields as connections, Model*Connection,
 * filter, condition, key-condition and subscription-filter inputs, Create/Update/Delete inputs,
 * Query/Mutation/Subscription fields with @aws_subscribe, the @aws_* directives the @auth rules
 * imply for the configured default auth mode, and DataStore metadata when sync is on. Non-model
 * types and user-written root fields are kept; transformer directives are removed. The shapes
 * follow appsync-compat.md §3/§4, checked against the transformer itself (transform.c lists the
 * deliberate differences). */
#ifndef GG_AMPLIFY_TRANSFORM_H
#define GG_AMPLIFY_TRANSFORM_H

#include "../base/buf.h"
#include "../base/fault.h"
#include "../graphql/error.h"
#include "../graphql/type/schema_build.h"
#include "model.h"

/* One model's own conflict detection settings (datastore.models.<Model>), as Amplify's
 * transform.conf.json ResolverConfig.models gives them: each overrides the project's value. */
typedef struct gg_amplify_model_sync {
    const char *model;                            /* the @model type's name */
    bool has_sync, has_handler;                   /* which of the two it sets */
    bool sync;                                    /* conflict_detection VERSION (true) or NONE */
    gg_amplify_conflict_handler conflict_handler; /* conflict_handler */
} gg_amplify_model_sync;

typedef struct gg_amplify_options {
    bool sync; /* conflict detection (DataStore) for every model: _version/_deleted/_lastChangedAt, syncX */
    gg_amplify_conflict_handler conflict_handler; /* the models' handler unless their own entry sets one */
    const gg_amplify_model_sync *models;          /* per-model overrides; a name that is no @model is an error */
    unsigned model_count;
    gg_amplify_provider default_auth; /* the API's default auth mode: rules using only it need no @aws_* directive */
} gg_amplify_options;

/* Reads the user SDL (parsed and built with the AppSync and Amplify preludes, so directive
 * arguments are validated), appends the served SDL to served_sdl and returns the catalog; NULL
 * with errors (each with a location; the source name in gg_error.detail) when the input is
 * invalid or uses something unsupported. opts may be NULL (no sync, API key default). */
gg_amplify_catalog *gg_amplify_transform(const gg_schema_source *sources, unsigned count,
                                         const gg_amplify_options *opts, gg_buf *served_sdl, gg_error_list *errors);

/* gg_amplify_transform that also hands over the schema built from the served SDL (the transform
 * builds it to check it, as an AppSync schema whose source is named served_name) in
 * *served_schema, for the caller to serve and free: the served SDL is then built once, not twice.
 * *served_schema is NULL when the catalog is. */
gg_amplify_catalog *gg_amplify_transform_built(const gg_schema_source *sources, unsigned count,
                                               const gg_amplify_options *opts, const char *served_name,
                                               gg_buf *served_sdl, gg_schema **served_schema, gg_error_list *errors);

/* The served SDL of the schema files at paths (served_sdl.c, for `graphgate --print-schema`):
 * with transform, the transform's output (opts as for gg_amplify_transform); else each file
 * parsed and printed again. Appends to out; false with a reason in fault. */
bool gg_amplify_served_sdl(const char *const *paths, unsigned count, bool transform, const gg_amplify_options *opts,
                           gg_buf *out, gg_fault *fault);

/* The transformer's plural of a model name (Todo -> Todos, Category -> Categories), in a; also
 * what `graphgate init --from-database` names a list relation after. */
char *gg_amplify_pluralize(gg_arena *a, const char *word);

#endif
