/* harness.h: shared helpers for the validation rule tests.
 *
 * vt_run builds a schema from SDL (no AppSync/Amplify prelude), parses a document, validates it
 * with one rule (or all spec rules when rule is NULL) and returns the errors as the JSON text
 * graphql-js would give for JSON.stringify(errors) (message and locations), e.g.
 *   [{"message":"Unknown fragment \"F\".","locations":[{"line":1,"column":6}]}]
 * so expectations can be pasted from graphql-js. A schema or syntax error returns a text starting
 * with "SCHEMA ERROR" / "PARSE ERROR" instead, which no expectation matches. The result is
 * malloc'd; VT_CHECK compares and frees it. Test programs include test.h before this file. */
#ifndef GG_TEST_VALIDATE_HARNESS_H
#define GG_TEST_VALIDATE_HARNESS_H

#include <stdlib.h>
#include <string.h>

#include "graphql/language/parser.h"
#include "graphql/type/schema_build.h"
#include "graphql/validate/rules.h"
#include "graphql/validate/validate.h"

static char *vt_errors_text(const char *prefix, const gg_error_list *errors)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_buf_puts(&b, prefix);
    gg_error_list_write_json(&b, errors);
    return gg_buf_take(&b, NULL);
}

/* Validates doc against the schema in sdl; opts may be NULL. */
static char *vt_run_opts(const char *sdl, const char *doc, const gg_rule *rule, const gg_validate_options *opts)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    char *result = NULL;
    gg_schema_source source = {"schema.graphql", sdl, strlen(sdl)};
    gg_schema *schema = gg_schema_build(&source, 1, NULL, &errors);
    if (!schema) {
        result = vt_errors_text("SCHEMA ERROR ", &errors);
    } else {
        gg_document *document = gg_parse(&arena, doc, strlen(doc), NULL, &errors);
        if (!document) {
            result = vt_errors_text("PARSE ERROR ", &errors);
        } else {
            if (rule)
                gg_validate_rules(schema, document, &arena, &errors, opts, &rule, 1);
            else
                gg_validate(schema, document, &arena, &errors, opts);
            result = vt_errors_text("", &errors);
        }
    }
    gg_schema_free(schema);
    gg_arena_free(&arena);
    return result;
}

static char *vt_run(const char *sdl, const char *doc, const gg_rule *rule)
{
    return vt_run_opts(sdl, doc, rule, NULL);
}

/* Checks the errors of one validation against the expected JSON text ("[]" when valid). */
#define VT_CHECK(sdl, doc, rule, expected)                                                                             \
    do {                                                                                                               \
        char *vt_got_ = vt_run((sdl), (doc), (rule));                                                                  \
        CHECK_STR(vt_got_, (expected));                                                                                \
        free(vt_got_);                                                                                                 \
    } while (0)

#define VT_CHECK_OPTS(sdl, doc, rule, opts, expected)                                                                  \
    do {                                                                                                               \
        char *vt_got_ = vt_run_opts((sdl), (doc), (rule), (opts));                                                     \
        CHECK_STR(vt_got_, (expected));                                                                                \
        free(vt_got_);                                                                                                 \
    } while (0)

#endif
