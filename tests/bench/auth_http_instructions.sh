#!/usr/bin/env bash
# auth_http_instructions.sh: instructions per HTTP request of the whole graphgate process, counted
# by callgrind, without authorization and with each kind of credential, for one or two builds in
# one run. Unlike CPU time, an instruction count does not move with the machine's load: this is
# the number that resolves a cost of a few percent on the shared VM (auth_http.sh gives the time).
#
# Usage: tests/bench/auth_http_instructions.sh [build dir (default: build)] [baseline dir] [requests (default: 400)]
#
# A baseline dir is a build dir or any directory holding server/graphgate (another commit's).
# Per build, two graphgates run under valgrind --tool=callgrind, as in auth_http.sh (the static
# fixture schema, one thread, access log off): one with auth.default_mode NONE, one with API_KEY +
# OPENID_CONNECT (JWKS file). A Python client on one keep-alive HTTP/1.1 connection sends
# getTodo: 50 requests to warm up (the JWT verified and cached, the document's caches filled),
# then the counters are zeroed (callgrind_control -z), then exactly N requests, each answer checked,
# then a dump; the dump's total over N is the instructions per request. Cases: no authorization,
# the JWT sent to the NONE server (its bytes, read by no one), an API key, a cached RS256 JWT.
# valgrind hides SHA-NI from OpenSSL, so a SHA-256 runs the portable code, several times the
# instructions it costs on this CPU: the instructions inside SHA256_Update and SHA256_Final are
# counted apart (callgrind_annotate, inclusive), and each case is also shown without them.
# Last, per build, the cached JWT against no authorization split into the token's bytes (what the NONE
# server pays for them) and authorization (what the authorizing server does beyond that).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
build="${1:-build}"
baseline="${2:-}"
count="${3:-400}"
bench_tools=(valgrind callgrind_control callgrind_annotate node python3 openssl)
source "$root/tests/bench/http_common.sh" # the tool check, this build's graphgate, $tmp and its cleanup (pids)
[ -z "$baseline" ] || [ ! -f "$baseline/build.ninja" ] || ninja -C "$baseline" server/graphgate >/dev/null
issuer=https://issuer.bench.test
api_key="da2-$(openssl rand -hex 16)"
node tests/bench/auth_tokens.mjs "$tmp" "$issuer" 0
token="$(cat "$tmp/token")"
cat >"$tmp/graphgate.json" <<JSON
{"listen": "127.0.0.1:0", "threads": 1, "access_log": false,
 "schema": ["$root/tests/fixtures/static/schema.graphql"], "static_data_file": "$root/tests/fixtures/static/data.json"}
JSON

start() { # name binary env... -> starts graphgate under callgrind; sets name_pid and name_port
  local name=$1 binary=$2 port=""
  shift 2
  env "$@" valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg.%p" "$binary" -c "$tmp/graphgate.json" \
    2>"$tmp/$name.log" &
  pids+=($!)
  for _ in $(seq 600); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/$name.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "auth_http_instructions.sh: $name did not start:" >&2; cat "$tmp/$name.log" >&2; exit 1; }
  eval "${name}_pid=$! ${name}_port=$port"
}

# port header-name header-value count -> sends count requests on one connection, each must answer the fixture
cat >"$tmp/client.py" <<'PY'
import http.client, sys
port, name, value, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
body = '{"query":"{ getTodo(id: \\"t1\\") { id name done } }"}'
expected = b'{"data":{"getTodo":{"id":"t1","name":"Try graphgate","done":false}}}'
headers = {'content-type': 'application/json'}
if name:
    headers[name] = value
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
for _ in range(count):
    conn.request('POST', '/graphql', body, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200 or data != expected:
        sys.exit('answer %d %r' % (r.status, data[:200]))
PY

measure() { # server-name header-name header-value -> "total sha256-block" instructions per request
  local name=$1 pid port before dump
  pid=$(eval echo "\$${name}_pid")
  port=$(eval echo "\$${name}_port")
  python3 "$tmp/client.py" "$port" "$2" "$3" 50
  callgrind_control -z "$pid" >/dev/null
  python3 "$tmp/client.py" "$port" "$2" "$3" "$count"
  before=$(ls "$tmp"/"$name".cg.* 2>/dev/null | wc -l)
  callgrind_control --dump=measured "$pid" >/dev/null
  for _ in $(seq 100); do
    [ "$(ls "$tmp"/"$name".cg.* 2>/dev/null | wc -l)" -gt "$before" ] && break
    sleep 0.1
  done
  dump=$(ls -t "$tmp"/"$name".cg.*.* | head -1)
  local total sha
  total=$(awk '/^summary:/ {print $2}' "$dump")
  sha=$(callgrind_annotate --inclusive=yes --threshold=100 "$dump" 2>/dev/null |
    awk '/:SHA256_(Update|Final) / {gsub(",", "", $1); s += $1} END {print s + 0}')
  awk -v t="$total" -v s="$sha" -v n="$count" 'BEGIN {printf "%.0f %.0f", t / n, s / n}'
  callgrind_control -z "$pid" >/dev/null
}

declare -A inst sha
prefixes=("")
[ -z "$baseline" ] || prefixes=(base_ "")
for b in "${prefixes[@]}"; do
  binary="$build/server/graphgate"
  [ "$b" = "" ] || binary="$baseline/server/graphgate"
  start "${b}none" "$binary" GRAPHGATE_AUTH_DEFAULT_MODE=NONE
  start "${b}auth" "$binary" GRAPHGATE_AUTH_DEFAULT_MODE=API_KEY GRAPHGATE_AUTH_ADDITIONAL_MODES=OPENID_CONNECT \
    GRAPHGATE_AUTH_API_KEYS="$api_key" GRAPHGATE_AUTH_OIDC_ISSUER="$issuer" GRAPHGATE_AUTH_OIDC_JWKS_FILE="$tmp/jwks.json"
  read -r inst[${b}none] sha[${b}none] <<<"$(measure "${b}none" "" "")"
  read -r inst[${b}none_header] sha[${b}none_header] <<<"$(measure "${b}none" authorization "$token")"
  read -r inst[${b}key] sha[${b}key] <<<"$(measure "${b}auth" x-api-key "$api_key")"
  read -r inst[${b}jwt] sha[${b}jwt] <<<"$(measure "${b}auth" authorization "$token")"
done

labels=(none none_header key jwt)
names=("no authorization (NONE)" "NONE, the JWT sent but not read" "API key (x-api-key)" "JWT RS256, cached")
for b in "${prefixes[@]}"; do
  echo
  [ "$b" = "" ] && echo "== $build ($count requests per case)" || echo "== baseline $baseline ($count requests per case)"
  printf '%-34s %12s %9s %14s %14s %9s\n' "getTodo POST, whole process" "instr/req" "vs none" "in SHA-256" "without it" "vs none"
  for i in "${!labels[@]}"; do
    c=$b${labels[$i]}
    awk -v label="${names[$i]}" -v t="${inst[$c]}" -v s="${sha[$c]}" -v n="${inst[${b}none]}" -v ns="${sha[${b}none]}" 'BEGIN {
      printf "%-34s %12d %+8.1f%% %14d %14d %+8.1f%%\n", label, t, (t - n) * 100 / n, s, t - s, ((t - s) - (n - ns)) * 100 / (n - ns)
    }'
  done
done
for b in "${prefixes[@]}"; do # the cached-JWT target's question, in user-space instructions
  label="this build"
  [ -z "$b" ] || label="baseline"
  awk -v label="$label" -v n="${inst[${b}none]}" -v h="${inst[${b}none_header]}" -v j="${inst[${b}jwt]}" 'BEGIN {
    printf "\n%s: a cached JWT costs %+.1f%% of no authorization in instructions: %+.1f%% the token'"'"'s bytes (parsed by h2o, as the NONE server pays them), %+.1f%% authorization\n", label, (j - n) * 100 / n, (h - n) * 100 / n, (j - h) * 100 / n
  }'
done
echo "(user space only: the kernel's work per request, most of a request's CPU time here, is not counted, so these percentages overstate the share of the time)"
if [ -n "$baseline" ]; then
  echo
  echo "== this build against the baseline, instructions per request"
  for i in "${!labels[@]}"; do
    c=${labels[$i]}
    awk -v label="${names[$i]}" -v a="${inst[base_$c]}" -v b="${inst[$c]}" 'BEGIN {printf "%-34s %12d %12d %+8.1f%%\n", label, a, b, (b - a) * 100 / a}'
  done
fi
