/* fuzz_parse.c: libFuzzer harness for the language layer (lexer, parser, printer).
 *
 * The input is GraphQL source text, any bytes. Properties checked, beyond "no crash, no leak,
 * no hang":
 * - gg_parse either returns a document with no error, or NULL with exactly one error that has
 *   a message (valid UTF-8, whatever the input) and a location (the parser stops at the first
 *   syntax error);
 * - round trip: a document that parses prints (gg_print_document) to text that parses again
 *   and prints to the very same text (printing is a fixed point after one step);
 * - with small max_depth / max_tokens limits, still a document or exactly one located error;
 * - the same for one value literal (gg_parse_value / gg_print_value) and one type reference
 *   (gg_parse_type / gg_print_type_ref), which the SDL and introspection use on their own.
 * Build and run: see README.md. */
#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "error.h"
#include "fuzz.h"
#include "language/parser.h"
#include "language/printer.h"

/* True when the source may hold U+0000 (a raw NUL byte, or an escape \\u0000 / \\u{0...}): a
 * description holding it reads as cut there (a documented limit of ast.h: descriptions are
 * NUL-terminated), so the printed text cannot round-trip. Such documents skip that property. */
static bool may_hold_nul(const char *src, size_t len)
{
    if (memchr(src, '\0', len)) return true;
    for (size_t i = 0; i + 2 < len; i++) {
        if (src[i] != '\\' || src[i + 1] != 'u') continue;
        if (i + 5 < len && memcmp(src + i + 2, "0000", 4) == 0) return true;
        if (src[i + 2] == '{') {
            size_t j = i + 3;
            while (j < len && src[j] == '0')
                j++;
            if (j < len && src[j] == '}') return true;
        }
    }
    return false;
}

/* True when a definition without a body (`type T`, `enum E`, `input I`, `extend schema @d`, ...) is
 * followed by a query printed as the shorthand `{ ... }`: printed, the braces read as the
 * definition's body. graphql-js print() has the same ambiguity (print(parse(print(doc))) differs
 * there too), so such documents skip the round-trip property. */
static bool print_is_ambiguous(const gg_document *doc)
{
    for (unsigned i = 0; i + 1 < doc->definition_count; i++) {
        const gg_definition *d = &doc->definitions[i], *next = &doc->definitions[i + 1];
        bool bodiless = ((d->kind == GG_DEF_OBJECT || d->kind == GG_DEF_INTERFACE) && d->field_count == 0) ||
                        (d->kind == GG_DEF_ENUM && d->value_count == 0) ||
                        (d->kind == GG_DEF_INPUT_OBJECT && d->input_field_count == 0) ||
                        (d->kind == GG_DEF_SCHEMA && d->operation_type_count == 0);
        bool shorthand = next->kind == GG_DEF_OPERATION && next->operation == GG_OP_QUERY && !next->name.value &&
                         next->variable_count == 0 && next->directive_count == 0 && !next->description;
        if (bodiless && shorthand) return true;
    }
    return false;
}

/* A failed parse carries exactly one error, with a message and a location. */
static void check_one_error(const gg_error_list *errors, const char *src, size_t len)
{
    if (errors->count != 1 || !errors->head->message || !errors->head->message[0] || errors->head->location_count != 1)
        fuzz_fail("a failed parse must report exactly one located error", src, len,
                  errors->count ? errors->head->message : "(no error)",
                  errors->count ? strlen(errors->head->message) : 10);
    /* Invalid UTF-8 in the source is itself a syntax error: a message never quotes broken bytes. */
    if (!fuzz_valid_utf8(errors->head->message, strlen(errors->head->message)))
        fuzz_fail("a syntax error message is not valid UTF-8", src, len, errors->head->message,
                  strlen(errors->head->message));
}

static void check_document(const char *src, size_t len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_document *doc = gg_parse(&arena, src, len, NULL, &errors);
    if (!doc) {
        check_one_error(&errors, src, len);
        gg_arena_free(&arena);
        return;
    }
    if (errors.count)
        fuzz_fail("a parsed document must come without errors", src, len, errors.head->message,
                  strlen(errors.head->message));
    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    gg_print_document(&first, doc);
    if (may_hold_nul(src, len) || print_is_ambiguous(doc)) {
        gg_buf_free(&first);
        gg_arena_free(&arena);
        return;
    }
    gg_document *again = gg_parse(&arena, first.data ? first.data : "", first.len, NULL, &errors);
    if (!again)
        fuzz_fail("printed document does not parse again", src, len, errors.head->message,
                  strlen(errors.head->message));
    gg_print_document(&second, again);
    if (first.len != second.len || (first.len && memcmp(first.data, second.data, first.len) != 0))
        fuzz_fail("printing the reparsed document changed the text", first.data, first.len, second.data, second.len);
    gg_buf_free(&first);
    gg_buf_free(&second);
    gg_arena_free(&arena);
}

static void check_value(const char *src, size_t len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_value *value = gg_parse_value(&arena, src, len, &errors);
    if (!value) {
        check_one_error(&errors, src, len);
        gg_arena_free(&arena);
        return;
    }
    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    gg_print_value(&first, value);
    gg_value *again = gg_parse_value(&arena, first.data ? first.data : "", first.len, &errors);
    if (!again)
        fuzz_fail("printed value does not parse again", first.data, first.len, errors.head->message,
                  strlen(errors.head->message));
    gg_print_value(&second, again);
    if (first.len != second.len || (first.len && memcmp(first.data, second.data, first.len) != 0))
        fuzz_fail("printing the reparsed value changed the text", first.data, first.len, second.data, second.len);
    gg_buf_free(&first);
    gg_buf_free(&second);
    gg_arena_free(&arena);
}

static void check_type(const char *src, size_t len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_type_ref *type = gg_parse_type(&arena, src, len, &errors);
    if (!type) {
        check_one_error(&errors, src, len);
        gg_arena_free(&arena);
        return;
    }
    gg_buf first, second;
    gg_buf_init(&first);
    gg_buf_init(&second);
    gg_print_type_ref(&first, type);
    gg_type_ref *again = gg_parse_type(&arena, first.data ? first.data : "", first.len, &errors);
    if (!again)
        fuzz_fail("printed type does not parse again", first.data, first.len, errors.head->message,
                  strlen(errors.head->message));
    gg_print_type_ref(&second, again);
    if (first.len != second.len || (first.len && memcmp(first.data, second.data, first.len) != 0))
        fuzz_fail("printing the reparsed type changed the text", first.data, first.len, second.data, second.len);
    gg_buf_free(&first);
    gg_buf_free(&second);
    gg_arena_free(&arena);
}

/* The server parses with limits (parser.h): small ones, picked from the size so each input always
 * gets the same, make the parser stop in the middle of anything. The outcome must still be a
 * document or exactly one located error. */
static void check_limits(const char *src, size_t len)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    gg_parse_options opts = {.max_depth = 1 + (unsigned)(len % 7), .max_tokens = 1 + (unsigned)(len % 61)};
    gg_document *doc = gg_parse(&arena, src, len, &opts, &errors);
    if (!doc)
        check_one_error(&errors, src, len);
    else if (errors.count)
        fuzz_fail("a parsed document must come without errors", src, len, errors.head->message,
                  strlen(errors.head->message));
    gg_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    check_document(src, size);
    check_limits(src, size);
    check_value(src, size);
    check_type(src, size);
    return 0;
}
