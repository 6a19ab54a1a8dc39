// realtime.test.mjs: GraphQL subscriptions over websockets (issue 11) through the real binary, with
// real clients: the Amplify JS v6 client (generateClient, API key, custom endpoint), the graphql-ws
// library's client (graphql-transport-ws), and raw `ws` sockets speaking AppSync's real-time
// protocol frame by frame (handshake variants, error shapes, abuse). Mutations go through HTTP and
// their events come back over the sockets, shaped by each subscription's own selection set; both
// worker threads serve (events cross threads). The data lives in this file's own table of the
// PostgreSQL of scripts/test.sh; skipped without a database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { post, run, startModelServer } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const KEY = `da2-${randomBytes(13).toString('hex')}`;

const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Note @model @refersTo(name: "gg_it_rt_note") {
  title: String!
  body: String
  rank: Int
  tags: [String]
  authorId: ID
  author: Author @belongsTo(references: ["authorId"])
}
type Author @model @refersTo(name: "gg_it_rt_author") {
  name: String!
  notes: [Note] @hasMany(references: ["authorId"])
}
type Subscription {
  onNoteByTitle(title: String, rank: Int): Note @aws_subscribe(mutations: ["createNote", "updateNote"])
}
`;
const TABLE = 'gg_it_rt_note, gg_it_rt_author';
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
let wsBase;

before(async () => {
  if (skip) return;
  srv = await startModelServer({
    schema: SCHEMA,
    tables: TABLE,
    dbUrl,
    env: {
      GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
      GRAPHGATE_AUTH_API_KEYS: KEY,
      GRAPHGATE_REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
      GRAPHGATE_REALTIME_CONNECTION_INIT_TIMEOUT_MS: '1500',
    },
  });
  wsBase = srv.url.replace('http://', 'ws://');
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLE} CASCADE`);
});

// A raw websocket: every message parsed into a queue; next(pred) waits for the first match.
function open(url, protocols) {
  const ws = new WebSocket(url, protocols);
  const seen = [];
  const waiters = [];
  const deliver = () => {
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      const k = seen.findIndex(w.pred);
      if (k >= 0) {
        waiters.splice(i--, 1);
        clearTimeout(w.timer);
        w.resolve(seen.splice(k, 1)[0]);
      }
    }
  };
  ws.on('message', (data) => {
    seen.push(JSON.parse(data.toString()));
    deliver();
  });
  const closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
  const opened = new Promise((res, rej) => {
    ws.on('open', () => res());
    ws.on('error', rej);
    ws.on('unexpected-response', (req, response) => {
      let body = '';
      response.on('data', (d) => (body += d));
      response.on('end', () => rej(Object.assign(new Error('refused'), { status: response.statusCode, body })));
    });
  });
  const next = (pred = () => true, ms = 5000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message; seen ${JSON.stringify(seen)}`)), ms);
      waiters.push({ pred, resolve, timer });
      deliver();
    });
  const send = (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  return { ws, opened, closed, next, send, seen };
}

// An AppSync real-time connection authorized with the header- subprotocol, acknowledged.
async function appsync(header = { host: 'localhost', 'x-api-key': KEY }) {
  const c = open(`${wsBase}/realtime`, ['graphql-ws', `header-${b64u(header)}`]);
  await c.opened;
  c.send({ type: 'connection_init' });
  return c;
}

function start(c, id, query, variables = {}, authorization = { host: 'localhost', 'x-api-key': KEY }) {
  c.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } });
}

async function mutate(query, variables) {
  const r = await post(srv.url, { query, variables }, { 'x-api-key': KEY });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.errors, undefined, r.text);
  return r.body.data;
}
const createNote = (input) =>
  mutate('mutation C($i: CreateNoteInput!) { createNote(input: $i) { id title rank } }', { i: input }).then(
    (d) => d.createNote,
  );

test('AppSync protocol: handshake, ack, ka, start_ack, data shaped by the subscription, stop, complete', { skip }, async () => {
  const c = await appsync();
  assert.equal(c.ws.protocol, 'graphql-ws'); // never the header- entry
  assert.deepEqual(await c.next(), { type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
  assert.deepEqual(await c.next(), { type: 'ka' });
  // fewer fields than the mutation selects, and more (body, tags, createdAt: not in its selection)
  start(c, 'few', 'subscription { onCreateNote { title __typename } }');
  start(c, 'more', 'subscription M { onCreateNote { id title body rank tags createdAt updatedAt } }');
  assert.deepEqual(await c.next((m) => m.id === 'few'), { type: 'start_ack', id: 'few' });
  assert.deepEqual(await c.next((m) => m.id === 'more'), { type: 'start_ack', id: 'more' });
  const note = await createNote({ title: 'first', body: 'hello', rank: 3, tags: ['a', 'b'] });
  assert.deepEqual(await c.next((m) => m.id === 'few'), {
    type: 'data', id: 'few', payload: { data: { onCreateNote: { title: 'first', __typename: 'Note' } } },
  });
  const more = await c.next((m) => m.id === 'more');
  assert.equal(more.type, 'data');
  const got = more.payload.data.onCreateNote;
  assert.deepEqual({ ...got, createdAt: undefined, updatedAt: undefined },
    { id: note.id, title: 'first', body: 'hello', rank: 3, tags: ['a', 'b'], createdAt: undefined, updatedAt: undefined });
  assert.match(got.createdAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(more.payload.errors, undefined);

  c.send({ type: 'stop', id: 'few' });
  assert.deepEqual(await c.next((m) => m.type === 'complete'), { type: 'complete', id: 'few' });
  await createNote({ title: 'second' });
  const after = await c.next((m) => m.type === 'data');
  assert.equal(after.id, 'more');
  assert.equal(after.payload.data.onCreateNote.title, 'second');
  await wait(200);
  assert.deepEqual(c.seen.filter((m) => m.id === 'few'), []); // nothing after complete
  c.ws.close(1000);
  await c.closed;
});

// A frame's header and payload leave in one write (connection.c, send_frame_piece): every length
// encoding of the websocket header (7-bit, 16-bit, 64-bit) still frames its payload exactly.
test('events of every websocket frame length arrive whole and in order', { skip }, async () => {
  const c = await appsync();
  await c.next((m) => m.type === 'connection_ack');
  start(c, 'len', 'subscription { onCreateNote { body } }');
  await c.next((m) => m.id === 'len' && m.type === 'start_ack');
  const sizes = [1, 40, 200, 65400, 66000, 70000, 3];
  const bodies = sizes.map((n, i) => `${i}`.padEnd(n, 'z'));
  for (const body of bodies) await createNote({ title: 'sized', body });
  for (const body of bodies) {
    const m = await c.next((x) => x.type === 'data' && x.id === 'len');
    assert.equal(m.payload.data.onCreateNote.body, body);
  }
  c.ws.close(1000);
  assert.equal((await c.closed).code, 1000);
});

test('AppSync protocol: the ?header=&payload=e30= handshake', { skip }, async () => {
  const q = `?header=${encodeURIComponent(b64({ host: 'localhost', 'x-api-key': KEY }))}&payload=e30=`;
  const c = open(`${wsBase}/realtime${q}`, ['graphql-ws']);
  await c.opened;
  c.send({ type: 'connection_init' });
  assert.equal((await c.next()).type, 'connection_ack');
  start(c, 'u', 'subscription { onUpdateNote { id rank } }');
  assert.deepEqual(await c.next((m) => m.id === 'u'), { type: 'start_ack', id: 'u' });
  const note = await createNote({ title: 'to update', rank: 1 });
  await mutate('mutation U($i: UpdateNoteInput!) { updateNote(input: $i) { id } }', { i: { id: note.id, rank: 2 } });
  assert.deepEqual(await c.next((m) => m.type === 'data'), { type: 'data', id: 'u', payload: { data: { onUpdateNote: { id: note.id, rank: 2 } } } });
  c.ws.close();
  await c.closed;
});

test('relations: those the mutation selected arrive, the others are null (never read per subscriber)', { skip }, async () => {
  const author = (await mutate('mutation { createAuthor(input: {id: "au1", name: "Ada"}) { id } }')).createAuthor;
  const c = await appsync();
  await c.next((m) => m.type === 'connection_ack');
  start(c, 'rel', 'subscription { onCreateNote { title author { name } } }');
  await c.next((m) => m.type === 'start_ack');
  await mutate('mutation { createNote(input: {title: "with", authorId: "au1"}) { id author { name } } }');
  assert.deepEqual((await c.next((m) => m.type === 'data')).payload, { data: { onCreateNote: { title: 'with', author: { name: 'Ada' } } } });
  await mutate('mutation { createNote(input: {title: "without", authorId: "au1"}) { id } }');
  assert.deepEqual((await c.next((m) => m.type === 'data')).payload, { data: { onCreateNote: { title: 'without', author: null } } });
  assert.equal(author.id, 'au1');
  c.ws.close();
  await c.closed;
});

test('classic argument filters and the v2 filter: argument', { skip }, async () => {
  const c = await appsync();
  await c.next((m) => m.type === 'connection_ack');
  start(c, 'title', 'subscription { onNoteByTitle(title: "wanted") { title rank } }');
  start(c, 'rank', 'subscription R($r: Int) { onNoteByTitle(rank: $r) { title rank } }', { r: 7 });
  start(c, 'filter', 'subscription F($f: ModelSubscriptionNoteFilterInput) { onCreateNote(filter: $f) { title rank } }', {
    f: { or: [{ rank: { between: [10, 20] } }, { title: { beginsWith: 'pre' } }], rank: { ne: 15 } },
  });
  // indexed by title (its top-level eq), the or still applies (a second connection: 3 per connection here)
  const c2 = await appsync();
  await c2.next((m) => m.type === 'connection_ack');
  start(c2, 'eqor', 'subscription F($f: ModelSubscriptionNoteFilterInput) { onCreateNote(filter: $f) { title rank } }', {
    f: { title: { eq: 'wanted' }, or: [{ rank: { eq: 1 } }, { rank: { eq: 5 } }] },
  });
  for (const id of ['title', 'rank', 'filter']) await c.next((m) => m.type === 'start_ack' && m.id === id);
  await c2.next((m) => m.type === 'start_ack');
  await createNote({ title: 'other', rank: 1 }); // nobody
  await createNote({ title: 'wanted', rank: 1 }); // title
  await createNote({ title: 'x', rank: 7 }); // rank
  await createNote({ title: 'y', rank: 12 }); // filter (between)
  await createNote({ title: 'prefix', rank: 15 }); // nobody: ne 15
  await createNote({ title: 'prefixed', rank: 2 }); // filter (beginsWith)
  await wait(300);
  const data = [...c.seen, ...c2.seen].filter((m) => m.type === 'data').map((m) => [m.id, Object.values(m.payload.data)[0].title]);
  assert.deepEqual(data.sort(), [['eqor', 'wanted'], ['filter', 'prefixed'], ['filter', 'y'], ['rank', 'x'], ['title', 'wanted']]);
  c.ws.close();
  c2.ws.close();
  await c.closed;
  await c2.closed;
});

test('AppSync protocol errors, word for word; the server stays up', { skip }, async () => {
  const c = await appsync();
  await c.next((m) => m.type === 'connection_ack');
  start(c, 'a', 'subscription { onCreateNote { id } }');
  await c.next((m) => m.type === 'start_ack');
  start(c, 'a', 'subscription { onCreateNote { id } }');
  assert.deepEqual(await c.next((m) => m.type === 'error'), {
    type: 'error', id: 'a', payload: { errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id a' }] },
  });
  start(c, 'q', '{ listNotes { items { id } } }');
  assert.deepEqual(await c.next((m) => m.type === 'error'), {
    type: 'error', id: 'q', payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'query not supported through the realtime channel' }] },
  });
  start(c, 'bad', 'subscription { onCreateNote { nope } }');
  const invalid = await c.next((m) => m.type === 'error');
  assert.equal(invalid.id, 'bad');
  assert.equal(invalid.payload.errors[0].errorType, 'ValidationError');
  assert.match(invalid.payload.errors[0].message, /Cannot query field "nope" on type "Note"/);
  start(c, 'unauth', 'subscription { onCreateNote { id } }', {}, { host: 'localhost', 'x-api-key': 'da2-wrong' });
  assert.deepEqual(await c.next((m) => m.type === 'error'), {
    type: 'error', id: 'unauth', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
  });
  start(c, 'b', 'subscription { onCreateNote { id } }');
  start(c, 'c', 'subscription { onCreateNote { id } }');
  start(c, 'd', 'subscription { onCreateNote { id } }'); // the 4th: the limit is 3 here
  assert.deepEqual(await c.next((m) => m.type === 'error'), {
    type: 'error', id: 'd', payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 3 subscriptions reached' }] },
  });
  c.send('{not json');
  assert.equal((await c.next((m) => m.type === 'error')).payload.errors[0].errorType, 'MessageProcessingError');
  c.send({ type: 'subscribe', id: 'x' });
  assert.deepEqual(await c.next((m) => m.type === 'error'), {
    type: 'error', id: 'x', payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'subscribe not supported through the realtime channel' }] },
  });
  c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  const closed = await c.closed;
  assert.equal(closed.code, 1003);
  const health = await fetch(`${srv.base}/healthz`);
  assert.equal(health.status, 200);
});

test('AppSync protocol: refused credentials get connection_error; no subprotocol gets 400', { skip }, async () => {
  const c = await appsync({ host: 'localhost', 'x-api-key': 'da2-nope' });
  const m = await c.next();
  assert.equal(m.type, 'connection_error');
  assert.deepEqual(m.payload.errors.map((e) => [e.errorType, e.errorCode]), [['UnauthorizedException', 401]]);
  await c.closed;

  const none = open(`${wsBase}/realtime`, []);
  const refused = await none.opened.then(() => null, (e) => e);
  assert.equal(refused.status, 400);
  assert.match(JSON.parse(refused.body).errors[0].message, /offer graphql-ws/);
  const other = open(wsBase, ['mqtt']);
  assert.equal((await other.opened.then(() => null, (e) => e)).status, 400);
  // the graphql-ws client pointed at AppSync's path is told where its protocol is
  const misplaced = await open(`${wsBase}/realtime`, ['graphql-transport-ws']).opened.then(() => null, (e) => e);
  assert.equal(misplaced.status, 400);
  assert.equal(JSON.parse(misplaced.body).errors[0].message, 'graphql-transport-ws (the protocol of the npm graphql-ws client) ' +
    'is served at /graphql, not at /graphql/realtime, which serves AppSync\'s real-time protocol (subprotocol graphql-ws).');

  // The HTTP refusal of a subscription names the websocket endpoint.
  const r = await post(srv.url, { query: 'subscription { onCreateNote { id } }' }, { 'x-api-key': KEY });
  assert.equal(r.body.errors[0].errorType, 'BadRequestException');
  assert.match(r.body.errors[0].message, /WebSocket to \/graphql\/realtime .*graphql-ws.* \/graphql .*graphql-transport-ws/);
});

test('AppSync protocol: no connection_init in time closes the socket (4408)', { skip }, async () => {
  const c = open(`${wsBase}/realtime`, ['graphql-ws', `header-${b64u({ 'x-api-key': KEY })}`]);
  await c.opened;
  const closed = await c.closed;
  assert.equal(closed.code, 4408);
});

test('graphql-ws client (graphql-transport-ws): subscribe with a filter, receive, unsubscribe', { skip }, async () => {
  let pongs = 0; // keepAlive: the client pings when idle and expects a pong
  const client = createClient({ url: wsBase, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': KEY }, lazy: false, retryAttempts: 0,
    keepAlive: 50, on: { pong: (received) => received && pongs++ } });
  const got = [];
  let acked;
  const ackedP = new Promise((r) => (acked = r));
  client.on('connected', () => acked());
  const dispose = client.subscribe(
    { query: 'subscription S($f: ModelSubscriptionNoteFilterInput) { onCreateNote(filter: $f) { title rank } }', variables: { f: { rank: { ge: 100 } } } },
    { next: (v) => got.push(v), error: (e) => got.push({ error: e }), complete: () => got.push('complete') },
  );
  await ackedP;
  await wait(200); // the subscribe frame follows the ack
  await createNote({ title: 'small', rank: 5 });
  await createNote({ title: 'big', rank: 500 });
  for (let i = 0; i < 50 && got.length === 0; i++) await wait(50);
  assert.deepEqual(got, [{ data: { onCreateNote: { title: 'big', rank: 500 } } }]);
  dispose(); // the client sends complete (and completes its sink)
  await wait(100);
  await createNote({ title: 'bigger', rank: 600 });
  await wait(200);
  assert.deepEqual(got.slice(1), ['complete']);
  // variables that do not coerce: the client's sink gets the result with errors, then completes
  const bad = await new Promise((resolve) => {
    const out = [];
    client.subscribe({ query: 'subscription S($f: ModelSubscriptionNoteFilterInput) { onCreateNote(filter: $f) { title } }', variables: { f: 5 } },
      { next: (v) => out.push(v), error: (e) => resolve([...out, { error: e }]), complete: () => resolve(out) });
  });
  assert.deepEqual(bad.map((r) => Object.keys(r)), [['errors']], JSON.stringify(bad)); // a result, not an error
  assert.match(bad[0].errors[0].message, /Expected type "ModelSubscriptionNoteFilterInput" to be an object/);
  assert.ok(pongs >= 1, 'no pong answered the client\'s keep-alive pings');
  await client.dispose();
});

test('graphql-transport-ws: a mutation and a query run once (next, complete); the mutation feeds subscribers', { skip }, async () => {
  const client = createClient({ url: wsBase, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': KEY }, retryAttempts: 0 });
  const once = (payload) => new Promise((resolve, reject) => {
    const results = [];
    client.subscribe(payload, { next: (v) => results.push(v), error: reject, complete: () => resolve(results) });
  });
  const watcher = await appsync();
  await watcher.next((m) => m.type === 'connection_ack');
  start(watcher, 'w', 'subscription { onCreateNote { title } }');
  await watcher.next((m) => m.type === 'start_ack');
  const created = await once({ query: 'mutation M($t: String!) { createNote(input: {title: $t, rank: 42}) { id title } }', variables: { t: 'over ws' } });
  assert.equal(created.length, 1);
  assert.equal(created[0].data.createNote.title, 'over ws');
  assert.deepEqual((await watcher.next((m) => m.type === 'data')).payload, { data: { onCreateNote: { title: 'over ws' } } });
  const read = await once({ query: 'query G($id: ID!) { getNote(id: $id) { title rank } }', variables: { id: created[0].data.createNote.id } });
  assert.deepEqual(read, [{ data: { getNote: { title: 'over ws', rank: 42 } } }]);
  // a client that goes away while its operations run: their answers are dropped, the server stays up
  for (let i = 0; i < 5; i++) {
    const gone = open(wsBase, ['graphql-transport-ws']);
    await gone.opened;
    gone.send({ type: 'connection_init', payload: { 'x-api-key': KEY } });
    await gone.next((m) => m.type === 'connection_ack');
    gone.send({ id: 'm', type: 'subscribe', payload: { query: 'mutation { createNote(input: {title: "gone"}) { id } }' } });
    gone.send({ id: 'q', type: 'subscribe', payload: { query: '{ listNotes { items { id } } }' } });
    if (i % 2) gone.send({ id: 'q', type: 'complete' });
    gone.ws.terminate();
  }
  await wait(300);
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  await client.dispose();
  watcher.ws.close();
  await watcher.closed;
});

test('graphql-transport-ws: ping/pong, validation errors, close codes', { skip }, async () => {
  const c = open(wsBase, ['graphql-transport-ws']);
  await c.opened;
  assert.equal(c.ws.protocol, 'graphql-transport-ws');
  c.send({ type: 'connection_init', payload: { 'x-api-key': KEY } });
  assert.deepEqual(await c.next(), { type: 'connection_ack' });
  c.send({ type: 'ping' });
  assert.deepEqual(await c.next(), { type: 'pong' });
  // as the reference server (graphql-ws useServer): a ping's payload comes back in its pong
  c.send({ type: 'ping', payload: { sent: 1, tag: 'é' } });
  assert.deepEqual(await c.next(), { type: 'pong', payload: { sent: 1, tag: 'é' } });
  c.send({ type: 'complete', id: 'never-started' }); // ignored
  // variables that do not coerce are an execution result: next {errors}, then complete (not error)
  const filtered = 'subscription S($f: ModelSubscriptionNoteFilterInput!) { onCreateNote(filter: $f) { id } }';
  c.send({ id: 'v1', type: 'subscribe', payload: { query: filtered, variables: { f: 5 } } });
  c.send({ id: 'v2', type: 'subscribe', payload: { query: filtered } });
  for (const [id, message] of [['v1', /Variable "\$f" got invalid value 5; Expected type "ModelSubscriptionNoteFilterInput" to be an object/],
    ['v2', /Variable "\$f" of required type "ModelSubscriptionNoteFilterInput!" was not provided/]]) {
    const n = await c.next((m) => m.id === id);
    assert.equal(n.type, 'next', JSON.stringify(n));
    assert.equal(n.payload.data, undefined);
    assert.match(n.payload.errors[0].message, message);
    assert.deepEqual(await c.next((m) => m.id === id), { type: 'complete', id });
  }
  c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { onCreateNote { nope } }' } });
  const e = await c.next();
  assert.equal(e.type, 'error');
  assert.equal(e.id, '1');
  assert.ok(Array.isArray(e.payload));
  assert.match(e.payload[0].message, /Cannot query field "nope"/);
  c.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { onCreateNote { id } }' } });
  c.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { onCreateNote { id } }' } });
  assert.deepEqual(await c.closed, { code: 4409, reason: 'Subscriber for 2 already exists' });

  const early = open(wsBase, ['graphql-transport-ws']);
  await early.opened;
  early.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { onCreateNote { id } }' } });
  assert.equal((await early.closed).code, 4401);

  const twice = open(wsBase, ['graphql-transport-ws']);
  await twice.opened;
  twice.send({ type: 'connection_init', payload: { 'x-api-key': KEY } });
  twice.send({ type: 'connection_init', payload: { 'x-api-key': KEY } });
  assert.equal((await twice.closed).code, 4429);

  const forbidden = open(wsBase, ['graphql-transport-ws']);
  await forbidden.opened;
  forbidden.send({ type: 'connection_init', payload: { 'x-api-key': 'da2-wrong' } });
  const refused = await forbidden.closed;
  assert.deepEqual({ code: refused.code, reason: refused.reason }, { code: 4403, reason: 'Forbidden: You are not authorized to make this call.' });

  const garbage = open(wsBase, ['graphql-transport-ws']);
  await garbage.opened;
  garbage.send('][');
  assert.equal((await garbage.closed).code, 4400);
  const unknown = open(wsBase, ['graphql-transport-ws']);
  await unknown.opened;
  unknown.send({ type: 'what' });
  assert.equal((await unknown.closed).code, 4400);

  // each message is checked before it is acted on (PROTOCOL.md's members; the reference closes with 4400)
  const query = { query: '{ __typename }' };
  const malformed = [
    [false, { type: 'connection_init', payload: 'x' }],
    [false, { type: 'ping', payload: 7 }],
    [false, { type: 'subscribe', payload: query }], // no id, before the ack: 4400, not 4401
    [true, { type: 'pong', payload: [1] }],
    [true, { type: 'subscribe', id: 3, payload: query }],
    [true, { type: 'subscribe', id: '', payload: query }],
    [true, { type: 'subscribe', id: '3', payload: { ...query, extensions: 'x' } }],
    [true, { type: 'subscribe', id: '3', payload: { ...query, operationName: 1 } }],
    [true, { type: 'complete' }],
  ];
  await Promise.all(malformed.map(async ([init, message]) => {
    const m = open(wsBase, ['graphql-transport-ws']);
    await m.opened;
    if (init) {
      m.send({ type: 'connection_init', payload: { 'x-api-key': KEY } });
      await m.next((x) => x.type === 'connection_ack');
    }
    m.send(message);
    const closed = await m.closed;
    assert.equal(closed.code, 4400, `${JSON.stringify(message)}: ${JSON.stringify(closed)} ${JSON.stringify(m.seen)}`);
    assert.match(closed.reason, /^Invalid message received/);
  }));

  const silent = open(wsBase, ['graphql-transport-ws']);
  await silent.opened;
  assert.equal((await silent.closed).code, 4408);
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
});

test('Amplify JS v6 client: generateClient with an API key subscribes, receives, unsubscribes', { skip }, async () => {
  // Amplify turns a custom endpoint http(s)://host/graphql into wss://host/graphql/realtime; this
  // test server has no TLS listener, so the socket class maps wss: back to ws: for it.
  globalThis.WebSocket = class extends WebSocket {
    constructor(url, protocols) {
      super(String(url).replace(/^wss:/, 'ws:'), protocols);
    }
  };
  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/api');
  Amplify.configure({ API: { GraphQL: { endpoint: srv.url, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: KEY } } });
  const client = generateClient();
  const onCreate = /* GraphQL */ `subscription OnCreateNote($filter: ModelSubscriptionNoteFilterInput) {
    onCreateNote(filter: $filter) { id title body rank tags createdAt updatedAt __typename }
  }`;
  const got = [];
  const errors = [];
  const sub = client.graphql({ query: onCreate, variables: { filter: { title: { beginsWith: 'amp-' } } } })
    .subscribe({ next: ({ data }) => got.push(data.onCreateNote), error: (e) => errors.push(e) });
  // The subscription goes live asynchronously: create until its first event arrives.
  const created = [];
  for (let i = 0; i < 40 && got.length === 0; i++) {
    const r = await client.graphql({ query: 'mutation C($i: CreateNoteInput!) { createNote(input: $i) { id title } }',
      variables: { i: { title: `amp-${i}`, body: 'from amplify', tags: ['x'] } } });
    created.push(r.data.createNote);
    await wait(150);
  }
  assert.deepEqual(errors, []);
  assert.ok(got.length >= 1, 'no event reached the Amplify subscription');
  const first = got[0];
  const match = created.find((n) => n.id === first.id);
  assert.ok(match, 'the event is one of the created notes');
  assert.equal(first.title, match.title);
  assert.equal(first.body, 'from amplify');
  assert.deepEqual(first.tags, ['x']);
  assert.equal(first.__typename, 'Note');
  sub.unsubscribe();
  await wait(300);
  const count = got.length;
  await client.graphql({ query: 'mutation C($i: CreateNoteInput!) { createNote(input: $i) { id } }', variables: { i: { title: 'amp-late' } } });
  await wait(300);
  assert.equal(got.length, count);
});
