// realtime_limits.test.mjs: the realtime.* limits and liveness of the websocket endpoint (issue 11)
// through the real binary: max_connections (503 with the key's name), max_message_bytes (close
// 1009), keep_alive_interval_ms (periodic "ka"; graphql-transport-ws: ping frames, an unanswered
// one closes), SIGTERM (close 1001, exit 0), and a client that stops reading while events pile up
// (max_send_queue_bytes: disconnected, the server stays up).
// The first ones use the static fixture; the slow consumer needs the PostgreSQL of scripts/test.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { post, run, startModelServer, startServer } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens an AppSync real-time socket (auth NONE) and resolves once it is open.
function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['graphql-ws']);
    const messages = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.messages = messages;
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => reject(Object.assign(new Error('refused'), { status: res.statusCode, body })));
    });
    ws.on('error', () => {});
  });
}

test('max_connections, max_message_bytes, keep-alives, and SIGTERM closing sockets with 1001', async () => {
  const srv = await startServer({
    env: {
      GRAPHGATE_REALTIME_MAX_CONNECTIONS: '2',
      GRAPHGATE_REALTIME_MAX_MESSAGE_BYTES: '2048',
      GRAPHGATE_REALTIME_KEEP_ALIVE_INTERVAL_MS: '200',
    },
  });
  const url = `${srv.url.replace('http://', 'ws://')}/realtime`;
  const a = await connect(url);
  const b = await connect(url);
  const refused = await connect(url).then(() => null, (e) => e);
  assert.equal(refused.status, 503);
  assert.match(JSON.parse(refused.body).errors[0].message, /at most 2 \(realtime\.max_connections\)/);

  a.send(JSON.stringify({ type: 'connection_init' }));
  await wait(700);
  assert.equal(a.messages[0].type, 'connection_ack');
  assert.ok(a.messages.filter((m) => m.type === 'ka').length >= 3, JSON.stringify(a.messages));

  b.send('x'.repeat(3000)); // over max_message_bytes
  assert.equal((await b.closed).code, 1009);
  await wait(100);
  const c = await connect(url); // b's slot is free again
  c.send(JSON.stringify({ type: 'connection_init' }));
  await wait(100);

  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());
  assert.deepEqual(await a.closed, { code: 1001, reason: 'server shutting down' });
  assert.equal((await c.closed).code, 1001);
});

test('graphql-transport-ws keep-alive: a websocket ping every keep_alive_interval_ms; no pong by the next one closes 1001', async () => {
  // as graphql-ws's own server (useServer keepAlive): pings from the upgrade on keep idle
  // subscriptions through proxies, and a peer that answers nothing is let go
  const srv = await startServer({ env: { GRAPHGATE_REALTIME_KEEP_ALIVE_INTERVAL_MS: '150' } });
  const open = (autoPong) => {
    const ws = new WebSocket(srv.url.replace('http://', 'ws://'), ['graphql-transport-ws'], { autoPong });
    ws.pings = 0;
    ws.on('ping', () => ws.pings++);
    ws.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    return ws;
  };
  const live = open(true);
  const mute = open(false);
  assert.deepEqual(await mute.closed, { code: 1001, reason: 'No pong to the keep-alive ping (realtime.keep_alive_interval_ms)' });
  assert.equal(mute.pings, 1);
  while (live.pings < 4) await new Promise((res) => live.once('ping', res)); // answered by ws itself: kept open
  assert.equal(live.readyState, WebSocket.OPEN);
  live.close(1000);
  assert.equal((await live.closed).code, 1000);
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());
});

// A masked client frame (RFC 6455 §5.2) carrying text.
function frame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([head, mask, body]);
}

test('a client that stops reading is disconnected past max_send_queue_bytes; the others are served',
  { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)', timeout: 120000 }, async () => {
    const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
    const srv = await startModelServer({
      schema: `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Blob @model @refersTo(name: "gg_it_rt_blob") { body: String }
`,
      tables: 'gg_it_rt_blob',
      dbUrl,
      env: { GRAPHGATE_REALTIME_MAX_SEND_QUEUE_BYTES: '65536' },
    });
    try {
      // The slow client: a raw upgrade, connection_init and start, then it stops reading.
      const sock = net.connect(srv.port, '127.0.0.1');
      await new Promise((r) => sock.on('connect', r));
      let head = '';
      const upgraded = new Promise((r) => sock.on('data', function onData(d) {
        head += d.toString('latin1');
        if (head.includes('"start_ack"')) {
          sock.off('data', onData);
          r();
        }
      }));
      sock.write('GET /graphql/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-ws\r\n\r\n');
      sock.write(frame(JSON.stringify({ type: 'connection_init' })));
      await wait(100);
      sock.write(frame(JSON.stringify({ id: 's', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onCreateBlob { body } }' }) } })));
      await upgraded;
      assert.match(head, /101 Switching Protocols/i);
      sock.pause();
      let closedAt = null;
      sock.on('close', () => (closedAt = Date.now()));

      // A well-behaved subscriber next to it.
      const good = await connect(`${srv.url.replace('http://', 'ws://')}/realtime`);
      good.send(JSON.stringify({ type: 'connection_init' }));
      await wait(100);
      good.send(JSON.stringify({ id: 'g', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onCreateBlob { id } }' }) } }));
      await wait(200);

      const body = 'y'.repeat(100000);
      let sent = 0;
      for (let round = 0; round < 30 && !/reads too slowly/.test(srv.stderr()); round++) {
        await Promise.all(Array.from({ length: 10 }, () =>
          post(srv.url, { query: 'mutation($i: CreateBlobInput!) { createBlob(input: $i) { id } }', variables: { i: { body } } })));
        sent += 10;
      }
      assert.match(srv.stderr(), /realtime: a client reads too slowly \(over 65536 bytes queued, realtime\.max_send_queue_bytes\): disconnected/);
      await wait(500);
      assert.equal(good.messages.filter((m) => m.type === 'data').length, sent);
      // the slow socket is closed: at once when its queue drains, else after the close grace period
      sock.resume();
      for (let i = 0; i < 100 && closedAt === null; i++) await wait(50);
      assert.notEqual(closedAt, null, 'the slow client was not disconnected');
      assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
      good.close();
    } finally {
      const { code } = await srv.stop();
      assert.equal(code, 0, srv.stderr());
      await psql('DROP TABLE IF EXISTS gg_it_rt_blob');
    }
  });
