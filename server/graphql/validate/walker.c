/* walker.c: the validation walk (graphql-js visitInParallel over the rules, with TypeInfo).
 *
 * One depth-first walk visits the document in graphql-js's key order (QueryDocumentKeys without
 * descriptions). At every node the walker first updates the TypeInfo state exactly as graphql-js
 * TypeInfo.enter does (the stack tops live in the gg_vctx fields; the values they replace are kept
 * in the walker's stack frame), calls each rule's enter callback in rule-table order, walks the
 * children, calls the leave callbacks in the same order, and only then restores the tops
 * (TypeInfo.leave). Only the rules that have a callback for an event (and, for selections, want
 * the selection's kind: gg_rule.selection_kinds) are called for it. Rules that "return false" in
 * graphql-js to skip a subtree simply ignore the callbacks they do not need: skipping only saves
 * work there. Type system definitions in a request document (always an error, see
 * ExecutableDefinitions) are walked too, as graphql-js does, but only their directives and named
 * types (no TypeInfo exists for them).
 *
 * The same walker, in "collect" mode (no rule callbacks, its own stacks), computes graphql-js
 * getVariableUsages for one operation or fragment (variable_usages.c caches the results). The
 * main walk records them on its way, so a definition the main walk has passed needs no second
 * walk. The walker keeps its TypeInfo in its own `view` so a collect walk started from a rule
 * callback never disturbs the main walk's state. Recursion depth is bounded by the parser's
 * nesting limit. */
#include <string.h>

#include "validate_internal.h"

/* The rule callbacks, one event per gg_rule member: the walker keeps, for each event, the list of
 * the rules that have a callback for it (in table order), so that a node costs nothing for the
 * rules that ignore its kind. */
#define RULE_EVENTS(X)                                                                                                 \
    X(enter_document)                                                                                                  \
    X(leave_document)                                                                                                  \
    X(enter_definition)                                                                                                \
    X(leave_definition)                                                                                                \
    X(enter_variable_definition)                                                                                       \
    X(leave_variable_definition)                                                                                       \
    X(enter_selection_set)                                                                                             \
    X(leave_selection_set)                                                                                             \
    X(enter_selection)                                                                                                 \
    X(leave_selection)                                                                                                 \
    X(enter_directive)                                                                                                 \
    X(leave_directive)                                                                                                 \
    X(enter_argument)                                                                                                  \
    X(leave_argument)                                                                                                  \
    X(enter_value)                                                                                                     \
    X(leave_value)                                                                                                     \
    X(enter_object_field)                                                                                              \
    X(leave_object_field)                                                                                              \
    X(enter_named_type)

#define EVENT_ENUM(cb) EVENT_##cb,
enum { RULE_EVENTS(EVENT_ENUM) EVENT_COUNT };

typedef struct hook {
    const gg_rule *rule;
    void *state;
} hook;

typedef struct walker {
    gg_vctx *ctx;
    gg_vctx *view;            /* where the TypeInfo tops live: ctx, or a scratch context when collecting */
    const bool *aborted;      /* the validation's flag */
    hook *hooks[EVENT_COUNT]; /* per event, the rules with that callback (none when collecting) */
    unsigned hook_count[EVENT_COUNT];
    /* enter_selection and leave_selection again, per selection kind (gg_rule.selection_kinds) */
    hook *selection_hooks[2][3];
    unsigned selection_hook_count[2][3];
    bool collecting;
    bool recording; /* main walk: recording the usages of the current definition, as collect mode would */
    GG_VEC(gg_variable_usage) usages; /* collect mode output, or the main walk's recording */
} walker;

static bool stopped(const walker *w)
{
    return *w->aborted;
}

/* ---- TypeInfo ----
 * graphql-js TypeInfo keeps stacks and answers with their tops. The view holds the tops; entering
 * a node saves the tops it replaces in the walker's C stack frame and leaving restores them, which
 * is the same as a push and a pop (parent_input_type is the input stack's second top: the input
 * type that was current before the push). */

/* gg_type_named, gg_type_is_input and gg_type_is_output, inline: the walker asks at every node. */
static inline gg_type *named_or_null(gg_type *t)
{
    while (t && (t->kind == GG_KIND_LIST || t->kind == GG_KIND_NON_NULL))
        t = t->of_type;
    return t;
}

static inline gg_type *input_or_null(gg_type *t)
{
    const gg_type *n = named_or_null(t);
    return n && (n->kind == GG_KIND_SCALAR || n->kind == GG_KIND_ENUM || n->kind == GG_KIND_INPUT_OBJECT) ? t : NULL;
}

static inline gg_type *output_or_null(gg_type *t)
{
    const gg_type *n = named_or_null(t);
    return n && n->kind != GG_KIND_INPUT_OBJECT ? t : NULL;
}

static inline bool is_composite(const gg_type *t)
{
    return t && (t->kind == GG_KIND_OBJECT || t->kind == GG_KIND_INTERFACE || t->kind == GG_KIND_UNION);
}

/* The input tops an input position replaces (graphql-js pushes an input type, and a default value
 * except for variable definitions). */
typedef struct input_saved {
    gg_type *input_type, *parent_input_type;
    const gg_value *default_value;
    bool has_default_value;
} input_saved;

static input_saved enter_input(walker *w, gg_type *t, const gg_value *def, bool push_default)
{
    gg_vctx *v = w->view;
    input_saved saved = {v->input_type, v->parent_input_type, v->default_value, v->has_default_value};
    v->parent_input_type = v->input_type;
    v->input_type = input_or_null(t);
    if (push_default) {
        v->default_value = def;
        v->has_default_value = def != NULL;
    }
    return saved;
}

static void leave_input(walker *w, const input_saved *saved)
{
    gg_vctx *v = w->view;
    v->input_type = saved->input_type;
    v->parent_input_type = saved->parent_input_type;
    v->default_value = saved->default_value;
    v->has_default_value = saved->has_default_value;
}

/* ---- callback dispatch (graphql-js visitInParallel: every rule, in table order) ---- */

#define EMIT(w, cb, ...)                                                                                               \
    do {                                                                                                               \
        const hook *h_ = (w)->hooks[EVENT_##cb];                                                                       \
        for (unsigned i_ = 0, n_ = (w)->hook_count[EVENT_##cb]; i_ < n_ && !stopped(w); i_++)                          \
            h_[i_].rule->cb((w)->ctx, h_[i_].state, __VA_ARGS__);                                                      \
    } while (0)

#define EMIT0(w, cb)                                                                                                   \
    do {                                                                                                               \
        const hook *h_ = (w)->hooks[EVENT_##cb];                                                                       \
        for (unsigned i_ = 0, n_ = (w)->hook_count[EVENT_##cb]; i_ < n_ && !stopped(w); i_++)                          \
            h_[i_].rule->cb((w)->ctx, h_[i_].state);                                                                   \
    } while (0)

/* A selection's enter or leave (0 or 1) callbacks: only the rules that want its kind. */
#define EMIT_SELECTION(w, which, cb, sel)                                                                              \
    do {                                                                                                               \
        const hook *h_ = (w)->selection_hooks[which][(sel)->kind];                                                     \
        for (unsigned i_ = 0, n_ = (w)->selection_hook_count[which][(sel)->kind]; i_ < n_ && !stopped(w); i_++)        \
            h_[i_].rule->cb((w)->ctx, h_[i_].state, (sel));                                                            \
    } while (0)

/* ---- the walk ---- */

static void walk_value(walker *w, const gg_value *value);
static void walk_selection_set(walker *w, const gg_selection_set *set);

static void walk_named_type(walker *w, const gg_type_ref *named)
{
    EMIT(w, enter_named_type, named);
}

/* A type reference: the visitor reaches the NamedType inside the wrappers. */
static void walk_type_ref(walker *w, const gg_type_ref *ref)
{
    while (ref && ref->kind != GG_TYPE_REF_NAMED)
        ref = ref->of_type;
    if (ref) walk_named_type(w, ref);
}

/* A NamedType node written as a bare name (type conditions, interfaces, union members). */
static void walk_name_as_type(walker *w, const gg_name *name)
{
    if (!name->value) return;
    gg_type_ref *ref = gg_arena_alloc(w->ctx->arena, sizeof *ref);
    ref->kind = GG_TYPE_REF_NAMED;
    ref->loc = name->loc;
    ref->name = *name;
    walk_named_type(w, ref);
}

static void walk_object_field(walker *w, const gg_object_field *field)
{
    gg_type *object_type = named_or_null(w->view->input_type);
    gg_input_value *input_field = NULL;
    if (object_type && object_type->kind == GG_KIND_INPUT_OBJECT && field->name.value)
        input_field = gg_type_find_input_field(object_type, field->name.value);
    input_saved saved =
        enter_input(w, input_field ? input_field->type : NULL, input_field ? input_field->default_value : NULL, true);
    EMIT(w, enter_object_field, field);
    if (field->value) walk_value(w, field->value);
    EMIT(w, leave_object_field, field);
    leave_input(w, &saved);
}

static void collect_usage(walker *w, const gg_value *value)
{
    gg_variable_usage u = {
        .node = value,
        .type = w->view->input_type,
        .default_value = w->view->default_value,
        .has_default = w->view->has_default_value,
        .parent_type = w->view->parent_input_type,
    };
    GG_VEC_PUSH(w->ctx->arena, w->usages, u);
}

static void walk_value(walker *w, const gg_value *value)
{
    if (stopped(w)) return;
    switch (value->kind) {
    case GG_VALUE_LIST: {
        gg_type *list_type = w->view->input_type ? gg_type_nullable(w->view->input_type) : NULL;
        gg_type *item_type = list_type && list_type->kind == GG_KIND_LIST ? list_type->of_type : list_type;
        input_saved saved = enter_input(w, item_type, NULL, true); /* list positions never have a default value */
        EMIT(w, enter_value, value);
        for (unsigned i = 0; i < value->item_count && !stopped(w); i++)
            walk_value(w, value->items[i]);
        EMIT(w, leave_value, value);
        leave_input(w, &saved);
        return;
    }
    case GG_VALUE_OBJECT:
        EMIT(w, enter_value, value);
        for (unsigned i = 0; i < value->field_count && !stopped(w); i++)
            walk_object_field(w, &value->fields[i]);
        EMIT(w, leave_value, value);
        return;
    case GG_VALUE_ENUM: {
        gg_type *enum_type = named_or_null(w->view->input_type);
        w->view->enum_value = enum_type && enum_type->kind == GG_KIND_ENUM && value->text
                                  ? gg_type_find_enum_value(enum_type, value->text)
                                  : NULL;
        EMIT(w, enter_value, value);
        EMIT(w, leave_value, value);
        w->view->enum_value = NULL;
        return;
    }
    case GG_VALUE_VARIABLE:
        if (w->collecting || w->recording) collect_usage(w, value);
        EMIT(w, enter_value, value);
        EMIT(w, leave_value, value);
        return;
    default:
        EMIT(w, enter_value, value);
        EMIT(w, leave_value, value);
        return;
    }
}

static void walk_argument(walker *w, const gg_argument *arg)
{
    /* graphql-js: the directive being visited, else the current field definition */
    gg_input_value *def = NULL;
    if (arg->name.value) {
        if (w->view->directive)
            def = gg_directive_find_arg(w->view->directive, arg->name.value);
        else if (w->view->field_def)
            def = gg_field_find_arg(w->view->field_def, arg->name.value);
    }
    w->view->argument = def;
    input_saved saved = enter_input(w, def ? def->type : NULL, def ? def->default_value : NULL, true);
    EMIT(w, enter_argument, arg);
    if (arg->value) walk_value(w, arg->value);
    EMIT(w, leave_argument, arg);
    w->view->argument = NULL;
    leave_input(w, &saved);
}

static void walk_arguments(walker *w, const gg_argument *args, unsigned count)
{
    for (unsigned i = 0; i < count && !stopped(w); i++)
        walk_argument(w, &args[i]);
}

static void walk_directives(walker *w, const gg_directive *dirs, unsigned count, uint32_t location)
{
    for (unsigned i = 0; i < count && !stopped(w); i++) {
        const gg_directive *dir = &dirs[i];
        w->view->directive_location = location;
        w->view->directive = dir->name.value ? gg_schema_find_directive(w->ctx->schema, dir->name.value) : NULL;
        EMIT(w, enter_directive, dir);
        walk_arguments(w, dir->args, dir->arg_count);
        EMIT(w, leave_directive, dir);
        w->view->directive = NULL;
    }
}

static void walk_field(walker *w, const gg_selection *sel)
{
    gg_vctx *v = w->view;
    gg_type *parent = v->parent_type;
    const char *name = sel->name.value;
    gg_field *def = NULL;
    if (parent && name) /* meta fields (__typename ...) from the schema, others as rules see them */
        def = name[0] == '_' && name[1] == '_' ? gg_schema_field_def(w->ctx->schema, parent, name)
                                               : gg_vctx_find_field(w->ctx, parent, sel);
    gg_field *saved_def = v->field_def;
    gg_type *saved_type = v->type;
    v->field_def = def;
    v->type = output_or_null(def ? def->type : NULL);
    EMIT_SELECTION(w, 0, enter_selection, sel);
    walk_arguments(w, sel->args, sel->arg_count);
    walk_directives(w, sel->directives, sel->directive_count, GG_DL_FIELD);
    if (sel->selection_set) walk_selection_set(w, sel->selection_set);
    EMIT_SELECTION(w, 1, leave_selection, sel);
    v->field_def = saved_def;
    v->type = saved_type;
}

static void walk_selection(walker *w, const gg_selection *sel)
{
    switch (sel->kind) {
    case GG_SELECTION_FIELD:
        walk_field(w, sel);
        return;
    case GG_SELECTION_FRAGMENT_SPREAD:
        EMIT_SELECTION(w, 0, enter_selection, sel);
        walk_directives(w, sel->directives, sel->directive_count, GG_DL_FRAGMENT_SPREAD);
        EMIT_SELECTION(w, 1, leave_selection, sel);
        return;
    case GG_SELECTION_INLINE_FRAGMENT: {
        gg_type *t = sel->type_condition.value ? gg_vctx_find_type(w->ctx, sel->type_condition.value)
                                               : named_or_null(w->view->type);
        gg_type *saved_type = w->view->type;
        w->view->type = output_or_null(t);
        EMIT_SELECTION(w, 0, enter_selection, sel);
        walk_name_as_type(w, &sel->type_condition);
        walk_directives(w, sel->directives, sel->directive_count, GG_DL_INLINE_FRAGMENT);
        if (sel->selection_set) walk_selection_set(w, sel->selection_set);
        EMIT_SELECTION(w, 1, leave_selection, sel);
        w->view->type = saved_type;
        return;
    }
    }
}

static void walk_selection_set(walker *w, const gg_selection_set *set)
{
    if (stopped(w)) return;
    gg_type *named = named_or_null(w->view->type);
    gg_type *saved_parent = w->view->parent_type;
    w->view->parent_type = is_composite(named) ? named : NULL;
    EMIT(w, enter_selection_set, set);
    for (unsigned i = 0; i < set->count && !stopped(w); i++)
        walk_selection(w, &set->selections[i]);
    EMIT(w, leave_selection_set, set);
    w->view->parent_type = saved_parent;
}

static void walk_variable_definition(walker *w, const gg_variable_definition *var)
{
    gg_type *t = var->type ? gg_vctx_type_from_ast(w->ctx, var->type) : NULL;
    input_saved saved = enter_input(w, t, NULL, false); /* graphql-js pushes no default value here */
    EMIT(w, enter_variable_definition, var);
    if (!w->collecting) {
        /* the Variable node of the definition */
        gg_value *node = gg_arena_alloc(w->ctx->arena, sizeof *node);
        node->kind = GG_VALUE_VARIABLE;
        node->loc = var->variable.loc;
        node->text = var->variable.value;
        node->len = var->variable.value ? strlen(var->variable.value) : 0;
        walk_value(w, node);
    }
    walk_type_ref(w, var->type);
    if (var->default_value) walk_value(w, var->default_value);
    walk_directives(w, var->directives, var->directive_count, GG_DL_VARIABLE_DEFINITION);
    EMIT(w, leave_variable_definition, var);
    leave_input(w, &saved);
}

static uint32_t operation_location(gg_operation_kind op)
{
    switch (op) {
    case GG_OP_MUTATION:
        return GG_DL_MUTATION;
    case GG_OP_SUBSCRIPTION:
        return GG_DL_SUBSCRIPTION;
    default:
        return GG_DL_QUERY;
    }
}

static gg_type *root_type(const gg_schema *schema, gg_operation_kind op)
{
    switch (op) {
    case GG_OP_MUTATION:
        return schema->mutation_type;
    case GG_OP_SUBSCRIPTION:
        return schema->subscription_type;
    default:
        return schema->query_type;
    }
}

/* Input value definitions (arguments, input fields) of type system definitions. */
static void walk_input_value_defs(walker *w, const gg_input_value_def *defs, unsigned count, uint32_t location)
{
    for (unsigned i = 0; i < count && !stopped(w); i++) {
        walk_type_ref(w, defs[i].type);
        if (defs[i].default_value) walk_value(w, defs[i].default_value);
        walk_directives(w, defs[i].directives, defs[i].directive_count, location);
    }
}

/* Type system definitions inside an executable document: no TypeInfo, but their named types and
 * directives are visited as graphql-js does (KnownTypeNames, KnownDirectives ... see them). */
static void walk_type_system_definition(walker *w, const gg_definition *def)
{
    switch (def->kind) {
    case GG_DEF_SCHEMA:
        walk_directives(w, def->directives, def->directive_count, GG_DL_SCHEMA);
        for (unsigned i = 0; i < def->operation_type_count && !stopped(w); i++)
            walk_name_as_type(w, &def->operation_types[i].type);
        return;
    case GG_DEF_SCALAR:
        walk_directives(w, def->directives, def->directive_count, GG_DL_SCALAR);
        return;
    case GG_DEF_OBJECT:
    case GG_DEF_INTERFACE:
        for (unsigned i = 0; i < def->interface_count && !stopped(w); i++)
            walk_name_as_type(w, &def->interfaces[i]);
        walk_directives(w, def->directives, def->directive_count,
                        def->kind == GG_DEF_OBJECT ? GG_DL_OBJECT : GG_DL_INTERFACE);
        for (unsigned i = 0; i < def->field_count && !stopped(w); i++) {
            const gg_field_def *f = &def->fields[i];
            walk_input_value_defs(w, f->args, f->arg_count, GG_DL_ARGUMENT_DEFINITION);
            walk_type_ref(w, f->type);
            walk_directives(w, f->directives, f->directive_count, GG_DL_FIELD_DEFINITION);
        }
        return;
    case GG_DEF_UNION:
        walk_directives(w, def->directives, def->directive_count, GG_DL_UNION);
        for (unsigned i = 0; i < def->type_count && !stopped(w); i++)
            walk_name_as_type(w, &def->types[i]);
        return;
    case GG_DEF_ENUM:
        walk_directives(w, def->directives, def->directive_count, GG_DL_ENUM);
        for (unsigned i = 0; i < def->value_count && !stopped(w); i++)
            walk_directives(w, def->values[i].directives, def->values[i].directive_count, GG_DL_ENUM_VALUE);
        return;
    case GG_DEF_INPUT_OBJECT:
        walk_directives(w, def->directives, def->directive_count, GG_DL_INPUT_OBJECT);
        walk_input_value_defs(w, def->input_fields, def->input_field_count, GG_DL_INPUT_FIELD_DEFINITION);
        return;
    case GG_DEF_DIRECTIVE:
        walk_input_value_defs(w, def->args, def->arg_count, GG_DL_ARGUMENT_DEFINITION);
        return;
    default:
        return;
    }
}

/* The main walk records the variable usages of an operation or fragment (graphql-js
 * getVariableUsages) on its way, from after the variable definitions (which getVariableUsages
 * skips) to the end of the definition: the TypeInfo state there is the one a fresh walk of the
 * definition would have, so local_usages need not walk it again. Returns whether it records. */
static bool begin_recording(walker *w, const gg_definition *def)
{
    if (w->collecting || gg_validate_usages_known(w->ctx, def)) return false;
    w->usages.items = NULL;
    w->usages.count = w->usages.cap = 0;
    w->recording = true;
    return true;
}

static void end_recording(walker *w, const gg_definition *def)
{
    w->recording = false;
    /* incomplete, or a rule already asked */
    if (validation_of(w->ctx)->aborted || gg_validate_usages_known(w->ctx, def)) return;
    gg_validate_usages_store(w->ctx, def, w->usages.items, w->usages.count);
}

static void walk_definition(walker *w, const gg_definition *def)
{
    if (!w->collecting) w->view->definition = def;
    bool recording;
    switch (def->kind) {
    case GG_DEF_OPERATION: {
        gg_type *root = root_type(w->ctx->schema, def->operation);
        gg_type *saved_type = w->view->type;
        w->view->type = root && root->kind == GG_KIND_OBJECT ? root : NULL;
        EMIT(w, enter_definition, def);
        if (!w->collecting) /* getVariableUsages skips variable definitions */
            for (unsigned i = 0; i < def->variable_count && !stopped(w); i++)
                walk_variable_definition(w, &def->variables[i]);
        recording = begin_recording(w, def);
        walk_directives(w, def->directives, def->directive_count, operation_location(def->operation));
        if (def->selection_set) walk_selection_set(w, def->selection_set);
        if (recording) end_recording(w, def);
        EMIT(w, leave_definition, def);
        w->view->type = saved_type;
        break;
    }
    case GG_DEF_FRAGMENT: {
        gg_type *t = def->type_condition.value ? gg_vctx_find_type(w->ctx, def->type_condition.value) : NULL;
        gg_type *saved_type = w->view->type;
        w->view->type = output_or_null(t);
        EMIT(w, enter_definition, def);
        if (!w->collecting)
            for (unsigned i = 0; i < def->variable_count && !stopped(w); i++)
                walk_variable_definition(w, &def->variables[i]);
        recording = begin_recording(w, def);
        walk_name_as_type(w, &def->type_condition);
        walk_directives(w, def->directives, def->directive_count, GG_DL_FRAGMENT_DEFINITION);
        if (def->selection_set) walk_selection_set(w, def->selection_set);
        if (recording) end_recording(w, def);
        EMIT(w, leave_definition, def);
        w->view->type = saved_type;
        break;
    }
    default:
        EMIT(w, enter_definition, def);
        walk_type_system_definition(w, def);
        EMIT(w, leave_definition, def);
        break;
    }
    if (!w->collecting) w->view->definition = NULL;
}

static void walk_document(walker *w, const gg_document *doc)
{
    EMIT0(w, enter_document);
    for (unsigned i = 0; i < doc->definition_count && !stopped(w); i++)
        walk_definition(w, &doc->definitions[i]);
    EMIT0(w, leave_document);
}

static void walker_init(walker *w, gg_vctx *ctx, gg_vctx *view)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->view = view;
    w->aborted = &validation_of(ctx)->aborted;
}

/* Fills the walker's per-event hook lists from the rule table; allocates each rule's state. */
static void walker_hook_rules(walker *w, const gg_rule *const *rules, unsigned rule_count)
{
    gg_arena *arena = w->ctx->arena;
    hook *all = gg_arena_alloc_uninit(arena, (size_t)(EVENT_COUNT + 6) * (rule_count ? rule_count : 1) * sizeof *all);
    for (unsigned e = 0; e < EVENT_COUNT; e++)
        w->hooks[e] = all + (size_t)e * rule_count;
    for (unsigned which = 0; which < 2; which++)
        for (unsigned kind = 0; kind < 3; kind++)
            w->selection_hooks[which][kind] = all + (size_t)(EVENT_COUNT + which * 3 + kind) * rule_count;
    for (unsigned i = 0; i < rule_count; i++) {
        const gg_rule *rule = rules[i];
        void *state = rule->state_size ? gg_arena_alloc(arena, rule->state_size) : NULL;
#define ADD_HOOK(cb)                                                                                                   \
    if (rule->cb) w->hooks[EVENT_##cb][w->hook_count[EVENT_##cb]++] = (hook){rule, state};
        RULE_EVENTS(ADD_HOOK)
#undef ADD_HOOK
        for (unsigned kind = 0; kind < 3; kind++) {
            if (rule->selection_kinds && !(rule->selection_kinds & (1u << kind))) continue;
            if (rule->enter_selection)
                w->selection_hooks[0][kind][w->selection_hook_count[0][kind]++] = (hook){rule, state};
            if (rule->leave_selection)
                w->selection_hooks[1][kind][w->selection_hook_count[1][kind]++] = (hook){rule, state};
        }
    }
}

/* ---- entry points ---- */

void gg_validate_walk(gg_vctx *ctx, const gg_rule *const *rules, unsigned rule_count)
{
    walker w;
    walker_init(&w, ctx, ctx);
    walker_hook_rules(&w, rules, rule_count);
    walk_document(&w, ctx->document);
}

void gg_validate_collect_usages(gg_vctx *ctx, const gg_definition *def, gg_variable_usage **out, unsigned *count)
{
    gg_vctx scratch = {.schema = ctx->schema, .document = ctx->document, .arena = ctx->arena};
    walker w;
    walker_init(&w, ctx, &scratch);
    w.collecting = true;
    walk_definition(&w, def);
    *out = w.usages.items;
    *count = w.usages.count;
}
