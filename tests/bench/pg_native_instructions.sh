#!/usr/bin/env bash
# pg_native_instructions.sh: the instructions graphgate executes per request of pg.sh's workloads
# served from the native-typed tables and from their text-stored copy (pg_native_compare.sh's schema
# gg_text), counted by callgrind, for a build and optionally a baseline graphgate binary in the same
# run: the graphgate side of issue 12's "unchanged or better with native types".
#
# Usage: tests/bench/pg_native_instructions.sh [build dir (default: build)] [baseline graphgate binary]
#                                               [requests (default: 200)]
# Environment: BENCH_POSTS, BENCH_COMMENTS (as pg.sh), BENCH_WORKLOADS: the workloads to count, among
# get-by-id list-10 list-10-with-comments (default: list-10-with-comments).
#
# Why: rates and CPU times swing by tens of percent on the shared machine; instruction counts do
# not move with the load (user space only: the kernel's share of a request is not in them).
# Set-up: pg_common.sh (pg.sh's PostgreSQL, app, migration and seed, under <build>/bench-native-instr-pg)
# and its copy_to_text_schema. Each graphgate (threads 1, pg.sh's pool) runs under valgrind
# --tool=callgrind with counting off (--instr-atstart=no) while it starts and answers 20 requests
# to warm up; counting is switched on (callgrind_control -i on) for exactly N requests over one
# keep-alive connection, then off, so the count holds those requests only. get-by-id asks for post
# 4711 each time. Every answer is checked (status 200, data, no errors), and every graphgate's last
# answer must equal the others'. A benchmark measures: it never fails on a number, only when
# something cannot run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench_name=pg_native_instructions.sh
bench_pgdir=bench-native-instr-pg
build_arg="${1:-build}"
baseline="${2:-}"
requests="${3:-200}"
for tool in valgrind callgrind_control; do
  command -v "$tool" >/dev/null || { echo "$bench_name: $tool missing: GG_WITH_BENCH=1 bash scripts/install-deps.sh" >&2; exit 1; }
done
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "$bench_name: $baseline is no graphgate binary" >&2; exit 2; }
# shellcheck source=tests/bench/pg_common.sh
source "$root/tests/bench/pg_common.sh" "$build_arg"
copy_to_text_schema
workloads=(${BENCH_WORKLOADS:-list-10-with-comments})

# The client: N requests over one keep-alive connection, each answer checked; the last one is kept.
cat >"$tmp/client.py" <<'PY'
import http.client, json, sys
port, query_file, variables, count, keep = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
body = json.dumps({'query': open(query_file).read(), 'variables': json.loads(variables)})
conn = http.client.HTTPConnection('127.0.0.1', port, timeout=600)
text = b''
for _ in range(count):
    conn.request('POST', '/graphql', body, {'content-type': 'application/json'})
    r = conn.getresponse()
    text = r.read()
    answer = json.loads(text)
    if r.status != 200 or 'errors' in answer or not answer.get('data'):
        sys.exit('unexpected answer %d %r' % (r.status, text[:300]))
open(keep, 'wb').write(text)
PY

# Instructions per request of binary serving storage (text or native) for workload index i.
count_instructions() { # binary storage i label -> prints instructions per request
  local binary=$1 storage=$2 i=$3 label=$4 port pid vars='{}' env_schema=()
  port=$(free_port)
  [ "${randoms[$i]}" = yes ] && vars='{"id":"4711"}'
  [ "$storage" = text ] && env_schema=(GRAPHGATE_DATABASE_SCHEMA=gg_text)
  sed "s/\"listen\": \"127.0.0.1:$gg_port\"/\"listen\": \"127.0.0.1:$port\"/" "$tmp/graphgate.json" >"$tmp/$label.json"
  env "${env_schema[@]}" valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$label.cg" \
    "$binary" -c "$tmp/$label.json" 2>"$tmp/$label.log" &
  pid=$!
  started_pids+=("$pid")
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || { echo "$bench_name: graphgate exited:" >&2; cat "$tmp/$label.log" >&2; exit 1; }
    sleep 0.2
  done
  local query="$bench/${stems[$i]}.graphql"
  python3 "$tmp/client.py" "$port" "$query" "$vars" 20 "$tmp/$label.answer" || exit 1
  callgrind_control -i on "$pid" >/dev/null 2>&1
  python3 "$tmp/client.py" "$port" "$query" "$vars" "$requests" "$tmp/$label.answer" || exit 1
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  awk -v n="$requests" '/^(summary|totals):/ { total = $2 } END { printf "%.0f\n", total / n }' "$tmp/$label.cg"
}

binaries=("$graphgate")
names_of=("this build ($build)")
[ -z "$baseline" ] || { binaries=("$baseline" "$graphgate"); names_of=("baseline ($baseline)" "this build ($build)"); }
echo
printf '%-22s %-40s %12s %12s %7s\n' "workload" "graphgate" "text" "native" "ratio"
for i in "${!names[@]}"; do
  name=${names[$i]}
  [[ " ${workloads[*]} " == *" $name "* ]] || continue
  first=""
  for b in "${!binaries[@]}"; do
    declare -A per=()
    for storage in text native; do
      label="$name-$b-$storage"
      per[$storage]=$(count_instructions "${binaries[$b]}" "$storage" "$i" "$label")
      [ -n "$first" ] || first="$tmp/$label.answer"
      cmp -s "$first" "$tmp/$label.answer" ||
        { echo "$bench_name: $name: $label answers differently from the first graphgate" >&2; exit 1; }
    done
    printf '%-22s %-40s %12s %12s %7s\n' "$name" "${names_of[$b]}" "${per[text]}" "${per[native]}" \
      "$(awk -v a="${per[text]}" -v b="${per[native]}" 'BEGIN { printf "%.2fx", b / a }')"
    unset per
  done
done
echo "instructions per request (callgrind, user space, every thread of graphgate; $requests requests" \
  "after 20 to warm up; threads 1; $posts posts x $comments comments); ratio: native / text"
