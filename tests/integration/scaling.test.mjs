// scaling.test.mjs: horizontal scaling without containers (issue 15, "How it is checked"): three
// graphgate instances on their own ports over one PostgreSQL, joined by the realtime bus (the
// default postgres bus, and the nats bus when nats-server is installed). Mixed load on all three:
// clients creating, reading and listing memos, AppSync-protocol and graphql-ws subscribers on each
// instance. One instance is killed (SIGKILL) under load: the other two serve their own clients with
// no error and their subscribers receive every event of the surviving instances, each once. The
// killed instance is started again: it catches up (its new subscribers receive the events of the
// others' mutations, and the others receive its own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { post, run, startModelServer, startServer } from './helpers.mjs';
import {
  appsyncSubscriber, createMemo, graphqlWsSubscriber, hasNatsServer, memoSchema, startNatsServer, untilLogged, wait,
} from './realtime_cluster.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const natsSkip = skip || (!(await hasNatsServer()) && 'nats-server not installed (scripts/install-deps.sh installs it)');

const GET = 'query G($id: ID!) { getMemo(id: $id) { id title } }';
const LIST = '{ listMemos(limit: 5) { items { id title } } }';
const readyLine = { postgres: /realtime bus: listening on PostgreSQL channel gg_test_/, nats: /realtime bus: connected to NATS, subject gg_test_/ };

// One client of one instance: create, get the memo back, list, again, until stopped. Every
// request and every failure (transport error, non-200 status, GraphQL errors) is recorded.
function loadClient(srv, prefix) {
  const client = { requests: 0, failures: [], titles: [], stopped: false };
  const call = async (payload) => {
    client.requests++;
    try {
      const r = await post(srv.url, payload);
      if (r.status !== 200 || r.body?.errors !== undefined) client.failures.push(`${r.status} ${r.text.slice(0, 300)}`);
      return r.body?.data;
    } catch (e) {
      client.failures.push(String(e.cause ?? e));
      return undefined;
    }
  };
  client.done = (async () => {
    for (let n = 0; !client.stopped; n++) {
      const title = `${prefix}-${n}`;
      const created = await call({ query: 'mutation C($i: CreateMemoInput!) { createMemo(input: $i) { id title } }', variables: { i: { title } } });
      if (created?.createMemo) client.titles.push(title);
      if (created?.createMemo) await call({ query: GET, variables: { id: created.createMemo.id } });
      await call({ query: LIST });
    }
  })();
  return client;
}

// An instance serving like first (first itself when it is given), its bus ready, with its subscribers.
async function startInstance(first, bus, existing = false) {
  const srv = existing ? first : await startServer({ config: first.config, env: first.env });
  await untilLogged(srv, readyLine[bus]);
  return { srv, appsync: await appsyncSubscriber(srv), graphqlWs: await graphqlWsSubscriber(srv) };
}

// Waits until each subscriber has an event of every title (or ms).
async function untilTitles(subscribers, titles, ms = 15000) {
  const has = (s) => titles.every((t) => s.events.some((e) => e.title === t));
  for (let t = 0; t < ms && !subscribers.every(has); t += 50) await wait(50);
}

async function scenario(t, bus) {
  const t0 = Date.now();
  const mark = (what) => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
  const table = `gg_it_scale_${bus}_memo`;
  const nats = bus === 'nats' ? await startNatsServer() : null;
  await nats?.start();
  const env = nats ? { GRAPHGATE_REALTIME_BUS: 'nats', GRAPHGATE_REALTIME_NATS_URL: nats.url } : {};
  const instances = [];
  try {
    const first = await startModelServer({ schema: memoSchema(table), tables: table, dbUrl, env });
    instances.push(await startInstance(first, bus, true));
    instances.push(await startInstance(first, bus));
    instances.push(await startInstance(first, bus));
    mark('three instances ready');
    const ports = new Set(instances.map((i) => i.srv.port));
    assert.equal(ports.size, 3);

    // mixed load: two clients per instance
    const clients = instances.map((inst, i) => [loadClient(inst.srv, `${bus}-i${i}-a`), loadClient(inst.srv, `${bus}-i${i}-b`)]);
    await wait(1500);
    const before = clients.map((pair) => pair.reduce((n, c) => n + c.requests, 0));
    instances[2].srv.proc.kill('SIGKILL');
    await instances[2].srv.exited;
    clients[2].forEach((c) => (c.stopped = true)); // its clients now fail: not what is checked
    await wait(2000);
    for (const c of clients.flat()) c.stopped = true;
    await Promise.all(clients.flat().map((c) => c.done));

    t.diagnostic(`requests per instance before the kill: ${before.join(', ')}; in all: ${clients.map((p) => p.reduce((n, c) => n + c.requests, 0)).join(', ')}`);
    for (let i = 0; i < 2; i++) {
      const served = clients[i].reduce((n, c) => n + c.requests, 0);
      assert.ok(served > before[i], `instance ${i + 1} served nothing after the kill`);
      for (const c of clients[i]) assert.deepEqual(c.failures, [], `instance ${i + 1}`);
    }
    assert.ok(before[2] > 0, 'the killed instance had load before it was killed');

    // the survivors' subscribers: every event of the survivors' mutations, each once; the killed
    // instance's events that made it before the kill, at most once
    const survivors = instances.slice(0, 2);
    const titles = clients.slice(0, 2).flat().flatMap((c) => c.titles);
    const subscribers = survivors.flatMap((inst) => [inst.appsync, inst.graphqlWs]);
    await untilTitles(subscribers, titles);
    await wait(300);
    for (const [k, s] of subscribers.entries()) {
      assert.equal(s.closed, false, `subscriber ${k} was disconnected`);
      const got = s.events.map((e) => e.title);
      assert.deepEqual(got.filter((t) => titles.includes(t)).sort(), [...titles].sort(), `subscriber ${k}`);
      assert.equal(new Set(got).size, got.length, `subscriber ${k} received an event twice`);
      assert.ok(s.events.every((e) => typeof e.title === 'string'), `subscriber ${k}: ${JSON.stringify(s.events.find((e) => typeof e.title !== 'string'))}`);
    }

    // the killed instance started again catches up
    mark('survivors checked');
    const back = await startInstance(instances[0].srv, bus);
    instances[2] = back;
    await createMemo(instances[0].srv, { title: `${bus}-from-1-after-restart` });
    await createMemo(back.srv, { title: `${bus}-from-3-after-restart` });
    const all = instances.flatMap((inst) => [inst.appsync, inst.graphqlWs]);
    await untilTitles(all, [`${bus}-from-1-after-restart`, `${bus}-from-3-after-restart`]);
    for (const s of all) {
      const got = s.events.map((e) => e.title);
      assert.ok(got.includes(`${bus}-from-1-after-restart`) && got.includes(`${bus}-from-3-after-restart`), JSON.stringify(got.slice(-5)));
    }
    // exactly these two, once each; events of two instances have no order between them
    assert.deepEqual(back.appsync.events.map((e) => e.title).sort(),
      [`${bus}-from-1-after-restart`, `${bus}-from-3-after-restart`].sort());
    mark('restarted instance caught up');
  } finally {
    for (const inst of instances) {
      inst.appsync.ws.close();
      await inst.graphqlWs.client.dispose();
      const { code, signal } = await inst.srv.stop();
      if (signal !== 'SIGKILL') assert.equal(code, 0, `graphgate exited with ${code}:\n${inst.srv.stderr()}`);
      assert.doesNotMatch(inst.srv.stderr(), /AddressSanitizer|runtime error|LeakSanitizer/);
    }
    await nats?.stop();
    await run('psql', [dbUrl, '-qAt', '-c', `DROP TABLE IF EXISTS ${table} CASCADE`]);
  }
}

test('postgres bus: three instances under mixed load, one killed, the others serve without errors, a restart catches up',
  { skip, timeout: 120000 }, (t) => scenario(t, 'postgres'));

test('nats bus: three instances under mixed load, one killed, the others serve without errors, a restart catches up',
  { skip: natsSkip, timeout: 120000 }, (t) => scenario(t, 'nats'));
