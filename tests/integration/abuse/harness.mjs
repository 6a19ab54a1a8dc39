// harness.mjs: what every abuse test shares (tests/integration/abuse/*.test.mjs, issue 8).
//
// An abuse test attacks the real binary the way a hostile client would, then checks that the
// server came through: `assertRecovered` asks `{ __typename }` (three answers, each within a 5 s
// timeout, so a stuck server fails), checks that the idle server burns no CPU (its own CPU time from
// /proc over an idle second, so a spinning event loop fails however loaded the machine is; a
// wall-clock bound would fail on a busy CI machine instead) and compares the resident memory with
// the baseline taken after warm-up (within 20%, so memory the attack made the server keep fails).
// Under ASan the server runs with a small quarantine, else freed memory would count as kept.
//
// `startAbuseServer` serves the example app's shape (Project, Todo) over the PostgreSQL of
// scripts/test.sh, in tables of its own (gg_abuse_<name>_project, gg_abuse_<name>_todo) so that
// abuse files can run in parallel with the other suites.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, run, startServer, tempDir } from '../helpers.mjs';

export const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
export const skipNoDatabase = dbUrl ? false : 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)';

// A small ASan quarantine: freed memory must not look like memory the server keeps.
export function sanitizerEnv() {
  const asan = process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : '';
  return { ASAN_OPTIONS: `${asan}quarantine_size_mb=4:thread_local_quarantine_size_kb=64` };
}

export function abuseSchema(name) {
  return `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
enum Status { OPEN DONE }
type Project @model @refersTo(name: "gg_abuse_${name}_project") {
  name: String!
  todos: [Todo] @hasMany(references: ["projectId"])
}
type Todo @model @refersTo(name: "gg_abuse_${name}_todo") {
  name: String!
  status: Status @default(value: "OPEN")
  projectId: ID
  project: Project @belongsTo(references: ["projectId"])
}
`;
}

export const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);

// Writes the schema and a config (extra keys merged in) into a temp dir, runs `graphgate migrate`
// and empties the tables. Returns { config, env }.
export async function prepareDatabase(name, extraConfig = {}) {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), abuseSchema(name));
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], ...extraConfig }, null, 2));
  const env = { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false', ...sanitizerEnv() };
  const m = await run(bin, ['migrate', '-c', config], { env: { ...process.env, ...env } });
  assert.equal(m.code, 0, `migrate failed: ${m.stderr}`);
  const t = await psql(`TRUNCATE gg_abuse_${name}_todo, gg_abuse_${name}_project`);
  assert.equal(t.code, 0, t.stderr);
  return { config, env };
}

// Starts graphgate on the abuse schema (or, with { database: false }, the static fixture); `wrap` as
// in startServer (e.g. prlimit).
export async function startAbuseServer(name, { config: extraConfig = {}, env = {}, tls = false, database = true, wrap = [] } = {}) {
  if (!database) return startServer({ env: { ...sanitizerEnv(), ...env }, tls, wrap });
  const prepared = await prepareDatabase(name, extraConfig);
  return startServer({ config: prepared.config, env: { ...prepared.env, ...env }, tls, wrap });
}

// Resident memory of a process in bytes (VmRSS), AddressSanitizer's shadow memory left out: ASan
// keeps the shadow of memory the program has freed and given back, so it would count as kept.
export function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024 - asanShadowRss(pid);
}

// The resident part of ASan's shadow (x86_64: 0x7fff8000 up to 0x10007fff8000); 0 without ASan.
function asanShadowRss(pid) {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  if (!smaps.includes('libasan')) return 0;
  let inShadow = false;
  let sum = 0;
  for (const line of smaps.split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) {
      inShadow = BigInt(`0x${range[1]}`) >= 0x7fff8000n && BigInt(`0x${range[2]}`) <= 0x10007fff8000n;
    } else if (inShadow) {
      const r = /^Rss:\s+(\d+) kB/.exec(line);
      if (r) sum += Number(r[1]) * 1024;
    }
  }
  return sum;
}

// POSTs over HTTP/1.1 (fetch) and returns { status, body, ms }.
export async function gql(url, query, variables, { timeoutMs = 30000, headers = {} } = {}) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, ms: performance.now() - t0 };
}

// Sends `n` warm-up requests (so thread arenas, caches and pools exist) and returns the RSS then.
export async function warmBaseline(srv, queries = ['{ __typename }'], n = 50) {
  for (let i = 0; i < n; i++) for (const q of queries) await gql(srv.url, q);
  return rss(srv.proc.pid);
}

// The process's CPU time so far (user + system) in clock ticks, from /proc/PID/stat.
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
}

// The server came through an attack: it answers { __typename } three times, it does not spin when
// idle (under a quarter of a core over an idle second: a busy loop takes a whole one) and its RSS
// is within 20% of the baseline (a few seconds are given for memory to settle).
export async function assertRecovered(srv, baselineRss, what = 'the attack') {
  assert.equal(srv.proc.exitCode, null, `graphgate exited after ${what}:\n${srv.stderr().slice(-4000)}`);
  assert.equal(srv.proc.signalCode, null, `graphgate was killed after ${what}:\n${srv.stderr().slice(-4000)}`);
  for (let i = 0; i < 3; i++) {
    const r = await gql(srv.url, '{ __typename }', undefined, { timeoutMs: 5000 });
    assert.equal(r.status, 200, `after ${what}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(r.body, { data: { __typename: 'Query' } });
  }
  const ticksPerSecond = 100; // USER_HZ on Linux
  const before = cpuTicks(srv.proc.pid);
  await new Promise((r) => setTimeout(r, 1000));
  const idleCpu = (cpuTicks(srv.proc.pid) - before) / ticksPerSecond;
  assert.ok(idleCpu < 0.25, `after ${what}: the idle server used ${idleCpu.toFixed(2)} s of CPU in 1 s (spinning?)`);
  let now = rss(srv.proc.pid);
  for (let i = 0; i < 30 && now > baselineRss * 1.2; i++) {
    await new Promise((r) => setTimeout(r, 200));
    await gql(srv.url, '{ __typename }');
    now = rss(srv.proc.pid);
  }
  assert.ok(now <= baselineRss * 1.2,
    `after ${what}: RSS ${(now / 1048576).toFixed(1)} MB, baseline ${(baselineRss / 1048576).toFixed(1)} MB (+${((now / baselineRss - 1) * 100).toFixed(0)}%)`);
}

// Stops the server and asserts a clean exit (0: drained; under ASan also no sanitizer report).
export async function stopClean(srv) {
  const { code, signal } = await srv.stop();
  assert.equal(signal, null, `graphgate died by ${signal}:\n${srv.stderr().slice(-4000)}`);
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr().slice(-4000)}`);
  assert.doesNotMatch(srv.stderr(), /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/);
}

// An HTTP/2 session (h2c prior knowledge, or TLS h2 with any certificate).
export function h2connect(base) {
  const session = http2.connect(base, { rejectUnauthorized: false });
  session.on('error', () => {});
  return session;
}

// Runs tasks with at most `width` in flight.
export async function parallel(items, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}
