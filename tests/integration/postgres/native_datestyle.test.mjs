// native_datestyle.test.mjs: native date and time columns read right whatever DateStyle and
// TimeZone the database gives a session (issue 12). The rows plan selects them raw and reads
// PostgreSQL's ISO text (gg_pg_wire_text); here a database of this file's own has
// ALTER DATABASE ... SET DateStyle = 'SQL, DMY' and TimeZone = 'Asia/Kolkata', so a session starts
// writing 06/12/2026 16:54:12.849 IST. graphgate's pool sets DateStyle back to ISO, directly and
// through a PgBouncer in transaction mode (scripts/pgbouncer-local.sh) that pools that database,
// and the answers are the same as the json plan's (to_char, which no DateStyle changes) and as
// AppSync's forms written out here: offsets of any form (+05:30, local mean time +05:53:28,
// -03:00:15) in UTC, years BC and past 9999, infinity as null, timetz as the time of day in UTC.
// A statement that changes DateStyle mid-session (set_config in an @sql field) changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, post, root, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const hasBouncer = (await run('bash', ['-c', 'command -v pgbouncer'])).code === 0;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const script = join(root, 'scripts', 'pgbouncer-local.sh');
const DATABASE = 'gg_it_native_datestyle';

const SCHEMA = `
type Sample @model @refersTo(name: "gg_it_ds_sample") {
  id: ID!
  kind: String! @index(name: "byKind", sortKeyFields: ["at"], queryField: "samplesByKind")
  at: AWSDateTime
  local: AWSDateTime
  day: AWSDate
  clock: AWSTime
  clockz: AWSTime
  shown: String @refersTo(name: "shown_at")
}
type Style { style: String }
type Query {
  dateStyle(style: String!): Style @sql(statement: "SELECT set_config('DateStyle', :style, false) AS style")
}
`;
const FIELDS = 'id at local day clock clockz shown';
const ID = (suffix) => `5e0c4f3a-1b2d-4c5e-8f70-0a1b2c3d4e${suffix}`;
// id suffix, SQL values (at, local, day, clock, clockz, shown_at), what the client reads
const ROWS = [
  ['01', `'2026-12-06 11:24:12.849+00', '2026-12-06 11:24:12.849', '2026-12-06', '11:24:12.849', '11:24:12.849+01', '2026-12-06 11:24:12.849+00'`,
    { at: '2026-12-06T11:24:12.849Z', local: '2026-12-06T11:24:12.849Z', day: '2026-12-06', clock: '11:24:12.849', clockz: '10:24:12.849Z', shown: '2026-12-06T11:24:12.849Z' }],
  ['02', `'1800-01-01 00:00:00+00', '0044-03-15 12:00:00 BC', '0044-03-15 BC', '23:00:00.5', '00:00:00.0009-03', '0001-01-01 00:30:00+01 BC'`,
    { at: '1800-01-01T00:00:00.000Z', local: '0044-03-15T12:00:00.000Z', day: '0044-03-15', clock: '23:00:00.500', clockz: '03:00:00.000Z', shown: '0002-12-31T23:30:00.000Z' }],
  // the AWS scalars refuse years past 9999 (both plans alike): a String shows them
  ['03', `'9999-12-31 20:00:00-03:00:15', '2026-03-29 02:30:00', '9999-12-31', '00:00:00', '23:59:59.9999+00', '12026-01-01 00:00:00-03:00:15'`,
    { at: '9999-12-31T23:00:15.000Z', local: '2026-03-29T02:30:00.000Z', day: '9999-12-31', clock: '00:00:00.000', clockz: '23:59:59.999Z', shown: '12026-01-01T03:00:15.000Z' }],
  ['04', `'infinity', '-infinity', 'infinity', NULL, NULL, '-infinity'`,
    { at: null, local: null, day: null, clock: null, clockz: null, shown: null }],
  ['05', `'2026-12-31 23:30:00-01', '1969-12-31 23:59:59.999999', '2000-02-29', '23:59:59.999999', '00:30:00+05:30', '1970-01-01 05:30:00+05:30'`,
    { at: '2027-01-01T00:30:00.000Z', local: '1969-12-31T23:59:59.999Z', day: '2000-02-29', clock: '23:59:59.999', clockz: '19:00:00.000Z', shown: '1970-01-01T00:00:00.000Z' }],
];

let direct; // the URL of this file's database on the PostgreSQL of scripts/test.sh
let bouncerDir;
const servers = {};

const psql = (url, sql) => run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
async function ok(srv, query, variables) {
  const res = await post(srv.url, { query, variables });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.errors, undefined, `${JSON.stringify(res.body.errors)}\n${srv.stderr().slice(-2000)}`);
  return res.body.data;
}

before(async () => {
  if (skip) return;
  const url = new URL(dbUrl);
  url.pathname = `/${DATABASE}`;
  direct = url.toString();
  const made = await psql(dbUrl, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  assert.equal(made.code, 0, made.stderr);
  for (const sql of [`CREATE DATABASE ${DATABASE}`, `ALTER DATABASE ${DATABASE} SET DateStyle = 'SQL, DMY'`,
    `ALTER DATABASE ${DATABASE} SET TimeZone = 'Asia/Kolkata'`]) {
    const r = await psql(dbUrl, sql);
    assert.equal(r.code, 0, r.stderr);
  }
  const rows = ROWS.map(([suffix, values]) => `('${ID(suffix)}', 'ds', ${values})`);
  const r = await psql(direct, `
    CREATE TABLE gg_it_ds_sample (id uuid PRIMARY KEY, kind text NOT NULL, at timestamptz, local timestamp,
      day date, clock time, clockz timetz, shown_at timestamptz,
      "createdAt" timestamptz NOT NULL DEFAULT now(), "updatedAt" timestamptz NOT NULL DEFAULT now());
    CREATE INDEX ON gg_it_ds_sample (kind, at);
    INSERT INTO gg_it_ds_sample (id, kind, at, local, day, clock, clockz, shown_at) VALUES ${rows.join(', ')};`);
  assert.equal(r.code, 0, r.stderr);

  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 1, database: { pool_size: 1 } }));
  for (const plan of ['rows', 'json'])
    servers[plan] = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: direct, GRAPHGATE_DATABASE_PLAN: plan } });
  if (hasBouncer) {
    bouncerDir = tempDir();
    const port = await freePort();
    const started = await run('bash', [script, 'start', bouncerDir, String(port), url.port, '2', DATABASE]);
    assert.equal(started.code, 0, started.stderr);
    const bouncerUrl = (await run('bash', [script, 'url', bouncerDir, String(port), DATABASE])).stdout.trim();
    servers.pgbouncer = await startServer({
      config,
      env: {
        GRAPHGATE_DATABASE_URL: bouncerUrl, GRAPHGATE_DATABASE_PLAN: 'rows', GRAPHGATE_DATABASE_POOLER: 'pgbouncer-transaction',
        GRAPHGATE_DATABASE_LISTEN_URL: direct,
      },
    });
    servers.pgbouncer.bouncerUrl = bouncerUrl;
  }
});

after(async () => {
  for (const srv of Object.values(servers)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (bouncerDir) await run('bash', [script, 'stop', bouncerDir]);
  if (!skip) await psql(dbUrl, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
});

test('a session of the database starts with DateStyle SQL, DMY and TimeZone Asia/Kolkata, directly and through PgBouncer', { skip }, async () => {
  const urls = [direct, ...(servers.pgbouncer ? [servers.pgbouncer.bouncerUrl] : [])];
  for (const url of urls) {
    const r = await psql(url, `SELECT current_setting('DateStyle'), at::text FROM gg_it_ds_sample WHERE id = '${ID('01')}'`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'SQL, DMY|06/12/2026 16:54:12.849 IST', url);
  }
});

for (const name of ['rows', 'json', 'pgbouncer']) {
  const srv = () => servers[name];
  const skipHere = skip || (name === 'pgbouncer' && !hasBouncer ? 'pgbouncer is not installed' : false);

  test(`${name}: every value reads in AppSync's forms, by get, by list and in a write's answer`, { skip: skipHere }, async () => {
    for (const [suffix, , want] of ROWS) {
      const got = (await ok(srv(), `{ getSample(id: "${ID(suffix)}") { ${FIELDS} } }`)).getSample;
      assert.deepEqual(got, { id: ID(suffix), ...want }, suffix);
    }
    const listed = (await ok(srv(), `{ samplesByKind(kind: "ds", limit: 100) { items { ${FIELDS} } } }`)).samplesByKind.items;
    assert.deepEqual(listed.map((x) => x.id), ['02', '01', '05', '03', '04'].map(ID)); // by at; infinity last
    for (const item of listed) assert.deepEqual(item, { id: item.id, ...ROWS.find(([s]) => ID(s) === item.id)[2] });
    const id = ID(name === 'rows' ? '11' : name === 'json' ? '12' : '13');
    await psql(direct, `DELETE FROM gg_it_ds_sample WHERE id = '${id}'`);
    const input = {
      id, kind: `new-${name}`, at: '2026-12-06T16:54:12.849+05:30', local: '2026-12-06T11:24:12.849Z', day: '2026-12-06',
      clock: '11:24:12.849', clockz: '11:24:12.849+01:00', shown: '2026-12-06T11:24:12.849Z',
    };
    const created = (await ok(srv(), `mutation ($input: CreateSampleInput!) { createSample(input: $input) { ${FIELDS} } }`, { input })).createSample;
    assert.deepEqual(created, { ...ROWS[0][2], id });
    const stored = await psql(direct, `SELECT at = '2026-12-06 11:24:12.849+00', day = '2026-12-06' FROM gg_it_ds_sample WHERE id = '${id}'`);
    assert.equal(stored.stdout.trim(), 't|t');
  });

  test(`${name}: nextToken pages and filters on the dates`, { skip: skipHere }, async () => {
    for (const dir of ['ASC', 'DESC']) {
      const whole = (await ok(srv(), `{ samplesByKind(kind: "ds", sortDirection: ${dir}, limit: 100) { items { id } } }`)).samplesByKind.items.map((x) => x.id);
      const seen = [];
      let token = null;
      do {
        const r = (await ok(srv(), `query ($t: String) { samplesByKind(kind: "ds", sortDirection: ${dir}, limit: 2, nextToken: $t) { items { id } nextToken } }`, { t: token })).samplesByKind;
        seen.push(...r.items.map((x) => x.id));
        token = r.nextToken;
      } while (token && seen.length < 10);
      assert.deepEqual(seen, whole, dir);
    }
    const range = (await ok(srv(), `{ samplesByKind(kind: "ds", at: { between: ["2026-12-06T11:24:12.849Z", "2027-01-01T00:30:00.000Z"] }) { items { id at } } }`)).samplesByKind.items;
    assert.deepEqual(range, [{ id: ID('01'), at: ROWS[0][2].at }, { id: ID('05'), at: ROWS[4][2].at }]);
    const days = (await ok(srv(), `{ listSamples(filter: { kind: { eq: "ds" }, day: { lt: "2000-03-01" } }) { items { id } } }`)).listSamples.items.map((x) => x.id).sort();
    assert.deepEqual(days, [ID('02'), ID('05')]);
  });

  test(`${name}: a statement that sets another DateStyle mid-session changes no answer`, { skip: skipHere }, async () => {
    for (const style of ['German', 'Postgres, MDY', 'SQL, DMY']) {
      const set = (await ok(srv(), `{ dateStyle(style: "${style}") { style } }`)).dateStyle.style;
      assert.equal(set, style.includes(',') ? style : `${style}, DMY`);
      const got = (await ok(srv(), `{ getSample(id: "${ID('01')}") { ${FIELDS} } }`)).getSample;
      assert.deepEqual(got, { id: ID('01'), ...ROWS[0][2] }, style);
    }
  });
}
