/* validate.c: tests of the validation walker (server/graphql/validate/validate.c).
 *
 * A probe rule prints the TypeInfo state (parent type, type, field definition, input types,
 * argument, directive, enum value, default) at every callback; the expected traces were printed
 * once by graphql-js 16.15 visitWithTypeInfo on the same documents. Then all spec rules together
 * (error order across rules), the error limit, hidden suggestions and the fragment work budget,
 * each compared with graphql-js 16.15 validate() (regenerate with oracle/gen_walker.mjs). */
#include "test.h"

#include "harness.h"
#include "schema.inc"

#include "graphql/type/schema_build.h"

typedef struct probe_state {
    gg_buf *out;
} probe_state;

static gg_buf *probe_buf; /* the trace being written (tests run one at a time) */

static const char *type_text(gg_vctx *ctx, const gg_type *t)
{
    return t ? gg_type_to_string(ctx->arena, t) : "-";
}

static void probe_line(gg_vctx *ctx, const char *what, const char *kind, gg_loc loc)
{
    gg_buf_printf(probe_buf,
                  "%s %s %u:%u parent=%s type=%s field=%s input=%s pinput=%s arg=%s dir=%s enum=%s default=%s\n", what,
                  kind, loc.line, loc.column, type_text(ctx, ctx->parent_type), type_text(ctx, ctx->type),
                  ctx->field_def ? ctx->field_def->name : "-", type_text(ctx, ctx->input_type),
                  type_text(ctx, ctx->parent_input_type), ctx->argument ? ctx->argument->name : "-",
                  ctx->directive ? ctx->directive->name : "-", ctx->enum_value ? ctx->enum_value->name : "-",
                  ctx->has_default_value ? "yes" : "no");
}

static const char *value_kind(const gg_value *v)
{
    static const char *const names[] = {"Variable",  "IntValue",  "FloatValue", "StringValue", "BooleanValue",
                                        "NullValue", "EnumValue", "ListValue",  "ObjectValue"};
    return names[v->kind];
}

static const char *selection_kind(const gg_selection *s)
{
    return s->kind == GG_SELECTION_FIELD             ? "Field"
           : s->kind == GG_SELECTION_FRAGMENT_SPREAD ? "FragmentSpread"
                                                     : "InlineFragment";
}

static const char *definition_kind(const gg_definition *d)
{
    return d->kind == GG_DEF_OPERATION ? "OperationDefinition" : "FragmentDefinition";
}

static void enter_definition(gg_vctx *c, void *s, const gg_definition *d)
{
    probe_line(c, "enter", definition_kind(d), d->loc);
}
static void leave_definition(gg_vctx *c, void *s, const gg_definition *d)
{
    probe_line(c, "leave", definition_kind(d), d->loc);
}
static void enter_variable_definition(gg_vctx *c, void *s, const gg_variable_definition *v)
{
    probe_line(c, "enter", "VariableDefinition", v->loc);
}
static void leave_variable_definition(gg_vctx *c, void *s, const gg_variable_definition *v)
{
    probe_line(c, "leave", "VariableDefinition", v->loc);
}
static void enter_selection_set(gg_vctx *c, void *s, const gg_selection_set *set)
{
    probe_line(c, "enter", "SelectionSet", set->loc);
}
static void leave_selection_set(gg_vctx *c, void *s, const gg_selection_set *set)
{
    probe_line(c, "leave", "SelectionSet", set->loc);
}
static void enter_selection(gg_vctx *c, void *s, const gg_selection *sel)
{
    probe_line(c, "enter", selection_kind(sel), sel->loc);
}
static void leave_selection(gg_vctx *c, void *s, const gg_selection *sel)
{
    probe_line(c, "leave", selection_kind(sel), sel->loc);
}
static void enter_directive(gg_vctx *c, void *s, const gg_directive *d)
{
    probe_line(c, "enter", "Directive", d->loc);
}
static void leave_directive(gg_vctx *c, void *s, const gg_directive *d)
{
    probe_line(c, "leave", "Directive", d->loc);
}
static void enter_argument(gg_vctx *c, void *s, const gg_argument *a)
{
    probe_line(c, "enter", "Argument", a->loc);
}
static void leave_argument(gg_vctx *c, void *s, const gg_argument *a)
{
    probe_line(c, "leave", "Argument", a->loc);
}
static void enter_value(gg_vctx *c, void *s, const gg_value *v)
{
    probe_line(c, "enter", value_kind(v), v->loc);
}
static void leave_value(gg_vctx *c, void *s, const gg_value *v)
{
    probe_line(c, "leave", value_kind(v), v->loc);
}
static void enter_object_field(gg_vctx *c, void *s, const gg_object_field *f)
{
    probe_line(c, "enter", "ObjectField", f->loc);
}
static void leave_object_field(gg_vctx *c, void *s, const gg_object_field *f)
{
    probe_line(c, "leave", "ObjectField", f->loc);
}
static void enter_named_type(gg_vctx *c, void *s, const gg_type_ref *t)
{
    probe_line(c, "enter", "NamedType", t->loc);
}

static const gg_rule probe_rule = {
    .name = "Probe",
    .enter_definition = enter_definition,
    .leave_definition = leave_definition,
    .enter_variable_definition = enter_variable_definition,
    .leave_variable_definition = leave_variable_definition,
    .enter_selection_set = enter_selection_set,
    .leave_selection_set = leave_selection_set,
    .enter_selection = enter_selection,
    .leave_selection = leave_selection,
    .enter_directive = enter_directive,
    .leave_directive = leave_directive,
    .enter_argument = enter_argument,
    .leave_argument = leave_argument,
    .enter_value = enter_value,
    .leave_value = leave_value,
    .enter_object_field = enter_object_field,
    .leave_object_field = leave_object_field,
    .enter_named_type = enter_named_type,
};

static void check_trace(const char *doc, const char *expected)
{
    gg_buf trace;
    gg_buf_init(&trace);
    probe_buf = &trace;
    char *errors = vt_run(TEST_SCHEMA, doc, &probe_rule);
    CHECK_STR(errors, "[]");
    CHECK_STR(trace.data, expected);
    free(errors);
    gg_buf_free(&trace);
}

static void test_type_info(void)
{
    check_trace(
        "query Q($a: [Filter!] = [{name: \"x\", size: SMALL}], $b: Int @onVariable) @cached(ttl: 1) { dog { name ... "
        "on Pet { nickname } friends(first: $b) { ...F } } pets(filter: {size: LARGE, tags: [\"a\", $s], nested: "
        "{name: null, bogus: 1}}) { name } } fragment F on Dog { barks @skip(if: $c) unknown(x: 1) { a } }",
        "enter OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter VariableDefinition 1:9 parent=- type=Query field=- input=[Filter!] pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter Variable 1:9 parent=- type=Query field=- input=[Filter!] pinput=- arg=- dir=- enum=- default=no\n"
        "leave Variable 1:9 parent=- type=Query field=- input=[Filter!] pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:14 parent=- type=Query field=- input=[Filter!] pinput=- arg=- dir=- enum=- default=no\n"
        "enter ListValue 1:25 parent=- type=Query field=- input=Filter! pinput=[Filter!] arg=- dir=- enum=- "
        "default=no\n"
        "enter ObjectValue 1:26 parent=- type=Query field=- input=Filter! pinput=[Filter!] arg=- dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:27 parent=- type=Query field=- input=String pinput=Filter! arg=- dir=- enum=- default=no\n"
        "enter StringValue 1:33 parent=- type=Query field=- input=String pinput=Filter! arg=- dir=- enum=- default=no\n"
        "leave StringValue 1:33 parent=- type=Query field=- input=String pinput=Filter! arg=- dir=- enum=- default=no\n"
        "leave ObjectField 1:27 parent=- type=Query field=- input=String pinput=Filter! arg=- dir=- enum=- default=no\n"
        "enter ObjectField 1:38 parent=- type=Query field=- input=Size pinput=Filter! arg=- dir=- enum=- default=no\n"
        "enter EnumValue 1:44 parent=- type=Query field=- input=Size pinput=Filter! arg=- dir=- enum=SMALL default=no\n"
        "leave EnumValue 1:44 parent=- type=Query field=- input=Size pinput=Filter! arg=- dir=- enum=SMALL default=no\n"
        "leave ObjectField 1:38 parent=- type=Query field=- input=Size pinput=Filter! arg=- dir=- enum=- default=no\n"
        "leave ObjectValue 1:26 parent=- type=Query field=- input=Filter! pinput=[Filter!] arg=- dir=- enum=- "
        "default=no\n"
        "leave ListValue 1:25 parent=- type=Query field=- input=Filter! pinput=[Filter!] arg=- dir=- enum=- "
        "default=no\n"
        "leave VariableDefinition 1:9 parent=- type=Query field=- input=[Filter!] pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter VariableDefinition 1:53 parent=- type=Query field=- input=Int pinput=- arg=- dir=- enum=- default=no\n"
        "enter Variable 1:53 parent=- type=Query field=- input=Int pinput=- arg=- dir=- enum=- default=no\n"
        "leave Variable 1:53 parent=- type=Query field=- input=Int pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:57 parent=- type=Query field=- input=Int pinput=- arg=- dir=- enum=- default=no\n"
        "enter Directive 1:61 parent=- type=Query field=- input=Int pinput=- arg=- dir=onVariable enum=- default=no\n"
        "leave Directive 1:61 parent=- type=Query field=- input=Int pinput=- arg=- dir=onVariable enum=- default=no\n"
        "leave VariableDefinition 1:53 parent=- type=Query field=- input=Int pinput=- arg=- dir=- enum=- default=no\n"
        "enter Directive 1:74 parent=- type=Query field=- input=- pinput=- arg=- dir=cached enum=- default=no\n"
        "enter Argument 1:82 parent=- type=Query field=- input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "enter IntValue 1:87 parent=- type=Query field=- input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave IntValue 1:87 parent=- type=Query field=- input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave Argument 1:82 parent=- type=Query field=- input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave Directive 1:74 parent=- type=Query field=- input=- pinput=- arg=- dir=cached enum=- default=no\n"
        "enter SelectionSet 1:90 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:92 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:96 parent=Dog type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:98 parent=Dog type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:98 parent=Dog type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter InlineFragment 1:103 parent=Dog type=Pet field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:110 parent=Dog type=Pet field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:114 parent=Pet type=Pet field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:116 parent=Pet type=String field=nickname input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:116 parent=Pet type=String field=nickname input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:114 parent=Pet type=Pet field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave InlineFragment 1:103 parent=Dog type=Pet field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:127 parent=Dog type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:135 parent=Dog type=[Pet] field=friends input=Int pinput=- arg=first dir=- enum=- "
        "default=yes\n"
        "enter Variable 1:142 parent=Dog type=[Pet] field=friends input=Int pinput=- arg=first dir=- enum=- "
        "default=yes\n"
        "leave Variable 1:142 parent=Dog type=[Pet] field=friends input=Int pinput=- arg=first dir=- enum=- "
        "default=yes\n"
        "leave Argument 1:135 parent=Dog type=[Pet] field=friends input=Int pinput=- arg=first dir=- enum=- "
        "default=yes\n"
        "enter SelectionSet 1:146 parent=Pet type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter FragmentSpread 1:148 parent=Pet type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave FragmentSpread 1:148 parent=Pet type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave SelectionSet 1:146 parent=Pet type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:127 parent=Dog type=[Pet] field=friends input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:96 parent=Dog type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:92 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:157 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:162 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectValue 1:170 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:171 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter EnumValue 1:177 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=LARGE "
        "default=no\n"
        "leave EnumValue 1:177 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=LARGE "
        "default=no\n"
        "leave ObjectField 1:171 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:184 parent=Query type=[Pet] field=pets input=[String!] pinput=Filter arg=filter dir=- "
        "enum=- default=no\n"
        "enter ListValue 1:190 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "enter StringValue 1:191 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "leave StringValue 1:191 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "enter Variable 1:196 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "leave Variable 1:196 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "leave ListValue 1:190 parent=Query type=[Pet] field=pets input=String! pinput=[String!] arg=filter dir=- "
        "enum=- default=no\n"
        "leave ObjectField 1:184 parent=Query type=[Pet] field=pets input=[String!] pinput=Filter arg=filter dir=- "
        "enum=- default=no\n"
        "enter ObjectField 1:201 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectValue 1:209 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:210 parent=Query type=[Pet] field=pets input=String pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter NullValue 1:216 parent=Query type=[Pet] field=pets input=String pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave NullValue 1:216 parent=Query type=[Pet] field=pets input=String pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectField 1:210 parent=Query type=[Pet] field=pets input=String pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:222 parent=Query type=[Pet] field=pets input=- pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter IntValue 1:229 parent=Query type=[Pet] field=pets input=- pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave IntValue 1:229 parent=Query type=[Pet] field=pets input=- pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectField 1:222 parent=Query type=[Pet] field=pets input=- pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectValue 1:209 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectField 1:201 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectValue 1:170 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "leave Argument 1:162 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "enter SelectionSet 1:234 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:236 parent=Pet type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:236 parent=Pet type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:234 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:157 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:90 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter FragmentDefinition 1:245 parent=- type=Dog field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:259 parent=- type=Dog field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:263 parent=Dog type=Dog field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:265 parent=Dog type=Boolean field=barks input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Directive 1:271 parent=Dog type=Boolean field=barks input=- pinput=- arg=- dir=skip enum=- default=no\n"
        "enter Argument 1:277 parent=Dog type=Boolean field=barks input=Boolean! pinput=- arg=if dir=skip enum=- "
        "default=no\n"
        "enter Variable 1:281 parent=Dog type=Boolean field=barks input=Boolean! pinput=- arg=if dir=skip enum=- "
        "default=no\n"
        "leave Variable 1:281 parent=Dog type=Boolean field=barks input=Boolean! pinput=- arg=if dir=skip enum=- "
        "default=no\n"
        "leave Argument 1:277 parent=Dog type=Boolean field=barks input=Boolean! pinput=- arg=if dir=skip enum=- "
        "default=no\n"
        "leave Directive 1:271 parent=Dog type=Boolean field=barks input=- pinput=- arg=- dir=skip enum=- default=no\n"
        "leave Field 1:265 parent=Dog type=Boolean field=barks input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:285 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:293 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter IntValue 1:296 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave IntValue 1:296 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Argument 1:293 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:299 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:301 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:301 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:299 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:285 parent=Dog type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:263 parent=Dog type=Dog field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave FragmentDefinition 1:245 parent=- type=Dog field=- input=- pinput=- arg=- dir=- enum=- default=no\n");
    check_trace(
        "{ human(id: 4) { name(surname: true) pets { ... { name } ... on Cat { lives } } } catOrDog { __typename ... "
        "on Dog { size } } __type(name: \"Dog\") { name } }",
        "enter OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:1 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:3 parent=Query type=Human field=human input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:9 parent=Query type=Human field=human input=ID! pinput=- arg=id dir=- enum=- default=no\n"
        "enter IntValue 1:13 parent=Query type=Human field=human input=ID! pinput=- arg=id dir=- enum=- default=no\n"
        "leave IntValue 1:13 parent=Query type=Human field=human input=ID! pinput=- arg=id dir=- enum=- default=no\n"
        "leave Argument 1:9 parent=Query type=Human field=human input=ID! pinput=- arg=id dir=- enum=- default=no\n"
        "enter SelectionSet 1:16 parent=Human type=Human field=human input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:18 parent=Human type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:23 parent=Human type=String field=name input=Boolean pinput=- arg=surname dir=- enum=- "
        "default=no\n"
        "enter BooleanValue 1:32 parent=Human type=String field=name input=Boolean pinput=- arg=surname dir=- enum=- "
        "default=no\n"
        "leave BooleanValue 1:32 parent=Human type=String field=name input=Boolean pinput=- arg=surname dir=- enum=- "
        "default=no\n"
        "leave Argument 1:23 parent=Human type=String field=name input=Boolean pinput=- arg=surname dir=- enum=- "
        "default=no\n"
        "leave Field 1:18 parent=Human type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:38 parent=Human type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:43 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter InlineFragment 1:45 parent=Pet type=Pet field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:49 parent=Pet type=Pet field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:51 parent=Pet type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:51 parent=Pet type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:49 parent=Pet type=Pet field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave InlineFragment 1:45 parent=Pet type=Pet field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter InlineFragment 1:58 parent=Pet type=Cat field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:65 parent=Pet type=Cat field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:69 parent=Cat type=Cat field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:71 parent=Cat type=Int field=lives input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:71 parent=Cat type=Int field=lives input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:69 parent=Cat type=Cat field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave InlineFragment 1:58 parent=Pet type=Cat field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:43 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:38 parent=Human type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:16 parent=Human type=Human field=human input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:3 parent=Query type=Human field=human input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:83 parent=Query type=CatOrDog field=catOrDog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:92 parent=CatOrDog type=CatOrDog field=catOrDog input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter Field 1:94 parent=CatOrDog type=String! field=__typename input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave Field 1:94 parent=CatOrDog type=String! field=__typename input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter InlineFragment 1:105 parent=CatOrDog type=Dog field=catOrDog input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter NamedType 1:112 parent=CatOrDog type=Dog field=catOrDog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:116 parent=Dog type=Dog field=catOrDog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:118 parent=Dog type=Size field=size input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:118 parent=Dog type=Size field=size input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:116 parent=Dog type=Dog field=catOrDog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave InlineFragment 1:105 parent=CatOrDog type=Dog field=catOrDog input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave SelectionSet 1:92 parent=CatOrDog type=CatOrDog field=catOrDog input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave Field 1:83 parent=Query type=CatOrDog field=catOrDog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:127 parent=Query type=__Type field=__type input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:134 parent=Query type=__Type field=__type input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "enter StringValue 1:140 parent=Query type=__Type field=__type input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "leave StringValue 1:140 parent=Query type=__Type field=__type input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "leave Argument 1:134 parent=Query type=__Type field=__type input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "enter SelectionSet 1:147 parent=__Type type=__Type field=__type input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter Field 1:149 parent=__Type type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:149 parent=__Type type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:147 parent=__Type type=__Type field=__type input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave Field 1:127 parent=Query type=__Type field=__type input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:1 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n");
    check_trace(
        "mutation M { setName(name: \"n\") { owner { relatives { id } } } } subscription S { newCat { meows } }",
        "enter OperationDefinition 1:1 parent=- type=Mutation field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:12 parent=Mutation type=Mutation field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:14 parent=Mutation type=Dog field=setName input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:22 parent=Mutation type=Dog field=setName input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "enter StringValue 1:28 parent=Mutation type=Dog field=setName input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "leave StringValue 1:28 parent=Mutation type=Dog field=setName input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "leave Argument 1:22 parent=Mutation type=Dog field=setName input=String! pinput=- arg=name dir=- enum=- "
        "default=no\n"
        "enter SelectionSet 1:33 parent=Dog type=Dog field=setName input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:35 parent=Dog type=Human field=owner input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:41 parent=Human type=Human field=owner input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:43 parent=Human type=[Human!]! field=relatives input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:53 parent=Human type=[Human!]! field=relatives input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter Field 1:55 parent=Human type=ID! field=id input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:55 parent=Human type=ID! field=id input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:53 parent=Human type=[Human!]! field=relatives input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave Field 1:43 parent=Human type=[Human!]! field=relatives input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:41 parent=Human type=Human field=owner input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:35 parent=Dog type=Human field=owner input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:33 parent=Dog type=Dog field=setName input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:14 parent=Mutation type=Dog field=setName input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:12 parent=Mutation type=Mutation field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave OperationDefinition 1:1 parent=- type=Mutation field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter OperationDefinition 1:66 parent=- type=Subscription field=- input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter SelectionSet 1:81 parent=Subscription type=Subscription field=- input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "enter Field 1:83 parent=Subscription type=Cat field=newCat input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:90 parent=Cat type=Cat field=newCat input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:92 parent=Cat type=Boolean field=meows input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:92 parent=Cat type=Boolean field=meows input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:90 parent=Cat type=Cat field=newCat input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:83 parent=Subscription type=Cat field=newCat input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:81 parent=Subscription type=Subscription field=- input=- pinput=- arg=- dir=- enum=- "
        "default=no\n"
        "leave OperationDefinition 1:66 parent=- type=Subscription field=- input=- pinput=- arg=- dir=- enum=- "
        "default=no\n");
    check_trace(
        "fragment G on Size { a } fragment H on Nope { b } { pets(filter: [1, {size: HUGE}], bogus: 2.5) { id } size }",
        "enter FragmentDefinition 1:1 parent=- type=Size field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:15 parent=- type=Size field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:20 parent=- type=Size field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:22 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:22 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:20 parent=- type=Size field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave FragmentDefinition 1:1 parent=- type=Size field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter FragmentDefinition 1:26 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter NamedType 1:40 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:45 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:47 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:47 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:45 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave FragmentDefinition 1:26 parent=- type=- field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter OperationDefinition 1:51 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:51 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:53 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:58 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "enter ListValue 1:66 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter IntValue 1:67 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave IntValue 1:67 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectValue 1:70 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter ObjectField 1:71 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "enter EnumValue 1:77 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave EnumValue 1:77 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectField 1:71 parent=Query type=[Pet] field=pets input=Size pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ObjectValue 1:70 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave ListValue 1:66 parent=Query type=[Pet] field=pets input=Filter pinput=Filter arg=filter dir=- enum=- "
        "default=no\n"
        "leave Argument 1:58 parent=Query type=[Pet] field=pets input=Filter pinput=- arg=filter dir=- enum=- "
        "default=no\n"
        "enter Argument 1:85 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter FloatValue 1:92 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave FloatValue 1:92 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Argument 1:85 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:97 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:99 parent=Pet type=ID! field=id input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:99 parent=Pet type=ID! field=id input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:97 parent=Pet type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:53 parent=Query type=[Pet] field=pets input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:104 parent=Query type=Size field=size input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:104 parent=Query type=Size field=size input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:51 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave OperationDefinition 1:51 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n");
    check_trace(
        "{ dog @include(if: false) @unknown(x: [1]) @cached(ttl: BIG) { name } }",
        "enter OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter SelectionSet 1:1 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:3 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Directive 1:7 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=include enum=- default=no\n"
        "enter Argument 1:16 parent=Query type=Dog field=dog input=Boolean! pinput=- arg=if dir=include enum=- "
        "default=no\n"
        "enter BooleanValue 1:20 parent=Query type=Dog field=dog input=Boolean! pinput=- arg=if dir=include enum=- "
        "default=no\n"
        "leave BooleanValue 1:20 parent=Query type=Dog field=dog input=Boolean! pinput=- arg=if dir=include enum=- "
        "default=no\n"
        "leave Argument 1:16 parent=Query type=Dog field=dog input=Boolean! pinput=- arg=if dir=include enum=- "
        "default=no\n"
        "leave Directive 1:7 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=include enum=- default=no\n"
        "enter Directive 1:27 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Argument 1:36 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter ListValue 1:39 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter IntValue 1:40 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave IntValue 1:40 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave ListValue 1:39 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Argument 1:36 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Directive 1:27 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Directive 1:44 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=cached enum=- default=no\n"
        "enter Argument 1:52 parent=Query type=Dog field=dog input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "enter EnumValue 1:57 parent=Query type=Dog field=dog input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave EnumValue 1:57 parent=Query type=Dog field=dog input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave Argument 1:52 parent=Query type=Dog field=dog input=Int pinput=- arg=ttl dir=cached enum=- default=no\n"
        "leave Directive 1:44 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=cached enum=- default=no\n"
        "enter SelectionSet 1:62 parent=Dog type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "enter Field 1:64 parent=Dog type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:64 parent=Dog type=String field=name input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:62 parent=Dog type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave Field 1:3 parent=Query type=Dog field=dog input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave SelectionSet 1:1 parent=Query type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n"
        "leave OperationDefinition 1:1 parent=- type=Query field=- input=- pinput=- arg=- dir=- enum=- default=no\n");
}

static void test_all_rules(void)
{
    VT_CHECK(TEST_SCHEMA,
             "{ dog { nam ...F ...Missing } cat { ...F } } fragment F on Dog { name } fragment F on Dog { barks } "
             "fragment Unused on Cat { meows }",
             NULL,
             "[{\"message\":\"Cannot query field \\\"nam\\\" on type \\\"Dog\\\". Did you mean "
             "\\\"name\\\"?\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Unknown fragment "
             "\\\"Missing\\\".\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Fragment \\\"F\\\" cannot "
             "be spread here as objects of type \\\"Cat\\\" can never be of type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":37}]},{\"message\":\"There can be only one fragment "
             "named "
             "\\\"F\\\".\",\"locations\":[{\"line\":1,\"column\":55},{\"line\":1,\"column\":82}]},{\"message\":"
             "\"Fragment \\\"Unused\\\" is never used.\",\"locations\":[{\"line\":1,\"column\":101}]}]");
    VT_CHECK(TEST_SCHEMA,
             "query Q($a: Int, $a: Dog, $u: Id) { dog @cached(ttl: \"x\") @unique @unique { name(x: 1) friends(first: "
             "$a, first: 2) { name } } } { cat }",
             NULL,
             "[{\"message\":\"There can be only one variable named "
             "\\\"$a\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":1,\"column\":19}]},{\"message\":"
             "\"Variable \\\"$a\\\" cannot be non-input type "
             "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":22}]},{\"message\":\"Unknown type \\\"Id\\\". Did "
             "you mean \\\"ID\\\"?\",\"locations\":[{\"line\":1,\"column\":31}]},{\"message\":\"The directive "
             "\\\"@unique\\\" can only be used once at this "
             "location.\",\"locations\":[{\"line\":1,\"column\":59},{\"line\":1,\"column\":67}]},{\"message\":\"Int "
             "cannot represent non-integer value: "
             "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":54}]},{\"message\":\"Unknown argument \\\"x\\\" on "
             "field \\\"Dog.name\\\".\",\"locations\":[{\"line\":1,\"column\":82}]},{\"message\":\"There can be only "
             "one argument named "
             "\\\"first\\\".\",\"locations\":[{\"line\":1,\"column\":96},{\"line\":1,\"column\":107}]},{\"message\":"
             "\"Variable \\\"$u\\\" is never used in operation "
             "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":27}]},{\"message\":\"Variable \\\"$a\\\" of type "
             "\\\"Dog\\\" used in position expecting type "
             "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":18},{\"line\":1,\"column\":103}]},{\"message\":"
             "\"This anonymous operation must be the only defined "
             "operation.\",\"locations\":[{\"line\":1,\"column\":130}]},{\"message\":\"Field \\\"cat\\\" of type "
             "\\\"Cat\\\" must have a selection of subfields. Did you mean \\\"cat { ... "
             "}\\\"?\",\"locations\":[{\"line\":1,\"column\":132}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "subscription S { newDog { name } newCat { name } } fragment A on Dog { ...B } fragment B on Dog { ...A }",
        NULL,
        "[{\"message\":\"Subscription \\\"S\\\" must select only one top level "
        "field.\",\"locations\":[{\"line\":1,\"column\":34}]},{\"message\":\"Cannot spread fragment \\\"A\\\" within "
        "itself via "
        "\\\"B\\\".\",\"locations\":[{\"line\":1,\"column\":72},{\"line\":1,\"column\":99}]},{\"message\":\"Fragment "
        "\\\"A\\\" is never used.\",\"locations\":[{\"line\":1,\"column\":52}]},{\"message\":\"Fragment \\\"B\\\" is "
        "never used.\",\"locations\":[{\"line\":1,\"column\":79}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "query A { pets(filter: {nested: {size: SMALLL, name: 1}}) { ... on Alien { name } } human { name } }\nquery A "
        "{ size { x } }",
        NULL,
        "[{\"message\":\"Value \\\"SMALLL\\\" does not exist in \\\"Size\\\" enum. Did you mean the enum value "
        "\\\"SMALL\\\"?\",\"locations\":[{\"line\":1,\"column\":40}]},{\"message\":\"String cannot represent a non "
        "string value: 1\",\"locations\":[{\"line\":1,\"column\":54}]},{\"message\":\"Fragment cannot be spread here "
        "as objects of type \\\"Pet\\\" can never be of type "
        "\\\"Alien\\\".\",\"locations\":[{\"line\":1,\"column\":61}]},{\"message\":\"Field \\\"human\\\" argument "
        "\\\"id\\\" of type \\\"ID!\\\" is required, but it was not "
        "provided.\",\"locations\":[{\"line\":1,\"column\":85}]},{\"message\":\"There can be only one operation named "
        "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":7},{\"line\":2,\"column\":7}]},{\"message\":\"Field "
        "\\\"size\\\" must not have a selection since type \\\"Size\\\" has no "
        "subfields.\",\"locations\":[{\"line\":2,\"column\":16}]}]");
    VT_CHECK(
        TEST_SCHEMA, "query Q($f: Filter) { pets(filter: $f) { name } human(id: $id) { id } } type Foo { a: Int }",
        NULL,
        "[{\"message\":\"The \\\"Foo\\\" definition is not "
        "executable.\",\"locations\":[{\"line\":1,\"column\":73}]},{\"message\":\"Variable \\\"$id\\\" is not defined "
        "by operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":59},{\"line\":1,\"column\":1}]}]");
}

/* Variables of an operation found by name: a scan for a few, a map for many (over 16); the last
 * definition of a repeated name is the one checked. Expectations from graphql-js 16.15 with all
 * rules. */
static void test_variables_few_and_many(void)
{
    VT_CHECK(
        TEST_SCHEMA,
        "query Q($v0: Int, $v1: Int, $v2: Int, $v3: Int, $v4: Int, $v5: Int, $v6: Int, $v7: Int, $v8: Int, $v9: Int, "
        "$v10: Int, $v11: Int, $v12: Int, $v13: Int, $v14: Int, $v15: Int, $v16: Int, $v17: Int, $v3: String, $v5: "
        "Boolean, $v3: Int) { dog { f0: friends(first: $v0) { name } f2: friends(first: $v2) { name } f4: "
        "friends(first: $v4) { name } f6: friends(first: $v6) { name } f8: friends(first: $v8) { name } f10: "
        "friends(first: $v10) { name } f12: friends(first: $v12) { name } f14: friends(first: $v14) { name } f16: "
        "friends(first: $v16) { name } g: friends(first: $undefinedOne) { name } h: friends(first: $v5) { name } k: "
        "friends(first: $v3) { name } } }",
        NULL,
        "[{\"message\":\"There can be only one variable named "
        "\\\"$v3\\\".\",\"locations\":[{\"line\":1,\"column\":40},{\"line\":1,\"column\":198},{\"line\":1,\"column\":"
        "225}]},{\"message\":\"There can be only one variable named "
        "\\\"$v5\\\".\",\"locations\":[{\"line\":1,\"column\":60},{\"line\":1,\"column\":211}]},{\"message\":"
        "\"Variable \\\"$undefinedOne\\\" is not defined by operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":565},{\"line\":1,\"column\":1}]},{\"message\":\"Variable "
        "\\\"$v1\\\" is never used in operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":19}]},{\"message\":\"Variable \\\"$v7\\\" is never used in "
        "operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":79}]},{\"message\":\"Variable \\\"$v9\\\" is "
        "never used in operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":99}]},{\"message\":\"Variable "
        "\\\"$v11\\\" is never used in operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":120}]},{\"message\":\"Variable \\\"$v13\\\" is never used "
        "in operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":142}]},{\"message\":\"Variable \\\"$v15\\\" "
        "is never used in operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":164}]},{\"message\":\"Variable "
        "\\\"$v17\\\" is never used in operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":186}]},{\"message\":\"Variable \\\"$v5\\\" of type "
        "\\\"Boolean\\\" used in position expecting type "
        "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":210},{\"line\":1,\"column\":607}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "query Q($a: Int, $b: Int, $a: Boolean) { dog { friends(first: $a) { name } x: friends(first: $c) { name } } }",
        NULL,
        "[{\"message\":\"There can be only one variable named "
        "\\\"$a\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":1,\"column\":28}]},{\"message\":\"Variable "
        "\\\"$c\\\" is not defined by operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":94},{\"line\":1,\"column\":1}]},{\"message\":\"Variable "
        "\\\"$b\\\" is never used in operation "
        "\\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":18}]},{\"message\":\"Variable \\\"$a\\\" of type "
        "\\\"Boolean\\\" used in position expecting type "
        "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":27},{\"line\":1,\"column\":63}]}]");
}

/* Fragments found by name: a scan for a few, the map for many (over 16); the last fragment of a
 * repeated name is the one used. Expectations from graphql-js 16.15 with all rules. */
static void test_fragments_few_and_many(void)
{
    VT_CHECK(TEST_SCHEMA,
             "{ dog { ...U0 ...U1 ...U2 ...U3 ...U4 ...U5 ...U6 ...U7 ...U8 ...U9 ...U10 ...U11 ...U12 ...U13 ...U14 "
             "...U15 ...U16 ...U17 ...U18 ...U19 } }\nfragment U0 on Dog { name }\nfragment U1 on Dog { name "
             "}\nfragment U2 on Dog { name }\nfragment U3 on Dog { name }\nfragment U4 on Dog { name }\nfragment U5 on "
             "Dog { name }\nfragment U6 on Dog { name }\nfragment U7 on Dog { name }\nfragment U8 on Dog { name "
             "}\nfragment U9 on Dog { name }\nfragment U10 on Dog { name }\nfragment U11 on Dog { name }\nfragment U12 "
             "on Dog { name }\nfragment U13 on Dog { name }\nfragment U14 on Dog { name }\nfragment U15 on Dog { name "
             "}\nfragment U16 on Dog { name }\nfragment U17 on Dog { name }\nfragment U18 on Dog { name }\nfragment "
             "U19 on Dog { name }\nfragment Unused on Dog { name }",
             NULL,
             "[{\"message\":\"Fragment \\\"Unused\\\" is never used.\",\"locations\":[{\"line\":22,\"column\":1}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "{ dog { ...F1 ...F2 ...F4 ...F5 ...F7 ...F8 ...F10 ...F11 ...F13 ...F14 ...F16 ...F17 ...Missing } "
        "}\nfragment F0 on Dog { name }\nfragment F1 on Dog { name }\nfragment F2 on Dog { name }\nfragment F3 on Dog "
        "{ name }\nfragment F4 on Dog { name }\nfragment F5 on Dog { name }\nfragment F6 on Dog { name }\nfragment F7 "
        "on Dog { name }\nfragment F8 on Dog { name }\nfragment F9 on Dog { name }\nfragment F10 on Dog { name "
        "}\nfragment F11 on Dog { name }\nfragment F12 on Dog { name }\nfragment F13 on Dog { name }\nfragment F14 on "
        "Dog { name }\nfragment F15 on Dog { name }\nfragment F16 on Dog { name }\nfragment F17 on Dog { name "
        "}\nfragment F4 on Cat { meows }\nfragment F7 on Dog { barks }",
        NULL,
        "[{\"message\":\"Fragment \\\"F4\\\" cannot be spread here as objects of type \\\"Dog\\\" can never be of type "
        "\\\"Cat\\\".\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Unknown fragment "
        "\\\"Missing\\\".\",\"locations\":[{\"line\":1,\"column\":90}]},{\"message\":\"There can be only one fragment "
        "named "
        "\\\"F4\\\".\",\"locations\":[{\"line\":6,\"column\":10},{\"line\":20,\"column\":10}]},{\"message\":\"There "
        "can be only one fragment named "
        "\\\"F7\\\".\",\"locations\":[{\"line\":9,\"column\":10},{\"line\":21,\"column\":10}]},{\"message\":\"Fragment "
        "\\\"F0\\\" is never used.\",\"locations\":[{\"line\":2,\"column\":1}]},{\"message\":\"Fragment \\\"F3\\\" is "
        "never used.\",\"locations\":[{\"line\":5,\"column\":1}]},{\"message\":\"Fragment \\\"F6\\\" is never "
        "used.\",\"locations\":[{\"line\":8,\"column\":1}]},{\"message\":\"Fragment \\\"F9\\\" is never "
        "used.\",\"locations\":[{\"line\":11,\"column\":1}]},{\"message\":\"Fragment \\\"F12\\\" is never "
        "used.\",\"locations\":[{\"line\":14,\"column\":1}]},{\"message\":\"Fragment \\\"F15\\\" is never "
        "used.\",\"locations\":[{\"line\":17,\"column\":1}]}]");
    VT_CHECK(
        TEST_SCHEMA,
        "{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { nickname } fragment A on Cat { meows }",
        NULL,
        "[{\"message\":\"Fragment \\\"A\\\" cannot be spread here as objects of type \\\"Dog\\\" can never be of type "
        "\\\"Cat\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"There can be only one fragment named "
        "\\\"A\\\".\",\"locations\":[{\"line\":1,\"column\":32},{\"line\":1,\"column\":90}]}]");
}

/* MaxIntrospectionDepth through a chain of more fragments than it scans (over 16): over and
 * under the limit. Expectations from graphql-js 16.15 with all rules. */
static void test_introspection_depth_many_fragments(void)
{
    VT_CHECK(TEST_SCHEMA,
             "{ __schema { types { ...F0 ...F3 } } }\nfragment F0 on __Type { name ...F1 }\nfragment F1 on __Type { "
             "name ...F2 }\nfragment F2 on __Type { name ...F3 }\nfragment F3 on __Type { name ...F4 }\nfragment F4 on "
             "__Type { name ...F5 }\nfragment F5 on __Type { name ...F6 }\nfragment F6 on __Type { name ...F7 "
             "}\nfragment F7 on __Type { name ...F8 }\nfragment F8 on __Type { name ...F9 }\nfragment F9 on __Type { "
             "name ...F10 }\nfragment F10 on __Type { name ...F11 }\nfragment F11 on __Type { name ...F12 }\nfragment "
             "F12 on __Type { name ...F13 }\nfragment F13 on __Type { name ...F14 }\nfragment F14 on __Type { name "
             "...F15 }\nfragment F15 on __Type { name ...F16 }\nfragment F16 on __Type { name ...F17 }\nfragment F17 "
             "on __Type { name ...F18 }\nfragment F18 on __Type { name ...F19 }\nfragment F19 on __Type { name ...F20 "
             "}\nfragment F20 on __Type { fields { type { fields { type { fields { name } } } } } }",
             NULL,
             "[{\"message\":\"Maximum introspection depth exceeded\",\"locations\":[{\"line\":1,\"column\":3}]}]");
    VT_CHECK(TEST_SCHEMA,
             "{ __schema { types { ...F0 ...F3 } } }\nfragment F0 on __Type { name ...F1 }\nfragment F1 on __Type { "
             "name ...F2 }\nfragment F2 on __Type { name ...F3 }\nfragment F3 on __Type { name ...F4 }\nfragment F4 on "
             "__Type { name ...F5 }\nfragment F5 on __Type { name ...F6 }\nfragment F6 on __Type { name ...F7 "
             "}\nfragment F7 on __Type { name ...F8 }\nfragment F8 on __Type { name ...F9 }\nfragment F9 on __Type { "
             "name ...F10 }\nfragment F10 on __Type { name ...F11 }\nfragment F11 on __Type { name ...F12 }\nfragment "
             "F12 on __Type { name ...F13 }\nfragment F13 on __Type { name ...F14 }\nfragment F14 on __Type { name "
             "...F15 }\nfragment F15 on __Type { name ...F16 }\nfragment F16 on __Type { name ...F17 }\nfragment F17 "
             "on __Type { name ...F18 }\nfragment F18 on __Type { name ...F19 }\nfragment F19 on __Type { name ...F20 "
             "}\nfragment F20 on __Type { fields { type { fields { name } } } }",
             NULL, "[]");
}

static void test_max_errors(void)
{
    VT_CHECK_OPTS(TEST_SCHEMA, "{ a0: nope0 a1: nope1 a2: nope2 a3: nope3 a4: nope4 a5: nope5 a6: nope6 a7: nope7 }",
                  NULL, &(gg_validate_options){.max_errors = 3},
                  "[{\"message\":\"Cannot query field \\\"nope0\\\" on type \\\"Query\\\". Did you mean \\\"node\\\" "
                  "or \\\"pet\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":\"Cannot query field "
                  "\\\"nope1\\\" on type \\\"Query\\\". Did you mean \\\"node\\\" or "
                  "\\\"pet\\\"?\",\"locations\":[{\"line\":1,\"column\":13}]},{\"message\":\"Cannot query field "
                  "\\\"nope2\\\" on type \\\"Query\\\". Did you mean \\\"node\\\" or "
                  "\\\"pet\\\"?\",\"locations\":[{\"line\":1,\"column\":23}]},{\"message\":\"Too many validation "
                  "errors, error limit reached. Validation aborted.\"}]");
    /* the default limit is 100 */
    gg_buf doc;
    gg_buf_init(&doc);
    gg_buf_puts(&doc, "{ ");
    for (int i = 0; i < 120; i++)
        gg_buf_printf(&doc, "a%d: x ", i);
    gg_buf_puts(&doc, "}");
    char *got = vt_run(TEST_SCHEMA, doc.data, NULL);
    CHECK_STR(
        got,
        "[{\"message\":\"Cannot query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Cannot query field \\\"x\\\" "
        "on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":15}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":21}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":27}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":33}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":39}]},{\"message\":\"Cannot query field \\\"x\\\" "
        "on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":45}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":51}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":57}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":63}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":70}]},{\"message\":\"Cannot query field \\\"x\\\" "
        "on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":77}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":84}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":91}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":98}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":105}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":112}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":119}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":126}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":133}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":140}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":147}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":154}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":161}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":168}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":175}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":182}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":189}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":196}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":203}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":210}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":217}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":224}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":231}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":238}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":245}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":252}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":259}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":266}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":273}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":280}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":287}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":294}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":301}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":308}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":315}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":322}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":329}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":336}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":343}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":350}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":357}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":364}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":371}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":378}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":385}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":392}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":399}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":406}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":413}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":420}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":427}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":434}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":441}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":448}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":455}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":462}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":469}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":476}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":483}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":490}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":497}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":504}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":511}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":518}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":525}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":532}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":539}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":546}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":553}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":560}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":567}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":574}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":581}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":588}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":595}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":602}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":609}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":616}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":623}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":630}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":637}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":644}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":651}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":658}]},{\"message\":\"Cannot query field \\\"x\\\" on "
        "type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":665}]},{\"message\":\"Cannot query field "
        "\\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":672}]},{\"message\":\"Cannot query "
        "field \\\"x\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":679}]},{\"message\":\"Cannot "
        "query field \\\"x\\\" on type "
        "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":686}]},{\"message\":\"Too many validation errors, "
        "error limit reached. Validation aborted.\"}]");
    free(got);
    gg_buf_free(&doc);
}

static void test_no_suggestions(void)
{
    VT_CHECK_OPTS(
        TEST_SCHEMA,
        "{ dog { nam } pets(filter: {nme: \"x\", size: SMAL}) { ... on Dgo { name } } } query Q($a: Strin) { cat { "
        "name(surnam: true) } }",
        NULL, &(gg_validate_options){.no_suggestions = true},
        "[{\"message\":\"This anonymous operation must be the only defined "
        "operation.\",\"locations\":[{\"line\":1,\"column\":1}]},{\"message\":\"Cannot query field \\\"nam\\\" on type "
        "\\\"Dog\\\".\",\"locations\":[{\"line\":1,\"column\":9}]},{\"message\":\"Field \\\"nme\\\" is not defined by "
        "type \\\"Filter\\\".\",\"locations\":[{\"line\":1,\"column\":29}]},{\"message\":\"Value \\\"SMAL\\\" does not "
        "exist in \\\"Size\\\" enum.\",\"locations\":[{\"line\":1,\"column\":45}]},{\"message\":\"Unknown type "
        "\\\"Dgo\\\".\",\"locations\":[{\"line\":1,\"column\":61}]},{\"message\":\"Unknown type "
        "\\\"Strin\\\".\",\"locations\":[{\"line\":1,\"column\":90}]},{\"message\":\"Unknown argument \\\"surnam\\\" "
        "on field \\\"Cat.name\\\".\",\"locations\":[{\"line\":1,\"column\":110}]},{\"message\":\"Variable \\\"$a\\\" "
        "is never used in operation \\\"Q\\\".\",\"locations\":[{\"line\":1,\"column\":86}]}]");
}

/* 250 fragments that each spread all 250: 62500 units of fragment work exceed graphql-js's 50000. */
static void test_fragment_budget(void)
{
    gg_buf doc;
    gg_buf_init(&doc);
    gg_buf_puts(&doc, "{ dog { ...F0 } }");
    for (int i = 0; i < 250; i++) {
        gg_buf_printf(&doc, " fragment F%d on Dog {", i);
        for (int k = 0; k < 250; k++)
            gg_buf_printf(&doc, " ...F%d", k);
        gg_buf_puts(&doc, " }");
    }
    char *got = vt_run(TEST_SCHEMA, doc.data, &gg_rule_no_unused_fragments);
    CHECK_STR(got, "[{\"message\":\"Validation aborted.\"}]");
    free(got);
    gg_buf_free(&doc);
}

int main(void)
{
    RUN(test_type_info);
    RUN(test_all_rules);
    RUN(test_variables_few_and_many);
    RUN(test_fragments_few_and_many);
    RUN(test_introspection_depth_many_fragments);
    RUN(test_max_errors);
    RUN(test_no_suggestions);
    RUN(test_fragment_budget);
    return test_summary();
}
