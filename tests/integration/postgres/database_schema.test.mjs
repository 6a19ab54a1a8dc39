// database_schema.test.mjs: a PostgreSQL schema other than public, with no search_path in the
// URL (issue 12): database.schema names the schema in every statement graphgate writes, so the
// URL can go through PgBouncer in transaction mode, which refuses startup options. meson runs this
// file directly and again through PgBouncer (through_pgbouncer.sh: GRAPHGATE_TEST_DATABASE_URL is
// then PgBouncer's).
// - The store of tests/fixtures/store/store.sql loaded into schema "shop" of the test database:
//   `graphgate init --from-database --schema shop` writes the golden schema (its header names
//   shop) and a graphgate.json with database.schema "shop"; --check accepts it and warns of
//   nothing; the served API reads and writes shop's tables (enums of shop included), nested
//   relations in both plans, and the rows land in shop.
// - `graphgate migrate` with database.schema "Shop-Notes" (a name that needs quoting): the schema,
//   the tables, indexes, foreign key and graphgate_meta are made there, twice without change;
//   --dry-run shows them qualified; the server signs nextToken values with the secret stored there;
//   without graphgate_meta a start makes it again, and later starts read that secret back.
// - --check names a table that is not in the configured schema (GRAPHGATE_DATABASE_SCHEMA).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, post, root, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const fixtures = join(root, 'tests', 'fixtures', 'store');
const NOTES = 'Shop-Notes';
const ADA = '0d7c7a52-2f57-4c58-9a53-5c1a4f0b7e01';
const ORDER = '5e0f3c1a-8a47-4c1e-b1c4-2d7d6f3a9001';

const psql = (...args) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', ...args]);
const sql = async (text) => {
  const r = await psql('-c', text);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};
const dbEnv = { ...process.env, GRAPHGATE_DATABASE_URL: dbUrl };

let storeDir;
let initResult;
let apiKey;
const servers = {};
let notesConfig;
let notesServer;

async function ok(srv, query, headers = { 'x-api-key': apiKey }) {
  const res = await post(srv.url, { query }, headers);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.errors, undefined, `${JSON.stringify(res.body.errors)}\n${srv.stderr().slice(-2000)}`);
  return res.body.data;
}

before(async () => {
  if (skip) return;
  assert.doesNotMatch(dbUrl, /search_path|options=/); // what this file is about
  await sql(`DROP SCHEMA IF EXISTS shop CASCADE; DROP SCHEMA IF EXISTS "${NOTES}" CASCADE`);
  // one transaction: SET LOCAL holds through PgBouncer's transaction pooling too
  const load = await psql('-1', '-c', 'CREATE SCHEMA shop; SET LOCAL search_path = shop', '-f', join(fixtures, 'store.sql'));
  assert.equal(load.code, 0, load.stderr);
  storeDir = tempDir();
  initResult = await run(bin, ['init', '--from-database', dbUrl, '--schema', 'shop', '--out', storeDir]);
  assert.equal(initResult.code, 0, initResult.stderr);
  apiKey = readFileSync(join(storeDir, 'api-keys'), 'utf8').trim();
  for (const plan of ['rows', 'json'])
    servers[plan] = await startServer({
      config: join(storeDir, 'graphgate.json'),
      env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_DATABASE_PLAN: plan },
    });

  const notesDir = tempDir();
  writeFileSync(join(notesDir, 'schema.graphql'), `
type Author @model {
  id: ID!
  name: String!
  notes: [Note] @hasMany(indexName: "byAuthor", fields: ["id"])
}
type Note @model {
  id: ID!
  authorId: ID! @index(name: "byAuthor", sortKeyFields: ["at"], queryField: "notesByAuthor")
  title: String!
  at: AWSDateTime!
  status: NoteStatus
  author: Author @belongsTo(fields: ["authorId"])
}
enum NoteStatus { DRAFT DONE }
`);
  notesConfig = join(notesDir, 'graphgate.json');
  writeFileSync(notesConfig, JSON.stringify({ schema: ['schema.graphql'], threads: 2, database: { schema: NOTES } }));
});

after(async () => {
  for (const srv of [...Object.values(servers), notesServer].filter(Boolean)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql('-c', `DROP SCHEMA IF EXISTS shop CASCADE; DROP SCHEMA IF EXISTS "${NOTES}" CASCADE`);
});

test('init --schema shop: the golden schema, and database.schema in graphgate.json instead of a URL option', { skip }, () => {
  const golden = readFileSync(join(fixtures, 'expected-schema.graphql'), 'utf8').replace('PostgreSQL schema "public"', 'PostgreSQL schema "shop"');
  assert.equal(readFileSync(join(storeDir, 'schema.graphql'), 'utf8'), golden);
  const config = JSON.parse(readFileSync(join(storeDir, 'graphgate.json'), 'utf8'));
  const expected = JSON.parse(readFileSync(join(fixtures, 'expected-graphgate.json'), 'utf8'));
  assert.deepEqual(config.database, { schema: 'shop' });
  assert.match(config.$comment, /schema shop of database \S+.*database\.schema names it in every statement/);
  assert.doesNotMatch(config.$comment, /search_path%3D|options=/);
  for (const key of ['listen', 'schema', 'cursor_secret_file', 'auth']) assert.deepEqual(config[key], expected[key], key);
  assert.match(initResult.stderr, /wrote .*schema.graphql \(7 models\)/);
  assert.match(initResult.stderr, /view "order_totals": served read-only/);
});

test('--check accepts the generated configuration and warns of nothing; start-up neither', { skip }, async () => {
  const r = await run(bin, ['--check', '-c', join(storeDir, 'graphgate.json')], { env: dbEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /schema \(1 file, 7 @model types\) are valid/);
  assert.doesNotMatch(r.stderr, /cannot hold|does not exist/);
  for (const srv of Object.values(servers)) {
    const warnings = srv.stderr().split('\n').filter((l) => /warning|cannot hold|does not exist/.test(l) && !/names no configuration key/.test(l));
    assert.deepEqual(warnings, []);
  }
});

test('--check names the tables the configured schema lacks', { skip }, async () => {
  const env = { ...dbEnv, GRAPHGATE_DATABASE_SCHEMA: 'gg_no_such_schema' };
  const r = await run(bin, ['--check', '-c', join(storeDir, 'graphgate.json')], { env });
  assert.match(r.stderr, /warning: table "gg_no_such_schema"\."customers" of @model Customer does not exist/);
  assert.match(r.stderr, /table "gg_no_such_schema"\."orders" of @model Order does not exist/);
});

test('the served store reads and writes schema shop: enums, keys, the mapped column, the view', { skip }, async () => {
  const srv = servers.rows;
  const got = await ok(srv, `{ getCustomer(id: "${ADA}") { email tier joinedOn } }`);
  assert.deepEqual(got.getCustomer, { email: 'ada@example.com', tier: 'GOLD', joinedOn: '2026-01-15' });
  const created = (await ok(srv, `mutation { createOrder(input: { customerId: "${ADA}", placedAt: "2026-12-06T11:00:00.000+01:00", giftWrap: true, status: PAID }) { id status placedAt giftWrap } }`)).createOrder;
  assert.deepEqual({ ...created, id: undefined }, { id: undefined, status: 'PAID', placedAt: '2026-12-06T10:00:00.000Z', giftWrap: true });
  assert.equal(await sql(`SELECT status, "gift-wrap" FROM shop.orders WHERE id = '${created.id}'`), 'PAID|t');
  const updated = await ok(srv, `mutation { updateOrder(input: { id: "${created.id}", status: SHIPPED }) { status } }`);
  assert.equal(updated.updateOrder.status, 'SHIPPED');
  const line = await ok(srv, `mutation { createOrderLine(input: { orderId: "${created.id}", lineNo: 1, productSku: "TEA-1", quantity: 3, unitPrice: 4.5 }) { lineNo product { name } } }`);
  assert.deepEqual(line.createOrderLine, { lineNo: 1, product: { name: 'Green tea' } });
  const byCustomer = await ok(srv, `{ ordersByCustomerIdAndPlacedAt(customerId: "${ADA}", placedAt: { gt: "2026-12-05T00:00:00.000Z" }) { items { id status } } }`);
  assert.deepEqual(byCustomer.ordersByCustomerIdAndPlacedAt.items, [{ id: created.id, status: 'SHIPPED' }]);
  const totals = await ok(srv, `{ listOrderTotals(filter: { id: { eq: "${created.id}" } }) { items { lineCount total } } }`);
  assert.deepEqual(totals.listOrderTotals.items, [{ lineCount: 1, total: 13.5 }]);
  const zone = await ok(srv, 'mutation { createShippingZone(input: { zoneName: "Asia", speed: "standard" }) { id speed } }');
  assert.equal(zone.createShippingZone.speed, 'standard');
  assert.equal(await sql(`SELECT speed FROM shop."shipping zones" WHERE id = ${zone.createShippingZone.id}`), 'standard');
  await ok(srv, `mutation { deleteShippingZone(input: { id: "${zone.createShippingZone.id}" }) { id } }`);
  await ok(srv, `mutation { deleteOrderLine(input: { orderId: "${created.id}", lineNo: 1 }) { lineNo } }`);
  assert.equal((await ok(srv, `mutation { deleteOrder(input: { id: "${created.id}" }) { id } }`)).deleteOrder.id, created.id);
  assert.equal(await sql(`SELECT count(*) FROM shop.orders WHERE id = '${created.id}'`), '0');
});

for (const plan of ['rows', 'json']) {
  test(`${plan}: nested connections through shop's foreign keys, with nextToken pages`, { skip }, async () => {
    const srv = servers[plan];
    const data = await ok(srv, `{ getCustomer(id: "${ADA}") { fullName orders { items { id
      orderLines(sortDirection: DESC) { items { lineNo product { sku tags } } } } } } }`);
    assert.deepEqual(data.getCustomer, { fullName: 'Ada Lovelace', orders: { items: [{ id: ORDER, orderLines: { items: [
      { lineNo: 2, product: { sku: 'MUG-1', tags: ['kitchen'] } },
      { lineNo: 1, product: { sku: 'TEA-1', tags: ['drink', 'hot'] } },
    ] } }] } });
    const first = await ok(srv, '{ listCustomers(limit: 1) { items { email } nextToken } }');
    assert.ok(first.listCustomers.nextToken);
    const second = await ok(srv, `{ listCustomers(limit: 1, nextToken: "${first.listCustomers.nextToken}") { items { email } } }`);
    assert.equal(second.listCustomers.items.length, 1);
    assert.notEqual(second.listCustomers.items[0].email, first.listCustomers.items[0].email);
  });
}

test('migrate with database.schema: --dry-run names the schema everywhere, migrate makes it all there', { skip }, async () => {
  const dry = await run(bin, ['migrate', '--dry-run', '-c', notesConfig], { env: dbEnv });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /IF to_regnamespace\('"Shop-Notes"'\) IS NULL THEN\n\s+CREATE SCHEMA "Shop-Notes";/);
  assert.match(dry.stdout, /CREATE TABLE IF NOT EXISTS "Shop-Notes"\."graphgate_meta" /);
  assert.match(dry.stdout, /CREATE TABLE IF NOT EXISTS "Shop-Notes"\."Note" /);
  assert.match(dry.stdout, /ON "Shop-Notes"\."Note" /);
  assert.match(dry.stdout, /REFERENCES "Shop-Notes"\."Author" /);
  assert.doesNotMatch(dry.stdout, /(TABLE|ON|REFERENCES|EXISTS) "(Note|Author)"/);
  assert.equal(await sql(`SELECT to_regnamespace('"${NOTES}"') IS NULL`), 't'); // a dry run makes nothing

  for (let i = 0; i < 2; i++) { // twice: nothing changes the second time
    const r = await run(bin, ['migrate', '-c', notesConfig], { env: dbEnv });
    assert.equal(r.code, 0, r.stderr);
    // the summary names the PostgreSQL schema the tables are in
    assert.match(r.stdout, /the tables, columns and indexes of 2 models exist \(schema Shop-Notes of database \S+ on /);
  }
  assert.equal(await sql(`SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = '${NOTES}'`), 'Author,Note,graphgate_meta');
  assert.equal(await sql(`SELECT count(*) FROM "${NOTES}".graphgate_meta WHERE key = 'cursor_secret'`), '1');
  assert.equal(await sql(`SELECT count(*) FROM pg_constraint WHERE conrelid = '"${NOTES}"."Note"'::regclass AND contype = 'f'`), '1');
  assert.equal(await sql(`SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"${NOTES}"."Note"'::regclass AND attname = 'at'`), 'timestamp(3) with time zone');
  const check = await run(bin, ['--check', '-c', notesConfig], { env: { ...dbEnv, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  assert.equal(check.code, 0, check.stderr);
  assert.doesNotMatch(check.stderr, /cannot hold|does not exist/);
});

test('a server on the migrated schema: writes, relations, the @index query and nextToken signed by its graphgate_meta', { skip }, async () => {
  notesServer = await startServer({ config: notesConfig, env: { GRAPHGATE_DATABASE_URL: dbUrl } });
  assert.match(notesServer.stderr(), /graphgate_meta \(database\)/);
  assert.doesNotMatch(notesServer.stderr(), /warning: table|does not exist/);
  const author = (await ok(notesServer, 'mutation { createAuthor(input: { name: "Ada" }) { id } }', {})).createAuthor;
  for (const [title, at] of [['one', '2026-12-01T10:00:00.000Z'], ['two', '2026-12-02T10:00:00.000Z'], ['three', '2026-12-03T10:00:00.000Z']])
    await ok(notesServer, `mutation { createNote(input: { authorId: "${author.id}", title: "${title}", at: "${at}", status: DRAFT }) { id } }`, {});
  const page = await ok(notesServer, `{ notesByAuthor(authorId: "${author.id}", sortDirection: DESC, limit: 2) { items { title at } nextToken } }`, {});
  assert.deepEqual(page.notesByAuthor.items, [{ title: 'three', at: '2026-12-03T10:00:00.000Z' }, { title: 'two', at: '2026-12-02T10:00:00.000Z' }]);
  const rest = await ok(notesServer, `{ notesByAuthor(authorId: "${author.id}", sortDirection: DESC, limit: 2, nextToken: "${page.notesByAuthor.nextToken}") { items { title author { name } } } }`, {});
  assert.deepEqual(rest.notesByAuthor.items, [{ title: 'one', author: { name: 'Ada' } }]);
  const nested = await ok(notesServer, `{ getAuthor(id: "${author.id}") { notes(filter: { status: { eq: DRAFT } }) { items { title } } } }`, {});
  assert.equal(nested.getAuthor.notes.items.length, 3);
  assert.equal(await sql(`SELECT count(*) FROM "${NOTES}"."Note" WHERE "authorId" = '${author.id}'`), '3');
  // the foreign key migrate made in the schema holds
  const orphan = await post(notesServer.url, { query: 'mutation { createNote(input: { authorId: "nobody", title: "x", at: "2026-12-04T00:00:00.000Z" }) { id } }' });
  assert.ok(orphan.body.errors?.length, orphan.text);
});

// Start-up reads the cursor secret in the same round trip as the column types (a pipeline): the
// first start finds no graphgate_meta there, makes it, and the next start reads that secret back.
test('a start without graphgate_meta makes the secret, a later start signs nextToken with it', { skip }, async () => {
  const q = (token) => `{ listNotes(limit: 1${token ? `, nextToken: "${token}"` : ''}) { items { title } nextToken } }`;
  const before = (await ok(notesServer, q(), {})).listNotes.nextToken;
  await sql(`DROP TABLE "${NOTES}".graphgate_meta`);
  const first = await startServer({ config: notesConfig, env: { GRAPHGATE_DATABASE_URL: dbUrl } });
  let secret;
  try {
    assert.match(first.stderr(), /nextToken key from graphgate_meta \(database\)/);
    assert.equal((await fetch(`${first.base}/readyz`)).status, 200);
    secret = await sql(`SELECT value FROM "${NOTES}".graphgate_meta WHERE key = 'cursor_secret'`);
    assert.ok(secret.length >= 32, 'a new secret is stored');
    const made = (await ok(first, q(), {})).listNotes.nextToken;
    assert.notEqual(made, before, 'signed with the new secret, not the dropped one');
    for (const threads of ['1', '2']) {
      const later = await startServer({ config: notesConfig, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_THREADS: threads } });
      try {
        assert.match(later.stderr(), /nextToken key from graphgate_meta \(database\)/);
        assert.equal((await fetch(`${later.base}/readyz`)).status, 200);
        assert.equal((await ok(later, q(), {})).listNotes.nextToken, made, `${threads} thread(s)`);
        assert.equal((await ok(first, q(made), {})).listNotes.items.length, 1);
      } finally {
        const { code } = await later.stop();
        assert.equal(code, 0, later.stderr());
      }
    }
    assert.equal(await sql(`SELECT value FROM "${NOTES}".graphgate_meta WHERE key = 'cursor_secret'`), secret, 'read, not made again');
  } finally {
    const { code } = await first.stop();
    assert.equal(code, 0, first.stderr());
  }
});

test('DataStore under database.schema: the change log is made and written beside the tables, not in public', { skip }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), 'type Memo @model { id: ID! text: String }\n');
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({
    schema: ['schema.graphql'], threads: 1, database: { schema: NOTES },
    datastore: { conflict_detection: 'VERSION', conflict_handler: 'OPTIMISTIC_CONCURRENCY' },
  }));
  const r = await run(bin, ['migrate', '-c', config], { env: dbEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await sql(`SELECT to_regclass('"${NOTES}".graphgate_changes') IS NOT NULL`), 't');
  const srv = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  try {
    assert.doesNotMatch(srv.stderr(), /warning: (table|the DataStore change log)/);
    const memo = (await ok(srv, 'mutation { createMemo(input: { text: "a" }) { id _version } }', {})).createMemo;
    assert.equal(memo._version, 1);
    const updated = (await ok(srv, `mutation { updateMemo(input: { id: "${memo.id}", text: "b", _version: 1 }) { text _version } }`, {})).updateMemo;
    assert.deepEqual(updated, { text: 'b', _version: 2 });
    assert.equal(await sql(`SELECT string_agg(version::text, ',' ORDER BY version) FROM "${NOTES}".graphgate_changes WHERE model = 'Memo' AND pk = '${memo.id}'`), '1,2');
    // and not in public's log, which other suites on this database may have made
    if (await sql(`SELECT to_regclass('public.graphgate_changes') IS NOT NULL`) === 't')
      assert.equal(await sql(`SELECT count(*) FROM public.graphgate_changes WHERE position('${memo.id}' in pk::text) > 0`), '0');
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
});
