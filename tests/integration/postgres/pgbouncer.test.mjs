// pgbouncer.test.mjs: graphgate behind PgBouncer in transaction mode (issue 16, database.pooler),
// Debian's PgBouncer 1.18 started here (scripts/pgbouncer-local.sh, its settings untouched) in
// front of the PostgreSQL of scripts/test.sh. Without database.pooler the pooler refuses the
// statement_timeout startup option and the server says what to set; with "pgbouncer-transaction":
// CRUD, lists and relations under concurrent load with zero errors (more requests in flight than
// PgBouncer has server connections, so transactions of different graphgate connections share them),
// statement_timeout enforced per statement (an @sql pg_sleep is cancelled) without leaving it set on
// PgBouncer's server connections, and subscriptions delivered across two instances by the realtime
// bus on database.listen_url (PostgreSQL itself). postgres/through_pgbouncer runs the other
// PostgreSQL suites through a PgBouncer the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { post, root, run, startModelServer, startServer, tempDir } from '../helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const script = join(root, 'scripts', 'pgbouncer-local.sh');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Blog @model @refersTo(name: "gg_it_pgb_blog") {
  name: String!
  posts: [Post] @hasMany
}
type Post @model @refersTo(name: "gg_it_pgb_post") {
  title: String!
  rank: Int
  blog: Blog @belongsTo
}
type Nap { slept: String }
type Query {
  nap(seconds: Float!): Nap @sql(statement: "SELECT pg_sleep(:seconds)::text AS slept")
  timeout: Nap @sql(statement: "SELECT current_setting('statement_timeout') AS slept")
}
`;
const TABLES = 'gg_it_pgb_blog, gg_it_pgb_post';

let bouncerDir;
let bouncerUrl;
const servers = [];

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function gql(srv, query, variables = {}) {
  const r = await post(srv.url, { query, variables });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

before(async () => {
  if (skip) return;
  const pgPort = new URL(dbUrl).port;
  bouncerDir = tempDir();
  const port = await freePort();
  const started = await run('bash', [script, 'start', bouncerDir, String(port), pgPort, '2']);
  assert.equal(started.code, 0, started.stderr);
  bouncerUrl = (await run('bash', [script, 'url', bouncerDir, String(port)])).stdout.trim();
});

after(async () => {
  for (const s of servers) await s.stop();
  if (bouncerDir) await run('bash', [script, 'stop', bouncerDir]);
});

const pooled = (extra = {}) => ({
  GRAPHGATE_DATABASE_POOLER: 'pgbouncer-transaction',
  GRAPHGATE_DATABASE_LISTEN_URL: dbUrl,
  GRAPHGATE_DATABASE_STATEMENT_TIMEOUT_MS: '1500',
  ...extra,
});

test('without database.pooler PgBouncer refuses the connection and the server names the setting', { skip }, async () => {
  const srv = await startModelServer({ schema: SCHEMA, tables: TABLES, dbUrl: bouncerUrl });
  servers.push(srv);
  const r = await gql(srv, '{ listBlogs { items { id } } }');
  assert.equal(r.errors?.[0]?.errorType, 'ServiceUnavailable', JSON.stringify(r));
  const ready = await fetch(`${srv.base}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(srv.stderr() + (await ready.text()), /unsupported startup parameter: options \(a connection pooler\? set database\.pooler to pgbouncer-transaction\)/);
  await srv.stop();
});

test('CRUD, lists and relations under concurrent load through PgBouncer: zero errors', { skip }, async () => {
  const srv = await startModelServer({ schema: SCHEMA, tables: TABLES, dbUrl: bouncerUrl, env: pooled() });
  servers.push(srv);
  const blogs = [];
  for (let b = 0; b < 4; b++) {
    const r = await gql(srv, 'mutation C($i: CreateBlogInput!) { createBlog(input: $i) { id name } }', { i: { name: `blog ${b}` } });
    assert.equal(r.errors, undefined, JSON.stringify(r));
    blogs.push(r.data.createBlog.id);
  }
  // 400 requests, 80 at a time: creates, gets, lists with children, updates, deletes
  const jobs = [];
  for (let i = 0; i < 400; i++) {
    const blog = blogs[i % blogs.length];
    jobs.push(async () => {
      const c = await gql(srv, 'mutation C($i: CreatePostInput!) { createPost(input: $i) { id title blog { name } } }',
        { i: { title: `post ${i}`, rank: i, blogPostsId: blog } });
      assert.equal(c.errors, undefined, JSON.stringify(c));
      assert.equal(c.data.createPost.blog.name, `blog ${blogs.indexOf(blog)}`);
      const id = c.data.createPost.id;
      const g = await gql(srv, 'query G($id: ID!) { getPost(id: $id) { title rank blog { id } } }', { id });
      assert.equal(g.errors, undefined, JSON.stringify(g));
      assert.deepEqual(g.data.getPost, { title: `post ${i}`, rank: i, blog: { id: blog } });
      const l = await gql(srv, 'query L($id: ID!) { getBlog(id: $id) { name posts(limit: 1000) { items { id title } } } }', { id: blog });
      assert.equal(l.errors, undefined, JSON.stringify(l));
      assert.ok(l.data.getBlog.posts.items.some((p) => p.id === id), 'the new post is among its blog\'s');
      const u = await gql(srv, 'mutation U($i: UpdatePostInput!) { updatePost(input: $i) { rank } }', { i: { id, rank: 1000 + i } });
      assert.equal(u.errors, undefined, JSON.stringify(u));
      assert.equal(u.data.updatePost.rank, 1000 + i);
      if (i % 4 === 0) {
        const d = await gql(srv, 'mutation D($i: DeletePostInput!) { deletePost(input: $i) { id } }', { i: { id } });
        assert.equal(d.errors, undefined, JSON.stringify(d));
      }
    });
  }
  let next = 0;
  await Promise.all(Array.from({ length: 80 }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
  const all = await gql(srv, '{ listPosts(limit: 1000) { items { rank } } }');
  assert.equal(all.errors, undefined, JSON.stringify(all));
  assert.equal(all.data.listPosts.items.length, 300);
  assert.doesNotMatch(srv.stderr(), /does not exist|error/i);
});

test('statement_timeout is enforced per statement and not left on PgBouncer\'s server connections', { skip }, async () => {
  const srv = servers[servers.length - 1];
  const t0 = Date.now();
  const slow = await gql(srv, '{ nap(seconds: 5) { slept } }');
  const took = Date.now() - t0;
  assert.equal(slow.data?.nap ?? null, null, JSON.stringify(slow));
  assert.equal(slow.errors?.[0]?.message, 'The database request timed out.', JSON.stringify(slow));
  assert.ok(took < 4900, `cancelled by statement_timeout (1.5 s) before pg_sleep's 5 s, answered after ${took} ms`);
  const fast = await gql(srv, '{ nap(seconds: 0.01) { slept } timeout { slept } }');
  assert.equal(fast.errors, undefined, JSON.stringify(fast));
  assert.equal(fast.data.timeout.slept, '1500ms'); // in force inside graphgate's statements
  // another client of the same pooler (and so of the same server connections) has no timeout
  for (let i = 0; i < 4; i++) {
    const r = await run('psql', [bouncerUrl, '-qAt', '-c', 'SHOW statement_timeout']);
    assert.equal(r.stdout.trim(), '0', r.stderr);
  }
});

test('subscriptions are delivered across instances by the bus on database.listen_url', { skip }, async () => {
  const first = servers[servers.length - 1];
  const second = await startServer({ config: first.config, env: first.env });
  servers.push(second);
  const client = createClient({ url: second.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => {} });
  const events = [];
  let connected;
  const ready = new Promise((r) => (connected = r));
  client.on('connected', () => connected());
  client.subscribe({ query: 'subscription { onCreateBlog { name } }' }, { next: (v) => events.push(v), error: (e) => events.push({ error: String(e) }), complete: () => {} });
  await ready;
  await wait(300);
  for (const [srv, name] of [[first, 'from the other instance'], [second, 'from this instance']]) {
    const r = await gql(srv, 'mutation C($i: CreateBlogInput!) { createBlog(input: $i) { id name } }', { i: { name } });
    assert.equal(r.errors, undefined, JSON.stringify(r));
  }
  for (let i = 0; i < 100 && events.length < 2; i++) await wait(100);
  client.dispose();
  const names = events.map((e) => e.data?.onCreateBlog?.name ?? JSON.stringify(e)).sort();
  assert.deepEqual(names, ['from the other instance', 'from this instance']);
  assert.doesNotMatch(first.stderr() + second.stderr(), /bus.*(cannot|lost|failed)/i);
});
