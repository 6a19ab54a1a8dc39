// realtime_plans.test.mjs: a mutation's event carries every stored field of the written row under
// both database plans (database.plan "rows" and "json"), so a subscriber selecting fields the
// mutation did not select gets their values (issue 11, appsync-compat.md §5.2: nothing is read per
// subscriber). Through the real binary and the graphql-transport-ws protocol: creates and updates
// that select only `id`, subscribers that select every scalar (strings, numbers, booleans, lists,
// AWSJSON, timestamps) and a relation the mutation did not select (null). The data lives in this
// file's own table of the PostgreSQL of scripts/test.sh; skipped without a database.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { post, run, startModelServer } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const TABLES = 'gg_it_rtp_item, gg_it_rtp_owner';
const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Item @model @refersTo(name: "gg_it_rtp_item") {
  title: String!
  body: String
  rank: Int
  score: Float
  done: Boolean
  tags: [String]
  meta: AWSJSON
  ownerId: ID
  owner: Owner @belongsTo(references: ["ownerId"])
}
type Owner @model @refersTo(name: "gg_it_rtp_owner") {
  name: String!
  items: [Item] @hasMany(references: ["ownerId"])
}
`;
const EVERY = 'id title body rank score done tags meta ownerId owner { name } createdAt updatedAt __typename';
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

after(async () => {
  if (!skip) await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `DROP TABLE IF EXISTS ${TABLES} CASCADE`]);
});

// A graphql-transport-ws connection, acknowledged; next(id) waits for the next message of that id.
async function connect(url) {
  const ws = new WebSocket(url, ['graphql-transport-ws']);
  const seen = [];
  ws.on('message', (d) => seen.push(JSON.parse(d.toString())));
  await new Promise((res, rej) => {
    ws.on('open', res);
    ws.on('error', rej);
  });
  const next = async (pred) => {
    for (let t = 0; t < 250; t++) {
      const k = seen.findIndex(pred);
      if (k >= 0) return seen.splice(k, 1)[0];
      await wait(20);
    }
    throw new Error(`no matching message; seen ${JSON.stringify(seen)}`);
  };
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await next((m) => m.type === 'connection_ack');
  return { ws, next, send: (m) => ws.send(JSON.stringify(m)) };
}

for (const plan of ['rows', 'json']) {
  test(`database.plan ${plan}: a subscriber selecting fields the mutation did not select gets them`, { skip }, async () => {
    const srv = await startModelServer({ schema: SCHEMA, tables: TABLES, dbUrl, env: { GRAPHGATE_DATABASE_PLAN: plan } });
    try {
      const mutate = async (query, variables) => {
        const r = await post(srv.url, { query, variables });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.errors, undefined, r.text);
        return r.body.data;
      };
      await mutate('mutation { createOwner(input: {id: "o1", name: "Olga"}) { id } }');
      const c = await connect(srv.url.replace('http://', 'ws://'));
      c.send({ id: 'c', type: 'subscribe', payload: { query: `subscription { onCreateItem { ${EVERY} } }` } });
      c.send({ id: 'u', type: 'subscribe', payload: { query: `subscription { onUpdateItem { ${EVERY} } }` } });
      c.send({ id: 'd', type: 'subscribe', payload: { query: 'subscription { onDeleteItem { id title rank } }' } });
      await wait(200);

      const input = { title: 'first', body: 'hello', rank: 3, score: 2.5, done: true, tags: ['a', 'b'], meta: '{"k":[1,2]}', ownerId: 'o1' };
      const { createItem } = await mutate('mutation($i: CreateItemInput!) { createItem(input: $i) { id } }', { i: input });
      assert.deepEqual(Object.keys(createItem), ['id']); // the mutation's own answer keeps its selection
      const created = await c.next((m) => m.id === 'c');
      assert.equal(created.type, 'next');
      assert.equal(created.payload.errors, undefined, JSON.stringify(created.payload));
      const item = created.payload.data.onCreateItem;
      assert.match(item.createdAt, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      assert.equal(item.updatedAt, item.createdAt);
      assert.deepEqual({ ...item, createdAt: 0, updatedAt: 0 }, {
        id: createItem.id, ...input, owner: null, createdAt: 0, updatedAt: 0, __typename: 'Item',
      });

      // an update naming one field: the event has the row as stored after it
      await mutate('mutation($i: UpdateItemInput!) { updateItem(input: $i) { id } }', { i: { id: createItem.id, rank: 4 } });
      const updated = (await c.next((m) => m.id === 'u')).payload.data.onUpdateItem;
      assert.deepEqual({ ...updated, createdAt: 0, updatedAt: 0 }, {
        id: createItem.id, ...input, rank: 4, owner: null, createdAt: 0, updatedAt: 0, __typename: 'Item',
      });
      assert.equal(updated.createdAt, item.createdAt);

      await mutate('mutation($i: DeleteItemInput!) { deleteItem(input: $i) { id } }', { i: { id: createItem.id } });
      assert.deepEqual((await c.next((m) => m.id === 'd')).payload, { data: { onDeleteItem: { id: createItem.id, title: 'first', rank: 4 } } });
      c.ws.close();
    } finally {
      const { code } = await srv.stop();
      assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
    }
  });
}
