/* sql_placeholders.c: :name placeholders of SQL statements made $N parameters; see
 * sql_placeholders.h.
 *
 * The scanner knows just enough of PostgreSQL's lexical rules to skip what is not code: '…' (with
 * '' and, for E'…', backslash escapes), "…" identifiers, $tag$…$tag$ strings, -- and nested block
 * comments, and the :: cast operator. Everything else is copied as it is; a placeholder becomes $N,
 * the same name the same N. */
#include "sql_placeholders.h"

#include <ctype.h>
#include <string.h>

#include "base/buf.h"

typedef struct scanner {
    const char *s;
    size_t i, len;
    gg_buf out;
    const char *names[256];
    unsigned count;
    gg_arena *arena;
    gg_fault *fault;
    bool has_code;     /* something besides blanks and comments */
    bool dotted_paths; /* ":a.b" is one name (gg_sql_compile_paths) */
} scanner;

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* PostgreSQL identifiers may also contain '$' after their first character. */
static bool is_ident_char(char c)
{
    return is_name_char(c) || c == '$' || (unsigned char)c >= 0x80;
}

static bool fail(scanner *sc, const char *what)
{
    return gg_fault_set(sc->fault, NULL, "%s", what);
}

/* Copies s[from, to) to the output. */
static void copy(scanner *sc, size_t from, size_t to)
{
    gg_buf_append(&sc->out, sc->s + from, to - from);
}

/* Skips a '…' literal starting at sc->i (E'…' when escapes). */
static bool skip_string(scanner *sc, bool escapes)
{
    size_t i = sc->i + 1;
    for (; i < sc->len; i++) {
        if (escapes && sc->s[i] == '\\' && i + 1 < sc->len) {
            i++;
        } else if (sc->s[i] == '\'') {
            if (i + 1 < sc->len && sc->s[i + 1] == '\'') {
                i++;
                continue;
            }
            copy(sc, sc->i, i + 1);
            sc->i = i + 1;
            return true;
        }
    }
    return fail(sc, "unterminated string literal");
}

static bool skip_quoted_ident(scanner *sc)
{
    for (size_t i = sc->i + 1; i < sc->len; i++) {
        if (sc->s[i] != '"') continue;
        if (i + 1 < sc->len && sc->s[i + 1] == '"') {
            i++;
            continue;
        }
        copy(sc, sc->i, i + 1);
        sc->i = i + 1;
        return true;
    }
    return fail(sc, "unterminated quoted identifier");
}

static bool skip_block_comment(scanner *sc)
{
    unsigned depth = 0;
    for (size_t i = sc->i; i + 1 < sc->len; i++) {
        if (sc->s[i] == '/' && sc->s[i + 1] == '*') {
            depth++;
            i++;
        } else if (sc->s[i] == '*' && sc->s[i + 1] == '/') {
            i++;
            if (--depth == 0) {
                copy(sc, sc->i, i + 1);
                sc->i = i + 1;
                return true;
            }
        }
    }
    return fail(sc, "unterminated comment");
}

static void skip_line_comment(scanner *sc)
{
    size_t i = sc->i;
    while (i < sc->len && sc->s[i] != '\n')
        i++;
    copy(sc, sc->i, i);
    sc->i = i;
}

/* At a '$': a dollar-quoted string ($$…$$, $tag$…$tag$), or a $N parameter (refused). */
static bool skip_dollar(scanner *sc)
{
    size_t i = sc->i + 1;
    if (i < sc->len && isdigit((unsigned char)sc->s[i]))
        return fail(sc, "positional parameters ($1) are not allowed; name the field's arguments as :argName");
    while (i < sc->len && is_name_char(sc->s[i]))
        i++;
    if (i >= sc->len || sc->s[i] != '$') { /* not a dollar quote: copy the '$' as is */
        copy(sc, sc->i, sc->i + 1);
        sc->i++;
        return true;
    }
    size_t tag_len = i + 1 - sc->i;
    const char *tag = sc->s + sc->i;
    for (size_t k = i + 1; k + tag_len <= sc->len; k++) {
        if (memcmp(sc->s + k, tag, tag_len) == 0) {
            copy(sc, sc->i, k + tag_len);
            sc->i = k + tag_len;
            return true;
        }
    }
    return fail(sc, "unterminated dollar-quoted string");
}

/* The end of a name starting at i (i itself when none starts there). */
static size_t name_end(const scanner *sc, size_t i)
{
    if (i >= sc->len || !is_name_start(sc->s[i])) return i;
    while (i < sc->len && is_name_char(sc->s[i]))
        i++;
    return i;
}

/* After ":identity": the rest of ":identity.a" or ":identity.claims.b", where b may be written
 * "quoted" (claim names such as custom:tenant). Appends the name (without quotes) to name and returns
 * where it ends; a '.' followed by no name ends the placeholder before it. */
static size_t identity_path(scanner *sc, size_t i, gg_buf *name)
{
    if (i + 1 >= sc->len || sc->s[i] != '.') return i;
    size_t end = name_end(sc, i + 1);
    if (end == i + 1) return i;
    bool claims = end - i - 1 == 6 && strncmp(sc->s + i + 1, "claims", 6) == 0;
    gg_buf_append(name, sc->s + i, end - i);
    i = end;
    if (!claims || i + 1 >= sc->len || sc->s[i] != '.') return i;
    if (sc->s[i + 1] == '"') {
        const char *from = sc->s + i + 2, *close = memchr(from, '"', sc->len - i - 2);
        if (close == NULL || close == from) return i;
        gg_buf_putc(name, '.');
        gg_buf_append(name, from, (size_t)(close - from));
        return (size_t)(close - sc->s) + 1;
    }
    end = name_end(sc, i + 1);
    if (end == i + 1) return i;
    gg_buf_append(name, sc->s + i, end - i);
    return end;
}

/* With dotted_paths (pipeline steps, gg_sql_compile_paths): the rest of ":a.b.c", appended to name. */
static size_t dotted_path(scanner *sc, size_t i, gg_buf *name)
{
    while (i + 1 < sc->len && sc->s[i] == '.') {
        size_t end = name_end(sc, i + 1);
        if (end == i + 1) break;
        gg_buf_append(name, sc->s + i, end - i);
        i = end;
    }
    return i;
}

/* At ':' followed by a name: appends $N for it. ":identity.x" (and ":identity.claims.y") is one
 * name: the caller's identity, checked by the binding. */
static bool placeholder(scanner *sc)
{
    size_t start = sc->i + 1, end = name_end(sc, start);
    gg_buf text;
    gg_buf_init(&text);
    gg_buf_append(&text, sc->s + start, end - start);
    if (end - start == 8 && strncmp(sc->s + start, "identity", 8) == 0)
        end = identity_path(sc, end, &text);
    else if (sc->dotted_paths)
        end = dotted_path(sc, end, &text);
    const char *name = gg_arena_strndup(sc->arena, text.data, text.len);
    gg_buf_free(&text);
    unsigned n = 0;
    while (n < sc->count && strcmp(sc->names[n], name) != 0)
        n++;
    if (n == sc->count) {
        if (sc->count == sizeof sc->names / sizeof *sc->names) return fail(sc, "too many parameters");
        sc->names[sc->count++] = name;
    }
    gg_buf_printf(&sc->out, "$%u", n + 1);
    sc->i = end;
    return true;
}

/* After a top-level ';' only blanks and comments may follow. */
static bool check_rest(scanner *sc)
{
    size_t i = sc->i + 1;
    while (i < sc->len) {
        if (isspace((unsigned char)sc->s[i])) {
            i++;
        } else if (sc->s[i] == '-' && i + 1 < sc->len && sc->s[i + 1] == '-') {
            while (i < sc->len && sc->s[i] != '\n')
                i++;
        } else if (sc->s[i] == '/' && i + 1 < sc->len && sc->s[i + 1] == '*') {
            const char *e = strstr(sc->s + i + 2, "*/");
            if (e == NULL) return fail(sc, "unterminated comment");
            i = (size_t)(e - sc->s) + 2;
        } else {
            return fail(sc, "only one SQL statement is allowed");
        }
    }
    return true;
}

static bool scan_one(scanner *sc)
{
    const char *s = sc->s;
    size_t i = sc->i;
    char c = s[i], next = i + 1 < sc->len ? s[i + 1] : '\0';
    bool after_ident = i > 0 && is_ident_char(s[i - 1]);
    if (c == '\'') {
        bool escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !is_ident_char(s[i - 2]));
        return skip_string(sc, escapes);
    }
    if (c == '"') return skip_quoted_ident(sc);
    if (c == '-' && next == '-') {
        skip_line_comment(sc);
        return true;
    }
    if (c == '/' && next == '*') return skip_block_comment(sc);
    sc->has_code = true;
    if (c == '$' && !after_ident) return skip_dollar(sc);
    if (c == ':' && next == ':') { /* a cast: the type name after it is plain text */
        copy(sc, i, i + 2);
        sc->i = i + 2;
        return true;
    }
    if (c == ':' && is_name_start(next)) return placeholder(sc);
    copy(sc, i, i + 1);
    sc->i = i + 1;
    return true;
}

static bool compile(gg_arena *arena, const char *statement, bool dotted_paths, gg_sql_compiled *out, gg_fault *fault)
{
    scanner sc = {
        .s = statement, .len = strlen(statement), .arena = arena, .fault = fault, .dotted_paths = dotted_paths};
    gg_buf_init(&sc.out);
    bool ok = true;
    while (ok && sc.i < sc.len) {
        if (sc.s[sc.i] == ';') {
            ok = check_rest(&sc);
            break;
        }
        if (isspace((unsigned char)sc.s[sc.i])) {
            copy(&sc, sc.i, sc.i + 1);
            sc.i++;
            continue;
        }
        ok = scan_one(&sc);
    }
    if (ok && !sc.has_code) ok = fail(&sc, "the statement is empty");
    if (ok) {
        out->sql = gg_arena_strndup(arena, sc.out.data ? sc.out.data : "", sc.out.len);
        out->param_count = sc.count;
        out->param_names = gg_arena_array(arena, sc.count ? sc.count : 1, sizeof *out->param_names);
        memcpy(out->param_names, sc.names, sc.count * sizeof *sc.names);
    }
    gg_buf_free(&sc.out);
    return ok;
}

bool gg_sql_compile(gg_arena *arena, const char *statement, gg_sql_compiled *out, gg_fault *fault)
{
    return compile(arena, statement, false, out, fault);
}

bool gg_sql_compile_paths(gg_arena *arena, const char *statement, gg_sql_compiled *out, gg_fault *fault)
{
    return compile(arena, statement, true, out, fault);
}
