// plugins.test.mjs: resolver plugins (issue 14) as a user builds and loads them. The plugin header
// is installed with `meson install --destdir` into the build directory, the example
// plugins/examples/text.c is compiled out of tree with `cc $(pkg-config --cflags graphgate-plugin)`
// against that INSTALLED header, and the real binary loads it and answers its fields: @function
// bindings (with Amplify's -${env} suffix, and a computed field of an object type), the config's
// resolver map, the caller's identity (NONE, API key, OIDC JWT), per-thread state, and resolver
// errors that fail one field only. Start-up stops with the reason for a plugin built for another ABI
// major, one whose setup or thread start fails, one that is not there, and unknown bindings.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, hs256Token, post, root, run, startServer, tempDir } from './helpers.mjs';
import { buildRoot, pluginSdk } from './plugin_sdk.mjs';

const mesonBuilt = join(buildRoot, 'plugins', 'text.so'); // the example as meson builds it
let dir;
let textSo;
let compile;

before(async () => {
  dir = tempDir();
  ({ compile } = await pluginSdk('plugin-sdk'));
  textSo = await compile(join(root, 'plugins', 'examples', 'text.c'), join(dir, 'text.so'));
});

const SCHEMA = `
type Post {
  title: String
  slug: String @function(name: "text.slug-\${env}")
  words: Int @function(name: "text.wordCount")
}
type Caller { mode: String sub: String username: String groups: [String] sourceIp: String }
type Query {
  slug(text: String): String @function(name: "text.slug")
  wordCount(text: String): Int
  caller: Caller @function(name: "text")
  post: Post
  threadCalls: Int @function(name: "text.threadCalls")
  badJson: String
  wrongType: Int
  fine: String
}
`;

// Writes schema + config (plugins paths relative to the config file) into a new directory.
function writeApp({ schema = SCHEMA, plugins, resolvers, extra = {} }) {
  const appDir = tempDir();
  writeFileSync(join(appDir, 'schema.graphql'), schema);
  writeFileSync(join(appDir, 'data.json'), JSON.stringify({ post: { title: 'Hello, Plugin World! Again' } }));
  const config = join(appDir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], static_data_file: 'data.json', threads: 2, plugins, resolvers, ...extra }));
  return config;
}

const textPlugin = (path, config = { max_words: 4 }) => ({ text: { path, config } });
const wordCountMap = { 'Query.wordCount': { plugin: 'text', resolver: 'wordCount' } };

async function query(srv, q, headers = {}) {
  const r = await post(srv.url, { query: q }, headers);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('an example built out of tree against the installed header answers its fields', async () => {
  const config = writeApp({ plugins: textPlugin(textSo), resolvers: wordCountMap });
  const srv = await startServer({ config });
  try {
    assert.match(srv.stderr(), /plugin text loaded from .*text\.so: 4 resolvers/);
    const body = await query(srv, '{ slug(text: "Hi There, GraphQL!") wordCount(text: "one two  three") post { title slug words } }');
    assert.deepEqual(body, {
      data: { slug: 'hi-there-graphql', wordCount: 3, post: { title: 'Hello, Plugin World! Again', slug: 'hello-plugin-world-again', words: 4 } },
    });
    // Per-thread state: each thread counts its own calls.
    const counts = [];
    for (let i = 0; i < 6; i++) counts.push((await query(srv, '{ threadCalls }')).data.threadCalls);
    assert.ok(counts.every((n) => Number.isInteger(n) && n >= 1), String(counts));
    assert.ok(counts.reduce((a, b) => a + b) >= 6);
    // Without auth the caller is NONE, with no identity.
    assert.deepEqual((await query(srv, '{ caller { mode sub groups sourceIp } }')).data.caller, { mode: 'NONE', sub: null, groups: [], sourceIp: null });
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
});

test("a resolver's error fails its field only, with its errorType", async () => {
  const config = writeApp({ plugins: textPlugin(mesonBuilt, { max_words: 2 }), resolvers: wordCountMap });
  const srv = await startServer({ config });
  try {
    const body = await query(srv, '{ a: slug(text: "ok then") b: slug(text: "?!") c: wordCount(text: "x y z") d: wordCount(text: "x y") }');
    assert.deepEqual(body.data, { a: 'ok-then', b: null, c: null, d: 2 });
    assert.deepEqual(
      body.errors.map((e) => [e.path.join('.'), e.errorType, e.message]),
      [
        ['b', 'BadInput', '"?!" has no letters or digits to make a slug of.'],
        ['c', 'TooLong', 'The text has 3 words; at most 2 are counted.'],
      ],
    );
    assert.ok(body.errors.every((e) => e.locations.length === 1));
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
});

test('the caller identity reaches the resolver: API key and OIDC token with groups, and the source IP', async () => {
  const secret = 'a-test-secret-of-at-least-32-bytes-long!';
  const secretFile = join(dir, 'hs.secret');
  writeFileSync(secretFile, secret);
  const config = writeApp({
    schema: SCHEMA.replace('type Caller {', 'type Caller @aws_oidc @aws_api_key {').replace('caller: Caller', 'caller: Caller @aws_oidc @aws_api_key'),
    plugins: textPlugin(textSo),
    extra: { auth: { default_mode: 'OPENID_CONNECT', additional_modes: ['API_KEY'], oidc: { issuer: 'https://issuer.plugins.test', hs256_secret_file: secretFile } } },
  });
  const srv = await startServer({ config, env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT', GRAPHGATE_AUTH_API_KEYS: 'da2-plugintestkey0000000000' } });
  try {
    const token = hs256Token(secret, { iss: 'https://issuer.plugins.test', sub: 'user-7', username: 'ada', 'cognito:groups': ['admins', 'writers'] });
    let body = await query(srv, '{ caller { mode sub username groups sourceIp } }', { authorization: token });
    assert.deepEqual(body, { data: { caller: { mode: 'OPENID_CONNECT', sub: 'user-7', username: 'ada', groups: ['admins', 'writers'], sourceIp: '127.0.0.1' } } });
    body = await query(srv, '{ caller { mode sub username groups } }', { 'x-api-key': 'da2-plugintestkey0000000000' });
    assert.deepEqual(body, { data: { caller: { mode: 'API_KEY', sub: null, username: null, groups: [] } } });
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
});

test('wrong answers of a plugin become field errors', async () => {
  const brokenSo = await compile(join(root, 'tests', 'integration', 'plugins', 'broken.c'), join(dir, 'broken.so'));
  const resolvers = Object.fromEntries(['badJson', 'wrongType', 'fine'].map((f) => [`Query.${f}`, { plugin: 'broken', resolver: f }]));
  const config = writeApp({ plugins: { ...textPlugin(textSo), broken: { path: brokenSo } }, resolvers });
  const srv = await startServer({ config });
  try {
    const body = await query(srv, '{ badJson wrongType fine }');
    assert.deepEqual(body.data, { badJson: null, wrongType: null, fine: 'fine' });
    assert.deepEqual(body.errors.map((e) => [e.path[0], e.errorType ?? null]), [['badJson', 'InternalFailure'], ['wrongType', null]]);
    assert.match(body.errors[1].message, /Int cannot represent/);
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
  assert.match(srv.stderr(), /plugin broken: resolver badJson answered the field badJson with text that is not JSON/);
});

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
test('an asynchronous plugin runs SQL through the pool: rows, concurrent calls, database errors', { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' }, async () => {
  const table = 'gg_it_plugin_guestbook';
  const ddl = `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id bigserial PRIMARY KEY, name text NOT NULL, message text NOT NULL, author text, created_at timestamptz NOT NULL DEFAULT now())`;
  const made = await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', ddl]);
  assert.equal(made.code, 0, made.stderr);
  const guestbookSo = await compile(join(root, 'plugins', 'examples', 'guestbook.c'), join(dir, 'guestbook.so'));
  const schema = `
type Entry { id: ID! name: String! message: String! author: String createdAt: AWSDateTime }
type Query {
  entries(limit: Int): [Entry] @function(name: "guestbook.entries")
  lost(limit: Int): [Entry] @function(name: "nowhere.entries")
  slug(text: String): String @function(name: "text.slug")
}
type Mutation { sign(name: String!, message: String!): Entry @function(name: "guestbook.sign-\${env}") }
`;
  // The same .so twice under two names, each with its own config: one table exists, one does not.
  const plugins = { ...textPlugin(textSo), guestbook: { path: guestbookSo, config: { table } }, nowhere: { path: guestbookSo, config: { table: 'gg_it_plugin_missing' } } };
  const srv = await startServer({ config: writeApp({ schema, plugins }), env: { GRAPHGATE_DATABASE_URL: dbUrl } });
  try {
    let body = await query(srv, 'mutation { sign(name: "Ada", message: "First!") { id name message author createdAt } }');
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual({ ...body.data.sign, createdAt: undefined }, { id: '1', name: 'Ada', message: 'First!', author: null, createdAt: undefined });
    assert.match(body.data.sign.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Many calls in flight on both threads at once, and several in one response.
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => query(srv, `mutation { a: sign(name: "n${i}", message: "a") { id } b: sign(name: "n${i}", message: "b") { id } }`)));
    assert.ok(many.every((b) => b.errors === undefined && Number(b.data.b.id) > Number(b.data.a.id)), JSON.stringify(many[0]));
    body = await query(srv, '{ entries(limit: 3) { name message } all: entries(limit: 100) { id } slug(text: "Still Here") }');
    assert.equal(body.data.all.length, 41);
    assert.equal(new Set(body.data.all.map((e) => e.id)).size, 41);
    assert.equal(body.data.entries.length, 3);
    assert.equal(body.data.slug, 'still-here');
    // A failing statement fails its field only; a synchronous refusal too.
    body = await query(srv, '{ lost { id } slug(text: "ok") entries(limit: 500) { id } }');
    assert.deepEqual(body.data, { lost: null, slug: 'ok', entries: null });
    assert.deepEqual(body.errors.map((e) => [e.path[0], e.errorType, e.message]).sort(), [
      ['entries', 'BadInput', 'limit must be between 1 and 100, not 500.'],
      ['lost', 'DatabaseError', 'The database request failed.'],
    ]);
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
  assert.match(srv.stderr(), /gg_it_plugin_missing/); // the database's words go to the log
});

// Runs graphgate --check on a config; resolves to { code, stderr }.
const check = (config, env = {}) => run(bin, ['--check', '-c', config], { env: { ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', ...env } });

test('start-up stops with the reason: another ABI major, a failing setup, a missing file', async () => {
  const futureSo = await compile(join(root, 'tests', 'integration', 'plugins', 'broken.c'), join(dir, 'future.so'), ['-DBROKEN_ABI_MAJOR=2']);
  let r = await check(writeApp({ plugins: { future: { path: futureSo } } }));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plugin "future": .*future\.so was built for plugin ABI 2\.0, this graphgate provides plugin ABI 1\.\d+/);

  const brokenSo = await compile(join(root, 'tests', 'integration', 'plugins', 'broken.c'), join(dir, 'broken2.so'));
  r = await check(writeApp({ plugins: { broken: { path: brokenSo, config: { fail_setup: true } } } }));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plugin "broken" \(.*broken2\.so\): setup failed: the database this plugin needs is unreachable/);

  r = await check(writeApp({ plugins: textPlugin(textSo, { max_words: 'many' }) }));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plugin "text" .*setup failed: config\.max_words must be a positive integer/);

  r = await check(writeApp({ plugins: { text: { path: 'plugins/missing.so' } } }));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plugin "text": cannot load \/.*\/plugins\/missing\.so: .*No such file/); // relative to the config file

  r = await check(writeApp({ plugins: { text: { paht: textSo } } }));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /key "plugins\.text\.paht": unknown key/);
});

test('a failing per-thread start stops start-up', async () => {
  const brokenSo = await compile(join(root, 'tests', 'integration', 'plugins', 'broken.c'), join(dir, 'broken3.so'));
  const config = writeApp({ plugins: { ...textPlugin(textSo), broken: { path: brokenSo, config: { fail_thread_start: true } } }, resolvers: wordCountMap });
  await assert.rejects(startServer({ config }), (e) => {
    assert.match(e.message, /exited with 2/);
    assert.match(e.message, /plugin "broken" .*thread start failed: this thread cannot start/);
    return true;
  });
});

test('unknown bindings stop start-up', async () => {
  const cases = [
    [{ schema: SCHEMA.replace('text.threadCalls', 'text.nope') }, /field Query\.threadCalls: @function\(name: "text\.nope"\): plugin "text" has no resolver named "nope"/],
    [{ schema: SCHEMA.replace('text.threadCalls', 'weather.current') }, /@function\(name: "weather\.current"\): no plugin named "weather" is loaded/],
    // an Amplify project's Lambda function: the message says how to go on without it
    [{ schema: SCHEMA.replace('text.threadCalls', 'statsFunction-${env}') },
     /@function\(name: "statsFunction-\$\{env\}"\): no plugin named "statsFunction" is loaded \(configure it under "plugins"\): an AppSync Lambda function is a C resolver plugin here \(plugins\/README\.md\); to serve the rest of the schema without it, remove this @function and the field answers null/],
    [{ resolvers: { 'Query.nothing': { plugin: 'text', resolver: 'slug' } } }, /key "resolvers\.Query\.nothing": type Query has no field nothing/],
    [{ resolvers: { 'Nope.slug': { plugin: 'text', resolver: 'slug' } } }, /key "resolvers\.Nope\.slug": the schema has no object type Nope/],
    [{ resolvers: { 'Query.slug': { plugin: 'text', resolver: 'slug' } } }, /key "resolvers\.Query\.slug": the field is bound to a plugin twice/],
    [{ resolvers: { 'Query.fine': { plugin: 'text' } } }, /key "resolvers\.Query\.fine": expected \{"plugin": "name", "resolver": "name"\}/],
  ];
  for (const [app, pattern] of cases) {
    const r = await check(writeApp({ plugins: textPlugin(textSo), ...app }));
    assert.equal(r.code, 2, JSON.stringify(app));
    assert.match(r.stderr, pattern);
  }
  // --print-schema reads the schema only: it neither loads plugins nor checks bindings.
  const printed = await run(bin, ['--print-schema', '-c', writeApp({ schema: SCHEMA.replace('text.threadCalls', 'weather.current') })]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /threadCalls: Int/);
  // GRAPHGATE_PLUGINS and GRAPHGATE_RESOLVERS override the file (JSON text).
  const ok = await check(writeApp({}), { GRAPHGATE_PLUGINS: JSON.stringify(textPlugin(textSo)), GRAPHGATE_RESOLVERS: JSON.stringify(wordCountMap) });
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await check(writeApp({}), { GRAPHGATE_PLUGINS: '[1]' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /GRAPHGATE_PLUGINS .*expected a JSON object/);
});
