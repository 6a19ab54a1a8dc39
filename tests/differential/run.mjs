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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildClientSchema, parse, print, printSchema } from 'graphql';

import {
  callGgRun as callGgRunWith,
  compareCase,
  differences,
  jsBuildSchema,
  jsIntrospect,
  jsRunCase,
  normalizeError,
  normalizeGgCase,
  normalizeResult,
} from './engines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(here, 'corpus');
const ggRun = process.argv[2];
const filter = process.argv[3] || '';
if (!ggRun || !existsSync(ggRun)) {
  console.error('usage: node tests/differential/run.mjs <path to gg_run> [filter]');
  process.exit(2);
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

const callGgRun = (job) => callGgRunWith(ggRun, job);

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

const stats = { passed: 0, failed: 0, known: 0, fixed: [] };
const known = loadKnownDifferences();

function show(v) {
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  return s.length > 6000 ? s.slice(0, 6000) + '\n… (cut)' : s;
}

function record(id, ok, details) {
  if (ok) {
    stats.passed++;
    if (known.has(id)) stats.fixed.push(id);
    return;
  }
  if (known.has(id)) {
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

// The checks of one schema (a corpus folder's or an SDL case); returns graphql-js's schema.
function checkSchema(id, sdl, options, gg) {
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
  if (job.schema) schema = checkSchema(job.schemaId, job.schema, job.options, gg.schema || { crash: 'no schema answer' });
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
    checkSchema(c.name, c.sdl, c.options, (gg.sdlCases && gg.sdlCases[i]) || { crash: 'no answer' });
  });
}

for (const id of stats.fixed) console.log(`NOTE ${id} now matches: remove it from known-differences.md`);
console.log(`\n${stats.known} known differences (known-differences.md)`);
console.log(`${stats.passed} passed, ${stats.failed} failed`);
process.exit(stats.failed ? 1 : 0);
