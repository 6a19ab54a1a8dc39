// process.test.mjs: what an operator and the kernel do to the process (issue 8, items 4, 5, 9).
//
// Signals an operator sends by habit (SIGHUP to reload, SIGUSR1/SIGUSR2) must not kill a server
// under load (SIGHUP reloads: reload.test.mjs tests what it changes); a descriptor limit must neither make the server spin nor keep it from recovering;
// the soft limit is raised to the hard one at start; and the example app's PostgreSQL
// (scripts/pg-local.sh in its default, durable mode) keeps fsync on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, tempDir } from '../helpers.mjs';
import { assertRecovered, gql, startAbuseServer, stopClean, warmBaseline } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// CPU time (user + system) of a process, in clock ticks (100 per second on Linux).
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const openDescriptors = (pid) => readdirSync(`/proc/${pid}/fd`).length;

// Opens n TCP connections that never send a byte; resolves when all are connected (the kernel
// completes the handshake of a connection waiting in the backlog, accepted or not).
async function idleConnections(port, n) {
  const sockets = await Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => res(s));
    s.once('error', rej);
  })));
  for (const s of sockets) s.on('error', () => {});
  return sockets;
}

async function waitFor(what, check, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('SIGHUP under load reloads, SIGUSR1 and SIGUSR2 are logged and ignored; requests keep succeeding', async () => {
  const srv = await startAbuseServer('process', { database: false });
  try {
    const baseline = await warmBaseline(srv);
    let stop = false;
    const results = [];
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const r = await gql(srv.url, '{ __typename }', undefined, { timeoutMs: 5000 }).catch((e) => ({ status: e.name }));
        results.push(r);
      }
    });
    for (const signal of ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGHUP', 'SIGUSR1', 'SIGUSR2']) {
      await sleep(150);
      process.kill(srv.proc.pid, signal);
    }
    await sleep(300);
    stop = true;
    await Promise.all(clients);

    assert.ok(results.length > 50, `only ${results.length} requests ran`);
    const failed = results.filter((r) => r.status !== 200 || r.body?.data?.__typename !== 'Query');
    assert.equal(failed.length, 0, `${failed.length} of ${results.length} requests failed: ${JSON.stringify(failed[0])}`);
    const log = srv.stderr();
    assert.match(log, /SIGHUP received: reloading configuration/);
    assert.match(log, /reload done: generation 2 serves new requests/);
    assert.match(log, /SIGUSR1 received: ignored/);
    assert.match(log, /SIGUSR2 received: ignored/);
    assert.doesNotMatch(log, /draining/);
    await assertRecovered(srv, baseline, 'SIGHUP/SIGUSR1/SIGUSR2');
  } finally {
    await stopClean(srv);
  }
});

test('with 256 descriptors, 400 idle connections do not make the server spin, and it recovers', async (t) => {
  const srv = await startAbuseServer('process', { database: false, wrap: ['prlimit', '--nofile=256:256', '--'] });
  let sockets = [];
  try {
    assert.match(srv.stderr(), /file descriptor limit 256\n/);
    const baseline = await warmBaseline(srv);
    sockets = await idleConnections(srv.port, 400);
    // The server holds as many as its limit allows; the others wait in the backlog.
    await waitFor('the descriptors to run out', () => openDescriptors(srv.proc.pid) >= 250);
    await sleep(200);
    const t0 = performance.now();
    const c0 = cpuTicks(srv.proc.pid);
    await sleep(1000);
    const cores = (cpuTicks(srv.proc.pid) - c0) / 100 / ((performance.now() - t0) / 1000);
    t.diagnostic(`CPU while out of descriptors: ${cores.toFixed(3)} cores`);
    assert.ok(cores < 0.1, `the server used ${cores.toFixed(2)} cores while out of descriptors`);
    assert.match(srv.stderr(), /cannot accept connections \(Too many open files\): accepting pauses 100 ms at a time/);

    for (const s of sockets) s.destroy();
    sockets = [];
    await waitFor('the idle connections to close', () => openDescriptors(srv.proc.pid) < 50);
    await assertRecovered(srv, baseline, 'running out of descriptors');
  } finally {
    for (const s of sockets) s.destroy();
    await stopClean(srv);
  }
  // The pauses were counted (the counters /metrics will export).
  const m = /accept failed (\d+) times?; accepting paused (\d+) times?/.exec(srv.stderr());
  assert.ok(m && Number(m[2]) > 0, `no accept pauses counted:\n${srv.stderr().slice(-2000)}`);
});

test('the soft descriptor limit is raised to the hard limit at start: 400 idle connections fit', async () => {
  const srv = await startAbuseServer('process', { database: false, wrap: ['prlimit', '--nofile=256:4096', '--'] });
  let sockets = [];
  try {
    assert.match(srv.stderr(), /file descriptor limit 4096 \(raised from 256\)/);
    sockets = await idleConnections(srv.port, 400);
    await waitFor('400 accepted connections', () => openDescriptors(srv.proc.pid) > 400);
    const r = await gql(srv.url, '{ __typename }', undefined, { timeoutMs: 5000 });
    assert.equal(r.status, 200);
    assert.doesNotMatch(srv.stderr(), /cannot accept/);
  } finally {
    for (const s of sockets) s.destroy();
    await stopClean(srv);
  }
});

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

test("pg-local.sh's default (durable) mode, the example app's, runs PostgreSQL with fsync on", async () => {
  const script = join(root, 'scripts', 'pg-local.sh');
  const dir = join(tempDir(), 'pg');
  const port = await freePort();
  const start = await run('bash', [script, 'start', dir, String(port)]);
  try {
    assert.equal(start.code, 0, start.stderr);
    const url = (await run('bash', [script, 'url', dir, String(port)])).stdout.trim();
    const show = await run('psql', [url, '-qAt', '-c',
      "SELECT name || '=' || setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name"]);
    assert.equal(show.code, 0, show.stderr);
    assert.deepEqual(show.stdout.trim().split('\n'), ['fsync=on', 'full_page_writes=on', 'synchronous_commit=on']);
    // run-example.sh starts it in this mode
    assert.match(readFileSync(join(root, 'scripts', 'run-example.sh'), 'utf8'), /pg-local\.sh start "\$pg_dir" "\$pg_port" durable/);
  } finally {
    await run('bash', [script, 'stop', dir]);
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});
