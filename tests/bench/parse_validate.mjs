// parse_validate.mjs: graphql-js's side of the parse+validate benchmark (parse_validate.c is ours).
//
// Usage: node tests/bench/parse_validate.mjs [--appsync] [--seconds N] schema.graphql doc.graphql...
//
// Builds the schema once (with graphgate's AppSync prelude from server/graphql/type/prelude.c when
// --appsync is given, as graphgate does), then for each document loops for a fixed CPU time after a
// short warm-up (which also lets V8 optimise): parse(text), validate(schema, doc) with
// specifiedRules; then parse alone. Prints "graphql-js <file> <docs/s> docs/s (<n> validation errors;
// parse alone <docs/s> docs/s)".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildASTSchema, parse, validate } from 'graphql';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let appsync = false;
let seconds = 3;
while (args.length && args[0].startsWith('--')) {
  const flag = args.shift();
  if (flag === '--appsync') appsync = true;
  else if (flag === '--seconds') seconds = Number(args.shift());
}
if (args.length < 2 || !(seconds > 0)) {
  console.error('usage: node parse_validate.mjs [--appsync] [--seconds N] schema.graphql doc.graphql...');
  process.exit(2);
}

// The AppSync prelude text, read from the C source (string literals of gg_prelude_appsync_sdl).
function appsyncPrelude() {
  const source = readFileSync(path.join(here, '../../server/graphql/type/prelude.c'), 'utf8');
  const start = source.indexOf('gg_prelude_appsync_sdl[] =');
  const end = source.indexOf(';\n', start);
  const literals = source.slice(start, end).match(/"(?:[^"\\]|\\.)*"/g) || [];
  return literals.map((l) => JSON.parse(l)).join('');
}

const sdl = readFileSync(args[0], 'utf8');
const doc = parse(sdl);
const definitions = appsync ? [...parse(appsyncPrelude()).definitions, ...doc.definitions] : doc.definitions;
const schema = buildASTSchema({ ...doc, definitions });

function once(text) {
  return validate(schema, parse(text)).length;
}

function parseOnly(text) {
  return parse(text).definitions.length;
}

// CPU time of the process (user + system, garbage collector threads included), not wall time:
// on a busy machine waiting for a core is not work. parse_validate.c measures the same way.
function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function measure(text, secs, work = once) {
  let count = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  while (elapsed < secs) {
    for (let i = 0; i < 16; i++) work(text);
    count += 16;
    elapsed = cpuSeconds() - start;
  }
  return count / elapsed;
}

for (const file of args.slice(1)) {
  const text = readFileSync(file, 'utf8');
  let errors;
  try {
    errors = once(text);
  } catch (e) {
    errors = `parse error: ${e.message}`;
  }
  measure(text, seconds / 3); // warm-up: let V8 optimise
  const rate = measure(text, seconds);
  const parseRate = measure(text, seconds / 2, parseOnly);
  console.log(`graphql-js ${file} ${rate.toFixed(0)} docs/s (${errors} validation errors; parse alone ${parseRate.toFixed(0)} docs/s)`);
}
