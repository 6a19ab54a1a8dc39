// run.mjs: the differential test: graphgate (gg_run) against graphql-js, the reference.
//
// Usage: node tests/differential/run.mjs <path to gg_run> [filter]
//   filter: only cases whose id contains this text (e.g. "starwars/" or "sdl/bad-enum").
//
// The corpus (corpus/, see corpus/README.md) is a folder per schema: schema.graphql (plus an
// optional schema.json {"options": {"appsync": true}}), data.json (the root value every case of
// the folder executes against, unless the case brings its own) and one .graphql file per
// document. A document's leading comment lines may carry its inputs, each JSON on one line:
//   # variables: {"id": "1000"}
//   # operationName: HeroName
//   # rootValue: {"hero": null}
// or a sidecar <name>.json {variables, operationName, rootValue} may hold them. The folder
// corpus/sdl/ holds SDL cases instead: each file is a whole schema (options in a leading
// "# options: {...}" line) that must build, or fail with the same errors, in both engines.
//
// Each case is run by graphql-js as graphql() would (parse, validate with specifiedRules,
// execute with the root value as plain objects; abstract types resolve through "__typename")
// and by gg_run on the same job; both stop at the first stage with errors. Compared exactly:
// parse errors, print(document), validation errors, the execution result (data, and errors by
// message, locations and path: our extra AppSync keys are ignored). Per schema also: the SDL
// printed back as a document (print), the schema's errors or printSchema,
// the full introspection result, and graphql-js buildClientSchema(our introspection) printed
// equal to printSchema of the SDL. Resolver errors: a member {"__error": "msg"} in the data makes
// that field throw Error("msg") (gg_run does the same).
//
// A mismatch whose case id is listed in known-differences.md (a list item starting with the id
// in backquotes, followed by the reason) is reported but does not fail. Exit status: 1 when any
// other mismatch or a crash of gg_run occurred. Last line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  buildASTSchema,
  buildClientSchema,
  execute,
  getIntrospectionQuery,
  parse,
  print,
  printSchema,
  validate,
  validateSchema,
} from 'graphql';
import { validateSDL } from 'graphql/validation/validate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(here, 'corpus');
const ggRun = process.argv[2];
const filter = process.argv[3] || '';
if (!ggRun || !existsSync(ggRun)) {
  console.error('usage: node tests/differential/run.mjs <path to gg_run> [filter]');
  process.exit(2);
}

// The introspection query both engines answer: every optional part graphql-js 16 knows.
const introspectionQuery = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

// AppSync's and Amplify's built-in definitions: graphgate parses its prelude SDL before the
// user's when options.appsync / options.amplify is set. graphql-js gets the very same text, read
// from the C source (server/graphql/type/prelude.c), as separate documents whose definitions
// come first, so that locations in the user's SDL stay the same. The prelude's definitions are
// part of the schema in both engines (printSchema and introspection show them).
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
function preludeDocuments(options) {
  return ['appsync', 'amplify'].filter((k) => options && options[k]).map((k) => parse(preludes[k]));
}
// ---------------------------------------------------------------- corpus

function readHeader(text) {
  const inputs = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^#\s*(variables|operationName|rootValue|options):\s*(.*)$/.exec(line);
    if (!m) continue;
    inputs[m[1]] = m[1] === 'operationName' ? m[2].trim() : JSON.parse(m[2]);
  }
  return inputs;
}

function readCase(dir, file) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const inputs = readHeader(text);
  const sidecar = path.join(dir, file.replace(/\.graphql$/, '.json'));
  if (existsSync(sidecar)) Object.assign(inputs, JSON.parse(readFileSync(sidecar, 'utf8')));
  return { text, inputs };
}

function loadCorpus() {
  const jobs = [];
  for (const folder of readdirSync(corpusDir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const dir = path.join(corpusDir, folder.name);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql') && f !== 'schema.graphql')
      .sort();
    const job = { name: folder.name, cases: [], sdlCases: [] };
    if (folder.name === 'sdl') {
      for (const file of files) {
        const { text, inputs } = readCase(dir, file);
        const id = `sdl/${file}`;
        if (id.includes(filter)) job.sdlCases.push({ name: id, sdl: text, options: inputs.options || {} });
      }
    } else {
      job.schema = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
      const meta = path.join(dir, 'schema.json');
      job.options = existsSync(meta) ? JSON.parse(readFileSync(meta, 'utf8')).options || {} : {};
      const dataFile = path.join(dir, 'data.json');
      const data = existsSync(dataFile) ? JSON.parse(readFileSync(dataFile, 'utf8')) : {};
      for (const file of files) {
        const { text, inputs } = readCase(dir, file);
        const id = `${folder.name}/${file}`;
        if (!id.includes(filter)) continue;
        job.cases.push({
          name: id,
          document: text,
          variables: inputs.variables,
          operationName: inputs.operationName,
          rootValue: 'rootValue' in inputs ? inputs.rootValue : data,
        });
      }
      job.schemaId = `${folder.name}/schema.graphql`;
      if (!job.schemaId.includes(filter) && job.cases.length === 0) continue;
    }
    jobs.push(job);
  }
  return jobs.sort((a, b) => a.name.localeCompare(b.name));
}

function loadKnownDifferences() {
  const known = new Map();
  const file = path.join(here, 'known-differences.md');
  if (!existsSync(file)) return known;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^[-*]\s+`([^`]+)`\s*[:—-]?\s*(.*)$/.exec(line);
    if (m) known.set(m[1], m[2]);
  }
  return known;
}

// ---------------------------------------------------------------- graphql-js side

// Only what both engines must agree on: message, locations, path.
function normalizeError(e) {
  const out = { message: e.message };
  if (e.locations && e.locations.length) out.locations = e.locations.map(({ line, column }) => ({ line, column }));
  if (e.path) out.path = e.path;
  return out;
}

function normalizeResult(r) {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return r;
  const out = {};
  if (r.errors) out.errors = r.errors.map(normalizeError);
  if ('data' in r) out.data = r.data;
  for (const k of Object.keys(r)) if (k !== 'data' && k !== 'errors') out[k] = r[k];
  return out;
}

// Plain JSON data as graphql-js resolvers see it; {"__error": msg} becomes a throwing resolver.
function prepareData(v) {
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

function jsBuildSchema(sdl, options) {
  let doc;
  try {
    doc = parse(sdl);
  } catch (e) {
    return { errors: [normalizeError(e)] };
  }
  const preludeDefinitions = preludeDocuments(options).flatMap((d) => d.definitions);
  doc = { ...doc, definitions: [...preludeDefinitions, ...doc.definitions] };
  let errors = validateSDL(doc);
  if (errors.length) return { errors: errors.map(normalizeError) };
  const schema = buildASTSchema(doc, { assumeValidSDL: true });
  errors = validateSchema(schema);
  if (errors.length) return { errors: errors.map(normalizeError) };
  return { schema, printed: printSchema(schema) };
}

function jsIntrospect(schema) {
  return normalizeResult(JSON.parse(JSON.stringify(execute({ schema, document: parse(introspectionQuery) }))));
}

// What graphql() answers: the execution result, or {errors} after syntax or validation errors.
function jsRunCase(schema, c) {
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

function callGgRun(job) {
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

// Runs a job; when gg_run crashes, runs its cases one by one to tell which one crashes.
function runGg(job) {
  const all = callGgRun(job);
  if (!all.crash) return all;
  const out = { schema: { crash: all.crash }, cases: [], sdlCases: [] };
  if (job.schema) {
    const alone = callGgRun({ ...job, cases: [], sdlCases: [] });
    out.schema = alone.crash ? { crash: alone.crash } : alone.schema;
  }
  for (const c of job.cases) {
    const one = callGgRun({ ...job, cases: [c], sdlCases: [] });
    out.cases.push(one.crash ? { name: c.name, crash: one.crash } : one.cases[0]);
  }
  for (const c of job.sdlCases) {
    const one = callGgRun({ cases: [], sdlCases: [c] });
    out.sdlCases.push(one.crash ? { name: c.name, crash: one.crash } : one.sdlCases[0]);
  }
  return out;
}

function normalizeGgCase(g) {
  const out = {};
  if (g.parseErrors) out.parseErrors = g.parseErrors.map(normalizeError);
  if ('printed' in g) out.printed = g.printed;
  if (g.validationErrors) out.validationErrors = g.validationErrors.map(normalizeError);
  if ('result' in g) out.result = normalizeResult(g.result);
  if ('response' in g) out.response = normalizeResult(g.response);
  return out;
}

// ---------------------------------------------------------------- comparison

const stats = { passed: 0, failed: 0, known: 0, fixed: [] };
const known = loadKnownDifferences();
const seenKnown = new Set();

function show(v) {
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  return s.length > 6000 ? s.slice(0, 6000) + '\n… (cut)' : s;
}

// The first few paths where two JSON values differ, to make big mismatches readable.
function differences(x, y, where = '', out = []) {
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

function record(id, ok, details) {
  if (ok) {
    stats.passed++;
    if (known.has(id)) stats.fixed.push(id);
    return;
  }
  if (known.has(id)) {
    seenKnown.add(id);
    stats.known++;
    console.log(`KNOWN DIFFERENCE ${id}: ${known.get(id)}`);
    return;
  }
  stats.failed++;
  console.log(`\n=== MISMATCH ${id}`);
  for (const [label, value] of details) console.log(`--- ${label}:\n${show(value)}`);
  const [js, gg] = details.slice(-2).map((d) => d[1]);
  if (typeof js === 'object' || typeof gg === 'object') {
    console.log(`--- first differences:\n  ${differences(js, gg).join('\n  ')}`);
  }
}

// Compares every stage: parse errors, printed document, validation errors, execution result.
function compareCase(js, gg) {
  if (gg.crash) return false;
  const g = normalizeGgCase(gg);
  return ['parseErrors', 'printed', 'validationErrors', 'result', 'response'].every(
    (stage) => JSON.stringify(js[stage]) === JSON.stringify(g[stage]),
  );
}

function checkSchema(id, sdl, options, gg, job) {
  const js = jsBuildSchema(sdl, options);
  if (gg.crash) {
    record(id, false, [['SDL', sdl], ['gg_run crashed', gg.crash]]);
    return js.schema;
  }
  let jsPrintedSdl = null;
  try {
    jsPrintedSdl = print(parse(sdl));
  } catch {
    // a syntax error: both print nothing
  }
  record(`${id}:print`, jsPrintedSdl === gg.printedSdl, [
    ['SDL', sdl],
    ['graphql-js print(parse(SDL))', jsPrintedSdl],
    ['graphgate gg_print_document', gg.printedSdl],
  ]);
  if (js.errors || gg.errors) {
    const ggErrors = gg.errors ? gg.errors.map(normalizeError) : undefined;
    const ok = JSON.stringify(js.errors) === JSON.stringify(ggErrors);
    record(id, ok, [['SDL', sdl], ['graphql-js errors', js.errors || 'none (schema builds)'], ['graphgate errors', ggErrors || `none (schema builds)`]]);
    return js.schema;
  }
  record(`${id}:printSchema`, gg.printed === js.printed, [['SDL', sdl], ['graphql-js printSchema', js.printed], ['graphgate gg_print_schema', gg.printed]]);
  const jsIntro = jsIntrospect(js.schema);
  const ggIntro = gg.introspection && gg.introspection.result ? normalizeResult(gg.introspection.result) : gg.introspection;
  record(`${id}:introspection`, JSON.stringify(jsIntro) === JSON.stringify(ggIntro), [
    ['SDL', sdl],
    ['graphql-js introspection', jsIntro],
    ['graphgate introspection', ggIntro],
  ]);
  let rebuilt;
  try {
    rebuilt = printSchema(buildClientSchema((ggIntro || {}).data));
  } catch (e) {
    rebuilt = `buildClientSchema threw: ${e.message}`;
  }
  record(`${id}:buildClientSchema`, rebuilt === js.printed, [
    ['SDL', sdl],
    ['printSchema(buildSchema(SDL))', js.printed],
    ['printSchema(buildClientSchema(graphgate introspection))', rebuilt],
  ]);
  return js.schema;
}

const jobs = loadCorpus();
for (const job of jobs) {
  const gg = runGg(job);
  let schema;
  if (job.schema) schema = checkSchema(job.schemaId, job.schema, job.options, gg.schema || { crash: 'no schema answer' }, job);
  job.cases.forEach((c, i) => {
    const g = (gg.cases && gg.cases[i]) || { crash: 'no answer (schema failed to build in graphgate?)' };
    const js = jsRunCase(schema, c);
    const ok = compareCase(js, g);
    const details = [['document', c.document]];
    if (c.variables !== undefined) details.push(['variables', c.variables]);
    if (c.operationName) details.push(['operationName', c.operationName]);
    details.push(['graphql-js', js], ['graphgate', g.crash ? g.crash : normalizeGgCase(g)]);
    record(c.name, ok, details);
  });
  job.sdlCases.forEach((c, i) => {
    checkSchema(c.name, c.sdl, c.options, (gg.sdlCases && gg.sdlCases[i]) || { crash: 'no answer' }, null);
  });
}

for (const id of stats.fixed) console.log(`NOTE ${id} now matches: remove it from known-differences.md`);
console.log(`\n${stats.known} known differences (known-differences.md)`);
console.log(`${stats.passed} passed, ${stats.failed} failed`);
process.exit(stats.failed ? 1 : 0);
