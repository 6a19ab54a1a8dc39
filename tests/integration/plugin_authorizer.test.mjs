// plugin_authorizer.test.mjs: AWS_LAMBDA authorization by a plugin authorizer (issue 14), through the
// real binary and the example plugins/examples/authorizer.c, built out of tree against the installed
// plugin header as a user builds it (plugin_sdk.mjs). The authorizer
// allows "allow-<user>", "limited-<user>" (with deniedFields) and "short-<user>" (ttlOverride 1),
// looks "session-<id>" up in PostgreSQL (asynchronously), fails on "fail" and denies everything
// else; it counts its own calls per token (the @aws_api_key field `calls`, read with an API key,
// which never reaches the authorizer). Checked: an allowed token's resolverContext reaching a plugin
// resolver and @sql's :identity.claims, what the authorizer is told (operation name, a header), a
// denial as AppSync's 401 with no data, deniedFields answered null + Unauthorized at their paths,
// @aws_* directives against the Lambda mode, the per-thread decision cache (ttl_s, ttlOverride, 0:
// none), identity_validation_expression, Amplify allow: custom rules, mode selection with OIDC on as
// well, websocket connections (graphql-transport-ws and AppSync's real-time protocol), and start-up
// refusals (failing setup, unknown authorizer, missing auth.lambda, bad expression). The database
// tests are skipped without GRAPHGATE_TEST_DATABASE_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { bin, hs256Token, post, root, run, startModelServer, startServer, tempDir } from './helpers.mjs';
import { pluginSdk } from './plugin_sdk.mjs';

let authorizerSo;
const API_KEY = 'da2-authorizertest0000000000';
const SECRET = 'an-oidc-test-secret-of-32-bytes-or-more';
const ISSUER = 'https://issuer.authorizer.test';
const NOT_AUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };
const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;

const schema = (extraQuery = '') => `
type Who @aws_lambda @aws_oidc { mode: String user: String operation: String client: String }
type Note { title: String body: String }
type Query {
  whoami: Who @function(name: "auth.whoami") @aws_lambda @aws_oidc
  calls(token: String): Int @function(name: "auth.calls") @aws_api_key
  note: Note
  secret: String
  keyOnly: String @aws_api_key
  ${extraQuery}
}
`;

let dir;
function writeApp({ lambda = {}, auth = {}, plugin = {}, extraQuery = '' } = {}) {
  const appDir = tempDir();
  writeFileSync(join(appDir, 'schema.graphql'), schema(extraQuery));
  writeFileSync(join(appDir, 'data.json'), JSON.stringify({ note: { title: 'Hello', body: 'private words' }, secret: 's3cret', keyOnly: 'for keys' }));
  writeFileSync(join(appDir, 'hs.secret'), SECRET);
  const config = join(appDir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({
    schema: ['schema.graphql'],
    static_data_file: 'data.json',
    plugins: { auth: { path: authorizerSo, config: { denied_fields: ['Query.secret', 'Note.body'], ...plugin } } },
    auth: {
      default_mode: 'AWS_LAMBDA',
      additional_modes: ['API_KEY', 'OPENID_CONNECT'],
      oidc: { issuer: ISSUER, hs256_secret_file: 'hs.secret' },
      lambda: { plugin: 'auth', resolver: 'check', ttl_s: 300, ...lambda },
      ...auth,
    },
  }));
  return config;
}

// One worker thread: the decision cache is per thread, so the authorizer's call counts are exact.
const serverEnv = (extra = {}) => ({ GRAPHGATE_AUTH_DEFAULT_MODE: 'AWS_LAMBDA', GRAPHGATE_AUTH_API_KEYS: API_KEY, GRAPHGATE_THREADS: '1', ...extra });
const ask = (srv, token, query, extra = {}) => post(srv.url, { query, ...extra.body }, { authorization: token, ...extra.headers });
async function calls(srv, token) {
  const r = await post(srv.url, { query: 'query($t: String) { calls(token: $t) }', variables: { t: token } }, { 'x-api-key': API_KEY });
  assert.equal(r.status, 200, r.text);
  return r.body.data.calls;
}

let srv;
before(async () => {
  dir = tempDir();
  const { compile } = await pluginSdk('plugin-sdk-authorizer');
  authorizerSo = await compile(join(root, 'plugins', 'examples', 'authorizer.c'), join(dir, 'authorizer.so'));
  srv = await startServer({ config: writeApp(), env: serverEnv() });
});
after(async () => {
  if (srv) assert.equal((await srv.stop()).code, 0, srv.stderr());
});

test('an allowed token: resolverContext reaches the resolver as claims; the authorizer sees the operation and headers', async () => {
  const r = await ask(srv, 'allow-ada', 'query Profile { whoami { mode user operation client } note { title body } secret }', { headers: { 'x-client': 'test-suite' }, body: { operationName: 'Profile' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, {
    data: { whoami: { mode: 'AWS_LAMBDA', user: 'ada', operation: 'Profile', client: 'test-suite' }, note: { title: 'Hello', body: 'private words' }, secret: 's3cret' },
  });
  // A field whose directives do not name Lambda is refused to a Lambda caller, served to a key.
  const key = await ask(srv, 'allow-ada', '{ keyOnly secret }');
  assert.deepEqual(key.body.data, { keyOnly: null, secret: 's3cret' });
  assert.deepEqual(key.body.errors.map((e) => [e.path.join('.'), e.errorType, e.message]), [['keyOnly', 'Unauthorized', 'Not Authorized to access keyOnly on type Query']]);
  const byKey = await post(srv.url, { query: '{ keyOnly }' }, { 'x-api-key': API_KEY });
  assert.deepEqual(byKey.body, { data: { keyOnly: 'for keys' } });
});

test('a denied token gets AppSync 401 with no data; so does a failing authorizer, never cached', async () => {
  for (const token of ['deny', 'allow-', 'Bearer allow-ada', 'fail']) {
    const r = await ask(srv, token, '{ note { title } }');
    assert.equal(r.status, 401, `${token}: ${r.text}`);
    assert.deepEqual(r.body, NOT_AUTHORIZED);
    assert.equal(r.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  }
  await ask(srv, 'fail', '{ secret }');
  await ask(srv, 'deny', '{ secret }');
  assert.equal(await calls(srv, 'fail'), 2); // a failure is not a decision: asked again
  assert.equal(await calls(srv, 'deny'), 1); // a denial is cached like an allowance
  assert.match(srv.stderr(), /AWS_LAMBDA: the authorizer failed: plugin auth, authorizer check: the session store is unreachable/);
  assert.doesNotMatch(srv.stderr(), /allow-ada/); // tokens never reach the log
});

test('deniedFields answer null with Unauthorized at their paths; the rest is served', async () => {
  const r = await ask(srv, 'limited-bob', '{ whoami { user } note { title body } secret n2: note { body } }');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.data, { whoami: { user: 'bob' }, note: { title: 'Hello', body: null }, secret: null, n2: { body: null } });
  assert.deepEqual(
    r.body.errors.map((e) => [e.path.join('.'), e.errorType, e.message]).sort(),
    [
      ['n2.body', 'Unauthorized', 'Not Authorized to access body on type Note'],
      ['note.body', 'Unauthorized', 'Not Authorized to access body on type Note'],
      ['secret', 'Unauthorized', 'Not Authorized to access secret on type Query'],
    ],
  );
  // Another token of the same thread is not affected by bob's denied fields.
  assert.deepEqual((await ask(srv, 'allow-carol', '{ secret }')).body, { data: { secret: 's3cret' } });
});

test('decisions are cached per token for ttl_s; ttlOverride shortens it', async () => {
  for (let i = 0; i < 8; i++) assert.equal((await ask(srv, 'allow-cached', '{ secret }')).status, 200);
  assert.equal(await calls(srv, 'allow-cached'), 1);
  // ttlOverride counts whole seconds of the clock, the one of the decision included (at most 1 s for
  // 1): ask twice just after a second begins, so that the second ask is not in the next one. Not in
  // its first 30 ms: graphgate reads time(2), whose clock advances at the kernel's tick (up to 10 ms
  // late), so an ask 1 ms into a second was counted in the one before (seen: 2 calls, not 1).
  const inSecond = () => Date.now() % 1000;
  while (inSecond() < 30 || inSecond() > 100) await new Promise((r) => setTimeout(r, 5));
  await ask(srv, 'short-sam', '{ secret }');
  await ask(srv, 'short-sam', '{ secret }');
  assert.equal(await calls(srv, 'short-sam'), 1);
  await new Promise((r) => setTimeout(r, 2100));
  const again = await ask(srv, 'short-sam', '{ whoami { user } }');
  assert.deepEqual(again.body, { data: { whoami: { user: 'sam' } } });
  assert.equal(await calls(srv, 'short-sam'), 2);
  assert.equal(await calls(srv, 'allow-cached'), 1); // still within its 300 s
});

test('mode selection: a JWT of the OIDC issuer is OIDC, an opaque token or a foreign JWT goes to the authorizer', async () => {
  const token = hs256Token(SECRET, { iss: ISSUER, sub: 'u1', user: 'jwt-user' });
  const r = await ask(srv, token, '{ whoami { mode user } }');
  assert.deepEqual(r.body, { data: { whoami: { mode: 'OPENID_CONNECT', user: 'jwt-user' } } });
  assert.equal(await calls(srv, token), 0);
  const foreign = hs256Token(SECRET, { iss: 'https://elsewhere.test', sub: 'u2' });
  const f = await ask(srv, foreign, '{ whoami { mode } }');
  assert.equal(f.status, 401);
  assert.equal(await calls(srv, foreign), 1);
  // x-api-key comes first, as AppSync: a key request never reaches the authorizer.
  const k = await post(srv.url, { query: '{ keyOnly }' }, { 'x-api-key': API_KEY, authorization: 'allow-keyed' });
  assert.deepEqual(k.body, { data: { keyOnly: 'for keys' } });
  assert.equal(await calls(srv, 'allow-keyed'), 0);
});

// Runs one operation over graphql-transport-ws with connectionParams; resolves to its results (or error).
async function overWebsocket(params, query) {
  const client = createClient({ url: srv.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, connectionParams: params, lazy: false, retryAttempts: 0, onNonLazyError: () => {} });
  try {
    return await new Promise((resolve) => {
      const out = [];
      client.subscribe({ query }, { next: (v) => out.push(v), error: (e) => resolve([...out, { error: e.code ?? e }]), complete: () => resolve(out) });
    });
  } finally {
    await client.dispose();
  }
}

// An AppSync real-time handshake with the credential in the header query parameter; resolves to the
// first message the server sends.
async function appsyncHandshake(authorization) {
  const header = Buffer.from(JSON.stringify({ host: 'localhost', Authorization: authorization })).toString('base64url');
  const ws = new WebSocket(`${srv.url.replace('http://', 'ws://')}/realtime`, ['graphql-ws', `header-${header}`]);
  const first = new Promise((resolve, reject) => {
    ws.on('message', (data) => resolve(JSON.parse(data.toString())));
    ws.on('error', reject);
  });
  await new Promise((res, rej) => {
    ws.on('open', res);
    ws.on('error', rej);
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  try {
    return await first;
  } finally {
    ws.close();
  }
}

test('websockets: the authorizer decides on the connection token, as over HTTP', async () => {
  const [limited, ...rest] = await overWebsocket({ Authorization: 'limited-wes' }, '{ whoami { mode user } secret }');
  assert.deepEqual(rest, []);
  assert.deepEqual(limited.data, { whoami: { mode: 'AWS_LAMBDA', user: 'wes' }, secret: null });
  assert.deepEqual(limited.errors.map((e) => [e.path.join('.'), e.errorType]), [['secret', 'Unauthorized']]);
  assert.deepEqual(await overWebsocket({ Authorization: 'deny' }, '{ secret }'), [{ error: 4403 }]);
  assert.equal(await calls(srv, 'limited-wes'), 1);
  const ack = await appsyncHandshake('allow-ws');
  assert.equal(ack.type, 'connection_ack', JSON.stringify(ack));
  assert.deepEqual(await appsyncHandshake('nobody'), {
    type: 'connection_error',
    payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401, message: 'You are not authorized to make this call.' }] },
  });
  assert.equal(await calls(srv, 'allow-ws'), 1);
  assert.equal(await calls(srv, 'nobody'), 1);
});

test('identity_validation_expression refuses before the authorizer; ttl_s 0 caches nothing', async () => {
  const s2 = await startServer({ config: writeApp({ lambda: { ttl_s: 0, identity_validation_expression: '(allow|limited|short)-[a-z]+|deny' } }), env: serverEnv() });
  try {
    for (const token of ['garbage!', 'allow-ad4', 'xallow-ada', 'allow-ada-x']) {
      const r = await ask(s2, token, '{ secret }');
      assert.equal(r.status, 401, token);
      assert.deepEqual(r.body, NOT_AUTHORIZED);
      assert.equal(await calls(s2, token), 0, token);
    }
    for (let i = 0; i < 3; i++) assert.deepEqual((await ask(s2, 'allow-zed', '{ secret }')).body, { data: { secret: 's3cret' } });
    assert.equal(await calls(s2, 'allow-zed'), 3);
  } finally {
    assert.equal((await s2.stop()).code, 0, s2.stderr());
  }
  assert.match(s2.stderr(), /the token does not match auth\.lambda\.identity_validation_expression/);
});

test('@sql statements read the resolverContext as :identity.claims', { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' }, async () => {
  const extraQuery = 'sqlWho: Who @sql(statement: "SELECT :identity.claims.user::text AS \\"user\\", :identity.claims.client::text AS client")';
  const s3 = await startServer({ config: writeApp({ extraQuery }), env: serverEnv({ GRAPHGATE_DATABASE_URL: dbUrl }) });
  try {
    const r = await ask(s3, 'allow-dora', '{ sqlWho { user client } }', { headers: { 'x-client': "it's me" } });
    assert.deepEqual(r.body, { data: { sqlWho: { user: 'dora', client: "it's me" } } });
  } finally {
    assert.equal((await s3.stop()).code, 0, s3.stderr());
  }
});

test('an asynchronous authorizer: session tokens looked up through the PostgreSQL pool', { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' }, async () => {
  const table = 'gg_it_authz_session';
  const made = await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c',
    `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id text PRIMARY KEY, user_name text NOT NULL); INSERT INTO ${table} VALUES ('s1', 'ella'), ('s2', 'finn')`]);
  assert.equal(made.code, 0, made.stderr);
  const s4 = await startServer({ config: writeApp({ plugin: { sessions_table: table } }), env: serverEnv({ GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_THREADS: '2' }) });
  try {
    const many = await Promise.all(Array.from({ length: 12 }, () => ask(s4, 'session-s1', '{ whoami { mode user } }')));
    for (const r of many) assert.deepEqual(r.body, { data: { whoami: { mode: 'AWS_LAMBDA', user: 'ella' } } });
    const n = await calls(s4, 'session-s1');
    assert.ok(n >= 1 && n <= 12, String(n)); // at most one per request; the cache keeps later ones away
    const unknown = await ask(s4, 'session-nobody', '{ secret }');
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, NOT_AUTHORIZED);
    // Websocket handshakes take synchronous answers only: refused at first, accepted once cached.
    const ws = s4.url.replace('http://', 'ws://');
    const once = async () => {
      const client = createClient({ url: ws, webSocketImpl: WebSocket, connectionParams: { Authorization: 'session-s2' }, lazy: false, retryAttempts: 0, onNonLazyError: () => {} });
      try {
        return await new Promise((resolve) => client.subscribe({ query: '{ whoami { user } }' }, { next: (v) => resolve(v), error: (e) => resolve({ error: e.code ?? e }), complete: () => {} }));
      } finally {
        await client.dispose();
      }
    };
    // Each thread caches its own answer, once its asynchronous lookup has come back: wait between tries.
    let answer = await once();
    for (let i = 0; i < 40 && answer.error === 4403; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await once();
    }
    assert.deepEqual(answer, { data: { whoami: { user: 'finn' } } });
  } finally {
    assert.equal((await s4.stop()).code, 0, s4.stderr());
    await run('psql', [dbUrl, '-qAt', '-c', `DROP TABLE IF EXISTS ${table}`]);
  }
  const s5 = await startServer({ config: writeApp({ plugin: { sessions_table: 'gg_it_authz_missing' } }), env: serverEnv({ GRAPHGATE_DATABASE_URL: dbUrl }) });
  try {
    const r = await ask(s5, 'session-s1', '{ secret }');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, NOT_AUTHORIZED);
  } finally {
    assert.equal((await s5.stop()).code, 0, s5.stderr());
  }
  assert.match(s5.stderr(), /the authorizer failed: plugin auth, authorizer check: session lookup: .*DatabaseError/);
});

test("Amplify @auth rules: allow custom is the Lambda caller's, checked inside the SQL", { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' }, async () => {
  const schemaText = `
type LambdaTodo @model @refersTo(name: "gg_it_authz_todo") @auth(rules: [{ allow: custom }, { allow: public, operations: [read] }]) {
  name: String!
}`;
  const s6 = await startModelServer({
    schema: schemaText,
    tables: 'gg_it_authz_todo',
    dbUrl,
    env: {
      ...serverEnv({ GRAPHGATE_AUTH_ADDITIONAL_MODES: 'API_KEY', GRAPHGATE_AUTH_LAMBDA_PLUGIN: 'auth', GRAPHGATE_AUTH_LAMBDA_RESOLVER: 'check' }),
      GRAPHGATE_PLUGINS: JSON.stringify({ auth: { path: authorizerSo } }),
    },
  });
  try {
    const made = await ask(s6, 'allow-gus', 'mutation { createLambdaTodo(input: {name: "by lambda"}) { name } }');
    assert.deepEqual(made.body, { data: { createLambdaTodo: { name: 'by lambda' } } });
    const byKey = await post(s6.url, { query: 'mutation { createLambdaTodo(input: {name: "by key"}) { name } }' }, { 'x-api-key': API_KEY });
    assert.equal(byKey.body.data.createLambdaTodo, null);
    assert.equal(byKey.body.errors[0].errorType, 'Unauthorized');
    const listed = await post(s6.url, { query: '{ listLambdaTodos { items { name } } }' }, { 'x-api-key': API_KEY });
    assert.deepEqual(listed.body, { data: { listLambdaTodos: { items: [{ name: 'by lambda' }] } } });
    assert.equal((await ask(s6, 'deny', '{ listLambdaTodos { items { name } } }')).status, 401);
  } finally {
    assert.equal((await s6.stop()).code, 0, s6.stderr());
    await run('psql', [dbUrl, '-qAt', '-c', 'DROP TABLE IF EXISTS gg_it_authz_todo CASCADE']);
  }
});

test('start-up stops with the reason: failing setup, unknown authorizer or plugin, no auth.lambda, bad expression', async () => {
  const check = (config, env = {}) => run(bin, ['--check', '-c', config], { env: { ...process.env, ...serverEnv(), ...env } });
  const cases = [
    [writeApp({ plugin: { fail_setup: true } }), /plugin "auth" \(.*authorizer\.so\): setup failed: config\.fail_setup is true: refusing to start/],
    [writeApp({ lambda: { resolver: 'nope' } }), /auth\.lambda\.resolver: plugin "auth" registers no authorizer named "nope"/],
    [writeApp({ lambda: { plugin: 'elsewhere' } }), /auth\.lambda\.plugin: no plugin named "elsewhere" is loaded/],
    [writeApp({ lambda: { plugin: '', resolver: '' } }), /AWS_LAMBDA mode is on: set auth\.lambda\.plugin/],
    [writeApp({ lambda: { identity_validation_expression: '(unclosed' } }), /auth\.lambda\.identity_validation_expression: not a valid regular expression/],
    [writeApp({ lambda: { ttl_s: 4000 } }), /auth\.lambda\.ttl_s/],
  ];
  for (const [config, pattern] of cases) {
    const r = await check(config);
    assert.equal(r.code, 2, `${pattern}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  // GRAPHGATE_AUTH_LAMBDA_* override the file, as every key.
  const r = await check(writeApp({ lambda: { resolver: 'nope' } }), { GRAPHGATE_AUTH_LAMBDA_RESOLVER: 'check' });
  assert.equal(r.code, 0, r.stderr);
});
