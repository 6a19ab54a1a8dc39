/* print_schema.c: graphql-js printSchema / printIntrospectionSchema (src/utilities/printSchema.ts)
 * over a gg_schema.
 *
 * Pieces are appended straight into the output buffer; a piece is preceded by "\n\n" unless it
 * is the first. Descriptions use graphql-js's block-string rules (isPrintableAsBlockString,
 * printBlockString) or a quoted string with its escapes; default values are printed from the
 * value graphql-js would coerce (astFromValue of valueFromAST), see print_default. */
#include "print_schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const specified_scalars[] = {"String", "Int", "Float", "Boolean", "ID"};

static bool is_specified_scalar(const gg_type *t)
{
    if (!t->is_builtin || t->kind != GG_KIND_SCALAR) return false;
    for (unsigned i = 0; i < 5; i++)
        if (strcmp(t->name, specified_scalars[i]) == 0) return true;
    return false;
}

/* graphql-js isSpecifiedDirective compares names only. */
static bool is_specified_directive(const gg_directive_def *d)
{
    static const char *const names[] = {"include", "skip", "deprecated", "specifiedBy", "oneOf"};
    for (unsigned i = 0; i < 5; i++)
        if (strcmp(d->name, names[i]) == 0) return true;
    return false;
}

static bool is_introspection_type(const gg_type *t)
{
    return t->is_builtin && t->name[0] == '_' && t->name[1] == '_';
}

/* ---- strings ---- */

/* graphql-js printString: JSON-like escapes for C0 controls, DEL and C1 controls, " and \. */
static void print_string(gg_buf *out, const char *s, size_t len)
{
    gg_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            gg_buf_puts(out, "\\\"");
        } else if (c == '\\') {
            gg_buf_puts(out, "\\\\");
        } else if (c == '\b') {
            gg_buf_puts(out, "\\b");
        } else if (c == '\t') {
            gg_buf_puts(out, "\\t");
        } else if (c == '\n') {
            gg_buf_puts(out, "\\n");
        } else if (c == '\f') {
            gg_buf_puts(out, "\\f");
        } else if (c == '\r') {
            gg_buf_puts(out, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            gg_buf_printf(out, "\\u%04X", c);
        } else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f) {
            gg_buf_printf(out, "\\u%04X", (unsigned char)s[i + 1]);
            i++;
        } else {
            gg_buf_putc(out, (char)c);
        }
    }
    gg_buf_putc(out, '"');
}

static bool is_white_space(char c)
{
    return c == ' ' || c == '\t';
}

/* graphql-js isPrintableAsBlockString. */
static bool printable_as_block(const char *s, size_t len)
{
    if (len == 0) return true;
    bool empty_line = true, has_indent = false, common_indent = true, seen_non_empty = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x08 || c == 0x0b || c == 0x0c || c == 0x0e || c == 0x0f || c == '\r') return false;
        if (c == '\n') {
            if (empty_line && !seen_non_empty) return false;
            seen_non_empty = true;
            empty_line = true;
            has_indent = false;
        } else if (c == '\t' || c == ' ') {
            has_indent = has_indent || empty_line;
        } else {
            common_indent = common_indent && has_indent;
            empty_line = false;
        }
    }
    if (empty_line) return false;
    if (common_indent && seen_non_empty) return false;
    return true;
}

/* Length in UTF-16 code units, as JavaScript's String.length. */
static size_t utf16_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xc0) != 0x80) n += c >= 0xf0 ? 2 : 1;
    }
    return n;
}

/* graphql-js printBlockString (no minimize), with lines split on \r\n, \n or \r. */
static void print_block_string(gg_buf *out, const char *s, size_t len)
{
    gg_buf esc;
    gg_buf_init(&esc);
    for (size_t i = 0; i < len; i++) {
        if (i + 2 < len && s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
            gg_buf_puts(&esc, "\\\"\"\"");
            i += 2;
        } else {
            gg_buf_putc(&esc, s[i]);
        }
    }
    const char *e = esc.data ? esc.data : "";
    size_t elen = esc.len;
    /* lines */
    unsigned line_count = 1;
    bool later_lines_indented = true; /* every line after the first is empty or starts with white space */
    for (size_t i = 0; i < elen; i++) {
        if (e[i] == '\n' || e[i] == '\r') {
            if (e[i] == '\r' && i + 1 < elen && e[i + 1] == '\n') i++;
            line_count++;
            size_t next = i + 1;
            if (next < elen && e[next] != '\n' && e[next] != '\r' && !is_white_space(e[next]))
                later_lines_indented = false;
        }
    }
    bool single = line_count == 1;
    bool force_leading = line_count > 1 && later_lines_indented;
    bool trailing_triple = elen >= 4 && memcmp(e + elen - 4, "\\\"\"\"", 4) == 0;
    bool trailing_quote = len > 0 && s[len - 1] == '"' && !trailing_triple;
    bool trailing_slash = len > 0 && s[len - 1] == '\\';
    bool force_trailing = trailing_quote || trailing_slash;
    bool multiple = !single || utf16_length(s, len) > 70 || force_trailing || force_leading || trailing_triple;
    bool skip_leading = single && len > 0 && is_white_space(s[0]);
    gg_buf_puts(out, "\"\"\"");
    if ((multiple && !skip_leading) || force_leading) gg_buf_putc(out, '\n');
    gg_buf_append(out, e, elen);
    if (multiple || force_trailing) gg_buf_putc(out, '\n');
    gg_buf_puts(out, "\"\"\"");
    gg_buf_free(&esc);
}

/* graphql-js printDescription(def, indentation, firstInBlock). */
static void print_description(gg_buf *out, const char *description, const char *indent, bool first_in_block)
{
    if (description == NULL) return;
    size_t len = strlen(description);
    if (indent[0] && !first_in_block) {
        gg_buf_putc(out, '\n');
        gg_buf_puts(out, indent);
    } else {
        gg_buf_puts(out, indent);
    }
    gg_buf text;
    gg_buf_init(&text);
    if (printable_as_block(description, len))
        print_block_string(&text, description, len);
    else
        print_string(&text, description, len);
    for (size_t i = 0; i < text.len; i++) {
        gg_buf_putc(out, text.data[i]);
        if (text.data[i] == '\n') gg_buf_puts(out, indent);
    }
    gg_buf_free(&text);
    gg_buf_putc(out, '\n');
}

static void print_deprecated(gg_buf *out, const char *reason)
{
    if (reason == NULL) return;
    if (strcmp(reason, "No longer supported") == 0) {
        gg_buf_puts(out, " @deprecated");
        return;
    }
    gg_buf_puts(out, " @deprecated(reason: ");
    print_string(out, reason, strlen(reason));
    gg_buf_putc(out, ')');
}

static void print_type_ref(gg_buf *out, const gg_type *t)
{
    if (t == NULL) return;
    if (t->kind == GG_KIND_LIST) {
        gg_buf_putc(out, '[');
        print_type_ref(out, t->of_type);
        gg_buf_putc(out, ']');
    } else if (t->kind == GG_KIND_NON_NULL) {
        print_type_ref(out, t->of_type);
        gg_buf_putc(out, '!');
    } else {
        gg_buf_puts(out, t->name);
    }
}

/* ---- default values ---- */

static bool is_integer_string(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && s[i] == '-') i++;
    if (i >= len) return false;
    if (s[i] == '0') return i + 1 == len;
    for (; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static void print_number(gg_buf *out, const char *text, size_t len)
{
    char tmp[64], num[40];
    if (len >= sizeof tmp) {
        gg_buf_append(out, text, len);
        return;
    }
    memcpy(tmp, text, len);
    tmp[len] = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v)) {
        gg_buf_append(out, text, len);
        return;
    }
    size_t n = gg_format_double(v, num);
    gg_buf_append(out, num, n);
}

/* A literal with no type to guide it (custom scalars: valueFromASTUntyped then astFromValue). */
static void print_untyped(gg_buf *out, const gg_value *v)
{
    switch (v->kind) {
    case GG_VALUE_INT:
    case GG_VALUE_FLOAT:
        print_number(out, v->text, v->len);
        break;
    case GG_VALUE_STRING:
    case GG_VALUE_ENUM:
        print_string(out, v->text, v->len);
        break;
    case GG_VALUE_BOOLEAN:
        gg_buf_puts(out, v->boolean ? "true" : "false");
        break;
    case GG_VALUE_NULL:
        gg_buf_puts(out, "null");
        break;
    case GG_VALUE_LIST:
        gg_buf_putc(out, '[');
        for (unsigned i = 0; i < v->item_count; i++) {
            if (i) gg_buf_puts(out, ", ");
            print_untyped(out, v->items[i]);
        }
        gg_buf_putc(out, ']');
        break;
    case GG_VALUE_OBJECT:
        gg_buf_putc(out, '{');
        for (unsigned i = 0; i < v->field_count; i++) {
            gg_buf_printf(out, "%s%s: ", i ? ", " : "", v->fields[i].name.value);
            print_untyped(out, v->fields[i].value);
        }
        gg_buf_putc(out, '}');
        break;
    case GG_VALUE_VARIABLE:
        gg_buf_printf(out, "$%s", v->text);
        break;
    }
}

void gg_print_default_value(gg_buf *out, const gg_value *v, const gg_type *type)
{
    if (v == NULL || type == NULL) return;
    if (v->kind == GG_VALUE_NULL) {
        gg_buf_puts(out, "null");
        return;
    }
    type = gg_type_nullable(type);
    if (type->kind == GG_KIND_LIST) {
        if (v->kind != GG_VALUE_LIST) { /* coerced to a list of one */
            gg_buf_putc(out, '[');
            gg_print_default_value(out, v, type->of_type);
            gg_buf_putc(out, ']');
            return;
        }
        gg_buf_putc(out, '[');
        for (unsigned i = 0; i < v->item_count; i++) {
            if (i) gg_buf_puts(out, ", ");
            gg_print_default_value(out, v->items[i], type->of_type);
        }
        gg_buf_putc(out, ']');
        return;
    }
    if (type->kind == GG_KIND_INPUT_OBJECT && v->kind == GG_VALUE_OBJECT) {
        gg_buf_putc(out, '{');
        unsigned printed = 0;
        for (unsigned i = 0; i < type->input_field_count; i++) {
            const gg_input_value *f = &type->input_fields[i];
            const gg_value *fv = NULL;
            for (unsigned k = 0; k < v->field_count && fv == NULL; k++)
                if (strcmp(v->fields[k].name.value, f->name) == 0) fv = v->fields[k].value;
            if (fv == NULL) fv = f->default_value;
            if (fv == NULL) continue;
            gg_buf_printf(out, "%s%s: ", printed++ ? ", " : "", f->name);
            gg_print_default_value(out, fv, f->type);
        }
        gg_buf_putc(out, '}');
        return;
    }
    if (type->kind == GG_KIND_ENUM) {
        gg_buf_append(out, v->text ? v->text : "", v->text ? strlen(v->text) : 0);
        return;
    }
    if (type->kind == GG_KIND_SCALAR && type->is_builtin && type->name) {
        const char *n = type->name;
        if (strcmp(n, "Int") == 0 || strcmp(n, "Float") == 0) {
            print_number(out, v->text, v->len);
            return;
        }
        if (strcmp(n, "ID") == 0 && v->kind == GG_VALUE_INT) {
            gg_buf_append(out, v->text, v->len);
            return;
        }
        if (strcmp(n, "ID") == 0 && v->kind == GG_VALUE_STRING && is_integer_string(v->text, v->len)) {
            gg_buf_append(out, v->text, v->len);
            return;
        }
    }
    print_untyped(out, v);
}

/* ---- definitions ---- */

static void print_input_value(gg_buf *out, const gg_input_value *v)
{
    gg_buf_printf(out, "%s: ", v->name);
    print_type_ref(out, v->type);
    if (v->default_value) {
        gg_buf_puts(out, " = ");
        gg_print_default_value(out, v->default_value, v->type);
    }
    print_deprecated(out, v->deprecation_reason);
}

static void print_args(gg_buf *out, const gg_input_value *args, unsigned count, const char *indent)
{
    if (count == 0) return;
    bool described = false;
    for (unsigned i = 0; i < count; i++)
        described = described || (args[i].description && args[i].description[0]);
    if (!described) {
        gg_buf_putc(out, '(');
        for (unsigned i = 0; i < count; i++) {
            if (i) gg_buf_puts(out, ", ");
            print_input_value(out, &args[i]);
        }
        gg_buf_putc(out, ')');
        return;
    }
    char inner[64];
    snprintf(inner, sizeof inner, "  %s", indent);
    gg_buf_puts(out, "(\n");
    for (unsigned i = 0; i < count; i++) {
        if (i) gg_buf_putc(out, '\n');
        print_description(out, args[i].description, inner, i == 0);
        gg_buf_puts(out, inner);
        print_input_value(out, &args[i]);
    }
    gg_buf_printf(out, "\n%s)", indent);
}

static void print_fields(gg_buf *out, const gg_type *t)
{
    if (t->field_count == 0) return;
    gg_buf_puts(out, " {\n");
    for (unsigned i = 0; i < t->field_count; i++) {
        const gg_field *f = &t->fields[i];
        if (i) gg_buf_putc(out, '\n');
        print_description(out, f->description, "  ", i == 0);
        gg_buf_printf(out, "  %s", f->name);
        print_args(out, f->args, f->arg_count, "  ");
        gg_buf_puts(out, ": ");
        print_type_ref(out, f->type);
        print_deprecated(out, f->deprecation_reason);
    }
    gg_buf_puts(out, "\n}");
}

static void print_interfaces(gg_buf *out, const gg_type *t)
{
    for (unsigned i = 0; i < t->interface_count; i++)
        gg_buf_printf(out, "%s%s", i ? " & " : " implements ", t->interfaces[i]->name);
}

static void print_type(gg_buf *out, const gg_type *t)
{
    print_description(out, t->description, "", true);
    switch (t->kind) {
    case GG_KIND_SCALAR:
        gg_buf_printf(out, "scalar %s", t->name);
        if (t->specified_by_url) {
            gg_buf_puts(out, " @specifiedBy(url: ");
            print_string(out, t->specified_by_url, strlen(t->specified_by_url));
            gg_buf_putc(out, ')');
        }
        break;
    case GG_KIND_OBJECT:
    case GG_KIND_INTERFACE:
        gg_buf_printf(out, "%s %s", t->kind == GG_KIND_OBJECT ? "type" : "interface", t->name);
        print_interfaces(out, t);
        print_fields(out, t);
        break;
    case GG_KIND_UNION:
        gg_buf_printf(out, "union %s", t->name);
        for (unsigned i = 0; i < t->possible_type_count; i++)
            gg_buf_printf(out, "%s%s", i ? " | " : " = ", t->possible_types[i]->name);
        break;
    case GG_KIND_ENUM:
        gg_buf_printf(out, "enum %s", t->name);
        if (t->enum_value_count == 0) break;
        gg_buf_puts(out, " {\n");
        for (unsigned i = 0; i < t->enum_value_count; i++) {
            if (i) gg_buf_putc(out, '\n');
            print_description(out, t->enum_values[i].description, "  ", i == 0);
            gg_buf_printf(out, "  %s", t->enum_values[i].name);
            print_deprecated(out, t->enum_values[i].deprecation_reason);
        }
        gg_buf_puts(out, "\n}");
        break;
    case GG_KIND_INPUT_OBJECT:
        gg_buf_printf(out, "input %s%s", t->name, t->is_one_of ? " @oneOf" : "");
        if (t->input_field_count == 0) break;
        gg_buf_puts(out, " {\n");
        for (unsigned i = 0; i < t->input_field_count; i++) {
            if (i) gg_buf_putc(out, '\n');
            print_description(out, t->input_fields[i].description, "  ", i == 0);
            gg_buf_puts(out, "  ");
            print_input_value(out, &t->input_fields[i]);
        }
        gg_buf_puts(out, "\n}");
        break;
    default:
        break;
    }
}

static void print_directive(gg_buf *out, const gg_directive_def *d)
{
    print_description(out, d->description, "", true);
    gg_buf_printf(out, "directive @%s", d->name);
    print_args(out, d->args, d->arg_count, "");
    if (d->repeatable) gg_buf_puts(out, " repeatable");
    gg_buf_puts(out, " on ");
    /* the locations as written (graphql-js keeps the definition's order) */
    for (unsigned i = 0; d->ast && i < d->ast->location_count; i++)
        gg_buf_printf(out, "%s%s", i ? " | " : "", d->ast->location_names[i].value);
}

static void separator(gg_buf *out, bool *first)
{
    if (!*first) gg_buf_puts(out, "\n\n");
    *first = false;
}

static void print_schema_definition(gg_buf *out, const gg_schema *s, bool *first)
{
    bool common = (s->query_type == NULL || strcmp(s->query_type->name, "Query") == 0) &&
                  (s->mutation_type == NULL || strcmp(s->mutation_type->name, "Mutation") == 0) &&
                  (s->subscription_type == NULL || strcmp(s->subscription_type->name, "Subscription") == 0);
    if (s->description == NULL && common) return;
    separator(out, first);
    print_description(out, s->description, "", true);
    gg_buf_puts(out, "schema {\n");
    bool any = false;
    if (s->query_type) {
        gg_buf_printf(out, "  query: %s", s->query_type->name);
        any = true;
    }
    if (s->mutation_type) {
        gg_buf_printf(out, "%s  mutation: %s", any ? "\n" : "", s->mutation_type->name);
        any = true;
    }
    if (s->subscription_type) gg_buf_printf(out, "%s  subscription: %s", any ? "\n" : "", s->subscription_type->name);
    gg_buf_puts(out, "\n}");
}

void gg_print_schema(gg_buf *out, const gg_schema *s)
{
    bool first = true;
    print_schema_definition(out, s, &first);
    for (unsigned i = 0; i < s->directive_count; i++) {
        if (is_specified_directive(s->directives[i])) continue;
        separator(out, &first);
        print_directive(out, s->directives[i]);
    }
    for (unsigned i = 0; i < s->type_count; i++) {
        const gg_type *t = s->types[i];
        if (is_specified_scalar(t) || is_introspection_type(t)) continue;
        separator(out, &first);
        print_type(out, t);
    }
}

void gg_print_introspection_schema(gg_buf *out, const gg_schema *s)
{
    bool first = true;
    print_schema_definition(out, s, &first);
    for (unsigned i = 0; i < s->directive_count; i++) {
        if (!is_specified_directive(s->directives[i])) continue;
        separator(out, &first);
        print_directive(out, s->directives[i]);
    }
    for (unsigned i = 0; i < s->type_count; i++) {
        if (!is_introspection_type(s->types[i])) continue;
        separator(out, &first);
        print_type(out, s->types[i]);
    }
}
