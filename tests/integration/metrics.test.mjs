// metrics.test.mjs: the Prometheus endpoint (issue 15) through the real binary. A user sends queries,
// mutations, bad requests and a websocket subscription, scrapes /metrics before and after, and sees
// the counters move by what was sent; the text passes `promtool check metrics` (Debian package
// prometheus; that one check is skipped, saying so, when promtool is absent). The PostgreSQL part uses
// the database of scripts/test.sh in a table of its own and is skipped without one; the endpoint's
// configuration (metrics.path, metrics.listen, metrics.enabled) is checked without a database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { bin, hs256Token, post, run, startModelServer, startServer, staticConfig, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const KEY = `da2-${randomBytes(13).toString('hex')}`;
const SECRET = randomBytes(32).toString('hex');
const ISSUER = 'https://issuer.metrics.test';
const TABLE = 'gg_it_metrics_note';
const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Note @model @refersTo(name: "${TABLE}") {
  title: String!
  rank: Int
}
`;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const promtool = spawnSync('promtool', ['--version']).status === 0;

// Parses the Prometheus text format: { series: Map('name{labels}' -> number), text }.
async function scrape(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  const series = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    series.set(m[1], Number(m[2]));
  }
  return { series, text, get: (key) => series.get(key) ?? 0 };
}

async function checkWithPromtool(t, text) {
  if (!promtool) {
    t.diagnostic('promtool not found (apt-get install prometheus): the text format check is skipped');
    return;
  }
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool check metrics:\n${r.stdout}${r.stderr}`);
}

let srv;
let metricsUrl;

before(async () => {
  if (skip) return;
  const dir = tempDir();
  writeFileSync(join(dir, 'hs.secret'), `${SECRET}\n`);
  srv = await startModelServer({
    schema: SCHEMA,
    tables: TABLE,
    dbUrl,
    env: {
      GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
      GRAPHGATE_AUTH_API_KEYS: KEY,
      GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT',
      GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
      GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret'),
      GRAPHGATE_DATABASE_POOL_SIZE: '3',
    },
  });
  metricsUrl = `${srv.base}/metrics`;
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await run('psql', [dbUrl, '-qAt', '-c', `DROP TABLE IF EXISTS ${TABLE} CASCADE`]);
});

const LIST = 'query L { listNotes { items { title } } }';
const CREATE = 'mutation C($t: String!) { createNote(input: {title: $t, rank: 1}) { id title } }';

test('queries, mutations and errors move the request, error, cache and PostgreSQL counters', { skip }, async (t) => {
  const before0 = await scrape(metricsUrl);
  const version = (await run(bin, ['--version'])).stdout.trim().split(' ')[1];
  assert.equal(before0.get(`graphgate_build_info{version="${version}"}`), 1);
  assert.equal(before0.get('graphgate_pg_pool_size'), 6, 'two threads with three connections each');
  assert.ok(before0.get('graphgate_pg_pool_ready') >= 1);

  const token = hs256Token(SECRET, { iss: ISSUER, sub: 'metrics-user' });
  for (let i = 0; i < 3; i++) { // a signed-in caller, but the model is public (API key) only
    const r = await post(srv.url, { query: LIST }, { authorization: token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errors[0].errorType, 'Unauthorized', r.text);
  }
  for (let i = 0; i < 2; i++) {
    const r = await post(srv.url, { query: LIST }, { 'x-api-key': KEY });
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body.data.listNotes.items), r.text);
  }
  for (let i = 0; i < 2; i++) {
    const r = await post(srv.url, { query: CREATE, variables: { t: `n${i}` } }, { 'x-api-key': KEY });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.createNote.title, `n${i}`);
  }
  const bad = await post(srv.url, '{"query": ', { 'x-api-key': KEY }); // malformed JSON
  assert.equal(bad.status, 400);
  const refused = await post(srv.url, { query: LIST }, { 'x-api-key': 'da2-wrong' });
  assert.equal(refused.status, 401);
  const invalid = await post(srv.url, { query: CREATE, variables: {} }, { 'x-api-key': KEY }); // $t missing
  assert.equal(invalid.status, 200);
  assert.ok(invalid.body.errors.length > 0);

  const after1 = await scrape(metricsUrl);
  const delta = (key) => after1.get(key) - before0.get(key);
  assert.equal(delta('graphgate_graphql_requests_total{operation="query",status="200"}'), 5);
  assert.equal(delta('graphgate_graphql_requests_total{operation="mutation",status="200"}'), 3);
  assert.equal(delta('graphgate_graphql_requests_total{operation="none",status="400"}'), 1);
  assert.equal(delta('graphgate_graphql_requests_total{operation="none",status="401"}'), 1);
  assert.equal(delta('graphgate_graphql_request_duration_seconds_count{operation="query"}'), 5);
  assert.equal(delta('graphgate_graphql_request_duration_seconds_bucket{operation="mutation",le="+Inf"}'), 3);
  assert.ok(delta('graphgate_graphql_request_duration_seconds_sum{operation="query"}') > 0);
  assert.equal(delta('graphgate_graphql_errors_total{error_type="BadRequestException"}'), 1);
  assert.equal(delta('graphgate_graphql_errors_total{error_type="UnauthorizedException"}'), 1);
  assert.equal(delta('graphgate_graphql_errors_total{error_type="Unauthorized"}'), 3);
  // 2 list queries and 2 inserts; refused callers and the mutation without its variable never reach PostgreSQL
  assert.equal(delta('graphgate_pg_statements_total'), 4);
  assert.equal(delta('graphgate_resolver_duration_seconds_count{source="postgres"}'), 4);
  assert.equal(after1.get('graphgate_pg_statements_in_flight'), 0);
  assert.equal(after1.get('graphgate_pg_pool_in_use'), 0);
  assert.equal(after1.get('graphgate_pg_statements_waiting'), 0);
  assert.equal(delta('graphgate_events_published_total'), 2);
  // the same documents again: parsed at most once per thread, found in the cache otherwise
  const docHits = delta('graphgate_document_cache_hits_total');
  const docMisses = delta('graphgate_document_cache_misses_total');
  assert.equal(docHits + docMisses, 8, 'one lookup per request that got past authorization and JSON');
  assert.ok(docMisses >= 2 && docMisses <= 4, `document cache misses: ${docMisses}`);
  const jwtHits = delta('graphgate_jwt_cache_hits_total');
  const jwtMisses = delta('graphgate_jwt_cache_misses_total');
  assert.equal(jwtHits + jwtMisses, 3);
  assert.ok(jwtMisses >= 1 && jwtMisses <= 2 && jwtHits >= 1, `token cache hits ${jwtHits}, misses ${jwtMisses}`);
  await checkWithPromtool(t, after1.text);
});

test('a websocket subscription shows in the connection, subscription and event metrics', { skip }, async (t) => {
  const before0 = await scrape(metricsUrl);
  const client = createClient({
    url: srv.url.replace('http://', 'ws://'),
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': KEY },
    lazy: false,
    retryAttempts: 0,
  });
  const got = [];
  const connected = new Promise((r) => client.on('connected', r));
  const dispose = client.subscribe({ query: 'subscription { onCreateNote { title } }' }, {
    next: (v) => got.push(v), error: (e) => got.push({ error: e }), complete: () => {},
  });
  await connected;
  let during;
  for (let i = 0; i < 50; i++) { // the subscribe frame follows the ack
    during = await scrape(metricsUrl);
    if (during.get('graphgate_subscriptions') === 1) break;
    await wait(50);
  }
  assert.equal(during.get('graphgate_websocket_connections'), 1);
  assert.equal(during.get('graphgate_subscriptions'), 1);
  assert.equal(during.get('graphgate_websocket_connections_total') - before0.get('graphgate_websocket_connections_total'), 1);

  const r = await post(srv.url, { query: CREATE, variables: { t: 'seen' } }, { 'x-api-key': KEY });
  assert.equal(r.status, 200, r.text);
  for (let i = 0; i < 50 && got.length === 0; i++) await wait(50);
  assert.deepEqual(got, [{ data: { onCreateNote: { title: 'seen' } } }]);
  const delivered = await scrape(metricsUrl);
  assert.equal(delivered.get('graphgate_events_published_total') - before0.get('graphgate_events_published_total'), 1);
  assert.equal(delivered.get('graphgate_events_delivered_total') - before0.get('graphgate_events_delivered_total'), 1);
  assert.equal(delivered.get('graphgate_events_dropped_total'), before0.get('graphgate_events_dropped_total'));
  await checkWithPromtool(t, delivered.text);

  dispose();
  await client.dispose();
  let closed;
  for (let i = 0; i < 50; i++) {
    closed = await scrape(metricsUrl);
    if (closed.get('graphgate_websocket_connections') === 0) break;
    await wait(50);
  }
  assert.equal(closed.get('graphgate_websocket_connections'), 0);
  assert.equal(closed.get('graphgate_subscriptions'), 0);
});

test('metrics.listen serves the metrics on their own port, and only there', async (t) => {
  const s = await startServer({ env: { GRAPHGATE_METRICS_LISTEN: '127.0.0.1:0', GRAPHGATE_METRICS_PATH: '/internal/prom' } });
  try {
    const announced = () => /listening on (http:\/\/127\.0\.0\.1:\d+\/internal\/prom)/.exec(s.stderr());
    for (let i = 0; i < 100 && !announced(); i++) await wait(50); // the line after the main listener's
    const m = announced();
    assert.ok(m, s.stderr());
    assert.notEqual(new URL(m[1]).port, String(s.port));
    const r = await post(s.url, { query: '{ __typename }' });
    assert.equal(r.status, 200);
    // the worker counts a request once its answer is written, which may be a moment after the
    // client has read it (seen under ASan): the scrape waits for it, briefly
    const key = 'graphgate_graphql_requests_total{operation="query",status="200"}';
    let scraped = await scrape(m[1]);
    for (let i = 0; i < 40 && scraped.get(key) !== 1; i++) {
      await wait(50);
      scraped = await scrape(m[1]);
    }
    assert.equal(scraped.get(key), 1);
    await checkWithPromtool(t, scraped.text);
    assert.equal((await fetch(`${s.base}/internal/prom`)).status, 404, 'not on the main listener');
    assert.equal((await fetch(`${s.base}/metrics`)).status, 404);
    assert.equal((await fetch(new URL('/graphql', m[1]))).status, 404, 'the metrics port serves nothing else');
    assert.equal((await fetch(m[1], { method: 'POST', body: 'x' })).status, 405);
  } finally {
    assert.equal((await s.stop()).code, 0, s.stderr());
  }
});

test('automatic persisted queries count their hits and misses', async () => {
  const s = await startServer({ env: { GRAPHGATE_THREADS: '1' } }); // one thread: one store
  try {
    const scrape1 = async () => Object.fromEntries((await (await fetch(`${s.base}/metrics`)).text()).split('\n')
      .filter((l) => l.startsWith('graphgate_persisted_query_')).map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
    const q = '{ __typename }';
    const ext = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(q).digest('hex') } };
    assert.equal((await post(s.url, { extensions: ext })).body.errors[0].message, 'PersistedQueryNotFound');
    assert.equal((await post(s.url, { query: q, extensions: ext })).status, 200);
    for (let i = 0; i < 2; i++) assert.deepEqual((await post(s.url, { extensions: ext })).body, { data: { __typename: 'Query' } });
    assert.deepEqual(await scrape1(), { graphgate_persisted_query_hits_total: 2, graphgate_persisted_query_misses_total: 1 });
  } finally {
    assert.equal((await s.stop()).code, 0, s.stderr());
  }
});

test('metrics.enabled false: no endpoint', async () => {
  const s = await startServer({ env: { GRAPHGATE_METRICS_ENABLED: 'false' } });
  try {
    assert.equal((await fetch(`${s.base}/metrics`)).status, 404);
    assert.equal((await post(s.url, { query: '{ __typename }' })).status, 200);
  } finally {
    assert.equal((await s.stop()).code, 0, s.stderr());
  }
});

test('bad metrics keys stop start-up with a message naming the key', async () => {
  for (const [name, value] of [['GRAPHGATE_METRICS_PATH', 'metrics'], ['GRAPHGATE_METRICS_PATH', '/graphql'],
    ['GRAPHGATE_METRICS_LISTEN', 'nonsense']]) {
    const r = await run(bin, ['--check', '-c', staticConfig],
      { env: { ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', [name]: value } });
    assert.equal(r.code, 2, `${name}=${value}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`key "${name === 'GRAPHGATE_METRICS_PATH' ? 'metrics.path' : 'metrics.listen'}"`));
  }
});
