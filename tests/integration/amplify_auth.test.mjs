// amplify_auth.test.mjs: the Amplify JS v6 client (npm aws-amplify, pinned in package.json) against
// the real graphgate binary serving with auth.default_mode API_KEY and auth.additional_modes
// OPENID_CONNECT, as an app configured for such an AppSync API uses it: Amplify.configure with the
// endpoint, the API key and an OIDC token provider, then generateClient() from aws-amplify/api and
// client.graphql() with authMode 'apiKey' (the default) and 'oidc'. The token provider hands
// Amplify a JWT made here with node:crypto (RS256 or ES256 over a JWKS file), so the test runs
// offline. A wrong API key and an expired token must reach the app as Amplify reports a refused
// call: a rejected promise whose error is Unauthorized, from graphgate's 401 UnauthorizedException.
// The schema marks what it serves with @aws_api_key and @aws_oidc, as an AppSync schema with an
// additional provider must; its fields answer from a static JSON file (no database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir, writeConfig } from './helpers.mjs';

const ISSUER = 'https://login.amplify-auth.test/';
const CLIENT_ID = 'amplify-auth-app';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const EXPIRED_KEY = `da2-${randomBytes(13).toString('hex')}`;

const SCHEMA = `
type Note @aws_api_key @aws_oidc {
  id: ID!
  text: String!
  tags: [String!]!
}
type Query {
  getNote(id: ID!): Note @aws_api_key @aws_oidc
  listNotes: [Note!]! @aws_api_key @aws_oidc
}
`;
const NOTES = [
  { id: 'n1', text: 'Grüße aus graphgate ✓', tags: ['a', 'b'] },
  { id: 'n2', text: 'second', tags: [] },
];
const getNote = /* GraphQL */ `query GetNote($id: ID!) { getNote(id: $id) { id text tags __typename } }`;
const listNotes = /* GraphQL */ `query ListNotes { listNotes { id text __typename } }`;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

// A JWT from the test's identity provider: RS256 (kid rsa-1) or ES256 (kid ec-1).
function makeToken(alg, claims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: 'JWT', kid: alg === 'RS256' ? 'rsa-1' : 'ec-1' };
  const payload = { iss: ISSUER, aud: CLIENT_ID, sub: 'amplify-user', iat: now, exp: now + 600, ...claims };
  const input = `${b64u(header)}.${b64u(payload)}`;
  const key = alg === 'RS256' ? rsa.privateKey : { key: ec.privateKey, dsaEncoding: 'ieee-p1363' };
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

let srv;
let client;
let currentToken; // what the token provider hands Amplify
const handedOut = []; // every token the provider gave, to check none reached the log

before(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ getNote: NOTES[0], listNotes: NOTES }));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ] }));
  writeFileSync(join(dir, 'api-keys'), `${API_KEY}\n${EXPIRED_KEY}@2021-06-30T00:00:00Z\n`);
  const config = writeConfig({
    schema: [join(dir, 'schema.graphql')],
    static_data_file: join(dir, 'data.json'),
    auth: {
      default_mode: 'API_KEY',
      additional_modes: ['OPENID_CONNECT'],
      api_keys_file: join(dir, 'api-keys'),
      oidc: { issuer: ISSUER, client_id: CLIENT_ID, jwks_file: join(dir, 'jwks.json') },
    },
  });
  // startServer's environment says NONE (for the tests that are not about auth): it is set back to
  // the file's mode here.
  srv = await startServer({ config, env: { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' } });

  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/api');
  const { decodeJWT } = await import('@aws-amplify/core');
  Amplify.configure(
    { API: { GraphQL: { endpoint: srv.url, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: API_KEY } } },
    { Auth: { tokenProvider: { getTokens: async () => {
      if (currentToken === undefined) return null; // no one signed in yet
      handedOut.push(currentToken);
      return { accessToken: decodeJWT(currentToken) };
    } } } },
  );
  client = generateClient();
});

after(async () => {
  if (!srv) return;
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  const log = srv.stderr();
  for (const secret of [API_KEY, EXPIRED_KEY, ...handedOut.map((t) => t.split('.')[2])])
    assert.ok(!log.includes(secret), 'a credential reached the log');
});

// The rejection of a refused call, as the app sees it.
async function refusal(promise) {
  const outcome = await promise.then((r) => ({ accepted: r }), (e) => ({ error: e }));
  assert.equal(outcome.accepted, undefined, `accepted: ${JSON.stringify(outcome.accepted)}`);
  return outcome.error;
}

function assertUnauthorized(error, label) {
  // Amplify turns the 401 (x-amzn-errortype: UnauthorizedException) into one Unauthorized error
  // and no data.
  assert.deepEqual(error.data, {}, label);
  assert.equal(error.errors?.length, 1, `${label}: ${JSON.stringify(error.errors)}`);
  assert.equal(error.errors[0].message, 'Unauthorized', label);
  assert.equal(error.errors[0].originalError?.name, 'UnauthorizedException', label);
}

test('authMode apiKey (the configured default): queries with variables answer', async () => {
  const r = await client.graphql({ query: getNote, variables: { id: 'n1' } });
  assert.deepEqual(r.data, { getNote: { ...NOTES[0], __typename: 'Note' } });
  const list = await client.graphql({ query: listNotes, authMode: 'apiKey' });
  assert.deepEqual(list.data.listNotes.map((n) => n.id), ['n1', 'n2']);
});

test('authMode oidc: the token provider\'s RS256 and ES256 tokens are accepted', async () => {
  for (const alg of ['RS256', 'ES256']) {
    currentToken = makeToken(alg, { sub: `user-${alg}` });
    const before = handedOut.length;
    const r = await client.graphql({ query: getNote, variables: { id: 'n1' }, authMode: 'oidc' });
    assert.deepEqual(r.data, { getNote: { ...NOTES[0], __typename: 'Note' } }, alg);
    assert.ok(handedOut.length > before, `${alg}: Amplify did not ask the token provider`);
  }
  // A client whose default is oidc, and the same token again (the server's token cache).
  const oidcClient = (await import('aws-amplify/api')).generateClient({ authMode: 'oidc' });
  for (let i = 0; i < 2; i++) {
    const list = await oidcClient.graphql({ query: listNotes });
    assert.equal(list.data.listNotes.length, 2);
  }
});

test('a wrong or expired API key: the app sees Unauthorized', async () => {
  const before = srv.stderr().length;
  assertUnauthorized(await refusal(client.graphql({ query: getNote, variables: { id: 'n1' }, apiKey: `${API_KEY}x` })),
    'wrong key');
  const other = (await import('aws-amplify/api')).generateClient({ authMode: 'apiKey', apiKey: EXPIRED_KEY });
  assertUnauthorized(await refusal(other.graphql({ query: listNotes })), 'expired key');
  // graphgate refused them (logged with the reason), and still answers the right key.
  const log = srv.stderr().slice(before);
  assert.match(log, /API key: no configured key matches/);
  assert.match(log, /API key: key 2 has expired/);
  const r = await client.graphql({ query: listNotes });
  assert.equal(r.data.listNotes.length, 2);
});

test('an expired or foreign token under authMode oidc: the app sees Unauthorized', async () => {
  const before = srv.stderr().length;
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  currentToken = makeToken('RS256', { iat: hourAgo - 600, exp: hourAgo });
  assertUnauthorized(await refusal(client.graphql({ query: getNote, variables: { id: 'n1' }, authMode: 'oidc' })),
    'expired token');
  currentToken = makeToken('ES256', { aud: 'another-app' });
  assertUnauthorized(await refusal(client.graphql({ query: listNotes, authMode: 'oidc' })), 'another audience');
  const log = srv.stderr().slice(before);
  assert.match(log, /OPENID_CONNECT JWT: token expired/);
  assert.match(log, /OPENID_CONNECT JWT: audience/);
  // A good token right after is served.
  currentToken = makeToken('ES256');
  const r = await client.graphql({ query: listNotes, authMode: 'oidc' });
  assert.equal(r.data.listNotes.length, 2);
});
