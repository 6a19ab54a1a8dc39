// late_database.test.mjs: graphgate started while its database does not answer yet (a pod that
// starts before PostgreSQL). With a cursor secret configured it starts anyway, but it could not read
// the @model tables' column types, so its fields would use graphgate's storage types: /readyz says
// 503 until the database answers, then graphgate reloads by itself, reads them and is ready. The
// table's key is uuid, not the text graphgate would make: a get by id only works with its real type.
// The database "comes up" as a TCP relay to the PostgreSQL of scripts/test.sh, started late.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, post, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const ID = '0b6a1f7e-3c2d-4e5f-8a9b-1c2d3e4f5a6b';

let relay = null;
let srv = null;
after(async () => {
  if (srv) await srv.stop();
  if (relay) relay.close();
  if (!skip) await psql('DROP TABLE IF EXISTS gg_it_late_thing');
});

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const readyz = async (base) => {
  const r = await fetch(`${base}/readyz`);
  return { status: r.status, body: await r.json() };
};

test('started before its database answers: not ready until it has read the column types, then serves them', { skip }, async () => {
  const made = await psql(`DROP TABLE IF EXISTS gg_it_late_thing;
    CREATE TABLE gg_it_late_thing (id uuid PRIMARY KEY, name text NOT NULL,
      "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
    INSERT INTO gg_it_late_thing (id, name) VALUES ('${ID}', 'first')`);
  assert.equal(made.code, 0, made.stderr);
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'),
    'type Thing @model @refersTo(name: "gg_it_late_thing") { id: ID! name: String! }\n');
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 1, database: { pool_size: 1 } }));

  const real = new URL(dbUrl);
  const relayPort = await freePort();
  const late = new URL(dbUrl);
  late.port = String(relayPort);
  srv = await startServer({
    config,
    env: { GRAPHGATE_DATABASE_URL: late.href, GRAPHGATE_CURSOR_SECRET: randomBytes(24).toString('hex') },
  });
  assert.match(srv.stderr(), /warning: the column types of the @model tables were not read \(.*\): graphgate's storage types are assumed until the database answers/);
  const before = await readyz(srv.base);
  assert.equal(before.status, 503);
  assert.equal(before.body.database, 'unreachable');

  relay = net.createServer((client) => {
    const upstream = net.connect(Number(real.port), real.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise((res) => relay.listen(relayPort, '127.0.0.1', res));

  let state = before;
  for (let i = 0; i < 150 && state.status !== 200; i++) {
    await sleep(100);
    state = await readyz(srv.base);
  }
  assert.equal(state.status, 200, JSON.stringify(state.body) + srv.stderr());
  assert.match(srv.stderr(), /the database answers now \(the @model column types were not read\): reloading/);
  assert.match(srv.stderr(), /reload done: generation 2 serves new requests/);

  const got = await post(srv.url, { query: `{ getThing(id: "${ID}") { id name } }` });
  assert.deepEqual(got.body, { data: { getThing: { id: ID, name: 'first' } } }, JSON.stringify(got.body));
  const made2 = await post(srv.url, { query: 'mutation { createThing(input: { id: "6f1c3a52-8d3e-4f1a-9a55-0c2f4b1e7f01", name: "second" }) { id name } }' });
  assert.deepEqual(made2.body, { data: { createThing: { id: '6f1c3a52-8d3e-4f1a-9a55-0c2f4b1e7f01', name: 'second' } } }, JSON.stringify(made2.body));
});
