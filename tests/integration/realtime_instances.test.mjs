// realtime_instances.test.mjs: subscriptions across instances (issue 11, "Fanout"): three graphgate
// processes on their own ports over one PostgreSQL, joined by the PostgreSQL bus (LISTEN/NOTIFY,
// realtime.bus "postgres", on by default). A mutation on one instance reaches the AppSync-protocol
// and graphql-ws subscribers of all three, each once; an event larger than NOTIFY's 8000-byte
// payload arrives whole (it travels by reference through graphgate_realtime_events), in order with
// the small ones around it; notifications on the channel that are not graphgate's are skipped; one
// instance killed, the others keep going; PostgreSQL restarted, delivery resumes by itself and the
// gap is logged. The last part restarts the PostgreSQL of scripts/test.sh (GRAPHGATE_TEST_PGDATA),
// so meson runs this file alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { post, root, run, startModelServer, startServer } from './helpers.mjs';
import { CREATE_MEMO as CREATE, appsyncSubscriber, createMemo as create, memoSchema, stopAll, subscribeAll, until, wait } from './realtime_cluster.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const pgData = process.env.GRAPHGATE_TEST_PGDATA;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);

const TABLES = 'gg_it_rti_memo';
const SCHEMA = memoSchema(TABLES);

let instances = []; // [{ srv, appsync, graphqlWs }]

before(async () => {
  if (skip) return;
  const first = await startModelServer({ schema: SCHEMA, tables: TABLES, dbUrl });
  const second = await startServer({ config: first.config, env: first.env });
  const third = await startServer({ config: first.config, env: first.env });
  for (const srv of [first, second, third]) instances.push({ srv });
  // every bus LISTENs before the first mutation
  for (const { srv } of instances) {
    for (let t = 0; t < 100 && !/realtime bus: listening on PostgreSQL channel gg_test_/.test(srv.stderr()); t++) await wait(50);
    assert.match(srv.stderr(), /realtime bus: listening on PostgreSQL channel gg_test_/);
  }
  await subscribeAll(instances);
});

after(async () => {
  await stopAll(instances);
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
});

const subscribersOf = (list) => list.flatMap((inst) => [inst.appsync, inst.graphqlWs]);
const clear = () => subscribersOf(instances).forEach((s) => (s.events.length = 0));

test('a mutation on instance 1 reaches the subscribers of all three instances, each once', { skip }, async () => {
  // a fourth instance with realtime.bus "none" hears nothing of the others
  const solo = await startServer({ config: instances[0].srv.config, env: { ...instances[0].srv.env, GRAPHGATE_REALTIME_BUS: 'none' } });
  try {
    const soloSubscriber = await appsyncSubscriber(solo);
    const created = await create(instances[0].srv, { title: 'across', body: 'hello', rank: 1 });
    const all = subscribersOf(instances);
    await until(all, 1);
    await wait(300); // a second copy (instance 1 hearing its own NOTIFY) would arrive by now
    for (const inst of instances) {
      assert.deepEqual(inst.appsync.events, [{ id: created.id, title: 'across', body: 'hello', rank: 1 }], inst.srv.url);
      assert.deepEqual(inst.graphqlWs.events, [{ title: 'across', body: 'hello' }], inst.srv.url);
    }
    assert.deepEqual(soloSubscriber.events, []);
    assert.doesNotMatch(solo.stderr(), /realtime bus/);
    soloSubscriber.ws.close();
  } finally {
    assert.equal((await solo.stop()).code, 0, solo.stderr());
  }
  clear();
});

test('an event larger than NOTIFY allows arrives whole, in order with the small ones around it', { skip }, async () => {
  // multi-byte text: 4 bytes per character in UTF-8, 24 KB in all
  const big = '\u{1F600}'.repeat(3000) + 'x'.repeat(12000);
  const sent = [];
  const bigIds = [];
  for (let i = 0; i < 12; i++) {
    const body = i % 3 === 1 ? `${big}${i}` : `small ${i}`;
    const { id } = await create(instances[1].srv, { title: `order ${i}`, body, rank: i });
    sent.push({ title: `order ${i}`, body });
    if (i % 3 === 1) bigIds.push(id);
  }
  const all = subscribersOf(instances);
  await until(all, sent.length);
  await wait(300);
  for (const inst of instances) {
    assert.deepEqual(inst.graphqlWs.events, sent, inst.srv.url);
    assert.deepEqual(inst.appsync.events.map((e) => ({ title: e.title, body: e.body })), sent, inst.srv.url);
  }
  // the large ones went through the event table, one row each (whatever the number of subscribers)
  const ids = bigIds.map((id) => `'${id}'`).join(',');
  const rows = await psql(`SELECT count(*) FROM graphgate_realtime_events WHERE topic = 'createMemo' AND payload::json->>'id' IN (${ids})`);
  assert.equal(rows.code, 0, rows.stderr);
  assert.equal(Number(rows.stdout.trim()), bigIds.length);
  clear();
});

test('notifications on the channel that are not events, or name a missing row, are skipped', { skip }, async () => {
  const channel = instances[0].srv.env.GRAPHGATE_REALTIME_BUS_CHANNEL;
  for (const payload of ['not an event', 'R0', 'R99999999999', 'Icreate-memo {}', 'X1'])
    assert.equal((await psql(`NOTIFY ${channel}, '${payload}'`)).code, 0);
  await create(instances[0].srv, { title: 'after the noise', rank: 9 });
  await until(subscribersOf(instances), 1);
  await wait(300);
  for (const inst of instances) assert.deepEqual(inst.graphqlWs.events, [{ title: 'after the noise', body: null }]);
  for (const inst of instances) assert.match(inst.srv.stderr(), /realtime bus: event 99999999999 of another instance is not in graphgate_realtime_events \(deleted\)/);
  clear();
});

// One mutation per title, on each live instance in turn, each after the one before arrived (order
// is kept per publishing instance): every subscriber of every live instance gets them all, once.
async function inTurn(alive, titles) {
  for (let i = 0; i < titles.length; i++) {
    await create(alive[i % alive.length].srv, { title: titles[i] });
    await until(subscribersOf(alive), i + 1);
  }
  await wait(300);
  for (const inst of alive) {
    assert.deepEqual(inst.graphqlWs.events, titles.map((title) => ({ title, body: null })), inst.srv.url);
    assert.deepEqual(inst.appsync.events.map((e) => e.title), titles, inst.srv.url);
  }
  clear();
}

test('one instance killed: the other two keep publishing to each other', { skip }, async () => {
  instances[2].srv.proc.kill('SIGKILL');
  await instances[2].srv.exited;
  await inTurn(instances.slice(0, 2), ['after the kill', 'and back', 'again']);
});

test('PostgreSQL restarted: delivery across instances resumes by itself, the gap is logged',
  { skip: skip || (!pgData && 'GRAPHGATE_TEST_PGDATA not set'), timeout: 120000 }, async () => {
    const alive = instances.slice(0, 2);
    const restart = await run('bash', [join(root, 'scripts', 'pg-local.sh'), 'restart', pgData]);
    assert.equal(restart.code, 0, restart.stderr);
    // mutations on instance 1 until instance 2 hears one (the pool and the bus reconnect by themselves)
    const target = alive[1].appsync;
    for (let tries = 0; tries < 150 && target.events.length === 0; tries++) {
      await post(alive[0].srv.url, { query: CREATE, variables: { i: { title: `probe ${tries}` } } }).catch(() => null);
      await wait(200);
    }
    assert.ok(target.events.length > 0, `no event crossed after the restart:\n${alive[1].srv.stderr()}`);
    for (const inst of alive) {
      for (let t = 0; t < 100 && !/listening on \w+ again/.test(inst.srv.stderr()); t++) await wait(50); // another pipe
      assert.match(inst.srv.stderr(), /realtime bus: lost the PostgreSQL connection/);
      assert.match(inst.srv.stderr(), /realtime bus: listening on gg_test_\w+ again after \d+ ms/);
    }
    await wait(500);
    clear();
    await inTurn(alive, ['resumed', 'both ways']);
  });
