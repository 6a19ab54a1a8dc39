// auth_tokens.mjs: the keys and tokens of the authorization benchmarks (auth_http.sh,
// auth_http_instructions.sh), made with node:crypto.
//
//     node tests/bench/auth_tokens.mjs DIR ISSUER COUNT
//
// writes DIR/jwks.json (an RSA-2048 key, kid k1, RS256, and a P-256 key, kid k2, ES256),
// DIR/token (one RS256 token, sub bench-user) and DIR/RS256.tokens, DIR/ES256.tokens (COUNT tokens
// each, one a line, each with its own sub). Every token has iss ISSUER, iat now and exp in an hour.
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [dir, iss, count] = process.argv.slice(2);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = (key, kid, alg) => ({ ...key.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' });
writeFileSync(`${dir}/jwks.json`, JSON.stringify({ keys: [jwk(rsa, 'k1', 'RS256'), jwk(ec, 'k2', 'ES256')] }));
const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const token = (alg, kid, key, sub) => {
  const input = `${b64u({ alg, typ: 'JWT', kid })}.${b64u({ iss, sub, iat: now, exp: now + 3600 })}`;
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key;
  return `${input}.${sign('sha256', Buffer.from(input), options).toString('base64url')}`;
};
writeFileSync(`${dir}/token`, token('RS256', 'k1', rsa.privateKey, 'bench-user'));
for (const [alg, kid, key] of [['RS256', 'k1', rsa.privateKey], ['ES256', 'k2', ec.privateKey]]) {
  const lines = [];
  for (let i = 0; i < Number(count); i++) lines.push(token(alg, kid, key, `bench-user-${i}`));
  writeFileSync(`${dir}/${alg}.tokens`, lines.join('\n') + '\n');
}
