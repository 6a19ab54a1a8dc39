// audits.test.mjs: the npm graphql-http package's server audits (GraphQL-over-HTTP spec) against
// the real graphgate. Every MUST and SHOULD audit has to pass; MAY audits are reported. The
// counts are printed as "audits: N MUST ok, N SHOULD ok, N MAY ok, N failed".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startServer } from './helpers.mjs';

let srv;
after(async () => {
  if (srv) {
    const { code } = await srv.stop();
    assert.equal(code, 0, srv.stderr());
  }
});

test('graphql-http server audits: every MUST and SHOULD passes', async () => {
  srv = await startServer();
  const audits = serverAudits({ url: srv.url });
  const results = await Promise.all(audits.map(({ fn }) => fn()));
  const counts = { MUST: 0, SHOULD: 0, MAY: 0 };
  const failed = [];
  for (const r of results) {
    const level = r.name.split(' ')[0];
    if (r.status === 'ok') counts[level] = (counts[level] || 0) + 1;
    else failed.push({ level, text: `${r.id} ${r.name} (${r.status}): ${r.reason}` });
  }
  console.log(`audits: ${counts.MUST} MUST ok, ${counts.SHOULD} SHOULD ok, ${counts.MAY} MAY ok, ${failed.length} failed`);
  for (const f of failed) console.log(`  not ok: ${f.text}`);
  assert.deepEqual(failed.filter((f) => f.level !== 'MAY').map((f) => f.text), []);
  assert.ok(counts.MUST > 0 && counts.SHOULD > 0);
});
