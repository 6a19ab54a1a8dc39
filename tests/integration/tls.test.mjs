// tls.test.mjs: the TLS policy of the TLS listener, seen by `openssl s_client` (issue 8, item 9).
//
// By default only forward-secret suites are offered: TLS 1.2 ECDHE with AES-GCM or ChaCha20, and
// TLS 1.3. Suites without forward secrecy (static RSA key exchange) and CBC-SHA1 suites fail the
// handshake; the RSA certificate is what would make the static-RSA ones possible at all, so they
// are tried against it. tls.min_version and tls.ciphers change the policy; a bad value stops
// start-up with exit status 2 and a line naming the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { bin, makeCertificate, run, startServer, staticConfig, writeConfig } from './helpers.mjs';

// One handshake with s_client (stdin at EOF: it closes right after); resolves to
// { ok, protocol, cipher }.
function handshake(port, args) {
  return new Promise((res) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill(), 10000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const m = /^New, (\S+), Cipher is (\S+)/m.exec(out);
      const cipher = m ? m[2] : null;
      res({ ok: code === 0 && cipher !== null && cipher !== '(NONE)', protocol: m && m[1], cipher, out });
    });
  });
}

async function startTls(certificate, env = {}) {
  return startServer({
    tls: true,
    env: {
      GRAPHGATE_TLS_LISTEN: '127.0.0.1:0',
      GRAPHGATE_TLS_CERT_FILE: certificate.cert,
      GRAPHGATE_TLS_KEY_FILE: certificate.key,
      ...env,
    },
  });
}

const tlsPort = (s) => Number(new URL(s.tlsBase).port);

async function assertRefused(port, args) {
  const h = await handshake(port, args);
  assert.equal(h.ok, false, `${args.join(' ')} was accepted: ${h.protocol} ${h.cipher}`);
}

async function assertAccepted(port, args, protocol, cipher) {
  const h = await handshake(port, args);
  assert.ok(h.ok, `${args.join(' ')} failed:\n${h.out.slice(-1500)}`);
  assert.equal(h.protocol, protocol);
  if (cipher) assert.equal(h.cipher, cipher);
}

test('default policy with an RSA certificate: no static RSA key exchange, no CBC-SHA1', async () => {
  const s = await startTls(await makeCertificate({ rsa: true }));
  try {
    const port = tlsPort(s);
    for (const cipher of ['AES128-SHA', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384'])
      await assertRefused(port, ['-tls1_2', '-cipher', cipher]);
    await assertAccepted(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'], 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256');
    await assertAccepted(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-CHACHA20-POLY1305'], 'TLSv1.2', 'ECDHE-RSA-CHACHA20-POLY1305');
    await assertAccepted(port, ['-tls1_3'], 'TLSv1.3');
    await assertRefused(port, ['-tls1_1']);
  } finally {
    assert.equal((await s.stop()).code, 0);
  }
});

test('default policy with an EC P-256 certificate: ECDHE-ECDSA with AES-GCM, and TLS 1.3', async () => {
  const s = await startTls(await makeCertificate());
  try {
    const port = tlsPort(s);
    await assertRefused(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA']);
    await assertRefused(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256']);
    await assertAccepted(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'], 'TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256');
    await assertAccepted(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384'], 'TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384');
    await assertAccepted(port, ['-tls1_3'], 'TLSv1.3');
  } finally {
    assert.equal((await s.stop()).code, 0);
  }
});

test('tls.min_version "1.3" refuses TLS 1.2; tls.ciphers narrows the TLS 1.2 suites', async () => {
  const certificate = await makeCertificate();
  const only13 = await startTls(certificate, { GRAPHGATE_TLS_MIN_VERSION: '1.3' });
  try {
    await assertRefused(tlsPort(only13), ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256']);
    await assertAccepted(tlsPort(only13), ['-tls1_3'], 'TLSv1.3');
  } finally {
    assert.equal((await only13.stop()).code, 0);
  }
  const narrow = await startServer({
    tls: true,
    config: writeConfig({
      schema: [staticConfig.replace(/graphgate\.json$/, 'schema.graphql')],
      static_data_file: staticConfig.replace(/graphgate\.json$/, 'data.json'),
      tls: { listen: '127.0.0.1:0', cert_file: certificate.cert, key_file: certificate.key, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' },
    }),
  });
  try {
    await assertRefused(tlsPort(narrow), ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256']);
    await assertAccepted(tlsPort(narrow), ['-tls1_2'], 'TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384');
  } finally {
    assert.equal((await narrow.stop()).code, 0);
  }
});

test('a bad tls.ciphers or tls.min_version stops start-up with exit 2 naming the key', async () => {
  const certificate = await makeCertificate();
  const env = (extra) => ({
    env: {
      ...process.env,
      GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE',
      GRAPHGATE_LISTEN: '127.0.0.1:0',
      GRAPHGATE_TLS_LISTEN: '127.0.0.1:0',
      GRAPHGATE_TLS_CERT_FILE: certificate.cert,
      GRAPHGATE_TLS_KEY_FILE: certificate.key,
      ...extra,
    },
  });
  const cases = [
    [{ GRAPHGATE_TLS_CIPHERS: 'NO-SUCH-CIPHER' }, /key "tls\.ciphers": "NO-SUCH-CIPHER" selects no cipher/],
    [{ GRAPHGATE_TLS_CIPHERS: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA265' },
      /key "tls\.ciphers": "ECDHE-ECDSA-AES128-GCM-SHA265" selects no cipher/],
    [{ GRAPHGATE_TLS_CIPHERS: '' }, /key "tls\.ciphers"/],
    [{ GRAPHGATE_TLS_MIN_VERSION: '1.1' }, /key "tls\.min_version": must be "1\.2" or "1\.3", got "1\.1"/],
    [{ GRAPHGATE_TLS_MIN_VERSION: 'TLSv1.3' }, /key "tls\.min_version"/],
  ];
  for (const [extra, message] of cases) {
    for (const args of [['-c', staticConfig], ['--check', '-c', staticConfig]]) {
      const r = await run(bin, args, env(extra));
      assert.equal(r.code, 2, `${JSON.stringify(extra)} ${args[0]}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, message);
    }
  }
  // Without a TLS listener the policy keys are still checked.
  const r = await run(bin, ['-c', staticConfig], { env: { ...process.env, GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE', GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_TLS_CIPHERS: 'NOPE' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /key "tls\.ciphers"/);
});
