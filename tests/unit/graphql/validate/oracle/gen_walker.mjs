// gen_walker.mjs: regenerates ../validate.c (walker tests): TypeInfo traces printed by graphql-js
// visitWithTypeInfo, and validate() results for all rules, the error limit, hidden suggestions and
// the fragment work budget. Usage, from the repository root:
//   node tests/unit/graphql/validate/oracle/gen_walker.mjs
import { buildSchema, parse, validate, visit, TypeInfo, visitWithTypeInfo, NoUnusedFragmentsRule } from 'graphql';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = buildSchema(fs.readFileSync(path.join(here, 'schema.graphql'), 'utf8'));
const kinds = new Set(['OperationDefinition', 'FragmentDefinition', 'VariableDefinition', 'SelectionSet', 'Field', 'FragmentSpread', 'InlineFragment', 'Directive', 'Argument', 'Variable', 'IntValue', 'FloatValue', 'StringValue', 'BooleanValue', 'NullValue', 'EnumValue', 'ListValue', 'ObjectValue', 'ObjectField', 'NamedType']);
function probe(doc) {
  const ti = new TypeInfo(schema);
  const lines = [];
  const n = (x) => (x ? String(x.name ?? x) : '-');
  const line = (what, node) => {
    lines.push(`${what} ${node.kind} ${node.loc.startToken.line}:${node.loc.startToken.column} parent=${n(ti.getParentType())} type=${ti.getType() ? String(ti.getType()) : '-'} field=${n(ti.getFieldDef())} input=${ti.getInputType() ? String(ti.getInputType()) : '-'} pinput=${ti.getParentInputType() ? String(ti.getParentInputType()) : '-'} arg=${n(ti.getArgument())} dir=${n(ti.getDirective())} enum=${n(ti.getEnumValue())} default=${ti.getDefaultValue() !== undefined ? 'yes' : 'no'}`);
  };
  visit(parse(doc), visitWithTypeInfo(ti, {
    enter(node) { if (kinds.has(node.kind)) line('enter', node); },
    leave(node) { if (kinds.has(node.kind) && node.kind !== 'NamedType') line('leave', node); },
  }));
  return lines.join('\n') + '\n';
}

const c = (s) => JSON.stringify(s);
const probeDocs = [
  'query Q($a: [Filter!] = [{name: "x", size: SMALL}], $b: Int @onVariable) @cached(ttl: 1) { dog { name ... on Pet { nickname } friends(first: $b) { ...F } } pets(filter: {size: LARGE, tags: ["a", $s], nested: {name: null, bogus: 1}}) { name } } fragment F on Dog { barks @skip(if: $c) unknown(x: 1) { a } }',
  '{ human(id: 4) { name(surname: true) pets { ... { name } ... on Cat { lives } } } catOrDog { __typename ... on Dog { size } } __type(name: "Dog") { name } }',
  'mutation M { setName(name: "n") { owner { relatives { id } } } } subscription S { newCat { meows } }',
  'fragment G on Size { a } fragment H on Nope { b } { pets(filter: [1, {size: HUGE}], bogus: 2.5) { id } size }',
  '{ dog @include(if: false) @unknown(x: [1]) @cached(ttl: BIG) { name } }',
];
const allDocs = [
  '{ dog { nam ...F ...Missing } cat { ...F } } fragment F on Dog { name } fragment F on Dog { barks } fragment Unused on Cat { meows }',
  'query Q($a: Int, $a: Dog, $u: Id) { dog @cached(ttl: "x") @unique @unique { name(x: 1) friends(first: $a, first: 2) { name } } } { cat }',
  'subscription S { newDog { name } newCat { name } } fragment A on Dog { ...B } fragment B on Dog { ...A }',
  'query A { pets(filter: {nested: {size: SMALLL, name: 1}}) { ... on Alien { name } } human { name } }\nquery A { size { x } }',
  'query Q($f: Filter) { pets(filter: $f) { name } human(id: $id) { id } } type Foo { a: Int }',
];
let out = `/* validate.c: tests of the validation walker (server/graphql/validate/validate.c).
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
                  "%s %s %u:%u parent=%s type=%s field=%s input=%s pinput=%s arg=%s dir=%s enum=%s default=%s\\n", what,
                  kind, loc.line, loc.column, type_text(ctx, ctx->parent_type), type_text(ctx, ctx->type),
                  ctx->field_def ? ctx->field_def->name : "-", type_text(ctx, ctx->input_type),
                  type_text(ctx, ctx->parent_input_type), ctx->argument ? ctx->argument->name : "-",
                  ctx->directive ? ctx->directive->name : "-", ctx->enum_value ? ctx->enum_value->name : "-",
                  ctx->has_default_value ? "yes" : "no");
}

static const char *value_kind(const gg_value *v)
{
    static const char *const names[] = {"Variable",  "IntValue", "FloatValue", "StringValue", "BooleanValue",
                                        "NullValue", "EnumValue", "ListValue",  "ObjectValue"};
    return names[v->kind];
}

static const char *selection_kind(const gg_selection *s)
{
    return s->kind == GG_SELECTION_FIELD ? "Field" : s->kind == GG_SELECTION_FRAGMENT_SPREAD ? "FragmentSpread" : "InlineFragment";
}

static const char *definition_kind(const gg_definition *d)
{
    return d->kind == GG_DEF_OPERATION ? "OperationDefinition" : "FragmentDefinition";
}

static void enter_definition(gg_vctx *c, void *s, const gg_definition *d) { probe_line(c, "enter", definition_kind(d), d->loc); }
static void leave_definition(gg_vctx *c, void *s, const gg_definition *d) { probe_line(c, "leave", definition_kind(d), d->loc); }
static void enter_variable_definition(gg_vctx *c, void *s, const gg_variable_definition *v) { probe_line(c, "enter", "VariableDefinition", v->loc); }
static void leave_variable_definition(gg_vctx *c, void *s, const gg_variable_definition *v) { probe_line(c, "leave", "VariableDefinition", v->loc); }
static void enter_selection_set(gg_vctx *c, void *s, const gg_selection_set *set) { probe_line(c, "enter", "SelectionSet", set->loc); }
static void leave_selection_set(gg_vctx *c, void *s, const gg_selection_set *set) { probe_line(c, "leave", "SelectionSet", set->loc); }
static void enter_selection(gg_vctx *c, void *s, const gg_selection *sel) { probe_line(c, "enter", selection_kind(sel), sel->loc); }
static void leave_selection(gg_vctx *c, void *s, const gg_selection *sel) { probe_line(c, "leave", selection_kind(sel), sel->loc); }
static void enter_directive(gg_vctx *c, void *s, const gg_directive *d) { probe_line(c, "enter", "Directive", d->loc); }
static void leave_directive(gg_vctx *c, void *s, const gg_directive *d) { probe_line(c, "leave", "Directive", d->loc); }
static void enter_argument(gg_vctx *c, void *s, const gg_argument *a) { probe_line(c, "enter", "Argument", a->loc); }
static void leave_argument(gg_vctx *c, void *s, const gg_argument *a) { probe_line(c, "leave", "Argument", a->loc); }
static void enter_value(gg_vctx *c, void *s, const gg_value *v) { probe_line(c, "enter", value_kind(v), v->loc); }
static void leave_value(gg_vctx *c, void *s, const gg_value *v) { probe_line(c, "leave", value_kind(v), v->loc); }
static void enter_object_field(gg_vctx *c, void *s, const gg_object_field *f) { probe_line(c, "enter", "ObjectField", f->loc); }
static void leave_object_field(gg_vctx *c, void *s, const gg_object_field *f) { probe_line(c, "leave", "ObjectField", f->loc); }
static void enter_named_type(gg_vctx *c, void *s, const gg_type_ref *t) { probe_line(c, "enter", "NamedType", t->loc); }

static const gg_rule probe_rule = {
    .name = "Probe",
    .enter_definition = enter_definition, .leave_definition = leave_definition,
    .enter_variable_definition = enter_variable_definition, .leave_variable_definition = leave_variable_definition,
    .enter_selection_set = enter_selection_set, .leave_selection_set = leave_selection_set,
    .enter_selection = enter_selection, .leave_selection = leave_selection,
    .enter_directive = enter_directive, .leave_directive = leave_directive,
    .enter_argument = enter_argument, .leave_argument = leave_argument,
    .enter_value = enter_value, .leave_value = leave_value,
    .enter_object_field = enter_object_field, .leave_object_field = leave_object_field,
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
`;
for (const d of probeDocs) out += `    check_trace(${c(d)},\n                ${probe(d).split('\n').filter(Boolean).map((l) => c(l + '\n')).join('\n                ')});\n`;
out += `}

static void test_all_rules(void)
{
`;
for (const d of allDocs) {
  const json = JSON.stringify(validate(schema, parse(d)).map((e) => e.toJSON()));
  out += `    VT_CHECK(TEST_SCHEMA, ${c(d)}, NULL,\n             ${c(json)});\n`;
}
const many = '{ ' + Array.from({ length: 8 }, (_, i) => `a${i}: nope${i}`).join(' ') + ' }';
const lim = JSON.stringify(validate(schema, parse(many), undefined, { maxErrors: 3 }).map((e) => e.toJSON()));
const lim100 = JSON.stringify(validate(schema, parse('{ ' + Array.from({ length: 120 }, (_, i) => `a${i}: x`).join(' ') + ' }')).map((e) => e.toJSON()));
const hideDoc = '{ dog { nam } pets(filter: {nme: "x", size: SMAL}) { ... on Dgo { name } } } query Q($a: Strin) { cat { name(surnam: true) } }';
const hide = JSON.stringify(validate(schema, parse(hideDoc), undefined, { hideSuggestions: true }).map((e) => e.toJSON()));
out += `}

static void test_max_errors(void)
{
    VT_CHECK_OPTS(TEST_SCHEMA, ${c(many)}, NULL, &(gg_validate_options){.max_errors = 3},
                  ${c(lim)});
    /* the default limit is 100 */
    gg_buf doc;
    gg_buf_init(&doc);
    gg_buf_puts(&doc, "{ ");
    for (int i = 0; i < 120; i++)
        gg_buf_printf(&doc, "a%d: x ", i);
    gg_buf_puts(&doc, "}");
    char *got = vt_run(TEST_SCHEMA, doc.data, NULL);
    CHECK_STR(got, ${c(lim100)});
    free(got);
    gg_buf_free(&doc);
}

static void test_no_suggestions(void)
{
    VT_CHECK_OPTS(TEST_SCHEMA, ${c(hideDoc)}, NULL, &(gg_validate_options){.no_suggestions = true},
                  ${c(hide)});
}
`;
// fragment work budget: N fragments each spreading all of them
const N = 250;
let budgetDoc = '{ dog { ...F0 } }';
for (let i = 0; i < N; i++) { budgetDoc += ` fragment F${i} on Dog {`; for (let k = 0; k < N; k++) budgetDoc += ` ...F${k}`; budgetDoc += ' }'; }
const budget = JSON.stringify(validate(schema, parse(budgetDoc), [NoUnusedFragmentsRule]).map((e) => e.toJSON()));
out += `
/* ${N} fragments that each spread all ${N}: ${N * N} units of fragment work exceed graphql-js's 50000. */
static void test_fragment_budget(void)
{
    gg_buf doc;
    gg_buf_init(&doc);
    gg_buf_puts(&doc, "{ dog { ...F0 } }");
    for (int i = 0; i < ${N}; i++) {
        gg_buf_printf(&doc, " fragment F%d on Dog {", i);
        for (int k = 0; k < ${N}; k++)
            gg_buf_printf(&doc, " ...F%d", k);
        gg_buf_puts(&doc, " }");
    }
    char *got = vt_run(TEST_SCHEMA, doc.data, &gg_rule_no_unused_fragments);
    CHECK_STR(got, ${c(budget)});
    free(got);
    gg_buf_free(&doc);
}

int main(void)
{
    RUN(test_type_info);
    RUN(test_all_rules);
    RUN(test_max_errors);
    RUN(test_no_suggestions);
    RUN(test_fragment_budget);
    return test_summary();
}
`;
fs.writeFileSync(path.join(here, '..', 'validate.c'), out);
