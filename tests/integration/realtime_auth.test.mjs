// realtime_auth.test.mjs: @auth listen rules on subscription delivery (appsync-compat.md §3.4
// "listen", §5.2) through the real binary, with raw AppSync real-time sockets, the graphql-ws
// client and the Amplify JS v6 client (authMode oidc). The server runs with auth.default_mode
// API_KEY and OPENID_CONNECT as an additional mode (HS256 tokens made here). Asserted: user B never receives user A's owner-protected notes (create,
// update and delete events) while A does; a static group member and a dynamic group member
// (groupsField) do, so do the other owners of a multi-owner list; an API-key subscriber is refused
// (Unauthorized) on owner-only models and gets the public model's events, with its fields that have
// rules of their own null + Unauthorized; related rows the writer read reach a subscriber only when
// it may read them all (else the relation is null + Unauthorized); a model without @auth and without a global rule refuses
// every subscription. The data lives in this file's own tables of the PostgreSQL of scripts/test.sh;
// skipped without a database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { hs256Token, post, run, startModelServer, tempDir } from './helpers.mjs';
import { appsyncClient } from './realtime_client.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const SCHEMA = `
type Note @model @refersTo(name: "gg_it_rta_note")
  @auth(rules: [{ allow: owner, provider: oidc }, { allow: groups, groups: ["Admin"], groupClaim: "groups", provider: oidc }]) {
  title: String!
  owner: String
  secret: String @auth(rules: [{ allow: owner, provider: oidc }])
  boardId: ID
  board: Board @belongsTo(references: ["boardId"])
}
type Board @model @refersTo(name: "gg_it_rta_board")
  @auth(rules: [{ allow: public, operations: [read] }, { allow: private, provider: oidc }]) {
  name: String!
  internal: String @auth(rules: [{ allow: private, provider: oidc }])
  notes: [Note] @hasMany(references: ["boardId"])
}
type Doc @model @refersTo(name: "gg_it_rta_doc")
  @auth(rules: [{ allow: owner, ownerField: "editors", provider: oidc },
                { allow: groups, groupsField: "teams", groupClaim: "groups", provider: oidc }]) {
  title: String!
  editors: [String]
  teams: [String]
}
type Closed @model @refersTo(name: "gg_it_rta_closed") {
  name: String!
}
`;
const TABLES = 'gg_it_rta_note, gg_it_rta_board, gg_it_rta_doc, gg_it_rta_closed';

const ISSUER = 'https://issuer.graphgate.test';
const CLIENT_ID = 'graphgate-tests';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const hsSecret = randomBytes(32).toString('hex');
const token = (claims) => hs256Token(hsSecret, { iss: ISSUER, aud: CLIENT_ID, ...claims });
const USER_A = { Authorization: token({ sub: 'user-a' }) };
const USER_B = { Authorization: token({ sub: 'user-b' }) };
const USER_C = { Authorization: token({ sub: 'user-c' }) };
const ADMIN = { Authorization: token({ sub: 'user-admin', groups: ['Admin'] }) };
const RED = { Authorization: token({ sub: 'user-red', groups: 'red' }) };
const KEY = { 'x-api-key': API_KEY };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
let wsBase;

before(async () => {
  if (skip) return;
  const dir = tempDir();
  writeFileSync(join(dir, 'hs.secret'), `${hsSecret}\n`);
  writeFileSync(join(dir, 'api-keys'), `${API_KEY}\n`);
  srv = await startModelServer({
    schema: SCHEMA,
    tables: TABLES,
    dbUrl,
    env: {
      GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false',
      GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
      GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT',
      GRAPHGATE_AUTH_API_KEYS_FILE: join(dir, 'api-keys'),
      GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
      GRAPHGATE_AUTH_OIDC_CLIENT_ID: CLIENT_ID,
      GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret'),
    },
  });
  wsBase = srv.url.replace('http://', 'ws://');
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `DROP TABLE IF EXISTS ${TABLES} CASCADE`]);
});

const appsync = (headers) => appsyncClient(wsBase, headers);

async function gql(headers, query, variables) {
  const r = await post(srv.url, { query, variables }, headers);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.errors, undefined, r.text);
  return r.body.data;
}
const dataOf = (id) => (m) => m.type === 'data' && m.id === id;
const unauthorizedStart = (field) => ({
  type: 'error',
  payload: { errors: [{ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type Subscription` }] },
});

test('owner rules: user B never receives user A\'s notes (create, update, delete); A and an Admin group member do', { skip }, async () => {
  const a = await appsync(USER_A);
  const b = await appsync(USER_B);
  const admin = await appsync(ADMIN);
  for (const c of [a, b, admin])
    for (const op of ['Create', 'Update', 'Delete'])
      assert.equal((await c.start(op, `subscription { on${op}Note { id title owner } }`)).type, 'start_ack');

  const mine = (await gql(USER_A, 'mutation { createNote(input: {title: "A private"}) { id } }')).createNote;
  const theirs = (await gql(USER_B, 'mutation { createNote(input: {title: "B private"}) { id } }')).createNote;
  await gql(USER_A, 'mutation U($i: UpdateNoteInput!) { updateNote(input: $i) { id } }', { i: { id: mine.id, title: 'A edited' } });
  await gql(USER_A, 'mutation D($i: DeleteNoteInput!) { deleteNote(input: $i) { id } }', { i: { id: mine.id } });
  // B's own events arrive (B is served); the Admin gets both users' events
  assert.deepEqual((await b.next(dataOf('Create'))).payload, { data: { onCreateNote: { id: theirs.id, title: 'B private', owner: 'user-b' } } });
  assert.deepEqual((await a.next(dataOf('Create'))).payload, { data: { onCreateNote: { id: mine.id, title: 'A private', owner: 'user-a' } } });
  assert.deepEqual((await a.next(dataOf('Update'))).payload, { data: { onUpdateNote: { id: mine.id, title: 'A edited', owner: 'user-a' } } });
  assert.deepEqual((await a.next(dataOf('Delete'))).payload, { data: { onDeleteNote: { id: mine.id, title: 'A edited', owner: 'user-a' } } });
  await admin.next(dataOf('Delete'));
  await wait(300);
  assert.deepEqual(admin.data('Create').map((p) => p.data.onCreateNote.id).sort(), [mine.id, theirs.id].sort());
  assert.deepEqual(admin.data('Update').map((p) => p.data.onUpdateNote.id), [mine.id]);
  // nothing of A's reached B, and nothing of B's reached A
  const leaked = (c, id) => c.seen.filter((m) => m.type === 'data' && JSON.stringify(m).includes(id));
  assert.deepEqual(leaked(b, mine.id), []);
  assert.deepEqual(leaked(a, theirs.id), []);
  assert.equal(b.data('Update').length + b.data('Delete').length, 0);
  assert.doesNotMatch(JSON.stringify(b.seen), /A private|A edited/);
  for (const c of [a, b, admin]) await c.close();
});

test('field-level rules per subscriber: the group member gets the row, its owner-only field null + Unauthorized', { skip }, async () => {
  const a = await appsync(USER_A);
  const admin = await appsync(ADMIN);
  await a.start('s', 'subscription { onCreateNote { title secret } }');
  await admin.start('s', 'subscription { onCreateNote { title secret } }');
  await gql(USER_A, 'mutation { createNote(input: {title: "with secret", secret: "only A"}) { id secret } }');
  assert.deepEqual((await a.next(dataOf('s'))).payload, { data: { onCreateNote: { title: 'with secret', secret: 'only A' } } });
  const got = (await admin.next(dataOf('s'))).payload;
  assert.deepEqual(got.data, { onCreateNote: { title: 'with secret', secret: null } });
  assert.deepEqual(got.errors.map((e) => [e.errorType, e.message, e.path]),
    [['Unauthorized', 'Not Authorized to access secret on type Note', ['onCreateNote', 'secret']]]);
  await a.close();
  await admin.close();
});

test('relations in the event: served when the subscriber may read every row they hold, else null + Unauthorized', { skip }, async () => {
  const board = (await gql(USER_A, 'mutation { createBoard(input: {name: "Board R"}) { id } }')).createBoard;
  await gql(USER_B, 'mutation C($i: CreateNoteInput!) { createNote(input: $i) { id } }', { i: { title: 'B on board', boardId: board.id } });
  const a = await appsync(USER_A);
  await a.start('r', 'subscription { onCreateNote { title board { name notes { items { title } } } } }');
  // the Admin reads every note of the board; the row is user A's, the nested notes are not all A's
  await gql(ADMIN, 'mutation C($i: CreateNoteInput!) { createNote(input: $i) { id board { name notes { items { title } } } } }',
    { i: { title: 'for A', owner: 'user-a', boardId: board.id } });
  const got = (await a.next(dataOf('r'))).payload;
  assert.deepEqual(got.data, { onCreateNote: { title: 'for A', board: null } });
  assert.deepEqual(got.errors.map((e) => [e.errorType, e.message, e.path]),
    [['Unauthorized', 'Not Authorized to access board on type Note', ['onCreateNote', 'board']]]);
  assert.doesNotMatch(JSON.stringify(a.seen), /B on board/);
  // a board without nested rows: every board is readable, so it arrives
  await gql(USER_A, 'mutation C($i: CreateNoteInput!) { createNote(input: $i) { id board { name } } }', { i: { title: 'mine', boardId: board.id } });
  assert.deepEqual((await a.next(dataOf('r'))).payload, { data: { onCreateNote: { title: 'mine', board: { name: 'Board R', notes: null } } } });
  await a.close();
});

test('multi-owner lists and dynamic groups (groupsField) decide per row', { skip }, async () => {
  const b = await appsync(USER_B);
  const c = await appsync(USER_C);
  const red = await appsync(RED);
  for (const s of [b, c, red]) assert.equal((await s.start('d', 'subscription { onCreateDoc { title } }')).type, 'start_ack');
  await gql(USER_A, 'mutation { createDoc(input: {title: "A and C", editors: ["user-c", "user-a"]}) { id } }');
  await gql(USER_A, 'mutation { createDoc(input: {title: "team red", editors: ["user-a"], teams: ["blue", "red"]}) { id } }');
  assert.deepEqual((await c.next(dataOf('d'))).payload, { data: { onCreateDoc: { title: 'A and C' } } });
  assert.deepEqual((await red.next(dataOf('d'))).payload, { data: { onCreateDoc: { title: 'team red' } } });
  await wait(300);
  assert.deepEqual(c.data('d'), []); // not "team red"
  assert.deepEqual(red.data('d'), []); // not "A and C"
  assert.deepEqual(b.data('d'), []);
  for (const s of [b, c, red]) await s.close();
});

test('an API-key subscriber: refused on owner-only models, served the public model without its private field', { skip }, async () => {
  const k = await appsync(KEY);
  assert.deepEqual(await k.start('n', 'subscription { onCreateNote { id } }'), { id: 'n', ...unauthorizedStart('onCreateNote') });
  assert.deepEqual(await k.start('d', 'subscription { onUpdateDoc { id } }'), { id: 'd', ...unauthorizedStart('onUpdateDoc') });
  assert.equal((await k.start('b', 'subscription { onCreateBoard { name internal } }')).type, 'start_ack');
  const oidc = await appsync(USER_B);
  await oidc.start('b', 'subscription { onCreateBoard { name internal } }');
  await gql(USER_A, 'mutation { createNote(input: {title: "not for keys"}) { id } }');
  await gql(USER_A, 'mutation { createBoard(input: {name: "Shared", internal: "staff only"}) { id internal } }');
  const got = (await k.next(dataOf('b'))).payload;
  assert.deepEqual(got.data, { onCreateBoard: { name: 'Shared', internal: null } });
  assert.deepEqual(got.errors.map((e) => [e.errorType, e.message]), [['Unauthorized', 'Not Authorized to access internal on type Board']]);
  assert.deepEqual((await oidc.next(dataOf('b'))).payload, { data: { onCreateBoard: { name: 'Shared', internal: 'staff only' } } });
  await wait(200);
  assert.deepEqual(k.seen.filter((m) => m.type === 'data' && m.id !== 'b'), []);
  await k.close();
  await oidc.close();
});

test('a model without @auth and without a global rule refuses every subscription (both protocols)', { skip }, async () => {
  for (const headers of [KEY, USER_A]) {
    const s = await appsync(headers);
    assert.deepEqual(await s.start('x', 'subscription { onCreateClosed { id } }'), { id: 'x', ...unauthorizedStart('onCreateClosed') });
    await s.close();
  }
  const client = createClient({ url: wsBase, webSocketImpl: WebSocket, connectionParams: USER_A, lazy: false, retryAttempts: 0 });
  const got = await new Promise((resolve) => {
    const out = [];
    client.subscribe({ query: 'subscription { onDeleteClosed { id } }' }, {
      next: (v) => out.push(v), error: (e) => resolve([...out, { error: e }]), complete: () => resolve(out),
    });
  });
  assert.deepEqual(got, [{ error: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onDeleteClosed on type Subscription' }] }]);
  await client.dispose();
});

test('graphql-transport-ws: user B\'s subscription skips user A\'s notes and gets its own', { skip }, async () => {
  const client = createClient({ url: wsBase, webSocketImpl: WebSocket, connectionParams: USER_B, lazy: false, retryAttempts: 0 });
  const got = [];
  let connected;
  const connectedP = new Promise((r) => (connected = r));
  client.on('connected', () => connected());
  const dispose = client.subscribe({ query: 'subscription { onCreateNote { title } }' }, { next: (v) => got.push(v), error: (e) => got.push({ error: e }), complete: () => {} });
  await connectedP;
  await wait(200); // the subscribe frame follows the ack
  await gql(USER_A, 'mutation { createNote(input: {title: "A over tws"}) { id } }');
  await gql(USER_B, 'mutation { createNote(input: {title: "B over tws"}) { id } }');
  for (let i = 0; i < 50 && got.length === 0; i++) await wait(50);
  await wait(200);
  assert.deepEqual(got, [{ data: { onCreateNote: { title: 'B over tws' } } }]);
  dispose();
  await client.dispose();
});

test('Amplify JS v6 client, authMode oidc: user A\'s subscription receives A\'s note and never B\'s', { skip }, async () => {
  // Amplify derives wss://host/graphql/realtime from the custom endpoint; this test server has no
  // TLS listener, so the socket class maps wss: back to ws:. The token provider signs A in.
  globalThis.WebSocket = class extends WebSocket {
    constructor(url, protocols) {
      super(String(url).replace(/^wss:/, 'ws:'), protocols);
    }
  };
  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/api');
  const { decodeJWT } = await import('@aws-amplify/core');
  Amplify.configure(
    { API: { GraphQL: { endpoint: srv.url, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: API_KEY } } },
    { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(USER_A.Authorization) }) } } },
  );
  const client = generateClient({ authMode: 'oidc' });
  const got = [];
  const errors = [];
  const sub = client.graphql({ query: 'subscription { onCreateNote { id title owner } }' })
    .subscribe({ next: ({ data }) => got.push(data.onCreateNote), error: (e) => errors.push(e) });
  // The subscription goes live asynchronously: B writes, then A writes, until A's first event arrives.
  const mine = [];
  for (let i = 0; i < 40 && got.length === 0; i++) {
    await gql(USER_B, `mutation { createNote(input: {title: "B amplify ${i}"}) { id } }`);
    mine.push((await gql(USER_A, `mutation { createNote(input: {title: "A amplify ${i}"}) { id } }`)).createNote.id);
    await wait(150);
  }
  await wait(300);
  assert.deepEqual(errors, []);
  assert.ok(got.length >= 1, 'no event reached the Amplify subscription');
  for (const note of got) {
    assert.ok(mine.includes(note.id), `an event that is not one of A's notes: ${JSON.stringify(note)}`);
    assert.match(note.title, /^A amplify /);
    assert.equal(note.owner, 'user-a');
  }
  sub.unsubscribe();
});
