/* schema_validate.c: graphql-js validateSchema (src/type/validate.ts) on a built gg_schema.
 *
 * The checks run in graphql-js's order (root types, directives, then every type in type-map
 * order) with its messages word for word, and locations taken from the AST nodes graphql-js
 * would name. Built-in types and directives (spec and introspection) are valid by construction
 * and have no locations in graphql-js, so they are skipped. */
#include <stdint.h>
#include <string.h>

#include "schema_build.h"

typedef struct vctx {
    const gg_schema *schema;
    const char *const *doc_names;
    gg_error_list *errors;
    gg_arena *arena; /* scratch, for type strings: the error list's arena */
    const char *doc_name;
    bool ok;
} vctx;

/* Starts an error without a location; locations are added by the caller (none for built-ins). */
static gg_error *report(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static gg_error *report(vctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gg_error *e = gg_error_addv(c->errors, fmt, ap);
    va_end(ap);
    if (c->doc_name) e->detail = gg_arena_strdup(c->errors->arena, c->doc_name);
    c->ok = false;
    return e;
}

static void at(vctx *c, gg_error *e, const gg_loc *loc)
{
    if (loc) gg_error_add_location(c->errors, e, *loc);
}

static void set_doc(vctx *c, const gg_definition *def)
{
    c->doc_name = NULL;
    if (def == NULL || c->doc_names == NULL) return;
    unsigned i = gg_schema_document_of(c->schema, def);
    if (i < c->schema->document_count) c->doc_name = c->doc_names[i];
}

static const char *str(vctx *c, const gg_type *t)
{
    return gg_type_to_string(c->arena, t);
}

static void all_nodes_at(vctx *c, gg_error *e, const gg_type *t)
{
    for (unsigned i = 0; i < t->ast_node_count; i++)
        gg_error_add_location(c->errors, e, t->ast_nodes[i]->loc);
}

static bool is_required(const gg_input_value *v)
{
    return v->type && v->type->kind == GG_KIND_NON_NULL && v->default_value == NULL;
}

static const gg_directive *deprecated_node(const gg_input_value *v)
{
    if (v->ast == NULL) return NULL;
    for (unsigned i = 0; i < v->ast->directive_count; i++)
        if (strcmp(v->ast->directives[i].name.value, "deprecated") == 0) return &v->ast->directives[i];
    return NULL;
}

static void validate_name(vctx *c, const char *name, const gg_loc *loc)
{
    if (name[0] == '_' && name[1] == '_') {
        gg_error *e =
            report(c, "Name \"%s\" must not begin with \"__\", which is reserved by GraphQL introspection.", name);
        at(c, e, loc);
    }
}

/* ---- root types ---- */

static const gg_name *operation_type_node(const gg_schema *s, gg_operation_kind op)
{
    for (unsigned i = 0; i < s->schema_ast_node_count; i++) {
        const gg_definition *d = s->schema_ast_nodes[i];
        for (unsigned k = 0; k < d->operation_type_count; k++)
            if (d->operation_types[k].operation == op) return &d->operation_types[k].type;
    }
    return NULL;
}

static void validate_root(vctx *c, const gg_type *t, gg_operation_kind op, const char *label)
{
    const gg_name *node = operation_type_node(c->schema, op);
    set_doc(c, t->ast_node_count ? t->ast_nodes[0] : NULL);
    gg_error *e = op == GG_OP_QUERY
                      ? report(c, "Query root type must be Object type, it cannot be %s.", t->name)
                      : report(c, "%s root type must be Object type if provided, it cannot be %s.", label, t->name);
    if (node)
        at(c, e, &node->loc);
    else if (t->ast_node_count)
        at(c, e, &t->ast_nodes[0]->loc);
}

static void validate_root_types(vctx *c)
{
    const gg_schema *s = c->schema;
    if (s->query_type == NULL) {
        set_doc(c, s->schema_ast_node_count ? s->schema_ast_nodes[0] : NULL);
        gg_error *e = report(c, "Query root type must be provided.");
        for (unsigned i = 0; i < s->schema_ast_node_count; i++)
            if (!s->schema_ast_nodes[i]->is_extension) {
                at(c, e, &s->schema_ast_nodes[i]->loc);
                break;
            }
    } else if (s->query_type->kind != GG_KIND_OBJECT) {
        validate_root(c, s->query_type, GG_OP_QUERY, "Query");
    }
    if (s->mutation_type && s->mutation_type->kind != GG_KIND_OBJECT)
        validate_root(c, s->mutation_type, GG_OP_MUTATION, "Mutation");
    if (s->subscription_type && s->subscription_type->kind != GG_KIND_OBJECT)
        validate_root(c, s->subscription_type, GG_OP_SUBSCRIPTION, "Subscription");
}

/* ---- directives ---- */

static void validate_directives(vctx *c)
{
    for (unsigned i = 0; i < c->schema->directive_count; i++) {
        const gg_directive_def *d = c->schema->directives[i];
        if (d->is_builtin) continue;
        set_doc(c, d->ast);
        validate_name(c, d->name, d->ast ? &d->ast->loc : NULL);
        for (unsigned k = 0; k < d->arg_count; k++) {
            const gg_input_value *arg = &d->args[k];
            validate_name(c, arg->name, arg->ast ? &arg->ast->loc : NULL);
            if (!gg_type_is_input(arg->type)) {
                gg_error *e = report(c, "The type of @%s(%s:) must be Input Type but got: %s.", d->name, arg->name,
                                     str(c, arg->type));
                at(c, e, arg->ast ? &arg->ast->loc : NULL);
            }
            if (is_required(arg) && arg->deprecation_reason != NULL) {
                gg_error *e = report(c, "Required argument @%s(%s:) cannot be deprecated.", d->name, arg->name);
                const gg_directive *dep = deprecated_node(arg);
                at(c, e, dep ? &dep->loc : NULL);
                at(c, e, arg->ast && arg->ast->type ? &arg->ast->type->loc : NULL);
            }
        }
    }
}

/* ---- object and interface types ---- */

static void validate_fields(vctx *c, const gg_type *t)
{
    if (t->field_count == 0) {
        gg_error *e = report(c, "Type %s must define one or more fields.", t->name);
        all_nodes_at(c, e, t);
    }
    for (unsigned i = 0; i < t->field_count; i++) {
        const gg_field *f = &t->fields[i];
        validate_name(c, f->name, f->ast ? &f->ast->loc : NULL);
        if (!gg_type_is_output(f->type)) {
            gg_error *e =
                report(c, "The type of %s.%s must be Output Type but got: %s.", t->name, f->name, str(c, f->type));
            at(c, e, f->ast && f->ast->type ? &f->ast->type->loc : NULL);
        }
        for (unsigned k = 0; k < f->arg_count; k++) {
            const gg_input_value *arg = &f->args[k];
            validate_name(c, arg->name, arg->ast ? &arg->ast->loc : NULL);
            if (!gg_type_is_input(arg->type)) {
                gg_error *e = report(c, "The type of %s.%s(%s:) must be Input Type but got: %s.", t->name, f->name,
                                     arg->name, str(c, arg->type));
                at(c, e, arg->ast && arg->ast->type ? &arg->ast->type->loc : NULL);
            }
            if (is_required(arg) && arg->deprecation_reason != NULL) {
                gg_error *e =
                    report(c, "Required argument %s.%s(%s:) cannot be deprecated.", t->name, f->name, arg->name);
                const gg_directive *dep = deprecated_node(arg);
                at(c, e, dep ? &dep->loc : NULL);
                at(c, e, arg->ast && arg->ast->type ? &arg->ast->type->loc : NULL);
            }
        }
    }
}

/* getAllImplementsInterfaceNodes: every `implements X` naming iface, in the type's nodes. */
static void implements_nodes_at(vctx *c, gg_error *e, const gg_type *t, const gg_type *iface)
{
    for (unsigned n = 0; n < t->ast_node_count; n++) {
        const gg_definition *d = t->ast_nodes[n];
        for (unsigned i = 0; i < d->interface_count; i++)
            if (strcmp(d->interfaces[i].value, iface->name) == 0)
                gg_error_add_location(c->errors, e, d->interfaces[i].loc);
    }
}

static bool has_interface(const gg_type *t, const gg_type *iface)
{
    for (unsigned i = 0; i < t->interface_count; i++)
        if (t->interfaces[i] == iface) return true;
    return false;
}

static void validate_implements_ancestors(vctx *c, const gg_type *t, const gg_type *iface)
{
    for (unsigned i = 0; i < iface->interface_count; i++) {
        const gg_type *transitive = iface->interfaces[i];
        if (has_interface(t, transitive)) continue;
        gg_error *e = transitive == t
                          ? report(c, "Type %s cannot implement %s because it would create a circular reference.",
                                   t->name, iface->name)
                          : report(c, "Type %s must implement %s because it is implemented by %s.", t->name,
                                   transitive->name, iface->name);
        implements_nodes_at(c, e, iface, transitive);
        implements_nodes_at(c, e, t, iface);
    }
}

static const gg_input_value *find_arg(const gg_field *f, const char *name)
{
    for (unsigned i = 0; i < f->arg_count; i++)
        if (strcmp(f->args[i].name, name) == 0) return &f->args[i];
    return NULL;
}

static void validate_implements_interface(vctx *c, const gg_type *t, const gg_type *iface)
{
    for (unsigned i = 0; i < iface->field_count; i++) {
        const gg_field *ifield = &iface->fields[i];
        const gg_field *tfield = gg_type_find_field(t, ifield->name);
        if (tfield == NULL) {
            gg_error *e = report(c, "Interface field %s.%s expected but %s does not provide it.", iface->name,
                                 ifield->name, t->name);
            at(c, e, ifield->ast ? &ifield->ast->loc : NULL);
            all_nodes_at(c, e, t);
            continue;
        }
        if (!gg_schema_is_type_sub_type_of(c->schema, tfield->type, ifield->type)) {
            gg_error *e = report(c, "Interface field %s.%s expects type %s but %s.%s is type %s.", iface->name,
                                 ifield->name, str(c, ifield->type), t->name, ifield->name, str(c, tfield->type));
            at(c, e, ifield->ast && ifield->ast->type ? &ifield->ast->type->loc : NULL);
            at(c, e, tfield->ast && tfield->ast->type ? &tfield->ast->type->loc : NULL);
        }
        for (unsigned k = 0; k < ifield->arg_count; k++) {
            const gg_input_value *iarg = &ifield->args[k];
            const gg_input_value *targ = find_arg(tfield, iarg->name);
            if (targ == NULL) {
                gg_error *e = report(c, "Interface field argument %s.%s(%s:) expected but %s.%s does not provide it.",
                                     iface->name, ifield->name, iarg->name, t->name, ifield->name);
                at(c, e, iarg->ast ? &iarg->ast->loc : NULL);
                at(c, e, tfield->ast ? &tfield->ast->loc : NULL);
                continue;
            }
            if (!gg_type_equal(iarg->type, targ->type)) {
                gg_error *e =
                    report(c, "Interface field argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type %s.",
                           iface->name, ifield->name, iarg->name, str(c, iarg->type), t->name, ifield->name, iarg->name,
                           str(c, targ->type));
                at(c, e, iarg->ast && iarg->ast->type ? &iarg->ast->type->loc : NULL);
                at(c, e, targ->ast && targ->ast->type ? &targ->ast->type->loc : NULL);
            }
        }
        for (unsigned k = 0; k < tfield->arg_count; k++) {
            const gg_input_value *targ = &tfield->args[k];
            if (find_arg(ifield, targ->name) == NULL && is_required(targ)) {
                gg_error *e = report(c,
                                     "Object field %s.%s includes required argument %s that is missing from the "
                                     "Interface field %s.%s.",
                                     t->name, ifield->name, targ->name, iface->name, ifield->name);
                at(c, e, targ->ast ? &targ->ast->loc : NULL);
                at(c, e, ifield->ast ? &ifield->ast->loc : NULL);
            }
        }
    }
}

static void validate_interfaces(vctx *c, const gg_type *t)
{
    for (unsigned i = 0; i < t->interface_count; i++) {
        const gg_type *iface = t->interfaces[i];
        if (iface->kind != GG_KIND_INTERFACE) {
            gg_error *e =
                report(c, "Type %s must only implement Interface types, it cannot implement %s.", t->name, iface->name);
            implements_nodes_at(c, e, t, iface);
            continue;
        }
        if (iface == t) {
            gg_error *e =
                report(c, "Type %s cannot implement itself because it would create a circular reference.", t->name);
            implements_nodes_at(c, e, t, iface);
            continue;
        }
        bool seen = false;
        for (unsigned k = 0; k < i && !seen; k++)
            seen = t->interfaces[k] == iface;
        if (seen) {
            gg_error *e = report(c, "Type %s can only implement %s once.", t->name, iface->name);
            implements_nodes_at(c, e, t, iface);
            continue;
        }
        validate_implements_ancestors(c, t, iface);
        validate_implements_interface(c, t, iface);
    }
}

/* ---- unions, enums, input objects ---- */

static void union_member_nodes_at(vctx *c, gg_error *e, const gg_type *u, const char *name)
{
    for (unsigned n = 0; n < u->ast_node_count; n++) {
        const gg_definition *d = u->ast_nodes[n];
        for (unsigned i = 0; i < d->type_count; i++)
            if (strcmp(d->types[i].value, name) == 0) gg_error_add_location(c->errors, e, d->types[i].loc);
    }
}

static void validate_union(vctx *c, const gg_type *u)
{
    if (u->possible_type_count == 0) {
        gg_error *e = report(c, "Union type %s must define one or more member types.", u->name);
        all_nodes_at(c, e, u);
    }
    for (unsigned i = 0; i < u->possible_type_count; i++) {
        const gg_type *m = u->possible_types[i];
        bool seen = false;
        for (unsigned k = 0; k < i && !seen; k++)
            seen = u->possible_types[k] == m;
        if (seen) {
            gg_error *e = report(c, "Union type %s can only include type %s once.", u->name, m->name);
            union_member_nodes_at(c, e, u, m->name);
            continue;
        }
        if (m->kind != GG_KIND_OBJECT) {
            gg_error *e =
                report(c, "Union type %s can only include Object types, it cannot include %s.", u->name, m->name);
            union_member_nodes_at(c, e, u, m->name);
        }
    }
}

static void validate_enum(vctx *c, const gg_type *t)
{
    if (t->enum_value_count == 0) {
        gg_error *e = report(c, "Enum type %s must define one or more values.", t->name);
        all_nodes_at(c, e, t);
    }
    for (unsigned i = 0; i < t->enum_value_count; i++)
        validate_name(c, t->enum_values[i].name, t->enum_values[i].ast ? &t->enum_values[i].ast->loc : NULL);
}

static void validate_input_fields(vctx *c, const gg_type *t)
{
    if (t->input_field_count == 0) {
        gg_error *e = report(c, "Input Object type %s must define one or more fields.", t->name);
        all_nodes_at(c, e, t);
    }
    for (unsigned i = 0; i < t->input_field_count; i++) {
        const gg_input_value *f = &t->input_fields[i];
        validate_name(c, f->name, f->ast ? &f->ast->loc : NULL);
        if (!gg_type_is_input(f->type)) {
            gg_error *e =
                report(c, "The type of %s.%s must be Input Type but got: %s.", t->name, f->name, str(c, f->type));
            at(c, e, f->ast && f->ast->type ? &f->ast->type->loc : NULL);
        }
        if (is_required(f) && f->deprecation_reason != NULL) {
            gg_error *e = report(c, "Required input field %s.%s cannot be deprecated.", t->name, f->name);
            const gg_directive *dep = deprecated_node(f);
            at(c, e, dep ? &dep->loc : NULL);
            at(c, e, f->ast && f->ast->type ? &f->ast->type->loc : NULL);
        }
        if (t->is_one_of) {
            if (f->type && f->type->kind == GG_KIND_NON_NULL) {
                gg_error *e = report(c, "OneOf input field %s.%s must be nullable.", t->name, f->name);
                at(c, e, f->ast && f->ast->type ? &f->ast->type->loc : NULL);
            }
            if (f->default_value != NULL) {
                gg_error *e = report(c, "OneOf input field %s.%s cannot have a default value.", t->name, f->name);
                at(c, e, f->ast ? &f->ast->loc : NULL);
            }
        }
    }
}

/* createInputObjectCircularRefsValidator: a DFS over non-null input object fields. */
typedef struct cycle_state {
    gg_strmap visited;    /* type name -> (void*)1 */
    gg_strmap path_index; /* type name -> index + 1 in path, NULL when not on the path */
    GG_VEC(const gg_input_value *) path;
} cycle_state;

static void report_cycle(vctx *c, cycle_state *st, const gg_type *ft, unsigned from)
{
    gg_buf b;
    gg_buf_init(&b);
    for (unsigned k = from; k < st->path.count; k++) {
        if (k > from) gg_buf_putc(&b, '.');
        gg_buf_puts(&b, st->path.items[k]->name);
    }
    gg_error *e = report(c,
                         "Cannot reference Input Object \"%s\" within itself through a series of non-null "
                         "fields: \"%s\".",
                         ft->name, b.data ? b.data : "");
    gg_buf_free(&b);
    /* one array for all the locations (adding them one by one would copy the array each time) */
    e->locations = gg_arena_array(c->errors->arena, st->path.count - from, sizeof *e->locations);
    e->location_count = 0;
    for (unsigned k = from; k < st->path.count; k++)
        if (st->path.items[k]->ast) e->locations[e->location_count++] = st->path.items[k]->ast->loc;
}

typedef struct cycle_frame {
    const gg_type *type;
    unsigned next_field;
} cycle_frame;
typedef GG_VEC(cycle_frame) cycle_stack;

static void enter_input(vctx *c, cycle_state *st, cycle_stack *stack, const gg_type *t)
{
    gg_strmap_put(&st->visited, t->name, strlen(t->name), (void *)1);
    gg_strmap_put(&st->path_index, t->name, strlen(t->name), (void *)(uintptr_t)(st->path.count + 1));
    GG_VEC_PUSH(c->arena, *stack, ((cycle_frame){t, 0}));
}

/* The same depth-first walk as graphql-js's detectCycleRecursive, with an explicit stack (a long
 * chain of input types cannot exhaust the C stack). path holds the fields from the root to the
 * type on top of the stack. */
static void detect_cycle(vctx *c, cycle_state *st, const gg_type *root)
{
    if (gg_strmap_gets(&st->visited, root->name)) return;
    cycle_stack stack = {0};
    enter_input(c, st, &stack, root);
    while (stack.count > 0) {
        cycle_frame *top = &stack.items[stack.count - 1];
        const gg_type *t = top->type;
        if (top->next_field >= t->input_field_count) {
            gg_strmap_put(&st->path_index, t->name, strlen(t->name), NULL);
            stack.count--;
            if (stack.count > 0) st->path.count--; /* the field that led to t */
            continue;
        }
        const gg_input_value *f = &t->input_fields[top->next_field++];
        if (f->type == NULL || f->type->kind != GG_KIND_NON_NULL || f->type->of_type->kind != GG_KIND_INPUT_OBJECT)
            continue;
        const gg_type *ft = f->type->of_type;
        uintptr_t cycle = (uintptr_t)gg_strmap_gets(&st->path_index, ft->name);
        GG_VEC_PUSH(c->arena, st->path, f);
        if (cycle != 0) {
            report_cycle(c, st, ft, (unsigned)cycle - 1);
            st->path.count--;
        } else if (gg_strmap_gets(&st->visited, ft->name)) {
            st->path.count--;
        } else {
            enter_input(c, st, &stack, ft);
        }
    }
}

bool gg_schema_validate(const gg_schema *schema, const char *const *document_names, gg_error_list *errors)
{
    vctx c = {.schema = schema, .doc_names = document_names, .errors = errors, .arena = errors->arena, .ok = true};
    validate_root_types(&c);
    validate_directives(&c);
    cycle_state st = {0};
    gg_strmap_init(&st.visited, c.arena);
    gg_strmap_init(&st.path_index, c.arena);
    for (unsigned i = 0; i < schema->type_count; i++) {
        const gg_type *t = schema->types[i];
        if (t->is_builtin && (t->ast_node_count == 0 || gg_schema_document_of(schema, t->ast_nodes[0]) == 0))
            continue; /* spec scalars and introspection types */
        set_doc(&c, t->ast_node_count ? t->ast_nodes[0] : NULL);
        validate_name(&c, t->name, t->ast_node_count ? &t->ast_nodes[0]->loc : NULL);
        switch (t->kind) {
        case GG_KIND_OBJECT:
        case GG_KIND_INTERFACE:
            validate_fields(&c, t);
            validate_interfaces(&c, t);
            break;
        case GG_KIND_UNION:
            validate_union(&c, t);
            break;
        case GG_KIND_ENUM:
            validate_enum(&c, t);
            break;
        case GG_KIND_INPUT_OBJECT:
            validate_input_fields(&c, t);
            detect_cycle(&c, &st, t);
            break;
        default:
            break;
        }
    }
    return c.ok;
}
