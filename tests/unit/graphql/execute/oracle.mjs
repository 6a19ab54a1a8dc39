// oracle.mjs: prints what graphql-js (the pinned version in /work/main/node_modules) answers for
// one case, in graphgate's key order ({"data", "errors"}), to write the expectations of the C
// unit tests here. Usage (from the repository root):
//   node tests/unit/graphql/execute/oracle.mjs '<sdl>' '<query>' ['<variables json>'] ['<root json>']
// Resolvers follow the convention of the tests: a member {"__error": "msg"} makes the field fail
// with "msg"; abstract types resolve through "__typename". With the query "INTROSPECTION" it runs
// getIntrospectionQuery with every option.
import { buildSchema, getIntrospectionQuery, graphqlSync } from 'graphql';

const [sdl, queryArg, varsArg, rootArg] = process.argv.slice(2);
const schema = buildSchema(sdl);
const fieldResolver = (source, args, context, info) => {
  if (info.fieldName === 'echo') return JSON.stringify(args);
  const v = source == null ? undefined : source[info.fieldName];
  if (v && typeof v === 'object' && typeof v.__error === 'string') throw new Error(v.__error);
  return v;
};
const query = queryArg === 'INTROSPECTION'
  ? getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
    schemaDescription: true, inputValueDeprecation: true, oneOf: true })
  : queryArg;
const r = graphqlSync({
  schema, source: query, variableValues: varsArg ? JSON.parse(varsArg) : undefined,
  rootValue: rootArg ? JSON.parse(rootArg) : undefined, fieldResolver,
});
const out = {};
if ('data' in r) out.data = r.data;
if (r.errors) out.errors = r.errors.map((e) => e.toJSON());
console.log(JSON.stringify(out));
