// realtime_client.mjs: an AppSync real-time client (subprotocol graphql-ws, appsync-compat.md §5.1)
// over a raw socket, for tests that check messages one by one (realtime_auth,
// datastore_subscriptions): the auth header object rides in Sec-WebSocket-Protocol as current
// Amplify JS sends it, and each start carries it again in extensions.authorization.
import WebSocket from 'ws';

const b64u = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');

// An acknowledged connection to wsBase + "/realtime" authorized with headers; every message is kept
// in seen; next(pred) waits for the first match (and takes it out of seen).
export async function appsyncClient(wsBase, headers) {
  const ws = new WebSocket(`${wsBase}/realtime`, ['graphql-ws', `header-${b64u({ host: 'localhost', ...headers })}`]);
  const seen = [];
  const waiters = [];
  const deliver = () => {
    for (let i = 0; i < waiters.length; i++) {
      const k = seen.findIndex(waiters[i].pred);
      if (k >= 0) {
        const [w] = waiters.splice(i--, 1);
        clearTimeout(w.timer);
        w.resolve(seen.splice(k, 1)[0]);
      }
    }
  };
  ws.on('message', (data) => {
    seen.push(JSON.parse(data.toString()));
    deliver();
  });
  await new Promise((res, rej) => {
    ws.on('open', res);
    ws.on('error', rej);
  });
  const next = (pred, ms = 5000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message; seen ${JSON.stringify(seen)}`)), ms);
      waiters.push({ pred, resolve, timer });
      deliver();
    });
  const send = (m) => ws.send(JSON.stringify(m));
  send({ type: 'connection_init' });
  await next((m) => m.type === 'connection_ack');
  // Resolves to the start_ack or the error that answers the start.
  const start = async (id, query, variables = {}) => {
    send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: { host: 'localhost', ...headers } } } });
    return next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));
  };
  const data = (id) => seen.filter((m) => m.type === 'data' && m.id === id).map((m) => m.payload);
  const close = async () => {
    const closed = new Promise((res) => ws.on('close', res));
    ws.close(1000);
    await closed;
  };
  return { next, start, data, close, seen };
}
