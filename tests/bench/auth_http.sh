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
# rounds and the best round of each counts. Prints requests/second and the server's CPU time per
# request (utime + stime from /proc: robust when other work shares the machine), each with its
# ratio to the no-auth case; the target: a cached JWT costs at most 5%. A benchmark measures: it
# never fails on a number, only when something cannot run. Servers listen on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-3}"
cd "$root"
bench_tools=(wrk taskset curl node openssl)
source "$root/tests/bench/http_common.sh"
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
  eval "${name}_pid=$!" # env and taskset exec: the pid is graphgate's
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
# The server's CPU time so far in nanoseconds (utime + stime of /proc/PID/stat, in clock ticks: a
# run of 10 s at full load is ~1000 ticks): the CPU per request stays meaningful when other work
# shares the machine, where requests/second do not.
ticks=$(getconf CLK_TCK)
cpu_ns() { awk -v t="$ticks" '{sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1e9 / t}' /proc/"$1"/stat; }
declare -A best_rps=() best_us=()
run_case() { # name lua url pid -> updates best_rps[name] (highest) and best_us[name] (lowest)
  local name=$1 before after out rps requests us
  before=$(cpu_ns "$4")
  out=$(taskset -c "$client_cpu" wrk -t1 -c64 -d"${seconds}s" -s "$2" "$3")
  after=$(cpu_ns "$4")
  rps=$(awk '/^Requests\/sec/ {print int($2)}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  us=$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN {printf "%.2f", (n > 0 ? (b - a) / n / 1000 : 0)}')
  [ "${best_rps[$name]:-0}" -ge "$rps" ] || best_rps[$name]=$rps
  if awk -v x="${best_us[$name]:-0}" -v y="$us" 'BEGIN {exit !(x == 0 || y < x)}'; then best_us[$name]=$us; fi
}

for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  run_case none "$tmp/none.lua" "http://127.0.0.1:$none_port/graphql" "$none_pid"
  run_case key "$tmp/key.lua" "http://127.0.0.1:$auth_port/graphql" "$auth_pid"
  run_case jwt "$tmp/jwt.lua" "http://127.0.0.1:$auth_port/graphql" "$auth_pid"
done
if [ "$(grep -c "refused" "$tmp/auth.log" || true)" != "$refused_before" ]; then
  echo "auth_http.sh: the authorizing server refused requests during the run:" >&2
  grep refused "$tmp/auth.log" | head -3 >&2
  exit 1
fi

pct() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f%%", a * 100 / b; else print "n/a"}'; }
printf '\n%-34s %10s %10s %14s %12s\n' "getTodo POST, HTTP/1.1 (wrk)" "req/s" "of none" "server µs/req" "of none"
printf '%-34s %10s %10s %14s %12s\n' "no authorization (NONE)" "${best_rps[none]}" "100%" "${best_us[none]}" "100%"
printf '%-34s %10s %10s %14s %12s\n' "API key (x-api-key)" "${best_rps[key]}" "$(pct "${best_rps[key]}" "${best_rps[none]}")" \
  "${best_us[key]}" "$(pct "${best_us[key]}" "${best_us[none]}")"
printf '%-34s %10s %10s %14s %12s\n' "JWT RS256, cached (Authorization)" "${best_rps[jwt]}" "$(pct "${best_rps[jwt]}" "${best_rps[none]}")" \
  "${best_us[jwt]}" "$(pct "${best_us[jwt]}" "${best_us[none]}")"
echo "servers on CPU $server_cpu (1 thread each), wrk on CPU $client_cpu; best of $rounds rounds of ${seconds}s each;" \
  "target: a cached JWT costs at most 5% (>= 95% of the no-auth req/s, <= 105% of its server CPU per request)"
