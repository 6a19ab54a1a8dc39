// replica.test.mjs: database.read_url (issue 12): a streaming replica made by this test with
// `pg_basebackup -R` from a primary of its own (scripts/pg-local.sh, PostgreSQL's defaults allow
// streaming: wal_level replica, max_wal_senders 10, hot_standby on, a trust hba line for
// replication on 127.0.0.1), graphgate pointed at both, through the real binary over HTTP.
// Which server ran what is read from their statement logs (log_statement = all): queries and
// @sql queries on the replica, mutations on the primary; a created row readable once replayed;
// /readyz reporting the replica; replay paused past database.max_replica_lag_ms sends reads to
// the primary (and back when it resumes); the replica stopped under a stream of reads fails none,
// and reads return to it once it is back. Each change of state is logged once.
// Skipped, saying why, when PostgreSQL's server programs (pg_basebackup) are not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { post, root, run, startModelServer, tempDir } from '../helpers.mjs';

const bindir = (() => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_basebackup')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
})();
const skip = bindir ? false : 'pg_basebackup not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)';

const TABLE = 'gg_it_replica_note';
const SCHEMA = `
type Note @model @refersTo(name: "${TABLE}") {
  id: ID!
  body: String!
}
type Query {
  noteCount: Int @sql(statement: "SELECT count(*) AS replica_probe FROM ${TABLE}")
  touchFromQuery: Int @sql(statement: "UPDATE ${TABLE} SET body = body WHERE false RETURNING 1")
}
type Mutation {
  touchNotes: Int @sql(statement: "UPDATE ${TABLE} SET body = body WHERE false RETURNING 1")
}
`;
const MAX_LAG_MS = 2000;

const isRoot = process.getuid() === 0;
const dbUser = isRoot ? 'postgres' : (process.env.USER || 'postgres');
// PostgreSQL refuses to run as root: its programs run as the postgres user then (as pg-local.sh does).
const asOwner = (cmd, args) => (isRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
const must = async (what, p) => {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr}${r.stdout}`);
  return r;
};

function portIsFree(port) {
  return new Promise((res) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.on('connect', () => { s.destroy(); res(false); });
    s.on('error', () => res(true));
  });
}
// Two free ports below 32768 (the kernel hands out ephemeral ports above), from a base of this process's.
async function freePorts() {
  const found = [];
  for (let port = 26000 + (process.pid % 3000); found.length < 2; port++) if (await portIsFree(port)) found.push(port);
  return found;
}

let dir;
let primaryDir;
let replicaDir;
let primaryUrl;
let replicaUrl;
let replicaPort;
let srv;

const psql = (url, sql) => must(`psql ${sql}`, run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]));
const startReplica = () => must('starting the replica', asOwner(join(bindir, 'pg_ctl'), ['-D', replicaDir, '-l', join(replicaDir, 'server.log'),
  '-w', '-t', '60', '-o', `-p ${replicaPort} -k ${replicaDir} -c listen_addresses=127.0.0.1`, 'start']));
const stopReplica = () => asOwner(join(bindir, 'pg_ctl'), ['-D', replicaDir, 'stop', '-m', 'fast', '-w']);

// When the test is killed (meson's timeout sends SIGTERM, ^C sends SIGINT), `after` never runs:
// the two servers this test started are stopped here before the process ends, so that no
// PostgreSQL outlives the test under /tmp.
function stopServersNow(signal) {
  for (const dataDir of [replicaDir, primaryDir]) {
    if (!dataDir || !existsSync(join(dataDir, 'postmaster.pid'))) continue;
    const stop = [join(bindir, 'pg_ctl'), '-D', dataDir, 'stop', '-m', 'immediate', '-w'];
    if (isRoot) spawnSync('runuser', ['-u', 'postgres', '--', ...stop], { stdio: 'ignore' });
    else spawnSync(stop[0], stop.slice(1), { stdio: 'ignore' });
  }
  if (srv) srv.proc?.kill('SIGKILL');
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.once(signal, () => stopServersNow(signal));

// A server's statement log from offset on: the statements naming the test's table, as
// { selects, writes } counts (the monitor's statements name no table).
const logSize = (dataDir) => statSync(join(dataDir, 'server.log')).size;
function statements(dataDir, offset) {
  const text = readFileSync(join(dataDir, 'server.log')).subarray(offset).toString();
  const lines = text.split('\n').filter((l) => /LOG:\s+(statement|execute [^:]*):/.test(l) && l.includes(TABLE));
  return {
    selects: lines.filter((l) => /:\s+SELECT/i.test(l.replace(/^.*?LOG:\s+(statement|execute [^:]*)/, ''))).length,
    writes: lines.filter((l) => /(INSERT|UPDATE|DELETE)/.test(l.replace(/^.*?LOG:\s+(statement|execute [^:]*)/, ''))).length,
  };
}
const marks = () => ({ primary: logSize(primaryDir), replica: logSize(replicaDir) });
const since = (m) => ({ primary: statements(primaryDir, m.primary), replica: statements(replicaDir, m.replica) });

async function gql(query, variables) {
  const r = await post(srv.url, { query, variables });
  assert.equal(r.status, 200, r.text);
  return r.body;
}
async function readyz() {
  const r = await fetch(`${srv.base}/readyz`);
  return { status: r.status, body: await r.json() };
}
async function waitFor(what, check, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${srv ? srv.stderr() : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const occurrences = (text, needle) => text.split(needle).length - 1;

before(async () => {
  if (skip) return;
  dir = tempDir();
  chmodSync(dir, 0o755);
  primaryDir = join(dir, 'primary');
  replicaDir = join(dir, 'replica');
  const [primaryPort, port] = await freePorts();
  replicaPort = port;
  await must('starting the primary', run('bash', [join(root, 'scripts', 'pg-local.sh'), 'start', primaryDir, String(primaryPort), 'test']));
  primaryUrl = `postgresql://${dbUser}@127.0.0.1:${primaryPort}/graphgate`;
  replicaUrl = `postgresql://${dbUser}@127.0.0.1:${replicaPort}/graphgate`;
  assert.equal((await psql(primaryUrl, 'SHOW wal_level')).stdout.trim(), 'replica');
  // every statement in the log; pg_basebackup copies the setting to the replica
  await psql(primaryUrl, "ALTER SYSTEM SET log_statement = 'all'");
  await psql(primaryUrl, 'SELECT pg_reload_conf()');
  if (isRoot) await must('chown', run('chown', ['postgres:postgres', dir]));
  await must('pg_basebackup', asOwner(join(bindir, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', dbUser,
    '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast']));
  await startReplica();
  assert.equal((await psql(replicaUrl, 'SELECT pg_is_in_recovery()')).stdout.trim(), 't');
  srv = await startModelServer({
    schema: SCHEMA,
    tables: TABLE,
    dbUrl: primaryUrl,
    env: {
      GRAPHGATE_DATABASE_READ_URL: replicaUrl,
      GRAPHGATE_DATABASE_MAX_REPLICA_LAG_MS: String(MAX_LAG_MS),
      GRAPHGATE_DATABASE_RECONNECT_INTERVAL_MS: '200',
    },
  });
  // the table migrate made on the primary reaches the replica
  await waitFor('the table on the replica', async () => (await psql(replicaUrl, `SELECT to_regclass('${TABLE}') IS NOT NULL`)).stdout.trim() === 't');
});

after(async () => {
  if (skip) return;
  if (srv) {
    const exit = await srv.stop(); // drains, stops the replica's monitor; the sanitizer build reports leaks here
    if (process.env.GG_DEBUG) console.log(srv.stderr());
    assert.equal(exit.code, 0, srv.stderr());
  }
  if (replicaDir && existsSync(join(replicaDir, 'PG_VERSION'))) await stopReplica();
  if (primaryDir) await run('bash', [join(root, 'scripts', 'pg-local.sh'), 'stop', primaryDir]);
});

test('/readyz reports the primary and the replica', { skip }, async () => {
  const r = await waitFor('replica ok', async () => {
    const x = await readyz();
    return x.body.replica === 'ok' ? x : null;
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.database, 'ok');
  assert.equal(typeof r.body.replica_lag_ms, 'number');
  assert.ok(r.body.replica_lag_ms <= MAX_LAG_MS, JSON.stringify(r.body));
  // an idle primary leaves nothing to replay: the replica stays ok however long nothing is written
  // (now() - pg_last_xact_replay_timestamp() would grow past the limit here)
  await new Promise((res) => setTimeout(res, MAX_LAG_MS * 1.5));
  const idle = await readyz();
  assert.equal(idle.body.replica, 'ok', JSON.stringify(idle.body));
  assert.ok(idle.body.replica_lag_ms < MAX_LAG_MS, JSON.stringify(idle.body));
  assert.equal(occurrences(srv.stderr(), 'read replica lags'), 0);
});

test('queries read on the replica, mutations write on the primary, a created row is read once replayed', { skip }, async () => {
  let m = marks();
  const created = await gql('mutation { createNote(input: {body: "first"}) { id body } }');
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const id = created.data.createNote.id;
  // replication is asynchronous: the row is read on the replica once it is replayed there
  const got = await waitFor('the row on the replica', async () => (await gql('query($id: ID!) { getNote(id: $id) { id body } }', { id })).data.getNote);
  assert.deepEqual(got, { id, body: 'first' });
  let s = since(m);
  assert.equal(s.primary.writes, 1, 'the create ran on the primary');
  assert.equal(s.replica.writes, 0);
  assert.equal(s.primary.selects, 0, 'no read went to the primary');
  assert.ok(s.replica.selects >= 1);

  m = marks();
  for (let i = 0; i < 20; i++) {
    const r = await gql('{ listNotes { items { id body } } noteCount }');
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data.listNotes.items, [{ id, body: 'first' }]);
    assert.equal(r.data.noteCount, 1);
  }
  s = since(m);
  assert.ok(s.replica.selects >= 40, `20 list queries and 20 @sql queries on the replica: ${JSON.stringify(s)}`);
  assert.equal(s.primary.selects, 0, JSON.stringify(s));

  // @sql mutations and the statements of mutations stay on the primary
  m = marks();
  const t = await gql('mutation { touchNotes }');
  assert.equal(t.errors, undefined, JSON.stringify(t.errors));
  const u = await gql('mutation($id: ID!) { updateNote(input: {id: $id, body: "second"}) { id body } }', { id });
  assert.equal(u.data.updateNote.body, 'second');
  s = since(m);
  assert.equal(s.primary.writes, 2, JSON.stringify(s));
  assert.equal(s.replica.writes + s.replica.selects, 0, JSON.stringify(s));

  // an @sql query that writes fails on the read-only replica and is run again on the primary
  m = marks();
  const w = await gql('{ touchFromQuery }');
  assert.equal(w.errors, undefined, JSON.stringify(w.errors));
  assert.equal(w.data.touchFromQuery, null);
  s = since(m);
  assert.equal(s.replica.writes, 1, JSON.stringify(s));
  assert.equal(s.primary.writes, 1, JSON.stringify(s));
});

test('a replica lagging beyond database.max_replica_lag_ms is not read until it catches up', { skip }, async () => {
  await psql(replicaUrl, 'SELECT pg_wal_replay_pause()');
  const created = await gql('mutation { createNote(input: {body: "while paused"}) { id } }');
  const id = created.data.createNote.id;
  // at first the replica may answer without it; past the limit, reads go to the primary and see it
  const started = Date.now();
  await waitFor('the row read on the primary', async () => (await gql('query($id: ID!) { getNote(id: $id) { id } }', { id })).data.getNote);
  assert.ok(Date.now() - started < MAX_LAG_MS + 5000);
  const r = await readyz();
  assert.equal(r.status, 200);
  assert.equal(r.body.replica, 'lagging', JSON.stringify(r.body));
  assert.ok(r.body.replica_lag_ms > MAX_LAG_MS, JSON.stringify(r.body));
  // the replica has not replayed it: every read now goes to the primary
  const m = marks();
  for (let i = 0; i < 5; i++) assert.ok((await gql('query($id: ID!) { getNote(id: $id) { id } }', { id })).data.getNote);
  let s = since(m);
  assert.ok(s.primary.selects >= 5, JSON.stringify(s));
  assert.equal(s.replica.selects, 0, JSON.stringify(s));
  assert.equal(occurrences(srv.stderr(), 'read replica lags'), 1, 'logged once, not per request');

  await psql(replicaUrl, 'SELECT pg_wal_replay_resume()');
  await waitFor('replica ok again', async () => (await readyz()).body.replica === 'ok');
  const m2 = marks();
  for (let i = 0; i < 5; i++) assert.ok((await gql('query($id: ID!) { getNote(id: $id) { id } }', { id })).data.getNote);
  s = since(m2);
  assert.ok(s.replica.selects >= 5, JSON.stringify(s));
  assert.equal(s.primary.selects, 0, JSON.stringify(s));
});

test('the replica stopped under a stream of reads fails none; reads return once it is back', { skip }, async () => {
  let reading = true;
  let reads = 0;
  const failures = [];
  const reader = async () => {
    while (reading) {
      const r = await post(srv.url, { query: '{ listNotes { items { id } } noteCount }' });
      reads++;
      if (r.status !== 200 || r.body.errors || r.body.data.listNotes.items.length !== r.body.data.noteCount)
        failures.push(r.text);
    }
  };
  const readers = Array.from({ length: 8 }, reader);
  await new Promise((r) => setTimeout(r, 300));
  const before = reads;
  const stopped = await stopReplica();
  assert.equal(stopped.code, 0, stopped.stderr);
  await waitFor('replica unreachable', async () => (await readyz()).body.replica === 'unreachable');
  const r = await readyz();
  assert.equal(r.status, 200, 'the primary still serves');
  assert.equal(r.body.database, 'ok');
  await new Promise((res) => setTimeout(res, 500));
  reading = false;
  await Promise.all(readers);
  assert.ok(reads > before + 20, `reads went on while the replica stopped (${reads - before})`);
  assert.deepEqual(failures, []);
  assert.equal(occurrences(srv.stderr(), 'read replica unreachable'), 1, 'logged once, not per request');

  await startReplica();
  await waitFor('replica ok again', async () => (await readyz()).body.replica === 'ok');
  // each thread's replica pool reconnects on its own timer (database.reconnect_interval_ms)
  await waitFor('reads on the replica again', async () => {
    const m = marks();
    for (let i = 0; i < 4; i++) await gql('{ noteCount }');
    const s = since(m);
    return s.replica.selects === 4 && s.primary.selects === 0;
  });
});
