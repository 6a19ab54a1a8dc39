// datastore_subscriptions.test.mjs: the three subscriptions DataStore opens per model (issue 17,
// appsync-compat.md §4.7) over AppSync's real-time protocol (raw socket: realtime_client.mjs),
// with the exact documents DataStore builds: its own builders (npm @aws-amplify/datastore,
// sync/utils) over the models Amplify's generator writes (datastore_client/models.mjs), so the
// selection set is DataStore's: metadata fields, the owner field, the embedded Meta { place { ... } }
// and the belongsTo `blog { id _deleted }`; the mutations are DataStore's documents too. The server
// runs with Cognito user pools (RS256 tokens made here) and conflict detection on.
// Asserted: the owner argument is accepted in each identity form of §3.4 (the username DataStore
// sends for identityClaim cognito:username, the sub, and "sub::username", which the row holds), and
// each subscription gets the versioned image of the create (_version 1), the update (2) and the
// delete (3, _deleted true), equal to what the mutation answered; another user gets none of them,
// and naming someone else as owner is refused (Unauthorized). The data lives in this file's own
// tables of the PostgreSQL of scripts/test.sh; skipped without a database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraphQLOperation, buildSubscriptionGraphQLOperation } from '@aws-amplify/datastore/dist/esm/sync/utils.mjs';
import { post, run, startModelServer, tempDir } from './helpers.mjs';
import { appsyncClient } from './realtime_client.mjs';
import { writeModels } from './datastore_client/models.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const TABLES = 'gg_it_dss_post, gg_it_dss_blog';
const SCHEMA = `
type Post @model @auth(rules: [{ allow: owner }]) {
  title: String!
  meta: Meta
  blogId: ID
  blog: Blog @belongsTo(references: ["blogId"])
}
type Meta {
  words: Int
  place: Place
}
type Place {
  city: String
  tags: [String]
}
type Blog @model @auth(rules: [{ allow: private }]) {
  name: String!
  posts: [Post] @hasMany(references: ["blogId"])
}
`;
const SERVED = SCHEMA.replace('type Post @model', 'type Post @model @refersTo(name: "gg_it_dss_post")').replace(
  'type Blog @model',
  'type Blog @model @refersTo(name: "gg_it_dss_blog")',
);

const REGION = 'eu-west-1';
const POOL = 'eu-west-1_DataStore1';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
function idToken(sub, username) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`, sub, 'cognito:username': username, token_use: 'id', aud: 'app', iat: now, exp: now + 600 };
  const input = `${b64u({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64u(claims)}`;
  return { claims, headers: { Authorization: `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}` } };
}
const ALICE = idToken('s-alice', 'alice');
const BOB = idToken('s-bob', 'bob');

let srv;
let wsBase;
let documents; // DataStore's: subscribe[Create|Update|Delete], mutate[CREATE|UPDATE|DELETE], owner rule

before(async () => {
  if (skip) return;
  const dir = tempDir();
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
  srv = await startModelServer({
    schema: SERVED,
    tables: TABLES,
    dbUrl,
    settings: { datastore: { conflict_detection: 'VERSION', purge_interval_s: 0 } },
    env: {
      GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false',
      GRAPHGATE_AUTH_DEFAULT_MODE: 'AMAZON_COGNITO_USER_POOLS',
      GRAPHGATE_AUTH_COGNITO_USER_POOL_ID: POOL,
      GRAPHGATE_AUTH_COGNITO_REGION: REGION,
      GRAPHGATE_AUTH_COGNITO_JWKS_FILE: join(dir, 'jwks.json'),
    },
  });
  wsBase = srv.url.replace('http://', 'ws://');
  // The models as the app has them, and DataStore's namespace over them.
  const models = writeModels(SCHEMA, dir);
  const { schema } = await import(`data:text/javascript,${encodeURIComponent(readFileSync(join(models, 'schema.js'), 'utf8'))}`);
  const namespace = { name: 'user', models: schema.models, nonModels: schema.nonModels, enums: schema.enums, relationships: {} };
  const model = schema.models.Post;
  const rule = model.attributes.find((a) => a.type === 'auth').properties.rules.find((r) => r.allow === 'owner');
  documents = { rule, subscribe: {}, mutate: {} };
  for (const type of ['Create', 'Update', 'Delete']) documents.subscribe[type] = buildSubscriptionGraphQLOperation(namespace, model, type, true, rule.ownerField)[2];
  for (const op of ['CREATE', 'UPDATE', 'DELETE']) documents.mutate[op] = buildGraphQLOperation(namespace, model, op)[0][2];
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `DROP TABLE IF EXISTS ${TABLES} CASCADE`]);
});

async function gql(user, query, variables) {
  const r = await post(srv.url, { query, variables }, user.headers);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.errors, undefined, r.text);
  return r.body.data;
}

test('DataStore\'s documents: DataStore\'s selection set (metadata, owner, embedded types, belongsTo { id _deleted })', { skip }, () => {
  const doc = documents.subscribe.Create;
  assert.match(doc, /^subscription operation\(\$owner: String!\)\{\s*onCreatePost\(owner: \$owner\)\{/);
  for (const piece of ['_version', '_lastChangedAt', '_deleted', 'owner', 'blog { id _deleted }', /meta \{ words place \{ city\s+tags \} \}/])
    assert.match(doc, piece instanceof RegExp ? piece : new RegExp(piece.replace(/[{}]/g, '\\$&')), doc);
  assert.equal(documents.rule.identityClaim, 'cognito:username');
});

test('the owner argument in every identity form gets the versioned image of create, update and delete; another user gets none', { skip }, async () => {
  const { blog } = { blog: (await gql(ALICE, 'mutation { createBlog(input: {name: "travel"}) { id } }')).createBlog };
  // What DataStore sends (the token's identityClaim), the sub, and the stored "sub::username".
  const forms = [ALICE.claims[documents.rule.identityClaim], ALICE.claims.sub, `${ALICE.claims.sub}::${ALICE.claims['cognito:username']}`];
  assert.equal(forms[0], 'alice');
  const alice = await appsyncClient(wsBase, ALICE.headers);
  const bob = await appsyncClient(wsBase, BOB.headers);
  try {
    for (const type of ['Create', 'Update', 'Delete']) {
      for (let i = 0; i < forms.length; i++)
        assert.equal((await alice.start(`${type}-${i}`, documents.subscribe[type], { owner: forms[i] })).type, 'start_ack');
      assert.equal((await bob.start(type, documents.subscribe[type], { owner: BOB.claims['cognito:username'] })).type, 'start_ack');
    }
    // Bob naming Alice as the owner is refused, whichever form he uses.
    for (const form of forms) {
      const refused = await bob.start(`spy-${form}`, documents.subscribe.Create, { owner: form });
      assert.equal(refused.type, 'error', JSON.stringify(refused));
      assert.equal(refused.payload.errors[0].errorType, 'Unauthorized');
    }

    const created = (await gql(ALICE, documents.mutate.CREATE, {
      input: { title: 'Oslo', meta: { words: 3, place: { city: 'Oslo', tags: ['fjord'] } }, blogId: blog.id },
    })).createPost;
    assert.equal(created.owner, 'alice'); // stored as "s-alice::alice": the owner field answers its last part
    assert.deepEqual([created._version, created._deleted, created.blog], [1, null, { id: blog.id, _deleted: null }]);
    assert.equal(typeof created._lastChangedAt, 'number');
    const updated = (await gql(ALICE, documents.mutate.UPDATE, { input: { id: created.id, title: 'Bergen', _version: 1 } })).updatePost;
    assert.equal(updated._version, 2);
    const deleted = (await gql(ALICE, documents.mutate.DELETE, { input: { id: created.id, _version: 2 } })).deletePost;
    assert.deepEqual([deleted._version, deleted._deleted], [3, true]);

    const answers = { Create: { onCreatePost: created }, Update: { onUpdatePost: updated }, Delete: { onDeletePost: deleted } };
    for (const type of ['Create', 'Update', 'Delete'])
      for (let i = 0; i < forms.length; i++) {
        const event = await alice.next((m) => m.type === 'data' && m.id === `${type}-${i}`);
        assert.deepEqual(event.payload, { data: answers[type] }, `on${type}Post with owner ${forms[i]}`);
      }
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(bob.seen.filter((m) => m.type === 'data'), [], 'Bob receives none of Alice\'s events');
    assert.deepEqual(alice.seen.filter((m) => m.type === 'data'), [], 'one event per subscription and mutation');

    // Bob's own row reaches Bob's subscription (his username, as DataStore sends it).
    const his = (await gql(BOB, documents.mutate.CREATE, { input: { title: 'Tromsø' } })).createPost;
    const event = await bob.next((m) => m.type === 'data' && m.id === 'Create');
    assert.deepEqual(event.payload, { data: { onCreatePost: his } });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(alice.seen.filter((m) => m.type === 'data'), [], 'Alice receives none of Bob\'s events');
  } finally {
    await alice.close();
    await bob.close();
  }
});
