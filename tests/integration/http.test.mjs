// http.test.mjs: graphgate over real sockets: HTTP/1.1, h2c (prior knowledge and upgrade), TLS
// with ALPN h2, status codes and media types, CORS, health endpoints, access log, SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer, post, run, makeCertificate, rawRequest } from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
});

const Q = { query: '{ __typename hello }' };
const DATA = { data: { __typename: 'Query', hello: 'Hello from graphgate' } };

test('POST application/json answers 200 application/json with data', async () => {
  const r = await post(srv.url, Q);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json; charset=utf-8');
  assert.deepEqual(r.body, DATA);
});

test('Accept negotiates application/graphql-response+json', async () => {
  const cases = [
    ['application/graphql-response+json', 'application/graphql-response+json'],
    ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json'],
    ['application/json, application/graphql-response+json', 'application/json'],
    ['*/*', 'application/json'],
    ['application/graphql-response+json;q=0, application/json', 'application/json'],
    ['text/html', 'application/json'],
    ['application/json;q=0.5, application/graphql-response+json', 'application/graphql-response+json'],
    ['application/graphql-response+json;q=0.4, */*;q=0.8', 'application/json'],
  ];
  for (const [accept, want] of cases) {
    const r = await post(srv.url, Q, { accept });
    assert.equal(r.status, 200, accept);
    assert.equal(r.type, `${want}; charset=utf-8`, accept);
  }
});

test('variables, operationName and extensions are accepted', async () => {
  const r = await post(srv.url, {
    query: 'query A($n: Boolean!) { a: __typename @skip(if: $n) } query B($n: Boolean! = false) { hello @include(if: $n) }',
    operationName: 'B',
    variables: { n: true },
    extensions: { persistedQuery: null },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { data: { hello: 'Hello from graphgate' } });
});

// POSTs payload with node:http (which, unlike fetch, neither asks for nor undoes compression).
function rawPost(url, payload, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });
}

test('answers of http.gzip_min_bytes (1024) and more are gzipped for clients that accept it', async () => {
  const big = { query: '{ __schema { types { name fields { name } } } }' };
  const plain = await rawPost(srv.url, big);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.length >= 1024, `the introspection answer is ${plain.body.length} bytes`);
  const zipped = await rawPost(srv.url, big, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} bytes gzipped`);
  assert.deepEqual(JSON.parse(gunzipSync(zipped.body)), JSON.parse(plain.body));
  // smaller answers go as they are
  const small = await rawPost(srv.url, Q, { 'accept-encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.deepEqual(JSON.parse(small.body), DATA);
  // HTTP/2 too (curl --compressed undoes it and checks the length)
  const h2 = await run('curl', ['-sS', '--http2-prior-knowledge', '--compressed', '-D', '-', '-H', 'content-type: application/json',
    '--data', JSON.stringify(big), srv.url]);
  assert.match(h2.stdout, /^content-encoding: gzip\r$/m);
  assert.deepEqual(JSON.parse(h2.stdout.slice(h2.stdout.indexOf('\r\n\r\n') + 4)), JSON.parse(plain.body));
  // 0: never
  const off = await startServer({ env: { GRAPHGATE_HTTP_GZIP_MIN_BYTES: '0' } });
  try {
    assert.equal((await rawPost(off.url, big, { 'accept-encoding': 'gzip' })).headers['content-encoding'], undefined);
  } finally {
    assert.equal((await off.stop()).code, 0, off.stderr());
  }
});

test('automatic persisted queries: a hash alone after the query, over POST and GET; mismatches refused', async () => {
  // one thread: each thread keeps its own queries (a hash the other thread kept would be "not found")
  const s = await startServer({ env: { GRAPHGATE_THREADS: '1', GRAPHGATE_HTTP_PERSISTED_QUERIES: '2' } });
  try {
    const sha = (q) => createHash('sha256').update(q).digest('hex');
    const ext = (q, extra = {}) => ({ persistedQuery: { version: 1, sha256Hash: sha(q), ...extra } });
    const get = async (params) => {
      const u = new URL(s.url);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      const res = await fetch(u);
      return { status: res.status, body: await res.json() };
    };
    const NOT_FOUND = { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] };
    const q1 = 'query One($x: Boolean!) { hello @include(if: $x) }';
    // unknown hash: 200 with the error Apollo's and urql's links retry on
    let r = await post(s.url, { extensions: ext(q1), variables: { x: true } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, NOT_FOUND);
    // the query with its hash runs and is kept; then the hash alone runs it (variables of its own)
    r = await post(s.url, { query: q1, extensions: ext(q1), variables: { x: true } });
    assert.deepEqual(r.body, { data: { hello: 'Hello from graphgate' } });
    r = await post(s.url, { extensions: ext(q1), variables: { x: false } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: {} });
    assert.deepEqual(await get({ extensions: ext(q1), variables: { x: true } }), { status: 200, body: { data: { hello: 'Hello from graphgate' } } });
    // upper-case hex names the same query
    r = await post(s.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha(q1).toUpperCase() } }, variables: { x: true } });
    assert.deepEqual(r.body, { data: { hello: 'Hello from graphgate' } });
    // a kept mutation is still refused over GET
    const m = 'mutation { createTodo(input: {name: "x"}) { id } }';
    await post(s.url, { query: m, extensions: ext(m) });
    const viaGet = await get({ extensions: ext(m) });
    assert.equal(viaGet.status, 405);
    // refusals: 400 with what is wrong; nothing kept
    const bad = [
      [{ query: '{ __typename }', extensions: ext(q1) }, /^provided sha does not match query$/],
      [{ extensions: ext(q1, { version: 2 }) }, /Unsupported persisted query version/],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, /64 hexadecimal digits/],
      [{ extensions: { persistedQuery: { version: 1 } } }, /64 hexadecimal digits/],
      [{ extensions: { persistedQuery: 'x' } }, /must be an object/],
      [{ extensions: { persistedQuery: null } }, /"query" parameter is required/],
    ];
    for (const [payload, message] of bad) {
      r = await post(s.url, payload);
      assert.equal(r.status, 400, JSON.stringify(payload));
      assert.match(r.body.errors[0].message, message);
    }
    assert.deepEqual((await post(s.url, { extensions: ext('{ __typename }') })).body, NOT_FOUND);
    // at most http.persisted_queries (2) queries, the least recently used dropped first: q1 was used
    // after the mutation was kept, so a third query drops the mutation
    await post(s.url, { extensions: ext(q1), variables: { x: true } });
    const q3 = '{ __typename }';
    assert.deepEqual((await post(s.url, { query: q3, extensions: ext(q3) })).body, { data: { __typename: 'Query' } });
    assert.deepEqual((await post(s.url, { extensions: ext(q3) })).body, { data: { __typename: 'Query' } });
    assert.deepEqual((await post(s.url, { extensions: ext(q1), variables: { x: true } })).body, { data: { hello: 'Hello from graphgate' } });
    assert.deepEqual((await post(s.url, { extensions: ext(m) })).body, NOT_FOUND);
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr());
  }
  // off (0): a hash alone is told PersistedQueryNotSupported, a query with its hash runs as it is
  const off = await startServer({ env: { GRAPHGATE_HTTP_PERSISTED_QUERIES: '0' } });
  try {
    const q = '{ hello }';
    const hash = createHash('sha256').update(q).digest('hex');
    let r = await post(off.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].message, 'PersistedQueryNotSupported');
    assert.equal(r.body.errors[0].extensions.code, 'PERSISTED_QUERY_NOT_SUPPORTED');
    r = await post(off.url, { query: q, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    assert.deepEqual(r.body, { data: { hello: 'Hello from graphgate' } });
  } finally {
    const { code } = await off.stop();
    assert.equal(code, 0, off.stderr());
  }
});

test('GET runs queries from the query string', async () => {
  const u = new URL(srv.url);
  u.searchParams.set('query', 'query Q($x: Boolean!) { hello @include(if: $x) }');
  u.searchParams.set('variables', JSON.stringify({ x: true }));
  u.searchParams.set('operationName', 'Q');
  const res = await fetch(u);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { data: { hello: 'Hello from graphgate' } });
});

test('GET refuses mutations with 405 and Allow: POST', async () => {
  const u = new URL(srv.url);
  u.searchParams.set('query', 'mutation { createTodo(input: {name: "x"}) { id } }');
  const res = await fetch(u);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
  const body = await res.json();
  assert.match(body.errors[0].message, /mutation/);
});

test('request errors: status codes per media type', async () => {
  const gql = { accept: 'application/graphql-response+json' };
  // [payload, headers, status with application/json, status with graphql-response+json, has data]
  const cases = [
    ['{ "not json', 400, 400],
    [{ notquery: '{ __typename }' }, 400, 400],
    [{ query: 1 }, 400, 400],
    [{ query: '{ __typename }', variables: [1] }, 400, 400],
    [{ query: '{ __typename }', variables: 'x' }, 400, 400],
    [{ query: '{ __typename }', operationName: 3 }, 400, 400],
    [{ query: '{ __typename }', extensions: 'x' }, 400, 400],
    [{ query: '{' }, 200, 400],
    [{ query: '{ doesNotExist }' }, 200, 400],
    [{ query: 'query ($id: ID!) { __typename }', variables: { id: null } }, 200, 400],
    [{ query: '{ __typename }', operationName: 'Nope' }, 200, 400],
  ];
  for (const [payload, legacy, modern] of cases) {
    const a = await post(srv.url, payload);
    assert.equal(a.status, legacy, `application/json: ${JSON.stringify(payload)} -> ${a.text}`);
    assert.ok(Array.isArray(a.body.errors) && a.body.errors.length > 0, a.text);
    assert.equal(a.body.data, undefined, a.text);
    const b = await post(srv.url, payload, gql);
    assert.equal(b.status, modern, `graphql-response+json: ${JSON.stringify(payload)} -> ${b.text}`);
    assert.equal(b.type, 'application/graphql-response+json; charset=utf-8');
  }
});

test('a batch (a JSON array of operations) gets 400 saying that batching is not supported', async () => {
  const r = await post(srv.url, [Q, Q]);
  assert.equal(r.status, 400);
  assert.equal(r.body.errors[0].errorType, 'BadRequestException');
  assert.match(r.body.errors[0].message, /batched requests \(an array of operations\) are not supported; send one operation per request/);
  const scalar = await post(srv.url, 3);
  assert.equal(scalar.status, 400);
  assert.equal(scalar.body.errors[0].message, 'The request body must be a JSON object.');
});

test('POST without application/json gets 415; other methods 405', async () => {
  for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
    const headers = type ? { 'content-type': type } : {};
    const res = await fetch(srv.url, { method: 'POST', headers, body: JSON.stringify(Q) });
    assert.equal(res.status, 415, String(type));
  }
  const ok = await post(srv.url, Q, { 'content-type': 'application/json; charset=UTF-8' });
  assert.equal(ok.status, 200);
  const put = await fetch(srv.url, { method: 'PUT', body: '{}' });
  assert.equal(put.status, 405);
  assert.match(put.headers.get('allow'), /POST/);
});

test('empty body gets 400', async () => {
  const res = await fetch(srv.url, { method: 'POST', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 400);
});

test('field errors keep data and status 200', async () => {
  const r = await post(srv.url, { query: '{ getTodo(id: "t1") { id owner } }' });
  assert.equal(r.status, 200);
  assert.equal(r.body.data.getTodo.id, 't1');
});

test('subscriptions over HTTP are refused with a clear error', async () => {
  const r = await post(srv.url, { query: 'subscription { onCreateTodo { id } }' });
  assert.equal(r.status, 200);
  assert.equal(r.body.data, undefined);
  assert.match(r.body.errors[0].message, /WebSocket/);
});

test('CORS: allowed origins get headers, preflight answers 204', async () => {
  const origin = 'http://localhost:3000';
  const pre = await fetch(srv.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), origin);
  assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
  assert.match(pre.headers.get('access-control-allow-headers'), /x-api-key/);
  const r = await post(srv.url, Q, { origin });
  assert.equal(r.headers.get('access-control-allow-origin'), origin);
  const other = await post(srv.url, Q, { origin: 'https://evil.example' });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  // a preflight from an origin not allowed: the browser says only "CORS", so the log names the
  // origin and the setting, once
  const refuse = (o) => fetch(srv.url, { method: 'OPTIONS', headers: { origin: o, 'access-control-request-method': 'POST' } });
  const refused = await refuse('https://app.example');
  assert.equal(refused.status, 204);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  await refuse('https://other.example');
  await new Promise((r) => setTimeout(r, 100));
  assert.match(srv.stderr(), /CORS: refused the preflight of origin "https:\/\/app\.example": it is not in cors\.origins \(a browser app's origin must be listed there, or "\*"; GRAPHGATE_CORS_ORIGINS\); later refusals are not logged/);
  assert.doesNotMatch(srv.stderr(), /other\.example/);
});

test('/healthz and /readyz answer 200; unknown paths 404', async () => {
  const h = await fetch(`${srv.base}/healthz`);
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { status: 'ok' });
  const r = await fetch(`${srv.base}/readyz`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).schema, 'loaded');
  assert.equal((await fetch(`${srv.base}/nope`)).status, 404);
  assert.equal((await fetch(`${srv.url}/sub`)).status, 404);
});

test('curl: HTTP/1.1 keep-alive, h2c prior knowledge and h2c upgrade', async () => {
  const body = JSON.stringify(Q);
  const common = ['-s', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{http_version} %{http_code}\n', '-H', 'content-type: application/json', '--data-binary', body];
  const h1 = await run('curl', [...common, '--http1.1', srv.url, srv.url]);
  assert.equal(h1.stdout, '1.1 200\n1.1 200\n');
  const pk = await run('curl', [...common, '--http2-prior-knowledge', srv.url]);
  assert.equal(pk.stdout, '2 200\n');
  const up = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_version} %{http_code}\n', '--http2', `${srv.url}?query=%7Bhello%7D`]);
  assert.equal(up.stdout, '2 200\n');
  const full = await run('curl', ['-s', '--http2-prior-knowledge', '-H', 'content-type: application/json', '--data-binary', body, srv.url]);
  assert.deepEqual(JSON.parse(full.stdout), DATA);
});

test('access log: one JSON line per request with operation, status and duration', async () => {
  await post(srv.url, { query: 'query LogMe { hello }', operationName: 'LogMe' });
  await post(srv.url, { query: 'query LogMe { hello }' }); // the only operation: named from the document
  await new Promise((r) => setTimeout(r, 100));
  const lines = srv.stdout().trim().split('\n').map((l) => JSON.parse(l));
  const mine = lines.filter((l) => l.operation === 'LogMe');
  assert.equal(mine.length, 2);
  assert.equal(mine[0].status, 200);
  assert.equal(mine[0].path, '/graphql');
  assert.equal(typeof mine[0].duration_ms, 'number');
  // h2o's own errors (an oversized body) are logged too
  const big = await rawRequest(srv.port, 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{');
  assert.match(big, /^HTTP\/1.1 413/);
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(srv.stdout().trim().split('\n').some((l) => JSON.parse(l).status === 413));
});

test('TLS: ALPN negotiates h2, and http/1.1 on the same port', async () => {
  const { cert, key } = await makeCertificate();
  const s = await startServer({
    tls: true,
    env: { GRAPHGATE_TLS_LISTEN: '127.0.0.1:0', GRAPHGATE_TLS_CERT_FILE: cert, GRAPHGATE_TLS_KEY_FILE: key },
  });
  try {
    const common = ['-s', '-k', '-w', '\n%{http_version} %{http_code}', '-H', 'content-type: application/json', '--data-binary', JSON.stringify(Q)];
    const h2 = await run('curl', [...common, '--http2', s.tlsUrl]);
    const [b2, v2] = h2.stdout.split('\n');
    assert.equal(v2, '2 200');
    assert.deepEqual(JSON.parse(b2), DATA);
    const h1 = await run('curl', [...common, '--http1.1', s.tlsUrl]);
    assert.equal(h1.stdout.split('\n')[1], '1.1 200');
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr());
  }
});

test('SIGTERM: stops accepting, finishes an in-flight request, exits 0', async () => {
  const s = await startServer();
  // A slow client: headers sent, body not finished. SIGTERM arrives, then the body completes.
  const sock = net.connect(s.port, '127.0.0.1');
  await new Promise((r) => sock.on('connect', r));
  const body = JSON.stringify(Q);
  sock.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
  await new Promise((r) => setTimeout(r, 200));
  let reply = '';
  sock.on('data', (d) => (reply += d));
  s.proc.kill('SIGTERM');
  // New connections are refused once the listeners are closed (poll: the signal takes a moment).
  const connects = () => new Promise((r) => {
    const c = net.connect(s.port, '127.0.0.1');
    c.on('error', () => r(false));
    c.on('connect', () => { c.destroy(); r(true); });
  });
  let refused = false;
  for (let i = 0; i < 100 && !refused; i++) {
    refused = !(await connects());
    if (!refused) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(refused, 'listener still accepting after SIGTERM');
  sock.write(body.slice(5));
  const { code } = await s.exited;
  assert.equal(code, 0, s.stderr());
  assert.match(reply, /^HTTP\/1.1 200/);
  assert.match(reply, /Hello from graphgate/);
  assert.match(s.stderr(), /SIGTERM received, draining/);
});

test('the GraphQL path is configurable; /readyz reports an unreachable database', async () => {
  const s = await startServer({
    env: { GRAPHGATE_GRAPHQL_PATH: '/api/graphql', GRAPHGATE_DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
  });
  try {
    assert.match(s.url, /\/api\/graphql$/);
    const r = await post(s.url, Q);
    assert.deepEqual(r.body, DATA);
    assert.equal((await post(`${s.base}/graphql`, Q)).status, 404);
    const ready = await fetch(`${s.base}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).database, 'unreachable');
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
  } finally {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr());
  }
});

test('graphql-js getIntrospectionQuery passes the default limits and builds a client schema', async () => {
  const { getIntrospectionQuery, buildClientSchema, printSchema } = await import('graphql');
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
    schemaDescription: true, inputValueDeprecation: true });
  const r = await post(srv.url, { query });
  assert.equal(r.status, 200);
  assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
  const sdl = printSchema(buildClientSchema(r.body.data));
  assert.match(sdl, /listTodos\(limit: Int = 20, nextToken: String\): TodoConnection!/);
});
