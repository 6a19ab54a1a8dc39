/* catalog.c: step 5 of the @model transform: the model catalog (model.h), built from the final
 * model types: each model's fields in served order (kind, column from @refersTo, key part,
 * @default value checked with the default-value transformer's messages, field-level @auth
 * rules), primary key, indexes and rules; every generated root field, by "Root.field"; and the
 * user fields bound by @sql or @function, with their arguments.
 *
 * Everything here is allocated in the catalog arena, which the catalog owns: it is read-only
 * afterwards and shared by every thread. */
#include "transform_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../graphql/language/printer.h"
#include "../graphql/type/scalars.h"

static const char *type_text(transform_state *t, const gg_type_ref *r)
{
    gg_buf b;
    gg_buf_init(&b);
    gg_print_type_ref(&b, r);
    const char *s = gg_arena_strdup(t->catalog_arena, b.data ? b.data : "");
    gg_buf_free(&b);
    return s;
}

/* The default-value transformer's checks (PostgreSQL flavour: a missing value is allowed on Int
 * fields, where the database generates it), with its messages. String-typed AWS scalars are
 * checked with graphgate's own scalar rules. */
static void check_default(transform_state *t, model_info *mi, const gg_directive *d, const gg_amplify_field *f)
{
    const gg_value *v = gg_amplify_directive_argument(d, "value");
    const char *value = f->default_value;
    if (f->kind == GG_AMPLIFY_FIELD_RELATION || f->kind == GG_AMPLIFY_FIELD_EMBEDDED || f->list) {
        gg_amplify_fail(t, mi->def, d->loc, "The @default directive may only be added to scalar or enum field types.");
        return;
    }
    if (v == NULL) {
        if (strcmp(f->type_name, "Int") != 0)
            gg_amplify_fail(t, mi->def, d->loc, "The @default directive requires a value property on non-Int types.");
        return;
    }
    if (value == NULL) {
        gg_amplify_fail(t, mi->def, d->loc, "The @default directive does not support null values.");
        return;
    }
    if (f->kind == GG_AMPLIFY_FIELD_ENUM) {
        if (!gg_type_find_enum_value(gg_amplify_user_type(t, f->type_name), value))
            gg_amplify_fail(t, mi->def, d->loc, "Default value \"%s\" is not a member of %s enum.", value,
                            f->type_name);
        return;
    }
    const char *b = f->type_name;
    bool ok = true;
    char *end = NULL;
    if (strcmp(b, "Int") == 0 || strcmp(b, "AWSTimestamp") == 0) {
        /* JavaScript parseInt(x, 10) is not NaN: optional blanks and sign, then a digit */
        const char *p = value + strspn(value, " \t\n\r");
        if (*p == '+' || *p == '-') p++;
        ok = isdigit((unsigned char)*p);
    } else if (strcmp(b, "Float") == 0) {
        (void)strtod(value, &end);
        ok = end != value;
    } else if (strcmp(b, "Boolean") == 0) {
        ok = strcasecmp(value, "true") == 0 || strcasecmp(value, "false") == 0;
    } else {
        const gg_scalar_ops *ops = gg_scalar_find_aws(b);
        if (ops && ops->parse_literal) {
            gg_value literal = {.kind = GG_VALUE_STRING, .text = value, .len = strlen(value)};
            gg_val *coerced = NULL;
            gg_fault why = {0};
            ok = ops->parse_literal(t->scratch_arena, &literal, &coerced, &why);
        }
    }
    if (!ok) gg_amplify_fail(t, mi->def, d->loc, "Default value \"%s\" is not a valid %s.", value, b);
}

static void build_field(transform_state *t, model_info *mi, const gg_field_def *f, gg_amplify_field *out)
{
    const gg_field_def *declared = mi->model->is_join_model ? NULL : gg_amplify_user_field(mi, f->name.value);
    out->name = gg_arena_strdup(t->catalog_arena, f->name.value);
    out->type_name = gg_arena_strdup(t->catalog_arena, gg_amplify_type_base_name(f->type));
    out->type_sdl = type_text(t, f->type);
    out->non_null = f->type->kind == GG_TYPE_REF_NON_NULL;
    out->list = gg_amplify_type_is_list(f->type);
    const gg_type_ref *inner = f->type->kind == GG_TYPE_REF_NON_NULL ? f->type->of_type : f->type;
    out->item_non_null = inner->kind == GG_TYPE_REF_LIST && inner->of_type->kind == GG_TYPE_REF_NON_NULL;
    out->generated = declared == NULL;
    out->loc = declared ? declared->loc : mi->loc;
    for (unsigned r = 0; r < mi->relations.count; r++)
        if (mi->relations.items[r].field && strcmp(mi->relations.items[r].field->name.value, f->name.value) == 0)
            out->relation = mi->relations.items[r].out;
    if (out->relation || gg_amplify_model_info_named(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_RELATION;
    else if (gg_amplify_is_enum(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_ENUM;
    else if (gg_amplify_is_embedded(t, out->type_name))
        out->kind = GG_AMPLIFY_FIELD_EMBEDDED;
    else
        out->kind = GG_AMPLIFY_FIELD_SCALAR;
    if (out->kind != GG_AMPLIFY_FIELD_RELATION) {
        out->column = out->name;
        const gg_directive *refers =
            declared ? gg_amplify_find_directive(declared->directives, declared->directive_count, "refersTo") : NULL;
        const char *column = refers ? gg_amplify_string_value(t, gg_amplify_directive_argument(refers, "name")) : NULL;
        if (column) out->column = column;
    }
    out->is_primary_key = strcmp(f->name.value, mi->partition_key) == 0;
    for (unsigned i = 0; i < mi->sort_key.count; i++)
        out->is_primary_key = out->is_primary_key || strcmp(f->name.value, mi->sort_key.items[i]) == 0;
    if (declared) {
        const gg_directive *default_directive =
            gg_amplify_find_directive(declared->directives, declared->directive_count, "default");
        if (default_directive) {
            out->default_value = gg_amplify_string_value(t, gg_amplify_directive_argument(default_directive, "value"));
            check_default(t, mi, default_directive, out);
        }
        const gg_directive *read_only =
            gg_amplify_find_directive(declared->directives, declared->directive_count, "readOnly");
        out->read_only = read_only != NULL;
        if (read_only && out->kind == GG_AMPLIFY_FIELD_RELATION)
            gg_amplify_fail(t, mi->def, read_only->loc,
                            "@readOnly applies to a field stored in a column, not to the relation field %s.",
                            out->name);
        else if (read_only && default_directive)
            gg_amplify_fail(t, mi->def, read_only->loc,
                            "@readOnly and @default exclude each other: the database writes a @readOnly field %s.",
                            out->name);
        const gg_directive *auth = gg_amplify_find_directive(declared->directives, declared->directive_count, "auth");
        if (auth) {
            rule_vec rules = {0};
            gg_amplify_read_auth_rules(t, mi->def, auth, &rules);
            out->auth_rules = rules.items;
            out->auth_rule_count = rules.count;
        }
    }
}

void gg_amplify_build_catalog(transform_state *t)
{
    gg_amplify_catalog *c = t->catalog;
    c->models = gg_arena_array(t->catalog_arena, t->models.count ? t->models.count : 1, sizeof *c->models);
    for (unsigned i = 0; i < t->models.count; i++) {
        model_info *mi = t->models.items[i];
        gg_amplify_model *m = mi->model;
        c->models[c->model_count++] = m;
        gg_strmap_put(&c->model_map, m->name, strlen(m->name), m);
        m->field_count = mi->type->fields.count;
        m->fields = gg_arena_array(t->catalog_arena, m->field_count ? m->field_count : 1, sizeof *m->fields);
        for (unsigned k = 0; k < m->field_count; k++)
            build_field(t, mi, &mi->type->fields.items[k], &m->fields[k]);
        string_vec keys = {0};
        gg_amplify_primary_key_names(t, mi, &keys);
        m->primary_key = gg_amplify_string_array(t, &keys);
        m->primary_key_count = keys.count;
        m->index_count = mi->indexes.count;
        m->indexes = gg_arena_array(t->catalog_arena, m->index_count ? m->index_count : 1, sizeof *m->indexes);
        for (unsigned k = 0; k < m->index_count; k++) {
            const index_config *index = &mi->indexes.items[k];
            m->indexes[k] = (gg_amplify_index){.name = index->name,
                                               .partition_field = gg_arena_strdup(t->catalog_arena, index->field),
                                               .sort_fields = gg_amplify_string_array(t, &index->sort),
                                               .sort_count = index->sort.count,
                                               .query_field = index->query_field};
        }
        m->auth_rules = mi->rules.items;
        m->auth_rule_count = mi->rules.count;
        if (!m->ops.subscriptions_public && mi->no_subscriptions)
            m->ops.on_create = m->ops.on_update = m->ops.on_delete = NULL;
    }
}

typedef GG_VEC(gg_amplify_operation) operation_vec;

static void add_operation(transform_state *t, operation_vec *ops, gg_amplify_op_kind kind, const char *root,
                          const char *field, const gg_amplify_model *m, const gg_amplify_index *index,
                          const char *mutation)
{
    if (field == NULL) return;
    gg_amplify_operation op = {kind, root, field, m, index, mutation};
    GG_VEC_PUSH(t->catalog_arena, *ops, op);
}

/* Every generated root field, and where its model's @sql/@function siblings are. */
void gg_amplify_build_operations(transform_state *t)
{
    gg_amplify_catalog *c = t->catalog;
    operation_vec ops = {0};
    for (unsigned i = 0; i < t->models.count; i++) {
        model_info *mi = t->models.items[i];
        const gg_amplify_model *m = mi->model;
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_GET, "Query", m->ops.get, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_LIST, "Query", m->ops.list, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_SYNC, "Query", m->ops.sync, m, NULL, NULL);
        for (unsigned k = 0; k < m->index_count; k++)
            add_operation(t, &ops, GG_AMPLIFY_OP_KIND_INDEX_QUERY, "Query", m->indexes[k].query_field, m,
                          &m->indexes[k], NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_CREATE, "Mutation", m->ops.create, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_UPDATE, "Mutation", m->ops.update, m, NULL, NULL);
        add_operation(t, &ops, GG_AMPLIFY_OP_KIND_DELETE, "Mutation", m->ops.delete_, m, NULL, NULL);
        if (mi->no_subscriptions) continue;
        const string_vec *subs[3] = {&mi->on_create, &mi->on_update, &mi->on_delete};
        const char *mutation_names[3] = {m->ops.create, m->ops.update, m->ops.delete_};
        static const gg_amplify_op_kind kinds[3] = {GG_AMPLIFY_OP_KIND_ON_CREATE, GG_AMPLIFY_OP_KIND_ON_UPDATE,
                                                    GG_AMPLIFY_OP_KIND_ON_DELETE};
        for (int k = 0; k < 3; k++)
            for (unsigned s = 0; mutation_names[k] && s < subs[k]->count; s++)
                add_operation(t, &ops, kinds[k], "Subscription", subs[k]->items[s], m, NULL, mutation_names[k]);
    }
    c->operations = ops.items;
    c->operation_count = ops.count;
    gg_strmap_init(&c->operation_map, &c->arena);
    for (unsigned i = 0; i < ops.count; i++) {
        const char *key = gg_arena_printf(t->catalog_arena, "%s.%s", ops.items[i].root_type, ops.items[i].field);
        gg_strmap_put(&c->operation_map, key, strlen(key), &ops.items[i]);
    }
}

/* Fields bound by @sql or @function, and fields of non-model types with @auth, with their arguments. */
void gg_amplify_collect_custom_fields(transform_state *t)
{
    GG_VEC(gg_amplify_custom_field) out = {0};
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_OBJECT) continue;
            for (unsigned k = 0; k < def->field_count; k++) {
                const gg_field_def *f = &def->fields[k];
                gg_amplify_custom_field custom_field = {.type = gg_arena_strdup(t->catalog_arena, def->name.value),
                                                        .field = gg_arena_strdup(t->catalog_arena, f->name.value),
                                                        .loc = f->loc};
                string_vec functions = {0};
                bool bound = false;
                for (unsigned m = 0; m < f->directive_count; m++) {
                    const gg_directive *directive = &f->directives[m];
                    if (strcmp(directive->name.value, "sql") == 0) {
                        bound = true;
                        custom_field.sql_statement =
                            gg_amplify_string_value(t, gg_amplify_directive_argument(directive, "statement"));
                        custom_field.sql_reference =
                            gg_amplify_string_value(t, gg_amplify_directive_argument(directive, "reference"));
                        if ((custom_field.sql_statement == NULL) == (custom_field.sql_reference == NULL))
                            gg_amplify_fail(t, def, directive->loc,
                                            "@sql on \"%s.%s\" needs exactly one of statement and reference.",
                                            def->name.value, f->name.value);
                    } else if (strcmp(directive->name.value, "function") == 0) {
                        bound = true;
                        const char *name = gg_amplify_string_value(t, gg_amplify_directive_argument(directive, "name"));
                        if (name) GG_VEC_PUSH(t->catalog_arena, functions, name);
                    }
                }
                const gg_directive *auth = gg_amplify_model_info_named(t, def->name.value)
                                               ? NULL
                                               : gg_amplify_find_directive(f->directives, f->directive_count, "auth");
                if (auth != NULL) {
                    rule_vec rules = {0};
                    gg_amplify_read_auth_rules(t, def, auth, &rules);
                    custom_field.auth_rules = rules.items;
                    custom_field.auth_rule_count = rules.count;
                }
                if (!bound && auth == NULL) continue;
                custom_field.functions = functions.items;
                custom_field.function_count = functions.count;
                GG_VEC_PUSH(t->catalog_arena, out, custom_field);
            }
        }
    }
    t->catalog->custom_fields = out.items;
    t->catalog->custom_field_count = out.count;
}
