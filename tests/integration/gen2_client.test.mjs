// gen2_client.test.mjs: Amplify Gen 2's typed data client (npm aws-amplify v6, pinned in
// package.json: generateClient() from aws-amplify/data, then client.models.X) against the real
// graphgate binary, set up as a Gen 2 app is: the schema written with the schema builder (`a.schema`
// of @aws-amplify/data-schema, aws-amplify's own dependency, as amplify/data/resource.ts writes it),
// served by graphgate as the SDL it prints (README: "Use your own schema and database"), and
// Amplify.configure(amplify_outputs.json), here the file scripts/amplify-outputs.mjs writes from
// graphgate's configuration (data.url, the auth modes, the API key and data.model_introspection,
// from which the client builds every operation it sends).
// It covers create, get, update and delete; list with a filter and pages followed by nextToken; a
// secondary index query; relations loaded lazily both ways (hasMany/belongsTo with references, as
// Gen 2 writes them) and a custom selection set; hasOne, a composite identifier, custom types,
// JSON and a custom query (client.queries) answered by @sql; owner records under authMode 'oidc'
// (an API key default with OPENID_CONNECT as an additional mode), and an owner's onCreate;
// onCreate().subscribe and observeQuery over AppSync's real-time protocol; and an app in a process
// of its own (gen2_client/app.mjs) over graphgate's TLS listener, as deployed: https:// and wss://.
// The data lives in the PostgreSQL of scripts/test.sh (GRAPHGATE_TEST_DATABASE_URL), in a
// PostgreSQL schema of this file's own (database.schema gg_it_gen2); skipped without it. The OIDC
// tokens are HS256 ones made here, so the test runs offline. The test process lingers 15 s after
// its last test: Amplify's realtime provider leaves its connection_init timer running (ours acks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { a } from '@aws-amplify/data-schema';
import { hs256Callers, makeCertificate, root, run, startModelServer, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

// amplify/data/resource.ts of a Gen 2 app.
const schema = a.schema({
  Todo: a
    .model({
      content: a.string().required(),
      done: a.boolean(),
      priority: a.integer(),
      status: a.enum(['OPEN', 'DONE']),
      comments: a.hasMany('Comment', 'todoId'),
    })
    .secondaryIndexes((index) => [index('status').sortKeys(['priority']).queryField('listTodosByStatus')])
    .authorization((allow) => [allow.publicApiKey()]),
  Comment: a
    .model({ body: a.string().required(), todoId: a.id(), todo: a.belongsTo('Todo', 'todoId') })
    .authorization((allow) => [allow.publicApiKey()]),
  Note: a.model({ text: a.string().required() }).authorization((allow) => [allow.owner('oidc').identityClaim('sub')]),
  Address: a.customType({ street: a.string(), city: a.string().required() }),
  Place: a
    .model({ name: a.string().required(), address: a.ref('Address'), meta: a.json(), tags: a.string().array(), day: a.date() })
    .authorization((allow) => [allow.publicApiKey()]),
  Reading: a
    .model({ sensor: a.string().required(), at: a.datetime().required(), value: a.float() })
    .identifier(['sensor', 'at'])
    .authorization((allow) => [allow.publicApiKey()]),
  Profile: a.model({ bio: a.string(), user: a.hasOne('User', 'profileId') }).authorization((allow) => [allow.publicApiKey()]),
  User: a
    .model({ name: a.string(), profileId: a.id(), profile: a.belongsTo('Profile', 'profileId') })
    .authorization((allow) => [allow.publicApiKey()]),
});
const PG_SCHEMA = 'gg_it_gen2';
// A custom query answered by SQL: Gen 2's printed SDL carries no statement (a.handler.inlineSql
// is for SQL data sources), so the app writes the field with @sql next to it (README).
const SQL_QUERY = `type Query {
  countPlaces(prefix: String!): Int @sql(statement: "SELECT count(*) FROM ${PG_SCHEMA}.\\"Place\\" WHERE name LIKE :prefix || '%'") @aws_api_key
}`;
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);

let srv;
let client;
let outputs;
let currentToken;
let callers;
let certificate;
let workDir;

before(async () => {
  if (skip) return;
  const dir = tempDir();
  workDir = dir;
  callers = hs256Callers(dir);
  certificate = await makeCertificate();
  writeFileSync(join(dir, 'api-keys'), `${API_KEY}\n`);
  await psql(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  srv = await startModelServer({
    schema: `${schema.transform().schema}\n${SQL_QUERY}\n`, tables: `${PG_SCHEMA}.graphgate_meta`, dbUrl,
    settings: {
      database: { schema: PG_SCHEMA },
      auth: { default_mode: 'API_KEY', additional_modes: ['OPENID_CONNECT'], api_keys_file: join(dir, 'api-keys') },
    },
    env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', ...callers.env,
      GRAPHGATE_TLS_LISTEN: '127.0.0.1:0', GRAPHGATE_TLS_CERT_FILE: certificate.cert, GRAPHGATE_TLS_KEY_FILE: certificate.key },
    tls: true,
  });

  // As a user runs it: the script reads graphgate's configuration (schema files, auth modes).
  const out = join(dir, 'amplify_outputs.json');
  const made = await run(process.execPath, [join(root, 'scripts', 'amplify-outputs.mjs'), '-c', srv.config, '--url', srv.url,
    '--api-key-file', join(dir, 'api-keys'), '-o', out]);
  assert.equal(made.code, 0, made.stderr);
  outputs = JSON.parse(readFileSync(out, 'utf8'));

  // Amplify connects subscriptions to wss://<endpoint>/realtime, always over TLS (README: an app
  // needs graphgate's TLS listener or a TLS proxy). This process cannot trust the test certificate
  // (Node reads NODE_EXTRA_CA_CERTS at start), so its client uses the plain listener and its socket
  // class maps wss: back to ws:; the last test runs an app over TLS in a process of its own.
  // Node 20 has no global WebSocket; the npm ws package is it.
  globalThis.WebSocket = class extends WebSocket {
    constructor(url, protocols) {
      super(String(url).replace(/^wss:/, 'ws:'), protocols);
    }
  };
  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/data');
  const { decodeJWT } = await import('@aws-amplify/core');
  Amplify.configure(outputs, {
    Auth: { tokenProvider: { getTokens: async () => (currentToken ? { accessToken: decodeJWT(currentToken) } : null) } },
  });
  client = generateClient();
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
});

test('amplify_outputs.json from the script: endpoint, auth modes, API key, the models', { skip }, () => {
  const { data } = outputs;
  assert.equal(data.url, srv.url);
  assert.equal(data.default_authorization_type, 'API_KEY');
  assert.deepEqual(data.authorization_types, ['OPENID_CONNECT']);
  assert.equal(data.api_key, API_KEY);
  const models = ['Comment', 'Note', 'Place', 'Profile', 'Reading', 'Todo', 'User'];
  assert.deepEqual(Object.keys(data.model_introspection.models).sort(), models);
  assert.deepEqual(Object.keys(client.models).sort(), models);
  assert.deepEqual(Object.keys(client.queries), ['countPlaces']);
});

test('create, get, update, delete through client.models', { skip }, async () => {
  const { data: todo, errors } = await client.models.Todo.create({ content: 'Write the README', priority: 2 });
  assert.equal(errors, undefined);
  assert.match(todo.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(todo.content, 'Write the README');
  assert.equal(todo.priority, 2);
  assert.equal(todo.done, null);
  assert.match(todo.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const got = await client.models.Todo.get({ id: todo.id });
  assert.equal(got.errors, undefined);
  assert.equal(got.data.content, 'Write the README');
  assert.equal(got.data.createdAt, todo.createdAt);

  const updated = await client.models.Todo.update({ id: todo.id, done: true });
  assert.equal(updated.errors, undefined);
  assert.equal(updated.data.done, true);
  assert.equal(updated.data.content, 'Write the README');

  const deleted = await client.models.Todo.delete({ id: todo.id });
  assert.equal(deleted.errors, undefined);
  assert.equal(deleted.data.id, todo.id);
  assert.equal((await client.models.Todo.get({ id: todo.id })).data, null);

  // A missing required field: the answer carries the GraphQL error, as AppSync's would.
  const bad = await client.models.Todo.create({ priority: 1 });
  assert.equal(bad.data, null);
  assert.match(bad.errors[0].message, /content/);
});

test('list with a filter, pages followed by nextToken', { skip }, async () => {
  for (let i = 0; i < 12; i++) {
    const r = await client.models.Todo.create({ content: `page item ${i}`, priority: i, done: i % 2 === 0 });
    assert.equal(r.errors, undefined);
  }
  const seen = [];
  let nextToken = null;
  let pages = 0;
  do {
    const r = await client.models.Todo.list({ filter: { content: { beginsWith: 'page item' } }, limit: 5, nextToken });
    assert.equal(r.errors, undefined);
    seen.push(...r.data.map((t) => t.priority));
    nextToken = r.nextToken;
    pages++;
  } while (nextToken && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

  const open = await client.models.Todo.list({ filter: { and: [{ done: { eq: false } }, { priority: { ge: 7 } }] } });
  assert.deepEqual(open.data.map((t) => t.priority).sort((a, b) => a - b), [7, 9, 11]);
});

test('a secondary index query with a sort-key condition; enums', { skip }, async () => {
  assert.deepEqual(client.enums.TodoStatus.values(), ['OPEN', 'DONE']);
  for (const [priority, status] of [[1, 'OPEN'], [5, 'OPEN'], [3, 'DONE'], [8, 'OPEN'], [9, 'OPEN']]) {
    const r = await client.models.Todo.create({ content: `indexed ${priority}`, priority, status });
    assert.equal(r.data.status, status);
  }
  const r = await client.models.Todo.listTodosByStatus({ status: 'OPEN', priority: { between: [2, 8] } }, { sortDirection: 'DESC' });
  assert.equal(r.errors, undefined);
  assert.deepEqual(r.data.map((t) => t.content), ['indexed 8', 'indexed 5']);
});

test('a relation loaded lazily: todo.comments() and comment.todo()', { skip }, async () => {
  const { data: todo } = await client.models.Todo.create({ content: 'with comments' });
  for (const body of ['first', 'second', 'third']) {
    const r = await client.models.Comment.create({ body, todoId: todo.id });
    assert.equal(r.errors, undefined);
  }
  const { data: comments, errors } = await todo.comments();
  assert.equal(errors, undefined);
  assert.deepEqual(comments.map((c) => c.body).sort(), ['first', 'second', 'third']);
  const { data: parent } = await comments[0].todo();
  assert.equal(parent.id, todo.id);
  assert.equal(parent.content, 'with comments');

  // A custom selection set follows the relation in one request.
  const { data: deep } = await client.models.Todo.get({ id: todo.id }, { selectionSet: ['id', 'content', 'comments.*'] });
  assert.equal(deep.content, 'with comments');
  assert.deepEqual(deep.comments.map((c) => c.body).sort(), ['first', 'second', 'third']);
});

test('hasOne, a composite identifier, custom types, JSON, an @sql query', { skip }, async () => {
  const { data: profile } = await client.models.Profile.create({ bio: 'hello' });
  const { data: user } = await client.models.User.create({ name: 'Ann', profileId: profile.id });
  assert.equal((await profile.user()).data.name, 'Ann');
  assert.equal((await user.profile()).data.bio, 'hello');

  for (const [at, value] of [['2026-01-01T00:00:00.000Z', 1], ['2026-01-02T00:00:00.000Z', 2], ['2026-01-03T00:00:00.000Z', 3]]) {
    assert.equal((await client.models.Reading.create({ sensor: 's1', at, value })).errors, undefined);
  }
  const key = { sensor: 's1', at: '2026-01-02T00:00:00.000Z' };
  assert.equal((await client.models.Reading.get(key)).data.value, 2);
  const later = await client.models.Reading.list({ sensor: 's1', at: { ge: key.at }, sortDirection: 'DESC' });
  assert.deepEqual(later.data.map((r) => r.value), [3, 2]);
  assert.equal((await client.models.Reading.update({ ...key, value: 20 })).data.value, 20);
  assert.equal((await client.models.Reading.delete(key)).data.value, 20);
  assert.equal((await client.models.Reading.get(key)).data, null);

  const meta = JSON.stringify({ floors: 2, lift: true });
  const { data: place, errors } = await client.models.Place.create({
    name: 'home', address: { street: 'Main St', city: 'Springfield' }, meta, tags: ['a', 'b'], day: '2026-01-02' });
  assert.equal(errors, undefined);
  const got = (await client.models.Place.get({ id: place.id })).data;
  assert.deepEqual(got.address, { street: 'Main St', city: 'Springfield' });
  assert.deepEqual(JSON.parse(got.meta), { floors: 2, lift: true });
  assert.deepEqual(got.tags, ['a', 'b']);
  assert.equal(got.day, '2026-01-02');
  await client.models.Place.create({ name: 'holiday' });
  await client.models.Place.create({ name: 'office' });
  const count = await client.queries.countPlaces({ prefix: 'ho' });
  assert.equal(count.errors, undefined);
  assert.equal(count.data, 2);
});

test('owner records under authMode oidc: each user sees their own', { skip }, async () => {
  currentToken = callers.token({ sub: 'alice' });
  const mine = await client.models.Note.create({ text: 'alice note' }, { authMode: 'oidc' });
  assert.equal(mine.errors, undefined);
  assert.equal(mine.data.owner, 'alice');
  currentToken = callers.token({ sub: 'bob' });
  await client.models.Note.create({ text: 'bob note' }, { authMode: 'oidc' });
  const bobs = await client.models.Note.list({ authMode: 'oidc' });
  assert.deepEqual(bobs.data.map((n) => n.text), ['bob note']);
  const other = await client.models.Note.get({ id: mine.data.id }, { authMode: 'oidc' });
  assert.equal(other.data, null);
  // The API key (the default mode) is no rule of Note's.
  const keyed = await client.models.Note.list();
  assert.equal(keyed.errors[0].errorType, 'Unauthorized');

  // bob's onCreate receives bob's notes, not alice's.
  const got = [];
  const errors = [];
  const sub = client.models.Note.onCreate({ authMode: 'oidc' }).subscribe({ next: (n) => got.push(n), error: (e) => errors.push(e) });
  for (let i = 0; i < 40 && got.length === 0; i++) {
    await client.models.Note.create({ text: `bob live ${i}` }, { authMode: 'oidc' });
    await wait(150);
  }
  currentToken = callers.token({ sub: 'alice' });
  await client.models.Note.create({ text: 'alice live' }, { authMode: 'oidc' });
  currentToken = callers.token({ sub: 'bob' });
  const { data: last } = await client.models.Note.create({ text: 'bob last' }, { authMode: 'oidc' });
  for (let i = 0; i < 40 && !got.some((n) => n.id === last.id); i++) await wait(50);
  assert.deepEqual(errors, []);
  assert.ok(got.some((n) => n.id === last.id), 'bob\'s last note reached his onCreate');
  assert.deepEqual([...new Set(got.map((n) => n.owner))], ['bob']);
  sub.unsubscribe();
  currentToken = undefined;
});

test('onCreate().subscribe receives the created records', { skip }, async () => {
  const got = [];
  const errors = [];
  const sub = client.models.Todo.onCreate({ filter: { content: { beginsWith: 'live ' } } })
    .subscribe({ next: (t) => got.push(t), error: (e) => errors.push(e) });
  // The subscription goes live asynchronously: create until its first event arrives.
  for (let i = 0; i < 40 && got.length === 0; i++) {
    await client.models.Todo.create({ content: `live ${i}`, priority: 100 + i });
    await wait(150);
  }
  assert.deepEqual(errors, []);
  assert.ok(got.length >= 1, 'no event reached onCreate');
  await client.models.Todo.create({ content: 'not live' });
  const { data: last } = await client.models.Todo.create({ content: 'live last', priority: 999 });
  for (let i = 0; i < 40 && !got.some((t) => t.id === last.id); i++) await wait(50);
  const event = got.find((t) => t.id === last.id);
  assert.ok(event, 'the last create reached onCreate');
  assert.equal(event.content, 'live last');
  assert.equal(event.priority, 999);
  assert.ok(got.every((t) => t.content.startsWith('live ')));
  sub.unsubscribe();
});

test('observeQuery: the snapshot, then the records created, updated and deleted', { skip }, async () => {
  const seed = await client.models.Todo.create({ content: 'observed seed', priority: 1 });
  const snapshots = [];
  const errors = [];
  const sub = client.models.Todo.observeQuery({ filter: { content: { beginsWith: 'observed ' } } })
    .subscribe({ next: (s) => snapshots.push({ items: s.items.map((t) => t.content).sort(), isSynced: s.isSynced }), error: (e) => errors.push(e) });
  const until = async (pred, what) => {
    for (let i = 0; i < 100; i++) {
      if (snapshots.some(pred)) return;
      await wait(50);
    }
    assert.fail(`${what}: ${JSON.stringify(snapshots)} ${errors}`);
  };
  await until((s) => s.isSynced && s.items.includes('observed seed'), 'the synced first snapshot');
  // observeQuery's subscriptions go live asynchronously (with its first list): create until one
  // create has reached it.
  const created = [];
  for (let i = 0; i < 40 && !snapshots.some((s) => s.items.some((c) => c.startsWith('observed added'))); i++) {
    created.push((await client.models.Todo.create({ content: `observed added ${i}` })).data);
    await wait(150);
  }
  const added = created.find((t) => snapshots.some((s) => s.items.includes(t.content)));
  assert.ok(added, `no created record reached observeQuery: ${JSON.stringify(snapshots.at(-1))} ${errors}`);
  for (const t of created) if (t !== added) await client.models.Todo.delete({ id: t.id });
  await client.models.Todo.update({ id: added.id, content: 'observed renamed' });
  await until((s) => s.items.includes('observed renamed') && !s.items.includes(added.content), 'the updated record');
  await client.models.Todo.delete({ id: seed.data.id });
  await until((s) => s.items.length === 1 && s.items[0] === 'observed renamed', 'the deleted record');
  assert.deepEqual(errors, []);
  sub.unsubscribe();
});

test('an app over TLS, as deployed: https:// in amplify_outputs.json, subscriptions over wss://', { skip }, async () => {
  // A separate Node process: the certificate is trusted as an app's would be (NODE_EXTRA_CA_CERTS),
  // and its WebSocket is not remapped.
  const out = join(workDir, 'amplify_outputs_tls.json');
  const made = await run(process.execPath, [join(root, 'scripts', 'amplify-outputs.mjs'), '-c', srv.config, '--url', srv.tlsUrl,
    '--api-key-file', join(workDir, 'api-keys'), '-o', out]);
  assert.equal(made.code, 0, made.stderr);
  const app = await run(process.execPath, [join(root, 'tests', 'integration', 'gen2_client', 'app.mjs'), out],
    { env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.cert }, timeout: 30000 });
  assert.equal(app.code, 0, app.stderr);
  const seen = JSON.parse(app.stdout);
  assert.deepEqual(seen.errors, []);
  assert.ok(seen.events.length >= 1, 'no event reached onCreate over wss');
  assert.ok(seen.events.every((c) => seen.created.includes(c)));
  const synced = seen.snapshots.find((s) => s.isSynced);
  assert.ok(synced, 'observeQuery synced');
  assert.equal(synced.items, seen.created.length);
});
