// h2_drop.test.mjs: HTTP/2 clients that give up on a request while its database query runs
// (issue 8, item 1). A stream reset (RST_STREAM) or a closed connection makes h2o free the request
// at once; the query's result arrives later and must be dropped, never sent to the freed stream.
// Hundreds of drops, over h2c and TLS h2, from parallel clients, then rapid reset (HEADERS and
// RST_STREAM in a loop) on a query that reaches the database. After each attack the server must
// answer fast with its memory back near the baseline, and stop cleanly (no sanitizer report).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { makeCertificate } from '../helpers.mjs';
import {
  assertRecovered, gql, h2connect, parallel, psql, rss, skipNoDatabase, startAbuseServer, stopClean, warmBaseline,
} from './harness.mjs';

const NAME = 'h2drop';
// A page of 1000 todos with their projects: tens of milliseconds in PostgreSQL and in the
// gateway, so a drop after a few milliseconds lands while the query is in flight.
const QUERY = '{ listTodos(limit: 1000) { items { id name project { name } } } }';
const BODY = JSON.stringify({ query: QUERY });
const { NGHTTP2_CANCEL } = http2.constants;

let srv;
let baseline;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  if (skipNoDatabase) return;
  const { cert, key } = await makeCertificate();
  srv = await startAbuseServer(NAME, {
    tls: true,
    env: { GRAPHGATE_TLS_LISTEN: '127.0.0.1:0', GRAPHGATE_TLS_CERT_FILE: cert, GRAPHGATE_TLS_KEY_FILE: key },
  });
  const seed = await psql(`
    INSERT INTO gg_abuse_${NAME}_project (id, name, "createdAt", "updatedAt")
      SELECT 'p' || i, repeat('project ', 20) || i, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, 100) i;
    INSERT INTO gg_abuse_${NAME}_todo (id, name, status, "projectId", "createdAt", "updatedAt")
      SELECT 't' || lpad(i::text, 5, '0'), repeat('todo name ', 20) || i, 'OPEN', 'p' || (i % 100 + 1),
             '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, 2000) i;`);
  assert.equal(seed.code, 0, seed.stderr);
  const check = await gql(srv.url, QUERY);
  assert.equal(check.status, 200);
  assert.equal(check.body.data.listTodos.items.length, 1000, JSON.stringify(check.body).slice(0, 500));
  assert.equal(typeof check.body.data.listTodos.items[0].project.name, 'string');
  await warmBaseline(srv, ['{ __typename }', QUERY], 20);
  baseline = await warmConcurrent();
});

// One whole request over session; resolves to the parsed answer.
function fullRequest(session) {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': '/graphql', 'content-type': 'application/json' });
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (text += d));
    req.on('end', () => resolve(JSON.parse(text)));
    req.on('error', reject);
    req.end(BODY);
  });
}

// The baseline: memory after well-behaved clients in the shapes the attacks take (8 clients in
// parallel on their own connections, 8 clients opening a connection per request, then
// http.max_concurrent_streams streams on one connection; over h2c and TLS), so that what the
// allocator keeps after any such load is not taken for what an attack kept.
async function warmConcurrent() {
  for (const base of [srv.base, srv.tlsBase]) {
    const sessions = Array.from({ length: 8 }, () => h2connect(base));
    await parallel(Array.from({ length: 40 }, (_, i) => i), 8, (i) => fullRequest(sessions[i % 8]));
    await parallel(Array.from({ length: 40 }, (_, i) => i), 8, async () => {
      const session = h2connect(base);
      await fullRequest(session);
      session.destroy();
    });
    await Promise.all(Array.from({ length: 100 }, () => fullRequest(sessions[0])));
    for (const s of sessions) s.destroy();
  }
  await sleep(1000);
  return rss(srv.proc.pid);
}

after(async () => {
  if (srv) await stopClean(srv);
});

// One request on session, dropped after delayMs: by RST_STREAM (stream.close) or by closing the
// connection (session.destroy). Resolves when the drop is done.
async function dropOne(session, how, delayMs) {
  const req = session.request({ ':method': 'POST', ':path': '/graphql', 'content-type': 'application/json' });
  req.on('error', () => {});
  req.on('data', () => {});
  req.end(BODY);
  await sleep(delayMs);
  if (how === 'rst') req.close(NGHTTP2_CANCEL);
  else session.destroy();
}

// `count` drops from `width` parallel clients; over RST_STREAM a client keeps its connection,
// over a connection close each drop opens a new one. Delays spread from 0 to 40 ms.
async function dropMany(base, how, count, width) {
  const sessions = how === 'rst' ? Array.from({ length: width }, () => h2connect(base)) : [];
  const items = Array.from({ length: count }, (_, i) => i);
  await parallel(items, width, async (i) => {
    const session = how === 'rst' ? sessions[i % width] : h2connect(base);
    await dropOne(session, how, (i * 7) % 41);
  });
  await sleep(50);
  for (const s of sessions) s.destroy();
}

// Every drop's query finishes in the database after its stream is gone; give them time to
// come back, so their results reach the (freed) request in the old code.
async function settle() {
  await sleep(500);
}

for (const [transport, how] of [['h2c', 'rst'], ['h2c', 'close'], ['tls', 'rst'], ['tls', 'close']]) {
  const label = how === 'rst' ? 'RST_STREAM' : 'connection close';
  test(`${transport}: 300 requests dropped mid-query by ${label}, 8 clients in parallel`, { skip: skipNoDatabase }, async () => {
    const base = transport === 'tls' ? srv.tlsBase : srv.base;
    await dropMany(base, how, 300, 8);
    await settle();
    await assertRecovered(srv, baseline, `300 drops by ${label} over ${transport}`);
    // the same kind of client still gets whole answers afterwards
    const session = h2connect(base);
    try {
      const answer = await fullRequest(session);
      assert.equal(answer.data.listTodos.items.length, 1000);
    } finally {
      session.destroy();
    }
  });
}

test('rapid reset: HEADERS then RST_STREAM in a loop, on a query that reaches the database', { skip: skipNoDatabase }, async () => {
  for (const base of [srv.base, srv.tlsBase]) {
    const session = h2connect(base);
    await new Promise((r) => session.once('connect', r));
    const path = `/graphql?query=${encodeURIComponent(QUERY)}`;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) {
        // a GET: the HEADERS frame ends the stream, so the handler runs and sends the query
        const req = session.request({ ':method': 'GET', ':path': path }, { endStream: true });
        req.on('error', () => {});
        req.close(NGHTTP2_CANCEL);
      }
      await sleep(round % 2 ? 0 : 5);
    }
    // and POSTs (HEADERS, DATA, RST_STREAM)
    for (let i = 0; i < 200; i++) {
      const req = session.request({ ':method': 'POST', ':path': '/graphql', 'content-type': 'application/json' });
      req.on('error', () => {});
      req.end(BODY);
      req.close(NGHTTP2_CANCEL);
      if (i % 50 === 49) await sleep(5);
    }
    await sleep(100);
    session.destroy();
  }
  await settle();
  await assertRecovered(srv, baseline, 'rapid reset');
});
