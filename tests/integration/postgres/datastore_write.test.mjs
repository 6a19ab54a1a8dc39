// datastore_write.test.mjs: versioned mutations of synced models (issue 17, appsync-compat.md
// §4.4-§4.6), through the real graphgate binary over HTTP against the PostgreSQL of scripts/test.sh,
// once with each plan (database.plan rows and json). datastore.conflict_detection is VERSION with
// AUTOMERGE for every model but DwNote (OPTIMISTIC_CONCURRENCY) and DwPlain (NONE: unversioned).
// Each write is checked in its answer AND in the database: the row's _version/_lastChangedAt/
// _deleted/_ttl and its graphgate_changes rows (one per write, in the write's transaction: a log
// insert made to fail leaves the row unchanged). Conflicts: errors[0].data is the stored row in the
// selection's shape (aliases and __typename included), AUTOMERGE's merge rules, MaxConflicts (a
// trigger bumps _version under every write), deletes and tombstones, conditions, @auth owner rules.
// Its own tables (Dw*) and trigger functions (gg_it_dw_*); graphgate_changes rows are read by model.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { apiKeyAndOidcEnv, bin, hs256Token, post, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const ISSUER = 'https://issuer.graphgate.test';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const hsSecret = randomBytes(32).toString('hex');
const TOMBSTONE_TTL_MIN = 90;

const SCHEMA = `
type DwItem @model @auth(rules: [{ allow: public }]) {
  id: ID!
  name: String
  count: Int
  tags: [String]
  meta: AWSJSON
}
type DwNote @model @auth(rules: [{ allow: public }]) {
  id: ID!
  text: String
  done: Boolean
}
type DwPlain @model @auth(rules: [{ allow: public }]) {
  id: ID!
  text: String
}
type DwOwned @model @auth(rules: [{ allow: owner, provider: oidc }]) {
  id: ID!
  text: String
  owner: String
}
type DwList @model @auth(rules: [{ allow: public }]) {
  id: ID!
  name: String
  events: [DwEvent] @hasMany(indexName: "byList", fields: ["id"])
}
type DwEvent @model @auth(rules: [{ allow: public }]) {
  id: ID! @primaryKey(sortKeyFields: ["at"])
  at: AWSDateTime!
  text: String
  listId: ID @index(name: "byList")
  list: DwList @belongsTo(fields: ["listId"])
}
`;
const TABLES = '"DwItem", "DwNote", "DwPlain", "DwOwned", "DwList", "DwEvent"';
const CONFIG = {
  schema: ['schema.graphql'],
  threads: 2,
  datastore: {
    conflict_detection: 'VERSION',
    conflict_handler: 'AUTOMERGE',
    tombstone_ttl_min: TOMBSTONE_TTL_MIN,
    models: { DwNote: { conflict_handler: 'OPTIMISTIC_CONCURRENCY' }, DwPlain: { conflict_detection: 'NONE' } },
  },
};

const token = (sub, claims = {}) => hs256Token(hsSecret, { iss: ISSUER, sub, ...claims });
const A = { authorization: token('user-a', { username: 'alice' }) };
const B = { authorization: token('user-b', { username: 'bob' }) };
const KEY = { 'x-api-key': API_KEY };

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
async function sql(text) {
  const r = await psql(text);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}
// The stored row of a model as JSON (metadata and _ttl included).
async function stored(model, id) {
  const text = await sql(`SELECT row_to_json(t) FROM "${model}" t WHERE id = '${id}'`);
  return text ? JSON.parse(text) : null;
}
// The change log rows of one item, oldest first. pk is the id's text for a key of one column, the
// key's JSON text for a composite key (DwEvent's id and at).
async function changes(model, id) {
  const text = await sql(`SELECT COALESCE(json_agg(json_build_object('changed_at', changed_at, 'pk', pk, 'version', version,
    'deleted', deleted) ORDER BY changed_at, version), '[]') FROM graphgate_changes WHERE model = '${model}'
    AND CASE WHEN pk LIKE '{%' THEN pk::jsonb->>'id' ELSE pk END = '${id}'`);
  return JSON.parse(text);
}

let dir;
before(async () => {
  if (skip) return;
  dir = tempDir();
  const files = { 'schema.graphql': SCHEMA, 'hs.secret': `${hsSecret}\n`, 'api-keys': `${API_KEY}\n`, 'graphgate.json': JSON.stringify(CONFIG) };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  await sql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
  const mig = await run(bin, ['migrate', '-c', join(dir, 'graphgate.json')], {
    env: { ...process.env, GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' },
  });
  assert.equal(mig.code, 0, mig.stderr);
  await sql(`DELETE FROM graphgate_changes WHERE model IN ('DwItem', 'DwNote', 'DwPlain', 'DwOwned', 'DwList', 'DwEvent')`);
});

after(async () => {
  if (skip) return;
  await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
  await psql(`DELETE FROM graphgate_changes WHERE model IN ('DwItem', 'DwNote', 'DwPlain', 'DwOwned', 'DwList', 'DwEvent')`);
  await psql('DROP FUNCTION IF EXISTS gg_it_dw_spin() CASCADE; DROP FUNCTION IF EXISTS gg_it_dw_refuse() CASCADE');
});

const META = '_version _lastChangedAt _deleted';

for (const plan of ['rows', 'json']) {
  describe(`versioned mutations (database.plan ${plan})`, { skip }, () => {
    let srv;
    const id = (name) => `${name}-${plan}`;
    // Runs one mutation field; returns { data, error, body } of that field.
    async function mutate(field, input, selection, { condition, headers = KEY } = {}) {
      const type = field.replace(/^(create|update|delete)/, '');
      const op = field.match(/^(create|update|delete)/)[1];
      const inputType = `${op[0].toUpperCase()}${op.slice(1)}${type}Input!`;
      const query = `mutation M($input: ${inputType}${condition ? `, $condition: Model${type}ConditionInput` : ''}) {
        ${field}(input: $input${condition ? ', condition: $condition' : ''}) { ${selection} } }`;
      const res = await post(srv.url, { query, variables: { input, condition } }, headers);
      assert.equal(res.status, 200, res.text);
      const error = res.body.errors ? res.body.errors[0] : undefined;
      return { data: res.body.data ? res.body.data[field] : undefined, error, body: res.body };
    }
    async function query(text, headers = KEY) {
      const res = await post(srv.url, { query: text }, headers);
      assert.equal(res.status, 200, res.text);
      return res.body;
    }
    const conflict = (r, field) => {
      assert.equal(r.data, null, JSON.stringify(r.body));
      assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
      assert.equal(r.error.errorType, 'ConflictUnhandled', JSON.stringify(r.body));
      assert.deepEqual(r.error.path, [field]);
    };
    const failed = (r, errorType) => {
      assert.equal(r.data, null, JSON.stringify(r.body));
      assert.equal(r.error?.errorType, errorType, JSON.stringify(r.body));
    };

    const env = () => apiKeyAndOidcEnv({ dbUrl, plan, apiKeysFile: join(dir, 'api-keys'), issuer: ISSUER, secretFile: join(dir, 'hs.secret') });
    before(async () => (srv = await startServer({ config: join(dir, 'graphgate.json'), env: env() })));
    after(async () => srv && assert.equal((await srv.stop()).code, 0, `graphgate did not exit 0:\n${srv.stderr()}`));

    test('create, update and delete bump _version, stamp _lastChangedAt and log one change each', async () => {
      const t0 = Date.now();
      const c = await mutate('createDwItem', { id: id('life'), name: 'one', _version: 9 }, `id name ${META}`);
      assert.deepEqual({ ...c.data, _lastChangedAt: 0 }, { id: id('life'), name: 'one', _version: 1, _lastChangedAt: 0, _deleted: null });
      assert.ok(c.data._lastChangedAt >= t0 - 1000 && c.data._lastChangedAt <= Date.now() + 1000, `${c.data._lastChangedAt} vs ${t0}`);
      await new Promise((r) => setTimeout(r, 5));
      const u = await mutate('updateDwItem', { id: id('life'), name: 'two', _version: 1 }, `id name ${META}`);
      assert.equal(u.data._version, 2, JSON.stringify(u.body));
      assert.equal(u.data.name, 'two');
      assert.ok(u.data._lastChangedAt > c.data._lastChangedAt, 'the update is later');
      await new Promise((r) => setTimeout(r, 5));
      const d = await mutate('deleteDwItem', { id: id('life'), _version: 2 }, `id name ${META}`);
      assert.deepEqual({ ...d.data, _lastChangedAt: 0 }, { id: id('life'), name: 'two', _version: 3, _lastChangedAt: 0, _deleted: true });
      assert.ok(d.data._lastChangedAt > u.data._lastChangedAt, 'the delete is later');

      // the database: a tombstone with its purge time, and one change per write, in order
      const row = await stored('DwItem', id('life'));
      assert.equal(row._version, 3);
      assert.equal(row._deleted, true);
      assert.equal(Number(row._lastChangedAt), d.data._lastChangedAt);
      const ttl = Number(row._ttl) - Math.floor(d.data._lastChangedAt / 1000);
      assert.ok(Math.abs(ttl - TOMBSTONE_TTL_MIN * 60) <= 1, `_ttl is ${ttl} s after the delete`);
      assert.deepEqual(await changes('DwItem', id('life')), [
        { changed_at: c.data._lastChangedAt, pk: id('life'), version: 1, deleted: false },
        { changed_at: u.data._lastChangedAt, pk: id('life'), version: 2, deleted: false },
        { changed_at: d.data._lastChangedAt, pk: id('life'), version: 3, deleted: true },
      ]);

      // the tombstone is still read by get and list, with _deleted true
      const body = await query(`{ getDwItem(id: "${id('life')}") { id ${META} }
        listDwItems(filter: { id: { eq: "${id('life')}" } }) { items { id _deleted _version } } }`);
      assert.deepEqual(body.data.getDwItem, { id: id('life'), _version: 3, _lastChangedAt: d.data._lastChangedAt, _deleted: true });
      assert.deepEqual(body.data.listDwItems.items, [{ id: id('life'), _deleted: true, _version: 3 }]);
    });

    test('a write whose change log insert fails writes nothing', async () => {
      await mutate('createDwNote', { id: id('logfail'), text: 'kept' }, 'id');
      await sql(`CREATE OR REPLACE FUNCTION gg_it_dw_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.model = 'DwNote' AND NEW.pk LIKE 'logfail-%' THEN RAISE EXCEPTION 'log refused'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER gg_it_dw_refuse BEFORE INSERT ON graphgate_changes FOR EACH ROW EXECUTE FUNCTION gg_it_dw_refuse()`);
      try {
        const u = await mutate('updateDwNote', { id: id('logfail'), text: 'lost', _version: 1 }, `id text ${META}`);
        failed(u, 'DatabaseError');
        const d = await mutate('deleteDwNote', { id: id('logfail'), _version: 1 }, 'id');
        failed(d, 'DatabaseError');
        const c = await mutate('createDwNote', { id: `${id('logfail')}-new`, text: 'never' }, 'id');
        failed(c, 'DatabaseError');
      } finally {
        await sql('DROP TRIGGER gg_it_dw_refuse ON graphgate_changes');
      }
      const row = await stored('DwNote', id('logfail'));
      assert.deepEqual([row.text, row._version, row._deleted], ['kept', 1, null]);
      assert.equal(await stored('DwNote', `${id('logfail')}-new`), null);
      assert.equal((await changes('DwNote', id('logfail'))).length, 1);
    });

    test('_deleted and _lastChangedAt are not writable; _version on create is ignored', async () => {
      // the inputs have no such fields: refused before anything runs (no data at all)
      for (const extra of [{ _deleted: true }, { _lastChangedAt: 5 }, { _ttl: 5 }]) {
        const query = 'mutation M($input: CreateDwNoteInput!) { createDwNote(input: $input) { id } }';
        const r = await post(srv.url, { query, variables: { input: { id: id('meta'), text: 'x', ...extra } } }, KEY);
        assert.equal(r.body.data, undefined, r.text);
        assert.match(r.body.errors[0].message, new RegExp(Object.keys(extra)[0]), r.text);
      }
      assert.equal(await stored('DwNote', id('meta')), null);
      const c = await mutate('createDwNote', { id: id('meta'), text: 'x', _version: 41 }, `id ${META}`);
      assert.equal(c.data._version, 1, JSON.stringify(c.body));
      const condition = { _deleted: { ne: true } }; // the condition input may test _deleted
      const u = await mutate('updateDwNote', { id: id('meta'), text: 'y', _version: 1 }, `id text ${META}`, { condition });
      assert.equal(u.data?._version, 2, JSON.stringify(u.body));
    });

    test('OPTIMISTIC_CONCURRENCY: a stale version is ConflictUnhandled with the stored row in errors[0].data', async () => {
      await mutate('createDwNote', { id: id('opt'), text: 'first', done: false }, 'id');
      const u = await mutate('updateDwNote', { id: id('opt'), text: 'server', _version: 1 }, `id ${META}`);
      assert.equal(u.data._version, 2);
      const selection = `id words: text done ${META} __typename`;
      const stale = await mutate('updateDwNote', { id: id('opt'), text: 'client', done: true, _version: 1 }, selection);
      conflict(stale, 'updateDwNote');
      const current = await query(`{ getDwNote(id: "${id('opt')}") { ${selection} } }`);
      assert.deepEqual(stale.error.data, current.data.getDwNote);
      assert.deepEqual(stale.error.data, {
        id: id('opt'), words: 'server', done: false, _version: 2, _lastChangedAt: u.data._lastChangedAt, _deleted: null, __typename: 'DwNote',
      });
      // no version at all: 0, which no row has
      const none = await mutate('updateDwNote', { id: id('opt'), text: 'client' }, 'id text');
      conflict(none, 'updateDwNote');
      const row = await stored('DwNote', id('opt'));
      assert.deepEqual([row.text, row.done, row._version], ['server', false, 2]);
      assert.equal((await changes('DwNote', id('opt'))).length, 2);
      // a stale delete is refused the same way, and deletes nothing
      const d = await mutate('deleteDwNote', { id: id('opt'), _version: 1 }, `id ${META}`);
      conflict(d, 'deleteDwNote');
      assert.equal(d.error.data._version, 2);
      assert.equal((await stored('DwNote', id('opt')))._deleted, null);
    });

    test('conditions and versions together', async () => {
      await mutate('createDwNote', { id: id('cond'), text: 'a' }, 'id');
      const condition = { text: { eq: 'other' } };
      // right version, false condition: the condition's failure, as unversioned writes answer
      const r1 = await mutate('updateDwNote', { id: id('cond'), text: 'b', _version: 1 }, 'id', { condition });
      failed(r1, 'DynamoDB:ConditionalCheckFailedException');
      // stale version, false condition: the version is checked first (a conflict, with the row)
      const r2 = await mutate('updateDwNote', { id: id('cond'), text: 'b', _version: 7 }, 'id text', { condition });
      conflict(r2, 'updateDwNote');
      assert.deepEqual(r2.error.data, { id: id('cond'), text: 'a' });
      // right version, true condition: written
      const r3 = await mutate('updateDwNote', { id: id('cond'), text: 'b', _version: 1 }, `id text ${META}`, { condition: { text: { eq: 'a' } } });
      assert.equal(r3.data?._version, 2, JSON.stringify(r3.body));
      // AUTOMERGE with a stale version merges, then the condition is checked against the stored row
      await mutate('createDwItem', { id: id('cond'), name: 'a' }, 'id');
      await mutate('updateDwItem', { id: id('cond'), count: 1, _version: 1 }, 'id');
      const r4 = await mutate('updateDwItem', { id: id('cond'), name: 'b', _version: 1 }, 'id', { condition: { name: { eq: 'zzz' } } });
      failed(r4, 'DynamoDB:ConditionalCheckFailedException');
      const r5 = await mutate('updateDwItem', { id: id('cond'), count: 5, _version: 1 }, `id count ${META}`, { condition: { name: { eq: 'a' } } });
      assert.deepEqual([r5.data?.count, r5.data?._version], [1, 3], JSON.stringify(r5.body));
      // absent keys: the conditional failure
      failed(await mutate('updateDwItem', { id: id('absent'), name: 'x', _version: 1 }, 'id'), 'DynamoDB:ConditionalCheckFailedException');
      failed(await mutate('deleteDwItem', { id: id('absent'), _version: 1 }, 'id'), 'DynamoDB:ConditionalCheckFailedException');
      // a create of an existing key (tombstones too) is the conditional failure, not a conflict
      failed(await mutate('createDwItem', { id: id('cond'), name: 'again' }, 'id'), 'DynamoDB:ConditionalCheckFailedException');
    });

    test('AUTOMERGE: scalars keep the server value, nulls take the input, lists append, AWSJSON merges per key', async () => {
      await mutate('createDwItem', { id: id('merge'), name: 'orig', tags: ['a'], meta: JSON.stringify({ x: 1 }) }, 'id');
      const s = await mutate('updateDwItem', { id: id('merge'), name: 'server', meta: JSON.stringify({ x: 1, k: 's' }), _version: 1 }, 'id _version');
      assert.equal(s.data._version, 2);
      const input = { id: id('merge'), name: 'client', count: 5, tags: ['b', 'a'], meta: JSON.stringify({ x: 2, y: 3 }), _version: 1 };
      const m = await mutate('updateDwItem', input, `id name count tags meta ${META}`);
      assert.equal(m.error, undefined, JSON.stringify(m.body));
      assert.deepEqual({ ...m.data, meta: JSON.parse(m.data.meta), _lastChangedAt: 0 }, {
        id: id('merge'), name: 'server', count: 5, tags: ['a', 'b', 'a'], meta: { x: 1, k: 's', y: 3 },
        _version: 3, _lastChangedAt: 0, _deleted: null,
      });
      const row = await stored('DwItem', id('merge'));
      assert.deepEqual([row.name, row.count, row.tags, row.meta, row._version], ['server', 5, ['a', 'b', 'a'], { x: 1, k: 's', y: 3 }, 3]);
      assert.deepEqual((await changes('DwItem', id('merge'))).map((c) => c.version), [1, 2, 3]);
    });

    test('AUTOMERGE: a stale delete and a write to a tombstone are ConflictUnhandled with the row', async () => {
      await mutate('createDwItem', { id: id('gone'), name: 'n' }, 'id');
      await mutate('updateDwItem', { id: id('gone'), count: 2, _version: 1 }, 'id');
      const d = await mutate('deleteDwItem', { id: id('gone'), _version: 1 }, `id name count ${META}`);
      conflict(d, 'deleteDwItem');
      assert.deepEqual({ ...d.error.data, _lastChangedAt: 0 }, { id: id('gone'), name: 'n', count: 2, _version: 2, _lastChangedAt: 0, _deleted: null });
      assert.equal((await stored('DwItem', id('gone')))._deleted, null);
      const ok = await mutate('deleteDwItem', { id: id('gone'), _version: 2 }, `id ${META}`);
      assert.deepEqual([ok.data._version, ok.data._deleted], [3, true]);
      for (const v of [3, 1]) {
        const u = await mutate('updateDwItem', { id: id('gone'), name: 'back', _version: v }, `id name ${META}`);
        conflict(u, 'updateDwItem');
        assert.deepEqual([u.error.data.name, u.error.data._version, u.error.data._deleted], ['n', 3, true]);
        const again = await mutate('deleteDwItem', { id: id('gone'), _version: v }, `id ${META}`);
        conflict(again, 'deleteDwItem');
      }
      const row = await stored('DwItem', id('gone'));
      assert.deepEqual([row.name, row._version, row._deleted], ['n', 3, true]);
    });

    test('AUTOMERGE gives up with MaxConflicts when the row keeps changing', async () => {
      await mutate('createDwItem', { id: id('spin'), name: 's' }, 'id');
      // every write of a spin-* row bumps its _version underneath and writes nothing
      await sql(`CREATE OR REPLACE FUNCTION gg_it_dw_spin() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF pg_trigger_depth() = 1 AND OLD.id LIKE 'spin-%' THEN
            UPDATE "DwItem" SET "_version" = "_version" + 1 WHERE id = OLD.id;
            RETURN NULL;
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER gg_it_dw_spin BEFORE UPDATE ON "DwItem" FOR EACH ROW EXECUTE FUNCTION gg_it_dw_spin()`);
      let r;
      try {
        r = await mutate('updateDwItem', { id: id('spin'), name: 'mine', _version: 1 }, 'id');
      } finally {
        await sql('DROP TRIGGER gg_it_dw_spin ON "DwItem"');
      }
      failed(r, 'MaxConflicts');
      // the first write and 5 retries (GG_PG_MAX_CONFLICT_ROUNDS) each met a newer version
      const row = await stored('DwItem', id('spin'));
      assert.deepEqual([row.name, row._version], ['s', 7]);
    });

    test('@auth owner rules hold on versioned writes, conflicts included', async () => {
      const c = await mutate('createDwOwned', { id: id('own'), text: 'a' }, `id owner ${META}`, { headers: A });
      assert.equal(c.data?._version, 1, JSON.stringify(c.body));
      for (const v of [1, 5]) {
        const u = await mutate('updateDwOwned', { id: id('own'), text: 'b', _version: v }, `id text ${META}`, { headers: B });
        failed(u, 'Unauthorized');
        assert.equal(u.error.data, undefined, 'no row for a caller who may not read it');
        failed(await mutate('deleteDwOwned', { id: id('own'), _version: v }, 'id', { headers: B }), 'Unauthorized');
      }
      assert.deepEqual([(await stored('DwOwned', id('own')))._version, (await stored('DwOwned', id('own'))).text], [1, 'a']);
      const u = await mutate('updateDwOwned', { id: id('own'), text: 'mine', _version: 1 }, `id text ${META}`, { headers: A });
      assert.deepEqual([u.data?.text, u.data?._version], ['mine', 2], JSON.stringify(u.body));
      const stale = await mutate('updateDwOwned', { id: id('own'), text: 'merged?', _version: 1 }, `id text ${META}`, { headers: A });
      assert.deepEqual([stale.data?.text, stale.data?._version], ['mine', 3], JSON.stringify(stale.body)); // AUTOMERGE
    });

    test('published events carry the versioned row, merged writes included', async () => {
      const client = createClient({
        url: srv.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, connectionParams: KEY, lazy: false, retryAttempts: 0,
      });
      const events = [];
      let connected;
      const ready = new Promise((r) => (connected = r));
      client.on('connected', () => connected());
      const selection = `id name count ${META}`;
      for (const field of ['onUpdateDwItem', 'onDeleteDwItem'])
        client.subscribe({ query: `subscription { ${field}(filter: { id: { eq: "${id('event')}" } }) { ${selection} } }` }, {
          next: (v) => events.push({ field, value: v.data ? v.data[field] : v }), error: (e) => events.push({ field, error: String(e) }), complete: () => {},
        });
      try {
        await ready;
        await new Promise((r) => setTimeout(r, 300)); // the subscribe frames follow the ack
        await mutate('createDwItem', { id: id('event'), name: 'e' }, 'id');
        const u = await mutate('updateDwItem', { id: id('event'), count: 1, _version: 1 }, 'id');
        const merged = await mutate('updateDwItem', { id: id('event'), name: 'late', count: 9, _version: 1 }, selection);
        const d = await mutate('deleteDwItem', { id: id('event'), _version: 3 }, selection);
        assert.ok(u.data && merged.data && d.data, JSON.stringify([u.body, merged.body, d.body]));
        for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(events, [
          { field: 'onUpdateDwItem', value: { id: id('event'), name: 'e', count: 1, _version: 2, _lastChangedAt: events[0]?.value?._lastChangedAt, _deleted: null } },
          { field: 'onUpdateDwItem', value: merged.data },
          { field: 'onDeleteDwItem', value: d.data },
        ]);
        assert.deepEqual([merged.data._version, merged.data.name, d.data._deleted], [3, 'e', true]);
      } finally {
        await client.dispose();
      }
    });

    // A write without relations returns its row as an unversioned write does, with the change log
    // beside; with relations selected, or a key the client sees in another form than stored (an
    // AWSDateTime sort key), the statement keeps the rows plan's general form: both log alike.
    test('versioned writes with relations selected and with an AWSDateTime key log their change', async () => {
      const at = '2026-03-04T05:06:07.089Z';
      await mutate('createDwList', { id: id('list'), name: 'l' }, 'id');
      const e = await mutate('createDwEvent', { id: id('ev'), at, text: 'a', listId: id('list') }, `id at text ${META}`);
      assert.deepEqual([e.data?.at, e.data?._version], [at, 1], JSON.stringify(e.body));
      const l = await mutate('updateDwList', { id: id('list'), name: 'm', _version: 1 },
        `id name _version events { items { id at text } } `);
      assert.deepEqual(l.data, { id: id('list'), name: 'm', _version: 2, events: { items: [{ id: id('ev'), at, text: 'a' }] } },
        JSON.stringify(l.body));
      const u = await mutate('updateDwEvent', { id: id('ev'), at, text: 'b', _version: 1 }, `id at text ${META} list { id name }`);
      assert.deepEqual({ ...u.data, _lastChangedAt: 0 },
        { id: id('ev'), at, text: 'b', _version: 2, _lastChangedAt: 0, _deleted: null, list: { id: id('list'), name: 'm' } },
        JSON.stringify(u.body));
      const d = await mutate('deleteDwEvent', { id: id('ev'), at, _version: 2 }, `id at ${META}`);
      assert.deepEqual([d.data?.at, d.data?._version, d.data?._deleted], [at, 3, true], JSON.stringify(d.body));
      assert.deepEqual((await changes('DwList', id('list'))).map((c) => [c.version, c.deleted]), [[1, false], [2, false]]);
      const logged = await changes('DwEvent', id('ev'));
      assert.deepEqual(logged.map((c) => [c.version, c.deleted]), [[1, false], [2, false], [3, true]]);
      assert.equal(logged[2].changed_at, d.data._lastChangedAt);
      // the key as stored (a timestamp), never as the client reads it (epoch seconds)
      assert.equal(await sql(`SELECT count(*) FROM graphgate_changes c JOIN "DwEvent" e ON e.id = c.pk::jsonb->>'id'
        AND e.at = (c.pk::jsonb->>'at')::timestamptz WHERE c.model = 'DwEvent' AND c.pk::jsonb->>'id' = '${id('ev')}'`), '3');
    });

    test('an unversioned model keeps plain CRUD: physical deletes, no metadata, no change log', async () => {
      const c = await mutate('createDwPlain', { id: id('plain'), text: 'p' }, 'id text');
      assert.deepEqual(c.data, { id: id('plain'), text: 'p' });
      const meta = await post(srv.url, { query: `{ getDwPlain(id: "${id('plain')}") { id _version } }` }, KEY);
      assert.match(meta.body.errors[0].message, /Cannot query field "_version" on type "DwPlain"/);
      const u = await mutate('updateDwPlain', { id: id('plain'), text: 'q' }, 'id text');
      assert.deepEqual(u.data, { id: id('plain'), text: 'q' });
      const d = await mutate('deleteDwPlain', { id: id('plain') }, 'id text');
      assert.deepEqual(d.data, { id: id('plain'), text: 'q' });
      assert.equal(await stored('DwPlain', id('plain')), null);
      assert.equal((await changes('DwPlain', id('plain'))).length, 0);
      assert.deepEqual(Object.keys(await stored('DwNote', id('opt'))).filter((k) => k.startsWith('_')).sort(),
        ['_deleted', '_lastChangedAt', '_ttl', '_version']);
    });
  });
}
