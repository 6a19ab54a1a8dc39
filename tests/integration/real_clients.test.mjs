// real_clients.test.mjs: the two GraphQL clients most apps use outside Amplify, Apollo Client
// (npm @apollo/client 4, with rxjs) and urql (npm @urql/core), against the real graphgate binary
// serving an @model schema over the PostgreSQL of scripts/test.sh, as an app configured for an
// AppSync endpoint uses them: an API key in x-api-key, and for the owner-only model an OIDC token
// (HS256, signed here) in Authorization. What is checked is what the app sees: the data of
// queries (variables, fragments, the __typename the clients add), Apollo's normalized cache
// (a mutation's answer updates a query cached before, which needs id and __typename right),
// fetchPolicy network-only, errors as Apollo reports them (with AppSync's errorType), urql's
// queries over GET and its document cache invalidated by a mutation's __typename, subscriptions
// through Apollo's GraphQLWsLink and urql's subscriptionExchange (the graphql-ws client,
// subprotocol graphql-transport-ws at /graphql), and Apollo's persisted-query link (automatic
// persisted queries: the hash alone once graphgate has the query, over POST or GET). The server runs
// one thread: each thread keeps its own persisted queries, so the link's requests are predictable.
// Its own tables (gg_it_rc_*, via @refersTo); skipped without a database.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient as createWsClient } from 'graphql-ws';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client as UrqlClient, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { apiKeyAndOidcEnv, hs256Token, run, startModelServer, tempDir } from './helpers.mjs';

// GraphQLWsLink reads the global WebSocket when graphql-ws reports an error; Node 22 has one, Node
// 20 not (there the link itself throws ReferenceError), so apps on Node 20 install ws's, as here.
globalThis.WebSocket ??= WebSocket;

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;

const ISSUER = 'https://issuer.graphgate.test';
const API_KEY = `da2-${randomBytes(13).toString('hex')}`;
const hsSecret = randomBytes(32).toString('hex');
const KEY = { 'x-api-key': API_KEY };
const bearer = (sub, username) => ({ authorization: hs256Token(hsSecret, { iss: ISSUER, sub, username }) });
const ALICE = bearer('user-alice', 'alice');
const BOB = bearer('user-bob', 'bob');

const SCHEMA = `
type Post @model @refersTo(name: "gg_it_rc_post") @auth(rules: [{ allow: public }]) {
  id: ID!
  title: String!
  votes: Int
  comments: [Comment] @hasMany(references: ["postId"])
}
type Comment @model @refersTo(name: "gg_it_rc_comment") @auth(rules: [{ allow: public }]) {
  id: ID!
  postId: ID
  post: Post @belongsTo(references: ["postId"])
  text: String!
}
type Memo @model @refersTo(name: "gg_it_rc_memo") @auth(rules: [{ allow: owner, provider: oidc }]) {
  id: ID!
  text: String!
  owner: String
}
`;
const TABLES = 'gg_it_rc_comment, gg_it_rc_post, gg_it_rc_memo';
const psql = (sql) => run('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

const POST_FIELDS = gql`
  fragment PostFields on Post { id title votes }
`;
const GET_POST = gql`
  query GetPost($id: ID!) {
    getPost(id: $id) { ...PostFields comments { items { ...CommentFields } nextToken } }
  }
  fragment CommentFields on Comment { id text }
  ${POST_FIELDS}
`;
const CREATE_POST = gql`
  mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { ...PostFields } }
  ${POST_FIELDS}
`;
const UPDATE_POST = gql`
  mutation UpdatePost($input: UpdatePostInput!, $condition: ModelPostConditionInput) {
    updatePost(input: $input, condition: $condition) { id votes }
  }
`;
const ON_CREATE_POST = gql`subscription OnCreatePost { onCreatePost { ...PostFields } } ${POST_FIELDS}`;

let srv;
let wsUrl;
const wsClients = [];
const apolloClients = [];

before(async () => {
  if (skip) return;
  const dir = tempDir();
  writeFileSync(join(dir, 'hs.secret'), `${hsSecret}\n`);
  writeFileSync(join(dir, 'api-keys'), `${API_KEY}\n`);
  srv = await startModelServer({
    schema: SCHEMA,
    tables: TABLES,
    dbUrl,
    env: {
      ...apiKeyAndOidcEnv({ dbUrl, plan: 'rows', apiKeysFile: join(dir, 'api-keys'), issuer: ISSUER, secretFile: join(dir, 'hs.secret') }),
      GRAPHGATE_THREADS: '1',
    },
  });
  wsUrl = srv.url.replace('http://', 'ws://');
});

after(async () => {
  for (const c of apolloClients) c.stop();
  for (const c of wsClients) await c.dispose();
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, `graphgate exited with ${code}:\n${srv.stderr()}`);
  }
  if (!skip) await psql(`DROP TABLE IF EXISTS ${TABLES} CASCADE`);
});

// A graphql-ws client (graphql-transport-ws) for the links and exchanges, closed after the tests.
function wsClient(headers) {
  const c = createWsClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: headers, retryAttempts: 0 });
  wsClients.push(c);
  return c;
}

// An Apollo Client as apps set it up: HttpLink for queries and mutations, GraphQLWsLink for
// subscriptions, InMemoryCache. `requests` records each HTTP request the link makes.
function apollo(headers, { link: extra } = {}) {
  const requests = [];
  const fetchSpy = async (uri, init) => {
    requests.push({ method: init.method, body: init.body ? JSON.parse(init.body) : undefined, uri });
    return fetch(uri, init);
  };
  const http = new HttpLink({ uri: srv.url, headers, fetch: fetchSpy });
  const ws = new GraphQLWsLink(wsClient(headers));
  const isSubscription = ({ query }) => {
    const d = getMainDefinition(query);
    return d.kind === 'OperationDefinition' && d.operation === 'subscription';
  };
  const link = split(isSubscription, ws, extra ? extra.concat(http) : http);
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  apolloClients.push(client);
  return { client, requests };
}

// The rejection of a promise the app awaits.
async function rejection(promise) {
  const outcome = await promise.then((r) => ({ accepted: r }), (e) => ({ error: e }));
  assert.equal(outcome.accepted, undefined, `accepted: ${JSON.stringify(outcome.accepted)}`);
  return outcome.error;
}

// Collects the values of an Observable (rxjs's, or graphql-ws's sink) until `count` arrived.
function collect(subscribeFn, count, timeoutMs = 5000) {
  const got = [];
  let done;
  const arrived = new Promise((r) => (done = r));
  const unsubscribe = subscribeFn({
    next: (v) => {
      got.push(v);
      if (got.length >= count) done();
    },
    error: (e) => {
      got.push({ error: e });
      done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  return { got, arrived: arrived.then(() => clearTimeout(timer)), unsubscribe };
}

describe('Apollo Client', { skip }, () => {
  test('a query with variables and fragments, then a mutation whose answer updates the cached query', async () => {
    const { client, requests } = apollo(KEY);
    const created = await client.mutate({ mutation: CREATE_POST, variables: { input: { id: 'rc-post-1', title: 'Hello Apollo', votes: 1 } } });
    assert.deepEqual(created.data, { createPost: { __typename: 'Post', id: 'rc-post-1', title: 'Hello Apollo', votes: 1 } });
    await psql(`INSERT INTO gg_it_rc_comment (id, "postId", text, "createdAt", "updatedAt") VALUES ('rc-c-1', 'rc-post-1', 'first!', now(), now())`);

    const q = await client.query({ query: GET_POST, variables: { id: 'rc-post-1' } });
    assert.equal(q.error, undefined);
    assert.deepEqual(q.data, { getPost: { __typename: 'Post', id: 'rc-post-1', title: 'Hello Apollo', votes: 1,
      comments: { __typename: 'ModelCommentConnection', items: [{ __typename: 'Comment', id: 'rc-c-1', text: 'first!' }], nextToken: null } } });
    // normalized: one Post entity (the mutation's and the query's), one Comment
    const cache = client.cache.extract();
    assert.deepEqual(cache['Post:rc-post-1'].title, 'Hello Apollo');
    assert.deepEqual(cache['Comment:rc-c-1'], { __typename: 'Comment', id: 'rc-c-1', text: 'first!' });
    assert.deepEqual(cache.ROOT_QUERY['getPost({"id":"rc-post-1"})'], { __ref: 'Post:rc-post-1' });

    const sent = requests.length;
    const updated = await client.mutate({ mutation: UPDATE_POST, variables: { input: { id: 'rc-post-1', votes: 2 } } });
    assert.deepEqual(updated.data, { updatePost: { __typename: 'Post', id: 'rc-post-1', votes: 2 } });
    // The query answers from the cache (no request) with the mutation's votes.
    const again = await client.query({ query: GET_POST, variables: { id: 'rc-post-1' } });
    assert.equal(requests.length, sent + 1, 'only the mutation went to the server');
    assert.equal(again.data.getPost.votes, 2);
    assert.equal(again.data.getPost.title, 'Hello Apollo');
    assert.equal(client.readQuery({ query: GET_POST, variables: { id: 'rc-post-1' } }).getPost.votes, 2);
  });

  test('fetchPolicy network-only reads past the cache', async () => {
    const { client, requests } = apollo(KEY);
    const first = await client.query({ query: GET_POST, variables: { id: 'rc-post-1' } });
    assert.equal(first.data.getPost.title, 'Hello Apollo');
    const r = await psql(`UPDATE gg_it_rc_post SET title = 'Changed behind the cache' WHERE id = 'rc-post-1'`);
    assert.equal(r.code, 0, r.stderr);
    const cached = await client.query({ query: GET_POST, variables: { id: 'rc-post-1' } });
    assert.equal(cached.data.getPost.title, 'Hello Apollo');
    assert.equal(requests.length, 1);
    const fresh = await client.query({ query: GET_POST, variables: { id: 'rc-post-1' }, fetchPolicy: 'network-only' });
    assert.equal(fresh.data.getPost.title, 'Changed behind the cache');
    assert.equal(requests.length, 2);
    // and the cache holds what the network said
    assert.equal(client.readQuery({ query: GET_POST, variables: { id: 'rc-post-1' } }).getPost.title, 'Changed behind the cache');
  });

  test('GraphQL errors reach the app as CombinedGraphQLErrors with AppSync\'s errorType', async () => {
    const { client } = apollo(KEY);
    // a failing condition
    const failed = await rejection(client.mutate({ mutation: UPDATE_POST,
      variables: { input: { id: 'rc-post-1', votes: 3 }, condition: { votes: { eq: 100 } } } }));
    assert.ok(CombinedGraphQLErrors.is(failed), `${failed?.name}: ${failed?.message}`);
    assert.equal(failed.errors.length, 1);
    assert.equal(failed.errors[0].errorType, 'DynamoDB:ConditionalCheckFailedException');
    assert.deepEqual(failed.errors[0].path, ['updatePost']);
    // the API key may not read the owner-only model
    const denied = await rejection(client.query({ query: gql`query { listMemos { items { id } } }` }));
    assert.ok(CombinedGraphQLErrors.is(denied), `${denied?.name}: ${denied?.message}`);
    assert.equal(denied.errors[0].errorType, 'Unauthorized');
    assert.equal(denied.errors[0].message, 'Not Authorized to access listMemos on type Query');
    // a query the schema does not validate (400 with application/graphql-response+json)
    const invalid = await rejection(client.query({ query: gql`query V { getPost(id: "rc-post-1") { id titel } }` }));
    assert.ok(CombinedGraphQLErrors.is(invalid), `${invalid?.name}: ${invalid?.message}`);
    assert.match(invalid.errors[0].message, /Cannot query field "titel" on type "Post"/);
    assert.equal(invalid.errors[0].errorType, undefined); // graphql-js's shape (README: the engine answers like graphql-js 16)
    // a subscription the API key may not make, over GraphQLWsLink
    const refusedSub = collect((o) => {
      const sub = client.subscribe({ query: gql`subscription { onCreateMemo { id } }` }).subscribe(o);
      return () => sub.unsubscribe();
    }, 1);
    await refusedSub.arrived;
    assert.equal(refusedSub.got.length, 1, JSON.stringify(refusedSub.got));
    const subError = refusedSub.got[0].error;
    assert.ok(CombinedGraphQLErrors.is(subError), `${subError?.name}: ${subError?.message}`);
    assert.equal(subError.errors[0].errorType, 'Unauthorized');
    // errorPolicy all: the data and the errors together
    const both = await client.query({ query: gql`query B { getPost(id: "rc-post-1") { id votes } listMemos { items { id } } }`,
      errorPolicy: 'all' });
    assert.deepEqual(both.data.getPost, { __typename: 'Post', id: 'rc-post-1', votes: 2 });
    assert.equal(both.data.listMemos, null);
    assert.ok(CombinedGraphQLErrors.is(both.error));
    assert.equal(both.error.errors[0].errorType, 'Unauthorized');
  });

  test('an owner-only model with an OIDC token: each owner sees only their rows, in their own cache', async () => {
    const alice = apollo(ALICE).client;
    const bob = apollo(BOB).client;
    const CREATE_MEMO = gql`mutation C($input: CreateMemoInput!) { createMemo(input: $input) { id text owner } }`;
    const LIST_MEMOS = gql`query L { listMemos { items { id text owner } } }`;
    const memo = (await alice.mutate({ mutation: CREATE_MEMO, variables: { input: { id: 'rc-memo-a', text: 'alice only' } } })).data.createMemo;
    assert.equal(memo.__typename, 'Memo');
    assert.equal(memo.owner, 'alice'); // stored "user-alice::alice" (the default identityClaim sub::username), read as its last part
    const mine = await alice.query({ query: LIST_MEMOS });
    assert.deepEqual(mine.data.listMemos.items.map((m) => m.id), ['rc-memo-a']);
    assert.equal(alice.cache.extract()['Memo:rc-memo-a'].text, 'alice only');
    const theirs = await bob.query({ query: LIST_MEMOS });
    assert.deepEqual(theirs.data.listMemos.items, []);
    const refused = await rejection(bob.mutate({ mutation: gql`mutation U { updateMemo(input: { id: "rc-memo-a", text: "bob was here" }) { id text } }` }));
    assert.ok(CombinedGraphQLErrors.is(refused), `${refused?.name}: ${refused?.message}`);
    assert.equal(refused.errors[0].errorType, 'Unauthorized');

    // over GraphQLWsLink with the token in connectionParams: only the owner hears of the new row
    const ON_CREATE_MEMO = gql`subscription S { onCreateMemo { id text owner } }`;
    const watch = (client) => collect((o) => {
      const sub = client.subscribe({ query: ON_CREATE_MEMO }).subscribe(o);
      return () => sub.unsubscribe();
    }, 1, 1500);
    const aliceEvents = watch(alice);
    const bobEvents = watch(bob);
    await wait(300);
    await alice.mutate({ mutation: CREATE_MEMO, variables: { input: { id: 'rc-memo-b', text: 'second' } } });
    await Promise.all([aliceEvents.arrived, bobEvents.arrived]);
    aliceEvents.unsubscribe();
    bobEvents.unsubscribe();
    assert.deepEqual(aliceEvents.got.map((e) => e.data), [{ onCreateMemo: { __typename: 'Memo', id: 'rc-memo-b', text: 'second', owner: 'alice' } }]);
    assert.deepEqual(bobEvents.got, []);
  });

  test('a subscription through GraphQLWsLink receives a mutation\'s event, written to the cache', async () => {
    const { client } = apollo(KEY);
    const events = collect((o) => {
      const s = client.subscribe({ query: ON_CREATE_POST }).subscribe(o);
      return () => s.unsubscribe();
    }, 1);
    await wait(300); // the subscribe message follows the connection's ack
    const other = apollo(KEY).client;
    await other.mutate({ mutation: CREATE_POST, variables: { input: { id: 'rc-post-ws', title: 'Over the socket', votes: 7 } } });
    await events.arrived;
    events.unsubscribe();
    assert.equal(events.got.length, 1, JSON.stringify(events.got));
    assert.deepEqual(events.got[0].data, { onCreatePost: { __typename: 'Post', id: 'rc-post-ws', title: 'Over the socket', votes: 7 } });
    assert.equal(events.got[0].error, undefined);
    assert.equal(client.cache.extract()['Post:rc-post-ws'].title, 'Over the socket');
  });

  // Automatic persisted queries: the link sends the hash alone, is told PersistedQueryNotFound the
  // first time, sends the query with its hash (kept then), and from then on the hash alone runs it.
  for (const useGETForHashedQueries of [false, true]) {
    test(`the persisted-query link (${useGETForHashedQueries ? 'hashes over GET' : 'POST'}): the query once, then its hash alone`, async () => {
      const sha256 = (text) => createHash('sha256').update(text).digest('hex');
      const { client, requests } = apollo(KEY, { link: new PersistedQueryLink({ sha256, useGETForHashedQueries }) });
      const hashOnly = (req) => {
        const params = useGETForHashedQueries ? new URL(req.uri).searchParams : null;
        assert.equal(req.method, useGETForHashedQueries ? 'GET' : 'POST');
        assert.equal(useGETForHashedQueries ? params.get('query') : req.body.query, useGETForHashedQueries ? null : undefined);
        return useGETForHashedQueries ? JSON.parse(params.get('extensions')).persistedQuery : req.body.extensions.persistedQuery;
      };
      // a query of each run's own: one the other run kept would skip the not-found step
      const query = gql`query Votes${useGETForHashedQueries ? 'Get' : 'Post'}($id: ID!) { getPost(id: $id) { id votes } }`;
      const r = await client.query({ query, variables: { id: 'rc-post-1' } });
      assert.equal(r.error, undefined);
      assert.equal(r.data.getPost.id, 'rc-post-1');
      // the hash alone first (not found), then the query with its hash (POST: it may be large)
      assert.equal(requests.length, 2);
      const hash = hashOnly(requests[0]);
      assert.equal(hash.version, 1);
      assert.equal(requests[1].method, 'POST');
      assert.equal(typeof requests[1].body.query, 'string');
      assert.equal(requests[1].body.extensions.persistedQuery.sha256Hash, hash.sha256Hash);
      // the next time, the hash alone gets the data, here for another post
      const again = await client.query({ query, variables: { id: 'rc-post-ws' }, fetchPolicy: 'network-only' });
      assert.equal(again.error, undefined);
      assert.equal(again.data.getPost.id, 'rc-post-ws');
      assert.equal(requests.length, 3);
      assert.equal(hashOnly(requests[2]).sha256Hash, hash.sha256Hash);
    });
  }
});

describe('urql', { skip }, () => {
  // An urql Client as apps set it up: document cache, fetch (queries as GET), graphql-ws for
  // subscriptions. `requests` records each HTTP request.
  function urql(headers) {
    const requests = [];
    const ws = wsClient(headers);
    const client = new UrqlClient({
      url: srv.url,
      preferGetMethod: true,
      fetchOptions: { headers },
      fetch: async (uri, init) => {
        requests.push({ method: init.method ?? 'GET', uri: String(uri) });
        return fetch(uri, init);
      },
      exchanges: [cacheExchange, fetchExchange, subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      })],
    });
    return { client, requests };
  }
  const GET = `query GetPost($id: ID!) { getPost(id: $id) { ...PostFields } } fragment PostFields on Post { id title votes }`;

  test('queries go as GET; a mutation goes as POST and invalidates the cached query by __typename', async () => {
    const { client, requests } = urql(KEY);
    const q = await client.query(GET, { id: 'rc-post-1' }).toPromise();
    assert.equal(q.error, undefined, q.error?.message);
    assert.deepEqual(q.data, { getPost: { __typename: 'Post', id: 'rc-post-1', title: 'Changed behind the cache', votes: 2 } });
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'GET');
    assert.match(requests[0].uri, /\?query=/);
    // from the cache
    const cached = await client.query(GET, { id: 'rc-post-1' }).toPromise();
    assert.equal(cached.data.getPost.votes, 2);
    assert.equal(requests.length, 1);

    const m = await client.mutation(`mutation U($input: UpdatePostInput!) { updatePost(input: $input) { id votes } }`,
      { input: { id: 'rc-post-1', votes: 10 } }).toPromise();
    assert.equal(m.error, undefined, m.error?.message);
    assert.deepEqual(m.data, { updatePost: { __typename: 'Post', id: 'rc-post-1', votes: 10 } });
    assert.equal(requests[1].method, 'POST');
    // the mutation's Post invalidated the cached query: the next read goes to the server
    const after = await client.query(GET, { id: 'rc-post-1' }).toPromise();
    assert.equal(after.data.getPost.votes, 10);
    assert.equal(requests.length, 3);
    assert.equal(requests[2].method, 'GET');
  });

  test('a GraphQL error reaches the app as CombinedError with AppSync\'s errorType', async () => {
    const { client } = urql(KEY);
    const r = await client.query(`query { listMemos { items { id } } }`, {}).toPromise();
    assert.ok(r.error, 'no error');
    assert.equal(r.error.graphQLErrors.length, 1);
    assert.equal(r.error.graphQLErrors[0].message, 'Not Authorized to access listMemos on type Query');
    // urql keeps the error as the server sent it in originalError
    assert.equal(r.error.graphQLErrors[0].originalError.errorType, 'Unauthorized');
    assert.equal(r.data.listMemos, null);
  });

  test('a subscription through subscriptionExchange (graphql-ws) receives a mutation\'s event', async () => {
    const { client } = urql(KEY);
    const events = collect((o) => {
      const s = client.subscription(`subscription S { onUpdatePost { id votes } }`, {}).subscribe((r) => o.next(r));
      return () => s.unsubscribe();
    }, 1);
    await wait(300);
    const m = await client.mutation(`mutation U($input: UpdatePostInput!) { updatePost(input: $input) { id votes } }`,
      { input: { id: 'rc-post-1', votes: 11 } }).toPromise();
    assert.equal(m.error, undefined, m.error?.message);
    await events.arrived;
    events.unsubscribe();
    assert.equal(events.got.length, 1);
    assert.equal(events.got[0].error, undefined, events.got[0].error?.message);
    // urql adds __typename to queries and mutations only
    assert.deepEqual(events.got[0].data, { onUpdatePost: { id: 'rc-post-1', votes: 11 } });
  });
});
