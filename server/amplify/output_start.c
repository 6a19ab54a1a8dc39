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

static void add_user_object_fields(tx *t, odef *o, const gg_definition *def)
{
    for (unsigned k = 0; k < def->field_count; k++)
        amp_add_object_field(t, o, amp_field_without_transformer_directives(t, &def->fields[k]));
}

void amp_start_output(tx *t)
{
    for (unsigned d = t->first_user_doc; d < t->first_user_doc + t->user_doc_count; d++) {
        const gg_document *doc = t->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            const char *name = def->name.value;
            if (def->kind == GG_DEF_INPUT_OBJECT && strcmp(name, "AMPLIFY") == 0) continue;
            if (def->kind == GG_DEF_OBJECT && name && strcmp(name, "Query_graphgate_placeholder") == 0) continue;
            minfo *mi = def->kind == GG_DEF_OBJECT ? amp_model_named(t, name) : NULL;
            if (mi && def->is_extension) continue; /* merged into the model's fields */
            bool root = def->kind == GG_DEF_OBJECT && (strcmp(name, "Query") == 0 || strcmp(name, "Mutation") == 0 ||
                                                       strcmp(name, "Subscription") == 0);
            if (root) {
                gg_operation_kind op = name[0] == 'Q'   ? GG_OP_QUERY
                                       : name[0] == 'M' ? GG_OP_MUTATION
                                                        : GG_OP_SUBSCRIPTION;
                odef *o = amp_root_type(t, op);
                if (o->user == NULL) o->user = def;
                amp_copy_kept_directives(t, &o->dirs, def->directives, def->directive_count);
                add_user_object_fields(t, o, def);
                continue;
            }
            odef *o = gg_arena_alloc(t->s, sizeof *o);
            o->def = *def;
            o->user = def;
            GG_VEC_PUSH(t->s, t->out, o);
            if (name && !def->is_extension) gg_strmap_put(&t->out_map, name, strlen(name), o);
            if (mi) {
                mi->type = o;
                o->def.description = def->description;
                continue;
            }
            amp_copy_kept_directives(t, &o->dirs, def->directives, def->directive_count);
            if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
                add_user_object_fields(t, o, def);
            else
                o->keep_user = true;
        }
    }
    for (unsigned i = 0; i < t->models.count; i++) {
        minfo *mi = t->models.items[i];
        if (mi->m->is_join_model) {
            mi->type = amp_out_add(t, GG_DEF_OBJECT, mi->m->name);
        }
    }
}

/* ModelStringInput ... ModelSizeInput, ModelSortDirection (the transformer's shared inputs). */
void amp_add_shared_inputs(tx *t)
{
    static const char *const scalars[] = {"String", "Int", "Float", "Boolean", "ID"};
    for (int sub = 0; sub < 2; sub++)
        for (int i = 0; i < 5; i++) {
            const char *s = scalars[i];
            const char *name = gg_arena_printf(t->s, "Model%s%sInput", sub ? "Subscription" : "", s);
            if (amp_out_has(t, name)) continue;
            odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, name);
            bool str = i == 0 || i == 4, num = i == 1 || i == 2;
            amp_add_input_field(t, o, "ne", amp_tr_named(t, s));
            amp_add_input_field(t, o, "eq", amp_tr_named(t, s));
            if (str || num) {
                static const char *const cmp[] = {"le", "lt", "ge", "gt"};
                for (int k = 0; k < 4; k++)
                    amp_add_input_field(t, o, cmp[k], amp_tr_named(t, s));
                if (str) {
                    amp_add_input_field(t, o, "contains", amp_tr_named(t, s));
                    amp_add_input_field(t, o, "notContains", amp_tr_named(t, s));
                }
                amp_add_input_field(t, o, "between", amp_tr_list(t, amp_tr_named(t, s)));
                if (str) amp_add_input_field(t, o, "beginsWith", amp_tr_named(t, s));
            }
            if (sub) {
                if (str || num) {
                    amp_add_input_field(t, o, "in", amp_tr_list(t, amp_tr_named(t, s)));
                    amp_add_input_field(t, o, "notIn", amp_tr_list(t, amp_tr_named(t, s)));
                }
            } else {
                amp_add_input_field(t, o, "attributeExists", amp_tr_named(t, "Boolean"));
                amp_add_input_field(t, o, "attributeType", amp_tr_named(t, "ModelAttributeTypes"));
                if (str) amp_add_input_field(t, o, "size", amp_tr_named(t, "ModelSizeInput"));
            }
        }
    if (!amp_out_has(t, "ModelAttributeTypes")) {
        odef *o = amp_out_add(t, GG_DEF_ENUM, "ModelAttributeTypes");
        static const char *const v[] = {"binary", "binarySet", "bool",   "list",      "map",
                                        "number", "numberSet", "string", "stringSet", "_null"};
        for (int i = 0; i < 10; i++) {
            gg_enum_value_def e = {0};
            e.name.value = v[i];
            GG_VEC_PUSH(t->s, o->values, e);
        }
    }
    if (!amp_out_has(t, "ModelSizeInput")) {
        odef *o = amp_out_add(t, GG_DEF_INPUT_OBJECT, "ModelSizeInput");
        static const char *const v[] = {"ne", "eq", "le", "lt", "ge", "gt"};
        for (int i = 0; i < 6; i++)
            amp_add_input_field(t, o, v[i], amp_tr_named(t, "Int"));
        amp_add_input_field(t, o, "between", amp_tr_list(t, amp_tr_named(t, "Int")));
    }
    if (!amp_out_has(t, "ModelSortDirection")) {
        odef *o = amp_out_add(t, GG_DEF_ENUM, "ModelSortDirection");
        gg_enum_value_def asc = {0}, desc = {0};
        asc.name.value = "ASC";
        desc.name.value = "DESC";
        GG_VEC_PUSH(t->s, o->values, asc);
        GG_VEC_PUSH(t->s, o->values, desc);
    }
}
