/* fuzz_json.c: libFuzzer harness for the two JSON readers of client text outside the GraphQL
 * engine: the check every request body passes before cJSON parses it (server/http/request_json.h,
 * gg_request_json_check) and the exact reader of AWSJSON values, jsonb columns and bus events
 * (server/graphql/json_read.h, gg_json_read).
 *
 * The input is JSON text, any bytes. Properties checked, beyond "no crash, no leak, no hang":
 *   - a refusal of gg_request_json_check has a message that starts with the name it was given;
 *   - when it accepts text that cJSON parses, the tree has no object with two equal keys (what the
 *     check exists to refuse, with NULs in strings: tests/unit/server/request_json.c tests those);
 *   - what gg_json_read reads, written back (gg_val_write_json), reads again and writes the same
 *     text, unless it holds what the reader takes as cJSON does (raw control characters in strings,
 *     \u0000 ending a string); cJSON (laxer: control characters taken for whitespace, bad \u escapes read as U+0000)
 *     reads it too, unless it is nested past cJSON's own limit; and the two agree on the kind of
 *     the top-level value.
 * Build and run: see README.md. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/fault.h"
#include "fuzz.h"
#include "http/request_json.h"
#include "json_read.h"

/* Whether a tree parsed by cJSON has an object with a repeated key. */
static bool has_duplicate_key(const cJSON *item)
{
    for (const cJSON *a = item ? item->child : NULL; a != NULL; a = a->next) {
        if (cJSON_IsObject(item))
            for (const cJSON *b = a->next; b != NULL; b = b->next)
                if (a->string && b->string && strcmp(a->string, b->string) == 0) return true;
        if (has_duplicate_key(a)) return true;
    }
    return false;
}

/* Whether the text has what gg_json_read takes as cJSON did (json_read.c): a control character
 * other than JSON's whitespace (kept raw in a string), or a \u0000 escape (which ends the string
 * there, as a C string ends). Its written form then differs, on purpose. */
static bool cjson_compatible_only(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
        if (c == '\\' && i + 5 < len && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '0' &&
            s[i + 5] == '0')
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char message[512] = "";
    gg_fault fault = gg_fault_in(message, sizeof message);
    bool accepted = gg_request_json_check(text, size, "The request body", &fault);
    if (!accepted && strncmp(message, "The request body", 16) != 0)
        fuzz_fail("a refusal that does not name what it checked", "The request body", 16, message, strlen(message));
    const char *end = NULL;
    cJSON *tree = cJSON_ParseWithLengthOpts(text, size, &end, false);
    bool whole = tree != NULL && end != NULL && (size_t)(end - text) <= size;
    if (whole)
        for (const char *p = end; p < text + size; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') whole = false;
    if (accepted && tree != NULL && has_duplicate_key(tree)) fuzz_fail("a duplicate key accepted", "", 0, text, size);
    gg_arena arena;
    gg_arena_init(&arena);
    gg_val *value = gg_json_read(&arena, text, size);
    if (value != NULL && !cjson_compatible_only(text, size)) { /* written back, it reads again the same */
        gg_buf once, twice;
        gg_buf_init(&once);
        gg_buf_init(&twice);
        gg_val_write_json(&once, value);
        gg_val *again = gg_json_read(&arena, once.data, once.len);
        if (again == NULL) fuzz_fail("its own output refused", "", 0, once.data, once.len);
        gg_val_write_json(&twice, again);
        if (once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0)
            fuzz_fail("written twice, two texts", once.data, once.len, twice.data, twice.len);
        if (!whole && fuzz_json_depth(text, size) < 512)
            fuzz_fail("gg_json_read reads what cJSON refuses", "", 0, text, size);
        if (whole) {
            bool same = (cJSON_IsObject(tree) && value->kind == GG_VAL_OBJECT) ||
                        (cJSON_IsArray(tree) && value->kind == GG_VAL_LIST) ||
                        (cJSON_IsString(tree) && value->kind == GG_VAL_STRING) ||
                        (cJSON_IsBool(tree) && value->kind == GG_VAL_BOOL) ||
                        (cJSON_IsNull(tree) && value->kind == GG_VAL_NULL) ||
                        (cJSON_IsNumber(tree) && (value->kind == GG_VAL_INT || value->kind == GG_VAL_FLOAT));
            if (!same) fuzz_fail("the readers disagree on the value's kind", "", 0, text, size);
        }
        gg_buf_free(&once);
        gg_buf_free(&twice);
    }
    gg_arena_free(&arena);
    cJSON_Delete(tree);
    return 0;
}
