/* served_sdl.c: the served SDL of schema files, for `graphgate --print-schema` (codegen, review,
 * and the differential test against the Amplify transformer).
 *
 * The text printed is the one the server builds its schema from: for an Amplify schema (a type
 * with @model, or a field with @sql) the transform's output, which carries the applied @aws_*
 * directives that introspection cannot show; for any other schema the user's files, each parsed
 * and printed again (graphql-js print() layout, applied directives kept). The caller loaded the
 * configuration through the gateway first, so the files are known to be valid here; an error
 * is still reported (a file changed in between), never ignored. */
#include "transform.h"

#include <stdlib.h>

#include "../base/file.h"
#include "../graphql/language/parser.h"
#include "../graphql/language/printer.h"

bool gg_amplify_served_sdl(const char *const *paths, unsigned count, bool transform, const gg_amplify_options *opts,
                           gg_buf *out, gg_fault *fault)
{
    gg_schema_source *sources = calloc(count ? count : 1, sizeof *sources);
    if (sources == NULL) abort();
    bool ok = false;
    unsigned read = 0;
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    for (; read < count; read++) {
        size_t len;
        char why[128];
        char *text = gg_file_read(paths[read], GG_FILE_MAX_SIZE, &len, GG_FAULT_INTO(why));
        if (text == NULL) {
            gg_fault_set(fault, NULL, "schema %s: cannot read: %s", paths[read], why);
            goto done;
        }
        sources[read] = (gg_schema_source){paths[read], text, len};
    }
    if (transform) {
        gg_amplify_catalog *catalog = gg_amplify_transform(sources, count, opts, out, &errors);
        ok = catalog != NULL && errors.count == 0;
        gg_amplify_catalog_free(catalog);
        if (!ok) gg_error_list_fault(&errors, "schema error", "schema", fault);
        goto done;
    }
    for (unsigned i = 0; i < count; i++) {
        gg_document *doc = gg_parse(&arena, sources[i].text, sources[i].len, NULL, &errors);
        if (doc == NULL || errors.count > 0) {
            gg_error_list_fault(&errors, "schema error", paths[i], fault);
            goto done;
        }
        if (i > 0) gg_buf_append(out, "\n", 1);
        gg_print_document(out, doc);
        gg_buf_append(out, "\n", 1);
    }
    ok = true;
done:
    for (unsigned i = 0; i < read; i++)
        free((char *)sources[i].text);
    free(sources);
    gg_arena_free(&arena);
    return ok;
}
