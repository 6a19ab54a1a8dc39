// native_migrate.test.mjs: the tables `graphgate migrate` makes use PostgreSQL's own types (issue
// 12), through the real graphgate binary over HTTP, for both plans (database.plan rows and json).
// First the column types migrate gives each scalar, embedded type and list. Then the type matrix
// over those tables: create, read, update, filter with every operator that applies, sort and
// paginate an @index query by an AWSDateTime, each value compared with the form AppSync's scalars
// give it. Last, the conversion of graphgate's text tables of before: a table with text dates and
// data, `migrate --dry-run` shows the ALTERs and changes nothing, `migrate` converts, and the values
// read back identical; a table with a value that cannot convert is left as it is, with a message
// naming the value, and still serves.
// The tables are this file's own (GgMig*, GgConv*); it does not restart the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, post, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const SCHEMA = `
enum GgMigMood { HAPPY SAD }
type GgMigPoint { x: Int y: Int }
type GgMigSample @model {
  id: ID!
  kind: String! @index(name: "byKind", sortKeyFields: ["at"], queryField: "migSamplesByKind")
  label: String
  count: Int
  big: AWSTimestamp
  score: Float
  active: Boolean
  day: AWSDate
  clock: AWSTime
  at: AWSDateTime
  doc: AWSJSON
  ip: AWSIPAddress
  email: AWSEmail
  mood: GgMigMood
  point: GgMigPoint
  tags: [String]
  scores: [Int]
  ratios: [Float]
  flags: [Boolean]
  moods: [GgMigMood]
  days: [AWSDate]
  ats: [AWSDateTime]
  clocks: [AWSTime]
  docs: [AWSJSON]
  points: [GgMigPoint]
}
`;
const CONVERT_SCHEMA = `
type GgConvItem @model {
  id: ID!
  at: AWSDateTime
  day: AWSDate
  clock: AWSTime
  note: String
}
type GgConvBad @model {
  id: ID!
  at: AWSDateTime
  day: AWSDate
}
`;
const LIST_SCHEMA = `
enum GgListMood { HAPPY SAD }
type GgConvList @model {
  id: ID!
  tags: [String]
  scores: [Int]
  ratios: [Float]
  flags: [Boolean]
  moods: [GgListMood]
  days: [AWSDate]
  ats: [AWSDateTime]
  legacy: [String]
  mixed: [Int]
  notList: [String]
  badDays: [AWSDate]
}
`;
const TABLES = '"GgMigSample", "GgConvItem", "GgConvBad", "GgConvList"';

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const columnTypes = async (table) => {
  const r = await psql(`SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
    FROM pg_attribute WHERE attrelid = '"${table}"'::regclass AND attnum > 0 AND NOT attisdropped`);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};

let dir;
const servers = {};
const started = [];

function writeApp(name, schema) {
  writeFileSync(join(dir, `${name}.graphql`), schema);
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({ schema: [`${name}.graphql`], threads: 1, database: { pool_size: 1 } }));
  return config;
}
const migrate = (config, ...args) => run(bin, ['migrate', ...args, '-c', config], { env: { ...process.env, GRAPHGATE_DATABASE_URL: dbUrl } });
async function serve(config, plan) {
  const srv = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_DATABASE_PLAN: plan } });
  started.push(srv);
  return srv;
}
async function ok(srv, query, variables) {
  const res = await post(srv.url, { query, variables });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.errors, undefined, `${JSON.stringify(res.body.errors)}\n${srv.stderr().slice(-2000)}`);
  return res.body.data;
}

let config;
before(async () => {
  if (skip) return;
  dir = tempDir();
  const r = await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
  assert.equal(r.code, 0, r.stderr);
  config = writeApp('matrix', SCHEMA);
  const m = await migrate(config);
  assert.equal(m.code, 0, m.stderr);
  for (const plan of ['rows', 'json']) servers[plan] = await serve(config, plan);
});

after(async () => {
  for (const srv of started) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
});

test('migrate gives each scalar its PostgreSQL type, lists arrays, and a second run changes nothing', { skip }, async () => {
  const ts = 'timestamp(3) with time zone';
  assert.equal(await columnTypes('GgMigSample'), [
    'id text', 'kind text', 'label text', 'count integer', 'big bigint', 'score double precision', 'active boolean',
    'day date', 'clock time(3) without time zone', `at ${ts}`, 'doc jsonb', 'ip text', 'email text', 'mood text',
    'point jsonb', 'tags text[]', 'scores integer[]', 'ratios double precision[]', 'flags boolean[]', 'moods text[]',
    'days date[]', `ats ${ts}[]`, 'clocks time(3) without time zone[]', 'docs jsonb', 'points jsonb',
    `"createdAt" ${ts}`, `"updatedAt" ${ts}`,
  ].join(', ').replace(/"/g, ''));
  for (const srv of Object.values(servers)) assert.doesNotMatch(srv.stderr(), /GgMigSample/);
  const again = await migrate(config, '--dry-run');
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /ALTER COLUMN/);
  assert.doesNotMatch(again.stderr, /column|GgMig/);
});

const FIELDS = `id kind label count big score active day clock at doc ip email mood point { x y } tags scores ratios
  flags moods days ats clocks docs points { x y } createdAt updatedAt`;
// what the client sends, and what AppSync's scalars give back
const INPUT = {
  kind: 'k', label: 'plain text', count: -123456, big: 1765020252, score: -1.125, active: true, day: '2026-12-06',
  clock: '11:24:12.849', at: '2026-12-06T12:24:12.849+01:00', doc: '{"a":[1,2],"b":"x"}', ip: '2001:DB8::1/128',
  email: 'Mixed@Case.test', mood: 'SAD', point: { x: 1, y: -2 }, tags: ['red', 'blue', 'red'], scores: [3, 1, 2],
  ratios: [0.5, -2.25], flags: [true, false], moods: ['HAPPY', 'SAD'], days: ['2026-01-02', '2026-12-31'],
  ats: ['2026-01-01T00:00:00.001Z', '2026-01-01T05:00:00+05:00'], clocks: ['00:00:00.000', '23:59:59.999'],
  docs: ['{"k":1}', '[true]'], points: [{ x: 0, y: 0 }, { x: 5, y: 6 }],
};
const OUTPUT = {
  ...INPUT, at: '2026-12-06T11:24:12.849Z', ats: ['2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.000Z'],
};
const AWS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const plan of ['rows', 'json']) {
  const srv = () => servers[plan];
  const id = `mig-${plan}`;

  test(`${plan}: every type of the matrix is written and read back in AppSync's forms`, { skip }, async () => {
    const created = (await ok(srv(), `mutation ($input: CreateGgMigSampleInput!) { createGgMigSample(input: $input) { ${FIELDS} } }`,
      { input: { id, ...INPUT } })).createGgMigSample;
    const { createdAt, updatedAt, ...values } = created;
    assert.match(createdAt, AWS_DATETIME);
    assert.equal(updatedAt, createdAt);
    assert.deepEqual(values, { id, ...OUTPUT });
    const read = (await ok(srv(), `{ getGgMigSample(id: "${id}") { ${FIELDS} } }`)).getGgMigSample;
    assert.deepEqual(read, created);
    const listed = (await ok(srv(), `{ listGgMigSamples(filter: { id: { eq: "${id}" } }) { items { ${FIELDS} } } }`)).listGgMigSamples.items;
    assert.deepEqual(listed, [created]);
    // stored as PostgreSQL values: instants, dates, arrays
    const stored = await psql(`SELECT at = '2026-12-06 11:24:12.849+00', day + 1, clock < '12:00', tags[3], scores[2] + 1,
      ats[2] = '2026-01-01 00:00:00+00', days[2] - days[1], point->>'y', docs->>1, "createdAt" <= now()
      FROM "GgMigSample" WHERE id = '${id}'`);
    assert.equal(stored.code, 0, stored.stderr);
    assert.equal(stored.stdout.trim(), 't|2026-12-07|t|red|2|t|363|-2|[true]|t');
  });

  test(`${plan}: update writes each type, null clears it, an empty list stays empty`, { skip }, async () => {
    const changes = { count: 7, at: '2027-01-01T00:00:00Z', day: '2027-02-03', clock: '23:59:59.999', mood: 'HAPPY',
      tags: [], scores: null, ats: ['2027-06-01T10:00:00.5-02:00'], flags: [false], doc: '[1,"two"]', point: null };
    const r = (await ok(srv(), `mutation ($input: UpdateGgMigSampleInput!) { updateGgMigSample(input: $input) { ${FIELDS} } }`,
      { input: { id, ...changes } })).updateGgMigSample;
    assert.deepEqual(Object.fromEntries(Object.keys(changes).map((k) => [k, r[k]])),
      { ...changes, at: '2027-01-01T00:00:00.000Z', ats: ['2027-06-01T12:00:00.500Z'] });
    assert.equal(r.label, INPUT.label, 'a field not given keeps its value');
    // an AWSDate's zone is dropped (date has none)
    const zoned = (await ok(srv(), 'mutation ($input: UpdateGgMigSampleInput!) { updateGgMigSample(input: $input) { day } }',
      { input: { id, day: '1970-01-01-07:00' } })).updateGgMigSample;
    assert.deepEqual(zoned, { day: '1970-01-01' });
    assert.match(r.updatedAt, AWS_DATETIME);
    assert.ok(r.updatedAt >= r.createdAt);
    await ok(srv(), 'mutation ($input: UpdateGgMigSampleInput!) { updateGgMigSample(input: $input) { id } }', { input: { id, ...INPUT } });
  });

  test(`${plan}: filters compare each type as itself, with every operator that applies`, { skip }, async () => {
    const matches = async (filter) => {
      const r = await ok(srv(), 'query ($f: ModelGgMigSampleFilterInput) { listGgMigSamples(filter: $f) { items { id } } }', { f: filter });
      return r.listGgMigSamples.items.some((x) => x.id === id);
    };
    const yes = [
      // AWSDateTime: time order, any offset
      { at: { eq: '2026-12-06T11:24:12.849Z' } }, { at: { eq: '2026-12-06T06:24:12.849-05:00' } },
      { at: { ne: '2026-12-06T11:24:12.848Z' } }, { at: { gt: '2026-12-06T11:24:12Z' } }, { at: { ge: '2026-12-06T12:24:12.849+01:00' } },
      { at: { lt: '2026-12-06T11:24:13Z' } }, { at: { le: '2026-12-06T11:24:12.849Z' } },
      { at: { between: ['2026-12-06T00:00:00+14:00', '2026-12-06T23:59:59-12:00'] } }, { at: { beginsWith: '2026-12-06T11:' } },
      { at: { attributeExists: true } }, { at: { size: { eq: 24 } } },
      // AWSDate, AWSTime
      { day: { eq: '2026-12-06' } }, { day: { ne: '2026-12-07' } }, { day: { gt: '2026-12-05' } }, { day: { ge: '2026-12-06' } },
      { day: { lt: '2027-01-01' } }, { day: { le: '2026-12-06' } }, { day: { between: ['2026-12-01', '2026-12-31'] } },
      { day: { beginsWith: '2026-12' } }, { day: { eq: '2026-12-06Z' } }, { day: { eq: '2026-12-06-07:00' } }, { clock: { eq: '11:24:12.849' } }, { clock: { gt: '09:00' } },
      { clock: { lt: '11:24:12.85' } }, { clock: { between: ['11:00:00', '12:00:00'] } }, { clock: { beginsWith: '11:24' } },
      // numbers, booleans
      { count: { eq: -123456 } }, { count: { ne: 0 } }, { count: { lt: 0 } }, { count: { between: [-200000, -100000] } },
      { big: { ge: 1765020252 } }, { big: { gt: 1765020251 } }, { score: { le: -1.125 } }, { score: { between: [-2, 0] } },
      { active: { eq: true } }, { active: { ne: false } }, { active: { attributeExists: true } },
      // strings and enums (text)
      { label: { eq: 'plain text' } }, { label: { beginsWith: 'plain' } }, { label: { contains: 'in t' } },
      { label: { notContains: 'xyz' } }, { label: { size: { eq: 10 } } }, { label: { gt: 'plain' } },
      { ip: { eq: '2001:DB8::1/128' } }, { ip: { beginsWith: '2001:DB8' } }, { email: { eq: 'Mixed@Case.test' } },
      { mood: { eq: 'SAD' } }, { mood: { ne: 'HAPPY' } },
      // lists as arrays
      { tags: { contains: 'blue' } }, { tags: { notContains: 'green' } }, { tags: { size: { eq: 3 } } },
      { scores: { attributeExists: true } }, { ratios: { attributeExists: true } }, { flags: { attributeExists: true } },
      { moods: { contains: 'SAD' } }, { days: { contains: '2026-12-31' } }, { ats: { contains: '2026-01-01T00:00:00.001Z' } },
      { clocks: { contains: '23:59:59.999' } }, { docs: { attributeExists: true } },
      // combinations
      { and: [{ at: { gt: '2026-01-01T00:00:00Z' } }, { day: { lt: '2027-01-01' } }] },
      { or: [{ count: { eq: 1 } }, { tags: { contains: 'red' } }] }, { not: { mood: { eq: 'HAPPY' } } },
    ];
    const no = [
      { at: { lt: '2026-12-06T11:24:12.849Z' } }, { at: { gt: '2026-12-06T12:24:12.849+01:00' } }, { at: { ne: '2026-12-06T11:24:12.849Z' } },
      { at: { beginsWith: '2026-12-06T12' } }, { day: { gt: '2026-12-06' } }, { day: { ne: '2026-12-06' } },
      { clock: { ge: '11:24:12.85' } }, { count: { gt: 0 } }, { score: { eq: 1.125 } }, { active: { eq: false } },
      { label: { beginsWith: 'text' } }, { mood: { eq: 'HAPPY' } }, { tags: { contains: 'green' } },
      { tags: { notContains: 'red' } }, { scores: { attributeExists: false } }, { days: { contains: '2026-12-30' } },
      { ats: { contains: '2026-01-01T00:00:00.002Z' } }, { label: { attributeExists: false } },
    ];
    for (const f of yes) assert.equal(await matches(f), true, `no match for ${JSON.stringify(f)}`);
    for (const f of no) assert.equal(await matches(f), false, `unexpected match for ${JSON.stringify(f)}`);
  });

  test(`${plan}: an @index query sorts by time (not by string) and pages without a gap`, { skip }, async () => {
    const kind = `page-${plan}`;
    // string order would put the +14:00 one first and the -12:00 one last
    const sent = ['2026-03-01T13:00:00+14:00', '2026-02-28T23:00:00.001Z', '2026-02-28T12:00:00-12:00', '2026-03-01T00:00:00.5Z',
      '2026-02-28T23:00:00.002+00:00'];
    for (let i = 0; i < sent.length; i++)
      await ok(srv(), 'mutation ($input: CreateGgMigSampleInput!) { createGgMigSample(input: $input) { id } }', { input: { id: `${kind}-${i}`, kind, at: sent[i] } });
    const times = ['2026-02-28T23:00:00.000Z', '2026-02-28T23:00:00.001Z', '2026-02-28T23:00:00.002Z', '2026-03-01T00:00:00.000Z',
      '2026-03-01T00:00:00.500Z'];
    for (const direction of ['ASC', 'DESC']) {
      const seen = [];
      let token = null;
      do {
        const r = (await ok(srv(), `query ($t: String) { migSamplesByKind(kind: "${kind}", sortDirection: ${direction}, limit: 2, nextToken: $t) { items { at } nextToken } }`,
          { t: token })).migSamplesByKind;
        seen.push(...r.items.map((x) => x.at));
        token = r.nextToken;
      } while (token && seen.length < 10);
      assert.deepEqual(seen, direction === 'ASC' ? times : [...times].reverse());
    }
    const r = (await ok(srv(), `{ migSamplesByKind(kind: "${kind}", at: { between: ["2026-02-28T23:00:00.001Z", "2026-03-01T01:00:00+01:00"] }) { items { at } } }`))
      .migSamplesByKind;
    assert.deepEqual(r.items.map((x) => x.at), times.slice(1, 4));
    const sorted = (await ok(srv(), `{ listGgMigSamples(filter: { kind: { eq: "${kind}" }, at: { ge: "2026-03-01T00:00:00Z" } }) { items { at } } }`))
      .listGgMigSamples.items.map((x) => x.at).sort();
    assert.deepEqual(sorted, times.slice(3));
  });
}

test('graphgate text tables of before are converted when every value reads back the same, else left as they are', { skip }, async () => {
  // the tables as graphgate's migrate made them before native types: text dates and times
  const made = await psql(`
    CREATE TABLE "GgConvItem" (id text PRIMARY KEY, at text, day text, clock text, note text, "createdAt" text, "updatedAt" text);
    CREATE TABLE "GgConvBad" (id text PRIMARY KEY, at text, day text, "createdAt" text, "updatedAt" text);
    INSERT INTO "GgConvBad" VALUES ('b1', '2026-12-06T11:24:12.849Z', '2026-02-28', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
      ('b2', 'yesterday', '2026-02-30', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`);
  assert.equal(made.code, 0, made.stderr);
  const convertConfig = writeApp('convert', CONVERT_SCHEMA);
  const items = [
    { id: 'i1', at: '2026-12-06T11:24:12.849Z', day: '2026-12-06', clock: '11:24:12.849', note: 'one' },
    { id: 'i2', at: '1999-12-31T23:59:59.999Z', day: '2000-02-29', clock: '00:00:00.000', note: 'two' },
    { id: 'i3', at: null, day: null, clock: null, note: 'three' },
  ];
  const FIELDS_CONV = 'id at day clock note createdAt updatedAt';
  const readAll = async (srv) => ({
    items: (await ok(srv, `{ listGgConvItems { items { ${FIELDS_CONV} } } }`)).listGgConvItems.items.sort((a, b) => a.id.localeCompare(b.id)),
    // (the values that do not convert are not AWSDateTime or AWSDate values either: only ids are read)
    bad: (await ok(srv, '{ listGgConvBads { items { id } } }')).listGgConvBads.items.map((x) => x.id).sort(),
    badStored: (await psql('SELECT string_agg(concat_ws(\'|\', id, at, day), \',\' ORDER BY id) FROM "GgConvBad"')).stdout.trim(),
  });
  let srv = await serve(convertConfig, 'rows');
  for (const item of items)
    await ok(srv, `mutation ($i: CreateGgConvItemInput!) { createGgConvItem(input: $i) { id } }`, { i: item });
  const before = await readAll(srv);
  assert.deepEqual(before.items.map(({ createdAt, updatedAt, ...rest }) => rest), items);
  assert.deepEqual(before.bad, ['b1', 'b2']);
  assert.equal(before.badStored, 'b1|2026-12-06T11:24:12.849Z|2026-02-28,b2|yesterday|2026-02-30');

  const BAD_AT = `column "GgConvBad"."at" stays text (GgConvBad.at would be timestamp with time zone): not converted, the value 'yesterday' is not an AWSDateTime`;
  const BAD_DAY = 'column "GgConvBad"."day" stays text (GgConvBad.day would be date): not converted, a value is not an AWSDate without a zone (2026-12-06): date/time field value out of range: "2026-02-30"';
  const ts = 'timestamp(3) with time zone';
  const alters = (table, columns) => columns.map(([c, type]) => `ALTER TABLE "${table}" ALTER COLUMN "${c}" TYPE ${type} USING "${c}"::${type};`);
  const expected = [
    ...alters('GgConvItem', [['at', ts], ['day', 'date'], ['clock', 'time(3) without time zone'], ['createdAt', ts], ['updatedAt', ts]]),
    ...alters('GgConvBad', [['createdAt', ts], ['updatedAt', ts]]),
  ];
  const dry = await migrate(convertConfig, '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.split('\n').filter((l) => l.includes('ALTER COLUMN')), expected);
  assert.ok(dry.stderr.includes(BAD_AT), dry.stderr);
  assert.ok(dry.stderr.includes(BAD_DAY), dry.stderr);
  assert.equal(await columnTypes('GgConvItem'), 'id text, at text, day text, clock text, note text, createdAt text, updatedAt text');

  const applied = await migrate(convertConfig);
  assert.equal(applied.code, 0, applied.stderr);
  assert.ok(applied.stderr.includes(BAD_AT), applied.stderr);
  assert.equal(await columnTypes('GgConvItem'),
    `id text, at ${ts}, day date, clock time(3) without time zone, note text, createdAt ${ts}, updatedAt ${ts}`);
  assert.equal(await columnTypes('GgConvBad'), `id text, at text, day text, createdAt ${ts}, updatedAt ${ts}`);
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());
  started.splice(started.indexOf(srv), 1);

  for (const plan of ['rows', 'json']) {
    srv = await serve(convertConfig, plan);
    assert.deepEqual(await readAll(srv), before, `${plan}: the values read back identical`);
    // the converted columns now compare as time, the text one that stayed as text
    const r = await ok(srv, '{ listGgConvItems(filter: { at: { gt: "2026-12-06T12:00:00+02:00" } }) { items { id } } }');
    assert.deepEqual(r.listGgConvItems.items, [{ id: 'i1' }]);
    assert.match(srv.stderr(), /column "GgConvBad"."at" is text but GgConvBad.at needs timestamp with time zone/);
  }
  const again = await migrate(convertConfig, '--dry-run');
  assert.deepEqual(again.stdout.split('\n').filter((l) => l.includes('ALTER COLUMN')), []);
});

test('graphgate lists of before (JSON in jsonb or text) become arrays when every item reads back the same, else stay', { skip }, async () => {
  // the table as graphgate's migrate made it before native types: lists as jsonb; legacy holds JSON
  // text; mixed, notList and badDays hold values no array of their type keeps
  const made = await psql(`
    CREATE TABLE "GgConvList" (id text PRIMARY KEY, tags jsonb, scores jsonb, ratios jsonb, flags jsonb, moods jsonb,
      days jsonb, ats jsonb, legacy text, mixed jsonb, "notList" jsonb, "badDays" jsonb, "createdAt" text, "updatedAt" text);
    INSERT INTO "GgConvList" VALUES
      ('l1', '["b", "a", "b", "with \\"quote\\" and {brace}, comma"]', '[3, -1, 2147483647]', '[0.5, 1e3, -2]', '[true, false]',
       '["SAD", "HAPPY"]', '["2026-02-28", "2024-02-29"]', '["2026-12-06T11:24:12.849Z", "2026-12-06T12:24:12.849+01:00"]',
       '["x", "y"]', '[1, 2]', '["a"]', '["2026-01-01"]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
      ('l2', '[]', NULL, '[]', '[null]', '[]', '[]', '[]', '[]', '[1, "2"]', '"a"', '["2026-02-30"]',
       '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`);
  assert.equal(made.code, 0, made.stderr);
  const listConfig = writeApp('lists', LIST_SCHEMA);
  // (legacy, JSON in text, is no list until converted; notList and badDays do not read as lists at all)
  const readAll = async (srv, fields = 'id tags scores ratios flags moods days ats mixed') =>
    (await ok(srv, `{ listGgConvLists { items { ${fields} } } }`)).listGgConvLists.items.sort((a, b) => a.id.localeCompare(b.id));
  let srv = await serve(listConfig, 'rows');
  const before = await readAll(srv);
  assert.deepEqual(before[0].tags, ['b', 'a', 'b', 'with "quote" and {brace}, comma']);
  assert.deepEqual(before[1].flags, [null]);
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());
  started.splice(started.indexOf(srv), 1);

  const ts = 'timestamp(3) with time zone';
  const alter = ([c, type]) => `ALTER TABLE "GgConvList" ALTER COLUMN "${c}" TYPE ${type} USING pg_temp.graphgate_list_items("${c}"::jsonb)::${type};`;
  const expected = [['tags', 'text[]'], ['scores', 'integer[]'], ['ratios', 'double precision[]'], ['flags', 'boolean[]'],
    ['moods', 'text[]'], ['days', 'date[]'], ['ats', `${ts}[]`], ['legacy', 'text[]']].map(alter).concat(
    ['createdAt', 'updatedAt'].map((c) => `ALTER TABLE "GgConvList" ALTER COLUMN "${c}" TYPE ${ts} USING "${c}"::${ts};`));
  const dry = await migrate(listConfig, '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.split('\n').filter((l) => l.startsWith('ALTER TABLE "GgConvList" ALTER COLUMN')), expected);
  assert.match(dry.stdout, /CREATE OR REPLACE FUNCTION pg_temp\.graphgate_list_items\(jsonb\)/);
  assert.ok(dry.stderr.includes(`column "GgConvList"."mixed" stays jsonb (GgConvList.mixed would be integer[]): not converted, the value '[1, "2"]' is not a JSON list of whole numbers within integer`), dry.stderr);
  assert.ok(dry.stderr.includes(`column "GgConvList"."notList" stays jsonb (GgConvList.notList would be text[]): not converted, the value '"a"' is not a JSON list of strings`), dry.stderr);
  assert.ok(dry.stderr.includes(`column "GgConvList"."badDays" stays jsonb (GgConvList.badDays would be date[]): not converted, a value is not a JSON list of an AWSDate without a zone (2026-12-06)`), dry.stderr);
  assert.match(await columnTypes('GgConvList'), /^id text, tags jsonb, scores jsonb/);

  const applied = await migrate(listConfig);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(await columnTypes('GgConvList'),
    `id text, tags text[], scores integer[], ratios double precision[], flags boolean[], moods text[], days date[], ats ${ts}[], legacy text[], mixed jsonb, notList jsonb, badDays jsonb, createdAt ${ts}, updatedAt ${ts}`);
  for (const plan of ['rows', 'json']) {
    srv = await serve(listConfig, plan);
    const after = await readAll(srv);
    // the same lists, each date-time in UTC with milliseconds (its instant kept)
    const want = structuredClone(before);
    want[0].ats = ['2026-12-06T11:24:12.849Z', '2026-12-06T11:24:12.849Z'];
    assert.deepEqual(after, want, plan);
    assert.deepEqual((await readAll(srv, 'id legacy')).map((x) => x.legacy), [['x', 'y'], []], plan);
    const r = await ok(srv, '{ listGgConvLists(filter: { tags: { contains: "a" }, days: { contains: "2024-02-29" } }) { items { id } } }');
    assert.deepEqual(r.listGgConvLists.items, [{ id: 'l1' }]);
  }
  const again = await migrate(listConfig, '--dry-run');
  assert.deepEqual(again.stdout.split('\n').filter((l) => l.includes('ALTER COLUMN')), []);
});
