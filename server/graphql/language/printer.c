/* printer.c: the AST back to text, byte for byte like graphql-js 16.15's print().
 *
 * Design:
 * - Text goes straight into the caller's gg_buf. graphql-js builds nested strings and indents a
 *   block by putting two spaces after every newline inside it; here the printer keeps an
 *   indentation level and every '\n' it writes (including those inside block strings) is
 *   followed by that indentation, which gives the same bytes without intermediate strings.
 * - Two layout decisions depend on the printed text itself: a field's arguments go on separate
 *   lines when the field would exceed 80 columns (graphql-js MAX_LINE_LENGTH: the field's name
 *   and arguments in UTF-16 code units, not counting indentation), and argument / variable
 *   definitions go on separate lines when one of them spans several lines (a description, a
 *   block string). Both print the one-line form first, measure it, and reprint in place only
 *   when needed.
 * - Strings: printString escapes like graphql-js (control characters, '"', '\\', U+007F..U+009F);
 *   block strings follow printBlockString's rules for leading and trailing newlines. */
#include "printer.h"

#include <string.h>

#define MAX_LINE_LENGTH 80

typedef struct printer {
    gg_buf *out;
    unsigned indent; /* levels of two spaces written after each newline */
} printer;

/* ---- text output ---- */

static void put_newline(printer *pr)
{
    gg_buf_putc(pr->out, '\n');
    for (unsigned i = 0; i < pr->indent; i++)
        gg_buf_append(pr->out, "  ", 2);
}

/* Writes len bytes; each '\n' in them is followed by the current indentation. */
static void put_text(printer *pr, const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (nl == NULL) {
            gg_buf_append(pr->out, s, (size_t)(end - s));
            return;
        }
        gg_buf_append(pr->out, s, (size_t)(nl - s));
        put_newline(pr);
        s = nl + 1;
    }
}

static void put(printer *pr, const char *s)
{
    put_text(pr, s, strlen(s));
}

/* UTF-16 code units of UTF-8 text (JavaScript's string length). */
static size_t utf16_length(const char *s, size_t len)
{
    size_t units = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        units += (c & 0xC0) != 0x80;
        units += c >= 0xF0;
    }
    return units;
}

static size_t count_newlines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

/* ---- strings ---- */

static void print_string(printer *pr, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    gg_buf *out = pr->out;
    gg_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            break;
        }
        if (esc) {
            gg_buf_puts(out, esc);
        } else if (c < 0x20 || c == 0x7F) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            gg_buf_append(out, u, 6);
        } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F) {
            unsigned char d = (unsigned char)s[++i]; /* U+0080..U+009F, the C1 controls */
            char u[6] = {'\\', 'u', '0', '0', hex[d >> 4], hex[d & 15]};
            gg_buf_append(out, u, 6);
        } else {
            gg_buf_putc(out, (char)c);
        }
    }
    gg_buf_putc(out, '"');
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* graphql-js printBlockString. The value's own newlines are written through put_text, so its
 * lines are indented like the block around it. */
static void print_block_string(printer *pr, const char *s, size_t len)
{
    gg_buf escaped;
    gg_buf_init(&escaped);
    size_t lines = 1;
    bool later_lines_indented = true; /* every line after the first is empty or starts with a blank */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' && i + 2 < len && s[i + 1] == '"' && s[i + 2] == '"') {
            gg_buf_append(&escaped, "\\\"\"\"", 4);
            i += 2;
            continue;
        }
        if (s[i] == '\n' || s[i] == '\r') {
            if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') gg_buf_putc(&escaped, s[i++]);
            lines++;
            if (i + 1 < len && s[i + 1] != '\n' && s[i + 1] != '\r' && !is_blank(s[i + 1]))
                later_lines_indented = false;
        }
        gg_buf_putc(&escaped, s[i]);
    }
    const char *e = escaped.data ? escaped.data : "";
    bool single_line = lines == 1;
    bool force_leading_newline = lines > 1 && later_lines_indented;
    bool trailing_triple_quotes = ends_with(e, escaped.len, "\\\"\"\"");
    bool trailing_quote = ends_with(s, len, "\"") && !trailing_triple_quotes;
    bool trailing_slash = ends_with(s, len, "\\");
    bool force_trailing_newline = trailing_quote || trailing_slash;
    bool multiple_lines = !single_line || utf16_length(s, len) > 70 || force_trailing_newline ||
                          force_leading_newline || trailing_triple_quotes;
    bool skip_leading_newline = single_line && len > 0 && is_blank(s[0]);

    put(pr, "\"\"\"");
    if ((multiple_lines && !skip_leading_newline) || force_leading_newline) put_newline(pr);
    put_text(pr, e, escaped.len);
    if (multiple_lines || force_trailing_newline) put_newline(pr);
    put(pr, "\"\"\"");
    gg_buf_free(&escaped);
}

static void print_description(printer *pr, const char *description, bool block)
{
    if (description == NULL) return;
    if (block)
        print_block_string(pr, description, strlen(description));
    else
        print_string(pr, description, strlen(description));
    put_newline(pr);
}

/* ---- values, types, directives ---- */

static void print_value(printer *pr, const gg_value *v)
{
    switch (v->kind) {
    case GG_VALUE_VARIABLE:
        put(pr, "$");
        put(pr, v->text);
        break;
    case GG_VALUE_INT:
    case GG_VALUE_FLOAT:
    case GG_VALUE_ENUM:
        put_text(pr, v->text, v->len);
        break;
    case GG_VALUE_STRING:
        if (v->block)
            print_block_string(pr, v->text, v->len);
        else
            print_string(pr, v->text, v->len);
        break;
    case GG_VALUE_BOOLEAN:
        put(pr, v->boolean ? "true" : "false");
        break;
    case GG_VALUE_NULL:
        put(pr, "null");
        break;
    case GG_VALUE_LIST:
        put(pr, "[");
        for (unsigned i = 0; i < v->item_count; i++) {
            if (i) put(pr, ", ");
            print_value(pr, v->items[i]);
        }
        put(pr, "]");
        break;
    case GG_VALUE_OBJECT:
        put(pr, "{");
        for (unsigned i = 0; i < v->field_count; i++) {
            if (i) put(pr, ", ");
            put(pr, v->fields[i].name.value);
            put(pr, ": ");
            print_value(pr, v->fields[i].value);
        }
        put(pr, "}");
        break;
    }
}

static void print_type(printer *pr, const gg_type_ref *t)
{
    switch (t->kind) {
    case GG_TYPE_REF_NAMED:
        put(pr, t->name.value);
        break;
    case GG_TYPE_REF_LIST:
        put(pr, "[");
        print_type(pr, t->of_type);
        put(pr, "]");
        break;
    case GG_TYPE_REF_NON_NULL:
        print_type(pr, t->of_type);
        put(pr, "!");
        break;
    }
}

static void print_argument(printer *pr, const gg_argument *a)
{
    put(pr, a->name.value);
    put(pr, ": ");
    print_value(pr, a->value);
}

static void print_directive(printer *pr, const gg_directive *d)
{
    put(pr, "@");
    put(pr, d->name.value);
    if (d->arg_count) {
        put(pr, "(");
        for (unsigned i = 0; i < d->arg_count; i++) {
            if (i) put(pr, ", ");
            print_argument(pr, &d->args[i]);
        }
        put(pr, ")");
    }
}

/* join(directives, ' '), preceded by `before` when there is at least one. */
static void print_directives(printer *pr, const char *before, const gg_directive *dirs, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        put(pr, i ? " " : before);
        print_directive(pr, &dirs[i]);
    }
}

/* ---- lists of definitions whose layout depends on their text ---- */

typedef void print_item_fn(printer *pr, const void *items, unsigned i);

/* Prints "(a, b)", or when any item spans several lines "(\n" items one a line "\n)", the items
 * indented when `indent_items` (arguments definitions) and not (variable definitions). */
static void print_multiline_aware_list(printer *pr, const void *items, unsigned count, print_item_fn *print_item,
                                       bool indent_items)
{
    if (count == 0) return;
    size_t mark = pr->out->len;
    put(pr, "(");
    for (unsigned i = 0; i < count; i++) {
        if (i) put(pr, ", ");
        print_item(pr, items, i);
    }
    put(pr, ")");
    if (memchr(pr->out->data + mark, '\n', pr->out->len - mark) == NULL) return;
    pr->out->len = mark;
    pr->out->data[mark] = '\0';
    put(pr, "(");
    pr->indent += indent_items;
    for (unsigned i = 0; i < count; i++) {
        put_newline(pr);
        print_item(pr, items, i);
    }
    pr->indent -= indent_items;
    put_newline(pr);
    put(pr, ")");
}

static void print_input_value_def(printer *pr, const void *items, unsigned i)
{
    const gg_input_value_def *v = (const gg_input_value_def *)items + i;
    print_description(pr, v->description, v->description_block);
    put(pr, v->name.value);
    put(pr, ": ");
    print_type(pr, v->type);
    if (v->default_value) {
        put(pr, " = ");
        print_value(pr, v->default_value);
    }
    print_directives(pr, " ", v->directives, v->directive_count);
}

static void print_variable_def(printer *pr, const void *items, unsigned i)
{
    const gg_variable_definition *v = (const gg_variable_definition *)items + i;
    print_description(pr, v->description, v->description_block);
    put(pr, "$");
    put(pr, v->variable.value);
    put(pr, ": ");
    print_type(pr, v->type);
    if (v->default_value) {
        put(pr, " = ");
        print_value(pr, v->default_value);
    }
    print_directives(pr, " ", v->directives, v->directive_count);
}

/* ---- selections ---- */

static void print_selection_set(printer *pr, const gg_selection_set *set);

/* A field's arguments: one line, or one per line when the field would pass 80 columns. */
static void print_field_arguments(printer *pr, const gg_selection *s, size_t prefix_len)
{
    if (s->arg_count == 0) return;
    size_t mark = pr->out->len;
    put(pr, "(");
    for (unsigned i = 0; i < s->arg_count; i++) {
        if (i) put(pr, ", ");
        print_argument(pr, &s->args[i]);
    }
    put(pr, ")");
    const char *printed = pr->out->data + mark;
    size_t printed_len = pr->out->len - mark;
    /* graphql-js measures the arguments before indenting them into place */
    size_t width = utf16_length(printed, printed_len) - count_newlines(printed, printed_len) * 2 * pr->indent;
    if (prefix_len + width <= MAX_LINE_LENGTH) return;
    pr->out->len = mark;
    pr->out->data[mark] = '\0';
    put(pr, "(");
    pr->indent++;
    for (unsigned i = 0; i < s->arg_count; i++) {
        put_newline(pr);
        print_argument(pr, &s->args[i]);
    }
    pr->indent--;
    put_newline(pr);
    put(pr, ")");
}

static void print_selection(printer *pr, const gg_selection *s)
{
    switch (s->kind) {
    case GG_SELECTION_FIELD: {
        size_t prefix_len = strlen(s->name.value);
        if (s->alias.value) {
            put(pr, s->alias.value);
            put(pr, ": ");
            prefix_len += strlen(s->alias.value) + 2;
        }
        put(pr, s->name.value);
        print_field_arguments(pr, s, prefix_len);
        print_directives(pr, " ", s->directives, s->directive_count);
        if (s->selection_set && s->selection_set->count) {
            put(pr, " ");
            print_selection_set(pr, s->selection_set);
        }
        break;
    }
    case GG_SELECTION_FRAGMENT_SPREAD:
        put(pr, "...");
        put(pr, s->name.value);
        print_directives(pr, " ", s->directives, s->directive_count);
        break;
    case GG_SELECTION_INLINE_FRAGMENT:
        put(pr, "...");
        if (s->type_condition.value) {
            put(pr, " on ");
            put(pr, s->type_condition.value);
        }
        print_directives(pr, " ", s->directives, s->directive_count);
        if (s->selection_set && s->selection_set->count) {
            put(pr, " ");
            print_selection_set(pr, s->selection_set);
        }
        break;
    }
}

/* graphql-js block(): "{", each item on its own indented line, "}"; nothing when empty. */
static void print_selection_set(printer *pr, const gg_selection_set *set)
{
    if (set == NULL || set->count == 0) return;
    put(pr, "{");
    pr->indent++;
    for (unsigned i = 0; i < set->count; i++) {
        put_newline(pr);
        print_selection(pr, &set->selections[i]);
    }
    pr->indent--;
    put_newline(pr);
    put(pr, "}");
}

/* ---- definitions ---- */

static void print_operation(printer *pr, const gg_definition *d)
{
    bool plain_query = d->operation == GG_OP_QUERY && d->description == NULL && d->name.value == NULL &&
                       d->variable_count == 0 && d->directive_count == 0;
    if (!plain_query) {
        print_description(pr, d->description, d->description_block);
        put(pr, gg_operation_kind_name(d->operation));
        if (d->name.value || d->variable_count) put(pr, " ");
        if (d->name.value) put(pr, d->name.value);
        print_multiline_aware_list(pr, d->variables, d->variable_count, print_variable_def, false);
        print_directives(pr, " ", d->directives, d->directive_count);
        if (d->selection_set && d->selection_set->count) put(pr, " ");
    }
    print_selection_set(pr, d->selection_set);
}

static void print_fragment(printer *pr, const gg_definition *d)
{
    print_description(pr, d->description, d->description_block);
    put(pr, "fragment ");
    put(pr, d->name.value);
    put(pr, " on ");
    put(pr, d->type_condition.value);
    put(pr, " ");
    for (unsigned i = 0; i < d->directive_count; i++) {
        print_directive(pr, &d->directives[i]);
        put(pr, " ");
    }
    print_selection_set(pr, d->selection_set);
}

static void print_field_def(printer *pr, const gg_field_def *f)
{
    print_description(pr, f->description, f->description_block);
    put(pr, f->name.value);
    print_multiline_aware_list(pr, f->args, f->arg_count, print_input_value_def, true);
    put(pr, ": ");
    print_type(pr, f->type);
    print_directives(pr, " ", f->directives, f->directive_count);
}

/* The members after "keyword name": implements, directives, then the body, joined by spaces. */
static void print_type_body(printer *pr, const gg_definition *d)
{
    if (d->interface_count) {
        put(pr, " implements ");
        for (unsigned i = 0; i < d->interface_count; i++) {
            if (i) put(pr, " & ");
            put(pr, d->interfaces[i].value);
        }
    }
    print_directives(pr, " ", d->directives, d->directive_count);
    unsigned body_count = 0;
    switch (d->kind) {
    case GG_DEF_SCHEMA:
        body_count = d->operation_type_count;
        break;
    case GG_DEF_OBJECT:
    case GG_DEF_INTERFACE:
        body_count = d->field_count;
        break;
    case GG_DEF_ENUM:
        body_count = d->value_count;
        break;
    case GG_DEF_INPUT_OBJECT:
        body_count = d->input_field_count;
        break;
    case GG_DEF_UNION:
        for (unsigned i = 0; i < d->type_count; i++) {
            put(pr, i ? " | " : " = ");
            put(pr, d->types[i].value);
        }
        return;
    default:
        return;
    }
    if (body_count == 0) return;
    put(pr, " {");
    pr->indent++;
    for (unsigned i = 0; i < body_count; i++) {
        put_newline(pr);
        switch (d->kind) {
        case GG_DEF_SCHEMA:
            put(pr, gg_operation_kind_name(d->operation_types[i].operation));
            put(pr, ": ");
            put(pr, d->operation_types[i].type.value);
            break;
        case GG_DEF_OBJECT:
        case GG_DEF_INTERFACE:
            print_field_def(pr, &d->fields[i]);
            break;
        case GG_DEF_ENUM:
            print_description(pr, d->values[i].description, d->values[i].description_block);
            put(pr, d->values[i].name.value);
            print_directives(pr, " ", d->values[i].directives, d->values[i].directive_count);
            break;
        default:
            print_input_value_def(pr, d->input_fields, i);
            break;
        }
    }
    pr->indent--;
    put_newline(pr);
    put(pr, "}");
}

static const char *type_keyword(gg_definition_kind kind)
{
    switch (kind) {
    case GG_DEF_SCHEMA:
        return "schema";
    case GG_DEF_SCALAR:
        return "scalar";
    case GG_DEF_OBJECT:
        return "type";
    case GG_DEF_INTERFACE:
        return "interface";
    case GG_DEF_UNION:
        return "union";
    case GG_DEF_ENUM:
        return "enum";
    default:
        return "input";
    }
}

static void print_directive_def(printer *pr, const gg_definition *d)
{
    print_description(pr, d->description, d->description_block);
    put(pr, "directive @");
    put(pr, d->name.value);
    print_multiline_aware_list(pr, d->args, d->arg_count, print_input_value_def, true);
    if (d->repeatable) put(pr, " repeatable");
    put(pr, " on ");
    for (unsigned i = 0; i < d->location_count; i++) {
        if (i) put(pr, " | ");
        put(pr, d->location_names[i].value);
    }
}

static void print_definition(printer *pr, const gg_definition *d)
{
    switch (d->kind) {
    case GG_DEF_OPERATION:
        print_operation(pr, d);
        return;
    case GG_DEF_FRAGMENT:
        print_fragment(pr, d);
        return;
    case GG_DEF_DIRECTIVE:
        print_directive_def(pr, d);
        return;
    default:
        break;
    }
    if (d->is_extension)
        put(pr, "extend ");
    else
        print_description(pr, d->description, d->description_block);
    put(pr, type_keyword(d->kind));
    if (d->kind != GG_DEF_SCHEMA) {
        put(pr, " ");
        put(pr, d->name.value);
    }
    print_type_body(pr, d);
}

/* ---- public interface ---- */

void gg_print_document(gg_buf *out, const gg_document *doc)
{
    printer pr = {out, 0};
    for (unsigned i = 0; i < doc->definition_count; i++) {
        if (i) put(&pr, "\n\n");
        print_definition(&pr, &doc->definitions[i]);
    }
}

void gg_print_value(gg_buf *out, const gg_value *value)
{
    printer pr = {out, 0};
    print_value(&pr, value);
}

void gg_print_type_ref(gg_buf *out, const gg_type_ref *type)
{
    printer pr = {out, 0};
    print_type(&pr, type);
}
