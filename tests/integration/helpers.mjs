// helpers.mjs: start the real graphgate binary on a free loopback port and talk to it.
//
// Each test file starts its own server(s) with `startServer`, which runs the binary named by
// GRAPHGATE_BIN (set by meson; default: build/server/graphgate) with `listen` on 127.0.0.1:0 (and
// by default the static fixture tests/fixtures/static/, which needs no database) and
// waits for the "listening on" line that tells the port. Servers are stopped with SIGTERM and
// their exit status is checked (0 also means no sanitizer report under ASan).
import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = process.env.GRAPHGATE_BIN || join(root, 'build', 'server', 'graphgate');
export const exampleConfig = join(root, 'conf', 'example', 'graphgate.json'); // the @model example app
// A schema without @model answering from a static JSON file: the default of startServer (no database).
export const staticConfig = join(root, 'tests', 'fixtures', 'static', 'graphgate.json');

// Temporary directories live until the test process exits, then go (GG_KEEP_TMP=1 keeps them for
// a look after a failure): a test run leaves nothing under /tmp.
const tempDirs = [];
process.on('exit', () => {
  if (process.env.GG_KEEP_TMP) return;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'gg-it-'));
  tempDirs.push(dir);
  return dir;
}

// Writes a config file into a temp dir and returns its path.
export function writeConfig(obj) {
  const dir = tempDir();
  const path = join(dir, 'graphgate.json');
  writeFileSync(path, JSON.stringify(obj, null, 2));
  return path;
}

// Starts graphgate; resolves to { url, base, port, proc, stdout(), stderr(), stop() }. `wrap` runs it
// through a command that execs it (e.g. ['prlimit', '--nofile=256:256', '--']: proc.pid stays the server's).
// A realtime bus channel of its own: servers started at once on one PostgreSQL by different tests
// never receive each other's events (instances of one test share theirs through env).
const busChannel = () => `gg_test_${randomBytes(8).toString('hex')}`;

export function startServer({ config = staticConfig, env = {}, args = [], tls = false, wrap = [] } = {}) {
  // Issue 10 made authorization mandatory; tests not about it serve without (auth_http.test.mjs overrides).
  const fullEnv = { ...process.env, GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_THREADS: '2', GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE',
    GRAPHGATE_REALTIME_BUS_CHANNEL: busChannel(), ...env };
  const [cmd, ...cmdArgs] = [...wrap, bin, '-c', config, ...args];
  const proc = spawn(cmd, cmdArgs, { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise((res) => {
    proc.on('exit', (code, signal) => res({ code, signal }));
    proc.on('error', (e) => {
      err += `cannot run ${bin}: ${e.message}`;
      res({ code: -1, signal: null });
    });
  });
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => rejectStart(new Error(`graphgate did not start:\n${err}`)), 15000);
    const check = () => {
      const plain = /listening on http:\/\/([^/\s"]+)([^\s"]*)/.exec(err);
      const secure = /listening on https:\/\/([^/\s"]+)([^\s"]*)/.exec(err);
      if ((plain || !fullEnv.GRAPHGATE_LISTEN) && (!tls || secure)) {
        clearTimeout(timer);
        proc.stderr.off('data', check);
        const m = plain || secure;
        const port = Number(m[1].split(':').pop());
        resolveStart({
          proc,
          port,
          base: plain ? `http://${plain[1]}` : null,
          url: plain ? `http://${plain[1]}${plain[2]}` : null,
          tlsBase: secure ? `https://${secure[1]}` : null,
          tlsUrl: secure ? `https://${secure[1]}${secure[2]}` : null,
          stdout: () => out,
          stderr: () => err,
          exited,
          async stop() {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    proc.stderr.on('data', check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      rejectStart(new Error(`graphgate exited with ${code} before listening:\n${err}`));
    });
  });
}

// Serves an Amplify @model schema (SDL text) over the PostgreSQL at dbUrl: drops `tables` (comma-
// separated) first, runs `graphgate migrate`, then startServer with 2 threads and env. `settings`:
// more keys of the config file, which migrate reads too (e.g. datastore). `tls`: wait for the TLS
// listener too (GRAPHGATE_TLS_* in env). More instances of the same API (the same realtime bus
// channel): startServer({ config: srv.config, env: srv.env }).
export async function startModelServer({ schema, tables, dbUrl, env = {}, settings = {}, tls = false }) {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), schema);
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 2, ...settings }));
  const drop = await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `DROP TABLE IF EXISTS ${tables} CASCADE`]);
  if (drop.code !== 0) throw new Error(`cannot drop ${tables}: ${drop.stderr}`);
  const dbEnv = { GRAPHGATE_DATABASE_URL: dbUrl };
  // migrate sees the datastore.* keys of env too (DataStore's metadata columns and change log)
  const datastoreEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('GRAPHGATE_DATASTORE_')));
  const mig = await run(bin, ['migrate', '-c', config], { env: { ...process.env, ...dbEnv, ...datastoreEnv } });
  if (mig.code !== 0) throw new Error(`graphgate migrate failed: ${mig.stderr}`);
  const serverEnv = { ...dbEnv, GRAPHGATE_REALTIME_BUS_CHANNEL: busChannel(), ...env };
  const srv = await startServer({ config, env: serverEnv, tls });
  return Object.assign(srv, { config, env: serverEnv });
}

// Sends SIGHUP to a server of startServer and waits for the outcome's log line; resolves to 'done'
// or the failure line.
export async function reload(srv) {
  const count = (text, re) => (text.match(new RegExp(re.source, 'g')) || []).length;
  const before = { done: count(srv.stderr(), /reload done/), failed: count(srv.stderr(), /reload failed/) };
  srv.proc.kill('SIGHUP');
  for (let i = 0; i < 300; i++) {
    const err = srv.stderr();
    if (count(err, /reload done/) > before.done) return 'done';
    if (count(err, /reload failed/) > before.failed) return err.split('\n').filter((l) => /reload failed/.test(l)).pop();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no reload outcome logged:\n${srv.stderr()}`);
}

// The environment of a server over the PostgreSQL at dbUrl (database.plan `plan`) that takes API keys
// (the file apiKeysFile) by default and HS256 OIDC tokens of issuer (the secret in secretFile) as
// well: the callers of the @auth suites.
export function apiKeyAndOidcEnv({ dbUrl, plan, apiKeysFile, issuer, secretFile }) {
  return {
    GRAPHGATE_DATABASE_URL: dbUrl,
    GRAPHGATE_DATABASE_PLAN: plan,
    GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
    GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT',
    GRAPHGATE_AUTH_API_KEYS_FILE: apiKeysFile,
    GRAPHGATE_AUTH_OIDC_ISSUER: issuer,
    GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: secretFile,
  };
}

// A loopback TCP port free right now (for a server that must be told its port).
export function freePort() {
  return new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// Runs a command; resolves to { code, stdout, stderr } (never rejects on a non-zero exit).
export function run(cmd, args, opts = {}) {
  return new Promise((res) => {
    execFile(cmd, args, { maxBuffer: 64 << 20, ...opts }, (error, stdout, stderr) => {
      res({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

// POSTs a GraphQL request with fetch; resolves to { status, type, body, text, headers }.
export async function post(url, payload, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), body, text, headers: res.headers };
}

// An HS256 JWT over claims, valid for 10 minutes, signed with secret (OIDC callers of the tests).
export function hs256Token(secret, claims) {
  const part = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iat: now, exp: now + 600, ...claims })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// OIDC callers for a test: a fresh HS256 secret (written into dir), the auth environment that
// accepts its tokens (GRAPHGATE_AUTH_OIDC_*), and token(claims) making one.
export function hs256Callers(dir) {
  const secret = randomBytes(32).toString('hex');
  writeFileSync(join(dir, 'hs.secret'), `${secret}\n`);
  const iss = 'https://issuer.graphgate.test';
  const aud = 'graphgate-tests';
  return {
    env: { GRAPHGATE_AUTH_OIDC_ISSUER: iss, GRAPHGATE_AUTH_OIDC_CLIENT_ID: aud, GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret') },
    token: (claims) => hs256Token(secret, { iss, aud, ...claims }),
  };
}

// Makes a self-signed certificate for 127.0.0.1 with openssl (EC P-256, or RSA 2048 with
// { rsa: true }); returns { cert, key }.
export async function makeCertificate({ rsa = false } = {}) {
  const dir = tempDir();
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const keyType = rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const r = await run('openssl', ['req', '-x509', ...keyType, '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

// Sends raw bytes on a new connection and resolves to everything the server sends back until it
// closes the connection (or until timeoutMs).
export function rawRequest(port, bytes, timeoutMs = 5000) {
  return new Promise((res) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on('data', (d) => (data += d));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      res(data);
    });
    sock.on('connect', () => sock.write(bytes));
  });
}
