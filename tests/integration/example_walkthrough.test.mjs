// example_walkthrough.test.mjs: README.md's walk-through of the example app, run as written. It
// starts the example the way README command one does (scripts/run-example.sh, here with this
// build's binary and a fresh data directory and PostgreSQL of its own under the build directory),
// then runs every ```sh block between the README's walkthrough markers with bash, in order, from
// the repository root (the first block, which sets url and key, before each of the others), and
// compares what each prints with the ```json block that follows it. A block starting with
// "# terminal 3" runs in the background (the subscription client); the json block after the next
// command is what it printed. The README's address (127.0.0.1:8080) and build/ paths are replaced by
// this run's. The script run again meanwhile stops at once. Ctrl-C (SIGINT) then stops the example:
// graphgate drains and PostgreSQL stops.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { bin, root, run } from './helpers.mjs';

const buildRoot = process.env.GG_BUILD_ROOT || join(root, 'build');
const dir = join(buildRoot, 'example-walkthrough');

// A free loopback port below the ephemeral range (where an outgoing connection could take it).
async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise((res) => {
      const s = createServer();
      s.once('error', () => res(false));
      s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
    });
    if (ok) return port;
  }
}

// The walk-through: [{ sh, background, expected }] from README.md.
function walkthrough() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- walkthrough');
  const end = readme.indexOf('<!-- /walkthrough -->');
  assert.ok(start > 0 && end > start, 'README.md has the walkthrough markers');
  const steps = [];
  for (const m of readme.slice(start, end).matchAll(/```(sh|json)\n([\s\S]*?)```/g)) {
    if (m[1] === 'sh') steps.push({ sh: m[2], background: m[2].startsWith('# terminal 3'), expected: undefined });
    else if (steps.at(-1)?.expected === undefined && !steps.at(-1)?.background) steps.at(-1).expected = m[2];
    else steps.find((s) => s.background && s.expected === undefined).expected = m[2];
  }
  return steps;
}

function runBash(script, env) {
  return new Promise((res) => {
    const p = spawn('bash', ['-eo', 'pipefail', '-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => res({ code, out, err }));
  });
}

let example;
after(() => {
  if (example && example.exitCode === null) example.kill('SIGINT');
});

test('README.md: the example app walk-through answers as written', async () => {
  rmSync(dir, { recursive: true, force: true });
  const listen = `127.0.0.1:${await freePort()}`;
  const env = { ...process.env, GG_EXAMPLE_BIN: bin, GG_EXAMPLE_DIR: dir, GG_EXAMPLE_PG_PORT: String(await freePort()),
    GRAPHGATE_LISTEN: listen, GG_URL: `http://${listen}/graphql` };
  for (const k of Object.keys(env)) if (k.startsWith('GRAPHGATE_') && k !== 'GRAPHGATE_LISTEN' && k !== 'GRAPHGATE_BIN') delete env[k];
  example = spawn('bash', [join(root, 'scripts', 'run-example.sh')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  example.stdout.on('data', (d) => (out += d));
  example.stderr.on('data', (d) => (err += d));
  const exited = new Promise((res) => example.on('exit', (code) => res(code)));
  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`run-example.sh did not start:\n${out}\n${err}`)), 120000);
    const check = () => out.includes('Ctrl-C stops.') && (clearTimeout(timer), res());
    example.stdout.on('data', check);
    exited.then((code) => rej(new Error(`run-example.sh exited with ${code}:\n${out}\n${err}`)));
  });
  assert.match(out, /Seeded project "home"/);
  assert.match(out, new RegExp(`API key \\(development, kept in ${dir}/example-api-key\\): da2-[0-9a-f]{32}`));

  const local = (sh) => sh.replaceAll('127.0.0.1:8080', listen).replaceAll('build/example-', `${dir}/example-`);
  const steps = walkthrough();
  assert.ok(steps.length >= 8, 'the walk-through has its steps');
  const [setup, ...rest] = steps;
  assert.equal(setup.expected, undefined);
  const print = process.env.GG_WALKTHROUGH_PRINT === '1'; // prints the answers (to write the README)
  let subscriber = null;
  for (const step of rest) {
    const script = `${local(setup.sh)}\n${local(step.sh)}`;
    if (step.background) {
      const p = spawn('bash', ['-c', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      subscriber = { out: '', err: '', step, exited: new Promise((res) => p.on('exit', res)) };
      p.stdout.on('data', (d) => (subscriber.out += d));
      p.stderr.on('data', (d) => (subscriber.err += d));
      for (let i = 0; i < 200 && !subscriber.err.includes('subscribed'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(subscriber.err, /subscribed/, 'the subscription client is subscribed');
      continue;
    }
    const r = await runBash(script, env);
    assert.equal(r.code, 0, `${step.sh}\n${r.err}`);
    if (print) console.log(`---\n${step.sh}${r.out}`);
    if (step.expected !== undefined && !print)
      assert.deepEqual(JSON.parse(r.out), JSON.parse(step.expected), `${step.sh}\nprinted ${r.out}`);
    if (subscriber !== null) {
      assert.equal(await subscriber.exited, 0, subscriber.err);
      if (print) console.log(`--- subscriber\n${subscriber.out}`);
      else assert.deepEqual(JSON.parse(subscriber.out), JSON.parse(subscriber.step.expected), subscriber.out);
      subscriber = null;
    }
  }
  assert.equal(subscriber, null, 'a command follows the subscription');

  // The same command again, in another terminal, while the example runs: it stops before starting
  // anything, naming the address, and leaves the running example and its PostgreSQL alone (it used
  // to restart that PostgreSQL, fail to listen, and exit 0 after stopping the PostgreSQL).
  const script = (scriptEnv) => new Promise((res) => {
    const p = spawn('bash', [join(root, 'scripts', 'run-example.sh')], { cwd: root, env: scriptEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let e = '';
    p.stderr.on('data', (d) => (e += d));
    p.on('exit', (code) => res({ code, err: e }));
  });
  const again = await script(env);
  assert.equal(again.code, 1, again.err);
  assert.match(again.err, new RegExp(`^run-example: something already listens on ${listen} .*GRAPHGATE_LISTEN=`));
  const ready = await fetch(`http://${listen}/readyz`);
  assert.deepEqual(await ready.json(), { status: 'ready', schema: 'loaded', database: 'ok' });
  assert.doesNotMatch(err, /lost the PostgreSQL connection/);
  // the subscription client's mistakes say what is wrong (they printed "{}" and a stack trace)
  const subscribe = (subEnv) => run('node', [join(root, 'conf', 'example', 'subscribe.mjs'), '1'], { cwd: root, env: { ...env, ...subEnv } });
  let sub = await subscribe({ GG_API_KEY: 'da2-not-the-example-key' });
  assert.equal(sub.code, 1);
  assert.equal(sub.stderr, 'subscribe: the server closed the connection: 4403 Forbidden: You are not authorized to make this call.\n');
  sub = await subscribe({ GG_EXAMPLE_DIR: join(dir, 'nowhere') });
  assert.equal(sub.code, 1);
  assert.match(sub.stderr, /^subscribe: cannot read .*nowhere\/example-api-key \(ENOENT\): run scripts\/run-example\.sh first, or set GG_API_KEY or GG_TOKEN\n$/);

  example.kill('SIGINT');
  assert.equal(await exited, 0, err);
  assert.match(err + out, /stopped|drain/i);

  // Started again with PostgreSQL's port taken by another program: the script says which variable
  // chooses another.
  const busy = createServer();
  await new Promise((res) => busy.listen(0, '127.0.0.1', res));
  const taken = await script({ ...env, GG_EXAMPLE_PG_PORT: String(busy.address().port) });
  busy.close();
  assert.equal(taken.code, 1, taken.err);
  assert.match(taken.err, /run-example: PostgreSQL did not start .* GG_EXAMPLE_PG_PORT=/);
});
