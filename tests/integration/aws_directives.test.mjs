// aws_directives.test.mjs: AppSync's field authorization (@aws_api_key, @aws_oidc,
// @aws_cognito_user_pools(cognito_groups:), legacy @aws_auth) through the real binary (issue 10,
// appsync-compat.md §2.3). One server, API_KEY by default with OPENID_CONNECT and
// AMAZON_COGNITO_USER_POOLS as additional modes, serves a static schema (no database) with
// directives on types and fields. Each mode sees exactly what its directives allow; anything else
// answers null with an Unauthorized error at its path (HTTP 200, the rest served), nested types are
// checked again, a refused non-null field nulls its parent, and cognito_groups are honoured. Keys
// and tokens are made here with node:crypto.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, startServer, tempDir } from './helpers.mjs';

const ISSUER = 'https://issuer.graphgate.test';
const REGION = 'eu-west-1';
const POOL = 'eu-west-1_TestPool1';
const COGNITO_ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;

const SCHEMA = `
schema { query: Query mutation: Mutation }
type Query {
  hello: String
  keyOnly: String @aws_api_key
  oidcOnly: String @aws_oidc
  usersOnly: String @aws_cognito_user_pools
  admins: String @aws_cognito_user_pools(cognito_groups: ["admin"])
  legacyOps: String @aws_auth(cognito_groups: ["ops"])
  post: Post @aws_api_key @aws_oidc @aws_cognito_user_pools
  strictPost: Post! @aws_api_key @aws_oidc @aws_cognito_user_pools
  wrapper: Wrapper @aws_api_key @aws_oidc @aws_cognito_user_pools
}
type Wrapper @aws_api_key @aws_oidc @aws_cognito_user_pools {
  note: String
  post: Post!
}
type Post @aws_oidc @aws_cognito_user_pools {
  id: ID!
  title: String
  secret: String! @aws_cognito_user_pools(cognito_groups: ["admin"])
  open: String @aws_api_key @aws_oidc @aws_cognito_user_pools
}
type Mutation @aws_cognito_user_pools {
  addPost(title: String): Post
}
`;
const POST = { id: 'p1', title: 'Hello', secret: 's3cret', open: 'anyone' };
const DATA = {
  hello: 'hi', keyOnly: 'key', oidcOnly: 'oidc', usersOnly: 'users', admins: 'admins', legacyOps: 'ops',
  post: POST, strictPost: POST, wrapper: { note: 'n', post: POST }, addPost: POST,
};

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');

function jwt(claims) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64u({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64u({ iat: now, exp: now + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
}
const oidcToken = () => jwt({ iss: ISSUER, sub: 'oidc-user' });
const cognitoToken = (groups) => jwt({
  iss: COGNITO_ISSUER, sub: 'cognito-user', token_use: 'id', aud: 'app-client', 'cognito:username': 'carol',
  ...(groups ? { 'cognito:groups': groups } : {}),
});

const CALLERS = {
  apiKey: () => ({ 'x-api-key': API_KEY }),
  oidc: () => ({ authorization: oidcToken() }),
  user: () => ({ authorization: cognitoToken(null) }),
  admin: () => ({ authorization: cognitoToken(['staff', 'admin']) }),
  ops: () => ({ authorization: `Bearer ${cognitoToken(['ops'])}` }),
};

let srv;

before(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  writeFileSync(join(dir, 'data.json'), JSON.stringify(DATA));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
  const config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], static_data_file: 'data.json' }));
  srv = await startServer({ config, env: {
    GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY',
    GRAPHGATE_AUTH_ADDITIONAL_MODES: 'OPENID_CONNECT,AMAZON_COGNITO_USER_POOLS',
    GRAPHGATE_AUTH_API_KEYS: API_KEY,
    GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
    GRAPHGATE_AUTH_OIDC_JWKS_FILE: join(dir, 'jwks.json'),
    GRAPHGATE_AUTH_COGNITO_USER_POOL_ID: POOL,
    GRAPHGATE_AUTH_COGNITO_REGION: REGION,
    GRAPHGATE_AUTH_COGNITO_JWKS_FILE: join(dir, 'jwks.json'),
  } });
});

after(async () => {
  if (!srv) return;
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
});

async function ask(caller, query) {
  const r = await post(srv.url, { query }, CALLERS[caller]());
  assert.equal(r.status, 200, `${caller}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const unauthorized = (field, type, path) => ({
  message: `Not Authorized to access ${field} on type ${type}`, path, errorType: 'Unauthorized',
});
// The errors without their locations (checked separately), in the order they came.
const errorsOf = (body) => (body.errors || []).map(({ locations, ...rest }) => rest);

const ROOT = '{ hello keyOnly oidcOnly usersOnly admins legacyOps }';
const ROOT_FIELDS = ['hello', 'keyOnly', 'oidcOnly', 'usersOnly', 'admins', 'legacyOps'];

// What each caller may read of the root fields above.
const SEES = {
  apiKey: ['hello', 'keyOnly'], // hello has no directive: the default mode (API_KEY) only
  oidc: ['oidcOnly'],
  user: ['usersOnly'],
  admin: ['usersOnly', 'admins'],
  ops: ['usersOnly', 'legacyOps'],
};

for (const [caller, allowed] of Object.entries(SEES)) {
  test(`root fields: ${caller} sees exactly ${allowed.join(', ')}`, async () => {
    const body = await ask(caller, ROOT);
    const data = Object.fromEntries(ROOT_FIELDS.map((f) => [f, allowed.includes(f) ? DATA[f] : null]));
    assert.deepEqual(body.data, data);
    assert.deepEqual(errorsOf(body), ROOT_FIELDS.filter((f) => !allowed.includes(f)).map((f) => unauthorized(f, 'Query', [f])));
  });
}

test('errors carry the locations of the refused field; aliases name the path', async () => {
  const body = await ask('oidc', '{\n  oidcOnly\n  greeting: hello\n}');
  assert.deepEqual(body, {
    data: { oidcOnly: 'oidc', greeting: null },
    errors: [{ ...unauthorized('hello', 'Query', ['greeting']), locations: [{ line: 3, column: 3 }] }],
  });
});

test('nested fields: the returned type is checked again', async () => {
  // post allows API keys, Post does not: its fields without directives are refused, open is not.
  const key = await ask('apiKey', '{ post { open title } }');
  assert.deepEqual(key.data, { post: { open: 'anyone', title: null } });
  assert.deepEqual(errorsOf(key), [unauthorized('title', 'Post', ['post', 'title'])]);
  const oidc = await ask('oidc', '{ post { id title open } }');
  assert.deepEqual(oidc, { data: { post: { id: 'p1', title: 'Hello', open: 'anyone' } } });
});

test('a refused non-null field nulls its nearest nullable parent', async () => {
  // Post.id (ID!) is refused to API keys: post becomes null, the rest is served.
  const one = await ask('apiKey', '{ keyOnly post { id open } }');
  assert.deepEqual(one.data, { keyOnly: 'key', post: null });
  assert.deepEqual(errorsOf(one), [unauthorized('id', 'Post', ['post', 'id'])]);
  // Wrapper.post is Post!: the null goes one more level up, to wrapper.
  const two = await ask('apiKey', '{ wrapper { note post { id } } }');
  assert.deepEqual(two.data, { wrapper: null });
  assert.deepEqual(errorsOf(two), [unauthorized('id', 'Post', ['wrapper', 'post', 'id'])]);
  // strictPost is non-null at the root: data itself becomes null.
  const three = await ask('apiKey', '{ keyOnly strictPost { id } }');
  assert.equal(three.data, null);
  assert.deepEqual(errorsOf(three), [unauthorized('id', 'Post', ['strictPost', 'id'])]);
});

test('cognito_groups on a type field: only members read it', async () => {
  const user = await ask('user', '{ post { id secret } usersOnly }');
  assert.deepEqual(user.data, { post: null, usersOnly: 'users' });
  assert.deepEqual(errorsOf(user), [unauthorized('secret', 'Post', ['post', 'secret'])]);
  const admin = await ask('admin', '{ post { id secret } }');
  assert.deepEqual(admin, { data: { post: { id: 'p1', secret: 's3cret' } } });
  // OIDC callers are not user-pools callers: the field allows user pools only.
  const oidc = await ask('oidc', '{ post { secret } }');
  assert.deepEqual(errorsOf(oidc), [unauthorized('secret', 'Post', ['post', 'secret'])]);
});

test('mutations: the Mutation type directive decides', async () => {
  const key = await ask('apiKey', 'mutation { addPost(title: "x") { open } }');
  assert.deepEqual(key.data, { addPost: null });
  assert.deepEqual(errorsOf(key), [unauthorized('addPost', 'Mutation', ['addPost'])]);
  const user = await ask('user', 'mutation { addPost(title: "x") { open } }');
  assert.deepEqual(user, { data: { addPost: { open: 'anyone' } } });
});

test('introspection and __typename are never refused', async () => {
  for (const caller of Object.keys(CALLERS)) {
    const body = await ask(caller, '{ __typename __type(name: "Post") { name fields { name } } __schema { queryType { name } } }');
    assert.equal(body.errors, undefined, `${caller}: ${JSON.stringify(body.errors)}`);
    assert.equal(body.data.__typename, 'Query');
    assert.equal(body.data.__type.name, 'Post');
    assert.equal(body.data.__schema.queryType.name, 'Query');
  }
});
