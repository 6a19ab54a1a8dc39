// deploy_manifests.test.mjs: every file under deploy/ (Dockerfile, compose.yaml, haproxy.cfg, k8s/*.yaml)
// parsed and cross-checked against what the binary itself says in `graphgate --help`: the image's command
// and subcommands, the listening port, the probe and health-check paths, every GRAPHGATE_* variable name,
// the drain timeout behind terminationGracePeriodSeconds. The Kubernetes ConfigMap's configuration and
// schema are then run through `graphgate --check` and `graphgate migrate --dry-run`.
// YAML is read with the npm package yaml (already in node_modules through the Amplify client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { dirname, join, posix } from 'node:path';
import YAML from 'yaml';
import { bin, root, run, tempDir } from './helpers.mjs';

const deployDir = join(root, 'deploy');

// What `graphgate --help` says: subcommands, endpoints, configuration keys with their variables and defaults.
async function readHelp() {
  const r = await run(bin, ['--help'], { env: { PATH: process.env.PATH } });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  const keys = new Map(); // env name -> {key, def}
  for (const m of out.matchAll(/^ {2}(\S+) +(GRAPHGATE_[A-Z0-9_]+) +default: (.*)$/gm))
    keys.set(m[2], { key: m[1], def: m[3] === '(empty)' ? '' : m[3] });
  const env = new Set(keys.keys());
  for (const m of out.matchAll(/\$(GRAPHGATE_[A-Z0-9_]+)/g)) env.add(m[1]); // GRAPHGATE_CONFIG
  const subcommands = new Set([...out.matchAll(/^(?:Usage:|      ) graphgate ([a-z]+)\b/gm)].map((m) => m[1]));
  const endpoints = {};
  for (const m of out.matchAll(/GET (\/[a-z]+) \(([a-z]+)\)/g)) endpoints[m[2]] = m[1];
  return { out, keys, env, subcommands, endpoints };
}

const helpPromise = readHelp();

const portOf = (listen) => Number(/:(\d+)$/.exec(listen)[1]);

// A Dockerfile as its stages, each a list of {op, args} (line continuations joined, comments dropped).
function parseDockerfile(text) {
  const lines = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    if (raw.endsWith('\\')) {
      current += raw.slice(0, -1) + ' ';
      continue;
    }
    current += raw;
    if (current.trim() !== '') lines.push(current.trim());
    current = '';
  }
  const args = {};
  const stages = [];
  for (const line of lines) {
    const [, op, rest] = /^(\w+)\s+(.*)$/s.exec(line);
    const instr = { op: op.toUpperCase(), args: rest.trim() };
    if (instr.op === 'ARG' && stages.length === 0) {
      const [name, def] = instr.args.split('=');
      args[name] = def;
    } else if (instr.op === 'FROM') {
      const from = instr.args.replace(/\$\{(\w+)\}/g, (_, n) => args[n]);
      stages.push({ from: from.split(/\s+/)[0], name: (/ AS (\S+)$/i.exec(instr.args) || [])[1], instrs: [] });
    } else {
      assert.ok(stages.length > 0, `${instr.op} before FROM`);
      stages.at(-1).instrs.push(instr);
    }
  }
  return stages;
}

// ENV K=V K2=V2 (no quoting or spaces in the values: the Dockerfile is written that way).
function dockerEnv(stage) {
  const env = {};
  for (const i of stage.instrs.filter((i) => i.op === 'ENV'))
    for (const pair of i.args.split(/\s+/)) {
      const [k, v] = pair.split('=');
      assert.ok(v !== undefined, `ENV ${pair}: only K=V pairs`);
      env[k] = v;
    }
  return env;
}

function assertEnvNames(names, help, where) {
  for (const n of names) {
    if (!n.startsWith('GRAPHGATE_')) continue;
    assert.ok(help.env.has(n), `${where}: ${n} is not a variable graphgate --help lists`);
  }
}

test('deploy/Dockerfile: two Debian stages, non-root, only runtime packages, command, port, health check and variables as --help says', async () => {
  const help = await helpPromise;
  const stages = parseDockerfile(readFileSync(join(deployDir, 'Dockerfile'), 'utf8'));
  assert.equal(stages.length, 2);
  for (const s of stages) assert.equal(s.from, 'debian:bookworm-slim');
  const [build, final] = stages;
  const op = (s, name) => s.instrs.filter((i) => i.op === name);
  // The final stage installs no compiler or headers and copies only the binary and the package list.
  const finalRuns = op(final, 'RUN').map((i) => i.args).join('\n');
  assert.doesNotMatch(finalRuns, /-dev\b|build-essential|meson|gcc|pkg-config/);
  assert.match(op(build, 'RUN').map((i) => i.args).join('\n'), /meson setup[\s\S]*ninja -C \S+ server\/graphgate/);
  const copies = op(final, 'COPY').map((i) => i.args.split(/\s+/));
  for (const c of copies) assert.equal(c[0], `--from=${build.name}`, `final stage copies from the build stage only: ${c.join(' ')}`);
  // Non-root: a numeric uid other than 0 (Kubernetes' runAsNonRoot needs a number).
  const user = op(final, 'USER').at(-1).args;
  assert.match(user, /^[1-9]\d*(:\d+)?$/);
  // The command is the graphgate binary the build stage produced, with no argument by default.
  const entrypoint = JSON.parse(op(final, 'ENTRYPOINT').at(-1).args);
  assert.equal(entrypoint.length, 1);
  assert.ok(copies.some((c) => c.at(-1) === entrypoint[0]), `${entrypoint[0]} is copied into the image`);
  assert.deepEqual(JSON.parse(op(final, 'CMD').at(-1).args), []);
  // Environment: only variables --help lists; the listener on every interface, on the exposed port.
  const env = dockerEnv(final);
  assertEnvNames(Object.keys(env), help, 'Dockerfile');
  assert.ok(env.GRAPHGATE_LISTEN.startsWith('0.0.0.0:'));
  const port = portOf(env.GRAPHGATE_LISTEN);
  assert.equal(port, portOf(help.keys.get('GRAPHGATE_LISTEN').def), 'same port as graphgate\'s default');
  assert.deepEqual(op(final, 'EXPOSE').map((i) => Number(i.args)), [port]);
  // HEALTHCHECK on the liveness endpoint of --help, on that port.
  const hc = op(final, 'HEALTHCHECK').at(-1).args;
  const url = /http:\/\/127\.0\.0\.1:(\d+)(\/\S*?)"/.exec(hc);
  assert.ok(url, hc);
  assert.equal(Number(url[1]), port);
  assert.equal(url[2], help.endpoints.alive);
  assert.equal(help.endpoints.alive, '/healthz');
  // Configuration directory and plugins are volumes; the configuration file lives in one.
  const volumes = op(final, 'VOLUME').flatMap((i) => JSON.parse(i.args));
  assert.ok(volumes.includes(posix.dirname(env.GRAPHGATE_CONFIG)), volumes.join(' '));
  assert.ok(volumes.some((v) => /plugins$/.test(v)), volumes.join(' '));
});

test('deploy/compose.yaml, pgbouncer.ini and haproxy.cfg: PostgreSQL, PgBouncer, migrate, two replicas and the load balancer agree with --help', async () => {
  const help = await helpPromise;
  const compose = YAML.parse(readFileSync(join(deployDir, 'compose.yaml'), 'utf8'), { merge: true });
  const services = compose.services;
  for (const name of ['db', 'pgbouncer', 'migrate', 'graphgate-1', 'graphgate-2', 'lb']) assert.ok(services[name], name);
  // PgBouncer in transaction mode in front of the db service; the replicas say so (database.pooler)
  assert.equal(services.pgbouncer.build.dockerfile, 'deploy/pgbouncer/Dockerfile');
  const bouncer = readFileSync(join(deployDir, 'pgbouncer', 'pgbouncer.ini'), 'utf8');
  assert.match(bouncer, /^pool_mode = transaction$/m);
  assert.match(bouncer, /^graphgate = host=db port=5432 dbname=graphgate$/m);
  const bouncerPort = Number(/^listen_port = (\d+)$/m.exec(bouncer)[1]);
  assert.equal(help.keys.get('GRAPHGATE_DATABASE_POOLER').key, 'database.pooler');
  const image = services['graphgate-1'].image;
  const graphgates = Object.entries(services).filter(([, s]) => s.image === image);
  assert.deepEqual(graphgates.map(([n]) => n).sort(), ['graphgate-1', 'graphgate-2', 'migrate']);
  let listenPort;
  for (const [name, s] of graphgates) {
    assert.equal(s.build.dockerfile, 'deploy/Dockerfile');
    assertEnvNames(Object.keys(s.environment), help, `compose ${name}`);
    if (name === 'migrate') {
      assert.ok(s.environment.GRAPHGATE_DATABASE_URL.includes('@db:5432/'), 'migrate runs on the db service');
      assert.equal(s.environment.GRAPHGATE_DATABASE_POOLER, undefined);
      assert.deepEqual(s.command, ['migrate']);
      assert.ok(help.subcommands.has('migrate'));
    } else {
      assert.equal(s.command, undefined, `${name} runs the image's command`);
      assert.ok(s.depends_on.includes('migrate') && s.depends_on.includes('pgbouncer'));
      assert.ok(s.environment.GRAPHGATE_DATABASE_URL.includes(`@pgbouncer:${bouncerPort}/`), `${name}: statements through PgBouncer`);
      assert.equal(s.environment.GRAPHGATE_DATABASE_POOLER, 'pgbouncer-transaction');
      assert.ok(s.environment.GRAPHGATE_DATABASE_LISTEN_URL.includes('@db:5432/'), `${name}: the realtime bus on PostgreSQL itself`);
    }
    listenPort = portOf(s.environment.GRAPHGATE_LISTEN);
    // The example app's directory is the configuration volume, holding the file GRAPHGATE_CONFIG names.
    const [source, target] = s.volumes[0].split(':');
    assert.equal(target, posix.dirname(s.environment.GRAPHGATE_CONFIG));
    const configFile = join(deployDir, source, posix.basename(s.environment.GRAPHGATE_CONFIG));
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    for (const schema of config.schema) readFileSync(join(dirname(configFile), schema)); // exists
  }
  // HAProxy: both replicas by service name on graphgate's port, health-checked on the readiness endpoint.
  const cfg = readFileSync(join(deployDir, 'haproxy', 'haproxy.cfg'), 'utf8');
  const servers = [...cfg.matchAll(/^\s+server (\S+) (\S+):(\d+)/gm)].map((m) => ({ host: m[2], port: Number(m[3]) }));
  assert.deepEqual(servers.map((s) => s.host).sort(), ['graphgate-1', 'graphgate-2']);
  for (const s of servers) assert.equal(s.port, listenPort);
  assert.equal(/option httpchk GET (\S+)/.exec(cfg)[1], help.endpoints.ready);
  assert.equal(help.endpoints.ready, '/readyz');
  assert.match(cfg, /timeout tunnel/); // open websockets are not cut by the client/server timeouts
  assert.match(services.lb.ports[0], /^127\.0\.0\.1:/);
});

function loadK8s() {
  const docs = [];
  for (const file of readdirSync(join(deployDir, 'k8s')).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(deployDir, 'k8s', file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], file);
      const obj = doc.toJSON();
      if (obj === null) continue;
      assert.ok(obj.apiVersion && obj.kind && obj.metadata?.name, `${file}: apiVersion, kind, metadata.name`);
      docs.push({ file, ...obj });
    }
  }
  return docs;
}

const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

test('deploy/k8s: Deployment, Service, HPA, PDB, migration Job, ConfigMap and Secret agree with each other and with --help', async () => {
  const help = await helpPromise;
  const docs = loadK8s();
  const one = (kind) => {
    const found = docs.filter((d) => d.kind === kind);
    assert.equal(found.length, 1, kind);
    return found[0];
  };
  const deployment = one('Deployment');
  const service = one('Service');
  const hpa = one('HorizontalPodAutoscaler');
  const pdb = one('PodDisruptionBudget');
  const job = one('Job');
  const configMap = one('ConfigMap');
  const secret = one('Secret');
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels;
  assert.ok(matches(deployment.spec.selector.matchLabels, podLabels));

  for (const [where, spec] of [['Deployment', pod], ['Job', job.spec.template.spec]]) {
    assert.equal(spec.securityContext.runAsNonRoot, true, where);
    const volumeNames = new Set(spec.volumes.map((v) => v.name));
    for (const v of spec.volumes) {
      if (v.configMap) assert.equal(v.configMap.name, configMap.metadata.name);
      if (v.secret) {
        assert.equal(v.secret.secretName, secret.metadata.name);
        for (const item of v.secret.items || []) assert.ok(item.key in secret.stringData, item.key);
      }
    }
    for (const c of spec.containers) {
      // The image's command (its ENTRYPOINT) is kept; arguments, when given, are a subcommand of --help.
      assert.equal(c.command, undefined, `${where}: ${c.name} keeps the image's command`);
      if (c.args) assert.ok(help.subcommands.has(c.args[0]), `${where}: ${c.args[0]}`);
      assertEnvNames(c.env.map((e) => e.name), help, `${where} ${c.name}`);
      for (const e of c.env) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          assert.equal(ref.name, secret.metadata.name);
          assert.ok(ref.key in secret.stringData, `${e.name}: Secret key ${ref.key}`);
        }
      }
      for (const r of ['requests', 'limits']) for (const k of ['cpu', 'memory']) assert.ok(c.resources?.[r]?.[k], `${where}: ${r}.${k}`);
      for (const m of c.volumeMounts) assert.ok(volumeNames.has(m.name), m.name);
      const config = c.env.find((e) => e.name === 'GRAPHGATE_CONFIG').value;
      const configMount = c.volumeMounts.find((m) => m.mountPath === posix.dirname(config));
      assert.ok(configMount, `${where}: a volume at ${posix.dirname(config)}`);
      assert.ok(spec.volumes.find((v) => v.name === configMount.name).configMap);
      assert.ok(posix.basename(config) in configMap.data);
    }
  }
  assert.deepEqual(job.spec.template.spec.containers[0].args, ['migrate']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  assert.equal(job.spec.template.spec.containers[0].image, pod.containers[0].image);

  // The server container: port, probes, drain.
  assert.equal(pod.containers.length, 1);
  const c = pod.containers[0];
  const env = Object.fromEntries(c.env.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
  const port = portOf(env.GRAPHGATE_LISTEN ?? help.keys.get('GRAPHGATE_LISTEN').def);
  assert.equal(c.ports.length, 1);
  assert.equal(c.ports[0].containerPort, port);
  const probePort = (p) => (typeof p === 'number' ? p : c.ports.find((cp) => cp.name === p)?.containerPort);
  assert.equal(c.readinessProbe.httpGet.path, help.endpoints.ready);
  assert.equal(c.livenessProbe.httpGet.path, help.endpoints.alive);
  assert.equal(probePort(c.readinessProbe.httpGet.port), port);
  assert.equal(probePort(c.livenessProbe.httpGet.port), port);
  const drainMs = Number(env.GRAPHGATE_HTTP_SHUTDOWN_TIMEOUT_MS ?? help.keys.get('GRAPHGATE_HTTP_SHUTDOWN_TIMEOUT_MS').def);
  assert.equal(help.keys.get('GRAPHGATE_HTTP_SHUTDOWN_TIMEOUT_MS').key, 'http.shutdown_timeout_ms');
  const preStop = c.lifecycle.preStop.exec.command;
  assert.equal(preStop[0], 'sleep');
  const preStopS = Number(preStop[1]);
  assert.ok(preStopS > 0);
  // The grace period covers the preStop sleep and the whole drain, with at most 10 s to spare.
  const grace = pod.terminationGracePeriodSeconds;
  assert.ok(grace >= preStopS + drainMs / 1000 && grace <= preStopS + drainMs / 1000 + 10,
    `terminationGracePeriodSeconds ${grace} vs preStop ${preStopS} s + drain ${drainMs} ms`);

  // Service, HPA and PDB point at these pods.
  assert.ok(matches(service.spec.selector, podLabels));
  for (const p of service.spec.ports) assert.ok(p.targetPort === port || p.targetPort === c.ports[0].name, String(p.targetPort));
  assert.equal(hpa.spec.scaleTargetRef.kind, 'Deployment');
  assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
  assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
  assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'a drain can always proceed');

  // The ConfigMap's schema is the example app's, and the configuration names only schema files it holds.
  assert.equal(configMap.data['schema.graphql'], readFileSync(join(root, 'conf', 'example', 'schema.graphql'), 'utf8'));
  const config = JSON.parse(configMap.data['graphgate.json']);
  for (const s of config.schema) assert.ok(s in configMap.data, s);
  assert.equal(portOf(config.listen), port);
  // Secret: the database URL, API keys and JWT keys, all used.
  assert.deepEqual(Object.keys(secret.stringData).sort(), ['api-keys', 'database-url', 'jwks.json']);
  JSON.parse(secret.stringData['jwks.json']);
});

test('deploy/k8s: graphgate --check accepts the ConfigMap\'s configuration and schema with the Deployment\'s environment', async () => {
  const docs = loadK8s();
  const configMap = docs.find((d) => d.kind === 'ConfigMap');
  const deployment = docs.find((d) => d.kind === 'Deployment');
  const dir = tempDir();
  for (const [k, v] of Object.entries(configMap.data)) writeFileSync(join(dir, k), v);
  // A real JWKS in place of the Secret's placeholder, at the path the configuration names.
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = join(dir, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] }));
  const env = { PATH: process.env.PATH, GRAPHGATE_AUTH_OIDC_JWKS_FILE: jwks, GRAPHGATE_AUTH_API_KEYS: 'da2-deploy-test-0123456789abcdef' };
  for (const e of deployment.spec.template.spec.containers[0].env) if ('value' in e) env[e.name] = e.value;
  env.GRAPHGATE_CONFIG = join(dir, 'graphgate.json');
  const check = await run(bin, ['--check'], { env });
  assert.equal(check.code, 0, check.stderr);
  const migrate = await run(bin, ['migrate', '--dry-run'], { env });
  assert.equal(migrate.code, 0, migrate.stderr);
  assert.match(migrate.stdout, /CREATE TABLE IF NOT EXISTS "Todo"/);
});
