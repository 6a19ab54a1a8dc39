#!/usr/bin/env bash
# auth_http.sh: what request authorization costs over HTTP, in one run: requests/second of the same
# getTodo query without authorization (auth.default_mode NONE), with an API key (x-api-key), and with
# a JWT (RS256, Authorization) that the worker's token cache already holds, so the cached case is
# a SHA-256 of the token and a hash lookup.
#
# Usage: tests/bench/auth_http.sh [build dir (default: build)] [seconds per run (default: 10)] [rounds (default: 3)]
#
# Two graphgates serve the static fixture schema (tests/fixtures/static: getTodo answers from a JSON
# file, no database): one with NONE, one with API_KEY + OPENID_CONNECT (a JWKS file made here by
# node:crypto). Each runs one event-loop thread pinned to CPU 0, with the access log off; wrk
# (HTTP/1.1 keep-alive, 64 connections) is pinned to CPU 1. The three cases take turns for several
# rounds and the best round of each counts. Prints requests/second and each case's ratio to the
# no-auth rate; the target: a cached JWT costs at most 5% (ratio >= 95%). A benchmark measures: it
# never fails on a number, only when something cannot run. Servers listen on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-3}"
cd "$root"
for tool in wrk taskset curl node; do
  command -v "$tool" >/dev/null || { echo "auth_http.sh: $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" server/graphgate >/dev/null
cpus=$(nproc)
server_cpu=0
client_cpu=$((cpus > 1 ? 1 : 0))

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
request='{"query":"{ getTodo(id: \"t1\") { id name done } }"}'
issuer=https://issuer.bench.test
api_key="da2-$(openssl rand -hex 16)"
# An RS256 key pair: the JWKS for graphgate, one token valid for an hour for wrk.
node --input-type=module - "$tmp" "$issuer" <<'NODE'
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
const [dir, iss] = process.argv.slice(2);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
writeFileSync(`${dir}/jwks.json`, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const input = `${b64u({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64u({ iss, sub: 'bench-user', iat: now, exp: now + 3600 })}`;
writeFileSync(`${dir}/token`, `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`);
NODE
token="$(cat "$tmp/token")"

start() { # name port env... -> waits until it answers
  local name=$1 port=$2
  shift 2
  cat >"$tmp/$name.json" <<JSON
{"listen": "127.0.0.1:$port", "threads": 1, "access_log": false,
 "schema": ["$root/tests/fixtures/static/schema.graphql"], "static_data_file": "$root/tests/fixtures/static/data.json"}
JSON
  env "$@" taskset -c "$server_cpu" "$build/server/graphgate" -c "$tmp/$name.json" 2>"$tmp/$name.log" &
  pids+=($!)
}
none_port=$(free_port)
auth_port=$(free_port)
start none "$none_port" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
start auth "$auth_port" GRAPHGATE_AUTH_DEFAULT_MODE=API_KEY GRAPHGATE_AUTH_ADDITIONAL_MODES=OPENID_CONNECT \
  GRAPHGATE_AUTH_API_KEYS="$api_key" GRAPHGATE_AUTH_OIDC_ISSUER="$issuer" GRAPHGATE_AUTH_OIDC_JWKS_FILE="$tmp/jwks.json"

# name url header -> checks the answer (and, for the auth server, that no credential gets 401)
expected='{"data":{"getTodo":{"id":"t1","name":"Try graphgate","done":false}}}'
check() {
  local url=$1 header=$2 got=""
  for _ in $(seq 50); do
    got=$(curl -s -H 'content-type: application/json' -H "$header" --data-binary "$request" "$url" || true)
    [ -n "$got" ] && break
    sleep 0.1
  done
  [ "$got" = "$expected" ] || { echo "auth_http.sh: $url with '${header%%:*}' answered '$got'" >&2; cat "$tmp"/*.log >&2; exit 1; }
}
check "http://127.0.0.1:$none_port/graphql" "x-none: 1"
check "http://127.0.0.1:$auth_port/graphql" "x-api-key: $api_key"
check "http://127.0.0.1:$auth_port/graphql" "authorization: $token"
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary "$request" "http://127.0.0.1:$auth_port/graphql")
[ "$status" = 401 ] || { echo "auth_http.sh: a request without a credential got $status, not 401" >&2; exit 1; }
refused_before=$(grep -c "refused" "$tmp/auth.log" || true)

lua() { # file header-name header-value
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = '$request'
wrk.headers["Content-Type"] = "application/json"
LUA
  [ -z "$2" ] || printf 'wrk.headers["%s"] = "%s"\n' "$2" "$3" >>"$1"
}
lua "$tmp/none.lua" "" ""
lua "$tmp/key.lua" "x-api-key" "$api_key"
lua "$tmp/jwt.lua" "Authorization" "$token"
wrk_rps() { taskset -c "$client_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$1" "$2" | awk '/^Requests\/sec/ {print int($2)}'; }
best() { [ "${1:-0}" -gt "${2:-0}" ] && echo "$1" || echo "${2:-0}"; }

none=0 key=0 jwt=0
for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  none=$(best "$(wrk_rps "$tmp/none.lua" "http://127.0.0.1:$none_port/graphql")" "$none")
  key=$(best "$(wrk_rps "$tmp/key.lua" "http://127.0.0.1:$auth_port/graphql")" "$key")
  jwt=$(best "$(wrk_rps "$tmp/jwt.lua" "http://127.0.0.1:$auth_port/graphql")" "$jwt")
done
if [ "$(grep -c "refused" "$tmp/auth.log" || true)" != "$refused_before" ]; then
  echo "auth_http.sh: the authorizing server refused requests during the run:" >&2
  grep refused "$tmp/auth.log" | head -3 >&2
  exit 1
fi

pct() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f%%", a * 100 / b}' || echo "n/a"; }
printf '\n%-34s %14s %10s\n' "getTodo POST, HTTP/1.1 (wrk)" "req/s" "of no auth"
printf '%-34s %14s %10s\n' "no authorization (NONE)" "$none" "100%"
printf '%-34s %14s %10s\n' "API key (x-api-key)" "$key" "$(pct "$key" "$none")"
printf '%-34s %14s %10s\n' "JWT RS256, cached (Authorization)" "$jwt" "$(pct "$jwt" "$none")"
echo "servers on CPU $server_cpu (1 thread each), wrk on CPU $client_cpu; best of $rounds rounds of ${seconds}s;" \
  "target: a cached JWT >= 95% of the no-auth rate"
