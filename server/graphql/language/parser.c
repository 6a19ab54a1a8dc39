/* parser.c: recursive-descent parser for GraphQL documents, following graphql-js 16.15 (parser.ts),
 * the team's pinned oracle (it also accepts descriptions on operations, fragments and variables).
 *
 * Design:
 * - The grammar functions mirror graphql-js's (parseDefinition, parseSelectionSet, ...) so that the
 *   same input fails at the same token with the same message. Token descriptions in messages are
 *   graphql-js's getTokenDesc: `Name "x"`, `"{"`, `<EOF>`.
 * - Errors are values: the first error is recorded in the parser and the current token becomes
 *   GG_TOK_ERROR, which no peek matches, so every loop ends and the call chain unwinds normally
 *   (nodes built after the error are garbage in the arena and are dropped with it). Every loop
 *   that waits for a closing token also checks `failed`.
 * - Recursion is bounded: selection sets, list and object values and list types each count one
 *   level of nesting, and entering a level beyond max_depth fails before recursing. A few stack
 *   frames per level (~250 bytes, ~800 under ASan) keep the default 512 levels, and the
 *   GG_PARSE_MAX_DEPTH_LIMIT cap, far below any thread's stack.
 * - Arrays are built on a scratch stack and copied to the arena at their exact size (see
 *   list_begin). Names must be NUL-terminated: rather than one allocation per name, the source
 *   is copied into the arena once and each name (and number) is terminated in place in that
 *   copy (see token_text). A 650-byte query parses in about 2 us (graphql-js 16: about 11 us). */
#include "parser.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "lexer.h"

#define DEFAULT_MAX_DEPTH 512

typedef struct parser {
    gg_arena *arena;
    gg_lexer lx;
    char *text;    /* a copy of the source in the arena: names and numbers are NUL-terminated in place */
    char *scratch; /* the list stack (see list_begin): first in scratch_inline, then the arena */
    size_t scratch_len, scratch_cap;
    gg_error_list *errors;
    bool failed;
    unsigned depth, max_depth;
    unsigned max_tokens, token_count;
    const char *max_tokens_setting;
    _Alignas(16) char scratch_inline[4096]; /* last: parser_init zeroes what comes before */
} parser;

/* ---- tokens and errors ---- */

static const gg_token *tok(parser *p)
{
    return &p->lx.token;
}

static void stop(parser *p)
{
    p->failed = true;
    p->lx.token.kind = GG_TOK_ERROR;
    p->lx.ahead.kind = GG_TOK_ERROR;
}

static void fail_at(parser *p, gg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail_at(parser *p, gg_loc loc, const char *fmt, ...)
{
    if (p->failed) return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = gg_arena_vprintf(p->errors->arena, fmt, ap);
    va_end(ap);
    gg_error_at(p->errors, loc, "Syntax Error: %s", msg);
    stop(p);
}

static void fail_lexer(parser *p)
{
    if (p->failed) return;
    gg_error_at(p->errors, p->lx.error_loc, "%s", p->lx.error);
    stop(p);
}

/* graphql-js getTokenDesc: the kind, then the value in quotes when the token has one. */
static char *token_desc(parser *p, const gg_token *t)
{
    const char *kind = gg_token_kind_desc(t->kind);
    if (t->value == NULL) return (char *)kind;
    return gg_arena_printf(p->errors->arena, "%s \"%.*s\"", kind, (int)t->len, t->value);
}

static void fail_unexpected(parser *p, const gg_token *t)
{
    fail_at(p, t->loc, "Unexpected %s.", token_desc(p, t));
}

static void advance(parser *p)
{
    if (p->failed) return;
    const gg_token *t = gg_lexer_advance(&p->lx);
    if (t->kind == GG_TOK_ERROR) {
        fail_lexer(p);
        return;
    }
    if (t->kind != GG_TOK_EOF) {
        p->token_count++;
        if (p->max_tokens && p->token_count > p->max_tokens) {
            /* "that", not "than": graphql-js 16 words it so, and messages match it byte for byte */
            if (p->max_tokens_setting)
                fail_at(p, t->loc, "Document contains more that %u tokens. Parsing aborted. (server setting %s)",
                        p->max_tokens, p->max_tokens_setting);
            else
                fail_at(p, t->loc, "Document contains more that %u tokens. Parsing aborted.", p->max_tokens);
        }
    }
}

static const gg_token *lookahead(parser *p)
{
    const gg_token *t = gg_lexer_lookahead(&p->lx);
    if (t->kind == GG_TOK_ERROR) fail_lexer(p);
    return t;
}

static bool peek(parser *p, gg_token_kind kind)
{
    return tok(p)->kind == kind;
}

static bool expect_optional(parser *p, gg_token_kind kind)
{
    if (!peek(p, kind)) return false;
    advance(p);
    return true;
}

static bool expect(parser *p, gg_token_kind kind)
{
    if (expect_optional(p, kind)) return true;
    fail_at(p, tok(p)->loc, "Expected %s, found %s.", gg_token_kind_desc(kind), token_desc(p, tok(p)));
    return false;
}

static bool token_is_keyword(const gg_token *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == GG_TOK_NAME && t->len == n && memcmp(t->value, word, n) == 0;
}

static bool expect_optional_keyword(parser *p, const char *word)
{
    if (!token_is_keyword(tok(p), word)) return false;
    advance(p);
    return true;
}

static void expect_keyword(parser *p, const char *word)
{
    if (!expect_optional_keyword(p, word))
        fail_at(p, tok(p)->loc, "Expected \"%s\", found %s.", word, token_desc(p, tok(p)));
}

/* Enters one level of nesting at the current token; false (and an error) beyond max_depth. */
static bool enter(parser *p)
{
    if (p->depth >= p->max_depth) {
        fail_at(p, tok(p)->loc, "Document is nested deeper than %u levels. Parsing aborted.", p->max_depth);
        return false;
    }
    p->depth++;
    return true;
}

static void leave(parser *p)
{
    p->depth--;
}

/* Lists (selections, arguments, fields, ...) are built on a stack of bytes in the parser, then
 * copied once to the arena at their exact size: no growing arrays left behind in the arena and
 * no unused capacity to zero. A nested list begins and ends while its parent's item is still
 * being built (in a local), so the stack discipline holds; items are pushed by copy. */
typedef struct list {
    size_t mark; /* where the list starts on the stack */
    unsigned count;
} list;

static list list_begin(parser *p)
{
    return (list){p->scratch_len, 0};
}

static inline void list_add(parser *p, list *l, const void *item, size_t size)
{
    if (p->scratch_len + size > p->scratch_cap) { /* rare: only large documents get here */
        size_t cap = p->scratch_cap * 2;
        while (cap < p->scratch_len + size)
            cap *= 2;
        p->scratch = gg_arena_grow(p->arena, p->scratch, p->scratch_len, cap, 1);
        p->scratch_cap = cap;
    }
    memcpy(p->scratch + p->scratch_len, item, size);
    p->scratch_len += size;
    l->count++;
}

/* Pops the list off the stack; returns its arena copy (NULL when empty) and stores its count. */
static void *list_finish(parser *p, list *l, size_t size, unsigned *count)
{
    size_t bytes = (size_t)l->count * size;
    p->scratch_len = l->mark;
    *count = l->count;
    if (bytes == 0) return NULL;
    void *items = gg_arena_alloc_uninit(p->arena, bytes); /* entirely overwritten */
    memcpy(items, p->scratch + l->mark, bytes);
    return items;
}

/* ---- names, values, types, directives ---- */

/* The NUL-terminated text of a name or number token, usually without allocating: its bytes in
 * the arena copy of the source, with a NUL written over the byte that follows. That byte is
 * never part of a name (tokens are maximal) but can be the '-' of a number right after, as in
 * "[A-1]": such a number, whose first byte the previous token has taken, is copied instead. */
static const char *token_text(parser *p, const gg_token *t)
{
    size_t at = (size_t)(t->value - p->lx.src);
    if (p->text[at] != p->lx.src[at]) return gg_arena_strndup(p->arena, t->value, t->len);
    p->text[at + t->len] = '\0';
    return p->text + at;
}

static gg_name parse_name(parser *p)
{
    gg_name name = {NULL, tok(p)->loc};
    if (peek(p, GG_TOK_NAME))
        name.value = token_text(p, tok(p));
    else
        name.value = "";
    expect(p, GG_TOK_NAME);
    return name;
}

static gg_value *parse_value(parser *p, bool is_const);

static gg_value *new_value(parser *p, gg_value_kind kind, gg_loc loc)
{
    gg_value *v = gg_arena_alloc(p->arena, sizeof(*v));
    v->kind = kind;
    v->loc = loc;
    return v;
}

static gg_value *parse_list_value(parser *p, bool is_const)
{
    gg_value *v = new_value(p, GG_VALUE_LIST, tok(p)->loc);
    if (!enter(p)) return v;
    list items = list_begin(p);
    expect(p, GG_TOK_BRACKET_L);
    while (!p->failed && !expect_optional(p, GG_TOK_BRACKET_R)) {
        gg_value *item = parse_value(p, is_const);
        list_add(p, &items, &item, sizeof(item));
    }
    v->items = list_finish(p, &items, sizeof(*v->items), &v->item_count);
    leave(p);
    return v;
}

static gg_value *parse_object_value(parser *p, bool is_const)
{
    gg_value *v = new_value(p, GG_VALUE_OBJECT, tok(p)->loc);
    if (!enter(p)) return v;
    list fields = list_begin(p);
    expect(p, GG_TOK_BRACE_L);
    while (!p->failed && !expect_optional(p, GG_TOK_BRACE_R)) {
        gg_object_field f = {.loc = tok(p)->loc};
        f.name = parse_name(p);
        expect(p, GG_TOK_COLON);
        f.value = parse_value(p, is_const);
        list_add(p, &fields, &f, sizeof(f));
    }
    v->fields = list_finish(p, &fields, sizeof(*v->fields), &v->field_count);
    leave(p);
    return v;
}

static gg_value *parse_variable(parser *p)
{
    gg_value *v = new_value(p, GG_VALUE_VARIABLE, tok(p)->loc);
    expect(p, GG_TOK_DOLLAR);
    gg_name name = parse_name(p);
    v->text = name.value;
    v->len = strlen(name.value);
    return v;
}

static gg_value *parse_string_value(parser *p)
{
    const gg_token *t = tok(p);
    gg_value *v = new_value(p, GG_VALUE_STRING, t->loc);
    v->text = t->value;
    v->len = t->len;
    v->block = t->kind == GG_TOK_BLOCK_STRING;
    advance(p);
    return v;
}

static gg_value *parse_value(parser *p, bool is_const)
{
    const gg_token t = *tok(p);
    gg_value *v;
    switch (t.kind) {
    case GG_TOK_BRACKET_L:
        return parse_list_value(p, is_const);
    case GG_TOK_BRACE_L:
        return parse_object_value(p, is_const);
    case GG_TOK_INT:
    case GG_TOK_FLOAT:
        v = new_value(p, t.kind == GG_TOK_INT ? GG_VALUE_INT : GG_VALUE_FLOAT, t.loc);
        v->text = token_text(p, &t);
        v->len = t.len;
        advance(p);
        return v;
    case GG_TOK_STRING:
    case GG_TOK_BLOCK_STRING:
        return parse_string_value(p);
    case GG_TOK_NAME:
        advance(p);
        if (token_is_keyword(&t, "true") || token_is_keyword(&t, "false")) {
            v = new_value(p, GG_VALUE_BOOLEAN, t.loc);
            v->boolean = t.value[0] == 't';
        } else if (token_is_keyword(&t, "null")) {
            v = new_value(p, GG_VALUE_NULL, t.loc);
        } else {
            v = new_value(p, GG_VALUE_ENUM, t.loc);
            v->text = token_text(p, &t);
            v->len = t.len;
        }
        return v;
    case GG_TOK_DOLLAR:
        if (is_const) {
            advance(p);
            if (peek(p, GG_TOK_NAME))
                fail_at(p, t.loc, "Unexpected variable \"$%.*s\" in constant value.", (int)tok(p)->len, tok(p)->value);
            else
                fail_unexpected(p, &t);
            return new_value(p, GG_VALUE_NULL, t.loc);
        }
        return parse_variable(p);
    default:
        fail_unexpected(p, &t);
        return new_value(p, GG_VALUE_NULL, t.loc);
    }
}

static gg_type_ref *parse_type_ref(parser *p)
{
    gg_loc start = tok(p)->loc;
    gg_type_ref *type = gg_arena_alloc(p->arena, sizeof(*type));
    type->loc = start;
    if (peek(p, GG_TOK_BRACKET_L)) {
        if (!enter(p)) return type;
        advance(p);
        type->kind = GG_TYPE_REF_LIST;
        type->of_type = parse_type_ref(p);
        expect(p, GG_TOK_BRACKET_R);
        leave(p);
    } else {
        type->kind = GG_TYPE_REF_NAMED;
        type->name = parse_name(p);
    }
    if (expect_optional(p, GG_TOK_BANG)) {
        gg_type_ref *non_null = gg_arena_alloc(p->arena, sizeof(*non_null));
        non_null->kind = GG_TYPE_REF_NON_NULL;
        non_null->loc = start;
        non_null->of_type = type;
        return non_null;
    }
    return type;
}

static void parse_arguments(parser *p, bool is_const, gg_argument **out, unsigned *count)
{
    list args = list_begin(p);
    if (expect_optional(p, GG_TOK_PAREN_L)) {
        do {
            gg_argument a = {.loc = tok(p)->loc};
            a.name = parse_name(p);
            expect(p, GG_TOK_COLON);
            a.value = parse_value(p, is_const);
            list_add(p, &args, &a, sizeof(a));
        } while (!p->failed && !expect_optional(p, GG_TOK_PAREN_R));
    }
    *out = list_finish(p, &args, sizeof(**out), count);
}

static void parse_directives(parser *p, bool is_const, gg_directive **out, unsigned *count)
{
    list dirs = list_begin(p);
    while (peek(p, GG_TOK_AT)) {
        gg_directive d = {.loc = tok(p)->loc};
        advance(p);
        d.name = parse_name(p);
        parse_arguments(p, is_const, &d.args, &d.arg_count);
        list_add(p, &dirs, &d, sizeof(d));
    }
    *out = list_finish(p, &dirs, sizeof(**out), count);
}

/* ---- selections ---- */

static gg_selection_set *parse_selection_set(parser *p);

/* A fragment name: any name but "on". */
static gg_name parse_fragment_name(parser *p)
{
    if (token_is_keyword(tok(p), "on")) fail_unexpected(p, tok(p));
    return parse_name(p);
}

static void parse_fragment_selection(parser *p, gg_selection *s)
{
    expect(p, GG_TOK_SPREAD);
    bool has_type_condition = expect_optional_keyword(p, "on");
    if (!has_type_condition && peek(p, GG_TOK_NAME)) {
        s->kind = GG_SELECTION_FRAGMENT_SPREAD;
        s->name = parse_fragment_name(p);
        parse_directives(p, false, &s->directives, &s->directive_count);
        return;
    }
    s->kind = GG_SELECTION_INLINE_FRAGMENT;
    if (has_type_condition) s->type_condition = parse_name(p);
    parse_directives(p, false, &s->directives, &s->directive_count);
    s->selection_set = parse_selection_set(p);
}

static void parse_field(parser *p, gg_selection *s)
{
    s->kind = GG_SELECTION_FIELD;
    gg_name name_or_alias = parse_name(p);
    if (expect_optional(p, GG_TOK_COLON)) {
        s->alias = name_or_alias;
        s->name = parse_name(p);
    } else {
        s->name = name_or_alias;
    }
    parse_arguments(p, false, &s->args, &s->arg_count);
    parse_directives(p, false, &s->directives, &s->directive_count);
    if (peek(p, GG_TOK_BRACE_L)) s->selection_set = parse_selection_set(p);
}

static gg_selection_set *parse_selection_set(parser *p)
{
    gg_selection_set *set = gg_arena_alloc(p->arena, sizeof(*set));
    set->loc = tok(p)->loc;
    if (!enter(p)) return set;
    list sels = list_begin(p);
    if (expect(p, GG_TOK_BRACE_L)) {
        do {
            gg_selection s = {.loc = tok(p)->loc};
            if (peek(p, GG_TOK_SPREAD))
                parse_fragment_selection(p, &s);
            else
                parse_field(p, &s);
            list_add(p, &sels, &s, sizeof(s));
        } while (!p->failed && !expect_optional(p, GG_TOK_BRACE_R));
    }
    set->selections = list_finish(p, &sels, sizeof(*set->selections), &set->count);
    leave(p);
    return set;
}

/* ---- executable definitions ---- */

static bool peek_description(parser *p)
{
    return peek(p, GG_TOK_STRING) || peek(p, GG_TOK_BLOCK_STRING);
}

static const char *parse_description(parser *p, bool *block)
{
    if (!peek_description(p)) return NULL;
    const char *text = tok(p)->value;
    *block = peek(p, GG_TOK_BLOCK_STRING);
    advance(p);
    return text;
}

static gg_operation_kind parse_operation_type(parser *p)
{
    const gg_token t = *tok(p);
    expect(p, GG_TOK_NAME);
    if (token_is_keyword(&t, "query")) return GG_OP_QUERY;
    if (token_is_keyword(&t, "mutation")) return GG_OP_MUTATION;
    if (token_is_keyword(&t, "subscription")) return GG_OP_SUBSCRIPTION;
    if (t.kind == GG_TOK_NAME) fail_unexpected(p, &t);
    return GG_OP_QUERY;
}

static void parse_variable_definitions(parser *p, gg_definition *d)
{
    list vars = list_begin(p);
    if (expect_optional(p, GG_TOK_PAREN_L)) {
        do {
            gg_variable_definition v = {.loc = tok(p)->loc};
            v.description = parse_description(p, &v.description_block);
            v.variable.loc = tok(p)->loc;
            expect(p, GG_TOK_DOLLAR);
            v.variable.value = parse_name(p).value;
            expect(p, GG_TOK_COLON);
            v.type = parse_type_ref(p);
            if (expect_optional(p, GG_TOK_EQUALS)) v.default_value = parse_value(p, true);
            parse_directives(p, true, &v.directives, &v.directive_count);
            list_add(p, &vars, &v, sizeof(v));
        } while (!p->failed && !expect_optional(p, GG_TOK_PAREN_R));
    }
    d->variables = list_finish(p, &vars, sizeof(*d->variables), &d->variable_count);
}

static void parse_operation_definition(parser *p, gg_definition *d)
{
    d->kind = GG_DEF_OPERATION;
    if (peek(p, GG_TOK_BRACE_L)) {
        d->operation = GG_OP_QUERY;
        d->shorthand = true;
        d->selection_set = parse_selection_set(p);
        return;
    }
    d->description = parse_description(p, &d->description_block);
    d->operation = parse_operation_type(p);
    if (peek(p, GG_TOK_NAME)) d->name = parse_name(p);
    parse_variable_definitions(p, d);
    parse_directives(p, false, &d->directives, &d->directive_count);
    d->selection_set = parse_selection_set(p);
}

static void parse_fragment_definition(parser *p, gg_definition *d)
{
    d->kind = GG_DEF_FRAGMENT;
    d->description = parse_description(p, &d->description_block);
    expect_keyword(p, "fragment");
    d->name = parse_fragment_name(p);
    expect_keyword(p, "on");
    d->type_condition = parse_name(p);
    parse_directives(p, false, &d->directives, &d->directive_count);
    d->selection_set = parse_selection_set(p);
}

/* ---- type system definitions ---- */

static gg_input_value_def parse_input_value_def(parser *p)
{
    gg_input_value_def v = {.loc = tok(p)->loc};
    v.description = parse_description(p, &v.description_block);
    v.name = parse_name(p);
    expect(p, GG_TOK_COLON);
    v.type = parse_type_ref(p);
    if (expect_optional(p, GG_TOK_EQUALS)) v.default_value = parse_value(p, true);
    parse_directives(p, true, &v.directives, &v.directive_count);
    return v;
}

/* ( InputValueDefinition+ ) for arguments, or { InputValueDefinition+ } for input fields. */
static void parse_input_value_defs(parser *p, gg_token_kind open, gg_token_kind close, gg_input_value_def **out,
                                   unsigned *count)
{
    list defs = list_begin(p);
    if (expect_optional(p, open)) {
        do {
            gg_input_value_def def = parse_input_value_def(p);
            list_add(p, &defs, &def, sizeof(def));
        } while (!p->failed && !expect_optional(p, close));
    }
    *out = list_finish(p, &defs, sizeof(**out), count);
}

static void parse_fields_definition(parser *p, gg_definition *d)
{
    list fields = list_begin(p);
    if (expect_optional(p, GG_TOK_BRACE_L)) {
        do {
            gg_field_def f = {.loc = tok(p)->loc};
            f.description = parse_description(p, &f.description_block);
            f.name = parse_name(p);
            parse_input_value_defs(p, GG_TOK_PAREN_L, GG_TOK_PAREN_R, &f.args, &f.arg_count);
            expect(p, GG_TOK_COLON);
            f.type = parse_type_ref(p);
            parse_directives(p, true, &f.directives, &f.directive_count);
            list_add(p, &fields, &f, sizeof(f));
        } while (!p->failed && !expect_optional(p, GG_TOK_BRACE_R));
    }
    d->fields = list_finish(p, &fields, sizeof(*d->fields), &d->field_count);
}

/* graphql-js delimitedMany: an optional leading delimiter, then names separated by it. */
static void parse_delimited_names(parser *p, gg_token_kind delimiter, gg_name **out, unsigned *count)
{
    list names = list_begin(p);
    expect_optional(p, delimiter);
    do {
        gg_name name = parse_name(p);
        list_add(p, &names, &name, sizeof(name));
    } while (!p->failed && expect_optional(p, delimiter));
    *out = list_finish(p, &names, sizeof(**out), count);
}

static void parse_implements(parser *p, gg_definition *d)
{
    if (expect_optional_keyword(p, "implements"))
        parse_delimited_names(p, GG_TOK_AMP, &d->interfaces, &d->interface_count);
}

static void parse_union_members(parser *p, gg_definition *d)
{
    if (expect_optional(p, GG_TOK_EQUALS)) parse_delimited_names(p, GG_TOK_PIPE, &d->types, &d->type_count);
}

static void parse_enum_values(parser *p, gg_definition *d)
{
    list values = list_begin(p);
    if (expect_optional(p, GG_TOK_BRACE_L)) {
        do {
            gg_enum_value_def v = {.loc = tok(p)->loc};
            v.description = parse_description(p, &v.description_block);
            const gg_token *t = tok(p);
            if (token_is_keyword(t, "true") || token_is_keyword(t, "false") || token_is_keyword(t, "null"))
                fail_at(p, t->loc, "%s is reserved and cannot be used for an enum value.", token_desc(p, t));
            v.name = parse_name(p);
            parse_directives(p, true, &v.directives, &v.directive_count);
            list_add(p, &values, &v, sizeof(v));
        } while (!p->failed && !expect_optional(p, GG_TOK_BRACE_R));
    }
    d->values = list_finish(p, &values, sizeof(*d->values), &d->value_count);
}

static void parse_operation_types(parser *p, gg_definition *d, bool required)
{
    list ops = list_begin(p);
    if (required ? expect(p, GG_TOK_BRACE_L) : expect_optional(p, GG_TOK_BRACE_L)) {
        do {
            gg_operation_type_def o = {.loc = tok(p)->loc};
            o.operation = parse_operation_type(p);
            expect(p, GG_TOK_COLON);
            o.type = parse_name(p);
            list_add(p, &ops, &o, sizeof(o));
        } while (!p->failed && !expect_optional(p, GG_TOK_BRACE_R));
    }
    d->operation_types = list_finish(p, &ops, sizeof(*d->operation_types), &d->operation_type_count);
}

static void parse_directive_definition(parser *p, gg_definition *d)
{
    d->kind = GG_DEF_DIRECTIVE;
    expect_keyword(p, "directive");
    expect(p, GG_TOK_AT);
    d->name = parse_name(p);
    parse_input_value_defs(p, GG_TOK_PAREN_L, GG_TOK_PAREN_R, &d->args, &d->arg_count);
    d->repeatable = expect_optional_keyword(p, "repeatable");
    expect_keyword(p, "on");
    list names = list_begin(p);
    expect_optional(p, GG_TOK_PIPE);
    do {
        const gg_token t = *tok(p);
        gg_name name = parse_name(p);
        uint32_t bit = p->failed ? 0 : gg_directive_location_from_name(name.value);
        if (!p->failed && bit == 0) fail_unexpected(p, &t);
        d->locations |= bit;
        list_add(p, &names, &name, sizeof(name));
    } while (!p->failed && expect_optional(p, GG_TOK_PIPE));
    d->location_names = list_finish(p, &names, sizeof(*d->location_names), &d->location_count);
}

/* The body of a type definition or extension, after its keyword: name and what follows. */
static void parse_type_body(parser *p, gg_definition *d)
{
    if (d->kind != GG_DEF_SCHEMA) d->name = parse_name(p);
    if (d->kind == GG_DEF_OBJECT || d->kind == GG_DEF_INTERFACE) parse_implements(p, d);
    parse_directives(p, true, &d->directives, &d->directive_count);
    switch (d->kind) {
    case GG_DEF_SCHEMA:
        parse_operation_types(p, d, !d->is_extension);
        break;
    case GG_DEF_OBJECT:
    case GG_DEF_INTERFACE:
        parse_fields_definition(p, d);
        break;
    case GG_DEF_UNION:
        parse_union_members(p, d);
        break;
    case GG_DEF_ENUM:
        parse_enum_values(p, d);
        break;
    case GG_DEF_INPUT_OBJECT:
        parse_input_value_defs(p, GG_TOK_BRACE_L, GG_TOK_BRACE_R, &d->input_fields, &d->input_field_count);
        break;
    default:
        break;
    }
}

/* An extension must add something: graphql-js fails on the token where the addition should be. */
static void check_extension_adds(parser *p, const gg_definition *d)
{
    unsigned added = d->directive_count + d->operation_type_count + d->interface_count + d->field_count +
                     d->type_count + d->value_count + d->input_field_count;
    if (added == 0) fail_unexpected(p, tok(p));
}

/* Maps a type-system keyword to its definition kind; false when the token is not one. */
static bool type_keyword(const gg_token *t, gg_definition_kind *kind)
{
    static const struct {
        const char *word;
        gg_definition_kind kind;
    } keywords[] = {
        {"schema", GG_DEF_SCHEMA},       {"scalar", GG_DEF_SCALAR}, {"type", GG_DEF_OBJECT},
        {"interface", GG_DEF_INTERFACE}, {"union", GG_DEF_UNION},   {"enum", GG_DEF_ENUM},
        {"input", GG_DEF_INPUT_OBJECT},
    };
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (token_is_keyword(t, keywords[i].word)) {
            *kind = keywords[i].kind;
            return true;
        }
    }
    return false;
}

static void parse_type_system_extension(parser *p, gg_definition *d)
{
    const gg_token ahead = *lookahead(p);
    if (p->failed) return;
    if (!type_keyword(&ahead, &d->kind)) {
        fail_unexpected(p, &ahead);
        return;
    }
    d->is_extension = true;
    advance(p); /* extend */
    advance(p); /* the keyword */
    parse_type_body(p, d);
    check_extension_adds(p, d);
}

static gg_definition parse_definition(parser *p)
{
    gg_definition d = {.loc = tok(p)->loc};
    if (peek(p, GG_TOK_BRACE_L)) {
        parse_operation_definition(p, &d);
        return d;
    }
    bool has_description = peek_description(p);
    const gg_token keyword = has_description ? *lookahead(p) : *tok(p);
    if (p->failed) return d;
    if (has_description && keyword.kind == GG_TOK_BRACE_L) {
        fail_at(p, tok(p)->loc, "Unexpected description, descriptions are not supported on shorthand queries.");
        return d;
    }
    if (keyword.kind == GG_TOK_NAME) {
        if (type_keyword(&keyword, &d.kind)) {
            d.description = parse_description(p, &d.description_block);
            advance(p); /* the keyword */
            parse_type_body(p, &d);
            return d;
        }
        if (token_is_keyword(&keyword, "directive")) {
            d.description = parse_description(p, &d.description_block);
            parse_directive_definition(p, &d);
            return d;
        }
        if (token_is_keyword(&keyword, "query") || token_is_keyword(&keyword, "mutation") ||
            token_is_keyword(&keyword, "subscription")) {
            parse_operation_definition(p, &d);
            return d;
        }
        if (token_is_keyword(&keyword, "fragment")) {
            parse_fragment_definition(p, &d);
            return d;
        }
        if (has_description) {
            fail_at(p, tok(p)->loc, "Unexpected description, only GraphQL definitions support descriptions.");
            return d;
        }
        if (token_is_keyword(&keyword, "extend")) {
            parse_type_system_extension(p, &d);
            return d;
        }
    }
    fail_unexpected(p, &keyword);
    return d;
}

/* ---- entry points ---- */

static void parser_init(parser *p, gg_arena *arena, const char *source, size_t len, const gg_parse_options *opts,
                        gg_error_list *errors)
{
    memset(p, 0, offsetof(parser, scratch_inline));
    p->scratch = p->scratch_inline;
    p->scratch_cap = sizeof(p->scratch_inline);
    p->arena = arena;
    p->errors = errors;
    p->max_depth = opts && opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
    if (p->max_depth > GG_PARSE_MAX_DEPTH_LIMIT) p->max_depth = GG_PARSE_MAX_DEPTH_LIMIT;
    p->max_tokens = opts ? opts->max_tokens : 0;
    p->max_tokens_setting = opts ? opts->max_tokens_setting : NULL;
    gg_lexer_init(&p->lx, arena, source, len);
    if (len > UINT32_MAX) { /* locations are 32-bit offsets */
        fail_at(p, (gg_loc){0, 1, 1}, "Document is larger than 4 GiB. Parsing aborted.");
        return;
    }
    p->text = gg_arena_strndup(arena, source, len);
    advance(p); /* past <SOF> */
}

gg_document *gg_parse(gg_arena *arena, const char *source, size_t len, const gg_parse_options *opts,
                      gg_error_list *errors)
{
    parser p;
    parser_init(&p, arena, source, len, opts, errors);
    list defs = list_begin(&p);
    do {
        gg_definition d = parse_definition(&p);
        list_add(&p, &defs, &d, sizeof(d));
    } while (!p.failed && !expect_optional(&p, GG_TOK_EOF));
    if (p.failed) return NULL;
    gg_document *doc = gg_arena_alloc(arena, sizeof(*doc));
    doc->definitions = list_finish(&p, &defs, sizeof(*doc->definitions), &doc->definition_count);
    doc->source = source;
    doc->source_len = len;
    doc->token_count = p.token_count;
    return doc;
}

gg_value *gg_parse_value(gg_arena *arena, const char *source, size_t len, gg_error_list *errors)
{
    parser p;
    parser_init(&p, arena, source, len, NULL, errors);
    gg_value *v = parse_value(&p, false);
    expect(&p, GG_TOK_EOF);
    return p.failed ? NULL : v;
}

gg_type_ref *gg_parse_type(gg_arena *arena, const char *source, size_t len, gg_error_list *errors)
{
    parser p;
    parser_init(&p, arena, source, len, NULL, errors);
    gg_type_ref *t = parse_type_ref(&p);
    expect(&p, GG_TOK_EOF);
    return p.failed ? NULL : t;
}
