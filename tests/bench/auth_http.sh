#!/usr/bin/env bash
# auth_http.sh: what request authorization costs over HTTP, in one run: requests/second of the same
# getTodo query without authorization (auth.default_mode NONE), with an API key (x-api-key), with a
# JWT (RS256, Authorization) that the worker's token cache already holds (a SHA-256 of the token and
# a hash lookup), and with JWTs that miss the cache, RS256 and ES256 (every request a different
# valid token, so every request is a full verification: parse, signature, claims, identity);
# plus `openssl speed -seconds 2 rsa2048 ecdsap256` on the servers' core, the physical limit of
# the uncached cases.
#
# Usage: tests/bench/auth_http.sh [build dir (default: build)] [seconds per run (default: 10)] [rounds (default: 3)]
#                                 [baseline build dir]
#
# With a baseline build (another commit's, e.g. made from `git archive`), its two graphgates run
# beside this build's and each case runs on both, one after the other, in every round: a change is
# measured before and after in the same run, under the same load, and both tables are printed.
#
# Two graphgates serve the static fixture schema (tests/fixtures/static: getTodo answers from a JSON
# file, no database): one with NONE, one with API_KEY + OPENID_CONNECT (a JWKS file with an RSA and a
# P-256 key, made here by node:crypto). Each runs one event-loop thread pinned to CPU 0, with the
# access log off; wrk (HTTP/1.1 keep-alive, 64 connections) is pinned to CPU 1. For the uncached
# cases a wrk Lua script cycles through twice as many pre-made tokens as the worker's token cache
# holds (AUTH_CACHE_TOKENS in server/http/server.c): the cache evicts the least recently used, so a
# token is always gone by the time it comes round again. The cases take turns for several rounds and
# the best round of each counts (openssl speed runs once per round too, its best round counts). A
# sixth case sends the cached case's Authorization header to the NONE server, which does not read
# it: what the token's bytes cost in transport and parsing, apart from authorization. Prints
# requests/second and the server's CPU time per request
# (utime + stime from /proc: robust when other work shares the machine), each with its ratio to the
# no-auth case, and the two targets of issue 10: a cached JWT costs at most 5% of the no-auth case;
# uncached verification reaches at least 80% of OpenSSL's verify/s on one core, where the cost of a
# verification is the uncached case's CPU per request minus the no-auth case's. A benchmark
# measures: it never fails on a number, only when something cannot run. Servers listen on 127.0.0.1
# only.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
seconds="${2:-10}"
rounds="${3:-3}"
baseline="${4:-}"
cd "$root"
bench_tools=(wrk taskset curl node openssl)
source "$root/tests/bench/http_common.sh"
request='{"query":"{ getTodo(id: \"t1\") { id name done } }"}'
issuer=https://issuer.bench.test
api_key="da2-$(openssl rand -hex 16)"
# Tokens per uncached case: twice what one worker's cache holds, so none is found there.
cache_tokens=$(sed -n 's/^#define AUTH_CACHE_TOKENS \([0-9]*\).*/\1/p' server/http/server.c)
[ -n "$cache_tokens" ] || { echo "auth_http.sh: AUTH_CACHE_TOKENS not found in server/http/server.c" >&2; exit 1; }
miss_tokens=$((2 * cache_tokens))
# An RSA and a P-256 key pair: the JWKS for graphgate; one RS256 token for the cached case; for each
# uncached case miss_tokens tokens, each with its own sub, valid for an hour.
echo "making $miss_tokens RS256 and $miss_tokens ES256 tokens"
node --input-type=module - "$tmp" "$issuer" "$miss_tokens" <<'NODE'
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
NODE
token="$(cat "$tmp/token")"

start() { # name binary port env... -> waits until it answers
  local name=$1 binary=$2 port=$3
  shift 3
  cat >"$tmp/$name.json" <<JSON
{"listen": "127.0.0.1:$port", "threads": 1, "access_log": false,
 "schema": ["$root/tests/fixtures/static/schema.graphql"], "static_data_file": "$root/tests/fixtures/static/data.json"}
JSON
  env "$@" taskset -c "$server_cpu" "$binary" -c "$tmp/$name.json" 2>"$tmp/$name.log" &
  pids+=($!)
  eval "${name}_pid=$!" # env and taskset exec: the pid is graphgate's
}
# prefix binary: the NONE and the authorizing server of one build (names ${prefix}none, ${prefix}auth)
start_pair() {
  local port_none port_auth
  port_none=$(free_port)
  port_auth=$(free_port)
  start "${1}none" "$2" "$port_none" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
  start "${1}auth" "$2" "$port_auth" GRAPHGATE_AUTH_DEFAULT_MODE=API_KEY GRAPHGATE_AUTH_ADDITIONAL_MODES=OPENID_CONNECT \
    GRAPHGATE_AUTH_API_KEYS="$api_key" GRAPHGATE_AUTH_OIDC_ISSUER="$issuer" GRAPHGATE_AUTH_OIDC_JWKS_FILE="$tmp/jwks.json"
  eval "${1}none_port=$port_none ${1}auth_port=$port_auth"
}
start_pair "" "$build/server/graphgate"
prefixes=("")
if [ -n "$baseline" ]; then
  [ -f "$baseline/build.ninja" ] || { echo "auth_http.sh: $baseline is not a build directory" >&2; exit 1; }
  ninja -C "$baseline" server/graphgate >/dev/null
  start_pair base_ "$baseline/server/graphgate"
  prefixes+=(base_)
fi

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
declare -A refused_before
for b in "${prefixes[@]}"; do
  none_url="http://127.0.0.1:$(eval echo "\$${b}none_port")/graphql"
  auth_url="http://127.0.0.1:$(eval echo "\$${b}auth_port")/graphql"
  check "$none_url" "x-none: 1"
  check "$auth_url" "x-api-key: $api_key"
  check "$auth_url" "authorization: $token"
  check "$auth_url" "authorization: $(head -1 "$tmp/RS256.tokens")"
  check "$auth_url" "authorization: Bearer $(tail -1 "$tmp/ES256.tokens")"
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary "$request" "$auth_url")
  [ "$status" = 401 ] || { echo "auth_http.sh: a request without a credential got $status, not 401" >&2; exit 1; }
  refused_before[${b:-this}]=$(grep -c "refused" "$tmp/${b}auth.log" || true)
done

# The body as a Lua long string: in a quoted Lua string the query's \" would lose its backslash
# and every request would be a 400.
lua() { # file header-name header-value
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = [[$request]]
wrk.headers["Content-Type"] = "application/json"
LUA
  [ -z "$2" ] || printf 'wrk.headers["%s"] = "%s"\n' "$2" "$3" >>"$1"
}
lua "$tmp/none.lua" "" ""
lua "$tmp/key.lua" "x-api-key" "$api_key"
lua "$tmp/jwt.lua" "Authorization" "$token"
lua "$tmp/none_header.lua" "Authorization" "$token" # to the NONE server: the token's bytes, no auth
# A different token on every request, in a cycle over the file's lines (one wrk thread: one cycle).
cycle_lua() { # file tokens-file
  lua "$1" "" ""
  cat >>"$1" <<LUA
local tokens = {}
for line in io.lines("$2") do tokens[#tokens + 1] = line end
local next_token = 0
request = function()
  next_token = next_token % #tokens + 1
  wrk.headers["Authorization"] = tokens[next_token]
  return wrk.format()
end
LUA
}
cycle_lua "$tmp/rs256.lua" "$tmp/RS256.tokens"
cycle_lua "$tmp/es256.lua" "$tmp/ES256.tokens"
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
  # Every answer a 200 and no broken connection (wrk's timeouts, a loaded machine's, only count)
  if grep -q 'Non-2xx' <<<"$out" || awk '/Socket errors/ {bad = $4 + $6 + $8} END {exit !(bad > 0)}' <<<"$out"; then
    echo "auth_http.sh: case $name did not get 200 for every request:" >&2
    grep -E 'Non-2xx|Socket errors' <<<"$out" >&2
    exit 1
  fi
  rps=$(awk '/^Requests\/sec/ {print int($2)}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  us=$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN {printf "%.2f", (n > 0 ? (b - a) / n / 1000 : 0)}')
  [ "${best_rps[$name]:-0}" -ge "$rps" ] || best_rps[$name]=$rps
  if awk -v x="${best_us[$name]:-0}" -v y="$us" 'BEGIN {exit !(x == 0 || y < x)}'; then best_us[$name]=$us; fi
}

for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  for c in none none_header key jwt rs256 es256; do
    server=auth
    [[ $c == none* ]] && server=none
    for b in "${prefixes[@]}"; do
      run_case "$b$c" "$tmp/$c.lua" "http://127.0.0.1:$(eval echo "\$$b${server}_port")/graphql" "$(eval echo "\$$b${server}_pid")"
    done
  done
  # OpenSSL's own rates on the servers' core, the same CPU-time measure (openssl speed divides by
  # its user time): RSA-2048 and ECDSA P-256 verifications per second, the best round's.
  speed=$(taskset -c "$server_cpu" openssl speed -seconds 2 rsa2048 ecdsap256 2>/dev/null)
  rate=$(awk '/^rsa 2048 bits/ {print int($NF)}' <<<"$speed")
  [ "$rate" -le "${openssl_rs256:-0}" ] || openssl_rs256=$rate
  rate=$(awk '/ecdsa \(nistp256\)/ {print int($NF)}' <<<"$speed")
  [ "$rate" -le "${openssl_es256:-0}" ] || openssl_es256=$rate
done
for b in "${prefixes[@]}"; do
  if [ "$(grep -c "refused" "$tmp/${b}auth.log" || true)" != "${refused_before[${b:-this}]}" ]; then
    echo "auth_http.sh: the authorizing server refused requests during the run:" >&2
    grep refused "$tmp/${b}auth.log" | head -3 >&2
    exit 1
  fi
done

pct() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f%%", a * 100 / b; else print "n/a"}'; }
row() { # label case
  printf '%-36s %10s %10s %14s %12s\n' "$1" "${best_rps[$p$2]}" "$(pct "${best_rps[$p$2]}" "${best_rps[${p}none]}")" \
    "${best_us[$p$2]}" "$(pct "${best_us[$p$2]}" "${best_us[${p}none]}")"
}
# A verification's CPU: the uncached case's CPU per request less the no-auth case's.
verify_row() { # label case openssl-rate
  awk -v u="${best_us[$p$2]}" -v n="${best_us[${p}none]}" -v o="$3" -v label="$1" 'BEGIN {
    cost = u - n
    if (cost > 0) printf "%-36s %13.2f %13.0f %13.0f %11.1f%%\n", label, cost, 1e6 / cost, o, 1e6 / cost * 100 / o
    else printf "%-36s %13.2f %13s %13.0f %12s\n", label, cost, "n/a", o, "n/a"
  }'
}
report() { # prefix title
  local p=$1
  echo
  echo "== $2"
  printf '%-36s %10s %10s %14s %12s\n' "getTodo POST, HTTP/1.1 (wrk)" "req/s" "of none" "server µs/req" "of none"
  row "no authorization (NONE)" none
  row "NONE, the JWT sent but not read" none_header
  row "API key (x-api-key)" key
  row "JWT RS256, cached" jwt
  row "JWT RS256, not cached" rs256
  row "JWT ES256, not cached" es256
  echo "servers on CPU $server_cpu (1 thread each), wrk on CPU $client_cpu; best of $rounds rounds of ${seconds}s each;" \
    "uncached: $miss_tokens tokens in turn, the cache holds $cache_tokens"

  printf '\n%-36s %13s %13s %13s %12s\n' "verification (uncached - none)" "µs/request" "verify/s" "openssl/s" "of openssl"
  verify_row "RS256 (openssl: rsa 2048 bits)" rs256 "$openssl_rs256"
  verify_row "ES256 (openssl: ecdsa nistp256)" es256 "$openssl_es256"

  echo
  echo "cached JWT: costs $(awk -v j="${best_us[${p}jwt]}" -v n="${best_us[${p}none]}" 'BEGIN {printf "%+.1f%%", (j - n) * 100 / n}') CPU per request," \
    "$(awk -v j="${best_rps[${p}jwt]}" -v n="${best_rps[${p}none]}" 'BEGIN {printf "%+.1f%%", (j - n) * 100 / n}') requests/s against no authorization (target: costs at most 5%)"
  echo "  (of which sending the token's bytes, read by no one: $(awk -v j="${best_us[${p}none_header]}" -v n="${best_us[${p}none]}" 'BEGIN {printf "%+.1f%%", (j - n) * 100 / n}') CPU per request)"
  echo "uncached JWT: target at least 80% of OpenSSL's verify/s on one core"
}
report "" "this build ($build)"
[ -z "$baseline" ] || report base_ "baseline ($baseline)"
