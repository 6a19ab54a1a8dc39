// reload.test.mjs: SIGHUP reloads configuration, schema, plugins and API keys without dropping a
// connection (issue 14, Lifecycle). Under load (h2load over HTTP/2 and a Node client over HTTP/1.1
// keep-alive, both running across three reloads) no request fails and every answer comes whole from
// one generation; afterwards the added field is in introspection and answers. A reload with a broken
// schema, a plugin that is not there, or a plugin whose per-thread start fails keeps the old
// generation serving and logs the reason. A plugin rebuilt to a new path, or given a new config,
// answers after the reload, and the replaced generation's plugin shuts down once its requests ended.
// The API keys file re-read: the new key works, the removed key is refused. An open websocket
// connection keeps its generation (plugin, keys) until it closes; new ones get the new one. A key that needs a
// restart is named in a warning. With the PostgreSQL of scripts/test.sh, slow @sql requests started
// before a reload that removes their field finish on their generation, which is released only then.
// The test plugin is tests/integration/plugins/version.c.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, reload, root, run, startServer, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
let soDir;
const so = (name) => join(soDir, `${name}.so`);

before(async () => {
  soDir = tempDir();
  const source = join(root, 'tests', 'integration', 'plugins', 'version.c');
  const include = join(root, 'plugins', 'include');
  for (const v of ['v1', 'v2']) {
    const r = await run('cc', ['-shared', '-fPIC', `-I${include}`, '-I/usr/include/cjson', `-DPLUGIN_VERSION="${v}"`, source, '-o', so(v)]);
    assert.equal(r.code, 0, `cc ${source}: ${r.stderr}`);
  }
  const broken = join(root, 'tests', 'integration', 'plugins', 'broken.c');
  const r = await run('cc', ['-shared', '-fPIC', `-I${include}`, '-I/usr/include/cjson', broken, '-o', so('broken')]);
  assert.equal(r.code, 0, `cc ${broken}: ${r.stderr}`);
});

const BASE_SCHEMA = `type Query {
  hello: String
  version: String @function(name: "version.version")
  setting: String @function(name: "version.setting")
}
`;
const ADDED_SCHEMA = BASE_SCHEMA.replace('hello: String', 'hello: String\n  added: String');

// An app directory whose files the tests rewrite between reloads (the config path stays).
function makeApp() {
  const dir = tempDir();
  const config = join(dir, 'graphgate.json');
  const app = {
    dir,
    config,
    write({ schema = BASE_SCHEMA, plugin = so('v1'), pluginConfig = {}, extra = {} } = {}) {
      writeFileSync(join(dir, 'schema.graphql'), schema);
      writeFileSync(join(dir, 'data.json'), JSON.stringify({ hello: 'world', added: 'new field' }));
      writeFileSync(config, JSON.stringify({
        schema: ['schema.graphql'], static_data_file: 'data.json', threads: 2, access_log: false,
        plugins: { version: { path: plugin, config: pluginConfig } }, ...extra,
      }));
    },
  };
  app.write();
  return app;
}

const count = (text, re) => (text.match(new RegExp(re.source, 'g')) || []).length;

async function waitFor(srv, re) {
  for (let i = 0; i < 100; i++) {
    if (re.test(srv.stderr())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(srv.stderr(), re);
}

const ask = async (srv, query, headers) => post(srv.url, { query }, headers);

test('SIGHUP under load: no request fails, the new schema and plugin answer afterwards', async () => {
  const app = makeApp();
  const srv = await startServer({ config: app.config });
  try {
    const body = join(app.dir, 'request.json');
    writeFileSync(body, JSON.stringify({ query: '{ hello version }' }));
    // HTTP/2 (h2c prior knowledge) from h2load, for as long as the reloads take
    const h2load = spawn('h2load', ['-D', '4', '-c', '8', '-m', '4', '-t', '1', '-d', body,
      '-H', 'content-type: application/json', srv.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let h2out = '';
    h2load.stdout.on('data', (d) => (h2out += d));
    const h2done = new Promise((res) => h2load.on('exit', (code) => res(code)));
    // HTTP/1.1 keep-alive from Node: every body must be one generation's whole answer
    let stop = false;
    const answers = { v1: 0, v2: 0 };
    const failures = [];
    const client = async () => {
      while (!stop) {
        try {
          const r = await ask(srv, '{ hello version }');
          const v = r.body?.data?.version;
          if (r.status !== 200 || r.body.errors || r.body.data.hello !== 'world' || !(v in answers))
            failures.push(`${r.status} ${r.text}`);
          else answers[v]++;
        } catch (e) {
          failures.push(String(e));
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 700));
    app.write({ schema: ADDED_SCHEMA, plugin: so('v2') });
    assert.equal(await reload(srv), 'done');
    await new Promise((r) => setTimeout(r, 700));
    app.write({ schema: ADDED_SCHEMA, plugin: so('v2'), pluginConfig: { setting: 'second' } });
    assert.equal(await reload(srv), 'done');
    await new Promise((r) => setTimeout(r, 700));
    app.write({ schema: ADDED_SCHEMA, plugin: so('v2'), pluginConfig: { setting: 'third' } });
    assert.equal(await reload(srv), 'done');
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(clients);
    assert.equal(await h2done, 0, h2out);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failed requests`);
    assert.ok(answers.v1 > 0 && answers.v2 > 0, JSON.stringify(answers));
    const m = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(h2out);
    assert.ok(m, h2out);
    assert.ok(Number(m[3]) > 100, h2out);
    assert.equal(m[4], m[3], h2out); // every request done succeeded
    assert.deepEqual([m[5], m[6], m[7]], ['0', '0', '0'], h2out);
    assert.match(h2out, new RegExp(`status codes: ${m[3]} 2xx`), h2out);

    // the fourth generation serves: the added field, the new plugin file, its new config
    const r = await ask(srv, '{ added version setting __type(name: "Query") { fields { name } } }');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errors, undefined, r.text);
    assert.equal(r.body.data.added, 'new field');
    assert.equal(r.body.data.version, 'v2');
    assert.equal(r.body.data.setting, 'third');
    assert.ok(r.body.data.__type.fields.some((f) => f.name === 'added'), r.text);
    assert.match(srv.stderr(), /generation 4 serves new requests/);
    // generations 2 and 3 are freed once idle (their plugin's shutdown runs); the start-up one
    // stays for the websocket endpoint
    await waitFor(srv, /generation 2 released/);
    await waitFor(srv, /generation 3 released/);
    assert.ok(count(srv.stderr(), /version plugin v2: shut down/) >= 2, srv.stderr());
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
  assert.match(srv.stderr(), /version plugin v1: shut down/); // at exit, the start-up generation
});

test('a reload that fails keeps the old generation serving and logs why', async () => {
  const app = makeApp();
  const srv = await startServer({ config: app.config });
  try {
    // a schema that does not parse: the reason names the file and the place
    app.write({ schema: `${BASE_SCHEMA}type Broken {\n  field: NoSuchType\n}\n` });
    const bad = await reload(srv);
    assert.match(bad, /reload failed, the previous configuration keeps serving: .*schema\.graphql.*NoSuchType/);
    let r = await ask(srv, '{ hello version }');
    assert.deepEqual(r.body, { data: { hello: 'world', version: 'v1' } });

    // a plugin file that is not there
    app.write({ plugin: join(soDir, 'missing.so') });
    assert.match(await reload(srv), /reload failed.*missing\.so/);
    // a plugin whose per-thread start fails on the workers: prepared views are dropped
    app.write({ extra: { plugins: { version: { path: so('v2') }, broken: { path: so('broken'), config: { fail_thread_start: true } } } } });
    assert.match(await reload(srv), /reload failed.*thread \d+: plugin "broken".*thread start failed: this thread cannot start/);
    // a configuration that does not load
    writeFileSync(app.config, '{"schema": ["schema.graphql"], ');
    assert.match(await reload(srv), /reload failed.*invalid JSON/);
    r = await ask(srv, '{ hello version }');
    assert.deepEqual(r.body, { data: { hello: 'world', version: 'v1' } });

    // once fixed, the next reload succeeds (the failed ones used no generation number)
    app.write({ plugin: so('v2'), extra: { http: { max_body_bytes: 123456 } } });
    assert.equal(await reload(srv), 'done');
    assert.match(srv.stderr(), /generation 2 serves new requests/);
    r = await ask(srv, '{ hello version }');
    assert.deepEqual(r.body, { data: { hello: 'world', version: 'v2' } });
    // a key only a restart applies is named
    assert.match(srv.stderr(), /key "http\.max_body_bytes" changed: it applies at the next restart/);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});

test('a reload re-reads the API keys file: the new key works, the removed one is refused', async () => {
  const app = makeApp();
  const keys = join(app.dir, 'api-keys');
  const oldKey = 'da2-old-key-0123456789abcdef';
  const newKey = 'da2-new-key-fedcba9876543210';
  writeFileSync(keys, `# the first key\n${oldKey}\n`);
  app.write({ extra: { auth: { default_mode: 'API_KEY', api_keys_file: 'api-keys' } } });
  const srv = await startServer({ config: app.config, env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' } });
  try {
    assert.equal((await ask(srv, '{ hello }', { 'x-api-key': oldKey })).status, 200);
    assert.equal((await ask(srv, '{ hello }', { 'x-api-key': newKey })).status, 401);
    writeFileSync(keys, `# rotated\n${newKey}\n`);
    assert.equal(await reload(srv), 'done');
    const good = await ask(srv, '{ hello }', { 'x-api-key': newKey });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.body, { data: { hello: 'world' } });
    const gone = await ask(srv, '{ hello }', { 'x-api-key': oldKey });
    assert.equal(gone.status, 401, gone.text);
    assert.match(gone.text, /UnauthorizedException/);
    // an empty keys file makes API_KEY incomplete: refused, the rotated key keeps working
    writeFileSync(keys, '# nothing\n');
    assert.match(await reload(srv), /reload failed/);
    assert.equal((await ask(srv, '{ hello }', { 'x-api-key': newKey })).status, 200);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});

// A graphql-transport-ws connection initialised with an API key: resolves to { query, close } once
// acknowledged, or to { closed: code } when the server closes it instead.
function wsConnect(url, apiKey) {
  const ws = new WebSocket(url, ['graphql-transport-ws']);
  const waiting = new Map();
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': apiKey } })));
    ws.on('close', (code) => resolve({ closed: code }));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'connection_ack') {
        resolve({
          query: (id, query) => new Promise((res) => {
            waiting.set(id, res);
            ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
          }),
          close: () => new Promise((res) => {
            ws.on('close', res);
            ws.close();
          }),
        });
      } else if (m.type === 'next') {
        waiting.get(m.id)?.(m.payload);
      }
    });
  });
}

test('an open websocket connection keeps its generation; new connections get the new one', async () => {
  const app = makeApp();
  const keys = join(app.dir, 'api-keys');
  const oldKey = 'da2-old-key-0123456789abcdef';
  const newKey = 'da2-new-key-fedcba9876543210';
  writeFileSync(keys, `${oldKey}\n`);
  app.write({ extra: { auth: { default_mode: 'API_KEY', api_keys_file: 'api-keys' } } });
  const srv = await startServer({ config: app.config, env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' } });
  const wsUrl = srv.url.replace(/^http/, 'ws');
  try {
    const opened = await wsConnect(wsUrl, oldKey);
    assert.ok(opened.query, `connection refused: ${opened.closed}`);
    assert.deepEqual(await opened.query('1', '{ version }'), { data: { version: 'v1' } });
    writeFileSync(keys, `${newKey}\n`);
    app.write({ plugin: so('v2'), extra: { auth: { default_mode: 'API_KEY', api_keys_file: 'api-keys' } } });
    assert.equal(await reload(srv), 'done');
    // HTTP and new websocket connections: the new plugin and keys
    assert.deepEqual((await ask(srv, '{ version }', { 'x-api-key': newKey })).body, { data: { version: 'v2' } });
    assert.deepEqual(await wsConnect(wsUrl, oldKey), { closed: 4403 });
    const fresh = await wsConnect(wsUrl, newKey);
    assert.ok(fresh.query, `connection refused: ${fresh.closed}`);
    assert.deepEqual(await fresh.query('1', '{ version }'), { data: { version: 'v2' } });
    // the connection opened before the reload answers from its own generation
    assert.deepEqual(await opened.query('2', '{ version }'), { data: { version: 'v1' } });
    await new Promise((r) => setTimeout(r, 1500));
    assert.doesNotMatch(srv.stderr(), /generation 1 released/); // the open connection holds it
    await opened.close();
    await waitFor(srv, /generation 1 released/);
    assert.match(srv.stderr(), /version plugin v1: shut down/);
    await fresh.close();
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});

test('requests in flight finish on the generation they began on', {
  skip: !dbUrl && 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)',
}, async () => {
  const app = makeApp();
  const slowSchema = BASE_SCHEMA.replace('hello: String',
    'hello: String\n  slow: String @sql(statement: "SELECT \'answered\' FROM pg_sleep(3)")');
  const srv = await startServer({ config: app.config, env: { GRAPHGATE_DATABASE_URL: dbUrl } });
  try {
    app.write({ schema: slowSchema });
    assert.equal(await reload(srv), 'done'); // generation 2 has the slow field
    const slow = Array.from({ length: 6 }, () => ask(srv, '{ slow version }'));
    await new Promise((r) => setTimeout(r, 400));
    app.write({ plugin: so('v2') }); // generation 3: no slow field, the other plugin file
    assert.equal(await reload(srv), 'done');
    assert.doesNotMatch(srv.stderr(), /generation 2 released/); // its requests still run
    const now = await ask(srv, '{ slow }');
    assert.match(now.text, /Cannot query field \\"slow\\" on type \\"Query\\"/);
    assert.deepEqual((await ask(srv, '{ version }')).body, { data: { version: 'v2' } });
    for (const r of await Promise.all(slow)) assert.deepEqual(r.body, { data: { slow: 'answered', version: 'v1' } }, r.text);
    await waitFor(srv, /generation 2 released/);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});
