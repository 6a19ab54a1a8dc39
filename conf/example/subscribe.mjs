#!/usr/bin/env node
// subscribe.mjs: a subscription to the example app with a real client, npm graphql-ws (the
// graphql-transport-ws protocol, on the GraphQL path), as a web or Node app would do it. Prints
// each event's data as one JSON line; "subscribed" on stderr once graphgate has the subscription.
//
//   node conf/example/subscribe.mjs [count]     stop after count events (default: run until Ctrl-C)
//   GG_URL=http://127.0.0.1:8080/graphql        where the example app listens (this is the default)
//   GG_API_KEY=...                              the credentials: the API key (build/example-api-key
//   GG_TOKEN=...                                is read when neither is set), or a JWT
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const url = (process.env.GG_URL || 'http://127.0.0.1:8080/graphql').replace(/^http/, 'ws');
const count = Number(process.argv[2] || 0);
function apiKey() {
  if (process.env.GG_API_KEY) return process.env.GG_API_KEY;
  const file = join(process.env.GG_EXAMPLE_DIR || join(root, 'build'), 'example-api-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    console.error(`subscribe: cannot read ${file} (${e.code}): run scripts/run-example.sh first, or set GG_API_KEY or GG_TOKEN`);
    process.exit(1);
  }
}
const credentials = process.env.GG_TOKEN ? { Authorization: process.env.GG_TOKEN } : { 'x-api-key': apiKey() };

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: credentials, retryAttempts: 0 });
const query = `subscription NewTodos {
  onCreateTodo { id name priority projectId owner }
}`;
let seen = 0;
const events = client.iterate({ query });
// graphgate answers a subscribe only with events; a short query on the same socket, answered after
// the subscribe was handled, says the subscription is in place.
setTimeout(async () => {
  for await (const r of client.iterate({ query: '{ __typename }' })) if (r.data) console.error('subscribed');
}, 100);
try {
  for await (const event of events) {
    console.log(JSON.stringify(event.errors ? event : event.data));
    if (count > 0 && ++seen >= count) break;
  }
} catch (e) {
  // graphql-ws rejects with the socket's CloseEvent when the server closes it (4403: credentials refused)
  const closed = e && typeof e.code === 'number' ? `the server closed the connection: ${e.code} ${e.reason}` : null;
  // nothing listens there: the example is not running, or runs on another address (GRAPHGATE_LISTEN)
  const refused = /ECONNREFUSED/.test(String(e && (e.message || e.code)))
    ? ` (is scripts/run-example.sh running? For an example started with GRAPHGATE_LISTEN, set GG_URL=http://<that address>/graphql)`
    : '';
  console.error(`subscribe: ${closed || e.message || JSON.stringify(e)}${refused}`);
  process.exitCode = 1;
}
await client.dispose();
