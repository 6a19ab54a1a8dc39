// bad_input.test.mjs: hostile and broken requests get the right error, quickly, and the server
// keeps serving everyone else: malformed JSON, wrong content type, huge bodies, depth / alias /
// directive / cost / token bombs, invalid UTF-8, deeply nested JSON, slow headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, post, run, tempDir, writeConfig, rawRequest } from './helpers.mjs';

const SDL = `
type Node { id: ID! name: String child: Node children: [Node!]! }
type Query { node: Node hello: String! }
`;

let srv;
before(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'schema.graphql'), SDL);
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ hello: 'hi', node: { id: '1', child: null, children: [] } }));
  const config = writeConfig({
    schema: [join(dir, 'schema.graphql')],
    static_data_file: join(dir, 'data.json'),
    http: { header_timeout_ms: 1000 },
  });
  srv = await startServer({ config });
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
});

async function stillServing() {
  const r = await post(srv.url, { query: '{ hello }' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { data: { hello: 'hi' } });
}

const GQL = { accept: 'application/graphql-response+json' };

async function expectLimit(query, pattern) {
  const started = Date.now();
  const legacy = await post(srv.url, { query });
  assert.equal(legacy.status, 200, legacy.text);
  assert.equal(legacy.body.data, undefined);
  assert.match(legacy.body.errors.map((e) => e.message).join('\n'), pattern);
  const modern = await post(srv.url, { query }, GQL);
  assert.equal(modern.status, 400, modern.text);
  assert.ok(Date.now() - started < 2000, 'limit errors must be fast');
  await stillServing();
}

test('malformed JSON: 400 with a clear message', async () => {
  for (const body of ['{ "not a JSON', '{"query": "{ hello }"} trailing', '', '[]', 'null', '"x"']) {
    const r = await post(srv.url, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
    assert.ok(r.body.errors[0].message.length > 0);
  }
  await stillServing();
});

test('wrong content type: 415', async () => {
  const res = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ hello }"}' });
  assert.equal(res.status, 415);
  await stillServing();
});

test('invalid UTF-8 in the body or the query string: 400', async () => {
  const bytes = Buffer.concat([Buffer.from('{"query":"{ hello } #'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  const res = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
  assert.equal(res.status, 400);
  assert.match((await res.json()).errors[0].message, /UTF-8/);
  const overlong = Buffer.concat([Buffer.from('{"query":"{ hello }'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  const r2 = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: overlong });
  assert.equal(r2.status, 400);
  const g = await fetch(`${srv.url}?query=%7Bhello%7D%23%FF`);
  assert.equal(g.status, 400);
  await stillServing();
});

test('huge body: 413 on HTTP/1.1; on HTTP/2 only that connection suffers', async () => {
  const big = JSON.stringify({ query: `{ hello } # ${'x'.repeat(2 * 1024 * 1024)}` });
  // Announced size over the limit: 413 before the body is read.
  const announced = await rawRequest(srv.port, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n{`);
  assert.match(announced, /^HTTP\/1.1 413/);
  // Chunked, so the size is only known while reading: 413 once past the limit (the client then stops).
  const chunk = big.slice(0, 1 << 20);
  const chunked = await rawRequest(srv.port, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n${chunk.length.toString(16)}\r\n${chunk.slice(0, 1000)}`);
  assert.match(chunked, /^HTTP\/1.1 413/);
  const dir = tempDir();
  writeFileSync(join(dir, 'big.json'), big);
  const h2 = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--http2-prior-knowledge',
    '-H', 'content-type: application/json', '--data-binary', `@${join(dir, 'big.json')}`, srv.url]);
  assert.notEqual(h2.stdout, '200');
  await stillServing();
});

test('NUL characters (\\u0000) in the request JSON: 400; an escaped backslash before u0000 is fine', async () => {
  const r = await post(srv.url, '{"query":"{ hello }\\u0000 { nope }"}');
  assert.equal(r.status, 400);
  assert.match(r.body.errors[0].message, /NUL/);
  const ok = await post(srv.url, '{"query":"{ hello } # \\\\u0000"}');
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body, { data: { hello: 'hi' } });
});

test('deeply nested JSON: 400, no crash', async () => {
  const deep = `{"query":"{ hello }","variables":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
  const r = await post(srv.url, deep);
  assert.equal(r.status, 400);
  await stillServing();
});

test('depth bomb', async () => {
  const q = `{ node ${'{ child '.repeat(20)}{ id }${' }'.repeat(20)} }`;
  await expectLimit(q, /Query depth limit of 12 exceeded, found 22\. \(server setting limits\.max_depth\)/);
});

test('alias bomb', async () => {
  const q = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: hello`).join(' ')} }`;
  await expectLimit(q, /Aliases limit of 15 exceeded, found 100\./);
});

test('directive bomb', async () => {
  const q = `{ hello ${'@include(if: true) '.repeat(60)} }`;
  await expectLimit(q, /Directives limit of 50 exceeded, found 60\./);
});

test('cost bomb (fragments that multiply)', async () => {
  let q = '{ node { ...F12 } } fragment F0 on Node { id name }';
  for (let i = 1; i <= 12; i++) q += ` fragment F${i} on Node { ...F${i - 1} ...F${i - 1} }`;
  await expectLimit(q, /Query Cost limit of 5000 exceeded, found \d+\./);
});

test('token bomb', async () => {
  const q = `{ ${'hello '.repeat(3000)} }`;
  const started = Date.now();
  const r = await post(srv.url, { query: q });
  assert.equal(r.status, 200);
  assert.match(r.body.errors[0].message, /Syntax Error: .*1000 tokens\. Parsing aborted\. \(server setting limits\.max_tokens\)$/);
  assert.ok(Date.now() - started < 2000);
  await stillServing();
});

test('field suggestions are hidden by default', async () => {
  const r = await post(srv.url, { query: '{ helo }' });
  assert.equal(r.body.errors[0].message, 'Cannot query field "helo" on type "Query".');
});

test('slow headers: the slow client is cut off, others are served meanwhile', async () => {
  const slow = [];
  for (let i = 0; i < 20; i++) {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    s.closedAt = null;
    s.on('close', () => (s.closedAt = Date.now()));
    s.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
    slow.push(s);
  }
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) await stillServing();
  assert.ok(Date.now() - t0 < 1000, 'fast clients were slowed down by slow ones');
  await new Promise((r) => setTimeout(r, 2500));
  for (const s of slow) {
    assert.ok(s.closedAt !== null, 'a slow client was not cut off by the header timeout');
    s.destroy();
  }
  await stillServing();
});

test('introspection can be turned off; suggestions on', async () => {
  const s = await startServer({ env: { GRAPHGATE_LIMITS_INTROSPECTION: 'false', GRAPHGATE_LIMITS_FIELD_SUGGESTIONS: 'true' } });
  try {
    const r = await post(s.url, { query: '{ __schema { queryType { name } } }' });
    assert.equal(r.status, 200);
    assert.equal(r.body.errors[0].message,
      'GraphQL introspection has been disabled, but the requested query contained the field "__schema".');
    const t = await post(s.url, { query: '{ __typename }' });
    assert.deepEqual(t.body, { data: { __typename: 'Query' } });
    const sug = await post(s.url, { query: '{ helo }' });
    assert.match(sug.body.errors[0].message, /Did you mean "hello"\?/);
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr());
  }
});
