// auth_write.test.mjs: Amplify @auth rules on the mutations of @model types (issue 10,
// appsync-compat.md §3.4), through the real graphgate binary over HTTP against the PostgreSQL of
// scripts/test.sh, once with each plan (database.plan rows and json). The server runs with
// auth.default_mode API_KEY + additional_modes OPENID_CONNECT; OIDC tokens are HS256, signed here.
// Users A and B (and an Admin) own rows through owner, multi-owner, static group, dynamic group and
// field-level rules; each refusal is checked in the answer (null + Unauthorized) AND in the
// database (the row is unchanged), and a failing condition still answers ConditionalCheckFailed.
// Its own tables (gg_it_aw_*, via @refersTo); it does not restart the database.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiKeyAndOidcEnv, bin, hs256Token, post, run, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const ISSUER = 'https://issuer.graphgate.test';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const hsSecret = randomBytes(32).toString('hex');

const SCHEMA = `
type Note @model @refersTo(name: "gg_it_aw_note") @auth(rules: [
  { allow: owner, provider: oidc, identityClaim: "sub" }
  { allow: groups, provider: oidc, groups: ["Admin"] }
  { allow: public, operations: [read] }
]) {
  id: ID!
  text: String
  owner: String
  pinned: Boolean @auth(rules: [{ allow: groups, provider: oidc, groups: ["Admin"] }])
}
type Doc @model @refersTo(name: "gg_it_aw_doc") @auth(rules: [
  { allow: owner, provider: oidc, identityClaim: "sub" }
  { allow: owner, provider: oidc, identityClaim: "sub", ownerField: "editors", operations: [create, update, read] }
]) {
  id: ID!
  title: String
  owner: String
  editors: [String]
  review: String @auth(rules: [{ allow: owner, provider: oidc, identityClaim: "sub" }])
}
type Board @model @refersTo(name: "gg_it_aw_board") @auth(rules: [
  { allow: groups, provider: oidc, groupsField: "teams" }
]) {
  id: ID!
  name: String
  teams: [String]
}
type Memo @model @refersTo(name: "gg_it_aw_memo") @auth(rules: [
  { allow: public }
  { allow: owner, provider: oidc, identityClaim: "sub::username" }
  { allow: owner, provider: oidc, identityClaim: "sub::username", ownerField: "editors" }
]) {
  id: ID!
  text: String
  editors: [String]
}
type Gift @model @refersTo(name: "gg_it_aw_gift") @auth(rules: [{ allow: owner, provider: oidc, identityClaim: "sub" }]) {
  id: ID!
  text: String
  owner: String @auth(rules: [{ allow: owner, provider: oidc, identityClaim: "sub", operations: [read, delete] }])
}
type Pad @model @refersTo(name: "gg_it_aw_pad") @auth(rules: [{ allow: owner, provider: oidc }]) {
  id: ID!
  text: String
  owner: String
}
`;
const TABLES = 'gg_it_aw_note, gg_it_aw_doc, gg_it_aw_board, gg_it_aw_memo, gg_it_aw_gift, gg_it_aw_pad';

const token = (sub, claims = {}) => hs256Token(hsSecret, { iss: ISSUER, sub, ...claims });
const A = { authorization: token('user-a', { username: 'alice', 'cognito:groups': ['red'] }) };
const B = { authorization: token('user-b', { username: 'bob', 'cognito:groups': ['blue'] }) };
const ADMIN = { authorization: token('user-admin', { 'cognito:groups': ['Admin'] }) };
const KEY = { 'x-api-key': API_KEY };

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
async function sqlRow(sql) {
  const r = await psql(sql);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

let dir;
before(async () => {
  if (skip) return;
  dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  writeFileSync(join(dir, 'hs.secret'), `${hsSecret}\n`);
  writeFileSync(join(dir, 'api-keys'), `${API_KEY}\n`);
  writeFileSync(join(dir, 'graphgate.json'), JSON.stringify({ schema: ['schema.graphql'], threads: 2 }));
  const drop = await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
  assert.equal(drop.code, 0, drop.stderr);
  const mig = await run(bin, ['migrate', '-c', join(dir, 'graphgate.json')], {
    env: { ...process.env, GRAPHGATE_DATABASE_URL: dbUrl, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' },
  });
  assert.equal(mig.code, 0, mig.stderr);
});

after(async () => {
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
});

const UNAUTHORIZED = (field) => ({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type Mutation` });

for (const plan of ['rows', 'json']) {
  describe(`mutations under @auth (database.plan ${plan})`, { skip }, () => {
    let srv;
    // Runs one mutation field; returns { data, error } of that field.
    async function mutate(headers, field, input, selection, condition) {
      const args = condition ? 'input: $input, condition: $condition' : 'input: $input';
      const type = field.replace(/^(create|update|delete)/, '');
      const op = field.match(/^(create|update|delete)/)[1];
      const inputType = `${op[0].toUpperCase()}${op.slice(1)}${type}Input!`;
      const query = `mutation M($input: ${inputType}${condition ? `, $condition: Model${type}ConditionInput` : ''}) {
        ${field}(${args}) { ${selection} } }`;
      const res = await post(srv.url, { query, variables: { input, condition } }, headers);
      assert.equal(res.status, 200, res.text);
      const error = res.body.errors ? res.body.errors[0] : undefined;
      return { data: res.body.data ? res.body.data[field] : undefined, error, body: res.body };
    }
    const refused = (r, field) => {
      assert.equal(r.data, null, JSON.stringify(r.body));
      assert.ok(r.error, JSON.stringify(r.body));
      assert.deepEqual({ errorType: r.error.errorType, message: r.error.message }, UNAUTHORIZED(field));
      assert.deepEqual(r.error.path, [field]);
    };
    // a field-level refusal decided on the input: AppSync's auth template names the fields
    const refusedOn = (r, field, names) => {
      assert.equal(r.data, null, JSON.stringify(r.body));
      assert.deepEqual({ errorType: r.error?.errorType, message: r.error?.message }, { errorType: 'Unauthorized', message: `Unauthorized on [${names}]` });
      assert.deepEqual(r.error.path, [field]);
    };

    before(async () => {
      srv = await startServer({
        config: join(dir, 'graphgate.json'),
        env: apiKeyAndOidcEnv({
          dbUrl, plan, apiKeysFile: join(dir, 'api-keys'), issuer: ISSUER, secretFile: join(dir, 'hs.secret'),
        }),
      });
    });
    after(async () => {
      if (!srv) return;
      const { code } = await srv.stop();
      assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
      // a refused row is an answer, not a database error
      assert.doesNotMatch(srv.stderr(), /postgres: .*(22P02|not authorized)/);
    });

    test('owner: filled on create; A never updates, deletes or takes B\'s note; B\'s row stays as it was', async () => {
      const a = await mutate(A, 'createNote', { text: 'a1' }, 'id text owner');
      assert.equal(a.error, undefined, JSON.stringify(a.body));
      assert.equal(a.data.owner, 'user-a'); // identityClaim "sub": the sub claim, whole
      const b = await mutate(B, 'createNote', { id: `b-${plan}`, text: 'b1', owner: 'user-b' }, 'id owner');
      assert.equal(b.error, undefined, JSON.stringify(b.body));
      const before = await sqlRow(`SELECT text, owner, "updatedAt" FROM gg_it_aw_note WHERE id = 'b-${plan}'`);

      refused(await mutate(A, 'updateNote', { id: `b-${plan}`, text: 'hacked' }, 'id text'), 'updateNote');
      refused(await mutate(A, 'updateNote', { id: `b-${plan}`, owner: 'user-a' }, 'id'), 'updateNote');
      refused(await mutate(A, 'deleteNote', { id: `b-${plan}` }, 'id'), 'deleteNote');
      // a condition that would hold does not widen the rule
      refused(await mutate(A, 'updateNote', { id: `b-${plan}`, text: 'x' }, 'id', { owner: { eq: 'user-b' } }), 'updateNote');
      assert.equal(await sqlRow(`SELECT text, owner, "updatedAt" FROM gg_it_aw_note WHERE id = 'b-${plan}'`), before);

      // A cannot create a note owned by B
      refused(await mutate(A, 'createNote', { id: `forged-${plan}`, text: 'x', owner: 'user-b' }, 'id'), 'createNote');
      assert.equal(await sqlRow(`SELECT count(*) FROM gg_it_aw_note WHERE id = 'forged-${plan}'`), '0');

      // A's own note: update and delete work
      const upd = await mutate(A, 'updateNote', { id: a.data.id, text: 'a2' }, 'id text owner');
      assert.deepEqual(upd.data, { id: a.data.id, text: 'a2', owner: 'user-a' });
      const del = await mutate(A, 'deleteNote', { id: a.data.id }, 'id text');
      assert.deepEqual(del.data, { id: a.data.id, text: 'a2' });
      assert.equal(await sqlRow(`SELECT count(*) FROM gg_it_aw_note WHERE id = '${a.data.id}'`), '0');

      // but A may hand its own note to B: AppSync's update resolver compares the caller with the
      // stored owner only (graphql-auth-transformer's update auth template); the note is B's then
      const given = await mutate(A, 'createNote', { id: `give-${plan}`, text: 'gift' }, 'id');
      assert.equal(given.error, undefined, JSON.stringify(given.body));
      const handed = await mutate(A, 'updateNote', { id: `give-${plan}`, owner: 'user-b' }, 'id owner');
      assert.deepEqual(handed.data, { id: `give-${plan}`, owner: 'user-b' }, JSON.stringify(handed.body));
      refused(await mutate(A, 'updateNote', { id: `give-${plan}`, text: 'mine again', owner: 'user-a' }, 'id'), 'updateNote');
      const byB = await mutate(B, 'updateNote', { id: `give-${plan}`, text: 'thanks' }, 'text owner');
      assert.deepEqual(byB.data, { text: 'thanks', owner: 'user-b' });
    });

    test('a failing condition, a missing row: the answers of before (ConditionalCheckFailed)', async () => {
      const b = await mutate(B, 'createNote', { id: `c-${plan}`, text: 'keep' }, 'id');
      assert.equal(b.error, undefined, JSON.stringify(b.body));
      const cond = await mutate(B, 'updateNote', { id: `c-${plan}`, text: 'new' }, 'id', { text: { eq: 'other' } });
      assert.equal(cond.data, null);
      assert.equal(cond.error.errorType, 'DynamoDB:ConditionalCheckFailedException');
      const gone = await mutate(A, 'deleteNote', { id: `missing-${plan}` }, 'id');
      assert.equal(gone.error.errorType, 'DynamoDB:ConditionalCheckFailedException');
      assert.equal(await sqlRow(`SELECT text FROM gg_it_aw_note WHERE id = 'c-${plan}'`), 'keep');
    });

    test('static group: an Admin updates and deletes anyone\'s note, and may write the Admin-only field', async () => {
      await mutate(B, 'createNote', { id: `g-${plan}`, text: 'b' }, 'id');
      const upd = await mutate(ADMIN, 'updateNote', { id: `g-${plan}`, text: 'by admin', pinned: true }, 'id text owner pinned');
      assert.deepEqual(upd.data, { id: `g-${plan}`, text: 'by admin', owner: 'user-b', pinned: true }, JSON.stringify(upd.body));
      const made = await mutate(ADMIN, 'createNote', { id: `g2-${plan}`, text: 'admin', pinned: false }, 'id pinned owner');
      assert.deepEqual(made.data, { id: `g2-${plan}`, pinned: false, owner: null }); // the group rule allowed: no owner
      // a row without owner is nobody's: A may not change or delete it
      refused(await mutate(A, 'updateNote', { id: `g2-${plan}`, text: 'mine now' }, 'id'), 'updateNote');
      refused(await mutate(A, 'deleteNote', { id: `g2-${plan}` }, 'id'), 'deleteNote');
      assert.equal(await sqlRow(`SELECT text FROM gg_it_aw_note WHERE id = 'g2-${plan}'`), 'admin');
      const del = await mutate(ADMIN, 'deleteNote', { id: `g-${plan}` }, 'id');
      assert.deepEqual(del.data, { id: `g-${plan}` });
    });

    test('field-level: setting a field the caller may not write refuses the whole mutation', async () => {
      refusedOn(await mutate(A, 'createNote', { id: `f-${plan}`, text: 'x', pinned: true }, 'id'), 'createNote', 'pinned');
      assert.equal(await sqlRow(`SELECT count(*) FROM gg_it_aw_note WHERE id = 'f-${plan}'`), '0');
      await mutate(A, 'createNote', { id: `f2-${plan}`, text: 'mine' }, 'id');
      // even the owner, even to null, and even with a field that would be allowed
      refusedOn(await mutate(A, 'updateNote', { id: `f2-${plan}`, text: 'changed', pinned: null }, 'id'), 'updateNote', 'pinned');
      assert.equal(await sqlRow(`SELECT text || '|' || coalesce(pinned::text, 'null') FROM gg_it_aw_note WHERE id = 'f2-${plan}'`), 'mine|null');
    });

    test('API key: only where a public rule allows', async () => {
      refused(await mutate(KEY, 'createNote', { id: `k-${plan}`, text: 'x' }, 'id'), 'createNote');
      await mutate(B, 'createNote', { id: `k2-${plan}`, text: 'b' }, 'id');
      refused(await mutate(KEY, 'updateNote', { id: `k2-${plan}`, text: 'x' }, 'id'), 'updateNote');
      refused(await mutate(KEY, 'deleteNote', { id: `k2-${plan}` }, 'id'), 'deleteNote');
      assert.equal(await sqlRow(`SELECT text FROM gg_it_aw_note WHERE id = 'k2-${plan}'`), 'b');
      const memo = await mutate(KEY, 'createMemo', { id: `m-${plan}`, text: 'public' }, 'id text owner');
      assert.deepEqual(memo.data, { id: `m-${plan}`, text: 'public', owner: null }); // no owner filled for a public write
      const upd = await mutate(KEY, 'updateMemo', { id: `m-${plan}`, text: 'edited' }, 'id text');
      assert.deepEqual(upd.data, { id: `m-${plan}`, text: 'edited' });
      // the same model through its owner rule: sub::username is written as "<sub>::<username>", and
      // read as its last part (AppSync's owner field resolver), in a list too
      const mine = await mutate(A, 'createMemo', { text: 'alice' }, 'id owner editors');
      assert.deepEqual([mine.data.owner, mine.data.editors], ['alice', ['alice']]);
      assert.equal(await sqlRow(`SELECT owner || ' ' || array_to_string(editors, ',') FROM gg_it_aw_memo WHERE id = '${mine.data.id}'`),
        'user-a::alice user-a::alice');
      const listed = await post(srv.url, { query: '{ listMemos { items { id owner editors } } }' }, A);
      assert.deepEqual(listed.body.data.listMemos.items.find((m) => m.id === mine.data.id), { id: mine.data.id, owner: 'alice', editors: ['alice'] });
      refused(await mutate(B, 'updateMemo', { id: mine.data.id, text: 'bob' }, 'id'), 'updateMemo');
      const ok = await mutate(A, 'updateMemo', { id: mine.data.id, text: 'alice 2' }, 'id text');
      assert.deepEqual(ok.data, { id: mine.data.id, text: 'alice 2' });
    });

    test('multi-owner: editors get [caller] on create; an editor updates but does not delete', async () => {
      const d = await mutate(A, 'createDoc', { id: `d-${plan}`, title: 't' }, 'id owner editors');
      assert.deepEqual(d.data, { id: `d-${plan}`, owner: 'user-a', editors: ['user-a'] });
      refused(await mutate(B, 'updateDoc', { id: `d-${plan}`, title: 'b' }, 'id'), 'updateDoc');
      // a create naming only others as editors is refused
      refused(await mutate(B, 'createDoc', { id: `d2-${plan}`, editors: ['user-a'] }, 'id'), 'createDoc');
      const share = await mutate(A, 'updateDoc', { id: `d-${plan}`, editors: ['user-a', 'user-b'] }, 'editors');
      assert.deepEqual(share.data, { editors: ['user-a', 'user-b'] });
      const byB = await mutate(B, 'updateDoc', { id: `d-${plan}`, title: 'by b' }, 'title owner');
      assert.deepEqual(byB.data, { title: 'by b', owner: 'user-a' });
      refused(await mutate(B, 'deleteDoc', { id: `d-${plan}` }, 'id'), 'deleteDoc');
      // a field only the owner may write: the editor's whole update is refused, the owner's passes
      refused(await mutate(B, 'updateDoc', { id: `d-${plan}`, title: 'b2', review: 'b' }, 'id'), 'updateDoc');
      const review = await mutate(A, 'updateDoc', { id: `d-${plan}`, review: 'ok' }, 'review');
      assert.deepEqual(review.data, { review: 'ok' });
      const withReview = await mutate(A, 'createDoc', { id: `d3-${plan}`, review: 'mine' }, 'id review owner');
      assert.deepEqual(withReview.data, { id: `d3-${plan}`, review: 'mine', owner: 'user-a' });
      // the editors' rule may update but not delete: an editor may not clear a field (AppSync's
      // nullAllowedFields are the fields a rule may delete); the owner may
      refused(await mutate(B, 'updateDoc', { id: `d-${plan}`, title: null }, 'id'), 'updateDoc');
      const cleared = await mutate(A, 'updateDoc', { id: `d3-${plan}`, review: null }, 'review');
      assert.deepEqual(cleared.data, { review: null }, JSON.stringify(cleared.body));
      // an editor may give the row to someone else, as on AppSync (its owner field is not one only
      // the owner may write)
      const handed = await mutate(B, 'updateDoc', { id: `d-${plan}`, owner: 'user-c' }, 'owner');
      assert.deepEqual(handed.data, { owner: 'user-c' }, JSON.stringify(handed.body));
      assert.equal(await sqlRow(`SELECT owner || ' ' || title || ' ' || review FROM gg_it_aw_doc WHERE id = 'd-${plan}'`), 'user-c by b ok');
    });

    test('an owner field without update in its own rules: filled on create, never handed over', async () => {
      // AppSync checks the fields the client sent, before it fills the owner in
      const g = await mutate(A, 'createGift', { id: `gift-${plan}`, text: 'g' }, 'id owner');
      assert.deepEqual(g.data, { id: `gift-${plan}`, owner: 'user-a' }, JSON.stringify(g.body));
      refusedOn(await mutate(A, 'createGift', { id: `gift2-${plan}`, text: 'g', owner: 'user-a' }, 'id'), 'createGift', 'owner');
      refusedOn(await mutate(A, 'updateGift', { id: `gift-${plan}`, owner: 'user-b' }, 'id'), 'updateGift', 'owner');
      const upd = await mutate(A, 'updateGift', { id: `gift-${plan}`, text: 'g2' }, 'text owner');
      assert.deepEqual(upd.data, { text: 'g2', owner: 'user-a' });
      assert.equal(await sqlRow(`SELECT owner || ' ' || text FROM gg_it_aw_gift WHERE id = 'gift-${plan}'`), 'user-a g2');
    });

    test('an oidc owner rule without identityClaim: sub::username, as the Amplify transformer defaults it', async () => {
      // a token with a username claim: stored "<sub>::<username>", read as the username
      const a = await mutate(A, 'createPad', { id: `p-${plan}`, text: 'a' }, 'id owner');
      assert.deepEqual(a.data, { id: `p-${plan}`, owner: 'alice' }, JSON.stringify(a.body));
      assert.equal(await sqlRow(`SELECT owner FROM gg_it_aw_pad WHERE id = 'p-${plan}'`), 'user-a::alice');
      refused(await mutate(B, 'updatePad', { id: `p-${plan}`, text: 'b' }, 'id'), 'updatePad');
      // a token with no username claim (many OIDC providers): the sub alone is written and matched
      const s = await mutate(ADMIN, 'createPad', { id: `ps-${plan}`, text: 's' }, 'id owner');
      assert.deepEqual(s.data, { id: `ps-${plan}`, owner: 'user-admin' }, JSON.stringify(s.body));
      const sUpd = await mutate(ADMIN, 'updatePad', { id: `ps-${plan}`, text: 's2' }, 'text');
      assert.deepEqual(sUpd.data, { text: 's2' });
      // rows stored by AppSync ("<sub>::<username>") and by an earlier graphgate (the sub alone)
      // are their owner's
      await sqlRow(`INSERT INTO gg_it_aw_pad (id, text, owner, "createdAt", "updatedAt") VALUES
        ('pa-${plan}', 'from appsync', 'user-b::bob', now(), now()), ('pg-${plan}', 'from graphgate', 'user-b', now(), now())`);
      const listed = await post(srv.url, { query: '{ listPads { items { id owner } } }' }, B);
      assert.deepEqual(listed.body.data.listPads.items.filter((p) => p.id.endsWith(`-${plan}`)).sort((x, y) => x.id.localeCompare(y.id)),
        [{ id: `pa-${plan}`, owner: 'bob' }, { id: `pg-${plan}`, owner: 'user-b' }], JSON.stringify(listed.body));
      for (const id of [`pa-${plan}`, `pg-${plan}`]) {
        refused(await mutate(A, 'updatePad', { id, text: 'a' }, 'id'), 'updatePad');
        const upd = await mutate(B, 'updatePad', { id, text: 'by bob' }, 'id text');
        assert.deepEqual(upd.data, { id, text: 'by bob' }, JSON.stringify(upd.body));
      }
    });

    test('dynamic groups: checked against the input on create, against the row on update and delete', async () => {
      refused(await mutate(A, 'createBoard', { id: `x-${plan}`, name: 'x', teams: ['blue'] }, 'id'), 'createBoard');
      refused(await mutate(A, 'createBoard', { id: `x-${plan}`, name: 'x' }, 'id'), 'createBoard');
      const red = await mutate(A, 'createBoard', { id: `r-${plan}`, name: 'red', teams: ['red', 'green'] }, 'id teams');
      assert.deepEqual(red.data, { id: `r-${plan}`, teams: ['red', 'green'] });
      refused(await mutate(B, 'updateBoard', { id: `r-${plan}`, name: 'blue' }, 'id'), 'updateBoard');
      refused(await mutate(B, 'deleteBoard', { id: `r-${plan}` }, 'id'), 'deleteBoard');
      assert.equal(await sqlRow(`SELECT name FROM gg_it_aw_board WHERE id = 'r-${plan}'`), 'red');
      const redMate = { authorization: token('user-c', { 'cognito:groups': ['red'] }) };
      const upd = await mutate(redMate, 'updateBoard', { id: `r-${plan}`, name: 'red 2' }, 'name');
      assert.deepEqual(upd.data, { name: 'red 2' });
      const del = await mutate(redMate, 'deleteBoard', { id: `r-${plan}` }, 'id');
      assert.deepEqual(del.data, { id: `r-${plan}` });
    });
  });
}
