// The auth verifier against real keys and tokens (issue 10). Keys, JWKS and tokens are made here with
// node:crypto (RS256, PS256, ES256, HS256, EdDSA with Ed25519 and Ed448); a JWKS is served over HTTPS by a node:https server whose
// certificate comes from a test CA made with the openssl command. The C driver (driver.c) runs the
// same verifier the gateway uses and answers one JSON line per request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { generateKeyPairSync, sign, createHmac, randomBytes, constants } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';

const DRIVER = process.env.GRAPHGATE_AUTH_DRIVER;
const ISSUER = 'https://login.example.test/realm';
const CLIENT_ID = 'graphgate-app';
const REGION = 'eu-west-1';
const POOL = 'eu-west-1_AbCdEf123';
const COGNITO_ISS = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const API_KEY = 'da2-abcdefghijklmnopqrstuvwxyz';
const EXPIRED_API_KEY = 'da2-expiredexpiredexpired000';

const b64u = (data) => Buffer.from(data).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function rsaKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}
function ecKey(kid, namedCurve = 'P-256') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}

function edKey(kid, type = 'ed25519') {
  const { privateKey, publicKey } = generateKeyPairSync(type);
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}

// Signs header.payload with alg; key is a node KeyObject or, for HS*, a secret buffer.
function signJws(alg, key, input) {
  const bits = alg.slice(2);
  const hash = `sha${bits}`;
  if (alg === 'EdDSA') return sign(null, Buffer.from(input), key); // the key's curve: Ed25519 or Ed448
  if (alg.startsWith('HS')) return createHmac(hash, key).update(input).digest();
  if (alg.startsWith('RS')) return sign(hash, Buffer.from(input), key);
  if (alg.startsWith('PS'))
    return sign(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 });
  if (alg.startsWith('ES')) return sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  throw new Error(`no signer for ${alg}`);
}

function makeToken({ alg = 'RS256', kid, key, claims = {}, header = {} }) {
  const h = { alg, typ: 'JWT', ...(kid ? { kid } : {}), ...header };
  const payload = {
    iss: ISSUER, aud: CLIENT_ID, sub: 'user-1', exp: now() + 600, iat: now() - 5, ...claims,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const input = `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(signJws(alg, key, input))}`;
}

// One running driver: send(request) resolves with its answer line.
class Driver {
  constructor(configPath, caPath, minRefetchS = '1') {
    this.child = spawn(DRIVER, [configPath, caPath ?? '', minRefetchS], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.waiting = [];
    this.lines = [];
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const value = JSON.parse(line);
      const w = this.waiting.shift();
      if (w) w(value); else this.lines.push(value);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }
  next() {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  send(request) {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    return this.next();
  }
  async stop() {
    this.child.stdin.end();
    return this.exited;
  }
}

let dir, server, serverPort, driver, caPath;
let served; // the JWKS document the HTTPS server answers with
const rsa = rsaKey('rsa-1');
const ec = ecKey('ec-1');
const ps = rsaKey('ps-1');
const rotated = rsaKey('rsa-2');
const never = rsaKey('never-served');
const stranger = rsaKey('rsa-1'); // same kid as a served key, different key
const cognitoKey = ecKey('cognito-1');
const ed = edKey('ed-1');
const ed448 = edKey('ed448-1', 'ed448');
const edStranger = edKey('ed-1'); // same kid as the served Ed25519 key, different key
const edRotated = edKey('ed-2');
const hsSecret = randomBytes(32).toString('hex');

function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function startJwksServer(port = 0) {
  const tls = { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
  const s = https.createServer(tls, (req, res) => {
    if (req.url !== '/jwks.json') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(served));
  });
  return new Promise((resolve) => s.listen(port, '127.0.0.1', () => resolve(s)));
}

function writeConfig(name, auth) {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ auth }));
  return path;
}

function fullConfig(jwksUrl) {
  return {
    default_mode: 'OPENID_CONNECT',
    additional_modes: ['API_KEY', 'AMAZON_COGNITO_USER_POOLS'],
    api_keys_file: 'api-keys.txt',
    oidc: { issuer: `${ISSUER}/`, client_id: CLIENT_ID, jwks_url: jwksUrl, hs256_secret_file: 'hs.secret',
      leeway_s: 5 },
    cognito: { user_pool_id: POOL, region: REGION, jwks_file: 'cognito-jwks.json',
      app_id_client_regex: 'app-[a-z]+' },
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gg-auth-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=graphgate test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj',
    '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out',
    'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  caPath = join(dir, 'ca.pem');
  served = { keys: [rsa.jwk, { ...ec.jwk, alg: 'ES256' }, { ...ps.jwk, alg: 'PS256' }, ed.jwk,
    { ...ed448.jwk, alg: 'EdDSA' }] };
  server = await startJwksServer();
  serverPort = server.address().port;
  writeFileSync(join(dir, 'api-keys.txt'), `# test keys\n${API_KEY}\n${EXPIRED_API_KEY}@2020-01-01T00:00:00Z\n`);
  writeFileSync(join(dir, 'hs.secret'), `${hsSecret}\n`);
  writeFileSync(join(dir, 'cognito-jwks.json'), JSON.stringify({ keys: [cognitoKey.jwk] }));
  const config = writeConfig('graphgate.json', fullConfig(`https://127.0.0.1:${serverPort}/jwks.json`));
  driver = new Driver(config, caPath);
  const ready = await driver.next();
  assert.equal(ready.ready, true, JSON.stringify(ready));
});

after(async () => {
  if (driver) assert.equal(await driver.stop(), 0, driver.stderr);
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function assertRefused(answer, token, label) {
  assert.equal(answer.ok, false, `${label}: accepted ${JSON.stringify(answer)}`);
  assert.equal(answer.status, 401, label);
  const body = JSON.parse(answer.body);
  assert.deepEqual(Object.keys(body), ['errors'], `${label}: no data key`);
  assert.equal(body.errors[0].errorType, 'UnauthorizedException', label);
  assert.ok(body.errors[0].message.length > 0, label);
  if (token && token.length > 8) {
    assert.ok(!answer.body.includes(token.slice(-16)), `${label}: the body leaks the credential`);
    assert.ok(!answer.reason.includes(token.slice(-16)), `${label}: the log reason leaks the credential`);
  }
  assert.ok(answer.reason.length > 0, `${label}: a reason for the log`);
  return body.errors[0].message;
}

test('good tokens are accepted with the right identity', async () => {
  const claims = { sub: 'u-42', 'cognito:username': 'alice', 'cognito:groups': ['admin', 'dev'] };
  for (const [alg, key, kid] of [['RS256', rsa.privateKey, 'rsa-1'], ['ES256', ec.privateKey, 'ec-1'],
    ['PS256', ps.privateKey, 'ps-1'], ['HS256', Buffer.from(hsSecret), undefined],
    ['HS512', Buffer.from(hsSecret), undefined]]) {
    const token = makeToken({ alg, key, kid, claims });
    const a = await driver.send({ authorization: token });
    assert.equal(a.ok, true, `${alg}: ${JSON.stringify(a)}`);
    assert.equal(a.mode, 'OPENID_CONNECT');
    assert.equal(a.sub, 'u-42');
    assert.equal(a.username, 'alice');
    assert.equal(a.issuer, ISSUER);
    assert.deepEqual(a.groups, ['admin', 'dev']);
    assert.equal(a.claims.aud, CLIENT_ID);
  }
  // "Bearer " is accepted; an access token names the client in client_id instead of aud.
  const bearer = makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { aud: undefined, client_id: CLIENT_ID,
    username: 'bob' } });
  const b = await driver.send({ authorization: `Bearer ${bearer}` });
  assert.equal(b.ok, true, JSON.stringify(b));
  assert.equal(b.username, 'bob');
  // The same token again answers from the cache with the same identity.
  const again = await driver.send({ authorization: `Bearer ${bearer}` });
  assert.deepEqual(again, b);
});

test('Cognito id and access tokens select AMAZON_COGNITO_USER_POOLS', async () => {
  const base = { iss: COGNITO_ISS, sub: 'c-1', 'cognito:groups': ['editors'] };
  const id = makeToken({ alg: 'ES256', key: cognitoKey.privateKey, kid: 'cognito-1',
    claims: { ...base, aud: 'app-web', token_use: 'id', 'cognito:username': 'carol' } });
  const access = makeToken({ alg: 'ES256', key: cognitoKey.privateKey, kid: 'cognito-1',
    claims: { ...base, aud: undefined, client_id: 'app-mobile', token_use: 'access', username: 'carol' } });
  for (const token of [id, access]) {
    const a = await driver.send({ authorization: token });
    assert.equal(a.ok, true, JSON.stringify(a));
    assert.equal(a.mode, 'AMAZON_COGNITO_USER_POOLS');
    assert.equal(a.username, 'carol');
    assert.equal(a.issuer, COGNITO_ISS);
    assert.deepEqual(a.groups, ['editors']);
  }
  const badUse = makeToken({ alg: 'ES256', key: cognitoKey.privateKey, kid: 'cognito-1',
    claims: { ...base, aud: 'app-web', token_use: 'refresh' } });
  assertRefused(await driver.send({ authorization: badUse }), badUse, 'token_use refresh');
  const badClient = makeToken({ alg: 'ES256', key: cognitoKey.privateKey, kid: 'cognito-1',
    claims: { ...base, aud: 'other-app', token_use: 'id' } });
  assertRefused(await driver.send({ authorization: badClient }), badClient, 'client id outside the regex');
  const otherPool = makeToken({ alg: 'ES256', key: cognitoKey.privateKey, kid: 'cognito-1',
    claims: { ...base, iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other`, aud: 'app-web',
      token_use: 'id' } });
  assertRefused(await driver.send({ authorization: otherPool }), otherPool, 'another user pool');
});

test('API keys: the right key is accepted, a wrong or expired one refused at once', async () => {
  const ok = await driver.send({ api_key: API_KEY });
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.equal(ok.mode, 'API_KEY');
  assert.equal(ok.sub, undefined);
  // x-api-key wins over a valid JWT: a wrong key is refused without trying the token.
  const jwt = makeToken({ key: rsa.privateKey, kid: 'rsa-1' });
  assertRefused(await driver.send({ api_key: `${API_KEY}x`, authorization: jwt }), `${API_KEY}x`, 'wrong key');
});

test('the negative battery: every case is a 401 with no data and nothing leaked', async () => {
  const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
  const good = makeToken({ key: rsa.privateKey, kid: 'rsa-1' });
  const [h, p, s] = good.split('.');
  const tamperedPayload = b64u(JSON.stringify({ iss: ISSUER, aud: CLIENT_ID, sub: 'admin', exp: now() + 600 }));
  const noneToken = `${b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${p}.`;
  const noneWithSig = `${b64u(JSON.stringify({ alg: 'none', kid: 'rsa-1' }))}.${p}.${s}`;
  const cases = {
    'no credential': {},
    'empty Authorization': { authorization: '' },
    garbage: { authorization: 'garbage' },
    'three garbage parts': { authorization: 'abc.def.ghi' },
    'three non-base64 parts': { authorization: '***.***.***' },
    'alg none, empty signature': { authorization: noneToken },
    'alg none with a signature': { authorization: noneWithSig },
    'HS256 signed with the RSA public key': {
      authorization: makeToken({ alg: 'HS256', key: Buffer.from(rsaPublicPem), kid: 'rsa-1' }) },
    'HS256 signed with the RSA public key, no kid': {
      authorization: makeToken({ alg: 'HS256', key: Buffer.from(rsaPublicPem) }) },
    'RS256 token against the EC key': { authorization: makeToken({ alg: 'RS256', key: rsa.privateKey, kid: 'ec-1' }) },
    'PS256 key used for RS256': { authorization: makeToken({ alg: 'RS256', key: ps.privateKey, kid: 'ps-1' }) },
    expired: { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { exp: now() - 60 } }) },
    'not yet valid': { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { nbf: now() + 120 } }) },
    'issued in the future': {
      authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { iat: now() + 120 } }) },
    'no exp': { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { exp: undefined } }) },
    'exp as a string': {
      authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { exp: String(now() + 600) } }) },
    'wrong issuer': {
      authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { iss: 'https://evil.test/realm' } }) },
    'issuer with a suffix': {
      authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { iss: `${ISSUER}x` } }) },
    'wrong audience': { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { aud: 'other' } }) },
    'no audience': { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1', claims: { aud: undefined } }) },
    'unknown kid': { authorization: makeToken({ key: never.privateKey, kid: 'never-served' }) },
    'a key not in the JWKS (served kid)': { authorization: makeToken({ key: stranger.privateKey, kid: 'rsa-1' }) },
    'tampered payload': { authorization: `${h}.${tamperedPayload}.${s}` },
    'truncated signature': { authorization: `${h}.${p}.${s.slice(0, -10)}` },
    'signature with padding': { authorization: `${good}==` },
    'four parts': { authorization: `${good}.${s}` },
    'wrong API key': { api_key: 'da2-thisisnotthekeyatallnope0' },
    'expired API key': { api_key: EXPIRED_API_KEY },
    'empty API key': { api_key: '' },
    'a 40 KB token': { authorization: makeToken({ key: rsa.privateKey, kid: 'rsa-1',
      claims: { pad: 'x'.repeat(40 * 1024) } }) },
    'a 1 MB Authorization header': { authorization: `Bearer ${'A'.repeat(1024 * 1024)}` },
    'a 1 MB x-api-key': { api_key: 'k'.repeat(1024 * 1024) },
    'AWS_IAM (SigV4)': { authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/appsync/aws4_request, SignedHeaders=host, ' +
      'Signature=0123456789abcdef' },
  };
  // The good token first: verified and cached, so the cases that reuse its signature (tampered payload,
  // alg none with a signature) meet the cache, which must not answer for them.
  const first = await driver.send({ authorization: good });
  assert.equal(first.ok, true, JSON.stringify(first));
  // The log reason shows each case is refused for its own cause, not by accident of another check.
  const reasons = {
    'alg none with a signature': /algorithm not accepted/,
    'HS256 signed with the RSA public key': /signature does not verify/,
    'RS256 token against the EC key': /algorithm does not match the key/,
    'PS256 key used for RS256': /algorithm does not match the key/,
    expired: /token expired/,
    'not yet valid': /not valid yet/,
    'issued in the future': /issued in the future/,
    'no exp': /no exp claim/,
    'wrong issuer': /issuer matches no configured provider/,
    'wrong audience': /audience/,
    'unknown kid': /key id not in the key set/,
    'a key not in the JWKS (served kid)': /signature does not verify/,
    'tampered payload': /signature does not verify/,
    'truncated signature': /signature does not verify/,
    'wrong API key': /no configured key matches/,
    'expired API key': /has expired/,
    'a 40 KB token': /at most 16384/,
    'a 1 MB Authorization header': /at most 16384/,
  };
  const messages = {};
  for (const [name, request] of Object.entries(cases)) {
    const answer = await driver.send(request);
    messages[name] = assertRefused(answer, request.authorization ?? request.api_key, name);
    if (reasons[name]) assert.match(answer.reason, reasons[name], name);
  }
  assert.equal(messages['no credential'], 'Valid authorization header not provided.');
  assert.equal(messages.garbage, 'Unable to parse JWT token.');
  assert.equal(messages['three garbage parts'], 'Unable to parse JWT token.');
  assert.equal(messages.expired, 'Token has expired.');
  assert.equal(messages['wrong API key'], 'You are not authorized to make this call.');
  assert.match(messages['AWS_IAM (SigV4)'], /AWS_IAM.*not supported/);
  // Nothing says why a signature failed: these all read the same.
  for (const name of ['alg none with a signature', 'HS256 signed with the RSA public key', 'tampered payload',
    'truncated signature', 'a key not in the JWKS (served kid)', 'unknown kid'])
    assert.equal(messages[name], 'You are not authorized to make this call.', name);
});

test('EdDSA: Ed25519 and Ed448 keys from the JWKS URL; another key, a tampered token or another key type is refused',
  async () => {
    assert.equal(ed.jwk.kty, 'OKP');
    assert.equal(ed.jwk.crv, 'Ed25519');
    for (const [key, kid] of [[ed.privateKey, 'ed-1'], [ed448.privateKey, 'ed448-1']]) {
      const a = await driver.send({ authorization: makeToken({ alg: 'EdDSA', key, kid, claims: { sub: `sub-${kid}` } }) });
      assert.equal(a.ok, true, `${kid}: ${JSON.stringify(a)}`);
      assert.equal(a.mode, 'OPENID_CONNECT');
      assert.equal(a.sub, `sub-${kid}`);
    }
    const good = makeToken({ alg: 'EdDSA', key: ed.privateKey, kid: 'ed-1' });
    const [h, , s] = good.split('.');
    const forged = b64u(JSON.stringify({ iss: ISSUER, aud: CLIENT_ID, sub: 'admin', exp: now() + 600 }));
    const flipped = `${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`;
    const esSigned = makeToken({ alg: 'ES256', key: ec.privateKey, kid: 'ec-1' }).split('.')[2];
    const cases = [
      ['signed by another Ed25519 key', makeToken({ alg: 'EdDSA', key: edStranger.privateKey, kid: 'ed-1' }),
        /signature does not verify/],
      ['tampered payload', `${h}.${forged}.${s}`, /signature does not verify/],
      ['tampered signature', `${h}.${good.split('.')[1]}.${flipped}`, /signature does not verify/],
      ['Ed448 signature under the Ed25519 kid', makeToken({ alg: 'EdDSA', key: ed448.privateKey, kid: 'ed-1' }),
        /signature does not verify/],
      ['EdDSA token against the RSA key', makeToken({ alg: 'EdDSA', key: ed.privateKey, kid: 'rsa-1' }),
        /algorithm does not match the key/],
      ['EdDSA token against the EC key', makeToken({ alg: 'EdDSA', key: ed.privateKey, kid: 'ec-1' }),
        /algorithm does not match the key/],
      ['RS256 token against the Ed25519 key', makeToken({ alg: 'RS256', key: rsa.privateKey, kid: 'ed-1' }),
        /algorithm does not match the key/],
      ['ES256 token against the Ed25519 key', makeToken({ alg: 'ES256', key: ec.privateKey, kid: 'ed-1' }),
        /algorithm does not match the key/],
      // 64 bytes either way: an ES256 r||s labelled EdDSA, an Ed25519 signature labelled ES256.
      ['ES256 signature labelled EdDSA', `${b64u(JSON.stringify({ alg: 'EdDSA', kid: 'ed-1' }))}.${good.split('.')[1]}.${esSigned}`,
        /signature does not verify/],
      ['Ed25519 signature labelled ES256', makeToken({ alg: 'EdDSA', key: ed.privateKey, kid: 'ed-1',
        header: { alg: 'ES256' } }), /algorithm does not match the key/],
      ['HS256 signed with the Ed25519 public key', makeToken({ alg: 'HS256', kid: 'ed-1',
        key: Buffer.from(ed.jwk.x, 'base64url') }), /signature does not verify/],
    ];
    // The good token first, so the cases that reuse its signature meet the cache, which must not answer.
    assert.equal((await driver.send({ authorization: good })).ok, true);
    for (const [name, token, reason] of cases) {
      const answer = await driver.send({ authorization: token });
      assert.equal(assertRefused(answer, token, name), 'You are not authorized to make this call.', name);
      assert.match(answer.reason, reason, name);
    }
  });

test('key rotation: a new kid is accepted without restart; keys survive the JWKS host going down', async () => {
  const before = (await driver.send({ wait_loads: 0 })).loads;
  served = { keys: [...served.keys, rotated.jwk] };
  const token = makeToken({ key: rotated.privateKey, kid: 'rsa-2', claims: { sub: 'rotated' } });
  const first = await driver.send({ authorization: token });
  if (!first.ok) {
    // The unknown kid asked the background thread for the new JWKS; the request itself never waits.
    const { loads } = await driver.send({ wait_loads: before + 1, timeout_ms: 10000 });
    assert.equal(loads, before + 1);
    const second = await driver.send({ authorization: token });
    assert.equal(second.ok, true, JSON.stringify(second));
    assert.equal(second.sub, 'rotated');
  }
  // The JWKS host goes down: an unknown kid triggers a refresh that fails; the last keys stay.
  await new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  const unknown = makeToken({ key: never.privateKey, kid: 'rsa-3' });
  assertRefused(await driver.send({ authorization: unknown }), unknown, 'unknown kid, host down');
  const deadline = Date.now() + 10000;
  while (!driver.stderr.includes('refresh failed, keeping the last good keys') && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(driver.stderr, /auth\.oidc JWKS refresh failed, keeping the last good keys/);
  assert.ok(!driver.stderr.includes(unknown), 'the log never holds a token');
  for (const [key, kid, alg] of [[rsa.privateKey, 'rsa-1', 'RS256'], [rotated.privateKey, 'rsa-2', 'RS256'],
    [ec.privateKey, 'ec-1', 'ES256']]) {
    const a = await driver.send({ authorization: makeToken({ alg, key, kid, claims: { sub: `after-${kid}` } }) });
    assert.equal(a.ok, true, `${kid}: ${JSON.stringify(a)}`);
    assert.equal(a.sub, `after-${kid}`);
  }
  server = await startJwksServer(serverPort);
});

test('a JWKS URL that cannot be fetched at start stops start-up with the reason', async () => {
  const config = writeConfig('down.json', fullConfig('https://127.0.0.1:1/jwks.json'));
  const d = new Driver(config, caPath);
  const answer = await d.next();
  assert.match(answer.startup_error, /auth\.oidc jwks_url cannot be loaded at start: https:\/\/127\.0\.0\.1:1\/jwks\.json: /);
  assert.equal(await d.exited, 2);
  // A server whose certificate the CA did not sign is refused too.
  const untrusted = new Driver(writeConfig('untrusted.json', fullConfig(`https://127.0.0.1:${serverPort}/jwks.json`)));
  const refused = await untrusted.next();
  assert.match(refused.startup_error ?? '', /cannot be loaded at start/);
  assert.equal(await untrusted.exited, 2);
});

test('secure defaults: no mode, or API_KEY without a key, is a start-up error that says what to set', async () => {
  for (const [auth, pattern] of [
    [{}, /auth\.default_mode.*openssl rand/],
    [{ default_mode: 'API_KEY' }, /no API key is configured.*GRAPHGATE_AUTH_API_KEYS/],
    [{ default_mode: 'AWS_LAMBDA' }, /AWS_LAMBDA/],
    [{ default_mode: 'OPENID_CONNECT', oidc: { issuer: ISSUER, jwks_url: 'http://insecure.test/jwks' } }, /https/],
  ]) {
    const d = new Driver(writeConfig('bad.json', auth));
    const answer = await d.next();
    assert.match(answer.startup_error ?? '', pattern, JSON.stringify(answer));
    assert.equal(await d.exited, 2);
  }
  const none = new Driver(writeConfig('none.json', { default_mode: 'NONE' }));
  const ready = await none.next();
  assert.match(ready.modes, /NONE.*without authorization/);
  const a = await none.send({});
  assert.equal(a.mode, 'NONE');
  assert.equal(await none.stop(), 0);
});

test('EdDSA key rotation: a malformed OKP key fails the refresh with the reason and the last keys stay', async () => {
  const good = served.keys;
  const token = makeToken({ alg: 'EdDSA', key: edRotated.privateKey, kid: 'ed-2', claims: { sub: 'ed-rotated' } });
  const marker = 'malformed public key (x must be 32 bytes of base64url)';
  assert.ok(!driver.stderr.includes(marker));
  served = { keys: [...good, { kty: 'OKP', crv: 'Ed25519', kid: 'ed-bad', x: 'AAAA' }, edRotated.jwk] };
  assertRefused(await driver.send({ authorization: token }), token, 'a kid the JWKS does not have yet');
  const deadline = Date.now() + 10000;
  while (!driver.stderr.includes(marker) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(driver.stderr, /auth\.oidc JWKS refresh failed, keeping the last good keys: .*key \d+ \(OKP Ed25519\): malformed public key \(x must be 32 bytes of base64url\)/);
  const kept = await driver.send({ authorization: makeToken({ alg: 'EdDSA', key: ed.privateKey, kid: 'ed-1' }) });
  assert.equal(kept.ok, true, JSON.stringify(kept));
  // The provider fixes its JWKS: the next unknown kid (at least min_refetch_s later) loads it.
  served = { keys: [...good, edRotated.jwk] };
  const until = Date.now() + 10000;
  let answer;
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await driver.send({ authorization: token });
  } while (!answer.ok && Date.now() < until);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.sub, 'ed-rotated');
});
