// plugins_pipeline.test.mjs: pipeline resolvers and blocking resolvers (issue 14), with the example
// plugins plugins/examples/pipeline.c and blocking.c built out of tree against the INSTALLED header
// (plugin_sdk.mjs) and loaded by the real binary.
//  - A pipeline (the resolvers map's {"pipeline": [...]}) runs a plugin step that writes the stash,
//    a SQL step that inserts a row from the stash and an argument, a @model get by the previous
//    step's id, and a plugin step that reads the stash and the previous result; an error in the SQL
//    step (step 2) ends the pipeline at the field and the last step never runs. Bad pipelines stop
//    start-up with the reason.
//  - Blocking resolvers run on the bounded worker pool: a fast query on the same (single) event loop
//    answers while blocking calls are in flight, no more calls run at once than
//    plugins_worker_threads, their errors are field errors, and a shutdown with blocking calls in
//    flight and queued exits cleanly.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, hs256Token, post, root, run, startModelServer, startServer, tempDir } from './helpers.mjs';
import { pluginSdk } from './plugin_sdk.mjs';

let pipelineSo;
let blockingSo;

before(async () => {
  const dir = tempDir();
  const { compile } = await pluginSdk('plugin-sdk-pipeline');
  pipelineSo = await compile(join(root, 'plugins', 'examples', 'pipeline.c'), join(dir, 'pipeline.so'));
  blockingSo = await compile(join(root, 'plugins', 'examples', 'blocking.c'), join(dir, 'blocking.so'));
});

async function query(url, q) {
  const r = await post(url, { query: q });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// ---- pipelines ----

const PIPELINE_SCHEMA = `
type Post @model { id: ID! title: String! }
type Publication { post: Post slug: String! steps: Int! }
type Query { finishCount: Int titleCount(prefix: String): Int }
type Mutation { publish(title: String!): Publication }
`;

const PUBLISH = {
  pipeline: [
    { plugin: 'pipeline', resolver: 'prepare' },
    { sql: 'INSERT INTO "Post" (id, title, "createdAt", "updatedAt") VALUES (:stash.slug, :args.title, now(), now()) RETURNING id' },
    { model: 'Post', get: { id: 'prev.id' } },
    { plugin: 'pipeline', resolver: 'finish' },
  ],
};

// Two SQL steps: the rows of the first (a list) are the second's :prev, bound as JSON.
const TITLE_COUNT = {
  pipeline: [
    { sql: 'SELECT title FROM "Post" WHERE title LIKE :prefix || \'%\' ORDER BY title', result: 'rows' },
    { sql: 'SELECT count(*)::int AS n FROM jsonb_array_elements(:prev::jsonb)', result: 'value' },
  ],
};

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const needsDb = { skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' };

test('a pipeline: plugin step, SQL step, @model get, plugin step reading the stash and the previous result; an error in step 2 ends it', needsDb, async () => {
  const srv = await startModelServer({
    schema: PIPELINE_SCHEMA,
    tables: '"Post"',
    dbUrl,
    env: {
      GRAPHGATE_PLUGINS: JSON.stringify({ pipeline: { path: pipelineSo } }),
      GRAPHGATE_RESOLVERS: JSON.stringify({ 'Query.finishCount': { plugin: 'pipeline', resolver: 'finishCount' }, 'Mutation.publish': PUBLISH, 'Query.titleCount': TITLE_COUNT }),
    },
  });
  try {
    const published = await query(srv.url, 'mutation { publish(title: "Hello, Pipeline World!") { slug steps post { id title createdAt } } }');
    assert.equal(published.errors, undefined, JSON.stringify(published));
    const { slug, steps, post: row } = published.data.publish;
    assert.equal(slug, 'hello-pipeline-world'); // step 1 wrote it to the stash, step 4 read it there
    assert.equal(steps, 2); // stash.steps (1, from step 1) + 1
    assert.equal(row.id, 'hello-pipeline-world'); // step 2 inserted with the stash's slug, step 3 read it back
    assert.equal(row.title, 'Hello, Pipeline World!');
    assert.match(row.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/); // the @model get's AppSync format
    const stored = await query(srv.url, '{ getPost(id: "hello-pipeline-world") { title } }');
    assert.deepEqual(stored.data, { getPost: { title: 'Hello, Pipeline World!' } });
    assert.deepEqual((await query(srv.url, '{ finishCount }')).data, { finishCount: 1 });
    assert.deepEqual((await query(srv.url, '{ a: titleCount(prefix: "Hello") b: titleCount(prefix: "Bye") }')).data, { a: 1, b: 0 });

    // The same title again: step 2's INSERT meets the primary key, the pipeline stops there.
    const again = await query(srv.url, 'mutation { publish(title: "hello pipeline world") { slug steps } }');
    assert.deepEqual(again.data, { publish: null });
    assert.equal(again.errors.length, 1, JSON.stringify(again));
    assert.deepEqual(again.errors[0].path, ['publish']);
    assert.equal(again.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
    assert.deepEqual((await query(srv.url, '{ finishCount }')).data, { finishCount: 1 }, 'step 4 never ran');

    // An error in step 1 (a plugin's) ends it too, with the plugin's errorType.
    const empty = await query(srv.url, 'mutation { publish(title: "") { slug } }');
    assert.deepEqual(empty.data, { publish: null });
    assert.equal(empty.errors[0].errorType, 'BadInput');
    assert.equal(empty.errors[0].message, 'A title is needed.');
  } finally {
    await srv.stop();
  }
});

test('bad pipelines stop start-up with the reason', async () => {
  const appDir = tempDir();
  writeFileSync(join(appDir, 'schema.graphql'), 'type Query { a(x: Int): Int b: Int }');
  const check = async (resolvers) => {
    const config = join(appDir, 'graphgate.json');
    writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], plugins: { pipeline: { path: pipelineSo } }, resolvers }));
    return run(bin, ['--check', '-c', config], { env: { ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  };
  const cases = [
    [{ 'Query.a': { pipeline: [] } }, /key "resolvers\.Query\.a"\.pipeline: expected a list of 1 to 10 steps/],
    [{ 'Query.a': { pipeline: [{ plugin: 'pipeline', resolver: 'nope' }] } }, /pipeline\[0\]: plugin "pipeline" has no resolver named "nope"/],
    [{ 'Query.a': { pipeline: [{ sql: 'SELECT :y' }] } }, /pipeline\[0\]: :y names no argument of the field/],
    [{ 'Query.a': { pipeline: [{ sql: 'SELECT :identity.nose' }] } }, /pipeline\[0\]: unknown :identity\.nose/],
    [{ 'Query.a': { pipeline: [{ sql: 'SELECT 1', result: 'many' }] } }, /"result" is "row", "rows" or "value"/],
    [{ 'Query.a': { pipeline: [{ model: 'Post', get: { id: 'args.x' } }] } }, /pipeline\[0\]: the schema has no @model types/],
    [{ 'Query.a': { pipeline: [{ lambda: 'x' }] } }, /pipeline\[0\]: a step is plugin and resolver, sql \(and result\), or model and get/],
    [{ 'Query.a': { pipeline: [{ sql: 'SELECT 1' }], plugin: 'pipeline' } }, /key "resolvers\.Query\.a"\.plugin: unknown key/],
  ];
  for (const [resolvers, expected] of cases) {
    const r = await check(resolvers);
    assert.equal(r.code, 2, `${JSON.stringify(resolvers)}: ${r.stderr}`);
    assert.match(r.stderr, expected);
  }
  const fine = await check({ 'Query.a': { pipeline: [{ sql: 'SELECT :x + 1', result: 'value' }, { plugin: 'pipeline', resolver: 'finishCount' }] } });
  assert.equal(fine.code, 0, fine.stderr);
});

test('several @function directives are a pipeline, and a blocking step keeps the stash for the next', async () => {
  const appDir = tempDir();
  writeFileSync(join(appDir, 'schema.graphql'), `
type Result { post: Int slug: String steps: Int }
type Query {
  slugged(title: String!, ms: Int!): Result
    @function(name: "pipeline.prepare-\${env}") @function(name: "blocking.pause") @function(name: "pipeline.finish")
}`);
  const config = join(appDir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], plugins: { pipeline: { path: pipelineSo }, blocking: { path: blockingSo } } }));
  const srv = await startServer({ config });
  try {
    const r = await query(srv.url, '{ slugged(title: "Two Steps, One Stash", ms: 20) { post slug steps } }');
    // finish saw pause's result as the previous one, and prepare's stash across the worker thread.
    assert.deepEqual(r, { data: { slugged: { post: 20, slug: 'two-steps-one-stash', steps: 2 } } });
    const failed = await query(srv.url, '{ slugged(title: "x", ms: -5) { post } }');
    assert.deepEqual(failed.data, { slugged: null });
    assert.equal(failed.errors[0].errorType, 'BadInput'); // the blocking step's error ends the pipeline
  } finally {
    await srv.stop();
  }
});

// ---- blocking resolvers on the worker pool ----

const BLOCKING_SCHEMA = `
type Query {
  lookup(host: String!): String @function(name: "blocking.lookup")
  pause(ms: Int!): Int @function(name: "blocking.pause")
  peakConcurrency: Int @function(name: "blocking.peakConcurrency")
  whoami: String @function(name: "blocking.whoami")
  fast: String
}
`;

function writeBlockingApp(extra = {}) {
  const appDir = tempDir();
  writeFileSync(join(appDir, 'schema.graphql'), BLOCKING_SCHEMA);
  writeFileSync(join(appDir, 'data.json'), JSON.stringify({ fast: 'served' }));
  const config = join(appDir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], static_data_file: 'data.json', plugins: { blocking: { path: blockingSo } }, ...extra }));
  return config;
}

test("a blocking resolver reads the caller's identity and claims on its worker thread", async () => {
  const secret = 'a-test-secret-of-at-least-32-bytes-long!';
  const secretFile = join(tempDir(), 'hs.secret');
  writeFileSync(secretFile, secret);
  const issuer = 'https://issuer.blocking.test';
  const config = writeBlockingApp({ auth: { default_mode: 'OPENID_CONNECT', oidc: { issuer, hs256_secret_file: secretFile } } });
  const srv = await startServer({ config, env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT', GRAPHGATE_THREADS: '1' } });
  try {
    // The same token on one loop: every call shares one cached identity, whose claims are read on
    // worker threads while the loop serves the other requests.
    const token = hs256Token(secret, { iss: issuer, sub: 'user-9', email: 'ada@example.com' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(srv.url, { query: '{ whoami }' }, { authorization: token })));
    for (const r of answers) assert.deepEqual(r.body, { data: { whoami: 'user-9 ada@example.com 127.0.0.1' } });
  } finally {
    assert.equal((await srv.stop()).code, 0, srv.stderr());
  }
});

test('blocking resolvers answer from the worker pool; their errors are field errors', async () => {
  const srv = await startServer({ config: writeBlockingApp() });
  try {
    const r = await query(srv.url, '{ lookup(host: "localhost") pause(ms: 5) fast }');
    assert.equal(r.errors, undefined, JSON.stringify(r));
    assert.ok(['127.0.0.1', '::1'].includes(r.data.lookup), r.data.lookup);
    assert.equal(r.data.pause, 5);
    assert.equal(r.data.fast, 'served');

    const bad = await query(srv.url, '{ pause(ms: -1) fast lookup(host: "no-such-host.invalid") }');
    assert.deepEqual(bad.data, { pause: null, fast: 'served', lookup: null });
    const byPath = Object.fromEntries(bad.errors.map((e) => [e.path[0], e]));
    assert.equal(byPath.pause.errorType, 'BadInput');
    assert.equal(byPath.pause.message, 'ms must be between 0 and 10000, not -1');
    assert.equal(byPath.lookup.errorType, 'LookupFailed');
    assert.match(byPath.lookup.message, /^no-such-host\.invalid does not resolve: /);
  } finally {
    await srv.stop();
  }
});

test('blocking calls do not block their event loop, and no more run at once than plugins_worker_threads', async () => {
  // One event loop: were the pauses run on it, the fast query would wait behind them.
  const srv = await startServer({ config: writeBlockingApp(), env: { GRAPHGATE_THREADS: '1', GRAPHGATE_PLUGINS_WORKER_THREADS: '2' } });
  try {
    const order = [];
    const pauses = Array.from({ length: 6 }, (_, i) =>
      query(srv.url, '{ pause(ms: 1000) }').then((r) => {
        order.push(`pause${i}`);
        return r;
      }));
    await new Promise((res) => setTimeout(res, 100));
    const fast = await query(srv.url, '{ fast }');
    order.push('fast');
    assert.deepEqual(fast.data, { fast: 'served' });
    for (const r of await Promise.all(pauses)) assert.deepEqual(r, { data: { pause: 1000 } });
    assert.equal(order[0], 'fast', `the fast query answered first: ${order.join(', ')}`);
    // Six calls at once, two worker threads: two ran at a time, never more.
    assert.deepEqual((await query(srv.url, '{ peakConcurrency }')).data, { peakConcurrency: 2 });
  } finally {
    await srv.stop();
  }
});

test('a shutdown with blocking calls running and queued exits cleanly', async () => {
  const srv = await startServer({
    config: writeBlockingApp(),
    env: { GRAPHGATE_THREADS: '1', GRAPHGATE_PLUGINS_WORKER_THREADS: '1', GRAPHGATE_HTTP_SHUTDOWN_TIMEOUT_MS: '100' },
  });
  // One worker, ten calls of 700 ms: one runs, the others wait in the queue. SIGTERM comes, the
  // server closes its connections after 100 ms and gives up on them about 2 s later: calls are
  // still queued then, and fail without running, while the running one is waited for.
  const calls = Array.from({ length: 10 }, () => post(srv.url, { query: '{ pause(ms: 700) }' }).catch((e) => e));
  await new Promise((res) => setTimeout(res, 300));
  srv.proc.kill('SIGTERM');
  const { code, signal } = await srv.exited;
  await Promise.all(calls);
  assert.equal(signal, null, srv.stderr());
  assert.equal(code, 0, srv.stderr());
  assert.doesNotMatch(srv.stderr(), /AddressSanitizer|runtime error|LeakSanitizer/);
  // The call running finished first; those still queued never ran.
  assert.match(srv.stderr(), /plugins: \d+ blocking calls? still queued at shutdown fails? with ServiceUnavailable/);
});
