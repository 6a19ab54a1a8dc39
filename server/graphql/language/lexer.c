/* lexer.c: GraphQL tokens from UTF-8 source, following graphql-js 16's lexer (src/language/lexer.ts).
 *
 * Design:
 * - One pass over bytes, no allocation per token: names and numbers point into the source. Only
 *   string values are written to the arena, decoded and NUL-terminated (a second, cheap pass over
 *   the string once its end and validity are known, so the buffer is allocated at its exact bound).
 * - graphql-js works on UTF-16 code units; the source here is UTF-8. Non-ASCII bytes are decoded
 *   where they matter (strings, comments, unexpected characters); invalid UTF-8 is a syntax error
 *   with a location. Columns count UTF-16 code units (a character above U+FFFF counts 2): the
 *   lexer keeps, for the current line, how many bytes the multi-byte characters it has passed
 *   saved, so a column is one subtraction (multi-byte characters only occur inside strings,
 *   comments and the BOM, where they are decoded anyway). Error locations are recomputed exactly
 *   from the start of the source.
 * - Error messages are graphql-js's, word for word; the location is the byte graphql-js names.
 *   The first error is kept, and every later token is GG_TOK_ERROR.
 * - Speed: the common tokens (blanks, line feeds, punctuators, names) are read by a small function
 *   that calls nothing; everything else goes to read_any_token. Indentation after a line feed and
 *   the text of comments are passed 8 bytes at a time. */
#include "lexer.h"

#include <stdio.h>
#include <string.h>

/* ---- character classes and UTF-8 ---- */

static inline bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline int hex_value(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* UTF-16 code units in bytes [from, to): one per lead byte, two for 4-byte sequences. */
static uint32_t utf16_units(const char *src, size_t from, size_t to)
{
    uint32_t units = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)src[i];
        units += (c & 0xC0) != 0x80;
        units += c >= 0xF0;
    }
    return units;
}

/* ---- locations ---- */

gg_loc gg_lexer_loc_at(const char *src, size_t len, size_t offset)
{
    if (offset > len) offset = len;
    uint32_t line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (src[i] == '\n') {
            line++;
            line_start = i + 1;
        } else if (src[i] == '\r') {
            if (i + 1 < offset && src[i + 1] == '\n') i++;
            line++;
            line_start = i + 1;
        }
    }
    return (gg_loc){(uint32_t)offset, line, 1 + utf16_units(src, line_start, offset)};
}

/* The loc of a byte offset on the current line, at or before which everything has been lexed:
 * the column is the byte distance from the line start, less what multi-byte characters saved. */
static gg_loc loc_on_line(const gg_lexer *lx, size_t offset)
{
    return (gg_loc){(uint32_t)offset, lx->line, (uint32_t)(offset - lx->line_start - lx->line_adjust + 1)};
}

static void new_line(gg_lexer *lx, size_t line_start)
{
    lx->line++;
    lx->line_start = line_start;
    lx->line_adjust = 0;
}

/* Records a k-byte UTF-8 character on the current line: it counts 1 UTF-16 unit, 2 above U+FFFF. */
static void count_wide_char(gg_lexer *lx, int k)
{
    lx->line_adjust += (size_t)(k == 4 ? 2 : k - 1);
}

/* ---- errors ---- */

static void fail(gg_lexer *lx, size_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(gg_lexer *lx, size_t offset, const char *fmt, ...)
{
    if (lx->error) return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = gg_arena_vprintf(lx->arena, fmt, ap);
    va_end(ap);
    lx->error = gg_arena_printf(lx->arena, "Syntax Error: %s", msg);
    lx->error_loc = gg_lexer_loc_at(lx->src, lx->len, offset); /* exact, from the start: errors are rare */
}

static void fail_utf8(gg_lexer *lx, size_t offset)
{
    fail(lx, offset, "Invalid UTF-8 sequence starting with byte 0x%02X.", (unsigned char)lx->src[offset]);
}

/* graphql-js printCodePointAt: <EOF>, "c" for printable ASCII ('"' for a quote), else U+XXXX.
 * Returns NULL (and records the UTF-8 error) when the bytes at offset are not valid UTF-8. */
static const char *describe_char_at(gg_lexer *lx, size_t offset)
{
    if (offset >= lx->len) return "<EOF>";
    uint32_t cp;
    if (!gg_utf8_decode((const unsigned char *)lx->src + offset, lx->len - offset, &cp)) {
        fail_utf8(lx, offset);
        return NULL;
    }
    if (cp == '"') return "'\"'";
    if (cp >= 0x20 && cp <= 0x7E) return gg_arena_printf(lx->arena, "\"%c\"", (char)cp);
    return gg_arena_printf(lx->arena, "U+%04X", (unsigned)cp);
}

/* Fails with "<prefix><description of the char at offset>." as graphql-js does. */
static void fail_char(gg_lexer *lx, size_t offset, const char *prefix)
{
    const char *desc = describe_char_at(lx, offset);
    if (desc) fail(lx, offset, "%s%s.", prefix, desc);
}

/* Fails with "<what>: \"<the escape as written>\"." quoting `units` UTF-16 code units of the source
 * from offset, as graphql-js slices them (whole characters: a character above U+FFFF is taken
 * whole even when one unit is left). The message stays valid UTF-8 whatever follows the escape:
 * bytes that are not UTF-8 (the string would fail on them further on) are quoted as U+FFFD, one
 * for a lead byte and the continuation bytes after it, as a UTF-8 decoder in front of graphql-js
 * would show them. */
static void fail_escape(gg_lexer *lx, size_t offset, const char *what, unsigned units)
{
    char quoted[12 * 4 + 1]; /* escapes quote at most 12 units, each at most 4 bytes here */
    size_t n = 0, p = offset;
    while (units > 0 && p < lx->len) {
        const unsigned char *s = (const unsigned char *)lx->src + p;
        uint32_t cp;
        int k = gg_utf8_decode(s, lx->len - p, &cp);
        if (k > 0) {
            memcpy(quoted + n, s, (size_t)k);
            n += (size_t)k;
            p += (size_t)k;
            units -= (cp > 0xFFFF && units >= 2) ? 2 : 1;
            continue;
        }
        int expected = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
        bool lead = s[0] >= 0xC2 && s[0] <= 0xF4;
        p++;
        for (int i = 1; lead && i < expected && p < lx->len && (lx->src[p] & 0xC0) == 0x80; i++)
            p++;
        memcpy(quoted + n, "\xEF\xBF\xBD", 3);
        n += 3;
        units--;
    }
    fail(lx, offset, "%s: \"%.*s\".", what, (int)n, quoted);
}

/* ---- tokens ---- */

static void set_token(gg_lexer *lx, gg_token *t, gg_token_kind kind, size_t start, size_t end)
{
    t->kind = kind;
    t->loc = loc_on_line(lx, start);
    t->end = (uint32_t)end;
    t->value = NULL;
    t->len = 0;
    lx->pos = end;
}

static int char_at(const gg_lexer *lx, size_t offset)
{
    return offset < lx->len ? (unsigned char)lx->src[offset] : -1;
}

/* Skips digits starting at offset; fails unless there is at least one. Returns the end, or 0. */
static size_t read_digits(gg_lexer *lx, size_t offset)
{
    if (!is_digit(char_at(lx, offset))) {
        fail_char(lx, offset, "Invalid number, expected digit but got: ");
        return 0;
    }
    while (is_digit(char_at(lx, offset)))
        offset++;
    return offset;
}

static __attribute__((noinline)) void read_number(gg_lexer *lx, gg_token *t, size_t start)
{
    size_t p = start;
    bool is_float = false;
    if (char_at(lx, p) == '-') p++;
    if (char_at(lx, p) == '0') {
        p++;
        if (is_digit(char_at(lx, p))) {
            fail_char(lx, p, "Invalid number, unexpected digit after 0: ");
            return;
        }
    } else if (!(p = read_digits(lx, p))) {
        return;
    }
    if (char_at(lx, p) == '.') {
        is_float = true;
        if (!(p = read_digits(lx, p + 1))) return;
    }
    if (char_at(lx, p) == 'e' || char_at(lx, p) == 'E') {
        is_float = true;
        p++;
        if (char_at(lx, p) == '+' || char_at(lx, p) == '-') p++;
        if (!(p = read_digits(lx, p))) return;
    }
    if (char_at(lx, p) == '.' || is_name_start(char_at(lx, p))) {
        fail_char(lx, p, "Invalid number, expected digit but got: ");
        return;
    }
    set_token(lx, t, is_float ? GG_TOK_FLOAT : GG_TOK_INT, start, p);
    t->value = lx->src + start;
    t->len = p - start;
}

static uint32_t read_hex4(gg_lexer *lx, size_t offset)
{
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(char_at(lx, offset + (size_t)i));
        if (h < 0) return UINT32_MAX;
        v = (v << 4) | h;
    }
    return (uint32_t)v;
}

/* Reads the escape sequence at offset (a backslash). On success stores the code point and the
 * escape's length in bytes and returns true. */
static bool read_escape(gg_lexer *lx, size_t offset, uint32_t *cp, size_t *size)
{
    int c = char_at(lx, offset + 1);
    if (c == 'u' && char_at(lx, offset + 2) == '{') { /* \u{X...}: 1 to 8 hex digits (graphql-js 16) */
        uint32_t point = 0;
        unsigned n = 3;
        while (n < 12) {
            int d = char_at(lx, offset + n++);
            if (d == '}') {
                if (n < 5 || !gg_utf8_is_scalar_value(point)) break;
                *cp = point;
                *size = n;
                return true;
            }
            int h = hex_value(d);
            if (h < 0 || point > 0x7FFFFFF) /* a non-digit, or the value would overflow 31 bits */
                break;
            point = (point << 4) | (uint32_t)h;
        }
        fail_escape(lx, offset, "Invalid Unicode escape sequence", n);
        return false;
    }
    if (c == 'u') { /* \uXXXX, or a surrogate pair \uD83D\uDE00 */
        uint32_t code = read_hex4(lx, offset + 2);
        if (code != UINT32_MAX && gg_utf8_is_scalar_value(code)) {
            *cp = code;
            *size = 6;
            return true;
        }
        if (code >= 0xD800 && code <= 0xDBFF && char_at(lx, offset + 6) == '\\' && char_at(lx, offset + 7) == 'u') {
            uint32_t trail = read_hex4(lx, offset + 8);
            if (trail >= 0xDC00 && trail <= 0xDFFF) {
                *cp = 0x10000 + ((code - 0xD800) << 10) + (trail - 0xDC00);
                *size = 12;
                return true;
            }
        }
        fail_escape(lx, offset, "Invalid Unicode escape sequence", 6);
        return false;
    }
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = c > 0 ? strchr(from, c) : NULL;
    if (hit == NULL) {
        fail_escape(lx, offset, "Invalid character escape sequence", 2);
        return false;
    }
    *cp = (unsigned char)to[hit - from];
    *size = 2;
    return true;
}

/* Scans a "string" starting at the quote. With out == NULL it validates and returns the end
 * offset (past the closing quote) or 0; with out it writes the decoded value and its length. */
static size_t scan_string(gg_lexer *lx, size_t start, char *out, size_t *out_len)
{
    size_t p = start + 1, n = 0;
    while (p < lx->len) {
        unsigned char c = (unsigned char)lx->src[p];
        if (c == '"') {
            if (out_len) *out_len = n;
            return p + 1;
        }
        if (c == '\\') {
            uint32_t cp;
            size_t size;
            if (!read_escape(lx, p, &cp, &size)) return 0;
            if (out) n += (size_t)gg_utf8_encode(cp, out + n);
            p += size;
            continue;
        }
        if (c == '\n' || c == '\r') break;
        size_t size = 1;
        if (c >= 0x80) {
            uint32_t cp;
            int k = gg_utf8_decode((const unsigned char *)lx->src + p, lx->len - p, &cp);
            if (!k) {
                fail_utf8(lx, p);
                return 0;
            }
            size = (size_t)k;
            if (out == NULL) count_wide_char(lx, k);
        }
        if (out) memcpy(out + n, lx->src + p, size);
        n += size;
        p += size;
    }
    fail(lx, p, "Unterminated string.");
    return 0;
}

static __attribute__((noinline)) void read_string(gg_lexer *lx, gg_token *t, size_t start)
{
    gg_loc loc = loc_on_line(lx, start);
    size_t end = scan_string(lx, start, NULL, NULL);
    if (!end) return;
    char *value = gg_arena_alloc(lx->arena, end - start - 1);
    size_t len = 0;
    scan_string(lx, start, value, &len);
    value[len] = '\0';
    set_token(lx, t, GG_TOK_STRING, start, end);
    t->loc = loc;
    t->value = value;
    t->len = len;
}

/* ---- block strings ---- */

typedef struct line_span {
    size_t start, end; /* raw bytes of one line of the block string, without the terminator */
} line_span;

static size_t leading_blanks(const char *s, line_span l)
{
    size_t i = l.start;
    while (i < l.end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i - l.start;
}

/* Copies a raw line, turning each \""" into """. Returns the bytes written. */
static size_t copy_block_line(const char *s, size_t from, size_t to, char *out)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\' && i + 3 < to && s[i + 1] == '"' && s[i + 2] == '"' && s[i + 3] == '"') {
            continue; /* drop the backslash; the quotes follow */
        }
        out[n++] = s[i];
    }
    return n;
}

/* The block string value: graphql-js dedentBlockStringLines (common indentation of all lines but
 * the first removed, leading and trailing blank lines dropped) joined with \n. */
static char *dedent_block(gg_lexer *lx, const line_span *lines, size_t count, size_t raw_len, size_t *out_len)
{
    size_t common = SIZE_MAX, first = SIZE_MAX, last = 0;
    bool any = false;
    for (size_t i = 0; i < count; i++) {
        size_t indent = leading_blanks(lx->src, lines[i]);
        if (indent == lines[i].end - lines[i].start) continue;
        if (!any) first = i;
        any = true;
        last = i;
        if (i != 0 && indent < common) common = indent;
    }
    char *out = gg_arena_alloc(lx->arena, raw_len + 1);
    size_t n = 0;
    if (any) {
        for (size_t i = first; i <= last; i++) {
            size_t from = lines[i].start;
            if (i != 0) {
                size_t width = lines[i].end - lines[i].start;
                from += common < width ? common : width;
            }
            if (i != first) out[n++] = '\n';
            n += copy_block_line(lx->src, from, lines[i].end, out + n);
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

static __attribute__((noinline)) void read_block_string(gg_lexer *lx, gg_token *t, size_t start)
{
    gg_loc start_loc = loc_on_line(lx, start);
    GG_VEC(line_span) lines = {0};
    size_t p = start + 3, line_from = p;
    const char *s = lx->src;
    while (p < lx->len) {
        unsigned char c = (unsigned char)s[p];
        if (c == '"' && p + 2 < lx->len && s[p + 1] == '"' && s[p + 2] == '"') {
            GG_VEC_PUSH(lx->arena, lines, ((line_span){line_from, p}));
            size_t len;
            char *value = dedent_block(lx, lines.items, lines.count, p - start, &len);
            t->kind = GG_TOK_BLOCK_STRING;
            t->loc = start_loc;
            t->end = (uint32_t)(p + 3);
            t->value = value;
            t->len = len;
            lx->pos = p + 3;
            return;
        }
        if (c == '\\' && p + 3 < lx->len && s[p + 1] == '"' && s[p + 2] == '"' && s[p + 3] == '"') {
            p += 4;
            continue;
        }
        if (c == '\n' || c == '\r') {
            GG_VEC_PUSH(lx->arena, lines, ((line_span){line_from, p}));
            p += (c == '\r' && p + 1 < lx->len && s[p + 1] == '\n') ? 2 : 1;
            line_from = p;
            new_line(lx, p);
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            int k = gg_utf8_decode((const unsigned char *)s + p, lx->len - p, &cp);
            if (!k) {
                fail_utf8(lx, p);
                return;
            }
            count_wide_char(lx, k);
            p += (size_t)k;
            continue;
        }
        p++;
    }
    fail(lx, p, "Unterminated string.");
}

/* ---- the token loop ---- */

/* Skips a comment starting at '#'; returns the offset of its line terminator or of the end. */
static __attribute__((noinline)) size_t skip_comment(gg_lexer *lx, size_t p)
{
    p++;
    while (p < lx->len) {
        /* 8 plain bytes at a time: none a line terminator, none part of a multi-byte character */
        for (const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull; p + 8 <= lx->len; p += 8) {
            uint64_t w;
            memcpy(&w, lx->src + p, sizeof w);
            uint64_t lf = w ^ (ones * '\n'), cr = w ^ (ones * '\r');
            if (((lf - ones) & ~lf & highs) | ((cr - ones) & ~cr & highs) | (w & highs)) break;
        }
        if (p >= lx->len) break;
        unsigned char c = (unsigned char)lx->src[p];
        if (c == '\n' || c == '\r') break;
        if (c < 0x80) {
            p++;
            continue;
        }
        uint32_t cp;
        int k = gg_utf8_decode((const unsigned char *)lx->src + p, lx->len - p, &cp);
        if (!k) {
            fail_utf8(lx, p);
            return 0;
        }
        count_wide_char(lx, k);
        p += (size_t)k;
    }
    return p;
}

static __attribute__((noinline)) void fail_unexpected_char(gg_lexer *lx, size_t p)
{
    if (lx->src[p] == '\'')
        fail(lx, p, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    else
        fail_char(lx, p, "Unexpected character: ");
}

/* What a byte can start, for the token loop's dispatch: one table lookup per byte. */
enum {
    BYTE_OTHER, /* an unexpected character, or the first byte of a multi-byte one */
    BYTE_BLANK, /* space, tab, comma */
    BYTE_LF,
    BYTE_CR,
    BYTE_PUNCT, /* one-byte punctuator: its kind is in punct_kind */
    BYTE_NAME,  /* letter or '_' */
    BYTE_DIGIT, /* right after BYTE_NAME: is_name_byte tests both at once */
    BYTE_MINUS,
    BYTE_QUOTE,
    BYTE_HASH,
    BYTE_DOT,
    BYTE_BOM_START, /* 0xEF: perhaps U+FEFF */
};

/* clang-format off */
static const unsigned char byte_class[256] = {
    [' '] = BYTE_BLANK, ['\t'] = BYTE_BLANK, [','] = BYTE_BLANK, ['\n'] = BYTE_LF, ['\r'] = BYTE_CR,
    ['!'] = BYTE_PUNCT, ['$'] = BYTE_PUNCT, ['&'] = BYTE_PUNCT, ['('] = BYTE_PUNCT, [')'] = BYTE_PUNCT,
    [':'] = BYTE_PUNCT, ['='] = BYTE_PUNCT, ['@'] = BYTE_PUNCT, ['['] = BYTE_PUNCT, [']'] = BYTE_PUNCT,
    ['{'] = BYTE_PUNCT, ['|'] = BYTE_PUNCT, ['}'] = BYTE_PUNCT, ['"'] = BYTE_QUOTE, ['#'] = BYTE_HASH,
    ['.'] = BYTE_DOT, ['-'] = BYTE_MINUS, [0xEF] = BYTE_BOM_START,
    ['0'] = BYTE_DIGIT, ['1'] = BYTE_DIGIT, ['2'] = BYTE_DIGIT, ['3'] = BYTE_DIGIT, ['4'] = BYTE_DIGIT,
    ['5'] = BYTE_DIGIT, ['6'] = BYTE_DIGIT, ['7'] = BYTE_DIGIT, ['8'] = BYTE_DIGIT, ['9'] = BYTE_DIGIT,
    ['_'] = BYTE_NAME,
    ['a'] = BYTE_NAME, ['b'] = BYTE_NAME, ['c'] = BYTE_NAME, ['d'] = BYTE_NAME, ['e'] = BYTE_NAME, ['f'] = BYTE_NAME,
    ['g'] = BYTE_NAME, ['h'] = BYTE_NAME, ['i'] = BYTE_NAME, ['j'] = BYTE_NAME, ['k'] = BYTE_NAME, ['l'] = BYTE_NAME,
    ['m'] = BYTE_NAME, ['n'] = BYTE_NAME, ['o'] = BYTE_NAME, ['p'] = BYTE_NAME, ['q'] = BYTE_NAME, ['r'] = BYTE_NAME,
    ['s'] = BYTE_NAME, ['t'] = BYTE_NAME, ['u'] = BYTE_NAME, ['v'] = BYTE_NAME, ['w'] = BYTE_NAME, ['x'] = BYTE_NAME,
    ['y'] = BYTE_NAME, ['z'] = BYTE_NAME,
    ['A'] = BYTE_NAME, ['B'] = BYTE_NAME, ['C'] = BYTE_NAME, ['D'] = BYTE_NAME, ['E'] = BYTE_NAME, ['F'] = BYTE_NAME,
    ['G'] = BYTE_NAME, ['H'] = BYTE_NAME, ['I'] = BYTE_NAME, ['J'] = BYTE_NAME, ['K'] = BYTE_NAME, ['L'] = BYTE_NAME,
    ['M'] = BYTE_NAME, ['N'] = BYTE_NAME, ['O'] = BYTE_NAME, ['P'] = BYTE_NAME, ['Q'] = BYTE_NAME, ['R'] = BYTE_NAME,
    ['S'] = BYTE_NAME, ['T'] = BYTE_NAME, ['U'] = BYTE_NAME, ['V'] = BYTE_NAME, ['W'] = BYTE_NAME, ['X'] = BYTE_NAME,
    ['Y'] = BYTE_NAME, ['Z'] = BYTE_NAME,
};

static const unsigned char punct_kind[128] = {
    ['!'] = GG_TOK_BANG,      ['$'] = GG_TOK_DOLLAR,    ['&'] = GG_TOK_AMP,     ['('] = GG_TOK_PAREN_L,
    [')'] = GG_TOK_PAREN_R,   [':'] = GG_TOK_COLON,     ['='] = GG_TOK_EQUALS,  ['@'] = GG_TOK_AT,
    ['['] = GG_TOK_BRACKET_L, [']'] = GG_TOK_BRACKET_R, ['{'] = GG_TOK_BRACE_L, ['|'] = GG_TOK_PIPE,
    ['}'] = GG_TOK_BRACE_R,
};
/* clang-format on */

static inline bool is_name_byte(unsigned char c)
{
    return (unsigned)(byte_class[c] - BYTE_NAME) <= BYTE_DIGIT - BYTE_NAME;
}

/* Lexes one token starting at lx->pos into t; on error t becomes GG_TOK_ERROR. Every kind of
 * token and ignored text is handled here; read_token takes the common ones first. */
static __attribute__((noinline)) void read_any_token(gg_lexer *lx, gg_token *t)
{
    const char *s = lx->src;
    size_t p = lx->pos, len = lx->len;
    for (;;) {
        while (p < len && byte_class[(unsigned char)s[p]] == BYTE_BLANK) /* the common case, kept tight */
            p++;
        if (p >= len) break;
        unsigned char c = (unsigned char)s[p];
        switch (byte_class[c]) {
        case BYTE_BLANK:
            p++;
            continue;
        case BYTE_LF:
            p++;
            new_line(lx, p);
            continue;
        case BYTE_CR:
            p += (p + 1 < len && s[p + 1] == '\n') ? 2 : 1;
            new_line(lx, p);
            continue;
        case BYTE_PUNCT:
            set_token(lx, t, (gg_token_kind)punct_kind[c], p, p + 1);
            return;
        case BYTE_NAME: {
            size_t end = p + 1;
            while (end < len && is_name_byte((unsigned char)s[end]))
                end++;
            set_token(lx, t, GG_TOK_NAME, p, end);
            t->value = s + p;
            t->len = end - p;
            return;
        }
        case BYTE_DIGIT:
        case BYTE_MINUS:
            read_number(lx, t, p);
            break;
        case BYTE_QUOTE:
            if (p + 2 < len && s[p + 1] == '"' && s[p + 2] == '"')
                read_block_string(lx, t, p);
            else
                read_string(lx, t, p);
            break;
        case BYTE_HASH:
            p = skip_comment(lx, p);
            if (!p) goto error;
            continue;
        case BYTE_DOT:
            if (p + 2 < len && s[p + 1] == '.' && s[p + 2] == '.') {
                set_token(lx, t, GG_TOK_SPREAD, p, p + 3);
                return;
            }
            fail_unexpected_char(lx, p);
            break;
        case BYTE_BOM_START: /* U+FEFF, the byte order mark, is ignored anywhere */
            if (p + 2 < len && (unsigned char)s[p + 1] == 0xBB && (unsigned char)s[p + 2] == 0xBF) {
                p += 3;
                lx->line_adjust += 2;
                continue;
            }
            fail_unexpected_char(lx, p);
            break;
        default:
            fail_unexpected_char(lx, p);
            break;
        }
        if (lx->error) goto error;
        return;
    }
    set_token(lx, t, GG_TOK_EOF, len, len);
    return;
error:
    t->kind = GG_TOK_ERROR;
    t->loc = lx->error_loc;
    t->end = t->loc.offset;
    t->value = NULL;
    t->len = 0;
}

/* Skips the spaces that indent a line, from p: on little-endian machines 8 bytes at a time (the
 * first byte that is not a space is found from the lowest set bit of the word's difference). */
static inline size_t skip_indentation(const char *s, size_t p, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (p + 8 <= len) {
        uint64_t word;
        memcpy(&word, s + p, sizeof word);
        uint64_t differs = word ^ 0x2020202020202020ull;
        if (differs) return p + (size_t)__builtin_ctzll(differs) / 8;
        p += 8;
    }
#endif
    while (p < len && s[p] == ' ')
        p++;
    return p;
}

/* Lexes one token starting at lx->pos into t: blanks, line feeds, punctuators and names here,
 * in a function that calls nothing (so it needs no stack frame), everything else in
 * read_any_token. */
static void read_token(gg_lexer *lx, gg_token *t)
{
    const char *s = lx->src;
    size_t p = lx->pos, len = lx->len;
    for (;;) {
        while (p < len && byte_class[(unsigned char)s[p]] == BYTE_BLANK)
            p++;
        if (p >= len) break;
        unsigned char c = (unsigned char)s[p];
        switch (byte_class[c]) {
        case BYTE_LF:
            p++;
            new_line(lx, p);
            p = skip_indentation(s, p, len);
            continue;
        case BYTE_PUNCT:
            set_token(lx, t, (gg_token_kind)punct_kind[c], p, p + 1);
            return;
        case BYTE_NAME: {
            size_t end = p + 1;
            while (end < len && is_name_byte((unsigned char)s[end]))
                end++;
            set_token(lx, t, GG_TOK_NAME, p, end);
            t->value = s + p;
            t->len = end - p;
            return;
        }
        default:
            lx->pos = p;
            read_any_token(lx, t);
            return;
        }
    }
    lx->pos = p;
    read_any_token(lx, t); /* the end */
}

/* ---- public interface ---- */

void gg_lexer_init(gg_lexer *lx, gg_arena *arena, const char *src, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->arena = arena;
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->token.kind = GG_TOK_SOF;
    lx->token.loc = (gg_loc){0, 1, 1};
}

const gg_token *gg_lexer_advance(gg_lexer *lx)
{
    if (lx->has_ahead) {
        lx->token = lx->ahead;
        lx->has_ahead = false;
    } else if (lx->token.kind != GG_TOK_EOF && lx->token.kind != GG_TOK_ERROR) {
        read_token(lx, &lx->token);
    }
    return &lx->token;
}

const gg_token *gg_lexer_lookahead(gg_lexer *lx)
{
    if (!lx->has_ahead) {
        if (lx->token.kind == GG_TOK_EOF || lx->token.kind == GG_TOK_ERROR) {
            lx->ahead = lx->token;
        } else {
            read_token(lx, &lx->ahead);
        }
        lx->has_ahead = true;
    }
    return &lx->ahead;
}

const char *gg_token_kind_desc(gg_token_kind kind)
{
    static const char *const names[] = {
        [GG_TOK_SOF] = "<SOF>",       [GG_TOK_EOF] = "<EOF>",      [GG_TOK_BANG] = "\"!\"",
        [GG_TOK_DOLLAR] = "\"$\"",    [GG_TOK_AMP] = "\"&\"",      [GG_TOK_PAREN_L] = "\"(\"",
        [GG_TOK_PAREN_R] = "\")\"",   [GG_TOK_SPREAD] = "\"...\"", [GG_TOK_COLON] = "\":\"",
        [GG_TOK_EQUALS] = "\"=\"",    [GG_TOK_AT] = "\"@\"",       [GG_TOK_BRACKET_L] = "\"[\"",
        [GG_TOK_BRACKET_R] = "\"]\"", [GG_TOK_BRACE_L] = "\"{\"",  [GG_TOK_PIPE] = "\"|\"",
        [GG_TOK_BRACE_R] = "\"}\"",   [GG_TOK_NAME] = "Name",      [GG_TOK_INT] = "Int",
        [GG_TOK_FLOAT] = "Float",     [GG_TOK_STRING] = "String",  [GG_TOK_BLOCK_STRING] = "BlockString",
        [GG_TOK_ERROR] = "<error>",
    };
    return (unsigned)kind <= GG_TOK_ERROR ? names[kind] : "<error>";
}
