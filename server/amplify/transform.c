/* transform.c: the Amplify GraphQL transformer (v2) @model transform (transform.h): the entry
 * point that runs the steps and prints the served SDL, and the lookup functions of model.h.
 *
 * Design. The served schema is built as a list of AST definitions (gg_definition) and printed
 * with the one printer (language/printer.h), so its text has graphql-js print() layout, like the
 * transformer's own output. The steps run in the order the transformer's plugins run, because
 * that order decides where fields land; each step has its file in this folder:
 *   1. build the user SDL (AppSync + Amplify preludes) so every directive argument is typed and
 *      checked; read @model/@auth/@primaryKey/@index/relations into per-model configs
 *      (read_directives.c); create the join models of @manyToMany (join_models.c);
 *   2. the output document starts with the user's definitions (transformer directives removed),
 *      then the join models, then the shared inputs (ModelStringInput ... ModelSortDirection)
 *      (output_start.c);
 *   3. the model step, per model: id and timestamps, <Type>Input twins of embedded types,
 *      queries (connection, enum inputs, filter), mutations (condition, create/update/delete
 *      inputs), subscriptions (subscription filter), DataStore fields (model_step.c);
 *   4. @primaryKey (get/list arguments, key inputs), @index (query fields) (keys.c), relations
 *      (connection fields, implicit foreign keys) (relations.c), @auth (owner fields, @aws_*
 *      directives, subscription owner arguments) (auth.c);
 *   5. print (here); build the catalog from the final model types (catalog.c).
 * The steps share the state and the helpers declared in transform_internal.h, which live in
 * names.c (derived names), user_schema.c (reading the user's schema, errors) and
 * output_document.c (building the served document).
 * Checked against @aws-amplify/graphql-transformer 2.5.1 by the differential test
 * (tests/amplify_differential: its corpus gives the same SDL, definitions sorted, field order and
 * applied directives included), with these deliberate differences (listed there with reasons):
 *   - the transformer's stray `input AmplifyAIConversationTurnErrorInput` is not emitted;
 *   - in sandbox mode the transformer also puts @aws_iam on every non-model type and user root
 *     field (and so on the Query type itself, which would shut API-key callers out of the
 *     generated queries under AppSync's rules); that is not done here;
 *   - @refersTo is accepted on every model (PostgreSQL tables), and a model related to itself by
 *     @manyToMany is served (the transformer refuses its own join model's duplicate index);
 *   - @readOnly, graphgate's own directive, leaves a field the database writes out of the create
 *     and update inputs (but for the key fields an update names its row by);
 *   - not every validation of the transformer is repeated (for example, @hasOne(fields:) types
 *     must match the related key's type there).
 * Everything allocated here lives in the catalog arena (kept) or a scratch arena (freed). */
#include "transform_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../graphql/language/parser.h"
#include "../graphql/language/printer.h"

/* In sandbox mode (input AMPLIFY { globalAuthRule: AuthRule = {allow: public} }) the transformer
 * takes each user-written root field out and appends it again (with its sandbox directive), so
 * those fields come after the generated ones there; elsewhere they stay first. Same order here. */
static void sandbox_field_order(transform_state *t)
{
    if (!t->catalog->sandbox_public) return;
    output_definition *roots[3] = {t->query, t->mutation, t->subscription};
    for (int r = 0; r < 3; r++) {
        if (roots[r] == NULL || roots[r]->user == NULL) continue;
        field_vec *fields = &roots[r]->fields;
        field_vec ordered = {0};
        for (int user = 0; user < 2; user++)
            for (unsigned i = 0; i < fields->count; i++)
                if ((fields->items[i].loc.line != 0) == (user == 1))
                    GG_VEC_PUSH(t->scratch_arena, ordered, fields->items[i]);
        *fields = ordered;
    }
}

/* Each model named by the per-model conflict detection settings (datastore.models) must be a
 * model of the schema (join models included): a misspelt name would silently leave a model
 * unsynced. */
static void check_sync_models(transform_state *t)
{
    for (unsigned i = 0; i < t->options.model_count; i++) {
        const char *name = t->options.models[i].model;
        if (name != NULL && gg_strmap_gets(&t->model_map, name) != NULL) continue;
        gg_error_add(t->errors, "key \"datastore.models\": model \"%s\" is not a @model type of the schema",
                     name ? name : "");
        t->ok = false;
    }
}

/* True when some source defines a Query type or a schema definition (else the builder would
 * refuse a schema made of models only). */
static bool sources_define_query(const gg_schema_source *sources, unsigned count)
{
    gg_arena arena;
    gg_arena_init(&arena);
    gg_error_list errors;
    gg_error_list_init(&errors, &arena);
    bool found = false;
    for (unsigned i = 0; i < count && !found; i++) {
        gg_document *doc = gg_parse(&arena, sources[i].text ? sources[i].text : "",
                                    sources[i].text ? sources[i].len : 0, NULL, &errors);
        for (unsigned k = 0; doc && k < doc->definition_count; k++) {
            const gg_definition *d = &doc->definitions[k];
            if ((d->kind == GG_DEF_SCHEMA && !d->is_extension) ||
                (d->kind == GG_DEF_OBJECT && !d->is_extension && strcmp(d->name.value, "Query") == 0))
                found = true;
        }
        if (doc == NULL) found = true; /* let the builder report the syntax error */
    }
    gg_arena_free(&arena);
    return found;
}

static const char placeholder_sdl[] = "type Query { _graphgate_placeholder: Boolean }\n";

static void print_output(transform_state *t, gg_buf *out)
{
    gg_document doc = {0};
    doc.definitions = gg_arena_array(t->scratch_arena, t->out.count ? t->out.count : 1, sizeof *doc.definitions);
    for (unsigned i = 0; i < t->out.count; i++) {
        output_definition *o = t->out.items[i];
        if (o->dropped) continue;
        gg_definition d = o->def;
        d.directives = o->directives.items;
        d.directive_count = o->directives.count;
        if (!o->keep_user) {
            d.fields = o->fields.items;
            d.field_count = o->fields.count;
            d.input_fields = o->inputs.items;
            d.input_field_count = o->inputs.count;
            d.values = o->values.items;
            d.value_count = o->values.count;
        }
        doc.definitions[doc.definition_count++] = d;
    }
    gg_print_document(out, &doc);
    gg_buf_putc(out, '\n');
}

gg_amplify_catalog *gg_amplify_transform(const gg_schema_source *sources, unsigned count,
                                         const gg_amplify_options *opts, gg_buf *served_sdl, gg_error_list *errors)
{
    return gg_amplify_transform_built(sources, count, opts, "served-schema", served_sdl, NULL, errors);
}

gg_amplify_catalog *gg_amplify_transform_built(const gg_schema_source *sources, unsigned count,
                                               const gg_amplify_options *opts, const char *served_name,
                                               gg_buf *served_sdl, gg_schema **served_schema, gg_error_list *errors)
{
    if (served_schema != NULL) *served_schema = NULL;
    gg_amplify_options defaults = {.sync = false, .default_auth = GG_AMPLIFY_PROVIDER_API_KEY};
    bool placeholder = !sources_define_query(sources, count);
    gg_schema_source *all = calloc(count + 1, sizeof *all);
    if (all == NULL) abort();
    for (unsigned i = 0; i < count; i++)
        all[i] = sources[i];
    all[count] = (gg_schema_source){"graphgate-placeholder", placeholder_sdl, sizeof placeholder_sdl - 1};
    gg_schema_options schema_options = {.appsync = true, .amplify = true};
    gg_schema *schema = gg_schema_build(all, count + (placeholder ? 1 : 0), &schema_options, errors);
    free(all);
    if (schema == NULL) return NULL;

    gg_amplify_catalog *catalog = calloc(1, sizeof *catalog);
    if (catalog == NULL) abort();
    gg_arena_init(&catalog->arena);
    gg_strmap_init(&catalog->model_map, &catalog->arena);
    gg_arena scratch;
    gg_arena_init(&scratch);
    transform_state t = {.catalog_arena = &catalog->arena,
                         .scratch_arena = &scratch,
                         .schema = schema,
                         .errors = errors,
                         .options = opts ? *opts : defaults,
                         .catalog = catalog,
                         .ok = true};
    catalog->default_auth = t.options.default_auth;
    t.user_doc_count = count;
    t.first_user_doc = schema->document_count - count - (placeholder ? 1 : 0);
    t.doc_names = gg_arena_array(&scratch, count ? count : 1, sizeof *t.doc_names);
    for (unsigned i = 0; i < count; i++)
        t.doc_names[i] = sources[i].name ? sources[i].name : "schema.graphql";
    gg_strmap_init(&t.out_map, &scratch);
    gg_strmap_init(&t.model_map, &scratch);
    gg_strmap_init(&t.nested_seen, &scratch);

    gg_amplify_collect_models(&t);
    if (t.ok) gg_amplify_make_join_models(&t);
    if (t.ok) check_sync_models(&t);
    if (t.ok) {
        gg_amplify_start_output(&t);
        gg_amplify_add_shared_inputs(&t);
        for (unsigned i = 0; i < t.models.count; i++) {
            gg_amplify_model_step(&t, t.models.items[i]);
            gg_amplify_sandbox_step(&t, t.models.items[i]);
        }
        for (unsigned i = 0; i < t.models.count; i++)
            gg_amplify_primary_key_step(&t, t.models.items[i]);
        for (unsigned i = 0; i < t.models.count; i++)
            gg_amplify_index_step(&t, t.models.items[i]);
        gg_amplify_relations_step(&t);
        for (unsigned i = 0; i < t.models.count; i++)
            gg_amplify_auth_step(&t, t.models.items[i]);
        gg_amplify_non_model_auth_step(&t);
        sandbox_field_order(&t);
        if (t.query == NULL || t.query->fields.count == 0) {
            const model_info *first = t.models.count ? t.models.items[0] : NULL;
            gg_loc loc = {0, 1, 1};
            gg_amplify_fail(
                &t, first ? first->def : NULL, first ? first->loc : loc,
                "The schema has no query: write a Query type, or a @model type whose queries are not turned off.");
        }
        gg_amplify_build_catalog(&t);
        gg_amplify_build_operations(&t);
        gg_amplify_collect_custom_fields(&t);
    }
    gg_buf sdl;
    gg_buf_init(&sdl);
    if (t.ok) {
        print_output(&t, &sdl);
        /* the served schema must build as an AppSync schema; anything else is a bug here */
        gg_error_list check;
        gg_error_list_init(&check, &scratch);
        gg_schema_source served = {served_name, sdl.data, sdl.len};
        gg_schema_options appsync = {.appsync = true};
        gg_schema *s = gg_schema_build(&served, 1, &appsync, &check);
        if (s == NULL) {
            gg_error *e = gg_error_add(errors, "internal error: the served schema does not build: %s",
                                       check.head ? check.head->message : "unknown error");
            if (check.head && check.head->location_count) gg_error_add_location(errors, e, check.head->locations[0]);
            t.ok = false;
        }
        if (served_schema != NULL && t.ok)
            *served_schema = s; /* the caller's: built once (it is the largest of start-up's schema builds) */
        else
            gg_schema_free(s);
    }
    if (t.ok) gg_buf_append(served_sdl, sdl.data, sdl.len);
    gg_buf_free(&sdl);
    gg_arena_free(&scratch);
    gg_schema_free(schema);
    if (!t.ok) {
        gg_amplify_catalog_free(catalog);
        return NULL;
    }
    return catalog;
}

const gg_amplify_model *gg_amplify_find_model(const gg_amplify_catalog *catalog, const char *name)
{
    return catalog && name ? gg_strmap_gets(&catalog->model_map, name) : NULL;
}

const gg_amplify_operation *gg_amplify_find_operation(const gg_amplify_catalog *catalog, const char *root_type,
                                                      const char *field)
{
    if (catalog == NULL || root_type == NULL || field == NULL || catalog->operation_count == 0) return NULL;
    char key[512];
    int n = snprintf(key, sizeof key, "%s.%s", root_type, field);
    if (n < 0 || (size_t)n >= sizeof key) return NULL;
    return gg_strmap_get(&catalog->operation_map, key, (size_t)n);
}

const gg_amplify_field *gg_amplify_find_field(const gg_amplify_model *model, const char *name)
{
    for (unsigned i = 0; model && name && i < model->field_count; i++)
        if (strcmp(model->fields[i].name, name) == 0) return &model->fields[i];
    return NULL;
}

void gg_amplify_catalog_free(gg_amplify_catalog *catalog)
{
    if (catalog == NULL) return;
    gg_arena_free(&catalog->arena);
    free(catalog);
}

const char *gg_amplify_provider_directive(gg_amplify_provider provider)
{
    return (unsigned)provider < 6 ? gg_amplify_provider_directive_names[provider] : NULL;
}
