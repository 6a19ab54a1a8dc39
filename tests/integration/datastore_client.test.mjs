// datastore_client.test.mjs: the real Amplify DataStore client (npm @aws-amplify/datastore, Amplify
// JS v6) converges through graphgate (issue 17, appsync-compat.md §4). The test page
// (datastore_client/page.js) is bundled by esbuild with the models Amplify's own generator writes
// from the test schema (datastore_client/models.mjs) and runs in Debian's chromium, driven by npm
// playwright-core as console.test.mjs does. Two browser contexts are two devices, each with its
// own IndexedDB store; each reaches graphgate through a TCP proxy of its own here, so one device's
// sockets can be cut (and the browser told it is offline) while the other writes, then restored.
// Asserted, under AUTOMERGE and under OPTIMISTIC_CONCURRENCY with the app's conflict handler
// (DataStore.configure({conflictHandler})): after both devices saved, updated and deleted the same
// records, one of them offline, both local stores and the database hold the same live rows with
// the same _version, and each conflict ended as its handler says (§4.5); the device coming back
// within datastore.delta_ttl_min syncs only the changes, one offline longer than it re-syncs in
// full (a row nobody changed comes back in its syncX answer) and converges too. The data lives in
// this file's own table of the PostgreSQL of scripts/test.sh; skipped without a database.
// Richer shapes too (richer schema, tables gg_it_dsc_*): a composite primary key with @hasMany /
// @belongsTo onto it (saved with its parent, read through lazy relations, deleted with DataStore's
// cascade) and an owner model beside public ones, two OIDC users signed in under MULTI_AUTH: each
// store holds only its user's records, and DataStore's errorHandler hears nothing.
// GG_DEBUG=1 prints the steps and the pages' console as they happen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { hs256Callers, post, root, run, startModelServer, tempDir } from './helpers.mjs';
import { writeModels } from './datastore_client/models.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const KEY = `da2-${randomBytes(13).toString('hex')}`;
// Debian's /usr/bin/chromium is a shell script that execs this binary (and warns on stderr).
const browserPath = process.env.GG_CHROMIUM || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(existsSync);

const TABLE = 'gg_it_dsc_sticky';
const SCHEMA = `
type Sticky @model @auth(rules: [{ allow: public }]) {
  title: String!
  tags: [String]
  rank: Int
}
`;
const SERVED = SCHEMA.replace('@model', `@model @refersTo(name: "${TABLE}")`);

// Richer shapes, as apps have them: a composite primary key with @hasMany/@belongsTo onto it, and
// an owner model (OIDC users) next to public ones, which DataStore's MULTI_AUTH reaches with the
// API key and the user's token by turn.
const RICH_TABLES = 'gg_it_dsc_shelf, gg_it_dsc_book, gg_it_dsc_memo';
const RICH = `
type DscShelf @model @auth(rules: [{ allow: public }]) {
  room: String! @primaryKey(sortKeyFields: ["slot"])
  slot: Int!
  label: String
  books: [DscBook] @hasMany
}
type DscBook @model @auth(rules: [{ allow: public }]) {
  id: ID!
  title: String!
  shelf: DscShelf @belongsTo
}
type DscMemo @model @auth(rules: [{ allow: owner, provider: oidc, identityClaim: "sub" }]) {
  id: ID!
  text: String!
}
`;
const RICH_SERVED = RICH.replace(/type (Dsc(\w+)) @model/g, (_, type, name) => `type ${type} @model @refersTo(name: "gg_it_dsc_${name.toLowerCase()}")`);

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const mark = (what) => process.env.GG_DEBUG && console.error(`${Date.now() % 100000}: ${what}`);
let browser;
let bundle;

// The page bundled with the models Amplify's generator writes from sdl (the app's JavaScript).
async function bundleFor(sdl) {
  const models = writeModels(sdl, tempDir());
  const out = await build({
    entryPoints: [join(root, 'tests', 'integration', 'datastore_client', 'page.js')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    alias: { 'gg-models': join(models, 'index.js') },
    nodePaths: [join(root, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    minify: true,
    logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

before(async () => {
  if (skip) return;
  bundle = await bundleFor(SCHEMA);
  assert.ok(browserPath, 'chromium is installed (scripts/install-deps.sh)');
  browser = await chromium.launch({
    executablePath: browserPath,
    // The page comes from route.fulfill (no network address), so Chromium would count it as a
    // public page and block its websocket to loopback (Local Network Access): not what a device
    // served by its own origin meets.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--no-first-run', '--disable-gpu',
      '--disable-features=LocalNetworkAccessChecks'],
  });
});
after(async () => {
  await browser?.close();
  if (!skip) await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `DROP TABLE IF EXISTS ${TABLE}, ${RICH_TABLES} CASCADE`]);
});

// A TCP proxy on a port of its own in front of graphgate: cut() closes its listener and every
// connection through it (HTTP and the real-time websocket alike); open() listens again on the
// same port.
async function tcpProxy(target) {
  const sockets = new Set();
  let server;
  let port = 0;
  const open = () =>
    new Promise((res, rej) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', end);
          s.on('close', end);
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.on('error', rej);
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        res();
      });
    });
  const cut = () =>
    new Promise((res) => {
      server.close(() => res());
      for (const s of sockets) s.destroy();
      sockets.clear();
    });
  await open();
  return { open, cut, port: () => port };
}

// One device: a browser context (its own IndexedDB) with the page served at its proxy's origin
// (the page and graphgate share it: no CORS), every syncX answer kept in syncs.
async function device(srv, name, { merge = false, page: script = bundle, token } = {}) {
  mark(`${name} device`);
  const proxy = await tcpProxy(srv.port);
  const origin = `http://127.0.0.1:${proxy.port()}`;
  const context = await browser.newContext();
  await context.route(`${origin}/ds/**`, (route) =>
    route.request().url().endsWith('.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/ds/page.js"></script>' }),
  );
  // Amplify derives wss://host/graphql/realtime from the custom endpoint; this test server has no
  // TLS listener, so the page's socket class maps wss: back to ws: (as realtime.test.mjs does).
  // The page logs its DataStore Hub events (kept in log, shown when a device does not converge).
  await context.addInitScript(() => {
    window.ggLogHub = true;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(String(url).replace(/^wss:/, 'ws:'), protocols);
      }
    };
  });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${name} console.${m.type()}: ${m.text()}`));
  if (process.env.GG_DEBUG) page.on('console', (m) => console.error(`${name} ${Date.now() % 100000}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`${name} page error: ${e.message}`));
  const syncs = [];
  page.on('response', async (r) => {
    const body = r.request().postData();
    if (!body || !body.includes('syncStickies')) return;
    try {
      const request = JSON.parse(body);
      const answer = await r.json();
      syncs.push({ lastSync: request.variables?.lastSync ?? null, answer, at: Date.now() });
    } catch {
      /* a page closing */
    }
  });
  mark(`${name} page`);
  await page.goto(`${origin}/ds/index.html`);
  mark(`${name} loaded`);
  await page.evaluate((o) => window.gg.start(o), { endpoint: `${origin}/graphql`, apiKey: KEY, merge, token });
  const call = (fn, ...args) => page.evaluate(([f, a]) => window.gg[f](...a), [fn, args]);
  return {
    name,
    log,
    syncs,
    call,
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    rows: () => call('rows'),
    state: () => call('state'),
    async offline() {
      await context.setOffline(true);
      await proxy.cut();
    },
    async online() {
      await proxy.open();
      await context.setOffline(false);
    },
    async close() {
      await context.close();
      await proxy.cut();
    },
  };
}

// The database's live rows, shaped like the page's: the truth both stores must reach.
async function databaseRows() {
  const sql = `SELECT coalesce(json_agg(json_build_object('id', id::text, 'title', title, 'tags', tags, 'rank', rank,
      '_version', "_version", '_deleted', coalesce("_deleted", false)) ORDER BY id::text), '[]')
    FROM ${TABLE} WHERE NOT coalesce("_deleted", false)`;
  const r = await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Waits until every device's store holds the database's live rows (same fields, same _version)
// with its outbox empty; returns those rows, or fails showing who differs.
async function converged(devices, ms = 20000) {
  const deadline = Date.now() + ms;
  let db;
  let seen;
  for (;;) {
    db = await databaseRows();
    seen = await Promise.all(devices.map(async (d) => ({ rows: await d.rows(), state: await d.state() })));
    if (seen.every((s) => s.state.outboxEmpty && JSON.stringify(s.rows) === JSON.stringify(db))) return db;
    if (Date.now() > deadline) break;
    await wait(200);
  }
  for (let i = 0; i < devices.length; i++)
    assert.deepEqual(seen[i].rows, db, `${devices[i].name} differs from the database (outbox empty: ${seen[i].state.outboxEmpty});\n` +
      `events: ${seen[i].state.events.join(' ')}\n${devices[i].log.slice(-20).join('\n')}`);
  assert.fail('an outbox did not empty');
}

async function serve(handler, deltaTtlMin) {
  return startModelServer({
    schema: SERVED,
    tables: TABLE,
    dbUrl,
    settings: {
      // No purge timer: the short delta TTL case needs the log's changes to stay while B is away.
      datastore: { conflict_detection: 'VERSION', conflict_handler: handler, purge_interval_s: 0,
        ...(deltaTtlMin ? { delta_ttl_min: deltaTtlMin } : {}) },
    },
    env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: KEY },
  });
}

// A row written before the devices start (so both base-sync it) that nobody changes afterwards:
// a delta sync never carries it again, a full re-sync does.
async function untouched(srv) {
  const r = await post(srv.url, { query: 'mutation { createSticky(input: {title: "untouched", rank: 0}) { id _version } }' }, { 'x-api-key': KEY });
  assert.equal(r.body?.data?.createSticky?._version, 1, r.text);
  return r.body.data.createSticky.id;
}

// The items of every syncStickies answer device d got after its first `from` ones.
const syncedAfter = (d, from) => d.syncs.slice(from).flatMap((s) => s.answer.data.syncStickies.items);

// Runs scenario(srv, a, b) with two devices on a fresh server, then closes everything.
async function withDevices(handler, { merge = false, deltaTtlMin } = {}, scenario) {
  const srv = await serve(handler, deltaTtlMin);
  const devices = [];
  try {
    const still = await untouched(srv);
    const [a, b] = await Promise.all([device(srv, 'A'), device(srv, 'B', { merge })]);
    devices.push(a, b);
    return await scenario({ a, b, still });
  } finally {
    for (const d of devices) await d.close();
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
}

// Both devices write the same records, B offline meanwhile (A edits and deletes, B edits the row A
// just changed with its stale _version, edits and deletes others and creates one); returns what
// they converged to and the conflicts each app's handler was asked about.
async function offlineRound(handler, merge) {
  return withDevices(handler, { merge }, async ({ a, b, still }) => {
    const [n1, n2] = [await a.call('create', { title: 'one', tags: ['a'], rank: 1 }), await a.call('create', { title: 'two', rank: 2 })];
    const [n3, n4] = [await b.call('create', { title: 'three', tags: ['c'], rank: 3 }), await b.call('create', { title: 'four', rank: 4 })];
    let rows = await converged([a, b]);
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => r._version === 1), JSON.stringify(rows));

    await b.offline();
    await a.call('update', n1.id, { title: 'one by A', tags: ['a', 'x'] });
    await a.call('remove', n2.id);
    await converged([a]);
    await b.call('update', n1.id, { title: 'one by B', rank: 10 });
    await b.call('update', n3.id, { title: 'three by B' });
    await b.call('remove', n4.id);
    await b.call('create', { title: 'five', rank: 5 });
    const before = b.syncs.length;
    await b.online();
    rows = await converged([a, b]);

    assert.deepEqual(rows.map((r) => r.title).sort(), [merge ? 'one by B' : 'one by A', 'five', 'three by B', 'untouched'].sort());
    const one = rows.find((r) => r.id === n1.id);
    assert.equal(one._version, 3, JSON.stringify(one)); // created, A's update, B's write resolved against it
    assert.equal(rows.find((r) => r.id === n3.id)._version, 2);
    assert.equal(rows.find((r) => r.title === 'five')._version, 1);
    assert.equal(rows.find((r) => r.id === still)._version, 1);
    // Back within the delta TTL, B got the changes since its last sync only: A's edit and A's
    // delete (a tombstone), not the row nobody touched.
    const items = syncedAfter(b, before);
    assert.ok(items.some((i) => i.id === n2.id && i._deleted === true), JSON.stringify(items));
    assert.ok(items.some((i) => i.id === n1.id), JSON.stringify(items));
    assert.ok(!items.some((i) => i.id === still), `a delta sync, not a full one: ${JSON.stringify(items)}`);
    return { one, conflictsA: (await a.state()).conflicts, conflictsB: (await b.state()).conflicts };
  });
}

test('AUTOMERGE: two devices, one offline while the other writes, converge; the stale edit is merged (server scalars win)', { skip, timeout: 60000 }, async () => {
  const { one, conflictsA, conflictsB } = await offlineRound('AUTOMERGE', false);
  // §4.5: the server's title and rank exist, so they win; the merge still bumps _version.
  assert.deepEqual({ title: one.title, tags: one.tags, rank: one.rank }, { title: 'one by A', tags: ['a', 'x'], rank: 1 });
  assert.deepEqual(conflictsA, []); // the server resolved it: the apps' handlers are never asked
  assert.deepEqual(conflictsB, []);
});

test('OPTIMISTIC_CONCURRENCY: the app\'s conflict handler gets the server row and its merge wins', { skip, timeout: 60000 }, async () => {
  const { one, conflictsA, conflictsB } = await offlineRound('OPTIMISTIC_CONCURRENCY', true);
  assert.deepEqual({ title: one.title, tags: one.tags, rank: one.rank }, { title: 'one by B', tags: ['a', 'x'], rank: 10 });
  assert.deepEqual(conflictsA, []);
  assert.equal(conflictsB.length, 1, JSON.stringify(conflictsB));
  assert.equal(conflictsB[0].operation, 'UPDATE');
  // the server row came in errors[].data (§4.6): A's title and tags at A's _version
  assert.deepEqual({ title: conflictsB[0].remote.title, tags: conflictsB[0].remote.tags, _version: conflictsB[0].remote._version },
    { title: 'one by A', tags: ['a', 'x'], _version: 2 });
});

test('a device offline longer than datastore.delta_ttl_min re-syncs in full and converges', { skip, timeout: 60000 }, async () => {
  await withDevices('AUTOMERGE', { deltaTtlMin: 0.05 /* 3 s */ }, async ({ a, b, still }) => {
    const m1 = await a.call('create', { title: 'm1', rank: 1 });
    const m2 = await a.call('create', { title: 'm2', rank: 2 });
    await converged([a, b]);
    await b.offline();
    const left = Date.now();
    await a.call('update', m1.id, { title: 'm1 by A' });
    await a.call('remove', m2.id);
    await b.call('create', { title: 'm3 by B', rank: 3 });
    await converged([a]);
    await wait(Math.max(0, left + 4000 - Date.now()));
    const before = b.syncs.length;
    await b.online();
    const rows = await converged([a, b]);
    assert.deepEqual(rows.map((r) => r.title).sort(), ['m1 by A', 'm3 by B', 'untouched']);
    // B's lastSync is older than the delta TTL: its sync is a base scan, every row (the one
    // nobody touched included) and m2's tombstone.
    const items = syncedAfter(b, before);
    assert.ok(items.some((i) => i.id === still), `a full re-sync: ${JSON.stringify(items)}`);
    assert.ok(items.some((i) => i.id === m2.id && i._deleted === true), JSON.stringify(items));
    assert.ok(items.some((i) => i.id === m1.id && i.title === 'm1 by A'), JSON.stringify(items));
  });
});

// What a device holds of the richer models: shelves with their books (read through the lazy
// relation), each book's shelf, the memos (with owner), and what DataStore's errorHandler heard.
const richView = (d) =>
  d.evaluate(async () => {
    const { DataStore, models } = window.gg;
    const shelves = [];
    for (const s of await DataStore.query(models.DscShelf))
      shelves.push(`${s.room}/${s.slot}/${s.label}: ${(await s.books.toArray()).map((b) => b.title).sort().join(',')}`);
    const books = [];
    for (const b of await DataStore.query(models.DscBook)) books.push(`${b.title}@${(await b.shelf)?.label}`);
    const memos = (await DataStore.query(models.DscMemo)).map((m) => `${m.text}/${m.owner}`);
    return { shelves, books: books.sort(), memos: memos.sort(), errors: window.gg.state().errors };
  });

async function until(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last === true) return;
    await wait(200);
  }
  assert.fail(`${what}: ${JSON.stringify(last)}`);
}

test('richer shapes: a composite key with its relations, and two OIDC users\' owner records next to public models (MULTI_AUTH)', { skip, timeout: 60000 }, async () => {
  const page = await bundleFor(RICH);
  const callers = hs256Callers(tempDir());
  const srv = await startModelServer({
    schema: RICH_SERVED,
    tables: RICH_TABLES,
    dbUrl,
    settings: { datastore: { conflict_detection: 'VERSION', conflict_handler: 'AUTOMERGE', purge_interval_s: 0 } },
    env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: KEY, GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT', ...callers.env },
  });
  const devices = [];
  try {
    const [a, b] = await Promise.all([
      device(srv, 'alice', { page, token: callers.token({ sub: 'alice' }) }),
      device(srv, 'bob', { page, token: callers.token({ sub: 'bob' }) }),
    ]);
    devices.push(a, b);
    await a.evaluate(async () => {
      const { DataStore, models } = window.gg;
      const shelf = await DataStore.save(new models.DscShelf({ room: 'hall', slot: 2, label: 'top' }));
      await DataStore.save(new models.DscBook({ title: 'b1', shelf }));
      await DataStore.save(new models.DscBook({ title: 'b2', shelf }));
      await DataStore.save(new models.DscMemo({ text: 'memo a' }));
    });
    await b.evaluate(() => window.gg.DataStore.save(new window.gg.models.DscMemo({ text: 'memo b' })));
    // Each sees the shelf and its books (b by its subscriptions), and only its own memo.
    const memos = { alice: ['memo a/alice'], bob: ['memo b/bob'] };
    for (const d of [a, b])
      await until(`${d.name}'s store`, async () => {
        const v = await richView(d);
        const want = { shelves: ['hall/2/top: b1,b2'], books: ['b1@top', 'b2@top'], memos: memos[d.name], errors: [] };
        return JSON.stringify(v) === JSON.stringify(want) || v;
      });
    const owners = await run('psql', [dbUrl, '-qAt', '-c', 'SELECT string_agg(owner, \',\' ORDER BY owner) FROM gg_it_dsc_memo']);
    assert.equal(owners.stdout.trim(), 'alice,bob');

    // Bob deletes the shelf: DataStore deletes its books first; alice's store follows and the
    // database keeps the three as tombstones.
    await b.evaluate(async () => {
      const { DataStore, models } = window.gg;
      await DataStore.delete(await DataStore.query(models.DscShelf, { room: 'hall', slot: 2 }));
    });
    await until("alice's store after the delete", async () => {
      const v = await richView(a);
      return (v.shelves.length === 0 && v.books.length === 0 && v.errors.length === 0) || v;
    });
    const gone = await run('psql', [dbUrl, '-qAt', '-c',
      'SELECT (SELECT count(*) FROM gg_it_dsc_shelf WHERE "_deleted") + (SELECT count(*) FROM gg_it_dsc_book WHERE "_deleted")']);
    assert.equal(gone.stdout.trim(), '3');
  } finally {
    for (const d of devices) await d.close();
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
});
