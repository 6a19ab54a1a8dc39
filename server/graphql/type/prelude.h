/* prelude.h: SDL that every graphgate schema is built on top of: AppSync's built-in scalars and
 * directives, and the Amplify GraphQL transformer (v2) directives with their input types.
 *
 * The schema builder parses these texts together with the user's SDL, so a user schema written
 * for AppSync or Amplify builds unchanged. gg_prelude_refused_directive names the transformer
 * directives graphgate declares (so schemas still parse) but will not serve. */
#ifndef GG_PRELUDE_H
#define GG_PRELUDE_H

/* scalar AWSDate ... AWSIPAddress, @aws_subscribe, @aws_api_key, @aws_iam ... (AppSync built-ins). */
extern const char gg_prelude_appsync_sdl[];
/* @model @auth @primaryKey @index @hasMany ... and their input types and enums (never AMPLIFY). */
extern const char gg_prelude_amplify_sdl[];
/* A message saying why graphgate refuses the directive `name` (without '@'), or NULL. */
const char *gg_prelude_refused_directive(const char *name);

#endif
