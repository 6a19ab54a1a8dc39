#!/usr/bin/env node
// example-token.mjs: makes a development JWT that the example app (scripts/run-example.sh) accepts:
// HS256, signed with the example's development secret (build/example-jwt-secret, made by
// run-example.sh at its first run), issuer "graphgate-example", valid for an hour. Cognito-style
// claims: sub, username and cognito:groups (the group rules of conf/example/schema.graphql read
// cognito:groups). Prints the token; requests send it as the Authorization header.
//
//   node scripts/example-token.mjs                     alice, no group
//   node scripts/example-token.mjs bob                 another user
//   node scripts/example-token.mjs carol Admins        a member of Admins
//   GG_EXAMPLE_DIR=dir                                 where run-example.sh keeps its files (build)
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE_ISSUER = 'graphgate-example';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.GG_EXAMPLE_DIR || join(root, 'build');
const [user = 'alice', ...groups] = process.argv.slice(2);
if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user) || groups.some((g) => !/^[A-Za-z0-9_.-]{1,64}$/.test(g))) {
  console.error('usage: node scripts/example-token.mjs [user [group...]] (letters, digits, _ . @ -)');
  process.exit(2);
}
let secret;
try {
  secret = readFileSync(join(dir, 'example-jwt-secret'), 'utf8').trim();
} catch (e) {
  console.error(`example-token: cannot read ${join(dir, 'example-jwt-secret')} (${e.code}): run scripts/run-example.sh first`);
  process.exit(1);
}
const now = Math.floor(Date.now() / 1000);
const claims = { iss: EXAMPLE_ISSUER, sub: user, username: user, 'cognito:groups': groups, iat: now, exp: now + 3600 };
const part = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
console.log(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`);
