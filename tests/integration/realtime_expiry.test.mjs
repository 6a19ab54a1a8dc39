// realtime_expiry.test.mjs: a websocket connection authorized with a JWT is closed when the token
// expires (issue 11), in both protocols, through the real binary on the static fixture (no
// database). The server accepts HS256 OIDC tokens with auth.oidc.leeway_s 0, so a token stops being
// accepted at its exp; the tokens here live two seconds. Asserted: AppSync's protocol sends
// {"type":"error"} with UnauthorizedException "Token has expired." and closes (1000) once the
// connection's token expires, and also when the token of one start's extensions.authorization
// expires first; graphql-transport-ws closes with 4403, which the graphql-ws client answers by
// connecting again with a fresh token, its subscription kept; never before exp; a connection whose
// token is still valid stays open and subscribed meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { hs256Token, startServer, tempDir } from './helpers.mjs';

const ISSUER = 'https://issuer.graphgate.test';
const CLIENT_ID = 'graphgate-tests';
const secret = randomBytes(32).toString('hex');
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
// A token for user sub expiring `seconds` from now (exp is whole seconds).
function token(sub, seconds) {
  const exp = Math.floor(Date.now() / 1000) + seconds;
  return { jwt: hs256Token(secret, { iss: ISSUER, aud: CLIENT_ID, sub, exp }), exp };
}

let srv;
let wsUrl;

before(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'hs.secret'), `${secret}\n`);
  srv = await startServer({
    env: {
      GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT',
      GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
      GRAPHGATE_AUTH_OIDC_CLIENT_ID: CLIENT_ID,
      GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret'),
      GRAPHGATE_AUTH_OIDC_LEEWAY_S: '0',
      GRAPHGATE_REALTIME_KEEP_ALIVE_INTERVAL_MS: '60000',
    },
  });
  wsUrl = srv.url.replace('http://', 'ws://');
});

after(async () => {
  if (!srv) return;
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
});

// A socket whose messages are kept (seen) and whose close is remembered with its time.
function open(url, protocols) {
  const ws = new WebSocket(url, protocols);
  const seen = [];
  ws.on('message', (d) => seen.push(JSON.parse(d.toString())));
  const closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString(), at: Date.now() })));
  const opened = new Promise((res, rej) => {
    ws.on('open', res);
    ws.on('error', rej);
  });
  const until = async (pred, ms = 5000) => {
    for (let t = 0; t < ms; t += 20) {
      const m = seen.find(pred);
      if (m) return m;
      await wait(20);
    }
    throw new Error(`no matching message; seen ${JSON.stringify(seen)}`);
  };
  return { ws, seen, closed, opened, until, send: (m) => ws.send(JSON.stringify(m)) };
}

async function appsync(jwt) {
  const c = open(`${wsUrl}/realtime`, ['graphql-ws', `header-${b64u({ host: 'localhost', Authorization: jwt })}`]);
  await c.opened;
  c.send({ type: 'connection_init' });
  await c.until((m) => m.type === 'connection_ack');
  return c;
}

function start(c, id, authorization) {
  const payload = { data: JSON.stringify({ query: 'subscription { onCreateTodo { id } }' }) };
  if (authorization) payload.extensions = { authorization: { host: 'localhost', Authorization: authorization } };
  c.send({ id, type: 'start', payload });
  return c.until((m) => m.id === id);
}

test('AppSync protocol: the connection closes when its JWT expires, with UnauthorizedException', async () => {
  const short = token('user-short', 2);
  const long = token('user-long', 600);
  const a = await appsync(short.jwt);
  const b = await appsync(long.jwt);
  assert.deepEqual(await start(a, 's1'), { type: 'start_ack', id: 's1' });
  assert.deepEqual(await start(b, 's2'), { type: 'start_ack', id: 's2' });
  const closed = await a.closed;
  assert.ok(closed.at >= short.exp * 1000, `closed ${short.exp * 1000 - closed.at} ms before exp`);
  assert.deepEqual({ code: closed.code, reason: closed.reason }, { code: 1000, reason: 'Token has expired.' });
  assert.deepEqual(a.seen.filter((m) => m.type === 'error'), [
    { type: 'error', payload: { errors: [{ message: 'Token has expired.', errorType: 'UnauthorizedException' }] } },
  ]);
  // the other connection is untouched: still open, still answers a new start
  assert.equal(b.ws.readyState, WebSocket.OPEN);
  assert.deepEqual(await start(b, 's3'), { type: 'start_ack', id: 's3' });
  // a token already expired is refused at the handshake (the server's ordinary check)
  const late = open(`${wsUrl}/realtime`, ['graphql-ws', `header-${b64u({ host: 'localhost', Authorization: short.jwt })}`]);
  await late.opened;
  late.send({ type: 'connection_init' });
  const refused = await late.until((m) => m.type === 'connection_error');
  assert.equal(refused.payload.errors[0].errorType, 'UnauthorizedException');
  await late.closed;
  b.ws.close();
  await b.closed;
});

test("AppSync protocol: a start's own token expiring first closes the connection", async () => {
  const long = token('user-long', 600);
  const c = await appsync(long.jwt);
  const short = token('user-start', 2);
  assert.deepEqual(await start(c, 'own', short.jwt), { type: 'start_ack', id: 'own' });
  const closed = await c.closed;
  assert.ok(closed.at >= short.exp * 1000, `closed ${short.exp * 1000 - closed.at} ms before exp`);
  assert.equal(closed.code, 1000);
  assert.equal(c.seen.find((m) => m.type === 'error').payload.errors[0].errorType, 'UnauthorizedException');
});

test('graphql-transport-ws: the connection closes with 4403 when its JWT expires', async () => {
  const short = token('user-short', 2);
  const c = open(wsUrl, ['graphql-transport-ws']);
  await c.opened;
  c.send({ type: 'connection_init', payload: { Authorization: short.jwt } });
  await c.until((m) => m.type === 'connection_ack');
  c.send({ id: 'n', type: 'subscribe', payload: { query: 'subscription { onCreateTodo { id } }' } });
  c.send({ type: 'ping' });
  await c.until((m) => m.type === 'pong');
  const closed = await c.closed;
  assert.ok(closed.at >= short.exp * 1000, `closed ${short.exp * 1000 - closed.at} ms before exp`);
  assert.deepEqual({ code: closed.code, reason: closed.reason }, { code: 4403, reason: 'Forbidden: the token has expired' });
  assert.deepEqual(c.seen.filter((m) => m.type === 'error'), []);
});

test('graphql-ws client: after the 4403 it connects again with a fresh token, its subscription kept', async () => {
  const tokens = [];
  const closes = [];
  let connected = 0;
  let failed = null;
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 3,
    retryWait: () => wait(50),
    connectionParams: () => {
      const t = token(`user-${tokens.length}`, 2);
      tokens.push(t);
      return { Authorization: t.jwt };
    },
    on: { connected: () => connected++, closed: (e) => closes.push(e.code) },
  });
  const unsubscribe = client.subscribe({ query: 'subscription { onCreateTodo { id } }' }, {
    next: () => {},
    error: (e) => (failed = e),
    complete: () => {},
  });
  for (let t = 0; t < 10000 && connected < 2; t += 50) await wait(50);
  assert.equal(failed, null);
  assert.ok(connected >= 2, `connected ${connected} time(s)`);
  assert.equal(closes[0], 4403);
  assert.ok(tokens.length >= 2 && tokens[1].jwt !== tokens[0].jwt);
  unsubscribe();
  await client.dispose();
});
