/* lexer.h: GraphQL source text (UTF-8 bytes) to tokens, with graphql-js 16's lexer semantics.
 *
 * The parser pulls one token at a time (gg_lexer_advance) and may look one token ahead
 * (gg_lexer_lookahead). Ignored tokens (white space, commas, line terminators, the BOM) are
 * skipped and comments are skipped too. A token points into the source for names and numbers; string
 * values are decoded into the arena (escapes resolved, block string indentation removed) and
 * NUL-terminated. Lines and columns are graphql-js's: 1-based, columns in UTF-16 code units.
 * On the first lexical error the lexer records one message worded like graphql-js ("Syntax Error:
 * Unterminated string.") with its location, and from then on returns GG_TOK_ERROR tokens. */
#ifndef GG_LEXER_H
#define GG_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/utf8.h"
#include "ast.h"

typedef enum gg_token_kind {
    GG_TOK_SOF,
    GG_TOK_EOF,
    GG_TOK_BANG,
    GG_TOK_DOLLAR,
    GG_TOK_AMP,
    GG_TOK_PAREN_L,
    GG_TOK_PAREN_R,
    GG_TOK_SPREAD,
    GG_TOK_COLON,
    GG_TOK_EQUALS,
    GG_TOK_AT,
    GG_TOK_BRACKET_L,
    GG_TOK_BRACKET_R,
    GG_TOK_BRACE_L,
    GG_TOK_PIPE,
    GG_TOK_BRACE_R,
    GG_TOK_NAME,
    GG_TOK_INT,
    GG_TOK_FLOAT,
    GG_TOK_STRING,
    GG_TOK_BLOCK_STRING,
    GG_TOK_ERROR, /* a lexical error happened: see gg_lexer.error */
} gg_token_kind;

typedef struct gg_token {
    gg_token_kind kind;
    gg_loc loc;        /* offset, line and column of the first byte */
    uint32_t end;      /* byte offset just past the token */
    const char *value; /* NAME, INT, FLOAT: into the source (not NUL-terminated); strings: decoded, NUL-terminated */
    size_t len;        /* length of value in bytes */
} gg_token;

typedef struct gg_lexer {
    gg_arena *arena;
    const char *src;
    size_t len;
    size_t pos;         /* where lexing of the next token starts */
    uint32_t line;      /* line of pos */
    size_t line_start;  /* byte offset where that line starts */
    size_t line_adjust; /* bytes minus UTF-16 units of the current line's characters lexed so far */
    gg_token token;     /* the current token */
    gg_token ahead;     /* the next token when has_ahead */
    bool has_ahead;
    const char *error; /* first lexical error message ("Syntax Error: ..."), or NULL */
    gg_loc error_loc;
} gg_lexer;

/* Prepares a lexer over len bytes of src; the current token is <SOF>. */
void gg_lexer_init(gg_lexer *lx, gg_arena *arena, const char *src, size_t len);
/* Moves to the next token and returns it (GG_TOK_ERROR after an error, GG_TOK_EOF at the end). */
const gg_token *gg_lexer_advance(gg_lexer *lx);
/* Returns the token after the current one without consuming it. */
const gg_token *gg_lexer_lookahead(gg_lexer *lx);
/* Returns the loc of any byte offset (line and UTF-16 column), counted from the start of the source. */
gg_loc gg_lexer_loc_at(const char *src, size_t len, size_t offset);
/* Returns graphql-js's description of a token kind: "Name", "<EOF>", "\"{\"" etc. */
const char *gg_token_kind_desc(gg_token_kind kind);

#endif
