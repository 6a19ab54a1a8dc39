// values_oracle.mjs: prints graphql-js answers for the cases of values.c (run from the repository root:
// node tests/unit/graphql/execute/values_oracle.mjs); values.c holds them as expectations.
import { buildSchema, parse, parseValue, valueFromAST, astFromValue, print, coerceInputValue } from 'graphql';
import { getVariableValues, getArgumentValues } from 'graphql/execution/values.js';
import { inspect } from 'graphql/jsutils/inspect.js';
const schema = buildSchema(`
type Query { f(a: Int!, b: [Int] = 1, c: In, d: Color = GREEN, o: One): String g(x: Float, y: ID): String }
input In { n: Int! m: [Int] = [1] e: Color = RED deep: In2 }
input In2 { k: [Int!]! }
input One @oneOf { p: Int q: String }
enum Color { RED GREEN }
`);
const vars = [
  ['($x: Int!)', {}],
  ['($x: Int!)', { x: null }],
  ['($x: Int)', { x: 'a' }],
  ['($x: In)', { x: { m: 1, deep: { k: [1, null] } } }],
  ['($x: One)', { x: { p: 1, q: 'a' } }],
  ['($x: One)', { x: { p: null } }],
  ['($x: [Int], $y: Color = RED, $z: String)', { x: 5, z: 1 }],
  ['($x: [Int], $y: Color = RED, $z: String)', { x: 5 }],
  ['($x: Color, $y: Color)', { x: 'BLUEE', y: 1 }],
  ['($x: In)', { x: { n: 1, e: 'GREEN', nn: 1 } }],
  ['($x: [[Int]])', { x: [[1], 2, null] }],
];
for (const [defs, inputs] of vars) {
  const doc = parse(`query ${defs} { f(a: 1) }`);
  const r = getVariableValues(schema, doc.definitions[0].variableDefinitions, inputs, { maxErrors: 50 });
  console.log(JSON.stringify([defs, JSON.stringify(inputs), r.errors ? r.errors.map((e) => e.message + ' @' + e.locations[0].column).join(' | ') : JSON.stringify(r.coerced)]));
}
const T = (s) => { const t = parse(`query($v: ${s}) { f(a: 1) }`).definitions[0].variableDefinitions[0].type; return t; };
import { typeFromAST } from 'graphql';
const lits = [['[1, 2]', '[Int]'], ['1', '[Int]'], ['{n: 1}', 'In'], ['{n: $v}', 'In'], ['{p: 1, q: "a"}', 'One'], ['BLUE', 'Color'], ['"RED"', 'Color'], ['{n: 1, m: null}', 'In'], ['[1, $v]', '[Int]'], ['[1, $v]', '[Int!]'], ['1.0', 'Float'], ['"123"', 'ID'], ['"a\\nb"', 'String'], ['{n: 1, deep: {k: 3}}', 'In']];
for (const [lit, ty] of lits) {
  const type = typeFromAST(schema, T(ty));
  const v = valueFromAST(parseValue(lit), type, {});
  const ast = v === undefined ? null : astFromValue(v, type);
  console.log(JSON.stringify([lit, ty, v === undefined ? 'INVALID' : JSON.stringify(v), ast ? print(ast) : null]));
}
console.log(inspect({ a: [1, { b: { c: 1 } }], s: 'x', l: [1,2,3,4,5,6,7,8,9,10,11,12], e: {}, n: null, f: 1.5 }));
const field = schema.getQueryType().getFields().f;
for (const q of ['{ f }', '{ f(a: 1, c: {n: 2}) }', '{ f(a: $u) }', '{ f(a: null) }', '{ f(a: "x") }', '{ f(a: 1, b: [1, $w]) }']) {
  const node = parse(q).definitions[0].selectionSet.selections[0];
  try { console.log(JSON.stringify([q, JSON.stringify(getArgumentValues(field, node, { w: 5 }))])); }
  catch (e) { console.log(JSON.stringify([q, e.message + ' @' + e.locations[0].column])); }
}
