// deadline.test.mjs: the gateway's own request deadline, http.request_timeout_ms (issue 8, item 8).
//
// The database "hangs": another session holds an ACCESS EXCLUSIVE lock on the todo table inside an
// open transaction, so every statement that reads it waits. With a 500 ms deadline the client
// gets an ExecutionTimeout error promptly, the waiting statement is cancelled (pg_stat_activity
// no longer shows it active), results that arrive after the deadline are dropped, and the server
// stays healthy. With the deadline off (0), database.statement_timeout_ms still bounds the wait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, root, run } from '../helpers.mjs';
import {
  assertRecovered, dbUrl, gql, parallel, psql, skipNoDatabase, startAbuseServer, stopClean, warmBaseline,
} from './harness.mjs';

const NAME = 'deadline';
const TODO = `gg_abuse_${NAME}_todo`;
const QUERY = '{ listTodos(limit: 10) { items { id name project { name } } } }';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
let baseline;

before(async () => {
  if (skipNoDatabase) return;
  srv = await startAbuseServer(NAME, { config: { http: { request_timeout_ms: 500 } } });
  const seed = await psql(`
    INSERT INTO gg_abuse_${NAME}_project (id, name, "createdAt", "updatedAt")
      VALUES ('p1', 'project', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    INSERT INTO ${TODO} (id, name, status, "projectId", "createdAt", "updatedAt")
      SELECT 't' || i, 'todo ' || i, 'OPEN', 'p1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, 20) i;`);
  assert.equal(seed.code, 0, seed.stderr);
  baseline = await warmBaseline(srv, ['{ __typename }', QUERY], 20);
});

after(async () => {
  if (srv) await stopClean(srv);
});

// Holds ACCESS EXCLUSIVE on table from another session (psql, inside a transaction that sleeps)
// until release() ends that session.
async function lockTable(table) {
  const holder = spawn('psql', [dbUrl, '-qAt', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  holder.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => holder.on('exit', r));
  holder.stdin.write(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120), '${table} holder';\n`);
  await waitFor(`the lock on ${table}`, async () => {
    const r = await psql(`SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                          WHERE c.relname = '${table}' AND l.mode = 'AccessExclusiveLock' AND l.granted`);
    return r.stdout.trim() === '1';
  });
  return {
    async release() {
      holder.kill('SIGTERM');
      const t = await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE query LIKE '%''${table} holder''%' AND pid <> pg_backend_pid()`);
      assert.equal(t.code, 0, t.stderr);
      await exited;
      assert.doesNotMatch(err, /ERROR/, err);
    },
  };
}

// graphgate's statements on the todo table that PostgreSQL runs now.
async function activeStatements() {
  const r = await psql(`SELECT count(*) FROM pg_stat_activity
                        WHERE application_name = 'graphgate' AND state = 'active' AND query LIKE '%${TODO}%'`);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}

async function waitFor(what, fn, ms = 5000) {
  const t0 = Date.now();
  while (!(await fn())) {
    assert.ok(Date.now() - t0 < ms, `${what} did not happen within ${ms} ms`);
    await sleep(25);
  }
  return Date.now() - t0;
}

test('a hanging database: ExecutionTimeout at the deadline, and the statement is cancelled', { skip: skipNoDatabase }, async () => {
  const lock = await lockTable(TODO);
  try {
    const r = await gql(srv.url, QUERY, undefined, { timeoutMs: 10000 });
    assert.equal(r.status, 200);
    assert.equal(r.body.data, null);
    assert.equal(r.body.errors.length, 1);
    assert.equal(r.body.errors[0].errorType, 'ExecutionTimeout');
    assert.match(r.body.errors[0].message, /500 ms \(http\.request_timeout_ms\)/);
    assert.ok(r.ms >= 450 && r.ms < 3000, `answered after ${r.ms.toFixed(0)} ms, the deadline is 500 ms`);
    // cancelled, not left waiting for the lock
    await waitFor('the cancellation', async () => (await activeStatements()) === 0, 3000);
    // the other media type: 200 as well, execution had begun
    const g = await gql(srv.url, QUERY, undefined, { headers: { accept: 'application/graphql-response+json' } });
    assert.equal(g.status, 200);
    assert.equal(g.body.errors[0].errorType, 'ExecutionTimeout');
    // the gateway itself is not held up meanwhile
    await assertRecovered(srv, baseline, 'a timed-out request');
  } finally {
    await lock.release();
  }
  const after = await gql(srv.url, QUERY);
  assert.equal(after.body.data.listTodos.items.length, 10, JSON.stringify(after.body));
});

test('many requests queued behind a hanging statement: each times out, each is cancelled, late results are dropped', { skip: skipNoDatabase }, async () => {
  const lock = await lockTable(TODO);
  let answers;
  try {
    // more requests than connections: most wait in a pipeline behind the one the lock holds
    answers = await Promise.all(Array.from({ length: 40 }, () => gql(srv.url, QUERY, undefined, { timeoutMs: 10000 })));
    for (const a of answers) {
      assert.equal(a.status, 200);
      assert.equal(a.body.errors[0].errorType, 'ExecutionTimeout', `${JSON.stringify(a.body)}\n${srv.stderr().slice(-3000)}`);
      assert.ok(a.ms < 3000, `answered after ${a.ms.toFixed(0)} ms`);
    }
    await waitFor('the cancellation of every queued statement', async () => (await activeStatements()) === 0, 5000);
    // while the lock is held, new requests time out too, and quickly
    const again = await gql(srv.url, QUERY, undefined, { timeoutMs: 10000 });
    assert.equal(again.body.errors[0].errorType, 'ExecutionTimeout');
  } finally {
    await lock.release();
  }
  // requests that race the release: some answer, some time out; none may crash the server
  await parallel(Array.from({ length: 60 }), 20, async () => {
    const r = await gql(srv.url, QUERY, undefined, { timeoutMs: 10000 });
    assert.equal(r.status, 200);
    assert.ok(r.body.data?.listTodos || r.body.errors?.[0].errorType === 'ExecutionTimeout', JSON.stringify(r.body));
  });
  await assertRecovered(srv, baseline, 'timed-out requests and their late results');
  const fine = await gql(srv.url, QUERY);
  assert.equal(fine.body.data.listTodos.items.length, 10, JSON.stringify(fine.body));
});

test('deadline off (0): database.statement_timeout_ms still bounds a hanging statement', { skip: skipNoDatabase }, async () => {
  const other = await startAbuseServer(`${NAME}off`, {
    config: { http: { request_timeout_ms: 0 }, database: { statement_timeout_ms: 700 } },
  });
  const lock = await lockTable(`gg_abuse_${NAME}off_todo`);
  try {
    const r = await gql(other.url, QUERY, undefined, { timeoutMs: 10000 });
    assert.equal(r.status, 200);
    assert.equal(r.body.errors[0].errorType, 'DatabaseError', JSON.stringify(r.body));
    assert.match(r.body.errors[0].message, /timed out/);
    assert.ok(r.ms >= 600, `answered after ${r.ms.toFixed(0)} ms: before statement_timeout`);
  } finally {
    await lock.release();
    await stopClean(other);
  }
});

test('the default deadline is 30000 ms (AppSync\'s), in --help and the example config', async () => {
  const help = await run(bin, ['--help']);
  const line = help.stdout.split('\n').find((l) => l.includes('http.request_timeout_ms'));
  assert.ok(line, help.stdout);
  assert.match(line, /30000/);
  assert.match(help.stdout, /GRAPHGATE_HTTP_REQUEST_TIMEOUT_MS/);
  const example = JSON.parse(readFileSync(join(root, 'conf', 'graphgate.example.json'), 'utf8'));
  assert.equal(example.http.request_timeout_ms, 30000);
});
