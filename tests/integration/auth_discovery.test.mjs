// auth_discovery.test.mjs: OPENID_CONNECT configured as AppSync configures it, by the issuer alone,
// through the real graphgate binary. A node:https server, whose certificate comes from a test CA made
// with the openssl command, serves OpenID discovery documents and a JWKS; graphgate gets only
// auth.oidc.issuer and auth.jwks_ca_file (the CA), reads <issuer>/.well-known/openid-configuration,
// checks its issuer and takes its jwks_uri as it would a configured auth.oidc.jwks_url. Each way the
// discovery can fail stops start-up with exit status 2 (--help: "2 configuration or schema error")
// and a line naming the document's URL and the reason; --check fetches nothing; a SIGHUP reload
// discovers again. The schema is the static fixture (no database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { bin, post, reload, root, run, startServer, tempDir } from './helpers.mjs';

const CLIENT_ID = 'graphgate-discovery';
const QUERY = { query: '{ getTodo(id: "t1") { id name } }' };
const DATA = { getTodo: { id: 't1', name: 'Try graphgate' } };
const NOT_AUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };

const b64u = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const rsaKey = (kid) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
};
const served = rsaKey('rsa-1'); // in the JWKS the discovery document names
const stranger = rsaKey('rsa-1'); // the same kid, another key: never served
const rotated = rsaKey('rsa-2'); // served later, under the same jwks_uri or another one

function token(key, iss, claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64u({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64u({ iss, aud: CLIENT_ID, sub: 'user-1', iat: now, exp: now + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

let dir, https_server, base, caPath;
// What the HTTPS server answers: path -> { status, body } (body: an object sent as JSON, or text).
const routes = new Map();
const requests = []; // the paths asked, in order

function serve(path, body, status = 200) {
  routes.set(path, { status, body });
}

function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

// A configuration file: the static fixture's schema and data, and auth with only the issuer (plus
// the CA, relative to the file, unless ca is false) and the client id.
function config(issuer, { ca = true } = {}) {
  const fixture = join(root, 'tests', 'fixtures', 'static');
  const path = join(tempDir(), 'graphgate.json');
  writeFileSync(path, JSON.stringify({
    schema: [join(fixture, 'schema.graphql')],
    static_data_file: join(fixture, 'data.json'),
    auth: { default_mode: 'OPENID_CONNECT', oidc: { issuer, client_id: CLIENT_ID }, ...(ca ? { jwks_ca_file: 'ca.pem' } : {}) },
  }));
  if (ca) writeFileSync(join(path, '..', 'ca.pem'), readFileSync(caPath));
  return path;
}

// The environment of a run: auth only from the file (none of the GRAPHGATE_AUTH_* of the caller).
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GRAPHGATE_AUTH_')));
  return { ...env, GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_THREADS: '1', ...extra };
}

// Runs graphgate with configPath and expects it to stop at start-up with exit status 2 and a line
// matching pattern; returns its stderr.
async function refusesToStart(configPath, pattern, env = {}) {
  const r = await run(bin, ['-c', configPath], { env: cleanEnv(env), timeout: 30000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /listening on/);
  return r.stderr;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const discoveryUrl = (name) => `${base}/${name}/.well-known/openid-configuration`;

let srv; // serving with the issuer alone
const ISSUER_PATH = 'realm';

before(async () => {
  dir = tempDir();
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=graphgate discovery test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out',
    'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  caPath = join(dir, 'ca.pem');
  const tls = { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
  https_server = https.createServer(tls, (req, res) => {
    requests.push(req.url);
    const route = routes.get(req.url);
    if (!route) { res.writeHead(404); res.end('not found'); return; }
    const text = typeof route.body === 'string' ? route.body : JSON.stringify(route.body);
    res.writeHead(route.status, { 'content-type': 'application/json' });
    res.end(text);
  });
  await new Promise((resolve) => https_server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${https_server.address().port}`;

  // The provider: its document says its issuer without the trailing '/' the configuration has.
  serve(`/${ISSUER_PATH}/.well-known/openid-configuration`, {
    issuer: `${base}/${ISSUER_PATH}`, jwks_uri: `${base}/${ISSUER_PATH}/keys`,
    authorization_endpoint: `${base}/${ISSUER_PATH}/auth`, response_types_supported: ['code'],
  });
  serve(`/${ISSUER_PATH}/keys`, { keys: [served.jwk] });
  // Providers that get something wrong, one each.
  serve('/mismatch/.well-known/openid-configuration', { issuer: 'https://elsewhere.test/mismatch', jwks_uri: `${base}/${ISSUER_PATH}/keys` });
  serve('/nojwks/.well-known/openid-configuration', { issuer: `${base}/nojwks` });
  serve('/httpjwks/.well-known/openid-configuration', { issuer: `${base}/httpjwks`, jwks_uri: `http://127.0.0.1:${https_server.address().port}/httpjwks/keys` });
  serve('/notjson/.well-known/openid-configuration', '<html>a login page</html>');
  serve('/badkeys/.well-known/openid-configuration', { issuer: `${base}/badkeys`, jwks_uri: `${base}/badkeys/keys` });

  // startServer's environment sets NONE for tests not about authorization: the file's mode again.
  srv = await startServer({ config: config(`${base}/${ISSUER_PATH}/`), env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT' } });
});

after(async () => {
  try {
    if (srv) {
      const { code } = await srv.stop();
      assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
    }
  } finally {
    https_server?.close();
  }
});

test('the issuer alone: discovery finds the jwks_uri, logged once, and its keys authorize requests', async () => {
  const log = srv.stderr();
  const line = new RegExp(`auth\\.oidc: OpenID discovery at ${escape(discoveryUrl(ISSUER_PATH))}: jwks_uri ${escape(`${base}/${ISSUER_PATH}/keys`)}\\n`);
  assert.match(log, line);
  assert.equal(log.match(/OpenID discovery at/g).length, 1);
  assert.ok(requests.includes(`/${ISSUER_PATH}/.well-known/openid-configuration`), requests.join(' '));
  assert.ok(requests.includes(`/${ISSUER_PATH}/keys`), requests.join(' '));

  // Tokens name the issuer with or without its trailing '/': graphgate's rule for iss, as before.
  for (const iss of [`${base}/${ISSUER_PATH}`, `${base}/${ISSUER_PATH}/`]) {
    const ok = await post(srv.url, QUERY, { authorization: token(served, iss) });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body, { data: DATA });
  }
  // Another key under the served kid: AppSync's 401, no data.
  const refused = await post(srv.url, QUERY, { authorization: token(stranger, `${base}/${ISSUER_PATH}`) });
  assert.equal(refused.status, 401);
  assert.deepEqual(refused.body, NOT_AUTHORIZED);
  assert.equal(refused.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  assert.match(srv.stderr(), /auth: refused a request from 127\.0\.0\.1 \(401 .*signature does not verify/);
});

test('--check accepts the issuer alone without fetching, and says what start-up will fetch', async () => {
  const asked = requests.length;
  const r = await run(bin, ['--check', '-c', config(`${base}/${ISSUER_PATH}/`)], { env: cleanEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /are valid/);
  assert.match(r.stderr, new RegExp(`auth\\.oidc: not checked without the network: start-up reads the keys' address \\(jwks_uri\\) from OpenID discovery at ${escape(discoveryUrl(ISSUER_PATH))} and stops if that fails`));
  assert.equal(requests.length, asked, `--check fetched ${requests.slice(asked).join(' ')}`);
  // A provider that would fail discovery passes --check too: only start-up can tell.
  const unreachable = await run(bin, ['--check', '-c', config(`${base}/missing`)], { env: cleanEnv() });
  assert.equal(unreachable.code, 0, unreachable.stderr);
  assert.equal(requests.length, asked);
  // What --check can see without the network it refuses: an unreadable CA file.
  const noCa = await run(bin, ['--check', '-c', config(`${base}/${ISSUER_PATH}`)], {
    env: cleanEnv({ GRAPHGATE_AUTH_JWKS_CA_FILE: join(dir, 'no-such-ca.pem') }) });
  assert.equal(noCa.code, 2, noCa.stderr);
  assert.match(noCa.stderr, /auth\.jwks_ca_file: cannot read .*no-such-ca\.pem: No such file or directory/);
});

test('start-up stops with the URL and the reason: issuer mismatch, no jwks_uri, http jwks_uri, 404, not JSON', async () => {
  await refusesToStart(config(`${base}/mismatch`), new RegExp(
    `authorization cannot start: auth\\.oidc: OpenID discovery failed: ${escape(discoveryUrl('mismatch'))}: the document's issuer "https://elsewhere\\.test/mismatch" is not auth\\.oidc\\.issuer "${escape(`${base}/mismatch`)}"`));
  await refusesToStart(config(`${base}/nojwks`), new RegExp(
    `OpenID discovery failed: ${escape(discoveryUrl('nojwks'))}: no jwks_uri`));
  await refusesToStart(config(`${base}/httpjwks`), new RegExp(
    `OpenID discovery failed: ${escape(discoveryUrl('httpjwks'))}: jwks_uri "http://127\\.0\\.0\\.1:\\d+/httpjwks/keys" is not an https:// URL`));
  await refusesToStart(config(`${base}/missing`), new RegExp(
    `OpenID discovery failed: ${escape(discoveryUrl('missing'))}: HTTP status 404`));
  await refusesToStart(config(`${base}/notjson`), new RegExp(
    `OpenID discovery failed: ${escape(discoveryUrl('notjson'))}: not a JSON object`));
  // The document is fine but its jwks_uri answers 404: the JWKS fetch's own error, naming both.
  await refusesToStart(config(`${base}/badkeys`), new RegExp(
    `auth\\.oidc jwks_uri \\(from OpenID discovery at ${escape(discoveryUrl('badkeys'))}\\) cannot be loaded at start: ${escape(`${base}/badkeys/keys`)}: HTTP status 404`));
});

test('without auth.jwks_ca_file the system CAs do not trust the test CA: a TLS error naming the URL', async () => {
  const log = await refusesToStart(config(`${base}/${ISSUER_PATH}`, { ca: false }),
    new RegExp(`authorization cannot start: auth\\.oidc: OpenID discovery failed: ${escape(discoveryUrl(ISSUER_PATH))}: .*certificate`, 'i'));
  assert.doesNotMatch(log, /jwks_uri https/);
  // Nothing listens: unreachable, with the URL too.
  await refusesToStart(config('https://127.0.0.1:1/realm'),
    /OpenID discovery failed: https:\/\/127\.0\.0\.1:1\/realm\/\.well-known\/openid-configuration: .*(connect|refused)/i);
  // A CA file that is not a PEM certificate stops start-up before anything is fetched.
  const notPem = join(tempDir(), 'not-a-ca.pem');
  writeFileSync(notPem, 'not a certificate\n');
  await refusesToStart(config(`${base}/${ISSUER_PATH}`, { ca: false }),
    /auth\.jwks_ca_file: .*not-a-ca\.pem holds no PEM certificate/, { GRAPHGATE_AUTH_JWKS_CA_FILE: notPem });
});

test('a SIGHUP reload discovers again: a moved jwks_uri is followed, a failed discovery keeps the old keys', async () => {
  // The provider rotates to a new JWKS address.
  serve(`/${ISSUER_PATH}/keys-2`, { keys: [rotated.jwk] });
  serve(`/${ISSUER_PATH}/.well-known/openid-configuration`, { issuer: `${base}/${ISSUER_PATH}`, jwks_uri: `${base}/${ISSUER_PATH}/keys-2` });
  assert.equal(await reload(srv), 'done');
  assert.match(srv.stderr(), new RegExp(`OpenID discovery at ${escape(discoveryUrl(ISSUER_PATH))}: jwks_uri ${escape(`${base}/${ISSUER_PATH}/keys-2`)}\\n`));
  const now = await post(srv.url, QUERY, { authorization: token(rotated, `${base}/${ISSUER_PATH}`) });
  assert.equal(now.status, 200, now.text);
  const old = await post(srv.url, QUERY, { authorization: token(served, `${base}/${ISSUER_PATH}`, { sub: 'user-2' }) });
  assert.equal(old.status, 401, old.text);

  // The provider's discovery breaks: the reload fails with the reason and the running keys stay.
  serve(`/${ISSUER_PATH}/.well-known/openid-configuration`, { error: 'down' }, 503);
  const failed = await reload(srv);
  assert.match(failed, new RegExp(`reload failed, the previous configuration keeps serving: auth\\.oidc: OpenID discovery failed: ${escape(discoveryUrl(ISSUER_PATH))}: HTTP status 503`));
  const still = await post(srv.url, QUERY, { authorization: token(rotated, `${base}/${ISSUER_PATH}`, { sub: 'user-3' }) });
  assert.equal(still.status, 200, still.text);
});

test('the discovered jwks_uri is refreshed as a jwks_url is: an unknown kid fetches it again', async () => {
  // Back to a working document (the reload above left the generation on keys-2); keys-2 now holds a
  // third key as well. min_refetch_s (10 s) is counted from the last fetch: the kid waits for it.
  const third = rsaKey('rsa-3');
  serve(`/${ISSUER_PATH}/keys-2`, { keys: [rotated.jwk, third.jwk] });
  const fetches = () => requests.filter((p) => p === `/${ISSUER_PATH}/keys-2`).length;
  const before = fetches();
  const t = token(third, `${base}/${ISSUER_PATH}`);
  const first = await post(srv.url, QUERY, { authorization: t });
  assert.equal(first.status, 401, first.text); // not in the keys yet: refused, and a fetch is asked for
  const deadline = Date.now() + 20000;
  let r;
  do {
    await new Promise((resolve) => setTimeout(resolve, 250));
    r = await post(srv.url, QUERY, { authorization: t });
  } while (r.status !== 200 && Date.now() < deadline);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body, { data: DATA });
  assert.ok(fetches() > before, 'the jwks_uri was not fetched again');
});

test('auth.jwks_ca_file is trusted by every JWKS fetch: a configured jwks_url and Cognito\'s', async () => {
  serve('/pool/keys', { keys: [rotated.jwk] });
  const fixture = join(root, 'tests', 'fixtures', 'static');
  const write = (ca, modes = ['OPENID_CONNECT', 'AMAZON_COGNITO_USER_POOLS']) => {
    const path = join(tempDir(), 'graphgate.json');
    writeFileSync(path, JSON.stringify({
      schema: [join(fixture, 'schema.graphql')], static_data_file: join(fixture, 'data.json'),
      auth: { default_mode: modes[0], additional_modes: modes.slice(1), jwks_ca_file: ca,
        oidc: { issuer: 'https://login.graphgate.test', jwks_url: `${base}/${ISSUER_PATH}/keys` },
        cognito: { user_pool_id: 'eu-west-1_Pool', region: 'eu-west-1', jwks_url: `${base}/pool/keys` } },
    }));
    return path;
  };
  const both = await startServer({ config: write(caPath), env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT' } });
  assert.match(both.stderr(), /auth: OPENID_CONNECT \(default\), AMAZON_COGNITO_USER_POOLS/);
  assert.doesNotMatch(both.stderr(), /OpenID discovery/); // keys named: no discovery
  assert.equal((await both.stop()).code, 0, both.stderr());
  assert.ok(requests.includes('/pool/keys'));
  // The system's CAs alone do not trust the test CA: the first fetch's TLS error, with its URL.
  await refusesToStart(write(''), new RegExp(`auth\\.oidc jwks_url cannot be loaded at start: ${escape(`${base}/${ISSUER_PATH}/keys`)}: .*certificate`, 'i'));
  await refusesToStart(write('', ['AMAZON_COGNITO_USER_POOLS']),
    new RegExp(`auth\\.cognito jwks_url cannot be loaded at start: ${escape(`${base}/pool/keys`)}: .*certificate`, 'i'));
});
