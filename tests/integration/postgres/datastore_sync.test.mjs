// datastore_sync.test.mjs: syncX, the query Amplify DataStore pages its local store with (issue 17,
// appsync-compat.md §4.3), through the real graphgate binary over HTTP, for both plans (database.plan
// rows and json). The model has an owner rule; callers are OIDC users (HS256 tokens made here).
// Rows, tombstones and the change log (graphgate_changes) are written with psql, so what is checked
// is syncX alone, and once through the versioned mutations (ds-write) that fill the log. Asserted: a base page (no lastSync, or one older than datastore.delta_ttl_min) is
// every row of the caller, tombstones included, and never another user's; a delta page is the rows
// whose keys were logged since lastSync; a lastSync just inside the TTL gives a delta, the same
// lastSync once the TTL has passed a base page; pages cover every row once, startedAt is the same on
// every page and is the time page 1 was asked; the filter narrows and cannot widen the owner rule;
// limit defaults to 100; items select their @belongsTo row; a composite primary key pages and finds
// its logged keys; a tampered nextToken, a listX token, another model's token, a lastSync in
// the future, a lastSync other than page 1's and a negative limit are refused with their errorType.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, hs256Callers, post, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const SCHEMA = `
type Item @model @refersTo(name: "gg_it_sync_item") @auth(rules: [{ allow: owner, provider: oidc }]) {
  title: String!
  rank: Int
  owner: String
  others: [Other] @hasMany(references: ["itemId"])
}
type Other @model @refersTo(name: "gg_it_sync_other") @auth(rules: [{ allow: owner, provider: oidc }]) {
  name: String
  owner: String
  itemId: ID
  item: Item @belongsTo(references: ["itemId"])
}
type Pair @model @refersTo(name: "gg_it_sync_pair") @auth(rules: [{ allow: owner, provider: oidc }]) {
  shelf: String! @primaryKey(sortKeyFields: ["slot"])
  slot: Int!
  label: String
  owner: String
}
`;
const TABLES = 'gg_it_sync_item, gg_it_sync_other, gg_it_sync_pair';
const TTL_MIN = 0.1; // datastore.delta_ttl_min: 6 s
const TTL_MS = TTL_MIN * 60000;
const SYNC_OVERLAP_MS = 1000; // datastore_sync.c: startedAt is set back by this much

const dir = tempDir();
const callers = hs256Callers(dir);
const user = (sub) => ({ Authorization: callers.token({ sub }) });
const USER_A = user('user-a');
const USER_B = user('user-b');
const USER_C = user('user-c');
const USER_D = user('user-d'); // writes through the API

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const servers = {};

async function gql(srv, headers, query, variables) {
  const r = await post(srv.url, { query, variables }, headers);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// DataStore's own document (datastore/src/sync/utils.ts, buildGraphQLOperation('LIST')).
const SYNC = `query operation($limit: Int, $nextToken: String, $lastSync: AWSTimestamp, $filter: ModelItemFilterInput) {
  syncItems(limit: $limit, nextToken: $nextToken, lastSync: $lastSync, filter: $filter) {
    items { id title rank owner _version _lastChangedAt _deleted }
    nextToken
    startedAt
  }
}`;

async function syncPage(srv, headers, variables) {
  const r = await gql(srv, headers, SYNC, variables);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.syncItems;
}

// Every page of one sync: { items (all pages, in order), startedAts, pages }.
async function syncAll(srv, headers, variables) {
  const items = [];
  const startedAts = [];
  let nextToken = null;
  let pages = 0;
  do {
    const page = await syncPage(srv, headers, { ...variables, nextToken });
    items.push(...page.items);
    startedAts.push(page.startedAt);
    nextToken = page.nextToken;
    pages++;
    assert.ok(pages < 500, 'the pages never end');
  } while (nextToken !== null);
  return { items, startedAts, pages };
}

async function syncError(srv, headers, variables, query = SYNC) {
  const r = await gql(srv, headers, query, variables);
  assert.ok(r.errors && r.errors.length === 1, JSON.stringify(r));
  return { errorType: r.errors[0].errorType, message: r.errors[0].message };
}

const A_IDS = ['a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07'];
const ids = (items) => items.map((x) => x.id);

// Logs a change of the row of key id at epoch ms `at` (what a versioned write does, ds-write).
const logged = (model, id, at, version, deleted = false) =>
  `INSERT INTO graphgate_changes (model, changed_at, pk, version, deleted) VALUES ('${model}', ${at}, '${id}', ${version}, ${deleted});`;

let long_ago;

before(async () => {
  if (skip) return;
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 1, database: { pool_size: 1, log_sql: true } }));
  const env = {
    GRAPHGATE_DATABASE_URL: dbUrl,
    GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT',
    ...callers.env,
    GRAPHGATE_DATASTORE_CONFLICT_DETECTION: 'VERSION',
    GRAPHGATE_DATASTORE_DELTA_TTL_MIN: String(TTL_MIN),
    GRAPHGATE_DATASTORE_PURGE_INTERVAL_S: '0', // the log rows the tests write stay (and other suites' too)
  };
  let r = await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE; DELETE FROM graphgate_changes WHERE model IN ('Item', 'Other', 'Pair')`);
  if (r.code !== 0) r = await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`); // no change log yet: migrate makes it
  assert.equal(r.code, 0, r.stderr);
  r = await run(bin, ['migrate', '-c', config], { env: { ...process.env, ...env } });
  assert.equal(r.code, 0, r.stderr);
  long_ago = Date.now() - 3600 * 1000;
  const rows = [];
  for (let i = 1; i <= 7; i++) rows.push(`('a0${i}', 'A ${i}', ${i}, 'user-a', 1, ${long_ago + i})`);
  for (let i = 1; i <= 3; i++) rows.push(`('b0${i}', 'B ${i}', ${i}, 'user-b', 1, ${long_ago + i})`);
  for (let i = 1; i <= 120; i++) rows.push(`('c${String(i).padStart(3, '0')}', 'C ${i}', ${i}, 'user-c', 1, ${long_ago})`);
  r = await psql(`
    INSERT INTO gg_it_sync_item (id, title, rank, owner, "_version", "_lastChangedAt") VALUES ${rows.join(', ')};
    UPDATE gg_it_sync_item SET "_deleted" = true, "_version" = 3, "_ttl" = 4102444800 WHERE id = 'a05';
    INSERT INTO gg_it_sync_other (id, name, owner, "itemId", "_version", "_lastChangedAt") VALUES ('o1', 'other of A', 'user-a', 'a05', 1, ${long_ago});
    ${logged('Item', 'a01', long_ago, 1)}
    INSERT INTO gg_it_sync_pair (shelf, slot, label, owner, "_version", "_lastChangedAt") VALUES
      ('s1', 1, 'one', 'user-a', 1, ${long_ago}), ('s1', 2, 'two', 'user-a', 1, ${long_ago}),
      ('s1', 10, 'ten', 'user-a', 1, ${long_ago}), ('s2', 1, 'other shelf', 'user-a', 1, ${long_ago}),
      ('s1', 3, 'of B', 'user-b', 1, ${long_ago});`);
  assert.equal(r.code, 0, r.stderr);
  for (const plan of ['rows', 'json']) servers[plan] = await startServer({ config, env: { ...env, GRAPHGATE_DATABASE_PLAN: plan } });
});

after(async () => {
  for (const srv of Object.values(servers)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE; DELETE FROM graphgate_changes WHERE model IN ('Item', 'Other', 'Pair')`);
});

for (const plan of ['rows', 'json']) {
  const srv = () => servers[plan];

  test(`${plan}: a base page is every row of the caller, tombstones included, each once, with one startedAt`, { skip }, async () => {
    const before = Date.now();
    const all = await syncAll(srv(), USER_A, { limit: 3 });
    const after = Date.now();
    assert.deepEqual(ids(all.items), A_IDS);
    assert.equal(all.pages, 3);
    assert.equal(new Set(all.startedAts).size, 1, `startedAt changed between pages: ${all.startedAts}`);
    const startedAt = all.startedAts[0];
    assert.ok(startedAt >= before - 1000 && startedAt <= after + 1000, `startedAt ${startedAt} is not the time of page 1`);
    // each row as stored (the tests below change some: a tombstone stays one)
    const stored = await psql(`SELECT json_agg(json_build_object('id', id, 'title', title, '_version', "_version",
      '_lastChangedAt', "_lastChangedAt", '_deleted', "_deleted") ORDER BY id) FROM gg_it_sync_item WHERE owner = 'user-a'`);
    assert.deepEqual(all.items.map(({ id, title, _version, _lastChangedAt, _deleted }) => ({ id, title, _version, _lastChangedAt, _deleted })),
      JSON.parse(stored.stdout));
    assert.equal(all.items.find((x) => x.id === 'a05')._deleted, true);
    assert.equal(all.items.find((x) => x.id === 'a05')._version, 3);
    // a lastSync older than the TTL is a base page too
    const old = await syncAll(srv(), USER_A, { limit: 4, lastSync: long_ago });
    assert.deepEqual(ids(old.items), A_IDS);
  });

  test(`${plan}: user A never syncs user B's rows; the filter narrows and cannot widen`, { skip }, async () => {
    let page = await syncPage(srv(), USER_B, {});
    assert.deepEqual(ids(page.items), ['b01', 'b02', 'b03']);
    for (const item of page.items) assert.equal(item.owner, 'user-b');
    page = await syncPage(srv(), USER_A, { filter: { rank: { gt: 4 } } });
    assert.deepEqual(ids(page.items), ['a05', 'a06', 'a07']);
    for (const filter of [{ owner: { eq: 'user-b' } }, { or: [{ owner: { ne: 'nobody' } }, { id: { beginsWith: 'b' } }] }]) {
      page = await syncPage(srv(), USER_A, { filter });
      for (const item of page.items) assert.equal(item.owner, 'user-a', `${JSON.stringify(filter)} showed ${JSON.stringify(item)}`);
    }
    page = await syncPage(srv(), USER_A, { filter: { _deleted: { eq: true } } });
    const tombstones = await psql(`SELECT string_agg(id, ',' ORDER BY id) FROM gg_it_sync_item WHERE owner = 'user-a' AND "_deleted"`);
    assert.deepEqual(ids(page.items), tombstones.stdout.trim().split(','));
    assert.ok(ids(page.items).includes('a05'));
  });

  test(`${plan}: items select their @belongsTo row as DataStore does ({ id _deleted }), a tombstone included`, { skip }, async () => {
    const r = await gql(srv(), USER_A, `{ syncOthers(limit: 1) { items { id name _version item { id _deleted } } startedAt } }`);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data.syncOthers.items, [{ id: 'o1', name: 'other of A', _version: 1, item: { id: 'a05', _deleted: true } }]);
    // and user B's page has none of it
    const b = await gql(srv(), USER_B, '{ syncOthers { items { id item { id } } } }');
    assert.deepEqual(b.data.syncOthers.items, []);
  });

  test(`${plan}: a composite primary key: pages by (shelf, slot), a delta finds its logged keys`, { skip }, async () => {
    const q = `query($lastSync: AWSTimestamp, $nextToken: String) {
      syncPairs(limit: 2, lastSync: $lastSync, nextToken: $nextToken) { items { shelf slot label } nextToken startedAt } }`;
    const pages = async (variables) => {
      const rows = [];
      let nextToken = null;
      do {
        const r = await gql(srv(), USER_A, q, { ...variables, nextToken });
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        rows.push(...r.data.syncPairs.items.map((x) => `${x.shelf}/${x.slot}`));
        nextToken = r.data.syncPairs.nextToken;
      } while (nextToken !== null);
      return rows;
    };
    assert.deepEqual(await pages({}), ['s1/1', 's1/2', 's1/10', 's2/1']); // slot is an Int: 2 before 10
    const at = Date.now() - 10;
    const r = await psql(`UPDATE gg_it_sync_pair SET label = 'changed', "_lastChangedAt" = ${at} WHERE (shelf, slot) IN (('s1', 10), ('s2', 1), ('s1', 3));
      INSERT INTO graphgate_changes (model, changed_at, pk, version, deleted) VALUES
        ('Pair', ${at}, '{"shelf": "s1", "slot": "10"}', 2, false), ('Pair', ${at}, '{"shelf": "s2", "slot": "1"}', 2, false),
        ('Pair', ${at}, '{"shelf": "s1", "slot": "3"}', 2, false)`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await pages({ lastSync: at - 500 }), ['s1/10', 's2/1']);
    await psql(`UPDATE gg_it_sync_pair SET label = NULL WHERE label = 'changed'`);
  });

  test(`${plan}: limit defaults to 100, and the pages of 120 rows cover each once`, { skip }, async () => {
    const first = await syncPage(srv(), USER_C, {});
    assert.equal(first.items.length, 100);
    assert.notEqual(first.nextToken, null);
    const all = await syncAll(srv(), USER_C, {});
    assert.equal(all.pages, 2);
    assert.equal(all.items.length, 120);
    assert.equal(new Set(ids(all.items)).size, 120);
    assert.equal(new Set(all.startedAts).size, 1);
  });

  test(`${plan}: a delta page is the caller's rows logged since lastSync, tombstones included`, { skip }, async () => {
    const at = Date.now() - 10;
    const lastSync = at - 1000;
    const r = await psql(`
      UPDATE gg_it_sync_item SET title = 'A 2 (${plan})', "_version" = "_version" + 1, "_lastChangedAt" = ${at} WHERE id IN ('a02', 'a06');
      UPDATE gg_it_sync_item SET "_deleted" = true, "_version" = "_version" + 1, "_lastChangedAt" = ${at} WHERE id = 'a04';
      UPDATE gg_it_sync_item SET title = 'B 1 (${plan})', "_lastChangedAt" = ${at} WHERE id = 'b01';
      ${logged('Item', 'a02', at, 2)} ${logged('Item', 'a02', at + 1, 3)} ${logged('Item', 'a06', at, 2)}
      ${logged('Item', 'a04', at, 2, true)} ${logged('Item', 'b01', at, 2)} ${logged('Other', 'a03', at, 2)}`);
    assert.equal(r.code, 0, r.stderr);
    const all = await syncAll(srv(), USER_A, { limit: 1, lastSync });
    assert.deepEqual(ids(all.items), ['a02', 'a04', 'a06']); // a02 logged twice: its row once
    assert.equal(all.items[0].title, `A 2 (${plan})`);
    assert.equal(all.items[1]._deleted, true);
    assert.equal(new Set(all.startedAts).size, 1);
    assert.ok(all.startedAts[0] > lastSync);
    // another user: their own change only
    const b = await syncAll(srv(), USER_B, { lastSync });
    assert.deepEqual(ids(b.items), ['b01']);
    // startedAt is set back by the overlap (1 s): a sync started more than that after the
    // changes hands out a startedAt past them, and a delta from there has nothing
    await new Promise((res) => setTimeout(res, Math.max(0, at + SYNC_OVERLAP_MS + 50 - Date.now())));
    const later = await syncAll(srv(), USER_A, { lastSync });
    assert.ok(later.startedAts[0] > at, `${later.startedAts[0]} <= ${at}`);
    const none = await syncAll(srv(), USER_A, { lastSync: later.startedAts[0] });
    assert.deepEqual(none.items, []);
  });

  test(`${plan}: a lastSync just inside the TTL gives a delta, the same lastSync once the TTL has passed a base page`, { skip }, async () => {
    const at = Date.now() - 10;
    let r = await psql(`UPDATE gg_it_sync_item SET "_version" = "_version" + 1, "_lastChangedAt" = ${at} WHERE id = 'a03';
      ${logged('Item', 'a03', at, 5)}`);
    assert.equal(r.code, 0, r.stderr);
    r = await psql(`SELECT json_agg(json_build_object('id', i.id, 'at', c.changed_at)) FROM graphgate_changes c
      JOIN gg_it_sync_item i ON i.id = c.pk WHERE c.model = 'Item' AND i.owner = 'user-a'`);
    const changes = JSON.parse(r.stdout);
    // 2 s inside the TTL, taken right before the request (psql is slow on a loaded machine)
    const lastSync = Date.now() - (TTL_MS - 2000);
    const loggedSince = [...new Set(changes.filter((c) => c.at >= lastSync).map((c) => c.id))].sort();
    assert.ok(loggedSince.includes('a03') && loggedSince.length < A_IDS.length, JSON.stringify(loggedSince));
    const inside = await syncAll(srv(), USER_A, { lastSync, limit: 2 });
    assert.deepEqual(ids(inside.items), loggedSince);
    // the TTL passes: the same lastSync is now older than now - TTL
    const wait = lastSync + TTL_MS + 300 - Date.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const outside = await syncAll(srv(), USER_A, { lastSync, limit: 2 });
    assert.deepEqual(ids(outside.items), A_IDS);
    assert.ok(outside.startedAts[0] + SYNC_OVERLAP_MS - lastSync > TTL_MS);
    // just outside at once
    const older = await syncAll(srv(), USER_A, { lastSync: Date.now() - TTL_MS - 1500, limit: 3 });
    assert.deepEqual(ids(older.items), A_IDS);
  });

  test(`${plan}: a delta started inside the TTL stays a delta on its later pages`, { skip }, async () => {
    const at = Date.now() - 10;
    const lastSync = at - 300;
    const r = await psql(`UPDATE gg_it_sync_item SET "_lastChangedAt" = ${at} WHERE id IN ('a01', 'a07');
      ${logged('Item', 'a01', at, 9)} ${logged('Item', 'a07', at, 9)}`);
    assert.equal(r.code, 0, r.stderr);
    const page1 = await syncPage(srv(), USER_A, { lastSync, limit: 1 });
    assert.deepEqual(ids(page1.items), ['a01']);
    const wait = lastSync + TTL_MS + 300 - Date.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const page2 = await syncPage(srv(), USER_A, { lastSync, limit: 5, nextToken: page1.nextToken });
    assert.deepEqual(ids(page2.items), ['a07']);
    assert.equal(page2.startedAt, page1.startedAt);
    assert.equal(page2.nextToken, null);
  });

  test(`${plan}: bad nextToken, lastSync in the future, another lastSync, negative limit: refused`, { skip }, async () => {
    const invalid = { errorType: 'UserIllegalArgumentException', message: 'Invalid pagination token given.' };
    const page = await syncPage(srv(), USER_A, { limit: 2 });
    const t = page.nextToken;
    const tampered = t.slice(0, 5) + (t[5] === 'A' ? 'B' : 'A') + t.slice(6);
    assert.deepEqual(await syncError(srv(), USER_A, { nextToken: tampered }), invalid);
    assert.deepEqual(await syncError(srv(), USER_A, { nextToken: 'not-a-token' }), invalid);
    // a listItems token is not a syncItems token, and the other way round
    const list = await gql(srv(), USER_A, '{ listItems(limit: 2) { nextToken } }');
    assert.equal(list.errors, undefined, JSON.stringify(list.errors));
    assert.deepEqual(await syncError(srv(), USER_A, { nextToken: list.data.listItems.nextToken }), invalid);
    assert.deepEqual(await syncError(srv(), USER_A, { t }, 'query($t: String) { listItems(nextToken: $t) { items { id } } }'), invalid);
    // another model's sync token
    const other = await gql(srv(), USER_A, '{ syncOthers(limit: 1) { items { id } nextToken } }');
    assert.equal(other.errors, undefined, JSON.stringify(other.errors));
    await psql(`INSERT INTO gg_it_sync_other (id, name, owner, "_version", "_lastChangedAt") VALUES ('o2-${plan}', 'second', 'user-a', 1, ${Date.now()})`);
    const otherToken = (await gql(srv(), USER_A, '{ syncOthers(limit: 1) { nextToken } }')).data.syncOthers.nextToken;
    assert.notEqual(otherToken, null);
    assert.deepEqual(await syncError(srv(), USER_A, { nextToken: otherToken }), invalid);
    // page 2 of a base sync with a lastSync page 1 did not have
    assert.deepEqual(await syncError(srv(), USER_A, { nextToken: t, lastSync: Date.now() - 100 }), invalid);
    assert.deepEqual(await syncError(srv(), USER_A, { lastSync: Date.now() + 3600 * 1000 }),
      { errorType: 'InvalidArgumentsError', message: 'lastSync is in the future.' });
    // another instance's clock a little ahead: taken as now, an empty delta
    const ahead = await gql(srv(), USER_A, `{ syncItems(lastSync: ${Date.now() + 500}) { items { id } startedAt } }`);
    assert.equal(ahead.errors, undefined, JSON.stringify(ahead.errors));
    assert.deepEqual(await syncError(srv(), USER_A, { limit: -1 }),
      { errorType: 'InvalidArgumentsError', message: 'limit must be at least 1.' });
    assert.deepEqual(await syncError(srv(), USER_A, { limit: 0 }),
      { errorType: 'InvalidArgumentsError', message: 'limit must be at least 1.' });
    // the untampered token still works
    const next = await syncPage(srv(), USER_A, { nextToken: t, limit: 2 });
    assert.deepEqual(ids(next.items), ['a03', 'a04']);
  });
  test(`${plan}: versioned writes are in the next delta: created, updated and deleted rows, with their versions`, { skip }, async () => {
    const first = await syncAll(srv(), USER_D, {});
    const lastSync = first.startedAts[0];
    const mutate = async (query) => {
      const r = await gql(srv(), USER_D, query);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return Object.values(r.data)[0];
    };
    const w1 = `w1-${plan}`;
    const w2 = `w2-${plan}`;
    assert.equal((await mutate(`mutation { createItem(input: { id: "${w1}", title: "one", rank: 50 }) { id _version } }`))._version, 1);
    await mutate(`mutation { createItem(input: { id: "${w2}", title: "two", rank: 51 }) { id _version } }`);
    await mutate(`mutation { updateItem(input: { id: "${w1}", title: "one again", _version: 1 }) { id _version } }`);
    await mutate(`mutation { deleteItem(input: { id: "${w2}", _version: 1 }) { id _deleted } }`);
    const delta = await syncAll(srv(), USER_D, { lastSync });
    assert.deepEqual(delta.items.map(({ id, title, owner, _version, _deleted }) => ({ id, title, owner, _version, _deleted: !!_deleted })), [
      { id: w1, title: 'one again', owner: 'user-d', _version: 2, _deleted: false },
      { id: w2, title: 'two', owner: 'user-d', _version: 2, _deleted: true },
    ]);
    // user B's delta since then holds none of it
    assert.deepEqual((await syncAll(srv(), USER_B, { lastSync })).items, []);
  });
}

test('the delta statement reads the change log for the model since lastSync, with values as parameters', { skip }, async () => {
  const lastSync = Date.now() - 100;
  await syncPage(servers.rows, USER_A, { lastSync });
  const log = servers.rows.stderr();
  const line = log.split('\n').reverse().find((l) => l.includes('graphgate_changes'));
  assert.ok(line, `no delta statement in the log:\n${log.slice(-2000)}`);
  assert.match(line, /c\.model = \$\d+::text AND c\.changed_at >= \$\d+::bigint/);
  assert.ok(!line.includes(String(lastSync)), 'lastSync is written into the SQL text');
  assert.ok(!line.includes("'Item'"), 'the model name is written into the SQL text');
});
