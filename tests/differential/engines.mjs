// engines.mjs: the two sides of the differential test, shared by run.mjs (the corpus) and
// fuzz.mjs (random variations): graphql-js as the reference (parse, validate, execute, build
// schemas exactly as graphgate's gg_run does them) and gg_run itself, and the comparison of
// their answers (errors by message, locations and path; AppSync's extra error keys ignored).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  buildASTSchema,
  execute,
  getNamedType,
  GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  getIntrospectionQuery,
  parse,
  print,
  printSchema,
  validate,
  validateSchema,
} from 'graphql';
import { validateSDL } from 'graphql/validation/validate.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// The introspection query both engines answer: every optional part graphql-js 16 knows.
export const introspectionQuery = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

// AppSync's and Amplify's built-in definitions: graphgate parses its prelude SDL before the
// user's when options.appsync / options.amplify is set, and checks the user's SDL as an extension
// of the prelude's schema. graphql-js gets the very same text, read from the C source
// (server/graphql/type/prelude.c), as separate documents, so that locations in the user's SDL
// stay the same. The prelude's definitions are part of the schema in both engines (printSchema
// and introspection show them).
function cStringConstant(source, name) {
  let i = source.indexOf(`${name}[] =`);
  if (i < 0) return '';
  i = source.indexOf('=', i) + 1;
  let text = '';
  while (i < source.length && source[i] !== ';') {
    if (source.startsWith('/*', i)) {
      i = source.indexOf('*/', i) + 2;
    } else if (source[i] === '"') {
      let j = i + 1;
      while (source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      text += JSON.parse(source.slice(i, j + 1));
      i = j + 1;
    } else {
      i++;
    }
  }
  return text;
}
const preludeSource = readFileSync(path.join(here, '../../server/graphql/type/prelude.c'), 'utf8');
const preludes = {
  appsync: cStringConstant(preludeSource, 'gg_prelude_appsync_sdl'),
  amplify: cStringConstant(preludeSource, 'gg_prelude_amplify_sdl'),
};
export function preludeDocuments(options) {
  return ['appsync', 'amplify'].filter((k) => options && options[k]).map((k) => parse(preludes[k]));
}
// ---------------------------------------------------------------- graphql-js side

// Only what both engines must agree on: message, locations, path.
export function normalizeError(e) {
  const out = { message: e.message };
  if (e.locations && e.locations.length) out.locations = e.locations.map(({ line, column }) => ({ line, column }));
  if (e.path) out.path = e.path;
  return out;
}

export function normalizeResult(r) {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return r;
  const out = {};
  if (r.errors) out.errors = r.errors.map(normalizeError);
  if ('data' in r) out.data = r.data;
  for (const k of Object.keys(r)) if (k !== 'data' && k !== 'errors') out[k] = r[k];
  return out;
}

// Plain JSON data as graphql-js resolvers see it; {"__error": msg} becomes a throwing resolver.
export function prepareData(v) {
  if (Array.isArray(v)) return v.map(prepareData);
  if (v && typeof v === 'object') {
    if (typeof v.__error === 'string') {
      const message = v.__error;
      return () => {
        throw new Error(message);
      };
    }
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = prepareData(x);
    return out;
  }
  return v;
}

export function jsBuildSchema(sdl, options) {
  let doc;
  try {
    doc = parse(sdl);
  } catch (e) {
    return { errors: [normalizeError(e)] };
  }
  // The user's SDL is checked as an extension of the prelude's schema (validateSDL(doc, prelude):
  // redefinitions get extendSchema's messages), then built as one document, prelude first.
  const preludeDefinitions = preludeDocuments(options).flatMap((d) => d.definitions);
  const prelude = preludeDefinitions.length
    ? buildASTSchema({ kind: 'Document', definitions: preludeDefinitions }, { assumeValidSDL: true })
    : undefined;
  let errors = validateSDL(doc, prelude);
  if (errors.length) return { errors: errors.map(normalizeError) };
  doc = { ...doc, definitions: [...preludeDefinitions, ...doc.definitions] };
  let schema;
  try {
    schema = buildASTSchema(doc, { assumeValidSDL: true });
  } catch (e) {
    // e.g. @deprecated(reason: 1): graphql-js reads the argument while building and throws
    return { errors: [normalizeError(e)] };
  }
  errors = validateSchema(schema);
  if (errors.length) return { errors: errors.map(normalizeError) };
  if (options && options.appsync) schema = asAppSyncServes(schema, doc);
  return { schema, printed: printSchema(schema) };
}

// AppSync declares only the AWS scalars a schema uses and has no @oneOf (graphgate does the same,
// schema_build.c): the schema is built again without the unused AWS scalar definitions of the
// prelude, and @oneOf is left out of its directives.
function asAppSyncServes(schema, doc) {
  const awsScalars = new Set(
    preludeDocuments({ appsync: true })
      .flatMap((d) => d.definitions)
      .filter((d) => d.kind === 'ScalarTypeDefinition')
      .map((d) => d.name.value),
  );
  const used = new Set();
  const use = (type) => used.add(getNamedType(type).name);
  for (const type of Object.values(schema.getTypeMap())) {
    if (awsScalars.has(type.name)) continue;
    if (isObjectType(type) || isInterfaceType(type))
      for (const f of Object.values(type.getFields())) {
        use(f.type);
        f.args.forEach((a) => use(a.type));
      }
    if (isInputObjectType(type)) Object.values(type.getFields()).forEach((f) => use(f.type));
  }
  schema.getDirectives().forEach((d) => d.args.forEach((a) => use(a.type)));
  const definitions = doc.definitions.filter(
    (d) => !(d.kind === 'ScalarTypeDefinition' && awsScalars.has(d.name.value) && !used.has(d.name.value)),
  );
  const rebuilt = buildASTSchema({ ...doc, definitions }, { assumeValidSDL: true });
  return new GraphQLSchema({
    ...rebuilt.toConfig(),
    directives: rebuilt.getDirectives().filter((d) => d.name !== 'oneOf'),
  });
}

export function jsIntrospect(schema) {
  return normalizeResult(JSON.parse(JSON.stringify(execute({ schema, document: parse(introspectionQuery) }))));
}

// What graphql() answers: the execution result, or {errors} after syntax or validation errors.
export function jsRunCase(schema, c) {
  const out = jsRunStages(schema, c);
  out.response = out.result || { errors: out.parseErrors || out.validationErrors };
  return out;
}

function jsRunStages(schema, c) {
  let doc;
  try {
    doc = parse(c.document);
  } catch (e) {
    return { parseErrors: [normalizeError(e)] };
  }
  const out = { printed: print(doc) };
  if (!schema) return out;
  const errors = validate(schema, doc);
  if (errors.length) return { ...out, validationErrors: errors.map(normalizeError) };
  try {
    const result = execute({
      schema,
      document: doc,
      rootValue: prepareData(c.rootValue),
      variableValues: c.variables,
      operationName: c.operationName,
    });
    if (typeof result.then === 'function') return { ...out, result: 'graphql-js returned a promise' };
    return { ...out, result: normalizeResult(JSON.parse(JSON.stringify(result))) };
  } catch (e) {
    return { ...out, result: { thrown: e.message } };
  }
}

// ---------------------------------------------------------------- gg_run side

// Runs one job through gg_run; {crash: text} when it fails or prints something else than JSON.
export function callGgRun(ggRun, job) {
  // a cJSON string ends at its first NUL: such documents travel as base64
  const cases = job.cases.map((c) =>
    c.document.includes('\0') ? { ...c, document: undefined, documentBase64: Buffer.from(c.document).toString('base64') } : c,
  );
  const input = JSON.stringify({ ...job, cases, introspectionQuery });
  const r = spawnSync(ggRun, [], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0 || r.signal) {
    return { crash: `gg_run exited with ${r.signal || r.status}\n${(r.stderr || '').slice(0, 4000)}` };
  }
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    return { crash: `gg_run printed invalid JSON (${e.message}):\n${r.stdout.slice(0, 2000)}` };
  }
}

export function normalizeGgCase(g) {
  const out = {};
  if (g.parseErrors) out.parseErrors = g.parseErrors.map(normalizeError);
  if ('printed' in g) out.printed = g.printed;
  if (g.validationErrors) out.validationErrors = g.validationErrors.map(normalizeError);
  if ('result' in g) out.result = normalizeResult(g.result);
  if ('response' in g) out.response = normalizeResult(g.response);
  return out;
}

// ---------------------------------------------------------------- comparison

// Compares every stage: parse errors, printed document, validation errors, execution result.
export function compareCase(js, gg) {
  if (gg.crash) return false;
  const g = normalizeGgCase(gg);
  return ['parseErrors', 'printed', 'validationErrors', 'result', 'response'].every(
    (stage) => JSON.stringify(js[stage]) === JSON.stringify(g[stage]),
  );
}

// The first few paths where two JSON values differ, to make big mismatches readable.
export function differences(x, y, where = '', out = []) {
  if (out.length >= 8 || JSON.stringify(x) === JSON.stringify(y)) return out;
  if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    if (!Array.isArray(x) && keys.every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]))) {
      out.push(`${where || '.'}: keys in another order: ${Object.keys(x)} / ${Object.keys(y)}`);
      return out;
    }
    for (const k of keys) differences(x[k], y[k], `${where}.${k}`, out);
    return out;
  }
  const brief = (v) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 400));
  out.push(`${where || '.'}: graphql-js ${brief(x)} / graphgate ${brief(y)}`);
  return out;
}
