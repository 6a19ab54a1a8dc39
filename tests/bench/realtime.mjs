// realtime.mjs: the load generator of realtime.sh (issue 11's benchmark); one process, three modes.
//
//   node realtime.mjs echo-server PORT
//       a `ws` echo server on 127.0.0.1:PORT (the floor: what a websocket round trip costs here)
//   node realtime.mjs echo --url ws://127.0.0.1:PORT --connections 100 --rate 10000 --seconds 5
//       round trips through the echo server at the benchmark's rate and burst pattern (every tick
//       one message on each connection, as a mutation reaches every subscriber of a room at once);
//       prints one JSON line {p50, p99, rate, ...} (milliseconds)
//   node realtime.mjs subscribe --graphql http://127.0.0.1:P1/graphql,http://127.0.0.1:P2/graphql
//                               --pids PID1,PID2 [--subscribers 10000] [--rooms 100]
//                               [--deliveries 10000] [--seconds 10] [--warmup 2] [--drain 3]
//                               [--protocol mixed|appsync|transport] [--floor-p50 MS --floor-p99 MS]
//       the benchmark itself, against one or more graphgate instances (one URL and pid each):
//       - subscriber i listens to room i % rooms; the subscribers of a room are spread evenly over
//         the instances, the two protocols (AppSync's `graphql-ws` at <graphql>/realtime and
//         graphql-transport-ws at <graphql>, unless --protocol picks one) and the two kinds of
//         filter (the v2 `filter: {roomId: {eq: room}}` of onCreateMessage, and the classic
//         argument of onRoomMessage(roomId:)), all through variables as Amplify sends them;
//       - memory: each instance's VmRSS (/proc/PID/status) after a warm-up (a connection of each
//         kind, one event) and again once every subscription is confirmed (AppSync: start_ack;
//         graphql-transport-ws: the pong of a ping sent after subscribe) and idle for a second:
//         growth / the instance's connections is the memory per idle subscribed connection;
//       - load: createMessage mutations at a steady rate (deliveries/s / subscribers per room), open
//         loop (each sent at its time, whatever is in flight), rooms in turn, instances in turn;
//         the first --warmup seconds are not counted;
//       - latency of a delivery: its arrival (the message event) minus the arrival of its mutation's
//         HTTP response (negative when the event came first); also from the mutation's sending;
//       - after the last mutation, up to --drain seconds for the late deliveries; those still absent
//         are counted as missing, per instance the event was published on and delivered to (with
//         several instances and no bus between them, the other instances' subscribers miss it).
// Subscriptions are raw `ws` sockets speaking the protocols frame by frame (no client library, so
// that the client's own cost stays small next to the server's).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';

const [mode, ...rest] = process.argv.slice(2);
const opts = {};
for (let i = 0; i < rest.length; i++) {
  if (rest[i].startsWith('--')) opts[rest[i].slice(2)] = rest[++i];
  else opts._ = [...(opts._ || []), rest[i]];
}
const num = (name, dflt) => (opts[name] !== undefined ? Number(opts[name]) : dflt);
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(values) {
  const s = Float64Array.from(values).sort();
  return { n: s.length, p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s.length ? s[s.length - 1] : NaN };
}

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');

// ---- the floor: a ws echo server and its round trips ----

async function echo() {
  const url = opts.url;
  const connections = num('connections', 100);
  const rate = num('rate', 10000);
  const seconds = num('seconds', 5);
  const warmup = num('warmup', 1);
  const sockets = await Promise.all(
    Array.from({ length: connections }, () => new Promise((res, rej) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.on('open', () => res(ws));
      ws.on('error', rej);
    })),
  );
  const rtts = [];
  let counting = false;
  for (const ws of sockets) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (counting || m.counted) rtts.push(now() - m.t);
    });
  }
  const interval = (1000 * connections) / rate; // one burst over every connection per tick
  const start = now();
  let tick = 0;
  const end = start + (warmup + seconds) * 1000;
  let sent = 0;
  while (now() < end) {
    const due = start + tick * interval;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    const counted = now() >= start + warmup * 1000;
    for (const ws of sockets) {
      ws.send(JSON.stringify({ t: now(), counted, pad: 'x'.repeat(80) }));
      if (counted) sent++;
    }
    tick++;
  }
  await sleep(500);
  for (const ws of sockets) ws.terminate();
  const s = summary(rtts);
  console.log(JSON.stringify({ p50: s.p50, p99: s.p99, max: s.max, sent, received: s.n, rate: s.n / seconds }));
}

// ---- the benchmark ----

// utime + stime of a process (all its threads), in milliseconds
function cpuMs(pid) {
  const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const FILTER_DOC =
  'subscription OnRoomFilter($f: ModelSubscriptionMessageFilterInput) { onCreateMessage(filter: $f) { id roomId body } }';
const CLASSIC_DOC = 'subscription OnRoom($roomId: String) { onRoomMessage(roomId: $roomId) { id roomId body } }';
const MUTATION = 'mutation Send($input: CreateMessageInput!) { createMessage(input: $input) { id } }';

// One subscribed connection; onEvent(seq, arrival) for each delivery, onGone when it closes, onWrong
// for an event of another room or without the subscription's field.
function openSubscriber({ graphql, protocol, room, filter, onEvent, onGone, onWrong = () => {} }) {
  return new Promise((resolve, reject) => {
    const appsync = protocol === 'appsync';
    const base = graphql.replace(/^http/, 'ws');
    const url = appsync ? `${base}/realtime` : base;
    const header = Buffer.from(JSON.stringify({ host: '127.0.0.1' })).toString('base64url');
    const protocols = appsync ? ['graphql-ws', `header-${header}`] : ['graphql-transport-ws'];
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
    const query = filter ? FILTER_DOC : CLASSIC_DOC;
    const variables = filter ? { f: { roomId: { eq: room } } } : { roomId: room };
    let ready = false;
    let failed = false; // an error is followed by a close: counted once
    const fail = (why) => {
      if (failed) return;
      failed = true;
      if (!ready) reject(new Error(`${protocol} subscriber of ${room}: ${why}`));
      else onGone(why);
    };
    ws.on('error', (e) => fail(e.message));
    ws.on('close', (code, reason) => fail(`closed ${code} ${reason}`));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.on('message', (data) => {
      const arrival = now();
      const m = JSON.parse(data.toString());
      switch (m.type) {
        case 'connection_ack':
          if (appsync)
            ws.send(JSON.stringify({
              id: '1', type: 'start',
              payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: { host: '127.0.0.1' } } },
            }));
          else {
            ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
            ws.send(JSON.stringify({ type: 'ping' })); // answered after the subscribe is handled
          }
          break;
        case 'start_ack':
        case 'pong':
          ready = true;
          resolve(ws);
          break;
        case 'data':
        case 'next': {
          const result = m.payload.data && (m.payload.data.onCreateMessage || m.payload.data.onRoomMessage);
          if (!result || result.roomId !== room) return onWrong(`${data}`);
          onEvent(Number(result.body.slice(1)), arrival);
          break;
        }
        case 'ka':
          break;
        default:
          fail(`unexpected ${data}`);
      }
    });
  });
}

async function subscribe() {
  const graphqls = opts.graphql.split(',');
  const pids = opts.pids.split(',').map(Number);
  const instances = graphqls.length;
  const subscribers = num('subscribers', 10000);
  const rooms = num('rooms', 100);
  const deliveries = num('deliveries', 10000);
  const seconds = num('seconds', 10);
  const warmup = num('warmup', 2);
  const drain = num('drain', 3);
  const protocols = opts.protocol && opts.protocol !== 'mixed' ? [opts.protocol] : ['transport', 'appsync'];
  const perRoom = subscribers / rooms;
  const mutationRate = deliveries / perRoom;
  const agents = graphqls.map(() => new http.Agent({ keepAlive: true, maxSockets: 32 }));

  // Subscriber i: room i % rooms; within its room (k = its rank there) instance, protocol and filter kind in turn.
  const layout = (i) => {
    const k = Math.floor(i / rooms);
    return {
      room: `room-${i % rooms}`,
      instance: k % instances,
      protocol: protocols[Math.floor(k / instances) % protocols.length],
      filter: Math.floor(k / (instances * protocols.length)) % 2 === 0,
    };
  };
  // subscribers of each room on each instance: the deliveries an event of that room should make
  const roomCount = Array.from({ length: rooms }, () => new Array(instances).fill(0));
  for (let i = 0; i < subscribers; i++) roomCount[i % rooms][layout(i).instance]++;

  const mutations = []; // seq -> {room, from, sentAt, respAt, counted, got[instance], pending[]}
  const latency = []; // [from][to] -> array of ms from the response
  const fromSend = [];
  const byProtocol = { appsync: [], transport: [] };
  for (let a = 0; a < instances; a++) {
    latency.push(graphqls.map(() => []));
    fromSend.push(graphqls.map(() => []));
  }
  let gone = 0;
  const goneReasons = new Map();
  let strays = 0;
  let lastArrival = 0;
  const record = (m, to, protocol, arrival) => {
    if (!m.counted) return;
    latency[m.from][to].push(arrival - m.respAt);
    fromSend[m.from][to].push(arrival - m.sentAt);
    byProtocol[protocol].push(arrival - m.respAt);
    lastArrival = Math.max(lastArrival, arrival);
  };
  const onEvent = (to, protocol) => (seq, arrival) => {
    const m = mutations[seq];
    if (m === undefined) return strays++;
    m.got[to]++;
    if (m.respAt === undefined) m.pending.push([to, protocol, arrival]);
    else record(m, to, protocol, arrival);
  };
  let wrong = 0;
  let firstWrong = '';
  const onWrong = (text) => {
    wrong++;
    firstWrong ||= text.slice(0, 200);
  };
  const onGone = (why) => {
    gone++;
    const key = why.slice(0, 120);
    goneReasons.set(key, (goneReasons.get(key) || 0) + 1);
  };

  let mutationErrors = 0;
  let firstMutationError = '';
  const mutate = (seq, room, from) => {
    const m = { room, from, sentAt: now(), respAt: undefined, counted: false, got: new Array(instances).fill(0), pending: [] };
    mutations[seq] = m;
    const body = JSON.stringify({ query: MUTATION, variables: { input: { roomId: room, body: `m${seq}` } } });
    return new Promise((resolve) => {
      const req = http.request(graphqls[from], {
        method: 'POST', agent: agents[from], timeout: 10000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          m.respAt = now();
          if (res.statusCode !== 200 || text.includes('"errors"')) {
            mutationErrors++;
            firstMutationError ||= `${res.statusCode} ${text.slice(0, 300)}`;
          }
          for (const [to, protocol, arrival] of m.pending) record(m, to, protocol, arrival);
          m.pending = [];
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        mutationErrors++;
        firstMutationError ||= e.message;
        m.respAt = now();
        resolve();
      });
      req.end(body);
    });
  };

  // ---- warm-up: a connection of each kind per instance and one event each, then the baseline RSS ----
  let seq = 0;
  for (let a = 0; a < instances; a++) {
    const warm = [];
    for (const protocol of protocols)
      for (const filter of [true, false])
        warm.push(await openSubscriber({ graphql: graphqls[a], protocol, room: 'room-0', filter, onEvent: () => {}, onGone: () => {} }));
    await mutate(seq++, 'room-0', a);
    await sleep(200);
    for (const ws of warm) {
      ws.removeAllListeners('close');
      ws.close();
    }
  }
  await sleep(1000);
  const rss0 = pids.map(rssKiB);

  // ---- 10,000 subscribers ----
  const connectStart = now();
  const sockets = new Array(subscribers);
  const perInstance = new Array(instances).fill(0);
  let next = 0;
  const concurrency = num('concurrency', 200);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < subscribers) {
      const i = next++;
      const l = layout(i);
      sockets[i] = await openSubscriber({
        graphql: graphqls[l.instance], protocol: l.protocol, room: l.room, filter: l.filter,
        onEvent: onEvent(l.instance, l.protocol), onGone, onWrong,
      });
      perInstance[l.instance]++;
    }
  }));
  const connectSeconds = (now() - connectStart) / 1000;
  await sleep(1500); // idle
  const rss1 = pids.map(rssKiB);
  console.error(`connected ${subscribers} subscribers in ${connectSeconds.toFixed(1)} s; load phase`);

  // ---- steady mutations ----
  const interval = 1000 / mutationRate;
  const total = Math.round((warmup + seconds) * mutationRate);
  const warmCount = Math.round(warmup * mutationRate);
  const firstSeq = seq;
  const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cpu0 = process.cpuUsage();
  let serverCpu0 = pids.map(cpuMs);
  const start = now();
  let measureStart = 0;
  const inFlight = [];
  for (let n = 0; n < total; n++) {
    const due = start + n * interval;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    if (n === warmCount) {
      measureStart = now();
      serverCpu0 = pids.map(cpuMs);
    }
    const s = seq++;
    inFlight.push(mutate(s, `room-${n % rooms}`, n % instances).then(() => {}));
    mutations[s].counted = n >= warmCount;
  }
  const sendEnd = now();
  await Promise.all(inFlight);
  const expected = (m) => roomCount[Number(m.room.slice(5))];
  const counted = mutations.slice(firstSeq).filter((m) => m.counted);
  const missingNow = () => counted.reduce((sum, m) => sum + expected(m).reduce((a, b, i) => a + b - m.got[i], 0), 0);
  const drainEnd = now() + drain * 1000;
  while (missingNow() > 0 && now() < drainEnd) await sleep(50);
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = pids.map((pid, a) => cpuMs(pid) - serverCpu0[a]);
  const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const rss2 = pids.map(rssKiB);
  for (const ws of sockets) if (ws) ws.removeAllListeners('close');
  for (const ws of sockets) if (ws) ws.terminate();
  for (const a of agents) a.destroy();

  // ---- report ----
  const all = [];
  for (let a = 0; a < instances; a++) for (let b = 0; b < instances; b++) all.push(...latency[a][b]);
  const allSend = [];
  for (let a = 0; a < instances; a++) for (let b = 0; b < instances; b++) allSend.push(...fromSend[a][b]);
  const s = summary(all);
  const sSend = summary(allSend);
  const expectedTotal = counted.reduce((sum, m) => sum + expected(m).reduce((a, b) => a + b, 0), 0);
  const measuredSeconds = (Math.max(lastArrival, sendEnd) - measureStart) / 1000;
  const rate = s.n / measuredSeconds;
  const floor50 = num('floor-p50', NaN);
  const floor99 = num('floor-p99', NaN);
  const clientCpu = (cpu.user + cpu.system) / 1000 / (now() - start);
  const out = [];
  const line = (...cols) => out.push(cols.join(''));
  line(`subscribers: ${subscribers} in ${rooms} rooms over ${instances} instance(s) (${perInstance.join(' + ')}), protocols ${protocols.join('+')}, filter: and classic argument alternating; connected in ${connectSeconds.toFixed(1)} s`);
  line(`mutations: ${counted.length} counted at ${mutationRate.toFixed(0)}/s over ${seconds} s after ${warmup} s of warm-up (target ${deliveries} deliveries/s), ${mutationErrors} failed${firstMutationError ? ` (first: ${firstMutationError})` : ''}`);
  line(`load average ${load0} at the start, ${load1} at the end; load generator CPU ${(clientCpu * 100).toFixed(0)}% of one core`);
  line('');
  line(`delivery latency from the mutation's response: p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (target p99 < 50 ms)`);
  line(`                 from the mutation's sending:  p50 ${fmt(sSend.p50)}, p99 ${fmt(sSend.p99)}`);
  line(`ws echo round trip (floor, same rate and bursts): p50 ${fmt(floor50)}, p99 ${fmt(floor99)}; delivery/floor: p50 ${ratio(s.p50, floor50)}, p99 ${ratio(s.p99, floor99)}`);
  for (const p of protocols) {
    const sp = summary(byProtocol[p]);
    line(`  ${p === 'appsync' ? 'AppSync graphql-ws' : 'graphql-transport-ws'}: p50 ${fmt(sp.p50)}, p99 ${fmt(sp.p99)} (${sp.n} deliveries)`);
  }
  const cpuTotal = serverCpu.reduce((a, b) => a + b, 0);
  line(`graphgate CPU (utime+stime, counted phase, all instances): ${((1000 * cpuTotal) / s.n).toFixed(1)} us per delivery, ${(cpuTotal / counted.length).toFixed(2)} ms per mutation, ${((100 * cpuTotal) / 1000 / measuredSeconds).toFixed(0)}% of one core`);
  line(`deliveries: ${s.n} of ${expectedTotal} expected, ${rate.toFixed(0)}/s achieved (${((100 * rate) / deliveries).toFixed(0)}% of the target ${deliveries}/s); missing ${expectedTotal - s.n}; connections lost ${gone}${goneReasons.size ? ` (${[...goneReasons].map(([k, v]) => `${v}x ${k}`).join('; ')})` : ''}; stray events ${strays}; wrong events ${wrong}${firstWrong ? ` (first: ${firstWrong})` : ''}`);
  line('');
  line('per instance: connections, RSS growth / connection (idle, subscribed), RSS before / idle / after the load');
  for (let a = 0; a < instances; a++) {
    const per = ((rss1[a] - rss0[a]) * 1024) / perInstance[a];
    line(`  instance ${a + 1}: ${perInstance[a]} connections, ${(per / 1024).toFixed(2)} KiB per connection (target <= 16 KiB), RSS ${(rss0[a] / 1024).toFixed(1)} / ${(rss1[a] / 1024).toFixed(1)} / ${(rss2[a] / 1024).toFixed(1)} MiB`);
  }
  if (instances > 1) {
    line('per instance pair (mutation on -> subscriber on): deliveries received / expected, missing, p50, p99');
    for (let a = 0; a < instances; a++)
      for (let b = 0; b < instances; b++) {
        const mine = counted.filter((m) => m.from === a);
        const exp = mine.reduce((sum, m) => sum + expected(m)[b], 0);
        const got = latency[a][b].length;
        const sp = summary(latency[a][b]);
        line(`  ${a + 1} -> ${b + 1}: ${got} / ${exp}, missing ${exp - got}${a === b ? ' (same instance)' : ' (across instances: needs the bus)'}, p50 ${fmt(sp.p50)}, p99 ${fmt(sp.p99)}`);
      }
  }
  console.log(out.join('\n'));
  const perConn = rss0.map((r, a) => ((rss1[a] - r) * 1024) / perInstance[a]);
  console.log(`RESULT ${JSON.stringify({ p50: s.p50, p99: s.p99, rate, expected: expectedTotal, received: s.n, lost: gone, wrong, perConnBytes: perConn, clientCpu, serverCpuUsPerDelivery: (1000 * cpuTotal) / s.n })}`);
  process.exit(0);
}

// ---- the mode ----

if (mode === 'echo-server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(opts._[0]), perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
  wss.on('listening', () => console.log('listening'));
} else if (mode === 'echo') {
  await echo();
} else if (mode === 'subscribe') {
  await subscribe();
} else {
  console.error('usage: realtime.mjs echo-server PORT | echo --url URL ... | subscribe --graphql URLS --pids PIDS ...');
  process.exit(2);
}
