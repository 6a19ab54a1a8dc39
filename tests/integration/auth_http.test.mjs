// auth_http.test.mjs: request-level authorization of the real graphgate binary (issue 10): API keys
// and JWTs (RS256, ES256 and EdDSA with Ed25519 over a JWKS file, HS256 over a secret file) on POST and GET, over
// HTTP/1.1 and HTTP/2 (h2c); AppSync's 401 bodies without data; the start-up refusals (no mode,
// API_KEY without a key, a bad mode word) and NONE's loud line; and issue 10's negative battery,
// each case refused over POST and GET with a 401, no data and nothing of the credential in the
// body or the log. The Amplify JS client's auth modes are in amplify_auth.test.mjs.
// Keys and tokens are made here with node:crypto; the schema is the static fixture (no database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, post, run, startServer, staticConfig, tempDir } from './helpers.mjs';

const ISSUER = 'https://issuer.graphgate.test';
const CLIENT_ID = 'graphgate-tests';
const GOOD_KEY = `da2-${randomBytes(13).toString('hex')}`;
const EXPIRED_KEY = `da2-${randomBytes(13).toString('hex')}`;
const QUERY = { query: '{ getTodo(id: "t1") { id name } }' };
const DATA = { getTodo: { id: 't1', name: 'Try graphgate' } };
const NO_HEADER = { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };
const NOT_AUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };
const UNPARSABLE = { errors: [{ errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }] };
const EXPIRED = { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] };

const b64u = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const hsSecret = randomBytes(32).toString('hex');

// A signed JWT: alg RS256 (rsa), ES256 (ec), EdDSA (ed, or edKey) or HS256 (the secret file's secret).
const KIDS = { RS256: 'rsa-1', ES256: 'ec-1', EdDSA: 'ed-1' };
function token(alg, claims = {}, edKey = ed.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: 'JWT', ...(KIDS[alg] ? { kid: KIDS[alg] } : {}) };
  const payload = { iss: ISSUER, sub: `user-${alg}`, aud: CLIENT_ID, iat: now, exp: now + 600, ...claims };
  const input = `${b64u(header)}.${b64u(payload)}`;
  let signature;
  if (alg === 'RS256') signature = sign('sha256', Buffer.from(input), rsa.privateKey);
  else if (alg === 'ES256') signature = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') signature = sign(null, Buffer.from(input), edKey);
  else signature = createHmac('sha256', hsSecret).update(input).digest();
  return `${input}.${signature.toString('base64url')}`;
}

let dir;
let srv;
let authEnv;

before(async () => {
  dir = tempDir();
  const jwks = { keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    { ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' }, // kty OKP, crv Ed25519
  ] };
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks));
  writeFileSync(join(dir, 'hs.secret'), `${hsSecret}\n`);
  writeFileSync(join(dir, 'api-keys'), `# test keys\n${GOOD_KEY}\n${EXPIRED_KEY}@2020-01-01T00:00:00Z\n`);
  authEnv = {
    GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
    GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT',
    GRAPHGATE_AUTH_API_KEYS_FILE: join(dir, 'api-keys'),
    GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
    GRAPHGATE_AUTH_OIDC_CLIENT_ID: CLIENT_ID,
    GRAPHGATE_AUTH_OIDC_JWKS_FILE: join(dir, 'jwks.json'),
    GRAPHGATE_AUTH_OIDC_HS256_SECRET_FILE: join(dir, 'hs.secret'),
  };
  srv = await startServer({ env: authEnv });
});

after(async () => {
  if (!srv) return;
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  // Refusals are logged with their reason, never with the credential.
  const log = srv.stderr();
  assert.match(log, /auth: refused a request from 127\.0\.0\.1 \(401 .*\): API key: no configured key matches/);
  assert.match(log, /API key: key 2 has expired/);
  assert.ok(!log.includes(EXPIRED_KEY) && !log.includes(GOOD_KEY), 'an API key reached the log');
  assert.ok(!log.includes(token('RS256').split('.')[0] + '.'), 'a token reached the log');
});

test('the start-up line names the modes', () => {
  assert.match(srv.stderr(), /graphgate: auth: API_KEY \(default\), OPENID_CONNECT/);
});

test('API key: good 200, wrong 401, expired 401, missing 401, with AppSync bodies and no data', async () => {
  const good = await post(srv.url, QUERY, { 'x-api-key': GOOD_KEY });
  assert.equal(good.status, 200);
  assert.deepEqual(good.body, { data: DATA });

  const wrong = await post(srv.url, QUERY, { 'x-api-key': `${GOOD_KEY}x` });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, NOT_AUTHORIZED);
  assert.match(wrong.type, /^application\/json/);
  assert.equal(wrong.headers.get('x-amzn-errortype'), 'UnauthorizedException');

  const expired = await post(srv.url, QUERY, { 'x-api-key': EXPIRED_KEY });
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, NOT_AUTHORIZED);

  const missing = await post(srv.url, QUERY);
  assert.equal(missing.status, 401);
  assert.deepEqual(missing.body, NO_HEADER);

  // A wrong key is refused even when a valid JWT comes along (AppSync: x-api-key decides).
  const both = await post(srv.url, QUERY, { 'x-api-key': 'not-the-key-at-all', authorization: token('RS256') });
  assert.equal(both.status, 401);
  assert.deepEqual(both.body, NOT_AUTHORIZED);
});

test('GET is authorized too; a refused request is not parsed', async () => {
  const url = `${srv.url}?query=${encodeURIComponent(QUERY.query)}`;
  const ok = await fetch(url, { headers: { 'x-api-key': GOOD_KEY } });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { data: DATA });
  const refused = await fetch(url);
  assert.equal(refused.status, 401);
  assert.deepEqual(await refused.json(), NO_HEADER);
  // A syntax error is not reported to a caller without credentials: authorization comes first.
  const garbage = await post(srv.url, { query: '{ not graphql' });
  assert.equal(garbage.status, 401);
  assert.deepEqual(garbage.body, NO_HEADER);
});

test('JWT: RS256, ES256 and HS256 accepted, with or without Bearer', async () => {
  for (const alg of ['RS256', 'ES256', 'HS256']) {
    const r = await post(srv.url, QUERY, { authorization: token(alg) });
    assert.equal(r.status, 200, `${alg}: ${r.text}`);
    assert.deepEqual(r.body, { data: DATA });
    const bearer = await post(srv.url, QUERY, { authorization: `Bearer ${token(alg, { sub: 'other' })}` });
    assert.equal(bearer.status, 200, `${alg} Bearer: ${bearer.text}`);
  }
});

test('JWT: EdDSA (Ed25519) authorizes a request end to end; another Ed25519 key gets the usual 401', async () => {
  const before = srv.stderr().length;
  const good = token('EdDSA', { sub: 'user-ed' });
  for (const r of [await post(srv.url, QUERY, { authorization: good }),
    await post(srv.url, QUERY, { authorization: `Bearer ${token('EdDSA', { sub: 'user-ed2' })}` })]) {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { data: DATA });
  }
  const get = await fetch(`${srv.url}?query=${encodeURIComponent(QUERY.query)}`, { headers: { authorization: good } });
  assert.equal(get.status, 200);
  assert.deepEqual(await get.json(), { data: DATA });

  const other = generateKeyPairSync('ed25519'); // in no JWKS, signing under the served kid
  const forged = token('EdDSA', { sub: 'user-ed' }, other.privateKey);
  const refused = await post(srv.url, QUERY, { authorization: forged });
  assert.equal(refused.status, 401, refused.text);
  assert.deepEqual(refused.body, NOT_AUTHORIZED);
  assert.equal(refused.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  const log = srv.stderr().slice(before);
  assert.match(log, /auth: refused a request from 127\.0\.0\.1 \(401 .*signature does not verify/);
  assert.ok(!log.includes(forged.split('.')[2]), 'a signature reached the log');
});

// AppSync's refusal as the client sees it: 401, JSON, x-amzn-errortype, only "errors" (no data), and
// no piece of the credential in the body.
function assertRefused(r, credential, label, body) {
  assert.equal(r.status, 401, `${label}: ${r.text.slice(0, 200)}`);
  assert.match(r.type, /^application\/json/, label);
  assert.equal(r.headers.get('x-amzn-errortype'), 'UnauthorizedException', label);
  assert.deepEqual(Object.keys(r.body), ['errors'], `${label}: ${r.text.slice(0, 200)}`);
  assert.equal(r.body.errors.length, 1, label);
  assert.equal(r.body.errors[0].errorType, 'UnauthorizedException', label);
  if (body) assert.deepEqual(r.body, body, label);
  if (credential && credential.length >= 16) {
    assert.ok(!r.text.includes(credential.slice(-16)), `${label}: the body holds the credential`);
    assert.ok(!r.text.includes(credential.slice(0, 16)), `${label}: the body holds the credential`);
  }
}

test('the negative battery over HTTP: every case a 401 with no data, nothing leaked, the reason logged', async () => {
  const now = Math.floor(Date.now() / 1000);
  const good = token('RS256');
  const [h, p, s] = good.split('.');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }); // in no JWKS
  // header.payload signed by `key` (a KeyObject, or a Buffer as an HMAC secret).
  const signed = (header, claims, key) => {
    const input = `${b64u(header)}.${b64u({ iss: ISSUER, sub: 'mallory', aud: CLIENT_ID, iat: now, exp: now + 600, ...claims })}`;
    const signature = Buffer.isBuffer(key) ? createHmac('sha256', key).update(input).digest() : sign('sha256', Buffer.from(input), key);
    return `${input}.${signature.toString('base64url')}`;
  };
  const rsaPublicPem = Buffer.from(rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  // [name, headers, exact body or null, what the log says]
  const cases = [
    ['no credential', {}, NO_HEADER, /no credential/],
    ['empty Authorization', { authorization: '' }, NO_HEADER, /no credential|empty Authorization/],
    ['garbage', { authorization: 'not a token' }, UNPARSABLE, /not a well-formed JWS/],
    ['three garbage parts', { authorization: 'abc.def.ghi' }, UNPARSABLE, /not a well-formed JWS/],
    ['alg none, no signature', { authorization: `${b64u({ alg: 'none', typ: 'JWT' })}.${p}.` }, null, /JWT/],
    ['alg none, a signature', { authorization: `${b64u({ alg: 'none', kid: 'rsa-1' })}.${p}.${s}` }, NOT_AUTHORIZED,
      /algorithm not accepted/],
    ['HS256 signed with the RSA public key', { authorization: signed({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' }, {}, rsaPublicPem) },
      NOT_AUTHORIZED, /signature does not verify/],
    ['expired', { authorization: token('RS256', { iat: now - 7200, exp: now - 3600 }) }, EXPIRED, /token expired/],
    ['not yet valid', { authorization: token('ES256', { nbf: now + 3600 }) }, NOT_AUTHORIZED, /not valid yet/],
    ['wrong issuer', { authorization: token('ES256', { iss: 'https://elsewhere.test' }) }, NOT_AUTHORIZED,
      /issuer matches no configured provider/],
    ['wrong audience', { authorization: token('RS256', { aud: 'someone-else' }) }, NOT_AUTHORIZED, /audience/],
    ['unknown kid', { authorization: signed({ alg: 'RS256', typ: 'JWT', kid: 'rsa-9' }, {}, other.privateKey) },
      NOT_AUTHORIZED, /key id not in the key set/],
    ['a key not in the JWKS (a served kid)', { authorization: signed({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1' }, {}, other.privateKey) },
      NOT_AUTHORIZED, /signature does not verify/],
    ['tampered payload', { authorization: `${h}.${b64u({ iss: ISSUER, sub: 'admin', aud: CLIENT_ID, exp: now + 600 })}.${s}` },
      NOT_AUTHORIZED, /signature does not verify/],
    ['truncated signature', { authorization: `${h}.${p}.${s.slice(0, -10)}` }, NOT_AUTHORIZED, /signature does not verify/],
    ['wrong API key', { 'x-api-key': `${GOOD_KEY.slice(0, -1)}${GOOD_KEY.endsWith('0') ? '1' : '0'}` }, NOT_AUTHORIZED, /no configured key matches/],
    ['expired API key', { 'x-api-key': EXPIRED_KEY }, NOT_AUTHORIZED, /has expired/],
    ['a 40 KB token', { authorization: token('RS256', { pad: 'x'.repeat(40 * 1024) }) }, UNPARSABLE, /at most 16384/],
    ['40 KB of garbage', { authorization: `${'a'.repeat(20000)}.${'b'.repeat(20000)}.c` }, UNPARSABLE, /at most 16384/],
  ];
  for (const [name, headers, body, reason] of cases) {
    const before = srv.stderr().length;
    const credential = headers.authorization ?? headers['x-api-key'];
    assertRefused(await post(srv.url, QUERY, headers), credential, name, body);
    // The same over GET: no way around it through another method.
    const url = `${srv.url}?query=${encodeURIComponent(QUERY.query)}`;
    const get = await fetch(url, { headers });
    const text = await get.text();
    assertRefused({ status: get.status, type: get.headers.get('content-type'), headers: get.headers, text, body: JSON.parse(text) },
      credential, `${name} (GET)`, body);
    // A log line per refusal, with its own reason and without the credential.
    for (let i = 0; i < 100 && (srv.stderr().slice(before).match(/auth: refused/g) ?? []).length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const log = srv.stderr().slice(before);
    assert.match(log, /auth: refused a request from 127\.0\.0\.1 \(401 /, name);
    assert.match(log, reason, name);
    if (credential && credential.length >= 16) {
      assert.ok(!log.includes(credential.slice(-16)), `${name}: the log holds the credential`);
      assert.ok(!log.includes(credential.slice(0, 16)), `${name}: the log holds the credential`);
    }
  }
  // The server still serves the right credentials after the battery.
  assert.deepEqual((await post(srv.url, QUERY, { 'x-api-key': GOOD_KEY })).body, { data: DATA });
  assert.deepEqual((await post(srv.url, QUERY, { authorization: good })).body, { data: DATA });
});

test('a 1 MB Authorization header is refused without data, and the server keeps serving', async () => {
  // h2o's HTTP/1.1 parser refuses a header this long before graphgate sees it (400); a 40 KB one
  // reaches the authorizer (401 above).
  const r = await post(srv.url, QUERY, { authorization: `Bearer ${'x'.repeat(1 << 20)}` });
  assert.ok([400, 401, 431].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
  assert.ok(!r.text.includes('"data"'), r.text.slice(0, 200));
  const after = await post(srv.url, QUERY, { 'x-api-key': GOOD_KEY });
  assert.equal(after.status, 200);
});

// One request over HTTP/2 prior knowledge (h2c); resolves to { status, body }.
function h2Request(url, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const session = http2.connect(`http://${u.host}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': u.pathname, 'content-type': 'application/json', ...headers });
    let text = '';
    let status;
    req.on('response', (h) => (status = h[':status']));
    req.setEncoding('utf8');
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      session.close();
      resolve({ status, body: JSON.parse(text) });
    });
    req.on('error', reject);
    req.end(JSON.stringify(QUERY));
  });
}

test('HTTP/2: API key and JWTs accepted, refusals are 401', async () => {
  assert.deepEqual(await h2Request(srv.url, { 'x-api-key': GOOD_KEY }), { status: 200, body: { data: DATA } });
  assert.deepEqual(await h2Request(srv.url, { authorization: token('ES256') }), { status: 200, body: { data: DATA } });
  assert.deepEqual(await h2Request(srv.url, { authorization: token('HS256') }), { status: 200, body: { data: DATA } });
  assert.deepEqual(await h2Request(srv.url, {}), { status: 401, body: NO_HEADER });
  assert.deepEqual(await h2Request(srv.url, { authorization: token('RS256', { aud: 'nope' }) }), { status: 401, body: NOT_AUTHORIZED });
});

test('CORS preflight, /healthz and /readyz need no credentials', async () => {
  const pre = await fetch(srv.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-headers'), /x-api-key/);
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
  assert.equal((await fetch(`${srv.base}/readyz`)).status, 200);
});

// Starts the binary with env and expects exit 2 with a message matching pattern.
async function refusesToStart(env, pattern) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GRAPHGATE_AUTH_')));
  const r = await run(bin, ['-c', staticConfig], { env: { ...clean, GRAPHGATE_LISTEN: '127.0.0.1:0', ...env } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /listening on/);
}

test('start-up refusals: no mode, API_KEY without a key, a bad mode word, an unknown JWKS file', async () => {
  await refusesToStart({}, /no authorization mode is configured.*auth\.default_mode \(env GRAPHGATE_AUTH_DEFAULT_MODE\)/);
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' }, /API_KEY mode is on but no API key.*GRAPHGATE_AUTH_API_KEYS/);
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'APIKEY' }, /auth\.default_mode: one of API_KEY, .* \(got APIKEY\)/);
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OIDC', GRAPHGATE_AUTH_API_KEYS: GOOD_KEY },
    /auth\.additional_modes: one of .*\(got OIDC\)/);
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: 'short' }, /GRAPHGATE_AUTH_API_KEYS: API key 1 is shorter than 16/);
  // An issuer that is not https has no OpenID discovery (auth_discovery.test.mjs): its keys must be named.
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT', GRAPHGATE_AUTH_OIDC_ISSUER: 'http://issuer.graphgate.test' },
    /OPENID_CONNECT mode is on: set auth\.oidc\.jwks_url .*or make auth\.oidc\.issuer the provider's https issuer URL/);
  await refusesToStart({ GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT', GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
    GRAPHGATE_AUTH_OIDC_JWKS_FILE: join(dir, 'missing.json') }, /authorization cannot start: .*missing\.json/);
  // A key in the config file is refused: secrets come from the environment or a file.
  const config = join(tempDir(), 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: [join(dir, '..', 'x.graphql')], auth: { api_keys: GOOD_KEY } }));
  const r = await run(bin, ['-c', config], { env: { PATH: process.env.PATH } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /key "auth\.api_keys": secrets are not read from the config file; set GRAPHGATE_AUTH_API_KEYS or auth\.api_keys_file/);
});

test('NONE serves without authorization and says so loudly', async () => {
  const none = await startServer({ env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  try {
    assert.match(none.stderr(), /WARNING: auth: NONE \(default\): every request is served without authorization and @auth rules do not apply/);
    const r = await post(none.url, QUERY);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: DATA });
  } finally {
    assert.equal((await none.stop()).code, 0);
  }
});
