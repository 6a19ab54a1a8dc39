// sql_identity.test.mjs: @sql statements reading the caller's identity (issue 10):
// :identity.sub, .username, .groups (a text[]), .claims.<name> (also "quoted"), .sourceIp and
// .issuer, bound as parameters, through the real binary and PostgreSQL. A server with
// OPENID_CONNECT by default (API_KEY additional) is called with JWTs made here: the statements see
// the token's values, a WHERE on them returns the caller's rows only, and a hostile claim value
// stays a value. An API key caller and a server with auth NONE get NULLs. An unknown :identity.x
// stops start-up with a message naming it. The rows live in this file's own table (gg_it_sqlid_*)
// in the PostgreSQL of scripts/test.sh (GRAPHGATE_TEST_DATABASE_URL); skipped without one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { bin, post, run, startServer, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const ISSUER = 'https://issuer.graphgate.test';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const TABLE = 'gg_it_sqlid_note';

const WHO = [
  'SELECT :identity.sub::text AS sub, :identity.username::text AS username,',
  ' array_to_json(:identity.groups::text[]) AS groups, :identity.claims.email::text AS email,',
  ' :identity.claims."custom:tenant"::text AS tenant, :identity.claims.level::text AS level,',
  ' :identity.claims.missing::text AS missing, :identity.sourceIp::text AS "sourceIp",',
  ' :identity.issuer::text AS issuer',
].join('');
const schemaWith = (who) => `
type Who @aws_oidc @aws_api_key {
  sub: String username: String groups: [String] email: String tenant: String level: String
  missing: String sourceIp: String issuer: String
}
type Note @aws_oidc @aws_api_key { body: String }
type Query {
  whoami: Who @aws_oidc @aws_api_key @sql(statement: ${JSON.stringify(who)})
  myNotes: [Note] @sql(statement: "SELECT body FROM ${TABLE} WHERE owner = :identity.sub ORDER BY body")
  groupNotes: [Note] @sql(statement: "SELECT body FROM ${TABLE} WHERE grp = ANY(:identity.groups::text[]) ORDER BY body")
  noteCount: Int @sql(statement: "SELECT count(*)::int AS count FROM ${TABLE}")
    @auth(rules: [{ allow: groups, provider: oidc, groups: ["admin"] }, { allow: public }])
  signedIn: Int @sql(statement: "SELECT 1 AS one") @auth(rules: [{ allow: private, provider: oidc }])
  ownerOnRoot: Int @sql(statement: "SELECT 1 AS one") @auth(rules: [{ allow: owner, provider: oidc }])
}
type Mutation {
  addNote(body: String!): Note
    @sql(statement: "INSERT INTO ${TABLE} (owner, grp, body) VALUES (:identity.sub, 'added', :body) RETURNING body")
    @auth(rules: [{ allow: groups, provider: oidc, groups: ["staff", "admin"] }])
}
`;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
function jwt(claims) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64u({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64u({ iss: ISSUER, iat: now, exp: now + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
}

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
let dir;
let srv;
let none;

function writeSchema(name, who) {
  writeFileSync(join(dir, `${name}.graphql`), schemaWith(who));
  const config = join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({ schema: [`${name}.graphql`], threads: 2 }));
  return config;
}

before(async () => {
  if (skip) return;
  dir = tempDir();
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
  const create = await psql(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (owner text, grp text, body text);
    INSERT INTO ${TABLE} VALUES ('alice', 'staff', 'a1'), ('alice', NULL, 'a2'), ('bob', 'ops', 'b1'),
      ('bob', 'ops"x', 'b2'), ('carol', 'admin', 'c1')`);
  assert.equal(create.code, 0, create.stderr);
  const config = writeSchema('schema', WHO);
  srv = await startServer({ config, env: {
    GRAPHGATE_DATABASE_URL: dbUrl,
    GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT',
    GRAPHGATE_AUTH_ADDITIONAL_MODES: 'API_KEY',
    GRAPHGATE_AUTH_API_KEYS: API_KEY,
    GRAPHGATE_AUTH_OIDC_ISSUER: ISSUER,
    GRAPHGATE_AUTH_OIDC_JWKS_FILE: join(dir, 'jwks.json'),
  } });
  none = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
});

after(async () => {
  // both stopped before either exit status is judged: a failed first one must not leave the second running
  const servers = [srv, none].filter(Boolean);
  const stopped = await Promise.all(servers.map((s) => s.stop()));
  stopped.forEach(({ code }, i) => assert.equal(code, 0, `graphgate exited with ${code}:\n${servers[i].stderr()}`));
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLE}`);
});

const WHOAMI = '{ whoami { sub username groups email tenant level missing sourceIp issuer } }';

test('a JWT caller: every :identity value reaches the statement', { skip }, async () => {
  const token = jwt({ sub: 'alice', username: 'alice-u', email: 'alice@example.com', 'custom:tenant': 't-42',
    level: 3, 'cognito:groups': ['staff', 'o"ps\\x'] });
  const r = await post(srv.url, { query: WHOAMI }, { authorization: token });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { data: { whoami: {
    sub: 'alice', username: 'alice-u', groups: ['staff', 'o"ps\\x'], email: 'alice@example.com', tenant: 't-42',
    level: '3', missing: null, sourceIp: '127.0.0.1', issuer: ISSUER,
  } } });
});

// POSTs from a given local address (all of 127/8 is the loopback on Linux).
function postFrom(localAddress, url, payload, headers) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = httpRequest(url, { method: 'POST', localAddress, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('one token from two addresses: each request sees its own sourceIp', { skip }, async () => {
  // The second request of the token is answered from the token cache: the identity is shared,
  // the address is the request's.
  const token = jwt({ sub: 'carol' });
  for (const address of ['127.0.0.2', '127.0.0.1', '127.0.0.2']) {
    const r = await postFrom(address, srv.url, { query: '{ whoami { sub sourceIp } }' }, { authorization: token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: { whoami: { sub: 'carol', sourceIp: address } } });
  }
});

test('statements filter on the identity: each caller reads its own rows', { skip }, async () => {
  const ask = async (claims, query) => (await post(srv.url, { query }, { authorization: jwt(claims) })).body;
  assert.deepEqual(await ask({ sub: 'alice' }, '{ myNotes { body } }'), { data: { myNotes: [{ body: 'a1' }, { body: 'a2' }] } });
  assert.deepEqual(await ask({ sub: 'bob' }, '{ myNotes { body } }'), { data: { myNotes: [{ body: 'b1' }, { body: 'b2' }] } });
  // a claim is a value, never SQL
  assert.deepEqual(await ask({ sub: "x' OR '1'='1" }, '{ myNotes { body } }'), { data: { myNotes: [] } });
  assert.deepEqual(await ask({ sub: 'z', 'cognito:groups': ['ops', 'admin'] }, '{ groupNotes { body } }'),
    { data: { groupNotes: [{ body: 'b1' }, { body: 'c1' }] } });
  // an element with a quote is one element: it matches the row whose group has that quote
  assert.deepEqual(await ask({ sub: 'z', 'cognito:groups': ['ops"x'] }, '{ groupNotes { body } }'),
    { data: { groupNotes: [{ body: 'b2' }] } });
  assert.deepEqual(await ask({ sub: 'z' }, '{ groupNotes { body } }'), { data: { groupNotes: [] } });
});

test('an API key caller and auth NONE: the identity values are NULL', { skip }, async () => {
  const nulls = { sub: null, username: null, groups: null, email: null, tenant: null, level: null, missing: null,
    issuer: null };
  const byKey = await post(srv.url, { query: WHOAMI }, { 'x-api-key': API_KEY });
  assert.equal(byKey.status, 200);
  assert.deepEqual(byKey.body, { data: { whoami: { ...nulls, sourceIp: '127.0.0.1' } } });
  const open = await post(none.url, { query: '{ whoami { sub username groups email tenant level missing sourceIp issuer } myNotes { body } }' });
  assert.deepEqual(open.body, { data: { whoami: { ...nulls, sourceIp: null }, myNotes: [] } });
});

// @auth on custom @sql fields (Amplify adds an auth function to such a field's resolver): static groups,
// public and private rules decide who may call them; a refused field is null + Unauthorized and its
// statement never runs (a refused mutation writes nothing); an owner rule on a root field has no
// object to own and allows no one.
test('@auth rules on @sql queries and mutations: groups, public, private, owner', { skip }, async () => {
  const ask = async (headers, query) => post(srv.url, { query }, headers);
  const refusedAt = (r, field, type) => {
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data[field], null, JSON.stringify(r.body));
    assert.deepEqual(r.body.errors.map((e) => [e.errorType, e.message, e.path]),
      [['Unauthorized', `Not Authorized to access ${field} on type ${type}`, [field]]]);
  };
  const count = Number((await psql(`SELECT count(*) FROM ${TABLE}`)).stdout.trim());
  const admin = { authorization: jwt({ sub: 'ann', 'cognito:groups': ['admin'] }) };
  const staff = { authorization: jwt({ sub: 'sam', 'cognito:groups': ['staff'] }) };
  const plain = { authorization: jwt({ sub: 'pat' }) };
  assert.deepEqual((await ask(admin, '{ noteCount }')).body, { data: { noteCount: count } });
  assert.deepEqual((await ask({ 'x-api-key': API_KEY }, '{ noteCount }')).body, { data: { noteCount: count } });
  refusedAt(await ask(staff, '{ noteCount }'), 'noteCount', 'Query');
  refusedAt(await ask(plain, '{ noteCount }'), 'noteCount', 'Query');
  // the rest of the request is served
  const mixed = await ask(plain, '{ signedIn noteCount }');
  assert.equal(mixed.body.data.signedIn, 1);
  assert.equal(mixed.body.data.noteCount, null);
  refusedAt(await ask(plain, '{ ownerOnRoot }'), 'ownerOnRoot', 'Query');
  // private with provider oidc: an API key caller is refused by the field's directives already
  const byKey = await ask({ 'x-api-key': API_KEY }, '{ signedIn }');
  assert.equal(byKey.body.data.signedIn, null);
  // the mutation: staff writes, a caller outside the groups is refused and nothing is written
  const added = await ask(staff, 'mutation { addNote(body: "by-sam") { body } }');
  assert.deepEqual(added.body, { data: { addNote: { body: 'by-sam' } } });
  refusedAt(await ask(plain, 'mutation { addNote(body: "by-pat") { body } }'), 'addNote', 'Mutation');
  const rows = await psql(`SELECT owner || ':' || body FROM ${TABLE} WHERE grp = 'added' ORDER BY body`);
  assert.deepEqual(rows.stdout.trim().split('\n'), ['sam:by-sam']);
  await psql(`DELETE FROM ${TABLE} WHERE grp = 'added'`);
});

test('an unknown :identity.x stops start-up and names it', { skip }, async () => {
  const config = writeSchema('bad', 'SELECT :identity.email::text AS email');
  const r = await run(bin, ['-c', config, '--check'], { env: { PATH: process.env.PATH, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /@sql on "Query\.whoami" \(line \d+\): unknown :identity\.email \(the identity has sub, username, groups, claims\.<name>, sourceIp and issuer\)/);
});
