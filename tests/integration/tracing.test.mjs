// tracing.test.mjs: W3C trace context and the slow-request log (issue 15), as an operator reads the logs.
// A request's traceparent (W3C Trace Context) gives its trace id; a missing or invalid one gets a
// new random id. The id is in the request's access-log line and in every diagnostic line logged for
// that request: one logged while the request is handled (an authorization refusal) and one logged
// from a PostgreSQL statement's reply (a failed @sql statement), in both log formats. A GraphQL
// request taking at least log.slow_request_ms gets one warn line with its operation name, duration,
// time in PostgreSQL, statement count and trace id, never its variables; 0 turns the line off.
// The PostgreSQL part uses the database of scripts/test.sh (GRAPHGATE_TEST_DATABASE_URL) and is
// skipped without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, startServer, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skipDb = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const HEX32 = /^[0-9a-f]{32}$/;

const newTraceId = () => randomBytes(16).toString('hex');
const traceparent = (id, parent = randomBytes(8).toString('hex')) => `00-${id}-${parent}-01`;
const jsonLines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const settle = () => new Promise((res) => setTimeout(res, 150)); // the access log is written when the request ends

// The one access-log line of the request whose operation is named operation.
function accessLine(srv, operation) {
  const lines = jsonLines(srv.stdout()).filter((l) => l.operation === operation);
  assert.equal(lines.length, 1, srv.stdout());
  return lines[0];
}

test('traceparent: a valid one keeps its trace id in the access log; none or an invalid one gets a new id', async () => {
  const srv = await startServer({ env: { GRAPHGATE_LOG_FORMAT: 'json' } });
  const given = newTraceId();
  const invalid = {
    Upper: traceparent(newTraceId().toUpperCase()),
    Zeros: traceparent('0'.repeat(32)),
    ZeroParent: traceparent(newTraceId(), '0'.repeat(16)),
    VersionFF: traceparent(newTraceId()).replace(/^00/, 'ff'),
    Short: traceparent(newTraceId()).slice(0, 54),
    Longer00: `${traceparent(newTraceId())}-extra`,
  };
  try {
    assert.equal((await post(srv.url, { query: 'query Given { hello }' }, { traceparent: traceparent(given) })).status, 200);
    await post(srv.url, { query: 'query NoneA { hello }' });
    await post(srv.url, { query: 'query NoneB { hello }' });
    for (const [name, value] of Object.entries(invalid)) await post(srv.url, { query: `query ${name} { hello }` }, { traceparent: value });
    // a later version may add fields after a dash: its trace id is kept (W3C Trace Context, 4.3)
    const future = newTraceId();
    await post(srv.url, { query: 'query Future { hello }' }, { traceparent: `cc-${future}-${randomBytes(8).toString('hex')}-01-more` });
    const health = newTraceId();
    await fetch(`${srv.base}/healthz`, { headers: { traceparent: traceparent(health) } });
    await settle();
    assert.equal(accessLine(srv, 'Given').trace_id, given);
    assert.equal(accessLine(srv, 'Future').trace_id, future);
    const a = accessLine(srv, 'NoneA').trace_id;
    const b = accessLine(srv, 'NoneB').trace_id;
    assert.match(a, HEX32);
    assert.match(b, HEX32);
    assert.notEqual(a, b);
    for (const [name, value] of Object.entries(invalid)) {
      const id = accessLine(srv, name).trace_id;
      assert.match(id, HEX32, name);
      assert.ok(!value.includes(id), `${name}: ${value} kept its trace id ${id}`);
    }
    // requests outside the GraphQL endpoint have their trace id too
    const probe = jsonLines(srv.stdout()).find((l) => l.path === '/healthz');
    assert.equal(probe?.trace_id, health, srv.stdout());
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});

test('a line logged while a request is handled carries its trace id (JSON and text formats)', async () => {
  const key = `da2-${randomBytes(13).toString('hex')}`;
  const env = { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: key };
  for (const format of ['json', 'text']) {
    const srv = await startServer({ env: { ...env, GRAPHGATE_LOG_FORMAT: format } });
    const id = newTraceId();
    try {
      const r = await post(srv.url, { query: '{ hello }' }, { 'x-api-key': 'da2-wrong', traceparent: traceparent(id) });
      assert.equal(r.status, 401);
      const ok = await post(srv.url, { query: 'query Allowed { hello }' }, { 'x-api-key': key });
      assert.equal(ok.status, 200);
      await settle();
    } finally {
      const { code } = await srv.stop();
      assert.equal(code, 0, srv.stderr());
    }
    const refusals = srv.stderr().split('\n').filter((l) => l.includes('auth: refused a request'));
    assert.equal(refusals.length, 1, srv.stderr());
    if (format === 'json') assert.equal(JSON.parse(refusals[0]).trace_id, id);
    else assert.ok(refusals[0].endsWith(` trace_id=${id}`), refusals[0]);
    const refused = jsonLines(srv.stdout()).find((l) => l.status === 401);
    assert.equal(refused?.trace_id, id, srv.stdout());
    // lines not written for a request (start-up, shutdown) have no trace id
    const stopped = srv.stderr().split('\n').find((l) => l.includes('stopped'));
    assert.ok(stopped && !stopped.includes('trace_id'), srv.stderr());
  }
});

// A schema whose @sql fields sleep in PostgreSQL or fail there.
function sqlConfig() {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), `
type Query {
  nap(seconds: Float!, token: String): Int @sql(statement: "SELECT length(:token::text) FROM pg_sleep(:seconds)")
  divide(by: Int!): Int @sql(statement: "SELECT 10 / (:by)::int")
}
`);
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 1 }));
  return config;
}

test('a statement that fails in PostgreSQL is logged with the trace id of its request', { skip: skipDb }, async () => {
  const srv = await startServer({ config: sqlConfig(), env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_LOG_FORMAT: 'json' } });
  const ids = [newTraceId(), newTraceId()];
  try {
    // two requests at once: each error line names its own request, not the other one
    const answers = await Promise.all(ids.map((id) => post(srv.url, { query: 'query Divide { divide(by: 0) }' }, { traceparent: traceparent(id) })));
    for (const r of answers) assert.equal(r.body.errors[0].errorType, 'DatabaseError', r.text);
    await settle();
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
  const errors = jsonLines(srv.stderr()).filter((l) => l.level === 'error' && l.sqlstate === '22012');
  assert.deepEqual(errors.map((l) => l.trace_id).sort(), [...ids].sort(), srv.stderr());
  const access = jsonLines(srv.stdout()).filter((l) => l.operation === 'Divide');
  assert.deepEqual(access.map((l) => l.trace_id).sort(), [...ids].sort(), srv.stdout());
});

test('log.slow_request_ms: a slow request gets one warn line with its operation, durations and trace id, never its variables', { skip: skipDb }, async () => {
  const config = sqlConfig();
  const secret = `s3cret-${randomBytes(8).toString('hex')}`;
  const slowId = newTraceId();
  const fastId = newTraceId();
  const srv = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_LOG_FORMAT: 'json', GRAPHGATE_LOG_SLOW_REQUEST_MS: '200' } });
  try {
    const slow = await post(srv.url, { query: 'query Sleepy($t: String) { nap(seconds: 0.3, token: $t) }', variables: { t: secret } },
      { traceparent: traceparent(slowId) });
    assert.equal(slow.body.data.nap, secret.length, slow.text);
    const fast = await post(srv.url, { query: 'query Quick($t: String) { nap(seconds: 0, token: $t) }', variables: { t: secret } },
      { traceparent: traceparent(fastId) });
    assert.equal(fast.body.data.nap, secret.length, fast.text);
    await settle();
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
  const slowLines = jsonLines(srv.stderr()).filter((l) => l.msg.startsWith('slow request'));
  assert.equal(slowLines.length, 1, srv.stderr());
  const line = slowLines[0];
  assert.equal(line.level, 'warn');
  assert.equal(line.operation, 'Sleepy');
  assert.equal(line.trace_id, slowId);
  assert.equal(line.status, 200);
  assert.ok(line.statements >= 1, JSON.stringify(line));
  assert.ok(line.postgres_ms >= 290, JSON.stringify(line)); // pg_sleep(0.3)
  assert.ok(line.duration_ms >= line.postgres_ms, JSON.stringify(line));
  assert.match(line.msg, /^slow request: operation Sleepy took \d+\.\d ms, \d+\.\d ms of it in PostgreSQL \(\d+ statements?;/);
  assert.ok(!srv.stderr().includes(secret) && !srv.stdout().includes(secret), 'a variable value reached the log');
  assert.ok(!srv.stderr().includes('pg_sleep'), 'the statement reached the log');

  // 0 turns the line off
  const off = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_LOG_FORMAT: 'json', GRAPHGATE_LOG_SLOW_REQUEST_MS: '0' } });
  try {
    const r = await post(off.url, { query: 'query Sleepy { nap(seconds: 0.3) }' });
    assert.equal(r.status, 200);
    await settle();
  } finally {
    const { code } = await off.stop();
    assert.equal(code, 0, off.stderr());
  }
  assert.ok(!off.stderr().includes('slow request'), off.stderr());
});
