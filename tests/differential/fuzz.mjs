// fuzz.mjs: random variations of the corpus, run by graphgate (gg_run) and graphql-js.
//
// Usage: node tests/differential/fuzz.mjs <path to gg_run> [cases per kind (default 500)] [seed (default 1)]
//
// Three kinds of variation, each compared like run.mjs compares the corpus:
//   documents  corpus documents with characters deleted, tokens inserted or pieces duplicated,
//              run against their folder's schema (parse errors, print, validation, execution);
//   sdl        corpus schemas mutated the same way (schema errors or printSchema);
//   variables  random JSON values (mostly shaped like the type) for the variables of root fields
//              with arguments, in every folder.
// The same seed gives the same cases, so a mismatch can be replayed. Cases derived from files
// listed in known-differences.md are left out, and so are the AppSync folder (its AWS scalars
// differ from graphql-js's identity scalars by design) and SDL errors that only graphgate's
// deliberate default-value check reports. Prints each mismatch and "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType } from 'graphql';

import { callGgRun, compareCase, differences, jsBuildSchema, jsRunCase, normalizeError, normalizeGgCase } from './engines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(here, 'corpus');
const ggRun = process.argv[2];
const count = Number(process.argv[3] || 500);
let seed = Number(process.argv[4] || 1);
if (!ggRun || !existsSync(ggRun) || !(count > 0)) {
  console.error('usage: node tests/differential/fuzz.mjs <path to gg_run> [cases per kind] [seed]');
  process.exit(2);
}

// A small linear congruential generator: the same seed, the same cases.
function random(n) {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed % n;
}
const pick = (list) => list[random(list.length)];

const knownIds = new Set(
  [...readFileSync(path.join(here, 'known-differences.md'), 'utf8').matchAll(/^[-*]\s+`([^`]+)`/gm)].map((m) => m[1]),
);
const readJson = (file, fallback) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback);

const documentPieces = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '...', '"', '"""', '\\', '\\u', '\\u{', '!', '=',
  '|', '&', '#', '\n', ' ', '0', '-', '.', 'e', '1.5', 'on', 'query', 'fragment', 'null', 'true', '😀', '\r', '\t', ','];
const sdlPieces = ['{', '}', '(', ')', '[', ']', ':', '@', '"', '"""', '!', '=', '|', '&', '#', '\n', ' ', 'implements',
  'extend', 'type', 'interface', 'input', 'enum', 'union', 'scalar', 'directive', 'schema', 'repeatable', 'on', 'Int',
  'String', 'Query', '@deprecated', '@oneOf', ' = 1', ' = "x"', 'Foo', 'A', '__'];

// One to three edits on code points (never splitting a surrogate pair).
function mutate(text, pieces) {
  let chars = Array.from(text);
  for (let edits = 1 + random(3); edits > 0; edits--) {
    const at = random(chars.length + 1);
    const kind = random(3);
    if (kind === 0) chars = [...chars.slice(0, at), ...chars.slice(at + 1 + random(8))];
    else if (kind === 1) chars = [...chars.slice(0, at), ...Array.from(pick(pieces)), ...chars.slice(at)];
    else {
      const from = random(chars.length + 1);
      chars = [...chars.slice(0, at), ...chars.slice(from, from + random(30)), ...chars.slice(at)];
    }
  }
  return chars.join('');
}

const stats = { passed: 0, failed: 0 };
function report(ok, label, input, js, gg) {
  if (ok) {
    stats.passed++;
    return;
  }
  stats.failed++;
  console.log(`\n=== MISMATCH ${label}\n--- input:\n${JSON.stringify(input, null, 2).slice(0, 3000)}`);
  console.log(`--- first differences:\n  ${differences(js, gg).join('\n  ')}`);
}

// ---------------------------------------------------------------- documents

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function fuzzDocuments() {
  const folders = readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'sdl' && d.name !== 'appsync')
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const dir = path.join(corpusDir, folder);
    const sdl = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    const options = readJson(path.join(dir, 'schema.json'), {}).options || {};
    const data = readJson(path.join(dir, 'data.json'), {});
    const seeds = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql') && f !== 'schema.graphql' && !knownIds.has(`${folder}/${f}`))
      .sort()
      .map((f) => readFileSync(path.join(dir, f), 'utf8'));
    const cases = [];
    for (let i = 0; i < count; i++) cases.push({ name: `${folder}#${i}`, document: mutate(pick(seeds), documentPieces), rootValue: data });
    const gg = callGgRun(ggRun, { schema: sdl, options, cases, sdlCases: [] });
    if (gg.crash) {
      report(false, `${folder}: gg_run crashed`, gg.crash, null, null);
      continue;
    }
    const schema = jsBuildSchema(sdl, options).schema;
    cases.forEach((c, i) => {
      const js = jsRunCase(schema, c);
      // documents nested deeper than the parser's limit are refused on purpose, and graphgate's
      // messages can hold neither NUL nor half a surrogate pair (all in known-differences.md)
      if ((gg.cases[i].parseErrors || []).some((e) => e.message.includes('nested deeper than'))) return;
      if ((js.parseErrors || []).some((e) => loneSurrogate.test(e.message) || e.message.includes('\0'))) return;
      report(compareCase(js, gg.cases[i]) === true, c.name, c.document, js, normalizeGgCase(gg.cases[i]));
    });
  }
}

// ---------------------------------------------------------------- sdl

// Messages of graphgate's deliberate check of SDL default values and directive arguments
// (known-differences.md; where graphql-js throws "Argument "x" has invalid value" while building,
// graphgate names the type's complaint); its refusal of operations in SDL comes first of all.
const refusedDirective = /is an Amplify transformer v1 directive|is not supported by graphgate/;
const defaultValueCheck = /cannot represent|does not exist in ".*" enum|is not defined by type|Expected value of type/;

function fuzzSdl() {
  const seeds = [];
  for (const folder of readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = path.join(corpusDir, folder.name);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.graphql') || (folder.name !== 'sdl' && f !== 'schema.graphql')) continue;
      if (knownIds.has(`sdl/${f}`) || folder.name === 'appsync') continue;
      const text = readFileSync(path.join(dir, f), 'utf8');
      if (!text.startsWith('# options')) seeds.push(text);
    }
  }
  const cases = [];
  for (let i = 0; i < count; i++) cases.push({ name: `sdl#${i}`, sdl: mutate(pick(seeds), sdlPieces) });
  const gg = callGgRun(ggRun, { cases: [], sdlCases: cases });
  if (gg.crash) {
    report(false, 'sdl: gg_run crashed', gg.crash, null, null);
    return;
  }
  cases.forEach((c, i) => {
    const built = jsBuildSchema(c.sdl, {});
    const js = built.errors ? { errors: built.errors } : { printed: built.printed };
    const g = gg.sdlCases[i];
    const ours = g.errors ? { errors: g.errors.map(normalizeError) } : { printed: g.printed };
    if (ours.errors && ours.errors.some((e) => e.message.includes('cannot contain an operation'))) return;
    // graphql-js throws while building on some invalid values ("Argument "reason" has invalid
    // value x.", "Unexpected input type: O"); graphgate reports them as errors
    const jsThrew = js.errors && js.errors.length === 1 && /^Argument ".*" has invalid value|^Unexpected input type/.test(js.errors[0].message);
    if (jsThrew && ours.errors) return;
    // an invalid default value, which only graphgate reports, also changes later checks (graphql-js
    // sees no default at all), so such a case says nothing more
    const jsMessages = new Set((js.errors || []).map((e) => e.message));
    // graphgate names the replacement of Amplify v1 directives (known-differences.md)
    if (ours.errors && ours.errors.some((e) => refusedDirective.test(e.message))) return;
    if (ours.errors && ours.errors.some((e) => !jsMessages.has(e.message) && defaultValueCheck.test(e.message))) return;
    report(JSON.stringify(js) === JSON.stringify(ours), c.name, c.sdl, js, ours);
  });
}

// ---------------------------------------------------------------- variables

// Random JSON for a variable of `type`: mostly shaped like the type (so coercion goes deep),
// sometimes anything at all.
function randomValue(type, depth = 0) {
  const scalars = [null, true, false, 0, -2, 7, 2147483648, -2147483649, 1.5, 1e21, -0.5, '', '12', 'text', '1.5'];
  if (depth > 4 || random(6) === 0) return pick(scalars);
  if (isNonNullType(type)) return randomValue(type.ofType, depth);
  if (isListType(type)) {
    return random(4) === 0 ? randomValue(type.ofType, depth + 1) : Array.from({ length: random(4) }, () => randomValue(type.ofType, depth + 1));
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((v) => v.name);
    return pick([...names, ...names, names[0].toLowerCase(), 'NOT_A_VALUE', 1]);
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const object = {};
    for (let n = random(fields.length + 2); n > 0; n--) {
      const field = random(8) === 0 ? { name: 'notAField', type } : pick(fields);
      object[field.name] = randomValue(field.type, depth + 1);
    }
    return object;
  }
  return pick(scalars);
}

// For each folder: a root field with arguments, every argument a variable of its own type, and
// random values for them (or none).
function fuzzVariables() {
  const folders = readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'sdl' && d.name !== 'appsync')
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const dir = path.join(corpusDir, folder);
    const sdl = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    const data = readJson(path.join(dir, 'data.json'), {});
    const schema = jsBuildSchema(sdl, {}).schema;
    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ].filter(([, root]) => root);
    const targets = roots.flatMap(([operation, root]) =>
      Object.values(root.getFields())
        .filter((f) => f.args.length)
        .map((field) => ({ operation, field })),
    );
    if (!targets.length) continue;
    const cases = [];
    for (let i = 0; i < count; i++) {
      const { operation, field } = pick(targets);
      const declared = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
      const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
      const variables = {};
      for (const arg of field.args) if (random(5) !== 0) variables[arg.name] = randomValue(arg.type);
      cases.push({
        name: `${folder}/variables#${i}`,
        document: `${operation} (${declared}) { ${field.name}(${passed})${selection} }`,
        variables,
        rootValue: data,
      });
    }
    const gg = callGgRun(ggRun, { schema: sdl, cases, sdlCases: [] });
    if (gg.crash) {
      report(false, `${folder} variables: gg_run crashed`, gg.crash, null, null);
      continue;
    }
    cases.forEach((c, i) => {
      const js = jsRunCase(schema, c);
      report(compareCase(js, gg.cases[i]) === true, c.name, { document: c.document, variables: c.variables }, js,
        normalizeGgCase(gg.cases[i]));
    });
  }
}

fuzzDocuments();
fuzzSdl();
fuzzVariables();
console.log(`${stats.passed} passed, ${stats.failed} failed`);
process.exit(stats.failed ? 1 : 0);
