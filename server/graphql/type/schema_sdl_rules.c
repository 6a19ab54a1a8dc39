/* schema_sdl_rules.c: graphql-js's SDL validation (specifiedSDLRules) and value checks for
 * schema_build.c.
 *
 * graphql-js runs its rules as parallel visitors over one document, so errors come in the order
 * of the nodes, and within a node in the order of the rule list. We do the same with one walk
 * (visit_definition ... visit_directive) that calls the rules' checks at each node in that order:
 * LoneSchemaDefinition, UniqueOperationTypes, UniqueTypeNames, UniqueEnumValueNames,
 * UniqueFieldDefinitionNames, UniqueArgumentDefinitionNames, UniqueDirectiveNames, KnownTypeNames,
 * KnownDirectives, UniqueDirectivesPerLocation, PossibleTypeExtensions,
 * KnownArgumentNamesOnDirectives, UniqueArgumentNames, UniqueInputFieldNames,
 * ProvidedRequiredArgumentsOnDirectives. All the sources (preludes first) form one document, but
 * what a prelude defines counts as part of an existing schema (graphql-js's messages for
 * extending a schema: "... already exists in the schema ...").
 * Directives known are graphql-js's specified ones plus those defined in the documents; a
 * directive refused by the prelude (gg_prelude_refused_directive) gets its own message. */
#include "schema_sdl_rules.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../suggest.h"
#include "prelude.h"
#include "scalars.h"
#include "schema_build.h"

typedef struct sdl_ctx {
    const gg_schema *schema;
    gg_error_list *errors;
    gg_arena *arena; /* scratch, freed when the checks return */
    const char *doc_name;
    const char *const *doc_names; /* parallel to schema->documents, or NULL */
    bool ok;
    gg_strmap std_types;             /* specified scalars and introspection types */
    gg_strmap first_type_def;        /* name -> first type definition */
    gg_strmap last_type_def;         /* name -> last type definition (graphql-js definedTypes) */
    GG_VEC(const char *) type_names; /* for suggestions: defined then standard, unique */
    gg_strmap directive_def;         /* name -> directive definition (built-in, then user, last wins) */
    gg_strmap first_directive;       /* name -> first user directive definition */
    /* rule state */
    unsigned schema_definitions;
    const gg_operation_type_def *operation_seen[3];
    gg_strmap enum_values_seen;     /* type name -> gg_strmap* (value name -> gg_name*) */
    gg_strmap fields_seen;          /* type name -> gg_strmap* (field name -> gg_name*) */
    gg_strmap type_directives_seen; /* type name -> gg_strmap* (directive name -> gg_directive*) */
    gg_strmap schema_directives_seen;
} sdl_ctx;

/* ---- helpers ---- */

static gg_error *report(sdl_ctx *c, gg_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static gg_error *report(sdl_ctx *c, gg_loc loc, const char *fmt, ...)
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

static gg_strmap *submap(sdl_ctx *c, gg_strmap *maps, const char *key)
{
    gg_strmap *m = gg_strmap_gets(maps, key);
    if (m == NULL) {
        m = gg_arena_alloc(c->arena, sizeof *m);
        gg_strmap_init(m, c->arena);
        gg_strmap_put(maps, key, strlen(key), m);
    }
    return m;
}

static void type_ref_to_buf(gg_buf *out, const gg_type_ref *ref)
{
    if (ref == NULL) return;
    if (ref->kind == GG_TYPE_REF_NAMED) {
        gg_buf_puts(out, ref->name.value);
    } else if (ref->kind == GG_TYPE_REF_LIST) {
        gg_buf_putc(out, '[');
        type_ref_to_buf(out, ref->of_type);
        gg_buf_putc(out, ']');
    } else {
        type_ref_to_buf(out, ref->of_type);
        gg_buf_putc(out, '!');
    }
}

static const char *type_ref_string(gg_arena *arena, const gg_type_ref *ref)
{
    gg_buf b;
    gg_buf_init(&b);
    type_ref_to_buf(&b, ref);
    const char *s = gg_arena_strndup(arena, b.data ? b.data : "", b.len);
    gg_buf_free(&b);
    return s;
}

/* graphql-js groupBy on names, in O(n): next[i] is the next index with the same name (n: none)
 * and size[i], at a name's first index, how many times it occurs (0 elsewhere). */
static unsigned *group_names(sdl_ctx *c, const gg_name *const *names, unsigned n, unsigned **size_out)
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
static void report_repeated_names(sdl_ctx *c, const gg_name *const *names, unsigned n, const char *parent,
                                  const char *format)
{
    unsigned *size;
    unsigned *next = group_names(c, names, n, &size);
    for (unsigned i = 0; i < n; i++) {
        if (size[i] < 2) continue;
        gg_error *e = parent ? report(c, names[i]->loc, format, parent, names[i]->value)
                             : report(c, names[i]->loc, format, names[i]->value);
        e->locations = gg_arena_array(c->errors->arena, size[i], sizeof *e->locations);
        e->location_count = 0;
        for (unsigned k = i; k < n; k = next[k])
            e->locations[e->location_count++] = names[k]->loc;
    }
}

/* ---- the walk ---- */

static const char *operation_name(gg_operation_kind op)
{
    return op == GG_OP_QUERY ? "query" : op == GG_OP_MUTATION ? "mutation" : "subscription";
}

static bool is_type_definition(const gg_definition *def)
{
    return def->kind >= GG_DEF_SCALAR && def->kind <= GG_DEF_INPUT_OBJECT;
}

/* KnownTypeNames on one NamedType node. */
static void check_named_type(sdl_ctx *c, const gg_name *name)
{
    if (name->value == NULL || gg_strmap_gets(&c->last_type_def, name->value) ||
        gg_strmap_gets(&c->std_types, name->value))
        return;
    report(c, name->loc, "Unknown type \"%s\".%s", name->value,
           gg_suggest_did_you_mean(c->arena, NULL, name->value, c->type_names.items, c->type_names.count));
}

static void check_type_ref(sdl_ctx *c, const gg_type_ref *ref)
{
    while (ref != NULL && ref->kind != GG_TYPE_REF_NAMED)
        ref = ref->of_type;
    if (ref != NULL) check_named_type(c, &ref->name);
}

/* UniqueInputFieldNames, at every object value (each has its own scope). */
static void visit_value(sdl_ctx *c, const gg_value *v)
{
    if (v == NULL) return;
    if (v->kind == GG_VALUE_LIST) {
        for (unsigned i = 0; i < v->item_count; i++)
            visit_value(c, v->items[i]);
    } else if (v->kind == GG_VALUE_OBJECT) {
        gg_strmap known; /* name -> its first node */
        gg_strmap_init(&known, c->arena);
        for (unsigned i = 0; i < v->field_count; i++) {
            const gg_object_field *f = &v->fields[i];
            const gg_name *first = gg_strmap_put_new(&known, f->name.value, strlen(f->name.value), (void *)&f->name);
            if (first != &f->name) {
                gg_error *e = report(c, first->loc, "There can be only one input field named \"%s\".", f->name.value);
                gg_error_add_location(c->errors, e, f->name.loc);
            }
            visit_value(c, f->value);
        }
    }
}

static const char *location_name(uint32_t bit)
{
    const char *n = gg_directive_location_name(bit);
    return n ? n : "UNKNOWN";
}

/* KnownDirectives, KnownArgumentNamesOnDirectives, UniqueArgumentNames, (values),
 * ProvidedRequiredArgumentsOnDirectives. */
/* True when the directive is undefined or defined by a prelude (not by the user's SDL). */
static bool defined_by_prelude(const sdl_ctx *c, const gg_definition *def)
{
    if (def == NULL) return true;
    unsigned doc = gg_schema_document_of(c->schema, def);
    if (doc >= c->schema->document_count || c->doc_names == NULL) return false;
    const char *name = c->doc_names[doc];
    return strcmp(name, "appsync-prelude") == 0 || strcmp(name, "amplify-prelude") == 0;
}

/* True when def comes from a prelude, which the user's SDL sees as an existing schema. */
static bool in_prelude(const sdl_ctx *c, const gg_definition *def)
{
    return def != NULL && defined_by_prelude(c, def);
}

static void visit_directive(sdl_ctx *c, const gg_directive *d, uint32_t location)
{
    const char *name = d->name.value;
    const gg_definition *def = gg_strmap_gets(&c->directive_def, name);
    const char *refused = defined_by_prelude(c, def) ? gg_prelude_refused_directive(name) : NULL;
    if (refused) {
        report(c, d->loc, "%s", refused);
        return;
    }
    if (def == NULL) {
        report(c, d->loc, "Unknown directive \"@%s\".", name);
    } else if ((def->locations & location) == 0) {
        report(c, d->loc, "Directive \"@%s\" may not be used on %s.", name, location_name(location));
    }
    if (def != NULL) {
        for (unsigned i = 0; i < d->arg_count; i++) {
            const char *arg = d->args[i].name.value;
            bool known = false;
            for (unsigned k = 0; k < def->arg_count && !known; k++)
                known = strcmp(def->args[k].name.value, arg) == 0;
            if (known) continue;
            const char **names = gg_arena_array(c->arena, def->arg_count + 1, sizeof *names);
            for (unsigned k = 0; k < def->arg_count; k++)
                names[k] = def->args[k].name.value;
            report(c, d->args[i].loc, "Unknown argument \"%s\" on directive \"@%s\".%s", arg, name,
                   gg_suggest_did_you_mean(c->arena, NULL, arg, names, def->arg_count));
        }
    }
    /* UniqueArgumentNames: all the nodes of a repeated name, reported at its first occurrence */
    const gg_name **names = gg_arena_array(c->arena, d->arg_count + 1, sizeof *names);
    for (unsigned i = 0; i < d->arg_count; i++)
        names[i] = &d->args[i].name;
    report_repeated_names(c, names, d->arg_count, NULL, "There can be only one argument named \"%s\".");
    for (unsigned i = 0; i < d->arg_count; i++)
        visit_value(c, d->args[i].value);
    if (def != NULL) {
        for (unsigned k = 0; k < def->arg_count; k++) {
            const gg_input_value_def *a = &def->args[k];
            if (a->type->kind != GG_TYPE_REF_NON_NULL || a->default_value != NULL) continue;
            bool given = false;
            for (unsigned i = 0; i < d->arg_count && !given; i++)
                given = strcmp(d->args[i].name.value, a->name.value) == 0;
            if (!given)
                report(c, d->loc,
                       "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.", name,
                       a->name.value, type_ref_string(c->arena, a->type));
        }
    }
}

/* UniqueDirectivesPerLocation for one node, then each directive. seen may be shared by a type's
 * definition and extensions (or by schema definitions); NULL gives a fresh scope. */
static void visit_directives(sdl_ctx *c, const gg_directive *dirs, unsigned count, uint32_t location, gg_strmap *seen)
{
    gg_strmap fresh;
    if (seen == NULL) {
        gg_strmap_init(&fresh, c->arena);
        seen = &fresh;
    }
    for (unsigned i = 0; i < count; i++) {
        const gg_definition *def = gg_strmap_gets(&c->directive_def, dirs[i].name.value);
        if (def == NULL || def->repeatable) continue;
        const gg_directive *prev = gg_strmap_gets(seen, dirs[i].name.value);
        if (prev) {
            gg_error *e = report(c, prev->loc, "The directive \"@%s\" can only be used once at this location.",
                                 dirs[i].name.value);
            gg_error_add_location(c->errors, e, dirs[i].loc);
        } else {
            gg_strmap_put(seen, dirs[i].name.value, strlen(dirs[i].name.value), (void *)&dirs[i]);
        }
    }
}

static void visit_directive_nodes(sdl_ctx *c, const gg_directive *dirs, unsigned count, uint32_t location)
{
    for (unsigned i = 0; i < count; i++)
        visit_directive(c, &dirs[i], location);
}

static void visit_input_value(sdl_ctx *c, const gg_input_value_def *v, uint32_t location)
{
    visit_directives(c, v->directives, v->directive_count, location, NULL);
    check_type_ref(c, v->type);
    visit_value(c, v->default_value);
    visit_directive_nodes(c, v->directives, v->directive_count, location);
}

/* UniqueArgumentDefinitionNames for one list of argument definitions. */
static void check_arg_uniqueness(sdl_ctx *c, const char *parent, const gg_input_value_def *args, unsigned count)
{
    const gg_name **names = gg_arena_array(c->arena, count + 1, sizeof *names);
    for (unsigned i = 0; i < count; i++)
        names[i] = &args[i].name;
    report_repeated_names(c, names, count, parent, "Argument \"%s(%s:)\" can only be defined once.");
}

/* UniqueFieldDefinitionNames / UniqueEnumValueNames: names seen across a type's definition and
 * extensions. */
typedef struct member_seen {
    const gg_name *name;
    bool prelude; /* defined by a prelude: to the user, part of an existing schema */
} member_seen;

static void check_unique_member(sdl_ctx *c, gg_strmap *maps, const char *type_name, const gg_name *name,
                                const char *what, bool prelude)
{
    gg_strmap *seen = submap(c, maps, type_name);
    const member_seen *prev = gg_strmap_gets(seen, name->value);
    if (prev && prev->prelude && !prelude) {
        report(c, name->loc,
               "%s \"%s.%s\" already exists in the schema. It cannot also be defined in this type extension.", what,
               type_name, name->value);
    } else if (prev) {
        gg_error *e =
            report(c, prev->name->loc, "%s \"%s.%s\" can only be defined once.", what, type_name, name->value);
        gg_error_add_location(c->errors, e, name->loc);
    } else {
        member_seen *m = gg_arena_alloc(c->arena, sizeof *m);
        m->name = name;
        m->prelude = prelude;
        gg_strmap_put(seen, name->value, strlen(name->value), m);
    }
}

static const char *kind_word(gg_definition_kind k)
{
    switch (k) {
    case GG_DEF_SCALAR:
        return "scalar";
    case GG_DEF_OBJECT:
        return "object";
    case GG_DEF_INTERFACE:
        return "interface";
    case GG_DEF_UNION:
        return "union";
    case GG_DEF_ENUM:
        return "enum";
    case GG_DEF_INPUT_OBJECT:
        return "input object";
    default:
        return "unknown";
    }
}

static uint32_t type_location(gg_definition_kind k)
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

static void check_possible_extension(sdl_ctx *c, const gg_definition *ext)
{
    const char *name = ext->name.value;
    const gg_definition *def = gg_strmap_gets(&c->last_type_def, name);
    if (def != NULL) {
        if (def->kind != ext->kind && in_prelude(c, def) && !in_prelude(c, ext)) {
            report(c, ext->loc, "Cannot extend non-%s type \"%s\".", kind_word(ext->kind), name);
        } else if (def->kind != ext->kind) {
            gg_error *e = report(c, def->loc, "Cannot extend non-%s type \"%s\".", kind_word(ext->kind), name);
            gg_error_add_location(c->errors, e, ext->loc);
        }
        return;
    }
    const char **names = gg_arena_array(c->arena, c->first_type_def.count + 1, sizeof *names);
    unsigned n = 0;
    for (unsigned i = 0; i < c->type_names.count; i++)
        if (gg_strmap_gets(&c->last_type_def, c->type_names.items[i])) names[n++] = c->type_names.items[i];
    report(c, ext->name.loc, "Cannot extend type \"%s\" because it is not defined.%s", name,
           gg_suggest_did_you_mean(c->arena, NULL, name, names, n));
}

static void visit_definition(sdl_ctx *c, const gg_definition *def)
{
    const char *name = def->name.value;
    bool prelude = in_prelude(c, def);
    /* LoneSchemaDefinition, UniqueOperationTypes */
    if (def->kind == GG_DEF_SCHEMA) {
        if (!def->is_extension && c->schema_definitions++ > 0)
            report(c, def->loc, "Must provide only one schema definition.");
        for (unsigned i = 0; i < def->operation_type_count; i++) {
            const gg_operation_type_def *op = &def->operation_types[i];
            const gg_operation_type_def *prev = c->operation_seen[op->operation];
            if (prev) {
                gg_error *e =
                    report(c, prev->loc, "There can be only one %s type in schema.", operation_name(op->operation));
                gg_error_add_location(c->errors, e, op->loc);
            } else {
                c->operation_seen[op->operation] = op;
            }
        }
    }
    /* UniqueTypeNames */
    if (is_type_definition(def) && !def->is_extension) {
        const gg_definition *first = gg_strmap_gets(&c->first_type_def, name);
        if (first != def && in_prelude(c, first) && !prelude) {
            report(c, def->name.loc,
                   "Type \"%s\" already exists in the schema. It cannot also be defined in this type definition.",
                   name);
        } else if (first != def) {
            gg_error *e = report(c, first->name.loc, "There can be only one type named \"%s\".", name);
            gg_error_add_location(c->errors, e, def->name.loc);
        }
    }
    /* UniqueEnumValueNames, UniqueFieldDefinitionNames */
    if (def->kind == GG_DEF_ENUM)
        for (unsigned i = 0; i < def->value_count; i++)
            check_unique_member(c, &c->enum_values_seen, name, &def->values[i].name, "Enum value", prelude);
    if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
        for (unsigned i = 0; i < def->field_count; i++)
            check_unique_member(c, &c->fields_seen, name, &def->fields[i].name, "Field", prelude);
    if (def->kind == GG_DEF_INPUT_OBJECT)
        for (unsigned i = 0; i < def->input_field_count; i++)
            check_unique_member(c, &c->fields_seen, name, &def->input_fields[i].name, "Field", prelude);
    /* UniqueArgumentDefinitionNames */
    if (def->kind == GG_DEF_DIRECTIVE)
        check_arg_uniqueness(c, gg_arena_printf(c->arena, "@%s", name), def->args, def->arg_count);
    if (def->kind == GG_DEF_OBJECT || def->kind == GG_DEF_INTERFACE)
        for (unsigned i = 0; i < def->field_count; i++)
            check_arg_uniqueness(c, gg_arena_printf(c->arena, "%s.%s", name, def->fields[i].name.value),
                                 def->fields[i].args, def->fields[i].arg_count);
    /* UniqueDirectiveNames */
    if (def->kind == GG_DEF_DIRECTIVE) {
        const gg_definition *first = gg_strmap_gets(&c->first_directive, name);
        if (first != def && in_prelude(c, first) && !prelude) {
            report(c, def->name.loc, "Directive \"@%s\" already exists in the schema. It cannot be redefined.", name);
        } else if (first != def) {
            gg_error *e = report(c, first->name.loc, "There can be only one directive named \"@%s\".", name);
            gg_error_add_location(c->errors, e, def->name.loc);
        }
    }
    /* UniqueDirectivesPerLocation on the definition itself */
    if (def->kind == GG_DEF_SCHEMA)
        visit_directives(c, def->directives, def->directive_count, GG_DL_SCHEMA, &c->schema_directives_seen);
    else if (is_type_definition(def))
        visit_directives(c, def->directives, def->directive_count, type_location(def->kind),
                         submap(c, &c->type_directives_seen, name));
    /* PossibleTypeExtensions */
    if (is_type_definition(def) && def->is_extension) check_possible_extension(c, def);

    /* children, in graphql-js's visitor key order */
    uint32_t loc = def->kind == GG_DEF_SCHEMA ? GG_DL_SCHEMA : type_location(def->kind);
    switch (def->kind) {
    case GG_DEF_SCHEMA:
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->operation_type_count; i++)
            check_named_type(c, &def->operation_types[i].type);
        break;
    case GG_DEF_OBJECT:
    case GG_DEF_INTERFACE:
        for (unsigned i = 0; i < def->interface_count; i++)
            check_named_type(c, &def->interfaces[i]);
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->field_count; i++) {
            const gg_field_def *f = &def->fields[i];
            visit_directives(c, f->directives, f->directive_count, GG_DL_FIELD_DEFINITION, NULL);
            for (unsigned k = 0; k < f->arg_count; k++)
                visit_input_value(c, &f->args[k], GG_DL_ARGUMENT_DEFINITION);
            check_type_ref(c, f->type);
            visit_directive_nodes(c, f->directives, f->directive_count, GG_DL_FIELD_DEFINITION);
        }
        break;
    case GG_DEF_UNION:
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->type_count; i++)
            check_named_type(c, &def->types[i]);
        break;
    case GG_DEF_ENUM:
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->value_count; i++) {
            const gg_enum_value_def *v = &def->values[i];
            visit_directives(c, v->directives, v->directive_count, GG_DL_ENUM_VALUE, NULL);
            visit_directive_nodes(c, v->directives, v->directive_count, GG_DL_ENUM_VALUE);
        }
        break;
    case GG_DEF_INPUT_OBJECT:
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        for (unsigned i = 0; i < def->input_field_count; i++)
            visit_input_value(c, &def->input_fields[i], GG_DL_INPUT_FIELD_DEFINITION);
        break;
    case GG_DEF_SCALAR:
        visit_directive_nodes(c, def->directives, def->directive_count, loc);
        break;
    case GG_DEF_DIRECTIVE:
        for (unsigned i = 0; i < def->arg_count; i++)
            visit_input_value(c, &def->args[i], GG_DL_ARGUMENT_DEFINITION);
        break;
    default:
        break;
    }
}

static void add_type_name(sdl_ctx *c, gg_strmap *seen, const char *name)
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
    sdl_ctx c = {.schema = schema, .errors = errors, .arena = &scratch, .doc_names = doc_names, .ok = true};
    gg_strmap_init(&c.std_types, c.arena);
    gg_strmap_init(&c.first_type_def, c.arena);
    gg_strmap_init(&c.last_type_def, c.arena);
    gg_strmap_init(&c.directive_def, c.arena);
    gg_strmap_init(&c.first_directive, c.arena);
    gg_strmap_init(&c.enum_values_seen, c.arena);
    gg_strmap_init(&c.fields_seen, c.arena);
    gg_strmap_init(&c.type_directives_seen, c.arena);
    gg_strmap_init(&c.schema_directives_seen, c.arena);
    gg_strmap names_seen;
    gg_strmap_init(&names_seen, c.arena);

    for (unsigned d = 0; d < schema->document_count; d++) {
        const gg_document *doc = schema->documents[d];
        for (unsigned i = 0; i < doc->definition_count; i++) {
            const gg_definition *def = &doc->definitions[i];
            const char *name = def->name.value;
            if (d < first_user) {
                if (is_type_definition(def))
                    gg_strmap_put(&c.std_types, name, strlen(name), (void *)def);
                else if (def->kind == GG_DEF_DIRECTIVE)
                    gg_strmap_put(&c.directive_def, name, strlen(name), (void *)def);
                continue;
            }
            if (is_type_definition(def) && !def->is_extension) {
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
        if (is_type_definition(&builtins->definitions[i]))
            add_type_name(&c, &names_seen, builtins->definitions[i].name.value);

    for (unsigned d = first_user; d < schema->document_count; d++) {
        const gg_document *doc = schema->documents[d];
        c.doc_name = doc_names ? doc_names[d] : NULL;
        for (unsigned i = 0; i < doc->definition_count; i++)
            visit_definition(&c, &doc->definitions[i]);
    }
    gg_arena_free(&scratch);
    return c.ok;
}

/* ---- values of directive arguments and defaults (ValuesOfCorrectType's messages) ---- */

static const char *print_value(sdl_ctx *c, const gg_value *v)
{
    return gg_scalar_print_literal(c->arena, v);
}

static const char **names_of_enum(sdl_ctx *c, const gg_type *t)
{
    const char **names = gg_arena_array(c->arena, t->enum_value_count + 1, sizeof *names);
    for (unsigned i = 0; i < t->enum_value_count; i++)
        names[i] = t->enum_values[i].name;
    return names;
}

static void check_value(sdl_ctx *c, const gg_value *v, const gg_type *type);

static void check_object_value(sdl_ctx *c, const gg_value *v, const gg_type *t)
{
    for (unsigned i = 0; i < t->input_field_count; i++) {
        const gg_input_value *f = &t->input_fields[i];
        bool given = false;
        for (unsigned k = 0; k < v->field_count && !given; k++)
            given = strcmp(v->fields[k].name.value, f->name) == 0;
        if (!given && f->type && f->type->kind == GG_KIND_NON_NULL && f->default_value == NULL)
            report(c, v->loc, "Field \"%s.%s\" of required type \"%s\" was not provided.", t->name, f->name,
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
            report(c, v->loc, "OneOf Input Object \"%s\" must specify exactly one key.", t->name);
        else if (v->fields[0].value == NULL || v->fields[0].value->kind == GG_VALUE_NULL)
            report(c, v->loc, "Field \"%s.%s\" must be non-null.", t->name, v->fields[0].name.value);
    }
    for (unsigned k = 0; k < v->field_count; k++) {
        const gg_object_field *f = &v->fields[k];
        const gg_input_value *def = gg_type_find_input_field(t, f->name.value);
        if (def == NULL) {
            const char **names = gg_arena_array(c->arena, t->input_field_count + 1, sizeof *names);
            for (unsigned i = 0; i < t->input_field_count; i++)
                names[i] = t->input_fields[i].name;
            report(c, f->loc, "Field \"%s\" is not defined by type \"%s\".%s", f->name.value, t->name,
                   gg_suggest_did_you_mean(c->arena, NULL, f->name.value, names, t->input_field_count));
            continue;
        }
        check_value(c, f->value, def->type);
    }
}

static void check_leaf_value(sdl_ctx *c, const gg_value *v, const gg_type *location_type, const gg_type *t)
{
    if (t->kind == GG_KIND_ENUM) {
        const char **names = names_of_enum(c, t);
        const char *str = print_value(c, v);
        if (v->kind != GG_VALUE_ENUM)
            report(c, v->loc, "Enum \"%s\" cannot represent non-enum value: %s.%s", t->name, str,
                   gg_suggest_did_you_mean(c->arena, "the enum value", str, names, t->enum_value_count));
        else if (gg_type_find_enum_value(t, v->text) == NULL)
            report(c, v->loc, "Value \"%s\" does not exist in \"%s\" enum.%s", str, t->name,
                   gg_suggest_did_you_mean(c->arena, "the enum value", str, names, t->enum_value_count));
        return;
    }
    if (t->kind != GG_KIND_SCALAR || t->scalar == NULL || t->scalar->parse_literal == NULL) return;
    gg_val *out = NULL;
    const char *error = NULL;
    if (!t->scalar->parse_literal(c->arena, v, &out, &error)) {
        if (error)
            report(c, v->loc, "%s", error);
        else
            report(c, v->loc, "Expected value of type \"%s\", found %s.", gg_type_to_string(c->arena, location_type),
                   print_value(c, v));
    }
}

/* graphql-js isValidValueNode: a leaf type's parseLiteral decides, anything else is wrong. */
static void check_whole_value(sdl_ctx *c, const gg_value *v, const gg_type *type)
{
    const gg_type *named = gg_type_named(type);
    if (gg_type_is_leaf(named))
        check_leaf_value(c, v, type, named);
    else
        report(c, v->loc, "Expected value of type \"%s\", found %s.", gg_type_to_string(c->arena, type),
               print_value(c, v));
}

static void check_value(sdl_ctx *c, const gg_value *v, const gg_type *type)
{
    if (v == NULL || type == NULL || v->kind == GG_VALUE_VARIABLE) return;
    if (v->kind == GG_VALUE_NULL) {
        if (type->kind == GG_KIND_NON_NULL)
            report(c, v->loc, "Expected value of type \"%s\", found null.", gg_type_to_string(c->arena, type));
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
static void check_input_value(sdl_ctx *c, const gg_value *v, const gg_type *type)
{
    if (type != NULL && gg_type_is_input(type)) check_value(c, v, type);
}

static void check_applied(sdl_ctx *c, const gg_directive *dirs, unsigned count)
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

static void check_input_value_defs(sdl_ctx *c, const gg_input_value_def *defs, unsigned count)
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
    sdl_ctx c = {.schema = schema, .errors = errors, .arena = &scratch, .ok = true};
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
