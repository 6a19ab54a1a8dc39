/* schema_build.c: SDL to gg_schema, like graphql-js buildASTSchema(document) with assertValidSDL
 * and then validateSchema (src/utilities/buildASTSchema.ts, extendSchema.ts, src/type/schema.ts).
 *
 * Steps, each stopping at the first step that reports errors (like graphql-js, which throws):
 *   1. parse the built-in SDL (builtin_sdl.inc), the preludes asked for, and the sources, into
 *      the schema arena; executable definitions are refused;
 *   2. the SDL validation rules (one walk over the definitions, rules applied at each node in
 *      graphql-js's rule order, so several errors come in graphql-js's order);
 *   3. build every type and directive (a definition and its extensions together), resolve type
 *      references, then order the types exactly as GraphQLSchema's constructor does
 *      (collectReferencedTypes: standard scalars appear only when referenced; so do AppSync's
 *      scalars, which AppSync declares only when used);
 *   4. check the values given to directive arguments and default values against their types
 *      (graphql-js does not; we do, so a wrong @model argument is an error with a location);
 *   5. validateSchema (schema_validate.c).
 *   6. the @aws_* auth directives are read into each field (aws_auth.c).
 * The preludes are parsed as separate documents whose definitions come first (type order,
 * printing and introspection treat them as the user's); the SDL rules see them as an existing
 * schema the user's SDL extends, so redefining a prelude type or directive gets graphql-js's
 * extendSchema messages at the user's location. A user definition named like a specified scalar
 * or an introspection type is ignored, as graphql-js ignores it (its standard type is used). */
#include "schema_build.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../language/parser.h"
#include "aws_auth.h"
#include "prelude.h"
#include "scalars.h"
#include "schema_sdl_rules.h"

#include "builtin_sdl.inc"

typedef GG_VEC(const gg_definition *) def_vec;

typedef struct builder {
    gg_schema *schema;
    gg_arena *arena;
    gg_error_list *errors;
    const char **doc_names;  /* parallel to schema->documents */
    unsigned user_doc_start; /* documents before this index are built in (spec + introspection) */
    gg_strmap all_types;     /* every candidate named type: name -> gg_type* */
    def_vec user_types;      /* one gg_type per user type definition, in order (as gg_definition) */
    bool has_appsync;
    unsigned appsync_doc; /* index of the AppSync prelude in schema->documents */
} builder;

/* ---- errors ---- */

unsigned gg_schema_document_of(const gg_schema *schema, const gg_definition *def)
{
    uintptr_t p = (uintptr_t)def;
    for (unsigned i = 0; i < schema->document_count; i++) {
        const gg_document *d = schema->documents[i];
        uintptr_t lo = (uintptr_t)d->definitions, hi = (uintptr_t)(d->definitions + d->definition_count);
        if (p >= lo && p < hi) return i;
    }
    return schema->document_count;
}

/* ---- parsing ---- */

static gg_document *parse_source(builder *b, const char *name, const char *text, size_t len)
{
    gg_error *before = b->errors->tail;
    char *copy = gg_arena_strndup(b->arena, text, len);
    gg_document *doc = gg_parse(b->arena, copy, len, NULL, b->errors);
    for (gg_error *e = before ? before->next : b->errors->head; e != NULL; e = e->next)
        e->detail = gg_arena_strdup(b->errors->arena, name);
    return doc;
}

static void add_document(builder *b, gg_document *doc, const char *name)
{
    gg_schema *s = b->schema;
    s->documents =
        gg_arena_grow(b->arena, s->documents, s->document_count, s->document_count + 1, sizeof *s->documents);
    b->doc_names =
        gg_arena_grow(b->arena, b->doc_names, s->document_count, s->document_count + 1, sizeof *b->doc_names);
    s->documents[s->document_count] = doc;
    b->doc_names[s->document_count] = gg_arena_strdup(b->arena, name);
    s->document_count++;
}

static bool refuse_executable_definitions(builder *b)
{
    bool ok = true;
    for (unsigned d = b->user_doc_start; d < b->schema->document_count; d++) {
        const gg_document *doc = b->schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_OPERATION && def->kind != GG_DEF_FRAGMENT) continue;
            gg_error *e;
            if (def->kind == GG_DEF_FRAGMENT)
                e = gg_error_at(b->errors, def->loc,
                                "A schema cannot contain the fragment \"%s\": only type system definitions are "
                                "allowed.",
                                def->name.value);
            else if (def->name.value)
                e = gg_error_at(b->errors, def->loc,
                                "A schema cannot contain the operation \"%s\": only type system definitions are "
                                "allowed.",
                                def->name.value);
            else
                e = gg_error_at(b->errors, def->loc,
                                "A schema cannot contain an operation: only type system definitions are allowed.");
            e->detail = gg_arena_strdup(b->errors->arena, b->doc_names[d]);
            ok = false;
        }
    }
    return ok;
}

/* ---- building types ---- */

static bool is_type_definition(const gg_definition *def)
{
    return def->kind >= GG_DEF_SCALAR && def->kind <= GG_DEF_INPUT_OBJECT;
}

static gg_type_kind kind_of_definition(gg_definition_kind k)
{
    switch (k) {
    case GG_DEF_OBJECT:
        return GG_KIND_OBJECT;
    case GG_DEF_INTERFACE:
        return GG_KIND_INTERFACE;
    case GG_DEF_UNION:
        return GG_KIND_UNION;
    case GG_DEF_ENUM:
        return GG_KIND_ENUM;
    case GG_DEF_INPUT_OBJECT:
        return GG_KIND_INPUT_OBJECT;
    default:
        return GG_KIND_SCALAR;
    }
}

static gg_type *resolve_ref(builder *b, const gg_type_ref *ref)
{
    if (ref == NULL) return NULL;
    if (ref->kind == GG_TYPE_REF_NAMED) return gg_strmap_gets(&b->all_types, ref->name.value);
    gg_type *inner = resolve_ref(b, ref->of_type);
    if (inner == NULL) return NULL;
    if (ref->kind == GG_TYPE_REF_LIST) return gg_schema_list_of(b->schema, inner);
    return inner->kind == GG_KIND_NON_NULL ? inner : gg_schema_non_null_of(b->schema, inner);
}

static const gg_directive *find_directive(const gg_directive *dirs, unsigned count, const char *name)
{
    for (unsigned i = 0; i < count; i++)
        if (dirs[i].name.value && strcmp(dirs[i].name.value, name) == 0) return &dirs[i];
    return NULL;
}

static const gg_value *directive_arg(const gg_directive *d, const char *name)
{
    for (unsigned i = 0; d && i < d->arg_count; i++)
        if (strcmp(d->args[i].name.value, name) == 0) return d->args[i].value;
    return NULL;
}

/* graphql-js getDeprecationReason: NULL when not deprecated. */
static const char *deprecation_reason(const gg_directive *dirs, unsigned count)
{
    const gg_directive *d = find_directive(dirs, count, "deprecated");
    if (d == NULL) return NULL;
    const gg_value *reason = directive_arg(d, "reason");
    if (reason == NULL) return "No longer supported";
    if (reason->kind == GG_VALUE_STRING) return reason->text;
    return NULL;
}

static void build_input_values(builder *b, const gg_input_value_def *defs, unsigned count, gg_input_value **out,
                               unsigned *out_count)
{
    *out = count ? gg_arena_array(b->arena, count, sizeof **out) : NULL;
    *out_count = count;
    for (unsigned i = 0; i < count; i++) {
        gg_input_value *v = &(*out)[i];
        v->name = defs[i].name.value;
        v->description = defs[i].description;
        v->type = resolve_ref(b, defs[i].type);
        v->default_value = defs[i].default_value;
        v->deprecation_reason = deprecation_reason(defs[i].directives, defs[i].directive_count);
        v->ast = &defs[i];
        v->index = i;
    }
}

static void build_field(builder *b, gg_type *parent, const gg_field_def *def, gg_field *f, unsigned index)
{
    f->name = def->name.value;
    f->description = def->description;
    build_input_values(b, def->args, def->arg_count, &f->args, &f->arg_count);
    f->type = resolve_ref(b, def->type);
    f->deprecation_reason = deprecation_reason(def->directives, def->directive_count);
    f->ast = def;
    f->parent = parent;
    f->index = index;
}

/* Fills a type from its definition and extensions (type->ast_nodes). */
static void build_type_body(builder *b, gg_type *t)
{
    unsigned fields = 0, ifaces = 0, members = 0, values = 0, inputs = 0, dirs = 0;
    for (unsigned n = 0; n < t->ast_node_count; n++) {
        const gg_definition *d = t->ast_nodes[n];
        fields += d->field_count;
        ifaces += d->interface_count;
        members += d->type_count;
        values += d->value_count;
        inputs += d->input_field_count;
        dirs += d->directive_count;
    }
    gg_arena *a = b->arena;
    gg_strmap_init(&t->field_map, a);
    gg_strmap_init(&t->enum_value_map, a);
    gg_strmap_init(&t->input_field_map, a);
    gg_strmap_init(&t->possible_type_map, a);
    if (t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE) {
        t->fields = fields ? gg_arena_array(a, fields, sizeof *t->fields) : NULL;
        t->interfaces = ifaces ? gg_arena_array(a, ifaces, sizeof *t->interfaces) : NULL;
    } else if (t->kind == GG_KIND_UNION) {
        t->possible_types = members ? gg_arena_array(a, members, sizeof *t->possible_types) : NULL;
    } else if (t->kind == GG_KIND_ENUM) {
        t->enum_values = values ? gg_arena_array(a, values, sizeof *t->enum_values) : NULL;
    } else if (t->kind == GG_KIND_INPUT_OBJECT) {
        t->input_fields = inputs ? gg_arena_array(a, inputs, sizeof *t->input_fields) : NULL;
    }
    t->directives = dirs ? gg_arena_array(a, dirs, sizeof *t->directives) : NULL;

    for (unsigned n = 0; n < t->ast_node_count; n++) {
        const gg_definition *d = t->ast_nodes[n];
        for (unsigned i = 0; i < d->directive_count; i++)
            t->directives[t->directive_count++] = d->directives[i];
        if (t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE) {
            for (unsigned i = 0; i < d->interface_count; i++) {
                gg_type *iface = gg_strmap_gets(&b->all_types, d->interfaces[i].value);
                if (iface) t->interfaces[t->interface_count++] = iface;
            }
            for (unsigned i = 0; i < d->field_count; i++) {
                gg_field *f = &t->fields[t->field_count];
                build_field(b, t, &d->fields[i], f, t->field_count);
                t->field_count++;
                gg_strmap_put(&t->field_map, f->name, strlen(f->name), f);
            }
        } else if (t->kind == GG_KIND_UNION) {
            for (unsigned i = 0; i < d->type_count; i++) {
                gg_type *m = gg_strmap_gets(&b->all_types, d->types[i].value);
                if (m == NULL) continue;
                t->possible_types[t->possible_type_count++] = m;
                gg_strmap_put(&t->possible_type_map, m->name, strlen(m->name), m);
            }
        } else if (t->kind == GG_KIND_ENUM) {
            for (unsigned i = 0; i < d->value_count; i++) {
                gg_enum_value *v = &t->enum_values[t->enum_value_count];
                v->name = d->values[i].name.value;
                v->description = d->values[i].description;
                v->deprecation_reason = deprecation_reason(d->values[i].directives, d->values[i].directive_count);
                v->ast = &d->values[i];
                v->index = t->enum_value_count++;
                gg_strmap_put(&t->enum_value_map, v->name, strlen(v->name), v);
            }
        } else if (t->kind == GG_KIND_INPUT_OBJECT) {
            gg_input_value *vals;
            unsigned count;
            build_input_values(b, d->input_fields, d->input_field_count, &vals, &count);
            for (unsigned i = 0; i < count; i++) {
                gg_input_value *v = &t->input_fields[t->input_field_count];
                *v = vals[i];
                v->index = t->input_field_count++;
                gg_strmap_put(&t->input_field_map, v->name, strlen(v->name), v);
            }
        }
    }
    /* Only the definition itself (not an extension) carries these, as in graphql-js. */
    const gg_definition *def = t->ast_nodes[0];
    if (!def->is_extension) {
        if (t->kind == GG_KIND_SCALAR) {
            const gg_value *url =
                directive_arg(find_directive(def->directives, def->directive_count, "specifiedBy"), "url");
            if (url && url->kind == GG_VALUE_STRING) t->specified_by_url = url->text;
        }
        if (t->kind == GG_KIND_INPUT_OBJECT)
            t->is_one_of = find_directive(def->directives, def->directive_count, "oneOf") != NULL;
    }
    if (t->kind == GG_KIND_SCALAR && t->scalar == NULL) {
        const gg_scalar_ops *ops = gg_scalar_find_builtin(t->name);
        t->scalar = ops ? ops : &gg_scalar_custom_ops;
    }
}

/* Attaches every definition and extension of documents [from, to) to new gg_types. Returns the
 * types created, in definition order; `builtin` marks them is_builtin. */
static void create_types(builder *b, unsigned from, unsigned to, bool user, const gg_strmap *std_names)
{
    gg_schema *s = b->schema;
    /* definitions first, so extensions placed before their definition still attach */
    for (unsigned d = from; d < to; d++) {
        const gg_document *doc = s->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (!is_type_definition(def) || def->is_extension) continue;
            const char *name = def->name.value;
            if (user && std_names != NULL && gg_strmap_gets(std_names, name)) {
                GG_VEC_PUSH(b->arena, b->user_types, def); /* listed, but graphql-js's standard type is used */
                continue;
            }
            if (gg_strmap_gets(&b->all_types, name) != NULL)
                continue; /* a duplicate, already reported by the SDL rules */
            gg_type *t = gg_arena_alloc(b->arena, sizeof *t);
            t->kind = kind_of_definition(def->kind);
            t->name = name;
            t->description = def->description;
            t->is_builtin = !user;
            gg_strmap_put(&b->all_types, name, strlen(name), t);
            if (user) GG_VEC_PUSH(b->arena, b->user_types, def);
        }
    }
    /* count nodes per type, then fill ast_nodes in source order */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned d = from; d < to; d++) {
            const gg_document *doc = s->documents[d];
            for (unsigned i = 0; i < doc->definition_count; i++) {
                const gg_definition *def = &doc->definitions[i];
                if (!is_type_definition(def)) continue;
                gg_type *t = gg_strmap_gets(&b->all_types, def->name.value);
                if (t == NULL || t->is_builtin == user) continue;
                if (t->kind != kind_of_definition(def->kind))
                    continue; /* an extension of another kind: reported by the SDL rules */
                if (pass == 0) {
                    t->ast_node_count++;
                } else {
                    t->ast_nodes[t->ast_node_count++] = def;
                }
            }
        }
        if (pass == 0) {
            for (size_t k = 0; k < b->all_types.capacity; k++) {
                gg_type *t = b->all_types.slots[k].value;
                if (t == NULL || t->is_builtin == user) continue;
                t->ast_nodes =
                    gg_arena_array(b->arena, t->ast_node_count ? t->ast_node_count : 1, sizeof *t->ast_nodes);
                t->ast_node_count = 0;
            }
        }
    }
    /* The definition must come first in ast_nodes even when an extension precedes it. */
    for (size_t k = 0; k < b->all_types.capacity; k++) {
        gg_type *t = b->all_types.slots[k].value;
        if (t == NULL || t->is_builtin == user) continue;
        for (unsigned i = 1; i < t->ast_node_count; i++) {
            if (!t->ast_nodes[i]->is_extension) {
                const gg_definition *def = t->ast_nodes[i];
                memmove(&t->ast_nodes[1], &t->ast_nodes[0], i * sizeof *t->ast_nodes);
                t->ast_nodes[0] = def;
                break;
            }
        }
    }
}

static gg_directive_def *build_directive(builder *b, const gg_definition *def, bool builtin)
{
    gg_directive_def *dd = gg_arena_alloc(b->arena, sizeof *dd);
    dd->name = def->name.value;
    dd->description = def->description;
    build_input_values(b, def->args, def->arg_count, &dd->args, &dd->arg_count);
    gg_strmap_init(&dd->arg_map, b->arena);
    for (unsigned i = 0; i < dd->arg_count; i++)
        gg_strmap_put(&dd->arg_map, dd->args[i].name, strlen(dd->args[i].name), &dd->args[i]);
    dd->locations = def->locations;
    dd->repeatable = def->repeatable;
    dd->is_builtin = builtin;
    dd->ast = def;
    return dd;
}

/* graphql-js: user directives in order, then the specified ones the user did not redefine. */
static void build_directives(builder *b)
{
    gg_schema *s = b->schema;
    GG_VEC(gg_directive_def *) list = {0};
    gg_strmap_init(&s->directive_map, b->arena);
    for (unsigned d = b->user_doc_start; d < s->document_count; d++) {
        const gg_document *doc = s->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_DIRECTIVE) continue;
            gg_directive_def *dd = build_directive(b, def, false);
            GG_VEC_PUSH(b->arena, list, dd);
            gg_strmap_put(&s->directive_map, dd->name, strlen(dd->name), dd);
        }
    }
    for (unsigned d = 0; d < b->user_doc_start; d++) {
        const gg_document *doc = s->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_DIRECTIVE || gg_strmap_gets(&s->directive_map, def->name.value)) continue;
            gg_directive_def *dd = build_directive(b, def, true);
            GG_VEC_PUSH(b->arena, list, dd);
            gg_strmap_put(&s->directive_map, dd->name, strlen(dd->name), dd);
        }
    }
    s->directives = list.items;
    s->directive_count = list.count;
}

/* ---- type order: GraphQLSchema's constructor with JavaScript Set semantics ---- */

typedef struct ordered_set {
    GG_VEC(gg_type *) items; /* NULL: deleted */
    gg_strmap pos;           /* name -> index + 1, or NULL when absent */
} ordered_set;

static bool set_has(const ordered_set *set, const gg_type *t)
{
    return gg_strmap_gets(&set->pos, t->name) != NULL;
}

static void set_add(gg_arena *a, ordered_set *set, gg_type *t)
{
    GG_VEC_PUSH(a, set->items, t);
    gg_strmap_put(&set->pos, t->name, strlen(t->name), (void *)(uintptr_t)set->items.count);
}

static void set_delete(ordered_set *set, const gg_type *t)
{
    uintptr_t p = (uintptr_t)gg_strmap_gets(&set->pos, t->name);
    if (p == 0) return;
    set->items.items[p - 1] = NULL;
    gg_strmap_put(&set->pos, t->name, strlen(t->name), NULL);
}

/* graphql-js collectReferencedTypes, a pre-order depth-first walk, with an explicit stack so a
 * long chain of types cannot exhaust the C stack. A frame remembers where it is in its type's
 * children: union members; or interfaces, then each field's type followed by its arguments'
 * types; or input fields' types. */
typedef struct walk_frame {
    gg_type *type;
    unsigned next; /* members / interfaces / input fields consumed */
    unsigned field;
    int arg; /* -1: the field's own type comes next */
} walk_frame;

static gg_type *next_child(walk_frame *f)
{
    gg_type *t = f->type;
    if (t->kind == GG_KIND_UNION) return f->next < t->possible_type_count ? t->possible_types[f->next++] : NULL;
    if (t->kind == GG_KIND_INPUT_OBJECT) return f->next < t->input_field_count ? t->input_fields[f->next++].type : NULL;
    if (t->kind != GG_KIND_OBJECT && t->kind != GG_KIND_INTERFACE) return NULL;
    if (f->next < t->interface_count) return t->interfaces[f->next++];
    while (f->field < t->field_count) {
        const gg_field *field = &t->fields[f->field];
        if (f->arg < 0) {
            f->arg = 0;
            if (field->type) return field->type;
        }
        if ((unsigned)f->arg < field->arg_count) return field->args[f->arg++].type;
        f->field++;
        f->arg = -1;
    }
    return NULL;
}

static void collect_referenced(gg_arena *a, ordered_set *set, gg_type *type)
{
    gg_type *t = gg_type_named(type);
    if (t == NULL || set_has(set, t)) return;
    GG_VEC(walk_frame) stack = {0};
    set_add(a, set, t);
    GG_VEC_PUSH(a, stack, ((walk_frame){.type = t, .arg = -1}));
    while (stack.count > 0) {
        gg_type *child = next_child(&stack.items[stack.count - 1]);
        if (child == NULL) {
            stack.count--;
            continue;
        }
        gg_type *named = gg_type_named(child);
        if (named == NULL || set_has(set, named)) continue;
        set_add(a, set, named);
        GG_VEC_PUSH(a, stack, ((walk_frame){.type = named, .arg = -1}));
    }
}

/* A scalar of the AppSync prelude: AppSync declares only the ones a schema uses (issue 13). */
static bool is_appsync_scalar(const builder *b, const gg_type *t)
{
    return b->has_appsync && t->kind == GG_KIND_SCALAR && t->ast_node_count > 0 &&
           gg_schema_document_of(b->schema, t->ast_nodes[0]) == b->appsync_doc;
}

/* The types of the schema in GraphQLSchema's order: the user's types (the preludes' count as
 * the user's), each followed by what it references, then what the root types and the directives'
 * arguments reference. The AppSync scalars are roots of the walk only when they are in used
 * (NULL: none): the others appear where another type references them, i.e. not at all. */
static void collect_types(builder *b, ordered_set *set, const ordered_set *used)
{
    gg_schema *s = b->schema;
    gg_strmap_init(&set->pos, b->arena);
    for (unsigned i = 0; i < b->user_types.count; i++) {
        gg_type *t = gg_strmap_gets(&b->all_types, b->user_types.items[i]->name.value);
        if (is_appsync_scalar(b, t) && (used == NULL || !set_has(used, t))) continue;
        set_add(b->arena, set, t);
    }
    for (unsigned i = 0; i < b->user_types.count; i++) {
        gg_type *t = gg_strmap_gets(&b->all_types, b->user_types.items[i]->name.value);
        if (is_appsync_scalar(b, t) && (used == NULL || !set_has(used, t))) continue;
        set_delete(set, t);
        collect_referenced(b->arena, set, t);
    }
    collect_referenced(b->arena, set, s->query_type);
    collect_referenced(b->arena, set, s->mutation_type);
    collect_referenced(b->arena, set, s->subscription_type);
    for (unsigned i = 0; i < s->directive_count; i++)
        for (unsigned j = 0; j < s->directives[i]->arg_count; j++)
            collect_referenced(b->arena, set, s->directives[i]->args[j].type);
    collect_referenced(b->arena, set, gg_strmap_gets(&b->all_types, "__Schema"));
}

static void order_types(builder *b)
{
    gg_schema *s = b->schema;
    ordered_set set = {0};
    if (b->has_appsync) { /* first the AppSync scalars in use, then the order with those in their place */
        ordered_set used = {0};
        collect_types(b, &used, NULL);
        collect_types(b, &set, &used);
    } else {
        collect_types(b, &set, NULL);
    }

    s->types = gg_arena_array(b->arena, set.items.count ? set.items.count : 1, sizeof *s->types);
    gg_strmap_init(&s->type_map, b->arena);
    for (unsigned i = 0; i < set.items.count; i++) {
        gg_type *t = set.items.items[i];
        if (t == NULL) continue;
        t->index = s->type_count;
        s->types[s->type_count++] = t;
        gg_strmap_put(&s->type_map, t->name, strlen(t->name), t);
    }
}

/* graphql-js _implementationsMap: objects and interfaces implementing each interface, in type order. */
static void compute_implementations(builder *b)
{
    gg_schema *s = b->schema;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < s->type_count; i++) {
            gg_type *t = s->types[i];
            if (t->kind != GG_KIND_OBJECT && t->kind != GG_KIND_INTERFACE) continue;
            for (unsigned j = 0; j < t->interface_count; j++) {
                gg_type *iface = t->interfaces[j];
                if (iface->kind != GG_KIND_INTERFACE) continue;
                if (pass == 0) {
                    if (t->kind == GG_KIND_OBJECT)
                        iface->possible_type_count++;
                    else
                        iface->implementing_interface_count++;
                } else if (t->kind == GG_KIND_OBJECT) {
                    iface->possible_types[iface->possible_type_count++] = t;
                    gg_strmap_put(&iface->possible_type_map, t->name, strlen(t->name), t);
                } else {
                    iface->implementing_interfaces[iface->implementing_interface_count++] = t;
                }
            }
        }
        if (pass == 0) {
            for (unsigned i = 0; i < s->type_count; i++) {
                gg_type *t = s->types[i];
                if (t->kind != GG_KIND_INTERFACE) continue;
                t->possible_types = gg_arena_array(b->arena, t->possible_type_count + 1, sizeof(gg_type *));
                t->implementing_interfaces =
                    gg_arena_array(b->arena, t->implementing_interface_count + 1, sizeof(gg_type *));
                t->possible_type_count = 0;
                t->implementing_interface_count = 0;
            }
        }
    }
}

static void build_root_types(builder *b)
{
    gg_schema *s = b->schema;
    GG_VEC(const gg_definition *) nodes = {0};
    GG_VEC(gg_directive) dirs = {0};
    bool has_definition = false;
    for (unsigned d = b->user_doc_start; d < s->document_count; d++) {
        const gg_document *doc = s->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            if (def->kind != GG_DEF_SCHEMA) continue;
            if (!def->is_extension) {
                if (has_definition) continue;
                has_definition = true;
                s->description = def->description;
            }
            GG_VEC_PUSH(b->arena, nodes, def);
            for (unsigned k = 0; k < def->directive_count; k++)
                GG_VEC_PUSH(b->arena, dirs, def->directives[k]);
            for (unsigned k = 0; k < def->operation_type_count; k++) {
                const gg_operation_type_def *op = &def->operation_types[k];
                gg_type *t = gg_strmap_gets(&b->all_types, op->type.value);
                if (op->operation == GG_OP_QUERY)
                    s->query_type = t;
                else if (op->operation == GG_OP_MUTATION)
                    s->mutation_type = t;
                else
                    s->subscription_type = t;
            }
        }
    }
    s->schema_ast_nodes = nodes.items;
    s->schema_ast_node_count = nodes.count;
    s->schema_directives = dirs.items;
    s->schema_directive_count = dirs.count;
    if (has_definition) return;
    for (unsigned i = 0; i < b->user_types.count; i++) {
        const char *name = b->user_types.items[i]->name.value;
        gg_type *t = gg_strmap_gets(&b->all_types, name);
        if (strcmp(name, "Query") == 0)
            s->query_type = t;
        else if (strcmp(name, "Mutation") == 0)
            s->mutation_type = t;
        else if (strcmp(name, "Subscription") == 0)
            s->subscription_type = t;
    }
}

static gg_field *meta_field(builder *b, const char *name, const char *description, gg_type *type)
{
    gg_field *f = gg_arena_alloc(b->arena, sizeof *f);
    f->name = name;
    f->description = description;
    f->type = type;
    return f;
}

static void build_meta_fields(builder *b)
{
    gg_schema *s = b->schema;
    gg_type *string = gg_strmap_gets(&b->all_types, "String");
    s->typename_meta_field = meta_field(b, "__typename", "The name of the current Object type at runtime.",
                                        gg_schema_non_null_of(s, string));
    s->schema_meta_field = meta_field(b, "__schema", "Access the current type schema of this server.",
                                      gg_schema_non_null_of(s, gg_strmap_gets(&b->all_types, "__Schema")));
    gg_field *t = meta_field(b, "__type", "Request the type information of a single type.",
                             gg_strmap_gets(&b->all_types, "__Type"));
    t->args = gg_arena_alloc(b->arena, sizeof *t->args);
    t->arg_count = 1;
    t->args[0].name = "name";
    t->args[0].type = gg_schema_non_null_of(s, string);
    s->type_meta_field = t;
}

static void build_all(builder *b)
{
    gg_schema *s = b->schema;
    gg_strmap_init(&b->all_types, b->arena);
    create_types(b, 0, b->user_doc_start, false, NULL);
    gg_strmap std_names; /* the names graphql-js's stdTypeMap holds */
    gg_strmap_init(&std_names, b->arena);
    for (size_t k = 0; k < b->all_types.capacity; k++)
        if (b->all_types.slots[k].value)
            gg_strmap_put(&std_names, b->all_types.slots[k].key, b->all_types.slots[k].len, (void *)1);
    create_types(b, b->user_doc_start, s->document_count, true, &std_names);
    for (size_t k = 0; k < b->all_types.capacity; k++) {
        gg_type *t = b->all_types.slots[k].value;
        if (t) build_type_body(b, t);
    }
    /* AppSync's scalars count as built in (schema.h); printing and ordering treat them as user types. */
    for (unsigned i = 0; i < b->user_types.count; i++) {
        gg_type *t = gg_strmap_gets(&b->all_types, b->user_types.items[i]->name.value);
        if (b->has_appsync && gg_schema_document_of(s, t->ast_nodes[0]) == b->appsync_doc) t->is_builtin = true;
    }
    build_directives(b);
    build_root_types(b);
    order_types(b);
    compute_implementations(b);
    build_meta_fields(b);
}

/* ---- entry points ---- */

gg_schema *gg_schema_build(const gg_schema_source *sources, unsigned count, const gg_schema_options *opts,
                           gg_error_list *errors)
{
    gg_schema *s = calloc(1, sizeof *s);
    if (s == NULL) abort();
    gg_arena_init(&s->arena);
    builder b = {.schema = s, .arena = &s->arena, .errors = errors};

    gg_error_list internal;
    gg_error_list_init(&internal, &s->arena);
    b.errors = &internal;
    gg_document *builtins = parse_source(&b, "graphql-builtins", builtin_sdl, sizeof builtin_sdl - 1);
    b.errors = errors;
    if (builtins == NULL) { /* cannot happen unless the parser is broken */
        gg_error_add(errors, "internal error: the built-in SDL does not parse: %s",
                     internal.head ? internal.head->message : "");
        gg_schema_free(s);
        return NULL;
    }
    add_document(&b, builtins, "graphql-builtins");
    b.user_doc_start = 1;

    bool ok = true;
    if (opts && opts->appsync) {
        gg_document *d = parse_source(&b, "appsync-prelude", gg_prelude_appsync_sdl, strlen(gg_prelude_appsync_sdl));
        if (d) {
            b.has_appsync = true;
            b.appsync_doc = s->document_count;
            add_document(&b, d, "appsync-prelude");
        }
        ok = ok && d != NULL;
    }
    if (opts && opts->amplify) {
        gg_document *d = parse_source(&b, "amplify-prelude", gg_prelude_amplify_sdl, strlen(gg_prelude_amplify_sdl));
        if (d) add_document(&b, d, "amplify-prelude");
        ok = ok && d != NULL;
    }
    for (unsigned i = 0; i < count; i++) {
        const char *name = sources[i].name ? sources[i].name : "schema.graphql";
        gg_document *d =
            parse_source(&b, name, sources[i].text ? sources[i].text : "", sources[i].text ? sources[i].len : 0);
        if (d)
            add_document(&b, d, name);
        else
            ok = false;
    }
    if (!ok || !refuse_executable_definitions(&b) || !gg_schema_check_sdl(s, b.user_doc_start, b.doc_names, errors)) {
        gg_schema_free(s);
        return NULL;
    }
    build_all(&b);
    bool values_ok = gg_schema_check_values(s, b.user_doc_start, b.doc_names, errors);
    bool valid = gg_schema_validate(s, b.doc_names, errors);
    if (!values_ok || !valid) {
        gg_schema_free(s);
        return NULL;
    }
    if (b.has_appsync) { /* AppSync has no @oneOf: introspection does not list it (issue 13) */
        unsigned kept = 0;
        for (unsigned i = 0; i < s->directive_count; i++)
            if (strcmp(s->directives[i]->name, "oneOf") != 0) s->directives[kept++] = s->directives[i];
        s->directive_count = kept;
    }
    gg_aws_auth_bind(s);
    return s;
}

void gg_schema_free(gg_schema *schema)
{
    if (schema == NULL) return;
    gg_arena_free(&schema->arena);
    free(schema);
}
