// cli.test.mjs: the graphgate command line: --help, --version, --check, --print-schema, and start-up errors that
// name the file, the key and the reason.
import { test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, exampleConfig, root, run, startServer, staticConfig, tempDir, writeConfig } from './helpers.mjs';

const gg = (args, env = {}) => run(bin, args, { env: { PATH: process.env.PATH, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', ...env } });

test('--help lists options and every key with its environment variable', async () => {
  const r = await gg(['--help']);
  assert.equal(r.code, 0);
  for (const s of ['--config', '--check', '--print-schema', '--version', 'GRAPHGATE_LISTEN', 'GRAPHGATE_DATABASE_URL', 'GRAPHGATE_LIMITS_MAX_DEPTH'])
    assert.ok(r.stdout.includes(s), s);
  // every endpoint the server answers on by default, the metrics included
  assert.match(r.stdout, /Endpoints: POST\/GET <graphql_path>, websockets \(subscriptions\) at <graphql_path> and\n<graphql_path>\/realtime, GET \/healthz \(alive\), GET \/readyz \(ready\), GET \/metrics/);
});

test('graphgate migrate --dry-run prints the example app\'s SQL without a database', async () => {
  const r = await gg(['migrate', '--dry-run', '-c', exampleConfig]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^-- graphgate migrate --dry-run: 3 models/);
  assert.match(r.stdout, /CREATE TABLE IF NOT EXISTS "Todo" \("id" text NOT NULL, PRIMARY KEY \("id"\)\);/);
  assert.match(r.stdout, /CREATE INDEX IF NOT EXISTS "Todo_projectId_idx" ON "Todo" \("projectId", "id"\);/);
  // database.foreign_keys (default true): Todo.projectId (nullable) -> Project, added NOT VALID when missing
  assert.match(r.stdout, /ALTER TABLE "Todo" ADD CONSTRAINT "Todo_projectId_fkey" FOREIGN KEY \("projectId"\) REFERENCES "Project" \("id"\) ON DELETE SET NULL NOT VALID;/);
  assert.match(r.stdout, /IF NOT EXISTS \(SELECT 1 FROM pg_constraint WHERE conrelid = '"Todo"'::regclass AND conname = 'Todo_projectId_fkey'\)/);
  assert.match(r.stdout, /^-- column types are not compared: that needs the database/m);
  const loose = await gg(['migrate', '--dry-run', '-c', exampleConfig], { GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false' });
  assert.equal(loose.code, 0, loose.stderr);
  assert.doesNotMatch(loose.stdout, /FOREIGN KEY/); // loose references, as on AppSync
  assert.match(loose.stdout, /^-- database\.foreign_keys is false: no foreign keys are created \(existing ones are left alone\)$/m);
  const bad = await gg(['migrate', '--check', '-c', exampleConfig]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option --check/);
  const plain = await gg(['migrate', '--dry-run', '-c', writeConfig({ schema: [join(root, 'tests', 'fixtures', 'static', 'schema.graphql')] })]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /no @model types: nothing to migrate/);
  const help = await gg(['--help']);
  assert.match(help.stdout, /graphgate migrate \[--dry-run\]/);
  assert.match(help.stdout, /exit status: 0 done .*1 database error/s);
  assert.match(help.stdout, /GRAPHGATE_CURSOR_SECRET/);
});

// graphgate migrate against the PostgreSQL of scripts/test.sh, in a PostgreSQL schema of its own.
const testDb = process.env.GRAPHGATE_TEST_DATABASE_URL;
test('graphgate migrate converts column types when no value is lost and adds foreign keys', { skip: !testDb && 'GRAPHGATE_TEST_DATABASE_URL is not set' }, async () => {
  const ns = 'gg_m_cli_migrate';
  const psql = async (sql) => {
    const r = await run('psql', [testDb, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  const url = `${testDb}${testDb.includes('?') ? '&' : '?'}options=-csearch_path%3D${ns}`;
  const dir = tempDir();
  writeFileSync(join(dir, 'app.graphql'), 'input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\n' +
    'type Box @model { id: ID! items: [Item] @hasMany(references: ["boxId"]) }\n' +
    'type Item @model { id: ID! boxId: ID! box: Box @belongsTo(references: ["boxId"]) qty: Int size: AWSTimestamp weight: Int score: Float }\n');
  const config = writeConfig({ schema: [join(dir, 'app.graphql')] });
  const migrate = (args = [], env = {}) => gg(['migrate', ...args, '-c', config], { GRAPHGATE_DATABASE_URL: url, ...env });
  const types = () => psql(`SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '${ns}' AND table_name = 'Item'`);
  const fks = () => psql(`SELECT count(*) || ':' || coalesce(string_agg(conname || ':' || confdeltype::text, ','), '') FROM pg_constraint WHERE contype = 'f' AND connamespace = '${ns}'::regnamespace`);
  await psql(`DROP SCHEMA IF EXISTS ${ns} CASCADE; CREATE SCHEMA ${ns}; ` +
    `CREATE TABLE ${ns}."Item" (id text PRIMARY KEY, qty text, size integer, weight double precision, old text, score integer); ` +
    `INSERT INTO ${ns}."Item" VALUES ('i1', '3', 40, 1.5, 'x', 7)`);
  const before = 'id:text,qty:text,size:integer,weight:double precision,old:text,score:integer';

  // --dry-run with a reachable database: the ALTERs it would run, the warning and the note; nothing done
  const dry = await migrate(['--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^ALTER TABLE "Item" ALTER COLUMN "qty" TYPE integer USING "qty"::integer;$/m);
  assert.match(dry.stdout, /^ALTER TABLE "Item" ALTER COLUMN "size" TYPE bigint USING "size"::bigint;$/m);
  // a field changed from Int to Float: its integer column takes fractions once widened
  assert.match(dry.stdout, /^ALTER TABLE "Item" ALTER COLUMN "score" TYPE double precision USING "score"::double precision;$/m);
  assert.doesNotMatch(dry.stdout, /ALTER COLUMN "weight"/);
  assert.match(dry.stderr, /graphgate: migrate: warning: column "Item"\."weight" is double precision but Item\.weight needs integer: not converted \(values could be lost or changed\); to convert it anyway: ALTER TABLE "Item" ALTER COLUMN "weight" TYPE integer USING "weight"::integer;/);
  assert.match(dry.stderr, /graphgate: migrate: note: table "Item" keeps columns no longer in the schema \(migrate never drops data\): "old"/);
  assert.equal(await types(), before);

  // a value that does not convert: exit 1, the column named, nothing applied
  await psql(`INSERT INTO ${ns}."Item" (id, qty) VALUES ('bad', 'three')`);
  const failed = await migrate();
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /graphgate: migrate: failed, nothing was applied: cannot convert column "Item"\."qty" from text to integer: invalid input syntax for type integer: "three"/);
  assert.equal(await types(), before);
  assert.equal(await psql(`SELECT to_regclass('${ns}."Box"') IS NULL`), 't');
  await psql(`DELETE FROM ${ns}."Item" WHERE id = 'bad'`);

  // applied: text -> integer, integer -> bigint with the values kept; the lossy one left, with its warning
  for (let i = 0; i < 2; i++) {
    const r = await migrate();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /the tables, columns and indexes of 2 models exist .*; foreign keys: added where missing; /);
    assert.match(r.stdout, i === 0 ? /; 3 column types converted; some columns keep another type/ : /; 0 column types converted; some columns keep/);
    assert.match(r.stderr, /warning: column "Item"\."weight" is double precision/);
    assert.equal(await fks(), '1:Item_boxId_fkey:r'); // boxId: ID! -> RESTRICT; once, however often it runs
  }
  assert.equal(await types(), 'id:text,qty:integer,size:bigint,weight:double precision,old:text,score:double precision,boxId:text,createdAt:timestamp with time zone,updatedAt:timestamp with time zone');
  assert.equal(await psql(`SELECT concat_ws('|', qty, size, weight, old, score) FROM ${ns}."Item"`), '3|40|1.5|x|7');

  // database.foreign_keys=false on a fresh database: none
  await psql(`DROP SCHEMA ${ns} CASCADE; CREATE SCHEMA ${ns}`);
  const off = await migrate([], { GRAPHGATE_DATABASE_FOREIGN_KEYS: 'false' });
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /foreign keys: none added \(database\.foreign_keys is false\); 0 column types converted\n$/);
  assert.equal(await fks(), '0:');
  await psql(`DROP SCHEMA ${ns} CASCADE`);
});

test('--version prints the version', async () => {
  const r = await gg(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^graphgate \d+\.\d+\.\d+\n$/);
});

test('--check validates the example configuration and schema', async () => {
  const r = await gg(['--check', '-c', exampleConfig]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid/);
  const viaEnv = await gg(['--check'], { GRAPHGATE_CONFIG: exampleConfig });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
});

test('the documented example file lists every key --help knows, with its default', async () => {
  const help = (await gg(['--help'])).stdout;
  const keys = [...help.matchAll(/^  (\S+)\s+GRAPHGATE_\S+\s+default: (.*)$/gm)].map((m) => [m[1], m[2]]);
  assert.ok(keys.length > 20);
  const { readFileSync } = await import('node:fs');
  const file = JSON.parse(readFileSync(join(root, 'conf', 'graphgate.example.json'), 'utf8'));
  for (const [key, def] of keys) {
    const secrets = ['database_url', 'database.read_url', 'database.listen_url', 'cursor_secret', 'auth.api_keys'];
    if (secrets.includes(key)) continue; // never in the file
    const v = key.split('.').reduce((o, k) => (o === undefined ? undefined : o[k]), file);
    assert.notEqual(v, undefined, `conf/graphgate.example.json lacks ${key}`);
    const uncommented = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !/^[$_]/.test(k)));
    const text = Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(uncommented(v)) : String(v);
    assert.equal(text || '(empty)', def, key);
  }
});

test('invalid files and values stop start-up with file, key and reason', async () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{\n  "listen": "127.0.0.1:0",\n  "threads": 2,\n}\n');
  let r = await gg(['--check', '-c', bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.json:4:\d+: invalid JSON/);

  const schema = join(root, 'conf', 'example', 'schema.graphql');
  const cases = [
    [{ schema: [schema], limits: { max_depth: -1 } }, {}, /key "limits\.max_depth": expected a non-negative integer/],
    [{ schema: [schema], limits: { max_dept: 3 } }, {}, /key "limits\.max_dept": unknown key\. Did you mean "limits\.max_depth"\?/],
    [{ schema: [schema], auth: { api_key_file: 'keys' } }, {}, /key "auth\.api_key_file": unknown key\. Did you mean "auth\.api_keys_file"\?/],
    [{ schemas: [schema] }, {}, /key "schemas": unknown key\. Did you mean "schema"\?/],
    [{ schema: [schema], limit: { max_depth: 3 } }, {}, /key "limit": unknown key\. Did you mean "limits"\?/],
    [{ schema: [schema], database: { url: 'postgres://x' } }, {}, /key "database\.url": unknown key\. Did you mean "database_url"\?/],
    [{ schema: [schema], frobnicate: 1 }, {}, /key "frobnicate": unknown key \(graphgate --help lists every key\)/],
    [{ schema: [schema], database_url: 'postgres://x' }, {}, /key "database_url": secrets are not read from the config file/],
    [{ schema: [schema], database: { listen_url: 'postgres://x' } }, {}, /key "database\.listen_url": secrets are not read from the config file/],
    [{ schema: [schema], database: { pooler: 'pgbouncer' } }, {}, /key "database\.pooler": must be "none" or "pgbouncer-transaction", got "pgbouncer"/],
    [{ schema: [schema], tls: { listen: '127.0.0.1:0' } }, {}, /key "tls\.cert_file": required/],
    [{ schema: [join(dir, 'missing.graphql')] }, {}, /key "schema": cannot read .*missing\.graphql/],
    [{ schema: [schema] }, { GRAPHGATE_HTTP_MAX_BODY_BYTES: 'lots' }, /GRAPHGATE_HTTP_MAX_BODY_BYTES .*expected a non-negative integer/],
    [{ schema: [schema] }, { GRAPHGATE_LISTEN: 'nowhere' }, /key "listen": expected host:port/],
    [{ schema: [schema], access_log: 'yes' }, {}, /key "access_log": expected true or false/],
    [{ schema: [schema] }, { GRAPHGATE_DATABASE_PLAN: 'xml' }, /key "database\.plan": must be "rows" or "json", got "xml"/],
  ];
  for (const [cfg, env, pattern] of cases) {
    const path = writeConfig(cfg);
    r = await gg(['--check', '-c', path], env);
    assert.equal(r.code, 2, JSON.stringify(cfg));
    assert.match(r.stderr, pattern);
    assert.ok(r.stderr.includes(path), 'the message names the file');
  }
});

test('a GRAPHGATE_ variable that names no key is warned of, with the closest one', async () => {
  const r = await gg(['--check', '-c', exampleConfig], { GRAPHGATE_DATABSE_URL: 'postgres://x', GRAPHGATE_FROBNICATE: '1' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: environment GRAPHGATE_DATABSE_URL names no configuration key\. Did you mean "GRAPHGATE_DATABASE_URL"\?/);
  assert.match(r.stderr, /warning: environment GRAPHGATE_FROBNICATE names no configuration key \(see --help\)/);
});

test('an invalid schema stops start-up with the file, line and message', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'broken.graphql');
  writeFileSync(sdl, 'type Query {\n  a: Nope\n}\n');
  const r = await gg(['--check', '-c', writeConfig({ schema: [sdl] })]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.graphql/);
  assert.match(r.stderr, /Nope/);
});

test('a schema with many mistakes: the first ten, one a line, then how many more, for --check and --print-schema', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'many.graphql');
  const fields = Array.from({ length: 12 }, (_, i) => `  f${i}: Missing${i}`).join('\n');
  writeFileSync(sdl, `type Query {\n${fields}\n}\n`);
  const config = writeConfig({ schema: [sdl] });
  for (const args of [['--check'], ['--print-schema']]) {
    const r = await gg([...args, '-c', config]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0], /schema error: .*many\.graphql:2:7: Unknown type "Missing0"\./, r.stderr);
    for (let i = 1; i < 10; i++) assert.match(lines[i], new RegExp(`^  .*many\\.graphql:${i + 2}:\\d+: Unknown type "Missing${i}"\\.$`), r.stderr);
    assert.equal(lines[10], '  (and 2 more errors)', r.stderr);
    assert.doesNotMatch(r.stderr, /Missing1[01]/);
  }
  // an Amplify schema (the transform's errors) too
  const amplify = join(dir, 'models.graphql');
  writeFileSync(amplify, 'type Todo @model { id: ID! a: Nope b: [Nada] }\n');
  const r = await gg(['--check', '-c', writeConfig({ schema: [amplify] })]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /models\.graphql:1:\d+: Unknown type "Nope"\.\n {2}.*models\.graphql:1:\d+: Unknown type "Nada"\./, r.stderr);
});

test('--check and --print-schema accept @primaryKey on a model with a query turned off (issue 13: was SIGSEGV)', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'lines.graphql');
  writeFileSync(sdl, 'type OrderLine @model(queries: {list: null}) { orderId: ID! @primaryKey lineNo: Int! }\n');
  const config = writeConfig({ schema: [sdl] });
  const check = await gg(['--check', '-c', config]);
  assert.equal(check.signal ?? null, null, check.stderr);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /1 @model type\) are valid/);
  const printed = await gg(['--print-schema', '-c', config]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /\ntype Query \{\n {2}getOrderLine\(orderId: ID!\): OrderLine\n\}\n/);
  assert.doesNotMatch(printed.stdout, /listOrderLines/);
});

test('--print-schema prints the served SDL with the @aws_* directives the @auth rules apply', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'notes.graphql');
  writeFileSync(sdl, 'type Note @model @auth(rules: [{allow: owner}, {allow: public, operations: [read]}]) { id: ID! text: String }\n');
  const config = writeConfig({ schema: [sdl] });
  const r = await gg(['--print-schema', '-c', config], { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^type Note @aws_cognito_user_pools @aws_api_key \{\n {2}id: ID!\n/m);
  assert.match(r.stdout, /\n {2}createNote\(input: CreateNoteInput!, condition: ModelNoteConditionInput\): Note @aws_cognito_user_pools\n/);
  assert.doesNotMatch(r.stdout, /@auth|@model/);
  // a schema without @model: the user's SDL, printed again, its applied directives kept
  const plain = join(dir, 'plain.graphql');
  writeFileSync(plain, 'type Query { hello: String @aws_api_key   ping: Int }\n');
  const p = await gg(['--print-schema', '-c', writeConfig({ schema: [plain] })]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout, 'type Query {\n  hello: String @aws_api_key\n  ping: Int\n}\n');
  // an invalid schema: status 2 and the reason, nothing on stdout
  const broken = join(dir, 'broken.graphql');
  writeFileSync(broken, 'type Note @model { id: ID! text: Nope }\n');
  const b = await gg(['--print-schema', '-c', writeConfig({ schema: [broken] })]);
  assert.equal(b.code, 2);
  assert.equal(b.stdout, '');
  assert.match(b.stderr, /broken\.graphql.*Nope/);
});

test('--check loads the TLS certificate and key', async () => {
  const dir = tempDir();
  const junk = join(dir, 'junk.pem');
  writeFileSync(junk, 'not a certificate\n');
  const schema = join(root, 'conf', 'example', 'schema.graphql');
  const r = await gg(['--check', '-c', writeConfig({ schema: [schema], tls: { listen: '127.0.0.1:0', cert_file: junk, key_file: junk } })]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /key "tls\.cert_file": .*junk\.pem is not a usable PEM certificate/);
});

test('--check builds authorization as start-up does: a JWKS file it cannot use fails it (exit 2), a JWKS URL is not fetched', async () => {
  const dir = tempDir();
  const schema = join(root, 'conf', 'example', 'schema.graphql');
  const oidc = (o) => writeConfig({ schema: [schema], auth: { default_mode: 'OPENID_CONNECT', oidc: { issuer: 'https://login.example/', ...o } } });
  let r = await gg(['--check', '-c', oidc({ jwks_file: join(dir, 'missing-jwks.json') })], { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT' });
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /authorization cannot start: auth\.oidc jwks_file: .*missing-jwks\.json: No such file or directory/);
  writeFileSync(join(dir, 'jwks.json'), '{"keys": 5}\n');
  r = await gg(['--check', '-c', oidc({ jwks_file: join(dir, 'jwks.json') })], { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT' });
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stderr, /auth\.oidc jwks_file: not a JWKS/);
  // a URL nobody answers: --check runs where the identity provider may not be reachable (CI)
  r = await gg(['--check', '-c', oidc({ jwks_url: 'https://127.0.0.1:1/jwks.json' })], { GRAPHGATE_AUTH_DEFAULT_MODE: 'OPENID_CONNECT' });
  assert.equal(r.code, 0, r.stderr);
});

test('without a configuration file, the error says that none was given', async () => {
  for (const args of [[], ['--check'], ['migrate']]) {
    const r = await gg(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, 'graphgate: configuration error: key "schema": no schema files: set schema in the config file or ' +
      'GRAPHGATE_SCHEMA (no configuration file was given: -c FILE or GRAPHGATE_CONFIG)\n');
  }
});

test('-c or --config without a path says so', async () => {
  for (const args of [['-c'], ['--check', '--config'], ['migrate', '-c']]) {
    const r = await gg(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, new RegExp(`^graphgate: ${args.at(-1)} needs the configuration file's path: ${args.at(-1)} FILE \\(see graphgate --help\\)\n$`));
  }
});

test('a listen address in use stops start-up with exit 1, naming the address and its key', async () => {
  const { createServer } = await import('node:net');
  const busy = createServer();
  await new Promise((res) => busy.listen(0, '127.0.0.1', res));
  const address = `127.0.0.1:${busy.address().port}`;
  try {
    const cases = [[{ GRAPHGATE_LISTEN: address }, 'listen'], [{ GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_METRICS_LISTEN: address }, 'metrics.listen']];
    for (const [env, key] of cases) {
      const r = await gg(['-c', staticConfig], env);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot listen on ${address} \\(key "${key}"\\): Address already in use`));
    }
  } finally {
    busy.close();
  }
});

test('a database that cannot be reached at start stops start-up with exit 1, saying what to check', async () => {
  const r = await gg(['-c', exampleConfig], { GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_DATABASE_URL: 'postgresql://127.0.0.1:1/none?connect_timeout=2' });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /graphgate: cannot connect to the database: .*Connection refused \(check the database URL, GRAPHGATE_DATABASE_URL or database_url_file, and that PostgreSQL runs; with GRAPHGATE_CURSOR_SECRET or cursor_secret_file set, graphgate starts without the database/);
  // said once: no warning before it that the column types were not read (start-up stops anyway)
  assert.doesNotMatch(r.stderr, /column types/);
  // migrate says it once (it used to be preceded by a warning about column types it does not need)
  const m = await gg(['migrate', '-c', exampleConfig], { GRAPHGATE_DATABASE_URL: 'postgresql://127.0.0.1:1/none?connect_timeout=2' });
  assert.equal(m.code, 1, m.stderr);
  assert.match(m.stderr, /^graphgate: migrate: cannot connect to the database: [^\n]*Connection refused\n$/);
});

test('start-up and --check warn when every API key has expired', async () => {
  const env = (keys) => ({ GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: keys });
  const old = 'da2-0123456789abcdef0123@2020-01-01T00:00:00Z,da2-0123456789abcdef0124@2021-05-01T10:00:00Z';
  let r = await gg(['--check', '-c', exampleConfig], env(old));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^graphgate: warning: every API key has expired \(the last at 2021-05-01T10:00:00Z\): requests with an API key are refused; add a key .* to auth\.api_keys_file or GRAPHGATE_AUTH_API_KEYS$/m);
  r = await gg(['--check', '-c', exampleConfig], env(`${old},da2-0123456789abcdef0125@2999-01-01T00:00:00Z`));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /expired/);
});

test('secrets come from the environment or a file', async () => {
  const dir = tempDir();
  const secret = join(dir, 'db-url');
  writeFileSync(secret, 'postgresql://127.0.0.1:1/none?connect_timeout=1\n');
  const schema = join(root, 'conf', 'example', 'schema.graphql');
  const r = await gg(['--check', '-c', writeConfig({ schema: [schema], database_url_file: secret })]);
  assert.equal(r.code, 0, r.stderr);
  const e = await gg(['--check', '-c', writeConfig({ schema: [schema] })], { GRAPHGATE_DATABASE_URL: 'postgresql://x' });
  assert.equal(e.code, 0, e.stderr);
});

test('--check names a model whose @auth rules are for an auth mode the API does not have', async () => {
  const dir = tempDir();
  const schema = join(dir, 'products.graphql');
  writeFileSync(schema, 'type Product @model @auth(rules: [{allow: private, provider: iam}, {allow: owner}, {allow: public}]) { id: ID! }\n');
  const env = { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: 'da2-clitestkey00000000000000' };
  const r = await gg(['--check', '-c', writeConfig({ schema: [schema] })], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: @model Product has @auth rules for AMAZON_COGNITO_USER_POOLS callers, which is not an auth mode of this API: those rules never apply \(add AMAZON_COGNITO_USER_POOLS to auth\.additional_modes\)/);
  assert.match(r.stderr, /warning: @model Product has @auth rules for AWS_IAM callers \(provider iam or identityPool\): graphgate refuses signed \(SigV4\) requests, so those rules never apply/);
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }); // --check loads the pool's keys
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
  const cognito = { user_pool_id: 'us-east-1_X', region: 'us-east-1', jwks_file: join(dir, 'jwks.json') };
  const pools = await gg(['--check', '-c', writeConfig({ schema: [schema], auth: { cognito } })],
    { ...env, GRAPHGATE_AUTH_ADDITIONAL_MODES: 'AMAZON_COGNITO_USER_POOLS' });
  assert.equal(pools.code, 0, pools.stderr);
  assert.doesNotMatch(pools.stderr, /USER_POOLS callers/);
});

test('a @model name with a lower-case first letter gets the names AppSync gives it, without a warning', async () => {
  const dir = tempDir();
  const schema = join(dir, 'todo.graphql');
  writeFileSync(schema, 'type todo @model { id: ID! }\ntype Note @model { id: ID! }\n');
  const config = writeConfig({ schema: [schema] });
  const checked = await gg(['--check', '-c', config]);
  assert.equal(checked.code, 0, checked.stderr);
  assert.doesNotMatch(checked.stderr, /todo/);
  const printed = await gg(['--print-schema', '-c', config]);
  assert.equal(printed.code, 0, printed.stderr);
  for (const name of ['getTodo(id: ID!): todo', 'listTodos(', 'createTodo(input: CreateTodoInput!, condition: ModelTodoConditionInput): todo', 'onCreateTodo(filter: ModelSubscriptionTodoFilterInput)'])
    assert.ok(printed.stdout.includes(name), name);
  assert.doesNotMatch(printed.stdout, /gettodo|Createtodo|Modeltodo/);
});

test('--check accepts @auth rules without a warning: the PostgreSQL planner enforces them', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.graphql'), 'type Note @model @auth(rules: [{allow: owner}]) { id: ID! text: String }\n');
  const r = await gg(['--check', '-c', writeConfig({ schema: [join(dir, 'notes.graphql')] })]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /@auth rules|warning/);
  const open = join(dir, 'open.graphql');
  writeFileSync(open, 'input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }\ntype Note @model { id: ID! }\n');
  const quiet = await gg(['--check', '-c', writeConfig({ schema: [open] })]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /@auth rules/);
});

test('a @model without @auth in a schema without a global rule is named at start-up: every request to it is Unauthorized', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'closed.graphql');
  writeFileSync(sdl, 'type Note @model { id: ID! }\ntype Open @model @auth(rules: [{allow: public}]) { id: ID! }\n' +
    'type Post @model { id: ID! tags: [Tag] @manyToMany(relationName: "PostTags") }\ntype Tag @model { id: ID! posts: [Post] @manyToMany(relationName: "PostTags") }\n');
  const env = { GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: 'da2-0123456789abcdef0123' };
  const r = await gg(['--check', '-c', writeConfig({ schema: [sdl] })], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^graphgate: warning: @model Note, Post, Tag have no @auth rules and the schema no global rule: as on AppSync, every request to them is refused \(Unauthorized\)\. .*globalAuthRule: AuthRule = \{ allow: public \}/m);
  const srv = await startServer({ config: writeConfig({ schema: [sdl] }), env });
  await srv.stop();
  assert.match(srv.stderr(), /warning: @model Note, Post, Tag have no @auth rules/);
  // with auth.default_mode NONE nothing is checked: no warning
  const none = await gg(['--check', '-c', writeConfig({ schema: [sdl] })]);
  assert.doesNotMatch(none.stderr, /@auth rules/);
});

// Issue 17: the datastore section. Conflict detection per model changes the served schema; every
// bad value, a per-model entry naming no @model, and LAMBDA without datastore.lambda.* stop start-up
// naming the key.
test('datastore.*: per-model conflict detection in the served schema, and start-up errors naming the key', async () => {
  const dir = tempDir();
  const sdl = join(dir, 'ds.graphql');
  writeFileSync(sdl, 'type Todo @model { id: ID! name: String }\ntype Note @model { id: ID! text: String }\n');
  const printed = async (datastore, env = {}) => {
    const r = await gg(['--print-schema', '-c', writeConfig({ schema: [sdl], datastore })], env);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const typeOf = (sdlText, name) => new RegExp(`\\ntype ${name} \\{\\n[^}]*\\}`).exec(`\n${sdlText}`)?.[0] ?? '';
  // global VERSION, Note NONE: Todo is synced, Note has no metadata, no syncNotes, no startedAt
  const mixed = await printed({ conflict_detection: 'VERSION', models: { Note: { conflict_detection: 'NONE' } } });
  assert.match(typeOf(mixed, 'Todo'), /\n {2}_version: Int!\n {2}_deleted: Boolean\n {2}_lastChangedAt: AWSTimestamp!\n/);
  assert.doesNotMatch(typeOf(mixed, 'Note'), /_version|_deleted|_lastChangedAt/);
  assert.match(mixed, /\n {2}syncTodos\(filter: ModelTodoFilterInput, limit: Int, nextToken: String, lastSync: AWSTimestamp\): ModelTodoConnection/);
  assert.doesNotMatch(mixed, /syncNotes/);
  assert.match(typeOf(mixed, 'ModelTodoConnection'), /startedAt: AWSTimestamp/);
  assert.doesNotMatch(typeOf(mixed, 'ModelNoteConnection'), /startedAt/);
  assert.match(mixed, /\ninput DeleteTodoInput \{\n {2}id: ID!\n {2}_version: Int\n\}/);
  assert.match(mixed, /\ninput DeleteNoteInput \{\n {2}id: ID!\n\}/);
  // global NONE (the default), Note VERSION through the environment: the other way round
  const one = await printed(undefined, { GRAPHGATE_DATASTORE_MODELS: '{"Note": {"conflict_detection": "VERSION"}}' });
  assert.match(typeOf(one, 'Note'), /_version: Int!/);
  assert.doesNotMatch(typeOf(one, 'Todo'), /_version/);
  assert.match(one, /syncNotes\(/);
  assert.doesNotMatch(one, /syncTodos/);
  // nothing synced: no DataStore field anywhere
  assert.doesNotMatch(await printed({}), /_version|_lastChangedAt|sync[A-Z]|startedAt/);

  const cases = [
    [{ models: { Nope: { conflict_detection: 'VERSION' } } }, {}, /key "datastore\.models": model "Nope" is not a @model type of the schema/],
    [{ conflict_detection: 'ON' }, {}, /key "datastore\.conflict_detection": must be "NONE" or "VERSION", got "ON"/],
    [{}, { GRAPHGATE_DATASTORE_CONFLICT_HANDLER: 'OPTIMISTIC' }, /key "datastore\.conflict_handler": must be "AUTOMERGE", "OPTIMISTIC_CONCURRENCY" or "LAMBDA", got "OPTIMISTIC"/],
    [{ models: { Todo: { conflict_handler: 'NONE' } } }, {}, /key "datastore\.models": model "Todo": conflict_handler must be/],
    [{ models: { Todo: { version: true } } }, {}, /key "datastore\.models": model "Todo": unknown key "version"/],
    [{ delta_ttl_min: 0 }, {}, /key "datastore\.delta_ttl_min": expected a number above 0/],
    [{ delta_ttl_min: 60, tombstone_ttl_min: 30 }, {}, /key "datastore\.tombstone_ttl_min": 30 is shorter than datastore\.delta_ttl_min \(60\)/],
    [{ purge_interval_s: -1 }, {}, /key "datastore\.purge_interval_s": expected a non-negative integer/],
    [{ conflict_detection: 'VERSION', conflict_handler: 'LAMBDA' }, {}, /key "datastore\.lambda\.plugin": required when a conflict_handler is LAMBDA/],
    [{ models: { Todo: { conflict_detection: 'VERSION', conflict_handler: 'LAMBDA' } }, lambda: { plugin: 'p' } }, {}, /key "datastore\.lambda\.resolver": required/],
    [{ conflict_handler: 'LAMBDA', lambda: { plugin: 'p', resolver: 'r' } }, {}, /key "datastore\.lambda\.plugin": "p" is not a plugin under "plugins"/],
  ];
  for (const [datastore, env, pattern] of cases) {
    const r = await gg(['--check', '-c', writeConfig({ schema: [sdl], datastore })], env);
    assert.equal(r.code, 2, JSON.stringify(datastore));
    assert.match(r.stderr, pattern);
  }
  // a schema without @model types: any per-model entry names an unknown model
  const plain = join(dir, 'plain.graphql');
  writeFileSync(plain, 'type Query { a: Int }\n');
  const r = await gg(['--check', '-c', writeConfig({ schema: [plain], datastore: { models: { Todo: {} } } })]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /key "datastore\.models": model "Todo" is not a @model type/);
});
