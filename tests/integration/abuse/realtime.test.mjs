// realtime.test.mjs: hostile websocket clients against the realtime endpoint (issue 11), in both
// protocols (AppSync's `graphql-ws` and `graphql-transport-ws`), through raw sockets that write
// frames byte by byte: text that is not JSON or JSON of the wrong shape, unknown message types,
// binary frames, frames over realtime.max_message_bytes (and one announcing 2^62 bytes), fragmented
// messages (legal ones, and fragments broken in every way RFC 6455 forbids), unmasked and reserved
// frames, invalid UTF-8; 10,000 start / subscribe messages on one connection; clients that
// subscribe and never read while events flow. Each gets the protocol's error or close code, every
// text the server writes is valid UTF-8, the server keeps serving other clients, its resident
// memory (from /proc/PID/status) stays within a generous bound, and it exits cleanly (ASan+UBSan
// in the sanitizer build). Tables of its own (gg_abuse_rt_*); skipped without a database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { gql, rss, sanitizerEnv, skipNoDatabase, startAbuseServer, stopClean, warmBaseline } from './harness.mjs';

const NAME = 'rt';
const MAX_MESSAGE = 131072; // realtime.max_message_bytes here
const SEND_QUEUE = 262144; // realtime.max_send_queue_bytes here
const MiB = 1048576;
let srv;
let baseline;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const utf8 = new TextDecoder('utf-8', { fatal: true });

before(async () => {
  if (skipNoDatabase) return;
  srv = await startAbuseServer(NAME, {
    env: {
      ASAN_OPTIONS: `${sanitizerEnv().ASAN_OPTIONS}:allocator_release_to_os_interval_ms=100`,
      GRAPHGATE_REALTIME_MAX_MESSAGE_BYTES: String(MAX_MESSAGE),
      GRAPHGATE_REALTIME_MAX_SEND_QUEUE_BYTES: String(SEND_QUEUE),
    },
  });
  baseline = await warmBaseline(srv, ['{ __typename }', 'mutation { createProject(input: { name: "warm" }) { id } }'], 20);
});

after(async () => {
  if (srv) await stopClean(srv);
});

// ---- a raw websocket client ----

// One client frame: masked unless told otherwise; length: what the header announces (default: the
// payload's); rsv: the RSV1-3 bits.
function frame({ opcode = 1, payload = '', fin = true, mask = true, rsv = 0, length }) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const len = length ?? body.length;
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 255);
  else {
    head.push(m | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), body]);
  const key = randomBytes(4);
  return Buffer.concat([Buffer.from(head), key, Buffer.from(body.map((b, i) => b ^ key[i % 4]))]);
}

// Upgrades a raw socket on path with the subprotocol and reads the server's frames: text messages
// are parsed into `messages` (each checked to be valid UTF-8, else recorded in `invalid`), the close
// frame into `close`; `ended` resolves when the TCP connection ends.
async function rawClient(path, protocol, { read = true } = {}) {
  const sock = net.connect(srv.port, '127.0.0.1');
  await new Promise((r, j) => {
    sock.once('connect', r);
    sock.once('error', j);
  });
  sock.on('error', () => {});
  const c = { sock, messages: [], invalid: [], close: null, head: '', buf: Buffer.alloc(0), fragments: [] };
  c.ended = new Promise((r) => sock.on('close', r));
  let upgraded;
  const ready = new Promise((r) => (upgraded = r));
  sock.on('data', (d) => {
    c.buf = Buffer.concat([c.buf, d]);
    if (!c.headDone) {
      const at = c.buf.indexOf('\r\n\r\n');
      if (at < 0) return;
      c.head = c.buf.subarray(0, at).toString('latin1');
      c.buf = c.buf.subarray(at + 4);
      c.headDone = true;
      upgraded();
    }
    parseFrames(c);
  });
  sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);
  await ready;
  assert.match(c.head, /^HTTP\/1\.1 101 /);
  if (!read) sock.pause();
  c.sendFrame = (f) => sock.write(frame(f));
  c.send = (m) => sock.write(frame({ payload: typeof m === 'string' ? m : JSON.stringify(m) }));
  c.next = async (pred, ms = 5000) => {
    for (let t = 0; t < ms; t += 10) {
      const k = c.messages.findIndex(pred);
      if (k >= 0) return c.messages.splice(k, 1)[0];
      await wait(10);
    }
    throw new Error(`no matching message; seen ${JSON.stringify(c.messages).slice(0, 2000)}`);
  };
  // the close frame, { code: 'dropped' } when the connection ended without one, null while open
  let ended = false;
  c.ended.then(() => (ended = true));
  c.closed = async (ms = 6000) => {
    for (let t = 0; t < ms && c.close === null && !ended; t += 10) await wait(10);
    return c.close ?? (ended ? { code: 'dropped' } : null);
  };
  return c;
}

function parseFrames(c) {
  for (;;) {
    if (c.buf.length < 2) return;
    const b0 = c.buf[0];
    let len = c.buf[1] & 0x7f;
    let at = 2;
    if (len === 126) {
      if (c.buf.length < 4) return;
      len = c.buf.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      if (c.buf.length < 10) return;
      len = Number(c.buf.readBigUInt64BE(2));
      at = 10;
    }
    if (c.buf.length < at + len) return;
    const payload = c.buf.subarray(at, at + len);
    c.buf = c.buf.subarray(at + len);
    const opcode = b0 & 0x0f;
    if (opcode === 8) {
      const reason = payload.subarray(2);
      try {
        utf8.decode(reason);
      } catch {
        c.invalid.push(`close reason ${reason.toString('hex')}`);
      }
      c.close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : null, reason: reason.toString() };
      if (!c.sock.destroyed) c.sock.write(frame({ opcode: 8, payload: payload.subarray(0, 2) })); // as clients do
      continue;
    }
    if (opcode === 1 || opcode === 0) {
      c.fragments.push(payload);
      if (!(b0 & 0x80)) continue;
      const whole = Buffer.concat(c.fragments);
      c.fragments = [];
      try {
        c.messages.push(JSON.parse(utf8.decode(whole)));
      } catch (e) {
        c.invalid.push(`${e.message}: ${whole.toString('hex').slice(0, 400)}`);
      }
    }
  }
}

// An AppSync real-time connection (auth NONE), acknowledged.
async function appsync(options) {
  const c = await rawClient('/graphql/realtime', 'graphql-ws', options);
  c.send({ type: 'connection_init' });
  if (options?.read !== false) {
    await c.next((m) => m.type === 'connection_ack');
    await c.next((m) => m.type === 'ka'); // the first keep-alive follows the ack; the next in 60 s
  }
  return c;
}

async function transport() {
  const c = await rawClient('/graphql', 'graphql-transport-ws');
  c.send({ type: 'connection_init' });
  await c.next((m) => m.type === 'connection_ack');
  return c;
}

const startMessage = (id, query = 'subscription { onCreateTodo { id name } }') =>
  ({ id, type: 'start', payload: { data: JSON.stringify({ query }) } });

// The server came through: alive, answers HTTP, and a fresh subscriber gets a mutation's event.
async function assertServing(what) {
  assert.equal(srv.proc.exitCode, null, `graphgate exited after ${what}:\n${srv.stderr().slice(-4000)}`);
  const r = await gql(srv.url, '{ __typename }', undefined, { timeoutMs: 10000 });
  assert.deepEqual(r.body, { data: { __typename: 'Query' } }, `after ${what}`);
  const c = await appsync();
  c.send(startMessage('probe', 'subscription { onCreateProject { name } }'));
  assert.deepEqual(await c.next((m) => m.id === 'probe'), { type: 'start_ack', id: 'probe' });
  const name = `probe-${randomBytes(4).toString('hex')}`;
  await gql(srv.url, `mutation { createProject(input: { name: "${name}" }) { id } }`);
  const data = await c.next((m) => m.type === 'data' && m.payload.data.onCreateProject.name === name);
  assert.equal(data.id, 'probe');
  c.sock.destroy();
}

const opts = { skip: skipNoDatabase, timeout: 240000 };

test('AppSync protocol: malformed messages get an error and the connection stays usable', opts, async () => {
  const c = await appsync();
  const processing = { type: 'error', payload: { errors: [{ message: 'The message is not a JSON object with a "type".', errorType: 'MessageProcessingError' }] } };
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  for (const text of ['not json', '{', '', '[]', '"connection_init"', '42', 'null', '{}', '{"type":7}', '{"type":null}',
    '{"type":["start"]}', '{"type":"start"', deep.slice(0, MAX_MESSAGE - 2), '\u0000', '{"type":"ka"}\u0000junk']) {
    c.send(text);
    const m = await c.next(() => true);
    if (text === '{"type":"ka"}\u0000junk') assert.equal(m.payload.errors[0].errorType, 'UnsupportedOperation', text);
    else assert.deepEqual(m, processing, JSON.stringify(text).slice(0, 80));
  }
  // unknown types, long ones and multi-byte ones cut where they may be cut
  for (const type of ['bogus', 'data', 'connection_ack', 'é'.repeat(60), `x${'é'.repeat(60)}`, '😀'.repeat(40), 'a'.repeat(10000)]) {
    c.send({ type, id: 'u' });
    const m = await c.next(() => true);
    assert.equal(m.type, 'error', type);
    assert.equal(m.id, 'u');
    assert.equal(m.payload.errors[0].errorType, 'UnsupportedOperation');
    assert.ok(m.payload.errors[0].message.endsWith(' not supported through the realtime channel'), m.payload.errors[0].message);
    assert.ok(type.startsWith(m.payload.errors[0].message.replace(/ not supported.*$/, '')));
  }
  // start messages of every wrong shape
  const wrong = [
    [{ type: 'start' }, 'ValidationError'],
    [{ type: 'start', id: '' }, 'ValidationError'],
    [{ type: 'start', id: 5, payload: {} }, 'ValidationError'],
    [{ type: 'start', id: 's' }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: 'x' }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: { query: 'subscription { onCreateTodo { id } }' } } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: 'not json' } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: '[]' } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: '{"query":5}' } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: '{"query":"subscription { onCreateTodo { id } }","variables":[1]}' } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: '{"query":"subscription {"}' } }, 'ParseError'],
    [{ type: 'start', id: 's', payload: { data: '{"query":"{ __typename }"}' } }, 'UnsupportedOperation'],
    [{ type: 'start', id: 's', payload: { data: '{"query":"subscription { nope }"}' } }, 'ValidationError'],
    [{ type: 'start', id: 's', payload: { data: JSON.stringify({ query: 'subscription { onCreateTodo { id } }' }), extensions: { authorization: 5 } } }, null],
  ];
  for (const [m, errorType] of wrong) {
    c.send(m);
    const answer = await c.next(() => true);
    if (errorType === null) {
      assert.deepEqual(answer, { type: 'start_ack', id: 's' }); // an authorization that is no object: the connection's
      c.send({ type: 'stop', id: 's' });
      assert.deepEqual(await c.next(() => true), { type: 'complete', id: 's' });
      continue;
    }
    assert.equal(answer.type, 'error', JSON.stringify(m));
    assert.equal(answer.payload.errors[0].errorType, errorType, JSON.stringify(answer));
  }
  // a duplicate id longer than the message keeps of it, made of multi-byte characters
  const longId = 'ü'.repeat(300);
  c.send(startMessage(longId));
  assert.deepEqual(await c.next(() => true), { type: 'start_ack', id: longId });
  c.send(startMessage(longId));
  const dup = await c.next(() => true);
  assert.equal(dup.payload.errors[0].errorType, 'DuplicatedOperationError');
  assert.ok(longId.startsWith(dup.payload.errors[0].message.replace('Duplicated operation with id ', '')));
  // stop of an unknown id: complete; stop without an id: nothing
  c.send({ type: 'stop', id: 'never' });
  assert.deepEqual(await c.next(() => true), { type: 'complete', id: 'never' });
  c.send({ type: 'stop' });
  // a legal message in fragments, with a ping between them
  const text = JSON.stringify(startMessage('frag'));
  c.sendFrame({ payload: text.slice(0, 10), fin: false });
  c.sendFrame({ opcode: 9, payload: 'between' });
  c.sendFrame({ opcode: 0, payload: text.slice(10, 20), fin: false });
  c.sendFrame({ opcode: 0, payload: text.slice(20) });
  assert.deepEqual(await c.next((m) => m.id === 'frag'), { type: 'start_ack', id: 'frag' });
  // the connection still works: both subscriptions get the event
  await gql(srv.url, 'mutation { createTodo(input: { name: "after-malformed" }) { id } }');
  const got = [await c.next((m) => m.type === 'data'), await c.next((m) => m.type === 'data')].map((m) => m.id).sort();
  assert.deepEqual(got, ['frag', longId].sort());
  assert.deepEqual(c.invalid, []);
  c.sock.destroy();
  await assertServing('malformed AppSync messages');
});

test('graphql-transport-ws: malformed messages close with its codes', opts, async () => {
  const cases = [
    ['not json', 4400],
    ['[]', 4400],
    ['{}', 4400],
    ['{"type":5}', 4400],
    [{ type: 'bogus' }, 4400],
    [{ type: 'é'.repeat(100) }, 4400],
    [{ type: 'next', id: 'x', payload: {} }, 4400],
    [{ type: 'subscribe' }, 4400],
    [{ type: 'subscribe', id: 's' }, 4400],
    [{ type: 'subscribe', id: 's', payload: { query: 5 } }, 4400],
    [{ type: 'subscribe', id: 's', payload: { query: '{ __typename }', variables: 'x' } }, 4400],
    [{ type: 'subscribe', id: 's', payload: { query: '{ __typename }', operationName: 5 } }, 4400],
    [{ type: 'connection_init' }, 4429],
  ];
  for (const [m, code] of cases) {
    const c = await transport();
    c.send(m);
    const close = await c.closed();
    assert.equal(close?.code, code, `${JSON.stringify(m)}: ${JSON.stringify(close)}`);
    assert.deepEqual(c.invalid, []);
    c.sock.destroy();
  }
  // subscribe before the ack: 4401
  const early = await rawClient('/graphql', 'graphql-transport-ws');
  early.send({ type: 'subscribe', id: 's', payload: { query: 'subscription { onCreateTodo { id } }' } });
  assert.equal((await early.closed())?.code, 4401);
  early.sock.destroy();
  // a duplicate id longer than a close reason holds, made of multi-byte characters: 4409
  const c = await transport();
  const longId = '€'.repeat(100);
  c.send({ type: 'subscribe', id: longId, payload: { query: 'subscription { onCreateTodo { id } }' } });
  c.send({ type: 'subscribe', id: longId, payload: { query: 'subscription { onCreateTodo { id } }' } });
  const close = await c.closed();
  assert.equal(close?.code, 4409);
  assert.match(close.reason, /^Subscriber for €+ already exists$/);
  assert.deepEqual(c.invalid, []);
  c.sock.destroy();
  // errors that keep the connection: a document that does not parse, an unknown field
  const d = await transport();
  d.send({ type: 'subscribe', id: 'p', payload: { query: 'subscription {' } });
  assert.equal((await d.next((m) => m.id === 'p')).type, 'error');
  d.send({ type: 'subscribe', id: 'q', payload: { query: 'subscription { nope }' } });
  assert.equal((await d.next((m) => m.id === 'q')).type, 'error');
  d.send({ type: 'complete', id: 'never' });
  d.send({ type: 'ping', payload: { any: 'thing' } });
  assert.deepEqual(await d.next(() => true), { type: 'pong', payload: { any: 'thing' } }); // echoed, as graphql-ws's server does
  assert.deepEqual(d.invalid, []);
  d.sock.destroy();
  await assertServing('malformed graphql-transport-ws messages');
});

test('broken frames in both protocols: binary, oversized, bad fragments, unmasked, reserved, invalid UTF-8', opts, async () => {
  const big = 'x'.repeat(MAX_MESSAGE + 1);
  const cases = [
    // [name, frames, AppSync close code, graphql-transport-ws close code]
    ['binary frame', [{ opcode: 2, payload: Buffer.from('{"type":"connection_init"}') }], 1003, 4400],
    ['text over max_message_bytes', [{ payload: big }], 1009, 1009],
    ['a frame announcing 2^62 bytes', [{ payload: 'x', length: 2 ** 62 }], 1009, 1009],
    ['fragments adding up past max_message_bytes',
      Array.from({ length: MAX_MESSAGE / 4096 + 1 }, (_, i) => ({ opcode: i ? 0 : 1, payload: 'y'.repeat(4096), fin: false })), 1009, 1009],
    ['a continuation without a start', [{ opcode: 0, payload: '{}' }], 1002, 1002],
    ['a new text frame inside a fragmented message', [{ payload: '{"ty', fin: false }, { payload: 'pe":"ka"}' }], 1002, 1002],
    ['an unmasked frame', [{ payload: '{"type":"ka"}', mask: false }], 1002, 1002],
    ['a reserved opcode', [{ opcode: 3, payload: 'x' }], 1002, 1002],
    ['an RSV bit', [{ payload: '{"type":"ka"}', rsv: 4 }], 1002, 1002],
    // wslay fails these without a close frame
    ['a ping over 125 bytes', [{ opcode: 9, payload: 'p'.repeat(126) }], 'dropped', 'dropped'],
    ['a fragmented ping', [{ opcode: 9, payload: 'p', fin: false }], 'dropped', 'dropped'],
    ['invalid UTF-8 in a text frame', [{ payload: Buffer.from([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) }], 1007, 1007],
  ];
  const wrong = [];
  for (const [name, frames, appsyncCode, transportCode] of cases) {
    for (const [protocol, code] of [['appsync', appsyncCode], ['graphql-transport-ws', transportCode]]) {
      const c = protocol === 'appsync' ? await appsync() : await transport();
      for (const f of frames) c.sendFrame(f);
      const close = await c.closed();
      if (close?.code !== code || c.invalid.length > 0)
        wrong.push(`${protocol}, ${name}: expected ${code}, got ${JSON.stringify(close)}; ${JSON.stringify([...c.messages, ...c.invalid])}`);
      c.sock.destroy();
    }
  }
  assert.deepEqual(wrong, []);
  // a frame header cut short, then silence: the client goes, nothing is left behind
  const cut = await appsync();
  cut.sock.write(Buffer.from([0x81, 0xfe, 0x40]));
  await wait(100);
  cut.sock.destroy();
  await assertServing('broken frames');
});

test('10,000 start / subscribe messages on one connection: the limit answers each, others are served', opts, async () => {
  const N = 10000;
  const a = await appsync();
  a.sock.write(Buffer.concat(Array.from({ length: N }, (_, i) => frame({ payload: JSON.stringify(startMessage(`s${i}`)) }))));
  const t = await transport();
  t.sock.write(Buffer.concat(Array.from({ length: N }, (_, i) =>
    frame({ payload: JSON.stringify({ id: `n${i}`, type: 'subscribe', payload: { query: 'subscription { onCreateTodo { id } }' } }) }))));
  for (let i = 0; i < 3000 && (a.messages.length < N || t.messages.length < N - 100) && a.close === null && t.close === null; i++) await wait(20);
  assert.equal(a.close, null, `the AppSync connection was closed: ${JSON.stringify(a.close)}`);
  assert.equal(t.close, null, `the graphql-transport-ws connection was closed: ${JSON.stringify(t.close)}`);
  const acks = a.messages.filter((m) => m.type === 'start_ack');
  const refused = a.messages.filter((m) => m.type === 'error');
  assert.equal(acks.length, 100);
  assert.equal(refused.length, N - 100);
  assert.deepEqual(refused[0].payload, { errors: [{ message: 'Max number of 100 subscriptions reached', errorType: 'MaxSubscriptionsReachedError' }] });
  assert.equal(new Set(refused.map((m) => m.id)).size, N - 100);
  const errors = t.messages.filter((m) => m.type === 'error');
  assert.equal(errors.length, N - 100);
  assert.deepEqual(errors[0].payload, [{ message: 'Max number of 100 subscriptions reached', errorType: 'MaxSubscriptionsReachedError' }]);
  // the 100 live ones on each connection get an event; stopping one frees a slot
  a.messages.length = 0;
  t.messages.length = 0;
  await gql(srv.url, 'mutation { createTodo(input: { name: "to-the-hundred" }) { id } }');
  for (let i = 0; i < 500 && (a.messages.length < 100 || t.messages.length < 100); i++) await wait(10);
  assert.equal(a.messages.filter((m) => m.type === 'data').length, 100);
  assert.equal(t.messages.filter((m) => m.type === 'next').length, 100);
  a.send({ type: 'stop', id: 's0' });
  await a.next((m) => m.type === 'complete');
  a.send(startMessage('again'));
  assert.deepEqual(await a.next((m) => m.id === 'again'), { type: 'start_ack', id: 'again' });
  assert.deepEqual([...a.invalid, ...t.invalid], []);
  await assertServing('10,000 starts');
  a.sock.destroy();
  t.sock.destroy();
  await wait(300);
  const now = rss(srv.proc.pid);
  assert.ok(now < baseline + 64 * MiB, `RSS ${(now / MiB).toFixed(1)} MiB, baseline ${(baseline / MiB).toFixed(1)} MiB`);
});

test('clients that send without reading the answers: read more slowly, memory bounded', opts, async () => {
  // 20 MB of messages each (80 times the queue's bound), every one answered (AppSync: an error; graphql-transport-ws: a pong)
  const a = await appsync();
  const t = await transport();
  a.sock.pause();
  t.sock.pause();
  const unknown = frame({ payload: JSON.stringify({ type: 'bogus', id: 'x'.repeat(200) }) });
  const ping = frame({ payload: JSON.stringify({ type: 'ping', payload: { pad: 'p'.repeat(200) } }) });
  const chunk = (f) => Buffer.concat(Array.from({ length: Math.ceil(MiB / f.length) }, () => f));
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    a.sock.write(chunk(unknown));
    t.sock.write(chunk(ping));
    await wait(20);
    peak = Math.max(peak, rss(srv.proc.pid));
  }
  await wait(500);
  peak = Math.max(peak, rss(srv.proc.pid));
  console.log(`# 2 x 20 MB of messages, answers not read: peak RSS ${(peak / MiB).toFixed(1)} MiB, baseline ${(baseline / MiB).toFixed(1)} MiB`);
  assert.ok(peak < baseline + 64 * MiB, `peak RSS ${(peak / MiB).toFixed(1)} MiB, baseline ${(baseline / MiB).toFixed(1)} MiB`);
  await assertServing('clients sending without reading');
  // once they read, they get answers, well-formed; unless one batch of messages the server had
  // already read outgrew the answers' allowance (8 x the bound), which closes the connection
  let gone = 0;
  a.ended.then(() => gone++);
  t.ended.then(() => gone++);
  a.sock.resume();
  t.sock.resume();
  for (let i = 0; i < 500 && a.messages.length + t.messages.length + gone < 2; i++) await wait(20);
  assert.deepEqual([...a.invalid, ...t.invalid], []);
  const kinds = (c) => [...new Set(c.messages.map((m) => m.type === 'error' ? m.payload.errors[0].errorType : m.type))];
  const cut = (srv.stderr().match(/reads too slowly the answers to its own messages \(over 2097152 bytes queued, 8 x realtime\.max_send_queue_bytes\)/g) || []).length;
  assert.ok(a.messages.length + t.messages.length > 0 || cut === 2, `no answers and ${cut} connection(s) cut`);
  assert.ok(kinds(a).every((k) => k === 'UnsupportedOperation'), JSON.stringify(kinds(a)));
  assert.ok(kinds(t).every((k) => k === 'pong'), JSON.stringify(kinds(t)));
  console.log(`# answers read: ${a.messages.length} (AppSync), ${t.messages.length} (graphql-transport-ws); connections cut for their answers: ${cut}`);
  a.sock.destroy();
  t.sock.destroy();
});

test('a client that stops reading is closed past max_send_queue_bytes; the close frame says why', opts, async () => {
  const one = await appsync();
  one.send(startMessage('slow', 'subscription { onCreateTodo { id name } }'));
  await one.next((m) => m.id === 'slow');
  one.sock.pause();
  const name = 'z'.repeat(100000);
  // only the event queue's limit: an earlier test's connection cut for the answers to its own
  // messages may be logged late, while this test runs
  const disconnected = () => (srv.stderr().match(/realtime: a client reads too slowly \(over 262144 bytes queued/g) || []).length;
  const before = disconnected();
  for (let round = 0; round < 100 && disconnected() === before; round++)
    await gql(srv.url, 'mutation ($n: String!) { createTodo(input: { name: $n }) { id } }', { n: name });
  assert.equal(disconnected() - before, 1, srv.stderr().slice(-2000));
  assert.match(srv.stderr(), /realtime: a client reads too slowly \(over 262144 bytes queued, realtime\.max_send_queue_bytes\): disconnected/);
  // it reads again: what had been written, then the close frame with the reason
  one.sock.resume();
  assert.deepEqual(await one.closed(), { code: 1008, reason: 'send queue full: the client reads too slowly (realtime.max_send_queue_bytes)' });
  assert.ok(one.messages.some((m) => m.type === 'data'));
  assert.deepEqual(one.invalid, []);
  one.sock.destroy();
});

test('clients that subscribe and never read while events flow: closed, memory bounded', opts, async () => {
  const silent = [];
  for (let i = 0; i < 8; i++) { // in both protocols
    const c = i % 2 ? await transport() : await appsync();
    c.send(i % 2 ? { id: 'q', type: 'subscribe', payload: { query: 'subscription { onCreateTodo { id name } }' } } : startMessage('q'));
    await wait(50);
    c.sock.pause();
    silent.push(c);
  }
  // a reader that keeps up
  const good = await appsync();
  good.send(startMessage('g', 'subscription { onCreateTodo { id } }'));
  await good.next((m) => m.id === 'g');

  const name = 'z'.repeat(100000);
  // only the event queue's limit: an earlier test's connection cut for the answers to its own
  // messages may be logged late, while this test runs
  const disconnected = () => (srv.stderr().match(/realtime: a client reads too slowly \(over 262144 bytes queued/g) || []).length;
  const before = disconnected();
  let sent = 0;
  let peak = 0;
  for (let round = 0; round < 80 && (disconnected() - before < 8 || sent < 200); round++) {
    await Promise.all(Array.from({ length: 5 }, () => gql(srv.url, 'mutation ($n: String!) { createTodo(input: { name: $n }) { id } }', { n: name })));
    sent += 5;
    peak = Math.max(peak, rss(srv.proc.pid));
  }
  assert.equal(disconnected() - before, 8, srv.stderr().slice(-2000));
  console.log(`# ${sent} events of 100 KB, 8 clients not reading: peak RSS ${(peak / MiB).toFixed(1)} MiB, baseline ${(baseline / MiB).toFixed(1)} MiB`);
  // 8 clients x (the queue's bound + one event) next to what the server itself uses; without the
  // bound, the events meant for them (sent x 100 KB x 8, 160 MB or more) would be kept
  assert.ok(peak < baseline + 96 * MiB,
    `peak RSS ${(peak / MiB).toFixed(1)} MiB, baseline ${(baseline / MiB).toFixed(1)} MiB, ${sent} events of 100 KB`);
  // the reader got every event
  for (let i = 0; i < 500 && good.messages.filter((m) => m.type === 'data').length < sent; i++) await wait(10);
  assert.equal(good.messages.filter((m) => m.type === 'data').length, sent);
  // the silent ones are gone: reading again, each finds the end of its connection after its data
  for (const c of silent) c.sock.resume();
  const ends = await Promise.all(silent.map((c) => Promise.race([c.ended.then(() => 'ended'), wait(8000).then(() => 'open')])));
  assert.deepEqual(ends, silent.map(() => 'ended'));
  assert.deepEqual(silent.flatMap((c) => c.invalid), []);
  good.sock.destroy();
  await assertServing('clients that never read');
  await wait(500);
  const now = rss(srv.proc.pid);
  assert.ok(now < baseline + 64 * MiB, `RSS ${(now / MiB).toFixed(1)} MiB after, baseline ${(baseline / MiB).toFixed(1)} MiB`);
});
