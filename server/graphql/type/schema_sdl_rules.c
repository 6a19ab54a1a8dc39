/* schema_sdl_rules.c: graphql-js's SDL validation (assertValidSDL with specifiedSDLRules) and
 * value checks for schema_build.c.
 *
 * graphql-js runs its rules as parallel visitors over one document, so errors come in the order
 * of the nodes, and within a node in the order of the rule list. We do the same with one walk
 * (visit_definition ... visit_directive) that calls, at each node, the callbacks of the rules
 * (one file each under sdl_rules/, see sdl_rules.h) in the order of the table below. All the
 * sources (preludes first) form one document, but what a prelude defines counts as part of an
 * existing schema (graphql-js's messages for extending a schema: "... already exists in the
 * schema ..."). Directives known are graphql-js's specified ones plus those defined in the
 * documents; a directive refused by the prelude (gg_prelude_refused_directive) gets its own
 * message and nothing else is checked on it. */
#include "schema_sdl_rules.h"

#include <stdint.h>
#include <string.h>

#include "../suggest.h"
#include "prelude.h"
#include "scalars.h"
#include "schema_build.h"
#include "sdl_rules/sdl_rules.h"

/* The rule table, in graphql-js specifiedSDLRules order. */
static const gg_sdl_rule *const sdl_rules[] = {
    &gg_sdl_rule_lone_schema_definition,
    &gg_sdl_rule_unique_operation_types,
    &gg_sdl_rule_unique_type_names,
    &gg_sdl_rule_unique_enum_value_names,
    &gg_sdl_rule_unique_field_definition_names,
    &gg_sdl_rule_unique_argument_definition_names,
    &gg_sdl_rule_unique_directive_names,
    &gg_sdl_rule_known_type_names,
    &gg_sdl_rule_known_directives,
    &gg_sdl_rule_unique_directives_per_location,
    &gg_sdl_rule_possible_type_extensions,
    &gg_sdl_rule_known_argument_names_on_directives,
    &gg_sdl_rule_unique_argument_names,
    &gg_sdl_rule_unique_input_field_names,
    &gg_sdl_rule_provided_required_arguments_on_directives,
};

enum { RULE_COUNT = sizeof sdl_rules / sizeof sdl_rules[0] };

/* ---- helpers shared by the rules (sdl_rules.h) ---- */

gg_error *gg_sdl_report(gg_sdl_context *c, gg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(c->errors, fmt, ap);
    va_end(ap);
    gg_error_add_location(c->errors, e, loc);
    if (c->doc_name) e->detail = gg_arena_strdup(c->errors->arena, c->doc_name);
    c->ok = false;
    return e;
}

gg_strmap *gg_sdl_submap(gg_sdl_context *c, gg_strmap *maps, const char *key)
{
    gg_strmap *m = gg_strmap_gets(maps, key);
    if (m == NULL) {
        m = gg_arena_alloc(c->arena, sizeof *m);
        gg_strmap_init(m, c->arena);
        gg_strmap_put(maps, key, strlen(key), m);
    }
    return m;
}

/* graphql-js groupBy on names, in O(n): next[i] is the next index with the same name (n: none)
 * and size[i], at a name's first index, how many times it occurs (0 elsewhere). */
static unsigned *group_names(gg_sdl_context *c, const gg_name *const *names, unsigned n, unsigned **size_out)
{
    unsigned *next = gg_arena_array(c->arena, n + 1, sizeof *next);
    unsigned *size = gg_arena_array(c->arena, n + 1, sizeof *size);
    gg_strmap first, last; /* name -> index + 1 */
    gg_strmap_init(&first, c->arena);
    gg_strmap_init(&last, c->arena);
    for (unsigned i = 0; i < n; i++) {
        const char *name = names[i]->value;
        size_t len = strlen(name);
        next[i] = n;
        uintptr_t f = (uintptr_t)gg_strmap_get(&first, name, len);
        if (f == 0) {
            gg_strmap_put(&first, name, len, (void *)(uintptr_t)(i + 1));
            size[i] = 1;
        } else {
            next[(uintptr_t)gg_strmap_get(&last, name, len) - 1] = i;
            size[f - 1]++;
        }
        gg_strmap_put(&last, name, len, (void *)(uintptr_t)(i + 1));
    }
    *size_out = size;
    return next;
}

/* Reports each name given more than once, with the locations of all its occurrences (one array,
 * not one growth per location). format has one %s (the name) or two (parent, name). */
void gg_sdl_report_repeated_names(gg_sdl_context *c, const gg_name *const *names, unsigned n, const char *parent,
                                  const char *format)
{
    unsigned *size;
    unsigned *next = group_names(c, names, n, &size);
    for (unsigned i = 0; i < n; i++) {
        if (size[i] < 2) continue;
        gg_error *e = parent ? gg_sdl_report(c, names[i]->loc, format, parent, names[i]->value)
                             : gg_sdl_report(c, names[i]->loc, format, names[i]->value);
        e->locations = gg_arena_array(c->errors->arena, size[i], sizeof *e->locations);
        e->location_count = 0;
        for (unsigned k = i; k < n; k = next[k])
            e->locations[e->location_count++] = names[k]->loc;
    }
}

/* True when the directive is undefined or defined by a prelude (not by the user's SDL). */
static bool defined_by_prelude(const gg_sdl_context *c, const gg_definition *def)
{
    if (def == NULL) return true;
    unsigned doc = gg_schema_document_of(c->schema, def);
    if (doc >= c->schema->document_count || c->doc_names == NULL) return false;
    const char *name = c->doc_names[doc];
    return strcmp(name, "appsync-prelude") == 0 || strcmp(name, "amplify-prelude") == 0;
}

bool gg_sdl_in_prelude(const gg_sdl_context *c, const gg_definition *def)
{
    return def != NULL && defined_by_prelude(c, def);
}

bool gg_sdl_is_type_definition(const gg_definition *def)
{
    return def->kind >= GG_DEF_SCALAR && def->kind <= GG_DEF_INPUT_OBJECT;
}

uint32_t gg_sdl_type_location(gg_definition_kind k)
{
    switch (k) {
    case GG_DEF_SCALAR:
        return GG_DL_SCALAR;
    case GG_DEF_OBJECT:
        return GG_DL_OBJECT;
    case GG_DEF_INTERFACE:
        return GG_DL_INTERFACE;
    case GG_DEF_UNION:
        return GG_DL_UNION;
    case GG_DEF_ENUM:
        return GG_DL_ENUM;
    case GG_DEF_INPUT_OBJECT:
        return GG_DL_INPUT_OBJECT;
    default:
        return GG_DL_SCHEMA;
    }
}

void gg_sdl_begin_map(gg_sdl_context *c, void *map)
{
    gg_strmap_init(map, c->arena);
}

void gg_sdl_check_first_definition(gg_sdl_context *c, const gg_definition *first, const gg_definition *def,
                                   const char *existing_format, const char *repeated_format)
{
    if (first == def) return;
    if (gg_sdl_in_prelude(c, first) && !gg_sdl_in_prelude(c, def)) {
        gg_sdl_report(c, def->name.loc, existing_format, def->name.value);
    } else {
        gg_error *e = gg_sdl_report(c, first->name.loc, repeated_format, def->name.value);
        gg_error_add_location(c->errors, e, def->name.loc);
    }
}

/* A member name seen across a type's definition and extensions. */
typedef struct member_seen {
    const gg_name *name;
    bool prelude; /* defined by a prelude: to the user, part of an existing schema */
} member_seen;

void gg_sdl_check_unique_member(gg_sdl_context *c, gg_strmap *maps, const char *type_name, const gg_name *name,
                                const char *what, bool prelude)
{
    gg_strmap *seen = gg_sdl_submap(c, maps, type_name);
    const member_seen *prev = gg_strmap_gets(seen, name->value);
    if (prev && prev->prelude && !prelude) {
        gg_sdl_report(c, name->loc,
                      "%s \"%s.%s\" already exists in the schema. It cannot also be defined in this type extension.",
                      what, type_name, name->value);
    } else if (prev) {
        gg_error *e =
            gg_sdl_report(c, prev->name->loc, "%s \"%s.%s\" can only be defined once.", what, type_name, name->value);
        gg_error_add_location(c->errors, e, name->loc);
    } else {
        member_seen *m = gg_arena_alloc(c->arena, sizeof *m);
        m->name = name;
        m->prelude = prelude;
        gg_strmap_put(seen, name->value, strlen(name->value), m);
    }
}

/* ---- the walk ---- */

typedef struct walk {
    gg_sdl_context *c;
    void *states[RULE_COUNT];
} walk;

#define EMIT(w, cb, ...)                                                                                               \
    do {                                                                                                               \
        for (unsigned i_ = 0; i_ < RULE_COUNT; i_++)                                                                   \
            if (sdl_rules[i_]->cb) sdl_rules[i_]->cb((w)->c, (w)->states[i_], __VA_ARGS__);                            \
    } while (0)

static void visit_named_type(walk *w, const gg_name *name)
{
    EMIT(w, enter_named_type, name);
}

static void visit_type_ref(walk *w, const gg_type_ref *ref)
{
    while (ref != NULL && ref->kind != GG_TYPE_REF_NAMED)
        ref = ref->of_type;
    if (ref != NULL) visit_named_type(w, &ref->name);
}

static void visit_value(walk *w, const gg_value *v)
{
    if (v == NULL) return;
    if (v->kind == GG_VALUE_LIST) {
        for (unsigned i = 0; i < v->item_count; i++)
            visit_value(w, v->items[i]);
    } else if (v->kind == GG_VALUE_OBJECT) {
        EMIT(w, enter_object_value, v);
        for (unsigned i = 0; i < v->field_count; i++) {
            EMIT(w, enter_object_field, &v->fields[i]);
            visit_value(w, v->fields[i].value);
        }
        EMIT(w, leave_object_value, v);
    }
}

static void visit_directive(walk *w, const gg_directive *d, uint32_t location)
{
    gg_sdl_context *c = w->c;
    const gg_definition *def = gg_strmap_gets(&c->directive_def, d->name.value);
    const char *refused = defined_by_prelude(c, def) ? gg_prelude_refused_directive(d->name.value) : NULL;
    if (refused) {
        gg_sdl_report(c, d->loc, "%s", refused);
        return;
    }
    EMIT(w, enter_directive, d, def, location);
    for (unsigned i = 0; i < d->arg_count; i++)
        visit_value(w, d->args[i].value);
    EMIT(w, leave_directive, d, def);
}

static void visit_directive_nodes(walk *w, const gg_directive *dirs, unsigned count, uint32_t location)
{
    for (unsigned i = 0; i < count; i++)
        visit_directive(w, &dirs[i], location);
}

/* The directives of a node other than a definition: first as a whole, then one by one. */
static void visit_member_directives(walk *w, const gg_directive *dirs, unsigned count, uint32_t location)
{
    EMIT(w, enter_directives, dirs, count, location);
}

static void visit_input_value(walk *w, const gg_input_value_def *v, uint32_t location)
{
    visit_member_directives(w, v->directives, v->directive_count, location);
    visit_type_ref(w, v->type);
    visit_value(w, v->default_value);
    visit_directive_nodes(w, v->directives, v->directive_count, location);
}

/* A definition, then its children in graphql-js's visitor key order. */
static void visit_definition(walk *w, const gg_definition *def)
{
    EMIT(w, enter_definition, def);
    uint32_t loc = def->kind == GG_DEF_SCHEMA ? GG_DL_SCHEMA : gg_sdl_type_location(def->kind);
    switch (def->kind) {
    case GG_DEF_SCHEMA:
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->operation_type_count; i++)
            visit_named_type(w, &def->operation_types[i].type);
        break;
    case GG_DEF_OBJECT:
    case GG_DEF_INTERFACE:
        for (unsigned i = 0; i < def->interface_count; i++)
            visit_named_type(w, &def->interfaces[i]);
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->field_count; i++) {
            const gg_field_def *f = &def->fields[i];
            visit_member_directives(w, f->directives, f->directive_count, GG_DL_FIELD_DEFINITION);
            for (unsigned k = 0; k < f->arg_count; k++)
                visit_input_value(w, &f->args[k], GG_DL_ARGUMENT_DEFINITION);
            visit_type_ref(w, f->type);
            visit_directive_nodes(w, f->directives, f->directive_count, GG_DL_FIELD_DEFINITION);
        }
        break;
    case GG_DEF_UNION:
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->type_count; i++)
            visit_named_type(w, &def->types[i]);
        break;
    case GG_DEF_ENUM:
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->value_count; i++) {
            const gg_enum_value_def *v = &def->values[i];
            visit_member_directives(w, v->directives, v->directive_count, GG_DL_ENUM_VALUE);
            visit_directive_nodes(w, v->directives, v->directive_count, GG_DL_ENUM_VALUE);
        }
        break;
    case GG_DEF_INPUT_OBJECT:
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->input_field_count; i++)
            visit_input_value(w, &def->input_fields[i], GG_DL_INPUT_FIELD_DEFINITION);
        break;
    case GG_DEF_SCALAR:
        visit_directive_nodes(w, def->directives, def->directive_count, loc);
        break;
    case GG_DEF_DIRECTIVE:
        for (unsigned i = 0; i < def->arg_count; i++)
            visit_input_value(w, &def->args[i], GG_DL_ARGUMENT_DEFINITION);
        break;
    default:
        break;
    }
}

static void add_type_name(gg_sdl_context *c, gg_strmap *seen, const char *name)
{
    if (gg_strmap_gets(seen, name) != NULL) return;
    gg_strmap_put(seen, name, strlen(name), (void *)name);
    GG_VEC_PUSH(c->arena, c->type_names, name);
}

bool gg_schema_check_sdl(const gg_schema *schema, unsigned first_user, const char *const *doc_names,
                         gg_error_list *errors)
{
    gg_arena scratch; /* the rules' maps and messages in the making; freed on return */
    gg_arena_init(&scratch);
    gg_sdl_context c = {.schema = schema, .errors = errors, .arena = &scratch, .doc_names = doc_names, .ok = true};
    gg_strmap_init(&c.std_types, c.arena);
    gg_strmap_init(&c.first_type_def, c.arena);
    gg_strmap_init(&c.last_type_def, c.arena);
    gg_strmap_init(&c.directive_def, c.arena);
    gg_strmap_init(&c.first_directive, c.arena);
    gg_strmap names_seen;
    gg_strmap_init(&names_seen, c.arena);

    for (unsigned d = 0; d < schema->document_count; d++) {
        const gg_document *doc = schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            const char *name = def->name.value;
            if (d < first_user) {
                if (gg_sdl_is_type_definition(def))
                    gg_strmap_put(&c.std_types, name, strlen(name), (void *)def);
                else if (def->kind == GG_DEF_DIRECTIVE)
                    gg_strmap_put(&c.directive_def, name, strlen(name), (void *)def);
                continue;
            }
            if (gg_sdl_is_type_definition(def) && !def->is_extension) {
                gg_strmap_put_new(&c.first_type_def, name, strlen(name), (void *)def);
                gg_strmap_put(&c.last_type_def, name, strlen(name), (void *)def);
                add_type_name(&c, &names_seen, name);
            } else if (def->kind == GG_DEF_DIRECTIVE) {
                gg_strmap_put_new(&c.first_directive, name, strlen(name), (void *)def);
                gg_strmap_put(&c.directive_def, name, strlen(name), (void *)def);
            }
        }
    }
    /* standard type names come after the defined ones in graphql-js's suggestion list */
    const gg_document *builtins = schema->documents[0];
    for (unsigned i = 0; i < builtins->definition_count; i++)
        if (gg_sdl_is_type_definition(&builtins->definitions[i]))
            add_type_name(&c, &names_seen, builtins->definitions[i].name.value);

    walk w = {.c = &c};
    for (unsigned i = 0; i < RULE_COUNT; i++) {
        w.states[i] = sdl_rules[i]->state_size ? gg_arena_alloc(c.arena, sdl_rules[i]->state_size) : NULL;
        if (sdl_rules[i]->begin) sdl_rules[i]->begin(&c, w.states[i]);
    }
    for (unsigned d = first_user; d < schema->document_count; d++) {
        const gg_document *doc = schema->documents[d];
        c.doc_name = doc_names ? doc_names[d] : NULL;
        for (unsigned i = 0; i < doc->definition_count; i++)
            visit_definition(&w, &doc->definitions[i]);
    }
    gg_arena_free(&scratch);
    return c.ok;
}

/* ---- values of directive arguments and defaults (ValuesOfCorrectType's messages) ---- */

static const char *print_value(gg_sdl_context *c, const gg_value *v)
{
    return gg_scalar_print_literal(c->arena, v);
}

static const char **names_of_enum(gg_sdl_context *c, const gg_type *t)
{
    const char **names = gg_arena_array(c->arena, t->enum_value_count + 1, sizeof *names);
    for (unsigned i = 0; i < t->enum_value_count; i++)
        names[i] = t->enum_values[i].name;
    return names;
}

static void check_value(gg_sdl_context *c, const gg_value *v, const gg_type *type);

static void check_object_value(gg_sdl_context *c, const gg_value *v, const gg_type *t)
{
    for (unsigned i = 0; i < t->input_field_count; i++) {
        const gg_input_value *f = &t->input_fields[i];
        bool given = false;
        for (unsigned k = 0; k < v->field_count && !given; k++)
            given = strcmp(v->fields[k].name.value, f->name) == 0;
        if (!given && f->type && f->type->kind == GG_KIND_NON_NULL && f->default_value == NULL)
            gg_sdl_report(c, v->loc, "Field \"%s.%s\" of required type \"%s\" was not provided.", t->name, f->name,
                          gg_type_to_string(c->arena, f->type));
    }
    if (t->is_one_of) {
        unsigned keys = 0; /* distinct names, like keyMap */
        for (unsigned k = 0; k < v->field_count; k++) {
            bool dup = false;
            for (unsigned j = 0; j < k && !dup; j++)
                dup = strcmp(v->fields[j].name.value, v->fields[k].name.value) == 0;
            keys += !dup;
        }
        if (keys != 1)
            gg_sdl_report(c, v->loc, "OneOf Input Object \"%s\" must specify exactly one key.", t->name);
        else if (v->fields[0].value == NULL || v->fields[0].value->kind == GG_VALUE_NULL)
            gg_sdl_report(c, v->loc, "Field \"%s.%s\" must be non-null.", t->name, v->fields[0].name.value);
    }
    for (unsigned k = 0; k < v->field_count; k++) {
        const gg_object_field *f = &v->fields[k];
        const gg_input_value *def = gg_type_find_input_field(t, f->name.value);
        if (def == NULL) {
            const char **names = gg_arena_array(c->arena, t->input_field_count + 1, sizeof *names);
            for (unsigned i = 0; i < t->input_field_count; i++)
                names[i] = t->input_fields[i].name;
            gg_sdl_report(c, f->loc, "Field \"%s\" is not defined by type \"%s\".%s", f->name.value, t->name,
                          gg_suggest_did_you_mean(c->arena, NULL, f->name.value, names, t->input_field_count));
            continue;
        }
        check_value(c, f->value, def->type);
    }
}

static void check_leaf_value(gg_sdl_context *c, const gg_value *v, const gg_type *location_type, const gg_type *t)
{
    if (t->kind == GG_KIND_ENUM) {
        const char **names = names_of_enum(c, t);
        const char *str = print_value(c, v);
        if (v->kind != GG_VALUE_ENUM)
            gg_sdl_report(c, v->loc, "Enum \"%s\" cannot represent non-enum value: %s.%s", t->name, str,
                          gg_suggest_did_you_mean(c->arena, "the enum value", str, names, t->enum_value_count));
        else if (gg_type_find_enum_value(t, v->text) == NULL)
            gg_sdl_report(c, v->loc, "Value \"%s\" does not exist in \"%s\" enum.%s", str, t->name,
                          gg_suggest_did_you_mean(c->arena, "the enum value", str, names, t->enum_value_count));
        return;
    }
    if (t->kind != GG_KIND_SCALAR || t->scalar == NULL || t->scalar->parse_literal == NULL) return;
    gg_val *out = NULL;
    gg_fault fault = {0};
    if (!t->scalar->parse_literal(c->arena, v, &out, &fault)) {
        if (fault.message)
            gg_sdl_report(c, v->loc, "%s", fault.message);
        else
            gg_sdl_report(c, v->loc, "Expected value of type \"%s\", found %s.",
                          gg_type_to_string(c->arena, location_type), print_value(c, v));
    }
}

/* graphql-js isValidValueNode: a leaf type's parseLiteral decides, anything else is wrong. */
static void check_whole_value(gg_sdl_context *c, const gg_value *v, const gg_type *type)
{
    const gg_type *named = gg_type_named(type);
    if (gg_type_is_leaf(named))
        check_leaf_value(c, v, type, named);
    else
        gg_sdl_report(c, v->loc, "Expected value of type \"%s\", found %s.", gg_type_to_string(c->arena, type),
                      print_value(c, v));
}

static void check_value(gg_sdl_context *c, const gg_value *v, const gg_type *type)
{
    if (v == NULL || type == NULL || v->kind == GG_VALUE_VARIABLE) return;
    if (v->kind == GG_VALUE_NULL) {
        if (type->kind == GG_KIND_NON_NULL)
            gg_sdl_report(c, v->loc, "Expected value of type \"%s\", found null.", gg_type_to_string(c->arena, type));
        return;
    }
    const gg_type *nullable = gg_type_nullable(type);
    if (v->kind == GG_VALUE_LIST) {
        if (nullable->kind == GG_KIND_LIST) {
            for (unsigned i = 0; i < v->item_count; i++)
                check_value(c, v->items[i], nullable->of_type);
            return;
        }
        /* a list where a single value is expected: a scalar may still accept it (JSON-like) */
        check_whole_value(c, v, type);
        return;
    }
    if (nullable->kind == GG_KIND_LIST) { /* a single value stands for a list of one */
        check_value(c, v, nullable->of_type);
        return;
    }
    const gg_type *named = gg_type_named(type);
    if (v->kind == GG_VALUE_OBJECT) {
        if (named->kind == GG_KIND_INPUT_OBJECT)
            check_object_value(c, v, named);
        else
            check_whole_value(c, v, type);
        return;
    }
    check_whole_value(c, v, type);
}

/* Only values meant for input types: other types are validateSchema's to report. */
static void check_input_value(gg_sdl_context *c, const gg_value *v, const gg_type *type)
{
    if (type != NULL && gg_type_is_input(type)) check_value(c, v, type);
}

static void check_applied(gg_sdl_context *c, const gg_directive *dirs, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        const gg_directive_def *def = gg_schema_find_directive(c->schema, dirs[i].name.value);
        if (def == NULL) continue;
        for (unsigned k = 0; k < dirs[i].arg_count; k++) {
            const gg_input_value *arg = gg_directive_find_arg(def, dirs[i].args[k].name.value);
            if (arg) check_input_value(c, dirs[i].args[k].value, arg->type);
        }
    }
}

static void check_input_value_defs(gg_sdl_context *c, const gg_input_value_def *defs, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        check_applied(c, defs[i].directives, defs[i].directive_count);
        if (defs[i].default_value)
            check_input_value(c, defs[i].default_value, gg_type_from_ast(c->schema, c->arena, defs[i].type));
    }
}

bool gg_schema_check_values(const gg_schema *schema, unsigned first_user, const char *const *doc_names,
                            gg_error_list *errors)
{
    gg_arena scratch; /* parsed literals, wrappers and messages in the making; freed on return */
    gg_arena_init(&scratch);
    gg_sdl_context c = {.schema = schema, .errors = errors, .arena = &scratch, .ok = true};
    for (unsigned d = first_user; d < schema->document_count; d++) {
        const gg_document *doc = schema->documents[d];
        c.doc_name = doc_names ? doc_names[d] : NULL;
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            check_applied(&c, def->directives, def->directive_count);
            for (unsigned k = 0; k < def->field_count; k++) {
                check_input_value_defs(&c, def->fields[k].args, def->fields[k].arg_count);
                check_applied(&c, def->fields[k].directives, def->fields[k].directive_count);
            }
            for (unsigned k = 0; k < def->value_count; k++)
                check_applied(&c, def->values[k].directives, def->values[k].directive_count);
            check_input_value_defs(&c, def->input_fields, def->input_field_count);
            if (def->kind == GG_DEF_DIRECTIVE) check_input_value_defs(&c, def->args, def->arg_count);
        }
    }
    gg_arena_free(&scratch);
    return c.ok;
}
