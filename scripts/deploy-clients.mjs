// deploy-clients.mjs: the clients scripts/test-deploy.sh runs against the load balancer of
// deploy/compose.yaml (npm graphql-ws and ws from the repository's node_modules; post() of the
// integration tests' helpers).
//
//   node scripts/deploy-clients.mjs subscribe WS_URL API_KEY COUNT
//     opens a graphql-transport-ws connection, subscribes to onCreateTodo, prints "subscribed" once
//     the server has taken the subscription, then one line per event ("event <id>"); exits 0 after
//     COUNT events, 1 after 60 s without them or on any error.
//   node scripts/deploy-clients.mjs load HTTP_URL API_KEY SECONDS CONCURRENCY
//     CONCURRENCY loops post a query for SECONDS; a request fails when it does not answer 200 with
//     data and no errors (or the connection fails). Prints one JSON summary line {ok, failed,
//     first_failures}; exits 1 when any request failed or none succeeded.
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { post } from '../tests/integration/helpers.mjs';

const [mode, url, apiKey, ...rest] = process.argv.slice(2);

async function subscribe(count) {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': apiKey }, lazy: false, retryAttempts: 0 });
  const timer = setTimeout(() => {
    console.error(`subscribe: fewer than ${count} events in 60 s`);
    process.exit(1);
  }, 60000);
  let seen = 0;
  await new Promise((resolve, reject) => {
    client.on('connected', () => {
      // graphql-transport-ws does not acknowledge a subscribe: a short pause after it was sent lets
      // the server register it before the mutations that follow
      setTimeout(() => console.log('subscribed'), 500);
    });
    client.subscribe({ query: 'subscription { onCreateTodo { id name } }' }, {
      next: (value) => {
        if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
        console.log(`event ${value.data.onCreateTodo.id}`);
        if (++seen === count) resolve();
      },
      error: (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))),
      complete: () => reject(new Error('the subscription completed')),
    });
  });
  clearTimeout(timer);
  await client.dispose();
}

async function load(seconds, concurrency) {
  const body = JSON.stringify({ query: 'query Load { listTodos(limit: 5) { items { id } } }' });
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  const failures = [];
  async function loop() {
    while (Date.now() < until) {
      try {
        const r = await post(url, body, { 'x-api-key': apiKey });
        if (r.status === 200 && r.body?.data?.listTodos && !r.body.errors) ok++;
        else failures.push(`${new Date().toISOString()} ${r.status} ${r.text.slice(0, 200)}`);
      } catch (e) {
        failures.push(`${new Date().toISOString()} ${e.cause?.code || e.message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  console.log(JSON.stringify({ ok, failed: failures.length, first_failures: failures.slice(0, 5) }));
  process.exit(failures.length === 0 && ok > 0 ? 0 : 1);
}

if (mode === 'subscribe') {
  subscribe(Number(rest[0])).then(() => process.exit(0), (e) => {
    console.error(`subscribe: ${e.message}`);
    process.exit(1);
  });
} else if (mode === 'load') {
  load(Number(rest[0]), Number(rest[1]));
} else {
  console.error('usage: deploy-clients.mjs subscribe WS_URL API_KEY COUNT | load HTTP_URL API_KEY SECONDS CONCURRENCY');
  process.exit(2);
}
