// scalars_oracle.mjs: prints the case table of tests/unit/graphql/type/scalars.c from graphql-js
// (the oracle), so every expected value and message there is what graphql-js v16 answers.
// Usage: node tests/unit/graphql/type/scalars_oracle.mjs > /tmp/cases.h, then paste the rows.
// Inputs of serialize and parse_value are JSON text; inputs of parse_literal are GraphQL literals.
import { GraphQLBoolean, GraphQLFloat, GraphQLID, GraphQLInt, GraphQLScalarType, GraphQLString, parseValue } from 'graphql';

const scalars = { Int: GraphQLInt, Float: GraphQLFloat, String: GraphQLString, Boolean: GraphQLBoolean, ID: GraphQLID,
  Custom: new GraphQLScalarType({ name: 'Custom' }) };
const json = ['1', '-0', '1.0', '1.5', '3000000000', '2147483647', '2147483648', '-2147483648', '-2147483649',
  '9007199254740993', '1e300', '1e-7', '0.1', '1e21', '"12"', '" 12 "', '""', '"  "', '"0x10"', '"1e3"', '"1.5"',
  '"abc"', '"Infinity"', '"-0x10"', '".5e1"', '"1e1000"', 'true', 'false', 'null', '[]', '[1]', '{}', '{"a":1}',
  '{"a":{"b":{"c":1}}}', '[1,2,3,4,5,6,7,8,9,10,11,12]', '[[[[1]]]]', '"x\\"y\\n"'];
const literals = ['1', '-0', '0', '1.5', '-1.5e3', '1e1000', '2147483647', '2147483648', '-2147483648', '-2147483649',
  '99999999999999999999', '"abc"', '"1"', '""', '"""block"""', '"""a\\nb"""', '"""  indented"""', '"x\\u0080\\n\\"y"',
  'true', 'false', 'null', 'ENUM_VALUE', '[1, "a"]', '{a: 1, b: [true, null]}', '[]', '{}', '$var'];

const c = (s) => JSON.stringify(s); // a C string literal for ASCII text
for (const [name, type] of Object.entries(scalars)) {
  const run = (path, input, fn) => {
    let ok = true, out;
    try {
      const v = fn();
      out = v === undefined ? 'undefined' : JSON.stringify(v);
    } catch (e) { ok = false; out = e.message; }
    console.log(`    {${c(name)}, ${path}, ${c(input)}, ${ok}, ${c(out)}},`);
  };
  for (const j of json) run('SERIALIZE', j, () => type.serialize(JSON.parse(j)));
  for (const j of json) run('PARSE_VALUE', j, () => type.parseValue(JSON.parse(j)));
  for (const l of literals) run('PARSE_LITERAL', l, () => type.parseLiteral(parseValue(l), undefined));
}
