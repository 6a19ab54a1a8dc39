// console.test.mjs: the developer console (console: true) in a real browser: headless Chromium
// (Debian's chromium, driven over the DevTools protocol by npm playwright-core) with every request
// off the loopback address refused, so the page can only work with what graphgate serves itself.
// The API key is typed into GraphiQL's Headers tab, a query typed into the editor runs and shows its
// result, a subscription (graphql-transport-ws, through the same headers) shows the event of a
// mutation sent meanwhile, and a screenshot is written to the build directory (console.png; a copy
// is docs/console.png in the README). Without console: true, or without Accept: text/html, the
// GraphQL path answers as before. The data lives in this file's own tables of the PostgreSQL of
// scripts/test.sh. An installed tree (meson install --destdir into the build directory) finds the
// console's files where the binary is installed, as the container image does. Start-up only checks
// that the files are there; they are read when the console is first asked for (a file gone by then:
// 503 and the log names it; back in place: served).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { post, root, run, startModelServer, startServer } from './helpers.mjs';

const dbUrl = process.env.GRAPHGATE_TEST_DATABASE_URL;
const skip = !dbUrl ? 'GRAPHGATE_TEST_DATABASE_URL not set (scripts/test.sh sets it)' : false;
const KEY = `da2-${randomBytes(13).toString('hex')}`;
const buildRoot = process.env.GG_BUILD_ROOT || join(root, 'build');
// Debian's /usr/bin/chromium is a shell script that execs this binary (and warns on stderr).
const browserPath = process.env.GG_CHROMIUM || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(existsSync);

const SCHEMA = `
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
"A card on the board."
type Card @model @refersTo(name: "gg_it_console_card") {
  title: String!
  column: String
}
`;

let srv;
let browser;
before(async () => {
  if (skip) return;
  srv = await startModelServer({
    schema: SCHEMA,
    tables: 'gg_it_console_card',
    dbUrl,
    env: { GRAPHGATE_CONSOLE: 'true', GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: KEY },
  });
  assert.ok(browserPath, 'chromium is installed (scripts/install-deps.sh)');
  browser = await chromium.launch({
    executablePath: browserPath,
    // Names resolve to nothing but the loopback address: no CDN could be reached even if asked for.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--no-first-run', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The text of a CodeMirror 5 editor of GraphiQL (the response pane, for one).
const editorText = (page, selector) =>
  page.evaluate((s) => document.querySelector(s).CodeMirror.getValue(), selector);

// Types text into a GraphiQL editor as a user would: click, select all, then the keyboard's input
// (insertText: one input event, so CodeMirror's bracket closing does not add braces of its own).
async function typeInto(page, selector, text) {
  await page.click(selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // GraphiQL reads the document's operations (the operation name it sends) 100 ms after an edit.
  await page.waitForTimeout(500);
}

test('the console loads offline, runs a typed query with the typed API key, and shows a subscription\'s event', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const offLoopback = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
    offLoopback.push(url.href);
    return route.abort();
  });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    // The schema fetch GraphiQL starts before the key is typed in is refused (401), as it should be.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) pageErrors.push(m.text());
  });

  const response = await page.goto(srv.url, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /^text\/html/);
  assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30000 });
  assert.equal(await page.title(), 'graphgate console');

  // Credentials: the Headers tab is open; the API key goes there.
  const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
  await page.waitForSelector(headersEditor);
  await typeInto(page, headersEditor, JSON.stringify({ 'x-api-key': KEY }, null, 2));

  const seeded = await post(srv.url, { query: 'mutation { createCard(input: {id: "c1", title: "Write the README", column: "todo"}) { id } }' }, { 'x-api-key': KEY });
  assert.equal(seeded.status, 200, seeded.text);
  await typeInto(page, '.graphiql-query-editor .CodeMirror', 'query Board {\n  listCards {\n    items { id title column }\n  }\n}\n');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue().includes('Write the README'), null, { timeout: 20000 });
  const result = JSON.parse(await editorText(page, '.graphiql-response .CodeMirror'));
  assert.deepEqual(result, { data: { listCards: { items: [{ id: 'c1', title: 'Write the README', column: 'todo' }] } } });
  // With the key in place, the schema loads: the documentation explorer shows its root types.
  await page.click('[aria-label="Re-fetch GraphQL schema"]');
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer >> text=subscription', { timeout: 20000 });
  const screenshot = join(buildRoot, 'console.png');
  await page.screenshot({ path: screenshot });
  assert.ok(existsSync(screenshot));

  // A subscription over graphql-transport-ws, then a mutation from elsewhere: its event shows.
  await typeInto(page, '.graphiql-query-editor .CodeMirror', 'subscription Cards {\n  onCreateCard { id title }\n}\n');
  await page.click('.graphiql-execute-button');
  // The socket's subscribe has reached graphgate once a mutation's event arrives; retry until then.
  let shown = false;
  for (let i = 0; i < 40 && !shown; i++) {
    const created = await post(srv.url, { query: `mutation { createCard(input: {id: "live-${i}", title: "From elsewhere ${i}"}) { id } }` }, { 'x-api-key': KEY });
    assert.equal(created.status, 200, created.text);
    shown = await page
      .waitForFunction(() => /From elsewhere \d+/.test(document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? ''), null, { timeout: 500 })
      .then(() => true, () => false);
  }
  assert.ok(shown, `the subscription's event never showed: ${await editorText(page, '.graphiql-response .CodeMirror')}`);
  const event = JSON.parse(await editorText(page, '.graphiql-response .CodeMirror'));
  assert.match(event.data.onCreateCard.id, /^live-\d+$/);
  assert.equal(event.data.onCreateCard.title, `From elsewhere ${event.data.onCreateCard.id.slice(5)}`);

  assert.deepEqual(offLoopback, [], 'the page asked for nothing outside graphgate');
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('without the API key typed in, the console shows the 401 graphgate answers', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(srv.url);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30000 });
  await typeInto(page, '.graphiql-query-editor .CodeMirror', '{ listCards { items { id } } }');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => (document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '').includes('errors'), null, { timeout: 20000 });
  const shown = await editorText(page, '.graphiql-response .CodeMirror');
  assert.match(shown, /UnauthorizedException|Unauthorized|API key/i);
  assert.doesNotMatch(shown, /"listCards"/);
  await context.close();
});

test('the page and its files over HTTP: scripts only from graphgate, JSON clients unchanged, unknown files 404', { skip }, async () => {
  const page = await fetch(srv.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  assert.equal(page.status, 200);
  const html = await page.text();
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(scripts.length >= 4);
  for (const src of [...scripts, ...[...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1])]) {
    assert.match(src, /^\/graphql\/console\/[\w.-]+$/, 'served by graphgate');
    const asset = await fetch(srv.base + src, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(asset.status, 200, src);
    assert.ok((await asset.arrayBuffer()).byteLength > 100, src);
  }
  assert.doesNotMatch(html, /<script>/, 'no inline script');
  const gzipped = await fetch(`${srv.base}/graphql/console/graphiql.min.js`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gzipped.headers.get('content-encoding'), 'gzip');
  // Clients of the API are not browsers: JSON as before (no query: 400).
  const json = await fetch(srv.url, { headers: { accept: 'application/json', 'x-api-key': KEY } });
  assert.equal(json.status, 400);
  assert.match(json.headers.get('content-type'), /json/);
  for (const path of ['/graphql/console/', '/graphql/console/index.html', '/graphql/console/../console/x.js', '/graphql/console/package.json'])
    assert.equal((await fetch(srv.base + path)).status, 404, path);
});

test('console: false (the default) serves no page and no files', { skip }, async () => {
  const off = await startServer({ config: srv.config, env: { ...srv.env, GRAPHGATE_CONSOLE: 'false', GRAPHGATE_AUTH_DEFAULT_MODE: 'API_KEY', GRAPHGATE_AUTH_API_KEYS: KEY } });
  try {
    const page = await fetch(off.url, { headers: { accept: 'text/html' } });
    assert.notEqual(page.status, 200);
    assert.doesNotMatch(await page.text(), /<html/);
    assert.equal((await fetch(`${off.base}/graphql/console/graphiql.min.js`)).status, 404);
  } finally {
    await off.stop();
  }
});

test('an installed graphgate (meson install) serves the console from <prefix>/share/graphgate/console', { skip }, async () => {
  const destdir = join(buildRoot, 'console-install');
  rmSync(destdir, { recursive: true, force: true });
  const install = await run('meson', ['install', '-C', buildRoot, '--no-rebuild', '--quiet', '--tags', 'runtime', '--destdir', destdir]);
  assert.equal(install.code, 0, `meson install: ${install.stderr}${install.stdout}`);
  const installed = readdirSync(destdir, { recursive: true }).map(String);
  const binary = installed.find((f) => f.endsWith('bin/graphgate'));
  assert.ok(binary, `graphgate installed: ${installed.join(' ')}`);
  assert.ok(installed.some((f) => f.endsWith('share/graphgate/console/graphiql.min.js')), 'the console\'s files installed');
  const prefix = join(destdir, binary.slice(0, -'bin/graphgate'.length));
  // startServer runs the build's binary: the wrapper execs the installed one with the same arguments.
  const installedBin = join(prefix, 'bin', 'graphgate');
  const srv2 = await startServer({ config: srv.config, env: { ...srv.env, GRAPHGATE_CONSOLE: 'true' },
    wrap: ['bash', '-c', 'exec "$0" "${@:2}"', installedBin] });
  const css = join(prefix, 'share', 'graphgate', 'console', 'graphiql.min.css');
  try {
    // the files are read at the first console request, not at start-up: one gone by then is missed
    renameSync(css, `${css}.away`);
    const missing = await fetch(srv2.url, { headers: { accept: 'text/html' } });
    assert.equal(missing.status, 503);
    assert.match((await missing.json()).errors[0].message, /console's files cannot be read/);
    assert.match(srv2.stderr(), /console: key "console": cannot read \S*graphiql\.min\.css/);
    assert.equal((await fetch(`${srv2.base}/graphql/console/react.production.min.js`)).status, 503);
    renameSync(`${css}.away`, css);
    const page = await fetch(srv2.url, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /graphgate console/);
    assert.equal((await fetch(`${srv2.base}/graphql/console/react.production.min.js`)).status, 200);
  } finally {
    await srv2.stop();
  }
  // One file missing at start-up stops it, naming the file.
  renameSync(css, `${css}.away`);
  const env = { ...process.env, ...srv.env, GRAPHGATE_CONSOLE: 'true', GRAPHGATE_LISTEN: '127.0.0.1:0', GRAPHGATE_AUTH_DEFAULT_MODE: 'NONE' };
  const one = await run(installedBin, ['--config', srv.config], { env });
  assert.notEqual(one.code, 0, one.stderr);
  assert.match(one.stderr, /key "console": cannot read \S*graphiql\.min\.css/);
  renameSync(`${css}.away`, css);
  // Without the files next to it, console: true stops start-up and says where it looked.
  rmSync(join(prefix, 'share', 'graphgate', 'console'), { recursive: true });
  const r = await run(installedBin, ['--config', srv.config], { env });
  assert.notEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /key "console": the console's files are not installed: looked in .*share\/graphgate\/console/);
});
