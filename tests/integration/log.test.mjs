// log.test.mjs: the logger as an operator sees it: log.format json gives one JSON object per line on
// stderr (start-up, warnings, shutdown) and on stdout (the access log); log.level drops the lines
// below it; a bad value is a configuration error (exit 2) that names the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bin, exampleConfig, freePort, post, run, staticConfig, startServer, writeConfig } from './helpers.mjs';

// The environment without GRAPHGATE_* variables (the test runner sets some), sanitizer options kept.
const cleanEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GRAPHGATE_'))),
  GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', // auth is not what this file tests
};
const RFC3339_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function jsonLines(text) {
  return text.split('\n').filter((l) => l !== '').map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      assert.fail(`not a JSON line: ${l}`);
    }
  });
}

function checkShape(line) {
  assert.match(line.time, RFC3339_UTC_MS, JSON.stringify(line));
  assert.ok(['debug', 'info', 'warn', 'error'].includes(line.level), JSON.stringify(line));
  assert.equal(typeof line.msg, 'string');
}

test('GRAPHGATE_LOG_FORMAT=json: start-up, access log and shutdown are JSON lines', async () => {
  const srv = await startServer({ env: { GRAPHGATE_LOG_FORMAT: 'json' } });
  let r;
  try {
    // the helper reads the URL from the text line: take the port only
    r = await post(`http://127.0.0.1:${srv.port}/graphql`, { query: 'query Logged { hello }' });
    await new Promise((res) => setTimeout(res, 100));
  } finally {
    await srv.stop();
  }
  assert.equal(r.status, 200);
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());

  const diagnostics = jsonLines(srv.stderr());
  diagnostics.forEach(checkShape);
  const listening = diagnostics.find((l) => l.msg.startsWith('listening on http://'));
  assert.ok(listening, srv.stderr());
  assert.equal(listening.level, 'info');
  assert.equal(listening.msg, `listening on ${listening.url}`);
  assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  assert.ok(diagnostics.some((l) => l.msg === '2 threads ready'));
  assert.ok(diagnostics.some((l) => l.msg === 'SIGTERM received, draining'));
  assert.equal(diagnostics.at(-1).msg, 'stopped');

  const access = jsonLines(srv.stdout());
  access.forEach(checkShape);
  const mine = access.find((l) => l.operation === 'Logged');
  assert.ok(mine, srv.stdout());
  assert.equal(mine.level, 'info');
  assert.equal(mine.msg, 'request');
  assert.equal(mine.method, 'POST');
  assert.equal(mine.path, '/graphql');
  assert.equal(mine.status, 200);
  assert.equal(mine.protocol, 'HTTP/1.1');
  assert.equal(typeof mine.duration_ms, 'number');
  assert.equal(typeof mine.bytes, 'number');
});

test('log.format json from the file: warnings carry level warn; the text format is unchanged', async () => {
  const config = writeConfig({ schema: [exampleConfig.replace(/graphgate\.json$/, 'schema.graphql')], log: { format: 'json' } });
  const r = await run(bin, ['--check', '-c', config], { env: cleanEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /are valid/); // --check output stays on stdout, as it was
  const srv = await startServer({ config, env: { GRAPHGATE_DATABASE_URL: '' } });
  const { code } = await srv.stop();
  assert.equal(code, 0, srv.stderr());
  // lines written before the file is read (a GRAPHGATE_ variable that names no key) are text
  const fromFile = srv.stderr().split('\n').filter((l) => l.startsWith('{')).join('\n');
  assert.match(fromFile, /listening on http/);
  const warning = jsonLines(fromFile).find((l) => /no database is configured/.test(l.msg));
  assert.ok(warning, srv.stderr());
  assert.equal(warning.level, 'warn');

  const text = await startServer({ config: staticConfig, env: { GRAPHGATE_LOG_FORMAT: 'text' } });
  await text.stop();
  assert.match(text.stderr(), /^graphgate: listening on http:\/\/127\.0\.0\.1:\d+\/graphql$/m);
  assert.match(text.stderr(), /^graphgate: stopped$/m);
});

// Runs the server at a log level on a known port (the "listening on" line may be dropped), waits
// until /healthz answers, stops it with SIGTERM; resolves to { code, stderr, stdout }.
async function runAtLevel(level, config, extraEnv = {}) {
  const port = await freePort();
  const env = { ...cleanEnv, GRAPHGATE_LISTEN: `127.0.0.1:${port}`, GRAPHGATE_THREADS: '1', GRAPHGATE_LOG_LEVEL: level, ...extraEnv };
  const proc = spawn(bin, ['-c', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      assert.fail(`graphgate did not start:\n${stderr}`);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  await post(`http://127.0.0.1:${port}/graphql`, { query: '{ __typename }' });
  await new Promise((res) => setTimeout(res, 100));
  proc.kill('SIGTERM');
  const code = await exited;
  return { code, stderr, stdout };
}

test('GRAPHGATE_LOG_LEVEL=warn drops info lines and keeps warnings; error drops warnings too', async () => {
  const schema = exampleConfig.replace(/graphgate\.json$/, 'schema.graphql');
  const config = writeConfig({ schema: [schema] }); // @model types without a database: a warning
  const info = await runAtLevel('info', config);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stderr, /^graphgate: listening on /m);
  assert.match(info.stderr, /^graphgate: warning: the schema has @model types/m);

  const warn = await runAtLevel('warn', config);
  assert.equal(warn.code, 0, warn.stderr);
  assert.match(warn.stderr, /^graphgate: warning: the schema has @model types/m);
  for (const dropped of [/listening on/, /threads? ready/, /file descriptor limit/, /SIGTERM received/, /stopped/])
    assert.doesNotMatch(warn.stderr, dropped);
  assert.match(warn.stdout, /"status":200/); // the access log has its own switch

  const error = await runAtLevel('error', config);
  assert.equal(error.code, 0, error.stderr);
  assert.equal(error.stderr, '');
});

test('a bad log.level or log.format exits 2 naming the key', async () => {
  const env = cleanEnv;
  const level = await run(bin, ['--check', '-c', staticConfig], { env: { ...env, GRAPHGATE_LOG_LEVEL: 'verbose' } });
  assert.equal(level.code, 2);
  assert.match(level.stderr, /^graphgate: configuration error .*key "log\.level": must be "debug", "info", "warn" or "error", got "verbose"$/m);
  const format = await run(bin, ['--check', '-c', staticConfig], { env: { ...env, GRAPHGATE_LOG_FORMAT: 'xml' } });
  assert.equal(format.code, 2);
  assert.match(format.stderr, /key "log\.format": must be "text" or "json", got "xml"/);
  const fromFile = writeConfig({ schema: [staticConfig.replace(/graphgate\.json$/, 'schema.graphql')], log: { level: 'loud' } });
  const file = await run(bin, ['--check', '-c', fromFile], { env });
  assert.equal(file.code, 2);
  assert.match(file.stderr, /key "log\.level": must be .* got "loud"/);
  const notString = writeConfig({ schema: [staticConfig.replace(/graphgate\.json$/, 'schema.graphql')], log: { format: 1 } });
  const typed = await run(bin, ['--check', '-c', notString], { env });
  assert.equal(typed.code, 2);
  assert.match(typed.stderr, /key "log\.format": expected a string/);
});
