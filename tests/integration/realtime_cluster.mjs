// realtime_cluster.mjs: what the tests with several graphgate instances share (realtime_instances,
// realtime_nats, scaling): a Memo @model schema, subscribers of onCreateMemo over both websocket
// protocols (AppSync's graphql-ws and the graphql-ws library's graphql-transport-ws) on every
// instance and stopping them all, a wait for events, and a local nats-server (Debian package
// nats-server) that can be restarted on its port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { freePort, post, run, tempDir } from './helpers.mjs';

export const wait = (ms) => new Promise((r) => setTimeout(r, ms));

// The Memo API over the table `table` (a name of the calling test's own).
export const memoSchema = (table) => `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Memo @model @refersTo(name: "${table}") {
  title: String!
  body: String
  rank: Int
}
`;
export const CREATE_MEMO = 'mutation C($i: CreateMemoInput!) { createMemo(input: $i) { id title } }';

// An AppSync real-time socket (auth NONE) subscribed to onCreateMemo; events collects the data
// payloads, closed is set when the server closes it.
export async function appsyncSubscriber(srv) {
  const ws = new WebSocket(`${srv.url.replace('http://', 'ws://')}/realtime`, ['graphql-ws']);
  const sub = { ws, events: [], closed: false };
  let acked;
  const ack = new Promise((r) => (acked = r));
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'start_ack') acked();
    if (m.type === 'data') sub.events.push(m.payload.data.onCreateMemo);
    if (m.type === 'error') sub.events.push({ error: m });
  });
  ws.on('error', () => {});
  ws.on('close', () => (sub.closed = true));
  await new Promise((res, rej) => {
    ws.on('open', res);
    ws.on('unexpected-response', () => rej(new Error('refused')));
  });
  ws.send(JSON.stringify({ type: 'connection_init' }));
  ws.send(JSON.stringify({
    id: 'a', type: 'start',
    payload: { data: JSON.stringify({ query: 'subscription { onCreateMemo { id title body rank } }' }), extensions: { authorization: {} } },
  }));
  await ack;
  return sub;
}

// A graphql-ws library client (graphql-transport-ws) subscribed to onCreateMemo (fewer fields).
export async function graphqlWsSubscriber(srv) {
  const client = createClient({ url: srv.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => {} });
  const sub = { client, events: [], closed: false };
  let connected;
  const ready = new Promise((r) => (connected = r));
  client.on('connected', () => connected());
  client.on('closed', () => (sub.closed = true));
  client.subscribe(
    { query: 'subscription { onCreateMemo { title body } }' },
    { next: (v) => sub.events.push(v.data ? v.data.onCreateMemo : v), error: (e) => sub.events.push({ error: String(e) }), complete: () => {} },
  );
  await ready;
  await wait(200); // the subscribe frame follows the ack
  return sub;
}

// Both subscriber kinds (AppSync's protocol, graphql-ws) on every instance: inst.appsync, inst.graphqlWs.
export async function subscribeAll(instances) {
  for (const inst of instances) {
    inst.appsync = await appsyncSubscriber(inst.srv);
    inst.graphqlWs = await graphqlWsSubscriber(inst.srv);
  }
}

// Closes every instance's subscribers and stops it; every instance is stopped before any exit is
// judged (a failed first one must not leave the others running). One stopped by SIGKILL is not judged.
export async function stopAll(instances) {
  const stopped = [];
  for (const inst of instances) {
    inst.appsync?.ws.close();
    await inst.graphqlWs?.client.dispose();
    stopped.push(await inst.srv.stop());
  }
  stopped.forEach(({ code, signal }, i) => {
    const stderr = instances[i].srv.stderr();
    if (signal !== 'SIGKILL') assert.equal(code, 0, `graphgate exited with ${code}:\n${stderr}`);
    assert.doesNotMatch(stderr, /AddressSanitizer|runtime error|LeakSanitizer/);
  });
}

export async function createMemo(srv, input) {
  const r = await post(srv.url, { query: CREATE_MEMO, variables: { i: input } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.errors, undefined, r.text);
  return r.body.data.createMemo;
}

// Waits until every listed subscriber has at least count events (or ms).
export async function until(subscribers, count, ms = 10000) {
  for (let t = 0; t < ms; t += 50) {
    if (subscribers.every((s) => s.events.length >= count)) return;
    await wait(50);
  }
}

// Waits until srv's stderr matches re (or ms); asserts it does.
export async function untilLogged(srv, re, ms = 10000) {
  for (let t = 0; t < ms && !re.test(srv.stderr()); t += 50) await wait(50);
  assert.match(srv.stderr(), re);
}

export const hasNatsServer = async () => (await run('nats-server', ['--version'])).code === 0;

// A nats-server on a free loopback port (config: the text of a configuration file for it);
// restart() stops it and starts it again on the same port.
export async function startNatsServer({ config } = {}) {
  const port = await freePort();
  const configArgs = [];
  if (config) {
    const path = join(tempDir(), 'nats.conf');
    writeFileSync(path, config);
    configArgs.push('-c', path);
  }
  const nats = { port, url: `nats://127.0.0.1:${port}`, proc: null, log: '' };
  nats.start = async () => {
    const proc = spawn('nats-server', [...configArgs, '-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    nats.proc = proc;
    proc.exited = new Promise((r) => proc.on('exit', r));
    const ready = new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`nats-server did not start:\n${nats.log}`)), 10000);
      const onData = (d) => {
        nats.log += d;
        if (/Server is ready/.test(nats.log)) {
          clearTimeout(timer);
          res();
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.on('exit', () => rej(new Error(`nats-server exited:\n${nats.log}`)));
    });
    await ready;
  };
  nats.stop = async () => {
    if (nats.proc && nats.proc.exitCode === null && nats.proc.signalCode === null) {
      nats.proc.kill('SIGTERM');
      await nats.proc.exited;
    }
  };
  nats.restart = async () => {
    await nats.stop();
    nats.log = '';
    await nats.start();
  };
  return nats;
}
