// postgres_api.test.mjs: an Amplify @model schema served by the real graphgate binary over HTTP,
// with its data in the PostgreSQL that scripts/test.sh starts (GRAPHGATE_TEST_DATABASE_URL,
// GRAPHGATE_TEST_PGDATA): `graphgate migrate`, CRUD, filters, 1,000 rows paged with nextToken,
// nested relations, an @sql field, condition failures, injection attempts, signed cursors, a database
// restart while requests are running (they wait for the pools to reconnect by themselves), a read
// whose backend is terminated under it (sent again), and
// models whose names start with a lower-case letter (served under AppSync's names, tables as written).
// The tables are this file's own (gg_it_api_* via @refersTo, ggItApi*), so other tests are not disturbed;
// the test restarts the shared server, so meson runs it alone (is_parallel: false).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, post, root, run, startServer, tempDir } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const pgData = process.env.GRAPHGATE_TEST_PGDATA;
const skip = !dbUrl || !pgData ? 'GRAPHGATE_TEST_DATABASE_URL / GRAPHGATE_TEST_PGDATA not set (scripts/test.sh sets them)' : false;

const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
enum Priority { LOW NORMAL HIGH }
type Project @model @refersTo(name: "gg_it_api_project") {
  name: String!
  todos: [Todo] @hasMany(references: ["projectId"])
}
type Todo @model @refersTo(name: "gg_it_api_todo") {
  name: String!
  priority: Priority @default(value: "NORMAL")
  rank: Int
  done: Boolean
  tags: [String]
  projectId: ID @index(name: "byProject", sortKeyFields: ["rank"], queryField: "todosByProject")
  project: Project @belongsTo(references: ["projectId"])
}
type ggItApiShelf @model {
  id: ID!
  label: String!
  books: [ggItApiBook] @hasMany(indexName: "byShelf", fields: ["id"])
}
type ggItApiBook @model {
  title: String!
  shelfId: ID! @index(name: "byShelf", sortKeyFields: ["title"], queryField: "booksByShelf")
  shelf: ggItApiShelf @belongsTo(fields: ["shelfId"])
}
type Query {
  todoCount(projectId: ID!): Int @sql(statement: "SELECT count(*) FROM gg_it_api_todo WHERE \\"projectId\\" = :projectId")
}
`;

let dir;
let config;
let srv;
// AppSync's loose references (a todo of a project that does not exist): no foreign keys here;
// tests/integration/postgres/migrate.c covers them.
const env = {
  GRAPHGATE_DATABASE_URL: dbUrl,
  GRAPHGATE_DATABASE_RECONNECT_INTERVAL_MS: '200',
  // the restart test's requests wait through the outage even on a slow machine (default 2 s)
  GRAPHGATE_DATABASE_CONNECTION_WAIT_MS: '10000',
  GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false',
};

const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const gg = (args, extraEnv = {}) => run(bin, args, { env: { PATH: process.env.PATH, ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', ...env, ...extraEnv } });

// POSTs a GraphQL request (never hangs: 15 s at most) and returns the parsed body.
async function gql(query, variables, url = srv.url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15000),
  });
  assert.equal(res.status, 200);
  return res.json();
}

// Runs tasks with at most `width` in flight.
async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

before(async () => {
  if (skip) return;
  dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  config = join(dir, 'graphgate.json');
  writeFileSync(config, JSON.stringify({ schema: ['schema.graphql'], threads: 2, database: { pool_size: 2 } }));
  const drop = await psql('DROP TABLE IF EXISTS gg_it_api_todo, gg_it_api_project, "ggItApiShelf", "ggItApiBook" CASCADE');
  assert.equal(drop.code, 0, drop.stderr);
});

after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql('DROP TABLE IF EXISTS gg_it_api_todo, gg_it_api_project, "ggItApiShelf", "ggItApiBook" CASCADE');
});

test('graphgate migrate: --dry-run prints the SQL, the migration applies and is idempotent', { skip }, async () => {
  const dry = await gg(['migrate', '--dry-run', '-c', config], { GRAPHGATE_DATABASE_URL: '' });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /CREATE TABLE IF NOT EXISTS "gg_it_api_todo"/);
  assert.match(dry.stdout, /CREATE INDEX IF NOT EXISTS .* ON "gg_it_api_todo" \("projectId", "rank"\)/);
  assert.equal((await psql("SELECT to_regclass('gg_it_api_todo') IS NULL")).stdout.trim(), 't', 'dry run created nothing');

  const noDb = await gg(['migrate', '-c', config], { GRAPHGATE_DATABASE_URL: '' });
  assert.equal(noDb.code, 2);
  assert.match(noDb.stderr, /no database: set GRAPHGATE_DATABASE_URL/);
  const down = await gg(['migrate', '-c', config], { GRAPHGATE_DATABASE_URL: 'postgresql://127.0.0.1:1/none' });
  assert.equal(down.code, 1);
  assert.match(down.stderr, /graphgate: migrate: cannot connect to the database: .*127\.0\.0\.1.*port 1/);

  for (let i = 0; i < 2; i++) {
    const r = await gg(['migrate', '-c', config]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /the tables, columns and indexes of 4 models exist/);
    assert.doesNotMatch(r.stderr, /warning: column/);
  }
  const cols = await psql("SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'gg_it_api_todo'");
  assert.equal(cols.stdout.trim(), 'createdAt,done,id,name,priority,projectId,rank,tags,updatedAt');
  // a column whose type differs from the schema's is converted when no value can be lost
  await psql('ALTER TABLE gg_it_api_todo ALTER COLUMN rank TYPE text');
  const changed = await gg(['migrate', '-c', config]);
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stdout, /1 column type converted/);
  const rankType = await psql("SELECT data_type FROM information_schema.columns WHERE table_name = 'gg_it_api_todo' AND column_name = 'rank'");
  assert.equal(rankType.stdout.trim(), 'integer');
});

test('the server starts with the @model schema and says where the cursor key comes from', { skip }, async () => {
  srv = await startServer({ config, env });
  assert.match(srv.stderr(), /nextToken key from graphgate_meta \(database\)/);
  assert.doesNotMatch(srv.stderr(), /does not exist: run graphgate migrate/);
  const ready = await fetch(`${srv.base}/readyz`);
  assert.equal(ready.status, 200);
});

test('a @model table missing from the database is named at start-up, the existing ones are not', { skip }, async () => {
  const ghostDir = tempDir();
  writeFileSync(join(ghostDir, 'schema.graphql'), `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Project @model @refersTo(name: "gg_it_api_project") { name: String! }
type Ghost @model @refersTo(name: "gg_it_api_ghost") { name: String! }
type Phantom @model @refersTo(name: "gg_it_api_phantom") { name: String! }
`);
  const ghostConfig = join(ghostDir, 'graphgate.json');
  writeFileSync(ghostConfig, JSON.stringify({ schema: ['schema.graphql'], threads: 1 }));
  const s = await startServer({ config: ghostConfig, env });
  const { code } = await s.stop();
  assert.equal(code, 0, s.stderr());
  assert.match(s.stderr(), /warning: table "gg_it_api_ghost" of @model Ghost does not exist: run graphgate migrate/);
  assert.match(s.stderr(), /warning: table "gg_it_api_phantom" of @model Phantom does not exist: run graphgate migrate/);
  assert.doesNotMatch(s.stderr(), /"gg_it_api_project" of @model Project does not exist/);
  // the checks run once the threads serve, and their warnings still come before "listening" (README)
  const listening = s.stderr().indexOf('listening on http'); // not the bus's "listening on PostgreSQL channel"
  assert.ok(listening > s.stderr().indexOf('of @model Phantom does not exist'), s.stderr());
});

test('ready means served: once /readyz says 200, queries on new connections to every thread get their rows', { skip }, async () => {
  // a pool is ready on its first connection (the others still connecting), and /readyz waits for every thread's
  const s = await startServer({ config, env: { ...env, GRAPHGATE_THREADS: '4', GRAPHGATE_DATABASE_POOL_SIZE: '4' } });
  try {
    const ready = await fetch(`${s.base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', schema: 'loaded', database: 'ok' });
    // 48 requests on their own connections land on all four event loops (each accepts for itself)
    const answers = await Promise.all(Array.from({ length: 48 }, () =>
      post(s.url, { query: '{ listProjects(limit: 1) { items { id } } }' }, { connection: 'close' })));
    for (const a of answers) {
      assert.equal(a.status, 200);
      assert.equal(a.body.errors, undefined, JSON.stringify(a.body.errors));
      assert.ok(Array.isArray(a.body.data.listProjects.items));
    }
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr());
  }
});

test('create, get, update, delete', { skip }, async () => {
  let r = await gql('mutation { createProject(input: {id: "p1", name: "Garden"}) { id name createdAt updatedAt } }');
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(r.data.createProject.name, 'Garden');
  assert.match(r.data.createProject.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  r = await gql('mutation C($in: CreateTodoInput!) { createTodo(input: $in) { id name priority rank done tags projectId project { name } } }',
    { in: { name: 'Dig', rank: 1, done: false, tags: ['a', 'b'], projectId: 'p1' } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const todo = r.data.createTodo;
  assert.match(todo.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual({ ...todo, id: undefined }, { id: undefined, name: 'Dig', priority: 'NORMAL', rank: 1, done: false, tags: ['a', 'b'], projectId: 'p1', project: { name: 'Garden' } });

  r = await gql('query G($id: ID!) { getTodo(id: $id) { name rank } missing: getTodo(id: "nope") { name } }', { id: todo.id });
  assert.deepEqual(r, { data: { getTodo: { name: 'Dig', rank: 1 }, missing: null } });

  r = await gql('mutation U($id: ID!) { updateTodo(input: {id: $id, done: true, rank: 2}) { name done rank createdAt updatedAt } }', { id: todo.id });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual({ name: r.data.updateTodo.name, done: r.data.updateTodo.done, rank: r.data.updateTodo.rank }, { name: 'Dig', done: true, rank: 2 });
  assert.ok(r.data.updateTodo.updatedAt >= r.data.updateTodo.createdAt);

  r = await gql('mutation D($id: ID!) { deleteTodo(input: {id: $id}) { name } }', { id: todo.id });
  assert.deepEqual(r, { data: { deleteTodo: { name: 'Dig' } } });
  r = await gql('query G($id: ID!) { getTodo(id: $id) { name } }', { id: todo.id });
  assert.deepEqual(r, { data: { getTodo: null } });
});

test('list with filters, and the @index query', { skip }, async () => {
  // there is no referential integrity (as on AppSync): a todo may name a project that does not exist yet
  const p = await gql('mutation { a: createProject(input: {id: "filters", name: "Filters"}) { id } b: createProject(input: {id: "bulk", name: "Bulk"}) { id } c: createProject(input: {id: "evil", name: "Evil"}) { id } }');
  assert.equal(p.errors, undefined, JSON.stringify(p.errors));
  const orphan = await gql('mutation { createTodo(input: {name: "Orphan", projectId: "no such project"}) { projectId project { id } } }');
  assert.deepEqual(orphan, { data: { createTodo: { projectId: 'no such project', project: null } } });
  const rows = [
    ['f1', 'Alpha', 'HIGH', 5, true],
    ['f2', 'Beta', 'LOW', 3, false],
    ['f3', 'Gamma', 'HIGH', 1, false],
    ['f4', 'Alphabet', 'NORMAL', 4, null],
  ];
  for (const [id, name, priority, rank, done] of rows) {
    const r = await gql('mutation C($in: CreateTodoInput!) { createTodo(input: $in) { id } }',
      { in: { id, name, priority, rank, done, projectId: 'filters' } });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  }
  const names = async (filter) => {
    const r = await gql('query L($f: ModelTodoFilterInput) { listTodos(filter: $f, limit: 100) { items { name } } }',
      { f: { and: [{ projectId: { eq: 'filters' } }, filter] } });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data.listTodos.items.map((t) => t.name).sort();
  };
  assert.deepEqual(await names({ priority: { eq: 'HIGH' } }), ['Alpha', 'Gamma']);
  assert.deepEqual(await names({ name: { beginsWith: 'Alpha' } }), ['Alpha', 'Alphabet']);
  assert.deepEqual(await names({ rank: { between: [2, 4] } }), ['Alphabet', 'Beta']);
  assert.deepEqual(await names({ rank: { gt: 3 }, done: { ne: true } }), ['Alphabet']);
  assert.deepEqual(await names({ or: [{ name: { contains: 'mm' } }, { priority: { eq: 'LOW' } }] }), ['Beta', 'Gamma']);
  assert.deepEqual(await names({ not: { priority: { eq: 'HIGH' } } }), ['Alphabet', 'Beta']);

  const r = await gql('{ todosByProject(projectId: "filters", rank: {ge: 3}, sortDirection: DESC) { items { name rank } } }');
  assert.deepEqual(r, { data: { todosByProject: { items: [{ name: 'Alpha', rank: 5 }, { name: 'Alphabet', rank: 4 }, { name: 'Beta', rank: 3 }] } } });
});

test('1,000 rows: created concurrently, then paged through with nextToken', { skip }, async () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
  await pool(ids, 16, async (id, i) => {
    const r = await gql('mutation C($in: CreateTodoInput!) { createTodo(input: $in) { id } }',
      { in: { id, name: `Bulk ${i}`, rank: (i * 7919) % 1000, projectId: 'bulk' } });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  });

  const seen = [];
  let token = null;
  let pages = 0;
  do {
    const r = await gql('query P($t: String) { listTodos(filter: {projectId: {eq: "bulk"}}, limit: 100, nextToken: $t) { items { id } nextToken } }', { t: token });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    seen.push(...r.data.listTodos.items.map((t) => t.id));
    token = r.data.listTodos.nextToken;
    pages++;
    assert.ok(pages <= 11, 'too many pages');
  } while (token);
  assert.equal(seen.length, 1000);
  assert.deepEqual([...seen].sort(), ids);

  // The index query pages in sort-key order; a limit above database.max_page_size (1000) is cut.
  const ranks = [];
  token = null;
  do {
    const r = await gql('query P($t: String) { todosByProject(projectId: "bulk", limit: 300, nextToken: $t) { items { rank } nextToken } }', { t: token });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    ranks.push(...r.data.todosByProject.items.map((t) => t.rank));
    token = r.data.todosByProject.nextToken;
  } while (token);
  assert.deepEqual(ranks, Array.from({ length: 1000 }, (_, i) => i));
  const big = await gql('{ listTodos(filter: {projectId: {eq: "bulk"}}, limit: 5000) { items { id } nextToken } }');
  assert.equal(big.data.listTodos.items.length, 1000);
  // an @sql field runs its own statement with the argument as a parameter
  const count = await gql('query C($p: ID!) { todoCount(projectId: $p) } ', { p: 'bulk' });
  assert.deepEqual(count, { data: { todoCount: 1000 } });
  const inert = await gql('query C($p: ID!) { todoCount(projectId: $p) } ', { p: "bulk' OR '1'='1" });
  assert.deepEqual(inert, { data: { todoCount: 0 } });
});

test('nested relations in both directions', { skip }, async () => {
  const r = await gql(`{
    getProject(id: "p1") { name todos { items { id } } }
    bulk: getProject(id: "bulk") { name todos(limit: 3, filter: {rank: {lt: 3}}) { items { rank project { name todos(limit: 1) { nextToken } } } nextToken } }
    todo: getTodo(id: "f1") { name project { name } }
  }`.replace(/\s+/g, ' '));
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.getProject, { name: 'Garden', todos: { items: [] } });
  assert.equal(r.data.bulk.todos.items.length, 3);
  assert.deepEqual(r.data.bulk.todos.items.map((t) => t.rank).sort(), [0, 1, 2]);
  for (const t of r.data.bulk.todos.items) {
    assert.equal(t.project.name, 'Bulk');
    assert.equal(typeof t.project.todos.nextToken, 'string'); // 1,000 todos, one per page
  }
  assert.deepEqual(r.data.todo, { name: 'Alpha', project: { name: 'Filters' } });
});

test('models named with a lower-case first letter: AppSync\'s operation names, tables named as written', { skip }, async () => {
  // the tables keep the model names (existing databases keep working)
  const tables = await psql(`SELECT to_regclass('"ggItApiShelf"') IS NOT NULL AND to_regclass('"ggItApiBook"') IS NOT NULL`);
  assert.equal(tables.stdout.trim(), 't');
  let r = await gql('mutation C($in: CreateGgItApiShelfInput!) { createGgItApiShelf(input: $in) { id label } }', { in: { id: 's1', label: 'Poetry' } });
  assert.deepEqual(r, { data: { createGgItApiShelf: { id: 's1', label: 'Poetry' } } });
  for (const title of ['Odes', 'Elegies', 'Sonnets']) {
    r = await gql('mutation C($in: CreateGgItApiBookInput!, $c: ModelGgItApiBookConditionInput) { createGgItApiBook(input: $in, condition: $c) { title shelf { label } } }',
      { in: { title, shelfId: 's1' }, c: null });
    assert.deepEqual(r, { data: { createGgItApiBook: { title, shelf: { label: 'Poetry' } } } });
  }
  r = await gql(`query Q($f: ModelGgItApiBookFilterInput, $i: ModelggItApiBookFilterInput) {
    getGgItApiShelf(id: "s1") { label books(title: {beginsWith: "E"}) { items { title } } }
    listGgItApiBooks(filter: $f) { items { title } }
    booksByShelf(shelfId: "s1", sortDirection: DESC, filter: $i) { items { title } }
  }`, { f: { title: { ne: 'Odes' } }, i: { title: { ne: 'Sonnets' } } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.getGgItApiShelf, { label: 'Poetry', books: { items: [{ title: 'Elegies' }] } });
  assert.deepEqual(r.data.listGgItApiBooks.items.map((b) => b.title).sort(), ['Elegies', 'Sonnets']);
  assert.deepEqual(r.data.booksByShelf.items, [{ title: 'Odes' }, { title: 'Elegies' }]);
  r = await gql('mutation { updateGgItApiShelf(input: {id: "s1", label: "Verse"}) { label } deleteGgItApiShelf(input: {id: "s1"}) { label } }');
  assert.deepEqual(r, { data: { updateGgItApiShelf: { label: 'Verse' }, deleteGgItApiShelf: { label: 'Verse' } } });
});

test('condition failures answer AppSync\'s DynamoDB:ConditionalCheckFailedException', { skip }, async () => {
  let r = await gql('mutation { updateTodo(input: {id: "f2", done: true}, condition: {priority: {eq: HIGH}}) { id } }');
  assert.deepEqual(r.data, { updateTodo: null });
  assert.equal(r.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
  assert.equal(r.errors[0].message, 'The conditional request failed');
  assert.deepEqual(r.errors[0].path, ['updateTodo']);
  r = await gql('mutation { createTodo(input: {id: "f2", name: "again"}) { id } }');
  assert.equal(r.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
  r = await gql('mutation { deleteTodo(input: {id: "f2"}, condition: {done: {eq: true}}) { id } }');
  assert.equal(r.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
  r = await gql('{ getTodo(id: "f2") { done } }');
  assert.deepEqual(r, { data: { getTodo: { done: false } } });
});

test('injection attempts are inert', { skip }, async () => {
  const evil = ["x'); DROP TABLE gg_it_api_todo; --", '" OR 1=1 --', "'; SELECT pg_sleep(10); --", '%', '_', '\\', '$1'];
  for (const [i, name] of evil.entries()) {
    const r = await gql('mutation C($in: CreateTodoInput!) { createTodo(input: $in) { name } }', { in: { id: `evil-${i}`, name, projectId: 'evil' } });
    assert.deepEqual(r, { data: { createTodo: { name } } });
  }
  for (const name of evil) {
    const r = await gql('query L($n: String) { listTodos(filter: {projectId: {eq: "evil"}, name: {eq: $n}}) { items { name } } }', { n: name });
    assert.deepEqual(r.data.listTodos.items, [{ name }], name);
  }
  // LIKE wildcards in beginsWith and contains match themselves only
  let r = await gql('{ listTodos(filter: {projectId: {eq: "evil"}, name: {beginsWith: "_"}}) { items { name } } }');
  assert.deepEqual(r.data.listTodos.items, [{ name: '_' }]);
  r = await gql('{ listTodos(filter: {projectId: {eq: "evil"}, name: {contains: "%"}}) { items { name } } }');
  assert.deepEqual(r.data.listTodos.items, [{ name: '%' }]);
  r = await gql('{ getTodo(id: "\' OR \'1\'=\'1") { id } }');
  assert.deepEqual(r, { data: { getTodo: null } });
  assert.equal((await psql("SELECT count(*) FROM gg_it_api_todo WHERE \"projectId\" = 'bulk'")).stdout.trim(), '1000');

  // A forged or edited nextToken is refused with an error, not run.
  const page = await gql('{ listTodos(filter: {projectId: {eq: "bulk"}}, limit: 2) { nextToken } }');
  const token = page.data.listTodos.nextToken;
  const [payload, mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify(["x' OR '1'='1"])).toString('base64url') + '.' + mac;
  for (const t of [forged, payload + '.AAAA', 'garbage', `${token}x`]) {
    const bad = await gql('query P($t: String) { listTodos(filter: {projectId: {eq: "bulk"}}, limit: 2, nextToken: $t) { items { id } } }', { t });
    assert.equal(bad.data.listTodos, null, t);
    assert.ok(bad.errors[0].errorType, JSON.stringify(bad.errors));
  }
});

test('cursor_secret from the environment signs nextToken values instead of the database secret', { skip }, async () => {
  const other = await startServer({ config, env: { ...env, GRAPHGATE_CURSOR_SECRET: 'a test secret' } });
  try {
    assert.match(other.stderr(), /nextToken key from cursor_secret \(configuration\)/);
    const q = 'query P($t: String) { listTodos(filter: {projectId: {eq: "bulk"}}, limit: 2, nextToken: $t) { items { id } nextToken } }';
    const mine = await gql(q, { t: null }, other.url);
    const next = await gql(q, { t: mine.data.listTodos.nextToken }, other.url);
    assert.equal(next.errors, undefined, JSON.stringify(next.errors));
    const theirs = await gql(q, { t: mine.data.listTodos.nextToken }); // the first server: another key
    assert.equal(theirs.data.listTodos, null);
  } finally {
    const { code } = await other.stop();
    assert.equal(code, 0, other.stderr());
  }
});

// Start-up reads the database's secret in the column types' round trip, on whichever early connection
// connects first (with one thread there is one): servers started later, with one thread or three,
// must sign as a server given that same secret in its configuration does.
test('servers started later, with one thread and with three, sign nextToken with graphgate_meta\'s secret', { skip }, async () => {
  const secret = (await psql("SELECT value FROM graphgate_meta WHERE key = 'cursor_secret'")).stdout.trim();
  assert.ok(secret.length >= 32, 'the secret is there');
  const q = 'query P($t: String) { listTodos(filter: {projectId: {eq: "bulk"}}, limit: 2, nextToken: $t) { items { id } nextToken } }';
  const reference = await startServer({ config, env: { ...env, GRAPHGATE_CURSOR_SECRET: secret } });
  try {
    assert.match(reference.stderr(), /nextToken key from cursor_secret \(configuration\)/);
    const expected = await gql(q, { t: null }, reference.url);
    assert.equal(typeof expected.data.listTodos.nextToken, 'string');
    for (const threads of ['1', '3']) {
      const later = await startServer({ config, env: { ...env, GRAPHGATE_THREADS: threads } });
      try {
        assert.match(later.stderr(), /nextToken key from graphgate_meta \(database\)/);
        assert.equal((await fetch(`${later.base}/readyz`)).status, 200);
        const mine = await gql(q, { t: null }, later.url);
        assert.equal(mine.data.listTodos.nextToken, expected.data.listTodos.nextToken, `${threads} thread(s)`);
        const next = await gql(q, { t: mine.data.listTodos.nextToken }, reference.url);
        assert.equal(next.errors, undefined, JSON.stringify(next.errors));
      } finally {
        const { code } = await later.stop();
        assert.equal(code, 0, later.stderr());
      }
    }
  } finally {
    const { code } = await reference.stop();
    assert.equal(code, 0, reference.stderr());
  }
});

test('a database restart: requests meanwhile wait for a connection and are answered; service resumes by itself', { skip }, async () => {
  const q = '{ listTodos(filter: {projectId: {eq: "filters"}}) { items { id } } }';
  const outcomes = { ok: 0, unavailable: 0, other: [], slowest: 0 };
  let stop = false;
  const load = (async () => {
    while (!stop) {
      const t0 = Date.now();
      const r = await gql(q); // never hangs: gql gives up after 15 s and fails the test
      outcomes.slowest = Math.max(outcomes.slowest, Date.now() - t0);
      if (r.errors === undefined && r.data.listTodos.items.length === 4) outcomes.ok++;
      else if (r.data?.listTodos === null && ['ServiceUnavailable', 'DatabaseError'].includes(r.errors?.[0]?.errorType) && r.errors[0].message) outcomes.unavailable++;
      else outcomes.other.push(r);
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  await new Promise((res) => setTimeout(res, 200));
  const restart = await run('bash', [join(root, 'scripts', 'pg-local.sh'), 'restart', pgData]);
  assert.equal(restart.code, 0, restart.stderr);
  // Service resumes without any action: the pools reconnect (reconnect_interval_ms = 200).
  const deadline = Date.now() + 20000;
  let resumed = false;
  while (!resumed && Date.now() < deadline) {
    const r = await gql(q);
    resumed = r.errors === undefined;
    if (!resumed) await new Promise((res) => setTimeout(res, 100));
  }
  stop = true;
  await load;
  console.log(`during the restart: ${outcomes.ok} answered, ${outcomes.unavailable} clear errors, ` +
    `${outcomes.other.length} other; the slowest took ${outcomes.slowest} ms`);
  assert.ok(resumed, 'service did not resume within 20 s');
  assert.deepEqual(outcomes.other, []);
  // the requests sent while PostgreSQL was down waited for it (database.connection_wait_ms) and
  // were answered; only a statement in flight when its connection closed can fail (one at a time
  // here), with a clear error
  assert.ok(outcomes.slowest >= 100, `no request met the outage (slowest ${outcomes.slowest} ms)`);
  assert.ok(outcomes.unavailable <= 1, `${outcomes.unavailable} requests failed`);
  // Every thread's pool is back once /readyz says so (each pool reconnects on its own timer, so the
  // first answer above may come from one thread while the other's is still reconnecting): then a
  // burst spread over both threads succeeds.
  let ready = false;
  while (!ready && Date.now() < deadline) {
    ready = (await fetch(`${srv.base}/readyz`)).status === 200;
    if (!ready) await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(ready, '/readyz did not come back within 20 s');
  const burst = await pool(Array.from({ length: 20 }), 10, () => gql(q));
  for (const r of burst) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.equal(srv.proc.exitCode, null, 'graphgate is still running');
});

test('a read whose backend is terminated while it runs is sent again and answered', { skip }, async () => {
  const q = '{ listTodos(filter: {projectId: {eq: "filters"}}) { items { id } } }';
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  // another session holds the todo table, so the read blocks in PostgreSQL until it lets go
  const holder = spawn('psql', [dbUrl, '-qAt', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const holderGone = new Promise((res) => holder.on('exit', res));
  holder.stdin.write('BEGIN; LOCK TABLE gg_it_api_todo IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60), \'api lock holder\';\n');
  const blocked = `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'graphgate' AND wait_event_type = 'Lock'
                   AND query LIKE '%gg_it_api_todo%'`;
  const until = async (what, sql, want) => {
    const t0 = Date.now();
    for (;;) {
      const r = await psql(sql);
      assert.equal(r.code, 0, r.stderr);
      if (r.stdout.trim() === want) return;
      assert.ok(Date.now() - t0 < 10000, `${what} did not happen within 10 s`);
      await sleep(25);
    }
  };
  try {
    await until('the lock', `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%api lock holder%' AND state = 'active'
                             AND pid <> pg_backend_pid()`, '1');
    const answer = gql(q);
    await until('the read blocking on the lock', blocked, '1');
    const killed = await psql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'graphgate'
                               AND wait_event_type = 'Lock' AND query LIKE '%gg_it_api_todo%'`);
    assert.equal(killed.stdout.trim(), '1', killed.stderr);
    // sent again on a new connection, where it blocks again until the holder lets go
    const early = await Promise.race([answer, sleep(1500).then(() => null)]);
    assert.equal(early, null, `answered while the table is locked: ${JSON.stringify(early)}`);
    await until('the read sent again', blocked, '1');
    holder.kill('SIGTERM');
    await psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%api lock holder%' AND pid <> pg_backend_pid()");
    const r = await answer;
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data.listTodos.items.length, 4);
  } finally {
    holder.kill('SIGTERM');
    await holderGone;
  }
});

test('--check reports Amplify transform errors with file, line and column', async () => {
  const d = tempDir();
  writeFileSync(join(d, 'bad.graphql'), 'type Todo @model {\n  name: String!\n  list: Todo @hasMany\n}\n');
  writeFileSync(join(d, 'c.json'), JSON.stringify({ schema: ['bad.graphql'] }));
  const r = await run(bin, ['--check', '-c', join(d, 'c.json')], { env: { PATH: process.env.PATH, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^graphgate: schema error: .*bad\.graphql:3:\d+: .*@hasMany.*list/m);
});
