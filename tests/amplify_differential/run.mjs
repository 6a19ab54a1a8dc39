// run.mjs: the differential test against the Amplify GraphQL transformer (issue 13): every schema
// of corpus/ is transformed by @aws-amplify/graphql-transformer (oracle.mjs: default chain, API_KEY
// default auth) and by graphgate (`graphgate --print-schema`, API_KEY default auth), and the two
// served SDLs must be identical after sorting the definitions by kind and name (the order of
// fields, arguments, values and applied directives inside a definition is compared as it is:
// clients and codegen see it). Applied directives (@aws_api_key, @aws_subscribe ...) are compared
// too, which is why the printed SDL is compared and not introspection.
//
// Usage: node tests/amplify_differential/run.mjs <path to graphgate> [filter]
//
// The corpus is corpus/*.graphql plus the Amplify fixtures of the unit tests
// (tests/fixtures/amplify/*.graphql, named fixture-<name> here) and conf/example/*.graphql.
//
// Differences on purpose are listed in known-differences.md, one list item each, starting with
// an id in backquotes and followed by the reason:
//   `name`             the schema `name` differs as a whole, in every auth mode (e.g. graphgate refuses
//                      a feature on purpose): it is reported, not failed;
//   `name:Definition`  that definition is left out of the comparison for that schema;
//   `*:Definition`     that definition is left out for every schema.
// A listed difference that no longer occurs fails too (the list must stay true). Exit status 1
// on any other difference or a graphgate crash. Last line: "N passed, N failed".
//
// DataStore (issue 17): every schema runs again with conflict detection on for the project
// (name#VERSION: the transformer's ResolverConfig.project ConflictDetection VERSION, graphgate's
// datastore.conflict_detection VERSION), compared the same way. graphgate also switches it per
// model (datastore.models), where the transformer adds the DataStore fields to every model as soon
// as any is configured; the per-model runs (name#per-model-N) compare each definition with what
// the transformer generates for its model's own setting: a synced model's types and inputs with
// the run with conflict detection on, an unsynced model's with the run without, and the root types
// with the run with it on, less the sync fields of the unsynced models.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse, print } from 'graphql';

import { amplifyTransform } from './oracle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const graphgate = process.argv[2];
const filter = process.argv[3] || '';
if (!graphgate || !existsSync(graphgate)) {
  console.error('usage: node tests/amplify_differential/run.mjs <path to graphgate> [filter]');
  process.exit(2);
}

function readKnown() {
  const known = { schemas: new Map(), definitions: new Map() };
  const text = readFileSync(path.join(here, 'known-differences.md'), 'utf8');
  for (const m of text.matchAll(/^- `([^`]+)`\s*(.*)$/gm)) {
    const [id, reason] = [m[1], m[2]];
    if (!reason) throw new Error(`known-differences.md: \`${id}\` has no reason`);
    if (id.includes(':')) known.definitions.set(id, { reason, used: false });
    else known.schemas.set(id, { reason, used: false });
  }
  return known;
}

// Definitions of an SDL text by "kind name" (each printed alone), in their order.
function definitionsOf(sdl) {
  const map = new Map();
  for (const d of parse(sdl).definitions) map.set(`${d.kind.replace('Definition', '')} ${d.name.value}`, print(d));
  return map;
}

function graphgateSdl(schemaPath, defaultMode, work, datastore) {
  const config = path.join(work, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: [schemaPath], amplify: true, auth: { default_mode: defaultMode }, datastore }));
  const r = spawnSync(graphgate, ['--config', config, '--print-schema'], {
    encoding: 'utf8',
    env: { ...process.env, GRAPHGATE_AUTH_API_KEYS: 'da2-differentialtestkey0000000000', GRAPHGATE_LOG_LEVEL: 'error' },
  });
  if (r.signal) return { crash: `graphgate killed by ${r.signal}: ${r.stderr}` };
  if (r.status !== 0) return { error: (r.stderr || `exit status ${r.status}`).trim() };
  return { sdl: r.stdout };
}

const known = readKnown();
const work = mkdtempSync(path.join(os.tmpdir(), 'gg-amplify-diff-'));
// The corpus: corpus/*.graphql, the Amplify fixtures of the unit tests (named fixture-<name>) and
// the example app's schema (example-schema).
const corpusDir = path.join(here, 'corpus');
const fixtureDir = path.join(here, '..', 'fixtures', 'amplify');
const schemaFiles = new Map();
const exampleDir = path.join(here, '..', '..', 'conf', 'example');
for (const [dir, prefix] of [[corpusDir, ''], [fixtureDir, 'fixture-'], [exampleDir, 'example-']])
  for (const n of readdirSync(dir).filter((f) => f.endsWith('.graphql')))
    schemaFiles.set(prefix + n.slice(0, -'.graphql'.length), path.join(dir, n));
// Each schema runs with API_KEY as the default auth mode; those with @auth rules (names with
// "auth", and the fixtures) run again with user pools as the default (name@userPools), which
// changes the @aws_* directives the rules turn into.
const runs = [];
for (const name of [...schemaFiles.keys()].sort()) {
  runs.push({ name, file: schemaFiles.get(name), mode: 'API_KEY' });
  if (name.includes('auth') || name.startsWith('fixture-'))
    runs.push({ name: `${name}@userPools`, file: schemaFiles.get(name), mode: 'AMAZON_COGNITO_USER_POOLS' });
}
const VERSION = { project: { ConflictDetection: 'VERSION', ConflictHandler: 'AUTOMERGE' } };
for (const name of [...schemaFiles.keys()].sort())
  runs.push({ name: `${name}#VERSION`, file: schemaFiles.get(name), mode: 'API_KEY', resolverConfig: VERSION, datastore: { conflict_detection: 'VERSION' } });
// per model: the project on with one model off, and the project off with one model on
const perModel = [
  ['datastore-per-model', { conflict_detection: 'VERSION', models: { Note: { conflict_detection: 'NONE' } } }],
  ['datastore-per-model', { models: { Tag: { conflict_detection: 'VERSION', conflict_handler: 'OPTIMISTIC_CONCURRENCY' } } }],
  ['example-schema', { conflict_detection: 'VERSION', conflict_handler: 'OPTIMISTIC_CONCURRENCY', models: { Project: { conflict_detection: 'NONE' } } }],
];
perModel.forEach(([name, datastore], i) =>
  runs.push({ name: `${name}#per-model-${i + 1}`, file: schemaFiles.get(name), mode: 'API_KEY', datastore, perModel: true }));

// What the transformer would serve if conflict detection were switched per model as datastore
// says: definitions of synced models (and the root types) from the run with it on, those of the
// other models from the run without, their syncX fields taken out of Query.
function perModelOracle(schema, datastore) {
  const on = amplifyTransform(schema, 'API_KEY', VERSION);
  const off = definitionsOf(amplifyTransform(schema, 'API_KEY'));
  const doc = parse(on);
  const models = doc.definitions
    .filter((d) => d.kind === 'ObjectTypeDefinition' && d.fields?.some((f) => f.name.value === '_version'))
    .map((d) => d.name.value);
  const own = datastore.models || {};
  const synced = (m) => (own[m]?.conflict_detection ?? datastore.conflict_detection ?? 'NONE') === 'VERSION';
  const unsynced = models.filter((m) => !synced(m));
  const owner = (typeName) =>
    unsynced.find((m) =>
      [m, `Model${m}Connection`, `Model${m}FilterInput`, `Model${m}ConditionInput`, `Create${m}Input`, `Update${m}Input`,
        `Delete${m}Input`, `ModelSubscription${m}FilterInput`].includes(typeName));
  const parts = [];
  for (const d of doc.definitions) {
    const typeName = d.name.value;
    if (owner(typeName)) {
      parts.push(off.get(`${d.kind.replace('Definition', '')} ${typeName}`));
      continue;
    }
    if (typeName === 'Query')
      d.fields = d.fields.filter((f) => {
        const returns = f.type.kind === 'NamedType' ? f.type.name.value : '';
        return !(f.name.value.startsWith('sync') && unsynced.some((m) => returns === `Model${m}Connection`));
      });
    parts.push(print(d));
  }
  return parts.join('\n\n');
}

const selected = runs.filter((r) => r.name.includes(filter));
let passed = 0;
let failed = 0;
let agreed = 0;
for (const { name, file: schemaPath, mode, resolverConfig, datastore, perModel: split } of selected) {
  const base = name.split(/[@#]/)[0]; // known-differences.md names the schema, for every auth mode
  const problems = [];
  let oracle;
  try {
    const schema = readFileSync(schemaPath, 'utf8');
    oracle = { sdl: split ? perModelOracle(schema, datastore) : amplifyTransform(schema, mode, resolverConfig) };
  } catch (e) {
    oracle = { error: String(e.message || e).split('\n')[0] };
  }
  const ours = graphgateSdl(schemaPath, mode, work, datastore);
  if (ours.crash) problems.push(ours.crash);
  else if (oracle.error && ours.error) {
    // both refuse the schema: agreed (messages differ by design)
  } else if (oracle.error) problems.push(`the transformer refuses it (${oracle.error}), graphgate serves it`);
  else if (ours.error) problems.push(`graphgate refuses it: ${ours.error}`);
  else {
    const theirs = definitionsOf(oracle.sdl);
    const mine = definitionsOf(ours.sdl);
    const skip = (key) => {
      const typeName = key.split(' ')[1];
      for (const id of [`${base}:${typeName}`, `*:${typeName}`]) {
        const k = known.definitions.get(id);
        if (k) {
          k.used = true;
          return true;
        }
      }
      return false;
    };
    for (const key of [...new Set([...theirs.keys(), ...mine.keys()])].sort()) {
      if (theirs.get(key) === mine.get(key) || skip(key)) continue;
      if (!mine.has(key)) problems.push(`missing from graphgate:\n${theirs.get(key)}`);
      else if (!theirs.has(key)) problems.push(`only in graphgate:\n${mine.get(key)}`);
      else problems.push(`transformer:\n${theirs.get(key)}\ngraphgate:\n${mine.get(key)}`);
    }
  }
  const listed = known.schemas.get(base);
  if (problems.length === 0) {
    agreed++;
    if (listed) {
      failed++;
      console.log(`FAIL ${name}: listed in known-differences.md but both agree now (remove the entry)`);
    } else passed++;
  } else if (listed && !problems.some((p) => p.startsWith('graphgate killed'))) {
    listed.used = true;
    passed++;
    console.log(`known ${name}: ${listed.reason}`);
  } else {
    failed++;
    console.log(`FAIL ${name}:\n  ${problems.join('\n').replace(/\n/g, '\n  ')}`);
  }
}
if (!filter)
  for (const [id, k] of known.definitions)
    if (!k.used) {
      failed++;
      console.log(`FAIL known-differences.md: \`${id}\` no longer differs in any schema (remove the entry)`);
    }
rmSync(work, { recursive: true, force: true });
console.log(`${schemaFiles.size} schemas, ${selected.length} runs, ${agreed} identical after sorting`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
