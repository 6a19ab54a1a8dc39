// app.mjs: a Gen 2 app in Node, as its developer writes it, for gen2_client.test.mjs: it configures
// Amplify with the amplify_outputs.json named by its argument (an https:// endpoint; the process is
// started with NODE_EXTRA_CA_CERTS for graphgate's test certificate, nothing else is changed),
// subscribes with client.models.Todo.onCreate and observeQuery, creates records, and prints what
// it saw as one JSON line: { created: [...contents], events: [...contents], snapshots: [...] }.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

// Node before 22 has no global WebSocket, which Amplify's subscriptions use (README).
globalThis.WebSocket ??= WebSocket;
const { Amplify } = await import('aws-amplify');
const { generateClient } = await import('aws-amplify/data');
Amplify.configure(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const client = generateClient();
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

const created = [];
const events = [];
const errors = [];
const sub = client.models.Todo.onCreate({ filter: { content: { beginsWith: 'tls ' } } })
  .subscribe({ next: (t) => events.push(t.content), error: (e) => errors.push(JSON.stringify(e)) });
// The subscription goes live asynchronously: create until its first event arrives.
for (let i = 0; i < 40 && events.length === 0; i++) {
  const { data, errors: failed } = await client.models.Todo.create({ content: `tls ${i}` });
  if (failed) errors.push(JSON.stringify(failed));
  else created.push(data.content);
  await wait(150);
}
const snapshots = [];
const observed = client.models.Todo.observeQuery({ filter: { content: { beginsWith: 'tls ' } } })
  .subscribe({ next: (s) => snapshots.push({ items: s.items.length, isSynced: s.isSynced }), error: (e) => errors.push(JSON.stringify(e)) });
for (let i = 0; i < 100 && !snapshots.some((s) => s.isSynced); i++) await wait(50);
sub.unsubscribe();
observed.unsubscribe();
process.stdout.write(`${JSON.stringify({ created, events, snapshots, errors })}\n`);
// Amplify's realtime provider leaves a 15 s timer running after its handshake; an app lives on anyway.
process.exit(0);
