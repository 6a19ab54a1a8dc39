// init_from_database.test.mjs: `graphgate init --from-database` over a database no graphgate
// test wrote against (tests/fixtures/store/store.sql: customers, products, orders, order lines
// with a composite key, uuid keys, enums, foreign keys, a view, timestamptz, numeric, jsonb,
// text[], a table keyed by a unique index and one with no key), through the real binary (issue 12).
// The generated schema.graphql and graphgate.json are diffed against committed golden files
// (tests/fixtures/store/expected-*), then --check, then the server is started with the generated
// configuration as it is (API key mode, the generated key) and every generated operation runs:
// get, list, create, update and delete of each table, the @index queries, the view's list (and no
// mutation for it), nested connections through the foreign keys in both plans. The database is
// this file's own (gg_it_store), made before and dropped after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, post, root, run, startServer, tempDir } from '../helpers.mjs';
import { appsyncClient } from '../realtime_client.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const fixtures = join(root, 'tests', 'fixtures', 'store');
const STORE = 'gg_it_store';
const storeUrl = dbUrl ? dbUrl.replace(/\/[^/?]*(\?|$)/, `/${STORE}$1`) : '';

const psql = (url, ...args) => run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', ...args]);
const init = (...args) => run(bin, ['init', ...args]);

const ADA = '0d7c7a52-2f57-4c58-9a53-5c1a4f0b7e01';
const ALAN = '0d7c7a52-2f57-4c58-9a53-5c1a4f0b7e02';
const ORDER = '5e0f3c1a-8a47-4c1e-b1c4-2d7d6f3a9001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AWS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let dir;
let initResult;
const servers = {};
let apiKey;

async function gql(srv, query, headers = { 'x-api-key': apiKey }) {
  const res = await post(srv.url, { query }, headers);
  return res;
}
// Starts graphgate on the files init wrote into out (its API key mode and key) and runs
// fn(q, raw, srv, key) (url: the database's, storeUrl unless given; env: more of its environment), q(query) answering the data of a query that must have no errors, raw(query)
// the whole response; stops it after.
async function withServed(out, fn, url = storeUrl, env = {}) {
  const srv = await startServer({ config: join(out, 'graphgate.json'), env: { GRAPHGATE_DATABASE_URL: url, GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', ...env } });
  try {
    const key = readFileSync(join(out, 'api-keys'), 'utf8').trim();
    const raw = (query) => gql(srv, query, { 'x-api-key': key });
    await fn(async (query) => {
      const res = await raw(query);
      assert.equal(res.body.errors, undefined, res.text);
      return res.body.data;
    }, raw, srv, key);
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
}
async function ok(srv, query) {
  const res = await gql(srv, query);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.errors, undefined, `${JSON.stringify(res.body.errors)}\n${srv.stderr().slice(-2000)}`);
  return res.body.data;
}

before(async () => {
  if (skip) return;
  let r = await psql(dbUrl, '-c', `DROP DATABASE IF EXISTS ${STORE} WITH (FORCE)`, '-c', `CREATE DATABASE ${STORE}`);
  assert.equal(r.code, 0, r.stderr);
  r = await psql(storeUrl, '-f', join(fixtures, 'store.sql'));
  assert.equal(r.code, 0, r.stderr);
  dir = tempDir();
  initResult = await init('--from-database', storeUrl, '--out', dir);
  assert.equal(initResult.code, 0, initResult.stderr);
  apiKey = readFileSync(join(dir, 'api-keys'), 'utf8').trim();
  const env = { GRAPHGATE_DATABASE_URL: storeUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' }; // the file's own mode
  for (const plan of ['rows', 'json'])
    servers[plan] = await startServer({ config: join(dir, 'graphgate.json'), env: { ...env, GRAPHGATE_DATABASE_PLAN: plan } });
});

after(async () => {
  for (const srv of Object.values(servers)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(dbUrl, '-c', `DROP DATABASE IF EXISTS ${STORE} WITH (FORCE)`);
});

test('init writes the schema and configuration of the golden files, and reports its decisions', { skip }, () => {
  assert.equal(readFileSync(join(dir, 'schema.graphql'), 'utf8'), readFileSync(join(fixtures, 'expected-schema.graphql'), 'utf8'));
  assert.equal(readFileSync(join(dir, 'graphgate.json'), 'utf8'), readFileSync(join(fixtures, 'expected-graphgate.json'), 'utf8'));
  const notes = initResult.stderr;
  assert.match(notes, /table "orders" column "gift-wrap" is not a GraphQL name: served as giftWrap/);
  assert.match(notes, /table "event_log": skipped \(no primary key/);
  assert.match(notes, /table "coupons" has no usable primary key: keyed by its unique index "coupons_code"/);
  assert.match(notes, /view "order_totals": served read-only/);
  assert.match(notes, /table "shipping zones" is not a GraphQL name: served as ShippingZone/);
  assert.match(notes, /table "shipping zones" column "zone name" is not a GraphQL name: served as zoneName/);
  assert.match(notes, /enum "delivery_speed": its label "next-day" is not a GraphQL enum value: its columns are served as String/);
  assert.match(notes, /table "shipping zones" column "map" \(bytea\): left out/);
  assert.match(notes, /table "shipping zones" column "max_grams" is bigint: served as Float, exact to 2\^53 like a JavaScript number/);
  assert.match(notes, /table "products" column "price_cents" is generated by the database: served @readOnly, in no create or update input/);
  assert.match(notes, /wrote .*schema.graphql \(7 models\)/);
  // the secrets: private files; the URL is in no file
  assert.deepEqual(readdirSync(dir).sort(), ['api-keys', 'cursor.secret', 'graphgate.json', 'schema.graphql']);
  for (const f of ['api-keys', 'cursor.secret']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  assert.match(apiKey, /^gg-[0-9a-f]{64}$/);
  for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(storeUrl), f);
});

test('init refuses to overwrite without --force, keeps the secrets with it; bad options are usage errors', { skip }, async () => {
  const before = readFileSync(join(dir, 'schema.graphql'), 'utf8');
  let r = await init('--from-database', storeUrl, '--out', dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /schema\.graphql exists: not overwritten \(--force replaces it\)/);
  r = await init('--from-database', storeUrl, '--out', dir, '--force', '--tables', 'customers,orders');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /api-keys exists: kept as the API key/);
  assert.equal(readFileSync(join(dir, 'api-keys'), 'utf8').trim(), apiKey);
  const two = readFileSync(join(dir, 'schema.graphql'), 'utf8');
  assert.match(two, /type Customer @model/);
  assert.match(two, /customer: Customer @belongsTo\(references: \["customerId"\]\)/);
  assert.doesNotMatch(two, /OrderLine|Product/);
  r = await init('--from-database', storeUrl, '--out', dir, '--force');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'schema.graphql'), 'utf8'), before);

  const other = join(tempDir(), 'out');
  mkdirSync(other);
  r = await init('--from-database', storeUrl, '--out', other, '--tables', 'customers,nope');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--tables: schema "public" has no table or view "nope"/);
  r = await init('--from-database', storeUrl, '--out', other, '--schema', 'nosuch');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /schema "nosuch" has no tables or views/);
  r = await init('--from-database', storeUrl, '--out', other, '--tables', 'event_log');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nothing to serve/);
  assert.deepEqual(readdirSync(other), []);
  // an --out directory that is not there yet (README: init ... --out shop) is made, once the database was read
  const fresh = join(tempDir(), 'shop');
  r = await init('--from-database', storeUrl.replace(/:\d+\//, ':1/'), '--out', fresh);
  assert.equal(r.code, 1);
  assert.equal(existsSync(fresh), false);
  r = await init('--from-database', storeUrl, '--out', fresh, '--tables', 'customers');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(fresh).sort(), ['api-keys', 'cursor.secret', 'graphgate.json', 'schema.graphql']);
  r = await init('--from-database', storeUrl, '--out', join(fresh, 'a', 'b'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot create --out .*\/a\/b: No such file or directory/);
  r = await init('--out', other);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from-database URL is required/);
  r = await init('--from-database', storeUrl.replace(/:\d+\//, ':1/'), '--out', other);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot connect to the database/);
  r = await init('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--force +overwrite DIR\/schema.graphql and DIR\/graphgate.json/);
  assert.match((await run(bin, ['--help'])).stdout, /graphgate init --from-database URL/);
});

test('--check accepts the generated configuration; start-up finds every column fits its field', { skip }, async () => {
  const r = await run(bin, ['--check', '-c', join(dir, 'graphgate.json')], { env: { ...process.env, GRAPHGATE_DATABASE_URL: storeUrl } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /schema \(1 file, 7 @model types\) are valid/);
  assert.doesNotMatch(r.stderr, /cannot hold|does not exist/);
  for (const srv of Object.values(servers)) {
    assert.match(srv.stderr(), /auth: API_KEY/);
    // (the test runner's own GRAPHGATE_* variables are warned about: not the schema's business)
    const warnings = srv.stderr().split('\n').filter((l) => /warning|cannot hold|does not exist/.test(l) && !/names no configuration key/.test(l));
    assert.deepEqual(warnings, []);
  }
  // the database is served as it is: graphgate made nothing in it
  const meta = await psql(storeUrl, '-c', "SELECT to_regclass('graphgate_meta') IS NULL");
  assert.equal(meta.stdout.trim(), 't');
});

test('the API key of the generated configuration is required', { skip }, async () => {
  const res = await gql(servers.rows, '{ listCustomers { items { id } } }', {});
  assert.equal(res.status, 401);
  const wrong = await gql(servers.rows, '{ listCustomers { items { id } } }', { 'x-api-key': 'gg-wrong' });
  assert.equal(wrong.status, 401);
});

test('customers: get, list, the email @index query, create with defaults, update, delete', { skip }, async () => {
  const srv = servers.rows;
  const got = await ok(srv, `{ getCustomer(id: "${ADA}") { id email fullName tier joinedOn } }`);
  assert.deepEqual(got.getCustomer, { id: ADA, email: 'ada@example.com', fullName: 'Ada Lovelace', tier: 'GOLD', joinedOn: '2026-01-15' });
  const byEmail = await ok(srv, '{ customersByEmail(email: "alan@example.com") { items { id tier joinedOn } } }');
  assert.deepEqual(byEmail.customersByEmail.items, [{ id: ALAN, tier: 'BASIC', joinedOn: null }]);
  const created = (await ok(srv, 'mutation { createCustomer(input: { email: "grace@example.com", fullName: "Grace Hopper" }) { id email tier } }')).createCustomer;
  assert.match(created.id, UUID);
  assert.equal(created.tier, 'BASIC'); // the column's default
  const updated = await ok(srv, `mutation { updateCustomer(input: { id: "${created.id}", tier: GOLD, joinedOn: "2026-12-06" }) { tier joinedOn fullName } }`);
  assert.deepEqual(updated.updateCustomer, { tier: 'GOLD', joinedOn: '2026-12-06', fullName: 'Grace Hopper' });
  const stored = await psql(storeUrl, '-c', `SELECT tier, joined_on FROM customers WHERE id = '${created.id}'`);
  assert.equal(stored.stdout.trim(), 'GOLD|2026-12-06');
  const list = await ok(srv, '{ listCustomers(filter: { tier: { eq: GOLD } }) { items { fullName } } }');
  assert.deepEqual(list.listCustomers.items.map((c) => c.fullName).sort(), ['Ada Lovelace', 'Grace Hopper']);
  const deleted = await ok(srv, `mutation { deleteCustomer(input: { id: "${created.id}" }) { email } }`);
  assert.equal(deleted.deleteCustomer.email, 'grace@example.com');
  assert.equal((await ok(srv, `{ getCustomer(id: "${created.id}") { id } }`)).getCustomer, null);
  // a unique violation reads as on AppSync
  const dup = await gql(srv, 'mutation { createCustomer(input: { email: "ada@example.com", fullName: "Again" }) { id } }');
  assert.equal(dup.body.errors?.[0]?.errorType, 'DynamoDB:ConditionalCheckFailedException', dup.text);
});

test('products: numeric, text[] and jsonb through create, get, update, list and delete', { skip }, async () => {
  const srv = servers.rows;
  const created = await ok(srv, 'mutation { createProduct(input: { sku: "PEN-1", name: "Pen", price: 1.25, tags: ["office", "blue"], attributes: "{\\"ink\\":\\"blue\\"}" }) { sku name price tags attributes } }');
  assert.deepEqual(created.createProduct, { sku: 'PEN-1', name: 'Pen', price: 1.25, tags: ['office', 'blue'], attributes: '{"ink":"blue"}' });
  const stored = await psql(storeUrl, '-c', "SELECT price, tags, attributes->>'ink' FROM products WHERE sku = 'PEN-1'");
  assert.equal(stored.stdout.trim(), '1.25|{office,blue}|blue');
  const got = await ok(srv, '{ getProduct(sku: "TEA-1") { name price priceCents tags attributes } }');
  assert.deepEqual(got.getProduct, { name: 'Green tea', price: 4.5, priceCents: 450, tags: ['drink', 'hot'], attributes: '{"grams":100,"origin":"Japan"}' });
  const updated = await ok(srv, 'mutation { updateProduct(input: { sku: "PEN-1", price: 1.5, tags: ["office"] }) { price priceCents tags } }');
  assert.deepEqual(updated.updateProduct, { price: 1.5, priceCents: 150, tags: ['office'] });
  const list = await ok(srv, '{ listProducts(filter: { price: { lt: 5 } }) { items { sku } } }');
  assert.deepEqual(list.listProducts.items.map((p) => p.sku).sort(), ['PEN-1', 'TEA-1']);
  // contains on jsonb reads what the value holds, as DynamoDB does: a list's item, a string's
  // substring, nothing of a map (TEA-1's {"origin": "Japan"})
  await ok(srv, 'mutation { updateProduct(input: { sku: "PEN-1", attributes: "[\\"blue\\", \\"refill\\"]" }) { sku } }');
  await ok(srv, 'mutation { createProduct(input: { sku: "INK-1", name: "Ink", price: 2, attributes: "\\"blue-black\\"" }) { sku } }');
  const containing = async (filter) => (await ok(srv, `{ listProducts(filter: ${filter}) { items { sku } } }`)).listProducts.items.map((p) => p.sku).sort();
  assert.deepEqual(await containing('{ attributes: { contains: "blue" } }'), ['INK-1', 'PEN-1']);
  assert.deepEqual(await containing('{ attributes: { contains: "Japan" } }'), []);
  assert.deepEqual(await containing('{ attributes: { notContains: "blue" } }'), ['MUG-1', 'TEA-1']);
  assert.equal((await ok(srv, 'mutation { deleteProduct(input: { sku: "INK-1" }) { sku } }')).deleteProduct.sku, 'INK-1');
  // a 64-bit integer in a document is stored, read and sent to subscribers as it was sent
  // (JSON.parse's double rounded it)
  const subscriber = await appsyncClient(srv.url.replace('http://', 'ws://'), { 'x-api-key': apiKey });
  try {
    assert.equal((await subscriber.start('mug', 'subscription { onUpdateProduct { sku attributes } }')).type, 'start_ack');
    const exact = await ok(srv, 'mutation { updateProduct(input: { sku: "MUG-1", attributes: "{\\"batch\\": 9007199254740993}" }) { attributes } }');
    assert.deepEqual(exact.updateProduct, { attributes: '{"batch":9007199254740993}' });
    const event = await subscriber.next((m) => m.type === 'data' && m.id === 'mug');
    assert.deepEqual(event.payload.data.onUpdateProduct, { sku: 'MUG-1', attributes: '{"batch":9007199254740993}' });
  } finally {
    await subscriber.close();
  }
  assert.equal((await psql(storeUrl, '-c', "SELECT attributes->>'batch' FROM products WHERE sku = 'MUG-1'")).stdout.trim(), '9007199254740993');
  assert.equal((await ok(srv, 'mutation { deleteProduct(input: { sku: "PEN-1" }) { sku } }')).deleteProduct.sku, 'PEN-1');
  assert.equal((await ok(srv, '{ getProduct(sku: "PEN-1") { sku } }')).getProduct, null);
});

test('orders: timestamptz, enums, the mapped column, timestamps, the @index query with its sort key', { skip }, async () => {
  const srv = servers.rows;
  const got = await ok(srv, `{ getOrder(id: "${ORDER}") { status placedAt giftWrap note createdAt updatedAt customer { fullName } } }`);
  assert.deepEqual(got.getOrder, {
    status: 'PAID', placedAt: '2026-12-01T08:30:00.250Z', giftWrap: false, note: 'leave at the door',
    createdAt: '2026-12-01T08:30:00.000Z', updatedAt: '2026-12-01T08:30:00.000Z', customer: { fullName: 'Ada Lovelace' },
  });
  const created = (await ok(srv, `mutation { createOrder(input: { customerId: "${ALAN}", placedAt: "2026-12-06T11:00:00.000+01:00", giftWrap: true }) { id status placedAt giftWrap createdAt updatedAt } }`)).createOrder;
  assert.match(created.id, UUID);
  assert.equal(created.status, 'PENDING');
  assert.equal(created.placedAt, '2026-12-06T10:00:00.000Z');
  assert.equal(created.giftWrap, true);
  assert.match(created.createdAt, AWS_DATETIME);
  const stored = await psql(storeUrl, '-c', `SELECT "gift-wrap", placed_at = '2026-12-06T10:00:00Z' FROM orders WHERE id = '${created.id}'`);
  assert.equal(stored.stdout.trim(), 't|t');
  const updated = (await ok(srv, `mutation { updateOrder(input: { id: "${created.id}", status: SHIPPED, note: "fragile" }) { status note createdAt updatedAt } }`)).updateOrder;
  assert.equal(updated.status, 'SHIPPED');
  assert.equal(updated.createdAt, created.createdAt);
  assert.ok(updated.updatedAt >= created.updatedAt);
  const byCustomer = await ok(srv, `{ ordersByCustomerIdAndPlacedAt(customerId: "${ALAN}", placedAt: { gt: "2026-12-01T00:00:00.000Z" }) { items { id status } } }`);
  assert.deepEqual(byCustomer.ordersByCustomerIdAndPlacedAt.items, [{ id: created.id, status: 'SHIPPED' }]);
  const list = await ok(srv, '{ listOrders(filter: { status: { eq: PAID } }) { items { id } } }');
  assert.deepEqual(list.listOrders.items, [{ id: ORDER }]);
  assert.equal((await ok(srv, `mutation { deleteOrder(input: { id: "${created.id}" }) { id } }`)).deleteOrder.id, created.id);
  assert.equal((await ok(srv, `{ getOrder(id: "${created.id}") { id } }`)).getOrder, null);
});

test('order lines: the composite key in get, update and delete, the product @index query', { skip }, async () => {
  const srv = servers.rows;
  const created = await ok(srv, `mutation { createOrderLine(input: { orderId: "${ORDER}", lineNo: 3, productSku: "TEA-1", quantity: 5, unitPrice: 4.25 }) { orderId lineNo quantity unitPrice product { name } } }`);
  assert.deepEqual(created.createOrderLine, { orderId: ORDER, lineNo: 3, quantity: 5, unitPrice: 4.25, product: { name: 'Green tea' } });
  const got = await ok(srv, `{ getOrderLine(orderId: "${ORDER}", lineNo: 3) { quantity order { status } } }`);
  assert.deepEqual(got.getOrderLine, { quantity: 5, order: { status: 'PAID' } });
  const updated = await ok(srv, `mutation { updateOrderLine(input: { orderId: "${ORDER}", lineNo: 3, quantity: 6 }) { quantity unitPrice } }`);
  assert.deepEqual(updated.updateOrderLine, { quantity: 6, unitPrice: 4.25 });
  const byProduct = await ok(srv, '{ orderLinesByProductSku(productSku: "TEA-1") { items { lineNo quantity } } }');
  assert.deepEqual(byProduct.orderLinesByProductSku.items.sort((a, b) => a.lineNo - b.lineNo), [{ lineNo: 1, quantity: 2 }, { lineNo: 3, quantity: 6 }]);
  const list = await ok(srv, `{ listOrderLines(orderId: "${ORDER}", lineNo: { ge: 2 }) { items { lineNo } } }`);
  assert.deepEqual(list.listOrderLines.items, [{ lineNo: 2 }, { lineNo: 3 }]);
  // the database's own rules still hold, and a value they refuse is the client's error, which says why
  const refusals = [
    [`updateOrderLine(input: { orderId: "${ORDER}", lineNo: 3, quantity: 0 }) { quantity }`, /breaks a check constraint/],
    [`updateOrderLine(input: { orderId: "${ORDER}", lineNo: 3, unitPrice: 123456789 }) { quantity }`, /out of the range its column holds/],
    [`updateCustomer(input: { id: "${ADA}", tier: null }) { id }`, /requires a value for is null/],
  ];
  for (const [mutation, message] of refusals) {
    const refused = await gql(srv, `mutation { ${mutation} }`);
    assert.equal(refused.body.errors?.[0]?.errorType, 'InvalidArgumentsError', refused.text);
    assert.match(refused.body.errors[0].message, message, refused.text);
  }
  assert.equal((await ok(srv, `mutation { deleteOrderLine(input: { orderId: "${ORDER}", lineNo: 3 }) { lineNo } }`)).deleteOrderLine.lineNo, 3);
  assert.equal((await ok(srv, `{ getOrderLine(orderId: "${ORDER}", lineNo: 3) { lineNo } }`)).getOrderLine, null);
});

test('coupons, keyed by their unique index: get, list, create, update, delete', { skip }, async () => {
  const srv = servers.rows;
  assert.deepEqual((await ok(srv, '{ getCoupon(code: "WELCOME") { percent validUntil } }')).getCoupon, { percent: 10, validUntil: null });
  const created = await ok(srv, 'mutation { createCoupon(input: { code: "XMAS", percent: 20, validUntil: "2026-12-26T00:00:00.000Z" }) { code validUntil } }');
  assert.deepEqual(created.createCoupon, { code: 'XMAS', validUntil: '2026-12-26T00:00:00.000Z' });
  assert.equal((await ok(srv, 'mutation { updateCoupon(input: { code: "XMAS", percent: 25 }) { percent } }')).updateCoupon.percent, 25);
  // valid_until is a timestamp without time zone, which holds UTC: a date-time with an offset is
  // moved to UTC (PostgreSQL alone would drop the offset), in writes and in filters alike
  const moved = await ok(srv, 'mutation { updateCoupon(input: { code: "XMAS", validUntil: "2026-12-26T00:30:00.125+01:00" }) { validUntil } }');
  assert.deepEqual(moved.updateCoupon, { validUntil: '2026-12-25T23:30:00.125Z' });
  assert.equal((await psql(storeUrl, '-c', "SELECT valid_until FROM coupons WHERE code = 'XMAS'")).stdout.trim(), '2026-12-25 23:30:00.125');
  const west = await ok(srv, 'mutation { updateCoupon(input: { code: "XMAS", validUntil: "2024-02-28T23:00:00-05:30" }) { validUntil } }');
  assert.deepEqual(west.updateCoupon, { validUntil: '2024-02-29T04:30:00.000Z' });
  const found = await ok(srv, '{ listCoupons(filter: { validUntil: { between: ["2024-02-29T05:00:00+01:00", "2024-02-29T04:30:00Z"] } }) { items { code } } }');
  assert.deepEqual(found.listCoupons.items, [{ code: 'XMAS' }]);
  const list = await ok(srv, '{ listCoupons { items { code percent } } }');
  assert.deepEqual(list.listCoupons.items.sort((a, b) => a.code.localeCompare(b.code)), [{ code: 'WELCOME', percent: 10 }, { code: 'XMAS', percent: 25 }]);
  assert.equal((await ok(srv, 'mutation { deleteCoupon(input: { code: "XMAS" }) { code } }')).deleteCoupon.code, 'XMAS');
});

test('shipping zones, mapped names: the identity key numbered by the database, the enum served as String', { skip }, async () => {
  const srv = servers.rows;
  const list = await ok(srv, '{ listShippingZones { items { id zoneName speed maxGrams } } }');
  assert.deepEqual(list.listShippingZones.items, [{ id: '1', zoneName: 'Europe', speed: 'next-day', maxGrams: 30000 }]);
  const created = (await ok(srv, 'mutation { createShippingZone(input: { zoneName: "Asia", speed: "standard" }) { id zoneName speed maxGrams } }')).createShippingZone;
  assert.deepEqual(created, { id: '2', zoneName: 'Asia', speed: 'standard', maxGrams: null });
  const updated = await ok(srv, 'mutation { updateShippingZone(input: { id: "2", speed: "next-day", maxGrams: 5000 }) { speed maxGrams } }');
  assert.deepEqual(updated.updateShippingZone, { speed: 'next-day', maxGrams: 5000 });
  const stored = await psql(storeUrl, '-c', 'SELECT "zone name", speed, max_grams FROM "shipping zones" WHERE id = 2');
  assert.equal(stored.stdout.trim(), 'Asia|next-day|5000');
  // the bigint outside the key is a Float: beyond Int's 32 bits, exact to 2^53, and whole numbers only
  const big = 2 ** 53;
  for (const plan of ['rows', 'json']) {
    const wide = await ok(servers[plan], `mutation { updateShippingZone(input: { id: "2", maxGrams: ${big} }) { maxGrams } }`);
    assert.deepEqual(wide.updateShippingZone, { maxGrams: big }, plan);
    const found = await ok(servers[plan], '{ listShippingZones(filter: { maxGrams: { gt: 4294967296 } }) { items { id maxGrams } } }');
    assert.deepEqual(found.listShippingZones.items, [{ id: '2', maxGrams: big }], plan);
    const half = await gql(servers[plan], 'mutation { updateShippingZone(input: { id: "2", maxGrams: 12.5 }) { maxGrams } }');
    assert.equal(half.body.errors?.[0]?.errorType, 'InvalidArgumentsError', half.text);
  }
  assert.equal((await psql(storeUrl, '-c', 'SELECT max_grams FROM "shipping zones" WHERE id = 2')).stdout.trim(), String(big));
  const bad = await gql(srv, 'mutation { updateShippingZone(input: { id: "2", speed: "tomorrow" }) { speed } }');
  assert.equal(bad.body.errors?.[0]?.errorType, 'InvalidArgumentsError', bad.text); // not a label of the PostgreSQL enum
  assert.match(bad.body.errors[0].message, /not one its column's type accepts/);
  // an interval is a String: a value PostgreSQL does not read as one, or out of its range, is the
  // client's (22007, 22015), in a write and in a filter alike
  const transit = await ok(srv, 'mutation { updateShippingZone(input: { id: "2", transit: "2 days 4 hours" }) { transit } }');
  assert.deepEqual(transit.updateShippingZone, { transit: '2 days 04:00:00' });
  for (const query of ['mutation { updateShippingZone(input: { id: "2", transit: "soon" }) { transit } }',
    'mutation { updateShippingZone(input: { id: "2", transit: "99999999999 years" }) { transit } }',
    '{ listShippingZones(filter: { transit: { gt: "a while" } }) { items { id } } }']) {
    const refused = await gql(srv, query);
    assert.equal(refused.body.errors?.[0]?.errorType, 'InvalidArgumentsError', refused.text);
    assert.match(refused.body.errors[0].message, /not one its column's type accepts/);
  }
  assert.deepEqual((await ok(srv, '{ getShippingZone(id: "2") { zoneName } }')).getShippingZone, { zoneName: 'Asia' });
  assert.equal((await ok(srv, 'mutation { deleteShippingZone(input: { id: "2" }) { id } }')).deleteShippingZone.id, '2');
  assert.equal((await ok(srv, '{ getShippingZone(id: "2") { id } }')).getShippingZone, null);
});

test('the view: its list only, with the values PostgreSQL computes', { skip }, async () => {
  const srv = servers.rows;
  const list = await ok(srv, '{ listOrderTotals { items { id customerName lineCount total } } }');
  assert.deepEqual(list.listOrderTotals.items, [{ id: ORDER, customerName: 'Ada Lovelace', lineCount: 2, total: 21 }]);
  const filtered = await ok(srv, '{ listOrderTotals(filter: { total: { gt: 100 } }) { items { id } } }');
  assert.deepEqual(filtered.listOrderTotals.items, []);
  for (const q of [`{ getOrderTotal(id: "${ORDER}") { id } }`, 'mutation { createOrderTotal(input: { id: "x" }) { id } }',
    `mutation { deleteOrderTotal(input: { id: "${ORDER}" }) { id } }`]) {
    const res = await gql(srv, q);
    assert.match(res.body.errors?.[0]?.message ?? '', /Cannot query field "(getOrderTotal|createOrderTotal|deleteOrderTotal)"/, res.text);
  }
});

for (const plan of ['rows', 'json']) {
  test(`${plan}: nested connections through the foreign keys, both ways`, { skip }, async () => {
    const srv = servers[plan];
    const data = await ok(srv, `{ getCustomer(id: "${ADA}") { fullName orders { items { id placedAt
      orderLines(sortDirection: DESC) { items { lineNo quantity unitPrice product { sku price tags orderLines { items { orderId } } } } } } } } }`);
    assert.deepEqual(data.getCustomer, {
      fullName: 'Ada Lovelace',
      orders: { items: [{ id: ORDER, placedAt: '2026-12-01T08:30:00.250Z', orderLines: { items: [
        { lineNo: 2, quantity: 1, unitPrice: 12, product: { sku: 'MUG-1', price: 12, tags: ['kitchen'], orderLines: { items: [{ orderId: ORDER }] } } },
        { lineNo: 1, quantity: 2, unitPrice: 4.5, product: { sku: 'TEA-1', price: 4.5, tags: ['drink', 'hot'], orderLines: { items: [{ orderId: ORDER }] } } },
      ] } }] },
    });
    const alan = await ok(srv, `{ getCustomer(id: "${ALAN}") { orders { items { id } } } }`);
    assert.deepEqual(alan.getCustomer.orders.items, []);
  });
}

test('a key the database numbers under another name than id is served as id, which a create leaves out', { skip }, async () => {
  // order_id serial and an identity GENERATED ALWAYS (which refuses any value): as orderId: Int!
  // @primaryKey every create needed the key, and for the identity no create could succeed
  // and a table named in the singular, as Prisma and Django name them, referencing itself: its
  // list relation is named with the transformer's plural (categories, not categorys); its column
  // "not" is a field of another name, as the filter inputs' not would be defined twice
  const tables = 'gg_it_numbered_tickets, gg_it_numbered_events, gg_it_numbered_category';
  let r = await psql(storeUrl, '-c', 'DROP VIEW IF EXISTS gg_it_numbered_kinds', '-c', `DROP TABLE IF EXISTS ${tables}`,
    '-c', 'CREATE TABLE gg_it_numbered_tickets (ticket_no serial PRIMARY KEY, title text NOT NULL)',
    '-c', 'CREATE TABLE gg_it_numbered_events (event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text, ' +
      'ticket_no int REFERENCES gg_it_numbered_tickets, logged_at timestamp DEFAULT now())',
    '-c', 'CREATE TABLE gg_it_numbered_category (id serial PRIMARY KEY, name text, parent_id int REFERENCES gg_it_numbered_category, ' +
      '"not" boolean)',
    // a view over the events keyed by their bigint: an ID, as the table's key is, not a Float
    '-c', 'CREATE VIEW gg_it_numbered_kinds AS SELECT event_id AS id, kind FROM gg_it_numbered_events');
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--out', out, '--tables', 'gg_it_numbered_tickets,gg_it_numbered_events,gg_it_numbered_category,gg_it_numbered_kinds');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /table "gg_it_numbered_tickets" column "ticket_no" \(a key the database numbers\): served as id, which a create may leave out/);
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    assert.match(sdl, /\n {2}id: ID! @refersTo\(name: "ticket_no"\)\n/);
    assert.match(sdl, /\n {2}id: ID! @refersTo\(name: "event_id"\) @readOnly\n/); // GENERATED ALWAYS: in no create input
    assert.match(sdl, /\n {2}ggItNumberedCategories: \[GgItNumberedCategory\] @hasMany\(references: \["parentId"\]\)\n/);
    assert.match(sdl, /\n {2}notField: Boolean @refersTo\(name: "not"\)\n/);
    assert.match(sdl, /type GgItNumberedKind @model\(queries: \{get: null\}[^\n]*\n {2}id: ID!\n/);
    assert.match(r.stderr, /table "gg_it_numbered_category" column "not": not is a name the filter inputs use, served as notField/);
    // logged_at's default is computed in the session's TimeZone and served as UTC: said when that
    // zone is another (here from the URL's options, as a database's or role's setting would give it)
    assert.doesNotMatch(r.stderr, /TimeZone/);
    const zoned = await init('--from-database', `${storeUrl}${storeUrl.includes('?') ? '&' : '?'}options=-c%20TimeZone%3DAsia/Kolkata`,
      '--out', tempDir(), '--tables', 'gg_it_numbered_events');
    assert.equal(zoned.code, 0, zoned.stderr);
    assert.match(zoned.stderr, /table "gg_it_numbered_events" column "logged_at" is a timestamp without time zone, served as UTC, whose default PostgreSQL computes in the session's TimeZone, Asia\/Kolkata: a create that leaves it out reads hours off/);
    // its foreign key onto a table --tables left out is named, not dropped in silence
    assert.match(zoned.stderr, /table "gg_it_numbered_events" foreign key "gg_it_numbered_events_ticket_no_fkey" references public\.gg_it_numbered_tickets, a table not read here: no relation/);
    await withServed(out, async (q) => {
      const ticket = (await q('mutation { createGgItNumberedTicket(input: { title: "t" }) { id title } }')).createGgItNumberedTicket;
      assert.match(ticket.id, /^\d+$/);
      const event = (await q(`mutation { createGgItNumberedEvent(input: { kind: "k", ticketNo: ${ticket.id} }) { id kind ggItNumberedTicket { title } } }`)).createGgItNumberedEvent;
      assert.match(event.id, /^\d+$/);
      assert.deepEqual(event.ggItNumberedTicket, { title: 't' });
      assert.deepEqual((await q('{ listGgItNumberedKinds { items { id kind } } }')).listGgItNumberedKinds.items, [{ id: event.id, kind: 'k' }]);
      assert.deepEqual((await q(`{ getGgItNumberedTicket(id: "${ticket.id}") { title ggItNumberedEvents { items { id } } } }`)).getGgItNumberedTicket,
        { title: 't', ggItNumberedEvents: { items: [{ id: event.id }] } });
      const root = (await q('mutation { createGgItNumberedCategory(input: { name: "root" }) { id } }')).createGgItNumberedCategory;
      await q(`mutation { createGgItNumberedCategory(input: { name: "leaf", parentId: ${root.id}, notField: true }) { id } }`);
      assert.deepEqual((await q('{ listGgItNumberedCategories(filter: { notField: { eq: true } }) { items { name } } }')).listGgItNumberedCategories.items,
        [{ name: 'leaf' }]);
      assert.deepEqual((await q(`{ getGgItNumberedCategory(id: "${root.id}") { ggItNumberedCategories { items { name parent { name } } } } }`)).getGgItNumberedCategory,
        { ggItNumberedCategories: { items: [{ name: 'leaf', parent: { name: 'root' } }] } });
    });
  } finally {
    await psql(storeUrl, '-c', 'DROP VIEW IF EXISTS gg_it_numbered_kinds', '-c', `DROP TABLE IF EXISTS ${tables}`);
  }
});

test('what no API key holder should read stays out: secret columns and migration bookkeeping, each said', { skip }, async () => {
  const setup = ['-c', 'DROP SCHEMA IF EXISTS gg_it_secrets CASCADE', '-c', 'CREATE SCHEMA gg_it_secrets',
    '-c', 'CREATE TABLE gg_it_secrets.users (id serial PRIMARY KEY, email text NOT NULL, encrypted_password text NOT NULL, ' +
      'reset_password_token text, "apiKey" text, password_salt text, tokens_used int, otp_secret text DEFAULT \'\')',
    '-c', 'CREATE TABLE gg_it_secrets.schema_migrations (version text PRIMARY KEY)',
    '-c', 'CREATE TABLE gg_it_secrets.django_session (session_key text PRIMARY KEY, session_data text, expire_date timestamptz)'];
  let r = await psql(storeUrl, ...setup);
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_secrets', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    for (const column of ['reset_password_token', 'apiKey', 'password_salt', 'otp_secret'])
      assert.match(r.stderr, new RegExp(`table "users" column "${column}": left out, its name says it holds a secret that every API key holder could read \\(add it to schema.graphql, with an @auth rule, if clients need it\\)\\n`));
    assert.match(r.stderr, /table "users" column "encrypted_password": left out, its name says it holds a secret [^\n]* \(NOT NULL without a default: creates fail\)/);
    for (const table of ['schema_migrations', 'django_session'])
      assert.match(r.stderr, new RegExp(`table "${table}": skipped \\(a migration tool's or session store's bookkeeping; --tables serves it when it names it\\)`));
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    // tokens_used is a count, not a token
    assert.match(sdl, /type User @model[^\n]*\n {2}id: ID!\n {2}email: String!\n {2}tokensUsed: Int @refersTo\(name: "tokens_used"\)\n\}/);
    assert.doesNotMatch(sdl, /SchemaMigration|DjangoSession|password|apiKey|otpSecret|passwordSalt/i);
    // named by --tables, a bookkeeping table is served
    const named = await init('--from-database', storeUrl, '--schema', 'gg_it_secrets', '--out', tempDir(), '--tables', 'schema_migrations');
    assert.equal(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stderr, /bookkeeping/);
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_secrets CASCADE');
  }
});

test('a foreign key that is its table\'s key, or unique, is a one-to-one relation: @hasOne on the other side', { skip }, async () => {
  let r = await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_one CASCADE', '-c', 'CREATE SCHEMA gg_it_one',
    '-c', 'CREATE TABLE gg_it_one.accounts (id serial PRIMARY KEY, name text NOT NULL)',
    '-c', 'CREATE TABLE gg_it_one.profiles (account_id int PRIMARY KEY REFERENCES gg_it_one.accounts, bio text)',
    '-c', 'CREATE TABLE gg_it_one.avatars (id serial PRIMARY KEY, account_id int UNIQUE REFERENCES gg_it_one.accounts, url text)',
    '-c', 'CREATE TABLE gg_it_one.logins (id serial PRIMARY KEY, account_id int REFERENCES gg_it_one.accounts)');
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_one', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    assert.match(sdl, /\n {2}profile: Profile @hasOne\(references: \["accountId"\]\)\n/);
    assert.match(sdl, /\n {2}avatar: Avatar @hasOne\(references: \["accountId"\]\)\n/);
    assert.match(sdl, /\n {2}logins: \[Login\] @hasMany\(references: \["accountId"\]\)\n/);
    assert.match(sdl, /\n {2}account: Account @belongsTo\(references: \["accountId"\]\)\n/);
    await withServed(out, async (q) => {
      const id = (await q('mutation { createAccount(input: { name: "ada" }) { id } }')).createAccount.id;
      await q(`mutation { createProfile(input: { accountId: ${id}, bio: "engine" }) { accountId } }`);
      assert.deepEqual((await q(`{ getAccount(id: "${id}") { name profile { bio account { name } } avatar { url } } }`)).getAccount,
        { name: 'ada', profile: { bio: 'engine', account: { name: 'ada' } }, avatar: null });
    });
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_one CASCADE');
  }
});

test('columns the database writes (generated, identity ALWAYS) are @readOnly: read, never in a create or update input', { skip }, async () => {
  let r = await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_gen CASCADE', '-c', 'CREATE SCHEMA gg_it_gen',
    '-c', 'CREATE TABLE gg_it_gen.invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, net integer NOT NULL, ' +
      'gross integer GENERATED ALWAYS AS (net * 2) STORED, note text)',
    // a key numbered by the database that a create may still choose: BY DEFAULT, serial
    '-c', 'CREATE TABLE gg_it_gen.receipts (receipt_no integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, amount integer NOT NULL)',
    '-c', 'CREATE TABLE gg_it_gen.labels (id serial PRIMARY KEY, label text NOT NULL, slug text GENERATED ALWAYS AS (lower(label)) STORED)',
    // an identity ALWAYS in a composite key: numbered on create, named by update and delete
    '-c', 'CREATE TABLE gg_it_gen.entries (invoice_id bigint NOT NULL REFERENCES gg_it_gen.invoices, ' +
      'line_no integer GENERATED ALWAYS AS IDENTITY, qty integer, PRIMARY KEY (invoice_id, line_no))');
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_gen', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /table "invoices" column "gross" is generated by the database: served @readOnly, in no create or update input/);
    assert.match(r.stderr, /table "invoices" column "id" is an identity GENERATED ALWAYS: served @readOnly, in no create input \(an update names its row by it\)/);
    assert.doesNotMatch(r.stderr, /receipt_no" is an identity/);
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    assert.match(sdl, /\n {2}id: ID! @readOnly\n {2}net: Int!\n {2}gross: Int @readOnly\n/);
    assert.match(sdl, /\n {2}id: ID! @refersTo\(name: "receipt_no"\)\n/);
    assert.match(sdl, /\n {2}lineNo: Int! @refersTo\(name: "line_no"\) @readOnly\n/);
    // the served schema is Amplify's: the directive is graphgate's, not printed
    const printed = await run(bin, ['--print-schema', '-c', join(out, 'graphgate.json')]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.doesNotMatch(printed.stdout, /readOnly/);
    assert.match(printed.stdout, /\ninput CreateInvoiceInput \{\n {2}net: Int!\n {2}note: String\n\}/);
    assert.match(printed.stdout, /\ninput UpdateInvoiceInput \{\n {2}id: ID!\n {2}net: Int\n {2}note: String\n\}/);
    await withServed(out, async (q, raw) => {
      const inputFields = async (name) => (await q(`{ __type(name: "${name}") { inputFields { name type { kind name ofType { name } } } } }`))
        .__type.inputFields.map((f) => `${f.name}: ${f.type.kind === 'NON_NULL' ? `${f.type.ofType.name}!` : f.type.name}`);
      assert.deepEqual(await inputFields('CreateInvoiceInput'), ['net: Int!', 'note: String']);
      assert.deepEqual(await inputFields('UpdateInvoiceInput'), ['id: ID!', 'net: Int', 'note: String']);
      assert.deepEqual(await inputFields('CreateLabelInput'), ['id: ID', 'label: String!']);
      assert.deepEqual(await inputFields('UpdateLabelInput'), ['id: ID!', 'label: String']);
      assert.deepEqual(await inputFields('CreateEntryInput'), ['invoiceId: ID!', 'qty: Int']);
      assert.deepEqual(await inputFields('UpdateEntryInput'), ['invoiceId: ID!', 'lineNo: Int!', 'qty: Int']);
      assert.deepEqual(await inputFields('CreateReceiptInput'), ['id: ID', 'amount: Int!']);
      // still read, filtered and sent back by mutations
      const invoice = (await q('mutation { createInvoice(input: { net: 10 }) { id net gross } }')).createInvoice;
      assert.match(invoice.id, /^\d+$/);
      assert.equal(invoice.gross, 20);
      assert.deepEqual((await q(`mutation { updateInvoice(input: { id: "${invoice.id}", net: 7 }) { net gross } }`)).updateInvoice, { net: 7, gross: 14 });
      // an update that changes nothing still names its row (and does not set the identity to itself)
      assert.deepEqual((await q(`mutation { updateInvoice(input: { id: "${invoice.id}" }) { gross } }`)).updateInvoice, { gross: 14 });
      assert.deepEqual((await q('{ listInvoices(filter: { gross: { ge: 14 } }) { items { net } } }')).listInvoices.items, [{ net: 7 }]);
      for (const mutation of [`createInvoice(input: { net: 1, gross: 2 })`, `updateInvoice(input: { id: "${invoice.id}", gross: 2 })`,
        'createInvoice(input: { id: "99", net: 1 })']) {
        const refused = await raw(`mutation { ${mutation} { id } }`);
        assert.match(refused.body.errors?.[0]?.message ?? '', /is not defined by type "(Create|Update)InvoiceInput"/, refused.text);
      }
      const label = (await q('mutation { createLabel(input: { label: "Big Sale" }) { id slug } }')).createLabel;
      assert.deepEqual(label.slug, 'big sale');
      assert.deepEqual((await q(`mutation { updateLabel(input: { id: "${label.id}", label: "Clearance" }) { slug } }`)).updateLabel, { slug: 'clearance' });
      // GENERATED BY DEFAULT and serial: left out, the database numbers the row; given, it is kept
      const numbered = (await q('mutation { createReceipt(input: { amount: 5 }) { id } }')).createReceipt;
      assert.match(numbered.id, /^\d+$/);
      assert.deepEqual((await q('mutation { createReceipt(input: { id: "100", amount: 6 }) { id amount } }')).createReceipt, { id: '100', amount: 6 });
      assert.deepEqual((await q('mutation { createLabel(input: { id: "50", label: "Chosen" }) { id } }')).createLabel, { id: '50' });
      // the identity in the composite key
      const entry = (await q(`mutation { createEntry(input: { invoiceId: "${invoice.id}", qty: 3 }) { invoiceId lineNo qty } }`)).createEntry;
      assert.equal(entry.invoiceId, invoice.id);
      assert.equal(typeof entry.lineNo, 'number');
      assert.deepEqual((await q(`mutation { updateEntry(input: { invoiceId: "${invoice.id}", lineNo: ${entry.lineNo}, qty: 4 }) { qty } }`)).updateEntry, { qty: 4 });
      assert.deepEqual((await q(`mutation { deleteEntry(input: { invoiceId: "${invoice.id}", lineNo: ${entry.lineNo} }) { qty } }`)).deleteEntry, { qty: 4 });
    });
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_gen CASCADE');
  }
});

test('citext columns compare without case in every string filter: beginsWith, contains, notContains as eq does; citext[] and subscriptions too', { skip }, async () => {
  let r = await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_ci CASCADE', '-c', 'CREATE EXTENSION IF NOT EXISTS citext',
    '-c', 'CREATE SCHEMA gg_it_ci', '-c', "CREATE DOMAIN gg_it_ci.email AS citext CHECK (VALUE LIKE '%@%')",
    '-c', 'CREATE TABLE gg_it_ci.members (id serial PRIMARY KEY, handle citext NOT NULL, email gg_it_ci.email, bio text, tags citext[])',
    '-c', "INSERT INTO gg_it_ci.members (handle, email, bio, tags) VALUES ('AdaLovelace', 'Ada@Example.COM', 'Likes Engines', '{Math,Poetry}'), " +
      "('alan_turing', 'alan@example.com', 'Breaks codes', NULL), ('Grace%Hopper', 'grace@navy.mil', 'Finds bugs', '{Navy,COBOL}')");
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_ci', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    await withServed(out, async (q, raw, srv, key) => {
      const handles = async (filter) => (await q(`{ listMembers(filter: ${filter}) { items { handle } } }`)).listMembers.items.map((m) => m.handle).sort();
      assert.deepEqual(await handles('{ handle: { eq: "ADALOVELACE" } }'), ['AdaLovelace']);
      assert.deepEqual(await handles('{ handle: { beginsWith: "ada" } }'), ['AdaLovelace']);
      assert.deepEqual(await handles('{ handle: { contains: "LOVE" } }'), ['AdaLovelace']);
      assert.deepEqual(await handles('{ handle: { notContains: "love" } }'), ['Grace%Hopper', 'alan_turing']);
      // a domain over citext too
      assert.deepEqual(await handles('{ email: { contains: "EXAMPLE.com" } }'), ['AdaLovelace', 'alan_turing']);
      assert.deepEqual(await handles('{ email: { beginsWith: "GRACE@" } }'), ['Grace%Hopper']);
      // the value is matched as text: LIKE's wildcards in it are plain characters
      assert.deepEqual(await handles('{ handle: { contains: "_" } }'), ['alan_turing']);
      assert.deepEqual(await handles('{ handle: { contains: "%" } }'), ['Grace%Hopper']);
      assert.deepEqual(await handles('{ handle: { beginsWith: "A%" } }'), []);
      assert.deepEqual(await handles('{ handle: { beginsWith: "ALAN_" } }'), ['alan_turing']);
      assert.deepEqual(await handles('{ handle: { contains: "\\\\" } }'), []);
      assert.deepEqual(await handles('{ handle: { beginsWith: "" } }'), ['AdaLovelace', 'Grace%Hopper', 'alan_turing']);
      // text stays case-sensitive
      assert.deepEqual(await handles('{ bio: { contains: "engines" } }'), []);
      assert.deepEqual(await handles('{ bio: { contains: "Engines" } }'), ['AdaLovelace']);
      // a citext[] holds an item equal without case
      assert.deepEqual(await handles('{ tags: { contains: "navy" } }'), ['Grace%Hopper']);
      assert.deepEqual(await handles('{ tags: { notContains: "POETRY" } }'), ['Grace%Hopper', 'alan_turing']);
      // a subscription's filter agrees with the list's (and the classic argument's equality too)
      const subscriber = await appsyncClient(srv.url.replace('http://', 'ws://'), { 'x-api-key': key });
      try {
        const starts = {
          eq: 'subscription { onUpdateMember(filter: { handle: { eq: "GRACE%HOPPER" } }) { bio } }',
          begins: 'subscription { onUpdateMember(filter: { handle: { beginsWith: "grace" }, email: { contains: "NAVY" } }) { bio } }',
          tags: 'subscription { onUpdateMember(filter: { tags: { contains: "cobol" } }) { bio } }',
          other: 'subscription { onUpdateMember(filter: { handle: { eq: "ada" } }) { bio } }',
          text: 'subscription { onUpdateMember(filter: { bio: { contains: "admiral" } }) { bio } }',
        };
        for (const [id, query] of Object.entries(starts)) assert.equal((await subscriber.start(id, query)).type, 'start_ack', id);
        // in a mutation's condition too
        const refused = await q('{ listMembers(filter: { handle: { beginsWith: "grace" } }) { items { id } } }');
        const id = refused.listMembers.items[0].id;
        assert.deepEqual((await q(`mutation { updateMember(input: { id: "${id}", bio: "Admiral" }, condition: { handle: { contains: "HOPPER" } }) { bio } }`)).updateMember,
          { bio: 'Admiral' });
        for (const sub of ['eq', 'begins', 'tags'])
          assert.deepEqual((await subscriber.next((m) => m.type === 'data' && m.id === sub)).payload.data.onUpdateMember, { bio: 'Admiral' }, sub);
        assert.deepEqual(subscriber.seen.filter((m) => m.type === 'data'), []); // neither "other" nor the text column's
      } finally {
        await subscriber.close();
      }
    });
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_ci CASCADE');
  }
});

// Supabase and others install extensions into a schema of their own, off the search_path: there a bare
// = or > on a citext column resolves to text's (through citext's implicit cast to text), which
// compares with case and in another order than the column's ORDER BY (citext's): eq missed rows and
// nextToken pages skipped some (a, B, c, D by one: a, then c).
test('citext outside the search_path compares as citext: eq, ne, gt ... ignore case; nextToken pages, both ways, visit every row once', { skip }, async () => {
  const db = 'gg_it_store_ciext';
  const url = dbUrl.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
  let r = await psql(dbUrl, '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, '-c', `CREATE DATABASE ${db}`);
  assert.equal(r.code, 0, r.stderr);
  try {
    r = await psql(url, '-c', 'CREATE SCHEMA extensions', '-c', 'CREATE EXTENSION citext SCHEMA extensions',
      '-c', 'CREATE TABLE handles (handle extensions.citext PRIMARY KEY, note text)',
      '-c', 'CREATE TABLE posts (id serial PRIMARY KEY, board text NOT NULL, title extensions.citext NOT NULL)',
      '-c', 'CREATE INDEX posts_board_title ON posts (board, title)',
      '-c', "INSERT INTO handles VALUES ('c', '3'), ('a', '1'), ('D', '4'), ('B', '2')",
      '-c', "INSERT INTO posts (board, title) VALUES ('x', 'c'), ('x', 'a'), ('x', 'D'), ('x', 'B'), ('y', 'A')");
    assert.equal(r.code, 0, r.stderr);
    const out = tempDir();
    r = await init('--from-database', url, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const schemaFile = join(out, 'schema.graphql');
    const schema = readFileSync(schemaFile, 'utf8');
    assert.match(schema, /@index\(sortKeyFields: \["title"\]\)/);
    writeFileSync(schemaFile, schema.replace('@index(sortKeyFields: ["title"])', '@index(name: "byBoard", sortKeyFields: ["title"], queryField: "postsByBoard")'));
    for (const plan of ['rows', 'json']) await withServed(out, async (q) => {
      // every page of one row, following nextToken to the end
      const paged = async (field, args, value) => {
        const seen = [];
        let token = null;
        do {
          const page = (await q(`{ ${field}(${args}, limit: 1${token ? `, nextToken: ${JSON.stringify(token)}` : ''}) { items { ${value} } nextToken } }`))[field];
          seen.push(...page.items.map((item) => item[value]));
          token = page.nextToken;
        } while (token && seen.length < 10);
        return seen;
      };
      assert.deepEqual(await paged('listHandles', 'filter: null', 'handle'), ['a', 'B', 'c', 'D']);
      assert.deepEqual(await paged('postsByBoard', 'board: "x"', 'title'), ['a', 'B', 'c', 'D']);
      assert.deepEqual(await paged('postsByBoard', 'board: "x", sortDirection: DESC', 'title'), ['D', 'c', 'B', 'a']);
      const handles = async (filter) => (await q(`{ listHandles(filter: ${filter}) { items { handle } } }`)).listHandles.items.map((h) => h.handle);
      assert.deepEqual(await handles('{ handle: { eq: "b" } }'), ['B']);
      assert.deepEqual(await handles('{ handle: { ne: "b" } }'), ['a', 'c', 'D']);
      assert.deepEqual(await handles('{ handle: { gt: "b" } }'), ['c', 'D']);
      assert.deepEqual(await handles('{ handle: { le: "C" } }'), ['a', 'B', 'c']);
      assert.deepEqual(await handles('{ handle: { between: ["A", "b"] } }'), ['a', 'B']);
      assert.deepEqual(await handles('{ handle: { beginsWith: "C" } }'), ['c']);
      // the key of a get, the sort key condition of the @index query, a mutation's key and condition
      assert.deepEqual((await q('{ getHandle(handle: "d") { handle note } }')).getHandle, { handle: 'D', note: '4' });
      const titles = async (cond) => (await q(`{ postsByBoard(board: "x", title: ${cond}) { items { title } } }`)).postsByBoard.items.map((p) => p.title);
      assert.deepEqual(await titles('{ eq: "d" }'), ['D']);
      assert.deepEqual(await titles('{ gt: "B" }'), ['c', 'D']);
      assert.deepEqual(await titles('{ between: ["b", "C"] }'), ['B', 'c']);
      if (plan === 'rows') return; // the writes once
      assert.deepEqual((await q('mutation { updateHandle(input: { handle: "A", note: "one" }, condition: { note: { eq: "1" } }) { handle note } }')).updateHandle,
        { handle: 'a', note: 'one' });
      const { id } = (await q('{ postsByBoard(board: "x", title: { eq: "d" }) { items { id } } }')).postsByBoard.items[0];
      assert.deepEqual((await q(`mutation { updatePost(input: { id: "${id}", board: "y" }, condition: { title: { eq: "d" } }) { title board } }`)).updatePost,
        { title: 'D', board: 'y' });
    }, url, { GRAPHGATE_DATABASE_PLAN: plan });
  } finally {
    await psql(dbUrl, '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
});

test('row level security: init names the tables that have it; a write a policy refuses is Unauthorized', { skip }, async () => {
  const role = 'gg_it_rls_app';
  let r = await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_rls CASCADE', '-c', `DROP ROLE IF EXISTS ${role}`, '-c', `CREATE ROLE ${role}`,
    '-c', 'CREATE SCHEMA gg_it_rls',
    '-c', 'CREATE TABLE gg_it_rls.notes (id serial PRIMARY KEY, body text NOT NULL, hidden boolean NOT NULL DEFAULT false)',
    '-c', 'ALTER TABLE gg_it_rls.notes ENABLE ROW LEVEL SECURITY', '-c', 'CREATE POLICY visible ON gg_it_rls.notes USING (NOT hidden)',
    '-c', `GRANT USAGE ON SCHEMA gg_it_rls TO ${role}`, '-c', `GRANT ALL ON ALL TABLES IN SCHEMA gg_it_rls TO ${role}`,
    '-c', `GRANT ALL ON ALL SEQUENCES IN SCHEMA gg_it_rls TO ${role}`,
    '-c', "INSERT INTO gg_it_rls.notes (body, hidden) VALUES ('shown', false), ('kept back', true)");
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_rls', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /table "notes" has row level security \(1 policy\): graphgate reads and writes the rows they allow the role of its database URL/);
    // served as a role the policy applies to (not the table's owner, no superuser)
    const asRole = `${storeUrl}${storeUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c role=${role}`)}`;
    await withServed(out, async (q, raw) => {
      assert.deepEqual((await q('{ listNotes { items { body } } }')).listNotes.items, [{ body: 'shown' }]);
      assert.deepEqual((await q('mutation { createNote(input: { body: "new" }) { body hidden } }')).createNote, { body: 'new', hidden: false });
      const refused = await raw('mutation { createNote(input: { body: "sneaky", hidden: true }) { id } }');
      assert.equal(refused.body.errors?.[0]?.errorType, 'Unauthorized', refused.text);
      assert.match(refused.body.errors[0].message, /row level security policy/);
    }, asRole);
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_rls CASCADE', '-c', `DROP ROLE IF EXISTS ${role}`);
  }
});

test('tables named with English plurals, regular or not, make singular types; a word no rule is sure of stays', { skip }, async () => {
  const tables = { series: 'Series', statuses: 'Status', addresses: 'Address', boxes: 'Box', people: 'Person', data: 'Data',
    news: 'News', analyses: 'Analysis', indices: 'Index', children: 'Child', categories: 'Category', movies: 'Movie',
    quizzes: 'Quiz', order_statuses: 'OrderStatus', houses: 'House' };
  let r = await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_names CASCADE', '-c', 'CREATE SCHEMA gg_it_names',
    ...Object.keys(tables).flatMap((t) => ['-c', `CREATE TABLE gg_it_names.${t} (id serial PRIMARY KEY, name text)`]));
  assert.equal(r.code, 0, r.stderr);
  try {
    const out = tempDir();
    r = await init('--from-database', storeUrl, '--schema', 'gg_it_names', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const sdl = readFileSync(join(out, 'schema.graphql'), 'utf8');
    for (const [table, type] of Object.entries(tables))
      assert.match(sdl, new RegExp(`\\ntype ${type} @model\\(timestamps: null\\)${table === type ? '' : ` @refersTo\\(name: "${table}"\\)`} `), table);
    assert.doesNotMatch(sdl, /Sery|Statu\b|Addres\b|Movy|Quizz|Datum|Peoples/);
    await withServed(out, async (q) => {
      // the transformer's plurals of these types give the tables' names back
      const created = await q('mutation { createPerson(input: { name: "Ada" }) { id } createSeries(input: { name: "S1" }) { id } createStatus(input: { name: "open" }) { id } }');
      assert.match(created.createPerson.id, /^\d+$/);
      const lists = await q('{ listPeople { items { name } } listSeries { items { name } } listStatuses { items { name } } listData { items { id } } ' +
        'listNews { items { id } } listAnalyses { items { id } } listIndices { items { id } } listChildren { items { id } } listCategories { items { id } } ' +
        'listMovies { items { id } } listQuizzes { items { id } } listBoxes { items { id } } listAddresses { items { id } } listOrderStatuses { items { id } } }');
      assert.deepEqual(lists.listPeople.items, [{ name: 'Ada' }]);
      assert.deepEqual(lists.listSeries.items, [{ name: 'S1' }]);
      assert.deepEqual(lists.listStatuses.items, [{ name: 'open' }]);
      assert.deepEqual(lists.listMovies.items, []);
      assert.deepEqual((await q(`{ getSeries(id: "${created.createSeries.id}") { name } }`)).getSeries, { name: 'S1' });
    });
  } finally {
    await psql(storeUrl, '-c', 'DROP SCHEMA IF EXISTS gg_it_names CASCADE');
  }
});

test('migrate over the served database leaves its view and its foreign keys alone, and neither drops nor converts anything', { skip }, async () => {
  // the view is a read-only model: no table, column or index can be added to it, and before,
  // its ALTER TABLE ... ADD COLUMN failed every migration of a database init had served. The
  // order lines' ON DELETE CASCADE under a name of its own (as Rails names them) gets no
  // RESTRICT twin named graphgate's way, which would refuse every delete of an order.
  let r = await psql(storeUrl, '-c', 'ALTER TABLE order_lines RENAME CONSTRAINT order_lines_order_id_fkey TO fk_rails_3f2b1a9c0d');
  assert.equal(r.code, 0, r.stderr);
  const env = { ...process.env, GRAPHGATE_DATABASE_URL: storeUrl };
  const config = join(dir, 'graphgate.json');
  const before = (await psql(storeUrl, '-c', 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders), (SELECT count(*) FROM order_totals)')).stdout;
  const dry = await run(bin, ['migrate', '--dry-run', '-c', config], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /model OrderTotal: "order_totals" is a view in the database: left as it is/);
  assert.doesNotMatch(dry.stdout, /order_totals|DROP|ALTER COLUMN/);
  // the indexes init made the @index directives from serve them, and the foreign keys' lookups:
  // no second index of each under graphgate's name (each would slow every write and lock the table
  // while it is built)
  assert.doesNotMatch(dry.stdout, /CREATE INDEX/);
  assert.match(dry.stderr, /note: "orders": index "orders_ordersByCustomerIdAndPlacedAt" not made, "orders_by_customer" serves its lookups/);
  assert.match(dry.stderr, /note: "order_lines": index "order_lines_order_id_idx" not made, "order_lines_pkey" serves its lookups/);
  const real = await run(bin, ['migrate', '-c', config], { env });
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stdout, /0 column types converted/);
  // the configuration names its cursor secret (cursor.secret): no graphgate_meta table in the user's database
  assert.doesNotMatch(dry.stdout, /graphgate_meta/);
  assert.equal((await psql(storeUrl, '-c', "SELECT to_regclass('graphgate_meta') IS NULL")).stdout.trim(), 't');
  const kind = await psql(storeUrl, '-c', "SELECT relkind FROM pg_class WHERE oid = 'order_totals'::regclass");
  assert.equal(kind.stdout.trim(), 'v');
  assert.equal((await psql(storeUrl, '-c', 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders), (SELECT count(*) FROM order_totals)')).stdout, before);
  r = await psql(storeUrl, '-c', "SELECT string_agg(conname || ':' || confdeltype::text, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND contype = 'f'");
  assert.equal(r.stdout.trim(), 'fk_rails_3f2b1a9c0d:c,order_lines_product_sku_fkey:a');
  assert.equal((await ok(servers.rows, `mutation { deleteOrder(input: { id: "${ORDER}" }) { id } }`)).deleteOrder.id, ORDER);
  assert.equal((await psql(storeUrl, '-c', `SELECT count(*) FROM order_lines WHERE order_id = '${ORDER}'`)).stdout.trim(), '0');
});
