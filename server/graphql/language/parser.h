/* parser.h: GraphQL source text to gg_document (spec October 2021, §2 and §3; graphql-js parser.ts).
 *
 * One recursive-descent parser for executable documents and SDL. On the first syntax error it
 * stops and adds exactly one error, worded like graphql-js ("Syntax Error: Expected Name, found
 * <EOF>.") with the line and column of the offending token, and returns NULL. Nesting (selection
 * sets, list/object values, list types) deeper than max_depth and documents with more than
 * max_tokens tokens are refused with a clear error instead of exhausting the stack or the CPU. */
#ifndef GG_PARSER_H
#define GG_PARSER_H

#include "../../base/arena.h"
#include "../error.h"
#include "ast.h"

/* The largest max_depth honoured: the parser recurses once per level (a few hundred bytes of stack
 * each), so larger values are lowered to this to keep any thread's stack safe. */
#define GG_PARSE_MAX_DEPTH_LIMIT 4096

typedef struct gg_parse_options {
    unsigned max_depth;  /* 0: default 512; at most GG_PARSE_MAX_DEPTH_LIMIT */
    unsigned max_tokens; /* 0: unlimited */
    /* NULL, or the setting that raises max_tokens, named at the end of its error ("limits.max_tokens"):
     * graphql-js's message alone does not tell a client's developer that a server limit refused it */
    const char *max_tokens_setting;
} gg_parse_options;

/* Parses a whole document (executable definitions and/or SDL). The source is not copied: it
 * must outlive the returned document. opts may be NULL. */
gg_document *gg_parse(gg_arena *arena, const char *source, size_t len, const gg_parse_options *opts,
                      gg_error_list *errors);
/* Parses one value literal (graphql-js parseValue), e.g. a default value; NULL on error. */
gg_value *gg_parse_value(gg_arena *arena, const char *source, size_t len, gg_error_list *errors);
/* Parses one type reference (graphql-js parseType), e.g. "[String!]"; NULL on error. */
gg_type_ref *gg_parse_type(gg_arena *arena, const char *source, size_t len, gg_error_list *errors);

#endif
