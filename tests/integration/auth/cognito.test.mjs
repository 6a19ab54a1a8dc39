// cognito.test.mjs: AMAZON_COGNITO_USER_POOLS as the default mode, through the real graphgate binary
// (issue 10, appsync-compat.md §1.2, §2.3, §3.4). The user pool is played by a P-256 key made here
// with node:crypto, its JWKS in a file (auth.cognito.jwks_file); tokens carry
// iss https://cognito-idp.<region>.amazonaws.com/<pool> as Cognito writes them: ID tokens
// (token_use id, the app client in aud, cognito:username) and access tokens (token_use access, the
// app client in client_id, username), with cognito:groups.
//
// Asserted, on a static schema (no database), with API_KEY as an additional mode:
// - both token kinds are accepted; auth.cognito.app_id_client_regex is matched against aud (ID
//   token) or client_id (access token), the whole value; a wrong or missing token_use, another
//   pool, another region and a key not in the JWKS are a 401 UnauthorizedException with no data,
//   with the reason in the log and no token there;
// - @aws_cognito_user_pools(cognito_groups:) and @aws_auth(cognito_groups:) follow cognito:groups;
// - auth.cognito.default_action ALLOW: a field without directives is open to user-pools callers
//   (and only them); DENY: closed to everyone, while fields naming user pools stay open.
// And on an @model schema over the PostgreSQL of scripts/test.sh (tables gg_it_cognito_*), with
// API_KEY as an additional mode: Amplify @auth rules of the default provider (userPools): owner (`<sub>::<username>`
// written on create, from cognito:username or an access token's username), static groups
// (cognito:groups), dynamic groups (groupsField).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, startModelServer, startServer, tempDir } from '../helpers.mjs';

const REGION = 'eu-central-1';
const POOL = 'eu-central-1_Gg7Pool';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const CLIENT_REGEX = 'web-[a-z]+|mobile';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;

const pool = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }); // signs with the pool's kid, not in the JWKS
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
const issued = []; // every token made, to check that none reaches a log

function jwt(claims, key = pool.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64u({ kid: 'pool-key-1', alg: 'ES256' })}.${b64u({ iss: ISSUER, iat: now, auth_time: now, exp: now + 600, ...claims })}`;
  const token = `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  issued.push(token);
  return token;
}
// An ID token of the app client web-app and an access token of the app client mobile, as Cognito
// issues them for a user (sub, name, groups).
const idToken = (sub, username, groups, extra = {}) => jwt({
  sub, aud: 'web-app', token_use: 'id', 'cognito:username': username, email: `${username}@example.test`,
  ...(groups ? { 'cognito:groups': groups } : {}), ...extra,
});
const accessToken = (sub, username, groups, extra = {}) => jwt({
  sub, client_id: 'mobile', token_use: 'access', scope: 'aws.cognito.signin.user.admin', username,
  ...(groups ? { 'cognito:groups': groups } : {}), ...extra,
});

function writeJwks(dir) {
  const path = join(dir, 'jwks.json');
  writeFileSync(path, JSON.stringify({ keys: [
    { ...pool.publicKey.export({ format: 'jwk' }), kid: 'pool-key-1', alg: 'ES256', use: 'sig' }] }));
  return path;
}
const cognitoEnv = (jwksFile, defaultAction) => ({
  GRAPHGATE_AUTH_DEFAULT_MODE: 'AMAZON_COGNITO_USER_POOLS',
  GRAPHGATE_AUTH_COGNITO_USER_POOL_ID: POOL,
  GRAPHGATE_AUTH_COGNITO_REGION: REGION,
  GRAPHGATE_AUTH_COGNITO_JWKS_FILE: jwksFile,
  GRAPHGATE_AUTH_COGNITO_APP_ID_CLIENT_REGEX: CLIENT_REGEX,
  GRAPHGATE_AUTH_COGNITO_DEFAULT_ACTION: defaultAction,
});

const SCHEMA = `
type Query {
  open: String
  members: String @aws_cognito_user_pools
  admins: String @aws_cognito_user_pools(cognito_groups: ["Admin"])
  legacy: String @aws_auth(cognito_groups: ["ops"])
  keyOnly: String @aws_api_key
  both: String @aws_api_key @aws_cognito_user_pools
  me: Profile @aws_cognito_user_pools
}
type Profile @aws_cognito_user_pools(cognito_groups: ["Admin", "ops"]) {
  name: String
  plan: String @aws_cognito_user_pools
}
`;
const FIELDS = ['open', 'members', 'admins', 'legacy', 'keyOnly', 'both'];
const DATA = Object.fromEntries(FIELDS.map((f) => [f, `${f}-value`]));
DATA.me = { name: 'Zoe', plan: 'pro' };

const servers = {};
let staticDir;

before(async () => {
  staticDir = tempDir();
  writeFileSync(join(staticDir, 'schema.graphql'), SCHEMA);
  writeFileSync(join(staticDir, 'data.json'), JSON.stringify(DATA));
  const config = join(staticDir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], static_data_file: 'data.json' }));
  const jwks = writeJwks(staticDir);
  for (const action of ['ALLOW', 'DENY'])
    servers[action] = await startServer({ config, env: {
      ...cognitoEnv(jwks, action), GRAPHGATE_AUTH_ADDITIONAL_MODES: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: API_KEY,
    } });
});

after(async () => {
  for (const srv of Object.values(servers)) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
    const log = srv.stderr();
    assert.ok(!log.includes(API_KEY), 'the API key reached the log');
    for (const token of issued) assert.ok(!log.includes(token.split('.')[2]), 'a token reached the log');
  }
});

const CALLERS = {
  user: () => ({ authorization: idToken('u-1', 'ursula', null) }),
  admin: () => ({ authorization: idToken('u-2', 'ada', ['staff', 'Admin']) }),
  ops: () => ({ authorization: `Bearer ${accessToken('u-3', 'otto', ['ops'])}` }),
  apiKey: () => ({ 'x-api-key': API_KEY }),
};
const unauthorized = (field, type, path) => ({ message: `Not Authorized to access ${field} on type ${type}`, path, errorType: 'Unauthorized' });
const errorsOf = (body) => (body.errors || []).map(({ locations, ...rest }) => rest);

// What each caller reads of FIELDS under each default_action.
const SEES = {
  ALLOW: {
    user: ['open', 'members', 'both'],
    admin: ['open', 'members', 'admins', 'both'],
    ops: ['open', 'members', 'legacy', 'both'],
    apiKey: ['keyOnly', 'both'], // open has no directive: the default mode's (user pools) only
  },
  DENY: {
    user: ['members', 'both'],
    admin: ['members', 'admins', 'both'],
    ops: ['members', 'legacy', 'both'],
    apiKey: ['keyOnly', 'both'],
  },
};

for (const action of ['ALLOW', 'DENY']) {
  for (const [caller, allowed] of Object.entries(SEES[action])) {
    test(`default_action ${action}: ${caller} reads exactly ${allowed.join(', ')}`, async () => {
      const r = await post(servers[action].url, { query: `{ ${FIELDS.join(' ')} }` }, CALLERS[caller]());
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.data, Object.fromEntries(FIELDS.map((f) => [f, allowed.includes(f) ? DATA[f] : null])));
      assert.deepEqual(errorsOf(r.body), FIELDS.filter((f) => !allowed.includes(f)).map((f) => unauthorized(f, 'Query', [f])));
    });
  }
}

test('cognito_groups on a type: members of a listed group read it, a field naming user pools alone is open', async () => {
  for (const action of ['ALLOW', 'DENY']) {
    const ask = async (caller) => (await post(servers[action].url, { query: '{ me { name plan } }' }, CALLERS[caller]())).body;
    assert.deepEqual(await ask('admin'), { data: { me: DATA.me } }, action);
    assert.deepEqual(await ask('ops'), { data: { me: DATA.me } }, action);
    const user = await ask('user');
    assert.deepEqual(user.data, { me: { name: null, plan: 'pro' } }, action);
    assert.deepEqual(errorsOf(user), [unauthorized('name', 'Profile', ['me', 'name'])], action);
  }
});

test('ID and access tokens are both accepted; the app client is matched against aud or client_id', async () => {
  const srv = servers.ALLOW;
  const accepted = {
    'ID token, aud web-app': idToken('u-9', 'nina', null),
    'ID token, aud web-shop': idToken('u-9', 'nina', null, { aud: 'web-shop' }),
    'access token, client_id mobile': accessToken('u-9', 'nina', null),
    'access token, client_id web-x': accessToken('u-9', 'nina', null, { client_id: 'web-x' }),
    'Bearer and an ID token': `Bearer ${idToken('u-9', 'nina', ['ops'])}`,
  };
  for (const [label, authorization] of Object.entries(accepted)) {
    const r = await post(srv.url, { query: '{ members }' }, { authorization });
    assert.equal(r.status, 200, `${label}: ${r.text}`);
    assert.deepEqual(r.body, { data: { members: DATA.members } }, label);
  }
});

test('wrong token_use, app client, pool, region or key: 401 with no data, the reason logged', async () => {
  const srv = servers.ALLOW;
  const refused = {
    'token_use refresh': [idToken('u-1', 'x', null, { token_use: 'refresh' }), 'token_use'],
    'no token_use': [jwt({ sub: 'u-1', aud: 'web-app', 'cognito:username': 'x' }), 'token_use'],
    'ID token of another app client': [idToken('u-1', 'x', null, { aud: 'desktop' }), 'app_id_client_regex'],
    'ID token, the regex only as a part of aud': [idToken('u-1', 'x', null, { aud: 'my-web-app' }), 'app_id_client_regex'],
    'ID token whose app client is only in client_id': [idToken('u-1', 'x', null, { aud: 'desktop', client_id: 'mobile' }), 'app_id_client_regex'],
    'access token whose app client is only in aud': [accessToken('u-1', 'x', null, { client_id: 'desktop', aud: 'mobile' }), 'app_id_client_regex'],
    'another pool of the region': [idToken('u-1', 'x', null, { iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other` }), 'issuer'],
    'the pool id in another region': [idToken('u-1', 'x', null, { iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL}` }), 'issuer'],
    'not a Cognito issuer': [idToken('u-1', 'x', null, { iss: 'https://login.example.test' }), 'issuer'],
    'signed by a key not in the JWKS': [jwt({ sub: 'u-1', aud: 'web-app', token_use: 'id' }, stranger.privateKey), 'signature'],
    expired: [idToken('u-1', 'x', null, { exp: Math.floor(Date.now() / 1000) - 3600 }), 'expired'],
  };
  for (const [label, [authorization, reason]] of Object.entries(refused)) {
    const before = srv.stderr().length;
    const r = await post(srv.url, { query: '{ open members }' }, { authorization });
    assert.equal(r.status, 401, `${label}: ${r.text}`);
    const message = label === 'expired' ? 'Token has expired.' : 'You are not authorized to make this call.';
    assert.deepEqual(r.body, { errors: [{ errorType: 'UnauthorizedException', message }] }, label);
    await new Promise((res) => setTimeout(res, 20)); // the log line follows the answer
    assert.match(srv.stderr().slice(before), new RegExp(reason), `${label}: the log gives no reason`);
  }
});

// @auth rules over PostgreSQL, user pools the default provider.
const MODEL_SCHEMA = `
type Memo @model @refersTo(name: "gg_it_cognito_memo")
  @auth(rules: [{ allow: owner }, { allow: groups, groups: ["Admin"] }]) {
  text: String!
  owner: String
}
type Room @model @refersTo(name: "gg_it_cognito_room") @auth(rules: [{ allow: groups, groupsField: "teams" }]) {
  name: String!
  teams: [String]
}
`;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

test('@auth owner and group rules follow the Cognito identity', { skip }, async () => {
  const dir = tempDir();
  const srv = await startModelServer({
    schema: MODEL_SCHEMA, tables: 'gg_it_cognito_memo, gg_it_cognito_room', dbUrl,
    // default_action ALLOW, as Amplify sets up its pools: rules of the default provider make the
    // transform write no @aws_* directive, which DENY would close.
    env: { ...cognitoEnv(writeJwks(dir), 'ALLOW'), GRAPHGATE_AUTH_ADDITIONAL_MODES: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: API_KEY },
  });
  servers.model = srv; // stopped and its log checked by after()
  const gql = async (authorization, query, variables) => {
    const r = await post(srv.url, { query, variables }, { authorization });
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const alice = idToken('a-1', 'alice', null);
  const aliceAccess = accessToken('a-1', 'alice', null); // the same user as Amplify JS sends her
  const bob = idToken('b-1', 'bob', ['red']);
  const admin = accessToken('c-1', 'carla', ['Admin']);
  const create = 'mutation($input: CreateMemoInput!) { createMemo(input: $input) { id text owner } }';

  let r = await gql(alice, create, { input: { text: 'from alice' } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  // stored as "a-1::alice" (sub::username, filled from the identity); the owner field answers its
  // last part, as AppSync's owner field resolver does
  assert.equal(r.data.createMemo.owner, 'alice');
  const aliceMemo = r.data.createMemo.id;
  r = await gql(bob, create, { input: { text: 'from bob' } });
  assert.equal(r.data.createMemo.owner, 'bob');
  r = await gql(bob, create, { input: { text: 'forged', owner: 'a-1::alice' } });
  assert.equal(r.data?.createMemo ?? null, null);
  assert.equal(r.errors?.[0]?.errorType, 'Unauthorized', JSON.stringify(r));

  const list = async (authorization) => {
    const body = await gql(authorization, '{ listMemos { items { text owner } } }');
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data.listMemos.items.map((m) => m.text).sort();
  };
  assert.deepEqual(await list(alice), ['from alice']);
  assert.deepEqual(await list(aliceAccess), ['from alice']); // username claim of an access token
  assert.deepEqual(await list(bob), ['from bob']);
  assert.deepEqual(await list(admin), ['from alice', 'from bob']); // cognito:groups Admin

  r = await gql(bob, 'query($id: ID!) { getMemo(id: $id) { text } }', { id: aliceMemo });
  assert.deepEqual(r.data, { getMemo: null });
  assert.equal(r.errors?.[0]?.errorType, 'Unauthorized');
  r = await gql(bob, 'mutation($id: ID!) { updateMemo(input: { id: $id, text: "bob was here" }) { id } }', { id: aliceMemo });
  assert.equal(r.errors?.[0]?.errorType, 'Unauthorized', JSON.stringify(r));
  r = await gql(admin, 'mutation($id: ID!) { updateMemo(input: { id: $id, text: "edited by admin" }) { text owner } }', { id: aliceMemo });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.updateMemo, { text: 'edited by admin', owner: 'alice' });

  // Dynamic groups: the row's teams against the caller's cognito:groups.
  const createRoom = 'mutation($input: CreateRoomInput!) { createRoom(input: $input) { name teams } }';
  r = await gql(bob, createRoom, { input: { name: 'red room', teams: ['red'] } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  r = await gql(alice, createRoom, { input: { name: 'stolen', teams: ['red'] } });
  assert.equal(r.errors?.[0]?.errorType, 'Unauthorized', JSON.stringify(r));
  const rooms = async (authorization) => (await gql(authorization, '{ listRooms { items { name } } }')).data.listRooms.items.map((x) => x.name);
  assert.deepEqual(await rooms(bob), ['red room']);
  assert.deepEqual(await rooms(admin), []); // groups, none of them the room's
  // No cognito:groups claim at all: no rule can apply, the list is refused (as Amplify's resolver does).
  r = await gql(alice, '{ listRooms { items { name } } }');
  assert.deepEqual(r.data, { listRooms: null });
  assert.deepEqual(errorsOf(r), [unauthorized('listRooms', 'Query', ['listRooms'])]);

  // An API key caller: no rule names it.
  const keyed = await post(srv.url, { query: '{ listMemos { items { text } } }' }, { 'x-api-key': API_KEY });
  assert.equal(keyed.status, 200, keyed.text);
  assert.deepEqual(keyed.body.data, { listMemos: null });
  assert.deepEqual(errorsOf(keyed.body), [unauthorized('listMemos', 'Query', ['listMemos'])]);
});
