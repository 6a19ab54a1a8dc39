/* output_start.c: step 2 of the @model transform: the start of the served document: the user's
 * definitions in their order (transformer directives removed, each root type merged into one,
 * a model's extensions left to its fields, the AMPLIFY input left out), then the join model
 * types, then the transformer's shared inputs (ModelStringInput ... ModelSizeInput,
 * ModelSortDirection), each unless the document has it already.
 *
 * Model types are added empty here and filled by the model step (model_step.c); the order of
 * this document is the order of the served SDL. */
#include "transform_internal.h"

#include <string.h>

static void add_user_object_fields(transform_state *t, output_definition *o, const gg_definition *def)
{
    for (unsigned k = 0; k < def->field_count; k++)
        gg_amplify_add_object_field(t, o, gg_amplify_field_without_transformer_directives(t, &def->fields[k]));
}

void gg_amplify_start_output(transform_state *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            const char *name = def->name.value;
            if (def->kind == GG_DEF_INPUT_OBJECT && strcmp(name, "AMPLIFY") == 0) continue;
            if (def->kind == GG_DEF_OBJECT && name && strcmp(name, "Query_graphgate_placeholder") == 0) continue;
            model_info *mi = def->kind == GG_DEF_OBJECT ? gg_amplify_model_info_named(t, name) : NULL;
            if (mi && def->is_extension) continue; /* merged into the model's fields */
            bool root = def->kind == GG_DEF_OBJECT && (strcmp(name, "Query") == 0 || strcmp(name, "Mutation") == 0 ||
                                                       strcmp(name, "Subscription") == 0);
            if (root) {
                gg_operation_kind op = name[0] == 'Q'   ? GG_OP_QUERY
                                       : name[0] == 'M' ? GG_OP_MUTATION
                                                        : GG_OP_SUBSCRIPTION;
                output_definition *o = gg_amplify_root_type(t, op);
                if (o->user == NULL) o->user = def;
                gg_amplify_copy_kept_directives(t, &o->directives, def->directives, def->directive_count);
                add_user_object_fields(t, o, def);
                continue;
            }
            output_definition *o = gg_arena_alloc(t->scratch_arena, sizeof *o);
            o->def = *def;
            o->user = def;
            GG_VEC_PUSH(t->scratch_arena, t->out, o);
            if (name && !def->is_extension) gg_strmap_put(&t->out_map, name, strlen(name), o);
            if (mi) {
                mi->type = o;
                o->def.description = def->description;
                continue;
            }
            gg_amplify_copy_kept_directives(t, &o->directives, def->directives, def->directive_count);
            if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
                add_user_object_fields(t, o, def);
            else
                o->keep_user = true;
        }
    }
    for (unsigned i = 0; i < t->models.count; i++) {
        model_info *mi = t->models.items[i];
        if (mi->model->is_join_model) {
            mi->type = gg_amplify_output_add(t, GG_DEF_OBJECT, mi->model->name);
        }
    }
}

/* ModelStringInput ... ModelSizeInput, ModelSortDirection (the transformer's shared inputs). */
void gg_amplify_add_shared_inputs(transform_state *t)
{
    static const char *const scalars[] = {"String", "Int", "Float", "Boolean", "ID"};
    for (int sub = 0; sub < 2; sub++)
        for (int i = 0; i < 5; i++) {
            const char *s = scalars[i];
            const char *name = gg_arena_printf(t->scratch_arena, "Model%s%sInput", sub ? "Subscription" : "", s);
            if (gg_amplify_output_has(t, name)) continue;
            output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, name);
            bool str = i == 0 || i == 4, num = i == 1 || i == 2;
            gg_amplify_add_input_field(t, o, "ne", gg_amplify_type_named(t, s));
            gg_amplify_add_input_field(t, o, "eq", gg_amplify_type_named(t, s));
            if (str || num) {
                static const char *const cmp[] = {"le", "lt", "ge", "gt"};
                for (int k = 0; k < 4; k++)
                    gg_amplify_add_input_field(t, o, cmp[k], gg_amplify_type_named(t, s));
                if (str) {
                    gg_amplify_add_input_field(t, o, "contains", gg_amplify_type_named(t, s));
                    gg_amplify_add_input_field(t, o, "notContains", gg_amplify_type_named(t, s));
                }
                gg_amplify_add_input_field(t, o, "between", gg_amplify_type_list(t, gg_amplify_type_named(t, s)));
                if (str) gg_amplify_add_input_field(t, o, "beginsWith", gg_amplify_type_named(t, s));
            }
            if (sub) {
                if (str || num) {
                    gg_amplify_add_input_field(t, o, "in", gg_amplify_type_list(t, gg_amplify_type_named(t, s)));
                    gg_amplify_add_input_field(t, o, "notIn", gg_amplify_type_list(t, gg_amplify_type_named(t, s)));
                }
            } else {
                gg_amplify_add_input_field(t, o, "attributeExists", gg_amplify_type_named(t, "Boolean"));
                gg_amplify_add_input_field(t, o, "attributeType", gg_amplify_type_named(t, "ModelAttributeTypes"));
                if (str) gg_amplify_add_input_field(t, o, "size", gg_amplify_type_named(t, "ModelSizeInput"));
            }
        }
    if (!gg_amplify_output_has(t, "ModelAttributeTypes")) {
        output_definition *o = gg_amplify_output_add(t, GG_DEF_ENUM, "ModelAttributeTypes");
        static const char *const v[] = {"binary", "binarySet", "bool",   "list",      "map",
                                        "number", "numberSet", "string", "stringSet", "_null"};
        for (int i = 0; i < 10; i++) {
            gg_enum_value_def e = {0};
            e.name.value = v[i];
            GG_VEC_PUSH(t->scratch_arena, o->values, e);
        }
    }
    if (!gg_amplify_output_has(t, "ModelSizeInput")) {
        output_definition *o = gg_amplify_output_add(t, GG_DEF_INPUT_OBJECT, "ModelSizeInput");
        static const char *const v[] = {"ne", "eq", "le", "lt", "ge", "gt"};
        for (int i = 0; i < 6; i++)
            gg_amplify_add_input_field(t, o, v[i], gg_amplify_type_named(t, "Int"));
        gg_amplify_add_input_field(t, o, "between", gg_amplify_type_list(t, gg_amplify_type_named(t, "Int")));
    }
    if (!gg_amplify_output_has(t, "ModelSortDirection")) {
        output_definition *o = gg_amplify_output_add(t, GG_DEF_ENUM, "ModelSortDirection");
        gg_enum_value_def asc = {0}, desc = {0};
        asc.name.value = "ASC";
        desc.name.value = "DESC";
        GG_VEC_PUSH(t->scratch_arena, o->values, asc);
        GG_VEC_PUSH(t->scratch_arena, o->values, desc);
    }
}
