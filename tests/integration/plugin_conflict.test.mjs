// plugin_conflict.test.mjs: DataStore's LAMBDA conflict handler as a plugin (issue 17, appsync-compat
// §4.5), through the real binary over the PostgreSQL of scripts/test.sh. The example
// plugins/examples/conflict.c is built out of tree against the installed plugin header
// (plugin_sdk.mjs); its one handler answers by the `resolution` hint of the input (or of the stored
// row, for deletes). Each test makes its row stale (created at _version 1, updated to 2) and writes
// with _version 1, so the model's handler runs: RESOLVE (the stored row becomes the handler's item,
// whatever key and metadata the item carries, and _version is bumped), REJECT (ConflictUnhandled
// with the current row in errors[0].data), REMOVE on a delete (a tombstone), and the wrong answers
// (an unknown action, REMOVE on an update, RESOLVE on a delete, a handler that fails: ConflictError,
// the row untouched), an answer given later (after a statement of the handler's own), and what the
// handler is told (the mutation field; the caller: the JWT's user, null for API keys and auth NONE).
// A test handler (plugins/bad_conflict.c) answers malformed on purpose: not an object, no action,
// RESOLVE without an item, with a field the model lacks or a value of the wrong type; and an item
// whose key, metadata and createdAt are ignored; an answer given while its own statement runs (the
// result is dropped). SIGHUP applies datastore.lambda to the new generation.
// Start-up refusals need no database: LAMBDA without datastore.lambda.*, with a plugin that is not
// loaded, with a name the plugin did not register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, hs256Token, post, reload, root, run, startServer, tempDir } from './helpers.mjs';
import { pluginSdk } from './plugin_sdk.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL is not set';
const TABLE = '"LambdaConflictNote"';
const SECRET = 'a-conflict-test-secret-of-32-bytes-or-more';
const ISSUER = 'https://issuer.conflict.test';
const API_KEY = 'da2-conflicttest00000000000000';
const SCHEMA = `
type LambdaConflictNote @model @auth(rules: [{ allow: private, provider: oidc }, { allow: public, provider: apiKey }]) {
  id: ID!
  title: String
  resolution: String
  resolvedBy: String
  tags: [String]
}
`;
const FIELDS = 'id title resolution resolvedBy tags _version _deleted _lastChangedAt';

let dir;
let conflictSo;
let srv; // auth NONE: no identity
let oidc; // OIDC (a JWT's identity) and API keys (none)
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);

// A configuration with the example plugin as "conflicts" and LAMBDA for the model; datastore and
// plugins members replace the defaults.
function writeApp(name, { datastore = {}, plugins } = {}) {
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  writeFileSync(join(dir, 'hs.secret'), SECRET);
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({
    schema: ['schema.graphql'],
    threads: 2,
    plugins: plugins ?? { conflicts: { path: conflictSo } },
    // LAMBDA for this model only (the project's handler would refuse: OPTIMISTIC_CONCURRENCY)
    datastore: { conflict_detection: 'VERSION', conflict_handler: 'OPTIMISTIC_CONCURRENCY',
      models: { LambdaConflictNote: { conflict_handler: 'LAMBDA' } }, lambda: { plugin: 'conflicts', resolver: 'resolve' }, ...datastore },
  }));
  return config;
}

let compileBad;
before(async () => {
  dir = tempDir();
  const { compile } = await pluginSdk('plugin-sdk-conflict');
  conflictSo = await compile(join(root, 'plugins', 'examples', 'conflict.c'), join(dir, 'conflict.so'));
  compileBad = () => compile(join(root, 'tests', 'integration', 'plugins', 'bad_conflict.c'), join(dir, 'bad_conflict.so'));
  if (skip) return;
  const config = writeApp('app');
  const drop = await psql(`DROP TABLE IF EXISTS ${TABLE} CASCADE`);
  assert.equal(drop.code, 0, drop.stderr);
  const env = { GRAPHGATE_DATABASE_URL: dbUrl };
  const migrate = await run(bin, ['migrate', '-c', config], { env: { ...process.env, ...env } });
  assert.equal(migrate.code, 0, migrate.stderr);
  srv = await startServer({ config, env });
  oidc = await startServer({ config, env: { ...env, GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT',
    GRAPHGATE_AUTH_ADDITIONAL_MODES: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: API_KEY,
    GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER, GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret') } });
});

after(async () => {
  const servers = [srv, oidc].filter(Boolean);
  const stopped = await Promise.all(servers.map((s) => s.stop()));
  stopped.forEach(({ code }, i) => assert.equal(code, 0, `graphgate exited with ${code}:\n${servers[i].stderr()}`));
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLE} CASCADE`);
});

async function gql(query, variables, server = srv, headers = {}) {
  const r = await post(server.url, { query, variables }, headers);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const create = (input) => gql(`mutation($input: CreateLambdaConflictNoteInput!) { createLambdaConflictNote(input: $input) { ${FIELDS} } }`, { input });
const update = (input, server, headers) => gql(`mutation($input: UpdateLambdaConflictNoteInput!) { updateLambdaConflictNote(input: $input) { ${FIELDS} } }`, { input }, server, headers);
const remove = (input) => gql(`mutation($input: DeleteLambdaConflictNoteInput!) { deleteLambdaConflictNote(input: $input) { ${FIELDS} } }`, { input });
const stored = async (id) => {
  const r = await psql(`SELECT row_to_json(t) FROM ${TABLE} t WHERE id = '${id}'`);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() === '' ? null : JSON.parse(r.stdout);
};

// A row at _version 2 whose first version was resolution; a write with _version 1 now conflicts.
async function staleRow(id, resolution) {
  const made = await create({ id, title: 'first', resolution, tags: ['a'] });
  assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  assert.equal(made.data.createLambdaConflictNote._version, 1);
  const second = await update({ id, title: 'server', _version: 1 });
  assert.equal(second.errors, undefined, JSON.stringify(second.errors));
  assert.equal(second.data.updateLambdaConflictNote._version, 2);
  return second.data.updateLambdaConflictNote;
}

// The row is still the server's version 2.
async function untouched(id, server) {
  const row = await stored(id);
  assert.equal(row._version, 2);
  assert.equal(row.title, server.title);
  assert.equal(row._deleted ?? false, false);
}

function conflictError(body, field, message) {
  assert.equal(body.data[field], null);
  assert.equal(body.errors.length, 1, JSON.stringify(body.errors));
  assert.equal(body.errors[0].errorType, 'ConflictError', JSON.stringify(body.errors));
  assert.deepEqual(body.errors[0].path, [field]);
  assert.match(body.errors[0].message, message);
}

test('RESOLVE: the stored row becomes the handler\'s item, key and metadata from the server, _version bumped', { skip }, async () => {
  const server = await staleRow('resolve-1', 'RESOLVE');
  const r = await update({ id: 'resolve-1', title: 'client', tags: ['b'], _version: 1 });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const item = r.data.updateLambdaConflictNote;
  // The example's item: the stored row with the client's fields over it (its _version 1 ignored).
  assert.equal(item.id, 'resolve-1');
  assert.equal(item.title, 'client');
  assert.deepEqual(item.tags, ['b']);
  assert.equal(item.resolution, 'RESOLVE');
  // What the handler was told: resolver, identity (null), the client's and the stored _version.
  assert.equal(item.resolvedBy, 'Mutation.updateLambdaConflictNote on LambdaConflictNote (local) by nobody: v1 over v2');
  assert.equal(item._version, 3);
  assert.ok(item._lastChangedAt >= server._lastChangedAt);
  const row = await stored('resolve-1');
  assert.equal(row.title, 'client');
  assert.deepEqual(row.tags, ['b']);
  assert.equal(row.resolvedBy, item.resolvedBy);
  assert.match(srv.stderr(), /plugin conflicts loaded from .*conflict\.so: 0 resolvers, 1 conflict handler\b/);
  assert.equal(row._version, 3);
  assert.equal(row._lastChangedAt, item._lastChangedAt);
});

test('RESOLVE tells the handler who asked: the JWT\'s user, nobody for an API key', { skip }, async () => {
  await staleRow('resolve-jwt', 'RESOLVE');
  const token = hs256Token(SECRET, { iss: ISSUER, sub: 'u-7', username: 'alice' });
  const r = await update({ id: 'resolve-jwt', title: 'by alice', _version: 1 }, oidc, { authorization: token });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.match(r.data.updateLambdaConflictNote.resolvedBy, / by alice: /);
  assert.equal((await stored('resolve-jwt'))._version, 3);
  await staleRow('resolve-key', 'RESOLVE');
  const k = await update({ id: 'resolve-key', title: 'by key', _version: 1 }, oidc, { 'x-api-key': API_KEY });
  assert.equal(k.errors, undefined, JSON.stringify(k.errors));
  assert.match(k.data.updateLambdaConflictNote.resolvedBy, / by nobody: /);
});

test('REJECT: ConflictUnhandled with the current row in errors[0].data, nothing written', { skip }, async () => {
  const server = await staleRow('reject-1', 'REJECT');
  const r = await update({ id: 'reject-1', title: 'client', resolution: 'REJECT', _version: 1 });
  assert.equal(r.data.updateLambdaConflictNote, null);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].errorType, 'ConflictUnhandled');
  assert.deepEqual(r.errors[0].path, ['updateLambdaConflictNote']);
  assert.deepEqual(r.errors[0].data, server);
  await untouched('reject-1', server);
});

test('REMOVE on a delete: the row becomes a tombstone at the next version', { skip }, async () => {
  await staleRow('remove-1', 'REMOVE');
  const r = await remove({ id: 'remove-1', _version: 1 }); // the hint is the stored row's
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.deleteLambdaConflictNote.id, 'remove-1');
  assert.equal(r.data.deleteLambdaConflictNote._deleted, true);
  assert.equal(r.data.deleteLambdaConflictNote._version, 3);
  const row = await stored('remove-1');
  assert.equal(row._deleted, true);
  assert.equal(row._version, 3);
  assert.ok(row._ttl > Date.now() / 1000, `tombstone _ttl ${row._ttl}`);
});

test('a malformed answer (an action AppSync does not know) is ConflictError, nothing written', { skip }, async () => {
  const server = await staleRow('malformed-1', 'MALFORMED');
  const r = await update({ id: 'malformed-1', title: 'client', resolution: 'MALFORMED', _version: 1 });
  conflictError(r, 'updateLambdaConflictNote', /unknown action "MERGE"/);
  await untouched('malformed-1', server);
  assert.match(srv.stderr(), /conflict handler's answer is malformed: unknown action "MERGE"/);
});

test('REMOVE on an update and RESOLVE on a delete are wrong answers: ConflictError', { skip }, async () => {
  const server = await staleRow('wrong-1', 'REMOVE');
  const r = await update({ id: 'wrong-1', title: 'client', resolution: 'REMOVE', _version: 1 });
  conflictError(r, 'updateLambdaConflictNote', /REMOVE answers a delete only/);
  await untouched('wrong-1', server);
  const kept = await staleRow('wrong-2', 'RESOLVE');
  const d = await remove({ id: 'wrong-2', _version: 1 });
  conflictError(d, 'deleteLambdaConflictNote', /RESOLVE does not answer a delete/);
  await untouched('wrong-2', kept);
});

test('a handler that fails is ConflictError with its reason, nothing written', { skip }, async () => {
  const server = await staleRow('fail-1', 'FAIL');
  const r = await update({ id: 'fail-1', title: 'client', resolution: 'FAIL', _version: 1 });
  conflictError(r, 'updateLambdaConflictNote', /the resolution service is unreachable/);
  await untouched('fail-1', server);
});

test('an answer given later, from the handler\'s own statement\'s callback, is applied', { skip }, async () => {
  await staleRow('later-1', 'LATER:RESOLVE');
  const r = await update({ id: 'later-1', title: 'later', resolution: 'LATER:RESOLVE', _version: 1 });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.updateLambdaConflictNote.title, 'later');
  assert.equal(r.data.updateLambdaConflictNote._version, 3);
  assert.equal((await stored('later-1')).title, 'later');
  const server = await staleRow('later-2', 'LATER:REJECT');
  const rejected = await update({ id: 'later-2', title: 'later', resolution: 'LATER:REJECT', _version: 1 });
  assert.equal(rejected.errors[0].errorType, 'ConflictUnhandled');
  assert.deepEqual(rejected.errors[0].data, server);
  await untouched('later-2', server);
});

test('a write at the stored version never asks the handler', { skip }, async () => {
  const server = await staleRow('match-1', 'REJECT');
  const r = await update({ id: 'match-1', title: 'current', resolution: 'REJECT', _version: server._version });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.updateLambdaConflictNote._version, 3);
});

test('malformed answers of another handler: ConflictError naming what is wrong; key and metadata in an item are ignored', { skip }, async () => {
  const badSo = await compileBad();
  const bad = await startServer({ config: writeApp('bad', { plugins: { conflicts: { path: badSo } },
    datastore: { lambda: { plugin: 'conflicts', resolver: 'answer' } } }), env: { GRAPHGATE_DATABASE_URL: dbUrl } });
  try {
    const cases = [
      ['NOT_OBJECT', /not an object with a string "action"/],
      ['NO_ACTION', /not an object with a string "action"/],
      ['NO_ITEM', /RESOLVE without an object "item"/],
      ['UNKNOWN_FIELD', /the item's field "colour" is not a field of LambdaConflictNote/],
      ['WRONG_TYPE', /the item does not fit UpdateLambdaConflictNoteInput: .*String cannot represent a non string value: 42/],
    ];
    for (const [hint, message] of cases) {
      const id = `bad-${hint}`;
      const server = await staleRow(id, hint);
      const r = await update({ id, title: 'client', resolution: hint, _version: 1 }, bad);
      conflictError(r, 'updateLambdaConflictNote', message);
      await untouched(id, server);
    }
    // answered before its own statement's result: the result is dropped (the server lives on)
    const early = await staleRow('bad-EARLY', 'EARLY');
    const e = await update({ id: 'bad-EARLY', title: 'client', resolution: 'EARLY', _version: 1 }, bad);
    assert.equal(e.errors[0].errorType, 'ConflictUnhandled');
    assert.deepEqual(e.errors[0].data, early);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(bad.proc.exitCode, null, bad.stderr());
    const server = await staleRow('bad-MANAGED', 'MANAGED');
    const r = await update({ id: 'bad-MANAGED', title: 'client', resolution: 'MANAGED', _version: 1 }, bad);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const row = await stored('bad-MANAGED');
    assert.equal(row.title, 'managed');
    assert.equal(row.resolution, 'MANAGED'); // left out of the item: kept
    assert.equal(row._version, 3);
    assert.equal(row._deleted ?? false, false);
    assert.ok(row._lastChangedAt >= server._lastChangedAt);
    assert.notEqual(new Date(row.createdAt).getUTCFullYear(), 2001);
    assert.equal((await stored('another-id')), null);
    // SIGHUP: a handler the plugin does not register is refused, the generation serving keeps its own;
    // then the example's handler serves the new generation.
    writeApp('bad', { datastore: { lambda: { plugin: 'conflicts', resolver: 'nobody' } } });
    assert.match(await reload(bad), /registers no conflict handler named "nobody"/);
    const still = await staleRow('bad-reload', 'NO_ITEM');
    conflictError(await update({ id: 'bad-reload', title: 'client', resolution: 'NO_ITEM', _version: 1 }, bad), 'updateLambdaConflictNote', /RESOLVE without an object "item"/);
    await untouched('bad-reload', still);
    writeApp('bad');
    assert.equal(await reload(bad), 'done');
    const now = await update({ id: 'bad-reload', title: 'example', resolution: 'RESOLVE', _version: 1 }, bad);
    assert.equal(now.errors, undefined, JSON.stringify(now.errors));
    assert.equal(now.data.updateLambdaConflictNote.title, 'example');
    assert.equal(now.data.updateLambdaConflictNote._version, 3);
  } finally {
    assert.equal((await bad.stop()).code, 0, bad.stderr());
  }
});

// ---- start-up refusals (graphgate --check: everything but serving) ----

async function check(config) {
  const r = await run(bin, ['--check', '-c', config], { env: { ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  return { code: r.code, text: r.stderr + r.stdout };
}

test('start-up refuses LAMBDA without datastore.lambda.*, with a plugin not loaded, with an unregistered handler', async () => {
  const ok = await check(writeApp('ok'));
  assert.equal(ok.code, 0, ok.text);
  const bare = await check(writeApp('bare', { datastore: { conflict_handler: 'LAMBDA', models: {}, lambda: {} } }));
  assert.equal(bare.code, 2, bare.text);
  assert.match(bare.text, /datastore\.lambda\.plugin.*required when a conflict_handler is LAMBDA/);
  const noName = await check(writeApp('no-name', { datastore: { lambda: { plugin: 'conflicts' } } }));
  assert.equal(noName.code, 2, noName.text);
  assert.match(noName.text, /datastore\.lambda\.resolver.*required/);
  const perModel = await check(writeApp('per-model', { datastore: { conflict_handler: 'AUTOMERGE', lambda: {},
    models: { LambdaConflictNote: { conflict_handler: 'LAMBDA' } } } }));
  assert.equal(perModel.code, 2, perModel.text);
  assert.match(perModel.text, /datastore\.lambda\.plugin.*required/);
  const notLoaded = await check(writeApp('not-loaded', { plugins: {} }));
  assert.equal(notLoaded.code, 2, notLoaded.text);
  assert.match(notLoaded.text, /datastore\.lambda\.plugin.*"conflicts" is not a plugin under "plugins"/);
  const unknown = await check(writeApp('unknown', { datastore: { lambda: { plugin: 'conflicts', resolver: 'merge' } } }));
  assert.equal(unknown.code, 2, unknown.text);
  assert.match(unknown.text, /datastore\.lambda\.resolver: plugin "conflicts" registers no conflict handler named "merge"/);
});
